using System;
using System.Globalization;

namespace AutoencoderPS.Engine
{
    /// <summary>Turns one input value (a number, or text as Import-Csv gives) into a double.</summary>
    public static class NumberParser
    {
        /// <summary>Outcome of reading one value.</summary>
        public enum Outcome { Number, Empty, NotNumeric }

        /// <summary>
        /// Reads <paramref name="value"/> as a number. Text is parsed with <paramref name="culture"/>
        /// (invariant unless the caller names one) and never with thousands separators, so "1,5" is not 15.
        /// Booleans and dates are not numbers.
        /// </summary>
        public static Outcome TryRead(object? value, CultureInfo culture, out double number)
        {
            number = double.NaN;
            switch (value)
            {
                case null:
                    return Outcome.Empty;
                case double d: number = d; return Outcome.Number;
                case float f: number = f; return Outcome.Number;
                case int i: number = i; return Outcome.Number;
                case long l: number = l; return Outcome.Number;
                case short s: number = s; return Outcome.Number;
                case byte b: number = b; return Outcome.Number;
                case sbyte sb: number = sb; return Outcome.Number;
                case uint ui: number = ui; return Outcome.Number;
                case ulong ul: number = ul; return Outcome.Number;
                case ushort us: number = us; return Outcome.Number;
                case decimal m: number = (double)m; return Outcome.Number;
                case string text:
                    text = text.Trim();
                    if (text.Length == 0) return Outcome.Empty;
                    return double.TryParse(text, NumberStyles.Float, culture, out number)
                        ? Outcome.Number
                        : Outcome.NotNumeric;
                default:
                    return Outcome.NotNumeric;
            }
        }
    }
}
