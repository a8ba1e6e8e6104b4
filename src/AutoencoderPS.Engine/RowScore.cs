using System.Collections.Generic;

namespace AutoencoderPS.Engine
{
    /// <summary>The verdict on one row.</summary>
    public sealed class RowScore
    {
        internal RowScore(double score, bool isAnomaly, int topFeature, float[] featureErrors, double[] reconstruction)
        {
            Score = score;
            IsAnomaly = isAnomaly;
            TopFeature = topFeature;
            FeatureErrors = featureErrors;
            Reconstruction = reconstruction;
        }

        /// <summary>Reconstruction error in the model's loss (mean over features, in scaled units).</summary>
        public double Score { get; }

        /// <summary>True when <see cref="Score"/> is above the model's threshold.</summary>
        public bool IsAnomaly { get; }

        /// <summary>Index (in the schema) of the feature with the largest error.</summary>
        public int TopFeature { get; }

        /// <summary>Per-feature error in scaled units, in schema order.</summary>
        public IReadOnlyList<float> FeatureErrors { get; }

        /// <summary>The network's reconstruction in original units, in schema order.</summary>
        public IReadOnlyList<double> Reconstruction { get; }
    }
}
