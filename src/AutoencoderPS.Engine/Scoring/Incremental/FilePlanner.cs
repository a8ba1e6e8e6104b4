using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Win32.SafeHandles;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>One input file of a run: its open handle, its length when the run looked, and the state entry it continues.</summary>
    internal sealed class FilePlan
    {
        public FilePlan(string path, SafeFileHandle handle, long length, DateTime lastWriteUtc)
        {
            Path = path;
            Handle = handle;
            Length = length;
            LastWriteUtc = lastWriteUtc;
            Head = ScoringState.ReadAt(handle, 0, ScoringState.FingerprintLength(length));
        }

        /// <summary>
        /// The file's first bytes (up to <see cref="ScoringState.FingerprintBytes"/>) when the run opened it: the head
        /// fingerprint is taken from these, and a file whose first bytes are other ones at a commit was rewritten during
        /// the run (see IncrementalScoringJob.Commit).
        /// </summary>
        public byte[] Head { get; }

        public string Path { get; }
        public SafeFileHandle Handle { get; }

        /// <summary>The file's length when the run looked: rows appended later wait for the next run.</summary>
        public long Length { get; }

        /// <summary>The file's last write time when the run opened it (of the open file, not of whatever its path names later).</summary>
        public DateTime LastWriteUtc { get; }

        public ScoringFileState? Entry { get; set; }
        public bool Matched { get; set; }

        /// <summary>
        /// A file read on from its entry with no byte after it: nothing to score. Its header is not checked against the
        /// model's columns (a model retrained with a new or renamed column must not fail the exports scored to their end
        /// before it, run after run), and it adds no column to a new output.
        /// </summary>
        public bool NothingNew => Matched && Entry != null && Length <= Entry.Offset;
        public CsvHeader? Header { get; set; }
        public bool Usable { get; set; }

        /// <summary>
        /// A time-series model's file: the time of the first row it has to score (null when it has none, or no readable
        /// time in its next rows). Files are scored in order of it (<see cref="FilePlanner.ScoringOrder"/>).
        /// </summary>
        public DateTime? FirstRowTime { get; set; }

        /// <summary>Rows of the file the run rejected as older than rows already scored for their group (RowOutOfOrder).</summary>
        public RefusedTimes OutOfOrder { get; } = new RefusedTimes();

        /// <summary>Rows of the file the run rejected as dated ahead of the clock (RowDatedAhead).</summary>
        public RefusedTimes DatedAhead { get; } = new RefusedTimes();

        /// <summary>Rows of the file the run skipped as sent again: of times their groups scored before (RowAlreadyScored).</summary>
        public RefusedTimes Repeated { get; } = new RefusedTimes();

        /// <summary>Rows of the file the run rejected for bytes that are not UTF-8 (InputNotUtf8), and the line of the first.</summary>
        public (long Rows, long FirstLine) NotUtf8;

        /// <summary>Rows of the file the run took other than <see cref="Repeated"/> ones: scored, or rejected.</summary>
        public long NewRows { get; set; }

        /// <summary>
        /// The file replaced one scored before at its path (it does not hold the bytes scored): the warning that says so.
        /// The job says it once it has read the file's rows, quietly when some of them were scored before (an export
        /// that overlaps the last one, rewritten every run: IncrementalScoringJob.SayRepeated).
        /// </summary>
        public string? Replaced { get; set; }

        /// <summary>Whether the run has warned about the file's columns the output leaves out (once per file).</summary>
        public bool WarnedColumns { get; set; }

        /// <summary>
        /// A file whose rows failed <see cref="Features.FailedRowRun.MaxInARow"/> in a row: where that run began and its
        /// likely cause (a file none of whose rows can be read is taken back instead, IncrementalScoringJob.ScoreFile); its later unread rows are counted (<see cref="UnreadAfterRun"/>), not reported one by one.
        /// </summary>
        public string? UnreadRun { get; set; }

        /// <summary>Rows the file failed to read after <see cref="UnreadRun"/>.</summary>
        public long UnreadAfterRun { get; set; }
    }

    /// <summary>Rows of a file refused for their time: how many, and the first and last of their times.</summary>
    public sealed class RefusedTimes
    {
        public long Count { get; private set; }

        public (DateTime First, DateTime Last)? Times { get; private set; }

        /// <summary>Out of order: the largest step back of a row behind its group's last one, and whether its times are in UTC.</summary>
        public TimeSpan? StepBack { get; private set; }
        public bool InUtc { get; private set; }

        public void Add(DateTime? time, TimeSpan? stepBack = null)
        {
            Count++;
            if (stepBack is TimeSpan back && !(StepBack >= back)) StepBack = back;
            if (time is DateTime utc && utc.Kind == DateTimeKind.Utc) InUtc = true;
            if (time is DateTime t)
                Times = Times is { } seen ? (t < seen.First ? t : seen.First, t > seen.Last ? t : seen.Last) : (t, t);
        }

        /// <summary>", from first to last" (empty without times).</summary>
        public string Span => Times is { } t ? $", from {Features.Windows.WindowAssembler.Format(t.First)} to {Features.Windows.WindowAssembler.Format(t.Last)}" : "";
    }

    /// <summary>
    /// Decides where each input file of a run continues: a file continues its own state entry when it has the same path (the path it leads to, links followed),
    /// is at least as long and holds the same bytes up to the entry's offset (its first bytes and those just before the
    /// offset, see <see cref="Continues"/>); a file renamed by log rotation (app.log -> app.log.1) continues the entry whose
    /// file is gone or replaced when it holds that entry's bytes the same way; any other file is new and is scored from its
    /// start. Entries of replaced files are dropped, with a warning, and those of files gone for a month are forgotten.
    /// It also decides the order in which the run scores the files: older rows first (see <see cref="ScoringOrder"/>).
    /// </summary>
    internal sealed class FilePlanner
    {
        private readonly ScoringState state;
        private readonly IScoringObserver observer;
        private readonly StringComparison comparison;
        private readonly StringComparer comparer;

        public FilePlanner(ScoringState state, IScoringObserver observer, StringComparison comparison)
        {
            this.state = state;
            this.observer = observer;
            this.comparison = comparison;
            comparer = comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        }

        /// <summary>
        /// Opens <paramref name="files"/> (but not the run's <paramref name="own"/> files)
        /// and matches each with the state entry it continues; a file that can't be opened, or is not a regular file (a FIFO, a device, a link to one), goes to <paramref name="fail"/>.
        /// Each file is planned once, under the path its names lead to, links followed (<see cref="NamesByFile"/>); so are
        /// the <paramref name="own"/> files compared. The files come back in order of that path; the caller puts them in the order to score them
        /// (<see cref="ScoringOrder"/>) once it has read what that needs (a new file's first row).
        /// </summary>
        public (List<FilePlan> Files, int Considered) Plan(IReadOnlyList<string> files, IEnumerable<string> own, Action<string, Exception> fail)
        {
            var ownPaths = new HashSet<string>(own.Select(SafeFile.RealPath), comparer);
            int considered = 0;
            var names = NamesByFile(files);
            var paths = names.Keys.OrderBy(p => p, StringComparer.Ordinal).ToList();
            var plans = new List<FilePlan>();
            foreach (var path in paths)
            {
                if (ownPaths.Contains(path))
                {
                    observer.Verbose($"Skipping '{path}': it is this run's own output, state, lock or model file.");
                    continue;
                }
                considered++;
                // Refused under the name it was given: "'zero.csv' is a symbolic link to a character device", not "'/dev/zero' is ...".
                string given = names[path][0];
                try
                {
                    // A FIFO would block the open (and the run, holding the lock) until something writes to it; a device
                    // such as /dev/zero never ends: a failed input, as one that can't be opened.
                    CsvSource.RequireRegularFile(given);
                    var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    plans.Add(new FilePlan(path, handle, RandomAccess.GetLength(handle), File.GetLastWriteTimeUtc(handle)));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException)
                {
                    fail(given, e);
                }
            }

            // 1. Files that continue their own entry: same path, at least as long, same bytes up to the offset (Continues).
            var used = new HashSet<ScoringFileState>();
            foreach (var plan in plans)
            {
                var entry = state.Find(plan.Path, comparison);
                if (entry != null && Continues(plan, entry))
                {
                    plan.Entry = entry;
                    plan.Matched = true;
                    used.Add(entry);
                }
            }
            // 2. The others: a file renamed by log rotation (app.log -> app.log.1) continues the entry whose file is gone or
            // replaced, when it holds that entry's bytes up to its offset (Continues); otherwise it is new and scored from its start.
            var current = new HashSet<string>(plans.Select(p => p.Path), comparer);
            var unmatched = new HashSet<string>(plans.Where(p => !p.Matched).Select(p => p.Path), comparer);
            var original = state.Files.ToList();
            foreach (var plan in plans.Where(p => !p.Matched))
            {
                var previous = original.FirstOrDefault(e => string.Equals(e.Path, plan.Path, comparison));
                var moved = original
                    .Where(e => !used.Contains(e) && (!current.Contains(e.Path) || unmatched.Contains(e.Path)))
                    .Where(e => Continues(plan, e))
                    .OrderByDescending(e => e.Offset)
                    .FirstOrDefault();
                if (previous != null)
                {
                    state.Files.Remove(previous);
                    // A file renamed onto this path (app.csv.1 -> app.csv.2 in a rotation) goes on from its own entry: said below.
                    if (moved == null)
                        plan.Replaced = (plan.Length < previous.Offset
                            ? $"File '{plan.Path}' is shorter ({plan.Length:N0} bytes) than the {previous.Offset:N0} bytes already scored: it was replaced or truncated. Scoring it from the start."
                            : $"File '{plan.Path}' does not hold the bytes scored before: it was rotated or replaced. Scoring it from the start.");
                }
                if (moved != null)
                {
                    used.Add(moved);
                    var adopted = moved.Copy();
                    adopted.Path = plan.Path;
                    // The entry moves with its file; an entry whose path now holds a new file is replaced by that file's own.
                    state.Files.Remove(moved);
                    state.Files.Add(adopted);
                    plan.Entry = adopted;
                    plan.Matched = true;
                    observer.Verbose(names[plan.Path].Contains(moved.Path)
                        ? $"File '{plan.Path}' was kept under the name '{moved.Path}', a link to it: it goes on at byte {moved.Offset:N0}, under its own path."
                        : $"File '{plan.Path}' is '{moved.Path}' renamed (same bytes up to there): continuing at byte {moved.Offset:N0}.");
                }
            }
            // An entry under a link's name (kept by a version that knew inputs by the names given) that no file of the run
            // went on from: the file the link leads to now has, or gets, its own entry, and the link's would only ever
            // match the file it led to before.
            var links = new HashSet<string>(names.SelectMany(n => n.Value).Where(n => !current.Contains(n)), comparer);
            foreach (var link in state.Files.Where(e => links.Contains(e.Path)).ToList())
            {
                state.Files.Remove(link);
                observer.Verbose($"Forgetting the entry of '{link.Path}': it is a link, and the job keeps each file under the path it leads to.");
            }
            // 3. Entries of files gone for good (not at their path, not an input of this run, nothing scored for
            // ScoringState.ForgetGoneFilesAfter) are forgotten; not when their folder is not there either (a share offline,
            // a drive not mapped in this session): the files may well be there when it is back.
            var forgetBefore = DateTime.UtcNow - ScoringState.ForgetGoneFilesAfter;
            foreach (var gone in state.Files.Where(e => !current.Contains(e.Path) && e.UpdatedUtc < forgetBefore && !File.Exists(e.Path) &&
                         Path.GetDirectoryName(e.Path) is string folder && Directory.Exists(folder)).ToList())
            {
                state.Files.Remove(gone);
                observer.Verbose($"Forgetting '{gone.Path}': it is gone, and nothing was scored from it since {gone.UpdatedUtc:u}.");
            }
            return (plans, considered);
        }

        /// <summary>
        /// The run's files, each once, by the file its names lead to (<see cref="SafeFile.RealPath"/>), with the names
        /// given for it (full paths). latest.csv, a link to export-day1.csv, and export-day1.csv are one file, read once
        /// and kept in the state under export-day1.csv: when the link is pointed at the next day's file, that file is
        /// new, and export-day1.csv goes on from its own entry; a link's entry would have been "replaced" and the
        /// day's rows scored again. Said with -Verbose.
        /// </summary>
        private Dictionary<string, List<string>> NamesByFile(IReadOnlyList<string> files)
        {
            var names = new Dictionary<string, List<string>>(comparer);
            foreach (var file in files)
            {
                string full = Path.GetFullPath(file);
                string real = SafeFile.RealPath(full);
                if (!names.TryGetValue(real, out var given)) names[real] = given = new List<string>();
                if (!given.Contains(full, comparer)) given.Add(full);
            }
            foreach (var (real, given) in names)
            {
                var others = given.Where(n => !string.Equals(n, real, comparison)).ToList();
                if (given.Count > 1)
                    observer.Verbose($"{string.Join(" and ", given.Select(n => $"'{n}'"))} are one file, '{real}': it is read once.");
                else if (others.Count > 0)
                    observer.Verbose($"'{others[0]}' leads to '{real}' (through a link): the file is read, and kept in the state, under that path.");
            }
            return names;
        }

        /// <summary>
        /// The order a run scores its files in: older rows first. A time-series model takes a group's rows only in time
        /// order (an earlier row is rejected as RowOutOfOrder, and committed: it is never tried again), and one run feeds
        /// all its files through one pipeline, so a file's rows must not come after later rows of another file.
        /// <list type="number">
        /// <item>A time-series model's files by the time of the first row each has to score (<see cref="FilePlan.FirstRowTime"/>),
        /// older first; of two at the same time, the one that goes on from an earlier run first. The rows' own times hold
        /// whatever the files' names and last write times say: after a log rotation the rest of app.csv.1 comes before the
        /// new app.csv, and a backlog copied in without its times (downloads in parallel, copies that don't keep them) goes
        /// in the order of its rows, also when an earlier run saw its files while they held only a header.</item>
        /// <item>Then the files without such a time (all files of a row model; a time-series model's files with nothing to
        /// score, or no readable time in their next rows, which are rejected anyway): those that go on from an earlier
        /// run (<see cref="FilePlan.Matched"/>) first, as what is left of them follows right on rows already scored; then
        /// by last write time, older first. Row models score each row alone: for them the order only decides where rows
        /// land in the output.</item>
        /// <item>Ties by full path (ordinal), so the order does not depend on the order the files were given in.</item>
        /// </list>
        /// </summary>
        internal static List<FilePlan> ScoringOrder(IEnumerable<FilePlan> plans) => plans
            .OrderBy(p => p.FirstRowTime == null ? 1 : 0)
            .ThenBy(p => p.FirstRowTime ?? default)
            .ThenBy(p => p.Matched ? 0 : 1)
            .ThenBy(p => p.LastWriteUtc)
            .ThenBy(p => p.Path, StringComparer.Ordinal)
            .ToList();

        // Whether the file holds the entry's bytes up to its offset, as far as fingerprints tell: the first bytes (the head
        // fingerprint) and the last ones before the offset (the tail fingerprint). The head alone is not enough: when a
        // header is 4 KB or longer it covers only the header, and any file with that header, long enough, would continue
        // the entry mid-record (a new app.csv after rotation taken for the old one, and app.csv.1 then scored again from its
        // start). The tail covers the bytes where reading resumes, whatever the header's length; with the head, both ends
        // of what was scored. An offset is always just after a line break (a record's end: LF, CRLF or a lone CR; see
        // ScannedCsvRecord.End), so the byte before it must be one: that is implied by the tail where there is one, and is
        // the one check beyond the head for an entry of an older state without a tail (trusted on its head as before).
        // The one offset that is not after a line break is the end of a finished last line (EndsInOpenLine).
        internal static bool Continues(FilePlan plan, ScoringFileState entry)
        {
            if (plan.Length < entry.Offset || entry.FingerprintLength != ScoringState.FingerprintLength(entry.Offset)) return false;
            // The head from the bytes read when the run opened the file (it is at least as long as the entry's offset).
            if (plan.Head.Length < entry.FingerprintLength ||
                !string.Equals(ScoringState.Fingerprint(plan.Head.AsSpan(0, entry.FingerprintLength)), entry.Fingerprint, StringComparison.OrdinalIgnoreCase))
                return false;
            if (entry.Offset > 0 && entry.EndsInOpenLine != true && !ScoringState.IsLineBreakAt(plan.Handle, entry.Offset - 1)) return false;
            return entry.TailFingerprint == null
                || string.Equals(ScoringState.TailFingerprint(plan.Handle, entry.Offset), entry.TailFingerprint, StringComparison.OrdinalIgnoreCase);
        }
    }
}
