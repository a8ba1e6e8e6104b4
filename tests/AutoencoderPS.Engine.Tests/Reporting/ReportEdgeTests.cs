using System;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine;
using Xunit;
using AutoencoderPS.Engine.Reporting;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Issue 15, item 14: time stamps at the end of DateTime's range draw a chart instead of crashing.</summary>
    public sealed class ReportEdgeTests
    {
        [Theory]
        [InlineData("9999-12-31T23:59:59")]
        [InlineData("9999-12-31T00:00:00")]
        [InlineData("9999-06-15T00:00:00")]
        public void TimeStampsNearTheEndOfTimeAreDrawn(string last)
        {
            var end = DateTime.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            var report = new AnomalyReport(new ReportModelSummary { Layers = "3-2-3", Features = new[] { "cpu" }, Threshold = 1 }, timeAxis: true);
            report.Add(new ReportRow(1, 0.1, false, new DateTime(2026, 1, 5)));
            report.Add(new ReportRow(2, 2.0, true, end));
            using var writer = new StringWriter();
            report.WriteTo(writer);
            Assert.Contains("<svg", writer.ToString());

            var ticks = ScoreChart.TimeTicks(new DateTime(9999, 1, 1).Ticks, end.Ticks).ToList();
            Assert.NotEmpty(ticks);
            Assert.All(ticks, t => Assert.True(t.X <= end.Ticks));
        }

        [Fact]
        public void AWindowModelsTrainingCountsWindowsAndTheSummaryNestsNoBrackets()
        {
            var summary = new ReportModelSummary { Layers = "24-4-24", Features = new[] { "cpu" }, Threshold = 1, TrainingRows = 554, Epochs = 5, WindowSize = 8 };
            var report = new AnomalyReport(summary, timeAxis: false);
            report.Add(new ReportRow(1, null, false));
            report.Add(new ReportRow(2, 0.5, false));
            report.RejectedRows = 1;
            using var writer = new StringWriter();
            report.WriteTo(writer);
            string html = writer.ToString();
            Assert.Contains("554 windows of 8 rows", html);
            string lead = System.Text.RegularExpressions.Regex.Match(html, "<p class=\"lead\" id=\"summary\">(.*?)</p>").Groups[1].Value;
            int depth = 0, deepest = 0;
            foreach (char c in lead) { if (c == '(') deepest = Math.Max(deepest, ++depth); else if (c == ')') depth--; }
            Assert.Equal(1, deepest);
        }
    }
}
