using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Adapters;

namespace AutoencoderPS.Commands
{
    // Sliding-window models: the rows go through the engine's WindowAssembler one by one (causal: a row gets the
    // window that ends at it), and the full windows of a batch are scored in one forward pass.
    public sealed partial class TestAnomalyCommand
    {
        private WindowAssembler? assembler;
        private readonly List<IRecord> windowRecords = new List<IRecord>();
        private readonly List<double[]?> windowInputs = new List<double[]?>();
        private readonly List<List<string>?> windowImputed = new List<List<string>?>();
        private readonly List<WindowKey> windowKeys = new List<WindowKey>();
        private long warmingUp;
        private RowVerdicts? verdicts;

        /// <summary>
        /// Verdicts of a time-series (sliding-window) model: Auto (the default) calibrates the error as an anomaly
        /// likelihood against the recent errors of the row's own group; None keeps the model's threshold on the raw error.
        /// </summary>
        [Parameter]
        public ScoreCalibration Calibration { get; set; } = ScoreCalibration.Auto;

        /// <summary>With a calibration: the likelihood (0-1) at and above which a row is an anomaly.</summary>
        [Parameter]
        [ValidateRange(0.5, 0.999999999)]
        public double ProbabilityThreshold { get; set; } = AnomalyLikelihood.DefaultThreshold;

        /// <summary>
        /// Time-series models: how long a group must stay without an anomaly before its next anomaly raises a new alert
        /// (IsAlert): a number of rows (48) or a time span on the model's time property (01:00:00, 30m, 4h, 2d).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public AlertCooldown AlertCooldown { get; set; } = AlertCooldown.Default;

        private void CheckStreamOptions()
        {
            if (Model.Settings.IsWindowed) return;
            foreach (var name in new[] { nameof(Calibration), nameof(ProbabilityThreshold), nameof(AlertCooldown) })
            {
                if (!MyInvocation.BoundParameters.ContainsKey(name)) continue;
                if (name == nameof(Calibration) && Calibration != ScoreCalibration.Likelihood) continue;
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                    $"-{name} needs a time-series model (New-Autoencoder -WindowSize n -TimeProperty ...): calibration and alerts follow each group's rows in time order, and {Model} reads single rows."),
                    "StreamOptionNeedsWindowedModel", ErrorCategory.InvalidArgument, name));
            }
        }

        private void AcceptWindowed(IRecord record, long row, double[] features, List<string> imputed)
        {
            assembler ??= Model.NewAssembler();
            WindowStep step;
            WindowKey key;
            try
            {
                key = SlidingWindow.ReadKey(record, Model.Settings, InputCulture);
                step = assembler.Push(key, features, Model.Settings.TimeProperty ?? "time");
            }
            catch (FeatureValueException e)
            {
                // An out-of-order or timeless row is refused; the window of its group stays as it was.
                RowFailed(e, record, row);
                return;
            }
            windowRecords.Add(record);
            windowKeys.Add(key);
            windowInputs.Add(step.Window);
            windowImputed.Add(imputed.Count > 0 ? imputed : null);
            if (windowRecords.Count >= Model.RowsPerBatch(BatchSize)) FlushWindowed();
        }

        private void FlushWindowed()
        {
            if (windowRecords.Count == 0) return;
            try
            {
                var full = windowInputs.Where(w => w != null).Select(w => w!).ToArray();
                var scores = full.Length > 0 ? Model.ScoreWindows(full) : Array.Empty<RowScore>();
                var schema = Model.WindowSchema!;
                int next = 0;
                for (int i = 0; i < windowRecords.Count; i++)
                {
                    RowScore? score = windowInputs[i] != null ? scores[next++] : null;
                    if (score != null)
                    {
                        verdicts ??= new RowVerdicts(RowVerdicts.Calibrates(Calibration, Model.Settings), ProbabilityThreshold, AlertCooldown);
                        verdicts.Apply(score, windowKeys[i]);
                        scored++;
                        if (score.IsAlert) alerts++;
                        if (score.IsAnomaly) anomalies++;
                    }
                    else warmingUp++;
                    if (output != null && windowRecords[i] is CsvRecord csv)
                    {
                        if (score != null) output.Write(csv, score, windowImputed[i], schema);
                        else output.WriteWarmingUp(csv, windowImputed[i]);
                        continue;
                    }
                    var row = windowRecords[i] switch
                    {
                        PSObjectRecord p => p.Source,
                        CsvRecord c => ToPSObject(c),
                        _ => throw new InvalidOperationException("Unknown record type."),
                    };
                    AnnotateWindowed(row, score, schema, windowImputed[i]);
                    WriteObject(row);
                }
            }
            finally
            {
                windowRecords.Clear();
                windowKeys.Clear();
                windowInputs.Clear();
                windowImputed.Clear();
            }
        }

        private void AnnotateWindowed(PSObject row, RowScore? score, FeatureSchema schema, List<string>? imputed)
        {
            if (score != null)
            {
                // Scored: the same members as a row model's (verdict notes, explanation members from the type), plus the status.
                ScoredRowMembers.Annotate(row, new ScoredRowState(score, imputed, schema, TopFeatureCount, InputCulture), ScoredRowTypeName, verdictNotes: true);
                ScoredRowMembers.SetNote(row, ScoredCsvWriter.StreamColumns[0], score.Probability);
                ScoredRowMembers.SetNote(row, ScoredCsvWriter.StreamColumns[1], score.IsAlert);
                ScoredRowMembers.SetNote(row, ScoredCsvWriter.StatusColumn, nameof(WindowStatus.Scored));
                return;
            }
            ScoredRowMembers.AnnotateWarmingUp(row, imputed?.ToArray() ?? Array.Empty<string>(), ScoredRowTypeName);
            ScoredRowMembers.SetNote(row, ScoredCsvWriter.StreamColumns[0], null);
            ScoredRowMembers.SetNote(row, ScoredCsvWriter.StreamColumns[1], false);
            ScoredRowMembers.SetNote(row, ScoredCsvWriter.StatusColumn, nameof(WindowStatus.WarmingUp));
        }

        // A file of a model with a time property is scored in time order within each group. A first pass reads only
        // to check the order: a file already in order is then streamed (nothing held in memory); one that is not is
        // read whole and sorted within its groups (memory grows with the file).
        private IEnumerable<CsvRecord> ReadFile(string file, CsvInputOptions options)
        {
            if (!Model.Settings.IsWindowed || Model.Settings.TimeProperty == null) return CsvSource.Read(file, options);
            var check = new SlidingWindow.OrderCheck();
            foreach (var record in CsvSource.Read(file, options))
            {
                check.Add(KeyOrNull(record));
                if (!check.InOrder || Stopping) break;
            }
            if (check.InOrder) return CsvSource.Read(file, options);
            WriteVerbose($"'{file}' is not in time order within its groups: reading it whole to sort it by '{Model.Settings.TimeProperty}'.");
            return SlidingWindow.SortWithinGroups(CsvSource.Read(file, options).ToList(), KeyOrNull);
        }

        private WindowKey? KeyOrNull(IRecord record)
        {
            try
            {
                return SlidingWindow.ReadKey(record, Model.Settings, InputCulture);
            }
            catch (FeatureValueException)
            {
                return null;
            }
        }
    }
}
