using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Irregular series (rows 5 to 45 minutes apart, as traffic sensors and event-driven exports write them): a gap up to
    /// the steps the series takes regularly keeps its window whole, so their rows are scored; a regular series still
    /// breaks its window at 2.5 usual intervals, and an outage breaks any.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class LongStepsTests : IDisposable
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);
        private static readonly int[] IrregularSteps = { 5, 5, 5, 5, 5, 10, 10, 15, 20, 30, 45 };
        private readonly TempDirectory temp = new TempDirectory();

        public LongStepsTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        // Minutes since T0 of `count` rows whose steps are drawn from `steps`.
        private static List<int> Minutes(int count, int[] steps, int seed, int start = 0)
        {
            var random = new Random(seed);
            var minutes = new List<int>();
            int t = start;
            for (int i = 0; i < count; i++) minutes.Add(t += steps[random.Next(steps.Length)]);
            return minutes;
        }

        private static List<WindowKey> Keys(IEnumerable<int> minutes, string group = "") =>
            minutes.Select(m => new WindowKey(group, T0.AddMinutes(m))).ToList();

        private static List<long> Ticks(params (int Minutes, int Count)[] steps) =>
            steps.SelectMany(s => Enumerable.Repeat(TimeSpan.FromMinutes(s.Minutes).Ticks, s.Count)).ToList();

        [Fact]
        public void ARegularSeriesHasNoLongStepAndAnIrregularOneTheStepsItTakesRegularly()
        {
            var five = TimeSpan.FromMinutes(5);
            // A scrape every 5 minutes with one row in a hundred missing (a 10-minute step) and one 3-hour outage.
            Assert.Null(LongSteps.Of(Ticks((5, 990), (10, 10), (180, 1)), five));
            // Rows 5 to 45 minutes apart: the longest step 1 in 200 steps passes is its long step.
            Assert.Equal(TimeSpan.FromMinutes(45), LongSteps.Of(Ticks((5, 500), (10, 200), (15, 100), (20, 100), (30, 50), (45, 50)), five));
            // Too few steps to tell (fewer than ten above the 90th percentile).
            Assert.Null(LongSteps.Of(Ticks((5, 60), (45, 30)), five));
            // A short baseline (150 steps, as NAB's probation of a traffic sensor): learned, and its one outage, the
            // longest step, left out (the 99.5th percentile of 150 steps is the second longest).
            Assert.Equal(TimeSpan.FromMinutes(20), LongSteps.Of(Ticks((5, 100), (10, 40), (20, 9), (180, 1)), five));
        }

        [Fact]
        public void AShortIrregularBaselineLearnsItsLongStepToo()
        {
            // 300 rows 5 to 45 minutes apart (a day and a half; NAB's probation of a traffic sensor is 170-375 rows):
            // with 400 steps the least, training found no window of 24 rows at all.
            var plan = SlidingWindow.Plan(24, Keys(Minutes(300, IrregularSteps, 7)), maxGap: null);
            Assert.Equal(TimeSpan.FromMinutes(45), plan.LongSteps.Groups[""]);
            Assert.Equal(0, plan.Gaps);
            Assert.Equal(300 - 23, plan.Windows.Count);
        }

        [Fact]
        public void OutagesAreNeverTheRhythmOfARegularSeriesAndCapAnIrregularOnesLongStep()
        {
            var five = TimeSpan.FromMinutes(5);
            // A flaky host: every 5 minutes, with a 3-hour outage in 1 step of 100 (above the 99.5th percentile's share).
            Assert.Null(LongSteps.Of(Ticks((5, 990), (180, 10)), five));
            // Rows 5 to 45 minutes apart (90th percentile 20 minutes) with 3-hour outages at 1 %: the long step is 2.5 times
            // the 90th percentile (50 minutes), so the outages still break the windows.
            Assert.Equal(TimeSpan.FromMinutes(50), LongSteps.Of(Ticks((5, 500), (10, 200), (15, 100), (20, 100), (30, 40), (45, 50), (180, 10)), five));
        }

        [Fact]
        public void AFleetOfRegularHostsAtDifferentIntervalsIsRegular()
        {
            // Hosts at 1 and 15 minutes, each regular: pooled, their steps look irregular; each in its own interval, they are not.
            var keys = Keys(Enumerable.Range(1, 1000), "fast").Concat(Keys(Enumerable.Range(1, 200).Select(i => 15 * i), "slow")).ToList();
            var plan = SlidingWindow.Plan(12, keys, maxGap: null);
            Assert.True(plan.LongSteps.IsEmpty);
            Assert.Equal(TimeSpan.FromMinutes(2.5), SlidingWindow.MaxGap(null, plan.GroupIntervals, plan.UsualInterval, "new", longSteps: plan.LongSteps));
        }

        [Fact]
        public void AnIrregularSeriesGivesAWindowForNearlyEveryRowAndARegularOneStillBreaksAtAGap()
        {
            const int n = 24;
            var irregular = SlidingWindow.Plan(n, Keys(Minutes(2000, IrregularSteps, 1)), maxGap: null);
            Assert.Equal(TimeSpan.FromMinutes(45), irregular.LongSteps.Groups[""]);
            Assert.Equal(2000 - (n - 1), irregular.Windows.Count);
            Assert.Equal(0, irregular.Gaps);

            // Every 5 minutes, then a 3-hour outage: the outage still breaks the window (n - 1 rows warm up after it).
            var minutes = Enumerable.Range(1, 1000).Select(i => 5 * i).Concat(Enumerable.Range(1, 1000).Select(i => 5 * 1000 + 180 + 5 * i)).ToList();
            var regular = SlidingWindow.Plan(n, Keys(minutes), maxGap: null);
            Assert.True(regular.LongSteps.IsEmpty);
            Assert.Equal(1, regular.Gaps);
            Assert.Equal(2000 - 2 * (n - 1), regular.Windows.Count);

            // The same irregular rhythm with an outage of 3 hours: broken there only.
            var first = Minutes(1000, IrregularSteps, 2);
            var withOutage = first.Concat(Minutes(1000, IrregularSteps, 3, start: first[^1] + 180)).ToList();
            var broken = SlidingWindow.Plan(n, Keys(withOutage), maxGap: null);
            Assert.Equal(1, broken.Gaps);
            Assert.Equal(2000 - 2 * (n - 1), broken.Windows.Count);
            // -MaxGap still decides when given.
            Assert.Equal(2000 - (n - 1), SlidingWindow.Plan(n, Keys(withOutage), maxGap: TimeSpan.FromHours(4)).Windows.Count);
            Assert.True(SlidingWindow.Plan(n, Keys(withOutage), maxGap: TimeSpan.FromMinutes(12)).Gaps > 300);
        }

        [Fact]
        public void EachGroupHasItsOwnLongStepAndAGroupTrainingDidNotSeeTakesThatOfAll()
        {
            var keys = Keys(Minutes(1000, IrregularSteps, 4), "sensor").Concat(Keys(Enumerable.Range(1, 1000).Select(i => 5 * i), "scrape")).ToList();
            var plan = SlidingWindow.Plan(12, keys, maxGap: null);
            Assert.Equal(new[] { "sensor" }, plan.LongSteps.Groups.Keys);
            var usual = plan.UsualInterval;
            Assert.Equal(TimeSpan.FromMinutes(45), SlidingWindow.MaxGap(null, plan.GroupIntervals, usual, "sensor", longSteps: plan.LongSteps));
            Assert.Equal(TimeSpan.FromMinutes(12.5), SlidingWindow.MaxGap(null, plan.GroupIntervals, usual, "scrape", longSteps: plan.LongSteps));
            // All steps together are irregular too (half of them the sensor's): a new group is given that long step.
            Assert.NotNull(plan.LongSteps.All);
            Assert.Equal(plan.LongSteps.All, SlidingWindow.MaxGap(null, plan.GroupIntervals, usual, "new", longSteps: plan.LongSteps));
            // On a time grid the grid's own limit (it fills a gap with values of its own).
            Assert.Equal(TimeSpan.FromMinutes(15), SlidingWindow.MaxGap(null, plan.GroupIntervals, usual, "scrape", grid: true, longSteps: plan.LongSteps));
        }

        [Fact]
        public void TheGapsWarningCountsTheRowsGapsLeftOutNotTheShortGroupsStarts()
        {
            // Ten groups of 3 rows (shorter than a window of 6) and one of 40 rows broken every 8th row by a 30-minute gap:
            // 20 of the 70 rows warm up after a gap. Estimated from whole windows of starts (11 x 5 = 55, as many as all
            // the warming rows), the warning said nothing.
            var keys = Enumerable.Range(0, 10).SelectMany(g => Keys(new[] { 5, 10, 15 }, $"short{g}"))
                .Concat(Keys(Enumerable.Range(0, 40).Select(i => 5 * i + 30 * (i / 8)), "gappy")).ToList();
            var plan = SlidingWindow.Plan(6, keys, maxGap: null);
            Assert.Equal(4, plan.Gaps);
            Assert.Equal(20, plan.WarmingAfterGaps);
            var settings = new ModelSettings(new[] { 4 }, windowSize: 6, timeProperty: "Time", groupBy: "Host");
            Assert.StartsWith("4 gap(s) in the series broke their windows, so 20 of the 70 training rows", plan.GapsWarning(settings));
        }

        [Fact]
        public void AShortIncrementalRunKeepsTheLongStepTrainingLearned()
        {
            var trained = SlidingWindow.Plan(24, Keys(Minutes(2000, IrregularSteps, 5)), maxGap: null);
            var later = Keys(Minutes(100, IrregularSteps, 6, start: 20 * 24 * 60));
            var run = SlidingWindow.Plan(24, later, null, trained.GroupIntervals, trained.UsualInterval, trained.LongSteps);
            Assert.Equal(trained.LongSteps.Groups[""], run.LongSteps.Groups[""]);
            Assert.Equal(trained.LongSteps.All, run.LongSteps.All);
            Assert.Equal(100 - 23, run.Windows.Count);
            // Without what training learned, those 100 rows alone break at 2.5 usual intervals.
            Assert.True(SlidingWindow.Plan(24, later, null, trained.GroupIntervals, trained.UsualInterval).Gaps > 0);
        }

        private static List<TestRecord> Rows(IEnumerable<int> minutes, int seed)
        {
            var random = new Random(seed);
            return minutes.Select(m =>
            {
                var time = T0.AddMinutes(m);
                double value = 50 + 15 * Math.Sin(2 * Math.PI * time.TimeOfDay.TotalHours / 24) + random.NextDouble() * 4;
                return new TestRecord(("Time", time.ToString("s", Invariant)), ("cpu", value));
            }).ToList();
        }

        [Fact]
        public void AModelOfAnIrregularSeriesKeepsItsLongStepInTheFileAsVersion11AndScoresItsRows()
        {
            var settings = new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 3, windowSize: 12, timeProperty: "Time");
            using var model = WindowedTraining.Train(settings, Rows(Minutes(1200, IrregularSteps, 7), 1), new[] { "cpu" },
                new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 1e-2 });
            Assert.Equal(TimeSpan.FromMinutes(45), model.MaxGapFor(""));
            string path = temp.File("irregular.aemodel");
            ModelFile.Save(model, path);
            Assert.Equal(11, ModelFileLayout.Parse(File.ReadAllBytes(path)).Version);
            using var loaded = ModelFile.Load(path);
            Assert.Equal(model.LongSteps.Groups, loaded.LongSteps.Groups);
            Assert.Equal(model.LongSteps.All, loaded.LongSteps.All);

            // 300 later rows in one call: all but the first window's warm-up are scored, by both alike.
            var later = Rows(Minutes(300, IrregularSteps, 8, start: 30 * 24 * 60), 2);
            var scored = Score(loaded, later);
            Assert.Equal(300 - 11, scored.Count(s => s != null));
            Assert.Equal(Score(model, later), scored);
        }

        [Fact]
        public void AnIrregularSeriesCoolsDownForTheDefaultsTimeNotItsRows()
        {
            // The regular rows' default as a time: 4 hours of 5-minute rows; 24 rows (a window) of 15-minute ones.
            Assert.Equal(TimeSpan.FromHours(4), AlertCooldown.For(TimeSpan.FromMinutes(5), 24, irregular: true).Span);
            Assert.Equal(TimeSpan.FromHours(6), AlertCooldown.For(TimeSpan.FromMinutes(15), 24, irregular: true).Span);
            Assert.Equal(AlertCooldown.DefaultRows, AlertCooldown.For(null, 24, irregular: true).Rows);

            // A model of rows 5-45 minutes apart (usual interval 10 minutes): 24 of its rows, 4 hours, as a time.
            using var model = IrregularModel();
            var alerts = SeriesMemory.For(model, new ScoringOptions()).Verdicts.Alerts;
            Assert.Equal(TimeSpan.FromHours(4), alerts.Cooldown.Span);
            // Rows 15 minutes apart: anomalies 2.5 hours apart are one incident, 5 hours apart two, though only 20 rows
            // lie between them (as rows, 24 of them, the second incident was hidden).
            var pages = new List<int>();
            var anomalous = new HashSet<int> { 0, 10, 30 };
            for (int i = 0; i <= 40; i++)
                if (alerts.Next("", T0.AddMinutes(15 * i), anomalous.Contains(i))) pages.Add(i);
            Assert.Equal(new[] { 0, 30 }, pages);
        }

        private AutoencoderModel IrregularModel() => WindowedTraining.Train(
            new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 3, windowSize: 12, timeProperty: "Time"),
            Rows(Minutes(600, IrregularSteps, 9), 1), new[] { "cpu" }, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-2 });

        private string Forged(AutoencoderModel model, string name, Action<System.Text.Json.Nodes.JsonObject> edit, ushort version) =>
            ModelFileLayout.Forge(model, temp.File(name), edit, version);

        [Fact]
        public void AFileWhoseLongStepsAreNotPositiveIsRefusedAndAFileBeforeThemBreaksAtTheUsualGap()
        {
            using var model = IrregularModel();
            Assert.False(model.LongSteps.IsEmpty);
            var e = Assert.ThrowsAny<Exception>(() => ModelFile.Load(Forged(model, "forged.aemodel", m => m["LongSteps"]![""] = "-00:45:00", 11)));
            Assert.Contains("long steps are not positive", e.Message);
            // A version-10 file (written before long steps) has none, and breaks its windows at 2.5 usual intervals, as it did.
            using var old = ModelFile.Load(Forged(model, "v10.aemodel", m => { m.Remove("LongSteps"); m.Remove("LongStepsAll"); }, 10));
            Assert.True(old.LongSteps.IsEmpty);
            Assert.Equal(model.GroupIntervals[""] * ModelSettings.GapFactor, old.MaxGapFor(""));
        }

        [Fact]
        public void RecalibrationCutsItsWindowsWithTheModelsLimitsAsScoringDoes()
        {
            // Set-AutoencoderThreshold's windows (ScoresOfNormalRows) of 500 new rows every 5 minutes, with one 40-minute
            // gap: relearned from those rows (regular, 12.5 minutes), the gap broke them; scoring keeps them whole (45).
            using var model = IrregularModel();
            Assert.Equal(TimeSpan.FromMinutes(45), model.MaxGapFor(""));
            var minutes = Enumerable.Range(0, 500).Select(i => 40 * 24 * 60 + 5 * i + (i >= 250 ? 35 : 0)).ToList();
            var records = Rows(minutes, 3);
            var builder = new TrainingSetBuilder(model.Schema!, Invariant, MissingValuePolicy.Impute);
            Assert.All(records, r => Assert.True(builder.Add(r)));
            var keys = records.Select(r => SlidingWindow.ReadKey(r, model.Settings, model.Schema!, Invariant)).ToList();
            Assert.Equal(500 - 11, model.ScoresOfNormalRows(builder.Build().Rows, keys).Length);
            Assert.Equal(500 - 11, Score(model, records).Count(s => s != null));
        }

        private static List<double?> Score(AutoencoderModel model, IReadOnlyList<TestRecord> records)
        {
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 32 }, sink);
            foreach (var (record, i) in records.Select((r, i) => (r, i))) Assert.Null(pipeline.Add(record, i, Invariant, MissingValuePolicy.Impute));
            pipeline.Flush();
            return sink.Rows.OrderBy(r => r.Row).Select(r => r.Score?.Score).ToList();
        }
    }
}
