using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Issue 15, items 10, 12 and 13: every metadata field is validated, and the network's size is capped before training or loading.</summary>
    [Collection(TorchCollection.Name)]
    public sealed class ModelValidationTests
    {
        private readonly TorchFixture fixture;

        public ModelValidationTests(TorchFixture fixture) => this.fixture = fixture;

        private byte[] Forge(Action<JsonObject> change)
        {
            var layout = ModelFileLayout.Parse(ModelFile.Serialize(fixture.Reference.Model));
            var metadata = layout.MetadataJson;
            change(metadata);
            layout.MetadataJson = metadata;
            return layout.Pack();
        }

        [Theory]
        [InlineData("role-99", "role 99")]
        [InlineData("median-nan", "median NaN")]
        [InlineData("activation-42", "activation 42")]
        [InlineData("loss-7", "loss 7")]
        [InlineData("threshold-method-9", "threshold method 9")]
        [InlineData("input-scale-nan", "not a finite number")]
        public void AMetadataFieldOutOfItsDomainIsCorrupt(string change, string says)
        {
            byte[] forged = Forge(metadata =>
            {
                var feature = ModelFileLayout.FeaturesOf(metadata)[0]!;
                switch (change)
                {
                    case "role-99": feature["Role"] = 99; break;
                    case "median-nan": feature["Median"] = "NaN"; break;
                    case "activation-42": metadata["Activation"] = 42; break;
                    case "loss-7": metadata["Loss"] = 7; break;
                    case "threshold-method-9": metadata["ThresholdMethod"] = 9; break;
                    case "input-scale-nan": ModelFileLayout.InputsOf(metadata)[0]!["Scale"] = "NaN"; break;
                }
            });
            var e = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(forged, "forged.aemodel"));
            Assert.Equal("ModelFileCorrupt", e.ErrorId);
            Assert.Contains(says, e.Message);
        }

        [Fact]
        public void ANetworkOverTheParameterCapIsRefusedBeforeTraining()
        {
            // 7200-7200 hidden layers over 10 inputs: 103.8M parameters, more than the 100M a model file may hold.
            var e = Assert.Throws<AutoencoderException>(() =>
                new NetworkArchitecture(10, new[] { 7200, 7200 }, ActivationKind.Relu, OutputActivationKind.Linear));
            Assert.Equal("NetworkTooLarge", e.ErrorId);
            Assert.Contains("103,", e.Message);
        }

        [Fact]
        public void AnInputWidthOverTheCapIsRefused()
        {
            var e = Assert.Throws<AutoencoderException>(() =>
                new NetworkArchitecture(50_001, new[] { 1 }, ActivationKind.Relu, OutputActivationKind.Linear));
            Assert.Equal("NetworkTooLarge", e.ErrorId);
            Assert.Contains("50,001", e.Message);
        }

        [Fact]
        public void ScoringBatchesAreSizedByBytesNotRows()
        {
            // A wide model (3,000 inputs): 4,096 rows of it would be 12.3M numbers; a batch holds at most MaxBatchValues.
            int width = 3000;
            var names = Enumerable.Range(0, width).Select(i => $"c{i}").ToArray();
            var random = new Random(3);
            var rows = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, width).Select(_ => random.NextDouble()).ToArray()).ToList();
            using var model = new AutoencoderModel(new ModelSettings(new[] { 1 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 1));
            var options = TrainedCase.DefaultOptions(epochs: 1);
            model.Train(new FeatureSchema(names), rows, options);

            int perBatch = model.RowsPerBatch(4096);
            Assert.True(perBatch < 4096, $"{perBatch} rows per batch");
            Assert.True((long)perBatch * width <= AutoencoderModel.MaxBatchValues);
            Assert.Equal(4096, fixture.Reference.Model.RowsPerBatch(4096));
            Assert.Equal(1, model.RowsPerBatch(0));
        }

        [Fact]
        public void AKeyThatIsNotUtf8IsCorruptNotAnInvalidOperation()
        {
            // Found by the modelmeta fuzz target (issue 15 re-run): a property name with a byte that is not UTF-8
            // made the duplicate-key check throw InvalidOperationException.
            var layout = ModelFileLayout.Parse(ModelFile.Serialize(fixture.Reference.Model));
            var metadata = layout.Metadata.ToList();
            metadata.InsertRange(1, new byte[] { (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)',' });
            layout.Metadata = metadata.ToArray();
            var e = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(layout.Pack(), "fuzzed.aemodel"));
            Assert.Equal("ModelFileCorrupt", e.ErrorId);
        }
    }
}
