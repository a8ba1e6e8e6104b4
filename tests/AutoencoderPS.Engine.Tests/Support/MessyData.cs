using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// A seeded, generated operations export as real ones look: a request id (distinct in every row), a timestamp,
    /// a host and a level (few distinct strings), three correlated metrics (cpu follows the hour of day and the host)
    /// with gaps, and a free-text message with more distinct values than a category may have. Rows are typed values;
    /// <see cref="Record"/> and <see cref="Csv"/> render them as text in a culture, as Import-Csv or a CSV export gives them.
    /// </summary>
    internal static class MessyData
    {
        public static readonly string[] Columns = { "id", "time", "host", "level", "cpu", "memory", "latency", "message" };
        public static readonly string[] Hosts = { "web-1", "web-2", "db-1", "cache-1" };
        public static readonly string[] Levels = { "INFO", "WARN", "ERROR" };
        public static readonly string[] MissingMarkers = { "", "NA", "N/A", "null", "NaN" };

        /// <summary>The first row's time: Monday 5 January 2026, midnight.</summary>
        public static readonly DateTime Start = new DateTime(2026, 1, 5, 0, 0, 0);

        /// <summary>Distinct messages: more than <see cref="FeatureSchema.MaxCategories"/>, so free text.</summary>
        public const int MessageTemplates = 80;

        /// <summary>One row. <see cref="Cpu"/> and <see cref="Memory"/> hold a double, or a missing-value marker string.</summary>
        public sealed class Row
        {
            public string Id { get; set; } = "";
            public DateTime Time { get; set; }
            public string Host { get; set; } = "";
            public string Level { get; set; } = "";
            public object Cpu { get; set; } = 0.0;
            public object Memory { get; set; } = 0.0;
            public double Latency { get; set; }
            public string Message { get; set; } = "";

            public object?[] Values => new object?[] { Id, Time, Host, Level, Cpu, Memory, Latency, Message };

            public Row Clone() => (Row)MemberwiseClone();
        }

        /// <summary>
        /// <paramref name="count"/> rows; each of cpu and memory is missing (one of <see cref="MissingMarkers"/>)
        /// with probability <paramref name="missingShare"/>. The values do not depend on the share.
        /// </summary>
        public static List<Row> Rows(int count, int seed, double missingShare = 0)
        {
            var random = new Random(seed);
            var rows = new List<Row>(count);
            for (int i = 0; i < count; i++)
            {
                var time = Start.AddMinutes(i * 17 + random.Next(0, 10));
                double daytime = Math.Sin(2 * Math.PI * (time.TimeOfDay.TotalHours - 6) / 24); // 1 at noon, -1 at midnight
                int host = random.Next(Hosts.Length);
                double cpu = Math.Round(20 + 10 * host + 15 * daytime + 2 * SyntheticData.Gaussian(random), 1);
                double memory = Math.Round(2000 + 30 * cpu + 20 * SyntheticData.Gaussian(random));
                double latency = Math.Round(5 + 0.2 * cpu + 0.3 * SyntheticData.Gaussian(random), 2);
                double levelDraw = random.NextDouble();
                string level = levelDraw < 0.8 ? "INFO" : levelDraw < 0.95 ? "WARN" : "ERROR";
                string message = $"job {random.Next(MessageTemplates)} finished";
                bool cpuMissing = random.NextDouble() < missingShare;
                bool memoryMissing = random.NextDouble() < missingShare;
                string cpuMarker = MissingMarkers[random.Next(MissingMarkers.Length)];
                string memoryMarker = MissingMarkers[random.Next(MissingMarkers.Length)];
                rows.Add(new Row
                {
                    Id = $"req-{seed:000}-{i:00000}",
                    Time = time,
                    Host = Hosts[host],
                    Level = level,
                    Cpu = cpuMissing ? cpuMarker : cpu,
                    Memory = memoryMissing ? memoryMarker : memory,
                    Latency = latency,
                    Message = message,
                });
            }
            return rows;
        }

        /// <summary>A value as text in <paramref name="culture"/>: numbers round-trip ("R"), times as the culture's short date and time.</summary>
        public static string Text(object? value, CultureInfo culture) => value switch
        {
            null => "",
            double d => d.ToString("R", culture),
            DateTime t => t.ToString("g", culture),
            _ => Convert.ToString(value, culture) ?? "",
        };

        /// <summary>The row as Import-Csv gives it: every value text.</summary>
        public static TestRecord Record(Row row, CultureInfo culture)
        {
            var values = row.Values;
            return new TestRecord(Columns.Select((c, j) => (c, (object?)Text(values[j], culture))).ToArray());
        }

        public static List<IRecord> Records(IEnumerable<Row> rows, CultureInfo culture) =>
            rows.Select(r => (IRecord)Record(r, culture)).ToList();

        /// <summary>A CSV export: header line, then one line per row ("\n" line ends, no quoting needed).</summary>
        public static string Csv(IEnumerable<Row> rows, CultureInfo culture, string delimiter)
        {
            var text = new StringBuilder();
            text.Append(string.Join(delimiter, Columns)).Append('\n');
            foreach (var row in rows)
                text.Append(string.Join(delimiter, row.Values.Select(v => Text(v, culture)))).Append('\n');
            return text.ToString();
        }
    }
}
