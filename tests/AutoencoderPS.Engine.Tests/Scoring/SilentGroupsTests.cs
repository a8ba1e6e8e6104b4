using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Scoring
{
    /// <summary>
    /// The series memory forgets groups that went silent (SeriesMemory.ForgetSilent), by the data's time, as rows arrive:
    /// a group back after more than a month is a new one, scoring in runs still gives the rows of one pass, and the
    /// scheduled job's state does not grow with hosts that come and go.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class SilentGroupsTests : IDisposable
    {
        private const int Window = 4;
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly DateTime T0 = new DateTime(2026, 1, 5);
        private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);
        private readonly TempDirectory temp = new TempDirectory();
        private readonly AutoencoderModel model;

        public SilentGroupsTests(TorchFixture fixture)
        {
            _ = fixture;
            // Two hosts for five days: cpu on a daily cycle and a counter of bytes (scored as its rate).
            var random = new Random(3);
            var records = new List<TestRecord>();
            for (var t = T0.AddDays(-5); t < T0; t += Step)
                foreach (var host in new[] { "a", "b" }) records.Add(Row(host, t, random));
            var settings = new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 3, windowSize: Window,
                timeProperty: "Time", groupBy: "Host");
            var roles = FeatureSchema.Infer(records, null, null, Invariant, out _, out _,
                keys: new Dictionary<string, string> { ["Time"] = "the time", ["Host"] = "the group" }, counterRates: true, groupColumn: "Host", timeColumn: "Time");
            var builder = new TrainingSetBuilder(roles, Invariant, MissingValuePolicy.Impute);
            foreach (var r in records) builder.Add(r);
            var keys = records.Select(r => SlidingWindow.ReadKey(r, settings, Invariant)).ToList();
            var set = builder.Build(1, keys);
            model = new AutoencoderModel(settings);
            model.Train(set.Schema, set.Rows, new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 1e-2 },
                windows: SlidingWindow.Plan(Window, keys, null), imputed: set.Imputed);
            Assert.True(model.FeatureColumns.Single(c => c.Name == "bytes").IsCounter);
        }

        public void Dispose()
        {
            model.Dispose();
            temp.Dispose();
        }

        // A row of `host` at `time`: cpu on a daily cycle (or stuck at `stuck`), bytes counting about 1,000 a second.
        private static TestRecord Row(string host, DateTime time, Random random, double? stuck = null) => new TestRecord(
            ("Time", time), ("Host", host),
            ("cpu", stuck ?? 50 + 20 * Math.Sin(2 * Math.PI * time.TimeOfDay.TotalHours / 24) + random.NextDouble()),
            ("bytes", (time - T0.AddDays(-10)).TotalSeconds * 1000 + 500 * random.NextDouble()));

        private static object Value(IRecord row, string column)
        {
            Assert.True(row.TryGetValue(column, out var value) && value != null, $"no column '{column}'");
            return value!;
        }

        private static string HostOf(IRecord row) => (string)Value(row, "Host");

        private static string Verdict(RowScore? score) => score == null ? "warming up"
            : string.Create(Invariant, $"{score.Score:R} {score.Probability:R} {score.IsAnomaly} {score.IsAlert}");

        private static List<(TestRecord Row, RowScore? Score)> Score(AutoencoderModel model, IEnumerable<TestRecord> rows, SeriesMemory memory, int batchSize = 64)
        {
            var sink = new RecordingSink<TestRecord>();
            var pipeline = new ScoringPipeline<TestRecord>(model, new ScoringOptions { BatchSize = batchSize }, sink, memory);
            foreach (var row in rows) Assert.Null(pipeline.Add(row, row, Invariant, MissingValuePolicy.Impute));
            pipeline.Flush();
            return sink.Rows.Select(r => (r.Row, r.Score)).ToList();
        }

        // Host a's rows back at `start`: normal ones, then cpu stuck for rows 3-9 (a stuck window is an anomaly whatever its
        // likelihood: Modeling.HeldValues), then normal ones again.
        private static List<TestRecord> Return(string host, DateTime start, int rows, Random random) =>
            Enumerable.Range(0, rows).Select(i => Row(host, start + i * Step, random, i >= 3 && i < 10 ? 42.5 : null)).ToList();

        [Theory]
        [InlineData(29)]
        [InlineData(31)]
        public void AGroupSilentForMoreThanThirtyDaysOfDataIsForgottenAndComesBackAsANewOne(int silentDays)
        {
            bool forgotten = TimeSpan.FromDays(silentDays) > SeriesMemory.ForgetSilentGroupsAfter;
            var random = new Random(11);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            memory.SweepEvery = 8; // every few hours of these rows: forgotten within hours of its month
            // Hosts a, b and c for a week, a's cpu stuck for its last rows (an incident: an alert); then b and c alone for
            // silentDays (the last rows of most hosts are what "now" is: see OneHostAheadOfTheOthersDoesNotMakeThemSilent).
            var end = T0.AddDays(7);
            var rows = new List<TestRecord>();
            for (var t = T0; t < end; t += Step)
            {
                rows.Add(Row("a", t, random, t >= end - 6 * Step ? 42.5 : null));
                rows.Add(Row("b", t, random));
                rows.Add(Row("c", t, random));
            }
            for (var t = end; t < end.AddDays(silentDays); t += Step)
            {
                rows.Add(Row("b", t, random));
                rows.Add(Row("c", t, random));
            }
            var scored = Score(model, rows, memory);
            Assert.Contains(scored, r => HostOf(r.Row) == "a" && r.Score?.IsAlert == true && (DateTime)Value(r.Row, "Time") >= end - 6 * Step);

            // Forgotten from the windows, the counters, the calibration (a's week of history) and the cool-down, or all kept.
            int groups = forgotten ? 2 : 3;
            Assert.Equal(groups, memory.Windows.GroupCount);
            Assert.Equal(groups, memory.Counters!.GroupCount);
            Assert.Equal(groups, memory.Verdicts.Likelihood!.GroupCount);
            Assert.Equal(groups, memory.Verdicts.Alerts.GroupCount);
            Assert.Equal(forgotten ? null : end - Step, memory.Windows.LastTime("a"));

            // Host a comes back with its cpu stuck again. As a new group, it alerts; remembered, the cool-down (48 rows)
            // since its incident a month before still holds the alert back, and its calibration goes on from its week.
            var back = Return("a", end.AddDays(silentDays), 40, random);
            var returning = Score(model, back, memory).Select(r => Verdict(r.Score)).ToList();
            var asNew = Score(model, back, SeriesMemory.For(model, new ScoringOptions())).Select(r => Verdict(r.Score)).ToList();
            Assert.Contains(asNew, v => v.EndsWith("True True", StringComparison.Ordinal));
            if (forgotten) Assert.Equal(asNew, returning);
            else
            {
                Assert.DoesNotContain(returning, v => v.EndsWith("True True", StringComparison.Ordinal));
                Assert.NotEqual(asNew.Where(v => v != "warming up").Select(v => v.Split(' ')[1]), returning.Where(v => v != "warming up").Select(v => v.Split(' ')[1]));
            }
        }

        private const int ChurnSweepEvery = 16;

        // Hosts a to e for a week, then b, d and e alone for 33 days (a and c forgotten), then a block of c's rows from
        // long before (c back, 31 days behind the others: a backlog, which reports, so it is kept, its last rows still
        // waiting in the batch for their verdicts at the sweeps), then b, d and e for ten hours, then a and c back with
        // them (a as a new group, c going on).
        private static List<TestRecord> Churn(out int lateStart, out int lateEnd, out int backStart)
        {
            var random = new Random(21);
            var rows = new List<TestRecord>();
            var end = T0.AddDays(7);
            var others = new[] { "b", "d", "e" };
            for (var t = T0; t < end; t += Step)
                foreach (var host in new[] { "a", "b", "c", "d", "e" }) rows.Add(Row(host, t, random));
            var bEnd = end.AddDays(33);
            for (var t = end; t < bEnd; t += Step)
                foreach (var host in others) rows.Add(Row(host, t, random));
            lateStart = rows.Count;
            for (var t = end; t < end.AddDays(2); t += Step) rows.Add(Row("c", t, random));
            lateEnd = rows.Count;
            for (int i = 0; i < 20; i++)
                foreach (var host in others) rows.Add(Row(host, bEnd + i * Step, random));
            backStart = rows.Count;
            var a = Return("a", bEnd + 20 * Step, 20, random);
            var c = Return("c", bEnd + 20 * Step, 20, random);
            for (int i = 0; i < 20; i++)
            {
                foreach (var host in others) rows.Add(Row(host, bEnd + (20 + i) * Step, random));
                rows.Add(a[i]);
                rows.Add(c[i]);
            }
            return rows;
        }

        private SeriesMemory ChurnMemory(byte[]? saved = null)
        {
            var memory = saved == null ? SeriesMemory.For(model, new ScoringOptions()) : SeriesMemory.Load(saved, model, new ScoringOptions(), out _)!;
            memory.SweepEvery = ChurnSweepEvery;
            return memory;
        }

        [Fact]
        public void ScoringInRunsGivesTheRowsOfOnePassWhenAGroupIsForgottenBetweenThem()
        {
            var rows = Churn(out int lateStart, out int lateEnd, out int backStart);
            var memory = ChurnMemory();
            var expected = Score(model, rows, memory, batchSize: 256).Select(r => Verdict(r.Score)).ToList();
            Assert.Equal(5, memory.Windows.GroupCount);
            Assert.Equal(2, memory.GroupsForgotten); // a and c, once each

            // a came back as a new group: its last rows are scored as those rows alone in a fresh memory; c, whose backlog
            // reported since, goes on with what it learned then (its calibration), so its rows score otherwise.
            foreach (var host in new[] { "a", "c" })
            {
                var own = Enumerable.Range(backStart, rows.Count - backStart).Where(i => HostOf(rows[i]) == host).ToList();
                var asNew = Score(model, own.Select(i => rows[i]), SeriesMemory.For(model, new ScoringOptions())).Select(r => Verdict(r.Score)).ToList();
                Assert.True(asNew.SequenceEqual(own.Select(i => expected[i])) == (host == "a"),
                    $"host {host}: as new {string.Join(" | ", asNew.Take(6))}; in the pass {string.Join(" | ", own.Take(6).Select(i => expected[i]))}");
            }

            // The memory saved and loaded at cuts around the forgetting: before, in and after c's late block, around the
            // sweeps after it, and among the returning rows; with batches that end anywhere.
            foreach (var batchSize in new[] { 37, 64 })
            {
                var cuts = new[] { lateStart - 1, lateStart + 50, lateEnd, lateEnd + 1, lateEnd + 17, backStart + 7, rows.Count };
                byte[]? saved = null;
                var actual = new List<string>();
                int from = 0;
                foreach (int cut in cuts)
                {
                    var run = ChurnMemory(saved);
                    actual.AddRange(Score(model, rows.Skip(from).Take(cut - from), run, batchSize).Select(r => Verdict(r.Score)));
                    saved = run.Save(model);
                    from = cut;
                }
                Assert.Equal(expected.Count, actual.Count);
                for (int i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"batch {batchSize}, row {i}: expected {expected[i]}, got {actual[i]}");
            }
        }

        [Fact]
        public void OneHostAheadOfTheOthersDoesNotMakeThemSilent()
        {
            // Hosts a to d for ten days; host z's clock runs a year ahead, and one row of b is dated twenty years ahead.
            // "Now" is the last rows of most hosts, not the newest row: nobody is silent. (It was: every host but z was
            // forgotten at every sweep, and after the row from the future no sweep came until the data reached it.)
            var random = new Random(31);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            memory.SweepEvery = 16;
            var rows = new List<TestRecord>();
            for (var t = T0; t < T0.AddDays(10); t += Step)
            {
                foreach (var host in new[] { "a", "b", "c", "d" }) rows.Add(Row(host, t, random));
                rows.Add(Row("z", t.AddDays(365), random));
            }
            rows.Add(Row("b", T0.AddYears(20), random));
            for (var t = T0.AddDays(10); t < T0.AddDays(12); t += Step)
                foreach (var host in new[] { "a", "c", "d" }) rows.Add(Row(host, t, random));

            var scored = Score(model, rows, memory);

            Assert.Equal(0, memory.GroupsForgotten);
            Assert.Equal(5, memory.Windows.GroupCount);
            // a, c and d go on scoring (a forgotten host warms up again).
            Assert.All(scored.Skip(rows.Count - 3 * 96), r => Assert.NotNull(r.Score));
        }

        [Fact]
        public void AHostsBacklogFarBehindTheOthersIsScoredWithItsMemory()
        {
            // Hosts a, b and c are current; host x's agent was down and its two months of rows come in now, behind them.
            // x reports (it has rows since the last sweep), so it is not silent, however old its rows: it warms up once.
            var random = new Random(41);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            memory.SweepEvery = 16;
            var rows = new List<TestRecord>();
            var now = T0.AddDays(70);
            for (var t = now.AddDays(-2); t < now; t += Step)
                foreach (var host in new[] { "a", "b", "c" }) rows.Add(Row(host, t, random));
            int backlog = rows.Count;
            for (var t = now.AddDays(-62); t < now.AddDays(-58); t += Step) rows.Add(Row("x", t, random));

            var scored = Score(model, rows, memory);

            Assert.Equal(0, memory.GroupsForgotten);
            Assert.Equal(Window - 1, scored.Skip(backlog).Count(r => r.Score == null));
        }

        [Fact]
        public void ABacklogSentInBurstsIsKeptBetweenTheBursts()
        {
            // Ten current hosts; host x's two-month-old backlog comes in four bursts (an agent flushing what it kept while
            // down), with 600 rows of the others between them: more than a sweep apart, far behind "now", yet reporting.
            // Each burst is longer than a sweep too, so some sweeps see only x report.
            var random = new Random(43);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var hosts = Enumerable.Range(0, 10).Select(i => $"h{i}").ToArray();
            var rows = new List<TestRecord>();
            var now = T0.AddDays(70);
            var backlog = now.AddDays(-60);
            var xRows = new List<int>();
            for (int burst = 0; burst < 4; burst++)
            {
                for (int i = 0; i < 60; i++)
                    foreach (var host in hosts) rows.Add(Row(host, now + (burst * 60 + i) * Step, random));
                for (int i = 0; i < 300; i++)
                {
                    xRows.Add(rows.Count);
                    rows.Add(Row("x", backlog + (burst * 300 + i) * Step, random));
                }
            }

            var scored = Score(model, rows, memory);

            Assert.Equal(0, memory.GroupsForgotten);
            Assert.Equal(Window - 1, xRows.Count(i => scored[i].Score == null));
        }

        [Fact]
        public void OfTwoHostsTheOneThatStopsIsForgotten()
        {
            // A primary and a standby: only the one that reports says what "now" is (with both voting, the silent one's last
            // time was "now", and it was never forgotten).
            var random = new Random(47);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            memory.SweepEvery = 8;
            var rows = new List<TestRecord>();
            var end = T0.AddDays(3);
            for (var t = T0; t < end; t += Step)
                foreach (var host in new[] { "a", "b" }) rows.Add(Row(host, t, random));
            for (var t = end; t < end.AddDays(31); t += Step) rows.Add(Row("b", t, random));

            Score(model, rows, memory);

            Assert.Equal(1, memory.GroupsForgotten);
            Assert.Null(memory.Windows.LastTime("a"));
        }

        [Fact]
        public void AGroupWhoseWindowNeverBreaksIsNeverSilent()
        {
            // -MaxGap as long as a TimeSpan goes: three times that is no limit, not none (it overflowed to 30 days).
            var windows = new WindowAssembler(2, 1, _ => TimeSpan.MaxValue);
            windows.Push(new WindowKey("a", T0), new[] { 1.0 }, null, "Time");
            for (int day = 0; day < 60; day++)
                foreach (var host in new[] { "b", "c" }) windows.Push(new WindowKey(host, T0.AddDays(day)), new[] { 1.0 }, null, "Time");

            Assert.Null(windows.ForgetSilent(TimeSpan.FromDays(30), 3, 100, 0, 100, reporting: 2));
            Assert.Equal(3, windows.GroupCount);
        }

        [Fact]
        public void ASeriesOfOneRowAMonthKeepsItsMemoryBetweenItsRows()
        {
            // Three hosts, one row on the first of each month: a gap of 28-31 days keeps a window (1.5 usual intervals),
            // so a month between rows is no silence. (It was: every host but the first to report in a month was
            // forgotten each month, and never scored.)
            var settings = new ModelSettings(new[] { 6, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 4, windowSize: 3,
                timeProperty: "Time", groupBy: "Host");
            var random = new Random(7);
            var start = new DateTime(2020, 1, 1);
            TestRecord Monthly(string host, int month) => new TestRecord(("Time", start.AddMonths(month)), ("Host", host),
                ("cpu", 50 + 10 * Math.Sin(month / 2.0) + random.NextDouble()));
            var hosts = new[] { "a", "b", "c" };
            using var monthly = WindowedTraining.Train(settings, Enumerable.Range(0, 36).SelectMany(m => hosts.Select(h => Monthly(h, m))).ToList(),
                new[] { "cpu" }, new TrainingOptions { Epochs = 3, BatchSize = 16 });
            var memory = SeriesMemory.For(monthly, new ScoringOptions());
            memory.SweepEvery = 1;

            var scored = Score(monthly, Enumerable.Range(36, 24).SelectMany(m => hosts.Select(h => Monthly(h, m))).ToList(), memory);

            Assert.Equal(0, memory.GroupsForgotten);
            Assert.Equal(3 * 22, scored.Count(r => r.Score != null));
        }

        [Fact]
        public void TheJobsStateDoesNotGrowWithHostsThatComeAndGo()
        {
            // A fleet of 5 instances at any time, each living 8 days under its own name (instances replaced at every
            // deploy, staggered), 240 days: 150 names. Scored by the job after every 40 days of rows.
            const int Fleet = 5, LifeDays = 8, RunDays = 40, Days = 240;
            var random = new Random(5);
            string input = temp.File("metrics.csv");
            string output = temp.File("scored.csv");
            string statePath = IncrementalScoringOptions.DefaultStatePath(output);
            File.WriteAllText(input, "Time,Host,cpu,bytes\n", new UTF8Encoding(false));
            var sizes = new List<long>();
            var groups = new List<int>();
            var observer = new RecordingObserver();
            for (int run = 0; run < Days / RunDays; run++)
            {
                var text = new StringBuilder();
                for (var t = T0.AddDays(run * RunDays); t < T0.AddDays((run + 1) * RunDays); t += Step)
                    for (int slot = 0; slot < Fleet; slot++)
                    {
                        // Slot s's instance n lives from day n * LifeDays + s * LifeDays / Fleet.
                        double day = (t - T0).TotalDays - slot * (double)LifeDays / Fleet;
                        string host = string.Create(Invariant, $"i{slot}-{(int)Math.Floor(day / LifeDays)}");
                        var row = Row(host, t, random);
                        text.Append(string.Create(Invariant, $"{t:yyyy-MM-dd HH:mm:ss},{host},{(double)Value(row, "cpu"):R},{(double)Value(row, "bytes"):R}\n"));
                    }
                File.AppendAllText(input, text.ToString(), new UTF8Encoding(false));
                var options = new IncrementalScoringOptions { OutputPath = output, StatePath = statePath, BatchSize = 500 };
                var summary = new IncrementalScoringJob(model, options, observer).Run(new[] { input });
                Assert.Equal(RunDays * 48 * Fleet, summary.RowsScored + summary.RowsWarmingUp);
                sizes.Add(new FileInfo(statePath).Length);
                var state = ScoringState.Load(statePath)!;
                var memory = SeriesMemory.Load(Convert.FromBase64String(state.Series!), model, new ScoringOptions(), out var whyNot);
                Assert.True(memory != null, whyNot);
                Assert.Equal(memory!.Windows.GroupCount, memory.Verdicts.Likelihood!.GroupCount);
                groups.Add(memory.Windows.GroupCount);
            }

            // The instances of the last month (30 days of silence, a sweep about a day of rows apart, and the instances that
            // live now), not every one seen: the state stops growing once the first month is behind.
            int bound = Fleet * ((int)SeriesMemory.ForgetSilentGroupsAfter.TotalDays + 2 + LifeDays) / LifeDays + Fleet;
            Assert.True(groups.All(g => g <= bound), $"groups kept after each run: {string.Join(", ", groups)} (bound {bound})");
            Assert.True(sizes.Skip(1).All(s => s < sizes[1] * 1.25), $"state sizes after each run: {string.Join(", ", sizes)}");
            Assert.Contains(observer.VerboseMessages, m => m.Contains("Forgot", StringComparison.Ordinal) && m.Contains("30 days", StringComparison.Ordinal));
        }

        // ---- A model without a time property: silence in rows -------------------------------------------------------------

        private static AutoencoderModel Untimed()
        {
            var settings = new ModelSettings(new[] { 6, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 4, windowSize: Window, groupBy: "Host");
            var random = new Random(6);
            var records = Enumerable.Range(0, 300).SelectMany(i => new[] { "a", "b" }.Select(h => UntimedRow(h, i, random))).ToList();
            return WindowedTraining.Train(settings, records, new[] { "cpu" }, new TrainingOptions { Epochs = 3, BatchSize = 32 });
        }

        private static TestRecord UntimedRow(string host, int i, Random random) =>
            new TestRecord(("Host", host), ("cpu", 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble()));

        // Hosts a and b for 100 rows each, then b alone for `alone` rows.
        private static List<TestRecord> UntimedRows(int alone, Random random)
        {
            var rows = Enumerable.Range(0, 100).SelectMany(i => new[] { "a", "b" }.Select(h => UntimedRow(h, i, random))).ToList();
            rows.AddRange(Enumerable.Range(100, alone).Select(i => UntimedRow("b", i, random)));
            return rows;
        }

        // The limit made small (200 rows, swept every 20): a's last row is row 199, of 380 (181 rows back: kept) or of
        // 420 (forgotten by the sweep at row 400).
        [Theory]
        [InlineData(180, false)]
        [InlineData(220, true)]
        public void WithoutATimePropertyAGroupWithNoRowAmongTheLastRowsIsForgotten(int alone, bool forgotten)
        {
            using var untimed = Untimed();
            var memory = SeriesMemory.For(untimed, new ScoringOptions());
            memory.SilentRowLimit = 200;
            memory.SweepEvery = 20;
            var random = new Random(8);
            Score(untimed, UntimedRows(alone, random), memory);
            Assert.Equal(forgotten ? 1 : 2, memory.Windows.GroupCount);
            Assert.Equal(forgotten ? 1 : 2, memory.Verdicts.Likelihood!.GroupCount);

            // Saved and loaded, the row numbers go on: a (if kept) is forgotten 200 rows after its last one all the same.
            var loaded = SeriesMemory.Load(memory.Save(untimed), untimed, new ScoringOptions(), out var whyNot)!;
            Assert.True(loaded != null, whyNot);
            loaded.SilentRowLimit = 200;
            loaded.SweepEvery = 20;
            Score(untimed, Enumerable.Range(0, 40).Select(i => UntimedRow("b", 1000 + i, random)), loaded);
            Assert.Equal(1, loaded.Windows.GroupCount);
        }

        [Fact]
        public void AMemoryOfVersion4CountsEveryGroupAsSeenWhenItIsLoaded()
        {
            using var untimed = Untimed();
            var memory = SeriesMemory.For(untimed, new ScoringOptions());
            memory.SilentRowLimit = 200;
            memory.SweepEvery = 20;
            var random = new Random(9);
            Score(untimed, UntimedRows(180, random), memory);
            Assert.Equal(2, memory.Windows.GroupCount);
            byte[] current = memory.Save(untimed);
            byte[] version4 = SeriesMemoryVersions.AsVersion4(current);

            // 150 more rows of b: a's last row is then 330 rows back (forgotten), but counted from the load of the older
            // memory, which kept no row numbers, only 150 (kept); 100 more and it is forgotten there too.
            var goOn = SeriesMemory.Load(current, untimed, new ScoringOptions(), out _)!;
            var fromOld = SeriesMemory.Load(version4, untimed, new ScoringOptions(), out var whyNot)!;
            Assert.True(fromOld != null, whyNot);
            goOn.SilentRowLimit = fromOld.SilentRowLimit = 200;
            goOn.SweepEvery = fromOld.SweepEvery = 20;
            var more = Enumerable.Range(0, 150).Select(i => UntimedRow("b", 1000 + i, random)).ToList();
            var expected = Score(untimed, more, goOn).Select(r => Verdict(r.Score));
            Assert.Equal(expected, Score(untimed, more, fromOld).Select(r => Verdict(r.Score)));
            Assert.Equal(1, goOn.Windows.GroupCount);
            Assert.Equal(2, fromOld.Windows.GroupCount);
            Score(untimed, Enumerable.Range(0, 100).Select(i => UntimedRow("b", 2000 + i, random)), fromOld);
            Assert.Equal(1, fromOld.Windows.GroupCount);
        }
    }
}
