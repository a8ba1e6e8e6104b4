using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>How features are scaled before they reach the network.</summary>
    public enum ScalingMethod
    {
        /// <summary>Each feature to [0, 1] by its own training minimum and maximum.</summary>
        MinMax,
        /// <summary>All features by one minimum and maximum over the whole training matrix (the seed recipe).</summary>
        GlobalMinMax,
        /// <summary>Each feature to zero mean and unit standard deviation.</summary>
        Standard,
        /// <summary>Each feature by its median and inter-quartile range: outliers in training barely move it.</summary>
        Robust,
        /// <summary>
        /// Each feature centred on its training median, divided by twice its robust standard deviation (inter-quartile
        /// range / 1.349), and passed through the logistic curve into (0, 1): every feature weighs the same in the
        /// middle of its range, outliers in the baseline don't set the scale, and a heavy tail is squeezed, never cut.
        /// The network sees and learns only these bounded values; a value beyond the training range scores by its
        /// distance beyond that range too, in units of the range (<see cref="FeatureScaler.Beyond"/>), so a spike is
        /// never squeezed into a small error.
        /// </summary>
        RobustSigmoid,
    }

    /// <summary>
    /// Affine scaling fitted on training rows: scaled = (x - Offset) / Scale, per feature.
    /// Every method reduces to an offset and a scale, so the model file stores only those.
    /// </summary>
    public sealed class FeatureScaler
    {
        /// <param name="method">How the offsets and scales were fitted.</param>
        /// <param name="offset">Per input: subtracted first.</param>
        /// <param name="scale">Per input: divided by next.</param>
        /// <param name="kinds">The slot kinds (null: all numeric). RobustSigmoid bends numeric slots only;
        /// one-hot and cyclic slots stay affine.</param>
        /// <param name="low">Per input: the smallest training value (null entries or list: no range).
        /// Used by the curved (RobustSigmoid numeric) slots only; see <see cref="Beyond"/>.</param>
        /// <param name="high">Per input: the largest such value.</param>
        public FeatureScaler(ScalingMethod method, IReadOnlyList<double> offset, IReadOnlyList<double> scale, IReadOnlyList<SlotKind>? kinds = null,
            IReadOnlyList<double?>? low = null, IReadOnlyList<double?>? high = null)
        {
            if (kinds != null && kinds.Count != offset.Count)
                throw new ArgumentException("Slot kinds must have one entry per feature.");
            shaped = new bool[offset.Count];
            for (int i = 0; i < shaped.Length; i++)
                shaped[i] = method == ScalingMethod.RobustSigmoid && (kinds == null || kinds[i] == SlotKind.Numeric);
            if (offset.Count != scale.Count)
                throw new ArgumentException("Offset and scale must have one entry per feature.");
            for (int i = 0; i < scale.Count; i++)
                if (!(scale[i] > 0) || double.IsInfinity(scale[i]) || double.IsNaN(offset[i]) || double.IsInfinity(offset[i]))
                    throw new ArgumentException($"Scaling of feature {i} is not usable (offset {offset[i]}, scale {scale[i]}).");
            Method = method;
            offsets = offset.ToArray();
            scales = scale.ToArray();
            Offset = offsets;
            Scale = scales;
            kindList = kinds?.ToArray();
            if ((low == null) != (high == null) || low != null && (low.Count != offset.Count || high!.Count != offset.Count))
                throw new ArgumentException("The training range needs a low and a high entry per feature.");
            lows = new double[offsets.Length];
            highs = new double[offsets.Length];
            for (int i = 0; i < offsets.Length; i++)
            {
                double? lo = low?[i], hi = high?[i];
                if (lo is double l && hi is double h && shaped[i])
                {
                    if (!double.IsFinite(l) || !double.IsFinite(h) || l > h)
                        throw new ArgumentException($"The training range of feature {i} is not usable ({l} to {h}).");
                    (lows[i], highs[i]) = (l, h);
                    HasRange = true;
                }
                else (lows[i], highs[i]) = (double.NegativeInfinity, double.PositiveInfinity);
            }
        }

        // The same values as arrays: Transform and Inverse run per value of every scored row.
        private readonly double[] offsets;
        private readonly double[] scales;
        // Numeric slots of RobustSigmoid: they go through the logistic curve.
        private readonly bool[] shaped;
        private readonly SlotKind[]? kindList;
        // The training range of the curved slots (infinite elsewhere, or before it is set).
        private readonly double[] lows;
        private readonly double[] highs;

        /// <summary>True when the curved slots carry their training range (<see cref="Beyond"/>).</summary>
        public bool HasRange { get; }

        /// <summary>Per input: the smallest training value of a curved slot; null where there is no range.</summary>
        public double? Low(int feature) => double.IsFinite(lows[feature]) ? lows[feature] : null;

        /// <summary>Per input: the largest training value of a curved slot; null where there is no range.</summary>
        public double? High(int feature) => double.IsFinite(highs[feature]) ? highs[feature] : null;

        public ScalingMethod Method { get; }
        public IReadOnlyList<double> Offset { get; }
        public IReadOnlyList<double> Scale { get; }
        public int Count => Offset.Count;

        /// <summary>Fits the scaling on training rows of numeric features only.</summary>
        public static FeatureScaler Fit(IReadOnlyList<double[]> rows, int featureCount, ScalingMethod method) =>
            Fit(rows, Enumerable.Repeat(SlotKind.Numeric, featureCount).ToArray(), method);

        /// <summary>
        /// Fits the scaling on training rows. Numeric slots follow <paramref name="method"/> (GlobalMinMax: one range over
        /// all numeric slots); one-hot slots stay as they are; cyclic slots map [-1, 1] to [0, 1]. A feature with no
        /// spread gets scale 1. The robust methods' percentiles are taken on up to <paramref name="threads"/> threads, one
        /// column each (<see cref="ColumnParallel"/>): the same scaler.
        /// </summary>
        public static FeatureScaler Fit(IReadOnlyList<double[]> rows, IReadOnlyList<SlotKind> kinds, ScalingMethod method, int threads = 1)
        {
            int featureCount = kinds.Count;
            if (rows.Count == 0)
                throw new AutoencoderException(ErrorIds.EmptyTrainingInput, "Scaling needs at least one training row.");
            var offset = new double[featureCount];
            var scale = new double[featureCount];
            switch (method)
            {
                case ScalingMethod.MinMax:
                    for (int j = 0; j < featureCount; j++)
                    {
                        if (kinds[j] != SlotKind.Numeric) continue;
                        double min = double.MaxValue, max = double.MinValue;
                        foreach (var row in rows) { min = Math.Min(min, row[j]); max = Math.Max(max, row[j]); }
                        offset[j] = min;
                        scale[j] = SpreadOrOne(max - min);
                    }
                    break;
                case ScalingMethod.GlobalMinMax:
                {
                    double min = double.MaxValue, max = double.MinValue;
                    foreach (var row in rows)
                        for (int j = 0; j < featureCount; j++)
                            if (kinds[j] == SlotKind.Numeric) { min = Math.Min(min, row[j]); max = Math.Max(max, row[j]); }
                    for (int j = 0; j < featureCount; j++)
                        if (kinds[j] == SlotKind.Numeric) { offset[j] = min; scale[j] = SpreadOrOne(max - min); }
                    break;
                }
                case ScalingMethod.Standard:
                    for (int j = 0; j < featureCount; j++)
                    {
                        if (kinds[j] != SlotKind.Numeric) continue;
                        double mean = 0;
                        foreach (var row in rows) mean += row[j];
                        mean /= rows.Count;
                        double variance = 0;
                        foreach (var row in rows) variance += (row[j] - mean) * (row[j] - mean);
                        offset[j] = mean;
                        scale[j] = SpreadOrOne(Math.Sqrt(variance / rows.Count));
                    }
                    break;
                case ScalingMethod.Robust:
                    ColumnParallel.For(featureCount, rows.Count, threads, j =>
                    {
                        if (kinds[j] != SlotKind.Numeric) return;
                        var sorted = Statistics.Sorted(rows.Select(r => r[j]));
                        double q1 = Statistics.PercentileOfSorted(sorted, 25), q3 = Statistics.PercentileOfSorted(sorted, 75);
                        offset[j] = Statistics.PercentileOfSorted(sorted, 50);
                        // A feature constant in its middle half (e.g. mostly zero counts) falls back to its full range.
                        scale[j] = q3 - q1 > 1e-12 ? q3 - q1 : SpreadOrOne(sorted[^1] - sorted[0]);
                    });
                    break;
                case ScalingMethod.RobustSigmoid:
                    ColumnParallel.For(featureCount, rows.Count, threads, j =>
                    {
                        if (kinds[j] != SlotKind.Numeric) return;
                        (offset[j], scale[j]) = RobustSigmoidOf(Statistics.Sorted(rows.Select(r => r[j])));
                    });
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(method), method, null);
            }
            for (int j = 0; j < featureCount; j++)
            {
                if (kinds[j] == SlotKind.OneHot) { offset[j] = 0; scale[j] = 1; }
                else if (kinds[j] == SlotKind.Cyclic) { offset[j] = -1; scale[j] = 2; }
            }
            return new FeatureScaler(method, offset, scale, kinds);
        }

        // A RobustSigmoid slot's offset and scale from its values, sorted: the median, and twice the robust standard deviation.
        private static (double Offset, double Scale) RobustSigmoidOf(IReadOnlyList<double> sorted)
        {
            double spread = (Statistics.PercentileOfSorted(sorted, 75) - Statistics.PercentileOfSorted(sorted, 25)) / 1.349;
            if (!(spread > 1e-12))
            {
                // Constant in its middle half (mostly one value): the standard deviation, else 1.
                double mean = sorted.Average();
                spread = SpreadOrOne(Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Count));
            }
            return (Statistics.PercentileOfSorted(sorted, 50), RobustSigmoidWidth * spread);
        }

        /// <summary>RobustSigmoid divides by this many robust standard deviations before the logistic curve: +-2 of them map to 0.27-0.73.</summary>
        public const double RobustSigmoidWidth = 2.0;

        // The methods marked AggressiveOptimization in this file run per row or per batch when a file is scored: compiled
        // optimized at once, not tiered up through Dynamic PGO's instrumented code (.docs/performance.md, "Third look").
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public float Transform(int feature, double value)
        {
            double scaled = (value - offsets[feature]) / scales[feature];
            // RobustSigmoid: the logistic curve, in training and in scoring alike.
            return (float)(shaped[feature] ? 1.0 / (1.0 + Math.Exp(-scaled)) : scaled);
        }

        /// <summary>
        /// How far <paramref name="value"/> lies beyond the training range of a curved slot, in units of that range
        /// (what MinMax scaling would make of it): 0 inside the range, signed outside. The logistic curve squeezes a value
        /// 100 robust deviations out to nearly the same input as one 5 deviations out; that keeps heavy tails from
        /// dominating what the network learns, but would make a spike score small. The score's target is the curved
        /// value plus this term, so inside the training range a row scores as the network reconstructs it, and beyond
        /// it the error grows with the distance as it does under MinMax scaling.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public float Beyond(int feature, double value)
        {
            double past = value > highs[feature] ? value - highs[feature] : value < lows[feature] ? value - lows[feature] : 0;
            return past == 0 || double.IsNaN(past) ? 0f : (float)(past / SpreadOrOne(highs[feature] - lows[feature]));
        }

        /// <summary>
        /// This scaling with the training range of its curved slots set from <paramref name="rows"/> (<paramref name="use"/>
        /// picks some of them, null: all), widened to include the range of
        /// <paramref name="previous"/> when it has one (incremental training keeps what earlier runs learned).
        /// Without curved slots it is this scaling.
        /// </summary>
        public FeatureScaler WithRange(IReadOnlyList<double[]> rows, IEnumerable<int>? use = null, FeatureScaler? previous = null)
        {
            if (!shaped.Any(x => x)) return this;
            int d = Count;
            var low = new double?[d];
            var high = new double?[d];
            for (int j = 0; j < d; j++)
            {
                if (!shaped[j]) continue;
                low[j] = previous?.Low(j);
                high[j] = previous?.High(j);
            }
            foreach (int i in use ?? Enumerable.Range(0, rows.Count))
            {
                var row = rows[i];
                for (int j = 0; j < d; j++)
                {
                    if (!shaped[j] || !double.IsFinite(row[j])) continue;
                    low[j] = low[j] is double l ? Math.Min(l, row[j]) : row[j];
                    high[j] = high[j] is double h ? Math.Max(h, row[j]) : row[j];
                }
            }
            return new FeatureScaler(Method, offsets, scales, kindList, low, high);
        }

        /// <summary>
        /// The rows of <paramref name="rows"/> that alone hold a curved slot's smallest or largest training value, each with
        /// this scaling as the other rows would have set it in that slot (its centre, spread and range: the bound the next
        /// value in). To the other
        /// rows, such a row is what a new normal row beyond their range is: of n + 1 rows alike, each is the one beyond the
        /// others' range as often, and by as much. So a training row's error with its distance beyond the others' range
        /// is a draw of what new normal rows score, the range term (<see cref="Beyond"/>) included; the training rows'
        /// own errors never hold that term, and on a small baseline many new normal rows do (a new value lies beyond n
        /// training values with a chance of 2 / (n + 1) per feature): 120 rows of 16 features flagged 8.5-17.2 % of new
        /// normal rows at the 99th percentile, 3.0-3.6 % of those inside the range (.docs/odds.md).
        /// <paramref name="before"/>: an incremental run's scaling before its rows widened the range (the rows trained on
        /// before): a run's row then counts only where it lies alone beyond the run's other rows and that range, and keeps
        /// the frozen scaling. Empty without curved slots or range, or with fewer than two rows. Made one row at a time as
        /// the sequence is read (a wide baseline has up to two such rows per feature, each scaling as wide as the row): read
        /// it in chunks.
        /// </summary>
        public IEnumerable<(int Row, FeatureScaler Others)> OthersRanges(IReadOnlyList<double[]> rows, FeatureScaler? before = null, int threads = 1)
        {
            if (!HasRange || rows.Count < 2) return Array.Empty<(int, FeatureScaler)>();
            int d = Count;
            // Per curved slot: the row that alone holds the smallest (largest) value beyond the others, the others' bound,
            // and (a first training) the slot's scaling as the others set it. Four numbers a slot: no column is kept.
            var lowRow = new int[d];
            var highRow = new int[d];
            var nextLow = new double[d];
            var nextHigh = new double[d];
            var lowFit = new (double Offset, double Scale)[d];
            var highFit = new (double Offset, double Scale)[d];
            ColumnParallel.For(d, rows.Count, threads, j =>
            {
                lowRow[j] = highRow[j] = -1;
                if (!shaped[j]) return;
                double min = double.PositiveInfinity, secondMin = double.PositiveInfinity;
                double max = double.NegativeInfinity, secondMax = double.NegativeInfinity;
                int minAt = -1, maxAt = -1;
                for (int i = 0; i < rows.Count; i++)
                {
                    double v = rows[i][j];
                    if (!double.IsFinite(v)) continue;
                    if (v < min) { secondMin = min; min = v; minAt = i; }
                    else if (v <= secondMin) secondMin = v;
                    if (v > max) { secondMax = max; max = v; maxAt = i; }
                    else if (v >= secondMax) secondMax = v;
                }
                // An incremental run: the others are the run's other rows and every row trained on before (its range).
                double othersLow = before == null ? secondMin : Math.Min(secondMin, before.lows[j]);
                double othersHigh = before == null ? secondMax : Math.Max(secondMax, before.highs[j]);
                if (min < othersLow && double.IsFinite(othersLow)) { lowRow[j] = minAt; nextLow[j] = othersLow; }
                if (max > othersHigh && double.IsFinite(othersHigh)) { highRow[j] = maxAt; nextHigh[j] = othersHigh; }
                // An incremental run keeps its scaling; a first training's is the others' too (one 1 among zeros: a
                // spread of 0.03 with it, none without), so the row is scaled as a new one would be. The row holds the
                // slot's first (last) sorted value alone: the others are the rest.
                if (before != null || lowRow[j] < 0 && highRow[j] < 0) return;
                var sorted = Statistics.Sorted(rows.Select(r => r[j]).Where(double.IsFinite));
                if (lowRow[j] >= 0) lowFit[j] = RobustSigmoidOf(new ArraySegment<double>(sorted, 1, sorted.Length - 1));
                if (highRow[j] >= 0) highFit[j] = RobustSigmoidOf(new ArraySegment<double>(sorted, 0, sorted.Length - 1));
            });
            // A row can't be alone at both ends of one slot: there are two rows or more.
            var affected = new SortedSet<int>(lowRow.Concat(highRow).Where(i => i >= 0));
            return OthersRangesOf(affected, lowRow, highRow, nextLow, nextHigh, before == null ? lowFit : null, before == null ? highFit : null);
        }

        private IEnumerable<(int Row, FeatureScaler Others)> OthersRangesOf(IEnumerable<int> affected, int[] lowRow, int[] highRow,
            double[] nextLow, double[] nextHigh, (double Offset, double Scale)[]? lowFit, (double Offset, double Scale)[]? highFit)
        {
            int d = Count;
            foreach (int row in affected)
            {
                var low = new double?[d];
                var high = new double?[d];
                var offset = (double[])offsets.Clone();
                var scale = (double[])scales.Clone();
                for (int j = 0; j < d; j++)
                {
                    if (!shaped[j]) continue;
                    low[j] = lowRow[j] == row ? nextLow[j] : lows[j];
                    high[j] = highRow[j] == row ? nextHigh[j] : highs[j];
                    if (lowRow[j] == row && lowFit != null) (offset[j], scale[j]) = lowFit[j];
                    else if (highRow[j] == row && highFit != null) (offset[j], scale[j]) = highFit[j];
                }
                yield return (row, new FeatureScaler(Method, offset, scale, kindList, low, high));
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public double Inverse(int feature, double scaled)
        {
            if (shaped[feature])
            {
                double p = Math.Clamp(scaled, 1e-9, 1 - 1e-9);
                scaled = Math.Log(p / (1 - p));
            }
            return scaled * scales[feature] + offsets[feature];
        }

        private static double SpreadOrOne(double spread) => spread > 1e-12 && !double.IsInfinity(spread) ? spread : 1.0;
    }
}
