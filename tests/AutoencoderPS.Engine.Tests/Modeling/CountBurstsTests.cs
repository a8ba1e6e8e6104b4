using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The count-burst rule of sliding-window models (Modeling.CountBursts).</summary>
    [Collection(TorchCollection.Name)]
    public sealed class CountBurstsTests : IDisposable
    {
        private const int Window = 12;
        private const int Day = 1440;
        private static readonly DateTime T0 = new DateTime(2027, 1, 4);
        private readonly TempDirectory temp = new TempDirectory();

        // Used only for its torch set-up (libtorch loaded, one thread).
        public CountBurstsTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        private static int Poisson(Random random, double lambda)
        {
            double limit = Math.Exp(-lambda), p = 1;
            int k = 0;
            do { k++; p *= random.NextDouble(); } while (p > limit);
            return k - 1;
        }

        // One row a minute: errors (Poisson, 0.03 a minute, more by day: 0 on most rows) and cpu (a noisy daily cycle).
        // From row `burstAt` on, for `burstRows` rows, errors come at 3 a minute.
        private static (List<double[]> Rows, List<WindowKey> Keys) Series(int first, int count, int seed, int burstAt = -1, int burstRows = 10, string group = "")
        {
            var random = new Random(seed);
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            for (int i = first; i < first + count; i++)
            {
                double day = Math.Sin(2 * Math.PI * (i % Day) / Day);
                double errors = i >= burstAt && i < burstAt + burstRows && burstAt >= 0 ? Poisson(random, 3.0) : Poisson(random, 0.03 * (1 + 0.5 * day));
                double cpu = 50 + 15 * day + 2 * random.NextDouble();
                rows.Add(new[] { errors, cpu });
                keys.Add(new WindowKey(group, T0.AddMinutes(i)));
            }
            return (rows, keys);
        }

        private static FeatureSchema Schema() => new FeatureSchema(new[] { new FeatureColumn("errors", median: 0), new FeatureColumn("cpu", median: 50) });

        private static AutoencoderModel Trained(int days = 3, int burstAt = -1)
        {
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time");
            var model = new AutoencoderModel(settings);
            var (rows, keys) = Series(0, days * Day, 1, burstAt);
            model.Train(Schema(), rows, new TrainingOptions { Epochs = 3, BatchSize = 64, LearningRate = 1e-2 }, windows: SlidingWindow.Plan(Window, keys, null));
            return model;
        }

        // The windows of `count` later rows (a burst from `burstAt`, -1: none), with their keys.
        private static (List<double[]> Windows, List<WindowKey> Keys) Later(AutoencoderModel model, int count, int burstAt, int seed = 2)
        {
            var (rows, keys) = Series(10 * Day, count, seed, burstAt < 0 ? -1 : 10 * Day + burstAt);
            var assembler = model.NewAssembler();
            var windows = new List<double[]>();
            var windowKeys = new List<WindowKey>();
            for (int i = 0; i < rows.Count; i++)
                if (assembler.Push(keys[i], rows[i]).Window is { } w)
                {
                    windows.Add(w);
                    windowKeys.Add(keys[i]);
                }
            return (windows, windowKeys);
        }

        [Fact]
        public void TheLimitIsTheSmallestTotalWhoseTailChanceIsAtMostTheGivenOne()
        {
            // Poisson (checked against scipy): P(X >= 9 | 2) = 0.00024, P(X >= 8 | 2) = 0.0011.
            Assert.Equal(9, CountBursts.Limit(2.0, null, 1e-3));
            Assert.Equal(3, CountBursts.Limit(0.4, null, 0.01));
            // 0.7 events a window: once a year of 1-minute windows is 8 or more, of 5-minute windows 7 or more.
            Assert.Equal(8, CountBursts.Limit(0.7, null, CountBursts.TailChance(TimeSpan.FromMinutes(1))));
            Assert.Equal(7, CountBursts.Limit(0.7, null, CountBursts.TailChance(TimeSpan.FromMinutes(5))));
            // Negative binomial (scipy nbinom.isf(1e-6, 2, 2 / 3.5) + 1).
            Assert.Equal(20, CountBursts.Limit(1.5, 2.0, 1e-6));
            // A byte count (a mean of millions, a size far below 1): the gamma tail, within 0.1 % of scipy's exact one.
            Assert.InRange(CountBursts.Limit(5e6, 0.3, 1e-5), 147_052_727 * 0.999, 147_052_727 * 1.001);
            Assert.InRange(CountBursts.Limit(2e5, 0.05, 1e-6), 34_787_456 * 0.999, 34_787_456 * 1.001);
            // The incomplete gamma: Q(1, x) = e^-x, Q(1/2, x) = erfc(sqrt(x)).
            Assert.Equal(Math.Exp(-3), CountBursts.UpperGamma(1, 3), 12);
            Assert.Equal(0.0026997960632601883, CountBursts.UpperGamma(0.5, 4.5), 12);
            Assert.Equal(0.9984446376400541, CountBursts.UpperGamma(0.5, 0.0000019), 12);
            // scipy.special.gammaincc(3.7, 12).
            Assert.Equal(0.001520446619118992, CountBursts.UpperGamma(3.7, 12), 12);
            // Once a year: 1.9e-6 a window a minute, 9.5e-6 at 5 minutes, the 5 minutes when the interval is not known.
            Assert.Equal(1.0 / (365 * 1440), CountBursts.TailChance(TimeSpan.FromMinutes(1)), 15);
            Assert.Equal(CountBursts.TailChance(TimeSpan.FromMinutes(5)), CountBursts.TailChance(null));
        }

        // CountBursts.Limit as it was before it searched the tail (commit 2bb3633), verbatim: every limit is summed term by term.
        private static int SummedLimit(double mean, double? size, double chance)
        {
            double logPmf, logRatio;
            if (size is double r)
            {
                logPmf = r * Math.Log(r / (r + mean));
                logRatio = Math.Log(mean / (r + mean));
            }
            else
            {
                logPmf = -mean;
                logRatio = Math.Log(mean);
            }
            double below = 0;
            for (int k = 0; k < CountBursts.MostTerms; k++)
            {
                if (1 - below <= chance) return Math.Max(1, k);
                below += Math.Exp(logPmf);
                logPmf += logRatio + (size is double r2 ? Math.Log((k + r2) / (k + 1)) : -Math.Log(k + 1));
            }
            double shape = size ?? mean;
            double low = 0, high = Math.Max(1, shape);
            while (CountBursts.UpperGamma(shape, high) > chance) { low = high; high *= 2; }
            for (int i = 0; i < 200 && high - low > 1e-12 * high; i++)
            {
                double mid = (low + high) / 2;
                if (CountBursts.UpperGamma(shape, mid) > chance) low = mid; else high = mid;
            }
            return (int)Math.Min(int.MaxValue, Math.Max(CountBursts.MostTerms, Math.Ceiling(high * mean / shape)));
        }

        [Fact]
        public void EveryLimitIsTheOneTheTermByTermSumGave()
        {
            // A grid (tiny to huge means, Poisson to very wide, chances from 1/2 to once a year of 1-second windows and
            // beyond), and random points between: each limit as the sum gave it, whichever way it is found now.
            var points = new List<(double Mean, double? Size, double Chance)>();
            var chances = new[] { 0.5, 1e-3, CountBursts.TailChance(TimeSpan.FromMinutes(5)), CountBursts.TailChance(TimeSpan.FromMinutes(1)),
                CountBursts.TailChance(TimeSpan.FromSeconds(1)), 1e-11 };
            foreach (double mean in new[] { 1e-6, 0.03, 0.7, 2.5, 30, 700, 1e4, 1e5, 1e6, 3e7 })
                foreach (double? size in new double?[] { null, 0.01, 0.3, 1, 7, 300, 1e6, 1e12 })
                    foreach (double chance in chances)
                        points.Add((mean, size, chance));
            var random = new Random(17);
            for (int i = 0; i < 200; i++)
                points.Add((Math.Pow(10, -3 + 10 * random.NextDouble()), random.NextDouble() < 0.2 ? null : Math.Pow(10, -2 + 6 * random.NextDouble()),
                    Math.Pow(10, -11 + 10.7 * random.NextDouble())));
            int first = 0, searched = 0, resummed = 0, beyond = 0;
            foreach (var (mean, size, chance) in points)
            {
                int limit = CountBursts.Limit(mean, size, chance, out int summed);
                Assert.True(SummedLimit(mean, size, chance) == limit, FormattableString.Invariant($"mean {mean:R}, size {size:R}, chance {chance:R}: {limit}, summed {summed} terms"));
                if (summed < CountBursts.FirstTerms) first++;
                else if (summed > CountBursts.FirstTerms) resummed++;
                else if (limit >= CountBursts.MostTerms) beyond++;
                else searched++;
            }
            // Every way of finding it was taken: within the first terms, by the search, by the sum where the tail lies within
            // its rounding error of the chance, and the gamma tail beyond a million terms.
            Assert.All(new[] { first, searched, resummed, beyond }, n => Assert.True(n >= 10, $"{first} first, {searched} searched, {resummed} summed, {beyond} beyond"));
        }

        [Theory]
        [InlineData(1e4, 0.3, 5)]    // a byte count: limit 295,663
        [InlineData(1e4, 0.05, 5)]   // 1,334,291: beyond the sum, the gamma tail
        [InlineData(1e5, 1.0, 5)]
        [InlineData(1e6, null, 5)]   // a Poisson: 1,004,282
        [InlineData(1e6, 5.0, 1)]
        [InlineData(1e4, 1.0, 1)]
        public void ALargeCountsLimitIsFoundWithoutSummingItsTerms(double mean, double? size, int minutes)
        {
            // Summed, each took 1-50 ms (up to a million terms): a model of a few hundred groups took seconds to load.
            int limit = CountBursts.Limit(mean, size, CountBursts.TailChance(TimeSpan.FromMinutes(minutes)), out int summed);
            Assert.True(limit > CountBursts.FirstTerms);
            Assert.Equal(CountBursts.FirstTerms, summed);
        }

        [Fact]
        public void TheTailIsTheIncompleteBetaOrGammaFunction()
        {
            // 40-digit values (mpmath: betainc(k, size, 0, mean / (mean + size)), gammainc(k, 0, mean), regularized).
            Assert.Equal(9.5128410647369526e-6, CountBursts.Tail(295_663, 1e4, 0.3), 9.5e-6 * 1e-10);
            Assert.Equal(9.5131469812789517e-6, CountBursts.Tail(295_662, 1e4, 0.3), 9.5e-6 * 1e-10);
            Assert.Equal(4.5402653822587887e-5, CountBursts.Tail(999_999, 1e5, 1.0), 4.5e-5 * 1e-10);
            Assert.Equal(9.5120857075638793e-6, CountBursts.Tail(41_427, 1e4, 5.0), 9.5e-6 * 1e-10);
            Assert.Equal(5.4310713299233716e-7, CountBursts.Tail(20, 1.5, 2.0), 5.4e-7 * 1e-12);
            Assert.Equal(1.66654667091991e-13, CountBursts.Tail(3, 1e-4, 1e6), 1.7e-13 * 1e-10);
            Assert.Equal(9.5009235364474304e-6, CountBursts.Tail(10_431, 1e4, null), 9.5e-6 * 1e-10);
            Assert.Equal(9.455985131669522e-6, CountBursts.Tail(101_356, 1e5, null), 9.5e-6 * 1e-10);
            Assert.Equal(0.00023744732826116179, CountBursts.Tail(9, 2.0, null), 2.4e-4 * 1e-12);
            Assert.Equal(1.0, CountBursts.Tail(0, 2.0, null));
        }

        [Fact]
        public void OnlyASparseCountIsWatched()
        {
            var schema = new FeatureSchema(new[] { "errors", "cpu", "negative", "halves", "busy", "never" });
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            var random = new Random(5);
            for (int i = 0; i < 600; i++)
            {
                rows.Add(new double[]
                {
                    i % 10 == 0 ? 1 : 0,                // a sparse count
                    50 + random.NextDouble(),           // a gauge
                    i % 10 == 0 ? -1 : 0,               // below 0: no count
                    i % 10 == 0 ? 0.5 : 0,              // not whole
                    i % 3 == 0 ? 0 : 2,                 // whole, but 0 on a third of the rows: events are the rule
                    0,                                  // no event to learn a rate from
                });
                keys.Add(new WindowKey("", T0.AddMinutes(i)));
            }
            var plan = SlidingWindow.Plan(Window, keys, null);
            var rule = CountBursts.Learn(schema, rows, plan.Windows, Window, interval: plan.UsualInterval)!;
            Assert.NotNull(rule.Rates[0]);
            Assert.All(rule.Rates.Skip(1), r => Assert.Null(r));
            // `never` is a count (whole, none below 0, mostly 0) whose rate training could not learn: it waits for events.
            Assert.Equal(new[] { false, false, false, false, false, true }, rule.Pending);
            Assert.Contains("(an -Incremental run with events learns it): never.", rule.Describe());
            // 1.2 events in every window of 12 rows: no spread beyond the Poisson's, so the Poisson (size at most the 60
            // events + 1/2, the rate's own uncertainty).
            Assert.Equal(1.2, rule.Rates[0]!.Mean, 2);
            Assert.Equal(60.5, rule.Rates[0]!.Size);
            // A counter (a rate, not a count) is never one, nor is anything when nothing is a sparse count.
            Assert.Null(CountBursts.Learn(new FeatureSchema(new[] { new FeatureColumn("sent", counter: true, median: 0) }),
                rows.Select(r => new[] { r[0] }).ToList(), plan.Windows, Window));
            Assert.Null(CountBursts.Learn(new FeatureSchema(new[] { "cpu" }), rows.Select(r => new[] { r[1] }).ToList(), plan.Windows, Window));
        }

        [Fact]
        public void ABurstOnOneTrainingDayDoesNotBlindTheRuleToTheNext()
        {
            // Five days of window totals: Poisson 0.7 a window, and on the third day a stretch of 30.
            var random = new Random(11);
            var clean = Enumerable.Range(0, 5 * Day).Select(_ => (double)Poisson(random, 0.7)).ToArray();
            var dirty = clean.ToArray();
            for (int i = 2 * Day + 100; i < 2 * Day + 130; i++) dirty[i] = 30;
            double events = clean.Sum() / Window;
            var cleanFit = CountBursts.Fit(clean, Day, events)!;
            var dirtyFit = CountBursts.Fit(dirty, Day, events)!;
            double chance = CountBursts.TailChance(TimeSpan.FromMinutes(1));
            int limit = CountBursts.Limit(cleanFit.Mean, cleanFit.Size, chance);
            Assert.InRange(limit, 7, 9);
            // The median day: the same limit, within one event.
            Assert.InRange(CountBursts.Limit(dirtyFit.Mean, dirtyFit.Size, chance), limit, limit + 1);
            // Fitted on all windows at once, the stretch would have made 30 believable.
            Assert.True(CountBursts.Limit(dirty.Average(), dirty.Average() * dirty.Average() / (Variance(dirty) - dirty.Average()), chance) > 30);
            // A block is a day of rows, and at least a dozen windows' rows.
            Assert.Equal(1440, CountBursts.BlockWindows(TimeSpan.FromMinutes(1), 24));
            Assert.Equal(288, CountBursts.BlockWindows(TimeSpan.FromMinutes(5), 24));
            Assert.Equal(288, CountBursts.BlockWindows(null, 24));
            Assert.Equal(288, CountBursts.BlockWindows(TimeSpan.FromHours(1), 24));
            Assert.Equal(96, CountBursts.BlockWindows(TimeSpan.FromMinutes(15), 6));
            // A count too rare for the median day to see an event is fitted on all the windows.
            var rare = new double[5 * Day];
            for (int i = 0; i < Window; i++) rare[Day + 7 + i] = 1;
            Assert.Equal(Window / (5.0 * Day), CountBursts.Fit(rare, Day, 1)!.Mean, 9);
        }

        private static double Variance(double[] values)
        {
            double mean = values.Average();
            return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        }

        [Fact]
        public void ABurstOfASparseCountIsAnAnomalyAndRaisesOneAlertUnderTheLikelihood()
        {
            using var model = Trained();
            var rule = model.CountBursts!;
            Assert.NotNull(rule.Rates[0]);
            Assert.Null(rule.Rates[1]);
            int limit = rule.LimitFor(0);
            Assert.InRange(limit, 4, 8);
            var (windows, keys) = Later(model, Day, burstAt: 600);
            var scores = model.ScoreWindows(windows);
            var verdicts = new RowVerdicts(calibrate: true, likelihood: new AnomalyLikelihood(prior: model.TrainingErrors));
            for (int k = 0; k < scores.Length; k++) verdicts.Apply(scores[k], keys[k]);

            var bursts = scores.Select((s, k) => (s, k)).Where(p => p.s.CountFeature != null).ToList();
            Assert.NotEmpty(bursts);
            // Only windows that hold burst rows (window k ends at row k + 11).
            Assert.All(bursts, p => Assert.InRange(p.k + Window - 1, 600, 600 + 10 + Window - 2));
            Assert.All(bursts, p => Assert.True(p.s.IsAnomaly));
            // One alert for the stretch: the windows from the first that holds a burst row to the last one (the tiny
            // network's likelihood may alert elsewhere in the day; that is not this rule's).
            Assert.Equal(1, scores.Skip(600 - (Window - 1)).Take(10 + Window - 1).Count(s => s.IsAlert));
            Assert.Contains(bursts, p => p.s.IsAlert);
            var first = bursts[0].s;
            Assert.Equal("errors", first.CountFeature);
            Assert.True(first.CountTotal >= limit);
            Assert.Equal("errors (t)", model.WindowSchema!.Columns[first.TopFeature].Name);
            string expected = string.Create(CultureInfo.InvariantCulture,
                $"errors counted {first.CountTotal} in {Window} rows (expected {FeatureContribution.Format(rule.Rates[0]!.Mean, CultureInfo.InvariantCulture)}; {limit} or more once a year)");
            Assert.Equal(expected, first.Explain(0, CultureInfo.InvariantCulture));
            Assert.StartsWith(expected + "; ", first.Explain(2, CultureInfo.InvariantCulture));
        }

        [Fact]
        public void ATimeGridModelDoesNotWatchCounts()
        {
            // A grid's cells are averages and values interpolated between rows: a count of 6 after a gap of two steps
            // became 2, 4, 6 and was a burst of 12 that never happened (review).
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", timeGrid: true);
            using var grid = new AutoencoderModel(settings);
            var (rows, keys) = Series(0, 3 * Day, 1);
            var plan = SlidingWindow.PlanGrid(Window, keys, rows, null, out var cells);
            grid.Train(Schema(), cells, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-2 }, windows: plan);
            Assert.Null(grid.CountBursts);
            // The same rows by rows: watched.
            using var byRows = Trained();
            Assert.NotNull(byRows.CountBursts);
        }

        [Fact]
        public void DaysOfTheTrainingRateRaiseNoBurst()
        {
            using var model = Trained();
            for (int seed = 2; seed <= 4; seed++)
            {
                var (windows, _) = Later(model, 3 * Day, burstAt: -1, seed);
                Assert.All(model.ScoreWindows(windows), s => Assert.Null(s.CountFeature));
            }
        }

        [Fact]
        public void TheModelFileKeepsTheRuleAndTheLoadedModelFlagsTheSameWindows()
        {
            using var model = Trained();
            string path = temp.File("counts.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);

            Assert.Equal(model.CountBursts!.Rates.Select(r => (r?.Mean, r?.Size)), loaded.CountBursts!.Rates.Select(r => (r?.Mean, r?.Size)));
            Assert.Equal(model.CountBursts.LimitFor(0), loaded.CountBursts.LimitFor(0));
            var (windows, _) = Later(model, 800, burstAt: 600);
            Assert.Equal(model.ScoreWindows(windows).Select(s => (s.CountFeature, s.CountTotal)), loaded.ScoreWindows(windows).Select(s => (s.CountFeature, s.CountTotal)));
            Assert.Contains(loaded.ScoreWindows(windows), s => s.CountFeature == "errors");
        }

        // `model` saved, its metadata changed by `edit`, written back with version `version`.
        private string Forged(AutoencoderModel model, string name, Action<System.Text.Json.Nodes.JsonObject> edit, ushort version = ModelFile.FormatVersion) =>
            ModelFileLayout.Forge(model, temp.File(name), edit, version);

        private static void RemoveRates(System.Text.Json.Nodes.JsonObject metadata)
        {
            foreach (var feature in ModelFileLayout.FeaturesOf(metadata))
            {
                feature!.AsObject().Remove("CountMean");
                feature.AsObject().Remove("CountSize");
                feature.AsObject().Remove("CountLimit");
            }
        }

        [Fact]
        public void AVersion8FileLoadsWithoutTheRuleAndScoresAsBefore()
        {
            using var model = Trained();
            Assert.Equal(11, ModelFile.FormatVersion);
            using var old = ModelFile.Load(Forged(model, "v8.aemodel", RemoveRates, version: 8));
            Assert.Null(old.CountBursts);
            Assert.NotNull(old.HeldValues);
            var (windows, _) = Later(model, 800, burstAt: 600);
            var now = model.ScoreWindows(windows);
            var before = old.ScoreWindows(windows);
            Assert.Contains(now, s => s.CountFeature != null);
            Assert.All(before, s => Assert.Null(s.CountFeature));
            // The same errors and, without the rule, the error's verdicts.
            Assert.Equal(now.Select(s => s.Score), before.Select(s => s.Score));
            Assert.Equal(now.Select(s => s.Score > model.Threshold), before.Select(s => s.IsAnomaly));
        }

        private static void RemoveLimits(System.Text.Json.Nodes.JsonObject metadata)
        {
            foreach (var feature in ModelFileLayout.FeaturesOf(metadata)) feature!.AsObject().Remove("CountLimit");
            foreach (var group in metadata["CountGroups"]?.AsArray() ?? new System.Text.Json.Nodes.JsonArray()) group!.AsObject().Remove("Limits");
        }

        [Fact]
        public void TheModelFileKeepsTheLimitsSoLoadingComputesNone()
        {
            using var model = Trained(days: 1);
            int limit = model.CountBursts!.LimitFor(0);
            string path = temp.File("limits.aemodel");
            ModelFile.Save(model, path);
            var errors = ModelFileLayout.FeaturesOf(ModelFileLayout.Parse(File.ReadAllBytes(path)).MetadataJson).Single(f => (string?)f!["Name"] == "errors")!;
            Assert.Equal(limit, (int)errors["CountLimit"]!);
            // A limit the rates would not give is the one the loaded rule judges by: loading took it, and computed none.
            using var forged = ModelFile.Load(Forged(model, "forged.aemodel", metadata =>
                ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == "errors")!["CountLimit"] = 1234));
            Assert.Equal(1234, forged.CountBursts!.LimitFor(0));
            Assert.Equal(model.CountBursts.Rates[0]!.Mean, forged.CountBursts.Rates[0]!.Mean);
            // A file without them (written before they were kept) computes them: the same.
            using var before = ModelFile.Load(Forged(model, "before.aemodel", RemoveLimits));
            Assert.Equal(limit, before.CountBursts!.LimitFor(0));
        }

        [Fact]
        public void TheKeptLimitsLeaveTheModelsFingerprintAsItWas()
        {
            // A scheduled job that learns keys its learned weights by the model's fingerprint: a file written before the
            // limits were kept must keep its fingerprint under this module, or the job would start afresh after an upgrade.
            // The fingerprint covers the rates the limits come from, not the limits (a forged one changes nothing).
            using var model = Trained(days: 1);
            string fingerprint = ModelFile.Fingerprint(model);
            using var before = ModelFile.Load(Forged(model, "fp-before.aemodel", RemoveLimits));
            using var forged = ModelFile.Load(Forged(model, "fp-forged.aemodel", metadata =>
                ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == "errors")!["CountLimit"] = 1234));
            Assert.Equal(fingerprint, ModelFile.Fingerprint(before));
            Assert.Equal(fingerprint, ModelFile.Fingerprint(forged));
            // A different rate is a different model.
            using var other = ModelFile.Load(Forged(model, "fp-other.aemodel", metadata =>
            {
                var errors = ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == "errors")!;
                errors["CountMean"] = (double)errors["CountMean"]! * 2;
                errors.AsObject().Remove("CountLimit");
            }));
            Assert.NotEqual(fingerprint, ModelFile.Fingerprint(other));
        }

        [Theory]
        [InlineData("errors", 0)]
        [InlineData("errors", -3)]
        [InlineData("cpu", 5)]      // a feature without a rate
        public void AFileWhoseCountLimitIsNotOneOfItsRatesIsCorrupt(string feature, int limit)
        {
            using var model = Trained(days: 1);
            string path = Forged(model, "bad-limit.aemodel", metadata =>
                ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == feature)!["CountLimit"] = limit);
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Contains("count limit", error.Message);
            // A rate without its limit, where the file keeps limits, is as corrupt.
            string missing = Forged(model, "no-limit.aemodel", metadata =>
            {
                ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == "errors")!.AsObject().Remove("CountLimit");
                ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == "cpu")!["CountLimit"] = 5;
            });
            Assert.Contains("count limit", Assert.Throws<ModelFileException>(() => ModelFile.Load(missing)).Message);
        }

        [Theory]
        [InlineData("errors", -1.0, null)]
        [InlineData("errors", 0.0, null)]
        [InlineData("errors", 0.5, 0.0)]
        [InlineData("errors", null, 2.0)]   // a size without a mean
        public void AFileWhoseCountRateIsNotAPositiveMeanIsCorrupt(string feature, double? mean, double? size)
        {
            using var model = Trained(days: 1);
            string path = Forged(model, "bad.aemodel", metadata =>
            {
                var entry = ModelFileLayout.FeaturesOf(metadata).Single(f => (string?)f!["Name"] == feature)!.AsObject();
                entry["CountMean"] = mean;
                entry["CountSize"] = size;
            });
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
            Assert.Contains("count rate", error.Message);
        }

        [Fact]
        public void IncrementalTrainingKeepsTheRateOfTheHigherLimit()
        {
            using var model = Trained(days: 2);
            int before = model.CountBursts!.LimitFor(0);
            // Another day, three times as busy: its limit is higher, and it is the one kept.
            var random = new Random(9);
            var (rows, keys) = Series(5 * Day, Day, 7);
            foreach (var row in rows) row[0] = Poisson(random, 0.09);
            model.Train(model.Schema!, rows, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3 },
                windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.True(model.CountBursts!.LimitFor(0) > before);
        }

        [Fact]
        public void AnIncrementalRunOnAQuietDayKeepsTheRule()
        {
            using var model = Trained(days: 2);
            int before = model.CountBursts!.LimitFor(0);
            // A day without a single error: still a sparse count (all 0), with no event to learn a rate from.
            var (rows, keys) = Series(5 * Day, Day, 7);
            foreach (var row in rows) row[0] = 0;
            model.Train(model.Schema!, rows, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3 },
                windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.Equal(before, model.CountBursts!.LimitFor(0));
            // A day on which the feature is no count (fractions) ends the rule for it.
            (rows, keys) = Series(7 * Day, Day, 8);
            foreach (var row in rows) row[0] += 0.5;
            model.Train(model.Schema!, rows, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3 },
                windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.Null(model.CountBursts);
        }

        [Fact]
        public void AnIncrementalRunWithoutTheCountsValuesKeepsTheRule()
        {
            // The errors column empty in every row of a later run (its exporter left it out that day): those rows say
            // nothing of it, so the rule for it goes on (before, it ended for good).
            using var model = Trained(days: 2);
            int before = model.CountBursts!.LimitFor(0);
            var (rows, keys) = Series(5 * Day, Day, 7);
            var imputed = new ImputedCells();
            for (int r = 0; r < rows.Count; r++)
            {
                rows[r][0] = 0; // the median filled in
                imputed.Add(r, 0);
            }
            model.Train(model.Schema!, rows, new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3 },
                windows: SlidingWindow.Plan(Window, keys, null), imputed: imputed, continueTraining: true);
            Assert.NotNull(model.CountBursts);
            Assert.Equal(before, model.CountBursts!.LimitFor(0));
        }

        private static readonly TrainingOptions FirstRun = new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 1e-2 };
        private static readonly TrainingOptions LaterRun = new TrainingOptions { Epochs = 1, BatchSize = 64, LearningRate = 1e-3 };

        // Series' rows with a third column, `level`, from `level(i, random)`.
        private static (List<double[]> Rows, List<WindowKey> Keys) WithLevel(int first, int count, int seed, Func<int, Random, double> level, bool quiet = false)
        {
            var (rows, keys) = Series(first, count, seed);
            var random = new Random(seed + 100);
            for (int i = 0; i < rows.Count; i++) rows[i] = new[] { quiet ? 0 : rows[i][0], rows[i][1], level(i, random) };
            return (rows, keys);
        }

        private static FeatureSchema SchemaWithLevel() => new FeatureSchema(new[]
            { new FeatureColumn("errors", median: 0), new FeatureColumn("cpu", median: 50), new FeatureColumn("level", median: 0) });

        private static AutoencoderModel Untrained() => new AutoencoderModel(new ModelSettings(new[] { 16, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
            seed: 3, windowSize: Window, timeProperty: "Time"));

        // A first training on two days in which errors (a sparse count) never counted an event.
        private static AutoencoderModel TrainedWithoutErrors()
        {
            var model = Untrained();
            var (rows, keys) = Series(0, 2 * Day, 1);
            foreach (var row in rows) row[0] = 0;
            model.Train(Schema(), rows, FirstRun, windows: SlidingWindow.Plan(Window, keys, null));
            return model;
        }

        [Fact]
        public void ACountWithoutAnEventInTheFirstTrainingIsWatchedOnceAnIncrementalRunHasSome()
        {
            // Two days without a single error: errors is a sparse count (whole, none below 0, all 0) whose rate is not known.
            using var first = TrainedWithoutErrors();
            Assert.False(first.CountBursts?.Watches ?? false);
            Assert.Equal(0, first.CountBursts?.LimitFor(0) ?? 0);
            // Kept by the model file, as a scheduled job's model or another session's has it.
            string path = temp.File("quiet.aemodel");
            ModelFile.Save(first, path);
            using var model = ModelFile.Load(path);

            // A day with errors, trained on with -Incremental: the rate is known now, and the count is watched.
            var (rows, keys) = Series(5 * Day, Day, 7);
            model.Train(model.Schema!, rows, LaterRun, windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.NotNull(model.CountBursts);
            Assert.True(model.CountBursts!.Watches);
            Assert.NotNull(model.CountBursts.Rates[0]);
            Assert.Null(model.CountBursts.Rates[1]);
            int limit = model.CountBursts.LimitFor(0);
            Assert.InRange(limit, 3, 10);
            var (windows, _) = Later(model, 800, burstAt: 600);
            var bursts = model.ScoreWindows(windows).Where(s => s.CountFeature != null).ToList();
            Assert.NotEmpty(bursts);
            Assert.All(bursts, s => Assert.Equal("errors", s.CountFeature));
            Assert.All(bursts, s => Assert.True(s.IsAnomaly));
            // A later quiet day keeps the rate (as for a count watched from the first run on).
            (rows, keys) = Series(7 * Day, Day, 8);
            foreach (var row in rows) row[0] = 0;
            model.Train(model.Schema!, rows, LaterRun, windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.Equal(limit, model.CountBursts!.LimitFor(0));
        }

        [Fact]
        public void AGroupedModelKeepsItsCountsWithoutEventsToo()
        {
            // Two hosts, a day each (288 windows and more: rates of their own), neither with an error.
            var (a, aKeys) = Series(0, Day, 1, group: "a");
            var (b, bKeys) = Series(0, Day, 2, group: "b");
            foreach (var row in a.Concat(b)) row[0] = 0;
            var settings = new ModelSettings(new[] { 8, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", groupBy: "host");
            using var first = new AutoencoderModel(settings);
            first.Train(Schema(), a.Concat(b).ToList(), FirstRun, windows: SlidingWindow.Plan(Window, aKeys.Concat(bKeys).ToList(), null));
            Assert.Equal(2, first.CountBursts!.Groups.Count);
            string path = temp.File("quiet-groups.aemodel");
            ModelFile.Save(first, path);
            using var model = ModelFile.Load(path);
            Assert.True(model.CountBursts!.Pending[0]);
            // Host a's errors, trained on with -Incremental: watched, host a by its own rate, host b by all windows'.
            var (rows, keys) = Series(5 * Day, Day, 7, group: "a");
            model.Train(model.Schema!, rows, LaterRun, windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.NotNull(model.CountBursts!.Rates[0]);
            Assert.Equal(model.CountBursts.LimitFor(0), model.CountBursts.LimitFor(0, "b"));
            ModelFile.Save(model, path);
            using var again = ModelFile.Load(path);
            Assert.Equal(model.CountBursts.LimitFor(0, "a"), again.CountBursts!.LimitFor(0, "a"));
        }

        [Fact]
        public void AColumnThatWasNoCountInTrainingNeverBecomesOne()
        {
            // First run: errors without an event (a count, rate unknown); level in halves (no count: not whole).
            using var model = Untrained();
            var (rows, keys) = WithLevel(0, 2 * Day, 1, (i, random) => random.NextDouble() < 0.1 ? 0.5 : 0, quiet: true);
            model.Train(SchemaWithLevel(), rows, FirstRun, windows: SlidingWindow.Plan(Window, keys, null));
            Assert.False(model.CountBursts?.Watches ?? false);
            // An incremental run in which both are sparse counts with events: errors is watched, level is not (it was no
            // count in rows the model learnt from, and a rate from these rows alone would judge those).
            (rows, keys) = WithLevel(5 * Day, Day, 7, (i, random) => random.NextDouble() < 0.03 ? 1 : 0);
            model.Train(model.Schema!, rows, LaterRun, windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.NotNull(model.CountBursts);
            Assert.NotNull(model.CountBursts!.Rates[0]);
            Assert.Null(model.CountBursts.Rates[2]);
            Assert.Equal(0, model.CountBursts.LimitFor(2));

            // A model whose first run had no sparse count at all gets none from incremental runs either.
            using var noCount = Untrained();
            (rows, keys) = WithLevel(0, 2 * Day, 1, (i, random) => random.NextDouble() < 0.1 ? 0.5 : 0);
            foreach (var row in rows) row[0] += 0.25;
            noCount.Train(SchemaWithLevel(), rows, FirstRun, windows: SlidingWindow.Plan(Window, keys, null));
            Assert.Null(noCount.CountBursts);
            (rows, keys) = WithLevel(5 * Day, Day, 7, (i, random) => random.NextDouble() < 0.03 ? 1 : 0);
            noCount.Train(noCount.Schema!, rows, LaterRun, windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.False(noCount.CountBursts?.Watches ?? false);
        }

        [Fact]
        public void AFileWrittenBeforeCountsWithoutEventsWereKeptLeavesThemUnwatched()
        {
            // As a file from before: its first training's quiet count was not kept, and an incremental run with events
            // watches nothing, as it did.
            using var first = TrainedWithoutErrors();
            using var old = ModelFile.Load(Forged(first, "quiet-before.aemodel", metadata =>
            {
                foreach (var feature in ModelFileLayout.FeaturesOf(metadata)) feature!.AsObject().Remove("CountPending");
            }));
            Assert.Null(old.CountBursts);
            var (rows, keys) = Series(5 * Day, Day, 7);
            old.Train(old.Schema!, rows, LaterRun, windows: SlidingWindow.Plan(Window, keys, null), continueTraining: true);
            Assert.Null(old.CountBursts);
        }

        [Fact]
        public void EachGroupWithADaysWindowsIsJudgedByItsOwnRate()
        {
            // Two hosts: one with 0.03 errors a minute, one with 0.3 a minute (still 0 on most rows).
            var (quiet, quietKeys) = Series(0, 2 * Day, 1, group: "quiet");
            var (busy, busyKeys) = Series(0, 2 * Day, 2, group: "busy");
            var random = new Random(3);
            foreach (var row in busy) row[0] = Poisson(random, 0.3);
            var rows = quiet.Concat(busy).ToList();
            var keys = quietKeys.Concat(busyKeys).ToList();
            var plan = SlidingWindow.Plan(Window, keys, null);
            var rule = CountBursts.Learn(Schema(), rows, plan.Windows, Window, null, plan.WindowGroups, plan.UsualInterval, plan.GroupIntervals)!;
            Assert.Equal(2, rule.Groups.Count);
            Assert.True(rule.LimitFor(0, "busy") > rule.LimitFor(0, "quiet"));
            // A group training never saw is judged by all windows pooled: at least as wide as the busiest.
            Assert.True(rule.LimitFor(0, "new") >= rule.LimitFor(0, "busy"));
            // The file keeps the groups' rates.
            var settings = new ModelSettings(new[] { 8, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", groupBy: "host");
            using var model = new AutoencoderModel(settings);
            model.Train(Schema(), rows, new TrainingOptions { Epochs = 1, BatchSize = 64 }, windows: plan);
            string path = temp.File("groups.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);
            Assert.Equal(model.CountBursts!.LimitFor(0, "busy"), loaded.CountBursts!.LimitFor(0, "busy"));
            Assert.Equal(model.CountBursts.LimitFor(0, "quiet"), loaded.CountBursts.LimitFor(0, "quiet"));
            Assert.Equal(rule.LimitFor(0, "busy"), loaded.CountBursts.LimitFor(0, "busy"));
            // The file keeps each group's limits too; a group's forged limit is the one the loaded rule takes.
            string forgedPath = Forged(model, "groups-forged.aemodel", metadata =>
            {
                foreach (var group in metadata["CountGroups"]!.AsArray())
                    if ((string?)group!["Group"] == "busy") group["Limits"]![0] = 4321;
            });
            using var forged = ModelFile.Load(forgedPath);
            Assert.Equal(4321, forged.CountBursts!.LimitFor(0, "busy"));
            Assert.Equal(model.CountBursts.LimitFor(0, "quiet"), forged.CountBursts.LimitFor(0, "quiet"));
            // Without the groups' limits, a file that keeps the features' is corrupt.
            string partial = Forged(model, "groups-partial.aemodel", metadata =>
            {
                foreach (var group in metadata["CountGroups"]!.AsArray()) group!.AsObject().Remove("Limits");
            });
            Assert.Throws<ModelFileException>(() => ModelFile.Load(partial));
            using var computed = ModelFile.Load(Forged(model, "groups-before.aemodel", RemoveLimits));
            Assert.Equal(model.CountBursts.LimitFor(0, "busy"), computed.CountBursts!.LimitFor(0, "busy"));
        }
    }
}
