using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>Each feature's error in units of its typical training error (Modeling.ErrorWeights).</summary>
    [Collection(TorchCollection.Name)]
    public sealed class ErrorWeightsTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public ErrorWeightsTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        [Fact]
        public void AFeaturesWeightIsTheFeaturesMeanTypicalErrorOverItsOwnOnTheKeptRows()
        {
            var schema = new FeatureSchema(new[] { "tied", "noisy", "constant" });
            // Four kept rows (typical errors 0.01, 0.04 and 0) and one outlier row that robust training left out (20 %).
            var errors = new float[]
            {
                0.01f, 0.03f, 0, 0.01f, 0.05f, 0, 0.01f, 0.04f, 0, 0.01f, 0.04f, 0,
                5f, 5f, 5f,
            };
            var scores = new[] { 0.013, 0.02, 0.017, 0.017, 5 };
            var weights = ErrorWeights.Learn(schema, errors, 5, 3, scores, trimmedShare: 0.2);
            double mean = (0.01 + 0.04 + 0) / 3;
            Assert.Equal(mean / 0.01, weights.PerFeature[0], 4);
            Assert.Equal(mean / 0.04, weights.PerFeature[1], 4);
            // A feature reconstructed exactly weighs 1 / Floor, not infinitely.
            Assert.Equal(1 / ErrorWeights.Floor, weights.PerFeature[2], 6);
            // Without trimming the outlier row counts too.
            Assert.NotEqual(weights.PerFeature[0], ErrorWeights.Learn(schema, errors, 5, 3, scores, trimmedShare: 0).PerFeature[0], 4);
        }

        [Fact]
        public void AWindowsTimeStepsAndACategorysSlotsShareTheirFeaturesWeight()
        {
            var schema = new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("state", ColumnRole.Categorical, new[] { "a", "b" }) });
            Assert.Equal(4, schema.Width); // cpu, state=a, state=b, state=(other)
            // Windows of 2 rows (8 inputs): cpu errs 0.02 at t-1 and 0.06 at t (mean 0.04); state's slots err 0.01 on average.
            var errors = new float[] { 0.02f, 0.01f, 0.02f, 0f, 0.06f, 0f, 0.01f, 0.02f };
            var weights = ErrorWeights.Learn(schema, errors, 1, 8, new[] { 0.1 }, 0);
            Assert.Equal(0.025 / 0.04, weights.PerFeature[0], 4);
            Assert.Equal(0.025 / 0.01, weights.PerFeature[1], 4);
            var perInput = weights.PerInput(schema, 8);
            Assert.Equal(new[] { 0, 1, 1, 1, 0, 1, 1, 1 }.Select(c => weights.PerFeature[c]), perInput);
        }

        [Fact]
        public void OneFeatureWeighsOneSoASingleMetricScoresAsBefore()
        {
            var schema = new FeatureSchema(new[] { "value" });
            var random = new Random(3);
            var errors = Enumerable.Range(0, 24 * 50).Select(_ => (float)random.NextDouble()).ToArray();
            var scores = Enumerable.Range(0, 50).Select(i => errors.Skip(24 * i).Take(24).Average(e => (double)e)).ToArray();
            Assert.Equal(1.0, ErrorWeights.Learn(schema, errors, 50, 24, scores, 0.1).PerFeature.Single());
        }

        // Two tied features (b follows a closely), four the others can't predict. Test outliers: b breaks from a while
        // both stay within their usual ranges; normal test rows are drawn as the training rows.
        private static (List<double[]> Training, List<double[]> Test, bool[] Labels) TiedAndNoisy(int seed)
        {
            var random = new Random(seed);
            double[] Row(bool broken)
            {
                double a = SyntheticData.Gaussian(random);
                double b = broken ? -a + 0.3 * SyntheticData.Gaussian(random) : a + 0.1 * SyntheticData.Gaussian(random);
                return new[] { a, b, SyntheticData.Gaussian(random), SyntheticData.Gaussian(random), SyntheticData.Gaussian(random), SyntheticData.Gaussian(random) };
            }
            var training = Enumerable.Range(0, 1500).Select(_ => Row(false)).ToList();
            var test = Enumerable.Range(0, 400).Select(_ => Row(false)).ToList();
            var labels = Enumerable.Repeat(false, test.Count).ToList();
            for (int i = 0; i < 40; i++) { test.Add(Row(true)); labels.Add(true); }
            return (training, test, labels.ToArray());
        }

        private static AutoencoderModel Train(List<double[]> training, int seed, ErrorWeighting weighting)
        {
            var (epochs, batch) = TrainingOptions.DefaultBudget(training.Count);
            var model = new AutoencoderModel(new ModelSettings(seed: seed));
            model.Train(new FeatureSchema(new[] { "a", "b", "n1", "n2", "n3", "n4" }), training,
                new TrainingOptions { Epochs = epochs, BatchSize = batch, ErrorWeighting = weighting });
            return model;
        }

        [Fact]
        public void ABrokenCorrelationStandsOutOfTheNoiseOfFeaturesNothingPredicts()
        {
            // Measured (seed 1): ROC-AUC 0.905 weighted against 0.731 with every input alike: the four unpredictable
            // features' errors are large on every row and set the unweighted score.
            var (training, test, labels) = TiedAndNoisy(1);
            using var weighted = Train(training, 1, ErrorWeighting.Residual);
            using var plain = Train(training, 1, ErrorWeighting.None);
            double aucWeighted = DetectionMetrics.RocAucOf(labels, weighted.Score(test).Select(s => s.Score).ToArray());
            double aucPlain = DetectionMetrics.RocAucOf(labels, plain.Score(test).Select(s => s.Score).ToArray());
            Assert.Null(plain.ErrorWeights);
            Assert.True(weighted.ErrorWeights!.PerFeature[0] > weighted.ErrorWeights.PerFeature[2], "the tied feature weighs more than a noisy one");
            Assert.True(aucWeighted >= 0.88, $"ROC-AUC weighted {aucWeighted:0.000}");
            Assert.True(aucWeighted > aucPlain + 0.1, $"ROC-AUC weighted {aucWeighted:0.000} against {aucPlain:0.000} unweighted");
            // The explanation's shares are of the weighted errors: a broken row's top feature is a tied one.
            var broken = weighted.Score(test.Skip(400).ToList());
            Assert.True(broken.Count(s => s.TopFeature <= 1) >= 30, "a or b explains most broken rows");
        }

        [Fact]
        public void TheModelFileKeepsTheWeightsAndAFileFromBeforeThemScoresEveryInputAlike()
        {
            var (training, test, _) = TiedAndNoisy(2);
            using var model = Train(training.Take(400).ToList(), 2, ErrorWeighting.Residual);
            string path = temp.File("weighted.aemodel");
            ModelFile.Save(model, path);
            using (var loaded = ModelFile.Load(path))
            {
                Assert.Equal(model.ErrorWeights!.PerFeature, loaded.ErrorWeights!.PerFeature);
                ScoreAssert.Identical(model.Score(test), loaded.Score(test));
            }

            // Format 6: no weights. The scores are the plain mean of the input errors (the threshold as it was saved).
            var layout = ModelFileLayout.Parse(System.IO.File.ReadAllBytes(path));
            var metadata = layout.MetadataJson;
            foreach (var feature in ModelFileLayout.FeaturesOf(metadata)) feature!.AsObject().Remove("ErrorWeight");
            layout.MetadataJson = metadata;
            layout.Version = 6;
            string old = temp.File("v6.aemodel");
            System.IO.File.WriteAllBytes(old, layout.Pack());
            using var before = ModelFile.Load(old);
            Assert.Null(before.ErrorWeights);
            var weighted = model.Score(test.Take(5).ToList());
            var plain = before.Score(test.Take(5).ToList());
            var w = model.ErrorWeights!.PerFeature;
            for (int i = 0; i < 5; i++)
            {
                // The same network: each weighted input error is the plain one times its feature's weight, and the score their mean.
                for (int j = 0; j < w.Count; j++) Assert.Equal((float)(plain[i].FeatureErrors[j] * w[j]), weighted[i].FeatureErrors[j]);
                Assert.Equal(plain[i].FeatureErrors.Sum(e => (double)e) / w.Count, plain[i].Score, 12);
                Assert.Equal(weighted[i].FeatureErrors.Sum(e => (double)e) / w.Count, weighted[i].Score, 12);
            }
        }

        [Fact]
        public void AValueFilledInForAMissingOneCountsNeitherInTheScoreNorInTheExplanation()
        {
            // a and b are tied. A row whose b is missing gets b's training median, far from what a says b is: fed to the
            // network as it is, that made the row an anomaly (a's reconstruction pulled away too) explained by a value
            // nobody measured. Moved to its reconstruction and left out of the score, the row is normal.
            var (training, _, _) = TiedAndNoisy(4);
            using var model = Train(training, 4, ErrorWeighting.Residual);
            var row = (double[])training[0].Clone();
            row[0] = 2.5;
            var b = training.Select(r => r[1]).OrderBy(v => v).ToList();
            row[1] = b[b.Count / 2]; // filled in: b's training median, where a of 2.5 says about 2.5
            var filled = model.Score(new[] { row }, new IReadOnlyList<string>?[] { new[] { "b" } })[0];
            var counted = model.Score(new[] { row })[0];

            Assert.Equal(0f, filled.FeatureErrors[1]);
            Assert.NotEqual(1, filled.TopFeature);
            // The mean over the five measured inputs.
            Assert.Equal(filled.FeatureErrors.Sum(e => (double)e) / 5, filled.Score, 12);
            Assert.InRange(counted.TopFeature, 0, 1); // the tied pair, pulled apart by the median
            Assert.True(counted.IsAnomaly, $"counted: {counted.Score} against {model.Threshold}");
            Assert.False(filled.IsAnomaly, $"filled in: {filled.Score} against {model.Threshold}");
        }

        [Fact]
        public void TrainingLeavesFilledInValuesOutOfTheTrainingErrorsAsScoringDoes()
        {
            var (training, _, _) = TiedAndNoisy(5);
            var rows = training.Take(400).Select(r => (double[])r.Clone()).ToList();
            var imputed = new ImputedCells();
            var names = new IReadOnlyList<string>?[rows.Count];
            for (int i = 0; i < rows.Count; i += 7)
            {
                rows[i][1] = 0; // the median of b, more or less
                imputed.Add(i, 1);
                names[i] = new[] { "b" };
            }
            var (epochs, batch) = TrainingOptions.DefaultBudget(rows.Count);
            using var model = new AutoencoderModel(new ModelSettings(seed: 5));
            model.Train(new FeatureSchema(new[] { "a", "b", "n1", "n2", "n3", "n4" }), rows, new TrainingOptions { Epochs = epochs, BatchSize = batch, Scaling = ScalingMethod.MinMax }, imputed: imputed);
            // MinMax: no training range, so the stored errors are the rows' own (under RobustSigmoid a row alone at a
            // feature's extreme is stored as the other rows' range scores it: FeatureScaler.OthersRanges).
            // Re-scoring the training rows, with what was filled in, gives the training errors the threshold came from
            // (400 rows, a small baseline: times the factor cross-fitting measured for rows unseen in training).
            double unseen = model.Training!.UnseenErrorRatio;
            var scores = model.Score(rows, names).Select(s => s.Score * unseen).OrderBy(e => e).ToArray();
            var trainingErrors = model.TrainingErrors.ToArray();
            Assert.Equal(scores.Length, trainingErrors.Length);
            Assert.Equal(scores.Select(BitConverter.DoubleToInt64Bits), trainingErrors.Select(BitConverter.DoubleToInt64Bits));
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(-1.0)]
        [InlineData(null)]
        public void AFileWithAMissingOrImpossibleWeightIsCorrupt(double? weight)
        {
            var (training, _, _) = TiedAndNoisy(3);
            using var model = Train(training.Take(300).ToList(), 3, ErrorWeighting.Residual);
            string path = temp.File("bad.aemodel");
            ModelFile.Save(model, path);
            var layout = ModelFileLayout.Parse(System.IO.File.ReadAllBytes(path));
            var metadata = layout.MetadataJson;
            var entry = ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == "b")!.AsObject();
            if (weight == null) entry.Remove("ErrorWeight");
            else entry["ErrorWeight"] = weight.Value;
            layout.MetadataJson = metadata;
            System.IO.File.WriteAllBytes(path, layout.Pack());
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Equal(ErrorIds.ModelFileCorrupt, error.ErrorId);
            Assert.Contains("feature 'b' has the error weight", error.Message);
        }
    }
}
