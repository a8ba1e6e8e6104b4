using System;
using System.Collections.Generic;
using System.Globalization;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// What one training run did, written once when it completes: rows, epochs, the last loss, the threshold it set and
    /// each epoch's result. The model keeps its own summary (<see cref="AutoencoderModel.Training"/>, counted over every
    /// run); this is the run's.
    /// </summary>
    public sealed class TrainingResult
    {
        public TrainingResult(AutoencoderModel model, IReadOnlyList<EpochResult> epochs, bool incremental)
        {
            var training = model.Training ?? throw new ArgumentException("The model is not trained.", nameof(model));
            Rows = training.Rows;
            Windowed = model.Settings.IsWindowed;
            EpochResults = epochs;
            Epochs = epochs.Count;
            PlannedEpochs = epochs.Count > 0 ? epochs[0].Epochs : 0;
            Loss = epochs.Count > 0 ? epochs[epochs.Count - 1].Loss : training.FinalLoss;
            StoppedEarly = training.StoppedEarly;
            Incremental = incremental;
            Threshold = model.Threshold;
            ThresholdRule = model.ThresholdRule;
            Duration = training.Duration;
        }

        /// <summary>Rows trained on in this run (windows, for a sliding-window model).</summary>
        public int Rows { get; }

        /// <summary>True when <see cref="Rows"/> counts windows of a sliding-window model.</summary>
        public bool Windowed { get; }

        /// <summary>Epochs run: fewer than <see cref="PlannedEpochs"/> when training stopped early.</summary>
        public int Epochs { get; }

        public int PlannedEpochs { get; }

        /// <summary>The last epoch's mean training loss.</summary>
        public double Loss { get; }

        public bool StoppedEarly { get; }

        /// <summary>True for -Incremental: the run trained the model further rather than afresh.</summary>
        public bool Incremental { get; }

        /// <summary>The threshold the run set, and its rule.</summary>
        public double Threshold { get; }

        public ThresholdRule ThresholdRule { get; }

        public TimeSpan Duration { get; }

        /// <summary>Each epoch's loss and duration, in order.</summary>
        public IReadOnlyList<EpochResult> EpochResults { get; }

        /// <summary>"Trained on 2880 rows: 10 epochs, loss 0.0123; threshold 0.0456 (99th percentile ...)".</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "Trained on {0} {1}: {2} epoch{3}{4}, loss {5:G6}; threshold {6:G6} ({7})",
                Rows, Windowed ? "windows" : "rows", Epochs, Epochs == 1 ? "" : "s", StoppedEarly ? $" (stopped early, of {PlannedEpochs})" : "",
                Loss, Threshold, ThresholdRule);
    }
}
