using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>
    /// The default scaling (RobustSigmoid with the distance beyond the training range): outliers in the baseline do not
    /// set the scale, and a spike far beyond the training range still scores as MinMax scaling would score it.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public class RobustScalingTests
    {
        // 570 normal rows and 30 (5%) gross errors: one feature 20-40 standard deviations high (a counter glitch, a unit
        // mix-up). The test outliers are subtle: each value ordinary, the combination broken (SyntheticData.BrokenCorrelation).
        private static (List<double[]> Training, List<double[]> Test, bool[] Labels) GrossErrorsInTheBaseline(int seed)
        {
            var random = new Random(seed);
            var training = SyntheticData.Normal(570, seed);
            var sd = Enumerable.Range(0, SyntheticData.FeatureCount).Select(j =>
            {
                double mean = training.Average(r => r[j]);
                return Math.Sqrt(training.Average(r => (r[j] - mean) * (r[j] - mean)));
            }).ToArray();
            for (int i = 0; i < 30; i++)
            {
                var row = SyntheticData.Normal(1, seed * 1000 + i)[0];
                int j = random.Next(row.Length);
                row[j] += (20 + 20 * random.NextDouble()) * sd[j];
                training.Insert(random.Next(training.Count + 1), row);
            }
            var test = SyntheticData.Normal(300, seed + 1);
            var labels = Enumerable.Repeat(false, test.Count).ToList();
            for (int i = 0; i < 30; i++) { test.Add(SyntheticData.BrokenCorrelation(random)); labels.Add(true); }
            return (training, test, labels.ToArray());
        }

        private static AutoencoderModel TrainWithDefaults(List<double[]> training, int seed)
        {
            var (epochs, batch) = TrainingOptions.DefaultBudget(training.Count);
            var model = new AutoencoderModel(new ModelSettings(seed: seed));
            model.Train(new FeatureSchema(SyntheticData.FeatureNames), training, new TrainingOptions { Epochs = epochs, BatchSize = batch });
            return model;
        }

        [Fact]
        public void GrossErrorsInTheBaselineDoNotSetTheScale()
        {
            // Measured: defaults 0.999, 1.000 (seeds 1, 2); with -Scaling MinMax 0.813, 0.792: the glitches set MinMax's
            // range, the normal rows fill a sliver of it, and the broken combinations hardly move the error.
            Assert.Equal(ScalingMethod.RobustSigmoid, new TrainingOptions().Scaling);
            for (int seed = 1; seed <= 2; seed++)
            {
                var (training, test, labels) = GrossErrorsInTheBaseline(seed);
                using var model = TrainWithDefaults(training, seed);
                double auc = DetectionMetrics.RocAucOf(labels, model.Score(test).Select(s => s.Score).ToArray());
                Assert.True(auc >= 0.95, $"seed {seed}: ROC-AUC {auc:0.000} of broken combinations after a baseline with gross errors");
            }
        }

        [Fact]
        public void ASpikeFarBeyondTheTrainingRangeScoresAtLeastAsUnderMinMax()
        {
            var training = SyntheticData.Normal(600, 5);
            using var model = TrainWithDefaults(training, 5);
            var normal = SyntheticData.Normal(1, 6)[0];
            // cpu ten training ranges above its maximum. The curve alone would map it to nearly 1, an error of at most
            // 1 on one input of six; the distance beyond the range adds 10 ranges, so the squared error is at least 100.
            var spike = SyntheticData.Spike(normal, 0, training, ranges: 10);
            var scores = model.Score(new[] { normal, spike });
            Assert.False(scores[0].IsAnomaly);
            Assert.True(scores[1].IsAnomaly);
            Assert.True(scores[1].Score >= 100.0 / SyntheticData.FeatureCount, $"spike score {scores[1].Score}");
            Assert.Equal(0, scores[1].TopFeature);
            // Inside the training range nothing is added: the extremes of the training rows score as the network reconstructs them.
            Assert.True(model.Scaler!.HasRange);
            Assert.Equal(0f, model.Scaler.Beyond(0, training.Max(r => r[0])));
            Assert.Equal(0f, model.Scaler.Beyond(0, training.Min(r => r[0])));
            Assert.True(model.Scaler.Beyond(0, training.Min(r => r[0]) - 1) < 0);
            // The model file keeps the range: the spike scores the same after a round trip.
            using var restored = ModelFile.Deserialize(ModelFile.Serialize(model), "memory");
            Assert.Equal(scores[1].Score, restored.Score(new[] { spike })[0].Score);
        }
    }
}
