using System;
using System.Collections.Generic;
using System.Linq;
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
        /// <summary>
        /// Training windows a group needs before its own runs decide for it (288: a day of 5-minute rows, as the
        /// likelihood's learning period). A group with fewer, or one training never saw, is judged by the runs of all
        /// groups: with n training windows the chance of a false alarm is about 1/n^2 a row, too high for a short history.
        /// </summary>
        public const int MinGroupWindows = 288;

        private readonly int[] longest;
        private readonly int windowSize;
        private readonly int rowWidth;
        private readonly int[] slotOf;
        private readonly int[] watched;
        private readonly string[] names;
        private readonly Dictionary<string, HeldGroup> groups = new Dictionary<string, HeldGroup>(StringComparer.Ordinal);
        private readonly Dictionary<string, int[]> watchedByGroup = new Dictionary<string, int[]>(StringComparer.Ordinal);
        // Learn's windows all of one group (kept as no group): which it was, for Widen. Not kept in a model file.
        private HeldGroup? sole;

        /// <summary>
        /// The rule for <paramref name="schema"/>'s columns: <paramref name="longestRuns"/> holds, per column, the most
        /// consecutive training rows with one value (at most <paramref name="windowSize"/>) over all groups, or -1 for a
        /// column that is not a number (not watched); <paramref name="byGroup"/>, when training had several groups
        /// (<see cref="ModelSettings.GroupBy"/>), each group's own runs.
        /// </summary>
        public HeldValues(FeatureSchema schema, IReadOnlyList<int> longestRuns, int windowSize, IEnumerable<HeldGroup>? byGroup = null)
        {
            if (schema == null) throw new ArgumentNullException(nameof(schema));
            if (longestRuns == null) throw new ArgumentNullException(nameof(longestRuns));
            if (longestRuns.Count != schema.Count) throw new ArgumentException("One run length per column of the schema.", nameof(longestRuns));
            if (windowSize < 2) throw new ArgumentOutOfRangeException(nameof(windowSize), "A held value is seen in windows of two rows or more.");
            this.windowSize = windowSize;
            rowWidth = schema.Width;
            longest = Runs(schema, longestRuns, windowSize);
            names = new string[schema.Count];
            slotOf = new int[schema.Count];
            for (int c = 0; c < schema.Count; c++)
            {
                names[c] = schema.Columns[c].Name;
                slotOf[c] = schema.FirstSlot(c);
            }
            watched = WatchedOf(longest);
            foreach (var group in byGroup ?? Array.Empty<HeldGroup>())
            {
                if (group.Runs.Count != schema.Count) throw new ArgumentException($"Group '{group.Group}' needs one run length per column of the schema.", nameof(byGroup));
                var own = new HeldGroup(group.Group, group.Windows, Runs(schema, group.Runs, windowSize));
                if (!groups.TryAdd(own.Group, own)) throw new ArgumentException($"Group '{group.Group}' is named twice.", nameof(byGroup));
                if (own.Windows >= MinGroupWindows) watchedByGroup[own.Group] = WatchedOf((int[])own.Runs);
            }
        }

        // Per column: the run capped at the window, -1 for a column that is not a number.
        private static int[] Runs(FeatureSchema schema, IReadOnlyList<int> runs, int windowSize)
        {
            var capped = new int[schema.Count];
            for (int c = 0; c < schema.Count; c++)
                capped[c] = schema.Columns[c].Role == ColumnRole.Numeric ? Math.Min(runs[c], windowSize) : -1;
            return capped;
        }

        // The columns watched under these runs: a run of one value twice as long as any in training is not chance.
        private int[] WatchedOf(int[] runs)
        {
            var columns = new List<int>();
            for (int c = 0; c < runs.Length; c++)
                if (runs[c] >= 1 && 2 * runs[c] < windowSize) columns.Add(c);
            return columns.ToArray();
        }

        /// <summary>Per column of the schema: the most consecutive training rows with one value over all groups (up to the window size), -1 for a column that is not a number.</summary>
        public IReadOnlyList<int> LongestRuns => longest;

        /// <summary>Each group's own runs, when training had several groups (empty otherwise).</summary>
        public IReadOnlyCollection<HeldGroup> Groups => groups.Values;

        /// <summary>Rows per window.</summary>
        public int WindowSize => windowSize;

        /// <summary>
        /// The runs that judge <paramref name="group"/>'s windows: its own when training gave it at least
        /// <see cref="MinGroupWindows"/> windows, else those of all groups.
        /// </summary>
        public IReadOnlyList<int> RunsFor(string? group) =>
            group != null && watchedByGroup.ContainsKey(group) ? groups[group].Runs : longest;

        /// <summary>True when a window of <paramref name="group"/> holding one value of column <paramref name="column"/> throughout is an anomaly.</summary>
        public bool Watches(int column, string? group = null) => Array.IndexOf(WatchedFor(group), column) >= 0;

        private int[] WatchedFor(string? group) => group != null && watchedByGroup.TryGetValue(group, out var own) ? own : watched;

        /// <summary>
        /// The rule learnt from training <paramref name="windows"/> (each the indices of its rows in
        /// <paramref name="rows"/>, oldest first, consecutive rows of one series): per numeric column, the longest run of
        /// one value in any window. Windows that follow on from the previous one (a step of one row) extend its runs, so
        /// the cost is one comparison per window and column; a time grid's windows index cells made afresh for each
        /// window (SlidingWindow.PlanGrid), so none follows on and each costs a comparison per row, as copying it did.
        /// A value in <paramref name="imputed"/> (missing in the row, filled with the training median) holds nothing: it
        /// ends a run and starts none, so an outage in training does not read as the feature holding its median for that
        /// long (which would turn the rule off for it). <paramref name="groupOf"/> (per window, its group) gives each
        /// group its own runs when there are several.
        /// </summary>
        public static HeldValues Learn(FeatureSchema schema, IReadOnlyList<double[]> rows, IReadOnlyList<int[]> windows, int windowSize,
            ImputedCells? imputed = null, IReadOnlyList<string>? groupOf = null)
        {
            if (groupOf != null && groupOf.Count != windows.Count) throw new ArgumentException("One group per window.", nameof(groupOf));
            bool Filled(int row, int column) => imputed != null && imputed.Contains(row, column);
            var byGroup = new Dictionary<string, HeldGroup>(StringComparer.Ordinal);
            var run = new int[schema.Count];
            int[]? previous = null;
            for (int w = 0; w < windows.Count; w++)
            {
                var window = windows[w];
                string group = groupOf?[w] ?? "";
                if (!byGroup.TryGetValue(group, out var own)) byGroup[group] = own = new HeldGroup(group, 0, new int[schema.Count]);
                var longest = (int[])own.Runs;
                own.Windows++;
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
            var overall = new int[schema.Count];
            foreach (var own in byGroup.Values)
                for (int c = 0; c < overall.Length; c++) overall[c] = Math.Max(overall[c], own.Runs[c]);
            // One group: its runs are the overall runs (Widen still needs to know which group they are).
            if (byGroup.Count > 1) return new HeldValues(schema, overall, windowSize, byGroup.Values);
            var one = groupOf != null && byGroup.Count == 1 ? byGroup.Values.Single() : null;
            return new HeldValues(schema, overall, windowSize) { sole = one == null ? null : new HeldGroup(one.Group, one.Windows, Runs(schema, one.Runs, windowSize)) };

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

        /// <summary>
        /// This rule and <paramref name="other"/>'s (an earlier training run of the same schema): the longer run of each
        /// column, overall and per group (a group's training windows add up).
        /// </summary>
        public HeldValues Widen(HeldValues? other, FeatureSchema schema)
        {
            if (other == null) return this;
            if (other.longest.Length != longest.Length || other.windowSize != windowSize)
                throw new ArgumentException("An earlier run's rule must be of the same schema and window.", nameof(other));
            var merged = new int[longest.Length];
            for (int c = 0; c < merged.Length; c++) merged[c] = Math.Max(longest[c], other.longest[c]);
            // This run's groups: its runs per group, or its one group (Learn). The earlier rule's: its runs per group. A side
            // without them (a run of one group, a file from before runs per group) has runs whose group is not known: they
            // widen every group of the other side, which may have been among them.
            var mine = groups.Count > 0 ? groups.Values.ToList() : sole != null ? new List<HeldGroup> { sole } : null;
            var theirs = other.groups.Count > 0 ? other.groups.Values.ToList() : null;
            var byGroup = new Dictionary<string, HeldGroup>(StringComparer.Ordinal);
            if (mine != null && theirs != null)
            {
                foreach (var group in theirs.Concat(mine))
                {
                    if (!byGroup.TryGetValue(group.Group, out var sum))
                    {
                        byGroup[group.Group] = new HeldGroup(group.Group, group.Windows, group.Runs.ToArray());
                        continue;
                    }
                    var runs = (int[])sum.Runs;
                    for (int c = 0; c < runs.Length; c++) runs[c] = Math.Max(runs[c], group.Runs[c]);
                    sum.Windows += group.Windows;
                }
            }
            else if (mine != null || theirs != null)
            {
                var unknown = mine == null ? longest : other.longest;
                foreach (var group in (mine ?? theirs)!)
                    byGroup[group.Group] = new HeldGroup(group.Group, group.Windows, group.Runs.Select((r, c) => Math.Max(r, unknown[c])).ToArray());
            }
            return byGroup.Count > 1 ? new HeldValues(schema, merged, windowSize, byGroup.Values) : new HeldValues(schema, merged, windowSize);
        }

        /// <summary>
        /// One line for the training log: which numeric features are watched for a stuck value and which are not, with
        /// their longest training runs, and the groups judged by runs of their own that differ.
        /// </summary>
        public string Describe()
        {
            string line = $"Stuck values: a window of {windowSize} rows holding one value of a feature is an anomaly when the feature " +
                          $"never held one value for {(windowSize + 1) / 2} rows in training. Longest runs in training: {this}.";
            var differing = groups.Values.Where(g => watchedByGroup.ContainsKey(g.Group) && !watchedByGroup[g.Group].SequenceEqual(watched))
                .OrderBy(g => g.Group, StringComparer.Ordinal).ToList();
            if (groups.Count == 0) return line;
            int own = watchedByGroup.Count;
            line += $" {own} of {groups.Count} group(s) had {MinGroupWindows} training windows or more and are judged by their own runs";
            if (differing.Count == 0) return line + (own > 0 ? ", which watch the same features." : ".");
            const int Listed = 5;
            var texts = differing.Take(Listed).Select(g => $"{g.Group}: {Text((int[])g.Runs, watchedByGroup[g.Group])}");
            return line + "; where they differ: " + string.Join(" | ", texts) + (differing.Count > Listed ? $" | and {differing.Count - Listed} more" : "") + ".";
        }

        /// <summary>"watched cpu (1), mem (2); not watched count (24 or more)": each numeric feature's longest training run (over all groups).</summary>
        public override string ToString() => Text(longest, watched);

        private string Text(int[] runs, int[] watching)
        {
            var on = new List<string>();
            var off = new List<string>();
            for (int c = 0; c < runs.Length; c++)
            {
                if (runs[c] < 1) continue;
                string text = $"{names[c]} ({runs[c]}{(runs[c] >= windowSize ? " or more" : "")})";
                (Array.IndexOf(watching, c) >= 0 ? on : off).Add(text);
            }
            string line = on.Count > 0 ? "watched " + string.Join(", ", on) : "no feature watched";
            return off.Count > 0 ? line + "; not watched " + string.Join(", ", off) : line;
        }

        /// <summary>
        /// The first watched column (index in the row schema) that holds one value in every row of
        /// <paramref name="window"/> (<see cref="WindowSize"/> featurized rows, oldest first), or -1; watched by the runs
        /// of <paramref name="group"/> (<see cref="RunsFor"/>). A feature named in <paramref name="imputed"/> (the features
        /// imputed in the window's newest row) is passed over: its value there is the training median that scoring
        /// filled in for a missing one, so a stretch of missing values would read as the sensor stuck at a median it never sent.
        /// </summary>
        public int Find(double[] window, IReadOnlyList<string>? imputed = null, string? group = null)
        {
            var columns = WatchedFor(group);
            for (int w = 0; w < columns.Length; w++)
            {
                int column = columns[w];
                if (imputed != null && Contains(imputed, names[column])) continue;
                int slot = slotOf[column];
                double first = window[slot];
                bool held = true;
                for (int k = 1; k < windowSize && held; k++) held = Same(window[k * rowWidth + slot], first);
                if (held) return column;
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

    /// <summary>One group's part of the stuck-value rule: its training windows and, per column, its longest run of one value (-1: not a number).</summary>
    public sealed class HeldGroup
    {
        public HeldGroup(string group, long windows, IReadOnlyList<int> runs)
        {
            Group = group ?? throw new ArgumentNullException(nameof(group));
            if (windows < 0) throw new ArgumentOutOfRangeException(nameof(windows));
            Windows = windows;
            Runs = runs ?? throw new ArgumentNullException(nameof(runs));
        }

        public string Group { get; }

        /// <summary>Training windows of the group (summed over training runs).</summary>
        public long Windows { get; internal set; }

        public IReadOnlyList<int> Runs { get; }
    }
}
