using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>What a score says about its row: per-column errors, shares, and the top contributions in original units.</summary>
    [Collection(TorchCollection.Name)]
    public class RowScoreTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private const string DayAndTime = @"^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([01]\d|2[0-3]):[0-5]\d$";

        private readonly TorchFixture fixture;
        private readonly ITestOutputHelper output;

        public RowScoreTests(TorchFixture fixture, ITestOutputHelper output)
        {
            this.fixture = fixture;
            this.output = output;
        }

        private MixedCase Mixed => fixture.Mixed;
        private FeatureSchema Schema => Mixed.Model.Schema!;

        private RowScore ScoreOf(MessyData.Row row) => Mixed.Model.Score(new List<double[]> { Mixed.Featurize(MessyData.Record(row, Invariant)) })[0];

        [Fact]
        public void TheMixedModelHasTheExpectedLayout()
        {
            Assert.Equal(new[] { "time", "host", "level", "cpu", "memory", "latency" }, Schema.Names);
            Assert.Equal(4 + 5 + 4 + 3, Schema.Width);
            Assert.Equal(new[] { "id", "message" }, Schema.Ignored.Select(i => i.Name));
            Assert.Equal(ScalingMethod.Robust, Mixed.Model.Scaling);
            Assert.True(Mixed.Set.ImputedValues > 0);
        }

        [Fact]
        public void ColumnErrorsSumTheErrorsOfEachColumnsInputs()
        {
            var scores = Mixed.Model.Score(Mixed.Featurize(Mixed.HeldOut));

            foreach (var score in scores)
            {
                Assert.Equal(Schema.Count, score.ColumnErrors.Count);
                Assert.Equal(Schema.Width, score.FeatureErrors.Count);
                Assert.Equal(Schema.Width, score.Reconstruction.Count);
                for (int c = 0; c < Schema.Count; c++)
                {
                    double sum = 0;
                    for (int k = 0; k < Schema.Columns[c].Width; k++) sum += score.FeatureErrors[Schema.FirstSlot(c) + k];
                    Assert.Equal(sum, score.ColumnErrors[c], 12);
                }
                Assert.Equal(score.ColumnErrors.Sum() / Schema.Width, score.Score, 6);
                Assert.Equal(Enumerable.Range(0, Schema.Count).OrderByDescending(c => score.ColumnErrors[c]).First(), score.TopFeature);
            }
        }

        [Fact]
        public void TransientScoresAreRenewedByTheNextBatchAndScoresKeptByTheCallerAreNot()
        {
            var rows = Mixed.Featurize(Mixed.HeldOut);
            var reversed = Enumerable.Reverse(rows).ToList();
            // A caller that keeps its scores (a PowerShell object explains itself later), scored first and read last.
            var kept = Mixed.Model.Score(rows);
            // A file's sink reads each transient score before the next batch.
            var transient = Mixed.Model.Score(rows, transient: true);
            var scoresThen = transient.Select(s => s.Score).ToArray();
            var errorsThen = transient.Select(s => s.FeatureErrors.ToArray()).ToArray();
            var explainedThen = transient.Select(s => s.Explain(Schema.Count, Invariant)).ToArray();
            var next = Mixed.Model.Score(reversed, transient: true);

            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(kept[i].Score, scoresThen[i]);
                Assert.Equal(errorsThen[i], kept[i].FeatureErrors.ToArray());
                Assert.Equal(explainedThen[i], kept[i].Explain(Schema.Count, Invariant));
                // The next batch renewed the same scores: the earlier transient score is now the next batch's row.
                Assert.Same(next[i], transient[i]);
                Assert.Equal(kept[rows.Count - 1 - i].FeatureErrors.ToArray(), next[i].FeatureErrors.ToArray());
                Assert.Equal(kept[rows.Count - 1 - i].Explain(Schema.Count, Invariant), next[i].Explain(Schema.Count, Invariant));
            }
            Assert.NotEqual(errorsThen[0], transient[0].FeatureErrors.ToArray());
        }

        [Fact]
        public void ARenewedScoreKeepsNothingOfTheRowItWasBefore()
        {
            var rows = Mixed.Featurize(Mixed.HeldOut);
            // A normal row, renewed from a score marked otherwise in every way.
            var last = new List<double[]> { rows.Last(r => !Mixed.Model.Score(new List<double[]> { r })[0].IsAnomaly) };
            var fresh = Mixed.Model.Score(last)[0];
            var before = Mixed.Model.Score(rows, transient: true)[0];
            // What a calibration and a stuck feature add to a verdict (an anomaly, another top feature), and the parts made
            // when first asked for.
            int other = (fresh.TopFeature + 1) % Schema.Count;
            before.IsAlert = true;
            before.Probability = 0.99;
            before.MarkHeld(other, Schema.Columns[other].Name, 7, 12, 3);
            _ = before.Reconstruction;
            _ = before.ColumnErrors;

            var renewed = Mixed.Model.Score(last, transient: true)[0];

            Assert.Same(before, renewed);
            Assert.Equal(fresh.Score, renewed.Score);
            Assert.False(renewed.IsAnomaly);
            Assert.Null(renewed.Probability);
            Assert.False(renewed.IsAlert);
            Assert.Equal(fresh.TopFeature, renewed.TopFeature);
            Assert.Null(renewed.HeldFeature);
            Assert.Equal(0, renewed.HeldValue);
            Assert.Equal(0, renewed.HeldRows);
            Assert.Equal(0, renewed.HeldInTraining);
            Assert.Equal(fresh.FeatureErrors.ToArray(), renewed.FeatureErrors.ToArray());
            Assert.Equal(fresh.ColumnErrors.ToArray(), renewed.ColumnErrors.ToArray());
            Assert.Equal(fresh.Reconstruction.ToArray(), renewed.Reconstruction.ToArray());
            Assert.Equal(fresh.Explain(Schema.Count, Invariant), renewed.Explain(Schema.Count, Invariant));
        }

        [Fact]
        public void SharesSumToOne()
        {
            var scores = Mixed.Model.Score(Mixed.Featurize(Mixed.HeldOut));

            Assert.All(scores, s =>
            {
                Assert.Equal(Schema.Count, s.Shares.Count);
                Assert.Equal(1.0, s.Shares.Sum(), 9);
                Assert.All(s.Shares, share => Assert.InRange(share, 0.0, 1.0));
                for (int c = 0; c < Schema.Count; c++)
                    Assert.Equal(s.ColumnErrors[c] / s.ColumnErrors.Sum(), s.Shares[c], 9);
            });
        }

        [Fact]
        public void ASpikedNumberLeadsTheContributionsWithObservedAndExpectedInOriginalUnits()
        {
            var row = Mixed.HeldOutRows[3].Clone();
            row.Cpu = 950.0;

            var score = ScoreOf(row);
            var top = score.TopContributions(3);

            output.WriteLine(score.Explain(3, Invariant));
            Assert.True(score.IsAnomaly);
            Assert.Equal(Schema.IndexOf("cpu"), score.TopFeature);
            Assert.Equal(3, top.Count);
            Assert.Equal("cpu", top[0].Feature);
            Assert.Equal(950.0, top[0].Observed);
            double expected = Assert.IsType<double>(top[0].Expected);
            Assert.InRange(expected, 0, 200); // a cpu value like the training ones, in percent, not in scaled units
            Assert.True(top[0].Share > 0.5, $"cpu's share {top[0].Share}");
            Assert.Equal(score.Shares[Schema.IndexOf("cpu")], top[0].Share);
            Assert.True(top[0].Share >= top[1].Share && top[1].Share >= top[2].Share);
        }

        [Fact]
        public void TopContributionsAreOrderedByShareAndDescribeEveryRole()
        {
            var heldOut = Mixed.HeldOutRows[7];
            var score = ScoreOf(heldOut);

            var all = score.TopContributions(Schema.Count);

            Assert.Equal(Schema.Count, all.Count);
            Assert.Equal(Schema.Names.OrderBy(n => n), all.Select(c => c.Feature).OrderBy(n => n));
            for (int k = 1; k < all.Count; k++) Assert.True(all[k - 1].Share >= all[k].Share);
            Assert.Equal(1.0, all.Sum(c => c.Share), 9);
            var byName = all.ToDictionary(c => c.Feature);

            Assert.Equal(heldOut.Time.ToString("ddd HH:mm", Invariant), byName["time"].Observed);
            Assert.Matches(DayAndTime, Assert.IsType<string>(byName["time"].Expected));
            Assert.Equal(heldOut.Host, byName["host"].Observed);
            Assert.Contains(Assert.IsType<string>(byName["host"].Expected), Schema.Columns[Schema.IndexOf("host")].Categories.Append(FeatureColumn.OtherCategory));
            Assert.Equal(heldOut.Level, byName["level"].Observed);
            Assert.Equal(heldOut.Cpu, byName["cpu"].Observed);
            Assert.Equal(heldOut.Memory, byName["memory"].Observed);
            Assert.Equal(heldOut.Latency, byName["latency"].Observed);
            Assert.IsType<double>(byName["memory"].Expected);

            Assert.Empty(score.TopContributions(0));
            Assert.Equal(all.Take(2).Select(c => c.Feature), score.TopContributions(2).Select(c => c.Feature));
        }

        [Fact]
        public void ExpectedValuesAreTheReconstructionInOriginalUnits()
        {
            var row = Mixed.HeldOutRows[11];
            var score = ScoreOf(row);

            var byName = score.TopContributions(Schema.Count).ToDictionary(c => c.Feature);

            foreach (var name in new[] { "cpu", "memory", "latency" })
                Assert.Equal(score.Reconstruction[Schema.FirstSlot(Schema.IndexOf(name))], byName[name].Expected);
            int time = Schema.FirstSlot(Schema.IndexOf("time"));
            Assert.Equal(TimestampParser.Describe(score.Reconstruction.Skip(time).Take(4).ToArray()), byName["time"].Expected);
            // Normal rows are reconstructed near what they hold: cpu within 25 percentage points.
            Assert.InRange((double)byName["cpu"].Expected, (double)row.Cpu - 25, (double)row.Cpu + 25);
        }

        [Fact]
        public void AnUnseenCategoryIsObservedAsOther()
        {
            var row = Mixed.HeldOutRows[5].Clone();
            row.Host = "mail-9";

            var contributions = ScoreOf(row).TopContributions(Schema.Count);

            Assert.Equal(FeatureColumn.OtherCategory, contributions.Single(c => c.Feature == "host").Observed);
        }

        [Fact]
        public void ExplainListsTheTopFeaturesAsNameObservedExpectedAndShare()
        {
            var row = Mixed.HeldOutRows[3].Clone();
            row.Cpu = 950.0;
            var score = ScoreOf(row);
            var top = score.TopContributions(2);

            string text = score.Explain(2, Invariant);

            output.WriteLine(text);
            var parts = text.Split("; ");
            Assert.Equal(2, parts.Length);
            Assert.Matches(@"^cpu 950 \(expected -?\d+(\.\d+)?, \d{1,3} ?%\)$", parts[0]);
            Assert.StartsWith(top[1].Feature + " ", parts[1], StringComparison.Ordinal);
            Assert.Matches(@"^\S+ .+ \(expected .+, \d{1,3} ?%\)$", parts[1]);
            Assert.Equal(string.Join("; ", top.Select(c => c.ToString(Invariant))), text);
            Assert.Equal(text, score.Explain(2, Invariant));
        }

        [Fact]
        public void ExplainUsesTheCultureForNumbers()
        {
            var row = Mixed.HeldOutRows[3].Clone();
            row.Cpu = 97.5;
            row.Memory = 99999.0;
            var score = ScoreOf(row);

            string german = score.Explain(Schema.Count, CultureInfo.GetCultureInfo("de-DE"));
            string invariant = score.Explain(Schema.Count, Invariant);

            output.WriteLine(german);
            Assert.Contains("cpu 97,5 (expected ", german, StringComparison.Ordinal);
            Assert.Contains("cpu 97.5 (expected ", invariant, StringComparison.Ordinal);
            Assert.Contains("memory 99999 (expected ", german, StringComparison.Ordinal); // large numbers whole, no group separator
        }
    }
}
