using System;

namespace AutoencoderPS.Engine
{
    /// <summary>Base of the engine's own errors; <see cref="ErrorId"/> is stable and specific.</summary>
    public class AutoencoderException : Exception
    {
        public AutoencoderException(string errorId, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
        }

        public string ErrorId { get; }
    }

    /// <summary>The native libtorch runtime could not be loaded.</summary>
    public sealed class TorchRuntimeException : AutoencoderException
    {
        public TorchRuntimeException(string message, Exception? inner = null)
            : base("TorchRuntimeUnavailable", message, inner) { }
    }

    /// <summary>A model file is missing, truncated, corrupt, foreign or from a newer format.</summary>
    public sealed class ModelFileException : AutoencoderException
    {
        public ModelFileException(string errorId, string path, string message, Exception? inner = null)
            : base(errorId, message, inner)
        {
            Path = path;
        }

        public string Path { get; }
    }

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

        private static string ErrorIdFor(FeatureValueProblem problem) => problem switch
        {
            FeatureValueProblem.MissingColumn => "MissingFeatureColumn",
            FeatureValueProblem.Empty => "EmptyFeatureValue",
            FeatureValueProblem.NotFinite => "NonFiniteFeatureValue",
            FeatureValueProblem.NotTimestamp => "InvalidTimestampValue",
            _ => "InvalidFeatureValue",
        };
    }
}
