using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Tests
{
    public class TrainingSetBuilderTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        // Roles only, as FeatureSchema.Infer gives them: no categories or medians yet.
        private static FeatureSchema Roles(params (string Name, ColumnRole Role)[] columns) =>
            new FeatureSchema(columns.Select(c => new FeatureColumn(c.Name, c.Role)));

        private static TrainingSet BuildFrom(FeatureSchema roles, IEnumerable<IRecord> records, MissingValuePolicy policy = MissingValuePolicy.Impute)
        {
            var builder = new TrainingSetBuilder(roles, Invariant, policy);
            foreach (var record in records) builder.Add(record);
            return builder.Build();
        }

        [Fact]
        public void MediansAndCategoriesComeFromAllRowsNotASample()
        {
            // The first thousand rows (what role inference samples) look nothing like the rest.
            var records = Enumerable.Range(0, 3000)
                .Select(i => (IRecord)new TestRecord(("cpu", i < 1000 ? "1" : (i - 1000).ToString(Invariant)), ("host", i < 2500 ? "early" : "late")))
                .ToList();

            var set = BuildFrom(Roles(("cpu", ColumnRole.Numeric), ("host", ColumnRole.Categorical)), records);

            var cpu = set.Schema.Columns[0];
            // 1000 ones and 0..1999: sorted, the middle two (positions 1499 and 1500) are 499 and 500.
            Assert.Equal(499.5, cpu.Median);
            Assert.Equal(3000, cpu.Statistics!.Count);
            Assert.Equal(0, cpu.Statistics.Min);
            Assert.Equal(1999, cpu.Statistics.Max);
            Assert.Equal(new[] { "early", "late" }, set.Schema.Columns[1].Categories);
            Assert.Equal("early", set.Schema.Columns[1].Mode);
            Assert.Equal(3000, set.Rows.Count);
            Assert.Equal(new[] { 1999.0, 0, 1, 0 }, set.Rows[^1]);
        }

        [Fact]
        public void MissingNumbersBecomeTheMedianAndAreCounted()
        {
            string[] cpu = { "1", "2", "", "4", "NA", "100", "NaN", "Infinity" };
            var records = cpu.Select(v => (IRecord)new TestRecord(("cpu", v), ("mem", 7))).ToList();

            var set = BuildFrom(Roles(("cpu", ColumnRole.Numeric), ("mem", ColumnRole.Numeric)), records);

            var column = set.Schema.Columns[0];
            Assert.Equal(3.0, column.Median); // of 1, 2, 4, 100
            Assert.Equal(4, set.ImputedValues);
            Assert.Equal(new[] { 1.0, 2, 3, 4, 3, 100, 3, 3 }, set.Rows.Select(r => r[0]));
            Assert.Equal(8, column.Statistics!.Count);
            Assert.Equal(4, column.Statistics.Missing);
            Assert.Equal(1, column.Statistics.Min);
            Assert.Equal(100, column.Statistics.Max);
            Assert.Equal(26.75, column.Statistics.Mean);
            Assert.Equal(0, set.Schema.Columns[1].Statistics!.Missing);
        }

        [Fact]
        public void MissingCategoriesBecomeTheMostFrequentOneAndMissingTimestampsTheCentre()
        {
            var monday = new DateTime(2026, 1, 5, 14, 30, 0);
            // cpu is in every row: a row with no host and only a time would hold no measurement, and not be kept.
            var records = new List<IRecord>
            {
                new TestRecord(("host", "b"), ("time", monday), ("cpu", 1.0)),
                new TestRecord(("host", "a"), ("time", "N/A"), ("cpu", 2.0)),
                new TestRecord(("host", "b"), ("time", monday.AddDays(1).ToString("s", Invariant)), ("cpu", 3.0)),
                new TestRecord(("host", "null"), ("time", monday), ("cpu", 4.0)),
            };

            var set = BuildFrom(Roles(("host", ColumnRole.Categorical), ("time", ColumnRole.Timestamp), ("cpu", ColumnRole.Numeric)), records);

            Assert.Equal(2, set.ImputedValues);
            Assert.Equal(new[] { "a", "b" }, set.Schema.Columns[0].Categories);
            Assert.Equal("b", set.Schema.Columns[0].Mode);
            Assert.Equal(new[] { 0.0, 1, 0 }, set.Rows[3].Take(3));
            Assert.Equal(new[] { 0.0, 0, 0, 0 }, set.Rows[1].Skip(3).Take(4));
            Assert.Equal("Mon 14:30", set.Schema.Describe(1, set.Rows[0]));
            Assert.Equal("Tue 14:30", set.Schema.Describe(1, set.Rows[2]));
            var time = set.Schema.Columns[1].Statistics!;
            Assert.Equal(monday, time.First);
            Assert.Equal(monday.AddDays(1), time.Last);
            Assert.Equal(1, time.Missing);
        }

        [Theory]
        [InlineData("")]
        [InlineData("NA")]
        [InlineData("NaN")]
        [InlineData(null)]
        public void RejectPolicyThrowsEmptyAndKeepsNothingOfTheRow(string? missing)
        {
            var builder = new TrainingSetBuilder(Roles(("host", ColumnRole.Categorical), ("cpu", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Reject);
            builder.Add(new TestRecord(("host", "a"), ("cpu", "1")));

            var error = Assert.Throws<FeatureValueException>(() => builder.Add(new TestRecord(("host", "ghost"), ("cpu", missing))));

            Assert.Equal(FeatureValueProblem.Empty, error.Problem);
            Assert.Equal("EmptyFeatureValue", error.ErrorId);
            Assert.Equal("cpu", error.Column);
            Assert.Equal(1, builder.Count);
            var set = builder.Build();
            Assert.Equal(new[] { "a" }, set.Schema.Columns[0].Categories);
            Assert.Equal(0, set.ImputedValues);
        }

        [Theory]
        [InlineData("", "20,5", "which is not a number in the invariant culture; it is one with a decimal comma: give -Culture for the data's culture (for example de-DE).")]
        [InlineData("de-DE", "20.5", "which is not a number in culture 'de-DE'; it is one with a decimal point: give -Culture en-US (or leave -Culture out).")]
        [InlineData("", "12abc", "which is not a number.")]
        [InlineData("", "1,234", "which is not a number in the invariant culture; it looks like a number with thousands separators, which are never read as numbers: export the column without them.")]
        [InlineData("de-DE", "1.234", "which is not a number in culture 'de-DE'; it looks like a number with thousands separators, which are never read as numbers: export the column without them.")]
        [InlineData("", "40 %", "which is not a number in the invariant culture; it is a number with a unit: take the unit off (-replace) first.")]
        public void ANumberInTheOtherConventionSaysWhichCultureReadsIt(string cultureName, string text, string ending)
        {
            // A model trained with -Culture de-DE and scored without it: every row "not a number", and no word of why.
            var culture = cultureName.Length == 0 ? Invariant : CultureInfo.GetCultureInfo(cultureName);
            var builder = new TrainingSetBuilder(Roles(("cpu", ColumnRole.Numeric)), culture, MissingValuePolicy.Impute);

            var error = Assert.Throws<FeatureValueException>(() => builder.Add(new TestRecord(("cpu", text))));

            Assert.Equal("InvalidFeatureValue", error.ErrorId);
            Assert.EndsWith($"has value '{text}', {ending}", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AMedianAndPercentilesOfValuesNearTheLargestDoubleAreFinite()
        {
            // Found by the featurizing property test (a CI run's random seed): two values of -1.797E+308 had the median
            // -Infinity ((a + b) / 2 overflowed), which a missing value was then filled in with; and a percentile between
            // -max and +max was NaN (0 x infinity).
            var builder = new TrainingSetBuilder(Roles(("num", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Impute);
            builder.Add(new TestRecord(("num", -double.MaxValue)));
            builder.Add(new TestRecord(("num", -double.MaxValue)));
            builder.Add(new TestRecord(("num", "")));
            var schema = builder.Build().Schema;
            Assert.Equal(-double.MaxValue, schema.Columns[0].Median);
            var row = new double[schema.Width];
            schema.Featurize(new TestRecord(("num", "")), Invariant, row, MissingValuePolicy.Impute, null);
            Assert.All(row, v => Assert.True(double.IsFinite(v)));

            Assert.Equal(0, Statistics.PercentileOfSorted(new[] { -double.MaxValue, double.MaxValue }, 50));
            Assert.Equal(-double.MaxValue, Statistics.PercentileOfSorted(new[] { -double.MaxValue, double.MaxValue }, 0));
            Assert.Equal(1.5, Statistics.PercentileOfSorted(new[] { 1.0, 2.0 }, 50));
            Assert.Equal(0, Statistics.Midpoint(-double.MaxValue, double.MaxValue));
            Assert.Equal(double.MaxValue, Statistics.Midpoint(double.MaxValue, double.MaxValue));
        }

        [Fact]
        public void GarbageTextThrowsNotNumericAndTheRowIsNotKept()
        {
            var builder = new TrainingSetBuilder(Roles(("host", ColumnRole.Categorical), ("cpu", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Impute);
            builder.Add(new TestRecord(("host", "a"), ("cpu", "1")));
            builder.Add(new TestRecord(("host", "a"), ("cpu", "3")));

            var error = Assert.Throws<FeatureValueException>(() => builder.Add(new TestRecord(("host", "ghost"), ("cpu", "12abc"))));

            Assert.Equal(FeatureValueProblem.NotNumeric, error.Problem);
            Assert.Equal("InvalidFeatureValue", error.ErrorId);
            Assert.Equal("cpu", error.Column);
            Assert.Equal("12abc", error.Value);
            Assert.Contains("'12abc'", error.Message, StringComparison.Ordinal);
            Assert.Equal(2, builder.Count);
            var set = builder.Build();
            // The rejected row's new category was not learnt, and its value is in no statistic.
            Assert.Equal(new[] { "a" }, set.Schema.Columns[0].Categories);
            Assert.Equal(1, set.Schema.Columns[0].Statistics!.Distinct);
            Assert.Equal(2.0, set.Schema.Columns[1].Median);
            Assert.Equal(2, set.Rows.Count);
        }

        [Fact]
        public void BadTimestampsAreNamedAndAnAbsentPropertyIsAMissingValue()
        {
            var builder = new TrainingSetBuilder(Roles(("time", ColumnRole.Timestamp), ("cpu", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Impute);

            var bad = Assert.Throws<FeatureValueException>(() => builder.Add(new TestRecord(("time", "around lunch"), ("cpu", "1"))));
            Assert.Equal(FeatureValueProblem.NotTimestamp, bad.Problem);
            Assert.Equal("time", bad.Column);

            // An object without the cpu property (JSON leaves out a field it has no value for) has a missing value there, as
            // with cpu = $null: this one then holds no measurement (only its time) and is left out, not an error. It was
            // MissingFeatureColumn, and a baseline of such rows lost them all.
            Assert.False(builder.Add(new TestRecord(("time", MessyData.Start))));
            Assert.Equal(0, builder.Count);
            var withTime = new TrainingSetBuilder(Roles(("cpu", ColumnRole.Numeric), ("mem", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Impute);
            Assert.True(withTime.Add(new TestRecord(("cpu", "1"), ("mem", "2"))));
            Assert.True(withTime.Add(new TestRecord(("cpu", "3"))));
            var set = withTime.Build();
            Assert.Equal(2, set.Rows.Count);
            Assert.Equal(2.0, set.Rows[1][1]);
            // Under -RejectMissing it is refused as a missing value.
            var strict = new TrainingSetBuilder(Roles(("cpu", ColumnRole.Numeric), ("mem", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Reject);
            var absent = Assert.Throws<FeatureValueException>(() => strict.Add(new TestRecord(("cpu", "3"))));
            Assert.Equal(FeatureValueProblem.Empty, absent.Problem);
            Assert.Equal("mem", absent.Column);
        }

        [Fact]
        public void CategoriesAreCappedAtMaxCategoriesByFrequencyAndTheRestGoToOther()
        {
            // Category k appears 70 - k times: c00 most often, c69 once. Seventy distinct values in all.
            var records = new List<IRecord>();
            for (int k = 0; k < 70; k++)
                for (int n = 0; n < 70 - k; n++)
                    records.Add(new TestRecord(("kind", $"c{k:00}")));
            var random = new Random(4);
            var shuffled = records.OrderBy(_ => random.Next()).ToList();

            var set = BuildFrom(Roles(("kind", ColumnRole.Categorical)), shuffled);

            var column = set.Schema.Columns[0];
            Assert.Equal(FeatureSchema.MaxCategories, column.Categories.Count);
            Assert.Equal(Enumerable.Range(0, 50).Select(k => $"c{k:00}"), column.Categories); // the 50 most frequent, in ordinal order
            Assert.Equal(51, set.Schema.Width);
            Assert.Equal("c00", column.Mode);
            Assert.Equal(70, column.Statistics!.Distinct);
            for (int i = 0; i < shuffled.Count; i++)
            {
                shuffled[i].TryGetValue("kind", out var kind);
                int k = int.Parse(((string)kind!).Substring(1), Invariant);
                int hot = Array.IndexOf(set.Rows[i], 1.0);
                Assert.Equal(k < 50 ? k : 50, hot);
                Assert.Equal(1.0, set.Rows[i].Sum());
            }
            int others = set.Rows.Count(r => r[50] == 1.0);
            Assert.Equal(Enumerable.Range(50, 20).Sum(k => 70 - k), others);
        }

        [Fact]
        public void TiesInFrequencyAreBrokenByName()
        {
            var records = Enumerable.Range(0, 60).Select(k => (IRecord)new TestRecord(("kind", $"k{59 - k:00}"))).ToList();

            var set = BuildFrom(Roles(("kind", ColumnRole.Categorical)), records);

            Assert.Equal(Enumerable.Range(0, 50).Select(k => $"k{k:00}"), set.Schema.Columns[0].Categories);
            Assert.Equal("k00", set.Schema.Columns[0].Mode);
        }

        [Fact]
        public void TheBuiltRowsAreWhatFeaturizeGivesForTheSameRecords()
        {
            var records = MessyData.Records(MessyData.Rows(300, 9, missingShare: 0.1), Invariant);
            var roles = FeatureSchema.Infer(records, null, null, Invariant, out _, timeFeatures: true);

            var set = BuildFrom(roles, records);

            Assert.Equal(roles.Names, set.Schema.Names);
            Assert.Equal(roles.Columns.Select(c => c.Role), set.Schema.Columns.Select(c => c.Role));
            Assert.Equal(new[] { "id", "message" }, set.Schema.Ignored.Select(i => i.Name));
            Assert.True(set.ImputedValues > 0);
            int imputedByFeaturize = 0;
            var row = new double[set.Schema.Width];
            for (int i = 0; i < records.Count; i++)
            {
                var imputed = new List<string>();
                set.Schema.Featurize(records[i], Invariant, row, MissingValuePolicy.Impute, imputed);
                imputedByFeaturize += imputed.Count;
                Assert.Equal(set.Rows[i], row);
            }
            Assert.Equal(set.ImputedValues, imputedByFeaturize);
        }

        [Theory]
        [InlineData(638_777_377_234_567_891L)]         // 2025-03-02 10:42:03.4567891: sub-millisecond ticks
        [InlineData(3_155_378_975_999_999_999L)]       // DateTime.MaxValue
        [InlineData(0L)]                               // DateTime.MinValue
        public void TimestampsReachTrainingExactlyAsScoringReadsThemToTheTick(long ticks)
        {
            // Found by FeaturizePropertyTests: ticks kept as a double value lost their last bits, so a training row's
            // hour and day differed from the same record's when scored, and DateTime.MaxValue rounded past its range.
            var time = new DateTime(ticks);
            var records = new[] { new TestRecord(("time", time), ("cpu", 1.0)), new TestRecord(("time", time.ToString("o", Invariant)), ("cpu", 2.0)) };

            var set = BuildFrom(Roles(("time", ColumnRole.Timestamp), ("cpu", ColumnRole.Numeric)), records);

            Assert.Equal(time, set.Schema.Columns[0].Statistics!.First);
            Assert.Equal(time, set.Schema.Columns[0].Statistics!.Last);
            var row = new double[set.Schema.Width];
            for (int i = 0; i < records.Length; i++)
            {
                set.Schema.Featurize(records[i], Invariant, row, MissingValuePolicy.Impute, null);
                Assert.Equal(row.Select(BitConverter.DoubleToInt64Bits), set.Rows[i].Select(BitConverter.DoubleToInt64Bits));
            }
        }

        [Fact]
        public void FitIsTheBuilderSkippingUnreadableRows()
        {
            var records = new List<IRecord>
            {
                new TestRecord(("cpu", "1"), ("host", "a")),
                new TestRecord(("cpu", "oops"), ("host", "ghost")),
                new TestRecord(("cpu", "3"), ("host", "b")),
            };

            var schema = Roles(("cpu", ColumnRole.Numeric), ("host", ColumnRole.Categorical)).Fit(records, Invariant);

            Assert.Equal(2.0, schema.Columns[0].Median);
            Assert.Equal(new[] { "a", "b" }, schema.Columns[1].Categories);
        }

        [Fact]
        public void BuildOfNoRowsThrowsEmptyTrainingInput()
        {
            var builder = new TrainingSetBuilder(Roles(("cpu", ColumnRole.Numeric)), Invariant, MissingValuePolicy.Impute);

            Assert.Equal("EmptyTrainingInput", Assert.Throws<AutoencoderException>(() => builder.Build()).ErrorId);
        }

        [Theory]
        [InlineData(ColumnRole.Numeric)]
        [InlineData(ColumnRole.Categorical)]
        public void AColumnWithNoValueAtAllThrowsEmptyFeatureColumn(ColumnRole role)
        {
            var records = Enumerable.Range(0, 5).Select(i => (IRecord)new TestRecord(("x", "NA"), ("y", i))).ToList();

            var error = Assert.Throws<AutoencoderException>(() => BuildFrom(Roles(("x", role), ("y", ColumnRole.Numeric)), records));

            Assert.Equal("EmptyFeatureColumn", error.ErrorId);
            Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void TheCultureReadsNumbersAndDates()
        {
            var german = CultureInfo.GetCultureInfo("de-DE");
            var builder = new TrainingSetBuilder(Roles(("load", ColumnRole.Numeric), ("time", ColumnRole.Timestamp)), german, MissingValuePolicy.Impute);
            builder.Add(new TestRecord(("load", "1,5"), ("time", "05.01.2026 10:30")));
            builder.Add(new TestRecord(("load", "2,5"), ("time", "06.01.2026 10:30")));

            var set = builder.Build();

            Assert.Equal(2.0, set.Schema.Columns[0].Median);
            Assert.Equal(new DateTime(2026, 1, 5, 10, 30, 0), set.Schema.Columns[1].Statistics!.First);
            Assert.Equal("Mon 10:30", set.Schema.Describe(1, set.Rows[0]));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(17)]
        [InlineData(2335)]
        public void TheHeapSortOrdersLikeArraySort(int length)
        {
            var random = new Random(length + 1);
            // Few distinct values (many ties), wide ones, zeros of both signs and infinities.
            var values = Enumerable.Range(0, length).Select(i => (i % 5) switch
            {
                0 => random.Next(-3, 4),
                1 => (random.NextDouble() - 0.5) * 1e12,
                2 => i % 10 == 2 ? -0.0 : 0.0,
                3 => i % 20 == 3 ? double.NegativeInfinity : double.PositiveInfinity,
                _ => random.NextDouble() * 1e-300,
            }).ToArray();
            var expected = (double[])values.Clone();
            Array.Sort(expected);

            Statistics.SortInPlace(values);

            Assert.Equal(expected, values);
        }

        [Fact]
        public void NumericStatisticsAreTheSortedValuesSummedInOrder()
        {
            // The median, mean and standard deviation of List<double>.Sort, Average and Sum on the present values, to the bit.
            var random = new Random(7);
            var cells = Enumerable.Range(0, 2001).Select(i => i % 13 == 0 ? "" : (random.NextDouble() * 1000 - 300).ToString("R", Invariant)).ToList();
            // A second feature, always there: a row with x missing still holds a measurement, and is kept.
            var set = BuildFrom(Roles(("x", ColumnRole.Numeric), ("y", ColumnRole.Numeric)), cells.Select(c => (IRecord)new TestRecord(("x", c), ("y", 1.0))));

            var present = cells.Where(c => c.Length > 0).Select(c => double.Parse(c, Invariant)).ToList();
            present.Sort();
            double mean = present.Average();
            double std = Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / present.Count);
            int n = present.Count;
            double median = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2.0;
            var column = set.Schema.Columns[0];
            Assert.Equal(median, column.Median!.Value);
            Assert.Equal(mean, column.Statistics!.Mean!.Value);
            Assert.Equal(std, column.Statistics.StandardDeviation!.Value);
            Assert.Equal(present[0], column.Statistics.Min!.Value);
            Assert.Equal(present[^1], column.Statistics.Max!.Value);
            Assert.Equal(cells.Count - n, column.Statistics.Missing);
        }
    }
}
