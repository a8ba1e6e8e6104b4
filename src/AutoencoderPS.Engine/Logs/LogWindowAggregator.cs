using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoencoderPS.Engine.Logs
{
    /// <summary>One interval (of one group) of a log, as counts and measure statistics.</summary>
    public sealed class LogWindow
    {
        internal LogWindow(DateTime intervalStart, string? group, long count, long[] counts, double?[] measures, double?[] metrics)
        {
            IntervalStart = intervalStart;
            Group = group;
            Count = count;
            Counts = counts;
            Measures = measures;
            Metrics = metrics;
        }

        /// <summary>Start of the interval (inclusive); the interval ends one interval later (exclusive).</summary>
        public DateTime IntervalStart { get; }

        /// <summary>The group value, or null without grouping.</summary>
        public string? Group { get; }

        /// <summary>Number of events in the interval.</summary>
        public long Count { get; }

        /// <summary>Events per count column, in the order of <see cref="LogWindowAggregator.CountColumns"/>.</summary>
        public IReadOnlyList<long> Counts { get; }

        /// <summary>Min, Mean and Max per measure, in the order of <see cref="LogWindowAggregator.MeasureColumns"/>; null when the interval has no value.</summary>
        public IReadOnlyList<double?> Measures { get; }

        /// <summary>
        /// The mean value of each metric of a long export in the interval, in the order of <see cref="LogWindowAggregator.MetricColumns"/>;
        /// null when the interval has no value of it. Empty without a pivot.
        /// </summary>
        public IReadOnlyList<double?> Metrics { get; }
    }

    /// <summary>One measurement of a long export (a record of time, group, metric name and value): the metric and its value.</summary>
    public readonly record struct MetricSample(string? Metric, double Value);


    /// <summary>Where <see cref="LogWindowAggregator.Add(DateTime, string?, IReadOnlyDictionary{string, string?}?, IReadOnlyDictionary{string, double?}?, MetricSample?, out double?)"/> put an event.</summary>
    public enum LogEventPlacement
    {
        /// <summary>Counted in its interval.</summary>
        Added,
        /// <summary>Before the start or at or after the end of the range: left out.</summary>
        OutsideRange,
        /// <summary>Its interval was already taken by <see cref="LogWindowAggregator.TakeClosedWindows"/>: left out.</summary>
        IntervalWritten,
        /// <summary>A measurement with the time, group, metric and value of an earlier one of its interval (the record sent again): left out.</summary>
        Repeated,
        /// <summary>A measurement with the time, group and metric of an earlier one of its interval but another value: left out, the first kept.</summary>
        Conflict,
        /// <summary>A metric that is none of the known metrics (a model's): left out and counted in <see cref="LogWindowAggregator.UnknownMetrics"/>.</summary>
        UnknownMetric,
    }

    /// <summary>
    /// Buckets log events into fixed time intervals (per group): the number of events, the number per value of
    /// each count-by property, and min/mean/max of each measured property. Intervals without events are part of
    /// the output with zero counts. Memory grows with the number of non-empty intervals and distinct values, not
    /// with the number of events; events may arrive in any order.
    /// With a pivot, each record is also one measurement of a long export (time, group, metric, value: InfluxDB, the
    /// Prometheus API, Azure Monitor's Perf table, Zabbix history), and each metric is a column holding the mean of its
    /// values in the interval: one row per time and group with a column per metric, as a model reads it. A
    /// measurement of the same time, group and metric as an earlier one of its interval is the record sent again (left
    /// out) or a conflict (left out, said by the caller). Memory grows with the non-empty intervals times the metrics, and
    /// with the distinct times of each series in an interval held (one value each, only past the first): streaming, the
    /// sample times of the open intervals; otherwise those of every interval, which with an interval of several steps is
    /// a time per record.
    /// <para>
    /// Asked to stream (a live feed), and when the windows' columns and groups are known before the first event
    /// (<see cref="CanStream"/>, <see cref="Streams"/>), events in time
    /// order let the windows out as they close (<see cref="TakeClosedWindows"/>): an interval closes once an event
    /// <see cref="ReorderIntervals"/> intervals past its end arrives, so events up to that late still count, and only the
    /// open intervals are held. Input that goes back further before any window was taken (newest first, as Get-WinEvent
    /// writes) is held whole, as without streaming; after a window was taken, an event of it is
    /// <see cref="LogEventPlacement.IntervalWritten"/>. So streaming needs input in time order: logs joined one after
    /// another go back only when the second begins, and shuffled input whose first events happen to move forward has
    /// windows taken with only the events seen so far (both are what the default, not streaming, is for).
    /// </para>
    /// </summary>
    public sealed class LogWindowAggregator
    {
        /// <summary>The value that stands for every value not among the count columns.</summary>
        public const string OtherValue = "(other)";

        /// <summary>The value that stands for a missing or empty value.</summary>
        public const string EmptyValue = "(empty)";

        /// <summary>At most this many intervals (times groups) are emitted; a wider range is an error.</summary>
        public const long MaxRows = 5_000_000;

        /// <summary>
        /// With a maximum number of value columns k: at most max(this, 10 k) values of a count-by property are held, however
        /// many distinct values the log has (messages and paths with ids in them have a new one in nearly every record).
        /// </summary>
        public const int MinHeldValues = 10_000;

        private readonly long intervalTicks;
        private readonly long originTicks;
        private readonly DateTime? start, end;
        private readonly string[] countBy;
        private readonly string[] measures;
        private readonly CountProperty[] properties;
        private readonly Dictionary<string, int> groupIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> groups = new List<string>();
        private readonly Dictionary<(int Group, long Interval), Cell> cells = new Dictionary<(int, long), Cell>();
        private readonly bool grouped;
        private long minInterval = long.MaxValue, maxInterval = long.MinValue;
        // Streaming: the first interval not taken yet (null: none taken), whether the events came in order (within
        // ReorderIntervals) until the first was taken, and the rows taken so far.
        private long? nextToTake;
        private bool inOrder = true;
        private long rowsTaken;
        private long filledRows;
        private DateTimeKind? kind;
        private string[]? countColumns;
        private readonly bool pivot;
        private readonly bool metricsFixed;
        private readonly Dictionary<string, int> metricIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> metricNames = new List<string>();
        private readonly Dictionary<string, long> unknownMetrics = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        private string[]? metricColumns;
        private int[]? metricSlot; // metric id -> column index

        /// <param name="interval">Length of an interval; positive.</param>
        /// <param name="countBy">Properties whose values are counted, one column per value.</param>
        /// <param name="measures">Numeric properties summarised as Min, Mean and Max.</param>
        /// <param name="start">First interval start (inclusive); also the origin of the interval grid. Without it the grid starts at DateTime.MinValue (so 5-minute intervals start at :00, :05, ...) and the range starts at the first event.</param>
        /// <param name="end">End of the covered range (exclusive). Without it the range ends with the last event's interval.</param>
        /// <param name="grouped">Whether events carry a group (one row per interval and group).</param>
        /// <param name="knownColumns">The count columns to produce (from a trained model's features): values of a count-by property not among them are counted as "&lt;Property&gt;=(other)". Null: one column per value seen.</param>
        /// <param name="knownGroups">Groups emitted even when none of their events arrives (from a trained model's categories).</param>
        /// <param name="maxValueCount">With no known columns: at most this many value columns per count-by property (the most frequent; the rest count as (other)). 0: no limit.</param>
        /// <param name="clockOffset">
        /// Windows of instants (UTC ticks) written in a zone: the zone's standard offset (TimeZoneInfo.BaseUtcOffset),
        /// which moves the grid without -Start so that its multiples fall on the zone's standard-time clock: daily
        /// windows start at its midnight and hourly ones on its hour also half an hour off UTC (India). Every window keeps
        /// its length: in summer time a daily window starts at 01:00, so the day of a change of clocks has neither 23
        /// nor 25 hours of events. Null: multiples of the interval since 0001-01-01 as the times are.
        /// </param>
        /// <param name="pivot">Records carry a <see cref="MetricSample"/>: each metric is a column of its mean value in the interval.</param>
        /// <param name="knownMetrics">With a pivot, the metric columns to produce (a model's); records of other metrics are left out and counted. Null: one column per metric seen.</param>
        /// <param name="stream">Take windows as they close (<see cref="TakeClosedWindows"/>) where <see cref="CanStream"/>: a live feed.</param>
        public LogWindowAggregator(
            TimeSpan interval,
            IEnumerable<string>? countBy = null,
            IEnumerable<string>? measures = null,
            DateTime? start = null,
            DateTime? end = null,
            bool grouped = false,
            IEnumerable<string>? knownColumns = null,
            IEnumerable<string>? knownGroups = null,
            int maxValueCount = 0,
            TimeSpan? clockOffset = null,
            bool pivot = false,
            IEnumerable<string>? knownMetrics = null,
            bool stream = false)
        {
            if (interval <= TimeSpan.Zero)
                throw new AutoencoderException(ErrorIds.InvalidLogInterval, $"The interval must be positive; it is {interval}.");
            if (start.HasValue && end.HasValue && end.Value <= start.Value)
                throw new AutoencoderException(ErrorIds.InvalidLogRange, $"The end ({end.Value:o}) must be after the start ({start.Value:o}).");
            if (maxValueCount < 0)
                throw new AutoencoderException(ErrorIds.InvalidMaxValueCount, "The maximum number of value columns can't be negative.");
            intervalTicks = interval.Ticks;
            this.start = start;
            this.end = end;
            // Without -Start, the multiples of the interval on the zone's standard-time clock: an instant t is in window
            // floor((t + offset) / interval), which starts at the instant index * interval - offset.
            originTicks = start?.Ticks ?? -(clockOffset?.Ticks ?? 0);
            kind = start?.Kind ?? end?.Kind;
            this.grouped = grouped;
            this.countBy = Distinct(countBy, "count");
            this.measures = Distinct(measures, "measure");
            Interval = interval;
            var known = knownColumns?.ToArray();
            properties = this.countBy.Select(p => new CountProperty(p, known, maxValueCount)).ToArray();
            if (grouped && knownGroups != null)
                foreach (var g in knownGroups) GroupId(g);
            MeasureColumns = this.measures.SelectMany(m => new[] { $"{m}.Min", $"{m}.Mean", $"{m}.Max" }).ToArray();
            this.pivot = pivot;
            // No metric columns without a pivot; with one, a model's, or those of the records.
            metricsFixed = !pivot || knownMetrics != null;
            if (pivot && knownMetrics != null)
                foreach (var m in knownMetrics) MetricId(m);
            // Columns fixed before the first event (none to count, or a model's; a pivot's metrics a model's), and groups known (none, or a model's): a
            // window taken early is the window the end would write (but for a group first seen later, see TakeClosedWindows).
            CanStream = (this.countBy.Length == 0 || known != null) && (!grouped || knownGroups != null) && metricsFixed;
            Streams = stream && CanStream;
        }

        /// <summary>How many intervals late an event may come and still count, once windows are taken as they close.</summary>
        public const int ReorderIntervals = 1;

        /// <summary>The windows' columns and groups are known before the first event, so they could be taken as they close.</summary>
        public bool CanStream { get; }

        /// <summary>
        /// Windows are taken as they close (asked to stream, and <see cref="CanStream"/>). Not by default: input joined from
        /// several logs (hosts or rotated files one after another) goes back in time after windows would have been taken,
        /// and held whole every record counts in any order.
        /// </summary>
        public bool Streams { get; }

        /// <summary>Events left out because their interval had been taken already.</summary>
        public long IntervalWrittenCount { get; private set; }

        /// <summary>The start of the first interval not taken yet (null before any was taken).</summary>
        public DateTime? FirstOpenInterval => nextToTake is long next ? Start(next) : null;

        public TimeSpan Interval { get; }
        public IReadOnlyList<string> CountBy => countBy;
        public IReadOnlyList<string> Measures => measures;

        /// <summary>Min, Mean and Max column names per measure ("duration_ms.Min", ...).</summary>
        public IReadOnlyList<string> MeasureColumns { get; }

        /// <summary>
        /// With a pivot, the metric columns (trimmed names, empty as "(empty)"), in ordinal order (case-insensitive). Known once
        /// all records are added (fixed when known metrics were given). Empty without a pivot.
        /// </summary>
        public IReadOnlyList<string> MetricColumns
        {
            get
            {
                if (metricColumns != null) return metricColumns;
                var order = Enumerable.Range(0, metricNames.Count)
                    .OrderBy(i => metricNames[i], StringComparer.OrdinalIgnoreCase).ThenBy(i => metricNames[i], StringComparer.Ordinal).ToArray();
                metricSlot = new int[order.Length];
                for (int c = 0; c < order.Length; c++) metricSlot[order[c]] = c;
                return metricColumns = order.Select(i => metricNames[i]).ToArray();
            }
        }

        /// <summary>
        /// Records of metrics that are none of the known metrics, left out: their count per metric, of the first
        /// <see cref="MaxUnknownMetricNames"/> metrics seen (<see cref="UnknownMetricRecords"/> counts them all).
        /// </summary>
        public IReadOnlyDictionary<string, long> UnknownMetrics => unknownMetrics;

        /// <summary>How many unknown metrics' names <see cref="UnknownMetrics"/> keeps: memory stays bounded in a live feed.</summary>
        public const int MaxUnknownMetricNames = 1000;

        /// <summary>Records left out as of unknown metrics, all of them.</summary>
        public long UnknownMetricRecords { get; private set; }

        /// <summary>More unknown metrics came than <see cref="UnknownMetrics"/> keeps the names of.</summary>
        public bool UnknownMetricNamesDropped { get; private set; }

        /// <summary>Records left out as an earlier record of their interval sent again (<see cref="LogEventPlacement.Repeated"/>).</summary>
        public long RepeatedRecords { get; private set; }

        /// <summary>Events added (inside the range).</summary>
        public long EventCount { get; private set; }

        /// <summary>Events before the start or at or after the end, which were left out.</summary>
        public long OutOfRangeCount { get; private set; }

        /// <summary>Number of groups seen (or known).</summary>
        public int GroupCount => groups.Count;

        /// <summary>More value columns than this for one property is a property with a new value in nearly every record (ids in it), not a category.</summary>
        public const int ManyValueColumns = 1000;

        /// <summary>The value columns of each count-by property ((other) not counted), in the order of <see cref="CountBy"/>.</summary>
        public IReadOnlyList<int> ValueColumnCounts => properties.Select(p => p.ColumnCount - 1).ToArray();

        /// <summary>Distinct values held for the count-by properties (the memory that grows with a log's distinct values), (other) included.</summary>
        public int HeldValueCount => properties.Sum(p => p.HeldCount);

        /// <summary>
        /// The count columns ("Level=Error", ..., "Level=(other)"), per count-by property in the given order, values in
        /// ordinal order (case-insensitive) and (other) last. Known once all events are added (fixed when known columns were given).
        /// </summary>
        public IReadOnlyList<string> CountColumns => countColumns ??= properties.SelectMany(p => p.Columns()).ToArray();

        /// <summary>The column name for one value of a count-by property: "Property=value", with control characters made spaces and empty values "(empty)".</summary>
        public static string ColumnName(string property, string? value) => $"{property}={NormalizeValue(value)}";

        /// <summary>A value as it appears in a column name: trimmed, control characters as spaces, empty as "(empty)".</summary>
        public static string NormalizeValue(string? value)
        {
            if (value == null) return EmptyValue;
            var text = value.Trim();
            if (text.Length == 0) return EmptyValue;
            if (!text.Any(char.IsControl)) return text;
            var b = new StringBuilder(text.Length);
            foreach (char c in text) b.Append(char.IsControl(c) ? ' ' : c);
            return b.ToString();
        }

        /// <summary>
        /// Adds one event. <paramref name="values"/> holds the (text) values of the count-by properties (a missing
        /// one counts as "(empty)"), <paramref name="measured"/> the numbers of the measured properties (missing or
        /// null ones are left out of the statistics). Says whether it was counted, or left out as outside the range or of
        /// an interval already taken.
        /// </summary>
        public LogEventPlacement Add(DateTime timestamp, string? group, IReadOnlyDictionary<string, string?>? values, IReadOnlyDictionary<string, double?>? measured) =>
            Add(timestamp, group, values, measured, null, out _);

        /// <summary>
        /// Adds one record, as <see cref="Add(DateTime, string?, IReadOnlyDictionary{string, string?}?, IReadOnlyDictionary{string, double?}?)"/>,
        /// and with a pivot its measurement <paramref name="sample"/> (required then, refused without). A record whose
        /// measurement is <see cref="LogEventPlacement.Repeated"/>, a <see cref="LogEventPlacement.Conflict"/> (then
        /// <paramref name="earlier"/> is the value kept) or of an <see cref="LogEventPlacement.UnknownMetric"/> is left out whole.
        /// </summary>
        public LogEventPlacement Add(DateTime timestamp, string? group, IReadOnlyDictionary<string, string?>? values,
            IReadOnlyDictionary<string, double?>? measured, MetricSample? sample, out double? earlier)
        {
            earlier = null;
            if (countColumns != null && properties.Any(p => !p.Fixed) || metricColumns != null && !metricsFixed)
                throw new InvalidOperationException("Events can't be added after the windows were read.");
            if (pivot != sample.HasValue)
                throw new InvalidOperationException(pivot ? "A pivot's record needs its measurement." : "A measurement needs an aggregator made with a pivot.");
            if ((start.HasValue && timestamp < start.Value) || (end.HasValue && timestamp >= end.Value))
            {
                OutOfRangeCount++;
                return LogEventPlacement.OutsideRange;
            }
            int metric = -1;
            if (sample is MetricSample s)
            {
                string name = NormalizeValue(s.Metric);
                if (metricsFixed && !metricIndex.ContainsKey(name))
                {
                    // Every one counted; the first names kept, so a feed naming a new one in each record grows nothing.
                    UnknownMetricRecords++;
                    if (unknownMetrics.TryGetValue(name, out long n)) unknownMetrics[name] = n + 1;
                    else if (unknownMetrics.Count < MaxUnknownMetricNames) unknownMetrics[name] = 1;
                    else UnknownMetricNamesDropped = true;
                    return LogEventPlacement.UnknownMetric;
                }
                metric = MetricId(name);
            }
            kind ??= timestamp.Kind;
            long index = FloorDiv(timestamp.Ticks - originTicks, intervalTicks);
            if (nextToTake is long next && index < next)
            {
                IntervalWrittenCount++;
                return LogEventPlacement.IntervalWritten;
            }
            // Back further than the reorder allowance before any window was taken: the input is not in time order, and is
            // held whole.
            if (nextToTake == null && maxInterval != long.MinValue && index < maxInterval - ReorderIntervals) inOrder = false;
            int g = grouped ? GroupId(group) : 0;
            if (!cells.TryGetValue((g, index), out var cell))
            {
                cell = new Cell(measures.Length);
                cells.Add((g, index), cell);
                filledRows++;
            }
            if (metric >= 0)
            {
                cell.Samples ??= new Dictionary<int, MetricCell>();
                if (!cell.Samples.TryGetValue(metric, out var m))
                {
                    m = new MetricCell();
                    cell.Samples.Add(metric, m);
                }
                else if (m.TryGetValue(timestamp.Ticks, out double held))
                {
                    // The same time of one series twice: its record sent again, or two values of one instant, which no mean settles.
                    if (held.Equals(sample!.Value.Value))
                    {
                        RepeatedRecords++;
                        return LogEventPlacement.Repeated;
                    }
                    earlier = held;
                    return LogEventPlacement.Conflict;
                }
                m.Add(timestamp.Ticks, sample!.Value.Value);
            }
            cell.Count++;
            for (int p = 0; p < properties.Length; p++)
            {
                string? value = null;
                values?.TryGetValue(countBy[p], out value);
                int id = properties[p].IdOf(value);
                cell.Values.TryGetValue((p, id), out long n);
                cell.Values[(p, id)] = n + 1;
                if (properties[p].Full) Prune(p);
            }
            for (int m = 0; m < measures.Length; m++)
            {
                double? number = null;
                measured?.TryGetValue(measures[m], out number);
                if (number is double x && double.IsFinite(x)) cell.Measure(m, x);
            }
            if (index < minInterval) minInterval = index;
            if (index > maxInterval) maxInterval = index;
            EventCount++;
            return LogEventPlacement.Added;
        }

        /// <summary>
        /// The windows that closed since the last call: every interval (of every group) that ends at least
        /// <see cref="ReorderIntervals"/> intervals before the latest event, in the order <see cref="GetWindows"/> writes
        /// them; they are forgotten here, and <see cref="GetWindows"/> writes the rest. None unless <see cref="Streams"/>
        /// and the events came in time order. A group first seen after some windows were taken has rows from then on.
        /// Throws LogWindowRangeTooLarge before taking rows that would make more than <see cref="MaxRows"/> in all.
        /// </summary>
        public IReadOnlyList<LogWindow> TakeClosedWindows()
        {
            if (!Streams || !inOrder || maxInterval == long.MinValue) return Array.Empty<LogWindow>();
            long first = nextToTake ?? (start.HasValue ? 0 : minInterval);
            long last = maxInterval - 1 - ReorderIntervals;
            if (end.HasValue) last = Math.Min(last, FloorDiv(end.Value.Ticks - 1 - originTicks, intervalTicks));
            if (last < first) return Array.Empty<LogWindow>();
            double rows = rowsTaken + ((double)last - first + 1) * (grouped ? groups.Count : 1);
            if (rows > MaxRows)
                throw new AutoencoderException(ErrorIds.LogWindowRangeTooLarge,
                    $"The range from {Start(start.HasValue ? 0 : Math.Min(minInterval, first)):o} to {Start(last + 1):o} in intervals of {Interval} is more than {MaxRows} rows. " +
                    "Check the timestamps for outliers, pin the range with -Start and -End, or use a longer interval.");
            var taken = Rows(first, last).ToList();
            for (long i = first; i <= last; i++)
                for (int g = 0; g < (grouped ? groups.Count : 1); g++)
                    cells.Remove((g, i));
            rowsTaken += taken.Count;
            nextToTake = last + 1;
            return taken;
        }

        /// <summary>Of the rows written (<see cref="RowCount"/>, and those taken as they closed), the rows with at least one record.</summary>
        public long FilledRowCount => filledRows;

        /// <summary>Number of rows <see cref="GetWindows"/> will produce.</summary>
        public long RowCount
        {
            get
            {
                if (!TryRange(out long first, out long last)) return 0;
                double rows = ((double)last - first + 1) * (grouped ? groups.Count : 1);
                return rows >= long.MaxValue ? long.MaxValue : (long)rows;
            }
        }

        /// <summary>
        /// The windows: every interval of the range (from the start or the first event to the end or the last event),
        /// for every group, in time order, groups of one interval in ordinal order (case-insensitive).
        /// Throws LogWindowRangeTooLarge when that would be more than <see cref="MaxRows"/> rows.
        /// </summary>
        public IEnumerable<LogWindow> GetWindows()
        {
            _ = CountColumns; // fixes the columns
            if (!TryRange(out long first, out long last)) yield break;
            long rows = RowCount;
            if (rows > MaxRows)
                throw new AutoencoderException(ErrorIds.LogWindowRangeTooLarge,
                    $"The range from {Start(first):o} to {Start(last + 1):o} in intervals of {Interval} is {rows} rows, more than {MaxRows}. " +
                    "Check the timestamps for outliers, pin the range with -Start and -End, or use a longer interval.");
            // The windows not taken as they closed.
            if (nextToTake is long next) first = Math.Max(first, next);
            foreach (var window in Rows(first, last)) yield return window;
        }

        // The windows of the intervals first..last, every group of each in ordinal order.
        private IEnumerable<LogWindow> Rows(long first, long last)
        {
            var columns = CountColumns;
            var metrics = MetricColumns;
            var groupOrder = grouped
                ? Enumerable.Range(0, groups.Count).OrderBy(i => groups[i], StringComparer.OrdinalIgnoreCase).ThenBy(i => groups[i], StringComparer.Ordinal).ToArray()
                : new[] { 0 };
            var slot = properties.Select(p => p.SlotMap()).ToArray();
            int[] offset = new int[properties.Length];
            for (int p = 1; p < properties.Length; p++) offset[p] = offset[p - 1] + properties[p - 1].ColumnCount;
            for (long i = first; i <= last; i++)
            {
                var intervalStart = Start(i);
                foreach (int g in groupOrder)
                {
                    var counts = new long[columns.Count];
                    var stats = new double?[MeasureColumns.Count];
                    var means = new double?[metrics.Count];
                    long count = 0;
                    if (cells.TryGetValue((g, i), out var cell))
                    {
                        count = cell.Count;
                        foreach (var entry in cell.Values)
                            counts[offset[entry.Key.Property] + slot[entry.Key.Property][entry.Key.Value]] += entry.Value;
                        for (int m = 0; m < measures.Length; m++)
                        {
                            if (cell.N[m] == 0) continue;
                            stats[3 * m] = cell.Min[m];
                            stats[3 * m + 1] = cell.Sum[m] / cell.N[m];
                            stats[3 * m + 2] = cell.Max[m];
                        }
                        if (cell.Samples != null)
                            foreach (var entry in cell.Samples)
                                means[metricSlot![entry.Key]] = entry.Value.Sum / entry.Value.N;
                    }
                    yield return new LogWindow(intervalStart, grouped ? groups[g] : null, count, counts, stats, means);
                }
            }
        }

        private bool TryRange(out long first, out long last)
        {
            first = start.HasValue ? 0 : minInterval;
            last = end.HasValue ? FloorDiv(end.Value.Ticks - 1 - originTicks, intervalTicks) : maxInterval;
            if (!start.HasValue && minInterval == long.MaxValue) return false; // no events and no start
            if (!end.HasValue && maxInterval == long.MinValue) return false;  // no events and no end
            if (start.HasValue && end.HasValue && minInterval == long.MaxValue && grouped && groups.Count == 0) return false;
            return last >= first;
        }

        // Forgets the less frequent half of a property's values (those seen at most as often as the median one) and moves
        // their counts in every cell to (other): the frequent values stay, and each prune frees at least half the values
        // held, so the cells are walked once per that many new values. A value forgotten and seen again starts over, so
        // the columns are then the most frequent values as counted since they were last held (exact below the bound).
        private void Prune(int p)
        {
            var dropped = properties[p].Forget();
            int other = properties[p].OtherId;
            var moved = new List<(int, int)>();
            foreach (var cell in cells.Values)
            {
                moved.Clear();
                foreach (var key in cell.Values.Keys)
                    if (key.Property == p && dropped.Contains(key.Value)) moved.Add(key);
                if (moved.Count == 0) continue;
                cell.Values.TryGetValue((p, other), out long n);
                foreach (var key in moved)
                {
                    n += cell.Values[key];
                    cell.Values.Remove(key);
                }
                cell.Values[(p, other)] = n;
                // A dictionary keeps its size when entries go: a cell that once held a thousand messages would keep their room.
                if (moved.Count > 3 * cell.Values.Count + 16) cell.Values.TrimExcess();
            }
        }

        private DateTime Start(long index) => new DateTime(originTicks + index * intervalTicks, kind ?? DateTimeKind.Unspecified);

        private int GroupId(string? group)
        {
            var name = NormalizeValue(group);
            if (!groupIndex.TryGetValue(name, out int id))
            {
                id = groups.Count;
                groups.Add(name);
                groupIndex.Add(name, id);
            }
            else if (string.CompareOrdinal(name, groups[id]) < 0)
            {
                groups[id] = name; // the spelling doesn't depend on the order of events
            }
            return id;
        }

        /// <summary>
        /// At most this many metric columns come from the records (without a model's): a -MetricProperty that names an id or
        /// a time, a new value in nearly every record, would make a column each, rows no model learns from and no memory holds.
        /// </summary>
        public const int MaxMetricColumns = 1000;

        private int MetricId(string? metric)
        {
            var name = NormalizeValue(metric);
            if (!metricIndex.TryGetValue(name, out int id))
            {
                if (!metricsFixed && metricNames.Count >= MaxMetricColumns)
                    throw new AutoencoderException(ErrorIds.MetricColumnsTooMany,
                        $"The records name more than {MaxMetricColumns} metrics (the latest '{name}'), a column each: the metric property holds an id, a " +
                        "time or free text rather than a metric's name. Give -MetricProperty the property that names the metric (such as _field, __name__, " +
                        "CounterName or itemid), with the series' other labels in -GroupBy.");
                id = metricNames.Count;
                metricNames.Add(name);
                metricIndex.Add(name, id);
            }
            else if (!metricsFixed && string.CompareOrdinal(name, metricNames[id]) < 0)
            {
                metricNames[id] = name; // the spelling doesn't depend on the order of records
            }
            return id;
        }

        private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

        private static string[] Distinct(IEnumerable<string>? names, string what)
        {
            var list = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(name))
                    throw new AutoencoderException(ErrorIds.InvalidLogProperty, $"A {what} property name is empty.");
                if (seen.Add(name)) list.Add(name);
            }
            return list.ToArray();
        }

        private sealed class Cell
        {
            public Cell(int measures)
            {
                Min = new double[measures];
                Max = new double[measures];
                Sum = new double[measures];
                N = new long[measures];
            }

            public long Count;
            public readonly Dictionary<(int Property, int Value), long> Values = new Dictionary<(int, int), long>();
            // With a pivot: each metric's values in the interval, by metric id.
            public Dictionary<int, MetricCell>? Samples;
            public readonly double[] Min, Max, Sum;
            public readonly long[] N;

            public void Measure(int m, double x)
            {
                if (N[m] == 0 || x < Min[m]) Min[m] = x;
                if (N[m] == 0 || x > Max[m]) Max[m] = x;
                Sum[m] += x;
                N[m]++;
            }
        }

        /// <summary>
        /// One series' values in one interval (a metric of one group): their sum and count, and the value of each of its
        /// times, to tell a record sent again (anywhere in the interval, in any order) from a second value of one instant.
        /// The times are held as long as the interval is, and go with its cell when it is taken: memory per series and time
        /// of the intervals held (streaming, the open ones; otherwise all, so per record past each interval's first). The
        /// first time is kept inline, so a series with one sample per interval (-Interval the export's step) holds nothing more.
        /// </summary>
        private sealed class MetricCell
        {
            public double Sum;
            public long N;
            private long firstTicks;
            private double firstValue;
            private Dictionary<long, double>? laterTimes;

            /// <summary>The value this series had at <paramref name="ticks"/> in the interval, if it had one.</summary>
            public bool TryGetValue(long ticks, out double value)
            {
                value = firstValue;
                if (N > 0 && firstTicks == ticks) return true;
                return laterTimes != null && laterTimes.TryGetValue(ticks, out value);
            }

            /// <summary>Adds the value of a time the series has no value of yet (<see cref="TryGetValue"/>).</summary>
            public void Add(long ticks, double value)
            {
                if (N == 0) { firstTicks = ticks; firstValue = value; }
                else (laterTimes ??= new Dictionary<long, double>()).Add(ticks, value);
                Sum += value;
                N++;
            }
        }

        /// <summary>The values of one count-by property and how they map to columns.</summary>
        private sealed class CountProperty
        {
            private readonly string name;
            private readonly int maxValueCount;
            private readonly Dictionary<string, int> ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            private readonly List<string?> spellings = new List<string?>(); // null: an id freed by Forget
            private readonly List<long> totals = new List<long>();
            private readonly Stack<int> freeIds = new Stack<int>();
            private readonly int capacity;
            private string[]? columns;      // column names, (other) last
            private int[]? slotOfValue;     // value id -> column index

            public CountProperty(string name, string[]? knownColumns, int maxValueCount)
            {
                this.name = name;
                this.maxValueCount = maxValueCount;
                // Every value is a column without a maximum, so all are held; with one, only enough to find the frequent ones.
                capacity = maxValueCount > 0 ? Math.Max(MinHeldValues, 10 * maxValueCount) : int.MaxValue;
                if (knownColumns != null)
                {
                    // Exactly the known columns of this property, in their order, and (other) last.
                    string prefix = name + "=";
                    var values = knownColumns
                        .Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                        .Select(c => c.Substring(prefix.Length))
                        .Where(v => !string.Equals(v, OtherValue, StringComparison.OrdinalIgnoreCase))
                        .Distinct(StringComparer.OrdinalIgnoreCase)
                        .ToList();
                    foreach (var v in values) Intern(v);
                    Intern(OtherValue);
                    columns = spellings.Select(v => $"{name}={v}").ToArray();
                    slotOfValue = Enumerable.Range(0, spellings.Count).ToArray();
                    Fixed = true;
                }
                else
                {
                    Intern(OtherValue);
                }
            }

            /// <summary>The columns were given (from a model) and don't grow.</summary>
            public bool Fixed { get; }

            public int ColumnCount => Columns().Count;

            public int HeldCount => ids.Count;

            public int OtherId => ids[OtherValue];

            /// <summary>More values are held than the bound (only without known columns and with a maximum).</summary>
            public bool Full => !Fixed && ids.Count > capacity;

            /// <summary>Forgets the values seen at most as often as the median value (never (other)); returns their ids, now free.</summary>
            public HashSet<int> Forget()
            {
                int other = OtherId;
                var held = Enumerable.Range(0, spellings.Count).Where(i => i != other && spellings[i] != null).ToList();
                var sorted = held.Select(i => totals[i]).OrderBy(t => t).ToList();
                long median = sorted[sorted.Count / 2];
                var dropped = new HashSet<int>();
                foreach (int i in held)
                {
                    if (totals[i] > median) continue;
                    ids.Remove(spellings[i]!);
                    spellings[i] = null;
                    totals[other] += totals[i];
                    totals[i] = 0;
                    freeIds.Push(i);
                    dropped.Add(i);
                }
                return dropped;
            }

            public int IdOf(string? value)
            {
                var v = NormalizeValue(value);
                if (ids.TryGetValue(v, out int id))
                {
                    if (!Fixed && string.CompareOrdinal(v, spellings[id]) < 0) spellings[id] = v;
                }
                else if (Fixed)
                {
                    id = ids[OtherValue];
                }
                else
                {
                    id = Intern(v);
                }
                totals[id]++;
                return id;
            }

            public IReadOnlyList<string> Columns()
            {
                if (columns != null) return columns;
                int other = ids[OtherValue];
                var kept = Enumerable.Range(0, spellings.Count).Where(i => i != other && spellings[i] != null).ToList();
                if (maxValueCount > 0 && kept.Count > maxValueCount)
                    kept = kept.OrderByDescending(i => totals[i]).ThenBy(i => spellings[i], StringComparer.OrdinalIgnoreCase)
                        .Take(maxValueCount).ToList();
                kept = kept.OrderBy(i => spellings[i], StringComparer.OrdinalIgnoreCase).ThenBy(i => spellings[i], StringComparer.Ordinal).ToList();
                slotOfValue = Enumerable.Repeat(kept.Count, spellings.Count).ToArray(); // not kept: (other), the last column
                for (int c = 0; c < kept.Count; c++) slotOfValue[kept[c]] = c;
                columns = kept.Select(i => $"{name}={spellings[i]}").Append($"{name}={OtherValue}").ToArray();
                return columns;
            }

            public int[] SlotMap()
            {
                Columns();
                return slotOfValue!;
            }

            private int Intern(string value)
            {
                if (freeIds.TryPop(out int id))
                {
                    spellings[id] = value;
                }
                else
                {
                    id = spellings.Count;
                    spellings.Add(value);
                    totals.Add(0);
                }
                ids.Add(value, id);
                return id;
            }
        }
    }
}
