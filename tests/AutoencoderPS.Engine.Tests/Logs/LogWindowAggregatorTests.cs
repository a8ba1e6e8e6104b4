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
            Assert.Equal(LogEventPlacement.Added, a.Add(T0.AddMinutes(8), null, null, null));
            Assert.Equal(LogEventPlacement.OutsideRange, a.Add(T0.AddMinutes(1), null, null, null));
            Assert.Equal(LogEventPlacement.OutsideRange, a.Add(T0.AddMinutes(22), null, null, null));

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

        // The windows as one list: those taken as they closed, then the rest at the end.
        private static List<LogWindow> Streamed(LogWindowAggregator a, IEnumerable<(DateTime Time, string? Group, string? Level, double? Ms)> events, List<int>? takenAfter = null)
        {
            var rows = new List<LogWindow>();
            int n = 0;
            foreach (var e in events)
            {
                a.Add(e.Time, e.Group, e.Level == null ? null : Level(e.Level), e.Ms == null ? null : Duration(e.Ms));
                n++;
                var closed = a.TakeClosedWindows();
                if (closed.Count > 0) takenAfter?.Add(n);
                rows.AddRange(closed);
            }
            rows.AddRange(a.GetWindows());
            return rows;
        }

        private static string Describe(IEnumerable<LogWindow> rows) =>
            string.Join("; ", rows.Select(r => $"{r.IntervalStart:HH:mm} {r.Group} {r.Count} [{string.Join(",", r.Counts)}] [{string.Join(",", r.Measures)}]"));

        private static List<(DateTime, string?, string?, double?)> InOrderEvents()
        {
            var events = new List<(DateTime, string?, string?, double?)>();
            for (int i = 0; i < 40; i++)
                if (i < 10 || i > 20) // 10:00-10:55 silent: empty windows between
                    events.Add((T0.AddMinutes(3 * i + 0.5), i % 2 == 0 ? "web01" : "web02", i % 3 == 0 ? "Error" : "Information", 10 + i));
            return events;
        }

        [Fact]
        public void InOrderEventsLeaveAsTheirIntervalsCloseWithTheSameWindowsAsHeldInput()
        {
            var known = new[] { "Level=Error", "Level=Information" };
            LogWindowAggregator New() => new LogWindowAggregator(Five, new[] { "Level" }, new[] { "ms" }, grouped: true, knownColumns: known, knownGroups: new[] { "web01", "web02" }, stream: true);
            var events = InOrderEvents();
            var taken = new List<int>();
            var streamed = Streamed(New(), events, taken);
            // Newest first: held to the end (the input went back more than an interval before any window closed).
            var reversed = New();
            Assert.True(reversed.Streams);
            var held = Streamed(reversed, Enumerable.Reverse(events).ToList());
            Assert.Equal(Describe(held), Describe(streamed));
            Assert.Equal(Describe(streamed), Describe(Streamed(New(), events.OrderBy(e => e.Item1).ToList())));
            // The first windows left after the event two intervals past them (event 5 at 00:12:30 closes 00:00-00:05), long
            // before the input ended.
            Assert.Equal(5, taken[0]);
            Assert.True(taken.Count > 5);
        }

        [Fact]
        public void WithoutKnownColumnsOrGroupsNothingIsTakenEarly()
        {
            var counted = new LogWindowAggregator(Five, new[] { "Level" }, stream: true);
            var grouped = new LogWindowAggregator(Five, grouped: true, stream: true);
            var plain = new LogWindowAggregator(Five, measures: new[] { "ms" }, stream: true);
            Assert.False(counted.CanStream || counted.Streams);
            Assert.False(grouped.CanStream || grouped.Streams);
            Assert.True(plain.CanStream && plain.Streams);
            var taken = new List<int>();
            var rows = Streamed(counted, InOrderEvents(), taken);
            Assert.Empty(taken);
            Assert.Equal(24, rows.Count); // 00:00 to 01:55
        }

        [Fact]
        public void NotAskedToStreamNothingIsTakenEarlyAndLogsJoinedOneAfterAnotherCountWhole()
        {
            // Two hosts' logs, each in time order, joined one after the other: the second goes back to the first's start.
            var events = InOrderEvents().Where(e => e.Item2 == "web01").Concat(InOrderEvents().Where(e => e.Item2 == "web02")).ToList();
            var held = new LogWindowAggregator(Five, measures: new[] { "ms" });
            Assert.True(held.CanStream);
            Assert.False(held.Streams);
            var taken = new List<int>();
            var rows = Streamed(held, events, taken);
            Assert.Empty(taken);
            Assert.Equal(events.Count, held.EventCount);
            Assert.Equal(events.Count, rows.Sum(r => r.Count));
            Assert.Equal(0, held.IntervalWrittenCount);
            // Asked to stream, the second log's records of windows written are left out.
            var streamed = new LogWindowAggregator(Five, measures: new[] { "ms" }, stream: true);
            Streamed(streamed, events);
            Assert.True(streamed.IntervalWrittenCount > 0);
        }

        [Fact]
        public void AnEventLateByUpToAnIntervalCountsAndOneOfAWindowTakenIsLeftOutAndSaid()
        {
            var a = new LogWindowAggregator(Five, stream: true);
            Assert.Equal(LogEventPlacement.Added, a.Add(T0.AddMinutes(1), null, null, null));
            Assert.Equal(LogEventPlacement.Added, a.Add(T0.AddMinutes(11), null, null, null)); // closes 00:00
            var first = a.TakeClosedWindows();
            Assert.Single(first);
            Assert.Equal(T0, first[0].IntervalStart);
            // 00:07 is in 00:05-00:10, still open (one interval behind 00:10-00:15): counted.
            Assert.Equal(LogEventPlacement.Added, a.Add(T0.AddMinutes(7), null, null, null));
            // 00:02 is in the window taken.
            Assert.Equal(LogEventPlacement.IntervalWritten, a.Add(T0.AddMinutes(2), null, null, null));
            Assert.Equal(1, a.IntervalWrittenCount);
            Assert.Equal(T0.AddMinutes(5), a.FirstOpenInterval);
            var rest = a.GetWindows().ToList();
            Assert.Equal(new[] { T0.AddMinutes(5), T0.AddMinutes(10) }, rest.Select(r => r.IntervalStart));
            Assert.Equal(new long[] { 1, 1 }, rest.Select(r => r.Count));
            Assert.Equal(3, a.EventCount);
        }

        [Fact]
        public void TheEndBoundsWhatIsTakenAndTheRestComesAtTheEnd()
        {
            var a = new LogWindowAggregator(Five, start: T0, end: T0.AddMinutes(15), stream: true);
            var taken = new List<int>();
            var rows = Streamed(a, new (DateTime, string?, string?, double?)[] { (T0.AddMinutes(1), null, null, null), (T0.AddMinutes(14), null, null, null), (T0.AddMinutes(40), null, null, null) }, taken);
            Assert.Equal(new[] { T0, T0.AddMinutes(5), T0.AddMinutes(10) }, rows.Select(r => r.IntervalStart));
            Assert.Equal(new long[] { 1, 0, 1 }, rows.Select(r => r.Count));
            Assert.Equal(new[] { 2 }, taken);
        }

        [Fact]
        public void AGapTooWideToWriteIsRefusedBeforeItsRowsAreTaken()
        {
            var a = new LogWindowAggregator(TimeSpan.FromSeconds(1), stream: true);
            a.Add(T0, null, null, null);
            a.Add(T0.AddYears(1), null, null, null);
            var e = Assert.Throws<AutoencoderException>(() => a.TakeClosedWindows());
            Assert.Equal(ErrorIds.LogWindowRangeTooLarge, e.ErrorId);
        }
    }
}
