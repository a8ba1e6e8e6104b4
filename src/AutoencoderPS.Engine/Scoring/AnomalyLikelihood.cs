using System;
using System.Collections.Generic;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>How a scored row's verdict is reached.</summary>
    public enum ScoreCalibration
    {
        /// <summary>Likelihood for sliding-window (time-series) models, None for row models.</summary>
        Auto,
        /// <summary>The raw reconstruction error against the model's threshold.</summary>
        None,
        /// <summary>
        /// The anomaly likelihood of the error against the recent errors of the row's own group (<see cref="AnomalyLikelihood"/>);
        /// a row is an anomaly when it is at least <see cref="AnomalyLikelihood.DefaultThreshold"/>.
        /// </summary>
        Likelihood,
    }

    /// <summary>
    /// Calibrates raw reconstruction errors against each group's own recent history, as rows are scored (causal,
    /// streamed, bounded memory per group). The idea is NAB's anomaly likelihood (Ahmad et al. 2017): per group,
    /// <list type="number">
    /// <item>the raw error is taken in log units (reconstruction errors are squared errors, heavy-tailed and
    /// multiplicative; their logarithm is close enough to a normal distribution for a Gaussian tail);</item>
    /// <item>a short-run average of the last <see cref="ShortRows"/> log errors smooths single-row noise;</item>
    /// <item>the long-run mean and spread of that short-run average over the last <see cref="HistoryRows"/> rows
    /// (not counting the current row) describe what is normal for this group now;</item>
    /// <item>the likelihood is the Gaussian probability that the short-run average is below the current one:
    /// 1 - Q((average - mean) / spread).</item>
    /// </list>
    /// A level shift raises the errors and the long-run mean and spread follow them, so the shift stops being unlikely
    /// once it has lasted a while; a quiet group (small spread) can be unlikely on a small spike. Until a group has
    /// <see cref="LearningRows"/> rows of history its rows have no likelihood (null), and are not anomalies.
    /// <para>
    /// It also says whether the short-run average is a new high: above every short-run average of the group's previous
    /// <see cref="RecentRows"/> rows. A Gaussian tail can't tell a rare error from a recurring one: a job that spikes
    /// the series once a day gives an unlikely error every day. An error no larger than one seen in the last day is
    /// not news, whatever its likelihood.
    /// </para>
    /// </summary>
    public sealed class AnomalyLikelihood
    {
        /// <summary>Rows of history per group: 8,640 (HTM's default: 30 days of 5-minute rows).</summary>
        public const int DefaultHistoryRows = 8640;

        /// <summary>Rows in the short-run average: 3 (HTM uses 10; 1, 3 and 10 were within noise of each other on NAB, see .docs/nab.md).</summary>
        public const int DefaultShortRows = 3;

        /// <summary>Rows whose short-run averages a new high must exceed: 288 (a day of 5-minute rows).</summary>
        public const int DefaultRecentRows = 288;

        /// <summary>Rows of history before a group's first likelihood: 288 (one day of 5-minute rows, HTM's learning period).</summary>
        public const int DefaultLearningRows = 288;

        /// <summary>The likelihood at and above which a row is an anomaly (if it is also a new high): 0.99, a short-run error 2.3 spreads above normal.</summary>
        public const double DefaultThreshold = 0.99;

        /// <summary>
        /// The smallest spread (standard deviation of the short-run average, in natural-log units): 0.05, an error 5 %
        /// above its usual level. A group whose error never moves (a constant series) would otherwise call every
        /// rounding difference unlikely.
        /// </summary>
        public const double MinimumSpread = 0.05;

        private const double Floor = 1e-12;
        private readonly Dictionary<string, GroupHistory> groups = new Dictionary<string, GroupHistory>(StringComparer.Ordinal);

        public AnomalyLikelihood(int historyRows = DefaultHistoryRows, int shortRows = DefaultShortRows, int learningRows = DefaultLearningRows,
            int recentRows = DefaultRecentRows)
        {
            if (recentRows < 0) throw new ArgumentOutOfRangeException(nameof(recentRows));
            RecentRows = recentRows;
            if (shortRows < 1) throw new ArgumentOutOfRangeException(nameof(shortRows));
            if (historyRows < 2) throw new ArgumentOutOfRangeException(nameof(historyRows));
            if (learningRows < 2 || learningRows > historyRows) throw new ArgumentOutOfRangeException(nameof(learningRows));
            HistoryRows = historyRows;
            ShortRows = shortRows;
            LearningRows = learningRows;
        }

        public int HistoryRows { get; }
        public int ShortRows { get; }
        public int LearningRows { get; }
        public int RecentRows { get; }

        /// <summary>Groups seen so far.</summary>
        public int GroupCount => groups.Count;

        /// <summary>
        /// Adds the raw error of the next row of <paramref name="group"/> and returns its likelihood (0-1), or null while
        /// the group is still learning. A non-finite error (NaN, infinity) is certain: likelihood 1, and it is not added
        /// to the history.
        /// </summary>
        public double? Next(string group, double rawScore) => Next(group, rawScore, out _);

        /// <summary>
        /// As <see cref="Next(string, double)"/>; <paramref name="newHigh"/> is true when the row's short-run average is
        /// above every one of the group's previous <see cref="RecentRows"/> rows (always for a non-finite error).
        /// </summary>
        public double? Next(string group, double rawScore, out bool newHigh)
        {
            if (!groups.TryGetValue(group, out var g))
            {
                g = new GroupHistory(HistoryRows, ShortRows, RecentRows);
                groups[group] = g;
            }
            newHigh = true;
            if (double.IsNaN(rawScore) || double.IsInfinity(rawScore)) return 1.0;
            double average = g.AddShort(Math.Log(Math.Max(rawScore, 0) + Floor));
            newHigh = g.AddRecent(average);
            double? likelihood = null;
            if (g.Count >= LearningRows)
            {
                double mean = g.Mean, spread = Math.Max(Math.Sqrt(g.Variance), MinimumSpread);
                likelihood = 1.0 - UpperTail((average - mean) / spread);
            }
            g.AddHistory(average);
            return likelihood;
        }

        /// <summary>
        /// Writes the settings and each group's history, for a later run to go on where this one stopped (the scheduled
        /// job keeps it between runs): about 8 bytes per row of history per group.
        /// </summary>
        public void Save(System.IO.BinaryWriter writer)
        {
            writer.Write(HistoryRows);
            writer.Write(ShortRows);
            writer.Write(LearningRows);
            writer.Write(RecentRows);
            writer.Write(groups.Count);
            foreach (var pair in groups)
            {
                writer.Write(pair.Key);
                pair.Value.Save(writer);
            }
        }

        /// <summary>Reads what <see cref="Save"/> wrote; null when it was written with other settings than these.</summary>
        public static AnomalyLikelihood? Load(System.IO.BinaryReader reader, AnomalyLikelihood settings)
        {
            int history = reader.ReadInt32(), shortRows = reader.ReadInt32(), learning = reader.ReadInt32(), recent = reader.ReadInt32();
            if (history != settings.HistoryRows || shortRows != settings.ShortRows || learning != settings.LearningRows || recent != settings.RecentRows)
                return null;
            var loaded = new AnomalyLikelihood(history, shortRows, learning, recent);
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string group = reader.ReadString();
                var g = new GroupHistory(history, shortRows, recent);
                g.Load(reader);
                loaded.groups[group] = g;
            }
            return loaded;
        }

        /// <summary>Q(z) = P(Z > z) for a standard normal Z.</summary>
        public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2.0));

        /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7).</summary>
        public static double Erfc(double x)
        {
            double z = Math.Abs(x);
            double t = 1.0 / (1.0 + 0.5 * z);
            double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
            return x >= 0 ? r : 2.0 - r;
        }

        // One group: the last ShortRows log errors (for the short-run average) and the last HistoryRows short-run
        // averages with their running sum and sum of squares (recomputed now and then, so rounding can't drift).
        private sealed class GroupHistory
        {
            private readonly double[] shortRing;
            private int shortCount, shortNext;
            private double shortSum;
            private readonly double[] history;
            private int next;
            private double sum, squares;
            private int sinceRecompute;

            // The running maximum of the last recent.Length averages: a monotone queue (values decreasing from the
            // front), as row numbers and values in a ring.
            private readonly long[] maxRow;
            private readonly double[] maxValue;
            private int maxStart, maxCount;
            private long row;

            public GroupHistory(int historyRows, int shortRows, int recentRows)
            {
                history = new double[historyRows];
                shortRing = new double[shortRows];
                maxRow = new long[recentRows + 1];
                maxValue = new double[recentRows + 1];
            }

            public void Save(System.IO.BinaryWriter w)
            {
                w.Write(shortCount); w.Write(shortNext); w.Write(shortSum);
                foreach (double v in shortRing) w.Write(v);
                w.Write(Count); w.Write(next); w.Write(sum); w.Write(squares); w.Write(sinceRecompute);
                for (int i = 0; i < Count; i++) w.Write(history[i]);
                w.Write(maxStart); w.Write(maxCount); w.Write(row);
                for (int i = 0; i < maxCount; i++)
                {
                    int at = (maxStart + i) % maxRow.Length;
                    w.Write(maxRow[at]);
                    w.Write(maxValue[at]);
                }
            }

            public void Load(System.IO.BinaryReader r)
            {
                shortCount = r.ReadInt32(); shortNext = r.ReadInt32(); shortSum = r.ReadDouble();
                for (int i = 0; i < shortRing.Length; i++) shortRing[i] = r.ReadDouble();
                Count = r.ReadInt32(); next = r.ReadInt32(); sum = r.ReadDouble(); squares = r.ReadDouble(); sinceRecompute = r.ReadInt32();
                if (Count < 0 || Count > history.Length || shortCount < 0 || shortCount > shortRing.Length)
                    throw new System.IO.InvalidDataException("A likelihood history is longer than its settings allow.");
                for (int i = 0; i < Count; i++) history[i] = r.ReadDouble();
                int start = r.ReadInt32();
                maxCount = r.ReadInt32();
                row = r.ReadInt64();
                if (maxCount < 0 || maxCount > maxRow.Length) throw new System.IO.InvalidDataException("A likelihood history is longer than its settings allow.");
                // Written oldest first; read back from the ring's start (the queue's order is what matters).
                _ = start;
                maxStart = 0;
                for (int i = 0; i < maxCount; i++)
                {
                    maxRow[i] = r.ReadInt64();
                    maxValue[i] = r.ReadDouble();
                }
            }

            // True when value is above every value of the last recentRows rows; then adds it.
            public bool AddRecent(double value)
            {
                int capacity = maxRow.Length;
                long window = capacity - 1;
                while (maxCount > 0 && maxRow[maxStart] < row - window) { maxStart = (maxStart + 1) % capacity; maxCount--; }
                bool high = maxCount == 0 || value > maxValue[maxStart];
                while (maxCount > 0 && maxValue[(maxStart + maxCount - 1) % capacity] <= value) maxCount--;
                int at = (maxStart + maxCount) % capacity;
                maxRow[at] = row;
                maxValue[at] = value;
                maxCount++;
                row++;
                return high;
            }

            public int Count { get; private set; }

            public double Mean => sum / Count;

            public double Variance => Count < 2 ? 0 : Math.Max(0, (squares - sum * sum / Count) / (Count - 1));

            public double AddShort(double value)
            {
                if (shortCount == shortRing.Length) shortSum -= shortRing[shortNext];
                else shortCount++;
                shortRing[shortNext] = value;
                shortNext = (shortNext + 1) % shortRing.Length;
                shortSum += value;
                return shortSum / shortCount;
            }

            public void AddHistory(double value)
            {
                if (Count == history.Length)
                {
                    double old = history[next];
                    sum -= old;
                    squares -= old * old;
                }
                else Count++;
                history[next] = value;
                next = (next + 1) % history.Length;
                sum += value;
                squares += value * value;
                if (++sinceRecompute >= history.Length)
                {
                    sinceRecompute = 0;
                    sum = 0;
                    squares = 0;
                    for (int i = 0; i < Count; i++) { sum += history[i]; squares += history[i] * history[i]; }
                }
            }
        }
    }
}
