using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine;
using Xunit;

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
    }
}
