using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The one reading of rows that training, training further and recalibration share (SeriesRows.Take over
    /// TrainingSetBuilder.Add or FeaturizedRows.Add): which rows are kept, which are left out of their series, and
    /// what is filled in.
    /// </summary>
    public sealed class SeriesRowsTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        // Rows of two hosts, in turn, with measurements that vary as a gauge's do.
        private static List<TestRecord> Rows(int count) => Enumerable.Range(0, count)
            .Select(i => new TestRecord(("Host", i % 2 == 0 ? "a" : "b"), ("load", (object?)(10 + 3 * Math.Sin(i) + 0.25 * i % 1)), ("mem", (object?)(50 + 7 * Math.Cos(1.3 * i)))))
            .ToList();

        private static FeatureSchema FittedSchema()
        {
            var rows = Rows(20);
            var roles = FeatureSchema.Infer(rows, null, null, Invariant, out _, out _, keys: new Dictionary<string, string> { ["Host"] = "the group" });
            var builder = new TrainingSetBuilder(roles, Invariant, MissingValuePolicy.Impute);
            foreach (var r in rows) builder.Add(r);
            return builder.Build(1).Schema;
        }

        [Fact]
        public void AWindowModelsRowsLeftOutOrRejectedCountBeforeTheirGroupsNextKeptRow()
        {
            var schema = FittedSchema();
            var settings = new ModelSettings(new[] { 4 }, windowSize: 3, groupBy: "Host");
            var series = new SeriesRows();
            var rows = new FeaturizedRows(schema, Invariant, MissingValuePolicy.Impute);
            var input = new List<TestRecord>
            {
                new TestRecord(("Host", "a"), ("load", 1.0), ("mem", 2.0)),
                new TestRecord(("Host", "a"), ("load", ""), ("mem", "")),             // a host down: left out
                new TestRecord(("Host", "b"), ("load", "x"), ("mem", 2.0)),           // rejected: still a row of b
                new TestRecord(("Host", "a"), ("load", 3.0), ("mem", "NA")),          // kept, mem filled in
                new TestRecord(("Host", "b"), ("load", 4.0), ("mem", 5.0)),
            };
            var kept = new List<bool>();
            int rejected = 0;
            foreach (var record in input)
            {
                try { kept.Add(series.Take(record, settings, schema, Invariant, rows.Add)); }
                catch (FeatureValueException) { rejected++; }
            }
            Assert.Equal(new[] { true, false, true, true }, kept);
            Assert.Equal(1, rejected);
            Assert.Equal(1, rows.NoMeasurement);
            Assert.Equal(3, rows.Rows.Count);
            Assert.Equal(new[] { "a", "a", "b" }, series.Keys.Select(k => k.Group));
            // Without a time property a left-out row is still a step of its group's series.
            Assert.Equal(new[] { 0, 1, 1 }, series.Before);
            // The second kept row's mem was filled in with the training median; its load was read.
            Assert.Equal(3.0, rows.Rows[1][schema.IndexOf("load")]);
            Assert.Equal(schema.Columns[schema.IndexOf("mem")].Median, rows.Rows[1][schema.IndexOf("mem")]);
            Assert.True(rows.Imputed.Contains(1, schema.IndexOf("mem")));
            Assert.False(rows.Imputed.Contains(1, schema.IndexOf("load")));
        }

        [Fact]
        public void ARowWhoseGroupCantBeReadIsRejectedBeforeAnyValueIsTakenAndCountsForNoGroup()
        {
            var schema = FittedSchema();
            var settings = new ModelSettings(new[] { 4 }, windowSize: 3, groupBy: "Host");
            var series = new SeriesRows();
            bool added = false;
            Assert.Throws<FeatureValueException>(() => series.Take(new TestRecord(("Host", ""), ("load", 1.0), ("mem", 2.0)), settings, schema, Invariant,
                _ => added = true));
            Assert.False(added);
            Assert.Empty(series.Keys);
            Assert.Null(series.Before);
        }

        [Fact]
        public void ARowModelsRowsAreOnlyAdded()
        {
            var schema = FittedSchema();
            var series = new SeriesRows();
            var rows = new FeaturizedRows(schema, Invariant, MissingValuePolicy.Impute);
            Assert.True(series.Take(new TestRecord(("Host", "a"), ("load", 1.0), ("mem", 2.0)), new ModelSettings(new[] { 4 }), schema, Invariant, rows.Add));
            Assert.Single(rows.Rows);
            Assert.Empty(series.Keys);
        }
    }
}
