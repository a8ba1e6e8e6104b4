using System;
using System.Globalization;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// Spreadsheet formula neutralising for CSV output (opt-in: by default a scored file copies its source's fields as
    /// they are). A field a spreadsheet would run as a formula, one that starts with '=', '@', a tab or a CR, or with '+'
    /// or '-' and is not a number, gets a leading apostrophe, which spreadsheets show as text. Numbers such as "-5" or
    /// "+1.5e3" are kept, so scores and measurements stay numbers.
    /// </summary>
    public static class FormulaGuard
    {
        /// <summary>True when <paramref name="field"/> would be read as a formula.</summary>
        public static bool IsFormula(ReadOnlySpan<char> field, CultureInfo culture)
        {
            if (field.IsEmpty) return false;
            char first = field[0];
            if (first == '=' || first == '@' || first == '\t' || first == '\r') return true;
            if (first != '+' && first != '-') return false;
            return !double.TryParse(field, NumberStyles.Float, culture, out _) && !double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }

        /// <summary>The field, with a leading apostrophe when it would be read as a formula.</summary>
        public static string Neutralize(string field, CultureInfo culture) => IsFormula(field, culture) ? "'" + field : field;
    }
}
