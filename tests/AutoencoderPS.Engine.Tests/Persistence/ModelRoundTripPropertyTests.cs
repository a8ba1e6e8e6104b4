using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// FsCheck property (issue 8): a model round-trips through a file to identical scores. For random tables (numeric,
    /// categorical and timestamp columns, missing values) and random small networks and training settings, a model
    /// trained for a few epochs, saved and loaded again scores every row bit for bit as before, with the same threshold,
    /// verdicts, schema and scaling, and saves to the same weights. Sizes are kept small so the whole run takes seconds.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class ModelRoundTripPropertyTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public ModelRoundTripPropertyTests(TorchFixture fixture)
        {
            _ = fixture;   // loads libtorch and pins it to one thread
        }

        public void Dispose() => temp.Dispose();

        internal sealed class Setup
        {
            public int[] HiddenLayers { get; init; } = Array.Empty<int>();
            public ActivationKind Activation { get; init; }
            public OutputActivationKind OutputActivation { get; init; }
            public LossKind Loss { get; init; }
            public ScalingMethod Scaling { get; init; }
            public ThresholdRule Threshold { get; init; } = new ThresholdRule(ThresholdMethod.MeanStd, 2);
            public int Epochs { get; init; }
            public int BatchSize { get; init; }
            public int Seed { get; init; }

            public override string ToString() =>
                $"hidden {string.Join("-", HiddenLayers)}, {Activation}/{OutputActivation}, {Loss}, {Scaling}, " +
                $"{Threshold.Method} {Threshold.Value}, {Epochs} epochs, batch {BatchSize}, seed {Seed}";
        }

        private static readonly Gen<Setup> Setups =
            from hidden in Gen.Elements(new[] { 1 }, new[] { 3 }, new[] { 6, 2 }, new[] { 5, 4, 3 })
            from activation in Gen.Elements(Enum.GetValues<ActivationKind>())
            from output in Gen.Elements(Enum.GetValues<OutputActivationKind>())
            from loss in Gen.Elements(Enum.GetValues<LossKind>())
            from scaling in Gen.Elements(Enum.GetValues<ScalingMethod>())
            from threshold in Gen.OneOf(
                Gen.Choose(0, 30).Select(k => new ThresholdRule(ThresholdMethod.MeanStd, k / 10.0)),
                Gen.Choose(500, 1000).Select(p => new ThresholdRule(ThresholdMethod.Percentile, p / 10.0)),
                Gen.Choose(1, 50).Select(c => new ThresholdRule(ThresholdMethod.Contamination, c / 100.0)),
                Gen.Choose(0, 100).Select(m => new ThresholdRule(ThresholdMethod.Manual, m / 100.0)))
            from epochs in Gen.Choose(1, 3)
            from batch in Gen.Choose(1, 16)
            from seed in Gen.Choose(0, 1_000_000)
            select new Setup
            {
                HiddenLayers = hidden, Activation = activation, OutputActivation = output, Loss = loss, Scaling = scaling,
                Threshold = threshold, Epochs = epochs, BatchSize = batch, Seed = seed,
            };

        private static readonly Arbitrary<(RandomTable Table, RandomTable Probe, Setup Setup)> Cases = Arb.From(
            from table in RandomTable.Generator(minRows: 4, maxRows: 40, maxNumeric: 4, maxCategorical: 2, extremes: false)
            from probeRows in Gen.ArrayOf(Gen.Choose(0, 1000), table.Rows.Count)
            from setup in Setups
            select (table, Perturbed(table, probeRows), setup));

        // The probe: the training rows with each number moved by up to ±1000 (so some rows are anomalies) and some
        // categories swapped for one the model never saw.
        private static RandomTable Perturbed(RandomTable table, int[] draws) =>
            new RandomTable(table.Names, table.Kinds, table.Rows.Select((row, i) => row.Select((value, j) => value switch
            {
                double d => (object?)(d + (draws[i] - 500) * (j + 1) * 2.0),
                int n => n - draws[i],
                string s when table.Kinds[j] == RandomColumnKind.Categorical && draws[i] % 3 == 0 => "never seen",
                _ => value,
            }).ToArray()).ToList());

        private static double[] Featurize(FeatureSchema schema, IRecord record)
        {
            var row = new double[schema.Width];
            schema.Featurize(record, RandomTable.Culture, row, MissingValuePolicy.Impute, null);
            return row;
        }

        // A score is the mean of the per-input errors; an input's error is |reconstruction - input| (Mae) or its square
        // (Mse), both on the scaled inputs plus, for RobustSigmoid, the distance beyond the training range
        // (FeatureScaler.Beyond), times its feature's weight (ErrorWeights); a row is an anomaly exactly when its score
        // is above the threshold.
        private static void ScoresAgreeWithTheirDefinition(AutoencoderModel model, double[] row, RowScore score, string what)
        {
            var scaler = model.Scaler!;
            int d = row.Length;
            Assert.True(double.IsFinite(score.Score) && score.Score >= 0, $"{what}: score {score.Score}");
            Assert.Equal(score.Score > model.Threshold, score.IsAnomaly);
            Assert.Equal(d, score.FeatureErrors.Count);
            double sum = 0;
            for (int j = 0; j < d; j++) sum += score.FeatureErrors[j];
            Assert.Equal(sum / d, score.Score);
            var weights = model.ErrorWeights?.PerInput(model.Schema!, d);
            for (int j = 0; j < d; j++)
            {
                double weight = weights?[j] ?? 1;
                // Inputs further than a million scaled units out are clamped there before the network sees them.
                double input = Math.Clamp(scaler.Transform(j, row[j]), -1e6f, 1e6f) + Math.Clamp(scaler.Beyond(j, row[j]), -1e6f, 1e6f);
                double rescaled = scaler.Transform(j, score.Reconstruction[j]);
                // RobustSigmoid maps into (0, 1): a Linear output beyond it has no value in original units, so its
                // Reconstruction is the nearest one and can't give the error back.
                if (scaler.Method == ScalingMethod.RobustSigmoid && (rescaled <= 1e-6 || rescaled >= 1 - 1e-6)) continue;
                double difference = rescaled - input;
                double expected = (model.Loss == LossKind.Mae ? Math.Abs(difference) : difference * difference) * weight;
                Assert.True(score.FeatureErrors[j] >= 0, $"{what}: input {j} error {score.FeatureErrors[j]}");
                Assert.True(Math.Abs(score.FeatureErrors[j] - expected) <= 1e-5 * weight * (1 + Math.Abs(expected) + Math.Abs(difference)),
                    $"{what}: input {j} error {score.FeatureErrors[j]:R}, by definition {expected:R}");
            }
        }

        [Property(MaxTest = 40)]
        public Property AModelSavedAndLoadedScoresRandomDataBitForBitAsBefore() =>
            Prop.ForAll(Cases, c =>
            {
                var (table, probe, setup) = c;
                var records = table.Records(asText: false);
                var roles = FeatureSchema.Infer(records, null, null, RandomTable.Culture, out _, timeFeatures: true);
                var builder = new TrainingSetBuilder(roles, RandomTable.Culture, MissingValuePolicy.Impute);
                foreach (var record in records) builder.Add(record);
                var set = builder.Build();
                var options = new TrainingOptions
                {
                    Epochs = setup.Epochs, BatchSize = setup.BatchSize, LearningRate = 1e-2,
                    Loss = setup.Loss, Scaling = setup.Scaling, Threshold = setup.Threshold,
                };
                using var model = new AutoencoderModel(new ModelSettings(setup.HiddenLayers, setup.Activation, setup.OutputActivation,
                    features: null, excludeFeatures: null, seed: setup.Seed, timeFeatures: true));
                model.Train(set.Schema, set.Rows, options);
                string path = temp.File($"model-{Guid.NewGuid():N}{ModelFile.Extension}");

                ModelFile.Save(model, path);
                using var loaded = ModelFile.Load(path);

                // The same schema and scaling, so the same records become the same network inputs.
                Assert.Equal(model.Schema!.SlotNames, loaded.Schema!.SlotNames);
                Assert.Equal(model.Scaler!.Offset.Select(BitConverter.DoubleToInt64Bits), loaded.Scaler!.Offset.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(model.Scaler.Scale.Select(BitConverter.DoubleToInt64Bits), loaded.Scaler.Scale.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(BitConverter.DoubleToInt64Bits(model.Threshold), BitConverter.DoubleToInt64Bits(loaded.Threshold));
                Assert.Equal(model.ThresholdRule.Method, loaded.ThresholdRule.Method);
                Assert.Equal(model.ThresholdRule.Value, loaded.ThresholdRule.Value);
                Assert.Equal(model.TrainingErrors.Select(BitConverter.DoubleToInt64Bits), loaded.TrainingErrors.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(model.ErrorWeights!.PerFeature.Select(BitConverter.DoubleToInt64Bits), loaded.ErrorWeights!.PerFeature.Select(BitConverter.DoubleToInt64Bits));

                var probeRecords = probe.Records(asText: true).Concat(records).ToList();
                var before = probeRecords.Select(r => Featurize(model.Schema, r)).ToList();
                var after = probeRecords.Select(r => Featurize(loaded.Schema, r)).ToList();
                for (int i = 0; i < before.Count; i++)
                    Assert.Equal(before[i].Select(BitConverter.DoubleToInt64Bits), after[i].Select(BitConverter.DoubleToInt64Bits));
                var scores = model.Score(before);
                ScoreAssert.Identical(scores, loaded.Score(after));
                for (int i = 0; i < scores.Length; i++)
                    ScoresAgreeWithTheirDefinition(model, before[i], scores[i], $"row {i} ({setup})");

                // Saving the loaded model writes the same weights: nothing drifts over repeated round trips.
                Assert.Equal(ModelFileLayout.Parse(File.ReadAllBytes(path)).Weights, ModelFileLayout.Parse(ModelFile.Serialize(loaded)).Weights);
            });
    }
}
