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
            // Checked here, before any training or loading: a network a model file can't hold is refused at once, not
            // after training (the parameter cap), and a few-kilobyte model can't ask for huge batches (the width cap).
            if (inputSize > MaxInputWidth)
                throw new AutoencoderException(ErrorIds.NetworkTooLarge,
                    $"The network would have {inputSize:N0} inputs, more than the {MaxInputWidth:N0} AutoencoderPS accepts (each row or window of a batch " +
                    "holds that many numbers). Use fewer columns (-Feature, -ExcludeFeature), fewer categories or a smaller -WindowSize.");
            long parameters = ParameterCount;
            if (parameters > MaxParameters)
                throw new AutoencoderException(ErrorIds.NetworkTooLarge,
                    $"The network {string.Join("-", LayerWidths)} would have {parameters:N0} parameters, more than a model file may hold " +
                    $"({MaxParameters:N0}), so it could not be saved. Use smaller -HiddenLayer sizes or fewer inputs.");
        }

        /// <summary>The most parameters a network may have: what a model file can hold (ModelFile.MaxParameters).</summary>
        public const long MaxParameters = 100_000_000;

        /// <summary>The most network inputs (features times window size) a model may have.</summary>
        public const int MaxInputWidth = 16_384;

        public int InputSize { get; }
        public IReadOnlyList<int> HiddenLayers { get; }
        public ActivationKind Activation { get; }
        public OutputActivationKind OutputActivation { get; }

        /// <summary>Layer widths from input to output, e.g. 140-32-16-8-16-32-140.</summary>
        public IReadOnlyList<int> LayerWidths =>
            new[] { InputSize }.Concat(HiddenLayers).Concat(HiddenLayers.Reverse().Skip(1)).Concat(new[] { InputSize }).ToArray();

        public long ParameterCount => CountParameters(InputSize, HiddenLayers);

        /// <summary>Weights and biases of the network with these widths (mirrored decoder), without building or checking it.</summary>
        public static long CountParameters(int inputSize, IReadOnlyList<int> hiddenLayers)
        {
            var widths = new[] { inputSize }.Concat(hiddenLayers).Concat(hiddenLayers.Reverse().Skip(1)).Concat(new[] { inputSize }).ToArray();
            long count = 0;
            for (int i = 1; i < widths.Length; i++) count += (long)widths[i - 1] * widths[i] + widths[i];
            return count;
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
