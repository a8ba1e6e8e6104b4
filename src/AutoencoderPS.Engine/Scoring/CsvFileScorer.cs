using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// Scores a UTF-8 CSV file into a <see cref="ScoredCsvWriter"/> working on the file's bytes: records are found
    /// and split in place, numbers are read from the bytes, and each row's own fields are copied to the output as
    /// they were, so a row costs no strings unless a value needs the general readers (text, dates, unusual numbers)
    /// or the row is rejected. Rows are read, featurized, scored and written exactly as the record path
    /// (<see cref="CsvSource.Read"/>, <see cref="FeatureSchema.Featurize(IRecord, CultureInfo, Span{double}, MissingValuePolicy, ICollection{string}?)"/>,
    /// <see cref="ScoredCsvWriter.Write"/>) does; <see cref="Unsupported"/> says which files must take that path.
    /// <para>
    /// Records follow RFC 4180 as <see cref="CsvRecordScanner"/> reads them: a record ends at a line feed outside
    /// quotes (LF or CRLF), a quote opens a quoted field only as its first character, blank lines are skipped.
    /// </para>
    /// </summary>
    public sealed class CsvFileScorer : IScoredRowSink<CsvFileScorer.Pending>
    {
        private const byte Quote = (byte)'"';
        private const byte LineFeed = (byte)'\n';
        private const byte CarriageReturn = (byte)'\r';
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        private readonly FeatureSchema schema;
        private readonly ScoredCsvWriter output;
        private readonly ScoringPipeline<Pending> pipeline;
        private readonly CultureInfo culture;
        private readonly byte delimiter;
        private readonly char point;
        private readonly MissingValuePolicy policy;

        // The rows waiting in the pipeline: their bytes one after another in the arena, and per row its place in the
        // arena and missing fields, or its record when it was read field by field.
        private byte[] arena = new byte[1 << 16];
        private int arenaUsed;
        private readonly List<string> imputedScratch = new List<string>();

        /// <summary>A row waiting to be written: its bytes in the arena, or its record (read field by field).</summary>
        public readonly struct Pending
        {
            internal Pending(int offset, int length, int missingFields, CsvRecord? record)
            {
                Offset = offset;
                Length = length;
                MissingFields = missingFields;
                Record = record;
            }

            internal int Offset { get; }
            internal int Length { get; }
            internal int MissingFields { get; }
            internal CsvRecord? Record { get; }
        }

        /// <summary>A scorer of files into <paramref name="output"/> with <paramref name="model"/> (a trained row model).</summary>
        public CsvFileScorer(AutoencoderModel model, ScoredCsvWriter output, CsvInputOptions options, int batchSize, MissingValuePolicy policy)
            : this(model, output, options, new ScoringOptions { BatchSize = batchSize }, policy)
        {
        }

        /// <summary>A scorer of files into <paramref name="output"/> with <paramref name="model"/> (a trained row model).</summary>
        public CsvFileScorer(AutoencoderModel model, ScoredCsvWriter output, CsvInputOptions options, ScoringOptions scoring, MissingValuePolicy policy)
        {
            if (model == null) throw new ArgumentNullException(nameof(model));
            if (model.Settings.IsWindowed) throw new ArgumentException("A sliding-window model's files are read record by record.", nameof(model));
            this.output = output ?? throw new ArgumentNullException(nameof(output));
            pipeline = new ScoringPipeline<Pending>(model, scoring, this, sinkKeepsScores: false);
            schema = pipeline.Schema;
            culture = options.Culture;
            delimiter = (byte)options.EffectiveDelimiter[0];
            char plain = NumberParser.PlainDecimalPoint(culture);
            // A separator outside ASCII could match a byte inside a longer UTF-8 character: such numbers take the general reader.
            point = plain < 0x80 ? plain : '\0';
            this.policy = policy;
        }

        /// <summary>Rows scored and written.</summary>
        public long Rows => pipeline.Scored;

        /// <summary>Rows scored as anomalies.</summary>
        public long Anomalies => pipeline.Anomalies;

        /// <summary>
        /// Called with a row that could not be featurized (as a record, for the error's location), why, and its number
        /// among the file's data records (1-based); the row is not written.
        /// </summary>
        public Action<CsvRecord, FeatureValueException, long>? RowRejected { get; set; }

        /// <summary>Called after each batch with the records read from the current file so far.</summary>
        public Action<long>? Progress { get; set; }

        /// <summary>Asked before each record; true stops the file at once (what is pending is dropped).</summary>
        public Func<bool>? Stopping { get; set; }

        /// <summary>
        /// Null when <paramref name="path"/> can be scored by this class with these options and model; else why not, for
        /// the caller to take the record path: a sliding-window model, an encoding other than UTF-8, a delimiter that is
        /// not one ASCII character, a UTF-16 or UTF-32 file, or line breaks that are a lone CR (which only the record
        /// path reads as line breaks).
        /// </summary>
        public static string? Unsupported(string path, CsvInputOptions options, AutoencoderModel model)
        {
            if (model.Settings.IsWindowed) return "the model reads sliding windows";
            if (options.NeutralizeFormulas) return "formulas are neutralised field by field";
            if (options.Encoding != null && options.Encoding is not UTF8Encoding) return $"the encoding is {options.Encoding.WebName}";
            string d = options.EffectiveDelimiter;
            if (d.Length != 1 || d[0] >= 0x80 || d[0] == '"' || d[0] == '\r' || d[0] == '\n') return $"the delimiter is '{d}'";
            var start = new byte[1 << 16];
            int read;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
                read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            var head = start.AsSpan(0, read);
            if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
                return "the file is UTF-16 or UTF-32";
            for (int i = head.IndexOf(CarriageReturn); i >= 0 && i < head.Length - 1; i = NextIndex(head, i + 1, CarriageReturn))
                if (head[i + 1] != LineFeed) return "its lines end with a lone CR";
            return null;
        }

        private static int NextIndex(ReadOnlySpan<byte> span, int from, byte value)
        {
            int i = span.Slice(from).IndexOf(value);
            return i < 0 ? -1 : from + i;
        }

        /// <summary>
        /// Scores the data rows of <paramref name="path"/>, whose columns are <paramref name="header"/> (read from its
        /// first record, or given: then <paramref name="headerInFile"/> is false and every record is data). Returns false
        /// when <see cref="Stopping"/> stopped it. A file that shrinks while it is read ends with "InputFileShrank" after
        /// the rows before its last one are written; other read failures also write the rows read before them.
        /// </summary>
        public bool Score(string path, CsvHeader header, bool headerInFile)
        {
            int[] fieldOf = new int[schema.Count];
            for (int c = 0; c < fieldOf.Length; c++)
            {
                fieldOf[c] = header.IndexOf(schema.Columns[c].Name);
                if (fieldOf[c] < 0)
                    throw new AutoencoderException("FeatureColumnsMissing", $"File '{path}' lacks the model's feature column '{schema.Columns[c].Name}'.");
            }
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            long lengthAtOpen = file.Length;
            headerOfBatch = header;
            var reader = new RecordReader(file, delimiter);
            bool skipHeader = headerInFile;
            long records = 0;
            try
            {
                while (reader.Next())
                {
                    if (skipHeader) { skipHeader = false; continue; }
                    if (Stopping?.Invoke() == true) { Clear(); return false; }
                    // A full batch is scored when the next record has been read (the pipeline's rule): the file's last
                    // record is held back until the end is known to be the real end.
                    if (pipeline.Pending >= pipeline.BatchSize)
                    {
                        Flush();
                        Progress?.Invoke(records);
                    }
                    records++;
                    Accept(reader, path, header, fieldOf, records);
                }
                if (file.Length < lengthAtOpen)
                {
                    if (pipeline.Pending > 0) DropLast();
                    throw new AutoencoderException("InputFileShrank",
                        $"File '{path}' shrank from {lengthAtOpen} to {file.Length} bytes while it was read (truncated or rewritten); " +
                        "the rows before the cut were read, the last, possibly torn, row was not.");
                }
            }
            catch (Exception e) when ((e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) && !output.Faulted)
            {
                // The rows read before the failure are scored and written; the caller names the file.
                Flush();
                throw;
            }
            Flush();
            Progress?.Invoke(records);
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void Accept(RecordReader reader, string path, CsvHeader header, int[] fieldOf, long ordinal)
        {
            var features = pipeline.RentFeatures();
            imputedScratch.Clear();
            int fieldCount = reader.FieldCount;
            try
            {
                for (int c = 0; c < fieldOf.Length; c++)
                {
                    int f = fieldOf[c];
                    if (f >= fieldCount)
                    {
                        // A short row lacks the trailing columns, as Import-Csv treats them.
                        schema.FeaturizeValue(c, null, culture, features, policy, imputedScratch);
                        continue;
                    }
                    if (reader.Fields == null)
                    {
                        var bytes = reader.Field(f);
                        if (point != '\0' && schema.Columns[c].Role == ColumnRole.Numeric && NumberParser.TryReadPlainDecimal(bytes, point, out double number))
                        {
                            features[schema.FirstSlot(c)] = number;
                            continue;
                        }
                        schema.FeaturizeValue(c, Utf8.GetString(bytes), culture, features, policy, imputedScratch);
                    }
                    else
                    {
                        schema.FeaturizeValue(c, reader.Fields[f], culture, features, policy, imputedScratch);
                    }
                }
            }
            catch (FeatureValueException e)
            {
                pipeline.ReturnFeatures(features);
                RowRejected?.Invoke(new CsvRecord(header, reader.DecodeFields(), path, reader.Line), e, ordinal);
                return;
            }
            var imputed = imputedScratch.Count > 0 ? imputedScratch.ToArray() : null;
            Pending entry;
            if (reader.Fields != null)
            {
                // Read field by field (quotes): written as fields, quoted as the writer quotes.
                entry = new Pending(0, 0, 0, new CsvRecord(header, reader.Fields, path, reader.Line));
            }
            else
            {
                // The row's bytes up to the last column the header names (extra fields are not written, as before).
                var raw = reader.Raw(Math.Min(fieldCount, header.Names.Count));
                if (raw.Length > arena.Length - arenaUsed) Array.Resize(ref arena, Math.Max(arena.Length * 2, arenaUsed + raw.Length));
                raw.CopyTo(arena.AsSpan(arenaUsed));
                entry = new Pending(arenaUsed, raw.Length, Math.Max(0, header.Names.Count - fieldCount), null);
                arenaUsed += raw.Length;
            }
            pipeline.Add(entry, features, imputed);
        }

        // The header of the file being scored: every row of a batch has it (a file's last batch is written before the next file).
        private CsvHeader? headerOfBatch;

        private void DropLast()
        {
            pipeline.DropLast();
            if (pipeline.Pending == 0) arenaUsed = 0;
        }

        private void Flush()
        {
            try
            {
                pipeline.Flush();
            }
            finally
            {
                // A batch is written once: after a failure its rows are not retried (and so never written twice).
                arenaUsed = 0;
            }
        }

        private void Clear()
        {
            pipeline.Clear();
            arenaUsed = 0;
        }

        /// <summary>The pipeline's sink: a scored row goes to the output, as its own bytes when it has them.</summary>
        void IScoredRowSink<Pending>.Write(Pending row, RowScore? score, IReadOnlyList<string>? imputed)
        {
            if (row.Record != null) output.Write(row.Record, score!, imputed, schema);
            else output.WriteRaw(headerOfBatch!, arena.AsSpan(row.Offset, row.Length), row.MissingFields, score!, imputed, schema);
        }

        /// <summary>
        /// Finds records in a stream of bytes. An unquoted record (the common case) is split in place: its fields are
        /// byte ranges of the buffer. A record with a quote is read by a state machine into strings (<see cref="Fields"/>).
        /// </summary>
        private sealed class RecordReader
        {
            private readonly Stream stream;
            private readonly byte delimiter;
            private byte[] buffer = new byte[1 << 20];
            private int start, filled, next;
            private bool end, first = true;
            private int[] bounds = new int[64]; // field i is [bounds[2i], bounds[2i+1]) of buffer
            private long nextLine = 1;

            public RecordReader(Stream stream, byte delimiter)
            {
                this.stream = stream;
                this.delimiter = delimiter;
            }

            public int FieldCount { get; private set; }

            /// <summary>The fields of a record read field by field (it has a quote), else null.</summary>
            public string[]? Fields { get; private set; }

            /// <summary>The physical line (1-based) the record starts on.</summary>
            public long Line { get; private set; }

            public ReadOnlySpan<byte> Field(int i) => buffer.AsSpan(bounds[2 * i], bounds[2 * i + 1] - bounds[2 * i]);

            /// <summary>The record's bytes from its start to the end of field <paramref name="count"/> - 1.</summary>
            public ReadOnlySpan<byte> Raw(int count) => count == 0 ? default : buffer.AsSpan(bounds[0], bounds[2 * count - 1] - bounds[0]);

            public string[] DecodeFields()
            {
                if (Fields != null) return Fields;
                var fields = new string[FieldCount];
                for (int i = 0; i < fields.Length; i++) fields[i] = Utf8.GetString(Field(i));
                return fields;
            }

            /// <summary>Moves to the next record that is not blank; false at the end of the stream.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public bool Next()
            {
                while (true)
                {
                    start = next;
                    int lf = start < filled ? buffer.AsSpan(start, filled - start).IndexOf(LineFeed) : -1;
                    if (lf < 0 && !end)
                    {
                        Fill();
                        continue;
                    }
                    if (lf < 0 && start >= filled) return false;
                    int lineEnd = lf < 0 ? filled : start + lf;
                    var line = buffer.AsSpan(start, lineEnd - start);
                    if (line.IndexOf(Quote) >= 0)
                    {
                        if (!ReadQuoted()) { Fill(); continue; }
                        return true;
                    }
                    Line = nextLine++;
                    next = lf < 0 ? filled : lineEnd + 1;
                    int contentEnd = lineEnd > start && buffer[lineEnd - 1] == CarriageReturn && lf >= 0 ? lineEnd - 1 : lineEnd;
                    if (contentEnd == start) continue; // a blank line
                    Fields = null;
                    Split(start, contentEnd);
                    return true;
                }
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            private void Split(int from, int to)
            {
                int count = 0;
                int fieldStart = from;
                while (true)
                {
                    int d = buffer.AsSpan(fieldStart, to - fieldStart).IndexOf(delimiter);
                    int fieldEnd = d < 0 ? to : fieldStart + d;
                    if (2 * count + 2 > bounds.Length) Array.Resize(ref bounds, bounds.Length * 2);
                    bounds[2 * count] = fieldStart;
                    bounds[2 * count + 1] = fieldEnd;
                    count++;
                    if (d < 0) break;
                    fieldStart = fieldEnd + 1;
                }
                FieldCount = count;
            }

            // A record with a quote, read byte by byte from start; false when the buffer ends before the record does
            // (and the stream has more). The record's raw bytes stay available as fields are strings here.
            private bool ReadQuoted()
            {
                var fields = new List<string>();
                var field = new List<byte>();
                var state = CsvRecordScanner.State.FieldStart;
                int breaks = 0;
                bool crOutsideQuotes = false;
                for (int i = start; i < filled; i++)
                {
                    byte b = buffer[i];
                    if (b == LineFeed)
                    {
                        breaks++;
                        if (state != CsvRecordScanner.State.Quoted)
                        {
                            if (crOutsideQuotes) field.RemoveAt(field.Count - 1);
                            fields.Add(Decode(field));
                            Finish(fields, breaks, i + 1);
                            return true;
                        }
                    }
                    switch (CsvRecordScanner.Step(ref state, b, delimiter, out crOutsideQuotes))
                    {
                        case CsvRecordScanner.ByteAction.Append: field.Add(b); break;
                        case CsvRecordScanner.ByteAction.EndField: fields.Add(Decode(field)); field.Clear(); break;
                    }
                }
                if (!end) return false;
                // The last record of a file without a final line break (an open quoted field runs to the end).
                fields.Add(Decode(field));
                Finish(fields, breaks + 1, filled);
                return true;
            }

            private void Finish(List<string> fields, int breaks, int after)
            {
                Fields = fields.ToArray();
                FieldCount = Fields.Length;
                Line = nextLine;
                nextLine += breaks;
                next = after;
            }

            private static string Decode(List<byte> bytes) =>
                bytes.Count == 0 ? "" : Utf8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));

            // Keeps the unread part (from the current record's start), then reads more; grows the buffer for a record
            // longer than it.
            private void Fill()
            {
                int keep = filled - start;
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, keep);
                    filled = keep;
                    next -= start;
                    start = 0;
                }
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                int read = stream.Read(buffer, filled, buffer.Length - filled);
                if (first)
                {
                    first = false;
                    // A UTF-8 byte-order mark is not data.
                    while (read < 3 && read > 0)
                    {
                        int more = stream.Read(buffer, filled + read, buffer.Length - filled - read);
                        if (more <= 0) break;
                        read += more;
                    }
                    if (read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                    {
                        Buffer.BlockCopy(buffer, 3, buffer, 0, read - 3);
                        read -= 3;
                    }
                }
                if (read <= 0) end = true;
                else filled += read;
            }
        }
    }
}
