using System;
using System.Collections.Generic;
using System.Text;
using AutoencoderPS.Engine.Features;
using static AutoencoderPS.Engine.Reporting.ReportText;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>
    /// The rows of a report that its model cannot have scored: rows judged on the raw error (a row model's, which have
    /// no alerts) whose verdict disagrees with the model's threshold (an anomaly that scores at or below it, a normal row
    /// above it), and anomalies explained by features the model does not have. The usual cause: a scored file that grew
    /// over days, reported with the model that replaced the one that scored it (or with the same model after
    /// Set-AutoencoderThreshold). The report keeps the rows' own verdicts, which are what was flagged (and alerted on)
    /// when they were scored; this model's threshold says nothing of another network's scores. It says the rows came
    /// from elsewhere instead of calling them above its threshold.
    /// </summary>
    /// <remarks>
    /// A sliding-window model's verdict is not its raw threshold's (a calibrated likelihood, a stuck feature, a burst of
    /// counts), so only the features of its rows are checked. Counter paths are compared without their machine, as a
    /// model of one machine explains another's rows by that machine's names (Features.CounterPath).
    /// </remarks>
    public sealed class ScorerMismatch
    {
        private const int NamesKept = 5;

        private readonly double threshold;
        private readonly HashSet<string> known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> unknownSeen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> unknownNames = new List<string>();
        private (long Row, double Score)? firstAtOrBelow, firstAbove;

        public ScorerMismatch(ReportModelSummary model)
        {
            if (model == null) throw new ArgumentNullException(nameof(model));
            threshold = model.Threshold;
            foreach (var name in model.ExplainedFeatures) known.Add(WithoutMachine(name));
        }

        /// <summary>Rows that disagree with the model in any way (each counted once).</summary>
        public long Rows { get; private set; }

        /// <summary>Anomalies judged on the raw error whose score is at or below the model's threshold.</summary>
        public long AnomaliesAtOrBelow { get; private set; }

        /// <summary>Normal rows judged on the raw error whose score is above the model's threshold.</summary>
        public long NormalRowsAbove { get; private set; }

        /// <summary>Anomalies explained by a feature the model does not have.</summary>
        public long UnknownFeatureRows { get; private set; }

        /// <summary>The first few features named that the model does not have, in the order seen.</summary>
        public IReadOnlyList<string> UnknownFeatures => unknownNames;

        public bool Any => Rows > 0;

        internal void Check(ReportRow row)
        {
            if (row.Score is not double score) return;
            bool disagrees = false;
            if (row.IsAlert == null && !double.IsNaN(threshold))
            {
                bool aboveThreshold = !(score <= threshold); // the scorer's rule: NaN is an anomaly
                if (row.IsAnomaly && !aboveThreshold)
                {
                    AnomaliesAtOrBelow++;
                    firstAtOrBelow ??= (row.Row, score);
                    disagrees = true;
                }
                else if (!row.IsAnomaly && aboveThreshold)
                {
                    NormalRowsAbove++;
                    firstAbove ??= (row.Row, score);
                    disagrees = true;
                }
            }
            if (row.IsAnomaly && known.Count > 0)
            {
                bool unknown = false;
                foreach (var c in row.Contributions) unknown |= IsUnknown(c.Feature);
                if (!string.IsNullOrEmpty(row.TopFeature)) unknown |= IsUnknown(row.TopFeature!);
                if (unknown)
                {
                    UnknownFeatureRows++;
                    disagrees = true;
                }
            }
            if (disagrees) Rows++;
        }

        /// <summary>
        /// What differs, as one sentence without its full stop: "3 of the 600 rows were not scored by this model at its
        /// threshold 0.0123: 3 anomalies score at or below it (row 51: score 0.0119)".
        /// </summary>
        public string Describe(long rows)
        {
            var text = new StringBuilder();
            text.Append(N(Rows)).Append(" of the ").Append(N(rows)).Append(rows == 1 ? " row" : " rows")
                .Append(Rows == 1 ? " was" : " were").Append(" not scored by this model at its threshold ").Append(Num(threshold)).Append(": ");
            var parts = new List<string>();
            if (AnomaliesAtOrBelow > 0)
                parts.Add($"{N(AnomaliesAtOrBelow)} {(AnomaliesAtOrBelow == 1 ? "anomaly scores" : "anomalies score")} at or below it " +
                          $"(row {N(firstAtOrBelow!.Value.Row)}: score {Num(firstAtOrBelow.Value.Score)})");
            if (NormalRowsAbove > 0)
                parts.Add($"{N(NormalRowsAbove)} {(NormalRowsAbove == 1 ? "row that is no anomaly scores" : "rows that are no anomalies score")} above it " +
                          $"(row {N(firstAbove!.Value.Row)}: score {Num(firstAbove.Value.Score)})");
            if (UnknownFeatureRows > 0)
                parts.Add($"{N(UnknownFeatureRows)} {(UnknownFeatureRows == 1 ? "anomaly is" : "anomalies are")} explained by features it does not have " +
                          $"({string.Join(", ", unknownNames)}{(unknownSeen.Count > unknownNames.Count ? ", ..." : "")})");
            text.Append(string.Join("; ", parts));
            return text.ToString();
        }

        private bool IsUnknown(string feature)
        {
            if (string.IsNullOrEmpty(feature) || known.Contains(WithoutMachine(feature))) return false;
            if (unknownSeen.Count <= NamesKept && unknownSeen.Add(feature) && unknownNames.Count < NamesKept) unknownNames.Add(feature);
            return true;
        }

        private static string WithoutMachine(string name) => CounterPath.TrySplit(name, out _, out var path) ? path : name;
    }
}
