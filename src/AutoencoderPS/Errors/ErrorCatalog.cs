using System;
using System.Collections.Generic;
using System.Management.Automation;
using AutoencoderPS.Engine;
using static AutoencoderPS.Engine.ErrorIds;

namespace AutoencoderPS.Errors
{
    /// <summary>
    /// The PowerShell ErrorCategory of every ErrorId in <see cref="ErrorIds"/>: where an error becomes an ErrorRecord,
    /// its category comes from here, so one id always has one category whichever cmdlet reports it. One refinement: an
    /// id whose category is ReadError is PermissionDenied when the operating system refused access
    /// (UnauthorizedAccessException), so a script can tell "no permission" from "unreadable".
    /// </summary>
    public static class ErrorCatalog
    {
        private static readonly Dictionary<string, ErrorCategory> categories = new Dictionary<string, ErrorCategory>(StringComparer.Ordinal)
        {
            // The model object
            [ModelNotTrained] = ErrorCategory.InvalidOperation,
            [ModelDisposed] = ErrorCategory.InvalidOperation,
            [ModelChangedWhileScoring] = ErrorCategory.InvalidOperation,
            [ModelInUse] = ErrorCategory.ResourceBusy,
            [NetworkTooLarge] = ErrorCategory.InvalidArgument,
            [TimeGridNeedsTime] = ErrorCategory.InvalidArgument,
            [ScalePerGroupNeedsGroup] = ErrorCategory.InvalidArgument,
            [TimeZoneInvalid] = ErrorCategory.InvalidArgument,
            [TimeZoneNeedsTime] = ErrorCategory.InvalidArgument,
            [WindowColumnIsFeature] = ErrorCategory.InvalidArgument,
            [WindowColumnsClash] = ErrorCategory.InvalidArgument,
            [WindowSizeRequired] = ErrorCategory.InvalidArgument,
            [InvalidMaxGap] = ErrorCategory.InvalidArgument,

            // Training and thresholds
            [EmptyTrainingInput] = ErrorCategory.InvalidData,
            [EmptyFeatureColumn] = ErrorCategory.InvalidData,
            [NoFeatures] = ErrorCategory.InvalidData,
            [NoNumericFeatures] = ErrorCategory.InvalidData,
            [NamedFeatureUnreadNumbers] = ErrorCategory.InvalidData,
            [DuplicateFeature] = ErrorCategory.InvalidData,
            [NoTrainingWindows] = ErrorCategory.InvalidData,
            [GroupNotWindowed] = ErrorCategory.InvalidData,
            [TrainingDiverged] = ErrorCategory.InvalidResult,
            [ThresholdValueRequired] = ErrorCategory.InvalidArgument,
            [InvalidThresholdValue] = ErrorCategory.InvalidArgument,
            [EmptyThresholdInput] = ErrorCategory.InvalidData,
            [NoThresholdErrors] = ErrorCategory.InvalidOperation,

            // One value of one input row
            [MissingFeatureColumn] = ErrorCategory.InvalidData,
            [EmptyFeatureValue] = ErrorCategory.InvalidData,
            [NonFiniteFeatureValue] = ErrorCategory.InvalidData,
            [InvalidTimestampValue] = ErrorCategory.InvalidData,
            [InvalidFeatureValue] = ErrorCategory.InvalidData,
            [RowOutOfOrder] = ErrorCategory.InvalidData,
            [RowDatedAhead] = ErrorCategory.InvalidData,
            [RowAlreadyScored] = ErrorCategory.ResourceExists,
            [RowsOutOfOrder] = ErrorCategory.InvalidData,
            [FieldCountMismatch] = ErrorCategory.InvalidData,
            [UnclosedQuote] = ErrorCategory.InvalidData,
            [InputNotUtf8] = ErrorCategory.InvalidData,
            [SepLineConflict] = ErrorCategory.InvalidArgument,
            [TimeValueMissing] = ErrorCategory.InvalidData,
            [TimeValueInvalid] = ErrorCategory.InvalidData,
            [TimeWithoutDate] = ErrorCategory.InvalidData,
            [TimeValueNonexistent] = ErrorCategory.InvalidData,
            [GroupValueMissing] = ErrorCategory.InvalidData,
            [FeatureColumnsMissing] = ErrorCategory.InvalidData,
            [CounterMissingOnMachine] = ErrorCategory.InvalidData,
            [FeatureNotFound] = ErrorCategory.ObjectNotFound,

            // Input files
            [InputFileNotFound] = ErrorCategory.ObjectNotFound,
            [InputPathNotFileSystem] = ErrorCategory.InvalidArgument,
            [PipedFileNotRow] = ErrorCategory.InvalidArgument,
            [PipedRowNotFile] = ErrorCategory.InvalidArgument,
            [InputFileUnreadable] = ErrorCategory.ReadError,
            [InputFileShrank] = ErrorCategory.InvalidData,
            [EmptyCsvFile] = ErrorCategory.InvalidData,
            [DuplicateColumn] = ErrorCategory.InvalidData,
            [CsvRecordTooLong] = ErrorCategory.InvalidData,
            [CsvHeaderMismatch] = ErrorCategory.InvalidData,
            [UnknownEncoding] = ErrorCategory.InvalidArgument,
            [IncrementalEncodingUnsupported] = ErrorCategory.InvalidArgument,
            [IncrementalDelimiterUnsupported] = ErrorCategory.InvalidArgument,

            // Test-Anomaly
            [OutputPathNotFileSystem] = ErrorCategory.InvalidArgument,
            [OutputPathIsInput] = ErrorCategory.InvalidArgument,
            [OutputFileExists] = ErrorCategory.ResourceExists,
            [OutputFileReadOnly] = ErrorCategory.PermissionDenied,
            [OutputFileWriteFailed] = ErrorCategory.WriteError,
            [NoRowsScored] = ErrorCategory.InvalidData,
            [TooManyRowFailures] = ErrorCategory.InvalidData,
            [StreamOptionNeedsWindowedModel] = ErrorCategory.InvalidArgument,
            [AlertCooldownNeedsTime] = ErrorCategory.InvalidArgument,

            // The scheduled scoring job
            [AnomalyScoringLocked] = ErrorCategory.ResourceBusy,
            [AnomalyScoringLockFailed] = ErrorCategory.OpenError,
            [ScoringStateMismatch] = ErrorCategory.InvalidArgument,
            [ScoringStateCorrupt] = ErrorCategory.InvalidData,
            [ScoringStateTooNew] = ErrorCategory.InvalidData,
            [ScoringStateWriteFailed] = ErrorCategory.WriteError,
            [ScoringOutputWithoutState] = ErrorCategory.ResourceExists,
            [ScoringStateOutdated] = ErrorCategory.InvalidData,
            [ScoringPathsSameFile] = ErrorCategory.InvalidArgument,
            [ScoringOutputTruncated] = ErrorCategory.InvalidData,
            [ScoringOutputWriteFailed] = ErrorCategory.WriteError,
            [OutputColumnClash] = ErrorCategory.InvalidData,
            [StatePathNotFileSystem] = ErrorCategory.InvalidArgument,
            [NotARegularFile] = ErrorCategory.InvalidData,

            // Model files
            [ModelFileNotFound] = ErrorCategory.ObjectNotFound,
            [ModelFileUnreadable] = ErrorCategory.ReadError,
            [ModelFileCorrupt] = ErrorCategory.InvalidData,
            [ModelFileTruncated] = ErrorCategory.InvalidData,
            [ModelFileForeign] = ErrorCategory.InvalidData,
            [ModelFileTooNew] = ErrorCategory.InvalidData,
            [ModelFileChecksumMismatch] = ErrorCategory.InvalidData,
            [ModelFileDuplicateKey] = ErrorCategory.InvalidData,
            [ModelFileTooLarge] = ErrorCategory.InvalidData,
            [ModelFileWriteFailed] = ErrorCategory.WriteError,
            [ModelTooLargeToSave] = ErrorCategory.LimitsExceeded,
            [ModelFileExists] = ErrorCategory.ResourceExists,
            [ModelFolderNotFound] = ErrorCategory.ObjectNotFound,
            [ModelPathIsFolder] = ErrorCategory.InvalidArgument,
            [ModelPathInvalid] = ErrorCategory.InvalidArgument,
            [OutputPatternMatchesNoFile] = ErrorCategory.ObjectNotFound,
            [OutputPatternMatchesSeveral] = ErrorCategory.InvalidArgument,
            [ModelPathNotFileSystem] = ErrorCategory.InvalidArgument,
            [ModelPathAmbiguous] = ErrorCategory.InvalidArgument,
            [TorchRuntimeUnavailable] = ErrorCategory.ResourceUnavailable,

            // Reports and metrics
            [ReportFolderNotFound] = ErrorCategory.ObjectNotFound,
            [ReportPathIsFolder] = ErrorCategory.InvalidArgument,
            [ReportFileExists] = ErrorCategory.ResourceExists,
            [ReportFileWriteFailed] = ErrorCategory.WriteError,
            [ReportPathNotFileSystem] = ErrorCategory.InvalidArgument,
            [ReportPathInvalid] = ErrorCategory.InvalidArgument,
            [NoScoredRows] = ErrorCategory.InvalidData,
            [RowNotScored] = ErrorCategory.InvalidData,
            [InvalidAnomalyScore] = ErrorCategory.InvalidData,
            [InvalidIsAnomaly] = ErrorCategory.InvalidData,
            [InvalidIsAlert] = ErrorCategory.InvalidData,
            [InvalidAnomalyProbability] = ErrorCategory.InvalidData,
            [TimePropertyMissing] = ErrorCategory.InvalidData,
            [ScoredRowPropertyMissing] = ErrorCategory.InvalidData,
            [InputPropertyNotFound] = ErrorCategory.ObjectNotFound,

            // Log windows
            [InvalidLogInterval] = ErrorCategory.InvalidArgument,
            [InvalidLogRange] = ErrorCategory.InvalidArgument,
            [InvalidLogProperty] = ErrorCategory.InvalidArgument,
            [InvalidMaxValueCount] = ErrorCategory.InvalidArgument,
            [LogWindowRangeTooLarge] = ErrorCategory.LimitsExceeded,
            [InvalidLogTimestamp] = ErrorCategory.InvalidData,
            [LogTimeWithoutOffset] = ErrorCategory.InvalidData,
            [LogIntervalMismatch] = ErrorCategory.InvalidArgument,
            [InvalidLogMeasure] = ErrorCategory.InvalidData,
            [LogRecordLate] = ErrorCategory.InvalidData,
            [StreamingNeedsColumns] = ErrorCategory.InvalidArgument,
            [MetricSampleConflict] = ErrorCategory.InvalidData,
            [MetricColumnTaken] = ErrorCategory.InvalidArgument,
            [MetricColumnsTooMany] = ErrorCategory.InvalidArgument,

            // Scheduled tasks
            [InvalidTaskName] = ErrorCategory.InvalidArgument,
            [InvalidTaskInterval] = ErrorCategory.InvalidArgument,
            [InvalidTaskArgument] = ErrorCategory.InvalidArgument,
            [AnomalyScoringTaskExists] = ErrorCategory.ResourceExists,
            [AnomalyScoringTaskNotFound] = ErrorCategory.ObjectNotFound,
            [CrontabUnavailable] = ErrorCategory.NotInstalled,
            [CrontabReadFailed] = ErrorCategory.ReadError,
            [CrontabWriteFailed] = ErrorCategory.WriteError,
            [TaskSchedulerFailed] = ErrorCategory.InvalidOperation,
            [TaskFolderNotFound] = ErrorCategory.ObjectNotFound,
            [TaskPathInvalid] = ErrorCategory.InvalidArgument,
            [TaskPathNotFileSystem] = ErrorCategory.InvalidArgument,
            [TaskPathMismatch] = ErrorCategory.InvalidResult,
            [PwshNotFound] = ErrorCategory.ObjectNotFound,

            // Send-Autoencoder
            [SessionUnavailable] = ErrorCategory.ResourceUnavailable,
            [RemotePowerShellUnsupported] = ErrorCategory.NotInstalled,
            [RemoteModuleMissing] = ErrorCategory.NotInstalled,
            [RemoteModelFileExists] = ErrorCategory.ResourceExists,
            [RemoteWriteFailed] = ErrorCategory.WriteError,
            [RemoteModelHashMismatch] = ErrorCategory.InvalidData,
            [RemoteModelImportFailed] = ErrorCategory.InvalidData,
            [RemoteCommandFailed] = ErrorCategory.InvalidResult,
            [SendStopped] = ErrorCategory.OperationStopped,
        };

        /// <summary>Every ErrorId with its category.</summary>
        public static IReadOnlyDictionary<string, ErrorCategory> Categories => categories;

        /// <summary>The category of <paramref name="errorId"/>; NotSpecified for an id the catalog lacks (a test keeps there being none).</summary>
        public static ErrorCategory CategoryOf(string errorId) =>
            categories.TryGetValue(errorId, out var category) ? category : ErrorCategory.NotSpecified;

        /// <summary>An ErrorRecord for <paramref name="exception"/> with <paramref name="errorId"/> and the catalog's category.</summary>
        public static ErrorRecord Record(Exception exception, string errorId, object? target)
        {
            var category = CategoryOf(errorId);
            if (category == ErrorCategory.ReadError && exception is UnauthorizedAccessException) category = ErrorCategory.PermissionDenied;
            return new ErrorRecord(exception, errorId, category, target);
        }

        /// <summary><see cref="Record(Exception, string, object?)"/> with the message a user sees in place of the exception's.</summary>
        public static ErrorRecord Record(Exception exception, string errorId, object? target, string details)
        {
            var record = Record(exception, errorId, target);
            record.ErrorDetails = new ErrorDetails(details);
            return record;
        }

        /// <summary>The ErrorRecord of an engine error: its own ErrorId, the catalog's category.</summary>
        public static ErrorRecord Record(AutoencoderException exception, object? target) => Record(exception, exception.ErrorId, target);

        /// <summary>
        /// An argument exception's own sentence, without what .NET appends for developers (" (Parameter 'value')" and
        /// "Actual value was ..."): what a user reads.
        /// </summary>
        public static string Sentence(ArgumentException exception)
        {
            string message = exception.Message;
            int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            return cut > 0 ? message.Substring(0, cut) : message.Split('\n')[0];
        }
    }
}
