using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// Each feature's reconstruction error in units of its own typical training error. Features differ in how well the
    /// others predict them: a metric tied to others (green and red light of one tree, bytes in and packets in) is
    /// reconstructed closely, a noisy one (a texture measure, a queue length) is not, on any row. Summed as they are, the
    /// noisy features' errors set every row's score, and a row whose tied features disagree, a broken correlation that
    /// is ordinary feature by feature, drowns in that noise. So after training each feature gets a weight: the mean of
    /// the features' typical errors over its own (the mean error of its inputs over the training rows robust training
    /// kept, pooled over a window's time steps and a category's slots), and a row's score is the mean of its weighted
    /// errors: a diagonal Mahalanobis distance of the residuals. A feature's typical error is floored at
    /// <see cref="Floor"/> of the features' mean, so a feature reconstructed almost exactly (a constant, a category
    /// always the same) weighs at most 1 / Floor.
    /// <para>
    /// Measured (.docs/odds.md): ODDS unsupervised 0.830 -> 0.854, clean 0.883 -> 0.906, mostly wilt, where green and
    /// red correlate at 0.97 in the inliers and the outliers break it while their values stay ordinary (the others
    /// explain under a quarter of each other feature). Other sets within -0.015 .. +0.019; ECG5000 0.9933 -> 0.9929.
    /// A sliding-window model of one metric has one feature: its weight is 1 and nothing changes.
    /// </para>
    /// </summary>
    public sealed class ErrorWeights
    {
        /// <summary>The smallest typical error a feature is given, as a share of the features' mean: its weight is at most 1 / Floor.</summary>
        public const double Floor = 0.1;

        private readonly double[] perFeature;

        /// <summary>Weights per column of the schema (finite, positive).</summary>
        public ErrorWeights(IReadOnlyList<double> perFeature)
        {
            if (perFeature == null) throw new ArgumentNullException(nameof(perFeature));
            if (perFeature.Any(w => !(w > 0) || double.IsInfinity(w)))
                throw new ArgumentException("Every error weight is a positive finite number.", nameof(perFeature));
            this.perFeature = perFeature.ToArray();
        }

        /// <summary>Per column of the schema: how much one unit of its error counts in the score.</summary>
        public IReadOnlyList<double> PerFeature => perFeature;

        /// <summary>
        /// The weights learnt from the training rows' per-input errors (<paramref name="errors"/>, n rows of
        /// <paramref name="width"/> inputs: a window's input j is row slot j mod the schema's width), over the rows
        /// whose (unweighted) score is among the lowest 1 - <paramref name="trimmedShare"/>: the rows robust training kept.
        /// <paramref name="filledIn"/> gives each row's inputs filled in for missing values (or null), which are left out.
        /// </summary>
        public static ErrorWeights Learn(FeatureSchema schema, float[] errors, int n, int width, IReadOnlyList<double> scores, double trimmedShare,
            int[]?[]? filledIn = null)
        {
            int rowWidth = schema.Width;
            if (width % rowWidth != 0) throw new ArgumentException("A window holds whole rows of the schema.", nameof(width));
            // The kept rows: those at or below the score at the kept share (ties kept), at least one.
            var sorted = scores.ToArray();
            Array.Sort(sorted);
            int keep = Math.Clamp((int)Math.Ceiling(n * (1 - trimmedShare)), 1, n);
            double cut = sorted[keep - 1];
            var sums = new double[schema.Count];
            var counts = new long[schema.Count];
            var columnOf = new int[rowWidth];
            for (int c = 0; c < schema.Count; c++)
                for (int k = 0; k < schema.WidthOf(c); k++) columnOf[schema.FirstSlot(c) + k] = c;
            for (int i = 0; i < n; i++)
            {
                if (!(scores[i] <= cut)) continue;
                // The inputs filled in for missing values were not measured: they have no error.
                var skip = filledIn?[i];
                for (int j = 0; j < width; j++)
                {
                    if (skip != null && Array.IndexOf(skip, j) >= 0) continue;
                    int c = columnOf[j % rowWidth];
                    sums[c] += errors[(long)i * width + j];
                    counts[c]++;
                }
            }
            var typical = new double[schema.Count];
            for (int c = 0; c < typical.Length; c++) typical[c] = counts[c] > 0 ? sums[c] / counts[c] : 0;
            double mean = typical.Average();
            var weights = new double[typical.Length];
            for (int c = 0; c < weights.Length; c++)
                weights[c] = mean > 0 && double.IsFinite(mean) ? mean / Math.Max(typical[c], Floor * mean) : 1;
            return new ErrorWeights(weights);
        }

        /// <summary>Per network input of <paramref name="width"/> (a row, or a window of rows of <paramref name="schema"/>): its feature's weight.</summary>
        public double[] PerInput(FeatureSchema schema, int width)
        {
            if (schema.Count != perFeature.Length) throw new ArgumentException("One weight per column of the schema.", nameof(schema));
            int rowWidth = schema.Width;
            var slots = new double[rowWidth];
            for (int c = 0; c < schema.Count; c++)
                for (int k = 0; k < schema.WidthOf(c); k++) slots[schema.FirstSlot(c) + k] = perFeature[c];
            var inputs = new double[width];
            for (int j = 0; j < width; j++) inputs[j] = slots[j % rowWidth];
            return inputs;
        }

        /// <summary>Weighs <paramref name="errors"/> (n rows of per-input errors, <paramref name="perInput"/>'s width) in place.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static void Apply(float[] errors, int n, double[] perInput)
        {
            int d = perInput.Length;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++)
                    errors[i * d + j] = (float)(errors[i * d + j] * perInput[j]);
        }

        /// <summary>"cpu 0.82, mem 2.4": each feature's weight, for the training log.</summary>
        public string Describe(FeatureSchema schema) =>
            string.Join(", ", schema.Columns.Select((c, i) => c.Name + " " + perFeature[i].ToString("G3", CultureInfo.InvariantCulture)));
    }
}
