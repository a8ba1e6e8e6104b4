using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using AutoencoderPS.Engine;
using SharpFuzz;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Fuzz
{
    /// <summary>
    /// SharpFuzz targets (issue 8), driven by AFL++ through tests/Fuzz/Invoke-Fuzz.ps1.
    /// <list type="bullet">
    /// <item><c>model</c>: the input is a whole model file for <see cref="ModelFile.Deserialize"/>.</item>
    /// <item><c>modelmeta</c>: the input is the metadata JSON; it is packed with a valid weights section, correct
    /// lengths and a correct checksum, so mutations reach the metadata and network checks behind the checksum.</item>
    /// <item><c>csv</c>: byte 0 picks the delimiter and culture, the rest is a CSV file read by <see cref="CsvSource"/>
    /// and inferred, fitted and featurized by <see cref="FeatureSchema"/>, both automatically and with a fixed
    /// numeric + categorical schema.</item>
    /// </list>
    /// Any exception other than the documented ones (ModelFileException/TorchRuntimeException for the model file,
    /// AutoencoderException/FeatureValueException for the CSV path) escapes and is a crash.
    /// Usage: <c>fuzz TARGET</c> (under afl-fuzz), <c>seed TARGET DIR</c>, <c>repro TARGET FILE...</c>.
    /// </summary>
    public static class Program
    {
        private static byte[] seedModel = Array.Empty<byte>();
        private static string csvPath = "";

        public static int Main(string[] args)
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: fuzz TARGET | seed TARGET DIR | repro TARGET FILE...   (TARGET: model, modelmeta, csv, selftest)");
                return 2;
            }
            string mode = args[0], target = args[1];
            Action<byte[]> run = target switch
            {
                "model" => ModelTarget,
                "modelmeta" => ModelMetadataTarget,
                "csv" => CsvTarget,
                // Checks the harness itself: an input starting with '!' throws, and afl-fuzz must save it as a crash.
                // (It reads the input as a number first, so that instrumented engine code runs and afl-fuzz sees coverage.)
                "selftest" => input =>
                {
                    NumberParser.TryRead(Encoding.UTF8.GetString(input), CultureInfo.InvariantCulture, out _);
                    if (input.Length > 0 && input[0] == '!') throw new InvalidOperationException("self-test crash");
                },
                _ => throw new ArgumentException($"unknown target '{target}'"),
            };

            csvPath = Path.Combine(Path.GetTempPath(), $"aeps-fuzz-{Environment.ProcessId}.csv");
            switch (mode)
            {
                case "fuzz":
                    // Instrumented engine code may run only inside Fuzzer.Run (before it, the coverage map is not
                    // mapped and the first instrumented branch faults), so the setup happens on the first input.
                    Fuzzer.Run(stream =>
                    {
                        Initialize();
                        using var buffer = new MemoryStream();
                        stream.CopyTo(buffer);
                        run(buffer.ToArray());
                    });
                    return 0;
                case "seed":
                    Initialize();
                    Directory.CreateDirectory(args[2]);
                    foreach (var (name, bytes) in Seeds(target))
                        File.WriteAllBytes(Path.Combine(args[2], name), bytes);
                    return 0;
                case "repro":
                    Initialize();
                    int crashes = 0;
                    foreach (var file in args.Skip(2))
                    {
                        try
                        {
                            run(File.ReadAllBytes(file));
                            Console.WriteLine($"{file}: accepted");
                        }
                        catch (Exception e)
                        {
                            crashes++;
                            Console.WriteLine($"{file}: CRASH {e.GetType().FullName}: {e.Message}");
                            Console.WriteLine(e.StackTrace);
                        }
                    }
                    return crashes == 0 ? 0 : 1;
                default:
                    Console.Error.WriteLine($"unknown mode '{mode}'");
                    return 2;
            }
        }

        private static void Initialize()
        {
            if (seedModel.Length > 0) return;
            TorchRuntime.EnsureLoaded();
            TorchRuntime.SetThreadCount(1);
            seedModel = BuildSeedModel();
        }

        // ---- Model file ---------------------------------------------------------------------------------------

        private static void ModelTarget(byte[] content)
        {
            try
            {
                using var model = ModelFile.Deserialize(content, "fuzz");
            }
            catch (ModelFileException) { }
            catch (TorchRuntimeException) { }
        }

        private static void ModelMetadataTarget(byte[] json) => ModelTarget(PackWithMetadata(json));

        /// <summary>The seed model's file with its metadata replaced by <paramref name="json"/>, lengths and checksum fixed.</summary>
        public static byte[] PackWithMetadata(byte[] json)
        {
            var (_, weights) = Split(seedModel);
            using var output = new MemoryStream();
            using (var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(seedModel, 0, 12);            // magic, format version, reserved
                writer.Write((long)json.Length);
                writer.Write(json);
                writer.Write((long)weights.Length);
                writer.Write(weights);
            }
            byte[] hash = SHA256.HashData(output.GetBuffer().AsSpan(0, (int)output.Length));
            output.Write(hash, 0, hash.Length);
            return output.ToArray();
        }

        private static (byte[] Metadata, byte[] Weights) Split(byte[] file)
        {
            long metadataLength = BitConverter.ToInt64(file, 12);
            var metadata = file.AsSpan(20, (int)metadataLength).ToArray();
            long weightsLength = BitConverter.ToInt64(file, 20 + (int)metadataLength);
            var weights = file.AsSpan(28 + (int)metadataLength, (int)weightsLength).ToArray();
            return (metadata, weights);
        }

        private static byte[] BuildSeedModel()
        {
            var schema = new FeatureSchema(new[]
            {
                new FeatureColumn("cpu"),
                new FeatureColumn("mem"),
                new FeatureColumn("site", ColumnRole.Categorical),
            });
            var csv = new StringBuilder("cpu,mem,site\n");
            var random = new Random(7);
            for (int i = 0; i < 64; i++)
                csv.Append(CultureInfo.InvariantCulture, $"{random.NextDouble() * 100:F2},{random.NextDouble() * 8:F3},{(i % 3 == 0 ? "ams" : "fra")}\n");
            var records = Records(Encoding.UTF8.GetBytes(csv.ToString()), new CsvInputOptions()).ToList();
            schema = schema.Fit(records, CultureInfo.InvariantCulture);
            var rows = records.Select(r =>
            {
                var row = new double[schema.Width];
                schema.Featurize(r, CultureInfo.InvariantCulture, row);
                return row;
            }).ToList();
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, ActivationKind.Tanh, seed: 1));
            model.Train(schema, rows, new TrainingOptions { Epochs = 2, BatchSize = 16 });
            return ModelFile.Serialize(model);
        }

        // ---- CSV ----------------------------------------------------------------------------------------------

        private static readonly string[] Delimiters = { ",", ";", "\t", "|" };
        private static readonly CultureInfo[] Cultures = { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("de-DE") };

        private static void CsvTarget(byte[] input)
        {
            if (input.Length == 0) return;
            byte selector = input[0];
            var culture = Cultures[(selector >> 2) % Cultures.Length];
            var options = new CsvInputOptions { Delimiter = Delimiters[selector % Delimiters.Length], Culture = culture };
            var content = input.AsSpan(1).ToArray();
            try
            {
                var records = Records(content, options).Take(500).ToList();
                if (records.Count == 0) return;

                // The automatic path, as New-Autoencoder/Invoke-AutoencoderTraining take it.
                try
                {
                    var inferred = FeatureSchema.Infer(records, null, null, culture, out _);
                    foreach (var name in inferred.Names)
                        if (string.IsNullOrWhiteSpace(name))
                            throw new InvalidOperationException("Infer chose a column without a name as a feature");
                    FeaturizeAll(inferred.Fit(records, culture), records, culture);
                }
                catch (AutoencoderException) { }

                // A fixed numeric + categorical schema over the first two columns.
                var names = records[0].ColumnNames.Take(2).ToArray();
                if (names.Length == 2 && !names.Any(string.IsNullOrWhiteSpace)
                    && !string.Equals(names[0], names[1], StringComparison.OrdinalIgnoreCase))
                {
                    var fixedSchema = new FeatureSchema(new[]
                    {
                        new FeatureColumn(names[0]),
                        new FeatureColumn(names[1], ColumnRole.Categorical),
                    });
                    FeaturizeAll(fixedSchema.Fit(records, culture), records, culture);
                }
            }
            catch (AutoencoderException) { }   // FeatureValueException is one too
        }

        private static void FeaturizeAll(FeatureSchema schema, IReadOnlyList<IRecord> records, CultureInfo culture)
        {
            var row = new double[schema.Width];
            var imputed = new List<string>();
            foreach (var record in records)
            {
                try
                {
                    schema.Featurize(record, culture, row, MissingValuePolicy.Impute, imputed);
                    foreach (var value in row)
                        if (!double.IsFinite(value))
                            throw new InvalidOperationException($"featurize produced {value} for line {(record as CsvRecord)?.Line}");
                }
                catch (FeatureValueException) { }
                try { schema.Featurize(record, culture, row, MissingValuePolicy.Reject, null); }
                catch (FeatureValueException) { }
            }
        }

        private static IEnumerable<IRecord> Records(byte[] content, CsvInputOptions options)
        {
            string path = csvPath.Length > 0 ? csvPath : Path.Combine(Path.GetTempPath(), $"aeps-fuzz-{Environment.ProcessId}.csv");
            File.WriteAllBytes(path, content);
            return CsvSource.Read(path, options).Cast<IRecord>();
        }

        // ---- Seeds --------------------------------------------------------------------------------------------

        private static IEnumerable<(string Name, byte[] Bytes)> Seeds(string target)
        {
            switch (target)
            {
                case "model":
                    yield return ("valid.aemodel", seedModel);
                    yield return ("truncated.aemodel", seedModel.AsSpan(0, seedModel.Length / 2).ToArray());
                    break;
                case "modelmeta":
                    yield return ("metadata.json", Split(seedModel).Metadata);
                    break;
                case "selftest":
                    yield return ("a.txt", Encoding.ASCII.GetBytes("abc"));
                    break;
                case "csv":
                    yield return ("numeric.csv", Encoding.UTF8.GetBytes("\0cpu,mem,disk\n1.5,2,3\n2.5,4,6\n3,,9\n4.25,8,1e3\n"));
                    yield return ("mixed.csv", Encoding.UTF8.GetBytes("\0host,site,cpu,when\nweb1,ams,0.5,2024-01-01T00:00:00Z\nweb2,fra,0.7,2024-01-01T01:00:00Z\nweb3,ams,NaN,2024-01-01T02:00:00Z\nweb4,,1.2,2024-01-01T03:00:00Z\n"));
                    yield return ("semicolon-de.csv", Encoding.UTF8.GetBytes("\u0005a;b\n\"1,5\";x\n\"2,5\";y\n3;\"z\"\"q\"\n1.234,5;x\n"));
                    yield return ("quoted.csv", Encoding.UTF8.GetBytes("\0\"n\",\"c\"\n\"1\",\"multi\nline\"\n2,\"a,b\"\n-3e-2,c\n"));
                    yield return ("tab.csv", Encoding.UTF8.GetBytes("\u0002x\ty\tz\n1\tA\t-\n2\tB\tn/a\n\t\t\n"));
                    break;
            }
        }
    }
}
