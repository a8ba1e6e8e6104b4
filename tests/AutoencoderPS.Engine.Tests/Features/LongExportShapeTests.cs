using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A row model's training rows that are a long export (one measurement per row) are told, with the pivot that reads
    /// them (<see cref="LongExportShape"/>): trained as they are, the value column holds every metric at once.
    /// </summary>
    public class LongExportShapeTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
        private static readonly string[] Hosts = { "web01", "web02", "db01" };
        private static readonly string[] Metrics = { "cpu", "mem", "requests" };

        private static string? Describe(IReadOnlyList<IRecord> rows)
        {
            var roles = FeatureSchema.Infer(rows, null, null, CultureInfo.InvariantCulture, out _);
            return LongExportShape.Describe(rows, roles, CultureInfo.InvariantCulture);
        }

        private static IEnumerable<(DateTime Time, string Host, int Metric, double Value)> Samples(int steps, TimeSpan step)
        {
            var random = new Random(1);
            for (int i = 0; i < steps; i++)
                foreach (var h in Hosts)
                    for (int m = 0; m < Metrics.Length; m++)
                        yield return (T0 + i * step, h, m, Math.Round(10 + 50 * random.NextDouble(), 2));
        }

        [Fact]
        public void AzurePerfRowsAreToldWithThePivotThatReadsThem()
        {
            var rows = Samples(100, TimeSpan.FromMinutes(5)).Select(s => (IRecord)new TestRecord(
                ("TimeGenerated", s.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)), ("Computer", s.Host),
                ("ObjectName", "Processor"), ("CounterName", Metrics[s.Metric]), ("CounterValue", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();

            var message = Describe(rows);

            Assert.NotNull(message);
            Assert.Contains("'CounterValue' holds the value of the metric named in 'CounterName'", message, StringComparison.Ordinal);
            Assert.Contains("ConvertTo-LogWindow -TimeProperty TimeGenerated -Interval 00:05:00 -GroupBy Computer -MetricProperty CounterName -ValueProperty CounterValue",
                message, StringComparison.Ordinal);
        }

        [Fact]
        public void AModelOfTheValueAloneNamedWithFeatureIsToldToo()
        {
            // New-Autoencoder -Feature value on a long export: the other columns are not among the named features, and the
            // time column is still the rows' time (its values are times); the value column holds every metric at once.
            var rows = Samples(100, TimeSpan.FromMinutes(5)).Select(s => (IRecord)new TestRecord(
                ("time", s.Time.ToString("o", CultureInfo.InvariantCulture)), ("host", s.Host),
                ("metric", Metrics[s.Metric]), ("value", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();
            var roles = FeatureSchema.Infer(rows, new[] { "value" }, null, CultureInfo.InvariantCulture, out _);

            var message = LongExportShape.Describe(rows, roles, CultureInfo.InvariantCulture);

            Assert.NotNull(message);
            Assert.Contains("ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy host -MetricProperty metric -ValueProperty value",
                message, StringComparison.Ordinal);
            Assert.Equal(new[] { "time" }, roles.TimeColumns);
        }

        [Theory]
        [InlineData("iso")]
        [InlineData("epoch")]
        public void ATimeColumnLeftOutWithExcludeFeatureIsStillTheRowsTime(string written)
        {
            // New-Autoencoder -ExcludeFeature time on a long export: the user leaves the time out of the features, and it is
            // still the rows' time (a timestamp, or epoch seconds), by which the recurring times are told.
            var rows = Samples(100, TimeSpan.FromMinutes(5)).Select(s => (IRecord)new TestRecord(
                ("time", written == "iso" ? s.Time.ToString("o", CultureInfo.InvariantCulture)
                    : new DateTimeOffset(s.Time).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ("host", s.Host),
                ("metric", Metrics[s.Metric]), ("value", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();
            var roles = FeatureSchema.Infer(rows, null, new[] { "time" }, CultureInfo.InvariantCulture, out _);

            Assert.Equal(new[] { "time" }, roles.TimeColumns);
            Assert.Contains("ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy host -MetricProperty metric -ValueProperty value",
                LongExportShape.Describe(rows, roles, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        [Fact]
        public void AColumnLeftOutWithExcludeFeatureThatHoldsNoTimesIsNoTime()
        {
            var rows = Samples(30, TimeSpan.FromMinutes(5)).Select(s => (IRecord)new TestRecord(
                ("time", s.Time.ToString("o", CultureInfo.InvariantCulture)), ("host", s.Host), ("load", s.Value.ToString(CultureInfo.InvariantCulture)),
                ("value", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();
            var roles = FeatureSchema.Infer(rows, null, new[] { "host", "load" }, CultureInfo.InvariantCulture, out _);

            Assert.Equal(new[] { "time" }, roles.TimeColumns);
        }

        [Fact]
        public void TheTimeIsTheColumnTheRolesReadAsTimesNotAnIdThatReadsAsOne()
        {
            // A log store's export with a numeric event id first (a snowflake id near 1.8e18, which as a number of
            // nanoseconds would be a time of 2027): the roles take it for an id and the rows' time is 'time'.
            long id = 1_800_000_000_000_000_000;
            var rows = Samples(100, TimeSpan.FromMinutes(5)).Select(s => (IRecord)new TestRecord(
                ("_id", (id += 4096 + s.Metric).ToString(CultureInfo.InvariantCulture)),
                ("time", s.Time.ToString("o", CultureInfo.InvariantCulture)), ("host", s.Host),
                ("metric", Metrics[s.Metric]), ("value", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();
            var roles = FeatureSchema.Infer(rows, null, null, CultureInfo.InvariantCulture, out _);

            Assert.Equal(new[] { "time" }, roles.TimeColumns);
            Assert.Contains("ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy host -MetricProperty metric -ValueProperty value",
                LongExportShape.Describe(rows, roles, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        [Fact]
        public void ZabbixHistoryIsToldByItsItemIdsAndEpochClock()
        {
            var rows = Samples(100, TimeSpan.FromMinutes(1)).Select(s => (IRecord)new TestRecord(
                ("itemid", (object?)(28000 + Array.IndexOf(Hosts, s.Host) * 10 + s.Metric).ToString(CultureInfo.InvariantCulture)),
                ("clock", new DateTimeOffset(s.Time).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
                ("value", s.Value.ToString(CultureInfo.InvariantCulture)), ("ns", "123456789"))).ToList();

            Assert.Contains("ConvertTo-LogWindow -TimeProperty clock -Interval 00:01:00 -MetricProperty itemid -ValueProperty value",
                Describe(rows), StringComparison.Ordinal);
        }

        [Fact]
        public void InfluxDbTablesAreToldByTheirColumnsAlsoWhenTheFirstRowsAreOneSeries()
        {
            // influx query --raw writes one table (series) after another: the first 1,000 rows are one host's one field.
            var rows = Samples(400, TimeSpan.FromMinutes(5)).OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Metric).ThenBy(s => s.Time)
                .Take(1000).Select(s => (IRecord)new TestRecord(("H1", ""), ("result", ""), ("table", "0"),
                    ("_start", "2026-11-02T00:00:00Z"), ("_stop", "2026-11-05T00:00:00Z"),
                    // A collector's clock: each time a fraction of a second past its step, so no two series' times meet.
                    ("_time", s.Time.AddMilliseconds((int)(s.Value * 131) % 997).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture)), ("_value", s.Value.ToString(CultureInfo.InvariantCulture)),
                    ("_field", Metrics[s.Metric]), ("_measurement", "system"), ("host", s.Host))).ToList();
            // A table's own header, read as a record (Import-Csv of the whole file): its time is no time, and the rest are told.
            rows.Insert(500, new TestRecord(("H1", ""), ("result", "result"), ("table", "table"), ("_start", "_start"), ("_stop", "_stop"),
                ("_time", "_time"), ("_value", "_value"), ("_field", "_field"), ("_measurement", "_measurement"), ("host", "host")));

            Assert.Contains("ConvertTo-LogWindow -TimeProperty _time -Interval 00:05:00 -GroupBy host -MetricProperty _measurement, _field -ValueProperty _value",
                Describe(rows), StringComparison.Ordinal);
        }

        [Fact]
        public void AnExportSortedBySeriesWhoseFirstRowsAreOneSeriesIsTold()
        {
            // A Prometheus CSV sorted by instance, metric and time: a week at 5 minutes is 2,016 rows a series, so the
            // first 1,000 rows are web01's cpu alone. No time recurs in them, and 'metric' has one value.
            var rows = Samples(7 * 288, TimeSpan.FromMinutes(5)).OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Metric).ThenBy(s => s.Time)
                .Take(1000).Select(s => (IRecord)new TestRecord(("timestamp", new DateTimeOffset(s.Time).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
                    ("metric", Metrics[s.Metric]), ("instance", s.Host), ("value", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();

            var message = Describe(rows);

            Assert.NotNull(message);
            Assert.Contains("'value' holds the value of the metric named in 'metric'", message, StringComparison.Ordinal);
            Assert.Contains("ConvertTo-LogWindow -TimeProperty timestamp -Interval 00:05:00 -GroupBy instance -MetricProperty metric -ValueProperty value",
                message, StringComparison.Ordinal);
        }

        [Fact]
        public void SeriesOneAfterAnotherWhoseTimeStartsOverAsEachBeginsAreTold()
        {
            // Grafana's CSV of a panel's series ("Series", "Time", "Value"), a day at 5 minutes each, newest first: the
            // first 1,000 rows are three series and part of a fourth, each series' times starting over from the newest.
            var rows = Samples(288, TimeSpan.FromMinutes(5)).OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Metric).ThenByDescending(s => s.Time)
                .Take(1000).Select(s => (IRecord)new TestRecord(("Series", $"{s.Host}.{Metrics[s.Metric]}"),
                    ("Time", s.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)), ("Value", s.Value.ToString(CultureInfo.InvariantCulture)))).ToList();

            Assert.Contains("ConvertTo-LogWindow -TimeProperty Time -Interval 00:05:00 -MetricProperty Series -ValueProperty Value",
                Describe(rows), StringComparison.Ordinal);
        }

        [Fact]
        public void WideExportsSortedByHostAndLabelledSeriesAreNoLongExport()
        {
            // A wide export sorted by host: each host's times one after another, going back as the next host begins, but
            // its metrics are columns and nothing names one.
            var wide = Samples(400, TimeSpan.FromMinutes(5)).Where(s => s.Metric == 0).OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Time)
                .Select(s => (IRecord)new TestRecord(("time", s.Time.ToString("o", CultureInfo.InvariantCulture)), ("host", s.Host),
                    ("value", s.Value), ("mem", s.Value / 2))).ToList();
            Assert.Null(Describe(wide));

            // One series with its label (a benchmark's): a value column and a text column of few values, which is the answer.
            var labelled = Enumerable.Range(0, 1000).Select(i => (IRecord)new TestRecord(
                ("timestamp", T0.AddMinutes(5 * i).ToString("s", CultureInfo.InvariantCulture)), ("value", (double)(i % 17)),
                ("label", i is > 600 and < 620 ? "anomaly" : "normal"))).ToList();
            Assert.Null(Describe(labelled));
        }

        [Fact]
        public void WideRowsOfSeveralHostsAndOneSeriesOfValuesAreNoLongExport()
        {
            // Several hosts at each time, a column per metric: rows share times, and no column holds "the value".
            var wide = Samples(100, TimeSpan.FromMinutes(5)).Where(s => s.Metric == 0).Select(s => (IRecord)new TestRecord(
                ("time", s.Time.ToString("o", CultureInfo.InvariantCulture)), ("host", s.Host), ("cpu", s.Value), ("mem", s.Value / 2))).ToList();
            Assert.Null(Describe(wide));

            // A column named value, one row per time.
            var single = Enumerable.Range(0, 300).Select(i => (IRecord)new TestRecord(
                ("timestamp", T0.AddMinutes(5 * i).ToString("o", CultureInfo.InvariantCulture)), ("value", (double)(i % 17)))).ToList();
            Assert.Null(Describe(single));
        }

        [Fact]
        public void AWideFleetExportWithAValueColumnAndAGroupNamedByNameIsNoLongExport()
        {
            // A fleet's joined wide export: a row per time and service, a column per metric, one of them named as a value
            // (BacklogValue). ServiceName is the group, not the name of a metric: the rows are already one per time and group.
            var services = new[] { "api", "web", "db" };
            var random = new Random(3);
            var rows = Enumerable.Range(0, 300).SelectMany(i => services.Select(s => (IRecord)new TestRecord(
                ("Time", T0.AddMinutes(5 * i).ToString("s", CultureInfo.InvariantCulture)), ("ServiceName", s),
                ("cpu", Math.Round(50 * random.NextDouble(), 2)), ("mem", Math.Round(40 + 10 * random.NextDouble(), 2)),
                ("BacklogValue", (double)random.Next(0, 100))))).ToList();

            Assert.Null(Describe(rows));
        }
    }
}
