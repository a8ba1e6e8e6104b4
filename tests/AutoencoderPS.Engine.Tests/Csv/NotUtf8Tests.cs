using System;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A Windows-1252 export (Excel's "CSV (Comma delimited)") read as UTF-8: every reader (CsvHelper's, the byte reader
    /// of file scoring and of the scheduled job) rejects the rows that hold bytes that are not UTF-8, naming the column,
    /// the bytes and -Encoding, where it read 'Zürich' as 'Z\uFFFDrich', a site the model never saw. The other rows are read.
    /// </summary>
    public sealed class NotUtf8Tests : IDisposable
    {
        private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        // Rows 2 and 4 hold a non-ASCII letter (one a quoted field, the byte reader's other path); rows 1, 3, 5 are ASCII.
        private const string Sites =
            "time,site,cpu,note\n" +
            "2026-03-01 00:00,Basel,20,ok\n" +
            "2026-03-01 00:01,Zürich,80,ok\n" +
            "2026-03-01 00:02,Bern,50,\"a, b\"\n" +
            "2026-03-01 00:03,Basel,21,\"Grüße, Bäle\"\n" +
            "2026-03-01 00:04,Bern,51,ok\n";

        private string Write(string name, string text, Encoding encoding, bool bom = false)
        {
            string path = temp.File(name);
            var bytes = encoding.GetBytes(text);
            File.WriteAllBytes(path, bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray() : bytes);
            return path;
        }

        private static void AssertZurich(FeatureValueException? error)
        {
            Assert.NotNull(error);
            Assert.Equal(ErrorIds.InputNotUtf8, error!.ErrorId);
            Assert.Equal("site", error.Column);
            Assert.Contains("0xFC", error.Message);
            Assert.Contains("it is 'Zürich' in Windows-1252", error.Message);
            Assert.Contains("-Encoding 1252", error.Message);
        }

        private static void AssertGreetings(FeatureValueException? error)
        {
            Assert.NotNull(error);
            Assert.Equal("note", error!.Column);
            Assert.Contains("0xFC, 0xDF, 0xE4", error.Message);
            Assert.Contains("'Grüße, Bäle'", error.Message);
        }

        [Fact]
        public void CsvHelpersReaderRejectsTheRowsWithBytesThatAreNotUtf8AndReadsTheOthers()
        {
            string path = Write("sites.csv", Sites, Windows1252);

            var records = CsvSource.Read(path, new CsvInputOptions()).ToArray();

            Assert.Equal(5, records.Length);
            Assert.Equal(new bool[] { false, true, false, true, false }, records.Select(r => r.FieldCountError() != null));
            AssertZurich(records[1].FieldCountError());
            AssertGreetings(records[3].FieldCountError());
        }

        [Fact]
        public void TheByteReaderOfFileScoringAndTheJobRejectsTheSameRows()
        {
            string path = Write("sites.csv", Sites, Windows1252);
            var header = CsvSource.ReadHeader(path, new CsvInputOptions());
            using var handle = File.OpenHandle(path);

            var records = new CsvRecordScanner(handle, 0, new FileInfo(path).Length, 1, new UTF8Encoding(false), ",") { EndEndsRecord = true }
                .Records().Skip(1).Select(r => r.Under(header, path)).ToArray();

            Assert.Equal(new bool[] { false, true, false, true, false }, records.Select(r => r.FieldCountError() != null));
            AssertZurich(records[1].FieldCountError());
            AssertGreetings(records[3].FieldCountError());
        }

        [Fact]
        public void AHeaderWithBytesThatAreNotUtf8IsNotReadByAnyReader()
        {
            string path = Write("temperature.csv", "time,Temperatur °C\n2026-03-01 00:00,21\n", Windows1252);

            var error = Assert.Throws<AutoencoderException>(() => CsvSource.ReadHeader(path, new CsvInputOptions()));

            Assert.Equal(ErrorIds.InputNotUtf8, error.ErrorId);
            Assert.Contains("line 1: column 2 of the header", error.Message);
            Assert.Contains("0xB0", error.Message);
            Assert.Contains("'Temperatur °C'", error.Message);
            Assert.Throws<AutoencoderException>(() => CsvSource.Read(path, new CsvInputOptions()).ToArray());
        }

        [Fact]
        public void WithTheRightEncodingOrInUtf8WithOrWithoutAMarkTheRowsAreRead()
        {
            string cp1252 = Write("sites-1252.csv", Sites, Windows1252);
            string utf8 = Write("sites-utf8.csv", Sites, new UTF8Encoding(false));
            string marked = Write("sites-bom.csv", Sites, new UTF8Encoding(false), bom: true);

            var windows = CsvSource.Read(cp1252, new CsvInputOptions { Encoding = Windows1252 }).ToArray();
            Assert.All(windows, r => Assert.Null(r.FieldCountError()));
            Assert.Equal("Zürich", windows[1].Fields[1]);
            foreach (var path in new[] { utf8, marked })
            {
                var records = CsvSource.Read(path, new CsvInputOptions()).ToArray();
                Assert.All(records, r => Assert.Null(r.FieldCountError()));
                Assert.Equal("Zürich", records[1].Fields[1]);
                Assert.Equal("time", records[0].Header.Names[0]);
            }
        }

        [Fact]
        public void AMarkedUtf8FileWithABadByteIsStillCaught()
        {
            string path = temp.File("marked-bad.csv");
            File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Windows1252.GetBytes(Sites)).ToArray());

            var records = CsvSource.Read(path, new CsvInputOptions()).ToArray();

            AssertZurich(records[1].FieldCountError());
        }

        [Theory]
        [InlineData(16)]
        [InlineData(64)]
        [InlineData(1 << 20)]
        public void TheByteReaderFindsEveryRowWithBytesThatAreNotUtf8WhereverItsBufferEnds(int bufferSize)
        {
            // Rows of UTF-8 (ASCII, and letters outside it) and of Windows-1252, mixed: the reader's scan for bytes outside
            // ASCII goes a buffer at a time, so rows that straddle its end must be checked as the others are.
            var random = new Random(3);
            var bytes = new System.Collections.Generic.List<byte>();
            var expected = new System.Collections.Generic.List<bool>();
            for (int i = 0; i < 200; i++)
            {
                int kind = random.Next(4);
                string row = $"{i},{(kind == 0 ? "plain" : "Zürich")},{random.Next(100)}\n";
                bytes.AddRange(kind == 2 ? Windows1252.GetBytes(row) : Encoding.UTF8.GetBytes(row));
                expected.Add(kind == 2);
            }
            var reader = new CsvRecordReader(new MemoryStream(bytes.ToArray()), (byte)',', new UTF8Encoding(false)) { BufferSize = bufferSize };
            var found = new System.Collections.Generic.List<bool>();
            while (reader.Next())
            {
                found.Add(reader.NotUtf8 != null);
                if (reader.NotUtf8 != null) Assert.Equal(1, reader.NotUtf8.Index);
            }
            Assert.Equal(expected, found);
        }

        [Fact]
        public void ABinaryFilesHeaderIsLeftToTheMissingColumnsErrorWhichSaysItIsNoText()
        {
            // Random bytes among the exports: -Encoding would be the wrong advice (ColumnMismatch says "does not look like text").
            var bytes = new byte[2000];
            new Random(5).NextBytes(bytes);
            string path = temp.File("junk.csv");
            File.WriteAllBytes(path, bytes);

            var header = CsvSource.ReadHeader(path, new CsvInputOptions());

            Assert.Contains(header.Names, n => n.Contains('\uFFFD'));
        }
    }
}
