using System;
using System.IO;
using System.Text;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// The text CsvHelper parses, passed through unchanged while it follows the records as <see cref="CsvRecordReader"/>
    /// finds them (RFC 4180 as CsvHelper reads it: a record ends at a line break outside quotes, a quote opens a quoted
    /// field only as its first character). A record past <see cref="CsvRecordReader.DefaultMaxRecordBytes"/> bytes (its
    /// characters counted as UTF-8) or <see cref="CsvRecordReader.DefaultMaxRecordLines"/> line breaks is the same
    /// CsvRecordTooLong error as the byte reader's, naming the file and the line the record starts on. CsvHelper has
    /// no such bound: it doubles its buffer until an int overflows (a line of 100 MB took 1.85 GB; /dev/zero 4.3 GB and an
    /// OverflowException), so the bound is kept here, before the text reaches it.
    /// </summary>
    internal sealed class BoundedRecordReader : TextReader
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        private readonly TextReader inner;
        private readonly string file;
        private readonly string delimiter;
        private readonly int maxBytes, maxLines;
        private CsvRecordReader.State state = CsvRecordReader.State.FieldStart;
        private long length;             // bytes of the record so far
        private int breaks;              // line breaks inside it
        private long line = 1;           // the physical line being read
        private long recordLine = 1;     // the line the record starts on
        private bool afterCr;            // the last character was a CR (an LF right after it ends no other line)
        private readonly char[] recent;  // the last characters, to find a delimiter longer than one

        public BoundedRecordReader(TextReader inner, string file, string delimiter,
            int maxBytes = CsvRecordReader.DefaultMaxRecordBytes, int maxLines = CsvRecordReader.DefaultMaxRecordLines)
        {
            this.inner = inner;
            this.file = file;
            this.delimiter = delimiter;
            this.maxBytes = maxBytes;
            this.maxLines = maxLines;
            recent = new char[Math.Max(1, delimiter.Length)];
        }

        public override int Read(char[] buffer, int index, int count)
        {
            int n = inner.Read(buffer, index, count);
            Follow(buffer.AsSpan(index, n));
            return n;
        }

        public override int Read(Span<char> buffer)
        {
            int n = inner.Read(buffer);
            Follow(buffer.Slice(0, n));
            return n;
        }

        public override int Read()
        {
            int c = inner.Read();
            if (c >= 0) Follow(stackalloc char[] { (char)c });
            return c;
        }

        public override int Peek() => inner.Peek();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        private void Follow(ReadOnlySpan<char> text)
        {
            int i = 0;
            while (i < text.Length)
            {
                // Runs without a quote or a line break are counted at once, not stepped: inside a quoted field nothing
                // else matters; outside one a delimiter only ends a field, so the state after the run is told by its last
                // character (a delimiter: a field starts, where a quote would open a quoted field).
                if (delimiter.Length == 1 && state != CsvRecordReader.State.QuoteInQuoted)
                {
                    var rest = text.Slice(i);
                    int stop = rest.IndexOfAny('"', '\r', '\n');
                    int run = stop < 0 ? rest.Length : stop;
                    if (run > 0)
                    {
                        length += Utf8.GetByteCount(rest.Slice(0, run));
                        afterCr = false;
                        if (state != CsvRecordReader.State.Quoted)
                            state = rest[run - 1] == delimiter[0] ? CsvRecordReader.State.FieldStart : CsvRecordReader.State.Unquoted;
                        i += run;
                        Check();
                        continue;
                    }
                }
                Step(text[i++]);
                Check();
            }
        }

        private void Step(char c)
        {
            bool quoted = state == CsvRecordReader.State.Quoted;
            if (c == '\n' || c == '\r')
            {
                bool crlf = c == '\n' && afterCr;
                afterCr = c == '\r';
                if (!crlf) line++;
                if (quoted)
                {
                    if (!crlf) breaks++;
                    length++;
                    return;
                }
                // A line break outside quotes ends the record (the LF of a CRLF too: it starts an empty line CsvHelper skips).
                state = CsvRecordReader.State.FieldStart;
                length = 0;
                breaks = 0;
                recordLine = line;
                return;
            }
            afterCr = false;
            length += c < 0x80 ? 1 : char.IsSurrogate(c) ? 2 : c < 0x800 ? 2 : 3;
            Remember(c);
            if (!quoted && IsDelimiterEnd(c))
            {
                state = CsvRecordReader.State.FieldStart;
                return;
            }
            // Only a quote changes the state otherwise: any other character stands as a letter (as TextEndsInOpenQuote does).
            CsvRecordReader.Step(ref state, c == '"' ? (byte)'"' : (byte)'a', (byte)',', out _);
        }

        private void Remember(char c)
        {
            if (recent.Length == 1) { recent[0] = c; return; }
            Array.Copy(recent, 1, recent, 0, recent.Length - 1);
            recent[^1] = c;
        }

        private bool IsDelimiterEnd(char c) =>
            delimiter.Length > 0 && c == delimiter[^1] && (delimiter.Length == 1 || recent.AsSpan().SequenceEqual(delimiter));

        private void Check()
        {
            if (length > maxBytes || breaks > maxLines)
                throw CsvRecordReader.RecordTooLong(file, recordLine, state == CsvRecordReader.State.Quoted || state == CsvRecordReader.State.QuoteInQuoted,
                    length, breaks, maxBytes, maxLines);
        }
    }
}
