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
        internal ScannedCsvRecord(long start, long end, long line, int lineBreaks, string[]? fields, NotUtf8Field? notUtf8 = null)
        {
            NotUtf8 = notUtf8;
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

        /// <summary>With a UTF-8 encoding: the first field whose bytes are not UTF-8 (<see cref="CsvRecordReader.NotUtf8"/>); else null.</summary>
        public NotUtf8Field? NotUtf8 { get; }

        /// <summary>The record under <paramref name="header"/>, to featurize: a field that is not UTF-8 rejects it (<see cref="CsvRecord.FieldCountError"/>).</summary>
        public CsvRecord Under(CsvHeader header, string file) => new CsvRecord(header, Fields!, file, Line) { NotUtf8 = NotUtf8 };
    }

    /// <summary>
    /// Reads CSV records from a byte range of a file and says exactly where each one ends, which a TextReader-based
    /// parser can't: incremental scoring resumes at a byte offset. The records are read by <see cref="CsvRecordReader"/>
    /// (the module's one byte reader, the same one file scoring uses), so a record ends at a line break outside quotes
    /// (LF, CRLF, or a lone CR) and fields follow RFC 4180 as CsvHelper reads them. Bytes after the last complete record
    /// (a line still being written, or a quoted field not yet closed) are not returned, so the caller leaves them for the
    /// next run. A CR that is the range's last byte ends its record; a scan that starts on the LF of that CRLF skips it.
    /// A record past <see cref="MaxRecordBytes"/> bytes or <see cref="MaxRecordLines"/> line breaks is an
    /// <see cref="AutoencoderException"/> <see cref="ErrorIds.CsvRecordTooLong"/> naming the file and the line it starts on.
    /// The encoding must be one <see cref="CheckEncoding"/> accepts.
    /// </summary>
    public sealed class CsvRecordScanner
    {
        private const byte LineFeed = (byte)'\n';
        private const byte CarriageReturn = (byte)'\r';

        private readonly SafeFileHandle handle;
        private readonly long end;
        private readonly Encoding encoding;
        private readonly byte delimiter;
        private readonly int bufferSize;
        private readonly string file;
        private long position;
        private long line;

        /// <summary>The default bound on one record's bytes (16 MiB).</summary>
        public const int DefaultMaxRecordBytes = CsvRecordReader.DefaultMaxRecordBytes;

        /// <summary>The default bound on the line breaks inside one record.</summary>
        public const int DefaultMaxRecordLines = CsvRecordReader.DefaultMaxRecordLines;

        /// <summary>A record longer than this many bytes is a <see cref="ErrorIds.CsvRecordTooLong"/> error.</summary>
        public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

        /// <summary>A record that spans more line breaks than this is a <see cref="ErrorIds.CsvRecordTooLong"/> error.</summary>
        public int MaxRecordLines { get; init; } = DefaultMaxRecordLines;

        /// <summary>
        /// True: the range's end ends its last record, line break or not (a file known to be finished). The caller checks
        /// that no quoted field is open there: an open one would run to the end.
        /// </summary>
        public bool EndEndsRecord { get; init; }

        /// <summary>After <see cref="Records"/>: the physical line where the unfinished bytes at the range's end start.</summary>
        public long PendingLine { get; private set; }

        /// <summary>After <see cref="Records"/>: line breaks inside the unfinished record at the range's end (in quoted fields).</summary>
        public int PendingLineBreaks { get; private set; }

        /// <summary>After <see cref="Records"/>: the unfinished record at the range's end is inside a quoted field that is not closed.</summary>
        public bool PendingInQuotes { get; private set; }

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
                    "Use UTF-8 (the default), a Windows code page such as 1252, or another encoding that writes ASCII as ASCII; convert UTF-16 exports to UTF-8.");
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
            // The LF of a CRLF whose CR ended the previous scan's last record: part of that line break.
            if (position > 0 && position < end && ByteAt(position - 1) == CarriageReturn && ByteAt(position) == LineFeed) position++;
            PendingLine = line;
            PendingLineBreaks = 0;
            PendingInQuotes = false;
            var reader = new CsvRecordReader(new FileRangeStream(handle, position, end), delimiter, encoding, file)
            {
                Offset = position,
                FirstLine = line,
                HoldIncompleteRecord = !EndEndsRecord,
                BufferSize = bufferSize,
                MaxRecordBytes = MaxRecordBytes,
                MaxRecordLines = MaxRecordLines,
            };
            while (reader.Next())
            {
                var record = new ScannedCsvRecord(reader.Start, reader.End, reader.Line, reader.LineBreaks, reader.ReadFields(), reader.NotUtf8);
                position = record.End;
                line += record.LineBreaks;
                PendingLine = line;
                yield return record;
            }
            PendingLine = reader.PendingLine;
            PendingLineBreaks = reader.PendingLineBreaks;
            PendingInQuotes = reader.PendingInQuotes;
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

        /// <summary>Reads [start, end) of an open file by offset, without moving the handle's own position.</summary>
        private sealed class FileRangeStream : Stream
        {
            private readonly SafeFileHandle handle;
            private readonly long end;
            private long position;

            public FileRangeStream(SafeFileHandle handle, long start, long end)
            {
                this.handle = handle;
                position = start;
                this.end = end;
            }

            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

            public override int Read(Span<byte> buffer)
            {
                int want = (int)Math.Min(buffer.Length, end - position);
                if (want <= 0) return 0;
                int read = RandomAccess.Read(handle, buffer.Slice(0, want), position);
                if (read > 0) position += read;
                return read;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => position; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
