using System.Collections.Generic;
using System.Linq;
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
        // The same layers in order, called directly by forward. Not a Module or Tensor field, so not registered: the
        // saved state keeps the keys above.
        private readonly Module<Tensor, Tensor>[] layers;

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
            layers = encoderLayers.Concat(decoderLayers).Select(layer => layer.Item2).ToArray();
            RegisterComponents();
        }

        /// <summary>
        /// The layers one after the other, each layer's own forward called directly: the same native operations as
        /// the two Sequentials' forward, without their managed dispatch (each Sequential walks its children and calls
        /// each through Module.call, which checks the hooks; none are set here). A step calls this once per batch.
        /// </summary>
        public override Tensor forward(Tensor input)
        {
            var x = input;
            foreach (var layer in layers)
            {
                var next = layer.forward(x);
                // An intermediate is no longer needed here (autograd keeps what it saves for the backward pass).
                if (!ReferenceEquals(x, input)) x.Dispose();
                x = next;
            }
            return x;
        }

        private static Module<Tensor, Tensor> Hidden(ActivationKind kind) => kind switch
        {
            ActivationKind.Tanh => Tanh(),
            ActivationKind.LeakyRelu => LeakyReLU(0.01),
            _ => ReLU(),
        };
    }
}
