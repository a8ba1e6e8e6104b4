using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features.Windows;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>What a user chooses before training: the network's shape, the features and the seed.</summary>
    public sealed class ModelSettings
    {
        public ModelSettings(
            IReadOnlyList<int>? hiddenLayers = null,
            ActivationKind activation = ActivationKind.Relu,
            OutputActivationKind outputActivation = OutputActivationKind.Sigmoid,
            IEnumerable<string>? features = null,
            IEnumerable<string>? excludeFeatures = null,
            int? seed = null,
            bool? timeFeatures = false,
            int windowSize = 1,
            string? timeProperty = null,
            string? groupBy = null,
            TimeSpan? maxGap = null,
            bool timeGrid = false,
            string? timeZone = null,
            bool scalePerGroup = false)
        {
            if (scalePerGroup && (windowSize == 1 || string.IsNullOrWhiteSpace(groupBy)))
                throw new AutoencoderException(ErrorIds.ScalePerGroupNeedsGroup,
                    "Scaling per group scales each group's rows by that group's own training rows: give the group's column (-GroupBy) and a window size of 2 or more (-WindowSize).");
            ScalePerGroup = scalePerGroup;
            if (timeGrid && (windowSize == 1 || string.IsNullOrWhiteSpace(timeProperty)))
                throw new AutoencoderException(ErrorIds.TimeGridNeedsTime,
                    "A time grid cuts time into steps: give a window size of 2 or more (-WindowSize) and a time property (-TimeProperty).");
            TimeGrid = timeGrid;
            if (windowSize < 1 || windowSize > MaxWindowSize)
                throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, $"The window size must be between 1 and {MaxWindowSize}.");
            if (maxGap != null && maxGap.Value <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(maxGap), maxGap, "The largest gap must be a positive time span.");
            if (windowSize == 1 && (timeProperty != null || groupBy != null || maxGap != null))
                throw new AutoencoderException(ErrorIds.WindowSizeRequired,
                    "A time property, group or largest gap only matters for sliding windows: give a window size of 2 or more (-WindowSize).");
            if (timeProperty != null && groupBy != null && string.Equals(timeProperty, groupBy, StringComparison.OrdinalIgnoreCase))
                throw new AutoencoderException(ErrorIds.WindowColumnsClash, $"'{timeProperty}' can't be both the time property and the group.");
            if (!string.IsNullOrWhiteSpace(timeZone))
            {
                if (string.IsNullOrWhiteSpace(timeProperty))
                    throw new AutoencoderException(ErrorIds.TimeZoneNeedsTime,
                        "A time zone says how to read the times of the time property: give one (-TimeProperty), with -WindowSize 2 or more.");
                Zone = SeriesTime.Zone(timeZone);
                TimeZone = timeZone.Trim();
            }
            WindowSize = windowSize;
            TimeProperty = string.IsNullOrWhiteSpace(timeProperty) ? null : timeProperty;
            GroupBy = string.IsNullOrWhiteSpace(groupBy) ? null : groupBy;
            MaxGap = maxGap;
            TimeFeatures = timeFeatures ?? false;
            // Not given (null): a sliding window with a time property decides from its training rows; others have no calendar.
            TimeFeaturesAutomatic = timeFeatures == null && IsWindowed && TimeProperty != null;
            HiddenLayers = (hiddenLayers ?? NetworkArchitecture.DefaultHiddenLayers).ToArray();
            NetworkArchitecture.ValidateHiddenLayers(HiddenLayers);
            Activation = activation;
            OutputActivation = outputActivation;
            Features = features?.ToArray() ?? Array.Empty<string>();
            ExcludeFeatures = excludeFeatures?.ToArray() ?? Array.Empty<string>();
            // Without a seed, draw one and keep it, so any run can be repeated afterwards.
            Seed = seed ?? Random.Shared.Next();
            var windowColumns = new[] { TimeProperty, GroupBy }.Where(c => c != null).Select(c => c!).ToArray();
            var clash = Features.FirstOrDefault(f => windowColumns.Contains(f, StringComparer.OrdinalIgnoreCase));
            if (clash != null)
                throw new AutoencoderException(ErrorIds.WindowColumnIsFeature,
                    $"'{clash}' is the time property or the group of the sliding window, so it can't also be a feature.");
        }

        /// <summary>The most consecutive rows one window may hold.</summary>
        public const int MaxWindowSize = 1024;

        /// <summary>
        /// A gap between two consecutive rows of a group longer than this many usual intervals (the median time
        /// step of the group in training) breaks the window, unless <see cref="MaxGap"/> sets the gap itself: one
        /// missing row (a gap of two intervals, give or take a step's jitter) keeps it whole, two break it. At 1.5 a
        /// scrape missed now and then broke the window for the next WindowSize-1 rows: 3 % of single rows missing
        /// left half the rows of a window of 24 unscored (.docs/guide.md, Time series).
        /// </summary>
        public const double GapFactor = 2.5;

        /// <summary>
        /// On a time grid, a gap of up to this many steps is filled (two missing cells), unless <see cref="MaxGap"/>
        /// sets the gap itself: jittered rows are often more than 1.5 steps apart without anything missing.
        /// </summary>
        public const double GridGapFactor = 3.0;

        /// <summary>Windows of consecutive time steps, not rows (Features.Windows.SlidingWindow.PlanGrid).</summary>
        public bool TimeGrid { get; }

        public IReadOnlyList<int> HiddenLayers { get; }
        public ActivationKind Activation { get; }
        public OutputActivationKind OutputActivation { get; }

        /// <summary>Features named by the user; empty means "infer the numeric columns at training time".</summary>
        public IReadOnlyList<string> Features { get; }

        public IReadOnlyList<string> ExcludeFeatures { get; }

        /// <summary>Timestamp columns become hour-of-day and day-of-week features (otherwise they are left out).</summary>
        public bool TimeFeatures { get; }

        /// <summary>
        /// -TimeFeatures was not given, on a sliding window with a time property: training from scratch keeps the calendar
        /// of the time property only where its rows' week has a shape (Features.Windows.WeekShape); -Incremental keeps the
        /// model's. The outcome is the model's schema (<see cref="AutoencoderModel.TimeFeatures"/>).
        /// </summary>
        public bool TimeFeaturesAutomatic { get; }

        public int Seed { get; }

        /// <summary>Consecutive rows the network reads together; 1 is the row model (no windows).</summary>
        public int WindowSize { get; }

        /// <summary>The column that orders rows in time (not a feature); null: rows are taken in arrival order.</summary>
        public string? TimeProperty { get; }

        /// <summary>
        /// The time zone (IANA or Windows id, as given) whose local times are the time property's times written without an
        /// offset: a group's rows are ordered by their instants, so the hour repeated when clocks go back is no step back
        /// and the hour skipped when they go forward is no gap. Null: times are taken as written.
        /// </summary>
        public string? TimeZone { get; }

        /// <summary>The zone of <see cref="TimeZone"/>; null without one.</summary>
        public TimeZoneInfo? Zone { get; }

        /// <summary>The column whose values (hosts, sensors) each form a series of their own (not a feature); null: one series.</summary>
        public string? GroupBy { get; }

        /// <summary>
        /// Each group's numeric features are scaled by that group's own training rows (Features.GroupScaling), not by one
        /// fleet-wide scaling: the network learns each host's series in that host's units. Needs <see cref="GroupBy"/>.
        /// </summary>
        public bool ScalePerGroup { get; }

        /// <summary>
        /// Whether a model scales per group when not told (-ScalePerGroup not given): a sliding-window model with groups
        /// does. A host's verdict should not depend on which hosts share its model, and in one scaling a small host's
        /// errors are small in the fleet's units (its incidents lost with the calendar; .docs/series-probe.md, "A fleet's
        /// pages at the same minutes"). A model file keeps its own setting: one written before this default scales as it did.
        /// </summary>
        public static bool ScalesPerGroupByDefault(int windowSize, string? groupBy) => windowSize > 1 && !string.IsNullOrWhiteSpace(groupBy);

        /// <summary>The longest gap that keeps a window whole; null: <see cref="GapFactor"/> times the usual interval.</summary>
        public TimeSpan? MaxGap { get; }

        /// <summary>True when the model reads sliding windows of rows.</summary>
        public bool IsWindowed => WindowSize > 1;

        /// <summary>The time and group columns: the window's keys, never features.</summary>
        public IReadOnlyList<string> WindowColumns =>
            new[] { TimeProperty, GroupBy }.Where(c => c != null).Select(c => c!).ToArray();
    }
}
