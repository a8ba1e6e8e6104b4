using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine;
using Xunit;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    public class FeatureScalerTests
    {
        private const int Features = 4;

        // Four features on very different scales; the last is constant.
        private static List<double[]> Rows(int count, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ => new[]
            {
                random.NextDouble() * 10 - 5,
                1000 + random.NextDouble() * 500,
                random.NextDouble() * 1e-4,
                42.0,
            }).ToList();
        }

        private static double[] Column(IReadOnlyList<double[]> rows, int j) => rows.Select(r => r[j]).ToArray();

        private static double[] TransformedColumn(FeatureScaler scaler, IReadOnlyList<double[]> rows, int j) =>
            rows.Select(r => (double)scaler.Transform(j, r[j])).ToArray();

        [Fact]
        public void MinMaxMapsEachTrainingFeatureOntoZeroToOne()
        {
            var rows = Rows(200, 1);
            var scaler = FeatureScaler.Fit(rows, Features, ScalingMethod.MinMax);

            Assert.Equal(ScalingMethod.MinMax, scaler.Method);
            Assert.Equal(Features, scaler.Count);
            for (int j = 0; j < Features - 1; j++)
            {
                var scaled = TransformedColumn(scaler, rows, j);
                Assert.Equal(0.0, scaled.Min());
                Assert.Equal(1.0, scaled.Max(), 6);
                Assert.All(scaled, v => Assert.InRange(v, 0.0, 1.0));
                Assert.Equal(Column(rows, j).Min(), scaler.Offset[j]);
                Assert.Equal(Column(rows, j).Max() - Column(rows, j).Min(), scaler.Scale[j], 12);
            }
        }

        [Fact]
        public void GlobalMinMaxUsesOneMinimumAndMaximumForTheWholeMatrix()
        {
            var rows = Rows(200, 2);
            double min = rows.SelectMany(r => r).Min();
            double max = rows.SelectMany(r => r).Max();

            var scaler = FeatureScaler.Fit(rows, Features, ScalingMethod.GlobalMinMax);

            Assert.All(scaler.Offset, o => Assert.Equal(min, o));
            Assert.All(scaler.Scale, s => Assert.Equal(max - min, s));
            var all = Enumerable.Range(0, Features).SelectMany(j => TransformedColumn(scaler, rows, j)).ToArray();
            Assert.Equal(0.0, all.Min());
            Assert.Equal(1.0, all.Max(), 6);
            // A feature with a small range stays small: it is not stretched to [0, 1] on its own.
            Assert.True(TransformedColumn(scaler, rows, 0).Max() < 0.01);
        }

        [Fact]
        public void StandardGivesZeroMeanAndUnitPopulationStandardDeviation()
        {
            var rows = Rows(50, 3);
            var scaler = FeatureScaler.Fit(rows, Features, ScalingMethod.Standard);

            for (int j = 0; j < Features - 1; j++)
            {
                var scaled = TransformedColumn(scaler, rows, j);
                double mean = scaled.Average();
                double populationStd = Math.Sqrt(scaled.Sum(v => (v - mean) * (v - mean)) / scaled.Length);
                Assert.Equal(0.0, mean, 5);
                // The sample std (n - 1) would be sqrt(50/49) = 1.0102 here; only the population std is 1.
                Assert.Equal(1.0, populationStd, 5);
                Assert.Equal(Column(rows, j).Average(), scaler.Offset[j], 9);
            }
        }

        [Theory]
        [InlineData(ScalingMethod.MinMax)]
        [InlineData(ScalingMethod.Standard)]
        [InlineData(ScalingMethod.Robust)]
        public void ConstantColumnGetsScaleOne(ScalingMethod method)
        {
            var rows = Rows(30, 4);

            var scaler = FeatureScaler.Fit(rows, Features, method);

            Assert.Equal(1.0, scaler.Scale[3]);
            Assert.Equal(42.0, scaler.Offset[3], 12);
            Assert.Equal(0f, scaler.Transform(3, 42.0));
            Assert.Equal(1f, scaler.Transform(3, 43.0));
        }

        [Fact]
        public void GlobalMinMaxOfAConstantMatrixGetsScaleOne()
        {
            var rows = Enumerable.Range(0, 5).Select(_ => new[] { 7.0, 7.0 }).ToList();

            var scaler = FeatureScaler.Fit(rows, 2, ScalingMethod.GlobalMinMax);

            Assert.Equal(new[] { 1.0, 1.0 }, scaler.Scale);
            Assert.Equal(new[] { 7.0, 7.0 }, scaler.Offset);
        }

        [Theory]
        [InlineData(ScalingMethod.MinMax)]
        [InlineData(ScalingMethod.GlobalMinMax)]
        [InlineData(ScalingMethod.Standard)]
        [InlineData(ScalingMethod.Robust)]
        public void InverseUndoesTransform(ScalingMethod method)
        {
            var rows = Rows(100, 5);
            var scaler = FeatureScaler.Fit(rows, Features, method);
            var probes = Rows(50, 6);
            probes.Add(new[] { -500.0, 1e5, -1.0, 0.0 }); // far outside the training range

            foreach (var row in probes)
                for (int j = 0; j < Features; j++)
                {
                    double back = scaler.Inverse(j, scaler.Transform(j, row[j]));
                    // Transform yields a float: allow float rounding relative to the scaled magnitude.
                    double tolerance = 1e-6 * (Math.Abs(row[j] - scaler.Offset[j]) + scaler.Scale[j]);
                    Assert.True(Math.Abs(back - row[j]) <= tolerance, $"feature {j}: {row[j]} came back as {back}");
                }
        }

        [Fact]
        public void FitOfNoRowsThrowsEmptyTrainingInput()
        {
            var error = Assert.Throws<AutoencoderException>(() => FeatureScaler.Fit(new List<double[]>(), 3, ScalingMethod.MinMax));

            Assert.Equal("EmptyTrainingInput", error.ErrorId);
        }

        [Theory]
        [InlineData(0.0, 0.0)]
        [InlineData(0.0, -1.0)]
        [InlineData(0.0, double.NaN)]
        [InlineData(0.0, double.PositiveInfinity)]
        [InlineData(double.NaN, 1.0)]
        [InlineData(double.NegativeInfinity, 1.0)]
        public void ConstructorRejectsUnusableScaling(double offset, double scale)
        {
            Assert.Throws<ArgumentException>(() => new FeatureScaler(ScalingMethod.MinMax, new[] { 0.0, offset }, new[] { 1.0, scale }));
        }

        [Fact]
        public void ConstructorRejectsMismatchedLengths()
        {
            Assert.Throws<ArgumentException>(() => new FeatureScaler(ScalingMethod.MinMax, new[] { 0.0 }, new[] { 1.0, 1.0 }));
        }

        [Fact]
        public void ConstructorCopiesItsInputs()
        {
            var offset = new[] { 1.0 };
            var scale = new[] { 2.0 };
            var scaler = new FeatureScaler(ScalingMethod.Standard, offset, scale);
            offset[0] = 100;
            scale[0] = 100;

            Assert.Equal(1.5f, scaler.Transform(0, 4.0));
        }

        private static List<double[]> OneColumn(params double[] values) => values.Select(v => new[] { v }).ToList();

        [Fact]
        public void RobustUsesTheMedianAndTheInterQuartileRange()
        {
            // Sorted 1, 2, 3, 4, 100: median 3, quartiles 2 and 4 (numpy's linear percentiles), so IQR 2.
            var scaler = FeatureScaler.Fit(OneColumn(100, 3, 1, 4, 2), 1, ScalingMethod.Robust);

            Assert.Equal(ScalingMethod.Robust, scaler.Method);
            Assert.Equal(3.0, scaler.Offset[0]);
            Assert.Equal(2.0, scaler.Scale[0]);
            Assert.Equal(0f, scaler.Transform(0, 3));
            Assert.Equal(-1f, scaler.Transform(0, 1));
            Assert.Equal(48.5f, scaler.Transform(0, 100)); // the outlier does not squeeze the others
        }

        [Fact]
        public void RobustInterpolatesQuartilesLikeNumpy()
        {
            // numpy.percentile([10, 20, 30, 40], [25, 50, 75]) == [17.5, 25, 32.5]
            var scaler = FeatureScaler.Fit(OneColumn(40, 10, 30, 20), 1, ScalingMethod.Robust);

            Assert.Equal(25.0, scaler.Offset[0], 12);
            Assert.Equal(15.0, scaler.Scale[0], 12);
        }

        [Fact]
        public void RobustFallsBackToTheFullRangeWhenTheMiddleHalfIsConstant()
        {
            // Mostly zero counts: both quartiles are 0, the full range is 20.
            var scaler = FeatureScaler.Fit(OneColumn(0, 0, 0, 0, 0, 0, 0, 0, 10, 20), 1, ScalingMethod.Robust);

            Assert.Equal(0.0, scaler.Offset[0]);
            Assert.Equal(20.0, scaler.Scale[0]);
        }

        [Fact]
        public void RobustBarelyMovesWithOutliersInTraining()
        {
            var rows = Rows(200, 7);
            var clean = FeatureScaler.Fit(rows, Features, ScalingMethod.Robust);
            var dirty = rows.Select(r => (double[])r.Clone()).ToList();
            for (int i = 0; i < 5; i++) dirty[i][1] = 1e9; // five wild values
            var withOutliers = FeatureScaler.Fit(dirty, Features, ScalingMethod.Robust);
            var minMax = FeatureScaler.Fit(dirty, Features, ScalingMethod.MinMax);

            Assert.Equal(clean.Scale[1], withOutliers.Scale[1], clean.Scale[1] * 0.1);
            Assert.Equal(clean.Offset[1], withOutliers.Offset[1], clean.Scale[1] * 0.1);
            Assert.True(minMax.Scale[1] > 1e8);
        }

        // Slots as a schema with a numeric, a categorical (two categories + other) and a timestamp column gives them.
        private static readonly SlotKind[] MixedKinds =
        {
            SlotKind.Numeric, SlotKind.OneHot, SlotKind.OneHot, SlotKind.OneHot,
            SlotKind.Cyclic, SlotKind.Cyclic, SlotKind.Cyclic, SlotKind.Cyclic, SlotKind.Numeric,
        };

        private static List<double[]> MixedRows(int count, int seed)
        {
            var random = new Random(seed);
            var rows = new List<double[]>();
            for (int i = 0; i < count; i++)
            {
                var row = new double[MixedKinds.Length];
                row[0] = 100 + random.NextDouble() * 100;
                row[1 + random.Next(3)] = 1;
                TimestampParser.Encode(new DateTime(2026, 1, 4).AddMinutes(random.Next(7 * 24 * 60)), row.AsSpan(4, 4));
                row[8] = -50 + random.NextDouble() * 10;
                rows.Add(row);
            }
            return rows;
        }

        [Theory]
        [InlineData(ScalingMethod.MinMax)]
        [InlineData(ScalingMethod.GlobalMinMax)]
        [InlineData(ScalingMethod.Standard)]
        [InlineData(ScalingMethod.Robust)]
        public void OneHotSlotsAreUnscaledAndCyclicSlotsMapOntoZeroToOneWhateverTheMethod(ScalingMethod method)
        {
            var rows = MixedRows(300, 8);

            var scaler = FeatureScaler.Fit(rows, MixedKinds, method);

            Assert.Equal(MixedKinds.Length, scaler.Count);
            for (int j = 1; j <= 3; j++)
            {
                Assert.Equal(0.0, scaler.Offset[j]);
                Assert.Equal(1.0, scaler.Scale[j]);
                Assert.Equal(1f, scaler.Transform(j, 1));
            }
            for (int j = 4; j <= 7; j++)
            {
                Assert.Equal(-1.0, scaler.Offset[j]);
                Assert.Equal(2.0, scaler.Scale[j]);
                Assert.Equal(0f, scaler.Transform(j, -1));
                Assert.Equal(0.5f, scaler.Transform(j, 0));
                Assert.Equal(1f, scaler.Transform(j, 1));
            }
            // The numeric slots are scaled by the method, as they would be without the others.
            var numericOnly = FeatureScaler.Fit(rows.Select(r => new[] { r[0], r[8] }).ToList(), 2, method);
            Assert.Equal(numericOnly.Offset[0], scaler.Offset[0], 9);
            Assert.Equal(numericOnly.Scale[0], scaler.Scale[0], 9);
            Assert.Equal(numericOnly.Offset[1], scaler.Offset[8], 9);
            Assert.Equal(numericOnly.Scale[1], scaler.Scale[8], 9);
        }

        [Fact]
        public void GlobalMinMaxRangesOverNumericSlotsOnly()
        {
            // Numeric slots all in [100, 200]: were the one-hot zeros or the cyclic -1s counted, the minimum would drop below 0.
            var rows = MixedRows(300, 9);
            foreach (var row in rows) row[8] += 200;
            double min = rows.Min(r => Math.Min(r[0], r[8]));
            double max = rows.Max(r => Math.Max(r[0], r[8]));

            var scaler = FeatureScaler.Fit(rows, MixedKinds, ScalingMethod.GlobalMinMax);

            Assert.True(min >= 100);
            Assert.Equal(min, scaler.Offset[0]);
            Assert.Equal(min, scaler.Offset[8]);
            Assert.Equal(max - min, scaler.Scale[0]);
            Assert.Equal(max - min, scaler.Scale[8]);
        }

        [Fact]
        public void FitOnNumericCountEqualsFitOnNumericKinds()
        {
            var rows = Rows(50, 10);

            var byCount = FeatureScaler.Fit(rows, Features, ScalingMethod.Robust);
            var byKinds = FeatureScaler.Fit(rows, Enumerable.Repeat(SlotKind.Numeric, Features).ToArray(), ScalingMethod.Robust);

            Assert.Equal(byCount.Offset, byKinds.Offset);
            Assert.Equal(byCount.Scale, byKinds.Scale);
        }
    
        [Fact]
        public void ARowAloneAtAnExtremeIsScoredAgainstTheOtherRowsRange()
        {
            // Column 0: row 2 alone holds the largest value, row 0 the smallest. Column 1: 9 twice (no row alone at the
            // top), row 3 alone at the bottom. Column 2 is one-hot: no range, no extremes.
            var rows = new List<double[]>
            {
                new[] { 0.0, 5, 1 }, new[] { 1.0, 9, 0 }, new[] { 10.0, 9, 1 }, new[] { 2.0, 1, 0 }, new[] { 3.0, 6, 1 },
            };
            var kinds = new[] { SlotKind.Numeric, SlotKind.Numeric, SlotKind.OneHot };
            var scaler = FeatureScaler.Fit(rows, kinds, ScalingMethod.RobustSigmoid).WithRange(rows);
            var others = scaler.OthersRanges(rows).ToDictionary(o => o.Row, o => o.Others);

            Assert.Equal(new[] { 0, 2, 3 }, others.Keys.OrderBy(k => k));
            // Row 2 to the others: column 0 ranges 0 to 3, so its 10 lies 7 / 3 ranges beyond; within the full range, nothing.
            Assert.Equal(0f, scaler.Beyond(0, 10));
            Assert.Equal((float)(7.0 / 3), others[2].Beyond(0, 10), 5);
            Assert.Equal(3.0, others[2].High(0));
            Assert.Equal(0.0, others[2].Low(0));
            Assert.Equal(9.0, others[2].High(1));
            // Row 0: column 0's low is the next value in, 1; row 3: column 1's low is 5.
            Assert.Equal(1.0, others[0].Low(0));
            Assert.Equal((float)(-1.0 / 9), others[0].Beyond(0, 0), 5);
            Assert.Equal(5.0, others[3].Low(1));
            Assert.Equal(0.0, others[3].Low(0));
            // The slot it is alone at the extreme of is scaled as the other rows scale it; the others as before.
            var column0 = FeatureScaler.Fit(rows.Where((_, i) => i != 2).Select(r => new[] { r[0] }).ToList(), 1, ScalingMethod.RobustSigmoid);
            Assert.Equal(column0.Offset[0], others[2].Offset[0]);
            Assert.Equal(column0.Scale[0], others[2].Scale[0]);
            Assert.NotEqual(scaler.Scale[0], others[2].Scale[0]);
            Assert.Equal(scaler.Offset[1], others[2].Offset[1]);
            Assert.Equal(scaler.Scale[1], others[2].Scale[1]);
            Assert.Null(others[2].Low(2));
            // Without a range (MinMax, or before WithRange) there is nothing to score beyond.
            Assert.Empty(FeatureScaler.Fit(rows, kinds, ScalingMethod.MinMax).WithRange(rows).OthersRanges(rows));
            Assert.Empty(FeatureScaler.Fit(rows, kinds, ScalingMethod.RobustSigmoid).OthersRanges(rows));
        }
    }
}
