using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>
    /// The gradient of a batch's reconstruction loss with respect to every weight and bias, by the chain rule written
    /// out for this network's layers instead of by autograd.
    /// <para>
    /// The networks are small, so a training step costs native calls, not arithmetic. Autograd records a graph on the
    /// forward pass and walks it on the backward pass, about 0.1 ms a step on top of the same kernels; it also returns
    /// one gradient tensor per parameter, which the optimizer then had to concatenate. Here the forward pass runs
    /// without a graph (keeping each layer's activated output), and each layer's weight and bias gradients are
    /// written straight into their slices of one flat gradient (<see cref="Into"/>), the optimizer's layout.
    /// </para>
    /// <para>
    /// For a layer y = f(x Wᵀ + b) with the loss's gradient g at y: g ⊙ f'(y) is the gradient at the layer's sum,
    /// whose transpose times x is W's gradient, whose column sums are b's, and which times W is the gradient at x. Every
    /// activation here has a derivative readable from its output y: ReLU 1 where y &gt; 0, LeakyReLU 1 or its slope,
    /// Tanh 1 - y², Sigmoid y (1 - y). The loss is the mean over the batch's values of the squared (Mse) or absolute
    /// (Mae) difference, so its gradient at the output is 2 (y - x) / count or sign(y - x) / count. Equal to autograd's
    /// up to float rounding (BackpropagationTests compares them for every activation, output and loss).
    /// </para>
    /// </summary>
    internal sealed class Backpropagation : IDisposable
    {
        private readonly AutoencoderNetwork network;
        private readonly LossKind loss;
        private readonly Linear[] layers;
        // Scalars live as long as this object: a temporary Scalar can be freed by a garbage collection mid-call.
        private readonly Scalar one = 1.ToScalar();
        private readonly Scalar zero = 0.ToScalar();
        private readonly Scalar leakySlope = AutoencoderNetwork.LeakySlope.ToScalar();

        public Backpropagation(AutoencoderNetwork network, LossKind loss)
        {
            this.network = network;
            this.loss = loss;
            layers = network.Layers.ToArray();
            Parameters = layers.SelectMany(layer => new[] { layer.weight!, layer.bias! }).ToArray();
            Count = Parameters.Sum(p => p.numel());
        }

        /// <summary>Every weight and bias in the flat gradient's order: each layer's weight, then its bias.</summary>
        public IReadOnlyList<Parameter> Parameters { get; }

        /// <summary>Values in the flat gradient.</summary>
        public long Count { get; }

        /// <summary>Each layer's slices of <paramref name="flat"/> (one-dimensional, <see cref="Count"/> values), where <see cref="Compute"/> writes.</summary>
        public GradientSlices Into(Tensor flat) => new GradientSlices(AdamOptimizer.FlatViews(flat, Parameters));

        /// <summary>
        /// Writes the gradient of the mean loss over <paramref name="batch"/> (rows x inputs, the network's own input and
        /// target) into <paramref name="into"/> and returns that loss. Call it inside a dispose scope: its intermediates
        /// are temporaries of that scope. Safe on several threads at once, each with its own slices: it only reads the
        /// network.
        /// </summary>
        public float Compute(Tensor batch, GradientSlices into)
        {
            using var noGrad = torch.no_grad();
            var outputs = new Tensor[layers.Length + 1];
            var output = network.Propagate(batch, outputs);
            var difference = output.sub(batch);
            float mean = (loss == LossKind.Mae ? difference.abs() : difference.mul(difference)).mean().item<float>();
            using var scale = ((loss == LossKind.Mae ? 1.0 : 2.0) / (batch.shape[0] * batch.shape[1])).ToScalar();
            var gradient = loss == LossKind.Mae ? difference.sign_().mul_(scale) : difference.mul_(scale);
            for (int i = layers.Length - 1; i >= 0; i--)
            {
                // The gradient at layer i's sum, from the gradient at its activated output (which is no longer needed).
                gradient = ThroughActivation(gradient, outputs[i + 1], network.ActivationAfter(i));
                into.Weights[i].addmm_(gradient.t(), outputs[i], 0, 1);
                into.Biases[i].copy_(gradient.sum(dim: 0L));
                if (i > 0) gradient = gradient.mm(layers[i].weight!);
            }
            return mean;
        }

        // gradient ⊙ f'(y), from the activated output y, overwriting y (and gradient where it can).
        private Tensor ThroughActivation(Tensor gradient, Tensor y, LayerActivation kind)
        {
            switch (kind)
            {
                case LayerActivation.Relu:
                    return gradient.mul_(y.sign_());
                case LayerActivation.LeakyRelu:
                    return gradient.where(y.gt(zero), gradient.mul(leakySlope));
                case LayerActivation.Tanh:
                    return gradient.mul_(y.mul_(y).neg_().add_(one, one));
                case LayerActivation.Sigmoid:
                    return gradient.mul_(y.sub_(y.mul(y)));
                default:
                    return gradient;
            }
        }

        public void Dispose()
        {
            one.Dispose();
            zero.Dispose();
            leakySlope.Dispose();
        }
    }

    /// <summary>Views of one flat gradient (AdamOptimizer.FlatViews over Backpropagation.Parameters): each layer's weight gradient (its weight's shape) and bias gradient.</summary>
    internal sealed class GradientSlices : IDisposable
    {
        private readonly Tensor[] views;

        internal GradientSlices(Tensor[] views)
        {
            this.views = views;
            // Parameters alternate: each layer's weight, then its bias.
            Weights = views.Where((_, i) => i % 2 == 0).ToArray();
            Biases = views.Where((_, i) => i % 2 == 1).ToArray();
        }

        public Tensor[] Weights { get; }
        public Tensor[] Biases { get; }

        public void Dispose()
        {
            foreach (var t in views) t.Dispose();
        }
    }
}
