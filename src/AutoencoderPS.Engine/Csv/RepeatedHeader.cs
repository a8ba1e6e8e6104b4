using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>What a record is to the header above it.</summary>
    public enum HeaderRepeat
    {
        /// <summary>A data row.</summary>
        None,

        /// <summary>The header again, its columns in the same order: rejected as a row (FeatureValueException.HeaderAgain says why).</summary>
        Same,

        /// <summary>A header of another layout (columns reordered, added or removed): the rows after it are read by its columns.</summary>
        Other,
    }

    /// <summary>
    /// A header met again among a file's rows, where exports were joined into one (<c>cat a.csv b.csv</c>) or a tool wrote
    /// one header per part. When its columns are in another order, or some were added or removed, the rows after it are
    /// laid out by it: read by the first header's positions, their values would sit under the wrong columns and be scored
    /// as if they were right. Every reader of CSV files asks <see cref="Classify"/> of each record and reads the rows after
    /// a header of another layout by that header (<see cref="Remap"/>).
    /// <para>
    /// A record is a header when more than half of its fields, and more than half of the header's named columns, are
    /// the header's names (case and surrounding spaces aside, a byte-order mark before the first ignored), none twice: a
    /// data row does not hold column names in most of its fields.
    /// </para>
    /// </summary>
    public static class RepeatedHeader
    {
        /// <summary>Whether <paramref name="fields"/> are a data row, the header again, or a header of another layout.</summary>
        public static HeaderRepeat Classify(CsvHeader header, IReadOnlyList<string> fields)
        {
            if (header.Given || fields.Count == 0) return HeaderRepeat.None;
            // More than half of the fields are names: one of the first half + 1 is (a row of values is told at once, before
            // anything is counted: every reader asks this of every record).
            bool any = false;
            for (int i = 0; i < Math.Min(fields.Count, fields.Count / 2 + 1) && !any; i++) any = header.IndexOf(Name(fields[i], i)) >= 0;
            if (!any) return HeaderRepeat.None;
            int named = 0;
            foreach (var name in header.Names) if (name.Trim().Length > 0) named++;
            // Distinct names are a header's: a row that names a column twice is data (and no CsvHeader could hold it).
            int matched = 0;
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < fields.Count; i++)
            {
                string field = Name(fields[i], i);
                if (field.Length == 0) continue;
                if (!names.Add(field)) return HeaderRepeat.None;
                if (header.IndexOf(field) >= 0) matched++;
            }
            if (2 * matched <= fields.Count || 2 * matched <= named) return HeaderRepeat.None;
            return header.SameColumns(new CsvHeader(Names(fields), "")) ? HeaderRepeat.Same : HeaderRepeat.Other;
        }

        /// <summary>The header that <paramref name="fields"/> (a header of another layout, on <paramref name="line"/>) makes.</summary>
        public static CsvHeader Remap(CsvHeader header, IReadOnlyList<string> fields, string file, long line) =>
            new CsvHeader(Names(fields), file) { Line = line, Replaces = header };

        /// <summary>
        /// The warning for the first header of another layout in <paramref name="file"/> (<paramref name="remapped"/>, made by
        /// <see cref="Remap"/>): where it is, what changed, and that the rows after it are read by it.
        /// </summary>
        public static string Warning(CsvHeader remapped, string file) =>
            $"File '{file}', line {remapped.Line}: the header is there again, {Change(remapped.Replaces!, remapped)}: files joined into one, or one " +
            "header per part. The rows after it are read by its columns, not by the first header's positions; so are the rows after any later header.";

        /// <summary>
        /// The error for a header of another layout whose rows can't go where the rows before it went (an output of the first
        /// header's columns): the rows from it on are not scored.
        /// </summary>
        public static AutoencoderException NotHonoured(CsvHeader remapped, string file, string why) =>
            new AutoencoderException(ErrorIds.CsvHeaderMismatch,
                $"File '{file}', line {remapped.Line}: the header is there again, {Change(remapped.Replaces!, remapped)} (files joined into one), and {why}, " +
                "so its rows from that line on were not scored (read by the first header's positions, their values would sit under the wrong columns); " +
                "the rows before it were. Split the file at that line and score its parts apart.");

        /// <summary>What <paramref name="after"/> changes of <paramref name="before"/>'s columns, in words.</summary>
        public static string Change(CsvHeader before, CsvHeader after)
        {
            var added = after.Names.Where(n => n.Length > 0 && before.IndexOf(n) < 0).ToList();
            var removed = before.Names.Where(n => n.Length > 0 && after.IndexOf(n) < 0).ToList();
            var moved = before.Names.Where((n, i) => n.Length > 0 && after.IndexOf(n) is int j && j >= 0 && j != i).ToList();
            var parts = new List<string>();
            if (added.Count > 0) parts.Add($"with column(s) {List(added)} added");
            if (removed.Count > 0) parts.Add($"with column(s) {List(removed)} removed");
            if (moved.Count > 0 && added.Count == 0 && removed.Count == 0)
                parts.Add(moved.Count == 2 ? $"with {List(moved)} swapped" : $"with {List(moved)} in another order");
            else if (moved.Count > 0) parts.Add("the others moved");
            return string.Join(", ", parts) + $" ('{Text.PrintableText.Cut(string.Join(",", after.Names), 120)}')";
        }

        private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{Text.PrintableText.Cut(n, 40)}'"));

        // A field as a name: trimmed, the first without the byte-order mark of a file joined after the first (cat of UTF-8 files).
        private static string Name(string field, int index) => (index == 0 ? field.TrimStart('\uFEFF') : field).Trim();

        private static string[] Names(IReadOnlyList<string> fields) => fields.Select(Name).ToArray();

        /// <summary>
        /// A cheap first test of a record split in place (the byte reader's hot path), before <see cref="Classify"/>: false
        /// when it can't be a header, because none of its first half + 1 fields starts with a byte some name of the header
        /// starts with (a header's names are more than half of its fields, so one of those is a name). A data row of numbers
        /// and dates fails at once.
        /// </summary>
        internal sealed class Filter
        {
            private readonly bool[] starts = new bool[256];

            public Filter(CsvHeader header, System.Text.Encoding encoding)
            {
                foreach (var name in header.Names)
                {
                    string trimmed = name.Trim();
                    if (trimmed.Length == 0) continue;
                    foreach (var form in new[] { trimmed, trimmed.ToUpperInvariant(), trimmed.ToLowerInvariant() })
                    {
                        var bytes = encoding.GetBytes(form);
                        if (bytes.Length > 0) starts[bytes[0]] = true;
                    }
                }
                // A name may be preceded by spaces, or (the first field) by a byte-order mark.
                starts[' '] = starts['\t'] = starts[0xEF] = true;
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public bool MayBeHeader(CsvRecordReader reader)
            {
                int count = reader.FieldCount;
                int look = Math.Min(count, count / 2 + 1);
                if (reader.Fields is { } fields)
                {
                    // Read field by field (quotes): the names are unquoted already.
                    for (int i = 0; i < look; i++)
                        if (fields[i].Length > 0 && (fields[i][0] >= 0x80 || starts[fields[i][0]])) return true;
                    return false;
                }
                for (int i = 0; i < look; i++)
                {
                    var field = reader.Field(i);
                    if (field.Length > 0 && starts[field[0]]) return true;
                }
                return false;
            }
        }
    }
}
