using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoencoderPS.Engine
{
    /// <summary>The verdict on one row, and what drove it.</summary>
    public sealed class RowScore
    {
        private readonly FeatureSchema schema;
        private readonly double[] input;
        private readonly double[] reconstruction;

        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal RowScore(FeatureSchema schema, double[] input, double score, bool isAnomaly, float[] featureErrors, double[] reconstruction)
        {
            this.schema = schema;
            this.input = input;
            Score = score;
            IsAnomaly = isAnomaly;
            FeatureErrors = featureErrors;
            this.reconstruction = reconstruction;
            Reconstruction = reconstruction;

            var columnErrors = new double[schema.Count];
            double total = 0;
            for (int c = 0; c < schema.Count; c++)
            {
                int first = schema.FirstSlot(c);
                for (int k = 0; k < schema.Columns[c].Width; k++) columnErrors[c] += featureErrors[first + k];
                total += columnErrors[c];
            }
            ColumnErrors = columnErrors;
            int top = 0;
            for (int c = 1; c < columnErrors.Length; c++) if (columnErrors[c] > columnErrors[top]) top = c;
            TopFeature = top;
            TotalError = total;
        }

        /// <summary>Reconstruction error in the model's loss (mean over network inputs, in scaled units).</summary>
        public double Score { get; }

        /// <summary>True when <see cref="Score"/> is above the model's threshold (or is not a number).</summary>
        public bool IsAnomaly { get; }

        /// <summary>Index (in the schema's columns) of the feature with the largest error.</summary>
        public int TopFeature { get; }

        /// <summary>Per-input error in scaled units, in slot order.</summary>
        public IReadOnlyList<float> FeatureErrors { get; }

        /// <summary>Error per feature column (sum over its inputs), in column order.</summary>
        public IReadOnlyList<double> ColumnErrors { get; }

        /// <summary>The network's reconstruction in original units, in slot order.</summary>
        public IReadOnlyList<double> Reconstruction { get; }

        private double TotalError { get; }

        /// <summary>Each feature's share of the row's reconstruction error (0-1), in column order.</summary>
        public IReadOnlyList<double> Shares =>
            ColumnErrors.Select(e => TotalError > 0 ? e / TotalError : 0.0).ToArray();

        /// <summary>The <paramref name="count"/> features with the largest share of the error, largest first.</summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public IReadOnlyList<FeatureContribution> TopContributions(int count)
        {
            // A partial selection: scoring files explains every row, so no sorting of all columns.
            count = Math.Min(Math.Max(0, count), schema.Count);
            var top = new int[count];
            int found = 0;
            for (int c = 0; c < schema.Count; c++)
            {
                int at = found < count ? found++ : count;
                if (at == count && (count == 0 || ColumnErrors[c] <= ColumnErrors[top[count - 1]])) continue;
                if (at == count) at = count - 1;
                while (at > 0 && ColumnErrors[top[at - 1]] < ColumnErrors[c]) { top[at] = top[at - 1]; at--; }
                top[at] = c;
            }
            var result = new FeatureContribution[count];
            for (int k = 0; k < count; k++)
            {
                int c = top[k];
                result[k] = new FeatureContribution(
                    schema.Columns[c].Name,
                    TotalError > 0 ? ColumnErrors[c] / TotalError : 0.0,
                    schema.Describe(c, input),
                    schema.Describe(c, reconstruction));
            }
            return result;
        }

        /// <summary>"cpu_pct 97 (expected 35.2, 71%); ..." for the top <paramref name="count"/> features.</summary>
        public string Explain(int count, CultureInfo culture) =>
            string.Join("; ", TopContributions(count).Select(c => c.ToString(culture)));
    }

    /// <summary>One feature's part in a row's reconstruction error, with observed and expected values in original units.</summary>
    public sealed class FeatureContribution
    {
        public FeatureContribution(string feature, double share, object observed, object expected)
        {
            Feature = feature;
            Share = share;
            Observed = observed;
            Expected = expected;
        }

        public string Feature { get; }

        /// <summary>Share of the row's reconstruction error, 0-1.</summary>
        public double Share { get; }

        public object Observed { get; }
        public object Expected { get; }

        public override string ToString() => ToString(CultureInfo.InvariantCulture);

        public string ToString(CultureInfo culture) =>
            $"{Feature} {Format(Observed, culture)} (expected {Format(Expected, culture)}, {(Share * 100).ToString("0", culture)}%)";

        /// <summary>Numbers with up to 4 significant digits, so "97" and "35.2" read naturally.</summary>
        public static string Format(object value, CultureInfo culture) => value switch
        {
            double d => Math.Abs(d) < 1e-4 ? 0.0.ToString(culture) : d.ToString(Math.Abs(d) >= 10000 ? "0" : "G4", culture),
            _ => Convert.ToString(value, culture) ?? "",
        };
    }
}
