using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine;
using Xunit;
using AutoencoderPS.Engine.Logs;

namespace AutoencoderPS.Engine.Tests
{
    public class LogWindowAggregatorTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 1, 5, 0, 0, 0);
        private static readonly TimeSpan Five = TimeSpan.FromMinutes(5);

        private static Dictionary<string, string?> Level(string? level) => new Dictionary<string, string?> { ["Level"] = level };

        private static Dictionary<string, double?> Duration(double? ms) => new Dictionary<string, double?> { ["ms"] = ms };

        [Fact]
        public void CountsPerIntervalAndValueWithSilentIntervalsAsZeroRows()
        {
            var a = new LogWindowAggregator(Five, countBy: new[] { "Level" });
            a.Add(T0.AddMinutes(1), null, Level("Error"), null);
            a.Add(T0.AddMinutes(4.99), null, Level("Information"), null);
            a.Add(T0.AddMinutes(16), null, Level("error"), null); // same value, other case

            var rows = a.GetWindows().ToList();

            Assert.Equal(new[] { "Level=Error", "Level=Information", "Level=(other)" }, a.CountColumns);
            Assert.Equal(new[] { T0, T0.AddMinutes(5), T0.AddMinutes(10), T0.AddMinutes(15) }, rows.Select(r => r.IntervalStart));
            Assert.Equal(new long[] { 2, 0, 0, 1 }, rows.Select(r => r.Count));
            Assert.Equal(new long[] { 1, 1, 0 }, rows[0].Counts);
            Assert.Equal(new long[] { 0, 0, 0 }, rows[1].Counts);
            Assert.Equal(new long[] { 1, 0, 0 }, rows[3].Counts);
        }

        [Fact]
        public void ColumnsAndRowsDoNotDependOnTheOrderOfEvents()
        {
            var events = Enumerable.Range(0, 200).Select(i => (T0.AddSeconds(i * 37 % 3600), i % 3 == 0 ? "b" : i % 3 == 1 ? "A" : "c")).ToList();
            string Run(IEnumerable<(DateTime, string)> input)
            {
                var a = new LogWindowAggregator(Five, countBy: new[] { "Level" });
                foreach (var (t, v) in input) a.Add(t, null, Level(v), null);
                return string.Join(",", a.CountColumns) + "|" + string.Join(";", a.GetWindows().Select(w => $"{w.IntervalStart:o}:{w.Count}:{string.Join(" ", w.Counts)}"));
            }

            Assert.Equal(Run(events), Run(Enumerable.Reverse(events)));
            Assert.StartsWith("Level=A,Level=b,Level=c,Level=(other)|", Run(events));
        }

        [Fact]
        public void WindowsOfInstantsFallOnTheZonesStandardClockAndKeepTheirLength()
        {
            // Hourly windows of instants in India (+05:30): on its hour, not at :30 as multiples of an hour in UTC.
            var india = new LogWindowAggregator(TimeSpan.FromHours(1), clockOffset: TimeSpan.FromHours(5.5));
            india.Add(new DateTime(2026, 1, 5, 10, 10, 0, DateTimeKind.Utc), null, null, null);
            india.Add(new DateTime(2026, 1, 5, 11, 29, 0, DateTimeKind.Utc), null, null, null);
            india.Add(new DateTime(2026, 1, 5, 11, 31, 0, DateTimeKind.Utc), null, null, null);
            var hours = india.GetWindows().ToList();
            Assert.Equal(new[] { new DateTime(2026, 1, 5, 9, 30, 0, DateTimeKind.Utc), new DateTime(2026, 1, 5, 10, 30, 0, DateTimeKind.Utc),
                new DateTime(2026, 1, 5, 11, 30, 0, DateTimeKind.Utc) }, hours.Select(w => w.IntervalStart));
            Assert.Equal(new long[] { 1, 1, 1 }, hours.Select(w => w.Count));
            Assert.All(hours, w => Assert.Equal(DateTimeKind.Utc, w.IntervalStart.Kind));
            // Daily windows in Berlin (+01:00 standard) start at its midnight, 23:00 UTC, and are 24 hours long also across
            // the spring change (29 March 2026), where they start at 01:00 summer time.
            var berlin = new LogWindowAggregator(TimeSpan.FromDays(1), clockOffset: TimeSpan.FromHours(1));
            berlin.Add(new DateTime(2026, 3, 28, 22, 59, 0, DateTimeKind.Utc), null, null, null);
            berlin.Add(new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), null, null, null);
            berlin.Add(new DateTime(2026, 3, 29, 22, 30, 0, DateTimeKind.Utc), null, null, null);
            var days = berlin.GetWindows().ToList();
            Assert.Equal(new[] { new DateTime(2026, 3, 27, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc) },
                days.Select(w => w.IntervalStart));
            Assert.Equal(new long[] { 1, 2 }, days.Select(w => w.Count));
            // -Start fixes the grid whatever the zone.
            var pinned = new LogWindowAggregator(TimeSpan.FromHours(1), start: new DateTime(2026, 1, 5, 10, 15, 0, DateTimeKind.Utc), clockOffset: TimeSpan.FromHours(5.5));
            pinned.Add(new DateTime(2026, 1, 5, 10, 20, 0, DateTimeKind.Utc), null, null, null);
            Assert.Equal(new DateTime(2026, 1, 5, 10, 15, 0, DateTimeKind.Utc), pinned.GetWindows().First().IntervalStart);
        }

        [Fact]
        public void StartAndEndPinTheRangeAndTheGrid()
        {
            var a = new LogWindowAggregator(Five, start: T0.AddMinutes(2), end: T0.AddMinutes(22));
            Assert.True(a.Add(T0.AddMinutes(8), null, null, null));
            Assert.False(a.Add(T0.AddMinutes(1), null, null, null));
            Assert.False(a.Add(T0.AddMinutes(22), null, null, null));

            var rows = a.GetWindows().ToList();

            Assert.Equal(new[] { 2, 7, 12, 17 }.Select(m => T0.AddMinutes(m)), rows.Select(r => r.IntervalStart));
            Assert.Equal(new long[] { 0, 1, 0, 0 }, rows.Select(r => r.Count));
            Assert.Equal(2, a.OutOfRangeCount);
            Assert.Equal(1, a.EventCount);
        }

        [Fact]
        public void WithoutStartIntervalsAlignToWholeMultiples()
        {
            var a = new LogWindowAggregator(TimeSpan.FromMinutes(15));
            a.Add(new DateTime(2026, 1, 5, 10, 44, 59), null, null, null);
            Assert.Equal(new DateTime(2026, 1, 5, 10, 30, 0), a.GetWindows().Single().IntervalStart);
        }

        [Fact]
        public void StartAndEndWithoutEventsGiveZeroRows()
        {
            var a = new LogWindowAggregator(Five, countBy: new[] { "Level" }, start: T0, end: T0.AddMinutes(15));
            var rows = a.GetWindows().ToList();
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => { Assert.Equal(0, r.Count); Assert.Equal(new long[] { 0 }, r.Counts); });
            Assert.Empty(new LogWindowAggregator(Five).GetWindows());
        }

        [Fact]
        public void GroupsGetEveryIntervalInTimeOrder()
        {
            var a = new LogWindowAggregator(Five, grouped: true);
            a.Add(T0.AddMinutes(11), "web02", null, null);
            a.Add(T0.AddMinutes(1), "web01", null, null);
            a.Add(T0.AddMinutes(2), "WEB01", null, null);

            var rows = a.GetWindows().ToList();

            Assert.Equal(6, rows.Count);
            Assert.Equal(new[] { "WEB01", "web02", "WEB01", "web02", "WEB01", "web02" }, rows.Select(r => r.Group));
            Assert.Equal(new long[] { 2, 0, 0, 0, 0, 1 }, rows.Select(r => r.Count));
            Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.IntervalStart <= p.Second.IntervalStart));
        }

        [Fact]
        public void KnownGroupsAreEmittedEvenWhenSilent()
        {
            var a = new LogWindowAggregator(Five, grouped: true, knownGroups: new[] { "db01", "web01" }, start: T0, end: T0.AddMinutes(10));
            a.Add(T0, "web01", null, null);
            var rows = a.GetWindows().ToList();
            Assert.Equal(new[] { "db01", "web01", "db01", "web01" }, rows.Select(r => r.Group));
            Assert.Equal(new long[] { 0, 1, 0, 0 }, rows.Select(r => r.Count));
        }

        [Fact]
        public void KnownColumnsFixTheColumnsAndUnseenValuesCountAsOther()
        {
            var a = new LogWindowAggregator(Five, countBy: new[] { "Level" },
                knownColumns: new[] { "Count", "Level=Warning", "Level=Information", "Level=(other)", "ms.Min" });
            a.Add(T0, null, Level("Information"), null);
            a.Add(T0, null, Level("Critical"), null);
            a.Add(T0, null, Level(null), null);

            var row = a.GetWindows().Single();

            Assert.Equal(new[] { "Level=Warning", "Level=Information", "Level=(other)" }, a.CountColumns);
            Assert.Equal(new long[] { 0, 1, 2 }, row.Counts);
        }

        [Fact]
        public void MissingValuesCountAsEmptyAndOtherIsAlwaysThere()
        {
            var a = new LogWindowAggregator(Five, countBy: new[] { "Level", "Id" });
            a.Add(T0, null, Level("  "), null);
            a.Add(T0, null, new Dictionary<string, string?> { ["Id"] = "4625", ["Level"] = "a\nb" }, null);

            Assert.Equal(new[] { "Level=(empty)", "Level=a b", "Level=(other)", "Id=(empty)", "Id=4625", "Id=(other)" }, a.CountColumns);
            Assert.Equal(new long[] { 1, 1, 0, 1, 1, 0 }, a.GetWindows().Single().Counts);
        }

        [Fact]
        public void MaxValueCountKeepsTheMostFrequentValues()
        {
            var a = new LogWindowAggregator(Five, countBy: new[] { "Level" }, maxValueCount: 2);
            foreach (var (v, n) in new[] { ("rare", 1), ("common", 5), ("middle", 3) })
                for (int i = 0; i < n; i++) a.Add(T0, null, Level(v), null);

            Assert.Equal(new[] { "Level=common", "Level=middle", "Level=(other)" }, a.CountColumns);
            Assert.Equal(new long[] { 5, 3, 1 }, a.GetWindows().Single().Counts);
        }

        [Fact]
        public void AModelsKnownColumnsAreNeverForgottenWhateverTheMaxValueCount()
        {
            // A model trained on windows with more values than the bound holds (its columns were not bounded), scored with
            // -MaxValueCount: its columns are fixed, so nothing is pruned, and each value is counted in its own column.
            var known = Enumerable.Range(0, LogWindowAggregator.MinHeldValues + 1).Select(i => $"Level=v{i}").Append("Level=(other)").ToList();
            var a = new LogWindowAggregator(Five, countBy: new[] { "Level" }, knownColumns: known, maxValueCount: 1);
            a.Add(T0, null, Level("v0"), null);
            a.Add(T0, null, Level("v5"), null);
            a.Add(T0, null, Level("v5"), null);

            Assert.Equal(known, a.CountColumns);
            var counts = a.GetWindows().Single().Counts;
            Assert.Equal(1L, counts[0]);
            Assert.Equal(2L, counts[5]);
            Assert.Equal(0L, counts[^1]);
        }

        [Fact]
        public void MaxValueCountBoundsTheValuesHeldWhenEveryRecordHasANewValue()
        {
            // A message with a request id in it: a new value in every record, and three frequent ones among them.
            var a = new LogWindowAggregator(Five, countBy: new[] { "Message" }, maxValueCount: 3);
            const int events = 60_000;
            for (int i = 0; i < events; i++)
            {
                string message = (i % 4) switch { 0 => "Heartbeat", 1 => i % 8 == 1 ? "Cache refreshed" : "Upstream timeout", _ => $"Request {i} served" };
                a.Add(T0.AddSeconds(i), null, new Dictionary<string, string?> { ["Message"] = message }, null);
            }

            Assert.InRange(a.HeldValueCount, 4, LogWindowAggregator.MinHeldValues + 1);
            Assert.Equal(new[] { "Message=Cache refreshed", "Message=Heartbeat", "Message=Upstream timeout", "Message=(other)" }, a.CountColumns);
            var rows = a.GetWindows().ToList();
            // The frequent values are counted exactly, every window's columns add up to its events, and nothing is lost.
            Assert.All(rows, r => Assert.Equal(r.Count, r.Counts.Sum()));
            Assert.Equal(events / 4, rows.Sum(r => r.Counts[1]));
            Assert.Equal(events / 8, rows.Sum(r => r.Counts[0]));
            Assert.Equal(events / 8, rows.Sum(r => r.Counts[2]));
            Assert.Equal(events / 2, rows.Sum(r => r.Counts[3]));
            Assert.Equal(75L, rows[0].Counts[1]); // 300 seconds, a heartbeat every 4
        }

        [Fact]
        public void MeasuresGiveMinMeanMaxAndNullWhenThereIsNoValue()
        {
            var a = new LogWindowAggregator(Five, measures: new[] { "ms" });
            a.Add(T0, null, null, Duration(10));
            a.Add(T0, null, null, Duration(30));
            a.Add(T0, null, null, Duration(null));
            a.Add(T0, null, null, Duration(double.NaN));
            a.Add(T0.AddMinutes(10), null, null, null);

            var rows = a.GetWindows().ToList();

            Assert.Equal(new[] { "ms.Min", "ms.Mean", "ms.Max" }, a.MeasureColumns);
            Assert.Equal(new double?[] { 10, 20, 30 }, rows[0].Measures);
            Assert.Equal(4, rows[0].Count);
            Assert.Equal(new double?[] { null, null, null }, rows[1].Measures);
            Assert.Equal(new double?[] { null, null, null }, rows[2].Measures);
        }

        [Fact]
        public void InvalidArgumentsAndHugeRangesAreErrors()
        {
            Assert.Equal("InvalidLogInterval", Assert.Throws<AutoencoderException>(() => new LogWindowAggregator(TimeSpan.Zero)).ErrorId);
            Assert.Equal("InvalidLogRange", Assert.Throws<AutoencoderException>(() => new LogWindowAggregator(Five, start: T0, end: T0)).ErrorId);

            var a = new LogWindowAggregator(TimeSpan.FromSeconds(1));
            a.Add(new DateTime(1970, 1, 1), null, null, null);
            a.Add(T0, null, null, null);
            Assert.Equal("LogWindowRangeTooLarge", Assert.Throws<AutoencoderException>(() => a.GetWindows().First()).ErrorId);
        }

        [Fact]
        public void KeepsTheKindOfTheTimestamps()
        {
            var a = new LogWindowAggregator(Five);
            a.Add(DateTime.SpecifyKind(T0, DateTimeKind.Utc), null, null, null);
            Assert.Equal(DateTimeKind.Utc, a.GetWindows().Single().IntervalStart.Kind);
        }
    }
}
