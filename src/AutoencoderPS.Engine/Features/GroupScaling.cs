using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// A sliding-window model's scaling per group (-ScalePerGroup): each group's numeric inputs scaled by that group's own
    /// training rows, fitted as the fleet-wide <see cref="FeatureScaler"/> is (<see cref="FeatureScaler.Fit(IReadOnlyList{double[]}, IReadOnlyList{SlotKind}, ScalingMethod, int)"/>),
    /// so the network learns the shape of each host's series in that host's units, as global models of many series do
    /// (each series normalized by its own statistics). In one scaling for a fleet of hosts of different scale, an
    /// incident that keeps a small host within the fleet's range of levels reconstructs like a normal row of a larger host
    /// (.docs/series-probe.md, "A fleet in one model"). One-hot and cyclic inputs are encoded alike for every group; a
    /// counter's rate is numeric and scaled per group (a host's request rate in its own units).
    /// </summary>
    public sealed class GroupScaling
    {
        /// <summary>
        /// The fewest training rows a group needs for a scaling of its own: quartiles of fewer rows move with a few
        /// values (two days of hourly rows; four hours of 5-minute rows). A group with fewer is scaled fleet-wide.
        /// </summary>
        public const int MinRows = 48;

        public GroupScaling(FeatureScaler fleet, IReadOnlyDictionary<string, FeatureScaler> groups)
        {
            if (groups.Values.Any(g => g.Count != fleet.Count || g.Method != fleet.Method))
                throw new ArgumentException("Each group's scaling must have the fleet's method and one entry per input.", nameof(groups));
            Fleet = fleet;
            Groups = new Dictionary<string, FeatureScaler>(groups, StringComparer.Ordinal);
        }

        /// <summary>The fleet-wide scaling: for groups training saw too few rows of, and groups it never saw.</summary>
        public FeatureScaler Fleet { get; }

        /// <summary>The groups with a scaling of their own (group keys as the window keys hold them).</summary>
        public IReadOnlyDictionary<string, FeatureScaler> Groups { get; }

        /// <summary>The scaling of <paramref name="group"/>: its own, else the fleet's.</summary>
        public FeatureScaler For(string? group) => group != null && Groups.TryGetValue(group, out var own) ? own : Fleet;

        /// <summary>True when <paramref name="group"/> has a scaling of its own.</summary>
        public bool Has(string? group) => group != null && Groups.ContainsKey(group);

        /// <summary>
        /// Fits each group's scaling on its rows (<paramref name="rowGroups"/>: one group per row, null for a row in no
        /// window) with the fleet's method; a group with fewer than <see cref="MinRows"/> rows gets none. A numeric input
        /// that does not vary within a group's rows (a disk that never filled) keeps the fleet's scale around the group's
        /// centre: a scale of 1 in the data's units would make any change of it huge. The groups of
        /// <paramref name="previous"/> (an incremental run) keep their scaling; new groups with enough rows get theirs.
        /// </summary>
        public static GroupScaling Fit(FeatureScaler fleet, IReadOnlyList<double[]> rows, IReadOnlyList<string?> rowGroups, IReadOnlyList<SlotKind> kinds,
            int threads = 1, GroupScaling? previous = null)
        {
            if (rowGroups.Count != rows.Count) throw new ArgumentException("One group per row.", nameof(rowGroups));
            var byGroup = new Dictionary<string, List<double[]>>(StringComparer.Ordinal);
            for (int i = 0; i < rows.Count; i++)
            {
                if (rowGroups[i] is not { } group) continue;
                if (!byGroup.TryGetValue(group, out var list)) byGroup[group] = list = new List<double[]>();
                list.Add(rows[i]);
            }
            var groups = new Dictionary<string, FeatureScaler>(previous?.Groups ?? new Dictionary<string, FeatureScaler>(), StringComparer.Ordinal);
            foreach (var (group, own) in byGroup.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (groups.ContainsKey(group) || own.Count < MinRows) continue;
                var fitted = FeatureScaler.Fit(own, kinds, fleet.Method, threads);
                var offset = fitted.Offset.ToArray();
                var scale = fitted.Scale.ToArray();
                for (int j = 0; j < kinds.Count; j++)
                {
                    if (kinds[j] != SlotKind.Numeric) continue;
                    double low = double.PositiveInfinity, high = double.NegativeInfinity;
                    foreach (var row in own) { low = Math.Min(low, row[j]); high = Math.Max(high, row[j]); }
                    if (!(high - low > 1e-12)) scale[j] = fleet.Scale[j];
                }
                groups[group] = new FeatureScaler(fleet.Method, offset, scale, kinds);
            }
            return new GroupScaling(fleet, groups);
        }

        /// <summary>
        /// Each scaling with the training range of its curved inputs (<see cref="FeatureScaler.WithRange"/>): the fleet's from
        /// every row, a group's from its own rows, widened to include <paramref name="previous"/>'s.
        /// </summary>
        public GroupScaling WithRange(IReadOnlyList<double[]> rows, IReadOnlyList<string?> rowGroups, GroupScaling? previous = null)
        {
            var fleet = Fleet.WithRange(rows, previous: previous?.Fleet ?? Fleet);
            var rowsOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < rows.Count; i++)
                if (rowGroups[i] is { } g && Groups.ContainsKey(g))
                {
                    if (!rowsOf.TryGetValue(g, out var list)) rowsOf[g] = list = new List<int>();
                    list.Add(i);
                }
            var groups = new Dictionary<string, FeatureScaler>(StringComparer.Ordinal);
            foreach (var (group, scaler) in Groups)
                groups[group] = scaler.WithRange(rows, rowsOf.TryGetValue(group, out var own) ? own : new List<int>(),
                    previous != null && previous.Groups.TryGetValue(group, out var before) ? before : scaler);
            return new GroupScaling(fleet, groups);
        }

        /// <summary>Per row, the scaling of its group (<paramref name="groups"/>, one per row).</summary>
        public FeatureScaler[] PerRow(IReadOnlyList<string?> groups)
        {
            var each = new FeatureScaler[groups.Count];
            for (int i = 0; i < each.Length; i++) each[i] = For(groups[i]);
            return each;
        }

        /// <summary>
        /// In a sentence, for training's verbose notes: how many groups have a scaling of their own, and which of
        /// <paramref name="trained"/> (the groups of the run) are scaled fleet-wide.
        /// </summary>
        public string Describe(IEnumerable<string>? trained)
        {
            var fleetWide = Unseen(trained ?? Array.Empty<string>());
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            string text = $"Scaled per group: {Groups.Count.ToString(invariant)} group(s) by their own training rows";
            if (fleetWide.Count == 0) return text + ".";
            return text + $"; {Text.PrintableText.QuotedList(fleetWide)} by the whole fleet's (fewer than {MinRows.ToString(invariant)} training rows).";
        }

        /// <summary>The groups of <paramref name="groups"/> with no scaling of their own, each once, in order.</summary>
        public IReadOnlyList<string> Unseen(IEnumerable<string?> groups) =>
            groups.Where(g => g != null && !Groups.ContainsKey(g)).Select(g => g!).Distinct(StringComparer.Ordinal).ToArray();
    }
}
