using System;
using System.Collections.Generic;
using System.Globalization;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// The numbers of a row model's columns told within each host of its rows. A model without a group column reads its
    /// rows in their order, and an export of several hosts interleaved in time order (a Prometheus/Grafana long CSV:
    /// timestamp, instance, cpu, http_requests_total) holds each host's counter in turn: one sequence that goes up and
    /// down between the hosts is no counter, and the counter was kept as a level that put every later row beyond the
    /// training rows. Told within each value of a text column that names the rows' hosts (instance, host, machine: any
    /// such column, whatever its name), each host's numbers rise, whatever the order of the rows.
    /// </summary>
    public sealed class HostSeries
    {
        /// <summary>
        /// A host column's values hold at least this many rows each on average. A split is judged by its steps (a number
        /// and the one before it of the same host), and a split into groups of a row or two leaves few or none: a gauge
        /// split so has nothing left to fall, and would pass for a counter named "_total" that never fell. With a value
        /// per ten rows or fewer, nine in ten rows are steps, as in one series. (A text column distinct in most rows is an
        /// identifier, not hosts.) It is no larger so that the 1,000 rows roles are chosen from tell up to 100 hosts.
        /// </summary>
        public const int MinRowsPerHost = 10;

        private HostSeries(string hosts, NumberSequence numbers) { Hosts = hosts; Numbers = numbers; }

        /// <summary>The column (or columns, joined with ", ") whose values are the hosts.</summary>
        public string Hosts { get; }

        /// <summary>The column's numbers, each host's in row order, merged (<see cref="NumberSequence.Merged"/>).</summary>
        public NumberSequence Numbers { get; }

        /// <summary>
        /// For each of <paramref name="numberColumns"/> (each row's number, NaN where none; null where none is wanted), its numbers told within the hosts of
        /// each column of <paramref name="hostColumns"/> that names hosts, and within the hosts of all of them together
        /// (a series is one value of each: instance and mode); empty when no column names hosts. A column names hosts when
        /// it holds text (no value of it reads as a number) with at least two distinct values and on average at least
        /// <see cref="MinRowsPerHost"/> rows for each.
        /// </summary>
        public static IReadOnlyList<HostSeries>[] Of(IReadOnlyList<IRecord> records, IReadOnlyList<string> hostColumns,
            IReadOnlyList<double[]?> numberColumns, CultureInfo culture)
        {
            var result = new IReadOnlyList<HostSeries>[numberColumns.Count];
            for (int j = 0; j < result.Length; j++) result[j] = Array.Empty<HostSeries>();
            int maxHosts = records.Count / MinRowsPerHost;
            if (maxHosts < 2 || hostColumns.Count == 0) return result;

            // Each row's host in each column, as an index into that column's values; a column out once it can't be one.
            var values = new Dictionary<string, int>?[hostColumns.Count];
            var hostOf = new int[hostColumns.Count][];
            for (int c = 0; c < hostColumns.Count; c++)
            {
                values[c] = new Dictionary<string, int>(StringComparer.Ordinal);
                hostOf[c] = new int[records.Count];
            }
            for (int i = 0; i < records.Count; i++)
                for (int c = 0; c < hostColumns.Count; c++)
                {
                    if (values[c] is not { } seen) continue;
                    object? value = records[i].TryGetValue(hostColumns[c], out var v) ? v : null;
                    string text = FeatureSchema.CategoryOf(value, culture) ?? "";
                    if (!seen.TryGetValue(text, out int host))
                    {
                        if (FeatureSchema.IsComposite(value) || NumberParser.TryRead(value, culture, out _) == NumberParser.Outcome.Number ||
                            seen.Count == maxHosts)
                        {
                            values[c] = null;
                            continue;
                        }
                        seen[text] = host = seen.Count;
                    }
                    hostOf[c][i] = host;
                }
            var splits = new List<(string Name, int[] HostOf)>();
            var named = new List<int>();
            for (int c = 0; c < hostColumns.Count; c++)
                if (values[c] is { Count: >= 2 })
                {
                    splits.Add((hostColumns[c], hostOf[c]));
                    named.Add(c);
                }
            if (splits.Count == 0) return result;
            if (splits.Count > 1)
            {
                // All host columns together: each row's combination of their values, numbered.
                var combined = new int[records.Count];
                var seen = new Dictionary<(int, int), int>();
                int combinations = 0;
                for (int s = 0; s < named.Count; s++)
                {
                    seen.Clear();
                    for (int i = 0; i < records.Count; i++)
                    {
                        var key = (s == 0 ? 0 : combined[i], hostOf[named[s]][i]);
                        if (!seen.TryGetValue(key, out int id)) seen[key] = id = seen.Count;
                        combined[i] = id;
                    }
                    combinations = seen.Count;
                }
                if (combinations <= maxHosts)
                    splits.Add((string.Join(", ", named.ConvertAll(c => hostColumns[c])), combined));
            }

            // Each wanted column's numbers, per split and host.
            var sequences = new NumberSequence[numberColumns.Count][][];
            for (int j = 0; j < numberColumns.Count; j++)
            {
                if (numberColumns[j] == null) continue;
                sequences[j] = new NumberSequence[splits.Count][];
                for (int s = 0; s < splits.Count; s++) sequences[j][s] = new NumberSequence[maxHosts];
            }
            for (int j = 0; j < numberColumns.Count; j++)
            {
                if (numberColumns[j] is not { } numbers) continue;
                for (int s = 0; s < splits.Count; s++)
                {
                    var hostOfRow = splits[s].HostOf;
                    var byHost = sequences[j][s];
                    for (int i = 0; i < numbers.Length; i++)
                        if (!double.IsNaN(numbers[i])) (byHost[hostOfRow[i]] ??= new NumberSequence()).Add(numbers[i]);
                }
            }
            for (int j = 0; j < numberColumns.Count; j++)
            {
                if (sequences[j] == null) continue;
                var series = new HostSeries[splits.Count];
                for (int s = 0; s < splits.Count; s++)
                    series[s] = new HostSeries(splits[s].Name, NumberSequence.Merged(Array.FindAll(sequences[j][s], q => q != null)));
                result[j] = series;
            }
            return result;
        }
    }
}
