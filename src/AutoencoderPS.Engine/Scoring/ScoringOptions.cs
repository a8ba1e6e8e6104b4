using System;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>How rows are batched and judged, the same for every way of scoring (pipeline, file, scheduled job).</summary>
    public sealed class ScoringOptions
    {
        /// <summary>Rows per forward pass (capped by the model's width, see AutoencoderModel.RowsPerBatch).</summary>
        public int BatchSize { get; init; } = 256;

        /// <summary>How a time-series model's verdicts are reached (row models always use the raw error).</summary>
        public ScoreCalibration Calibration { get; init; } = ScoreCalibration.Auto;

        /// <summary>
        /// With a calibration: the likelihood at and above which a row is an anomaly; null (the default) takes the
        /// model's, <see cref="AnomalyLikelihood.ThresholdFor"/> its usual interval (0.99 for 5-minute rows).
        /// </summary>
        public double? ProbabilityThreshold { get; init; }

        /// <summary>
        /// Time-series models: the quiet time between two alerts of a group; null (the default) takes the model's,
        /// <see cref="AlertCooldown.For"/> its usual interval and window (48 rows for 5-minute rows and finer, 4 hours of coarser ones, at least a window).
        /// </summary>
        public AlertCooldown? AlertCooldown { get; init; }

        internal void Validate()
        {
            if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), "BatchSize must be at least 1.");
            if (ProbabilityThreshold is { } threshold && !(threshold > 0 && threshold < 1))
                throw new ArgumentOutOfRangeException(nameof(ProbabilityThreshold), "A likelihood threshold is between 0 and 1.");
        }
    }
}
