using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// Seeded, generated data for the training tests: six metric-like features driven by two latent
    /// factors plus a little noise, so the features are strongly correlated and an autoencoder with a
    /// narrow bottleneck can reconstruct them.
    /// </summary>
    internal static class SyntheticData
    {
        public static readonly string[] FeatureNames = { "cpu", "memory", "disk", "net_in", "net_out", "latency" };

        public static int FeatureCount => FeatureNames.Length;

        /// <summary>The header of an export of these features with an Id column first (the scheduled job's tests): "Id,cpu,...".</summary>
        public static string CsvHeader => "Id," + string.Join(",", FeatureNames);

        /// <summary>
        /// <paramref name="count"/> rows of normal behaviour (<see cref="Normal"/> of <paramref name="seed"/>) as export lines,
        /// each with its Id (from <paramref name="firstId"/>) and its values as round-trip invariant text.
        /// </summary>
        public static string CsvRows(int count, int seed, int firstId, string newline = "\n")
        {
            var text = new System.Text.StringBuilder();
            int id = firstId;
            foreach (var row in Normal(count, seed))
                text.Append(id++).Append(',').Append(string.Join(",", row.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).Append(newline);
            return text.ToString();
        }

        /// <summary>Rows of normal behaviour.</summary>
        public static List<double[]> Normal(int count, int seed)
        {
            var random = new Random(seed);
            var rows = new List<double[]>(count);
            for (int i = 0; i < count; i++)
                rows.Add(FromLatent(Gaussian(random), Gaussian(random), random));
            return rows;
        }

        /// <summary>A row whose features come from two different latent states: each value is ordinary, the combination is not.</summary>
        public static double[] BrokenCorrelation(Random random)
        {
            double z1 = Gaussian(random), z2 = Gaussian(random);
            var row = FromLatent(z1, z2, random);
            var other = FromLatent(-z1 + Math.Sign(z1 + 1e-9) * 2.5, -z2, random);
            // The first three features follow one state, the last three another.
            for (int j = 3; j < row.Length; j++) row[j] = other[j];
            return row;
        }

        /// <summary>A copy of <paramref name="row"/> with one feature pushed far above the training range.</summary>
        public static double[] Spike(double[] row, int feature, IReadOnlyList<double[]> training, double ranges)
        {
            double min = training.Min(r => r[feature]);
            double max = training.Max(r => r[feature]);
            var spiked = (double[])row.Clone();
            spiked[feature] = max + ranges * (max - min);
            return spiked;
        }

        public static double Gaussian(Random random)
        {
            // Box-Muller; 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        private static double[] FromLatent(double z1, double z2, Random random)
        {
            double Noise(double scale) => 0.03 * scale * Gaussian(random);
            return new[]
            {
                50 + 10 * z1 + Noise(10),
                30 + 8 * (0.8 * z1 + 0.6 * z2) + Noise(8),
                100 + 20 * z2 + Noise(20),
                5 + 2 * (0.6 * z1 - 0.8 * z2) + Noise(2),
                200 + 40 * (0.7 * z1 + 0.7 * z2) + Noise(40),
                1 - 0.5 * z1 + Noise(0.5),
            };
        }
    }
}
