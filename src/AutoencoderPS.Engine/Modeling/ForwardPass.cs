using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// The way rows reach the network and come back as errors, shared by training and scoring: scaling into the
    /// network's input, sliding windows, the forward pass in fixed chunks, and the row score.
    /// </summary>
    internal static class ForwardPass
    {
        // Far beyond any trained range yet finite in float, so an absurd input scores as a huge error, not NaN.
        private const float MaxScaledValue = 1e6f;

        /// <summary>
        /// Arrays a scorer reuses from batch to batch instead of allocating them per batch: the scaled inputs, how far they
        /// lie beyond the training range, and the network's padded input and output chunk. One per model, used under its
        /// lock (a file scorer's workers each have their own replica). The arrays a batch's scores read (their errors and
        /// the network's output) only for a caller done with those scores before the next batch (a file's sink, which
        /// writes each row as it is scored): a score kept longer (a PowerShell object explains itself later) would read
        /// the next batch's values. Scoring files on two threads, the batches' arrays made most of the garbage, and each
        /// garbage collection stops every worker.
        /// </summary>
        internal sealed class Scratch
        {
            private float[] scaled = Array.Empty<float>(), beyond = Array.Empty<float>(), chunk = Array.Empty<float>(), output = Array.Empty<float>(),
                rowErrors = Array.Empty<float>(), reconstructed = Array.Empty<float>();

            public float[] Scaled(int length) => Fit(ref scaled, length);
            public float[] Beyond(int length) => Fit(ref beyond, length);
            public float[] Chunk(int length) => Fit(ref chunk, length);
            public float[] Output(int length) => Fit(ref output, length);
            public float[] RowErrors(int length) => Fit(ref rowErrors, length);
            public float[] Reconstructed(int length) => Fit(ref reconstructed, length);

            // The scores of a transient batch, made once and renewed (RowScore.Renew) batch after batch.
            private readonly List<RowScore> scores = new List<RowScore>();

            /// <summary>Score i of a transient batch: the one score i of the last batch was, renewed, or a new one.</summary>
            public RowScore Score(int i, FeatureSchema schema, double[] input, double score, bool isAnomaly, float[] errors, float[] scaledOutput,
                FeatureScaler scaler, int offset)
            {
                if (i < scores.Count) return scores[i].Renew(schema, input, score, isAnomaly, errors, scaledOutput, scaler, offset);
                var made = new RowScore(schema, input, score, isAnomaly, errors, scaledOutput, scaler, offset);
                if (i == scores.Count && i < MostKept / Math.Max(1, schema.Width)) scores.Add(made);
                return made;
            }

            // Kept up to this many values per array (1 MB): a file scorer's batches fit; a larger pass (a threshold from
            // 4,096 wide windows) gets arrays of its own, so the model does not keep them for as long as it lives.
            private const int MostKept = 1 << 18;

            // At least `length` long (the values are overwritten by the caller).
            private static float[] Fit(ref float[] array, int length)
            {
                if (length > MostKept) return new float[length];
                if (array.Length < length) array = new float[length];
                return array;
            }
        }

        // Rows of the scaler's width, or windows of several rows: slot j of a window is slot j mod d of its row. With
        // scratch, the array is the scratch's (longer than n x width when an earlier batch was larger).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        // `perRow`, when given: each row's (window's) own scaling (Features.GroupScaling), else `scaler` for all.
        internal static float[] Scale(FeatureScaler scaler, IReadOnlyList<double[]> rows, Scratch? scratch = null, IReadOnlyList<FeatureScaler>? perRow = null)
        {
            int d = scaler.Count;
            int width = rows.Count == 0 ? d : rows[0].Length;
            int n = rows.Count;
            var scaled = scratch?.Scaled(n * width) ?? new float[n * width];
            // One look-up of each row through the list interface, not one per value (this code has no profile to
            // devirtualize the call with: see AggressiveOptimization above).
            for (int i = 0; i < n; i++)
            {
                var row = rows[i];
                if (perRow != null) scaler = perRow[i];
                for (int j = 0; j < width; j++)
                    scaled[i * width + j] = Math.Clamp(scaler.Transform(j % d, row[j]), -MaxScaledValue, MaxScaledValue);
            }
            return scaled;
        }

        // Per input, how far each value lies beyond the training range (FeatureScaler.Beyond), in the layout of Scale;
        // null when the scaling has no training range (then every score is the plain reconstruction error).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static float[]? Beyond(FeatureScaler scaler, IReadOnlyList<double[]> rows, Scratch? scratch = null, IReadOnlyList<FeatureScaler>? perRow = null)
        {
            if (!scaler.HasRange && (perRow == null || !perRow.Any(s => s.HasRange))) return null;
            int d = scaler.Count;
            int width = rows.Count == 0 ? d : rows[0].Length;
            int n = rows.Count;
            var beyond = scratch?.Beyond(n * width) ?? new float[n * width];
            for (int i = 0; i < n; i++)
            {
                var row = rows[i];
                if (perRow != null) scaler = perRow[i];
                for (int j = 0; j < width; j++)
                    beyond[i * width + j] = Math.Clamp(scaler.Beyond(j % d, row[j]), -MaxScaledValue, MaxScaledValue);
            }
            return beyond;
        }

        // The training windows from the scaled rows: each window's rows, concatenated oldest first.
        internal static float[] Concatenate(float[] scaledRows, int d, IReadOnlyList<int[]> windows)
        {
            int w = windows.Count == 0 ? 0 : windows[0].Length;
            var result = new float[windows.Count * w * d];
            for (int k = 0; k < windows.Count; k++)
                for (int t = 0; t < w; t++)
                    Array.Copy(scaledRows, windows[k][t] * d, result, (k * w + t) * d, d);
            return result;
        }

        // Rows go through the network in chunks of this fixed size (the last one padded with zeros; large enough
        // that per-call overhead is small against the work of a chunk): libtorch's
        // float kernels round differently for different row counts, and a row's score must not depend on how
        // many rows it was scored with (batch size, training versus scoring).
        internal const int ChunkRows = 256;

        // Per-input errors and reconstructions come back row-major (n x d, scaled units). The network reads the scaled
        // values; the error is measured against them plus how far each lies beyond the training range (null: nothing).
        // With scratch and transient (the caller is done with them before the next batch), those two arrays are the
        // scratch's too, and may be longer than n x d.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static void Forward(AutoencoderNetwork net, LossKind loss, float[] scaled, int n, int d,
            out float[] errors, out float[] reconstructed, float[]? beyond = null, Scratch? scratch = null, bool transient = false)
        {
            bool reuse = transient && scratch != null;
            errors = reuse ? scratch!.RowErrors(n * d) : new float[n * d];
            reconstructed = reuse ? scratch!.Reconstructed(n * d) : new float[n * d];
            ForwardRange(net, loss, scaled, 0, n, d, errors, reconstructed, beyond, scratch);
        }

        // Rows first .. first + n - 1 of scaled (and beyond) into the same rows of errors and reconstructed (null: not kept).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private static void ForwardRange(AutoencoderNetwork net, LossKind loss, float[] scaled, int first, int n, int d,
            float[] errors, float[]? reconstructed, float[]? beyond, Scratch? scratch = null)
        {
            TorchRuntime.ApplyThreadCountHere();
            // Each row starts on a 16-byte boundary (row stride rounded up to 4 floats): the kernels round
            // aligned and unaligned rows differently, so without this a row's score would depend on its place.
            int stride = (d + 3) & ~3;
            var chunk = scratch?.Chunk(ChunkRows * stride) ?? new float[ChunkRows * stride];
            var outputRows = scratch?.Output(ChunkRows * d) ?? new float[ChunkRows * d];
            using var noGrad = torch.no_grad();
            // One input tensor in libtorch's own (aligned) storage, refilled per chunk; the network reads a view of it.
            using var padded = torch.zeros(ChunkRows, stride);
            using var input = padded.narrow(1, 0, d);
            for (int start = first; start < first + n; start += ChunkRows)
            {
                int rows = Math.Min(ChunkRows, first + n - start);
                Array.Clear(chunk, 0, ChunkRows * stride);
                for (int r = 0; r < rows; r++)
                    Array.Copy(scaled, (start + r) * d, chunk, r * stride, d);
                // Whole-buffer copies through spans: TorchSharp's element accessor copies one element per call.
                padded.bytes = MemoryMarshal.AsBytes(chunk.AsSpan(0, ChunkRows * stride));
                using (var scope = torch.NewDisposeScope())
                {
                    var output = net.forward(input).contiguous();
                    MemoryMarshal.Cast<byte, float>(output.bytes).CopyTo(outputRows);
                }
                // The error in managed code, element by element as libtorch's float kernels compute it (one rounding
                // for the difference, one for the square), with no temporary tensors: TorchSharp's square() passes a
                // temporary Scalar that a garbage collection can free mid-call (seen as "Unknown scalar type").
                int at = start * d;
                for (int r = 0; r < rows; r++)
                {
                    int from = r * stride, to = r * d;
                    for (int j = 0; j < d; j++)
                    {
                        float o = outputRows[to + j];
                        float diff = beyond == null ? o - chunk[from + j] : o - (chunk[from + j] + beyond[at + to + j]);
                        errors[at + to + j] = loss == LossKind.Mae ? Math.Abs(diff) : diff * diff;
                        if (reconstructed != null) reconstructed[at + to + j] = o;
                    }
                }
            }
        }

        // Rows a thread of a team scores at least when an error pass is split (whole chunks, so each row is scored in the
        // same chunk position as on one thread: the same errors, bit for bit).
        internal const int MinRowsPerPart = 16 * ChunkRows;

        // Every row's score under the network as it is now, with every row's per-input errors (n x d) in featureErrors;
        // with a team, its threads score parts of the rows at once.
        internal static double[] RowErrors(AutoencoderNetwork net, LossKind loss, float[] scaled, int n, int d, out float[] featureErrors, WorkerTeam? team = null)
        {
            var inputErrors = new float[n * d];
            featureErrors = inputErrors;
            var errors = new double[n];
            int parts = team == null ? 1 : Math.Clamp(n / MinRowsPerPart, 1, team.Size);
            // Part p takes whole chunks: rows [p * chunks / parts, (p + 1) * chunks / parts) of ChunkRows each.
            int chunks = (n + ChunkRows - 1) / ChunkRows;
            void Part(int p)
            {
                int from = (int)((long)chunks * p / parts) * ChunkRows;
                int to = Math.Min(n, (int)((long)chunks * (p + 1) / parts) * ChunkRows);
                ForwardRange(net, loss, scaled, from, to - from, d, inputErrors, null, null);
                for (int i = from; i < to; i++) errors[i] = RowError(inputErrors, i, d);
            }
            if (parts == 1) Part(0);
            else team!.Run(parts, Part);
            return errors;
        }

        // Rows a ranking pass (RankingErrors) sends through the network at once: at most this many (large enough that
        // the per-call cost is small against the arithmetic), and at most RankingChunkValues inputs' worth, so a wide
        // window's chunk stays a few megabytes (at least ChunkRows rows).
        internal const int RankingChunkRows = 8192;
        internal const int RankingChunkValues = 1 << 20;

        internal static int RankingChunkRowsFor(long width) => (int)Math.Clamp(RankingChunkValues / Math.Max(1, width), ChunkRows, RankingChunkRows);

        /// <summary>
        /// Every row's mean error under the network as it is now, for ranking the rows (robust training's trimming), from
        /// the trainer's own tensor of the rows (n x d): large chunks (RankingChunkRowsFor) straight from that tensor, the errors computed by
        /// libtorch, instead of the scoring pass's fixed 256-row chunks copied in and out (which keep a row's score
        /// independent of how many rows were scored with it, to the last bit, as the threshold needs). A row's error here
        /// can differ from its score in the last bits (libtorch rounds differently for different row counts); a ranking
        /// does not depend on that. Chunk by chunk, so the result does not depend on the team.
        /// </summary>
        internal static double[] RankingErrors(AutoencoderNetwork net, LossKind loss, torch.Tensor data, WorkerTeam? team = null)
        {
            int n = (int)data.shape[0];
            int chunkRows = RankingChunkRowsFor(data.shape[1]);
            var errors = new double[n];
            int chunks = (n + chunkRows - 1) / chunkRows;
            int parts = team == null ? 1 : Math.Clamp(chunks, 1, team.Size);
            void Part(int p)
            {
                TorchRuntime.ApplyThreadCountHere();
                using var noGrad = torch.no_grad();
                var values = new float[chunkRows];
                for (int c = (int)((long)chunks * p / parts); c < (int)((long)chunks * (p + 1) / parts); c++)
                {
                    int first = c * chunkRows, rows = Math.Min(chunkRows, n - first);
                    using var scope = torch.NewDisposeScope();
                    var input = data.narrow(0, first, rows);
                    var difference = net.forward(input).sub_(input);
                    var perRow = (loss == LossKind.Mae ? difference.abs_() : difference.mul_(difference)).mean(new long[] { 1 }, false, null);
                    MemoryMarshal.Cast<byte, float>(perRow.bytes).CopyTo(values);
                    for (int r = 0; r < rows; r++) errors[first + r] = values[r];
                }
            }
            if (parts == 1) Part(0);
            else team!.Run(parts, Part);
            return errors;
        }

        // The row score: mean of the per-feature errors, summed in double so training and scoring agree exactly; over the
        // inputs that were measured when `filledIn` of them were filled in for missing values (their errors are 0).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static double RowError(float[] errors, int row, int d, int filledIn = 0)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += errors[row * d + j];
            return sum / (d - filledIn);
        }

        /// <summary>
        /// The inputs of a row (window) of <paramref name="d"/> inputs whose values were missing and filled in, from its
        /// filled-in <paramref name="cells"/>: a cell is <c>step * schema.Width + column</c>, the step counted from a
        /// window's oldest row (a row model's row is step 0; see WindowStep.FilledCells). Null when there are none, or
        /// when they would be all of them (a row with nothing measured is scored as it is).
        /// </summary>
        internal static int[]? FilledSlots(FeatureSchema schema, int d, IReadOnlyList<int>? cells)
        {
            if (cells == null || cells.Count == 0) return null;
            int width = schema.Width;
            var slots = cells.SelectMany(cell => Enumerable.Range(cell / width * width + schema.FirstSlot(cell % width), schema.WidthOf(cell % width))).ToArray();
            return slots.Length == 0 || slots.Length >= d ? null : slots;
        }

        // Sets row `row`'s errors of the filled-in inputs `slots` (FilledSlots) to 0.
        internal static void Mask(float[] errors, int row, int d, int[] slots)
        {
            foreach (int j in slots) errors[row * d + j] = 0;
        }
    }
}
