namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>How the job reads its inputs' text: their encoding (kept in the state), and Excel's "sep=X" first line.</summary>
    public sealed partial class IncrementalScoringJob
    {
        /// <summary>
        /// Keeps the input's encoding in the state, and says when a run reads the inputs in another one than the runs
        /// before. The output does not change (it is UTF-8, its rows read back alike), and each file goes on from where it
        /// was: the rows scored before stay as they were read, and the rows rejected as not UTF-8 (InputNotUtf8), which a
        /// run with the right -Encoding would read, are not read again (the job reads each row once). Said once, on the
        /// run that changes it: that is what an operator who follows the rejection's advice sees next.
        /// </summary>
        private void KeepInputEncoding(bool started)
        {
            string now = encoding.WebName;
            string before = state.Output.InputEncoding ?? "utf-8";
            state.Output.InputEncoding = now;
            if (started || string.Equals(before, now, System.StringComparison.OrdinalIgnoreCase)) return;
            observer.Warning(
                $"The input files are read as {now} in this run and were read as {before} in the runs before (state '{statePath}'): " +
                "each file goes on from where it was, so its rows scored before stay as they were read, and the rows rejected before " +
                "(InputNotUtf8: bytes not UTF-8) are not read again. To score those, start anew: another -OutputPath (and state).");
        }

        private static void CountNotUtf8(FilePlan plan, Features.FeatureValueException rejected, long line)
        {
            if (rejected.ErrorId != ErrorIds.InputNotUtf8) return;
            if (plan.NotUtf8.Rows++ == 0) plan.NotUtf8.FirstLine = line;
        }

        // Rows rejected for bytes that are not UTF-8 are lost for good (a row is not tried again) and their file is in
        // another encoding than the job reads: the file counts as failed (exit code 2, or 4 beside anomalies), with one
        // error that says so, as a late backlog's does (SayOutOfOrder). A run that found no anomaly in the other rows
        // then does not exit 0 while a third of a site's rows went unscored.
        private void SayNotUtf8(FilePlan plan)
        {
            if (plan.NotUtf8.Rows == 0) return;
            Fail(plan.Path, new AutoencoderException(ErrorIds.InputNotUtf8,
                $"{plan.NotUtf8.Rows:N0} row(s) of '{plan.Path}', from line {plan.NotUtf8.FirstLine} on, hold bytes that are not UTF-8 (reported above), " +
                $"so they were skipped and are not tried again: the file is in another encoding than {encoding.WebName}, most likely a Windows code " +
                "page (Excel's 'CSV (Comma delimited)'). Give -Encoding 1252 (or the export's code page) to Invoke-AnomalyScoring or " +
                "Register-AnomalyScoringTask; to score the rows skipped, start anew with another -OutputPath."));
        }

        // Excel's "sep=X" first line: skipped when it names the job's delimiter; another one fails the file (the job reads
        // every file, and writes its output, with one delimiter: such files need a run, and an output, of their own).
        private bool SepLine(FilePlan plan)
        {
            if (Csv.CsvSource.SepLineDelimiter(plan.Path) is not char sep) return false;
            string delimiter = options.Csv.EffectiveDelimiter;
            if (sep.ToString() != delimiter)
                throw Csv.CsvSource.SepLineConflict(plan.Path, sep, delimiter, string.IsNullOrEmpty(options.Csv.Delimiter) ? "the job's delimiter (no -Delimiter: the culture's)" : "-Delimiter");
            return true;
        }
    }
}
