using System.Globalization;

namespace AutoencoderPS.Engine.Text
{
    /// <summary>A culture as messages name it: "culture 'de-DE'", or "the invariant culture" (whose name is empty).</summary>
    public static class CultureText
    {
        public static string Describe(CultureInfo culture) =>
            culture.Name.Length == 0 ? "the invariant culture" : $"culture '{culture.Name}'";
    }
}
