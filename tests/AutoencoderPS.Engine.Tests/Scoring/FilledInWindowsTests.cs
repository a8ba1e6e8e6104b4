using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A value filled in for a missing one is not scored at any step of the sliding windows it is in (WindowStep.FilledCells
    /// in scoring, the training windows' imputed cells in training), not only in the window of its own row.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class FilledInWindowsTests
    {
        private const int Window = 4;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);

        public FilledInWindowsTests(TorchFixture fixture) => _ = fixture;

        // cpu and mem follow one 24-row cycle (tied), with a little noise; a record per row, time first.
        private static List<TestRecord> Records(int first, int count, int seed, Func<int, bool>? cpuMissing = null, Func<int, DateTime>? timeOf = null)
        {
            var random = new Random(seed);
            var records = new List<TestRecord>();
            for (int i = first; i < first + count; i++)
            {
                double phase = 2 * Math.PI * i / 24;
                double cpu = 50 + 20 * Math.Sin(phase) + random.NextDouble(), mem = 30 + 8 * Math.Sin(phase) + 0.5 * random.NextDouble();
                object? cpuValue = cpuMissing?.Invoke(i - first) == true ? null : cpu;
                records.Add(new TestRecord(("Time", timeOf?.Invoke(i) ?? T0.AddMinutes(i)), ("cpu", cpuValue), ("mem", mem)));
            }
            return records;
        }

        // Trained as Invoke-AutoencoderTraining does: the training set (medians, filled-in cells) and its window plan.
        private static AutoencoderModel Trained(IReadOnlyList<TestRecord> records, bool grid = false)
        {
            var settings = new ModelSettings(new[] { 12, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 4, windowSize: Window, timeProperty: "Time", timeGrid: grid);
            var builder = new TrainingSetBuilder(new FeatureSchema(new[] { "cpu", "mem" }), CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            foreach (var r in records) builder.Add(r);
            var set = builder.Build();
            var keys = records.Select(r => SlidingWindow.ReadKey(r, settings, CultureInfo.InvariantCulture)).ToList();
            var model = new AutoencoderModel(settings);
            var options = new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 1e-2 };
            if (grid)
            {
                // A time grid's windows are made of cells; a cell made only of filled-in values is one.
                var plan = SlidingWindow.PlanGrid(Window, keys, set.Rows, null, out var cells, imputed: set.Imputed);
                model.Train(set.Schema, cells, options, windows: plan, imputed: plan.CellsImputed);
            }
            else model.Train(set.Schema, set.Rows, options, windows: SlidingWindow.Plan(Window, keys, null), imputed: set.Imputed);
            return model;
        }

        // A grid of minutes where every fifth minute has three rows, 20 s apart (7 rows in 5 minutes); cpu is missing in
        // all three rows of some of those minutes, in one of three in others, and in single rows now and then.
        private static DateTime GridTime(int i) => T0.AddMinutes(i / 7 * 5 + Math.Max(0, i % 7 - 2)).AddSeconds(i % 7 < 3 ? 20 * (i % 7) : 0);

        private static bool GridMissing(int i) => i / 7 % 3 == 1 ? i % 7 < 3 : i / 7 % 3 == 2 && i % 7 == 1 || i % 7 == 5 && i / 7 % 4 == 0;

        private static object? Value(TestRecord record, string column) => record.TryGetValue(column, out var value) ? value : null;

        private sealed class Recording : IScoredRowSink<int>
        {
            public List<(int Row, RowScore? Score)> Rows { get; } = new List<(int, RowScore?)>();
            public void Write(int row, RowScore? score, IReadOnlyList<string>? imputed) => Rows.Add((row, score));
        }

        private static List<(int Row, RowScore? Score)> Score(AutoencoderModel model, IReadOnlyList<TestRecord> records, int from, int to,
            SeriesMemory? memory = null)
        {
            var sink = new Recording();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 16 }, sink, memory);
            for (int i = from; i < to; i++) Assert.Null(pipeline.Add(records[i], i, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            pipeline.Flush();
            return sink.Rows;
        }

        [Fact]
        public void AValueFilledInIsLeftOutAtEveryStepOfTheWindowsItIsIn()
        {
            using var model = Trained(Records(0, 400, 1));
            // cpu is missing in row 20: the windows ending at rows 20-23 hold it at steps 3, 2, 1 and 0.
            var records = Records(1000, 40, 2, i => i == 20);
            var rows = Score(model, records, 0, records.Count);
            int d = Window * 2;
            for (int r = 20; r < 20 + Window; r++)
            {
                var score = rows[r].Score!;
                int step = Window - 1 - (r - 20);
                Assert.Equal(0f, score.FeatureErrors[step * 2]);
                // The score is the mean over the measured inputs.
                Assert.Equal(score.FeatureErrors.Sum(e => (double)e) / (d - 1), score.Score, 12);
            }
            // The window after them holds only measured values: every input counts.
            var after = rows[20 + Window].Score!;
            Assert.Equal(after.FeatureErrors.Sum(e => (double)e) / d, after.Score, 12);
            Assert.All(Enumerable.Range(0, Window), t => Assert.NotEqual(0f, after.FeatureErrors[t * 2]));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TrainingScoresItsWindowsAsScoringDoesWithValuesFilledInAtEveryStep(bool grid)
        {
            // cpu is missing in every 13th training row: each such row is in four windows, at every step. Scoring the
            // training records (each missing value filled in by the same median) gives the training errors bit for bit.
            // On the grid (steps of a minute) every fifth minute has three rows, 20 s apart: cpu is missing in all three
            // of some of those cells (a cell of filled-in values) and in one of three of others (a measured average).
            var records = grid ? Records(0, 420, 3, GridMissing, GridTime) : Records(0, 300, 3, i => i % 13 == 5);
            using var model = Trained(records, grid);
            var scores = Score(model, records, 0, records.Count).Where(r => r.Score != null).Select(r => r.Score!.Score).OrderBy(e => e).ToArray();
            Assert.Equal(model.TrainingErrors.Count, scores.Length);
            Assert.Equal(model.TrainingErrors.Select(BitConverter.DoubleToInt64Bits), scores.Select(BitConverter.DoubleToInt64Bits));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void NewNormalRowsForAThresholdAreScoredAsTrainingScoredItsOwn(bool grid)
        {
            // Set-AutoencoderThreshold's recalibration (ScoresOfNormalRows) on the training rows themselves, with what was
            // filled in: the training errors, bit for bit; without it, the filled-in values count and the scores differ.
            var records = grid ? Records(0, 420, 3, GridMissing, GridTime) : Records(0, 300, 3, i => i % 13 == 5);
            using var model = Trained(records, grid);
            var builder = new TrainingSetBuilder(model.Schema!, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            foreach (var r in records) builder.Add(r);
            var set = builder.Build();
            var rows = records.Select(r =>
            {
                var features = new double[model.Schema!.Width];
                model.Schema.Featurize(r, CultureInfo.InvariantCulture, features);
                return features;
            }).ToList();
            var keys = records.Select(r => SlidingWindow.ReadKey(r, model.Settings, CultureInfo.InvariantCulture)).ToList();

            var scores = model.ScoresOfNormalRows(rows, keys, set.Imputed).OrderBy(e => e).ToArray();
            Assert.Equal(model.TrainingErrors.Select(BitConverter.DoubleToInt64Bits), scores.Select(BitConverter.DoubleToInt64Bits));
            Assert.NotEqual(model.TrainingErrors, model.ScoresOfNormalRows(rows, keys).OrderBy(e => e).ToArray());
        }

        [Fact]
        public void NewNormalRowsOfARowModelLeaveTheirFilledInValuesOut()
        {
            var records = Records(0, 300, 5, i => i % 11 == 3).Select(r => new TestRecord(("cpu", Value(r, "cpu")), ("mem", Value(r, "mem")))).ToList();
            var builder = new TrainingSetBuilder(new FeatureSchema(new[] { "cpu", "mem" }), CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            foreach (var r in records) builder.Add(r);
            var set = builder.Build();
            using var model = new AutoencoderModel(new ModelSettings(new[] { 6, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 5));
            model.Train(set.Schema, set.Rows, new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 1e-2 }, imputed: set.Imputed);
            var scores = model.ScoresOfNormalRows(set.Rows, imputed: set.Imputed).OrderBy(e => e).ToArray();
            Assert.Equal(model.TrainingErrors.Select(BitConverter.DoubleToInt64Bits), scores.Select(BitConverter.DoubleToInt64Bits));
            Assert.NotEqual(model.TrainingErrors, model.ScoresOfNormalRows(set.Rows).OrderBy(e => e).ToArray());
        }

        [Fact]
        public void TheFilledInValuesOfASavedMemoryGoOnInTheNextRun()
        {
            using var model = Trained(Records(0, 400, 1));
            var records = Records(1000, 40, 2, i => i == 20);
            var whole = Score(model, records, 0, records.Count);
            // Stopped right after the row with the missing value; the next run goes on from the saved memory.
            var memory = SeriesMemory.For(model, new ScoringOptions { BatchSize = 16 });
            var first = Score(model, records, 0, 21, memory);
            var loaded = SeriesMemory.Load(memory.Save(model), model, new ScoringOptions { BatchSize = 16 }, out var whyNot);
            Assert.Null(whyNot);
            var rest = Score(model, records, 21, records.Count, loaded);
            Assert.Equal(whole.Select(r => r.Score?.Score), first.Concat(rest).Select(r => r.Score?.Score));
        }

        [Fact]
        public void AMemorySavedBeforeWindowsKeptTheirFilledInValuesIsReadWithNone()
        {
            // A scheduled job's memory of version 2 (before windows kept their filled-in values): its windows, likelihood and alerts go on.
            using var model = Trained(Records(0, 400, 1));
            var records = Records(1000, 60, 2);
            var options = new ScoringOptions { BatchSize = 16 };
            var memory = SeriesMemory.For(model, options);
            Score(model, records, 0, 30, memory);
            byte[] current = memory.Save(model);
            byte[] old = AsVersion2(current, model);

            var fromOld = SeriesMemory.Load(old, model, options, out var whyNot);
            Assert.Null(whyNot);
            var fromCurrent = SeriesMemory.Load(current, model, options, out _);
            Assert.Equal(Score(model, records, 30, 60, fromCurrent).Select(r => (r.Score?.Score, r.Score?.Probability)),
                Score(model, records, 30, 60, fromOld).Select(r => (r.Score?.Score, r.Score?.Probability)));
        }

        // The same memory as version 2 wrote it: no filled-in columns in the windows.
        private static byte[] AsVersion2(byte[] saved, AutoencoderModel model)
        {
            using var reader = new BinaryReader(new MemoryStream(saved), System.Text.Encoding.UTF8);
            reader.ReadString();
            int versionAt = (int)reader.BaseStream.Position;
            Assert.Equal(3, reader.ReadInt32());
            reader.ReadString();
            // Version 2 wrote each group's windows as now, without the filled-in columns at the end of each group: a
            // memory without filled-in values writes them as a count of 0 per kept row and 'no cell counts'.
            var assembler = model.NewAssembler();
            Assert.True(assembler.Load(reader));
            int windowsEnd = (int)reader.BaseStream.Position;
            var fields = new List<byte>(saved.Take(versionAt));
            fields.AddRange(BitConverter.GetBytes(2));
            int at = versionAt + 4;
            // Walk the groups again, dropping the trailing filled-in fields of each (all zero: no value was filled in).
            using var again = new BinaryReader(new MemoryStream(saved), System.Text.Encoding.UTF8);
            again.BaseStream.Position = at;
            again.ReadString();
            int size = again.ReadInt32(), width = again.ReadInt32(), groups = again.ReadInt32();
            int copyFrom = at;
            var kept = new List<(int From, int To)>();
            for (int g = 0; g < groups; g++)
            {
                again.ReadString();
                int count = again.ReadInt32();
                again.BaseStream.Position += 8L * count * width;
                if (again.ReadBoolean()) again.BaseStream.Position += 12;              // last time
                again.ReadBoolean();                                                    // max gap known
                if (again.ReadBoolean()) again.BaseStream.Position += 8;                // max gap
                if (again.ReadBoolean()) again.BaseStream.Position += 8;                // step
                again.BaseStream.Position += 8 + 8 + 4;                                 // origin, cell, cell rows
                if (again.ReadBoolean()) again.BaseStream.Position += 8L * width;       // cell sum
                int filledAt = (int)again.BaseStream.Position;
                for (int t = 0; t < count; t++) Assert.Equal(0, again.ReadInt32());
                Assert.False(again.ReadBoolean());
                kept.Add((copyFrom, filledAt));
                copyFrom = (int)again.BaseStream.Position;
            }
            Assert.Equal(windowsEnd, copyFrom);
            foreach (var (from, to) in kept) fields.AddRange(saved.Skip(from).Take(to - from));
            fields.AddRange(saved.Skip(windowsEnd));
            _ = size;
            return fields.ToArray();
        }
    }
}
