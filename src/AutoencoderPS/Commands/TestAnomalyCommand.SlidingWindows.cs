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
        private long warmingUp;

        private void AcceptWindowed(IRecord record, long row, double[] features, List<string> imputed)
        {
            assembler ??= new WindowAssembler(Model.WindowSize, Schema.Width, Model.MaxGapFor);
            WindowStep step;
            try
            {
                var key = SlidingWindow.ReadKey(record, Model.Settings, InputCulture);
                step = assembler.Push(key, features, Model.Settings.TimeProperty ?? "time");
            }
            catch (FeatureValueException e)
            {
                // An out-of-order or timeless row is refused; the window of its group stays as it was.
                WriteError(RowError(e, record, row));
                return;
            }
            windowRecords.Add(record);
            windowInputs.Add(step.Window);
            windowImputed.Add(imputed.Count > 0 ? imputed : null);
            if (windowRecords.Count >= BatchSize) FlushWindowed();
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
                        scored++;
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
                ScoredRowMembers.SetNote(row, ScoredCsvWriter.StatusColumn, nameof(WindowStatus.Scored));
                return;
            }
            ScoredRowMembers.AnnotateWarmingUp(row, imputed?.ToArray() ?? Array.Empty<string>(), ScoredRowTypeName);
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
