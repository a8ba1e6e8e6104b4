using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using TorchSharp;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    [Collection(TorchCollection.Name)]
    public sealed class ModelFileTests : IDisposable
    {
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public ModelFileTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose() => temp.Dispose();

        private AutoencoderModel Trained => fixture.Reference.Model;

        private string SavedReference(string name = "reference.aemodel")
        {
            string path = temp.File(name);
            ModelFile.Save(Trained, path);
            return path;
        }

        private static ModelFileException LoadFails(byte[] content, string path)
        {
            File.WriteAllBytes(path, content);
            return Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
        }

        private static byte[] WeightsOf(AutoencoderModel model) => ModelFileLayout.Parse(ModelFile.Serialize(model)).Weights;

        [Fact]
        public void SaveThenLoadRestoresTheModel()
        {
            string path = SavedReference();

            using var loaded = ModelFile.Load(path);

            var original = Trained;
            Assert.True(loaded.IsTrained);
            Assert.Equal(original.Schema!.Names, loaded.Schema!.Names);
            Assert.Equal(original.Settings.Seed, loaded.Settings.Seed);
            Assert.Equal(original.Settings.HiddenLayers, loaded.Settings.HiddenLayers);
            Assert.Equal(original.Settings.Activation, loaded.Settings.Activation);
            Assert.Equal(original.Settings.OutputActivation, loaded.Settings.OutputActivation);
            Assert.Equal(original.Settings.Features, loaded.Settings.Features);
            Assert.Equal(new[] { "host" }, loaded.Settings.ExcludeFeatures);
            Assert.Equal(original.Scaler!.Method, loaded.Scaler!.Method);
            Assert.Equal(original.Scaler.Offset, loaded.Scaler.Offset);
            Assert.Equal(original.Scaler.Scale, loaded.Scaler.Scale);
            Assert.Equal(original.Architecture!.ToString(), loaded.Architecture!.ToString());
            Assert.Equal(original.Architecture.Activation, loaded.Architecture.Activation);
            Assert.Equal(original.Loss, loaded.Loss);
            Assert.Equal(original.ThresholdRule.Method, loaded.ThresholdRule.Method);
            Assert.Equal(original.ThresholdRule.Value, loaded.ThresholdRule.Value);
            Assert.Equal(BitConverter.DoubleToInt64Bits(original.Threshold), BitConverter.DoubleToInt64Bits(loaded.Threshold));

            var (a, b) = (original.Training!, loaded.Training!);
            Assert.Equal(a.Rows, b.Rows);
            Assert.Equal(a.Epochs, b.Epochs);
            Assert.Equal(a.BatchSize, b.BatchSize);
            Assert.Equal(a.LearningRate, b.LearningRate);
            Assert.Equal(a.FinalLoss, b.FinalLoss);
            Assert.Equal(a.ErrorMean, b.ErrorMean);
            Assert.Equal(a.ErrorStd, b.ErrorStd);
            Assert.Equal(a.ErrorMax, b.ErrorMax);
            Assert.Equal(a.TrainedUtc, b.TrainedUtc);
            Assert.Equal(a.Duration, b.Duration);

            // The network is the same to the last bit; its scores agree (see ScoreAssert for why not bitwise yet).
            Assert.Equal(WeightsOf(original), WeightsOf(loaded));
            ScoreAssert.Close(original.Score(fixture.Reference.HeldOut), loaded.Score(fixture.Reference.HeldOut));
        }

        [Fact]
        public void LoadedModelScoresBitwiseIdentically()
        {
            using var loaded = ModelFile.Load(SavedReference());

            ScoreAssert.Identical(Trained.Score(fixture.Reference.HeldOut), loaded.Score(fixture.Reference.HeldOut));
        }

        [Fact]
        public void DeserializeReadsWhatSerializeWrote()
        {
            using var restored = ModelFile.Deserialize(ModelFile.Serialize(Trained), "memory");

            Assert.Equal(WeightsOf(Trained), WeightsOf(restored));
            Assert.Equal(Trained.Threshold, restored.Threshold);
        }

        [Fact]
        public void FileHasTheDocumentedLayout()
        {
            byte[] content = File.ReadAllBytes(SavedReference());

            Assert.Equal("AEPSMODL", Encoding.ASCII.GetString(content, 0, 8));
            Assert.Equal(ModelFile.FormatVersion, BitConverter.ToUInt16(content, ModelFileLayout.VersionOffset));
            Assert.Equal(0, BitConverter.ToUInt16(content, 10));
            Assert.Equal(SHA256.HashData(content.AsSpan(0, content.Length - 32)), content[^32..]);
            var layout = ModelFileLayout.Parse(content);
            var metadata = JsonNode.Parse(layout.MetadataText)!.AsObject();
            Assert.Equal(ModelFile.FormatVersion, (int)metadata["FormatVersion"]!);
            Assert.Equal(1234, (int)metadata["Seed"]!);
            Assert.Equal(SyntheticData.FeatureNames, metadata["Features"]!.AsArray().Select(f => (string)f!["Name"]!));
            Assert.Equal("MeanStd", (string)metadata["ThresholdMethod"]!);
            Assert.Equal(".aemodel", ModelFile.Extension);
        }

        [Fact]
        public void SaveReplacesAnExistingFileAndLeavesNoTemporaryFile()
        {
            string path = SavedReference("model.aemodel");
            using var other = new AutoencoderModel(TrainedCase.NewSettings(99));
            other.Train(new FeatureSchema(SyntheticData.FeatureNames), SyntheticData.Normal(100, 99), TrainedCase.DefaultOptions(epochs: 2));

            ModelFile.Save(other, path);

            using var loaded = ModelFile.Load(path);
            Assert.Equal(99, loaded.Settings.Seed);
            Assert.Equal(other.Threshold, loaded.Threshold);
            Assert.Equal(WeightsOf(other), WeightsOf(loaded));
            Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
            Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
        }

        [Fact]
        public void SavingAnUntrainedModelThrowsAndLeavesTheExistingFile()
        {
            string path = SavedReference("model.aemodel");
            byte[] before = File.ReadAllBytes(path);
            using var untrained = new AutoencoderModel(new ModelSettings(seed: 1));

            var error = Assert.Throws<AutoencoderException>(() => ModelFile.Save(untrained, path));

            Assert.Equal("ModelNotTrained", error.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
        }

        [Fact]
        public void SerializeOfAnUntrainedModelThrowsModelNotTrained()
        {
            using var untrained = new AutoencoderModel(new ModelSettings(seed: 1));

            var error = Assert.Throws<AutoencoderException>(() => ModelFile.Serialize(untrained));

            Assert.Equal("ModelNotTrained", error.ErrorId);
        }

        [Fact]
        public void MissingFileThrowsModelFileNotFound()
        {
            string path = temp.File("absent.aemodel");

            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));

            Assert.Equal("ModelFileNotFound", error.ErrorId);
            Assert.Equal(path, error.Path);
        }

        [Fact]
        public void FileInAMissingFolderThrowsModelFileNotFound()
        {
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(temp.File(Path.Combine("no-such-folder", "m.aemodel"))));

            Assert.Equal("ModelFileNotFound", error.ErrorId);
        }

        [Fact]
        public void RandomBytesAreForeign()
        {
            var bytes = new byte[4096];
            new Random(81).NextBytes(bytes);

            var error = LoadFails(bytes, temp.File("random.aemodel"));

            Assert.Equal("ModelFileForeign", error.ErrorId);
        }

        [Fact]
        public void AnotherFileFormatIsForeign()
        {
            var error = LoadFails(Encoding.UTF8.GetBytes("PK\u0003\u0004 this is a zip file, honestly, and long enough to hold a header"), temp.File("zip.aemodel"));

            Assert.Equal("ModelFileForeign", error.ErrorId);
        }

        [Fact]
        public void TruncatedCopiesAreRejected()
        {
            byte[] content = File.ReadAllBytes(SavedReference());
            var layout = ModelFileLayout.Parse(content);
            int metadataEnd = ModelFileLayout.MetadataStart + layout.Metadata.Length;
            int[] cuts =
            {
                8, 10, 12, 19, 20, 59, 60, 61, 200, metadataEnd - 1, metadataEnd, metadataEnd + 4,
                layout.WeightsStart, layout.WeightsStart + 100, content.Length / 2,
                content.Length - 33, content.Length - 32, content.Length - 1,
            };

            foreach (int cut in cuts)
            {
                var error = LoadFails(content[..cut], temp.File($"cut{cut}.aemodel"));

                Assert.True(error.ErrorId is "ModelFileTruncated" or "ModelFileChecksumMismatch", $"cut at {cut}: {error.ErrorId}");
            }
        }

        [Fact]
        public void OneFlippedByteInTheMiddleFailsTheChecksum()
        {
            byte[] content = File.ReadAllBytes(SavedReference());
            int middle = content.Length / 2;
            Assert.True(middle > ModelFileLayout.MetadataStart, "the middle must lie past the header and its length fields");
            content[middle] ^= 0x01;

            var error = LoadFails(content, temp.File("flipped.aemodel"));

            Assert.Equal("ModelFileChecksumMismatch", error.ErrorId);
        }

        [Fact]
        public void OneFlippedByteInTheWeightsFailsTheChecksum()
        {
            byte[] content = File.ReadAllBytes(SavedReference());
            var layout = ModelFileLayout.Parse(content);
            content[layout.WeightsStart + layout.Weights.Length / 2] ^= 0x01;

            var error = LoadFails(content, temp.File("weights-flipped.aemodel"));

            Assert.Equal("ModelFileChecksumMismatch", error.ErrorId);
        }

        [Fact]
        public void FlippedBytesInTheMetadataOrTheChecksumFailTheChecksum()
        {
            byte[] content = File.ReadAllBytes(SavedReference());
            foreach (int position in new[] { ModelFileLayout.MetadataStart + 30, content.Length - 1, content.Length - 32 })
            {
                var copy = (byte[])content.Clone();
                copy[position] ^= 0x80;

                var error = LoadFails(copy, temp.File($"flip{position}.aemodel"));

                Assert.Equal("ModelFileChecksumMismatch", error.ErrorId);
            }
        }

        [Fact]
        public void NewerFormatVersionThrowsTooNewBeforeTheChecksum()
        {
            byte[] content = File.ReadAllBytes(SavedReference());
            BitConverter.TryWriteBytes(content.AsSpan(ModelFileLayout.VersionOffset, 2), (ushort)99);

            var error = LoadFails(content, temp.File("v99.aemodel"));

            Assert.Equal("ModelFileTooNew", error.ErrorId);
            Assert.Contains("99", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void VersionZeroIsCorrupt()
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            layout.Version = 0;

            Assert.Equal("ModelFileCorrupt", LoadFails(layout.Pack(), temp.File("v0.aemodel")).ErrorId);
        }

        [Fact]
        public void RepackedUnchangedFileLoads()
        {
            // Guards the forging helper the next tests rely on: an untouched repack must load.
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            string path = temp.File("repacked.aemodel");
            File.WriteAllBytes(path, layout.Pack());

            using var loaded = ModelFile.Load(path);

            Assert.Equal(Trained.Threshold, loaded.Threshold);
        }

        [Theory]
        [InlineData("{ this is not json")]
        [InlineData("null")]
        [InlineData("[1, 2, 3]")]
        public void UnreadableMetadataWithAValidChecksumIsCorrupt(string metadata)
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            layout.MetadataText = metadata;

            Assert.Equal("ModelFileCorrupt", LoadFails(layout.Pack(), temp.File("json.aemodel")).ErrorId);
        }

        [Theory]
        [InlineData("threshold-nan")]
        [InlineData("no-features")]
        [InlineData("feature-removed")]
        [InlineData("duplicate-feature")]
        [InlineData("hidden-zero")]
        [InlineData("hidden-changed")]
        [InlineData("unknown-activation")]
        [InlineData("scale-zero")]
        public void InconsistentMetadataWithAValidChecksumIsCorrupt(string change)
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            var metadata = JsonNode.Parse(layout.MetadataText)!.AsObject();
            var features = metadata["Features"]!.AsArray();
            switch (change)
            {
                case "threshold-nan": metadata["Threshold"] = "NaN"; break;
                case "no-features": metadata["Features"] = new JsonArray(); break;
                case "feature-removed": features.RemoveAt(features.Count - 1); break;
                case "duplicate-feature": features[1]!["Name"] = (string)features[0]!["Name"]!; break;
                case "hidden-zero": metadata["HiddenLayers"] = new JsonArray(8, 0); break;
                case "hidden-changed": metadata["HiddenLayers"] = new JsonArray(8, 4); break;
                case "unknown-activation": metadata["Activation"] = "Swish"; break;
                case "scale-zero": features[0]!["Scale"] = 0.0; break;
            }
            layout.MetadataText = metadata.ToJsonString();

            var error = LoadFails(layout.Pack(), temp.File($"{change}.aemodel"));

            Assert.Equal("ModelFileCorrupt", error.ErrorId);
        }

        [Fact]
        public void GarbageWeightsWithAValidChecksumAreCorrupt()
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            var garbage = new byte[layout.Weights.Length];
            new Random(82).NextBytes(garbage);
            layout.Weights = garbage;

            Assert.Equal("ModelFileCorrupt", LoadFails(layout.Pack(), temp.File("garbage.aemodel")).ErrorId);
        }

        [Fact]
        public void NonFiniteWeightsWithAValidChecksumAreCorrupt()
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            using (var network = new AutoencoderNetwork(Trained.Architecture!))
            using (var buffer = new MemoryStream())
            {
                using (torch.no_grad())
                    network.parameters().Last().fill_(float.NaN);
                network.save(buffer);
                layout.Weights = buffer.ToArray();
            }

            var error = LoadFails(layout.Pack(), temp.File("nan.aemodel"));

            Assert.Equal("ModelFileCorrupt", error.ErrorId);
            Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(long.MaxValue)]
        [InlineData(-1L)]
        [InlineData(0L)]
        [InlineData(1L)]
        public void ImpossibleSectionLengthsAreRejectedBeforeParsing(long metadataLength)
        {
            byte[] content = File.ReadAllBytes(SavedReference());
            BitConverter.TryWriteBytes(content.AsSpan(ModelFileLayout.MetadataLengthOffset, 8), metadataLength);

            var error = LoadFails(content, temp.File("length.aemodel"));

            Assert.Equal("ModelFileTruncated", error.ErrorId);
        }
    }
}
