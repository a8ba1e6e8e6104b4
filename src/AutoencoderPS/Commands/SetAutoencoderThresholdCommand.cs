using System;
using System.Collections.Generic;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Adapters;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Recalibrates a trained model's threshold without retraining: by another rule on the stored training
    /// errors, or on the errors of new normal rows (pipeline or CSV files). The model records how its
    /// threshold was chosen.
    /// </summary>
    /// <remarks>
    /// The stored training errors are the rows' set with no rows: nothing piped, no -InputObject. A set of their own (the
    /// default, taking no pipeline) left piped rows two sets that fit, the rows' and -LiteralPath's (optional, for piped
    /// files), which was AmbiguousParameterSet for each row; a mandatory -LiteralPath instead made each row piped with
    /// -Delimiter a binding error of its own, before <see cref="RecordInputCmdlet.TakePipedFile"/> could say once that
    /// rows are not files. With the rows' set the default, as in Test-Anomaly and training, both are one set each.
    /// </remarks>
    [Cmdlet(VerbsCommon.Set, "AutoencoderThreshold", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Set-AutoencoderThreshold.md")]
    [OutputType(typeof(AutoencoderModel))]
    public sealed class SetAutoencoderThresholdCommand : RecordInputCmdlet
    {
        // No rows given or piped: the threshold comes from the stored training errors (decided in BeginProcessing).
        private bool fromTrainingErrors;
        // The new rows, with the values filled in for missing ones left out of their scores as in training (created with
        // the first row, when the input's culture is known).
        private FeaturizedRows? newRows;
        // A local time repeated when clocks go back keeps both readings until all rows are read (ResolveRepeatedTimes).
        private readonly SeriesRows seriesRows = new SeriesRows();
        private long rowNumber;
        // The rule, made in BeginProcessing: a -Value it refuses is said before any row is read.
        private ThresholdRule rule = null!;
        // -Method Manual reads no input (the threshold is the -Value given); set once that has been said.
        private bool unusedInputSaid;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel Model { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        public ThresholdMethod Method { get; set; }

        /// <summary>k for MeanStd (default 1), the percentile for Percentile (99), the fraction for Contamination (0.01), the score for Manual.</summary>
        [Parameter(Position = 2)]
        public double? Value { get; set; }

        /// <summary>Normal rows; optional here: without them the threshold is set from the stored training errors.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = LiteralPathSet)]
        [AllowNull]
        public override PSObject? InputObject { get => base.InputObject; set => base.InputObject = value; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>libtorch threads for this process (used when new rows are scored).</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int? ThreadCount { get; set; }

        protected override void BeginProcessing()
        {
            ThrowIfNotTrained(Model);
            // An empty pipe ($rows | ... with no rows in $rows) expected rows: EmptyThresholdInput, not the training errors.
            fromTrainingErrors = ParameterSetName == InputObjectSet && !MyInvocation.ExpectingInput &&
                !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject));
            if (Method == ThresholdMethod.Manual && Value == null)
                ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException("-Method Manual needs the threshold itself: give -Value."),
                    ErrorIds.ThresholdValueRequired, Method));
            double value = Value ?? ThresholdRule.DefaultValue(Method);
            try
            {
                rule = new ThresholdRule(Method, value);
            }
            catch (ArgumentOutOfRangeException e)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.InvalidThresholdValue, value, $"-Value {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}: {ErrorCatalog.Sentence(e)}"));
            }
        }

        protected override void ProcessRecord()
        {
            if (fromTrainingErrors) return;
            // A piped file is read here, as a -LiteralPath of its own.
            if (NoFilePiped && InputObject == null) return;
            if (Method == ThresholdMethod.Manual)
            {
                // The threshold is the -Value given: no row is read or scored, however long the pipe (a script that piped
                // rows to it before goes on without an error); what was given is said once to be unused.
                bool file = TakePipedFile();
                if (unusedInputSaid || (!file && !ReadsFiles && InputObject == null)) return;
                unusedInputSaid = true;
                WriteWarning($"-Method Manual sets the threshold to the -Value given ({rule.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}), so the {(file || ReadsFiles ? "files" : "rows")} given " +
                    "to this call are not read. To recalibrate on new normal rows, use another -Method (Percentile, MeanStd, Contamination, ...).");
                return;
            }
            if (!TakePipedFile() && !ReadsFiles)
            {
                if (InputObject == null) return;
                Accept(new PSObjectRecord(InputObject), ++rowNumber);
                return;
            }
            ReadInputFiles(record =>
            {
                Accept(record, ++rowNumber);
                return true;
            });
        }

        protected override void EndProcessing()
        {
            ReadNamedFilesAfterAnEmptyPipe();
            ThrowIfNoFilePiped("no threshold was set and the model is unchanged", Model);

            // Every path that named no file, and every file that could not be read, was its own error above (as in
            // Test-Anomaly and Invoke-AutoencoderTraining): a second one for the same paths would say it twice.
            if (!fromTrainingErrors && Method != ThresholdMethod.Manual && rowNumber == 0 && NoInputFileRead)
            {
                WriteVerbose("No file could be read (see the errors above), so the threshold is unchanged.");
                return;
            }
            double before = Model.Threshold;
            try
            {
                if (fromTrainingErrors || Method == ThresholdMethod.Manual)
                {
                    if (!ShouldProcess(Model.ToString(), $"Set the threshold ({before:G6}) by {rule}")) return;
                    Model.SetThreshold(rule);
                }
                else
                {
                    if (newRows == null || newRows.Rows.Count == 0)
                        ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.EmptyThresholdInput,
                            rowNumber == 0 && MyInvocation.ExpectingInput && !ReadsFiles
                                ? "Nothing came through the pipeline (no rows and no files: an empty variable, or the listing of a folder without " +
                                  "exports), so there is nothing to recalibrate the threshold on, and it is unchanged. Called without a pipeline, " +
                                  "Set-AutoencoderThreshold recalibrates on the stored training errors."
                                : "No usable rows were received to recalibrate the threshold on."), Model));
                    EnsureRuntime(Model);
                    ApplyThreadCount(ThreadCount);
                    // The new rows' scores as training scores its rows (a sliding-window model: its windows, built as in
                    // training), with the values filled in for missing ones left out.
                    var errors = Model.ScoresOfNormalRows(newRows!.Rows, Model.Settings.IsWindowed ? ResolveRepeatedTimes(seriesRows.Keys) : null, newRows.Imputed, seriesRows.Before);
                    if (errors.Length == 0)
                        ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.EmptyThresholdInput,
                            $"No group of the new rows has {Model.Settings.WindowSize} consecutive rows without a gap, so there is no window to recalibrate on."), Model));
                    if (!ShouldProcess(Model.ToString(), $"Set the threshold ({before:G6}) by {rule.On(ThresholdErrors.NewRows)}, on {errors.Length:N0} new normal {(Model.Settings.IsWindowed ? "windows" : "rows")}")) return;
                    Model.SetThreshold(rule, errors, FormattableString.Invariant($"{rule.On(ThresholdErrors.NewRows)}; {errors.Length} new normal {(Model.Settings.IsWindowed ? "windows" : "rows")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
                }
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, Model));
            }
            if (newRows?.NoMeasurement > 0) WriteVerbose($"Left out {newRows.NoMeasurement:N0} row(s) with no value in any feature, as training does.");
            WriteVerbose($"Threshold {before:G6} -> {Model.Threshold:G6} ({Model.ThresholdSource}).");
            if (PassThru) WriteObject(Model);
        }

        private void Accept(IRecord record, long row)
        {
            newRows ??= new FeaturizedRows(Model.Schema!, InputCulture, MissingValuePolicy.Impute);
            try
            {
                // A row with no value in any feature (a host down): no row to learn from, as in training; a window goes on across it.
                seriesRows.Take(record, Model.Settings, Model.Schema!, InputCulture, newRows.Add);
            }
            catch (FeatureValueException e)
            {
                // A machine whose counters lack one the model reads: every row of it would be an error of its own.
                StopIfMachineLacksCounter(Model.Schema!, e, record, row, featuresFixed: true, " The threshold is unchanged.");
                WriteError(RowError(e.ReadOn(Model.Schema!.InputMachine(record), InputCulture), record, row));
            }
        }
    }
}
