using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Csv;
using CsvHelper;
using CsvHelper.Configuration;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The one byte reader (file scoring and the scheduled job both read through it): whole streams, read as CsvHelper
    /// reads them, whatever the buffer size; records bounded.
    /// </summary>
    public sealed class CsvRecordReaderTests
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

        // Records with every kind of line end, blank lines, quoted fields holding delimiters, quotes and line breaks,
        // stray quotes, text outside ASCII; the last record without a line end half of the time.
        private static string Messy(int seed, int count)
        {
            var random = new Random(seed);
            string[] ends = { "\n", "\r\n", "\r" };
            string[] fields = { "1", "2.5", "", "\"q,uoted\"", "\"two\nlines\"", "\"cr\rinside\"", "\"a \"\"quote\"\"\"", "x\"y", "späť", "\"\"", " pad " };
            var text = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                int n = 1 + random.Next(5);
                text.Append(string.Join(",", Enumerable.Range(0, n).Select(_ => fields[random.Next(fields.Length)])));
                if (i < count - 1 || random.Next(2) == 0) text.Append(ends[random.Next(ends.Length)]);
                if (random.Next(10) == 0) text.Append(ends[random.Next(ends.Length)]);
            }
            return text.ToString();
        }

        private static List<(long Line, string[] Fields)> ReadAll(byte[] bytes, int bufferSize)
        {
            var reader = new CsvRecordReader(new MemoryStream(bytes), (byte)',', Utf8) { BufferSize = bufferSize, SkipByteOrderMark = true };
            var records = new List<(long, string[])>();
            long lastEnd = bytes.AsSpan().StartsWith(Bom) ? 3 : 0;
            while (reader.Next())
            {
                Assert.Equal(lastEnd, reader.Start);
                Assert.True(reader.End > reader.Start);
                lastEnd = reader.End;
                if (!reader.IsBlank) records.Add((reader.Line, reader.ReadFields()!));
            }
            Assert.Equal(bytes.Length, lastEnd); // every byte belongs to a record
            return records;
        }

        private static List<string[]> ReadWithCsvHelper(string text)
        {
            using var parser = new CsvParser(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null });
            var rows = new List<string[]>();
            while (parser.Read()) rows.Add(parser.Record!);
            return rows;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void ReadsWhatCsvHelperReadsWhateverTheBufferSize(int seed)
        {
            string text = Messy(seed, 400);
            byte[] bytes = Utf8.GetBytes(text);
            var expected = ReadWithCsvHelper(text);

            var large = ReadAll(bytes, 1 << 20);
            Assert.Equal(expected.Count, large.Count);
            for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], large[i].Fields);
            foreach (int size in new[] { 16, 17, 64, 333 })
                Assert.Equal(large.Select(r => (r.Line, string.Join("\u0001", r.Fields))), ReadAll(bytes, size).Select(r => (r.Line, string.Join("\u0001", r.Fields))));
        }

        [Fact]
        public void CountsPhysicalLinesAcrossEveryKindOfLineBreak()
        {
            byte[] bytes = Utf8.GetBytes("a,b\r\n1,\"x\ny\"\r2,3\n\n4,5");
            var lines = ReadAll(bytes, 16).Select(r => r.Line).ToArray();
            Assert.Equal(new long[] { 1, 2, 4, 6 }, lines);
        }

        [Theory]
        [InlineData(',', "a,b\n1,2\n   \n\t \r\n3,4\n  \r5,6\n \t", new[] { "a,b", "1,2", "3,4", "5,6" })]
        [InlineData(',', "a,b\n1,2\n  ,  \n", new[] { "a,b", "1,2", "  ,  " })]
        [InlineData('\t', "a\tb\n1\t2\n\t\n \t \n  \n3\t4\n", new[] { "a\tb", "1\t2", "\t", " \t ", "3\t4" })]
        public void ALineOfSpacesIsBlankAsImportCsvSkipsItButALineOfDelimitersIsARecord(char delimiter, string text, string[] expected)
        {
            // Import-Csv skips a line of spaces and tabs (a blank line a text editor left), and reads a line of
            // delimiters as empty fields; the file readers did the first with a FieldCountMismatch error.
            foreach (int bufferSize in new[] { 4, 1 << 16 })
            {
                var reader = new CsvRecordReader(new MemoryStream(Utf8.GetBytes(text)), (byte)delimiter, Utf8) { BufferSize = bufferSize };
                var records = new List<string>();
                while (reader.Next())
                    if (!reader.IsBlank) records.Add(string.Join(delimiter, reader.ReadFields()!));
                Assert.Equal(expected, records);
            }
        }

        [Fact]
        public void SkipsAByteOrderMarkAndCountsItInTheOffsets()
        {
            byte[] bytes = Bom.Concat(Utf8.GetBytes("a,b\n1,2\n")).ToArray();
            var reader = new CsvRecordReader(new MemoryStream(bytes), (byte)',', Utf8) { SkipByteOrderMark = true };
            Assert.True(reader.Next());
            Assert.Equal(3, reader.Start);
            Assert.Equal(new[] { "a", "b" }, reader.ReadFields());
            Assert.True(reader.Next());
            Assert.Equal(11, reader.End);
            Assert.False(reader.Next());
        }

        [Theory]
        [InlineData("1,2\n3,\"never closed\n", true)]
        [InlineData("1,2\n3,4", false)]
        public void HoldsBackAnIncompleteLastRecordWhenAsked(string text, bool quoted)
        {
            var reader = new CsvRecordReader(new MemoryStream(Utf8.GetBytes(text)), (byte)',', Utf8) { HoldIncompleteRecord = true };
            Assert.True(reader.Next());
            Assert.False(reader.Next());
            Assert.Equal(2, reader.PendingLine);
            Assert.Equal(quoted ? 1 : 0, reader.PendingLineBreaks);
        }

        [Fact]
        public void ALoggedStackTraceAndARequestDumpAreRecordsWithinTheDefaultBounds()
        {
            // A log export: a StackOverflowError's 1,024 frames plus its "Caused by" in one quoted Message, and a
            // 1.1 MB payload on one line. CsvHelper (Test-Anomaly -Path, training) reads them; so must the byte reader
            // (-OutputPath, the scheduled job), or the two disagree and the rest of the file is never scored.
            var trace = "java.lang.StackOverflowError\n" + string.Join("\n", Enumerable.Range(0, 1100).Select(i => $"\tat com.acme.Node.visit(Node.java:{i % 50})"));
            var dump = "payload " + new string('x', 1_100_000);
            string text = $"Level,Message,Ms\nINFO,ok,1\nERROR,\"{trace}\",2\nWARN,\"{dump}\",3\nINFO,ok,4\n";
            var reader = new CsvRecordReader(new MemoryStream(Utf8.GetBytes(text)), (byte)',', Utf8, "app.csv");
            var rows = new List<string[]>();
            while (reader.Next()) rows.Add(reader.ReadFields()!);
            Assert.Equal(5, rows.Count);
            Assert.Equal(trace, rows[2][1]);
            Assert.Equal(dump, rows[3][1]);
            Assert.Equal(new[] { "INFO", "ok", "4" }, rows[4]);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void ARecordPastTheBoundIsAnErrorNamingItsLineAndMemoryStaysBounded(bool quoted)
        {
            // A stray quote on line 3 swallows the rest of the file; or a line with no line break for 64 KiB.
            var text = new StringBuilder("a,b\n1,2\n");
            text.Append(quoted ? "3,\"stray\n" : "3,");
            for (int i = 0; i < 20_000; i++) text.Append(quoted ? "4,5\n" : "4545");
            var reader = new CsvRecordReader(new MemoryStream(Utf8.GetBytes(text.ToString())), (byte)',', Utf8, "big.csv")
            {
                BufferSize = 1024,
                MaxRecordBytes = 4096,
            };
            Assert.True(reader.Next());
            Assert.True(reader.Next());
            var e = Assert.Throws<AutoencoderException>(() => reader.Next());
            Assert.Equal(ErrorIds.CsvRecordTooLong, e.ErrorId);
            Assert.Contains("'big.csv', line 3", e.Message);
            Assert.Contains(quoted ? "never closed" : "No CSV export has lines that long", e.Message);
        }
    }
}
