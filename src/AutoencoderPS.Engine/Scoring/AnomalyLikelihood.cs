using System;
using System.Collections.Generic;
using System.Linq;

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
    /// <item>the median and the spread of that short-run average over the last <see cref="HistoryRows"/> rows (not
    /// counting the current row) describe what is normal for this group now; the spread is the median absolute deviation
    /// from the median, scaled to a standard deviation (x 1.4826);</item>
    /// <item>the Gaussian probability that the short-run average is below the current one:
    /// 1 - Q((average - median) / spread);</item>
    /// <item>the likelihood is the smaller of that and the empirical one, the share of the history below the current
    /// average (<see cref="EmpiricalTail"/>).</item>
    /// </list>
    /// The Gaussian tail is a model of the log error, and the heavy-tailed errors of real series break it: an error
    /// the history holds on more than 1 row in 100 (a daily job's spike, a burst that comes back every few hours, the
    /// new level of a shift after its first hours) is not a 1-in-100 event, whatever the Gaussian says. Taking the smaller
    /// of the two calls a row unlikely only when the model and the series' own record both do; with the default
    /// threshold (0.99), a short-run error that more than 1 % of the history reached or exceeded is not an anomaly.
    /// It also makes a level shift ordinary once it has lasted 1 % of the history (86 rows of a full 8,640-row
    /// history), where the median alone needs half of it.
    /// The median and the MAD are robust: a stretch of unusual errors that is less than half of the history (an
    /// incident, or a level shift while it is recent) moves neither, so the next incident is measured against the
    /// ordinary spread. A mean and standard deviation (HTM's choice) are pulled by such a stretch: after a level shift
    /// the history holds both levels, their mixture inflates the spread, and an incident at the new level had to be
    /// several times the shift to be flagged. The price: a level shift is unlikely until it is half of the history
    /// (most of its rows are still not anomalies, because they are not new highs, below). A quiet group (small
    /// spread) can be unlikely on a small spike. Until a group has
    /// <see cref="LearningRows"/> rows of history its rows are measured against <see cref="Prior"/> (the model's
    /// training errors) or, without one, have no likelihood (null) and are not anomalies.
    /// <para>
    /// It also says whether the short-run average is a new high: above every short-run average of the group's previous
    /// <see cref="RecentRows"/> rows. A Gaussian tail can't tell a rare error from a recurring one: a job that spikes
    /// the series once a day gives an unlikely error every day. An error no larger than one seen in the last day is
    /// not news, whatever its likelihood. Until a group has <see cref="RecentRows"/> rows of its own, the rows it lacks
    /// are stood in for by the training rows (<see cref="PriorHigh"/>), as <see cref="Prior"/> stands in for its history.
    /// </para>
    /// </summary>
    public sealed class AnomalyLikelihood
    {
        /// <summary>Rows of history per group: 8,640 (HTM's default: 30 days of 5-minute rows).</summary>
        public const int DefaultHistoryRows = 8640;

        /// <summary>Rows in the short-run average: 3 (HTM uses 10; 1, 3 and 10 were within noise of each other on NAB, see .docs/nab.md).</summary>
        public const int DefaultShortRows = 3;

        /// <summary>Rows whose short-run averages a new high must exceed without a known interval: 300 (25 hours of 5-minute rows); a sliding-window model's series counts 25 hours of its own rows (<see cref="RecentRowsFor"/>).</summary>
        public const int DefaultRecentRows = 300;

        /// <summary>
        /// How far back a new high looks: a day and an hour. "Not news if seen in the last day" is about a recurrence,
        /// and a job that recurs daily comes back 23 to 25 hours after its last run: it is scheduled by a local clock
        /// (cron, Task Scheduler), so across a daylight-saving change the rows between two runs (in instants) are a day
        /// plus or minus an hour, and a job starts a few minutes early or late any day. Counted as exactly a day of rows,
        /// yesterday's spike fell out of the horizon a few rows before today's came (a per-minute series: the nightly
        /// backup paged the night after the clocks went back, and on any night it ran a quarter of an hour late).
        /// </summary>
        public static readonly TimeSpan RecentSpan = TimeSpan.FromHours(25);

        /// <summary>
        /// A day of rows of a series whose rows come every <paramref name="interval"/>, at least 288 (a day of 5-minute
        /// rows, where the defaults were measured) and at most <see cref="DefaultHistoryRows"/>: a group's learning period.
        /// "Learn a day before judging by the group's own history" (HTM's learning period) is a statement about time:
        /// counted in rows it was a day only for 5-minute rows, and a per-minute group judged itself by 4.8 hours of
        /// history. A coarser series (hourly) keeps the 288 rows: a day of it holds too few rows to judge by.
        /// </summary>
        public static int DayOfRowsFor(TimeSpan? interval) => RowsIn(TimeSpan.FromDays(1), interval, DefaultLearningRows);

        /// <summary>
        /// The rows a new high must exceed in a series whose rows come every <paramref name="interval"/>: those of the
        /// last <see cref="RecentSpan"/> (25 hours), at least 300 (25 hours of 5-minute rows) and at most
        /// <see cref="DefaultHistoryRows"/>. Counted as a fixed number of rows, the horizon was right only for 5-minute
        /// rows: a per-minute export's daily job or nightly backup came back as a new high every day. A coarser series
        /// (hourly) keeps the 300 rows: a day of it holds too few rows to tell a recurrence from an incident.
        /// </summary>
        public static int RecentRowsFor(TimeSpan? interval) => RowsIn(RecentSpan, interval, DefaultRecentRows);

        // The rows of `span` at one per `interval`, at least those of 5-minute rows (`fiveMinuteRows`), at most the history.
        private static int RowsIn(TimeSpan span, TimeSpan? interval, int fiveMinuteRows)
        {
            if (interval is not { } step || step <= TimeSpan.Zero) return fiveMinuteRows;
            return (int)Math.Clamp(Math.Ceiling(span / step - 1e-9), fiveMinuteRows, DefaultHistoryRows);
        }

        /// <summary>Rows of history before a group's first likelihood of its own, without a known interval: 288 (one day of 5-minute rows, HTM's learning period); a sliding-window model's series learns for a day of its own rows (<see cref="DayOfRowsFor"/>).</summary>
        public const int DefaultLearningRows = 288;

        /// <summary>The likelihood at and above which a row is an anomaly (if it is also a new high): 0.99, a short-run error 2.3 spreads above normal. A series of rows finer than 5 minutes gets the same share of a day's rows (<see cref="ThresholdFor"/>).</summary>
        public const double DefaultThreshold = 0.99;

        /// <summary>The interval the default threshold was measured at (NAB's and the series probe's 5-minute rows).</summary>
        public static readonly TimeSpan DefaultThresholdInterval = TimeSpan.FromMinutes(5);

        /// <summary>
        /// The default threshold for a series whose rows come every <paramref name="interval"/>: 0.99 for 5-minute rows
        /// and coarser ones; for finer rows the tail share 0.01 shrinks with the interval (1 - 0.01 x interval / 5 minutes:
        /// 0.998 for a row a minute, 0.9995 for 15-second samples), so a day holds the same expected number of unlikely
        /// rows whatever the export's resolution. A likelihood is a statement about one row; a per-minute export has five
        /// times the rows of a 5-minute one a day, and with 0.99 five times the chances of an unlikely one: measured on the
        /// series probe at one row a minute, 0.6-0.8 false alerts a day on series that raise none at 5 minutes (.docs/series-probe.md).
        /// Coarser series keep 0.99 (a larger share would call ordinary rows unlikely).
        /// </summary>
        public static double ThresholdFor(TimeSpan? interval)
        {
            if (interval is not { } step || step <= TimeSpan.Zero || step >= DefaultThresholdInterval) return DefaultThreshold;
            return 1 - (1 - DefaultThreshold) * (step / DefaultThresholdInterval);
        }

        /// <summary>
        /// The smallest spread (of the short-run average, in natural-log units): 0.05, an error 5 % above its usual
        /// level. A group whose error rarely moves (a constant series, or one that is constant more than half the time:
        /// its MAD is 0) would otherwise call every rounding difference unlikely.
        /// </summary>
        public const double MinimumSpread = 0.05;

        // The MAD of a normal distribution is 0.6745 of its standard deviation.
        private const double MadToSigma = 1.4826;
        private const double Floor = 1e-12;
        private readonly Dictionary<string, GroupHistory> groups = new Dictionary<string, GroupHistory>(StringComparer.Ordinal);

        public AnomalyLikelihood(int historyRows = DefaultHistoryRows, int shortRows = DefaultShortRows, int learningRows = DefaultLearningRows,
            int recentRows = DefaultRecentRows, bool empiricalTail = true, IReadOnlyList<double>? prior = null, double unlikelyAt = DefaultThreshold,
            Func<string, GroupSettings>? perGroup = null, double? priorHigh = null)
        {
            if (priorHigh is { } high && !(high >= 0 && double.IsFinite(high))) throw new ArgumentOutOfRangeException(nameof(priorHigh));
            PriorHigh = priorHigh;
            priorHighLog = priorHigh is { } h ? Math.Log(h + Floor) : double.NegativeInfinity;
            PerGroup = perGroup;
            Prior = prior ?? Array.Empty<double>();
            EmpiricalTail = empiricalTail;
            if (!(unlikelyAt > 0 && unlikelyAt < 1)) throw new ArgumentOutOfRangeException(nameof(unlikelyAt), "A likelihood threshold is between 0 and 1.");
            UnlikelyAt = unlikelyAt;
            if (recentRows < 0) throw new ArgumentOutOfRangeException(nameof(recentRows));
            RecentRows = recentRows;
            if (shortRows < 1) throw new ArgumentOutOfRangeException(nameof(shortRows));
            if (historyRows < 2) throw new ArgumentOutOfRangeException(nameof(historyRows));
            if (learningRows < 2 || learningRows > historyRows) throw new ArgumentOutOfRangeException(nameof(learningRows));
            HistoryRows = historyRows;
            ShortRows = shortRows;
            LearningRows = learningRows;
        }

        /// <summary>
        /// Raw errors that stand in for a group's history while it is still learning (the model's training errors, see
        /// SeriesMemory.For), or none. Without them a group's first <see cref="LearningRows"/> scored rows have no
        /// likelihood and can't be anomalies, whatever their error: a Test-Anomaly call on a day of 5-minute rows could
        /// never alert, and a series broken from its first scored row became its own normal. With them, those rows
        /// are measured by the same rule against the training errors (median, spread and empirical tail of their
        /// logarithms); from the group's <see cref="LearningRows"/>-th row on, its own history alone decides, as
        /// without them.
        /// </summary>
        public IReadOnlyList<double> Prior { get; }

        private double[]? priorLogs;

        /// <summary>
        /// The largest raw error of a training row taken as normal (robust training's trimmed rows left out), or null.
        /// While a group has fewer than <see cref="RecentRows"/> rows of its own, a short-run error no larger than it is not
        /// a new high: the training rows stand in for the part of the new-high horizon the group has not seen, as the
        /// training errors stand in for its history (<see cref="Prior"/>). Without it, the new-high rule had nothing to
        /// compare a group's first day with, and a daily event the model was trained on (a nightly batch, a service's
        /// restart), whose errors are the top of the training errors, was news on its first scored day: an explorer's
        /// nightly batch alerted on 2 of 3 seeds, a daily restart on 3 of 3 (.docs/series-probe.md).
        /// </summary>
        public double? PriorHigh { get; }

        private readonly double priorHighLog;

        public int HistoryRows { get; }
        public int ShortRows { get; }
        public int LearningRows { get; }
        public int RecentRows { get; }

        /// <summary>
        /// A group's own learning period, new-high horizon and threshold, where they differ from the likelihood's (a
        /// model whose groups report at different intervals: each counts a day of its own rows, SeriesMemory.For); null:
        /// the same for every group.
        /// </summary>
        public Func<string, GroupSettings>? PerGroup { get; }

        /// <summary>What one group's rows are judged by (<see cref="PerGroup"/>).</summary>
        public sealed record GroupSettings(int LearningRows, int RecentRows, double UnlikelyAt);

        /// <summary>The settings of <paramref name="group"/>: its own (<see cref="PerGroup"/>), else the likelihood's.</summary>
        public GroupSettings SettingsOf(string group)
        {
            var own = PerGroup?.Invoke(group);
            if (own == null) return new GroupSettings(LearningRows, RecentRows, UnlikelyAt);
            if (own.LearningRows < 2 || own.LearningRows > HistoryRows || own.RecentRows < 0 || !(own.UnlikelyAt > 0 && own.UnlikelyAt < 1))
                throw new ArgumentOutOfRangeException(nameof(group), $"Group '{group}' has settings outside the likelihood's bounds.");
            return own;
        }

        /// <summary>The likelihood at and above which a row of <paramref name="group"/> is unlikely.</summary>
        public double UnlikelyAtFor(string group) => groups.TryGetValue(group, out var g) ? g.Settings.UnlikelyAt : SettingsOf(group).UnlikelyAt;

        /// <summary>
        /// True (the default): the likelihood is at most the share of the group's history (short-run averages) strictly
        /// below the current short-run average. False: the Gaussian tail alone (the rule before 2026-12; kept for the
        /// evaluation's ablation, see .docs/nab.md).
        /// </summary>
        public bool EmpiricalTail { get; }

        /// <summary>
        /// The likelihood at and above which a row is unlikely (the verdict's threshold). A row unlikely against the
        /// ordinary rows keeps the kind of what drove its error (<see cref="Next(string, double, out bool, int)"/>): in
        /// the empirical tail and the new-high rule it counts only for rows of the same kind, while ordinary rows count
        /// for all. A stretch of such rows stays of its kind until the robust median itself moves (half the history). So an incident in
        /// one feature does not vouch for a later one in another: on a host's perfmon export (window of 6), a network
        /// outage in the afternoon, 56 times the model's threshold, followed a morning's CPU and disk incidents whose
        /// rows made up 4 % of the day's history; "reached by 4 % of the history" made it likely 0.96 and it was
        /// missed. A spike that recurs in the same feature, or a shift of that feature, counts as before, and a series
        /// of one feature (every row of one kind) is judged exactly as without kinds.
        /// </summary>
        public double UnlikelyAt { get; }

        /// <summary>Groups seen so far.</summary>
        public int GroupCount => groups.Count;

        /// <summary>
        /// True: each group's history is allocated at its bounds from its first row, as before its memory grew with its
        /// rows; the reference the tests compare the growing history with.
        /// </summary>
        internal bool FullFromFirstRow { get; init; }

        /// <summary>
        /// The bytes of the arrays that hold <paramref name="group"/>'s history (0 for a group not seen): what a group
        /// costs beyond its name, for tests of a fleet's memory.
        /// </summary>
        internal long HeldBytesOf(string group) => groups.TryGetValue(group, out var g) ? g.HeldBytes : 0;

        /// <summary>The rows <paramref name="group"/>'s history and its largest new-high queue have room for now.</summary>
        internal (int History, int Recent) CapacityOf(string group) => groups.TryGetValue(group, out var g) ? (g.HistoryCapacity, g.RecentCapacity) : (0, 0);

        /// <summary>Forgets <paramref name="group"/>'s history: its next rows learn again, as a group's first rows.</summary>
        public void Forget(string group) => groups.Remove(group);

        /// <summary>
        /// Adds the raw error of the next row of <paramref name="group"/> and returns its likelihood (0-1), or null while
        /// the group is still learning and there is no <see cref="Prior"/>. A non-finite error (NaN, infinity) is certain: likelihood 1, and it is not added
        /// to the history.
        /// </summary>
        public double? Next(string group, double rawScore) => Next(group, rawScore, out _);

        /// <summary>
        /// As <see cref="Next(string, double)"/>; <paramref name="newHigh"/> is true when the row's short-run average is
        /// above every one of the group's previous <see cref="RecentRows"/> rows (always for a non-finite error).
        /// <paramref name="kind"/> is what drove the row's error (the feature with the largest error; -1 or one kind for
        /// all rows when unknown): an earlier unlikely stretch counts in the empirical tail and the new-high rule only
        /// for rows of its own kind (see <see cref="UnlikelyAt"/>).
        /// </summary>
        public double? Next(string group, double rawScore, out bool newHigh, int kind = 0) => Next(group, rawScore, out newHigh, out _, kind);

        /// <summary>As above; <paramref name="unlikelyAt"/> is the group's threshold (<see cref="UnlikelyAtFor"/>).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public double? Next(string group, double rawScore, out bool newHigh, out double unlikelyAt, int kind = 0)
        {
            if (!groups.TryGetValue(group, out var g))
            {
                g = new GroupHistory(HistoryRows, ShortRows, SettingsOf(group), FullFromFirstRow);
                groups[group] = g;
            }
            int learningRows = g.Settings.LearningRows;
            unlikelyAt = g.Settings.UnlikelyAt;
            newHigh = true;
            if (double.IsNaN(rawScore) || double.IsInfinity(rawScore)) return 1.0;
            // The short-run average's kind is that of its largest error: rows after an incident still average its
            // errors, whatever drives their own.
            double average = g.AddShort(Math.Log(Math.Max(rawScore, 0) + Floor), Math.Max(kind, 0), out kind);
            newHigh = g.IsNewHigh(average, kind);
            // The part of the horizon the group has not seen yet: the training rows (PriorHigh).
            if (newHigh && g.Count < g.Settings.RecentRows && average <= priorHighLog) newHigh = false;
            // The reference the short-run average is measured against: the group's own history once it has enough,
            // before that the model's training errors (when given); without either, no likelihood yet.
            double? likelihood = null;
            // Whether the row is unlikely against the ordinary rows alone: an incident's rows keep their kind for as
            // long as it lasts (against its own rows too, its later rows would soon be ordinary and count for all).
            bool unlikely = false;
            if (g.Count >= learningRows || Prior.Count > 0)
            {
                bool own = g.Count >= learningRows;
                var (reference, size) = own ? (g.Sorted, g.Count) : (PriorLogs, PriorLogs.Length);
                double median = SortedSample.Median(reference, size);
                double spread = Math.Max(MadToSigma * SortedSample.AbsoluteDeviation(reference, size, median), MinimumSpread);
                double gaussian = 1.0 - UpperTail((average - median) / spread);
                likelihood = gaussian;
                unlikely = gaussian >= unlikelyAt;
                if (EmpiricalTail)
                {
                    int below = own ? size - g.CountAtOrAbove(average, kind) : SortedSample.CountBelow(reference, size, average);
                    likelihood = Math.Min(gaussian, (double)below / size);
                    int belowOrdinary = own ? size - g.CountAtOrAbove(average, Ordinary) : below;
                    unlikely = Math.Min(gaussian, (double)belowOrdinary / size) >= unlikelyAt;
                }
            }
            g.Add(average, unlikely ? kind : Ordinary);
            return likelihood;
        }

        // The kind of a row that was not unlikely: it counts for rows of every kind.
        private const int Ordinary = -1;

        // The prior in log units (as the history holds its values), ascending; made on first use.
        private double[] PriorLogs
        {
            get
            {
                if (priorLogs != null) return priorLogs;
                var logs = new double[Prior.Count];
                for (int i = 0; i < logs.Length; i++)
                {
                    double raw = Prior[i];
                    logs[i] = Math.Log((double.IsFinite(raw) ? Math.Max(raw, 0) : 0) + Floor);
                }
                Array.Sort(logs);
                return priorLogs = logs;
            }
        }

        /// <summary>
        /// Writes the settings and each group's history, for a later run to go on where this one stopped (the scheduled
        /// job keeps it between runs): about 12 bytes per row of history per group (its short-run average and kind).
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

        /// <summary>
        /// Reads what <see cref="Save"/> wrote; null when it was written with other settings than these.
        /// <paramref name="withKinds"/> false reads a history saved before rows kept their kind (SeriesMemory version 2):
        /// every row is then ordinary.
        /// </summary>
        public static AnomalyLikelihood? Load(System.IO.BinaryReader reader, AnomalyLikelihood settings, bool withKinds = true)
        {
            int history = reader.ReadInt32(), shortRows = reader.ReadInt32(), learning = reader.ReadInt32(), recent = reader.ReadInt32();
            if (history != settings.HistoryRows || shortRows != settings.ShortRows || learning != settings.LearningRows || recent != settings.RecentRows)
                return null;
            var loaded = new AnomalyLikelihood(history, shortRows, learning, recent, settings.EmpiricalTail, settings.Prior, settings.UnlikelyAt, settings.PerGroup,
                settings.PriorHigh)
            {
                FullFromFirstRow = settings.FullFromFirstRow,
            };
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string group = reader.ReadString();
                var g = new GroupHistory(history, shortRows, loaded.SettingsOf(group), loaded.FullFromFirstRow);
                g.Load(reader, withKinds);
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

        // One group: the last ShortRows log errors (for the short-run average), the last HistoryRows short-run averages
        // in arrival order (a ring) with each row's kind (Ordinary, or the kind of an unlikely row), the same values in
        // ascending order (for the median and the MAD; it can always be rebuilt from the ring), and, for the empirical
        // tail, the unlikely rows' values in ascending order, all of them and per kind (few: incidents are rare).
        // The arrays grow with the group's rows up to HistoryRows: allocated at the bound from a group's first row, a
        // fleet of 20,000 hosts with a few rows each held 173 KB of history per host (3.7 GB). Until the ring is full it
        // holds the rows in order from its start, so growing it moves no row and the saved history is the same.
        private sealed class GroupHistory
        {
            private readonly double[] shortRing;
            private readonly int[] shortKinds;
            private int shortCount, shortNext;
            // Kept in the saved history for its layout; the average is summed afresh from the ring (AddShort).
            private double shortSum;
            private readonly int historyRows;
            // The arrays at their bounds from the first row (AnomalyLikelihood.FullFromFirstRow).
            private readonly bool fullFromFirstRow;
            private double[] history;
            private int[] kinds;
            private double[] sorted;
            private int next;
            private readonly List<double> unlikely = new List<double>();
            private readonly Dictionary<int, List<double>> unlikelyOf = new Dictionary<int, List<double>>();

            // The running maximum of the last recentRows averages, of ordinary rows and of each kind's unlikely rows.
            private readonly int recentRows;

            /// <summary>The group's learning period, new-high horizon and threshold.</summary>
            public GroupSettings Settings { get; }
            private readonly RunningMax ordinaryMax;
            private readonly Dictionary<int, RunningMax> kindMax = new Dictionary<int, RunningMax>();
            private long row;

            public GroupHistory(int historyRows, int shortRows, GroupSettings settings, bool fullFromFirstRow = false)
            {
                Settings = settings;
                this.historyRows = historyRows;
                int capacity = fullFromFirstRow ? historyRows : 0;
                history = new double[capacity];
                kinds = new int[capacity];
                sorted = new double[capacity];
                shortRing = new double[shortRows];
                shortKinds = new int[shortRows];
                recentRows = settings.RecentRows;
                ordinaryMax = new RunningMax(recentRows, fullFromFirstRow);
                this.fullFromFirstRow = fullFromFirstRow;
            }

            // Room for the row at `index` of the ring (and those before it): at least double the room (from 16 rows),
            // at most the bound. A new slot is 0 (and of kind 0), as a slot not written yet always was.
            private void MakeRoomFor(int index)
            {
                if (index < history.Length) return;
                int capacity = Math.Min(historyRows, Math.Max(index + 1, Math.Max(16, 2 * history.Length)));
                Array.Resize(ref history, capacity);
                Array.Resize(ref kinds, capacity);
                Array.Resize(ref sorted, capacity);
            }

            public void Save(System.IO.BinaryWriter w)
            {
                w.Write(shortCount); w.Write(shortNext); w.Write(shortSum);
                foreach (double v in shortRing) w.Write(v);
                // The history ring only: its sorted copies are rebuilt on load.
                w.Write(Count); w.Write(next);
                for (int i = 0; i < Count; i++) w.Write(history[i]);
                w.Write(row);
                ordinaryMax.Save(w);
                for (int i = 0; i < Count; i++) w.Write(kinds[i]);
                foreach (int k in shortKinds) w.Write(k);
                w.Write(kindMax.Count);
                foreach (var pair in kindMax)
                {
                    w.Write(pair.Key);
                    pair.Value.Save(w);
                }
            }

            public void Load(System.IO.BinaryReader r, bool withKinds)
            {
                shortCount = r.ReadInt32(); shortNext = r.ReadInt32(); shortSum = r.ReadDouble();
                for (int i = 0; i < shortRing.Length; i++) shortRing[i] = r.ReadDouble();
                Count = r.ReadInt32(); next = r.ReadInt32();
                if (Count < 0 || Count > historyRows || shortCount < 0 || shortCount > shortRing.Length || next < 0 || next >= historyRows)
                    throw new System.IO.InvalidDataException("A likelihood history is longer than its settings allow.");
                MakeRoomFor(Math.Max(Count, next + 1) - 1);
                for (int i = 0; i < Count; i++)
                {
                    history[i] = r.ReadDouble();
                    if (double.IsNaN(history[i])) throw new System.IO.InvalidDataException("A likelihood history holds a value that is not a number.");
                }
                if (withKinds)
                {
                    row = r.ReadInt64();
                    ordinaryMax.Load(r, r.ReadInt32());
                }
                else
                {
                    // Version 2: the queue's ring start (not needed) and length, the row, then the queue.
                    r.ReadInt32();
                    int queued = r.ReadInt32();
                    row = r.ReadInt64();
                    ordinaryMax.Load(r, queued);
                }
                Array.Fill(kinds, Ordinary, 0, Count);
                if (withKinds)
                {
                    for (int i = 0; i < Count; i++)
                    {
                        kinds[i] = r.ReadInt32();
                        if (kinds[i] < Ordinary) throw new System.IO.InvalidDataException("A likelihood history holds a row of no kind.");
                    }
                    for (int i = 0; i < shortKinds.Length; i++)
                    {
                        shortKinds[i] = r.ReadInt32();
                        if (shortKinds[i] < 0) throw new System.IO.InvalidDataException("A likelihood history holds a row of no kind.");
                    }
                    int queues = r.ReadInt32();
                    if (queues < 0 || queues > Count + recentRows + 1) throw new System.IO.InvalidDataException("A likelihood history has more kinds than rows.");
                    for (int q = 0; q < queues; q++)
                    {
                        int kind = r.ReadInt32();
                        var max = new RunningMax(recentRows, fullFromFirstRow);
                        max.Load(r, r.ReadInt32());
                        kindMax[kind] = max;
                    }
                }
                Array.Copy(history, sorted, Count);
                Array.Sort(sorted, 0, Count);
                for (int i = 0; i < Count; i++)
                    if (kinds[i] != Ordinary) Insert(history[i], kinds[i]);
            }

            /// <summary>
            /// True when <paramref name="value"/> is above every average of the last recentRows rows that count for
            /// <paramref name="kind"/> (ordinary rows and that kind's unlikely rows).
            /// </summary>
            public bool IsNewHigh(double value, int kind)
            {
                if (ordinaryMax.Max(row) is double m && value <= m) return false;
                return !(kindMax.TryGetValue(kind, out var k) && k.Max(row) is double km && value <= km);
            }

            public int Count { get; private set; }

            public int HistoryCapacity => history.Length;

            public int RecentCapacity => Math.Max(ordinaryMax.Capacity, kindMax.Values.Select(m => m.Capacity).DefaultIfEmpty(0).Max());

            public long HeldBytes =>
                history.Length * (long)(sizeof(double) + sizeof(int) + sizeof(double)) + shortRing.Length * (long)(sizeof(double) + sizeof(int))
                + (ordinaryMax.Capacity + kindMax.Values.Sum(m => (long)m.Capacity)) * (sizeof(long) + sizeof(double))
                + (unlikely.Capacity + unlikelyOf.Values.Sum(l => (long)l.Capacity)) * sizeof(double);

            /// <summary>The history in ascending order (its first <see cref="Count"/> values).</summary>
            public double[] Sorted => sorted;

            /// <summary>
            /// How many of the history's averages at or above <paramref name="value"/> count for <paramref name="kind"/>
            /// (Ordinary: the ordinary rows alone).
            /// </summary>
            public int CountAtOrAbove(double value, int kind)
            {
                int all = Count - SortedSample.CountBelow(sorted, Count, value);
                if (unlikely.Count == 0) return all;
                int others = AtOrAbove(unlikely, value) - (kind != Ordinary && unlikelyOf.TryGetValue(kind, out var own) ? AtOrAbove(own, value) : 0);
                return all - others;
            }

            private static int AtOrAbove(List<double> ascending, double value)
            {
                int at = ascending.BinarySearch(value);
                if (at < 0) at = ~at;
                else while (at > 0 && ascending[at - 1] >= value) at--;
                return ascending.Count - at;
            }

            // Adds a row's log error of `kind`; returns the short-run average and, in `averageKind`, the kind of its
            // largest error.
            public double AddShort(double value, int kind, out int averageKind)
            {
                if (shortCount < shortRing.Length) shortCount++;
                shortRing[shortNext] = value;
                shortKinds[shortNext] = kind;
                shortNext = (shortNext + 1) % shortRing.Length;
                int top = (shortNext - 1 + shortRing.Length) % shortRing.Length;
                // Summed afresh, oldest first: the same errors in the same order give the same average to the last bit. A
                // running sum (add the new, take off the oldest) drifted in its last bits, so a nightly job's identical
                // plateau came out a hair above yesterday's on some nights, a new high, and paged (an operator re-trial).
                double sum = 0;
                for (int i = shortCount - 1; i >= 0; i--)
                {
                    int at = (shortNext - 1 - i + 2 * shortRing.Length) % shortRing.Length;
                    sum += shortRing[at];
                    // Ties: the newest of them (as when the search ran newest first).
                    if (shortRing[at] >= shortRing[top]) top = at;
                }
                shortSum = sum;
                averageKind = shortKinds[top];
                return sum / shortCount;
            }

            // The row's short-run average joins the history (and the running maxima) with its kind.
            public void Add(double value, int kind)
            {
                if (kind == Ordinary) ordinaryMax.Add(row, value);
                else
                {
                    if (!kindMax.TryGetValue(kind, out var max)) kindMax[kind] = max = new RunningMax(recentRows, fullFromFirstRow);
                    max.Add(row, value);
                }
                foreach (var stale in StaleKinds()) kindMax.Remove(stale);
                row++;
                if (Count == historyRows)
                {
                    // Take the oldest value out of the sorted copies (Count drops by one while it is out).
                    double old = history[next];
                    int at = SortedSample.CountBelow(sorted, Count, old);
                    Array.Copy(sorted, at + 1, sorted, at, Count - at - 1);
                    Count--;
                    if (kinds[next] != Ordinary) Remove(old, kinds[next]);
                }
                else MakeRoomFor(Math.Max(next, Count));
                history[next] = value;
                kinds[next] = kind;
                next = (next + 1) % historyRows;
                int to = SortedSample.CountBelow(sorted, Count, value);
                Array.Copy(sorted, to, sorted, to + 1, Count - to);
                sorted[to] = value;
                Count++;
                if (kind != Ordinary) Insert(value, kind);
            }

            // Kinds whose running maximum has emptied (no unlikely row of theirs among the recent rows).
            private List<int> StaleKinds()
            {
                List<int>? stale = null;
                foreach (var pair in kindMax)
                    if (pair.Value.Max(row + 1) == null) (stale ??= new List<int>()).Add(pair.Key);
                return stale ?? NoKinds;
            }

            private static readonly List<int> NoKinds = new List<int>();

            private void Insert(double value, int kind)
            {
                InsertSorted(unlikely, value);
                if (!unlikelyOf.TryGetValue(kind, out var list)) unlikelyOf[kind] = list = new List<double>();
                InsertSorted(list, value);
            }

            private void Remove(double value, int kind)
            {
                unlikely.RemoveAt(IndexOf(unlikely, value));
                var list = unlikelyOf[kind];
                list.RemoveAt(IndexOf(list, value));
                if (list.Count == 0) unlikelyOf.Remove(kind);
            }

            private static void InsertSorted(List<double> list, double value)
            {
                int at = list.BinarySearch(value);
                list.Insert(at < 0 ? ~at : at, value);
            }

            private static int IndexOf(List<double> list, double value)
            {
                int at = list.BinarySearch(value);
                if (at < 0) throw new InvalidOperationException("A likelihood history lost track of an unlikely row.");
                return at;
            }
        }

        // The maximum of the values added for the last `window` rows: a monotone queue (values decreasing from the
        // front) of row numbers and values in a ring, of at most window + 1 entries, that grows as it fills.
        private sealed class RunningMax
        {
            private readonly long window;
            private long[] rows;
            private double[] values;
            private int start, count;

            public RunningMax(int window, bool full = false)
            {
                this.window = window;
                int capacity = full ? window + 1 : Math.Min(window + 1, 4);
                rows = new long[capacity];
                values = new double[capacity];
            }

            public int Capacity => rows.Length;

            /// <summary>The maximum over rows after <paramref name="now"/> - window - 1 (null when there is none).</summary>
            public double? Max(long now)
            {
                while (count > 0 && rows[start] < now - window) { start = (start + 1) % rows.Length; count--; }
                return count > 0 ? values[start] : null;
            }

            public void Add(long row, double value)
            {
                Max(row);
                while (count > 0 && values[(start + count - 1) % rows.Length] <= value) count--;
                if (count == rows.Length) Grow(count + 1);
                int at = (start + count) % rows.Length;
                rows[at] = row;
                values[at] = value;
                count++;
            }

            public void Save(System.IO.BinaryWriter w)
            {
                w.Write(count);
                for (int i = 0; i < count; i++)
                {
                    int at = (start + i) % rows.Length;
                    w.Write(rows[at]);
                    w.Write(values[at]);
                }
            }

            // Room for `needed` entries (at most window + 1), the queue laid out from the start of the ring.
            private void Grow(int needed)
            {
                if (needed <= rows.Length || rows.Length > window) return;
                int capacity = (int)Math.Min(window + 1, Math.Max(needed, 2L * rows.Length));
                var newRows = new long[capacity];
                var newValues = new double[capacity];
                for (int i = 0; i < count; i++)
                {
                    newRows[i] = rows[(start + i) % rows.Length];
                    newValues[i] = values[(start + i) % rows.Length];
                }
                rows = newRows;
                values = newValues;
                start = 0;
            }

            // Reads `queued` entries written by Save (after their count).
            public void Load(System.IO.BinaryReader r, int queued)
            {
                if (queued < 0 || queued > window + 1) throw new System.IO.InvalidDataException("A likelihood history is longer than its settings allow.");
                count = 0;
                start = 0;
                Grow(queued);
                count = queued;
                for (int i = 0; i < count; i++)
                {
                    rows[i] = r.ReadInt64();
                    values[i] = r.ReadDouble();
                }
            }
        }

        // Statistics of the first n values of an ascending array: a group's history, or the model's training errors.
        private static class SortedSample
        {
            public static double Median(double[] sorted, int n) => n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);

            /// <summary>The median absolute deviation from <paramref name="median"/>.</summary>
            public static double AbsoluteDeviation(double[] sorted, int n, double median) => n % 2 == 1
                ? SmallestDeviation(sorted, n, median, n / 2)
                : 0.5 * (SmallestDeviation(sorted, n, median, n / 2 - 1) + SmallestDeviation(sorted, n, median, n / 2));

            // The k-th smallest (0-based) |x - median|: the deviations below the median, read from the median down, and
            // those above it, read up, are two ascending lists; this is the k-th of their merge, found by bisecting how
            // many come from the first list (O(log n)).
            private static double SmallestDeviation(double[] sorted, int n, double median, int k)
            {
                int split = CountBelow(sorted, n, median);               // sorted[0..split) < median <= sorted[split..)
                int nLow = split, nHigh = n - split;
                double Low(int i) => median - sorted[split - 1 - i];     // ascending in i
                double High(int j) => sorted[split + j] - median;        // ascending in j
                // Take i from Low and k + 1 - i from High so that the (k+1) smallest are exactly these.
                int lo = Math.Max(0, k + 1 - nHigh), hi = Math.Min(k + 1, nLow);
                while (true)
                {
                    int i = (lo + hi) / 2, j = k + 1 - i;
                    if (i < nLow && j > 0 && High(j - 1) > Low(i)) lo = i + 1;        // too few from Low
                    else if (i > 0 && j < nHigh && Low(i - 1) > High(j)) hi = i - 1;  // too many from Low
                    else
                    {
                        double a = i > 0 ? Low(i - 1) : double.NegativeInfinity;
                        double b = j > 0 ? High(j - 1) : double.NegativeInfinity;
                        return Math.Max(a, b);
                    }
                }
            }

            /// <summary>How many values are strictly below <paramref name="value"/>.</summary>
            public static int CountBelow(double[] sorted, int n, double value)
            {
                int lo = 0, hi = n;
                while (lo < hi)
                {
                    int mid = (lo + hi) >> 1;
                    if (sorted[mid] < value) lo = mid + 1; else hi = mid;
                }
                return lo;
            }
        }
    }
}
