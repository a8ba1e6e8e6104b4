using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// The one place rows are scored: featurized rows are windowed (sliding-window models), batched, scored in one
    /// forward pass per batch, judged (calibration and alerts, per group, in order) and handed to a sink in the order
    /// they came. Test-Anomaly's pipeline, file scoring and the scheduled job differ only in how they read rows and in
    /// their sink.
    /// <para>
    /// A batch is scored as soon as it is full (so rows stream out batch by batch), and on <see cref="Flush"/> for the
    /// last, partial one.
    /// </para>
    /// </summary>
    /// <typeparam name="TRow">What the caller needs to write a row (a record, a PowerShell object, a place in a buffer).</typeparam>
    public sealed class ScoringPipeline<TRow>
    {
        private readonly AutoencoderModel model;
        private readonly IScoredRowSink<TRow> sink;
        private readonly string timeColumn;
        private readonly List<TRow> rows = new List<TRow>();
        private readonly List<double[]?> inputs = new List<double[]?>();
        private readonly List<IReadOnlyList<string>?> imputed = new List<IReadOnlyList<string>?>();
        private readonly List<WindowKey> keys = new List<WindowKey>();
        // Per row: the machine whose performance counters stood for the model's ("" for none: FeatureSchema.InputMachine).
        private readonly List<string> machines = new List<string>();
        // Sliding windows: rows that hold no measurement (WindowStatus.NoData), which the windows did not take in.
        private readonly List<bool> noData = new List<bool>();
        private readonly List<double[]> spare = new List<double[]>();
        private readonly List<double[]> full = new List<double[]>();
        private readonly List<IReadOnlyList<string>?> fullImputed = new List<IReadOnlyList<string>?>();
        // Sliding windows: each window's values filled in, in any of its rows (WindowStep.FilledCells).
        private readonly List<int[]?> filled = new List<int[]?>();
        private readonly List<int[]?> fullFilled = new List<int[]?>();
        // Their groups (sliding windows): a group's own stuck-value runs judge its windows (Modeling.HeldValues).
        private readonly List<string> fullGroups = new List<string>();
        private readonly List<string> imputedScratch = new List<string>();

        private readonly bool recycle;
        // Scores may share the model's arrays (renewed by its next call): the sink is done with each before the next batch
        // and nobody else scores with the model meanwhile.
        private readonly bool transient;

        /// <summary>
        /// A pipeline for <paramref name="model"/> (trained) into <paramref name="sink"/>. A sliding-window model keeps its
        /// series in <paramref name="series"/> (a saved memory the scheduled job goes on from), or in a fresh one.
        /// <paramref name="sinkKeepsScores"/>: false when the sink is done with a row's score once it has written it (a
        /// file): the feature arrays are then reused from batch to batch. A score that stays with its row (a PowerShell
        /// object explains itself later) needs its own. <paramref name="modelIsOwn"/>: nobody else scores with
        /// <paramref name="model"/> while this pipeline does (a file worker's replica, a model loaded for the call, not one
        /// a user holds, which another runspace may score with too); with a sink that keeps no scores, the scores are then
        /// renewed from batch to batch, with the arrays they read, instead of made per row.
        /// </summary>
        public ScoringPipeline(AutoencoderModel model, ScoringOptions options, IScoredRowSink<TRow> sink, SeriesMemory? series = null,
            bool sinkKeepsScores = true, bool modelIsOwn = false)
        {
            recycle = !sinkKeepsScores;
            transient = recycle && modelIsOwn;
            this.model = model ?? throw new ArgumentNullException(nameof(model));
            this.sink = sink ?? throw new ArgumentNullException(nameof(sink));
            options = options ?? throw new ArgumentNullException(nameof(options));
            options.Validate();
            Schema = model.Schema ?? throw new AutoencoderException(ErrorIds.ModelNotTrained,
                "The model is not trained yet. Train it with Invoke-AutoencoderTraining, or load a trained one with Import-Autoencoder.");
            BatchSize = model.RowsPerBatch(options.BatchSize);
            IsWindowed = model.Settings.IsWindowed;
            if (IsWindowed) Series = series ?? SeriesMemory.For(model, options);
            else if (series != null) throw new ArgumentException("A row model keeps no series memory.", nameof(series));
            timeColumn = model.Settings.TimeProperty ?? "time";
        }

        /// <summary>The model's row schema: what a row is featurized by.</summary>
        public FeatureSchema Schema { get; }

        public int BatchSize { get; }

        public bool IsWindowed { get; }

        /// <summary>The memory of each series (sliding-window models; null for row models).</summary>
        public SeriesMemory? Series { get; }

        /// <summary>
        /// Sliding-window models: a row dated after this time is refused (<c>RowDatedAhead</c>) and leaves its group as it
        /// was; null (the default) takes any time. The scheduled job sets its clock and a day
        /// (<see cref="SeriesMemory.ClockSlack"/>): its memory lasts from run to run, and a group whose last row is dated
        /// ahead (a host's clock a year off, a mistyped year) would refuse every later row as out of order until that time
        /// came.
        /// </summary>
        public DateTime? LatestRowTime { get; set; }

        /// <summary>Rows added and not yet handed to the sink.</summary>
        public int Pending => rows.Count;

        /// <summary>Rows handed to the sink with a score.</summary>
        public long Scored { get; private set; }

        /// <summary>Rows handed to the sink without a score (sliding-window models: their group was warming up).</summary>
        public long WarmingUp { get; private set; }

        /// <summary>
        /// Rows of a sliding-window model handed to the sink as <see cref="WindowStatus.NoData"/>: no feature had a value
        /// (<see cref="FeatureSchema.HoldsNoMeasurement(IReadOnlyCollection{string}?)"/>), and the windows took them as absent.
        /// </summary>
        public long NoData { get; private set; }

        /// <summary>The first row counted in <see cref="NoData"/>: its group and time.</summary>
        public WindowKey? FirstNoData { get; private set; }

        public long Anomalies { get; private set; }

        /// <summary>Rows that raised an alert (sliding-window models).</summary>
        public long Alerts { get; private set; }

        /// <summary>
        /// Scored rows whose raw error is above the model's threshold, whatever their verdict: by default about 1 in 100 of rows like
        /// the training rows. A calibrated verdict judges a row against the other rows of its group, so when most rows are
        /// above it (rows unlike the training rows) the verdicts alone do not show it.
        /// </summary>
        public long AboveThreshold { get; private set; }

        /// <summary>Scored rows of a run before more than half of them above the model's threshold says anything.</summary>
        public const int UnlikeTrainingAfterRows = 100;

        /// <summary>
        /// A warning when more than half of this pipeline's scored rows (at least <see cref="UnlikeTrainingAfterRows"/>) are
        /// above the model's threshold, and few training rows were (under a quarter; by default 1 in 100); else null.
        /// Calibrated verdicts judge a row against its group's other rows: among rows that are all unusual (a model trained
        /// on a day of another series, or before a lasting change) an incident can be no more unusual than the rest (an
        /// operator trial: spikes 9-73 times the threshold passed unflagged after a one-day baseline). Verdicts by the
        /// threshold alone flag them all: the warning says that the model, not the rows, is the likely cause. Test-Anomaly
        /// says it once per call, the scheduled job once per run.
        /// </summary>
        public string? UnlikeTrainingWarning() => UnlikeTrainingWarning(Scored, AboveThreshold, acrossRuns: false);

        /// <summary>
        /// As <see cref="UnlikeTrainingWarning()"/>, for <paramref name="scored"/> rows of which <paramref name="above"/> were
        /// above the threshold: the scheduled job's recent rows over its runs (<see cref="Incremental.ScoringRecentRows"/>;
        /// a job that runs every few minutes scores too few rows in one run to tell).
        /// </summary>
        public string? UnlikeTrainingWarning(double scored, double above, bool acrossRuns)
        {
            if (scored < UnlikeTrainingAfterRows || above * 2 <= scored) return null;
            var training = model.TrainingErrors;
            double trained = training.Count == 0 ? 0 : (double)training.Count(e => e > model.Threshold) / training.Count;
            if (trained >= 0.25) return null;
            var invariant = CultureInfo.InvariantCulture;
            // Verdicts by the threshold alone (a row model, or -Calibration None): the rows are flagged, a flood rather
            // than a silence, but its cause is the model's, not the rows': an operator's row model of a Prometheus export
            // flagged 2,850 of 2,850 normal rows without a word (counters of several hosts kept as levels).
            if (Series?.Verdicts.Likelihood == null)
                return $"{(above / scored).ToString("P0", invariant)} of the {(acrossRuns ? "last " : "")}{scored.ToString("N0", invariant)} scored rows" +
                    $"{(acrossRuns ? " (over this job's runs)" : "")} are above the model's threshold ({model.Threshold.ToString("G4", invariant)}, which " +
                    $"{trained.ToString("P1", invariant)} of its training rows were above): these rows are unlike the rows it was trained on, so most " +
                    "of these anomalies say that, not that something happened. Their AnomalyTopFeature names the column that differs most: a " +
                    "column whose level keeps growing (a counter, a time, an id) belongs out of the features (New-Autoencoder -Feature), and " +
                    "rows of another series, or after a lasting change, need a model trained on rows like them.";
            return $"{(above / scored).ToString("P0", invariant)} of the {(acrossRuns ? "last " : "")}{scored.ToString("N0", invariant)} scored rows" +
                $"{(acrossRuns ? " (over this job's runs)" : "")} have a " +
                $"reconstruction error above the model's threshold ({model.Threshold.ToString("G4", invariant)}, which " +
                $"{trained.ToString("P1", invariant)} of its training rows were above): these rows are unlike the rows it was trained on " +
                "(another series, a lasting change, or too short a baseline). The verdicts judge each row against the other rows of its group, so " +
                "among rows that are all unusual an incident can go unflagged. Train the model on rows like these (several days of them; after a " +
                "lasting change, Invoke-AutoencoderTraining -Incremental), or score with -Calibration None to judge by the threshold alone.";
        }

        /// <summary>
        /// The fewest rows repeating a time that <see cref="SharedTimesWarning"/> warns of: a scheduled run of five rows with
        /// one sent twice is one in five, and a job that runs every few minutes would say so run after run.
        /// </summary>
        public const int MinSharedTimes = 10;

        /// <summary>
        /// A warning when more than one scored row in ten, and at least <see cref="MinSharedTimes"/>, had the same time as the row before it in its series (the
        /// training's rule, <see cref="WindowPlan.SharedTimesWarning"/>), else null: a window then holds a row twice, or
        /// rows of two sources or metrics (a time grid averages them into one cell), and scores as unusual for that alone.
        /// Said once per call or run.
        /// </summary>
        public string? SharedTimesWarning()
        {
            if (Series?.Windows is not { } windows || windows.SharedTimes < MinSharedTimes || windows.SharedTimes * 10 <= windows.TimedRows) return null;
            var invariant = CultureInfo.InvariantCulture;
            string group = model.Settings.GroupBy == null ? "series" : $"group ('{model.Settings.GroupBy}')";
            return $"{windows.SharedTimes.ToString("N0", invariant)} of the {windows.TimedRows.ToString("N0", invariant)} rows had the same time as the row " +
                $"before them in their {group} (the first{Where(windows.FirstSharedTime)}): " +
                (model.Settings.TimeGrid
                    // A grid averages the rows of one cell: a row sent again with its values is not counted, other values are mixed in.
                    ? "two exporters writing one series, or one measurement per row (time, metric, value)? The time grid averages the rows of " +
                      "one time into one cell (a row sent again with the same values is not counted here), so values of different sources or " +
                      "metrics are mixed, and the window scores as unusual for that alone. Keep one source's rows, "
                    : "the same rows sent twice, two exporters writing one series, or one measurement per row (time, metric, value)? A window then " +
                      "holds a row twice, or rows of different sources, and scores as unusual for that alone. Drop the repeated rows, ") +
                (model.Settings.GroupBy == null ? "give the model a -GroupBy that tells the sources apart (and train it so), " : "") +
                "or pivot a long export to one row per time (see 'Long exports' in about_AutoencoderPS).";
        }

        // Where a row of a series is, for a warning: " at <time> of group '<group>'" (either part may be absent). With a model's
        // time zone, times are instants: shown as the export's clock time.
        private string Where(WindowKey key)
        {
            var shown = key.Time is DateTime t && t.Kind == DateTimeKind.Utc && model.Settings.Zone is { } zone
                ? TimeZoneInfo.ConvertTimeFromUtc(t, zone) : key.Time;
            return (shown is DateTime at ? $" at {WindowAssembler.Format(at)}" : "") + WindowAssembler.GroupText(key.Group);
        }

        /// <summary>
        /// A warning when most of the rows of one call (Test-Anomaly) only warmed windows up, so they were not scored:
        /// a short export (the last hour of 5-minute rows, with a window of 24) scores few rows or none, and without a
        /// word an operator takes its silence for "nothing happened". Null when most were scored, or with no rows.
        /// Not for the scheduled job, whose windows go on from run to run.
        /// </summary>
        public string? WarmingUpWarning()
        {
            if (Series == null || WarmingUp == 0 || WarmingUp * 2 <= WarmingUp + Scored) return null;
            var invariant = CultureInfo.InvariantCulture;
            return $"{WarmingUp.ToString("N0", invariant)} of the {(WarmingUp + Scored).ToString("N0", invariant)} rows only warmed windows up and were not scored " +
                $"(each series' first {(model.WindowSize - 1).ToString(invariant)} {(model.Settings.TimeGrid ? "time steps" : "rows")}, and the rows after a gap longer than its largest): " +
                "Test-Anomaly judges the rows of each call on their own, so a short export of a time-series model scores few rows or none, and " +
                "each call on overlapping exports pages again for what the last one paged. Score longer stretches (a day), or score on a " +
                "schedule with Invoke-AnomalyScoring, which carries each series' windows, history and cool-down from one run to the next." +
                (model.Settings.TimeProperty != null && !model.Settings.TimeGrid
                    ? " If rows go missing now and then, New-Autoencoder -TimeGrid keeps a window whole across a missing row." : "");
        }

        /// <summary>
        /// A warning naming the groups a model scaled per group scored in the fleet-wide scaling, because training saw none
        /// or too few of their rows (<see cref="GroupScaling.MinRows"/>); null when there were none. Said once per call
        /// (Test-Anomaly) or run (the scheduled job). Their scores are in the fleet's units: an incident that keeps such a
        /// host within the fleet's range of levels can reconstruct like a normal row of another host.
        /// </summary>
        public string? FleetScaledGroupsWarning() => FleetScaledGroupsWarning(fleetScaled);

        /// <summary>The groups this pipeline scored in the fleet-wide scaling (<see cref="FleetScaledGroupsWarning()"/>), in the order met.</summary>
        public IReadOnlyList<string> FleetScaledGroups => fleetScaled;

        /// <summary>The warning of <see cref="FleetScaledGroupsWarning()"/> for <paramref name="fleetScaled"/> (a file scorer's workers' groups); null for none.</summary>
        public static string? FleetScaledGroupsWarning(IReadOnlyList<string> fleetScaled)
        {
            if (fleetScaled.Count == 0) return null;
            return $"The model scales each group by its own training rows (-ScalePerGroup), but training saw too few rows of group(s) {PrintableText.QuotedList(fleetScaled)} " +
                $"(fewer than {GroupScaling.MinRows.ToString(CultureInfo.InvariantCulture)}, or none): they were scaled by the whole fleet's rows, so an incident that keeps " +
                "such a host within the fleet's range of levels may pass as normal. Train the model further on their rows (Invoke-AutoencoderTraining -Incremental) to give them their own scaling.";
        }

        // The groups scored in the fleet-wide scaling though the model scales per group, in the order met.
        private readonly List<string> fleetScaled = new List<string>();
        private readonly HashSet<string> fleetScaledSeen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>
        /// A warning when this pipeline wrote rows as <see cref="WindowStatus.NoData"/> (no feature had a value),
        /// else null: their windows go on as across absent rows, so nothing else says that a host stopped reporting. Said
        /// once per call (Test-Anomaly) or per run (the scheduled job).
        /// </summary>
        public string? NoDataWarning()
        {
            if (NoData == 0 || FirstNoData is not { } first) return null;
            var invariant = CultureInfo.InvariantCulture;
            string where = Where(first);
            if (where.Length > 0) where = ", the first" + where;
            var measured = Schema.MeasuredNames.Select(c => $"'{c}'").ToArray();
            return $"{NoData.ToString("N0", invariant)} row(s) had no value in any of the model's features ({PrintableText.Cut(string.Join(", ", measured), 200)}){where}: " +
                "a host down, or an export of times alone? They are written with AnomalyStatus NoData, not scored, and each series' window " +
                (model.Settings.TimeProperty != null
                    ? "takes them as absent rows: a gap longer than the series' largest (by default 2.5 usual intervals) breaks it, and it warms up again."
                    : "goes on across them (the model has no time property to tell a gap by).");
        }

        /// <summary>
        /// Featurizes <paramref name="record"/> by the model's schema (and reads its group and time for a sliding-window
        /// model) and adds it as <paramref name="row"/>. Returns the reason when the row can't be scored (a value that
        /// can't be read, a row out of time order): it is then not added, and a window's state is as it was (without a
        /// time property, a counter's next rate is per row over it too: it was a row of the series).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public FeatureValueException? Add(IRecord record, TRow row, CultureInfo culture, MissingValuePolicy policy)
        {
            var features = RentFeatures();
            imputedScratch.Clear();
            WindowKey key;
            try
            {
                Schema.Featurize(record, culture, features, policy, imputedScratch);
                key = IsWindowed ? SlidingWindow.ReadKey(record, model.Settings, Schema, culture) : default;
            }
            catch (FeatureValueException e)
            {
                ReturnFeatures(features);
                // The scheduled job: a row sent again is skipped whatever its values (it was scored, or reported, when it
                // first came); a row refused for its values takes its time, so that it is skipped when it is sent again.
                if (IsWindowed && model.Settings.TimeProperty != null && Series!.Windows.KeepsScoredTimes && TryReadKey(record, culture) is { } sent)
                {
                    if (Series.Windows.ScoredBefore(sent)) return WindowAssembler.AlreadyScored(new WindowKey(sent.Group, sent.Time), timeColumn);
                    Series.Windows.Refused(sent);
                }
                // Without a time property a row that can't be read is still a row of its series: a counter's next rate
                // is per row over it too, as training takes it (SeriesRows).
                if (IsWindowed && model.Settings.TimeProperty == null && Series?.Counters is { } counters)
                {
                    try { counters.Absent(SlidingWindow.ReadKey(record, model.Settings, Schema, culture)); }
                    catch (FeatureValueException) { } // no group to count it in
                }
                // Named as the row's input names the column (another machine's counters read for the model's).
                return e.ReadOn(Schema.InputMachine(record), culture);
            }
            try
            {
                Add(row, features, imputedScratch.Count > 0 ? imputedScratch.ToArray() : null, key, Schema.InputMachine(record));
                return null;
            }
            catch (FeatureValueException e)
            {
                // Out of time order: the window of its group is as it was (the features are back in the pool).
                return e;
            }
        }

        // The row's group and time, or null when they can't be read (the row's error says why).
        private WindowKey? TryReadKey(IRecord record, CultureInfo culture)
        {
            try { return SlidingWindow.ReadKey(record, model.Settings, Schema, culture); }
            catch (FeatureValueException) { return null; }
        }

        /// <summary>
        /// Adds a row featurized by the caller into an array from <see cref="RentFeatures"/> (the pipeline owns it from
        /// here). A sliding-window model needs the row's <paramref name="key"/>; a row earlier than its group's last one
        /// throws <see cref="FeatureValueException"/> <c>RowOutOfOrder</c> (after <see cref="LatestRowTime"/>:
        /// <c>RowDatedAhead</c>; of a time its group took from an earlier source, <see cref="WindowAssembler.ScoredBefore"/>:
        /// <c>RowAlreadyScored</c>) and is not added.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Add(TRow row, double[] features, IReadOnlyList<string>? imputedFeatures, WindowKey key = default, string inputMachine = "")
        {
            double[]? input = features;
            int[]? cells = null;
            bool absent = false;
            // A row of a time its group took from an earlier source (the scheduled job: a re-export that overlaps the last
            // one) was scored then: skipped, before anything reads it (the counters' rates, the window).
            if (IsWindowed && Series!.Windows.ScoredBefore(key))
            {
                ReturnFeatures(features);
                throw WindowAssembler.AlreadyScored(new WindowKey(key.Group, key.Time), timeColumn);
            }
            if (IsWindowed && Schema.HoldsNoMeasurement(imputedFeatures))
            {
                // No value in any measurement (a host down): values filled in throughout would make windows of medians,
                // whose errors are none and teach the likelihood that errors are none (the real rows after the outage then
                // page). As if absent: the group's window, counters and times are as they were, and its next row with
                // values goes on from them, or warms up again after a gap longer than the group's largest.
                ReturnFeatures(features);
                input = null;
                absent = true;
                // Its time read as any row's (the hour clocks repeat), and kept for the rows after it.
                key = Series!.Windows.Witness(key);
                // Without a time property it is still a row: a counter's next rate is per row over it too.
                Series.Counters?.Absent(key);
            }
            else if (IsWindowed)
            {
                // One time for a repeated local time, before anything reads it (the clock check, the counters' rates).
                key = Series!.Windows.Resolve(key);
                if (key.Time > LatestRowTime)
                {
                    ReturnFeatures(features);
                    throw WindowAssembler.DatedAhead(key, LatestRowTime!.Value, timeColumn);
                }
                // A counter's level becomes its rate since the group's last row; a rate that can't be taken is filled in.
                if (Series!.Counters is { } counters)
                    imputedFeatures = counters.FillIn(features, counters.Next(key, features), imputedFeatures);
                // The assembler copies the row into its window; the array goes back to the pool at once.
                List<int>? filledIn = null;
                if (imputedFeatures != null)
                    foreach (var name in imputedFeatures)
                        if (Schema.IndexOf(name) is int c and >= 0) (filledIn ??= new List<int>()).Add(c);
                try
                {
                    var step = Series!.Windows.Push(key, features, filledIn, timeColumn);
                    input = step.Window;
                    cells = step.FilledCells;
                }
                finally
                {
                    ReturnFeatures(features);
                }
            }
            filled.Add(cells);
            noData.Add(absent);
            rows.Add(row);
            inputs.Add(input);
            imputed.Add(imputedFeatures);
            keys.Add(key);
            machines.Add(inputMachine);
            if (rows.Count >= BatchSize) Flush();
        }

        /// <summary>An array of the schema's width for <see cref="Add(TRow, double[], IReadOnlyList{string}?, WindowKey, string)"/> (reused between batches).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public double[] RentFeatures()
        {
            if (spare.Count == 0) return new double[Schema.Width];
            var last = spare[^1];
            spare.RemoveAt(spare.Count - 1);
            return last;
        }

        /// <summary>Gives back an array from <see cref="RentFeatures"/> that was not added (it may be handed out again).</summary>
        public void ReturnFeatures(double[] features)
        {
            if (features.Length == Schema.Width && (recycle || IsWindowed)) spare.Add(features);
        }

        /// <summary>Drops the last row added (row models only: a window can't be taken back).</summary>
        public void DropLast()
        {
            if (IsWindowed) throw new InvalidOperationException("A sliding-window model's row can't be taken back: its window has moved on.");
            if (rows.Count == 0) return;
            int last = rows.Count - 1;
            ReturnFeatures(inputs[last]!);
            rows.RemoveAt(last);
            noData.RemoveAt(last);
            filled.RemoveAt(last);
            inputs.RemoveAt(last);
            imputed.RemoveAt(last);
            keys.RemoveAt(last);
            machines.RemoveAt(last);
        }

        /// <summary>
        /// Scores the pending rows and hands them to the sink, in order. A batch is handed over once: when the model or
        /// the sink fails, its rows are dropped, never written twice.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Flush()
        {
            if (rows.Count == 0) return;
            try
            {
                // A model that learns (AutoencoderModel.LearnEvery) changes its weights after some normal row: the rows after
                // it are scored again with the new weights, so a row's score does not depend on how rows were batched.
                int from = 0;
                while (from < rows.Count) from = ScoreAndWrite(from);
            }
            finally
            {
                Clear();
            }
        }

        // Scores the pending rows from index `from`, judges and writes them in order; returns where to go on: rows.Count
        // when done, or the index after the last row written (after a row whose learning changed the weights, or at the end
        // of a slice). A model that learns is scored in slices of LearnEvery rows, so an update rescores at most one slice:
        // the cost stays linear in the rows however small LearnEvery is.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int ScoreAndWrite(int from)
        {
            bool learns = model.Learns;
            int to = learns ? Math.Min(rows.Count, from + Math.Max(model.LearnEvery, MinLearningSlice)) : rows.Count;
            RowScore[] scores;
            full.Clear();
            fullImputed.Clear();
            fullGroups.Clear();
            fullFilled.Clear();
            if (!IsWindowed && from == 0 && to == rows.Count)
            {
                // A row model's inputs are all there: every row has its features.
                scores = model.Score(inputs!, imputed, transient, Schema);
            }
            else
            {
                for (int i = from; i < to; i++)
                    if (inputs[i] != null)
                    {
                        full.Add(inputs[i]!);
                        fullImputed.Add(imputed[i]);
                        if (IsWindowed)
                        {
                            fullGroups.Add(keys[i].Group);
                            fullFilled.Add(filled[i]);
                        }
                    }
                // Each window goes with the features imputed in its newest row (a value scoring filled in is not one a
                // sensor held, Modeling.HeldValues.Find) and the values filled in in any of its rows (not scored).
                if (IsWindowed && model.GroupScaling != null)
                    foreach (var group in model.GroupsScaledFleetWide(fullGroups))
                        if (fleetScaledSeen.Add(group)) fleetScaled.Add(group);
                scores = full.Count == 0 ? Array.Empty<RowScore>() : IsWindowed
                    ? model.ScoreWindows(full, fullImputed, fullGroups, fullFilled, transient, Schema) : model.Score(full, fullImputed, transient, Schema);
            }
            int next = 0;
            for (int i = from; i < to; i++)
            {
                RowScore? score = inputs[i] != null ? scores[next++] : null;
                bool teaches = false;
                if (score != null)
                {
                    bool aboveThreshold = score.IsAnomaly;
                    if (aboveThreshold) AboveThreshold++;
                    if (IsWindowed)
                    {
                        // What drove the error: the row feature with the largest error (a window's, at any of its steps).
                        Series!.Verdicts.Apply(score, keys[i], score.TopFeature % Schema.Count);
                        if (score.IsAlert) Alerts++;
                    }
                    Scored++;
                    if (score.IsAnomaly) Anomalies++;
                    // Only rows judged normal teach the model: never a row that is warming up, never an anomaly, and, when
                    // a row has no probability (a learning group without the model's training errors to stand in), never
                    // a row above the model's own threshold, nor a row model's row that held no value (its features' medians:
                    // training leaves such rows out).
                    teaches = learns && !score.IsAnomaly && !(aboveThreshold && score.Probability == null) &&
                              !Schema.HoldsNoMeasurement(imputed[i]);
                }
                else if (noData[i])
                {
                    NoData++;
                    FirstNoData ??= keys[i];
                }
                else WarmingUp++;
                // Another machine's counters read for the model's: the row's features are named as its input names them.
                var filledIn = imputed[i];
                if (machines[i].Length > 0)
                {
                    // A local of this block: a lambda capturing the loop's i would cost a closure on every call.
                    string machine = machines[i];
                    score?.ReadAs(machine);
                    if (filledIn != null) filledIn = filledIn.Select(name => CounterPath.OnMachine(name, machine)).ToArray();
                }
                // Written before the model learns from it: a failed update never loses the row.
                sink.Write(rows[i], score, filledIn, score != null ? WindowStatus.Scored : noData[i] ? WindowStatus.NoData : WindowStatus.WarmingUp);
                if (teaches && model.LearnFrom(inputs[i]!, Schema, IsWindowed ? keys[i].Group : null)) return i + 1;
            }
            return to;
        }

        // The fewest rows scored at once by a model that learns (a LearnEvery of 1 still scores small batches, not single rows).
        private const int MinLearningSlice = 16;

        /// <summary>Drops the pending rows unscored (Ctrl+C).</summary>
        public void Clear()
        {
            if (!IsWindowed) foreach (var input in inputs) ReturnFeatures(input!);
            rows.Clear();
            noData.Clear();
            filled.Clear();
            inputs.Clear();
            imputed.Clear();
            keys.Clear();
            machines.Clear();
            full.Clear();
            fullImputed.Clear();
            fullGroups.Clear();
            fullFilled.Clear();
        }
    }
}
