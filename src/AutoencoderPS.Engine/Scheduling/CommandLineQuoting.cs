using System;
using System.Collections.Generic;
using System.Text;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// Quoting of program arguments for the three interpreters a scheduled task passes through: POSIX sh (a crontab
    /// line), the Windows command-line convention of the C runtime and .NET (Task Scheduler's argument string), and
    /// PowerShell single-quoted strings (a -Command text). Each quoting has its inverse for the text this class writes.
    /// </summary>
    public static class CommandLineQuoting
    {
        // Characters sh never treats specially in a word: such a word needs no quotes.
        private static bool IsShSafe(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_@%+=:,./-".IndexOf(c) >= 0;

        /// <summary>
        /// One argument as one sh word: as it is when it holds only safe characters, otherwise in single quotes, an
        /// embedded single quote written as <c>'\''</c> (close, escaped quote, reopen). Empty is <c>''</c>.
        /// </summary>
        public static string ShQuote(string argument)
        {
            if (argument == null) throw new ArgumentNullException(nameof(argument));
            if (argument.Length > 0 && AllSafe(argument)) return argument;
            return "'" + argument.Replace("'", "'\\''") + "'";
        }

        private static bool AllSafe(string s)
        {
            foreach (char c in s) if (!IsShSafe(c)) return false;
            return true;
        }

        /// <summary>Arguments as one sh command: each quoted by <see cref="ShQuote"/>, separated by single spaces.</summary>
        public static string ShJoin(IEnumerable<string> arguments)
        {
            var parts = new List<string>();
            foreach (string a in arguments) parts.Add(ShQuote(a));
            return string.Join(" ", parts);
        }

        /// <summary>
        /// Splits sh text into words the way sh does for the quoting <see cref="ShQuote"/> writes: unquoted words,
        /// single-quoted parts, backslash escapes outside quotes and double-quoted parts without expansions; words are
        /// separated by spaces and tabs. Returns null when the text uses what this reader does not understand (an
        /// unterminated quote, <c>$</c>, backquotes, <c>;</c>, <c>|</c>, <c>&amp;</c>) apart from a final redirection,
        /// which is returned as words (<c>&gt;&gt;</c>, path, <c>2&gt;&amp;1</c>).
        /// </summary>
        public static IReadOnlyList<string>? ShSplit(string text)
        {
            var words = new List<string>();
            var current = new StringBuilder();
            bool inWord = false;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == ' ' || c == '\t')
                {
                    if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                    i++;
                }
                else if (c == '\'')
                {
                    int end = text.IndexOf('\'', i + 1);
                    if (end < 0) return null;
                    current.Append(text, i + 1, end - i - 1);
                    inWord = true;
                    i = end + 1;
                }
                else if (c == '"')
                {
                    i++;
                    bool closed = false;
                    while (i < text.Length)
                    {
                        char d = text[i];
                        if (d == '"') { closed = true; i++; break; }
                        if (d == '$' || d == '`') return null;
                        if (d == '\\' && i + 1 < text.Length && "$`\"\\\n".IndexOf(text[i + 1]) >= 0) { current.Append(text[i + 1]); i += 2; continue; }
                        current.Append(d);
                        i++;
                    }
                    if (!closed) return null;
                    inWord = true;
                }
                else if (c == '\\')
                {
                    if (i + 1 >= text.Length) return null;
                    current.Append(text[i + 1]);
                    inWord = true;
                    i += 2;
                }
                else if (c == '>' || (c == '2' && !inWord && i + 1 < text.Length && text[i + 1] == '>'))
                {
                    // A redirection: taken as its own words (">>", "2>&1").
                    if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                    int start = i;
                    if (c == '2') i++;
                    i++;
                    while (i < text.Length && (text[i] == '>' || text[i] == '&' || char.IsDigit(text[i]))) i++;
                    words.Add(text.Substring(start, i - start));
                }
                else if ("$`;|&<(){}\n".IndexOf(c) >= 0)
                {
                    return null;
                }
                else
                {
                    current.Append(c);
                    inWord = true;
                    i++;
                }
            }
            if (inWord) words.Add(current.ToString());
            return words;
        }

        /// <summary>
        /// One argument quoted for a Windows command line, so that CommandLineToArgvW, the C runtime and .NET read it
        /// back as exactly this string: as it is when non-empty without spaces, tabs, newlines or double quotes;
        /// otherwise in double quotes, each embedded quote preceded by a backslash, and backslashes doubled where they
        /// precede a quote or the closing quote (so <c>C:\My Data\</c> becomes <c>"C:\My Data\\"</c>).
        /// </summary>
        public static string WindowsQuote(string argument)
        {
            if (argument == null) throw new ArgumentNullException(nameof(argument));
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0) return argument;
            var sb = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"')
                {
                    sb.Append('\\', backslashes * 2 + 1).Append('"');
                }
                else
                {
                    sb.Append('\\', backslashes).Append(c);
                }
                backslashes = 0;
            }
            sb.Append('\\', backslashes * 2).Append('"');
            return sb.ToString();
        }

        /// <summary>Arguments as one Windows command-line string, each quoted by <see cref="WindowsQuote"/>.</summary>
        public static string WindowsJoin(IEnumerable<string> arguments)
        {
            var parts = new List<string>();
            foreach (string a in arguments) parts.Add(WindowsQuote(a));
            return string.Join(" ", parts);
        }

        /// <summary>
        /// Splits a Windows command line into arguments by the rules of CommandLineToArgvW for arguments after the
        /// program name (2n backslashes before a quote are n backslashes and the quote toggles quoting; 2n+1 are n
        /// and a literal quote; "" inside quotes is a literal quote; other backslashes are literal).
        /// </summary>
        public static IReadOnlyList<string> WindowsSplit(string commandLine)
        {
            var args = new List<string>();
            var current = new StringBuilder();
            bool inQuotes = false, inArg = false;
            int i = 0;
            while (i < commandLine.Length)
            {
                char c = commandLine[i];
                if (!inQuotes && (c == ' ' || c == '\t'))
                {
                    if (inArg) { args.Add(current.ToString()); current.Clear(); inArg = false; }
                    i++;
                    continue;
                }
                inArg = true;
                if (c == '\\')
                {
                    int n = 0;
                    while (i < commandLine.Length && commandLine[i] == '\\') { n++; i++; }
                    if (i < commandLine.Length && commandLine[i] == '"')
                    {
                        current.Append('\\', n / 2);
                        if (n % 2 == 1) { current.Append('"'); i++; }
                    }
                    else
                    {
                        current.Append('\\', n);
                    }
                    continue;
                }
                if (c == '"')
                {
                    if (inQuotes && i + 1 < commandLine.Length && commandLine[i + 1] == '"') { current.Append('"'); i += 2; continue; }
                    inQuotes = !inQuotes;
                    i++;
                    continue;
                }
                current.Append(c);
                i++;
            }
            if (inArg) args.Add(current.ToString());
            return args;
        }

        /// <summary>
        /// A PowerShell single-quoted string literal: every single quote, including the typographic ones PowerShell
        /// also accepts as quotes (U+2018, U+2019, U+201A, U+201B), is doubled.
        /// </summary>
        public static string PowerShellQuote(string value)
        {
            if (value == null) throw new ArgumentNullException(nameof(value));
            var sb = new StringBuilder("'");
            foreach (char c in value)
            {
                if (IsPowerShellSingleQuote(c)) sb.Append(c);
                sb.Append(c);
            }
            return sb.Append('\'').ToString();
        }

        internal static bool IsPowerShellSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }
}
