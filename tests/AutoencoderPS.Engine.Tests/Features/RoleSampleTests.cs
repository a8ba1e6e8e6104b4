using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class RoleSampleTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        // A wide export: 'late' empty until row `joins` (0-based), numbers after; 'never' always empty.
        private static IRecord Row(int i, int joins) => new TestRecord(
            ("time", $"2026-12-01T00:{i % 60:00}:00"), ("cpu", (30 + i % 17).ToString(Invariant)),
            ("late", i >= joins ? (20.5 + i % 13).ToString(Invariant) : ""), ("never", "NA"));

        private static int RowsUntilReady(RoleSample sample, int joins, int available)
        {
            for (int i = 0; i < available; i++)
                if (sample.Add(Row(i, joins))) return i + 1;
            return -1;
        }

        [Fact]
        public void EveryColumnPresentFromTheFirstRowIsReadyAtTheUsualSize()
        {
            var sample = new RoleSample(Invariant, c => c != "never");
            Assert.Equal(RoleSample.Rows, RowsUntilReady(sample, joins: 0, available: 5000));
            Assert.Empty(sample.EmptyInFirstRows);
        }

        [Fact]
        public void AColumnWithoutAValueKeepsTheSampleGoingUntilItHasOne()
        {
            // Roles chosen from the first 1,000 rows left 'late' out as "always empty" (an operator trial: host web03 joined at row 1,011).
            var sample = new RoleSample(Invariant, c => c != "never" && c != "time");
            Assert.Equal(1010 + RoleSample.LateValues, RowsUntilReady(sample, joins: 1010, available: 5000));
            Assert.Equal(new[] { "late" }, sample.EmptyInFirstRows);
            Assert.Empty(sample.Awaiting);

            var schema = FeatureSchema.Infer(sample.Records, null, new[] { "time" }, Invariant, out _);
            Assert.Equal(ColumnRole.Numeric, schema.Columns[schema.IndexOf("late")].Role);
        }

        [Fact]
        public void AColumnThatJoinsLateWithFewValuesKeepsTheSampleGoingToTheEndOrTheBound()
        {
            // 'late' holds 10 values from row 1,990 on: all of them are read (the input ends before the bound).
            var sample = new RoleSample(Invariant, c => c != "never" && c != "time");
            Assert.Equal(-1, RowsUntilReady(sample, joins: 1990, available: 2000));
            Assert.Equal(2000, sample.Count);
            Assert.Equal(new[] { "late" }, sample.EmptyInFirstRows);
            Assert.Empty(sample.Awaiting);
        }

        [Fact]
        public void ANamedLateColumnOfNumbersTheCultureDoesNotReadIsRefusedNotACategoryOfItsFirstValue()
        {
            // Roles chosen on its first value ('447,00'), a named column was a category of one text, without a word:
            // with as many values as the category rule needs, NamedFeatureUnreadNumbers says why.
            var de = CultureInfo.GetCultureInfo("de-DE");
            var sample = new RoleSample(Invariant, c => c == "cpu" || c == "late");
            for (int i = 0; i < 1200; i++)
            {
                var row = new TestRecord(("cpu", (30 + i % 17).ToString(Invariant)), ("late", i >= 1100 ? (40 + i * 0.37).ToString("0.00", de) : ""));
                if (sample.Add(row)) break;
            }
            Assert.Equal(1100 + RoleSample.LateValues, sample.Count);
            var e = Assert.Throws<AutoencoderException>(() => FeatureSchema.Infer(sample.Records, new[] { "cpu", "late" }, null, Invariant, out _));
            Assert.Equal(ErrorIds.NamedFeatureUnreadNumbers, e.ErrorId);
        }

        [Fact]
        public void AColumnEmptyInEveryRowKeepsTheSampleGoingToItsBoundOnly()
        {
            var sample = new RoleSample(Invariant, c => c != "time");
            // 4 columns: the bound is MaxCells / 4 rows, at most MaxRows.
            int bound = (int)System.Math.Min(RoleSample.MaxRows, RoleSample.MaxCells / 4);
            Assert.Equal(bound, RowsUntilReady(sample, joins: 0, available: RoleSample.MaxRows + 10));
            Assert.Equal(bound, sample.Limit);
            Assert.Equal(new[] { "never" }, sample.Awaiting);
        }

        [Fact]
        public void AWideHeaderKeepsFewerRowsButNeverFewerThanTheUsualSize()
        {
            var names = Enumerable.Range(0, 10_000).Select(k => $"c{k}").ToArray();
            var sample = new RoleSample(Invariant, _ => true);
            sample.Add(new TestRecord(names.Select(n => (n, (object?)"")).ToArray()));
            Assert.Equal(RoleSample.Rows, sample.Limit);
        }

        [Fact]
        public void ANamedFeatureWithoutAValueInTheSampleIsNumericNotACategory()
        {
            // Named with -Feature and empty in the sample, it became a category of the texts of its later numbers.
            var records = Enumerable.Range(0, 50).Select(i => Row(i, joins: 1000)).ToList();
            var schema = FeatureSchema.Infer(records, new[] { "cpu", "late" }, null, Invariant, out var decisions);
            Assert.Equal(ColumnRole.Numeric, schema.Columns[schema.IndexOf("late")].Role);
            Assert.Contains(decisions, d => d.Contains("'late': numeric feature, named with -Feature; no value"));
            // Not named, it is left out as always empty.
            var unnamed = FeatureSchema.Infer(records, null, new[] { "time" }, Invariant, out _);
            Assert.Contains(unnamed.Ignored, c => c.Name == "late" && c.Reason == "always empty");
        }

        [Fact]
        public void AFeatureMissingInMuchOfTrainingIsWarnedOf()
        {
            var records = Enumerable.Range(0, 200).Select(i => Row(i, joins: 150)).ToList();
            var roles = FeatureSchema.Infer(records, new[] { "cpu", "late" }, null, Invariant, out _);
            var builder = new TrainingSetBuilder(roles, Invariant, MissingValuePolicy.Impute);
            foreach (var record in records) builder.Add(record);
            var warning = builder.Build().MostlyMissingWarning();
            Assert.NotNull(warning);
            Assert.Contains("Feature 'late' (missing in 150 of 200 training rows, 75 %)", warning);
            Assert.DoesNotContain("'cpu'", warning);

            var full = new TrainingSetBuilder(roles, Invariant, MissingValuePolicy.Impute);
            foreach (var record in Enumerable.Range(0, 200).Select(i => Row(i, joins: 0))) full.Add(record);
            Assert.Null(full.Build().MostlyMissingWarning());
        }
    }
}
