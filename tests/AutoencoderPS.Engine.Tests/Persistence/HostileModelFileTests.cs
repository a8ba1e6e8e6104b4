using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using AutoencoderPS.Engine.Tests.Support;
using TorchSharp;
using Xunit;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A corpus of hostile model files generated in code (issue 8), each rejected with its own ErrorId and a message
    /// that names what is wrong, and never by allocating what a forged header or metadata asks for. Complements
    /// <see cref="ModelFileTests"/>, which covers flipped bytes, garbage weights and inconsistent metadata.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class HostileModelFileTests : IDisposable
    {
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public HostileModelFileTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose() => temp.Dispose();

        private byte[] Reference => ModelFile.Serialize(fixture.Reference.Model);

        private static ModelFileException Rejected(byte[] content) =>
            Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(content, "hostile.aemodel"));

        private ModelFileException RejectedFromDisk(byte[] content, string name)
        {
            string path = temp.File(name);
            File.WriteAllBytes(path, content);
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Equal(path, error.Path);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            return error;
        }

        private static byte[] Forge(byte[] content, Action<JsonObject> change)
        {
            var layout = ModelFileLayout.Parse(content);
            var metadata = layout.MetadataJson;
            change(metadata);
            layout.MetadataJson = metadata;
            return layout.Pack();
        }

        // ---- Truncation -------------------------------------------------------------------------------------

        [Fact]
        public void EveryPrefixOfTheFileIsTruncatedNotChecksumOrCorrupt()
        {
            byte[] content = Reference;
            Assert.True(content.Length < 200_000, $"the reference file is {content.Length} bytes; the loop below reads every prefix");
            var wrong = new List<string>();
            for (int cut = 0; cut < content.Length; cut++)
            {
                var error = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(content.AsSpan(0, cut).ToArray(), "cut.aemodel"));
                if (error.ErrorId != "ModelFileTruncated") wrong.Add($"{cut}: {error.ErrorId} {error.Message}");
            }
            Assert.Empty(wrong);
        }

        [Theory]
        [InlineData("empty")]
        [InlineData("inside-magic")]
        [InlineData("after-magic")]
        [InlineData("after-version")]
        [InlineData("after-reserved")]
        [InlineData("inside-metadata-length")]
        [InlineData("after-metadata-length")]
        [InlineData("inside-metadata")]
        [InlineData("after-metadata")]
        [InlineData("inside-weights-length")]
        [InlineData("after-weights-length")]
        [InlineData("inside-weights")]
        [InlineData("after-weights")]
        [InlineData("inside-checksum")]
        public void TruncatedAtASectionBoundaryIsTruncatedAndSaysSo(string where)
        {
            byte[] content = Reference;
            var layout = ModelFileLayout.Parse(content);
            int metadataEnd = ModelFileLayout.MetadataStart + layout.Metadata.Length;
            int cut = where switch
            {
                "empty" => 0,
                "inside-magic" => 5,
                "after-magic" => 8,
                "after-version" => 10,
                "after-reserved" => 12,
                "inside-metadata-length" => 15,
                "after-metadata-length" => ModelFileLayout.MetadataStart,
                "inside-metadata" => ModelFileLayout.MetadataStart + layout.Metadata.Length / 3,
                "after-metadata" => metadataEnd,
                "inside-weights-length" => metadataEnd + 3,
                "after-weights-length" => layout.WeightsStart,
                "inside-weights" => layout.WeightsStart + layout.Weights.Length / 2,
                "after-weights" => layout.WeightsStart + layout.Weights.Length,
                "inside-checksum" => content.Length - 16,
                _ => throw new ArgumentException(where),
            };

            var error = RejectedFromDisk(content[..cut], $"{where}.aemodel");

            Assert.Equal("ModelFileTruncated", error.ErrorId);
            Assert.Contains("truncated", error.Message, StringComparison.OrdinalIgnoreCase);
        }

        [Fact]
        public void TrailingBytesAfterTheChecksumAreRejected()
        {
            byte[] content = Reference.Concat(new byte[] { 0, 1, 2, 3 }).ToArray();

            var error = Rejected(content);

            Assert.Equal("ModelFileTruncated", error.ErrorId);
            Assert.Contains("weights section declares", error.Message, StringComparison.Ordinal);
        }

        // ---- Header fields ------------------------------------------------------------------------------------

        [Theory]
        [InlineData(0)]
        [InlineData(7)]
        public void AChangedSignatureByteIsForeignNotAChecksumError(int position)
        {
            byte[] content = Reference;
            content[position] ^= 0x20;

            var error = RejectedFromDisk(content, "magic.aemodel");

            Assert.Equal("ModelFileForeign", error.ErrorId);
            Assert.Contains("signature", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(ModelFile.FormatVersion + 1)]
        [InlineData(ushort.MaxValue)]
        public void AFutureFormatVersionWithAValidChecksumIsTooNew(int version)
        {
            var layout = ModelFileLayout.Parse(Reference);
            layout.Version = (ushort)version;

            var error = RejectedFromDisk(layout.Pack(), "future.aemodel");

            Assert.Equal("ModelFileTooNew", error.ErrorId);
            Assert.Contains($"format version {version}", error.Message, StringComparison.Ordinal);
            Assert.Contains("Update AutoencoderPS", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(64L * 1024 * 1024 + 1)]   // just over the metadata cap
        [InlineData(int.MaxValue + 1L)]
        [InlineData(long.MinValue)]
        [InlineData(-20L)]
        public void AnImpossibleMetadataLengthIsRefusedBeforeAnythingIsAllocated(long declared)
        {
            byte[] content = Reference;
            BitConverter.TryWriteBytes(content.AsSpan(ModelFileLayout.MetadataLengthOffset, 8), declared);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Rejected(content);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal("ModelFileTruncated", error.ErrorId);
            Assert.Contains($"declares {declared} bytes", error.Message, StringComparison.Ordinal);
            Assert.True(allocated < 1024 * 1024, $"rejecting the file allocated {allocated} bytes");
        }

        [Theory]
        [InlineData(-1L)]
        [InlineData(0L)]
        [InlineData(long.MaxValue)]
        [InlineData(long.MinValue)]
        [InlineData(1L)]
        public void AnImpossibleWeightsLengthIsRefusedBeforeAnythingIsAllocated(long declared)
        {
            byte[] content = Reference;
            var layout = ModelFileLayout.Parse(content);
            int weightsLengthOffset = ModelFileLayout.MetadataStart + layout.Metadata.Length;
            BitConverter.TryWriteBytes(content.AsSpan(weightsLengthOffset, 8), declared);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Rejected(content);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal("ModelFileTruncated", error.ErrorId);
            Assert.Contains($"weights section declares {declared} bytes", error.Message, StringComparison.Ordinal);
            Assert.True(allocated < 1024 * 1024, $"rejecting the file allocated {allocated} bytes");
        }

        [Fact]
        public void AFileLargerThanAnyModelIsRefusedWithoutReadingIt()
        {
            string path = temp.File("huge.aemodel");
            using (var file = new FileStream(path, FileMode.CreateNew))
            {
                file.Write(Reference, 0, 64);
                file.SetLength(ModelFile.MaxFileBytes + 1);   // sparse: costs no disk space
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal("ModelFileTooLarge", error.ErrorId);
            Assert.Contains((ModelFile.MaxFileBytes + 1).ToString("N0"), error.Message, StringComparison.Ordinal);
            Assert.True(allocated < 1024 * 1024, $"refusing the file allocated {allocated} bytes");
        }

        // ---- Metadata with a valid checksum -----------------------------------------------------------------

        [Theory]
        [InlineData("hidden-billion", "Hidden layer widths")]
        [InlineData("hidden-negative", "Hidden layer widths")]
        [InlineData("hidden-widest-allowed", "more than a model file may hold")]
        [InlineData("hidden-deep", "more than a model file may hold")]
        [InlineData("hidden-plausible-but-not-these-weights", "weights section holds")]
        [InlineData("inputs-many", "more than training ever keeps")]
        [InlineData("hidden-null", "null")]
        [InlineData("features-null", "null")]
        [InlineData("inputs-null", "null")]
        [InlineData("feature-entry-null", "null")]
        [InlineData("feature-name-null", "null")]
        [InlineData("duplicate-feature-other-case", "more than once")]
        [InlineData("metadata-string", "JSON object")]
        [InlineData("metadata-number", "JSON object")]
        [InlineData("metadata-empty", "metadata")]
        [InlineData("hidden-not-numbers", "metadata is not valid")]
        [InlineData("metadata-nested-deep", "metadata is not valid")]
        public void OversizedOrMalformedMetadataWithAValidChecksumIsCorruptAndNamesTheProblem(string change, string says)
        {
            byte[] content = Reference;
            byte[] forged = change switch
            {
                "metadata-string" => Repack(content, "\"AEPS\""),
                "metadata-number" => Repack(content, "42"),
                "metadata-empty" => Repack(content, " "),
                "metadata-nested-deep" => Repack(content, "{\"Features\":" + new string('[', 100_000) + new string(']', 100_000) + "}"),
                _ => Forge(content, metadata =>
                {
                    var features = ModelFileLayout.FeaturesOf(metadata);
                    switch (change)
                    {
                        case "hidden-billion": metadata["HiddenLayers"] = new JsonArray(1_000_000_000); break;
                        case "hidden-negative": metadata["HiddenLayers"] = new JsonArray(8, -3); break;
                        case "hidden-widest-allowed": metadata["HiddenLayers"] = new JsonArray(65536, 65536); break;
                        case "hidden-deep": metadata["HiddenLayers"] = new JsonArray(Enumerable.Repeat(0, 40).Select(_ => (JsonNode)JsonValue.Create(4096)!).ToArray()); break;
                        case "hidden-plausible-but-not-these-weights": metadata["HiddenLayers"] = new JsonArray(64, 32); break;
                        case "inputs-many":
                            // 5,000 one-hot slots: a width taken from the metadata, checked against the weights before a network is built.
                            var categories = new JsonArray(Enumerable.Range(0, 4999).Select(i => (JsonNode)JsonValue.Create($"c{i}")!).ToArray());
                            features.Add(new JsonObject { ["Name"] = "hostile", ["Role"] = "Categorical", ["Categories"] = categories, ["Mode"] = "c0" });
                            foreach (var c in categories.Select(c => (string)c!).Append("(other)"))
                                ModelFileLayout.InputsOf(metadata).Add(new JsonObject { ["Name"] = "hostile=" + c, ["Offset"] = 0.0, ["Scale"] = 1.0 });
                            break;
                        case "hidden-null": metadata["HiddenLayers"] = null; break;
                        case "features-null": metadata["Features"] = null; break;
                        case "inputs-null": metadata["Inputs"] = null; break;
                        case "feature-entry-null": features[0] = null; break;
                        case "feature-name-null": features[0]!["Name"] = null; break;
                        case "duplicate-feature-other-case": features[1]!["Name"] = ((string)features[0]!["Name"]!).ToUpperInvariant(); break;
                        case "hidden-not-numbers": metadata["HiddenLayers"] = new JsonArray("8", "3"); break;
                        default: throw new ArgumentException(change);
                    }
                }),
            };

            var error = RejectedFromDisk(forged, $"{change}.aemodel");

            // The message is the metadata check's, which runs before any network is built.
            Assert.Equal("ModelFileCorrupt", error.ErrorId);
            Assert.Contains(says, error.Message, StringComparison.OrdinalIgnoreCase);
        }

        private static byte[] Repack(byte[] content, string metadata)
        {
            var layout = ModelFileLayout.Parse(content);
            layout.MetadataText = metadata;
            return layout.Pack();
        }

        // ---- Duplicate keys (a JSON reader would keep the last value silently) ---------------------------------

        /// <summary>
        /// Metadata texts with one key twice. Built as text from the reference metadata (a JsonObject can't hold a key
        /// twice): <c>{"Threshold":1E+300,</c> put in front of the original object repeats its Threshold, for example.
        /// </summary>
        [Theory]
        [InlineData("threshold-twice", "Threshold", "at the top level")]
        [InlineData("inputs-twice", "Inputs", "at the top level")]
        [InlineData("hidden-layers-twice", "HiddenLayers", "at the top level")]
        [InlineData("threshold-other-case", "threshold", "at the top level")]
        [InlineData("threshold-escaped", "Threshold", "at the top level")]
        [InlineData("features-twice-same-value", "Features", "at the top level")]
        [InlineData("feature-name-twice", "Name", "in $.Features[0]")]
        [InlineData("feature-role-twice-last-entry", "Role", "in $.Features[last]")]
        [InlineData("input-scale-twice", "Scale", "in $.Inputs[1]")]
        [InlineData("statistics-key-twice", "Count", "in $.Features[0].Statistics")]
        [InlineData("training-key-twice", "Epochs", "in $.Training")]
        [InlineData("unknown-key-twice", "Payload", "at the top level")]
        [InlineData("unknown-nested-key-twice", "Command", "in $.Payload[1]")]
        public void MetadataThatNamesAKeyTwiceIsRefusedAndNamesTheKey(string change, string key, string where)
        {
            var layout = ModelFileLayout.Parse(Reference);
            var metadata = layout.MetadataJson;
            int lastFeature = ModelFileLayout.FeaturesOf(metadata).Count - 1;
            string original = metadata.ToJsonString();
            string forged = change switch
            {
                "threshold-twice" => "{\"Threshold\":1E+300," + original[1..],
                "inputs-twice" => "{\"Inputs\":[]," + original[1..],
                "hidden-layers-twice" => original[..^1] + ",\"HiddenLayers\":[100000,100000]}",
                "threshold-other-case" => original[..^1] + ",\"threshold\":0}",
                "threshold-escaped" => original[..^1] + ",\"Thr\\u0065shold\":0}",
                "unknown-key-twice" => original[..^1] + ",\"Payload\":1,\"Payload\":2}",
                "unknown-nested-key-twice" => original[..^1] + ",\"Payload\":[0,{\"Command\":\"a\",\"Command\":\"b\"}]}",
                "features-twice-same-value" => original[..^1] + ",\"Features\":" + metadata["Features"]!.ToJsonString() + "}",
                _ => Nested(metadata, change, lastFeature),
            };
            Assert.NotEqual(original, forged);
            layout.MetadataText = forged;

            var error = RejectedFromDisk(layout.Pack(), $"{change}.aemodel");

            Assert.Equal("ModelFileDuplicateKey", error.ErrorId);
            Assert.Contains($"key '{key}' more than once", error.Message, StringComparison.Ordinal);
            Assert.Contains(where.Replace("[last]", $"[{lastFeature}]"), error.Message, StringComparison.Ordinal);
        }

        // Repeats a key inside a nested object: the object is serialized, its first key repeated in front of it.
        private static string Nested(JsonObject metadata, string change, int lastFeature)
        {
            var features = ModelFileLayout.FeaturesOf(metadata);
            var (target, duplicate) = change switch
            {
                "feature-name-twice" => (features[0]!.AsObject(), "\"Name\":\"evil\""),
                "feature-role-twice-last-entry" => (features[lastFeature]!.AsObject(), "\"Role\":\"Numeric\""),
                "input-scale-twice" => (ModelFileLayout.InputsOf(metadata)[1]!.AsObject(), "\"Scale\":1e-300"),
                "statistics-key-twice" => (Statistics(features[0]!.AsObject()), "\"Count\":-1"),
                "training-key-twice" => (metadata["Training"]!.AsObject(), "\"Epochs\":0"),
                _ => throw new ArgumentException(change),
            };
            const string marker = "\"__duplicate_marker__\":0";
            target["__duplicate_marker__"] = 0;
            string text = metadata.ToJsonString();
            // The marker is the target's last key; put the duplicate beside it, then the marker goes.
            return text.Replace("," + marker, "," + duplicate, StringComparison.Ordinal);
        }

        // The reference model's features carry no statistics; give the first one some to repeat a key in.
        private static JsonObject Statistics(JsonObject feature)
        {
            var statistics = new JsonObject { ["Count"] = 600, ["Missing"] = 0 };
            feature["Statistics"] = statistics;
            return statistics;
        }

        [Fact]
        public void KeysThatRepeatInDifferentObjectsAreNotDuplicates()
        {
            // Every feature has a Name and every input a Scale: the check is per object, so the reference loads.
            var layout = ModelFileLayout.Parse(Reference);
            Assert.True(ModelFileLayout.FeaturesOf(layout.MetadataJson).Count > 1);

            using var loaded = ModelFile.Deserialize(layout.Pack(), "unique");

            Assert.Equal(fixture.Reference.Model.Threshold, loaded.Threshold);
        }

        [Fact]
        public void TheReferenceWeightsSectionIsWithinThePlausibleOverheadOfItsParameters()
        {
            // Guards the plausibility bounds: the real TorchSharp state is the float32 values plus a small overhead.
            var layout = ModelFileLayout.Parse(Reference);
            long values = fixture.Reference.Model.ParameterCount!.Value * sizeof(float);
            long overhead = layout.Weights.Length - values;
            Assert.InRange(overhead, 1, 64 + 12 * 512);
            ModelFile.CheckWeightsPlausible(fixture.Reference.Model.Architecture!, layout.Weights.Length);
            Assert.Throws<InvalidDataException>(() => ModelFile.CheckWeightsPlausible(fixture.Reference.Model.Architecture!, values - 1));
        }

        [Fact]
        public void MixedModelsPassThePlausibilityCheck()
        {
            using var loaded = ModelFile.Deserialize(ModelFile.Serialize(fixture.Mixed.Model), "mixed");
            Assert.Equal(fixture.Mixed.Model.ParameterCount, loaded.ParameterCount);
        }

        [Theory]
        [InlineData(float.NaN, "NaN")]
        [InlineData(float.PositiveInfinity, "infinite")]
        [InlineData(float.NegativeInfinity, "infinite")]
        public void ANonFiniteValueInTheFirstLayerWithAValidChecksumIsCorrupt(float value, string says)
        {
            var layout = ModelFileLayout.Parse(Reference);
            using (var network = new AutoencoderNetwork(fixture.Reference.Model.Architecture!))
            using (var buffer = new MemoryStream())
            {
                using (torch.no_grad())
                    network.parameters().First()[0, 0] = torch.tensor(value);
                network.save(buffer);
                layout.Weights = buffer.ToArray();
            }

            var error = RejectedFromDisk(layout.Pack(), "nonfinite.aemodel");

            Assert.Equal("ModelFileCorrupt", error.ErrorId);
            Assert.Contains(says, error.Message, StringComparison.Ordinal);
            Assert.Contains("encoder", error.Message, StringComparison.Ordinal);
        }

        // ---- No code from the file --------------------------------------------------------------------------

        [Fact]
        public void TypeNamesInTheMetadataAreIgnoredNeverInstantiated()
        {
            const string hostileType = "AutoencoderPS.Engine.Tests.HostileModelFileTests+Tripwire, AutoencoderPS.Engine.Tests";
            Tripwire.Constructed = 0;
            byte[] forged = Forge(Reference, metadata =>
            {
                metadata["$type"] = hostileType;
                metadata["Training"]!["$type"] = hostileType;
                ModelFileLayout.FeaturesOf(metadata)[0]!["$type"] = hostileType;
                ModelFileLayout.FeaturesOf(metadata)[0]!["Statistics"] = new JsonObject { ["$type"] = hostileType, ["Count"] = 1 };
                metadata["Payload"] = new JsonObject { ["$type"] = hostileType, ["Command"] = "rm -rf /" };
            });

            using var loaded = ModelFile.Deserialize(forged, "typed");

            Assert.Equal(0, Tripwire.Constructed);
            Assert.Equal(fixture.Reference.Model.Threshold, loaded.Threshold);
            ScoreAssert.Identical(fixture.Reference.Model.Score(fixture.Reference.HeldOut), loaded.Score(fixture.Reference.HeldOut));
        }

        /// <summary>A type a polymorphic deserializer would build if it honoured "$type"; it never must.</summary>
        public sealed class Tripwire
        {
            public static int Constructed;
            public Tripwire() { Constructed++; }
            public string Command { set => throw new InvalidOperationException("a type name from a model file was instantiated: " + value); }
        }
    }
}
