using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;

namespace AutoencoderPS.Engine.Tests
{
    public class ColumnRoleRulesTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        [Theory]
        [InlineData("1117838570", 2005, 6, 3, 22, 42, 50)]       // epoch seconds, as text
        [InlineData("1117838570123", 2005, 6, 3, 22, 42, 50)]    // epoch milliseconds
        [InlineData("1117838570.5", 2005, 6, 3, 22, 42, 50)]
        public void EpochSecondsAndMillisecondsAreTimes(string text, int y, int m, int d, int h, int min, int s)
        {
            Assert.True(TimestampParser.TryRead(text, Invariant, out var t));
            Assert.Equal(new DateTime(y, m, d, h, min, s), new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second));
            Assert.True(TimestampParser.TryRead(1117838570.0, Invariant, out var fromNumber));
            Assert.Equal(new DateTime(2005, 6, 3, 22, 42, 50), fromNumber);
            Assert.True(TimestampParser.TryRead(1117838570123L, Invariant, out var fromMs));
            Assert.Equal(new DateTime(2005, 6, 3, 22, 42, 50, 123), fromMs);
        }

        [Theory]
        [InlineData("123456789")]       // 1973: before 2000, no epoch time
        [InlineData("5000000000")]      // 2128 in seconds, 1970 in ms: neither
        [InlineData("-1117838570")]
        [InlineData("1117838570e0")]
        public void OtherNumbersAreNoTimes(string text)
        {
            Assert.False(TimestampParser.TryRead(text, Invariant, out _));
        }

        private static NumberSequence Sequence(IEnumerable<double> numbers)
        {
            var sequence = new NumberSequence();
            foreach (var n in numbers) sequence.Add(n);
            return sequence;
        }

        [Theory]
        [InlineData("Label")]
        [InlineData("is_anomaly")]
        [InlineData("Ground Truth")]
        [InlineData("class")]
        public void LabelNamesAreRecognisedWhateverTheValues(string name)
        {
            var reason = ColumnRoleRules.Recognise(name, ColumnRole.Categorical, Sequence(Array.Empty<double>()));
            Assert.NotNull(reason);
            Assert.Contains("label", reason!.Reason);
        }

        [Theory]
        [InlineData("LineId", true)]
        [InlineData("EventID", true)]
        [InlineData("request_id", true)]
        [InlineData("id", true)]
        [InlineData("Id", true)]
        [InlineData("ID", true)]
        [InlineData("Request_ID", true)]
        [InlineData("pid", true)]
        [InlineData("itemid", true)]
        [InlineData("paid", false)]
        [InlineData("humid", false)]
        [InlineData("valid", false)]
        [InlineData("Grid", false)]
        public void IdNamesAreWordsEndingInId(string name, bool isId)
        {
            Assert.Equal(isId, ColumnRoleRules.IsIdName(name));
        }

        [Fact]
        public void VmstatsIdIsTheIdleShareOfTheCpuNotAnId()
        {
            // vmstat's columns: r b swpd free buff cache si so bi bo in cs us sy id wa st. Its "id" (CPU idle, %) was left out
            // as an id, and a host pinned at 100 % CPU never showed in the idle time.
            var columns = "r b swpd free buff cache si so bi bo in cs us sy id wa st".Split(' ');
            var idle = Sequence(Enumerable.Range(0, 60).Select(i => 60.0 + i % 30));
            Assert.Null(ColumnRoleRules.Recognise("id", ColumnRole.Numeric, idle, null, columns));
            // Without vmstat's columns beside it, "id" is an id.
            Assert.NotNull(ColumnRoleRules.Recognise("id", ColumnRole.Numeric, idle, null, new[] { "id", "cpu", "mem" }));
        }

        [Fact]
        public void ACounterIsIntegersRisingByOneStep()
        {
            var counter = ColumnRoleRules.Recognise("n", ColumnRole.Numeric, Sequence(Enumerable.Range(5, 30).Select(i => i * 2.0)));
            Assert.NotNull(counter);
            Assert.Contains("row counter", counter!.Reason);
            Assert.False(counter.IsTime);
            // Numbers that rise by varying steps, or by a step that is no integer, are no row counter (they only rise:
            // a cumulative counter); too few rows are neither.
            Assert.Contains("cumulative counter", ColumnRoleRules.Recognise("n", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 30).Select(i => (double)(i * i))))!.Reason);
            Assert.Contains("cumulative counter", ColumnRoleRules.Recognise("n", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 30).Select(i => i * 0.5)))!.Reason);
            Assert.Null(ColumnRoleRules.Recognise("n", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 10).Select(i => (double)i))));
        }

        [Fact]
        public void ACumulativeCounterOnlyRisesAndMayResetOnce()
        {
            var random = new Random(7);
            double total = 1.0e6;
            // Bytes sent: a random amount each row (sometimes none), and one reset (a restart) after 150 rows.
            var bytes = Enumerable.Range(0, 300).Select(i =>
            {
                if (i == 150) total = 0;
                total += random.Next(0, 4) == 0 ? 0 : random.Next(100, 5000);
                return total;
            }).ToList();
            var counter = ColumnRoleRules.Recognise("bytes_sent", ColumnRole.Numeric, Sequence(bytes));
            Assert.NotNull(counter);
            Assert.Contains("cumulative counter", counter!.Reason);
            Assert.False(counter.IsTime);
            // A gauge that drifts upward still goes down on many rows; a level that rarely changes rises on few rows;
            // a saw-tooth falling every 20 rows is no counter's; and too few rows say nothing.
            Assert.Null(ColumnRoleRules.Recognise("disk_used", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 300).Select(i => 50 + 0.1 * i + 5 * random.NextDouble()))));
            Assert.Null(ColumnRoleRules.Recognise("version", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 300).Select(i => (double)(i / 100)))));
            Assert.Null(ColumnRoleRules.Recognise("n", ColumnRole.Numeric, Sequence(Enumerable.Repeat(0, 10).SelectMany(_ => bytes.Take(20)))));
            Assert.Null(ColumnRoleRules.Recognise("n", ColumnRole.Numeric, Sequence(bytes.Take(19))));
        }

        [Fact]
        public void ASnmpCounterThatWrapsAt2To32IsACumulativeCounter()
        {
            // ifInOctets of a busy link: up to 360 MB a minute, so the 32-bit counter wraps about every 20 rows (a fall
            // on 5% of the rows, far more than a counter's resets).
            var random = new Random(11);
            double octets = 3.9e9;
            var wrapping = Enumerable.Range(0, 1000).Select(_ =>
            {
                octets = (octets + random.Next(0, 360_000_000)) % 4294967296.0;
                return octets;
            }).ToList();
            var sequence = Sequence(wrapping);
            Assert.True(sequence.Wraps > 30);
            var counter = ColumnRoleRules.Recognise("ifInOctets", ColumnRole.Numeric, sequence);
            Assert.NotNull(counter);
            Assert.Contains("cumulative counter", counter!.Reason);
            Assert.Contains("wraps at 2^32", counter.Reason);
            // A gauge of the same size that goes up and down is no counter; nor is a heap that grows by some MB a row and
            // falls by 3 GB when it is collected (counting on past 2^32 would be a step far beyond any of its rises).
            Assert.Null(ColumnRoleRules.Recognise("mem_bytes", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 1000).Select(_ => random.NextDouble() * 4294967295.0))));
            var heap = Sequence(Enumerable.Range(0, 1000).Select(i => 1.0e9 + (i % 40) * 8.0e7));
            Assert.Equal(0, heap.Wraps);
            Assert.Null(ColumnRoleRules.Recognise("heap_used_bytes", ColumnRole.Numeric, heap));
        }

        [Fact]
        public void EpochColumnsAreTimesWhenNamedSoOrNeverDecreasing()
        {
            var rising = Sequence(Enumerable.Range(0, 50).Select(i => 1117838570.0 + 7 * i + (i % 3)));
            var time = ColumnRoleRules.Recognise("Timestamp", ColumnRole.Numeric, rising);
            Assert.True(time!.IsTime);
            Assert.Contains("epoch seconds", time.Reason);
            Assert.True(ColumnRoleRules.Recognise("when", ColumnRole.Numeric, rising)!.IsTime);
            var ms = ColumnRoleRules.Recognise("t", ColumnRole.Numeric, Sequence(Enumerable.Range(0, 50).Select(i => 1117838570000.0 + 1003 * i)));
            Assert.Contains("milliseconds", ms!.Reason);
            // Memory in bytes lies in the same range but goes up and down and is not named as a time.
            var random = new Random(1);
            var bytes = Sequence(Enumerable.Range(0, 50).Select(_ => 2.0e9 + random.Next(0, 1000000000)));
            Assert.Null(ColumnRoleRules.Recognise("memory_bytes", ColumnRole.Numeric, bytes));
        }

        [Fact]
        public void InferLeavesOutCounterEpochLabelAndIdButKeepsMeasurements()
        {
            var random = new Random(3);
            var records = Enumerable.Range(0, 200).Select(i => new TestRecord(
                ("LineId", (i + 1).ToString(Invariant)),
                ("Label", i % 50 == 0 ? "KERNDTLB" : "-"),
                ("Timestamp", (1117838570 + i * 3 + random.Next(0, 2)).ToString(Invariant)),
                ("ProcessId", random.Next(100, 60000).ToString(Invariant)),
                ("Level", i % 10 == 0 ? "WARN" : "INFO"),
                ("Latency", (random.NextDouble() * 10).ToString(Invariant)))).ToList<IRecord>();
            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);
            Assert.Equal(new[] { "Level", "Latency" }, schema.Names);
            Assert.Equal(new[] { "LineId", "Label", "Timestamp", "ProcessId" }, recognised.Select(r => r.Name));
            // Named features are the user's word: nothing is left out.
            var named = FeatureSchema.Infer(records, new[] { "LineId", "Latency" }, null, Invariant, out _, out var none);
            Assert.Equal(new[] { "LineId", "Latency" }, named.Names);
            Assert.Empty(none);
            // With -TimeFeatures the epoch column is a timestamp feature.
            var timed = FeatureSchema.Infer(records, null, null, Invariant, out _, out _, timeFeatures: true);
            Assert.Equal(ColumnRole.Timestamp, timed.Columns.Single(c => c.Name == "Timestamp").Role);
        }

        [Fact]
        public void TheGroupColumnOfLogWindowsIsCategoricalWhateverItsValues()
        {
            // ConvertTo-LogWindow -GroupBy Shard: IntervalStart, Shard, EventCount, ... (also after Export-Csv/Import-Csv).
            List<IRecord> Windows(params string[] order) => Enumerable.Range(0, 96).Select(i =>
            {
                var cells = new Dictionary<string, string>
                {
                    ["IntervalStart"] = new DateTime(2026, 1, 5).AddHours(i / 3).ToString("o", Invariant),
                    ["Shard"] = (i % 3 + 1).ToString(Invariant),
                    ["EventCount"] = (100 + i % 7).ToString(Invariant),
                    ["Level=Info"] = (100 + i % 7).ToString(Invariant),
                };
                return (IRecord)new TestRecord(order.Select(c => (c, (object?)cells[c])).ToArray());
            }).ToList();

            var schema = FeatureSchema.Infer(Windows("IntervalStart", "Shard", "EventCount", "Level=Info"), null, null, Invariant, out var notes, out _);
            var shard = schema.Columns.Single(c => c.Name == "Shard");
            Assert.Equal(ColumnRole.Categorical, shard.Role);
            Assert.Contains(notes, n => n.Contains("'Shard': categorical feature, the group column of log windows", StringComparison.Ordinal));
            // Named with -Feature too.
            var named = FeatureSchema.Infer(Windows("IntervalStart", "Shard", "EventCount", "Level=Info"), new[] { "Shard", "EventCount" }, null, Invariant, out _, out _);
            Assert.Equal(ColumnRole.Categorical, named.Columns.Single(c => c.Name == "Shard").Role);
            // Another shape is no log window: numbers stay numbers.
            var other = FeatureSchema.Infer(Windows("Shard", "IntervalStart", "EventCount", "Level=Info"), null, null, Invariant, out _, out _);
            Assert.Equal(ColumnRole.Numeric, other.Columns.Single(c => c.Name == "Shard").Role);
            Assert.Equal("Shard", ColumnRoleRules.LogWindowGroup(new[] { "IntervalStart", "Shard", "EventCount" }));
            Assert.Null(ColumnRoleRules.LogWindowGroup(new[] { "IntervalStart", "EventCount", "Level=Info" }));
        }

        [Fact]
        public void TheIntervalOfLogWindowsIsKeptInTheSchema()
        {
            // Three groups a row each per 20 minutes; the starts as ConvertTo-LogWindow writes them with an offset, across
            // Berlin's autumn change (the clock time repeats an hour; the instants step 20 minutes throughout).
            var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
            var first = new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2));
            var records = Enumerable.Range(0, 60).Select(i => (IRecord)new TestRecord(
                ("IntervalStart", TimeZoneInfo.ConvertTime(first.AddMinutes(20 * (i / 3)), berlin)),
                ("Shard", (i % 3).ToString(Invariant)),
                ("EventCount", (10 + i % 4).ToString(Invariant)))).ToList();
            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _);
            Assert.Equal(TimeSpan.FromMinutes(20), schema.LogWindowInterval);
            // Other rows have none.
            var metrics = Enumerable.Range(0, 60).Select(i => (IRecord)new TestRecord(
                ("Timestamp", first.AddMinutes(i)), ("EventCount", (10 + i % 4).ToString(Invariant)))).ToList();
            Assert.Null(FeatureSchema.Infer(metrics, null, null, Invariant, out _).LogWindowInterval);
        }
    }
}
