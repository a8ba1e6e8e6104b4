using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// The stuck-value rule of a sliding-window model. A reconstruction error only says a window is unlike the training
    /// windows in one direction: a sensor or exporter that keeps repeating its last value gives a window smoother than
    /// any normal one, which the network reconstructs as well as a normal one (the noise it never learned is gone). So
    /// training keeps, per numeric feature, the most consecutive rows that held one value (up to the window size), and a
    /// scored window in which a feature holds one value for all its rows is an anomaly when that is more than twice as
    /// long as anything seen in training: a metric that repeats values now and then in training (counts, coarse
    /// percentages) is not watched at a window that short, one that never repeated is.
    /// <para>
    /// Why twice: if a value repeats by chance with probability p from one row to the next, the longest run L in n
    /// training rows is about where p^L = 1/n, so a run of 2L has a chance of about 1/n^2 per row: with a week of
    /// 5-minute rows in training (n = 2,016), about one false alarm in 40 years of scoring. A stuck sensor repeats for good.
    /// </para>
    /// </summary>
    public sealed class HeldValues
    {
        private readonly int[] longest;
        private readonly int windowSize;
        private readonly int rowWidth;
        private readonly int[] watchedSlots;
        private readonly int[] watchedColumns;
        private readonly string[] names;

        /// <summary>
        /// The rule for <paramref name="schema"/>'s columns: <paramref name="longestRuns"/> holds, per column, the most
        /// consecutive training rows with one value (at most <paramref name="windowSize"/>), or -1 for a column that
        /// is not a number (not watched).
        /// </summary>
        public HeldValues(FeatureSchema schema, IReadOnlyList<int> longestRuns, int windowSize)
        {
            if (schema == null) throw new ArgumentNullException(nameof(schema));
            if (longestRuns == null) throw new ArgumentNullException(nameof(longestRuns));
            if (longestRuns.Count != schema.Count) throw new ArgumentException("One run length per column of the schema.", nameof(longestRuns));
            if (windowSize < 2) throw new ArgumentOutOfRangeException(nameof(windowSize), "A held value is seen in windows of two rows or more.");
            this.windowSize = windowSize;
            rowWidth = schema.Width;
            longest = new int[schema.Count];
            names = new string[schema.Count];
            var slots = new List<int>();
            var columns = new List<int>();
            for (int c = 0; c < schema.Count; c++)
            {
                names[c] = schema.Columns[c].Name;
                longest[c] = schema.Columns[c].Role == ColumnRole.Numeric ? Math.Min(longestRuns[c], windowSize) : -1;
                if (longest[c] >= 1 && 2 * longest[c] < windowSize)
                {
                    slots.Add(schema.FirstSlot(c));
                    columns.Add(c);
                }
            }
            watchedSlots = slots.ToArray();
            watchedColumns = columns.ToArray();
        }

        /// <summary>Per column of the schema: the most consecutive training rows with one value (up to the window size), -1 for a column that is not a number.</summary>
        public IReadOnlyList<int> LongestRuns => longest;

        /// <summary>Rows per window.</summary>
        public int WindowSize => windowSize;

        /// <summary>True when a window holding one value of column <paramref name="column"/> throughout is an anomaly.</summary>
        public bool Watches(int column) => Array.IndexOf(watchedColumns, column) >= 0;

        /// <summary>
        /// The rule learnt from training <paramref name="windows"/> (each the indices of its rows in
        /// <paramref name="rows"/>, oldest first, consecutive rows of one series): per numeric column, the longest run of
        /// one value in any window. Windows that follow on from the previous one (a step of one row) extend its runs, so
        /// the cost is one comparison per window and column; a time grid's windows index cells made afresh for each
        /// window (SlidingWindow.PlanGrid), so none follows on and each costs a comparison per row, as copying it did.
        /// A value in <paramref name="imputed"/> (missing in the row, filled with the training median) holds nothing: it
        /// ends a run and starts none, so an outage in training does not read as the feature holding its median for that
        /// long (which would turn the rule off for it).
        /// </summary>
        public static HeldValues Learn(FeatureSchema schema, IReadOnlyList<double[]> rows, IReadOnlyList<int[]> windows, int windowSize,
            ImputedCells? imputed = null)
        {
            bool Filled(int row, int column) => imputed != null && imputed.Contains(row, column);
            var longest = new int[schema.Count];
            var run = new int[schema.Count];
            int[]? previous = null;
            foreach (var window in windows)
            {
                // A window one row on from the previous one extends its runs; any other starts them afresh.
                bool follows = previous != null && window.Length == previous.Length && window.Length >= 2
                    && window[0] == previous[1] && window[^2] == previous[^1];
                for (int c = 0; c < schema.Count; c++)
                {
                    // Only numbers are watched (the constructor marks the other columns -1).
                    if (schema.Columns[c].Role != ColumnRole.Numeric) continue;
                    int slot = schema.FirstSlot(c);
                    if (follows)
                    {
                        run[c] = Next(run[c], c, slot, window[^2], window[^1]);
                        longest[c] = Math.Max(longest[c], Math.Min(run[c], windowSize));
                        continue;
                    }
                    run[c] = Filled(window[0], c) ? 0 : 1;
                    for (int k = 1; k < window.Length; k++)
                    {
                        run[c] = Next(run[c], c, slot, window[k - 1], window[k]);
                        longest[c] = Math.Max(longest[c], Math.Min(run[c], windowSize));
                    }
                    longest[c] = Math.Max(longest[c], 1);
                }
                previous = window;
            }
            return new HeldValues(schema, longest, windowSize);

            // Column c's run at row `at`, given its run at row `earlier` (`before`): a filled-in value holds nothing.
            int Next(int before, int c, int slot, int earlier, int at)
            {
                if (Filled(at, c)) return 0;
                return !Filled(earlier, c) && Same(rows[at][slot], rows[earlier][slot]) ? before + 1 : 1;
            }
        }

        /// <summary>How far apart two values may be, relative to the larger, and still be one value (<see cref="Same"/>).</summary>
        public const double Tolerance = 1e-12;

        /// <summary>
        /// Whether two values are one value: equal to 12 significant digits. A time grid's cell is the average of its
        /// rows, and the average of k equal rows is not always that value in binary (three rows of 61.7 average to
        /// 61.70000000000001, a cell's first two to 61.7): exact equality would see a stuck sensor that reports several
        /// times a step as moving, and flag only some of its windows. The average of k rows errs by about k units in the
        /// last place at most (1e-12 is at least 4,500 units), and no sensor resolves values this close.
        /// </summary>
        public static bool Same(double a, double b) => a == b || Math.Abs(a - b) <= Tolerance * Math.Max(Math.Abs(a), Math.Abs(b));

        /// <summary>This rule and <paramref name="other"/>'s (an earlier training run of the same schema): the longer run of each column.</summary>
        public HeldValues Widen(HeldValues? other, FeatureSchema schema)
        {
            if (other == null) return this;
            if (other.longest.Length != longest.Length || other.windowSize != windowSize)
                throw new ArgumentException("An earlier run's rule must be of the same schema and window.", nameof(other));
            var merged = new int[longest.Length];
            for (int c = 0; c < merged.Length; c++) merged[c] = Math.Max(longest[c], other.longest[c]);
            return new HeldValues(schema, merged, windowSize);
        }

        /// <summary>
        /// One line for the training log: which numeric features are watched for a stuck value and which are not, with
        /// their longest training runs.
        /// </summary>
        public string Describe() =>
            $"Stuck values: a window of {windowSize} rows holding one value of a feature is an anomaly when the feature " +
            $"never held one value for {(windowSize + 1) / 2} rows in training. Longest runs in training: {this}.";

        /// <summary>"watched cpu (1), mem (2); not watched count (24 or more)": each numeric feature's longest training run.</summary>
        public override string ToString()
        {
            var watched = new List<string>();
            var not = new List<string>();
            for (int c = 0; c < longest.Length; c++)
            {
                if (longest[c] < 1) continue;
                string text = $"{names[c]} ({longest[c]}{(longest[c] >= windowSize ? " or more" : "")})";
                (Watches(c) ? watched : not).Add(text);
            }
            string line = watched.Count > 0 ? "watched " + string.Join(", ", watched) : "no feature watched";
            return not.Count > 0 ? line + "; not watched " + string.Join(", ", not) : line;
        }

        /// <summary>
        /// The first watched column (index in the row schema) that holds one value in every row of
        /// <paramref name="window"/> (<see cref="WindowSize"/> featurized rows, oldest first), or -1. A feature named in
        /// <paramref name="imputed"/> (the features imputed in the window's newest row) is passed over: its value there is
        /// the training median that scoring filled in for a missing one, so a stretch of missing values would read as
        /// the sensor stuck at a median it never sent.
        /// </summary>
        public int Find(double[] window, IReadOnlyList<string>? imputed = null)
        {
            for (int w = 0; w < watchedSlots.Length; w++)
            {
                if (imputed != null && Contains(imputed, names[watchedColumns[w]])) continue;
                int slot = watchedSlots[w];
                double first = window[slot];
                bool held = true;
                for (int k = 1; k < windowSize && held; k++) held = Same(window[k * rowWidth + slot], first);
                if (held) return watchedColumns[w];
            }
            return -1;
        }

        private static bool Contains(IReadOnlyList<string> list, string name)
        {
            for (int k = 0; k < list.Count; k++)
                if (string.Equals(list[k], name, StringComparison.Ordinal)) return true;
            return false;
        }
    }
}
