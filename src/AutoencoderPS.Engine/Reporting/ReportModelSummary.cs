using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>What an anomaly report says about the model that scored the rows (plain values, no network).</summary>
    public sealed class ReportModelSummary
    {
        /// <summary>The model's features, as "Name" or "Name (Role)".</summary>
        public IReadOnlyList<string> Features { get; init; } = Array.Empty<string>();

        /// <summary>
        /// The names the model's scores explain themselves by: its features, and for a sliding-window model each one at
        /// each step ("cpu (t-1)"). A row explained by another name was scored by another model.
        /// </summary>
        public IReadOnlyList<string> ExplainedFeatures { get; init; } = Array.Empty<string>();

        /// <summary>Layer widths, e.g. "5-8-4-8-5".</summary>
        public string Layers { get; init; } = "";

        public long? ParameterCount { get; init; }
        public string Activation { get; init; } = "";
        public string Loss { get; init; } = "";
        public string Scaling { get; init; } = "";
        public double Threshold { get; init; } = double.NaN;

        /// <summary>The threshold rule, e.g. "99.5th percentile of training errors".</summary>
        public string ThresholdRule { get; init; } = "";

        /// <summary>How the threshold was chosen (rule, rows, when).</summary>
        public string ThresholdSource { get; init; } = "";

        public int? TrainingRows { get; init; }

        /// <summary>Rows per window of a sliding-window model (then <see cref="TrainingRows"/> counts windows); 1 for a row model.</summary>
        public int WindowSize { get; init; } = 1;
        public int? Epochs { get; init; }
        public DateTime? TrainedUtc { get; init; }
        public int? Seed { get; init; }
        public string ModuleVersion { get; init; } = "";
        public string TorchSharpVersion { get; init; } = "";
        public string LibTorchVersion { get; init; } = "";

        /// <summary>The summary of a trained model; the versions are those of the running module and runtime.</summary>
        public static ReportModelSummary From(AutoencoderModel model)
        {
            if (model == null) throw new ArgumentNullException(nameof(model));
            if (!model.IsTrained)
                throw new AutoencoderException(ErrorIds.ModelNotTrained, "The model is not trained yet, so there is no threshold to report against.");
            return new ReportModelSummary
            {
                Features = model.FeatureColumns.Select(c => c.ToString()).ToArray(),
                ExplainedFeatures = model.Features.Concat(model.WindowSchema?.Names ?? Array.Empty<string>()).Distinct().ToArray(),
                Layers = model.Layers,
                ParameterCount = model.ParameterCount,
                Activation = model.Architecture == null ? "" : $"{model.Architecture.Activation}, output {model.Architecture.OutputActivation}",
                Loss = model.Loss.ToString(),
                Scaling = model.Scaling?.ToString() ?? "",
                Threshold = model.Threshold,
                ThresholdRule = model.ThresholdRule.ToString(),
                ThresholdSource = model.ThresholdSource,
                TrainingRows = model.Training?.Rows,
                WindowSize = model.WindowSize,
                Epochs = model.Training?.Epochs,
                TrainedUtc = model.Training?.TrainedUtc,
                Seed = model.Settings.Seed,
                ModuleVersion = ModelFile.ModuleVersion,
                TorchSharpVersion = TorchRuntime.TorchSharpVersion,
                LibTorchVersion = TorchRuntime.IsLoaded ? TorchRuntime.LibTorchVersion : "",
            };
        }
    }
}
