using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using TorchSharp;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Engine.Numerics;
using static TorchSharp.torch;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// An autoencoder anomaly detector: settings, and once trained, the feature schema, scaling, network
    /// and threshold. Scoring and training may be called from several threads; each call sees either
    /// the state before a training run or after it, never a mix.
    /// </summary>
    public sealed partial class AutoencoderModel : IDisposable
    {
        // torch's random generator is process-wide: seeding and initialising a network must not interleave.
        private static readonly object TorchSeedGate = new object();

        private readonly object sync = new object();
        private AutoencoderNetwork? network;
        private bool disposed;
        // A scorer (ScoringReplica): the network is this model's lender's, which disposes it.
        private bool borrowsNetwork;
        // The threads scoring a file with replicas of this model (Hold), one entry per hold: until they are done the
        // network is not replaced, changed or freed (WaitUntilNotLent).
        private readonly List<int> lentTo = new List<int>();
        // Arrays scoring reuses from batch to batch, under the lock.
        private readonly ForwardPass.Scratch scratch = new ForwardPass.Scratch();

        public AutoencoderModel(ModelSettings settings)
        {
            Settings = settings;
            ThresholdRule = ThresholdRule.Default;
        }

        public ModelSettings Settings { get; }
        public FeatureSchema? Schema { get; private set; }

        /// <summary>
        /// Whether the model learns hour and day features: as asked (-TimeFeatures), or, decided from the training rows
        /// (<see cref="ModelSettings.TimeFeaturesAutomatic"/>), whether its schema kept the calendar of the time property.
        /// </summary>
        public bool TimeFeatures => Settings.TimeFeatures || Settings.TimeFeaturesAutomatic && Schema?.WindowTime != null;

        /// <summary>
        /// The columns scoring reads from every row: the features, then a time-series model's time and group columns. An
        /// input that lacks one is refused as a whole (<see cref="Csv.ColumnMismatch.Check"/>), not row by row.
        /// </summary>
        public IReadOnlyList<string> ColumnsRead => (Schema?.Names ?? Array.Empty<string>()).Concat(Settings.WindowColumns).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        public FeatureScaler? Scaler { get; private set; }

        /// <summary>
        /// Each group's own scaling (<see cref="ModelSettings.ScalePerGroup"/>); null for a model scaled fleet-wide. Its
        /// <see cref="GroupScaling.Fleet"/> is <see cref="Scaler"/>, for the groups that have none of their own.
        /// </summary>
        public GroupScaling? GroupScaling { get; private set; }

        /// <summary>The groups of <paramref name="groups"/> this model scales fleet-wide though it scales per group; empty otherwise.</summary>
        public IReadOnlyList<string> GroupsScaledFleetWide(IEnumerable<string?> groups) =>
            GroupScaling?.Unseen(groups) ?? (IReadOnlyList<string>)Array.Empty<string>();
        public NetworkArchitecture? Architecture { get; private set; }
        public LossKind Loss { get; private set; } = LossKind.Mse;
        public ThresholdRule ThresholdRule { get; private set; }

        /// <summary>Scores above this are anomalies; NaN until trained.</summary>
        public double Threshold { get; private set; } = double.NaN;

        /// <summary>How the threshold was chosen: the rule, the rows it was computed on, and when.</summary>
        public string ThresholdSource { get; private set; } = "";

        /// <summary>
        /// Reconstruction errors of the training rows, sorted (an even sample when there are many), so that the
        /// threshold can be recalibrated by another rule without retraining.
        /// </summary>
        public IReadOnlyList<double> TrainingErrors { get; private set; } = Array.Empty<double>();

        public TrainingSummary? Training { get; private set; }
        public bool IsTrained => network != null;

        /// <summary>
        /// The stuck-value rule of a trained sliding-window model (<see cref="HeldValues"/>); null for a row model, and
        /// for a model file written before the rule existed (it scores by the reconstruction error alone, as it did).
        /// </summary>
        public HeldValues? HeldValues { get; private set; }

        /// <summary>
        /// The count-burst rule of a trained sliding-window model (<see cref="Modeling.CountBursts"/>): its sparse counts'
        /// rates; null for a row model, a model with no sparse count, and a model file written before the rule existed
        /// (format 8 and earlier: it scores as it did).
        /// </summary>
        public CountBursts? CountBursts { get; private set; }

        /// <summary>
        /// Each feature's weight in the score (<see cref="Modeling.ErrorWeights"/>): its error in units of its typical
        /// training error. Null: every input counts alike (a model trained with <see cref="Modeling.ErrorWeighting.None"/>,
        /// or a file from before format 7).
        /// </summary>
        public ErrorWeights? ErrorWeights
        {
            get => errorWeights;
            private set
            {
                errorWeights = value;
                inputWeights = value == null || Schema == null || Architecture == null ? null : value.PerInput(Schema, Architecture.InputSize);
            }
        }

        private ErrorWeights? errorWeights;
        // The weights per network input (a window's inputs repeat its row's), as scoring applies them.
        private double[]? inputWeights;

        /// <summary>True once <see cref="Dispose"/> has run: the network's native memory is released.</summary>
        public bool IsDisposed => disposed;

        /// <summary>The feature columns with their roles and training statistics.</summary>
        public IReadOnlyList<FeatureColumn> FeatureColumns => Schema?.Columns ?? Array.Empty<FeatureColumn>();

        /// <summary>The features the model reads: the trained schema, or what the user asked for before training.</summary>
        public IReadOnlyList<string> Features => Schema?.Names ?? Settings.Features;

        /// <summary>Layer widths, e.g. "140-32-16-8-16-32-140"; the input width is "?" until trained.</summary>
        public string Layers => Architecture?.ToString()
            ?? "?-" + string.Join("-", Settings.HiddenLayers.Concat(Settings.HiddenLayers.Reverse().Skip(1))) + "-?";

        /// <summary>Trainable parameters; null until the input width is known.</summary>
        public long? ParameterCount => Architecture?.ParameterCount;

        public ScalingMethod? Scaling => Scaler?.Method;

        /// <summary>Consecutive rows the network reads together (1: the row model).</summary>
        public int WindowSize => Settings.WindowSize;

        /// <summary>Input columns training left out, each with its reason (empty before training).</summary>
        public IReadOnlyList<IgnoredColumn> IgnoredColumns => Schema?.Ignored ?? Array.Empty<IgnoredColumn>();

        /// <summary>The seed of the weights and the shuffling (<see cref="ModelSettings.Seed"/>).</summary>
        public int Seed => Settings.Seed;

        /// <summary>The hidden layers' activation (<see cref="ModelSettings.Activation"/>); the output's is in Settings.</summary>
        public ActivationKind Activation => Settings.Activation;

        /// <summary>
        /// The network's inputs as features per time step ("cpu (t-1)", "cpu (t)"); the row schema itself for a row model.
        /// Scores of windows explain themselves by these columns.
        /// </summary>
        public FeatureSchema? WindowSchema => WindowSchemaOf(Schema);

        /// <summary>
        /// <see cref="WindowSchema"/> for <paramref name="schema"/>, a row schema this model had (a caller that read its
        /// rows by it, while the model may have been trained again since).
        /// </summary>
        public FeatureSchema? WindowSchemaOf(FeatureSchema? schema)
        {
            if (schema == null || !Settings.IsWindowed) return schema;
            var cached = windowSchema;
            if (cached != null && ReferenceEquals(cached.Item1, schema)) return cached.Item2;
            var built = SlidingWindow.WindowSchema(schema, Settings.WindowSize);
            windowSchema = Tuple.Create(schema, built);
            return built;
        }

        private Tuple<FeatureSchema, FeatureSchema>? windowSchema;

        /// <summary>Median time step of each group seen in training (sliding windows with a time property).</summary>
        public IReadOnlyDictionary<string, TimeSpan> GroupIntervals { get; private set; } = new Dictionary<string, TimeSpan>();

        /// <summary>Median time step over all groups seen in training; null without a time property.</summary>
        public TimeSpan? UsualInterval { get; private set; }

        /// <summary>The longest steps of the groups whose training steps were irregular, which keep a window whole.</summary>
        public LongSteps LongSteps { get; private set; } = LongSteps.None;

        /// <summary>
        /// A time grid's rows to a cell, per group where training saw more than one (the median over the group's cells):
        /// a joined export ("series joined by time") of two hosts sampled at offsets has two rows a step, each scored.
        /// </summary>
        public IReadOnlyDictionary<string, int> GroupRowsPerStep { get; private set; } = new Dictionary<string, int>();

        /// <summary>A time grid's rows to a cell over all groups seen in training (the median over every cell); 1 off a grid.</summary>
        public int RowsPerStep { get; private set; } = 1;

        /// <summary>
        /// How far apart the scored rows of <paramref name="group"/> come: its step, divided by its rows to a cell on a
        /// time grid (a group not seen in training: the model's usual ones); null without a time property. The verdict's
        /// defaults count a day of these rows (Scoring.SeriesMemory.For): a joined export of two hosts brings 576 rows a day
        /// at a 5-minute step, and a "day" of 288 of them was half a day of history and a 12.5-hour new-high horizon.
        /// </summary>
        public TimeSpan? RowIntervalFor(string? group)
        {
            var step = group == null ? UsualInterval : SlidingWindow.Step(GroupIntervals, UsualInterval, group);
            if (step is not { } interval) return null;
            int rows = group != null && GroupIntervals.ContainsKey(group) ? (GroupRowsPerStep.TryGetValue(group, out int own) ? own : 1) : RowsPerStep;
            return rows > 1 ? interval / rows : interval;
        }

        /// <summary>The largest gap between two rows of <paramref name="group"/> that keeps its window whole; null: no limit.</summary>
        public TimeSpan? MaxGapFor(string group) => SlidingWindow.MaxGap(Settings.MaxGap, GroupIntervals, UsualInterval, group, Settings.TimeGrid, LongSteps);

        /// <summary>The step of a group's time grid (null without a time grid, or before training).</summary>
        public TimeSpan? StepFor(string group) => Settings.TimeGrid ? SlidingWindow.Step(GroupIntervals, UsualInterval, group) : null;

        /// <summary>The assembler that builds this model's windows while scoring.</summary>
        public WindowAssembler NewAssembler() => Settings.TimeGrid
            ? new WindowAssembler(WindowSize, Schema!.Width, MaxGapFor, StepFor)
            : new WindowAssembler(WindowSize, Schema!.Width, MaxGapFor);

        /// <summary>
        /// Trains a new network on <paramref name="rows"/> (already featurized by <paramref name="schema"/>)
        /// and sets the threshold from the training errors. The model changes only when the whole run
        /// finishes; a cancelled or failed run leaves it as it was. <paramref name="imputed"/> names the values of
        /// <paramref name="rows"/> that were missing and filled in (a sliding-window model's stuck-value rule does not
        /// count them as held values).
        /// </summary>
        public IReadOnlyList<EpochResult> Train(
            FeatureSchema schema,
            IReadOnlyList<double[]> rows,
            TrainingOptions options,
            Action<EpochResult>? onEpoch = null,
            CancellationToken cancellation = default,
            bool continueTraining = false,
            WindowPlan? windows = null,
            ImputedCells? imputed = null)
        {
            ThrowIfDisposed();
            // On the thread that scores a file with this network (a nested prompt), the run could never swap its network in:
            // refused now, not after the whole run.
            lock (sync) ThrowIfLentToThisThread("train it");
            options.Validate();
            if (Settings.IsWindowed != (windows != null))
                throw new ArgumentException(Settings.IsWindowed
                    ? "A sliding-window model trains on windows: give the plan (SlidingWindow.Plan)."
                    : "A row model trains on rows, not on windows.", nameof(windows));
            // Before the rows: a time grid's rows are the cells of its windows, none when no window fits, though rows came.
            if (windows != null && windows.Windows.Count == 0 && (windows.Rows > 0 || rows.Count > 0))
                throw new AutoencoderException(ErrorIds.NoTrainingWindows, windows.NoWindowsMessage(Settings));
            if (rows.Count == 0)
                throw new AutoencoderException(ErrorIds.EmptyTrainingInput, "No training rows were received.");
            foreach (var row in rows)
                if (row.Length != schema.Width)
                    throw new ArgumentException($"Each row must have {schema.Width} values, one per network input of the schema.", nameof(rows));
            if (!schema.IsFitted)
                throw new ArgumentException("The schema must be fitted on the training rows first (FeatureSchema.Fit).", nameof(schema));
            TorchRuntime.EnsureLoaded();

            var clock = Stopwatch.StartNew();
            int n = rows.Count, d = schema.Width;
            FeatureScaler scaler;
            GroupScaling? groupScaling = null;
            NetworkArchitecture architecture;
            AutoencoderNetwork candidate;
            int previousEpochs = 0;
            if (continueTraining)
            {
                // Incremental: same schema, scaling and architecture; start from the current weights.
                lock (sync)
                {
                    ThrowIfDisposed();
                    if (network == null || Schema == null || Scaler == null || Architecture == null)
                        throw new AutoencoderException(ErrorIds.ModelNotTrained, "Only a trained model can be trained further. Train it once first.");
                    if (!ReferenceEquals(schema, Schema))
                        throw new ArgumentException("Incremental training must use the model's own schema.", nameof(schema));
                    scaler = Scaler;
                    groupScaling = GroupScaling;
                    architecture = Architecture;
                    byte[] weights;
                    // Module.save closes the stream it writes to: copy the bytes out before loading them.
                    using (var saved = new System.IO.MemoryStream())
                    {
                        network.save(saved);
                        weights = saved.ToArray();
                    }
                    candidate = NewNetwork(architecture, null);
                    try
                    {
                        using var state = new System.IO.MemoryStream(weights, writable: false);
                        candidate.load(state);
                    }
                    catch
                    {
                        candidate.Dispose();
                        throw;
                    }
                    previousEpochs = Training?.Epochs ?? 0;
                }
            }
            else
            {
                scaler = FeatureScaler.Fit(rows, schema.SlotKinds, options.Scaling, options.Threads);
                architecture = new NetworkArchitecture(d * Settings.WindowSize, Settings.HiddenLayers, Settings.Activation, Settings.OutputActivation);
                candidate = NewNetwork(architecture, Settings.Seed);
            }
            // Scaling per group: each row by its group's training rows (an incremental run keeps the groups' scaling and fits
            // one for a group new to it).
            var rowGroups = Settings.ScalePerGroup && windows != null ? RowGroupsOf(rows.Count, windows) : null;
            if (rowGroups != null) groupScaling = GroupScaling.Fit(scaler, rows, rowGroups, schema.SlotKinds, options.Threads, groupScaling);
            float[] scaled = ForwardPass.Scale(scaler, rows, perRow: rowGroups != null ? groupScaling!.PerRow(rowGroups) : null);
            if (windows != null)
            {
                // Scaling is fitted on rows; a window is its rows' scaled vectors, concatenated oldest first.
                scaled = ForwardPass.Concatenate(scaled, d, windows.Windows);
                n = windows.Windows.Count;
                d *= Settings.WindowSize;
            }

            // Threads for large batches and error passes (TrainingOptions.Threads); small work stays on this thread.
            using var team = options.Threads > 1 ? new WorkerTeam(options.Threads) : null;
            try
            {
                var (history, trimmedShare) = Trainer.Run(candidate, scaled, n, d, options, Settings.Seed + previousEpochs, onEpoch, cancellation, team);

                // The range of every training row (widened, not replaced, by an incremental run): beyond it a value
                // scores by its distance too (FeatureScaler.Beyond). No training row lies beyond it, so the rows' own
                // errors never hold the term; the threshold's do, for the rows alone at an extreme (WithOthersRanges,
                // against the range before this run's rows widened it).
                var rangeBefore = scaler;
                if (rowGroups != null)
                {
                    groupScaling = groupScaling!.WithRange(rows, rowGroups, continueTraining ? GroupScaling : null);
                    scaler = groupScaling.Fleet;
                }
                else scaler = scaler.WithRange(rows, previous: scaler);
                // Sliding windows: how long each feature held one value in training (widened by an incremental run). A model
                // trained before the rule existed (a format-5 file) gets none from an incremental run: its rows alone are
                // a small part of what the model learned from, and would watch features its first training saw hold values.
                var held = windows == null || continueTraining && HeldValues == null ? null
                    : Modeling.HeldValues.Learn(schema, rows, windows.Windows, Settings.WindowSize, imputed, windows.WindowGroups.Count == windows.Windows.Count ? windows.WindowGroups : null).Widen(continueTraining ? HeldValues : null, schema);
                // Sliding windows: the sparse counts' rates (widened by an incremental run; none from one on a model trained
                // before the rule existed, as for the stuck values). Not on a time grid: its cells are averages of rows and
                // values interpolated between rows (a count of 6 after a gap of two steps became 2, 4, 6), not counts.
                var counts = windows == null || Settings.TimeGrid || continueTraining && CountBursts == null ? null
                    : Modeling.CountBursts.Learn(schema, rows, windows.Windows, Settings.WindowSize, imputed,
                        windows.WindowGroups.Count == windows.Windows.Count ? windows.WindowGroups : null, windows.UsualInterval, windows.GroupIntervals,
                        continueTraining ? CountBursts : null)
                        ?.Widen(continueTraining ? CountBursts : null, schema);
                candidate.eval();
                // Values that were missing and filled in were not measured: they are moved to the network's own
                // reconstruction, and their errors count neither in a row's score nor in the weights, as in scoring (a
                // row's own, a window's newest row's).
                var filled = FilledSlots(schema, imputed, n, d, windows);
                if (filled != null) ImputeByReconstruction(candidate, options.Loss, scaled, n, d, filled);
                var errors = ForwardPass.RowErrors(candidate, options.Loss, scaled, n, d, out var inputErrors, team);
                if (filled != null) MaskFilledIn(inputErrors, errors, d, filled);
                double trimmed = trimmedShare ?? 0;
                // Each feature's error in units of its typical error on the rows robust training kept; the threshold and
                // the training errors are then in those units, as every score will be.
                ErrorWeights? weights = null;
                if (options.ErrorWeighting == ErrorWeighting.Residual)
                {
                    weights = Modeling.ErrorWeights.Learn(schema, inputErrors, n, d, errors, trimmed, filled);
                    Modeling.ErrorWeights.Apply(inputErrors, n, weights.PerInput(schema, d));
                    for (int i = 0; i < n; i++) errors[i] = ForwardPass.RowError(inputErrors, i, d, filled?[i]?.Length ?? 0);
                }
                // The errors the threshold comes from: a row alone at a feature's extreme also scores its distance beyond
                // the other rows' range, as a new normal row beyond the training range does (FeatureScaler.OthersRanges).
                var thresholdErrors = windows == null
                    ? WithOthersRanges(candidate, options.Loss, scaler, continueTraining ? rangeBefore : null, options.Threads, rows, scaled, d, errors, filled, weights, schema)
                    : errors;
                // A small baseline: the network knows its few rows, so their errors are smaller than a new normal row's.
                // The errors the threshold comes from are scaled by how much larger the errors of rows unseen in
                // training are, measured by cross-fitting (UnseenErrorRatio; 1 when not measured).
                double unseenRatio = 1;
                if (windows == null && !continueTraining && options.UnseenRowsThreshold && options.Threshold.Method != ThresholdMethod.Manual
                    && n >= UnseenRowsMinRows && n < UnseenRowsMaxRows)
                {
                    unseenRatio = UnseenErrorRatio(schema, rows, options, imputed, trimmed, cancellation);
                    if (unseenRatio != 1) thresholdErrors = thresholdErrors.Select(e => e * unseenRatio).ToArray();
                }
                double threshold = options.Threshold.Compute(thresholdErrors, trimmed);
                var summary = new TrainingSummary
                {
                    Rows = n,
                    Epochs = previousEpochs + history.Count,
                    Runs = (continueTraining ? Training?.Runs ?? 1 : 0) + 1,
                    BatchSize = options.BatchSize,
                    LearningRate = options.LearningRate,
                    FinalLoss = history[^1].Loss,
                    // The errors the threshold comes from (and TrainingErrors holds).
                    ErrorMean = Statistics.Mean(thresholdErrors),
                    ErrorStd = Statistics.StandardDeviation(thresholdErrors),
                    ErrorMax = thresholdErrors.Max(),
                    TrainedUtc = DateTime.UtcNow,
                    Duration = clock.Elapsed,
                    Robust = options.Robust,
                    TrimmedShare = trimmed,
                    ContaminationEstimated = options.Robust && options.Contamination == null,
                    StoppedEarly = history.Count < options.Epochs,
                    UnseenErrorRatio = unseenRatio,
                };
                lock (sync)
                {
                    ThrowIfDisposed();
                    WaitUntilNotLent("train it");
                    ThrowIfDisposed();
                    network?.Dispose();
                    network = candidate;
                    Schema = schema;
                    Scaler = scaler;
                    GroupScaling = groupScaling;
                    HeldValues = held;
                    CountBursts = counts;
                    Architecture = architecture;
                    ErrorWeights = weights;
                    Loss = options.Loss;
                    ThresholdRule = options.Threshold.On(ThresholdErrors.Training);
                    Threshold = threshold;
                    ThresholdSource = FormattableString.Invariant($"{ThresholdRule}; {n} training {(windows != null ? "windows" : "rows")}{(unseenRatio != 1 ? $" (their errors x {unseenRatio:0.###}, as of rows not trained on: {UnseenRowsFolds}-fold cross-fitting)" : "")}, {summary.TrainedUtc:yyyy-MM-dd HH:mm} UTC");
                    if (windows != null)
                    {
                        GroupIntervals = windows.GroupIntervals;
                        UsualInterval = windows.UsualInterval;
                        LongSteps = windows.LongSteps;
                        // An incremental run's rows count for the groups it saw; the others keep what training saw of them,
                        // as their intervals do (SlidingWindow.Plan's known intervals).
                        var rowsPerStep = new Dictionary<string, int>(continueTraining ? GroupRowsPerStep : new Dictionary<string, int>(), StringComparer.Ordinal);
                        foreach (var group in windows.WindowsPerGroup.Keys) rowsPerStep.Remove(group);
                        foreach (var pair in windows.GroupRowsPerStep) rowsPerStep[pair.Key] = pair.Value;
                        GroupRowsPerStep = rowsPerStep;
                        RowsPerStep = windows.Rows > 0 ? windows.RowsPerStep : continueTraining ? RowsPerStep : 1;
                    }
                    TrainingErrors = SampleSorted(thresholdErrors);
                    Training = summary;
                    ResetLearning();
                }
                return history;
            }
            catch
            {
                candidate.Dispose();
                throw;
            }
        }

        // Each row's group: the group of the windows it is in (null for a row in none, or when the plan does not name its
        // windows' groups).
        private static string?[]? RowGroupsOf(int rowCount, WindowPlan windows)
        {
            if (windows.WindowGroups.Count != windows.Windows.Count) return null;
            var groups = new string?[rowCount];
            for (int k = 0; k < windows.Windows.Count; k++)
                foreach (int row in windows.Windows[k]) groups[row] = windows.WindowGroups[k];
            return groups;
        }

        // Per training row (window): the inputs filled in for missing values (ForwardPass.FilledSlots; a window: in any of
        // its rows), or null; null for all when nothing was filled in.
        private static int[]?[]? FilledSlots(FeatureSchema schema, ImputedCells? imputed, int n, int d, WindowPlan? windows)
        {
            var cells = FilledCells(schema, imputed, n, windows);
            if (cells == null) return null;
            var filled = new int[]?[n];
            for (int i = 0; i < n; i++) filled[i] = ForwardPass.FilledSlots(schema, d, cells[i]);
            return filled;
        }

        // Per row (window): its values filled in as cells (step * schema.Width + column; a row model's row is step 0), or
        // null; null for all when nothing was filled in.
        private static int[]?[]? FilledCells(FeatureSchema schema, ImputedCells? imputed, int n, WindowPlan? windows)
        {
            if (imputed == null || imputed.Count == 0) return null;
            // One look-up per row of a window, not one per row and column.
            var byRow = imputed.ByRow();
            var filled = new int[]?[n];
            var cells = new List<int>();
            for (int i = 0; i < n; i++)
            {
                cells.Clear();
                int steps = windows != null ? windows.Windows[i].Length : 1;
                for (int t = 0; t < steps; t++)
                    if (byRow.TryGetValue(windows != null ? windows.Windows[i][t] : i, out var columns))
                        foreach (int c in columns) cells.Add(t * schema.Width + c);
                filled[i] = cells.Count > 0 ? cells.ToArray() : null;
            }
            return filled;
        }

        /// <summary>
        /// The scores of new rows taken to be normal, for a new threshold (Set-AutoencoderThreshold): rows featurized
        /// with <see cref="Schema"/>, with their values filled in (<paramref name="imputed"/>, by row and column) left
        /// out as training and scoring leave them. A sliding-window model scores the windows of the rows planned as in
        /// training (<paramref name="keys"/>, one per row; a time grid's cells), and gives none when no group has a
        /// window. Its counters' levels in <paramref name="rows"/> become their rates in place (the rates it could not take
        /// are added to <paramref name="imputed"/>).
        /// </summary>
        public double[] ScoresOfNormalRows(IReadOnlyList<double[]> rows, IReadOnlyList<WindowKey>? keys = null, ImputedCells? imputed = null,
            IReadOnlyList<int>? leftOutBefore = null)
        {
            // One network for all the rows: a training run at the same time waits.
            lock (sync)
            {
                ThrowIfDisposed();
                return ScoresOfNormalRowsCore(rows, keys, imputed, leftOutBefore);
            }
        }

        private static AutoencoderException NotTrained() => new AutoencoderException(ErrorIds.ModelNotTrained,
            "The model is not trained yet. Train it with Invoke-AutoencoderTraining, or load one with Import-Autoencoder.");

        // Called under the lock.
        private double[] ScoresOfNormalRowsCore(IReadOnlyList<double[]> rows, IReadOnlyList<WindowKey>? keys, ImputedCells? imputed,
            IReadOnlyList<int>? leftOutBefore = null)
        {
            var schema = Schema ?? throw NotTrained();
            var inputs = rows;
            WindowPlan? plan = null;
            if (Settings.IsWindowed)
            {
                if (keys == null || keys.Count != rows.Count) throw new ArgumentException("One window key per row.", nameof(keys));
                // A counter's levels become its rates, in place, as in training.
                if (schema.Columns.Any(c => c.IsCounter)) CounterRates.ToRates(schema, rows, keys, imputed ??= new ImputedCells(), leftOutBefore);
                if (Settings.TimeGrid)
                {
                    plan = SlidingWindow.PlanGrid(Settings.WindowSize, keys, rows, Settings.MaxGap, out var cellRows, GroupIntervals, UsualInterval, imputed, schema.Count);
                    inputs = cellRows;
                    imputed = plan.CellsImputed;
                }
                else plan = SlidingWindow.Plan(Settings.WindowSize, keys, Settings.MaxGap, GroupIntervals, UsualInterval, LongSteps, limitOf: MaxGapFor);
                if (plan.Windows.Count == 0 && rows.Count > 0)
                    throw new AutoencoderException(ErrorIds.EmptyThresholdInput, plan.NoWindowsMessage(Settings, "recalibrate on"));
            }
            int n = plan?.Windows.Count ?? rows.Count;
            var cells = FilledCells(schema, imputed, n, plan);
            var scores = new double[n];
            // The windows' groups, for a model scaled per group.
            var windowGroups = plan != null && plan.WindowGroups.Count == n ? plan.WindowGroups.ToArray() : null;
            const int Batch = 4096;
            for (int start = 0; start < n; start += Batch)
            {
                int count = Math.Min(Batch, n - start);
                var batch = new List<double[]>(count);
                for (int k = start; k < start + count; k++)
                {
                    if (plan == null) { batch.Add(inputs[k]); continue; }
                    var window = new double[Settings.WindowSize * schema.Width];
                    var members = plan.Windows[k];
                    for (int t = 0; t < members.Length; t++) Array.Copy(inputs[members[t]], 0, window, t * schema.Width, schema.Width);
                    batch.Add(window);
                }
                IReadOnlyList<int[]?>? batchCells = cells != null ? new ArraySegment<int[]?>(cells, start, count) : (IReadOnlyList<int[]?>?)null;
                IReadOnlyList<string>? batchGroups = windowGroups != null ? new ArraySegment<string>(windowGroups, start, count) : (IReadOnlyList<string>?)null;
                var scored = ScoreCore(batch, plan != null ? WindowSchema! : schema, filledCells: batchCells, scaleGroups: batchGroups);
                for (int k = 0; k < count; k++) scores[start + k] = scored[k].Score;
            }
            return scores;
        }

        // Per scored row (window): the inputs filled in, from the cells given (`cells`, a window's from every row) or else
        // from the features named (a row's own; a window's newest row's); null entries where none.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int[]?[] FilledSlots(IReadOnlyList<IReadOnlyList<string>?>? imputed, IReadOnlyList<int[]?>? cells, int n, int d)
        {
            var filled = new int[]?[n];
            int newest = d / Schema!.Width - 1;
            var named = new List<int>();
            for (int i = 0; i < n; i++)
            {
                if (cells != null)
                {
                    filled[i] = ForwardPass.FilledSlots(Schema!, d, cells[i]);
                    continue;
                }
                if (imputed?[i] is not { Count: > 0 } names) continue;
                named.Clear();
                foreach (var name in names)
                {
                    int c = Schema!.IndexOf(name);
                    if (c >= 0 && !named.Contains(newest * Schema.Width + c)) named.Add(newest * Schema.Width + c);
                }
                filled[i] = ForwardPass.FilledSlots(Schema!, d, named);
            }
            return filled;
        }

        // The training errors with each row that alone holds a curved feature's extreme scored, as a new row is, against the
        // range of the other rows (FeatureScaler.OthersRanges; an incremental run: of its other rows and of the range
        // trained before, `before`), in the units of the scores (the error weights): the rows' own errors
        // when no row does.
        private static double[] WithOthersRanges(AutoencoderNetwork network, LossKind loss, FeatureScaler scaler, FeatureScaler? before, int threads,
            IReadOnlyList<double[]> rows, float[] scaled, int d, double[] errors, int[]?[]? filled, ErrorWeights? weights, FeatureSchema schema)
        {
            double[]? result = null;
            var perInput = weights?.PerInput(schema, d);
            // Such rows a chunk at a time through one pass each (a wide row model has up to two per feature, each with a
            // scaling as wide as the row: all at once, 5,000 features held 10,000 of them), each scaled as the other rows
            // scale it; a filled-in value keeps the network's own reconstruction.
            foreach (var chunk in scaler.OthersRanges(rows, before, threads).Chunk(OthersRangesChunk))
            {
                result ??= (double[])errors.Clone();
                int m = chunk.Length;
                var picked = chunk.Select(e => rows[e.Row]).ToList();
                var others = chunk.Select(e => e.Others).ToList();
                var input = ForwardPass.Scale(scaler, picked, perRow: others);
                for (int k = 0; k < m; k++)
                    if (filled?[chunk[k].Row] is { } slots)
                        foreach (int j in slots) input[(long)k * d + j] = scaled[(long)chunk[k].Row * d + j];
                var beyond = ForwardPass.Beyond(scaler, picked, perRow: others);
                ForwardPass.Forward(network, loss, input, m, d, out var inputErrors, out _, beyond);
                var filledIn = new int[m];
                for (int k = 0; k < m; k++)
                    if (filled?[chunk[k].Row] is { } slots) { ForwardPass.Mask(inputErrors, k, d, slots); filledIn[k] = slots.Length; }
                if (perInput != null) Modeling.ErrorWeights.Apply(inputErrors, m, perInput);
                for (int k = 0; k < m; k++) result[chunk[k].Row] = ForwardPass.RowError(inputErrors, k, d, filledIn[k]);
            }
            return result ?? errors;
        }

        /// <summary>Folds of the cross-fitting that measures the errors of rows unseen in training (<see cref="UnseenErrorRatio"/>).</summary>
        public const int UnseenRowsFolds = 5;

        /// <summary>The fewest rows a threshold is cross-fitted on: each fold model trains on at least 16.</summary>
        public const int UnseenRowsMinRows = 20;

        /// <summary>
        /// From this many rows on, a row model's threshold comes from its training rows' own errors: the errors of rows
        /// unseen in training are measured to be no larger there (the probe of SmallBaselineThresholdTests: the ratio
        /// falls to about 1 by 2,000 rows), and the folds would cost four more trainings for nothing.
        /// </summary>
        public const int UnseenRowsMaxRows = 2000;

        /// <summary>
        /// How much larger the errors of rows a network was not trained on are than its training rows' own, at the
        /// threshold's rule: the rows are split into <see cref="UnseenRowsFolds"/> folds (seeded by the model's seed);
        /// a model of the same settings and options is trained on all folds but one and scores that one, as new rows are
        /// scored (scaled by, and beyond the range of, the rows it was trained on). Each fold model's held-out scores and
        /// own threshold errors are taken in units of its own threshold, and pooled; the ratio is the rule over the
        /// held-out ones to the rule over the own ones (for a percentile: the factor a model's own threshold needs for
        /// the rule's share of rows it never saw to lie above it). A ratio, not the held-out scores themselves: the fold
        /// models are other networks than the final one, trained on fewer rows, and what carries over to the final
        /// network is the gap between seen and unseen rows, not the fold models' scale.
        /// At least 1: a network does not know rows it never saw better than its own.
        /// </summary>
        private double UnseenErrorRatio(FeatureSchema schema, IReadOnlyList<double[]> rows, TrainingOptions options, ImputedCells? imputed,
            double trimmed, CancellationToken cancellation)
        {
            int n = rows.Count;
            var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
            Shuffle(order, new Random(unchecked(Settings.Seed * 31 + 17)));
            var fold = new int[n];
            for (int k = 0; k < n; k++) fold[order[k]] = k % UnseenRowsFolds;
            var byRow = imputed != null && imputed.Count > 0 ? imputed.ByRow() : null;
            var names = schema.Names;
            var foldOptions = options with { UnseenRowsThreshold = false };
            var unseen = new List<double>(n);
            var seen = new List<double>(n * (UnseenRowsFolds - 1));
            for (int f = 0; f < UnseenRowsFolds; f++)
            {
                cancellation.ThrowIfCancellationRequested();
                var train = new List<double[]>(n);
                var held = new List<double[]>(n / UnseenRowsFolds + 1);
                var heldImputed = byRow != null ? new List<IReadOnlyList<string>?>() : null;
                var trainImputed = byRow != null ? new ImputedCells() : null;
                for (int i = 0; i < n; i++)
                {
                    var cells = byRow != null && byRow.TryGetValue(i, out var found) ? found : null;
                    if (fold[i] == f)
                    {
                        held.Add(rows[i]);
                        heldImputed?.Add(cells?.Select(c => names[c]).ToArray());
                    }
                    else
                    {
                        if (cells != null) foreach (int c in cells) trainImputed!.Add(train.Count, c);
                        train.Add(rows[i]);
                    }
                }
                using var model = new AutoencoderModel(Settings);
                model.Train(schema, train, foldOptions, null, cancellation, imputed: trainImputed);
                // In units of the fold model's own threshold: each model's errors on its own scale.
                double own = model.Threshold;
                if (!(own > 0) || !double.IsFinite(own)) return 1;
                foreach (double e in model.TrainingErrors) seen.Add(e / own);
                foreach (var score in model.Score(held, heldImputed)) unseen.Add(score.Score / own);
            }
            double inSample = options.Threshold.Compute(seen, trimmed);
            double outOfSample = options.Threshold.Compute(unseen, trimmed);
            if (!(inSample > 0) || !double.IsFinite(outOfSample)) return 1;
            return Math.Max(1, outOfSample / inSample);
        }

        // Rows alone at an extreme scored in one pass (WithOthersRanges): at most this many rows' scalings are held at once.
        private const int OthersRangesChunk = 256;

        // A filled-in value was not measured: its errors are set to 0 and each row's score is the mean over the rest.
        private static void MaskFilledIn(float[] inputErrors, double[] scores, int d, int[]?[] filled)
        {
            for (int i = 0; i < filled.Length; i++)
            {
                if (filled[i] is not { } slots) continue;
                ForwardPass.Mask(inputErrors, i, d, slots);
                scores[i] = ForwardPass.RowError(inputErrors, i, d, slots.Length);
            }
        }

        /// <summary>Passes of the network that move a filled-in value to its reconstruction (<see cref="ImputeByReconstruction"/>).</summary>
        public const int ImputationPasses = 5;

        // A value filled in for a missing one starts at the training median (a numeric feature) or the most frequent
        // category, which can be far from what the row's measured values say (the daytime median at night): fed to the
        // network as it is, it pulls the reconstruction of the measured features away from them, and the row scores high
        // for a value nobody measured. So the filled-in inputs of each row (`filled`, FilledSlots) are replaced by their
        // reconstruction, ImputationPasses times: they settle where the network finds them consistent with the measured
        // ones, and the score then says how the measured values agree with each other. Only the rows with filled-in values
        // go through the extra passes; the rows keep their chunk positions' arithmetic (ForwardPass pads every chunk), so
        // a row's inputs do not depend on the rows scored with it.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private static void ImputeByReconstruction(AutoencoderNetwork net, LossKind loss, float[] scaled, int n, int d, int[]?[] filled)
        {
            var rows = new List<int>();
            for (int i = 0; i < n; i++) if (filled[i] != null) rows.Add(i);
            if (rows.Count == 0) return;
            int m = rows.Count;
            var part = new float[m * d];
            for (int k = 0; k < m; k++) Array.Copy(scaled, rows[k] * d, part, k * d, d);
            for (int pass = 0; pass < ImputationPasses; pass++)
            {
                ForwardPass.Forward(net, loss, part, m, d, out _, out float[] reconstructed);
                for (int k = 0; k < m; k++)
                    foreach (int j in filled[rows[k]]!) part[k * d + j] = reconstructed[k * d + j];
            }
            for (int k = 0; k < m; k++) Array.Copy(part, k * d, scaled, rows[k] * d, d);
        }

        /// <summary>The most numbers one scoring batch holds (4 Mi: 32 MB as doubles): batches are sized by bytes, not rows.</summary>
        public const int MaxBatchValues = 1 << 22;

        /// <summary>
        /// Rows (or windows) per scoring batch: <paramref name="requested"/>, but no more than fit in
        /// <see cref="MaxBatchValues"/> numbers at this model's input width, and at least 1.
        /// </summary>
        public int RowsPerBatch(int requested)
        {
            int width = Math.Max(1, Architecture?.InputSize ?? 1);
            return Math.Max(1, Math.Min(Math.Max(1, requested), MaxBatchValues / width));
        }

        /// <summary>
        /// Scores rows featurized with <see cref="Schema"/>, in one forward pass. <paramref name="transient"/>: the caller is
        /// done with the scores before it scores again (it writes them as they come, as a file scorer does, and reuses the
        /// rows' arrays too), and nobody else scores with this model meanwhile (a replica, or a model of its own): the next
        /// call then renews the same score objects and overwrites the arrays they read, instead of making new ones.
        /// <paramref name="featurizedBy"/>: the schema the caller read the rows by, when it read them before this call (a
        /// pipeline): refused with ModelChangedWhileScoring when the model has been trained afresh since.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public RowScore[] Score(IReadOnlyList<double[]> rows, IReadOnlyList<IReadOnlyList<string>?>? imputed = null, bool transient = false,
            FeatureSchema? featurizedBy = null)
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null || Scaler == null || Schema == null) throw NotTrained();
                ThrowIfTrainedSince(featurizedBy);
                if (Settings.IsWindowed)
                    throw new InvalidOperationException("A sliding-window model scores windows (ScoreWindows), not single rows.");
                if (imputed != null && imputed.Count != rows.Count)
                    throw new ArgumentException("One list of imputed features per row.", nameof(imputed));
                return ScoreCore(rows, Schema, imputed, transient: transient);
            }
        }

        /// <summary>
        /// Scores windows of a sliding-window model: each is <see cref="WindowSize"/> rows featurized with
        /// <see cref="Schema"/>, concatenated oldest first (see <see cref="WindowAssembler"/>), in one forward pass.
        /// The scores explain themselves by <see cref="WindowSchema"/> ("cpu (t-1)"). <paramref name="imputed"/>, when
        /// given, holds per window the features imputed in its newest row (null: none): such a feature is not stuck
        /// (<see cref="Modeling.HeldValues.Find"/>). <paramref name="filledCells"/>, when given, holds per window the
        /// values filled in in any of its rows (<c>step * Schema.Width + column</c>, WindowStep.FilledCells): they are
        /// moved to the network's reconstruction and left out of the score; without it, the newest row's
        /// <paramref name="imputed"/> features are. <paramref name="transient"/>, <paramref name="featurizedBy"/>: as for
        /// <see cref="Score"/>.
        /// </summary>
        public RowScore[] ScoreWindows(IReadOnlyList<double[]> windows, IReadOnlyList<IReadOnlyList<string>?>? imputed = null, IReadOnlyList<string>? groups = null,
            IReadOnlyList<int[]?>? filledCells = null, bool transient = false, FeatureSchema? featurizedBy = null)
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null || Scaler == null || Schema == null) throw NotTrained();
                ThrowIfTrainedSince(featurizedBy);
                if (!Settings.IsWindowed)
                    throw new InvalidOperationException("A row model scores rows (Score), not windows.");
                if (imputed != null && imputed.Count != windows.Count)
                    throw new ArgumentException("One list of imputed features per window.", nameof(imputed));
                if (groups != null && groups.Count != windows.Count)
                    throw new ArgumentException("One group per window.", nameof(groups));
                if (filledCells != null && filledCells.Count != windows.Count)
                    throw new ArgumentException("One list of filled-in cells per window.", nameof(filledCells));
                return ScoreCore(windows, WindowSchema!, imputed, groups, filledCells, transient, groups);
            }
        }

        /// <summary>
        /// Refuses, with ModelChangedWhileScoring, rows read (or a <paramref name="file"/> to be read) by
        /// <paramref name="featurizedBy"/> when the model no longer has that schema: trained afresh since (from another
        /// runspace, or further up the same pipeline), its network reads other columns, or the same ones scaled and encoded
        /// otherwise. An incremental run and a learning step keep the schema. Nothing to check when null.
        /// </summary>
        public void ThrowIfTrainedSince(FeatureSchema? featurizedBy, string? file = null)
        {
            lock (sync)
            {
                if (featurizedBy == null || ReferenceEquals(featurizedBy, Schema)) return;
                throw new AutoencoderException(ErrorIds.ModelChangedWhileScoring, file == null
                    ? "The model was trained again while rows were scored: the rows read since then were read by its former features and are not scored. Score them in a new call."
                    : $"The model was trained again while files were scored: '{file}' was not scored (the files before it were); score it in a new call.");
            }
        }

        // Called under the lock. The inputs are rows (row model) or windows (a window's slot j is row slot j mod d).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private RowScore[] ScoreCore(IReadOnlyList<double[]> rows, FeatureSchema explained, IReadOnlyList<IReadOnlyList<string>?>? imputed = null,
            IReadOnlyList<string>? groups = null, IReadOnlyList<int[]?>? filledCells = null, bool transient = false,
            IReadOnlyList<string>? scaleGroups = null)
        {
            var scaler = Scaler!;
            // Scaling per group: each window by its group's scaling (the fleet's for a group without one).
            var perRow = GroupScaling != null && scaleGroups != null ? GroupScaling.PerRow(scaleGroups) : null;
            var held = HeldValues; // null for a row model
            var counts = CountBursts; // null for a row model and a model without a sparse count
            int n = rows.Count, d = explained.Width;
            if (n == 0) return Array.Empty<RowScore>();
            foreach (var row in rows)
                if (row.Length != d)
                    throw new ArgumentException($"Each row must have {d} features.", nameof(rows));
            float[] scaled = ForwardPass.Scale(scaler, rows, scratch, perRow);
            var filled = imputed != null || filledCells != null ? FilledSlots(imputed, filledCells, n, d) : null;
            if (filled != null) ImputeByReconstruction(network!, Loss, scaled, n, d, filled);
            ForwardPass.Forward(network!, Loss, scaled, n, d, out float[] errors, out float[] reconstructed, ForwardPass.Beyond(scaler, rows, scratch, perRow), scratch,
                transient);
            // Each feature's error in units of its typical training error (null: all alike), before the score and its shares.
            if (inputWeights != null) Modeling.ErrorWeights.Apply(errors, n, inputWeights);
            var scores = new RowScore[n];
            // The rows' errors and the network's output stay in two arrays for the batch; each score reads its part, and
            // turns its output into original units only if it is explained.
            for (int i = 0; i < n; i++)
            {
                int at = i * d;
                // A value filled in for a missing one was not measured: its error is left out of the score (and the
                // explanation), which is the mean over the inputs that were.
                if (filled?[i] is { } slots) ForwardPass.Mask(errors, i, d, slots);
                double score = ForwardPass.RowError(errors, i, d, filled?[i]?.Length ?? 0);
                // A score that is not a number is never silently normal.
                scores[i] = transient
                    ? scratch.Score(i, explained, rows[i], score, !(score <= Threshold), errors, reconstructed, perRow?[i] ?? scaler, at)
                    : new RowScore(explained, rows[i], score, !(score <= Threshold), errors, reconstructed, perRow?[i] ?? scaler, at);
                if (held != null)
                {
                    string? group = groups?[i];
                    int column = held.Find(rows[i], imputed?[i], group);
                    // The window schema lists every row column once per step, oldest first: the held column at the last step.
                    if (column >= 0)
                        scores[i].MarkHeld(explained.Count - Schema!.Count + column, Schema.Columns[column].Name, rows[i][Schema.FirstSlot(column)],
                            held.WindowSize, held.RunsFor(group)[column]);
                }
                if (counts != null && scores[i].HeldFeature == null)
                {
                    string? group = groups?[i];
                    int column = counts.Find(rows[i], group, out double total);
                    // Named at the window's last step, as a held feature is.
                    if (column >= 0)
                        scores[i].MarkCount(explained.Count - Schema!.Count + column, Schema.Columns[column].Name, total, counts.WindowSize,
                            counts.RateFor(column, group)!.Mean, counts.LimitFor(column, group));
                }
            }
            return scores;
        }

        /// <summary>
        /// Sets a new threshold by <paramref name="rule"/> without retraining: from <paramref name="errors"/> (scores of
        /// new normal rows) when given, else from the stored training errors.
        /// </summary>
        public void SetThreshold(ThresholdRule rule, IReadOnlyList<double>? errors = null, string? source = null)
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null)
                    throw new AutoencoderException(ErrorIds.ModelNotTrained, "The model is not trained yet, so it has no errors to set a threshold from.");
                var basis = errors ?? TrainingErrors;
                if (rule.Method != ThresholdMethod.Manual && basis.Count == 0)
                    throw new AutoencoderException(ErrorIds.NoThresholdErrors, "There are no reconstruction errors to compute the threshold from. Pipe normal rows to recalibrate.");
                // The stored training errors include the rows robust training left out; errors of new rows are all normal.
                Threshold = rule.Compute(basis, errors == null ? Training?.TrimmedShare ?? 0 : 0);
                // The rule names the errors it was set from (a manual threshold was set from none).
                ThresholdRule = rule.On(errors == null || rule.Method == ThresholdMethod.Manual ? ThresholdErrors.Training : ThresholdErrors.NewRows);
                string when = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                ThresholdSource = source ?? (rule.Method == ThresholdMethod.Manual ? $"{ThresholdRule}; {when} UTC"
                    : errors == null ? $"{ThresholdRule}; stored errors of {basis.Count} training rows, recalibrated {when} UTC"
                    : $"{ThresholdRule}; errors of {basis.Count} new rows, recalibrated {when} UTC");
            }
        }

        /// <summary>A readable summary: features, layers, parameters, training state and threshold.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(IsTrained ? "Trained autoencoder " : "Untrained autoencoder ");
            text.Append(Layers);
            if (Schema != null) text.Append($", {Schema.Count} features");
            if (Settings.IsWindowed) text.Append($", windows of {Settings.WindowSize} rows");
            if (IsTrained) text.Append($", threshold {Threshold:G4} ({ThresholdRule})");
            if (LearnEvery > 0) text.Append($", learns every {LearnEvery} normal {(Settings.IsWindowed ? "windows" : "rows")}");
            return text.ToString();
        }

        public void Dispose()
        {
            lock (sync)
            {
                if (disposed) return;
                WaitUntilNotLent("dispose it");
                if (disposed) return;
                disposed = true;
                if (!borrowsNetwork) network?.Dispose();
                network = null;
            }
        }

        /// <summary>
        /// Lends the model's network to <see cref="ScoringReplica"/>s until the result is disposed: meanwhile nothing
        /// replaces, changes or frees it. Training's final swap, a continual-learning step and <see cref="Dispose"/> wait
        /// (on another thread; on the lending thread itself, a nested prompt during a file, they throw ModelInUse, as waiting
        /// could not end). Scoring, recalibrating and saving the model go on: they only read the network.
        /// </summary>
        internal IDisposable Hold()
        {
            lock (sync)
            {
                ThrowIfDisposed();
                lentTo.Add(Environment.CurrentManagedThreadId);
                return new Lease(this, Environment.CurrentManagedThreadId);
            }
        }

        private sealed class Lease : IDisposable
        {
            private AutoencoderModel? model;
            private readonly int thread;

            public Lease(AutoencoderModel model, int thread)
            {
                this.model = model;
                this.thread = thread;
            }

            public void Dispose()
            {
                var lender = Interlocked.Exchange(ref model, null);
                if (lender == null) return;
                lock (lender.sync)
                {
                    lender.lentTo.Remove(thread);
                    Monitor.PulseAll(lender.sync);
                }
            }
        }

        // Called under the lock before the network is replaced, changed or freed (`action`, for the message: "train it").
        private void WaitUntilNotLent(string action)
        {
            while (lentTo.Count > 0)
            {
                ThrowIfLentToThisThread(action);
                Monitor.Wait(sync);
            }
        }

        // Called under the lock. The thread that holds the network for a file can't wait for the file: it is the one
        // scoring it, and what runs on it now (a prompt nested in Test-Anomaly -OutputPath) comes before the file goes on.
        private void ThrowIfLentToThisThread(string action)
        {
            if (lentTo.Contains(Environment.CurrentManagedThreadId))
                throw new AutoencoderException(ErrorIds.ModelInUse,
                    $"The model is scoring a file on this thread (a prompt nested in Test-Anomaly -OutputPath), which holds its network until the file is done: {action} after the file.");
        }

        /// <summary>
        /// A model that scores as this one does, with this model's own network and settings, nothing copied, for one more
        /// thread: it has a lock of its own, so replicas score at once (libtorch's forward pass only reads the weights, as
        /// the training's scoring threads do; ForwardPass). Valid only while the caller holds this model
        /// (<see cref="Hold"/>); disposing it leaves the network to this model. Not for a model that learns while it scores
        /// (<see cref="Learns"/>: its weights change with the rows).
        /// </summary>
        internal AutoencoderModel ScoringReplica()
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null)
                    throw new AutoencoderException(ErrorIds.ModelNotTrained, "The model is not trained yet.");
                if (Learns) throw new InvalidOperationException("A model that learns while it scores changes its weights: it scores on one thread.");
                var replica = new AutoencoderModel(Settings)
                {
                    network = network,
                    borrowsNetwork = true,
                    Schema = Schema,
                    Scaler = Scaler,
                    GroupScaling = GroupScaling,
                    Architecture = Architecture,
                    Loss = Loss,
                    ThresholdRule = ThresholdRule,
                    Threshold = Threshold,
                    ThresholdSource = ThresholdSource,
                    TrainingErrors = TrainingErrors,
                    Training = Training,
                    GroupIntervals = GroupIntervals,
                    UsualInterval = UsualInterval,
                    LongSteps = LongSteps,
                    GroupRowsPerStep = GroupRowsPerStep,
                    RowsPerStep = RowsPerStep,
                    HeldValues = HeldValues,
                    CountBursts = CountBursts,
                    windowSchema = windowSchema,
                };
                replica.ErrorWeights = ErrorWeights;
                return replica;
            }
        }

        /// <summary>Used by the model file reader to rebuild a trained model.</summary>
        internal static AutoencoderModel Restore(
            ModelSettings settings, FeatureSchema schema, FeatureScaler scaler, NetworkArchitecture architecture,
            LossKind loss, ThresholdRule rule, double threshold, string thresholdSource, IReadOnlyList<double> trainingErrors,
            TrainingSummary? training, Action<torch.nn.Module> loadWeights,
            IReadOnlyDictionary<string, TimeSpan>? groupIntervals = null, TimeSpan? usualInterval = null, LearningState? learning = null,
            HeldValues? heldValues = null, ErrorWeights? errorWeights = null, CountBursts? countBursts = null,
            int rowsPerStep = 1, IReadOnlyDictionary<string, int>? groupRowsPerStep = null, GroupScaling? groupScaling = null,
            LongSteps? longSteps = null)
        {
            TorchRuntime.EnsureLoaded();
            var restored = NewNetwork(architecture, null);
            try
            {
                loadWeights(restored);
                restored.eval();
            }
            catch
            {
                restored.Dispose();
                throw;
            }
            var model = new AutoencoderModel(settings)
            {
                network = restored,
                Schema = schema,
                Scaler = scaler,
                GroupScaling = groupScaling,
                Architecture = architecture,
                Loss = loss,
                ThresholdRule = rule,
                Threshold = threshold,
                ThresholdSource = thresholdSource,
                TrainingErrors = trainingErrors.ToArray(),
                Training = training,
                GroupIntervals = groupIntervals ?? new Dictionary<string, TimeSpan>(),
                UsualInterval = usualInterval,
                LongSteps = longSteps ?? LongSteps.None,
                RowsPerStep = rowsPerStep,
                GroupRowsPerStep = groupRowsPerStep ?? new Dictionary<string, int>(),
                HeldValues = heldValues,
                CountBursts = countBursts,
            };
            // Set after the schema and architecture, from which it takes the weights per input.
            model.ErrorWeights = errorWeights;
            try
            {
                return model.WithLearning(learning);
            }
            catch
            {
                // A damaged learning section: the network just built is not handed out, so it is freed here.
                model.Dispose();
                throw;
            }
        }

        /// <summary>Runs <paramref name="action"/> on the network under the model's lock (for saving weights).</summary>
        internal void WithNetwork(Action<torch.nn.Module> action)
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null)
                    throw new AutoencoderException(ErrorIds.ModelNotTrained, "The model is not trained yet, so there is nothing to save.");
                action(network);
            }
        }

        internal const int MaxStoredErrors = 10000;

        /// <summary>
        /// The training errors, sorted; past <see cref="MaxStoredErrors"/> of them, that many evenly spaced order statistics
        /// (the first is the smallest, the last the largest). Positions are computed in double: as an int, k * (n - 1) passes
        /// int's range once there are more than about 215,000 errors (the same positions below that).
        /// </summary>
        internal static double[] SampleSorted(IReadOnlyList<double> errors)
        {
            var sorted = Statistics.Sorted(errors);
            if (sorted.Length <= MaxStoredErrors) return sorted;
            var sample = new double[MaxStoredErrors];
            for (int k = 0; k < MaxStoredErrors; k++)
                sample[k] = sorted[(int)Math.Round((double)k * (sorted.Length - 1) / (MaxStoredErrors - 1))];
            return sample;
        }

        // Every network is built under one gate: building draws from torch's process-wide random generator, so an
        // import or incremental run in another runspace must not move a seeded run's draws.
        private static AutoencoderNetwork NewNetwork(NetworkArchitecture architecture, int? seed)
        {
            lock (TorchSeedGate)
            {
                if (seed != null) torch.random.manual_seed(seed.Value);
                return new AutoencoderNetwork(architecture);
            }
        }

        private static void Shuffle(long[] order, Random random)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        private void ThrowIfDisposed()
        {
            if (disposed) throw new ObjectDisposedException(nameof(AutoencoderModel), "The model has been disposed.");
        }
    }
}
