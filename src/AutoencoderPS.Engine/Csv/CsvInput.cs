using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>How to read a CSV export.</summary>
    public sealed class CsvInputOptions
    {
        /// <summary>Culture of numbers and dates in the file (default invariant: "1.5").</summary>
        public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

        /// <summary>Field separator; by default the culture's list separator (";" for de-DE), or "," for the invariant culture.</summary>
        public string? Delimiter { get; init; }

        /// <summary>Text encoding; a byte-order mark, when present, wins. Default UTF-8.</summary>
        public Encoding? Encoding { get; init; }

        /// <summary>Column names for a file without a header row.</summary>
        public IReadOnlyList<string>? Header { get; init; }

        /// <summary>
        /// For CSV written from this input: give fields a spreadsheet would run as formulas a leading apostrophe
        /// (<see cref="FormulaGuard"/>). Off by default: a scored file copies its source.
        /// </summary>
        public bool NeutralizeFormulas { get; init; }

        public string EffectiveDelimiter =>
            !string.IsNullOrEmpty(Delimiter) ? Delimiter
            : Culture.Equals(CultureInfo.InvariantCulture) ? ","
            : Culture.TextInfo.ListSeparator;

        internal CsvConfiguration Configuration(bool hasHeader) => new CsvConfiguration(Culture)
        {
            Delimiter = EffectiveDelimiter,
            HasHeaderRecord = hasHeader,
            DetectDelimiter = false,
            BadDataFound = null,
            MissingFieldFound = null,
            IgnoreBlankLines = true,
        };
    }

    /// <summary>The column names of one CSV file.</summary>
    public sealed class CsvHeader
    {
        private readonly Dictionary<string, int> index;

        public CsvHeader(IReadOnlyList<string> names, string file, bool given = false)
        {
            Given = given;
            Names = names.ToArray();
            index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < Names.Count; i++)
                // Unnamed columns (a trailing delimiter in the header) can't be looked up, so they never clash.
                if (Names[i].Trim().Length > 0 && !index.TryAdd(Names[i], i))
                    throw new AutoencoderException(ErrorIds.DuplicateColumn, $"File '{file}': column '{Names[i]}' appears more than once in the header." +
                        (Names[0].TrimStart().StartsWith('#')
                            ? $" Its first line, which starts '{Text.PrintableText.Cut(Names[0].Trim(), 40)}', looks like an annotation or a comment, not " +
                              "column names (InfluxDB's annotated CSV starts with #group, #datatype and #default lines, and holds one measurement per row: " +
                              "drop its # lines and pivot its rows with ConvertTo-LogWindow -MetricProperty _field -ValueProperty _value, as Get-Help ConvertTo-LogWindow shows)."
                            : ""));
        }

        public IReadOnlyList<string> Names { get; }

        /// <summary>
        /// Whether a record is the type line that Windows PowerShell's Export-Csv and ConvertTo-Csv write above the header
        /// unless told -NoTypeInformation (<c>#TYPE System.Management.Automation.PSCustomObject</c>): its first field starts
        /// with "#TYPE ". The type name is written as it is, unquoted, so a generic type's (KeyValuePair`2[[System.String,
        /// mscorlib, ...]]) holds commas and splits into more fields. Import-Csv skips the line, read as raw text, when it is
        /// the first; every reader here skips it there too (and only there).
        /// </summary>
        public static bool IsTypeLine(IReadOnlyList<string> fields) =>
            fields.Count >= 1 && fields[0].StartsWith(TypeLinePrefix, StringComparison.OrdinalIgnoreCase);

        private const string TypeLinePrefix = "#TYPE ";

        /// <summary>Names given for a file without a header row (-Header), not read from the file.</summary>
        public bool Given { get; }

        /// <summary>A header met again among the rows (<see cref="RepeatedHeader"/>): the line it is on, else 0.</summary>
        public long Line { get; init; }

        /// <summary>A header met again among the rows, of another layout: the header it replaces for the rows after it.</summary>
        public CsvHeader? Replaces { get; init; }

        /// <summary>
        /// Null when a row of <paramref name="fields"/> fields (<paramref name="field"/> gives the i-th) fits this header,
        /// else the FieldCountMismatch error to reject it with (FeatureValueException.FieldCountMismatch): the one rule for
        /// every reader. It fits with as many fields; with fewer when the columns it lacks have no name (a delimiter at
        /// the end of the header alone); with more when the extras are blank (a delimiter at the end of each row) or the
        /// header was given (-Header naming only the first columns, as Import-Csv takes it). Otherwise its values would
        /// be read by position under the wrong columns.
        /// </summary>
        public FeatureValueException? Fit(int fields, Func<int, string> field)
        {
            int expected = Names.Count;
            if (fields == expected) return null;
            if (fields < expected)
            {
                for (int i = fields; i < expected; i++)
                    if (Names[i].Trim().Length > 0) return FeatureValueException.FieldCountMismatch(fields, Names, null);
                return null;
            }
            if (Given) return null;
            for (int i = expected; i < fields; i++)
            {
                string extra = field(i);
                if (!string.IsNullOrWhiteSpace(extra)) return FeatureValueException.FieldCountMismatch(fields, Names, extra);
            }
            return null;
        }

        public int IndexOf(string name) => index.TryGetValue(name, out int i) ? i : -1;

        /// <summary>
        /// Whether another file's rows fit under this header: the same columns in the same order, names compared without
        /// case, a perfmon time column named after any zone (<see cref="Features.Windows.TimeColumn.SameColumn"/>).
        /// </summary>
        public bool SameColumns(CsvHeader other) =>
            ReferenceEquals(this, other) ||
            Names.Count == other.Names.Count && Names.Zip(other.Names).All(n => Features.Windows.TimeColumn.SameColumn(n.First, n.Second));

        /// <summary>
        /// Whether another file's rows have this header's columns, maybe in another order: each of its named columns is one
        /// of these and each of these one of its (a perfmon time column named after any zone), so each row can be written
        /// under these columns by name.
        /// </summary>
        public bool SameColumnSet(CsvHeader other)
        {
            if (SameColumns(other)) return true;
            static int Named(CsvHeader h) => h.Names.Count(n => n.Trim().Length > 0);
            if (Named(this) != Named(other)) return false;
            foreach (var name in other.Names)
                if (name.Trim().Length > 0 && IndexOf(name) < 0 && Features.Windows.TimeColumn.Find(name, Names) == null) return false;
            return true;
        }

        /// <summary>
        /// The index in this header of an output's column named <paramref name="output"/> (<see cref="SameColumnSet"/>): a
        /// perfmon time column is found whatever zone its name says.
        /// </summary>
        public int IndexOfOutputColumn(string output) => IndexOf(Features.Windows.TimeColumn.Find(output, Names) ?? output);
    }

    /// <summary>One data row of a CSV file: raw text fields, and where they came from.</summary>
    public sealed class CsvRecord : IRecord
    {
        internal CsvRecord(CsvHeader header, string[] fields, string file, long line)
        {
            Header = header;
            Fields = fields;
            File = file;
            Line = line;
        }

        public CsvHeader Header { get; }
        public IReadOnlyList<string> Fields { get; }
        public string File { get; }

        /// <summary>Line number (1-based) where the row starts in the file.</summary>
        public long Line { get; }

        public IEnumerable<string> ColumnNames => Header.Names;

        /// <summary>The file's last row, ending inside a quoted field no quote closes: cut off (<see cref="UnclosedQuote(CsvHeader, int, string)"/>).</summary>
        public bool EndsInOpenQuote { get; internal set; }

        /// <summary>The first field whose bytes are not UTF-8, in a file read as UTF-8; null when there is none.</summary>
        public NotUtf8Field? NotUtf8 { get; internal set; }

        /// <summary>
        /// Null when the row's fields fit its header (as many, or more whose extras are all blank: a delimiter at the end of
        /// each row), it is whole and its text was read as it is; else the FieldCountMismatch error to reject it with
        /// (FeatureValueException.FieldCountMismatch), UnclosedQuote for a last row cut off inside a quoted field, or
        /// InputNotUtf8 for a row with bytes that are not UTF-8 in a file read as UTF-8 (<see cref="NotUtf8Field"/>).
        /// </summary>
        public FeatureValueException? FieldCountError() =>
            EndsInOpenQuote ? UnclosedQuote(Header, Fields.Count, Fields[^1])
            : (Fields.Count == Header.Names.Count ? null : Header.Fit(Fields.Count, i => Fields[i])) ?? NotUtf8?.RowError(Header);

        /// <summary>The error of a row of <paramref name="fields"/> fields, the last (<paramref name="last"/>) cut off inside its quotes.</summary>
        internal static FeatureValueException UnclosedQuote(CsvHeader header, int fields, string last) =>
            FeatureValueException.UnclosedQuote(fields <= header.Names.Count ? header.Names[fields - 1] : $"(field {fields})", last);

        /// <summary>Throws the FieldCountMismatch (or UnclosedQuote) of <paramref name="record"/> when it is a CSV row that does not fit its header.</summary>
        public static void ThrowIfMisshapen(IRecord record)
        {
            if (record is CsvRecord csv && csv.FieldCountError() is { } misshapen) throw misshapen;
        }

        /// <summary>The field at a header index, or null when the row is shorter.</summary>
        public string? FieldAt(int index) => index < Fields.Count ? Fields[index] : null;

        public bool TryGetValue(string column, out object? value)
        {
            int i = Header.IndexOf(column);
            // A short row lacks the trailing columns (missing); readers reject one whose lacking columns are named (CsvHeader.Fit).
            if (i < 0 || i >= Fields.Count)
            {
                value = null;
                return i >= 0;
            }
            value = Fields[i];
            return true;
        }
    }

    /// <summary>Streams rows from CSV files with CsvHelper, one at a time.</summary>
    public static class CsvSource
    {
        /// <summary>Reads the header of a file (or the given one) without reading its rows.</summary>
        public static CsvHeader ReadHeader(string path, CsvInputOptions options)
        {
            options = ForFile(path, options, out bool sepLine);
            using var reader = Open(path, options, out var watch);
            using var parser = new CsvParser(Bounded(reader, path, options), options.Configuration(options.Header == null));
            if (sepLine) parser.Read();
            return HeaderOf(parser, path, options, watch);
        }

        /// <summary>
        /// Streams the rows of a file. A file that shrinks while it is read (truncated or rewritten under the reader)
        /// ends with an <see cref="AutoencoderException"/> <see cref="ErrorIds.InputFileShrank"/>, and its last row, which may be torn, is
        /// not returned: every row is held back until the next one is read or the end is known to be the real end.
        /// </summary>
        /// <para>
        /// A header met again among the rows in another layout (<see cref="RepeatedHeader"/>: files joined into one) is not
        /// a row: the rows after it carry it as their <see cref="CsvRecord.Header"/>, and <paramref name="remapped"/> is told
        /// the first time, with the warning to give.
        /// </para>
        public static IEnumerable<CsvRecord> Read(string path, CsvInputOptions options, Action<string>? remapped = null)
        {
            options = ForFile(path, options, out bool sepLine);
            using var reader = Open(path, options, out var watch);
            long lengthAtOpen = reader.BaseStream.Length;
            using var parser = new CsvParser(Bounded(reader, path, options), options.Configuration(options.Header == null));
            if (sepLine) parser.Read();
            var header = HeaderOf(parser, path, options, watch);
            if (header == null) yield break;
            CsvRecord? held = null;
            // With a header read from the file, HeaderOf has passed a type line above it; with one given, the first line
            // may still be one.
            bool first = header.Given;
            // The raw text of the held record once the reader has the file's end in its buffer (only the last few
            // kilobytes' records pay for it): the last record may end inside a quoted field that is never closed.
            string? heldRaw = null;
            while (true)
            {
                // A record past the bound (BoundedRecordReader) ends the file there; the row before it is whole (the
                // record after it has begun), so it is returned first.
                AutoencoderException? tooLong = null;
                bool more;
                try { more = parser.Read(); }
                catch (AutoencoderException e) when (e.ErrorId == ErrorIds.CsvRecordTooLong) { tooLong = e; more = false; }
                if (tooLong != null)
                {
                    if (held != null) yield return held;
                    throw tooLong;
                }
                if (!more) break;
                var fields = parser.Record;
                if (fields == null || IsSpaceLine(parser)) continue;
                var notUtf8 = watch?.Take(fields);
                if (first)
                {
                    first = false;
                    if (CsvHeader.IsTypeLine(fields)) continue;
                }
                if (!header.Given && RepeatedHeader.Classify(header, fields) == HeaderRepeat.Other)
                {
                    bool firstRemap = header.Replaces == null;
                    header = RepeatedHeader.Remap(header, fields, path, StartLine(parser));
                    if (firstRemap) remapped?.Invoke(RepeatedHeader.Warning(header, path));
                    continue;
                }
                if (held != null) yield return held;
                held = new CsvRecord(header, fields, path, StartLine(parser)) { NotUtf8 = notUtf8 };
                heldRaw = reader.EndOfStream ? parser.RawRecord : null;
            }
            // The length of the file being read (its open handle), not of whatever file the path names by now: a
            // rotated log moved aside and replaced is still read whole.
            long lengthNow = reader.BaseStream.Length;
            if (lengthNow < lengthAtOpen)
                throw new AutoencoderException(ErrorIds.InputFileShrank,
                    $"File '{path}' shrank from {lengthAtOpen} to {lengthNow} bytes while it was read (truncated or rewritten); " +
                    "the rows before the cut were read, the last, possibly torn, row was not.");
            if (held != null && heldRaw != null && CsvRecordReader.TextEndsInOpenQuote(heldRaw, options.EffectiveDelimiter))
                held.EndsInOpenQuote = true;
            if (held != null) yield return held;
        }

        // A line of spaces and tabs, none of them the delimiter (CsvHelper reads it as one field; a quoted one is a value), is
        // blank, as Import-Csv and the byte reader (CsvRecordReader.IsBlank) take it; CsvHelper skips only empty lines.
        private static bool IsSpaceLine(CsvParser parser) =>
            parser.Count == 1 && parser.RawRecord.AsSpan().TrimEnd("\r\n") is var raw && raw.Length > 0 && !raw.ContainsAnyExcept(' ', '\t');

        // RawRow is the physical line a record ends on (blank lines counted); a quoted field may span lines, which end in
        // LF, CRLF or a lone CR (old Mac exports), as RawRow counts them.
        private static long StartLine(CsvParser parser)
        {
            var raw = parser.RawRecord.AsSpan().TrimEnd("\r\n");
            int breaks = 0;
            for (int i = 0; i < raw.Length; i++)
                if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n'))) breaks++;
            return parser.RawRow - breaks;
        }

        private static CsvHeader HeaderOf(CsvParser parser, string path, CsvInputOptions options, Utf8Watch? watch)
        {
            if (options.Header != null) return new CsvHeader(options.Header, path, given: true);
            bool read, typeLine = false;
            while ((read = parser.Read()) && parser.Record != null && (IsSpaceLine(parser) || (!typeLine && (typeLine = CsvHeader.IsTypeLine(parser.Record)))))
                watch?.Take(parser.Record);
            if (!read || parser.Record == null)
                throw new AutoencoderException(ErrorIds.EmptyCsvFile, typeLine
                    ? $"File '{path}' has only Export-Csv's #TYPE line: it has no header row and no rows (an export of nothing, or one still being written)."
                    : $"File '{path}' is empty: it has no header row. Use -Header for a file without one.");
            // Column names misread would match none of the model's, or name a model's features wrongly: the file is not read.
            if (watch?.Take(parser.Record) is { LooksBinary: false } notUtf8) throw notUtf8.HeaderError(path, StartLine(parser));
            return new CsvHeader(parser.Record.Select(n => n.Trim()).ToArray(), path);
        }

        /// <summary>
        /// The delimiter Excel's first line "sep=X" names (any case, after a UTF-8 byte-order mark, alone on the line), or
        /// null when the file does not start with one. Excel reads the file with that delimiter and not the line as data;
        /// so does every reader here (<see cref="ForFile"/>, the file scorer, the scheduled job).
        /// </summary>
        public static char? SepLineDelimiter(string path)
        {
            Span<byte> start = stackalloc byte[9];
            int read;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
                read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            var line = start.Slice(0, read);
            if (line.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) line = line.Slice(3);
            if (line.Length < 5 || !Ascii.EqualsIgnoreCase(line.Slice(0, 4), "sep="u8)) return null;
            byte d = line[4];
            if (d >= 0x80 || d == '\r' || d == '\n' || d == '"') return null;
            return line.Length == 5 || line[5] == '\r' || line[5] == '\n' ? (char)d : null;
        }

        /// <summary>
        /// The options to read <paramref name="path"/> with: with the delimiter of its "sep=X" first line, which
        /// <paramref name="sepLine"/> says it has (the readers skip it), unless -Delimiter gave one; a -Delimiter that is
        /// another one is a <see cref="ErrorIds.SepLineConflict"/> error (the rows would be read under the wrong columns).
        /// </summary>
        public static CsvInputOptions ForFile(string path, CsvInputOptions options, out bool sepLine)
        {
            RequireRegularFile(path);
            char? sep = SepLineDelimiter(path);
            sepLine = sep != null;
            if (sep == null || options.EffectiveDelimiter == sep.ToString()) return options;
            if (!string.IsNullOrEmpty(options.Delimiter)) throw SepLineConflict(path, sep.Value, options.Delimiter, "-Delimiter");
            return new CsvInputOptions
            {
                Culture = options.Culture, Delimiter = sep.ToString(), Encoding = options.Encoding, Header = options.Header,
                NeutralizeFormulas = options.NeutralizeFormulas,
            };
        }

        /// <summary>The error of a file whose "sep=X" first line names another delimiter than <paramref name="given"/> (<paramref name="what"/> gave it).</summary>
        public static AutoencoderException SepLineConflict(string path, char sep, string given, string what) =>
            new AutoencoderException(ErrorIds.SepLineConflict,
                $"File '{path}' starts with the line 'sep={sep}', which tells Excel its fields are separated by '{sep}', but {what} says '{given}'. " +
                $"Give -Delimiter '{sep}' (or leave it out), or remove the sep= line if the file really uses '{given}'.");

        /// <summary>
        /// Opens a file to read, after <see cref="RequireRegularFile"/>: a FIFO would block the open for good, a device
        /// such as /dev/zero would never end.
        /// </summary>
        // After ForFile, which refused a path that is no regular file before its first bytes were read.
        private static StreamReader Open(string path, CsvInputOptions options, out Utf8Watch? watch)
        {
            // UTF-8 (the default) keeps what it can't decode: a row with such bytes is rejected, not read with U+FFFD (NotUtf8Field).
            watch = null;
            var encoding = options.Encoding is null or UTF8Encoding ? Utf8Watch.Encoding(out watch) : options.Encoding;
            return new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }

        /// <summary>
        /// Throws an <see cref="AutoencoderException"/> <see cref="ErrorIds.NotARegularFile"/> naming what
        /// <paramref name="path"/> is, unless it is a regular file (a link to one included) or absent (the open says so).
        /// </summary>
        public static void RequireRegularFile(string path)
        {
            try { SafeFile.RequireRegularInput(path, "the input file"); }
            catch (NotARegularFileException e) { throw new AutoencoderException(ErrorIds.NotARegularFile, e.Message, e); }
        }

        // CsvHelper has no bound on a record's length: the reader under it keeps one (BoundedRecordReader).
        private static TextReader Bounded(TextReader reader, string path, CsvInputOptions options) =>
            new BoundedRecordReader(reader, path, options.EffectiveDelimiter);
    }
}
