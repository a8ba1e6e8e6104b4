using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>Whether a row of a windowed model got a score.</summary>
    public enum WindowStatus
    {
        /// <summary>The row ends a full window of its group: it has a score.</summary>
        Scored,
        /// <summary>Its group has fewer than n-1 rows before it (since the start or since a gap): no score, not an anomaly.</summary>
        WarmingUp,
        /// <summary>
        /// No feature has a value (a host down, an exporter that wrote the time and nothing else;
        /// <see cref="FeatureSchema.HoldsNoMeasurement(IReadOnlyCollection{string}?)"/>): no score, not an anomaly, and
        /// the row is as if absent. Its group's window does not take it in: the group's next row with values goes on
        /// with the window if it comes within the largest gap, else warms up as after any gap.
        /// </summary>
        NoData,
    }

    /// <summary>Where a row sits in time: its series (group) and, with a time property, its time.</summary>
    public readonly struct WindowKey
    {
        public WindowKey(string group, DateTime? time, DateTime? later = null)
        {
            Group = group;
            Time = time;
            Later = later;
        }

        public string Group { get; }

        /// <summary>
        /// The time that orders the row in its group: as written, or with a model's time zone the instant (UTC); of the
        /// two instants of a local time repeated when clocks go back, the earlier until <see cref="Resolve"/> chooses.
        /// </summary>
        public DateTime? Time { get; }

        /// <summary>The later instant of a local time repeated when clocks go back; null for any other time.</summary>
        public DateTime? Later { get; }

        /// <summary>
        /// The key with one time: of a repeated local time's two instants, the one <see cref="SeriesTime.Choose"/> takes
        /// after the group's <paramref name="previous"/> row.
        /// </summary>
        public WindowKey Resolve(DateTime? previous) =>
            Later == null || Time == null ? this : new WindowKey(Group, SeriesTime.Choose(Time.Value, Later, previous));
    }

    /// <summary>What the assembler made of one row: a full window ending at it, or a warming-up row.</summary>
    public readonly struct WindowStep
    {
        public WindowStep(WindowStatus status, double[]? window, bool afterGap, int[]? filledCells = null)
        {
            Status = status;
            Window = window;
            AfterGap = afterGap;
            FilledCells = filledCells;
        }

        public WindowStatus Status { get; }

        /// <summary>The n rows of the window, oldest first, concatenated (original units); null while warming up.</summary>
        public double[]? Window { get; }

        /// <summary>True when a gap before this row broke the window of its group.</summary>
        public bool AfterGap { get; }

        /// <summary>
        /// The window's values that were filled in for missing ones, as cells <c>step * rowWidth + column</c> (the step
        /// from the oldest row; the columns given with each row, <see cref="WindowAssembler.Push(WindowKey, double[], IReadOnlyList{int}?, string)"/>);
        /// null when none was (or while warming up). On a time grid a cell's column counts when every row of the cell
        /// was filled in (or, for a cell filled between two rows, both were).
        /// </summary>
        public int[]? FilledCells { get; }

        /// <summary>
        /// On a time grid: the row's place in its cell (1 for the first row of a cell, 2 for the second, ...); 0 off a
        /// grid. A joined export of two hosts sampled at offsets has two rows to a cell (SlidingWindow.PlanGrid counts them).
        /// </summary>
        public int CellRow { get; init; }
    }

    /// <summary>
    /// Builds sliding windows causally, as rows arrive: per group it keeps the last n-1 row vectors and the time of
    /// the last row. A row gets the window that ends at it, so its window never depends on later rows. A row earlier
    /// than the last one of its group is refused (and leaves the state as it was); a gap longer than the group's
    /// largest gap empties the group's buffer, so the rows after it warm up again.
    /// </summary>
    public sealed class WindowAssembler
    {
        private readonly int size;
        private readonly int width;
        private readonly Func<string, TimeSpan?> maxGapOf;
        private readonly Func<string, TimeSpan?>? stepOf;
        private readonly Dictionary<string, Series> groups = new Dictionary<string, Series>(StringComparer.Ordinal);
        private long rows;
        // Rows seen at the last ForgetSilent: the groups with a row after it reported since.
        private long sweptAt;
        // BeginSource was called: rows may be sent again (ScoredBefore).
        private bool sources;

        private sealed class Series
        {
            public Series(int capacity)
            {
                Rows = new double[capacity][];
                Filled = new int[]?[capacity];
            }
            public double[][] Rows { get; }
            // Per kept row (cell): its columns filled in for missing values, or null (the usual case).
            public int[]?[] Filled { get; }
            public int Start;
            public int Count;
            public DateTime? LastTime;
            // The latest time of the group's rows that held no measurement (Witness), when later than LastTime: the repeated
            // local hour is read after it. Not saved: a run that stops inside such a stretch resolves by LastTime.
            public DateTime? SeenTime;
            // The number of the group's last row among all rows accepted (Rows): how long an untimed group has been silent.
            public long LastRow;
            // The "now" of the last run in which the group reported (ticks; 0: none yet), see ForgetSilent.
            public long ReportedAt;
            public TimeSpan? MaxGap;
            public bool MaxGapKnown;
            // Time grid: the group's step, its first time, the current cell, and the rows of the current cell so far.
            public TimeSpan? Step;
            public DateTime Origin;
            public long Cell = -1;
            public double[]? CellSum;
            public int CellRows;
            // Time grid: per column, how many rows of the current cell had it filled in (null: none yet), and the sum of
            // those filled-in values (null: none yet, or not known: a cell of a memory saved before it was kept, see Mean).
            public int[]? CellFilled;
            public double[]? CellFilledSum;
            public bool CellFilledSumUnknown;
            // Time grid: the values of the group's last row (a row of its time with the same ones is the row sent again,
            // not counted in SharedTimes). Not saved: a run's first row is compared with nothing.
            public double[]? LastValues;
            // The times of the group's rows taken (KeepsScoredTimes), and the latest of them before the current source
            // (BeginSource; not saved): a row of an earlier time than that is sent again when it is one of them.
            public ScoredTimes? Times;
            public DateTime? SourceMark;
            // The time of the group's last row in the current source, sent again or taken (null: none yet, in a source that
            // does not go on from the group's last row): a local time the clocks repeat is read after it (ScoredBefore).
            public DateTime? SourcePrevious;
        }

        /// <summary>
        /// Windows of <paramref name="windowSize"/> rows of <paramref name="rowWidth"/> values; <paramref name="maxGapOf"/>
        /// gives the largest gap of a group that keeps its window whole (null: no limit).
        /// </summary>
        public WindowAssembler(int windowSize, int rowWidth, Func<string, TimeSpan?>? maxGapOf = null)
        {
            if (windowSize < 1) throw new ArgumentOutOfRangeException(nameof(windowSize));
            if (rowWidth < 1) throw new ArgumentOutOfRangeException(nameof(rowWidth));
            size = windowSize;
            width = rowWidth;
            this.maxGapOf = maxGapOf ?? (_ => null);
        }

        /// <summary>
        /// Windows on a regular time grid (<see cref="ModelSettings.TimeGrid"/>): <paramref name="stepOf"/> gives a
        /// group's step (null: that group's rows are windowed as rows). Time is cut into cells of one step from the
        /// group's first row; a window is n consecutive cells, the last one the row's own cell. The rows of a cell
        /// are averaged (a row's window holds the average of its cell's rows so far, so it stays causal); cells without
        /// rows between two rows are filled by linear interpolation between the previous cell and the new row, if the
        /// time since the previous row is at most the group's largest gap; a longer gap breaks the window.
        /// </summary>
        public WindowAssembler(int windowSize, int rowWidth, Func<string, TimeSpan?>? maxGapOf, Func<string, TimeSpan?> stepOf)
            : this(windowSize, rowWidth, maxGapOf)
        {
            this.stepOf = stepOf ?? throw new ArgumentNullException(nameof(stepOf));
        }

        public int WindowSize => size;

        /// <summary>Groups seen so far.</summary>
        public int GroupCount => groups.Count;

        /// <summary>The time of the last row accepted for <paramref name="group"/>, if any.</summary>
        public DateTime? LastTime(string group) => groups.TryGetValue(group, out var s) ? s.LastTime : null;

        /// <summary>
        /// The key with one time: a local time repeated when clocks go back is read after its group's last row
        /// (<see cref="WindowKey.Resolve"/>). Scoring resolves a key before anything that reads its time.
        /// </summary>
        public WindowKey Resolve(WindowKey key) => key.Later == null ? key : key.Resolve(SeenTime(key.Group));

        // The latest time of the group's rows, those that held no measurement included.
        private DateTime? SeenTime(string group) =>
            !groups.TryGetValue(group, out var s) ? null : s.SeenTime is DateTime seen && !(s.LastTime >= seen) ? seen : s.LastTime;

        /// <summary>
        /// A row of the group that holds no measurement (<see cref="WindowStatus.NoData"/>): its key resolved as any row's,
        /// and its time kept for the group's next repeated local time only (an outage across the hour clocks repeat: the
        /// rows after it are on the second pass). It is no row of the window: gaps run from the last row with values.
        /// </summary>
        public WindowKey Witness(WindowKey key)
        {
            key = Resolve(key);
            if (key.Time is DateTime t && groups.TryGetValue(key.Group, out var s))
            {
                if (!(SeenTime(key.Group) >= t)) s.SeenTime = t;
                // Its row was written (NoData): sent again, it is skipped too.
                if (KeepsScoredTimes) (s.Times ??= new ScoredTimes()).Add(t);
                s.SourcePrevious = t;
            }
            return key;
        }

        /// <summary>
        /// Whether each group keeps the times of the rows it took (<see cref="ScoredTimes"/>, kept by <see cref="Save"/>), for
        /// <see cref="ScoredBefore"/>: the scheduled job's, whose sources (files, runs) may send a row again. Set before rows come.
        /// </summary>
        public bool KeepsScoredTimes { get; set; }

        /// <summary>
        /// A new source of rows begins (the scheduled job: each file of a run): the rows taken so far are another source's,
        /// and a row of this one at any of their times is sent again (<see cref="ScoredBefore"/>). <paramref name="continues"/>:
        /// the source goes on right after its groups' last rows (a file read on from where an earlier run stopped), not from
        /// its start (a new file, or one replaced: a re-export).
        /// </summary>
        public void BeginSource(bool continues = false)
        {
            sources = true;
            foreach (var pair in groups)
            {
                var s = pair.Value;
                s.SourceMark = SeenTime(pair.Key);
                s.SourcePrevious = continues ? s.SourceMark : null;
                // A group of a memory saved before groups kept their times: its last time is one it scored.
                if (KeepsScoredTimes && s.Times == null && s.LastTime is DateTime last) (s.Times = new ScoredTimes()).Add(last);
            }
        }

        /// <summary>
        /// Whether <paramref name="key"/>'s group took a row of its time from an earlier source (<see cref="BeginSource"/>,
        /// <see cref="KeepsScoredTimes"/>): the row is sent again (an export that overlaps the last one) and must not be
        /// scored twice. A row earlier than its group's rows but of a time not taken is late (RowOutOfOrder), as before.
        /// Give the key unresolved: a local time the clocks repeat is read after the group's last row in this source (each
        /// row of it is noted, sent again or taken); before the source's first row of the group, as its first pass when
        /// that was scored (a re-export that repeats the first pass: read after the group's last row it would be the
        /// second pass, scored again at the wrong instant, and the real second pass skipped in its place), unless the
        /// source goes on from the group's last row (<see cref="BeginSource"/>: a file appended to, whose next row of the
        /// second pass is new).
        /// </summary>
        public bool ScoredBefore(WindowKey key)
        {
            if (!sources || key.Time is not DateTime t || !groups.TryGetValue(key.Group, out var s) || s.SourceMark is not DateTime mark || s.Times == null)
                return false;
            DateTime read = t;
            if (key.Later is DateTime)
                read = s.SourcePrevious is DateTime previous ? key.Resolve(previous).Time!.Value
                    : t <= mark && s.Times.Contains(t) ? t
                    : Resolve(key).Time!.Value;
            bool sent = read <= mark && s.Times.Contains(read);
            if (sent) s.SourcePrevious = read;
            return sent;
        }

        /// <summary>
        /// A row of the group refused for its values (the scheduled job): its time counts as taken, so that the same row sent
        /// again (fixed or not, in an export that overlaps) is skipped as sent again, not refused as late or reported again.
        /// </summary>
        public void Refused(WindowKey key)
        {
            if (!KeepsScoredTimes || key.Time is null || !groups.TryGetValue(key.Group, out var s)) return;
            key = Resolve(key);
            (s.Times ??= new ScoredTimes()).Add(key.Time!.Value);
            s.SourcePrevious = key.Time;
        }

        /// <summary>
        /// The report of a row <see cref="ScoredBefore"/>: skipped, neither an error nor a late row (ErrorId RowAlreadyScored;
        /// the scheduled job counts such rows and says so once for the file).
        /// </summary>
        internal static FeatureValueException AlreadyScored(WindowKey key, string timeColumn) =>
            new FeatureValueException(FeatureValueProblem.NotTimestamp, timeColumn, key.Time,
                $"column '{timeColumn}' has time {Format(key.Time!.Value)}{GroupText(key.Group)}, the time of a row of its group already scored " +
                "(by an earlier run, or an earlier file of this run): the row is sent again (an export that overlaps the last one), so it is skipped.",
                ErrorIds.RowAlreadyScored);

        /// <summary>Rows accepted so far, of all groups (kept by <see cref="Save"/>); a row's number is the count with it.</summary>
        public long Rows => rows;

        /// <summary>Rows with a time accepted by this assembler (not kept by <see cref="Save"/>: a scheduled run counts its own).</summary>
        public long TimedRows { get; private set; }

        /// <summary>
        /// Of <see cref="TimedRows"/>, those with the same time as the row before them in their group (the first:
        /// <see cref="FirstSharedTime"/>): rows sent twice, two exporters writing one series, or a long export (one metric
        /// a row). Training counts the same (<see cref="WindowPlan.SharedTimes"/>). On a time grid, a row with the values of
        /// the row before it (the same row sent again) is not counted: averaged into that row's cell, it mixes nothing in.
        /// </summary>
        public long SharedTimes { get; private set; }

        /// <summary>The first row counted in <see cref="SharedTimes"/>.</summary>
        public WindowKey FirstSharedTime { get; private set; }

        /// <summary>
        /// Forgets the groups that have gone silent, and returns them (null: none); a row of such a group starts it
        /// afresh, as a group never seen. The groups with a row since the last call (its row count is kept with the
        /// memory, so a run that was stopped or killed before its call counts with the next) reported, and are never
        /// silent.
        /// <list type="bullet">
        /// <item>Groups with a time: "now" is the (lower) median of the last times of the groups that reported: silent
        /// groups don't vote, and one host whose clock runs ahead, or one row dated years ahead, is outvoted (of two, the
        /// earlier counts); it is never later than <paramref name="latest"/> (the caller's clock, with a day for time
        /// zones: a run in which only a host dated ahead reports can't move it past the present), and it never goes back
        /// (the latest is kept in the groups' marks). Each group that reported is marked as reporting at that "now"
        /// (<c>ReportedAt</c>). A group that did not report is silent when the later of its last time and its mark is
        /// earlier than "now" less its limit: the longer of <paramref name="silence"/> and <paramref name="gaps"/> times
        /// its largest gap (a monthly series is not silent between its rows). So a backlog far behind the others is
        /// kept as long as it reports, and so is a host whose clock runs behind. With none reporting, nothing is
        /// silent.</item>
        /// <item>Groups without a time: silent when more rows than their limit came since their last row, the larger of
        /// <paramref name="silentRows"/> and <paramref name="rounds"/> rows of each group with a row among the last
        /// <paramref name="fleetRows"/> (the fleet: a large one goes through more rows a day). With none reporting,
        /// nothing is silent.</item>
        /// </list>
        /// </summary>
        public List<string>? ForgetSilent(TimeSpan silence, int gaps, long silentRows, long rounds, long fleetRows, DateTime latest)
        {
            long reportedAfter = sweptAt;
            sweptAt = rows;
            var times = new List<long>();
            long reporting = 0, fleet = 0, clock = 0;
            foreach (var s in groups.Values)
            {
                if (s.LastRow > reportedAfter)
                {
                    reporting++;
                    if (s.LastTime is DateTime t) times.Add(t.Ticks);
                }
                if (s.LastTime == null && s.LastRow > rows - fleetRows) fleet++;
                clock = Math.Max(clock, s.ReportedAt);
            }
            if (reporting == 0) return null;
            // Marks made while the clock ran ahead count up to the clock as it is now.
            clock = Math.Min(clock, latest.Ticks);
            if (times.Count > 0)
            {
                times.Sort();
                clock = Math.Max(clock, Math.Min(times[(times.Count - 1) / 2], latest.Ticks));
            }
            long rowLimit = Math.Max(silentRows, rounds * fleet);
            return Forget((group, s) =>
            {
                if (s.LastRow > reportedAfter)
                {
                    // The latest mark, capped by the clock, is at most "now": a reporting group is marked with "now".
                    if (clock > 0) s.ReportedAt = clock;
                    return false;
                }
                if (s.LastTime is DateTime last)
                {
                    if (clock == 0) return false;
                    var gap = s.MaxGapKnown ? s.MaxGap : maxGapOf(group);
                    long limit = Math.Max(silence.Ticks, gap is TimeSpan g ? (g.Ticks < long.MaxValue / gaps ? gaps * g.Ticks : long.MaxValue) : 0);
                    return Math.Max(last.Ticks, Math.Min(s.ReportedAt, latest.Ticks)) < clock - limit;
                }
                return rows - s.LastRow > rowLimit;
            });
        }

        private List<string>? Forget(Func<string, Series, bool> silent)
        {
            List<string>? gone = null;
            foreach (var pair in groups)
                if (silent(pair.Key, pair.Value)) (gone ??= new List<string>()).Add(pair.Key);
            if (gone != null)
                foreach (var group in gone) groups.Remove(group);
            return gone;
        }

        /// <summary>
        /// Adds one row of <paramref name="key"/>'s group. Throws <see cref="FeatureValueException"/> <c>RowOutOfOrder</c>
        /// (naming <paramref name="timeColumn"/>) when the row is earlier than the previous row of its group; the
        /// group's window is then unchanged.
        /// </summary>
        public WindowStep Push(WindowKey key, double[] row, string timeColumn = "time") => Push(key, row, null, timeColumn);

        /// <summary>
        /// As <see cref="Push(WindowKey, double[], string)"/>, with the row's columns (each below the row's width) whose
        /// values were filled in for missing ones: the window says which of its values were (<see cref="WindowStep.FilledCells"/>).
        /// </summary>
        public WindowStep Push(WindowKey key, double[] row, IReadOnlyList<int>? filled, string timeColumn = "time")
        {
            if (row.Length != width) throw new ArgumentException($"Each row must have {width} values.", nameof(row));
            key = Resolve(key);
            int[]? filledColumns = filled is { Count: > 0 } ? filled.Distinct().ToArray() : null;
            if (filledColumns != null)
                foreach (int c in filledColumns)
                    if (c < 0 || c >= width) throw new ArgumentOutOfRangeException(nameof(filled), "A filled-in column is one of the row's.");
            if (!groups.TryGetValue(key.Group, out var series))
            {
                series = new Series(Math.Max(1, size - 1));
                groups[key.Group] = series;
            }
            bool afterGap = false;
            if (key.Time != null && series.LastTime != null)
            {
                var previous = series.LastTime.Value;
                if (key.Time.Value < previous)
                    throw new FeatureValueException(FeatureValueProblem.NotTimestamp, timeColumn, key.Time.Value,
                        $"column '{timeColumn}' has time {Format(key.Time.Value)}, earlier than the previous row{GroupText(key.Group)} " +
                        $"({Format(previous)}). {RepeatedHourHint(previous - key.Time.Value, key.Time.Value.Kind)}{MixedTimesHint(key.Time.Value, previous)}" +
                        (LateRowAdvice != null && RepeatedHourHint(previous - key.Time.Value, key.Time.Value.Kind).Length == 0
                            ? LateRowAdvice
                            : key.Time.Value.Kind == DateTimeKind.Utc
                            // Instants: sorting by the clock times as written would merge the two passes of a repeated hour.
                            ? StreamOrderAdvice + " score the file with -Path, which sorts each group by its instants."
                            : $"{StreamOrderAdvice} sort it first (Sort-Object {{ [datetime]$_.'{timeColumn.Replace("'", "''")}' }}: " +
                              "sorted as text, dates are not in time order) or score the file with -Path, which sorts it."),
                        ErrorIds.RowOutOfOrder) { StepBack = previous - key.Time.Value };
                if (!series.MaxGapKnown)
                {
                    series.MaxGap = maxGapOf(key.Group);
                    series.MaxGapKnown = true;
                }
                if (series.MaxGap != null && key.Time.Value - previous > series.MaxGap.Value && (series.Count > 0 || series.Cell >= 0))
                {
                    series.Start = 0;
                    series.Count = 0;
                    afterGap = true;
                }
            }
            // The row is accepted (nothing below refuses it).
            series.LastRow = ++rows;
            if (key.Time != null)
            {
                TimedRows++;
                if (series.LastTime == key.Time && !RepeatsCell(series, row) && SharedTimes++ == 0) FirstSharedTime = key;
                if (KeepsScoredTimes) (series.Times ??= new ScoredTimes()).Add(key.Time.Value);
                series.SourcePrevious = key.Time;
            }
            if (stepOf != null && key.Time != null)
            {
                Array.Copy(row, series.LastValues ??= new double[width], width);
                if (series.Step == null && series.Cell < 0) series.Step = stepOf(key.Group);
                if (series.Step != null && series.Step.Value > TimeSpan.Zero) return PushCell(series, key.Time.Value, row, filledColumns, afterGap);
            }
            if (key.Time != null) series.LastTime = key.Time;

            if (size == 1) return new WindowStep(WindowStatus.Scored, (double[])row.Clone(), false, filledColumns);
            // The window ends at this row (built before the row joins the group's kept rows), then the row is kept.
            var step = series.Count == size - 1 ? Window(series, row, filledColumns, afterGap) : new WindowStep(WindowStatus.WarmingUp, null, afterGap);
            Complete(series, (double[])row.Clone(), filledColumns);
            return step;
        }

        // The window of the group's kept rows (cells) and a newest row (cell), with the values filled in.
        private WindowStep Window(Series series, double[] newest, int[]? newestFilled, bool afterGap)
        {
            int capacity = size - 1;
            var window = new double[size * width];
            for (int t = 0; t < capacity; t++)
                Array.Copy(series.Rows[(series.Start + t) % capacity], 0, window, t * width, width);
            Array.Copy(newest, 0, window, capacity * width, width);
            return new WindowStep(WindowStatus.Scored, window, afterGap, FilledCells(series, newestFilled));
        }

        // The filled-in cells of the window of the group's kept rows (cells) and a newest row (cell) with `newest` filled in.
        private int[]? FilledCells(Series series, int[]? newest)
        {
            int capacity = size - 1;
            List<int>? cells = null;
            for (int t = 0; t < capacity; t++)
                if (series.Filled[(series.Start + t) % capacity] is { } columns)
                    foreach (int c in columns) (cells ??= new List<int>()).Add(t * width + c);
            if (newest != null)
                foreach (int c in newest) (cells ??= new List<int>()).Add(capacity * width + c);
            return cells?.ToArray();
        }

        // Time grid: the row goes into its cell; earlier cells are completed (and missing ones filled) first.
        private WindowStep PushCell(Series series, DateTime time, double[] row, int[]? filledColumns, bool afterGap)
        {
            var step = series.Step!.Value;
            if (series.Cell < 0 || afterGap)
            {
                series.Origin = time;
                series.Cell = 0;
                StartCell(series, row, filledColumns);
                series.LastTime = time;
                return Emit(series, afterGap);
            }
            long cell = (time - series.Origin).Ticks / step.Ticks;
            if (cell == series.Cell)
            {
                for (int k = 0; k < width; k++) series.CellSum![k] += row[k];
                series.CellRows++;
                if (filledColumns != null)
                {
                    series.CellFilled ??= new int[width];
                    foreach (int c in filledColumns) series.CellFilled[c]++;
                    if (!series.CellFilledSumUnknown)
                    {
                        series.CellFilledSum ??= new double[width];
                        foreach (int c in filledColumns) series.CellFilledSum[c] += row[c];
                    }
                }
            }
            else
            {
                var previous = Mean(series);
                var previousFilled = CellFilledColumns(series);
                Complete(series, previous, previousFilled);
                long missing = cell - series.Cell - 1;
                // A cell filled in between two is made of filled-in values where both ends are.
                int[]? between = previousFilled == null || filledColumns == null ? null : previousFilled.Intersect(filledColumns).ToArray();
                if (between is { Length: 0 }) between = null;
                for (long j = 1; j <= missing; j++)
                {
                    var filled = new double[width];
                    double f = (double)j / (missing + 1);
                    for (int k = 0; k < width; k++) filled[k] = previous[k] + (row[k] - previous[k]) * f;
                    Complete(series, filled, between);
                }
                series.Cell = cell;
                StartCell(series, row, filledColumns);
            }
            series.LastTime = time;
            return Emit(series, afterGap);
        }

        private void StartCell(Series series, double[] row, int[]? filledColumns)
        {
            series.CellSum = (double[])row.Clone();
            series.CellRows = 1;
            series.CellFilled = null;
            series.CellFilledSum = null;
            series.CellFilledSumUnknown = false;
            if (filledColumns == null) return;
            series.CellFilled = new int[width];
            series.CellFilledSum = new double[width];
            foreach (int c in filledColumns)
            {
                series.CellFilled[c]++;
                series.CellFilledSum[c] += row[c];
            }
        }

        // The current cell's columns filled in in every one of its rows so far, or null.
        private static int[]? CellFilledColumns(Series series)
        {
            if (series.CellFilled == null) return null;
            List<int>? columns = null;
            for (int c = 0; c < series.CellFilled.Length; c++)
                if (series.CellFilled[c] == series.CellRows) (columns ??= new List<int>()).Add(c);
            return columns?.ToArray();
        }

        // On a time grid, whether a row of the time of the group's last row has that row's values (the same row sent
        // again): averaged into the same cell, it does not mix sources or metrics, so it is not counted in SharedTimes.
        private bool RepeatsCell(Series series, double[] row)
        {
            if (stepOf == null || series.Cell < 0 || series.LastValues is not { } last) return false;
            for (int k = 0; k < width; k++)
                if (!row[k].Equals(last[k])) return false;
            return true;
        }

        // A cell's value of each column: the mean of the values its rows measured; of the filled-in ones only where no row
        // of the cell measured it. A filled-in value (the training median) stands in for a measurement that is missing, so
        // it must not dilute one the cell has: in a Grafana "series joined by time" of hosts scraped at offsets, each row
        // holds one host's cells and the others' are empty, and every cell averaged each host's value with its median,
        // halving an incident's deviation. (A cell of a memory saved before the filled-in sums were kept: the mean of all.)
        private double[] Mean(Series series)
        {
            var mean = new double[width];
            var filled = series.CellFilled;
            var filledSum = series.CellFilledSum;
            for (int k = 0; k < width; k++)
            {
                int f = filled?[k] ?? 0;
                mean[k] = f > 0 && f < series.CellRows && filledSum != null
                    ? (series.CellSum![k] - filledSum[k]) / (series.CellRows - f)
                    : series.CellSum![k] / series.CellRows;
            }
            return mean;
        }

        // A finished cell joins the last n-1 cells of the group.
        private void Complete(Series series, double[] cell, int[]? filled)
        {
            int capacity = size - 1;
            if (capacity == 0) return;
            if (series.Count == capacity)
            {
                series.Rows[series.Start] = cell;
                series.Filled[series.Start] = filled;
                series.Start = (series.Start + 1) % capacity;
            }
            else
            {
                int at = (series.Start + series.Count) % capacity;
                series.Rows[at] = cell;
                series.Filled[at] = filled;
                series.Count++;
            }
        }

        // The window of the current cell: the last n-1 finished cells and the current cell's average so far.
        private WindowStep Emit(Series series, bool afterGap)
        {
            if (series.Count < size - 1) return new WindowStep(WindowStatus.WarmingUp, null, afterGap) { CellRow = series.CellRows };
            return Window(series, Mean(series), CellFilledColumns(series), afterGap) with { CellRow = series.CellRows };
        }

        /// <summary>
        /// Writes each group's state (its last n-1 rows or cells, last time, grid cell) so that a later run can go on
        /// where this one stopped (<see cref="Load"/>): the scheduled job keeps it between runs.
        /// </summary>
        public void Save(System.IO.BinaryWriter writer)
        {
            writer.Write(size);
            writer.Write(width);
            writer.Write(rows);
            writer.Write(sweptAt);
            writer.Write(groups.Count);
            foreach (var pair in groups)
            {
                var s = pair.Value;
                writer.Write(pair.Key);
                writer.Write(s.LastRow);
                writer.Write(s.ReportedAt);
                writer.Write(s.Count);
                for (int t = 0; t < s.Count; t++)
                    foreach (double v in s.Rows[(s.Start + t) % s.Rows.Length]) writer.Write(v);
                WriteTime(writer, s.LastTime);
                writer.Write(s.MaxGapKnown);
                WriteSpan(writer, s.MaxGap);
                WriteSpan(writer, s.Step);
                writer.Write(s.Origin.Ticks);
                writer.Write(s.Cell);
                writer.Write(s.CellRows);
                writer.Write(s.CellSum != null);
                if (s.CellSum != null) foreach (double v in s.CellSum) writer.Write(v);
                // Which values were filled in: per kept row (cell) its columns, then the current cell's counts.
                for (int t = 0; t < s.Count; t++) WriteColumns(writer, s.Filled[(s.Start + t) % s.Rows.Length]);
                writer.Write(s.CellFilled != null);
                if (s.CellFilled != null) foreach (int n in s.CellFilled) writer.Write(n);
                writer.Write(s.CellFilledSum != null);
                if (s.CellFilledSum != null) foreach (double v in s.CellFilledSum) writer.Write(v);
                writer.Write(s.Times != null);
                s.Times?.Save(writer);
            }
        }

        /// <summary>
        /// Reads what <see cref="Save"/> wrote into this (empty) assembler. False, and the assembler left empty, when the
        /// state was written for another window size or row width. <paramref name="withFilled"/> false reads a state
        /// saved before the assembler kept which values were filled in (SeriesMemory version 2): none were.
        /// <paramref name="withRows"/> false reads one saved before it counted rows and kept the groups' marks for
        /// ForgetSilent (SeriesMemory versions 2-4): every group's last row is then the last one seen, and none is marked.
        /// <paramref name="withTimesAndSums"/> false reads one saved before groups kept their scored times and a cell its filled-in
        /// sums (versions 2-7): a group's last time is then the one it is known to have scored (<see cref="BeginSource"/>),
        /// and a cell's mean that of all its rows (<see cref="Mean"/>) until it ends.
        /// </summary>
        public bool Load(System.IO.BinaryReader reader, bool withFilled = true, bool withRows = true, bool withTimesAndSums = true)
        {
            if (groups.Count > 0) throw new InvalidOperationException("The assembler already holds groups.");
            int savedSize = reader.ReadInt32(), savedWidth = reader.ReadInt32();
            if (savedSize != size || savedWidth != width) return false;
            Read(reader, savedSize, savedWidth, withFilled, withRows, withTimesAndSums, (group, s) => groups[group] = s);
            return true;
        }

        /// <summary>
        /// Reads what <see cref="Save"/> wrote, for any window size or row width (another model's), into this (empty)
        /// assembler, keeping of each group only what marks its rows as taken: its last time and scored times (a row sent
        /// again is still skipped, an older one not scored still late: <see cref="ScoredBefore"/>) and its last row and mark
        /// (when it went silent). Its window, grid cell and gap start over. The scheduled job's memory started afresh (a
        /// model retrained, a threshold or verdict option changed) keeps these, so an export that overlaps the last one is
        /// not scored twice. The flags are <see cref="Load"/>'s; with <paramref name="withTimesAndSums"/> false a group
        /// keeps only its last time (<see cref="BeginSource"/> takes it as scored).
        /// </summary>
        public void LoadTaken(System.IO.BinaryReader reader, bool withFilled = true, bool withRows = true, bool withTimesAndSums = true)
        {
            if (groups.Count > 0) throw new InvalidOperationException("The assembler already holds groups.");
            int savedSize = reader.ReadInt32(), savedWidth = reader.ReadInt32();
            if (savedSize < 1 || savedWidth < 1) throw new System.IO.InvalidDataException("A window memory holds an impossible window size or row width.");
            Read(reader, savedSize, savedWidth, withFilled, withRows, withTimesAndSums, (group, saved) =>
            {
                if (saved.LastTime == null && saved.Times == null) return;
                groups[group] = new Series(Math.Max(1, size - 1))
                {
                    LastTime = saved.LastTime,
                    Times = saved.Times,
                    LastRow = saved.LastRow,
                    ReportedAt = saved.ReportedAt,
                };
            });
        }

        // The groups Save wrote for windows of `savedSize` rows of `savedWidth` values, each given to `add`; then the row counts.
        private void Read(System.IO.BinaryReader reader, int savedSize, int savedWidth, bool withFilled, bool withRows, bool withTimesAndSums,
            Action<string, Series> add)
        {
            long savedRows = withRows ? reader.ReadInt64() : 0;
            long savedSweep = withRows ? reader.ReadInt64() : 0;
            if (savedRows < 0 || savedSweep < 0 || savedSweep > savedRows) throw new System.IO.InvalidDataException("A window memory holds impossible row counts.");
            int count = reader.ReadInt32();
            for (int g = 0; g < count; g++)
            {
                string group = reader.ReadString();
                var s = new Series(Math.Max(1, savedSize - 1));
                if (withRows)
                {
                    s.LastRow = reader.ReadInt64();
                    if (s.LastRow < 0 || s.LastRow > savedRows) throw new System.IO.InvalidDataException("A window's last row is not one of the rows seen.");
                    s.ReportedAt = reader.ReadInt64();
                    if (s.ReportedAt < 0) throw new System.IO.InvalidDataException("A window's group reported at a negative time.");
                }
                else s.LastRow = savedRows;
                s.Count = reader.ReadInt32();
                if (s.Count < 0 || s.Count > s.Rows.Length) throw new System.IO.InvalidDataException("A window holds more rows than the window size.");
                for (int t = 0; t < s.Count; t++) s.Rows[t] = ReadValues(reader, savedWidth);
                s.LastTime = ReadTime(reader);
                s.MaxGapKnown = reader.ReadBoolean();
                s.MaxGap = ReadSpan(reader);
                s.Step = ReadSpan(reader);
                s.Origin = new DateTime(reader.ReadInt64());
                s.Cell = reader.ReadInt64();
                s.CellRows = reader.ReadInt32();
                s.CellSum = reader.ReadBoolean() ? ReadValues(reader, savedWidth) : null;
                if (withFilled)
                {
                    for (int t = 0; t < s.Count; t++) s.Filled[t] = ReadColumns(reader, savedWidth);
                    if (reader.ReadBoolean())
                    {
                        s.CellFilled = new int[savedWidth];
                        for (int k = 0; k < savedWidth; k++)
                        {
                            s.CellFilled[k] = reader.ReadInt32();
                            if (s.CellFilled[k] < 0 || s.CellFilled[k] > s.CellRows) throw new System.IO.InvalidDataException("A window's cell has more filled-in values than rows.");
                        }
                    }
                }
                if (withTimesAndSums)
                {
                    s.CellFilledSum = reader.ReadBoolean() ? ReadValues(reader, savedWidth) : null;
                    if (s.CellFilledSum != null && s.CellFilled == null) throw new System.IO.InvalidDataException("A window's cell has filled-in sums without filled-in values.");
                    // A cell with filled-in values and no sums of them was opened by a memory of version 2-7 and saved again
                    // before it ended: its sums are still not known.
                    s.CellFilledSumUnknown = s.CellFilledSum == null && s.CellFilled != null;
                    s.Times = reader.ReadBoolean() ? ScoredTimes.Load(reader) : null;
                }
                // Before version 8 a cell kept no filled-in sums: its mean stays that of all its rows until it ends.
                else s.CellFilledSumUnknown = s.CellFilled != null;
                add(group, s);
            }
            rows = savedRows;
            sweptAt = savedSweep;
        }

        private static void WriteColumns(System.IO.BinaryWriter writer, int[]? columns)
        {
            writer.Write(columns?.Length ?? 0);
            if (columns != null) foreach (int c in columns) writer.Write(c);
        }

        private static int[]? ReadColumns(System.IO.BinaryReader reader, int width)
        {
            int count = reader.ReadInt32();
            if (count < 0 || count > width) throw new System.IO.InvalidDataException("A window's row has more filled-in values than columns.");
            if (count == 0) return null;
            var columns = new int[count];
            for (int k = 0; k < count; k++)
            {
                columns[k] = reader.ReadInt32();
                if (columns[k] < 0 || columns[k] >= width) throw new System.IO.InvalidDataException("A window's filled-in column is not one of its row's.");
            }
            return columns;
        }

        private static double[] ReadValues(System.IO.BinaryReader reader, int count)
        {
            var values = new double[count];
            for (int k = 0; k < count; k++) values[k] = reader.ReadDouble();
            return values;
        }

        private static void WriteTime(System.IO.BinaryWriter writer, DateTime? time)
        {
            writer.Write(time != null);
            if (time != null) { writer.Write(time.Value.Ticks); writer.Write((int)time.Value.Kind); }
        }

        private static DateTime? ReadTime(System.IO.BinaryReader reader) =>
            reader.ReadBoolean() ? new DateTime(reader.ReadInt64(), (DateTimeKind)reader.ReadInt32()) : null;

        private static void WriteSpan(System.IO.BinaryWriter writer, TimeSpan? span)
        {
            writer.Write(span != null);
            if (span != null) writer.Write(span.Value.Ticks);
        }

        private static TimeSpan? ReadSpan(System.IO.BinaryReader reader) =>
            reader.ReadBoolean() ? new TimeSpan(reader.ReadInt64()) : null;

        /// <summary>
        /// The error of a row dated after <paramref name="latest"/> (ScoringPipeline.LatestRowTime): skipped, so that its
        /// group's later rows are not refused as out of order.
        /// </summary>
        internal static FeatureValueException DatedAhead(WindowKey key, DateTime latest, string timeColumn) =>
            new FeatureValueException(FeatureValueProblem.NotTimestamp, timeColumn, key.Time,
                $"column '{timeColumn}' has time {Format(key.Time!.Value)}{GroupText(key.Group)}, after {Format(latest)}: this computer's " +
                "clock and a day for time zones. A row can't come from the future: the clock of the host that wrote it, or of this " +
                "computer, is wrong. The row is skipped, so that the group's later rows are still taken in order.",
                ErrorIds.RowDatedAhead);

        // How a row refused for its order (RowOutOfOrder) ends: the advice to a stream, to sort it or read the file whole.
        private const string StreamOrderAdvice = "A stream must arrive in time order;";

        /// <summary>
        /// How a row refused for its order ends where its rows were already put in time order (the scheduled job sorts each
        /// file's new rows), in place of the advice to a stream; but for a step back that may be a repeated local hour,
        /// which keeps its hint. Null: the advice to a stream. Not saved with the memory: set by the reader each run.
        /// </summary>
        public string? LateRowAdvice { get; set; }

        /// <summary>
        /// The likely cause of rows that step back in time by <paramref name="back"/>, with a space after it, or "": half an
        /// hour to an hour of times not in UTC (<paramref name="kind"/>; a model with a zone reads instants, in UTC) is most
        /// likely the hour local clocks repeat when they go back, which the model's zone fixes. A smaller step back (a row a
        /// few minutes late, a newest-first export of 5-minute rows) is not: the hint would send the operator the wrong way.
        /// </summary>
        public static string RepeatedHourHint(TimeSpan back, DateTimeKind kind) =>
            kind == DateTimeKind.Utc || back > TimeSpan.FromHours(1) || back < MinimumRepeatedHourStep ? ""
            : "If these are local times, clocks repeat an hour when they go back (daylight saving time ends): give the model " +
              "its time zone (New-Autoencoder -TimeZone, then train it) so that the repeated hour is read in order. ";

        // The least step back of the repeated hour's first time from the time before it: the rows of the hour's first pass,
        // from 01:00 to at least 01:30 (rows every half hour), then 01:00 again.
        internal static readonly TimeSpan MinimumRepeatedHourStep = TimeSpan.FromMinutes(30);

        // A group whose times are written both with and without their offset: without a zone, one is an instant (UTC) and
        // the other a clock time, which can't be ordered against each other.
        private static string MixedTimesHint(DateTime time, DateTime previous) =>
            (time.Kind == DateTimeKind.Utc) == (previous.Kind == DateTimeKind.Utc) ? ""
            : "One of the two times states its offset (or is UTC) and the other does not: write the group's times all one way, or give the " +
              "model its time zone (New-Autoencoder -TimeZone). ";

        internal static string GroupText(string group) => group.Length == 0 ? "" : $" of group '{group}'";

        // A time in UTC says so: with a model's time zone, rows are ordered (and named in errors) by their instants.
        internal static string Format(DateTime t) =>
            t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.') + (t.Kind == DateTimeKind.Utc ? " UTC" : "");
    }

    /// <summary>The training windows of a set of rows, and what the series' time steps look like.</summary>
    public sealed class WindowPlan
    {
        internal WindowPlan(IReadOnlyList<int[]> windows, IReadOnlyDictionary<string, TimeSpan> intervals, TimeSpan? usualInterval,
            int groups, int warmingUpRows, int gaps)
        {
            Windows = windows;
            GroupIntervals = intervals;
            UsualInterval = usualInterval;
            Groups = groups;
            WarmingUpRows = warmingUpRows;
            Gaps = gaps;
        }

        /// <summary>Each window as the indices of its rows, oldest first.</summary>
        public IReadOnlyList<int[]> Windows { get; }

        /// <summary>Median time step of each group (groups with at least two distinct times).</summary>
        public IReadOnlyDictionary<string, TimeSpan> GroupIntervals { get; }

        /// <summary>Median time step over all groups.</summary>
        public TimeSpan? UsualInterval { get; }

        /// <summary>The rows that only warmed a window up after a gap broke it (null: not counted, a time grid's plan).</summary>
        public int? WarmingAfterGaps { get; internal set; }

        /// <summary>The long steps of the groups whose steps are irregular (none on a time grid).</summary>
        public LongSteps LongSteps { get; internal set; } = LongSteps.None;

        /// <summary>
        /// A time grid's rows to a cell, per group where it is more than one (the median over the group's cells): a joined
        /// export of two hosts sampled at offsets brings two rows a step, and each is scored. Empty off a grid.
        /// </summary>
        public IReadOnlyDictionary<string, int> GroupRowsPerStep { get; init; } = new Dictionary<string, int>();

        /// <summary>A time grid's rows to a cell over all groups (the median over every cell); 1 off a grid.</summary>
        public int RowsPerStep { get; init; } = 1;

        /// <summary>
        /// On a time grid: per column (of <paramref name="columns"/>), the share of the windows whose oldest time step
        /// (a finished cell) has no measured value of it, only filled-in ones (<see cref="CellsImputed"/>); null off a
        /// grid. A column a host fills in each row of a joined export ("series joined by time") is measured in every cell.
        /// </summary>
        public double[]? StepsMissing(int columns)
        {
            if (!Grid) return null;
            var shares = new double[columns];
            if (Windows.Count == 0 || CellsImputed is not { Count: > 0 } filled) return shares;
            foreach (var window in Windows)
                for (int c = 0; c < columns; c++)
                    if (filled.Contains(window[0], c)) shares[c]++;
            for (int c = 0; c < columns; c++) shares[c] /= Windows.Count;
            return shares;
        }

        // A time grid's plan (SlidingWindow.PlanGrid): its windows index cells, not input rows.
        internal bool Grid { get; init; }

        public int Groups { get; }

        /// <summary>Rows that start a group or follow a gap, and so end no window.</summary>
        public int WarmingUpRows { get; }

        /// <summary>Gaps that broke a window.</summary>
        public int Gaps { get; }

        /// <summary>
        /// Rows with the same time as the row before them in their group (two rows of one instant). Many of them mean rows
        /// of one metric each ("long" exports: time, host, metric, value), whose windows mix metrics: see
        /// <see cref="SharedTimesWarning"/>.
        /// </summary>
        public int SharedTimes { get; internal set; }

        /// <summary>Rows planned (with a time).</summary>
        public int Rows { get; internal set; }

        /// <summary>
        /// A warning when more than one row in ten shares its time with the row before it in its group, else null:
        /// a window is then made of rows of different metrics (or a time grid averages them into one cell), and the model
        /// learns nothing an operator means. Such exports are pivoted to one row per time (and group) first.
        /// </summary>
        public string? SharedTimesWarning(string? groupBy) =>
            Rows == 0 || SharedTimes * 10L <= Rows ? null :
            $"{SharedTimes:N0} of the {Rows:N0} training rows have the same time as the row before them in their " +
            (groupBy == null ? "series" : $"group ('{groupBy}')") + ": one measurement per row (time, metric, value)? A window is then " +
            "made of rows of different metrics. Pivot such rows first, to one row per time" + (groupBy == null ? "" : " and group") +
            " with a column per metric (see 'Long exports' in about_AutoencoderPS), or group them by what tells the rows of one time apart.";

        /// <summary>
        /// A warning when gaps, not the groups' starts, left more than a quarter of the rows out of every window (each gap
        /// costs the window's length in rows that only warm up), else null: the model then learns from a small, odd part of
        /// its rows, and scoring such rows will score few of them. Without windows at all, <see cref="NoWindowsMessage"/> says why.
        /// </summary>
        public string? GapsWarning(ModelSettings settings)
        {
            // Counted where the rows were planned; a time grid's plan estimates them (its groups' starts as whole windows).
            long lost = WarmingAfterGaps ?? WarmingUpRows - Math.Min((long)Groups * (settings.WindowSize - 1), WarmingUpRows);
            if (Windows.Count == 0 || Gaps == 0 || lost * 4 <= Rows) return null;
            string unit = settings.TimeGrid ? "time steps" : "rows";
            return $"{Gaps:N0} gap(s) in the series broke their windows, so {lost:N0} of the {Rows:N0} training rows only warmed a window up " +
                   $"and the model learned from {Windows.Count:N0} windows of {settings.WindowSize} {unit}; scoring rows like these scores as few. " +
                   (settings.MaxGap is { } given
                       ? $"Each gap is longer than -MaxGap {given}: a larger -MaxGap keeps windows whole across longer gaps."
                       : FormattableString.Invariant($"A gap breaks a window when it is longer than {ModelSettings.GapFactor:0.#} usual intervals (the median step) and, in an ") +
                         FormattableString.Invariant($"irregular series, than its long step (learned from at least {LongSteps.MinSteps} steps): give more rows, ") +
                         "New-Autoencoder -MaxGap to keep windows whole across longer gaps" + (settings.TimeGrid ? "." : ", or -TimeGrid to fill short gaps."));
        }

        /// <summary>
        /// Why there is no window (<see cref="Windows"/> empty) to train on: the window, the rows, the gaps that broke
        /// their runs, the largest gap kept and the usual interval it comes from.
        /// </summary>
        public string NoWindowsMessage(ModelSettings settings, string purpose = "train on")
        {
            int n = settings.WindowSize;
            string unit = settings.TimeGrid ? "time steps" : "rows";
            bool one = Groups == 1;
            string series = (one ? "The series" : $"None of the {Groups:N0} groups") + (Rows > 0 ? $" ({Rows:N0} rows)" : "");
            if (Gaps == 0)
                return $"{series} has {(one ? "fewer than " : "")}{n} consecutive {unit}, so there is no window of {n} {unit} to {purpose}. " +
                       "Give more rows, or a smaller -WindowSize.";
            string median = settings.TimeGrid ? "the median step of its values" : "the median step between its rows";
            double factor = settings.TimeGrid ? ModelSettings.GridGapFactor : ModelSettings.GapFactor;
            string why;
            if (settings.MaxGap is TimeSpan given) why = $"longer than -MaxGap {given}";
            else if (UsualInterval is not TimeSpan usual) why = "";
            else if (one && WindowsPerGroup.Keys.FirstOrDefault() is string group && SlidingWindow.Step(GroupIntervals, usual, group) is TimeSpan step)
            {
                // The limit applied (SlidingWindow.MaxGap), then the rule that gave it.
                var limit = SlidingWindow.MaxGap(null, GroupIntervals, usual, group, settings.TimeGrid, LongSteps);
                why = !settings.TimeGrid && LongSteps.For(group, GroupIntervals) is { } longStep && limit == longStep
                    ? FormattableString.Invariant($"longer than {limit} (the long step of its irregular steps: at most {LongSteps.Quantile:P1} of them, and {factor:0.#} times their {LongSteps.BulkQuantile:P0})")
                    : FormattableString.Invariant($"longer than {limit} ({factor:0.#} times its usual interval {step}, {median})");
            }
            else why = FormattableString.Invariant($"longer than {factor:0.#} times a group's usual interval ({median}; of all groups {usual})");
            return series + $" has {(one ? "no " : "")}{n} consecutive {unit} without a gap: {Gaps:N0} gap(s) {why}".TrimEnd() + $" broke {(one ? "its" : "their")} runs, " +
                   $"so there is no window of {n} {unit} to {purpose}. Give more rows, a smaller -WindowSize, or a larger -MaxGap" +
                   (settings.TimeGrid ? "." : ", or New-Autoencoder -TimeGrid for an irregular series.");
        }

        /// <summary>Training windows of each group, in the order the groups came.</summary>
        public IReadOnlyDictionary<string, int> WindowsPerGroup { get; internal set; } = new Dictionary<string, int>();

        /// <summary>The group of each window of <see cref="Windows"/>.</summary>
        public IReadOnlyList<string> WindowGroups { get; internal set; } = Array.Empty<string>();

        /// <summary>
        /// A time grid's (<see cref="SlidingWindow.PlanGrid"/>) cells whose value is only filled-in ones: every row of the
        /// cell, and both ends of a cell filled between rows, had it filled in. Null when no value was filled in.
        /// </summary>
        public ImputedCells? CellsImputed { get; internal set; }
    }

    /// <summary>Sliding-window helpers shared by training and scoring.</summary>
    public static class SlidingWindow
    {
        /// <summary>
        /// Reads a row's group and time by the settings' <see cref="ModelSettings.GroupBy"/> and
        /// <see cref="ModelSettings.TimeProperty"/>; without a group column, the group is the machine whose performance
        /// counters the model's <paramref name="schema"/> reads in place of its own (<see cref="FeatureSchema.SeriesMachine"/>),
        /// else "". Throws <see cref="FeatureValueException"/> naming the column and value: <c>TimeValueMissing</c>,
        /// <c>TimeValueInvalid</c> or <c>GroupValueMissing</c>.
        /// </summary>
        public static WindowKey ReadKey(IRecord record, ModelSettings settings, FeatureSchema schema, CultureInfo culture)
        {
            // A row whose fields don't fit its header would give the time or group of another column (as Featurize says).
            Csv.CsvRecord.ThrowIfMisshapen(record);
            string group = "";
            if (settings.GroupBy == null) group = schema.SeriesMachine(record);
            else
            {
                record.TryGetValue(settings.GroupBy, out var value);
                string? text = FeatureSchema.CategoryOf(value, culture);
                if (text == null)
                    throw new FeatureValueException(FeatureValueProblem.Empty, settings.GroupBy, value,
                        value == null ? $"column '{settings.GroupBy}' (the group of the sliding window) is missing or empty."
                                      : $"column '{settings.GroupBy}' (the group of the sliding window) has the missing value '{value}'.",
                        ErrorIds.GroupValueMissing);
                group = text;
            }
            var time = ReadTime(record, settings, culture, out var later);
            return new WindowKey(group, time, later);
        }

        /// <summary>
        /// A row's time by the settings' <see cref="ModelSettings.TimeProperty"/> (null without one), looked up by
        /// <see cref="TimeColumn"/>: its instant (UTC) when the value states it, otherwise as written, or with the settings'
        /// zone as a local time of it (<see cref="SeriesTime"/>; of a repeated local time the earlier, the later in
        /// <paramref name="later"/>). Throws as <see cref="ReadKey"/>.
        /// </summary>
        public static DateTime? ReadTime(IRecord record, ModelSettings settings, CultureInfo culture, out DateTime? later)
        {
            later = null;
            return settings.TimeProperty == null ? null : ReadTime(record, settings.TimeProperty, settings.Zone, culture, out later);
        }

        /// <summary>
        /// A row's time in column <paramref name="timeProperty"/>, with <paramref name="zone"/> (null: none) as a model with
        /// those settings reads it (<see cref="ReadTime(IRecord, ModelSettings, CultureInfo, out DateTime?)"/>); for a sample
        /// read before the model has its settings' columns (FeatureSchema's profiles). Throws as <see cref="ReadKey"/>.
        /// </summary>
        public static DateTime ReadTime(IRecord record, string timeProperty, TimeZoneInfo? zone, CultureInfo culture, out DateTime? later)
        {
            DateTime? time = null;
            later = null;
            TimeColumn.TryGetValue(record, timeProperty, out var value, out var other);
            zone ??= TimeColumn.ZoneOf(other);
            if (zone != null)
            {
                if (TimestampParser.TryRead(value, culture, out var written, out var stated))
                    time = SeriesTime.Instant(written, stated, zone, timeProperty, value, out later);
            }
            // Without a zone, a time that states its instant (an offset, a Z, an epoch number, a DateTime of this
            // machine's clock) is ordered by it: "01:30-07:00" then "01:10-08:00" is 20 minutes on, not 20 back.
            // A clock time alone is ordered as written.
            else if (TimestampParser.TryRead(value, culture, out var t, out var stated))
                time = stated ?? t;
            if (time == null && (value == null || value is string s && NumberParser.IsMissingMarker(s)))
                throw new FeatureValueException(FeatureValueProblem.Empty, timeProperty, value,
                    $"column '{timeProperty}' (the time of the sliding window) is missing or empty, so the row has no place in its series.",
                    ErrorIds.TimeValueMissing);
            if (time == null)
                throw FeatureValueException.NotATime(timeProperty, value, culture, "the time of the sliding window", ErrorIds.TimeValueInvalid);
            return time.Value;
        }

        /// <summary>As <see cref="ReadTime(IRecord, ModelSettings, CultureInfo, out DateTime?)"/>, the earlier reading of a repeated local time.</summary>
        public static DateTime? ReadTime(IRecord record, ModelSettings settings, CultureInfo culture) => ReadTime(record, settings, culture, out _);

        /// <summary>
        /// Plans the training windows: rows are grouped, put in time order within each group (a stable sort, so rows
        /// of equal time keep their order), each group's usual interval is learned (median of its positive time steps),
        /// and every row with n-1 rows of its group before it, without a gap between them, ends one window.
        /// </summary>
        public static WindowPlan Plan(int windowSize, IReadOnlyList<WindowKey> keys, TimeSpan? maxGap,
            IReadOnlyDictionary<string, TimeSpan>? knownIntervals = null, TimeSpan? knownUsualInterval = null, LongSteps? knownLongSteps = null,
            Func<string, TimeSpan?>? limitOf = null) =>
            PlanSteps(windowSize, keys, maxGap, knownIntervals, knownUsualInterval, null, 0, knownLongSteps, limitOf: limitOf);

        // As Plan; with `filled` (a row's filled-in columns, of `columns`), a group's steps are those of its values
        // (ValueSteps), not of its rows, and on that time grid no long step is learned (LongSteps).
        private static WindowPlan PlanSteps(int windowSize, IReadOnlyList<WindowKey> keys, TimeSpan? maxGap,
            IReadOnlyDictionary<string, TimeSpan>? knownIntervals, TimeSpan? knownUsualInterval, IReadOnlyDictionary<int, int[]>? filled, int columns,
            LongSteps? knownLongSteps = null, bool grid = false, Func<string, TimeSpan?>? limitOf = null)
        {
            var order = new List<string>();
            var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < keys.Count; i++)
            {
                if (!members.TryGetValue(keys[i].Group, out var list))
                {
                    list = new List<int>();
                    members[keys[i].Group] = list;
                    order.Add(keys[i].Group);
                }
                list.Add(i);
            }
            var intervals = new Dictionary<string, TimeSpan>(knownIntervals ?? new Dictionary<string, TimeSpan>(), StringComparer.Ordinal);
            var longSteps = new Dictionary<string, TimeSpan>(grid ? new Dictionary<string, TimeSpan>() : knownLongSteps?.Groups ?? new Dictionary<string, TimeSpan>(), StringComparer.Ordinal);
            var allSteps = new List<long>();
            // Every group's steps in units of its own interval: a fleet of regular hosts at 1 and 15 minutes is regular.
            var ratios = new List<double>();
            int shared = 0, timed = 0;
            foreach (var group in order)
            {
                var list = members[group];
                if (list.All(i => keys[i].Time != null))
                {
                    // Stable: OrderBy keeps equal times in arrival order.
                    var sorted = list.OrderBy(i => keys[i].Time!.Value).ToList();
                    members[group] = sorted;
                    var steps = new List<long>();
                    for (int k = 1; k < sorted.Count; k++)
                    {
                        long step = (keys[sorted[k]].Time!.Value - keys[sorted[k - 1]].Time!.Value).Ticks;
                        if (step <= 0) shared++;
                        else if (filled == null) steps.Add(step);
                    }
                    if (filled != null) ValueSteps(keys, sorted, filled, columns, steps);
                    timed += sorted.Count;
                    if (steps.Count > 0)
                    {
                        intervals[group] = TimeSpan.FromTicks(Median(steps));
                        allSteps.AddRange(steps);
                        foreach (long step in steps) ratios.Add((double)step / intervals[group].Ticks);
                        // A group with too few steps to tell keeps what training learned of it (an incremental run).
                        if (!grid && steps.Count >= LongSteps.MinSteps)
                        {
                            if (LongSteps.Of(steps, intervals[group]) is { } longStep) longSteps[group] = longStep;
                            else longSteps.Remove(group);
                        }
                    }
                }
            }
            TimeSpan? usual = allSteps.Count > 0 ? TimeSpan.FromTicks(Median(allSteps)) : knownUsualInterval;
            // A group training did not see: the groups' rhythm together, in units of the usual interval it is given.
            var learned = new LongSteps(longSteps, grid ? null
                : ratios.Count >= LongSteps.MinSteps && usual is { } all
                    ? LongSteps.Of(ratios.Select(r => (long)Math.Round(r * all.Ticks)).ToList(), all)
                    : knownLongSteps?.All);

            var windows = new List<int[]>();
            var groupOf = new List<string>();
            var perGroup = new Dictionary<string, int>(StringComparer.Ordinal);
            int warming = 0, gaps = 0, afterGaps = 0;
            foreach (var group in order)
            {
                var list = members[group];
                bool broken = false;
                // A trained model's own limits, where given (a recalibration cuts its windows as scoring does).
                var limit = limitOf != null ? limitOf(group) : MaxGap(maxGap, intervals, usual, group, longSteps: learned);
                int run = 0, before = windows.Count;
                for (int k = 0; k < list.Count; k++)
                {
                    if (k > 0 && limit != null && keys[list[k]].Time != null && keys[list[k - 1]].Time != null
                        && keys[list[k]].Time!.Value - keys[list[k - 1]].Time!.Value > limit.Value)
                    {
                        run = 0;
                        gaps++;
                        broken = true;
                    }
                    run++;
                    if (run >= windowSize)
                    {
                        var window = new int[windowSize];
                        for (int t = 0; t < windowSize; t++) window[t] = list[k - windowSize + 1 + t];
                        windows.Add(window);
                    }
                    else
                    {
                        warming++;
                        if (broken) afterGaps++;
                    }
                }
                perGroup[group] = windows.Count - before;
                for (int k = before; k < windows.Count; k++) groupOf.Add(group);
            }
            return new WindowPlan(windows, intervals, usual, order.Count, warming, gaps)
            {
                WindowsPerGroup = perGroup, WindowGroups = groupOf, SharedTimes = shared, Rows = timed, LongSteps = learned,
                WarmingAfterGaps = afterGaps,
            };
        }

        // The steps of a group's values: a row's step is the time since the last row that held a value of any column it
        // holds (filled-in values are none). A row that holds every column steps as the rows do, so a series with a value
        // missing now and then keeps the steps of its rows; a row that holds none is no step. What it changes is a joined
        // export ("series joined by time") of hosts sampled at offsets: a row at :00 holds host a's columns and one at :30
        // host b's, the other's cells empty. Its rows step 30 s, 270 s, 30 s, ..., whose median is either step or their
        // mean by the parity of the row count; its values step 5 minutes, the hosts' own interval, whatever the length.
        private static void ValueSteps(IReadOnlyList<WindowKey> keys, List<int> sorted, IReadOnlyDictionary<int, int[]> filled, int columns, List<long> steps)
        {
            var last = new long[columns];
            Array.Fill(last, long.MinValue);
            foreach (int i in sorted)
            {
                long time = keys[i].Time!.Value.Ticks, step = long.MaxValue;
                filled.TryGetValue(i, out var empty);   // ascending (ImputedCells.ByRow)
                for (int c = 0, e = 0; c < columns; c++)
                {
                    if (empty != null && e < empty.Length && empty[e] == c) { e++; continue; }
                    if (last[c] != long.MinValue) step = Math.Min(step, time - last[c]);
                    last[c] = time;
                }
                if (step != long.MaxValue && step > 0) steps.Add(step);
            }
        }

        /// <summary>
        /// The largest gap that keeps a group's window whole: the user's, else <see cref="ModelSettings.GapFactor"/> usual
        /// intervals (<see cref="ModelSettings.GridGapFactor"/> on a time grid), or the group's long step where its steps
        /// are irregular (<paramref name="longSteps"/>; not on a time grid).
        /// </summary>
        public static TimeSpan? MaxGap(TimeSpan? maxGap, IReadOnlyDictionary<string, TimeSpan> intervals, TimeSpan? usual, string group, bool grid = false,
            LongSteps? longSteps = null)
        {
            if (maxGap != null) return maxGap;
            var interval = Step(intervals, usual, group);
            if (interval == null) return null;
            var byFactor = TimeSpan.FromTicks((long)(interval.Value.Ticks * (grid ? ModelSettings.GridGapFactor : ModelSettings.GapFactor)));
            return !grid && longSteps?.For(group, intervals) is { } longStep && longStep > byFactor ? longStep : byFactor;
        }

        /// <summary>A group's step: its own usual interval, else the usual interval of all groups.</summary>
        public static TimeSpan? Step(IReadOnlyDictionary<string, TimeSpan> intervals, TimeSpan? usual, string group) =>
            intervals.TryGetValue(group, out var own) ? own : usual;

        /// <summary>
        /// Plans the training windows of a time-grid model (<see cref="ModelSettings.TimeGrid"/>): the steps are learned
        /// as in <see cref="Plan"/>, then each group's rows, in time order, go through a grid <see cref="WindowAssembler"/>,
        /// exactly as scoring will see them. The windows are not made of input rows (cells are averages or filled), so
        /// it returns the rows the windows are made of (<paramref name="windowRows"/>, n per window) and windows that
        /// index them. <paramref name="imputed"/> (values of <paramref name="rows"/> filled in, by row and column) gives
        /// the plan's <see cref="WindowPlan.CellsImputed"/>; a grid's step is that of a series' values, not of its rows: a
        /// row whose cells of some columns are empty (filled in) is no step of those columns, so a joined export of hosts
        /// sampled at offsets steps as each host does. <paramref name="columns"/>: the number of columns (of the schema)
        /// <paramref name="imputed"/> counts in, 0 for the rows' width (a schema without categories).
        /// </summary>
        public static WindowPlan PlanGrid(int windowSize, IReadOnlyList<WindowKey> keys, IReadOnlyList<double[]> rows, TimeSpan? maxGap,
            out List<double[]> windowRows, IReadOnlyDictionary<string, TimeSpan>? knownIntervals = null, TimeSpan? knownUsualInterval = null,
            ImputedCells? imputed = null, int columns = 0)
        {
            if (columns <= 0) columns = rows.Count > 0 ? rows[0].Length : 1;
            var steps = PlanSteps(windowSize, keys, maxGap, knownIntervals, knownUsualInterval, imputed is { Count: > 0 } ? imputed.ByRow() : null, columns, grid: true);
            int width = rows.Count > 0 ? rows[0].Length : 1;
            WindowAssembler Assembler() => new WindowAssembler(windowSize, width,
                g => MaxGap(maxGap, steps.GroupIntervals, steps.UsualInterval, g, grid: true),
                g => Step(steps.GroupIntervals, steps.UsualInterval, g));
            var assembler = Assembler();
            // The rows' filled-in columns go with them: a cell counts as filled in when all it was made of was (every
            // row of the cell, or both ends of a cell filled in between), as scoring counts it.
            bool marks = imputed != null && imputed.Count > 0;
            var cellsImputed = marks ? new ImputedCells() : null;
            var filled = new List<int>();
            var order = new List<string>();
            var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < keys.Count; i++)
            {
                if (!members.TryGetValue(keys[i].Group, out var list)) { members[keys[i].Group] = list = new List<int>(); order.Add(keys[i].Group); }
                list.Add(i);
            }
            windowRows = new List<double[]>();
            var windows = new List<int[]>();
            var groupOf = new List<string>();
            var perGroup = new Dictionary<string, int>(StringComparer.Ordinal);
            int warming = 0, gaps = 0;
            // The rows of each cell, per group and of all groups: how many rows a step of the series brings (RowsPerStep).
            var cellSizes = new List<int>();
            var allCellSizes = new List<long>();
            var rowsPerStep = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var group in order)
            {
                int count = 0;
                cellSizes.Clear();
                foreach (int i in members[group].OrderBy(i => keys[i].Time ?? DateTime.MinValue))
                {
                    filled.Clear();
                    if (marks)
                        for (int c = 0; c < width; c++)
                            if (imputed!.Contains(i, c)) filled.Add(c);
                    var step = assembler.Push(keys[i], rows[i], filled);
                    if (step.CellRow == 1) cellSizes.Add(1);
                    else if (step.CellRow > 1 && cellSizes.Count > 0) cellSizes[^1] = step.CellRow;
                    if (step.AfterGap) gaps++;
                    if (step.Status != WindowStatus.Scored) { warming++; continue; }
                    var window = new int[windowSize];
                    for (int t = 0; t < windowSize; t++)
                    {
                        var cell = new double[width];
                        Array.Copy(step.Window!, t * width, cell, 0, width);
                        window[t] = windowRows.Count;
                        windowRows.Add(cell);
                    }
                    if (step.FilledCells != null)
                        foreach (int at in step.FilledCells) cellsImputed!.Add(window[at / width], at % width);
                    windows.Add(window);
                    groupOf.Add(group);
                    count++;
                }
                perGroup[group] = count;
                if (cellSizes.Count > 0)
                {
                    int median = (int)Median(cellSizes.Select(c => (long)c).ToList());
                    if (median > 1) rowsPerStep[group] = median;
                    allCellSizes.AddRange(cellSizes.Select(c => (long)c));
                }
            }
            return new WindowPlan(windows, steps.GroupIntervals, steps.UsualInterval, order.Count, warming, gaps)
            {
                WindowsPerGroup = perGroup, WindowGroups = groupOf, CellsImputed = cellsImputed, SharedTimes = steps.SharedTimes, Rows = steps.Rows,
                GroupRowsPerStep = rowsPerStep, RowsPerStep = allCellSizes.Count > 0 ? Math.Max(1, (int)Median(allCellSizes)) : 1,
                Grid = true,
            };
        }

        /// <summary>
        /// The columns of a window as the network sees them: every feature once per time step, named
        /// "cpu (t-2)", "cpu (t-1)", "cpu (t)", so explanations name the feature and the step.
        /// </summary>
        public static FeatureSchema WindowSchema(FeatureSchema rows, int windowSize)
        {
            if (windowSize == 1) return rows;
            var columns = new List<FeatureColumn>();
            for (int t = 0; t < windowSize; t++)
            {
                int lag = windowSize - 1 - t;
                foreach (var c in rows.Columns)
                    columns.Add(new FeatureColumn(StepName(c.Name, lag), c.Role, c.Categories, c.Median, c.Mode, c.Statistics, c.IsCounter));
            }
            return new FeatureSchema(columns, rows.Ignored, rows.LogWindowInterval, rows.WindowTime);
        }

        /// <summary>"cpu (t)" for the newest row, "cpu (t-2)" for two rows earlier.</summary>
        public static string StepName(string feature, int lag) => lag == 0 ? $"{feature} (t)" : $"{feature} (t-{lag})";

        /// <summary>
        /// Puts the records of a file in time order within each group, each group keeping the places its rows had
        /// (so groups stay interleaved as they were; a stable sort, so rows of equal time keep their order). Rows
        /// whose key can't be read (null) keep their place. Repeated local times are read by <see cref="ResolveRepeated"/>.
        /// </summary>
        public static List<T> SortWithinGroups<T>(IReadOnlyList<T> records, Func<T, WindowKey?> keyOf) =>
            SortWithinGroups(records, keyOf, out _);

        /// <summary>
        /// As <see cref="SortWithinGroups{T}(IReadOnlyList{T}, Func{T, WindowKey?})"/>; <paramref name="undecided"/> as
        /// <see cref="ResolveRepeated"/> says it.
        /// </summary>
        public static List<T> SortWithinGroups<T>(IReadOnlyList<T> records, Func<T, WindowKey?> keyOf, out bool undecided)
        {
            var keys = ResolveRepeated(records.Select(keyOf).ToList(), out undecided);
            var positions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < records.Count; i++)
            {
                if (keys[i] is not { Time: not null } key) continue;
                if (!positions.TryGetValue(key.Group, out var list)) positions[key.Group] = list = new List<int>();
                list.Add(i);
            }
            var result = records.ToList();
            foreach (var list in positions.Values)
            {
                var sorted = list.OrderBy(i => keys[i]!.Value.Time!.Value).ToList();
                for (int k = 0; k < list.Count; k++) result[list[k]] = records[sorted[k]];
            }
            return result;
        }

        /// <summary>
        /// Each key with one time, for rows put in time order after they are all read (a file that needs sorting, the
        /// rows of training). A repeated local time's reading depends on its neighbours (<see cref="WindowKey.Resolve"/>),
        /// and a sort would lose them: so per group the rows are read in their order and in reverse, and the reading that
        /// leaves fewer rows earlier than the one read before is kept (a tie: their order, as a stream reads it). An export
        /// in time order, oldest or newest first (Splunk's), has the two passes of the hour read as two. <paramref name="undecided"/> is true when a group is still out of order next to
        /// a repeated time (rows shuffled across the hour): some of its rows may be read in the wrong pass.
        /// </summary>
        public static WindowKey?[] ResolveRepeated(IReadOnlyList<WindowKey?> keys, out bool undecided)
        {
            undecided = false;
            var result = keys.ToArray();
            // No repeated local time (no zone, or no night the clocks went back): nothing to decide.
            if (!keys.Any(k => k?.Later != null)) return result;
            var members = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (int i = 0; i < keys.Count; i++)
            {
                if (keys[i] is not { Time: not null } key) continue;
                if (!members.TryGetValue(key.Group, out var list)) members[key.Group] = list = new List<int>();
                list.Add(i);
            }
            foreach (var list in members.Values)
            {
                if (!list.Any(i => keys[i]!.Value.Later != null)) continue;
                var forward = Read(keys, list, reversed: false, out int forwardSteps, out bool forwardNear);
                var backward = Read(keys, list, reversed: true, out int backwardSteps, out bool backwardNear);
                bool reversed = backwardSteps < forwardSteps;
                if (reversed ? backwardNear : forwardNear) undecided = true;
                var chosen = reversed ? backward : forward;
                for (int k = 0; k < list.Count; k++) result[list[k]] = chosen[k];
            }
            return result;
        }

        /// <summary>
        /// What the user hears when <see cref="ResolveRepeated"/> could not decide the repeated hour's readings, and what
        /// to do about it.
        /// </summary>
        public const string UndecidedRepeatedHour =
            "rows of an hour that local clocks repeat (daylight saving time ends) are in an order within a group (by their clock " +
            "times, or shuffled) that does not say which pass of the hour each belongs to, so some of them may be read in the wrong " +
            "one and the two passes merged. Write times with their offset (2026-11-01T01:30:00-08:00), or give the rows in time order (oldest or newest first).";

        // A group's keys (list) read in their order or in reverse, each repeated time after the row read before it; the
        // rows earlier than that row, and whether one of them is or follows a repeated time.
        private static WindowKey[] Read(IReadOnlyList<WindowKey?> keys, List<int> list, bool reversed, out int steps, out bool nearRepeated)
        {
            var read = new WindowKey[list.Count];
            steps = 0;
            nearRepeated = false;
            DateTime? previous = null;
            bool previousRepeated = false;
            for (int n = 0; n < list.Count; n++)
            {
                int k = reversed ? list.Count - 1 - n : n;
                var key = keys[list[k]]!.Value;
                read[k] = key.Resolve(previous);
                var time = read[k].Time!.Value;
                if (previous is DateTime last && time < last)
                {
                    steps++;
                    if (key.Later != null || previousRepeated) nearRepeated = true;
                }
                // The same instant as the row before: rows in order of their clock times, the passes side by side.
                else if (previous is DateTime same && time == same && key.Later != null) nearRepeated = true;
                previous = time;
                previousRepeated = key.Later != null;
            }
            return read;
        }

        /// <summary>
        /// Rows read in arrival order: whether they keep every group in time order (used to stream a file that needs no
        /// sort), and each key with one time, a repeated local time read after its group's previous row
        /// (<see cref="WindowKey.Resolve"/>), as the window assembler reads it.
        /// </summary>
        public sealed class OrderCheck
        {
            private readonly Dictionary<string, DateTime> last = new Dictionary<string, DateTime>(StringComparer.Ordinal);

            /// <summary>False once a row is earlier than an earlier row of its group.</summary>
            public bool InOrder { get; private set; } = true;

            /// <summary>
            /// How far back the first row out of order steps, and whether the times are UTC, for
            /// <see cref="WindowAssembler.RepeatedHourHint"/>; null while in order.
            /// </summary>
            public (TimeSpan Back, DateTimeKind Kind)? FirstStepBack { get; private set; }

            /// <summary>
            /// Whether the group of the first step back later goes past the latest time it had before it: its rows cover a
            /// span twice (the hour repeated when clocks go back), not merely come newest first or a little late.
            /// </summary>
            public bool RepeatsASpan { get; private set; }

            /// <summary>
            /// Whether the rows look like a local hour written twice (the clocks went back) and read without a zone: the group
            /// of the first step back went back in clock times (not UTC) by half an hour to an hour, and later past where it
            /// stepped back from (<see cref="RepeatsASpan"/>). A smaller step back (a row a few seconds late) is not one.
            /// </summary>
            public bool RepeatsAnHour => RepeatsASpan && MayRepeatAnHour;

            /// <summary>Whether the first step back could be the repeated hour, before it is known whether the group goes past it.</summary>
            public bool MayRepeatAnHour => FirstStepBack is { } step && WindowAssembler.RepeatedHourHint(step.Back, step.Kind).Length > 0;

            /// <summary>The warning for rows that <see cref="RepeatsAnHour"/> and are sorted by time; <paramref name="what"/> names them.</summary>
            public string InterleavedWarning(string what) =>
                $"{what}: a group steps back in time by {FirstStepBack!.Value.Back} and then goes past where it stepped back from, so the rows are " +
                $"sorted by time, which interleaves the rows of a repeated hour. {WindowAssembler.RepeatedHourHint(FirstStepBack.Value.Back, FirstStepBack.Value.Kind).TrimEnd()}";

            /// <summary>
            /// Whether a repeated local time was read as the same instant as its group's row before it: rows in order of
            /// their clock times, whose passes of the repeated hour can't be told apart (<see cref="UndecidedRepeatedHour"/>).
            /// </summary>
            public bool Undecided { get; private set; }

            private string? steppedGroup;
            private DateTime steppedFrom;

            /// <summary>
            /// Reads <paramref name="keys"/> in arrival order only as far as it takes to tell whether they need a sort: to the
            /// first row out of order, or, when that step back may be a local hour written twice (<see cref="MayRepeatAnHour"/>),
            /// until its group goes past where it stepped back from, which a newest-first export or a late row never does.
            /// Rows in order are read to their end. <paramref name="stop"/> ends the reading early (Ctrl+C).
            /// </summary>
            public static OrderCheck Read(IEnumerable<WindowKey?> keys, Func<bool>? stop = null)
            {
                var check = new OrderCheck();
                foreach (var key in keys)
                {
                    check.Add(key);
                    if (stop?.Invoke() == true) break;
                    if (check.InOrder) continue;
                    if (!check.MayRepeatAnHour || check.RepeatsASpan) break;
                }
                return check;
            }

            /// <summary>Takes the next row's key; returns it with one time (null for null).</summary>
            public WindowKey? Add(WindowKey? key)
            {
                if (key == null || key.Value.Time == null) return key;
                bool seen = last.TryGetValue(key.Value.Group, out var previous);
                var k = key.Value.Resolve(seen ? previous : null);
                var time = k.Time!.Value;
                // A repeated local time read as the same instant as the row before it (rows sorted by their clock times,
                // the two passes of the hour side by side): which pass each belongs to can't be told.
                if (seen && time == previous && key.Value.Later != null) Undecided = true;
                if (seen && time < previous && InOrder)
                {
                    FirstStepBack = (previous - time, time.Kind);
                    steppedGroup = k.Group;
                    // In order until now, the group's last time is its latest.
                    steppedFrom = previous;
                    InOrder = false;
                }
                else if (!InOrder && !RepeatsASpan && time > steppedFrom && string.Equals(k.Group, steppedGroup, StringComparison.Ordinal))
                    RepeatsASpan = true;
                last[k.Group] = time;
                return k;
            }
        }

        private static long Median(List<long> values)
        {
            values.Sort();
            int n = values.Count;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }
    }
}
