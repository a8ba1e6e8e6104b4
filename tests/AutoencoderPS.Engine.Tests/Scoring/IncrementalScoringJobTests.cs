using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Incremental scoring's state logic: only new complete lines are scored, a killed run's uncommitted output is cut
    /// back, rotated and renamed files are told apart, and every input row ends up in the output exactly once.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class IncrementalScoringJobTests : IDisposable
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();
        private int nextId = 1;

        public IncrementalScoringJobTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose() => temp.Dispose();

        private AutoencoderModel Model => fixture.Reference.Model;

        private string Output => temp.File("scored.csv");
        private string State => Output + ".state.json";


        private static string Header => SyntheticData.CsvHeader;

        // Rows with a unique Id, so "exactly once" can be checked.
        private string Rows(int count, string newline = "\n", int seed = 3)
        {
            string text = SyntheticData.CsvRows(count, seed + nextId, nextId, newline);
            nextId += count;
            return text;
        }

        private static void Append(string path, string text) => File.AppendAllText(path, text, Utf8);

        private AnomalyScoringSummary Run(IEnumerable<string> files, RecordingObserver? recorder = null, ScoringOutputFormat format = ScoringOutputFormat.Csv,
            int batchSize = 4096, Action<IncrementalScoringJob>? setup = null, string? output = null, bool explainAll = false,
            AutoencoderModel? model = null, CsvInputOptions? csv = null, AlertCooldown? cooldown = null)
        {
            output ??= Output;
            var options = new IncrementalScoringOptions
            {
                AlertCooldown = cooldown ?? AlertCooldown.Default,
                OutputPath = output,
                StatePath = IncrementalScoringOptions.DefaultStatePath(output),
                Format = format,
                BatchSize = batchSize,
                ExplainAll = explainAll,
                Csv = csv ?? new CsvInputOptions(),
            };
            var job = new IncrementalScoringJob(model ?? Model, options, recorder ?? new RecordingObserver());
            setup?.Invoke(job);
            return job.Run(files.ToList());
        }

        private AnomalyScoringSummary Run(params string[] files) => Run(files, null);

        private List<CsvRecord> ReadOutput(string? path = null) => CsvSource.Read(path ?? Output, new CsvInputOptions()).ToList();

        private static List<long> Ids(IEnumerable<CsvRecord> records) =>
            records.Select(r => long.Parse((string)Value(r, "Id")!, Invariant)).ToList();

        private static object? Value(IRecord record, string column)
        {
            Assert.True(record.TryGetValue(column, out var value), $"no column '{column}'");
            return value;
        }

        private void AssertEveryIdOnce(int lastId, string? path = null)
        {
            var ids = Ids(ReadOutput(path));
            Assert.Equal(Enumerable.Range(1, lastId).Select(i => (long)i), ids.OrderBy(i => i));
        }

        [Fact]
        public void ScoresOnlyTheRowsAppendedSinceTheLastRunAndLeavesAPartialLine()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(10), Utf8);

            var first = Run(input);
            Assert.Equal(10, first.RowsScored);

            // Five whole rows and the first half of a sixth, as a writer that has not finished its line.
            string more = Rows(6);
            int cut = more.LastIndexOf(',');
            Append(input, more.Substring(0, cut));
            var second = Run(input);
            Assert.Equal(5, second.RowsScored);
            AssertEveryIdOnce(15);

            Append(input, more.Substring(cut));
            var third = Run(input);
            Assert.Equal(1, third.RowsScored);
            var output = ReadOutput();
            AssertEveryIdOnce(16);
            // SourceLine leads back to the row: Id n is on line n + 1.
            Assert.All(output, r => Assert.Equal(long.Parse((string)Value(r, "Id")!, Invariant) + 1, long.Parse((string)Value(r, "SourceLine")!, Invariant)));
            Assert.All(output, r => Assert.Equal(input, Value(r, "SourceFile")));

            var nothing = Run(input);
            Assert.Equal(0, nothing.RowsScored);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, nothing.ExitCode);
        }

        [Fact]
        public void ReadsTheRowsAfterAHeaderOfAnotherColumnOrderByItInThisRunAndTheNext()
        {
            // Two exports joined with cat, the second with its columns in reverse order: its rows were read by the first
            // header's positions (each value under another column), scored so, and only the header row was rejected.
            string Reversed(string rows) => string.Concat(rows.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => string.Join(",", line.Split(',').Reverse()) + "\n"));
            string input = temp.File("joined.csv");
            string first = Rows(10), second = Rows(10);
            File.WriteAllText(input, Header + "\n" + first + string.Join(",", Header.Split(',').Reverse()) + "\n" + Reversed(second), Utf8);
            var recorder = new RecordingObserver();

            var summary = Run(new[] { input }, recorder);

            Assert.Empty(recorder.Rejected);
            Assert.Equal(20, summary.RowsScored);
            var warning = Assert.Single(recorder.Warnings, w => w.Contains("header is there again", StringComparison.Ordinal));
            Assert.Contains("line 12", warning, StringComparison.Ordinal);
            // The next run goes on under the header the file's rows are under now.
            string third = Rows(5);
            Append(input, Reversed(third));
            recorder = new RecordingObserver();
            Assert.Equal(5, Run(new[] { input }, recorder).RowsScored);
            Assert.Empty(recorder.Rejected);
            AssertEveryIdOnce(25);
            var expected = (first + second + third).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split(',')[0], l => l);
            foreach (var row in ReadOutput())
            {
                string id = (string)Value(row, "Id")!;
                Assert.Equal(expected[id], string.Join(",", Header.Split(',').Select(c => (string)Value(row, c)!)));
            }
        }

        // Rows as a German export writes them: semicolons, decimal commas.
        private string GermanRows(int count) =>
            string.Concat(Rows(count).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Replace(',', ';').Replace('.', ',') + "\n"));

        private static string GermanHeader => Header.Replace(',', ';');

        [Theory]
        [InlineData(0, 0, 0, false, AnomalyScoringExitCode.NoAnomalies)]
        [InlineData(0, 5, 0, false, AnomalyScoringExitCode.AnomaliesFound)]
        [InlineData(1, 0, 0, false, AnomalyScoringExitCode.Failed)]
        [InlineData(1, 5, 0, false, AnomalyScoringExitCode.AnomaliesFoundAndFailed)]
        [InlineData(1, 5, 0, true, AnomalyScoringExitCode.Failed)]
        [InlineData(2, 9, 1, true, AnomalyScoringExitCode.AnomaliesFoundAndFailed)]
        public void AFailedFileDoesNotHideWhatTheOthersFound(int filesFailed, int anomalies, int alerts, bool countsAlerts, int expected)
        {
            // 2 won over 1: a file that fails on every run (a foreign export in the folder) hid every later alert.
            // A time-series model's anomalous rows of a stretch already paged are not news: only a new alert counts.
            var summary = new AnomalyScoringSummary { FilesFailed = filesFailed, Anomalies = anomalies, Alerts = alerts, CountsAlerts = countsAlerts };
            Assert.Equal(expected, summary.ExitCode);
        }

        [Fact]
        public void AFileNoneOfWhoseRowsCanBeReadFailsAndIsReadAgainOnceTheCauseIsFixed()
        {
            // A German export read with the invariant culture: every value is unreadable. The job rejected and committed
            // every row, said exit code 0 ("no new alert"), and the next runs were quiet: nothing was monitored.
            string input = temp.File("de.csv");
            File.WriteAllText(input, GermanHeader + "\n" + GermanRows(150), Utf8);
            var semicolons = new CsvInputOptions { Delimiter = ";" };
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder, csv: semicolons);
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            Assert.Equal(0, summary.RowsScored);
            var failure = Assert.Single(recorder.Failed);
            var error = Assert.IsType<AutoencoderException>(failure.Error);
            Assert.Equal(ErrorIds.TooManyRowFailures, error.ErrorId);
            Assert.Contains("decimal comma", error.Message, StringComparison.Ordinal);
            Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
            Assert.Contains("not committed", error.Message, StringComparison.Ordinal);
            Assert.Equal(FailedRowRun.MaxInARow, recorder.Rejected.Count);
            // The same again while the cause stays (exit code 2 every run, not 0).
            Assert.Equal(AnomalyScoringExitCode.Failed, Run(new[] { input }, csv: semicolons).ExitCode);

            // Fixed: every row is read, once.
            var fixedSummary = Run(new[] { input }, csv: new CsvInputOptions { Delimiter = ";", Culture = CultureInfo.GetCultureInfo("de-DE") });
            Assert.Equal(150, fixedSummary.RowsScored);
            Assert.Equal(0, fixedSummary.RowsRejected);
            // The output had no row yet: it is written with the delimiter and culture of the run that fixed it.
            var written = CsvSource.Read(Output, new CsvInputOptions { Delimiter = ";" }).ToList();
            Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), Ids(written).OrderBy(i => i));
            Assert.Contains(SyntheticData.FeatureNames[0], written[0].ColumnNames);
        }

        [Fact]
        public void ASmallFileAllOfWhoseRowsFailIsNotCommittedEither()
        {
            string input = temp.File("de.csv");
            File.WriteAllText(input, GermanHeader + "\n" + GermanRows(20), Utf8);
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder, csv: new CsvInputOptions { Delimiter = ";" });
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            Assert.Contains("none of its 20 row(s) could be read", Assert.Single(recorder.Failed).Error.Message, StringComparison.Ordinal);
            Assert.Equal(20, Run(new[] { input }, csv: new CsvInputOptions { Delimiter = ";", Culture = CultureInfo.GetCultureInfo("de-DE") }).RowsScored);
        }

        // Asks the run to stop after a number of rejected rows (Ctrl+C in the middle of a run of bad rows).
        private sealed class StopAfterRejections : IScoringObserver
        {
            private readonly int after;
            public int Rejected;
            public StopAfterRejections(int after) => this.after = after;
            public bool StopRequested => Rejected >= after;
            public void Warning(string message) { }
            public void Verbose(string message) { }
            public void RowRejected(FeatureValueException error, CsvRecord record) => Rejected++;
            public void FileFailed(string file, Exception error) { }
        }

        [Fact]
        public void ARunOfUnreadRowsOfANewFileIsTakenBackWhateverEndsTheReading()
        {
            // Stopped after 50 of 150 unreadable rows: those 50 were committed as rejected, and after the fix only 100 scored.
            string input = temp.File("de.csv");
            File.WriteAllText(input, GermanHeader + "\n" + GermanRows(150), Utf8);
            var stopper = new StopAfterRejections(50);
            var options = new IncrementalScoringOptions
            {
                OutputPath = Output,
                StatePath = State,
                Csv = new CsvInputOptions { Delimiter = ";" },
            };
            var summary = new IncrementalScoringJob(Model, options, stopper).Run(new[] { input });
            Assert.True(summary.Stopped);
            Assert.Equal(0, summary.RowsRejected);
            Assert.Equal(150, Run(new[] { input }, csv: new CsvInputOptions { Delimiter = ";", Culture = CultureInfo.GetCultureInfo("de-DE") }).RowsScored);
        }

        [Fact]
        public void AnUnreadFinishedLastLineCountsAsAnUnreadRow()
        {
            // A one-row file whose row has no line break (taken as finished once the file is quiet) and can't be read.
            string input = temp.File("de.csv");
            File.WriteAllText(input, GermanHeader + "\n" + GermanRows(1).TrimEnd('\n'), Utf8);
            LeaveQuiet(input);
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder, csv: new CsvInputOptions { Delimiter = ";" });
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            Assert.Contains("none of its 1 row(s)", Assert.Single(recorder.Failed).Error.Message, StringComparison.Ordinal);
            LeaveQuiet(input);
            Assert.Equal(1, Run(new[] { input }, csv: new CsvInputOptions { Delimiter = ";", Culture = CultureInfo.GetCultureInfo("de-DE") }).RowsScored);
        }

        [Fact]
        public void AReadableLastLineAfterUnreadRowsIsScoredOnce()
        {
            // Three unreadable rows, then a readable last row without a line break: the run of failures stayed open, the
            // rows were taken back with the readable one, which was scored again (and written again) on every run.
            string input = temp.File("metrics.csv");
            string bad = string.Concat(Enumerable.Range(0, 3).Select(i => $"{nextId++},x{string.Concat(Enumerable.Repeat(",1", SyntheticData.FeatureNames.Length - 1))}\n"));
            File.WriteAllText(input, Header + "\n" + bad + Rows(1).TrimEnd('\n'), Utf8);
            LeaveQuiet(input);
            var first = Run(input);
            Assert.Equal(1, first.RowsScored);
            Assert.Equal(3, first.RowsRejected);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, first.ExitCode);
            LeaveQuiet(input);
            var second = Run(input);
            Assert.Equal(0, second.RowsScored + second.RowsRejected);
            Assert.Equal(new long[] { 4 }, Ids(ReadOutput()));
        }

        [Fact]
        public void ANewFileThatBeginsWithManyBadRowsIsNotStuckOnThem()
        {
            // 150 unreadable rows, then readable ones: taken back as a file read wrongly, it failed every run and its good
            // rows were never scored (an operator re-trial). A readable row later shows the file is read right.
            string input = temp.File("metrics.csv");
            string bad = string.Concat(Enumerable.Range(0, 150).Select(i => $"{nextId++},x{string.Concat(Enumerable.Repeat(",1", SyntheticData.FeatureNames.Length - 1))}\n"));
            File.WriteAllText(input, Header + "\n" + bad + Rows(100), Utf8);
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder);
            // The 100 good rows hold anomalies (seeded: 2 on one machine; their count moves with the CPU's floating point,
            // as training does), so the code is 4, not 2: the summary counts the anomalies it wrote.
            Assert.InRange(summary.Anomalies, 1, 5);
            Assert.Equal(summary.Anomalies, ReadOutput().Count(r => (string?)Value(r, "IsAnomaly") == "True"));
            Assert.Equal(AnomalyScoringExitCode.AnomaliesFoundAndFailed, summary.ExitCode);
            Assert.Equal(100, summary.RowsScored);
            Assert.Equal(150, summary.RowsRejected);
            Assert.Contains("not tried again", Assert.Single(recorder.Failed).Error.Message, StringComparison.Ordinal);
            var next = Run(input);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, next.ExitCode);
            Assert.Equal(0, next.RowsScored + next.RowsRejected);
        }

        [Fact]
        public void AStretchOfBadRowsInAFileReadBeforeIsSkippedOnceAndFailsTheRun()
        {
            // A file that was read before is not held back by a stretch of bad rows (its scoring would stop for good): they
            // are skipped, the first run of them reported one by one, the rest counted, and the run fails once.
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(10), Utf8);
            Assert.Equal(10, Run(input).RowsScored);
            string bad = string.Concat(Enumerable.Range(0, 150).Select(i => $"{nextId++},x{string.Concat(Enumerable.Repeat(",1", SyntheticData.FeatureNames.Length - 1))}\n"));
            Append(input, bad + Rows(5));

            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder);
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            Assert.Equal(5, summary.RowsScored);
            Assert.Equal(150, summary.RowsRejected);
            Assert.Equal(FailedRowRun.MaxInARow, recorder.Rejected.Count);
            var message = Assert.Single(recorder.Failed).Error.Message;
            Assert.Contains("from line 12 on", message, StringComparison.Ordinal);
            Assert.Contains("50 more row(s)", message, StringComparison.Ordinal);
            Assert.Contains("not tried again", message, StringComparison.Ordinal);

            var next = Run(input);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, next.ExitCode);
            Assert.Equal(0, next.RowsScored + next.RowsRejected);
        }

        // The file as a writer that has stopped left it: last written longer ago than a run takes a last line as finished.
        private static void LeaveQuiet(string path) =>
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow - ScoringState.LastLineFinishedAfter - TimeSpan.FromMinutes(1));

        private void AssertSourceLinesLeadBack()
        {
            // Id n is on line n + 1.
            Assert.All(ReadOutput(), r => Assert.Equal(long.Parse((string)Value(r, "Id")!, Invariant) + 1, long.Parse((string)Value(r, "SourceLine")!, Invariant)));
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        public void AFinishedLastLineWithoutALineBreakIsScoredOnceAndALineBreakAfterItGoesOn(string newline)
        {
            // An exporter that leaves out the final line break: the last row is the newest data.
            string input = temp.File("export.csv");
            File.WriteAllText(input, Header + newline + Rows(5, newline).TrimEnd('\r', '\n'), Utf8);

            var recorder = new RecordingObserver();
            Assert.Equal(4, Run(new[] { input }, recorder).RowsScored); // just written: it may still be writing that line
            Assert.Contains(recorder.VerboseMessages, m => m.Contains("no line break yet", StringComparison.Ordinal));
            LeaveQuiet(input);
            Assert.Equal(1, Run(input).RowsScored);
            Assert.Equal(0, Run(input).RowsScored);
            AssertEveryIdOnce(5);
            Assert.True(ScoringState.Load(State)!.Files.Single().EndsInOpenLine);
            // An earlier version would take that offset, not after a line break, for a rotated file and score the file
            // again: while an entry ends so, the state is in a format it refuses.
            Assert.Equal(3, ScoringState.Load(State)!.FormatVersion);

            // The writer was not done after all, and goes on with a line break first: the line is not scored again.
            Append(input, newline + Rows(3, newline));
            recorder = new RecordingObserver();
            Assert.Equal(3, Run(new[] { input }, recorder).RowsScored);
            Assert.Empty(recorder.Warnings);
            AssertEveryIdOnce(8);
            AssertSourceLinesLeadBack();
            Assert.Null(ScoringState.Load(State)!.Files.Single().EndsInOpenLine);
            Assert.Equal(2, ScoringState.Load(State)!.FormatVersion);
        }

        [Fact]
        public void AStateOfALaterFormatIsRefused()
        {
            string input = temp.File("export.csv");
            File.WriteAllText(input, Header + "\n" + Rows(2), Utf8);
            Run(input);
            File.WriteAllText(State, File.ReadAllText(State).Replace("\"FormatVersion\": 2", "\"FormatVersion\": 4", StringComparison.Ordinal));

            var refused = Assert.Throws<AutoencoderException>(() => Run(input));
            Assert.Equal("ScoringStateTooNew", refused.ErrorId);
            Assert.Contains("reads up to 3", refused.Message, StringComparison.Ordinal);
        }

        // A finished last record whose quoted field holds a line break, and one with a quote inside an unquoted field (24"
        // is a quote the reader takes as data: it is not at a field's start), as Test-Anomaly -Path reads them.
        [Theory]
        [InlineData("\"last\nrow\"", "last\nrow")]
        [InlineData("24\" LG", "24\" LG")]
        public void AFinishedLastRecordIsReadAsTheReaderReadsQuotes(string field, string note)
        {
            string input = temp.File("export.csv");
            string header = "Id,Note," + string.Join(",", SyntheticData.FeatureNames) + "\n";
            string row = Rows(1).TrimEnd('\n');
            File.WriteAllText(input, header + row.Insert(row.IndexOf(',') + 1, field + ","), Utf8);
            LeaveQuiet(input);

            var recorder = new RecordingObserver();
            Assert.Equal(1, Run(new[] { input }, recorder).RowsScored);
            Assert.Empty(recorder.Warnings);
            Assert.Equal(note, Value(ReadOutput().Single(), "Note"));
        }

        [Fact]
        public void ALastLineTakenAsFinishedThatGoesOnIsSkippedToItsEndWithAWarning()
        {
            string input = temp.File("export.csv");
            string rows = Rows(4);
            File.WriteAllText(input, Header + "\n" + rows.Substring(0, rows.Length - 5), Utf8); // the last row cut inside its last value
            LeaveQuiet(input);
            Run(input);
            AssertEveryIdOnce(4);

            Append(input, rows.Substring(rows.Length - 5) + Rows(2));
            var recorder = new RecordingObserver();
            Assert.Equal(2, Run(new[] { input }, recorder).RowsScored);
            Assert.Contains(recorder.Warnings, w => w.Contains("went on with its last line (line 5)", StringComparison.Ordinal));
            Assert.Empty(recorder.Rejected);
            AssertEveryIdOnce(6);
            AssertSourceLinesLeadBack();
        }

        [Theory]
        [InlineData("fields")]
        [InlineData("quote")]
        public void AQuietFileCutShortInItsLastLineWarnsAndLeavesItUnscored(string cut)
        {
            string input = temp.File("export.csv");
            string last = cut == "fields" ? "99,1.5,2.5" : "99,\"1.5";
            File.WriteAllText(input, Header + "\n" + Rows(3) + last, Utf8);
            LeaveQuiet(input);

            var recorder = new RecordingObserver();
            Assert.Equal(3, Run(new[] { input }, recorder).RowsScored);
            var warning = Assert.Single(recorder.Warnings);
            Assert.Contains("line 5", warning, StringComparison.Ordinal);
            Assert.Contains(cut == "fields" ? $"3 field(s), the header has {SyntheticData.FeatureNames.Length + 1}" : "a quoted field is open", warning, StringComparison.Ordinal);
            Assert.Empty(recorder.Rejected);
            Assert.Equal(3, ScoringState.Load(State)!.Output.RowsScored);

            // Said once while the file stays as it is (a run every few minutes would repeat it); again once it changes.
            recorder = new RecordingObserver();
            Run(new[] { input }, recorder);
            Assert.Empty(recorder.Warnings);
            Assert.Contains(recorder.VerboseMessages, m => m.Contains("Warned before", StringComparison.Ordinal));
            Append(input, ",7");
            LeaveQuiet(input);
            recorder = new RecordingObserver();
            Run(new[] { input }, recorder);
            Assert.Single(recorder.Warnings);
        }

        [Fact]
        public void CommitsTheStateAfterEveryBatch()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(25), Utf8);
            var committed = new List<long>();

            Run(new[] { input }, batchSize: 10, setup: job => job.Checkpoint = point =>
            {
                if (point == "state-committed") committed.Add(ScoringState.Load(State)!.Output.RowsScored);
            });

            Assert.Equal(new long[] { 10, 20, 25 }, committed);
        }

        [Fact]
        public void AKillBetweenWritingAndCommittingIsUndoneByTheNextRun()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(25), Utf8);
            int flushes = 0;

            // The process "dies" after the second batch's results are on disk, before its state is committed.
            Assert.Throws<InvalidOperationException>(() => Run(new[] { input }, batchSize: 10, setup: job => job.Checkpoint = point =>
            {
                if (point == "output-flushed" && ++flushes == 2) throw new InvalidOperationException("killed");
            }));
            var state = ScoringState.Load(State)!;
            Assert.Equal(10, state.Output.RowsScored);
            Assert.True(new FileInfo(Output).Length > state.Output.Length, "the second batch's results are in the file, uncommitted");
            Assert.Equal(20, Ids(ReadOutput()).Count);

            var recorder = new RecordingObserver();
            var next = Run(new[] { input }, recorder, batchSize: 10);

            Assert.Equal(15, next.RowsScored);
            Assert.Contains(recorder.Warnings, w => w.Contains("Cut") && w.Contains("interrupted"));
            AssertEveryIdOnce(25);
            Assert.Equal(ScoringState.Load(State)!.Output.Length, new FileInfo(Output).Length);
        }

        [Fact]
        public void BytesAfterTheCommittedLengthThatNoRunWasWritingAreRefusedNotCut()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            File.AppendAllText(Output, "6,appended by something else\n", Utf8);
            byte[] before = File.ReadAllBytes(Output);

            // The run that committed the state had finished writing: those bytes are not a killed run's leftovers.
            var refused = Assert.Throws<AutoencoderException>(() => Run(input));

            Assert.Equal("ScoringStateOutdated", refused.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(Output));
        }

        [Fact]
        public void AnOlderStateRestoredIsRefusedAndNothingIsCutOrScoredAgain()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            string day1 = temp.File("state.day1");
            File.Copy(State, day1);
            Append(input, Rows(5));
            Run(input);
            Append(input, Rows(5));
            Run(input);
            string day3 = temp.File("state.day3");
            File.Copy(State, day3);
            byte[] committed = File.ReadAllBytes(Output);

            // ScoringStateCorrupt says "Restore it": the operator restores the copy taken after day 1.
            File.WriteAllText(State, "garbage", Utf8);
            var corrupt = Assert.Throws<AutoencoderException>(() => Run(input));
            Assert.Equal("ScoringStateCorrupt", corrupt.ErrorId);
            File.Copy(day1, State, overwrite: true);
            var recorder = new RecordingObserver();
            var older = Assert.Throws<AutoencoderException>(() => Run(new[] { input }, recorder));

            Assert.Equal("ScoringStateOutdated", older.ErrorId);
            Assert.Contains("older than its output", older.Message, StringComparison.Ordinal);
            Assert.Equal(committed, File.ReadAllBytes(Output));
            Assert.DoesNotContain(recorder.Warnings, w => w.Contains("Cut", StringComparison.Ordinal));

            // The state that goes with the output: the job goes on, nothing scored twice.
            File.Copy(day3, State, overwrite: true);
            Append(input, Rows(2));
            Assert.Equal(2, Run(input).RowsScored);
            AssertEveryIdOnce(17);
        }

        [Fact]
        public void AStateOfAnEarlierVersionThatDoesNotSayWhetherARunWasWritingStillCutsAKilledRunsBytes()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            long committed = new FileInfo(Output).Length;
            // As an earlier version wrote it: no word on a run writing.
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(State))!.AsObject();
            var output = json["Output"]!.AsObject();
            output.Remove("WritingFrom");
            output.Remove("Fingerprint");
            File.WriteAllText(State, json.ToJsonString(), Utf8);
            File.AppendAllText(Output, "6,torn half of a row", Utf8);
            var recorder = new RecordingObserver();

            Run(new[] { input }, recorder);

            Assert.Equal(committed, new FileInfo(Output).Length);
            Assert.Contains(recorder.Warnings, w => w.Contains("interrupted", StringComparison.Ordinal) && w.Contains("earlier version", StringComparison.Ordinal));
            AssertEveryIdOnce(5);
        }

        [Fact]
        public void AJobMovedWithItsOutputAndStateGoesOnWhereItStoppedWithAWarning()
        {
            string from = temp.File("machine-a"), to = temp.File("machine-b");
            Directory.CreateDirectory(from);
            string input = Path.Combine(from, "metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            string output = Path.Combine(from, "scored.csv");
            Run(new[] { input }, output: output);

            // The whole folder goes elsewhere (another share, another machine): the old path is gone.
            Directory.Move(from, to);
            input = Path.Combine(to, "metrics.csv");
            string moved = Path.Combine(to, "scored.csv");
            Append(input, Rows(5));
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder, output: moved);

            Assert.Equal(5, summary.RowsScored);
            AssertEveryIdOnce(10, moved);
            string said = Assert.Single(recorder.Warnings, w => w.Contains("moved", StringComparison.Ordinal));
            Assert.Contains($"'{output}'", said, StringComparison.Ordinal);
            Assert.Contains($"'{moved}'", said, StringComparison.Ordinal);
            Assert.Equal(moved, ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(moved))!.Output.Path);
        }

        [Fact]
        public void AStateOfAnEarlierVersionFollowsAMovedOutputAfterOneRunOfThisVersion()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(State))!.AsObject();
            json["Output"]!.AsObject().Remove("WritingFrom");
            json["Output"]!.AsObject().Remove("Fingerprint");
            File.WriteAllText(State, json.ToJsonString(), Utf8);
            string other = temp.File("other.csv");
            File.Copy(Output, other);
            var options = new IncrementalScoringOptions { OutputPath = other, StatePath = State };
            AnomalyScoringSummary RunOther() => new IncrementalScoringJob(Model, options, new RecordingObserver()).Run(new[] { input });

            // It does not record what its output holds: refused, saying so.
            var refused = Assert.Throws<AutoencoderException>(RunOther);
            Assert.Equal("ScoringStateMismatch", refused.ErrorId);
            Assert.Contains("earlier version", refused.Message, StringComparison.Ordinal);

            // One run at its own output, with nothing new to score, records it.
            Assert.Equal(0, Run(input).RowsScored);
            Append(input, Rows(1));
            Assert.Equal(1, RunOther().RowsScored);
            AssertEveryIdOnce(6, other);
        }

        [Fact]
        public void AStateFollowsAnotherOutputOnlyWhenItHoldsTheCommittedResults()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            string other = temp.File("other.csv");
            var options = new IncrementalScoringOptions { OutputPath = other, StatePath = State };
            AnomalyScoringSummary RunOther() => new IncrementalScoringJob(Model, options, new RecordingObserver()).Run(new[] { input });

            // A copy with one committed byte changed is another output: refused, saying what moving a job takes.
            byte[] edited = File.ReadAllBytes(Output);
            edited[^3] ^= 1;
            File.WriteAllBytes(other, edited);
            var refused = Assert.Throws<AutoencoderException>(RunOther);
            Assert.Equal("ScoringStateMismatch", refused.ErrorId);
            Assert.Contains("move the output and its state together", refused.Message, StringComparison.Ordinal);
            Assert.Equal(Output, ScoringState.Load(State)!.Output.Path);

            // A true copy is followed.
            File.Copy(Output, other, overwrite: true);
            Append(input, Rows(1));
            Assert.Equal(1, RunOther().RowsScored);
            AssertEveryIdOnce(6, other);
        }

        [Fact]
        public void AKillBeforeTheFirstCommitLeavesAStateThatCutsTheOutputBack()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(8), Utf8);
            Assert.Throws<InvalidOperationException>(() => Run(new[] { input }, setup: job => job.Checkpoint = point =>
            {
                if (point == "output-flushed") throw new InvalidOperationException("killed");
            }));
            Assert.Equal(0, ScoringState.Load(State)!.Output.Length);
            Assert.True(new FileInfo(Output).Length > 0);

            Run(input);

            AssertEveryIdOnce(8);
            Assert.Single(File.ReadAllLines(Output), l => l.StartsWith("Id,", StringComparison.Ordinal));
        }

        [Fact]
        public void ARunRefusedForAnotherOutputsStateLeavesThatStatesKilledRunToBeCutBack()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(8), Utf8);
            Assert.Throws<InvalidOperationException>(() => Run(new[] { input }, setup: job => job.Checkpoint = point =>
            {
                if (point == "output-flushed") throw new InvalidOperationException("killed");
            }));
            // A run with this state and another output (empty, as long as the committed part of this one) is refused, and
            // must not take the killed run's mark for its own.
            string other = temp.File("other.csv");
            File.WriteAllBytes(other, Array.Empty<byte>());
            var options = new IncrementalScoringOptions { OutputPath = other, StatePath = State };
            Assert.Equal("ScoringStateMismatch", Assert.Throws<AutoencoderException>(
                () => new IncrementalScoringJob(Model, options, new RecordingObserver()).Run(new[] { input })).ErrorId);

            var recorder = new RecordingObserver();
            Run(new[] { input }, recorder);

            Assert.Contains(recorder.Warnings, w => w.Contains("interrupted run", StringComparison.Ordinal));
            AssertEveryIdOnce(8);
        }

        [Fact]
        public void RefusesAnOutputShorterThanItsStateAndAnOutputWithoutAState()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            var lines = File.ReadAllLines(Output);
            File.WriteAllLines(Output, lines.Take(3));

            var shorter = Assert.Throws<AutoencoderException>(() => Run(input));
            Assert.Equal("ScoringOutputTruncated", shorter.ErrorId);
            Assert.Equal(3, File.ReadAllLines(Output).Length);

            File.Delete(State);
            var orphan = Assert.Throws<AutoencoderException>(() => Run(input));
            Assert.Equal("ScoringOutputWithoutState", orphan.ErrorId);
        }

        [Theory]
        [InlineData("moved", ScoringOutputFormat.Csv)]
        [InlineData("moved", ScoringOutputFormat.JsonLines)]
        [InlineData("copytruncate", ScoringOutputFormat.Csv)]
        [InlineData("removed", ScoringOutputFormat.Csv)]
        public void ARotatedOutputStartsANewOneAndTheInputsGoOnWhereTheyStopped(string rotation, ScoringOutputFormat format)
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(new[] { input }, format: format);
            string rotated = Output + ".1";
            switch (rotation)
            {
                case "moved": File.Move(Output, rotated); File.WriteAllBytes(Output, Array.Empty<byte>()); break; // logrotate's create
                case "copytruncate": File.Copy(Output, rotated); new FileStream(Output, FileMode.Truncate).Dispose(); break;
                default: File.Move(Output, rotated); break;
            }
            string before = File.ReadAllText(rotated);

            Append(input, Rows(3));
            // Killed before its first commit: the state already says the new output starts empty, so the next run cuts
            // the uncommitted bytes back rather than refusing a shorter output.
            var killed = new RecordingObserver();
            Assert.Throws<InvalidOperationException>(() => Run(new[] { input }, killed, format: format, setup: job => job.Checkpoint = point =>
            {
                if (point == "output-flushed") throw new InvalidOperationException("killed");
            }));
            Assert.Contains(killed.Warnings, m => m.Contains("taking it as rotated", StringComparison.Ordinal));
            // The warning says what was found: a file removed (or moved away, none created) is missing, not empty.
            string found = Assert.Single(killed.Warnings, m => m.Contains("taking it as rotated", StringComparison.Ordinal));
            Assert.StartsWith($"The output '{Output}' " + (rotation == "removed" ? "is missing" : "is empty") + ", and its state counts ", found, StringComparison.Ordinal);
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder, format: format);

            Assert.Equal(3, summary.RowsScored);
            Assert.Equal(before, File.ReadAllText(rotated));
            Assert.Equal(new FileInfo(Output).Length, ScoringState.Load(State)!.Output.Length);
            var ids = format == ScoringOutputFormat.Csv
                ? Ids(ReadOutput())
                : File.ReadAllLines(Output).Select(l => long.Parse(JsonDocument.Parse(l).RootElement.GetProperty("Id").GetString()!, Invariant)).ToList();
            Assert.Equal(new long[] { 6, 7, 8 }, ids);
            if (format == ScoringOutputFormat.Csv)
                Assert.StartsWith("Id,", File.ReadAllLines(Output)[0], StringComparison.Ordinal);
            Assert.Contains(recorder.Warnings, w => w.Contains("interrupted run", StringComparison.Ordinal));
        }

        [Fact]
        public void ARotatedFileIsScoredFromItsStartWithAWarning()
        {
            string input = temp.File("app.csv");
            File.WriteAllText(input, Header + "\n" + Rows(6), Utf8);
            Run(input);

            // Replaced by a new export, longer than the old one: same path, other first bytes.
            File.WriteAllText(input, Header + "\n" + Rows(9), Utf8);
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder);

            Assert.Equal(9, summary.RowsScored);
            Assert.Contains(recorder.Warnings, w => w.Contains("rotated or replaced") && w.Contains(input));
            AssertEveryIdOnce(15);
        }

        [Fact]
        public void AFileRotatedOntoThePathOfAnotherGoesOnWithoutSayingItStartsAgain()
        {
            // Both app.csv and app.csv.1 have entries; a rotation moves app.csv.1 to app.csv.2 and app.csv to app.csv.1.
            string current = temp.File("app.csv"), older = current + ".1";
            File.WriteAllText(older, Header + "\n" + Rows(3), Utf8);
            File.WriteAllText(current, Header + "\n" + Rows(4), Utf8);
            Run(older, current);
            Append(current, Rows(2));
            File.Move(older, current + ".2");
            File.Move(current, older);
            File.WriteAllText(current, Header + "\n" + Rows(5), Utf8);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { current, older, current + ".2" }, recorder);

            Assert.Equal(7, summary.RowsScored);
            AssertEveryIdOnce(14);
            // app.csv is a new file at a path that had an entry: it starts again, and says so; app.csv.1 goes on.
            var warning = Assert.Single(recorder.Warnings);
            Assert.Contains($"'{current}' does not hold the bytes scored before", warning, StringComparison.Ordinal);
        }

        [Fact]
        public void ATruncatedFileIsScoredFromItsStart()
        {
            string input = temp.File("app.csv");
            File.WriteAllText(input, Header + "\n" + Rows(6), Utf8);
            Run(input);

            File.WriteAllText(input, Header + "\n" + Rows(2), Utf8);
            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder);

            Assert.Equal(2, summary.RowsScored);
            Assert.Contains(recorder.Warnings, w => w.Contains("shorter"));
            AssertEveryIdOnce(8);
        }

        [Fact]
        public void ARenamedFileContinuesWhereItsOldNameStopped()
        {
            // Log rotation: app.csv grows, is renamed to app.csv.1 (with rows the last run did not see), and a new
            // app.csv starts. The rows of app.csv.1 already scored are not scored again; its new rows are.
            string input = temp.File("app.csv");
            string rotated = temp.File("app.csv.1");
            File.WriteAllText(input, Header + "\n" + Rows(6), Utf8);
            Run(input);
            Append(input, Rows(3));
            File.Move(input, rotated);
            File.WriteAllText(input, Header + "\n" + Rows(4), Utf8);

            var summary = Run(input, rotated);

            Assert.Equal(7, summary.RowsScored);
            AssertEveryIdOnce(13);
            var state = ScoringState.Load(State)!;
            Assert.Equal(2, state.Files.Count);
            Assert.Equal(9, state.Files.Single(f => f.Path == rotated).RowsScored);
            Assert.Equal(4, state.Files.Single(f => f.Path == input).RowsScored);
        }

        // A PerfMon/relog export's header: hundreds of counter columns (not features; the output keeps them), far
        // longer than the 4 KB a file's head fingerprint covers. Each row gives them a value.
        private static string LongHeader(int counters) =>
            Header + string.Concat(Enumerable.Range(1, counters).Select(i => $",\\\\WEBSRV-01\\Process(w3wp#{i:D3})\\IO Other Bytes/sec"));

        private string LongRows(int count, int counters) =>
            string.Concat(Rows(count).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(row => row + string.Concat(Enumerable.Repeat(",0", counters)) + "\n"));

        [Fact]
        public void AFileWithTheSameLongHeaderIsNotTakenForTheFileItReplaced()
        {
            // Log rotation of exports whose header is longer than 4 KB: the first 4 KB of every such file are the same
            // header. app.csv is scored, grows, is renamed to app.csv.1, and a new app.csv with the same header grows past
            // the old offset. The new app.csv is scored from its start (not from the old offset, mid-record), and
            // app.csv.1 goes on where app.csv stopped (not from its start again).
            const int counters = 400;
            string header = LongHeader(counters);
            Assert.True(Utf8.GetByteCount(header) > 4 * ScoringState.FingerprintBytes);
            string input = temp.File("app.csv");
            string rotated = temp.File("app.csv.1");
            File.WriteAllText(input, header + "\n" + LongRows(20, counters), Utf8);
            Assert.Equal(20, Run(input).RowsScored);
            long offset = ScoringState.Load(State)!.Files.Single().Offset;
            Assert.Equal(new FileInfo(input).Length, offset);

            Append(input, LongRows(3, counters));
            File.Move(input, rotated);
            File.WriteAllText(input, header + "\n", Utf8);
            int fresh = 0;
            while (new FileInfo(input).Length < offset + 2000) { Append(input, LongRows(1, counters)); fresh++; }

            var recorder = new RecordingObserver();
            var summary = Run(new[] { input, rotated }, recorder);

            Assert.Empty(recorder.Rejected);
            Assert.Empty(recorder.Failed);
            Assert.Equal(3 + fresh, summary.RowsScored);
            Assert.Equal(0, summary.RowsRejected);
            AssertEveryIdOnce(23 + fresh);
            var output = ReadOutput();
            // This run's rows: app.csv.1's three (Ids 21-23, lines 22-24), then the new file's with their own line
            // numbers: its k-th row (Id 23 + k) on line k + 1.
            var rows = output.Skip(20).ToList();
            Assert.Equal(Enumerable.Repeat(rotated, 3).Concat(Enumerable.Repeat(input, fresh)), rows.Select(r => (string)Value(r, "SourceFile")!).OrderBy(f => f == input));
            Assert.All(rows, r => Assert.Equal(long.Parse((string)Value(r, "Id")!, Invariant) - ((string)Value(r, "SourceFile")! == rotated ? -1 : 22),
                long.Parse((string)Value(r, "SourceLine")!, Invariant)));
            var state = ScoringState.Load(State)!;
            Assert.Equal(2, state.Files.Count);
            Assert.Equal(23, state.Files.Single(f => f.Path == rotated).RowsScored);
            Assert.Equal(fresh, state.Files.Single(f => f.Path == input).RowsScored);

            // Both go on from there.
            Append(input, LongRows(2, counters));
            Assert.Equal(2, Run(input, rotated).RowsScored);
            AssertEveryIdOnce(25 + fresh);
        }

        // Edits every file entry of the saved state, as JSON (a state as another version, or another day, wrote it).
        private void EditStateFiles(Action<System.Text.Json.Nodes.JsonObject> edit)
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(State))!;
            foreach (var file in json["Files"]!.AsArray()) edit(file!.AsObject());
            File.WriteAllText(State, json.ToJsonString(), Utf8);
        }

        // The state as a version before TailFingerprint wrote it: the same JSON without that field.
        private void DropTailFingerprints()
        {
            EditStateFiles(file => Assert.True(file.Remove("TailFingerprint")));
            Assert.All(ScoringState.Load(State)!.Files, f => Assert.Null(f.TailFingerprint));
        }

        [Fact]
        public void AnEntryOfAnOlderStateWithoutATailFingerprintStillContinuesItsFile()
        {
            string input = temp.File("app.csv");
            string rotated = temp.File("app.csv.1");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            DropTailFingerprints();

            // Same path: goes on, and the next commit writes the field.
            Append(input, Rows(4));
            var recorder = new RecordingObserver();
            Assert.Equal(4, Run(new[] { input }, recorder).RowsScored);
            Assert.Empty(recorder.Warnings);
            AssertEveryIdOnce(9);
            var entry = ScoringState.Load(State)!.Files.Single();
            Assert.Equal(9, entry.RowsScored);
            Assert.False(string.IsNullOrEmpty(entry.TailFingerprint));

            // Renamed by rotation: the renamed file goes on too, and the new one is scored from its start.
            DropTailFingerprints();
            Append(input, Rows(2));
            File.Move(input, rotated);
            File.WriteAllText(input, Header + "\n" + Rows(3), Utf8);
            recorder = new RecordingObserver();
            Assert.Equal(5, Run(new[] { input, rotated }, recorder).RowsScored);
            AssertEveryIdOnce(14);
            var state = ScoringState.Load(State)!;
            Assert.Equal(11, state.Files.Single(f => f.Path == rotated).RowsScored);
            Assert.Equal(3, state.Files.Single(f => f.Path == input).RowsScored);
            Assert.All(state.Files, f => Assert.False(string.IsNullOrEmpty(f.TailFingerprint)));
        }

        [Fact]
        public void AFileCopiedAndTruncatedBetweenScanAndCommitIsStillKnownByItsCopy()
        {
            // logrotate's copytruncate in the instant between scanning a batch and committing it: app.csv is copied to
            // app.csv.1 and cut, and the writer fills it again past the offset. What the commit reads back before the
            // offset is then the new bytes, not those scored: it must not become the entry's tail fingerprint, or the
            // copy (which holds the scored bytes) is taken for a new file and its rows are scored twice.
            string input = temp.File("app.csv");
            string copy = temp.File("app.csv.1");
            File.WriteAllText(input, Header + "\n" + Rows(5), Utf8);
            Run(input);
            Append(input, Rows(4));
            string fresh = Header + "\n" + Rows(12);
            Run(new[] { input }, setup: job => job.Checkpoint = point =>
            {
                if (point != "output-flushed" || File.Exists(copy)) return;
                File.Copy(input, copy);
                using var cut = new FileStream(input, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                cut.SetLength(0);
                cut.Write(Utf8.GetBytes(fresh));
            });
            Assert.True(new FileInfo(input).Length > ScoringState.Load(State)!.Files.Single().Offset);
            var recorder = new RecordingObserver();
            Run(new[] { input, copy }, recorder);
            AssertEveryIdOnce(21);
            var state = ScoringState.Load(State)!;
            Assert.Equal(9, state.Files.Single(f => f.Path == copy).RowsScored);
            Assert.Equal(12, state.Files.Single(f => f.Path == input).RowsScored);
        }

        private void AgeEntries(TimeSpan age) => EditStateFiles(file => file["UpdatedUtc"] = DateTime.UtcNow - age);

        [Fact]
        public void TheEntryOfAFileGoneForAMonthIsForgottenAndNoOther()
        {
            // Daily exports: without forgetting, every day's file would stay in the state (rewritten at every commit).
            string day1 = temp.File("day1.csv"), day2 = temp.File("day2.csv"), day3 = temp.File("day3.csv");
            string share = temp.File("share");
            Directory.CreateDirectory(share);
            string remote = Path.Combine(share, "remote.csv");
            File.WriteAllText(day1, Header + "\n" + Rows(3), Utf8);
            File.WriteAllText(day2, Header + "\n" + Rows(3), Utf8);
            File.WriteAllText(remote, Header + "\n" + Rows(3), Utf8);
            Run(day1, day2, remote);
            File.Delete(day1);
            Directory.Move(share, share + "-offline");
            AgeEntries(ScoringState.ForgetGoneFilesAfter + TimeSpan.FromDays(1));
            // day1 is gone and a month old: forgotten. day2 is as old but still there: kept (it may grow again). The
            // remote file's folder is not there (a share offline): kept, its file may be back with it.
            Append(day2, Rows(2));
            File.WriteAllText(day3, Header + "\n" + Rows(3), Utf8);
            Assert.Equal(5, Run(day2, day3).RowsScored);
            Assert.Equal(new[] { day2, day3, remote }.OrderBy(p => p, StringComparer.Ordinal), ScoringState.Load(State)!.Files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
            // day3 is gone, but only just: kept, so that it goes on if it comes back.
            File.Delete(day3);
            Append(day2, Rows(1));
            Assert.Equal(1, Run(day2).RowsScored);
            Assert.Equal(new[] { day2, day3, remote }.OrderBy(p => p, StringComparer.Ordinal), ScoringState.Load(State)!.Files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
        }

        // A time-series model: two hosts, a row a minute each, "Time,Host,cpu".
        private static readonly DateTime SeriesStart = new DateTime(2026, 3, 2);

        private static AutoencoderModel SeriesModel(string feature = "cpu")
        {
            var settings = new ModelSettings(new[] { 8, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 2, windowSize: 4,
                timeProperty: "Time", groupBy: "Host");
            var random = new Random(3);
            var records = Enumerable.Range(0, 150).SelectMany(i => new[] { "a", "b" }.Select(host => new TestRecord(
                ("Time", SeriesStart.AddMinutes(i)), ("Host", host), (feature, 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble())))).ToList();
            return WindowedTraining.Train(settings, records, new[] { feature }, new TrainingOptions { Epochs = 3, BatchSize = 32 });
        }

        // Minutes [from, to) of both hosts, a day after training.
        private static string SeriesRows(int from, int to)
        {
            var random = new Random(from);
            var text = new StringBuilder();
            for (int i = from; i < to; i++)
                foreach (var host in new[] { "a", "b" })
                    text.Append(string.Create(Invariant, $"{SeriesStart.AddDays(1).AddMinutes(i):yyyy-MM-dd HH:mm:ss},{host},{50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble():R}\n"));
            return text.ToString();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void ARotatedFilesTailIsScoredBeforeTheNewFile(int rotations)
        {
            // Log rotation with a time-series model: app.csv is scored, grows, and is rotated to app.csv.1 (with rows the
            // last run did not see) and a new app.csv starts with later rows; with two rotations before the next run, the
            // first file is app.csv.2 and app.csv.1 is a whole file of rows between it and the newest app.csv. Each group's
            // rows must reach its window in time order: read in path order (app.csv before app.csv.1), the older rows of
            // app.csv.1 were rejected as RowOutOfOrder and committed, so lost for good.
            using var model = SeriesModel();
            const string header = "Time,Host,cpu\n";
            string input = temp.File("app.csv");
            File.WriteAllText(input, header + SeriesRows(0, 30), Utf8);
            var first = Run(new[] { input }, model: model);
            Assert.Equal(60, first.RowsScored + first.RowsWarmingUp);

            Append(input, SeriesRows(30, 40));
            var now = DateTime.UtcNow;
            int minute = 40;
            for (int r = 1; r <= rotations; r++)
            {
                for (int n = r; n >= 1; n--)
                {
                    string from = n == 1 ? input : input + "." + (n - 1);
                    File.Move(from, input + "." + n);
                }
                // Each file was last written when it was rotated: minutes apart, in order (set, as the file system's clock
                // may give files written within one tick the same time).
                File.SetLastWriteTimeUtc(input + ".1", now.AddMinutes(-10 * (rotations - r + 1)));
                File.WriteAllText(input, header + SeriesRows(minute, minute + 10), Utf8);
                minute += 10;
            }
            File.SetLastWriteTimeUtc(input, now);
            var files = new[] { input }.Concat(Enumerable.Range(1, rotations).Select(n => input + "." + n)).ToArray();

            var recorder = new RecordingObserver();
            var summary = Run(files, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: {x.Record.File} line {x.Record.Line}"));
            Assert.Equal(0, summary.RowsRejected);
            Assert.Equal(2 * (minute - 30), summary.RowsScored + summary.RowsWarmingUp);
            // Every row once, and each host's rows in time order; the output holds the rows of all runs.
            var output = ReadOutput();
            Assert.Equal(2 * minute, output.Count);
            foreach (var host in new[] { "a", "b" })
            {
                var times = output.Where(r => (string)Value(r, "Host")! == host).Select(r => (string)Value(r, "Time")!).ToList();
                Assert.Equal(Enumerable.Range(0, minute).Select(i => string.Create(Invariant, $"{SeriesStart.AddDays(1).AddMinutes(i):yyyy-MM-dd HH:mm:ss}")), times);
            }
            var state = ScoringState.Load(State)!;
            Assert.Equal(0, state.Output.RowsRejected);
            Assert.Equal(2 * minute, state.Output.RowsScored + state.Output.RowsWarmingUp);
        }

        // Writes a file of a time-series model's rows, last written the given minutes ago (a copy that did not keep times).
        private string SeriesFile(string name, string rows, int minutesAgo, bool append = false)
        {
            string path = temp.File(name);
            if (append) Append(path, rows);
            else File.WriteAllText(path, "Time,Host,cpu\n" + rows, Utf8);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-minutesAgo));
            return path;
        }

        [Fact]
        public void ABacklogCopiedInWithoutItsTimesIsScoredInTheOrderOfItsRows()
        {
            // Daily exports downloaded in parallel: their last write times are when each copy finished, and their names
            // need not sort by date either. A time-series model takes each group's rows only in time order, and a row
            // rejected as out of order is committed: read by last write time (or name), whole files were lost.
            using var model = SeriesModel();
            var files = new[] { SeriesFile("x-1.csv", SeriesRows(10, 20), 30), SeriesFile("x-2.csv", SeriesRows(20, 30), 50), SeriesFile("x-3.csv", SeriesRows(0, 10), 10) };

            var recorder = new RecordingObserver();
            var summary = Run(files, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: {x.Record.File} line {x.Record.Line}"));
            Assert.Equal(60, summary.RowsScored + summary.RowsWarmingUp);
            var sources = ReadOutput().Select(r => Path.GetFileName((string)Value(r, "SourceFile")!)).Distinct();
            Assert.Equal(new[] { "x-3.csv", "x-1.csv", "x-2.csv" }, sources);
        }

        [Fact]
        public void ABacklogThatComesAfterNewerRowsIsOneFailureOfItsFileNotAFloodOfRows()
        {
            // Day 2 scored, then day 1 lands: its rows are older than the rows its groups have scored. They are lost for
            // good: the file fails (exit code 2) with one error that says how many and what to do; ten are named first.
            using var model = SeriesModel();
            string day2 = SeriesFile("day2.csv", SeriesRows(30, 60), 10);
            Run(new[] { day2 }, model: model);
            string day1 = SeriesFile("day1.csv", SeriesRows(0, 30), 5);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { day1, day2 }, recorder, model: model);

            Assert.Equal(60, summary.RowsRejected);
            Assert.Equal(IncrementalScoringJob.ReportedOutOfOrder, recorder.Rejected.Count);
            var failure = Assert.Single(recorder.Failed);
            Assert.Equal(day1, failure.File);
            Assert.Equal("RowsOutOfOrder", ((AutoencoderException)failure.Error).ErrorId);
            Assert.Contains("60 row(s)", failure.Error.Message, StringComparison.Ordinal);
            Assert.Contains(string.Create(Invariant, $"{SeriesStart.AddDays(1):yyyy-MM-dd HH:mm:ss}"), failure.Error.Message, StringComparison.Ordinal);
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
        }

        // Minutes [from, to) of both hosts, each row as any export of that minute writes it (one series, rows 0-59).
        private static string ExportRows(int from, int to) =>
            string.Concat(SeriesRows(0, 60).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2 * from).Take(2 * (to - from)).Select(line => line + "\n"));

        // The output's (host, time, score) of each row, in output order.
        private List<string> ScoredRows(string? path = null) => ReadOutput(path)
            .Select(r => $"{Value(r, "Host")} {Value(r, "Time")} {Value(r, "AnomalyScore")} {Value(r, "AnomalyStatus")}").ToList();

        [Fact]
        public void AnExportThatOverlapsTheLastOneSkipsTheRowsItSendsAgain()
        {
            // "The last 30 minutes, every 20 minutes" into the same file (a Splunk or Grafana scheduled export): each export
            // repeats the last one's newest 10 minutes. Before, those rows were refused as older than rows scored
            // (RowOutOfOrder, then RowsOutOfOrder): exit code 2 on every run, for a schedule working as set up.
            using var model = SeriesModel();
            string export = SeriesFile("export.csv", ExportRows(0, 30), 30);
            Run(new[] { export }, model: model);

            var recorder = new RecordingObserver();
            SeriesFile("export.csv", ExportRows(20, 50), 10);
            var summary = Run(new[] { export }, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: line {x.Record.Line}"));
            Assert.Empty(recorder.Failed);
            Assert.Empty(recorder.Warnings);
            Assert.Equal(20, summary.RowsAlreadyScored);
            Assert.Equal(40, summary.RowsScored + summary.RowsWarmingUp);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, summary.ExitCode);
            Assert.Contains(recorder.VerboseMessages, m => m.Contains("20 row(s)", StringComparison.Ordinal) && m.Contains("overlaps the last one", StringComparison.Ordinal));

            // And again: the next export overlaps this one.
            SeriesFile("export.csv", ExportRows(30, 60), 0);
            var third = Run(new[] { export }, model: model);
            Assert.Equal(40, third.RowsAlreadyScored);
            Assert.Equal(20, third.RowsScored + third.RowsWarmingUp);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, third.ExitCode);

            // Every row once, with the scores the whole hour gets at once.
            string whole = SeriesFile("whole.csv", ExportRows(0, 60), 30);
            string wholeOutput = temp.File("whole-scored.csv");
            Run(new[] { whole }, output: wholeOutput, model: model);
            Assert.Equal(ScoredRows(wholeOutput), ScoredRows());
        }

        [Theory]
        [InlineData("threshold")]
        [InlineData("cooldown")]
        public void AnExportThatOverlapsTheLastOneAfterTheModelOrItsVerdictsChangedStillSkipsTheRowsItSendsAgain(string change)
        {
            // A threshold set again (Set-AutoencoderThreshold, Export-Autoencoder -Force) or another -AlertCooldown starts the
            // series memory afresh. Before, that threw away each group's scored times with its windows: the next overlapping
            // export's repeated rows were scored again (RowsAlreadyScored 0, each (host, time) twice in the output, an alert
            // in the overlap paged twice).
            using var model = SeriesModel();
            string export = SeriesFile("export.csv", ExportRows(0, 30), 30);
            Run(new[] { export }, model: model);
            SeriesFile("export.csv", ExportRows(20, 50), 20);
            Assert.Equal(20, Run(new[] { export }, model: model).RowsAlreadyScored);

            AlertCooldown? cooldown = null;
            if (change == "threshold") model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, model.Threshold * 2));
            else cooldown = AlertCooldown.Parse("1h");
            var recorder = new RecordingObserver();
            SeriesFile("export.csv", ExportRows(40, 60), 10);
            var summary = Run(new[] { export }, recorder, model: model, cooldown: cooldown);

            var warning = Assert.Single(recorder.Warnings);
            Assert.Contains("starting afresh", warning, StringComparison.Ordinal);
            Assert.Contains("rows an export sends again are still skipped", warning, StringComparison.Ordinal);
            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: line {x.Record.Line}"));
            Assert.Empty(recorder.Failed);
            Assert.Equal(20, summary.RowsAlreadyScored);
            Assert.Equal(20, summary.RowsScored + summary.RowsWarmingUp);
            // The windows started over: each host warms up again (window of 4) from its first new row.
            Assert.Equal(2 * 3, summary.RowsWarmingUp);
            // Every (host, time) once.
            var rows = ReadOutput().Select(r => $"{Value(r, "Host")} {Value(r, "Time")}").ToList();
            Assert.Equal(120, rows.Count);
            Assert.Equal(rows.Count, rows.Distinct().Count());
        }

        [Fact]
        public void ASeriesMemoryStartedAfreshKeepsWhatMarksRowsAsTakenAndNothingElse()
        {
            // Host a scored minutes 0-3, 5 and 6 (minute 4 never came). After another -AlertCooldown the memory starts
            // afresh (SeriesMemory.Load: null): a row sent again is still skipped, minute 4 is still late (a time never
            // scored is not skipped), a new row is taken and warms up (the window starts over), and host b knows nothing.
            using var model = SeriesModel();
            var t = SeriesStart.AddDays(1);
            double[] row = new double[model.Schema!.Width];
            SeriesMemory Scored(bool keepsTimes)
            {
                var memory = SeriesMemory.For(model, new ScoringOptions());
                memory.Windows.KeepsScoredTimes = keepsTimes;
                foreach (int minute in new[] { 0, 1, 2, 3, 5, 6 }) memory.Windows.Push(new WindowKey("a", t.AddMinutes(minute)), row);
                return memory;
            }
            var other = new ScoringOptions { AlertCooldown = AlertCooldown.Parse("1h") };
            byte[] saved = Scored(keepsTimes: true).Save(model);
            Assert.Null(SeriesMemory.Load(saved, model, other, out _));

            var afresh = SeriesMemory.Afresh(saved, model, other, out string kept);
            Assert.Contains("times of the rows already scored, so rows an export sends again are still skipped", kept, StringComparison.Ordinal);
            afresh.Windows.KeepsScoredTimes = true;
            afresh.Windows.BeginSource();
            Assert.True(afresh.Windows.ScoredBefore(new WindowKey("a", t.AddMinutes(2))));
            Assert.True(afresh.Windows.ScoredBefore(new WindowKey("a", t.AddMinutes(6))));
            Assert.False(afresh.Windows.ScoredBefore(new WindowKey("a", t.AddMinutes(4))));
            var late = Assert.Throws<FeatureValueException>(() => afresh.Windows.Push(new WindowKey("a", t.AddMinutes(4)), row));
            Assert.Equal(ErrorIds.RowOutOfOrder, late.ErrorId);
            Assert.False(afresh.Windows.ScoredBefore(new WindowKey("b", t.AddMinutes(2))));
            Assert.False(afresh.Windows.ScoredBefore(new WindowKey("a", t.AddMinutes(7))));
            Assert.Equal(WindowStatus.WarmingUp, afresh.Windows.Push(new WindowKey("a", t.AddMinutes(7)), row).Status);
            // The verdicts start over too: the new memory is this run's (its options), saved with its identity.
            Assert.NotNull(SeriesMemory.Load(afresh.Save(model), model, other, out _));

            // A memory of an earlier format kept no scored times: its last time is still known, and only it is skipped.
            byte[] version4 = SeriesMemoryVersions.AsVersion4(Scored(keepsTimes: false).Save(model));
            Assert.Null(SeriesMemory.Load(version4, model, other, out _));
            var fromOld = SeriesMemory.Afresh(version4, model, other, out kept);
            Assert.Contains("last time scored", kept, StringComparison.Ordinal);
            fromOld.Windows.KeepsScoredTimes = true;
            fromOld.Windows.BeginSource();
            Assert.True(fromOld.Windows.ScoredBefore(new WindowKey("a", t.AddMinutes(6))));
            Assert.False(fromOld.Windows.ScoredBefore(new WindowKey("a", t.AddMinutes(2))));

            // A memory of a format not known can't be read: nothing is kept, and the warning says what that means.
            byte[] future = (byte[])saved.Clone();
            BitConverter.GetBytes(99).CopyTo(future, 1 + "AutoencoderPS.SeriesMemory".Length);
            var unread = SeriesMemory.Afresh(future, model, other, out kept);
            Assert.Equal(0, unread.Windows.GroupCount);
            Assert.Contains("can't be read", kept, StringComparison.Ordinal);
            Assert.Contains("scored again", kept, StringComparison.Ordinal);
        }

        // Day 1 (Time, Host, cpu) scored by a model of cpu; then the exporter renamed cpu to load, the model was retrained
        // on the new exports and day 2 (Time, Host, load) written: the retrained model and the two files.
        private (AutoencoderPS.Engine.Modeling.AutoencoderModel Retrained, string Day1, string Day2) ScoredThenRenamed()
        {
            using (var before = SeriesModel("cpu")) Run(new[] { SeriesFile("day1.csv", SeriesRows(0, 30), 30) }, model: before);
            string day2 = temp.File("day2.csv");
            File.WriteAllText(day2, "Time,Host,load\n" + SeriesRows(30, 60), Utf8);
            return (SeriesModel("load"), temp.File("day1.csv"), day2);
        }

        [Fact]
        public void FilesScoredToTheirEndAreNotCheckedAgainstTheColumnsOfAModelRetrainedWithOthers()
        {
            // The exporter renamed cpu to load and the model was retrained on the new exports. Before, every daily file
            // already scored to its end failed on every run (FeatureColumnsMissing, exit code 2 for ever), though it had
            // nothing left to score. A file that does get new rows is still checked.
            var (retrained, day1, day2) = ScoredThenRenamed();
            using var _ = retrained;
            foreach (int run in new[] { 1, 2 })
            {
                var recorder = new RecordingObserver();
                var summary = Run(new[] { day1, day2 }, recorder, model: retrained);
                Assert.Empty(recorder.Failed.Select(f => $"{f.File}: {f.Error.Message}"));
                Assert.Equal(0, summary.FilesFailed);
                Assert.Equal(run == 1 ? 60 : 0, summary.RowsScored + summary.RowsWarmingUp);
            }

            Append(day1, SeriesRows(30, 31));
            var appended = new RecordingObserver();
            var failed = Run(new[] { day1, day2 }, appended, model: retrained);
            var failure = Assert.Single(appended.Failed);
            Assert.Equal(day1, failure.File);
            Assert.Equal(ErrorIds.FeatureColumnsMissing, ((AutoencoderException)failure.Error).ErrorId);
            Assert.Equal(1, failed.FilesFailed);
        }

        [Fact]
        public void AnOutputStartedAnewAfterRotationGetsTheColumnsOfTheFilesItNowScores()
        {
            // The output's header was fixed by its first run (Time, Host, cpu). After the exports renamed cpu to load and
            // the output was rotated, the new output was started "with its header", but the old one: the model's feature
            // column load was never written, in this output or any rotated after it. A new output keeps the columns the
            // old one had and adds those of the files it now scores.
            var (retrained, day1, day2) = ScoredThenRenamed();
            using var _ = retrained;
            var kept = new RecordingObserver();
            Run(new[] { day1, day2 }, kept, model: retrained);
            // Not rotated: the header stays, and the new column is left out with a warning, as the help says.
            Assert.Contains(kept.Warnings, w => w.Contains("load", StringComparison.Ordinal) && w.Contains("left out", StringComparison.Ordinal));
            Assert.DoesNotContain("load", File.ReadLines(Output).First().Split(','));

            File.Move(Output, Output + ".1");
            Append(day2, SeriesRows(60, 70));
            var recorder = new RecordingObserver();
            var summary = Run(new[] { day1, day2 }, recorder, model: retrained);

            Assert.Contains(recorder.Warnings, w => w.Contains("rotated", StringComparison.Ordinal));
            Assert.DoesNotContain(recorder.Warnings, w => w.Contains("left out", StringComparison.Ordinal));
            Assert.Equal(20, summary.RowsScored + summary.RowsWarmingUp);
            var header = File.ReadLines(Output).First().Split(',');
            Assert.Equal(new[] { "Time", "Host", "cpu", "load" }, header.Take(4));
            var rows = ReadOutput();
            Assert.Equal(20, rows.Count);
            Assert.All(rows, r => Assert.False(string.IsNullOrEmpty((string?)Value(r, "load"))));
        }

        [Fact]
        public void ALateRowInsideAnOverlapIsStillRefusedAsLate()
        {
            // Host a's minute 25 was missing from the first export and is in the next one: it was never scored, so it is a
            // late row (lost, and the file fails) and not a row sent again; the rows around it that were scored are skipped.
            using var model = SeriesModel();
            string first = ExportRows(0, 30);
            string missing = ExportRows(25, 26).Split('\n')[0] + "\n";
            Assert.Contains(",a,", missing, StringComparison.Ordinal);
            string export = SeriesFile("export.csv", first.Replace(missing, "", StringComparison.Ordinal), 30);
            Run(new[] { export }, model: model);

            var recorder = new RecordingObserver();
            SeriesFile("export.csv", ExportRows(20, 40), 10);
            var summary = Run(new[] { export }, recorder, model: model);

            var late = Assert.Single(recorder.Rejected);
            Assert.Equal(ErrorIds.RowOutOfOrder, late.Error.ErrorId);
            Assert.Contains(string.Create(Invariant, $"{SeriesStart.AddDays(1).AddMinutes(25):yyyy-MM-dd HH:mm:ss}"), late.Error.Message, StringComparison.Ordinal);
            Assert.Equal("RowsOutOfOrder", ((AutoencoderException)Assert.Single(recorder.Failed).Error).ErrorId);
            Assert.Equal(19, summary.RowsAlreadyScored);
            Assert.Equal(1, summary.RowsRejected);
            Assert.Equal(20, summary.RowsScored + summary.RowsWarmingUp);
        }

        [Fact]
        public void ARowRefusedForItsValueIsNotLateOrReportedAgainWhenAnOverlapSendsItAgain()
        {
            // Host a's minute 25 had cpu 'lots' in the first export (refused, reported once). The next export repeats it,
            // fixed: it was refused as late (RowOutOfOrder, then RowsOutOfOrder: exit code 2, "a late backlog"); and a
            // still-bad copy of it was reported again in every export that held it ("skipped and not tried again").
            using var model = SeriesModel();
            string bad = ExportRows(25, 26).Split('\n')[0];
            string broken = string.Join(",", bad.Split(',').Take(2)) + ",lots";
            string export = SeriesFile("export.csv", ExportRows(0, 30).Replace(bad, broken, StringComparison.Ordinal), 30);
            var first = new RecordingObserver();
            Run(new[] { export }, first, model: model);
            Assert.Equal(ErrorIds.InvalidFeatureValue, Assert.Single(first.Rejected).Error.ErrorId);

            foreach (var (from, fixedRow) in new[] { (20, true), (22, false) })
            {
                string rows = ExportRows(from, from + 20);
                SeriesFile("export.csv", fixedRow ? rows : rows.Replace(bad, broken, StringComparison.Ordinal), 10);
                var recorder = new RecordingObserver();
                var summary = Run(new[] { export }, recorder, model: model);
                Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: line {x.Record.Line}"));
                Assert.Empty(recorder.Failed);
                Assert.Equal(AnomalyScoringExitCode.NoAnomalies, summary.ExitCode);
            }
        }

        [Fact]
        public void AFileOfOnlyRowsScoredBeforeIsSkippedWithAWarning()
        {
            // A copy of a file scored before lands in the folder (a backup, a second exporter of the same series): its rows
            // are the same times of the same groups. Nothing of it is scored twice; the operator is told once, and the run
            // does not fail (the rows are not lost: they were scored).
            using var model = SeriesModel();
            string export = SeriesFile("export.csv", ExportRows(0, 30), 30);
            Run(new[] { export }, model: model);
            string copy = SeriesFile("export-copy.csv", ExportRows(0, 30), 5);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { export, copy }, recorder, model: model);

            Assert.Empty(recorder.Rejected);
            Assert.Empty(recorder.Failed);
            Assert.Equal(60, summary.RowsAlreadyScored);
            Assert.Equal(0, summary.RowsScored + summary.RowsWarmingUp);
            var warning = Assert.Single(recorder.Warnings);
            Assert.Contains(copy, warning, StringComparison.Ordinal);
            Assert.Contains("only rows already scored", warning, StringComparison.Ordinal);
            Assert.Equal(AnomalyScoringExitCode.NoAnomalies, summary.ExitCode);
            Assert.Equal(60, ReadOutput().Count);
        }

        [Fact]
        public void RowsDatedAheadOfTheClockAreSkippedAndTheirGroupGoesOn()
        {
            // Host a's clock ran a year ahead for twelve rows (or a year was mistyped). Taken, they made the group's last
            // time a year ahead, and every later row of it was refused as out of order, run after run, for a year.
            using var model = SeriesModel();
            var ahead = DateTime.UtcNow.AddYears(1);
            var glitch = new StringBuilder();
            for (int i = 0; i < 12; i++) glitch.Append(string.Create(Invariant, $"{ahead.AddMinutes(i):yyyy-MM-dd HH:mm:ss},a,55\n"));
            string file = SeriesFile("app.csv", SeriesRows(0, 20) + glitch + SeriesRows(20, 40), 10);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { file }, recorder, model: model);

            Assert.Equal(12, summary.RowsRejected);
            Assert.Equal(80, summary.RowsScored + summary.RowsWarmingUp);
            Assert.Equal(IncrementalScoringJob.ReportedOutOfOrder, recorder.Rejected.Count);
            Assert.All(recorder.Rejected, r => Assert.Equal(ErrorIds.RowDatedAhead, r.Error.ErrorId));
            var (error, record) = recorder.Rejected[0];
            Assert.Equal(42, record.Line);
            Assert.Equal("Time", error.Column);
            Assert.Contains(string.Create(Invariant, $"{ahead:yyyy-MM-dd HH:mm:ss}"), error.Message, StringComparison.Ordinal);
            Assert.Contains("group 'a'", error.Message, StringComparison.Ordinal);
            // The rest are counted once for the file; the file is not failed (the rows are bad, as a value that is not a number).
            Assert.Contains(recorder.Warnings, w => w.Contains("12 row(s)", StringComparison.Ordinal) && w.Contains("clock", StringComparison.Ordinal));
            Assert.Empty(recorder.Failed);

            // The next run goes on with host a's rows.
            SeriesFile("app.csv", SeriesRows(40, 50), 5, append: true);
            var next = new RecordingObserver();
            var later = Run(new[] { file }, next, model: model);
            Assert.Empty(next.Rejected.Select(x => $"{x.Error.ErrorId}: line {x.Record.Line}"));
            Assert.Equal(20, later.RowsScored);
        }

        [Fact]
        public void AFileWithoutTheTimeColumnIsOneErrorOfTheFileNotAnErrorPerRow()
        {
            // A time-series model's time column missing from a file's header (perfmon names it after the time zone): each
            // row was refused on its own as TimeValueMissing (one error per row, the rows committed and lost).
            using var model = SeriesModel();
            string path = temp.File("renamed.csv");
            File.WriteAllText(path, "When,Host,cpu\n" + SeriesRows(0, 30), Utf8);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { path }, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: line {x.Record.Line}"));
            Assert.Equal(0, summary.RowsRejected);
            var failure = Assert.Single(recorder.Failed);
            Assert.Equal(ErrorIds.FeatureColumnsMissing, ((AutoencoderException)failure.Error).ErrorId);
            Assert.Contains("'Time'", failure.Error.Message, StringComparison.Ordinal);
            Assert.Contains("'When'", failure.Error.Message, StringComparison.Ordinal);
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
        }

        [Fact]
        public void ARowOfATimeZoneAheadOfUtcIsTaken()
        {
            // Times are read as written, in the writer's zone (up to 14 hours ahead of UTC): not refused as dated ahead.
            using var model = SeriesModel();
            var local = DateTime.UtcNow.AddHours(14);
            var rows = new StringBuilder();
            for (int i = 0; i < 6; i++) rows.Append(string.Create(Invariant, $"{local.AddMinutes(i - 5):yyyy-MM-dd HH:mm:ss},c,55\n"));
            string file = SeriesFile("east.csv", rows.ToString(), 10);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { file }, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: line {x.Record.Line}"));
            Assert.Equal(6, summary.RowsScored + summary.RowsWarmingUp);
        }

        [Fact]
        public void ABacklogOfFilesWithOneRowEachAndNoFinalLineBreakGoesInTheOrderOfItsRows()
        {
            using var model = SeriesModel();
            // Copied newest first; each holds one row, without a line break, and is quiet.
            var files = Enumerable.Range(0, 4).Select(i => SeriesFile($"snap{i}.csv", SeriesRows(i, i + 1).Split('\n')[0], minutesAgo: 20 + i)).ToArray();

            var recorder = new RecordingObserver();
            var summary = Run(files, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: {x.Record.File} line {x.Record.Line}"));
            Assert.Equal(4, summary.RowsScored + summary.RowsWarmingUp);
        }

        [Fact]
        public void AFileWhoseFirstRowHasNoTimeIsPlacedByTheTimeOfItsNextRows()
        {
            using var model = SeriesModel();
            string rows = SeriesRows(0, 10);
            string early = SeriesFile("day10.csv", "," + rows.Substring(rows.IndexOf(',') + 1), minutesAgo: 1); // its first row lacks its time
            string late = SeriesFile("day11.csv", SeriesRows(10, 20), minutesAgo: 5);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { early, late }, recorder, model: model);

            var rejected = Assert.Single(recorder.Rejected);
            Assert.Equal("TimeValueMissing", rejected.Error.ErrorId);
            Assert.Equal(39, summary.RowsScored + summary.RowsWarmingUp);
        }

        [Fact]
        public void FilesAnEarlierRunSawWithOnlyAHeaderGoInTheOrderOfTheirRows()
        {
            // Downloads in progress at the first run: each file held its header only, so each has an entry at its end.
            using var model = SeriesModel();
            string early = SeriesFile("day10.csv", "", minutesAgo: 30);
            string late = SeriesFile("day11.csv", "", minutesAgo: 30);
            Run(new[] { early, late }, model: model);
            // The later day finished downloading first.
            SeriesFile("day11.csv", SeriesRows(10, 20), minutesAgo: 5, append: true);
            SeriesFile("day10.csv", SeriesRows(0, 10), minutesAgo: 1, append: true);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { early, late }, recorder, model: model);

            Assert.Empty(recorder.Rejected.Select(x => $"{x.Error.ErrorId}: {x.Record.File} line {x.Record.Line}"));
            Assert.Equal(40, summary.RowsScored + summary.RowsWarmingUp);
        }

        [Fact]
        public void NewFilesArePickedUpAndFilesAreReadOldestRowsFirst()
        {
            // The file that goes on (b.csv: its new rows follow the ones scored) first, then the new files by last write
            // time, older first (c.csv before a.csv, against their names). It used to be the order of the paths (a, b, c),
            // which lost rows of a time-series model after a log rotation (see ARotatedFilesTailIsScoredBeforeTheNewFile).
            string b = temp.File("b.csv");
            File.WriteAllText(b, Header + "\n" + Rows(3), Utf8);
            Run(b);
            string a = temp.File("a.csv");
            string c = temp.File("c.csv");
            File.WriteAllText(a, Header + "\n" + Rows(4), Utf8);
            File.WriteAllText(c, Header + "\n" + Rows(1), Utf8);
            var now = DateTime.UtcNow;
            File.SetLastWriteTimeUtc(c, now.AddMinutes(-10));
            File.SetLastWriteTimeUtc(a, now.AddMinutes(-5));
            Append(b, Rows(2));

            var summary = Run(b, a, c, b);

            Assert.Equal(3, summary.Files);
            Assert.Equal(7, summary.RowsScored);
            var sources = ReadOutput().Skip(3).Select(r => Path.GetFileName((string)Value(r, "SourceFile")!)).ToList();
            Assert.Equal(new[] { "b.csv", "b.csv", "c.csv", "a.csv", "a.csv", "a.csv", "a.csv" }, sources);
            AssertEveryIdOnce(10);
        }

        [Fact]
        public void CrLfLinesAByteOrderMarkAndQuotedLineBreaksKeepTheOffsetsRight()
        {
            string input = temp.File("export.csv");
            string header = "Id,Note," + string.Join(",", SyntheticData.FeatureNames) + "\r\n";
            string Noted(string rows, string note) =>
                string.Concat(rows.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                    .Select(r => r.Insert(r.IndexOf(',') + 1, $"\"{note}\",") + "\r\n"));
            File.WriteAllText(input, header + Noted(Rows(4, "\r\n"), "a note\r\nover two lines, with \"\"quotes\"\" and é"), new UTF8Encoding(true));
            var first = Run(input);
            Assert.Equal(4, first.RowsScored);
            Assert.Equal(3 + Encoding.UTF8.GetByteCount(File.ReadAllText(input)), ScoringState.Load(State)!.Files[0].Offset);

            Append(input, Noted(Rows(3, "\r\n"), "one\r\ntwo\r\nthree"));
            var second = Run(input);

            Assert.Equal(3, second.RowsScored);
            var output = ReadOutput();
            AssertEveryIdOnce(7);
            Assert.Equal("a note\r\nover two lines, with \"quotes\" and é", Value(output[0], "Note"));
            Assert.Equal("one\r\ntwo\r\nthree", Value(output[6], "Note"));
            // Rows 1-4 take two physical lines each after the header; rows 5-7 three each.
            Assert.Equal(new long[] { 2, 4, 6, 8, 10, 13, 16 }, output.Select(r => long.Parse((string)Value(r, "SourceLine")!, Invariant)));
            Assert.Equal("Id", ScoringState.Load(State)!.Files[0].Header[0]);
        }

        [Fact]
        public void ABadRowIsReportedSkippedCountedAndNotRetried()
        {
            string input = temp.File("metrics.csv");
            string rows = Rows(4);
            var lines = rows.TrimEnd('\n').Split('\n');
            var fields = lines[1].Split(',');
            fields[3] = "lots";
            lines[1] = string.Join(",", fields);
            File.WriteAllText(input, Header + "\n" + string.Join("\n", lines) + "\n", Utf8);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { input }, recorder);

            Assert.Equal(3, summary.RowsScored);
            Assert.Equal(1, summary.RowsRejected);
            var (error, record) = Assert.Single(recorder.Rejected);
            Assert.Equal("InvalidFeatureValue", error.ErrorId);
            Assert.Equal(SyntheticData.FeatureNames[2], error.Column);
            Assert.Equal("lots", error.Value);
            Assert.Equal(3, record.Line);
            Assert.Equal(input, record.File);
            Assert.DoesNotContain(2L, Ids(ReadOutput()));

            var again = new RecordingObserver();
            var next = Run(new[] { input }, again);
            Assert.Empty(again.Rejected);
            Assert.Equal(0, next.RowsRejected);
            Assert.Equal(1, ScoringState.Load(State)!.Files[0].RowsRejected);
        }

        [Fact]
        public void WritesJsonLinesWithEveryColumnAndTypedScores()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + ",Extra\n" + string.Concat(Rows(3).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + ",x\n")), Utf8);
            string output = temp.File("scored.jsonl");

            Run(new[] { input }, format: ScoringOutputFormat.JsonLines, output: output);
            Append(input, string.Concat(Rows(2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + ",y\n")));
            Run(new[] { input }, format: ScoringOutputFormat.JsonLines, output: output);

            var objects = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(new[] { "1", "2", "3", "4", "5" }, objects.Select(o => o.GetProperty("Id").GetString()));
            var last = objects[^1];
            Assert.Equal("y", last.GetProperty("Extra").GetString());
            Assert.Equal(JsonValueKind.Number, last.GetProperty("AnomalyScore").ValueKind);
            Assert.True(last.GetProperty("AnomalyScore").GetDouble() >= 0);
            Assert.Contains(last.GetProperty("IsAnomaly").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.Equal(JsonValueKind.Array, last.GetProperty("ImputedFeatures").ValueKind);
            Assert.Equal(6, last.GetProperty("SourceLine").GetInt64());
            Assert.Equal(input, last.GetProperty("SourceFile").GetString());
            Assert.Contains(last.GetProperty("AnomalyTopFeature").GetString(), SyntheticData.FeatureNames);
        }

        // Rows with a unique Id, every fifth with its cpu far above anything seen in training: anomalies among normal rows.
        private string RowsWithSpikes(int count)
        {
            var text = new StringBuilder();
            int k = 0;
            foreach (var row in SyntheticData.Normal(count, 11 + nextId))
            {
                if (k++ % 5 == 4) row[0] = 1000;
                text.Append(nextId++).Append(',').Append(string.Join(",", row.Select(v => v.ToString("R", Invariant)))).Append('\n');
            }
            return text.ToString();
        }

        [Fact]
        public void TheCsvOutputExplainsOnlyTheAnomaliesUnlessExplainAll()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + RowsWithSpikes(40), Utf8);
            string some = temp.File("anomalies.csv"), all = temp.File("all.csv");
            Run(new[] { input }, output: some);
            Run(new[] { input }, output: all, explainAll: true);

            var few = ReadOutput(some);
            var every = ReadOutput(all);
            Assert.Equal(40, few.Count);
            Assert.Equal(40, every.Count);
            var anomalous = few.Select(r => (string)Value(r, ScoreColumns.IsAnomaly)! == "True").ToList();
            Assert.InRange(anomalous.Count(a => a), 8, 39); // the spikes at least, and normal rows
            for (int i = 0; i < few.Count; i++)
            {
                string top = (string)Value(few[i], ScoreColumns.TopFeature)!;
                Assert.Contains(top, SyntheticData.FeatureNames);
                Assert.Equal(top, Value(every[i], ScoreColumns.TopFeature));
                string full = (string)Value(every[i], ScoreColumns.Explanation)!;
                Assert.StartsWith(top + " ", full, StringComparison.Ordinal);
                Assert.Equal(anomalous[i] ? full : "", Value(few[i], ScoreColumns.Explanation));
            }
        }

        [Fact]
        public void TheJsonLinesOutputExplainsOnlyTheAnomaliesUnlessExplainAll()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + RowsWithSpikes(40), Utf8);
            string some = temp.File("anomalies.jsonl"), all = temp.File("all.jsonl");
            Run(new[] { input }, format: ScoringOutputFormat.JsonLines, output: some);
            Run(new[] { input }, format: ScoringOutputFormat.JsonLines, output: all, explainAll: true);

            var few = File.ReadAllLines(some).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var every = File.ReadAllLines(all).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(40, few.Count);
            Assert.Equal(40, every.Count);
            Assert.InRange(few.Count(o => o.GetProperty(ScoreColumns.IsAnomaly).GetBoolean()), 8, 39);
            for (int i = 0; i < few.Count; i++)
            {
                string top = few[i].GetProperty(ScoreColumns.TopFeature).GetString()!;
                Assert.Contains(top, SyntheticData.FeatureNames);
                string full = every[i].GetProperty(ScoreColumns.Explanation).GetString()!;
                Assert.StartsWith(top + " ", full, StringComparison.Ordinal);
                var explanation = few[i].GetProperty(ScoreColumns.Explanation);
                // A row without an explanation has null there, as a row warming up has.
                if (few[i].GetProperty(ScoreColumns.IsAnomaly).GetBoolean()) Assert.Equal(full, explanation.GetString());
                else Assert.Equal(JsonValueKind.Null, explanation.ValueKind);
            }
        }

        [Fact]
        public void TheCsvColumnsAreFixedWhenTheOutputIsCreated()
        {
            string a = temp.File("a.csv");
            string b = temp.File("b.csv");
            File.WriteAllText(a, Header + ",Host\n" + string.Concat(Rows(2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + ",web-1\n")), Utf8);
            File.WriteAllText(b, Header + ",Region\n" + string.Concat(Rows(2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + ",eu\n")), Utf8);
            Run(a, b);
            string c = temp.File("c.csv");
            File.WriteAllText(c, Header + ",Rack\n" + string.Concat(Rows(2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + ",r7\n")), Utf8);

            var recorder = new RecordingObserver();
            Run(new[] { a, b, c }, recorder);

            var header = File.ReadLines(Output).First().Split(',');
            Assert.Equal(new[] { "Id" }.Concat(SyntheticData.FeatureNames).Concat(new[] { "Host", "Region" }).Concat(ScoreColumns.For(windowed: false, source: true)), header);
            Assert.Contains(recorder.Warnings, w => w.Contains("Rack") && w.Contains("c.csv"));
            var output = ReadOutput();
            Assert.Equal(new[] { "web-1", "web-1", "", "", "", "" }, output.Select(r => Value(r, "Host")));
            Assert.Equal(new[] { "", "", "eu", "eu", "", "" }, output.Select(r => Value(r, "Region")));
            AssertEveryIdOnce(6);
        }

        [Fact]
        public void AFileWithoutTheFeatureColumnsFailsAndTheOthersGoOn()
        {
            string good = temp.File("good.csv");
            string bad = temp.File("bad.csv");
            File.WriteAllText(good, Header + "\n" + Rows(3), Utf8);
            File.WriteAllText(bad, "Id,cpu\n1,5\n", Utf8);

            var recorder = new RecordingObserver();
            var summary = Run(new[] { bad, good }, recorder);

            Assert.Equal(3, summary.RowsScored);
            Assert.Equal(1, summary.FilesFailed);
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            var (file, error) = Assert.Single(recorder.Failed);
            Assert.Equal(bad, file);
            Assert.Equal("FeatureColumnsMissing", Assert.IsType<AutoencoderException>(error).ErrorId);
            Assert.Contains("memory", error.Message);
        }

        [Fact]
        public void NeverReadsItsOwnOutputOrStateAsInput()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(3), Utf8);
            Run(input);

            var summary = Run(Directory.GetFiles(temp.Path));

            Assert.Equal(1, summary.Files);
            AssertEveryIdOnce(3);
        }

        [Fact]
        public void RefusesAStateOfAnotherFormatOrOutput()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(3), Utf8);
            Run(input);

            var format = Assert.Throws<AutoencoderException>(() => Run(new[] { input }, format: ScoringOutputFormat.JsonLines));
            Assert.Equal("ScoringStateMismatch", format.ErrorId);

            var options = new IncrementalScoringOptions { OutputPath = temp.File("other.csv"), StatePath = State };
            var other = Assert.Throws<AutoencoderException>(() => new IncrementalScoringJob(Model, options, new RecordingObserver()).Run(new[] { input }));
            Assert.Equal("ScoringStateMismatch", other.ErrorId);
        }

        [Fact]
        public void AnOutputThatCantBeOpenedLeavesNoStateSoTheNextRunIsAFirstRun()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(6), Utf8);
            string state = temp.File("job.state.json"); // in a folder that exists
            string missing = Path.Combine(temp.File("no-such-folder"), "scored.csv");
            AnomalyScoringSummary RunTo(string output, ScoringOutputFormat format = ScoringOutputFormat.Csv) =>
                new IncrementalScoringJob(Model, new IncrementalScoringOptions { OutputPath = output, StatePath = state, Format = format }, new RecordingObserver())
                    .Run(new[] { input });

            var failed = Assert.Throws<AutoencoderException>(() => RunTo(missing));
            Assert.Equal("ScoringOutputWriteFailed", failed.ErrorId);
            Assert.False(File.Exists(state), "a run that wrote no output commits no state that names it");

            // The operator gives another output (and format): a first run, not ScoringStateMismatch.
            string other = temp.File("other.jsonl");
            Assert.Equal(6, RunTo(other, ScoringOutputFormat.JsonLines).RowsScored);
            Assert.Equal(other, ScoringState.Load(state)!.Output.Path);

            // Or creates the folder: a first run too, whose output is a clean first run's.
            File.Delete(state);
            Assert.Throws<AutoencoderException>(() => RunTo(missing));
            Directory.CreateDirectory(Path.GetDirectoryName(missing)!);
            Assert.Equal(6, RunTo(missing).RowsScored);
            Run(input);
            Assert.Equal(File.ReadAllText(Output), File.ReadAllText(missing));
        }

        [Fact]
        public void RefusesACorruptStateAndRemovesTemporaryFilesOfAKilledStateWrite()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(3), Utf8);
            Run(input);
            string stale = AtomicFile.TemporaryPathFor(State);
            File.WriteAllText(stale, "{ half", Utf8);

            Run(input);
            Assert.False(File.Exists(stale));

            File.WriteAllText(State, "{ not json", Utf8);
            Assert.Equal("ScoringStateCorrupt", Assert.Throws<AutoencoderException>(() => Run(input)).ErrorId);
        }

        [Fact]
        public void StopsAfterCommittingWhenAskedAndTheNextRunGoesOn()
        {
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n" + Rows(30), Utf8);
            var recorder = new RecordingObserver();

            var stopped = Run(new[] { input }, recorder, batchSize: 10, setup: job => job.Checkpoint = point =>
            {
                if (point == "state-committed") recorder.StopRequested = true;
            });
            Assert.True(stopped.Stopped);
            Assert.Equal(10, stopped.RowsScored);

            Run(input);
            AssertEveryIdOnce(30);
        }

        [Fact]
        public void TheLockRefusesASecondHolderAndSaysWhoHoldsIt()
        {
            string lockPath = IncrementalScoringOptions.LockPathFor(State);
            using (var held = ScoringLock.Acquire(lockPath))
            {
                var e = Assert.Throws<ScoringLockedException>(() => ScoringLock.Acquire(lockPath));
                Assert.Equal("AnomalyScoringLocked", e.ErrorId);
                Assert.Contains($"process {Environment.ProcessId}", e.Message);
                Assert.Contains(Environment.MachineName, e.Message);
                Assert.Contains($"process {Environment.ProcessId}", File.ReadAllText(ScoringLock.InfoPathFor(lockPath)));
            }
            Assert.False(File.Exists(ScoringLock.InfoPathFor(lockPath)));
            using (ScoringLock.Acquire(lockPath)) { }
            Assert.True(File.Exists(lockPath), "the lock file stays: deleting it would let two runs lock two files");
        }
    }
}
