using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>One scored row as an anomaly report sees it: where it lies on the x axis, its score and verdict, and why.</summary>
    public sealed class ReportRow
    {
        /// <param name="row">The row's number in the input, from 1.</param>
        /// <param name="score">The anomaly score; null for a row that has no score yet (a window still warming up).</param>
        /// <param name="isAnomaly">The verdict of the scorer (ignored when <paramref name="score"/> is null).</param>
        /// <param name="time">The row's time, when the report has a time axis.</param>
        /// <param name="contributions">The top features with observed and expected values (only read for anomalies).</param>
        /// <param name="explanation">The explanation as text, shown when there are no <paramref name="contributions"/>.</param>
        public ReportRow(long row, double? score, bool isAnomaly, DateTime? time = null,
            IReadOnlyList<FeatureContribution>? contributions = null, string? explanation = null)
        {
            Row = row;
            Score = score;
            IsAnomaly = score != null && isAnomaly;
            Time = time;
            Contributions = contributions ?? Array.Empty<FeatureContribution>();
            Explanation = explanation;
        }

        public long Row { get; }
        public double? Score { get; }
        public bool IsAnomaly { get; }
        public DateTime? Time { get; }
        public IReadOnlyList<FeatureContribution> Contributions { get; }
        public string? Explanation { get; }
    }
}
