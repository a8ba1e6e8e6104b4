using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Inputs that crashed a SharpFuzz target (tests/Fuzz, run by tests/Fuzz/Invoke-Fuzz.ps1; results in
    /// .docs/fuzzing.md), kept byte for byte. A crash is any exception other than the documented ones:
    /// ModelFileException/TorchRuntimeException from the model-file reader, AutoencoderException (FeatureValueException
    /// among them) from CSV reading and featurizing.
    /// </summary>
    public sealed class FuzzRegressionTests : IDisposable
    {
        private static readonly string[] Delimiters = { ",", ";", "\t", "|" };
        private static readonly CultureInfo[] Cultures = { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("de-DE") };
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        /// <summary>Reads a csv-target fuzz input as the target does: byte 0 picks delimiter and culture, the rest is the file.</summary>
        private (List<IRecord> Records, CultureInfo Culture) ReadFuzzInput(string base64)
        {
            byte[] input = Convert.FromBase64String(base64);
            byte selector = input[0];
            var culture = Cultures[(selector >> 2) % Cultures.Length];
            var options = new CsvInputOptions { Delimiter = Delimiters[selector % Delimiters.Length], Culture = culture };
            string path = temp.File("fuzz.csv");
            File.WriteAllBytes(path, input.AsSpan(1).ToArray());
            return (CsvSource.Read(path, options).Cast<IRecord>().Take(500).ToList(), culture);
        }

        /// <summary>Infer, Fit and Featurize every row; only AutoencoderException (FeatureValueException included) may escape.</summary>
        private static void InferFitFeaturize(IReadOnlyList<IRecord> records, CultureInfo culture)
        {
            var schema = FeatureSchema.Infer(records, null, null, culture, out _);
            Assert.DoesNotContain(schema.Names, string.IsNullOrWhiteSpace);
            schema = schema.Fit(records, culture);
            var row = new double[schema.Width];
            foreach (var record in records)
            {
                try { schema.Featurize(record, culture, row); }
                catch (FeatureValueException) { }
            }
        }

        private static void OnlyClearErrors(Action action)
        {
            var error = Record.Exception(action);
            Assert.True(error == null || error is AutoencoderException,
                $"expected success or an AutoencoderException, got {error?.GetType().FullName}: {error?.Message}");
        }

        // csv target, 2026-11-28, crash id:000035 (smallest of 46 with the same stack): header ",\x05#", one row of an
        // invalid UTF-8 byte. The first column's name is empty; Infer made it a categorical feature and
        // FeatureColumn's constructor threw ArgumentException.
        [Fact]
        public void FuzzCsvCrash000035_BlankHeaderNameIsAClearErrorOrIgnored()
        {
            var (records, culture) = ReadFuzzInput("ACwFIw3y");
            Assert.Single(records);
            OnlyClearErrors(() => InferFitFeaturize(records, culture));
        }

        // The same crash, reduced by hand to what an Excel export with a trailing comma in its header looks like.
        [Fact]
        public void BlankHeaderNameIsAClearErrorNotArgumentException()
        {
            string path = temp.File("trailing-comma.csv");
            File.WriteAllText(path, "cpu,\n1,x\n2,y\n3,x\n4,y\n");
            var records = CsvSource.Read(path, new CsvInputOptions()).Cast<IRecord>().ToList();
            Assert.Equal(new[] { "cpu", "" }, records[0].ColumnNames.ToArray());
            OnlyClearErrors(() => InferFitFeaturize(records, CultureInfo.InvariantCulture));
        }

        // The fix (FeatureSchema.Infer): the unnamed column is left out, with a reason, and the named ones are inferred.
        [Fact]
        public void TheUnnamedColumnIsLeftOutWithAReason()
        {
            string path = temp.File("trailing-comma.csv");
            File.WriteAllText(path, "cpu,\n1,x\n2,y\n3,x\n4,y\n");
            var records = CsvSource.Read(path, new CsvInputOptions()).Cast<IRecord>().ToList();
            var schema = FeatureSchema.Infer(records, null, null, CultureInfo.InvariantCulture, out var decisions);
            Assert.Equal(new[] { "cpu" }, schema.Names.ToArray());
            Assert.Contains(decisions, d => d.Contains("no name", StringComparison.OrdinalIgnoreCase));
        }
    }
}
