using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// The trimmed loss of robust training. An autoencoder trained on every row of a baseline learns to reconstruct the
    /// outliers in it too, and then scores them as normal. After a few warm-up epochs, when the network reproduces the
    /// bulk of the rows but not yet the rare ones, the rows with the largest reconstruction errors are left out of each
    /// epoch's gradient steps: the network spends its capacity on the rows it should call normal. The share left out is
    /// the expected contamination when the user gives it, otherwise estimated once from the warm-up errors by
    /// <see cref="EstimateShare"/>; on a clean baseline that estimate is near zero, so trimming changes little there.
    /// </summary>
    public static class RobustTrimming
    {
        /// <summary>Never more than this share of the rows is left out: beyond it "outliers" would be the majority.</summary>
        public const double MaxShare = 0.5;

        /// <summary>The fence of <see cref="EstimateShare"/>, in robust standard deviations of the log errors above their median.</summary>
        public const double FenceDeviations = 3.0;

        /// <summary>
        /// Epochs trained on every row before trimming starts: a tenth of the run, at least one. Short on purpose: a network
        /// with capacity to spare learns a dense group of outliers within a few hundred steps, and then they no longer
        /// stand out. After a short warm-up the network reproduces the bulk of the rows roughly (its mean and main
        /// directions), so the largest errors are the rows farthest from that bulk.
        /// </summary>
        public static int WarmupEpochs(int epochs) => Math.Max(1, epochs / 10);

        /// <summary>
        /// The share of rows whose error lies beyond a robust fence: on a log scale (reconstruction errors are positive and
        /// right-skewed; their logarithm is close to symmetric in its bulk), more than <see cref="FenceDeviations"/> robust
        /// standard deviations (1.4826 x the median absolute deviation) above the median. Median and MAD ignore the tail
        /// they are measuring, so a few huge errors do not hide themselves by inflating the spread, as they would a mean
        /// and standard deviation. For errors without a tail the share is near zero (0.13% for a normal bulk).
        /// </summary>
        public static double EstimateShare(IReadOnlyList<double> errors)
        {
            if (errors.Count < 2) return 0;
            var logs = errors.Select(e => Math.Log(Math.Max(e, 1e-12))).ToArray();
            double median = Statistics.Percentile(logs, 50);
            double mad = Statistics.Percentile(logs.Select(l => Math.Abs(l - median)).ToArray(), 50) * 1.4826;
            if (!(mad > 0)) return 0;
            double fence = median + FenceDeviations * mad;
            double share = logs.Count(l => l > fence) / (double)logs.Length;
            return Math.Min(share, MaxShare);
        }

        /// <summary>
        /// The rows kept for an epoch's gradient steps: all but the <paramref name="share"/> with the largest errors
        /// (ties broken by row number, so a run is repeatable).
        /// </summary>
        public static long[] Kept(IReadOnlyList<double> errors, double share)
        {
            int n = errors.Count;
            int drop = (int)Math.Floor(Math.Clamp(share, 0, MaxShare) * n);
            if (drop <= 0) return Enumerable.Range(0, n).Select(i => (long)i).ToArray();
            // The kept rows are those below the cut in the order (error, row number): the row at rank n - drop - 1 of
            // that order is the last one kept. One sort of the errors alone finds its error; rows with a smaller error
            // are kept, and of the rows with exactly that error the ones with the lowest row numbers, as many as fit.
            // The same rows as sorting all rows by (error, row number), without that sort's comparison delegate per pair
            // (n log n delegate calls every epoch: a 57,000-row baseline such as smtp's spent more time there than in
            // its robust error passes).
            var values = errors as double[] ?? errors.ToArray();
            var sorted = (double[])values.Clone();
            Statistics.SortInPlace(sorted);
            int keep = n - drop;
            double cut = sorted[keep - 1];
            int below = 0;
            while (below < keep && sorted[below].CompareTo(cut) < 0) below++;
            int tiesToKeep = keep - below;
            var kept = new long[keep];
            int at = 0;
            for (int i = 0; i < n; i++)
            {
                int c = values[i].CompareTo(cut);
                if (c < 0 || (c == 0 && tiesToKeep-- > 0)) kept[at++] = i;
            }
            return kept;
        }
    }
}
