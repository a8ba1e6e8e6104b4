using System;
using System.Linq;
using System.IO;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Adapters;
using AutoencoderPS.Hosting;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>What every AutoencoderPS cmdlet shares: runtime start-up and error records.</summary>
    public abstract class AutoencoderCmdlet : PSCmdlet
    {
        /// <summary>Data is read with the invariant culture: a script must not change meaning with the user's locale.</summary>
        protected static readonly CultureInfo DataCulture = CultureInfo.InvariantCulture;

        /// <summary>
        /// Before any cmdlet runs, the engine learns where an installed runtime module may be: the engine loads
        /// libtorch on first use (also inside Import-Autoencoder), and a Gallery install keeps the natives in
        /// AutoencoderPS.Runtime.&lt;rid&gt;, apart from this module.
        /// </summary>
        static AutoencoderCmdlet()
        {
            RuntimeLocator.Register();
        }

        /// <summary>
        /// Loads libtorch, or stops with one clear error that says why it can't: from this module's folder when it holds
        /// the natives (a module built by build.ps1), otherwise from the installed AutoencoderPS.Runtime.&lt;rid&gt; module
        /// of the same version, which <see cref="RuntimeLocator"/> finds; when there is none, the error says what to install.
        /// </summary>
        protected void EnsureRuntime(object? target)
        {
            if (TorchRuntime.IsLoaded) return;
            try
            {
                RuntimeLocator.Register();
                NoteImportedRuntimeModules();
                TorchRuntime.EnsureLoaded();
            }
            catch (TorchRuntimeException e)
            {
                ThrowTerminatingError(EngineError(e, target));
            }
            WriteVerbose($"libtorch {TorchRuntime.LibTorchVersion} ({RuntimeLocator.CurrentRuntimeIdentifier}) loaded from '{TorchRuntime.NativeDirectory}'.");
        }

        // A runtime module imported by path (Import-Module ./AutoencoderPS.Runtime.linux-x64) counts too, even off $env:PSModulePath.
        private void NoteImportedRuntimeModules()
        {
            try
            {
                foreach (var result in InvokeCommand.InvokeScript("Get-Module -Name $args[0]", RuntimeLocator.RuntimeModuleName))
                {
                    if (result?.BaseObject is PSModuleInfo module) RuntimeLocator.NoteImported(module.Version, module.ModuleBase);
                }
            }
            catch (RuntimeException e)
            {
                WriteVerbose($"Could not list the imported runtime modules: {e.Message}");
            }
        }

        /// <summary>
        /// libtorch threads when no command of this process has named -ThreadCount: one. On the small shared machines
        /// this module was measured on, libtorch's default (all cores) made 20 epochs take 32 s instead of 1.6 s, and
        /// one thread was never slower for these small networks (tests/Benchmarks/Measure-ThreadCount.ps1, .docs/odds.md).
        /// </summary>
        public const int DefaultThreadCount = 1;

        private static int threadCountSet;

        /// <summary>
        /// -ThrottleLimit's default where it means threads of this host (file scoring, training): the processors of this
        /// machine, at most 4.
        /// </summary>
        public static int DefaultThrottleLimit => Math.Clamp(Environment.ProcessorCount, 1, 4);

        protected void ApplyThreadCount(int? threads)
        {
            // The first command without -ThreadCount sets the default once; a count named once holds for the process.
            if (threads == null && System.Threading.Interlocked.CompareExchange(ref threadCountSet, 1, 0) != 0) return;
            int count = threads ?? DefaultThreadCount;
            System.Threading.Volatile.Write(ref threadCountSet, 1);
            EnsureRuntime(null);
            TorchRuntime.SetThreadCount(count);
            WriteVerbose($"libtorch uses {count} thread(s) in this process{(threads == null ? " (the default; -ThreadCount sets another)" : "")}.");
        }

        /// <summary>
        /// The files that <paramref name="paths"/> name on the file system (wildcards expanded unless
        /// <paramref name="literal"/>). Each path that names nothing is one non-terminating ModelFileNotFound or
        /// InputFileNotFound error (<paramref name="errorPrefix"/> "Model" or "Input"); a path of another provider is
        /// ModelPathNotFileSystem or InputPathNotFileSystem. Folders are skipped. With <paramref name="errors"/>, the errors
        /// go there instead (a cmdlet that stops at them throws one, rather than write it and then throw another).
        /// </summary>
        protected IReadOnlyList<string> ResolveFiles(IEnumerable<string> paths, bool literal, string errorPrefix, string noun, List<ErrorRecord>? errors = null)
        {
            void Fail(ErrorRecord error)
            {
                if (errors != null) errors.Add(error);
                else WriteError(error);
            }
            if (errorPrefix != "Input" && errorPrefix != "Model") throw new ArgumentException("The error prefix is Input or Model.", nameof(errorPrefix));
            string notFound = errorPrefix == "Model" ? ErrorIds.ModelFileNotFound : ErrorIds.InputFileNotFound;
            string notFileSystem = errorPrefix == "Model" ? ErrorIds.ModelPathNotFileSystem : ErrorIds.InputPathNotFileSystem;
            var files = new List<string>();
            foreach (string path in paths)
            {
                try
                {
                    IEnumerable<string> matches;
                    ProviderInfo provider;
                    if (literal)
                    {
                        string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
                        matches = File.Exists(resolved) ? new[] { resolved } : Array.Empty<string>();
                    }
                    else
                    {
                        matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                    }
                    if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    {
                        Fail(ErrorCatalog.Record(new ArgumentException($"'{path}' is not a file-system path."), notFileSystem, path));
                        continue;
                    }
                    int before = files.Count;
                    files.AddRange(matches.Where(m => !Directory.Exists(m)));
                    if (files.Count == before)
                    {
                        // A folder exists: "no file matches" would send the user looking for a typo.
                        string? folder = (literal ? new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) } : matches)
                            .FirstOrDefault(Directory.Exists);
                        string pattern = errorPrefix == "Model" ? "*" + AutoencoderPS.Engine.Persistence.ModelFile.Extension : "*.csv";
                        string message = folder != null
                            ? $"'{path}' is a folder, not a {noun}. Give a file, or a wildcard such as '{System.IO.Path.Combine(folder, pattern)}'."
                            : literal
                                ? $"{Capitalized(noun)} '{path}' does not exist.{RelativePathHint(path)}"
                                : $"No {noun} matches '{path}'.{WildcardNameHint(path, noun) ?? RelativePathHint(path)}";
                        Fail(ErrorCatalog.Record(new FileNotFoundException(message), notFound, path));
                    }
                }
                catch (ItemNotFoundException e)
                {
                    Fail(ErrorCatalog.Record(new FileNotFoundException($"{Capitalized(noun)} '{path}' does not exist.{RelativePathHint(path)}", e),
                        notFound, path));
                }
                catch (System.Management.Automation.DriveNotFoundException e)
                {
                    // A drive that does not exist here (Z:\, a PSDrive of another session): this path only, the others go on.
                    Fail(ErrorCatalog.Record(new FileNotFoundException($"{Capitalized(noun)} '{path}' does not exist: {e.Message}", e), notFound, path));
                }
                catch (ProviderNotFoundException e)
                {
                    Fail(ErrorCatalog.Record(new ArgumentException($"'{path}' is not a file-system path: {e.Message}", e), notFileSystem, path));
                }
                catch (WildcardPatternException e)
                {
                    Fail(ErrorCatalog.Record(new FileNotFoundException(
                        $"'{path}' is not a valid wildcard pattern ({e.Message}); for a name with brackets, give it with -LiteralPath.", e), notFound, path));
                }
            }
            return files;
        }

        /// <summary>
        /// The folder of <paramref name="file"/> when it does not exist (null when it does, or the path has none): an
        /// output or state file there could not be written, which is said before any work is done.
        /// </summary>
        protected static string? MissingFolderOf(string file)
        {
            string? folder = System.IO.Path.GetDirectoryName(file);
            return string.IsNullOrEmpty(folder) || Directory.Exists(folder) ? null : folder;
        }

        /// <summary>
        /// Whether a file may be replaced, by the rule of Export-Csv, Out-File and Export-Clixml, which every cmdlet here that
        /// writes a file follows: an existing file is replaced; -NoClobber keeps it (<paramref name="existsId"/>); a
        /// read-only one is replaced only with -Force (OutputFileReadOnly), and stays read-only. Null when it may.
        /// </summary>
        protected static ErrorRecord? ReplaceRefusal(string target, bool noClobber, bool force, string existsId)
        {
            if (!File.Exists(target)) return null;
            if (noClobber)
                return ErrorCatalog.Record(new IOException($"The file '{target}' already exists and -NoClobber was given."), existsId, target);
            if (!force && new FileInfo(target).IsReadOnly)
                return ErrorCatalog.Record(new UnauthorizedAccessException(
                        $"The file '{target}' is read-only, so it was not replaced. Give -Force to replace it (it stays read-only), or another path."),
                    ErrorIds.OutputFileReadOnly, target);
            return null;
        }

        private static string Capitalized(string noun) => char.ToUpperInvariant(noun[0]) + noun.Substring(1);

        // A name with [ ] in it, read as a pattern (by -Path, or piped as a string as Import-Csv reads one), matches other
        // names, not itself: said when a file of that very name exists.
        private string? WildcardNameHint(string path, string noun)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(path)) return null;
            try
            {
                if (!File.Exists(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path))) return null;
            }
            catch (Exception e) when (e is SessionStateException || e is ProviderInvocationException || e is ArgumentException || e is NotSupportedException)
            {
                return null;
            }
            return $" A {noun} of that name exists, but the name is read as a wildcard pattern ([ ] match one character of a set): " +
                "give it with -LiteralPath" + (noun == "file" ? ", or pipe the file itself (Get-ChildItem) rather than its name." : ".");
        }

        /// <summary>
        /// For a relative path that names nothing: " Check the path: a relative path starts at the current location, '...'."
        /// (a scheduled run's current location is seldom the folder the path was written for); else "".
        /// </summary>
        private string RelativePathHint(string path)
        {
            // "~/x.csv" starts at the home folder.
            if (path.StartsWith('~') || SessionState.Path.IsPSAbsolute(path, out _)) return "";
            // In Env: or HKLM: the path was looked up there: naming the last folder instead would point at a file that exists.
            var here = SessionState.Path.CurrentLocation;
            if (here.Provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                return $" Check the path: a relative path starts at the current location, '{here.Path}', which is not a file-system folder: " +
                    "give a full path, or Set-Location to a folder first.";
            return $" Check the path: a relative path starts at the current location, '{here.ProviderPath}'.";
        }

        /// <summary>An error for one input row that names the row, the column and the value.</summary>
        protected static ErrorRecord RowError(FeatureValueException e, long row, object target)
        {
            var record = EngineError(e, target);
            record.ErrorDetails = new ErrorDetails(Engine.Text.PrintableText.Of($"Row {row}: {e.Message}"));
            record.ErrorDetails.RecommendedAction = e.Problem switch
            {
                FeatureValueProblem.MissingColumn => "Give every input row the model's feature columns.",
                FeatureValueProblem.NotText => "Read the file with -Encoding and its code page (1252 for Excel's 'CSV (Comma delimited)'); the other rows are processed.",
                _ => "Fix or remove the value; the other rows are processed.",
            };
            return record;
        }

        /// <summary>
        /// Test-Anomaly and Invoke-AnomalyScoring: the error for time-series verdict options (-Calibration Likelihood,
        /// -ProbabilityThreshold, -AlertCooldown) given with a row model, which is judged by its raw error alone, or for
        /// a cool-down in time given with a model whose rows have no time; else null.
        /// </summary>
        protected ErrorRecord? RefusedVerdictOptions(AutoencoderModel model, Engine.Scoring.ScoreCalibration calibration, Engine.Scoring.AlertCooldown cooldown)
        {
            if (model.Settings.IsWindowed)
            {
                // A cool-down in time needs the rows' times: without a time property it would silently count one row.
                if (cooldown.Span != null && model.Settings.TimeProperty == null && MyInvocation.BoundParameters.ContainsKey("AlertCooldown"))
                    return ErrorCatalog.Record(new ArgumentException(
                        $"-AlertCooldown {cooldown} is a time span, and {model} has no time property: its rows have no time to measure it on. " +
                        "Give the cool-down in rows (-AlertCooldown 48), or train a model with -TimeProperty."),
                        ErrorIds.AlertCooldownNeedsTime, "AlertCooldown");
                return null;
            }
            foreach (var name in new[] { "Calibration", "ProbabilityThreshold", "AlertCooldown" })
            {
                if (!MyInvocation.BoundParameters.ContainsKey(name)) continue;
                if (name == "Calibration" && calibration != Engine.Scoring.ScoreCalibration.Likelihood) continue;
                return ErrorCatalog.Record(new ArgumentException(
                    $"-{name} needs a time-series model (New-Autoencoder -WindowSize n -TimeProperty ...): calibration and alerts follow each group's rows in time order, and {model} reads single rows."),
                    ErrorIds.StreamOptionNeedsWindowedModel, name);
            }
            return null;
        }

        /// <summary>
        /// -ProbabilityThreshold when named, else null: the model's own default, which depends on its rows' interval
        /// (AnomalyLikelihood.ThresholdFor: 0.99 for 5-minute rows, 0.998 for a row a minute).
        /// </summary>
        protected double? NamedProbabilityThreshold(double value) =>
            MyInvocation.BoundParameters.ContainsKey("ProbabilityThreshold") ? value : null;

        /// <summary>
        /// -AlertCooldown when named, else null: the model's own default, which depends on its rows' interval and window
        /// (Engine.Scoring.AlertCooldown.For: 48 rows, at most 4 hours of them, at least a window; as a time for an irregular series).
        /// </summary>
        protected Engine.Scoring.AlertCooldown? NamedAlertCooldown(Engine.Scoring.AlertCooldown value) =>
            MyInvocation.BoundParameters.ContainsKey("AlertCooldown") ? value : null;

        /// <summary>The ErrorRecord of an engine error: its ErrorId, the category <see cref="ErrorCatalog"/> gives that id.</summary>
        protected static ErrorRecord EngineError(AutoencoderException e, object? target) => ErrorCatalog.Record(e, target);

        /// <summary>A disposed model has released its network: one clear terminating error, whatever the cmdlet.</summary>
        protected void ThrowIfDisposed(AutoencoderModel model)
        {
            if (model.IsDisposed)
                ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.ModelDisposed,
                    "The model has been disposed and can't be used any more. Import it again with Import-Autoencoder."), model));
        }

        /// <summary>
        /// The file an output path names, resolved as Out-File and Export-Csv resolve theirs: -Path with wildcard
        /// characters must match exactly one existing item, which is then the file written (a pattern is never a new
        /// file's name: a file called '*.aemodel' is a hazard in every shell); -LiteralPath, and a -Path without them, is
        /// taken as written. No match or several are an AutoencoderException (OutputPatternMatchesNoFile,
        /// OutputPatternMatchesSeveral) that says to use -LiteralPath for such a name; the provider's own exceptions
        /// (a drive or provider that does not exist) are left to the caller, as before.
        /// </summary>
        private protected string ResolveOutputFile(string path, bool literal, out ProviderInfo provider)
        {
            string asWritten = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path)) return asWritten;
            IReadOnlyList<string> matches;
            try
            {
                matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
            }
            catch (ItemNotFoundException)
            {
                matches = Array.Empty<string>();
            }
            if (matches.Count == 1) return matches[0];
            if (matches.Count == 0)
                throw new AutoencoderException(ErrorIds.OutputPatternMatchesNoFile,
                    $"-Path '{path}' is a wildcard pattern, and it matches no existing file. To write a new file of that name, give it with -LiteralPath.");
            const int Shown = 5;
            throw new AutoencoderException(ErrorIds.OutputPatternMatchesSeveral,
                $"-Path '{path}' is a wildcard pattern that matches {matches.Count} files or folders " +
                $"({string.Join(", ", matches.Take(Shown).Select(m => $"'{m}'"))}{(matches.Count > Shown ? ", ..." : "")}); it must match one. " +
                "Give the one file to write, or a name with wildcard characters with -LiteralPath.");
        }

        /// <summary>
        /// Stops with one InputPropertyNotFound error when the first two piped rows (<paramref name="rowNumber"/> 1 and 2)
        /// have no property <paramref name="property"/>, which -<paramref name="parameter"/> names: a typo, or rows of
        /// another kind, on which every row would fail, one error each (50,000 of them for a day of logs). Its target is
        /// the property name; it lists the row's properties. A first row alone without it (a log's banner line before its
        /// events) is that row's own error, as a later one is: the caller goes on with it.
        /// </summary>
        private protected void ThrowIfFirstRowsLack(PSObjectRecord row, long rowNumber, string parameter, string? property)
        {
            if (property == null || rowNumber > 2 || row.TryGetValue(property, out _)) return;
            if (rowNumber == 1)
            {
                (firstRowLacks ??= new HashSet<string>(StringComparer.Ordinal)).Add(parameter);
                return;
            }
            if (firstRowLacks == null || !firstRowLacks.Contains(parameter)) return;
            const int Shown = 20;
            var names = row.ColumnNames.ToList();
            string listed = string.Join(", ", names.Take(Shown)) + (names.Count > Shown ? $" and {names.Count - Shown} more" : "");
            ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException(
                    $"-{parameter} '{property}': rows 1 and 2 have no property '{property}'. Row 2's properties are: {(names.Count == 0 ? "none" : listed)}. " +
                    "Check the spelling (a row's property names are what Get-Member shows)."),
                ErrorIds.InputPropertyNotFound, property));
        }

        // The parameters whose property the first piped row lacked (ThrowIfFirstRowsLack).
        private HashSet<string>? firstRowLacks;

        protected void ThrowIfNotTrained(AutoencoderModel model)
        {
            ThrowIfDisposed(model);
            if (!model.IsTrained)
                ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.ModelNotTrained,
                    "The model is not trained yet. Train it with Invoke-AutoencoderTraining, or load a trained one with Import-Autoencoder."), model));
        }
    }
}
