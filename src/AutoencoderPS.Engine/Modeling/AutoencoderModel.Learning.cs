using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>
    /// Continual learning (opt-in, <see cref="AutoencoderModel.LearnEvery"/>): the model keeps learning from the rows (windows)
    /// it scored as normal. They are collected in a buffer; each time the buffer holds <see cref="AutoencoderModel.LearnEvery"/>
    /// of them, the network takes <see cref="AutoencoderModel.LearningStepsPerUpdate"/> optimizer step on one batch (the training
    /// loop's own step: <see cref="Trainer"/>, Adam at the last training run's learning rate) and the buffer is emptied. The batch
    /// is the buffer plus as many windows drawn from a reservoir, a uniform sample (at most <see cref="MaxReservoirRows"/>) of every
    /// normal window seen since learning began, so a normal that comes back after a while is not forgotten.
    /// Cost: one step on 2 x LearnEvery windows per LearnEvery normal windows, and one more forward pass of the rest of the
    /// scoring batch, which the pipeline scores again with the new weights.
    /// <para>
    /// What stays fixed: the schema, the scaling's centre and scale, and the raw threshold with its training errors. What
    /// moves: the weights, and the training range of the scaled inputs (<see cref="FeatureScaler.Beyond"/>), which widens to
    /// the rows learned from, as incremental training widens it: a value the model has learned from is no longer "never seen".
    /// A calibrated (likelihood) score adapts to the new errors by itself. A model scaled per group keeps each window's group
    /// with it (waiting and in the reservoir, and in the model file): each window is scaled by its group's scaling, and the
    /// range that widens is its group's (and the fleet's, as for any model).
    /// </para>
    /// <para>
    /// Adam's moments are not kept between updates: each update starts a fresh optimizer. Its first step moves every weight
    /// by at most the learning rate (Adam's bias-corrected first step is the rate times the gradient's sign), so an update's
    /// reach is bounded whatever the rows were, and the learned state is the weights and the buffer alone (saved in the
    /// model file, and in the scheduled job's state).
    /// </para>
    /// </summary>
    public sealed partial class AutoencoderModel
    {
        /// <summary>The most normal rows one update may wait for.</summary>
        public const int MaxLearnEvery = 100000;

        /// <summary>Optimizer steps per update (each on the whole buffer, as one batch).</summary>
        public const int LearningStepsPerUpdate = 1;

        private int learnEvery;
        private readonly List<double[]> learningBuffer = new List<double[]>();

        // Each waiting window's group (the window key's), beside learningBuffer: a model scaled per group scales it by it.
        private readonly List<string?> learningBufferGroups = new List<string?>();

        /// <summary>
        /// Continual learning: after every this many rows (windows) scored as normal, one optimizer step on them. 0 (the
        /// default): off, the weights never change after training. Setting it empties the buffer of rows waiting.
        /// </summary>
        public int LearnEvery
        {
            get => learnEvery;
            set
            {
                if (value < 0 || value > MaxLearnEvery)
                    throw new ArgumentOutOfRangeException(nameof(LearnEvery), value, $"LearnEvery must lie between 0 (off) and {MaxLearnEvery}.");
                lock (sync)
                {
                    learnEvery = value;
                    learningBuffer.Clear();
                    learningBufferGroups.Clear();
                }
            }
        }

        /// <summary>True when scoring changes the weights (<see cref="LearnEvery"/> above 0): scoring must then go in row order, on one thread.</summary>
        public bool Learns => learnEvery > 0;

        /// <summary>Updates continual learning has made since the last training run.</summary>
        public long LearningUpdates { get; private set; }

        /// <summary>Continual learning in a phrase, for the model's display: the setting, the updates made and the rows waiting.</summary>
        public string ContinualLearning
        {
            get
            {
                string unit = Settings.IsWindowed ? "windows" : "rows";
                if (learnEvery > 0)
                    return FormattableString.Invariant($"one step every {learnEvery} normal {unit}; {LearningUpdates} updates since training, {LearningPending} {unit} waiting");
                return LearningUpdates > 0 ? FormattableString.Invariant($"off ({LearningUpdates} updates were learned)") : "off";
            }
        }

        /// <summary>Normal rows (windows) waiting in the buffer for the next update.</summary>
        public int LearningPending
        {
            get { lock (sync) return learningBuffer.Count; }
        }

        /// <summary>
        /// Hands the model a row (a row model's features) or window (a sliding-window model's) that scoring found normal.
        /// Returns true when it completed the buffer and the weights changed: rows after it must be scored anew.
        /// Does nothing (false) when the model does not learn. <paramref name="featurizedBy"/>: as for <see cref="Score"/>;
        /// <paramref name="group"/>: the window's group (its key's), which a model scaled per group scales it by.
        /// </summary>
        public bool LearnFrom(double[] input, FeatureSchema? featurizedBy = null, string? group = null)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            lock (sync)
            {
                ThrowIfDisposed();
                ThrowIfTrainedSince(featurizedBy);
                if (learnEvery == 0 || network == null || Scaler == null || Architecture == null) return false;
                if (input.Length != Architecture.InputSize)
                    throw new ArgumentException($"A row to learn from has {Architecture.InputSize} values, one per network input.", nameof(input));
                var copy = (double[])input.Clone();
                learningBuffer.Add(copy);
                learningBufferGroups.Add(group);
                Remember(copy, group);
                if (learningBuffer.Count < UpdateRows) return false;
                // The step changes the weights in place: not while replicas score with them.
                WaitUntilNotLent("score with it while it learns (LearnEvery)");
                int d = Architecture.InputSize;
                // The batch: the new windows, and as many drawn from the reservoir of every normal window seen so far
                // (against forgetting: a normal that comes back, such as the daily cycle after a quiet weekend).
                var batch = new List<double[]>(learningBuffer);
                var batchGroups = new List<string?>(learningBufferGroups);
                for (int k = 0; k < learningBuffer.Count && learningReservoir.Count > 0; k++)
                {
                    int drawn = (int)(Mix((ulong)LearningUpdates * 0x10001UL + (ulong)k) % (ulong)learningReservoir.Count);
                    batch.Add(learningReservoir[drawn]);
                    batchGroups.Add(learningReservoirGroups[drawn]);
                }
                int n = batch.Count;
                // Scaled per group: each window by its group's scaling (the fleet's for a group without one), as it was scored.
                var scaled = ForwardPass.Scale(Scaler, batch, perRow: GroupScaling?.PerRow(batchGroups));
                // The rows learned from count as seen: the training range (FeatureScaler.Beyond) widens to the new ones, as
                // incremental training widens it (the fleet's, and each group's to its own rows). Centres and scales stay.
                int rowWidth = Scaler.Count;
                var learnedRows = new List<double[]>(learningBuffer.Count * (d / rowWidth));
                var learnedGroups = new List<string?>(learnedRows.Capacity);
                for (int w = 0; w < learningBuffer.Count; w++)
                    for (int at = 0; at < d; at += rowWidth)
                    {
                        learnedRows.Add(learningBuffer[w].AsSpan(at, rowWidth).ToArray());
                        learnedGroups.Add(learningBufferGroups[w]);
                    }
                var widenedGroups = GroupScaling?.WithRange(learnedRows, learnedGroups, GroupScaling);
                var widened = widenedGroups?.Fleet ?? Scaler.WithRange(learnedRows, previous: Scaler);
                var options = new TrainingOptions
                {
                    Epochs = LearningStepsPerUpdate,
                    BatchSize = n,
                    LearningRate = (Training?.LearningRate is double rate && rate > 0 ? rate : new TrainingOptions().LearningRate),
                    Loss = Loss,
                    Robust = false,
                    EarlyStopping = false,
                };
                try
                {
                    // The training loop's own step; its shuffle seed only orders the batch's rows.
                    Trainer.Run(network, scaled, n, d, options, unchecked(Settings.Seed + (int)LearningUpdates + 1), null, default);
                }
                finally
                {
                    network.eval();
                }
                // Only a step that went through counts: the buffer, the range and the count change after it.
                Scaler = widened;
                if (widenedGroups != null) GroupScaling = widenedGroups;
                learningBuffer.Clear();
                learningBufferGroups.Clear();
                LearningUpdates++;
                return true;
            }
        }

        /// <summary>The learned state beside the weights: the setting, the updates made and the buffer (for the model file).</summary>
        public LearningState Learning
        {
            get
            {
                lock (sync)
                {
                    int width = Architecture?.InputSize ?? 0;
                    bool grouped = Settings.ScalePerGroup;
                    return new LearningState(learnEvery, LearningUpdates, Flat(learningBuffer, width), learningSeen, Flat(learningReservoir, width),
                        grouped ? learningBufferGroups.ToArray() : null, grouped ? learningReservoirGroups.ToArray() : null);
                }
            }
        }

        private static double[] Flat(List<double[]> rows, int width)
        {
            var flat = new double[rows.Count * width];
            for (int i = 0; i < rows.Count; i++) Array.Copy(rows[i], 0, flat, i * width, width);
            return flat;
        }

        private void ResetLearning()
        {
            learningBuffer.Clear();
            learningBufferGroups.Clear();
            learningReservoir.Clear();
            learningReservoirGroups.Clear();
            learningSeen = 0;
            LearningUpdates = 0;
        }

        /// <summary>
        /// The most values (rows times network inputs) that wait for an update: they live in the model file. A model with
        /// wide inputs and a large <see cref="LearnEvery"/> updates sooner, after this many values.
        /// </summary>
        public const int MaxPendingValues = 1 << 18;

        // Rows (windows) per update: LearnEvery, or fewer where that many would pass MaxPendingValues.
        private int UpdateRows => Math.Max(1, Math.Min(learnEvery, MaxPendingValues / Math.Max(1, Architecture!.InputSize)));

        /// <summary>The most values the reservoir holds (windows times inputs): it lives in the model file.</summary>
        public const int MaxReservoirValues = 1 << 16;

        /// <summary>The most windows the reservoir holds (fewer for wide inputs: <see cref="MaxReservoirValues"/>).</summary>
        public const int MaxReservoirRows = 256;

        private readonly List<double[]> learningReservoir = new List<double[]>();
        private readonly List<string?> learningReservoirGroups = new List<string?>();
        private long learningSeen;

        private int ReservoirRows => Math.Max(1, Math.Min(MaxReservoirRows, MaxReservoirValues / Math.Max(1, Architecture!.InputSize)));

        // Reservoir sampling (Vitter's algorithm R): every normal window seen has the same chance to be in the reservoir. The
        // draws come from a hash of the count, not a random generator, so they are the same in every run and after a reload.
        private void Remember(double[] window, string? group)
        {
            learningSeen++;
            if (learningReservoir.Count < ReservoirRows)
            {
                learningReservoir.Add(window);
                learningReservoirGroups.Add(group);
                return;
            }
            ulong j = Mix((ulong)learningSeen) % (ulong)learningSeen;
            if (j < (ulong)learningReservoir.Count)
            {
                learningReservoir[(int)j] = window;
                learningReservoirGroups[(int)j] = group;
            }
        }

        // SplitMix64's finaliser, keyed by the model's seed.
        private ulong Mix(ulong x)
        {
            x += 0x9E3779B97F4A7C15UL * (ulong)(uint)Settings.Seed + 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }

        // Called on a model being restored (not yet shared).
        private AutoencoderModel WithLearning(LearningState? state)
        {
            if (state == null) return this;
            int width = Architecture!.InputSize;
            if (state.Every < 0 || state.Every > MaxLearnEvery || state.Updates < 0)
                throw new ArgumentException($"its continual learning setting ({state.Every} rows, {state.Updates} updates) is out of range");
            learnEvery = state.Every;
            if (state.Pending.Length % width != 0 || state.Pending.Length > 0 && state.Pending.Length / width >= UpdateRows)
                throw new ArgumentException("its continual learning buffer does not hold whole rows of the network's inputs, or holds a full update");
            if (state.Reservoir.Length % width != 0 || state.Reservoir.Length / width > ReservoirRows || state.Seen < state.Reservoir.Length / width)
                throw new ArgumentException("its continual learning reservoir does not hold whole rows of the network's inputs, or more than it may");
            if (!state.Pending.All(double.IsFinite) || !state.Reservoir.All(double.IsFinite))
                throw new ArgumentException("its continual learning rows hold values that are not finite numbers");
            // Scaled per group, each window keeps its group (a file without them, written before a model scaled per group
            // could learn, holds none: every window without a group is scaled by the fleet's).
            int pending = state.Pending.Length / width, reservoir = state.Reservoir.Length / width;
            if (state.PendingGroups != null && state.PendingGroups.Length != pending || state.ReservoirGroups != null && state.ReservoirGroups.Length != reservoir)
                throw new ArgumentException("its continual learning rows' groups are not one per row");
            if (!Settings.ScalePerGroup && (state.PendingGroups?.Length > 0 || state.ReservoirGroups?.Length > 0))
                throw new ArgumentException("its continual learning rows have groups, but it is not scaled per group");
            LearningUpdates = state.Updates;
            learningSeen = state.Seen;
            for (int k = 0; k < pending; k++)
            {
                learningBuffer.Add(state.Pending.AsSpan(k * width, width).ToArray());
                learningBufferGroups.Add(state.PendingGroups?[k]);
            }
            for (int k = 0; k < reservoir; k++)
            {
                learningReservoir.Add(state.Reservoir.AsSpan(k * width, width).ToArray());
                learningReservoirGroups.Add(state.ReservoirGroups?[k]);
            }
            return this;
        }
    }

    /// <summary>What continual learning holds beside the weights: the setting, the updates made, and the rows (windows) waiting, as scored (row-major).</summary>
    public sealed class LearningState
    {
        public LearningState(int every, long updates, double[] pending, long seen = 0, double[]? reservoir = null,
            string?[]? pendingGroups = null, string?[]? reservoirGroups = null)
        {
            Every = every;
            Updates = updates;
            Pending = pending ?? Array.Empty<double>();
            Seen = seen;
            Reservoir = reservoir ?? Array.Empty<double>();
            PendingGroups = pendingGroups;
            ReservoirGroups = reservoirGroups;
        }

        public int Every { get; }
        public long Updates { get; }
        public double[] Pending { get; }

        /// <summary>Normal windows seen by the reservoir's sampling.</summary>
        public long Seen { get; }

        /// <summary>The reservoir: a uniform sample of the normal windows seen (row-major).</summary>
        public double[] Reservoir { get; }

        /// <summary>A model scaled per group: each waiting window's group (null: none); else null.</summary>
        public string?[]? PendingGroups { get; }

        /// <summary>A model scaled per group: each reservoir window's group (null: none); else null.</summary>
        public string?[]? ReservoirGroups { get; }
    }
}
