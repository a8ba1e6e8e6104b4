using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoencoderPS.Engine.Text
{
    /// <summary>
    /// Text from an input file as a message shows it: a value or a column name of a damaged or binary file holds control
    /// characters (an escape sequence, a bell, NUL), direction overrides and line separators, which written raw to a
    /// console or a scheduled job's log clear the screen, reorder or split the line. Each is shown as '?'; so is the
    /// character a decoder puts for bytes that were not text (U+FFFD). A tab stays.
    /// </summary>
    public static class PrintableText
    {
        public static string Of(string text)
        {
            int i = 0;
            while (i < text.Length && Printable(text, i)) i++;
            if (i == text.Length) return text;
            var chars = text.ToCharArray();
            for (; i < chars.Length; i++)
                if (!Printable(text, i)) chars[i] = '?';
            return new string(chars);
        }

        /// <summary><see cref="Of"/> of at most the first <paramref name="most"/> characters, "..." after a cut.</summary>
        public static string Cut(string text, int most) =>
            text.Length <= most ? Of(text) : Of(text.Substring(0, most)) + "...";

        /// <summary>
        /// A name as a PowerShell command line takes it (a property or column for -TimeProperty, Select-Object, ...): bare
        /// when it is letters, digits and _ . - and does not start with '-' (which would read as a parameter), else in
        /// single quotes with each quote doubled.
        /// </summary>
        public static string PowerShellArgument(string name) =>
            name.Length > 0 && name[0] != '-' && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.')
                ? name : "'" + name.Replace("'", "''", System.StringComparison.Ordinal) + "'";

        /// <summary>
        /// Names for a message: the first <paramref name="most"/> quoted and cut (<see cref="Cut"/>), then " and N more":
        /// "'web01', 'web02' and 3 more".
        /// </summary>
        public static string QuotedList(IReadOnlyCollection<string> names, int most = 10, int cut = 60)
        {
            string shown = string.Join(", ", names.Take(most).Select(n => $"'{Cut(n, cut)}'"));
            return names.Count > most ? shown + " and " + (names.Count - most).ToString(CultureInfo.InvariantCulture) + " more" : shown;
        }

        private static bool Printable(string text, int i)
        {
            char c = text[i];
            if (c == '\t') return true;
            if (c == '\uFFFD') return false;
            if (char.IsSurrogate(c)) return char.IsSurrogatePair(text, i > 0 && char.IsHighSurrogate(text[i - 1]) && char.IsLowSurrogate(c) ? i - 1 : i);
            return CharUnicodeInfo.GetUnicodeCategory(c) switch
            {
                UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
                _ => true,
            };
        }
    }
}
