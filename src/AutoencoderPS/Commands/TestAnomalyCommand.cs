using System;
using AutoencoderPS.Engine.Text;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Adapters;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Scores rows (pipeline or CSV files) with a trained model. Each row comes out with AnomalyScore,
    /// IsAnomaly, AnomalyTopFeature and an explanation added, or, with -OutputPath, goes straight to a CSV
    /// file. Rows are scored in batches (one forward pass each) and leave as each batch completes, so the
    /// input is never held whole.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "Anomaly", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Test-Anomaly.md")]
    [OutputType(TestAnomalyCommand.ScoredRowTypeName)]
    [OutputType(typeof(FileInfo))]
    public sealed partial class TestAnomalyCommand : RecordInputCmdlet, IScoredRowSink<IRecord>
    {
        // The rows of the pipeline and of files read record by record; files scored from their bytes have their own
        // (CsvFileScorer), with the same options.
        private ScoringPipeline<IRecord> pipeline = null!;
        private ScoredCsvWriter? output;
        private CsvHeader? firstHeader;
        private string? firstFile;
        private bool columnsChecked;
        // A first piped row without the model's columns, until the second row says whether the input is of another kind.
        private (PSObjectRecord Row, AutoencoderException Missing)? heldFirstRow;
        private long rowNumber;
        private readonly System.Diagnostics.Stopwatch clock = new System.Diagnostics.Stopwatch();
        private ProgressRecord? progress;
        private long nextProgressRow = ProgressEvery;
        private const long ProgressEvery = 50000;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel Model { get; set; } = null!;

        /// <summary>Write the scored rows to this CSV file instead of the pipeline (with -Path or -LiteralPath).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        public string? OutputPath { get; set; }

        /// <summary>With -OutputPath: give fields a spreadsheet would run as formulas a leading apostrophe.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter NeutralizeFormulas { get; set; }

        /// <summary>
        /// With -OutputPath: write AnomalyExplanation on every row. Without it, only anomalies are explained in the file
        /// (AnomalyTopFeature is on every row); piped rows always have their explanation.
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter ExplainAll { get; set; }

        /// <summary>With -OutputPath: don't replace an existing file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>With -OutputPath: replace a read-only file too (it stays read-only); any other file is replaced without it.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter Force { get; set; }

        /// <summary>With -OutputPath: emit the written file.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many features the explanation names (largest share of the error first).</summary>
        [Parameter]
        [ValidateRange(0, 1000)]
        public int TopFeatureCount { get; set; } = 3;

        /// <summary>Reject rows with missing values instead of imputing the training median.</summary>
        [Parameter]
        public SwitchParameter RejectMissing { get; set; }

        /// <summary>
        /// Rows per forward pass; results stream out after each batch. The same default serves files: larger batches are
        /// not faster there, as a batch's buffers over 85 kB go to the large object heap (4,096 rows of 20 columns cost
        /// 85 full collections per million rows and 17% more CPU than 256 rows, which cost none).
        /// </summary>
        [Parameter]
        [ValidateRange(1, 1048576)]
        public int BatchSize { get; set; } = 256;

        [Parameter]
        [ValidateRange(1, 1024)]
        public int? ThreadCount { get; set; }

        /// <summary>
        /// With -OutputPath, a row model: threads that featurize and score the file's rows (all with the model's one
        /// network), this command's own among them (it also reads and writes the file). The output is the same byte for byte.
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        // The columns this call reads and scores by: the model's when the call began (one trained afresh since scores none of it).
        private FeatureSchema Schema => pipeline.Schema;

        // The columns the rows' scores explain themselves by (the window's, for a sliding-window model), made once with the
        // pipeline: rows written after a fresh training of the model were scored by these.
        private FeatureSchema scoredBy = null!;


        // Piped rows that come further apart than this (200 ms) are scored one by one as they come (see ProcessRecord). A
        // first row has nothing to be apart from (a source that reads or sorts all its input first is not slow).
        private static readonly long SlowInputTicks = System.Diagnostics.Stopwatch.Frequency / 5;
        private long inputIdleSince;

        protected override void BeginProcessing()
        {
            ThrowIfNotTrained(Model);
            EnsureRuntime(Model);
            ApplyThreadCount(ThreadCount);
            CheckStreamOptions();
            if (OutputPath == null)
            {
                // These shape the output file; without one they would be taken and do nothing.
                var unused = new[] { nameof(NeutralizeFormulas), nameof(ExplainAll), nameof(NoClobber), nameof(Force), nameof(PassThru), nameof(ThrottleLimit) }
                    .Where(name => MyInvocation.BoundParameters.TryGetValue(name, out var value) && !(value is SwitchParameter { IsPresent: false }))
                    .Select(name => "-" + name).ToArray();
                if (unused.Length > 0)
                    WriteWarning($"{string.Join(", ", unused)} {(unused.Length == 1 ? "applies" : "apply")} only with -OutputPath; without it, {(unused.Length == 1 ? "it does" : "they do")} nothing.");
            }
            pipeline = new ScoringPipeline<IRecord>(Model, ScoringOptions, this);
            scoredBy = Model.WindowSchemaOf(pipeline.Schema)!;
            ScoredRowMembers.EnsureTypeData(this, ScoredRowTypeName);
            WriteVerbose($"Scoring with {Model}.");
            if (pipeline.Series?.Verdicts is { Likelihood: not null } verdicts)
                WriteVerbose(System.FormattableString.Invariant($"A row is an anomaly at a likelihood of {verdicts.Threshold:0.######} or more (") +
                    (NamedProbabilityThreshold(ProbabilityThreshold) != null ? "-ProbabilityThreshold" :
                     Model.RowIntervalFor(null) is { } step ? $"the default for rows {step} apart: 0.99 for 5-minute rows and coarser, the same share of a day's rows for finer ones" : "the default") +
                    $") and a new high over the last {verdicts.Likelihood.RecentRows} rows of its group" +
                    (verdicts.Likelihood.PerGroup == null ? "." : "; each group counts by its own interval: " +
                        string.Join("; ", Model.GroupIntervals.GroupBy(g => Model.RowIntervalFor(g.Key)!.Value).OrderBy(g => g.Key).Select(g =>
                        {
                            var own = verdicts.Likelihood.SettingsOf(g.First().Key);
                            return System.FormattableString.Invariant($"{g.Count()} group(s) {g.Key} apart: {own.UnlikelyAt:0.######}, {own.RecentRows} rows");
                        })) + "."));
        }

        protected override void ProcessRecord()
        {
            // Files piped from Get-ChildItem are gathered and scored at the end, in one run: one -OutputPath holds them all.
            if (TakePipedFile()) return;
            // No file named or piped (called without pipeline input): said once, at the end.
            if (NoFilePiped) return;
            if (!ReadsFiles)
            {
                if (InputObject == null) return;
                var record = NewRecord(InputObject);
                if (!columnsChecked)
                {
                    // The first two rows both without a column the model reads: input of another kind. A later row without a
                    // feature's property has a missing value there (FeatureSchema.AbsentIsMissing), as one of the first two
                    // when the other has it.
                    if (MissingColumns(record.ColumnNames, "The input") is { } missing)
                    {
                        // One row without the model's columns may be a bad row; the first two are input of another kind.
                        if (heldFirstRow == null)
                        {
                            // Objects that leave a property out when they have no value for it (JSON): said how to give it.
                            heldFirstRow = (record, new AutoencoderException(missing.ErrorId, missing.Message +
                                " A later row without a feature's property is read with that value missing (filled in, as $null is); if the " +
                                "first rows leave a property out because they have no value for it (as JSON does), give every row the model's " +
                                $"properties first: Select-Object {string.Join(", ", Model.ColumnsRead.Select(Engine.Text.PrintableText.PowerShellArgument))}."));
                            return;
                        }
                        ThrowTerminatingError(EngineError(heldFirstRow.Value.Missing, heldFirstRow.Value.Row.Input));
                    }
                    columnsChecked = true;
                    // The first row lacked them and this one has them: it was a bad row, reported as any later one.
                    if (heldFirstRow is { } held) Accept(held.Row, ++rowNumber);
                    heldFirstRow = null;
                }
                // A live source (Get-Counter -Continuous, Get-Content -Wait | ConvertFrom-Csv) sends a row now and then: each
                // is scored when it comes, not when a batch of BatchSize is full (hours later). Measured from the end of the
                // previous row's call, so it is the time the source took, not the time the rows written downstream took.
                bool slow = inputIdleSince != 0 && System.Diagnostics.Stopwatch.GetTimestamp() - inputIdleSince > SlowInputTicks;
                Accept(record, ++rowNumber);
                if (slow && pipeline.Pending > 0) Flush();
                inputIdleSince = System.Diagnostics.Stopwatch.GetTimestamp();
                return;
            }
            ScoreFiles();
        }

        // The files of -Path, -LiteralPath or the pipeline, read one after another: to -OutputPath, or as rows to the pipeline.
        private void ScoreFiles()
        {
            var options = CreateCsvOptions();
            if (NeutralizeFormulas)
                options = new CsvInputOptions { Culture = options.Culture, Delimiter = options.Delimiter, Encoding = options.Encoding, Header = options.Header, NeutralizeFormulas = true };
            var files = ResolveInputFiles();
            string? target = null;
            if (OutputPath != null)
            {
                // A FIFO or device among the inputs is its file's error before the output's temporary file is made (it
                // would block or never end, and a run killed then left that file behind).
                files = files.Where(file =>
                {
                    try { CsvSource.RequireRegularFile(file); return true; }
                    catch (AutoencoderException e)
                    {
                        filesNotScored++;
                        WriteError(FileError(e, file));
                        return false;
                    }
                }).ToList();
                ProviderInfo provider;
                try
                {
                    target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputPath, out provider, out _);
                }
                catch (SessionStateException e)
                {
                    // A drive or provider that does not exist here: said before any file is read.
                    ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException($"-OutputPath '{OutputPath}' can't be written: {e.Message}", e),
                        ErrorIds.OutputPathNotFileSystem, OutputPath));
                    return;
                }
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException($"'{OutputPath}' is not a file-system path."),
                        ErrorIds.OutputPathNotFileSystem, OutputPath));
                // Replacing an input with its own scores would lose it for good (a rejected row is in no output).
                string targetFile = RealPath(target);
                string? same = files.FirstOrDefault(f => string.Equals(RealPath(f), targetFile, IncrementalScoringJob.PathComparison));
                if (same != null)
                    ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException(
                            $"-OutputPath '{target}' is the input file '{same}': writing the scores there would replace the export. Give another -OutputPath."),
                        ErrorIds.OutputPathIsInput, target));
                if (ReplaceRefusal(target, NoClobber, Force, ErrorIds.OutputFileExists) is { } refusal) ThrowTerminatingError(refusal);
                // Said before anything is read (and under -WhatIf): the scores of a whole export could not be kept.
                if (MissingFolderOf(target) is { } folder)
                    ThrowTerminatingError(ErrorCatalog.Record(new DirectoryNotFoundException(
                            $"Could not write the scored rows to '{target}': the folder '{folder}' does not exist. Create it, or give another -OutputPath."),
                        ErrorIds.OutputFileWriteFailed, target));
                if (!ShouldProcess(target, $"Write scored rows of {files.Count} file(s)")) return;
                try
                {
                    output = new ScoredCsvWriter(target, options, TopFeatureCount, Model.Settings.IsWindowed, ExplainAll);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // The exception names the hidden temporary file; the user gave the target.
                    ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.OutputFileWriteFailed, target,
                        $"Could not write the scored rows to '{target}': {e.Message} Nothing was scored; any previous file there is unchanged."));
                }
            }
            try
            {
                foreach (var file in files)
                {
                    try
                    {
                        var header = CsvSource.ReadHeader(file, options);
                        // A call scores with the model it began with: one trained afresh since (from another runspace)
                        // scores none of the files after that, whichever way they are read.
                        Model.ThrowIfTrainedSince(pipeline.Schema, file);
                        // A file without the model's columns is that file's error: the other files are scored.
                        if (MissingColumns(header.Names, $"File '{file}'") is { } missing) throw missing;
                        // A scored file scored again: its output would have each score column twice (Import-Csv refuses it).
                        if (output != null && ScoreColumns.Clash(header.Names, ScoreColumns.For(Model.Settings.IsWindowed, source: false), file) is { } clash)
                            throw clash;
                        // The same columns in another order are written under the first file's (ScoredCsvWriter.Accepts).
                        if (output != null && firstHeader != null && !firstHeader.SameColumnSet(header))
                        {
                            WriteError(EngineError(new AutoencoderException(ErrorIds.CsvHeaderMismatch,
                                $"File '{file}' has other columns than '{firstFile}' ({RepeatedHeader.Change(firstHeader, header)}), so its rows can't go into the same output file. Score it to a separate -OutputPath."), file));
                            continue;
                        }
                        firstHeader ??= header;
                        firstFile ??= file;
                        WriteVerbose($"Scoring '{file}' (delimiter '{options.EffectiveDelimiter}', {CultureText.Describe(options.Culture)}).");
                        clock.Start();
                        long rowsBefore = RowsSeen;
                        if (output != null)
                        {
                            string? slow = CsvFileScorer.Unsupported(file, options, Model);
                            if (slow == null)
                            {
                                if (!ScoreFile(file, header, options)) return;
                                WarnIfNoRows(file, rowsBefore);
                                filesRead++;
                                continue;
                            }
                            WriteVerbose($"Reading '{file}' record by record: {slow}.");
                        }
                        AdviseOnLateRows(file);
                        // The output's header now, as the byte scorer writes it: a time-series pipeline holds rows back, and a
                        // header repeated in another layout must be checked against the output's columns, not against none.
                        output?.Begin(header, file);
                        var rowsHeader = header;
                        foreach (var record in ReadFile(file, options))
                        {
                            // Ctrl+C: stop at once; the output is not committed, so a previous file stays as it was.
                            if (Stopping) return;
                            // The header again in another layout (CsvSource.Read): its rows go to the output only under its columns.
                            if (!ReferenceEquals(record.Header, rowsHeader))
                            {
                                rowsHeader = record.Header;
                                if (output != null && record.Header.Replaces != null && !output.Accepts(record.Header))
                                    throw RepeatedHeader.NotHonoured(record.Header, file, "the output has the first header's columns, not these");
                            }
                            Accept(record, ++rowNumber);
                            if (rowNumber >= nextProgressRow) ReportProgress(file);
                        }
                        Flush();
                        WarnIfNoRows(file, rowsBefore);
                        filesRead++;
                    }
                    catch (Exception e) when ((e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) && output?.Faulted != true)
                    {
                        // The rows scored so far stay in the output; the file that failed is named.
                        filesNotScored++;
                        AutoencoderException? unscored = null;
                        try
                        {
                            Flush();
                        }
                        catch (AutoencoderException f) when (f.ErrorId == ErrorIds.ModelChangedWhileScoring)
                        {
                            // The model was trained afresh meanwhile too: the rows read before the file's failure are not
                            // scored either, and that is said as well.
                            unscored = f;
                        }
                        WriteError(FileError(e, file));
                        if (unscored != null) WriteError(FileError(unscored, file));
                    }
                    catch (ObjectDisposedException) when (Model.IsDisposed)
                    {
                        // Disposed from another runspace between two files (Dispose waits for a file in progress): the
                        // model can't score the rest, and nothing is committed.
                        ThrowIfDisposed(Model);
                        throw;
                    }
                }
                if (output != null && target != null && firstHeader == null)
                {
                    // No file could be read (a mistyped -Path, an empty file): an empty file must not replace a previous output.
                    WriteError(EngineError(new AutoencoderException(ErrorIds.NoRowsScored,
                            $"None of the input files could be scored (see the errors above), so '{target}' was not written; a previous file there is unchanged."), target));
                }
                else if (output != null && target != null && output.Rows == 0 && (failedRows > 0 || (filesNotScored > 0 && filesRead == 0)))
                {
                    // Every row failed, or every file failed before a row of it was scored: an empty file must not replace a
                    // previous output. (A file of a header only that was read is no failure: its empty output is written.)
                    WriteError(EngineError(new AutoencoderException(ErrorIds.NoRowsScored,
                            $"None of the rows could be scored ({failedRows} row(s) and {filesNotScored} file(s) failed; see the errors above), so '{target}' was not written; a previous file there is unchanged."), target));
                }
                else if (output != null && target != null)
                {
                    output.Commit();
                    WriteVerbose($"Wrote {output.Rows} scored rows ({Anomalies} anomalies) to '{target}'.");
                    if (PassThru) WriteObject(new FileInfo(target));
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.OutputFileWriteFailed, target,
                    $"Could not write the scored rows to '{target}': {e.Message} Any previous file there is unchanged."));
            }
            finally
            {
                output?.Dispose();
                output = null;
                if (fileScorer != null)
                {
                    fileScored += fileScorer.Rows;
                    fileAnomalies += fileScorer.Anomalies;
                    if (ScoringPipeline<IRecord>.FleetScaledGroupsWarning(fileScorer.FleetScaledGroups) is { } fleetScaled) WriteWarning(fleetScaled);
                    fileScorer.Dispose();
                    fileScorer = null;
                }
            }
        }

        private CsvFileScorer? fileScorer;
        // Files of this call that failed while they were scored (the per-file catch; those that could not be found are the
        // base's), and files read to their end.
        private int filesNotScored, filesRead;
        private long fileScored, fileAnomalies;

        // File to file: the engine reads, scores and writes the file's bytes (CsvFileScorer); rows it can't featurize
        // come back here as errors. False when Ctrl+C stopped it.
        private bool ScoreFile(string file, CsvHeader header, CsvInputOptions options)
        {
            if (fileScorer == null && Model.Learns && ThrottleLimit > 1)
                WriteVerbose($"The model learns from the rows it scores as normal (LearnEvery {Model.LearnEvery}), so its rows are scored in order, on one thread (-ThrottleLimit {ThrottleLimit} is not used).");
            fileScorer ??= new CsvFileScorer(Model, output!, options, ScoringOptions, RejectMissing ? MissingValuePolicy.Reject : MissingValuePolicy.Impute,
                ThrottleLimit, pipeline.Schema);
            long firstRow = rowNumber;
            fileScorer.RowRejected = (record, e, ordinal) => RowFailed(e, record, firstRow + ordinal);
            fileScorer.Progress = records =>
            {
                rowNumber = firstRow + records;
                if (rowNumber >= nextProgressRow) ReportProgress(file);
            };
            fileScorer.Stopping = () => Stopping;
            fileScorer.HeaderRemapped = WriteWarning;
            return fileScorer.Score(file, header, headerInFile: options.Header == null);
        }

        // How every row of this run is batched and judged.
        private ScoringOptions ScoringOptions => new ScoringOptions
        {
            BatchSize = BatchSize,
            Calibration = Calibration,
            ProbabilityThreshold = NamedProbabilityThreshold(ProbabilityThreshold),
            AlertCooldown = NamedAlertCooldown(AlertCooldown),
        };

        private long Scored => pipeline.Scored + fileScored + (fileScorer?.Rows ?? 0);

        // Rows of the files so far that were scored, warmed a window up or failed.
        private long RowsSeen => Scored + pipeline.WarmingUp + pipeline.NoData + failedRows;

        // A file of a header only (or nothing) is no error (a scheduled export may have no new rows), but say so.
        private void WarnIfNoRows(string file, long rowsBefore)
        {
            if (RowsSeen == rowsBefore) WriteWarning($"File '{file}' holds no data rows (a header only, or nothing); nothing was scored from it.");
        }

        private long Anomalies => pipeline.Anomalies + fileAnomalies + (fileScorer?.Anomalies ?? 0);

        protected override void EndProcessing()
        {
            ReadNamedFilesAfterAnEmptyPipe();
            if (heldFirstRow is { } only) ThrowTerminatingError(EngineError(only.Missing, only.Row.Input));
            // Nothing was piped (Get-ChildItem of a folder without exports): no file is no scored file, and a previous one stays.
            ThrowIfNoFilePiped("nothing was scored" + (OutputPath != null ? $" and '{OutputPath}' was not written" : ""), OutputPath);
            if (FilesPiped) ScoreFiles();
            Flush();
            if (progress != null)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
            WriteVerbose(Model.Settings.IsWindowed
                ? $"Scored {Scored} rows; {Anomalies} anomalies, {pipeline.Alerts} alerts; {pipeline.WarmingUp} rows warming up" +
                  (pipeline.NoData > 0 ? $", {pipeline.NoData} without values (NoData)." : ".")
                : $"Scored {Scored} rows; {Anomalies} anomalies.");
            if (pipeline.NoDataWarning() is { } noData) WriteWarning(noData);
            if (pipeline.WarmingUpWarning() is { } warming) WriteWarning(warming);
            if (!repeatedHourWarned && pipeline.SharedTimesWarning() is { } shared) WriteWarning(shared);
            if (pipeline.UnlikeTrainingWarning() is { } unlike) WriteWarning(unlike);
            if (pipeline.FleetScaledGroupsWarning() is { } fleetScaled) WriteWarning(fleetScaled);
        }

        // Long file runs say how far they are and how fast they go.
        private void ReportProgress(string file)
        {
            nextProgressRow = rowNumber + ProgressEvery;
            progress ??= new ProgressRecord(2, "Scoring rows", "Starting");
            double rate = rowNumber / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            progress.StatusDescription = $"{System.IO.Path.GetFileName(file)}: {rowNumber:N0} rows, {Anomalies:N0} anomalies, {rate:N0} rows/s";
            WriteProgress(progress);
        }

        // A feature column absent from the input is a schema mismatch: one error naming every missing column (null when
        // none is missing). Piped input stops at it; a file is skipped with it, and the other files are scored.
        private AutoencoderException? MissingColumns(IEnumerable<string> present, string source)
        {
            var found = present.ToList();
            var names = new HashSet<string>(found, StringComparer.OrdinalIgnoreCase);
            return ColumnMismatch.Check(source, Model.ColumnsRead, Model.Settings.TimeProperty, found, names.Contains, Delimiter);
        }

        // Rows read by position while they have the shape of the pipeline's rows; a new shape after a run of rows without it.
        // The shape is of the object the row is read as (a dictionary's is a new object of its keys).
        private PSObjectRecord NewRecord(PSObject row)
        {
            if (shape == null)
            {
                var first = new PSObjectRecord(row);
                shape = RowShape.Of(first.Source);
                if (shape == null) return first;
            }
            var record = new PSObjectRecord(row, shape);
            if (record.Shape != null) shapeMisses = 0;
            else if (++shapeMisses >= ShapeMissesBeforeNewShape)
            {
                shape = RowShape.Of(record.Source);
                shapeMisses = 0;
                if (shape != null) record = new PSObjectRecord(row, shape);
            }
            return record;
        }

        /// <summary>Rows that fail one after another before Test-Anomaly stops: the input is read wrongly, not bad here and there.</summary>
        public const int MaxConsecutiveFailures = FailedRowRun.MaxInARow;

        private long failedRows;

        // Machines whose piped rows lack a counter the model reads: each is told once, and its rows are left out.
        private HashSet<string>? machinesLacking;

        // One row's error; after MaxConsecutiveFailures in a row, one terminating error that says what is likely wrong
        // (an -OutputPath is then not written: a previous file there stays).
        private void RowFailed(FeatureValueException e, IRecord record, long row)
        {
            failedRows++;
            // Piped rows of a machine whose counters lack one the model reads (a later host of a fleet): one error for the
            // machine, as for a -Path file without the model's columns, and its rows are left out; the other hosts' are
            // scored. (The first piped row's columns are checked before any row is scored.)
            if (!ReadsFiles && MissingCounters.Check(Model.Schema!, record, e, featuresFixed: true, fromFiles: false) is { } missing &&
                CounterPath.SoleMachine(record.ColumnNames) is { } machine)
            {
                if ((machinesLacking ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(machine))
                {
                    var error = EngineError(missing, TargetOf(record));
                    error.ErrorDetails = new ErrorDetails(PrintableText.Of($"{Locate(record, row)}: {missing.Message} Its rows are left out; the other machines' are scored."));
                    WriteError(error);
                }
                return;
            }
            RowFailed(e, record, row, output != null ? " The output file was not written; a previous file there is unchanged." : "");
        }

        // The rows read before a run of failed rows are scored and written to the pipeline before it stops the call: they
        // waited in the pipeline's batch (256 rows), and the stop lost them (an operator trial: 768 of 864 good rows came
        // out). An -OutputPath is not written at such a stop, as at any other.
        protected override void BeforeTooManyRowFailures()
        {
            if (output == null) Flush();
        }

        private RowShape? shape;
        private int shapeMisses;
        private const int ShapeMissesBeforeNewShape = 64;

        private void Accept(IRecord record, long row)
        {
            FeatureValueException? rejected;
            try
            {
                rejected = pipeline.Add(record, record, InputCulture, RejectMissing ? MissingValuePolicy.Reject : MissingValuePolicy.Impute);
            }
            catch (AutoencoderException e) when (e.ErrorId == ErrorIds.ModelChangedWhileScoring && !ReadsFiles)
            {
                ThrowModelChanged(e);
                return;
            }
            if (rejected != null)
            {
                // A value that can't be read, or a row out of time order (its group's window stays as it was).
                RowFailed(rejected, record, row);
                return;
            }
            (record as PSObjectRecord)?.ReadWhole();
        }

        private void Flush()
        {
            try
            {
                pipeline.Flush();
            }
            catch (AutoencoderException e) when (e.ErrorId == ErrorIds.ModelChangedWhileScoring && !ReadsFiles)
            {
                ThrowModelChanged(e);
            }
        }

        // A model trained afresh while piped rows are scored (further up the pipeline, or from another runspace; adding a
        // row scores a batch when it is full) scores none of the rows read by its former schema, nor any after them in
        // this call: one terminating error. (Rows read from files: the file's error, as for the files scored from their
        // bytes; the files before it stay in an -OutputPath.)
        private void ThrowModelChanged(AutoencoderException e) => ThrowTerminatingError(EngineError(e, Model));

        /// <summary>The pipeline's sink: a row read from a file goes to -OutputPath; any other row leaves as a PowerShell object.</summary>
        void IScoredRowSink<IRecord>.Write(IRecord record, RowScore? score, IReadOnlyList<string>? imputed, WindowStatus status)
        {
            var schema = scoredBy;
            if (output != null && record is CsvRecord csv)
            {
                output.Write(csv, score, imputed, schema, status);
                return;
            }
            var row = record switch
            {
                PSObjectRecord p => p.Source,
                CsvRecord c => ToPSObject(c),
                _ => throw new InvalidOperationException("Unknown record type."),
            };
            if (Model.Settings.IsWindowed) AnnotateWindowed(row, score, schema, imputed, status);
            else
            {
                // A row of a shape without scored members has none of the names to replace.
                bool unscored = record is PSObjectRecord { StillUnscored: true };
                ScoredRowMembers.Annotate(row, new ScoredRowState(score!, imputed, schema, TopFeatureCount, InputCulture), ScoredRowTypeName, unscored: unscored);
            }
            WriteObject(row);
        }

        /// <summary>Type name of scored rows: a table view shows verdict, score and explanation before the row itself.</summary>
        public const string ScoredRowTypeName = "AutoencoderPS.ScoredRow";
    }
}
