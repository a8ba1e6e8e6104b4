using System.Collections.Generic;
using System.Globalization;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Rows read by a fitted schema, for a model whose features are fixed (training further, recalibrating the
    /// threshold on new rows): each as network inputs in original units, with the cells filled in for missing values
    /// (<see cref="Imputed"/>, left out of their errors as in training). A row holding no measurement (a host down) is
    /// not kept, as in the first training (<see cref="TrainingSetBuilder.Add"/>).
    /// </summary>
    public sealed class FeaturizedRows
    {
        private readonly FeatureSchema schema;
        private readonly CultureInfo culture;
        private readonly MissingValuePolicy policy;
        private readonly List<string> filledIn = new List<string>();

        public FeaturizedRows(FeatureSchema schema, CultureInfo culture, MissingValuePolicy policy)
        {
            this.schema = schema;
            this.culture = culture;
            this.policy = policy;
        }

        /// <summary>The rows kept, in order.</summary>
        public List<double[]> Rows { get; } = new List<double[]>();

        /// <summary>The cells of <see cref="Rows"/> filled in for a missing value (row, column).</summary>
        public ImputedCells Imputed { get; } = new ImputedCells();

        /// <summary>Rows left out for holding no measurement.</summary>
        public long NoMeasurement { get; private set; }

        /// <summary>
        /// Reads one row: true when kept, false when left out for holding no measurement. Throws
        /// <see cref="FeatureValueException"/> for a value the schema can't read (nothing is kept).
        /// </summary>
        public bool Add(IRecord record)
        {
            var features = new double[schema.Width];
            filledIn.Clear();
            schema.Featurize(record, culture, features, policy, filledIn);
            if (schema.HoldsNoMeasurement(filledIn))
            {
                NoMeasurement++;
                return false;
            }
            foreach (var name in filledIn) Imputed.Add(Rows.Count, schema.IndexOf(name));
            Rows.Add(features);
            return true;
        }
    }
}
