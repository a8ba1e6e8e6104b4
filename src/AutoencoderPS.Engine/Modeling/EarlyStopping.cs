using System;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// Stops training when the loss stops improving. The epoch loss is noisy (shuffled batches, and robust training's
    /// kept rows change from epoch to epoch), so it is smoothed first: an exponential average that gives the newest
    /// epoch half the weight. Training stops when that average has not fallen at least <see cref="MinImprovement"/>
    /// (relative) below its best for <see cref="PatienceEpochs"/> epochs in a row. Watching starts after robust
    /// training's warm-up, when the loss becomes the trimmed loss it is meant to minimise.
    /// </summary>
    public sealed class EarlyStopping
    {
        /// <summary>The weight of the newest epoch in the smoothed loss.</summary>
        public const double Smoothing = 0.5;

        /// <summary>A smaller fall of the smoothed loss than this share of its best is no improvement.</summary>
        public const double MinImprovement = 0.01;

        /// <summary>Epochs without improvement before training stops: a tenth of the planned epochs, at least 3.</summary>
        public static int PatienceEpochs(int epochs) => Math.Max(3, epochs / 10);

        private readonly int firstWatched;
        private readonly int patience;
        private double smoothed = double.NaN;
        private double best = double.PositiveInfinity;
        private int sinceBest;

        /// <param name="epochs">The planned epochs.</param>
        /// <param name="firstWatched">The first epoch whose loss counts (the one after the warm-up).</param>
        public EarlyStopping(int epochs, int firstWatched)
        {
            this.firstWatched = firstWatched;
            patience = PatienceEpochs(epochs);
        }

        /// <summary>Takes the loss of <paramref name="epoch"/>; true when training should stop after it.</summary>
        public bool Stop(int epoch, double loss)
        {
            if (epoch < firstWatched) return false;
            smoothed = double.IsNaN(smoothed) ? loss : Smoothing * loss + (1 - Smoothing) * smoothed;
            if (smoothed < best * (1 - MinImprovement))
            {
                best = smoothed;
                sinceBest = 0;
                return false;
            }
            return ++sinceBest >= patience;
        }
    }
}
