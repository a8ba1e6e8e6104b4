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
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Turns log records into one row per time interval (and group): the number of events, the number per value of
    /// each -CountBy property and min/mean/max of each -Measure property, with empty intervals as zero rows. The
    /// aggregation is <see cref="LogWindowAggregator"/>; this cmdlet reads the properties and writes the rows.
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "LogWindow", HelpUri = HelpLinks.Base + "ConvertTo-LogWindow.md")]
    [OutputType(typeof(PSObject))]
    public sealed class ConvertToLogWindowCommand : AutoencoderCmdlet
    {
        // Not "Count": on an array of rows, $rows.Count is the array's length, which would hide the column.
        private const string EventCountColumn = "EventCount";

        /// <summary>The type name of the output rows.</summary>
        public const string TypeName = "AutoencoderPS.LogWindow";

        private LogWindowAggregator aggregator = null!;
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

        [Parameter]
        public DateTime? Start { get; set; }

        [Parameter]
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
        public CultureInfo? Culture { get; set; }

        protected override void BeginProcessing()
        {
            culture = Culture ?? DataCulture;
            IEnumerable<string>? knownColumns = null;
            IEnumerable<string>? knownGroups = null;
            if (Model != null)
            {
                ThrowIfNotTrained(Model);
                knownColumns = Model.Features;
                foreach (var p in CountBy)
                    if (!Model.Features.Any(f => f.StartsWith(p + "=", StringComparison.OrdinalIgnoreCase)))
                        WriteWarning($"The model has no count features of '{p}' (named '{p}=<value>'), so every value of '{p}' is counted in '{p}={LogWindowAggregator.OtherValue}'. " +
                            "Was the model trained on ConvertTo-LogWindow output with the same -CountBy?");
                if (GroupBy != null)
                {
                    var groupFeature = Model.FeatureColumns.FirstOrDefault(c => string.Equals(c.Name, GroupBy, StringComparison.OrdinalIgnoreCase));
                    if (groupFeature != null && groupFeature.Role == ColumnRole.Categorical) knownGroups = groupFeature.Categories;
                }
            }
            try
            {
                aggregator = new LogWindowAggregator(Interval, CountBy, Measure, Start, End, GroupBy != null, knownColumns, knownGroups, MaxValueCount);
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, e.ErrorId == ErrorIds.InvalidLogRange ? End : Interval));
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            row++;
            var input = InputObject;
            var record = new PSObjectRecord(input);
            ThrowIfFirstRowsLack(record, row, nameof(TimeProperty), TimeProperty);
            if (!TryGet(record, TimeProperty, out var timeValue))
            {
                WriteError(RowError(ErrorIds.InvalidLogTimestamp, $"Row {row}: the record has no property '{TimeProperty}', so it has no time.",
                    "Name the time property with -TimeProperty (for Get-WinEvent: TimeCreated).", input));
                return;
            }
            if (!TimestampParser.TryRead(timeValue, culture, out var timestamp))
            {
                bool timeOfDay = TimestampParser.IsTimeOfDay(timeValue);
                // The reason names the culture when it is about the culture (a slash date in the other order); else it is said here.
                string why = TimestampParser.WhyNotATime(timeValue, culture);
                string read = why.Contains(CultureText.Describe(culture), StringComparison.Ordinal) ? "" : $" ({CultureText.Describe(culture)})";
                string message = $"Row {row}: property '{TimeProperty}' has the value '{Text(timeValue)}', which is not a date and time{read}{why}.";
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

            aggregator.Add(timestamp, group, values, measured);
            rowsRead++;
        }

        protected override void EndProcessing()
        {
            // Of the records read: one that failed on its time was not asked for the other properties.
            if (rowsRead > 0)
                foreach (var p in CountBy.Concat(Measure).Concat(GroupBy != null ? new[] { GroupBy } : Array.Empty<string>()))
                    if (!propertiesSeen.Contains(p))
                        WriteWarning($"No input record has a property '{p}'. Check the spelling; the property names of the first record are what Get-Member shows.");
            if (slashDates.Warning(culture, TimeProperty) is { } order) WriteWarning(order);
            if (aggregator.OutOfRangeCount > 0)
                WriteVerbose($"{aggregator.OutOfRangeCount} event(s) outside the range from -Start to -End were left out.");

            var countColumns = aggregator.CountColumns;
            var measureColumns = aggregator.MeasureColumns;
            if (Model != null)
            {
                var produced = new HashSet<string>(countColumns.Concat(measureColumns).Append("IntervalStart").Append(EventCountColumn), StringComparer.OrdinalIgnoreCase);
                if (GroupBy != null) produced.Add(GroupBy);
                var missing = Model.Features.Where(f => !produced.Contains(f)).ToArray();
                if (missing.Length > 0)
                    WriteWarning($"The model's feature(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} are not in this output, so Test-Anomaly can't score it. " +
                        "Use the -CountBy, -Measure and -GroupBy that made the training windows.");
            }
            WriteVerbose($"{aggregator.EventCount} event(s) in {aggregator.RowCount} window(s) of {Interval}; {countColumns.Count} count column(s), {measureColumns.Count} measure column(s).");

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
            for (; any; any = windows.MoveNext())
            {
                var window = windows.Current;
                var output = new PSObject();
                output.TypeNames.Insert(0, TypeName);
                output.Properties.Add(new PSNoteProperty("IntervalStart", window.IntervalStart));
                if (GroupBy != null) output.Properties.Add(new PSNoteProperty(GroupBy, window.Group));
                output.Properties.Add(new PSNoteProperty(EventCountColumn, window.Count));
                for (int i = 0; i < countColumns.Count; i++)
                    output.Properties.Add(new PSNoteProperty(countColumns[i], window.Counts[i]));
                for (int i = 0; i < measureColumns.Count; i++)
                    output.Properties.Add(new PSNoteProperty(measureColumns[i], window.Measures[i]));
                WriteObject(output);
            }
        }

        private bool TryGet(PSObjectRecord input, string name, out object? value)
        {
            if (!input.TryGetValue(name, out value)) return false;
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
