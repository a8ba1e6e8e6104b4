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
    /// feature named as a value (value, _value, CounterValue), the time column the roles found (<see cref="FeatureSchema.TimeColumns"/>)
    /// with times that recur (more than one row in ten of the sample has the time of an earlier row), and a column named as
    /// a metric (metric, _field, CounterName, itemid, ...) with several values at one time. InfluxDB's columns (_time,
    /// _field, _value) are told by their names, as its tables (one series after another) show one series in the first
    /// rows; another export sorted by series by a text column naming the metric and its rows in runs of one series
    /// (<see cref="SeriesOneAfterAnother"/>).
    /// </summary>
    public static class LongExportShape
    {
        // Names of the column holding a measurement's value, and of the one naming its metric (not of a host's). A metric's
        // column is named as one (metric, CounterName, _field, itemid, key_, __name__, Label): not any name with "name",
        // "key" or "item" in it, which a wide export's group has too (ServiceName, ProcessName, AppName).
        private static readonly Regex ValueName = new Regex(@"^(val|values?|.*value)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex MetricName = new Regex(
            @"metric|counter|^_*(name|field|measurement|label|series|key|item|itemid|itemkey|item_?name|key_?name|series_?name|field_?name)_*$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex HostName = new Regex(@"host|computer|instance|node|server|machine|device|resource", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        // The columns of InfluxDB's annotated CSV that are not tags, and the name Import-Csv and ConvertFrom-Csv give its unnamed first column.
        private static readonly HashSet<string> InfluxColumns = new HashSet<string>(StringComparer.Ordinal) { "result", "table" };
        private static readonly Regex UnnamedColumn = new Regex(@"^H\d+$", RegexOptions.CultureInvariant);

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

            // InfluxDB's columns say what they are, also when the first rows are one table (series), as its CSV writes them.
            bool Has(string column) => names.Contains(column, StringComparer.Ordinal);
            bool influx = Has("_time") && Has("_field") && Has("_value");

            // The time column: the roles' (a timestamp, or epoch numbers), the first in the header; InfluxDB's own. The rows
            // whose time does not read (a header again, annotations read as rows) are left out of what follows.
            var timeColumns = roles.TimeColumns;
            string? time = influx ? "_time" : names.FirstOrDefault(n => !string.Equals(n, value, StringComparison.OrdinalIgnoreCase) &&
                timeColumns.Contains(n, StringComparer.OrdinalIgnoreCase));
            if (time == null || !timeColumns.Contains(time, StringComparer.OrdinalIgnoreCase)) return null;
            var timed = new List<IRecord>();
            var times = new List<DateTime>();
            foreach (var row in rows)
            {
                if (!row.TryGetValue(time, out var v) || !TimestampParser.TryRead(v, culture, out var t, out var instant)) continue;
                timed.Add(row);
                times.Add(instant ?? t); // hosts writing other offsets meet at one instant
            }
            if (timed.Count < 20) return null;
            var distinct = times.Distinct().OrderBy(t => t).ToArray();
            int shared = timed.Count - distinct.Length;

            // The metric: a column named as one (not as a host) with several values at one time; the most of them per time.
            var others = names.Where(n => !string.Equals(n, value, StringComparison.OrdinalIgnoreCase) && !string.Equals(n, time, StringComparison.OrdinalIgnoreCase)).ToList();
            double PerTime(string column) =>
                timed.Select((r, i) => (times[i], Text(r, column))).Distinct().Count() / (double)distinct.Length;
            int Distinct(string column) => timed.Select(r => Text(r, column)).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            string? metric = null, group = null, evidence;
            if (influx)
            {
                // A field is named within its measurement; the tags (the columns without a leading _) tell the series apart.
                metric = Has("_measurement") ? "_measurement, _field" : "_field";
                group = others.FirstOrDefault(n => !n.StartsWith('_') && !InfluxColumns.Contains(n) && !UnnamedColumn.IsMatch(n));
                evidence = "they are InfluxDB's columns (one table, a series, after another; drop its # lines and repeated headers first). ";
            }
            else
            {
                if (shared * 10 > timed.Count)
                    metric = others.Where(n => MetricName.IsMatch(n) && !HostName.IsMatch(n))
                        .Select(n => (Name: n, PerTime: PerTime(n))).Where(c => c.PerTime >= 2).OrderByDescending(c => c.PerTime).FirstOrDefault().Name;
                if (metric != null)
                {
                    // The group: another column of a few values, several at one time (the hosts); the one of most values.
                    group = others.Where(n => !string.Equals(n, metric, StringComparison.OrdinalIgnoreCase))
                        .Select(n => (Name: n, Values: Distinct(n))).Where(c => c.Values >= 2 && c.Values <= MaxGroups && PerTime(c.Name) >= 1.5)
                        .OrderByDescending(c => c.Values).FirstOrDefault().Name;
                    evidence = $"{shared:N0} of the first {timed.Count:N0} rows have the time ('{time}') of an earlier row. ";
                }
                else if (SeriesOneAfterAnother(timed, times, others, culture) is { } sorted)
                {
                    (metric, group, evidence) = sorted;
                }
                else
                {
                    return null;
                }
            }

            // The step: from row to row of the export as it is ordered, within a series (tables) or from one time to the next,
            // to whole seconds, and minutes from a minute (collectors' clocks add fractions: InfluxDB's nanoseconds).
            var steps = times.Zip(times.Skip(1), (a, b) => (b - a).Duration()).Where(d => d > TimeSpan.Zero).OrderBy(d => d).ToArray();
            string interval = "<the export's step>";
            if (steps.Length > 0)
            {
                var median = steps[steps.Length / 2];
                var unit = median >= TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1);
                var step = TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(median.Ticks / (double)unit.Ticks)) * unit.Ticks);
                interval = step.ToString("c", CultureInfo.InvariantCulture);
            }
            string pivot = $"ConvertTo-LogWindow -TimeProperty {AutoencoderPS.Engine.Text.PrintableText.PowerShellArgument(time)} -Interval {interval}{(group != null ? $" -GroupBy {AutoencoderPS.Engine.Text.PrintableText.PowerShellArgument(group)}" : "")} " +
                           $"-MetricProperty {(influx ? metric : AutoencoderPS.Engine.Text.PrintableText.PowerShellArgument(metric))} -ValueProperty {AutoencoderPS.Engine.Text.PrintableText.PowerShellArgument(value)}";
            return $"These rows look like a long export, one measurement per row: '{value}' holds the value of the metric named in '{metric}', and " +
                   evidence + "A model of such rows learns one column of every " +
                   "metric at once, with the metric as a category, and scores nothing an operator means. Pivot them into one row per time" +
                   (group != null ? $" and {group}" : "") + $" with a column per metric first: ... | {pivot} | Invoke-AutoencoderTraining -Model $model " +
                   "(and the same, with -Model $model, before Test-Anomaly; see 'Long exports' in Get-Help ConvertTo-LogWindow).";
        }

        /// <summary>
        /// An export sorted by series (Grafana's series CSV, a Prometheus or Zabbix export ordered by series, then time): its
        /// first rows are one series, or a few one after another, so no time recurs among them and the column naming the
        /// metric has one value at each time. Told by what a wide export never has: a text column named as a metric (not a
        /// host, not a label) whose values name metrics, beside the value column, with the rows in runs of one series each
        /// (every value of the columns of few texts, metric and hosts, in one run), each run's times one after another
        /// without a repeat, and, where the sample reaches a second series, its time starting over as it begins. The metric
        /// column, the group (a column named as a host) and what was seen, or null.
        /// </summary>
        private static (string Metric, string? Group, string Evidence)? SeriesOneAfterAnother(
            List<IRecord> timed, List<DateTime> times, List<string> others, CultureInfo culture)
        {
            if (!others.Any(n => MetricName.IsMatch(n) && !HostName.IsMatch(n) && !ColumnRoleRules.IsLabelName(n))) return null;
            // Columns of a few texts (not numbers): the series' labels.
            var labels = others.Where(n => timed.All(r => NumberParser.TryRead(Raw(r, n), culture, out _) == NumberParser.Outcome.NotNumeric)
                && timed.Select(r => Text(r, n)).Distinct(StringComparer.OrdinalIgnoreCase).Count() <= MaxGroups).ToList();
            var metric = labels.FirstOrDefault(n => MetricName.IsMatch(n) && !HostName.IsMatch(n) && !ColumnRoleRules.IsLabelName(n));
            if (metric == null) return null;

            // The runs of one series: a series seen again after another began is no sort by series.
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string? current = null;
            int runs = 0, direction = 0, firstRun = 0, restarts = 0;
            for (int i = 0; i < timed.Count; i++)
            {
                var series = string.Join("\u001f", labels.Select(n => Text(timed[i], n)));
                if (!string.Equals(series, current, StringComparison.OrdinalIgnoreCase))
                {
                    if (!seen.Add(series)) return null;
                    if (current != null && direction != 0 && Math.Sign((times[i] - times[i - 1]).Ticks) == -direction) restarts++;
                    current = series;
                    runs++;
                    continue;
                }
                // Within a series, times one after another in one direction (oldest or newest first), never one twice.
                int step = Math.Sign((times[i] - times[i - 1]).Ticks);
                if (step == 0 || (direction != 0 && step != direction)) return null;
                direction = step;
                if (runs == 1) firstRun = i + 1;
            }
            if (direction == 0 || firstRun < 20) return null;
            // A second series must start its clock over, else the runs are times going on (a host's export after another's day).
            if (runs > 1 && restarts == 0) return null;

            var group = labels.FirstOrDefault(n => !string.Equals(n, metric, StringComparison.OrdinalIgnoreCase) && HostName.IsMatch(n));
            string first = Text(timed[0], metric);
            string evidence = runs == 1
                ? $"the first {timed.Count:N0} rows are one series of it ('{first}'{(group != null ? $" of {group} '{Text(timed[0], group)}'" : "")}, one row per time): " +
                  "an export sorted by series, whose later rows hold the other metrics" + (group != null ? $" and {group}s" : "") + ". "
                : $"the first {timed.Count:N0} rows are {runs} series one after another (the first '{first}', {firstRun:N0} rows), each one's time starting over: " +
                  "an export sorted by series. ";
            return (metric, group, evidence);
        }

        private static object? Raw(IRecord row, string column) => row.TryGetValue(column, out var v) ? v : null;

        private static string Text(IRecord row, string column) => Convert.ToString(Raw(row, column), CultureInfo.InvariantCulture) ?? "";

        // A column name without its underscores and spaces (_value, Counter Value).
        private static string Plain(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    }
}
