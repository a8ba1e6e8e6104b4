using System;
using System.Linq;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Engine.Tests.Support;
using TorchSharp;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>
    /// The optimizer keeps every parameter in one flat buffer (parameters and gradients are views of it): the steps
    /// must be Adam's, parameter by parameter, as if each tensor were updated on its own.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public class AdamOptimizerTests
    {
        private const double LearningRate = 1e-2;

        public AdamOptimizerTests(TorchFixture fixture)
        {
            _ = fixture; // loads libtorch and pins one thread
        }

        private static AutoencoderNetwork Network(int seed)
        {
            torch.random.manual_seed(seed);
            return new AutoencoderNetwork(new NetworkArchitecture(5, new[] { 4, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid));
        }

        private static float[][] Values(AutoencoderNetwork net) =>
            net.parameters().Select(p => p.detach().contiguous().data<float>().ToArray()).ToArray();

        private static torch.Tensor Loss(AutoencoderNetwork net, torch.Tensor batch) =>
            torch.nn.functional.mse_loss(net.forward(batch), batch);

        // The gradients autograd gives each parameter for the loss on this batch (computed apart from the optimizer).
        private static float[][] Gradients(AutoencoderNetwork net, torch.Tensor batch)
        {
            using var scope = torch.NewDisposeScope();
            var parameters = net.parameters().ToArray();
            var gradients = torch.autograd.grad(new[] { Loss(net, batch) }, parameters, null, false, false, false);
            return gradients.Select(g => g.contiguous().data<float>().ToArray()).ToArray();
        }

        // One update from autograd's gradients, flattened in the optimizer's order (the network's parameter order).
        private static void Step(AdamOptimizer optimizer, AutoencoderNetwork net, torch.Tensor batch)
        {
            using var scope = torch.NewDisposeScope();
            using var flat = torch.tensor(Gradients(net, batch).SelectMany(g => g).ToArray());
            optimizer.Update(flat);
        }

        [Fact]
        public void EveryParameterTakesAdamsStepFromItsOwnGradient()
        {
            using var net = Network(3);
            using var optimizer = new AdamOptimizer(net.parameters(), LearningRate);
            var random = new Random(5);
            // Adam's state, parameter by parameter, in double: the reference the flat update must follow.
            var first = Values(net).Select(v => new double[v.Length]).ToArray();
            var second = Values(net).Select(v => new double[v.Length]).ToArray();
            for (int step = 1; step <= 5; step++)
            {
                var rows = Enumerable.Range(0, 8 * 5).Select(_ => (float)random.NextDouble()).ToArray();
                using var batch = torch.tensor(rows, new long[] { 8, 5 });
                var before = Values(net);
                var gradients = Gradients(net, batch);
                Assert.All(gradients, g => Assert.Contains(g, x => x != 0));
                Step(optimizer, net, batch);
                var after = Values(net);
                double c1 = 1 - Math.Pow(0.9, step), c2 = 1 - Math.Pow(0.999, step);
                for (int i = 0; i < before.Length; i++)
                    for (int k = 0; k < before[i].Length; k++)
                    {
                        double g = gradients[i][k];
                        first[i][k] = 0.9 * first[i][k] + 0.1 * g;
                        second[i][k] = 0.999 * second[i][k] + 0.001 * g * g;
                        double expected = before[i][k] - LearningRate / c1 * first[i][k] / (Math.Sqrt(second[i][k]) / Math.Sqrt(c2) + 1e-8);
                        Assert.True(Math.Abs(after[i][k] - expected) < 1e-6,
                            $"step {step}, parameter {i}[{k}]: {after[i][k]} against Adam's {expected}");
                    }
            }
        }

        [Fact]
        public void AnUpdateLeavesNoGradientOnTheParametersAndNoTensorBehind()
        {
            using var net = Network(4);
            using var optimizer = new AdamOptimizer(net.parameters(), LearningRate);
            using var batch = torch.rand(6, 5);
            long before = torch.Tensor.TotalCount;
            for (int i = 0; i < 3; i++) Step(optimizer, net, batch);
            // The update reads the flat gradient: nothing accumulates in the parameters, nothing outlives the scope.
            Assert.All(net.parameters(), p => Assert.Null(p.grad));
            Assert.True(torch.Tensor.TotalCount <= before, $"{torch.Tensor.TotalCount - before} tensor(s) left behind by three steps");
        }

        [Fact]
        public void TheNetworkKeepsItsValuesAndShapesWhenTheOptimizerTakesItOver()
        {
            using var net = Network(5);
            var shapes = net.parameters().Select(p => p.shape).ToArray();
            var values = Values(net);
            using var input = torch.rand(3, 5);
            float[] output;
            using (torch.no_grad()) output = net.forward(input).data<float>().ToArray();

            using var optimizer = new AdamOptimizer(net.parameters(), LearningRate);

            Assert.Equal(shapes, net.parameters().Select(p => p.shape).ToArray());
            Assert.Equal(values, Values(net));
            using (torch.no_grad()) Assert.Equal(output, net.forward(input).data<float>().ToArray());
        }
    }
}
