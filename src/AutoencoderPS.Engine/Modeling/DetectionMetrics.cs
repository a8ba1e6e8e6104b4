using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>Detection quality with the anomaly class as the positive class.</summary>
    public sealed class DetectionMetrics
    {
        public int TruePositive { get; private set; }
        public int FalsePositive { get; private set; }
        public int TrueNegative { get; private set; }
        public int FalseNegative { get; private set; }
        public int Count => TruePositive + FalsePositive + TrueNegative + FalseNegative;
        public double Accuracy => Ratio(TruePositive + TrueNegative, Count);
        public double Precision => Ratio(TruePositive, TruePositive + FalsePositive);
        public double Recall => Ratio(TruePositive, TruePositive + FalseNegative);
        public double F1 => Precision + Recall > 0 ? 2 * Precision * Recall / (Precision + Recall) : double.NaN;

        /// <summary>Area under the ROC curve of the scores; NaN when one class is absent.</summary>
        public double RocAuc { get; private set; }

        /// <param name="isAnomaly">The true label of each row.</param>
        /// <param name="predicted">What the detector said of each row.</param>
        /// <param name="scores">The anomaly score of each row (higher = more anomalous).</param>
        public static DetectionMetrics Compute(IReadOnlyList<bool> isAnomaly, IReadOnlyList<bool> predicted, IReadOnlyList<double> scores)
        {
            if (isAnomaly.Count != predicted.Count || isAnomaly.Count != scores.Count)
                throw new ArgumentException("Labels, predictions and scores must have the same length.");
            var m = new DetectionMetrics();
            for (int i = 0; i < isAnomaly.Count; i++)
            {
                if (isAnomaly[i]) { if (predicted[i]) m.TruePositive++; else m.FalseNegative++; }
                else { if (predicted[i]) m.FalsePositive++; else m.TrueNegative++; }
            }
            m.RocAuc = RocAucOf(isAnomaly, scores);
            return m;
        }

        /// <summary>
        /// ROC-AUC as the Mann-Whitney statistic: the chance that a random anomaly scores above a random
        /// normal row, ties counting one half (average ranks).
        /// </summary>
        public static double RocAucOf(IReadOnlyList<bool> isAnomaly, IReadOnlyList<double> scores)
        {
            if (isAnomaly.Count != scores.Count)
                throw new ArgumentException("Labels and scores must have the same length.");
            int n = scores.Count;
            var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
            var ranks = new double[n];
            for (int start = 0; start < n;)
            {
                int end = start;
                while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) end++;
                double averageRank = (start + end) / 2.0 + 1;
                for (int k = start; k <= end; k++) ranks[order[k]] = averageRank;
                start = end + 1;
            }
            long positives = isAnomaly.Count(a => a);
            long negatives = n - positives;
            if (positives == 0 || negatives == 0) return double.NaN;
            double positiveRankSum = 0;
            for (int i = 0; i < n; i++) if (isAnomaly[i]) positiveRankSum += ranks[i];
            return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
        }

        private static double Ratio(int numerator, int denominator) => denominator > 0 ? (double)numerator / denominator : double.NaN;
    }
}
