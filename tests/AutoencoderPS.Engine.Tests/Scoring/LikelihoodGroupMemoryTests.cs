using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using AutoencoderPS.Engine.Scoring;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    // A group's likelihood history holds memory for the rows it has, up to its bounds: a fleet of 20,000 hosts with a
    // few rows each held 8,640 rows of history per host from its first row (3.7 GB).
    public class LikelihoodGroupMemoryTests
    {
        // The digest of a long multi-group run (likelihoods, new highs, thresholds, and the saved histories at three
        // points), computed on linux-x64 by the code before a group's memory grew with its rows (every group held its
        // full history from its first row). Scores, verdicts and the saved memory must stay exactly these.
        private const string RunDigest = "0E5E75C21CDCD85E774674515E3900E431AAE8C533D4AF1352E37F9EDC1DBBC7";

        [Fact]
        public void ALongMultiGroupRunGivesTheSameLikelihoodsVerdictsAndSavedMemoryAsBefore()
        {
            // Math.Log and Math.Exp come from the platform's C library, whose last bits differ between systems: the
            // digest is linux-x64's (the comparison below holds everywhere).
            if (!(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)) return;
            Assert.Equal(RunDigest, Convert.ToHexString(SHA256.HashData(Run(fullFromFirstRow: false))));
        }

        [Fact]
        public void ALongMultiGroupRunGivesTheSameResultsAsHistoriesHeldAtTheirBoundsFromTheFirstRow()
        {
            Assert.Equal(Run(fullFromFirstRow: true), Run(fullFromFirstRow: false));
        }

        [Fact]
        public void AShortGroupHoldsMemoryForItsRowsAndALongOneUpToTheBound()
        {
            var likelihood = new AnomalyLikelihood(perGroup: g => g == "minute" ? new AnomalyLikelihood.GroupSettings(1440, 1500, 0.998) : null!);
            var random = new Random(5);
            for (int i = 0; i < 4; i++) likelihood.Next("short", 0.01 * (1 + random.NextDouble()), out _, i % 2);
            likelihood.Next("one", 0.02);
            for (int i = 0; i < 4; i++) likelihood.Next("minute", 0.01 * (1 + random.NextDouble()));
            // Four rows: a few hundred bytes, not 8,640 rows of history (173 KB) and 301 rows of new-high queue (4.8 KB).
            Assert.InRange(likelihood.HeldBytesOf("short"), 1, 1024);
            Assert.InRange(likelihood.HeldBytesOf("one"), 1, 1024);
            Assert.InRange(likelihood.HeldBytesOf("minute"), 1, 1024);
            // A long group grows to the bound and no further: history, kinds and sorted copy of 8,640 rows, a queue of at
            // most recentRows + 1 rows.
            var full = new AnomalyLikelihood(historyRows: 1000, learningRows: 50, recentRows: 100);
            double last = 0;
            for (int i = 0; i < 5000; i++) full.Next("long", last = 0.01 * (1 + i % 997) * (1 + random.NextDouble()));
            Assert.Equal(1000, full.CapacityOf("long").History);
            Assert.InRange(full.CapacityOf("long").Recent, 1, 101);
            Assert.Equal(0, full.HeldBytesOf("unseen"));
        }

        [Fact]
        public void ALoadedGroupHoldsMemoryForItsSavedRows()
        {
            var likelihood = new AnomalyLikelihood();
            for (int i = 0; i < 4; i++) likelihood.Next("short", 0.01 + 0.001 * i);
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) likelihood.Save(writer);
            buffer.Position = 0;
            using var reader = new BinaryReader(buffer);
            var loaded = AnomalyLikelihood.Load(reader, likelihood)!;
            Assert.InRange(loaded.HeldBytesOf("short"), 1, 1024);
        }

        // A long run's likelihoods, new highs and thresholds, row by row, and the saved histories at three points.
        private static byte[] Run(bool fullFromFirstRow)
        {
            using var digest = new MemoryStream();
            using var output = new BinaryWriter(digest);
            var random = new Random(20261207);

            // Groups of every length: one row, a few, a day, past the 8,640-row bound; per-group new-high horizons from
            // none to a day of per-minute rows; incidents in several features; non-finite and zero errors; a constant stretch.
            var lengths = new Dictionary<string, int>
            {
                ["one"] = 1, ["four-a"] = 4, ["four-b"] = 4, ["day"] = 300, ["week"] = 2100, ["minute"] = 3000, ["long"] = 9300, ["flat"] = 700,
            };
            for (int i = 0; i < 40; i++) lengths[$"host{i:00}"] = 1 + random.Next(12);
            // null: the likelihood's own settings.
            AnomalyLikelihood.GroupSettings Settings(string group) => group switch
            {
                "minute" => new AnomalyLikelihood.GroupSettings(1440, 1500, 0.998),
                "week" => new AnomalyLikelihood.GroupSettings(288, 0, 0.99),
                "flat" => new AnomalyLikelihood.GroupSettings(100, 20, 0.95),
                _ => null!,
            };
            var prior = Enumerable.Range(0, 500).Select(_ => 0.01 * Math.Exp(0.3 * Gaussian(random))).ToList();
            var likelihood = new AnomalyLikelihood(prior: prior, perGroup: Settings) { FullFromFirstRow = fullFromFirstRow };
            // A small bound that is not a power of two, crossed by most groups.
            var small = new AnomalyLikelihood(historyRows: 50, shortRows: 5, learningRows: 10, recentRows: 7) { FullFromFirstRow = fullFromFirstRow };

            var left = new Dictionary<string, int>(lengths);
            var seen = new Dictionary<string, int>();
            int rowsDone = 0, total = lengths.Values.Sum();
            var saveAt = new HashSet<int> { total / 3, 2 * total / 3 };
            while (left.Count > 0)
            {
                // Interleaved: short groups come and go among the long ones.
                var group = left.Keys.ElementAt(random.Next(left.Count));
                int i = seen.TryGetValue(group, out int n) ? n : 0;
                seen[group] = i + 1;
                if (--left[group] == 0) left.Remove(group);
                var (error, kind) = Error(group, i, random);
                Write(output, likelihood.Next(group, error, out bool high, out double at, kind), high, at);
                Write(output, small.Next(group, error, out high, out at, kind), high, at);
                if (saveAt.Contains(++rowsDone))
                {
                    likelihood = SaveAndLoad(likelihood, output);
                    small = SaveAndLoad(small, output);
                }
            }
            SaveAndLoad(likelihood, output);
            SaveAndLoad(small, output);
            output.Flush();
            return digest.ToArray();
        }

        // The i-th error of a group and the feature that drove it.
        private static (double Error, int Kind) Error(string group, int i, Random random)
        {
            double noise = Math.Exp(0.3 * Gaussian(random));
            int kind = random.Next(4);
            switch (group)
            {
                case "flat": return (i % 200 < 150 ? 0.02 : 0.02 * noise, 0);
                case "long":
                    if (i == 4000) return (double.NaN, kind);
                    if (i == 4001) return (double.PositiveInfinity, kind);
                    if (i % 1000 == 500) return (0, kind);
                    if (i % 288 == 100) return (0.4 * noise, 2);                 // a daily job
                    if (i >= 6000 && i < 6040) return (1.5 * noise, 1);          // an incident in feature 1
                    if (i >= 7000) return (0.05 * noise, kind);                  // a level shift
                    return (0.01 * noise, kind);
                case "minute":
                    if (i >= 2000 && i < 2030) return (0.8 * noise, 3);
                    if (i >= 2500 && i < 2510) return (0.8 * noise, 0);
                    return (0.01 * noise, kind);
                default:
                    if (i >= 150 && i < 170) return (2.0 * noise, i % 2);
                    return (0.01 * noise * (random.Next(50) == 0 ? 20 : 1), kind);
            }
        }

        private static void Write(BinaryWriter output, double? likelihood, bool newHigh, double unlikelyAt)
        {
            output.Write(likelihood.HasValue);
            output.Write(BitConverter.DoubleToInt64Bits(likelihood ?? 0));
            output.Write(newHigh);
            output.Write(BitConverter.DoubleToInt64Bits(unlikelyAt));
        }

        // The saved bytes join the digest; the run goes on from what was loaded.
        private static AnomalyLikelihood SaveAndLoad(AnomalyLikelihood likelihood, BinaryWriter output)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) likelihood.Save(writer);
            output.Write(buffer.ToArray());
            buffer.Position = 0;
            using var reader = new BinaryReader(buffer);
            var loaded = AnomalyLikelihood.Load(reader, likelihood)!;
            Assert.Equal(buffer.Length, buffer.Position);
            return loaded;
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
