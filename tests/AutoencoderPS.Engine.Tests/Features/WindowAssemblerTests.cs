using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests
{
    public class WindowAssemblerTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 3, 2, 8, 0, 0);
        private static readonly FeatureSchema Schema = new FeatureSchema(new[] { "cpu" });

        private static WindowKey At(string group, int minute) => new WindowKey(group, T0.AddMinutes(minute));

        private static double[] Row(double a, double b) => new[] { a, b };

        [Fact]
        public void TheFirstNMinusOneRowsWarmUpThenEachRowEndsAWindowOfTheLastNRowsOldestFirst()
        {
            var assembler = new WindowAssembler(3, 2);
            var steps = Enumerable.Range(0, 5).Select(i => assembler.Push(At("a", i), Row(i, 10 + i))).ToList();

            Assert.Equal(new[] { WindowStatus.WarmingUp, WindowStatus.WarmingUp, WindowStatus.Scored, WindowStatus.Scored, WindowStatus.Scored },
                steps.Select(s => s.Status));
            Assert.Null(steps[0].Window);
            Assert.Null(steps[1].Window);
            Assert.Equal(new double[] { 0, 10, 1, 11, 2, 12 }, steps[2].Window);
            Assert.Equal(new double[] { 1, 11, 2, 12, 3, 13 }, steps[3].Window);
            Assert.Equal(new double[] { 2, 12, 3, 13, 4, 14 }, steps[4].Window);
        }

        [Fact]
        public void GroupsKeepSeparateWindowsWhateverTheInterleaving()
        {
            var interleaved = new WindowAssembler(2, 2);
            var a = new List<double[]?>();
            var b = new List<double[]?>();
            for (int i = 0; i < 4; i++)
            {
                a.Add(interleaved.Push(At("a", i), Row(i, 0)).Window);
                b.Add(interleaved.Push(At("b", i), Row(100 + i, 1)).Window);
            }
            var alone = new WindowAssembler(2, 2);
            var aAlone = Enumerable.Range(0, 4).Select(i => alone.Push(At("a", i), Row(i, 0)).Window).ToList();

            Assert.Equal(2, interleaved.GroupCount);
            Assert.Equal(aAlone, a);
            Assert.Equal(new double[] { 100, 1, 101, 1 }, b[1]);
            Assert.Equal(new double[] { 102, 1, 103, 1 }, b[3]);
        }

        [Fact]
        public void AWindowDoesNotChangeWhenItsRowArraysAreReusedLater()
        {
            var assembler = new WindowAssembler(2, 1);
            var first = Row(1, 0).Take(1).ToArray();
            assembler.Push(At("a", 0), first);
            var window = assembler.Push(At("a", 1), new double[] { 2 }).Window!;
            first[0] = 99; // the assembler keeps the row, but the window already handed out is a copy
            Assert.Equal(new double[] { 1, 2 }, window);
        }

        [Fact]
        public void AnEarlierRowIsRefusedNamingTheColumnTheValueAndThePreviousTimeAndTheWindowIsUnchanged()
        {
            var assembler = new WindowAssembler(2, 1);
            assembler.Push(At("web1", 0), new double[] { 1 });
            assembler.Push(At("web1", 5), new double[] { 2 });

            var e = Assert.Throws<FeatureValueException>(() => assembler.Push(At("web1", 3), new double[] { 3 }, "Time"));

            Assert.Equal("RowOutOfOrder", e.ErrorId);
            Assert.Equal("Time", e.Column);
            Assert.Equal(T0.AddMinutes(3), e.Value);
            Assert.Contains("2026-03-02 08:03:00", e.Message);
            Assert.Contains("previous row of group 'web1' (2026-03-02 08:05:00)", e.Message);
            Assert.Equal(T0.AddMinutes(5), assembler.LastTime("web1"));
            var next = assembler.Push(At("web1", 6), new double[] { 4 });
            Assert.Equal(new double[] { 2, 4 }, next.Window);
        }

        [Fact]
        public void RowsOfEqualTimeAreInOrder()
        {
            var assembler = new WindowAssembler(2, 1);
            assembler.Push(At("a", 1), new double[] { 1 });
            var step = assembler.Push(At("a", 1), new double[] { 2 });
            Assert.Equal(WindowStatus.Scored, step.Status);
        }

        [Fact]
        public void AGapLongerThanTheGroupsLimitRestartsTheWindow()
        {
            var assembler = new WindowAssembler(2, 1, group => group == "a" ? TimeSpan.FromMinutes(2) : null);
            assembler.Push(At("a", 0), new double[] { 1 });
            Assert.Equal(WindowStatus.Scored, assembler.Push(At("a", 2), new double[] { 2 }).Status); // exactly the limit: whole
            var afterGap = assembler.Push(At("a", 5), new double[] { 3 });
            Assert.Equal(WindowStatus.WarmingUp, afterGap.Status);
            Assert.True(afterGap.AfterGap);
            Assert.Equal(new double[] { 3, 4 }, assembler.Push(At("a", 6), new double[] { 4 }).Window);

            // A group without a limit never breaks.
            assembler.Push(At("b", 0), new double[] { 1 });
            Assert.Equal(WindowStatus.Scored, assembler.Push(At("b", 500), new double[] { 2 }).Status);
        }

        [Fact]
        public void WithoutTimesRowsAreTakenInArrivalOrder()
        {
            var assembler = new WindowAssembler(2, 1, _ => TimeSpan.FromSeconds(1));
            assembler.Push(new WindowKey("", null), new double[] { 5 });
            Assert.Equal(new double[] { 5, 6 }, assembler.Push(new WindowKey("", null), new double[] { 6 }).Window);
        }

        [Fact]
        public void ThePlanSortsEachGroupByTimeLearnsTheMedianStepAndBreaksAtGaps()
        {
            // Group a: minutes 3,0,1,2 (out of order), then 10,11,12 after a gap. Group b: every 2 minutes.
            var keys = new List<WindowKey>
            {
                At("a", 3), At("b", 0), At("a", 0), At("a", 1), At("b", 2), At("a", 2), At("b", 4), At("a", 10), At("a", 11), At("a", 12),
            };
            var plan = SlidingWindow.Plan(2, keys, maxGap: null);

            Assert.Equal(TimeSpan.FromMinutes(1), plan.GroupIntervals["a"]);
            Assert.Equal(TimeSpan.FromMinutes(2), plan.GroupIntervals["b"]);
            Assert.Equal(2, plan.Groups);
            Assert.Equal(1, plan.Gaps);
            // a sorted: 0(2),1(3),2(5),3(0) | 10(7),11(8),12(9); b: 0(1),2(4),4(6)
            var expected = new[]
            {
                new[] { 2, 3 }, new[] { 3, 5 }, new[] { 5, 0 }, new[] { 7, 8 }, new[] { 8, 9 },
                new[] { 1, 4 }, new[] { 4, 6 },
            };
            Assert.Equal(expected, plan.Windows);
            Assert.Equal(3, plan.WarmingUpRows);
        }

        [Fact]
        public void ThePlanUsesMaxGapWhenGiven()
        {
            var keys = new List<WindowKey> { At("a", 0), At("a", 1), At("a", 10), At("a", 11) };
            Assert.Equal(2, SlidingWindow.Plan(2, keys, maxGap: null).Windows.Count);
            Assert.Equal(3, SlidingWindow.Plan(2, keys, maxGap: TimeSpan.FromMinutes(9)).Windows.Count);
        }

        [Fact]
        public void ThePlanKeepsKnownIntervalsOfGroupsWithoutNewSteps()
        {
            var known = new Dictionary<string, TimeSpan> { ["old"] = TimeSpan.FromHours(1) };
            var plan = SlidingWindow.Plan(2, new List<WindowKey> { At("a", 0), At("a", 5) }, null, known, TimeSpan.FromHours(1));
            Assert.Equal(TimeSpan.FromHours(1), plan.GroupIntervals["old"]);
            Assert.Equal(TimeSpan.FromMinutes(5), plan.GroupIntervals["a"]);
            Assert.Equal(TimeSpan.FromMinutes(5), plan.UsualInterval);
        }

        [Fact]
        public void SortingWithinGroupsKeepsEachGroupsPlacesAndLeavesUnreadableRowsWhereTheyAre()
        {
            var rows = new (string Group, int? Minute)[] { ("a", 2), ("b", 5), ("a", 1), (null!, null), ("b", 4), ("a", 3) };
            var sorted = SlidingWindow.SortWithinGroups(rows, r => r.Group == null ? null : At(r.Group, r.Minute!.Value));
            Assert.Equal(new (string, int?)[] { ("a", 1), ("b", 4), ("a", 2), (null!, null), ("b", 5), ("a", 3) }, sorted);
        }

        [Fact]
        public void TheOrderCheckNoticesTheFirstRowEarlierThanItsGroup()
        {
            var check = new SlidingWindow.OrderCheck();
            check.Add(At("a", 1));
            check.Add(At("b", 0));
            check.Add(At("a", 1));
            Assert.True(check.InOrder);
            check.Add(At("b", -1));
            Assert.False(check.InOrder);
        }

        [Fact]
        public void KeysAreReadFromTheTimeAndGroupColumnsWithClearErrors()
        {
            var settings = new ModelSettings(windowSize: 3, timeProperty: "Time", groupBy: "Host", seed: 1);
            var culture = CultureInfo.InvariantCulture;

            var key = SlidingWindow.ReadKey(new TestRecord(("Time", "2026-03-02 08:05:00"), ("Host", " web1 ")), settings, Schema, culture);
            Assert.Equal("web1", key.Group);
            Assert.Equal(T0.AddMinutes(5), key.Time);

            Assert.Equal("TimeValueMissing", Assert.Throws<FeatureValueException>(() =>
                SlidingWindow.ReadKey(new TestRecord(("Time", ""), ("Host", "a")), settings, Schema, culture)).ErrorId);
            var invalid = Assert.Throws<FeatureValueException>(() =>
                SlidingWindow.ReadKey(new TestRecord(("Time", "yesterday"), ("Host", "a")), settings, Schema, culture));
            Assert.Equal("TimeValueInvalid", invalid.ErrorId);
            Assert.Equal("Time", invalid.Column);
            Assert.Equal("yesterday", invalid.Value);
            Assert.Equal("GroupValueMissing", Assert.Throws<FeatureValueException>(() =>
                SlidingWindow.ReadKey(new TestRecord(("Time", "2026-03-02 08:05:00")), settings, Schema, culture)).ErrorId);
        }

        [Fact]
        public void TheWindowSchemaNamesEveryFeatureOncePerTimeStep()
        {
            var rows = new FeatureSchema(new[] { "cpu", "mem" });
            var window = SlidingWindow.WindowSchema(rows, 3);
            Assert.Equal(new[] { "cpu (t-2)", "mem (t-2)", "cpu (t-1)", "mem (t-1)", "cpu (t)", "mem (t)" }, window.Names);
            Assert.Same(rows, SlidingWindow.WindowSchema(rows, 1));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1025)]
        public void SettingsRefuseAWindowSizeOutOfRange(int size)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new ModelSettings(windowSize: size));
        }

        [Fact]
        public void SettingsRefuseWindowColumnsWithoutAWindowOrAsFeatures()
        {
            Assert.Equal("WindowSizeRequired", Assert.Throws<AutoencoderException>(() => new ModelSettings(timeProperty: "Time")).ErrorId);
            Assert.Equal("WindowColumnIsFeature", Assert.Throws<AutoencoderException>(() =>
                new ModelSettings(features: new[] { "cpu", "host" }, windowSize: 2, groupBy: "Host")).ErrorId);
        }
    }
}
