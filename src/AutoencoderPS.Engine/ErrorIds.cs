namespace AutoencoderPS.Engine
{
    /// <summary>
    /// Every ErrorId the module reports, engine and cmdlets alike, in one place. The values are public contract: scripts
    /// and tests match on them (<c>$_.FullyQualifiedErrorId -like 'ModelNotTrained,*'</c>), so a value never changes;
    /// each equals its name. The cmdlet layer's ErrorCatalog gives each its PowerShell ErrorCategory.
    /// </summary>
    public static class ErrorIds
    {
        // ---- The model object ----
        /// <summary>The model has no trained network yet: train it, or import a trained one.</summary>
        public const string ModelNotTrained = "ModelNotTrained";
        /// <summary>The model was disposed and has released its network.</summary>
        public const string ModelDisposed = "ModelDisposed";
        /// <summary>
        /// The model was trained again during a scoring call, between two files (the files after it are not scored), during
        /// a file for a model that learns from the rows it scores (the rest of the file is not scored), or while rows read
        /// by its former schema waited to be scored (piped rows: none after them is scored).
        /// </summary>
        public const string ModelChangedWhileScoring = "ModelChangedWhileScoring";
        /// <summary>
        /// The model is scoring a file on this thread (a prompt nested in Test-Anomaly -OutputPath): it can't be trained or
        /// disposed until the file is done.
        /// </summary>
        public const string ModelInUse = "ModelInUse";
        /// <summary>The network's layers would hold more parameters than the module allows.</summary>
        public const string NetworkTooLarge = "NetworkTooLarge";
        /// <summary>-TimeZone names a zone the system does not know.</summary>
        public const string TimeZoneInvalid = "TimeZoneInvalid";
        /// <summary>-TimeZone needs a -TimeProperty whose times it places.</summary>
        public const string TimeZoneNeedsTime = "TimeZoneNeedsTime";
        /// <summary>-TimeGrid needs a -TimeProperty to lay the grid on.</summary>
        public const string TimeGridNeedsTime = "TimeGridNeedsTime";
        /// <summary>A sliding window's time or group column is also named as a feature.</summary>
        public const string WindowColumnIsFeature = "WindowColumnIsFeature";
        /// <summary>A sliding window's time and group columns are the same column.</summary>
        public const string WindowColumnsClash = "WindowColumnsClash";
        /// <summary>-ScalePerGroup was given without -GroupBy (and -WindowSize): there are no groups to scale.</summary>
        public const string ScalePerGroupNeedsGroup = "ScalePerGroupNeedsGroup";
        /// <summary>A sliding-window option was given without -WindowSize.</summary>
        public const string WindowSizeRequired = "WindowSizeRequired";
        /// <summary>-MaxGap is out of range.</summary>
        public const string InvalidMaxGap = "InvalidMaxGap";

        // ---- Training and thresholds ----
        /// <summary>There are no rows (or windows) to train or set a threshold on.</summary>
        public const string EmptyTrainingInput = "EmptyTrainingInput";
        /// <summary>A feature column has no usable value in any training row.</summary>
        public const string EmptyFeatureColumn = "EmptyFeatureColumn";
        /// <summary>The input has no column that can be a feature.</summary>
        public const string NoFeatures = "NoFeatures";
        /// <summary>The input has no numeric feature column.</summary>
        public const string NoNumericFeatures = "NoNumericFeatures";
        /// <summary>A feature named with -Feature holds numbers the input's culture does not read (it would have been a category).</summary>
        public const string NamedFeatureUnreadNumbers = "NamedFeatureUnreadNumbers";
        /// <summary>A feature is named twice.</summary>
        public const string DuplicateFeature = "DuplicateFeature";
        /// <summary>No group has enough rows for one sliding window.</summary>
        public const string NoTrainingWindows = "NoTrainingWindows";
        /// <summary>A group's rows are too few for one sliding window: its rows are left out of training.</summary>
        public const string GroupNotWindowed = "GroupNotWindowed";
        /// <summary>The loss became NaN or infinite during training.</summary>
        public const string TrainingDiverged = "TrainingDiverged";
        /// <summary>-Method Manual was given without the threshold value.</summary>
        public const string ThresholdValueRequired = "ThresholdValueRequired";
        /// <summary>The threshold value is not a finite, non-negative number.</summary>
        public const string InvalidThresholdValue = "InvalidThresholdValue";
        /// <summary>Set-AutoencoderThreshold received no rows to compute a threshold from.</summary>
        public const string EmptyThresholdInput = "EmptyThresholdInput";
        /// <summary>The model kept no training errors to compute a threshold from.</summary>
        public const string NoThresholdErrors = "NoThresholdErrors";

        // ---- One value of one input row ----
        /// <summary>A row lacks one of the model's feature columns.</summary>
        public const string MissingFeatureColumn = "MissingFeatureColumn";
        /// <summary>A feature value is empty.</summary>
        public const string EmptyFeatureValue = "EmptyFeatureValue";
        /// <summary>A feature value is NaN or infinite.</summary>
        public const string NonFiniteFeatureValue = "NonFiniteFeatureValue";
        /// <summary>A time value is not a timestamp.</summary>
        public const string InvalidTimestampValue = "InvalidTimestampValue";
        /// <summary>A numeric feature value is not a number.</summary>
        public const string InvalidFeatureValue = "InvalidFeatureValue";
        /// <summary>A sliding-window row is older than the group's previous row.</summary>
        public const string RowOutOfOrder = "RowOutOfOrder";
        /// <summary>The scheduled job: a sliding-window row dated more than a day after the computer's clock, skipped.</summary>
        public const string RowDatedAhead = "RowDatedAhead";
        /// <summary>The scheduled job: a sliding-window row of a time its group already scored (a re-export that overlaps the last one), skipped; not an error.</summary>
        public const string RowAlreadyScored = "RowAlreadyScored";

        /// <summary>The scheduled job: rows of a file older than rows already scored for their groups (a late backlog), skipped; the file counts as failed.</summary>
        public const string RowsOutOfOrder = "RowsOutOfOrder";
        /// <summary>A CSV row has another number of fields than its header (values would sit under the wrong columns).</summary>
        public const string FieldCountMismatch = "FieldCountMismatch";
        /// <summary>A file's last CSV row ends inside a quoted field that is never closed: cut off (a file still being written).</summary>
        public const string UnclosedQuote = "UnclosedQuote";
        /// <summary>
        /// A file read as UTF-8 holds bytes that are not UTF-8 (most often an export in Windows-1252, Excel's "CSV (Comma
        /// delimited)"): the row, or the header, is not read, rather than read with U+FFFD in place of its letters; -Encoding reads it.
        /// </summary>
        public const string InputNotUtf8 = "InputNotUtf8";
        /// <summary>A file's first line is Excel's "sep=X" and names another delimiter than the one given (-Delimiter, or the scheduled job's).</summary>
        public const string SepLineConflict = "SepLineConflict";
        /// <summary>A sliding-window row has no time.</summary>
        public const string TimeValueMissing = "TimeValueMissing";
        /// <summary>A sliding-window row's local time falls in the hour skipped when the model's time zone goes forward.</summary>
        public const string TimeValueNonexistent = "TimeValueNonexistent";
        /// <summary>A sliding-window row's time is not a timestamp.</summary>
        public const string TimeValueInvalid = "TimeValueInvalid";
        /// <summary>A time value is a time of day without a date ("00:15:00", a log's separate time field), which is not dated by guess.</summary>
        public const string TimeWithoutDate = "TimeWithoutDate";
        /// <summary>A sliding-window row has no group value.</summary>
        public const string GroupValueMissing = "GroupValueMissing";
        /// <summary>An input file lacks some of the model's feature columns.</summary>
        public const string FeatureColumnsMissing = "FeatureColumnsMissing";
        /// <summary>
        /// A machine's performance counters lack one the features read (a host whose piped rows came after those the
        /// features were chosen from): none of its rows can be read.
        /// </summary>
        public const string CounterMissingOnMachine = "CounterMissingOnMachine";
        /// <summary>The model has no feature of that name.</summary>
        public const string FeatureNotFound = "FeatureNotFound";

        // ---- Input files ----
        /// <summary>No input file matches a path.</summary>
        public const string InputFileNotFound = "InputFileNotFound";
        /// <summary>An input path is not on the file system.</summary>
        public const string InputPathNotFileSystem = "InputPathNotFileSystem";
        /// <summary>A file piped after rows, or with -LiteralPath named: a command reads either rows or files from the pipeline.</summary>
        public const string PipedFileNotRow = "PipedFileNotRow";
        /// <summary>A row piped with file-only parameters (-OutputPath, -Delimiter, ...), or after files: it is not read as the file its PSPath names.</summary>
        public const string PipedRowNotFile = "PipedRowNotFile";
        /// <summary>An input file can't be read.</summary>
        public const string InputFileUnreadable = "InputFileUnreadable";
        /// <summary>An input file became shorter while it was read.</summary>
        public const string InputFileShrank = "InputFileShrank";
        /// <summary>A CSV file has no header.</summary>
        public const string EmptyCsvFile = "EmptyCsvFile";
        /// <summary>A CSV header names a column twice.</summary>
        public const string DuplicateColumn = "DuplicateColumn";
        /// <summary>A CSV record is longer than the reader allows (an unclosed quote, most likely).</summary>
        public const string CsvRecordTooLong = "CsvRecordTooLong";
        /// <summary>A CSV file's header differs from the first file's.</summary>
        public const string CsvHeaderMismatch = "CsvHeaderMismatch";
        /// <summary>-Encoding names no encoding.</summary>
        public const string UnknownEncoding = "UnknownEncoding";
        /// <summary>The scheduled job reads files byte by byte and can't read this encoding.</summary>
        public const string IncrementalEncodingUnsupported = "IncrementalEncodingUnsupported";
        /// <summary>The scheduled job reads files byte by byte and can't split on this delimiter.</summary>
        public const string IncrementalDelimiterUnsupported = "IncrementalDelimiterUnsupported";

        // ---- Test-Anomaly ----
        /// <summary>-OutputPath is not on the file system.</summary>
        public const string OutputPathNotFileSystem = "OutputPathNotFileSystem";
        /// <summary>-OutputPath is one of the input files.</summary>
        public const string OutputPathIsInput = "OutputPathIsInput";
        /// <summary>The output file exists and -NoClobber was given.</summary>
        public const string OutputFileExists = "OutputFileExists";
        /// <summary>The scored file could not be written.</summary>
        public const string OutputFileWriteFailed = "OutputFileWriteFailed";
        /// <summary>A file to write (scored rows, a model, a report) is read-only and -Force was not given.</summary>
        public const string OutputFileReadOnly = "OutputFileReadOnly";
        /// <summary>No row could be scored.</summary>
        public const string NoRowsScored = "NoRowsScored";
        /// <summary>Too many rows failed in a row: the input is probably not what the model expects.</summary>
        public const string TooManyRowFailures = "TooManyRowFailures";
        /// <summary>A sliding-window option was given for a model without sliding windows.</summary>
        public const string StreamOptionNeedsWindowedModel = "StreamOptionNeedsWindowedModel";
        /// <summary>-AlertCooldown was given as a time span for a model whose rows have no time (no -TimeProperty).</summary>
        public const string AlertCooldownNeedsTime = "AlertCooldownNeedsTime";

        // ---- The scheduled scoring job (Invoke-AnomalyScoring) ----
        /// <summary>Another run holds the state's lock.</summary>
        public const string AnomalyScoringLocked = "AnomalyScoringLocked";
        /// <summary>The lock file could not be created.</summary>
        public const string AnomalyScoringLockFailed = "AnomalyScoringLockFailed";
        /// <summary>The state file was written for another model or output.</summary>
        public const string ScoringStateMismatch = "ScoringStateMismatch";
        /// <summary>The state file is not valid.</summary>
        public const string ScoringStateCorrupt = "ScoringStateCorrupt";
        /// <summary>The state file was written by a newer module.</summary>
        public const string ScoringStateTooNew = "ScoringStateTooNew";
        /// <summary>The state file could not be written.</summary>
        public const string ScoringStateWriteFailed = "ScoringStateWriteFailed";
        /// <summary>The output exists but the state does not: the job would score every row again.</summary>
        public const string ScoringOutputWithoutState = "ScoringOutputWithoutState";
        /// <summary>The output holds bytes past the state's committed length that no run was writing: the state is older than its output.</summary>
        public const string ScoringStateOutdated = "ScoringStateOutdated";
        /// <summary>Two of the job's model, inputs, output and state are one file (also through a link or a relative path).</summary>
        public const string ScoringPathsSameFile = "ScoringPathsSameFile";
        /// <summary>The output file is shorter than the state says.</summary>
        public const string ScoringOutputTruncated = "ScoringOutputTruncated";
        /// <summary>The output could not be written.</summary>
        public const string ScoringOutputWriteFailed = "ScoringOutputWriteFailed";
        /// <summary>An input column has the name of a score column.</summary>
        public const string OutputColumnClash = "OutputColumnClash";
        /// <summary>-StatePath is not on the file system (Invoke-AnomalyScoring; also ModelPathNotFileSystem, OutputPathNotFileSystem).</summary>
        public const string StatePathNotFileSystem = "StatePathNotFileSystem";
        /// <summary>A path to write is not a regular file (a folder, device or link).</summary>
        public const string NotARegularFile = "NotARegularFile";

        // ---- Model files ----
        /// <summary>The model file does not exist.</summary>
        public const string ModelFileNotFound = "ModelFileNotFound";
        /// <summary>The model file can't be read.</summary>
        public const string ModelFileUnreadable = "ModelFileUnreadable";
        /// <summary>The model file's content is not valid.</summary>
        public const string ModelFileCorrupt = "ModelFileCorrupt";
        /// <summary>The model file is shorter than its sections say.</summary>
        public const string ModelFileTruncated = "ModelFileTruncated";
        /// <summary>The file is not an AutoencoderPS model file.</summary>
        public const string ModelFileForeign = "ModelFileForeign";
        /// <summary>The model file was written by a newer module.</summary>
        public const string ModelFileTooNew = "ModelFileTooNew";
        /// <summary>The model file's checksum does not match its content.</summary>
        public const string ModelFileChecksumMismatch = "ModelFileChecksumMismatch";
        /// <summary>The model file's metadata names a key twice.</summary>
        public const string ModelFileDuplicateKey = "ModelFileDuplicateKey";
        /// <summary>The model file is larger than a model can be.</summary>
        public const string ModelFileTooLarge = "ModelFileTooLarge";
        /// <summary>The model file could not be written.</summary>
        public const string ModelFileWriteFailed = "ModelFileWriteFailed";
        /// <summary>The model is too large to save in one file.</summary>
        public const string ModelTooLargeToSave = "ModelTooLargeToSave";
        /// <summary>The model file exists and -Force was not given.</summary>
        public const string ModelFileExists = "ModelFileExists";
        /// <summary>The model file's folder does not exist.</summary>
        public const string ModelFolderNotFound = "ModelFolderNotFound";
        /// <summary>The model path is a folder.</summary>
        public const string ModelPathIsFolder = "ModelPathIsFolder";
        /// <summary>The model path is not a valid path.</summary>
        public const string ModelPathInvalid = "ModelPathInvalid";
        /// <summary>An output -Path (Export-Autoencoder, Export-AnomalyReport) is a wildcard pattern that matches no existing file.</summary>
        public const string OutputPatternMatchesNoFile = "OutputPatternMatchesNoFile";
        /// <summary>An output -Path is a wildcard pattern that matches more than one file or folder.</summary>
        public const string OutputPatternMatchesSeveral = "OutputPatternMatchesSeveral";
        /// <summary>The model path is not on the file system.</summary>
        public const string ModelPathNotFileSystem = "ModelPathNotFileSystem";
        /// <summary>The model path matches more than one file.</summary>
        public const string ModelPathAmbiguous = "ModelPathAmbiguous";
        /// <summary>libtorch can't be loaded.</summary>
        public const string TorchRuntimeUnavailable = "TorchRuntimeUnavailable";

        // ---- Reports and metrics ----
        /// <summary>The report's folder does not exist.</summary>
        public const string ReportFolderNotFound = "ReportFolderNotFound";
        /// <summary>The report path is a folder.</summary>
        public const string ReportPathIsFolder = "ReportPathIsFolder";
        /// <summary>The report file exists and -NoClobber was given.</summary>
        public const string ReportFileExists = "ReportFileExists";
        /// <summary>The report could not be written.</summary>
        public const string ReportFileWriteFailed = "ReportFileWriteFailed";
        /// <summary>The report path is not on the file system.</summary>
        public const string ReportPathNotFileSystem = "ReportPathNotFileSystem";
        /// <summary>The report path is not a valid path.</summary>
        public const string ReportPathInvalid = "ReportPathInvalid";
        /// <summary>No scored row was received.</summary>
        public const string NoScoredRows = "NoScoredRows";
        /// <summary>A row has no AnomalyScore: it was not scored by Test-Anomaly.</summary>
        public const string RowNotScored = "RowNotScored";
        /// <summary>A row's AnomalyScore is not a number.</summary>
        public const string InvalidAnomalyScore = "InvalidAnomalyScore";
        /// <summary>A row's IsAnomaly is not true or false.</summary>
        public const string InvalidIsAnomaly = "InvalidIsAnomaly";
        /// <summary>Export-AnomalyReport: a row's IsAlert is not true or false.</summary>
        public const string InvalidIsAlert = "InvalidIsAlert";
        /// <summary>Export-AnomalyReport: an alert row's AnomalyProbability is not a number.</summary>
        public const string InvalidAnomalyProbability = "InvalidAnomalyProbability";
        /// <summary>A row lacks the -TimeProperty property.</summary>
        public const string TimePropertyMissing = "TimePropertyMissing";
        /// <summary>A scored row lacks a property Measure-AnomalyDetection needs.</summary>
        public const string ScoredRowPropertyMissing = "ScoredRowPropertyMissing";
        /// <summary>The first piped row has no property of the name a parameter gives (-TimeProperty, -LabelProperty...): a typo, or rows of another kind.</summary>
        public const string InputPropertyNotFound = "InputPropertyNotFound";

        // ---- Log windows ----
        /// <summary>The window interval is not positive.</summary>
        public const string InvalidLogInterval = "InvalidLogInterval";
        /// <summary>The end is not after the start.</summary>
        public const string InvalidLogRange = "InvalidLogRange";
        /// <summary>A property name is empty.</summary>
        public const string InvalidLogProperty = "InvalidLogProperty";
        /// <summary>The maximum number of value columns is negative.</summary>
        public const string InvalidMaxValueCount = "InvalidMaxValueCount";
        /// <summary>The range holds more windows than the module writes.</summary>
        public const string LogWindowRangeTooLarge = "LogWindowRangeTooLarge";
        /// <summary>A log record has no usable time.</summary>
        public const string InvalidLogTimestamp = "InvalidLogTimestamp";
        /// <summary>A log record's time is a clock time without an offset among records that state their instant, and no -TimeZone reads it.</summary>
        public const string LogTimeWithoutOffset = "LogTimeWithoutOffset";
        /// <summary>ConvertTo-LogWindow -Model with another -Interval than the windows the model was trained on.</summary>
        public const string LogIntervalMismatch = "LogIntervalMismatch";
        /// <summary>A log record's -Measure value is not a number.</summary>
        public const string InvalidLogMeasure = "InvalidLogMeasure";
        /// <summary>A log record of an interval already written (records in time order are windowed as they come): not counted.</summary>
        public const string LogRecordLate = "LogRecordLate";
        /// <summary>ConvertTo-LogWindow -Streaming whose columns or groups come from the records (-CountBy, -MetricProperty or -GroupBy without -Model).</summary>
        public const string StreamingNeedsColumns = "StreamingNeedsColumns";
        /// <summary>A long export's measurement has the time, group and metric of an earlier one of its interval, with another value.</summary>
        public const string MetricSampleConflict = "MetricSampleConflict";
        /// <summary>A long export's metric would make a column of the name of another column of the windows.</summary>
        public const string MetricColumnTaken = "MetricColumnTaken";
        /// <summary>A long export's records name more metrics than a row can have columns (the metric property holds ids).</summary>
        public const string MetricColumnsTooMany = "MetricColumnsTooMany";

        // ---- Scheduled tasks ----
        /// <summary>The task name has characters a crontab comment or task name can't hold.</summary>
        public const string InvalidTaskName = "InvalidTaskName";
        /// <summary>The store can't repeat a task at this interval.</summary>
        public const string InvalidTaskInterval = "InvalidTaskInterval";
        /// <summary>An argument of the task's command line can't be carried by the store.</summary>
        public const string InvalidTaskArgument = "InvalidTaskArgument";
        /// <summary>A task of that name exists and -Force was not given.</summary>
        public const string AnomalyScoringTaskExists = "AnomalyScoringTaskExists";
        /// <summary>There is no task of that name.</summary>
        public const string AnomalyScoringTaskNotFound = "AnomalyScoringTaskNotFound";
        /// <summary>The crontab program is missing or can't be run.</summary>
        public const string CrontabUnavailable = "CrontabUnavailable";
        /// <summary>crontab -l failed.</summary>
        public const string CrontabReadFailed = "CrontabReadFailed";
        /// <summary>crontab refused the new table, which is then unchanged.</summary>
        public const string CrontabWriteFailed = "CrontabWriteFailed";
        /// <summary>The ScheduledTasks cmdlets failed.</summary>
        public const string TaskSchedulerFailed = "TaskSchedulerFailed";
        /// <summary>The folder of the task's output or state does not exist.</summary>
        public const string TaskFolderNotFound = "TaskFolderNotFound";
        /// <summary>A task path is not a valid path.</summary>
        public const string TaskPathInvalid = "TaskPathInvalid";
        /// <summary>A task path is not on the file system.</summary>
        public const string TaskPathNotFileSystem = "TaskPathNotFileSystem";
        /// <summary>The -Path pattern a task would run with matches other files than the -Path given matches at registration.</summary>
        public const string TaskPathMismatch = "TaskPathMismatch";
        /// <summary>The pwsh the task would start can't be found.</summary>
        public const string PwshNotFound = "PwshNotFound";

        // ---- Send-Autoencoder ----
        /// <summary>A session is not open, or its connection failed.</summary>
        public const string SessionUnavailable = "SessionUnavailable";
        /// <summary>The remote endpoint is not PowerShell 7.4 or later.</summary>
        public const string RemotePowerShellUnsupported = "RemotePowerShellUnsupported";
        /// <summary>The remote host can't import AutoencoderPS.</summary>
        public const string RemoteModuleMissing = "RemoteModuleMissing";
        /// <summary>The remote file exists and -Force was not given.</summary>
        public const string RemoteModelFileExists = "RemoteModelFileExists";
        /// <summary>The model could not be written on the remote host.</summary>
        public const string RemoteWriteFailed = "RemoteWriteFailed";
        /// <summary>The copy on the remote host has another SHA-256.</summary>
        public const string RemoteModelHashMismatch = "RemoteModelHashMismatch";
        /// <summary>The copy arrived intact but Import-Autoencoder failed there.</summary>
        public const string RemoteModelImportFailed = "RemoteModelImportFailed";
        /// <summary>A remote step failed for another reason.</summary>
        public const string RemoteCommandFailed = "RemoteCommandFailed";
        /// <summary>The command was stopped during a send.</summary>
        public const string SendStopped = "SendStopped";
    }
}
