using System;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>How one training run goes.</summary>
    public sealed record TrainingOptions
    {
        public int Epochs { get; init; } = 20;
        public int BatchSize { get; init; } = 64;
        public double LearningRate { get; init; } = 1e-3;
        /// <summary>Mse by default: it learns one-hot categories (Mae's median fit predicts 0 for any category under
        /// 50%), and separates anomalies better on ECG5000 (ROC-AUC 0.99 against 0.98 with Mae).</summary>
        public LossKind Loss { get; init; } = LossKind.Mse;
        /// <summary>
        /// RobustSigmoid by default: the median and spread of each feature set its scale, so outliers in the baseline and
        /// heavy tails neither set the range nor dominate the loss, and a value beyond the training range still scores by
        /// its distance in units of that range, as under MinMax (<see cref="FeatureScaler.Beyond"/>). It ranks outliers
        /// better than MinMax on the ODDS sets with and without outliers in the baseline (see .docs/odds.md).
        /// </summary>
        public ScalingMethod Scaling { get; init; } = ScalingMethod.RobustSigmoid;
        public ThresholdRule Threshold { get; init; } = ThresholdRule.Default;

        /// <summary>
        /// How each feature's error counts in the score (<see cref="ErrorWeights"/>): Residual (default), in units of its
        /// typical training error; None, every network input alike (as before format 7).
        /// </summary>
        public ErrorWeighting ErrorWeighting { get; init; } = ErrorWeighting.Residual;

        /// <summary>
        /// Robust training (on by default): after warm-up epochs, each epoch leaves out the rows with the largest errors
        /// (<see cref="RobustTrimming"/>), so the network does not learn to reconstruct the outliers in its baseline.
        /// </summary>
        public bool Robust { get; init; } = true;

        /// <summary>
        /// The share of outliers expected in the training rows (0 to 0.5): robust training leaves that share out. Null:
        /// estimated from the warm-up errors. 0: the baseline is clean, nothing is left out.
        /// </summary>
        public double? Contamination { get; init; }

        /// <summary>
        /// Stop before <see cref="Epochs"/> when the smoothed loss stops improving (<see cref="Modeling.EarlyStopping"/>).
        /// Off unless asked: the cmdlet asks for it with the default budget, not when the user names the epochs.
        /// </summary>
        public bool EarlyStopping { get; init; }

        /// <summary>
        /// A row model's first training on a small baseline (<see cref="AutoencoderModel.UnseenRowsMinRows"/> to under
        /// <see cref="AutoencoderModel.UnseenRowsMaxRows"/> rows) sets its threshold from errors of rows the network was
        /// not trained on (5-fold cross-fitting, <see cref="AutoencoderModel.Train"/>). On by default; off: the training
        /// rows' own errors, as before. The fold models train with it off.
        /// </summary>
        public bool UnseenRowsThreshold { get; init; } = true;

        /// <summary>
        /// Threads that train together (1: this thread alone). A batch of at least 1,024 rows per thread is split, each
        /// thread computing its part's gradient (the update takes their size-weighted sum, the batch's gradient), and the
        /// error passes over every training row are split by rows. Smaller batches train on one thread, as before.
        /// </summary>
        public int Threads { get; init; } = 1;

        /// <summary>
        /// Rows of a batch each thread must get before the batch is split: below it, a part's own forward and backward
        /// calls and the signalling cost more than the arithmetic they take off the other threads. On two threads the
        /// default budget's batches (a 40th of the rows) are split from about 82,000 training rows.
        /// </summary>
        public const int MinRowsPerThread = 1024;

        /// <summary>Gradient steps the default budget aims at (ECG5000's 2,335 normal training rows at batch 64 for 20 epochs take 740).</summary>
        public const int DefaultSteps = 640;

        /// <summary>The default batch's row count is at least this, and grows with the rows so an epoch takes at most <see cref="DefaultStepsPerEpoch"/> steps.</summary>
        public const int DefaultMinBatchSize = 64;

        public const int DefaultStepsPerEpoch = 40;

        /// <summary>
        /// The default epochs and batch size for <paramref name="rows"/> training rows: a budget of gradient steps rather
        /// than of epochs. A step costs about the same for 64 rows as for 2,000 in these small networks (the per-call
        /// overhead dominates), so a large baseline gets larger batches (at most 40 steps an epoch) instead of
        /// thousands of steps, and a small one gets more epochs (up to 200) instead of a hundred-odd steps, which left
        /// the network barely trained. At least 20 epochs, as before.
        /// </summary>
        public static (int Epochs, int BatchSize) DefaultBudget(int rows)
        {
            rows = Math.Max(1, rows);
            int batch = Math.Max(DefaultMinBatchSize, (int)Math.Ceiling(rows / (double)DefaultStepsPerEpoch));
            int stepsPerEpoch = (int)Math.Ceiling(rows / (double)batch);
            int epochs = Math.Clamp((int)Math.Ceiling(DefaultSteps / (double)stepsPerEpoch), 20, 200);
            return (epochs, batch);
        }

        public void Validate()
        {
            if (Epochs < 1 || Epochs > 100000)
                throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must lie between 1 and 100000.");
            if (Threads < 1 || Threads > 256)
                throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must lie between 1 and 256.");
            if (BatchSize < 1)
                throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
            if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive number.");
            if (Contamination != null && !(Contamination >= 0 && Contamination <= RobustTrimming.MaxShare))
                throw new ArgumentOutOfRangeException(nameof(Contamination), Contamination, $"Contamination is the share of outliers in the training rows and must lie between 0 and {RobustTrimming.MaxShare}.");
        }
    }

    /// <summary>How each feature's reconstruction error counts in a row's score.</summary>
    public enum ErrorWeighting
    {
        /// <summary>Every network input alike: the score is the mean error over the inputs.</summary>
        None,
        /// <summary>Each feature in units of its typical training error (<see cref="ErrorWeights"/>).</summary>
        Residual,
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

        /// <summary>"Epoch 3/20: loss 0.00123456, 0.021 s", the table view's columns on one line (logs, transcripts, "$_").</summary>
        public override string ToString() =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, "Epoch {0}/{1}: loss {2:G6}, {3:N3} s", Epoch, Epochs, Loss, Duration.TotalSeconds);
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

        /// <summary>True when robust training left the rows with the largest errors out after warm-up (absent in files before format 3: false).</summary>
        public bool Robust { get; init; }

        /// <summary>The share of training rows robust training left out of the last epochs (0 without robust training).</summary>
        public double TrimmedShare { get; init; }

        /// <summary>True when <see cref="TrimmedShare"/> was estimated from the warm-up errors, false when the user gave it.</summary>
        public bool ContaminationEstimated { get; init; }

        /// <summary>True when the last run stopped before its planned epochs because the loss stopped improving.</summary>
        public bool StoppedEarly { get; init; }

        /// <summary>
        /// The factor the training rows' errors were scaled by for the threshold (and the stored training errors): how much
        /// larger the errors of rows not trained on were, measured by cross-fitting on a small baseline
        /// (<see cref="TrainingOptions.UnseenRowsThreshold"/>). 1 when not measured (a large baseline, a window model, an
        /// incremental run, files written before it).
        /// </summary>
        public double UnseenErrorRatio { get; init; } = 1;
    }
}
