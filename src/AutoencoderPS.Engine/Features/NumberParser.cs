using System;
using System.Globalization;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>Turns one input value (a number, or text as Import-Csv gives) into a double.</summary>
    public static class NumberParser
    {
        /// <summary>Outcome of reading one value.</summary>
        public enum Outcome
        {
            Number,
            /// <summary>No value: null, empty, a missing-value marker (NA, N/A, null, NaN) or a non-finite number.</summary>
            Empty,
            NotNumeric,
        }

        /// <summary>
        /// Reads <paramref name="value"/> as a finite number. Text is parsed with <paramref name="culture"/>
        /// (invariant unless the caller names one) and never with thousands separators, so "1,5" is not 15.
        /// Booleans and dates are not numbers; a duration (TimeSpan) is its seconds.
        /// </summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public static Outcome TryRead(object? value, CultureInfo culture, out double number)
        {
            number = double.NaN;
            switch (value)
            {
                case null: return Outcome.Empty;
                case double d: number = d; break;
                case float f: number = f; break;
                case int i: number = i; break;
                case long l: number = l; break;
                case short s: number = s; break;
                case byte b: number = b; break;
                case sbyte sb: number = sb; break;
                case uint ui: number = ui; break;
                case ulong ul: number = ul; break;
                case ushort us: number = us; break;
                case decimal m: number = (double)m; break;
                // A duration (a request's, a job's: TimeSpan properties of objects) is its length in seconds.
                case TimeSpan span: number = span.TotalSeconds; break;
                case string text:
                    // Parse first: numbers are the common case, and NumberStyles.Float allows surrounding blanks.
                    if (TryReadPlainDecimal(text, culture, out number)) break;
                    if (!double.TryParse(text, NumberStyles.Float, culture, out number) && !TryReadInfinity(text, culture, out number))
                        return IsMissingMarker(text) || IsDashPlaceholder(text) ? Outcome.Empty : Outcome.NotNumeric;
                    break;
                default:
                    return Outcome.NotNumeric;
            }
            return double.IsFinite(number) ? Outcome.Number : Outcome.Empty;
        }

        // Powers of ten that are exact doubles (10^22 is the last).
        private static readonly double[] ExactPowersOfTen =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// The common case of exported metrics, read without the general parser: an optional sign, ASCII digits, at most
        /// one decimal separator of the culture, at most 15 significant digits and 22 decimals. Such a number is an
        /// integer below 2^53 divided by an exact power of ten, so one correctly rounded division gives exactly the
        /// double that <see cref="double.TryParse(string, NumberStyles, IFormatProvider, out double)"/> gives (Clinger's
        /// fast path). Anything else (blanks, exponents, more digits, other signs) returns false for the general parser.
        /// </summary>
        // Hot path, run per value: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static bool TryReadPlainDecimal(string text, CultureInfo culture, out double number)
        {
            number = 0;
            char point = PlainDecimalPoint(culture);
            return point != '\0' && TryReadPlainDecimal(text.AsSpan(), point, out number);
        }

        /// <summary>
        /// The decimal separator <see cref="TryReadPlainDecimal(ReadOnlySpan{byte}, char, out double)"/> reads in
        /// <paramref name="culture"/>, or '\0' when the culture's number format is not plain (a separator of several
        /// characters or a sign other than "-" and "+"): such text goes to the general parser.
        /// </summary>
        internal static char PlainDecimalPoint(CultureInfo culture)
        {
            var format = culture.NumberFormat;
            string separator = format.NumberDecimalSeparator;
            return separator.Length != 1 || format.NegativeSign != "-" || format.PositiveSign != "+" ? '\0' : separator[0];
        }

        /// <summary>
        /// <see cref="TryReadPlainDecimal(string, CultureInfo, out double)"/> on UTF-8 bytes: a field read straight from
        /// a file, without a string. <paramref name="point"/> comes from <see cref="PlainDecimalPoint"/>.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static bool TryReadPlainDecimal(ReadOnlySpan<byte> text, char point, out double number) =>
            TryReadPlainDecimal<byte>(text, point, out number);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private static bool TryReadPlainDecimal(ReadOnlySpan<char> text, char point, out double number) =>
            TryReadPlainDecimal<char>(text, point, out number);

        // One reading for chars and for UTF-8 bytes: every character it accepts is ASCII, and a byte of a longer UTF-8
        // sequence is never an ASCII character, so both give the same answer for the same text. A generic instantiation the
        // ReadyToRun image does not hold: without AggressiveOptimization the first million values of a process ran as
        // unoptimized (tier-0) code (DOTNET_JitDisasmSummary).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private static bool TryReadPlainDecimal<T>(ReadOnlySpan<T> text, char point, out double number)
            where T : unmanaged, System.Numerics.IBinaryInteger<T>
        {
            number = 0;
            if (text.Length == 0 || text.Length > 40) return false;
            int i = 0;
            bool negative = false;
            uint first = uint.CreateTruncating(text[0]);
            if (first == '-') { negative = true; i++; }
            else if (first == '+') i++;
            ulong mantissa = 0;
            int significant = 0, decimals = 0;
            bool digits = false, seenPoint = false;
            for (; i < text.Length; i++)
            {
                uint c = uint.CreateTruncating(text[i]);
                uint digit = c - '0';
                if (digit <= 9)
                {
                    digits = true;
                    if (seenPoint) decimals++;
                    if (mantissa == 0 && digit == 0) continue; // leading zeros are not significant
                    if (++significant > 15) return false;
                    mantissa = mantissa * 10 + digit;
                }
                else if (c == point && !seenPoint)
                {
                    seenPoint = true;
                }
                else
                {
                    return false;
                }
            }
            if (!digits || decimals >= ExactPowersOfTen.Length) return false;
            double value = mantissa;
            if (decimals > 0) value /= ExactPowersOfTen[decimals];
            number = negative ? -value : value;
            return true;
        }

        /// <summary>
        /// Text that names an infinity in another convention than <paramref name="culture"/>'s: "∞" (pwsh under en-US, and
        /// ICU cultures, write [double]::PositiveInfinity so; the invariant culture writes "Infinity"), "Infinity" (where the
        /// culture's symbol is "∞"), with a sign ("-", "+", or the minus sign U+2212 of sv-SE and others), and the culture's
        /// own symbols. It is the non-finite number it names, a missing value as "Infinity" is, never text to tell apart
        /// (UnreadNumbers: de-DE reads "∞", and it was called a number with a decimal comma).
        /// </summary>
        internal static bool TryReadInfinity(string text, CultureInfo culture, out double number)
        {
            number = double.NaN;
            var t = text.AsSpan().Trim();
            if (t.Length == 0 || t.Length > 12) return false;
            var format = culture.NumberFormat;
            if (t.Equals(format.PositiveInfinitySymbol, StringComparison.OrdinalIgnoreCase)) { number = double.PositiveInfinity; return true; }
            if (t.Equals(format.NegativeInfinitySymbol, StringComparison.OrdinalIgnoreCase)) { number = double.NegativeInfinity; return true; }
            bool negative = t[0] == '-' || t[0] == '\u2212';
            if (negative || t[0] == '+') t = t.Slice(1);
            if (!(t.SequenceEqual("∞") || t.Equals("Infinity", StringComparison.OrdinalIgnoreCase) ||
                  t.Equals(format.PositiveInfinitySymbol, StringComparison.OrdinalIgnoreCase)))
                return false;
            number = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        /// <summary>
        /// A lone "-" (or "--"): the placeholder of an empty number in W3C, IIS and Apache logs and in many exports. It is no
        /// number, so in a number's place it is a missing value; as text (a category) it stays a value of its own.
        /// </summary>
        internal static bool IsDashPlaceholder(string text)
        {
            var t = text.AsSpan().Trim();
            return t.SequenceEqual("-") || t.SequenceEqual("--");
        }

        /// <summary>
        /// Whether <paramref name="value"/>, read as <paramref name="outcome"/>, is missing: empty, a marker (NA, N/A, null,
        /// NaN as text). A number that is not finite is a value (NonFiniteFeatureValue), not a missing one. The one rule
        /// of the role profiles and of the rows they are chosen from (RoleSample).
        /// </summary>
        public static bool IsMissing(Outcome outcome, object? value) => outcome == Outcome.Empty && !(value is double || value is float);

        /// <summary>True for text that means "no value": empty, whitespace, NA, N/A, null, NaN (any case).</summary>
        public static bool IsMissingMarker(string text)
        {
            var t = text.AsSpan().Trim();
            return t.Length == 0
                || t.Equals("NA", StringComparison.OrdinalIgnoreCase)
                || t.Equals("N/A", StringComparison.OrdinalIgnoreCase)
                || t.Equals("null", StringComparison.OrdinalIgnoreCase)
                || t.Equals("NaN", StringComparison.OrdinalIgnoreCase);
        }
    }
}
