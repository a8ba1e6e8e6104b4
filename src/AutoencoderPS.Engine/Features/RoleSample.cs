using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// The leading training rows that column roles are chosen from (<see cref="FeatureSchema.Infer(IReadOnlyList{IRecord}, IReadOnlyCollection{string}?, IReadOnlyCollection{string}?, CultureInfo, out IReadOnlyList{string}, out IReadOnlyList{IgnoredColumn}, bool, IReadOnlyDictionary{string, string}?, bool, string?, string?, TimeZoneInfo?, IEnumerable{IReadOnlyList{string}}?, bool)"/>):
    /// the first <see cref="Rows"/>, and more while a column that may be a feature had no value in them (a host that
    /// joined a wide export late), so that no column's role is chosen on no evidence: until each such column has shown
    /// <see cref="LateValues"/> values, as many as the role rules need to tell a category of few values from numbers
    /// (<see cref="FeatureSchema.MaxCategories"/>), or the input ends. Bounded: at most
    /// <see cref="MaxRows"/> rows and <see cref="MaxCells"/> values (rows times the header's columns), and never fewer
    /// than <see cref="Rows"/>. When every column has a value in the first row, as is usual, it costs nothing more.
    /// </summary>
    public sealed class RoleSample
    {
        /// <summary>Roles are chosen from at least this many rows (all of them when there are fewer).</summary>
        public const int Rows = 1000;

        /// <summary>The most rows kept while a column waits for its first value.</summary>
        public const int MaxRows = 20_000;

        /// <summary>The most values (rows times columns) kept while a column waits for its first value.</summary>
        public const long MaxCells = 400_000;

        /// <summary>The values a column without any in the first <see cref="Rows"/> rows shows before roles are chosen.</summary>
        public const int LateValues = FeatureSchema.MaxCategories + 1;

        private readonly List<IRecord> records = new List<IRecord>();
        private readonly CultureInfo culture;
        private readonly Func<string, bool> watched;
        private List<string> awaiting = new List<string>();
        private IReadOnlyList<string> emptyInFirstRows = Array.Empty<string>();
        // The columns of emptyInFirstRows, each with the values it has shown since.
        private int[] lateCounts = Array.Empty<int>();
        private int lateShort;
        private int limit = Rows;

        /// <param name="culture">The culture the values are read in.</param>
        /// <param name="watched">
        /// Whether a column of the header may become a feature and so must show a value before roles are chosen (not one
        /// excluded, a window's key, or, with named features, one not named).
        /// </param>
        public RoleSample(CultureInfo culture, Func<string, bool> watched)
        {
            this.culture = culture;
            this.watched = watched;
        }

        public IReadOnlyList<IRecord> Records => records;

        public int Count => records.Count;

        /// <summary>The most rows this sample keeps (from the first row's columns; <see cref="Rows"/> before any).</summary>
        public int Limit => limit;

        /// <summary>Watched columns of the first row's header that have had no value in the rows so far.</summary>
        public IReadOnlyList<string> Awaiting =>
            records.Count <= Rows ? awaiting : emptyInFirstRows.Where((_, k) => lateCounts[k] == 0).ToArray();

        /// <summary>Watched columns that had no value in the first <see cref="Rows"/> rows (so the sample went on), in header order.</summary>
        public IReadOnlyList<string> EmptyInFirstRows => emptyInFirstRows;

        /// <summary>
        /// Keeps <paramref name="record"/>; true when roles can be chosen: at least <see cref="Rows"/> rows, and every
        /// watched column has had a value in the first <see cref="Rows"/> or <see cref="LateValues"/> values after; or
        /// <see cref="Limit"/> rows.
        /// </summary>
        public bool Add(IRecord record)
        {
            if (records.Count == 0)
            {
                var names = record.ColumnNames.ToList();
                awaiting = names.Where(n => !string.IsNullOrWhiteSpace(n) && watched(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                limit = (int)Math.Clamp(MaxCells / Math.Max(1, names.Count), Rows, MaxRows);
            }
            records.Add(record);
            if (records.Count <= Rows)
            {
                if (awaiting.Count > 0)
                {
                    for (int k = awaiting.Count - 1; k >= 0; k--)
                        if (record.TryGetValue(awaiting[k], out var value) && HasValue(value, culture)) awaiting.RemoveAt(k);
                    if (records.Count == Rows && awaiting.Count > 0)
                    {
                        emptyInFirstRows = awaiting.ToArray();
                        lateCounts = new int[awaiting.Count];
                        lateShort = awaiting.Count;
                    }
                }
            }
            else if (lateShort > 0)
            {
                for (int k = 0; k < lateCounts.Length; k++)
                    if (lateCounts[k] < LateValues && record.TryGetValue(emptyInFirstRows[k], out var value) && HasValue(value, culture) &&
                        ++lateCounts[k] == LateValues)
                        lateShort--;
            }
            return records.Count >= Rows && (lateShort == 0 || records.Count >= limit);
        }

        /// <summary>Forgets the rows (once roles are chosen and they are kept as numbers).</summary>
        public void Clear() => records.Clear();

        /// <summary>
        /// True when <paramref name="value"/> is a value rather than a missing one, as the role rules count it (empty, NA,
        /// N/A, null and NaN as text are missing; a number is a value).
        /// </summary>
        public static bool HasValue(object? value, CultureInfo culture) => !NumberParser.IsMissing(NumberParser.TryRead(value, culture, out _), value);
    }
}
