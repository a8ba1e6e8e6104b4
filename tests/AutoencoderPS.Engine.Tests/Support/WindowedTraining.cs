using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// Trains a sliding-window model as Invoke-AutoencoderTraining does: the training set of <paramref name="features"/>
    /// (medians, filled-in values), then the window plan of the records' keys, of rows or, for a time-grid model, of
    /// cells (a cell made only of filled-in values is one).
    /// </summary>
    internal static class WindowedTraining
    {
        public static AutoencoderModel Train(ModelSettings settings, IReadOnlyList<TestRecord> records, string[] features, TrainingOptions options) =>
            Train(settings, records, new FeatureSchema(features), options);

        public static AutoencoderModel Train(ModelSettings settings, IReadOnlyList<TestRecord> records, FeatureSchema roles, TrainingOptions options)
        {
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            // A row with no measurement is not kept, nor its key (as the cmdlet does).
            var kept = records.Where(r => builder.Add(r)).ToList();
            var set = builder.Build();
            // In arrival order, each key with one time (a local time repeated when clocks go back), as the cmdlet keeps them.
            var arrival = new SlidingWindow.OrderCheck();
            var keys = kept.Select(r => arrival.Add(SlidingWindow.ReadKey(r, settings, builder.Roles, CultureInfo.InvariantCulture))!.Value).ToList();
            var model = new AutoencoderModel(settings);
            if (settings.TimeGrid)
            {
                var plan = SlidingWindow.PlanGrid(settings.WindowSize, keys, set.Rows, null, out var cells, imputed: set.Imputed, columns: set.Schema.Count);
                model.Train(set.Schema, cells, options, windows: plan, imputed: plan.CellsImputed);
            }
            else model.Train(set.Schema, set.Rows, options, windows: SlidingWindow.Plan(settings.WindowSize, keys, null), imputed: set.Imputed);
            return model;
        }
    }
}
