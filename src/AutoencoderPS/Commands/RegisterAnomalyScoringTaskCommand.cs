using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scheduling;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Registers a scheduled scoring task in this computer's task store (<see cref="ScoringTaskCmdlet.Store"/>): cron (the
    /// user's crontab) on Linux and macOS, Task Scheduler on Windows. The task starts pwsh with the module's
    /// Invoke-ScheduledScoring.ps1 every -Interval.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "AnomalyScoringTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Register-AnomalyScoringTask.md")]
    [OutputType(typeof(AnomalyScoringTask))]
    public sealed class RegisterAnomalyScoringTaskCommand : ScoringJobCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = "";

        [Parameter(Mandatory = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter]
        public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PwshPath { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                ScoringTaskRules.ValidateName(Name);
                Store.ValidateInterval(Interval);
            }
            catch (ScoringTaskException e)
            {
                WriteError(EngineError(e, e.ErrorId == ErrorIds.InvalidTaskName ? Name : Interval));
                return;
            }

            var action = BuildAction();
            if (action == null) return;
            if (!File.Exists(action.ScriptPath))
                WriteVerbose($"The job script '{action.ScriptPath}' is not in the module folder; the task will fail until it is.");

            if (!TryStore(() => Store.PlanRegister(Name, Interval, action, replace: Force), Name, out var change)) return;
            if (!ShouldProcess(change.Description, change.Question, "Register-AnomalyScoringTask")) return;
            if (!TryApply(change, Name)) return;
            WriteVerbose(change.Done);
            // Registered all the same: the scheduler may be started later, and the task then runs as it is.
            if (Store.SchedulerNotRunning() is { } notRunning) WriteWarning(notRunning);
            if (PassThru && TryStore(change.ReadBack, Name, out var registered))
                foreach (var task in registered) WriteObject(task);
        }

        // A row model judges each row alone, and its threshold (by default the 99th percentile of the training errors)
        // flags about 1 in 100 normal rows: a scheduled run of a few hundred rows exits with code 1 most of the time, so a
        // task that pages on exit code 1 pages on most quiet runs (an operator trial: 15 of 32 quiet 15-minute runs). Said
        // when the task is registered; a file that is not a model is left to the job to report.
        private void WarnIfRowModel(string model)
        {
            int? window;
            try { window = ModelFile.WindowSizeOf(model); }
            catch (Exception e) when (e is ModelFileException || e is IOException || e is UnauthorizedAccessException) { return; }
            if (window != null) return;
            WriteWarning($"'{model}' is a row model: it judges each row alone, and its threshold flags about 1 in 100 normal rows (by default), " +
                "so a run that scores a few hundred rows exits with code 1 (anomalies found) most of the time. To page on exit code 1, use a " +
                "time-series model (New-Autoencoder -WindowSize -TimeProperty), whose alerts mark the start of each incident once, or a stricter " +
                "threshold (Set-AutoencoderThreshold).");
        }

        /// <summary>The action with every path made absolute, or null after writing the error that says what is wrong.</summary>
        private ScoringTaskAction? BuildAction()
        {
            string? model = Absolute(ModelPath, "ModelPath");
            if (model == null) return null;
            if (!File.Exists(model))
            {
                WriteError(ErrorCatalog.Record(new FileNotFoundException($"The model file '{model}' does not exist. Export the model with Export-Autoencoder first.", model),
                    ErrorIds.ModelFileNotFound, ModelPath));
                return null;
            }
            WarnIfRowModel(model);
            var paths = new List<string>();
            var named = new List<JobFiles.Named>();
            foreach (string p in Path)
            {
                string? pattern = TaskPattern(p, out var files);
                if (pattern == null) return null;
                paths.Add(pattern);
                // A file named without a wildcard, as the file it is (the pattern may hold escapes).
                if (!WildcardPattern.ContainsWildcardCharacters(p))
                    named.AddRange(files.Select(file => new JobFiles.Named(JobFileRole.Input, "-Path", file)));
            }
            string? output = Absolute(OutputPath, "OutputPath");
            if (output == null || !FolderExists(output, OutputPath, "OutputPath")) return null;
            string? state = null;
            if (StatePath != null)
            {
                state = Absolute(StatePath, "StatePath");
                if (state == null || !FolderExists(state, StatePath, "StatePath")) return null;
            }
            // The job would refuse every run (the state over the output lost every scored row): refused now. Inputs named
            // without a wildcard are checked; the job skips a wildcard's matches that are its own files.
            named.InsertRange(0, JobFilesNamed(model, output, state ?? IncrementalScoringOptions.DefaultStatePath(output)));
            if (JobFiles.SameFile(named, IncrementalScoringJob.PathComparison) is { } same)
            {
                WriteError(EngineError(same, same.Path));
                return null;
            }
            if (Delimiter != null)
            {
                try { CsvRecordScanner.DelimiterByte(System.Text.Encoding.UTF8, Delimiter); }
                catch (AutoencoderException e)
                {
                    WriteError(EngineError(e, Delimiter));
                    return null;
                }
            }
            if (Encoding != null)
            {
                // Refused now, not at every run: a name that is no encoding, or one the job can't read byte by byte (UTF-16).
                // (The delimiter, one ASCII character, is the same byte in every encoding the job reads.)
                try { CsvRecordScanner.CheckEncoding(InputEncodingOrNull()!); }
                catch (ArgumentException e)
                {
                    WriteError(ErrorCatalog.Record(e, ErrorIds.UnknownEncoding, Encoding));
                    return null;
                }
                catch (AutoencoderException e)
                {
                    WriteError(EngineError(e, Encoding));
                    return null;
                }
            }
            var launcher = ResolveLauncher();
            if (launcher == null) return null;
            string script = System.IO.Path.Combine(ModuleFolder(), ScoringTaskAction.ScriptFileName);
            try
            {
                // The invariant culture has the empty name: no -Culture then, which is the job's default.
                string? culture = Culture == null || Culture.Name.Length == 0 ? null : Culture.Name;
                // The verdict options go to the task only when given: a task without them follows the defaults of the
                // module version that runs it.
                var bound = MyInvocation.BoundParameters;
                return new ScoringTaskAction(launcher, script, model, paths, output, state, Format?.ToString(), culture, Delimiter,
                    bound.ContainsKey(nameof(Calibration)) ? Calibration.ToString() : null,
                    bound.ContainsKey(nameof(ProbabilityThreshold)) ? ProbabilityThreshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : null,
                    bound.ContainsKey(nameof(AlertCooldown)) ? AlertCooldown.ToArgument() : null,
                    ExplainAll ? ScoringTaskAction.ExplainAllRows : null,
                    bound.ContainsKey(nameof(TopFeatureCount)) ? TopFeatureCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                    NeutralizeFormulas ? ScoringTaskAction.NeutralizeFormulas : null, Encoding);
            }
            catch (ScoringTaskException e)
            {
                WriteError(EngineError(e, Name));
                return null;
            }
            catch (ArgumentException e)
            {
                WriteError(ErrorCatalog.Record(e, ErrorIds.InvalidTaskArgument, Name));
                return null;
            }
        }

        private string ModuleFolder()
        {
            string? moduleBase = MyInvocation.MyCommand.Module?.ModuleBase;
            return !string.IsNullOrEmpty(moduleBase) ? moduleBase! : System.IO.Path.GetDirectoryName(typeof(RegisterAnomalyScoringTaskCommand).Assembly.Location)!;
        }

        private bool FolderExists(string full, string given, string parameter)
        {
            string? folder = System.IO.Path.GetDirectoryName(full);
            if (folder == null || Directory.Exists(folder)) return true;
            WriteError(ErrorCatalog.Record(new DirectoryNotFoundException($"The folder '{folder}' of -{parameter} does not exist; the job could not write '{full}'."),
                ErrorIds.TaskFolderNotFound, given));
            return false;
        }

        /// <summary>
        /// A -Path made absolute for the task, still a pattern the job expands on every run: the part PowerShell supplies
        /// (the current folder, a drive's root, the home folder) is escaped as literal text (WildcardPattern.Escape), the
        /// user's own text is kept as it was given. A current folder or drive root named 'it's here [x]' was otherwise
        /// part of the pattern ([x] matches "x"): the same -Path matched the exports here and nothing in every run of the
        /// task. The pattern is then checked against -Path: both must match the same files now (TaskPathMismatch
        /// otherwise), and a pattern that matches nothing yet is registered with a warning. <paramref name="files"/> are the
        /// files it matches now, or the path made absolute as literal text when it matches none. Null after writing the error.
        /// </summary>
        private string? TaskPattern(string path, out IReadOnlyCollection<string> files)
        {
            files = Array.Empty<string>();
            string? full = Absolute(path, "Path");
            if (full == null) return null;
            string pattern = SuppliedPart(path, out string own) is { } supplied ? Joined(WildcardPattern.Escape(supplied), own) : full;
            var now = Matches(path);
            var registered = Matches(pattern);
            if (!now.SetEquals(registered))
            {
                WriteError(ErrorCatalog.Record(new InvalidOperationException(
                        $"-Path '{path}' matches {now.Count} file(s) here, but the pattern the task would run with, '{pattern}', matches {registered.Count}" +
                        $"{(registered.Count > 0 ? $" ('{registered.OrderBy(f => f, StringComparer.Ordinal).First()}'...)" : "")}. Give -Path as a full path, " +
                        "with any [ ] * ? that are part of a folder's name escaped with a backtick (WildcardPattern.Escape)."),
                    ErrorIds.TaskPathMismatch, path));
                return null;
            }
            if (now.Count == 0)
                WriteWarning($"-Path '{path}' matches no file now. The task runs with '{pattern}', and each run fails (InputFileNotFound, exit code 2) until a file matches it." +
                    (path.IndexOfAny(new[] { '[', ']' }) >= 0 ? " [ ] in -Path make a pattern: write a [ or ] that is part of a name as `[ or `]." : ""));
            else if (!string.Equals(pattern, path, StringComparison.Ordinal))
                WriteVerbose($"-Path '{path}' is registered as '{pattern}', which matches the same {now.Count} file(s).");
            files = now.Count > 0 ? now : new[] { full };
            return pattern;
        }

        // The part of a path PowerShell supplies before the user's own text (own): the current folder for a relative path,
        // a drive's root (or its current folder, for Y:x), the home folder for ~. Null when the path is all the user's:
        // absolute on the file system ('/srv/x', 'C:\x', a UNC path) or provider-qualified.
        private string? SuppliedPart(string path, out string own)
        {
            own = path;
            if (SessionState.Path.IsProviderQualified(path)) return null;
            if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            {
                own = path.Substring(1);
                return SessionState.Path.CurrentLocation.Provider.Home;
            }
            if (SessionState.Path.IsPSAbsolute(path, out string drive))
            {
                int colon = path.IndexOf(':');
                if (string.IsNullOrEmpty(drive) || colon <= 0 || !string.Equals(path.Substring(0, colon), drive, StringComparison.OrdinalIgnoreCase)) return null;
                var info = SessionState.Drive.Get(drive);
                own = path.Substring(colon + 1);
                bool rooted = own.Length > 0 && (own[0] == '/' || own[0] == '\\');
                return rooted || string.IsNullOrEmpty(info.CurrentLocation) ? info.Root : System.IO.Path.Combine(info.Root, info.CurrentLocation);
            }
            return SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        }

        // An escaped folder and the user's own text after it, "." and ".." taken out as PowerShell takes them out of a
        // provider path. Escaping adds no separator, so a ".." of the user's goes back over an escaped part whole.
        private static string Joined(string escapedFolder, string own)
        {
            string root = System.IO.Path.GetPathRoot(escapedFolder) ?? "";
            var parts = new List<string>();
            foreach (var part in (escapedFolder.Substring(root.Length) + "/" + own).Split('/', '\\'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
                parts.Add(part);
            }
            if (parts.Count == 0) return root;
            return root.TrimEnd('/', '\\') + System.IO.Path.DirectorySeparatorChar + string.Join(System.IO.Path.DirectorySeparatorChar, parts);
        }

        // What a -Path matches here, as the job resolves it (Invoke-AnomalyScoring -Path): none when nothing does.
        private HashSet<string> Matches(string path)
        {
            try { return new HashSet<string>(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _), StringComparer.FromComparison(IncrementalScoringJob.PathComparison)); }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException ||
                                      e is ProviderNotFoundException || e is WildcardPatternException || e is ArgumentException ||
                                      e is NotSupportedException || e is IOException || e is UnauthorizedAccessException)
            {
                return new HashSet<string>(StringComparer.FromComparison(IncrementalScoringJob.PathComparison));
            }
        }

        /// <summary>A file-system path made absolute (cron and Task Scheduler start jobs in another folder), as literal text: the job reads -ModelPath, -OutputPath and -StatePath literally.</summary>
        private string? Absolute(string path, string parameter)
        {
            try
            {
                string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return resolved;
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException ||
                                      e is ProviderNotFoundException || e is ArgumentException || e is NotSupportedException)
            {
                WriteError(ErrorCatalog.Record(e, ErrorIds.TaskPathInvalid, path));
                return null;
            }
            WriteError(ErrorCatalog.Record(new ArgumentException($"-{parameter} '{path}' is not a file-system path."),
                ErrorIds.TaskPathNotFileSystem, path));
            return null;
        }

        /// <summary>
        /// How the task starts PowerShell: -PwshPath when given (a .dll runs with the dotnet host); otherwise this
        /// process's pwsh; when this process is the dotnet host (pwsh as a .NET tool, `dotnet pwsh`), that host with
        /// $PSHOME/pwsh.dll; otherwise $PSHOME/pwsh (pwsh.exe on Windows).
        /// </summary>
        private IReadOnlyList<string>? ResolveLauncher()
        {
            string? process = Environment.ProcessPath;
            string processName = System.IO.Path.GetFileNameWithoutExtension(process ?? "").ToLowerInvariant();
            if (PwshPath != null)
            {
                string? pwsh = Absolute(PwshPath, "PwshPath");
                if (pwsh == null) return null;
                if (!File.Exists(pwsh))
                {
                    WriteError(ErrorCatalog.Record(new FileNotFoundException($"-PwshPath '{pwsh}' does not exist.", pwsh),
                        ErrorIds.PwshNotFound, PwshPath));
                    return null;
                }
                if (!pwsh.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return new[] { pwsh };
                string? host = processName == "dotnet" ? process : FindOnPath(OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
                if (host == null)
                {
                    WriteError(ErrorCatalog.Record(new FileNotFoundException($"-PwshPath '{pwsh}' is a .dll, which runs with the dotnet host, and dotnet was not found on PATH."),
                        ErrorIds.PwshNotFound, PwshPath));
                    return null;
                }
                return new[] { host, pwsh };
            }
            if (processName == "pwsh" && process != null) return new[] { process };
            string psHome = SessionState.PSVariable.GetValue("PSHOME") as string ?? "";
            if (processName == "dotnet" && process != null)
            {
                string dll = System.IO.Path.Combine(psHome, "pwsh.dll");
                if (File.Exists(dll)) return new[] { process, dll };
            }
            string apphost = System.IO.Path.Combine(psHome, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
            if (File.Exists(apphost)) return new[] { apphost };
            WriteError(ErrorCatalog.Record(new FileNotFoundException(
                    $"Could not tell how to start pwsh from this host ('{process}', PSHOME '{psHome}'). Give the pwsh executable with -PwshPath."),
                ErrorIds.PwshNotFound, process));
            return null;
        }

        private static string? FindOnPath(string name)
        {
            foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }
    }
}
