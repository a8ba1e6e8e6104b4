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
    /// counted as an event, and its bursts make the fit over-dispersed. A sparse count training saw no event of (all its
    /// values 0) is a count whose rate is not known yet (<see cref="Pending"/>): it is not watched, and the first
    /// incremental run with events learns its rate; a feature that was no sparse count in some training rows never is one.
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
        private readonly bool[] pending;
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
        /// model's, and each group's), which sets the tail chance per window. <paramref name="limits"/>: per column the limit
        /// the rates give (0 where there is none), as <see cref="Limits"/> computed it before (a model file keeps them, so
        /// loading computes none); with them every group of a rate of its own brings its <see cref="CountGroup.Limits"/>.
        /// Null: computed here. <paramref name="pending"/>: per column, true for a sparse count without a rate (training saw
        /// no event of it: see <see cref="Pending"/>); null: none.
        /// </summary>
        public CountBursts(FeatureSchema schema, IReadOnlyList<CountRate?> rates, int windowSize, TimeSpan? interval = null,
            IReadOnlyDictionary<string, TimeSpan>? groupIntervals = null, IEnumerable<CountGroup>? byGroup = null,
            IReadOnlyList<int>? limits = null, IReadOnlyList<bool>? pending = null)
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
            if (pending != null && pending.Count != schema.Count) throw new ArgumentException("One flag per column of the schema.", nameof(pending));
            this.pending = pending?.ToArray() ?? new bool[schema.Count];
            names = new string[schema.Count];
            slotOf = new int[schema.Count];
            var columns = new List<int>();
            for (int c = 0; c < schema.Count; c++)
            {
                names[c] = schema.Columns[c].Name;
                slotOf[c] = schema.FirstSlot(c);
                if (overall[c] != null || this.pending[c])
                {
                    if (schema.Columns[c].Role != ColumnRole.Numeric || schema.Columns[c].IsCounter)
                        throw new ArgumentException($"Only a numeric feature that is not a counter is a count ('{names[c]}').", overall[c] != null ? nameof(rates) : nameof(pending));
                    if (overall[c] != null && this.pending[c])
                        throw new ArgumentException($"A count with a rate is not waiting for one ('{names[c]}').", nameof(pending));
                }
                if (overall[c] != null) columns.Add(c);
            }
            watched = columns.ToArray();
            overallLimits = limits == null ? LimitsOf(overall, interval) : Given(limits, overall, "The rule's limits", nameof(limits));
            foreach (var group in byGroup ?? Array.Empty<CountGroup>())
            {
                if (group.Rates.Count != schema.Count) throw new ArgumentException($"Group '{group.Group}' needs one rate (or none) per column.", nameof(byGroup));
                if (!groups.TryAdd(group.Group, group)) throw new ArgumentException($"Group '{group.Group}' is named twice.", nameof(byGroup));
                // Given limits come with those of every group that has a rate of its own, and of no other.
                bool ownRate = group.Windows >= MinGroupWindows;
                if ((group.Limits != null) != (ownRate && limits != null))
                    throw new ArgumentException($"Group '{group.Group}' brings limits of its own exactly when the rule's are given and it has {MinGroupWindows} training windows or more.", nameof(byGroup));
                if (!ownRate) continue;
                // A column the group has no rate of (no event in its windows) is judged by the rate of all groups.
                var own = group.Rates.Select((r, c) => overall[c] == null ? null : r ?? overall[c]).ToArray();
                limitsByGroup[group.Group] = group.Limits != null ? Given(group.Limits, own, $"Group '{group.Group}''s limits", nameof(byGroup))
                    : LimitsOf(own, this.groupIntervals.TryGetValue(group.Group, out var step) ? step : interval);
            }
        }

        // Limits computed before: one per column, at least 1 where there is a rate, 0 where there is none.
        private static int[] Given(IReadOnlyList<int> limits, IReadOnlyList<CountRate?> rates, string what, string parameter)
        {
            if (limits.Count != rates.Count || Enumerable.Range(0, rates.Count).Any(c => rates[c] == null ? limits[c] != 0 : limits[c] < 1))
                throw new ArgumentException($"{what} are not one per column, at least 1 where the column has a rate and 0 where it has none.", parameter);
            return limits.ToArray();
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

        /// <summary>
        /// Per column of the schema: true for a sparse count whose rate is not known, because training saw no event of it
        /// (every value 0: whole, none below 0, mostly 0, so a count, but no event to learn a rate from). It is not watched;
        /// an incremental run with events learns its rate. False for a watched count and for a feature that is no count.
        /// </summary>
        public IReadOnlyList<bool> Pending => pending;

        /// <summary>Each group's own rates, when training had several groups (empty otherwise).</summary>
        public IReadOnlyCollection<CountGroup> Groups => groups.Values;

        /// <summary>Per column of the schema: the smallest window total that is a burst by <see cref="Rates"/> (0: not watched).</summary>
        public IReadOnlyList<int> Limits => overallLimits;

        /// <summary>Per column, <paramref name="group"/>'s own limits (0: not watched); null for a group judged by <see cref="Limits"/>.</summary>
        public IReadOnlyList<int>? OwnLimits(string group) => limitsByGroup.TryGetValue(group, out var own) ? own : null;

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
        /// <paramref name="mean"/> and size <paramref name="size"/> (null: Poisson): the tail summed term by term in logs (a
        /// large mean does not underflow the first terms) up to <see cref="MostTerms"/> terms. Beyond them (a sparse count of
        /// bytes: a mean of millions, a size far below 1) the Poisson part is a vanishing share of the spread, and the
        /// tail is the gamma mixture's: P(X &gt;= k) ~ Q(size, size k / mean).
        /// <para>
        /// The sum is the definition (a model's limits must not move), but it cost up to a million terms, 1-50 ms a limit, for
        /// a large count (bytes): seconds to load or start scoring a model of a few hundred groups. So only the first
        /// <see cref="FirstTerms"/> terms are summed (every count of events a window: limits in the tens or hundreds); a
        /// limit beyond them is found by bisection on the tail itself (<see cref="Tail"/>: the incomplete beta function, for
        /// a Poisson the incomplete gamma function; 10-100 us). The sum's rounding error grows with its terms until, with k
        /// in the hundreds of thousands, it is no longer small beside the step from one k's tail to the next's (a fast exact
        /// tail and the sum then disagree by a few events in a hundred thousand), so the search answers only where the tail at
        /// the answer and below it lies further from the chance than 8 times a bound on that error (<see cref="SumError"/>);
        /// elsewhere the sum decides, as before (about one large count's limit in ten, taking as long as before).
        /// </para>
        /// </summary>
        public static int Limit(double mean, double? size, double chance) => Limit(mean, size, chance, out _);

        /// <summary>As <see cref="Limit(double, double?, double)"/>; <paramref name="summed"/>: the terms summed (tests keep the cost).</summary>
        internal static int Limit(double mean, double? size, double chance, out int summed)
        {
            if (!(mean > 0) || !double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), "A rate is a positive finite number.");
            if (size is double s && !(s > 0 && double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(size), "A size is a positive finite number.");
            if (!(chance > 0 && chance < 1)) throw new ArgumentOutOfRangeException(nameof(chance), "A tail chance lies between 0 and 1.");
            int k = Sum(mean, size, chance, FirstTerms, out summed);
            if (k > 0) return k;
            k = Search(mean, size, chance);
            if (k == 0)
            {
                k = Sum(mean, size, chance, MostTerms, out int all);
                summed += all;
            }
            if (k > 0) return k;
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

        /// <summary>Terms of <see cref="Limit(double, double?, double)"/>'s sum before it takes the gamma tail.</summary>
        public const int MostTerms = 1_000_000;

        /// <summary>Terms <see cref="Limit(double, double?, double)"/> sums before it searches the tail (a few microseconds).</summary>
        public const int FirstTerms = 512;

        // The sum: the smallest k below `terms` with 1 - P(X < k) <= chance, P(X < k) summed term by term; 0 when there is none.
        private static int Sum(double mean, double? size, double chance, int terms, out int summed)
        {
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
            for (int k = 0; k < terms; k++)
            {
                if (1 - below <= chance)
                {
                    summed = k;
                    return Math.Max(1, k);
                }
                below += Math.Exp(logPmf);
                logPmf += logRatio + (size is double r2 ? Math.Log((k + r2) / (k + 1)) : -Math.Log(k + 1));
            }
            summed = terms;
            return 0;
        }

        // The sum's answer from FirstTerms - 1 on, by bisection on the tail: the smallest k below MostTerms with
        // P(X >= k) <= chance; -1 when there is none (the gamma tail's, as for the sum); 0 when the tail at the answer (or at
        // the last k the sum reads) lies within the sum's rounding error of the chance, or was not computed, so the sum decides.
        private static int Search(double mean, double? size, double chance)
        {
            bool Near(int k, double tail) =>
                !double.IsFinite(tail) || Math.Abs(tail - chance) <= 8 * SumError(mean, size, k) + 1e-9 * chance;
            double last = Tail(MostTerms - 1, mean, size);
            if (Near(MostTerms - 1, last)) return 0;
            if (last > chance) return -1;
            // The sum found no k below FirstTerms: the tail there is above the chance (unless near it; checked below).
            int low = FirstTerms - 1, high = MostTerms - 1;
            double lowTail = double.NaN, highTail = last;
            while (high - low > 1)
            {
                int mid = low + (high - low) / 2;
                double tail = Tail(mid, mean, size);
                if (double.IsNaN(tail)) return 0;
                if (tail > chance) (low, lowTail) = (mid, tail);
                else (high, highTail) = (mid, tail);
            }
            if (double.IsNaN(lowTail)) lowTail = Tail(low, mean, size);
            return Near(high, highTail) || Near(low, lowTail) || lowTail <= chance ? 0 : high;
        }

        /// <summary>
        /// A bound on the rounding error of <see cref="Sum"/>'s 1 - P(X &lt; k), in three parts. Its first term's logarithm
        /// (for a negative binomial size ln(size / (size + mean)): the quotient's rounding, times the size) is off once for
        /// every term. The step's logarithm (ln(mean / (size + mean)), ln mean for a Poisson) is rounded once and added j times
        /// to the j-th term, so P(X &lt; k) is off by at most its error times the sum of j P(j) below k: the mean or k, the
        /// smaller. And each term rounds anew (the running logarithm, to half the ulp of its largest magnitude, the first
        /// term's or the k-th's; the term's ratio, its exponential, the running sum), at random: a walk of k steps. On
        /// 10,000 random means, sizes and chances (1e-12 to 0.5) against the exact tail, the sum's error never exceeded 0.8
        /// times it; <see cref="Search"/> leaves 8 times it to the sum.
        /// </summary>
        private static double SumError(double mean, double? size, int k)
        {
            const double Epsilon = 1.2e-16; // above the unit roundoff, 2^-53
            static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);
            double first, step, at, once, ratio;
            if (size is double r)
            {
                double quotient = Math.Log(r / (r + mean));
                first = r * quotient;
                step = Math.Log(mean / (r + mean));
                at = LogNegativeBinomial(k, r, mean);
                once = r * (2 * Epsilon + Ulp(quotient)) + Ulp(first) / 2;
                ratio = Ulp(Math.Log(r)) / 2 + Epsilon;
            }
            else
            {
                first = -mean;
                step = Math.Log(mean);
                at = LogPoisson(k, mean);
                once = 0;
                ratio = Ulp(Math.Log(k + 1.0)) / 2;
            }
            double perStep = Ulp(step) + (size != null ? 2 * Epsilon : 0);
            double perTerm = Ulp(Math.Max(Math.Abs(first), Math.Abs(at))) / 2 + ratio + 2 * Epsilon;
            return once + Math.Min(k, mean) * perStep + Math.Sqrt(k) * perTerm;
        }

        /// <summary>
        /// P(X &gt;= <paramref name="k"/>) for X negative binomial of mean <paramref name="mean"/> and size
        /// <paramref name="size"/> (null: Poisson), not summed: the regularized incomplete beta function I_x(k, size) with
        /// x = mean / (size + mean) (its continued fraction), for a Poisson the regularized lower incomplete gamma function
        /// P(k, mean) (its series), each as the probability of k times a factor, the probability in Loader's saddle-point form
        /// (no difference of large logarithms). Relative error within 1e-10 for k up to a million (checked against 40-digit
        /// arithmetic); NaN when a series does not converge.
        /// </summary>
        internal static double Tail(int k, double mean, double? size)
        {
            if (k <= 0) return 1;
            if (size is not double r)
            {
                double term = 1, sum = 1;
                if (mean < k + 1)
                {
                    // P(X >= k) = P(k) (1 + m / (k + 1) + m^2 / ((k + 1)(k + 2)) + ...)
                    for (int i = 1; term >= sum * 1e-17; i++)
                    {
                        if (i > SeriesSteps) return double.NaN;
                        term *= mean / (k + i);
                        sum += term;
                    }
                    return Math.Exp(LogPoisson(k, mean)) * sum;
                }
                // P(X < k) = P(k - 1) (1 + (k - 1) / m + (k - 1)(k - 2) / m^2 + ...)
                for (int j = k - 1; j > 0 && term >= sum * 1e-17; j--)
                {
                    if (k - j > SeriesSteps) return double.NaN;
                    term *= j / mean;
                    sum += term;
                }
                return 1 - Math.Exp(LogPoisson(k - 1, mean)) * sum;
            }
            // I_x(k, r) = x^k y^r / (k B(k, r)) cf(k, r, x) = P(k) cf(k, r, x); by symmetry 1 - I_y(r, k) where the fraction
            // converges slowly.
            double x = mean / (r + mean), y = r / (r + mean);
            double probability = Math.Exp(LogNegativeBinomial(k, r, mean));
            return x < (k + 1.0) / (k + r + 2) ? probability * BetaFraction(k, r, x) : 1 - probability * (k / r) * BetaFraction(r, k, y);
        }

        private const int SeriesSteps = 10_000_000;

        // The continued fraction of the incomplete beta function I_x(a, b) (modified Lentz); NaN when it does not converge.
        private static double BetaFraction(double a, double b, double x)
        {
            const double Tiny = 1e-300;
            double sum = a + b, c = 1, d = 1 - sum * x / (a + 1);
            if (Math.Abs(d) < Tiny) d = Tiny;
            d = 1 / d;
            double h = d;
            for (int m = 1; m <= SeriesSteps; m++)
            {
                int m2 = 2 * m;
                double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
                d = 1 + aa * d;
                if (Math.Abs(d) < Tiny) d = Tiny;
                c = 1 + aa / c;
                if (Math.Abs(c) < Tiny) c = Tiny;
                d = 1 / d;
                h *= d * c;
                aa = -(a + m) * (sum + m) * x / ((a + m2) * (a + 1 + m2));
                d = 1 + aa * d;
                if (Math.Abs(d) < Tiny) d = Tiny;
                c = 1 + aa / c;
                if (Math.Abs(c) < Tiny) c = Tiny;
                d = 1 / d;
                double step = d * c;
                h *= step;
                if (Math.Abs(step - 1) < 1e-16) return h;
            }
            return double.NaN;
        }

        private const double LogSqrtTwoPi = 0.918938533204672741780329736406;

        // ln P(X = k), X Poisson of mean `mean` (Loader: the Stirling error and the deviance, no large logarithms subtracted).
        private static double LogPoisson(double k, double mean) =>
            k == 0 ? -mean : -StirlingError(k) - Deviance(k, mean) - LogSqrtTwoPi - 0.5 * Math.Log(k);

        // ln P(X = k), X negative binomial of size `size` and mean `mean` (as R's dnbinom_mu).
        private static double LogNegativeBinomial(double k, double size, double mean)
        {
            if (k == 0) return size * (size < mean ? Math.Log(size / (size + mean)) : LogOnePlus(-mean / (size + mean)));
            if (k < 1e-10 * size)
            {
                double p = size < mean ? Math.Log(size / (1 + size / mean)) : Math.Log(mean / (1 + mean / size));
                return k * p - mean - LogGamma(k + 1) + LogOnePlus(k * (k - 1) / (2 * size));
            }
            // size / (size + k) times the binomial probability of `size` in `size + k` at size / (size + mean).
            double n = size + k, p1 = size / (size + mean), q1 = mean / (size + mean);
            double lc = StirlingError(n) - StirlingError(size) - StirlingError(k) - Deviance(size, n * p1) - Deviance(k, n * q1);
            double lf = 2 * LogSqrtTwoPi + Math.Log(size) + LogOnePlus(-size / n);
            return Math.Log(size / n) + lc - 0.5 * lf;
        }

        // ln Gamma(n + 1) - ((n + 1/2) ln n - n + ln sqrt(2 pi)), n > 0.
        private static double StirlingError(double n)
        {
            if (n <= 15) return LogGamma(n + 1) - (n + 0.5) * Math.Log(n) + n - LogSqrtTwoPi;
            const double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680, S4 = 1.0 / 1188;
            double nn = n * n;
            if (n > 500) return (S0 - S1 / nn) / n;
            if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
            if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
            return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
        }

        // x ln(x / np) + np - x, by its series where x is near np.
        private static double Deviance(double x, double np)
        {
            if (Math.Abs(x - np) < 0.1 * (x + np))
            {
                double v = (x - np) / (x + np), s = (x - np) * v, ej = 2 * x * v;
                v *= v;
                for (int j = 1; j < 1000; j++)
                {
                    ej *= v;
                    double next = s + ej / (2 * j + 1);
                    if (next == s) return next;
                    s = next;
                }
                return s;
            }
            return x * Math.Log(x / np) + np - x;
        }

        // ln(1 + x), exact near 0.
        private static double LogOnePlus(double x)
        {
            double u = 1 + x;
            return u == 1 ? x : Math.Log(u) * x / (u - 1);
        }

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
        /// (-Incremental), whose rate a sparse count without an event in these rows keeps; a sparse count without an event
        /// and without an earlier rate is <see cref="Pending"/>. Null when no feature is a sparse count.
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
            var waiting = new bool[schema.Count];
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
                // A sparse count: at least half its measured rows 0. Its rate is learnt from its events; rows without an
                // event (a quiet day trained on with -Incremental) keep the rate an earlier run learnt, and without one the
                // count waits for a run with events (the first training of a quiet service).
                if (count && measured == 0)
                {
                    // Not measured in these rows at all (its column empty throughout an -Incremental run): they say
                    // nothing of it, and an earlier run's rule for it goes on (its rate, or its wait for one).
                    if (earlier?.overall.Length == schema.Count && earlier.overall[c] != null) carried.Add(c);
                    else if (earlier?.pending.Length == schema.Count && earlier.pending[c]) waiting[c] = true;
                    continue;
                }
                if (!count || 2 * zeros < measured) continue;
                if (events.Count > 0)
                {
                    counts.Add(c);
                    eventsByColumn.Add(events);
                }
                else if (earlier?.overall.Length == schema.Count && earlier.overall[c] != null) carried.Add(c);
                else waiting[c] = true;
            }
            if (counts.Count == 0 && carried.Count == 0 && !waiting.Contains(true)) return null;

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
            if (rates.All(r => r == null) && !waiting.Contains(true)) return null;
            var byGroup = windowsOf.Count > 1 ? windowsOf.Select(g => new CountGroup(g.Key, g.Value.Count, groupRates[g.Key])).ToList() : null;
            return new CountBursts(schema, rates, windowSize, interval, groupIntervals, byGroup, pending: waiting);
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
        /// group, the rate of the higher limit (a burst must be one under both). A count whose rate one of them does not
        /// know (<see cref="Pending"/>: no event in its rows) takes the other's: an event-free run says nothing of the rate,
        /// and the rate from the other's rows alone is the higher (those rows had events). A column that was no sparse count
        /// in the rows of one of the two is none (a rate learnt on the rows where it looked like one would judge rows where
        /// it did not), and never becomes one.
        /// </summary>
        public CountBursts? Widen(CountBursts? other, FeatureSchema schema)
        {
            if (other == null) return this;
            if (other.overall.Length != overall.Length || other.windowSize != windowSize)
                throw new ArgumentException("An earlier run's rule must be of the same schema and window.", nameof(other));
            var merged = new CountRate?[overall.Length];
            var waiting = new bool[overall.Length];
            for (int c = 0; c < merged.Length; c++)
            {
                if (overall[c] == null && !pending[c] || other.overall[c] == null && !other.pending[c]) continue;
                merged[c] = overall[c] == null ? other.overall[c]
                    : other.overall[c] == null ? overall[c]
                    : overallLimits[c] >= other.overallLimits[c] ? overall[c] : other.overall[c];
                waiting[c] = merged[c] == null;
            }
            if (merged.All(r => r == null) && !waiting.Contains(true)) return null;
            var byGroup = new Dictionary<string, CountGroup>(StringComparer.Ordinal);
            foreach (var group in other.groups.Values.Concat(groups.Values))
            {
                var rates = group.Rates.Select((r, c) => merged[c] == null ? null : r).ToArray();
                if (byGroup.TryGetValue(group.Group, out var earlier))
                    for (int c = 0; c < rates.Length; c++)
                        if (earlier.Rates[c] is { } e && (rates[c] == null || Limit(e.Mean, e.Size, 1e-6) > Limit(rates[c]!.Mean, rates[c]!.Size, 1e-6))) rates[c] = e;
                byGroup[group.Group] = new CountGroup(group.Group, group.Windows + (earlier?.Windows ?? 0), rates);
            }
            return new CountBursts(schema, merged, windowSize, interval, groupIntervals, byGroup.Count > 0 ? byGroup.Values : null, pending: waiting);
        }

        /// <summary>One line for the training log: the features watched as sparse counts, their rates and limits.</summary>
        public string Describe()
        {
            var waiting = Enumerable.Range(0, pending.Length).Where(c => pending[c]).Select(c => names[c]).ToList();
            string noRate = waiting.Count == 0 ? ""
                : $"{(watched.Length == 0 ? "" : " ")}No event yet, so no rate (an -Incremental run with events learns it): {string.Join(", ", waiting)}.";
            if (watched.Length == 0)
                return waiting.Count == 0 ? "Count bursts: no feature is a sparse count (whole numbers, none below 0, at least half of them 0)."
                    : "Count bursts: no sparse count is watched. " + noRate;
            var parts = watched.Select(c =>
            {
                var rate = overall[c]!;
                return string.Create(CultureInfo.InvariantCulture,
                    $"{names[c]} ({rate.Mean:G3} a window{(rate.Size is double s ? $", size {s:G3}" : ", Poisson")}: {overallLimits[c]} or more is a burst)");
            });
            return $"Count bursts: a window of {windowSize} rows whose total of a sparse count would come once in {QuietSpan.TotalDays:0} days at the training rate is an anomaly. " +
                   "Watched: " + string.Join(", ", parts) + (groups.Count > 0 ? $"; {limitsByGroup.Count} of {groups.Count} group(s) by rates of their own." : ".") + noRate;
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

    /// <summary>
    /// One group's part of the count-burst rule: its training windows and, per column, its rate (null: none); and, as a model
    /// file keeps them, the limits its rates gave (null: computed by the rule).
    /// </summary>
    public sealed class CountGroup
    {
        public CountGroup(string group, long windows, IReadOnlyList<CountRate?> rates, IReadOnlyList<int>? limits = null)
        {
            Group = group ?? throw new ArgumentNullException(nameof(group));
            if (windows < 0) throw new ArgumentOutOfRangeException(nameof(windows));
            Windows = windows;
            Rates = rates ?? throw new ArgumentNullException(nameof(rates));
            Limits = limits;
        }

        public string Group { get; }

        public long Windows { get; }

        public IReadOnlyList<CountRate?> Rates { get; }

        /// <summary>Per column, the limits the group's rates gave (a model file's), or null.</summary>
        public IReadOnlyList<int>? Limits { get; }
    }
}
