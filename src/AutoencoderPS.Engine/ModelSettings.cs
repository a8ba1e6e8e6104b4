using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine
{
    /// <summary>What a user chooses before training: the network's shape, the features and the seed.</summary>
    public sealed class ModelSettings
    {
        public ModelSettings(
            IReadOnlyList<int>? hiddenLayers = null,
            ActivationKind activation = ActivationKind.Relu,
            OutputActivationKind outputActivation = OutputActivationKind.Sigmoid,
            IEnumerable<string>? features = null,
            IEnumerable<string>? excludeFeatures = null,
            int? seed = null,
            bool timeFeatures = false)
        {
            TimeFeatures = timeFeatures;
            HiddenLayers = (hiddenLayers ?? NetworkArchitecture.DefaultHiddenLayers).ToArray();
            NetworkArchitecture.ValidateHiddenLayers(HiddenLayers);
            Activation = activation;
            OutputActivation = outputActivation;
            Features = features?.ToArray() ?? Array.Empty<string>();
            ExcludeFeatures = excludeFeatures?.ToArray() ?? Array.Empty<string>();
            // Without a seed, draw one and keep it, so any run can be repeated afterwards.
            Seed = seed ?? Random.Shared.Next();
        }

        public IReadOnlyList<int> HiddenLayers { get; }
        public ActivationKind Activation { get; }
        public OutputActivationKind OutputActivation { get; }

        /// <summary>Features named by the user; empty means "infer the numeric columns at training time".</summary>
        public IReadOnlyList<string> Features { get; }

        public IReadOnlyList<string> ExcludeFeatures { get; }

        /// <summary>Timestamp columns become hour-of-day and day-of-week features (otherwise they are left out).</summary>
        public bool TimeFeatures { get; }
        public int Seed { get; }
    }
}
