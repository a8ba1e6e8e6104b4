using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class TimeGridTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 3, 2, 8, 0, 0);
        private static readonly TimeSpan Step = TimeSpan.FromMinutes(5);

        private static WindowAssembler Grid(int size, TimeSpan? maxGap = null) =>
            new WindowAssembler(size, 1, _ => maxGap ?? TimeSpan.FromMinutes(15), _ => Step);

        private static WindowStep Push(WindowAssembler a, double minutes, double value) =>
            a.Push(new WindowKey("g", T0.AddMinutes(minutes)), new[] { value });

        [Fact]
        public void JitteredRowsAreAllScoredAfterTheFirstCells()
        {
            // Rows every 5 minutes, each up to 2 minutes early or late: 1.5 steps apart or more happens often.
            var random = new Random(1);
            var row = new WindowAssembler(4, 1, _ => TimeSpan.FromMinutes(7.5));
            var grid = Grid(4);
            int rowScored = 0, gridScored = 0;
            for (int i = 0; i < 500; i++)
            {
                double minute = 5 * i + 4 * random.NextDouble() - 2;
                if (row.Push(new WindowKey("g", T0.AddMinutes(minute)), new[] { (double)i }).Status == WindowStatus.Scored) rowScored++;
                if (Push(grid, minute, i).Status == WindowStatus.Scored) gridScored++;
            }
            Assert.True(gridScored >= 495, $"grid scored {gridScored} of 500");
            Assert.True(rowScored < gridScored, $"rows scored {rowScored}, grid {gridScored}");
        }

        [Fact]
        public void RowsOfOneCellAreAveragedAndTheRowsWindowHoldsTheCellSoFar()
        {
            var a = Grid(2);
            Push(a, 0, 10);
            var first = Push(a, 5, 20);            // cell 1
            var second = Push(a, 7, 40);           // cell 1 again: its average so far is 30
            var next = Push(a, 10, 50);            // cell 2: the window is (cell 1, cell 2)
            Assert.Equal(new double[] { 10, 20 }, first.Window);
            Assert.Equal(new double[] { 10, 30 }, second.Window);
            Assert.Equal(new double[] { 30, 50 }, next.Window);
        }

        [Fact]
        public void MissingCellsAreInterpolatedUpToTheLargestGapAndALongerGapBreaksTheWindow()
        {
            var a = Grid(4, maxGap: TimeSpan.FromMinutes(15));
            Push(a, 0, 0);
            var filled = Push(a, 15, 30);          // cells 1 and 2 have no rows: 10 and 20
            Assert.Equal(new double[] { 0, 10, 20, 30 }, filled.Window);
            Assert.False(filled.AfterGap);
            var broken = Push(a, 35, 70);          // 20 minutes after the last row: longer than 15
            Assert.True(broken.AfterGap);
            Assert.Equal(WindowStatus.WarmingUp, broken.Status);
            Assert.Equal(WindowStatus.WarmingUp, Push(a, 40, 80).Status);
            Assert.Equal(WindowStatus.WarmingUp, Push(a, 45, 90).Status);
            Assert.Equal(new double[] { 70, 80, 90, 100 }, Push(a, 50, 100).Window);
        }

        [Fact]
        public void TrainingWindowsAreTheWindowsScoringSees()
        {
            var random = new Random(2);
            var keys = new List<WindowKey>();
            var rows = new List<double[]>();
            for (int i = 0; i < 200; i++)
            {
                keys.Add(new WindowKey("g", T0.AddMinutes(5 * i + 3 * random.NextDouble())));
                rows.Add(new[] { Math.Sin(i / 5.0), i });
            }
            var plan = SlidingWindow.PlanGrid(6, keys, rows, null, out var windowRows);
            Assert.Equal(Step.TotalMinutes, plan.GroupIntervals["g"].TotalMinutes, 0);
            var scoring = new WindowAssembler(6, 2, g => SlidingWindow.MaxGap(null, plan.GroupIntervals, plan.UsualInterval, g, grid: true),
                g => SlidingWindow.Step(plan.GroupIntervals, plan.UsualInterval, g));
            var scored = keys.Select((k, i) => scoring.Push(k, rows[i])).Where(s => s.Status == WindowStatus.Scored).Select(s => s.Window!).ToList();
            Assert.Equal(scored.Count, plan.Windows.Count);
            for (int w = 0; w < scored.Count; w++)
                Assert.Equal(scored[w], plan.Windows[w].SelectMany(i => windowRows[i]).ToArray());
            Assert.Single(plan.WindowsPerGroup);
        }

        // Grafana's "series joined by time" of two hosts scraped 30 s apart, every 5 minutes: a row at :00 holds host a's
        // columns (0, 1) and one at :30 host b's (2, 3), the other host's cells empty (filled in). The rows step 30 s,
        // 270 s, 30 s, ..., so the median of the row steps was 30 s with an even count of rows and 2:30 with an odd one.
        private static (List<WindowKey> Keys, List<double[]> Rows, ImputedCells Imputed) JoinedExport(int rows)
        {
            var keys = new List<WindowKey>();
            var values = new List<double[]>();
            var imputed = new ImputedCells();
            for (int r = 0; r < rows; r++)
            {
                int i = r / 2;
                bool hostB = r % 2 == 1;
                double cpu = 40 + 10 * Math.Sin(2 * Math.PI * i / 48), latency = 120 + 30 * Math.Cos(2 * Math.PI * i / 48);
                keys.Add(new WindowKey("", T0.AddMinutes(5 * i).AddSeconds(hostB ? 30 : 0)));
                values.Add(hostB ? new[] { 41, 121, cpu + 1, latency + 3 } : new[] { cpu, latency, 41, 121 });
                foreach (int c in hostB ? new[] { 0, 1 } : new[] { 2, 3 }) imputed.Add(r, c);
            }
            return (keys, values, imputed);
        }

        [Theory]
        [InlineData(4032)]
        [InlineData(3001)]
        [InlineData(2998)]
        [InlineData(301)]
        public void AJoinedExportOfHostsAtOffsetsHasTheHostsStepWhateverItsLength(int count)
        {
            var (keys, rows, imputed) = JoinedExport(count);
            var plan = SlidingWindow.PlanGrid(6, keys, rows, null, out _, imputed: imputed);
            Assert.Equal(TimeSpan.FromMinutes(5), plan.UsualInterval);
            Assert.Equal(TimeSpan.FromMinutes(5), plan.GroupIntervals[""]);
            Assert.Equal(0, plan.Gaps);
            // Every row from the sixth 5-minute cell on ends a window.
            Assert.Equal(count - 10, plan.Windows.Count);
        }

        [Fact]
        public void AJoinedExportBringsTwoRowsAStepAndARegularSeriesOne()
        {
            // Each row is scored, so the verdicts count a day of rows (Scoring.SeriesMemory.For): the plan says how many
            // rows a step brings, the median over the group's cells.
            var (keys, rows, imputed) = JoinedExport(2001);
            var joined = SlidingWindow.PlanGrid(6, keys, rows, null, out _, imputed: imputed);
            Assert.Equal(2, joined.RowsPerStep);
            Assert.Equal(2, joined.GroupRowsPerStep[""]);
            // A regular series with a row sent twice in every tenth cell still brings one row a step.
            var regularKeys = new List<WindowKey>();
            var regularRows = new List<double[]>();
            for (int i = 0; i < 500; i++)
                for (int copy = 0; copy < (i % 10 == 0 ? 2 : 1); copy++)
                {
                    regularKeys.Add(new WindowKey("", T0.AddMinutes(5 * i).AddSeconds(copy * 20)));
                    regularRows.Add(new[] { 40 + 10 * Math.Sin(2 * Math.PI * i / 48) });
                }
            var regular = SlidingWindow.PlanGrid(6, regularKeys, regularRows, null, out _);
            Assert.Equal(1, regular.RowsPerStep);
            Assert.Empty(regular.GroupRowsPerStep);
            // Off a grid (the rows are the steps) there is nothing to count.
            Assert.Equal(1, SlidingWindow.Plan(6, keys, null).RowsPerStep);
        }

        [Fact]
        public void ACellOfAJoinedExportHoldsTheValuesItsRowsMeasuredNotTheFilledInOnes()
        {
            // Each cell of a joined export has host a's row (b's cells filled in with b's median, 41 and 121) and host b's
            // (a's filled in). The cell averaged both: a's cpu of 80 (an incident, twice its usual 40) became 60.5, half
            // the deviation, and b's 90 as much. A column no row of the cell measured keeps its filled-in value.
            var a = new WindowAssembler(2, 4, _ => TimeSpan.FromMinutes(15), _ => Step);
            a.Push(new WindowKey("", T0), new double[] { 40, 120, 41, 121 }, new[] { 2, 3 });
            a.Push(new WindowKey("", T0.AddSeconds(30)), new double[] { 41, 121, 42, 122 }, new[] { 0, 1 });
            var onlyA = a.Push(new WindowKey("", T0.AddMinutes(5)), new double[] { 80, 120, 41, 121 }, new[] { 2, 3 });
            var both = a.Push(new WindowKey("", T0.AddMinutes(5).AddSeconds(30)), new double[] { 41, 121, 90, 122 }, new[] { 0, 1 });
            var next = a.Push(new WindowKey("", T0.AddMinutes(10)), new double[] { 40, 120, 41, 121 }, new[] { 2, 3 });

            Assert.Equal(new double[] { 40, 120, 42, 122, 80, 120, 41, 121 }, onlyA.Window);
            Assert.Equal(new double[] { 40, 120, 42, 122, 80, 120, 90, 122 }, both.Window);
            Assert.Equal(new double[] { 80, 120, 90, 122, 40, 120, 41, 121 }, next.Window);
            // A cell all of whose rows had a column filled in is filled in there (the window's newest cell: 2 and 3).
            Assert.Equal(new[] { 6, 7 }, next.FilledCells);
        }

        [Fact]
        public void AnOpenCellOfAnOlderMemoryKeepsItsMeanOfAllRowsAlsoWhenSavedAgainBeforeItEnds()
        {
            // A cell opened under series memory 7 (no filled-in sums) and saved as 8 before it ended: read again, its sums
            // were taken as known and started from zero, and the cell's next value was 120 (of 80 measured, 40 filled in).
            static WindowAssembler New() => new WindowAssembler(2, 2, _ => TimeSpan.FromMinutes(15), _ => Step);
            static byte[] Save(WindowAssembler a)
            {
                using var buffer = new System.IO.MemoryStream();
                using (var w = new System.IO.BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) a.Save(w);
                return buffer.ToArray();
            }
            var a = New();
            a.Push(new WindowKey("", T0), new double[] { 80, 10 }, Array.Empty<int>());
            a.Push(new WindowKey("", T0.AddSeconds(30)), new double[] { 40, 10 }, new[] { 0 });
            var v8 = Save(a);
            // Version 7's layout: the group's filled-in sums (a flag and two values) and scored times (a flag) left out.
            var v7 = new byte[v8.Length - (1 + 16 + 1)];
            Array.Copy(v8, v7, v7.Length);
            var once = New();
            Assert.True(once.Load(new System.IO.BinaryReader(new System.IO.MemoryStream(v7)), withTimesAndSums: false));
            var twice = New();
            Assert.True(twice.Load(new System.IO.BinaryReader(new System.IO.MemoryStream(Save(once)))));
            foreach (var b in new[] { once, twice })
            {
                b.Push(new WindowKey("", T0.AddSeconds(60)), new double[] { 40, 10 }, new[] { 0 });
                var step = b.Push(new WindowKey("", T0.AddMinutes(5)), new double[] { 40, 10 }, Array.Empty<int>());
                // The old mean of all three rows of the cell: (80 + 40 + 40) / 3.
                Assert.Equal(160.0 / 3, step.Window![0], 9);
            }
        }

        [Fact]
        public void TheColumnsOfAJoinedExportAreTheSchemasNotTheRowsSlots()
        {
            // A category's slots (one-hot) come after the columns ImputedCells counts in: they are no column of their own.
            var (keys, rows, imputed) = JoinedExport(300);
            var wide = rows.Select(r => r.Concat(new[] { 1.0, 0.0 }).ToArray()).ToList();
            Assert.Equal(TimeSpan.FromMinutes(5), SlidingWindow.PlanGrid(6, keys, wide, null, out _, imputed: imputed, columns: 4).UsualInterval);
        }

        [Fact]
        public void ASeriesWhoseRowsHoldEveryValueKeepsItsRowSteps()
        {
            // Values missing now and then (not whole hosts' columns) leave the steps those of the rows.
            var keys = new List<WindowKey>();
            var rows = new List<double[]>();
            var imputed = new ImputedCells();
            for (int i = 0; i < 100; i++)
            {
                keys.Add(new WindowKey("", T0.AddMinutes(i % 2 == 0 ? 5 * i : 5 * i + 1)));
                rows.Add(new[] { i, 2.0 * i });
                if (i % 3 == 0) imputed.Add(i, i % 2);
            }
            var withFilled = SlidingWindow.PlanGrid(4, keys, rows, null, out _, imputed: imputed);
            var rowsOnly = SlidingWindow.Plan(4, keys, null);
            Assert.Equal(rowsOnly.UsualInterval, withFilled.UsualInterval);
            Assert.Equal(rowsOnly.GroupIntervals[""], withFilled.GroupIntervals[""]);
        }

        [Fact]
        public void AGridOnWhichNoWindowFitsSaysSoAndWhyNotThatNoRowsCame()
        {
            // Two rows a minute apart every 10 minutes: usual interval 1 minute, so each 9-minute step is a gap of the grid.
            var keys = new List<WindowKey>();
            var rows = new List<double[]>();
            for (int i = 0; i < 42; i++)
            {
                keys.Add(new WindowKey("", T0.AddMinutes(10 * (i / 2) + i % 2)));
                rows.Add(new[] { (double)i });
            }
            var settings = new ModelSettings(new[] { 2 }, seed: 1, windowSize: 6, timeProperty: "time", timeGrid: true);
            var plan = SlidingWindow.PlanGrid(6, keys, rows, null, out var cells);
            Assert.Empty(plan.Windows);
            Assert.Empty(cells);
            using var model = new AutoencoderModel(settings);
            var e = Assert.Throws<AutoencoderException>(() =>
                model.Train(new FeatureSchema(new[] { "cpu" }), cells, new TrainingOptions { Epochs = 1 }, windows: plan));
            Assert.Equal(ErrorIds.NoTrainingWindows, e.ErrorId);
            Assert.Contains("6 consecutive time steps", e.Message);
            Assert.Contains("42 rows", e.Message);
            Assert.Contains("20 gap(s) longer than 00:03:00", e.Message);
            Assert.Contains("usual interval 00:01:00", e.Message);
        }

        [Fact]
        public void ATimeGridNeedsAWindowAndATimeProperty()
        {
            Assert.Equal("TimeGridNeedsTime", Assert.Throws<AutoencoderException>(() => new ModelSettings(windowSize: 4, timeGrid: true)).ErrorId);
            Assert.True(new ModelSettings(windowSize: 4, timeProperty: "t", timeGrid: true).TimeGrid);
        }
    }
}
