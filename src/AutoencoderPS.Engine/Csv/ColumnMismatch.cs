using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// The one message for an input that lacks columns the model reads (its features; a window's time and group columns): which are missing, which columns were found,
    /// and, when the header looks like one column holding several names, the -Delimiter (and -Culture) it probably needs.
    /// </summary>
    public static class ColumnMismatch
    {
        private static readonly char[] Separators = { ';', ',', '\t', '|' };

        /// <summary>
        /// The one check of an input's columns: the error naming every column of <paramref name="reads"/> (what the model
        /// reads, <see cref="Modeling.AutoencoderModel.ColumnsRead"/>) that <paramref name="has"/> does not find among
        /// <paramref name="found"/>, or null when none is missing. The model's <paramref name="timeProperty"/> is found by
        /// its lookup (<see cref="Features.Windows.TimeColumn.Find"/>: a perfmon export names it after its own zone), and a
        /// performance counter by its path on another machine (<see cref="Features.CounterPath"/>).
        /// </summary>
        public static AutoencoderException? Check(string source, IReadOnlyList<string> reads, string? timeProperty,
            IReadOnlyCollection<string> found, Func<string, bool> has, string? delimiter = null)
        {
            var resolved = Features.CounterPath.Resolve(reads, found);
            var missing = reads.Where((n, i) => !has(n) && !(n == timeProperty && Features.Windows.TimeColumn.Find(n, found) != null) &&
                                                resolved[i] == null).ToArray();
            return missing.Length == 0 ? null : Error(source, missing, found, reads, delimiter);
        }

        public static AutoencoderException Error(string source, IReadOnlyCollection<string> missing, IReadOnlyCollection<string> found,
            IEnumerable<string> modelReads, string? delimiter = null)
        {
            string list(IEnumerable<string> names, int most = 20)
            {
                var all = names.ToList();
                var shown = string.Join(", ", all.Take(most).Select(n => $"'{Shown(n)}'"));
                return all.Count > most ? $"{shown} and {all.Count - most} more" : shown;
            }
            string message = $"{source} lacks the model's column(s) {list(missing)}. The model reads {string.Join(", ", modelReads)}; " +
                (found.Count == 0 ? "the input has no columns." : $"the input has {found.Count} column(s): {list(found)}.");
            string? hint = found.Any(LooksBinary)
                ? "The file does not look like text (its header holds control characters): is it a CSV export?"
                : ArrayHint(found) ?? EncodingHint(missing, found) ?? ManyMachinesHint(missing, found) ?? Hint(found, delimiter);
            return new AutoencoderException(ErrorIds.FeatureColumnsMissing, hint == null ? message : message + " " + hint);
        }

        // A column name as a message shows it (Text.PrintableText: a binary file read as CSV went to the log as raw bytes), at
        // most 60 characters.
        private static string Shown(string name) => Text.PrintableText.Cut(name, 60);

        private static bool LooksBinary(string name) => name.Any(c => char.IsControl(c) && c != '\t');

        // A model's column with letters outside ASCII that the input has with U+FFFD or '?' in their place (a Windows-1252
        // export read as UTF-8 by Import-Csv, a file saved as ASCII), or as UTF-8 read in a Windows code page ('Ã¼' for
        // 'ü'): the encoding is wrong, not the columns.
        private static string? EncodingHint(IReadOnlyCollection<string> missing, IReadOnlyCollection<string> found)
        {
            foreach (string name in missing.Where(n => n.Any(c => c > 0x7F)))
            {
                if (found.FirstOrDefault(f => LostLetters(name, f)) is { } lost)
                    return $"The input's '{Shown(lost)}' is the model's '{Shown(name)}' with its letters outside ASCII lost: the input was read in " +
                           "another encoding than it was written in (a Windows-1252 export, as Excel's 'CSV (Comma delimited)' and Windows PowerShell " +
                           "5.1's Export-Csv write, read as UTF-8). Read it with -Encoding 1252 (Import-Csv -Encoding 1252), or the export's code " +
                           "page; if the file itself holds '?', export it again as UTF-8.";
                var utf8 = System.Text.Encoding.UTF8.GetBytes(name);
                if (found.FirstOrDefault(f => string.Equals(f, System.Text.Encoding.Latin1.GetString(utf8), StringComparison.OrdinalIgnoreCase) ||
                                              string.Equals(f, System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252)?.GetString(utf8), StringComparison.OrdinalIgnoreCase)) is { } garbled)
                    return $"The input's '{Shown(garbled)}' is the model's '{Shown(name)}' written in UTF-8 and read in a Windows code page: " +
                           "read the file as UTF-8 (leave out -Encoding).";
            }
            return null;
        }

        // Whether found is name with each letter outside ASCII replaced by U+FFFD or '?' (one for each, as a decoder does for
        // the one byte a Windows code page writes it in).
        private static bool LostLetters(string name, string found)
        {
            if (found.Length != name.Length) return false;
            bool lost = false;
            for (int i = 0; i < name.Length; i++)
            {
                if (char.ToUpperInvariant(name[i]) == char.ToUpperInvariant(found[i])) continue;
                if (name[i] <= 0x7F || (found[i] != '\uFFFD' && found[i] != '?')) return false;
                lost = true;
            }
            return lost;
        }

        // An array given as one row (Test-Anomaly -InputObject $rows): its columns are the array's own members.
        private static string? ArrayHint(IReadOnlyCollection<string> found) =>
            new[] { "Length", "LongLength", "Rank" }.All(m => found.Contains(m, StringComparer.OrdinalIgnoreCase))
                ? "The input is an array, not a row: -InputObject takes one row. Pipe the rows instead ($rows | Test-Anomaly -Model $model)."
                : null;

        // A performance counter the input holds for several machines (a relog of many): which one is meant is not known.
        private static string? ManyMachinesHint(IEnumerable<string> missing, IReadOnlyCollection<string> found)
        {
            foreach (var name in missing)
            {
                if (Features.CounterPath.Machines(name, found) is not { } machines || !Features.CounterPath.TrySplit(name, out _, out var path)) continue;
                return $"The input holds the counter '{Shown(path)}' of {machines.Count} machines ({string.Join(", ", machines.Take(5).Select(m => $"'{Shown(m)}'"))}" +
                    $"{(machines.Count > 5 ? ", ..." : "")}): a model trained on one machine's counters reads them on another machine's export " +
                    "only when that export holds one machine, and not the model's. Score each machine's columns apart, or train a model on this export.";
            }
            return null;
        }

        /// <summary>A header read with the wrong separator is one column whose name holds the others: say which separator it holds.</summary>
        public static string? Hint(IReadOnlyCollection<string> found, string? delimiter)
        {
            foreach (var name in found)
            {
                char separator = Separators.FirstOrDefault(c => name.IndexOf(c) >= 0 && c.ToString() != delimiter);
                if (separator == default) continue;
                string shown = separator == '\t' ? "\"`t\"" : $"'{separator}'";
                return $"Its header '{Shown(name)}' holds {shown}: the file is probably separated by {shown}, not '{delimiter ?? ","}'. " +
                    $"Give -Delimiter {shown}" + (separator == ';' ? " and, if its numbers have decimal commas, -Culture (for example de-DE)." : ".");
            }
            return found.Count <= 1
                ? "If the file uses another separator, give -Delimiter (and -Culture for decimal commas)."
                : null;
        }
    }
}
