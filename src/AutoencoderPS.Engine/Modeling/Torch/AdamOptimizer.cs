using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>
    /// Adam (Kingma and Ba), the seed recipe's optimizer, with the defaults of PyTorch and Keras' learning rate.
    /// TorchSharp's own Adam passes temporary Scalars into native calls without keeping them alive, so a garbage
    /// collection at the wrong moment can free one mid-call (seen as a corrupt scalar inside addcdiv_). Here every
    /// Scalar lives, by <c>using</c>, until the native calls that read it have returned.
    /// </summary>
    internal sealed class AdamOptimizer : IDisposable
    {
        private const double Beta1 = 0.9;
        private const double Beta2 = 0.999;
        private const double Epsilon = 1e-8;

        private readonly Parameter[] parameters;
        private readonly Tensor[] firstMoment;
        private readonly Tensor[] secondMoment;
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

        public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate)
        {
            this.parameters = parameters.ToArray();
            this.learningRate = learningRate;
            using var noGrad = torch.no_grad();
            firstMoment = this.parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
            secondMoment = this.parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        }

        /// <summary>One update of every parameter from its current gradient.</summary>
        public void Step()
        {
            step++;
            double biasCorrection1 = 1 - Math.Pow(Beta1, step);
            double biasCorrection2 = 1 - Math.Pow(Beta2, step);
            using var noGrad = torch.no_grad();
            using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var negativeStepSize = (-learningRate / biasCorrection1).ToScalar();
            for (int i = 0; i < parameters.Length; i++)
            {
                var gradient = parameters[i].grad;
                if (gradient is null) continue;
                firstMoment[i].mul_(beta1).add_(gradient, oneMinusBeta1);
                secondMoment[i].mul_(beta2).addcmul_(gradient, gradient, oneMinusBeta2);
                using var denominator = secondMoment[i].sqrt();
                denominator.div_(rootCorrection2).add_(epsilon, one);
                parameters[i].addcdiv_(firstMoment[i], denominator, negativeStepSize);
            }
        }

        public void Dispose()
        {
            foreach (var t in firstMoment.Concat(secondMoment)) t.Dispose();
            foreach (var s in new[] { beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, one }) s.Dispose();
        }
    }
}
