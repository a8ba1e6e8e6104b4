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

        /// <summary>
        /// The values in ascending order, in a new array (Array.Sort: a million values sort in tens of milliseconds, where
        /// LINQ's OrderBy takes most of a second; equal values are equal, so the result is the same).
        /// </summary>
        public static double[] Sorted(IEnumerable<double> values)
        {
            var sorted = values.ToArray();
            Array.Sort(sorted);
            return sorted;
        }

        /// <summary>Percentile with linear interpolation between closest ranks (numpy's default).</summary>
        public static double Percentile(IReadOnlyList<double> values, double percentile)
        {
            var sorted = Sorted(values);
            double position = percentile / 100.0 * (sorted.Length - 1);
            int lower = (int)Math.Floor(position);
            int upper = Math.Min(lower + 1, sorted.Length - 1);
            return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
        }
    }
}
