using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>What follows a linear layer: the hidden activation, the output's, or nothing (a Linear output).</summary>
    internal enum LayerActivation { None, Relu, Tanh, LeakyRelu, Sigmoid }

    /// <summary>The TorchSharp module: encoder and decoder as two sequential stacks of linear layers.</summary>
    internal sealed class AutoencoderNetwork : Module<Tensor, Tensor>
    {
        /// <summary>LeakyReLU's slope below zero.</summary>
        internal const double LeakySlope = 0.01;

        // Field names are the keys of the saved state: renaming them breaks existing model files.
        private readonly Sequential encoder;
        private readonly Sequential decoder;
        // The same linear layers in order, and what follows each, read by Propagate. Not Module or Tensor fields, so not
        // registered: the saved state keeps the keys above.
        private readonly Linear[] linears;
        private readonly LayerActivation[] activations;
        // Lives as long as the network: a temporary Scalar can be freed by a garbage collection mid-call (AdamOptimizer).
        private readonly Scalar leakySlope = LeakySlope.ToScalar();

        public AutoencoderNetwork(NetworkArchitecture architecture) : base("Autoencoder")
        {
            var widths = architecture.LayerWidths;
            int middle = architecture.HiddenLayers.Count;
            var encoderLayers = new List<(string, Module<Tensor, Tensor>)>();
            var decoderLayers = new List<(string, Module<Tensor, Tensor>)>();
            var linearLayers = new List<Linear>();
            var kinds = new List<LayerActivation>();
            for (int i = 1; i < widths.Count; i++)
            {
                bool isEncoder = i <= middle;
                var target = isEncoder ? encoderLayers : decoderLayers;
                var linear = Linear(widths[i - 1], widths[i]);
                target.Add(($"linear{i}", linear));
                linearLayers.Add(linear);
                bool isOutput = i == widths.Count - 1;
                var kind = !isOutput
                    ? architecture.Activation switch
                    {
                        ActivationKind.Tanh => LayerActivation.Tanh,
                        ActivationKind.LeakyRelu => LayerActivation.LeakyRelu,
                        _ => LayerActivation.Relu,
                    }
                    : architecture.OutputActivation == OutputActivationKind.Sigmoid ? LayerActivation.Sigmoid : LayerActivation.None;
                kinds.Add(kind);
                if (kind != LayerActivation.None) target.Add((isOutput ? $"out{i}" : $"act{i}", ModuleOf(kind)));
            }
            encoder = Sequential(encoderLayers);
            decoder = Sequential(decoderLayers);
            linears = linearLayers.ToArray();
            activations = kinds.ToArray();
            RegisterComponents();
        }

        /// <summary>The linear layers from input to output.</summary>
        internal IReadOnlyList<Linear> Layers => linears;

        /// <summary>What follows linear layer <paramref name="layer"/>.</summary>
        internal LayerActivation ActivationAfter(int layer) => activations[layer];

        public override Tensor forward(Tensor input) => Propagate(input, null);

        /// <summary>
        /// The layers one after the other: each linear layer's own forward, then its activation in place on the layer's
        /// fresh output (the same native operations and numbers as the Sequentials' modules, without their managed
        /// dispatch or a second tensor per activation). With <paramref name="outputs"/> (one more than the layers),
        /// element 0 is the input and element i + 1 layer i's activated output, kept for backpropagation; without, an
        /// intermediate is disposed as soon as the next layer has read it.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal Tensor Propagate(Tensor input, Tensor[]? outputs)
        {
            if (outputs != null) outputs[0] = input;
            var x = input;
            for (int i = 0; i < linears.Length; i++)
            {
                var next = linears[i].forward(x);
                Activate(next, activations[i]);
                if (outputs != null) outputs[i + 1] = next;
                else if (!ReferenceEquals(x, input)) x.Dispose();
                x = next;
            }
            return x;
        }

        // The methods marked AggressiveOptimization in this file run per row or per batch when a file is scored: compiled
        // optimized at once, not tiered up through Dynamic PGO's instrumented code (.docs/performance.md, "Third look").
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void Activate(Tensor x, LayerActivation kind)
        {
            // TorchSharp's in-place operations return the tensor itself (no new handle).
            switch (kind)
            {
                case LayerActivation.Relu: x.relu_(); break;
                case LayerActivation.Tanh: x.tanh_(); break;
                case LayerActivation.LeakyRelu: x.leaky_relu_(leakySlope); break;
                case LayerActivation.Sigmoid: x.sigmoid_(); break;
            }
        }

        // The module of an activation (in the Sequentials, as the network was first written; Propagate applies it in place).
        private static Module<Tensor, Tensor> ModuleOf(LayerActivation kind) => kind switch
        {
            LayerActivation.Tanh => Tanh(),
            LayerActivation.LeakyRelu => LeakyReLU(LeakySlope),
            LayerActivation.Sigmoid => Sigmoid(),
            _ => ReLU(),
        };

        protected override void Dispose(bool disposing)
        {
            if (disposing) leakySlope.Dispose();
            base.Dispose(disposing);
        }
    }
}
