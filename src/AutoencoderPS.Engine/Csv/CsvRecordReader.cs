using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// The module's one reader of CSV bytes: file scoring (<c>CsvFileScorer</c>) and the scheduled job
    /// (<see cref="CsvRecordScanner"/>) both read records through it; CsvHelper reads everything else (other encodings,
    /// records into objects). It says where each record starts and ends in the stream and on which line, and it never
    /// holds more than one record's bytes beyond its buffer.
    /// <para>
    /// Records follow RFC 4180 as CsvHelper reads them: a record ends at a line break outside quotes (LF, CRLF, or a
    /// lone CR as old Mac exports have); a quote opens a quoted field only as the field's first character, two quotes
    /// inside one are a quote, a quote anywhere else is data; text after a closing quote is kept. A record without a
    /// quote or a lone CR (the common case) is split in place: its fields are byte ranges of the buffer
    /// (<see cref="Field"/>). Any other record is read byte by byte into strings (<see cref="Fields"/>).
    /// </para>
    /// <para>
    /// Bytes are decoded with the given encoding, which must encode the delimiter, the quote and the line breaks as
    /// those single ASCII bytes (UTF-8, Latin-1, the ANSI code pages; see <see cref="CsvRecordScanner.CheckEncoding"/>).
    /// A record longer than <see cref="MaxRecordBytes"/> bytes or spanning more than <see cref="MaxRecordLines"/> line
    /// breaks (a stray quote that opens a field and never closes swallows the rest of the file) is an
    /// <see cref="AutoencoderException"/> <see cref="ErrorIds.CsvRecordTooLong"/> naming the file and the line it starts
    /// on, so memory stays bounded.
    /// </para>
    /// </summary>
    public sealed class CsvRecordReader
    {
        private const byte Quote = (byte)'"';
        private const byte LineFeed = (byte)'\n';
        private const byte CarriageReturn = (byte)'\r';

        /// <summary>
        /// The default bound on one record's bytes (16 MiB): far past any real row (a log message with a request dump), so
        /// only a stray quote that swallows the rest of the file reaches it, and memory stays bounded.
        /// </summary>
        public const int DefaultMaxRecordBytes = 16 << 20;

        /// <summary>
        /// The default bound on the line breaks inside one record: far past a logged stack trace (a Java StackOverflowError
        /// prints 1,024 frames, and each "Caused by" adds up to as many).
        /// </summary>
        public const int DefaultMaxRecordLines = 10_000;

        /// <summary>Where a record's reader stands: at a field's start, in an unquoted or quoted field, after a quote inside one.</summary>
        internal enum State { FieldStart, Unquoted, Quoted, QuoteInQuoted }

        /// <summary>What a byte (other than a record-ending line break) does to the field being read.</summary>
        internal enum ByteAction { None, Append, EndField }

        private enum Outcome { Record, NeedMore, Pending }

        private readonly Stream stream;
        private readonly byte delimiter;
        private readonly Encoding encoding;
        private readonly bool utf8;
        private readonly string file;
        private byte[]? buffer;
        private long bufferBase;                 // the stream offset of buffer[0]
        private int start, filled, next;         // the current record's start, the bytes read, the next record's start
        private bool end, first = true;
        private int[] bounds = new int[64];      // field i is [bounds[2i], bounds[2i+1]) of buffer
        private long nextLine;
        private int noLineFeedBefore;            // buffer[start, noLineFeedBefore) is known to hold no LF (lone-CR files)
        private int asciiBefore;                 // buffer[start, asciiBefore) is known to be ASCII (UTF-8 checked no further)
        private readonly List<string> slowFields = new List<string>();
        private byte[] slowField = new byte[256];

        /// <summary>
        /// A reader of <paramref name="stream"/> from its current position, whose records use <paramref name="delimiter"/>
        /// (one ASCII byte other than a quote or a line break) and text in <paramref name="encoding"/>; <paramref name="file"/>
        /// names the source in errors.
        /// </summary>
        public CsvRecordReader(Stream stream, byte delimiter, Encoding encoding, string? file = null)
        {
            this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (delimiter == Quote || delimiter == LineFeed || delimiter == CarriageReturn || delimiter >= 0x80)
                throw new ArgumentOutOfRangeException(nameof(delimiter), "The delimiter must be one ASCII byte other than a quote or a line break.");
            this.delimiter = delimiter;
            this.encoding = encoding ?? throw new ArgumentNullException(nameof(encoding));
            utf8 = encoding is UTF8Encoding;
            this.file = file ?? "(file)";
            nextLine = 1;
        }

        /// <summary>The offset in the file of the stream's first byte (positions are reported from it).</summary>
        public long Offset { get => bufferBase; init => bufferBase = value; }

        /// <summary>The physical line (1-based) the stream's first byte is on.</summary>
        public long FirstLine { get => nextLine; init => nextLine = value; }

        /// <summary>
        /// True: a last record without its line break (a line still being written, a quoted field not yet closed) is not
        /// returned but left for the next read (<see cref="PendingLine"/>). False: the end of the stream ends the record.
        /// </summary>
        public bool HoldIncompleteRecord { get; init; }

        /// <summary>True: a UTF-8 byte-order mark at the stream's start is skipped (it is not data).</summary>
        public bool SkipByteOrderMark { get; init; }

        /// <summary>The buffer's first size; it grows to hold a record longer than it.</summary>
        public int BufferSize { get; init; } = 1 << 20;

        /// <summary>A record longer than this many bytes is a <see cref="ErrorIds.CsvRecordTooLong"/> error.</summary>
        public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

        /// <summary>A record that spans more line breaks than this is a <see cref="ErrorIds.CsvRecordTooLong"/> error.</summary>
        public int MaxRecordLines { get; init; } = DefaultMaxRecordLines;

        /// <summary>The record's offset in the file (of its first byte).</summary>
        public long Start => bufferBase + start;

        /// <summary>The offset just after the record's line break: where the next record starts.</summary>
        public long End => bufferBase + next;

        /// <summary>The physical line (1-based) the record starts on.</summary>
        public long Line { get; private set; }

        /// <summary>Line breaks the record spans, its own included (0 for a last record without one).</summary>
        public int LineBreaks { get; private set; }

        /// <summary>
        /// A line with nothing between its line breaks but spaces or tabs that are not the delimiter: skipped as Import-Csv
        /// skips it (a line of delimiters is a record of empty fields).
        /// </summary>
        public bool IsBlank { get; private set; }

        /// <summary>The record's fields (0 for a blank line).</summary>
        public int FieldCount { get; private set; }

        /// <summary>
        /// With a UTF-8 encoding: the record's first field whose bytes are not UTF-8 (the file is in another encoding), which
        /// the caller rejects it for (<see cref="NotUtf8Field.RowError"/>); else null.
        /// </summary>
        public NotUtf8Field? NotUtf8 { get; private set; }

        /// <summary>The fields of a record read byte by byte (it has a quote or a lone CR), else null: then use <see cref="Field"/>.</summary>
        public string[]? Fields { get; private set; }

        /// <summary>After <see cref="Next"/> returned false: the line the unread bytes at the end start on.</summary>
        public long PendingLine { get; private set; }

        /// <summary>After <see cref="Next"/> returned false: line breaks inside the record left unread (in quoted fields).</summary>
        public int PendingLineBreaks { get; private set; }

        /// <summary>After <see cref="Next"/> returned false: the record left unread ends inside a quoted field that is not closed.</summary>
        public bool PendingInQuotes { get; private set; }

        /// <summary>
        /// The record just read is the stream's last and ends inside a quoted field that no quote closes (a file cut off
        /// while it was written): its fields are returned, and the caller rejects it (CsvRecord.UnclosedQuote).
        /// </summary>
        public bool EndsInOpenQuote { get; private set; }

        /// <summary>
        /// Whether a record's text (<paramref name="raw"/>) ends inside a quoted field, read as <see cref="Step"/> reads bytes,
        /// with a <paramref name="delimiter"/> of any length or alphabet (CsvHelper reads "||" or an Arabic semicolon too).
        /// </summary>
        public static bool TextEndsInOpenQuote(string raw, string delimiter)
        {
            var state = State.FieldStart;
            for (int i = 0; i < raw.Length; i++)
            {
                // Outside quotes the delimiter ends a field, as Step has it (a quote closed and the delimiter right after too).
                if (state != State.Quoted && delimiter.Length > 0 && string.CompareOrdinal(raw, i, delimiter, 0, delimiter.Length) == 0)
                {
                    state = State.FieldStart;
                    i += delimiter.Length - 1;
                    continue;
                }
                // Only quotes and line breaks change the state otherwise: any other character stands as a letter.
                char c = raw[i];
                byte b = c == '"' ? Quote : c == '\n' ? LineFeed : c == '\r' ? CarriageReturn : (byte)'a';
                // The delimiter was matched above: Step is given one that no character here stands as.
                Step(ref state, b, (byte)',', out _);
            }
            return state == State.Quoted;
        }

        /// <summary>Field <paramref name="i"/>'s bytes, for a record split in place (<see cref="Fields"/> is null).</summary>
        public ReadOnlySpan<byte> Field(int i) => buffer.AsSpan(bounds[2 * i], bounds[2 * i + 1] - bounds[2 * i]);

        /// <summary>
        /// Where field <paramref name="i"/> ends, from the record's start (a record split in place: field i + 1 starts one
        /// byte, the delimiter, after).
        /// </summary>
        public int FieldEnd(int i) => bounds[2 * i + 1] - start;

        /// <summary>The record's bytes from its start to the end of field <paramref name="count"/> - 1 (a record split in place).</summary>
        public ReadOnlySpan<byte> Raw(int count) => count == 0 ? default : buffer.AsSpan(start, bounds[2 * count - 1] - start);

        /// <summary>The record's fields as strings (null for a blank line).</summary>
        public string[]? ReadFields()
        {
            if (IsBlank) return null;
            if (Fields != null) return Fields;
            var values = new string[FieldCount];
            for (int i = 0; i < values.Length; i++)
            {
                var bytes = Field(i);
                values[i] = bytes.IsEmpty ? "" : encoding.GetString(bytes);
            }
            return values;
        }

        /// <summary>
        /// One byte of a record outside its ending line break, by RFC 4180 as CsvHelper reads it: a quote opens a quoted
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

        /// <summary>Moves to the next record (a blank line is one: <see cref="IsBlank"/>); false at the end of the stream.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Next()
        {
            if (buffer == null) Fill();
            while (true)
            {
                start = next;
                var rest = buffer.AsSpan(start, filled - start);
                int from = Math.Max(start, noLineFeedBefore);
                int lf = ByteSearch.IndexOf(buffer.AsSpan(from, filled - from), LineFeed);
                if (lf < 0) noLineFeedBefore = filled;
                else lf += from - start;
                int lineLength = lf < 0 ? rest.Length : lf;
                var line = rest.Slice(0, lineLength);
                int special = ByteSearch.IndexOfAny(line, Quote, CarriageReturn);
                bool crlf = lf >= 0 && special >= 0 && special == lineLength - 1 && line[special] == CarriageReturn;
                if (special >= 0 && !crlf)
                {
                    // A quote, or a CR that is not the CR of a CRLF: the state machine decides.
                    switch (ReadByteByByte())
                    {
                        case Outcome.Record: return true;
                        case Outcome.Pending: return false;
                        default: Fill(); continue;
                    }
                }
                if (lf < 0)
                {
                    if (!end)
                    {
                        if (rest.Length > MaxRecordBytes) throw TooLong(false, rest.Length, 0);
                        Fill();
                        continue;
                    }
                    if (rest.IsEmpty || HoldIncompleteRecord) return Pend(0, inQuotes: false);
                }
                if (lineLength > MaxRecordBytes) throw TooLong(false, lineLength, 0);
                int contentEnd = start + (crlf ? lineLength - 1 : lineLength);
                Line = nextLine;
                LineBreaks = lf < 0 ? 0 : 1;
                nextLine += LineBreaks;
                next = lf < 0 ? filled : start + lf + 1;
                Fields = null;
                EndsInOpenQuote = false;
                IsBlank = contentEnd == start || (IsSpace(buffer![start]) && OnlySpaces(buffer.AsSpan(start, contentEnd - start)));
                NotUtf8 = null;
                if (IsBlank) FieldCount = 0;
                else
                {
                    Split(start, contentEnd);
                    if (utf8 && contentEnd > asciiBefore) CheckUtf8(contentEnd);
                }
                return true;
            }
        }

        // The bytes outside ASCII are found a buffer at a time (one vectorized scan, nothing per line of an ASCII file); a
        // line that holds one is checked as UTF-8, and its fields only when it fails.
        private void CheckUtf8(int contentEnd)
        {
            int from = Math.Max(start, asciiBefore);
            int other = buffer.AsSpan(from, filled - from).IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            asciiBefore = other < 0 ? filled : from + other;
            if (contentEnd > asciiBefore && !NotUtf8Field.IsUtf8(buffer.AsSpan(start, contentEnd - start))) NotUtf8 = FirstNotUtf8();
        }

        private NotUtf8Field? FirstNotUtf8()
        {
            for (int i = 0; i < FieldCount; i++)
                if (!NotUtf8Field.IsUtf8(Field(i))) return new NotUtf8Field(i, Field(i).ToArray());
            return null;
        }

        // Spaces and tabs, unless one of them is the delimiter: the first byte is tested before a line is scanned.
        private bool IsSpace(byte b) => (b == (byte)' ' || b == (byte)'\t') && b != delimiter;

        private bool OnlySpaces(ReadOnlySpan<byte> line)
        {
            foreach (byte b in line)
                if (!IsSpace(b)) return false;
            return true;
        }

        private bool Pend(int breaks, bool inQuotes)
        {
            PendingLine = nextLine;
            PendingLineBreaks = breaks;
            PendingInQuotes = inQuotes;
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Split(int from, int to)
        {
            int count = 0;
            int fieldStart = from;
            while (true)
            {
                int d = ByteSearch.IndexOf(buffer.AsSpan(fieldStart, to - fieldStart), delimiter);
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

        // A record with a quote or a lone CR, read byte by byte from start. NeedMore when the buffer ends before the
        // record does (or on a CR whose next byte decides) and the stream has more.
        private Outcome ReadByteByByte()
        {
            slowFields.Clear();
            NotUtf8 = null;
            int fieldLength = 0;
            var state = State.FieldStart;
            int breaks = 0;
            bool sawQuote = false;
            // A CR appended outside quotes right before the LF belongs to the line break, not to the field.
            bool crOutsideQuotes = false;
            var bytes = buffer!;
            for (int i = start; i < filled; i++)
            {
                byte b = bytes[i];
                bool crEnds = false;
                if (b == CarriageReturn && state != State.Quoted)
                {
                    // A lone CR outside quotes ends a record as an LF does; a CR followed by an LF is left to the LF.
                    if (i + 1 < filled) crEnds = bytes[i + 1] != LineFeed;
                    else if (!end) return Outcome.NeedMore;
                    else crEnds = true;
                }
                if (b == LineFeed || crEnds)
                {
                    breaks++;
                    if (state != State.Quoted)
                    {
                        if (crOutsideQuotes && b == LineFeed) fieldLength--;
                        bool blank = !sawQuote && slowFields.Count == 0 && OnlySpaces(slowField.AsSpan(0, fieldLength));
                        if (!blank) slowFields.Add(Decode(fieldLength));
                        Finish(blank, breaks, i + 1);
                        return Outcome.Record;
                    }
                }
                if (state == State.FieldStart && b == Quote) sawQuote = true;
                switch (Step(ref state, b, delimiter, out crOutsideQuotes))
                {
                    case ByteAction.Append:
                        if (fieldLength == slowField.Length) Array.Resize(ref slowField, slowField.Length * 2);
                        slowField[fieldLength++] = b;
                        break;
                    case ByteAction.EndField:
                        slowFields.Add(Decode(fieldLength));
                        fieldLength = 0;
                        break;
                }
                long length = i + 1 - start;
                if (length > MaxRecordBytes || breaks > MaxRecordLines)
                    throw TooLong(state == State.Quoted || state == State.QuoteInQuoted, length, breaks);
            }
            if (!end) return Outcome.NeedMore;
            if (HoldIncompleteRecord)
            {
                // A quote right before the end (QuoteInQuoted) closes its field unless another one follows: it is closed.
                Pend(breaks, inQuotes: state == State.Quoted);
                return Outcome.Pending;
            }
            // The last record of a stream without a final line break (an open quoted field runs to the end: the caller
            // rejects it, EndsInOpenQuote).
            slowFields.Add(Decode(fieldLength));
            Finish(false, breaks, filled);
            EndsInOpenQuote = state == State.Quoted;
            return Outcome.Record;
        }

        private string Decode(int length)
        {
            if (length == 0) return "";
            var bytes = slowField.AsSpan(0, length);
            if (utf8 && NotUtf8 == null && !NotUtf8Field.IsUtf8(bytes)) NotUtf8 = new NotUtf8Field(slowFields.Count, bytes.ToArray());
            return encoding.GetString(bytes);
        }

        private void Finish(bool blank, int breaks, int after)
        {
            EndsInOpenQuote = false;
            IsBlank = blank;
            Fields = blank ? null : slowFields.ToArray();
            FieldCount = Fields?.Length ?? 0;
            Line = nextLine;
            LineBreaks = breaks;
            nextLine += breaks;
            next = after;
        }

        private AutoencoderException TooLong(bool quoted, long length, int breaks) =>
            RecordTooLong(file, nextLine, quoted, length, breaks, MaxRecordBytes, MaxRecordLines);

        /// <summary>
        /// The CsvRecordTooLong error of the record of <paramref name="file"/> that starts on <paramref name="line"/>: every
        /// reader of CSV (this one, and <see cref="BoundedRecordReader"/> under CsvHelper) says it in these words.
        /// </summary>
        internal static AutoencoderException RecordTooLong(string file, long line, bool quoted, long length, int breaks, int maxBytes, int maxLines)
        {
            string what = breaks > maxLines ? $"spans more than {maxLines:N0} line breaks" : $"is longer than {maxBytes:N0} bytes";
            string cause = quoted
                ? $"A quote (\") opens a field on line {line} and is not closed within that bound: a quote that is never closed makes the rest of the file read as one field. " +
                  "Fix or remove that quote (a quote inside a field must be doubled, \"\", in a quoted field), or export with a quote character the data does not use."
                : "No CSV export has lines that long: check the file and the -Delimiter.";
            return new AutoencoderException(ErrorIds.CsvRecordTooLong,
                $"File '{file}', line {line}: the record that starts there {what} ({length:N0} bytes read) and was rejected. {cause} " +
                $"The rows before line {line} are kept; this file is not read past it until it is fixed.");
        }

        // Keeps the unread part (from the current record's start), then reads more; grows the buffer for a record
        // longer than it (records are bounded, so the buffer is too).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void Fill()
        {
            if (buffer == null) buffer = new byte[Math.Max(16, BufferSize)];
            if (start > 0)
            {
                int keep = filled - start;
                Buffer.BlockCopy(buffer, start, buffer, 0, keep);
                bufferBase += start;
                filled = keep;
                next -= start;
                noLineFeedBefore = Math.Max(0, noLineFeedBefore - start);
                asciiBefore = Math.Max(0, asciiBefore - start);
                start = 0;
            }
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (first)
            {
                first = false;
                if (SkipByteOrderMark)
                {
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
                        bufferBase += 3;
                    }
                }
            }
            if (read <= 0) end = true;
            else filled += read;
        }
    }
}
