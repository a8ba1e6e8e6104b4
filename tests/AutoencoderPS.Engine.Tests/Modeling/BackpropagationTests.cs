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
    /// Training's gradients come from the chain rule written out for the network's layers (<see cref="Backpropagation"/>),
    /// not from autograd: they must be autograd's, for every hidden activation, output and loss the module offers.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public class BackpropagationTests
    {
        public BackpropagationTests(TorchFixture fixture)
        {
            _ = fixture; // loads libtorch and pins one thread
        }

        // Autograd's loss and gradients for the batch, in Backpropagation's parameter order, flattened.
        private static (float Loss, float[] Gradient) Autograd(AutoencoderNetwork net, Backpropagation backpropagation, torch.Tensor batch, LossKind kind)
        {
            using var scope = torch.NewDisposeScope();
            var output = net.forward(batch);
            var loss = kind == LossKind.Mae ? torch.nn.functional.l1_loss(output, batch) : torch.nn.functional.mse_loss(output, batch);
            var gradients = torch.autograd.grad(new[] { loss }, backpropagation.Parameters.ToArray(), null, false, false, false);
            return (loss.item<float>(), gradients.SelectMany(g => g.contiguous().data<float>().ToArray()).ToArray());
        }

        public static TheoryData<ActivationKind, OutputActivationKind, LossKind> EveryCombination()
        {
            var data = new TheoryData<ActivationKind, OutputActivationKind, LossKind>();
            foreach (var activation in Enum.GetValues<ActivationKind>())
                foreach (var output in Enum.GetValues<OutputActivationKind>())
                    foreach (var loss in Enum.GetValues<LossKind>())
                        data.Add(activation, output, loss);
            return data;
        }

        [Theory]
        [MemberData(nameof(EveryCombination))]
        public void TheGradientIsAutogradsForEveryActivationOutputAndLoss(ActivationKind activation, OutputActivationKind output, LossKind loss)
        {
            torch.random.manual_seed(7);
            using var net = new AutoencoderNetwork(new NetworkArchitecture(6, new[] { 5, 3 }, activation, output));
            using var backpropagation = new Backpropagation(net, loss);
            // Values around 0 and beyond [0, 1], so ReLU and LeakyReLU units sit on both sides of their kink.
            var random = new Random(3);
            var values = Enumerable.Range(0, 37 * 6).Select(_ => (float)(random.NextDouble() * 3 - 1)).ToArray();
            using var batch = torch.tensor(values, new long[] { 37, 6 });
            var (expectedLoss, expected) = Autograd(net, backpropagation, batch, loss);

            using var flat = torch.full(backpropagation.Count, float.NaN); // every value must be written, none read
            using var slices = backpropagation.Into(flat);
            float actualLoss;
            using (torch.NewDisposeScope()) actualLoss = backpropagation.Compute(batch, slices);
            var actual = flat.data<float>().ToArray();

            Assert.Equal(expectedLoss, actualLoss, 6);
            Assert.Equal(expected.Length, actual.Length);
            double scale = expected.Max(g => Math.Abs(g));
            Assert.True(scale > 0);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale, $"gradient {i}: autograd {expected[i]}, backpropagation {actual[i]}");
            // Gradients, not a copy of one value: the layers' gradients differ from each other.
            Assert.True(actual.Distinct().Count() > actual.Length / 2);
        }

        [Fact]
        public void ComputingAGradientLeavesTheNetworkAndItsOutputAsTheyWere()
        {
            torch.random.manual_seed(8);
            using var net = new AutoencoderNetwork(new NetworkArchitecture(4, new[] { 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid));
            using var backpropagation = new Backpropagation(net, LossKind.Mse);
            using var batch = torch.rand(9, 4);
            float[] Output()
            {
                using var noGrad = torch.no_grad();
                using var output = net.forward(batch);
                return output.data<float>().ToArray();
            }
            var before = Output();
            var parameters = backpropagation.Parameters.Select(p => p.data<float>().ToArray()).ToArray();
            long tensors = torch.Tensor.TotalCount;

            using var flat = torch.zeros(backpropagation.Count);
            using (var slices = backpropagation.Into(flat))
            using (torch.NewDisposeScope())
                backpropagation.Compute(batch, slices);

            // Backpropagation overwrites the activations it keeps, never the batch, a weight or a bias.
            Assert.Equal(parameters, backpropagation.Parameters.Select(p => p.data<float>().ToArray()).ToArray());
            Assert.Equal(before, Output());
            Assert.True(torch.Tensor.TotalCount <= tensors + 1, $"{torch.Tensor.TotalCount - tensors - 1} tensor(s) left behind besides the flat gradient");
            Assert.All(backpropagation.Parameters, p => Assert.Null(p.grad));
        }

        [Fact]
        public void AFlatGradientOfTheWrongLengthIsRefused()
        {
            torch.random.manual_seed(9);
            using var net = new AutoencoderNetwork(new NetworkArchitecture(4, new[] { 3 }, ActivationKind.Relu, OutputActivationKind.Sigmoid));
            using var backpropagation = new Backpropagation(net, LossKind.Mse);
            using var flat = torch.zeros(backpropagation.Count + 1);
            Assert.Throws<ArgumentException>(() => backpropagation.Into(flat));
        }
    }
}
