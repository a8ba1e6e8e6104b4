using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using CsvHelper;
using CsvHelper.Configuration;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Scoring;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The byte-level file scorer gives what the record path gives (CsvHelper records, Featurize, Score, the writer's
    /// Write): the same rows, fields, scores and explanations, the same rejected rows at the same lines; explanations on
    /// the anomalies only, or on every row (explainAll), as the writer is told.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class CsvFileScorerTests : IDisposable
    {
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public CsvFileScorerTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose() => temp.Dispose();

        private AutoencoderModel Model => fixture.Mixed.Model;
        private FeatureSchema Schema => Model.Schema!;

        // An awkward export: BOM, CRLF, LF and lone-CR line ends mixed, blank lines, quoted fields (some with the delimiter, a
        // quote or a line break inside), a short row, a row with an extra field, bad values, missing-value markers.
        private static readonly string[] LineEnds = { "\n", "\n", "\r\n", "\r" };

        private string AwkwardCsv(CultureInfo culture, string delimiter, int count, int seed)
        {
            var rows = MessyData.Rows(count, seed, missingShare: 0.1);
            var lines = MessyData.Csv(rows, culture, delimiter).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            var random = new Random(seed);
            var text = new StringBuilder();
            for (int i = 0; i < lines.Count; i++)
            {
                string line = lines[i];
                var fields = line.Split(delimiter);
                if (i > 0)
                {
                    switch (random.Next(14))
                    {
                        case 0: fields[2] = $"\"{fields[2]}\""; break;                                  // a quoted category
                        case 1: fields[^1] = $"\"said \"\"hi\"\"{delimiter} then\nleft\""; break;       // quote, delimiter, line break
                        case 2: fields[4] = "abc"; break;                                                // not a number
                        case 3: fields = fields.Take(fields.Length - 2).ToArray(); break;                // a short row
                        case 4: fields = fields.Append("extra").ToArray(); break;                        // a field too many
                        case 5: fields[4] = $"\"{fields[4]}\""; break;                                   // a quoted number
                        case 6: fields[5] = " 12" + (culture.NumberFormat.NumberDecimalSeparator) + "5 "; break; // blanks around a number
                        case 7: fields[1] = "yesterday"; break;                                           // not a time
                        case 8: fields[6] = "1.5e2"; break;                                               // an exponent
                        case 9: fields[^1] = "späť → 東京"; break;                                        // text outside ASCII
                    }
                }
                text.Append(string.Join(delimiter, fields));
                text.Append(LineEnds[random.Next(LineEnds.Length)]);
                if (random.Next(25) == 0) text.Append(LineEnds[random.Next(LineEnds.Length)]); // a blank line
            }
            return text.ToString();
        }

        private sealed class Outcome
        {
            public List<string[]> Rows { get; } = new List<string[]>();
            public List<string> Rejected { get; } = new List<string>();
            public long Written { get; set; }
            public string Text { get; set; } = "";
        }

        private static List<string[]> ReadBack(string path, CsvInputOptions options)
        {
            using var reader = new StreamReader(path);
            using var parser = new CsvParser(reader, new CsvConfiguration(options.Culture) { Delimiter = options.EffectiveDelimiter, BadDataFound = null });
            var rows = new List<string[]>();
            while (parser.Read()) rows.Add(parser.Record!);
            return rows;
        }

        // The record path, as Test-Anomaly reads files record by record.
        private Outcome ByRecords(string input, CsvInputOptions options, int batch, bool explainAll = false)
        {
            string output = temp.File("records-" + Guid.NewGuid().ToString("N") + ".csv");
            var result = new Outcome();
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3, explainAll: explainAll))
            {
                var records = new List<CsvRecord>();
                var rows = new List<double[]>();
                var imputed = new List<List<string>?>();
                void Flush()
                {
                    if (rows.Count == 0) return;
                    var scores = Model.Score(rows, imputed.Select(names => (IReadOnlyList<string>?)names).ToList());
                    for (int i = 0; i < scores.Length; i++) writer.Write(records[i], scores[i], imputed[i], Schema);
                    result.Written += scores.Length;
                    records.Clear(); rows.Clear(); imputed.Clear();
                }
                long ordinal = 0;
                foreach (var record in CsvSource.Read(input, options))
                {
                    ordinal++;
                    var features = new double[Schema.Width];
                    var names = new List<string>();
                    try { Schema.Featurize(record, options.Culture, features, MissingValuePolicy.Impute, names); }
                    catch (FeatureValueException e) { result.Rejected.Add($"{record.Line}:{e.Column}:{e.Value}:{ordinal}"); continue; }
                    records.Add(record); rows.Add(features); imputed.Add(names.Count > 0 ? names : null);
                    if (rows.Count == batch) Flush();
                }
                Flush();
                writer.Commit();
            }
            result.Rows.AddRange(ReadBack(output, options));
            result.Text = File.ReadAllText(output);
            return result;
        }

        private Outcome ByBytes(string input, CsvInputOptions options, int batch, Func<bool>? stopping = null, int threads = 1, bool explainAll = false)
        {
            string output = temp.File("bytes-" + Guid.NewGuid().ToString("N") + ".csv");
            var result = new Outcome();
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3, explainAll: explainAll))
            {
                using var scorer = new CsvFileScorer(Model, writer, options, new ScoringOptions { BatchSize = batch }, MissingValuePolicy.Impute, threads)
                {
                    RowRejected = (record, e, ordinal) => result.Rejected.Add($"{record.Line}:{e.Column}:{e.Value}:{ordinal}"),
                    Stopping = stopping,
                };
                bool finished = scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true);
                result.Written = scorer.Rows;
                if (!finished) return result;
                writer.Commit();
            }
            result.Rows.AddRange(ReadBack(output, options));
            result.Text = File.ReadAllText(output);
            return result;
        }

        [Theory]
        [InlineData("", ",", 7, false)]
        [InlineData("", ",", 256, false)]
        [InlineData("", ",", 256, true)]
        [InlineData("de-DE", ";", 64, false)]
        [InlineData("de-DE", ";", 64, true)]
        [InlineData("en-US", "\t", 1, false)]
        public void GivesTheRowsFieldsScoresAndErrorsOfTheRecordPath(string cultureName, string delimiter, int batch, bool explainAll)
        {
            var culture = CultureInfo.GetCultureInfo(cultureName);
            var options = new CsvInputOptions { Culture = culture, Delimiter = delimiter };
            string input = temp.File("awkward.csv");
            File.WriteAllText(input, AwkwardCsv(culture, delimiter, 600, seed: 3), new UTF8Encoding(true));
            Assert.Null(CsvFileScorer.Unsupported(input, options, Model));

            var expected = ByRecords(input, options, batch, explainAll);
            var actual = ByBytes(input, options, batch, explainAll: explainAll);

            Assert.True(expected.Rejected.Count > 10, "the file should have rejected rows");
            Assert.Equal(expected.Rejected, actual.Rejected);
            Assert.Equal(600, expected.Written + expected.Rejected.Count);
            Assert.Equal(expected.Written, actual.Written);
            Assert.Equal(expected.Rows.Count, actual.Rows.Count);
            for (int i = 0; i < expected.Rows.Count; i++)
                Assert.Equal(expected.Rows[i], actual.Rows[i]);
            // The premise: explained and unexplained rows both (explainAll: every row), so the paths agree on which is which.
            int explanation = Array.IndexOf(expected.Rows[0], ScoreColumns.Explanation);
            var explained = expected.Rows.Skip(1).Select(r => r[explanation].Length > 0).ToList();
            Assert.Contains(true, explained);
            if (explainAll) Assert.DoesNotContain(false, explained);
            else Assert.Contains(false, explained);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AWindows1252FilesRowsWithLettersOutsideAsciiAreRejectedAsNotUtf8AsOnTheRecordPath(int threads)
        {
            // Excel's "CSV (Comma delimited)": every fifth row's message has umlauts, one of them quoted (the byte reader's other path).
            var lines = MessyData.Csv(MessyData.Rows(40, seed: 4), CultureInfo.InvariantCulture, ",").TrimEnd('\n').Split('\n');
            for (int i = 1; i < lines.Length; i += 5)
                lines[i] = lines[i].Substring(0, lines[i].LastIndexOf(',') + 1) + (i == 6 ? "\"Grüße, Bäle\"" : "Grüße");
            string input = temp.File("cp1252.csv");
            File.WriteAllBytes(input, CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(string.Join("\n", lines) + "\n"));
            var options = new CsvInputOptions();

            var actual = ByBytes(input, options, 16, threads: threads);

            Assert.Equal(8, actual.Rejected.Count);
            Assert.All(actual.Rejected, r => Assert.Contains(":message:Gr\uFFFD\uFFFDe", r));
            Assert.Equal(32, actual.Written);
            Assert.Equal(ByRecords(input, options, 16).Rejected, actual.Rejected);
        }

        [Fact]
        public void CopiesAnUnquotedRowsBytesAsTheyWere()
        {
            var options = new CsvInputOptions();
            string input = temp.File("plain.csv");
            // A field with blanks around it: the record path re-quotes it (CsvHelper's rule), the byte path copies it.
            string row = string.Join(",", MessyData.Csv(MessyData.Rows(1, seed: 9), CultureInfo.InvariantCulture, ",").Split('\n')[1].Split(',').Select((f, j) => j == 7 ? " padded text " : f));
            File.WriteAllText(input, string.Join(",", MessyData.Columns) + "\n" + row + "\n");
            var actual = ByBytes(input, options, 16);
            var lines = actual.Text.Split("\r\n");
            Assert.StartsWith(row + ",", lines[1]);
            Assert.Equal(" padded text ", actual.Rows[1][7]);
            Assert.Equal(ByRecords(input, options, 16).Rows, actual.Rows);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void StoppingStopsBeforeTheNextRecordAndWritesNothingMore(int threads)
        {
            var options = new CsvInputOptions();
            string input = temp.File("stop.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(3 * CsvFileScorer.ChunkRows, seed: 4), CultureInfo.InvariantCulture, ","));
            int asked = 0;
            var result = ByBytes(input, options, 50, stopping: () => ++asked > 2 * CsvFileScorer.ChunkRows + 10, threads: threads);
            Assert.Equal(2 * CsvFileScorer.ChunkRows + 11, asked);
            // One thread writes a chunk when the first record of the next is read: two went out. Two threads write a chunk
            // once its worker is done: at most the two handed over, whole, and nothing read after them.
            if (threads == 1) Assert.Equal(2 * CsvFileScorer.ChunkRows, result.Written);
            else Assert.Contains(result.Written, new long[] { 0, CsvFileScorer.ChunkRows, 2 * CsvFileScorer.ChunkRows });
        }

        [Theory]
        [InlineData(2, 256, false)]
        [InlineData(2, 256, true)]
        [InlineData(3, 100, false)]
        public void SeveralThreadsWriteTheFileOfOneThreadByteForByte(int threads, int batch, bool explainAll)
        {
            var culture = CultureInfo.InvariantCulture;
            var options = new CsvInputOptions();
            string input = temp.File("big-awkward.csv");
            File.WriteAllText(input, AwkwardCsv(culture, ",", 3 * CsvFileScorer.ChunkRows + 123, seed: 5), new UTF8Encoding(true));

            var one = ByBytes(input, options, batch, threads: 1, explainAll: explainAll);
            var several = ByBytes(input, options, batch, threads: threads, explainAll: explainAll);

            Assert.True(one.Rejected.Count > 100, "the file should have rejected rows");
            Assert.Equal(one.Rejected, several.Rejected);
            Assert.Equal(one.Written, several.Written);
            Assert.Equal(one.Text, several.Text);
            Assert.Equal(ByRecords(input, options, batch, explainAll).Rows, several.Rows);
        }

        [Theory]
        [InlineData(100, 1)]
        [InlineData(100, 2)]
        [InlineData(3 * CsvFileScorer.ChunkRows + 5, 1)]
        [InlineData(3 * CsvFileScorer.ChunkRows + 5, 2)]
        [InlineData(3 * CsvFileScorer.ChunkRows + 5, 3)]
        public void EachWorkerScoresWithAReplicaOfTheModelThatSharesItsNetwork(int rows, int threads)
        {
            var options = new CsvInputOptions();
            string input = temp.File("replicas.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(rows, seed: 8), CultureInfo.InvariantCulture, ","));
            string output = temp.File("replicas-scored.csv");
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(Model, writer, options, threads);
                scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true);
                // One replica per worker, the calling thread's too, made when the file starts.
                int replicas = threads;
                Assert.Equal(replicas, scorer.Replicas);
                // A second file makes its own (a replica lives as long as the model is held, one file).
                scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true);
                Assert.Equal(2 * replicas, scorer.Replicas);
                writer.Commit();
            }
            // The replicas did not dispose the network they shared: the model still scores, and the same as the file says.
            Assert.False(Model.IsDisposed);
            var once = ByBytes(input, options, 64, threads: 1).Text;
            Assert.Equal(once + once.Substring(once.IndexOf('\n') + 1), File.ReadAllText(output));
        }

        [Theory]
        [InlineData(100, 1)]
        [InlineData(CsvFileScorer.ChunkRows + 3, 2)]
        public void ReadsTheRowsAfterAHeaderOfAnotherColumnOrderByItAndWritesThemUnderTheOutputsColumns(int rows, int threads)
        {
            // Two exports joined with cat, the second with its columns in reverse order: its rows were read (and copied)
            // by the first header's positions, their values under the wrong columns, and scored so.
            var options = new CsvInputOptions();
            string part = temp.File("part.csv");
            File.WriteAllText(part, MessyData.Csv(MessyData.Rows(rows, seed: 9), CultureInfo.InvariantCulture, ","));
            var records = CsvSource.Read(part, options).ToArray();
            static string Line(IEnumerable<string> fields) =>
                string.Join(",", fields.Select(f => f.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || f.Trim() != f ? "\"" + f.Replace("\"", "\"\"") + "\"" : f));
            var text = new StringBuilder(File.ReadAllText(part));
            if (text[text.Length - 1] != '\n') text.Append('\n');
            text.Append(Line(records[0].Header.Names.Reverse())).Append('\n');
            foreach (var record in records) text.Append(Line(record.Fields.Reverse())).Append('\n');
            string joined = temp.File("joined.csv");
            File.WriteAllText(joined, text.ToString());
            int headerLine = File.ReadAllText(part).Count(c => c == '\n') + 1;

            string output = temp.File("joined-scored.csv");
            var warnings = new List<string>();
            var rejected = new List<string>();
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(Model, writer, options, threads);
                scorer.HeaderRemapped = warnings.Add;
                scorer.RowRejected = (record, e, ordinal) => rejected.Add($"{record.Line}:{e.Message}");
                Assert.True(scorer.Score(joined, CsvSource.ReadHeader(joined, options), headerInFile: true));
                writer.Commit();
            }

            // The header, then the part's rows twice: the second time each value under its own column, with the same score.
            var once = ByBytes(part, options, 64).Rows;
            var both = ReadBack(output, options).ToList();
            Assert.Equal(2 * once.Count - 1, both.Count);
            for (int i = 0; i < once.Count; i++) Assert.Equal(once[i], both[i]);
            for (int i = 1; i < once.Count; i++) Assert.Equal(once[i], both[once.Count + i - 1]);
            Assert.Equal(ByBytes(part, options, 64).Rejected.Count * 2, rejected.Count);
            Assert.Single(warnings);
            Assert.Contains($"line {headerLine}:", warnings[0], StringComparison.Ordinal);
        }

        [Fact]
        public void RefusesTheRowsAfterAHeaderWithAColumnTheOutputLacksAndKeepsThoseBefore()
        {
            var options = new CsvInputOptions();
            string part = temp.File("part-extra.csv");
            File.WriteAllText(part, MessyData.Csv(MessyData.Rows(20, seed: 9), CultureInfo.InvariantCulture, ","));
            var header = CsvSource.ReadHeader(part, options);
            var lines = File.ReadAllText(part).TrimEnd('\n').Split('\n');
            string joined = temp.File("joined-extra.csv");
            File.WriteAllText(joined, string.Join("\n", lines) + "\n" + string.Join(",", header.Names) + ",Extra\n" +
                string.Join("\n", lines.Skip(1).Select(l => l.TrimEnd('\r') + ",x")) + "\n");
            string output = temp.File("joined-extra-scored.csv");
            using var writer = new ScoredCsvWriter(output, options, topFeatures: 3);
            using var scorer = Scorer(Model, writer, options, 1);

            var error = Assert.Throws<AutoencoderException>(() => scorer.Score(joined, CsvSource.ReadHeader(joined, options), headerInFile: true));

            Assert.Equal(ErrorIds.CsvHeaderMismatch, error.ErrorId);
            Assert.Contains($"line {lines.Length + 1}", error.Message, StringComparison.Ordinal);
            Assert.Contains("'Extra' added", error.Message, StringComparison.Ordinal);
            Assert.Equal(ByBytes(part, options, 64).Written, scorer.Rows);
        }

        // A file scorer in batches of 64 rows, imputing missing values, as most tests here use it.
        private static CsvFileScorer Scorer(AutoencoderModel model, ScoredCsvWriter writer, CsvInputOptions options, int threads,
            Action<long>? beforeChunk = null) =>
            new CsvFileScorer(model, writer, options, new ScoringOptions { BatchSize = 64 }, MissingValuePolicy.Impute, threads)
            {
                BeforeChunk = beforeChunk,
            };

        // A copy of the shared model, for a test that disposes or retrains it.
        private AutoencoderModel CopyOfModel() => Persistence.ModelFile.Deserialize(Persistence.ModelFile.Serialize(Model), "");

        // Scores `input` with `model` on `threads` threads, calling `duringFile` once, on the scoring thread, when the first
        // chunks have gone to the workers; returns the scored file.
        private string ScoreDuringFile(AutoencoderModel model, string input, Action duringFile, int threads = 2)
        {
            var options = new CsvInputOptions();
            string output = temp.File("during-" + Guid.NewGuid().ToString("N") + ".csv");
            bool called = false;
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(model, writer, options, threads);
                scorer.Progress = records =>
                {
                    if (called || records == 0) return;
                    called = true;
                    duringFile();
                };
                Assert.True(scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                writer.Commit();
            }
            Assert.True(called, "the file should have gone to the workers in chunks");
            return File.ReadAllText(output);
        }

        [Fact]
        public void TheModelIsHeldWhileAFileIsScoredSoItIsNotDisposedUnderTheWorkers()
        {
            string input = temp.File("held.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(6 * CsvFileScorer.ChunkRows, seed: 9), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, new CsvInputOptions(), 64, threads: 1).Text;
            using var model = CopyOfModel();
            System.Threading.Thread? disposing = null;
            string scored = ScoreDuringFile(model, input, () =>
            {
                // Another thread disposes the model while the workers score with its network: it waits for the file.
                disposing = new System.Threading.Thread(model.Dispose);
                disposing.Start();
                Assert.False(disposing.Join(200), "Dispose should wait while the file is scored");
            });
            Assert.NotNull(disposing);
            Assert.True(disposing!.Join(10000), "Dispose should go on once the file is scored");
            Assert.True(model.IsDisposed);
            Assert.Equal(expected, scored);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AWorkersFailureEndsTheFileOnTheCallingThreadAfterTheChunksBeforeItAndTheScorerGoesOn(int threads)
        {
            var options = new CsvInputOptions();
            string input = temp.File("worker-fails.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(6 * CsvFileScorer.ChunkRows, seed: 12), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, options, 64, threads: 1).Text;
            string output = temp.File("worker-fails-scored.csv");
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(Model, writer, options, threads,
                    beforeChunk: index => { if (index == 2) throw new IOException("chunk 2 failed"); });
                var e = Assert.Throws<IOException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                Assert.Equal("chunk 2 failed", e.Message);
                // The chunks before the failed one were written, nothing after it.
                Assert.Equal(2 * CsvFileScorer.ChunkRows, scorer.Rows);
                // The same scorer scores the next file whole (no worker or chunk left over from the failure).
                scorer.BeforeChunk = null;
                Assert.True(scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                Assert.Equal(2 * CsvFileScorer.ChunkRows + 6 * CsvFileScorer.ChunkRows, scorer.Rows);
                writer.Commit();
            }
            var lines = File.ReadAllText(output).Split("\r\n");
            var whole = expected.Split("\r\n");
            // Header, the failed file's first two chunks, then the second file in full: each row as one thread wrote it.
            Assert.Equal(whole.Take(1 + 2 * CsvFileScorer.ChunkRows), lines.Take(1 + 2 * CsvFileScorer.ChunkRows));
            Assert.Equal(whole.Skip(1), lines.Skip(1 + 2 * CsvFileScorer.ChunkRows));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AFileKeepsTheThresholdItStartedWithWhenTheModelIsRecalibratedMeanwhile(int threads)
        {
            // Recalibrating goes on while a file is scored (another runspace; here the scoring thread, before chunk 2),
            // but the file is scored by the model as it was when it started, on one thread as on several.
            var options = new CsvInputOptions();
            string input = temp.File("recalibrated.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(5 * CsvFileScorer.ChunkRows, seed: 15), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, options, 64, threads: 1).Text;
            using var model = CopyOfModel();
            string output = temp.File("recalibrated-scored.csv");
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(model, writer, options, threads,
                    beforeChunk: index => { if (index == 2) model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, 0)); });
                Assert.True(scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                writer.Commit();
            }
            Assert.Equal(0, model.Threshold);
            Assert.Equal(expected, File.ReadAllText(output));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AFileThatCannotBeOpenedLeavesNoReplicaForTheNext(int threads)
        {
            // The replicas of a file that failed to open go with it: the next file scores with the model as it is then.
            AssertTheNextFileScoresWithTheModelAsItIsThen(threads, (scorer, header) =>
                Assert.ThrowsAny<IOException>(() => scorer.Score(temp.File("gone.csv"), header, headerInFile: true)));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AFileWhoseLengthCannotBeReadLeavesNoReplicaForTheNext(int threads)
        {
            // A FIFO opens (once a writer comes) but has no length: the replicas made for it go with it, so the next file
            // scores with the model as it is then, not with the threshold of the file that failed.
            if (OperatingSystem.IsWindows()) return;
            string fifo = temp.File("pipe.csv");
            Fifo.Make(fifo);
            AssertTheNextFileScoresWithTheModelAsItIsThen(threads, (scorer, header) =>
            {
                var opener = new System.Threading.Thread(() => { using var end = new FileStream(fifo, FileMode.Open, FileAccess.Write); });
                opener.Start();
                Assert.ThrowsAny<NotSupportedException>(() => scorer.Score(fifo, header, headerInFile: true));
                Assert.True(opener.Join(TimeSpan.FromSeconds(30)), "the FIFO's writer did not get through");
            });
        }

        // A file fails first (failFirst), the model is recalibrated, and the next file scores with the model as it is then.
        private void AssertTheNextFileScoresWithTheModelAsItIsThen(int threads, Action<CsvFileScorer, CsvHeader> failFirst)
        {
            var options = new CsvInputOptions();
            string input = temp.File("after-failure.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(3 * CsvFileScorer.ChunkRows, seed: 17), CultureInfo.InvariantCulture, ","));
            var header = CsvSource.ReadHeader(input, options);
            using var model = CopyOfModel();
            using var writer = new ScoredCsvWriter(temp.File("after-failure-scored.csv"), options, topFeatures: 3);
            using var scorer = Scorer(model, writer, options, threads);
            failFirst(scorer, header);
            model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, 0));
            Assert.True(scorer.Score(input, header, headerInFile: true));
            Assert.Equal(3 * CsvFileScorer.ChunkRows, scorer.Rows);
            // Threshold 0: every row scored by the recalibrated model is an anomaly.
            Assert.Equal(scorer.Rows, scorer.Anomalies);
        }

        [Fact]
        public void AScorerMadeForTheSchemaACallBeganWithRefusesAModelTrainedAfreshSince()
        {
            // A cmdlet scored files record by record with the model's schema; the model was trained afresh before its first
            // file scored from the bytes: that file is not scored by the new model (the call's output would mix two).
            var options = new CsvInputOptions();
            string input = temp.File("began-with.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(100, seed: 18), CultureInfo.InvariantCulture, ","));
            using var model = CopyOfModel();
            var began = model.Schema!;
            model.Train(fixture.Mixed.Set.Schema, fixture.Mixed.Set.Rows, MixedCase.Options(1));
            Assert.NotSame(began, model.Schema);
            using var writer = new ScoredCsvWriter(temp.File("began-with-scored.csv"), options, topFeatures: 3);
            using var scorer = new CsvFileScorer(model, writer, options, new ScoringOptions { BatchSize = 64 }, MissingValuePolicy.Impute, 2, began);

            var e = Assert.Throws<AutoencoderException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));

            Assert.Equal(ErrorIds.ModelChangedWhileScoring, e.ErrorId);
            Assert.Equal(0, scorer.Rows);
        }

        [Fact]
        public void AModelThatBeganToLearnAfterTheScorerWasMadeIsNotScoredOnSeveralThreads()
        {
            var options = new CsvInputOptions();
            string input = temp.File("learns.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(100, seed: 16), CultureInfo.InvariantCulture, ","));
            using var model = CopyOfModel();
            using var writer = new ScoredCsvWriter(temp.File("learns-scored.csv"), options, topFeatures: 3);
            using var scorer = Scorer(model, writer, options, 2);
            model.LearnEvery = 50;
            var e = Assert.Throws<AutoencoderException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
            Assert.Equal(ErrorIds.ModelChangedWhileScoring, e.ErrorId);
            Assert.Equal(0, scorer.Rows);
        }

        [Fact]
        public void TheCallingThreadScoresChunksWhenTheOthersAreSlowAndTheFileIsTheSame()
        {
            // The pool's worker is made slow: the calling thread must score waiting chunks itself rather than wait.
            var options = new CsvInputOptions();
            string input = temp.File("caller-scores.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(12 * CsvFileScorer.ChunkRows + 7, seed: 13), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, options, 64, threads: 1).Text;
            string output = temp.File("caller-scores-scored.csv");
            int caller = Environment.CurrentManagedThreadId;
            var byCaller = new System.Collections.Concurrent.ConcurrentBag<long>();
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(Model, writer, options, 2,
                    beforeChunk: index =>
                    {
                        if (Environment.CurrentManagedThreadId == caller) byCaller.Add(index);
                        else System.Threading.Thread.Sleep(50);
                    });
                Assert.True(scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                writer.Commit();
            }
            Assert.NotEmpty(byCaller);
            Assert.Equal(expected, File.ReadAllText(output));
        }

        [Fact]
        public void AChunkThatFailsOnTheCallingThreadEndsTheFileThereAsOnAnyOther()
        {
            var options = new CsvInputOptions();
            string input = temp.File("caller-fails.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(12 * CsvFileScorer.ChunkRows, seed: 14), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, options, 64, threads: 1).Text;
            string output = temp.File("caller-fails-scored.csv");
            int caller = Environment.CurrentManagedThreadId;
            long failed = -1;
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(Model, writer, options, 2,
                    beforeChunk: index =>
                    {
                        if (Environment.CurrentManagedThreadId != caller) { System.Threading.Thread.Sleep(50); return; }
                        if (System.Threading.Interlocked.CompareExchange(ref failed, index, -1) == -1) throw new IOException($"chunk {index} failed");
                    });
                var e = Assert.Throws<IOException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                // Any chunk, the first too when the pool's thread starts late on a loaded machine.
                Assert.True(failed >= 0, "the calling thread should have scored (and failed) a chunk");
                Assert.Equal($"chunk {failed} failed", e.Message);
                // Every chunk before the failed one was written, none after it.
                Assert.Equal(failed * CsvFileScorer.ChunkRows, scorer.Rows);
                writer.Commit();
            }
            var whole = expected.Split("\r\n");
            // The header goes out before the first chunk (CsvFileScorer: output.Begin), so it is there when chunk 0 failed too.
            var written = whole.Take(1 + (int)failed * CsvFileScorer.ChunkRows);
            Assert.Equal(written.Append(""), File.ReadAllText(output).Split("\r\n"));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void TheModelCannotBeDisposedFromTheThreadThatScoresAFileWithItsNetwork(int threads)
        {
            // A nested prompt during a file (a row's error with -ErrorAction Inquire, then Suspend) runs on the scoring
            // thread: disposing the model there could not wait for the file, so it throws ModelInUse, and the file goes on.
            string input = temp.File("same-thread.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(4 * CsvFileScorer.ChunkRows, seed: 10), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, new CsvInputOptions(), 64, threads: 1).Text;
            using var model = CopyOfModel();
            Exception? refused = null;
            string scored = ScoreDuringFile(model, input, () =>
            {
                try { model.Dispose(); }
                catch (Exception e) { refused = e; }
            }, threads);
            Assert.Equal(ErrorIds.ModelInUse, Assert.IsType<AutoencoderException>(refused).ErrorId);
            Assert.False(model.IsDisposed);
            Assert.Equal(expected, scored);
            // After the file the model is the caller's again.
            model.Dispose();
            Assert.True(model.IsDisposed);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TrainingOnTheThreadThatScoresAFileWithItsNetworkFailsBeforeItsFirstEpoch(bool incremental)
        {
            // A nested prompt during a file: training there could never swap its network in (the file holds the old one
            // until it is done), so it is refused with ModelInUse before it trains, not after the whole run.
            string input = temp.File("train-same-thread.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(4 * CsvFileScorer.ChunkRows, seed: 18), CultureInfo.InvariantCulture, ","));
            var expected = ByBytes(input, new CsvInputOptions(), 64, threads: 1).Text;
            using var model = CopyOfModel();
            var schema = model.Schema!;
            // An incremental run goes on from the model's own schema; a new one brings its own.
            var trainOn = incremental ? schema : fixture.Mixed.Set.Schema;
            int epochs = 0;
            Exception? refused = null;
            string scored = ScoreDuringFile(model, input, () =>
            {
                try { model.Train(trainOn, fixture.Mixed.Set.Rows, MixedCase.Options(2), _ => epochs++, continueTraining: incremental); }
                catch (Exception e) { refused = e; }
            }, threads: 1);
            var error = Assert.IsType<AutoencoderException>(refused);
            Assert.Equal(ErrorIds.ModelInUse, error.ErrorId);
            Assert.Contains("after the file", error.Message);
            Assert.Equal(0, epochs);
            Assert.Same(schema, model.Schema);
            Assert.Equal(expected, scored);
            // After the file the model is the caller's again: the same run trains.
            model.Train(trainOn, fixture.Mixed.Set.Rows, MixedCase.Options(2), _ => epochs++, continueTraining: incremental);
            Assert.True(epochs > 0);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void AModelTrainedAgainBetweenTwoFilesIsNotUsedForTheSecond(int threads)
        {
            var options = new CsvInputOptions();
            string input = temp.File("retrained.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(300, seed: 11), CultureInfo.InvariantCulture, ","));
            using var model = CopyOfModel();
            using var writer = new ScoredCsvWriter(temp.File("retrained-scored.csv"), options, topFeatures: 3);
            using var scorer = Scorer(model, writer, options, threads);
            Assert.True(scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
            // Trained again (another runspace, between the files of one call): a new schema, perhaps other features.
            model.Train(fixture.Mixed.Set.Schema, fixture.Mixed.Set.Rows, MixedCase.Options(2));
            var e = Assert.Throws<AutoencoderException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
            Assert.Equal(ErrorIds.ModelChangedWhileScoring, e.ErrorId);
            Assert.Equal(300, scorer.Rows);
        }

        [Fact]
        public void AModelThatLearnsAndIsTrainedAgainDuringAFileEndsTheFileAtTheNextChunk()
        {
            // A model that learns from the rows it scores is not held for a file (its weights change with the rows), so
            // another runspace may train it again meanwhile, with a new schema: the file's columns were mapped by the old
            // one. The file ends with ModelChangedWhileScoring before the next chunk; nothing after it is scored, written
            // or learned from, and the output, not committed, leaves the previous file in place.
            var options = new CsvInputOptions();
            string input = temp.File("learns-retrained.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(5 * CsvFileScorer.ChunkRows, seed: 19), CultureInfo.InvariantCulture, ","));
            string output = temp.File("learns-retrained-scored.csv");
            File.WriteAllText(output, "previous output");
            using var model = CopyOfModel();
            model.LearnEvery = 64;
            Exception? trainingFailed = null;
            using (var writer = new ScoredCsvWriter(output, options, topFeatures: 3))
            {
                using var scorer = Scorer(model, writer, options, 1, beforeChunk: index =>
                {
                    if (index != 2) return;
                    // Another runspace trains it again, on a thread of its own, between chunks 1 and 2.
                    var training = new System.Threading.Thread(() =>
                    {
                        try { model.Train(fixture.Mixed.Set.Schema, fixture.Mixed.Set.Rows, MixedCase.Options(2)); }
                        catch (Exception e) { trainingFailed = e; }
                    });
                    training.Start();
                    training.Join();
                });
                var e = Assert.Throws<AutoencoderException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
                Assert.Equal(ErrorIds.ModelChangedWhileScoring, e.ErrorId);
                Assert.Contains($"'{input}'", e.Message);
                Assert.Contains($"from {2 * CsvFileScorer.ChunkRows + 1} on", e.Message);
                Assert.Equal(2 * CsvFileScorer.ChunkRows, scorer.Rows);
            }
            // The premise: trained again, a new schema. The new network learned nothing from rows the old schema read.
            Assert.Null(trainingFailed);
            Assert.Same(fixture.Mixed.Set.Schema, model.Schema);
            Assert.Equal(0, model.LearningUpdates);
            Assert.Equal(0, model.LearningPending);
            Assert.Equal("previous output", File.ReadAllText(output));
            Assert.Equal(new[] { input, output }.OrderBy(p => p), Directory.GetFiles(temp.Path).OrderBy(p => p));
        }

        [Fact]
        public void AFileThatShrinksWhileReadEndsWithInputFileShrankAndWithoutItsLastRow()
        {
            var options = new CsvInputOptions();
            string input = temp.File("shrinks.csv");
            File.WriteAllText(input, MessyData.Csv(MessyData.Rows(300, seed: 6), CultureInfo.InvariantCulture, ","));
            string output = temp.File("shrinks-scored.csv");
            int asked = 0;
            long progress = -1;
            using var writer = new ScoredCsvWriter(output, options, topFeatures: 3);
            var scorer = new CsvFileScorer(Model, writer, options, 64, MissingValuePolicy.Impute)
            {
                // The caller numbers the next file's rows after the records this one reported.
                Progress = records => progress = records,
                // Truncated under the reader (after it has buffered the rows): the end is not the real end.
                Stopping = () =>
                {
                    if (++asked == 10)
                        using (var file = new FileStream(input, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) file.SetLength(file.Length / 2);
                    return false;
                },
            };
            var e = Assert.Throws<AutoencoderException>(() => scorer.Score(input, CsvSource.ReadHeader(input, options), headerInFile: true));
            Assert.Equal("InputFileShrank", e.ErrorId);
            Assert.Equal(299, scorer.Rows); // every row but the last, possibly torn, one was scored and written
            Assert.Equal(300, progress); // every record read, the dropped one included (it has its row number)
        }

        [Fact]
        public void NamesTheFilesOnlyTheRecordPathReads()
        {
            var plain = new CsvInputOptions();
            string utf8 = temp.File("utf8.csv");
            File.WriteAllText(utf8, "cpu,memory\r\n1,2\r\n");
            Assert.Null(CsvFileScorer.Unsupported(utf8, plain, Model));
            Assert.Contains("encoding", CsvFileScorer.Unsupported(utf8, new CsvInputOptions { Encoding = Encoding.Latin1 }, Model));
            Assert.Contains("delimiter", CsvFileScorer.Unsupported(utf8, new CsvInputOptions { Delimiter = "||" }, Model));

            string utf16 = temp.File("utf16.csv");
            File.WriteAllText(utf16, "cpu,memory\r\n1,2\r\n", Encoding.Unicode);
            Assert.Contains("UTF-16", CsvFileScorer.Unsupported(utf16, plain, Model));

            // Old Mac exports (a lone CR ends each line) are read by the byte reader, as CsvHelper reads them.
            string mac = temp.File("mac.csv");
            File.WriteAllText(mac, "cpu,memory\r1,2\r");
            Assert.Null(CsvFileScorer.Unsupported(mac, plain, Model));
        }
    }
}
