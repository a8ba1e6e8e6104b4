using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>The TorchSharp module: encoder and decoder as two sequential stacks of linear layers.</summary>
    internal sealed class AutoencoderNetwork : Module<Tensor, Tensor>
    {
        // Field names are the keys of the saved state: renaming them breaks existing model files.
        private readonly Sequential encoder;
        private readonly Sequential decoder;

        public AutoencoderNetwork(NetworkArchitecture architecture) : base("Autoencoder")
        {
            var widths = architecture.LayerWidths;
            int middle = architecture.HiddenLayers.Count;
            var encoderLayers = new List<(string, Module<Tensor, Tensor>)>();
            var decoderLayers = new List<(string, Module<Tensor, Tensor>)>();
            for (int i = 1; i < widths.Count; i++)
            {
                bool isEncoder = i <= middle;
                var target = isEncoder ? encoderLayers : decoderLayers;
                target.Add(($"linear{i}", Linear(widths[i - 1], widths[i])));
                bool isOutput = i == widths.Count - 1;
                if (!isOutput)
                    target.Add(($"act{i}", Hidden(architecture.Activation)));
                else if (architecture.OutputActivation == OutputActivationKind.Sigmoid)
                    target.Add(($"out{i}", Sigmoid()));
            }
            encoder = Sequential(encoderLayers);
            decoder = Sequential(decoderLayers);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var code = encoder.forward(input);
            return decoder.forward(code);
        }

        private static Module<Tensor, Tensor> Hidden(ActivationKind kind) => kind switch
        {
            ActivationKind.Tanh => Tanh(),
            ActivationKind.LeakyRelu => LeakyReLU(0.01),
            _ => ReLU(),
        };
    }
}
