using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// The training loop: epochs of shuffled mini-batches through the network, with robust training's trimming
    /// (<see cref="RobustTrimming"/>) and early stopping (<see cref="Modeling.EarlyStopping"/>). It changes only the network it is given; the model takes the result.
    /// </summary>
    internal static class Trainer
    {
        /// <summary>
        /// Trains <paramref name="candidate"/> on <paramref name="scaled"/> (<paramref name="n"/> rows of
        /// <paramref name="d"/> scaled values, row-major). Returns the epochs and the share of rows trimmed (null when
        /// trimming never started and no share was given).
        /// </summary>
        public static (List<EpochResult> History, double? TrimmedShare) Run(
            AutoencoderNetwork candidate, float[] scaled, int n, int d, TrainingOptions options, int shuffleSeed,
            Action<EpochResult>? onEpoch, CancellationToken cancellation, WorkerTeam? team = null)
        {
            TorchRuntime.ApplyThreadCountHere();
            var history = new List<EpochResult>();
            var shuffler = new Random(shuffleSeed);
            var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
            using var wrapped = torch.tensor(scaled, new long[] { n, d });
            using var data = wrapped.clone();
            // Gradients by backpropagation written out for the network's layers, into the flat layout Adam updates.
            using var backpropagation = new Backpropagation(candidate, options.Loss);
            using var optimizer = new AdamOptimizer(backpropagation.Parameters, options.LearningRate);
            using var gradient = torch.zeros(optimizer.Count);
            using var slices = backpropagation.Into(gradient);
            // Robust training: after the warm-up epochs, each epoch trains on the rows the network reconstructs best,
            // leaving out the share expected (or estimated) to be outliers. See RobustTrimming.
            int warmup = RobustTrimming.WarmupEpochs(options.Epochs);
            double? trimmedShare = options.Robust ? options.Contamination : 0;
            var stopping = options.EarlyStopping ? new EarlyStopping(options.Epochs, warmup + 1) : null;
            // Each thread's part of a split batch's gradient (the update takes their weighted sum).
            using var parallel = team != null && team.Size > 1 ? new PartGradients(backpropagation, team.Size) : null;
            candidate.train();
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                if (options.Robust && epoch > warmup && trimmedShare != 0)
                {
                    candidate.eval();
                    var current = ForwardPass.RankingErrors(candidate, options.Loss, data, team);
                    candidate.train();
                    trimmedShare ??= RobustTrimming.EstimateShare(current);
                    order = RobustTrimming.Kept(current, trimmedShare.Value);
                }
                Shuffle(order, shuffler);
                double lossSum = 0;
                // The epoch's order as one index tensor; each batch selects its rows through a slice of it.
                using var epochOrder = torch.tensor(order);
                int rowsThisEpoch = order.Length;
                for (int start = 0; start < rowsThisEpoch; start += options.BatchSize)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int size = Math.Min(options.BatchSize, rowsThisEpoch - start);
                    int parts = team == null ? 1 : Math.Clamp(size / TrainingOptions.MinRowsPerThread, 1, team.Size);
                    if (parts > 1)
                    {
                        lossSum += ParallelStep(backpropagation, data, epochOrder, start, size, parts, optimizer, team!, parallel!);
                        continue;
                    }
                    using var scope = torch.NewDisposeScope();
                    var batch = data.index_select(0, epochOrder.narrow(0, start, size));
                    float loss = backpropagation.Compute(batch, slices);
                    optimizer.Update(gradient);
                    lossSum += loss * size;
                }
                double epochLoss = lossSum / rowsThisEpoch;
                if (double.IsNaN(epochLoss) || double.IsInfinity(epochLoss))
                    throw new AutoencoderException(ErrorIds.TrainingDiverged,
                        $"Training diverged in epoch {epoch} (loss {epochLoss}). Lower the learning rate or check the scaling.");
                var result = new EpochResult(epoch, options.Epochs, epochLoss, epochClock.Elapsed);
                history.Add(result);
                onEpoch?.Invoke(result);
                if (stopping != null && stopping.Stop(epoch, epochLoss)) break;
            }
            return (history, trimmedShare);
        }

        /// <summary>
        /// One step on a batch split into <paramref name="parts"/> parts (<see cref="SplitGradient"/>). Returns the
        /// batch's summed loss (mean times rows), as the one-thread step adds it.
        /// </summary>
        private static double ParallelStep(Backpropagation backpropagation, Tensor data, Tensor epochOrder, int start, int size, int parts,
            AdamOptimizer optimizer, WorkerTeam team, PartGradients parallel)
        {
            using var scope = torch.NewDisposeScope();
            var flat = SplitGradient(backpropagation, data, epochOrder, start, size, parts, team, parallel, out double lossSum);
            optimizer.Update(flat);
            return lossSum;
        }

        /// <summary>
        /// The gradient of the batch (rows <paramref name="start"/> .. + <paramref name="size"/> of
        /// <paramref name="epochOrder"/>) split into <paramref name="parts"/> contiguous parts, each part's loss and
        /// gradient on a thread of the team (into its row of <paramref name="parallel"/>): the batch's mean loss is
        /// the size-weighted mean of its parts' mean losses, so its gradient is the size-weighted sum of theirs. The same
        /// as the whole batch's gradient up to the rounding of that sum. A temporary of the caller's dispose scope.
        /// </summary>
        internal static Tensor SplitGradient(Backpropagation backpropagation, Tensor data, Tensor epochOrder, int start, int size, int parts,
            WorkerTeam team, PartGradients parallel, out double lossSum)
        {
            var losses = new float[parts];
            var weights = new float[parts];
            team.Run(parts, p =>
            {
                int from = start + (int)((long)size * p / parts), to = start + (int)((long)size * (p + 1) / parts);
                using var scope = torch.NewDisposeScope();
                var batch = data.index_select(0, epochOrder.narrow(0, from, to - from));
                losses[p] = backpropagation.Compute(batch, parallel.Slices[p]);
                weights[p] = (to - from) / (float)size;
            });
            lossSum = 0;
            for (int p = 0; p < parts; p++) lossSum += (double)losses[p] * weights[p] * size;
            using var noGrad = torch.no_grad();
            return torch.tensor(weights).matmul(parallel.Rows.narrow(0, 0, parts));
        }

        private static void Shuffle(long[] order, Random random)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
    }

    /// <summary>One flat gradient per thread of a team (the rows of one tensor), each with its layers' slices.</summary>
    internal sealed class PartGradients : IDisposable
    {
        public PartGradients(Backpropagation backpropagation, int parts)
        {
            Rows = torch.zeros(parts, backpropagation.Count);
            rows = Enumerable.Range(0, parts).Select(p => Rows[p]).ToArray();
            Slices = rows.Select(backpropagation.Into).ToArray();
        }

        private readonly Tensor[] rows;
        public Tensor Rows { get; }
        public GradientSlices[] Slices { get; }

        public void Dispose()
        {
            foreach (var s in Slices) s.Dispose();
            foreach (var r in rows) r.Dispose();
            Rows.Dispose();
        }
    }
}
