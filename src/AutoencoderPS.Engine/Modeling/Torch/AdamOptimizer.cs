using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>
    /// Adam (Kingma and Ba), the seed recipe's optimizer, with the defaults of PyTorch and Keras' learning rate, over
    /// one flat buffer.
    /// <para>
    /// The networks here are small (a few thousand weights in a dozen tensors), so a step's cost is the number of
    /// native calls and kernels, not the arithmetic: Adam's eight element-wise operations per tensor and a zeroing per
    /// gradient were about 100 calls a step. So the constructor moves every parameter into one flat tensor (each
    /// parameter becomes a view of its slice: same values, same shapes), and <see cref="Update"/> takes one flat
    /// gradient in the same order (<see cref="Backpropagation"/> writes it there) and updates the flat tensor in eight
    /// calls. The arithmetic is element by element, as Adam's per-tensor update.
    /// </para>
    /// <para>
    /// TorchSharp's own Adam passes temporary Scalars into native calls without keeping them alive, so a garbage
    /// collection at the wrong moment can free one mid-call (seen as a corrupt scalar inside addcdiv_). Here every
    /// Scalar lives, by <c>using</c>, until the native calls that read it have returned.
    /// </para>
    /// </summary>
    internal sealed class AdamOptimizer : IDisposable
    {
        private const double Beta1 = 0.9;
        private const double Beta2 = 0.999;
        private const double Epsilon = 1e-8;

        private readonly Parameter[] parameters;
        private readonly Tensor values;
        private readonly Tensor firstMoment;
        private readonly Tensor secondMoment;
        private readonly Tensor denominator;
        private readonly double learningRate;
        private long step;

        // The constant Scalars are made once and live as long as the optimizer (fields, disposed with it); only the
        // two that change with the step are made per step.
        private readonly Scalar beta1 = Beta1.ToScalar();
        private readonly Scalar oneMinusBeta1 = (1 - Beta1).ToScalar();
        private readonly Scalar beta2 = Beta2.ToScalar();
        private readonly Scalar oneMinusBeta2 = (1 - Beta2).ToScalar();
        private readonly Scalar epsilon = Epsilon.ToScalar();
        // add_(Scalar) alone would pass a temporary alpha of 1 (TorchSharp's add_(scalar, 1)), which a collection
        // can free mid-call: seen as "Expected false to be true ... toFloat" from add_ in the engine tests.
        private readonly Scalar one = 1.ToScalar();

        /// <summary>
        /// Takes over <paramref name="parameters"/>: from here on each is a view of the optimizer's flat buffer. The
        /// network keeps working as before (same values and shapes, saved and loaded as before).
        /// </summary>
        public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate)
        {
            this.parameters = parameters.ToArray();
            this.learningRate = learningRate;
            using var noGrad = torch.no_grad();
            long total = this.parameters.Sum(p => p.numel());
            var dtype = this.parameters.Length == 0 ? ScalarType.Float32 : this.parameters[0].dtype;
            values = torch.empty(total, dtype).DetachFromDisposeScope();
            var views = FlatViews(values, this.parameters);
            for (int i = 0; i < views.Length; i++)
            {
                views[i].copy_(this.parameters[i]);
                this.parameters[i].set_(views[i]);
                views[i].Dispose();
            }
            firstMoment = torch.zeros(total, dtype).DetachFromDisposeScope();
            secondMoment = torch.zeros(total, dtype).DetachFromDisposeScope();
            denominator = torch.empty(total, dtype).DetachFromDisposeScope();
        }

        /// <summary>
        /// Views of <paramref name="flat"/> (one-dimensional), one per parameter in order, each its parameter's shape: the
        /// one layout of every flat tensor of these parameters (the optimizer's values, and the gradients Backpropagation
        /// writes). The caller disposes the views.
        /// </summary>
        internal static Tensor[] FlatViews(Tensor flat, IReadOnlyList<Parameter> parameters)
        {
            long total = parameters.Sum(p => p.numel());
            if (flat.dim() != 1 || flat.shape[0] != total)
                throw new ArgumentException($"The flat tensor must be one-dimensional with {total} values, one per weight and bias.", nameof(flat));
            var views = new Tensor[parameters.Count];
            long offset = 0;
            for (int i = 0; i < views.Length; i++)
            {
                long count = parameters[i].numel();
                using (var slice = flat.narrow(0, offset, count)) views[i] = slice.view(parameters[i].shape);
                offset += count;
            }
            return views;
        }

        /// <summary>Parameters in the flat buffer (the length of the gradient <see cref="Update"/> takes).</summary>
        public long Count => values.shape[0];

        /// <summary>One update of every parameter from a flat gradient in the constructor's parameter order (or a weighted sum of them).</summary>
        public void Update(Tensor flat)
        {
            step++;
            double biasCorrection1 = 1 - Math.Pow(Beta1, step);
            double biasCorrection2 = 1 - Math.Pow(Beta2, step);
            using var noGrad = torch.no_grad();
            using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var negativeStepSize = (-learningRate / biasCorrection1).ToScalar();
            firstMoment.mul_(beta1).add_(flat, oneMinusBeta1);
            secondMoment.mul_(beta2).addcmul_(flat, flat, oneMinusBeta2);
            denominator.copy_(secondMoment).sqrt_();
            denominator.div_(rootCorrection2).add_(epsilon, one);
            values.addcdiv_(firstMoment, denominator, negativeStepSize);
        }

        public void Dispose()
        {
            foreach (var t in new[] { values, firstMoment, secondMoment, denominator }) t.Dispose();
            foreach (var s in new[] { beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, one }) s.Dispose();
        }
    }
}
