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
            return WindowedTraining.Train(settings, records, new[] { "cpu", "mem" }, new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 1e-2 });
        }

        // A grid of minutes where every fifth minute has three rows, 20 s apart (7 rows in 5 minutes); cpu is missing in
        // all three rows of some of those minutes, in one of three in others, and in single rows now and then.
        private static DateTime GridTime(int i) => T0.AddMinutes(i / 7 * 5 + Math.Max(0, i % 7 - 2)).AddSeconds(i % 7 < 3 ? 20 * (i % 7) : 0);

        private static bool GridMissing(int i) => i / 7 % 3 == 1 ? i % 7 < 3 : i / 7 % 3 == 2 && i % 7 == 1 || i % 7 == 5 && i / 7 % 4 == 0;

        // Training records with cpu missing now and then: every 13th row, or on the grid GridMissing's rows.
        private static List<TestRecord> WithGaps(bool grid) => grid ? Records(0, 420, 3, GridMissing, GridTime) : Records(0, 300, 3, i => i % 13 == 5);

        private static object? Value(TestRecord record, string column) => record.TryGetValue(column, out var value) ? value : null;

        private static List<(int Row, RowScore? Score)> Score(AutoencoderModel model, IReadOnlyList<TestRecord> records, int from, int to,
            SeriesMemory? memory = null)
        {
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 16 }, sink, memory);
            for (int i = from; i < to; i++) Assert.Null(pipeline.Add(records[i], i, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            pipeline.Flush();
            return sink.Rows.Select(r => (r.Row, r.Score)).ToList();
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
            var records = WithGaps(grid);
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
            var records = WithGaps(grid);
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
            var keys = records.Select(r => SlidingWindow.ReadKey(r, model.Settings, model.Schema!, CultureInfo.InvariantCulture)).ToList();

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
            // MinMax: no training range, so the stored errors are the rows' own (under RobustSigmoid a row alone at a
            // feature's extreme is stored as the other rows' range scores it: FeatureScaler.OthersRanges).
            // The rows' own errors, not scaled to rows unseen in training (a small baseline's cross-fitting).
            model.Train(set.Schema, set.Rows, new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 1e-2, Scaling = ScalingMethod.MinMax, UnseenRowsThreshold = false }, imputed: set.Imputed);
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
        public void AMemorySavedByVersion2IsReadWithNothingFilledInAndEveryRowOrdinary()
        {
            // A scheduled job's memory of version 2 (before windows kept their filled-in values and the likelihood its
            // rows' kinds), read to its last byte: its windows, likelihood history and alerts go on.
            using var model = Trained(Records(0, 400, 1));
            var records = Records(1000, 400, 2);
            var options = new ScoringOptions { BatchSize = 16 };
            var memory = SeriesMemory.For(model, options);
            Score(model, records, 0, 330, memory);
            byte[] current = memory.Save(model);
            byte[] old = AsVersion2(SeriesMemoryVersions.AsVersion4(current));

            var fromOld = SeriesMemory.Load(old, model, options, out var whyNot);
            Assert.Null(whyNot);
            var fromCurrent = SeriesMemory.Load(current, model, options, out _);
            var goOn = Score(model, records, 330, 400, fromCurrent);
            var goOnOld = Score(model, records, 330, 400, fromOld);
            // The windows went on (no row warms up again; the same scores) and the likelihood from its own history (the
            // group had learned: a fresh memory would judge these rows against the training errors).
            Assert.Equal(goOn.Select(r => r.Score?.Score), goOnOld.Select(r => r.Score?.Score));
            Assert.All(goOnOld, r => Assert.NotNull(r.Score?.Probability));
            var fresh = Score(model, records, 330, 400, SeriesMemory.For(model, options));
            Assert.Equal(Window - 1, fresh.Count(r => r.Score == null));

            // Version 3 (before counters) is version 4 of a model without counters: it goes on alike.
            byte[] version3 = SeriesMemoryVersions.AsVersion4(current);
            int at = 1 + "AutoencoderPS.SeriesMemory".Length;
            Assert.Equal(4, BitConverter.ToInt32(version3, at));
            BitConverter.GetBytes(3).CopyTo(version3, at);
            var goOn3 = Score(model, records, 330, 400, SeriesMemory.Load(version3, model, options, out var whyNot3));
            Assert.Null(whyNot3);
            Assert.Equal(goOn.Select(r => r.Score?.Score), goOn3.Select(r => r.Score?.Score));
        }

        // The same memory (of version 4) as version 2 wrote it: windows without their filled-in columns, a likelihood
        // history without kinds and with one running maximum (the ring start, its length and the row before it).
        private static byte[] AsVersion2(byte[] saved)
        {
            using var r = new BinaryReader(new MemoryStream(saved), System.Text.Encoding.UTF8);
            using var buffer = new MemoryStream();
            using var w = new BinaryWriter(buffer, System.Text.Encoding.UTF8);
            w.Write(r.ReadString());
            Assert.Equal(4, r.ReadInt32()); // version 4 adds only a model's counters (none here) to version 3
            w.Write(2);
            w.Write(r.ReadString());
            // Windows.
            int size = r.ReadInt32(), width = r.ReadInt32(), groups = r.ReadInt32();
            w.Write(size); w.Write(width); w.Write(groups);
            for (int g = 0; g < groups; g++)
            {
                w.Write(r.ReadString());
                int count = r.ReadInt32();
                w.Write(count);
                for (int k = 0; k < count * width; k++) w.Write(r.ReadDouble());
                CopyOptional(r, w, w2 => { w2.Write(r.ReadInt64()); w2.Write(r.ReadInt32()); }); // last time
                w.Write(r.ReadBoolean());                                                    // max gap known
                CopyOptional(r, w, w2 => w2.Write(r.ReadInt64()));                            // max gap
                CopyOptional(r, w, w2 => w2.Write(r.ReadInt64()));                            // step
                w.Write(r.ReadInt64()); w.Write(r.ReadInt64()); w.Write(r.ReadInt32());     // origin, cell, cell rows
                CopyOptional(r, w, w2 => { for (int k = 0; k < width; k++) w2.Write(r.ReadDouble()); });
                for (int t = 0; t < count; t++) Assert.Equal(0, r.ReadInt32());              // nothing filled in
                Assert.False(r.ReadBoolean());
            }
            // Likelihood.
            Assert.True(r.ReadBoolean());
            w.Write(true);
            int shortRows;
            w.Write(r.ReadInt32()); w.Write(shortRows = r.ReadInt32()); w.Write(r.ReadInt32()); w.Write(r.ReadInt32());
            int histories = r.ReadInt32();
            w.Write(histories);
            for (int g = 0; g < histories; g++)
            {
                w.Write(r.ReadString());
                w.Write(r.ReadInt32()); w.Write(r.ReadInt32()); w.Write(r.ReadDouble());
                for (int k = 0; k < shortRows; k++) w.Write(r.ReadDouble());
                int count = r.ReadInt32();
                w.Write(count); w.Write(r.ReadInt32());
                for (int k = 0; k < count; k++) w.Write(r.ReadDouble());
                long row = r.ReadInt64();
                var queued = ReadQueue(r);
                for (int k = 0; k < count + shortRows; k++) r.ReadInt32();                     // kinds, the short run's kinds
                int kinds = r.ReadInt32();
                for (int k = 0; k < kinds; k++)
                {
                    r.ReadInt32();
                    queued.AddRange(ReadQueue(r));
                }
                // One running maximum of every row: the entries above all later ones.
                var merged = queued.OrderBy(e => e.Row).ToList();
                var kept = merged.Where((e, i) => merged.Skip(i + 1).All(later => later.Value < e.Value)).ToList();
                w.Write(0); w.Write(kept.Count); w.Write(row);
                foreach (var (queuedRow, value) in kept) { w.Write(queuedRow); w.Write(value); }
            }
            // Alerts, as they were.
            w.Write(r.ReadBytes((int)(r.BaseStream.Length - r.BaseStream.Position)));
            w.Flush();
            return buffer.ToArray();
        }

        private static void CopyOptional(BinaryReader r, BinaryWriter w, Action<BinaryWriter> value)
        {
            bool present = r.ReadBoolean();
            w.Write(present);
            if (present) value(w);
        }

        private static List<(long Row, double Value)> ReadQueue(BinaryReader r)
        {
            int count = r.ReadInt32();
            var entries = new List<(long, double)>();
            for (int k = 0; k < count; k++) entries.Add((r.ReadInt64(), r.ReadDouble()));
            return entries;
        }
    }
}
