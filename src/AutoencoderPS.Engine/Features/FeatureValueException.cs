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
