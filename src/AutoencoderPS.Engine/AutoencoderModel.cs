using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderPS.Engine
{
    /// <summary>
    /// An autoencoder anomaly detector: settings, and once trained, the feature schema, scaling, network
    /// and threshold. Scoring and training may be called from several threads; each call sees either
    /// the state before a training run or after it, never a mix.
    /// </summary>
    public sealed class AutoencoderModel : IDisposable
    {
        // torch's random generator is process-wide: seeding and initialising a network must not interleave.
        private static readonly object TorchSeedGate = new object();

        private readonly object sync = new object();
        private AutoencoderNetwork? network;
        private bool disposed;

        public AutoencoderModel(ModelSettings settings)
        {
            Settings = settings;
            ThresholdRule = ThresholdRule.Default;
        }

        public ModelSettings Settings { get; }
        public FeatureSchema? Schema { get; private set; }
        public FeatureScaler? Scaler { get; private set; }
        public NetworkArchitecture? Architecture { get; private set; }
        public LossKind Loss { get; private set; } = LossKind.Mae;
        public ThresholdRule ThresholdRule { get; private set; }

        /// <summary>Scores above this are anomalies; NaN until trained.</summary>
        public double Threshold { get; private set; } = double.NaN;

        public TrainingSummary? Training { get; private set; }
        public bool IsTrained => network != null;

        /// <summary>The features the model reads: the trained schema, or what the user asked for before training.</summary>
        public IReadOnlyList<string> Features => Schema?.Names ?? Settings.Features;

        /// <summary>Layer widths, e.g. "140-32-16-8-16-32-140"; the input width is "?" until trained.</summary>
        public string Layers => Architecture?.ToString()
            ?? "?-" + string.Join("-", Settings.HiddenLayers.Concat(Settings.HiddenLayers.Reverse().Skip(1))) + "-?";

        /// <summary>Trainable parameters; null until the input width is known.</summary>
        public long? ParameterCount => Architecture?.ParameterCount;

        public ScalingMethod? Scaling => Scaler?.Method;

        /// <summary>
        /// Trains a new network on <paramref name="rows"/> (already featurized by <paramref name="schema"/>)
        /// and sets the threshold from the training errors. The model changes only when the whole run
        /// finishes; a cancelled or failed run leaves it as it was.
        /// </summary>
        public IReadOnlyList<EpochResult> Train(
            FeatureSchema schema,
            IReadOnlyList<double[]> rows,
            TrainingOptions options,
            Action<EpochResult>? onEpoch = null,
            CancellationToken cancellation = default)
        {
            ThrowIfDisposed();
            options.Validate();
            if (rows.Count == 0)
                throw new AutoencoderException("EmptyTrainingInput", "No training rows were received.");
            foreach (var row in rows)
                if (row.Length != schema.Count)
                    throw new ArgumentException($"Each row must have {schema.Count} features, one per schema column.", nameof(rows));
            TorchRuntime.EnsureLoaded();

            var clock = Stopwatch.StartNew();
            int n = rows.Count, d = schema.Count;
            var scaler = FeatureScaler.Fit(rows, d, options.Scaling);
            var architecture = new NetworkArchitecture(d, Settings.HiddenLayers, Settings.Activation, Settings.OutputActivation);
            float[] scaled = Scale(scaler, rows);

            AutoencoderNetwork candidate;
            lock (TorchSeedGate)
            {
                torch.random.manual_seed(Settings.Seed);
                candidate = new AutoencoderNetwork(architecture);
            }

            var history = new List<EpochResult>();
            try
            {
                var shuffler = new Random(Settings.Seed);
                var order = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
                using var wrapped = torch.tensor(scaled, new long[] { n, d });
                using var data = wrapped.clone();
                using var optimizer = torch.optim.Adam(candidate.parameters(), options.LearningRate);
                candidate.train();
                for (int epoch = 1; epoch <= options.Epochs; epoch++)
                {
                    var epochClock = Stopwatch.StartNew();
                    Shuffle(order, shuffler);
                    double lossSum = 0;
                    for (int start = 0; start < n; start += options.BatchSize)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        int size = Math.Min(options.BatchSize, n - start);
                        using var scope = torch.NewDisposeScope();
                        var index = torch.tensor(order.AsSpan(start, size).ToArray());
                        var batch = data.index_select(0, index);
                        var output = candidate.forward(batch);
                        var loss = options.Loss == LossKind.Mae
                            ? torch.nn.functional.l1_loss(output, batch)
                            : torch.nn.functional.mse_loss(output, batch);
                        optimizer.zero_grad();
                        loss.backward();
                        optimizer.step();
                        lossSum += loss.item<float>() * size;
                    }
                    double epochLoss = lossSum / n;
                    if (double.IsNaN(epochLoss) || double.IsInfinity(epochLoss))
                        throw new AutoencoderException("TrainingDiverged",
                            $"Training diverged in epoch {epoch} (loss {epochLoss}). Lower the learning rate or check the scaling.");
                    var result = new EpochResult(epoch, options.Epochs, epochLoss, epochClock.Elapsed);
                    history.Add(result);
                    onEpoch?.Invoke(result);
                }

                candidate.eval();
                Forward(candidate, options.Loss, scaled, n, d, out float[] featureErrors, out _);
                var errors = new double[n];
                for (int i = 0; i < n; i++) errors[i] = RowError(featureErrors, i, d);
                double threshold = options.Threshold.Compute(errors);
                var summary = new TrainingSummary
                {
                    Rows = n,
                    Epochs = options.Epochs,
                    BatchSize = options.BatchSize,
                    LearningRate = options.LearningRate,
                    FinalLoss = history[^1].Loss,
                    ErrorMean = ThresholdRule.Mean(errors),
                    ErrorStd = ThresholdRule.StandardDeviation(errors),
                    ErrorMax = errors.Max(),
                    TrainedUtc = DateTime.UtcNow,
                    Duration = clock.Elapsed,
                };
                lock (sync)
                {
                    ThrowIfDisposed();
                    network?.Dispose();
                    network = candidate;
                    Schema = schema;
                    Scaler = scaler;
                    Architecture = architecture;
                    Loss = options.Loss;
                    ThresholdRule = options.Threshold;
                    Threshold = threshold;
                    Training = summary;
                }
                return history;
            }
            catch
            {
                candidate.Dispose();
                throw;
            }
        }

        /// <summary>Scores rows featurized with <see cref="Schema"/>, in one forward pass.</summary>
        public RowScore[] Score(IReadOnlyList<double[]> rows)
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null || Scaler == null || Schema == null)
                    throw new AutoencoderException("ModelNotTrained",
                        "The model is not trained yet. Train it with Invoke-AutoencoderTraining, or load one with Import-Autoencoder.");
                int n = rows.Count, d = Schema.Count;
                if (n == 0) return Array.Empty<RowScore>();
                foreach (var row in rows)
                    if (row.Length != d)
                        throw new ArgumentException($"Each row must have {d} features.", nameof(rows));
                float[] scaled = Scale(Scaler, rows);
                Forward(network, Loss, scaled, n, d, out float[] errors, out float[] reconstructed);
                var scores = new RowScore[n];
                for (int i = 0; i < n; i++)
                {
                    var rowErrors = new float[d];
                    var rowReconstruction = new double[d];
                    Array.Copy(errors, i * d, rowErrors, 0, d);
                    int top = 0;
                    for (int j = 0; j < d; j++)
                    {
                        if (rowErrors[j] > rowErrors[top]) top = j;
                        rowReconstruction[j] = Scaler.Inverse(j, reconstructed[i * d + j]);
                    }
                    double score = RowError(errors, i, d);
                    // A score that is not a number is never silently normal.
                    scores[i] = new RowScore(score, !(score <= Threshold), top, rowErrors, rowReconstruction);
                }
                return scores;
            }
        }

        /// <summary>A readable summary: features, layers, parameters, training state and threshold.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(IsTrained ? "Trained autoencoder " : "Untrained autoencoder ");
            text.Append(Layers);
            if (Schema != null) text.Append($", {Schema.Count} features");
            if (IsTrained) text.Append($", threshold {Threshold:G4} ({ThresholdRule})");
            return text.ToString();
        }

        public void Dispose()
        {
            lock (sync)
            {
                if (disposed) return;
                disposed = true;
                network?.Dispose();
                network = null;
            }
        }

        /// <summary>Used by the model file reader to rebuild a trained model.</summary>
        internal static AutoencoderModel Restore(
            ModelSettings settings, FeatureSchema schema, FeatureScaler scaler, NetworkArchitecture architecture,
            LossKind loss, ThresholdRule rule, double threshold, TrainingSummary? training, Action<torch.nn.Module> loadWeights)
        {
            TorchRuntime.EnsureLoaded();
            var restored = new AutoencoderNetwork(architecture);
            try
            {
                loadWeights(restored);
                restored.eval();
            }
            catch
            {
                restored.Dispose();
                throw;
            }
            return new AutoencoderModel(settings)
            {
                network = restored,
                Schema = schema,
                Scaler = scaler,
                Architecture = architecture,
                Loss = loss,
                ThresholdRule = rule,
                Threshold = threshold,
                Training = training,
            };
        }

        /// <summary>Runs <paramref name="action"/> on the network under the model's lock (for saving weights).</summary>
        internal void WithNetwork(Action<torch.nn.Module> action)
        {
            lock (sync)
            {
                ThrowIfDisposed();
                if (network == null)
                    throw new AutoencoderException("ModelNotTrained", "The model is not trained yet, so there is nothing to save.");
                action(network);
            }
        }

        // Far beyond any trained range yet finite in float, so an absurd input scores as a huge error, not NaN.
        private const float MaxScaledValue = 1e6f;

        private static float[] Scale(FeatureScaler scaler, IReadOnlyList<double[]> rows)
        {
            int d = scaler.Count;
            var scaled = new float[rows.Count * d];
            for (int i = 0; i < rows.Count; i++)
                for (int j = 0; j < d; j++)
                    scaled[i * d + j] = Math.Clamp(scaler.Transform(j, rows[i][j]), -MaxScaledValue, MaxScaledValue);
            return scaled;
        }

        // One forward pass; per-feature errors and reconstructions come back row-major (n x d, scaled units).
        private static void Forward(AutoencoderNetwork net, LossKind loss, float[] scaled, int n, int d,
            out float[] errors, out float[] reconstructed)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            // torch.tensor wraps the managed array; libtorch's kernels give different last bits for
            // differently aligned memory, so copy into libtorch's own (aligned) storage first.
            var input = torch.tensor(scaled, new long[] { n, d }).clone();
            var output = net.forward(input);
            var error = loss == LossKind.Mae ? (output - input).abs() : (output - input).square();
            errors = error.data<float>().ToArray();
            reconstructed = output.data<float>().ToArray();
        }

        // The row score: mean of the per-feature errors, summed in double so training and scoring agree exactly.
        private static double RowError(float[] errors, int row, int d)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += errors[row * d + j];
            return sum / d;
        }

        private static void Shuffle(long[] order, Random random)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        private void ThrowIfDisposed()
        {
            if (disposed) throw new ObjectDisposedException(nameof(AutoencoderModel), "The model has been disposed.");
        }
    }
}
