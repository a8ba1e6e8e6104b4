using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using AutoencoderPS.Engine.Csv;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// Finds a model's time property (<see cref="Modeling.ModelSettings.TimeProperty"/>) among a record's or a file's
    /// columns: the one place it is looked up. Windows performance-counter exports (perfmon, typeperf, relog) name their
    /// first column after the time zone in effect when logging started, "(PDH-CSV 4.0) (Pacific Daylight Time)(420)", so a
    /// winter export's differs from a summer one's: when the time property is such a column, any such column is it. Get-Counter's
    /// sample sets hold the same samples with their time as Timestamp (<see cref="SampleSetTime"/>): a model trained on
    /// one reads the other, a perfmon model the Timestamp of sample sets, a Timestamp model a perfmon export's time column
    /// (read in the zone it names, <see cref="ZoneOf"/>).
    /// </summary>
    public static class TimeColumn
    {
        private const string PerfmonPrefix = "(PDH-CSV";

        /// <summary>The time of Get-Counter's sample sets (a DateTime of this machine's clock): a perfmon export's time column.</summary>
        public const string SampleSetTime = "Timestamp";

        private static bool IsSampleSetTime(string name) => string.Equals(name.Trim(), SampleSetTime, StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether a column name is the time column of a Windows performance-counter export.</summary>
        public static bool IsPerfmon(string name) => name.TrimStart().StartsWith(PerfmonPrefix, StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// The name of the column among <paramref name="names"/> that holds <paramref name="timeProperty"/>, or null: that
        /// name, else for a perfmon time property any perfmon time column or else a sample set's Timestamp, and for
        /// Timestamp a perfmon time column.
        /// </summary>
        public static string? Find(string timeProperty, IEnumerable<string> names)
        {
            string? perfmon = null, sampleSet = null;
            foreach (var name in names)
            {
                if (string.Equals(name, timeProperty, StringComparison.OrdinalIgnoreCase)) return name;
                if (perfmon == null && IsPerfmon(name)) perfmon = name;
                if (sampleSet == null && IsSampleSetTime(name)) sampleSet = name;
            }
            return IsPerfmon(timeProperty) ? perfmon ?? sampleSet : IsSampleSetTime(timeProperty) ? perfmon : null;
        }

        /// <summary>
        /// Whether two column names of two files are the same column: equal but for case, or both a perfmon time column
        /// (a scored output of a summer and a winter export has one time column).
        /// </summary>
        public static bool SameColumn(string a, string b) =>
            string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || IsPerfmon(a) && IsPerfmon(b);

        // The column found for a file's header (its records share one), so that a file is searched once, not per row.
        private static readonly ConditionalWeakTable<CsvHeader, Found> FoundInHeader = new ConditionalWeakTable<CsvHeader, Found>();

        private sealed class Found
        {
            public Found(string timeProperty, string? name) { TimeProperty = timeProperty; Name = name; }
            public string TimeProperty { get; }
            public string? Name { get; }
        }

        /// <summary>Reads <paramref name="timeProperty"/> of a record (a perfmon time column by any zone's name); false when it has none.</summary>
        public static bool TryGetValue(IRecord record, string timeProperty, out object? value) => TryGetValue(record, timeProperty, out value, out _);

        /// <summary>As above; <paramref name="column"/> is the column read when it is not <paramref name="timeProperty"/> itself.</summary>
        public static bool TryGetValue(IRecord record, string timeProperty, out object? value, out string? column)
        {
            column = null;
            if (record.TryGetValue(timeProperty, out value)) return true;
            // Only a perfmon or Timestamp model pays for the search, and only for rows without the column of that name.
            if (!IsPerfmon(timeProperty) && !IsSampleSetTime(timeProperty)) return false;
            column = record is CsvRecord csv ? FindIn(csv.Header, timeProperty) : Find(timeProperty, record.ColumnNames);
            return column != null && record.TryGetValue(column, out value);
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> ZoneByColumn =
            new System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?>(StringComparer.Ordinal);

        /// <summary>
        /// The zone a model without one reads <paramref name="column"/> in when it holds its time property under another
        /// name: a perfmon time column's own zone (<see cref="PerfmonZone"/>; its times are clock times of that zone, where
        /// a sample set's Timestamp, which a Timestamp model learnt, is an instant), else null (as written).
        /// </summary>
        public static TimeZoneInfo? ZoneOf(string? column) =>
            column != null && IsPerfmon(column) ? ZoneByColumn.GetOrAdd(column, PerfmonZone) : null;

        private static string? FindIn(CsvHeader header, string timeProperty)
        {
            // One model (one time property) reads a file at a time; another one's search replaces it.
            if (FoundInHeader.TryGetValue(header, out var found) && string.Equals(found.TimeProperty, timeProperty, StringComparison.Ordinal))
                return found.Name;
            var name = Find(timeProperty, header.Names);
            FoundInHeader.AddOrUpdate(header, new Found(timeProperty, name));
            return name;
        }

        /// <summary>The zone named in a perfmon time column ("(PDH-CSV 4.0) (Pacific Daylight Time)(420)"), or null.</summary>
        public static string? PerfmonZoneName(string column)
        {
            if (!IsPerfmon(column)) return null;
            // The second parenthesis holds the zone's standard or daylight name, which may hold parentheses of its own
            // ("Central Standard Time (Mexico)"); the last one its bias in minutes.
            int open = column.IndexOf('(', column.IndexOf(')') + 1);
            int biasOpen = column.LastIndexOf('(');
            int close = open < 0 ? -1 : biasOpen > open ? column.LastIndexOf(')', biasOpen) : column.LastIndexOf(')');
            if (close <= open) return null;
            var name = column.Substring(open + 1, close - open - 1).Trim();
            return name.Length == 0 ? null : name;
        }

        /// <summary>
        /// The zone a perfmon time column names, by its Windows standard or daylight name, when this system knows it; its
        /// id is the Windows id (the standard name), which Windows and .NET elsewhere (through ICU) both know. Null for
        /// no perfmon column or an unknown name.
        /// </summary>
        public static TimeZoneInfo? PerfmonZone(string column)
        {
            var name = PerfmonZoneName(column);
            if (name == null) return null;
            var candidates = TimeZoneInfo.GetSystemTimeZones()
                .Where(z => string.Equals(z.StandardName, name, StringComparison.OrdinalIgnoreCase) ||
                            string.Equals(z.DaylightName, name, StringComparison.OrdinalIgnoreCase))
                .ToList();
            // Several zones share a name (Los Angeles, Vancouver, Tijuana): the one whose Windows id is the standard name.
            // A Windows zone's daylight name is its id with "Daylight" for "Standard" ("W. Europe Daylight Time"), which
            // ICU's display names ("Central European Summer Time") do not give: tried as an id too. A zone is taken only
            // when the column's bias is one of its offsets.
            var ids = candidates.Select(z => z.StandardName).Prepend(name);
            if (name.EndsWith("Daylight Time", StringComparison.OrdinalIgnoreCase))
                ids = ids.Prepend(name.Substring(0, name.Length - "Daylight Time".Length) + "Standard Time");
            int? bias = PerfmonBiasMinutes(column);
            bool fits(TimeZoneInfo z) => bias == null || HasOffset(z, TimeSpan.FromMinutes(-bias.Value));
            foreach (var id in ids.Distinct(StringComparer.OrdinalIgnoreCase))
                if (SeriesTime.Find(id, out _) is { } zone && fits(zone)) return zone;
            return candidates.FirstOrDefault(fits);
        }

        // The bias perfmon writes in the column's third parenthesis: minutes to add to the local time for UTC, at the
        // start of logging ("(420)" for Pacific Daylight Time, UTC-7). Null when there is none.
        private static int? PerfmonBiasMinutes(string column)
        {
            int close = column.LastIndexOf(')');
            int open = close < 0 ? -1 : column.LastIndexOf('(', close);
            return open >= 0 && int.TryParse(column.AsSpan(open + 1, close - open - 1), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out int minutes) ? minutes : null;
        }

        // Whether the zone's clocks are ever at this offset from UTC: its standard offset, or that and a daylight delta.
        private static bool HasOffset(TimeZoneInfo zone, TimeSpan offset) =>
            zone.BaseUtcOffset == offset || zone.GetAdjustmentRules().Any(r => zone.BaseUtcOffset + r.BaseUtcOffsetDelta + r.DaylightDelta == offset ||
                                                                          zone.BaseUtcOffset + r.BaseUtcOffsetDelta == offset);
    }
}
