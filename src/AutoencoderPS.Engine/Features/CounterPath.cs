using System;
using System.Collections.Generic;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Windows performance-counter columns (perfmon, typeperf, relog, Export-Counter) are named by their full path,
    /// machine first: <c>\\WEB01\Processor(_Total)\% Processor Time</c>. A model trained on one machine's export reads
    /// another machine's export of the same counters (a fleet scoring in place with one shipped model): a feature that is
    /// such a path, absent from the input as named, is the one column with the same path on another machine. Several such
    /// columns (a relog of many machines) are no match: which machine is meant is not known. The one place this is decided;
    /// the feature keeps its name (explanations name the counter as trained).
    /// </summary>
    public static class CounterPath
    {
        /// <summary>
        /// The path without its machine (<c>\Processor(_Total)\% Processor Time</c>), or null when <paramref name="name"/>
        /// is not a counter path (it starts with two backslashes, a machine name and a backslash, and goes on).
        /// </summary>
        public static string? WithoutMachine(string name)
        {
            if (name.Length < 5 || name[0] != '\\' || name[1] != '\\') return null;
            int slash = name.IndexOf('\\', 2);
            return slash > 2 && slash < name.Length - 1 ? name.Substring(slash) : null;
        }

        /// <summary>
        /// The column among <paramref name="names"/> that is counter path <paramref name="name"/> on another machine, or null:
        /// when <paramref name="name"/> is no counter path, when none has its path, or when several do.
        /// </summary>
        public static string? OnAnotherMachine(string name, IEnumerable<string> names)
        {
            var path = WithoutMachine(name);
            if (path == null) return null;
            string? found = null;
            foreach (var candidate in names)
            {
                var other = WithoutMachine(candidate);
                if (other == null || !string.Equals(other, path, StringComparison.OrdinalIgnoreCase)) continue;
                if (found != null) return null;
                found = candidate;
            }
            return found;
        }

        /// <summary>
        /// Reads feature <paramref name="name"/> of <paramref name="record"/>: as named, else (a counter path) the same counter
        /// of another machine (<see cref="OnAnotherMachine"/>); false when the record has neither.
        /// </summary>
        public static bool TryGetValue(IRecord record, string name, out object? value)
        {
            if (record.TryGetValue(name, out value)) return true;
            if (WithoutMachine(name) == null) return false;
            var other = OnAnotherMachine(name, record.ColumnNames);
            return other != null && record.TryGetValue(other, out value);
        }

        /// <summary>The index of feature <paramref name="name"/> in <paramref name="header"/> (as named, else on another machine), or -1.</summary>
        public static int IndexIn(Csv.CsvHeader header, string name)
        {
            int i = header.IndexOf(name);
            if (i >= 0) return i;
            var other = OnAnotherMachine(name, header.Names);
            return other == null ? -1 : header.IndexOf(other);
        }
    }
}
