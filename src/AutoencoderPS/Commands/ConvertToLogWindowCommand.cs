using System;
using AutoencoderPS.Engine.Text;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Adapters;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Logs;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Turns log records into one row per time interval (and group): the number of events, the number per value of
    /// each -CountBy property and min/mean/max of each -Measure property, with empty intervals as zero rows. The
    /// aggregation is <see cref="LogWindowAggregator"/>; this cmdlet reads the properties and writes the rows: as each
    /// interval closes when the columns are known from the start and the records come in time order, else at the end.
    /// With -MetricProperty and -ValueProperty it pivots a long export (one measurement per record) into a column per metric.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "LogWindow", HelpUri = HelpLinks.Base + "ConvertTo-LogWindow.md", DefaultParameterSetName = EventsSet)]
    [OutputType(ConvertToLogWindowCommand.TypeName)]
    public sealed class ConvertToLogWindowCommand : AutoencoderCmdlet
    {
        // Not "Count": on an array of rows, $rows.Count is the array's length, which would hide the column.
        private const string EventCountColumn = "EventCount";

        private const string EventsSet = "Events";
        private const string PivotSet = "Pivot";

        /// <summary>The type name of the output rows.</summary>
        public const string TypeName = "AutoencoderPS.LogWindow";

        private LogWindowAggregator aggregator = null!;
        private LogTimeAxis axis = null!;
        // The model's groups and count columns, for an aggregator made again once the first record chose the time line.
        private IEnumerable<string>? knownColumns, knownGroups;
        private bool aggregatorPlaced;
        // The earliest and latest record left out by -Start/-End (keys on the time line), to say where the records were.
        private DateTime? firstOutside, lastOutside;
        private long noOffsetRecords;
        private CultureInfo culture = null!;
        private long row;
        private long rowsRead;
        // Records in a row whose time is a time of day alone, and the first of them: past FailedRowRun.MaxTimesOfDayInARow
        // the time property is that kind of field (a log's separate time field), and the call stops.
        private int timesOfDayInARow;
        private string? firstTimeOfDay;
        // The slash dates of the time property, to tell a day-first log read month first (or the reverse) at the end.
        private readonly SlashDateOrder slashDates = new SlashDateOrder();
        private readonly HashSet<string> propertiesSeen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // With a pivot: the model's metrics (its features that no other column of the windows makes), records whose value is empty.
        private IEnumerable<string>? knownMetrics;
        private long emptyValues;
        // Measurements left out as a second value of one series at one time; many are series that -GroupBy does not tell apart.
        private long conflicts;
        private const int MaxConflicts = 10;
        private bool Pivot => MetricProperty.Length > 0;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string TimeProperty { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1)]
        public TimeSpan Interval { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] CountBy { get; set; } = Array.Empty<string>();

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GroupBy { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Measure { get; set; } = Array.Empty<string>();

        /// <summary>The property (or properties, joined by '.') naming the metric of each record of a long export: each metric a column.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PivotSet)]
        [ValidateNotNullOrEmpty]
        public string[] MetricProperty { get; set; } = Array.Empty<string>();

        /// <summary>The property holding each record's value of its metric; a column's value is their mean in the interval.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PivotSet)]
        [ValidateNotNullOrEmpty]
        public string? ValueProperty { get; set; }

        [Parameter]
        [Instant]
        public DateTime? Start { get; set; }

        [Parameter]
        [Instant]
        public DateTime? End { get; set; }

        [Parameter]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel? Model { get; set; }

        [Parameter]
        [ValidateRange(0, 100000)]
        public int MaxValueCount { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(CultureCompleter))]
        [ValidateKnownCulture]
        public CultureInfo? Culture { get; set; }

        /// <summary>
        /// The zone of the log's clock times (a time without an offset is read as its local time) and of the windows'
        /// IntervalStart; windows are then cut on instants. Not given: times that state their instant are windowed by it and
        /// written in this computer's zone; a log of clock times alone is windowed by its clock times.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TimeZoneCompleter))]
        public string? TimeZone { get; set; }

        /// <summary>
        /// Writes each interval's rows once a record one interval past its end arrives (a live feed), rather than after the
        /// last record; the records must come in time order. Needs the columns known from the start: no -CountBy or
        /// -MetricProperty, or -Model (with -GroupBy too).
        /// </summary>
        [Parameter]
        public SwitchParameter Streaming { get; set; }

        protected override void BeginProcessing()
        {
            culture = Culture ?? DataCulture;
            try
            {
                axis = new LogTimeAxis(TimeZone != null ? SeriesTime.Zone(TimeZone) : null);
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, TimeZone));
            }
            if (Model != null)
            {
                ThrowIfNotTrained(Model);
                // Counts per interval: windows of another length are another measure, and nearly every one looks anomalous.
                var trained = Model.Schema?.LogWindowInterval
                    ?? (Model.Settings.IsWindowed && string.Equals(Model.Settings.TimeProperty, "IntervalStart", StringComparison.OrdinalIgnoreCase) ? Model.UsualInterval : null);
                if (trained is TimeSpan trainedInterval && trainedInterval != Interval)
                    ThrowTerminatingError(ErrorCatalog.Record(new AutoencoderException(ErrorIds.LogIntervalMismatch,
                        $"The model was trained on log windows of {trainedInterval}, and -Interval is {Interval}: its counts are per {trainedInterval}, so " +
                        $"windows of {Interval} would score as anomalies (or hide them). Use -Interval {trainedInterval}, or train a model on windows of {Interval}."),
                        ErrorIds.LogIntervalMismatch, Interval));
                knownColumns = Model.Features;
                foreach (var p in CountBy)
                    if (!Model.Features.Any(f => f.StartsWith(p + "=", StringComparison.OrdinalIgnoreCase)))
                        WriteWarning($"The model has no count features of '{p}' (named '{p}=<value>'), so every value of '{p}' is counted in '{p}={LogWindowAggregator.OtherValue}'. " +
                            "Was the model trained on ConvertTo-LogWindow output with the same -CountBy?");
                if (Pivot)
                {
                    var others = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "IntervalStart", EventCountColumn };
                    if (GroupBy != null) others.Add(GroupBy);
                    foreach (var m in Measure) foreach (var stat in new[] { ".Min", ".Mean", ".Max" }) others.Add(m + stat);
                    knownMetrics = Model.Features.Where(f => !others.Contains(f) && !CountBy.Any(p => f.StartsWith(p + "=", StringComparison.OrdinalIgnoreCase))).ToArray();
                }
                if (GroupBy != null)
                {
                    var groupFeature = Model.FeatureColumns.FirstOrDefault(c => string.Equals(c.Name, GroupBy, StringComparison.OrdinalIgnoreCase));
                    if (groupFeature != null && groupFeature.Role == ColumnRole.Categorical) knownGroups = groupFeature.Categories;
                    else if (groupFeature != null)
                        // A model trained before the group column of log windows was always a category (numeric group values).
                        WriteWarning($"The model reads the group column '{GroupBy}' as numbers, so it does not know its groups: a group none of whose " +
                            "records arrives gets no rows, and its silence is never scored. Train the model again on the windows (their group column is " +
                            "then a category).");
                }
            }
            // Made now to check the arguments; made again on the time line the first record chooses (-Start and -End as
            // instants), unless -TimeZone chose it.
            MakeAggregator();
            if (Streaming && !aggregator.CanStream)
                ThrowTerminatingError(ErrorCatalog.Record(new AutoencoderException(ErrorIds.StreamingNeedsColumns,
                    "-Streaming writes each interval as it closes, so the rows' columns and groups must be known before the first record, and here they " +
                    "come from the records (" + string.Join(", ", new[] { CountBy.Length > 0 ? "-CountBy" : null, Pivot ? "-MetricProperty" : null, GroupBy != null ? "-GroupBy" : null }.Where(x => x != null)) +
                    " without -Model). Give -Model (a model trained on such windows names its columns and groups), or leave out -Streaming to write the rows " +
                    "after the last record."), ErrorIds.StreamingNeedsColumns, CountBy.Length > 0 ? CountBy : Pivot ? MetricProperty : GroupBy));
            if (axis.Instants != null) aggregatorPlaced = true;
        }

        private void MakeAggregator()
        {
            try
            {
                aggregator = new LogWindowAggregator(Interval, CountBy, Measure, axis.Bound(Start, nameof(Start)), axis.Bound(End, nameof(End)),
                    GroupBy != null, knownColumns, knownGroups, MaxValueCount, axis.Instants == true ? axis.Zone.BaseUtcOffset : null, Pivot, knownMetrics, Streaming);
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, e.ErrorId == ErrorIds.InvalidLogInterval ? Interval : e.ErrorId == ErrorIds.InvalidLogRange ? End : Start));
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            row++;
            var input = InputObject;
            var record = new PSObjectRecord(input);
            if (row > 2 || !record.TryGetPath(TimeProperty, out _)) ThrowIfFirstRowsLack(record, row, nameof(TimeProperty), TimeProperty);
            if (!TryGet(record, TimeProperty, out var timeValue))
            {
                WriteError(RowError(ErrorIds.InvalidLogTimestamp, $"Row {row}: the record has no property '{TimeProperty}', so it has no time.",
                    "Name the time property with -TimeProperty (for Get-WinEvent: TimeCreated).", input));
                return;
            }
            if (!TimestampParser.TryRead(timeValue, culture, out var timestamp, out var instant))
            {
                bool timeOfDay = TimestampParser.IsTimeOfDay(timeValue);
                // The reason names the culture when it is about the culture (a slash date in the other order); else it is said here.
                string why = TimestampParser.WhyNotATime(timeValue, culture);
                string read = why.Contains(CultureText.Describe(culture), StringComparison.Ordinal) ? "" : $" ({CultureText.Describe(culture)})";
                string message = $"Row {row}: property '{TimeProperty}' has the value '{Text(timeValue)}', which is not a date and time{read}{why}.";
                // A header again (CSV files joined, or InfluxDB's one header per table read by ConvertFrom-Csv): said as such.
                if (string.Equals(Text(timeValue)?.Trim(), TimeProperty, StringComparison.OrdinalIgnoreCase))
                    message = $"Row {row}: property '{TimeProperty}' has the value '{Text(timeValue)}': it is the column's own name, so the record is the header again " +
                        $"(files joined into one, or one header per table as InfluxDB writes). Leave such records out (Where-Object {TimeProperty} -ne '{TimeProperty}').";
                WriteError(RowError(timeOfDay ? ErrorIds.TimeWithoutDate : ErrorIds.InvalidLogTimestamp, message,
                    timeOfDay ? "Give -TimeProperty a property that holds the date and the time." :
                    "Fix or remove the record, or give the culture of the timestamps with -Culture; the other records are processed.", input));
                if (!timeOfDay) timesOfDayInARow = 0;
                else if (timesOfDayInARow++ == 0) firstTimeOfDay = message;
                else if (timesOfDayInARow >= FailedRowRun.MaxTimesOfDayInARow)
                    ThrowTerminatingError(ErrorCatalog.Record(new AutoencoderException(ErrorIds.TimeWithoutDate,
                        $"Stopped after {timesOfDayInARow} records in a row whose property '{TimeProperty}' is a time of day without a date: " +
                        $"it is a time field alone, and the date is in another property. The first of them: {firstTimeOfDay}"),
                        ErrorIds.TimeWithoutDate, input));
                return;
            }
            timesOfDayInARow = 0;
            slashDates.Add(timeValue);
            switch (axis.Place(timestamp, instant, out var key))
            {
                case LogTimeAxis.Outcome.NoOffset:
                    noOffsetRecords++;
                    WriteError(RowError(ErrorIds.LogTimeWithoutOffset,
                        $"Row {row}: property '{TimeProperty}' has the value '{Text(timeValue)}', a clock time without an offset, while the records before it state " +
                        "their instant (an offset, a Z, or a DateTime of kind Utc or Local): it can't be placed among them.",
                        "Give the zone its clock times are written in with -TimeZone (such as -TimeZone 'Europe/Berlin').", input));
                    return;
                case LogTimeAxis.Outcome.Nonexistent:
                    WriteError(RowError(ErrorIds.TimeValueNonexistent,
                        $"Row {row}: property '{TimeProperty}' has the value '{Text(timeValue)}', which does not exist in time zone '{axis.Zone.Id}': " +
                        "its clocks skip that hour when they go forward.",
                        "The clock that wrote it does not keep that zone: give the zone it keeps with -TimeZone, or have it write times with their offset.", input));
                    return;
            }
            if (!aggregatorPlaced)
            {
                aggregatorPlaced = true;
                if (axis.Instants == true) MakeAggregator();
            }

            string? group = null;
            if (GroupBy != null && TryGet(record, GroupBy, out var groupValue)) group = Text(groupValue);

            Dictionary<string, string?>? values = null;
            if (CountBy.Length > 0)
            {
                values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in CountBy)
                    if (TryGet(record, p, out var v)) values[p] = Text(v);
            }

            Dictionary<string, double?>? measured = null;
            if (Measure.Length > 0)
            {
                measured = new Dictionary<string, double?>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in Measure)
                {
                    if (!TryGet(record, p, out var v)) continue;
                    switch (NumberParser.TryRead(v, culture, out double number))
                    {
                        case NumberParser.Outcome.Number:
                            measured[p] = number;
                            break;
                        case NumberParser.Outcome.NotNumeric:
                            WriteError(RowError(ErrorIds.InvalidLogMeasure,
                                $"Row {row}: property '{p}' has the value '{Text(v)}', which is not a number ({CultureText.Describe(culture)}). The event is counted without it.",
                                "Fix the value, or give the culture of the numbers with -Culture.", input));
                            break;
                    }
                }
            }

            MetricSample? sample = null;
            if (Pivot)
            {
                string metric = string.Join(".", MetricProperty.Select(p => TryGet(record, p, out var part) ? Text(part)?.Trim() : null));
                double number = 0;
                switch (TryGet(record, ValueProperty!, out var v) ? NumberParser.TryRead(v, culture, out number) : NumberParser.Outcome.Empty)
                {
                    case NumberParser.Outcome.Number:
                        sample = new MetricSample(metric, number);
                        break;
                    case NumberParser.Outcome.NotNumeric:
                        WriteError(RowError(ErrorIds.InvalidLogMeasure,
                            $"Row {row}: property '{ValueProperty}' has the value '{Text(v)}', which is not a number ({CultureText.Describe(culture)}). The record (metric '{metric}') is left out.",
                            "Fix the value, or give the culture of the numbers with -Culture; the other records are processed.", input));
                        rowsRead++;
                        return;
                    default:
                        // No value (empty, NaN, null): a measurement not taken, as a missing value in a wide row.
                        emptyValues++;
                        rowsRead++;
                        return;
                }
            }

            LogEventPlacement placement = default;
            double? earlier = null;
            try
            {
                placement = aggregator.Add(key, group, values, measured, sample, out earlier);
            }
            catch (AutoencoderException e)
            {
                // MetricColumnsTooMany: the metric property names no metric; every later record would add a column.
                ThrowTerminatingError(EngineError(e, input));
            }
            switch (placement)
            {
                case LogEventPlacement.OutsideRange:
                    if (firstOutside == null || key < firstOutside) firstOutside = key;
                    if (lastOutside == null || key > lastOutside) lastOutside = key;
                    break;
                case LogEventPlacement.IntervalWritten:
                    // A run of them: the input is not in time order (files or hosts joined one after another), and every later
                    // record of the earlier times would be lost one error at a time.
                    if (++lateInARow >= FailedRowRun.MaxInARow)
                        ThrowTerminatingError(ErrorCatalog.Record(new AutoencoderException(ErrorIds.LogRecordLate,
                            $"Stopped after {lateInARow} records in a row came after their interval was written: the records are not in time order " +
                            $"(files or hosts joined one after another?), and windows are written as the records pass them. Sort them by time first " +
                            $"(Sort-Object {TimeProperty})."), ErrorIds.LogRecordLate, input));
                    WriteError(RowError(ErrorIds.LogRecordLate,
                        $"Row {row}: property '{TimeProperty}' has the value '{Text(timeValue)}', in an interval already written: the records came in time " +
                        $"order, so each window was written once the records had passed its end by {LogWindowAggregator.ReorderIntervals} interval(s), and " +
                        $"this one is older than {axis.Describe(aggregator.FirstOpenInterval!.Value)}. It is not counted.",
                        $"Sort the records by time first (Sort-Object {TimeProperty}) to count every one.", input));
                    break;
                case LogEventPlacement.Conflict:
                    lateInARow = 0;
                    WriteError(RowError(ErrorIds.MetricSampleConflict,
                        $"Row {row}: metric '{sample!.Value.Metric}'{(GroupBy != null ? $" of {GroupBy} '{group}'" : "")} at '{Text(timeValue)}' has the value " +
                        $"'{Text(InputValue(record, ValueProperty!))}' in property '{ValueProperty}', and an earlier record of the same metric" +
                        $"{(GroupBy != null ? ", time and group" : " and time")} has {earlier!.Value.ToString("R", CultureInfo.InvariantCulture)}: the earlier value is kept and this record left out.",
                        "Two sources write one series (tell them apart with -GroupBy or -MetricProperty), or the export holds two queries of it: keep one.", input));
                    // Several series in one (the hosts of an export without -GroupBy): every record past the first series' is
                    // a conflict, thousands of errors for one mistake. Said once, and the call stops.
                    if (++conflicts >= MaxConflicts && conflicts * 10 > rowsRead + 1)
                    {
                        var keys = new HashSet<string>(MetricProperty.Append(TimeProperty).Append(ValueProperty!), StringComparer.OrdinalIgnoreCase);
                        if (GroupBy != null) keys.Add(GroupBy);
                        var candidates = record.ColumnNames.Where(c => !keys.Contains(c)).Select(c => $"'{c}'").ToArray();
                        ThrowTerminatingError(ErrorCatalog.Record(new AutoencoderException(ErrorIds.MetricSampleConflict,
                            $"Stopped after {conflicts} records that had the time and metric of an earlier record with another value ({conflicts} of the first {rowsRead + 1} records): " +
                            $"the records hold several series (hosts, instances, sources) that {(GroupBy == null ? "no -GroupBy tells" : $"-GroupBy '{GroupBy}' does not tell")} apart. " +
                            (candidates.Length > 0 ? $"Give -GroupBy the property that names the series (of {string.Join(", ", candidates)}), or add it to -MetricProperty (a column per metric and series)."
                                : "Give -GroupBy the property that names the series, or add it to -MetricProperty (a column per metric and series).")),
                            ErrorIds.MetricSampleConflict, input));
                    }
                    break;
                default:
                    lateInARow = 0;
                    WriteClosedWindows();
                    break;
            }
            rowsRead++;
        }

        // The windows that closed (LogWindowAggregator.TakeClosedWindows): written now, not when the input ends.
        private void WriteClosedWindows()
        {
            IReadOnlyList<LogWindow> closed;
            try
            {
                closed = aggregator.TakeClosedWindows();
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, Interval));
                return;
            }
            foreach (var window in closed) WriteWindow(window);
        }

        private bool rowsWritten;
        private int lateInARow;

        // What is said before the first row: the columns are fixed then, and a script reading the rows sees it first.
        private void BeforeFirstRow()
        {
            if (rowsWritten) return;
            rowsWritten = true;
            var countColumns = aggregator.CountColumns;
            // Without a maximum every value is a column: a message or path with an id in it makes thousands, which no model
            // learns from, and rows of that width can exhaust memory.
            if (Model == null && MaxValueCount == 0)
                for (int p = 0; p < CountBy.Length; p++)
                    if (aggregator.ValueColumnCounts[p] is var n && n > LogWindowAggregator.ManyValueColumns)
                        WriteWarning($"-CountBy '{aggregator.CountBy[p]}' has {n} values, a column each: a new value in nearly every record (an id, a time or a " +
                            $"number in the text), which a model can't learn from. Give -MaxValueCount (such as -MaxValueCount 50) to keep the most frequent " +
                            $"values and count the others in '{aggregator.CountBy[p]}={LogWindowAggregator.OtherValue}', or count a property without the ids " +
                            "(an event id, or the text with its numbers replaced: @{n='Pattern'; e={ $_.Message -replace '0x[0-9a-f]+|\\d+', '#' }}).");
            var metricColumns = aggregator.MetricColumns;
            if (Pivot)
            {
                // A metric named as another column would write two properties of one name.
                var taken = new HashSet<string>(countColumns.Concat(aggregator.MeasureColumns).Append("IntervalStart").Append(EventCountColumn), StringComparer.OrdinalIgnoreCase);
                if (GroupBy != null) taken.Add(GroupBy);
                if (metricColumns.FirstOrDefault(taken.Contains) is { } clash)
                    ThrowTerminatingError(ErrorCatalog.Record(new AutoencoderException(ErrorIds.MetricColumnTaken,
                        $"The metric '{clash}' (of -MetricProperty {string.Join(", ", MetricProperty)}) would be a column of the same name as another column of the windows. " +
                        "Rename it on the way in (Select-Object with a calculated property), or leave the other column out."), ErrorIds.MetricColumnTaken, clash));
                if (Model == null && metricColumns.Count > LogWindowAggregator.ManyValueColumns)
                    WriteWarning($"-MetricProperty names {metricColumns.Count} metrics, a column each: does it hold the metric's name, or an id of each series? " +
                        "Give the property that names the metric, and the one that tells the series apart as -GroupBy.");
            }
            if (Model != null)
            {
                var produced = new HashSet<string>(countColumns.Concat(aggregator.MeasureColumns).Concat(metricColumns).Append("IntervalStart").Append(EventCountColumn), StringComparer.OrdinalIgnoreCase);
                if (GroupBy != null) produced.Add(GroupBy);
                var missing = Model.Features.Where(f => !produced.Contains(f)).ToArray();
                if (missing.Length > 0)
                    WriteWarning($"The model's feature(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} are not in this output, so Test-Anomaly can't score it. " +
                        "Use the -CountBy, -Measure and -GroupBy that made the training windows.");
            }
        }

        private void WriteWindow(LogWindow window)
        {
            BeforeFirstRow();
            var countColumns = aggregator.CountColumns;
            var measureColumns = aggregator.MeasureColumns;
            var output = new PSObject();
            RowTypeNames.Add(output, TypeName);
            output.Properties.Add(new PSNoteProperty("IntervalStart", axis.Written(window.IntervalStart)));
            if (GroupBy != null) output.Properties.Add(new PSNoteProperty(GroupBy, window.Group));
            output.Properties.Add(new PSNoteProperty(EventCountColumn, window.Count));
            for (int i = 0; i < countColumns.Count; i++)
                output.Properties.Add(new PSNoteProperty(countColumns[i], window.Counts[i]));
            for (int i = 0; i < measureColumns.Count; i++)
                output.Properties.Add(new PSNoteProperty(measureColumns[i], window.Measures[i]));
            var metricColumns = aggregator.MetricColumns;
            for (int i = 0; i < metricColumns.Count; i++)
                output.Properties.Add(new PSNoteProperty(metricColumns[i], window.Metrics[i]));
            WriteObject(output);
        }

        protected override void EndProcessing()
        {
            // Of the records read: one that failed on its time was not asked for the other properties.
            if (rowsRead > 0)
                foreach (var p in CountBy.Concat(Measure).Concat(MetricProperty).Concat(ValueProperty != null ? new[] { ValueProperty } : Array.Empty<string>())
                    .Concat(GroupBy != null ? new[] { GroupBy } : Array.Empty<string>()))
                    if (!propertiesSeen.Contains(p))
                        WriteWarning($"No input record has a property '{p}'. Check the spelling; the property names of the first record are what Get-Member shows.");
            if (slashDates.Warning(culture, TimeProperty) is { } order) WriteWarning(order);
            if (aggregator.OutOfRangeCount > 0)
                WriteVerbose($"{aggregator.OutOfRangeCount} event(s) outside the range from -Start to -End were left out.");
            // Every record outside: the windows are all silence, which a model scores as an outage.
            if (aggregator.EventCount == 0 && aggregator.OutOfRangeCount > 0)
                WriteWarning($"All {aggregator.OutOfRangeCount} record(s) fell outside -Start/-End ({Range()}): the records run from " +
                    $"{axis.Describe(firstOutside!.Value)} to {axis.Describe(lastOutside!.Value)}, so every window is empty. " +
                    (axis.Instants == true
                        ? $"A -Start or -End without an offset is a clock time of '{axis.Zone.Id}'{(axis.ZoneGiven ? "" : " (this computer's zone)")}; give -TimeZone, or write them with their offset."
                        : "Check the dates of -Start and -End."));
            if (axis.InstantsReadAsClock > 0)
                WriteWarning($"{axis.InstantsReadAsClock} record(s) state their instant (an offset, a Z or a DateTime of kind Utc or Local), but the first " +
                    "record's time was a clock time alone, so all were windowed by their clock time as written. Give the zone of the clock times with " +
                    "-TimeZone to window every record by its instant.");
            if (axis.Instants == true && !axis.ZoneGiven && axis.OtherOffsets.Count > 0)
                WriteWarning($"Records were written at offset(s) {axis.OtherOffsetNames()}, and the windows are written in this computer's time zone " +
                    $"('{axis.Zone.Id}'), whose clock their IntervalStart (and a model's hour features) follows. Give the log's zone with -TimeZone " +
                    "(-TimeZone 'UTC' for UTC) to write them in it.");

            if (aggregator.IntervalWrittenCount > 0)
                WriteWarning($"{aggregator.IntervalWrittenCount} record(s) came after their interval was written (see the LogRecordLate errors) and are not " +
                    $"counted. Sort the records by time (Sort-Object {TimeProperty}) to count them.");
            if (Pivot)
            {
                if (aggregator.RepeatedRecords > 0)
                    WriteVerbose($"{aggregator.RepeatedRecords} record(s) repeated the time, metric and value of an earlier record of their series (sent again), and were left out.");
                if (emptyValues > 0)
                    WriteVerbose($"{emptyValues} record(s) had no value in '{ValueProperty}' (empty, null or NaN), and were left out: a measurement not taken.");
                if (aggregator.UnknownMetrics.Count > 0)
                    WriteWarning($"{aggregator.UnknownMetricRecords} record(s) of metric(s) the model does not know were left out: " +
                        string.Join(", ", aggregator.UnknownMetrics.OrderByDescending(u => u.Value).Take(10).Select(u => $"'{u.Key}' ({u.Value})")) +
                        (aggregator.UnknownMetricNamesDropped ? $", and more than {aggregator.UnknownMetrics.Count - 10} more"
                            : aggregator.UnknownMetrics.Count > 10 ? $", and {aggregator.UnknownMetrics.Count - 10} more" : "") +
                        ". Train the model on windows of them to score them.");
                // Metrics come at a step: windows shorter than it are mostly empty, and a model learns rows of nothing.
                long rowsOut = aggregator.RowCount, empty = rowsOut - aggregator.FilledRowCount;
                if (rowsOut >= 10 && empty * 2 > rowsOut)
                    WriteWarning($"{empty:N0} of the {rowsOut:N0} windows have no record: is -Interval {Interval} shorter than the export's step (the time between " +
                        "a series' records)? Give -Interval that step, or a multiple of it; a model learns nothing from empty rows.");
            }
            // Written before the range check, so a script sees it first; said at the first row when rows were streamed.
            if (!rowsWritten) BeforeFirstRow();
            WriteVerbose($"{aggregator.EventCount} event(s) in {aggregator.RowCount} window(s) of {Interval}; {aggregator.CountColumns.Count} count column(s), {aggregator.MeasureColumns.Count} measure column(s)" +
                (Pivot ? $", {aggregator.MetricColumns.Count} metric column(s)" : "") + (aggregator.Streams ? "; written as they closed (-Streaming)." : "; written after the last record."));

            // The range check runs on the first step, before any row is written.
            using var windows = aggregator.GetWindows().GetEnumerator();
            bool any;
            try
            {
                any = windows.MoveNext();
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, Interval));
                return;
            }
            for (; any; any = windows.MoveNext()) WriteWindow(windows.Current);
        }

        private string Range()
        {
            string Bound(DateTime? b, string name) => b is DateTime t ? $"{name} {axis.Describe(axis.Bound(t, name)!.Value)}" : $"no {name}";
            return $"{Bound(Start, "-Start")} to {Bound(End, "-End")}";
        }

        private object? InputValue(PSObjectRecord input, string name) => TryGet(input, name, out var value) ? value : null;

        private bool TryGet(PSObjectRecord input, string name, out object? value)
        {
            // A column by its name, else a dotted name as a path into a JSON log's nested objects (kubernetes.pod_name).
            if (!input.TryGetValue(name, out value) && !input.TryGetPath(name, out value)) return false;
            propertiesSeen.Add(name);
            return true;
        }

        private static string? Text(object? value) => value switch
        {
            null => null,
            string s => s,
            DateTime d => d.ToString("o", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => LanguagePrimitives.ConvertTo<string>(value),
        };

        private static ErrorRecord RowError(string errorId, string message, string recommendedAction, object target)
        {
            var e = new AutoencoderException(errorId, message);
            var record = ErrorCatalog.Record(e, errorId, target, message);
            record.ErrorDetails.RecommendedAction = recommendedAction;
            return record;
        }
    }
}
