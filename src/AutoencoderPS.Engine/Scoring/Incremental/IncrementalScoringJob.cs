using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Win32.SafeHandles;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>
    /// One unattended run of incremental scoring: scores only what is new in the input files since the last committed
    /// run, appends the results to one output file, and commits how far it got in a state file after every batch.
    /// <para>
    /// Order of a batch: the results are appended and flushed to disk, then the state (output length, each file's
    /// offset) is written atomically. A run killed at any moment leaves either the old state with output bytes past its
    /// committed length, which the next run cuts off before it writes, or the new state: nothing is lost and nothing is
    /// written twice. Before its first byte, a run commits that it is writing (<see cref="ScoringOutputState.WritingFrom"/>),
    /// and clears that once it ended with the output at its committed length: bytes past the committed length of a
    /// state that says no run was writing are not a killed run's but results committed after it (an older copy of the
    /// state, restored), and are never cut. The caller holds the <see cref="ScoringLock"/> for the state while the run lasts.
    /// </para>
    /// </summary>
    public sealed partial class IncrementalScoringJob
    {
        // The model the caller gave, or (a model that learns) the one learned from it over earlier runs (owned by the run).
        private AutoencoderModel model;
        private AutoencoderModel? learned;
        private string? learningBase;
        private readonly IncrementalScoringOptions options;
        private readonly IScoringObserver observer;
        private readonly FeatureSchema schema;
        private readonly Encoding encoding;
        private readonly string outputPath;
        private readonly string statePath;
        private readonly int batchSize;
        private ScoringState state = null!;
        private FileStream? outputFile;
        private JobOutput? writer;
        private ScoringPipeline<CsvRecord>? pipeline;
        private AnomalyScoringSummary summary = null!;
        private readonly IReadOnlyList<string> scoreColumns;
        private (long Scored, long WarmingUp, long NoData, long Anomalies, long Alerts, long Above) committed;
        // The output is empty when the run opens it (new, or rotated): its CSV header is still to be written (DecideOutputColumns).
        private bool headerToWrite;
        // This run committed that it writes to the output (ScoringOutputState.WritingFrom), to be cleared when it ends.
        private bool writing;
        // The series memory changed after the last commit (ForgetSilentGroups), to be committed at the end of the run.
        private bool memoryChanged;

        /// <summary>
        /// A job scoring with <paramref name="model"/>, which it has to itself while it runs (loaded from the model file for
        /// the run: nobody else scores with it meanwhile, so its scores are renewed from batch to batch).
        /// </summary>
        public IncrementalScoringJob(AutoencoderModel model, IncrementalScoringOptions options, IScoringObserver observer)
        {
            this.model = model ?? throw new ArgumentNullException(nameof(model));
            this.options = options ?? throw new ArgumentNullException(nameof(options));
            this.observer = observer ?? throw new ArgumentNullException(nameof(observer));
            schema = model.Schema ?? throw new AutoencoderException(ErrorIds.ModelNotTrained,
                "The model is not trained yet. Train it with Invoke-AutoencoderTraining, or load a trained one with Import-Autoencoder.");
            if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be at least 1.");
            options.Scoring.Validate();
            scoreColumns = ScoreColumns.For(model.Settings.IsWindowed, source: true);
            encoding = options.Csv.Encoding ?? new UTF8Encoding(false);
            batchSize = model.RowsPerBatch(options.BatchSize);
            outputPath = Path.GetFullPath(options.OutputPath);
            statePath = Path.GetFullPath(options.StatePath);
            if (JobFiles.SameFile(new[] { new JobFiles.Named(JobFileRole.Output, "-OutputPath", outputPath), new JobFiles.Named(JobFileRole.State, "-StatePath", statePath) },
                    PathComparison) is { } same) throw same;
        }

        /// <summary>Paths compare without case on Windows and macOS, with case elsewhere.</summary>
        public static StringComparison PathComparison =>
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>Test hook: called with "output-flushed" after a batch's results are on disk and before the state is committed.</summary>
        internal Action<string>? Checkpoint { get; set; }

        /// <summary>
        /// Scores what is new in <paramref name="files"/>. Problems with one input file are reported to the observer and
        /// counted; problems with the state or the output are thrown (<see cref="AutoencoderException"/>).
        /// </summary>
        public AnomalyScoringSummary Run(IReadOnlyList<string> files)
        {
            var clock = Stopwatch.StartNew();
            summary = new AnomalyScoringSummary { OutputPath = outputPath, StatePath = statePath };
            writing = memoryChanged = false;
            CsvRecordScanner.CheckEncoding(encoding);
            CsvRecordScanner.DelimiterByte(encoding, options.Csv.EffectiveDelimiter);

            var plans = new List<FilePlan>();
            var original = model;
            bool ended = false;
            try
            {
                bool started = LoadState();
                KeepInputEncoding(started);
                OpenOutput();
                // Committed once the output is open (created if need be), before this run writes a byte of it: a run that
                // can't open its output (a folder that does not exist, no permission) leaves no state that names it, so
                // the next run, with that output or another, is a first run. A run killed between the two leaves an empty
                // output without a state, which the next run takes as new; one killed after finds a state that says a run
                // was writing from its committed length, and cuts whatever was written after that back.
                state.Output.WritingFrom = state.Output.Length;
                SaveState();
                writing = true;
                if (started) observer.Verbose($"Started a new scoring state '{statePath}'.");
                StartPipeline();
                long rowsBefore = pipeline!.Series?.Windows.Rows ?? 0;
                plans = Plan(files);
                DecideOutputColumns(plans);
                foreach (var plan in plans)
                {
                    if (observer.StopRequested) { summary.Stopped = true; break; }
                    if (!ScoreFile(plan)) { summary.Stopped = true; break; }
                }
                if (!summary.Stopped) ForgetSilentGroups(rowsBefore);
                if (pipeline.NoDataWarning() is { } noData) observer.Warning(noData);
                if (pipeline.SharedTimesWarning() is { } shared) observer.Warning(shared);
                if (pipeline.FleetScaledGroupsWarning() is { } fleetScaled) observer.Warning(fleetScaled);
                // Over the recent runs: a job that runs every few minutes scores too few rows in one run to tell. Only in a
                // run that scored rows: a host that stopped sending them is not warned about run after run.
                var recent = state.Recent;
                if (recent != null && pipeline.Scored > 0 && pipeline.UnlikeTrainingWarning(recent.Scored, recent.AboveThreshold, acrossRuns: true) is { } unlike) observer.Warning(unlike);
                ended = true;
            }
            finally
            {
                foreach (var plan in plans) plan.Handle.Dispose();
                if (learned != null)
                {
                    model = original;
                    learned.Dispose();
                    learned = null;
                }
                CloseOutput(failing: !ended);
                EndWriting(failing: !ended);
            }
            summary.Duration = clock.Elapsed;
            return summary;
        }

        // ---- State and output -------------------------------------------------------------------------------------

        /// <summary>Loads the state, or (true) starts a new one in memory, which the caller commits once the output is open.</summary>
        private bool LoadState()
        {
            RemoveStaleTemporaryFiles();
            var loaded = ScoringState.Load(statePath);
            string culture = options.Csv.Culture.Name;
            string delimiter = options.Csv.EffectiveDelimiter;
            if (loaded == null)
            {
                // A link there (to nothing, or to a file) is not an output with rows: opening it refuses it and says what it is.
                var existing = new FileInfo(outputPath);
                if (existing.Exists && existing.LinkTarget == null && existing.Length > 0)
                    throw new AutoencoderException(ErrorIds.ScoringOutputWithoutState,
                        $"The output '{outputPath}' exists, but its scoring state '{statePath}' does not, so there is no telling which rows it " +
                        "holds. Give another -OutputPath, move the file away, or give the -StatePath that belongs to it.");
                state = new ScoringState();
                state.Output.Path = outputPath;
                state.Output.Format = options.Format;
                state.Output.ScoreColumns = scoreColumns.ToList();
                if (options.Format == ScoringOutputFormat.Csv)
                {
                    state.Output.Delimiter = delimiter;
                    state.Output.Culture = culture;
                }
                return true;
            }
            state = loaded;
            if (!string.Equals(state.Output.Path, outputPath, PathComparison)) FollowMovedOutput();
            if (state.Output.Format != options.Format)
                throw new AutoencoderException(ErrorIds.ScoringStateMismatch,
                    $"The output '{outputPath}' is {state.Output.Format}, so this run can't append {options.Format} to it. " +
                    $"Give -Format {state.Output.Format}, or another -OutputPath.");
            var written = state.Output.ScoreColumns ?? ScoreColumns.For(windowed: false, source: true).ToList();
            if (!written.SequenceEqual(scoreColumns, StringComparer.Ordinal))
                throw new AutoencoderException(ErrorIds.ScoringStateMismatch,
                    $"The output '{outputPath}' has the score columns {string.Join(", ", written)}, written by a " +
                    $"{(written.Contains(ScoreColumns.Status) ? "time-series" : "row")} model; this model is a " +
                    $"{(model.Settings.IsWindowed ? "time-series" : "row")} model and adds {string.Join(", ", scoreColumns)}. Give another -OutputPath.");
            bool otherCsv = options.Format == ScoringOutputFormat.Csv &&
                (!string.Equals(state.Output.Delimiter, delimiter, StringComparison.Ordinal) || !string.Equals(state.Output.Culture ?? "", culture, StringComparison.Ordinal));
            if (otherCsv && state.Output.Length == 0)
            {
                // Nothing written yet (the runs before could read no row: the -Delimiter or -Culture this run fixes): the
                // output is still to be made, with this run's delimiter, culture and columns.
                observer.Verbose($"The output '{outputPath}' has no rows yet: it is written with delimiter '{delimiter}' and culture {CultureName(culture)} (was '{state.Output.Delimiter}' and {CultureName(state.Output.Culture)}).");
                state.Output.Delimiter = delimiter;
                state.Output.Culture = culture;
                state.Output.Columns = null;
            }
            else if (otherCsv)
                throw new AutoencoderException(ErrorIds.ScoringStateMismatch,
                    $"The output '{outputPath}' is written with delimiter '{state.Output.Delimiter}' and culture {CultureName(state.Output.Culture)}, " +
                    $"not '{delimiter}' and {CultureName(culture)}: rows of both would not read back. Give the same -Culture and -Delimiter, or another " +
                    "-OutputPath (files of another delimiter or culture need an output, and a task, of their own).");
            return false;
        }

        // The state names another output. It is this one when this one holds the results the state committed (its length
        // and the fingerprint of its last committed bytes): the job was moved, output and state together, to another
        // folder or machine (the inputs are found by their own fingerprints). Then the state follows it, with a warning;
        // otherwise it is another output's state, refused.
        private void FollowMovedOutput()
        {
            string recorded = state.Output.Path;
            long committed = state.Output.Length;
            string? holds = state.Output.Fingerprint;
            bool same = false;
            if (holds != null && committed > 0)
            {
                try
                {
                    SafeFile.RequireRegularOrMissing(outputPath, "the output");
                    using var handle = File.OpenHandle(outputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    same = RandomAccess.GetLength(handle) >= committed && ScoringState.OutputFingerprint(handle, committed) == holds;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { } // a FIFO or link there (NotARegularFileException) too
            }
            if (!same)
                throw new AutoencoderException(ErrorIds.ScoringStateMismatch,
                    $"The scoring state '{statePath}' belongs to the output '{recorded}', not '{outputPath}'" +
                    (committed == 0 ? "." : holds == null
                        ? ", and it was written by an earlier version, which does not record what the output holds, so it can't follow a moved one."
                        : File.Exists(outputPath) ? $", and '{outputPath}' does not hold the {committed:N0} bytes of results it committed."
                        : $", and '{outputPath}' is not there.") +
                    " Each output needs its own state: give the matching -OutputPath, or another -StatePath. To move a job to another folder or " +
                    "machine, move the output and its state together, as a run left them" +
                    (holds == null && committed > 0 ? $" (after one run of this version at '{recorded}')" : "") + ", and give the new paths.");
            observer.Warning($"The scoring state '{statePath}' was written for the output '{recorded}'{(File.Exists(recorded) ? "" : ", which is not there")}; " +
                $"'{outputPath}' holds the same {committed:N0} bytes of committed results, so the job was moved (or copied) there: going on with " +
                $"'{outputPath}', which the state follows from now on." + (File.Exists(recorded) ? $" '{recorded}' is left as it is." : ""));
            state.Output.Path = outputPath;
        }

        // A culture as messages name it: the invariant culture has the empty name.
        private static string CultureName(string? name) => string.IsNullOrEmpty(name) ? "invariant (no -Culture)" : $"'{name}'";

        private void SaveState()
        {
            try
            {
                state.Save(statePath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AutoencoderException(ErrorIds.ScoringStateWriteFailed,
                    $"Could not write the scoring state '{statePath}': {e.Message} The previous state is unchanged; the next run cuts off " +
                    "the results written after it and scores those rows again.", e);
            }
        }

        // AtomicFile's temporary files of the state, left by a run killed while it wrote one. Safe: this run holds the lock.
        private void RemoveStaleTemporaryFiles()
        {
            string? folder = Path.GetDirectoryName(statePath);
            if (folder == null || !Directory.Exists(folder)) return;
            foreach (var stale in Directory.EnumerateFiles(folder, $".{Path.GetFileName(statePath)}.*.tmp"))
            {
                try { File.Delete(stale); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }
        }

        private void OpenOutput()
        {
            long committed = state.Output.Length;
            try
            {
                // Whether it was there, for the warning below: an output removed (or moved away) is missing, not empty.
                bool existed = File.Exists(outputPath);
                // Guarded: a file grown past a size limit (EFBIG) fails as an IOException, as a full disk does, not as an
                // ArgumentOutOfRangeException. No write-behind: each commit flushes to disk.
                outputFile = SafeFile.OpenOrCreate(outputPath,
                    // Read too: each commit reads back the last bytes it committed, for their fingerprint.
                    path => new GuardedFileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16) { WriteBehindBytes = 0 }, "the output");
                long length = outputFile.Length;
                if (length == 0 && committed > 0)
                {
                    // Empty, or not there (created just now): rotated between runs (logrotate moves it away and creates it
                    // again, or copies it and cuts it to nothing), or removed. What it held is wherever it went; the input
                    // files go on where they stopped, into a new output (with its header, CSV). The state says so at once,
                    // before anything is written: a run killed before its first commit must not leave a state that still
                    // counts the old output's bytes, which would make the new, shorter one look damaged.
                    observer.Warning(existed
                        ? $"The output '{outputPath}' is empty, and its state counts {committed:N0} bytes of results: taking it as " +
                          "rotated (moved away and created again, or cut, by log rotation) and starting it anew. The input files go on where they stopped."
                        : $"The output '{outputPath}' is missing, and its state counts {committed:N0} bytes of results: taking it as " +
                          "rotated (moved away by log rotation, or removed) and starting it anew. The input files go on where they stopped.");
                    state.Output.Length = committed = 0;
                    state.Output.Fingerprint = null;
                    state.Output.WritingFrom = null; // nothing of the new output is written yet
                    SaveState();
                }
                if (length < committed)
                    throw new AutoencoderException(ErrorIds.ScoringOutputTruncated,
                        $"The output '{outputPath}' is {length:N0} bytes long, but the scoring state '{statePath}' says {committed:N0} bytes of it are " +
                        "committed results: it was shortened or edited by something else (log rotation leaves it empty or moves it away, which " +
                        "starts a new output). Restore it, or move it and its state away to score everything again.");
                if (length > committed && state.Output.SaysWhetherWriting && state.Output.WritingFrom == null)
                    // No run was writing when this state was committed: the bytes after it are results committed later (by
                    // a state this one is an older copy of) or something else's. Cutting them would lose those results,
                    // and score their rows (and raise their alerts) again.
                    throw new AutoencoderException(ErrorIds.ScoringStateOutdated,
                        $"The output '{outputPath}' is {length:N0} bytes long, but the scoring state '{statePath}' commits only {committed:N0} bytes of it, " +
                        "and no run was writing when it was saved: the state is older than its output (a copy restored from before the last runs), or " +
                        "something else appended to the output. Nothing was changed. Restore the state that goes with the output (the copy saved " +
                        "after the run that wrote its end), or move the output away to start a new one from this state: the input rows after this " +
                        "state's offsets are then scored again, and their alerts raised again.");
                if (length > committed)
                {
                    // Results of a run that died before it committed them: the rows are scored again below.
                    outputFile.SetLength(committed);
                    outputFile.Flush(flushToDisk: true);
                    observer.Warning($"Cut {length - committed:N0} bytes off the end of '{outputPath}': results of an interrupted run that were never " +
                        "committed. Their rows are scored again now." + (state.Output.SaysWhetherWriting ? "" : " (This state was written by an earlier " +
                        "version, which does not say whether a run was writing, so they are taken as an interrupted run's: were it an older copy " +
                        "restored, they would be results committed after it.)"));
                }
                // A state of an earlier version records no fingerprint of what its output holds: taken now (committed with
                // the mark below), so the job can be moved after this run, whether or not it writes.
                if (state.Output.Fingerprint == null && committed > 0)
                    state.Output.Fingerprint = ScoringState.OutputFingerprint(outputFile.SafeFileHandle, committed);
                outputFile.Seek(committed, SeekOrigin.Begin);
                headerToWrite = committed == 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AutoencoderException(ErrorIds.ScoringOutputWriteFailed, $"Could not open the output '{outputPath}' for writing: {e.Message}", e);
            }
        }

        // The run no longer writes: once its output is closed at its committed length, the state says no run is writing,
        // so bytes found past that length later are not taken for this run's. Left set when the output holds more (a run
        // that failed, or stopped, after writing results it did not commit): the next run cuts those off. After a failure,
        // a state that can't be written leaves it set too, and that error is not the run's. The same write commits the
        // series memory's changes made after the last commit (ForgetSilentGroups).
        private void EndWriting(bool failing)
        {
            // Only a run that said it writes (a run refused before, for another output's state, has no say on its mark).
            if (!writing) return;
            try
            {
                var written = new FileInfo(outputPath);
                bool whole = written.Exists && written.Length == state.Output.Length;
                if (whole) state.Output.WritingFrom = null;
                if (whole || (memoryChanged && !failing)) SaveState();
            }
            catch (Exception e) when (failing && (e is AutoencoderException || e is IOException || e is UnauthorizedAccessException)) { }
        }

        // Time-series models, once every file of the run is scored (and committed): the groups that went silent are
        // forgotten from the series memory the state keeps (SeriesMemory.ForgetSilent), so hosts that come and go do not
        // grow it for ever. The memory changes when a group reported in the run (its mark) or is forgotten: committed
        // either way, so the marks last.
        private void ForgetSilentGroups(long rowsBefore)
        {
            var series = pipeline!.Series;
            if (series == null) return;
            var gone = series.ForgetSilent(DateTime.UtcNow + SeriesMemory.ClockSlack);
            if (gone == null && series.Windows.Rows == rowsBefore) return;
            state.Series = Convert.ToBase64String(series.Save(model));
            // Committed with the end of the run's writing (EndWriting): one state write, not two.
            memoryChanged = true;
            if (gone == null) return;
            observer.Verbose($"Forgot {gone.Count:N0} group(s) that stopped reporting " +
                (model.Settings.TimeProperty != null
                    ? $"{SeriesMemory.ForgetSilentGroupsAfter.TotalDays:0} days (or {SeriesMemory.ForgetSilentGroupsAfterGaps} times their largest gap) of the data's time ago"
                    : $"{SeriesMemory.ForgetSilentGroupsAfterRows:N0} rows (or {SeriesMemory.ForgetSilentGroupsAfterRounds:N0} rows of each group with a row among the last {SeriesMemory.ForgetSilentGroupsAfterRows:N0}) ago") +
                $": {string.Join(", ", gone.Take(5))}{(gone.Count > 5 ? ", ..." : "")}. A row of theirs starts afresh. The state keeps {series.Windows.GroupCount:N0} group(s).");
        }

        // The scoring pipeline, going on from the series memory of the last run (time-series models).
        private void StartPipeline()
        {
            ResumeLearning();
            SeriesMemory? memory = null;
            if (model.Settings.IsWindowed && state.Series != null)
            {
                try
                {
                    byte[] saved = Convert.FromBase64String(state.Series);
                    memory = SeriesMemory.Load(saved, model, options.Scoring, out string? whyNot);
                    if (memory == null)
                    {
                        // What marks rows as taken (each group's scored times) outlives the windows and verdicts: an export
                        // that overlaps the last one must not be scored twice because the model changed in between.
                        memory = SeriesMemory.Afresh(saved, model, options.Scoring, out string kept);
                        observer.Warning($"The scoring state '{statePath}' remembers each series' last rows and scores, but {whyNot}: " +
                            $"starting afresh, so each group warms up and learns its scores again. {kept}");
                        // The recent rows were judged against another model's threshold (or other verdicts): afresh too.
                        state.Recent = null;
                    }
                }
                catch (Exception e) when (e is FormatException || e is InvalidDataException || e is ArgumentException)
                {
                    throw new AutoencoderException(ErrorIds.ScoringStateCorrupt,
                        $"The scoring state '{statePath}' holds a damaged series memory ({e.Message}). Restore it, or move it and the output away to score everything again.", e);
                }
            }
            writer = new JobOutput(this);
            // Exports of live data: a row dated ahead of the clock is a wrong clock or a typo, and taken it would hold its
            // group's later rows back as out of order, run after run, until that time came.
            pipeline = new ScoringPipeline<CsvRecord>(model, options.Scoring, writer, memory, sinkKeepsScores: false, modelIsOwn: true)
            {
                LatestRowTime = DateTime.UtcNow + SeriesMemory.ClockSlack,
            };
            // The job takes each file's new rows in time order within their groups (TimeOrder): a row refused for its order is
            // older than rows of its group already scored, and the advice to a stream (sort it, or use -Path) would not help.
            if (pipeline.Series is { } series)
            {
                // A file may send rows again that an earlier run or file scored (an export that overlaps the last one): the
                // windows keep each group's scored times, to skip those rather than refuse them as late (ScoreFile).
                series.Windows.KeepsScoredTimes = true;
                series.Windows.LateRowAdvice = "The job takes each file's new rows in time order within their groups, so this row is older than rows of its group " +
                    "that an earlier run (or an earlier file of this run) scored: a late backlog (see the file's RowsOutOfOrder error).";
            }
            summary.CountsAlerts = model.Settings.IsWindowed;
        }

        // A model that learns goes on from what it learned in earlier runs (kept in the state, never in the model file),
        // unless the model file changed since: then it starts from the file, and says so. Scoring then learns into a copy.
        private void ResumeLearning()
        {
            if (!model.Learns)
            {
                if (state.Learning != null)
                    observer.Warning($"The scoring state '{statePath}' holds weights learned by an earlier run, but this model does not learn " +
                        "(LearnEvery 0): scoring with the model file's weights, and the learned ones are dropped.");
                state.Learning = null;
                return;
            }
            learningBase = ModelFile.Fingerprint(model);
            byte[] bytes;
            if (state.Learning != null && state.Learning.Base == learningBase)
            {
                try
                {
                    bytes = Convert.FromBase64String(state.Learning.Model ?? throw new FormatException("the learned model is missing"));
                    learned = ModelFile.Deserialize(bytes, statePath);
                }
                catch (Exception e) when (e is FormatException || e is ModelFileException)
                {
                    throw new AutoencoderException(ErrorIds.ScoringStateCorrupt,
                        $"The scoring state '{statePath}' holds a damaged learned model ({e.Message}). Restore it, or move it and the output away to score everything again.", e);
                }
                observer.Verbose($"Going on from the model learned by earlier runs ({learned.LearningUpdates} updates, {learned.LearningPending} rows waiting).");
            }
            else
            {
                if (state.Learning != null)
                    observer.Warning($"The scoring state '{statePath}' holds weights learned from another model file (it changed since): " +
                        "starting afresh from this model file's weights.");
                learned = ModelFile.Deserialize(ModelFile.Serialize(model), "");
            }
            model = learned;
        }

        // Where the pipeline's rows go: the output, in its format.
        private sealed class JobOutput : IScoredRowSink<CsvRecord>, IDisposable
        {
            private readonly IncrementalScoringJob job;
            private ScoredCsvWriter? csv;
            private JsonLinesOutputWriter? json;

            public JobOutput(IncrementalScoringJob job) { this.job = job; }

            public void Write(CsvRecord row, RowScore? score, IReadOnlyList<string>? imputed, WindowStatus status)
            {
                // A writer's buffer that fills writes to the file here, between commits: a full disk fails here too.
                try
                {
                    if (job.options.Format == ScoringOutputFormat.JsonLines)
                    {
                        json ??= new JsonLinesOutputWriter(job.outputFile!, job.options.TopFeatureCount, job.options.ExplainAll, job.scoreColumns);
                        json.Write(row, score, imputed, status);
                        return;
                    }
                    csv ??= ScoredCsvWriter.Append(job.outputFile!, job.state.Output.Columns ?? throw new InvalidOperationException("The output's columns are not decided."),
                        job.options.Csv, job.options.TopFeatureCount, job.model.Settings.IsWindowed, job.options.ExplainAll);
                    csv.Write(row, score, imputed, job.model.WindowSchema!, status);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw job.OutputWriteFailed(e);
                }
            }

            /// <summary>Writes what is buffered, flushes it to the disk, and returns the output's length.</summary>
            public long Flush() => csv?.Flush() ?? json?.Flush() ?? job.outputFile!.Position;

            public void Dispose()
            {
                csv?.Dispose();
                json?.Dispose();
            }
        }

        // The error of a failed write to the output (a full disk): nothing after the last commit counts.
        private AutoencoderException OutputWriteFailed(Exception e) =>
            new AutoencoderException(ErrorIds.ScoringOutputWriteFailed,
                $"Could not append results to '{outputPath}': {e.Message} The state is unchanged: the next run cuts off what this one " +
                "wrote after the last commit and scores those rows again.", e);

        // Closes the output. Closing writes what is still buffered (a full disk fails there too, in the stream's Dispose):
        // after a failure that error would hide the first one, so it is dropped; otherwise it is the output's error, named
        // as such. Either way nothing committed is lost: the state says how far the output goes, and the next run cuts off
        // what was written after that.
        private void CloseOutput(bool failing)
        {
            Exception? error = null;
            try { writer?.Dispose(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { error = e; }
            try { outputFile?.Dispose(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { error ??= e; }
            writer = null;
            outputFile = null;
            if (error != null && !failing)
                throw new AutoencoderException(ErrorIds.ScoringOutputWriteFailed,
                    $"Could not finish writing the output '{outputPath}': {error.Message} The rows committed are in it; the next run cuts off " +
                    "what was written after the last commit and scores those rows again.", error);
        }

        // ---- Planning: which file continues where (FilePlanner), and each new file's header ---------------------------

        private List<FilePlan> Plan(IReadOnlyList<string> files)
        {
            var own = new List<string>
            {
                outputPath, statePath, IncrementalScoringOptions.LockPathFor(statePath),
                ScoringLock.InfoPathFor(IncrementalScoringOptions.LockPathFor(statePath)),
            };
            if (options.ModelPath is { Length: > 0 } modelPath) own.Add(modelPath);
            var (plans, considered) = new FilePlanner(state, observer, PathComparison).Plan(files, own, Fail);
            summary.Files += considered;
            foreach (var plan in plans)
            {
                try
                {
                    plan.Header = plan.Matched ? new CsvHeader(plan.Entry!.Header, plan.Path) : ReadHeader(plan);
                    if (plan.Header == null)
                    {
                        observer.Verbose($"File '{plan.Path}' has no complete header line yet.");
                        continue;
                    }
                    if (!plan.NothingNew)
                    {
                        CheckColumns(plan.Header, plan.Path);
                        if (model.Settings.TimeProperty != null) plan.FirstRowTime = FirstRowTime(plan);
                    }
                    plan.Usable = true;
                }
                catch (AutoencoderException e)
                {
                    Fail(plan.Path, e);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Fail(plan.Path, e);
                }
            }
            // In the order to score them, now that new files' first rows are known (FilePlanner.ScoringOrder).
            return FilePlanner.ScoringOrder(plans);
        }

        /// <summary>How many rows after its offset a file is searched for a readable time (<see cref="FirstRowTime"/>).</summary>
        private const int RowsSearchedForTime = 100;

        // The time of the first row a file has to score (time-series models), for the order of the files: the first
        // readable time among its next RowsSearchedForTime rows, a last line without a line break included. Null when it
        // has no row to score, or none of those has a readable time (those rows are rejected when they are scored). Only
        // the time is read: a row without its group still places its file.
        private DateTime? FirstRowTime(FilePlan plan)
        {
            var entry = plan.Entry!;
            var scanner = new CsvRecordScanner(plan.Handle, entry.Offset, plan.Length, entry.Lines + 1, encoding, options.Csv.EffectiveDelimiter, 4096, plan.Path)
            {
                EndEndsRecord = true,
            };
            foreach (var row in scanner.Records().Where(r => !r.IsBlank).Take(RowsSearchedForTime))
            {
                var record = new CsvRecord(plan.Header!, row.Fields!, plan.Path, row.Line);
                // The row's key without its group (a perfmon column by any zone's name, an instant with the model's zone).
                try
                {
                    if (SlidingWindow.ReadTime(record, model.Settings, options.Csv.Culture) is DateTime first) return first;
                }
                catch (FeatureValueException) { }
            }
            return null;
        }

        // A new file: its header is its first non-blank line, after a UTF-8 byte-order mark. Null while that line is incomplete.
        private CsvHeader? ReadHeader(FilePlan plan)
        {
            Span<byte> start = stackalloc byte[4];
            int n = RandomAccess.Read(plan.Handle, start, 0);
            int preamble = CsvRecordScanner.PreambleLength(start.Slice(0, n), plan.Path);
            var scanner = new CsvRecordScanner(plan.Handle, preamble, plan.Length, 1, encoding, options.Csv.EffectiveDelimiter, 4096, plan.Path);
            bool first = true, sepLine = SepLine(plan);
            foreach (var record in scanner.Records())
            {
                if (record.IsBlank) continue;
                if (sepLine) { sepLine = false; continue; }
                // Export-Csv's #TYPE line above the header (Windows PowerShell without -NoTypeInformation), as Import-Csv skips it.
                if (first && CsvHeader.IsTypeLine(record.Fields!)) { first = false; continue; }
                if (record.NotUtf8 is { LooksBinary: false } notUtf8) throw notUtf8.HeaderError(plan.Path, record.Line);
                var header = new CsvHeader(record.Fields!.Select(f => f.Trim()).ToArray(), plan.Path);
                plan.Entry = new ScoringFileState
                {
                    Path = plan.Path,
                    Offset = record.End,
                    Lines = record.Line + record.LineBreaks - 1,
                    Header = header.Names.ToList(),
                };
                return header;
            }
            return null;
        }

        private void CheckColumns(CsvHeader header, string file)
        {
            // A time-series model's time and group columns too: without them every row was refused on its own, and lost.
            if (ColumnMismatch.Check($"File '{file}'", model.ColumnsRead, model.Settings.TimeProperty, header.Names.ToArray(), n => header.IndexOf(n) >= 0,
                    options.Csv.EffectiveDelimiter) is { } missing)
                throw missing;
            if (ScoreColumns.Clash(header.Names, scoreColumns, file) is { } clash) throw clash;
        }

        // CSV: the output's columns are fixed when its header is written: the union of the columns of the files of that
        // first run with rows to score, in the order first seen with the files in order of their full path (not the order
        // they are scored in, which goes by last write time: the header depends only on the files' names and headers).
        // Later files' extra columns are left out (with a warning); JSON Lines keeps all. An output started anew (rotated)
        // has its header still to write: the columns it had, then the new ones of this run's files, so a column the
        // exports gained since (a model retrained on a new or renamed column) is written from then on, and none is lost.
        private void DecideOutputColumns(List<FilePlan> plans)
        {
            if (options.Format != ScoringOutputFormat.Csv || (state.Output.Columns != null && !headerToWrite)) return;
            var columns = state.Output.Columns?.ToList() ?? new List<string>();
            var seen = new HashSet<string>(columns, StringComparer.OrdinalIgnoreCase);
            foreach (var plan in plans.Where(p => p.Usable && !p.NothingNew).OrderBy(p => p.Path, StringComparer.Ordinal))
                foreach (var name in plan.Header!.Names)
                    // One perfmon time column, whatever zone each file's name says (TimeColumn).
                    if (name.Length > 0 && seen.Add(name) && !(TimeColumn.IsPerfmon(name) && TimeColumn.Find(name, columns) != null)) columns.Add(name);
            if (columns.Count > 0) state.Output.Columns = columns;
        }

        private void Fail(string file, Exception error)
        {
            summary.FilesFailed++;
            observer.FileFailed(file, error);
        }

        // ---- Scoring one file ----------------------------------------------------------------------------------------

        // The rows read since the last commit: how far they reach in the file, and how many were rejected (the rows to
        // score wait in the pipeline).
        private sealed class Batch
        {
            public long Rows;
            public long Rejected;
            // Rows of times their groups scored before (RowAlreadyScored): skipped, neither scored nor rejected.
            public long Repeated;
            public long End = -1;
            public long Lines;
            public bool Pending;
            // The batch ends with a finished last line that had no line break (ScoringFileState.EndsInOpenLine).
            public bool EndsInOpenLine;

            public void Clear()
            {
                Rows = 0;
                Rejected = 0;
                Repeated = 0;
                Pending = false;
            }

            /// <summary>Where the batch is now, to go back to (<see cref="GoBack"/>).</summary>
            public Mark Here => new Mark(Rows, Rejected, Repeated, End, Lines, Pending, EndsInOpenLine);

            // Back to where it was (a run of unread rows taken back): the rows it had then, and how far they reached.
            public void GoBack(Mark mark) => (Rows, Rejected, Repeated, End, Lines, Pending, EndsInOpenLine) =
                (mark.Rows, mark.Rejected, mark.Repeated, mark.End, mark.Lines, mark.Pending, mark.EndsInOpenLine);

            public readonly record struct Mark(long Rows, long Rejected, long Repeated, long End, long Lines, bool Pending, bool EndsInOpenLine);
        }

        /// <summary>Scores the new rows of one file; false when the run was asked to stop.</summary>
        private bool ScoreFile(FilePlan plan)
        {
            if (!plan.Usable)
            {
                if (plan.Replaced != null) observer.Warning(plan.Replaced);
                return true;
            }
            var entry = plan.Entry!;
            // The rows scored so far are an earlier source's: this file's rows of their times are sent again (Take). A file
            // read on from its entry goes on from its groups' last rows; a new or replaced one starts from its beginning.
            pipeline!.Series?.Windows.BeginSource(continues: plan.Matched);
            var batch = new Batch { End = entry.Offset, Lines = entry.Lines, Pending = !plan.Matched, EndsInOpenLine = entry.EndsInOpenLine == true };
            observer.Verbose(plan.Matched
                ? $"'{plan.Path}': continuing at byte {entry.Offset:N0} of {plan.Length:N0} (line {entry.Lines + 1})."
                : $"'{plan.Path}': new file, {plan.Length:N0} bytes.");
            // After a last line taken as finished: the bytes that follow must start with a line break; if they go on with
            // that line, it was not finished, and the rest of it is skipped.
            bool skipRestOfLine = batch.EndsInOpenLine && plan.Length > entry.Offset && !ScoringState.IsLineBreakAt(plan.Handle, entry.Offset);
            if (skipRestOfLine)
                WarnUnfinished(plan, batch, $"File '{plan.Path}' went on with its last line (line {entry.Lines + 1}) after an earlier run had scored it as finished " +
                    $"(it had no line break and the file had not changed for {ScoringState.LastLineFinishedAfter.TotalMinutes:N0} minutes): the rest of that line is skipped.");

            // A time-series model's rows are judged in time order under one header: a header again in another layout right at
            // the offset (the rows after it left by an earlier run: UnderOneHeader) is taken and committed first.
            if (model.Settings.IsWindowed && model.Settings.TimeProperty != null && !skipRestOfLine && TakeHeaderAtOffset(plan, batch)) Commit(plan, batch);
            var scanner = new CsvRecordScanner(plan.Handle, entry.Offset, plan.Length, entry.Lines + 1, encoding, options.Csv.EffectiveDelimiter, file: plan.Path);
            Exception? readError = null;
            bool stopped = false;
            // A time-series model's new rows out of time order within their groups (a newest-first export, a shuffled one)
            // are read whole and taken in time order, as Test-Anomaly -Path takes such a file (ReadInTimeOrder); in order,
            // they are taken as they are read.
            var ordered = model.Settings.IsWindowed && model.Settings.TimeProperty != null && NeedsTimeOrder(plan, skipRestOfLine)
                ? ReadInTimeOrder(plan, batch, scanner, skipRestOfLine, ref readError, ref stopped)
                : null;
            // Rows that can't be read: a file none of whose rows could ever be read is read wrongly (another delimiter, time
            // format, culture, or not the model's data), and nothing of it would be scored, run after run, while the job said
            // all was well (exit code 0). Its rows are then not committed (the batch goes back to where they began), the file
            // fails (exit code 2), and the next run reads them again, once the cause is fixed. A file with a readable row is
            // not held back by a stretch of bad rows (that would stop its scoring for good): they are skipped as any bad row,
            // counted rather than reported one by one past FailedRowRun.MaxInARow in a row, and the file fails once, saying
            // so (plan.UnreadRun).
            var failedRun = new FailedRowRun();
            Batch.Mark beforeRun = default;
            long record = 0;
            // The current run of failed rows can still be taken back: no row of the file was ever read (scored, or refused
            // for its time), in this run or an earlier one. Only then are commits held back while it lasts (a file read
            // before commits as it goes, bad rows or not).
            bool readAny = entry.RowsScored > 0 || entry.RowsRejected > 0;
            bool TakeBackPossible() => failedRun.Count > 0 && !readAny;
            void Read()
            {
                record++;
                readAny = true;
                failedRun.Reset();
            }
            // Counts an unread row. Past FailedRowRun.MaxInARow in a row the rest are counted, not reported one by one, and
            // reading goes on: a readable row later makes it a bad stretch of a readable file (a file that only began with
            // bad rows must not be stuck on them, run after run); none makes it a file read wrongly (below).
            void CountUnread(FeatureValueException unread, long line, Batch.Mark here)
            {
                if (failedRun.Count == 0) beforeRun = here;
                if (!failedRun.Add(unread, record++, $"line {line}") || plan.UnreadRun != null) return;
                plan.UnreadRun = $"{failedRun.Limit} rows in a row could not be read, from {failedRun.FirstWhere} on " +
                    $"(the first: {failedRun.First}); the likely cause: {FailedRowRun.LikelyCause(unread, fromFiles: true)}";
            }
            using (var records = (ordered?.Rows ?? scanner.Records()).GetEnumerator())
            {
                while (!stopped)
                {
                    if (observer.StopRequested) { stopped = true; break; }
                    bool more;
                    try { more = records.MoveNext(); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException)
                    {
                        // A read error, or a record open past the scanner's bound (a stray quote): the rows before it are
                        // committed, the file counts as failed (exit code 2), and the next run tries again from there.
                        readError = e;
                        break;
                    }
                    if (!more)
                    {
                        if (ordered == null) WarnIfInsideQuotes(plan, scanner);
                        break;
                    }
                    if (skipRestOfLine)
                    {
                        skipRestOfLine = false;
                        Advance(batch, records.Current, endsInOpenLine: false);
                        continue;
                    }
                    var here = batch.Here;
                    var current = records.Current;
                    if (Take(plan, batch, current, endsInOpenLine: ReferenceEquals(current, ordered?.OpenLast)) is { } unread && CountsAsUnread(unread))
                        CountUnread(unread, current.Line, here);
                    else if (!current.IsBlank)
                        Read();
                    // Rows taken in time order are committed once they are all taken: until then the offset can't be
                    // after the rows scored and before the rows not.
                    if (ordered == null && !TakeBackPossible() && batch.Rows + batch.Rejected + batch.Repeated >= batchSize) Commit(plan, batch);
                }
            }
            if (ordered == null && !stopped && readError == null && !(scanner.PendingInQuotes && scanner.PendingLineBreaks > 0) && !skipRestOfLine && scanner.Position < plan.Length)
            {
                var here = batch.Here;
                try
                {
                    if (FinishedLastLine(plan, batch, scanner) is { } last)
                    {
                        if (Take(plan, batch, last, endsInOpenLine: true) is { } unread && CountsAsUnread(unread)) CountUnread(unread, last.Line, here);
                        else Read();
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) { readError = e; }
            }
            // All of them taken: the file's offset goes after the last in the file (the last one taken was another).
            if (ordered?.Last is { } lastInFile && !stopped) Advance(batch, lastInFile, ReferenceEquals(lastInFile, ordered.OpenLast));
            // No row of the file was ever read: its rows so far are taken back, whatever ended the reading (a stop, a read
            // error, the end of the file: a file all of whose rows fail, however few, fails as a run of them does).
            if (TakeBackPossible())
            {
                if (readError == null && !stopped)
                    readError = new AutoencoderException(ErrorIds.TooManyRowFailures, $"File '{plan.Path}': none of its {failedRun.Count:N0} row(s) could be read" +
                        (plan.UnreadRun != null ? $" (the first {failedRun.Limit} are reported above)" : "") +
                        $"; the likely cause: {FailedRowRun.LikelyCause(failedRun.Last!, fromFiles: true)}. The first of them: {failedRun.First}" + TakenBack);
                plan.UnreadRun = null;
                batch.GoBack(beforeRun);
            }
            // Stopped while rows were taken in time order: none is committed (the next run cuts off their results).
            if (batch.Pending && !(ordered != null && stopped)) Commit(plan, batch);
            if (plan.UnreadRun != null)
                Fail(plan.Path, new AutoencoderException(ErrorIds.TooManyRowFailures, $"File '{plan.Path}': {plan.UnreadRun}." +
                    (plan.UnreadAfterRun > 0 ? $" {plan.UnreadAfterRun:N0} more row(s) after those could not be read (not reported one by one)." : "") +
                    " They were skipped and are not tried again; the rows that could be read were scored."));
            if (readError != null) Fail(plan.Path, readError);
            if (plan.OutOfOrder.Count > 0) SayOutOfOrder(plan);
            if (readError == null) SayNotUtf8(plan);
            SayRepeated(plan);
            if (plan.DatedAhead.Count > ReportedOutOfOrder)
                observer.Warning($"{plan.DatedAhead.Count:N0} row(s) of '{plan.Path}'{plan.DatedAhead.Span}, are dated more than a day after this " +
                    $"computer's clock, so they were skipped (the first {ReportedOutOfOrder} are reported above). Correct the clock of the host that " +
                    "writes the file (or of this computer).");
            return !stopped;
        }

        /// <summary>
        /// How many rows of a file refused for their time (out of order, dated ahead) are reported one by one; the rest are
        /// counted and reported once for the file.
        /// </summary>
        public const int ReportedOutOfOrder = 10;

        // Rows of a file older than rows already scored for their groups: lost for good (a row is not tried again), so the
        // file counts as failed (exit code 2), with one error that says how many, when, and what to do.
        private void SayOutOfOrder(FilePlan plan)
        {
            Fail(plan.Path, new AutoencoderException(ErrorIds.RowsOutOfOrder,
                $"{plan.OutOfOrder.Count:N0} row(s) of '{plan.Path}'{plan.OutOfOrder.Span}, are older than rows of their groups already scored, so they were skipped " +
                $"and are not tried again{(plan.OutOfOrder.Count > ReportedOutOfOrder ? $" (the first {ReportedOutOfOrder} are reported above)" : "")}. " +
                "A run takes files in the order of their rows, so a backlog goes in order only when it arrives whole before the newer rows are " +
                "scored. Score a late backlog once with its own -OutputPath and -StatePath, or with Test-Anomaly -Path, in time order." +
                (plan.OutOfOrder.StepBack is TimeSpan back ? " " + WindowAssembler.RepeatedHourHint(back, plan.OutOfOrder.InUtc ? DateTimeKind.Utc : DateTimeKind.Unspecified).TrimEnd() : "")));
        }

        // Rows of times their groups scored before (an export that overlaps the last one, a copy of a file scored): skipped,
        // and said once for the file, quietly when the file brought new rows too (a re-export every run is the schedule
        // working), with a warning when it brought nothing new. A file replaced at its path (FilePlanner) is said here
        // too: as a re-export (quietly) when some of its rows were scored before, else with the planner's warning.
        private void SayRepeated(FilePlan plan)
        {
            var repeated = plan.Repeated;
            if (repeated.Count == 0)
            {
                if (plan.Replaced != null) observer.Warning(plan.Replaced);
                return;
            }
            string rows = $"{repeated.Count:N0} row(s) of '{plan.Path}'{repeated.Span}";
            if (plan.NewRows == 0)
                observer.Warning($"File '{plan.Path}' holds only rows already scored ({repeated.Count:N0}{repeated.Span}): their groups scored rows of the same " +
                    "times before (an earlier run, or an earlier file of this run), so nothing of it was scored. It is a copy of a file scored before, " +
                    "or a second export of the same series. If the rows are another series, give the model's -GroupBy column a value that tells them apart.");
            else
                observer.Verbose((plan.Replaced != null ? $"File '{plan.Path}' was rewritten since the last run, with rows scored before: an export that overlaps the last one. " : "") +
                    $"{rows} have times their groups already scored, so they were skipped as sent again; the file's {plan.NewRows:N0} other row(s) were taken.");
        }

        private const string TakenBack = " These rows are not committed after all (the errors above say skipped): the next run reads them again, so " +
            "fix the cause (or move the file away).";

        // A rejection that says the file may be read wrongly: not a row refused for its time (out of order: a late backlog,
        // reported for the file; dated ahead: a host's clock), whose values were read.
        private static bool CountsAsUnread(FeatureValueException rejected) =>
            rejected.ErrorId != ErrorIds.RowOutOfOrder && rejected.ErrorId != ErrorIds.RowDatedAhead;

        // One record into the pipeline: scored (later, with its batch), or rejected and reported (returned).
        private FeatureValueException? Take(FilePlan plan, Batch batch, ScannedCsvRecord scanned, bool endsInOpenLine)
        {
            FeatureValueException? result = null;
            if (!scanned.IsBlank && RepeatedHeader.Classify(plan.Header!, scanned.Fields!) == HeaderRepeat.Other)
                Remap(plan, scanned);
            else if (!scanned.IsBlank)
            {
                var record = scanned.Under(plan.Header!, plan.Path);
                var rejected = pipeline!.Add(record, record, options.Csv.Culture, MissingValuePolicy.Impute);
                if (rejected?.ErrorId == ErrorIds.RowAlreadyScored)
                {
                    // Sent again (an export that overlaps the last one): neither scored nor an error; said once for the file (SayRepeated).
                    plan.Repeated.Add(rejected.Value as DateTime?);
                    batch.Repeated++;
                    rejected = null;
                }
                else if (rejected != null)
                {
                    plan.NewRows++;
                    // Rejected, reported, and committed with the batch: a bad line is not retried on every run. Rows refused for
                    // their time, older than their group's last scored row (a backlog that came late) or dated ahead of the
                    // clock (a host's clock), are reported one by one only up to ReportedOutOfOrder, then once for the file
                    // (a late backlog fails it: SayOutOfOrder).
                    batch.Rejected++;
                    var refused = rejected.ErrorId == ErrorIds.RowOutOfOrder ? plan.OutOfOrder
                        : rejected.ErrorId == ErrorIds.RowDatedAhead ? plan.DatedAhead : null;
                    refused?.Add(rejected.Value as DateTime?, rejected.StepBack);
                    CountNotUtf8(plan, rejected, record.Line);
                    if (refused == null && plan.UnreadRun != null) plan.UnreadAfterRun++;
                    else if (refused == null || refused.Count <= ReportedOutOfOrder) observer.RowRejected(rejected, record);
                    result = rejected;
                }
                else
                {
                    if (!plan.WarnedColumns) { plan.WarnedColumns = true; WarnDroppedColumns(plan.Header!, plan.Path); }
                    batch.Rows++;
                    plan.NewRows++;
                }

            }
            Advance(batch, scanned, endsInOpenLine);
            return result;
        }

        // The header again in another layout (files joined into one): the rows after it are read by it, in this run and, once
        // committed past it, in the next (the file's entry keeps the header its offset is under). Said once a run.
        private void Remap(FilePlan plan, ScannedCsvRecord scanned)
        {
            bool first = plan.Header!.Replaces == null;
            plan.Header = RepeatedHeader.Remap(plan.Header, scanned.Fields!, plan.Path, scanned.Line);
            plan.Entry!.Header = plan.Header.Names.ToList();
            plan.WarnedColumns = false;
            if (first) observer.Warning(RepeatedHeader.Warning(plan.Header, plan.Path));
        }

        // The first record after the file's offset, when it is a header again in another layout: taken (Remap), the batch past it.
        private bool TakeHeaderAtOffset(FilePlan plan, Batch batch)
        {
            var entry = plan.Entry!;
            var scanner = new CsvRecordScanner(plan.Handle, entry.Offset, plan.Length, entry.Lines + 1, encoding, options.Csv.EffectiveDelimiter, 4096, plan.Path);
            try
            {
                var record = scanner.Records().FirstOrDefault(r => !r.IsBlank);
                if (record == null || RepeatedHeader.Classify(plan.Header!, record.Fields!) != HeaderRepeat.Other) return false;
                Remap(plan, record);
                Advance(batch, record, endsInOpenLine: false);
                return true;
            }
            // Met again, and reported, when the rows are read.
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) { return false; }
        }

        private static void Advance(Batch batch, ScannedCsvRecord scanned, bool endsInOpenLine)
        {
            batch.End = scanned.End;
            // Line breaks before the record's end: a last line without one adds none, so a line break that comes later ends
            // that same line, and the rows after it keep their line numbers.
            batch.Lines = scanned.Line + scanned.LineBreaks - 1;
            batch.EndsInOpenLine = endsInOpenLine;
            batch.Pending = true;
        }

        // The bytes after the last complete line, when they are a finished last line without a line break: the file has not
        // been written for ScoringState.LastLineFinishedAfter, no quoted field is open (as the reader sees it: a quote inside
        // an unquoted field is data), and the line has the header's number of fields. Otherwise they wait (a line still
        // being written), with a warning, once, when the file is quiet but the line is not whole (a file cut short).
        // Returns the line, to be taken (null when it is not).
        private ScannedCsvRecord? FinishedLastLine(FilePlan plan, Batch batch, CsvRecordScanner scanner)
        {
            long start = scanner.Position, length = plan.Length - start;
            if (length > CsvRecordScanner.DefaultMaxRecordBytes) return null; // the scan reports a record that long once it ends
            var quiet = DateTime.UtcNow - plan.LastWriteUtc;
            if (quiet < ScoringState.LastLineFinishedAfter)
            {
                observer.Verbose($"'{plan.Path}': its last line (line {scanner.NextLine}) has no line break yet; it waits until the file has not " +
                    $"been written for {ScoringState.LastLineFinishedAfter.TotalMinutes:N0} minutes.");
                return null;
            }
            // Read only once the file is quiet: while it is written, a run leaves the line without looking at it.
            if (ScoringState.ReadAt(plan.Handle, start, (int)length).AsSpan().IndexOfAnyExcept((byte)' ', (byte)'\t') < 0) return null; // spaces only
            ScannedCsvRecord? last = null;
            if (!scanner.PendingInQuotes)
            {
                var finished = new CsvRecordScanner(plan.Handle, start, plan.Length, scanner.NextLine, encoding, options.Csv.EffectiveDelimiter, file: plan.Path)
                {
                    EndEndsRecord = true,
                };
                last = finished.Records().FirstOrDefault();
            }
            int fields = last?.Fields?.Length ?? 0;
            if (last == null || last.End != plan.Length || fields != plan.Header!.Names.Count)
            {
                WarnUnfinished(plan, batch, $"File '{plan.Path}' ends with a line without a line break (line {scanner.NextLine}) and has not been written for " +
                    $"{FormatQuiet(quiet)}, but that line is not a whole row ({(scanner.PendingInQuotes ? "a quoted field is open" : $"{fields} field(s), the header has {plan.Header!.Names.Count}")}): " +
                    "it was cut short. It is not scored; end it with a line break once it is whole, or remove it.");
                return null;
            }
            observer.Verbose($"'{plan.Path}': its last line (line {last.Line}) has no line break, and the file has not been written for {FormatQuiet(quiet)}: scoring it as finished.");
            return last;
        }

        private void WarnIfInsideQuotes(FilePlan plan, CsvRecordScanner scanner)
        {
            if (scanner.PendingInQuotes && scanner.PendingLineBreaks > 0)
                observer.Warning($"File '{plan.Path}' ends inside a quoted field that opens on line {scanner.PendingLine} and spans " +
                    $"{scanner.PendingLineBreaks:N0} line break(s) so far: its rows wait until the quote closes. If that quote is a stray one, " +
                    $"fix it; past {CsvRecordScanner.DefaultMaxRecordLines:N0} lines the file is reported as failed.");
        }

        // A warning about a file's end that is not a whole row, once until the file changes (ScoringFileState.UnfinishedWarnedAt):
        // a scheduled run every few minutes would repeat it for as long as the file stays as it is. The entry is committed
        // with the run, rows or not, so the next run knows.
        private void WarnUnfinished(FilePlan plan, Batch batch, string message)
        {
            var entry = plan.Entry!;
            if (entry.UnfinishedWarnedAt == plan.Length)
            {
                observer.Verbose(message + " (Warned before; the file has not changed since.)");
                return;
            }
            observer.Warning(message);
            entry.UnfinishedWarnedAt = plan.Length;
            batch.Pending = true;
        }

        private static string FormatQuiet(TimeSpan quiet) =>
            quiet.TotalHours >= 48 ? $"{quiet.TotalDays:N0} days" : quiet.TotalMinutes >= 120 ? $"{quiet.TotalHours:N0} hours" : $"{quiet.TotalMinutes:N0} minutes";

        private void WarnDroppedColumns(CsvHeader header, string file)
        {
            if (options.Format != ScoringOutputFormat.Csv || state.Output.Columns == null) return;
            var kept = new HashSet<string>(state.Output.Columns, StringComparer.OrdinalIgnoreCase);
            var dropped = header.Names.Where(n => n.Length > 0 && !kept.Contains(n) && TimeColumn.Find(n, state.Output.Columns) == null).ToArray();
            if (dropped.Length > 0)
                observer.Warning($"File '{file}' has column(s) {string.Join(", ", dropped)} that the output '{outputPath}' does not: its columns " +
                    "were fixed when it was created, so they are left out. Use -Format JsonLines, or another -OutputPath, to keep them.");
        }

        // Appends the batch's results, flushes them to disk, then commits the state (with the series memory as it is after
        // the batch's rows). The order is what makes a kill safe.
        private void Commit(FilePlan plan, Batch batch)
        {
            var entry = plan.Entry!;
            var p = pipeline!;
            long length = state.Output.Length;
            if (batch.Rows > 0)
            {
                try
                {
                    p.Flush();
                    length = writer!.Flush();
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw OutputWriteFailed(e);
                }
            }
            Checkpoint?.Invoke("output-flushed");
            // The pipeline scores a batch as soon as it is full: what it did since the last commit is this batch.
            long scored = p.Scored - committed.Scored, warming = p.WarmingUp - committed.WarmingUp, noData = p.NoData - committed.NoData;
            long anomalies = p.Anomalies - committed.Anomalies, alerts = p.Alerts - committed.Alerts;
            long above = p.AboveThreshold - committed.Above;
            committed = (p.Scored, p.WarmingUp, p.NoData, p.Anomalies, p.Alerts, p.AboveThreshold);

            entry.Offset = batch.End;
            entry.Lines = batch.Lines;
            entry.EndsInOpenLine = batch.EndsInOpenLine ? true : null;
            entry.RowsScored += scored + warming + noData;
            entry.RowsRejected += batch.Rejected;
            // The fingerprints of the bytes scored. The head is taken from the first bytes as the run found them (read when
            // it opened the file), the tail is read back (4 KB just scanned): unless the file was cut and written again
            // since the run opened it (logrotate's copytruncate), when its first bytes are others now and what is read
            // back is not what was scored, and would make the copy that holds it look like a new file. Then no tail: the
            // entry is matched on its head and the line break before its offset, as an entry of an older state is.
            int cover = ScoringState.FingerprintLength(entry.Offset);
            if (entry.FingerprintLength != cover || entry.Fingerprint.Length == 0)
            {
                entry.Fingerprint = ScoringState.Fingerprint(plan.Head.AsSpan(0, cover));
                entry.FingerprintLength = cover;
            }
            string tail = ScoringState.TailFingerprint(plan.Handle, entry.Offset);
            bool asScanned = tail.Length > 0 && ScoringState.ReadAt(plan.Handle, 0, cover).AsSpan().SequenceEqual(plan.Head.AsSpan(0, cover));
            entry.TailFingerprint = asScanned ? tail : null;
            entry.UpdatedUtc = DateTime.UtcNow;
            if (!state.Files.Contains(entry)) state.Files.Add(entry);
            if (length != state.Output.Length)
            {
                try { state.Output.Fingerprint = ScoringState.OutputFingerprint(outputFile!.SafeFileHandle, length); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw OutputWriteFailed(e); }
            }
            state.Output.Length = length;
            state.Output.RowsScored += scored;
            state.Output.RowsWarmingUp += warming;
            state.Output.RowsWithoutData += noData;
            state.Output.RowsRejected += batch.Rejected;
            state.Output.Anomalies += anomalies;
            state.Output.Alerts += alerts;
            state.Recent = ScoringRecentRows.Add(state.Recent, scored, above);
            if (p.Series != null) state.Series = Convert.ToBase64String(p.Series.Save(model));
            if (learned != null) state.Learning = new ScoringLearningState { Base = learningBase!, Model = Convert.ToBase64String(ModelFile.Serialize(learned)) };
            SaveState();
            Checkpoint?.Invoke("state-committed");

            summary.RowsScored += scored;
            summary.RowsWarmingUp += warming;
            summary.RowsWithoutData += noData;
            summary.RowsRejected += batch.Rejected;
            summary.RowsAlreadyScored += batch.Repeated;
            summary.Anomalies += anomalies;
            summary.Alerts += alerts;
            batch.Clear();
        }
    }
}
