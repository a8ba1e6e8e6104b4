using System;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests
{
    public class DetectionMetricsTests
    {
        [Fact]
        public void ConfusionCountsAndRatiosMatchAHandComputedExample()
        {
            //            TP     TP    FN     FP     FP     FP     TN     TN
            var truth = new[] { true, true, true, false, false, false, false, false };
            var said = new[] { true, true, false, true, true, true, false, false };
            var scores = new[] { 0.9, 0.8, 0.1, 0.7, 0.6, 0.5, 0.2, 0.3 };

            var m = DetectionMetrics.Compute(truth, said, scores);

            Assert.Equal(2, m.TruePositive);
            Assert.Equal(1, m.FalseNegative);
            Assert.Equal(3, m.FalsePositive);
            Assert.Equal(2, m.TrueNegative);
            Assert.Equal(8, m.Count);
            Assert.Equal(0.5, m.Accuracy, 12);       // (2 + 2) / 8
            Assert.Equal(0.4, m.Precision, 12);      // 2 / 5
            Assert.Equal(2.0 / 3.0, m.Recall, 12);   // 2 / 3
            Assert.Equal(0.5, m.F1, 12);             // 2 TP / (2 TP + FP + FN) = 4 / 8
            // Anomaly scores {0.9, 0.8, 0.1} against normals {0.7, 0.6, 0.5, 0.2, 0.3}: 10 of 15 pairs ordered.
            Assert.Equal(10.0 / 15.0, m.RocAuc, 12);
        }

        [Fact]
        public void TiesCountOneHalf()
        {
            // Anomalies {0.9, 0.5}, normals {0.5, 0.1, 0.3}: 0.9 beats all three, 0.5 ties one and beats two.
            var truth = new[] { true, false, true, false, false };
            var scores = new[] { 0.9, 0.5, 0.5, 0.1, 0.3 };

            Assert.Equal(5.5 / 6.0, DetectionMetrics.RocAucOf(truth, scores), 12);
        }

        [Fact]
        public void AllScoresEqualGiveOneHalf()
        {
            var truth = new[] { true, false, false, true, false };

            Assert.Equal(0.5, DetectionMetrics.RocAucOf(truth, new double[5]), 12);
        }

        [Fact]
        public void PerfectSeparationIsOneAndReversedIsZero()
        {
            var truth = new[] { false, true, false, true, true, false };
            var perfect = new[] { 0.1, 5.0, 0.2, 3.0, 4.0, 0.3 };

            Assert.Equal(1.0, DetectionMetrics.RocAucOf(truth, perfect));
            Assert.Equal(0.0, DetectionMetrics.RocAucOf(truth, perfect.Select(s => -s).ToArray()));
        }

        [Fact]
        public void OneClassAbsentGivesNaN()
        {
            var scores = new[] { 0.1, 0.2, 0.3 };

            Assert.True(double.IsNaN(DetectionMetrics.RocAucOf(new[] { true, true, true }, scores)));
            Assert.True(double.IsNaN(DetectionMetrics.RocAucOf(new[] { false, false, false }, scores)));
            Assert.True(double.IsNaN(DetectionMetrics.Compute(new[] { false, false, false }, new[] { false, true, false }, scores).RocAuc));
        }

        [Fact]
        public void RocAucMatchesPairwiseCountingOnRandomScoresWithTies()
        {
            var random = new Random(17);
            for (int trial = 0; trial < 20; trial++)
            {
                int n = random.Next(5, 60);
                var truth = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3).ToArray();
                truth[0] = true;
                truth[1] = false;
                // Scores rounded to one decimal, so ties are frequent; anomalies lean higher.
                var scores = truth.Select(a => Math.Round(random.NextDouble() + (a ? 0.3 : 0), 1)).ToArray();

                double wins = 0;
                int pairs = 0;
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < n; k++)
                        if (truth[i] && !truth[k])
                        {
                            pairs++;
                            wins += scores[i] > scores[k] ? 1 : scores[i] == scores[k] ? 0.5 : 0;
                        }

                Assert.Equal(wins / pairs, DetectionMetrics.RocAucOf(truth, scores), 12);
            }
        }

        [Fact]
        public void NothingPredictedGivesNaNPrecisionAndF1()
        {
            var m = DetectionMetrics.Compute(new[] { true, false }, new[] { false, false }, new[] { 0.2, 0.1 });

            Assert.True(double.IsNaN(m.Precision));
            Assert.Equal(0.0, m.Recall);
            Assert.True(double.IsNaN(m.F1));
            Assert.Equal(0.5, m.Accuracy);
            Assert.Equal(1.0, m.RocAuc);
        }

        [Fact]
        public void NoRowsGiveNaNRatios()
        {
            var m = DetectionMetrics.Compute(Array.Empty<bool>(), Array.Empty<bool>(), Array.Empty<double>());

            Assert.Equal(0, m.Count);
            Assert.True(double.IsNaN(m.Accuracy));
            Assert.True(double.IsNaN(m.RocAuc));
        }

        [Fact]
        public void MismatchedLengthsThrow()
        {
            Assert.Throws<ArgumentException>(() =>
                DetectionMetrics.Compute(new[] { true, false }, new[] { true }, new[] { 0.1, 0.2 }));
            Assert.Throws<ArgumentException>(() =>
                DetectionMetrics.Compute(new[] { true, false }, new[] { true, false }, new[] { 0.1 }));
        }
    }
}
