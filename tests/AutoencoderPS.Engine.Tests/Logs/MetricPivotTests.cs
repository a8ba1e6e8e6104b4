using System;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Logs;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Long exports (one measurement per record: time, host, metric, value) pivoted by <see cref="LogWindowAggregator"/>
    /// into one row per interval and group with a column per metric.
    /// </summary>
    public class MetricPivotTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
        private static readonly TimeSpan Five = TimeSpan.FromMinutes(5);

        private static LogEventPlacement Add(LogWindowAggregator a, DateTime t, string host, string metric, double value) =>
            a.Add(t, host, null, null, new MetricSample(metric, value), out _);

        [Fact]
        public void LongRecordsBecomeOneRowPerIntervalAndGroupWithAColumnPerMetric()
        {
            var a = new LogWindowAggregator(Five, grouped: true, pivot: true);
            Add(a, T0, "web01", "cpu", 10);
            Add(a, T0, "web01", "mem", 50);
            Add(a, T0, "db01", "cpu", 5);
            Add(a, T0.AddMinutes(1), "web01", "CPU", 20); // the same metric in another case, the same interval: averaged
            Add(a, T0.AddMinutes(10), "web01", "mem", 51);

            var rows = a.GetWindows().ToList();

            // One column for both spellings, spelled as the first in ordinal order, whatever the order of records (as groups are).
            Assert.Equal(new[] { "CPU", "mem" }, a.MetricColumns);
            Assert.Equal(new[] { "db01", "web01", "db01", "web01", "db01", "web01" }, rows.Select(r => r.Group));
            Assert.Equal(new double?[] { 5, null }, rows[0].Metrics);
            Assert.Equal(new double?[] { 15, 50 }, rows[1].Metrics);
            Assert.Equal(3, rows[1].Count);
            // An interval without records: no value of any metric (not 0), and no record counted.
            Assert.Equal(new double?[] { null, null }, rows[3].Metrics);
            Assert.Equal(0, rows[3].Count);
            Assert.Equal(new double?[] { null, 51 }, rows[5].Metrics);
        }

        [Fact]
        public void ARecordSentTwiceIsLeftOutAndAnotherValueAtTheSameTimeIsAConflict()
        {
            var a = new LogWindowAggregator(Five, grouped: true, pivot: true);
            Assert.Equal(LogEventPlacement.Added, Add(a, T0, "web01", "cpu", 10));
            Assert.Equal(LogEventPlacement.Repeated, Add(a, T0, "web01", "cpu", 10));
            Assert.Equal(LogEventPlacement.Conflict, a.Add(T0, "web01", null, null, new MetricSample("cpu", 99), out var earlier));
            Assert.Equal(10, earlier);
            // Another host, or another time of the same host, is no repeat.
            Assert.Equal(LogEventPlacement.Added, Add(a, T0, "web02", "cpu", 10));
            Assert.Equal(LogEventPlacement.Added, Add(a, T0.AddMinutes(1), "web01", "cpu", 30));

            var first = a.GetWindows().First(w => w.Group == "web01");
            Assert.Equal(20, first.Metrics[0]); // 10 and 30: the repeat and the conflict left out
            Assert.Equal(2, first.Count);
            Assert.Equal(1, a.RepeatedRecords);
        }

        [Fact]
        public void ARecordSentTwiceLaterInItsIntervalCountsOnce()
        {
            // A 15-second series in 5-minute windows: a collector resends its first sample after two newer ones (a retry
            // after a timeout). Not the sample just before, but the same series, time and value: the same measurement.
            var a = new LogWindowAggregator(Five, grouped: true, pivot: true);
            Assert.Equal(LogEventPlacement.Added, Add(a, T0, "web01", "cpu", 10));
            Assert.Equal(LogEventPlacement.Added, Add(a, T0.AddSeconds(15), "web01", "cpu", 20));
            Assert.Equal(LogEventPlacement.Added, Add(a, T0.AddSeconds(30), "web01", "cpu", 30));
            Assert.Equal(LogEventPlacement.Added, Add(a, T0, "web01", "mem", 7)); // another metric of that time: no repeat
            Assert.Equal(LogEventPlacement.Repeated, Add(a, T0, "web01", "cpu", 10));
            Assert.Equal(LogEventPlacement.Repeated, Add(a, T0.AddSeconds(15), "web01", "cpu", 20));
            // The same series and time with another value is still a conflict, said with the value kept.
            Assert.Equal(LogEventPlacement.Conflict, a.Add(T0, "web01", null, null, new MetricSample("cpu", 99), out var earlier));
            Assert.Equal(10, earlier);
            Assert.Equal(LogEventPlacement.Conflict, a.Add(T0.AddSeconds(15), "web01", null, null, new MetricSample("CPU", 21), out earlier));
            Assert.Equal(20, earlier);
            // Another host at that time is no repeat.
            Assert.Equal(LogEventPlacement.Added, Add(a, T0, "web02", "cpu", 10));

            var web01 = a.GetWindows().Single(w => w.Group == "web01");
            Assert.Equal(4, web01.Count);
            Assert.Equal(20, web01.Metrics[0]); // (10 + 20 + 30) / 3
            Assert.Equal(2, a.RepeatedRecords);
        }

        [Fact]
        public void AResentRecordIsToldAlsoWhenTheRecordsOfAnIntervalComeOutOfOrder()
        {
            // Newest first (CloudWatch), and the export's pages overlap: the newest page's records come again at the end.
            var a = new LogWindowAggregator(Five, pivot: true);
            var times = Enumerable.Range(0, 10).Select(i => T0.AddSeconds(30 * i)).Reverse().ToArray();
            foreach (var t in times) Assert.Equal(LogEventPlacement.Added, a.Add(t, null, null, null, new MetricSample("cpu", t.Second), out _));
            foreach (var t in times.Take(4)) Assert.Equal(LogEventPlacement.Repeated, a.Add(t, null, null, null, new MetricSample("cpu", t.Second), out _));

            var window = a.GetWindows().Single();
            Assert.Equal(10, window.Count);
            Assert.Equal(15, window.Metrics[0]); // seconds 0, 30, 0, 30, ...
        }

        [Fact]
        public void AModelsMetricsAreTheColumnsAndOthersAreLeftOutAndCounted()
        {
            var a = new LogWindowAggregator(Five, grouped: true, pivot: true, knownMetrics: new[] { "cpu", "latency" });
            Add(a, T0, "web01", "cpu", 10);
            Assert.Equal(LogEventPlacement.UnknownMetric, Add(a, T0, "web01", "disk", 3));
            Add(a, T0.AddMinutes(5), "web01", "disk", 4);

            var rows = a.GetWindows().ToList();

            Assert.Equal(new[] { "cpu", "latency" }, a.MetricColumns);
            Assert.Equal(new double?[] { 10, null }, rows[0].Metrics);
            Assert.Equal(1, rows[0].Count);
            Assert.Equal(2, a.UnknownMetrics["disk"]);
        }

        [Fact]
        public void UnknownMetricsOfAnEndlessFeedAreCountedInBoundedMemory()
        {
            // A live feed (-Streaming -Model) whose unknown metrics carry an id (a pod, a request) names a new one in each
            // record: each name kept would grow without bound. The most are named up to a bound; every record is counted.
            var a = new LogWindowAggregator(Five, grouped: true, pivot: true, knownMetrics: new[] { "cpu" }, knownGroups: new[] { "web01" }, stream: true);
            int records = 3 * LogWindowAggregator.MaxUnknownMetricNames;
            for (int i = 0; i < records; i++)
                Assert.Equal(LogEventPlacement.UnknownMetric, Add(a, T0.AddSeconds(i), "web01", $"pod_{i}_restarts", 1));
            Add(a, T0, "web01", "disk", 1);
            Add(a, T0, "web01", "disk", 2);

            Assert.True(a.UnknownMetrics.Count <= LogWindowAggregator.MaxUnknownMetricNames);
            Assert.Equal(records + 2, a.UnknownMetricRecords);
            Assert.True(a.UnknownMetricNamesDropped);
        }

        [Fact]
        public void MetricsFromTheRecordsAreBoundedAndAModelsAreNot()
        {
            var a = new LogWindowAggregator(Five, grouped: true, pivot: true);
            for (int i = 0; i < LogWindowAggregator.MaxMetricColumns; i++)
                Assert.Equal(LogEventPlacement.Added, Add(a, T0, "web01", $"id-{i}", 1));
            // A metric seen before still counts; a new one past the bound is the records' metric property holding ids.
            Assert.Equal(LogEventPlacement.Added, Add(a, T0.AddMinutes(1), "web01", "id-7", 2));
            var e = Assert.Throws<AutoencoderException>(() => Add(a, T0, "web01", "id-new", 1));
            Assert.Equal(ErrorIds.MetricColumnsTooMany, e.ErrorId);
            Assert.Contains("'id-new'", e.Message);
            // A model's metrics are its columns, however many.
            var known = Enumerable.Range(0, LogWindowAggregator.MaxMetricColumns + 5).Select(i => $"m{i}").ToArray();
            var fixedMetrics = new LogWindowAggregator(Five, grouped: true, knownGroups: new[] { "web01" }, pivot: true, knownMetrics: known);
            Assert.Equal(known.Length, fixedMetrics.MetricColumns.Count);
            Assert.Equal(LogEventPlacement.Added, Add(fixedMetrics, T0, "web01", $"m{known.Length - 1}", 1));
        }

        [Fact]
        public void AModelsMetricsAndGroupsLetTheWindowsOutAsTheyClose()
        {
            var a = new LogWindowAggregator(Five, grouped: true, knownGroups: new[] { "web01" }, pivot: true, knownMetrics: new[] { "cpu" }, stream: true);
            Assert.True(a.Streams);
            Add(a, T0, "web01", "cpu", 10);
            Add(a, T0.AddMinutes(5), "web01", "cpu", 11);
            Assert.Empty(a.TakeClosedWindows());
            Add(a, T0.AddMinutes(10), "web01", "cpu", 12);

            var closed = a.TakeClosedWindows();

            Assert.Equal(new double?[] { 10 }, Assert.Single(closed).Metrics);
            Assert.Equal(new double?[][] { new double?[] { 11 }, new double?[] { 12 } }, a.GetWindows().Select(w => w.Metrics.ToArray()));
            // Without a model's metrics the columns come from the records: held to the end.
            Assert.False(new LogWindowAggregator(Five, grouped: true, knownGroups: new[] { "web01" }, pivot: true, stream: true).Streams);
        }

        [Fact]
        public void AMetricNamesItsColumnAsWrittenTrimmedWithEmptyAsEmpty()
        {
            var a = new LogWindowAggregator(Five, pivot: true);
            a.Add(T0, null, null, null, new MetricSample(" node_load1 ", 1), out _);
            a.Add(T0, null, null, null, new MetricSample("", 2), out _);
            Assert.Equal(new[] { LogWindowAggregator.EmptyValue, "node_load1" }, a.MetricColumns);
        }

        [Fact]
        public void ASampleWithoutPivotIsRefused()
        {
            var a = new LogWindowAggregator(Five);
            Assert.Throws<InvalidOperationException>(() => a.Add(T0, null, null, null, new MetricSample("cpu", 1), out _));
        }
    }
}
