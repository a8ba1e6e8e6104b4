using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// The longest time step that is part of an irregular series' rhythm: the 99.5th percentile of a group's steps in
    /// training, kept where it is longer than <see cref="ModelSettings.GapFactor"/> usual intervals. A gap up to it keeps
    /// a window whole. A regular series (a scrape every 5 minutes, a row missing now and then) has none, and its windows
    /// break at <see cref="ModelSettings.GapFactor"/> intervals as before; a series whose rows come 5 to 45 minutes apart
    /// (traffic sensors, event-driven exports) broke its window at nearly every fourth row, so nearly nothing was scored.
    /// One step in 200 may still be longer (an outage breaks the window, as it should). Not on a time grid, which fills a
    /// gap with values of its own.
    /// </summary>
    public sealed class LongSteps
    {
        /// <summary>The share of a series' steps at or below its long step.</summary>
        public const double Quantile = 0.995;

        /// <summary>The fewest steps a long step is learned from: the percentile leaves at least the two longest out.</summary>
        public const int MinSteps = 400;

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
            long at = steps[(int)Math.Floor(Quantile * (steps.Count - 1))];
            return at > interval.Ticks * ModelSettings.GapFactor ? TimeSpan.FromTicks(at) : null;
        }
    }
}
