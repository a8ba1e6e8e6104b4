using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A sliding-window model's cumulative counters are fed as their increase per second since the group's previous row
    /// (Features.Windows.CounterRates), in training, recalibration and scoring alike.
    /// </summary>
    public sealed class CounterRatesTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);

        private static WindowKey At(string group, int seconds) => new WindowKey(group, T0.AddSeconds(seconds));

        // One counter in slot 0 of a one-number row: its rate, or NaN.
        private static double RateOf(CounterRates rates, WindowKey key, double level, out bool undefined)
        {
            var row = new[] { level };
            undefined = rates.Next(key, row) != null;
            return row[0];
        }

        [Fact]
        public void TheRateIsTheIncreasePerSecondSinceTheGroupsLastRow()
        {
            var rates = new CounterRates(new[] { 0 });
            Assert.True(double.IsNaN(RateOf(rates, At("a", 0), 1000, out bool first)));
            Assert.True(first);
            Assert.Equal(10, RateOf(rates, At("a", 60), 1600, out bool second));
            Assert.False(second);
            Assert.Equal(2, RateOf(rates, At("a", 360), 2200, out _));
            // Another group has its own last value.
            Assert.True(double.IsNaN(RateOf(rates, At("b", 360), 5, out _)));
            Assert.Equal(1, RateOf(rates, At("b", 370), 15, out _));
            Assert.Equal(2, rates.GroupCount);
        }

        [Fact]
        public void AResetHasNoRateAndA32BitWrapCountsOnPastTwoTo32()
        {
            Assert.Equal(5, CounterRates.Rate(1000, 1500, 100, double.NaN));
            // A restart: the counter fell; when in the interval it counted from 0 is unknown.
            Assert.True(double.IsNaN(CounterRates.Rate(1_000_000, 300, 100, 1e9)));
            // SNMP's 32-bit counter: from 2^32 - 100 to 50 is 150 counted, when that rate is within the bound.
            Assert.Equal(1.5, CounterRates.Rate(4294967296.0 - 100, 50, 100, 3));
            Assert.True(double.IsNaN(CounterRates.Rate(4294967296.0 - 100, 50, 100, 1)));
            // A 64-bit counter that fell from above 2^32 was reset, not wrapped.
            Assert.True(double.IsNaN(CounterRates.Rate(9e12, 50, 100, 1e12)));

            var rates = new CounterRates(new[] { 0 });
            RateOf(rates, At("a", 0), 4294967296.0 - 1600, out _);
            Assert.Equal(10, RateOf(rates, At("a", 100), 4294967296.0 - 600, out _));
            Assert.Equal(10, RateOf(rates, At("a", 200), 400, out _)); // wrapped at the group's usual rate
            // A reset: no rate, and the next row counts from the value after it.
            Assert.True(double.IsNaN(RateOf(rates, At("a", 300), 100, out bool reset)));
            Assert.True(reset);
            Assert.Equal(3, RateOf(rates, At("a", 400), 400, out _));
        }

        [Fact]
        public void ARestartOfA64BitCounterFromBelowTwoTo32IsNoWrap()
        {
            // 76 k a second, then a restart from 2.55e9 to 0: counted on past 2^32 it would be 29 M a second.
            var rates = new CounterRates(new[] { 0 });
            RateOf(rates, At("a", 0), 2.55e9 - 60 * 76_000, out _);
            Assert.Equal(76_000, RateOf(rates, At("a", 60), 2.55e9, out _));
            Assert.True(double.IsNaN(RateOf(rates, At("a", 120), 0, out bool restart)));
            Assert.True(restart);
            // A group without a rate yet has nothing to measure a wrap against: no rate either.
            RateOf(rates, At("b", 0), 4294967296.0 - 100, out _);
            Assert.True(double.IsNaN(RateOf(rates, At("b", 10), 50, out _)));

            // A trained model measures a wrap against the largest rate of its training rows, from a group's first rate on.
            foreach (var (trainedMax, wraps) in new[] { (100.0, true), (10.0, false) })
            {
                var schema = new FeatureSchema(new[] { new FeatureColumn("bytes", ColumnRole.Numeric, median: 50, counter: true,
                    statistics: new ColumnStatistics { Count = 10, Max = trainedMax }) });
                var trained = CounterRates.For(schema)!;
                var row = new[] { 4294967296.0 - 1000 };
                trained.Next(At("c", 0), row);
                row = new[] { 500.0 };
                var undefined = trained.Next(At("c", 10), row);
                Assert.Equal(wraps, undefined == null);
                Assert.Equal(wraps ? 150 : double.NaN, row[0]);
            }
        }

        [Fact]
        public void AMissingValueHasNoRateAndTheNextRateSpansBothIntervals()
        {
            var rates = new CounterRates(new[] { 0 });
            RateOf(rates, At("a", 0), 0, out _);
            Assert.True(double.IsNaN(RateOf(rates, At("a", 10), double.NaN, out bool missing)));
            Assert.True(missing);
            Assert.Equal(5, RateOf(rates, At("a", 20), 100, out _));
            // A row at the same time as the last counted one: no rate, and the next one counts from the earlier row.
            Assert.True(double.IsNaN(RateOf(rates, At("a", 20), 130, out bool sameTime)));
            Assert.True(sameTime);
            Assert.Equal(10, RateOf(rates, At("a", 30), 200, out _));
        }

        [Fact]
        public void ARowEarlierThanTheGroupsLastOneChangesNothing()
        {
            var rates = new CounterRates(new[] { 0 });
            RateOf(rates, At("a", 0), 0, out _);
            RateOf(rates, At("a", 10), 100, out _);
            var row = new[] { 50.0 };
            Assert.Null(rates.Next(At("a", 5), row));
            Assert.Equal(50, row[0]); // left as it was: the window assembler refuses the row
            Assert.Equal(10, RateOf(rates, At("a", 20), 200, out _));
            // Also when the group's last row had no value to count: the row before it is still out of order.
            RateOf(rates, At("a", 30), double.NaN, out _);
            row = new[] { 250.0 };
            Assert.Null(rates.Next(At("a", 25), row));
            Assert.Equal(250, row[0]);
            Assert.Equal(10, RateOf(rates, At("a", 40), 400, out _));
        }

        [Fact]
        public void WithoutATimeTheRateIsPerRow()
        {
            var rates = new CounterRates(new[] { 1 });
            var key = new WindowKey("", null);
            var row = new[] { 7.0, 100 };
            rates.Next(key, row);
            row = new[] { 7.0, 130 };
            Assert.Null(rates.Next(key, row));
            Assert.Equal(new[] { 7.0, 30 }, row); // only the counter's slot changes
        }

        [Fact]
        public void WithoutATimeARateAfterMissingRowsIsPerRowOfThemNotTheirWholeIncrease()
        {
            // 30 a row: a row without the counter's value, then one with no measurement at all (Absent), then the next
            // value 90 later is 30 a row over its three rows (was 90: a spike after every gap).
            var rates = new CounterRates(new[] { 0 });
            var key = new WindowKey("", null);
            Assert.True(double.IsNaN(RateOf(rates, key, 100, out _)));
            Assert.Equal(30, RateOf(rates, key, 130, out _));
            Assert.True(double.IsNaN(RateOf(rates, key, double.NaN, out bool undefined)));
            Assert.True(undefined);
            rates.Absent(key);
            Assert.Equal(30, RateOf(rates, key, 220, out _));
            Assert.Equal(30, RateOf(rates, key, 250, out _));
            // With a time, an absent row changes nothing: the rate is per second of the time between the values.
            var timed = new CounterRates(new[] { 0 });
            RateOf(timed, At("", 0), 100, out _);
            timed.Absent(At("", 60));
            Assert.Equal(1, RateOf(timed, At("", 120), 220, out _));

            // The rows since the last value are kept in a series memory; one saved before they were is read with none.
            rates.Next(key, new[] { double.NaN });
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) rates.Save(writer);
            var loaded = new CounterRates(new[] { 0 });
            buffer.Position = 0;
            using (var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) Assert.True(loaded.Load(reader));
            Assert.Equal(30, RateOf(loaded, key, 310, out _));
            // The layout before: no count after each counter's time.
            var old = new MemoryStream();
            using (var writer = new BinaryWriter(old, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(1); writer.Write(1); writer.Write(""); writer.Write(false); writer.Write(250.0); writer.Write(false);
            }
            old.Position = 0;
            var upgraded = new CounterRates(new[] { 0 });
            using (var reader = new BinaryReader(old, System.Text.Encoding.UTF8, leaveOpen: true)) Assert.True(upgraded.Load(reader, withSteps: false));
            Assert.Equal(old.Length, old.Position);
            Assert.Equal(30, RateOf(upgraded, key, 280, out _));
        }

        [Fact]
        public void RowsInAnyOrderAreCountedInTimeOrderWithinEachGroup()
        {
            // Two groups interleaved, each shuffled: the rates are those of each group in time order.
            var random = new Random(3);
            var keys = new List<WindowKey>();
            var rows = new List<double[]>();
            foreach (string group in new[] { "a", "b" })
                for (int i = 0; i < 30; i++)
                {
                    keys.Add(At(group, 10 * i));
                    rows.Add(new[] { (group == "a" ? 3.0 : 7.0) * 10 * i * (i + 1) / 2 }); // rate 3i or 7i per second
                }
            var order = Enumerable.Range(0, rows.Count).OrderBy(_ => random.Next()).ToArray();
            var shuffledRows = order.Select(i => rows[i]).ToList();
            var shuffledKeys = order.Select(i => keys[i]).ToList();
            var undefined = new List<int>();
            new CounterRates(new[] { 0 }).ToRates(shuffledRows, shuffledKeys, (row, counter) => undefined.Add(row));
            for (int k = 0; k < order.Length; k++)
            {
                int i = order[k] % 30;
                double perStep = order[k] < 30 ? 3 : 7;
                if (i == 0) Assert.Contains(k, undefined);
                else Assert.Equal(perStep * i, shuffledRows[k][0], 9);
            }
            Assert.Equal(2, undefined.Count);
        }

        [Fact]
        public void SavedLastValuesGoOnAsIfNeverSaved()
        {
            var rates = new CounterRates(new[] { 0, 2 });
            rates.Next(At("a", 0), new[] { 10.0, 0, 20 });
            rates.Next(At("b", 0), new[] { 5.0, 0, double.NaN });
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) rates.Save(writer);
            var loaded = new CounterRates(new[] { 0, 2 });
            buffer.Position = 0;
            using (var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) Assert.True(loaded.Load(reader));
            Assert.Equal(buffer.Length, buffer.Position);
            foreach (var r in new[] { rates, loaded })
            {
                var a = new[] { 30.0, 0, 80 };
                Assert.Null(r.Next(At("a", 10), a));
                Assert.Equal(new[] { 2.0, 0, 6 }, a);
                var b = new[] { 25.0, 0, 40 };
                Assert.Equal(new[] { 1 }, r.Next(At("b", 20), b)); // b's second counter had no value yet
            }
            // Another number of counters is not loaded.
            buffer.Position = 0;
            using (var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                Assert.False(new CounterRates(new[] { 0 }).Load(reader));
        }
    }

    /// <summary>Counters through training, the model file, recalibration and scoring.</summary>
    [Collection(TorchCollection.Name)]
    public sealed class CounterModelTests
    {
        private const int Window = 4;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);

        public CounterModelTests(TorchFixture fixture) => _ = fixture;

        // cpu follows a 24-row cycle; bytes counts 1000 + 400 sin per second, a row a minute, from 3 million below 2^32 (it
        // wraps after about 50 rows) and is reset to 0 at row `reset`; `burst` rows get three times the traffic.
        private static List<TestRecord> Records(int first, int count, int seed, int reset = -1, (int From, int To) burst = default)
        {
            var random = new Random(seed);
            var records = new List<TestRecord>();
            double total = 4294967296.0 - 3e6;
            for (int i = 0; i < first + count; i++)
            {
                double phase = 2 * Math.PI * i / 24;
                double rate = (1000 + 400 * Math.Sin(phase) + 20 * random.NextDouble()) * (i >= burst.From && i < burst.To ? 3 : 1);
                total = i == reset ? 0 : (total + 60 * rate) % 4294967296.0;
                double cpu = 50 + 20 * Math.Sin(phase) + random.NextDouble();
                if (i >= first) records.Add(new TestRecord(("Time", T0.AddMinutes(i)), ("cpu", cpu), ("bytes", Math.Round(total))));
            }
            return records;
        }

        private static readonly ModelSettings Settings = new ModelSettings(new[] { 12, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
            seed: 4, windowSize: Window, timeProperty: "Time");

        // The features of a sliding-window model as Invoke-AutoencoderTraining infers them: Time (and the group) are keys,
        // counters are rates, each group's numbers are told in time order (unless `timeOrder` is false: row order).
        private static FeatureSchema Windowed(IReadOnlyList<TestRecord> records, out IReadOnlyList<IgnoredColumn> recognised,
            string? group = null, bool timeOrder = true, string[]? include = null)
        {
            var keys = new Dictionary<string, string> { ["Time"] = "the time" };
            if (group != null) keys[group] = "the group";
            return FeatureSchema.Infer(records, include, null, CultureInfo.InvariantCulture, out _, out recognised, keys: keys,
                counterRates: true, groupColumn: group, timeColumn: timeOrder ? "Time" : null);
        }

        // Trained as Invoke-AutoencoderTraining does: inferred roles (counters as rates), the training set, its window plan.
        private static AutoencoderModel Trained(IReadOnlyList<TestRecord> records, out IReadOnlyList<string> decisions)
        {
            var roles = FeatureSchema.Infer(records, null, null, CultureInfo.InvariantCulture, out decisions, out _,
                keys: new Dictionary<string, string> { ["Time"] = "the time" }, counterRates: true);
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            foreach (var r in records) builder.Add(r);
            var keys = records.Select(r => SlidingWindow.ReadKey(r, Settings, roles, CultureInfo.InvariantCulture)).ToList();
            var set = builder.Build(1, keys);
            var model = new AutoencoderModel(Settings);
            model.Train(set.Schema, set.Rows, new TrainingOptions { Epochs = 20, BatchSize = 32, LearningRate = 1e-2 },
                windows: SlidingWindow.Plan(Window, keys, null), imputed: set.Imputed);
            return model;
        }

        private static List<(int Row, RowScore? Score, IReadOnlyList<string>? Imputed)> Score(AutoencoderModel model, IReadOnlyList<TestRecord> records,
            int from, int to, SeriesMemory memory)
        {
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 16, Calibration = ScoreCalibration.None }, sink, memory);
            for (int i = from; i < to; i++) Assert.Null(pipeline.Add(records[i], i, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            pipeline.Flush();
            return sink.Rows;
        }

        [Fact]
        public void ACounterIsAFeatureOfItsRatesAndARowModelLeavesItOut()
        {
            var records = Records(0, 300, 1);
            using var model = Trained(records, out var decisions);
            var bytes = model.FeatureColumns.Single(c => c.Name == "bytes");
            Assert.True(bytes.IsCounter);
            Assert.False(model.FeatureColumns.Single(c => c.Name == "cpu").IsCounter);
            // Its statistics are those of the rates (1000 +- 400 per second, the wrap counted on), the first row filled in.
            Assert.InRange(bytes.Median!.Value, 950, 1050);
            Assert.InRange(bytes.Statistics!.Min!.Value, 550, 650);
            Assert.InRange(bytes.Statistics!.Max!.Value, 1350, 1450);
            Assert.Equal(1, bytes.Statistics.Missing);
            Assert.Contains(decisions, d => d.Contains("'bytes'") && d.Contains("increase per second"));

            // Named with -Feature, it is still its rate (its level would be beyond the training rows from the first row on).
            var named = Windowed(records, out _, include: new[] { "bytes", "cpu" });
            Assert.Equal(new[] { "bytes", "cpu" }, named.Names);
            Assert.True(named.Columns[0].IsCounter);

            // Without window keys a counter can't be a feature: inferred for a row model, it is left out.
            var rowRoles = FeatureSchema.Infer(records, null, null, CultureInfo.InvariantCulture, out _, out var recognised);
            Assert.DoesNotContain("bytes", rowRoles.Names);
            Assert.Contains(recognised, r => r.Name == "bytes" && r.Reason.Contains("cumulative counter"));
        }

        [Fact]
        public void ACounterOfSeveralHostsInterleavedIsToldWithinEachHost()
        {
            // Two hosts a minute apart in one export: web's counter is far above db's, so in row order it jumps up and down.
            var random = new Random(5);
            var records = new List<TestRecord>();
            double web = 9e9, db = 2e6;
            for (int i = 0; i < 100; i++)
            {
                web += 60 * (1000 + 50 * random.NextDouble());
                db += 60 * (10 + random.NextDouble());
                records.Add(new TestRecord(("Time", T0.AddMinutes(i)), ("host", "web"), ("cpu", 50 + random.NextDouble()), ("bytes", Math.Round(web))));
                records.Add(new TestRecord(("Time", T0.AddMinutes(i)), ("host", "db"), ("cpu", 20 + random.NextDouble()), ("bytes", Math.Round(db))));
            }
            var grouped = Windowed(records, out _, group: "host", timeOrder: false);
            Assert.True(grouped.Columns.Single(c => c.Name == "bytes").IsCounter);
            // In row order alone it is no counter: a level, as before.
            var rowOrder = Windowed(records, out _, timeOrder: false);
            Assert.False(rowOrder.Columns.Single(c => c.Name == "bytes").IsCounter);
        }

        [Fact]
        public void ACounterInTheRangeOfEpochSecondsIsACounterWhenTheRowsSayTheTime()
        {
            // bytes counts from 1.5e9 (it reads as seconds of 2017), errs_total stayed at 12 in the baseline, sent_at is the
            // rows' own time in epoch seconds.
            var random = new Random(7);
            var records = new List<TestRecord>();
            double bytes = 1.5e9;
            for (int i = 0; i < 100; i++)
            {
                var time = T0.AddMinutes(i);
                bytes += 60 * (1000 + 100 * random.NextDouble());
                records.Add(new TestRecord(("Time", time), ("cpu", 50 + random.NextDouble()), ("bytes", Math.Round(bytes)), ("errs_total", 12.0),
                    ("sent_at", (time - DateTime.UnixEpoch).TotalSeconds + random.Next(0, 3))));
            }
            var windowed = Windowed(records, out var recognised);
            Assert.True(windowed.Columns.Single(c => c.Name == "bytes").IsCounter);
            // Named as Prometheus names a counter, it is one though it never moved in the baseline.
            Assert.True(windowed.Columns.Single(c => c.Name == "errs_total").IsCounter);
            Assert.DoesNotContain("sent_at", windowed.Names);
            Assert.Contains(recognised, r => r.Name == "sent_at" && r.Reason.StartsWith("epoch seconds"));
            // Without the rows' time, numbers that only rise and read as this century's seconds are taken for times, as before.
            FeatureSchema.Infer(records, null, null, CultureInfo.InvariantCulture, out _, out var rowRecognised,
                keys: new Dictionary<string, string> { ["Time"] = "the time" });
            Assert.Contains(rowRecognised, r => r.Name == "bytes" && r.Reason.StartsWith("epoch seconds"));
            Assert.Contains(rowRecognised, r => r.Name == "errs_total" && r.Reason.Contains("cumulative counter"));
        }

        [Fact]
        public void EpochTimesThatAreNotTheRowsTimeAreStillTimesUnlessTheyCount()
        {
            // A boot time (named as a time) and a certificate's expiry (numbers that never fall), neither the rows' time: as
            // levels, the next reboot or renewal would put every later row beyond the training rows.
            var random = new Random(3);
            double boot = (T0.AddDays(-40) - DateTime.UnixEpoch).TotalSeconds;
            double expiry = (T0.AddDays(200) - DateTime.UnixEpoch).TotalSeconds;
            var records = Enumerable.Range(0, 100).Select(i => new TestRecord(("Time", T0.AddMinutes(i)), ("cpu", 50 + random.NextDouble()),
                ("boot_time", i < 50 ? boot : boot + 86400 * 40 + 60 * 49), ("cert_expiry", expiry))).ToList();
            var schema = Windowed(records, out var recognised);
            Assert.Equal(new[] { "cpu" }, schema.Names);
            Assert.Contains(recognised, r => r.Name == "boot_time" && r.Reason.StartsWith("epoch seconds"));
            Assert.Contains(recognised, r => r.Name == "cert_expiry" && r.Reason.StartsWith("epoch seconds"));
        }

        [Fact]
        public void HostsOfOneRowEachHoldNoRowCounter()
        {
            // An export of a large fleet in time order: the inference sample holds one row of each host (one of two rows).
            // Integers told within each host then have no step (or one): no row counter, a measurement.
            var random = new Random(1);
            var records = Enumerable.Range(0, 60).Select(i => new TestRecord(("Time", T0), ("host", "h" + i),
                ("cpu", 50 + random.NextDouble()), ("threads", (double)random.Next(100, 200)))).ToList();
            records.Add(new TestRecord(("Time", T0.AddMinutes(1)), ("host", "h0"), ("cpu", 50.0), ("threads", 150.0)));
            var schema = Windowed(records, out _, group: "host");
            Assert.Equal(new[] { "cpu", "threads" }, schema.Names);
        }

        [Fact]
        public void AnExportNewestFirstHoldsTheSameCounter()
        {
            // The windows and the rates take each group's rows in time order: so does the counter's detection.
            var records = Records(0, 300, 1);
            records.Reverse();
            var timeOrder = Windowed(records, out _);
            Assert.True(timeOrder.Columns.Single(c => c.Name == "bytes").IsCounter);
            // In row order it falls on every row: a level.
            var rowOrder = Windowed(records, out _, timeOrder: false);
            Assert.False(rowOrder.Columns.Single(c => c.Name == "bytes").IsCounter);
        }

        [Fact]
        public void A32BitCounterThatRestartedOnceFromAbove2To31KeepsItsWraps()
        {
            // 1.2 M bytes a second, a row a minute: a 32-bit counter that wraps every 60 rows (10 of 600 rows), and a
            // restart from above 3e9 to 12345 (a step no wrap would take). The one restart made every wrap a fall: 11 falls
            // in 600 rows, a gauge read as its level (a sawtooth from 0 to 2^32).
            var random = new Random(5);
            var records = new List<TestRecord>();
            double total = 1e6;
            bool restarted = false;
            for (int i = 0; i < 600; i++)
            {
                if (i >= 300 && !restarted && total > 3e9) { restarted = true; total = 12345; }
                else total = (total + 60 * (1.2e6 + 1e4 * random.NextDouble())) % 4294967296.0;
                records.Add(new TestRecord(("Time", T0.AddMinutes(i)), ("cpu", 50 + random.NextDouble()), ("bytes", Math.Round(total))));
            }
            Assert.True(restarted);
            // Told from a sample without the restart or with it.
            foreach (int sample in new[] { 200, 600 })
            {
                var roles = Windowed(records.Take(sample).ToList(), out _);
                Assert.True(roles.Columns.Single(c => c.Name == "bytes").IsCounter);
                var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
                foreach (var r in records) builder.Add(r);
                var set = builder.Build(1, records.Select(r => SlidingWindow.ReadKey(r, Settings, roles, CultureInfo.InvariantCulture)).ToList());
                Assert.Empty(set.NotCounters);
                var bytes = set.Schema.Columns.Single(c => c.Name == "bytes");
                Assert.True(bytes.IsCounter);
                Assert.InRange(bytes.Statistics!.Max!.Value, 1.2e6, 1.21e6); // rates, the wraps counted on past 2^32
                Assert.Equal(2, bytes.Statistics.Missing); // the first row and the restart
            }
        }

        [Fact]
        public void AGaugeThatRoseThroughTheFirstRowsIsALevelWhenTheTrainingRowsFall()
        {
            // level rises smoothly for the first 150 rows (a morning's ramp, no noise), then swings up and down.
            var records = Enumerable.Range(0, 400).Select(i => new TestRecord(("Time", T0.AddMinutes(i)), ("cpu", 50.0 + i % 7),
                ("level", i < 150 ? 100.0 + i + 0.5 * (i % 2) : 250 + 40 * Math.Sin(i / 5.0)))).ToList();
            var roles = Windowed(records.Take(150).ToList(), out _);
            Assert.True(roles.Columns.Single(c => c.Name == "level").IsCounter);
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            foreach (var r in records) builder.Add(r);
            var set = builder.Build(1, records.Select(r => SlidingWindow.ReadKey(r, Settings, roles, CultureInfo.InvariantCulture)).ToList());
            var level = set.Schema.Columns.Single(c => c.Name == "level");
            Assert.False(level.IsCounter);
            Assert.Equal(0, level.Statistics!.Missing);
            Assert.InRange(level.Statistics.Max!.Value, 289, 291); // levels, not rates
            Assert.Single(set.NotCounters, n => n.StartsWith("level (fell on "));
        }

        [Fact]
        public void TrafficThreeTimesTheUsualIsAnAnomalyAndAResetIsNot()
        {
            using var model = Trained(Records(0, 400, 1), out _);
            var records = Records(400, 300, 2, reset: 500, burst: (600, 610));
            var rows = Score(model, records, 0, records.Count, SeriesMemory.For(model, new ScoringOptions()));
            bool Anomalous(int from, int to) => rows.Where(r => r.Row + 400 >= from && r.Row + 400 < to).Any(r => r.Score?.IsAnomaly == true);
            Assert.True(Anomalous(600, 610 + Window));
            Assert.False(Anomalous(495, 505 + Window));
            // As a level, every row would lie beyond the training range; as a rate only the burst's windows are flagged.
            Assert.InRange(rows.Count(r => r.Score?.IsAnomaly == true), 1, 10 + Window + 6);
            // The group's first row and the reset have no rate: filled in, and said so.
            Assert.Equal(new[] { 400, 500 }, rows.Where(r => r.Imputed?.Contains("bytes") == true).Select(r => r.Row + 400));
            var burst = rows.First(r => r.Row + 400 >= 600 && r.Score?.IsAnomaly == true).Score!;
            Assert.Equal("bytes", model.FeatureColumns[burst.TopFeature % model.FeatureColumns.Count].Name);
        }

        [Fact]
        public void AModelFileAndASeriesMemoryKeepTheCounters()
        {
            using var model = Trained(Records(0, 300, 1), out _);
            using var dir = new TempDirectory();
            string path = Path.Combine(dir.Path, "m.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);
            Assert.True(loaded.FeatureColumns.Single(c => c.Name == "bytes").IsCounter);

            var records = Records(300, 200, 2);
            var once = Score(loaded, records, 0, 200, SeriesMemory.For(loaded, new ScoringOptions()));
            // Two runs, the memory saved and loaded between them (the scheduled job): the same scores, no row filled in again.
            var options = new ScoringOptions();
            var memory = SeriesMemory.For(loaded, options);
            var first = Score(loaded, records, 0, 120, memory);
            var again = SeriesMemory.Load(memory.Save(loaded), loaded, options, out var whyNot);
            Assert.Null(whyNot);
            var second = Score(loaded, records, 120, 200, again!);
            Assert.Equal(once.Select(r => r.Score?.Score), first.Concat(second).Select(r => r.Score?.Score));
            Assert.Null(second[0].Imputed);
        }

        [Fact]
        public void RecalibrationTakesTheRatesAsTrainingDid()
        {
            var records = Records(0, 300, 1);
            using var model = Trained(records, out _);
            var schema = model.Schema!;
            var keys = records.Select(r => SlidingWindow.ReadKey(r, Settings, schema, CultureInfo.InvariantCulture)).ToList();
            var rows = records.Select(r =>
            {
                var features = new double[schema.Width];
                schema.Featurize(r, CultureInfo.InvariantCulture, features);
                return features;
            }).ToList();
            var imputed = new ImputedCells();
            var scores = model.ScoresOfNormalRows(rows, keys, imputed);
            // The training rows scored as normal rows: about as many above the threshold as training flagged (1 %).
            Assert.InRange(scores.Count(s => s > model.Threshold), 0, 10);
            Assert.True(imputed.Contains(0, schema.IndexOf("bytes")));
            Assert.InRange(rows[10][schema.FirstSlot(schema.IndexOf("bytes"))], 550, 1450);
        }
    }
}
