using System;
using System.Linq;
using AutoencoderPS.Engine;
using FsCheck;
using FsCheck.Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>FsCheck properties (issue 8): invariants that hold for any input, not just the examples of the other tests.</summary>
    public sealed class PropertyTests
    {
        [Property(MaxTest = 500)]
        public bool ScalingThenInverseRoundTripsWithinFloatPrecision(NormalFloat value, NormalFloat offset, PositiveInt scaleSeed)
        {
            double x = value.Get, o = offset.Get, scale = scaleSeed.Get / 7.0;
            var scaler = new FeatureScaler(ScalingMethod.MinMax, new[] { o }, new[] { scale });
            double scaled = (x - o) / scale;
            if (Math.Abs(scaled) > 1e30) return true;   // beyond float range: clamped at scoring, not round-tripped
            double back = scaler.Inverse(0, scaler.Transform(0, x));
            return Math.Abs(back - x) <= 1e-6 * (Math.Abs(x - o) + Math.Abs(o)) + 1e-12;
        }

        [Property(MaxTest = 300)]
        public bool PercentileIsMonotonicInP(NonEmptyArray<NormalFloat> values, byte p, byte q)
        {
            var v = values.Get.Select(f => f.Get).ToArray();
            double lo = Math.Min(p, q) * 100.0 / 255, hi = Math.Max(p, q) * 100.0 / 255;
            double a = ThresholdRule.Percentile(v, lo), b = ThresholdRule.Percentile(v, hi);
            return a <= b && a >= v.Min() && b <= v.Max()
                && ThresholdRule.Percentile(v, 0) == v.Min() && ThresholdRule.Percentile(v, 100) == v.Max();
        }

        [Property(MaxTest = 300)]
        public bool DetectionMetricsStayInRangeAndAgreeWithTheirDefinitions(NonEmptyArray<Tuple<bool, bool, NormalFloat>> rows)
        {
            var labels = rows.Get.Select(r => r.Item1).ToArray();
            var predicted = rows.Get.Select(r => r.Item2).ToArray();
            var scores = rows.Get.Select(r => r.Item3.Get).ToArray();
            var m = DetectionMetrics.Compute(labels, predicted, scores);
            int n = labels.Length;
            int tp = Enumerable.Range(0, n).Count(i => labels[i] && predicted[i]);
            int tn = Enumerable.Range(0, n).Count(i => !labels[i] && !predicted[i]);
            bool counts = m.Count == n && m.TruePositive == tp && m.TrueNegative == tn
                && m.TruePositive + m.FalseNegative == labels.Count(l => l);
            bool accuracy = m.Accuracy == (double)(tp + tn) / n && m.Accuracy >= 0 && m.Accuracy <= 1;
            bool ratios = new[] { m.Precision, m.Recall, m.F1 }.All(r => double.IsNaN(r) || (r >= 0 && r <= 1));

            // ROC-AUC against its definition: P(score of an anomaly > score of a normal row), ties counting one half.
            var pos = Enumerable.Range(0, n).Where(i => labels[i]).ToArray();
            var neg = Enumerable.Range(0, n).Where(i => !labels[i]).ToArray();
            bool auc;
            if (pos.Length == 0 || neg.Length == 0) auc = double.IsNaN(m.RocAuc);
            else
            {
                double wins = pos.Sum(i => neg.Sum(j => scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0));
                double expected = wins / ((double)pos.Length * neg.Length);
                auc = m.RocAuc >= 0 && m.RocAuc <= 1 && Math.Abs(m.RocAuc - expected) < 1e-9;
            }
            return counts && accuracy && ratios && auc;
        }
    }
}
