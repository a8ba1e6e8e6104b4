using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A grouped model whose groups report at different intervals (AnomalyLikelihood.PerGroup): the scheduled job's
    /// series memory, kept between runs, gives the verdicts of one pass, and a memory it can't use says why.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class GroupIntervalMemoryTests
    {
        public GroupIntervalMemoryTests(TorchFixture fixture) => _ = fixture;

        // Group names the identity's separators don't confuse: one with ',', ':', '|' and spaces.
        private const string Slow = "slow, host:1 | b";

        private static List<TestRecord> Scored()
        {
            // Two days: "fast" every minute, the odd-named host every 5 minutes, "new" (not in training) every minute
            // for the second day; spikes after each group's learning period.
            var random = new Random(9);
            var start = new DateTime(2026, 3, 10);
            var rows = new List<(DateTime Time, TestRecord Row)>();
            double Cpu(int i, bool spike) => 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble() + (spike ? 40 * random.NextDouble() + 30 : 0);
            for (int i = 0; i < 2 * 1440; i++)
            {
                var t = start.AddMinutes(i);
                rows.Add((t, new TestRecord(("Time", t), ("Host", "fast"), ("cpu", Cpu(i, i % 700 == 650)))));
                if (i % 5 == 0) rows.Add((t, new TestRecord(("Time", t), ("Host", Slow), ("cpu", Cpu(i / 5, i / 5 % 150 == 140)))));
                if (i >= 1440) rows.Add((t, new TestRecord(("Time", t), ("Host", "new"), ("cpu", Cpu(i, i % 400 == 390)))));
            }
            return rows.Select(r => r.Row).ToList();
        }

        private static List<string> Score(AutoencoderModel model, IEnumerable<TestRecord> rows, ScoringOptions options, ref byte[]? memory)
        {
            // Each run reads the model file anew, as the job does.
            using var run = ModelFile.Deserialize(ModelFile.Serialize(model), "");
            SeriesMemory? series = null;
            if (memory != null)
            {
                series = SeriesMemory.Load(memory, run, options, out var whyNot);
                Assert.True(series != null, whyNot);
            }
            var sink = new RecordingSink<TestRecord>();
            var pipeline = new ScoringPipeline<TestRecord>(run, options, sink, series);
            foreach (var row in rows) Assert.Null(pipeline.Add(row, row, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            pipeline.Flush();
            memory = pipeline.Series!.Save(run);
            return sink.Rows.Select(r => r.Score == null ? "warming" :
                string.Create(CultureInfo.InvariantCulture, $"{r.Score.Score:R} {r.Score.Probability:R} {r.Score.IsAnomaly} {r.Score.IsAlert}")).ToList();
        }

        [Theory]
        [InlineData(null, false)]
        [InlineData(0.995, false)]
        [InlineData(null, true)]
        public void AGroupedMixedIntervalModelScoredInRunsGivesTheVerdictsOfOnePass(double? threshold, bool grid)
        {
            using var model = Trained(grid);
            var options = new ScoringOptions { BatchSize = 64, ProbabilityThreshold = threshold };
            Assert.NotNull(SeriesMemory.For(model, options).Verdicts.Likelihood!.PerGroup);
            var rows = Scored();
            byte[]? none = null;
            var expected = Score(model, rows, options, ref none);
            Assert.Contains(expected, v => v.EndsWith("True True", StringComparison.Ordinal));

            byte[]? memory = null;
            var actual = new List<string>();
            int from = 0;
            foreach (int cut in new[] { 700, 2100, 3333, 5000, rows.Count })
            {
                actual.AddRange(Score(model, rows.Skip(from).Take(cut - from), options, ref memory));
                from = cut;
            }
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++) Assert.True(expected[i] == actual[i], $"row {i}: expected {expected[i]}, got {actual[i]}");
        }

        [Fact]
        public void AMemoryThatJudgedEveryGroupByTheModelsIntervalIsRefusedForThat()
        {
            // A grouped mixed-interval model's job upgraded to this version: its memory judged every group by the model's
            // usual interval (a minute here: 1440 rows, 0.998). The reason must say so, not claim 288 rows at 0.99.
            using var model = Trained();
            var options = new ScoringOptions();
            var memory = SeriesMemory.For(model, options);
            var likelihood = memory.Verdicts.Likelihood!;
            var before = new SeriesMemory(memory.Windows, new RowVerdicts(true, memory.Verdicts.Threshold, likelihood: new AnomalyLikelihood(
                learningRows: likelihood.LearningRows, recentRows: likelihood.RecentRows, prior: model.TrainingErrors, unlikelyAt: likelihood.UnlikelyAt)), memory.Counters);
            Assert.Null(SeriesMemory.Load(before.Save(model), model, options, out var whyNot));
            Assert.DoesNotContain("288 rows at 0.99", whyNot);
            Assert.DoesNotContain("over 1440 rows, and this model's now counts 1440", whyNot);
            Assert.Contains("group", whyNot);
        }

        private static AutoencoderModel Trained(bool grid = false)
        {
            var settings = new ModelSettings(new[] { 8, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 2, windowSize: 4, timeProperty: "Time", groupBy: "Host",
                timeGrid: grid);
            var random = new Random(3);
            var start = new DateTime(2026, 3, 2);
            TestRecord Row(string group, DateTime time, int i) =>
                new TestRecord(("Time", time), ("Host", group), ("cpu", 50 + 20 * Math.Sin(2 * Math.PI * i / 24) + random.NextDouble()));
            var records = Enumerable.Range(0, 300).Select(i => Row("fast", start + i * TimeSpan.FromMinutes(1), i)).ToList();
            records.AddRange(Enumerable.Range(0, 100).Select(i => Row(Slow, start + i * TimeSpan.FromMinutes(5), i)));
            var model = WindowedTraining.Train(settings, records, new[] { "cpu" }, new TrainingOptions { Epochs = 3, BatchSize = 32 });
            Assert.Equal(TimeSpan.FromMinutes(1), model.UsualInterval);
            return model;
        }
    }
}
