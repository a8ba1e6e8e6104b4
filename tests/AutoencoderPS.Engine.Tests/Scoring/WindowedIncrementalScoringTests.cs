using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Scoring
{
    /// <summary>
    /// The scheduled job scores a time-series (sliding-window) model across runs exactly as one pass over the whole
    /// file does: each group's last rows, calibration history and alert cool-down are kept in the job's state.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class WindowedIncrementalScoringTests : IDisposable
    {
        private const int Window = 4;
        private const int RowsPerHost = 420;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly TempDirectory temp = new TempDirectory();
        private readonly AutoencoderModel model;

        public WindowedIncrementalScoringTests(TorchFixture fixture)
        {
            _ = fixture;
            var schema = new FeatureSchema(new[] { "cpu", "mem" });
            var settings = new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 5, windowSize: Window, timeProperty: "Time", groupBy: "Host");
            model = new AutoencoderModel(settings);
            var random = new Random(1);
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            for (int i = 0; i < 150; i++)
                foreach (var host in new[] { "a", "b" })
                {
                    rows.Add(Values(i, random, spike: false));
                    keys.Add(new WindowKey(host, T0.AddMinutes(i)));
                }
            model.Train(schema, rows, new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 1e-2 }, windows: SlidingWindow.Plan(Window, keys, null));
        }

        public void Dispose()
        {
            model.Dispose();
            temp.Dispose();
        }

        private static double[] Values(int i, Random random, bool spike) => new[]
        {
            50 + 20 * Math.Sin(2 * Math.PI * i / 12) + random.NextDouble() + (spike ? 60 : 0),
            30 + 5 * Math.Cos(2 * Math.PI * i / 12) + random.NextDouble(),
        };

        // Two hosts, a day later than training; host b has a burst of spikes late in the series (after the likelihood's
        // learning period), so there is something to alert on, and host a a stuck sensor.
        private static List<string> Lines()
        {
            var random = new Random(7);
            var lines = new List<string>();
            for (int i = 0; i < RowsPerHost; i++)
                foreach (var host in new[] { "a", "b" })
                {
                    var v = Values(i, random, spike: host == "b" && i >= 380 && i < 384);
                    // Host a's cpu sticks at one value for rows 280-319, across the third run's cut (line 590, row 295):
                    // the stuck-value rule (Modeling.HeldValues) needs the rows the state kept.
                    if (host == "a" && i >= 280 && i < 320) v[0] = 61.5;
                    lines.Add(string.Create(CultureInfo.InvariantCulture, $"{T0.AddDays(1).AddMinutes(i):yyyy-MM-dd HH:mm:ss},{host},{v[0]:R},{v[1]:R}"));
                }
            return lines;
        }

        private const string Header = "Time,Host,cpu,mem";

        // The rows' verdicts from one pass over the whole file, as Test-Anomaly -Path scores it.
        // The rows a growing file gets, the verdicts one pass over all of them gives, and that file (its header only so far)
        // with the job's output beside it.
        private (List<string> Lines, List<string[]> Expected, string Input, string Output) GrowingFile()
        {
            var lines = Lines();
            string whole = temp.File("whole.csv");
            File.WriteAllText(whole, Header + "\n" + string.Join("\n", lines) + "\n", Utf8);
            string input = temp.File("metrics.csv");
            File.WriteAllText(input, Header + "\n", Utf8);
            return (lines, OnePass(whole), input, temp.File("scored.csv"));
        }

        private List<string[]> OnePass(string file)
        {
            var sink = new RecordingSink<CsvRecord>();
            // A model that learns changes as it scores: the pass learns into a copy, as the job does.
            using var copy = model.Learns ? ModelFile.Deserialize(ModelFile.Serialize(model), "") : null;
            var pipeline = new ScoringPipeline<CsvRecord>(copy ?? model, new ScoringOptions { BatchSize = 256 }, sink);
            foreach (var record in CsvSource.Read(file, new CsvInputOptions()))
                Assert.Null(pipeline.Add(record, record, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            pipeline.Flush();
            Assert.True(pipeline.Alerts > 0, "the generated spikes raise an alert in one pass");
            // The windows wholly inside host a's stuck stretch (ending at rows 283-319) say so, and no other window does.
            // Lines alternate hosts a, b: host a's row i is line 2i.
            var held = sink.Rows.Select((r, line) => (r.Score, line)).Where(x => x.Score?.HeldFeature != null).Select(x => x.line).ToList();
            Assert.Equal(Enumerable.Range(280 + Window - 1, 320 - (280 + Window - 1)).Select(i => 2 * i), held);
            return sink.Rows.Select(r => Verdict(r.Score)).ToList();
        }

        private static string[] Verdict(RowScore? score) => score == null
            ? new[] { "", "False", "", "False", nameof(WindowStatus.WarmingUp) }
            : new[]
            {
                score.Score.ToString("R", CultureInfo.InvariantCulture), score.IsAnomaly ? "True" : "False",
                score.Probability?.ToString("R", CultureInfo.InvariantCulture) ?? "", score.IsAlert ? "True" : "False", nameof(WindowStatus.Scored),
            };

        private static readonly string[] VerdictColumns = { ScoreColumns.Score, ScoreColumns.IsAnomaly, ScoreColumns.Probability, ScoreColumns.IsAlert, ScoreColumns.Status };

        private AnomalyScoringSummary Run(string input, string output, int batchSize, Action<IncrementalScoringJob>? setup = null,
            RecordingObserver? observer = null, AlertCooldown? cooldown = null)
        {
            var options = new IncrementalScoringOptions
            {
                OutputPath = output,
                StatePath = IncrementalScoringOptions.DefaultStatePath(output),
                BatchSize = batchSize,
                AlertCooldown = cooldown ?? AlertCooldown.Default,
            };
            var job = new IncrementalScoringJob(model, options, observer ?? new RecordingObserver());
            setup?.Invoke(job);
            return job.Run(new[] { input });
        }

        // With continual learning (LearnEvery 16), the job keeps the learned weights in its state: the same verdicts again.
        [Theory]
        [InlineData(0)]
        [InlineData(16)]
        public void RunsOverAGrowingFileIncludingKilledOnesGiveTheVerdictsOfOnePass(int learnEvery)
        {
            model.LearnEvery = learnEvery;
            string modelBefore = ModelFile.Fingerprint(model);
            var (lines, expected, input, output) = GrowingFile();
            int[] cuts = { 130, 300, 590, 700, lines.Count };
            int written = 0, run = 0;
            long alerts = 0;
            foreach (int cut in cuts)
            {
                File.AppendAllText(input, string.Join("", lines.Skip(written).Take(cut - written).Select(l => l + "\n")), Utf8);
                written = cut;
                if (run++ % 2 == 1)
                {
                    // Killed after a batch's results reached the disk and before the state said so: those rows are
                    // scored again next run, from the series memory of the last commit.
                    int batches = 0;
                    Assert.Throws<InvalidOperationException>(() => Run(input, output, batchSize: 37, setup: job => job.Checkpoint = point =>
                    {
                        if (point == "output-flushed" && ++batches == 2) throw new InvalidOperationException("killed");
                    }));
                }
                var summary = Run(input, output, batchSize: 37);
                Assert.True(summary.CountsAlerts);
                Assert.Equal(summary.Alerts > 0 ? AnomalyScoringExitCode.AnomaliesFound : AnomalyScoringExitCode.NoAnomalies, summary.ExitCode);
                alerts += summary.Alerts;
            }

            var rows = CsvSource.Read(output, new CsvInputOptions()).ToList();
            Assert.Equal(lines.Count, rows.Count);
            Assert.Equal(new[] { "Time", "Host", "cpu", "mem" }.Concat(ScoreColumns.For(windowed: true, source: true)), rows[0].Header.Names);
            var actual = rows.Select(r => VerdictColumns.Select(c => r.FieldAt(r.Header.IndexOf(c)) ?? "").ToArray()).ToList();
            for (int i = 0; i < expected.Count; i++) Assert.True(expected[i].SequenceEqual(actual[i]), $"row {i + 1}: expected {string.Join(",", expected[i])}, got {string.Join(",", actual[i])}");
            // The state counts every alert once; the summaries miss those of a batch a killed run committed before it
            // died (that run returned none).
            long counted = ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Output.Alerts;
            Assert.Equal(expected.Count(v => v[3] == "True"), counted);
            Assert.InRange(alerts, 0, counted);
            // The job learns into its state, never into the model it was given (the operator's model file).
            Assert.Equal(modelBefore, ModelFile.Fingerprint(model));
            var learned = ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Learning;
            if (learnEvery == 0) Assert.Null(learned);
            else
            {
                using var kept = ModelFile.Deserialize(Convert.FromBase64String(learned!.Model), "state");
                Assert.True(kept.LearningUpdates > 10, $"{kept.LearningUpdates} updates");
            }
        }

        [Fact]
        public void RowsAfterAHeaderOfAnotherColumnOrderAreSortedAndScoredUnderItGivingTheVerdictsOfOnePass()
        {
            // Two newest-first exports joined with cat, the second with its columns in another order: its rows were sorted
            // and scored by the first header's positions (cpu read from mem, the host from the time). Now the rows sorted
            // together are one header's: those after the second header wait for the next run, which reads them by it.
            var (lines, expected, input, output) = GrowingFile();
            var byRow = new Dictionary<string, string[]>();
            for (int i = 0; i < lines.Count; i++) byRow[string.Join(",", lines[i].Split(',').Take(2))] = expected[i];
            static string Reordered(string line) { var f = line.Split(','); return string.Join(",", f[1], f[3], f[0], f[2]); }
            var first = lines.Take(300).Reverse();
            var second = lines.Skip(300).Reverse().Select(Reordered);
            File.AppendAllText(input, string.Join("\n", first) + "\nHost,mem,Time,cpu\n" + string.Join("\n", second) + "\n", Utf8);

            var observer = new RecordingObserver();
            var one = Run(input, output, batchSize: 37, observer: observer);
            Assert.Empty(observer.Rejected.Select(r => $"line {r.Record.Line}: {r.Error.ErrorId}: {r.Error.Message}"));
            Assert.Equal(300, one.RowsScored + one.RowsWarmingUp);
            observer = new RecordingObserver();
            var two = Run(input, output, batchSize: 37, observer: observer);
            Assert.Empty(observer.Rejected.Select(r => $"line {r.Record.Line}: {r.Error.ErrorId}: {r.Error.Message}"));
            Assert.Empty(observer.Failed);
            Assert.Equal(lines.Count - 300, two.RowsScored + two.RowsWarmingUp);
            Assert.Single(observer.Warnings, w => w.Contains("line 302", StringComparison.Ordinal) && w.Contains("header is there again", StringComparison.Ordinal));

            var rows = CsvSource.Read(output, new CsvInputOptions()).ToList();
            Assert.Equal(lines.Count, rows.Count);
            foreach (var row in rows)
            {
                string key = $"{row.FieldAt(row.Header.IndexOf("Time"))},{row.FieldAt(row.Header.IndexOf("Host"))}";
                var actual = VerdictColumns.Select(c => row.FieldAt(row.Header.IndexOf(c)) ?? "").ToArray();
                Assert.True(byRow.Remove(key, out var verdict), $"{key} scored twice or not in the input");
                Assert.True(verdict!.SequenceEqual(actual), $"{key}: expected {string.Join(",", verdict!)}, got {string.Join(",", actual)}");
            }
        }

        [Fact]
        public void RunsOverANewestFirstFileIncludingKilledOnesGiveTheVerdictsOfOnePassInTimeOrder()
        {
            // Each run's new rows come newest first (a Splunk export appended to): all but one row of each run were refused
            // as out of order and lost. Now they are taken in time order per host, committed once the last is taken, so a
            // run killed after its results reached the disk leaves the state as it was and the next run scores them again.
            // The last part ends in a finished line without a line break: its oldest row, taken first.
            var (lines, expected, input, output) = GrowingFile();
            var byRow = new Dictionary<string, string[]>();
            for (int i = 0; i < lines.Count; i++) byRow[string.Join(",", lines[i].Split(',').Take(2))] = expected[i];
            int[] cuts = { 130, 300, 590, 700, lines.Count };
            int written = 0, run = 0;
            long taken = 0;
            foreach (int cut in cuts)
            {
                var part = lines.Skip(written).Take(cut - written).Reverse().ToList();
                bool last = cut == lines.Count;
                File.AppendAllText(input, string.Join("\n", part) + (last ? "" : "\n"), Utf8);
                if (last) File.SetLastWriteTimeUtc(input, DateTime.UtcNow - ScoringState.LastLineFinishedAfter - TimeSpan.FromMinutes(1));
                written = cut;
                if (run++ % 2 == 1)
                {
                    Assert.Throws<InvalidOperationException>(() => Run(input, output, batchSize: 37, setup: job => job.Checkpoint = point =>
                    {
                        if (point == "output-flushed") throw new InvalidOperationException("killed");
                    }));
                }
                var observer = new RecordingObserver();
                var summary = Run(input, output, batchSize: 37, observer: observer);
                Assert.Empty(observer.Rejected.Select(r => $"line {r.Record.Line}: {r.Error.ErrorId}"));
                Assert.Empty(observer.Failed);
                Assert.Equal(part.Count, summary.RowsScored + summary.RowsWarmingUp);
                taken += summary.RowsScored + summary.RowsWarmingUp;
            }

            Assert.Equal(lines.Count, taken);
            var rows = CsvSource.Read(output, new CsvInputOptions()).ToList();
            Assert.Equal(lines.Count, rows.Count);
            foreach (var row in rows)
            {
                string key = $"{row.FieldAt(row.Header.IndexOf("Time"))},{row.FieldAt(row.Header.IndexOf("Host"))}";
                var actual = VerdictColumns.Select(c => row.FieldAt(row.Header.IndexOf(c)) ?? "").ToArray();
                Assert.True(byRow.Remove(key, out var verdict), $"{key} scored twice or not in the input");
                Assert.True(verdict!.SequenceEqual(actual), $"{key}: expected {string.Join(",", verdict!)}, got {string.Join(",", actual)}");
            }
            var state = ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!;
            Assert.Equal(new FileInfo(input).Length, Assert.Single(state.Files).Offset);
            Assert.True(state.Files[0].EndsInOpenLine == true);
            Assert.Equal(0, state.Output.RowsRejected);

            // Nothing new: nothing scored, nothing refused.
            var again = Run(input, output, batchSize: 37);
            Assert.Equal(0, again.RowsScored + again.RowsWarmingUp + again.RowsRejected);
        }

        [Fact]
        public void AChangedModelFileStartsLearningAfreshWithAWarning()
        {
            model.LearnEvery = 16;
            var lines = Lines();
            string input = temp.File("metrics.csv");
            string output = temp.File("scored.csv");
            File.WriteAllText(input, Header + "\n" + string.Join("", lines.Take(300).Select(l => l + "\n")), Utf8);
            Run(input, output, batchSize: 64);
            string learned = ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Learning!.Model;

            // The same model file goes on from what it learned; another (here: another LearnEvery) starts from its own weights.
            File.AppendAllText(input, string.Join("", lines.Skip(300).Take(40).Select(l => l + "\n")), Utf8);
            var same = new RecordingObserver();
            Run(input, output, batchSize: 64, observer: same);
            Assert.DoesNotContain(same.Warnings, w => w.Contains("learned"));
            Assert.NotEqual(learned, ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Learning!.Model);

            model.LearnEvery = 8;
            File.AppendAllText(input, string.Join("", lines.Skip(340).Take(40).Select(l => l + "\n")), Utf8);
            var changed = new RecordingObserver();
            Run(input, output, batchSize: 64, observer: changed);
            Assert.Contains(changed.Warnings, w => w.Contains("learned from another model file"));
            using var kept = ModelFile.Deserialize(Convert.FromBase64String(ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Learning!.Model), "state");
            Assert.Equal(8, kept.LearnEvery);
            Assert.True(kept.LearningUpdates <= 40 / 8, $"{kept.LearningUpdates} updates since the fresh start");

            model.LearnEvery = 0;
            File.AppendAllText(input, string.Join("", lines.Skip(380).Take(20).Select(l => l + "\n")), Utf8);
            var off = new RecordingObserver();
            Run(input, output, batchSize: 64, observer: off);
            Assert.Contains(off.Warnings, w => w.Contains("does not learn"));
            Assert.Null(ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Learning);
        }

        [Fact]
        public void OtherVerdictOptionsStartTheSeriesAfreshWithAWarning()
        {
            var lines = Lines();
            string input = temp.File("metrics.csv");
            string output = temp.File("scored.csv");
            File.WriteAllText(input, Header + "\n" + string.Join("", lines.Take(100).Select(l => l + "\n")), Utf8);
            Run(input, output, batchSize: 64);
            Assert.NotNull(ScoringState.Load(IncrementalScoringOptions.DefaultStatePath(output))!.Series);

            File.AppendAllText(input, string.Join("", lines.Skip(100).Take(20).Select(l => l + "\n")), Utf8);
            var observer = new RecordingObserver();
            var summary = Run(input, output, batchSize: 64, observer: observer, cooldown: new AlertCooldown(10));
            Assert.Contains(observer.Warnings, w => w.Contains("starting afresh"));
            // Both groups warm up again: the first n-1 new rows of each have no window.
            Assert.Equal(2 * (Window - 1), summary.RowsWarmingUp);
        }

        [Fact]
        public void ARowModelsOutputCantTakeATimeSeriesModelsRows()
        {
            string input = temp.File("metrics.csv");
            string output = temp.File("scored.csv");
            File.WriteAllText(input, Header + "\n" + string.Join("", Lines().Take(10).Select(l => l + "\n")), Utf8);
            var state = new ScoringState();
            state.Output.Path = Path.GetFullPath(output);
            state.Output.Delimiter = ",";
            state.Output.Culture = "";
            state.Save(IncrementalScoringOptions.DefaultStatePath(output));
            var e = Assert.Throws<AutoencoderException>(() => Run(input, output, batchSize: 64));
            Assert.Equal("ScoringStateMismatch", e.ErrorId);
            Assert.Contains("time-series", e.Message);
        }
    }
}
