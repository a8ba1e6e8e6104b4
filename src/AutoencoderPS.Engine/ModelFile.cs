using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoencoderPS.Engine
{
    /// <summary>
    /// The model file: everything scoring needs, in one file.
    /// <code>
    /// magic "AEPSMODL" (8) | format version (uint16) | reserved (uint16)
    /// metadata length (int64) | metadata (UTF-8 JSON: schema, scaling, architecture, threshold, versions)
    /// weights length (int64)  | weights (TorchSharp state)
    /// SHA-256 of every byte before it (32)
    /// </code>
    /// Lengths are checked against the file's size, and the checksum is verified, before anything is parsed.
    /// </summary>
    public static class ModelFile
    {
        public const int FormatVersion = 1;
        public const string Extension = ".aemodel";
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("AEPSMODL");
        private const int HeaderSize = 8 + 2 + 2;
        private const int HashSize = 32;
        private const long MaxMetadataBytes = 64L * 1024 * 1024;

        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter() },
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };

        public static string ModuleVersion =>
            typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(ModelFile).Assembly.GetName().Version?.ToString() ?? "unknown";

        /// <summary>Writes a trained model atomically: an interrupted write leaves any previous file intact.</summary>
        public static void Save(AutoencoderModel model, string path)
        {
            byte[] content = Serialize(model);
            AtomicFile.Write(path, stream => stream.Write(content, 0, content.Length));
        }

        public static byte[] Serialize(AutoencoderModel model)
        {
            byte[] weights = null!;
            ModelMetadata metadata = null!;
            model.WithNetwork(network =>
            {
                metadata = ModelMetadata.From(model);
                using var buffer = new MemoryStream();
                network.save(buffer);
                weights = buffer.ToArray();
            });
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);

            using var output = new MemoryStream();
            using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write((ushort)FormatVersion);
                writer.Write((ushort)0);
                writer.Write((long)json.Length);
                writer.Write(json);
                writer.Write((long)weights.Length);
                writer.Write(weights);
            }
            byte[] hash = SHA256.HashData(output.GetBuffer().AsSpan(0, (int)output.Length));
            output.Write(hash, 0, hash.Length);
            return output.ToArray();
        }

        /// <summary>Reads and validates a model file; throws <see cref="ModelFileException"/> naming what is wrong.</summary>
        public static AutoencoderModel Load(string path)
        {
            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new ModelFileException("ModelFileNotFound", path, $"Model file '{path}' does not exist.", e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ModelFileException("ModelFileUnreadable", path, $"Model file '{path}' could not be read: {e.Message}", e);
            }
            return Deserialize(content, path);
        }

        public static AutoencoderModel Deserialize(byte[] content, string path)
        {
            ModelFileException Invalid(string id, string what) => new ModelFileException(id, path, $"'{path}' is not a usable model file: {what}");

            if (content.Length < Magic.Length && Magic.AsSpan(0, content.Length).SequenceEqual(content))
                throw Invalid("ModelFileTruncated", $"it is only {content.Length} bytes long, too short to hold a model.");
            if (content.Length < Magic.Length || !content.AsSpan(0, Magic.Length).SequenceEqual(Magic))
                throw Invalid("ModelFileForeign", "it does not start with the AutoencoderPS model signature (is it a model file at all?).");
            if (content.Length < HeaderSize + 8 + 8 + HashSize)
                throw Invalid("ModelFileTruncated", $"it is only {content.Length} bytes long, too short to hold a model.");
            int version = BitConverter.ToUInt16(content, 8);
            if (version > FormatVersion)
                throw Invalid("ModelFileTooNew", $"it has format version {version}, but this module reads up to version {FormatVersion}. Update AutoencoderPS.");
            if (version < 1)
                throw Invalid("ModelFileCorrupt", $"it declares format version {version}, which never existed.");

            long position = HeaderSize;
            long metadataLength = BitConverter.ToInt64(content, (int)position);
            position += 8;
            if (metadataLength <= 0 || metadataLength > MaxMetadataBytes || metadataLength > content.Length - position - 8 - HashSize)
                throw Invalid("ModelFileTruncated", $"its metadata section declares {metadataLength} bytes, more than the file holds (truncated or corrupt).");
            long metadataStart = position;
            position += metadataLength;
            long weightsLength = BitConverter.ToInt64(content, (int)position);
            position += 8;
            if (weightsLength <= 0 || weightsLength != content.Length - position - HashSize)
                throw Invalid("ModelFileTruncated", $"its weights section declares {weightsLength} bytes but {content.Length - position - HashSize} remain (truncated or corrupt).");
            long weightsStart = position;

            byte[] expected = SHA256.HashData(content.AsSpan(0, content.Length - HashSize));
            if (!expected.AsSpan().SequenceEqual(content.AsSpan(content.Length - HashSize)))
                throw Invalid("ModelFileChecksumMismatch", "its checksum does not match its content (the file is corrupt or was modified).");

            ModelMetadata metadata;
            try
            {
                metadata = JsonSerializer.Deserialize<ModelMetadata>(content.AsSpan((int)metadataStart, (int)metadataLength), Json)
                    ?? throw new JsonException("empty metadata");
            }
            catch (JsonException e)
            {
                throw Invalid("ModelFileCorrupt", $"its metadata is not valid ({e.Message}).");
            }

            try
            {
                return metadata.ToModel(network =>
                {
                    using var weights = new MemoryStream(content, (int)weightsStart, (int)weightsLength, writable: false);
                    network.load(weights, strict: true);
                    foreach (var (name, parameter) in network.named_parameters())
                    {
                        using var finite = parameter.isfinite().all();
                        if (!finite.item<bool>())
                            throw new InvalidDataException($"weights '{name}' hold NaN or infinite values");
                    }
                });
            }
            catch (TorchRuntimeException)
            {
                throw;
            }
            catch (Exception e) when (e is not ModelFileException)
            {
                throw new ModelFileException("ModelFileCorrupt", path, $"'{path}' is not a usable model file: {e.Message}", e);
            }
        }

        /// <summary>The JSON part of the file. Property names are the file format: keep them stable.</summary>
        internal sealed class ModelMetadata
        {
            public int FormatVersion { get; set; }
            public string ModuleVersion { get; set; } = "";
            public string TorchSharpVersion { get; set; } = "";
            public string LibTorchVersion { get; set; } = "";
            public DateTime SavedUtc { get; set; }
            public int Seed { get; set; }
            public int[] HiddenLayers { get; set; } = Array.Empty<int>();
            public ActivationKind Activation { get; set; }
            public OutputActivationKind OutputActivation { get; set; }
            public string[] RequestedFeatures { get; set; } = Array.Empty<string>();
            public string[] ExcludedFeatures { get; set; } = Array.Empty<string>();
            public bool TimeFeatures { get; set; }
            public List<FeatureMetadata> Features { get; set; } = new List<FeatureMetadata>();
            public List<IgnoredMetadata> IgnoredColumns { get; set; } = new List<IgnoredMetadata>();
            public List<SlotMetadata> Inputs { get; set; } = new List<SlotMetadata>();
            public ScalingMethod Scaling { get; set; }
            public LossKind Loss { get; set; }
            public ThresholdMethod ThresholdMethod { get; set; }
            public double ThresholdValue { get; set; }
            public double Threshold { get; set; }
            public string ThresholdSource { get; set; } = "";
            public double[] TrainingErrors { get; set; } = Array.Empty<double>();
            public TrainingSummary? Training { get; set; }

            public static ModelMetadata From(AutoencoderModel model)
            {
                var schema = model.Schema!;
                var scaler = model.Scaler!;
                return new ModelMetadata
                {
                    FormatVersion = ModelFile.FormatVersion,
                    ModuleVersion = ModelFile.ModuleVersion,
                    TorchSharpVersion = TorchRuntime.TorchSharpVersion,
                    LibTorchVersion = TorchRuntime.LibTorchVersion,
                    SavedUtc = DateTime.UtcNow,
                    Seed = model.Settings.Seed,
                    HiddenLayers = model.Settings.HiddenLayers.ToArray(),
                    Activation = model.Settings.Activation,
                    OutputActivation = model.Settings.OutputActivation,
                    RequestedFeatures = model.Settings.Features.ToArray(),
                    ExcludedFeatures = model.Settings.ExcludeFeatures.ToArray(),
                    TimeFeatures = model.Settings.TimeFeatures,
                    Features = schema.Columns.Select(c => new FeatureMetadata
                    {
                        Name = c.Name,
                        Role = c.Role,
                        Categories = c.Categories.ToArray(),
                        Median = c.Median,
                        Mode = c.Mode,
                        Statistics = c.Statistics,
                    }).ToList(),
                    IgnoredColumns = schema.Ignored.Select(i => new IgnoredMetadata { Name = i.Name, Reason = i.Reason }).ToList(),
                    Inputs = schema.SlotNames.Select((name, j) => new SlotMetadata
                    {
                        Name = name,
                        Offset = scaler.Offset[j],
                        Scale = scaler.Scale[j],
                    }).ToList(),
                    Scaling = scaler.Method,
                    Loss = model.Loss,
                    ThresholdMethod = model.ThresholdRule.Method,
                    ThresholdValue = model.ThresholdRule.Value,
                    Threshold = model.Threshold,
                    ThresholdSource = model.ThresholdSource,
                    TrainingErrors = model.TrainingErrors.ToArray(),
                    Training = model.Training,
                };
            }

            public AutoencoderModel ToModel(Action<TorchSharp.torch.nn.Module> loadWeights)
            {
                if (Features.Count == 0) throw new InvalidDataException("it lists no features");
                if (double.IsNaN(Threshold) || double.IsInfinity(Threshold)) throw new InvalidDataException($"its threshold {Threshold} is not a finite number");
                if (TrainingErrors.Any(e => !double.IsFinite(e))) throw new InvalidDataException("its training errors hold values that are not finite numbers");
                var settings = new ModelSettings(HiddenLayers, Activation, OutputActivation, RequestedFeatures, ExcludedFeatures, Seed, TimeFeatures);
                var schema = new FeatureSchema(
                    Features.Select(f => new FeatureColumn(f.Name, f.Role, f.Categories, f.Median, f.Mode, f.Statistics)),
                    IgnoredColumns.Select(i => new IgnoredColumn(i.Name, i.Reason)));
                if (!schema.IsFitted) throw new InvalidDataException("a categorical feature lists no categories");
                if (Inputs.Count != schema.Width)
                    throw new InvalidDataException($"it scales {Inputs.Count} network inputs but its features need {schema.Width}");
                var scaler = new FeatureScaler(Scaling, Inputs.Select(f => f.Offset).ToArray(), Inputs.Select(f => f.Scale).ToArray());
                var architecture = new NetworkArchitecture(schema.Width, HiddenLayers, Activation, OutputActivation);
                var rule = new ThresholdRule(ThresholdMethod, ThresholdValue);
                return AutoencoderModel.Restore(settings, schema, scaler, architecture, Loss, rule, Threshold, ThresholdSource, TrainingErrors, Training, loadWeights);
            }
        }

        internal sealed class FeatureMetadata
        {
            public string Name { get; set; } = "";
            public ColumnRole Role { get; set; }
            public string[] Categories { get; set; } = Array.Empty<string>();
            public double? Median { get; set; }
            public string? Mode { get; set; }
            public ColumnStatistics? Statistics { get; set; }
        }

        internal sealed class IgnoredMetadata
        {
            public string Name { get; set; } = "";
            public string Reason { get; set; } = "";
        }

        /// <summary>One network input and its scaling.</summary>
        internal sealed class SlotMetadata
        {
            public string Name { get; set; } = "";
            public double Offset { get; set; }
            public double Scale { get; set; }
        }
    }
}
