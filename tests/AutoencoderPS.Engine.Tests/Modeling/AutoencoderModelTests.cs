using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Tests
{
    [Collection(TorchCollection.Name)]
    public class AutoencoderModelTests
    {
        private readonly TorchFixture fixture;
        private readonly ITestOutputHelper output;

        public AutoencoderModelTests(TorchFixture fixture, ITestOutputHelper output)
        {
            this.fixture = fixture;
            this.output = output;
        }

        private TrainedCase Reference => fixture.Reference;

        [Fact]
        public void TrainingProducesATrainedModelWithItsHistory()
        {
            var reference = Reference;
            var model = reference.Model;

            Assert.True(model.IsTrained);
            Assert.Same(reference.Schema, model.Schema);
            Assert.Equal("6-8-3-8-6", model.Architecture!.ToString());
            Assert.Equal(LossKind.Mae, model.Loss);
            Assert.Equal(ThresholdMethod.MeanStd, model.ThresholdRule.Method);
            Assert.Equal(TrainedCase.ThresholdK, model.ThresholdRule.Value);
            Assert.Equal(ScalingMethod.MinMax, model.Scaler!.Method);

            int epochs = reference.Options.Epochs;
            Assert.Equal(epochs, reference.History.Count);
            Assert.Equal(Enumerable.Range(1, epochs), reference.History.Select(h => h.Epoch));
            Assert.All(reference.History, h => Assert.Equal(epochs, h.Epochs));
            Assert.All(reference.History, h => Assert.True(double.IsFinite(h.Loss) && h.Loss >= 0));

            double first = reference.History[0].Loss, last = reference.History[^1].Loss;
            output.WriteLine($"loss {first:G4} -> {last:G4}");
            Assert.True(last < first / 2, $"loss went from {first} to {last}");

            var summary = model.Training!;
            Assert.Equal(600, summary.Rows);
            Assert.Equal(epochs, summary.Epochs);
            Assert.Equal(reference.Options.BatchSize, summary.BatchSize);
            Assert.Equal(reference.Options.LearningRate, summary.LearningRate);
            Assert.Equal(last, summary.FinalLoss);
            Assert.Equal(DateTimeKind.Utc, summary.TrainedUtc.Kind);
            Assert.StartsWith("Trained autoencoder 6-8-3-8-6, 6 features", model.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void ThresholdIsTheRuleAppliedToTheTrainingErrors()
        {
            var model = Reference.Model;
            var summary = model.Training!;

            Assert.Equal(summary.ErrorMean + TrainedCase.ThresholdK * summary.ErrorStd, model.Threshold, 9);

            // Scoring the training rows gives back the training errors the threshold came from.
            var errors = model.Score(Reference.Training).Select(s => s.Score).ToArray();
            ScoreAssert.Close(summary.ErrorMean, Statistics.Mean(errors), "mean training error");
            ScoreAssert.Close(summary.ErrorStd, Statistics.StandardDeviation(errors), "std of training errors");
            ScoreAssert.Close(summary.ErrorMax, errors.Max(), "largest training error");
            ScoreAssert.Close(model.Threshold, model.ThresholdRule.Compute(errors), "threshold");
            Assert.True(model.Threshold > summary.ErrorMean);
        }

        [Fact]
        public void TrainingErrorsAndScoresOfTheTrainingRowsAgreeExactly()
        {
            // AutoencoderModel.RowError promises "training and scoring agree exactly".
            var model = Reference.Model;

            var errors = model.Score(Reference.Training).Select(s => s.Score).ToArray();

            Assert.Equal(model.Training!.ErrorMean, Statistics.Mean(errors));
            Assert.Equal(model.Threshold, model.ThresholdRule.Compute(errors));
        }

        [Fact]
        public void RepeatedScoringIsBitwiseIdentical()
        {
            var model = Reference.Model;
            var first = model.Score(Reference.HeldOut);
            var garbage = new List<byte[]>();

            for (int k = 0; k < 20; k++)
            {
                garbage.Add(new byte[8 * (k % 5) + 1]); // moves where the next arrays land
                ScoreAssert.Identical(first, model.Score(Reference.HeldOut));
            }
        }

        [Fact]
        public void PercentileThresholdFlagsThatShareOfTheTrainingRows()
        {
            var rule = new ThresholdRule(ThresholdMethod.Percentile, 95);
            var training = SyntheticData.Normal(400, 21);
            using var model = new AutoencoderModel(TrainedCase.NewSettings(5));

            model.Train(new FeatureSchema(SyntheticData.FeatureNames), training, TrainedCase.DefaultOptions(rule, epochs: 15));

            var scores = model.Score(training);
            var errors = scores.Select(s => s.Score).ToArray();
            ScoreAssert.Close(Statistics.Percentile(errors, 95), model.Threshold, "threshold");
            int flagged = scores.Count(s => s.IsAnomaly);
            Assert.InRange(flagged, 1, 20); // 5 % of 400, above the 95th percentile
        }

        [Fact]
        public void AnomaliesScoreHigherThanHeldOutNormalRows()
        {
            var reference = Reference;
            var random = new Random(31);
            var spikes = new List<double[]>();
            var broken = new List<double[]>();
            for (int i = 0; i < 100; i++)
            {
                var row = reference.HeldOut[i];
                spikes.Add(SyntheticData.Spike(row, random.Next(SyntheticData.FeatureCount), reference.Training, ranges: 0.5));
                broken.Add(SyntheticData.BrokenCorrelation(random));
            }

            double normalFlagged = reference.Model.Score(reference.HeldOut).Count(s => s.IsAnomaly) / (double)reference.HeldOut.Count;
            double spikeAuc = Evaluate(reference.HeldOut, spikes, out var spikeMetrics);
            double brokenAuc = Evaluate(reference.HeldOut, broken, out _);
            double allAuc = Evaluate(reference.HeldOut, spikes.Concat(broken).ToList(), out _);
            output.WriteLine($"normal flagged {normalFlagged:P1}; AUC spikes {spikeAuc:F4}, broken {brokenAuc:F4}, all {allAuc:F4}; spike recall {spikeMetrics.Recall:P1}");

            Assert.True(allAuc >= 0.9, $"ROC-AUC {allAuc}");
            Assert.True(spikeAuc >= 0.99, $"ROC-AUC of spikes {spikeAuc}");
            Assert.True(brokenAuc >= 0.8, $"ROC-AUC of broken correlations {brokenAuc}");
            Assert.True(spikeMetrics.Recall >= 0.9, $"spike recall {spikeMetrics.Recall}");
            Assert.True(normalFlagged <= 0.15, $"{normalFlagged:P1} of normal held-out rows flagged");
        }

        private double Evaluate(IReadOnlyList<double[]> normal, IReadOnlyList<double[]> anomalies, out DetectionMetrics metrics)
        {
            var scores = Reference.Model.Score(normal.Concat(anomalies).ToList());
            var truth = normal.Select(_ => false).Concat(anomalies.Select(_ => true)).ToArray();
            metrics = DetectionMetrics.Compute(truth, scores.Select(s => s.IsAnomaly).ToArray(), scores.Select(s => s.Score).ToArray());
            return metrics.RocAuc;
        }

        [Fact]
        public void TopFeaturePointsAtASpikedFeature()
        {
            var reference = Reference;
            for (int feature = 0; feature < SyntheticData.FeatureCount; feature++)
            {
                var rows = reference.HeldOut.Take(5)
                    .Select(r => SyntheticData.Spike(r, feature, reference.Training, ranges: 2))
                    .ToList();

                var scores = reference.Model.Score(rows);

                Assert.All(scores, s =>
                {
                    Assert.Equal(feature, s.TopFeature);
                    Assert.True(s.IsAnomaly);
                    Assert.Equal(s.FeatureErrors.Max(), s.FeatureErrors[feature]);
                });
            }
        }

        [Fact]
        public void ScoreIsTheMeanOfTheFeatureErrorsAndReconstructionIsInOriginalUnits()
        {
            var model = Reference.Model;
            var scaler = model.Scaler!;
            var rows = Reference.HeldOut;

            var scores = model.Score(rows);

            Assert.Equal(rows.Count, scores.Length);
            double relativeErrorSum = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                var s = scores[i];
                Assert.Equal(SyntheticData.FeatureCount, s.FeatureErrors.Count);
                Assert.Equal(SyntheticData.FeatureCount, s.Reconstruction.Count);
                double sum = 0;
                foreach (float e in s.FeatureErrors) sum += e;
                Assert.Equal(sum / SyntheticData.FeatureCount, s.Score);
                Assert.Equal(s.Score > model.Threshold, s.IsAnomaly);
                var weights = model.ErrorWeights!.PerFeature;
                for (int j = 0; j < SyntheticData.FeatureCount; j++)
                {
                    // MAE: the error of a feature is |scaled input - scaled reconstruction|, times its weight (ErrorWeights).
                    double scaledDifference = Math.Abs(scaler.Transform(j, rows[i][j]) - scaler.Transform(j, s.Reconstruction[j]));
                    Assert.Equal(scaledDifference * weights[j], s.FeatureErrors[j], 4);
                    relativeErrorSum += Math.Abs(rows[i][j] - s.Reconstruction[j]) / scaler.Scale[j];
                }
            }
            double meanRelativeError = relativeErrorSum / (rows.Count * SyntheticData.FeatureCount);
            output.WriteLine($"mean reconstruction error {meanRelativeError:P2} of the training range");
            Assert.True(meanRelativeError < 0.1, $"reconstructions are off by {meanRelativeError:P1} of the range on average");
        }

        [Fact]
        public void MseLossSquaresTheFeatureErrors()
        {
            var training = SyntheticData.Normal(300, 41);
            using var model = new AutoencoderModel(TrainedCase.NewSettings(6));
            var options = new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 1e-2, Loss = LossKind.Mse };

            model.Train(new FeatureSchema(SyntheticData.FeatureNames), training, options);
            var scores = model.Score(training.Take(20).ToList());

            Assert.Equal(LossKind.Mse, model.Loss);
            var scaler = model.Scaler!;
            var weights = model.ErrorWeights!.PerFeature;
            for (int i = 0; i < scores.Length; i++)
                for (int j = 0; j < SyntheticData.FeatureCount; j++)
                {
                    // The squared difference, times the feature's weight (ErrorWeights).
                    double d = scaler.Transform(j, training[i][j]) - scaler.Transform(j, scores[i].Reconstruction[j]);
                    Assert.Equal(d * d * weights[j], scores[i].FeatureErrors[j], 4);
                }
        }

        [Fact]
        public void ConcurrentScoringGivesTheSameAnswers()
        {
            var model = Reference.Model;
            var rows = Reference.HeldOut;
            var expected = model.Score(rows);

            var results = new RowScore[6][];
            Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, k => results[k] = model.Score(rows));

            Assert.All(results, r => ScoreAssert.Close(expected, r));
        }

        [Fact]
        public void DescriptivePropertiesFollowTheTrainingState()
        {
            using var untrained = new AutoencoderModel(new ModelSettings(new[] { 32, 16, 8 }, features: new[] { "a", "b" }, seed: 1));
            var trained = Reference.Model;

            Assert.Equal(new[] { "a", "b" }, untrained.Features);
            Assert.Equal("?-32-16-8-16-32-?", untrained.Layers);
            Assert.Null(untrained.ParameterCount);
            Assert.Null(untrained.Scaling);

            Assert.Equal(SyntheticData.FeatureNames, trained.Features);
            Assert.Equal("6-8-3-8-6", trained.Layers);
            Assert.Equal(6 * 8 + 8 + 8 * 3 + 3 + 3 * 8 + 8 + 8 * 6 + 6, trained.ParameterCount);
            Assert.Equal(ScalingMethod.MinMax, trained.Scaling);
        }

        [Fact]
        public void ScoreOnAnUntrainedModelThrowsModelNotTrained()
        {
            using var model = new AutoencoderModel(new ModelSettings(seed: 1));

            var error = Assert.Throws<AutoencoderException>(() => model.Score(SyntheticData.Normal(3, 1)));

            Assert.Equal("ModelNotTrained", error.ErrorId);
            Assert.False(model.IsTrained);
            Assert.True(double.IsNaN(model.Threshold));
            Assert.Null(model.Training);
            Assert.StartsWith("Untrained autoencoder", model.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void ScoreRejectsRowsOfTheWrongWidth()
        {
            var rows = new List<double[]> { new double[SyntheticData.FeatureCount], new double[SyntheticData.FeatureCount - 1] };

            Assert.Throws<ArgumentException>(() => Reference.Model.Score(rows));
        }

        [Fact]
        public void ScoreOfNoRowsIsEmpty()
        {
            Assert.Empty(Reference.Model.Score(new List<double[]>()));
        }

        [Fact]
        public void AFarOutOfRangeFiniteValueIsAnAnomaly()
        {
            var training = SyntheticData.Normal(300, 5);
            using var model = new AutoencoderModel(new ModelSettings(TrainedCase.HiddenLayers, ActivationKind.Relu, seed: 3));
            model.Train(new FeatureSchema(SyntheticData.FeatureNames), training, TrainedCase.DefaultOptions(epochs: 5));

            foreach (double value in new[] { 1e300, -1e300, double.MaxValue })
            {
                var row = (double[])training[0].Clone();
                row[2] = value;

                var score = model.Score(new List<double[]> { row })[0];

                Assert.True(score.IsAnomaly, $"{value} scored {score.Score}");
                Assert.Equal(2, score.TopFeature);
            }
        }

        [Fact]
        public void TrainRejectsRowsOfTheWrongWidth()
        {
            using var model = new AutoencoderModel(TrainedCase.NewSettings(15));
            var rows = SyntheticData.Normal(20, 15);

            Assert.Throws<ArgumentException>(() =>
                model.Train(new FeatureSchema(SyntheticData.FeatureNames.Take(3)), rows, TrainedCase.DefaultOptions(epochs: 1)));
            Assert.Throws<ArgumentException>(() =>
                model.Train(new FeatureSchema(SyntheticData.FeatureNames.Append("extra")), rows, TrainedCase.DefaultOptions(epochs: 1)));
            Assert.False(model.IsTrained);
        }

        [Fact]
        public void TrainOnNoRowsThrowsEmptyTrainingInput()
        {
            using var model = new AutoencoderModel(new ModelSettings(seed: 1));

            var error = Assert.Throws<AutoencoderException>(() =>
                model.Train(new FeatureSchema(SyntheticData.FeatureNames), new List<double[]>(), new TrainingOptions()));

            Assert.Equal("EmptyTrainingInput", error.ErrorId);
            Assert.False(model.IsTrained);
        }

        [Fact]
        public void TrainWithInvalidOptionsThrowsBeforeTraining()
        {
            using var model = new AutoencoderModel(new ModelSettings(seed: 1));
            int epochsSeen = 0;

            Assert.Throws<ArgumentOutOfRangeException>(() => model.Train(
                new FeatureSchema(SyntheticData.FeatureNames), SyntheticData.Normal(10, 1),
                new TrainingOptions { BatchSize = 0 }, _ => epochsSeen++));

            Assert.Equal(0, epochsSeen);
            Assert.False(model.IsTrained);
        }

        [Fact]
        public void OnEpochReportsEveryEpochInOrder()
        {
            using var model = new AutoencoderModel(TrainedCase.NewSettings(8));
            var seen = new List<EpochResult>();

            var history = model.Train(new FeatureSchema(SyntheticData.FeatureNames), SyntheticData.Normal(100, 8),
                TrainedCase.DefaultOptions(epochs: 4), seen.Add);

            Assert.Equal(new[] { 1, 2, 3, 4 }, seen.Select(e => e.Epoch));
            Assert.Equal(history, seen);
        }

        [Fact]
        public void AlreadyCancelledTokenLeavesAnUntrainedModelUntrained()
        {
            using var model = new AutoencoderModel(TrainedCase.NewSettings(9));
            using var cancellation = new CancellationTokenSource();
            cancellation.Cancel();

            Assert.Throws<OperationCanceledException>(() => model.Train(new FeatureSchema(SyntheticData.FeatureNames),
                SyntheticData.Normal(100, 9), TrainedCase.DefaultOptions(epochs: 3), null, cancellation.Token));

            Assert.False(model.IsTrained);
            Assert.Null(model.Schema);
            Assert.True(double.IsNaN(model.Threshold));
        }

        [Fact]
        public void CancellingARetrainLeavesTheTrainedModelAsItWas()
        {
            var schema = new FeatureSchema(SyntheticData.FeatureNames);
            var probe = SyntheticData.Normal(50, 52);
            using var model = new AutoencoderModel(TrainedCase.NewSettings(10));
            model.Train(schema, SyntheticData.Normal(300, 51), TrainedCase.DefaultOptions(epochs: 8));
            var before = model.Score(probe);
            byte[] weightsBefore = ModelFileLayout.Parse(ModelFile.Serialize(model)).Weights;
            var (threshold, training, scaler, architecture) = (model.Threshold, model.Training, model.Scaler, model.Architecture);

            // Retrain on other data, with another rule and loss, and cancel it during the third epoch.
            var otherSchema = new FeatureSchema(SyntheticData.FeatureNames.Take(4));
            var otherRows = SyntheticData.Normal(300, 53).Select(r => r.Take(4).ToArray()).ToList();
            var otherOptions = new TrainingOptions
            {
                Epochs = 50, BatchSize = 16, Loss = LossKind.Mse, Scaling = ScalingMethod.Standard,
                Threshold = new ThresholdRule(ThresholdMethod.Percentile, 99),
            };
            using var cancellation = new CancellationTokenSource();
            int epochsSeen = 0;
            Assert.Throws<OperationCanceledException>(() => model.Train(otherSchema, otherRows, otherOptions, e =>
            {
                epochsSeen++;
                if (e.Epoch == 2) cancellation.Cancel();
            }, cancellation.Token));

            Assert.Equal(2, epochsSeen);
            Assert.True(model.IsTrained);
            Assert.Same(schema, model.Schema);
            Assert.Same(scaler, model.Scaler);
            Assert.Same(architecture, model.Architecture);
            Assert.Same(training, model.Training);
            Assert.Equal(threshold, model.Threshold);
            Assert.Equal(LossKind.Mae, model.Loss);
            Assert.Equal(ThresholdMethod.MeanStd, model.ThresholdRule.Method);
            Assert.Equal(weightsBefore, ModelFileLayout.Parse(ModelFile.Serialize(model)).Weights);
            ScoreAssert.Close(before, model.Score(probe));
        }

        [Fact]
        public void RetrainingReplacesSchemaAndNetwork()
        {
            using var model = new AutoencoderModel(TrainedCase.NewSettings(12));
            model.Train(new FeatureSchema(SyntheticData.FeatureNames), SyntheticData.Normal(100, 12), TrainedCase.DefaultOptions(epochs: 2));
            var narrow = new FeatureSchema(SyntheticData.FeatureNames.Take(3));
            var narrowRows = SyntheticData.Normal(100, 13).Select(r => r.Take(3).ToArray()).ToList();

            model.Train(narrow, narrowRows, TrainedCase.DefaultOptions(epochs: 2));

            Assert.Same(narrow, model.Schema);
            Assert.Equal("3-8-3-8-3", model.Architecture!.ToString());
            Assert.Equal(3, model.Score(narrowRows)[0].FeatureErrors.Count);
            Assert.Throws<ArgumentException>(() => model.Score(SyntheticData.Normal(1, 1)));
        }

        [Fact]
        public void ADisposedModelRefusesWork()
        {
            var model = new AutoencoderModel(TrainedCase.NewSettings(14));
            var schema = new FeatureSchema(SyntheticData.FeatureNames);
            var rows = SyntheticData.Normal(50, 14);
            model.Train(schema, rows, TrainedCase.DefaultOptions(epochs: 1));

            model.Dispose();
            model.Dispose();

            Assert.False(model.IsTrained);
            Assert.Throws<ObjectDisposedException>(() => model.Score(rows));
            Assert.Throws<ObjectDisposedException>(() => model.Train(schema, rows, TrainedCase.DefaultOptions(epochs: 1)));
        }

        // ---- Thresholds set after training -----------------------------------------------------------------

        private const string UtcStamp = @"\d{4}-\d\d-\d\d \d\d:\d\d UTC";

        private static byte[] Weights(AutoencoderModel model) => ModelFileLayout.Parse(ModelFile.Serialize(model)).Weights;

        private static AutoencoderModel TrainSmall(int seed, out List<double[]> training, int rows = 300, int epochs = 10)
        {
            training = SyntheticData.Normal(rows, seed);
            var model = new AutoencoderModel(TrainedCase.NewSettings(seed));
            model.Train(new FeatureSchema(SyntheticData.FeatureNames), training, TrainedCase.DefaultOptions(epochs: epochs));
            return model;
        }

        [Fact]
        public void TrainingKeepsTheSortedTrainingErrorsAndSaysWhereTheThresholdCameFrom()
        {
            var model = Reference.Model;

            var errors = model.Score(Reference.Training).Select(s => s.Score).OrderBy(e => e).ToArray();

            Assert.Equal(errors, model.TrainingErrors);
            Assert.Matches("^mean \\+ 2 std of training errors; 600 training rows, " + UtcStamp + "$", model.ThresholdSource);
            Assert.Equal(1, model.Training!.Runs);
        }

        [Fact]
        public void ManyTrainingRowsKeepAnEvenSortedSampleOfTheirErrors()
        {
            var training = SyntheticData.Normal(12000, 19);
            using var model = new AutoencoderModel(TrainedCase.NewSettings(19));
            // MinMax: no training range, so the stored errors are the rows' own (under RobustSigmoid a row alone at a
            // feature's extreme is stored as the other rows' range scores it: FeatureScaler.OthersRanges).
            model.Train(new FeatureSchema(SyntheticData.FeatureNames), training, new TrainingOptions { Epochs = 1, BatchSize = 256, LearningRate = 1e-2, Scaling = ScalingMethod.MinMax });

            var errors = model.Score(training).Select(s => s.Score).OrderBy(e => e).ToArray();

            var stored = model.TrainingErrors;
            Assert.Equal(10000, stored.Count);
            Assert.Equal(errors[0], stored[0]);
            Assert.Equal(errors[^1], stored[^1]);
            Assert.True(stored.Zip(stored.Skip(1), (a, b) => a <= b).All(ok => ok), "the stored errors are sorted");
            foreach (double p in new[] { 50.0, 90.0, 99.0 })
                Assert.Equal(Statistics.Percentile(errors, p), Statistics.Percentile(stored, p), Statistics.Percentile(errors, p) * 0.01);
        }

        [Fact]
        public void SetThresholdRecomputesFromTheStoredTrainingErrors()
        {
            using var model = TrainSmall(16, out var training);
            var stored = model.TrainingErrors.ToArray();
            double before = model.Threshold;
            var rule = new ThresholdRule(ThresholdMethod.Percentile, 90);

            model.SetThreshold(rule);

            Assert.Equal(Statistics.Percentile(stored, 90), model.Threshold);
            Assert.NotEqual(before, model.Threshold);
            Assert.Same(rule, model.ThresholdRule);
            Assert.Equal(stored, model.TrainingErrors);
            Assert.Matches("^90th percentile of training errors: flags about 10% of normal rows; stored errors of 300 training rows, recalibrated " + UtcStamp + "$", model.ThresholdSource);
            var scores = model.Score(training);
            Assert.All(scores, s => Assert.Equal(s.Score > model.Threshold, s.IsAnomaly));
            Assert.Equal(30, scores.Count(s => s.IsAnomaly)); // the top 10 % of the 300 training rows
        }

        [Fact]
        public void TheRuleNamesTheErrorsItWasSetFrom()
        {
            using var model = TrainSmall(18, out _);
            var errors = model.Score(SyntheticData.Normal(100, 180)).Select(s => s.Score).ToArray();

            model.SetThreshold(new ThresholdRule(ThresholdMethod.MeanStd, 2), errors);
            Assert.Equal("mean + 2 std of the errors of new normal rows", model.ThresholdRule.ToString());
            Assert.Matches("^mean \\+ 2 std of the errors of new normal rows; errors of 100 new rows, recalibrated " + UtcStamp + "$", model.ThresholdSource);
            Assert.Contains("the errors of new normal rows", model.ToString(), StringComparison.Ordinal);

            model.SetThreshold(new ThresholdRule(ThresholdMethod.NormalPercentile, 99), errors);
            Assert.Equal("99th percentile of the errors of new normal rows", model.ThresholdRule.ToString());

            // Back on the stored training errors, and by hand: as before.
            model.SetThreshold(new ThresholdRule(ThresholdMethod.Percentile, 95));
            Assert.Equal("95th percentile of training errors: flags about 5% of normal rows", model.ThresholdRule.ToString());
            model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, 0.5), errors);
            Assert.Equal("set by hand to 0.5", model.ThresholdRule.ToString());
        }

        [Fact]
        public void SetThresholdByContaminationFromTheErrorsOfNewRows()
        {
            using var model = TrainSmall(17, out _);
            var fresh = SyntheticData.Normal(200, 170);
            var errors = model.Score(fresh).Select(s => s.Score).ToArray();
            var stored = model.TrainingErrors.ToArray();
            string before = model.ThresholdSource;

            model.SetThreshold(new ThresholdRule(ThresholdMethod.Contamination, 0.1), errors, "contamination 0.1; 200 new normal rows");

            Assert.Equal(Statistics.Percentile(errors, 90), model.Threshold);
            Assert.Equal(ThresholdMethod.Contamination, model.ThresholdRule.Method);
            Assert.Equal("contamination 0.1; 200 new normal rows", model.ThresholdSource);
            Assert.Equal("contamination 0.1: the top 10% of the errors of new normal rows lie above it", model.ThresholdRule.ToString());
            Assert.NotEqual(before, model.ThresholdSource);
            Assert.Equal(stored, model.TrainingErrors); // the training errors stay for later recalibration
            Assert.Equal(20, model.Score(fresh).Count(s => s.IsAnomaly));
        }

        [Fact]
        public void SetThresholdFromNewErrorsWithoutASourceDoesNotClaimTrainingErrors()
        {
            using var model = TrainSmall(17, out _);
            var errors = model.Score(SyntheticData.Normal(200, 171)).Select(s => s.Score).ToArray();

            model.SetThreshold(new ThresholdRule(ThresholdMethod.Percentile, 95), errors);

            Assert.DoesNotContain("training rows", model.ThresholdSource, StringComparison.Ordinal);
            Assert.Contains("200", model.ThresholdSource, StringComparison.Ordinal);
        }

        [Fact]
        public void SetThresholdByHandNeedsNoErrors()
        {
            using var model = TrainSmall(18, out var training);

            model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, 0.0));

            Assert.Equal(0.0, model.Threshold);
            Assert.Matches("^set by hand to 0; " + UtcStamp + "$", model.ThresholdSource);
            Assert.All(model.Score(training), s => Assert.True(s.IsAnomaly));

            model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, 1e6), Array.Empty<double>());

            Assert.Equal(1e6, model.Threshold);
            Assert.All(model.Score(training), s => Assert.False(s.IsAnomaly));
        }

        [Fact]
        public void SetThresholdFromNoErrorsThrowsNoThresholdErrors()
        {
            using var model = TrainSmall(20, out _, rows: 50, epochs: 1);
            double before = model.Threshold;

            var error = Assert.Throws<AutoencoderException>(() => model.SetThreshold(new ThresholdRule(ThresholdMethod.Percentile, 95), Array.Empty<double>()));

            Assert.Equal("NoThresholdErrors", error.ErrorId);
            Assert.Equal(before, model.Threshold);
            Assert.Equal(ThresholdMethod.MeanStd, model.ThresholdRule.Method);
        }

        [Fact]
        public void SetThresholdOnAnUntrainedModelThrowsModelNotTrained()
        {
            using var model = new AutoencoderModel(new ModelSettings(seed: 1));

            var error = Assert.Throws<AutoencoderException>(() => model.SetThreshold(new ThresholdRule(ThresholdMethod.Manual, 1)));

            Assert.Equal("ModelNotTrained", error.ErrorId);
            Assert.True(double.IsNaN(model.Threshold));
            Assert.Equal("", model.ThresholdSource);
        }

        // ---- Incremental training -------------------------------------------------------------------------

        [Fact]
        public void IncrementalTrainingContinuesFromTheCurrentWeightsAndKeepsTheSchema()
        {
            var schema = new FeatureSchema(SyntheticData.FeatureNames);
            var first = SyntheticData.Normal(400, 23);
            var more = SyntheticData.Normal(400, 24);
            using var model = new AutoencoderModel(TrainedCase.NewSettings(23));
            var firstRun = model.Train(schema, first, TrainedCase.DefaultOptions(epochs: 30));
            var (scaler, architecture, weights) = (model.Scaler, model.Architecture, Weights(model));

            // Another scaling asked for: an incremental run keeps the model's own.
            var options = new TrainingOptions
            {
                Epochs = 5, BatchSize = 32, LearningRate = 1e-3, Scaling = ScalingMethod.Standard,
                Threshold = new ThresholdRule(ThresholdMethod.Percentile, 95),
            };
            var secondRun = model.Train(schema, more, options, continueTraining: true);

            using var fresh = new AutoencoderModel(TrainedCase.NewSettings(23));
            var freshRun = fresh.Train(schema, more, TrainedCase.DefaultOptions(epochs: 1));
            output.WriteLine($"first run {firstRun[0].Loss:G4} -> {firstRun[^1].Loss:G4}; incremental {secondRun[0].Loss:G4} -> {secondRun[^1].Loss:G4}; fresh first epoch {freshRun[0].Loss:G4}");

            Assert.True(secondRun[0].Loss < 1.5 * firstRun[^1].Loss, $"the incremental run started at {secondRun[0].Loss}, the first ended at {firstRun[^1].Loss}");
            Assert.True(secondRun[0].Loss < freshRun[0].Loss / 5, $"the incremental run started at {secondRun[0].Loss}, a fresh network at {freshRun[0].Loss}");
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, secondRun.Select(e => e.Epoch));
            Assert.Same(schema, model.Schema);
            Assert.Same(scaler, model.Scaler);
            Assert.Same(architecture, model.Architecture);
            Assert.Equal(ScalingMethod.MinMax, model.Scaling);
            Assert.NotEqual(weights, Weights(model));

            var summary = model.Training!;
            Assert.Equal(35, summary.Epochs);
            Assert.Equal(2, summary.Runs);
            Assert.Equal(400, summary.Rows);
            Assert.Equal(secondRun[^1].Loss, summary.FinalLoss);

            // The threshold comes from the new rows by the new rule.
            var errors = model.Score(more).Select(s => s.Score).ToArray();
            Assert.Equal(Statistics.Percentile(errors, 95), model.Threshold);
            Assert.Equal(errors.OrderBy(e => e), model.TrainingErrors);
            Assert.StartsWith("95th percentile of training errors: flags about 5% of normal rows; 400 training rows", model.ThresholdSource, StringComparison.Ordinal);

            model.Train(schema, first, TrainedCase.DefaultOptions(epochs: 2), continueTraining: true);
            Assert.Equal(37, model.Training!.Epochs);
            Assert.Equal(3, model.Training.Runs);
        }

        [Fact]
        public void IncrementalTrainingOfAnUntrainedModelThrowsModelNotTrained()
        {
            using var model = new AutoencoderModel(TrainedCase.NewSettings(25));

            var error = Assert.Throws<AutoencoderException>(() => model.Train(new FeatureSchema(SyntheticData.FeatureNames),
                SyntheticData.Normal(20, 25), TrainedCase.DefaultOptions(epochs: 1), continueTraining: true));

            Assert.Equal("ModelNotTrained", error.ErrorId);
            Assert.False(model.IsTrained);
            Assert.Null(model.Training);
        }

        [Fact]
        public void IncrementalTrainingNeedsTheModelsOwnSchema()
        {
            using var model = TrainSmall(26, out var training, rows: 100, epochs: 2);
            var (schema, weights, summary) = (model.Schema, Weights(model), model.Training);

            Assert.Throws<ArgumentException>(() => model.Train(new FeatureSchema(SyntheticData.FeatureNames), training,
                TrainedCase.DefaultOptions(epochs: 1), continueTraining: true));

            Assert.Same(schema, model.Schema);
            Assert.Same(summary, model.Training);
            Assert.Equal(weights, Weights(model));
        }
    }
}
