using System;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    [Collection(TorchCollection.Name)]
    public class EarlyStoppingTests
    {
        [Fact]
        public void PatienceIsATenthOfTheEpochsAndAtLeastThree()
        {
            Assert.Equal(3, EarlyStopping.PatienceEpochs(20));
            Assert.Equal(9, EarlyStopping.PatienceEpochs(92));
            Assert.Equal(20, EarlyStopping.PatienceEpochs(200));
        }

        [Fact]
        public void StopsAfterPatienceEpochsWithoutAOnePercentFallOfTheSmoothedLoss()
        {
            var stopping = new EarlyStopping(epochs: 30, firstWatched: 3);
            // Before the warm-up ends nothing counts, however flat the loss.
            Assert.False(stopping.Stop(1, 1.0));
            Assert.False(stopping.Stop(2, 1.0));
            // Falling 10% an epoch: never stops.
            double loss = 1.0;
            for (int epoch = 3; epoch <= 10; epoch++, loss *= 0.9) Assert.False(stopping.Stop(epoch, loss));
            // Flat from here: the smoothed loss still falls for a while as the average catches up, then stops moving;
            // the third epoch without a 1% fall below the best stops training.
            int stoppedAt = Enumerable.Range(11, 40).First(epoch => stopping.Stop(epoch, loss));
            Assert.InRange(stoppedAt, 11 + 3, 11 + 10);
        }

        [Fact]
        public void NoiseAroundALevelDoesNotLookLikeProgressForever()
        {
            var stopping = new EarlyStopping(epochs: 100, firstWatched: 1);
            var random = new Random(4);
            // +-5% noise around a flat level: single epochs dip below the best, the smoothed loss rarely by 1%.
            int? stoppedAt = Enumerable.Range(1, 100).Select(e => (int?)e).FirstOrDefault(e => stopping.Stop(e!.Value, 1 + 0.05 * (2 * random.NextDouble() - 1)));
            Assert.NotNull(stoppedAt);
        }

        [Fact]
        public void TrainingStopsEarlyOnlyWhenAsked()
        {
            var rows = SyntheticData.Normal(160, 8);
            var schema = new FeatureSchema(SyntheticData.FeatureNames);
            using var asked = new AutoencoderModel(new ModelSettings(seed: 2));
            var history = asked.Train(schema, rows, new TrainingOptions { Epochs = 400, BatchSize = 16, EarlyStopping = true });
            Assert.True(history.Count < 400, "the loss of 160 easy rows levels off long before 4,000 steps");
            Assert.True(asked.Training!.StoppedEarly);
            Assert.Equal(history.Count, asked.Training.Epochs);
            // The last epochs did not improve the smoothed loss by 1%: the network was trained, not cut off.
            Assert.True(history[^1].Loss < history[0].Loss / 10, $"loss {history[0].Loss} -> {history[^1].Loss}");

            using var named = new AutoencoderModel(new ModelSettings(seed: 2));
            var all = named.Train(new FeatureSchema(SyntheticData.FeatureNames), rows, new TrainingOptions { Epochs = 30, BatchSize = 16 });
            Assert.Equal(30, all.Count);
            Assert.False(named.Training!.StoppedEarly);
        }
    }
}
