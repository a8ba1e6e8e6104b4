using System;
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
        public static Encoding Parse(string name)
        {
            try
            {
                return name.ToLowerInvariant() switch
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
            // A code page with no encoding is NotSupportedException, not ArgumentException; .NET's own words for either
            // send the user to Encoding.RegisterProvider.
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException)
            {
                throw new ArgumentException(
                    $"'{name}' is not an encoding this system knows. Give utf8, utf8BOM, unicode, bigendianunicode, utf32, ascii, " +
                    "latin1, a code page number such as 1252, or a name such as windows-1252 (Tab after -Encoding lists them).", e);
            }
        }
    }
}
