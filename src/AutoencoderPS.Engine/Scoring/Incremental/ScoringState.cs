using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AutoencoderPS.Engine.Features;
using Microsoft.Win32.SafeHandles;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>The output formats of incremental scoring.</summary>
    public enum ScoringOutputFormat
    {
        /// <summary>CSV: the columns are fixed by the first run (see <see cref="ScoringOutputState.Columns"/>).</summary>
        Csv,
        /// <summary>JSON Lines: one JSON object per scored row, with every column of its own file.</summary>
        JsonLines,
    }

    /// <summary>
    /// What incremental scoring has durably done, as one JSON file written atomically (<see cref="AtomicFile"/>) after
    /// each batch's results are flushed to disk: how long the output is, and how far each input file is scored. Bytes
    /// of the output past <see cref="ScoringOutputState.Length"/> come from a run that died before it committed them.
    /// </summary>
    public sealed class ScoringState
    {
        /// <summary>
        /// The latest format this module writes and reads; a file of a later format is refused. A state is written in
        /// format 3 only while an entry ends in a finished last line (<see cref="ScoringFileState.EndsInOpenLine"/>), else
        /// in format 2: an earlier version, which takes an offset that is not after a line break for a rotated file and
        /// scores it again from its start, refuses format 3 (ScoringStateTooNew) instead of scoring rows twice.
        /// </summary>
        public const int CurrentFormatVersion = 3;

        /// <summary>How many of a file's first bytes its fingerprint covers (fewer while it is shorter).</summary>
        public const int FingerprintBytes = 4096;

        /// <summary>
        /// How long the entry of a file that is gone (no longer at its path, and not renamed to an input of the run) is
        /// kept after its last scored rows: long enough for a share that is offline for a while, or a rotated file that
        /// comes back under another name, to go on where it stopped; then it is forgotten, so a folder of daily exports
        /// does not grow the state (rewritten at every commit) without bound.
        /// </summary>
        public static readonly TimeSpan ForgetGoneFilesAfter = TimeSpan.FromDays(30);

        /// <summary>
        /// How long a file must have gone unwritten before a last line without a line break is taken as finished and
        /// scored. Until then it is a line still being written (a writer flushes whole lines, or a buffer that may end
        /// mid-line), and it waits. Some exporters leave out the final line break; without this their last row, the newest
        /// data, would never be scored. Ten minutes is two runs of a five-minute schedule: a writer that holds half a line
        /// in its buffer that long is rare, and the line must also have the header's number of fields and no open quote.
        /// </summary>
        public static readonly TimeSpan LastLineFinishedAfter = TimeSpan.FromMinutes(10);

        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter() },
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        public int FormatVersion { get; set; } = CurrentFormatVersion;

        public ScoringOutputState Output { get; set; } = new ScoringOutputState();

        public List<ScoringFileState> Files { get; set; } = new List<ScoringFileState>();

        /// <summary>
        /// Time-series models (format 2): what scoring remembers of each series between runs (<see cref="SeriesMemory"/>:
        /// each group's last rows, calibration history and alert cool-down), base64. Null for row models.
        /// </summary>
        public string? Series { get; set; }

        /// <summary>
        /// Models that learn (<see cref="Modeling.AutoencoderModel.LearnEvery"/>): the model as it has learned so far, with the
        /// model file it started from. Null when the model does not learn. The model file itself is never changed.
        /// </summary>
        public ScoringLearningState? Learning { get; set; }

        /// <summary>
        /// Time-series models: the recent rows scored over the runs and how many were above the model's threshold, for the
        /// warning that rows are unlike the training rows (<see cref="ScoringPipeline{TRow}.UnlikeTrainingWarning(double, double, bool)"/>).
        /// Null in states before it was kept.
        /// </summary>
        public ScoringRecentRows? Recent { get; set; }

        public DateTime UpdatedUtc { get; set; }

        /// <summary>The entry of a file by full path, or null.</summary>
        public ScoringFileState? Find(string path, StringComparison comparison) =>
            Files.FirstOrDefault(f => string.Equals(f.Path, path, comparison));

        /// <summary>
        /// What to do about a state that can't be used: true of every copy, since a copy older than its output is refused
        /// (ScoringStateOutdated) rather than followed, and nothing of the output is rewritten.
        /// </summary>
        public const string RestoreAdvice = "Restore it from a copy (the latest one: a copy older than the output is refused, and the output is left as " +
            "it is), or move it and the output away to score everything again.";

        /// <summary>Reads a state file; null when there is none. A damaged or newer file is an <see cref="AutoencoderException"/>.</summary>
        public static ScoringState? Load(string path)
        {
            byte[] content;
            try { SafeFile.RequireRegularOrMissing(path, "the scoring state"); }
            catch (NotARegularFileException e) { throw new AutoencoderException(NotARegularFileException.ErrorId, e.Message, e); }
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return null;
            }
            ScoringState? state;
            try
            {
                state = JsonSerializer.Deserialize<ScoringState>(content, Json);
            }
            catch (JsonException e)
            {
                throw new AutoencoderException(ErrorIds.ScoringStateCorrupt,
                    $"The scoring state '{path}' is not valid JSON ({e.Message}). It is written atomically, so it was changed by hand or by " +
                    "another program. " + RestoreAdvice, e);
            }
            if (state == null || state.Output == null || state.Files == null || state.Files.Any(f => f == null || string.IsNullOrEmpty(f.Path)))
                throw new AutoencoderException(ErrorIds.ScoringStateCorrupt,
                    $"The scoring state '{path}' lacks its output or file entries. " + RestoreAdvice);
            if (state.FormatVersion > CurrentFormatVersion)
                throw new AutoencoderException(ErrorIds.ScoringStateTooNew,
                    $"The scoring state '{path}' has format {state.FormatVersion}; this version of AutoencoderPS reads up to {CurrentFormatVersion}. Update AutoencoderPS.");
            if (state.FormatVersion < 1 || state.Output.Length < 0 || state.Output.WritingFrom < 0 || state.Output.WritingFrom > state.Output.Length ||
                state.Files.Any(f => f.Offset < 0 || f.RowsScored < 0 || f.RowsRejected < 0))
                throw new AutoencoderException(ErrorIds.ScoringStateCorrupt,
                    $"The scoring state '{path}' holds impossible values (format {state.FormatVersion}, negative lengths or counts, or a run writing past the output's committed length).");
            return state;
        }

        /// <summary>Writes the state atomically: a reader (or the next run after a crash) sees the old state or the new one.</summary>
        public void Save(string path)
        {
            UpdatedUtc = DateTime.UtcNow;
            if (Files.Any(f => f.EndsInOpenLine == true)) FormatVersion = 3;
            else if (FormatVersion == 3) FormatVersion = 2;
            byte[] content = JsonSerializer.SerializeToUtf8Bytes(this, Json);
            AtomicFile.Write(path, stream => stream.Write(content, 0, content.Length));
        }

        /// <summary>SHA-256 (hex) of the <paramref name="length"/> bytes of an open file from <paramref name="start"/>.</summary>
        public static string Fingerprint(SafeFileHandle handle, long start, int length)
        {
            var bytes = ReadAt(handle, start, length);
            return bytes.Length < length ? "" : Fingerprint(bytes); // shorter than that now: matches nothing
        }

        /// <summary>The <paramref name="length"/> bytes of an open file from <paramref name="start"/>; fewer where it ends first.</summary>
        public static byte[] ReadAt(SafeFileHandle handle, long start, int length)
        {
            var bytes = new byte[length];
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), start + read);
                if (n <= 0) break;
                read += n;
            }
            return read < length ? bytes.AsSpan(0, read).ToArray() : bytes;
        }

        /// <summary>Whether the byte of an open file at <paramref name="offset"/> is a line break (LF or CR).</summary>
        public static bool IsLineBreakAt(SafeFileHandle handle, long offset)
        {
            Span<byte> one = stackalloc byte[1];
            return offset >= 0 && RandomAccess.Read(handle, one, offset) == 1 && (one[0] == (byte)'\n' || one[0] == (byte)'\r');
        }

        /// <summary>SHA-256 (hex) of <paramref name="bytes"/>.</summary>
        public static string Fingerprint(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes));

        /// <summary>SHA-256 (hex) of the <see cref="FingerprintLength"/>(<paramref name="offset"/>) bytes just before <paramref name="offset"/>.</summary>
        public static string TailFingerprint(SafeFileHandle handle, long offset)
        {
            int length = FingerprintLength(offset);
            return Fingerprint(handle, offset - length, length);
        }

        /// <summary>How many bytes a fingerprint taken at <paramref name="offset"/> covers.</summary>
        public static int FingerprintLength(long offset) => (int)Math.Min(FingerprintBytes, offset);

        /// <summary>How many of the output's last committed bytes its fingerprint covers (fewer while it is shorter).</summary>
        public const int OutputFingerprintBytes = 64 * 1024;

        /// <summary>How many bytes the fingerprint of an output of <paramref name="length"/> committed bytes covers.</summary>
        public static int OutputFingerprintLength(long length) => (int)Math.Min(OutputFingerprintBytes, length);

        /// <summary>
        /// The fingerprint of an open output committed up to <paramref name="length"/>: of its last
        /// <see cref="OutputFingerprintLength"/> bytes before that (<see cref="ScoringOutputState.Fingerprint"/>).
        /// </summary>
        public static string OutputFingerprint(SafeFileHandle handle, long length)
        {
            int cover = OutputFingerprintLength(length);
            return Fingerprint(handle, length - cover, cover);
        }
    }

    /// <summary>What continual learning has learned, committed with the offsets it was learned up to.</summary>
    public sealed class ScoringLearningState
    {
        /// <summary>The fingerprint of the model it started from (<see cref="Persistence.ModelFile.Fingerprint"/>): another model starts afresh.</summary>
        public string Base { get; set; } = "";

        /// <summary>The learned model: a model file (<see cref="Persistence.ModelFile.Serialize"/>), base64.</summary>
        public string Model { get; set; } = "";
    }

    /// <summary>The output file as the state knows it.</summary>
    public sealed class ScoringOutputState
    {
        /// <summary>Full path of the output file this state belongs to.</summary>
        public string Path { get; set; } = "";

        public ScoringOutputFormat Format { get; set; }

        /// <summary>Bytes of the output that hold committed results.</summary>
        public long Length { get; set; }

        /// <summary>
        /// Where a run began writing to the output, committed before its first byte and cleared once it ended with the
        /// output at its committed <see cref="Length"/>; null when no run is writing. Only while it is set are bytes past
        /// <see cref="Length"/> a killed run's, to cut off: otherwise they are results committed by later runs (this state
        /// is an older copy, restored) or something else's, and the run refuses to touch them. Written even when null, so
        /// that <see cref="SaysWhetherWriting"/> tells this version's states from earlier ones, which lack it.
        /// </summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
        public long? WritingFrom
        {
            get => writingFrom;
            set
            {
                writingFrom = value;
                SaysWhetherWriting = true;
            }
        }

        private long? writingFrom;

        /// <summary>
        /// Whether the state says if a run was writing (<see cref="WritingFrom"/>, null or not): false for a state written
        /// by an earlier version, which does not (and drops it when it writes the state, so it is never left stale).
        /// </summary>
        [JsonIgnore]
        public bool SaysWhetherWriting { get; private set; }

        /// <summary>
        /// SHA-256 (hex) of the last <see cref="ScoringState.OutputFingerprintLength"/>(<see cref="Length"/>) committed
        /// bytes, taken at every commit that adds some: an output found at another path (a job moved to another folder or
        /// machine) is this state's when it holds the same bytes there. Null while nothing is committed, and in states of
        /// earlier versions (which drop it when they write the state, so it is never left stale); such a state gets it at
        /// its next run.
        /// </summary>
        public string? Fingerprint { get; set; }

        /// <summary>CSV: the input columns of the output, fixed when its header was written; null before.</summary>
        public List<string>? Columns { get; set; }

        /// <summary>The columns scoring adds to each row (<see cref="Features.ScoreColumns.For"/>); null in format 1 (a row model's).</summary>
        public List<string>? ScoreColumns { get; set; }

        /// <summary>CSV: the field separator of the output (the input's).</summary>
        public string? Delimiter { get; set; }

        /// <summary>Name of the culture numbers are written in ("" for the invariant culture).</summary>
        public string? Culture { get; set; }

        /// <summary>
        /// The encoding the input files were read in (its WebName, "utf-8" by default); null in states before it was kept
        /// (read as UTF-8). The output is UTF-8 whatever it is.
        /// </summary>
        public string? InputEncoding { get; set; }

        public long RowsScored { get; set; }
        public long RowsWarmingUp { get; set; }

        /// <summary>Rows of a time-series model written as NoData (no feature had a value); 0 in states before it was counted.</summary>
        public long RowsWithoutData { get; set; }
        public long RowsRejected { get; set; }
        public long Anomalies { get; set; }
        public long Alerts { get; set; }
    }

    /// <summary>
    /// The scored rows of a job's recent runs and how many of them were above the model's threshold, at most
    /// <see cref="Rows"/> rows' worth: when a commit's rows take the count past it, both counts are scaled down to it. So,
    /// for commits of a few rows (a job run every few minutes), a row's weight falls by e with every 2,000 rows after it
    /// (an exponentially weighted count; a commit of a backlog weighs its rows alike): a series that has recovered is
    /// not remembered forever, and the share stays that of the recent rows.
    /// </summary>
    public sealed class ScoringRecentRows
    {
        /// <summary>How many rows the counts stand for at most.</summary>
        public const double Rows = 2000;

        public double Scored { get; set; }
        public double AboveThreshold { get; set; }

        /// <summary>The counts with a commit's rows added.</summary>
        public static ScoringRecentRows Add(ScoringRecentRows? recent, long scored, long above)
        {
            double s = (recent?.Scored ?? 0) + scored, a = (recent?.AboveThreshold ?? 0) + above;
            if (s > Rows)
            {
                a *= Rows / s;
                s = Rows;
            }
            return new ScoringRecentRows { Scored = s, AboveThreshold = a };
        }
    }

    /// <summary>How far one input file is scored.</summary>
    public sealed class ScoringFileState
    {
        /// <summary>Full path.</summary>
        public string Path { get; set; } = "";

        /// <summary>
        /// Byte offset just after the last complete line scored (or rejected): the next run starts here. After a last line
        /// without a line break that was taken as finished (<see cref="EndsInOpenLine"/>), just after that line.
        /// </summary>
        public long Offset { get; set; }

        /// <summary>
        /// True when <see cref="Offset"/> is the end of a last line without a line break, scored because the file had not
        /// been written for <see cref="ScoringState.LastLineFinishedAfter"/> (an export whose writer leaves out the final
        /// line break). Bytes that come later must start with a line break; if they go on with the line instead, the rest
        /// of it is skipped with a warning. Null otherwise (and in states written before it existed).
        /// </summary>
        public bool? EndsInOpenLine { get; set; }

        /// <summary>
        /// The file's length when a run last warned that its end is not a whole row (a last line cut short, or a line
        /// taken as finished that went on): the warning is not given again until the file changes. Null before any.
        /// </summary>
        public long? UnfinishedWarnedAt { get; set; }

        /// <summary>Physical lines before <see cref="Offset"/>, so row line numbers stay right across runs.</summary>
        public long Lines { get; set; }

        public long RowsScored { get; set; }
        public long RowsRejected { get; set; }

        /// <summary>The file's header (column names).</summary>
        public List<string> Header { get; set; } = new List<string>();

        /// <summary>Bytes covered by <see cref="Fingerprint"/>: the first min(4096, Offset).</summary>
        public int FingerprintLength { get; set; }

        /// <summary>SHA-256 (hex) of the file's first <see cref="FingerprintLength"/> bytes: tells a rotated or replaced file.</summary>
        public string Fingerprint { get; set; } = "";

        /// <summary>
        /// SHA-256 (hex) of the <see cref="FingerprintLength"/> bytes just before <see cref="Offset"/>, taken at every
        /// commit. The head <see cref="Fingerprint"/> alone covers only a header when that is 4 KB or longer (PerfMon and
        /// relog exports with hundreds of counters), so every file with that header looked like this one; with the bytes
        /// before the offset, a file continues this entry only when it holds the same bytes where reading stopped.
        /// Null in states written before it existed (format 2 without it): such an entry is trusted on its head
        /// fingerprint (and the line break before its offset) as before, and gets this at its next commit. Not a new
        /// format version: older versions of the module ignore it (and drop it when they write the state, so it is never
        /// left stale), so a state stays readable both ways.
        /// </summary>
        public string? TailFingerprint { get; set; }

        public DateTime UpdatedUtc { get; set; }

        internal ScoringFileState Copy() => (ScoringFileState)MemberwiseClone();
    }
}
