using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features;

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

        private static ColumnRole RoleOf(FeatureSchema schema, string name) => schema.Columns[schema.IndexOf(name)].Role;

        [Fact]
        public void InferChoosesFeatureColumnsInFirstSeenOrderAndLeavesIdentifiersOut()
        {
            var schema = FeatureSchema.Infer(ServerRows(30, 1), null, null, Invariant, out var decisions);

            // The host name is distinct in (almost) every row: an identifier. The two-valued site is a category.
            Assert.Equal(new[] { "cpu", "site", "memory", "latency" }, schema.Names);
            Assert.Equal(4, schema.Count);
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "site"));
            Assert.All(new[] { "cpu", "memory", "latency" }, n => Assert.Equal(ColumnRole.Numeric, RoleOf(schema, n)));
            Assert.Equal(5, decisions.Count);
            Assert.Contains(decisions, d => d.Contains("'host'", StringComparison.Ordinal) && d.Contains("not a feature", StringComparison.Ordinal));
            var host = Assert.Single(schema.Ignored);
            Assert.Equal("host", host.Name);
            Assert.Contains("identifier", host.Reason, StringComparison.Ordinal);
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

            // "d" holds one short string: a (one-category) categorical feature.
            Assert.Equal(new[] { "b", "a", "c", "d", "e" }, schema.Names);
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "d"));
        }

        [Fact]
        public void InferHonoursExcludeIgnoringCase()
        {
            var schema = Infer(ServerRows(20, 2), exclude: new[] { "MEMORY", "Site" });

            Assert.Equal(new[] { "cpu", "latency" }, schema.Names);
            Assert.Contains(schema.Ignored, i => i.Name == "memory" && i.Reason.Contains("excluded", StringComparison.Ordinal));
            Assert.Contains(schema.Ignored, i => i.Name == "site" && i.Reason.Contains("excluded", StringComparison.Ordinal));
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
        public void AWindowKeyColumnNoRowHasThrowsMissingFeatureColumnNamingTheColumnsPresent()
        {
            // New-Autoencoder -TimeProperty Timestamp on an export whose time column is "Time": a typo, said once.
            var records = Enumerable.Range(0, 30).Select(i => (IRecord)new TestRecord(
                ("Time", $"2026-12-05T10:{i:00}:00Z"), ("Host", "web1"), ("cpu", (i % 7).ToString(Invariant)))).ToList();
            var keys = new Dictionary<string, string> { ["Timestamp"] = "the time of the sliding window", ["Host"] = "the group of the sliding window" };

            var error = Assert.Throws<AutoencoderException>(() => FeatureSchema.Infer(records, null, null, Invariant, out _, out _, keys: keys));

            Assert.Equal("MissingFeatureColumn", error.ErrorId);
            Assert.Equal("The training input has no column named 'Timestamp' (the time of the sliding window). Columns present: Time, Host, cpu.", error.Message);
            // Keys that are there (in any case) are left out as keys.
            keys = new Dictionary<string, string> { ["time"] = "the time of the sliding window", ["Host"] = "the group of the sliding window" };
            Assert.Equal(new[] { "cpu" }, FeatureSchema.Infer(records, null, null, Invariant, out _, out _, keys: keys).Names);
        }

        [Fact]
        public void TextColumnsWithFewDistinctValuesAreCategoricalFeatures()
        {
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("host", $"web{i:00}"), ("os", "linux"), ("up", i % 2 == 0)))
                .ToList();

            var schema = Infer(records);

            // Ten rows are too few to call ten distinct names an identifier.
            Assert.Equal(new[] { "host", "os", "up" }, schema.Names);
            Assert.All(schema.Columns, c => Assert.Equal(ColumnRole.Categorical, c.Role));
        }

        [Fact]
        public void NoColumnThatCanBeAFeatureThrowsNoNumericFeatures()
        {
            // An identifier, free text (60 distinct values in 120 rows) and an always-empty column.
            var records = Enumerable.Range(0, 120)
                .Select(i => (IRecord)new TestRecord(("id", $"req-{i:0000}"), ("message", $"job {i % 60} done"), ("note", i % 2 == 0 ? "" : "NA")))
                .ToList();

            var error = Assert.Throws<AutoencoderException>(() => Infer(records));

            Assert.Equal("NoNumericFeatures", error.ErrorId);
            Assert.Contains("id, message, note", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void NoFeatureLeftBecauseTheOnlyNumbersAreACounterSaysSo()
        {
            // A series of one cumulative counter: it is left out, and the error says which column and why.
            var records = Enumerable.Range(0, 120)
                .Select(i => (IRecord)new TestRecord(("bytes_total", (1000.0 + 37 * i + i % 5).ToString(CultureInfo.InvariantCulture))))
                .ToList();

            var error = Assert.Throws<AutoencoderException>(() => Infer(records));

            Assert.Equal("NoNumericFeatures", error.ErrorId);
            Assert.Contains("'bytes_total' (a cumulative counter", error.Message, StringComparison.Ordinal);
        }

        // A Prometheus/Grafana long export: each minute, one row of each host, time-ordered (interleaved) or sorted by host.
        // Each host's counters rise from a level of its own; cpu is a gauge.
        private static List<IRecord> InterleavedHostRows(int minutes, string[] hosts, bool sortedByHost, string hostColumn = "instance")
        {
            var random = new Random(7);
            var rows = new List<(int Host, int Minute, IRecord Row)>();
            var requests = hosts.Select((_, h) => 1e6 * (h % 2 == 0 ? 9 : 1) + 1000 * h).ToArray();
            var bytes = hosts.Select((_, h) => 5e11 - 1e9 * h).ToArray();
            for (int m = 0; m < minutes; m++)
                for (int h = 0; h < hosts.Length; h++)
                {
                    requests[h] += 3000 + random.Next(0, 600);
                    bytes[h] += 2e6 + random.Next(0, 100000);
                    rows.Add((h, m, new TestRecord(
                        ("timestamp", (1793577600 + 60 * m).ToString(Invariant)),
                        (hostColumn, hosts[h]),
                        ("job", "node"),
                        ("cpu_usage", (0.3 + 0.4 * random.NextDouble()).ToString("F4", Invariant)),
                        ("http_requests_total", requests[h].ToString("R", Invariant)),
                        ("node_network_receive_bytes", bytes[h].ToString("R", Invariant)))));
                }
            return (sortedByHost ? rows.OrderBy(r => r.Host).ThenBy(r => r.Minute) : rows.AsEnumerable()).Select(r => r.Row).ToList();
        }

        [Theory]
        [InlineData(false, "instance")]
        [InlineData(true, "instance")]
        [InlineData(false, "machine")]
        public void ARowModelLeavesOutCountersOfSeveralHostsInterleavedAsItDoesOneHostsCounters(bool sortedByHost, string hostColumn)
        {
            // Time-ordered, the counters went up and down between the hosts and were kept as levels: every row scored days
            // later lay beyond them (2850 of 2850 normal rows flagged). Within each host they rise, in any order of the rows.
            var records = InterleavedHostRows(400, new[] { "10.0.0.1:9100", "10.0.0.2:9100", "10.0.0.3:9100" }, sortedByHost, hostColumn);

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);

            Assert.Equal(new[] { hostColumn, "job", "cpu_usage" }, schema.Names);
            var requests = Assert.Single(recognised, c => c.Name == "http_requests_total");
            Assert.StartsWith("a cumulative counter: it only rises", requests.Reason, StringComparison.Ordinal);
            var bytes = Assert.Single(recognised, c => c.Name == "node_network_receive_bytes");
            Assert.StartsWith("a cumulative counter: it only rises", bytes.Reason, StringComparison.Ordinal);
            if (!sortedByHost)
                Assert.Contains($"within each value of '{hostColumn}'", bytes.Reason, StringComparison.Ordinal);
        }

        [Fact]
        public void ARowModelTellsCountersWithinAHostColumnItWasToldToLeaveOut()
        {
            var records = InterleavedHostRows(100, new[] { "web01", "web02" }, sortedByHost: false);

            var schema = FeatureSchema.Infer(records, null, new[] { "instance" }, Invariant, out _, out var recognised);

            Assert.Equal(new[] { "job", "cpu_usage" }, schema.Names);
            Assert.Contains(recognised, c => c.Name == "http_requests_total");
        }

        [Fact]
        public void GaugesSplitByAFewValuedTextColumnOrByAnIdentifierStayFeatures()
        {
            // No split of numbers that go up and down makes them rise: a gauge split by a site of three values is a gauge.
            // Split into groups of a row each (a request id), nothing is left to fall, and a gauge named "_total" would pass
            // for a counter that never moved: an identifier names no hosts.
            var random = new Random(3);
            var records = Enumerable.Range(0, 600).Select(i => (IRecord)new TestRecord(
                ("request", $"req-{i:D5}"),
                ("site", new[] { "north", "south", "east" }[random.Next(3)]),
                ("latency", (20 + 10 * random.NextDouble()).ToString("F3", Invariant)),
                ("queue_total", random.Next(0, 50).ToString(Invariant)))).ToList();

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);

            Assert.Equal(new[] { "site", "latency", "queue_total" }, schema.Names);
            Assert.Empty(recognised);
        }

        [Fact]
        public void ExcludingEveryUsableColumnThrowsNoNumericFeatures()
        {
            var error = Assert.Throws<AutoencoderException>(() =>
                Infer(ServerRows(5, 5), exclude: new[] { "cpu", "memory", "latency", "site", "host" }));

            Assert.Equal("NoNumericFeatures", error.ErrorId);
        }

        [Fact]
        public void ExcludingEveryNumericColumnLeavesTheCategoricalOnes()
        {
            var schema = Infer(ServerRows(5, 5), exclude: new[] { "cpu", "memory", "latency" });

            Assert.Equal(new[] { "host", "site" }, schema.Names);
            Assert.All(schema.Columns, c => Assert.Equal(ColumnRole.Categorical, c.Role));
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
                    ("oneBad", i == 4 ? "err" : value),          // 9 of 10 numeric: exactly the share
                    ("twoBad", i == 4 || i == 7 ? "err" : value))); // 8 of 10 numeric: below it
            }

            var schema = Infer(records);

            Assert.Equal(ColumnRole.Numeric, RoleOf(schema, "ok"));
            Assert.Equal(ColumnRole.Numeric, RoleOf(schema, "oneBad"));
            Assert.True(schema.IndexOf("twoBad") < 0 || RoleOf(schema, "twoBad") != ColumnRole.Numeric, "twoBad must not be numeric");
        }

        [Fact]
        public void MissingValueMarkersDoNotCountAgainstTheNumericShare()
        {
            string[] markers = { "n/a", "NA", "null", "NaN", "" };
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("gappy", i < 5 ? markers[i] : (i * 2.5).ToString(Invariant))))
                .ToList();

            var schema = Infer(records);

            Assert.Equal(ColumnRole.Numeric, RoleOf(schema, "gappy"));
        }

        [Fact]
        public void AMostlyNumericColumnWithSomeGarbageIsNotACategory()
        {
            var random = new Random(12);
            var records = Enumerable.Range(0, 200)
                .Select(i => (IRecord)new TestRecord(
                    ("cpu", (random.NextDouble() * 100).ToString("R", Invariant)),
                    ("mixed", i % 7 == 0 ? "err" : (random.NextDouble() * 100).ToString("R", Invariant))))
                .ToList();

            var schema = Infer(records);

            // 171 distinct values in 200 rows is no category (at most 50), whatever share of them parses as numbers.
            Assert.Equal(new[] { "cpu" }, schema.Names);
            Assert.Contains(schema.Ignored, c => c.Name == "mixed");
        }

        [Fact]
        public void EmptyValuesDoNotCountAgainstAColumn()
        {
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("sparse", i < 7 ? "" : (i * 1.5).ToString(Invariant)), ("none", null)))
                .ToList();

            var schema = Infer(records);

            Assert.Equal(new[] { "sparse" }, schema.Names);
            Assert.Contains(schema.Ignored, c => c.Name == "none" && c.Reason == "always empty");
        }

        [Fact]
        public void InferUsesTheGivenCulture()
        {
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(("load", $"{i},5")))
                .ToList();

            // Invariant: ten strings like "3,5" are numbers it does not read (once a category without a word; now left
            // out, the error saying which culture reads them); German: numbers.
            var error = Assert.Throws<AutoencoderException>(() => Infer(records));
            Assert.Equal("NoNumericFeatures", error.ErrorId);
            Assert.Contains("'load' (numbers written as '", error.Message);
            Assert.Contains("-Culture (for example de-DE)", error.Message);
            var german = FeatureSchema.Infer(records, null, null, CultureInfo.GetCultureInfo("de-DE"), out _);
            Assert.Equal(new[] { "load" }, german.Names);
            Assert.Equal(ColumnRole.Numeric, RoleOf(german, "load"));
        }

        [Fact]
        public void NumbersTheCultureDoesNotReadAreLeftOutSayingWhyAndHowToReadThem()
        {
            // A German Excel export read without -Culture: decimal commas ("22,7") and thousands separators ("3.730,5"),
            // each column with too many values for a category. They are no ids or free text: say what they are.
            var random = new Random(9);
            var records = Enumerable.Range(0, 300).Select(i =>
            {
                double load = random.NextDouble();
                var german = CultureInfo.GetCultureInfo("de-DE");
                var id = new byte[16];
                random.NextBytes(id);
                return (IRecord)new TestRecord(
                    ("Standort", i % 2 == 0 ? "Köln" : "Bonn"),
                    ("CPU", (10 + 80 * load).ToString("F1", german)),
                    ("Speicher", (500 + 4000 * load).ToString("N1", german)),
                    ("Id", new Guid(id).ToString()));
            }).ToList();

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);

            Assert.Equal(new[] { "Standort" }, schema.Names);
            var cpu = recognised.Single(r => r.Name == "CPU");
            Assert.True(cpu.UnreadNumbers);
            Assert.Matches("^numbers written as '[0-9]+,[0-9]', which the invariant culture does not read: give the file's culture with -Culture \\(for example de-DE\\)", cpu.Reason);
            var memory = recognised.Single(r => r.Name == "Speicher");
            Assert.Contains("thousands separators", memory.Reason);
            Assert.Equal(cpu.Reason, schema.Ignored.Single(i => i.Name == "CPU").Reason);
            // An id stays an id.
            Assert.DoesNotContain(recognised, r => r.Name == "Id");
            Assert.StartsWith("identifier-like", schema.Ignored.Single(i => i.Name == "Id").Reason);

            // Read as de-DE, the decimal commas are numbers; the thousands separators are still never read.
            var read = FeatureSchema.Infer(records, null, null, CultureInfo.GetCultureInfo("de-DE"), out _, out var stillUnread);
            Assert.Equal(new[] { "Standort", "CPU" }, read.Names);
            Assert.StartsWith("numbers with thousands separators (such as '", stillUnread.Single(r => r.Name == "Speicher").Reason);

            // Only such columns: the error names them and how to read them.
            var onlyNumbers = records.Select(r => (IRecord)new TestRecord(("CPU", r.TryGetValue("CPU", out var v) ? v : null))).ToList();
            var error = Assert.Throws<AutoencoderException>(() => FeatureSchema.Infer(onlyNumbers, null, null, Invariant, out _));
            Assert.Equal("NoNumericFeatures", error.ErrorId);
            Assert.Contains("'CPU' (numbers written as '", error.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("en-US")]
        public void ThousandsSeparatorsOfAnEnglishExportAreNotTakenForDecimalCommas(string cultureName)
        {
            // "9,897" and "998": an English export's thousands. The advice was -Culture de-DE, which reads 9,897 as 9.897
            // and 998 as 998, so the column's order is scrambled without a word.
            var culture = cultureName.Length == 0 ? Invariant : CultureInfo.GetCultureInfo(cultureName);
            var random = new Random(5);
            var records = Enumerable.Range(0, 300).Select(i => (IRecord)new TestRecord(
                ("Requests", random.Next(200, 12_000).ToString("N0", CultureInfo.GetCultureInfo("en-US"))),
                ("CPU", (10 + 80 * random.NextDouble()).ToString("F2", CultureInfo.InvariantCulture)))).ToList();

            FeatureSchema.Infer(records, null, null, culture, out _, out var recognised);

            var requests = recognised.Single(r => r.Name == "Requests");
            Assert.True(requests.UnreadNumbers);
            Assert.StartsWith("numbers such as '", requests.Reason);
            Assert.Contains("thousands separators, which are never read as numbers (export the column without them); only if they are decimal commas", requests.Reason);
        }

        [Theory]
        [InlineData("0,505", UnreadNumberKind.OtherDecimal)]
        [InlineData("-0,125", UnreadNumberKind.OtherDecimal)]
        [InlineData("9,897", UnreadNumberKind.EitherWay)]
        [InlineData("1.234,5", UnreadNumberKind.Grouped)]
        [InlineData("012,345", UnreadNumberKind.OtherDecimal)]
        public void ANumberWithALeadingZeroHasNoThousands(string text, UnreadNumberKind kind)
        {
            // A de-DE export's '0,505' was taken for thousands, and the advice said so ("some have thousands separators").
            Assert.Equal(kind, UnreadNumbers.Classify(text, Invariant));
        }

        [Fact]
        public void NumbersWhoseUnitsDifferAreNotToldToLoseTheirUnits()
        {
            // Grafana's formatted data scales each value to its size ('949 MB', '1.2 GB'): the advice was to take the unit
            // off with -replace, which would put 949 and 1.2 on one scale.
            var random = new Random(7);
            var records = Enumerable.Range(0, 300).Select(i =>
            {
                double megabytes = 700 + 600 * random.NextDouble();
                string memory = megabytes < 1000
                    ? string.Create(CultureInfo.InvariantCulture, $"{megabytes:F0} MB")
                    : string.Create(CultureInfo.InvariantCulture, $"{megabytes / 1000:F2} GB");
                return (IRecord)new TestRecord(("Memory", memory), ("Cpu", (10 + 80 * random.NextDouble()).ToString("F1", CultureInfo.InvariantCulture)));
            }).ToList();

            FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);

            var column = recognised.Single(r => r.Name == "Memory");
            Assert.True(column.UnreadNumbers);
            Assert.StartsWith("numbers with units that differ from value to value (such as '", column.Reason);
            Assert.Contains(" MB'", column.Reason);
            Assert.Contains(" GB'", column.Reason);
            Assert.DoesNotContain("-replace", column.Reason);
            Assert.Equal("ms", UnreadNumbers.UnitOf("32.4 ms"));
            Assert.Equal("%", UnreadNumbers.UnitOf("-12%"));
        }

        [Fact]
        public void NumbersWithAUnitAreLeftOutSayingWhy()
        {
            // "40 %", "32.4 ms": numbers with a unit were text with many values, left out with a verbose note only, and a
            // model of the other (constant) columns scored nothing as an anomaly, ever.
            var random = new Random(6);
            var records = Enumerable.Range(0, 300).Select(i => (IRecord)new TestRecord(
                ("Host", "web01"),
                ("CpuPct", $"{random.Next(5, 95)} %"),
                ("Latency", string.Create(CultureInfo.InvariantCulture, $"{5 + 50 * random.NextDouble():F1} ms")),
                ("PodMemory", $"{random.Next(100, 900)}Mi"),
                ("Memory", (1000 + 100 * random.NextDouble()).ToString("F1", CultureInfo.InvariantCulture)))).ToList();

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);

            Assert.Equal(new[] { "Host", "Memory" }, schema.Names);
            foreach (var (name, sample) in new[] { ("CpuPct", " %'"), ("Latency", " ms'"), ("PodMemory", "Mi'") })
            {
                var column = recognised.Single(r => r.Name == name);
                Assert.True(column.UnreadNumbers);
                Assert.StartsWith("numbers with a unit (such as '", column.Reason);
                Assert.Contains(sample, column.Reason);
                Assert.Equal(name, column.ToString());
            }
        }

        [Fact]
        public void CodesOfDigitsAndLettersStayCategories()
        {
            // "2xx", "5G", "1st", "3B": codes, not numbers with a unit (review: Status 2xx/4xx/5xx was left out as such).
            var random = new Random(7);
            var codes = new[] { new[] { "2xx", "4xx", "5xx" }, new[] { "4G", "5G" }, new[] { "1st", "2nd", "3rd" }, new[] { "1A", "3B", "5C" } };
            var records = Enumerable.Range(0, 200).Select(i => (IRecord)new TestRecord(
                ("Status", codes[0][random.Next(3)]), ("Network", codes[1][random.Next(2)]), ("Shift", codes[2][random.Next(3)]),
                ("Rack", codes[3][random.Next(3)]), ("CPU", (10 + 80 * random.NextDouble()).ToString("F2", CultureInfo.InvariantCulture)))).ToList();

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);

            Assert.Equal(new[] { "Status", "Network", "Shift", "Rack", "CPU" }, schema.Names);
            Assert.Empty(recognised);
        }

        [Fact]
        public void AFewDistinctNumbersTheCultureDoesNotReadAreNoCategoryButLeftOutSayingWhy()
        {
            // A gauge in half steps from a German export ("1,5", "2,0", ...): 17 distinct values, few enough for a category,
            // but numbers all the same. Read as categories they were silently one-hot inputs without order.
            var german = CultureInfo.GetCultureInfo("de-DE");
            var random = new Random(4);
            var records = Enumerable.Range(0, 200).Select(i => (IRecord)new TestRecord(
                ("Last", (random.Next(0, 17) * 0.5).ToString("F1", german)),
                ("CPU", (10 + 80 * random.NextDouble()).ToString("F2", CultureInfo.InvariantCulture)))).ToList();

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, out var recognised);
            Assert.Equal(new[] { "CPU" }, schema.Names);
            var gauge = recognised.Single(r => r.Name == "Last");
            Assert.True(gauge.UnreadNumbers);
            Assert.StartsWith("numbers written as '", gauge.Reason);
            // Read as de-DE they are numbers.
            var read = FeatureSchema.Infer(records.Select(r => (IRecord)new TestRecord(("Last", r.TryGetValue("Last", out var v) ? v : null))).ToList(),
                null, null, german, out _);
            Assert.Equal(ColumnRole.Numeric, read.Columns.Single().Role);
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
            { "NA", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "N/A", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "null", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            // Non-finite numbers are missing values too: a schema without a median can't impute them.
            { "NaN", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "Infinity", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "-Infinity", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            // pwsh under en-US writes [double]::PositiveInfinity as "∞": it was NotNumeric, told to be a decimal-comma number.
            { "∞", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { "-∞", FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { double.NaN, FeatureValueProblem.Empty, "EmptyFeatureValue" },
            { float.PositiveInfinity, FeatureValueProblem.Empty, "EmptyFeatureValue" },
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
        public void FeaturizeReadsAnObjectWithoutAFeaturesPropertyAsAMissingValue()
        {
            // An object row (JSON leaves out a field it has no value for) without the property: a missing value there, as
            // $null is; this schema has no median to fill it in with, so it is refused as a missing value, not a missing column.
            var schema = new FeatureSchema(new[] { "cpu", "disk" });
            var record = new TestRecord(("cpu", "1"), ("memory", "2"));

            var error = Assert.Throws<FeatureValueException>(() => schema.Featurize(record, Invariant, new double[2]));

            Assert.Equal(FeatureValueProblem.Empty, error.Problem);
            Assert.Equal("EmptyFeatureValue", error.ErrorId);
            Assert.Equal("disk", error.Column);
            Assert.Null(error.Value);
        }

        [Fact]
        public void InferredSchemaFeaturizesTheRecordsItCameFrom()
        {
            var records = ServerRows(25, 7);
            var roles = Infer(records);
            Assert.False(roles.IsFitted);
            Assert.Throws<InvalidOperationException>(() => roles.Featurize(records[0], Invariant, new double[roles.Width]));

            var schema = roles.Fit(records, Invariant);
            var destination = new double[schema.Width];

            Assert.True(schema.IsFitted);
            Assert.Equal(4, schema.Count);
            Assert.Equal(3 + 2 + 1, schema.Width); // site: north, south, (other)
            foreach (var record in records)
            {
                schema.Featurize(record, Invariant, destination);
                Assert.True(record.TryGetValue("memory", out var memory));
                Assert.Equal(Convert.ToDouble(memory, Invariant), destination[schema.FirstSlot(schema.IndexOf("memory"))]);
                Assert.True(record.TryGetValue("site", out var site));
                var siteSlots = destination.AsSpan(schema.FirstSlot(schema.IndexOf("site")), 3).ToArray();
                Assert.Equal((string)site! == "north" ? new[] { 1.0, 0, 0 } : new[] { 0, 1.0, 0 }, siteSlots);
                Assert.All(destination, v => Assert.True(double.IsFinite(v)));
            }
        }

        // ---- Roles on a messy export -------------------------------------------------------------------------

        private static List<IRecord> Messy(int count = 300, int seed = 3, double missingShare = 0.05) =>
            MessyData.Records(MessyData.Rows(count, seed, missingShare), Invariant);

        // A log's time field (a W3C or IIS log: date and time are fields of their own) was a timestamp column read as times
        // of the day it was read (with -TimeFeatures, its day of the week was the day of training). It is no time now, and
        // the reason it is left out says what makes it one.
        [Fact]
        public void ATimeOfDayColumnIsLeftOutAsNoTimeWithWhatMakesItOne()
        {
            var records = Enumerable.Range(0, 300)
                .Select(i => (IRecord)new TestRecord(
                    ("date", $"2026-11-{28 + i / 100}"),
                    ("time", $"{i % 24:00}:{i % 60:00}:00"),
                    ("hits", (100 + i % 7).ToString(Invariant))))
                .ToList();

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out _, timeFeatures: true);

            Assert.Equal(new[] { "date", "hits" }, schema.Names);
            Assert.Equal(ColumnRole.Timestamp, RoleOf(schema, "date"));
            Assert.StartsWith("times of day without a date, which are not read as times", schema.Ignored.Single(i => i.Name == "time").Reason, StringComparison.Ordinal);
        }

        [Fact]
        public void InferGivesEachColumnOfAMessyExportItsRole()
        {
            var schema = FeatureSchema.Infer(Messy(), null, null, Invariant, out var decisions);

            Assert.Equal(new[] { "host", "level", "cpu", "memory", "latency" }, schema.Names);
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "host"));
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "level"));
            Assert.All(new[] { "cpu", "memory", "latency" }, n => Assert.Equal(ColumnRole.Numeric, RoleOf(schema, n)));
            Assert.False(schema.IsFitted); // categories come from Fit or TrainingSetBuilder

            var ignored = schema.Ignored.ToDictionary(i => i.Name, i => i.Reason);
            Assert.Equal(new[] { "id", "time", "message" }, schema.Ignored.Select(i => i.Name));
            Assert.StartsWith("identifier-like: 300 distinct values in 300 rows", ignored["id"], StringComparison.Ordinal);
            Assert.Contains("timestamp", ignored["time"], StringComparison.Ordinal);
            Assert.Matches(@"^text with \d+ distinct values, too many for a category \(at most 50\)$", ignored["message"]);
            Assert.Equal(MessyData.Columns.Length, decisions.Count);
            Assert.Contains(decisions, d => d.StartsWith("Column 'host': categorical feature", StringComparison.Ordinal));
            Assert.Contains(decisions, d => d.StartsWith("Column 'cpu': numeric feature", StringComparison.Ordinal));
        }

        [Fact]
        public void IdentifierNeedsTwentyRowsAndNinetyPercentDistinct()
        {
            Assert.Equal(0.9, FeatureSchema.IdentifierShare);
            // 20 rows, 18 distinct: an identifier. 20 rows, 17 distinct: a category. 19 rows, all distinct: too few rows to tell.
            var records = Enumerable.Range(0, 20)
                .Select(i => (IRecord)new TestRecord(
                    ("eighteen", $"k{Math.Min(i, 17)}"),
                    ("seventeen", $"k{Math.Min(i, 16)}"),
                    ("short", i < 19 ? $"k{i}" : "")))
                .ToList();

            var schema = Infer(records);

            Assert.Equal(new[] { "seventeen", "short" }, schema.Names);
            Assert.Contains("identifier-like: 18 distinct values in 20 rows", Assert.Single(schema.Ignored).Reason, StringComparison.Ordinal);
        }

        [Fact]
        public void FreeTextWithMoreThanFiftyDistinctValuesIsLeftOut()
        {
            Assert.Equal(50, FeatureSchema.MaxCategories);
            var records = Enumerable.Range(0, 200)
                .Select(i => (IRecord)new TestRecord(
                    ("fifty", $"status {i % 50}"),
                    ("fiftyOne", $"status {i % 51}"),
                    ("cpu", i * 37 % 101)))
                .ToList();

            var schema = Infer(records);

            Assert.Equal(new[] { "fifty", "cpu" }, schema.Names);
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "fifty"));
            var ignored = Assert.Single(schema.Ignored);
            Assert.Equal("fiftyOne", ignored.Name);
            Assert.Equal("text with 51 distinct values, too many for a category (at most 50)", ignored.Reason);
        }

        [Fact]
        public void TimestampsAreLeftOutByDefaultAndAFeatureWithTimeFeatures()
        {
            var records = Messy();

            var without = FeatureSchema.Infer(records, null, null, Invariant, out _);
            var with = FeatureSchema.Infer(records, null, null, Invariant, out _, timeFeatures: true);

            Assert.DoesNotContain("time", without.Names);
            Assert.Equal(new[] { "time", "host", "level", "cpu", "memory", "latency" }, with.Names);
            Assert.Equal(ColumnRole.Timestamp, RoleOf(with, "time"));
            Assert.DoesNotContain(with.Ignored, i => i.Name == "time");
        }

        [Fact]
        public void TimeFeaturesOfAWindowLearnTheHourAndDayOfItsTimeProperty()
        {
            // The window's time property is a key, never a feature of its own: with -TimeFeatures its calendar is one, last.
            var records = Enumerable.Range(0, 20)
                .Select(i => (IRecord)new TestRecord(("time", MessyData.Start.AddMinutes(5 * i).ToString("s", Invariant)), ("cpu", $"{i % 7}.5")))
                .ToList();
            var keys = new Dictionary<string, string> { ["time"] = "the sliding window's time property" };

            var schema = FeatureSchema.Infer(records, null, null, Invariant, out var decisions, out _, timeFeatures: true, keys: keys, timeColumn: "time");

            Assert.Equal(new[] { "cpu", "time" }, schema.Names);
            Assert.Equal(ColumnRole.Timestamp, RoleOf(schema, "time"));
            Assert.Equal("time", schema.WindowTime);
            Assert.True(schema.IsWindowTime(1));
            Assert.False(schema.IsWindowTime(0));
            Assert.Contains(decisions, d => d.StartsWith("Column 'time': timestamp feature too (-TimeFeatures)", StringComparison.Ordinal));
            Assert.Null(schema.TimeFeaturesUnused(true, windowed: true));
            // Named features too: -Feature can't name a key.
            var named = FeatureSchema.Infer(records, new[] { "cpu" }, null, Invariant, out _, out _, timeFeatures: true, keys: keys, timeColumn: "time");
            Assert.Equal(new[] { "cpu", "time" }, named.Names);
            // Opt-in: without -TimeFeatures the time is a key only.
            var without = FeatureSchema.Infer(records, null, null, Invariant, out _, out _, timeFeatures: false, keys: keys, timeColumn: "time");
            Assert.Equal(new[] { "cpu" }, without.Names);
            Assert.Null(without.WindowTime);
            // A copy of the time (the recipe before: 'clock') would be a second calendar of the same times: left out, unless named.
            var withCopy = records.Select((r, i) => (IRecord)new TestRecord(("time", MessyData.Start.AddMinutes(5 * i).ToString("s", Invariant)),
                ("clock", MessyData.Start.AddMinutes(5 * i).ToString("s", Invariant)), ("cpu", $"{i % 7}.5"))).ToList();
            var copied = FeatureSchema.Infer(withCopy, null, null, Invariant, out _, out _, timeFeatures: true, keys: keys, timeColumn: "time");
            Assert.Equal(new[] { "cpu", "time" }, copied.Names);
            Assert.Contains(copied.Ignored, c => c.Name == "clock" && c.Reason.StartsWith("a copy of the time property 'time'", StringComparison.Ordinal));
            Assert.Equal(new[] { "clock", "cpu", "time" }, FeatureSchema.Infer(withCopy, new[] { "clock", "cpu" }, null, Invariant, out _, out _,
                timeFeatures: true, keys: keys, timeColumn: "time").Names);
            // Another column of times is a calendar of its own.
            var other = records.Select((r, i) => (IRecord)new TestRecord(("time", MessyData.Start.AddMinutes(5 * i).ToString("s", Invariant)),
                ("boot", MessyData.Start.AddDays(-3).AddMinutes(i).ToString("s", Invariant)), ("cpu", $"{i % 7}.5"))).ToList();
            Assert.Equal(new[] { "boot", "cpu", "time" }, FeatureSchema.Infer(other, null, null, Invariant, out _, out _, timeFeatures: true, keys: keys, timeColumn: "time").Names);
            // A window without a time property (rows in arrival order) and no column of times has nothing to read them from.
            var untimed = FeatureSchema.Infer(records.Select(r => (IRecord)new TestRecord(("cpu", r.TryGetValue("cpu", out var v) ? v : null))).ToList(),
                null, null, Invariant, out _, out _, timeFeatures: true);
            Assert.StartsWith("-TimeFeatures learned no hour or day: the sliding window has no time property", untimed.TimeFeaturesUnused(true, windowed: true));
            Assert.Null(untimed.TimeFeaturesUnused(true, windowed: false));
            Assert.Null(untimed.TimeFeaturesUnused(false, windowed: true));
        }

        [Fact]
        public void TheCalendarOfAWindowsTimeIsReadWhereItsKeyIsAndNeverReportsTheTimeAgain()
        {
            // A perfmon model's time property is named after the zone training's machine kept; another's export names it after its own.
            const string trained = "(PDH-CSV 4.0) (Pacific Standard Time)(480)";
            const string other = "(PDH-CSV 4.0) (W. Europe Standard Time)(-60)";
            var schema = new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn(trained, ColumnRole.Timestamp) }, windowTime: trained);
            var expected = new double[5];
            expected[0] = 5;
            // The clock time as written, Saturday 14:30, whatever zone the column names (the hour an operator reads there).
            TimestampParser.Encode(new DateTime(2026, 3, 7, 14, 30, 0), expected.AsSpan(1));
            var row = new double[schema.Width];
            schema.Featurize(new TestRecord((other, "03/07/2026 14:30:00.000"), ("cpu", "5")), Invariant, row);
            Assert.Equal(expected, row);
            var header = new AutoencoderPS.Engine.Csv.CsvHeader(new[] { other, "cpu" }, "web02.csv");
            Array.Clear(row);
            schema.Featurize(new AutoencoderPS.Engine.Csv.CsvRecord(header, new[] { "03/07/2026 14:30:00.000", "5" }, "web02.csv", 2), Invariant, row);
            Assert.Equal(expected, row);
            // With an offset (which the key, and -TimeZone, read as an instant), still the clock time as written: 14:30.
            Array.Clear(row);
            schema.Featurize(new TestRecord((other, new DateTimeOffset(2026, 3, 7, 14, 30, 0, TimeSpan.FromHours(-8))), ("cpu", "5")), Invariant, row);
            Assert.Equal(expected, row);
            schema.Featurize(new TestRecord((other, "2026-03-07T14:30:00+09:00"), ("cpu", "5")), Invariant, row);
            Assert.Equal(expected, row);
            // Missing or unreadable, it is the window key's error (TimeValueMissing, TimeValueInvalid), not a second one, and nothing is filled in.
            foreach (var value in new object?[] { "", null, "not a time" })
            {
                var imputed = new List<string>();
                schema.Featurize(new TestRecord((trained, value), ("cpu", "5")), Invariant, row, MissingValuePolicy.Reject, imputed);
                Assert.Empty(imputed);
                Assert.Equal(new double[4], row[1..]);
            }
            // Any other column of times is read as before: an unreadable value is its own error.
            var copy = new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("clock", ColumnRole.Timestamp) });
            Assert.Throws<FeatureValueException>(() => copy.Featurize(new TestRecord(("clock", "not a time"), ("cpu", "5")), Invariant, row));
        }

        [Fact]
        public void TimestampsAreRecognisedAsDateTimeValuesAndAsTextInTheCulture()
        {
            var german = CultureInfo.GetCultureInfo("de-DE");
            var records = Enumerable.Range(0, 10)
                .Select(i => (IRecord)new TestRecord(
                    ("typed", MessyData.Start.AddHours(i)),
                    ("offset", new DateTimeOffset(MessyData.Start.AddHours(i), TimeSpan.FromHours(1))),
                    ("iso", MessyData.Start.AddHours(i).ToString("s", Invariant)),
                    ("local", MessyData.Start.AddHours(i).ToString("g", german)),
                    ("load", $"{i},5")))
                .ToList();

            var schema = FeatureSchema.Infer(records, null, null, german, out _, timeFeatures: true);

            Assert.Equal(new[] { "typed", "offset", "iso", "local", "load" }, schema.Names);
            Assert.All(new[] { "typed", "offset", "iso", "local" }, n => Assert.Equal(ColumnRole.Timestamp, RoleOf(schema, n)));
            Assert.Equal(ColumnRole.Numeric, RoleOf(schema, "load"));
        }

        [Fact]
        public void AnExplicitIncludeListForcesColumnsIn()
        {
            var records = Messy();

            var schema = Infer(records, include: new[] { "message", "TIME", "id", "cpu" });

            // Named columns become features whatever the inference says: free text and identifiers as
            // categories, a timestamp as a timestamp even without time features.
            Assert.Equal(new[] { "message", "time", "id", "cpu" }, schema.Names);
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "message"));
            Assert.Equal(ColumnRole.Timestamp, RoleOf(schema, "time"));
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "id"));
            Assert.Equal(ColumnRole.Numeric, RoleOf(schema, "cpu"));
            Assert.Equal(new[] { "host", "level", "memory", "latency" }, schema.Ignored.Select(i => i.Name));
            Assert.All(schema.Ignored, i => Assert.Equal("not among the named features", i.Reason));
        }

        [Fact]
        public void BooleansAreCategorical()
        {
            var records = Enumerable.Range(0, 30)
                .Select(i => (IRecord)new TestRecord(("up", i % 3 != 0), ("flag", i % 2 == 0 ? "True" : "False"), ("cpu", (i * 7 % 30) * 1.5)))
                .ToList();

            var schema = Infer(records).Fit(records, Invariant);

            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "up"));
            Assert.Equal(ColumnRole.Categorical, RoleOf(schema, "flag"));
            Assert.Equal(new[] { "False", "True" }, schema.Columns[schema.IndexOf("up")].Categories);
            Assert.Equal("True", schema.Columns[schema.IndexOf("up")].Mode);
            var row = new double[schema.Width];
            schema.Featurize(new TestRecord(("up", false), ("flag", "True"), ("cpu", 3.0)), Invariant, row);
            Assert.Equal(new[] { 1.0, 0, 0, 0, 1, 0, 3 }, row);
        }

        [Fact]
        public void ALogWithDashPlaceholdersKeepsItsNumbersAndItsDashCategory()
        {
            // An access log: "-" where a duration is unknown, and "-" as the thread of a request served by none.
            var random = new Random(5);
            var records = Enumerable.Range(0, 300).Select(i => new TestRecord(
                ("DurationMs", i % 20 == 3 ? "-" : (20 + random.NextDouble() * 40).ToString("F1", Invariant)),
                ("Thread", new[] { "main", "worker-1", "-" }[i % 3]))).ToList<IRecord>();

            var schema = Infer(records).Fit(records, Invariant);

            var duration = schema.Columns[schema.IndexOf("DurationMs")];
            Assert.Equal(ColumnRole.Numeric, duration.Role);
            Assert.Equal(15, duration.Statistics!.Missing);
            Assert.Contains("-", schema.Columns[schema.IndexOf("Thread")].Categories);
            var row = new double[schema.Width];
            var imputed = new List<string>();
            schema.Featurize(records[3], Invariant, row, MissingValuePolicy.Impute, imputed);
            Assert.Equal(new[] { "DurationMs" }, imputed);
            Assert.Equal(duration.Median, row[schema.FirstSlot(schema.IndexOf("DurationMs"))]);
        }

        [Fact]
        public void FitLearnsCategoriesMediansAndStatisticsFromTheRecords()
        {
            var records = Messy(missingShare: 0.1);

            var schema = Infer(records).Fit(records, Invariant);

            var host = schema.Columns[schema.IndexOf("host")];
            Assert.Equal(MessyData.Hosts.OrderBy(h => h, StringComparer.Ordinal), host.Categories);
            Assert.Equal(5, host.Width);
            Assert.Equal(4, host.Statistics!.Distinct);
            var cpu = schema.Columns[schema.IndexOf("cpu")];
            var present = records.Select(r => { r.TryGetValue("cpu", out var v); return (string)v!; })
                .Where(v => !NumberParser.IsMissingMarker(v)).Select(v => double.Parse(v, Invariant)).OrderBy(v => v).ToArray();
            int n = present.Length;
            Assert.Equal(n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2, cpu.Median);
            Assert.Equal(300, cpu.Statistics!.Count);
            Assert.Equal(300 - present.Length, cpu.Statistics.Missing);
            Assert.True(cpu.Statistics.Missing > 0);
            Assert.Equal(present[0], cpu.Statistics.Min);
            Assert.Equal(present[^1], cpu.Statistics.Max);
            Assert.Equal(schema.Ignored.Select(i => i.Name), new[] { "id", "time", "message" });
        }

        // ---- Featurizing categorical and timestamp columns ---------------------------------------------------

        private static FeatureSchema HostTimeCpu() => new FeatureSchema(new[]
        {
            new FeatureColumn("host", ColumnRole.Categorical, new[] { "a", "b", "c" }, mode: "b"),
            new FeatureColumn("time", ColumnRole.Timestamp),
            new FeatureColumn("cpu", ColumnRole.Numeric, median: 42.5),
        });

        [Fact]
        public void WidthCountsNetworkInputsAndCountCountsColumns()
        {
            var schema = HostTimeCpu();

            Assert.Equal(3, schema.Count);
            Assert.Equal(4 + 4 + 1, schema.Width);
            Assert.Equal(new[] { 0, 4, 8 }, Enumerable.Range(0, 3).Select(schema.FirstSlot));
            Assert.Equal(new[] { "host=a", "host=b", "host=c", "host=(other)", "time.HourSin", "time.HourCos", "time.DaySin", "time.DayCos", "cpu" },
                schema.SlotNames);
            Assert.Equal(Enumerable.Repeat(SlotKind.OneHot, 4).Concat(Enumerable.Repeat(SlotKind.Cyclic, 4)).Append(SlotKind.Numeric), schema.SlotKinds);
            Assert.True(schema.IsFitted);
        }

        [Theory]
        [InlineData("a", 0)]
        [InlineData("b", 1)]
        [InlineData(" c ", 2)]
        [InlineData("d", 3)]      // unseen in training: the (other) slot
        [InlineData("A", 3)]      // categories are case-sensitive
        public void FeaturizeOneHotEncodesACategoryWithAnOtherSlot(string host, int hot)
        {
            var schema = HostTimeCpu();
            var row = new double[schema.Width];
            var imputed = new List<string>();

            schema.Featurize(new TestRecord(("host", host), ("time", MessyData.Start), ("cpu", "1")), Invariant, row, MissingValuePolicy.Impute, imputed);

            var expected = new double[4];
            expected[hot] = 1;
            Assert.Equal(expected, row.Take(4));
            Assert.Empty(imputed);
            Assert.Equal(hot < 3 ? new[] { "a", "b", "c" }[hot] : FeatureColumn.OtherCategory, schema.Describe(0, row));
        }

        [Theory]
        [InlineData("")]
        [InlineData("NA")]
        [InlineData(null)]
        public void AMissingCategoryIsTheMostFrequentOneAndAMissingNumberTheMedian(string? missing)
        {
            var schema = HostTimeCpu();
            var row = new double[schema.Width];
            var imputed = new List<string>();

            schema.Featurize(new TestRecord(("host", missing), ("time", missing), ("cpu", missing)), Invariant, row, MissingValuePolicy.Impute, imputed);

            Assert.Equal(new[] { 0.0, 1, 0, 0 }, row.Take(4));     // the mode, "b"
            Assert.Equal(new[] { 0.0, 0, 0, 0 }, row.Skip(4).Take(4)); // no hour, no day: the centre of both circles
            Assert.Equal(42.5, row[8]);
            Assert.Equal(new[] { "host", "time", "cpu" }, imputed);
        }

        [Theory]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("-Infinity")]
        [InlineData("N/A")]
        [InlineData("-")]
        public void NonFiniteNumbersAreImputedWithTheMedian(string value)
        {
            var schema = HostTimeCpu();
            var row = new double[schema.Width];
            var imputed = new List<string>();

            schema.Featurize(new TestRecord(("host", "a"), ("time", MessyData.Start), ("cpu", value)), Invariant, row, MissingValuePolicy.Impute, imputed);

            Assert.Equal(42.5, row[8]);
            Assert.Equal(new[] { "cpu" }, imputed);
        }

        [Theory]
        [InlineData("host")]
        [InlineData("time")]
        [InlineData("cpu")]
        public void RejectPolicyRefusesAMissingValueOfAnyRole(string column)
        {
            var schema = HostTimeCpu();
            var values = new Dictionary<string, object?> { ["host"] = "a", ["time"] = MessyData.Start, ["cpu"] = "1" };
            values[column] = "N/A";
            var record = new TestRecord(values.Select(kv => (kv.Key, kv.Value)).ToArray());

            var error = Assert.Throws<FeatureValueException>(() =>
                schema.Featurize(record, Invariant, new double[schema.Width], MissingValuePolicy.Reject, null));

            Assert.Equal(FeatureValueProblem.Empty, error.Problem);
            Assert.Equal("EmptyFeatureValue", error.ErrorId);
            Assert.Equal(column, error.Column);
            Assert.Equal("N/A", error.Value);
            Assert.Contains("missing value 'N/A'", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnUnreadableTimestampIsNamed()
        {
            var schema = HostTimeCpu();

            var error = Assert.Throws<FeatureValueException>(() => schema.Featurize(
                new TestRecord(("host", "a"), ("time", "yesterday-ish"), ("cpu", "1")), Invariant, new double[schema.Width]));

            Assert.Equal(FeatureValueProblem.NotTimestamp, error.Problem);
            Assert.Equal("InvalidTimestampValue", error.ErrorId);
            Assert.Equal("time", error.Column);
        }

        [Fact]
        public void FeaturizeEncodesATimestampThatDescribeReadsBack()
        {
            var schema = HostTimeCpu();
            var row = new double[schema.Width];
            var monday = new DateTime(2026, 1, 5, 14, 30, 0);

            schema.Featurize(new TestRecord(("host", "a"), ("time", monday.ToString("s", Invariant)), ("cpu", 1.0)), Invariant, row);

            var expected = new double[4];
            TimestampParser.Encode(monday, expected);
            Assert.Equal(expected, row.Skip(4).Take(4));
            Assert.Equal(Math.Sin(2 * Math.PI * 14.5 / 24), row[4], 12);
            Assert.Equal(Math.Cos(2 * Math.PI * 14.5 / 24), row[5], 12);
            Assert.Equal("Mon 14:30", TimestampParser.Describe(row.AsSpan(4, 4)));
            Assert.Equal("Mon 14:30", schema.Describe(1, row));
            Assert.Equal(1.0, schema.Describe(2, row));
        }

        [Fact]
        public void FeaturizeReadsGermanNumbersAndDates()
        {
            var german = CultureInfo.GetCultureInfo("de-DE");
            var schema = HostTimeCpu();
            var row = new double[schema.Width];

            schema.Featurize(new TestRecord(("host", "c"), ("time", "05.01.2026 10:30"), ("cpu", "1,5")), german, row);

            Assert.Equal(1.5, row[8]);
            Assert.Equal("Mon 10:30", schema.Describe(1, row)); // 5 January, not 1 May
            var expected = new double[4];
            TimestampParser.Encode(new DateTime(2026, 1, 5, 10, 30, 0), expected);
            Assert.Equal(expected, row.Skip(4).Take(4));
            // The same text in the invariant culture is no number.
            Assert.Equal(FeatureValueProblem.NotNumeric, Assert.Throws<FeatureValueException>(() =>
                schema.Featurize(new TestRecord(("host", "c"), ("time", "05.01.2026 10:30"), ("cpu", "1,5")), Invariant, row)).Problem);
        }

        [Fact]
        public void FitOfRolesInferredFromAGermanExportReadsItsValues()
        {
            var german = CultureInfo.GetCultureInfo("de-DE");
            var rows = MessyData.Rows(200, 8);
            var records = MessyData.Records(rows, german);

            var schema = FeatureSchema.Infer(records, null, null, german, out _, timeFeatures: true).Fit(records, german);
            var row = new double[schema.Width];

            Assert.Equal(new[] { "time", "host", "level", "cpu", "memory", "latency" }, schema.Names);
            for (int i = 0; i < rows.Count; i++)
            {
                schema.Featurize(records[i], german, row);
                Assert.Equal((double)rows[i].Cpu, schema.Describe(schema.IndexOf("cpu"), row));
                Assert.Equal(rows[i].Host, schema.Describe(schema.IndexOf("host"), row));
                Assert.Equal(rows[i].Time.ToString("ddd HH:mm", Invariant), schema.Describe(schema.IndexOf("time"), row));
            }
        }
    }
}
