using System;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>How one training run goes.</summary>
    public sealed class TrainingOptions
    {
        public int Epochs { get; init; } = 20;
        public int BatchSize { get; init; } = 64;
        public double LearningRate { get; init; } = 1e-3;
        /// <summary>Mse by default: it learns one-hot categories (Mae's median fit predicts 0 for any category under
        /// 50%), and separates anomalies better on ECG5000 (ROC-AUC 0.99 against 0.98 with Mae).</summary>
        public LossKind Loss { get; init; } = LossKind.Mse;
        public ScalingMethod Scaling { get; init; } = ScalingMethod.MinMax;
        public ThresholdRule Threshold { get; init; } = ThresholdRule.Default;

        public void Validate()
        {
            if (Epochs < 1 || Epochs > 100000)
                throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must lie between 1 and 100000.");
            if (BatchSize < 1)
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
            if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive number.");
        }
    }

    /// <summary>The outcome of one epoch, reported as training goes.</summary>
    public sealed class EpochResult
    {
        public EpochResult(int epoch, int epochs, double loss, TimeSpan duration)
        {
            Epoch = epoch;
            Epochs = epochs;
            Loss = loss;
            Duration = duration;
        }

        public int Epoch { get; }
        public int Epochs { get; }

        /// <summary>Mean training loss over the epoch's batches, weighted by batch size.</summary>
        public double Loss { get; }

        public TimeSpan Duration { get; }
    }

    /// <summary>What the model keeps about the training run that produced it.</summary>
    public sealed class TrainingSummary
    {
        public int Rows { get; init; }
        public int Epochs { get; init; }
        /// <summary>Training runs: 1, plus one per incremental run.</summary>
        public int Runs { get; init; } = 1;
        public int BatchSize { get; init; }
        public double LearningRate { get; init; }
        public double FinalLoss { get; init; }
        public double ErrorMean { get; init; }
        public double ErrorStd { get; init; }
        public double ErrorMax { get; init; }
        public DateTime TrainedUtc { get; init; }
        public TimeSpan Duration { get; init; }
    }
}
