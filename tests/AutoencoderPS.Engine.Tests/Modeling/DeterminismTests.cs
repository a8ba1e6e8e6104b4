using System;
using System.Linq;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Training is repeatable: the seed in <see cref="ModelSettings"/> fixes the whole run.</summary>
    [Collection(TorchCollection.Name)]
    public class DeterminismTests
    {
        private readonly TorchFixture fixture;

        public DeterminismTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        private static byte[] Weights(AutoencoderModel model) => ModelFileLayout.Parse(ModelFile.Serialize(model)).Weights;

        [Fact]
        public void SameSeedAndDataGiveTheSameModel()
        {
            var reference = fixture.Reference;

            var again = TrainedCase.Create(seed: 1234, dataSeed: 11);
            using var model = again.Model;

            // Training itself is bit-for-bit repeatable: every epoch's loss and every weight.
            Assert.Equal(reference.History.Select(h => h.Loss), again.History.Select(h => h.Loss));
            Assert.Equal(Weights(reference.Model), Weights(model));
            Assert.Equal(reference.Model.Scaler!.Offset, model.Scaler!.Offset);
            Assert.Equal(reference.Model.Scaler.Scale, model.Scaler.Scale);
            ScoreAssert.Close(reference.Model.Threshold, model.Threshold, "threshold");
            ScoreAssert.Close(reference.Model.Score(reference.HeldOut), model.Score(reference.HeldOut));
        }

        [Fact]
        public void SameSeedAndDataGiveBitwiseIdenticalScores()
        {
            var reference = fixture.Reference;

            var again = TrainedCase.Create(seed: 1234, dataSeed: 11);
            using var model = again.Model;

            Assert.Equal(BitConverter.DoubleToInt64Bits(reference.Model.Threshold), BitConverter.DoubleToInt64Bits(model.Threshold));
            ScoreAssert.Identical(reference.Model.Score(reference.HeldOut), model.Score(reference.HeldOut));
        }

        [Fact]
        public void DifferentSeedsGiveDifferentScores()
        {
            var schema = new FeatureSchema(SyntheticData.FeatureNames);
            var training = SyntheticData.Normal(300, 61);
            var probe = SyntheticData.Normal(100, 62);
            var options = TrainedCase.DefaultOptions(epochs: 5);
            using var first = new AutoencoderModel(TrainedCase.NewSettings(1));
            using var second = new AutoencoderModel(TrainedCase.NewSettings(2));

            var firstHistory = first.Train(schema, training, options);
            var secondHistory = second.Train(schema, training, options);

            Assert.NotEqual(firstHistory[0].Loss, secondHistory[0].Loss);
            Assert.NotEqual(Weights(first), Weights(second));
            var a = first.Score(probe);
            var b = second.Score(probe);
            double meanDifference = a.Zip(b, (x, y) => Math.Abs(x.Score - y.Score)).Average();
            Assert.True(meanDifference > 1000 * ScoreAssert.Tolerance, $"scores differ by only {meanDifference} on average");
        }

        [Fact]
        public void ADrawnSeedIsKeptSoTheRunCanBeRepeated()
        {
            var schema = new FeatureSchema(SyntheticData.FeatureNames);
            var training = SyntheticData.Normal(200, 71);
            var options = TrainedCase.DefaultOptions(epochs: 3);
            using var drawn = new AutoencoderModel(new ModelSettings(TrainedCase.HiddenLayers));
            drawn.Train(schema, training, options);

            using var repeat = new AutoencoderModel(new ModelSettings(TrainedCase.HiddenLayers, seed: drawn.Settings.Seed));
            repeat.Train(schema, training, options);

            Assert.Equal(Weights(drawn), Weights(repeat));
        }
    }
}
