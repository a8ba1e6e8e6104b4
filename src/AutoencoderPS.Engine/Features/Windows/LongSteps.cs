using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// The longest time step that is part of an irregular series' rhythm, which keeps a window whole: the 99.5th
    /// percentile of a group's steps in training, but at most <see cref="ModelSettings.GapFactor"/> times their 90th
    /// percentile, kept where that is longer than <see cref="ModelSettings.GapFactor"/> usual intervals (median steps).
    /// It is the regular rule widened by the series' own spread: a regular series (a scrape every 5 minutes, a row missing
    /// now and then, an outage now and then) has a 90th percentile of one interval, so its limit stays 2.5 intervals and
    /// its outages break its windows, however many; a series whose rows come 5 to 45 minutes apart (traffic sensors,
    /// event-driven exports), whose windows broke at nearly every fourth row, keeps them whole up to its 45 minutes, and
    /// an outage longer than 2.5 times its long-but-common steps still breaks them. Not on a time grid, which fills a gap
    /// with values of its own.
    /// </summary>
    public sealed class LongSteps
    {
        /// <summary>The share of a series' steps at or below its long step (before the cap).</summary>
        public const double Quantile = 0.995;

        /// <summary>The share of a series' steps whose longest, times <see cref="ModelSettings.GapFactor"/>, caps the long step.</summary>
        public const double BulkQuantile = 0.9;

        /// <summary>
        /// The fewest steps a long step is learned from: ten steps above the 90th percentile that caps it. (A short
        /// baseline is common: NAB's probation is 15 % of a series, 170-375 rows of its traffic sensors.) The 99.5th
        /// percentile leaves the longest step out at any count (the second longest below 202 steps), and the cap bounds
        /// what is left.
        /// </summary>
        public const int MinSteps = 100;

        public static LongSteps None { get; } = new LongSteps(new Dictionary<string, TimeSpan>(), null);

        public LongSteps(IReadOnlyDictionary<string, TimeSpan> groups, TimeSpan? all)
        {
            Groups = groups;
            All = all;
        }

        /// <summary>Each irregular group's long step (the groups whose steps are regular have none).</summary>
        public IReadOnlyDictionary<string, TimeSpan> Groups { get; }

        /// <summary>The long step of all groups' steps together, for a group training did not see; null when regular.</summary>
        public TimeSpan? All { get; }

        public bool IsEmpty => Groups.Count == 0 && All == null;

        /// <summary>
        /// The long step of <paramref name="group"/>: its own when training saw it (it has an interval in
        /// <paramref name="intervals"/>), else that of all groups; null when regular.
        /// </summary>
        public TimeSpan? For(string group, IReadOnlyDictionary<string, TimeSpan> intervals) =>
            intervals.ContainsKey(group) ? (Groups.TryGetValue(group, out var own) ? own : null) : All;

        /// <summary>
        /// The long step of <paramref name="steps"/> (ticks, any order; sorted in place) whose usual interval is
        /// <paramref name="interval"/>: null with fewer than <see cref="MinSteps"/> steps, or when it is no longer than
        /// <see cref="ModelSettings.GapFactor"/> intervals (a regular series).
        /// </summary>
        public static TimeSpan? Of(List<long> steps, TimeSpan interval)
        {
            if (steps.Count < MinSteps) return null;
            steps.Sort();
            long rhythm = steps[(int)Math.Floor(Quantile * (steps.Count - 1))];
            long bulk = steps[(int)Math.Floor(BulkQuantile * (steps.Count - 1))];
            long step = Math.Min(rhythm, (long)(bulk * ModelSettings.GapFactor));
            return step > interval.Ticks * ModelSettings.GapFactor ? TimeSpan.FromTicks(step) : null;
        }
    }
}
