using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class SlidingWindowModelTests : IDisposable
    {
        private const int Window = 4;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);
        private readonly TempDirectory temp = new TempDirectory();

        // Used only for its torch set-up (libtorch loaded, one thread).
        public SlidingWindowModelTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        private static double[] Row(int i, Random random) =>
            new[] { 50 + 20 * Math.Sin(2 * Math.PI * i / 12) + random.NextDouble(), 30 + 5 * Math.Cos(2 * Math.PI * i / 12) + random.NextDouble() };

        private static (List<double[]> Rows, List<WindowKey> Keys) Series(int first, int count, int seed)
        {
            var random = new Random(seed);
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            for (int i = first; i < first + count; i++)
                foreach (var host in new[] { "a", "b" })
                {
                    rows.Add(Row(i, random));
                    keys.Add(new WindowKey(host, T0.AddMinutes(i)));
                }
            return (rows, keys);
        }

        private static AutoencoderModel Trained(out List<double[]> rows, out WindowPlan plan)
        {
            var schema = new FeatureSchema(new[] { "cpu", "mem" });
            var settings = new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 5, windowSize: Window, timeProperty: "Time", groupBy: "Host");
            var model = new AutoencoderModel(settings);
            List<WindowKey> keys;
            (rows, keys) = Series(0, 150, 1);
            plan = SlidingWindow.Plan(Window, keys, null);
            model.Train(schema, rows, new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 1e-2 }, windows: plan);
            return model;
        }

        private static double[] Concatenate(List<double[]> rows, int[] window) => window.SelectMany(i => rows[i]).ToArray();

        [Fact]
        public void TheNetworkReadsNTimesDInputsAndTheThresholdComesFromTrainingWindowErrors()
        {
            using var model = Trained(out var rows, out var plan);

            Assert.Equal(Window * 2, model.Architecture!.InputSize);
            Assert.Equal(plan.Windows.Count, model.Training!.Rows);
            Assert.Equal(2 * (150 - (Window - 1)), plan.Windows.Count);
            // Scoring the training windows gives exactly the stored training errors: training and scoring agree bit for bit.
            var scores = model.ScoreWindows(plan.Windows.Select(w => Concatenate(rows, w)).ToList());
            Assert.Equal(model.TrainingErrors, scores.Select(s => s.Score).OrderBy(s => s).ToArray());
            Assert.Equal(TimeSpan.FromMinutes(1), model.UsualInterval);
            Assert.Equal(TimeSpan.FromMinutes(2.5), model.MaxGapFor("a"));
        }

        [Fact]
        public void AWindowScoresTheSameAloneAsInAnyBatch()
        {
            using var model = Trained(out _, out _);
            var (rows, keys) = Series(1000, 200, 2);
            var assembler = new WindowAssembler(Window, 2, model.MaxGapFor);
            var windows = rows.Select((r, i) => assembler.Push(keys[i], r).Window).Where(w => w != null).Select(w => w!).ToList();
            Assert.True(windows.Count > ForwardPass.ChunkRows, "the batch spans more than one forward chunk");

            var all = model.ScoreWindows(windows);
            foreach (int k in new[] { 0, 1, 255, 256, 300, windows.Count - 1 })
                Assert.Equal(BitConverter.DoubleToInt64Bits(all[k].Score), BitConverter.DoubleToInt64Bits(model.ScoreWindows(new[] { windows[k] })[0].Score));
        }

        [Fact]
        public void ExplanationsNameTheFeatureAndTheStepWithValuesInOriginalUnits()
        {
            using var model = Trained(out var rows, out var plan);
            var window = Concatenate(rows, plan.Windows[10]);
            var score = model.ScoreWindows(new[] { window })[0];
            var contributions = score.TopContributions(8);
            Assert.Equal(8, contributions.Count);
            var names = contributions.Select(c => c.Feature).ToHashSet();
            Assert.Equal(new[] { "cpu (t-3)", "mem (t-3)", "cpu (t-2)", "mem (t-2)", "cpu (t-1)", "mem (t-1)", "cpu (t)", "mem (t)" }.ToHashSet(), names);
            Assert.Equal(window[0], (double)contributions.Single(c => c.Feature == "cpu (t-3)").Observed);
            Assert.Equal(window[7], (double)contributions.Single(c => c.Feature == "mem (t)").Observed);
            // Expected values come back in original units (the cycle runs 30-70 for cpu), not scaled 0-1.
            Assert.InRange((double)contributions.Single(c => c.Feature == "cpu (t)").Expected, 20, 80);
            Assert.Throws<InvalidOperationException>(() => model.Score(new[] { rows[0] }));
        }

        [Fact]
        public void TheModelFileKeepsTheWindowAndItsScores()
        {
            using var model = Trained(out var rows, out var plan);
            string path = temp.File("window.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);

            Assert.Equal(Window, loaded.Settings.WindowSize);
            Assert.Equal("Time", loaded.Settings.TimeProperty);
            Assert.Equal("Host", loaded.Settings.GroupBy);
            Assert.Equal(model.UsualInterval, loaded.UsualInterval);
            Assert.Equal(model.GroupIntervals, loaded.GroupIntervals);
            var windows = plan.Windows.Take(40).Select(w => Concatenate(rows, w)).ToList();
            Assert.Equal(model.ScoreWindows(windows).Select(s => s.Score), loaded.ScoreWindows(windows).Select(s => s.Score));

            var metadata = JsonNode.Parse(ModelFileLayout.Parse(System.IO.File.ReadAllBytes(path)).MetadataText)!.AsObject();
            Assert.Equal(Window, (int)metadata["WindowSize"]!);
            Assert.Equal("00:01:00", (string)metadata["UsualInterval"]!);
        }

        [Fact]
        public void ARowModelFileHasNoWindowFieldsAndLoadsAsARowModel()
        {
            var schema = new FeatureSchema(new[] { "cpu", "mem" });
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4 }, seed: 2));
            model.Train(schema, Series(0, 50, 3).Rows, new TrainingOptions { Epochs = 1 });
            string path = temp.File("row.aemodel");
            ModelFile.Save(model, path);

            var metadata = JsonNode.Parse(ModelFileLayout.Parse(System.IO.File.ReadAllBytes(path)).MetadataText)!.AsObject();
            foreach (var field in new[] { "WindowSize", "TimeProperty", "GroupBy", "MaxGap", "UsualInterval", "GroupIntervals" })
                Assert.False(metadata.ContainsKey(field), field);
            using var loaded = ModelFile.Load(path);
            Assert.False(loaded.Settings.IsWindowed);
            Assert.Equal(2, loaded.Architecture!.InputSize);
        }

        [Fact]
        public void TrainingWithoutAWindowForEveryRowModelIsRefused()
        {
            var schema = new FeatureSchema(new[] { "cpu", "mem" });
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4 }, seed: 2, windowSize: 3));
            var (rows, keys) = Series(0, 2, 3);
            Assert.Throws<ArgumentException>(() => model.Train(schema, rows, new TrainingOptions { Epochs = 1 }));
            var e = Assert.Throws<AutoencoderException>(() =>
                model.Train(schema, rows, new TrainingOptions { Epochs = 1 }, windows: SlidingWindow.Plan(3, keys, null)));
            Assert.Equal("NoTrainingWindows", e.ErrorId);
        }
    }
}
