using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AutoencoderPS.Engine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// FsCheck properties (issue 8): featurizing is deterministic. For any table of numeric, categorical and timestamp
    /// columns with missing values, the same records and schema give bit-identical vectors: twice, in any order, from
    /// several threads, from a fresh schema fitted on the same data, from typed values or their text, from a CSV file,
    /// and for training (TrainingSetBuilder) as for scoring (FeatureSchema.Featurize).
    /// </summary>
    public sealed class FeaturizePropertyTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private static Arbitrary<RandomTable> Tables(bool extremes) =>
            RandomTable.Arbitrary(minRows: 2, maxRows: 40, maxNumeric: 4, maxCategorical: 3, extremes: extremes);

        private static FeatureSchema Fitted(IReadOnlyList<IRecord> records, out TrainingSet set) => Fitted(records, out set, out _);

        // `learned`: the records training kept (not those with no value in any feature).
        private static FeatureSchema Fitted(IReadOnlyList<IRecord> records, out TrainingSet set, out List<IRecord> learned)
        {
            var roles = FeatureSchema.Infer(records, null, null, RandomTable.Culture, out _, timeFeatures: true);
            var builder = new TrainingSetBuilder(roles, RandomTable.Culture, MissingValuePolicy.Impute);
            learned = records.Where(record => builder.Add(record)).ToList();
            set = builder.Build();
            return set.Schema;
        }

        private static double[] Featurize(FeatureSchema schema, IRecord record)
        {
            var row = new double[schema.Width];
            schema.Featurize(record, RandomTable.Culture, row, MissingValuePolicy.Impute, null);
            return row;
        }

        private static long[][] Bits(IEnumerable<double[]> rows) =>
            rows.Select(r => r.Select(BitConverter.DoubleToInt64Bits).ToArray()).ToArray();

        private static void SameBits(IEnumerable<double[]> expected, IEnumerable<double[]> actual, string what)
        {
            var (a, b) = (Bits(expected), Bits(actual));
            Assert.True(a.Length == b.Length, $"{what}: {a.Length} rows, then {b.Length}");
            for (int i = 0; i < a.Length; i++)
                Assert.True(a[i].SequenceEqual(b[i]),
                    $"{what}: row {i} differs: [{string.Join(", ", a[i].Select(BitConverter.Int64BitsToDouble).Select(v => v.ToString("R")))}] " +
                    $"vs [{string.Join(", ", b[i].Select(BitConverter.Int64BitsToDouble).Select(v => v.ToString("R")))}]");
        }

        private static void SameSchema(FeatureSchema expected, FeatureSchema actual)
        {
            Assert.Equal(expected.Names, actual.Names);
            Assert.Equal(expected.SlotNames, actual.SlotNames);
            Assert.Equal(expected.Columns.Select(c => c.Role), actual.Columns.Select(c => c.Role));
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected.Columns[i].Categories, actual.Columns[i].Categories);
                Assert.Equal(expected.Columns[i].Mode, actual.Columns[i].Mode);
                Assert.Equal(expected.Columns[i].Median is double m ? BitConverter.DoubleToInt64Bits(m) : (long?)null,
                    actual.Columns[i].Median is double n ? BitConverter.DoubleToInt64Bits(n) : (long?)null);
            }
        }

        [Property(MaxTest = 150)]
        public Property FeaturizingTheSameRecordsAgainInAnyOrderAndFromThreadsGivesIdenticalVectors() =>
            Prop.ForAll(Tables(extremes: true), table =>
            {
                var records = table.Records(asText: false);
                var schema = Fitted(records, out _);
                var first = records.Select(r => Featurize(schema, r)).ToList();

                SameBits(first, records.Select(r => Featurize(schema, r)), "featurized again");
                var reversed = Enumerable.Range(0, records.Count).Reverse().ToDictionary(i => i, i => Featurize(schema, records[i]));
                SameBits(first, Enumerable.Range(0, records.Count).Select(i => reversed[i]), "featurized in reverse order");
                var parallel = new double[records.Count][];
                Parallel.For(0, records.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 },
                    k => parallel[k % records.Count] = Featurize(schema, records[k % records.Count]));
                SameBits(first, parallel, "featurized from four threads");
                Assert.All(first, row => Assert.All(row, v => Assert.True(double.IsFinite(v), $"non-finite input {v}"))); 
            });

        [Property(MaxTest = 150)]
        public Property AFreshSchemaFittedOnTheSameDataIsTheSameSchemaAndGivesIdenticalVectors() =>
            Prop.ForAll(Tables(extremes: true), table =>
            {
                var records = table.Records(asText: false);
                var schema = Fitted(records, out _);
                var fresh = Fitted(table.Records(asText: false), out _);

                SameSchema(schema, fresh);
                SameBits(records.Select(r => Featurize(schema, r)), records.Select(r => Featurize(fresh, r)), "fresh schema");
            });

        [Property(MaxTest = 150)]
        public Property TrainingRowsAreTheVectorsScoringGivesTheSameRecords() =>
            Prop.ForAll(Tables(extremes: true), table =>
            {
                // TrainingSetBuilder (training) and FeatureSchema.Featurize (scoring) are two code paths: a record the
                // model learned from must reach the network with exactly the same inputs when it is scored.
                var records = table.Records(asText: false);
                var schema = Fitted(records, out var set, out var learned);

                SameBits(set.Rows, learned.Select(r => Featurize(schema, r)), "training rows vs scored rows");
                // What training left out is exactly the records that hold no measurement when scored.
                Assert.All(records, r =>
                {
                    var imputed = new List<string>();
                    schema.Featurize(r, RandomTable.Culture, new double[schema.Width], MissingValuePolicy.Impute, imputed);
                    Assert.Equal(!learned.Contains(r), schema.HoldsNoMeasurement(imputed));
                });
            });

        [Property(MaxTest = 100)]
        public Property TypedValuesTheirTextAndACsvFileOfThemGiveIdenticalVectors() =>
            Prop.ForAll(Tables(extremes: true), table =>
            {
                // Pipeline objects (double, int, DateTime), Import-Csv text, and Test-Anomaly -Path reading a file.
                var typed = table.Records(asText: false);
                var text = table.Records(asText: true);
                var schema = Fitted(typed, out _);
                var textSchema = Fitted(text, out _);
                var csv = table.ReadAsCsv(temp.File($"table-{Guid.NewGuid():N}.csv"));

                SameSchema(schema, textSchema);
                Assert.Equal(typed.Count, csv.Count);
                var expected = typed.Select(r => Featurize(schema, r)).ToList();
                SameBits(expected, text.Select(r => Featurize(schema, r)), "text records");
                SameBits(expected, csv.Select(r => Featurize(schema, r)), "CSV records");
                var parallel = new double[csv.Count][];
                Parallel.For(0, csv.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Featurize(schema, csv[i]));
                SameBits(expected, parallel, "CSV records from four threads");
            });
    }
}
