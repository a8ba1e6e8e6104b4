using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Scoring;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class AnomalyLikelihoodTests
    {
        private static readonly DateTime T0 = new DateTime(2026, 3, 2, 0, 0, 0);

        // Reconstruction-error-like noise: log-normal around a level, seeded.
        private static IEnumerable<double> Errors(Random random, int count, double level, double spread = 0.3) =>
            Enumerable.Range(0, count).Select(_ => level * Math.Exp(spread * Gaussian(random))).ToList();

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        [Fact]
        public void ErfcMatchesKnownValues()
        {
            Assert.Equal(1.0, AnomalyLikelihood.Erfc(0), 6);
            Assert.Equal(0.157299207, AnomalyLikelihood.Erfc(1), 6);
            Assert.Equal(1.842700793, AnomalyLikelihood.Erfc(-1), 6);
            Assert.Equal(3.1671e-5, AnomalyLikelihood.UpperTail(4.0), 8);
            Assert.Equal(0.5, AnomalyLikelihood.UpperTail(0), 6);
        }

        [Fact]
        public void AGroupHasNoLikelihoodUntilItsLearningPeriodIsOver()
        {
            var likelihood = new AnomalyLikelihood(historyRows: 1000, shortRows: 5, learningRows: 50);
            var values = Errors(new Random(1), 60, 0.01).Select(e => likelihood.Next("a", e)).ToList();
            Assert.All(values.Take(50), v => Assert.Null(v));
            Assert.All(values.Skip(50), v => Assert.InRange(v!.Value, 0.0, 1.0));
        }

        [Fact]
        public void WithAPriorALearningGroupIsMeasuredAgainstItAndItsOwnHistoryDecidesAfterwards()
        {
            var random = new Random(11);
            var prior = Errors(random, 2000, 0.01).ToList();
            var likelihood = new AnomalyLikelihood(historyRows: 1000, shortRows: 3, learningRows: 50, prior: prior);
            var normal = Errors(random, 20, 0.01).Select(e => likelihood.Next("a", e)).ToList();
            // Every row has a likelihood from the first one; ordinary errors are not unlikely.
            Assert.All(normal, v => Assert.InRange(v!.Value, 0.0, AnomalyLikelihood.DefaultThreshold - 1e-9));
            // A spike in the learning period is unlikely against the training errors, and a new high.
            double? spike = null; bool newHigh = false;
            for (int i = 0; i < 3; i++) spike = likelihood.Next("a", 0.5, out newHigh);
            Assert.True(spike >= AnomalyLikelihood.DefaultThreshold && newHigh, $"spike likelihood {spike}");
            // A group whose every row is far above the training errors: unlikely while it learns, then its own normal.
            var broken = Errors(random, 120, 0.5).Select(e => likelihood.Next("b", e)!.Value).ToList();
            Assert.All(broken.Take(49), p => Assert.True(p >= AnomalyLikelihood.DefaultThreshold));
            Assert.True(broken.Skip(60).Count(p => p >= AnomalyLikelihood.DefaultThreshold) <= 3, "after learning, the group's own history decides");
        }

        [Fact]
        public void UntilAGroupHasAHorizonOfItsOwnAnErrorTrainingHeldAsNormalIsNotANewHigh()
        {
            // A nightly batch the model was trained on: its errors are the top of the training errors (about 0.05 here).
            // On a group's first scored day the new-high rule had no earlier rows to compare with, so the batch was news.
            var random = new Random(21);
            var prior = Errors(random, 2000, 0.01).Concat(Enumerable.Repeat(0.05, 40)).OrderBy(e => e).ToList();
            AnomalyLikelihood Make(double? high) => new AnomalyLikelihood(historyRows: 2000, shortRows: 3, learningRows: 288, recentRows: 300,
                prior: prior, priorHigh: high);
            bool FirstBatchIsNews(AnomalyLikelihood likelihood, string group)
            {
                foreach (double e in Errors(random, 100, 0.01)) likelihood.Next(group, e);
                bool news = false;
                for (int i = 0; i < 6; i++) { likelihood.Next(group, 0.05, out bool high); news |= high; }
                return news;
            }
            Assert.True(FirstBatchIsNews(Make(null), "a"));
            var standing = Make(0.05);
            Assert.False(FirstBatchIsNews(standing, "a"));
            // An error above every normal training row is news from the first row.
            double? p = standing.Next("b", 0.5, out bool newHigh);
            Assert.True(newHigh && p >= AnomalyLikelihood.DefaultThreshold);
            // Once the group has a horizon of its own rows, its own rows alone decide: the batch, higher than any of them, is news.
            var own = Make(0.05);
            foreach (double e in Errors(random, 400, 0.01)) own.Next("c", e);
            own.Next("c", 0.05, out bool later);
            Assert.True(later);
        }

        [Fact]
        public void TheTrainingHighIsThatOfTheRowsRobustTrainingKeptAsNormal()
        {
            // Robust training trims a share of suspected outliers (a baseline's own incident): their errors are no standard
            // for "not news". The training errors here are 0.01..1.00 and the trimmed share 5 %: the high is 0.95.
            var errors = Enumerable.Range(1, 100).Select(i => i / 100.0).ToList();
            Assert.Equal(0.95, SeriesMemory.NormalTrainingHigh(errors, 0.05)!.Value, 12);
            Assert.Equal(1.00, SeriesMemory.NormalTrainingHigh(errors, 0)!.Value, 12);
            Assert.Null(SeriesMemory.NormalTrainingHigh(Array.Empty<double>(), 0));
        }

        [Fact]
        public void APriorSurvivesSaveAndLoadForGroupsNotSeenYet()
        {
            var prior = Errors(new Random(12), 500, 0.01).ToList();
            var settings = new AnomalyLikelihood(historyRows: 1000, shortRows: 3, learningRows: 50, prior: prior);
            settings.Next("a", 0.01);
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new System.IO.BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) settings.Save(writer);
            buffer.Position = 0;
            using var reader = new System.IO.BinaryReader(buffer);
            var loaded = AnomalyLikelihood.Load(reader, settings)!;
            Assert.Same(prior, loaded.Prior);
            Assert.NotNull(loaded.Next("new", 0.01));
        }

        [Fact]
        public void ASpikeOnAQuietSeriesIsUnlikelyAndNoiseIsNot()
        {
            var likelihood = new AnomalyLikelihood(historyRows: 2000, shortRows: 5, learningRows: 100);
            var random = new Random(2);
            var normal = Errors(random, 1000, 0.001).Select(e => likelihood.Next("a", e)!).ToList();
            // Noise alone rarely reaches a likelihood of 0.9999.
            Assert.True(normal.Skip(100).Count(p => p >= 0.9999) <= 2);
            // A spike to 20 times the usual error, small in absolute terms (0.02), is flagged at once.
            var spike = likelihood.Next("a", 0.02);
            Assert.True(spike >= AnomalyLikelihood.DefaultThreshold, $"spike likelihood {spike}");
        }

        [Fact]
        public void ALevelShiftStopsBeingUnlikelyOnceItIsTheNewNormal()
        {
            var likelihood = new AnomalyLikelihood(historyRows: 2000, shortRows: 10, learningRows: 288);
            var random = new Random(3);
            foreach (var e in Errors(random, 1500, 0.01)) likelihood.Next("a", e);
            // The error jumps to 30 times its level and stays there.
            var after = Errors(random, 1500, 0.3).Select(e => likelihood.Next("a", e)!.Value).ToList();
            Assert.True(after.Take(20).Any(p => p >= AnomalyLikelihood.DefaultThreshold), "the shift is flagged when it happens");
            // The normal level is the median of the history: the shift is normal once it is half of the 2,000 rows.
            int lastFlag = after.FindLastIndex(p => p >= AnomalyLikelihood.DefaultThreshold);
            Assert.InRange(lastFlag, 0, 1100);
            Assert.True(after.Skip(1100).All(p => p < 0.99), "long after the shift its rows are normal");
        }

        [Fact]
        public void AfterALevelShiftIsTheNewNormalItsRowsAreNotFlaggedAndAnIncidentInsideItAlerts()
        {
            // The defaults, as Test-Anomaly uses them: 3,000 quiet rows, then the error jumps to 30 times its level and
            // stays there for 5,000 rows (the shift is most of the 8,640-row history by then); at the end an incident
            // of 5 times the new level for 6 rows.
            var likelihood = new AnomalyLikelihood();
            var tracker = new AlertTracker();
            var random = new Random(7);
            const int shiftAt = 3000, spikeAt = 7800;
            var errors = Errors(random, shiftAt, 0.01).Concat(Errors(random, 5000, 0.3)).ToList();
            for (int i = spikeAt; i < spikeAt + 6; i++) errors[i] = 1.5;
            var anomalous = new List<int>();
            var alerts = new List<int>();
            for (int i = 0; i < errors.Count; i++)
            {
                var p = likelihood.Next("g", errors[i], out bool high);
                bool isAnomaly = p >= AnomalyLikelihood.DefaultThreshold && high;
                if (isAnomaly) anomalous.Add(i);
                if (tracker.Next("g", null, isAnomaly)) alerts.Add(i);
            }
            string seen = $"alerts: {string.Join(", ", alerts)}; anomalous rows after the shift: {string.Join(", ", anomalous.Where(i => i >= shiftAt))}";
            // The shift raises an alert when it happens.
            Assert.True(alerts.Any(i => i >= shiftAt && i < shiftAt + 10), seen);
            // Once the shifted level is most of the history (half of 8,640 rows after the shift), its rows are normal.
            Assert.False(anomalous.Any(i => i >= shiftAt + AnomalyLikelihood.DefaultHistoryRows / 2 + 100 && i < spikeAt), seen);
            // The incident inside the shifted stretch raises an alert of its own, at its start: the spread of the
            // history is that of the shifted level, not of the two levels mixed.
            Assert.True(alerts.Any(i => i >= spikeAt && i < spikeAt + 3), seen);
        }

        [Theory]
        [InlineData(1, true)]   // the second incident is in another feature: measured against the ordinary rows
        [InlineData(0, false)]  // in the same feature: the first one's rows count, as without kinds
        public void AnIncidentInOneFeatureDoesNotVouchForALaterOneInAnother(int secondKind, bool flagged)
        {
            // 600 quiet rows (what drives their error alternates between features 0 and 1), a 30-row incident in feature
            // 0 far above them, 200 quiet rows, then a smaller incident (still 20 times the quiet level). The first
            // incident's rows are 4 % of the history and lie within the last 288 rows.
            var likelihood = new AnomalyLikelihood(historyRows: 8640, shortRows: 3, learningRows: 50);
            var random = new Random(31);
            int k = 0;
            foreach (var e in Errors(random, 600, 0.01)) likelihood.Next("g", e, out _, k++ % 2);
            foreach (var e in Errors(random, 30, 1.0)) likelihood.Next("g", e, out _, 0);
            foreach (var e in Errors(random, 200, 0.01)) likelihood.Next("g", e, out _, k++ % 2);
            double? p = null; bool high = false, anyAnomaly = false;
            foreach (var e in Errors(random, 10, 0.2))
            {
                p = likelihood.Next("g", e, out high, secondKind);
                anyAnomaly |= p >= AnomalyLikelihood.DefaultThreshold && high;
            }
            Assert.Equal(flagged, anyAnomaly);
            if (flagged) Assert.True(p >= AnomalyLikelihood.DefaultThreshold, $"likelihood {p}");
            else Assert.True(p < AnomalyLikelihood.DefaultThreshold, $"likelihood {p}");
        }

        [Fact]
        public void KindsSurviveSaveAndLoad()
        {
            // Saved right after an incident in feature 0: the loaded history judges a later one in feature 1 as one
            // that was never saved does.
            var random = new Random(32);
            var errors = Errors(random, 400, 0.01).Select((e, i) => (e, i % 2)).Concat(Errors(random, 30, 1.0).Select(e => (e, 0)))
                .Concat(Errors(random, 100, 0.01).Select((e, i) => (e, i % 2))).Concat(Errors(random, 10, 0.2).Select(e => (e, 1))).ToList();
            var whole = new AnomalyLikelihood(historyRows: 1000, shortRows: 3, learningRows: 50);
            var first = new AnomalyLikelihood(historyRows: 1000, shortRows: 3, learningRows: 50);
            var expected = errors.Select(x => whole.Next("g", x.e, out bool high, x.Item2) + (high ? 10 : 0)).ToList();
            foreach (var x in errors.Take(431)) first.Next("g", x.e, out _, x.Item2);
            using var buffer = new System.IO.MemoryStream();
            using (var writer = new System.IO.BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) first.Save(writer);
            buffer.Position = 0;
            using var reader = new System.IO.BinaryReader(buffer);
            var loaded = AnomalyLikelihood.Load(reader, first)!;
            Assert.Equal(buffer.Length, buffer.Position);
            Assert.Equal(expected.Skip(431), errors.Skip(431).Select(x => loaded.Next("g", x.e, out bool high, x.Item2) + (high ? 10 : 0)));
        }

        [Fact]
        public void ASpikeThatRecursEveryDayIsNotANewHighAfterTheFirstDay()
        {
            var likelihood = new AnomalyLikelihood(historyRows: 8640, shortRows: 1, learningRows: 100, recentRows: 288);
            var random = new Random(6);
            var highs = new List<int>();
            var errors = Errors(random, 288 * 4, 0.01).ToList();
            for (int day = 1; day < 4; day++) errors[day * 288 + 200] = 0.5;   // the same spike at the same time every day from day 1
            for (int i = 0; i < errors.Count; i++)
            {
                var p = likelihood.Next("a", errors[i], out bool high);
                if (p >= 0.99 && high) highs.Add(i);
            }
            // Day 1's spike is new; days 2 and 3 repeat it (the same size within the last 288 rows).
            Assert.Contains(288 + 200, highs);
            Assert.DoesNotContain(2 * 288 + 200, highs);
            Assert.DoesNotContain(3 * 288 + 200, highs);
        }

        // Runs errors through the product's verdicts (defaults: likelihood, threshold 0.99, cool-down 48) and returns
        // the anomalous rows and the alerts.
        private static (List<int> Anomalous, List<int> Alerts) Verdicts(IReadOnlyList<double> errors, bool empiricalTail)
        {
            var verdicts = new RowVerdicts(true, likelihood: new AnomalyLikelihood(empiricalTail: empiricalTail));
            var anomalous = new List<int>();
            var alerts = new List<int>();
            for (int i = 0; i < errors.Count; i++)
            {
                if (verdicts.Next("g", null, errors[i], false, out _, out bool isAnomaly)) alerts.Add(i);
                if (isAnomaly) anomalous.Add(i);
            }
            return (anomalous, alerts);
        }

        [Fact]
        public void ADailyBurstOnANearConstantSeriesAlertsOnlyWhenItIsAmongTheHighestOfTheHistory()
        {
            // A series whose error is the same on most rows (its MAD is 0, so the spread floor decides the Gaussian
            // tail), with a daily job: the error rises for 24 rows (a window's length) at about the same time every day,
            // to a height that varies from day to day. 30 days of 5-minute rows; on day 25 a real incident, 10 times
            // the highest burst.
            var random = new Random(11);
            var errors = Enumerable.Repeat(0.001, 288 * 30).ToList();
            for (int day = 0; day < 30; day++)
            {
                int start = day * 288 + 40 + random.Next(-3, 4);
                double height = 0.5 * Math.Exp(0.3 * Gaussian(random));
                for (int i = start; i < start + 24; i++) errors[i] = height * Math.Exp(0.05 * Gaussian(random));
            }
            const int incident = 25 * 288 + 150;
            for (int i = incident; i < incident + 6; i++) errors[i] = 30;
            var withTail = Verdicts(errors, empiricalTail: true);
            var gaussianOnly = Verdicts(errors, empiricalTail: false);
            string seen = $"alerts: {string.Join(", ", withTail.Alerts)}; Gaussian tail only: {string.Join(", ", gaussianOnly.Alerts)}";
            // The incident alerts within its first rows (once the 3-row average is above the day's burst), with or
            // without the empirical tail, and once.
            Assert.True(withTail.Alerts.Count(i => i >= incident && i < incident + 48) == 1 && withTail.Alerts.Any(i => i >= incident && i < incident + 3), seen);
            Assert.True(gaussianOnly.Alerts.Any(i => i >= incident && i < incident + 3), seen);
            // A day's burst that is higher than yesterday's is a new high, and the Gaussian tail (against the floor)
            // calls it certain: it alerts on about half of the days. With the empirical tail it alerts only when it is
            // in the top 1 % of the history's rows, i.e. among the few highest bursts so far: less than half as often.
            int others = withTail.Alerts.Count(i => i >= 5 * 288 && (i < incident || i >= incident + 3));
            int othersGaussian = gaussianOnly.Alerts.Count(i => i >= 5 * 288 && (i < incident || i >= incident + 3));
            Assert.True(othersGaussian >= 10 && 2 * others <= othersGaussian, seen);
            // The empirical tail only ever lowers the likelihood: it removes anomalous rows, never adds one.
            Assert.True(withTail.Anomalous.All(gaussianOnly.Anomalous.Contains), seen);
        }

        [Fact]
        public void TheLikelihoodIsAtMostTheShareOfTheHistoryBelowTheAverage()
        {
            // 100 rows of history: 95 nearly the same (log error 0 to 0.0094; the MAD is tiny, the spread floor
            // decides) and 5 at log error 10, every 20th row. A short-run average of 10 is 200 floors above the median:
            // the Gaussian tail calls it certain, but the history reached it on 5 of its 100 rows.
            var likelihood = new AnomalyLikelihood(historyRows: 100, shortRows: 1, learningRows: 100);
            var gaussian = new AnomalyLikelihood(historyRows: 100, shortRows: 1, learningRows: 100, empiricalTail: false);
            for (int i = 0; i < 100; i++)
            {
                double e = i % 20 == 19 ? Math.Exp(10) : Math.Exp(i * 0.0001);
                likelihood.Next("g", e);
                gaussian.Next("g", e);
            }
            double p = likelihood.Next("g", Math.Exp(10))!.Value, q = gaussian.Next("g", Math.Exp(10))!.Value;
            Assert.True(q > 0.999999 && Math.Abs(p - 0.95) < 1e-12, $"Gaussian {q}, with the empirical tail {p}");
            // Above every row of the history, both agree.
            Assert.Equal(gaussian.Next("g", Math.Exp(11)), likelihood.Next("g", Math.Exp(11)));
        }

        [Fact]
        public void ANewHighIsAboveEveryAverageOfTheRecentRowsOnly()
        {
            var likelihood = new AnomalyLikelihood(historyRows: 100, shortRows: 1, learningRows: 2, recentRows: 3);
            var values = new[] { 5.0, 1, 2, 3, 4, 4, 1, 1, 1, 2 };
            var highs = values.Select(v => { likelihood.Next("a", v, out bool h); return h; }).ToArray();
            // 5 leaves the last 3 rows at index 4; equal is not above; 2 after 4, 1, 1 is not, and 4 then drops out.
            Assert.Equal(new[] { true, false, false, false, true, false, false, false, false, true }, highs);
        }

        [Fact]
        public void GroupsHaveTheirOwnHistory()
        {
            var likelihood = new AnomalyLikelihood(historyRows: 1000, shortRows: 3, learningRows: 50);
            var random = new Random(4);
            foreach (var (a, b) in Errors(random, 300, 0.001).Zip(Errors(random, 300, 1.0)))
            {
                likelihood.Next("quiet", a);
                likelihood.Next("loud", b);
            }
            // The same error is ordinary for the loud group and a spike for the quiet one.
            Assert.True(likelihood.Next("loud", 0.05) < 0.5);
            Assert.True(likelihood.Next("quiet", 0.05) >= AnomalyLikelihood.DefaultThreshold);
            Assert.Equal(2, likelihood.GroupCount);
        }

        [Fact]
        public void ANonFiniteErrorIsCertainAndLeavesTheHistoryAlone()
        {
            var a = new AnomalyLikelihood(historyRows: 500, shortRows: 3, learningRows: 20);
            var b = new AnomalyLikelihood(historyRows: 500, shortRows: 3, learningRows: 20);
            var errors = Errors(new Random(5), 100, 0.01).ToList();
            foreach (var e in errors) { a.Next("g", e); b.Next("g", e); }
            Assert.Equal(1.0, a.Next("g", double.NaN));
            Assert.Equal(b.Next("g", 0.012), a.Next("g", 0.012));
        }

        [Fact]
        public void AnAlertIsTheOnsetOfAStretchAndStretchesWithinTheCooldownAreOne()
        {
            var tracker = new AlertTracker(new AlertCooldown(3));
            //                 0      1     2     3      4      5      6      7      8     9     10     11    12
            var flags = new[] { false, true, true, false, false, true, false, false, false, false, true, true, false };
            var alerts = flags.Select(f => tracker.Next("g", null, f)).ToArray();
            // Row 1 starts a stretch; row 5 follows 2 quiet rows (< 3): same incident; row 10 follows 4 quiet rows: new alert.
            Assert.Equal(new[] { 1, 10 }, alerts.Select((a, i) => (a, i)).Where(x => x.a).Select(x => x.i));
            Assert.Equal(2, tracker.Alerts);
        }

        [Fact]
        public void ACooldownCanBeATimeSpanAndGroupsHaveTheirOwn()
        {
            var tracker = new AlertTracker(AlertCooldown.Parse("30m"));
            Assert.True(tracker.Next("a", T0, true));
            Assert.True(tracker.Next("b", T0.AddMinutes(1), true));
            Assert.False(tracker.Next("a", T0.AddMinutes(20), true));   // 20 minutes after a's last anomaly
            Assert.False(tracker.Next("a", T0.AddMinutes(45), true));   // 25 minutes after the one at 20
            Assert.True(tracker.Next("a", T0.AddMinutes(90), true));    // 45 minutes later
            Assert.False(tracker.Next("a", T0.AddMinutes(91), false));
        }

        [Fact]
        public void ZeroCooldownMakesEveryAnomalousRowAnAlert()
        {
            var tracker = new AlertTracker(new AlertCooldown(0));
            Assert.Equal(new[] { true, true, false, true }, new[] { true, true, false, true }.Select(f => tracker.Next("g", null, f)));
        }

        [Theory]
        [InlineData("48", 48, null)]
        [InlineData(" 0 ", 0, null)]
        [InlineData("4h", null, "04:00:00")]
        [InlineData("30m", null, "00:30:00")]
        [InlineData("2d", null, "2.00:00:00")]
        [InlineData("01:15:00", null, "01:15:00")]
        public void CooldownsParseRowsAndTimeSpans(string text, int? rows, string? span)
        {
            var c = AlertCooldown.Parse(text);
            Assert.Equal(rows, c.Rows);
            Assert.Equal(span == null ? (TimeSpan?)null : TimeSpan.Parse(span, System.Globalization.CultureInfo.InvariantCulture), c.Span);
        }

        [Theory]
        [InlineData("")]
        [InlineData("-3")]
        [InlineData("soon")]
        [InlineData("-1h")]
        public void ACooldownThatIsNeitherRowsNorATimeSpanIsRefused(string text)
        {
            Assert.Throws<FormatException>(() => AlertCooldown.Parse(text));
        }
    }
}
