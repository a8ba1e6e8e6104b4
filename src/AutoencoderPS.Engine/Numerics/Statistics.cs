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

        /// <summary>Arrays up to this long are sorted by <see cref="SortInPlace"/>'s own heapsort, longer ones by Array.Sort.</summary>
        internal const int HeapSortLimit = 16_384;

        /// <summary>
        /// Sorts <paramref name="values"/> ascending, in place (NaN first, as Array.Sort and LINQ's OrderBy put it). Up to
        /// <see cref="HeapSortLimit"/> values without NaN: a heapsort compiled with the engine (ReadyToRun), because the
        /// framework has no precompiled Array.Sort for double, so the first sorts of a process (a small training set) ran
        /// as unoptimized code: about 7% of the first training's samples. Longer arrays: Array.Sort, whose introsort keeps
        /// to the cache (a million values: 3.4 s by heapsort against well under a second). Equal values are
        /// interchangeable (only -0 and +0 compare equal yet differ, and they add alike), so both give the same result.
        /// </summary>
        public static void SortInPlace(double[] values)
        {
            if (values.Length > HeapSortLimit || ContainsNaN(values))
            {
                Array.Sort(values);
                return;
            }
            int n = values.Length;
            for (int start = n / 2 - 1; start >= 0; start--) SiftDown(values, start, n);
            for (int end = n - 1; end > 0; end--)
            {
                (values[0], values[end]) = (values[end], values[0]);
                SiftDown(values, 0, end);
            }
        }

        private static bool ContainsNaN(double[] values)
        {
            foreach (double v in values)
                if (double.IsNaN(v)) return true;
            return false;
        }

        private static void SiftDown(double[] heap, int root, int count)
        {
            double value = heap[root];
            while (true)
            {
                int child = 2 * root + 1;
                if (child >= count) break;
                if (child + 1 < count && heap[child + 1] > heap[child]) child++;
                if (heap[child] <= value) break;
                heap[root] = heap[child];
                root = child;
            }
            heap[root] = value;
        }

        /// <summary>The values in ascending order, in a new array (<see cref="SortInPlace"/>).</summary>
        public static double[] Sorted(IEnumerable<double> values)
        {
            var sorted = values.ToArray();
            SortInPlace(sorted);
            return sorted;
        }

        /// <summary>Percentile with linear interpolation between closest ranks (numpy's default).</summary>
        public static double Percentile(IReadOnlyList<double> values, double percentile) => PercentileOfSorted(Sorted(values), percentile);

        /// <summary><see cref="Percentile"/> of values already in ascending order (no copy, no sort).</summary>
        public static double PercentileOfSorted(IReadOnlyList<double> sorted, double percentile)
        {
            double position = percentile / 100.0 * (sorted.Count - 1);
            int lower = (int)Math.Floor(position);
            int upper = Math.Min(lower + 1, sorted.Count - 1);
            double low = sorted[lower], high = sorted[upper], fraction = position - lower, span = high - low;
            // Values near ±double.MaxValue: their difference overflows (and 0 x infinity is NaN); weighed apart instead.
            if (!double.IsFinite(span) && double.IsFinite(low) && double.IsFinite(high))
                return fraction == 0 ? low : low * (1 - fraction) + high * fraction;
            return low + fraction * span;
        }

        /// <summary>The median (of an even count, the midpoint of the two middle values).</summary>
        public static double Median(IEnumerable<double> values) => MedianOfSorted(Sorted(values));

        /// <summary><see cref="Median"/> of values already in ascending order.</summary>
        public static double MedianOfSorted(IReadOnlyList<double> sorted)
        {
            int n = sorted.Count;
            return n % 2 == 1 ? sorted[n / 2] : Midpoint(sorted[n / 2 - 1], sorted[n / 2]);
        }

        /// <summary>The mean of two values, also where their sum overflows (values near ±double.MaxValue).</summary>
        public static double Midpoint(double a, double b)
        {
            double mid = (a + b) / 2.0;
            return double.IsInfinity(mid) && double.IsFinite(a) && double.IsFinite(b) ? a / 2 + b / 2 : mid;
        }
    }
}
