using System;
using System.Globalization;

namespace AutoencoderPS.Engine
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
        /// Booleans and dates are not numbers.
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
                case string text:
                    // Parse first: numbers are the common case, and NumberStyles.Float allows surrounding blanks.
                    if (!double.TryParse(text, NumberStyles.Float, culture, out number))
                        return IsMissingMarker(text) ? Outcome.Empty : Outcome.NotNumeric;
                    break;
                default:
                    return Outcome.NotNumeric;
            }
            return double.IsFinite(number) ? Outcome.Number : Outcome.Empty;
        }

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
