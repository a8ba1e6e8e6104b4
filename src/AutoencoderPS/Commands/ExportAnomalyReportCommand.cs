using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Reporting;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Adapters;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Writes scored rows (the output of Test-Anomaly) as one self-contained HTML report. Each row is read as it
    /// arrives and reduced to what the report needs (see <see cref="AnomalyReport"/> for what is kept per row); the
    /// file is written atomically when the input ends.
    /// </summary>
    [Cmdlet(VerbsData.Export, "AnomalyReport", SupportsShouldProcess = true, DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Export-AnomalyReport.md")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportAnomalyReportCommand : AutoencoderCmdlet
    {
        private AnomalyReport? report;
        private string target = "";
        private long rowNumber;
        private bool sawAnyRow;

        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The HTML file to write; a wildcard pattern must match one existing file (as Out-File's -Path).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>The HTML file to write, its name taken as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = "";

        /// <summary>The model that scored the rows: its threshold and summary go into the report.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel Model { get; set; } = null!;

        /// <summary>A scored row (from Test-Anomaly).</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>The property with each row's time: the chart's x axis. Without it, the x axis is the row number.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TimeProperty { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Title { get; set; }

        /// <summary>At most this many anomalous rows in the table (those with the highest scores).</summary>
        [Parameter]
        [ValidateRange(0, 1_000_000)]
        public int MaxTableRows { get; set; } = AnomalyReport.DefaultMaxTableRows;

        /// <summary>
        /// Culture of numbers and dates in rows read back from a scored file (Import-Csv): a file written with -Culture
        /// de-DE has "0,0024". Without it, the invariant culture; the score columns the module wrote are read in any culture.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(CultureCompleter))]
        [ValidateKnownCulture]
        public CultureInfo? Culture { get; set; }

        private CultureInfo RowCulture => Culture ?? DataCulture;

        /// <summary>Don't replace an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Replace a read-only file too (it stays read-only); any other existing file is replaced without it.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the written file.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            ThrowIfNotTrained(Model);
            target = ResolveTarget();
            string? folder = System.IO.Path.GetDirectoryName(target);
            if (folder != null && !Directory.Exists(folder))
                ThrowTerminatingError(ErrorCatalog.Record(new DirectoryNotFoundException($"The folder '{folder}' does not exist."),
                    ErrorIds.ReportFolderNotFound, target));
            if (Directory.Exists(target))
                ThrowTerminatingError(ErrorCatalog.Record(new IOException($"'{target}' is a folder; give a file path such as '{System.IO.Path.Combine(target, "report.html")}'."),
                    ErrorIds.ReportPathIsFolder, target));
            if (ReplaceRefusal(target, NoClobber, Force, ErrorIds.ReportFileExists) is { } refusal) ThrowTerminatingError(refusal);
            ReportModelSummary summary;
            try
            {
                summary = ReportModelSummary.From(Model);
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, Model));
                return;
            }
            report = new AnomalyReport(summary, TimeProperty != null, Title, MaxTableRows);
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null || report == null) return;
            sawAnyRow = true;
            long row = ++rowNumber;
            var record = new PSObjectRecord(InputObject);
            ThrowIfFirstRowsLack(record, row, nameof(TimeProperty), TimeProperty);

            if (!record.TryGetValue("AnomalyScore", out var scoreValue))
            {
                Reject(new ArgumentException($"Row {row} has no AnomalyScore property: it is not scored. Pipe the rows through Test-Anomaly first."),
                    ErrorIds.RowNotScored, row);
                return;
            }
            if (!TryReadScore(scoreValue, out double? score))
            {
                Reject(new ArgumentException($"Row {row}: AnomalyScore '{Text(scoreValue)}' is not a number.{ScoreColumns.CultureHint(Unwrap(scoreValue), RowCulture)}"), ErrorIds.InvalidAnomalyScore, row);
                return;
            }

            DateTime? time = null;
            if (TimeProperty != null)
            {
                if (!record.TryGetValue(TimeProperty, out var timeValue))
                {
                    Reject(new ArgumentException($"Row {row} has no '{TimeProperty}' property for -TimeProperty."), ErrorIds.TimePropertyMissing, row);
                    return;
                }
                if (!TimestampParser.TryRead(timeValue, RowCulture, out var parsed))
                {
                    Reject(new ArgumentException($"Row {row}: column '{TimeProperty}' value '{Text(timeValue)}' is not a date and time{TimestampParser.WhyNotATime(timeValue, RowCulture)}."),
                        TimestampParser.IsTimeOfDay(timeValue) ? ErrorIds.TimeWithoutDate : ErrorIds.InvalidTimestampValue, row);
                    return;
                }
                time = parsed;
            }

            bool isAnomaly;
            if (score == null) isAnomaly = false;
            else if (!record.TryGetValue("IsAnomaly", out var verdict) || verdict == null || (verdict is string s && s.Trim().Length == 0))
                isAnomaly = !(score <= Model.Threshold); // the scorer's rule, when the verdict is not there
            else if (!TryReadBoolean(verdict, out isAnomaly))
            {
                Reject(new ArgumentException($"Row {row}: IsAnomaly '{Text(verdict)}' is not true or false."), ErrorIds.InvalidIsAnomaly, row);
                return;
            }

            // Rows of a sliding-window model say whether they raised an alert; rows of a row model don't, and have no alerts.
            bool? isAlert = null;
            if (record.TryGetValue(ScoreColumns.IsAlert, out var alertValue))
            {
                if (IsEmpty(alertValue)) isAlert = false;
                else if (TryReadBoolean(Unwrap(alertValue)!, out bool alert)) isAlert = alert;
                else
                {
                    Reject(new ArgumentException($"Row {row}: IsAlert '{Text(alertValue)}' is not true or false."), ErrorIds.InvalidIsAlert, row);
                    return;
                }
            }

            // Only anomalies carry their explanation into the report (and only the table's share of them stays); their
            // features also tell whether this model can have scored them.
            IReadOnlyList<FeatureContribution>? contributions = null;
            string? explanation = null, topFeature = null;
            if (isAnomaly)
            {
                if (record.TryGetValue("AnomalyContributions", out var value)) contributions = ReadContributions(value);
                if (record.TryGetValue("AnomalyExplanation", out var text) && text != null) explanation = Text(text);
                if (record.TryGetValue(ScoreColumns.TopFeature, out var featureValue) && !IsEmpty(featureValue)) topFeature = Text(featureValue);
            }

            // An alert also shows its probability and group.
            double? probability = null;
            string? group = null;
            if (isAlert == true && score != null)
            {
                if (record.TryGetValue(ScoreColumns.Probability, out var probabilityValue) && !TryReadScore(probabilityValue, out probability))
                {
                    Reject(new ArgumentException($"Row {row}: AnomalyProbability '{Text(probabilityValue)}' is not a number.{ScoreColumns.CultureHint(Unwrap(probabilityValue), RowCulture)}"), ErrorIds.InvalidAnomalyProbability, row);
                    return;
                }
                if (Model.Settings.GroupBy is string groupBy) { if (record.TryGetValue(groupBy, out var groupValue) && !IsEmpty(groupValue)) group = Text(groupValue); }
                // Without a group column, each machine's performance counters are a series of their own: the row's machine
                // (the model's own too, so that a report of several hosts names every alert's).
                else if (Model.Settings.IsWindowed && CounterPath.SoleMachine(record.ColumnNames) is { } machine) group = machine;
            }
            // A row that held no measurement has no score either, and is not warming up.
            bool noData = score == null && record.TryGetValue(ScoreColumns.Status, out var statusValue) &&
                          ScoreColumns.ReadStatus(Text(statusValue)) == WindowStatus.NoData;
            report.Add(new ReportRow(row, score, isAnomaly, time, contributions, explanation, isAlert, probability, group, topFeature, noData));
        }

        protected override void EndProcessing()
        {
            if (report == null) return;
            if (!sawAnyRow)
                ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.NoScoredRows,
                    "No rows were received, so there is nothing to report. Pipe the output of Test-Anomaly to Export-AnomalyReport."), null));
            if (report.Rows == 0)
                ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.NoScoredRows,
                    $"None of the {rowNumber} rows could be read (see the errors above), so no report was written."), null));
            // Rows scored by another model, or at another threshold (a scored file that outlived its model): said here and in the report.
            if (report.Mismatch.Any)
                WriteWarning(report.Mismatch.Describe(report.Rows) + ". The report shows each row's own verdict and says the rows were scored by another model; " +
                    "give -Model the model that scored them, or score them with this one (Test-Anomaly) to judge them by it.");
            if (!ShouldProcess(target, $"Write an anomaly report of {report.Rows} rows ({report.Anomalies} anomalies)")) return;
            try
            {
                report.Save(target);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.ReportFileWriteFailed, target,
                    $"Could not write the report to '{target}': {e.Message} Any previous file there is unchanged."));
            }
            WriteVerbose($"Wrote a report of {report.Rows} rows ({report.Anomalies} anomalies, {report.WarmingUpRows} warming up, {report.NoDataRows} without values, {report.RejectedRows} rejected) to '{target}'.");
            if (PassThru) WriteObject(new FileInfo(target));
        }

        private void Reject(Exception e, string errorId, long row)
        {
            report!.RejectedRows++;
            var error = ErrorCatalog.Record(e, errorId, InputObject);
            error.ErrorDetails = new ErrorDetails(e.Message)
            {
                RecommendedAction = errorId == ErrorIds.RowNotScored
                    ? "Score the rows with Test-Anomaly and pipe its output to Export-AnomalyReport."
                    : "Fix or remove the value; the other rows go into the report.",
            };
            WriteError(error);
        }

        private string ResolveTarget()
        {
            string path = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
            try
            {
                string resolved = ResolveOutputFile(path, ParameterSetName == LiteralPathSet, out ProviderInfo provider);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException($"'{path}' is not a file-system path."),
                        ErrorIds.ReportPathNotFileSystem, path));
                return resolved;
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is ArgumentException)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.ReportPathInvalid, path));
                return "";
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, path));
                return "";
            }
        }

        // A score is a number (NaN included: the scorer calls it an anomaly); null or empty text is a row without a score yet.
        private bool TryReadScore(object? value, out double? score)
        {
            score = null;
            switch (value)
            {
                case null: return true;
                case double d: score = d; return true;
                case float f: score = f; return true;
                case string s when s.Trim().Length == 0: return true;
                case string s when s.Trim().Equals("NaN", StringComparison.OrdinalIgnoreCase): score = double.NaN; return true;
            }
            if (ScoreColumns.TryReadNumber(value, RowCulture, out double number) != NumberParser.Outcome.Number) return false;
            score = number;
            return true;
        }

        private static bool TryReadBoolean(object value, out bool result)
        {
            switch (value)
            {
                case bool b: result = b; return true;
                case string s when bool.TryParse(s.Trim(), out result): return true;
                default:
                    if (NumberParser.TryRead(value, DataCulture, out double number) == NumberParser.Outcome.Number)
                    {
                        result = number != 0;
                        return true;
                    }
                    result = false;
                    return false;
            }
        }

        // Contributions from Test-Anomaly, or the same read back (Import-Clixml) as property bags.
        private static IReadOnlyList<FeatureContribution>? ReadContributions(object? value)
        {
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is IReadOnlyList<FeatureContribution> direct) return direct;
            if (value is not IEnumerable items || value is string) return null;
            var list = new List<FeatureContribution>();
            foreach (var item in items)
            {
                switch (item)
                {
                    case FeatureContribution c: list.Add(c); break;
                    case PSObject p when p.BaseObject is FeatureContribution c: list.Add(c); break;
                    case PSObject p:
                        var feature = p.Properties["Feature"]?.Value;
                        if (feature == null) continue;
                        NumberParser.TryRead(Unwrap(p.Properties["Share"]?.Value), DataCulture, out double share);
                        list.Add(new FeatureContribution(Text(feature), double.IsFinite(share) ? share : 0,
                            Unwrap(p.Properties["Observed"]?.Value) ?? "", Unwrap(p.Properties["Expected"]?.Value) ?? ""));
                        break;
                }
            }
            return list;
        }

        private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;

        private static bool IsEmpty(object? value) => Unwrap(value) is null || (Unwrap(value) is string s && s.Trim().Length == 0);

        private static string Text(object? value) => Convert.ToString(Unwrap(value), CultureInfo.InvariantCulture) ?? "";
    }
}
