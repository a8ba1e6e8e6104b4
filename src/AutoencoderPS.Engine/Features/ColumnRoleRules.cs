using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>What the numbers of one column looked like, in row order: enough to tell counters and epoch times.</summary>
    public sealed class NumberSequence
    {
        private double previous = double.NaN;
        private double? step;

        public int Count { get; private set; }
        public double Min { get; private set; } = double.PositiveInfinity;
        public double Max { get; private set; } = double.NegativeInfinity;
        public bool AllIntegers { get; private set; } = true;

        /// <summary>True while every number is the one before plus the same non-zero step.</summary>
        public bool ConstantStep { get; private set; } = true;

        /// <summary>The step of a <see cref="ConstantStep"/> sequence.</summary>
        public double Step => step ?? 0;

        /// <summary>Times a number was smaller than the one before it, a counter's wraps (<see cref="Wraps"/>) not counted.</summary>
        public int Decreases => falls + (wrapSteps?.Count ?? 0) - Wraps;

        /// <summary>
        /// Times a number fell the way an unsigned 32-bit counter wraps (SNMP's ifInOctets at 2^32): to a number
        /// that is not negative, from below 2^32 by more than 2^31, where counting on past 2^32
        /// is a step no larger than twice the largest rise of the column. Such a fall is no decrease of the count; a
        /// gauge that drops by more than half of 2^32 (memory freed) takes a step far larger than any of its rises.
        /// Each fall is judged on its own: a 32-bit counter that restarted once from 3e9 (a step far beyond its rises) has
        /// that one reset, and its wraps are still wraps.
        /// </summary>
        public int Wraps
        {
            get
            {
                if (wrapSteps == null) return 0;
                int wraps = 0;
                foreach (double s in wrapSteps) if (s <= 2 * largestRise) wraps++;
                return wraps;
            }
        }

        /// <summary>Times a number was larger than the one before it.</summary>
        public int Increases { get; private set; }

        /// <summary>
        /// Numbers that followed one before them: <see cref="Count"/> - 1 for one series; merged (<see cref="Merged"/>),
        /// the sum over the series, so groups of one number each have no step at all.
        /// </summary>
        public int Steps { get; private set; }

        private int falls;
        private double largestRise;
        // The step of each fall that looked like a 32-bit wrap (judged against the largest rise once all are seen).
        private List<double>? wrapSteps;

        public void Add(double number)
        {
            if (!double.IsFinite(number)) return;
            Count++;
            Min = Math.Min(Min, number);
            Max = Math.Max(Max, number);
            if (Math.Floor(number) != number) AllIntegers = false;
            if (!double.IsNaN(previous))
            {
                Steps++;
                double difference = number - previous;
                if (difference < 0)
                {
                    double wrapStep = WrapStep(previous, number);
                    if (double.IsNaN(wrapStep)) falls++;
                    else (wrapSteps ??= new List<double>()).Add(wrapStep);
                }
                else if (difference > 0) { Increases++; largestRise = Math.Max(largestRise, difference); }
                if (step == null) step = difference;
                else if (difference != step) ConstantStep = false;
                if (difference == 0) ConstantStep = false;
            }
            previous = number;
        }

        /// <summary>
        /// The sequences of several series (the groups of a sliding-window model, each in its own row order) as one: counts
        /// summed, extremes over all, a constant step only when every series had the same one.
        /// </summary>
        public static NumberSequence Merged(IReadOnlyCollection<NumberSequence> series)
        {
            var merged = new NumberSequence();
            foreach (var s in series)
            {
                if (s.Count == 0) continue;
                merged.Min = Math.Min(merged.Min, s.Min);
                merged.Max = Math.Max(merged.Max, s.Max);
                merged.AllIntegers &= s.AllIntegers;
                merged.ConstantStep &= s.ConstantStep && (merged.step == null || s.step == null || merged.step == s.step);
                merged.step ??= s.step;
                merged.Count += s.Count;
                merged.Increases += s.Increases;
                merged.Steps += s.Steps;
                merged.falls += s.falls;
                if (s.wrapSteps != null) (merged.wrapSteps ??= new List<double>()).AddRange(s.wrapSteps);
                merged.largestRise = Math.Max(merged.largestRise, s.largestRise);
            }
            return merged;
        }

        private const double Two32 = 4294967296.0;

        // The step of a 32-bit counter that wrapped: it fell from below 2^32 by more than 2^31, and counting on past 2^32
        // from the number before gives the number after. NaN for any other fall. (64-bit counters do not wrap in practice.)
        private static double WrapStep(double before, double after) =>
            after >= 0 && before < Two32 && before - after > Two32 / 2 ? Two32 - before + after : double.NaN;
    }

    /// <summary>
    /// The numbers of several series (the groups of a sliding window), each added in its own order (time order), read as
    /// one sequence (<see cref="NumberSequence.Merged"/>): a counter of hosts interleaved in an export rises within each host.
    /// </summary>
    public sealed class GroupedNumbers
    {
        private readonly Dictionary<string, NumberSequence> byGroup = new Dictionary<string, NumberSequence>(StringComparer.Ordinal);
        private NumberSequence? merged;

        public void Add(string group, double number)
        {
            if (!byGroup.TryGetValue(group, out var sequence)) byGroup[group] = sequence = new NumberSequence();
            sequence.Add(number);
            merged = null;
        }

        /// <summary>All groups' sequences merged (made once after the last <see cref="Add"/>).</summary>
        public NumberSequence Merged => merged ??= NumberSequence.Merged(byGroup.Values);
    }

    /// <summary>A column recognised as no measurement: why, and whether it holds times.</summary>
    public sealed class RecognisedColumn
    {
        public RecognisedColumn(string reason, bool isTime, bool isCounter = false) { Reason = reason; IsTime = isTime; IsCounter = isCounter; }
        public string Reason { get; }
        public bool IsTime { get; }

        /// <summary>A cumulative counter: a sliding-window model takes its rate (<see cref="Windows.CounterRates"/>).</summary>
        public bool IsCounter { get; }
    }

    /// <summary>
    /// Columns that real exports carry beside their measurements, recognised when the features are inferred (never when
    /// the user names them with -Feature). Each would otherwise become a numeric feature that misleads the network:
    /// <list type="bullet">
    /// <item>A column scoring adds (AnomalyScore, AnomalyProbability, IsAlert, ...: <see cref="ScoreColumns.All"/>): rows scored
    /// before and trained on again carry the verdicts of another model.</item>
    /// <item>A label column (named label, class, target, anomaly, outlier, is_anomaly, ground_truth, ...): it is the
    /// answer, not an observation; a model that reads it fails on every unlabelled row.</item>
    /// <item>A numeric id column (named id or Id, or ending in "_id", "-id", " id", or "Id"/"ID" after a lower-case letter: LineId,
    /// EventID; or one of the ids tools write as one word: pid, itemid, eventid, ...): its numbers name things; their size
    /// means nothing. (A text id with few values stays a category.)</item>
    /// <item>Epoch times: every number reads as Unix seconds or milliseconds of the years 2000-2100
    /// (<see cref="TimestampParser.TryReadEpoch"/>) and the name says time (time, date, stamp, epoch, ts, Zabbix's clock) or the numbers
    /// never decrease. They are times (a timestamp column: left out, or hour and day features with -TimeFeatures).</item>
    /// <item>A row counter: at least 20 integers, each the one before plus the same step. New rows carry numbers the
    /// training rows never had, so every one of them would look anomalous.</item>
    /// <item>A cumulative counter (bytes sent, requests served, uptime): at least 20 numbers that rise on at least half
    /// of the rows and fall at most once in a hundred (a reset), not counting the wraps of a 32-bit counter at 2^32 (SNMP's
    /// ifInOctets). The same: every later row lies beyond the training rows, so as a level it flags every row; its
    /// change per interval is the measurement. A column named as Prometheus names its counters (ending in "_total":
    /// http_requests_total, node_network_receive_errs_total) is one when its numbers never fell but by a reset, even if
    /// they never rose in the baseline (an error counter that stayed at 12): as a level its first increment would put
    /// every later row beyond the training rows.</item>
    /// </list>
    /// </summary>
    public static class ColumnRoleRules
    {
        /// <summary>A counter needs this many numbers in a row with one step.</summary>
        public const int MinCounterRows = 20;

        private static readonly HashSet<string> LabelNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "label", "labels", "class", "target", "anomaly", "isanomaly", "anomalylabel", "outlier", "isoutlier",
            "groundtruth", "truth", "ytrue",
        };

        private static readonly Regex IdName = new Regex(@"(^(?i:id)$|[_\-\s.](?i:id)$|[a-z]Id$|[a-z]ID$|^u?uid$|^guid$)", RegexOptions.CultureInvariant);

        // Ids written as one lower-case word by the tools operators export from: PowerShell's process and thread objects
        // (Id is caught above), ps and top (pid, ppid), Zabbix (itemid, hostid), event logs (eventid).
        private static readonly HashSet<string> IdWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "pid", "ppid", "tid", "gid", "sid", "itemid", "hostid", "eventid", "processid", "threadid", "sessionid", "userid",
            "jobid", "taskid", "requestid", "traceid", "spanid",
        };

        private static readonly Regex CounterName = new Regex(@"_total$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>Whether <paramref name="name"/> is named as Prometheus names a counter (ending in "_total").</summary>
        public static bool IsCounterName(string name) => CounterName.IsMatch(name.Trim());

        private static readonly Regex TimeName = new Regex(@"(time|date|stamp|epoch|^ts$|_ts$|^clock$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>Whether <paramref name="name"/> is a label column's name ("Label", "is_anomaly", "Ground Truth").</summary>
        public static bool IsLabelName(string name) =>
            LabelNames.Contains(new string(name.Where(char.IsLetterOrDigit).ToArray()));

        /// <summary>
        /// Whether <paramref name="name"/> is a column scoring adds (<see cref="ScoreColumns.All"/>): Test-Anomaly adds them to
        /// the very objects it is given, so rows scored once and trained on again carry them.
        /// </summary>
        public static bool IsScoringOutput(string name) => ScoringOutputNames.Contains(name.Trim());

        private static readonly HashSet<string> ScoringOutputNames = new HashSet<string>(ScoreColumns.All, StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Whether <paramref name="column"/> is vmstat's "id", the share of CPU time idle, beside its "us" and "sy" (user and
        /// system time) among <paramref name="columns"/>: a measurement, not an id.
        /// </summary>
        public static bool IsVmstatIdle(string column, IReadOnlyCollection<string>? columns) =>
            columns != null && string.Equals(column.Trim(), "id", StringComparison.Ordinal) &&
            columns.Any(c => string.Equals(c.Trim(), "us", StringComparison.Ordinal)) && columns.Any(c => string.Equals(c.Trim(), "sy", StringComparison.Ordinal));

        /// <summary>
        /// The group column of log windows (ConvertTo-LogWindow -GroupBy), or null: the one column between a first column
        /// named IntervalStart and a third named EventCount, the order ConvertTo-LogWindow writes them in and Export-Csv and
        /// Import-Csv (or a file read with -Path) keep. Its values name groups (a shard, a port, an event level), whatever
        /// they look like: a category, so that a model knows its groups and a silent one is still a row.
        /// </summary>
        public static string? LogWindowGroup(IReadOnlyList<string> columns) =>
            columns.Count >= 3 && string.Equals(columns[0].Trim(), "IntervalStart", StringComparison.OrdinalIgnoreCase)
                && string.Equals(columns[2].Trim(), "EventCount", StringComparison.OrdinalIgnoreCase) ? columns[1] : null;

        /// <summary>
        /// The interval of log windows (ConvertTo-LogWindow's rows: a first column IntervalStart, and EventCount second, or
        /// third after the group column), or null for other rows or fewer than two interval starts: the shortest step
        /// between two of their starts (by instant where the time states one), since every interval of the range is a row.
        /// </summary>
        public static TimeSpan? LogWindowInterval(IReadOnlyList<IRecord> records, IReadOnlyList<string> columns, System.Globalization.CultureInfo culture)
        {
            if (columns.Count < 2 || !string.Equals(columns[0].Trim(), "IntervalStart", StringComparison.OrdinalIgnoreCase)) return null;
            if (!string.Equals(columns[1].Trim(), "EventCount", StringComparison.OrdinalIgnoreCase) && LogWindowGroup(columns) == null) return null;
            var starts = new SortedSet<long>();
            foreach (var record in records)
                if (record.TryGetValue(columns[0], out var value) && TimestampParser.TryRead(value, culture, out var written, out var instant))
                    starts.Add((instant ?? written).Ticks);
            long? step = null, previous = null;
            foreach (long t in starts)
            {
                if (previous is long p && (step == null || t - p < step)) step = t - p;
                previous = t;
            }
            return step is long s ? TimeSpan.FromTicks(s) : null;
        }

        public static bool IsIdName(string name) => IdName.IsMatch(name.Trim()) || IdWords.Contains(name.Trim());

        /// <summary>
        /// Whether <paramref name="numbers"/> (in row order) are a cumulative counter's: at least <see cref="MinCounterRows"/>,
        /// rising on at least half of the rows, falling at most once in a hundred rows (a counter's reset).
        /// </summary>
        public static bool IsCumulative(NumberSequence numbers) =>
            numbers.Count >= MinCounterRows && 2 * numbers.Increases >= numbers.Count && 100 * numbers.Decreases <= numbers.Count;

        /// <summary>
        /// The reason <paramref name="column"/> is no measurement, or null. <paramref name="role"/> is what its values
        /// suggest (numeric, categorical, ...); <paramref name="numbers"/> are its numbers in row order;
        /// <paramref name="agreesWithTime"/>, when the rows have a time, whether the numbers are that time as epoch
        /// seconds or milliseconds (false: a counter that reads as epoch times is a counter, not a time).
        /// </summary>
        public static RecognisedColumn? Recognise(string column, ColumnRole? role, NumberSequence numbers, bool? agreesWithTime = null,
            IReadOnlyCollection<string>? columns = null, string? hosts = null)
        {
            // Numbers told within each host (HostSeries): say so, as in row order they go up and down.
            string within = hosts == null ? "" : $" within each value of '{hosts}'";
            string windowModel = hosts == null ? "a sliding-window model (-WindowSize)" : $"a sliding-window model (-WindowSize, -GroupBy {hosts})";
            if (IsLabelName(column))
                return new RecognisedColumn("a label column: the answer, not an observation", false);
            if (IsScoringOutput(column))
                return new RecognisedColumn("an output of AutoencoderPS scoring (rows scored before): a verdict, not an observation", false);
            if (role != ColumnRole.Numeric || numbers.Count == 0) return null;
            if (IsIdName(column) && !IsVmstatIdle(column, columns))
                return new RecognisedColumn("an id: its numbers name things, their size means nothing", false);
            bool counter = IsCumulative(numbers) || IsCounterName(column) && numbers.Count >= MinCounterRows && 100 * numbers.Decreases <= numbers.Count;
            // Numbers that read as epoch times but are not the rows' time are a counter's when they count (a byte counter at
            // 1.5e9); otherwise they are still times of something else (a boot time, a certificate's expiry), whose level
            // would be beyond the training rows after the next reboot or renewal.
            if (TimestampParser.TryReadEpoch(numbers.Min, out _, out bool lowMs) && TimestampParser.TryReadEpoch(numbers.Max, out _, out bool highMs)
                && lowMs == highMs && (agreesWithTime != false || !counter) && (TimeName.IsMatch(column) || numbers.Decreases == 0))
                return new RecognisedColumn(highMs ? "epoch milliseconds (Unix time)" : "epoch seconds (Unix time)", true);
            // The steps counted, not the numbers: the groups of a sliding window (merged) may hold one number each.
            if (numbers.AllIntegers && numbers.ConstantStep && numbers.Steps >= MinCounterRows - 1)
                return new RecognisedColumn(FormattableString.Invariant($"a row counter: integers rising by {numbers.Step:G6} each row{within}"), false);
            if (counter)
                return new RecognisedColumn(numbers.Wraps > 0
                    ? FormattableString.Invariant($"a cumulative counter: it only rises{within}, and wraps at 2^32 ({numbers.Wraps} time(s) in {numbers.Min:G6} to {numbers.Max:G6}), so its level says nothing about the row; {windowModel} takes its rate, or give its change per interval as a column")
                    : FormattableString.Invariant($"a cumulative counter: it only rises{within} ({numbers.Min:G6} to {numbers.Max:G6}), so every later row lies beyond the training rows; {windowModel} takes its rate, or give its change per interval as a column"), false, isCounter: true);
            return null;
        }
    }
}
