using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Adapters;

namespace AutoencoderPS.Commands
{
    // Sliding-window models: their options, their members on scored rows, and the time order of their files. The
    // engine's ScoringPipeline windows, scores and judges the rows (causal: a row gets the window that ends at it).
    public sealed partial class TestAnomalyCommand
    {
        /// <summary>
        /// Verdicts of a time-series (sliding-window) model: Auto (the default) calibrates the error as an anomaly
        /// likelihood against the recent errors of the row's own group; None keeps the model's threshold on the raw error.
        /// </summary>
        [Parameter]
        public ScoreCalibration Calibration { get; set; } = ScoreCalibration.Auto;

        /// <summary>
        /// With a calibration: the likelihood (0-1) at and above which a row is an anomaly. Not named: 0.99 for rows 5
        /// minutes apart or more, the same share of a day's rows for finer ones (AnomalyLikelihood.ThresholdFor).
        /// </summary>
        [Parameter]
        [ValidateRange(0.5, 0.999999999)]
        public double ProbabilityThreshold { get; set; } = AnomalyLikelihood.DefaultThreshold;

        /// <summary>
        /// Time-series models: how long a group must stay without an anomaly before its next anomaly raises a new alert
        /// (IsAlert): a number of rows (48) or a time span on the model's time property (01:00:00, 30m, 4h, 2d). Not named:
        /// 48 rows, at most 4 hours of the model's rows, at least a window (Engine.Scoring.AlertCooldown.For).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public AlertCooldown AlertCooldown { get; set; } = AlertCooldown.Default;

        // The verdict options are declared here and on Invoke-AnomalyScoring (a cmdlet has one base class); their check is shared.
        private void CheckStreamOptions()
        {
            var refused = RefusedVerdictOptions(Model, Calibration, AlertCooldown);
            if (refused != null) ThrowTerminatingError(refused);
        }

        private void AnnotateWindowed(PSObject row, RowScore? score, FeatureSchema schema, IReadOnlyList<string>? imputed, WindowStatus status)
        {
            if (score != null)
            {
                // Scored: the same members as a row model's (verdict notes, explanation members from the type), plus the status.
                ScoredRowMembers.Annotate(row, new ScoredRowState(score, imputed, schema, TopFeatureCount, InputCulture), ScoredRowTypeName, verdictNotes: true);
                ScoredRowMembers.SetNote(row, ScoreColumns.Probability, score.Probability);
                ScoredRowMembers.SetNote(row, ScoreColumns.IsAlert, score.IsAlert);
                ScoredRowMembers.SetNote(row, ScoreColumns.Status, ScoreColumns.StatusText(WindowStatus.Scored));
                return;
            }
            ScoredRowMembers.AnnotateWarmingUp(row, imputed?.ToArray() ?? Array.Empty<string>(), ScoredRowTypeName);
            ScoredRowMembers.SetNote(row, ScoreColumns.Probability, null);
            ScoredRowMembers.SetNote(row, ScoreColumns.IsAlert, false);
            ScoredRowMembers.SetNote(row, ScoreColumns.Status, ScoreColumns.StatusText(status));
        }

        // A file of a model with a time property is scored in time order within each group. A first pass reads only
        // to check the order: a file already in order is then streamed (nothing held in memory); one that is not is
        // read whole and sorted within its groups (memory grows with the file).
        private IEnumerable<CsvRecord> ReadFile(string file, CsvInputOptions options)
        {
            if (!Model.Settings.IsWindowed || Model.Settings.TimeProperty == null) return CsvSource.Read(file, options, WriteWarning);
            // Local times that step back half an hour to an hour may be the hour repeated when clocks go back: read on (the
            // file is read whole to be sorted anyway) until its group goes past where it stepped back from.
            var check = SlidingWindow.OrderCheck.Read(CsvSource.Read(file, options).Select(KeyOrNull), () => Stopping);
            if (check.InOrder)
            {
                if (check.Undecided) WarnRepeatedHour($"'{file}': {SlidingWindow.UndecidedRepeatedHour}");
                return CsvSource.Read(file, options, WriteWarning);
            }
            // Sorting interleaves the two passes of a repeated hour (rows of both half a sample apart), which the windows
            // read as a jumble: said.
            if (check.RepeatsAnHour)
                WarnRepeatedHour(check.InterleavedWarning($"'{file}'"));
            else
                WriteVerbose($"'{file}' is not in time order within its groups: reading it whole to sort it by '{Model.Settings.TimeProperty}'.");
            var sorted = SlidingWindow.SortWithinGroups(CsvSource.Read(file, options, WriteWarning).ToList(), KeyOrNull, out bool undecided);
            if (undecided) WarnRepeatedHour($"'{file}': {SlidingWindow.UndecidedRepeatedHour}");
            return sorted;
        }

        // The files of this call whose rows were read, in order. Each file is sorted on its own and read after the ones
        // before it, so a row of a later file older than their rows of its group is late: the advice to a stream (sort
        // it, or score the file with -Path) would send the user back to what they did.
        private readonly List<string> filesBefore = new List<string>();

        private void AdviseOnLateRows(string file)
        {
            if (pipeline.Series is { } series && filesBefore.Count > 0)
            {
                string where = filesBefore.Count == 1 ? $"'{filesBefore[0]}', read before it"
                    : $"a file read before it ({string.Join(", ", filesBefore.Take(3).Select(f => $"'{f}'"))}{(filesBefore.Count > 3 ? ", ..." : "")})";
                series.Windows.LateRowAdvice = $"It is older than the rows of its group in {where}: -Path reads its files one after another, " +
                    "each sorted on its own. Give the files oldest first, or join them into one file.";
            }
            filesBefore.Add(file);
        }

        // A repeated local hour read without a zone: its two passes' rows share their clock times, which is the cause the
        // warning gives; the end of the call's warning on rows that repeat a time (another cause) is then not said.
        private bool repeatedHourWarned;

        private void WarnRepeatedHour(string warning)
        {
            repeatedHourWarned = true;
            WriteWarning(warning);
        }

        private WindowKey? KeyOrNull(IRecord record)
        {
            try
            {
                return SlidingWindow.ReadKey(record, Model.Settings, Model.Schema!, InputCulture);
            }
            catch (FeatureValueException)
            {
                return null;
            }
        }
    }
}
