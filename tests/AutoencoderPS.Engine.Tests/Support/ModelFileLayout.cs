using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// Reads and writes the model file layout independently of the engine, so tests can inspect a file
    /// and forge ones with a valid checksum but bad content:
    /// magic (8) | version (uint16) | reserved (uint16) | metadata length (int64) | metadata | weights length (int64) | weights | SHA-256 (32).
    /// The metadata is JSON: "Features" (one per feature column: Name, Role, Categories, Median, Mode, Statistics),
    /// "IgnoredColumns" (Name, Reason), and "Inputs" (one per network input, in slot order: Name, Offset, Scale),
    /// besides the settings, threshold (Threshold, ThresholdMethod, ThresholdValue, ThresholdSource, TrainingErrors)
    /// and training summary.
    /// </summary>
    internal sealed class ModelFileLayout
    {
        public const int VersionOffset = 8;
        public const int MetadataLengthOffset = 12;
        public const int MetadataStart = 20;
        public const int HashSize = 32;

        public ushort Version { get; set; }
        public byte[] Metadata { get; set; } = Array.Empty<byte>();
        public byte[] Weights { get; set; } = Array.Empty<byte>();

        public string MetadataText
        {
            get => Encoding.UTF8.GetString(Metadata);
            set => Metadata = Encoding.UTF8.GetBytes(value);
        }

        /// <summary>The metadata as a JSON object; assigning it rewrites <see cref="Metadata"/>.</summary>
        public JsonObject MetadataJson
        {
            get => JsonNode.Parse(MetadataText)!.AsObject();
            set => MetadataText = value.ToJsonString();
        }

        /// <summary>The feature columns of a metadata object.</summary>
        public static JsonArray FeaturesOf(JsonObject metadata) => metadata["Features"]!.AsArray();

        /// <summary>The network inputs (slots) with their scaling, of a metadata object.</summary>
        public static JsonArray InputsOf(JsonObject metadata) => metadata["Inputs"]!.AsArray();

        public static ModelFileLayout Parse(byte[] content)
        {
            if (Encoding.ASCII.GetString(content, 0, 8) != "AEPSMODL") throw new InvalidDataException("not a model file");
            ushort version = BitConverter.ToUInt16(content, VersionOffset);
            int metadataLength = checked((int)BitConverter.ToInt64(content, MetadataLengthOffset));
            int weightsLengthOffset = MetadataStart + metadataLength;
            int weightsLength = checked((int)BitConverter.ToInt64(content, weightsLengthOffset));
            int weightsStart = weightsLengthOffset + 8;
            if (weightsStart + weightsLength + HashSize != content.Length) throw new InvalidDataException("lengths do not add up");
            return new ModelFileLayout
            {
                Version = version,
                Metadata = content.AsSpan(MetadataStart, metadataLength).ToArray(),
                Weights = content.AsSpan(weightsStart, weightsLength).ToArray(),
            };
        }

        /// <summary>Offset of the first weights byte in a file with this layout.</summary>
        public int WeightsStart => MetadataStart + Metadata.Length + 8;

        public byte[] Pack()
        {
            using var output = new MemoryStream();
            using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Encoding.ASCII.GetBytes("AEPSMODL"));
                writer.Write(Version);
                writer.Write((ushort)0);
                writer.Write((long)Metadata.Length);
                writer.Write(Metadata);
                writer.Write((long)Weights.Length);
                writer.Write(Weights);
            }
            byte[] hash = SHA256.HashData(output.ToArray());
            output.Write(hash, 0, hash.Length);
            return output.ToArray();
        }

        /// <summary>
        /// Saves <paramref name="model"/> to <paramref name="path"/>, then rewrites the file with its metadata edited by
        /// <paramref name="edit"/> and the format <paramref name="version"/> (a file of an older module, or a forged one).
        /// </summary>
        public static string Forge(AutoencoderPS.Engine.Modeling.AutoencoderModel model, string path, Action<JsonObject> edit, ushort version)
        {
            AutoencoderPS.Engine.Persistence.ModelFile.Save(model, path);
            var layout = Parse(File.ReadAllBytes(path));
            var metadata = layout.MetadataJson;
            edit(metadata);
            layout.MetadataJson = metadata;
            layout.Version = version;
            File.WriteAllBytes(path, layout.Pack());
            return path;
        }
    }
}
