using System;
using System.Globalization;
using System.Net;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>How the report writes text, numbers and times (invariant culture, HTML-escaped), for the page and the chart alike.</summary>
    internal static class ReportText
    {
        internal static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        /// <summary>HTML-escapes text for element content and attribute values (&lt; &gt; &amp; " ').</summary>
        internal static string E(string text) => WebUtility.HtmlEncode(text);

        /// <summary>A count, with thousands separators.</summary>
        internal static string N(long value) => value.ToString("N0", Invariant);

        /// <summary>A score or threshold: four significant digits, NaN and ∞ spelled out.</summary>
        internal static string Num(double value) =>
            double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "∞" : "-∞") : value.ToString("G4", Invariant);

        /// <summary>An anomaly probability: five significant digits, so 0.99 and 0.9999 differ.</summary>
        internal static string Probability(double value) => double.IsNaN(value) ? "NaN" : value.ToString("G5", Invariant);

        /// <summary>A time to the minute, or to the second where it has seconds.</summary>
        internal static string Time(DateTime t) =>
            t.ToString(t.Second == 0 && t.Millisecond == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss", Invariant);
    }
}
