using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Numerics;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>
    /// The protocol of <see cref="SmallBaselineThresholdTests"/> over more seeds and baseline sizes, printed: the share of
    /// 4,000 new normal rows above the default threshold, and the training time. A measurement, not a check: it runs only
    /// with AUTOENCODERPS_MEASURE=1 (a few minutes).
    /// </summary>
    [Collection(TorchCollection.Name)]
    public class SmallBaselineMeasurements
    {
        private readonly ITestOutputHelper output;

        public SmallBaselineMeasurements(ITestOutputHelper output) => this.output = output;

        [Fact]
        public void FlaggedShareBySizeAndSeed()
        {
            if (Environment.GetEnvironmentVariable("AUTOENCODERPS_MEASURE") != "1") return;
            var fresh = SmallBaselineThresholdTests.Rows(4000, 1000);
            var sizes = (Environment.GetEnvironmentVariable("AUTOENCODERPS_MEASURE_SIZES") ?? "120,300,1000,2000,3000")
                .Split(',').Select(int.Parse).ToArray();
            foreach (int n in sizes)
            {
                var shares = new List<double>();
                foreach (int seed in new[] { 1, 2, 3 })
                {
                    var clock = Stopwatch.StartNew();
                    using var model = SmallBaselineThresholdTests.TrainWithDefaults(SmallBaselineThresholdTests.Rows(n, seed), seed);
                    double seconds = clock.Elapsed.TotalSeconds;
                    var freshScores = model.Score(fresh).Select(s => s.Score).ToArray();
                    double flagged = freshScores.Count(s => s > model.Threshold) / (double)fresh.Count;
                    shares.Add(flagged);
                    var same = SmallBaselineThresholdTests.Rows(n + 4000, seed).Skip(n).ToList();
                    double flaggedSame = model.Score(same).Count(s => s.IsAnomaly) / (double)same.Count;
                    var other = SmallBaselineThresholdTests.Rows(4000, 2000 + seed);
                    double flaggedOther = model.Score(other).Count(s => s.IsAnomaly) / (double)other.Count;
                    output.WriteLine(FormattableString.Invariant($"MEASURE n={n} seed={seed}: next 4,000 rows of the seed's stream {flaggedSame:P2} flagged; seed {2000 + seed}: {flaggedOther:P2}"));
                    output.WriteLine(FormattableString.Invariant(
                        $"MEASURE n={n} seed={seed}: {flagged:P2} flagged, threshold {model.Threshold:G5}, {seconds:0.00} s; {model.ThresholdSource}"));
                }
                output.WriteLine(FormattableString.Invariant($"MEASURE n={n} mean {shares.Average():P2}"));
            }
        }
    }
}
