using System.Collections.Generic;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Which values of a set of featurized rows were missing and filled in (a numeric column's training median, a
    /// categorical column's most frequent value): row index and column index (in the schema). Few in a usual export,
    /// so kept as a set, not a mask of every value. Training uses it where a filled-in value must not count as seen:
    /// a stretch of missing values, all filled with the median, is not a feature holding one value
    /// (<see cref="Modeling.HeldValues"/>).
    /// </summary>
    public sealed class ImputedCells
    {
        private readonly HashSet<long> cells = new HashSet<long>();

        /// <summary>Values filled in.</summary>
        public int Count => cells.Count;

        /// <summary>Marks column <paramref name="column"/> of row <paramref name="row"/> as filled in.</summary>
        public void Add(int row, int column) => cells.Add(Key(row, column));

        /// <summary>True when column <paramref name="column"/> of row <paramref name="row"/> was filled in.</summary>
        public bool Contains(int row, int column) => cells.Count > 0 && cells.Contains(Key(row, column));

        /// <summary>The filled-in columns of each row that has any, ascending.</summary>
        public Dictionary<int, int[]> ByRow()
        {
            var rows = new Dictionary<int, List<int>>();
            foreach (long key in cells)
            {
                int row = (int)(key >> 32);
                if (!rows.TryGetValue(row, out var columns)) rows[row] = columns = new List<int>();
                columns.Add((int)(uint)key);
            }
            var byRow = new Dictionary<int, int[]>(rows.Count);
            foreach (var pair in rows)
            {
                pair.Value.Sort();
                byRow[pair.Key] = pair.Value.ToArray();
            }
            return byRow;
        }

        private static long Key(int row, int column) => ((long)row << 32) | (uint)column;
    }
}
