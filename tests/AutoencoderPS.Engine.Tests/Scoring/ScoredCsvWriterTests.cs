using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class ScoredCsvWriterTests : IDisposable
    {
        private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public ScoredCsvWriterTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose() => temp.Dispose();

        private MixedCase Mixed => fixture.Mixed;
        private FeatureSchema Schema => Mixed.Model.Schema!;

        private sealed class Scored
        {
            public CsvRecord[] Records { get; init; } = Array.Empty<CsvRecord>();
            public RowScore[] Scores { get; init; } = Array.Empty<RowScore>();
            public List<string>[] Imputed { get; init; } = Array.Empty<List<string>>();
        }

        private string Export(string name, IEnumerable<MessyData.Row> rows, CultureInfo culture, string delimiter)
        {
            string path = temp.File(name);
            File.WriteAllText(path, MessyData.Csv(rows, culture, delimiter), new UTF8Encoding(true));
            return path;
        }

        // Reads a file and scores it, as Test-Anomaly -Path does.
        private Scored ScoreFile(string path, CsvInputOptions options)
        {
            var records = CsvSource.Read(path, options).ToArray();
            var imputed = records.Select(_ => new List<string>()).ToArray();
            var rows = records.Select((r, i) =>
            {
                var row = new double[Schema.Width];
                Schema.Featurize(r, options.Culture, row, MissingValuePolicy.Impute, imputed[i]);
                return row;
            }).ToList();
            return new Scored { Records = records, Scores = Mixed.Model.Score(rows), Imputed = imputed };
        }

        private void WriteAll(ScoredCsvWriter writer, Scored scored)
        {
            for (int i = 0; i < scored.Records.Length; i++)
                writer.Write(scored.Records[i], scored.Scores[i], scored.Imputed[i], Schema);
        }

        private string[] OtherFiles(params string[] except) =>
            Directory.GetFiles(temp.Path).Where(f => !except.Contains(f)).ToArray();

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void OutputHoldsTheOriginalColumnsThenTheScoreColumnsInTheInputsCulture(bool explainAll)
        {
            var rows = MessyData.Rows(60, 41, missingShare: 0.1);
            var options = new CsvInputOptions { Culture = German };
            var scored = ScoreFile(Export("de.csv", rows, German, ";"), options);
            // The premise: the file has anomalies and normal rows, whose explanations differ by explainAll.
            Assert.Contains(scored.Scores, s => s.IsAnomaly);
            Assert.Contains(scored.Scores, s => !s.IsAnomaly);
            string output = temp.File("scored.csv");

            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 2, explainAll: explainAll))
            {
                WriteAll(writer, scored);
                Assert.Equal(60, writer.Rows);
                writer.Commit();
            }

            string[] lines = File.ReadAllLines(output);
            Assert.Equal(string.Join(";", MessyData.Columns.Concat(ScoredCsvWriter.ScoreColumns)), lines[0]);
            Assert.Equal(new[] { "AnomalyScore", "IsAnomaly", "AnomalyTopFeature", "AnomalyExplanation", "ImputedFeatures" }, ScoredCsvWriter.ScoreColumns);
            var back = CsvSource.Read(output, options).ToArray();
            Assert.Equal(60, back.Length);
            int n = MessyData.Columns.Length;
            for (int i = 0; i < back.Length; i++)
            {
                var score = scored.Scores[i];
                Assert.Equal(scored.Records[i].Fields, back[i].Fields.Take(n));
                string scoreText = back[i].Fields[n];
                Assert.DoesNotContain(".", scoreText, StringComparison.Ordinal);
                Assert.Equal(BitConverter.DoubleToInt64Bits(score.Score), BitConverter.DoubleToInt64Bits(double.Parse(scoreText, German)));
                Assert.Equal(score.IsAnomaly ? "True" : "False", back[i].Fields[n + 1]);
                // The top feature on every row; the explanation on anomalies, or on every row with explainAll.
                Assert.Equal(Schema.Columns[score.TopFeature].Name, back[i].Fields[n + 2]);
                if (explainAll || score.IsAnomaly)
                {
                    Assert.Equal(score.Explain(2, German), back[i].Fields[n + 3]);
                    Assert.Contains("; ", back[i].Fields[n + 3], StringComparison.Ordinal); // quoted, as it holds the delimiter
                }
                else Assert.Equal("", back[i].Fields[n + 3]);
                Assert.Equal(string.Join("|", scored.Imputed[i]), back[i].Fields[n + 4]);
            }
            Assert.Contains(back, r => r.Fields[n + 4].Length > 0);
            Assert.All(back, r => Assert.Matches("^(cpu)?(\\|?memory)?$", r.Fields[n + 4]));
        }

        [Fact]
        public void ExplainAllChangesOnlyTheExplanationOfNormalRows()
        {
            var options = new CsvInputOptions { Culture = German };
            var scored = ScoreFile(Export("de.csv", MessyData.Rows(60, 41, missingShare: 0.1), German, ";"), options);
            string anomalies = temp.File("anomalies.csv"), all = temp.File("all.csv");
            foreach (var (path, explainAll) in new[] { (anomalies, false), (all, true) })
            {
                using var writer = new ScoredCsvWriter(path, options, topFeatures: 2, explainAll: explainAll);
                WriteAll(writer, scored);
                writer.Commit();
            }

            var few = CsvSource.Read(anomalies, options).ToArray();
            var every = CsvSource.Read(all, options).ToArray();
            int explanation = MessyData.Columns.Length + 3;
            Assert.Equal(every.Length, few.Length);
            for (int i = 0; i < every.Length; i++)
            {
                Assert.NotEqual("", every[i].Fields[explanation]);
                Assert.Equal(scored.Scores[i].IsAnomaly ? every[i].Fields[explanation] : "", few[i].Fields[explanation]);
                Assert.Equal(every[i].Fields.Where((_, k) => k != explanation), few[i].Fields.Where((_, k) => k != explanation));
            }
            Assert.True(new FileInfo(anomalies).Length < new FileInfo(all).Length);
        }

        [Fact]
        public void ScoringAFileGivesTheSameScoresAsScoringTheRecordsInMemory()
        {
            var rows = MessyData.Rows(60, 42, missingShare: 0.1);
            var fromFile = ScoreFile(Export("de.csv", rows, German, ";"), new CsvInputOptions { Culture = German });

            var fromMemory = Mixed.Model.Score(MessyData.Records(rows, Invariant).Select(r => Mixed.Featurize(r)).ToList());

            ScoreAssert.Identical(fromMemory, fromFile.Scores);
        }

        [Fact]
        public void InvariantOutputUsesCommasAndDecimalPoints()
        {
            var options = new CsvInputOptions();
            var scored = ScoreFile(Export("inv.csv", MessyData.Rows(20, 43), Invariant, ","), options);
            string output = temp.File("scored.csv");

            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 1, explainAll: true))
            {
                WriteAll(writer, scored);
                writer.Commit();
            }

            var lines = File.ReadAllLines(output);
            Assert.StartsWith("id,time,host,", lines[0], StringComparison.Ordinal);
            var back = CsvSource.Read(output, options).ToArray();
            for (int i = 0; i < back.Length; i++)
            {
                Assert.Equal(scored.Scores[i].Score, double.Parse(back[i].Fields[8], Invariant));
                Assert.Equal(scored.Scores[i].Explain(1, Invariant), back[i].Fields[11]);
                Assert.Equal("", back[i].Fields[12]);
            }
            Assert.Equal(0xEF, File.ReadAllBytes(temp.File("inv.csv"))[0]);
            Assert.NotEqual(0xEF, File.ReadAllBytes(output)[0]); // UTF-8 without a byte-order mark
        }

        [Fact]
        public void NothingAppearsAtTheTargetUntilCommit()
        {
            var options = new CsvInputOptions { Culture = German };
            string input = Export("de.csv", MessyData.Rows(30, 44), German, ";");
            var scored = ScoreFile(input, options);
            string output = temp.File("scored.csv");

            using var writer = new ScoredCsvWriter(output, options, topFeatures: 3);
            WriteAll(writer, scored);

            Assert.False(File.Exists(output));
            var pending = Assert.Single(OtherFiles(input));
            Assert.StartsWith(".scored.csv.", Path.GetFileName(pending), StringComparison.Ordinal);
            Assert.EndsWith(".tmp", pending, StringComparison.Ordinal);

            writer.Commit();

            Assert.True(File.Exists(output));
            Assert.Equal(new[] { output }, OtherFiles(input));
            Assert.Equal(31, File.ReadAllLines(output).Length);
        }

        [Fact]
        public void CommitReplacesAPreviousOutput()
        {
            var options = new CsvInputOptions { Culture = German };
            string input = Export("de.csv", MessyData.Rows(10, 45), German, ";");
            var scored = ScoreFile(input, options);
            string output = temp.File("scored.csv");
            File.WriteAllText(output, "old content\n");

            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                WriteAll(writer, scored);
                Assert.Equal("old content\n", File.ReadAllText(output));
                writer.Commit();
            }

            Assert.StartsWith("id;time;", File.ReadAllText(output), StringComparison.Ordinal);
            Assert.Equal(new[] { output }, OtherFiles(input));
        }

        [Fact]
        public void DisposeWithoutCommitLeavesAPreviousFileByteIdenticalAndNoTemporaryFile()
        {
            var options = new CsvInputOptions { Culture = German };
            string input = Export("de.csv", MessyData.Rows(30, 46), German, ";");
            var scored = ScoreFile(input, options);
            string output = temp.File("scored.csv");
            var previous = new byte[4096];
            new Random(46).NextBytes(previous);
            File.WriteAllBytes(output, previous);

            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                WriteAll(writer, scored);
                // A failure here: the run ends without Commit.
            }

            Assert.Equal(previous, File.ReadAllBytes(output));
            Assert.Equal(new[] { output }, OtherFiles(input));
        }

        [Fact]
        public void DisposeWithoutCommitAndWithoutAPreviousFileLeavesNothing()
        {
            var options = new CsvInputOptions();
            string input = Export("inv.csv", MessyData.Rows(5, 47), Invariant, ",");
            var scored = ScoreFile(input, options);
            string output = temp.File("scored.csv");

            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
                WriteAll(writer, scored);

            Assert.Empty(OtherFiles(input));
        }

        [Fact]
        public void RowsOfASecondFileWithTheSameColumnsGoIntoTheSameOutput()
        {
            var options = new CsvInputOptions();
            var first = ScoreFile(Export("a.csv", MessyData.Rows(5, 48), Invariant, ","), options);
            var second = ScoreFile(Export("b.csv", MessyData.Rows(7, 49), Invariant, ","), options);
            string output = temp.File("scored.csv");

            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                WriteAll(writer, first);
                WriteAll(writer, second);
                Assert.Equal(12, writer.Rows);
                writer.Commit();
            }

            Assert.Equal(13, File.ReadAllLines(output).Length);
        }

        [Fact]
        public void ASecondFileWithOtherColumnsThrowsCsvHeaderMismatch()
        {
            var options = new CsvInputOptions();
            var rows = MessyData.Rows(5, 50);
            var first = ScoreFile(Export("a.csv", rows, Invariant, ","), options);
            string other = temp.File("b.csv");
            File.WriteAllText(other, "id,time,host,level,cpu,memory,latency,message,extra\n" +
                string.Join(",", rows[0].Values.Select(v => MessyData.Text(v, Invariant))) + ",1\n");
            var otherRecord = CsvSource.Read(other, options).Single();
            string output = temp.File("scored.csv");

            using var writer = new ScoredCsvWriter(output, options, topFeatures: 3);
            WriteAll(writer, first);
            var error = Assert.Throws<AutoencoderException>(() => writer.Write(otherRecord, first.Scores[0], null, Schema));

            Assert.Equal("CsvHeaderMismatch", error.ErrorId);
            Assert.Contains(other, error.Message, StringComparison.Ordinal);
            Assert.Equal(5, writer.Rows);
        }

        // The writer formats rows itself (no CsvHelper writer): the original fields must come out exactly as CsvHelper
        // would write them, quotes, delimiters, line breaks and edge spaces included.
        [Theory]
        [InlineData(",", false)]
        [InlineData(";", false)]
        [InlineData("||", false)]
        [InlineData(",", true)]
        [InlineData(";", true)]
        [InlineData("||", true)]
        public void OriginalFieldsAreQuotedExactlyAsCsvHelperQuotesThem(string delimiter, bool explainAll)
        {
            var options = new CsvInputOptions { Delimiter = delimiter };
            string[] names = { "id", "cpu", "memory", "note" };
            var tricky = new[]
            {
                "", " ", "plain", " lead", "trail ", "a\"b", "\"", "x,y", "x;y", "x||y", "x|y", "line\nbreak", "cr\rhere",
                "crlf\r\nend", "\"\"", "tab\there", "1,5", "ümlaut", "=1+2",
            };
            string input = temp.File("tricky.csv");
            using (var file = new StreamWriter(input))
            using (var csv = new CsvHelper.CsvWriter(file, options.Configuration(hasHeader: true)))
            {
                foreach (var name in names) csv.WriteField(name);
                csv.NextRecord();
                for (int i = 0; i < tricky.Length; i++)
                {
                    csv.WriteField(tricky[i]);
                    csv.WriteField((10 + i).ToString(Invariant));
                    csv.WriteField((20 + i).ToString(Invariant));
                    csv.WriteField(tricky[tricky.Length - 1 - i]);
                    csv.NextRecord();
                }
            }
            var schema = new FeatureSchema(new[] { new FeatureColumn("cpu", ColumnRole.Numeric), new FeatureColumn("memory", ColumnRole.Numeric) });
            schema = schema.Fit(CsvSource.Read(input, options), Invariant);
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, seed: 3));
            var records = CsvSource.Read(input, options).ToArray();
            var rows = records.Select(r => { var row = new double[schema.Width]; schema.Featurize(r, Invariant, row); return row; }).ToList();
            model.Train(schema, rows, new TrainingOptions { Epochs = 1 });
            var scores = model.Score(rows);
            string output = temp.File("scored.csv");
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 2, explainAll: explainAll))
            {
                for (int i = 0; i < records.Length; i++) writer.Write(records[i], scores[i], i % 2 == 0 ? null : new[] { "cpu", "memory" }, schema);
                writer.Commit();
            }

            var expected = new StringWriter();
            using (var csv = new CsvHelper.CsvWriter(expected, options.Configuration(hasHeader: true)))
            {
                foreach (var name in names.Concat(ScoredCsvWriter.ScoreColumns)) csv.WriteField(name);
                csv.NextRecord();
                for (int i = 0; i < records.Length; i++)
                {
                    foreach (var field in records[i].Fields) csv.WriteField(field);
                    csv.WriteField(scores[i].Score.ToString("R", Invariant));
                    csv.WriteField(scores[i].IsAnomaly ? "True" : "False");
                    csv.WriteField(schema.Columns[scores[i].TopFeature].Name);
                    csv.WriteField(explainAll || scores[i].IsAnomaly ? scores[i].Explain(2, Invariant) : "");
                    csv.WriteField(i % 2 == 0 ? "" : "cpu|memory");
                    csv.NextRecord();
                }
            }
            Assert.Equal(tricky.Length, records.Length);
            Assert.Equal(expected.ToString(), File.ReadAllText(output));
        }
    }
}
