using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Adapters;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Compares scored rows with known labels: confusion counts, accuracy, precision, recall, F1 (the
    /// anomaly class is the positive class) and ROC-AUC of the scores.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "AnomalyDetection", HelpUri = HelpLinks.Base + "Measure-AnomalyDetection.md")]
    [OutputType(typeof(DetectionMetrics))]
    public sealed class MeasureAnomalyDetectionCommand : AutoencoderCmdlet
    {
        private readonly List<bool> labels = new List<bool>();
        private readonly List<bool> predictions = new List<bool>();
        private readonly List<double> scores = new List<double>();
        private long rowNumber;

        /// <summary>The property that holds each row's true label.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string LabelProperty { get; set; } = "";

        /// <summary>The label value that marks a true anomaly (compared as text, ignoring case).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public object AnomalyLabel { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ScoreProperty { get; set; } = "AnomalyScore";

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PredictionProperty { get; set; } = "IsAnomaly";

        /// <summary>
        /// Culture of the scores in rows read back from a scored file (Import-Csv): a file written with -Culture de-DE has
        /// "0,0024". Without it, the invariant culture; the score columns the module wrote are read in any culture.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(CultureCompleter))]
        [ValidateKnownCulture]
        public CultureInfo? Culture { get; set; }

        private CultureInfo RowCulture => Culture ?? DataCulture;

        private long warmingUp;
        private long noData;

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            rowNumber++;
            var record = new PSObjectRecord(InputObject);
            ThrowIfFirstRowsLack(record, rowNumber, nameof(LabelProperty), LabelProperty);
            ThrowIfFirstRowsLack(record, rowNumber, nameof(ScoreProperty), ScoreProperty);
            ThrowIfFirstRowsLack(record, rowNumber, nameof(PredictionProperty), PredictionProperty);
            // A row of a sliding-window model that is still warming up, or holds no measurement, has no score to measure.
            if (record.TryGetValue(ScoreColumns.Status, out var status) && ScoreColumns.ReadStatus(Text(status)) is { } said && said != WindowStatus.Scored)
            {
                if (said == WindowStatus.NoData) noData++;
                else warmingUp++;
                return;
            }
            if (!record.TryGetValue(LabelProperty, out var label))
            {
                WriteMissing(LabelProperty);
                return;
            }
            bool hasScore = record.TryGetValue(ScoreProperty, out var scoreValue);
            // The module's own score columns are read as it wrote them, in any culture (ScoreColumns.TryReadNumber).
            bool own = string.Equals(ScoreProperty, ScoreColumns.Score, StringComparison.OrdinalIgnoreCase) ||
                       string.Equals(ScoreProperty, ScoreColumns.Probability, StringComparison.OrdinalIgnoreCase);
            object? plain = scoreValue is PSObject wrapped ? wrapped.BaseObject : scoreValue;
            if (!hasScore || (own ? ScoreColumns.TryReadNumber(plain, RowCulture, out double score) : NumberParser.TryRead(plain, RowCulture, out score)) != NumberParser.Outcome.Number)
            {
                WriteMissing(ScoreProperty, hasScore, scoreValue, "a number", hasScore ? ScoreColumns.CultureHint(plain, RowCulture) : "");
                return;
            }
            bool hasPrediction = record.TryGetValue(PredictionProperty, out var predictionValue);
            if (!hasPrediction || !TryReadBoolean(predictionValue, out bool predicted))
            {
                WriteMissing(PredictionProperty, hasPrediction, predictionValue, "True or False");
                return;
            }
            labels.Add(string.Equals(Text(label), Text(AnomalyLabel), StringComparison.OrdinalIgnoreCase));
            predictions.Add(predicted);
            scores.Add(score);
        }

        protected override void EndProcessing()
        {
            if (labels.Count == 0)
                ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.NoScoredRows,
                    $"No usable scored rows were received. Pipe the output of Test-Anomaly, with a '{LabelProperty}' property, to Measure-AnomalyDetection."), null));
            if (warmingUp > 0) WriteVerbose($"Left out {warmingUp} warming-up row(s) of a sliding-window model: they have no score.");
            if (noData > 0) WriteVerbose($"Left out {noData} row(s) of a sliding-window model with no values (AnomalyStatus NoData): they have no score.");
            var metrics = DetectionMetrics.Compute(labels, predictions, scores);
            if (metrics.TruePositive + metrics.FalseNegative == 0)
                WriteWarning($"No row has {LabelProperty} = '{AnomalyLabel}', so recall and ROC-AUC are undefined. Check -AnomalyLabel.");
            WriteObject(metrics);
        }

        private void WriteMissing(string property, bool present = false, object? value = null, string expected = "", string hint = "")
        {
            // A value that is there but can't be read is named: the user looks for it, not for a missing column.
            string text = Text(value);
            var e = new ArgumentException(present && text.Length > 0
                ? $"Row {rowNumber}: property '{property}' has the value '{text}', which is not {expected}.{hint}"
                : $"Row {rowNumber}: property '{property}' is missing or has no usable value.");
            WriteError(ErrorCatalog.Record(e, ErrorIds.ScoredRowPropertyMissing, InputObject));
        }

        private static string Text(object? value) =>
            Convert.ToString(value is PSObject p ? p.BaseObject : value, CultureInfo.InvariantCulture)?.Trim() ?? "";

        private static bool TryReadBoolean(object? value, out bool result)
        {
            switch (value)
            {
                case bool b: result = b; return true;
                case string s when bool.TryParse(s.Trim(), out result): return true;
                default:
                    if (NumberParser.TryRead(value, CultureInfo.InvariantCulture, out double number) == NumberParser.Outcome.Number)
                    {
                        result = number != 0;
                        return true;
                    }
                    result = false;
                    return false;
            }
        }
    }
}
