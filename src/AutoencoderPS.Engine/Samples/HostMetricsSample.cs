using System;
using System.Collections.Generic;

namespace AutoencoderPS.Engine.Samples
{
    /// <summary>One minute of one host's metrics in the built-in sample data.</summary>
    public sealed class HostMetricsRow
    {
        public DateTime Timestamp { get; init; }
        public double CpuPct { get; init; }
        public double MemoryPct { get; init; }
        public double DiskIops { get; init; }
        public double NetworkMbps { get; init; }
        public int ErrorCount { get; init; }

        /// <summary>The injected incident this minute belongs to, or empty for a normal minute.</summary>
        public string Incident { get; init; } = "";
    }

    /// <summary>An incident injected into the sample data.</summary>
    public sealed class SampleIncident
    {
        public SampleIncident(string name, string kind, int day, int startMinute, int minutes, string description)
        {
            Name = name;
            Kind = kind;
            Day = day;
            StartMinute = startMinute;
            Minutes = minutes;
            Description = description;
        }

        public string Name { get; }
        public string Kind { get; }
        /// <summary>Zero-based day of the series.</summary>
        public int Day { get; }
        public int StartMinute { get; }
        public int Minutes { get; }
        public string Description { get; }
    }

    /// <summary>
    /// Generates seeded per-minute host metrics: a daily load cycle drives CPU, disk, network and errors
    /// together (so they are correlated), with noise, plus incidents of different kinds from day 3 on:
    /// spikes, a level shift, and broken correlations that no single metric's range reveals.
    /// </summary>
    public static class HostMetricsSample
    {
        public const int MinutesPerDay = 24 * 60;

        /// <summary>Incidents, all on day 2 or later so that days 0-1 are clean training data.</summary>
        public static IReadOnlyList<SampleIncident> Incidents { get; } = new[]
        {
            new SampleIncident("cpu-spike", "spike", 2, 10 * 60 + 30, 15, "CPU pinned near 100% at mid-morning load"),
            new SampleIncident("memory-leak", "level shift", 3, 2 * 60, 120, "memory 25 points above normal overnight"),
            new SampleIncident("network-outage", "broken correlation", 4, 14 * 60, 30, "network drops to almost nothing at peak load"),
            new SampleIncident("runaway-job", "broken correlation", 5, 3 * 60, 30, "CPU at 85% at night while disk and network stay idle"),
            new SampleIncident("error-burst", "spike", 5, 9 * 60, 10, "error count jumps to 40-60 a minute"),
            new SampleIncident("disk-stall", "broken correlation", 6, 16 * 60, 20, "disk I/O stalls while CPU and network stay busy"),
        };

        public static IEnumerable<HostMetricsRow> Generate(int days, int seed, DateTime start)
        {
            if (days < 1 || days > 366) throw new ArgumentOutOfRangeException(nameof(days), days, "Days must lie between 1 and 366.");
            var random = new Random(seed);
            double drift = 0;
            for (int day = 0; day < days; day++)
            {
                for (int minute = 0; minute < MinutesPerDay; minute++)
                {
                    double hour = minute / 60.0;
                    // Load peaks mid-afternoon and bottoms out before dawn.
                    double load = 0.5 + 0.4 * Math.Sin(2 * Math.PI * (hour - 9) / 24) + 0.04 * Gaussian(random);
                    load = Math.Clamp(load, 0.02, 1.0);
                    drift = 0.98 * drift + 0.3 * Gaussian(random);

                    double cpu = 12 + 60 * load + 2.5 * Gaussian(random);
                    double memory = 45 + 8 * load + drift;
                    double disk = 60 + 420 * load + 18 * Gaussian(random);
                    double network = 6 + 110 * load + 5 * Gaussian(random);
                    int errors = Poisson(random, 0.2 + 1.2 * load);

                    string incident = "";
                    foreach (var i in Incidents)
                    {
                        if (i.Day != day || minute < i.StartMinute || minute >= i.StartMinute + i.Minutes) continue;
                        incident = i.Name;
                        switch (i.Name)
                        {
                            case "cpu-spike": cpu = 97 + 1.5 * Gaussian(random); break;
                            case "memory-leak": memory += 25; break;
                            case "network-outage": network = 0.5 + 0.3 * Math.Abs(Gaussian(random)); break;
                            case "error-burst": errors = 40 + random.Next(21); break;
                            case "runaway-job": cpu = 85 + 2 * Gaussian(random); break;
                            case "disk-stall": disk = 4 + 2 * Math.Abs(Gaussian(random)); break;
                        }
                    }

                    yield return new HostMetricsRow
                    {
                        Timestamp = start.AddDays(day).AddMinutes(minute),
                        CpuPct = Math.Round(Math.Clamp(cpu, 0, 100), 2),
                        MemoryPct = Math.Round(Math.Clamp(memory, 0, 100), 2),
                        DiskIops = Math.Round(Math.Max(disk, 0), 1),
                        NetworkMbps = Math.Round(Math.Max(network, 0), 2),
                        ErrorCount = errors,
                        Incident = incident,
                    };
                }
            }
        }

        private static double Gaussian(Random random)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        private static int Poisson(Random random, double mean)
        {
            double limit = Math.Exp(-mean), product = random.NextDouble();
            int count = 0;
            while (product > limit) { count++; product *= random.NextDouble(); }
            return count;
        }
    }
}
