using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Text;
using AutoencoderPS.Adapters;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// A cmdlet that reads rows either from the pipeline (-InputObject) or from CSV files (-Path, -LiteralPath),
    /// with the options real exports need: delimiter, culture, encoding, header.
    /// </summary>
    public abstract class RecordInputCmdlet : AutoencoderCmdlet
    {
        protected const string InputObjectSet = "InputObject";
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>
        /// The rows to read, one object a row (Import-Csv, Get-Counter, ...); files piped from Get-ChildItem are read as
        /// files, and strings as paths, as -Path reads them. It is in the -LiteralPath set too, so that an object piped
        /// there (a file whose PSPath bound -LiteralPath) is seen and a row is never read as the file its PSPath column
        /// names (<see cref="TakePipedFile"/>).
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = LiteralPathSet)]
        [AllowNull]
        public virtual PSObject? InputObject { get; set; }

        /// <summary>CSV files to read; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Files used as written; binds the PSPath of files piped from Get-ChildItem. Not mandatory: a mandatory one made
        /// each piped object without a PSPath (a plain row under -OutputPath, a FileInfo made from a path) a binding error
        /// of its own before <see cref="TakePipedFile"/> could see it; with nothing named or piped the call is NoFilePiped.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>Field separator of the files (default: the culture's list separator, or "," for the invariant culture).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        public string? Delimiter { get; set; }

        /// <summary>Culture of numbers and dates in the input (default invariant); "de-DE" reads "1,5" as 1.5.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(CultureCompleter))]
        [ValidateKnownCulture]
        public CultureInfo? Culture { get; set; }

        /// <summary>Text encoding of the files (default UTF-8; a byte-order mark wins).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Encoding { get; set; }

        /// <summary>Column names for files without a header row.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Header { get; set; }

        protected CultureInfo InputCulture => Culture ?? DataCulture;

        /// <summary>The input is files: named by -Path or -LiteralPath, or piped (Get-ChildItem *.csv | ...).</summary>
        protected bool ReadsFiles => pipedKind switch
        {
            PipedKind.Files => true,
            PipedKind.Rows => false,
            _ => ParameterSetName != InputObjectSet,
        };

        private enum PipedKind { None, Rows, Files }
        private PipedKind pipedKind;
        // The paths of the files piped so far (a piped string a pattern, as -Path reads it; a file's path as it is), and how
        // many of them ResolveInputFiles has handed out.
        private readonly List<(string Path, bool Literal)> pipedFiles = new List<(string, bool)>();
        private int pipedFilesResolved;
        private long pipedObjects;

        // Set by TakePipedFile, which every ProcessRecord that may read named files calls first.
        private bool processRecordCalled;

        /// <summary>
        /// Reads the files named by -Path or -LiteralPath behind a pipe that gave nothing (<c>$rows | Test-Anomaly -Path x.csv</c>
        /// with <c>$rows</c> empty). PowerShell calls ProcessRecord, where named files are read, once for each piped object,
        /// or once when nothing is piped, but never after an empty pipe: the files went unread, and the call trained,
        /// recalibrated or scored nothing without a word. Each EndProcessing calls this first.
        /// </summary>
        protected void ReadNamedFilesAfterAnEmptyPipe()
        {
            if (processRecordCalled || !MyInvocation.ExpectingInput) return;
            if (ParameterSetName == PathSet || ParameterSetName == LiteralPathSet && LiteralPath.Length > 0) ProcessRecord();
        }

        /// <summary>Files were piped (Get-ChildItem *.csv | ..., or their paths as strings).</summary>
        protected bool FilesPiped => pipedKind == PipedKind.Files;

        /// <summary>Nothing was piped to a call that takes its files from the pipeline (-OutputPath with no -Path).</summary>
        protected bool NoFilePiped => ParameterSetName == LiteralPathSet && pipedKind == PipedKind.None && LiteralPath.Length == 0;

        /// <summary>
        /// Stops with one InputFileNotFound error when a file parameter came with no file, piped or named (an empty folder's
        /// listing piped, or -Delimiter alone): no file is not a model trained on nothing or an empty scored file.
        /// <paramref name="done"/> says what was not done ("nothing was trained"), <paramref name="target"/> is the error's.
        /// </summary>
        protected void ThrowIfNoFilePiped(string done, object? target)
        {
            if (!NoFilePiped) return;
            ThrowTerminatingError(ErrorCatalog.Record(new FileNotFoundException(
                    $"No file was piped to {MyInvocation.MyCommand.Name}, so {done}. Pipe the files from Get-ChildItem, or give -Path or -LiteralPath."),
                ErrorIds.InputFileNotFound, target));
        }

        /// <summary>
        /// Sorts the object this ProcessRecord was given: true when it is a file piped from Get-ChildItem (a FileInfo, or
        /// one deserialized from a job or session) or a string, a path as Import-Csv reads a piped string (wildcards
        /// expanded, as -Path does), whose files <see cref="ResolveInputFiles"/> then gives; false for a row (and when
        /// nothing was piped). The kind is the object's type, never its properties: an Import-Csv row with a PSPath, Path
        /// or FullName column is a row, and a string is a path whatever notes it carries (Get-Content's PSPath). Such a
        /// row can bind -LiteralPath by its PSPath when a file-only parameter (-OutputPath, -Delimiter, ...) leaves only the
        /// file sets: that, a row among files and a file among rows are each one PipedRowNotFile or PipedFileNotRow error,
        /// which stops the command.
        /// </summary>
        protected bool TakePipedFile()
        {
            processRecordCalled = true;
            if (InputObject == null) return false;
            long number = ++pipedObjects;
            string command = MyInvocation.MyCommand.Name;
            bool isPath = InputObject.BaseObject is string;
            if (isPath || IsFileObject(InputObject))
            {
                string path = isPath ? (string)InputObject.BaseObject
                    : InputObject.Properties["PSPath"]?.Value as string ?? (InputObject.Properties["FullName"]?.Value as string ?? InputObject.ToString());
                // -LiteralPath named as well: the piped file did not bind it, and one of the two would be ignored. A FileInfo
                // made from a path has no PSPath and leaves -LiteralPath empty; a line of Get-Content binds it by the PSPath
                // of the file it was read from, which is not the path the line names.
                string? own = isPath ? InputObject.Properties["PSPath"]?.Value as string : path;
                bool bound = ParameterSetName != LiteralPathSet || LiteralPath.Length == 0 ||
                    (LiteralPath.Length == 1 && string.Equals(LiteralPath[0], own, StringComparison.Ordinal));
                if (pipedKind == PipedKind.Rows || !bound)
                {
                    ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException(
                            $"Object {number} is {(isPath ? "a path" : "a file")} ('{(isPath ? path : FileNameOf(InputObject))}'), but " +
                            (bound ? $"the objects before it were rows: {command} reads either rows or files from the pipeline, not both. Score the files in a call of their own."
                                   : $"-LiteralPath names the files of this call. Give the files either with -LiteralPath or through the pipeline.")),
                        ErrorIds.PipedFileNotRow, InputObject));
                }
                // Get-Content x.csv | ... (for Import-Csv): its first line names no file and holds a field separator. Each
                // line a path would be an error per line of the file; it is CSV text, said once before anything is read.
                if (isPath && number == 1 && CsvTextSeparator(path) is { } separator)
                {
                    ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException(
                            $"Object 1 is a line of CSV text ('{PrintableText.Of(path.Length > 80 ? path.Substring(0, 80) + "..." : path)}'), not a path: " +
                            $"{command} reads a piped string as the path of a CSV file, as Import-Csv does, and this one names no file and holds the field separator " +
                            $"{(separator == "\t" ? "\"`t\"" : $"'{separator}'")}. Read the lines as rows first (Get-Content x.csv | ConvertFrom-Csv" +
                            $"{(separator == "," ? "" : separator == "\t" ? " -Delimiter \"`t\"" : $" -Delimiter '{separator}'")} | {command} ...), " +
                            $"or give the file (Import-Csv x.csv | {command} ..., or -Path x.csv)."),
                        ErrorIds.PipedRowNotFile, InputObject));
                }
                pipedKind = PipedKind.Files;
                // An empty string names no file (and -Path refuses one before it is read).
                if (path.Length == 0)
                    WriteError(ErrorCatalog.Record(new FileNotFoundException($"Object {number} is an empty string, which names no file."),
                        ErrorIds.InputFileNotFound, path));
                else pipedFiles.Add((path, !isPath));
                return true;
            }
            // A row after files, whatever the set: a piped string binds the rows' set (it has no PSPath for -LiteralPath).
            if (pipedKind == PipedKind.Files || ParameterSetName == LiteralPathSet && FileParameterNamed())
            {
                ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException(
                        $"Row {number} is a row, not a file" +
                        (InputObject.Properties["PSPath"] != null ? " (its PSPath property is a column of the row, not a file to read)" : "") +
                        (pipedKind == PipedKind.Files
                            ? $": the objects before it were files, and {command} reads either rows or files from the pipeline, not both."
                            : $": {string.Join(", ", FileParametersNamed().Select(n => "-" + n))} {(FileParametersNamed().Count == 1 ? "is" : "are")} for files, and piped rows can't be read with {(FileParametersNamed().Count == 1 ? "it" : "them")}. " +
                              $"Pipe files (Get-ChildItem *.csv | {command} ...), give them with -Path, or pipe the rows without file parameters.")),
                    ErrorIds.PipedRowNotFile, InputObject));
            }
            pipedKind = PipedKind.Rows;
            return false;
        }

        // A piped string that holds a field separator (the one the files would be read with, or a common one: a German
        // Excel export's ';' piped without -Delimiter) and names nothing (no file, no match of it as a pattern): a line of
        // CSV text, not a path. Returns the separator it holds, or null.
        private string? CsvTextSeparator(string text)
        {
            string? separator = new[] { CreateCsvOptions().EffectiveDelimiter, ",", ";", "\t", "|" }
                .FirstOrDefault(s => text.Contains(s, StringComparison.Ordinal));
            if (separator == null) return null;
            try
            {
                if (SessionState.InvokeProvider.Item.Exists(text, force: false, literalPath: true)) return null;
                return SessionState.Path.GetResolvedProviderPathFromPSPath(text, out _).Count == 0 ? separator : null;
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException ||
                e is ProviderNotFoundException || e is WildcardPatternException || e is ArgumentException || e is NotSupportedException ||
                e is ProviderInvocationException)
            {
                return separator;
            }
        }

        // Whether the piped object is a file: by its type (a FileInfo or DirectoryInfo, or one deserialized), never by its
        // property names, which a row may share (an Import-Csv of a file listing has PSPath and FullName columns).
        private static bool IsFileObject(PSObject input) =>
            input.BaseObject is FileSystemInfo ||
            RowTypeNames.Of(input).Any(name => name == "Deserialized.System.IO.FileInfo" || name == "Deserialized.System.IO.DirectoryInfo");

        private static string FileNameOf(PSObject input) =>
            input.BaseObject is FileSystemInfo info ? info.FullName : input.Properties["FullName"]?.Value?.ToString() ?? input.ToString();

        // The parameters named on the command line that only the file sets have (-OutputPath, -Delimiter, -LiteralPath
        // itself...): read from the command's own metadata, so no cmdlet keeps a list of them. -LiteralPath bound by a
        // row's PSPath is not one of them: PowerShell binds it anew for each piped object.
        private IReadOnlyList<string> FileParametersNamed()
        {
            if (fileParametersNamed != null) return fileParametersNamed;
            var parameters = MyInvocation.MyCommand.Parameters;
            fileParametersNamed = MyInvocation.BoundParameters.Keys
                .Where(name => name != nameof(InputObject) && parameters.TryGetValue(name, out var p) &&
                    !p.ParameterSets.ContainsKey(InputObjectSet) && !p.ParameterSets.ContainsKey(ParameterAttribute.AllParameterSets))
                .Where(name => name != nameof(LiteralPath) || !(InputObject?.Properties["PSPath"] is { } own && LiteralPath.Length == 1 &&
                    string.Equals(LiteralPath[0], own.Value?.ToString(), StringComparison.Ordinal)))
                .ToList();
            return fileParametersNamed;
        }

        private bool FileParameterNamed() => FileParametersNamed().Count > 0;
        private List<string>? fileParametersNamed;

        protected CsvInputOptions CreateCsvOptions()
        {
            Encoding? encoding = null;
            if (Encoding != null)
            {
                try
                {
                    encoding = InputEncoding.Parse(Encoding);
                }
                catch (ArgumentException e)
                {
                    ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.UnknownEncoding, Encoding));
                }
            }
            return new CsvInputOptions { Culture = InputCulture, Delimiter = Delimiter, Encoding = encoding, Header = Header };
        }

        /// <summary>
        /// The files named by -Path (wildcards expanded) or -LiteralPath; missing ones are reported and skipped. A file
        /// named more than once (two patterns, or a link and its target) is read once, with a warning: its rows twice
        /// would be scored, or trained on, twice.
        /// </summary>
        protected IReadOnlyList<string> ResolveInputFiles()
        {
            IReadOnlyList<string> named;
            if (FilesPiped)
            {
                // The piped files not handed out yet: a command that reads them one by one gets each once.
                named = pipedFiles.Skip(pipedFilesResolved).ToList().SelectMany(piped => ResolveFiles(new[] { piped.Path }, piped.Literal, "Input", "file")).ToList();
                pipedFilesResolved = pipedFiles.Count;
            }
            else named = ParameterSetName == LiteralPathSet
                ? ResolveFiles(LiteralPath, literal: true, "Input", "file")
                : ResolveFiles(Path, literal: false, "Input", "file");
            var files = new List<string>(named.Count);
            foreach (var file in named)
            {
                if (seen.Add(RealPath(file))) files.Add(file);
                else WriteWarning($"'{file}' is named more than once (or through a link): it is read once.");
            }
            return files;
        }

        // Every file handed out by this call (piped files come one call at a time).
        private readonly HashSet<string> seen = new HashSet<string>(StringComparer.FromComparison(Engine.Scoring.Incremental.IncrementalScoringJob.PathComparison));

        /// <summary>
        /// The window keys of all the rows read (training, recalibration), each with one time: a local time repeated when
        /// clocks go back is read by its group's rows (SlidingWindow.ResolveRepeated), so rows in time order either way
        /// are read right; a warning when they are shuffled across the hour. Without a zone, a group that steps back an
        /// hour or less and then goes past where it stepped back from (a local hour written twice) is sorted with the two
        /// passes of that hour interleaved, which the windows read as a jumble: a warning names -TimeZone, as
        /// Test-Anomaly -Path does.
        /// </summary>
        protected List<WindowKey> ResolveRepeatedTimes(IReadOnlyList<WindowKey> keys)
        {
            var resolved = SlidingWindow.ResolveRepeated(keys.Select(k => (WindowKey?)k).ToList(), out bool undecided);
            string input = ReadsFiles ? "The files" : "The input";
            if (undecided) WriteWarning($"{input}: {SlidingWindow.UndecidedRepeatedHour}");
            var check = new SlidingWindow.OrderCheck();
            foreach (var key in resolved)
            {
                check.Add(key);
                if (check.RepeatsASpan || !check.InOrder && !check.MayRepeatAnHour) break;
            }
            if (check.RepeatsAnHour) WriteWarning(check.InterleavedWarning(input));
            return resolved.Select(k => k!.Value).ToList();
        }

        /// <summary>A path with every link followed, so that a link to a file is that file (<see cref="SafeFile.RealPath"/>).</summary>
        protected static string RealPath(string path) => SafeFile.RealPath(path);

        private readonly FailedRowRun failedRun = new FailedRowRun();

        /// <summary>
        /// Writes one row's error; after <see cref="FailedRowRun.MaxInARow"/> rows in a row (by their numbers: a file scored
        /// from its bytes reports its failed rows only, and the rows read between two of them are the gap in their numbers),
        /// one terminating TooManyRowFailures error that says what is likely wrong, then <paramref name="afterStop"/>.
        /// </summary>
        protected void RowFailed(FeatureValueException e, IRecord record, long row, string afterStop = "")
        {
            WriteError(RowError(e, record, row));
            if (!failedRun.Add(e, row, Locate(record, row))) return;
            BeforeTooManyRowFailures();
            ThrowTerminatingError(EngineError(new AutoencoderException(ErrorIds.TooManyRowFailures, failedRun.StopMessage(e, ReadsFiles) + afterStop),
                TargetOf(record)));
        }

        /// <summary>
        /// Stops with one CounterMissingOnMachine error, then <paramref name="afterStop"/>, when <paramref name="e"/> is a
        /// performance counter that the row's machine lacks (<see cref="MissingCounters"/>): every row of that machine
        /// would fail alike, and a run of them would end blaming the culture. Returns otherwise.
        /// </summary>
        protected void StopIfMachineLacksCounter(FeatureSchema schema, FeatureValueException e, IRecord record, long row, bool featuresFixed, string afterStop = "")
        {
            if (MissingCounters.Check(schema, record, e, featuresFixed, ReadsFiles) is not { } missing) return;
            var error = EngineError(new AutoencoderException(missing.ErrorId, missing.Message + afterStop), TargetOf(record));
            error.ErrorDetails = new ErrorDetails(PrintableText.Of($"{Locate(record, row)}: {missing.Message}{afterStop}"));
            ThrowTerminatingError(error);
        }

        /// <summary>Called before a run of failed rows stops the command: what was read before it is written out here.</summary>
        protected virtual void BeforeTooManyRowFailures() { }

        /// <summary>"File 'x.csv', line 17" for file rows, "Row 17" for pipeline input.</summary>
        protected static string Locate(IRecord record, long row) =>
            record is CsvRecord csv ? $"File '{csv.File}', line {csv.Line}" : $"Row {row}";

        /// <summary>The object a row error points at: the input object, or the file row as an object.</summary>
        protected static object TargetOf(IRecord record) => record switch
        {
            PSObjectRecord p => p.Input,
            CsvRecord csv => ToPSObject(csv),
            _ => record,
        };

        protected static PSObject ToPSObject(CsvRecord record)
        {
            var row = new PSObject();
            var names = record.Header.Names;
            for (int i = 0; i < names.Count; i++)
                // A column the header leaves unnamed (a delimiter at its end) can't be a property (PowerShell refuses the name).
                if (names[i].Trim().Length > 0) row.Properties.Add(new PSNoteProperty(names[i], i < record.Fields.Count ? record.Fields[i] : null));
            return row;
        }

        protected static ErrorRecord RowError(FeatureValueException e, IRecord record, long row)
        {
            var error = RowError(e, row, TargetOf(record));
            error.ErrorDetails = new ErrorDetails(PrintableText.Of($"{Locate(record, row)}: {e.Message}"))
            {
                RecommendedAction = error.ErrorDetails.RecommendedAction,
            };
            return error;
        }

        private int filesFound;
        private int filesFailed;

        /// <summary>
        /// Reads the records of the -Path or -LiteralPath files, file after file, into <paramref name="accept"/> (false
        /// stops). A path that names no file, and a file that can't be read, is its own non-terminating error, and the
        /// other files go on (<see cref="NoInputFileRead"/> then tells the cmdlet to end without a second error).
        /// </summary>
        protected void ReadInputFiles(Func<CsvRecord, bool> accept)
        {
            var options = CreateCsvOptions();
            var files = ResolveInputFiles();
            inputFiles.AddRange(files);
            filesFound += files.Count;
            // Training and recalibration read every row before their work starts: a long read says how far it is.
            ProgressRecord? progress = null;
            long read = 0;
            try
            {
                foreach (var file in files)
                {
                    WriteVerbose($"Reading '{file}' (delimiter '{options.EffectiveDelimiter}', {CultureText.Describe(options.Culture)}).");
                    try
                    {
                        // A header met again in another layout (files joined into one): its rows are read by it, said once.
                        foreach (var record in CsvSource.Read(file, options, WriteWarning))
                        {
                            // Ctrl+C ends the read at this row: nothing else here calls into PowerShell, which would stop it.
                            if (Stopping) return;
                            if (++read % ReadProgressEvery == 0)
                            {
                                progress ??= new ProgressRecord(3, "Reading rows", "Starting");
                                progress.StatusDescription = $"{System.IO.Path.GetFileName(file)}: {read:N0} rows";
                                WriteProgress(progress);
                            }
                            if (!accept(record)) return;
                        }
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException)
                    {
                        filesFailed++;
                        WriteError(FileError(e, file));
                    }
                }
            }
            finally
            {
                if (progress != null && !Stopping)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
            }
        }

        private const long ReadProgressEvery = 50000;

        /// <summary>The files <see cref="ReadInputFiles"/> has read so far (none for piped rows).</summary>
        protected IReadOnlyList<string> InputFiles => inputFiles;
        private readonly List<string> inputFiles = new List<string>();

        /// <summary>
        /// The columns of each of <see cref="InputFiles"/> by its header, read ahead of its rows; a file whose header can't
        /// be read is left out (reading its rows reports it).
        /// </summary>
        protected IReadOnlyList<IReadOnlyList<string>> InputFileColumns()
        {
            var options = CreateCsvOptions();
            var columns = new List<IReadOnlyList<string>>();
            foreach (var file in InputFiles)
            {
                try { columns.Add(CsvSource.ReadHeader(file, options).Names); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) { }
            }
            return columns;
        }

        /// <summary>Files were asked for, and every path named none or every file failed (each was its own error).</summary>
        protected bool NoInputFileRead => ReadsFiles && filesFailed == filesFound;

        /// <summary>The files <see cref="ReadInputFiles"/> found so far.</summary>
        protected int InputFilesFound => filesFound;

        protected ErrorRecord FileError(Exception e, string file) => e switch
        {
            AutoencoderException ae => ErrorCatalog.Record(ae, file),
            _ => ErrorCatalog.Record(e, ErrorIds.InputFileUnreadable, file), // PermissionDenied when access was refused
        };
    }

    /// <summary>Completes -Culture with the names of the specific cultures this machine knows (de-DE, en-US, ...).</summary>
    public sealed class CultureCompleter : IArgumentCompleter
    {
        private static readonly Lazy<string[]> Names = new Lazy<string[]>(() =>
            CultureInfo.GetCultures(CultureTypes.SpecificCultures).Select(c => c.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray());

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            foreach (var name in Names.Value)
                if (name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(name);
        }
    }

    /// <summary>Completes the encodings -Encoding knows by name.</summary>
    public sealed class EncodingCompleter : IArgumentCompleter
    {
        private static readonly string[] Names = { "utf8", "utf8BOM", "utf8NoBOM", "unicode", "bigendianunicode", "utf32", "ascii", "latin1", "windows-1252" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            foreach (var name in Names)
                if (name.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(name);
        }
    }
}
