using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Engine.Tests.Support;
using TorchSharp;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>
    /// Training on several threads (TrainingOptions.Threads): a large batch's gradient is the size-weighted sum of its
    /// parts' gradients, computed on the threads of a <see cref="WorkerTeam"/>, and error passes split by rows.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public class ParallelTrainingTests
    {
        public ParallelTrainingTests(TorchFixture fixture)
        {
            _ = fixture; // loads libtorch and pins one thread
        }

        [Fact]
        public void ATeamRunsEveryPartOnceAndReturnsWhenAllHaveFinished()
        {
            using var team = new WorkerTeam(3);
            foreach (int parts in new[] { 1, 2, 3, 7 })
            {
                for (int round = 0; round < 30; round++)
                {
                    var runs = new int[parts];
                    team.Run(parts, p =>
                    {
                        Thread.Sleep(p % 3 == 2 ? 2 : 0);
                        Interlocked.Increment(ref runs[p]);
                    });
                    Assert.All(runs, r => Assert.Equal(1, r));
                }
            }
        }

        [Fact]
        public void TheTeamsThreadsRunPartsAtTheSameTime()
        {
            // Each part waits for the other: only two threads running at once get past the barrier.
            using var team = new WorkerTeam(2);
            using var barrier = new Barrier(2);
            var threads = new ConcurrentDictionary<int, int>();
            var met = new bool[2];
            team.Run(2, p =>
            {
                threads[p] = Environment.CurrentManagedThreadId;
                met[p] = barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            });
            Assert.Equal(new[] { true, true }, met);
            Assert.Equal(2, threads.Values.Distinct().Count());
        }

        [Fact]
        public void APartThatFailsIsThrownOnlyAfterTheOtherPartsHaveFinishedAndTheTeamGoesOn()
        {
            using var team = new WorkerTeam(2);
            int slowFinished = 0;
            var failure = Assert.Throws<InvalidOperationException>(() => team.Run(2, p =>
            {
                if (p == 1) throw new InvalidOperationException("part 1 failed");
                Thread.Sleep(30);
                Volatile.Write(ref slowFinished, 1);
            }));
            Assert.Equal("part 1 failed", failure.Message);
            Assert.Equal(1, Volatile.Read(ref slowFinished));
            int ran = 0;
            team.Run(2, _ => Interlocked.Increment(ref ran));
            Assert.Equal(2, ran);
        }

        [Fact]
        public void ErrorPassesSplitAcrossThreadsGiveEveryRowTheSameErrorBitForBit()
        {
            const int d = 6;
            int n = 3 * ForwardPass.MinRowsPerPart + 77;
            var random = new Random(4);
            var scaled = Enumerable.Range(0, n * d).Select(_ => (float)random.NextDouble()).ToArray();
            torch.random.manual_seed(9);
            using var net = new AutoencoderNetwork(new NetworkArchitecture(d, new[] { 8, 3 }, ActivationKind.Relu, OutputActivationKind.Sigmoid));
            net.eval();
            var alone = ForwardPass.RowErrors(net, LossKind.Mse, scaled, n, d, out _);
            using var team = new WorkerTeam(3);
            var together = ForwardPass.RowErrors(net, LossKind.Mse, scaled, n, d, out _, team);
            Assert.Equal(alone, together);
        }

        [Theory]
        [InlineData(LossKind.Mse)]
        [InlineData(LossKind.Mae)]
        public void RankingErrorsAreTheRowScoresUpToRoundingAndTheSameOnAnyTeam(LossKind loss)
        {
            // Robust training ranks the rows by RankingErrors (large chunks of the trainer's tensor) instead of the scoring
            // pass: the same errors but for the last bits, and chunk by chunk, so threads change nothing.
            const int d = 5;
            int n = 2 * ForwardPass.RankingChunkRows + 301;
            var random = new Random(6);
            var scaled = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 1.4 - 0.2)).ToArray();
            torch.random.manual_seed(10);
            using var net = new AutoencoderNetwork(new NetworkArchitecture(d, new[] { 7, 3 }, ActivationKind.Relu, OutputActivationKind.Sigmoid));
            net.eval();
            var scores = ForwardPass.RowErrors(net, loss, scaled, n, d, out _);
            using var data = torch.tensor(scaled, new long[] { n, d });
            var ranking = ForwardPass.RankingErrors(net, loss, data);
            Assert.Equal(n, ranking.Length);
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(scores[i] - ranking[i]) <= 1e-5 * Math.Max(1e-3, scores[i]), $"row {i}: score {scores[i]}, ranking error {ranking[i]}");
            // The rows differ (not one value everywhere), and a team gives the same values bit for bit.
            Assert.True(ranking.Distinct().Count() > n / 2);
            using var team = new WorkerTeam(3);
            Assert.Equal(ranking, ForwardPass.RankingErrors(net, loss, data, team));
            // A wide window's chunk is bounded in values, not only in rows.
            Assert.Equal(ForwardPass.RankingChunkRows, ForwardPass.RankingChunkRowsFor(d));
            Assert.True(ForwardPass.RankingChunkRowsFor(2000) * 2000L <= ForwardPass.RankingChunkValues);
        }

        [Theory]
        [InlineData(2, 4096)]
        [InlineData(3, 3001)]
        public void ASplitBatchsGradientIsTheWholeBatchsGradient(int parts, int size)
        {
            const int d = 5;
            var random = new Random(parts);
            int n = size + 100;
            var values = Enumerable.Range(0, n * d).Select(_ => (float)random.NextDouble()).ToArray();
            torch.random.manual_seed(11);
            using var net = new AutoencoderNetwork(new NetworkArchitecture(d, new[] { 4, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid));
            using var backpropagation = new Backpropagation(net, LossKind.Mse);
            using var data = torch.tensor(values, new long[] { n, d });
            // Rows 50 .. 50 + size of a shuffled order, as an epoch takes a batch.
            var order = Enumerable.Range(0, n).Select(i => (long)i).OrderBy(_ => random.Next()).ToArray();
            using var epochOrder = torch.tensor(order);
            using var scope = torch.NewDisposeScope();
            var batch = data.index_select(0, epochOrder.narrow(0, 50, size));
            var wholeLoss = torch.nn.functional.mse_loss(net.forward(batch), batch);
            var whole = torch.autograd.grad(new[] { wholeLoss }, backpropagation.Parameters.ToArray(), null, false, false, false)
                .SelectMany(g => g.contiguous().data<float>().ToArray()).ToArray();
            using var team = new WorkerTeam(parts);
            using var partGradients = new PartGradients(backpropagation, parts);
            var split = Trainer.SplitGradient(backpropagation, data, epochOrder, 50, size, parts, team, partGradients, out double lossSum)
                .data<float>().ToArray();
            Assert.Equal(whole.Length, split.Length);
            double scale = whole.Max(g => Math.Abs(g));
            Assert.True(scale > 0);
            for (int i = 0; i < whole.Length; i++)
                Assert.True(Math.Abs(whole[i] - split[i]) <= 1e-5 * scale, $"gradient {i}: whole batch {whole[i]}, split {split[i]}");
            Assert.Equal(wholeLoss.item<float>() * size, lossSum, 1e-4 * lossSum);
        }

        [Fact]
        public void TrainingOnTwoThreadsGivesTheModelOfOneThreadUpToRounding()
        {
            var training = SyntheticData.Normal(8192, 21);
            var probe = SyntheticData.Normal(500, 22);
            double[] Scores(int threads, out AutoencoderModel model)
            {
                model = new AutoencoderModel(new ModelSettings(seed: 5));
                model.Train(new FeatureSchema(SyntheticData.FeatureNames), training,
                    new TrainingOptions { Epochs = 3, BatchSize = 4096, Threads = threads });
                return model.Score(probe).Select(s => s.Score).ToArray();
            }
            var one = Scores(1, out var oneModel);
            var two = Scores(2, out var twoModel);
            using (oneModel)
            using (twoModel)
            {
                // Six steps: the split sums round differently, nothing else differs.
                for (int i = 0; i < one.Length; i++)
                    Assert.Equal(one[i], two[i], Math.Max(1e-9, 1e-3 * one[i]));
                Assert.Equal(oneModel.Threshold, twoModel.Threshold, 1e-3 * oneModel.Threshold);
                Assert.Equal(oneModel.Training!.Epochs, twoModel.Training!.Epochs);
            }
        }

        [Fact]
        public void ThreadsOutsideTheirRangeAreRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Threads = 0 }.Validate());
            Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerTeam(0));
        }
    }
}
