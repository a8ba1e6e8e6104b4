using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Samples;

namespace AutoencoderPS.Engine.Tests
{
    public class HostMetricsSampleTests
    {
        private static readonly DateTime Start = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

        private static List<HostMetricsRow> Week(int seed = 42) => HostMetricsSample.Generate(7, seed, Start).ToList();

        [Fact]
        public void OneRowPerMinuteFromTheStart()
        {
            var rows = HostMetricsSample.Generate(2, 1, Start).ToList();

            Assert.Equal(2 * HostMetricsSample.MinutesPerDay, rows.Count);
            Assert.Equal(Start, rows[0].Timestamp);
            Assert.All(rows.Select((r, i) => (r, i)), x => Assert.Equal(Start.AddMinutes(x.i), x.r.Timestamp));
        }

        [Fact]
        public void SameSeedGivesTheSameSeriesAndAnotherSeedDoesNot()
        {
            static string Key(HostMetricsRow r) => $"{r.CpuPct:R}|{r.MemoryPct:R}|{r.DiskIops:R}|{r.NetworkMbps:R}|{r.ErrorCount}|{r.Incident}";

            var a = HostMetricsSample.Generate(1, 5, Start).Select(Key).ToList();
            var b = HostMetricsSample.Generate(1, 5, Start).Select(Key).ToList();
            var c = HostMetricsSample.Generate(1, 6, Start).Select(Key).ToList();

            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(367)]
        public void DaysOutOfRangeThrow(int days)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => HostMetricsSample.Generate(days, 1, Start).ToList());
        }

        [Fact]
        public void EveryIncidentMinuteIsLabelledAndTheFirstTwoDaysAreClean()
        {
            var rows = Week();

            foreach (var incident in HostMetricsSample.Incidents)
            {
                var labelled = rows.Select((r, i) => (r, i)).Where(x => x.r.Incident == incident.Name).Select(x => x.i).ToList();
                int first = incident.Day * HostMetricsSample.MinutesPerDay + incident.StartMinute;
                Assert.Equal(Enumerable.Range(first, incident.Minutes), labelled);
                Assert.True(incident.Day >= 2, $"{incident.Name} lies in the training days");
            }
            Assert.All(rows.Take(2 * HostMetricsSample.MinutesPerDay), r => Assert.Equal("", r.Incident));
            Assert.Equal(rows.Count(r => r.Incident != ""), HostMetricsSample.Incidents.Sum(i => i.Minutes));
        }

        [Fact]
        public void ValuesStayInTheirPhysicalRanges()
        {
            var rows = Week();

            Assert.All(rows, r =>
            {
                Assert.InRange(r.CpuPct, 0, 100);
                Assert.InRange(r.MemoryPct, 0, 100);
                Assert.True(r.DiskIops >= 0);
                Assert.True(r.NetworkMbps >= 0);
                Assert.True(r.ErrorCount >= 0);
            });
        }

        [Fact]
        public void NormalMetricsAreCorrelatedAndIncidentsDepartFromThem()
        {
            var rows = Week();
            var normal = rows.Where(r => r.Incident == "").ToList();

            Assert.True(Correlation(normal.Select(r => r.CpuPct), normal.Select(r => r.NetworkMbps)) > 0.8);
            Assert.True(Correlation(normal.Select(r => r.CpuPct), normal.Select(r => r.DiskIops)) > 0.8);
            Assert.All(rows.Where(r => r.Incident == "cpu-spike"), r => Assert.True(r.CpuPct > 90));
            Assert.All(rows.Where(r => r.Incident == "error-burst"), r => Assert.InRange(r.ErrorCount, 40, 60));
            Assert.All(rows.Where(r => r.Incident == "network-outage"), r => Assert.True(r.NetworkMbps < 2));
            Assert.True(normal.Max(r => r.ErrorCount) < 40);
        }

        private static double Correlation(IEnumerable<double> xs, IEnumerable<double> ys)
        {
            var x = xs.ToArray();
            var y = ys.ToArray();
            double mx = x.Average(), my = y.Average();
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sxy += (x[i] - mx) * (y[i] - my);
                sxx += (x[i] - mx) * (x[i] - mx);
                syy += (y[i] - my) * (y[i] - my);
            }
            return sxy / Math.Sqrt(sxx * syy);
        }
    }
}
