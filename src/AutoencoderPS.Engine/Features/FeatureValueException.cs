namespace AutoencoderPS.Engine.Features
{
    /// <summary>The reason a record could not be turned into features.</summary>
    public enum FeatureValueProblem { MissingColumn, Empty, NotNumeric, NotFinite, NotTimestamp }

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
            return new FeatureValueException(FeatureValueProblem.NotNumeric, column, value, $"column '{column}' has value '{value}', which is not a number{hint}.");
        }

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
