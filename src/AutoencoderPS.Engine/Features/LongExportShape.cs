using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Tells a row model's training rows that are a long export: one measurement per row (time, host, metric name,
    /// value), as InfluxDB, the Prometheus API, Azure Monitor's Perf table, Zabbix history and Datadog write them.
    /// Trained as they are, the value column holds every metric at once and the metric's name is a category: the model
    /// learns the mix of metrics, which no incident changes (on a generated week of three hosts and four metrics, a CPU
    /// spike was flagged and a broken relation and a silent host were not, with 33 false rows in a day). The rows must be
    /// pivoted into one row per time (and group) with a column per metric (ConvertTo-LogWindow -MetricProperty
    /// -ValueProperty). Told by shape and names together, since a long export of one metric is a wide one: a numeric
    /// feature named as a value (value, _value, CounterValue), a time column whose times recur (more than one row in ten
    /// of the sample has the time of an earlier row), and a column named as a metric (metric, _field, CounterName,
    /// itemid, ...) with several values at one time. A long export sorted by series (InfluxDB's tables) shows one
    /// series in its first rows, and is not told.
    /// </summary>
    public static class LongExportShape
    {
        // Names of the column holding a measurement's value, and of the one naming its metric (not of a host's).
        private static readonly Regex ValueName = new Regex(@"^(val|values?|.*value)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex MetricName = new Regex(@"metric|name|field|counter|key|item|measurement|label|series", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex HostName = new Regex(@"host|computer|instance|node|server|machine|device|resource", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>At most this many distinct values make a column the rows' group (as a category's bound).</summary>
        private const int MaxGroups = FeatureSchema.MaxCategories;

        /// <summary>
        /// A warning with the pivot that reads <paramref name="rows"/> (the role sample) when they are a long export, else
        /// null. <paramref name="roles"/> are the features chosen from them.
        /// </summary>
        public static string? Describe(IReadOnlyList<IRecord> rows, FeatureSchema roles, CultureInfo culture)
        {
            if (rows.Count < 20) return null;
            var names = rows[0].ColumnNames.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
            var value = roles.Columns.FirstOrDefault(c => c.Role == ColumnRole.Numeric && ValueName.IsMatch(Plain(c.Name)))?.Name;
            if (value == null) return null;

            // The time column: one whose values all read as times (epoch numbers too), the first such.
            string? time = null;
            DateTime[]? times = null;
            foreach (var name in names)
            {
                if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase)) continue;
                var read = new DateTime[rows.Count];
                bool all = true;
                for (int i = 0; i < rows.Count && all; i++)
                {
                    DateTime? instant = null;
                    all = rows[i].TryGetValue(name, out var v) && TimestampParser.TryRead(v, culture, out read[i], out instant);
                    if (instant is DateTime utc) read[i] = utc; // hosts writing other offsets meet at one instant
                }
                if (!all) continue;
                time = name;
                times = read;
                break;
            }
            if (time == null || times == null) return null;
            var distinct = times.Distinct().OrderBy(t => t).ToArray();
            int shared = rows.Count - distinct.Length;
            if (shared * 10 <= rows.Count) return null;

            // The metric: a column named as one (not as a host) with several values at one time; the most of them per time.
            var others = names.Where(n => !string.Equals(n, value, StringComparison.OrdinalIgnoreCase) && !string.Equals(n, time, StringComparison.OrdinalIgnoreCase)).ToList();
            double PerTime(string column) =>
                rows.Select((r, i) => (times[i], r.TryGetValue(column, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "" : ""))
                    .Distinct().Count() / (double)distinct.Length;
            int Distinct(string column) =>
                rows.Select(r => r.TryGetValue(column, out var v) ? Convert.ToString(v, CultureInfo.InvariantCulture) ?? "" : "").Distinct(StringComparer.OrdinalIgnoreCase).Count();
            var metric = others.Where(n => MetricName.IsMatch(n) && !HostName.IsMatch(n))
                .Select(n => (Name: n, PerTime: PerTime(n))).Where(c => c.PerTime >= 2).OrderByDescending(c => c.PerTime).FirstOrDefault().Name;
            if (metric == null) return null;
            // The group: another column of a few values, several at one time (the hosts); the one of most values.
            var group = others.Where(n => !string.Equals(n, metric, StringComparison.OrdinalIgnoreCase))
                .Select(n => (Name: n, Values: Distinct(n))).Where(c => c.Values >= 2 && c.Values <= MaxGroups && PerTime(c.Name) >= 1.5)
                .OrderByDescending(c => c.Values).FirstOrDefault().Name;

            var steps = distinct.Zip(distinct.Skip(1), (a, b) => b - a).Where(d => d > TimeSpan.Zero).OrderBy(d => d).ToArray();
            string interval = steps.Length == 0 ? "<the export's step>" : steps[steps.Length / 2].ToString("c", CultureInfo.InvariantCulture);
            string pivot = $"ConvertTo-LogWindow -TimeProperty {Quote(time)} -Interval {interval}{(group != null ? $" -GroupBy {Quote(group)}" : "")} " +
                           $"-MetricProperty {Quote(metric)} -ValueProperty {Quote(value)}";
            return $"These rows look like a long export, one measurement per row: '{value}' holds the value of the metric named in '{metric}', and " +
                   $"{shared:N0} of the first {rows.Count:N0} rows have the time ('{time}') of an earlier row. A model of such rows learns one column of every " +
                   "metric at once, with the metric as a category, and scores nothing an operator means. Pivot them into one row per time" +
                   (group != null ? $" and {group}" : "") + $" with a column per metric first: ... | {pivot} | Invoke-AutoencoderTraining -Model $model " +
                   "(and the same, with -Model $model, before Test-Anomaly; see 'Long exports' in Get-Help ConvertTo-LogWindow).";
        }

        // A column name without its underscores and spaces (_value, Counter Value).
        private static string Plain(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

        // A property name as PowerShell takes it on a command line.
        private static string Quote(string name) =>
            name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.') ? name : "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
