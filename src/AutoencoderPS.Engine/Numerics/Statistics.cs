using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Numerics
{
    /// <summary>The summary statistics that thresholds, scaling and metrics share, each computed the way numpy does by default.</summary>
    public static class Statistics
    {
        public static double Mean(IReadOnlyList<double> values) => values.Sum() / values.Count;

        /// <summary>Population standard deviation (as numpy's default, which the seed recipe used).</summary>
        public static double StandardDeviation(IReadOnlyList<double> values)
        {
            double mean = Mean(values);
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        }

        /// <summary>Percentile with linear interpolation between closest ranks (numpy's default).</summary>
        public static double Percentile(IReadOnlyList<double> values, double percentile)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            double position = percentile / 100.0 * (sorted.Length - 1);
            int lower = (int)Math.Floor(position);
            int upper = Math.Min(lower + 1, sorted.Length - 1);
            return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
        }
    }
}
