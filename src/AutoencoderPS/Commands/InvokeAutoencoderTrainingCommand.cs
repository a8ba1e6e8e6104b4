using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Adapters;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>Trains a model on normal rows (pipeline or CSV files) and sets its anomaly threshold.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AutoencoderTraining", DefaultParameterSetName = InputObjectSet, HelpUri = HelpLinks.Base + "Invoke-AutoencoderTraining.md")]
    [OutputType(typeof(TrainingResult))]
    [OutputType(typeof(AutoencoderModel))]
    public sealed class InvokeAutoencoderTrainingCommand : RecordInputCmdlet
    {
        // Column roles are inferred from the leading rows (RoleSample: 1,000, more while a column has had no value yet);
        // every row is then checked as it arrives and kept as one number per column, not as a PSObject.
        private RoleSample? sample;
        private readonly List<long> pendingRows = new List<long>();
        // The window's time and group columns (keys, never features), each with why; known from the first row.
        private Dictionary<string, string>? keyColumns;
        // Columns left out as empty in a sample that stopped at its bound, and how many values each held in the rows after.
        private Dictionary<string, long>? emptyInSample;
        // -Incremental: the rows, read by the model's fitted schema (created with the first row, when the input's culture is known).
        private FeaturizedRows? incrementalRows;
        // The time column's slash dates, to tell a day-first export read month first (or the reverse) once all are read.
        private readonly SlashDateOrder slashDates = new SlashDateOrder();
        // Sliding windows: each kept row's group and time, in order, and the rows left out before each (a counter's rate
        // without a time property spans them). A local time repeated when clocks go back keeps both readings until all rows
        // are read (ResolveRepeatedTimes).
        private readonly SeriesRows seriesRows = new SeriesRows();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private TrainingSetBuilder? builder;
        private long rowNumber;
        private int rejected;
        // Rows with no value in any feature (FeatureSchema.HoldsNoMeasurement): left out, as no observation.
        private long noMeasurement;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel Model { get; set; } = null!;

        [Parameter]
        [ValidateRange(1, 100000)]
        public int? Epochs { get; set; }

        [Parameter]
        [ValidateRange(1, 1048576)]
        public int? BatchSize { get; set; }

        [Parameter]
        [ValidateRange(1e-7, 10.0)]
        public double LearningRate { get; set; } = 1e-3;

        /// <summary>Mse (default) or Mae. Mae cannot learn one-hot categories: their inputs are 0 in most rows.</summary>
        [Parameter]
        public LossKind Loss { get; set; } = LossKind.Mse;

        [Parameter]
        public ScalingMethod Scaling { get; set; } = ScalingMethod.RobustSigmoid;

        /// <summary>
        /// Residual (default): each feature's error counts in units of its typical training error, so a noisy feature does
        /// not drown a broken correlation between tied ones. None: every network input counts alike. With -Incremental, the
        /// model's own unless given.
        /// </summary>
        [Parameter]
        public ErrorWeighting ErrorWeighting { get; set; } = ErrorWeighting.Residual;

        /// <summary>Percentile (99) by default, Contamination when -Contamination is above 0; MeanStd is the seed recipe's rule.</summary>
        [Parameter]
        public ThresholdMethod ThresholdMethod { get; set; } = ThresholdMethod.Percentile;

        /// <summary>
        /// The share of outliers expected in the training rows (0 to 0.5). Robust training leaves that share of rows out
        /// after warm-up, and the threshold becomes the Contamination rule at that share. Not given: estimated from the
        /// warm-up errors. 0: the baseline is clean, nothing is left out.
        /// </summary>
        [Parameter]
        [ValidateRange(0.0, 0.5)]
        public double? Contamination { get; set; }

        /// <summary>k for MeanStd (default 1), the percentile for Percentile and NormalPercentile (99), the fraction for Contamination (0.01, or -Contamination), the score for Manual.</summary>
        [Parameter]
        public double? ThresholdValue { get; set; }

        /// <summary>Reject rows with missing values instead of imputing the training median.</summary>
        [Parameter]
        public SwitchParameter RejectMissing { get; set; }

        /// <summary>Train a trained model further on new rows, keeping its features, scaling and network.</summary>
        [Parameter]
        public SwitchParameter Incremental { get; set; }

        /// <summary>libtorch threads for this process.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int? ThreadCount { get; set; }

        /// <summary>
        /// Threads that train together: a batch of at least 1,024 rows per thread is split between them (each computes its
        /// part's gradient), and so are the passes over every training row. Small batches train on one thread.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private MissingValuePolicy Policy => RejectMissing ? MissingValuePolicy.Reject : MissingValuePolicy.Impute;

        protected override void BeginProcessing()
        {
            ThrowIfDisposed(Model);
            if (Incremental && !Model.IsTrained)
                ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.ModelNotTrained,
                    "-Incremental trains a trained model further, but this model is not trained yet. Train it once without -Incremental."), Model));
            if (Incremental)
                WriteVerbose($"Incremental training: keeping the features ({string.Join(", ", Model.Features)}), scaling and network; starting from the current weights.");
            else if (Model.IsTrained)
                WriteVerbose("The model is already trained; this run trains a new network and replaces it when it finishes (use -Incremental to train it further).");
        }

        protected override void ProcessRecord()
        {
            // A piped file is read here, as a -LiteralPath of its own.
            if (NoFilePiped && InputObject == null) return;
            if (!TakePipedFile() && !ReadsFiles)
            {
                if (InputObject == null) return;
                Accept(new PSObjectRecord(InputObject), ++rowNumber);
                return;
            }
            ReadInputFiles(record =>
            {
                if (stopping.IsCancellationRequested) return false;
                Accept(record, ++rowNumber);
                return true;
            });
        }

        protected override void EndProcessing()
        {
            ReadNamedFilesAfterAnEmptyPipe();
            ThrowIfNoFilePiped("nothing was trained and the model is unchanged", Model);
            // Every path that named no file, and every file that could not be read, was its own non-terminating error
            // (InputFileNotFound, EmptyCsvFile, ...), as in Test-Anomaly; a second error for the same paths would say it
            // twice. The model stays as it was.
            if (rowNumber == 0 && NoInputFileRead)
            {
                WriteVerbose("No training file could be read (see the errors above), so nothing was trained; the model is unchanged.");
                return;
            }
            IReadOnlyList<double[]> rows;
            FeatureSchema schema;
            ImputedCells imputed;
            // A time grid's features missing in much of training are told of once its cells are known (below).
            TrainingSet? mostlyMissing = null;
            if (Incremental)
            {
                schema = Model.Schema!;
                incrementalRows ??= new FeaturizedRows(schema, InputCulture, Policy);
                rows = incrementalRows.Rows;
                imputed = incrementalRows.Imputed;
                noMeasurement = incrementalRows.NoMeasurement;
                if (Model.Settings.IsWindowed) seriesRows.ResolveKeys(ResolveRepeatedTimes);
                // A counter's levels become its rates, as in the first training (none for a row model).
                if (Model.Settings.IsWindowed) CounterRates.ToRates(schema, rows, seriesRows.Keys, imputed, seriesRows.Before);
            }
            else
            {
                InferRolesAndDrain(inputEnded: true);
                if (builder == null || builder.Count == 0)
                {
                    ThrowEmpty();
                    return;
                }
                if (Model.Settings.IsWindowed) seriesRows.ResolveKeys(ResolveRepeatedTimes);
                TrainingSet set;
                try
                {
                    set = builder.Build(ThrottleLimit, Model.Settings.IsWindowed ? seriesRows.Keys : null, seriesRows.Before, weekGate: Model.Settings.TimeFeaturesAutomatic,
                        gatePerGroup: Model.Settings.ScalePerGroup);
                }
                catch (AutoencoderException e)
                {
                    ThrowTerminatingError(EngineError(e, Model));
                    return;
                }
                schema = set.Schema;
                rows = set.Rows;
                if (set.CalendarGate is { } gate) WriteVerbose(gate.Describe(Model.Settings.TimeProperty!));
                imputed = set.Imputed;
                foreach (var column in set.NotCounters)
                    WriteVerbose($"Column {column}: it rose like a cumulative counter in the first rows, but falls too often in the training rows to be one (more than 1 in 100); read as a level.");
                if (set.ImputedValues > 0)
                    WriteVerbose($"Imputed {set.ImputedValues} missing value(s) with the training median (numeric) or most frequent value (categorical)" +
                                 (schema.Columns.Any(c => c.IsCounter) ? ", counting a counter's rows without a rate (a group's first row, a reset)." : "."));
                // A feature missing in much of training (a host that joined late) is filled in: the model learnt little of it.
                // On a time grid, only if its cells lacked it too: a joined export's rows each miss the other hosts' columns,
                // which every cell has.
                if (Model.Settings.TimeGrid) mostlyMissing = set;
                else if (set.MostlyMissingWarning() is { } sparse) WriteWarning(sparse);
                // A column still empty when the sample reached its bound was left out, on the evidence of those rows only.
                var later = emptyInSample?.Where(e => e.Value > 0).ToArray();
                if (later is { Length: > 0 })
                    WriteWarning($"Left out of the features, as {(later.Length == 1 ? "it was" : "they were")} empty in the first {sample!.Limit:N0} rows, which column roles are chosen from: " +
                                 string.Join(", ", later.Select(e => $"'{e.Key}' ({e.Value:N0} values in later rows)")) +
                                 $". Train on rows where {(later.Length == 1 ? "it is" : "they are")} present, or put such rows first.");
            }
            if (noMeasurement > 0)
                WriteVerbose($"Left out {noMeasurement:N0} row(s) with no value in any feature (a host down, an export of times alone): no observation to learn from. " +
                             (Model.Settings.IsWindowed ? "Windows take them as absent rows: a gap longer than usual breaks a window." : "Scoring gives such a row the features' medians."));
            if (rows.Count == 0) ThrowEmpty();

            EnsureRuntime(Model);
            ApplyThreadCount(ThreadCount);
            // Without -Epochs and -BatchSize: a budget of gradient steps for this many rows (TrainingOptions.DefaultBudget).
            var budget = TrainingOptions.DefaultBudget(Model.Settings.IsWindowed ? Math.Max(1, rows.Count - Model.Settings.WindowSize + 1) : rows.Count);
            var options = new TrainingOptions
            {
                Epochs = Epochs ?? budget.Epochs,
                BatchSize = BatchSize ?? budget.BatchSize,
                LearningRate = LearningRate,
                Loss = Incremental ? Model.Loss : Loss,
                Scaling = Incremental ? Model.Scaling!.Value : Scaling,
                ErrorWeighting = Incremental && !MyInvocation.BoundParameters.ContainsKey(nameof(ErrorWeighting))
                    ? (Model.ErrorWeights != null ? ErrorWeighting.Residual : ErrorWeighting.None) : ErrorWeighting,
                Threshold = CreateThresholdRule(),
                Contamination = Contamination,
                Threads = ThrottleLimit,
                // The default budget is a ceiling: training stops when the loss stops improving. Named -Epochs all run.
                EarlyStopping = Epochs == null,
            };
            if (ThrottleLimit > 1)
                WriteVerbose(options.BatchSize >= 2 * TrainingOptions.MinRowsPerThread
                    ? $"Batches of {options.BatchSize} rows are split between up to {ThrottleLimit} threads (-ThrottleLimit)."
                    : $"Batches of {options.BatchSize} rows train on one thread (a batch is split from {2 * TrainingOptions.MinRowsPerThread} rows); -ThrottleLimit {ThrottleLimit} splits only the passes over all rows.");
            if (options.Scaling is ScalingMethod.Standard or ScalingMethod.Robust && Model.Settings.OutputActivation == OutputActivationKind.Sigmoid && !Incremental)
                WriteWarning($"{options.Scaling} scaling produces values outside [0, 1], which a Sigmoid output cannot reconstruct. Use -OutputActivation Linear in New-Autoencoder, or MinMax scaling.");
            if (options.Loss == LossKind.Mae && schema.Columns.Any(c => c.Role == ColumnRole.Categorical))
                WriteWarning("Mae loss fits the median, which is 0 for every one-hot category slot under 50%, so categorical features are not learned. Use -Loss Mse (the default).");
            // Every feature the same in every row (the measurements left out: numbers with a unit, another culture): the
            // model trains, and can flag nothing but a change of those values, which nobody would know.
            if (!Incremental && rows.Count > 1 && schema.Columns.All(c =>
                    c.Role == ColumnRole.Categorical ? c.Categories.Count <= 1 : c.Role == ColumnRole.Numeric && c.Statistics?.Min is double low && c.Statistics.Max == low))
            {
                // The columns that could have held the measurements: not the rows' times, the window's time or its group.
                var keys = new HashSet<string>(new[] { Model.Settings.TimeProperty, Model.Settings.GroupBy }.OfType<string>(), StringComparer.OrdinalIgnoreCase);
                var leftOut = schema.Ignored.Where(i => !i.HoldsTimes && !keys.Contains(i.Name)).Select(i => $"'{i.Name}'").ToArray();
                WriteWarning($"Every feature ({string.Join(", ", schema.Names.Select(n => $"'{n}'"))}) has a single value in all {rows.Count:N0} training rows: " +
                             "the model can flag only a row where one of them changes. " +
                             (leftOut.Length > 0
                                 ? $"Were the measurements left out? Not read as features: {string.Join(", ", leftOut)} (-Verbose says why)."
                                 : "The rows hold no other measurement: if the series was flat, that is what the model learned; if not, export the measurements with them."));
            }
            WriteVerbose($"Training on {rows.Count} rows ({rejected} rejected{(noMeasurement > 0 ? $", {noMeasurement:N0} without values left out" : "")}), {schema.Count} features as {schema.Width} network inputs; hidden layers {string.Join("-", Model.Settings.HiddenLayers)}, " +
                         $"{options.Epochs} epochs, batch {options.BatchSize}, learning rate {LearningRate}, loss {options.Loss}, scaling {options.Scaling}, seed {Model.Settings.Seed}.");

            WindowPlan? plan = null;
            var trainingRows = rows;
            ImputedCells? trainingImputed = imputed;
            if (Model.Settings.IsWindowed)
            {
                var knownIntervals = Incremental ? Model.GroupIntervals : null;
                var knownUsual = Incremental ? Model.UsualInterval : null;
                if (Model.Settings.TimeGrid)
                {
                    plan = SlidingWindow.PlanGrid(Model.Settings.WindowSize, seriesRows.Keys, rows, Model.Settings.MaxGap, out var windowRows, knownIntervals, knownUsual, imputed, schema.Count);
                    trainingRows = windowRows;
                    // The grid's windows are made of cells (averages, or filled between rows), not of the rows read: a cell
                    // made only of filled-in values is one.
                    trainingImputed = plan.CellsImputed;
                    if (mostlyMissing?.MostlyMissingWarning(plan.StepsMissing(schema.Count)) is { } sparse) WriteWarning(sparse);
                }
                else plan = SlidingWindow.Plan(Model.Settings.WindowSize, seriesRows.Keys, Model.Settings.MaxGap, knownIntervals, knownUsual, Incremental ? Model.LongSteps : null);
                string unit = Model.Settings.TimeGrid ? "time steps" : "rows";
                WriteVerbose($"Sliding windows of {Model.Settings.WindowSize} {unit}: {plan.Windows.Count} windows from {rows.Count} rows in {plan.Groups} group(s); " +
                             $"{plan.WarmingUpRows} row(s) warm up (group starts and after {plan.Gaps} gap(s)); usual interval {plan.UsualInterval?.ToString() ?? "unknown"}" +
                             (plan.LongSteps.Groups.Count == 0 ? "."
                                 : "; irregular steps, so a window is kept whole up to the long step: " +
                                   string.Join(", ", plan.LongSteps.Groups.Take(10).Select(g => g.Key.Length == 0 ? g.Value.ToString() : $"'{Engine.Text.PrintableText.Cut(g.Key, 60)}' {g.Value}")) +
                                   (plan.LongSteps.Groups.Count > 10 ? $" and {plan.LongSteps.Groups.Count - 10} more." : ".")));
                if (plan.SharedTimesWarning(Model.Settings.GroupBy) is { } shared) WriteWarning(shared);
                if (plan.GapsWarning(Model.Settings) is { } broken) WriteWarning(broken);
                if (Model.Settings.TimeProperty is { } timeProperty && slashDates.Warning(InputCulture, timeProperty) is { } order) WriteWarning(order);
                // A group without a window is an error of that group; the others train (none at all: the model says so).
                if (plan.Windows.Count > 0)
                {
                    foreach (var group in plan.WindowsPerGroup.Where(g => g.Value == 0).Select(g => g.Key))
                    {
                        var gap = SlidingWindow.MaxGap(Model.Settings.MaxGap, plan.GroupIntervals, plan.UsualInterval, group, Model.Settings.TimeGrid, plan.LongSteps);
                        WriteError(EngineError(new AutoencoderException(ErrorIds.GroupNotWindowed,
                            $"Group '{group}' has no {Model.Settings.WindowSize} consecutive {unit} without a gap longer than {gap?.ToString() ?? "any"}, so it gives no training window; the other groups train. " +
                            (Model.Settings.TimeGrid ? "Give it more rows or a larger -MaxGap." : "Give it more rows, a larger -MaxGap, or New-Autoencoder -TimeGrid for an irregular series.")), group));
                    }
                }
            }

            var progress = new ProgressRecord(1, "Training autoencoder", "Starting");
            IReadOnlyList<EpochResult> epochs = Array.Empty<EpochResult>();
            try
            {
                // Each epoch is progress; the run's one result (with every epoch in it) is the output.
                epochs = Model.Train(schema, trainingRows, options, epoch =>
                {
                    progress.StatusDescription = $"Epoch {epoch.Epoch} of {epoch.Epochs}, loss {epoch.Loss:G5}";
                    progress.PercentComplete = (int)(100L * epoch.Epoch / epoch.Epochs);
                    WriteProgress(progress);
                }, stopping.Token, continueTraining: Incremental, windows: plan, imputed: trainingImputed);
            }
            catch (OperationCanceledException)
            {
                WriteVerbose("Training was stopped; the model is unchanged.");
                return;
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, Model));
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            var training = Model.Training!;
            // A query that returned a row or two: the threshold is the largest of a few errors, and nearly every new row is
            // an anomaly (an operator trial: 20 of 20 normal rows flagged after training on one), without a word.
            if (!Incremental && training.Rows < MinTrainingRows)
                WriteWarning($"The model was trained on {training.Rows:N0} {(Model.Settings.IsWindowed ? "window(s)" : "row(s)")} only: too few to learn what is normal, " +
                             $"so most new rows will be anomalies. Train it on at least {MinTrainingRows} (better, days of the metrics).");
            if (training.StoppedEarly)
                WriteVerbose($"Stopped early: the smoothed loss had not improved by {EarlyStopping.MinImprovement:P0} for {EarlyStopping.PatienceEpochs(options.Epochs)} epochs (of at most {options.Epochs}).");
            if (training.Robust)
                WriteVerbose(FormattableString.Invariant($"Robust training left out the {training.TrimmedShare:P1} of training rows with the largest errors after {RobustTrimming.WarmupEpochs(options.Epochs)} warm-up epoch(s) ({(training.ContaminationEstimated ? "estimated from the warm-up errors" : "-Contamination")})."));
            if (Model.HeldValues != null) WriteVerbose(Model.HeldValues.Describe());
            else if (Model.Settings.IsWindowed && schema.Columns.Any(c => c.Role == ColumnRole.Numeric))
                WriteVerbose("Stuck values: not watched. The model was first trained before this module learned how long features hold one value; train it afresh (without -Incremental) to learn it.");
            // The sparse counts' rates (none: no feature is a sparse count, or a model first trained before the rule).
            if (Model.CountBursts != null) WriteVerbose(Model.CountBursts.Describe());
            if (Model.GroupScaling != null) WriteVerbose(Model.GroupScaling.Describe(plan?.WindowsPerGroup.Keys));
            WriteVerbose(Model.ErrorWeights != null
                ? $"Error weights (each feature's error in units of its typical training error): {Model.ErrorWeights.Describe(Model.Schema!)}."
                : "Error weights: none; every network input counts alike (-ErrorWeighting None).");
            WriteVerbose($"Threshold {Model.Threshold:G6} = {Model.ThresholdRule} (training error mean {training.ErrorMean:G6}, std {training.ErrorStd:G6}, max {training.ErrorMax:G6}); trained in {training.Duration.TotalSeconds:0.00} s.");
            WriteObject(PassThru ? Model : new TrainingResult(Model, epochs, Incremental));
        }

        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>Fewer training rows (windows) than this are warned about: too few to learn what is normal.</summary>
        public const int MinTrainingRows = 20;

        private void ThrowEmpty()
        {
            string message = rejected > 0
                ? $"None of the {rejected} input row(s) could be used for training; see the errors above."
                : noMeasurement > 0
                    ? $"None of the {noMeasurement:N0} input row(s) has a value in any of the features ({string.Join(", ", (builder?.Roles ?? Model.Schema!).MeasuredNames.Select(c => $"'{c}'"))}), so there is nothing to train on."
                : ReadsFiles
                    ? $"The {InputFilesFound} training file(s) hold no data rows (a header only, or nothing at all), so there are no rows to train on."
                    : "No training rows were received. Pipe the normal rows (for example from Import-Csv) to Invoke-AutoencoderTraining, or name files with -Path.";
            ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.EmptyTrainingInput, message), Model));
        }

        private ThresholdRule CreateThresholdRule()
        {
            // Training further keeps the model's own rule unless a new one is named.
            bool methodNamed = MyInvocation.BoundParameters.ContainsKey(nameof(ThresholdMethod));
            if (Incremental && !methodNamed)
                return Model.ThresholdRule;
            // The share of outliers the user expects is also the share to flag, unless another rule is named.
            if (!methodNamed && Contamination > 0)
                return new ThresholdRule(ThresholdMethod.Contamination, ThresholdValue ?? Contamination.Value);
            if (ThresholdMethod == ThresholdMethod.Manual && ThresholdValue == null)
                ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException("-ThresholdMethod Manual needs the threshold itself: give -ThresholdValue."),
                    ErrorIds.ThresholdValueRequired, ThresholdMethod));
            double value = ThresholdValue ?? ThresholdRule.DefaultValue(ThresholdMethod);
            try
            {
                return new ThresholdRule(ThresholdMethod, value);
            }
            catch (ArgumentOutOfRangeException e)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.InvalidThresholdValue, value, $"-ThresholdValue {value}: {ErrorCatalog.Sentence(e)}"));
                throw; // not reached
            }
        }

        private void Accept(IRecord record, long row)
        {
            if (Incremental)
            {
                incrementalRows ??= new FeaturizedRows(Model.Schema!, InputCulture, Policy);
                try
                {
                    // No measurement in it (a host down): left out, as in the first training (TrainingSetBuilder.Add).
                    if (seriesRows.Take(record, Model.Settings, Model.Schema!, InputCulture, incrementalRows.Add) && Model.Settings.IsWindowed) CountSlashDate(record);
                }
                catch (FeatureValueException e)
                {
                    rejected++;
                    StopIfMachineLacksCounter(Model.Schema!, e, record, row, featuresFixed: true, Unchanged);
                    RowFailed(e.ReadOn(Model.Schema!.InputMachine(record), InputCulture), record, row, Unchanged);
                }
                return;
            }
            if (builder == null)
            {
                sample ??= new RoleSample(InputCulture, WatchedColumn(record));
                pendingRows.Add(row);
                if (sample.Add(record)) InferRolesAndDrain(inputEnded: false);
                return;
            }
            if (emptyInSample != null) CountLaterValues(record);
            AddToBuilder(record, row);
        }

        /// <summary>
        /// Which columns of the header must show a value before roles are chosen: those that may be features (not blank,
        /// not excluded, not a window's key; with -Feature, the named ones).
        /// </summary>
        private Func<string, bool> WatchedColumn(IRecord first)
        {
            keyColumns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            // A perfmon export's time column may be named after another zone than the model's (TimeColumn).
            if (Model.Settings.TimeProperty is { } time)
                keyColumns[TimeColumn.Find(time, first.ColumnNames) ?? time] = "the time of the sliding window";
            if (Model.Settings.GroupBy != null) keyColumns[Model.Settings.GroupBy] = "the group of the sliding window";
            var excluded = new HashSet<string>(Model.Settings.ExcludeFeatures.Concat(keyColumns.Keys), StringComparer.OrdinalIgnoreCase);
            var named = Model.Settings.Features is { Count: > 0 } features ? new HashSet<string>(features, StringComparer.OrdinalIgnoreCase) : null;
            return column => !excluded.Contains(column) && (named == null || named.Contains(column));
        }

        private void CountLaterValues(IRecord record)
        {
            foreach (var column in emptyInSample!.Keys.ToArray())
                if (record.TryGetValue(column, out var value) && RoleSample.HasValue(value, InputCulture)) emptyInSample[column]++;
        }

        private void InferRolesAndDrain(bool inputEnded)
        {
            if (builder == null)
            {
                if (sample == null || sample.Count == 0) return;
                var pending = sample.Records;
                try
                {
                    // The window's time and group columns are keys, never features.
                    var keys = keyColumns!;
                    if (sample.EmptyInFirstRows.Count > 0)
                        WriteVerbose($"Column roles are chosen from the first {pending.Count:N0} rows{(pending.Count > RoleSample.Rows ? $" rather than {RoleSample.Rows:N0}" : "")}: " +
                                     $"{string.Join(", ", sample.EmptyInFirstRows.Select(c => $"'{c}'"))} had no value in the first {RoleSample.Rows:N0} rows (roles wait for {RoleSample.LateValues} of a column's values)" +
                                     (sample.Awaiting.Count == 0 ? "."
                                         : inputEnded ? $"; {string.Join(", ", sample.Awaiting.Select(c => $"'{c}'"))} none in any row."
                                         : $"; {string.Join(", ", sample.Awaiting.Select(c => $"'{c}'"))} none in the first {pending.Count:N0} (at most {sample.Limit:N0} rows are kept to choose roles)."));
                    // Performance counters: every file's machine, not only those of the rows roles are chosen from (CounterPath.AsOneMachine).
                    var inputs = ReadsFiles && pending[0].ColumnNames.Any(c => CounterPath.TrySplit(c, out _, out _)) ? InputFileColumns() : null;
                    var roles = FeatureSchema.Infer(pending, Model.Settings.Features, Model.Settings.ExcludeFeatures, InputCulture,
                        out var decisions, out var recognised, Model.Settings.TimeFeatures, keys, counterRates: Model.Settings.IsWindowed, groupColumn: Model.Settings.GroupBy,
                        timeColumn: Model.Settings.IsWindowed ? Model.Settings.TimeProperty : null, zone: Model.Settings.Zone, inputs: inputs,
                        provisionalCalendar: Model.Settings.TimeFeaturesAutomatic);
                    foreach (var decision in decisions) WriteVerbose(decision);
                    if (roles.TimeFeaturesUnused(Model.Settings.TimeFeatures, Model.Settings.IsWindowed) is { } unusedTime)
                        WriteWarning(unusedTime);
                    // One measurement per row: said with the pivot that reads it (a window model says it of its windows' times).
                    if (!Model.Settings.IsWindowed && LongExportShape.Describe(pending, roles, InputCulture) is { } longExport)
                        WriteWarning(longExport);
                    else if (!Incremental && roles.OneSeriesRowModelWarning(Model.Settings.IsWindowed) is { } oneSeries)
                        WriteWarning(oneSeries);
                    // Once per run: what was left out without being asked, and exclusions that name no column (a typo).
                    var noMeasurement = recognised.Where(r => !r.UnreadNumbers).ToArray();
                    if (noMeasurement.Length > 0)
                        WriteWarning("Left out of the features: " + string.Join("; ", noMeasurement.Select(r => $"'{r.Name}' ({r.Reason})")) +
                                     ". Name the features with -Feature in New-Autoencoder to use them anyway.");
                    // Numbers the culture does not read: -Feature would not help, the culture (or the export) does.
                    var unread = recognised.Where(r => r.UnreadNumbers).ToArray();
                    if (unread.Length > 0)
                        WriteWarning("Left out of the features, as their numbers can't be read: " +
                                     string.Join("; ", unread.Select(r => $"'{r.Name}' ({r.Reason})")) + ".");
                    var present = new HashSet<string>(roles.Names.Concat(roles.Ignored.Select(i => i.Name)), StringComparer.OrdinalIgnoreCase);
                    var unknown = Model.Settings.ExcludeFeatures.Where(e => !present.Contains(e)).ToArray();
                    if (unknown.Length > 0)
                        WriteWarning($"-ExcludeFeature names no input column: {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Columns present: {string.Join(", ", present)}.");
                    builder = new TrainingSetBuilder(roles, InputCulture, Policy);
                    // Left out as empty in a sample that stopped at its bound: its values in later rows are counted.
                    if (!inputEnded)
                    {
                        var left = sample.Awaiting.Where(c => roles.IndexOf(c) < 0).ToArray();
                        if (left.Length > 0) emptyInSample = left.ToDictionary(c => c, _ => 0L, StringComparer.OrdinalIgnoreCase);
                    }
                }
                catch (AutoencoderException e)
                {
                    var error = EngineError(e, Model);
                    // A file read with the wrong -Delimiter is one column whose values are no numbers: say so, as scoring does.
                    string? hint = e.ErrorId == ErrorIds.NoNumericFeatures && ReadsFiles
                        ? ColumnMismatch.Hint(pending[0].ColumnNames.ToArray(), CreateCsvOptions().EffectiveDelimiter)
                        : null;
                    if (hint != null) error.ErrorDetails = new ErrorDetails(e.Message + " " + hint);
                    ThrowTerminatingError(error);
                }
            }
            var rows = sample!.Records;
            for (int i = 0; i < rows.Count; i++) AddToBuilder(rows[i], pendingRows[i]);
            sample.Clear();
            pendingRows.Clear();
        }

        private void CountSlashDate(IRecord record)
        {
            if (Model.Settings.TimeProperty is { } timeProperty && TimeColumn.TryGetValue(record, timeProperty, out var time)) slashDates.Add(time);
        }

        private void AddToBuilder(IRecord record, long row)
        {
            try
            {
                if (!seriesRows.Take(record, Model.Settings, builder!.Roles, InputCulture, builder.Add)) noMeasurement++;
                else if (Model.Settings.IsWindowed) CountSlashDate(record);
            }
            catch (FeatureValueException e)
            {
                rejected++;
                // A host whose rows came after those the features were chosen from (piped) may lack a counter they read.
                StopIfMachineLacksCounter(builder!.Roles, e, record, row, featuresFixed: false, Unchanged);
                RowFailed(e.ReadOn(builder.Roles.InputMachine(record), InputCulture), record, row, Unchanged);
            }
        }

        private const string Unchanged = " Nothing was trained; the model is unchanged.";
    }
}
