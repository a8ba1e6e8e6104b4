using System.Globalization;
using System.Text.RegularExpressions;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>What a text that the culture does not read as a number is, when it is one written another way.</summary>
    public enum UnreadNumberKind
    {
        /// <summary>No number (free text, a code).</summary>
        None,
        /// <summary>A number with the other decimal separator ("22,7" where the culture has a point, or the other way round).</summary>
        OtherDecimal,
        /// <summary>Digits in groups of three with a thousands separator that is not a decimal either ("3.730,5", "1,234.5").</summary>
        Grouped,
        /// <summary>Either ("9,897": 9897 with a thousands separator, or 9.897 with a decimal comma); far more often thousands.</summary>
        EitherWay,
        /// <summary>A number with a unit ("12 %", "32.4 ms").</summary>
        WithUnit,
    }

    /// <summary>
    /// The one reading of numbers the culture does not read (column roles, and the error of a value that is not a number):
    /// a thousands separator is never read (in German, 1.500 is fifteen hundred), so text that may be one is never taken
    /// for a decimal number, and the advice never names a culture that would read it as one.
    /// </summary>
    public static class UnreadNumbers
    {
        // Units of measurements in exports (percent, time, size, rate, temperature, frequency, power), as written: a known
        // list, case and all, as digits followed by letters are also codes ("2xx", "5G", "1st", "3B"), which stay
        // categories. A one-letter unit only for time ("12s", "3h", "3d", "250m"): "5A" or "3B" is more often a code.
        private static readonly Regex NumberWithUnit = new Regex(
            @"^[+-]?\d+(?:[.,]\d+)?\s*(?:%|[nu\u00B5\u03BC]s|ms|s|sec|secs|m|min|mins|h|hrs?|d|days?|[kKMGTPE]i|[kKMGTP]i?B|[kKMGTP]b|bytes|" +
            @"[kKMG]?bps|[kKMG]?b/s|[kKMG]?B/s|[kKMG]bit/s|/s|ops/s|req/s|rpm|\u00B0[CF]|[kMG]?Hz|[kM]W|mV|mA)$", RegexOptions.CultureInvariant);

        // The first group has no leading zero: "0,505" has no thousands, so it is a decimal comma, never "either way".
        private static readonly Regex GroupedNumber = new Regex(
            @"^[+-]?[1-9]\d{0,2}(?:([.,'\u00A0\u202F ])\d{3})+(?:[.,]\d+)?$", RegexOptions.CultureInvariant);

        /// <summary>The unit of a number with a unit (<see cref="UnreadNumberKind.WithUnit"/>): what follows its digits, spaces trimmed.</summary>
        public static string UnitOf(string text) => text.TrimStart('+', '-').TrimStart("0123456789.,".ToCharArray()).Trim();

        /// <summary>Whether the culture writes decimals with a comma.</summary>
        public static bool HasDecimalComma(CultureInfo culture) => culture.NumberFormat.NumberDecimalSeparator == ",";

        /// <summary>What <paramref name="text"/> (trimmed, not read as a number in <paramref name="culture"/>) is.</summary>
        public static UnreadNumberKind Classify(string text, CultureInfo culture)
        {
            var other = HasDecimalComma(culture) ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("de-DE");
            bool groups = GroupedNumber.IsMatch(text);
            // An infinity ("∞", which de-DE reads) is no number written with the other decimal separator.
            if (double.TryParse(text, NumberStyles.Float, other, out double number))
                return !double.IsFinite(number) ? UnreadNumberKind.None : groups ? UnreadNumberKind.EitherWay : UnreadNumberKind.OtherDecimal;
            if (groups) return UnreadNumberKind.Grouped;
            return NumberWithUnit.IsMatch(text) ? UnreadNumberKind.WithUnit : UnreadNumberKind.None;
        }
    }
}
