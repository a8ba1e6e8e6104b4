using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// A model trained the way the cmdlets train on a real export: roles inferred from <see cref="MessyData"/>
    /// records (timestamp with time features, categorical host and level, numeric metrics, id and message left
    /// out), the rows collected by <see cref="TrainingSetBuilder"/> with gaps imputed, robust scaling.
    /// </summary>
    internal sealed class MixedCase
    {
        public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
        public static readonly int[] HiddenLayers = { 8, 4 };
        public const int Seed = 77;

        private MixedCase(List<MessyData.Row> trainingRows, List<IRecord> training, TrainingSet set, AutoencoderModel model,
            List<MessyData.Row> heldOutRows, List<IRecord> heldOut)
        {
            TrainingRows = trainingRows;
            Training = training;
            Set = set;
            Model = model;
            HeldOutRows = heldOutRows;
            HeldOut = heldOut;
        }

        public List<MessyData.Row> TrainingRows { get; }
        public List<IRecord> Training { get; }
        public TrainingSet Set { get; }
        public AutoencoderModel Model { get; }
        public List<MessyData.Row> HeldOutRows { get; }
        public List<IRecord> HeldOut { get; }

        public static TrainingOptions Options(int epochs = 40) => new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 32,
            LearningRate = 1e-2,
            Loss = LossKind.Mae,
            Scaling = ScalingMethod.Robust,
            Threshold = new ThresholdRule(ThresholdMethod.Contamination, 0.05),
        };

        public static ModelSettings Settings() =>
            new ModelSettings(HiddenLayers, ActivationKind.Tanh, OutputActivationKind.Linear, seed: Seed, timeFeatures: true);

        public static MixedCase Create()
        {
            var trainingRows = MessyData.Rows(400, seed: 5, missingShare: 0.05);
            var training = MessyData.Records(trainingRows, Culture);
            var roles = FeatureSchema.Infer(training, null, null, Culture, out _, timeFeatures: true);
            var builder = new TrainingSetBuilder(roles, Culture, MissingValuePolicy.Impute);
            foreach (var record in training) builder.Add(record);
            var set = builder.Build();
            var model = new AutoencoderModel(Settings());
            model.Train(set.Schema, set.Rows, Options());
            var heldOutRows = MessyData.Rows(100, seed: 6);
            return new MixedCase(trainingRows, training, set, model, heldOutRows, MessyData.Records(heldOutRows, Culture));
        }

        /// <summary>One record as network inputs of the model's schema.</summary>
        public double[] Featurize(IRecord record, ICollection<string>? imputed = null, CultureInfo? culture = null)
        {
            var schema = Model.Schema!;
            var row = new double[schema.Width];
            schema.Featurize(record, culture ?? Culture, row, MissingValuePolicy.Impute, imputed);
            return row;
        }

        public List<double[]> Featurize(IEnumerable<IRecord> records) => records.Select(r => Featurize(r)).ToList();
    }
}
