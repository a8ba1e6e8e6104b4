using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    public sealed class CsvSourceTests : IDisposable
    {
        private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private string Write(string name, string content, Encoding? encoding = null)
        {
            string path = temp.File(name);
            File.WriteAllText(path, content, encoding ?? new UTF8Encoding(false));
            return path;
        }

        private static CsvRecord[] Read(string path, CsvInputOptions? options = null) =>
            CsvSource.Read(path, options ?? new CsvInputOptions()).ToArray();

        private static object? Value(IRecord record, string column)
        {
            Assert.True(record.TryGetValue(column, out var value), $"no column '{column}'");
            return value;
        }

        [Fact]
        public void ReadsTheHeaderAndEachRowAsTextWithFileAndLine()
        {
            string path = Write("plain.csv", "host,cpu,level\nweb-1,12.5,INFO\nweb-2,80,WARN\n");

            var records = Read(path);

            Assert.Equal(2, records.Length);
            Assert.Equal(new[] { "host", "cpu", "level" }, records[0].ColumnNames);
            Assert.Equal(new[] { "web-1", "12.5", "INFO" }, records[0].Fields);
            Assert.Equal("80", Value(records[1], "CPU")); // column names ignore case, as Import-Csv's do
            Assert.Equal(path, records[0].File);
            Assert.Equal(new long[] { 2, 3 }, records.Select(r => r.Line));
            Assert.Same(records[0].Header, records[1].Header);
            Assert.False(records[0].TryGetValue("memory", out var absent));
            Assert.Null(absent);
        }

        [Fact]
        public void ReadHeaderReadsOnlyTheHeader()
        {
            string path = Write("header.csv", " host , cpu\nweb-1,1\n");

            var header = CsvSource.ReadHeader(path, new CsvInputOptions());

            Assert.Equal(new[] { "host", "cpu" }, header.Names); // trimmed
            Assert.Equal(1, header.IndexOf("CPU"));
            Assert.Equal(-1, header.IndexOf("memory"));
        }

        [Fact]
        public void QuotedFieldsKeepDelimitersQuotesAndLineBreaksAndLinesStayRight()
        {
            string path = Write("quoted.csv",
                "host,message,cpu\n" +
                "web-1,\"disk full, retrying\",10\n" +              // line 2
                "web-2,\"he said \"\"stop\"\"\",20\n" +                // line 3
                "web-3,\"first line\nsecond line\nthird\",30\n" +  // lines 4-6
                "web-4,plain,40\n");                                // line 7

            var records = Read(path);

            Assert.Equal(4, records.Length);
            Assert.Equal("disk full, retrying", Value(records[0], "message"));
            Assert.Equal("he said \"stop\"", Value(records[1], "message"));
            Assert.Equal("first line\nsecond line\nthird", Value(records[2], "message"));
            Assert.Equal("30", Value(records[2], "cpu"));
            Assert.Equal("40", Value(records[3], "cpu"));
            Assert.Equal(new long[] { 2, 3, 4, 7 }, records.Select(r => r.Line));
        }

        [Fact]
        public void WindowsLineEndsCountTheSame()
        {
            string path = Write("crlf.csv", "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n");

            var records = Read(path);

            Assert.Equal(new long[] { 2, 4 }, records.Select(r => r.Line));
            Assert.Equal("x\r\ny", Value(records[0], "b"));
        }

        [Fact]
        public void BlankLinesAreSkippedAndLineNumbersStayRight()
        {
            string path = Write("blank.csv", "a,b\n\n1,2\n\"x\ny\",3\n\n\n4,5\n");

            var records = Read(path);

            Assert.Equal(new[] { "1", "x\ny", "4" }, records.Select(r => r.Fields[0]));
            Assert.Equal(new long[] { 3, 4, 8 }, records.Select(r => r.Line));
        }

        [Fact]
        public void BlankLinesAreSkipped()
        {
            string path = Write("blank-count.csv", "a,b\n1,2\n\n3,4\n\n");

            Assert.Equal(new[] { "1", "3" }, Read(path).Select(r => r.Fields[0]));
        }

        [Fact]
        public void AByteOrderMarkIsNotPartOfTheFirstColumnName()
        {
            string path = Write("bom.csv", "host,cpu\nweb-1,1\n", new UTF8Encoding(true));
            Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);

            var records = Read(path);

            Assert.Equal("host", records[0].Header.Names[0]);
            Assert.Equal("web-1", Value(records[0], "host"));
        }

        [Fact]
        public void TheEncodingOptionReadsOtherEncodingsAndABomWins()
        {
            string latin1 = Write("latin1.csv", "host,Ort\nweb-1,Köln\n", Encoding.Latin1);
            string utf16 = Write("utf16.csv", "host,Ort\nweb-1,Köln\n", Encoding.Unicode); // with its BOM

            Assert.Equal("Köln", Value(Read(latin1, new CsvInputOptions { Encoding = Encoding.Latin1 })[0], "Ort"));
            Assert.Equal("Köln", Value(Read(utf16, new CsvInputOptions { Encoding = Encoding.Latin1 })[0], "Ort"));
            Assert.Equal("Köln", Value(Read(utf16)[0], "Ort"));
        }

        [Fact]
        public void HeaderOptionNamesTheColumnsOfAFileWithoutAHeaderRow()
        {
            string path = Write("noheader.csv", "web-1,12.5\nweb-2,80\n");

            var records = Read(path, new CsvInputOptions { Header = new[] { "host", "cpu" } });

            Assert.Equal(2, records.Length);
            Assert.Equal("web-1", Value(records[0], "host"));
            Assert.Equal("80", Value(records[1], "cpu"));
            Assert.Equal(new long[] { 1, 2 }, records.Select(r => r.Line));
            Assert.Equal(new[] { "host", "cpu" }, CsvSource.ReadHeader(path, new CsvInputOptions { Header = new[] { "host", "cpu" } }).Names);
        }

        [Fact]
        public void ShortRowsLackTheirTrailingValues()
        {
            string path = Write("short.csv", "host,cpu,memory\nweb-1,1\nweb-2\nweb-3,3,300,extra\n");

            var records = Read(path);

            Assert.Equal("1", Value(records[0], "cpu"));
            Assert.Null(Value(records[0], "memory"));     // present in the header, so true, but no value
            Assert.Null(Value(records[1], "cpu"));
            Assert.Equal("300", Value(records[2], "memory"));
            Assert.False(records[2].TryGetValue("extra", out _));
        }

        [Fact]
        public void RowsWhoseFieldsDoNotFitTheHeaderAreRejectedNamingTheCounts()
        {
            // A row that left out a field was read by position: the values after it under the wrong columns (a CPU value
            // read as memory), the last filled in, and scored without a word (an operator trial, a sysstat export).
            // A row with more fields than the header (a second header of a multi-part export) likewise; a delimiter at
            // the end of each row (empty extras) fits.
            string path = Write("fields.csv", "host,cpu,mem\nweb-1,1,2\nweb-2,3\nweb-3,4,5,\nweb-4,6,7,8\n");
            var schema = new FeatureSchema(new[] { new FeatureColumn("cpu", median: 5), new FeatureColumn("mem", median: 5) });
            var rows = Read(path);
            var row = new double[2];

            schema.Featurize(rows[0], CultureInfo.InvariantCulture, row);
            Assert.Equal(new[] { 1.0, 2.0 }, row);
            var shortRow = Assert.Throws<FeatureValueException>(() => schema.Featurize(rows[1], CultureInfo.InvariantCulture, row));
            Assert.Equal(ErrorIds.FieldCountMismatch, shortRow.ErrorId);
            Assert.Contains("2 field(s) and the header 3", shortRow.Message, StringComparison.Ordinal);
            schema.Featurize(rows[2], CultureInfo.InvariantCulture, row);
            Assert.Equal(new[] { 4.0, 5.0 }, row);
            var longRow = Assert.Throws<FeatureValueException>(() => schema.Featurize(rows[3], CultureInfo.InvariantCulture, row));
            Assert.Equal(ErrorIds.FieldCountMismatch, longRow.ErrorId);
            Assert.Contains("field 4 holds '8'", longRow.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(false, "a,b,c", 3, true)]
        [InlineData(false, "a,b,c", 2, false)]      // a field left out
        [InlineData(false, "a,b,c,", 3, true)]      // a delimiter at the end of the header alone: the unnamed column may be missing
        [InlineData(false, "a,b,c", 5, false)]      // extras with values
        [InlineData(true, "a,b,c", 5, true)]        // -Header naming only the first columns, as Import-Csv takes it
        [InlineData(true, "a,b,c", 2, false)]
        public void AHeaderFitsRowsByOneRule(bool given, string names, int fields, bool fits)
        {
            var header = new CsvHeader(names.Split(','), "x.csv", given);
            var error = header.Fit(fields, i => "v" + i);
            Assert.Equal(fits, error == null);
            if (error != null) Assert.Equal(ErrorIds.FieldCountMismatch, error.ErrorId);
            // Blank extras (a delimiter at the end of each row) always fit.
            Assert.Null(header.Fit(header.Names.Count + 2, _ => " "));
        }

        [Fact]
        public void AnAnnotatedInfluxExportIsToldItsFirstLineIsNoHeader()
        {
            // InfluxDB's annotated CSV: 'column 'false' appears more than once' said nothing of why.
            string path = Write("influx.csv",
                "#group,false,false,true,true,false,false,true,true,true\n" +
                "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string\n" +
                "#default,_result,,,,,,,,\n" +
                ",result,table,_start,_stop,_time,_value,_field,_measurement,host\n" +
                ",,0,2026-12-01T00:00:00Z,2026-12-02T00:00:00Z,2026-12-01T00:00:00Z,12.5,cpu,system,web01\n");
            var error = Assert.Throws<AutoencoderException>(() => Read(path));
            Assert.Equal(ErrorIds.DuplicateColumn, error.ErrorId);
            Assert.Contains("starts '#group'", error.Message, StringComparison.Ordinal);
            Assert.Contains("InfluxDB", error.Message, StringComparison.Ordinal);
            // A header that happens to repeat a name is told no such thing.
            Assert.DoesNotContain("annotation", Assert.Throws<AutoencoderException>(() => new CsvHeader(new[] { "a", "A" }, "f")).Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("host,cpu,host\n1,2,3\n", "host")]
        [InlineData("host,cpu,CPU\n1,2,3\n", "CPU")]
        [InlineData("host, cpu ,cpu\n1,2,3\n", "cpu")]
        public void ADuplicateColumnNameThrowsDuplicateColumn(string content, string duplicate)
        {
            string path = Write("dup.csv", content);

            var error = Assert.Throws<AutoencoderException>(() => Read(path));

            Assert.Equal("DuplicateColumn", error.ErrorId);
            Assert.Contains($"'{duplicate}'", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Equal("DuplicateColumn", Assert.Throws<AutoencoderException>(() => new CsvHeader(new[] { "a", "A" }, "f")).ErrorId);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\n\n")]
        public void AnEmptyFileThrowsEmptyCsvFile(string content)
        {
            string path = Write("empty.csv", content);

            Assert.Equal("EmptyCsvFile", Assert.Throws<AutoencoderException>(() => Read(path)).ErrorId);
            Assert.Equal("EmptyCsvFile", Assert.Throws<AutoencoderException>(() => CsvSource.ReadHeader(path, new CsvInputOptions())).ErrorId);
        }

        [Fact]
        public void AnEmptyFileWithOnlyABomThrowsEmptyCsvFile()
        {
            string path = Write("bom-only.csv", "", new UTF8Encoding(true));

            Assert.Equal("EmptyCsvFile", Assert.Throws<AutoencoderException>(() => Read(path)).ErrorId);
        }

        [Fact]
        public void AHeaderWithoutRowsHasNoRecords()
        {
            Assert.Empty(Read(Write("header-only.csv", "host,cpu\n")));
        }

        [Fact]
        public void TheDelimiterDefaultsToCommaForInvariantAndTheListSeparatorOtherwise()
        {
            Assert.Equal(",", new CsvInputOptions().EffectiveDelimiter);
            Assert.Equal(",", new CsvInputOptions { Culture = CultureInfo.InvariantCulture }.EffectiveDelimiter);
            Assert.Equal(";", new CsvInputOptions { Culture = German }.EffectiveDelimiter);
            Assert.Equal(German.TextInfo.ListSeparator, new CsvInputOptions { Culture = German }.EffectiveDelimiter);
            Assert.Equal("\t", new CsvInputOptions { Culture = German, Delimiter = "\t" }.EffectiveDelimiter);
            Assert.Equal(";", new CsvInputOptions { Culture = German, Delimiter = "" }.EffectiveDelimiter);
        }

        [Fact]
        public void AGermanExportReadsWithSemicolonsAndDecimalCommas()
        {
            var rows = MessyData.Rows(50, 31);
            string path = Write("de.csv", MessyData.Csv(rows, German, ";"), new UTF8Encoding(true));
            var options = new CsvInputOptions { Culture = German };

            var records = Read(path, options);

            Assert.Equal(50, records.Length);
            Assert.Equal(MessyData.Columns, records[0].Header.Names);
            var schema = FeatureSchema.Infer(records, null, null, German, out _, timeFeatures: true).Fit(records, German);
            var row = new double[schema.Width];
            for (int i = 0; i < rows.Count; i++)
            {
                schema.Featurize(records[i], German, row);
                Assert.Equal((double)rows[i].Cpu, row[schema.FirstSlot(schema.IndexOf("cpu"))]);
                Assert.Equal(rows[i].Latency, row[schema.FirstSlot(schema.IndexOf("latency"))]);
                Assert.Equal(rows[i].Time.ToString("ddd HH:mm", CultureInfo.InvariantCulture), schema.Describe(schema.IndexOf("time"), row));
                Assert.Equal(i + 2, records[i].Line);
            }
        }

        [Fact]
        public void ReadIsLazyAndYieldsOneRowAtATime()
        {
            string path = Write("stream.csv", "a\n1\n2\nnot,even,close\n");
            var missing = CsvSource.Read(temp.File("absent.csv"), new CsvInputOptions()); // nothing opened yet

            using var enumerator = CsvSource.Read(path, new CsvInputOptions()).GetEnumerator();

            Assert.Throws<FileNotFoundException>(() => missing.First());
            Assert.True(enumerator.MoveNext());
            Assert.Equal("1", enumerator.Current.Fields[0]);
            Assert.True(enumerator.MoveNext());
            Assert.True(enumerator.MoveNext());
            Assert.Equal(3, enumerator.Current.Fields.Count);
            Assert.False(enumerator.MoveNext());
        }

        // ---- The bound on one record: the byte reader's (CsvRecordReader), the same error --------------------------------

        [Fact]
        public void ALineLongerThan16MiBIsCsvRecordTooLongNamingTheFileAndLineNotReadWhole()
        {
            string path = temp.File("huge.csv");
            File.WriteAllText(path, "a,b\r\n1,2\r\n" + new string('7', CsvRecordReader.DefaultMaxRecordBytes + 1) + "\r\n3,4\r\n", new UTF8Encoding(false));

            var read = new System.Collections.Generic.List<CsvRecord>();
            var error = Assert.Throws<AutoencoderException>(() => { foreach (var r in CsvSource.Read(path, new CsvInputOptions())) read.Add(r); });

            Assert.Equal(ErrorIds.CsvRecordTooLong, error.ErrorId);
            Assert.StartsWith($"File '{path}', line 3: the record that starts there is longer than 16,777,216 bytes", error.Message);
            Assert.Equal(new long[] { 2 }, read.Select(r => r.Line));
        }

        [Fact]
        public void AHeaderLongerThan16MiBIsCsvRecordTooLongOnLine1()
        {
            string path = temp.File("huge-header.csv");
            File.WriteAllText(path, new string('h', CsvRecordReader.DefaultMaxRecordBytes + 1) + "\n1\n", new UTF8Encoding(false));

            var error = Assert.Throws<AutoencoderException>(() => CsvSource.ReadHeader(path, new CsvInputOptions()));

            Assert.Equal(ErrorIds.CsvRecordTooLong, error.ErrorId);
            Assert.StartsWith($"File '{path}', line 1:", error.Message);
        }

        [Fact]
        public void ALineOf16MiBOfMultiByteCharactersCountsItsBytes()
        {
            // 6 MiB characters of 3 bytes each: 18 MiB, past the bound, though fewer characters than it.
            string path = temp.File("wide.csv");
            File.WriteAllText(path, "a\n" + new string('\u20AC', 6 << 20) + "\n", new UTF8Encoding(false));

            var error = Assert.Throws<AutoencoderException>(() => CsvSource.Read(path, new CsvInputOptions()).ToList());

            Assert.Equal(ErrorIds.CsvRecordTooLong, error.ErrorId);
            Assert.Contains("line 2", error.Message);
        }

        [Fact]
        public void AQuoteThatIsNeverClosedIsCsvRecordTooLongAfter10000LineBreaks()
        {
            var text = new StringBuilder("a,b\n1,2\n3,\"open\n");
            for (int i = 0; i < CsvRecordReader.DefaultMaxRecordLines + 5; i++) text.Append(i).Append(",x\n");
            string path = Write("quote.csv", text.ToString());

            var error = Assert.Throws<AutoencoderException>(() => CsvSource.Read(path, new CsvInputOptions()).ToList());

            Assert.Equal(ErrorIds.CsvRecordTooLong, error.ErrorId);
            Assert.StartsWith($"File '{path}', line 3: the record that starts there spans more than 10,000 line breaks", error.Message);
            Assert.Contains("A quote (\") opens a field on line 3", error.Message);
        }

        [Theory]
        [InlineData(",")]
        [InlineData("||")]
        public void AQuoteInsideAnUnquotedFieldIsDataNotTheStartOfARecordThatNeverEnds(string delimiter)
        {
            // Only a quote that starts a field opens a quoted one (as CsvHelper reads it): the bound must not take x"y
            // for an open quote and count the rest of the file as one record.
            var text = new StringBuilder($"a{delimiter}b\n1{delimiter}x\"y\n");
            for (int i = 0; i < CsvRecordReader.DefaultMaxRecordLines + 5; i++) text.Append(i).Append(delimiter).Append("z\n");
            string path = Write($"midquote{delimiter.Length}.csv", text.ToString());

            var records = CsvSource.Read(path, new CsvInputOptions { Delimiter = delimiter }).ToArray();

            Assert.Equal(CsvRecordReader.DefaultMaxRecordLines + 6, records.Length);
            Assert.Equal("x\"y", records[0].Fields[1]);
        }

        [Theory]
        [InlineData(",", "\n")]
        [InlineData(",", "\r\n")]
        [InlineData(",", "\r")]
        [InlineData("||", "\r\n")]
        public void RecordsUnderTheBoundAreReadAsBeforeWithTheirLines(string delimiter, string newline)
        {
            // Quoted fields with line breaks, doubled quotes and the delimiter inside: the bound follows the records as CsvHelper reads them.
            string d = delimiter, n = newline;
            string path = Write($"ok{newline.Length}{delimiter.Length}.csv",
                $"a{d}b{n}\"x{n}y\"{d}\"q\"\"{d}{n}z\"{n}{n}plain{d}2{n}");

            var records = CsvSource.Read(path, new CsvInputOptions { Delimiter = delimiter }).ToArray();

            Assert.Equal(2, records.Length);
            Assert.Equal(new[] { $"x{n}y", $"q\"{d}{n}z" }, records[0].Fields);
            Assert.Equal(new long[] { 2, 6 }, records.Select(r => r.Line));
        }


        [Theory]
        [InlineData("sep=;\r\n", "")]          // Excel's line, CRLF
        [InlineData("SEP=;\n", "\uFEFF")]     // any case, after a byte-order mark
        public void ExcelsSepLineSetsTheDelimiterAndIsNoData(string sepLine, string bom)
        {
            string path = Write("sep.csv", bom + sepLine + "host;cpu\nweb-1;1.5\nweb-2;2\n");

            var header = CsvSource.ReadHeader(path, new CsvInputOptions());
            var records = Read(path);

            Assert.Equal(new[] { "host", "cpu" }, header.Names);
            Assert.Equal(2, records.Length);
            Assert.Equal(new[] { "web-1", "1.5" }, records[0].Fields);
            Assert.Equal(3, records[0].Line);
            Assert.Null(records[0].FieldCountError());
        }

        [Fact]
        public void ASepLineOfTheCulturesDelimiterIsSkippedAndAGivenOtherDelimiterIsAClearError()
        {
            string path = Write("sep-de.csv", "sep=;\nhost;cpu\nweb-1;1,5\n");

            Assert.Equal(new[] { "web-1", "1,5" }, Read(path, new CsvInputOptions { Culture = German })[0].Fields);
            Assert.Equal(new[] { "web-1", "1,5" }, Read(path, new CsvInputOptions { Delimiter = ";" })[0].Fields);
            var error = Assert.Throws<AutoencoderException>(() => CsvSource.ReadHeader(path, new CsvInputOptions { Delimiter = "," }));
            Assert.Equal(ErrorIds.SepLineConflict, error.ErrorId);
            Assert.Contains("'sep=;'", error.Message);
            Assert.Contains("-Delimiter ';'", error.Message);
        }

        [Theory]
        [InlineData("sep=\nhost,cpu\n")]        // no delimiter named
        [InlineData("sep=;;\nhost,cpu\n")]      // more than one character
        [InlineData("separator,cpu\nx,1\n")]    // a column that starts with the word
        public void OnlyALineOfSepAndOneCharacterIsASepLine(string text)
        {
            Assert.Null(CsvSource.SepLineDelimiter(Write("nosep.csv", text)));
        }
    }
}
