using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Csv;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>What a column of a <see cref="RandomTable"/> holds.</summary>
    internal enum RandomColumnKind { Numeric, Categorical, Timestamp }

    /// <summary>
    /// A random export for FsCheck properties: numeric, categorical and timestamp columns with missing values, as
    /// typed values (what the pipeline passes: double, int, DateTime, string, null) or as the text Import-Csv or a CSV
    /// file gives. The first row has no missing value, so every column has something to learn from.
    /// </summary>
    internal sealed class RandomTable
    {
        public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
        public static readonly DateTime Start = new DateTime(2026, 3, 2, 0, 0, 0);

        // Categories include case variants, spaces, a comma and a quote (quoted in CSV), and non-ASCII text.
        private static readonly string[] CategoryPool = { "alpha", "beta", "ERROR", "error", "naïve", "a b", "x,y", "say \"hi\"", "日本" };
        private static readonly object?[] MissingPool = { null, "", " ", "NA", "N/A", "null", "NaN" };

        public RandomTable(string[] names, RandomColumnKind[] kinds, List<object?[]> rows)
        {
            Names = names;
            Kinds = kinds;
            Rows = rows;
        }

        public string[] Names { get; }
        public RandomColumnKind[] Kinds { get; }
        public List<object?[]> Rows { get; }

        /// <summary>Random tables. <paramref name="extremes"/> adds numbers near the ends of the double range, -0 and subnormals.</summary>
        public static Gen<RandomTable> Generator(int minRows, int maxRows, int maxNumeric, int maxCategorical, bool extremes)
        {
            var columns =
                from numeric in Gen.Choose(1, maxNumeric)
                from categorical in Gen.Choose(0, maxCategorical)
                from timestamp in Gen.Elements(false, true)
                from order in Gen.Shuffle(Enumerable.Repeat(RandomColumnKind.Numeric, numeric)
                    .Concat(Enumerable.Repeat(RandomColumnKind.Categorical, categorical))
                    .Concat(Enumerable.Repeat(RandomColumnKind.Timestamp, timestamp ? 1 : 0)))
                select order;
            return
                from kinds in columns
                from cells in Gen.CollectToArray(kinds, kind => ColumnGenerator(kind, extremes))
                from missingShare in Gen.Elements(0.0, 0.05, 0.2)
                from count in Gen.Choose(minRows, maxRows)
                from rows in Gen.ArrayOf(Gen.CollectToArray(cells.Select(c => missingShare == 0 ? c : Gen.Frequency(
                    ((int)(100 * (1 - missingShare)), c),
                    ((int)(100 * missingShare), Gen.Elements(MissingPool))))), count)
                from first in Gen.CollectToArray(cells)
                select new RandomTable(
                    kinds.Select((k, j) => k switch
                    {
                        RandomColumnKind.Numeric => $"num{j}",
                        RandomColumnKind.Categorical => $"cat {j}",
                        _ => $"when{j}",
                    }).ToArray(),
                    kinds,
                    rows.Skip(1).Prepend(first).ToList());
        }

        // A column's values: the generator is chosen once per column (a categorical column draws its categories once).
        private static Gen<Gen<object?>> ColumnGenerator(RandomColumnKind kind, bool extremes)
        {
            switch (kind)
            {
                case RandomColumnKind.Numeric:
                    var ordinary = Gen.OneOf(
                        Gen.Choose(-1_000_000, 1_000_000).Select(i => (object?)(i / 1000.0)),
                        Gen.Choose(-50, 50).Select(i => (object?)i),
                        Gen.Choose(0, 1000).Select(i => (object?)(i * 0.1 + 1e-7)));
                    if (!extremes) return Gen.Constant(ordinary);
                    return Gen.Constant(Gen.Frequency(
                        (6, ordinary),
                        (1, Gen.Elements<object?>(-0.0, 5e-324, -2.2250738585072014e-308, 1e300, -1.7976931348623157e308, 123456789012345.67))));
                case RandomColumnKind.Categorical:
                    return
                        from size in Gen.Choose(1, 4)
                        from pool in Gen.Shuffle(CategoryPool)
                        select Gen.Elements(pool.Take(size).Select(c => (object?)c).ToArray());
                default:
                    // Minutes over two weeks, with milliseconds and odd ticks: sub-second parts must survive as well.
                    return Gen.Constant(
                        from minutes in Gen.Choose(0, 14 * 24 * 60)
                        from milliseconds in Gen.Choose(0, 59_999)
                        from ticks in Gen.Choose(0, 9_999)
                        select (object?)Start.AddMinutes(minutes).AddTicks(milliseconds * 10_000L + ticks));
            }
        }

        public static Arbitrary<RandomTable> Arbitrary(int minRows, int maxRows, int maxNumeric, int maxCategorical, bool extremes) =>
            Arb.From(Generator(minRows, maxRows, maxNumeric, maxCategorical, extremes));

        /// <summary>A value as Import-Csv gives it: round-trip text in the invariant culture, "" for null.</summary>
        public static string Text(object? value) => value switch
        {
            null => "",
            double d => d.ToString("R", Culture),
            int i => i.ToString(Culture),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.fffffff", Culture),
            _ => (string)value,
        };

        /// <summary>The rows as records: typed values, or all text when <paramref name="asText"/>.</summary>
        public List<IRecord> Records(bool asText) =>
            Rows.Select(r => (IRecord)new TestRecord(Names.Select((n, j) => (n, asText ? Text(r[j]) : r[j])).ToArray())).ToList();

        /// <summary>The table as a CSV file: a header, then one line per row, fields quoted where they need it.</summary>
        public string Csv()
        {
            // An empty value alone on its line would be a blank line, which CSV readers skip: quote it then.
            string Field(string s) =>
                s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || s != s.Trim() || (s.Length == 0 && Names.Length == 1)
                    ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
            var text = new StringBuilder();
            text.Append(string.Join(",", Names.Select(Field))).Append('\n');
            foreach (var row in Rows)
                text.Append(string.Join(",", row.Select(v => Field(Text(v))))).Append('\n');
            return text.ToString();
        }

        /// <summary>Writes <see cref="Csv"/> to <paramref name="path"/> and reads it back as CSV records.</summary>
        public List<CsvRecord> ReadAsCsv(string path)
        {
            File.WriteAllText(path, Csv(), new UTF8Encoding(false));
            return CsvSource.Read(path, new CsvInputOptions { Culture = Culture, Delimiter = "," }).ToList();
        }

        public override string ToString() => $"{Rows.Count} rows of {string.Join(", ", Names.Zip(Kinds, (n, k) => $"{n} ({k})"))}:\n{Csv()}";
    }
}
