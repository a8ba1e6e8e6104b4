using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using TorchSharp;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Engine.Numerics;

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
        public void AFilesWindowSizeIsReadFromItsMetadataAlone()
        {
            // Register-AnomalyScoringTask tells a row model from a time-series one without building a network.
            Assert.Null(ModelFile.WindowSizeOf(SavedReference()));
            var settings = new ModelSettings(new[] { 8, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 2, windowSize: 5, timeProperty: "Time");
            var records = Enumerable.Range(0, 60).Select(i => new TestRecord(("Time", new DateTime(2026, 3, 2).AddMinutes(5 * i)), ("cpu", 50 + 10 * Math.Sin(i / 4.0)))).ToList();
            using var windowed = WindowedTraining.Train(settings, records, new[] { "cpu" }, new TrainingOptions { Epochs = 1, BatchSize = 16 });
            string path = temp.File("windowed.aemodel");
            ModelFile.Save(windowed, path);
            Assert.Equal(5, ModelFile.WindowSizeOf(path));
            File.WriteAllText(temp.File("not-a-model.aemodel"), "stand-in");
            Assert.Throws<ModelFileException>(() => ModelFile.WindowSizeOf(temp.File("not-a-model.aemodel")));
        }

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
            Assert.Equal(ModelFile.FleetWideFormatVersion, BitConverter.ToUInt16(content, ModelFileLayout.VersionOffset));
            Assert.Equal(0, BitConverter.ToUInt16(content, 10));
            Assert.Equal(SHA256.HashData(content.AsSpan(0, content.Length - 32)), content[^32..]);
            var layout = ModelFileLayout.Parse(content);
            var metadata = JsonNode.Parse(layout.MetadataText)!.AsObject();
            Assert.Equal(ModelFile.FleetWideFormatVersion, (int)metadata["FormatVersion"]!);
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
        [InlineData("scale-negative")]
        [InlineData("offset-infinite")]
        [InlineData("input-removed")]
        [InlineData("input-added")]
        [InlineData("training-error-nan")]
        [InlineData("unknown-role")]
        [InlineData("contamination-too-large")]
        public void InconsistentMetadataWithAValidChecksumIsCorrupt(string change)
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedReference()));
            var metadata = layout.MetadataJson;
            var features = ModelFileLayout.FeaturesOf(metadata);
            var inputs = ModelFileLayout.InputsOf(metadata);
            switch (change)
            {
                case "threshold-nan": metadata["Threshold"] = "NaN"; break;
                case "no-features": metadata["Features"] = new JsonArray(); break;
                case "feature-removed": features.RemoveAt(features.Count - 1); break;
                case "duplicate-feature": features[1]!["Name"] = (string)features[0]!["Name"]!; break;
                case "hidden-zero": metadata["HiddenLayers"] = new JsonArray(8, 0); break;
                case "hidden-changed": metadata["HiddenLayers"] = new JsonArray(8, 4); break;
                case "unknown-activation": metadata["Activation"] = "Swish"; break;
                case "scale-zero": inputs[0]!["Scale"] = 0.0; break;
                case "scale-negative": inputs[2]!["Scale"] = -1.0; break;
                case "offset-infinite": inputs[1]!["Offset"] = "-Infinity"; break;
                case "input-removed": inputs.RemoveAt(inputs.Count - 1); break;
                case "input-added": inputs.Add(JsonNode.Parse("{\"Name\":\"extra\",\"Offset\":0,\"Scale\":1}")); break;
                case "training-error-nan": metadata["TrainingErrors"]!.AsArray()[0] = "NaN"; break;
                case "unknown-role": features[0]!["Role"] = "Ordinal"; break;
                case "contamination-too-large": metadata["ThresholdMethod"] = "Contamination"; metadata["ThresholdValue"] = 0.9; break;
            }
            layout.MetadataJson = metadata;

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

        // ---- Models with categorical, timestamp and numeric features --------------------------------------

        private MixedCase Mixed => fixture.Mixed;

        private string SavedMixed(string name = "mixed.aemodel")
        {
            string path = temp.File(name);
            ModelFile.Save(Mixed.Model, path);
            return path;
        }

        [Fact]
        public void AMixedModelRoundTripsWithItsRolesCategoriesMediansAndIgnoredColumns()
        {
            var original = Mixed.Model;

            using var loaded = ModelFile.Load(SavedMixed());

            var (a, b) = (original.Schema!, loaded.Schema!);
            Assert.Equal(a.Names, b.Names);
            Assert.Equal(a.Width, b.Width);
            Assert.Equal(a.SlotNames, b.SlotNames);
            Assert.Equal(a.SlotKinds, b.SlotKinds);
            for (int c = 0; c < a.Count; c++)
            {
                var (x, y) = (a.Columns[c], b.Columns[c]);
                Assert.Equal(x.Role, y.Role);
                Assert.Equal(x.Categories, y.Categories);
                Assert.Equal(x.Median, y.Median);
                Assert.Equal(x.Mode, y.Mode);
                Assert.Equal(x.Statistics!.Count, y.Statistics!.Count);
                Assert.Equal(x.Statistics.Missing, y.Statistics.Missing);
                Assert.Equal(x.Statistics.Min, y.Statistics.Min);
                Assert.Equal(x.Statistics.Max, y.Statistics.Max);
                Assert.Equal(x.Statistics.Mean, y.Statistics.Mean);
                Assert.Equal(x.Statistics.StandardDeviation, y.Statistics.StandardDeviation);
                Assert.Equal(x.Statistics.Distinct, y.Statistics.Distinct);
                Assert.Equal(x.Statistics.First, y.Statistics.First);
                Assert.Equal(x.Statistics.Last, y.Statistics.Last);
            }
            Assert.Equal(new[] { ColumnRole.Timestamp, ColumnRole.Categorical, ColumnRole.Categorical, ColumnRole.Numeric, ColumnRole.Numeric, ColumnRole.Numeric },
                b.Columns.Select(c => c.Role));
            Assert.Equal(MessyData.Hosts.OrderBy(h => h, StringComparer.Ordinal), b.Columns[1].Categories);
            Assert.NotNull(b.Columns[b.IndexOf("cpu")].Median);
            Assert.Equal(a.Ignored.Select(i => (i.Name, i.Reason)), b.Ignored.Select(i => (i.Name, i.Reason)));
            Assert.Equal(new[] { "id", "message" }, b.Ignored.Select(i => i.Name));

            Assert.Equal(ScalingMethod.Robust, loaded.Scaling);
            Assert.Equal(original.Scaler!.Offset, loaded.Scaler!.Offset);
            Assert.Equal(original.Scaler.Scale, loaded.Scaler.Scale);
            Assert.True(loaded.Settings.TimeFeatures);
            Assert.Equal(OutputActivationKind.Linear, loaded.Architecture!.OutputActivation);
            Assert.Equal(ThresholdMethod.Contamination, loaded.ThresholdRule.Method);
            Assert.Equal(0.05, loaded.ThresholdRule.Value);
            Assert.Equal(original.Threshold, loaded.Threshold);
            Assert.Equal(original.ThresholdSource, loaded.ThresholdSource);
            Assert.Equal(original.TrainingErrors, loaded.TrainingErrors);
        }

        [Fact]
        public void AMixedModelScoresIdenticallyAfterLoadingIncludingImputedRows()
        {
            using var loaded = ModelFile.Load(SavedMixed());
            // Training rows hold gaps; the loaded schema must impute the same medians and modes.
            var records = Mixed.Training.Take(200).Concat(Mixed.HeldOut).ToList();
            var original = Mixed.Model;

            var before = original.Score(records.Select(r => Mixed.Featurize(r)).ToList());
            var imputedBefore = new List<string>();
            var imputedAfter = new List<string>();
            var after = loaded.Score(records.Select(r =>
            {
                var row = new double[loaded.Schema!.Width];
                loaded.Schema.Featurize(r, MixedCase.Culture, row, MissingValuePolicy.Impute, imputedAfter);
                Mixed.Featurize(r, imputedBefore);
                return row;
            }).ToList());

            Assert.NotEmpty(imputedAfter);
            Assert.Equal(imputedBefore, imputedAfter);
            ScoreAssert.Identical(before, after);
            for (int i = 0; i < before.Length; i++)
                Assert.Equal(before[i].Explain(3, MixedCase.Culture), after[i].Explain(3, MixedCase.Culture));
        }

        [Fact]
        public void MixedMetadataListsRolesIgnoredColumnsAndTheScalingOfEveryInput()
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedMixed()));
            var metadata = layout.MetadataJson;
            var schema = Mixed.Model.Schema!;

            var features = ModelFileLayout.FeaturesOf(metadata);
            Assert.Equal(schema.Names, features.Select(f => (string)f!["Name"]!));
            Assert.Equal(new[] { "Timestamp", "Categorical", "Categorical", "Numeric", "Numeric", "Numeric" }, features.Select(f => (string)f!["Role"]!));
            Assert.Equal(MessyData.Hosts.OrderBy(h => h, StringComparer.Ordinal), features[1]!["Categories"]!.AsArray().Select(c => (string)c!));
            Assert.Equal(schema.Columns[3].Median, (double)features[3]!["Median"]!);
            Assert.Equal(new[] { "id", "message" }, metadata["IgnoredColumns"]!.AsArray().Select(i => (string)i!["Name"]!));
            Assert.All(metadata["IgnoredColumns"]!.AsArray(), i => Assert.False(string.IsNullOrEmpty((string)i!["Reason"]!)));
            Assert.True((bool)metadata["TimeFeatures"]!);

            var inputs = ModelFileLayout.InputsOf(metadata);
            Assert.Equal(schema.Width, inputs.Count);
            Assert.Equal(schema.SlotNames, inputs.Select(i => (string)i!["Name"]!));
            for (int j = 0; j < inputs.Count; j++)
            {
                double offset = (double)inputs[j]!["Offset"]!, scale = (double)inputs[j]!["Scale"]!;
                Assert.Equal(Mixed.Model.Scaler!.Offset[j], offset);
                Assert.Equal(Mixed.Model.Scaler.Scale[j], scale);
                if (schema.SlotKinds[j] == SlotKind.OneHot) { Assert.Equal(0.0, offset); Assert.Equal(1.0, scale); }
                if (schema.SlotKinds[j] == SlotKind.Cyclic) { Assert.Equal(-1.0, offset); Assert.Equal(2.0, scale); }
            }
            Assert.Equal("Robust", (string)metadata["Scaling"]!);
            Assert.Equal(Mixed.Model.TrainingErrors.Count, metadata["TrainingErrors"]!.AsArray().Count);
            Assert.Equal(Mixed.Model.ThresholdSource, (string)metadata["ThresholdSource"]!);
        }

        [Theory]
        [InlineData("categories-emptied")]
        [InlineData("category-removed")]
        [InlineData("role-changed")]
        public void InconsistentMixedMetadataWithAValidChecksumIsCorrupt(string change)
        {
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(SavedMixed()));
            var metadata = layout.MetadataJson;
            var host = ModelFileLayout.FeaturesOf(metadata)[1]!;
            switch (change)
            {
                case "categories-emptied": host["Categories"] = new JsonArray(); break;           // a categorical column that can't be featurized
                case "category-removed": host["Categories"]!.AsArray().RemoveAt(0); break;      // one input fewer than the scaling lists
                case "role-changed": ModelFileLayout.FeaturesOf(metadata)[0]!["Role"] = "Numeric"; break; // 1 input instead of 4
            }
            layout.MetadataJson = metadata;

            Assert.Equal("ModelFileCorrupt", LoadFails(layout.Pack(), temp.File($"{change}.aemodel")).ErrorId);
        }

        [Fact]
        public void ARecalibratedThresholdIsSaved()
        {
            string path = temp.File("recalibrated.aemodel");
            using (var model = ModelFile.Load(SavedMixed()))
            {
                model.SetThreshold(new ThresholdRule(ThresholdMethod.Percentile, 97.5));
                ModelFile.Save(model, path);
            }

            using var loaded = ModelFile.Load(path);

            Assert.Equal(ThresholdMethod.Percentile, loaded.ThresholdRule.Method);
            Assert.Equal(97.5, loaded.ThresholdRule.Value);
            Assert.Equal(Statistics.Percentile(Mixed.Model.TrainingErrors, 97.5), loaded.Threshold);
            Assert.Contains("stored errors", loaded.ThresholdSource, StringComparison.Ordinal);
            Assert.NotEqual(Mixed.Model.ThresholdSource, loaded.ThresholdSource);
        }

        [Fact]
        public void AThresholdRecalibratedOnNewRowsNamesThemAfterLoading()
        {
            string path = temp.File("new-rows.aemodel");
            using (var model = ModelFile.Load(SavedMixed()))
            {
                model.SetThreshold(new ThresholdRule(ThresholdMethod.Percentile, 90), model.TrainingErrors.Take(50).ToArray());
                ModelFile.Save(model, path);
            }

            using var loaded = ModelFile.Load(path);

            Assert.Equal(ThresholdErrors.NewRows, loaded.ThresholdRule.Errors);
            Assert.Equal("90th percentile of the errors of new normal rows: flags about 10% of normal rows", loaded.ThresholdRule.ToString());
            Assert.StartsWith(loaded.ThresholdRule + "; errors of 50 new rows", loaded.ThresholdSource, StringComparison.Ordinal);
        }

        [Theory]
        // As Set-AutoencoderThreshold and SetThreshold wrote the source before the file said which errors: the rule
        // named the training errors whatever they were.
        [InlineData("90th percentile of training errors: flags about 10% of normal rows; 490 new normal rows, 2026-12-07 04:54 UTC",
            "NewRows", "90th percentile of the errors of new normal rows: flags about 10% of normal rows; 490 new normal rows, 2026-12-07 04:54 UTC")]
        [InlineData("90th percentile of training errors: flags about 10% of normal rows; errors of 60 new rows, recalibrated 2026-12-07 04:54 UTC",
            "NewRows", "90th percentile of the errors of new normal rows: flags about 10% of normal rows; errors of 60 new rows, recalibrated 2026-12-07 04:54 UTC")]
        [InlineData("90th percentile of training errors: flags about 10% of normal rows; stored errors of 300 training rows, recalibrated 2026-12-07 04:54 UTC",
            "Training", "90th percentile of training errors: flags about 10% of normal rows; stored errors of 300 training rows, recalibrated 2026-12-07 04:54 UTC")]
        public void AFileSavedBeforeTheRuleNamedItsErrorsReadsThemFromItsSource(string source, string errors, string sourceRead)
        {
            string saved = temp.File("recalibrated-before.aemodel");
            using (var model = ModelFile.Load(SavedMixed()))
            {
                model.SetThreshold(new ThresholdRule(ThresholdMethod.Percentile, 90), null, source);
                ModelFile.Save(model, saved);
            }
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(saved));
            var metadata = layout.MetadataJson;
            Assert.False(metadata.ContainsKey("ThresholdErrors")); // as the files saved before it
            string path = temp.File("before.aemodel");
            File.WriteAllBytes(path, layout.Pack());

            using var loaded = ModelFile.Load(path);

            Assert.Equal(Enum.Parse<ThresholdErrors>(errors), loaded.ThresholdRule.Errors);
            Assert.Equal(sourceRead, loaded.ThresholdSource);
        }

        [Fact]
        public void ALoadedModelCanBeTrainedFurther()
        {
            using var loaded = ModelFile.Load(SavedMixed());
            var schema = loaded.Schema!;
            var rows = Mixed.HeldOut.Select(r =>
            {
                var row = new double[schema.Width];
                schema.Featurize(r, MixedCase.Culture, row);
                return row;
            }).ToList();
            int epochs = loaded.Training!.Epochs;

            loaded.Train(schema, rows, MixedCase.Options(epochs: 3), continueTraining: true);

            Assert.Same(schema, loaded.Schema);
            Assert.Equal(epochs + 3, loaded.Training!.Epochs);
            Assert.Equal(2, loaded.Training.Runs);
            string path = temp.File("further.aemodel");
            ModelFile.Save(loaded, path);
            using var again = ModelFile.Load(path);
            Assert.Equal(epochs + 3, again.Training!.Epochs);
            ScoreAssert.Identical(loaded.Score(rows), again.Score(rows));
        }
    }
}
