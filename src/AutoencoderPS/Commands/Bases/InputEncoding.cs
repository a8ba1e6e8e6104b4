using System.Text;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// The -Encoding of every cmdlet that reads CSV files (Test-Anomaly, Invoke-AutoencoderTraining, Invoke-AnomalyScoring,
    /// Register-AnomalyScoringTask): the names Get-Content knows, a code page number (1252) or a WebName (windows-1252).
    /// </summary>
    internal static class InputEncoding
    {
        /// <summary>The encoding <paramref name="name"/> names; an <see cref="System.ArgumentException"/> when none.</summary>
        public static Encoding Parse(string name) => name.ToLowerInvariant() switch
        {
            "utf8" or "utf8nobom" or "utf-8" => new UTF8Encoding(false),
            "utf8bom" => new UTF8Encoding(true),
            "unicode" or "utf-16" => Encoding.Unicode,
            "bigendianunicode" => Encoding.BigEndianUnicode,
            "utf32" => Encoding.UTF32,
            "ascii" => Encoding.ASCII,
            "latin1" => Encoding.Latin1,
            _ => int.TryParse(name, out int codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(name),
        };
    }
}
