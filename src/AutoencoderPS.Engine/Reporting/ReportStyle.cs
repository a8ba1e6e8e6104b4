using System;
using System.IO;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>The report's stylesheet, AnomalyReport.css beside this file, embedded in the assembly and inlined in every report.</summary>
    internal static class ReportStyle
    {
        internal const string ResourceName = "AutoencoderPS.Engine.Reporting.AnomalyReport.css";

        private static readonly Lazy<string> css = new Lazy<string>(Load);

        /// <summary>The CSS, with \n line ends whatever the checkout's.</summary>
        internal static string Css => css.Value;

        private static string Load()
        {
            using var stream = typeof(ReportStyle).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The resource '{ResourceName}' is missing from the engine assembly.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Replace("\r\n", "\n");
        }
    }
}
