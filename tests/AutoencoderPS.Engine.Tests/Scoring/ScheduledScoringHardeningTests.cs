using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring.Incremental;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Issue 15, scheduled scoring: a stray quote, CR-only line breaks, planted symlinks and FIFOs must not stop a file
    /// silently, hang a run, or make it write through a link. All inputs are generated here.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class ScheduledScoringHardeningTests : IDisposable
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();
        private int nextId = 1;

        public ScheduledScoringHardeningTests(TorchFixture fixture) => this.fixture = fixture;

        public void Dispose() => temp.Dispose();

        private string Output => temp.File("scored.csv");
        private string State => Output + ".state.json";


        private static string Header => SyntheticData.CsvHeader;

        private string Rows(int count, string newline = "\n")
        {
            string text = SyntheticData.CsvRows(count, 11 + nextId, nextId, newline);
            nextId += count;
            return text;
        }

        private AnomalyScoringSummary Run(string file, RecordingObserver recorder) =>
            new IncrementalScoringJob(fixture.Reference.Model,
                new IncrementalScoringOptions { OutputPath = Output, StatePath = State }, recorder).Run(new[] { file });

        [Fact]
        public void AStrayQuoteOpenPastTheBoundFailsTheFileNamingFileAndLineEveryRun()
        {
            string input = temp.File("export.csv");
            // 49 good rows, then a row whose second field starts with a quote that never closes, then 10,391 more rows
            // (past the bound of 10,000 line breaks).
            string good = Rows(49);
            string bad = $"{nextId++},\"{string.Join(",", Enumerable.Repeat("1", SyntheticData.FeatureNames.Length))}\n";
            File.WriteAllText(input, Header + "\n" + good + bad + Rows(10_391), Utf8);

            for (int run = 0; run < 2; run++)
            {
                var recorder = new RecordingObserver();
                var summary = Run(input, recorder);
                Assert.Equal(run == 0 ? 49 : 0, summary.RowsScored);
                // The 49 good rows hold anomalies (seeded: 2 or 3 as the CPU's floating point trains the shared model): 4
                // then, the failure not hidden by them nor they by it; 2 after. The summary counts the anomalies it wrote.
                if (run == 0)
                {
                    Assert.InRange(summary.Anomalies, 1, 5);
                    Assert.Equal(summary.Anomalies, File.ReadLines(Output).Count(l => l.Contains(",True,", StringComparison.Ordinal)));
                }
                else Assert.Equal(0, summary.Anomalies);
                Assert.Equal(run == 0 ? AnomalyScoringExitCode.AnomaliesFoundAndFailed : AnomalyScoringExitCode.Failed, summary.ExitCode);
                var failure = Assert.Single(recorder.Failed);
                var error = Assert.IsAssignableFrom<AutoencoderException>(failure.Error);
                Assert.Equal("CsvRecordTooLong", error.ErrorId);
                Assert.Contains(input, error.Message);
                Assert.Contains("line 51", error.Message);
            }
        }

        [Fact]
        public void AStrayQuoteInAHugeFileIsReadOnlyUpToTheBound()
        {
            string input = temp.File("big.csv");
            string bad = $"1,\"{string.Join(",", Enumerable.Repeat("1", SyntheticData.FeatureNames.Length))}";
            // One line of 40 MiB inside the open quote: the scanner must stop at its 16 MiB bound, not read it all.
            File.WriteAllText(input, Header + "\n" + bad + new string('x', 40 << 20) + "\n", Utf8);
            using var handle = File.OpenHandle(input);
            var scanner = new CsvRecordScanner(handle, 0, new FileInfo(input).Length, 1, Utf8, ",", file: input);
            var e = Assert.Throws<AutoencoderException>(() => scanner.Records().ToList());
            Assert.Equal("CsvRecordTooLong", e.ErrorId);
            Assert.Contains("line 2", e.Message);
            Assert.Contains("16,777,216 bytes", e.Message);
        }

        [Fact]
        public void AStrayQuoteBelowTheBoundIsAWarningNotASilentSuccess()
        {
            string input = temp.File("export.csv");
            string bad = $"{nextId++},\"{string.Join(",", Enumerable.Repeat("1", SyntheticData.FeatureNames.Length))}\n";
            File.WriteAllText(input, Header + "\n" + Rows(5) + bad + Rows(20), Utf8);
            var recorder = new RecordingObserver();
            var summary = Run(input, recorder);
            Assert.Equal(5, summary.RowsScored);
            Assert.Contains(recorder.Warnings, w => w.Contains("line 7") && w.Contains("quoted field"));
        }

        [Fact]
        public void ACrOnlyFileIsScoredAsTestAnomalyReadsIt()
        {
            string input = temp.File("mac.csv");
            File.WriteAllText(input, Header + "\r" + Rows(30, "\r"), Utf8);
            var summary = Run(input, new RecordingObserver());
            Assert.Equal(30, summary.RowsScored);
            Assert.Equal(30, CsvSource.Read(input, new CsvInputOptions()).Count());

            // More rows appended later continue where the first run stopped, with the right line numbers.
            File.AppendAllText(input, Rows(5, "\r"), Utf8);
            Assert.Equal(5, Run(input, new RecordingObserver()).RowsScored);
            var lines = CsvSource.Read(Output, new CsvInputOptions()).Select(r => { r.TryGetValue("SourceLine", out var v); return (string)v!; }).ToList();
            Assert.Equal(Enumerable.Range(2, 35).Select(i => i.ToString(Invariant)), lines);
        }

        [Fact]
        public void ACrLfSplitBetweenTwoRunsIsOneLineBreak()
        {
            string input = temp.File("split.csv");
            string rows = Rows(3, "\r\n");
            File.WriteAllText(input, Header + "\r\n" + rows.Substring(0, rows.Length - 1), Utf8); // ends with the CR
            Assert.Equal(3, Run(input, new RecordingObserver()).RowsScored);
            File.AppendAllText(input, "\n" + Rows(2, "\r\n"), Utf8);
            Assert.Equal(2, Run(input, new RecordingObserver()).RowsScored);
            var lines = CsvSource.Read(Output, new CsvInputOptions()).Select(r => { r.TryGetValue("SourceLine", out var v); return (string)v!; }).ToList();
            Assert.Equal(new[] { "2", "3", "4", "5", "6" }, lines);
        }
    }
}
