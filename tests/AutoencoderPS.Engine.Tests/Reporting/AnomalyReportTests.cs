using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Reporting;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The HTML report writer: escaping, counts, markers, downsampling, self-containment, atomic writes.</summary>
    public sealed class AnomalyReportTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private static ReportModelSummary Summary(double threshold = 1.0, params string[] features) => new ReportModelSummary
        {
            Features = features.Length > 0 ? features : new[] { "cpu", "mem" },
            Layers = "2-4-2",
            ParameterCount = 22,
            Activation = "Relu, output Sigmoid",
            Loss = "Mse",
            Scaling = "MinMax",
            Threshold = threshold,
            ThresholdRule = "99th percentile of training errors",
            ThresholdSource = "99th percentile of training errors; 100 training rows",
            TrainingRows = 100,
            Epochs = 5,
            TrainedUtc = new DateTime(2026, 1, 1, 12, 0, 0),
            Seed = 1,
            ModuleVersion = "9.9.9",
            TorchSharpVersion = "0.107.0",
            LibTorchVersion = "2.10.0",
        };

        private static FeatureContribution[] Why(double observed) => new[]
        {
            new FeatureContribution("cpu", 0.8, observed, 40.0),
            new FeatureContribution("mem", 0.2, 50.0, 49.5),
        };

        private static string Html(AnomalyReport report)
        {
            var writer = new StringWriter();
            report.WriteTo(writer, new DateTime(2026, 2, 1));
            return writer.ToString();
        }

        private static string Svg(string html) =>
            Regex.Match(html, "<svg class=\"chart\".*?</svg>", RegexOptions.Singleline).Value;

        private static string SummaryLine(string html) =>
            System.Net.WebUtility.HtmlDecode(Regex.Match(html, "<p class=\"lead\" id=\"summary\">(.*?)</p>").Groups[1].Value);

        /// <summary>Rows 1..n with noise scores below 1; the rows in <paramref name="anomalous"/> score 3 and are anomalies.</summary>
        private static AnomalyReport Build(int n, ISet<long> anomalous, bool timeAxis = false, int maxTableRows = 500, int seed = 1)
        {
            var random = new Random(seed);
            var report = new AnomalyReport(Summary(), timeAxis, "Test report", maxTableRows);
            var start = new DateTime(2026, 1, 5);
            for (long row = 1; row <= n; row++)
            {
                bool bad = anomalous.Contains(row);
                double score = bad ? 3 + row * 1e-6 : random.NextDouble() * 0.9;
                report.Add(new ReportRow(row, score, bad, timeAxis ? start.AddMinutes(row - 1) : null, bad ? Why(90 + row) : null));
            }
            return report;
        }

        [Fact]
        public void EscapesEveryUserControlledString()
        {
            const string Evil = "<script>alert('x')</script> & \"q\"";
            var summary = Summary(1.0, Evil, "mem");
            var report = new AnomalyReport(summary, timeAxis: false, title: "Title " + Evil);
            report.Add(new ReportRow(1, 0.5, false));
            report.Add(new ReportRow(2, 2.0, true, contributions: new[]
            {
                new FeatureContribution(Evil, 0.9, "<b>observed</b>", "a&b"),
            }));
            report.Add(new ReportRow(3, 2.5, true, explanation: "host <img src=x> 97 (expected 50, 90%)"));

            string html = Html(report);

            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b>observed", html);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;", html);
            Assert.Contains("<title>Title &lt;script&gt;", html);
            Assert.Contains("&lt;b&gt;observed&lt;/b&gt;", html);
            Assert.Contains("(expected a&amp;b)", html);
            Assert.Contains("host &lt;img src=x&gt; 97", html);
            // The model's feature list is escaped too.
            Assert.Contains("<dd>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;, mem</dd>", html);
        }

        [Fact]
        public void AValueThatDiffersFromItsExpectationNeverReadsTheSame()
        {
            // A flat line that moved by a thousandth: four digits read "20 (expected 20)".
            var report = new AnomalyReport(Summary(1.0, "value"), timeAxis: false);
            report.Add(new ReportRow(1, 2.0, true, contributions: new[] { new FeatureContribution("value", 1.0, 20.001, 20.0) }));

            string html = Html(report);

            Assert.Contains("<span class=\"observed\">20.001</span> <span class=\"expected\">(expected 20)</span>", html);
        }

        [Fact]
        public void TheSummaryCountsRowsAnomaliesWarmingUpAndRejectedRows()
        {
            var report = new AnomalyReport(Summary(0.5), timeAxis: false);
            for (long row = 1; row <= 3; row++) report.Add(new ReportRow(row, null, false));         // warming up
            for (long row = 4; row <= 1003; row++) report.Add(new ReportRow(row, row % 100 == 0 ? 2.0 : 0.1, row % 100 == 0));
            report.RejectedRows = 2;

            Assert.Equal(1003, report.Rows);
            Assert.Equal(1000, report.ScoredRows);
            Assert.Equal(3, report.WarmingUpRows);
            Assert.Equal(10, report.Anomalies);
            string html = Html(report);
            Assert.Equal("1,005 rows (1,000 scored, 3 warming up with no score yet, 2 rejected as unreadable and left out): " +
                "10 anomalies above the threshold 0.5, rows 1 to 1,003.", SummaryLine(html));
            Assert.Contains("<div class=\"value\">1,005</div><div class=\"note\">1,000 scored</div>", html);
            Assert.Contains("<div class=\"value bad\">10</div><div class=\"note\">1% of scored rows</div>", html);
            // Warming-up rows are not charted: the line has exactly the 1,000 scored points.
            var polyline = Regex.Match(Svg(html), "<polyline class=\"score\"[^>]*points=\"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(1000, polyline.Split(' ').Length);
        }

        [Fact]
        public void EveryAnomalyHasAMarkerEvenWhenTheTableIsCut()
        {
            var anomalous = new HashSet<long> { 5, 17, 400, 401, 402, 9000, 19999 };
            var report = Build(20000, anomalous, maxTableRows: 3);
            string html = Html(report);
            string svg = Svg(html);

            var markers = Regex.Matches(svg, "<circle class=\"anomaly\" cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"5\"><title>row ([0-9,]+): score").ToList();
            Assert.Equal(anomalous.Count, markers.Count);
            Assert.Equal(anomalous.OrderBy(r => r), markers.Select(m => long.Parse(m.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)));
            // Each marker sits at its row's x (rows 1..20000 span the plot's width).
            foreach (var m in markers)
            {
                long row = long.Parse(m.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                double expected = ScoreChart.PlotLeft + (row - 1) / 19999.0 * ScoreChart.PlotWidth;
                Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), expected - 0.1, expected + 0.1);
            }
            // The table keeps the three highest scores (scores grow with the row here), in row order, and says what it left out.
            var tableRows = Regex.Matches(html, "<tr class=\"anomaly\"><td class=\"num\">([0-9,]+)</td>").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(new[] { "402", "9,000", "19,999" }, tableRows);
            Assert.Contains("The 3 anomalous rows with the highest scores, in row order; 4 more anomalous rows are left out (-MaxTableRows 3).", html);
        }

        [Fact]
        public void NoTableRowsLeavesTheTableOutButNotTheMarkers()
        {
            string html = Html(Build(100, new HashSet<long> { 10, 60 }, maxTableRows: 0));
            Assert.Contains("2 anomalous rows; the table is left out (-MaxTableRows 0).", html);
            Assert.DoesNotContain("<table", html);
            Assert.Equal(2, Regex.Matches(Svg(html), "<circle class=\"anomaly\"").Count);
        }

        [Fact]
        public void ATableRowShowsTheTopFeaturesWithObservedAndExpectedValues()
        {
            var report = Build(50, new HashSet<long> { 20 }, timeAxis: true);
            string html = Html(report);
            Assert.Contains("<td class=\"time\">2026-01-05 00:19</td><td class=\"num\">20</td><td class=\"num\">3</td><td class=\"num\">3.0&#215;</td>", html);
            Assert.Contains("<span class=\"feature\">cpu</span> <span class=\"observed\">110</span> <span class=\"expected\">(expected 40)</span>", html);
            Assert.Contains("<span class=\"share\">80%</span>", html);
            Assert.Contains("All 1 anomalous rows, in time order.", html);
        }

        [Fact]
        public void DownsamplingKeepsTheLowestAndHighestPointOfEveryPixelColumn()
        {
            var random = new Random(3);
            var points = new List<ChartPoint>();
            for (long x = 0; x < 100_000; x++)
            {
                double y = random.NextDouble();
                if (x % 7919 == 0) y = 50 + x % 13;      // spikes
                if (x % 6007 == 0) y = -20;             // dips
                points.Add(new ChartPoint(x, y));
            }
            const int Buckets = 500;
            var line = ScoreChart.Downsample(points, 0, 99_999, Buckets);

            Assert.InRange(line.Count, Buckets, 2 * Buckets);
            Assert.Equal(line.Select(p => p.X).OrderBy(x => x), line.Select(p => p.X));
            int Bucket(long x) => Math.Min(Buckets - 1, (int)Math.Floor(x / 99_999.0 * Buckets));
            foreach (var group in points.GroupBy(p => Bucket(p.X)))
            {
                var kept = line.Where(p => Bucket(p.X) == group.Key).ToList();
                Assert.Contains(kept, p => p.Y == group.Max(q => q.Y));
                Assert.Contains(kept, p => p.Y == group.Min(q => q.Y));
            }
            Assert.Contains(line, p => p.Y == points.Max(q => q.Y));
            Assert.Contains(line, p => p.Y == -20);
        }

        [Fact]
        public void FewPointsAreDrawnAsTheyAre()
        {
            var points = Enumerable.Range(0, 100).Select(i => new ChartPoint(i, i % 3)).ToList();
            Assert.Equal(points, ScoreChart.Downsample(points, 0, 99, 500));
        }

        [Fact]
        public void TheChartOfManyRowsDrawsAtMostTwoPointsPerPixelAndKeepsTheSpike()
        {
            var report = new AnomalyReport(Summary(10), timeAxis: false);
            for (long row = 1; row <= 200_000; row++) report.Add(new ReportRow(row, row == 123_456 ? 9.0 : (row % 10) * 0.1, false));
            string svg = Svg(Html(report));
            var coordinates = Regex.Match(svg, "<polyline class=\"score\"[^>]*points=\"([^\"]*)\"").Groups[1].Value.Split(' ');
            Assert.InRange(coordinates.Length, ScoreChart.PlotWidth, 2 * ScoreChart.PlotWidth);
            // The spike is the highest point (smallest y) of the line.
            double topY = coordinates.Select(c => double.Parse(c.Split(',')[1], CultureInfo.InvariantCulture)).Min();
            var yTicks = ScoreChart.NiceTicks(0, 10 * 1.04, 6);
            double spikeY = ScoreChart.PlotBottom - 9.0 / yTicks[^1] * ScoreChart.PlotHeight;
            Assert.InRange(topY, spikeY - 0.1, spikeY + 0.1);
            Assert.Contains("200,000 scores; the line shows the lowest and highest per pixel", svg);
        }

        [Fact]
        public void TheFileLoadsAndRunsNothing()
        {
            string html = Html(Build(3000, new HashSet<long> { 10, 2000 }, timeAxis: true));
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(new Regex(@"\s(src|href)\s*=|url\(|@import|<link|<img|<iframe|<object|\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
            Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">", html);
        }

        [Fact]
        public void TimeTicksAreRoundClockTimesWithTheDate()
        {
            // One day of minutes: ticks every 3 hours from midnight, the date under the first.
            var day = ScoreChart.TimeTicks(new DateTime(2026, 1, 5).Ticks, new DateTime(2026, 1, 5, 23, 59, 0).Ticks).ToList();
            Assert.Equal(new[] { "00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00" }, day.Select(t => t.Line1));
            Assert.Equal("2026-01-05", day[0].Line2);
            Assert.All(day.Skip(1), t => Assert.Equal("", t.Line2));

            // Across midnight: the new date appears under the first tick of the next day.
            var night = ScoreChart.TimeTicks(new DateTime(2026, 1, 5, 22, 10, 0).Ticks, new DateTime(2026, 1, 6, 1, 50, 0).Ticks).ToList();
            Assert.Contains(night, t => t.Line1 == "00:00" && t.Line2 == "2026-01-06");

            // A week: one tick a day, labelled with the date.
            var week = ScoreChart.TimeTicks(new DateTime(2026, 1, 5).Ticks, new DateTime(2026, 1, 11, 23, 59, 0).Ticks).ToList();
            Assert.Equal(Enumerable.Range(5, 7).Select(d => $"2026-01-{d:00}"), week.Select(t => t.Line1));

            // Two years: months.
            var years = ScoreChart.TimeTicks(new DateTime(2025, 1, 15).Ticks, new DateTime(2026, 12, 1).Ticks).ToList();
            Assert.All(years, t => Assert.Matches(@"^\d{4}(-\d{2})?$", t.Line1));
            Assert.InRange(years.Count, 3, 12);
        }

        [Fact]
        public void TheTimeAxisChartHasDateLabelsAndTheSummaryTheTimeRange()
        {
            string html = Html(Build(1440, new HashSet<long> { 100 }, timeAxis: true));
            Assert.Contains("from 2026-01-05 00:00 to 2026-01-05 23:59.", SummaryLine(html));
            string svg = Svg(html);
            Assert.Contains(">2026-01-05</text>", svg);
            Assert.Contains(">12:00</text>", svg);
            Assert.Contains(">Time</text>", svg);
            Assert.Contains("<title>2026-01-05 01:39, row 100: score 3</title>", svg);
        }

        [Fact]
        public void ATimeAxisNeedsATimeOnEveryRow()
        {
            var report = new AnomalyReport(Summary(), timeAxis: true);
            var error = Assert.Throws<ArgumentException>(() => report.Add(new ReportRow(7, 0.1, false)));
            Assert.Contains("Row 7", error.Message);
        }

        [Fact]
        public void AScoreThatIsNotANumberIsMarkedAtTheTopAndNotDrawnInTheLine()
        {
            var report = new AnomalyReport(Summary(1), timeAxis: false);
            report.Add(new ReportRow(1, 0.5, false));
            report.Add(new ReportRow(2, double.NaN, true));
            report.Add(new ReportRow(3, 0.7, false));
            string html = Html(report);
            var polyline = Regex.Match(Svg(html), "points=\"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(2, polyline.Split(' ').Length);
            Assert.Matches($"<circle class=\"anomaly\" cx=\"[0-9.]+\" cy=\"{ScoreChart.PlotTop + 4}\" r=\"5\"><title>row 2: score NaN</title>", html);
        }

        [Fact]
        public void ReportWithoutScoredRowsSaysSo()
        {
            var report = new AnomalyReport(Summary(), timeAxis: false);
            report.Add(new ReportRow(1, null, false));
            string html = Html(report);
            Assert.Contains("No scored rows to chart.", html);
            Assert.Contains("No anomalous rows.", html);
            Assert.DoesNotContain("<svg", html);
        }

        [Fact]
        public void SaveWritesTheFileAndAFailedWriteKeepsThePreviousOne()
        {
            string path = temp.File("report.html");
            var report = Build(500, new HashSet<long> { 250 });
            report.Save(path);
            string first = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", first);
            Assert.EndsWith("</html>\n", first);

            var bigger = Build(5000, new HashSet<long> { 10, 20, 30 });
            var error = Assert.Throws<IOException>(() => bigger.Save(path, FailingStream.Factory(4096)));
            Assert.Equal("No space left on device", error.Message);
            Assert.Equal(first, File.ReadAllText(path));
            Assert.Equal(new[] { "report.html" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        }

        /// <summary>
        /// Rows 1..n of two groups, as a sliding-window model scores them: every row says whether it raised an alert; rows
        /// in <paramref name="anomalous"/> are anomalies, and those in <paramref name="alerts"/> also alerts.
        /// </summary>
        private static AnomalyReport BuildWindowed(int n, ISet<long> anomalous, ISet<long> alerts, int maxTableRows = 500)
        {
            var random = new Random(2);
            var report = new AnomalyReport(Summary(), timeAxis: true, "Windowed", maxTableRows);
            var start = new DateTime(2026, 1, 5);
            for (long row = 1; row <= n; row++)
            {
                bool bad = anomalous.Contains(row);
                double? score = row <= 3 ? null : bad ? 3 + row * 1e-6 : random.NextDouble() * 0.9;
                report.Add(new ReportRow(row, score, bad, start.AddMinutes(row - 1), bad ? Why(90 + row) : null,
                    isAlert: alerts.Contains(row), probability: row <= 20 ? null : bad ? 0.99991 : 0.5, group: row % 2 == 0 ? "web<2>" : "web1",
                    topFeature: bad ? "cpu (t-1)" : "mem"));
            }
            return report;
        }

        [Fact]
        public void RowsWithAlertsGetAnAlertCountMarksAndATableAheadOfTheAnomalies()
        {
            var report = BuildWindowed(200, new HashSet<long> { 50, 51, 52, 120, 121 }, new HashSet<long> { 50, 120 });
            Assert.True(report.HasAlerts);
            Assert.Equal(2, report.Alerts);
            string html = Html(report);

            Assert.Contains("5 anomalies above the threshold 1, 2 alerts, from", SummaryLine(html));
            Assert.Contains("<div class=\"card\" id=\"card-alerts\"><div class=\"label\">Alerts</div><div class=\"value bad\">2</div>", html);
            // On the chart: one triangle (and one dashed line) per alert, in the alert colour, apart from the five anomaly dots.
            string svg = Svg(html);
            Assert.Equal(2, Regex.Matches(svg, "<path class=\"alert\" ").Count);
            Assert.Equal(2, Regex.Matches(Regex.Match(svg, "<g class=\"alert-lines\".*?</g>", RegexOptions.Singleline).Value, "<line ").Count);
            Assert.Equal(5, Regex.Matches(svg, "<circle class=\"anomaly\"").Count);
            Assert.Contains($"fill=\"{ScoreChart.AlertColor}\"", svg);
            Assert.Contains("<title>Alert at 2026-01-05 00:49, row 50: score 3</title>", svg);
            Assert.Contains(">alert (2)</text>", svg);

            // The alerts table: time, row, group, score, probability and top feature of each alert, ahead of the anomalous rows.
            int alertsAt = html.IndexOf("<h2>Alerts</h2>", StringComparison.Ordinal);
            int anomaliesAt = html.IndexOf("<h2>Anomalous rows</h2>", StringComparison.Ordinal);
            Assert.InRange(alertsAt, 0, anomaliesAt);
            Assert.Contains("All 2 alerts, in time order.", html);
            Assert.Contains("<thead><tr><th>Time</th><th>Row</th><th>Group</th><th>Score</th><th>Probability</th><th>Top feature</th></tr></thead>", html);
            var alertRows = Regex.Matches(html, "<tr class=\"alert\">(.*?)</tr>").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(new[]
            {
                "<td class=\"time\">2026-01-05 00:49</td><td class=\"num\">50</td><td class=\"group\">web&lt;2&gt;</td><td class=\"num\">3</td><td class=\"num\">0.99991</td><td><span class=\"feature\">cpu (t-1)</span></td>",
                "<td class=\"time\">2026-01-05 01:59</td><td class=\"num\">120</td><td class=\"group\">web&lt;2&gt;</td><td class=\"num\">3</td><td class=\"num\">0.99991</td><td><span class=\"feature\">cpu (t-1)</span></td>",
            }, alertRows);
            Assert.Equal(5, Regex.Matches(html, "<tr class=\"anomaly\">").Count);
        }

        [Fact]
        public void AnAlertIsOnlyCountedOnAScoredRowAndTheAlertsTableKeepsTheHighestScores()
        {
            // Row 2 has no score (warming up): its alert flag is ignored. The table keeps 1 of the 3 alerts and says so.
            var report = BuildWindowed(100, new HashSet<long> { 2, 10, 40, 70 }, new HashSet<long> { 2, 10, 40, 70 }, maxTableRows: 1);
            Assert.Equal(3, report.Alerts);
            string html = Html(report);
            Assert.Contains("The alert with the highest score, in time order; 2 more alerts are left out (-MaxTableRows 1).", html);
            Assert.Single(Regex.Matches(html, "<tr class=\"alert\"><td class=\"time\">2026-01-05 01:09</td><td class=\"num\">70</td>"));
            Assert.Equal(3, Regex.Matches(Svg(html), "<path class=\"alert\" ").Count);
        }

        [Fact]
        public void RowsThatSayTheyRaisedNoAlertGetACountOfNone()
        {
            var report = BuildWindowed(100, new HashSet<long> { 40 }, new HashSet<long>());
            string html = Html(report);
            Assert.Contains("1 anomaly above the threshold 1, 0 alerts, from", SummaryLine(html));
            Assert.Contains("No alerts: no anomalous stretch began.", html);
            Assert.DoesNotContain("<path class=\"alert\"", html);
            Assert.Contains(">alert (0)</text>", html);
        }

        [Fact]
        public void RowsWithoutAlertsGiveTheReportOfARowModelWithNoMentionOfAlerts()
        {
            // Rows that don't say whether they raised an alert (a row model's): no count, card, mark, legend or table of alerts.
            var report = Build(300, new HashSet<long> { 30, 200 }, timeAxis: true);
            Assert.False(report.HasAlerts);
            string plain = Html(report);
            Assert.DoesNotMatch("(?i)alert", plain);
            Assert.DoesNotContain(ScoreChart.AlertColor, plain);
            Assert.Contains("2 anomalies above the threshold 1, from", SummaryLine(plain));
        }

        [Fact]
        public void NiceTicksAreRoundAndCoverTheRange()
        {
            Assert.Equal(new[] { 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3 }, ScoreChart.NiceTicks(0, 0.27, 6).Select(t => Math.Round(t, 10)));
            Assert.Equal(new[] { 0.0, 2, 4, 6, 8, 10 }, ScoreChart.NiceTicks(0, 10, 6));
        }
    }
}
