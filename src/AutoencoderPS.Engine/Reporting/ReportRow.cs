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
        /// <param name="isAlert">
        /// Whether the row raised an alert (the onset of an anomalous stretch, from a sliding-window model); null when the
        /// scorer does not say (a row model), and then the report has no alerts at all.
        /// </param>
        /// <param name="probability">The row's anomaly probability, when the scorer gives one (only read for alerts).</param>
        /// <param name="group">The row's group (the model's GroupBy column), when there is one (only read for alerts).</param>
        /// <param name="topFeature">
        /// The feature with the largest share of the error (only read for anomalies: the alerts table shows it, and a
        /// feature the report's model does not have says another model scored the row).
        /// </param>
        /// <param name="noData">
        /// The row held no measurement (AnomalyStatus NoData: a host down): no score, and not a row warming up (ignored
        /// when <paramref name="score"/> is not null).
        /// </param>
        public ReportRow(long row, double? score, bool isAnomaly, DateTime? time = null,
            IReadOnlyList<FeatureContribution>? contributions = null, string? explanation = null,
            bool? isAlert = null, double? probability = null, string? group = null, string? topFeature = null, bool noData = false)
        {
            NoData = score == null && noData;
            Row = row;
            Score = score;
            IsAnomaly = score != null && isAnomaly;
            Time = time;
            Contributions = contributions ?? Array.Empty<FeatureContribution>();
            Explanation = explanation;
            IsAlert = isAlert == null ? null : score != null && isAlert.Value;
            Probability = probability;
            Group = group;
            TopFeature = topFeature;
        }

        public long Row { get; }
        public double? Score { get; }
        public bool IsAnomaly { get; }
        public DateTime? Time { get; }
        public IReadOnlyList<FeatureContribution> Contributions { get; }
        public string? Explanation { get; }

        /// <summary>Whether the row raised an alert; null when its scorer has no alerts (a row model).</summary>
        public bool? IsAlert { get; }

        public double? Probability { get; }
        public string? Group { get; }
        public string? TopFeature { get; }

        /// <summary>The row held no measurement (AnomalyStatus NoData).</summary>
        public bool NoData { get; }
    }
}
