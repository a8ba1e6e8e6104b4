using System.Globalization;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Rows that fail one after another. Past <see cref="MaxInARow"/> of them the input is read wrongly (another
    /// delimiter, culture or time format, or not the data the model knows), not bad here and there: reading stops with one
    /// error that says what is likely wrong (<see cref="StopMessage"/>) instead of one error per row for the whole input.
    /// Test-Anomaly, training and the scheduled job count the same way.
    /// </summary>
    public sealed class FailedRowRun
    {
        /// <summary>Rows that fail one after another before reading stops.</summary>
        public const int MaxInARow = 100;

        /// <summary>
        /// Rows that fail one after another, each for a time of day without a date (<see cref="ErrorIds.TimeWithoutDate"/>),
        /// before reading stops: that is the time column's format (a log's separate time field), which no row after them
        /// changes, not a slip here and there.
        /// </summary>
        public const int MaxTimesOfDayInARow = 10;

        // Whether every row of the current run failed for a time of day without a date.
        private bool timesOfDay;

        /// <summary>The length at which the current run stops reading: <see cref="MaxTimesOfDayInARow"/> for a run of times of day alone, else <see cref="MaxInARow"/>.</summary>
        public int Limit => timesOfDay ? MaxTimesOfDayInARow : MaxInARow;

        private long lastRow = long.MinValue;

        /// <summary>Rows in the current run of failures.</summary>
        public int Count { get; private set; }

        /// <summary>Where the run's first row is, and its error ("line 12: ...").</summary>
        public string? First { get; private set; }

        /// <summary>The error of the run's last row.</summary>
        public FeatureValueException? Last { get; private set; }

        /// <summary>Where the run's first row is ("line 12").</summary>
        public string? FirstWhere { get; private set; }

        /// <summary>
        /// Counts the failure of row <paramref name="row"/> (at <paramref name="where"/>); a row that does not follow the
        /// last failed one starts a new run. True when the run has reached <see cref="MaxInARow"/>.
        /// </summary>
        public bool Add(FeatureValueException error, long row, string where)
        {
            if (row != lastRow + 1) Count = 0;
            lastRow = row;
            Last = error;
            if (Count++ == 0)
            {
                First = $"{where}: {error.Message}";
                FirstWhere = where;
                timesOfDay = true;
            }
            timesOfDay &= error.ErrorId == ErrorIds.TimeWithoutDate;
            return Count >= Limit;
        }

        /// <summary>A row that was read: the run, if any, is over.</summary>
        public void Reset()
        {
            Count = 0;
            lastRow = long.MinValue;
        }

        /// <summary>Why reading stopped, after <paramref name="last"/> ended a run of <see cref="MaxInARow"/> failed rows.</summary>
        public string StopMessage(FeatureValueException last, bool fromFiles) =>
            $"Stopped after {Limit} rows in a row could not be read; the likely cause: {LikelyCause(last, fromFiles)}. The first of them: {First}";

        /// <summary>
        /// What a run of failed rows most likely means, from its last one: rows out of time order (a time-series model), numbers
        /// in another culture, or fields split at another delimiter (file options).
        /// </summary>
        public static string LikelyCause(FeatureValueException e, bool fromFiles)
        {
            if (e.ErrorId == ErrorIds.RowOutOfOrder)
                return fromFiles
                    ? "the rows are not in time order within their group: give the files in time order (oldest first), each once"
                    : "the rows are not in time order within their group: sort them by the model's time property first (Sort-Object)";
            if (e.Problem == FeatureValueProblem.MissingColumn)
                return $"the rows have no column '{e.Column}', which the model reads: they are another export than the one it was trained on, or the column was renamed";
            if (e.ErrorId == ErrorIds.FieldCountMismatch)
                return "the rows have another number of fields than the header: the file is read with the wrong -Delimiter, or its rows are of another layout";
            // The value as the error wrote it: a number or a time too (an Excel serial date read as a number), not only text.
            string value = e.Value switch
            {
                null => "",
                string text => text,
                System.IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
            if (e.ErrorId == ErrorIds.TimeWithoutDate)
                return $"the times, such as '{value}', are times of day without a date: give a column that holds both the date " +
                       "and the time (see the first error)";
            if (e.Problem == FeatureValueProblem.NotTimestamp)
                return $"the times, such as '{value}', are in a format that is not read: see the first error";
            if (!fromFiles)
                return "the input rows are not the kind of data the model was trained on (their values do not read as its features)";
            // The shapes of numbers not read are told by the one rule for them (UnreadNumbers: '9,897' is more likely
            // thousands than a decimal comma), as the default culture would see them.
            return (e.Problem == FeatureValueProblem.NotNumeric ? UnreadNumbers.Classify(value.Trim(), CultureInfo.InvariantCulture) : UnreadNumberKind.None) switch
            {
                UnreadNumberKind.OtherDecimal =>
                    $"values such as '{value}' have a decimal comma: give -Culture (for example -Culture de-DE), and -Delimiter ';' if the file is separated by semicolons",
                UnreadNumberKind.Grouped or UnreadNumberKind.EitherWay =>
                    $"values such as '{value}' have thousands separators, which are never read as numbers: export the columns without them",
                UnreadNumberKind.WithUnit => $"values such as '{value}' carry a unit: take it off (-replace) first",
                _ => value.IndexOfAny(new[] { ';', '\t', '|', ',' }) >= 0
                    ? $"values such as '{value}' hold a separator: give the file's -Delimiter"
                    : "the file is probably read with the wrong -Culture or -Delimiter, or it is not the kind of data the model was trained on",
            };
        }
    }
}
