namespace AutoencoderPS.Engine.Features
{
    /// <summary>The reason a record could not be turned into features.</summary>
    public enum FeatureValueProblem { MissingColumn, Empty, NotNumeric, NotFinite, NotTimestamp, FieldCount, NotText }

    /// <summary>One value of one record could not be turned into a feature.</summary>
    public sealed class FeatureValueException : AutoencoderException
    {
        public FeatureValueException(FeatureValueProblem problem, string column, object? value, string message)
            : this(problem, column, value, message, ErrorIdFor(problem))
        {
        }

        /// <summary>With an ErrorId of its own (sliding windows: RowOutOfOrder, TimeValueMissing, ...).</summary>
        public FeatureValueException(FeatureValueProblem problem, string column, object? value, string message, string errorId)
            : base(errorId, message)
        {
            Problem = problem;
            Column = column;
            Value = value;
        }

        public FeatureValueProblem Problem { get; }
        public string Column { get; }
        public object? Value { get; }

        /// <summary>RowOutOfOrder: how far the row's time is before its group's previous row.</summary>
        public System.TimeSpan? StepBack { get; init; }

        /// <summary>
        /// This error of a row read on <paramref name="machine"/>'s performance counters in place of the model's
        /// (<see cref="FeatureSchema.InputMachine(IRecord)"/>): naming the column as the row's input names it, not the
        /// model's (an operator looking for '\\WEB01\...' in WEB02's export finds nothing). Itself when there is no such
        /// machine or the column is no counter.
        /// </summary>
        public FeatureValueException ReadOn(string machine, System.Globalization.CultureInfo culture)
        {
            if (machine.Length == 0 || !CounterPath.TrySplit(Column, out _, out _)) return this;
            string column = CounterPath.OnMachine(Column, machine);
            if (column == Column) return this;
            // A value that is no number is said again, so that the header repeated (its own column's name) is told.
            if (Problem == FeatureValueProblem.NotNumeric && ErrorId == ErrorIds.InvalidFeatureValue) return NotANumber(column, Value, culture);
            return new FeatureValueException(Problem, column, Value, Message.Replace($"'{Column}'", $"'{column}'"), ErrorId) { StepBack = StepBack };
        }

        /// <summary>
        /// A numeric column's value that <paramref name="culture"/> does not read as a number. When it is a number with the
        /// other decimal separator ("20,5" read by the invariant culture), the message says which -Culture reads it.
        /// </summary>
        public static FeatureValueException NotANumber(string column, object? value, System.Globalization.CultureInfo culture)
        {
            string hint = "";
            if (value is string text)
            {
                bool comma = UnreadNumbers.HasDecimalComma(culture);
                string where = $" in {Text.CultureText.Describe(culture)}";
                hint = UnreadNumbers.Classify(text.Trim(), culture) switch
                {
                    UnreadNumberKind.OtherDecimal => $"{where}; it is one with a decimal {(comma ? "point" : "comma")}: give -Culture " +
                                                     (comma ? "en-US (or leave -Culture out)" : "for the data's culture (for example de-DE)"),
                    // Never the culture that would read 1,234 as 1.234: thousands separators are not read at all.
                    UnreadNumberKind.Grouped or UnreadNumberKind.EitherWay => $"{where}; it looks like a number with thousands separators, " +
                                                     "which are never read as numbers: export the column without them",
                    UnreadNumberKind.WithUnit => $"{where}; it is a number with a unit: take the unit off (-replace) first",
                    _ => "",
                };
            }
            return new FeatureValueException(FeatureValueProblem.NotNumeric, column, value,
                $"column '{column}' has value '{value}', which is not a number{hint}{HeaderAgain(column, value)}.");
        }

        // A value that is its own column's name: the header again, where exports were joined into one file (a daily
        // export appended to the last) or a tool wrote one header per part. In the same layout the row is rejected like any
        // other, and the operator is told why it is there; in another, the readers read the rows after it by it (Csv.RepeatedHeader).
        private static string HeaderAgain(string column, object? value) =>
            value is string text && column.Trim().Length > 0 && string.Equals(text.Trim(), column.Trim(), System.StringComparison.OrdinalIgnoreCase)
                ? ": it is the column's own name, so the row is the header again (files joined into one, or one header per part); " +
                  "the rows after it are read by its columns"
                : "";

        /// <summary>
        /// A value of <paramref name="column"/> (<paramref name="role"/> says what the column is for, when not a feature)
        /// that <see cref="TimestampParser"/> does not read as a time, with why (<see cref="TimestampParser.WhyNotATime"/>).
        /// A time of day without a date has its own ErrorId, <see cref="ErrorIds.TimeWithoutDate"/>, whatever the caller's.
        /// </summary>
        public static FeatureValueException NotATime(string column, object? value, System.Globalization.CultureInfo culture,
            string? role = null, string? errorId = null) =>
            new FeatureValueException(FeatureValueProblem.NotTimestamp, column, value,
                $"column '{column}'{(role == null ? "" : $" ({role})")} has value '{value}', which is not a date and time" +
                (HeaderAgain(column, value) is { Length: > 0 } again ? again : TimestampParser.WhyNotATime(value, culture)) + ".",
                TimestampParser.IsTimeOfDay(value) ? ErrorIds.TimeWithoutDate : errorId ?? ErrorIds.InvalidTimestampValue);

        /// <summary>
        /// A CSV row with <paramref name="fields"/> fields under a header of <paramref name="header"/> names: fewer (a field
        /// left out, so the values after it would sit under the wrong columns, and the last ones be filled in), or more
        /// that are not all empty (a delimiter too many in a value, or a row of another layout, such as a second header of a
        /// multi-part export), whose first is <paramref name="firstExtra"/>. Read by position either would be scored as if
        /// it were right. More fields that are all empty (a delimiter at the end of each row) fit.
        /// </summary>
        public static FeatureValueException FieldCountMismatch(int fields, System.Collections.Generic.IReadOnlyList<string> header, string? firstExtra) =>
            fields < header.Count
                ? new FeatureValueException(FeatureValueProblem.FieldCount, header[fields], null,
                    $"the row has {fields} field(s) and the header {header.Count}, so '{header[fields]}'{(fields + 1 < header.Count ? " and the columns after it have" : " has")} " +
                    "none: a field is missing, and its values may sit under the wrong columns.", ErrorIds.FieldCountMismatch)
                : new FeatureValueException(FeatureValueProblem.FieldCount, $"(field {header.Count + 1})", firstExtra,
                    $"the row has {fields} fields and the header {header.Count} (field {header.Count + 1} holds '{firstExtra}'): a delimiter too many " +
                    "in a value, or a row of another layout (a second header?), so its values may sit under the wrong columns." +
                    // A header of one or two fields over wider rows: most likely a title line above the real header.
                    (header.Count <= 2 ? $" The header read is '{Text.PrintableText.Cut(string.Join(",", header), 80)}': if the file has lines of its own above its " +
                        "header (a title, a resource name, as Azure Monitor's export has), remove them; the first line is taken for the header." : ""),
                    ErrorIds.FieldCountMismatch);

        /// <summary>
        /// A file's last row, which ends inside a quoted field that no quote closes (<paramref name="lastField"/>: the column it
        /// sits under): the file was cut there, most often because it was still being written, so its last value is torn.
        /// </summary>
        public static FeatureValueException UnclosedQuote(string lastField, string value) =>
            new FeatureValueException(FeatureValueProblem.FieldCount, lastField, value,
                $"the file ends inside a quoted field ('{Text.PrintableText.Cut(value, 40)}' under '{lastField}') that no quote closes: its last row " +
                "is cut off, most often because the file was still being written. The row is left out; read the file again once it is complete.",
                ErrorIds.UnclosedQuote);

        private static string ErrorIdFor(FeatureValueProblem problem) => problem switch
        {
            FeatureValueProblem.MissingColumn => ErrorIds.MissingFeatureColumn,
            FeatureValueProblem.Empty => ErrorIds.EmptyFeatureValue,
            FeatureValueProblem.NotFinite => ErrorIds.NonFiniteFeatureValue,
            FeatureValueProblem.NotTimestamp => ErrorIds.InvalidTimestampValue,
            _ => ErrorIds.InvalidFeatureValue,
        };
    }
}
