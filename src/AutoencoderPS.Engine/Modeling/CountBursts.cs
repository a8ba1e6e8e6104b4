using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// The count-burst rule of a sliding-window model, beside the reconstruction error as the stuck-value rule
    /// (<see cref="HeldValues"/>) is. A sparse count (errors per minute: 0 on most rows, now and then 1) defeats the error's
    /// likelihood: a window's error is low with no event in it and high with one, so the history's errors fall in two
    /// clusters, their spread is the gap between them, and a burst of 30 events in 10 rows, 25-32 times the model's
    /// threshold, is only one or two spreads above the median. For such a feature the question an operator asks is a
    /// count's own: are this many events in one window believable at the rate training saw?
    /// <para>
    /// Which features: a numeric feature (not a cumulative counter, whose rate is no count) whose every measured training
    /// value is a whole number, none below 0, and at least half of them 0, with at least one event: a sparse count. Where the
    /// typical row has events the error grows smoothly with the count and the likelihood judges it; where it has none
    /// the error splits into event and no event. A column of bytes written that is 0 on most rows qualifies too: a byte is
    /// counted as an event, and its bursts make the fit over-dispersed.
    /// </para>
    /// <para>
    /// The rate: a window's total (its rows' sum) is taken as negative binomial (a Poisson count whose rate varies, as
    /// real error rates do with load; never narrower than the uncertainty of the rate learnt, below), fitted by its mean and variance
    /// over training windows. Robustly: the windows are cut into days of rows (<see cref="BlockWindows"/>),
    /// and the median day's mean and the median day's variance are taken, so an incident in training (a day with a burst)
    /// does not make the rule blind to the next one; a count too rare for the median day to have an event is fitted on all
    /// windows at once. A rate learnt from few events is itself uncertain: with E events the gamma spread of the rate has a
    /// shape of E + 1/2 (Jeffreys), so the negative binomial's size is at most that (its tail is at least as wide as the
    /// rate's uncertainty makes it). No time-of-day profile: a week of a sparse count holds a dozen events per hour of the
    /// day, too few to learn a rate per hour from, and the variance over a day already widens the tail for the busy hours.
    /// </para>
    /// <para>
    /// The limit: the smallest total whose chance under that fit is at most one window in <see cref="QuietSpan"/> (a year)
    /// of windows at the series' interval (1.9e-6 a window a minute, 9.5e-6 at 5 minutes). A window at or above it is an
    /// anomaly whatever its error: on normal data the rule alone should page once a year per count, less, since
    /// overlapping windows share their rows and an alert's cool-down merges them.
    /// </para>
    /// </summary>
    public sealed class CountBursts
    {
        /// <summary>How rarely the rule may fire on a count as training saw it: once a year of windows.</summary>
        public static readonly TimeSpan QuietSpan = TimeSpan.FromDays(365);

        /// <summary>The interval taken when a series' is not known (the 5-minute rows the defaults were measured at).</summary>
        public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

        /// <summary>Training windows a group needs before its own rate decides for it (as <see cref="HeldValues.MinGroupWindows"/>).</summary>
        public const int MinGroupWindows = HeldValues.MinGroupWindows;

        private readonly CountRate?[] overall;
        private readonly Dictionary<string, CountGroup> groups = new Dictionary<string, CountGroup>(StringComparer.Ordinal);
        private readonly int windowSize;
        private readonly int rowWidth;
        private readonly int[] slotOf;
        private readonly string[] names;
        private readonly int[] watched;
        private readonly int[] overallLimits;
        private readonly Dictionary<string, int[]> limitsByGroup = new Dictionary<string, int[]>(StringComparer.Ordinal);
        private readonly TimeSpan? interval;
        private readonly IReadOnlyDictionary<string, TimeSpan> groupIntervals;

        /// <summary>
        /// The rule for <paramref name="schema"/>'s columns: <paramref name="rates"/> holds per column its fitted rate, or
        /// null for a column that is not watched; <paramref name="byGroup"/>, when training had several groups, each
        /// group's own rates. <paramref name="interval"/>, <paramref name="groupIntervals"/>: the rows' usual interval (the
        /// model's, and each group's), which sets the tail chance per window.
        /// </summary>
        public CountBursts(FeatureSchema schema, IReadOnlyList<CountRate?> rates, int windowSize, TimeSpan? interval = null,
            IReadOnlyDictionary<string, TimeSpan>? groupIntervals = null, IEnumerable<CountGroup>? byGroup = null)
        {
            if (schema == null) throw new ArgumentNullException(nameof(schema));
            if (rates == null) throw new ArgumentNullException(nameof(rates));
            if (rates.Count != schema.Count) throw new ArgumentException("One rate (or none) per column of the schema.", nameof(rates));
            if (windowSize < 2) throw new ArgumentOutOfRangeException(nameof(windowSize), "A count burst is seen in windows of two rows or more.");
            this.windowSize = windowSize;
            this.interval = interval;
            this.groupIntervals = groupIntervals ?? new Dictionary<string, TimeSpan>();
            rowWidth = schema.Width;
            overall = rates.ToArray();
            names = new string[schema.Count];
            slotOf = new int[schema.Count];
            var columns = new List<int>();
            for (int c = 0; c < schema.Count; c++)
            {
                names[c] = schema.Columns[c].Name;
                slotOf[c] = schema.FirstSlot(c);
                if (overall[c] != null)
                {
                    if (schema.Columns[c].Role != ColumnRole.Numeric || schema.Columns[c].IsCounter)
                        throw new ArgumentException($"Only a numeric feature that is not a counter is a count ('{names[c]}').", nameof(rates));
                    columns.Add(c);
                }
            }
            watched = columns.ToArray();
            overallLimits = LimitsOf(overall, interval);
            foreach (var group in byGroup ?? Array.Empty<CountGroup>())
            {
                if (group.Rates.Count != schema.Count) throw new ArgumentException($"Group '{group.Group}' needs one rate (or none) per column.", nameof(byGroup));
                if (!groups.TryAdd(group.Group, group)) throw new ArgumentException($"Group '{group.Group}' is named twice.", nameof(byGroup));
                if (group.Windows < MinGroupWindows) continue;
                // A column the group has no rate of (no event in its windows) is judged by the rate of all groups.
                var own = group.Rates.Select((r, c) => overall[c] == null ? null : r ?? overall[c]).ToArray();
                limitsByGroup[group.Group] = LimitsOf(own, this.groupIntervals.TryGetValue(group.Group, out var step) ? step : interval);
            }
        }

        // Per column: the limit (0: not watched).
        private static int[] LimitsOf(IReadOnlyList<CountRate?> rates, TimeSpan? interval)
        {
            double chance = TailChance(interval);
            var limits = new int[rates.Count];
            for (int c = 0; c < rates.Count; c++) limits[c] = rates[c] is { } rate ? Limit(rate.Mean, rate.Size, chance) : 0;
            return limits;
        }

        /// <summary>The chance per window at which a total is a burst: one window in <see cref="QuietSpan"/> of windows at <paramref name="interval"/>.</summary>
        public static double TailChance(TimeSpan? interval)
        {
            var step = interval is { } i && i > TimeSpan.Zero ? i : DefaultInterval;
            return Math.Min(0.5, step / QuietSpan);
        }

        /// <summary>Per column of the schema: its fitted rate over all groups, or null when it is not watched.</summary>
        public IReadOnlyList<CountRate?> Rates => overall;

        /// <summary>Each group's own rates, when training had several groups (empty otherwise).</summary>
        public IReadOnlyCollection<CountGroup> Groups => groups.Values;

        /// <summary>Rows per window.</summary>
        public int WindowSize => windowSize;

        /// <summary>True when some feature is watched.</summary>
        public bool Watches => watched.Length > 0;

        /// <summary>The smallest window total of column <paramref name="column"/> that is a burst in <paramref name="group"/>'s windows; 0 when the column is not watched.</summary>
        public int LimitFor(int column, string? group = null) => LimitsFor(group)[column];

        private int[] LimitsFor(string? group) => group != null && limitsByGroup.TryGetValue(group, out var own) ? own : overallLimits;

        /// <summary>The rate that judges column <paramref name="column"/> in <paramref name="group"/>'s windows.</summary>
        public CountRate? RateFor(int column, string? group = null) =>
            overall[column] == null ? null
            : group != null && limitsByGroup.ContainsKey(group) && groups[group].Rates[column] is { } own ? own : overall[column];

        /// <summary>
        /// The smallest k with P(X &gt;= k) &lt;= <paramref name="chance"/> for X negative binomial of mean
        /// <paramref name="mean"/> and size <paramref name="size"/> (null: Poisson): summed term by term in logs (a large
        /// mean does not underflow the first terms) up to <see cref="MostTerms"/> terms. Beyond them (a sparse count of
        /// bytes: a mean of millions, a size far below 1) the Poisson part is a vanishing share of the spread, and the
        /// tail is the gamma mixture's: P(X &gt;= k) ~ Q(size, size k / mean).
        /// </summary>
        public static int Limit(double mean, double? size, double chance)
        {
            if (!(mean > 0) || !double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), "A rate is a positive finite number.");
            if (size is double s && !(s > 0 && double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(size), "A size is a positive finite number.");
            if (!(chance > 0 && chance < 1)) throw new ArgumentOutOfRangeException(nameof(chance), "A tail chance lies between 0 and 1.");
            double logPmf, logRatio;
            if (size is double r)
            {
                // P(0) = (r / (r + m))^r; P(j + 1) = P(j) (j + r) / (j + 1) * m / (r + m).
                logPmf = r * Math.Log(r / (r + mean));
                logRatio = Math.Log(mean / (r + mean));
            }
            else
            {
                logPmf = -mean;
                logRatio = Math.Log(mean);
            }
            double below = 0; // P(X < k)
            for (int k = 0; k < MostTerms; k++)
            {
                if (1 - below <= chance) return Math.Max(1, k);
                below += Math.Exp(logPmf);
                logPmf += logRatio + (size is double r2 ? Math.Log((k + r2) / (k + 1)) : -Math.Log(k + 1));
            }
            // Only a wide negative binomial gets here (a Poisson's tail at 1e-300 lies within mean + 40 sqrt(mean) + 700).
            double shape = size ?? mean;
            double low = 0, high = Math.Max(1, shape);
            while (UpperGamma(shape, high) > chance) { low = high; high *= 2; }
            for (int i = 0; i < 200 && high - low > 1e-12 * high; i++)
            {
                double mid = (low + high) / 2;
                if (UpperGamma(shape, mid) > chance) low = mid; else high = mid;
            }
            return (int)Math.Min(int.MaxValue, Math.Max(MostTerms, Math.Ceiling(high * mean / shape)));
        }

        /// <summary>Terms of <see cref="Limit"/>'s sum before it takes the gamma tail.</summary>
        public const int MostTerms = 1_000_000;

        /// <summary>The regularized upper incomplete gamma function Q(a, x) (series below a + 1, continued fraction above).</summary>
        public static double UpperGamma(double a, double x)
        {
            if (x <= 0) return 1;
            double front = -x + a * Math.Log(x) - LogGamma(a);
            if (x < a + 1)
            {
                double ap = a, sum = 1 / a, term = sum;
                for (int n = 0; n < 10_000 && Math.Abs(term) > Math.Abs(sum) * 1e-16; n++)
                {
                    ap++;
                    term *= x / ap;
                    sum += term;
                }
                return Math.Max(0, 1 - sum * Math.Exp(front));
            }
            const double Tiny = 1e-300;
            double b = x + 1 - a, c = 1 / Tiny, d = 1 / b, h = d;
            for (int i = 1; i < 10_000; i++)
            {
                double an = -i * (i - a);
                b += 2;
                d = an * d + b;
                if (Math.Abs(d) < Tiny) d = Tiny;
                c = b + an / c;
                if (Math.Abs(c) < Tiny) c = Tiny;
                d = 1 / d;
                double step = d * c;
                h *= step;
                if (Math.Abs(step - 1) < 1e-16) break;
            }
            return Math.Exp(front) * h;
        }

        // ln Gamma(x), x > 0 (Lanczos, g = 7, 9 terms: 15 digits).
        private static double LogGamma(double x)
        {
            if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
            double[] g = { 0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7 };
            x -= 1;
            double sum = g[0];
            for (int i = 1; i < g.Length; i++) sum += g[i] / (x + i);
            double t = x + 7.5;
            return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
        }

        /// <summary>
        /// The rule learnt from training <paramref name="windows"/> (each the indices of its rows in <paramref name="rows"/>,
        /// oldest first; <paramref name="groupOf"/>, per window, its group, when there are several). A value in
        /// <paramref name="imputed"/> (filled in for a missing one) was not measured: it neither makes a column a count nor
        /// keeps it from being one. <paramref name="interval"/>, <paramref name="groupIntervals"/>: the rows' usual
        /// intervals (a day of rows, the tail chance). <paramref name="earlier"/>: the rule of an earlier training run
        /// (-Incremental), whose rate a sparse count without an event in these rows keeps. Null when no feature is a sparse count.
        /// </summary>
        public static CountBursts? Learn(FeatureSchema schema, IReadOnlyList<double[]> rows, IReadOnlyList<int[]> windows, int windowSize,
            ImputedCells? imputed = null, IReadOnlyList<string>? groupOf = null, TimeSpan? interval = null,
            IReadOnlyDictionary<string, TimeSpan>? groupIntervals = null, CountBursts? earlier = null)
        {
            if (groupOf != null && groupOf.Count != windows.Count) throw new ArgumentException("One group per window.", nameof(groupOf));
            groupIntervals ??= new Dictionary<string, TimeSpan>();
            bool Filled(int row, int column) => imputed != null && imputed.Contains(row, column);
            // The rows the windows read, once each, and their groups.
            var rowGroup = new Dictionary<int, string>();
            for (int w = 0; w < windows.Count; w++)
                foreach (int row in windows[w]) rowGroup.TryAdd(row, groupOf?[w] ?? "");
            var counts = new List<int>();
            var carried = new List<int>();
            var eventsByColumn = new List<Dictionary<string, double>>();
            for (int c = 0; c < schema.Count; c++)
            {
                var column = schema.Columns[c];
                if (column.Role != ColumnRole.Numeric || column.IsCounter) continue;
                int slot = schema.FirstSlot(c);
                long measured = 0, zeros = 0;
                bool count = true;
                var events = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var (row, group) in rowGroup)
                {
                    if (Filled(row, c)) continue;
                    double v = rows[row][slot];
                    if (!(v >= 0) || Math.Floor(v) != v || v > 1e15) { count = false; break; }
                    measured++;
                    if (v == 0) zeros++;
                    else events[group] = events.GetValueOrDefault(group) + v;
                }
                // A sparse count: at least half its measured rows 0, and an event to learn a rate from. Rows without an
                // event (a quiet day trained on with -Incremental) keep the rate an earlier run learnt.
                if (!count || measured == 0 || 2 * zeros < measured) continue;
                if (events.Count > 0)
                {
                    counts.Add(c);
                    eventsByColumn.Add(events);
                }
                else if (earlier?.overall.Length == schema.Count && earlier.overall[c] != null) carried.Add(c);
            }
            if (counts.Count == 0 && carried.Count == 0) return null;

            // Each group's windows in order, and their totals per count column.
            var windowsOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int w = 0; w < windows.Count; w++)
            {
                string group = groupOf?[w] ?? "";
                if (!windowsOf.TryGetValue(group, out var list)) windowsOf[group] = list = new List<int>();
                list.Add(w);
            }
            var rates = new CountRate?[schema.Count];
            var groupRates = windowsOf.Keys.ToDictionary(g => g, g => new CountRate?[schema.Count], StringComparer.Ordinal);
            var totals = new double[windows.Count];
            for (int k = 0; k < counts.Count; k++)
            {
                int c = counts[k], slot = schema.FirstSlot(c);
                for (int w = 0; w < windows.Count; w++)
                {
                    double total = 0;
                    foreach (int row in windows[w])
                        if (!Filled(row, c)) total += rows[row][slot];
                    totals[w] = total;
                }
                double allEvents = eventsByColumn[k].Values.Sum();
                foreach (var (group, list) in windowsOf)
                {
                    var step = groupIntervals.TryGetValue(group, out var own) ? own : interval;
                    groupRates[group][c] = Fit(list.Select(w => totals[w]).ToArray(), BlockWindows(step, windowSize), eventsByColumn[k].GetValueOrDefault(group));
                }
                // One group: its fit is the rule's. Several: all windows pooled (different rates widen the fit, which is
                // the safe side for a group that is judged by it: one too new or too short for a rate of its own).
                rates[c] = windowsOf.Count == 1 ? groupRates.Values.Single()[c] : Fit(totals, windows.Count, allEvents);
            }
            foreach (int c in carried)
            {
                rates[c] = earlier!.overall[c];
                foreach (var (group, own) in groupRates)
                    own[c] = earlier.groups.TryGetValue(group, out var before) ? before.Rates[c] : null;
            }
            if (rates.All(r => r == null)) return null;
            var byGroup = windowsOf.Count > 1 ? windowsOf.Select(g => new CountGroup(g.Key, g.Value.Count, groupRates[g.Key])).ToList() : null;
            return new CountBursts(schema, rates, windowSize, interval, groupIntervals, byGroup);
        }

        /// <summary>
        /// The windows of one block of <see cref="Fit"/>: a day of rows at <paramref name="interval"/> (the cycle most
        /// metrics have; 5 minutes when not known), and at least a dozen windows' rows, so a block's variance rests on a
        /// dozen totals of rows of their own (288 rows, a day of 5-minute rows, for windows of 24; a day of hourly rows
        /// would be one window).
        /// </summary>
        public static int BlockWindows(TimeSpan? interval, int windowSize)
        {
            var step = interval is { } i && i > TimeSpan.Zero ? i : DefaultInterval;
            double day = Math.Ceiling(TimeSpan.FromDays(1) / step - 1e-9);
            return (int)Math.Min(int.MaxValue, Math.Max(day, 12.0 * windowSize));
        }

        /// <summary>
        /// The negative binomial of window totals <paramref name="totals"/> (in order), fitted per block of
        /// <paramref name="blockWindows"/> windows (a day): the median block's mean and the median block's variance; a
        /// last block shorter than half is part of the one before. A count whose median block mean is 0 is fitted on all
        /// totals at once. The size is at most <paramref name="events"/> + 1/2. Null without an event.
        /// </summary>
        public static CountRate? Fit(IReadOnlyList<double> totals, int blockWindows, double events)
        {
            if (totals.Count == 0 || !(events > 0)) return null;
            blockWindows = Math.Max(1, blockWindows);
            int blocks = Math.Max(1, totals.Count / blockWindows);
            if (totals.Count - blocks * blockWindows >= (blockWindows + 1) / 2 && totals.Count > blockWindows) blocks++;
            var means = new double[blocks];
            var variances = new double[blocks];
            for (int b = 0; b < blocks; b++)
            {
                int from = b * blockWindows, to = b == blocks - 1 ? totals.Count : Math.Min(totals.Count, from + blockWindows);
                (means[b], variances[b]) = Moments(totals, from, to);
            }
            double mean = Numerics.Statistics.Median(means), variance = Numerics.Statistics.Median(variances);
            if (!(mean > 0)) (mean, variance) = Moments(totals, 0, totals.Count);
            if (!(mean > 0)) return null;
            double? size = variance > mean ? mean * mean / (variance - mean) : null;
            double most = events + 0.5;
            if (size == null || size > most) size = most;
            return new CountRate(mean, size);
        }

        private static (double Mean, double Variance) Moments(IReadOnlyList<double> values, int from, int to)
        {
            double sum = 0;
            for (int i = from; i < to; i++) sum += values[i];
            double mean = sum / (to - from), squares = 0;
            for (int i = from; i < to; i++) squares += (values[i] - mean) * (values[i] - mean);
            return (mean, squares / (to - from));
        }

        /// <summary>
        /// This rule and <paramref name="other"/>'s (an earlier training run of the same schema): per column, and per
        /// group, the rate of the higher limit (a burst must be one under both); a column watched by one only is not a
        /// sparse count in all the training rows, and is not watched.
        /// </summary>
        public CountBursts? Widen(CountBursts? other, FeatureSchema schema)
        {
            if (other == null) return this;
            if (other.overall.Length != overall.Length || other.windowSize != windowSize)
                throw new ArgumentException("An earlier run's rule must be of the same schema and window.", nameof(other));
            var merged = new CountRate?[overall.Length];
            for (int c = 0; c < merged.Length; c++)
                merged[c] = overall[c] == null || other.overall[c] == null ? null
                    : overallLimits[c] >= other.overallLimits[c] ? overall[c] : other.overall[c];
            if (merged.All(r => r == null)) return null;
            var byGroup = new Dictionary<string, CountGroup>(StringComparer.Ordinal);
            foreach (var group in other.groups.Values.Concat(groups.Values))
            {
                var rates = group.Rates.Select((r, c) => merged[c] == null ? null : r).ToArray();
                if (byGroup.TryGetValue(group.Group, out var earlier))
                    for (int c = 0; c < rates.Length; c++)
                        if (earlier.Rates[c] is { } e && (rates[c] == null || Limit(e.Mean, e.Size, 1e-6) > Limit(rates[c]!.Mean, rates[c]!.Size, 1e-6))) rates[c] = e;
                byGroup[group.Group] = new CountGroup(group.Group, group.Windows + (earlier?.Windows ?? 0), rates);
            }
            return new CountBursts(schema, merged, windowSize, interval, groupIntervals, byGroup.Count > 0 ? byGroup.Values : null);
        }

        /// <summary>One line for the training log: the features watched as sparse counts, their rates and limits.</summary>
        public string Describe()
        {
            if (watched.Length == 0) return "Count bursts: no feature is a sparse count (whole numbers, none below 0, at least half of them 0).";
            var parts = watched.Select(c =>
            {
                var rate = overall[c]!;
                return string.Create(CultureInfo.InvariantCulture,
                    $"{names[c]} ({rate.Mean:G3} a window{(rate.Size is double s ? $", size {s:G3}" : ", Poisson")}: {overallLimits[c]} or more is a burst)");
            });
            return $"Count bursts: a window of {windowSize} rows whose total of a sparse count would come once in {QuietSpan.TotalDays:0} days at the training rate is an anomaly. " +
                   "Watched: " + string.Join(", ", parts) + (groups.Count > 0 ? $"; {limitsByGroup.Count} of {groups.Count} group(s) by rates of their own." : ".");
        }

        public override string ToString() => Describe();

        /// <summary>
        /// The first watched column (index in the row schema) whose total over <paramref name="window"/>
        /// (<see cref="WindowSize"/> featurized rows, oldest first) reaches its limit in <paramref name="group"/>'s
        /// windows, or -1; <paramref name="total"/> is that total. A value filled in for a missing one is the training
        /// median, 0 for a sparse count, and adds nothing.
        /// </summary>
        public int Find(double[] window, string? group, out double total)
        {
            var limits = LimitsFor(group);
            for (int w = 0; w < watched.Length; w++)
            {
                int column = watched[w], slot = slotOf[column];
                double sum = 0;
                for (int k = 0; k < windowSize; k++) sum += window[k * rowWidth + slot];
                if (sum >= limits[column])
                {
                    total = sum;
                    return column;
                }
            }
            total = 0;
            return -1;
        }
    }

    /// <summary>A sparse count's fitted window total: negative binomial of <see cref="Mean"/> and <see cref="Size"/> (null: Poisson).</summary>
    public sealed class CountRate
    {
        public CountRate(double mean, double? size)
        {
            if (!(mean > 0 && double.IsFinite(mean))) throw new ArgumentOutOfRangeException(nameof(mean), "A rate is a positive finite number.");
            if (size is double s && !(s > 0 && double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(size), "A size is a positive finite number.");
            Mean = mean;
            Size = size;
        }

        /// <summary>Events expected in a window.</summary>
        public double Mean { get; }

        /// <summary>The negative binomial's size (smaller: more spread); null: a Poisson.</summary>
        public double? Size { get; }
    }

    /// <summary>One group's part of the count-burst rule: its training windows and, per column, its rate (null: none).</summary>
    public sealed class CountGroup
    {
        public CountGroup(string group, long windows, IReadOnlyList<CountRate?> rates)
        {
            Group = group ?? throw new ArgumentNullException(nameof(group));
            if (windows < 0) throw new ArgumentOutOfRangeException(nameof(windows));
            Windows = windows;
            Rates = rates ?? throw new ArgumentNullException(nameof(rates));
        }

        public string Group { get; }

        public long Windows { get; }

        public IReadOnlyList<CountRate?> Rates { get; }
    }
}
