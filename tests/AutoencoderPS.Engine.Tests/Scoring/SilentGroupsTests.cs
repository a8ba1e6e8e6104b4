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
    /// The scheduled job forgets, at the end of each run, the groups of its series memory that went silent
    /// (SeriesMemory.ForgetSilent), by the data's time: a group back after more than a month is a new one, groups that
    /// report are kept however far behind, and the job's state does not grow with hosts that come and go.
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
            var keys = records.Select(r => SlidingWindow.ReadKey(r, settings, roles, Invariant)).ToList();
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

        // One run of the job, as far as the memory goes: its rows scored, then the silent groups forgotten (with a clock
        // that is no bound unless given).
        private List<string> Run(SeriesMemory memory, IEnumerable<TestRecord> rows, AutoencoderModel? with = null, DateTime? clock = null)
        {
            Score(with ?? model, rows, memory);
            return memory.ForgetSilent(clock ?? DateTime.MaxValue) ?? new List<string>();
        }

        private static IEnumerable<TestRecord> Rows(IEnumerable<string> hosts, DateTime from, DateTime to, Random random)
        {
            for (var t = from; t < to; t += Step)
                foreach (var host in hosts) yield return Row(host, t, random);
        }

        [Theory]
        [InlineData(29)]
        [InlineData(31)]
        public void AGroupSilentForMoreThanThirtyDaysOfDataIsForgottenAndComesBackAsANewOne(int silentDays)
        {
            bool forgotten = TimeSpan.FromDays(silentDays) > SeriesMemory.ForgetSilentGroupsAfter;
            var random = new Random(11);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            // A run: hosts a, b and c for a week, a's cpu stuck for its last rows (an incident: an alert). The next run: b
            // and c alone for silentDays.
            var end = T0.AddDays(7);
            var week = new List<TestRecord>();
            for (var t = T0; t < end; t += Step)
                foreach (var host in new[] { "a", "b", "c" }) week.Add(Row(host, t, random, host == "a" && t >= end - 6 * Step ? 42.5 : null));
            var scored = Score(model, week, memory);
            Assert.Null(memory.ForgetSilent(DateTime.MaxValue));
            Assert.Contains(scored, r => HostOf(r.Row) == "a" && r.Score?.IsAlert == true && (DateTime)Value(r.Row, "Time") >= end - 6 * Step);
            var gone = Run(memory, Rows(new[] { "b", "c" }, end, end.AddDays(silentDays), random));

            // Forgotten from the windows, the counters, the calibration (a's week of history) and the cool-down, or all kept.
            Assert.Equal(forgotten ? new[] { "a" } : Array.Empty<string>(), gone);
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

        [Fact]
        public void OneCallKeepsEveryGroupItSees()
        {
            // Rows need not come in time with the other groups' (a file per host, scored one after another): only the job,
            // at the end of a run, forgets. A host's file of two months, then another's: both scored with their memory.
            var random = new Random(13);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var scored = Score(model, Rows(new[] { "a" }, T0, T0.AddDays(60), random).Concat(Rows(new[] { "b" }, T0, T0.AddDays(60), random)).ToList(), memory);

            Assert.Equal(2, memory.Windows.GroupCount);
            Assert.Equal(2 * (Window - 1), scored.Count(r => r.Score == null));
        }

        [Fact]
        public void OfTwoHostsTheOneThatStopsIsForgotten()
        {
            // A primary and a standby: only the one that reports says what "now" is (with both voting, the silent one's
            // last time was "now", and it was never forgotten).
            var random = new Random(47);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var end = T0.AddDays(3);
            Assert.Empty(Run(memory, Rows(new[] { "a", "b" }, T0, end, random)));
            Assert.Empty(Run(memory, Rows(new[] { "b" }, end, end.AddDays(20), random)));
            Assert.Equal(new[] { "a" }, Run(memory, Rows(new[] { "b" }, end.AddDays(20), end.AddDays(31), random)));
            Assert.Null(memory.Windows.LastTime("a"));
        }

        [Fact]
        public void HostsAheadOfTheOthersMakeNoneSilent()
        {
            // Hosts a to d; host z's clock runs a year ahead, and one row of b is dated twenty years ahead. "Now" is the
            // median of the last times of the hosts that report (of one or two, the earliest): nobody is silent.
            var random = new Random(31);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var first = Rows(new[] { "a", "b", "c", "d" }, T0, T0.AddDays(10), random).Concat(Rows(new[] { "z" }, T0.AddDays(365), T0.AddDays(375), random)).ToList();
            first.Add(Row("b", T0.AddYears(20), random));
            Assert.Empty(Run(memory, first));
            // b and z send nothing for a while; a, c and d go on.
            Assert.Empty(Run(memory, Rows(new[] { "a", "c", "d" }, T0.AddDays(10), T0.AddDays(12), random)));
            Assert.Equal(5, memory.Windows.GroupCount);
        }

        [Fact]
        public void ARunInWhichOnlyAHostDatedAheadReportsMakesNoneSilent()
        {
            // Hosts a to d, then a run with only host z, whose clock runs a year ahead (the others had nothing new yet):
            // "now" is never later than the clock (a day ahead for time zones), so the others are not a year silent.
            var random = new Random(37);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var clock = T0.AddDays(10);
            Assert.Empty(Run(memory, Rows(new[] { "a", "b", "c", "d" }, T0, clock, random), clock: clock));
            Assert.Empty(Run(memory, Rows(new[] { "z" }, clock.AddDays(365), clock.AddDays(366), random), clock: clock.AddDays(1)));
            Assert.Empty(Run(memory, Rows(new[] { "a", "b", "c", "d" }, clock, clock.AddDays(1), random), clock: clock.AddDays(1)));
            Assert.Equal(5, memory.Windows.GroupCount);
        }

        [Fact]
        public void MarksMadeWhileTheClockRanAheadDoNotHoldForgettingBack()
        {
            // One run with the computer's clock and the hosts' a year ahead (a bad time-sync image), then both put right:
            // the marks of that run count up to the clock as it is now, so a host that stops is forgotten a month later.
            var random = new Random(49);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var now = T0.AddDays(10);
            Assert.Empty(Run(memory, Rows(new[] { "a", "b", "c" }, now.AddDays(365), now.AddDays(366), random), clock: now.AddDays(366)));
            Assert.Empty(Run(memory, Rows(new[] { "d", "e", "f", "g" }, now, now.AddDays(1), random), clock: now.AddDays(1)));
            var gone = new List<string>();
            for (int day = 1; day < 60; day++)
                gone.AddRange(Run(memory, Rows(new[] { "d", "e", "f" }, now.AddDays(day), now.AddDays(day + 1), random), clock: now.AddDays(day + 1)));
            Assert.Contains("g", gone);
        }

        [Fact]
        public void AMemoryOfFormat5IsStartedAfreshWithAReason()
        {
            // Format 5 was written only by development builds, in two layouts: not read, the job warns and starts afresh.
            var memory = SeriesMemory.For(model, new ScoringOptions());
            Score(model, Rows(new[] { "a" }, T0, T0.AddDays(1), new Random(51)), memory);
            byte[] saved = memory.Save(model);
            using (var reader = new BinaryReader(new MemoryStream(saved)))
            {
                reader.ReadString();
                BitConverter.GetBytes(5).CopyTo(saved, (int)reader.BaseStream.Position);
            }

            Assert.Null(SeriesMemory.Load(saved, model, new ScoringOptions(), out var whyNot));
            Assert.Contains("development build", whyNot, StringComparison.Ordinal);
        }

        [Fact]
        public void AStoppedRunsGroupsCountAsReportedInTheNextRun()
        {
            // A run stopped before it could forget (Ctrl+C): its groups reported all the same, at the next run's "now".
            var random = new Random(39);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var now = T0.AddDays(70);
            Assert.Empty(Run(memory, Rows(new[] { "a", "b", "c" }, now.AddDays(-2), now, random)));
            Score(model, Rows(new[] { "x" }, now.AddDays(-62), now.AddDays(-58), random), memory); // stopped: no forgetting
            Assert.Empty(Run(memory, Rows(new[] { "a", "b", "c" }, now, now.AddDays(1), random)));
            Assert.Equal(4, memory.Windows.GroupCount);
        }

        [Fact]
        public void TheJobKeepsABacklogThatReportedInTheRunBefore()
        {
            // Through the job and its state file: host x's rows of two months before come in one run, with the others'
            // current rows; the next run has only the others'. x reported in the first run: its mark is kept with the
            // state (it was not, unless something was forgotten, and x was forgotten at the next run).
            var random = new Random(45);
            string current = temp.File("current.csv"), backlog = temp.File("x.csv");
            string output = temp.File("scored.csv");
            var now = T0.AddDays(70);
            string Csv(IEnumerable<TestRecord> rows) => string.Concat(rows.Select(r => string.Create(Invariant,
                $"{(DateTime)Value(r, "Time"):yyyy-MM-dd HH:mm:ss},{HostOf(r)},{(double)Value(r, "cpu"):R},{(double)Value(r, "bytes"):R}\n")));
            File.WriteAllText(current, "Time,Host,cpu,bytes\n" + Csv(Rows(new[] { "a", "b", "c" }, now.AddDays(-2), now, random)), new UTF8Encoding(false));
            File.WriteAllText(backlog, "Time,Host,cpu,bytes\n" + Csv(Rows(new[] { "x" }, now.AddDays(-62), now.AddDays(-58), random)), new UTF8Encoding(false));
            var options = new IncrementalScoringOptions { OutputPath = output, StatePath = IncrementalScoringOptions.DefaultStatePath(output) };
            new IncrementalScoringJob(model, options, new RecordingObserver()).Run(new[] { current, backlog });
            File.AppendAllText(current, Csv(Rows(new[] { "a", "b", "c" }, now, now.AddDays(1), random)), new UTF8Encoding(false));

            var observer = new RecordingObserver();
            new IncrementalScoringJob(model, options, observer).Run(new[] { current, backlog });

            Assert.DoesNotContain(observer.VerboseMessages, m => m.StartsWith("Forgot", StringComparison.Ordinal));
            var state = ScoringState.Load(options.StatePath)!;
            var memory = SeriesMemory.Load(Convert.FromBase64String(state.Series!), model, new ScoringOptions(), out var whyNot);
            Assert.True(memory != null, whyNot);
            Assert.Equal(4, memory!.Windows.GroupCount);
        }

        [Fact]
        public void ABacklogFarBehindTheOthersIsKeptWhileItReports()
        {
            // Hosts a, b and c are current; host x's agent was down, and its rows of two months before come in one run:
            // x reports in that run, so it is marked with that run's "now", and kept in the next runs for the month
            // (by its own rows' times it would be silent at once).
            var random = new Random(41);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            var now = T0.AddDays(70);
            var rows = Rows(new[] { "a", "b", "c" }, now.AddDays(-2), now, random).Concat(Rows(new[] { "x" }, now.AddDays(-62), now.AddDays(-58), random)).ToList();
            Assert.Empty(Run(memory, rows));
            Assert.Empty(Run(memory, Rows(new[] { "a", "b", "c" }, now, now.AddDays(20), random)));
            Assert.Equal(4, memory.Windows.GroupCount);
            Assert.Equal(new[] { "x" }, Run(memory, Rows(new[] { "a", "b", "c" }, now.AddDays(20), now.AddDays(31), random)));
        }

        [Fact]
        public void ASeriesOfOneRowAMonthKeepsItsMemoryBetweenItsRows()
        {
            // Three hosts, one row on the first of each month, each in a run of its own: a gap of 28-31 days keeps a window
            // (1.5 usual intervals), so a month between rows is no silence (the limit is 3 times the largest gap).
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

            for (int month = 36; month < 60; month++)
                foreach (var host in hosts) Assert.Empty(Run(memory, new[] { Monthly(host, month) }, monthly));

            Assert.Equal(3, memory.Windows.GroupCount);
        }

        [Fact]
        public void AGroupWhoseWindowNeverBreaksIsNeverSilent()
        {
            // -MaxGap as long as a TimeSpan goes: three times that is no limit, not none (it overflowed to 30 days).
            var windows = new WindowAssembler(2, 1, _ => TimeSpan.MaxValue);
            List<string>? Forget() => windows.ForgetSilent(TimeSpan.FromDays(30), 3, 100, 0, 100, DateTime.MaxValue);
            windows.Push(new WindowKey("a", T0), new[] { 1.0 }, null, "Time");
            Assert.Null(Forget());
            for (int day = 0; day < 60; day++)
                foreach (var host in new[] { "b", "c" }) windows.Push(new WindowKey(host, T0.AddDays(day)), new[] { 1.0 }, null, "Time");

            Assert.Null(Forget());
            Assert.Equal(3, windows.GroupCount);
        }

        [Fact]
        public void TheJobsStateDoesNotGrowWithHostsThatComeAndGo()
        {
            // A fleet of 5 instances at any time, each living 8 days under its own name (instances replaced at every
            // deploy, staggered), 240 days: 150 names. Scored by the job after every 10 days of rows.
            const int Fleet = 5, LifeDays = 8, RunDays = 10, Days = 240;
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

            // The instances of the last month (30 days of silence, the instances that live now, and those that reported in
            // the last run, which count as reporting at its end), not every one seen: the state stops growing once the
            // first month is behind.
            int bound = Fleet * ((int)SeriesMemory.ForgetSilentGroupsAfter.TotalDays + RunDays + LifeDays) / LifeDays + Fleet;
            Assert.True(groups.All(g => g <= bound), $"groups kept after each run: {string.Join(", ", groups)} (bound {bound})");
            Assert.True(sizes.Skip(12).Max() < sizes.Skip(4).Take(8).Max() * 1.05, $"state sizes after each run: {string.Join(", ", sizes)}");
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

        // The limit made small (200 rows): a's last row is row 199; after b's `alone` rows in the next run it is 1 + alone
        // rows back: kept at 180, forgotten at 220.
        [Theory]
        [InlineData(180, false)]
        [InlineData(220, true)]
        public void WithoutATimePropertyAGroupWithNoRowAmongTheLastRowsIsForgotten(int alone, bool forgotten)
        {
            using var untimed = Untimed();
            var memory = SeriesMemory.For(untimed, new ScoringOptions());
            memory.SilentRowLimit = 200;
            var random = new Random(8);
            var rows = UntimedRows(alone, random);
            Assert.Empty(Run(memory, rows.Take(200), untimed));
            Assert.Equal(forgotten ? new[] { "a" } : Array.Empty<string>(), Run(memory, rows.Skip(200), untimed));
            Assert.Equal(forgotten ? 1 : 2, memory.Windows.GroupCount);
            Assert.Equal(forgotten ? 1 : 2, memory.Verdicts.Likelihood!.GroupCount);

            // Saved and loaded, the row numbers go on: a (if kept) is forgotten 200 rows after its last one all the same.
            var loaded = SeriesMemory.Load(memory.Save(untimed), untimed, new ScoringOptions(), out var whyNot)!;
            Assert.True(loaded != null, whyNot);
            loaded.SilentRowLimit = 200;
            Run(loaded, Enumerable.Range(0, 40).Select(i => UntimedRow("b", 1000 + i, random)), untimed);
            Assert.Equal(1, loaded.Windows.GroupCount);
        }

        [Fact]
        public void WithoutATimePropertyARunWithNothingNewForgetsNothing()
        {
            using var untimed = Untimed();
            var memory = SeriesMemory.For(untimed, new ScoringOptions());
            memory.SilentRowLimit = 200;
            var random = new Random(10);
            var rows = UntimedRows(150, random);
            Assert.Empty(Run(memory, rows.Take(200), untimed));
            Assert.Empty(Run(memory, rows.Skip(200), untimed));
            Assert.Empty(Run(memory, Array.Empty<TestRecord>(), untimed));
            Assert.Equal(2, memory.Windows.GroupCount);
        }

        [Fact]
        public void AMemoryOfVersion4CountsEveryGroupAsSeenWhenItIsLoaded()
        {
            using var untimed = Untimed();
            var memory = SeriesMemory.For(untimed, new ScoringOptions());
            memory.SilentRowLimit = 200;
            var random = new Random(9);
            Run(memory, UntimedRows(180, random), untimed);
            Assert.Equal(2, memory.Windows.GroupCount);
            byte[] current = memory.Save(untimed);
            byte[] version4 = SeriesMemoryVersions.AsVersion4(current);

            // 150 more rows of b: a's last row is then 330 rows back (forgotten), but counted from the load of the older
            // memory, which kept no row numbers, only 150 (kept); 100 more and it is forgotten there too.
            var goOn = SeriesMemory.Load(current, untimed, new ScoringOptions(), out _)!;
            var fromOld = SeriesMemory.Load(version4, untimed, new ScoringOptions(), out var whyNot)!;
            Assert.True(fromOld != null, whyNot);
            goOn.SilentRowLimit = fromOld.SilentRowLimit = 200;
            var more = Enumerable.Range(0, 150).Select(i => UntimedRow("b", 1000 + i, random)).ToList();
            Run(goOn, more, untimed);
            Run(fromOld, more, untimed);
            Assert.Equal(1, goOn.Windows.GroupCount);
            Assert.Equal(2, fromOld.Windows.GroupCount);
            Run(fromOld, Enumerable.Range(0, 100).Select(i => UntimedRow("b", 2000 + i, random)), untimed);
            Assert.Equal(1, fromOld.Windows.GroupCount);
        }
    }
}
