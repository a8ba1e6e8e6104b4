using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Errors;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// One unattended scoring run for a scheduler: scores only the rows that are new in the input files since the last
    /// run, appends them to one output file, and keeps how far it got in a state file. The engine's
    /// <see cref="IncrementalScoringJob"/> does the work; this cmdlet resolves paths, takes the lock, loads the model,
    /// turns the engine's reports into PowerShell errors and warnings, and sets $LASTEXITCODE.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AnomalyScoring", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = HelpLinks.Base + "Invoke-AnomalyScoring.md")]
    [OutputType(typeof(AnomalyScoringSummary))]
    public sealed class InvokeAnomalyScoringCommand : ScoringJobCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>CSV files to score; wildcards are expanded on every run, so new files are picked up.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Files used as written; binds the PSPath of files piped from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        // Piped files bind -LiteralPath once per object; the run is one, over all of them, at the end.
        private readonly List<string> literalPaths = new();
        // -LiteralPath given on the command line (bound before the pipeline runs), not by piped files.
        private bool literalNamed;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            literalNamed = MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LiteralPathSet) literalPaths.AddRange(LiteralPath);
        }

        [Parameter]
        [ValidateRange(1, 1024)]
        public int? ThreadCount { get; set; }

        protected override void EndProcessing()
        {
            SetExitCode(AnomalyScoringExitCode.Failed); // until the run says otherwise
            string output = ResolveTarget(OutputPath, "OutputPath");
            string state = StatePath != null ? ResolveTarget(StatePath, "StatePath") : IncrementalScoringOptions.DefaultStatePath(output);
            string model = ResolveTarget(ModelPath, "ModelPath");
            // Said before anything else is done (and under -WhatIf), as Test-Anomaly -OutputPath does: without this, the
            // default state's lock beside the output would fail first, naming a lock file the operator never gave.
            if (MissingFolderOf(output) is { } folder)
                Fail(ErrorCatalog.Record(new DirectoryNotFoundException(
                        $"Could not write the scores to '{output}': the folder '{folder}' does not exist. Create it, or give another -OutputPath. " +
                        "Nothing was scored, and no state was written."),
                    ErrorIds.ScoringOutputWriteFailed, output), AnomalyScoringExitCode.Failed);
            // The same for a -StatePath elsewhere: otherwise its lock fails first ("Could not create the lock file").
            if (StatePath != null && MissingFolderOf(state) is { } stateFolder)
                Fail(ErrorCatalog.Record(new DirectoryNotFoundException(
                        $"Could not keep the scoring state in '{state}': the folder '{stateFolder}' does not exist. Create it, or give another -StatePath. " +
                        "Nothing was scored."),
                    ErrorIds.ScoringStateWriteFailed, state), AnomalyScoringExitCode.Failed);

            int unresolved = 0;
            var files = new List<string>();
            bool literal = ParameterSetName == LiteralPathSet;
            var named = JobFilesNamed(model, output, state);
            foreach (var path in literal ? literalPaths : (IEnumerable<string>)Path)
            {
                var errors = new List<ErrorRecord>();
                var found = ResolveFiles(new[] { path }, literal, "Input", "file", errors);
                foreach (var error in errors) Report(() => WriteError(error));
                if (found.Count == 0) unresolved++;
                // A wildcard that reaches the model file ('<folder>/*') skips it, as it skips the job's output and state
                // (IncrementalScoringOptions.ModelPath); a file named is one of the job's files, checked below. Files piped
                // from Get-ChildItem are a folder's listing, as a wildcard's: from the second run on the folder holds the output.
                if (literal ? literalNamed : !WildcardPattern.ContainsWildcardCharacters(path))
                    named.AddRange(found.Select(file => new JobFiles.Named(JobFileRole.Input, literal ? "-LiteralPath" : "-Path", file)));
                files.AddRange(found);
            }
            // Nothing piped (Get-ChildItem of a folder with no exports yet): a failed run, as a -Path that matches nothing.
            if (literal && literalPaths.Count == 0)
            {
                Report(() => WriteError(ErrorCatalog.Record(new FileNotFoundException(
                    "No file was piped to Invoke-AnomalyScoring, so nothing was scored. Pipe the files from Get-ChildItem, or give -Path or -LiteralPath."),
                    ErrorIds.InputFileNotFound, null)));
                unresolved++;
            }
            // Two of the job's files that are one file (the state over the output lost every scored row): refused before
            // anything is written, also under -WhatIf.
            if (JobFiles.SameFile(named, IncrementalScoringJob.PathComparison) is { } same)
                Fail(EngineError(same, same.Path), AnomalyScoringExitCode.Failed);

            if (!ShouldProcess(output, $"Append the scores of the new rows of {files.Count} file(s), state '{state}'"))
            {
                SetExitCode(AnomalyScoringExitCode.NoAnomalies);
                return;
            }

            ScoringLock? held = null;
            AutoencoderModel? loaded = null;
            try
            {
                // The model first: a missing, corrupt or unsuitable model fails before the lock file is created.
                EnsureRuntime(model);
                ApplyThreadCount(ThreadCount);
                try
                {
                    loaded = ModelFile.Load(model);
                }
                catch (ModelFileException e)
                {
                    Fail(EngineError(e, model), AnomalyScoringExitCode.Failed);
                }
                if (!loaded!.IsTrained)
                    Fail(EngineError(new AutoencoderException(ErrorIds.ModelNotTrained, $"The model in '{model}' is not trained."), model),
                        AnomalyScoringExitCode.Failed);
                WriteVerbose($"Scoring with {loaded}.");

                System.Text.Encoding? encoding = null;
                try { encoding = InputEncodingOrNull(); }
                catch (ArgumentException e) { Fail(ErrorCatalog.Record(e, ErrorIds.UnknownEncoding, Encoding), AnomalyScoringExitCode.Failed); }
                var options = new IncrementalScoringOptions
                {
                    OutputPath = output,
                    StatePath = state,
                    ModelPath = model,
                    Format = Format ?? ScoringOutputFormat.Csv,
                    Csv = new CsvInputOptions { Culture = Culture ?? DataCulture, Delimiter = Delimiter, Encoding = encoding, NeutralizeFormulas = NeutralizeFormulas },
                    TopFeatureCount = TopFeatureCount,
                    ExplainAll = ExplainAll,
                    Calibration = Calibration,
                    ProbabilityThreshold = NamedProbabilityThreshold(ProbabilityThreshold),
                    AlertCooldown = NamedAlertCooldown(AlertCooldown),
                };
                var refused = RefusedVerdictOptions(loaded, Calibration, AlertCooldown);
                if (refused != null) Fail(refused, AnomalyScoringExitCode.Failed);
                IncrementalScoringJob job = null!;
                try
                {
                    job = new IncrementalScoringJob(loaded, options, new Observer(this));
                }
                catch (AutoencoderException e)
                {
                    // A model this job can't score: the model file is what is wrong (or the two files that are one).
                    Fail(EngineError(e, e is JobFilesClashException clash ? clash.Path : model), AnomalyScoringExitCode.Failed);
                }

                try
                {
                    held = ScoringLock.Acquire(IncrementalScoringOptions.LockPathFor(state));
                }
                catch (ScoringLockedException e)
                {
                    Fail(ErrorCatalog.Record(e, e.ErrorId, state), AnomalyScoringExitCode.Locked);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    Fail(ErrorCatalog.Record(e, ErrorIds.AnomalyScoringLockFailed, state,
                        $"Could not create the lock file '{IncrementalScoringOptions.LockPathFor(state)}': {e.Message}"), AnomalyScoringExitCode.Failed);
                }
                WriteVerbose($"Holding the lock '{held!.Path}' ({held.Holder}).");

                AnomalyScoringSummary summary;
                try
                {
                    summary = job.Run(files);
                }
                catch (AutoencoderException e)
                {
                    // The file at fault is the target: the output for the output's errors, else the state.
                    bool outputFault = e.ErrorId is ErrorIds.ScoringOutputWriteFailed or ErrorIds.ScoringOutputTruncated
                        or ErrorIds.ScoringOutputWithoutState;
                    Fail(EngineError(e, outputFault ? output : state), AnomalyScoringExitCode.Failed);
                    return;
                }
                summary.FilesFailed += unresolved;
                SetExitCode(summary.ExitCode);
                Report(() => WriteVerbose($"{summary}."));
                // -ErrorAction Stop: the run is done and committed; now its first error stops the command (Report).
                if (stopAfterRun != null) ThrowTerminatingError(stopAfterRun.ErrorRecord);
                Report(() => WriteObject(summary));
            }
            finally
            {
                loaded?.Dispose();
                held?.Dispose();
            }
        }


        // -ErrorAction Stop, -WarningAction Stop or their preference variables: the first error (or warning) written stops
        // the command, but only once the run has committed what it did. Thrown from inside the job, the stop aborted the run
        // before its batch was committed: a bad row was read again, and stopped the job again, on every run, and nothing
        // after it was ever scored; a -Path that matched nothing stopped the run before any file was read. PowerShell
        // records the stop's error and throws PipelineStoppedException without Stopping (Ctrl+C sets Stopping, and is
        // let through); the record is the command's terminating error when it returns. Nothing more can be written then.
        private bool writesStopped;
        private ActionPreferenceStopException? stopAfterRun;

        private void Report(Action write)
        {
            if (writesStopped) return;
            try { write(); }
            catch (PipelineStoppedException) when (!Stopping) { writesStopped = true; }
            // A host that throws the stop itself: thrown again after the run.
            catch (ActionPreferenceStopException e) { stopAfterRun ??= e; writesStopped = true; }
        }

        private string ResolveTarget(string path, string parameter)
        {
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                Fail(ErrorCatalog.Record(new ArgumentException($"-{parameter} '{path}' is not a file-system path."),
                    parameter + "NotFileSystem", path), AnomalyScoringExitCode.Failed);
            return resolved;
        }

        // $LASTEXITCODE is what `pwsh -Command "...; exit $LASTEXITCODE"` and the scheduled script hand to the scheduler.
        private void SetExitCode(int code) =>
            SessionState.PSVariable.Set("global:LASTEXITCODE", code);

        private void Fail(ErrorRecord error, int exitCode)
        {
            SetExitCode(exitCode);
            ThrowTerminatingError(error);
        }

        private sealed class Observer : IScoringObserver
        {
            private readonly InvokeAnomalyScoringCommand cmdlet;

            public Observer(InvokeAnomalyScoringCommand cmdlet) { this.cmdlet = cmdlet; }

            public bool StopRequested => cmdlet.Stopping;

            public void Warning(string message) => cmdlet.Report(() => cmdlet.WriteWarning(message));

            public void Verbose(string message) => cmdlet.Report(() => cmdlet.WriteVerbose(message));

            public void RowRejected(FeatureValueException error, CsvRecord record)
            {
                var target = new PSObject();
                var names = record.Header.Names;
                for (int i = 0; i < names.Count; i++)
                    target.Properties.Add(new PSNoteProperty(names[i].Length > 0 ? names[i] : $"Column{i + 1}", record.FieldAt(i)));
                var row = RowError(error, record.Line, target);
                row.ErrorDetails = new ErrorDetails(Engine.Text.PrintableText.Of($"File '{record.File}', line {record.Line}: {error.Message} The row is skipped and not tried again."))
                {
                    RecommendedAction = row.ErrorDetails.RecommendedAction,
                };
                cmdlet.Report(() => cmdlet.WriteError(row));
            }

            public void FileFailed(string file, Exception error) => cmdlet.Report(() => cmdlet.WriteError(error switch
            {
                AutoencoderException ae => ErrorCatalog.Record(ae, ae.ErrorId, file),
                UnauthorizedAccessException => ErrorCatalog.Record(error, ErrorIds.InputFileUnreadable, file),
                _ => ErrorCatalog.Record(error, ErrorIds.InputFileUnreadable, file),
            }));
        }
    }
}
