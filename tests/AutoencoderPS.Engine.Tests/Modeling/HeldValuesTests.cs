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
    /// <summary>The stuck-value rule of sliding-window models (Modeling.HeldValues).</summary>
    [Collection(TorchCollection.Name)]
    public sealed class HeldValuesTests : IDisposable
    {
        private const int Window = 8;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);
        private readonly TempDirectory temp = new TempDirectory();

        // Used only for its torch set-up (libtorch loaded, one thread).
        public HeldValuesTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        // cpu: a noisy 24-row cycle (never the same value twice in a row); mem: whole numbers that repeat for up to
        // `memRun` rows (a coarse gauge).
        private static (List<double[]> Rows, List<WindowKey> Keys) Series(int first, int count, int seed, int memRun = 1)
        {
            var random = new Random(seed);
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            for (int i = first; i < first + count; i++)
            {
                double cpu = 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + 2 * random.NextDouble();
                double mem = memRun > 1 ? 30 + (i / memRun) % 7 : 30 + 5 * Math.Cos(2 * Math.PI * i / 24) + random.NextDouble();
                rows.Add(new[] { cpu, mem });
                keys.Add(new WindowKey("", T0.AddMinutes(i)));
            }
            return (rows, keys);
        }

        private static FeatureSchema Schema() => new FeatureSchema(new[] { "cpu", "mem" });

        // With training medians, for scoring records whose missing values are imputed.
        private static FeatureSchema SchemaWithMedians() => new FeatureSchema(new[] { new FeatureColumn("cpu", median: 50), new FeatureColumn("mem", median: 33) });

        private static AutoencoderModel Trained(int memRun = 1, bool median = false)
        {
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time");
            var model = new AutoencoderModel(settings);
            var (rows, keys) = Series(0, 600, 1, memRun);
            model.Train(median ? SchemaWithMedians() : Schema(), rows, new TrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 1e-2 }, windows: SlidingWindow.Plan(Window, keys, null));
            return model;
        }

        // Windows of a later stretch of the series, with cpu held at one value from row `from` on.
        private static List<double[]> LaterWindows(AutoencoderModel model, int from, int memRun = 1)
        {
            var (rows, keys) = Series(1000, 120, 2, memRun);
            for (int i = from; i < rows.Count; i++) rows[i][0] = 42.5;
            var assembler = model.NewAssembler();
            return rows.Select((r, i) => assembler.Push(keys[i], r).Window).Where(w => w != null).Select(w => w!).ToList();
        }

        [Fact]
        public void TrainingKeepsTheLongestRunOfOneValuePerNumericFeatureCappedAtTheWindow()
        {
            var schema = Schema();
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            // cpu repeats a value for 3 rows once; mem holds one value for 20 rows once.
            for (int i = 0; i < 100; i++)
            {
                double cpu = i is >= 40 and < 43 ? 7.0 : i * 1.5;
                double mem = i is >= 60 and < 80 ? 1.0 : i;
                rows.Add(new[] { cpu, mem });
                keys.Add(new WindowKey("", T0.AddMinutes(i)));
            }
            var plan = SlidingWindow.Plan(Window, keys, null);
            var held = HeldValues.Learn(schema, rows, plan.Windows, Window);

            Assert.Equal(new[] { 3, Window }, held.LongestRuns);
            // Watched while the window is more than twice the longest training run: cpu (3 of 8) is, mem is not.
            Assert.True(held.Watches(0));
            Assert.False(held.Watches(1));
            // Windows in any order (each counted afresh, not followed on) give the same runs.
            var shuffled = plan.Windows.OrderBy(w => (w[0] * 7919) % 101).ToList();
            Assert.Equal(held.LongestRuns, HeldValues.Learn(schema, rows, shuffled, Window).LongestRuns);
            // A run of 4 in a window of 8 is not watched (twice 4 is not less than 8).
            Assert.False(new HeldValues(schema, new[] { 4, 1 }, Window).Watches(0));
            Assert.True(new HeldValues(schema, new[] { 3, 1 }, Window).Watches(0));
            Assert.Equal("watched cpu (3); not watched mem (8 or more)", held.ToString());
            // Widening takes the longer run of each column; a rule of another window is a mistake, not ignored.
            Assert.Equal(new[] { 3, 8 }, held.Widen(new HeldValues(schema, new[] { 2, 1 }, Window), schema).LongestRuns);
            Assert.Throws<ArgumentException>(() => held.Widen(new HeldValues(schema, new[] { 2, 1 }, Window * 2), schema));
        }

        [Fact]
        public void AWindowInWhichAFeatureHoldsOneValueIsAnAnomalyAndTheExplanationSaysSo()
        {
            using var model = Trained();
            Assert.Equal(new[] { 1, 1 }, model.HeldValues!.LongestRuns);
            var windows = LaterWindows(model, from: 60);
            var scores = model.ScoreWindows(windows);

            // Window k ends at row k + 7: it holds cpu's one value throughout from the window ending at row 67 on.
            for (int k = 0; k < scores.Length; k++)
            {
                bool whollyHeld = k + Window - 1 >= 60 + Window - 1;
                Assert.Equal(whollyHeld ? "cpu" : null, scores[k].HeldFeature);
                if (whollyHeld) Assert.True(scores[k].IsAnomaly);
            }
            var stuck = scores[^1];
            Assert.Equal(42.5, stuck.HeldValue);
            // The feature that drove the verdict is the stuck one, at the window's last row.
            Assert.Equal("cpu (t)", model.WindowSchema!.Columns[stuck.TopFeature].Name);
            Assert.StartsWith("cpu stuck at 42.5 for 8 rows (in training at most 1); ", stuck.Explain(2, CultureInfo.InvariantCulture));
            Assert.Equal("cpu stuck at 42.5 for 8 rows (in training at most 1)", stuck.Explain(0, CultureInfo.InvariantCulture));
        }

        [Fact]
        public void AFeatureThatHeldValuesInTrainingIsNotWatchedForIt()
        {
            // mem holds each whole number for 5 rows in training: a window of 8 is not more than twice that.
            using var model = Trained(memRun: 5);
            Assert.Equal(5, model.HeldValues!.LongestRuns[1]);
            Assert.False(model.HeldValues.Watches(1));
            var (rows, keys) = Series(1000, 60, 2, memRun: 5);
            for (int i = 20; i < rows.Count; i++) rows[i][1] = 33;
            var assembler = model.NewAssembler();
            var windows = rows.Select((r, i) => assembler.Push(keys[i], r).Window).Where(w => w != null).Select(w => w!).ToList();
            Assert.All(model.ScoreWindows(windows), s => Assert.Null(s.HeldFeature));
        }

        [Fact]
        public void AHeldWindowIsAnAnomalyUnderTheLikelihoodAndRaisesOneAlertForTheStretch()
        {
            using var model = Trained();
            var windows = LaterWindows(model, from: 60);
            var scores = model.ScoreWindows(windows);
            var verdicts = new RowVerdicts(calibrate: true, likelihood: new AnomalyLikelihood(prior: model.TrainingErrors));
            for (int k = 0; k < scores.Length; k++) verdicts.Apply(scores[k], new WindowKey("", T0.AddMinutes(1007 + k)));

            var held = scores.Where(s => s.HeldFeature != null).ToList();
            Assert.NotEmpty(held);
            // Every held window is an anomaly, whatever its likelihood (the calibration alone may call some normal) ...
            Assert.All(held, s => Assert.True(s.IsAnomaly));
            // ... and the stretch (windows from the first one holding a stuck row, ending at row 60, on) raises one alert:
            // the cool-down keeps the rest of it quiet.
            Assert.Equal(1, scores.Skip(60 - (Window - 1)).Count(s => s.IsAlert));
        }

        [Fact]
        public void TheModelFileKeepsTheRuleAndTheLoadedModelFlagsTheSameWindows()
        {
            using var model = Trained(memRun: 5);
            string path = temp.File("held.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);

            Assert.Equal(model.HeldValues!.LongestRuns, loaded.HeldValues!.LongestRuns);
            var windows = LaterWindows(model, from: 60, memRun: 5);
            Assert.Equal(model.ScoreWindows(windows).Select(s => s.HeldFeature), loaded.ScoreWindows(windows).Select(s => s.HeldFeature));
            Assert.Contains(loaded.ScoreWindows(windows), s => s.HeldFeature == "cpu");
        }

        // `model` saved, its metadata changed by `edit`, written back with version `version`.
        private string Forged(AutoencoderModel model, string name, Action<System.Text.Json.Nodes.JsonObject> edit, ushort version = ModelFile.FormatVersion) =>
            ModelFileLayout.Forge(model, temp.File(name), edit, version);

        private static void RemoveRuns(System.Text.Json.Nodes.JsonObject metadata)
        {
            foreach (var feature in ModelFileLayout.FeaturesOf(metadata)) feature!.AsObject().Remove("HeldRun");
        }

        [Fact]
        public void AFileFromBeforeTheRuleLoadsWithoutItAndScoresByTheErrorAlone()
        {
            using var model = Trained();
            using var old = ModelFile.Load(Forged(model, "v5.aemodel", RemoveRuns, version: 5));
            Assert.Null(old.HeldValues);
            var windows = LaterWindows(model, from: 60);
            var now = model.ScoreWindows(windows);
            var before = old.ScoreWindows(windows);
            Assert.Contains(now, s => s.HeldFeature == "cpu");
            Assert.All(before, s => Assert.Null(s.HeldFeature));
            // The same errors and, without the rule, the error's verdicts.
            Assert.Equal(now.Select(s => s.Score), before.Select(s => s.Score));
            Assert.Equal(now.Select(s => s.Score > model.Threshold), before.Select(s => s.IsAnomaly));
        }

        [Theory]
        [InlineData("state", 2)]          // a categorical feature
        [InlineData("cpu", 0)]
        [InlineData("cpu", Window + 1)]   // longer than a window
        [InlineData("cpu", null)]         // a numeric feature without its run (mem has one)
        public void AFileWhoseRunsAreNotOnePerNumericFeatureWithinTheWindowIsCorrupt(string feature, int? run)
        {
            var settings = new ModelSettings(new[] { 8, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time");
            using var model = new AutoencoderModel(settings);
            var schema = new FeatureSchema(new[] { new FeatureColumn("state", ColumnRole.Categorical, new[] { "a", "b" }), new FeatureColumn("cpu"), new FeatureColumn("mem") });
            var (series, keys) = Series(0, 100, 1);
            var rows = series.Select((r, i) => new[] { i % 2, 1 - i % 2, 0, r[0], r[1] }).ToList();
            model.Train(schema, rows, new TrainingOptions { Epochs = 1, BatchSize = 32 }, windows: SlidingWindow.Plan(Window, keys, null));
            string path = Forged(model, "bad.aemodel", metadata =>
            {
                var entry = ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == feature)!.AsObject();
                if (run == null) entry.Remove("HeldRun");
                else entry["HeldRun"] = run.Value;
            });

            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Equal(ErrorIds.ModelFileCorrupt, error.ErrorId);
            Assert.Contains($"feature '{feature}' has the held-value run {(run == null ? "(none)" : run.Value.ToString(CultureInfo.InvariantCulture))}", error.Message);
        }

        [Fact]
        public void IncrementalTrainingKeepsTheLongerRunOfBothRuns()
        {
            using var model = Trained();
            var (rows, keys) = Series(2000, 200, 4);
            for (int i = 50; i < 56; i++) rows[i][0] = 10;
            model.Train(model.Schema!, rows, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-2 }, continueTraining: true,
                windows: SlidingWindow.Plan(Window, keys, null));
            Assert.Equal(new[] { 6, 1 }, model.HeldValues!.LongestRuns);
            Assert.False(model.HeldValues.Watches(0));
            Assert.True(model.HeldValues.Watches(1));
        }

        // A series pushed through `model`'s assembler (each row's window, if it has one), scored.
        private static RowScore[] ScoreSeries(AutoencoderModel model, IReadOnlyList<double[]> rows, IReadOnlyList<WindowKey> keys)
        {
            var assembler = model.NewAssembler();
            var windows = rows.Select((r, i) => assembler.Push(keys[i], r).Window).Where(w => w != null).Select(w => w!).ToList();
            return model.ScoreWindows(windows);
        }

        [Fact]
        public void OnATimeGridAStuckSensorIsFlaggedAtEveryRowThoughItsCellsAreAveragesOfSeveralRows()
        {
            // Trained a row a minute (the grid's step); scored three rows a minute. Three rows of 61.7 average to
            // 61.70000000000001 and a cell's first two rows to 61.7: still one value, held throughout.
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", timeGrid: true);
            using var model = new AutoencoderModel(settings);
            var (rows, keys) = Series(0, 600, 1);
            var plan = SlidingWindow.PlanGrid(Window, keys, rows, null, out var cells);
            model.Train(Schema(), cells, new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 1e-2 }, windows: plan);
            Assert.Equal(new[] { 1, 1 }, model.HeldValues!.LongestRuns);

            var (minutes, _) = Series(1000, 60, 2);
            var scored = new List<double[]>();
            var times = new List<WindowKey>();
            for (int m = 0; m < minutes.Count; m++)
                for (int s = 0; s < 3; s++)
                {
                    scored.Add(new[] { m >= 20 ? 61.7 : minutes[m][0] + s, minutes[m][1] });
                    times.Add(new WindowKey("", T0.AddMinutes(1000 + m).AddSeconds(20 * s)));
                }
            var scores = ScoreSeries(model, scored, times);
            // Row r (of the scored rows) ends the window of minutes r/3 - 7 to r/3; all its cells hold 61.7 from minute 27 on.
            int warming = scored.Count - scores.Length;
            for (int k = 0; k < scores.Length; k++)
                Assert.Equal((k + warming) / 3 >= 20 + Window - 1 ? "cpu" : null, scores[k].HeldFeature);
        }

        [Fact]
        public void AStretchOfMissingValuesImputedWithTheMedianIsNotAStuckSensor()
        {
            using var model = Trained(median: true);
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 64 }, sink);
            var (rows, keys) = Series(1000, 120, 2);
            for (int i = 0; i < rows.Count; i++)
            {
                // cpu is missing for rows 40-79 (imputed with its training median), and stuck at 42.5 from row 90 on.
                object? cpu = i is >= 40 and < 80 ? null : i >= 90 ? 42.5 : rows[i][0];
                var record = new TestRecord(("Time", keys[i].Time), ("cpu", cpu), ("mem", rows[i][1]));
                Assert.Null(pipeline.Add(record, i, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            }
            pipeline.Flush();

            // The imputed rows say so; no window of the missing stretch says cpu is stuck (at the median it never sent) ...
            Assert.All(sink.Rows.Where(r => r.Row is >= 40 and < 80), r => Assert.Equal(new[] { "cpu" }, r.Imputed));
            Assert.DoesNotContain(sink.Rows, r => r.Row < 90 && r.Score?.HeldFeature != null);
            // ... while the windows wholly inside the real stuck stretch do.
            Assert.Equal(Enumerable.Range(90 + Window - 1, 120 - (90 + Window - 1)), sink.Rows.Where(r => r.Score?.HeldFeature == "cpu").Select(r => r.Row));
        }

        [Theory]
        [InlineData(false)] // windows one row apart: each extends the previous one's runs
        [InlineData(true)] // every other window: each is counted afresh
        public void ValuesFilledInForMissingOnesInTrainingHoldNothing(bool sparse)
        {
            // mem is missing for rows 100-119 of the training rows (filled with its median, 33): twenty rows of one value,
            // which without the mask would turn the rule off for mem (2 x 8 or more is not below the window of 8).
            var (rows, keys) = Series(0, 300, 7);
            var imputed = new ImputedCells();
            for (int i = 100; i < 120; i++)
            {
                rows[i][1] = 33;
                imputed.Add(i, 1);
            }
            var windows = SlidingWindow.Plan(Window, keys, null).Windows.Where((w, k) => !sparse || k % 2 == 0).ToList();

            var unmasked = HeldValues.Learn(Schema(), rows, windows, Window);
            Assert.Equal(new[] { 1, Window }, unmasked.LongestRuns);
            Assert.False(unmasked.Watches(1));

            var masked = HeldValues.Learn(Schema(), rows, windows, Window, imputed);
            Assert.Equal(new[] { 1, 1 }, masked.LongestRuns);
            Assert.True(masked.Watches(1));

            // A real run next to the outage still counts: mem holds 40 for the three rows before it.
            for (int i = 97; i < 100; i++) rows[i][1] = 40;
            Assert.Equal(new[] { 1, 3 }, HeldValues.Learn(Schema(), rows, windows, Window, imputed).LongestRuns);
        }

        [Fact]
        public void OnATimeGridCellsMadeOnlyOfValuesFilledInHoldNothing()
        {
            // Two rows a minute, of one time, on a one-minute grid (each cell the average of two rows). mem is missing (filled
            // with 33) in both rows of minutes 100-119, and in the first row only of minute 120 (that cell averages a real value in).
            var (minutes, _) = Series(0, 300, 7);
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            var imputed = new ImputedCells();
            for (int m = 0; m < minutes.Count; m++)
                for (int s = 0; s < 2; s++)
                {
                    bool missing = m is >= 100 and < 120 || m == 120 && s == 0;
                    if (missing) imputed.Add(rows.Count, 1);
                    rows.Add(new[] { minutes[m][0] + s, missing ? 33 : minutes[m][1] });
                    keys.Add(new WindowKey("", T0.AddMinutes(m)));
                }
            Assert.Null(SlidingWindow.PlanGrid(Window, keys, rows, null, out _).CellsImputed);
            var plan = SlidingWindow.PlanGrid(Window, keys, rows, null, out var cells, imputed: imputed);
            Assert.Equal(new[] { 1, Window }, HeldValues.Learn(Schema(), cells, plan.Windows, Window).LongestRuns);
            var rule = HeldValues.Learn(Schema(), cells, plan.Windows, Window, plan.CellsImputed);
            Assert.Equal(new[] { 1, 1 }, rule.LongestRuns);
            Assert.True(rule.Watches(1));
            // The newest cell (its rows so far) is marked at both rows of minutes 100-119 and at the first row of minute 120 only.
            var newest = plan.Windows.Select(w => w[^1]).ToList();
            Assert.Equal(2 * 20 + 1, newest.Count(c => plan.CellsImputed!.Contains(c, 1)));
            Assert.DoesNotContain(newest, c => plan.CellsImputed!.Contains(c, 0));
        }

        // Two hosts of `count` rows each: "busy" as Series, "idle" with cpu 0 throughout.
        private static (List<double[]> Rows, List<WindowKey> Keys) Hosts(int count, int seed)
        {
            var (busy, busyKeys) = Series(0, count, seed);
            var (idle, idleKeys) = Series(0, count, seed + 1);
            foreach (var row in idle) row[0] = 0;
            var rows = busy.Concat(idle).ToList();
            var keys = busyKeys.Select(k => new WindowKey("busy", k.Time)).Concat(idleKeys.Select(k => new WindowKey("idle", k.Time))).ToList();
            return (rows, keys);
        }

        [Fact]
        public void EachGroupWithADaysWindowsIsJudgedByItsOwnRunsAndOthersByAllGroups()
        {
            var (rows, keys) = Hosts(400, 11);
            var plan = SlidingWindow.Plan(Window, keys, null);
            var rule = HeldValues.Learn(Schema(), rows, plan.Windows, Window, groupOf: plan.WindowGroups);

            // Over all groups cpu held 0 for whole windows: not watched; the busy host's own runs watch it.
            Assert.Equal(new[] { Window, 1 }, rule.LongestRuns);
            Assert.False(rule.Watches(0));
            Assert.True(rule.Watches(0, "busy"));
            Assert.False(rule.Watches(0, "idle"));
            Assert.False(rule.Watches(0, "never-trained"));
            Assert.Equal(new[] { 1, 1 }, rule.RunsFor("busy"));
            Assert.Equal(new long[] { 400 - Window + 1, 400 - Window + 1 }, rule.Groups.OrderBy(g => g.Group).Select(g => g.Windows));

            var flat = new double[Window * 2];
            for (int t = 0; t < Window; t++) { flat[2 * t] = 61.5; flat[2 * t + 1] = 30 + t; }
            Assert.Equal(0, rule.Find(flat, null, "busy"));
            Assert.Equal(-1, rule.Find(flat, null, "idle"));
            Assert.Equal(-1, rule.Find(flat, null, "never-trained"));
            Assert.Equal(-1, rule.Find(flat));
            Assert.Contains("2 of 2 group(s) had 288 training windows or more", rule.Describe());
            Assert.Contains("busy: watched cpu (1), mem (1)", rule.Describe());

            // A group with fewer training windows than a day's is judged by all groups' runs.
            var (few, fewKeys) = Hosts(HeldValues.MinGroupWindows, 12);
            var fewPlan = SlidingWindow.Plan(Window, fewKeys, null);
            var young = HeldValues.Learn(Schema(), few, fewPlan.Windows, Window, groupOf: fewPlan.WindowGroups);
            Assert.False(young.Watches(0, "busy"));
            Assert.Equal(-1, young.Find(flat, null, "busy"));

            // An incremental run adds each group's windows, so the busy host passes a day and gets its own runs.
            var widened = HeldValues.Learn(Schema(), few, fewPlan.Windows, Window, groupOf: fewPlan.WindowGroups).Widen(young, Schema());
            Assert.Equal(2L * (HeldValues.MinGroupWindows - Window + 1), widened.Groups.Single(g => g.Group == "busy").Windows);
            Assert.True(widened.Watches(0, "busy"));
        }

        [Fact]
        public void AModelOfSeveralHostsKeepsEachHostsRunsInItsFileAndAScoredWindowUsesThem()
        {
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", groupBy: "Host");
            using var model = new AutoencoderModel(settings);
            var (rows, keys) = Hosts(400, 13);
            model.Train(Schema(), rows, new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 1e-2 }, windows: SlidingWindow.Plan(Window, keys, null));
            var path = temp.File("hosts.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);
            Assert.Equal(2, loaded.HeldValues!.Groups.Count);

            var flat = new double[Window * 2];
            for (int t = 0; t < Window; t++) { flat[2 * t] = 61.5; flat[2 * t + 1] = 30 + t; }
            foreach (var m in new[] { model, loaded })
            {
                var scores = m.ScoreWindows(new[] { flat, flat }, null, new[] { "busy", "idle" });
                Assert.Equal("cpu", scores[0].HeldFeature);
                Assert.Null(scores[1].HeldFeature);
            }
        }

        private static AutoencoderModel HostModel() => new AutoencoderModel(new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh,
            OutputActivationKind.Sigmoid, seed: 3, windowSize: Window, timeProperty: "Time", groupBy: "Host"));

        private static void TrainOn(AutoencoderModel model, List<double[]> rows, List<WindowKey> keys, bool further) =>
            model.Train(model.Schema ?? Schema(), rows, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-2 },
                continueTraining: further, windows: SlidingWindow.Plan(Window, keys, null));

        [Fact]
        public void AnIncrementalRunOfOneHostWidensThatHostsOwnRuns()
        {
            // Trained on two hosts, each judged by its own runs; then -Incremental with the busy host's rows alone, in which
            // its mem holds one value for 8 rows. The busy host saw that in training now: mem is no longer watched on it.
            using var model = HostModel();
            var (rows, keys) = Hosts(400, 15);
            TrainOn(model, rows, keys, further: false);
            Assert.True(model.HeldValues!.Watches(1, "busy"));

            var (more, moreKeys) = Series(1000, 200, 16);
            for (int i = 50; i < 58; i++) more[i][1] = 31;
            TrainOn(model, more, moreKeys.Select(k => new WindowKey("busy", k.Time)).ToList(), further: true);
            var rule = model.HeldValues!;
            Assert.Equal(Window, rule.RunsFor("busy")[1]);
            Assert.False(rule.Watches(1, "busy"));
            Assert.Equal(400 - Window + 1 + 200 - Window + 1, rule.Groups.Single(g => g.Group == "busy").Windows);
            // The idle host's own runs are as they were.
            Assert.Equal(400 - Window + 1, rule.Groups.Single(g => g.Group == "idle").Windows);
            Assert.True(rule.Watches(1, "idle"));
        }

        [Fact]
        public void AnIncrementalRunWithSeveralHostsKeepsWhatAnEarlierRunWithoutPerHostRunsSaw()
        {
            // Trained on one host (so the rule keeps no runs per host; or a file from before them), whose mem held one value
            // for 8 rows. An incremental run with two hosts must not judge that host by the new rows alone: mem stays unwatched.
            using var model = HostModel();
            var (rows, keys) = Series(0, 400, 17);
            for (int i = 100; i < 108; i++) rows[i][1] = 31;
            TrainOn(model, rows, keys.Select(k => new WindowKey("busy", k.Time)).ToList(), further: false);
            Assert.Empty(model.HeldValues!.Groups);
            Assert.False(model.HeldValues.Watches(1, "busy"));
            var path = temp.File("one-host.aemodel");
            ModelFile.Save(model, path);

            using var loaded = ModelFile.Load(path);
            foreach (var m in new[] { model, loaded })
            {
                var (more, moreKeys) = Hosts(400, 18);
                TrainOn(m, more, moreKeys, further: true);
                Assert.Equal(2, m.HeldValues!.Groups.Count);
                Assert.Equal(Window, m.HeldValues.RunsFor("busy")[1]);
                Assert.False(m.HeldValues.Watches(1, "busy"));
            }
        }

        [Theory]
        [InlineData("busy", 0, 0)]   // a numeric feature's run below 1
        [InlineData("busy", 1, 99)]  // beyond the window
        [InlineData("", 0, 1)]       // a group named twice (the other entry is renamed to it)
        public void AFileWhosePerGroupRunsAreWrongIsCorrupt(string group, int column, int run)
        {
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", groupBy: "Host");
            using var model = new AutoencoderModel(settings);
            var (rows, keys) = Hosts(300, 14);
            model.Train(Schema(), rows, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-2 }, windows: SlidingWindow.Plan(Window, keys, null));
            var path = Forged(model, "groups.aemodel", metadata =>
            {
                var groups = metadata["HeldGroups"]!.AsArray();
                if (group.Length == 0)
                {
                    groups[1]!["Group"] = groups[0]!["Group"]!.GetValue<string>();
                    return;
                }
                var entry = groups.First(g => g!["Group"]!.GetValue<string>() == group)!;
                entry["Runs"]!.AsArray()[column] = run;
            });
            var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Equal(ErrorIds.ModelFileCorrupt, e.ErrorId);
            Assert.Contains(group.Length == 0 ? "named once" : $"in group '{group}'", e.Message);
        }

        [Fact]
        public void TheTrainingSetSaysWhichValuesWereFilledIn()
        {
            var roles = new FeatureSchema(new[] { "cpu", "mem" });
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            builder.Add(new TestRecord(("cpu", "1"), ("mem", "")));
            builder.Add(new TestRecord(("cpu", "2"), ("mem", "5")));
            builder.Add(new TestRecord(("cpu", null), ("mem", "7")));
            var set = builder.Build();
            Assert.Equal(2, set.ImputedValues);
            Assert.True(set.Imputed.Contains(0, 1));
            Assert.True(set.Imputed.Contains(2, 0));
            Assert.False(set.Imputed.Contains(0, 0));
            Assert.False(set.Imputed.Contains(1, 1));
            Assert.Equal(6, set.Rows[0][1]); // the median of 5 and 7
        }

        [Fact]
        public void AnIncrementalRunOfAModelTrainedWithoutTheRuleAddsNone()
        {
            // A model file from before the rule (format 5) has none; an incremental run sees only its own rows, too few to
            // say how long a feature holds values, so the model keeps scoring by the error alone, as it did.
            using var model = Trained(memRun: 5);
            using var old = ModelFile.Load(Forged(model, "v5.aemodel", RemoveRuns, version: 5));
            Assert.Null(old.HeldValues);

            var (rows, keys) = Series(2000, 200, 4);
            old.Train(old.Schema!, rows, new TrainingOptions { Epochs = 1, BatchSize = 32, LearningRate = 1e-2 }, continueTraining: true,
                windows: SlidingWindow.Plan(Window, keys, null));
            Assert.Null(old.HeldValues);
            Assert.DoesNotContain(old.ScoreWindows(LaterWindows(old, from: 60, memRun: 5)), s => s.HeldFeature != null);
        }

        [Fact]
        public void ARowModelHasNoRule()
        {
            var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 1));
            using (model)
            {
                var (rows, _) = Series(0, 100, 1);
                model.Train(Schema(), rows, new TrainingOptions { Epochs = 1, BatchSize = 32 });
                Assert.Null(model.HeldValues);
                Assert.All(model.Score(rows), s => Assert.Null(s.HeldFeature));
            }
        }
    }
}
