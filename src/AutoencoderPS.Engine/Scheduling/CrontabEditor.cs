using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// Edits a user's crontab, touching only the module's own entries. An entry is two lines: a marker comment
    /// <c># AutoencoderPS task: &lt;Name&gt; (managed by Register-AnomalyScoringTask; do not edit)</c> and the schedule line
    /// after it. Every other byte of the table (comments, variable assignments, blank lines, other jobs, line endings,
    /// the trailing newline, text that is not UTF-8) is kept as it was: the table is held as Latin-1 text, one
    /// character per byte, and only the module's lines are written as UTF-8.
    /// </summary>
    public sealed class CrontabEditor
    {
        public const string MarkerPrefix = "# AutoencoderPS task: ";
        public const string MarkerSuffix = " (managed by Register-AnomalyScoringTask; do not edit)";

        private static readonly Encoding Latin1 = Encoding.Latin1;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        // The table split at '\n'; the last element is "" when the table ends with a newline (or is empty).
        private readonly List<string> lines;

        public CrontabEditor(byte[] table)
        {
            lines = Latin1.GetString(table ?? Array.Empty<byte>()).Split('\n').ToList();
        }

        public CrontabEditor(string table) : this(Utf8.GetBytes(table ?? "")) { }

        /// <summary>The table as bytes, for <c>crontab -</c>.</summary>
        public byte[] ToBytes() => Latin1.GetBytes(string.Join("\n", lines));

        /// <summary>The table as text (UTF-8 decoded).</summary>
        public override string ToString() => Utf8.GetString(ToBytes());

        /// <summary>The module's entries, in table order.</summary>
        public IReadOnlyList<CrontabEntry> Entries
        {
            get
            {
                var entries = new List<CrontabEntry>();
                for (int i = 0; i < lines.Count; i++)
                {
                    string? name = MarkerName(lines[i]);
                    if (name == null) continue;
                    string? schedule = IsScheduleLine(i + 1) ? FromLatin1(lines[i + 1]).TrimEnd('\r') : null;
                    entries.Add(new CrontabEntry(name, schedule));
                }
                return entries;
            }
        }

        /// <summary>Task names are compared ignoring case, as Task Scheduler compares them.</summary>
        public bool Contains(string name) => Entries.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// Adds the entry <paramref name="name"/> with <paramref name="scheduleLine"/>, or replaces the entry of that name
        /// where it is (its marker and schedule line; any further entries of that name are removed). A new entry goes at
        /// the end of the table, after a newline if the table lacks a final one. Other lines are not touched.
        /// </summary>
        public void Set(string name, string scheduleLine)
        {
            ScoringTaskRules.ValidateName(name);
            if (scheduleLine.IndexOfAny(new[] { '\n', '\r' }) >= 0) throw new ArgumentException("A schedule line is one line.", nameof(scheduleLine));
            int at = FindMarker(name);
            if (at >= 0)
            {
                RemoveEntryAt(at);
                Remove(name);
                lines.Insert(at, ToLatin1(MarkerLine(name)));
                lines.Insert(at + 1, ToLatin1(scheduleLine));
                return;
            }
            if (lines[lines.Count - 1].Length != 0) lines.Add("");
            lines.Insert(lines.Count - 1, ToLatin1(MarkerLine(name)));
            lines.Insert(lines.Count - 1, ToLatin1(scheduleLine));
        }

        /// <summary>Removes every entry named <paramref name="name"/>, ignoring case (marker and schedule line); false when there is none.</summary>
        public bool Remove(string name)
        {
            bool removed = false;
            int at;
            while ((at = FindMarker(name)) >= 0)
            {
                RemoveEntryAt(at);
                removed = true;
            }
            return removed;
        }

        private int FindMarker(string name)
        {
            for (int i = 0; i < lines.Count; i++)
                if (string.Equals(MarkerName(lines[i]), name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        private void RemoveEntryAt(int marker)
        {
            if (IsScheduleLine(marker + 1)) lines.RemoveAt(marker + 1);
            lines.RemoveAt(marker);
        }

        // The line after a marker is its schedule line only when it parses as the module's own command (the scheduled
        // scoring script with its model, input and output). Anything else, such as the user's own job after a marker whose
        // schedule line was deleted by hand, is not the module's: only the marker is the entry, and that line is kept.
        private bool IsScheduleLine(int index)
        {
            if (index >= lines.Count) return false;
            string line = FromLatin1(lines[index]).TrimEnd('\r');
            string trimmed = line.TrimStart(' ', '\t');
            if (trimmed.Length == 0 || trimmed[0] == '#') return false;
            var command = ParseScheduleLine(line, out _, out _);
            return command != null && ScoringTaskAction.TryParse(command) != null;
        }

        /// <summary>The task name of a marker line, or null when the line is not one.</summary>
        public static string? MarkerName(string line)
        {
            line = line.TrimEnd('\r');
            if (!line.StartsWith(MarkerPrefix, StringComparison.Ordinal) || !line.EndsWith(MarkerSuffix, StringComparison.Ordinal)) return null;
            string name = line.Substring(MarkerPrefix.Length, line.Length - MarkerPrefix.Length - MarkerSuffix.Length);
            try { ScoringTaskRules.ValidateName(name); }
            catch (ScoringTaskException) { return null; }
            return name;
        }

        public static string MarkerLine(string name)
        {
            ScoringTaskRules.ValidateName(name);
            return MarkerPrefix + name + MarkerSuffix;
        }

        /// <summary>
        /// The schedule line that runs <paramref name="commandLine"/> (program first) on <paramref name="schedule"/> with
        /// its standard output and error appended to <paramref name="logPath"/>: each argument quoted for /bin/sh, and
        /// every % written as \% so cron does not turn it into a line break. Throws InvalidTaskArgument for an argument
        /// with a line break, or with a backslash right before a %, which cron's escaping can't carry.
        /// </summary>
        public static string ScheduleLine(string schedule, IReadOnlyList<string> commandLine, string logPath)
        {
            foreach (string argument in commandLine.Concat(new[] { logPath }))
            {
                if (argument.IndexOfAny(new[] { '\n', '\r', '\0' }) >= 0)
                    throw new ScoringTaskException(ErrorIds.InvalidTaskArgument, $"'{argument}' contains a line break or NUL character, which a crontab line can't carry.");
                if (argument.Contains("\\%"))
                    throw new ScoringTaskException(ErrorIds.InvalidTaskArgument, $"'{argument}' has a backslash right before a %, which a crontab line can't carry (cron reads \\% as an escaped %).");
            }
            string command = CommandLineQuoting.ShJoin(commandLine) + " >> " + CommandLineQuoting.ShQuote(logPath) + " 2>&1";
            return schedule + " " + command.Replace("%", "\\%");
        }

        /// <summary>
        /// Splits a schedule line into its five time fields and its command as cron hands it to the shell: cron turns
        /// \% into % and cuts the command at the first unescaped % (the rest becomes the job's standard input, returned
        /// as <paramref name="standardInput"/>; null when there is no such %). Returns null when the line has fewer than
        /// six fields or starts with @ (a @daily-style schedule).
        /// </summary>
        public static string? CommandOf(string scheduleLine, out string schedule, out string? standardInput)
        {
            schedule = "";
            standardInput = null;
            int i = 0, fields = 0;
            string line = scheduleLine.TrimEnd('\r');
            while (fields < 5)
            {
                while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
                int start = i;
                while (i < line.Length && line[i] != ' ' && line[i] != '\t') i++;
                if (i == start || line[start] == '@') return null;
                schedule += (fields == 0 ? "" : " ") + line.Substring(start, i - start);
                fields++;
            }
            while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
            if (i >= line.Length) return null;

            // Cron's own reading of the command: a backslash before % escapes it (and is dropped); any other backslash
            // is kept and only clears the escape; an unescaped % ends the command.
            var sb = new StringBuilder();
            bool escaped = false;
            for (; i < line.Length; i++)
            {
                char c = line[i];
                if (escaped)
                {
                    if (c == '%') sb[sb.Length - 1] = '%';
                    else sb.Append(c);
                    escaped = false;
                    continue;
                }
                if (c == '%')
                {
                    standardInput = line.Substring(i + 1).Replace('%', '\n');
                    break;
                }
                if (c == '\\') escaped = true;
                sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>
        /// Reads back the program, arguments and log file of a schedule line <see cref="ScheduleLine"/> wrote; null when
        /// the line is something else.
        /// </summary>
        public static IReadOnlyList<string>? ParseScheduleLine(string scheduleLine, out string schedule, out string? logPath)
        {
            logPath = null;
            string? command = CommandOf(scheduleLine, out schedule, out string? input);
            if (command == null || input != null) return null;
            var words = CommandLineQuoting.ShSplit(command);
            if (words == null || words.Count < 4) return null;
            if (words[words.Count - 3] != ">>" || words[words.Count - 1] != "2>&1") return null;
            logPath = words[words.Count - 2];
            return words.Take(words.Count - 3).ToArray();
        }

        private static string ToLatin1(string text) => Latin1.GetString(Utf8.GetBytes(text));

        private static string FromLatin1(string text) => Utf8.GetString(Latin1.GetBytes(text));
    }

    /// <summary>One of the module's entries in a crontab: its name and schedule line (null when the line is missing).</summary>
    public sealed class CrontabEntry
    {
        public CrontabEntry(string name, string? scheduleLine)
        {
            Name = name;
            ScheduleLine = scheduleLine;
            if (scheduleLine != null)
            {
                CommandLine = CrontabEditor.ParseScheduleLine(scheduleLine, out string schedule, out string? log);
                Schedule = schedule.Length > 0 ? schedule : null;
                LogPath = log;
                Interval = Schedule == null ? null : ScoringTaskRules.IntervalFromCron(Schedule);
                Action = CommandLine == null ? null : ScoringTaskAction.TryParse(CommandLine);
            }
        }

        public string Name { get; }
        public string? ScheduleLine { get; }
        public string? Schedule { get; }
        public TimeSpan? Interval { get; }
        public IReadOnlyList<string>? CommandLine { get; }
        public string? LogPath { get; }
        public ScoringTaskAction? Action { get; }
    }
}
