using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// A field of a file read as UTF-8 whose bytes are not UTF-8: the file is in another encoding, most often Windows-1252
    /// (Excel's "CSV (Comma delimited)", Windows PowerShell 5.1's Export-Csv, Out-File and Set-Content). Read on, its
    /// letters would turn into U+FFFD: 'Zürich' into 'Z\uFFFDrich', a category the model never saw, so every such row would
    /// be an anomaly, an incident at one site that is none. So the row is rejected (<see cref="RowError"/>), or the file
    /// when it is the header (<see cref="HeaderError"/>), with the bytes named and -Encoding advised; the other rows
    /// are read. Every reader finds such fields: the byte reader (<see cref="CsvRecordReader.NotUtf8"/>) and CsvHelper's
    /// (<see cref="Utf8Watch"/>).
    /// </summary>
    public sealed class NotUtf8Field
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        internal NotUtf8Field(int index, byte[] bytes)
        {
            Index = index;
            Bytes = bytes;
        }

        /// <summary>The field's place in its record (0-based).</summary>
        public int Index { get; }

        /// <summary>The field's bytes, as they are in the file (without its quotes).</summary>
        public byte[] Bytes { get; }

        /// <summary>
        /// The field holds control characters (other than a tab): no text export at all (a binary file among the exports),
        /// which the missing-columns error says of a header (ColumnMismatch), where -Encoding would be the wrong advice.
        /// </summary>
        public bool LooksBinary => Bytes.Any(b => b < 0x20 && b != (byte)'\t');

        /// <summary>Whether <paramref name="bytes"/> are UTF-8 (ASCII is): one vectorized pass.</summary>
        public static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

        /// <summary>The error of a row that holds this field under <paramref name="header"/>: the row is not read.</summary>
        public FeatureValueException RowError(CsvHeader header)
        {
            string column = Index < header.Names.Count ? header.Names[Index] : $"(field {Index + 1})";
            string value = Utf8.GetString(Bytes);
            return new FeatureValueException(FeatureValueProblem.NotText, column, value,
                $"column '{column}' has value '{Text.PrintableText.Cut(value, 60)}', {Explain()}", ErrorIds.InputNotUtf8);
        }

        /// <summary>The error of a header (line <paramref name="line"/> of <paramref name="file"/>) that holds this field: the file is not read.</summary>
        public AutoencoderException HeaderError(string file, long line) =>
            new AutoencoderException(ErrorIds.InputNotUtf8,
                $"File '{file}', line {line}: column {Index + 1} of the header, '{Text.PrintableText.Cut(Utf8.GetString(Bytes), 60)}', {Explain()} " +
                "The file is not read: its column names would be misread.");

        // What is wrong, what the value most likely is, and what to do.
        private string Explain()
        {
            var invalid = InvalidSequences(Bytes).Take(3).Select(s => string.Join(" ", s.Select(b => $"0x{b:X2}"))).ToList();
            bool one = invalid.Count == 1 && !invalid[0].Contains(' ');
            string guess = AsWindows1252(Bytes) is { } read ? $": it is '{Text.PrintableText.Cut(read, 60)}' in Windows-1252" : "";
            return $"whose byte{(one ? "" : "s")} {string.Join(", ", invalid)} {(one ? "is" : "are")} not UTF-8, the encoding the file is read in{guess}. " +
                   "The file is in another encoding, most likely a Windows code page (as Excel's 'CSV (Comma delimited)' and Windows PowerShell " +
                   "5.1's Export-Csv and Out-File write): give -Encoding 1252 (Western European) or the export's code page (1250, 1251, ...).";
        }

        // The maximal invalid subsequences of bytes, as a decoder replaces each with one U+FFFD.
        private static IEnumerable<byte[]> InvalidSequences(byte[] bytes)
        {
            int i = 0;
            while (i < bytes.Length)
            {
                var status = System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(i), out _, out int used);
                if (status != System.Buffers.OperationStatus.Done) yield return bytes.AsSpan(i, used).ToArray();
                i += Math.Max(1, used);
            }
        }

        // The bytes read as Windows-1252, when that gives printable text (the code page's five unassigned bytes do not).
        private static string? AsWindows1252(byte[] bytes)
        {
            var cp1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
            if (cp1252 == null) return null;
            string text = cp1252.GetString(bytes);
            return text.Any(c => c == '\uFFFD' || char.IsControl(c) && c != '\t') ? null : text;
        }
    }
}
