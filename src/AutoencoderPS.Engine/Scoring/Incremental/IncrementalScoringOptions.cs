using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>How a run reads its inputs and writes its output.</summary>
    public sealed class IncrementalScoringOptions
    {
        public string OutputPath { get; init; } = "";
        public string StatePath { get; init; } = "";

        /// <summary>The model file, when the job was given one: an input wildcard that reaches it skips it, as it skips the job's output and state.</summary>
        public string? ModelPath { get; init; }
        public ScoringOutputFormat Format { get; init; } = ScoringOutputFormat.Csv;
        public CsvInputOptions Csv { get; init; } = new CsvInputOptions();
        public int TopFeatureCount { get; init; } = 3;

        /// <summary>Give every row its AnomalyExplanation, not only the anomalies (-ExplainAll).</summary>
        public bool ExplainAll { get; init; }

        /// <summary>Rows per forward pass, and per checkpoint: results are flushed and the state committed after each batch.</summary>
        public int BatchSize { get; init; } = 4096;

        /// <summary>Time-series models: calibration and alerts (the batch size is <see cref="BatchSize"/>).</summary>
        public ScoreCalibration Calibration { get; init; } = ScoreCalibration.Auto;

        /// <summary>Null: the model's default (<see cref="AnomalyLikelihood.ThresholdFor"/> its usual interval).</summary>
        public double? ProbabilityThreshold { get; init; }

        /// <summary>Null: the model's default (<see cref="Scoring.AlertCooldown.For"/> its usual interval and window).</summary>
        public AlertCooldown? AlertCooldown { get; init; }

        internal ScoringOptions Scoring => new ScoringOptions
        {
            BatchSize = BatchSize,
            Calibration = Calibration,
            ProbabilityThreshold = ProbabilityThreshold,
            AlertCooldown = AlertCooldown,
        };

        /// <summary>"&lt;OutputPath&gt;.state.json", the default state file.</summary>
        public static string DefaultStatePath(string outputPath) => outputPath + ".state.json";

        /// <summary>"&lt;StatePath&gt;.lock".</summary>
        public static string LockPathFor(string statePath) => statePath + ".lock";
    }
}
