using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>
    /// The default threshold (99th percentile of the training errors) promises about 1 % of normal rows flagged. On a
    /// small baseline many new normal values lie a little beyond the training rows' extremes, which the score counts
    /// (FeatureScaler.Beyond) and the training rows' own errors never hold. The threshold's errors score each row alone at
    /// a feature's extreme against the other rows' scaling and range (FeatureScaler.OthersRanges), as a new row is scored.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public class SmallBaselineThresholdTests
    {
        private readonly ITestOutputHelper output;

        public SmallBaselineThresholdTests(ITestOutputHelper output) => this.output = output;

        // Rows of 16 features driven by 4 latent factors plus independent noise of half their spread (each about unit sd).
        internal static List<double[]> Rows(int count, int seed)
        {
            var loadings = new Random(99);
            var weights = new double[4, 16];
            for (int k = 0; k < 4; k++)
                for (int j = 0; j < 16; j++) weights[k, j] = Gaussian(loadings) * 0.45;
            var random = new Random(seed);
            var rows = new List<double[]>(count);
            for (int i = 0; i < count; i++)
            {
                var latent = Enumerable.Range(0, 4).Select(_ => Gaussian(random)).ToArray();
                var row = new double[16];
                for (int j = 0; j < 16; j++)
                {
                    double v = 0.5 * Gaussian(random);
                    for (int k = 0; k < 4; k++) v += latent[k] * weights[k, j];
                    row[j] = v;
                }
                rows.Add(row);
            }
            return rows;
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        private static readonly string[] Names = Enumerable.Range(0, 16).Select(j => $"f{j}").ToArray();

        internal static AutoencoderModel TrainWithDefaults(List<double[]> training, int seed)
        {
            var (epochs, batch) = TrainingOptions.DefaultBudget(training.Count);
            var model = new AutoencoderModel(new ModelSettings(seed: seed));
            model.Train(new FeatureSchema(Names), training, new TrainingOptions { Epochs = epochs, BatchSize = batch });
            return model;
        }

        // Measured (seeds 1, 2): 17.2 % and 8.5 % of new normal rows flagged with the training rows' own errors, of which
        // 31 % and 21 % lie beyond the 120 rows' range in some feature (of the others 3.6 % and 3.0 % flagged: the network
        // knows its training rows). With the extremes scored against the other rows: 10.4 % and 3.4 %. With the errors
        // scaled to rows unseen in training (5-fold cross-fitting, ASmallBaselinesThresholdErrorsAreScaledToRowsUnseenInTraining):
        // 7.45 % and 1.47 % (seed 3: 7.05 -> 1.73 %; MeasureFlaggedShareBySizeAndSeed).
        [Fact]
        public void OnASmallBaselineTheThresholdCountsNewNormalRowsBeyondTheTrainingRange()
        {
            double share = MeanFlaggedShare(model => { }, "");
            Assert.True(share <= 0.06, $"{share:P1} of new normal rows above the threshold on average, which promises about 1 %");
        }

        // A review measured it (seeds 1, 2): an incremental run on 120 more rows took the threshold from its rows' own
        // errors, 10.4 % -> 3.6 % and 3.5 % -> 4.6 % flagged (the 240 rows trained at once: 1.2 % and 1.7 %).
        [Fact]
        public void AnIncrementalRunCountsItsRowsBeyondTheRangeTrainedBeforeToo()
        {
            double share = MeanFlaggedShare(model =>
            {
                var more = Rows(120, model.Settings.Seed + 50);
                var (epochs, batch) = TrainingOptions.DefaultBudget(more.Count);
                model.Train(model.Schema!, more, new TrainingOptions { Epochs = epochs, BatchSize = batch }, continueTraining: true);
            }, " after an incremental run");
            Assert.True(share <= 0.03, $"{share:P1} of new normal rows above the threshold on average after an incremental run");
        }

        // The mean share of 4,000 new normal rows a model flags, trained on 120 rows with seeds 1 and 2, then given to `then`.
        private double MeanFlaggedShare(Action<AutoencoderModel> then, string what)
        {
            var fresh = Rows(4000, 1000);
            var shares = new List<double>();
            foreach (int seed in new[] { 1, 2 })
            {
                using var model = TrainWithDefaults(Rows(120, seed), seed);
                then(model);
                double flagged = model.Score(fresh).Count(s => s.IsAnomaly) / (double)fresh.Count;
                output.WriteLine($"seed {seed}: {flagged:P1} of new normal rows flagged{what}; {model.ThresholdSource}");
                shares.Add(flagged);
            }
            return shares.Average();
        }

        [Fact]
        public void AnIncrementalRowCountsOnlyWhereItIsAloneBeyondTheRangeTrainedBefore()
        {
            // A run's rows inside the range trained before are no new rows beyond it: nothing to score again.
            var first = Rows(200, 7);
            var scaler = FeatureScaler.Fit(first, Enumerable.Repeat(SlotKind.Numeric, 16).ToArray(), ScalingMethod.RobustSigmoid).WithRange(first);
            var inside = first.Take(50).Select(r => r.Select(v => v * 0.5).ToArray()).ToList();
            Assert.Empty(scaler.WithRange(inside, previous: scaler).OthersRanges(inside, before: scaler));
            // One row beyond it in feature 3: that row, bounded by the range before, its scaling kept.
            var beyond = inside.Select(r => (double[])r.Clone()).ToList();
            beyond[10][3] = scaler.High(3)!.Value + 5;
            var widened = scaler.WithRange(beyond, previous: scaler);
            var others = widened.OthersRanges(beyond, before: scaler).ToList();
            Assert.Equal(new[] { 10 }, others.Select(o => o.Row));
            Assert.Equal(scaler.High(3), others[0].Others.High(3));
            for (int j = 0; j < 16; j++) Assert.Equal(widened.Transform(j, beyond[10][j]), others[0].Others.Transform(j, beyond[10][j]));
        }

        // A small baseline's threshold errors are scaled by how much larger the errors of rows unseen in training are
        // (AutoencoderModel.UnseenErrorRatio, 5-fold cross-fitting): the stored errors are the scaled ones, so a
        // recalibration on them by the same rule gives the same threshold, and the source names the factor.
        [Fact]
        public void ASmallBaselinesThresholdErrorsAreScaledToRowsUnseenInTraining()
        {
            var rows = Rows(120, 3);
            var (epochs, batch) = TrainingOptions.DefaultBudget(rows.Count);
            using var own = new AutoencoderModel(new ModelSettings(seed: 3));
            own.Train(new FeatureSchema(Names), rows, new TrainingOptions { Epochs = epochs, BatchSize = batch, UnseenRowsThreshold = false });
            using var model = TrainWithDefaults(rows, 3);
            var match = System.Text.RegularExpressions.Regex.Match(model.ThresholdSource, @"their errors x ([0-9.]+), as of rows not trained on: 5-fold cross-fitting");
            Assert.True(match.Success, model.ThresholdSource);
            double factor = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(factor > 1, model.ThresholdSource);
            // The same network (the folds are other models): its scores are unchanged, its stored errors scaled.
            Assert.Equal(own.Score(rows).Select(s => s.Score), model.Score(rows).Select(s => s.Score));
            Assert.Equal(own.TrainingErrors.Count, model.TrainingErrors.Count);
            for (int i = 0; i < own.TrainingErrors.Count; i++)
                Assert.Equal(own.TrainingErrors[i] * factor, model.TrainingErrors[i], own.TrainingErrors[i] * factor * 1e-3);
            double threshold = model.Threshold;
            model.SetThreshold(ThresholdRule.Default);
            Assert.Equal(threshold, model.Threshold);
            Assert.Equal(threshold, ThresholdRule.Default.Compute(model.TrainingErrors));
        }

        [Fact]
        public void OnALargeBaselineTheThresholdIsTheTrainingRowsOwn()
        {
            // 3,000 rows of 16 features: at most 32 rows are alone at an extreme, too few to move the 99th percentile far.
            using var model = TrainWithDefaults(Rows(3000, 3), 3);
            Assert.DoesNotContain("cross-fitting", model.ThresholdSource, StringComparison.Ordinal);
            var own = model.Score(Rows(3000, 3)).Select(s => s.Score).ToArray();
            double inSample = AutoencoderPS.Engine.Numerics.Statistics.Percentile(own, 99);
            Assert.InRange(model.Threshold, inSample, inSample * 1.1);
        }
        /// <summary>
        /// The protocol above over more seeds and baseline sizes, printed: the share of 4,000 new normal rows above the
        /// default threshold, of the seed's next rows and of another stream, and the training time. A measurement, not a
        /// check: it runs only with AUTOENCODERPS_MEASURE=1 (a few minutes; AUTOENCODERPS_MEASURE_SIZES picks the sizes).
        /// </summary>
        [Fact]
        public void MeasureFlaggedShareBySizeAndSeed()
        {
            if (Environment.GetEnvironmentVariable("AUTOENCODERPS_MEASURE") != "1") return;
            var fresh = Rows(4000, 1000);
            var sizes = (Environment.GetEnvironmentVariable("AUTOENCODERPS_MEASURE_SIZES") ?? "120,300,1000,2000,3000")
                .Split(',').Select(int.Parse).ToArray();
            foreach (int n in sizes)
            {
                var shares = new List<double>();
                foreach (int seed in new[] { 1, 2, 3 })
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    using var model = TrainWithDefaults(Rows(n, seed), seed);
                    double seconds = clock.Elapsed.TotalSeconds;
                    double flagged = model.Score(fresh).Count(s => s.IsAnomaly) / (double)fresh.Count;
                    shares.Add(flagged);
                    var same = Rows(n + 4000, seed).Skip(n).ToList();
                    double flaggedSame = model.Score(same).Count(s => s.IsAnomaly) / (double)same.Count;
                    var other = Rows(4000, 2000 + seed);
                    double flaggedOther = model.Score(other).Count(s => s.IsAnomaly) / (double)other.Count;
                    output.WriteLine(FormattableString.Invariant(
                        $"MEASURE n={n} seed={seed}: {flagged:P2} flagged, threshold {model.Threshold:G5}, {seconds:0.00} s; next 4,000 rows of the seed's stream {flaggedSame:P2}, seed {2000 + seed}: {flaggedOther:P2}; {model.ThresholdSource}"));
                }
                output.WriteLine(FormattableString.Invariant($"MEASURE n={n} mean {shares.Average():P2}"));
            }
        }
    }
}
