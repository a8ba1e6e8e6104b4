using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>Comparisons of scores from two scoring calls.</summary>
    internal static class ScoreAssert
    {
        /// <summary>
        /// Scores agree up to float rounding in the forward pass :
        /// far below any difference that matters, far above what two different networks give.
        /// </summary>
        public const double Tolerance = 1e-6;

        public static void Close(IReadOnlyList<RowScore> expected, IReadOnlyList<RowScore> actual)
        {
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Close(expected[i].Score, actual[i].Score, $"score of row {i}");
                Assert.Equal(expected[i].IsAnomaly, actual[i].IsAnomaly);
                Assert.Equal(expected[i].TopFeature, actual[i].TopFeature);
                Assert.Equal(expected[i].FeatureErrors.Count, actual[i].FeatureErrors.Count);
                for (int j = 0; j < expected[i].FeatureErrors.Count; j++)
                    Close(expected[i].FeatureErrors[j], actual[i].FeatureErrors[j], $"error of row {i} feature {j}");
            }
        }

        public static void Close(double expected, double actual, string what)
        {
            double allowed = Tolerance * (1 + Math.Abs(expected));
            Assert.True(Math.Abs(expected - actual) <= allowed, $"{what}: expected {expected:R}, got {actual:R}");
        }

        /// <summary>Every score, feature error and reconstruction is the same double, bit for bit.</summary>
        public static void Identical(IReadOnlyList<RowScore> expected, IReadOnlyList<RowScore> actual)
        {
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].Score), BitConverter.DoubleToInt64Bits(actual[i].Score));
                Assert.Equal(expected[i].FeatureErrors.Select(BitConverter.SingleToInt32Bits), actual[i].FeatureErrors.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(expected[i].Reconstruction.Select(BitConverter.DoubleToInt64Bits), actual[i].Reconstruction.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(expected[i].IsAnomaly, actual[i].IsAnomaly);
                Assert.Equal(expected[i].TopFeature, actual[i].TopFeature);
            }
        }
    }
}
