using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>The verdict on one row, and what drove it.</summary>
    public sealed class RowScore
    {
        // Set once, or again by Renew (a file's scores, reused from batch to batch): not readonly for that reason alone.
        private FeatureSchema schema;
        private double[] input;
        // Per-input errors and the network's (scaled) output live in arrays shared by the rows of one scored batch, at this
        // offset: one allocation per batch instead of two per row.
        private float[] errors;
        private int offset;
        // The row's reconstruction in original units: given, or made from the scaled output when first asked for (only
        // an explanation or Reconstruction needs it, and a scored file explains only its anomalies).
        private double[]? expected;
        private float[]? scaledOutput;
        private FeatureScaler? scaler;
        // The error per column and their total, made when first asked for (an explanation, the shares): the top feature
        // is found without them, and a scored file explains only its anomalies.
        private ColumnTotals? columns;
        // The machine whose performance counters the row was read by in place of the model's, or "" (see ReadOn).
        private string machine = "";
        private string? heldFeature, countFeature;

        internal RowScore(FeatureSchema schema, double[] input, double score, bool isAnomaly, float[] errors, float[] scaledOutput, FeatureScaler scaler, int offset) =>
            Set(schema, input, score, isAnomaly, errors, scaledOutput, scaler, offset);

        internal RowScore(FeatureSchema schema, double[] input, double score, bool isAnomaly, float[] featureErrors, double[] reconstruction)
        {
            Set(schema, input, score, isAnomaly, featureErrors, null, null, 0);
            expected = reconstruction;
        }

        /// <summary>
        /// Makes this score the verdict on another row, as if it were new: for a caller done with it before its next batch
        /// (a file's sink; AutoencoderModel.Score's transient scores), which then allocates no score per row. Scoring
        /// files on two threads, one object per row was most of what was left of the garbage, and each collection stops
        /// both threads.
        /// </summary>
        internal RowScore Renew(FeatureSchema schema, double[] input, double score, bool isAnomaly, float[] errors, float[] scaledOutput, FeatureScaler scaler, int offset)
        {
            Set(schema, input, score, isAnomaly, errors, scaledOutput, scaler, offset);
            return this;
        }

        // Every field, the lazily made ones and the verdict's later parts too (a renewed score keeps nothing of its last row).
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(schema), nameof(input), nameof(errors))]
        private void Set(FeatureSchema schema, double[] input, double score, bool isAnomaly, float[] errors, float[]? scaledOutput, FeatureScaler? scaler, int offset)
        {
            this.schema = schema;
            this.input = input;
            Score = score;
            IsAnomaly = isAnomaly;
            this.errors = errors;
            this.offset = offset;
            this.scaledOutput = scaledOutput;
            this.scaler = scaler;
            expected = null;
            columns = null;
            Probability = null;
            IsAlert = false;
            machine = "";
            heldFeature = null;
            HeldValue = 0;
            HeldRows = 0;
            HeldInTraining = 0;
            countFeature = null;
            CountTotal = 0;
            CountRows = 0;
            CountExpected = 0;
            CountLimit = 0;
            // The first column with the largest error (a NaN is never larger); never the window time's calendar (IsCalendar).
            int top = -1;
            double most = 0;
            for (int c = 0; c < schema.Count; c++)
            {
                if (schema.IsCalendar(c)) continue;
                double sum = ColumnError(c);
                if (top < 0 || sum > most)
                {
                    top = c;
                    most = sum;
                }
            }
            TopFeature = Math.Max(0, top);
        }

        // A column's error: the sum over its inputs.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private double ColumnError(int c)
        {
            int first = offset + schema.FirstSlot(c);
            int width = schema.WidthOf(c);
            double sum = 0;
            for (int k = 0; k < width; k++) sum += errors[first + k];
            return sum;
        }

        private sealed class ColumnTotals
        {
            public ColumnTotals(double[] errors, double total)
            {
                Errors = errors;
                Total = total;
            }

            public double[] Errors { get; }
            public double Total { get; }
        }

        // Made once (two threads asking at once make the same numbers).
        private ColumnTotals Columns()
        {
            var made = columns;
            if (made == null)
            {
                var sums = new double[schema.Count];
                double total = 0;
                for (int c = 0; c < sums.Length; c++)
                {
                    sums[c] = ColumnError(c);
                    total += sums[c];
                }
                made = new ColumnTotals(sums, total);
                columns = made;
            }
            return made;
        }

        // The row's reconstruction in original units (made once; two threads asking at once make the same numbers).
        private ReadOnlySpan<double> Expected()
        {
            var values = expected;
            if (values == null)
            {
                values = new double[schema.Width];
                int rowWidth = scaler!.Count;
                // A window's input j is its row's feature j mod the row width.
                for (int j = 0; j < values.Length; j++) values[j] = scaler.Inverse(j % rowWidth, scaledOutput![offset + j]);
                expected = values;
            }
            return values;
        }

        /// <summary>Reconstruction error in the model's loss (mean over network inputs, in scaled units).</summary>
        public double Score { get; private set; }

        /// <summary>
        /// True when <see cref="Score"/> is above the model's threshold (or is not a number); with a calibration
        /// (Scoring.RowVerdicts), when <see cref="Probability"/> is at least its threshold.
        /// </summary>
        public bool IsAnomaly { get; internal set; }

        /// <summary>The anomaly likelihood of the row against its group's recent errors (0-1); null without calibration or while it learns.</summary>
        public double? Probability { get; internal set; }

        /// <summary>True when the row raised an alert (the onset of an anomalous stretch after the cool-down; Scoring.AlertTracker).</summary>
        public bool IsAlert { get; internal set; }

        /// <summary>
        /// Index (in the schema's columns) of the feature that drove the verdict: the one with the largest error, or,
        /// in a window where a feature is stuck (<see cref="HeldFeature"/>), that feature at the window's last row.
        /// </summary>
        public int TopFeature { get; private set; }

        /// <summary>
        /// The feature that held one value through the whole window, longer than anything seen in training (a stuck
        /// sensor, <see cref="HeldValues"/>): the window is an anomaly whatever its error. Null when none did.
        /// </summary>
        public string? HeldFeature => heldFeature == null ? null : Features.CounterPath.OnMachine(heldFeature, machine);

        /// <summary>The value <see cref="HeldFeature"/> held.</summary>
        public double HeldValue { get; private set; }

        /// <summary>The rows it held it for (the window size).</summary>
        public int HeldRows { get; private set; }

        /// <summary>The most consecutive training rows in which that feature held one value.</summary>
        public int HeldInTraining { get; private set; }

        internal void MarkHeld(int column, string feature, double value, int rows, int inTraining)
        {
            TopFeature = column;
            heldFeature = feature;
            HeldValue = value;
            HeldRows = rows;
            HeldInTraining = inTraining;
            IsAnomaly = true;
        }

        /// <summary>
        /// The sparse count whose total over the window is a burst at the rate training saw (<see cref="CountBursts"/>):
        /// the window is an anomaly whatever its error. Null when none was.
        /// </summary>
        public string? CountFeature => countFeature == null ? null : Features.CounterPath.OnMachine(countFeature, machine);

        /// <summary>The events <see cref="CountFeature"/> counted in the window's rows.</summary>
        public double CountTotal { get; private set; }

        /// <summary>The window's rows.</summary>
        public int CountRows { get; private set; }

        /// <summary>The events training's rate expects in a window.</summary>
        public double CountExpected { get; private set; }

        /// <summary>The smallest total that is a burst (one window a year at the training rate).</summary>
        public int CountLimit { get; private set; }

        internal void MarkCount(int column, string feature, double total, int rows, double expected, int limit)
        {
            TopFeature = column;
            countFeature = feature;
            CountTotal = total;
            CountRows = rows;
            CountExpected = expected;
            CountLimit = limit;
            IsAnomaly = true;
        }

        /// <summary>
        /// The machine whose performance counters the row was read by in place of the model's (a model trained on WEB01
        /// scoring WEB02's export: <see cref="Features.CounterPath"/>), or "": the names this score gives its features
        /// (<see cref="NameOf"/>, the explanation, the held or counted feature) are that machine's, as the row's own
        /// columns name them, so an alert on WEB02 never names WEB01.
        /// </summary>
        public string ReadOn => machine;

        internal void ReadAs(string inputMachine) => machine = inputMachine;

        /// <summary>The name of feature <paramref name="column"/> (of the schema scored) as the row's input names it.</summary>
        public string NameOf(int column) => Features.CounterPath.OnMachine(schema.Columns[column].Name, machine);

        /// <summary>Per-input error in scaled units, times its feature's weight when the model has them (<see cref="ErrorWeights"/>), in slot order.</summary>
        public IReadOnlyList<float> FeatureErrors => new ArraySegment<float>(errors, offset, schema.Width);

        /// <summary>Error per feature column (sum over its inputs), in column order.</summary>
        public IReadOnlyList<double> ColumnErrors => Columns().Errors;

        /// <summary>The network's reconstruction in original units, in slot order.</summary>
        public IReadOnlyList<double> Reconstruction => Expected().ToArray();

        /// <summary>Each feature's share of the row's reconstruction error (0-1), in column order.</summary>
        public IReadOnlyList<double> Shares
        {
            get
            {
                var shares = new double[schema.Count];
                for (int c = 0; c < shares.Length; c++) shares[c] = ShareOf(c);
                return shares;
            }
        }

        private double ShareOf(int column)
        {
            var totals = Columns();
            return totals.Total > 0 ? totals.Errors[column] / totals.Total : 0.0;
        }

        // The columns with the largest errors, largest first (ties keep column order): a partial selection, as
        // -ExplainAll explains every row of a file, so no sorting of all columns.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private int TopColumns(int count, Span<int> top)
        {
            count = Math.Min(Math.Max(0, count), schema.Count);
            var columnErrors = Columns().Errors;
            int found = 0;
            for (int c = 0; c < schema.Count; c++)
            {
                if (schema.IsCalendar(c)) continue;
                int at = found < count ? found++ : count;
                if (at == count && (count == 0 || columnErrors[c] <= columnErrors[top[count - 1]])) continue;
                if (at == count) at = count - 1;
                while (at > 0 && columnErrors[top[at - 1]] < columnErrors[c]) { top[at] = top[at - 1]; at--; }
                top[at] = c;
            }
            return found;
        }

        /// <summary>The <paramref name="count"/> features with the largest share of the error, largest first.</summary>
        public IReadOnlyList<FeatureContribution> TopContributions(int count)
        {
            var top = new int[Math.Min(Math.Max(0, count), schema.Count)];
            count = TopColumns(count, top);
            var result = new FeatureContribution[count];
            for (int k = 0; k < count; k++)
            {
                int c = top[k];
                result[k] = new FeatureContribution(
                    NameOf(c),
                    ShareOf(c),
                    schema.Describe(c, input),
                    schema.Describe(c, Expected()));
            }
            return result;
        }

        /// <summary>"cpu_pct 97 (expected 35.2, 71%); ..." for the top <paramref name="count"/> features.</summary>
        public string Explain(int count, CultureInfo culture)
        {
            var text = new CharBuffer(64 * Math.Min(Math.Max(1, count), 8));
            AppendExplanation(text, count, culture);
            return text.ToString();
        }

        /// <summary>
        /// Whether a file the module writes (a scored file, the scheduled job's output) gives this row its explanation:
        /// an anomaly always, a normal row only with <paramref name="everyRow"/> (-ExplainAll). On a normal row it says
        /// nothing an operator acts on, yet it made nearly half of a scored file's bytes; the top feature is written on
        /// every row. Scored objects explain every row.
        /// </summary>
        internal bool ExplainedInFile(bool everyRow) => everyRow || IsAnomaly;

        /// <summary>
        /// Appends the text of <see cref="Explain"/> to <paramref name="text"/>, formatting numbers in place: an output
        /// file may explain every row, so this builds no contribution objects, boxed values or strings.
        /// </summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal void AppendExplanation(CharBuffer text, int count, CultureInfo culture)
        {
            if (HeldFeature != null)
            {
                // Said first: the error alone did not make this window an anomaly.
                text.Append(HeldFeature);
                text.Append(" stuck at ");
                FeatureContribution.AppendNumber(text, HeldValue, culture);
                text.Append(" for ");
                text.AppendWhole(HeldRows, culture);
                text.Append(" rows (in training at most ");
                text.AppendWhole(HeldInTraining, culture);
                text.Append(')');
                if (count > 0) text.Append("; ");
            }
            if (CountFeature != null)
            {
                // "errors counted 31 in 24 rows (expected 0.72; 9 or more once a year)": the error alone did not decide either.
                text.Append(CountFeature);
                text.Append(" counted ");
                FeatureContribution.AppendNumber(text, CountTotal, culture);
                text.Append(" in ");
                text.AppendWhole(CountRows, culture);
                text.Append(" rows (expected ");
                FeatureContribution.AppendNumber(text, CountExpected, culture);
                text.Append("; ");
                text.AppendWhole(CountLimit, culture);
                text.Append(" or more once a year)");
                if (count > 0) text.Append("; ");
            }
            int wanted = Math.Min(Math.Max(0, count), schema.Count);
            Span<int> top = wanted <= 32 ? stackalloc int[32].Slice(0, wanted) : new int[wanted];
            count = TopColumns(count, top);
            for (int k = 0; k < count; k++)
            {
                int c = top[k];
                // A feature whose share rounds to 0 % explains nothing: the list stops there (the first is always named).
                if (k > 0 && ShareOf(c) < 0.005) break;
                var column = schema.Columns[c];
                if (k > 0) text.Append("; ");
                text.Append(NameOf(c));
                // A counter's numbers are its rate, not the level the row holds.
                text.Append(column.IsCounter ? " rate " : " ");
                if (column.Role == ColumnRole.Numeric)
                {
                    int slot = schema.FirstSlot(c);
                    FeatureContribution.AppendPair(text, input[slot], " (expected ", Expected()[slot], culture);
                }
                else
                {
                    text.Append(FeatureContribution.Format(schema.Describe(c, input), culture));
                    text.Append(" (expected ");
                    text.Append(FeatureContribution.Format(schema.Describe(c, Expected()), culture));
                }
                text.Append(", ");
                text.AppendWhole(ShareOf(c) * 100, culture);
                text.Append("%)");
            }
        }
    }

    /// <summary>One feature's part in a row's reconstruction error, with observed and expected values in original units.</summary>
    public sealed class FeatureContribution
    {
        public FeatureContribution(string feature, double share, object observed, object expected)
        {
            Feature = feature;
            Share = share;
            Observed = observed;
            Expected = expected;
        }

        public string Feature { get; }

        /// <summary>Share of the row's reconstruction error, 0-1.</summary>
        public double Share { get; }

        public object Observed { get; }
        public object Expected { get; }

        public override string ToString() => ToString(CultureInfo.InvariantCulture);

        public string ToString(CultureInfo culture)
        {
            var (observed, expected) = FormatPair(Observed, Expected, culture);
            return $"{Feature} {observed} (expected {expected}, {(Share * 100).ToString("0", culture)}%)";
        }

        /// <summary>Numbers with up to 4 significant digits, so "97" and "35.2" read naturally.</summary>
        public static string Format(object value, CultureInfo culture) => value switch
        {
            double d => Math.Abs(d) < 1e-4 ? 0.0.ToString(culture) : d.ToString(NumberFormat(d), culture),
            _ => Convert.ToString(value, culture) ?? "",
        };

        /// <summary>
        /// Observed and expected as <see cref="Format"/> writes them, except that two numbers that differ in the network's
        /// precision never read the same: where they would (20.001 against 20, 12345.4 against 12345.1, 5e-5 against 0),
        /// both get as many significant digits as it takes to tell them apart. A flat line that moved by a thousandth
        /// alerted with "value (t) 20 (expected 20, 100%)", hiding the change it was flagged for.
        /// </summary>
        public static (string Observed, string Expected) FormatPair(object observed, object expected, CultureInfo culture)
        {
            string o = Format(observed, culture), e = Format(expected, culture);
            if (o == e && observed is double a && expected is double b && Apart(a, b, culture) is var (x, y)) return (x, y);
            return (o, e);
        }

        /// <summary>
        /// <see cref="AppendNumber"/> of <paramref name="observed"/>, then <paramref name="between"/>, then of
        /// <paramref name="expected"/>, as <see cref="FormatPair"/> reads them.
        /// </summary>
        internal static void AppendPair(CharBuffer text, double observed, string between, double expected, CultureInfo culture)
        {
            int start = text.Length;
            AppendNumber(text, observed, culture);
            int observedLength = text.Length - start;
            text.Append(between);
            int expectedStart = text.Length;
            AppendNumber(text, expected, culture);
            if (text.Span.Slice(start, observedLength).SequenceEqual(text.Span.Slice(expectedStart)) && Apart(observed, expected, culture) is var (x, y))
            {
                text.Truncate(start);
                text.Append(x);
                text.Append(between);
                text.Append(y);
            }
        }

        // Up to 9 significant digits, the most a single-precision number needs to be read back exactly: a difference
        // beyond them is no difference a reader could act on (20 against 20.000000000000004 reads "20" against "20", as
        // before). How close an expectation comes depends on the column's scale, not on this count.
        private const int MostDigits = 9;

        // The two numbers with the fewest significant digits beyond four that tell them apart; null when none up to
        // MostDigits does, or either is not a finite number.
        private static (string, string)? Apart(double a, double b, CultureInfo culture)
        {
            if (a == b || !double.IsFinite(a) || !double.IsFinite(b)) return null;
            for (int digits = 5; digits <= MostDigits; digits++)
            {
                string format = "G" + digits.ToString(CultureInfo.InvariantCulture);
                string x = a.ToString(format, culture), y = b.ToString(format, culture);
                if (x != y) return (x, y);
            }
            return null;
        }

        private static string NumberFormat(double d) => Math.Abs(d) >= 10000 ? "0" : "G4";

        /// <summary>What <see cref="Format"/> gives for a number, appended without a string.</summary>
        internal static void AppendNumber(CharBuffer text, double d, CultureInfo culture)
        {
            if (Math.Abs(d) < 1e-4) text.Append(0.0, null, culture);
            else if (!text.TryAppendG4(d, culture)) text.Append(d, NumberFormat(d), culture);
        }
    }
}
