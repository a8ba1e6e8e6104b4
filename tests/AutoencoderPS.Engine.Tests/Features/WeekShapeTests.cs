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
    /// The week-shape gate of the calendar (-TimeFeatures not given): the statistic (WeekShape) and TrainingSetBuilder.Build
    /// keeping or dropping the provisional calendar of the window's time by it.
    /// </summary>
    public sealed class WeekShapeTests
    {
        // A Thursday, as the series probe's start.
        private static readonly DateTime T0 = new DateTime(2026, 1, 1);

        // A daily cycle with noise (sd 2); weekly: at half its level on weekends; shiftDay: the level up by 30 from that day.
        private static (DateTime[] Times, double[] Values) Series(double days, int stepMinutes, bool weekly, int seed, int shiftDay = -1)
        {
            var random = new Random(seed);
            int count = (int)(days * 1440 / stepMinutes);
            var times = new DateTime[count];
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                var t = T0.AddMinutes(i * stepMinutes);
                double level = weekly && t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.5 : 1;
                double noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                times[i] = t;
                values[i] = level * (50 + 20 * Math.Sin(2 * Math.PI * t.TimeOfDay.TotalHours / 24)) + 2 * noise
                            + (shiftDay >= 0 && (t - T0).TotalDays >= shiftDay ? 30 : 0);
            }
            return (times, values);
        }

        [Theory]
        [InlineData(5, 1)]
        [InlineData(5, 2)]
        [InlineData(60, 1)]
        [InlineData(60, 2)]
        public void AWeeklySeriesHasAShapeAndADailyOneNone(int stepMinutes, int seed)
        {
            var (times, weekly) = Series(14, stepMinutes, weekly: true, seed);
            var on = WeekShape.Of("cpu", times, weekly);
            Assert.True(on.TwoOfEachWeekday);
            Assert.True(on.On, $"R {on.Repeat}, N {on.Noise}, factor {on.Factor}");
            Assert.True(on.Ratio > 3);

            var (_, daily) = Series(14, stepMinutes, weekly: false, seed);
            var off = WeekShape.Of("cpu", times, daily);
            Assert.False(off.On, $"R {off.Repeat}, N {off.Noise}, factor {off.Factor}");
            Assert.True(Math.Abs(off.Ratio) < 1);
        }

        [Fact]
        public void HourlyRowsNeedTheRepeatAtTwoAndAHalfNoises()
        {
            // Hourly: one value a half-week's bin, so a bin median is one noisy value.
            var (times, values) = Series(14, 60, weekly: false, 3);
            var shape = WeekShape.Of("cpu", times, values);
            Assert.Equal(1, shape.PerHalfBin);
            Assert.Equal(2.5, shape.Factor);
            var (fine, fineValues) = Series(14, 5, weekly: false, 3);
            var five = WeekShape.Of("cpu", fine, fineValues);
            Assert.Equal(12, five.PerHalfBin);
            Assert.Equal(1, five.Factor);
        }

        [Fact]
        public void UnderTwoOfEachWeekdayTheGateIsOff()
        {
            var (times, values) = Series(13, 5, weekly: true, 1);
            var shape = WeekShape.Of("cpu", times, values);
            Assert.False(shape.TwoOfEachWeekday);
            Assert.False(shape.On);
            Assert.Contains("fewer than two dates of each day of the week", shape.Describe("Time"));
        }

        [Fact]
        public void ALevelShiftSeenInOneWeekIsNoWeek()
        {
            var (times, values) = Series(14, 5, weekly: false, 1, shiftDay: 10);
            Assert.False(WeekShape.Of("cpu", times, values).On);
        }

        [Fact]
        public void AnyFeatureWithAWeekTurnsItOnAndIsTheOneTold()
        {
            var (times, weekly) = Series(14, 5, weekly: true, 1);
            var (_, daily) = Series(14, 5, weekly: false, 2);
            var gate = WeekShape.Decide(new (string, IReadOnlyList<DateTime>, IReadOnlyList<double>)[] { ("flat", times, daily), ("busy", times, weekly) })!;
            Assert.True(gate.On);
            Assert.Equal("busy", gate.Feature);
            Assert.StartsWith("Calendar of 'Time' (no -TimeFeatures given, so decided from the training rows): on; ", gate.Describe("Time"));
            Assert.Contains("feature 'busy': repeat of the week R = ", gate.Describe("Time"));
        }

        // A fleet: host h of `hosts` at its own scale (level and noise times 0.2 + 1.2 h / (hosts - 1), 10 % to 70 % CPU),
        // the rows in time order; weekly(h): whether host h's weekends are at half its level.
        private static (DateTime[] Times, double[] Values, string[] Hosts) FleetSeries(int hosts, Func<int, bool> weekly, int seed, int stepMinutes = 5)
        {
            var each = Enumerable.Range(0, hosts).Select(h => Series(14, stepMinutes, weekly(h), seed * 100 + h)).ToArray();
            int count = each[0].Times.Length;
            var times = new List<DateTime>();
            var values = new List<double>();
            var names = new List<string>();
            for (int i = 0; i < count; i++)
                for (int h = 0; h < hosts; h++)
                {
                    times.Add(each[h].Times[i]);
                    values.Add((0.2 + 1.2 * h / (hosts - 1)) * each[h].Values[i]);
                    names.Add($"web{h + 1:00}");
                }
            return (times.ToArray(), values.ToArray(), names.ToArray());
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AFleetOfHostsOfDifferentScaleIsJudgedEachHostInItsOwnNoise(int seed)
        {
            // Pooled, the bins of (day, hour) held ten hosts' levels: their spread was the "noise" (R/N 0.3) and a weekly
            // fleet was read as having no week (the operations probe's fleet: every Saturday paged on every host).
            var (times, weekly, hosts) = FleetSeries(10, _ => true, seed);
            var on = WeekShape.Of("cpu", times, weekly, hosts);
            Assert.True(on.On, $"R/N {on.Ratio}, factor {on.Factor}");
            Assert.Equal(10, on.Groups);
            Assert.True(on.Ratio > 3, $"R/N {on.Ratio}");
            Assert.Contains("10 groups", on.Describe("Time"));

            var (_, daily, _) = FleetSeries(10, _ => false, seed);
            var off = WeekShape.Of("cpu", times, daily, hosts);
            Assert.False(off.On, $"R/N {off.Ratio}, factor {off.Factor}");
            Assert.True(Math.Abs(off.Ratio) < 0.5, $"R/N {off.Ratio}");

            // Half the fleet weekly: each host's week in its own noise, averaged over the hosts (R/N about 3.5 / sqrt 2).
            var (_, half, _) = FleetSeries(10, h => h % 2 == 0, seed);
            var mixed = WeekShape.Of("cpu", times, half, hosts);
            Assert.True(mixed.On, $"R/N {mixed.Ratio}");
            Assert.InRange(mixed.Ratio, 0.5 * on.Ratio, 0.9 * on.Ratio);
        }

        [Fact]
        public void OneGroupIsJudgedAsBefore()
        {
            var (times, values) = Series(14, 5, weekly: true, 4);
            var alone = WeekShape.Of("cpu", times, values);
            var named = WeekShape.Of("cpu", times, values, Enumerable.Repeat("web01", times.Length).ToArray());
            Assert.Equal(1, alone.Groups);
            Assert.Equal((alone.Repeat, alone.Noise, alone.PerHalfBin, alone.On), (named.Repeat, named.Noise, named.PerHalfBin, named.On));
            Assert.Equal(alone.Describe("Time"), named.Describe("Time"));
        }

        [Fact]
        public void AFleetWhoseHostsHoldUnderTwoOfEachWeekdayIsOffAndAHostThatDoesCountsAlone()
        {
            // Host web02's rows start on day 3: under two of each weekday, so only web01 is judged.
            var (times, values, hosts) = FleetSeries(2, _ => true, 1);
            var late = Enumerable.Range(0, times.Length).Where(i => hosts[i] == "web01" || (times[i] - T0).TotalDays >= 3).ToArray();
            var shape = WeekShape.Of("cpu", late.Select(i => times[i]).ToArray(), late.Select(i => values[i]).ToArray(), late.Select(i => hosts[i]).ToArray());
            Assert.True(shape.TwoOfEachWeekday);
            Assert.Equal(1, shape.Groups);
            Assert.True(shape.On);
            var none = late.Where(i => hosts[i] == "web02").ToArray();
            var off = WeekShape.Of("cpu", none.Select(i => times[i]).ToArray(), none.Select(i => values[i]).ToArray(), none.Select(i => hosts[i]).ToArray());
            Assert.False(off.TwoOfEachWeekday);
            Assert.False(off.On);
        }

        // A fleet in one model (-GroupBy host): host h of `hosts` at its own scale (level and noise times
        // 0.2 + 1.2 h / (hosts - 1), 10 % to 70 % CPU, or all at one scale), every host weekly, built as training builds it.
        private static TrainingSet Fleet(int hosts, bool sameScale, int seed, bool perGroup = false)
        {
            var each = Enumerable.Range(0, hosts).Select(h => Series(14, 5, weekly: true, seed * 100 + h)).ToArray();
            var roles = new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("Time", ColumnRole.Timestamp) }, windowTime: "Time");
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            var keys = new List<WindowKey>();
            for (int i = 0; i < each[0].Times.Length; i++)
                for (int h = 0; h < hosts; h++)
                {
                    var t = each[h].Times[i];
                    double cpu = (sameScale ? 1 : 0.2 + 1.2 * h / (hosts - 1)) * each[h].Values[i];
                    Assert.True(builder.Add(new TestRecord(("Time", t.ToString("s", CultureInfo.InvariantCulture)), ("cpu", cpu))));
                    keys.Add(new WindowKey($"web{h + 1:00}", t));
                }
            return builder.Build(keys: keys, weekGate: true, gatePerGroup: perGroup);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AWeeklyFleetOfOneScaleHasTheCalendarAndOneOfDifferentScalesNot(int seed)
        {
            // The gate pools the groups' rows: the spread of the hosts' levels counts as noise. Judged per host (a branch
            // measured 2026-12-07), a fleet of 10-70 % CPU was on, and then lost its small and middle hosts' incidents (the
            // operations probe's fleet-incident: 0/3, against 3/3 off; series-probe.md, "A fleet in one model"): the
            // network fits such a fleet coarsely with the calendar. Kept pooled until scaling is per group; a fleet of one
            // scale has the calendar, as one host does.
            var oneScale = Fleet(10, sameScale: true, seed);
            Assert.True(oneScale.CalendarGate!.On, oneScale.CalendarGate.Describe("Time"));
            Assert.Equal(new[] { "cpu", "Time" }, oneScale.Schema.Names);
            var scales = Fleet(10, sameScale: false, seed);
            Assert.False(scales.CalendarGate!.On, scales.CalendarGate.Describe("Time"));
            Assert.Equal(new[] { "cpu" }, scales.Schema.Names);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        public void AWeeklyFleetOfDifferentScalesScaledPerGroupHasTheCalendar(int seed)
        {
            // Scaled per group, each host is in its own units to the network, and the calendar no longer costs the small
            // hosts' incidents (fleet-incident on web01 and web05 caught 3/3; series-probe.md, "Scaling per group"): the
            // gate judges each host in its own noise, as the network will see it. Fleet-wide scaling keeps the pooled gate (above).
            var scales = Fleet(10, sameScale: false, seed, perGroup: true);
            Assert.True(scales.CalendarGate!.On, scales.CalendarGate.Describe("Time"));
            Assert.Equal(10, scales.CalendarGate.Groups);
            Assert.Equal(new[] { "cpu", "Time" }, scales.Schema.Names);
            // A fleet of one scale is on either way.
            Assert.True(Fleet(10, sameScale: true, seed, perGroup: true).CalendarGate!.On);
        }

        private static TrainingSet Build(bool weekly, bool weekGate, double days = 14)
        {
            var roles = new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("Time", ColumnRole.Timestamp) }, windowTime: "Time");
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            var (times, values) = Series(days, 5, weekly, 1);
            for (int i = 0; i < times.Length; i++)
                Assert.True(builder.Add(new TestRecord(("Time", times[i].ToString("s", CultureInfo.InvariantCulture)), ("cpu", values[i]))));
            return builder.Build(weekGate: weekGate);
        }

        [Fact]
        public void BuildKeepsTheProvisionalCalendarOnlyWhereTheWeekHasAShape()
        {
            var weekly = Build(weekly: true, weekGate: true);
            Assert.True(weekly.CalendarGate!.On);
            Assert.Equal(new[] { "cpu", "Time" }, weekly.Schema.Names);
            Assert.Equal("Time", weekly.Schema.WindowTime);
            Assert.Equal(1 + 4, weekly.Rows[0].Length);

            var daily = Build(weekly: false, weekGate: true);
            Assert.False(daily.CalendarGate!.On);
            Assert.Equal(new[] { "cpu" }, daily.Schema.Names);
            Assert.Null(daily.Schema.WindowTime);
            Assert.Single(daily.Rows[0]);
            // The same values as the weekly set's first input, for the same rows.
            Assert.Equal(Build(weekly: false, weekGate: false).Rows.Select(r => r[0]), daily.Rows.Select(r => r[0]));

            var shortSet = Build(weekly: true, weekGate: true, days: 10);
            Assert.False(shortSet.CalendarGate!.TwoOfEachWeekday);
            Assert.Equal(new[] { "cpu" }, shortSet.Schema.Names);
        }

        [Fact]
        public void OnlyASlidingWindowWithATimePropertyDecidesWhenNotGiven()
        {
            Assert.True(new ModelSettings(timeFeatures: null, windowSize: 3, timeProperty: "Time").TimeFeaturesAutomatic);
            Assert.False(new ModelSettings(timeFeatures: null, windowSize: 3, timeProperty: "Time").TimeFeatures);
            Assert.False(new ModelSettings(timeFeatures: false, windowSize: 3, timeProperty: "Time").TimeFeaturesAutomatic);
            Assert.False(new ModelSettings(timeFeatures: true, windowSize: 3, timeProperty: "Time").TimeFeaturesAutomatic);
            Assert.False(new ModelSettings(timeFeatures: null, windowSize: 3).TimeFeaturesAutomatic);
            Assert.False(new ModelSettings(timeFeatures: null).TimeFeaturesAutomatic);
        }

        [Fact]
        public void WithoutTheGateTheCalendarStaysAsAsked()
        {
            var set = Build(weekly: false, weekGate: false);
            Assert.Null(set.CalendarGate);
            Assert.Equal(new[] { "cpu", "Time" }, set.Schema.Names);
        }
    }
}
