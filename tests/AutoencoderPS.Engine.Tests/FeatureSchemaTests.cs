using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class FeatureSchemaTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        // Rows like Import-Csv gives: everything text, a host name column, numbers in various forms.
        private static List<IRecord> ServerRows(int count, int seed)
        {
            var random = new Random(seed);
            var rows = new List<IRecord>();
            for (int i = 0; i < count; i++)
            {
                rows.Add(new TestRecord(
                    ("host", $"srv-{random.Next(100, 999)}.example.test"),
                    ("cpu", (random.NextDouble() * 100).ToString("R", Invariant)),
                    ("site", i % 2 == 0 ? "north" : "south"),
                    ("memory", random.Next(1000, 64000)),
                    ("latency", (random.NextDouble() * 1e-4).ToString("e7", Invariant))));
            }
            return rows;
        }

        private static FeatureSchema Infer(IReadOnlyList<IRecord> records, string[]? include = null, string[]? exclude = null) =>
            FeatureSchema.Infer(records, include, exclude, Invariant, out _);

        [Fact]
        public void InferChoosesNumericColumnsInFirstSeenOrderAndLeavesTextOut()
        {
            var schema = FeatureSchema.Infer(ServerRows(30, 1), null, null, Invariant, out var decisions);

            Assert.Equal(new[] { "cpu", "memory", "latency" }, schema.Names);
            Assert.Equal(3, schema.Count);
            Assert.Equal(5, decisions.Count);
            Assert.Contains(decisions, d => d.Contains("'host'", StringComparison.Ordinal) && d.Contains("not a feature", StringComparison.Ordinal));
        }

        [Fact]
        public void InferTakesColumnOrderAcrossRecords()
        {
            var records = new List<IRecord>
            {
                new TestRecord(("b", "1"), ("a", "2")),
                new TestRecord(("c", "3"), ("a", "4"), ("b", "5")),
                new TestRecord(("d", "x"), ("e", 6.0)),
            };

            var schema = Infer(records);

            Assert.Equal(new[] { "b", "a", "c", "e" }, schema.Names);
        }

        [Fact]
        public void InferHonoursExcludeIgnoringCase()
        {
            var schema = Infer(ServerRows(20, 2), exclude: new[] { "MEMORY" });

            Assert.Equal(new[] { "cpu", "latency" }, schema.Names);
        }

        [Fact]
        public void InferHonoursExplicitIncludeInItsOrderWithTheColumnsOwnCasing()
        {
            var schema = Infer(ServerRows(20, 3), include: new[] { "LATENCY", "cpu" });

            Assert.Equal(new[] { "latency", "cpu" }, schema.Names);
        }

        [Fact]
        public void ExcludeWinsOverInclude()
        {
            var schema = Infer(ServerRows(20, 3), include: new[] { "cpu", "memory", "latency" }, exclude: new[] { "Memory" });

            Assert.Equal(new[] { "cpu", "latency" }, schema.Names);
        }

        [Fact]
        public void IncludeOfAMissingColumnThrowsMissingFeatureColumn()
        {
            var error = Assert.Throws<AutoencoderException>(() => Infer(ServerRows(5, 4), include: new[] { "cpu", "gpu" }));

            Assert.Equal("MissingFeatureColumn", error.ErrorId);
            Assert.Contains("'gpu'", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void NoNumericColumnThrowsNoNumericFeatures()
        {
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("host", $"web{i:00}"), ("os", "linux"), ("up", i % 2 == 0)))
                .ToList();

            var error = Assert.Throws<AutoencoderException>(() => Infer(records));

            Assert.Equal("NoNumericFeatures", error.ErrorId);
        }

        [Fact]
        public void ExcludingEveryNumericColumnThrowsNoNumericFeatures()
        {
            var error = Assert.Throws<AutoencoderException>(() =>
                Infer(ServerRows(5, 5), exclude: new[] { "cpu", "memory", "latency" }));

            Assert.Equal("NoNumericFeatures", error.ErrorId);
        }

        [Fact]
        public void EmptyInputThrowsEmptyTrainingInput()
        {
            var error = Assert.Throws<AutoencoderException>(() => Infer(new List<IRecord>()));

            Assert.Equal("EmptyTrainingInput", error.ErrorId);
        }

        [Fact]
        public void ColumnAtTheNumericShareIsAFeatureAndBelowItIsNot()
        {
            Assert.Equal(0.9, FeatureSchema.NumericShare);
            var random = new Random(6);
            var records = new List<IRecord>();
            for (int i = 0; i < 10; i++)
            {
                string value = random.Next(0, 1000).ToString(Invariant);
                records.Add(new TestRecord(
                    ("ok", value),
                    ("oneBad", i == 4 ? "n/a" : value),          // 9 of 10 numeric: exactly the share
                    ("twoBad", i == 4 || i == 7 ? "n/a" : value))); // 8 of 10 numeric: below it
            }

            var schema = Infer(records);

            Assert.Equal(new[] { "ok", "oneBad" }, schema.Names);
        }

        [Fact]
        public void EmptyValuesDoNotCountAgainstAColumn()
        {
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("sparse", i < 7 ? "" : (i * 1.5).ToString(Invariant)), ("none", null)))
                .ToList();

            var schema = Infer(records);

            Assert.Equal(new[] { "sparse" }, schema.Names);
        }

        [Fact]
        public void InferUsesTheGivenCulture()
        {
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("load", $"{i},5")))
                .ToList();

            Assert.Equal("NoNumericFeatures", Assert.Throws<AutoencoderException>(() => Infer(records)).ErrorId);
            var german = FeatureSchema.Infer(records, null, null, CultureInfo.GetCultureInfo("de-DE"), out _);
            Assert.Equal(new[] { "load" }, german.Names);
        }

        [Fact]
        public void ConstructorRejectsEmptyAndDuplicateNames()
        {
            Assert.Equal("NoFeatures", Assert.Throws<AutoencoderException>(() => new FeatureSchema(Array.Empty<string>())).ErrorId);
            Assert.Equal("DuplicateFeature", Assert.Throws<AutoencoderException>(() => new FeatureSchema(new[] { "cpu", "CPU" })).ErrorId);
        }

        [Fact]
        public void IndexOfIgnoresCase()
        {
            var schema = new FeatureSchema(new[] { "cpu", "Memory" });

            Assert.Equal(1, schema.IndexOf("memory"));
            Assert.Equal(0, schema.IndexOf("CPU"));
            Assert.Equal(-1, schema.IndexOf("disk"));
        }

        [Fact]
        public void FeaturizeReadsValuesInSchemaOrder()
        {
            var schema = new FeatureSchema(new[] { "latency", "cpu", "memory" });
            var record = new TestRecord(("host", "a"), ("CPU", " 12.5 "), ("memory", 2048), ("latency", "-6.0685538e-05"));
            var destination = new double[3];

            schema.Featurize(record, Invariant, destination);

            Assert.Equal(new[] { -6.0685538e-05, 12.5, 2048.0 }, destination);
        }

        [Fact]
        public void FeaturizeUsesTheGivenCulture()
        {
            var schema = new FeatureSchema(new[] { "load" });
            var destination = new double[1];

            schema.Featurize(new TestRecord(("load", "0,25")), CultureInfo.GetCultureInfo("de-DE"), destination);

            Assert.Equal(0.25, destination[0]);
        }

        public static TheoryData<object?, FeatureValueProblem, string> BadValues => new TheoryData<object?, FeatureValueProblem, string>
        {
            { "", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "   ", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { null, FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "abc", FeatureValueProblem.NotNumeric, "InvalidFeatureValue" },
            { "1,5", FeatureValueProblem.NotNumeric, "InvalidFeatureValue" },
            { true, FeatureValueProblem.NotNumeric, "InvalidFeatureValue" },
            { "NaN", FeatureValueProblem.NotFinite, "NonFiniteFeatureValue" },
            { "Infinity", FeatureValueProblem.NotFinite, "NonFiniteFeatureValue" },
            { "-Infinity", FeatureValueProblem.NotFinite, "NonFiniteFeatureValue" },
            { double.NaN, FeatureValueProblem.NotFinite, "NonFiniteFeatureValue" },
            { float.PositiveInfinity, FeatureValueProblem.NotFinite, "NonFiniteFeatureValue" },
        };

        [Theory]
        [MemberData(nameof(BadValues))]
        public void FeaturizeNamesTheProblemColumnAndValue(object? value, FeatureValueProblem problem, string errorId)
        {
            var schema = new FeatureSchema(new[] { "cpu", "memory" });
            var record = new TestRecord(("cpu", "1"), ("memory", value));

            var error = Assert.Throws<FeatureValueException>(() => schema.Featurize(record, Invariant, new double[2]));

            Assert.Equal(problem, error.Problem);
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal("memory", error.Column);
            Assert.Equal(value, error.Value);
            Assert.Contains("'memory'", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void FeaturizeReportsAMissingColumn()
        {
            var schema = new FeatureSchema(new[] { "cpu", "disk" });
            var record = new TestRecord(("cpu", "1"), ("memory", "2"));

            var error = Assert.Throws<FeatureValueException>(() => schema.Featurize(record, Invariant, new double[2]));

            Assert.Equal(FeatureValueProblem.MissingColumn, error.Problem);
            Assert.Equal("MissingFeatureColumn", error.ErrorId);
            Assert.Equal("disk", error.Column);
            Assert.Null(error.Value);
        }

        [Fact]
        public void InferredSchemaFeaturizesTheRecordsItCameFrom()
        {
            var records = ServerRows(25, 7);
            var schema = Infer(records);
            var destination = new double[schema.Count];

            foreach (var record in records)
            {
                schema.Featurize(record, Invariant, destination);
                Assert.True(record.TryGetValue("memory", out var memory));
                Assert.Equal(Convert.ToDouble(memory, Invariant), destination[schema.IndexOf("memory")]);
                Assert.All(destination, v => Assert.True(double.IsFinite(v)));
            }
        }
    }
}
