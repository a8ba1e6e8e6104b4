using System;
using System.Globalization;

namespace AutoencoderPS.Engine.Text
{
    /// <summary>
    /// The two number formats of an explanation ("G4" for values, "0" for shares), written without .NET's general
    /// float formatter where the answer is certain: scored files explain every row, and that formatter was the largest
    /// single cost of writing them. Where the rounding is close to a tie (the exact value of the double decides), or the
    /// value is outside the ranges handled, the methods return false and the caller uses <see cref="double.TryFormat(Span{char}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>;
    /// the results are the same characters either way (tests compare them on millions of values and several cultures).
    /// </summary>
    internal static class ShortNumberFormat
    {
        private static readonly double[] PowersOfTen = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 };

        // A scaled value this close to a rounding tie is left to .NET: the one product below is off by at most
        // 1e4 * 2^-53 (about 1e-12) from the exact one, so farther from a tie the rounding direction is certain.
        private const double TieMargin = 1e-6;

        /// <summary>As <c>d.ToString("G4", format)</c> for 1e-4 &lt;= |d| &lt; 1e4, into <paramref name="destination"/>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public static bool TryFormatG4(double d, NumberFormatInfo format, Span<char> destination, out int written)
        {
            written = 0;
            double a = Math.Abs(d);
            if (!(a >= 1e-4 && a < 1e4)) return false;
            // The decimal exponent of the leading digit, then four significant digits as an integer.
            int e = a >= 1000 ? 3 : a >= 100 ? 2 : a >= 10 ? 1 : a >= 1 ? 0 : a >= 0.1 ? -1 : a >= 0.01 ? -2 : a >= 0.001 ? -3 : -4;
            double m = a * PowersOfTen[3 - e];
            double floor = Math.Floor(m);
            double fraction = m - floor;
            if (Math.Abs(fraction - 0.5) < TieMargin) return false;
            int digits = (int)floor + (fraction > 0.5 ? 1 : 0);
            if (digits < 1000 || digits >= 10000) return false; // rounded up to the next power of ten: rare, and .NET's to lay out
            string negative = format.NegativeSign, point = format.NumberDecimalSeparator;
            Span<char> four = stackalloc char[4];
            for (int k = 3; k >= 0; k--) { four[k] = (char)('0' + digits % 10); digits /= 10; }
            int significant = 4;
            while (significant > 1 && four[significant - 1] == '0' && significant > e + 1) significant--; // trailing zeros after the point
            int length = (d < 0 ? negative.Length : 0)
                + (e >= 0 ? e + 1 + (significant > e + 1 ? point.Length + significant - e - 1 : 0) : 1 + point.Length + (-e - 1) + significant);
            if (length > destination.Length) return false;
            int at = 0;
            if (d < 0) { negative.AsSpan().CopyTo(destination); at = negative.Length; }
            if (e >= 0)
            {
                four.Slice(0, e + 1).CopyTo(destination.Slice(at));
                at += e + 1;
                if (significant > e + 1)
                {
                    point.AsSpan().CopyTo(destination.Slice(at));
                    at += point.Length;
                    four.Slice(e + 1, significant - e - 1).CopyTo(destination.Slice(at));
                    at += significant - e - 1;
                }
            }
            else
            {
                destination[at++] = '0';
                point.AsSpan().CopyTo(destination.Slice(at));
                at += point.Length;
                for (int k = 0; k < -e - 1; k++) destination[at++] = '0';
                four.Slice(0, significant).CopyTo(destination.Slice(at));
                at += significant;
            }
            written = at;
            return true;
        }

        /// <summary>As <c>d.ToString("0", format)</c> for 0 &lt;= d &lt; 1e9 (not negative zero).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public static bool TryFormatWhole(double d, Span<char> destination, out int written)
        {
            written = 0;
            if (!(d >= 0 && d < 1e9) || double.IsNegative(d)) return false;
            double floor = Math.Floor(d);
            double fraction = d - floor;
            if (Math.Abs(fraction - 0.5) < TieMargin) return false;
            long value = (long)floor + (fraction > 0.5 ? 1 : 0);
            return value.TryFormat(destination, out written, default, CultureInfo.InvariantCulture);
        }
    }
}
