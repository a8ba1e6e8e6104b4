using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Csv;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The byte-exact CSV reader of incremental scoring: where each record ends, and what it holds.</summary>
    public sealed class CsvRecordScannerTests : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private string WriteBytes(byte[] content)
        {
            string path = temp.File(Guid.NewGuid().ToString("N") + ".csv");
            File.WriteAllBytes(path, content);
            return path;
        }

        private static List<ScannedCsvRecord> Scan(string path, long start = 0, long line = 1, int bufferSize = 1 << 16, string delimiter = ",", Encoding? encoding = null)
        {
            using var handle = File.OpenHandle(path);
            var scanner = new CsvRecordScanner(handle, start, RandomAccess.GetLength(handle), line, encoding ?? Utf8, delimiter, bufferSize);
            return scanner.Records().ToList();
        }

        private static List<ScannedCsvRecord> Scan(byte[] content, TempDirectory temp, long start = 0, int bufferSize = 1 << 16)
        {
            string path = temp.File(Guid.NewGuid().ToString("N") + ".csv");
            File.WriteAllBytes(path, content);
            return Scan(path, start, 1, bufferSize);
        }

        [Fact]
        public void EndsEachRecordJustAfterItsLineFeed()
        {
            byte[] content = Utf8.GetBytes("a,b\n1,2\n33,44\n");
            var records = Scan(content, temp);

            Assert.Equal(3, records.Count);
            Assert.Equal(new long[] { 0, 4, 8 }, records.Select(r => r.Start));
            Assert.Equal(new long[] { 4, 8, 14 }, records.Select(r => r.End));
            Assert.Equal(new long[] { 1, 2, 3 }, records.Select(r => r.Line));
            Assert.Equal(new[] { "33", "44" }, records[2].Fields);
        }

        [Fact]
        public void LeavesAPartialLastLineForTheNextRun()
        {
            byte[] content = Utf8.GetBytes("a,b\n1,2\n3,");
            string path = WriteBytes(content);
            using var handle = File.OpenHandle(path);
            var scanner = new CsvRecordScanner(handle, 0, content.Length, 1, Utf8, ",");
            var records = scanner.Records().ToList();

            Assert.Equal(2, records.Count);
            Assert.Equal(8, scanner.Position);
            Assert.Equal(3, scanner.NextLine);
        }

        [Fact]
        public void ReadsCrLfLinesWithoutKeepingTheCarriageReturn()
        {
            byte[] content = Utf8.GetBytes("a,b\r\n1,2\r\n\"x\",\"y\"\r\n");
            var records = Scan(content, temp);

            Assert.Equal(new long[] { 5, 10, 19 }, records.Select(r => r.End));
            Assert.Equal(new[] { "a", "b" }, records[0].Fields);
            Assert.Equal(new[] { "1", "2" }, records[1].Fields);
            Assert.Equal(new[] { "x", "y" }, records[2].Fields);
        }

        [Fact]
        public void ACarriageReturnAtTheEndEndsTheRecordAndItsLineFeedIsSkippedByTheNextScan()
        {
            // The CR is written, the LF not yet: the record ends at the CR (a lone CR is a line break, as in old Mac
            // exports), and a later scan that starts on the LF takes it as the rest of that line break.
            string path = temp.File("split.csv");
            File.WriteAllBytes(path, Utf8.GetBytes("a,b\r\n1,2\r"));
            var first = Scan(path);
            Assert.Equal(2, first.Count);
            Assert.Equal(new[] { "1", "2" }, first[1].Fields);

            File.AppendAllText(path, "\n3,4\r\n", Utf8);
            var next = Scan(path, first[1].End, 3);
            var record = Assert.Single(next);
            Assert.Equal(new[] { "3", "4" }, record.Fields);
            Assert.Equal(3, record.Line);
        }

        [Fact]
        public void ALoneCarriageReturnEndsARecordOutsideQuotes()
        {
            var records = Scan(Utf8.GetBytes("a,b\r1,2\r3,4\r"), temp, bufferSize: 16);
            Assert.Equal(new[] { 1L, 2L, 3L }, records.Select(r => r.Line));
            Assert.Equal(new[] { "3", "4" }, records[2].Fields);
        }

        [Fact]
        public void KeepsACarriageReturnInsideQuotes()
        {
            byte[] content = Utf8.GetBytes("a,b\n\"x\r\",y\n");
            var records = Scan(content, temp);

            Assert.Equal(new[] { "x\r", "y" }, records[1].Fields);
        }

        [Fact]
        public void AQuotedFieldMaySpanLinesAndItsRecordEndsAfterTheLastOne()
        {
            string text = "id,note,v\n1,\"two\nlines\",5\n2,\"three\r\nline\nnote, with comma\",6\n3,plain,7\n";
            byte[] content = Utf8.GetBytes(text);
            var records = Scan(content, temp);

            Assert.Equal(4, records.Count);
            Assert.Equal(new[] { "1", "two\nlines", "5" }, records[1].Fields);
            Assert.Equal(new[] { "2", "three\r\nline\nnote, with comma", "6" }, records[2].Fields);
            Assert.Equal(new long[] { 1, 2, 4, 7 }, records.Select(r => r.Line));
            Assert.Equal(new[] { 1, 2, 3, 1 }, records.Select(r => r.LineBreaks));
            Assert.Equal(text.IndexOf("2,\"three", StringComparison.Ordinal), records[1].End);
            Assert.Equal(text.IndexOf("3,plain", StringComparison.Ordinal), records[2].End);
        }

        [Fact]
        public void AQuotedFieldStillOpenAtTheEndIsAPartialRecord()
        {
            byte[] content = Utf8.GetBytes("id,note\n1,ok\n2,\"still\nbeing written\n");
            string path = WriteBytes(content);
            using var handle = File.OpenHandle(path);
            var scanner = new CsvRecordScanner(handle, 0, content.Length, 1, Utf8, ",");

            Assert.Equal(2, scanner.Records().Count());
            Assert.Equal("id,note\n1,ok\n".Length, scanner.Position);
        }

        [Fact]
        public void ReadsEscapedQuotesAndKeepsStrayQuotesAsData()
        {
            byte[] content = Utf8.GetBytes("a,b,c\n\"say \"\"hi\"\"\",x\"y,\"q\"tail\n");
            var records = Scan(content, temp);

            Assert.Equal(new[] { "say \"hi\"", "x\"y", "qtail" }, records[1].Fields);
        }

        [Fact]
        public void FlagsBlankLinesAndKeepsAnEmptyQuotedField()
        {
            byte[] content = Utf8.GetBytes("a\n\n\r\n\"\"\n1\n");
            var records = Scan(content, temp);

            Assert.Equal(new[] { false, true, true, false, false }, records.Select(r => r.IsBlank));
            Assert.Equal(new[] { "" }, records[3].Fields);
            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, records.Select(r => r.Line));
        }

        [Fact]
        public void CountsBytesNotCharactersForMultiByteText()
        {
            string text = "name,v\nZürich é,1\n\"🙂 emoji, quoted\",2\n日本,3\n";
            byte[] content = Utf8.GetBytes(text);
            var records = Scan(content, temp);

            Assert.Equal(new[] { "Zürich é", "1" }, records[1].Fields);
            Assert.Equal(new[] { "🙂 emoji, quoted", "2" }, records[2].Fields);
            Assert.Equal(new[] { "日本", "3" }, records[3].Fields);
            long expected = 0;
            foreach (var (record, line) in records.Zip(text.Split('\n').Take(4)))
            {
                expected += Utf8.GetByteCount(line) + 1;
                Assert.Equal(expected, record.End);
            }
            Assert.Equal(content.Length, records[^1].End);
        }

        [Fact]
        public void ResumingAtACommittedOffsetReadsTheSameRecordsAsReadingFromTheStart()
        {
            string text = "id,note\r\n1,\"a\r\nb\"\r\n2,x\r\n3,\"c,\"\"d\"\"\"\r\n4,y\r\n";
            byte[] content = Utf8.GetBytes(text);
            string path = WriteBytes(content);
            var all = Scan(path);
            for (int k = 1; k < all.Count; k++)
            {
                var resumed = Scan(path, all[k - 1].End, all[k].Line);
                Assert.Equal(all.Skip(k).Select(r => (r.Start, r.End, r.Line, string.Join("|", r.Fields!))),
                    resumed.Select(r => (r.Start, r.End, r.Line, string.Join("|", r.Fields!))));
            }
        }

        [Theory]
        [InlineData(16)]
        [InlineData(17)]
        [InlineData(64)]
        public void RecordsThatCrossBufferBoundariesAreReadWhole(int bufferSize)
        {
            string text = "id,note\n" + string.Concat(Enumerable.Range(1, 40).Select(i => $"{i},\"line {i}\r\nnext, \"\"é\"\"\"\r\n"));
            string path = WriteBytes(Utf8.GetBytes(text));

            var small = Scan(path, bufferSize: bufferSize);
            var large = Scan(path);

            Assert.Equal(41, small.Count);
            Assert.Equal(large.Select(r => (r.End, r.Line, string.Join("|", r.Fields!))), small.Select(r => (r.End, r.Line, string.Join("|", r.Fields!))));
            Assert.Equal("next, \"é\"", small[40].Fields![1].Split("\r\n")[1]);
        }

        [Fact]
        public void AgreesWithCsvSourceOnFieldsAndLinesOfWellFormedFiles()
        {
            var random = new Random(5);
            string[] pieces = { "a", "b c", "1.5", "", "x,y", "say \"no\"", "two\nlines", "crlf\r\nx", "é", "🙂", " lead", "trail " };
            for (int trial = 0; trial < 30; trial++)
            {
                var text = new StringBuilder("c1,c2,c3\n");
                int rows = random.Next(1, 25);
                for (int r = 0; r < rows; r++)
                {
                    var fields = Enumerable.Range(0, 3).Select(_ => pieces[random.Next(pieces.Length)]).ToArray();
                    text.Append(string.Join(",", fields.Select(Quote))).Append(random.Next(2) == 0 ? "\n" : "\r\n");
                }
                string path = WriteBytes(Utf8.GetBytes(text.ToString()));

                var expected = CsvSource.Read(path, new CsvInputOptions()).ToList();
                var scanned = Scan(path).Where(r => !r.IsBlank).Skip(1).ToList();

                Assert.Equal(expected.Count, scanned.Count);
                for (int i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i].Fields, scanned[i].Fields);
                    Assert.Equal(expected[i].Line, scanned[i].Line);
                }
            }

            static string Quote(string value) =>
                value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || value.StartsWith(' ') || value.EndsWith(' ')
                    ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }

        [Fact]
        public void StopsAtTheEndOfAFileTruncatedUnderIt()
        {
            byte[] content = Utf8.GetBytes("a\n1\n2\n");
            string path = WriteBytes(content);
            using var handle = File.OpenHandle(path);
            // The range says 100 bytes; the file has 6.
            var scanner = new CsvRecordScanner(handle, 0, 100, 1, Utf8, ",");

            Assert.Equal(3, scanner.Records().Count());
            Assert.Equal(6, scanner.Position);
        }

        [Fact]
        public void ReadsOtherDelimitersAndLatin1()
        {
            var latin1 = Encoding.Latin1;
            byte[] content = latin1.GetBytes("Ort;Wert\nKöln;1,5\n");
            string path = WriteBytes(content);

            var records = Scan(path, delimiter: ";", encoding: latin1);

            Assert.Equal(new[] { "Köln", "1,5" }, records[1].Fields);
            Assert.Equal(content.Length, records[1].End);
        }

        [Fact]
        public void SkipsAUtf8ByteOrderMarkAndRefusesUtf16()
        {
            Assert.Equal(3, CsvRecordScanner.PreambleLength(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a' }, "f.csv"));
            Assert.Equal(0, CsvRecordScanner.PreambleLength(Utf8.GetBytes("a,b"), "f.csv"));
            var e = Assert.Throws<AutoencoderException>(() => CsvRecordScanner.PreambleLength(new byte[] { 0xFF, 0xFE, (byte)'a', 0 }, "f.csv"));
            Assert.Equal("IncrementalEncodingUnsupported", e.ErrorId);
            Assert.Contains("f.csv", e.Message);
        }

        [Fact]
        public void AcceptsAsciiBasedEncodingsAndOneCharacterDelimitersOnly()
        {
            CsvRecordScanner.CheckEncoding(new UTF8Encoding(true));
            CsvRecordScanner.CheckEncoding(Encoding.Latin1);
            CsvRecordScanner.CheckEncoding(Encoding.ASCII);
            Assert.Equal("IncrementalEncodingUnsupported", Assert.Throws<AutoencoderException>(() => CsvRecordScanner.CheckEncoding(Encoding.Unicode)).ErrorId);
            Assert.Equal("IncrementalEncodingUnsupported", Assert.Throws<AutoencoderException>(() => CsvRecordScanner.CheckEncoding(Encoding.UTF32)).ErrorId);

            Assert.Equal((byte)';', CsvRecordScanner.DelimiterByte(Utf8, ";"));
            Assert.Equal((byte)'\t', CsvRecordScanner.DelimiterByte(Utf8, "\t"));
            Assert.Equal("IncrementalDelimiterUnsupported", Assert.Throws<AutoencoderException>(() => CsvRecordScanner.DelimiterByte(Utf8, "||")).ErrorId);
            Assert.Equal("IncrementalDelimiterUnsupported", Assert.Throws<AutoencoderException>(() => CsvRecordScanner.DelimiterByte(Utf8, "\"")).ErrorId);
        }
    }
}
