using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// The names scoring adds to a row, in one place: as columns of a scored file and the scheduled job's output (in
    /// this order: <see cref="Row"/>, then <see cref="Series"/> for a sliding-window model, then <see cref="Source"/>
    /// for the job), and as the members of a scored PowerShell object.
    /// </summary>
    public static class ScoreColumns
    {
        public const string Score = "AnomalyScore";
        public const string IsAnomaly = "IsAnomaly";
        public const string TopFeature = "AnomalyTopFeature";
        public const string Explanation = "AnomalyExplanation";
        public const string Imputed = "ImputedFeatures";

        /// <summary>Scored objects only (not files): each feature's share of the error, and the top feature's share.</summary>
        public const string Contributions = "AnomalyContributions";
        public const string FeatureShare = "AnomalyFeatureShare";

        /// <summary>Sliding-window models: the calibrated likelihood (empty while a group is learning).</summary>
        public const string Probability = "AnomalyProbability";

        /// <summary>Sliding-window models: the row raised an alert (the onset of an anomalous stretch after a cool-down).</summary>
        public const string IsAlert = "IsAlert";

        /// <summary>Sliding-window models: "Scored", "WarmingUp" or "NoData" (Features.Windows.WindowStatus).</summary>
        public const string Status = "AnomalyStatus";

        /// <summary>The text of <see cref="Status"/> for a row of <paramref name="status"/>: the one place it is written.</summary>
        public static string StatusText(Windows.WindowStatus status) => status switch
        {
            Windows.WindowStatus.Scored => nameof(Windows.WindowStatus.Scored),
            Windows.WindowStatus.NoData => nameof(Windows.WindowStatus.NoData),
            _ => nameof(Windows.WindowStatus.WarmingUp),
        };

        /// <summary>A row's <see cref="Status"/> read back (any case, spaces around it); null when it is none of them.</summary>
        public static Windows.WindowStatus? ReadStatus(string? text)
        {
            text = text?.Trim();
            foreach (var status in Statuses)
                if (string.Equals(text, StatusText(status), System.StringComparison.OrdinalIgnoreCase)) return status;
            return null;
        }

        private static readonly Windows.WindowStatus[] Statuses =
            { Windows.WindowStatus.Scored, Windows.WindowStatus.WarmingUp, Windows.WindowStatus.NoData };

        /// <summary>The scheduled job: the input file and line a row came from.</summary>
        public const string SourceFile = "SourceFile";
        public const string SourceLine = "SourceLine";

        /// <summary>Every scored row's columns.</summary>
        public static readonly IReadOnlyList<string> Row = new[] { Score, IsAnomaly, TopFeature, Explanation, Imputed };

        /// <summary>The columns a sliding-window model adds after <see cref="Row"/>.</summary>
        public static readonly IReadOnlyList<string> Series = new[] { Probability, IsAlert, Status };

        /// <summary>The columns the scheduled job adds last.</summary>
        public static readonly IReadOnlyList<string> Source = new[] { SourceFile, SourceLine };

        /// <summary>The members a scored PowerShell object has beyond a file's columns.</summary>
        public static readonly IReadOnlyList<string> ObjectOnly = new[] { Contributions, FeatureShare };

        /// <summary>
        /// Every name scoring may add, to files or objects: an input that has one of them is an output of scoring, and
        /// training leaves it out of the features (<see cref="ColumnRoleRules"/>).
        /// </summary>
        public static readonly IReadOnlyList<string> All = Row.Concat(Series).Concat(Source).Concat(ObjectOnly).ToArray();

        /// <summary>The columns added to a row, in order.</summary>
        public static IReadOnlyList<string> For(bool windowed, bool source) =>
            Row.Concat(windowed ? Series : Enumerable.Empty<string>()).Concat(source ? Source : Enumerable.Empty<string>()).ToArray();

        /// <summary>
        /// Reads a number of a column scoring writes (<see cref="Score"/>, <see cref="Probability"/>) read back from a scored
        /// file (Import-Csv): in <paramref name="culture"/>, or else as the module wrote it in any culture. Scores are written
        /// round-trip ("R"), never with thousands separators, so one comma or one point, and no other, is the decimal
        /// separator: a file scored with -Culture de-DE ("0,0024") reads back without knowing its culture.
        /// </summary>
        public static NumberParser.Outcome TryReadNumber(object? value, System.Globalization.CultureInfo culture, out double number)
        {
            var outcome = NumberParser.TryRead(value, culture, out number);
            if (outcome == NumberParser.Outcome.Number || value is not string text) return outcome;
            text = text.Trim();
            int commas = text.Count(c => c == ','), points = text.Count(c => c == '.');
            if (commas + points != 1) return outcome;
            var again = NumberParser.TryRead(text.Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture, out double read);
            if (again != NumberParser.Outcome.Number) return outcome;
            number = read;
            return again;
        }

        /// <summary>
        /// The end of the message for a value of a column that is not a number in <paramref name="culture"/>: when it is a
        /// number with the other decimal separator, which -Culture reads it; else empty.
        /// </summary>
        public static string CultureHint(object? value, System.Globalization.CultureInfo culture)
        {
            if (value is not string text || UnreadNumbers.Classify(text.Trim(), culture) != UnreadNumberKind.OtherDecimal) return "";
            return UnreadNumbers.HasDecimalComma(culture)
                ? $" It is a number with a decimal point, which {Text.CultureText.Describe(culture)} does not read: give -Culture en-US (or leave -Culture out)."
                : $" It is a number with a decimal comma, which {Text.CultureText.Describe(culture)} does not read: give -Culture for the data's culture (for example de-DE).";
        }

        /// <summary>
        /// Null when a file whose columns are <paramref name="names"/> can be scored into a file that adds
        /// <paramref name="added"/> to its columns; else the OutputColumnClash error naming the columns it already has
        /// (names compared without case, as a header's are): written, the output would have two columns of one name,
        /// which Import-Csv refuses. The one rule of the scheduled job and of Test-Anomaly -OutputPath.
        /// </summary>
        public static AutoencoderException? Clash(IEnumerable<string> names, IReadOnlyList<string> added, string file)
        {
            var have = new HashSet<string>(names, System.StringComparer.OrdinalIgnoreCase);
            var clash = added.Where(have.Contains).ToArray();
            return clash.Length == 0 ? null : new AutoencoderException(ErrorIds.OutputColumnClash,
                $"File '{file}' already has the column(s) {string.Join(", ", clash)}, which scoring adds to every output row. " +
                "Is it an output of scoring? Score the original export, or rename those columns.");
        }
    }
}
