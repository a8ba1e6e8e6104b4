using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>Where a scoring task is registered.</summary>
    public enum ScoringTaskPlatform
    {
        /// <summary>The user's crontab (Linux, macOS).</summary>
        Cron,
        /// <summary>Windows Task Scheduler, folder \AutoencoderPS\.</summary>
        TaskScheduler,
    }

    /// <summary>A scoring task that can't be registered, found or removed as asked.</summary>
    public sealed class ScoringTaskException : AutoencoderException
    {
        public ScoringTaskException(string errorId, string message, Exception? inner = null) : base(errorId, message, inner) { }
    }

    /// <summary>
    /// The program a scheduled scoring task starts and its arguments: pwsh (or the dotnet host with pwsh.dll) running
    /// the module's Invoke-ScheduledScoring.ps1 with the model, input, output, state and format of the task.
    /// <para>With one input path the task runs
    /// <c>&lt;pwsh&gt; -NoProfile -NonInteractive -File &lt;script&gt; -ModelPath m -Path p -OutputPath o [-StatePath s] [-Format f]</c>.
    /// pwsh -File passes every argument as one string and can't bind several values to one parameter, so with several
    /// input paths the task runs <c>&lt;pwsh&gt; -NoProfile -NonInteractive -Command "&amp; '&lt;script&gt;' -ModelPath 'm' -Path 'p1','p2' ...; exit $LASTEXITCODE"</c>
    /// instead: the same script, parameters and exit code.</para>
    /// </summary>
    public sealed class ScoringTaskAction
    {
        /// <summary>The file name of the job script in the module folder.</summary>
        public const string ScriptFileName = "Invoke-ScheduledScoring.ps1";

        /// <summary>The job formats the script accepts.</summary>
        public static readonly IReadOnlyList<string> Formats = new[] { "Csv", "JsonLines" };

        private const string ExitTail = "; exit $LASTEXITCODE";

        public ScoringTaskAction(IReadOnlyList<string> launcher, string scriptPath, string modelPath, IReadOnlyList<string> path,
            string outputPath, string? statePath = null, string? format = null, string? culture = null, string? delimiter = null,
            string? calibration = null, string? probabilityThreshold = null, string? alertCooldown = null, string? explain = null,
            string? topFeatureCount = null, string? formulas = null, string? encoding = null)
        {
            if (launcher == null || launcher.Count == 0 || string.IsNullOrEmpty(launcher[0]))
                throw new ArgumentException("The launcher needs at least the program to run.", nameof(launcher));
            if (path == null || path.Count == 0) throw new ArgumentException("At least one input path is needed.", nameof(path));
            Launcher = launcher.ToArray();
            ScriptPath = Require(scriptPath, nameof(scriptPath));
            ModelPath = Require(modelPath, nameof(modelPath));
            Path = path.Select(p => Require(p, nameof(path))).ToArray();
            OutputPath = Require(outputPath, nameof(outputPath));
            StatePath = string.IsNullOrEmpty(statePath) ? null : statePath;
            if (format != null && !Formats.Contains(format, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Unknown format '{format}'; use {string.Join(" or ", Formats)}.", nameof(format));
            Format = format == null ? null : Formats.First(f => string.Equals(f, format, StringComparison.OrdinalIgnoreCase));
            Culture = string.IsNullOrEmpty(culture) ? null : culture;
            Delimiter = string.IsNullOrEmpty(delimiter) ? null : delimiter;
            Calibration = string.IsNullOrEmpty(calibration) ? null : calibration;
            ProbabilityThreshold = string.IsNullOrEmpty(probabilityThreshold) ? null : probabilityThreshold;
            AlertCooldown = string.IsNullOrEmpty(alertCooldown) ? null : alertCooldown;
            Explain = Switch(explain, ExplainAllRows, "explanation", nameof(explain));
            // Only the text the registration writes: an invariant whole number in the cmdlets' range, no sign, no
            // leading zero, so a line edited to something else is not read back as one of ours.
            if (!string.IsNullOrEmpty(topFeatureCount) && !IsTopFeatureCount(topFeatureCount))
                throw new ArgumentException($"'{topFeatureCount}' is not a feature count; use a whole number from 0 to {MaxTopFeatureCount}.", nameof(topFeatureCount));
            TopFeatureCount = string.IsNullOrEmpty(topFeatureCount) ? null : topFeatureCount;
            Formulas = Switch(formulas, NeutralizeFormulas, "formula", nameof(formulas));
            Encoding = string.IsNullOrEmpty(encoding) ? null : encoding;
            foreach (string value in Launcher.Concat(new[] { ScriptPath, ModelPath, OutputPath }).Concat(Options.Select(o => o.Value ?? "")).Concat(Path))
                if (value.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0)
                    throw new ScoringTaskException(ErrorIds.InvalidTaskArgument,
                        $"'{value.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\0", "\\0")}' contains a line break or NUL character, which no crontab line or task command line can carry.");
        }

        // A switch of the cmdlet written as a name and one word on the line (-Explain All): the word, or null when off.
        private static string? Switch(string? value, string word, string what, string name)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (!string.Equals(value, word, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"Unknown {what} setting '{value}'; use {word} or nothing.", name);
            return word;
        }

        private static string Require(string value, string name) =>
            string.IsNullOrEmpty(value) ? throw new ArgumentException("The value must not be empty.", name) : value;

        /// <summary>The program and its leading arguments: [pwsh] or [dotnet, .../pwsh.dll].</summary>
        public IReadOnlyList<string> Launcher { get; }

        public string Executable => Launcher[0];
        public string ScriptPath { get; }
        public string ModelPath { get; }
        public IReadOnlyList<string> Path { get; }
        public string OutputPath { get; }
        public string? StatePath { get; }
        public string? Format { get; }

        /// <summary>The culture name the job reads numbers and dates with (Invoke-AnomalyScoring -Culture); null: invariant.</summary>
        public string? Culture { get; }

        /// <summary>The input's field separator (Invoke-AnomalyScoring -Delimiter); null: the culture's.</summary>
        public string? Delimiter { get; }

        /// <summary>The input's text encoding as the registration named it (Invoke-AnomalyScoring -Encoding: 1252, latin1); null: UTF-8.</summary>
        public string? Encoding { get; }

        /// <summary>Time-series models: Invoke-AnomalyScoring -Calibration (Auto, None, Likelihood); null: the default.</summary>
        public string? Calibration { get; }

        /// <summary>Time-series models: -ProbabilityThreshold, as invariant text; null: the default.</summary>
        public string? ProbabilityThreshold { get; }

        /// <summary>Time-series models: -AlertCooldown, as text AlertCooldown.Parse reads ("48", "01:00:00"); null: the default.</summary>
        public string? AlertCooldown { get; }

        /// <summary>"All": the job explains every row (Invoke-AnomalyScoring -ExplainAll); null: only the anomalies.</summary>
        public string? Explain { get; }

        /// <summary>The script's -Explain value for -ExplainAll.</summary>
        public const string ExplainAllRows = "All";

        /// <summary>How many features an explanation names (Invoke-AnomalyScoring -TopFeatureCount), as invariant text; null: the default.</summary>
        public string? TopFeatureCount { get; }

        /// <summary>The largest -TopFeatureCount the cmdlets accept (ValidateRange(0, MaxTopFeatureCount)).</summary>
        public const int MaxTopFeatureCount = 1000;

        /// <summary>"Neutralize": the job defuses spreadsheet formulas in CSV output (Invoke-AnomalyScoring -NeutralizeFormulas); null: fields as they are.</summary>
        public string? Formulas { get; }

        /// <summary>The script's -Formulas value for -NeutralizeFormulas.</summary>
        public const string NeutralizeFormulas = "Neutralize";

        private static bool IsTopFeatureCount(string text) =>
            Regex.IsMatch(text, @"\A(0|[1-9][0-9]{0,3})\z", RegexOptions.CultureInvariant) &&
            int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) <= MaxTopFeatureCount;

        // The optional parameters of the script, in the order they are written; null values are left out.
        private IEnumerable<(string Name, string? Value)> Options => new[]
        {
            ("StatePath", StatePath), ("Format", Format), ("Culture", Culture), ("Delimiter", Delimiter),
            ("Calibration", Calibration), ("ProbabilityThreshold", ProbabilityThreshold), ("AlertCooldown", AlertCooldown),
            ("Explain", Explain), ("TopFeatureCount", TopFeatureCount), ("Formulas", Formulas), ("Encoding", Encoding),
        };

        private static readonly string[] Names = { "ModelPath", "Path", "OutputPath", "StatePath", "Format", "Culture", "Delimiter", "Calibration", "ProbabilityThreshold", "AlertCooldown", "Explain", "TopFeatureCount", "Formulas", "Encoding" };

        /// <summary>True when the task runs the script with -Command because there are several input paths.</summary>
        public bool UsesCommand => Path.Count > 1;

        /// <summary>Every argument after the executable, unquoted, one string each.</summary>
        public IReadOnlyList<string> Arguments
        {
            get
            {
                var args = new List<string>(Launcher.Skip(1)) { "-NoProfile", "-NonInteractive" };
                if (!UsesCommand)
                {
                    args.Add("-File");
                    args.Add(ScriptPath);
                    args.Add("-ModelPath"); args.Add(ModelPath);
                    args.Add("-Path"); args.Add(Path[0]);
                    args.Add("-OutputPath"); args.Add(OutputPath);
                    foreach (var (name, value) in Options)
                        if (value != null) { args.Add("-" + name); args.Add(value); }
                }
                else
                {
                    args.Add("-Command");
                    args.Add(CommandText());
                }
                return args;
            }
        }

        /// <summary>The executable followed by <see cref="Arguments"/>.</summary>
        public IReadOnlyList<string> CommandLine => new[] { Executable }.Concat(Arguments).ToArray();

        private string CommandText()
        {
            var sb = new StringBuilder("& ").Append(CommandLineQuoting.PowerShellQuote(ScriptPath));
            sb.Append(" -ModelPath ").Append(CommandLineQuoting.PowerShellQuote(ModelPath));
            sb.Append(" -Path ").Append(string.Join(",", Path.Select(CommandLineQuoting.PowerShellQuote)));
            sb.Append(" -OutputPath ").Append(CommandLineQuoting.PowerShellQuote(OutputPath));
            foreach (var (name, value) in Options)
                if (value != null)
                    // A format is one of two words, written bare; every other value is quoted.
                    sb.Append(" -").Append(name).Append(' ').Append(name == "Format" ? value : CommandLineQuoting.PowerShellQuote(value));
            return sb.Append(ExitTail).ToString();
        }

        /// <summary>
        /// Reads back a command line this class wrote (program first). Returns null when it is not one: a task edited by
        /// hand into something else is shown, but without its model and paths.
        /// </summary>
        public static ScoringTaskAction? TryParse(IReadOnlyList<string> commandLine)
        {
            int noProfile = -1;
            for (int i = 1; i + 3 < commandLine.Count; i++)
                if (commandLine[i] == "-NoProfile" && commandLine[i + 1] == "-NonInteractive") { noProfile = i; break; }
            if (noProfile < 0) return null;
            var launcher = commandLine.Take(noProfile).ToArray();
            string mode = commandLine[noProfile + 2];
            var values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            string? script;
            if (mode == "-File")
            {
                script = commandLine[noProfile + 3];
                for (int i = noProfile + 4; i < commandLine.Count; i += 2)
                {
                    if (i + 1 >= commandLine.Count || !commandLine[i].StartsWith("-", StringComparison.Ordinal)) return null;
                    if (!values.TryGetValue(commandLine[i].Substring(1), out var list)) values[commandLine[i].Substring(1)] = list = new List<string>();
                    list.Add(commandLine[i + 1]);
                }
            }
            else if (mode == "-Command" && commandLine.Count == noProfile + 4)
            {
                script = ParseCommandText(commandLine[noProfile + 3], values);
                if (script == null) return null;
            }
            else return null;

            string? Single(string key) => values.TryGetValue(key, out var v) && v.Count == 1 ? v[0] : null;
            string? model = Single("ModelPath"), output = Single("OutputPath");
            if (model == null || output == null || !values.TryGetValue("Path", out var paths) || paths.Count == 0) return null;
            if (values.Keys.Any(k => !Names.Contains(k, StringComparer.OrdinalIgnoreCase))) return null;
            string? format = Single("Format");
            if (format != null && !Formats.Contains(format, StringComparer.OrdinalIgnoreCase)) return null;
            try
            {
                return new ScoringTaskAction(launcher, script, model, paths, output, Single("StatePath"), format, Single("Culture"), Single("Delimiter"),
                    Single("Calibration"), Single("ProbabilityThreshold"), Single("AlertCooldown"), Single("Explain"),
                    Single("TopFeatureCount"), Single("Formulas"), Single("Encoding"));
            }
            catch (ArgumentException) { return null; }
            catch (ScoringTaskException) { return null; }
        }

        // Reads "& 'script' -Name 'value' -Path 'a','b' -Format Csv; exit $LASTEXITCODE" as written by CommandText.
        private static string? ParseCommandText(string text, Dictionary<string, List<string>> values)
        {
            if (!text.StartsWith("& ", StringComparison.Ordinal) || !text.EndsWith(ExitTail, StringComparison.Ordinal)) return null;
            int i = 2, end = text.Length - ExitTail.Length;
            string? script = ReadQuoted(text, ref i, end);
            if (script == null) return null;
            while (i < end)
            {
                if (text[i] != ' ') return null;
                i++;
                var name = Regex.Match(text.Substring(i, end - i), "^-([A-Za-z]+) ");
                if (!name.Success) return null;
                i += name.Length;
                var list = new List<string>();
                while (true)
                {
                    string? value = i < end && CommandLineQuoting.IsPowerShellSingleQuote(text[i]) ? ReadQuoted(text, ref i, end) : ReadBare(text, ref i, end);
                    if (value == null) return null;
                    list.Add(value);
                    if (i < end && text[i] == ',') { i++; continue; }
                    break;
                }
                values[name.Groups[1].Value] = list;
            }
            return script;
        }

        private static string? ReadQuoted(string text, ref int i, int end)
        {
            if (i >= end || !CommandLineQuoting.IsPowerShellSingleQuote(text[i])) return null;
            var sb = new StringBuilder();
            i++;
            while (i < end)
            {
                char c = text[i];
                if (CommandLineQuoting.IsPowerShellSingleQuote(c))
                {
                    if (i + 1 < end && CommandLineQuoting.IsPowerShellSingleQuote(text[i + 1])) { sb.Append(c); i += 2; continue; }
                    i++;
                    return sb.ToString();
                }
                sb.Append(c);
                i++;
            }
            return null;
        }

        private static string? ReadBare(string text, ref int i, int end)
        {
            int start = i;
            while (i < end && char.IsLetterOrDigit(text[i])) i++;
            return i > start ? text.Substring(start, i - start) : null;
        }
    }

    /// <summary>Rules for task names and intervals shared by both platforms.</summary>
    public static class ScoringTaskRules
    {
        public const int MaxNameLength = 64;
        private static readonly Regex NamePattern = new Regex(@"\A[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant); // \z: "$" would also match before a final "\n"

        /// <summary>
        /// A task name is 1 to 64 letters (A-Z, a-z), digits, '.', '_' and '-', starting with a letter or digit: safe in a
        /// crontab comment, a Windows task name and a file name. Throws InvalidTaskName otherwise.
        /// </summary>
        public static void ValidateName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern.IsMatch(name))
                throw new ScoringTaskException(ErrorIds.InvalidTaskName,
                    $"'{name}' is not a valid task name: use 1 to {MaxNameLength} letters (A-Z), digits, '.', '_' and '-', starting with a letter or digit (the name goes into a crontab comment and a Windows task name).");
        }

        /// <summary>
        /// The cron schedule that repeats every <paramref name="interval"/>: a whole number of minutes that divides 60
        /// (<c>*/15 * * * *</c>; 1 minute is <c>* * * * *</c>) or a whole number of hours that divides 24
        /// (<c>0 */6 * * *</c>; 24 hours is <c>0 0 * * *</c>). Throws InvalidTaskInterval for any other interval, because
        /// cron's fields can't repeat it evenly.
        /// </summary>
        public static string CronSchedule(TimeSpan interval)
        {
            const string expressible = "cron can repeat a job every 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes, or every 1, 2, 3, 4, 6, 8, 12 or 24 hours";
            if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerMinute != 0)
                throw new ScoringTaskException(ErrorIds.InvalidTaskInterval,
                    $"The interval {interval} is not a positive whole number of minutes; {expressible}.");
            long minutes = interval.Ticks / TimeSpan.TicksPerMinute;
            if (minutes < 60 && 60 % minutes == 0)
                return minutes == 1 ? "* * * * *" : $"*/{minutes} * * * *";
            if (minutes % 60 == 0)
            {
                long hours = minutes / 60;
                if (hours == 1) return "0 * * * *";
                if (hours <= 24 && 24 % hours == 0) return hours == 24 ? "0 0 * * *" : $"0 */{hours} * * *";
            }
            throw new ScoringTaskException(ErrorIds.InvalidTaskInterval,
                $"The interval {interval} can't be expressed as a cron schedule: {expressible}.");
        }

        /// <summary>The interval of a schedule <see cref="CronSchedule"/> writes, or null for any other schedule.</summary>
        public static TimeSpan? IntervalFromCron(string schedule)
        {
            var fields = schedule.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 5 || fields[2] != "*" || fields[3] != "*" || fields[4] != "*") return null;
            if (fields[0] == "*" && fields[1] == "*") return TimeSpan.FromMinutes(1);
            var m = Regex.Match(fields[0], @"^\*/([0-9]{1,2})$");
            if (m.Success && fields[1] == "*")
            {
                int minutes = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                return minutes > 0 && 60 % minutes == 0 ? TimeSpan.FromMinutes(minutes) : null;
            }
            if (fields[0] != "0") return null;
            if (fields[1] == "*") return TimeSpan.FromHours(1);
            if (fields[1] == "0") return TimeSpan.FromHours(24);
            var h = Regex.Match(fields[1], @"^\*/([0-9]{1,2})$");
            if (!h.Success) return null;
            int hours = int.Parse(h.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return hours > 0 && 24 % hours == 0 ? TimeSpan.FromHours(hours) : null;
        }

        /// <summary>
        /// Task Scheduler repeats a trigger every 1 minute to 31 days, in whole minutes. Throws InvalidTaskInterval otherwise.
        /// </summary>
        public static void ValidateTaskSchedulerInterval(TimeSpan interval)
        {
            if (interval < TimeSpan.FromMinutes(1) || interval > TimeSpan.FromDays(31) || interval.Ticks % TimeSpan.TicksPerMinute != 0)
                throw new ScoringTaskException(ErrorIds.InvalidTaskInterval,
                    $"The interval {interval} can't be a Task Scheduler repetition interval: use a whole number of minutes from 1 minute to 31 days.");
        }
    }
}
