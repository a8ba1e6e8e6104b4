using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// Whether a sliding-window model's training rows show a weekly shape: the gate that turns the calendar of the time
    /// property on when -TimeFeatures is not given (.docs/series-probe.md, "A gate for the calendar"). The calendar's
    /// inputs add their reconstruction noise to every score, so it pays only where the week repeats; with this gate the
    /// series probe (14-day baselines) went 1.17 -> 1.11 false alerts a day and the operations probe 192 -> 88 pages.
    /// </summary>
    /// <remarks>
    /// Per numeric feature, with two dates of each day of the week: bins of (day of week, hour of the clock time as
    /// written). N, the noise: the median over bins of 1.4826 x MAD within a bin. R, the repeat: the rows split into even
    /// and odd weeks since the first date; at each hour the covariance across the 7 days of the two halves' day-of-week
    /// effects, its signed square root; R the median over the hours. A level shift or an incident is seen in one week
    /// only, so it gives R ~ 0 where a spread alone would take it for a week. The week has a shape when N &gt; 0 and
    /// R &gt; max(1, 2.5 / sqrt(n)) x N, n the median count of values in a half-week's bin: two sd of a bin median from
    /// noise alone (1.25 N / sqrt(n)), and at least the noise itself.
    /// <para>Several groups (-GroupBy, or several machines' counters): each group in its own noise. Rows of all hosts pooled in
    /// one bin made the spread of the hosts' levels the noise (a fleet of 10 weekly hosts at 10-70 % CPU: R/N 0.5, off, and
    /// every Saturday paged on every host). Each group with two dates of each weekday and N &gt; 0 gives its covariances
    /// over its N squared; at each hour their mean over the groups, its signed square root, and the median over the hours
    /// is R/N (Repeat, with Noise 1). One group gives exactly its own R/N; a fleet of which a share k has a week of ratio r
    /// gives about r sqrt(k): the calendar is one input shared by every group, and this is the root mean square of the
    /// week the groups show, each against its own noise. n: the median count over the groups' half-week bins.</para>
    /// </remarks>
    public sealed class WeekShape
    {
        private WeekShape(string feature, bool twoWeeks, double repeat, double noise, double perHalfBin, int groups = 1)
        {
            Feature = feature;
            Groups = groups;
            TwoOfEachWeekday = twoWeeks;
            Repeat = repeat;
            Noise = noise;
            PerHalfBin = perHalfBin;
            Factor = Math.Max(1.0, 2.5 / Math.Sqrt(Math.Max(1.0, perHalfBin)));
            On = twoWeeks && noise > 0 && repeat > Factor * noise;
        }

        public string Feature { get; }

        /// <summary>The groups judged (each in its own noise): 1 for one series; 0 when no group had two of each weekday and noise.</summary>
        public int Groups { get; }

        /// <summary>Whether the rows hold two dates of each day of the week (else the gate is off).</summary>
        public bool TwoOfEachWeekday { get; }

        /// <summary>R, the repeat of the day-of-week effects between even and odd weeks (NaN: none measured); of several groups, R/N (each group in its own noise).</summary>
        public double Repeat { get; }

        /// <summary>N, the noise within a (day of week, hour) bin; 1 for several groups (their R is in units of each one's N).</summary>
        public double Noise { get; }

        /// <summary>n, the median count of values in a half-week's bin.</summary>
        public double PerHalfBin { get; }

        /// <summary>max(1, 2.5 / sqrt(n)): R must exceed this many N.</summary>
        public double Factor { get; }

        /// <summary>R / N (NaN when N is 0).</summary>
        public double Ratio => Noise > 0 ? Repeat / Noise : double.NaN;

        /// <summary>Whether this feature's week has a shape.</summary>
        public bool On { get; }

        /// <summary>The minimum of two dates of each day of the week among <paramref name="times"/>.</summary>
        public static bool HasTwoOfEachWeekday(IEnumerable<DateTime> times)
        {
            var dates = new HashSet<DateTime>();
            foreach (var t in times) dates.Add(t.Date);
            var perDay = new int[7];
            foreach (var d in dates) perDay[(int)d.DayOfWeek]++;
            return perDay.All(c => c >= 2);
        }

        /// <summary>
        /// The gate over a training set's features, each its (time, value) pairs (a NaN value: none) of <paramref name="groups"/>
        /// (one per pair, the same for every feature; null: one group); null without a
        /// feature. On when any feature's week has a shape; the one returned is, among those on (else all), the one whose
        /// repeat is the largest against its noise (the figures to tell).
        /// </summary>
        public static WeekShape? Decide(IEnumerable<(string Feature, IReadOnlyList<DateTime> Times, IReadOnlyList<double> Values)> features,
            IReadOnlyList<string>? groups = null)
        {
            WeekShape? best = null;
            foreach (var (feature, times, values) in features)
            {
                var w = Of(feature, times, values, groups);
                if (best == null || w.On && !best.On || w.On == best.On && Rank(w) > Rank(best)) best = w;
            }
            return best;
        }

        private static double Rank(WeekShape w) => double.IsNaN(w.Ratio) ? double.NegativeInfinity : w.Ratio;

        /// <summary>
        /// One feature's statistic: <paramref name="values"/>[i] measured at <paramref name="times"/>[i] (NaN: none), of
        /// group <paramref name="groups"/>[i] (null: one group). Several groups are judged each in its own noise (remarks).
        /// </summary>
        public static WeekShape Of(string feature, IReadOnlyList<DateTime> times, IReadOnlyList<double> values, IReadOnlyList<string>? groups = null)
        {
            if (times.Count != values.Count) throw new ArgumentException("One time per value.", nameof(values));
            if (groups != null && groups.Count != values.Count) throw new ArgumentException("One group per value.", nameof(groups));
            var rowsOf = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < times.Count; i++)
            {
                string g = groups?[i] ?? "";
                if (!rowsOf.TryGetValue(g, out var list)) rowsOf[g] = list = new List<int>();
                list.Add(i);
            }
            if (rowsOf.Count <= 1) return Alone(feature, times, values);
            var judged = new List<GroupWeek>();
            bool anyTwice = false;
            foreach (var rows in rowsOf.Values)
            {
                var week = GroupWeek.Of(rows.Select(i => times[i]).ToArray(), rows.Select(i => values[i]).ToArray());
                anyTwice |= week.TwoOfEachWeekday;
                if (week.TwoOfEachWeekday && week.Noise > 0) judged.Add(week);
            }
            if (judged.Count == 0) return new WeekShape(feature, anyTwice, double.NaN, double.NaN, 0, 0);
            // At each hour, the mean over the groups that have it of covariance / N^2; R/N its signed root's median.
            var repeat = new List<double>();
            for (int h = 0; h < 24; h++)
            {
                var at = judged.Where(w => !double.IsNaN(w.Covariance[h])).Select(w => w.Covariance[h] / (w.Noise * w.Noise)).ToList();
                if (at.Count == 0) continue;
                double c = at.Average();
                repeat.Add(Math.Sign(c) * Math.Sqrt(Math.Abs(c)));
            }
            double perHalfBin = Median(judged.SelectMany(w => w.HalfBinCounts).ToList());
            return new WeekShape(feature, true, Median(repeat), 1.0, perHalfBin, judged.Count);
        }

        // One series: R and N in its own units.
        private static WeekShape Alone(string feature, IReadOnlyList<DateTime> times, IReadOnlyList<double> values)
        {
            var week = GroupWeek.Of(times, values);
            if (times.Count == 0) return new WeekShape(feature, false, double.NaN, double.NaN, 0);
            var repeat = week.Covariance.Where(c => !double.IsNaN(c)).Select(c => Math.Sign(c) * Math.Sqrt(Math.Abs(c))).ToList();
            return new WeekShape(feature, week.TwoOfEachWeekday, Median(repeat), week.Noise, Median(week.HalfBinCounts));
        }

        // One group's bins: its noise N, its half-week bins' counts, and at each hour the covariance across the 7 days of
        // the two halves' day-of-week effects (NaN where a half lacks a day at that hour).
        private sealed class GroupWeek
        {
            public bool TwoOfEachWeekday;
            public double Noise;
            public List<double> HalfBinCounts = new List<double>();
            public double[] Covariance = new double[24];

            public static GroupWeek Of(IReadOnlyList<DateTime> times, IReadOnlyList<double> values)
            {
                var week = new GroupWeek { TwoOfEachWeekday = HasTwoOfEachWeekday(times), Noise = double.NaN };
                Array.Fill(week.Covariance, double.NaN);
                if (times.Count == 0) return week;
                DateTime first = times.Min().Date;
                // Bins of (day of week, hour) and of (half, day of week, hour): 168 and 336 of them.
                var bins = new List<double>?[168];
                var halves = new List<double>?[336];
                for (int i = 0; i < times.Count; i++)
                {
                    double v = values[i];
                    if (double.IsNaN(v)) continue;
                    var t = times[i];
                    int key = (int)t.DayOfWeek * 24 + t.Hour;
                    int half = (int)Math.Floor((t.Date - first).TotalDays / 7) % 2;
                    (bins[key] ??= new List<double>()).Add(v);
                    (halves[half * 168 + key] ??= new List<double>()).Add(v);
                }
                var noise = new List<double>();
                foreach (var bin in bins)
                {
                    if (bin == null) continue;
                    double m = Median(bin);
                    noise.Add(1.4826 * Median(bin.Select(x => Math.Abs(x - m)).ToList()));
                }
                week.Noise = Median(noise);
                var halfMedian = halves.Select(h => h == null ? double.NaN : Median(h)).ToArray();
                week.HalfBinCounts = halves.Where(h => h != null).Select(h => (double)h!.Count).ToList();
                for (int h = 0; h < 24; h++)
                {
                    var a = Enumerable.Range(0, 7).Select(d => halfMedian[d * 24 + h]).ToArray();
                    var b = Enumerable.Range(0, 7).Select(d => halfMedian[168 + d * 24 + h]).ToArray();
                    if (a.Concat(b).Any(double.IsNaN)) continue;
                    double ma = a.Average(), mb = b.Average(), c = 0;
                    for (int d = 0; d < 7; d++) c += (a[d] - ma) * (b[d] - mb);
                    week.Covariance[h] = c / 6;
                }
                return week;
            }
        }

        /// <summary>What the gate decided and why, for Write-Verbose.</summary>
        public string Describe(string timeProperty)
        {
            var inv = CultureInfo.InvariantCulture;
            string head = $"Calendar of '{timeProperty}' (no -TimeFeatures given, so decided from the training rows): ";
            if (!TwoOfEachWeekday)
                return head + "off; the training rows hold fewer than two dates of each day of the week, too few to tell a weekly shape. Add -TimeFeatures to learn the hour and day anyway.";
            string figures = Groups > 1
                ? string.Format(inv, "feature '{0}', {1} groups each in its own noise: repeat of the week R/N {2:0.00} (on above {3:0.00}, with {4:0.#} values a group's half-week hour)",
                    Feature, Groups, Ratio, Factor, PerHalfBin)
                : string.Format(inv, "feature '{0}': repeat of the week R = {1:G4}, noise N = {2:G4} (R/N {3:0.00}; on above {4:0.00}, with {5:0.#} values a half-week's hour)",
                    Feature, Repeat, Noise, Ratio, Factor, PerHalfBin);
            return On
                ? head + "on; the week has a shape that repeats, " + figures + ". Add -TimeFeatures:$false to leave it out."
                : head + "off; no weekly shape above the noise, " + figures + ". Add -TimeFeatures to learn the hour and day anyway.";
        }

        // The median (Numerics.Statistics); NaN when empty.
        private static double Median(List<double> values) => values.Count == 0 ? double.NaN : Statistics.Median(values);
    }
}
