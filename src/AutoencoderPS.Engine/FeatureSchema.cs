using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoencoderPS.Engine
{
    /// <summary>
    /// The ordered list of input columns the network reads, and the rules that choose them and read them.
    /// All column-schema logic lives here.
    /// </summary>
    public sealed class FeatureSchema
    {
        /// <summary>A column counts as numeric when at least this share of its non-empty values parse.</summary>
        public const double NumericShare = 0.9;

        public FeatureSchema(IEnumerable<string> names)
        {
            Names = names.ToArray();
            if (Names.Count == 0)
                throw new AutoencoderException("NoFeatures", "A feature schema needs at least one feature.");
            var duplicate = Names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
                throw new AutoencoderException("DuplicateFeature", $"Feature '{duplicate.Key}' is listed more than once.");
        }

        public IReadOnlyList<string> Names { get; }

        public int Count => Names.Count;

        public int IndexOf(string name)
        {
            for (int i = 0; i < Names.Count; i++)
                if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }

        /// <summary>
        /// Chooses the features from training records. With <paramref name="include"/>, exactly those columns
        /// (each must exist); otherwise every column whose values are numbers, in the order first seen.
        /// <paramref name="decisions"/> says, per column, what was decided and why.
        /// </summary>
        public static FeatureSchema Infer(
            IReadOnlyList<IRecord> records,
            IReadOnlyCollection<string>? include,
            IReadOnlyCollection<string>? exclude,
            CultureInfo culture,
            out IReadOnlyList<string> decisions)
        {
            if (records.Count == 0)
                throw new AutoencoderException("EmptyTrainingInput", "No training rows were received.");

            var excluded = new HashSet<string>(exclude ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            var notes = new List<string>();
            var columns = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in records)
                foreach (var name in record.ColumnNames)
                    if (seen.Add(name)) columns.Add(name);

            List<string> chosen;
            if (include != null && include.Count > 0)
            {
                var missing = include.Where(n => !seen.Contains(n)).ToArray();
                if (missing.Length > 0)
                    throw new AutoencoderException("MissingFeatureColumn",
                        $"The training input has no column named {string.Join(", ", missing.Select(m => $"'{m}'"))}. " +
                        $"Columns present: {string.Join(", ", columns)}.");
                chosen = include.Where(n => !excluded.Contains(n))
                    .Select(n => columns.First(c => string.Equals(c, n, StringComparison.OrdinalIgnoreCase)))
                    .ToList();
                notes.Add($"Features named by the user: {string.Join(", ", chosen)}.");
            }
            else
            {
                chosen = new List<string>();
                foreach (var column in columns)
                {
                    if (excluded.Contains(column))
                    {
                        notes.Add($"Column '{column}': excluded by the user.");
                        continue;
                    }
                    int numbers = 0, texts = 0;
                    foreach (var record in records)
                    {
                        if (!record.TryGetValue(column, out var value)) continue;
                        switch (NumberParser.TryRead(value, culture, out _))
                        {
                            case NumberParser.Outcome.Number: numbers++; break;
                            case NumberParser.Outcome.NotNumeric: texts++; break;
                        }
                    }
                    if (numbers > 0 && numbers >= NumericShare * (numbers + texts))
                    {
                        chosen.Add(column);
                        notes.Add($"Column '{column}': numeric feature ({numbers} numeric values, {texts} not numeric).");
                    }
                    else
                    {
                        notes.Add($"Column '{column}': not a feature ({numbers} numeric values, {texts} not numeric).");
                    }
                }
            }

            decisions = notes;
            if (chosen.Count == 0)
                throw new AutoencoderException("NoNumericFeatures",
                    $"None of the input columns is numeric, so there is nothing to train on. Columns: {string.Join(", ", columns)}. " +
                    "Name the features with -Feature, or convert the values to numbers first.");
            return new FeatureSchema(chosen);
        }

        /// <summary>
        /// Reads one record's features into <paramref name="destination"/>. Throws
        /// <see cref="FeatureValueException"/> naming the column and value that could not be read.
        /// </summary>
        public void Featurize(IRecord record, CultureInfo culture, Span<double> destination)
        {
            for (int i = 0; i < Names.Count; i++)
            {
                string column = Names[i];
                if (!record.TryGetValue(column, out var value))
                    throw new FeatureValueException(FeatureValueProblem.MissingColumn, column, null,
                        $"column '{column}' is missing; the model needs the features {string.Join(", ", Names)}.");
                switch (NumberParser.TryRead(value, culture, out double number))
                {
                    case NumberParser.Outcome.Empty:
                        throw new FeatureValueException(FeatureValueProblem.Empty, column, value,
                            $"column '{column}' is empty.");
                    case NumberParser.Outcome.NotNumeric:
                        throw new FeatureValueException(FeatureValueProblem.NotNumeric, column, value,
                            $"column '{column}' has value '{value}', which is not a number.");
                }
                if (double.IsNaN(number) || double.IsInfinity(number))
                    throw new FeatureValueException(FeatureValueProblem.NotFinite, column, value,
                        $"column '{column}' has value '{value}', which is not a finite number.");
                destination[i] = number;
            }
        }
    }
}
