using System;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Tests
{
    public class ThresholdRuleTests
    {
        private static readonly double[] OneToFour = { 1, 2, 3, 4 };

        [Theory]
        [InlineData(1, false)]
        [InlineData(500, false)]
        [InlineData(Statistics.HeapSortLimit, false)]
        [InlineData(Statistics.HeapSortLimit + 1, false)]
        [InlineData(100_000, false)]
        [InlineData(500, true)]
        public void SortsAsArraySortDoesOnEitherSideOfTheHeapSortLimit(int count, bool withNaN)
        {
            // Ties, both zeros, negative values; NaN first when there is one, as Array.Sort and OrderBy put it.
            var random = new Random(count);
            var values = Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 40 - 20) * (random.Next(9) == 0 ? -0.0 : 1)).ToArray();
            if (withNaN) values[count / 2] = double.NaN;
            var expected = (double[])values.Clone();
            Array.Sort(expected);
            var sorted = Statistics.Sorted(values);
            Assert.Equal(expected.Length, sorted.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(expected[i].Equals(sorted[i]) || expected[i] == sorted[i], $"position {i}: {sorted[i]} where Array.Sort has {expected[i]}");
            if (!withNaN)
                foreach (double p in new[] { 0, 1, 25, 50, 99.9, 100 })
                    Assert.Equal(Statistics.Percentile(values, p), Statistics.PercentileOfSorted(sorted, p));
        }

        [Theory]
        [InlineData(9_999)]
        [InlineData(300_000)]
        [InlineData(1_000_000)]
        public void KeepsAnEvenSampleOfTheTrainingErrorsHoweverManyThereAre(int count)
        {
            // The training errors in reverse order, 0 .. count - 1: a model trained on a million rows keeps 10,000 of them
            // (this threw IndexOutOfRangeException past about 215,000 rows: k * (n - 1) overflowed an int).
            var errors = Enumerable.Range(0, count).Select(i => (double)(count - 1 - i)).ToArray();
            var sample = AutoencoderModel.SampleSorted(errors);
            Assert.Equal(Math.Min(count, AutoencoderModel.MaxStoredErrors), sample.Length);
            Assert.Equal(0, sample[0]);
            Assert.Equal(count - 1, sample[^1]);
            for (int k = 1; k < sample.Length; k++) Assert.True(sample[k] > sample[k - 1]);
            // Evenly spaced: the middle of the sample is the median, to within one step.
            Assert.InRange(sample[sample.Length / 2], (count - 1) / 2.0 - count / (double)sample.Length, (count - 1) / 2.0 + count / (double)sample.Length);
        }

        [Fact]
        public void MeanAndPopulationStandardDeviation()
        {
            Assert.Equal(2.5, Statistics.Mean(OneToFour));
            // Population std: sqrt(((1.5^2 + 0.5^2) * 2) / 4) = sqrt(1.25); the sample std would be sqrt(5/3).
            Assert.Equal(Math.Sqrt(1.25), Statistics.StandardDeviation(OneToFour), 12);
        }

        [Theory]
        [InlineData(0.0, 2.5)]
        [InlineData(1.0, 3.6180339887498949)] // 2.5 + sqrt(1.25)
        [InlineData(2.0, 4.7360679774997898)] // 2.5 + 2 sqrt(1.25)
        public void MeanStdAddsKStandardDeviations(double k, double expected)
        {
            var rule = new ThresholdRule(ThresholdMethod.MeanStd, k);

            Assert.Equal(expected, rule.Compute(OneToFour), 12);
        }

        [Fact]
        public void MeanStdIgnoresOrder()
        {
            var rule = new ThresholdRule(ThresholdMethod.MeanStd, 1);

            Assert.Equal(rule.Compute(OneToFour), rule.Compute(new double[] { 4, 1, 3, 2 }), 12);
        }

        [Theory]
        [InlineData(50.0, 2.5)]
        [InlineData(90.0, 3.7)]
        [InlineData(100.0, 4.0)]
        [InlineData(25.0, 1.75)]
        [InlineData(1.0, 1.03)]
        public void PercentileInterpolatesLinearlyLikeNumpy(double percentile, double expected)
        {
            var rule = new ThresholdRule(ThresholdMethod.Percentile, percentile);

            Assert.Equal(expected, rule.Compute(new double[] { 3, 1, 4, 2 }), 12);
            Assert.Equal(expected, Statistics.Percentile(OneToFour, percentile), 12);
        }

        [Fact]
        public void PercentileOfUnevenValues()
        {
            // numpy.percentile([10, 20, 30, 40, 50], 10) == 14 ; ([0, 1, 10, 100], 75) == 32.5
            Assert.Equal(14.0, Statistics.Percentile(new double[] { 50, 10, 40, 20, 30 }, 10), 12);
            Assert.Equal(32.5, Statistics.Percentile(new double[] { 100, 0, 10, 1 }, 75), 12);
        }

        [Fact]
        public void OneErrorIsItsOwnThreshold()
        {
            Assert.Equal(0.25, new ThresholdRule(ThresholdMethod.Percentile, 95).Compute(new[] { 0.25 }));
            Assert.Equal(0.25, new ThresholdRule(ThresholdMethod.MeanStd, 3).Compute(new[] { 0.25 }));
        }

        [Fact]
        public void ComputeOfNoErrorsThrowsEmptyTrainingInput()
        {
            var error = Assert.Throws<AutoencoderException>(() => ThresholdRule.Default.Compute(Array.Empty<double>()));

            Assert.Equal("EmptyTrainingInput", error.ErrorId);
        }

        [Theory]
        [InlineData(ThresholdMethod.Percentile, 0.0)]
        [InlineData(ThresholdMethod.Percentile, -5.0)]
        [InlineData(ThresholdMethod.Percentile, 100.0001)]
        [InlineData(ThresholdMethod.Percentile, 101.0)]
        [InlineData(ThresholdMethod.MeanStd, -0.5)]
        [InlineData(ThresholdMethod.MeanStd, double.NaN)]
        [InlineData(ThresholdMethod.Percentile, double.NaN)]
        [InlineData(ThresholdMethod.MeanStd, double.PositiveInfinity)]
        [InlineData(ThresholdMethod.Contamination, 0.0)]
        [InlineData(ThresholdMethod.Contamination, -0.1)]
        [InlineData(ThresholdMethod.Contamination, 0.5000001)]
        [InlineData(ThresholdMethod.Contamination, 1.0)]
        [InlineData(ThresholdMethod.Contamination, 5.0)]      // a percentage given for a fraction
        [InlineData(ThresholdMethod.Contamination, double.NaN)]
        [InlineData(ThresholdMethod.Manual, -0.001)]
        [InlineData(ThresholdMethod.Manual, double.NaN)]
        [InlineData(ThresholdMethod.Manual, double.PositiveInfinity)]
        public void InvalidValuesThrow(ThresholdMethod method, double value)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdRule(method, value));

            Assert.Equal("value", error.ParamName);
        }

        [Theory]
        [InlineData(ThresholdMethod.Percentile, 0.001)]
        [InlineData(ThresholdMethod.Percentile, 100.0)]
        [InlineData(ThresholdMethod.MeanStd, 0.0)]
        [InlineData(ThresholdMethod.MeanStd, 10.0)]
        [InlineData(ThresholdMethod.Contamination, 0.5)]
        [InlineData(ThresholdMethod.Contamination, 1e-6)]
        [InlineData(ThresholdMethod.Manual, 0.0)]
        [InlineData(ThresholdMethod.Manual, 1e6)]
        public void BoundaryValuesAreAccepted(ThresholdMethod method, double value)
        {
            var rule = new ThresholdRule(method, value);

            Assert.Equal(method, rule.Method);
            Assert.Equal(value, rule.Value);
        }

        [Fact]
        public void DefaultIsTheNinetyNinthPercentileAndTheSeedRecipeIsMeanPlusOneStandardDeviation()
        {
            Assert.Equal(ThresholdMethod.Percentile, ThresholdRule.Default.Method);
            Assert.Equal(99.0, ThresholdRule.Default.Value);
            Assert.Equal(ThresholdMethod.MeanStd, ThresholdRule.SeedRecipe.Method);
            Assert.Equal(1.0, ThresholdRule.SeedRecipe.Value);
        }

        [Fact]
        public void PercentileMatchesABruteForceDefinitionOnRandomData()
        {
            var random = new Random(8);
            var values = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
            var sorted = values.OrderBy(v => v).ToArray();

            foreach (double p in new[] { 5.0, 33.3, 50.0, 95.0, 99.0 })
            {
                // numpy "linear": rank h = (n - 1) p / 100, interpolate between floor(h) and ceil(h).
                double h = (sorted.Length - 1) * p / 100;
                double expected = sorted[(int)Math.Floor(h)] + (h - Math.Floor(h)) * (sorted[(int)Math.Ceiling(h)] - sorted[(int)Math.Floor(h)]);
                Assert.Equal(expected, Statistics.Percentile(values, p), 12);
            }
        }

        private static readonly double[] OneToTen = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();

        [Fact]
        public void ContaminationIsThePercentileAboveWhichThatFractionLies()
        {
            var rule = new ThresholdRule(ThresholdMethod.Contamination, 0.1);

            // 10 % contamination: the 90th percentile; numpy.percentile(1..10, 90) == 9.1
            Assert.Equal(9.1, rule.Compute(OneToTen), 12);
            Assert.Equal(9.1, rule.Compute(OneToTen.Reverse().ToArray()), 12);
            Assert.Equal(new ThresholdRule(ThresholdMethod.Percentile, 90).Compute(OneToTen), rule.Compute(OneToTen), 12);
        }

        [Theory]
        [InlineData(0.5, 5.5)]
        [InlineData(0.25, 7.75)]
        [InlineData(0.01, 9.91)]
        public void ContaminationOfOtherFractions(double contamination, double expected)
        {
            Assert.Equal(expected, new ThresholdRule(ThresholdMethod.Contamination, contamination).Compute(OneToTen), 12);
        }

        [Fact]
        public void ContaminationFlagsThatShareOfTheErrors()
        {
            var random = new Random(9);
            var errors = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();

            double threshold = new ThresholdRule(ThresholdMethod.Contamination, 0.05).Compute(errors);

            Assert.Equal(50, errors.Count(e => e > threshold));
        }

        [Fact]
        public void ManualIsTheValueItselfWhateverTheErrors()
        {
            var rule = new ThresholdRule(ThresholdMethod.Manual, 0.125);

            Assert.Equal(0.125, rule.Compute(OneToTen));
            Assert.Equal(0.125, rule.Compute(Array.Empty<double>())); // needs no errors at all
            Assert.Equal(0.0, new ThresholdRule(ThresholdMethod.Manual, 0).Compute(OneToTen));
        }

        [Theory]
        [InlineData(ThresholdMethod.MeanStd, 1.0)]
        [InlineData(ThresholdMethod.Percentile, 99.0)]
        [InlineData(ThresholdMethod.Contamination, 0.01)]
        [InlineData(ThresholdMethod.Manual, 1.0)]
        public void DefaultValueOfEachMethodIsValid(ThresholdMethod method, double expected)
        {
            Assert.Equal(expected, ThresholdRule.DefaultValue(method));
            Assert.Equal(expected, new ThresholdRule(method, ThresholdRule.DefaultValue(method)).Value);
        }

        [Fact]
        public void ToStringSaysHowTheThresholdIsChosen()
        {
            var culture = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // the text follows the current culture
            try
            {
                ToStringInTheCurrentCulture();
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
            }
        }

        [Theory]
        [InlineData(91, "91st")]
        [InlineData(92, "92nd")]
        [InlineData(93, "93rd")]
        [InlineData(99, "99th")]
        [InlineData(11, "11th")]
        [InlineData(12, "12th")]
        [InlineData(13, "13th")]
        [InlineData(99.5, "99.5th")]
        public void APercentileReadsAsEnglishOrdinal(double value, string ordinal)
        {
            Assert.StartsWith(ordinal + " percentile of training errors", new ThresholdRule(ThresholdMethod.Percentile, value).ToString(), StringComparison.Ordinal);
            Assert.StartsWith(ordinal + " percentile of the training errors of the rows kept as normal", new ThresholdRule(ThresholdMethod.NormalPercentile, value).ToString(), StringComparison.Ordinal);
        }

        private static void ToStringInTheCurrentCulture()
        {
            Assert.Equal("mean + 2 std of training errors", new ThresholdRule(ThresholdMethod.MeanStd, 2).ToString());
            Assert.Equal("99.5th percentile of training errors: flags about 0.5% of normal rows", new ThresholdRule(ThresholdMethod.Percentile, 99.5).ToString());
            Assert.StartsWith("contamination 0.05: the top 5", new ThresholdRule(ThresholdMethod.Contamination, 0.05).ToString(), StringComparison.Ordinal);
            Assert.Equal("set by hand to 0.25", new ThresholdRule(ThresholdMethod.Manual, 0.25).ToString());
        }
    }
}
