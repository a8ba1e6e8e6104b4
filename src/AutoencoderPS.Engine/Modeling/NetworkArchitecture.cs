using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>Activation between hidden layers.</summary>
    public enum ActivationKind { Relu, Tanh, LeakyRelu }

    /// <summary>Activation of the reconstruction layer. Sigmoid suits data scaled into [0, 1].</summary>
    public enum OutputActivationKind { Sigmoid, Linear }

    /// <summary>Reconstruction loss; also the unit of the anomaly score.</summary>
    public enum LossKind { Mae, Mse }

    /// <summary>
    /// A symmetric fully connected autoencoder: the encoder narrows through <see cref="HiddenLayers"/>,
    /// the decoder mirrors it back to the input width.
    /// </summary>
    public sealed class NetworkArchitecture
    {
        /// <summary>The seed recipe's encoder widths.</summary>
        public static readonly int[] DefaultHiddenLayers = { 32, 16, 8 };

        public NetworkArchitecture(int inputSize, IReadOnlyList<int> hiddenLayers, ActivationKind activation, OutputActivationKind outputActivation)
        {
            if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The network needs at least one input.");
            ValidateHiddenLayers(hiddenLayers);
            InputSize = inputSize;
            HiddenLayers = hiddenLayers.ToArray();
            Activation = activation;
            OutputActivation = outputActivation;
        }

        public int InputSize { get; }
        public IReadOnlyList<int> HiddenLayers { get; }
        public ActivationKind Activation { get; }
        public OutputActivationKind OutputActivation { get; }

        /// <summary>Layer widths from input to output, e.g. 140-32-16-8-16-32-140.</summary>
        public IReadOnlyList<int> LayerWidths =>
            new[] { InputSize }.Concat(HiddenLayers).Concat(HiddenLayers.Reverse().Skip(1)).Concat(new[] { InputSize }).ToArray();

        public long ParameterCount
        {
            get
            {
                var widths = LayerWidths;
                long count = 0;
                for (int i = 1; i < widths.Count; i++) count += (long)widths[i - 1] * widths[i] + widths[i];
                return count;
            }
        }

        public static void ValidateHiddenLayers(IReadOnlyList<int> hiddenLayers)
        {
            if (hiddenLayers == null || hiddenLayers.Count == 0)
                throw new ArgumentException("At least one hidden layer is needed.", nameof(hiddenLayers));
            foreach (int width in hiddenLayers)
                if (width < 1 || width > 65536)
                    throw new ArgumentOutOfRangeException(nameof(hiddenLayers), width, "Hidden layer widths must lie between 1 and 65536.");
        }

        public override string ToString() => string.Join("-", LayerWidths);
    }
}
