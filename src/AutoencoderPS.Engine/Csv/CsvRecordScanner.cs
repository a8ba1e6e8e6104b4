using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>One complete CSV record read by <see cref="CsvRecordScanner"/>, with its exact place in the file.</summary>
    public sealed class ScannedCsvRecord
    {
        internal ScannedCsvRecord(long start, long end, long line, int lineBreaks, string[]? fields)
        {
            Start = start;
            End = end;
            Line = line;
            LineBreaks = lineBreaks;
            Fields = fields;
        }

        /// <summary>Byte offset of the record's first byte.</summary>
        public long Start { get; }

        /// <summary>Byte offset just after the record's line break: where the next record starts.</summary>
        public long End { get; }

        /// <summary>Physical line (1-based) the record starts on.</summary>
        public long Line { get; }

        /// <summary>Line breaks the record spans, its own terminator included (more than 1 when a quoted field holds line breaks).</summary>
        public int LineBreaks { get; }

        /// <summary>The fields, unquoted; null for a blank line.</summary>
        public string[]? Fields { get; }

        public bool IsBlank => Fields == null;
    }

    /// <summary>
    /// Reads CSV records from a byte range of a file and says exactly where each one ends, which a TextReader-based
    /// parser can't: incremental scoring resumes at a byte offset. A record ends at a line break outside quotes (LF,
    /// CRLF, or a lone CR as old Mac exports have, as CsvHelper reads them); a quoted field may span lines. Bytes after
    /// the last complete record (a line still being written, or a quoted field not yet closed) are not returned, so the
    /// caller leaves them for the next run. A CR that is the range's last byte ends its record; a scan that starts on
    /// the LF of that CRLF skips it.
    /// <para>
    /// A record is bounded: one that grows past <see cref="MaxRecordBytes"/> bytes or <see cref="MaxRecordLines"/>
    /// line breaks (a stray quote that opens a field and is never closed swallows the rest of the file) is an
    /// <see cref="AutoencoderException"/> <see cref="ErrorIds.CsvRecordTooLong"/> naming the file and the line it starts on, so memory stays
    /// bounded and the file is not silently stuck.
    /// </para>
    /// <para>
    /// Fields follow RFC 4180, as CsvHelper reads them: a quote opens a quoted field only as the field's first
    /// character, two quotes inside one are a quote, and a quote anywhere else is data. Text after a closing quote is
    /// kept (a lenient reading of malformed input). The scanner works on bytes, so the encoding must encode the
    /// delimiter, the quote and the line feed as those single ASCII bytes and never use those bytes inside another
    /// character: UTF-8, Latin-1 and the ANSI code pages do, UTF-16 and UTF-32 don't (<see cref="CheckEncoding"/>).
    /// </para>
    /// </summary>
    public sealed class CsvRecordScanner
    {
        private const byte Quote = (byte)'"';
        private const byte LineFeed = (byte)'\n';
        private const byte CarriageReturn = (byte)'\r';

        /// <summary>Where a record's reader stands: at a field's start, in an unquoted or quoted field, after a quote inside one.</summary>
        internal enum State { FieldStart, Unquoted, Quoted, QuoteInQuoted }

        /// <summary>What a byte (other than a record-ending line feed) does to the field being read.</summary>
        internal enum ByteAction { None, Append, EndField }

        /// <summary>
        /// One byte of a record outside its ending line feed, by RFC 4180 as CsvHelper reads it: a quote opens a quoted
        /// field only as its first character, two quotes inside one are a quote, a quote anywhere else is data.
        /// <paramref name="crOutsideQuotes"/> says whether the byte was a CR outside quotes (part of a CRLF if a line feed follows).
        /// </summary>
        internal static ByteAction Step(ref State state, byte b, byte delimiter, out bool crOutsideQuotes)
        {
            crOutsideQuotes = false;
            switch (state)
            {
                case State.FieldStart:
                    if (b == Quote) { state = State.Quoted; return ByteAction.None; }
                    if (b == delimiter) return ByteAction.EndField;
                    state = State.Unquoted;
                    crOutsideQuotes = b == CarriageReturn;
                    return ByteAction.Append;
                case State.Unquoted:
                    if (b == delimiter) { state = State.FieldStart; return ByteAction.EndField; }
                    crOutsideQuotes = b == CarriageReturn;
                    return ByteAction.Append;
                case State.Quoted:
                    if (b == Quote) { state = State.QuoteInQuoted; return ByteAction.None; }
                    return ByteAction.Append;
                default: // QuoteInQuoted
                    if (b == Quote) { state = State.Quoted; return ByteAction.Append; }
                    if (b == delimiter) { state = State.FieldStart; return ByteAction.EndField; }
                    state = State.Unquoted;
                    crOutsideQuotes = b == CarriageReturn;
                    return ByteAction.Append;
            }
        }

        private readonly SafeFileHandle handle;
        private readonly long end;
        private readonly Encoding encoding;
        private readonly byte delimiter;
        private readonly int bufferSize;
        private readonly string file;
        private long position;
        private long line;

        /// <summary>The default bound on one record's bytes (1 MiB).</summary>
        public const int DefaultMaxRecordBytes = 1 << 20;

        /// <summary>The default bound on the line breaks inside one record.</summary>
        public const int DefaultMaxRecordLines = 1000;

        /// <summary>A record longer than this many bytes is a <see cref="ErrorIds.CsvRecordTooLong"/> error.</summary>
        public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

        /// <summary>A record that spans more line breaks than this is a <see cref="ErrorIds.CsvRecordTooLong"/> error.</summary>
        public int MaxRecordLines { get; init; } = DefaultMaxRecordLines;

        /// <summary>After <see cref="Records"/>: the physical line where the unfinished bytes at the range's end start.</summary>
        public long PendingLine { get; private set; }

        /// <summary>After <see cref="Records"/>: line breaks inside the unfinished record at the range's end (inside an open quote).</summary>
        public int PendingLineBreaks { get; private set; }

        /// <summary>
        /// Scans records in [<paramref name="start"/>, <paramref name="end"/>) of an open file, the first starting on
        /// physical line <paramref name="startLine"/>.
        /// </summary>
        public CsvRecordScanner(SafeFileHandle handle, long start, long end, long startLine, Encoding encoding, string delimiter, int bufferSize = 1 << 16,
            string? file = null)
        {
            this.file = file ?? "(file)";
            this.handle = handle ?? throw new ArgumentNullException(nameof(handle));
            if (start < 0 || end < start) throw new ArgumentOutOfRangeException(nameof(start));
            this.end = end;
            this.encoding = encoding ?? throw new ArgumentNullException(nameof(encoding));
            this.delimiter = DelimiterByte(encoding, delimiter);
            this.bufferSize = Math.Max(16, bufferSize);
            position = start;
            line = startLine;
        }

        /// <summary>Byte offset just after the last complete record returned (or the start, before any).</summary>
        public long Position => position;

        /// <summary>The physical line the next record starts on.</summary>
        public long NextLine => line;

        /// <summary>Throws unless <paramref name="encoding"/> is one the scanner can read (see the class remarks).</summary>
        public static void CheckEncoding(Encoding encoding)
        {
            bool asciiCompatible = encoding is UTF8Encoding || encoding.IsSingleByte;
            if (!asciiCompatible && encoding.CodePage != 65000)
            {
                // Multi-byte code pages (Shift-JIS, GBK, Big5, EUC) keep the bytes below 0x40 for ASCII; UTF-16/32 and UTF-7 don't.
                byte[] probe = encoding.GetBytes("\n\",;\t|");
                asciiCompatible = probe.AsSpan().SequenceEqual("\n\",;\t|"u8);
            }
            if (!asciiCompatible)
                throw new AutoencoderException(ErrorIds.IncrementalEncodingUnsupported,
                    $"Incremental scoring reads files as bytes and can't read the encoding '{encoding.WebName}'. " +
                    "Use UTF-8 (the default), Latin-1 or another ASCII-based encoding; convert UTF-16 exports to UTF-8.");
        }

        /// <summary>The byte of a one-character delimiter; anything else can't be scanned byte by byte.</summary>
        public static byte DelimiterByte(Encoding encoding, string delimiter)
        {
            if (string.IsNullOrEmpty(delimiter) || delimiter.Length != 1)
                throw new AutoencoderException(ErrorIds.IncrementalDelimiterUnsupported,
                    $"Incremental scoring needs a one-character delimiter, not '{delimiter}'.");
            byte[] bytes = encoding.GetBytes(delimiter);
            char c = delimiter[0];
            if (bytes.Length != 1 || c == '"' || c == '\n' || c == '\r' || c >= 0x80)
                throw new AutoencoderException(ErrorIds.IncrementalDelimiterUnsupported,
                    $"Incremental scoring can't use '{delimiter}' as the delimiter: it must be one ASCII character other than a quote or a line break.");
            return bytes[0];
        }

        /// <summary>
        /// The complete records up to the end of the range, one at a time. Reading stops at the range's end or where the
        /// file ends, if that comes first (a file truncated under the reader).
        /// </summary>
        public IEnumerable<ScannedCsvRecord> Records()
        {
            var buffer = new byte[bufferSize];
            var field = new ByteBuffer(256);
            var fields = new List<string>();
            var state = State.FieldStart;
            // The LF of a CRLF whose CR ended the previous scan's last record: part of that line break.
            if (position > 0 && position < end && ByteAt(position - 1) == CarriageReturn && ByteAt(position) == LineFeed) position++;
            long recordStart = position;
            long cursor = position;
            int breaks = 0;
            bool sawQuote = false;
            // A CR appended outside quotes right before the LF belongs to the line break, not to the field.
            bool crOutsideQuotes = false;
            PendingLine = line;
            PendingLineBreaks = 0;

            while (cursor < end)
            {
                int want = (int)Math.Min(buffer.Length, end - cursor);
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, want), cursor);
                if (read <= 0) yield break; // the file is shorter than the range: it was truncated under us
                for (int i = 0; i < read; i++)
                {
                    byte b = buffer[i];
                    // A lone CR outside quotes ends a record as an LF does; a CR followed by an LF is left to the LF.
                    bool crEnds = false;
                    if (b == CarriageReturn && state != State.Quoted)
                    {
                        int next = i + 1 < read ? buffer[i + 1] : cursor + read < end ? ByteAt(cursor + read) : -1;
                        crEnds = next != LineFeed;
                    }
                    if (b == LineFeed || crEnds)
                    {
                        breaks++;
                        if (state != State.Quoted)
                        {
                            if (crOutsideQuotes && b == LineFeed) field.Length--;
                            long recordEnd = cursor + i + 1;
                            bool blank = !sawQuote && fields.Count == 0 && field.Length == 0;
                            string[]? values = null;
                            if (!blank)
                            {
                                fields.Add(field.Decode(encoding));
                                values = fields.ToArray();
                            }
                            var record = new ScannedCsvRecord(recordStart, recordEnd, line, breaks, values);
                            position = recordEnd;
                            line += breaks;
                            recordStart = recordEnd;
                            breaks = 0;
                            fields.Clear();
                            field.Length = 0;
                            sawQuote = false;
                            crOutsideQuotes = false;
                            state = State.FieldStart;
                            PendingLine = line;
                            yield return record;
                            continue;
                        }
                    }
                    if (state == State.FieldStart && b == Quote) sawQuote = true;
                    switch (Step(ref state, b, delimiter, out crOutsideQuotes))
                    {
                        case ByteAction.Append: field.Add(b); break;
                        case ByteAction.EndField: fields.Add(field.Decode(encoding)); field.Length = 0; break;
                    }
                    long length = cursor + i + 1 - recordStart;
                    if (length > MaxRecordBytes || breaks > MaxRecordLines)
                        throw TooLong(state == State.Quoted || state == State.QuoteInQuoted, length, breaks);
                }
                cursor += read;
            }
            PendingLineBreaks = breaks;
        }

        private AutoencoderException TooLong(bool quoted, long length, int breaks)
        {
            string what = breaks > MaxRecordLines ? $"spans more than {MaxRecordLines:N0} line breaks" : $"is longer than {MaxRecordBytes:N0} bytes";
            string cause = quoted
                ? $"A quote (\") opens a field on line {line} and is never closed, so the rest of the file reads as one field: " +
                  "fix or remove that quote (a quote inside a field must be doubled, \"\", in a quoted field), or export with a quote character the data does not use."
                : "No CSV export has lines that long: check the file and the -Delimiter.";
            return new AutoencoderException(ErrorIds.CsvRecordTooLong,
                $"File '{file}', line {line}: the record that starts there {what} ({length:N0} bytes read) and was rejected. {cause} " +
                $"The rows before line {line} are kept; this file is not read past it until it is fixed.");
        }

        private int ByteAt(long offset)
        {
            Span<byte> one = stackalloc byte[1];
            return RandomAccess.Read(handle, one, offset) == 1 ? one[0] : -1;
        }

        /// <summary>
        /// Where the data starts: after a UTF-8 byte-order mark, if the file has one. A UTF-16 or UTF-32 mark is an
        /// <see cref="AutoencoderException"/> <see cref="ErrorIds.IncrementalEncodingUnsupported"/>.
        /// </summary>
        public static int PreambleLength(ReadOnlySpan<byte> start, string file)
        {
            if (start.Length >= 3 && start[0] == 0xEF && start[1] == 0xBB && start[2] == 0xBF) return 3;
            if (start.Length >= 2 && ((start[0] == 0xFF && start[1] == 0xFE) || (start[0] == 0xFE && start[1] == 0xFF)))
                throw new AutoencoderException(ErrorIds.IncrementalEncodingUnsupported,
                    $"File '{file}' is UTF-16 or UTF-32 (it starts with that byte-order mark). Incremental scoring reads UTF-8 and other " +
                    "ASCII-based encodings; convert the export to UTF-8.");
            return 0;
        }

        private sealed class ByteBuffer
        {
            private byte[] bytes;

            public ByteBuffer(int capacity) { bytes = new byte[capacity]; }

            public int Length { get; set; }

            public void Add(byte b)
            {
                if (Length == bytes.Length) Array.Resize(ref bytes, bytes.Length * 2);
                bytes[Length++] = b;
            }

            public string Decode(Encoding encoding) => Length == 0 ? "" : encoding.GetString(bytes, 0, Length);
        }
    }
}
