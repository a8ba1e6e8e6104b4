using System;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    public class TrainingOptionsTests
    {
        [Fact]
        public void AnEpochResultReadsAsOneLineInAnyCulture()
        {
            var previous = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
                Assert.Equal("Epoch 3/20: loss 0.00123457, 0.021 s", new EpochResult(3, 20, 0.001234567, TimeSpan.FromMilliseconds(21)).ToString());
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = previous;
            }
        }

        [Fact]
        public void DefaultsAreValid()
        {
            var options = new TrainingOptions();

            options.Validate();
            Assert.Equal(20, options.Epochs);
            Assert.Equal(64, options.BatchSize);
            Assert.Equal(1e-3, options.LearningRate);
            Assert.Equal(LossKind.Mse, options.Loss);
            Assert.Equal(ScalingMethod.RobustSigmoid, options.Scaling);
            Assert.Equal(ThresholdMethod.Percentile, options.Threshold.Method);
            Assert.True(options.Robust);
            Assert.Null(options.Contamination);
        }

        [Theory]
        [InlineData(0, 64, 1e-3, "Epochs")]
        [InlineData(100001, 64, 1e-3, "Epochs")]
        [InlineData(10, 0, 1e-3, "BatchSize")]
        [InlineData(10, 64, 0.0, "LearningRate")]
        [InlineData(10, 64, -1e-3, "LearningRate")]
        [InlineData(10, 64, double.NaN, "LearningRate")]
        [InlineData(10, 64, double.PositiveInfinity, "LearningRate")]
        public void ValidateRejectsOutOfRangeValues(int epochs, int batchSize, double learningRate, string parameter)
        {
            var options = new TrainingOptions { Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate };

            var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

            Assert.Equal(parameter, error.ParamName);
        }
    }
}
