using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Persistence
{
    /// <summary>A model file is missing, truncated, corrupt, foreign or from a newer format.</summary>
    public sealed class ModelFileException : AutoencoderException
    {
        public ModelFileException(string errorId, string path, string message, Exception? inner = null)
            : base(errorId, message, inner)
        {
            Path = path;
        }

        public string Path { get; }
    }

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
        // 2: optional sliding-window fields (WindowSize, TimeProperty, GroupBy, MaxGap, UsualInterval, GroupIntervals);
        // a version-1 file has none of them and loads as a row model.
        // 3: robust training (Training.Robust, TrimmedShare, ContaminationEstimated) and the NormalPercentile threshold rule;
        // a version-1 or 2 file has none of them and loads as trained without trimming (TrimmedShare 0).
        // 4: the training range of RobustSigmoid's curved inputs (Inputs[].Low, High), which scoring adds as the distance
        // beyond it; a file before version 4 has none and scores by the reconstruction error alone, as it did.
        // 5: continual learning (LearnEvery, LearningUpdates, LearningPending, LearningSeen, LearningReservoir: the setting, the
        // updates made, the rows (windows) waiting for the next one, and the sample of normal rows replayed against forgetting);
        // a file before version 5 has none and loads with learning off, as it scored.
        // 6: a sliding-window model's stuck-value rule (Features[].HeldRun: the most consecutive training rows in which a
        // numeric feature held one value); a file before version 6 has none and scores by the reconstruction error alone.
        // The optional HeldGroups (each group's runs) came later within version 6: a reader without it judges all groups alike.
        // 7: each feature's weight in the score (Features[].ErrorWeight, Modeling.ErrorWeights): the threshold and the training
        // errors are in weighted units, so a reader that ignored the weights would misjudge every row; a file before version
        // 7 has none and scores every input alike, as it did.
        // 8: a sliding-window model's cumulative counters (Features[].Counter, Features.Windows.CounterRates): the network
        // was trained on their rates, so a reader that fed their levels would misjudge every row; a file before version 8
        // has none.
        // 9: a sliding-window model's count-burst rule (Features[].CountMean, CountSize: a sparse count's fitted window total;
        // CountGroups: each group's, when training had several; Modeling.CountBursts); a file before version 9 has none and
        // scores by the error and the stuck values alone, as it did. Added within version 9: the limits those rates give
        // (Features[].CountLimit, CountGroups[].Limits), so loading computes none (a reader without them computes the same);
        // and Features[].CountPending, a sparse count training saw no event of, whose rate an -Incremental run with events
        // learns (a reader without it, as a file before it, leaves such a feature unwatched for good, as before: scoring is
        // the same either way). Also within version 9: LogWindowInterval, the interval of the log windows a model was
        // trained on (ConvertTo-LogWindow -Model refuses another); a reader without it, as a file before it, checks none.
        // And RowsPerStep, GroupRowsPerStep: a time grid's rows to a cell where more than one (a joined export), whose
        // verdicts count a day of rows, not of steps; a reader without them, as a file before them, counts steps.
        // And the calendar of a sliding-window model's time property (-TimeFeatures): a Timestamp feature named as
        // TimeProperty (FeatureSchema.WindowTime), no new field. A reader before it reads that feature by its name, the
        // same column and the same encoding, so it scores the same rows alike (a perfmon export named after another zone
        // than training's aside: such a reader finds no column of that name).
        // And TimeFeaturesAutomatic: -TimeFeatures was not given and the week-shape gate decided the effective TimeFeatures
        // from the training rows; a reader without it reads TimeFeatures as given, the same schema and scores.
        // 10: scaling per group (ScalePerGroup, ScaleGroups: each group's offset, scale and training range per input;
        // Features.GroupScaling): the network was trained on each group's rows in that group's units, so a reader that
        // scaled them fleet-wide would misjudge every row; a file before version 10 has none and scales fleet-wide, as it did.
        // Within 10, LearningPendingGroups and LearningReservoirGroups: such a model that learns while it scores keeps each
        // window's group (a module before them refused a model scaled per group that learns, and refuses such a file).
        // 11: the long steps of irregular series (LongSteps, LongStepsAll: Features.Windows.LongSteps): a gap up to a group's
        // long step keeps its window whole, so a reader that broke windows at 2.5 usual intervals would leave most of such a
        // series' rows unscored; a file before version 11 has none, as every model of regular series.
        public const int FormatVersion = 11;

        /// <summary>
        /// The version a model's file is written as: the lowest that holds it, so a module that reads only up to 9 still
        /// reads every model but one scaled per group (what version 10 adds) or of irregular series (what 11 adds), as it
        /// read them before.
        /// </summary>
        public const int FleetWideFormatVersion = 9;

        /// <summary>The version of a model scaled per group (of regular series).</summary>
        public const int GroupScaledFormatVersion = 10;

        internal static int VersionOf(AutoencoderModel model) =>
            !model.LongSteps.IsEmpty ? FormatVersion
            : model.Settings.ScalePerGroup || model.GroupScaling != null ? GroupScaledFormatVersion : FleetWideFormatVersion;
        public const string Extension = ".aemodel";
        private static readonly byte[] Magic = Encoding.ASCII.GetBytes("AEPSMODL");
        private const int HeaderSize = 8 + 2 + 2;
        private const int HashSize = 32;
        private const long MaxMetadataBytes = 64L * 1024 * 1024;

        /// <summary>
        /// The most trainable parameters a model file may hold (400 MB of float32 weights). A file whose metadata
        /// implies more is refused before any network is built, so a forged header can't make Import allocate gigabytes.
        /// </summary>
        public const long MaxParameters = NetworkArchitecture.MaxParameters;

        // The TorchSharp state adds a little to the raw float32 values: an entry count, and per tensor its name,
        // element type and shape. Generous bounds; the real overhead is well under 100 bytes a tensor.
        private const long WeightsBaseOverhead = 64;
        private const long WeightsOverheadPerTensor = 512;

        /// <summary>The largest file Import reads at all: the largest metadata and weights, with the header and checksum.</summary>
        public const long MaxFileBytes = HeaderSize + 8 + MaxMetadataBytes + 8 + MaxParameters * 4 + 1024 * 1024 + HashSize;

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
        public static void Save(AutoencoderModel model, string path) => Save(model, path, null);

        /// <summary>
        /// As <see cref="Save(AutoencoderModel, string)"/>; <paramref name="openTemporary"/> opens the temporary file
        /// (tests simulate a full disk with it). A failed write throws <see cref="ModelFileException"/> <see cref="ErrorIds.ModelFileWriteFailed"/>
        /// and leaves any previous file intact, with no temporary file left behind.
        /// </summary>
        public static void Save(AutoencoderModel model, string path, Func<string, Stream>? openTemporary)
        {
            byte[] content = Serialize(model);
            try
            {
                if (openTemporary == null) AtomicFile.Write(path, stream => stream.Write(content, 0, content.Length));
                else AtomicFile.Write(path, stream => stream.Write(content, 0, content.Length), openTemporary);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ModelFileException(ErrorIds.ModelFileWriteFailed, path,
                    $"Could not write the model to '{path}': {e.Message} Any previous file there is unchanged.", e);
            }
        }

        // The model's metadata and weights, read together under its lock.
        private static (ModelMetadata Metadata, byte[] Weights) Snapshot(AutoencoderModel model)
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
            return (metadata, weights);
        }

        public static byte[] Serialize(AutoencoderModel model)
        {
            var (metadata, weights) = Snapshot(model);
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(metadata, Json);
            long parameters = model.ParameterCount ?? 0;
            if (json.Length > MaxMetadataBytes || parameters > MaxParameters)
                throw new ModelFileException(ErrorIds.ModelTooLargeToSave, "",
                    $"The model is too large for a model file ({parameters:N0} parameters, {json.Length:N0} bytes of metadata; " +
                    $"at most {MaxParameters:N0} and {MaxMetadataBytes:N0}), so it could not be imported again.");

            using var output = new MemoryStream();
            using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write((ushort)metadata.FormatVersion);
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

        /// <summary>
        /// SHA-256 (hex) of what a model scores and learns by: its metadata (without the time it was saved, the module's and
        /// libraries' versions and the format version) and its weights.
        /// Two loads of one model file have the same fingerprint; a retrained or changed model has another.
        /// </summary>
        public static string Fingerprint(AutoencoderModel model)
        {
            var (metadata, weights) = Snapshot(model);
            // Not what the model scores by: when it was saved, and by which module, libraries and file format (an upgrade
            // of the module must not throw away what a scheduled job has learned).
            metadata.SavedUtc = default;
            metadata.FormatVersion = 0;
            metadata.ModuleVersion = metadata.TorchSharpVersion = metadata.LibTorchVersion = "";
            // Nor the count limits: what the count rates and intervals (covered) give, kept so loading computes none. A model
            // from a file written before they were kept is the same model, and must keep its fingerprint (a job's learned state).
            foreach (var feature in metadata.Features) feature.CountLimit = null;
            foreach (var group in metadata.CountGroups ?? new List<CountGroupMetadata>()) group.Limits = null;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
            hash.AppendData(weights);
            return Convert.ToHexString(hash.GetHashAndReset());
        }

        /// <summary>Reads and validates a model file; throws <see cref="ModelFileException"/> naming what is wrong.</summary>
        public static AutoencoderModel Load(string path) => Deserialize(Read(path), path);

        /// <summary>
        /// A model file's bytes, read with the size check that comes before anything else (a huge file is refused, not
        /// read into memory); throws <see cref="ModelFileException"/> when the file is missing, unreadable or too large.
        /// </summary>
        public static byte[] Read(string path)
        {
            byte[] content;
            // A FIFO would block the open for good (Ctrl+C can't end it, and the scheduled job would hang before its lock).
            try { SafeFile.RequireRegularInput(path, "model file"); }
            catch (NotARegularFileException e) { throw new ModelFileException(ErrorIds.NotARegularFile, path, e.Message, e); }
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                long length = file.Length;
                // The file's size is checked before it is read into memory: a huge file is refused, not loaded.
                if (length > MaxFileBytes)
                    throw new ModelFileException(ErrorIds.ModelFileTooLarge, path,
                        $"'{path}' is not a usable model file: it is {length:N0} bytes long, more than any model file ({MaxFileBytes:N0} bytes at most).");
                content = new byte[length];
                int read = 0;
                while (read < content.Length)
                {
                    int n = file.Read(content, read, content.Length - read);
                    if (n == 0)
                        throw new ModelFileException(ErrorIds.ModelFileTruncated, path,
                            $"'{path}' is not a usable model file: it shrank from {length} to {read} bytes while it was being read.");
                    read += n;
                }
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new ModelFileException(ErrorIds.ModelFileNotFound, path, $"Model file '{path}' does not exist.", e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ModelFileException(ErrorIds.ModelFileUnreadable, path, $"Model file '{path}' could not be read: {e.Message}", e);
            }
            return content;
        }

        /// <summary>
        /// Checks a model file's structure without loading libtorch: signature, format version, section lengths and
        /// checksum; throws <see cref="ModelFileException"/> naming what is wrong. Deserialize runs the same checks
        /// first, so a file that passes here fails later only on its metadata or weights.
        /// </summary>
        public static void Verify(byte[] content, string path) => CheckLayout(content, path);

        /// <summary>
        /// The window size of the model in <paramref name="path"/>, or null for a row model, read from its metadata alone
        /// (no network is built, so no libtorch is needed): what Register-AnomalyScoringTask says about the job's exit codes.
        /// Throws <see cref="ModelFileException"/> for a file that is not a model file.
        /// </summary>
        public static int? WindowSizeOf(string path)
        {
            var content = Read(path);
            var (metadataStart, metadataLength, _, _) = CheckLayout(content, path);
            try
            {
                using var document = JsonDocument.Parse(content.AsMemory((int)metadataStart, (int)metadataLength));
                return document.RootElement.TryGetProperty(nameof(ModelMetadata.WindowSize), out var size) && size.ValueKind == JsonValueKind.Number
                    ? size.GetInt32() : null;
            }
            catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is FormatException)
            {
                throw new ModelFileException(ErrorIds.ModelFileCorrupt, path, $"'{path}' is not a usable model file: its metadata is not valid ({e.Message}).");
            }
        }

        public static AutoencoderModel Deserialize(byte[] content, string path)
        {
            ModelFileException Invalid(string id, string what) => new ModelFileException(id, path, $"'{path}' is not a usable model file: {what}");
            var (metadataStart, metadataLength, weightsStart, weightsLength) = CheckLayout(content, path);

            ModelMetadata metadata;
            try
            {
                var text = content.AsSpan((int)metadataStart, (int)metadataLength);
                RequireJsonObject(text);
                RequireUniqueKeys(text, path);
                metadata = JsonSerializer.Deserialize<ModelMetadata>(text, Json)
                    ?? throw new JsonException("empty metadata");
            }
            catch (JsonException e)
            {
                throw Invalid(ErrorIds.ModelFileCorrupt, $"its metadata is not valid ({e.Message}).");
            }
            catch (InvalidOperationException e)
            {
                // A property name that is not valid UTF-8 (System.Text.Json can't transcode it): found by fuzzing.
                throw Invalid(ErrorIds.ModelFileCorrupt, $"its metadata is not valid UTF-8 JSON ({e.Message}).");
            }

            try
            {
                return metadata.ToModel(weightsLength, network =>
                {
                    using var weights = new MemoryStream(content, (int)weightsStart, (int)weightsLength, writable: false);
                    network.load(weights, strict: true);
                    foreach (var (name, parameter) in network.named_parameters())
                    {
                        // Dispose the two temporaries by hand: a dispose scope here would also take the parameter
                        // wrappers that the enumeration creates, and free the network's own weights.
                        using var elementwise = parameter.isfinite();
                        using var finite = elementwise.all();
                        if (!finite.item<bool>())
                            throw new InvalidDataException($"weights '{name}' hold NaN or infinite values");
                    }
                });
            }
            catch (TorchRuntimeException)
            {
                throw;
            }
            catch (AutoencoderException e) when (e.ErrorId == ErrorIds.TimeZoneInvalid)
            {
                // A sound file whose zone this system does not know (no tz data, or a zone it lacks): not a damaged file.
                throw new ModelFileException(e.ErrorId, path, $"'{path}' can't be used on this system: its time zone {e.Message}", e);
            }
            catch (Exception e) when (e is not ModelFileException)
            {
                throw new ModelFileException(ErrorIds.ModelFileCorrupt, path, $"'{path}' is not a usable model file: {e.Message}", e);
            }
        }

        // The structural checks, in the order a damaged file is most usefully described; returns where the sections lie.
        private static (long MetadataStart, long MetadataLength, long WeightsStart, long WeightsLength) CheckLayout(byte[] content, string path)
        {
            ModelFileException Invalid(string id, string what) => new ModelFileException(id, path, $"'{path}' is not a usable model file: {what}");

            if (content.Length < Magic.Length && Magic.AsSpan(0, content.Length).SequenceEqual(content))
                throw Invalid(ErrorIds.ModelFileTruncated, $"it is only {content.Length} bytes long, too short to hold a model (truncated).");
            if (content.Length < Magic.Length || !content.AsSpan(0, Magic.Length).SequenceEqual(Magic))
                throw Invalid(ErrorIds.ModelFileForeign, "it does not start with the AutoencoderPS model signature (is it a model file at all?).");
            if (content.Length < HeaderSize + 8 + 8 + HashSize)
                throw Invalid(ErrorIds.ModelFileTruncated, $"it is only {content.Length} bytes long, too short to hold a model (truncated).");
            int version = BitConverter.ToUInt16(content, 8);
            if (version > FormatVersion)
                throw Invalid(ErrorIds.ModelFileTooNew, $"it has format version {version}, but this module reads up to version {FormatVersion}. Update AutoencoderPS.");
            if (version < 1)
                throw Invalid(ErrorIds.ModelFileCorrupt, $"it declares format version {version}, which never existed.");

            long position = HeaderSize;
            long metadataLength = BitConverter.ToInt64(content, (int)position);
            position += 8;
            if (metadataLength <= 0 || metadataLength > MaxMetadataBytes || metadataLength > content.Length - position - 8 - HashSize)
                throw Invalid(ErrorIds.ModelFileTruncated, $"its metadata section declares {metadataLength} bytes, more than the file holds (truncated or corrupt).");
            long metadataStart = position;
            position += metadataLength;
            long weightsLength = BitConverter.ToInt64(content, (int)position);
            position += 8;
            if (weightsLength <= 0 || weightsLength != content.Length - position - HashSize)
                throw Invalid(ErrorIds.ModelFileTruncated, $"its weights section declares {weightsLength} bytes but {content.Length - position - HashSize} remain (truncated or corrupt).");
            long weightsStart = position;

            byte[] expected = SHA256.HashData(content.AsSpan(0, content.Length - HashSize));
            if (!expected.AsSpan().SequenceEqual(content.AsSpan(content.Length - HashSize)))
                throw Invalid(ErrorIds.ModelFileChecksumMismatch, "its checksum does not match its content (the file is corrupt or was modified).");
            return (metadataStart, metadataLength, weightsStart, weightsLength);
        }

        // Only a JSON object is metadata; "null", arrays, strings and numbers are refused with a clear reason.
        // (Type names are never read from the file: "$type" and other unknown properties are ignored, and
        // System.Text.Json builds only the fixed metadata classes below.)
        private static void RequireJsonObject(ReadOnlySpan<byte> text)
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read())
                throw new JsonException("the metadata is empty");
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException($"the metadata must be a JSON object, not {reader.TokenType}");
        }

        /// <summary>
        /// Refuses metadata in which one object names a key twice, at any depth. System.Text.Json would silently keep the
        /// last value, so a forged file could show one threshold to a reader and use another. Keys are compared after
        /// unescaping and without regard to case (a case-insensitive reader such as ConvertFrom-Json would merge them).
        /// </summary>
        private static void RequireUniqueKeys(ReadOnlySpan<byte> text, string path)
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            // One frame per open container: its keys (null for an array), and its path for the message.
            var frames = new Stack<(HashSet<string>? Keys, string Path)>();
            string pendingPath = "$";
            int arrayIndex = 0;
            var indices = new Stack<int>();
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        string containerPath = ContainerPath(frames, pendingPath, arrayIndex);
                        indices.Push(arrayIndex);
                        arrayIndex = 0;
                        frames.Push((reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.OrdinalIgnoreCase) : null, containerPath));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        arrayIndex = indices.Pop();
                        if (frames.Count > 0 && frames.Peek().Keys == null) arrayIndex++;
                        break;
                    case JsonTokenType.PropertyName:
                        var (keys, objectPath) = frames.Peek();
                        string key = reader.GetString()!;
                        if (!keys!.Add(key))
                        {
                            keys.TryGetValue(key, out string? first);
                            string where = objectPath == "$" ? "at the top level" : $"in {objectPath}";
                            string also = first == key ? "" : $" (also as '{first}')";
                            throw new ModelFileException(ErrorIds.ModelFileDuplicateKey, path,
                                $"'{path}' is not a usable model file: its metadata names the key '{key}' more than once {where}{also}, " +
                                "so which value counts is ambiguous (the file was edited or forged).");
                        }
                        pendingPath = objectPath + "." + key;
                        break;
                    default:
                        if (frames.Count > 0 && frames.Peek().Keys == null) arrayIndex++;
                        break;
                }
            }
        }

        private static string ContainerPath(Stack<(HashSet<string>? Keys, string Path)> frames, string pendingPath, int arrayIndex) =>
            frames.Count == 0 ? "$" : frames.Peek().Keys == null ? $"{frames.Peek().Path}[{arrayIndex}]" : pendingPath;

        /// <summary>
        /// Checks the network the metadata describes against the weights section before it is built: its parameter
        /// count must lie under <see cref="MaxParameters"/>, and its float32 values must fill the weights section,
        /// give or take the state's small per-tensor overhead.
        /// </summary>
        internal static void CheckWeightsPlausible(NetworkArchitecture architecture, long weightsLength)
        {
            long parameters;
            try
            {
                var widths = architecture.LayerWidths;
                parameters = 0;
                for (int i = 1; i < widths.Count; i++)
                    parameters = checked(parameters + (long)widths[i - 1] * widths[i] + widths[i]);
            }
            catch (OverflowException)
            {
                parameters = long.MaxValue;
            }
            if (parameters > MaxParameters)
                throw new InvalidDataException(
                    $"its metadata describes a network of {architecture} with {parameters:N0} parameters, more than a model file may hold ({MaxParameters:N0})");
            long tensors = 2L * (architecture.LayerWidths.Count - 1);
            long values = parameters * sizeof(float);
            if (weightsLength < values || weightsLength > values + WeightsBaseOverhead + tensors * WeightsOverheadPerTensor)
                throw new InvalidDataException(
                    $"its metadata describes a network of {architecture} with {parameters:N0} parameters ({values:N0} bytes), " +
                    $"but its weights section holds {weightsLength:N0} bytes");
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
            // The effective setting: true when the calendar was decided on from the training rows too.
            public bool TimeFeatures { get; set; }
            // -TimeFeatures was not given: the week-shape gate decided TimeFeatures (added within format version 9; absent:
            // given, as in a file written before it; a reader that does not know it reads TimeFeatures as given, the same
            // schema, so it scores alike). A retrain from scratch of the loaded model decides afresh.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? TimeFeaturesAutomatic { get; set; }
            public List<FeatureMetadata> Features { get; set; } = new List<FeatureMetadata>();
            public List<IgnoredMetadata> IgnoredColumns { get; set; } = new List<IgnoredMetadata>();
            public List<SlotMetadata> Inputs { get; set; } = new List<SlotMetadata>();
            public ScalingMethod Scaling { get; set; }
            public LossKind Loss { get; set; }
            public ThresholdMethod ThresholdMethod { get; set; }
            public double ThresholdValue { get; set; }
            public double Threshold { get; set; }
            public string ThresholdSource { get; set; } = "";
            // The errors the threshold was set from, written when they were new rows' (added within format version 9;
            // absent: the training errors, or a file saved before that its ThresholdSource says was recalibrated on new
            // rows (ThresholdErrorsOf); a reader that does not know it names the training errors, as before).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ThresholdErrors? ThresholdErrors { get; set; }
            public double[] TrainingErrors { get; set; } = Array.Empty<double>();
            public TrainingSummary? Training { get; set; }

            // Sliding windows (format version 2); absent in row models.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? WindowSize { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TimeProperty { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? GroupBy { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TimeSpan? MaxGap { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TimeSpan? UsualInterval { get; set; }
            // The interval of the log windows the model was trained on (added within format version 9; absent: not known,
            // as in a file written before it or a model of other rows).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TimeSpan? LogWindowInterval { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, TimeSpan>? GroupIntervals { get; set; }
            // The long steps of irregular series (version 11): each such group's, and that of all groups' steps.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, TimeSpan>? LongSteps { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TimeSpan? LongStepsAll { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? TimeGrid { get; set; }
            // A time grid's rows to a cell, model-wide and per group, where more than one (added within format version 9;
            // absent: one, as in a file written before it; a reader that does not know them counts a day of steps).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? RowsPerStep { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, int>? GroupRowsPerStep { get; set; }
            // The zone of times written without an offset (added within format version 6; absent: times as written, as
            // before; a reader that does not know it takes them as written, as before).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TimeZone { get; set; }

            // The stuck-value rule's runs per group (Modeling.HeldValues), when training had several groups. Added within
            // format version 6: a reader that does not know it judges every group by the features' HeldRun, as before.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<HeldGroupMetadata>? HeldGroups { get; set; }

            // The count-burst rule's rates per group (Modeling.CountBursts, format version 9), when training had several groups.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<CountGroupMetadata>? CountGroups { get; set; }

            // Scaling per group (format version 10); absent in a model scaled fleet-wide (Inputs' offsets and scales).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? ScalePerGroup { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<GroupScalingMetadata>? ScaleGroups { get; set; }

            // Continual learning (format version 5); absent when it is off.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? LearnEvery { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? LearningUpdates { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double[]? LearningPending { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? LearningSeen { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double[]? LearningReservoir { get; set; }
            // Version 10, a model scaled per group that learns: each waiting and reservoir window's group.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string?[]? LearningPendingGroups { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string?[]? LearningReservoirGroups { get; set; }

            public static ModelMetadata From(AutoencoderModel model)
            {
                var schema = model.Schema!;
                var scaler = model.Scaler!;
                var learning = model.Learning;
                bool learned = learning.Every > 0 || learning.Updates > 0;
                return new ModelMetadata
                {
                    FormatVersion = ModelFile.VersionOf(model),
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
                    TimeFeatures = model.TimeFeatures,
                    TimeFeaturesAutomatic = model.Settings.TimeFeaturesAutomatic ? true : null,
                    Features = schema.Columns.Select((c, i) => new FeatureMetadata
                    {
                        Name = c.Name,
                        Role = c.Role,
                        Categories = c.Categories.ToArray(),
                        Median = c.Median,
                        Mode = c.Mode,
                        Statistics = c.Statistics,
                        Counter = c.IsCounter ? true : null,
                        HeldRun = model.HeldValues is { } held && held.LongestRuns[i] >= 1 ? held.LongestRuns[i] : null,
                        ErrorWeight = model.ErrorWeights?.PerFeature[i],
                        CountMean = model.CountBursts?.Rates[i]?.Mean,
                        CountSize = model.CountBursts?.Rates[i]?.Size,
                        CountLimit = model.CountBursts is { } rule && rule.Rates[i] != null ? rule.Limits[i] : null,
                        CountPending = model.CountBursts?.Pending[i] == true ? true : null,
                    }).ToList(),
                    IgnoredColumns = schema.Ignored.Select(i => new IgnoredMetadata { Name = i.Name, Reason = i.Reason }).ToList(),
                    LogWindowInterval = schema.LogWindowInterval,
                    Inputs = schema.SlotNames.Select((name, j) => new SlotMetadata
                    {
                        Name = name,
                        Offset = scaler.Offset[j],
                        Scale = scaler.Scale[j],
                        Low = scaler.Low(j),
                        High = scaler.High(j),
                    }).ToList(),
                    Scaling = scaler.Method,
                    Loss = model.Loss,
                    ThresholdMethod = model.ThresholdRule.Method,
                    ThresholdValue = model.ThresholdRule.Value,
                    Threshold = model.Threshold,
                    ThresholdSource = model.ThresholdSource,
                    ThresholdErrors = model.ThresholdRule.Errors == Modeling.ThresholdErrors.Training ? null : model.ThresholdRule.Errors,
                    TrainingErrors = model.TrainingErrors.ToArray(),
                    Training = model.Training,
                    WindowSize = model.Settings.IsWindowed ? model.Settings.WindowSize : null,
                    TimeProperty = model.Settings.TimeProperty,
                    TimeZone = model.Settings.TimeZone,
                    GroupBy = model.Settings.GroupBy,
                    MaxGap = model.Settings.MaxGap,
                    UsualInterval = model.UsualInterval,
                    HeldGroups = model.HeldValues is { } rule && rule.Groups.Count > 0
                        ? rule.Groups.Select(g => new HeldGroupMetadata { Group = g.Group, Windows = g.Windows, Runs = g.Runs.ToArray() }).ToList() : null,
                    CountGroups = model.CountBursts is { } counts && counts.Groups.Count > 0
                        ? counts.Groups.Select(g => new CountGroupMetadata
                        {
                            Group = g.Group,
                            Windows = g.Windows,
                            Means = g.Rates.Select(r => r?.Mean).ToArray(),
                            Sizes = g.Rates.Select(r => r?.Size).ToArray(),
                            // With the features' limits only: a rule that watches nothing yet keeps none.
                            Limits = counts.Watches ? counts.OwnLimits(g.Group)?.ToArray() : null,
                        }).ToList() : null,
                    GroupIntervals = model.Settings.IsWindowed && model.GroupIntervals.Count > 0
                        ? new Dictionary<string, TimeSpan>(model.GroupIntervals) : null,
                    LongSteps = model.LongSteps.Groups.Count > 0 ? new Dictionary<string, TimeSpan>(model.LongSteps.Groups) : null,
                    LongStepsAll = model.LongSteps.All,
                    TimeGrid = model.Settings.TimeGrid ? true : null,
                    ScalePerGroup = model.Settings.ScalePerGroup ? true : null,
                    ScaleGroups = model.GroupScaling is { } perGroup
                        ? perGroup.Groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new GroupScalingMetadata
                        {
                            Group = g.Key,
                            Offsets = g.Value.Offset.ToArray(),
                            Scales = g.Value.Scale.ToArray(),
                            Lows = g.Value.HasRange ? Enumerable.Range(0, g.Value.Count).Select(g.Value.Low).ToArray() : null,
                            Highs = g.Value.HasRange ? Enumerable.Range(0, g.Value.Count).Select(g.Value.High).ToArray() : null,
                        }).ToList() : null,
                    RowsPerStep = model.RowsPerStep > 1 ? model.RowsPerStep : null,
                    GroupRowsPerStep = model.GroupRowsPerStep.Count > 0 ? new Dictionary<string, int>(model.GroupRowsPerStep) : null,
                    LearnEvery = learned ? learning.Every : null,
                    LearningUpdates = learned ? learning.Updates : null,
                    LearningPending = learned ? learning.Pending : null,
                    LearningSeen = learned ? learning.Seen : null,
                    LearningReservoir = learned ? learning.Reservoir : null,
                    LearningPendingGroups = learned ? learning.PendingGroups : null,
                    LearningReservoirGroups = learned ? learning.ReservoirGroups : null,
                };
            }

            // The errors of a threshold saved before the file said (ThresholdErrors): new rows' when its source says it was
            // recalibrated on them, as Set-AutoencoderThreshold ("; 490 new normal rows, ") and SetThreshold ("; errors of
            // 490 new rows, recalibrated ") wrote it; a manual threshold was set from none.
            private static ThresholdErrors ThresholdErrorsOf(ThresholdMethod method, string source) =>
                method != ThresholdMethod.Manual && RecalibratedOnNewRows.IsMatch(source) ? Modeling.ThresholdErrors.NewRows : Modeling.ThresholdErrors.Training;

            private static readonly System.Text.RegularExpressions.Regex RecalibratedOnNewRows =
                new System.Text.RegularExpressions.Regex(@"; (\d+ new normal (rows|windows), |errors of \d+ new rows, recalibrated )", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

            // Every field of the metadata, not only those the format reader needs: an enum value that does not exist (Role 99
            // would featurize as no role and flag every row) or a number that is not finite is a corrupt file.
            private void ValidateFields()
            {
                static string? Undefined<T>(T value, string what) where T : struct, Enum =>
                    Enum.IsDefined(value) ? null : $"its {what} {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)} does not exist";
                string? problem = Undefined(Activation, "activation") ?? Undefined(OutputActivation, "output activation") ?? Undefined(Scaling, "scaling")
                    ?? Undefined(Loss, "loss") ?? Undefined(ThresholdMethod, "threshold method")
                    ?? (ThresholdErrors is { } errors ? Undefined(errors, "threshold errors") : null)
                    ?? Features.Select(f => f.Problem()).FirstOrDefault(p => p != null);
                if (problem != null) throw new InvalidDataException(problem);
                if (!double.IsFinite(ThresholdValue)) throw new InvalidDataException($"its threshold value {ThresholdValue} is not a finite number");
                if (Inputs.Any(i => !double.IsFinite(i.Offset) || !double.IsFinite(i.Scale)))
                    throw new InvalidDataException("an input's scaling offset or scale is not a finite number");
                if (Inputs.Any(i => (i.Low == null) != (i.High == null) || i.Low is double l && i.High is double h && !(double.IsFinite(l) && double.IsFinite(h) && l <= h)))
                    throw new InvalidDataException("an input's training range is not two finite numbers, low to high");
                if (IgnoredColumns.Any(i => i.Reason == null)) throw new InvalidDataException("an ignored column has no reason");
            }

            public AutoencoderModel ToModel(long weightsLength, Action<TorchSharp.torch.nn.Module> loadWeights)
            {
                if (HiddenLayers == null || RequestedFeatures == null || ExcludedFeatures == null || Features == null
                    || IgnoredColumns == null || Inputs == null || TrainingErrors == null || ThresholdSource == null)
                    throw new InvalidDataException("a required metadata property is null");
                if (Features.Any(f => f == null || f.Name == null || f.Categories == null) || IgnoredColumns.Any(i => i == null || i.Name == null)
                    || Inputs.Any(i => i == null))
                    throw new InvalidDataException("a feature, ignored column or input entry is null or has no name");
                if (Features.Count == 0) throw new InvalidDataException("it lists no features");
                ValidateFields();
                if (double.IsNaN(Threshold) || double.IsInfinity(Threshold)) throw new InvalidDataException($"its threshold {Threshold} is not a finite number");
                if (TrainingErrors.Any(e => !double.IsFinite(e))) throw new InvalidDataException("its training errors hold values that are not finite numbers");
                if (Training != null && !(Training.TrimmedShare >= 0 && Training.TrimmedShare <= RobustTrimming.MaxShare))
                    throw new InvalidDataException($"its trimmed share {Training.TrimmedShare} is not between 0 and {RobustTrimming.MaxShare}");
                if (Training != null && !(Training.UnseenErrorRatio >= 1 && double.IsFinite(Training.UnseenErrorRatio)))
                    throw new InvalidDataException($"its factor for rows unseen in training {Training.UnseenErrorRatio} is not a finite number of at least 1");
                if (WindowSize != null && (WindowSize < 2 || WindowSize > ModelSettings.MaxWindowSize))
                    throw new InvalidDataException($"its window size {WindowSize} is not between 2 and {ModelSettings.MaxWindowSize}");
                if (GroupIntervals != null && GroupIntervals.Values.Any(v => v <= TimeSpan.Zero) || UsualInterval != null && UsualInterval <= TimeSpan.Zero)
                    throw new InvalidDataException("its usual intervals are not positive time spans");
                if (LongSteps != null && LongSteps.Values.Any(v => v <= TimeSpan.Zero) || LongStepsAll != null && LongStepsAll <= TimeSpan.Zero)
                    throw new InvalidDataException("its long steps are not positive time spans");
                if ((LongSteps != null || LongStepsAll != null) && (WindowSize == null || TimeGrid == true))
                    throw new InvalidDataException("it keeps long steps but is not a sliding-window model off a time grid");
                if (RowsPerStep is < 1 || GroupRowsPerStep != null && GroupRowsPerStep.Values.Any(v => v < 1))
                    throw new InvalidDataException("its rows per time step are not positive counts");
                if (LogWindowInterval != null && LogWindowInterval <= TimeSpan.Zero)
                    throw new InvalidDataException("its log windows' interval is not a positive time span");
                var settings = new ModelSettings(HiddenLayers, Activation, OutputActivation, RequestedFeatures, ExcludedFeatures, Seed,
                    TimeFeaturesAutomatic == true ? null : TimeFeatures, WindowSize ?? 1, TimeProperty, GroupBy, MaxGap, TimeGrid == true, TimeZone,
                    ScalePerGroup == true);
                // A window's keys are never features, but for the calendar of its time property (-TimeFeatures): a Timestamp
                // feature named as the time property (added within version 9; a reader without it reads that feature by
                // name, the same value, and encodes it alike). Anything else named as a key is no file this module wrote.
                var keyFeature = Features.FirstOrDefault(f => settings.WindowColumns.Contains(f.Name, StringComparer.OrdinalIgnoreCase)
                    && !(f.Role == ColumnRole.Timestamp && TimeFeatures && string.Equals(f.Name, settings.TimeProperty, StringComparison.OrdinalIgnoreCase)));
                if (keyFeature != null)
                    throw new InvalidDataException($"feature '{keyFeature.Name}' is a key of the sliding window (its time property or group), which is no feature " +
                        "but as the calendar (a timestamp feature) of the time property of a model trained with -TimeFeatures");
                var schema = new FeatureSchema(
                    Features.Select(f => new FeatureColumn(f.Name, f.Role, f.Categories, f.Median, f.Mode, f.Statistics, f.Counter == true)),
                    IgnoredColumns.Select(i => new IgnoredColumn(i.Name, i.Reason)), LogWindowInterval,
                    settings.IsWindowed && TimeFeatures ? settings.TimeProperty : null);
                if (!schema.IsFitted) throw new InvalidDataException("a categorical feature lists no categories");
                if (Inputs.Count != schema.Width)
                    throw new InvalidDataException($"it scales {Inputs.Count} network inputs but its features need {schema.Width}");
                var scaler = new FeatureScaler(Scaling, Inputs.Select(f => f.Offset).ToArray(), Inputs.Select(f => f.Scale).ToArray(), schema.SlotKinds,
                    Inputs.Select(f => f.Low).ToArray(), Inputs.Select(f => f.High).ToArray());
                var groupScaling = GroupScalingOf(scaler, schema);
                var architecture = new NetworkArchitecture(schema.Width * settings.WindowSize, HiddenLayers, Activation, OutputActivation);
                CheckWeightsPlausible(architecture, weightsLength);
                var rule = new ThresholdRule(ThresholdMethod, ThresholdValue, ThresholdErrors ?? ThresholdErrorsOf(ThresholdMethod, ThresholdSource));
                // A file saved before the rule named its errors: its source began with the rule as it read then.
                string thresholdSource = ThresholdErrors == null && rule.Errors != Modeling.ThresholdErrors.Training
                    && ThresholdSource.StartsWith(rule.On(Modeling.ThresholdErrors.Training) + ";", StringComparison.Ordinal)
                    ? rule + ThresholdSource.Substring(rule.On(Modeling.ThresholdErrors.Training).ToString().Length)
                    : ThresholdSource;
                var learning = LearnEvery == null && LearningUpdates == null && LearningPending == null && LearningSeen == null && LearningReservoir == null ? null
                    : new LearningState(LearnEvery ?? 0, LearningUpdates ?? 0, LearningPending ?? Array.Empty<double>(), LearningSeen ?? 0,
                        LearningReservoir ?? Array.Empty<double>(), LearningPendingGroups, LearningReservoirGroups);
                // Counters (version 8) are rates of a group's rows in time order: a row model has none.
                if (WindowSize == null && Features.Any(f => f.Counter == true))
                    throw new InvalidDataException("it has counters but is not a sliding-window model");
                // The stuck-value rule (version 6): every numeric feature of a sliding-window model has its run, or none has.
                HeldValues? held = null;
                if (Features.Any(f => f.HeldRun != null))
                {
                    if (WindowSize == null)
                        throw new InvalidDataException("it keeps held-value runs but is not a sliding-window model");
                    var bad = Features.FirstOrDefault(f => (f.Role == ColumnRole.Numeric) != (f.HeldRun != null) || f.HeldRun is int r && (r < 1 || r > WindowSize));
                    if (bad != null)
                        throw new InvalidDataException($"feature '{bad.Name}' has the held-value run {bad.HeldRun?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}: " +
                            $"every numeric feature of a sliding-window model has one, from 1 to the window size ({WindowSize}), and no other feature has one");
                    held = new HeldValues(schema, Features.Select(f => f.HeldRun ?? -1).ToArray(), WindowSize.Value, HeldGroupsOf(WindowSize.Value));
                }
                else if (HeldGroups != null)
                    throw new InvalidDataException("it keeps held-value runs per group but none per feature");
                // Each feature's weight in the score (version 7): every feature has one, or none has.
                ErrorWeights? weights = null;
                if (Features.Any(f => f.ErrorWeight != null))
                {
                    var bad = Features.FirstOrDefault(f => !(f.ErrorWeight is double w && w > 0 && double.IsFinite(w)));
                    if (bad != null)
                        throw new InvalidDataException($"feature '{bad.Name}' has the error weight {bad.ErrorWeight?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}: " +
                            "every feature has one, a positive finite number, or none has");
                    weights = new ErrorWeights(Features.Select(f => f.ErrorWeight!.Value).ToArray());
                }
                var counts = CountBurstsOf(schema, GroupIntervals);
                return AutoencoderModel.Restore(settings, schema, scaler, architecture, Loss, rule, Threshold, thresholdSource, TrainingErrors, Training, loadWeights,
                    GroupIntervals, UsualInterval, learning, held, weights, counts, RowsPerStep ?? 1, GroupRowsPerStep, groupScaling,
                    LongSteps != null || LongStepsAll != null
                        ? new Features.Windows.LongSteps(LongSteps ?? new Dictionary<string, TimeSpan>(StringComparer.Ordinal), LongStepsAll) : null);
            }

            // Scaling per group (version 10): every group's offsets and scales, one per input, with the fleet's method and
            // slot kinds (the FeatureScaler checks the numbers); a model scaled per group may have no group with enough rows.
            private GroupScaling? GroupScalingOf(FeatureScaler fleet, FeatureSchema schema)
            {
                if (ScalePerGroup != true)
                {
                    if (ScaleGroups != null) throw new InvalidDataException("it keeps scaling per group but is not scaled per group");
                    return null;
                }
                var groups = new Dictionary<string, FeatureScaler>(StringComparer.Ordinal);
                foreach (var g in ScaleGroups ?? new List<GroupScalingMetadata>())
                {
                    if (g?.Group == null || g.Offsets == null || g.Scales == null || g.Offsets.Length != schema.Width || g.Scales.Length != schema.Width
                        || (g.Lows == null) != (g.Highs == null) || g.Lows != null && (g.Lows.Length != schema.Width || g.Highs!.Length != schema.Width))
                        throw new InvalidDataException($"a group's scaling does not name its group or does not have one offset and scale per input ({schema.Width})");
                    if (!groups.TryAdd(g.Group, new FeatureScaler(fleet.Method, g.Offsets, g.Scales, schema.SlotKinds, g.Lows, g.Highs)))
                        throw new InvalidDataException($"group '{g.Group}' has two scalings");
                }
                return new GroupScaling(fleet, groups);
            }

            // The count-burst rule (version 9): a sliding-window model's numeric features that are not counters may have a rate
            // (a positive mean, and a positive size or none for a Poisson); its groups' rates are of the same features. The
            // limits they give (added within version 9) are kept for every rate or for none, each at least 1.
            private CountBursts? CountBurstsOf(FeatureSchema schema, Dictionary<string, TimeSpan>? groupIntervals)
            {
                static bool Usable(double? mean, double? size) => mean is double m && m > 0 && double.IsFinite(m) && (size == null || size is double s && s > 0 && double.IsFinite(s));
                bool Pending(FeatureMetadata f) => f.CountPending == true;
                if (Features.All(f => f.CountMean == null && f.CountSize == null && !Pending(f)))
                {
                    if (CountGroups != null || Features.Any(f => f.CountLimit != null))
                        throw new InvalidDataException("it keeps count rates per group, or count limits, but no count rate per feature");
                    return null;
                }
                if (WindowSize == null) throw new InvalidDataException("it keeps count rates but is not a sliding-window model");
                var bad = Features.FirstOrDefault(f => (f.CountMean != null || f.CountSize != null)
                    && (f.Role != ColumnRole.Numeric || f.Counter == true || !Usable(f.CountMean, f.CountSize)));
                if (bad != null)
                    throw new InvalidDataException($"feature '{bad.Name}' has a count rate that is not a positive mean (and a positive size or none) of a numeric feature that is no counter");
                var early = Features.FirstOrDefault(f => Pending(f) && (f.CountMean != null || f.CountSize != null || f.Role != ColumnRole.Numeric || f.Counter == true));
                if (early != null)
                    throw new InvalidDataException($"feature '{early.Name}' is a count pending its rate but has one, or is no numeric feature that is no counter");
                var rates = Features.Select(f => f.CountMean is double m ? new CountRate(m, f.CountSize) : null).ToArray();
                int[]? limits = null;
                if (Features.Any(f => f.CountLimit != null))
                {
                    var unlimited = Features.FirstOrDefault(f => (f.CountMean != null) != (f.CountLimit != null) || f.CountLimit < 1);
                    if (unlimited != null)
                        throw new InvalidDataException($"feature '{unlimited.Name}' has the count limit {unlimited.CountLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}: " +
                            "every feature with a count rate has one, at least 1, and no other feature has one");
                    limits = Features.Select(f => f.CountLimit ?? 0).ToArray();
                }
                List<CountGroup>? groups = null;
                if (CountGroups != null)
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    groups = new List<CountGroup>();
                    foreach (var g in CountGroups)
                    {
                        if (g == null || g.Group == null || g.Means == null || g.Sizes == null || g.Windows < 1 || !seen.Add(g.Group)
                            || g.Means.Length != Features.Count || g.Sizes.Length != Features.Count)
                            throw new InvalidDataException($"its count rates of group '{g?.Group}' are not one per feature of a group named once, with at least one training window");
                        for (int c = 0; c < Features.Count; c++)
                            if ((g.Means[c] != null || g.Sizes[c] != null) && (rates[c] == null || !Usable(g.Means[c], g.Sizes[c])))
                                throw new InvalidDataException($"feature '{Features[c].Name}' has a count rate in group '{g.Group}' that is not a positive mean (and a positive size or none) of a watched feature");
                        if (g.Limits != null && (g.Limits.Length != Features.Count || g.Limits.Any(l => l < 0)))
                            throw new InvalidDataException($"its count limits of group '{g.Group}' are not one per feature, none below 0");
                        groups.Add(new CountGroup(g.Group, g.Windows, g.Means.Select((m, c) => m is double mean ? new CountRate(mean, g.Sizes[c]) : null).ToArray(), g.Limits));
                    }
                }
                return new CountBursts(schema, rates, WindowSize.Value, UsualInterval, groupIntervals, groups, limits, Features.Select(Pending).ToArray());
            }

            // The per-group runs, checked as the features' own: one per feature, from 1 to the window for a number, -1 otherwise.
            private List<HeldGroup>? HeldGroupsOf(int windowSize)
            {
                if (HeldGroups == null) return null;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var groups = new List<HeldGroup>();
                foreach (var g in HeldGroups)
                {
                    if (g == null || g.Group == null || g.Runs == null || g.Windows < 1 || !seen.Add(g.Group) || g.Runs.Length != Features.Count)
                        throw new InvalidDataException($"its held-value runs of group '{g?.Group}' are not one per feature of a group named once, with at least one training window");
                    for (int c = 0; c < Features.Count; c++)
                    {
                        bool numeric = Features[c].Role == ColumnRole.Numeric;
                        int r = g.Runs[c];
                        if (numeric ? r < 1 || r > windowSize : r != -1)
                            throw new InvalidDataException(FormattableString.Invariant(
                                $"feature '{Features[c].Name}' has the held-value run {r} in group '{g.Group}': a numeric feature's run lies from 1 to the window size ({windowSize}), any other's is -1"));
                    }
                    groups.Add(new HeldGroup(g.Group, g.Windows, g.Runs));
                }
                return groups;
            }
        }

        internal sealed class CountGroupMetadata
        {
            public string Group { get; set; } = "";
            public long Windows { get; set; }
            public double?[] Means { get; set; } = Array.Empty<double?>();
            public double?[] Sizes { get; set; } = Array.Empty<double?>();

            // Per feature the limit the group's rates give (0: none), when it has a rate of its own (added within version 9).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int[]? Limits { get; set; }
        }

        internal sealed class HeldGroupMetadata
        {
            public string Group { get; set; } = "";
            public long Windows { get; set; }
            public int[] Runs { get; set; } = Array.Empty<int>();
        }

        internal sealed class FeatureMetadata
        {
            /// <summary>Null when the entry is usable; otherwise why not.</summary>
            public string? Problem()
            {
                if (!Enum.IsDefined(Role)) return $"feature '{Name}' has the role {(int)Role}, which does not exist";
                if (Median is double m && !double.IsFinite(m)) return $"feature '{Name}' has the median {m}, which is not a finite number";
                if (Counter == true && (Role != ColumnRole.Numeric || Median == null)) return $"feature '{Name}' is a counter but no numeric feature with a median";
                if (Categories.Any(c => c == null)) return $"feature '{Name}' lists a category that is null";
                if (Categories.Length > FeatureSchema.MaxCategories)
                    return $"feature '{Name}' lists {Categories.Length:N0} categories, more than training ever keeps ({FeatureSchema.MaxCategories})";
                if (Categories.Distinct(StringComparer.Ordinal).Count() != Categories.Length) return $"feature '{Name}' lists a category twice";
                return null;
            }

            public string Name { get; set; } = "";
            public ColumnRole Role { get; set; }
            public string[] Categories { get; set; } = Array.Empty<string>();
            public double? Median { get; set; }
            public string? Mode { get; set; }
            public ColumnStatistics? Statistics { get; set; }

            // A sliding-window model's cumulative counter, fed as its rate (format version 8); absent elsewhere.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Counter { get; set; }

            // A sliding-window model's stuck-value rule (format version 6): the most consecutive training rows in which
            // this numeric feature held one value (Modeling.HeldValues); absent elsewhere.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? HeldRun { get; set; }

            // The feature's weight in the score (format version 7, Modeling.ErrorWeights); absent when inputs count alike.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ErrorWeight { get; set; }

            // A sliding-window model's sparse count (format version 9, Modeling.CountBursts): its window total's fitted mean,
            // and the negative binomial's size (absent: a Poisson); absent elsewhere.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? CountMean { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? CountSize { get; set; }

            // The smallest window total that is a burst at that rate (added within version 9; absent: computed on loading).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? CountLimit { get; set; }

            // A sparse count training saw no event of: its rate is not known yet (added within version 9; absent: none).
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? CountPending { get; set; }
        }

        internal sealed class IgnoredMetadata
        {
            public string Name { get; set; } = "";
            public string Reason { get; set; } = "";
        }

        /// <summary>One network input and its scaling.</summary>
        internal sealed class GroupScalingMetadata
        {
            public string Group { get; set; } = "";
            public double[] Offsets { get; set; } = Array.Empty<double>();
            public double[] Scales { get; set; } = Array.Empty<double>();
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double?[]? Lows { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double?[]? Highs { get; set; }
        }

        internal sealed class SlotMetadata
        {
            public string Name { get; set; } = "";
            public double Offset { get; set; }
            public double Scale { get; set; }

            // The training range of a RobustSigmoid curved input (format version 4); absent elsewhere.
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Low { get; set; }
            [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? High { get; set; }
        }
    }
}
