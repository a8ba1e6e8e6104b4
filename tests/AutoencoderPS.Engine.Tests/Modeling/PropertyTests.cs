using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Numerics;

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

        // Values as metrics exports hold them: small and large, fractional and whole, and repeated ones.
        private static readonly Gen<double> NumericValues = Gen.OneOf(
            Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1000.0),
            Gen.Choose(-1000, 1000).Select(i => i * 1e9),
            Gen.Elements(0.0, -0.0, 1e-9, 42.0, 42.0));

        private static Gen<double> SlotValues(SlotKind kind) => kind switch
        {
            SlotKind.OneHot => Gen.Elements(0.0, 1.0),
            SlotKind.Cyclic => Gen.Choose(-1000, 1000).Select(i => i / 1000.0),
            _ => NumericValues,
        };

        private static readonly Arbitrary<(SlotKind[] Kinds, double[][] Rows, ScalingMethod Method, double[] Probe)> ScalingCases = Arb.From(
            from width in Gen.Choose(1, 5)
            from kinds in Gen.ArrayOf(Gen.Elements(SlotKind.Numeric, SlotKind.Numeric, SlotKind.OneHot, SlotKind.Cyclic), width)
            from count in Gen.Choose(1, 30)
            from rows in Gen.ArrayOf(Gen.CollectToArray(kinds.Select(SlotValues)), count)
            from method in Gen.Elements(Enum.GetValues<ScalingMethod>())
            from probe in Gen.CollectToArray(kinds.Select(SlotValues))
            select (kinds, rows, method, probe));

        private static bool RoundTrips(FeatureScaler scaler, int j, double x)
        {
            double o = scaler.Offset[j];
            double back = scaler.Inverse(j, scaler.Transform(j, x));
            return Math.Abs(back - x) <= 1e-6 * (Math.Abs(x - o) + Math.Abs(o)) + 1e-12;
        }

        private static double Median(double[] values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        }

        [Property(MaxTest = 500)]
        public Property AFittedScalerRoundTripsAndFollowsItsMethodsDefinition() =>
            Prop.ForAll(ScalingCases, c =>
            {
                var (kinds, rows, method, probe) = c;
                var scaler = FeatureScaler.Fit(rows, kinds, method);
                var numeric = Enumerable.Range(0, kinds.Length).Where(j => kinds[j] == SlotKind.Numeric).ToArray();
                double[] Column(int j) => rows.Select(r => r[j]).ToArray();

                Assert.Equal(kinds.Length, scaler.Count);
                Assert.Equal(method, scaler.Method);
                for (int j = 0; j < kinds.Length; j++)
                {
                    Assert.True(double.IsFinite(scaler.Offset[j]) && scaler.Scale[j] > 0 && double.IsFinite(scaler.Scale[j]), $"slot {j}");
                    // Every training value and an unseen one come back through Transform and Inverse, up to float precision.
                    // (RobustSigmoid's curve flattens in the tails: a float keeps only the values near the middle exactly.)
                    if (method != ScalingMethod.RobustSigmoid || kinds[j] != SlotKind.Numeric)
                        Assert.All(Column(j).Append(probe[j]), x => Assert.True(RoundTrips(scaler, j, x), $"slot {j}: {x:R}"));
                    if (kinds[j] == SlotKind.OneHot) Assert.True(scaler.Offset[j] == 0 && scaler.Scale[j] == 1, $"one-hot slot {j}");
                    if (kinds[j] == SlotKind.Cyclic) Assert.True(scaler.Transform(j, -1) == 0 && scaler.Transform(j, 1) == 1, $"cyclic slot {j}");
                }
                foreach (int j in numeric)
                {
                    var column = Column(j);
                    double spread = column.Max() - column.Min();
                    var scaled = column.Select(x => (double)scaler.Transform(j, x)).ToArray();
                    switch (method)
                    {
                        case ScalingMethod.MinMax:
                            Assert.Equal(column.Min(), scaler.Offset[j]);
                            Assert.Equal(spread > 1e-12 ? spread : 1.0, scaler.Scale[j]);
                            Assert.All(scaled, v => Assert.InRange(v, 0.0, 1.0));
                            Assert.Equal(0.0, scaled.Min());
                            if (spread > 1e-12) Assert.Equal(1.0, scaled.Max(), 6);
                            break;
                        case ScalingMethod.GlobalMinMax:
                            // One range over all numeric slots: every numeric slot shares it and lands in [0, 1].
                            double min = numeric.Min(k => Column(k).Min()), max = numeric.Max(k => Column(k).Max());
                            Assert.Equal(min, scaler.Offset[j]);
                            Assert.Equal(max - min > 1e-12 ? max - min : 1.0, scaler.Scale[j]);
                            Assert.All(scaled, v => Assert.InRange(v, 0.0, 1.0));
                            break;
                        case ScalingMethod.Standard:
                            // Zero mean and unit (population) standard deviation on the training rows.
                            double mean = scaled.Average();
                            double std = Math.Sqrt(scaled.Sum(v => (v - mean) * (v - mean)) / scaled.Length);
                            Assert.True(Math.Abs(mean) < 1e-5, $"slot {j}: mean {mean:R}");
                            if (spread > 1e-9 * (Math.Abs(column.Max()) + Math.Abs(column.Min())) && spread > 1e-12)
                                Assert.True(Math.Abs(std - 1) < 1e-4, $"slot {j}: standard deviation {std:R}");
                            break;
                        case ScalingMethod.Robust:
                            // The median goes to zero; the scale is the inter-quartile range, or the full range if that is zero.
                            double median = Median(column);
                            Assert.True(Math.Abs(median - scaler.Offset[j]) <= 1e-12 * (1 + Math.Abs(median)), $"slot {j}: median {median:R}, offset {scaler.Offset[j]:R}");
                            double iqr = Statistics.Percentile(column, 75) - Statistics.Percentile(column, 25);
                            Assert.Equal(iqr > 1e-12 ? iqr : spread > 1e-12 ? spread : 1.0, scaler.Scale[j]);
                            break;
                        case ScalingMethod.RobustSigmoid:
                        {
                            // The median goes to 0.5, every value into [0, 1], and the order of the values is kept.
                            double m = Median(column);
                            Assert.True(Math.Abs(m - scaler.Offset[j]) <= 1e-12 * (1 + Math.Abs(m)), $"slot {j}: median {m:R}, offset {scaler.Offset[j]:R}");
                            Assert.All(scaled, v => Assert.InRange(v, 0.0, 1.0));
                            var order = column.Select((x, i) => (x, v: scaled[i])).OrderBy(t => t.x).ToArray();
                            for (int i = 1; i < order.Length; i++) Assert.True(order[i].v >= order[i - 1].v, $"slot {j}: not monotone");
                            Assert.Equal(0.5, scaler.Transform(j, scaler.Offset[j]), 6);
                            break;
                        }
                    }
                }
            });

        [Property(MaxTest = 300)]
        public bool PercentileIsMonotonicInP(NonEmptyArray<NormalFloat> values, byte p, byte q)
        {
            var v = values.Get.Select(f => f.Get).ToArray();
            double lo = Math.Min(p, q) * 100.0 / 255, hi = Math.Max(p, q) * 100.0 / 255;
            double a = Statistics.Percentile(v, lo), b = Statistics.Percentile(v, hi);
            return a <= b && a >= v.Min() && b <= v.Max()
                && Statistics.Percentile(v, 0) == v.Min() && Statistics.Percentile(v, 100) == v.Max();
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

        [Property(MaxTest = 300)]
        public bool PrecisionRecallAndF1AgreeWithTheirDefinitions(NonEmptyArray<Tuple<bool, bool>> rows)
        {
            var labels = rows.Get.Select(r => r.Item1).ToArray();
            var predicted = rows.Get.Select(r => r.Item2).ToArray();
            var m = DetectionMetrics.Compute(labels, predicted, new double[labels.Length]);
            int tp = m.TruePositive, fp = m.FalsePositive, fn = m.FalseNegative;
            bool cells = tp + fp + m.TrueNegative + fn == labels.Length
                && fp == Enumerable.Range(0, labels.Length).Count(i => !labels[i] && predicted[i]);
            // Undefined (NaN) exactly when the denominator is zero; otherwise the textbook ratios.
            bool precision = tp + fp == 0 ? double.IsNaN(m.Precision) : m.Precision == (double)tp / (tp + fp);
            bool recall = tp + fn == 0 ? double.IsNaN(m.Recall) : m.Recall == (double)tp / (tp + fn);
            bool f1 = tp == 0 ? double.IsNaN(m.F1) || m.F1 == 0 : Math.Abs(m.F1 - 2.0 * tp / (2.0 * tp + fp + fn)) < 1e-12;
            bool between = tp == 0 || (m.F1 >= Math.Min(m.Precision, m.Recall) - 1e-12 && m.F1 <= Math.Max(m.Precision, m.Recall) + 1e-12);
            return cells && precision && recall && f1 && between;
        }

        [Property(MaxTest = 300)]
        public bool RocAucDependsOnlyOnTheOrderOfTheScores(NonEmptyArray<Tuple<bool, NormalFloat>> rows)
        {
            var labels = rows.Get.Select(r => r.Item1).ToArray();
            var scores = rows.Get.Select(r => Math.Clamp(r.Item2.Get, -1e100, 1e100)).ToArray();
            double auc = DetectionMetrics.RocAucOf(labels, scores);
            if (labels.All(l => l) || labels.All(l => !l)) return double.IsNaN(auc);
            // A strictly increasing transform (here: each score replaced by its rank among the distinct scores) keeps it;
            // reversing the order gives its complement.
            var distinct = scores.Distinct().OrderBy(s => s).ToList();
            double monotone = DetectionMetrics.RocAucOf(labels, scores.Select(s => (double)distinct.BinarySearch(s)).ToArray());
            double reversed = DetectionMetrics.RocAucOf(labels, scores.Select(s => -s).ToArray());
            return auc >= 0 && auc <= 1 && Math.Abs(auc - monotone) < 1e-12 && Math.Abs(auc + reversed - 1) < 1e-12;
        }
    }
}
