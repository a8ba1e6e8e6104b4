using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    // A time-series model's new rows of a file in time order within their groups. Test-Anomaly -Path sorts a file that
    // needs it; the job took the rows as they came, so a newest-first export (Splunk's default) or a shuffled one had
    // every row but a few refused as older than the row before it (RowOutOfOrder), and committed: lost for good. Now the
    // rows a run reads from a file (those after its offset) are taken as -Path takes a file: checked first, streamed when
    // in order, read whole and sorted within their groups when not. Rows older than what earlier runs scored for their
    // group are still refused (a late backlog), and the state is committed only once every row is taken.
    public sealed partial class IncrementalScoringJob
    {
        // A file's new rows, read whole and put in the order to take them: each group's rows in time order in the places
        // the group's rows had (SlidingWindow.SortWithinGroups), rows without a readable time and blank lines where they
        // were.
        private sealed class TimeOrderedRows
        {
            public List<ScannedCsvRecord> Rows { get; } = new List<ScannedCsvRecord>();

            /// <summary>The last row in the file: the file's offset goes after it once every row is taken.</summary>
            public ScannedCsvRecord? Last { get; set; }

            /// <summary>A finished last line without a line break (<see cref="ScoringFileState.EndsInOpenLine"/>).</summary>
            public ScannedCsvRecord? OpenLast { get; set; }
        }

        // Whether the rows after the file's offset need putting in time order, read as far as that can be told
        // (SlidingWindow.OrderCheck.Read: to the first row out of order), as Test-Anomaly -Path tells it of a file; a last
        // line still being written counts too. A step back of half an hour to an hour whose group then goes past where it
        // stepped back from (OrderCheck.RepeatsAnHour) may be a local hour written twice, read without a zone, or rows
        // shuffled: the rest of the rows tell. Rows in order but for one such step back per group are that hour, and are
        // not sorted: sorted, its two passes would be interleaved and scored as one jumble, unattended; its second pass is
        // refused with the hint to give the model its zone, as before (DaylightSavingTests). -Path sorts them, with a warning.
        private bool NeedsTimeOrder(FilePlan plan, bool skipFirst)
        {
            var check = SlidingWindow.OrderCheck.Read(Keys(plan, skipFirst), () => observer.StopRequested);
            if (check.InOrder) return false;
            if (!check.RepeatsAnHour) return true;
            var last = new Dictionary<string, DateTime>(StringComparer.Ordinal);
            var steppedBack = new HashSet<string>(StringComparer.Ordinal);
            foreach (var key in Keys(plan, skipFirst))
            {
                if (key is not { Time: DateTime time } k) continue;
                if (last.TryGetValue(k.Group, out var previous) && time < previous && !steppedBack.Add(k.Group)) return true;
                last[k.Group] = time;
            }
            return false;
        }

        // The keys of the rows after the file's offset, a last line still being written included (KeyOrNull). A read error
        // (or a record past the scanner's bounds) ends them: it is met again, and reported, when the rows are scored.
        private IEnumerable<WindowKey?> Keys(FilePlan plan, bool skipFirst)
        {
            var entry = plan.Entry!;
            var scanner = new CsvRecordScanner(plan.Handle, entry.Offset, plan.Length, entry.Lines + 1, encoding, options.Csv.EffectiveDelimiter, file: plan.Path)
            {
                EndEndsRecord = true,
            };
            using var records = scanner.Records().GetEnumerator();
            for (bool first = true; ; first = false)
            {
                bool more;
                try { more = records.MoveNext(); }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) { more = false; }
                if (!more) yield break;
                if (first && skipFirst) continue;
                yield return KeyOrNull(plan, records.Current);
            }
        }

        // The rows after the file's offset, read whole (memory grows with them, as with a -Path file that needs sorting) and
        // put in time order within their groups. A read error ends the reading, as it ends the scoring of rows in order: the
        // rows before it are scored and committed, the file fails, and the next run goes on from there.
        private TimeOrderedRows ReadInTimeOrder(FilePlan plan, Batch batch, CsvRecordScanner scanner, bool skipRestOfLine, ref Exception? readError, ref bool stopped)
        {
            observer.Verbose($"'{plan.Path}': its new rows are not in time order within their groups: reading them whole to sort them by '{model.Settings.TimeProperty}'.");
            var result = new TimeOrderedRows();
            ScannedCsvRecord? restOfLine = null;
            var rows = new List<ScannedCsvRecord>();
            try
            {
                foreach (var record in scanner.Records())
                {
                    if (observer.StopRequested) { stopped = true; break; }
                    // The rest of a line scored before as finished: skipped first, in its place.
                    if (skipRestOfLine && restOfLine == null && rows.Count == 0) restOfLine = record;
                    else rows.Add(record);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException)
            {
                readError = e;
            }
            if (!stopped && readError == null)
            {
                WarnIfInsideQuotes(plan, scanner);
                if (!(scanner.PendingInQuotes && scanner.PendingLineBreaks > 0) && !(skipRestOfLine && restOfLine == null) && scanner.Position < plan.Length)
                {
                    try
                    {
                        if (FinishedLastLine(plan, batch, scanner) is { } last) rows.Add(result.OpenLast = last);
                        else if (LastLineWaitsForRows(plan, scanner, rows))
                        {
                            observer.Verbose($"'{plan.Path}': its last line (line {scanner.NextLine}), still without a line break, is older than rows " +
                                "before it or not whole yet: the new rows wait with it, to be sorted together once it is finished.");
                            return new TimeOrderedRows();
                        }
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) { readError = e; }
                }
            }
            UnderOneHeader(plan, rows, result);
            result.Last = rows.Count > 0 ? rows[^1] : restOfLine;
            if (restOfLine != null) result.Rows.Add(restOfLine);
            result.Rows.AddRange(SlidingWindow.SortWithinGroups(rows, row => KeyOrNull(plan, row), out bool undecided));
            if (undecided) observer.Warning($"'{plan.Path}': {SlidingWindow.UndecidedRepeatedHour}");
            return result;
        }

        // Rows sorted together are rows of one header: the rows from a header again in another layout (files joined into
        // one) on are left for the next run, which takes that header first (TakeHeaderAtOffset) and reads them by it.
        private void UnderOneHeader(FilePlan plan, List<ScannedCsvRecord> rows, TimeOrderedRows result)
        {
            int next = rows.FindIndex(r => !r.IsBlank && RepeatedHeader.Classify(plan.Header!, r.Fields!) == HeaderRepeat.Other);
            if (next < 0) return;
            observer.Verbose($"'{plan.Path}': the header is there again on line {rows[next].Line} in another layout; the rows from there on are read by it in the next run.");
            if (result.OpenLast != null && rows.IndexOf(result.OpenLast) >= next) result.OpenLast = null;
            rows.RemoveRange(next, rows.Count - next);
        }

        // Whether the rows taken in time order wait for a last line that is still being written (no line break yet, the file
        // written within ScoringState.LastLineFinishedAfter): when it is older than a row of its group before it (the oldest
        // row of a newest-first export written without a final line break), or not yet whole. Taken later, after the rows
        // before it, it would be refused as older than rows scored, for good, and the file would fail (RowsOutOfOrder). A
        // whole last line no older than its group's rows (rows written in order, each after a line break) does not hold
        // them back, so a file that is never quiet is still scored.
        private bool LastLineWaitsForRows(FilePlan plan, CsvRecordScanner scanner, List<ScannedCsvRecord> rows)
        {
            long start = scanner.Position, length = plan.Length - start;
            if (scanner.PendingInQuotes || length > CsvRecordScanner.DefaultMaxRecordBytes ||
                DateTime.UtcNow - plan.LastWriteUtc >= ScoringState.LastLineFinishedAfter)
                return false;
            if (ScoringState.ReadAt(plan.Handle, start, (int)length).AsSpan().IndexOfAnyExcept((byte)' ', (byte)'\t') < 0) return false;
            var pending = new CsvRecordScanner(plan.Handle, start, plan.Length, scanner.NextLine, encoding, options.Csv.EffectiveDelimiter, file: plan.Path)
            {
                EndEndsRecord = true,
            }.Records().FirstOrDefault();
            if (pending?.Fields is not { } fields || fields.Length != plan.Header!.Names.Count) return true;
            if (KeyOrNull(plan, pending) is not { Time: DateTime time } key) return false;
            foreach (var row in rows)
                if (KeyOrNull(plan, row) is { Time: DateTime other } k && other > time && string.Equals(k.Group, key.Group, StringComparison.Ordinal))
                    return true;
            return false;
        }

        // A row's group and time as the pipeline reads them; null for a blank line or a row whose time or group can't be
        // read (it is refused when it is scored).
        private WindowKey? KeyOrNull(FilePlan plan, ScannedCsvRecord row)
        {
            if (row.IsBlank) return null;
            try
            {
                return SlidingWindow.ReadKey(new CsvRecord(plan.Header!, row.Fields!, plan.Path, row.Line), model.Settings, schema, options.Csv.Culture);
            }
            catch (FeatureValueException)
            {
                return null;
            }
        }
    }
}
