using System;
using System.Linq;
using AutoencoderPS.Engine.Tests.Support;
using TorchSharp;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Tests
{
    [Collection(TorchCollection.Name)]
    public class NetworkArchitectureTests
    {
        public NetworkArchitectureTests(TorchFixture fixture)
        {
            _ = fixture; // loads libtorch and pins one thread
        }

        [Fact]
        public void LayerWidthsMirrorTheEncoder()
        {
            var architecture = new NetworkArchitecture(140, new[] { 32, 16, 8 }, ActivationKind.Relu, OutputActivationKind.Sigmoid);

            Assert.Equal(new[] { 140, 32, 16, 8, 16, 32, 140 }, architecture.LayerWidths);
            Assert.Equal("140-32-16-8-16-32-140", architecture.ToString());
        }

        [Fact]
        public void ParameterCountIsTheSumOfWeightsAndBiases()
        {
            var architecture = new NetworkArchitecture(140, new[] { 32, 16, 8 }, ActivationKind.Relu, OutputActivationKind.Sigmoid);

            // 140*32+32 + 32*16+16 + 16*8+8 + 8*16+16 + 16*32+32 + 32*140+140
            long expected = 4512 + 528 + 136 + 144 + 544 + 4620;
            Assert.Equal(10484, expected);
            Assert.Equal(expected, architecture.ParameterCount);
        }

        [Fact]
        public void OneHiddenLayer()
        {
            var architecture = new NetworkArchitecture(6, new[] { 4 }, ActivationKind.Tanh, OutputActivationKind.Linear);

            Assert.Equal(new[] { 6, 4, 6 }, architecture.LayerWidths);
            Assert.Equal(6 * 4 + 4 + 4 * 6 + 6, architecture.ParameterCount);
        }

        [Fact]
        public void ParameterCountFitsInALongForWideLayers()
        {
            // Counted without building: such a network is over the caps (NetworkTooLarge), but its count must not overflow.
            Assert.Equal(2L * 65536 * 65536 + 2 * 65536, NetworkArchitecture.CountParameters(65536, new[] { 65536 }));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        public void InputSizeBelowOneThrows(int inputSize)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                new NetworkArchitecture(inputSize, new[] { 4 }, ActivationKind.Relu, OutputActivationKind.Sigmoid));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-3)]
        [InlineData(65537)]
        public void HiddenWidthOutOfRangeThrows(int width)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                new NetworkArchitecture(10, new[] { 8, width }, ActivationKind.Relu, OutputActivationKind.Sigmoid));
            Assert.Throws<ArgumentOutOfRangeException>(() => new ModelSettings(new[] { width }));
        }

        [Fact]
        public void NoHiddenLayerThrows()
        {
            Assert.Throws<ArgumentException>(() =>
                new NetworkArchitecture(10, Array.Empty<int>(), ActivationKind.Relu, OutputActivationKind.Sigmoid));
            Assert.Throws<ArgumentException>(() => new ModelSettings(Array.Empty<int>()));
        }

        [Fact]
        public void ArchitectureCopiesItsHiddenLayers()
        {
            var hidden = new[] { 8, 4 };
            var architecture = new NetworkArchitecture(10, hidden, ActivationKind.Relu, OutputActivationKind.Sigmoid);
            hidden[0] = 99;

            Assert.Equal(new[] { 10, 8, 4, 8, 10 }, architecture.LayerWidths);
        }

        [Fact]
        public void DefaultSettingsUseTheSeedRecipeLayers()
        {
            var settings = new ModelSettings();

            Assert.Equal(new[] { 32, 16, 8 }, settings.HiddenLayers);
            Assert.Equal(new[] { 32, 16, 8 }, NetworkArchitecture.DefaultHiddenLayers);
            Assert.Equal(ActivationKind.Relu, settings.Activation);
            Assert.Equal(OutputActivationKind.Sigmoid, settings.OutputActivation);
            Assert.Empty(settings.Features);
            Assert.Empty(settings.ExcludeFeatures);
            Assert.Equal(77, new ModelSettings(seed: 77).Seed);
        }

        [Theory]
        [InlineData(ActivationKind.Relu, OutputActivationKind.Sigmoid)]
        [InlineData(ActivationKind.Tanh, OutputActivationKind.Linear)]
        [InlineData(ActivationKind.LeakyRelu, OutputActivationKind.Sigmoid)]
        public void BuiltNetworkHasExactlyParameterCountParameters(ActivationKind activation, OutputActivationKind output)
        {
            var architecture = new NetworkArchitecture(140, new[] { 32, 16, 8 }, activation, output);
            using var network = new AutoencoderNetwork(architecture);

            long actual = network.parameters().Sum(p => p.numel());

            Assert.Equal(architecture.ParameterCount, actual);
        }

        [Fact]
        public void SigmoidOutputLiesInZeroToOneAndLinearOutputMayNot()
        {
            torch.random.manual_seed(5);
            using var sigmoid = new AutoencoderNetwork(new NetworkArchitecture(6, new[] { 4, 2 }, ActivationKind.Relu, OutputActivationKind.Sigmoid));
            using var linear = new AutoencoderNetwork(new NetworkArchitecture(6, new[] { 4, 2 }, ActivationKind.Tanh, OutputActivationKind.Linear));
            using var input = torch.randn(200, 6) * 50;

            using var squashed = sigmoid.forward(input);
            using var raw = linear.forward(input);

            Assert.Equal(new long[] { 200, 6 }, squashed.shape);
            float[] squashedValues = squashed.data<float>().ToArray();
            Assert.All(squashedValues, v => Assert.InRange(v, 0f, 1f));
            float[] rawValues = raw.data<float>().ToArray();
            Assert.Contains(rawValues, v => v < 0f || v > 1f);
        }
    }
}
