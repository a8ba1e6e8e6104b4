using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Features
{
    /// <summary>A test that needs a time zone this machine may lack (its tz data): skipped, with the reason, when it does.</summary>
    public sealed class ZoneFactAttribute : FactAttribute
    {
        public ZoneFactAttribute()
        {
            if (!DaylightSavingTests.HasZone) Skip = $"This machine has no time zone '{DaylightSavingTests.Zone}' (no tz data).";
        }
    }

    /// <summary>
    /// Local times across daylight saving time with a model's time zone (ModelSettings.TimeZone): in Los Angeles clocks go
    /// back at 02:00 PDT on 2026-11-01 (01:00-01:59 comes twice) and forward at 02:00 PST on 2026-03-08 (02:00-02:59 never
    /// comes). Rows are ordered by their instants; their hour features keep the written time.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class DaylightSavingTests : IDisposable
    {
        public const string Zone = "America/Los_Angeles";
        private static readonly FeatureSchema Schema = new FeatureSchema(new[] { "cpu" });
        private const string Summer = "(PDH-CSV 4.0) (Pacific Daylight Time)(420)";
        private const string Winter = "(PDH-CSV 4.0) (Pacific Standard Time)(480)";
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly DateTime FallBackNight = new DateTime(2026, 11, 1);
        private readonly TempDirectory temp = new TempDirectory();

        public DaylightSavingTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        public static bool HasZone
        {
            get
            {
                try { TimeZoneInfo.FindSystemTimeZoneById(Zone); return true; }
                catch (TimeZoneNotFoundException) { return false; }
            }
        }

        private static ModelSettings Settings(string? zone, string time = "Time") =>
            new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 4, windowSize: 4,
                timeProperty: time, groupBy: "Host", timeZone: zone);

        // The local clock times of a night, a row a minute from 00:00 to 03:59 local, as perfmon writes them
        // ("11/01/2026 01:59:00.979"); on the fall-back night 01:00-01:59 comes twice (300 rows).
        private static List<string> LocalTimes(DateTime night)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
            var start = TimeZoneInfo.ConvertTimeToUtc(night, zone);
            var end = TimeZoneInfo.ConvertTimeToUtc(night.AddHours(4), zone);
            var times = new List<string>();
            for (var t = start; t < end; t = t.AddMinutes(1))
                times.Add(TimeZoneInfo.ConvertTimeFromUtc(t, zone).AddMilliseconds(979).ToString("MM/dd/yyyy HH:mm:ss.fff", Invariant));
            return times;
        }

        private static double Cpu(int i) => 50 + 20 * Math.Sin(2 * Math.PI * i / 30);

        private static string Csv(string timeColumn, IReadOnlyList<string> times, int from = 0, int? to = null)
        {
            var text = new StringBuilder();
            for (int i = from; i < (to ?? times.Count); i++)
                text.Append(string.Create(Invariant, $"{times[i]},a,{Cpu(i):R}\n"));
            return text.ToString();
        }

        private static AutoencoderModel Model(string? zone, string time = "Time")
        {
            var times = LocalTimes(new DateTime(2026, 10, 20));
            var records = times.Select((t, i) => new TestRecord((time, t), ("Host", "a"), ("cpu", Cpu(i)))).ToList();
            return WindowedTraining.Train(Settings(zone, time), records, new[] { "cpu" }, new TrainingOptions { Epochs = 2, BatchSize = 32 });
        }

        [ZoneFact]
        public void ARepeatedLocalTimeHasTwoInstantsAndAMissingOneIsARowError()
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
            var earlier = SeriesTime.Instant(new DateTime(2026, 11, 1, 1, 30, 0), null, zone, "Time", null, out var later);
            Assert.Equal(new DateTime(2026, 11, 1, 8, 30, 0, DateTimeKind.Utc), earlier);
            Assert.Equal(new DateTime(2026, 11, 1, 9, 30, 0, DateTimeKind.Utc), later);
            // The earlier, unless the group's previous row is already past it and the later is not.
            Assert.Equal(earlier, SeriesTime.Choose(earlier, later, earlier.AddMinutes(-1)));
            Assert.Equal(later, SeriesTime.Choose(earlier, later, earlier.AddMinutes(59)));
            Assert.Equal(earlier, SeriesTime.Choose(earlier, later, later!.Value.AddMinutes(1)));
            // A time with its offset is its own instant.
            Assert.Equal(new DateTime(2026, 11, 1, 9, 30, 0), SeriesTime.Instant(new DateTime(2026, 11, 1, 1, 30, 0),
                new DateTime(2026, 11, 1, 9, 30, 0, DateTimeKind.Utc), zone, "Time", null, out var none));
            Assert.Null(none);
            var e = Assert.Throws<FeatureValueException>(() => SeriesTime.Instant(new DateTime(2026, 3, 8, 2, 30, 0), null, zone, "Time", "x", out _));
            Assert.Equal(ErrorIds.TimeValueNonexistent, e.ErrorId);
            Assert.Contains("does not exist", e.Message);
        }

        [ZoneFact]
        public void AnOutageAcrossTheRepeatedHourLeavesTheRowsAfterItOnTheSecondPass()
        {
            // The host is down from 01:20 PDT to 01:25 PST (rows of the time and no value: NoData). Its rows still say
            // where the clock is: 01:26 after them is the second pass (PST), so the window warms up once after the
            // outage. Read after the last row with values (01:19 PDT) instead, 01:26 was the first pass, and the jump
            // from 01:59 PDT to 02:00 PST broke the window a second time.
            using var model = Model(Zone);
            var times = LocalTimes(FallBackNight);
            var sink = new RecordingSink<TestRecord>();
            var pipeline = new ScoringPipeline<TestRecord>(model, new ScoringOptions { BatchSize = 64 }, sink);
            for (int i = 0; i < times.Count; i++)
            {
                bool down = i >= 80 && i <= 145;
                var record = new TestRecord(("Time", times[i]), ("Host", "a"), ("cpu", down ? "" : (object)Cpu(i)));
                Assert.Null(pipeline.Add(record, record, Invariant, MissingValuePolicy.Impute));
            }
            pipeline.Flush();
            Assert.Equal(66, pipeline.NoData);
            Assert.Equal(6, pipeline.WarmingUp);
            Assert.Equal(228, pipeline.Scored);
            // The warning names the first such row by the export's own clock.
            Assert.Contains("the first at 2026-11-01 01:20:00.979 of group 'a'", pipeline.NoDataWarning());
        }

        [ZoneFact]
        public void AFallBackNightStreamedWithTheZoneLosesNoRowAndHasNoGap()
        {
            // Without the zone the repeated hour's 60 rows are refused as RowOutOfOrder (the operator's trial).
            using var model = Model(Zone);
            var times = LocalTimes(FallBackNight);
            Assert.Equal(300, times.Count);
            var sink = new RecordingSink<TestRecord>();
            var pipeline = new ScoringPipeline<TestRecord>(model, new ScoringOptions { BatchSize = 64 }, sink);
            var rejected = new List<string>();
            for (int i = 0; i < times.Count; i++)
            {
                var record = new TestRecord(("Time", times[i]), ("Host", "a"), ("cpu", Cpu(i)));
                if (pipeline.Add(record, record, Invariant, MissingValuePolicy.Impute) is { } error) rejected.Add($"{times[i]}: {error.ErrorId}");
            }
            pipeline.Flush();
            Assert.Empty(rejected);
            // One warm-up (the first 3 rows): no gap across 01:59 PDT -> 01:00 PST.
            Assert.Equal(3, pipeline.WarmingUp);
            Assert.Equal(297, pipeline.Scored);
        }

        [ZoneFact]
        public void AFileInTrueOrderAcrossTheFallBackIsNotReordered()
        {
            // -Path sorts a file only when it needs it: the repeated hour read in file order is in order, so the file is
            // streamed as it is. Read as written, its two passes were interleaved by wall-clock time.
            var settings = Settings(Zone);
            var times = LocalTimes(FallBackNight);
            var records = times.Select((t, i) => new TestRecord(("Time", t), ("Host", "a"), ("cpu", Cpu(i)))).ToList();
            var check = new SlidingWindow.OrderCheck();
            foreach (var r in records) check.Add(SlidingWindow.ReadKey(r, settings, Schema, Invariant));
            Assert.True(check.InOrder);
            var sorted = SlidingWindow.SortWithinGroups(records, r => SlidingWindow.ReadKey(r, settings, Schema, Invariant));
            Assert.Equal(records, sorted);
        }

        [ZoneFact]
        public void ANewestFirstFileIsSortedWithItsRepeatedHourAsTwoPasses()
        {
            // Splunk exports newest first. Read in file order, every repeated time came after a later row, so all were
            // read in the first pass and the sort merged the two passes into one hour.
            var settings = Settings(Zone);
            var records = LocalTimes(FallBackNight).Select((t, i) => new TestRecord(("Time", t), ("Host", "a"), ("cpu", Cpu(i)))).ToList();
            var newestFirst = Enumerable.Reverse(records).ToList();
            var sorted = SlidingWindow.SortWithinGroups(newestFirst, r => SlidingWindow.ReadKey(r, settings, Schema, Invariant), out bool undecided);
            Assert.Equal(records, sorted);
            Assert.False(undecided);
            // Each group chooses for itself: a group in time order keeps its file order's reading.
            var mixed = LocalTimes(FallBackNight).Select((t, i) => new TestRecord(("Time", t), ("Host", "b"), ("cpu", Cpu(i)))).Concat(newestFirst).ToList();
            sorted = SlidingWindow.SortWithinGroups(mixed, r => SlidingWindow.ReadKey(r, settings, Schema, Invariant), out undecided);
            Assert.Equal(records, sorted.Skip(records.Count));
            Assert.Equal(mixed.Take(records.Count), sorted.Take(records.Count));
            Assert.False(undecided);
        }

        [ZoneFact]
        public void RowsShuffledAcrossTheRepeatedHourAreUndecidedOthersAreNot()
        {
            // Neither order reads a shuffle: the caller warns that the hour's passes may be merged.
            var settings = Settings(Zone);
            var records = LocalTimes(FallBackNight).Select((t, i) => new TestRecord(("Time", t), ("Host", "a"), ("cpu", Cpu(i)))).ToList();
            var random = new Random(7);
            var shuffled = records.OrderBy(_ => random.Next()).ToList();
            SlidingWindow.SortWithinGroups(shuffled, r => SlidingWindow.ReadKey(r, settings, Schema, Invariant), out bool undecided);
            Assert.True(undecided);
            // A late row away from the repeated hour is no doubt about it.
            var late = records.ToList();
            (late[10], late[11]) = (late[11], late[10]);
            SlidingWindow.SortWithinGroups(late, r => SlidingWindow.ReadKey(r, settings, Schema, Invariant), out undecided);
            Assert.False(undecided);
        }

        [ZoneFact]
        public void TrainingKeysOfANewestFirstFallBackNightAreReadAsTwoPasses()
        {
            // Invoke-AutoencoderTraining and Set-AutoencoderThreshold resolve their keys when all are read, as a sorted file is.
            var settings = Settings(Zone);
            var keys = LocalTimes(FallBackNight).AsEnumerable().Reverse()
                .Select(t => (WindowKey?)SlidingWindow.ReadKey(new TestRecord(("Time", t), ("Host", "a")), settings, Schema, Invariant)).ToList();
            var resolved = SlidingWindow.ResolveRepeated(keys, out bool undecided);
            Assert.False(undecided);
            Assert.Equal(300, resolved.Select(k => k!.Value.Time).Distinct().Count());
            var plan = SlidingWindow.Plan(4, resolved.Select(k => k!.Value).ToList(), null);
            Assert.Equal(0, plan.Gaps);
            Assert.Equal(TimeSpan.FromMinutes(1), plan.UsualInterval);
        }

        [ZoneFact]
        public void TrainingOnAFallBackNightPlansItsWindowsInTrueOrder()
        {
            // Training sorts each group by time: keys resolved when all are read (as Invoke-AutoencoderTraining resolves
            // them) put the repeated hour's two passes one after the other, a minute apart, with no gap.
            var settings = Settings(Zone);
            var read = LocalTimes(FallBackNight)
                .Select(t => (WindowKey?)SlidingWindow.ReadKey(new TestRecord(("Time", t), ("Host", "a")), settings, Schema, Invariant)).ToList();
            var keys = SlidingWindow.ResolveRepeated(read, out _).Select(k => k!.Value).ToList();
            var plan = SlidingWindow.Plan(4, keys, null);
            Assert.Equal(0, plan.Gaps);
            Assert.Equal(3, plan.WarmingUpRows);
            Assert.Equal(TimeSpan.FromMinutes(1), plan.UsualInterval);
            Assert.Equal(Enumerable.Range(3, 297), plan.Windows.Select(w => w[^1]));
        }

        [ZoneFact]
        public void TheHourSkippedInSpringIsNoGapWithTheZone()
        {
            var times = LocalTimes(new DateTime(2026, 3, 8));
            Assert.Equal(180, times.Count);
            Assert.DoesNotContain(times, t => t.Contains(" 02:"));
            int Gaps(string? zone)
            {
                var settings = Settings(zone);
                var assembler = new WindowAssembler(4, 1, _ => TimeSpan.FromMinutes(1.5));
                int gaps = 0;
                foreach (var t in times)
                    if (assembler.Push(SlidingWindow.ReadKey(new TestRecord(("Time", t), ("Host", "a")), settings, Schema, Invariant), new[] { 1.0 }).AfterGap) gaps++;
                return gaps;
            }
            Assert.Equal(1, Gaps(null));
            Assert.Equal(0, Gaps(Zone));
        }

        [ZoneFact]
        public void TheJobScoresAFallBackNightSplitInsideTheRepeatedHour()
        {
            // The scheduled job failed the file every fall-back night (RowsOutOfOrder, exit code 2): the repeated hour was
            // older than the rows scored. Two runs, the cut in the second pass of the repeated hour.
            using var model = Model(Zone);
            var times = LocalTimes(FallBackNight);
            string input = temp.File("night.csv"), output = temp.File("scored.csv");
            File.WriteAllText(input, "Time,Host,cpu\n" + Csv("Time", times, 0, 150), new UTF8Encoding(false));
            var recorder = new RecordingObserver();
            var options = new IncrementalScoringOptions { OutputPath = output, StatePath = IncrementalScoringOptions.DefaultStatePath(output), BatchSize = 64 };
            var first = new IncrementalScoringJob(model, options, recorder).Run(new[] { input });
            File.AppendAllText(input, Csv("Time", times, 150), new UTF8Encoding(false));
            var second = new IncrementalScoringJob(model, options, recorder).Run(new[] { input });

            Assert.Empty(recorder.Rejected.Select(r => $"{r.Record.Line}: {r.Error.ErrorId}"));
            Assert.Empty(recorder.Failed);
            Assert.NotEqual(AnomalyScoringExitCode.Failed, second.ExitCode);
            Assert.Equal(300, first.RowsScored + first.RowsWarmingUp + second.RowsScored + second.RowsWarmingUp);
            Assert.Equal(3, first.RowsWarmingUp + second.RowsWarmingUp);
        }

        [ZoneFact]
        public void WithoutAZoneTheJobSaysWhyTheRepeatedHourWasRefused()
        {
            using var model = Model(null);
            var times = LocalTimes(FallBackNight);
            string input = temp.File("night.csv"), output = temp.File("scored.csv");
            File.WriteAllText(input, "Time,Host,cpu\n" + Csv("Time", times), new UTF8Encoding(false));
            var recorder = new RecordingObserver();
            var options = new IncrementalScoringOptions { OutputPath = output, StatePath = IncrementalScoringOptions.DefaultStatePath(output) };
            var summary = new IncrementalScoringJob(model, options, recorder).Run(new[] { input });
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            var failure = (AutoencoderException)Assert.Single(recorder.Failed).Error;
            Assert.Equal(ErrorIds.RowsOutOfOrder, failure.ErrorId);
            // 01:59 of the second pass equals the first pass's last row, so it is taken.
            Assert.Contains("59 row(s)", failure.Message);
            Assert.Contains("New-Autoencoder -TimeZone", failure.Message);
        }

        [Fact]
        public void WithoutAZoneARowAnHourBackSaysWhyAndHowToSortAsDates()
        {
            var settings = Settings(null);
            var assembler = new WindowAssembler(4, 1);
            assembler.Push(SlidingWindow.ReadKey(new TestRecord(("Time", "11/01/2026 01:59:00"), ("Host", "a")), settings, Schema, Invariant), new[] { 1.0 });
            var e = Assert.Throws<FeatureValueException>(() =>
                assembler.Push(SlidingWindow.ReadKey(new TestRecord(("Time", "11/01/2026 01:00:00"), ("Host", "a")), settings, Schema, Invariant), new[] { 1.0 }, "Time"));
            Assert.Equal(ErrorIds.RowOutOfOrder, e.ErrorId);
            Assert.Contains("clocks repeat an hour when they go back", e.Message);
            Assert.Contains("New-Autoencoder -TimeZone", e.Message);
            Assert.Contains("Sort-Object { [datetime]$_.'Time' }", e.Message);
            // A day back is no daylight saving time.
            var day = Assert.Throws<FeatureValueException>(() =>
                assembler.Push(SlidingWindow.ReadKey(new TestRecord(("Time", "10/31/2026 01:00:00"), ("Host", "a")), settings, Schema, Invariant), new[] { 1.0 }, "Time"));
            Assert.DoesNotContain("-TimeZone", day.Message);
        }

        [ZoneFact]
        public void WithAZoneARowOutOfOrderIsNamedByItsInstantAndNoDaylightHintIsGiven()
        {
            var settings = Settings(Zone);
            var assembler = new WindowAssembler(4, 1);
            assembler.Push(SlidingWindow.ReadKey(new TestRecord(("Time", "10/20/2026 00:50:00"), ("Host", "a")), settings, Schema, Invariant), new[] { 1.0 });
            var e = Assert.Throws<FeatureValueException>(() =>
                assembler.Push(SlidingWindow.ReadKey(new TestRecord(("Time", "10/20/2026 00:20:00"), ("Host", "a")), settings, Schema, Invariant), new[] { 1.0 }, "Time"));
            Assert.Contains("has time 2026-10-20 07:20:00 UTC, earlier than the previous row of group 'a' (2026-10-20 07:50:00 UTC)", e.Message);
            Assert.DoesNotContain("-TimeZone", e.Message);
        }

        [ZoneFact]
        public void APerfmonModelNamedInSummerReadsAWinterExportAndTakesItsZoneFromTheName()
        {
            // perfmon names the time column after the zone in effect when logging started.
            var zone = TimeColumn.PerfmonZone(Summer);
            Assert.NotNull(zone);
            Assert.Equal(TimeSpan.FromHours(-8), zone!.BaseUtcOffset);
            Assert.True(zone.IsAmbiguousTime(new DateTime(2026, 11, 1, 1, 30, 0)));
            Assert.Null(TimeColumn.PerfmonZone("(PDH-CSV 4.0) (Nowhere Standard Time)(0)"));
            Assert.Null(TimeColumn.PerfmonZone("Time"));

            var settings = Settings(zone.Id, Summer);
            Assert.Equal(Winter, TimeColumn.Find(Summer, new[] { Winter, "\\\\host\\cpu" }));
            Assert.Null(TimeColumn.Find("Time", new[] { Winter }));
            var key = SlidingWindow.ReadKey(new TestRecord((Winter, "11/01/2026 01:30:00.979"), ("Host", "a")), settings, Schema, Invariant);
            Assert.Equal(new DateTime(2026, 11, 1, 8, 30, 0, 979, DateTimeKind.Utc), key.Time);

            // A model trained on a summer export scores a winter one's rows.
            using var model = Model(zone.Id, Summer);
            var times = LocalTimes(FallBackNight);
            var sink = new RecordingSink<TestRecord>();
            var pipeline = new ScoringPipeline<TestRecord>(model, new ScoringOptions(), sink);
            for (int i = 0; i < times.Count; i++)
            {
                var record = new TestRecord((Winter, times[i]), ("Host", "a"), ("cpu", Cpu(i)));
                Assert.Null(pipeline.Add(record, record, Invariant, MissingValuePolicy.Impute));
            }
            pipeline.Flush();
            Assert.Equal(297, pipeline.Scored);
        }

        [Theory]
        [InlineData("(PDH-CSV 4.0) (W. Europe Daylight Time)(-120)", 1)]
        [InlineData("(PDH-CSV 4.0) (W. Europe Standard Time)(-60)", 1)]
        [InlineData("(PDH-CSV 4.0) (GMT Daylight Time)(-60)", 0)]
        [InlineData("(PDH-CSV 4.0) (AUS Eastern Daylight Time)(-660)", 10)]
        [InlineData("(PDH-CSV 4.0) (Romance Daylight Time)(-120)", 1)]
        [InlineData("(PDH-CSV 4.0) (Pacific Daylight Time)(420)", -8)]
        [InlineData("(PDH-CSV 4.0) (Pacific Standard Time (Mexico))(480)", -8)]
        public void APerfmonColumnNamedInSummerTimeGivesItsZoneOutsidePacificToo(string column, int standardHours)
        {
            // Windows names summer time "W. Europe Daylight Time"; ICU's names elsewhere are "Central European Summer
            // Time": only the Pacific zone was found, and a model of a European summer export took its times as written.
            var zone = TimeColumn.PerfmonZone(column);
            if (zone == null && !TimeZoneInfo.TryFindSystemTimeZoneById("W. Europe Standard Time", out _))
                return; // this system maps no Windows id (no ICU): nothing to find
            Assert.NotNull(zone);
            Assert.Equal(TimeSpan.FromHours(standardHours), zone!.BaseUtcOffset);
            Assert.True(zone.SupportsDaylightSavingTime || column.Contains("(Mexico)", StringComparison.Ordinal));
        }

        [Fact]
        public void APerfmonZoneWhoseBiasDoesNotMatchItsNameIsNotTaken()
        {
            // The third parenthesis is the bias at logging start (minutes to UTC): a name and a bias that disagree are no zone.
            Assert.Null(TimeColumn.PerfmonZone("(PDH-CSV 4.0) (Pacific Daylight Time)(-120)"));
            // Without a bias, the name alone.
            Assert.Equal("Pacific Daylight Time", TimeColumn.PerfmonZoneName("(PDH-CSV 4.0) (Pacific Daylight Time)"));
            Assert.Equal("Pacific Standard Time (Mexico)", TimeColumn.PerfmonZoneName("(PDH-CSV 4.0) (Pacific Standard Time (Mexico))(480)"));
        }

        [Fact]
        public void AFilesPerfmonTimeColumnIsFoundOnceForItsHeaderAndRightForEachTimeProperty()
        {
            // The column found is kept per header (a file's records share one): each time property still gets its own answer.
            string input = temp.File("winter.csv"), other = temp.File("plain.csv");
            File.WriteAllText(input, $"\"{Winter}\",cpu\n11/02/2026 01:00:00.979,1\n11/02/2026 01:01:00.979,2\n", new UTF8Encoding(false));
            File.WriteAllText(other, "Time,cpu\n11/02/2026 01:00:00.979,1\n", new UTF8Encoding(false));
            var records = CsvSource.Read(input, new CsvInputOptions()).ToList();
            var plain = CsvSource.Read(other, new CsvInputOptions()).Single();
            const string Eastern = "(PDH-CSV 4.0) (Eastern Standard Time)(300)";
            foreach (var record in records.Concat(records))
            {
                Assert.True(TimeColumn.TryGetValue(record, Summer, out var value));
                Assert.StartsWith("11/02/2026 01:0", (string)value!);
                Assert.False(TimeColumn.TryGetValue(record, "Time", out _));
                Assert.True(TimeColumn.TryGetValue(record, Eastern, out _));
                Assert.False(TimeColumn.TryGetValue(plain, Summer, out _));
                Assert.True(TimeColumn.TryGetValue(plain, "Time", out _));
            }
        }

        [ZoneFact]
        public void TheJobWritesAWinterExportsTimesUnderTheSummerTimeColumn()
        {
            // The job's output columns are fixed by its first run: a later export named after the winter zone had its
            // time column left out (with a warning), its rows written without their time.
            using var model = Model(Zone, Summer);
            var utf8 = new UTF8Encoding(false);
            string summer = temp.File("summer.csv"), winter = temp.File("winter.csv"), output = temp.File("scored.csv");
            var october = LocalTimes(new DateTime(2026, 10, 25));
            File.WriteAllText(summer, $"\"{Summer}\",Host,cpu\n" + Csv(Summer, october), utf8);
            var recorder = new RecordingObserver();
            var options = new IncrementalScoringOptions { OutputPath = output, StatePath = IncrementalScoringOptions.DefaultStatePath(output) };
            new IncrementalScoringJob(model, options, recorder).Run(new[] { summer });
            var night = LocalTimes(FallBackNight);
            File.WriteAllText(winter, $"\"{Winter}\",Host,cpu\n" + Csv(Winter, night), utf8);
            var summary = new IncrementalScoringJob(model, options, recorder).Run(new[] { summer, winter });

            Assert.Empty(recorder.Rejected.Select(r => $"{r.Record.Line}: {r.Error.ErrorId}"));
            Assert.Empty(recorder.Warnings);
            Assert.Equal(300, summary.RowsScored + summary.RowsWarmingUp);
            var rows = CsvSource.Read(output, new CsvInputOptions()).ToList();
            Assert.DoesNotContain(Winter, rows[0].Header.Names);
            Assert.Equal(october.Concat(night), rows.Select(r => r.TryGetValue(Summer, out var t) ? (string?)t : null));
        }

        [ZoneFact]
        public void WithoutAZoneTimesWithTheirOffsetAreOrderedByTheirInstants()
        {
            // A fall-back night written with offsets ("01:59-07:00", then "01:00-08:00"): without a zone, the offsets were
            // thrown away, the second pass refused as out of order, and the hint said to give the model a zone.
            using var model = Model(null);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
            var start = TimeZoneInfo.ConvertTimeToUtc(FallBackNight, zone);
            var sink = new RecordingSink<TestRecord>();
            var pipeline = new ScoringPipeline<TestRecord>(model, new ScoringOptions(), sink);
            for (int i = 0; i < 300; i++)
            {
                var utc = start.AddMinutes(i);
                var written = new DateTimeOffset(utc).ToOffset(zone.GetUtcOffset(utc)).ToString("yyyy-MM-ddTHH:mm:sszzz", Invariant);
                var record = new TestRecord(("Time", written), ("Host", "a"), ("cpu", Cpu(i)));
                Assert.Null(pipeline.Add(record, record, Invariant, MissingValuePolicy.Impute));
            }
            pipeline.Flush();
            Assert.Equal(297, pipeline.Scored);
            // A time alone is still as written.
            var key = SlidingWindow.ReadKey(new TestRecord(("Time", "2026-11-01 01:30"), ("Host", "a")), Settings(null), Schema, Invariant);
            Assert.Equal(new DateTime(2026, 11, 1, 1, 30, 0), key.Time);
            Assert.NotEqual(DateTimeKind.Utc, key.Time!.Value.Kind);
        }

        [ZoneFact]
        public void AMemoryOfTimesAsWrittenFromBeforeIsStartedAfreshSayingWhy()
        {
            // Kept by a version that ordered every time as written: its rows' offsets are not known, so it can't be
            // compared with instants (rows east of UTC would be refused for hours as out of order).
            using var model = Model(null);
            var memory = SeriesMemory.For(model, new ScoringOptions());
            byte[] saved = memory.Save(model);
            byte[] before = WithIdentity(saved, identity => identity.Replace("|rows stated|", "|rows|", StringComparison.Ordinal));
            Assert.NotEqual(saved, before);

            Assert.NotNull(SeriesMemory.Load(saved, model, new ScoringOptions(), out _));
            Assert.Null(SeriesMemory.Load(before, model, new ScoringOptions(), out string? whyNot));
            Assert.Contains("as written", whyNot, StringComparison.Ordinal);
        }

        // The saved memory with its identity (the third field) edited.
        private static byte[] WithIdentity(byte[] saved, Func<string, string> edit)
        {
            using var reader = new BinaryReader(new MemoryStream(saved), Encoding.UTF8);
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(reader.ReadString());
                writer.Write(reader.ReadInt32());
                writer.Write(edit(reader.ReadString()));
                writer.Write(reader.ReadBytes((int)(reader.BaseStream.Length - reader.BaseStream.Position)));
            }
            return buffer.ToArray();
        }

        [ZoneFact]
        public void TheJobDoesNotReadAMemoryOfTimesAsWrittenAsInstants()
        {
            // The same training without and with a zone: the same weights and threshold, so only the zone tells the
            // memories apart. Read as instants, Berlin's written times would be up to two hours ahead of the rows to come.
            using var plain = Model(null);
            using var zoned = Model(Zone);
            Assert.Equal(plain.Threshold, zoned.Threshold);
            var times = LocalTimes(new DateTime(2026, 10, 21));
            string input = temp.File("day.csv"), output = temp.File("scored.csv");
            var utf8 = new UTF8Encoding(false);
            File.WriteAllText(input, "Time,Host,cpu\n" + Csv("Time", times, 0, 100), utf8);
            var options = new IncrementalScoringOptions { OutputPath = output, StatePath = IncrementalScoringOptions.DefaultStatePath(output) };
            new IncrementalScoringJob(plain, options, new RecordingObserver()).Run(new[] { input });
            File.AppendAllText(input, Csv("Time", times, 100), utf8);
            var recorder = new RecordingObserver();
            var summary = new IncrementalScoringJob(zoned, options, recorder).Run(new[] { input });
            Assert.Contains(recorder.Warnings, w => w.Contains("time zone"));
            // Started afresh: the group warms up again.
            Assert.Equal(3, summary.RowsWarmingUp);
        }

        [ZoneFact]
        public void TheModelFileKeepsTheZoneAndAnOldFileHasNone()
        {
            using var model = Model(Zone);
            using var copy = ModelFile.Deserialize(ModelFile.Serialize(model), "");
            Assert.Equal(Zone, copy.Settings.TimeZone);
            Assert.Equal(model.Settings.Zone!.Id, copy.Settings.Zone!.Id);
            using var plain = Model(null);
            using var old = ModelFile.Deserialize(ModelFile.Serialize(plain), "");
            Assert.Null(old.Settings.TimeZone);
            Assert.Null(old.Settings.Zone);
            Assert.DoesNotContain("TimeZone", ModelFileLayout.Parse(ModelFile.Serialize(plain)).MetadataText);

            // A sound file whose zone this system does not know is said to be so, not damaged.
            var layout = ModelFileLayout.Parse(ModelFile.Serialize(model));
            var metadata = layout.MetadataJson;
            metadata["TimeZone"] = "Mars/Olympus_Mons";
            layout.MetadataJson = metadata;
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(layout.Pack(), "mars.aemodel"));
            Assert.Equal(ErrorIds.TimeZoneInvalid, error.ErrorId);
            Assert.Contains("'Mars/Olympus_Mons' is not a time zone this system knows", error.Message);
        }

        [Theory]
        [InlineData("11/01/2026 01:30:00.979", "2026-11-01 01:30:00.979", null)]
        [InlineData("2026-11-01 01:30", "2026-11-01 01:30:00", null)]
        [InlineData("2026-11-01T01:30:00-08:00", "2026-11-01 01:30:00", "2026-11-01 09:30:00")]
        [InlineData("2026-11-01T09:30:00Z", "2026-11-01 09:30:00", "2026-11-01 09:30:00")]
        [InlineData("1793525400", "2026-11-01 09:30:00", "2026-11-01 09:30:00")]
        public void ATimeSaysItsInstantOnlyWithAnOffsetAUtcMarkOrAsAnEpochNumber(string text, string written, string? instant)
        {
            Assert.True(TimestampParser.TryRead(text, Invariant, out var clock, out var stated));
            Assert.Equal(DateTime.Parse(written, Invariant), clock);
            Assert.Equal(instant == null ? null : DateTime.SpecifyKind(DateTime.Parse(instant, Invariant), DateTimeKind.Utc), stated);
            // The written time is the one the features read, with or without the instant.
            Assert.True(TimestampParser.TryRead(text, Invariant, out var plain));
            Assert.Equal(clock, plain);
        }

        [Fact]
        public void ADateTimeOfThisMachinesClockIsItsInstantAndAnUnspecifiedOneIsAClockTime()
        {
            // Get-Date, Get-Counter's Timestamp and ConvertFrom-Json's reading of "...+02:00" are DateTimes of kind Local:
            // moments on this machine's clock. Read as clock times of the model's zone, they were shifted by the zones'
            // difference, and some refused as in the hour skipped in spring.
            var utc = new DateTime(2025, 3, 30, 2, 30, 0, DateTimeKind.Utc);
            var local = utc.ToLocalTime();
            Assert.True(TimestampParser.TryRead(local, Invariant, out var written, out var stated));
            Assert.Equal(local, written);
            Assert.Equal(utc, stated);
            Assert.Equal(DateTimeKind.Utc, stated!.Value.Kind);

            var clock = new DateTime(2025, 3, 30, 2, 30, 0, DateTimeKind.Unspecified);
            Assert.True(TimestampParser.TryRead(clock, Invariant, out _, out var none));
            Assert.Null(none);
        }

        [Fact]
        public void AnUnknownZoneOrOneWithoutATimePropertyIsRefused()
        {
            var e = Assert.Throws<AutoencoderException>(() => Settings("Mars/Olympus_Mons"));
            Assert.Equal(ErrorIds.TimeZoneInvalid, e.ErrorId);
            Assert.Contains("Mars/Olympus_Mons", e.Message);
            var none = Assert.Throws<AutoencoderException>(() => new ModelSettings(windowSize: 4, timeZone: "UTC"));
            Assert.Equal(ErrorIds.TimeZoneNeedsTime, none.ErrorId);
        }
    }
}
