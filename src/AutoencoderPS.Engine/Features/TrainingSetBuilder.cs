using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Collects training rows for a schema whose roles are known but whose statistics are not yet: each row is
    /// checked as it arrives (so bad values are reported at once) and kept compactly, one number per column.
    /// <see cref="Build"/> then learns medians and categories from all rows and produces the network inputs,
    /// imputing missing values.
    /// </summary>
    public sealed class TrainingSetBuilder
    {
        private readonly FeatureSchema roles;
        private readonly CultureInfo culture;
        private readonly MissingValuePolicy policy;
        private readonly List<double[]> rows = new List<double[]>();
        private readonly Dictionary<string, int>[] categoryIds;
        private readonly List<string>[] categoryNames;
        private readonly List<int>[] categoryCounts;

        public TrainingSetBuilder(FeatureSchema roles, CultureInfo culture, MissingValuePolicy policy)
        {
            this.roles = roles;
            this.culture = culture;
            this.policy = policy;
            int n = roles.Count;
            categoryIds = Enumerable.Range(0, n).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
            categoryNames = Enumerable.Range(0, n).Select(_ => new List<string>()).ToArray();
            categoryCounts = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        }

        public int Count => rows.Count;

        /// <summary>The columns and roles rows are read by (not fitted).</summary>
        public FeatureSchema Roles => roles;

        /// <summary>
        /// Checks and keeps one row; throws <see cref="FeatureValueException"/> (the row is then not kept). Returns false,
        /// and keeps nothing, for a row that holds no measurement (<see cref="FeatureSchema.HoldsNoMeasurement(int)"/>: no
        /// feature but a timestamp has a value): there is nothing in it to learn, and its features' medians are not a row that was seen.
        /// </summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool Add(IRecord record)
        {
            // A file's row whose fields don't fit its header would be read by position under the wrong columns.
            Csv.CsvRecord.ThrowIfMisshapen(record);
            var compact = new double[roles.Count];
            var newCategories = new List<(int column, string name)>();
            int missingValues = 0;
            for (int i = 0; i < roles.Count; i++)
            {
                var column = roles.Columns[i];
                // An object without the property: a missing value (FeatureSchema.AbsentIsMissing); a file's row can't lack it.
                if (!roles.TryGetFeature(record, i, out var value))
                {
                    if ((record is Csv.CsvRecord || !roles.AbsentIsMissing(i)) && !roles.IsWindowTime(i))
                        throw new FeatureValueException(FeatureValueProblem.MissingColumn, column.Name, null,
                            $"column '{column.Name}' is missing; the model needs the features {string.Join(", ", roles.Names)}.");
                    value = null;
                }
                switch (column.Role)
                {
                    case ColumnRole.Numeric:
                        var outcome = NumberParser.TryRead(value, culture, out double number);
                        if (outcome == NumberParser.Outcome.NotNumeric)
                            throw FeatureValueException.NotANumber(column.Name, value, culture);
                        if (outcome == NumberParser.Outcome.Empty)
                        {
                            RejectMissing(column, value);
                            missingValues++;
                        }
                        compact[i] = outcome == NumberParser.Outcome.Number ? number : double.NaN;
                        break;
                    case ColumnRole.Categorical:
                        string? category = FeatureSchema.CategoryOf(value, culture);
                        if (category == null)
                        {
                            RejectMissing(column, value);
                            compact[i] = double.NaN;
                            missingValues++;
                        }
                        else if (categoryIds[i].TryGetValue(category, out int id))
                            compact[i] = id;
                        else
                        {
                            newCategories.Add((i, category));
                            compact[i] = -1 - newCategories.Count; // placeholder until the row is accepted
                        }
                        break;
                    case ColumnRole.Timestamp:
                        if (TimestampParser.TryRead(value, culture, out var t))
                            compact[i] = TicksAsSlot(t.Ticks);
                        // The window's time: its key reports a missing or unreadable one (FeatureSchema.IsWindowTime).
                        else if (roles.IsWindowTime(i))
                            compact[i] = double.NaN;
                        else if (value == null || value is string s && NumberParser.IsMissingMarker(s))
                        {
                            RejectMissing(column, value);
                            compact[i] = double.NaN;
                        }
                        else
                            throw FeatureValueException.NotATime(column.Name, value, culture);
                        break;
                }
            }

            if (roles.HoldsNoMeasurement(missingValues)) return false;

            // The row is good: register its new categories and count every category it uses.
            for (int k = 0; k < newCategories.Count; k++)
            {
                var (column, name) = newCategories[k];
                if (!categoryIds[column].TryGetValue(name, out int id))
                {
                    id = categoryNames[column].Count;
                    categoryIds[column][name] = id;
                    categoryNames[column].Add(name);
                    categoryCounts[column].Add(0);
                }
                compact[column] = id;
            }
            for (int i = 0; i < roles.Count; i++)
                if (roles.Columns[i].Role == ColumnRole.Categorical && !double.IsNaN(compact[i]))
                    categoryCounts[i][(int)compact[i]]++;
            rows.Add(compact);
            return true;
        }

        /// <summary>The fitted schema and the training rows as network inputs (original units), with imputation.</summary>
        /// <remarks>
        /// A sliding-window model's counters (<see cref="FeatureColumn.IsCounter"/>) need the rows' <paramref name="keys"/>
        /// (one per row kept, in the order added): their levels become rates before any statistic is taken, so the median
        /// that fills in a missing rate is a rate. A rate that can't be taken (a group's first row) is filled in like a
        /// missing value. A counter is told from the first rows (<see cref="FeatureSchema.Infer(IReadOnlyList{IRecord}, IReadOnlyCollection{string}?, IReadOnlyCollection{string}?, CultureInfo, out IReadOnlyList{string}, out IReadOnlyList{IgnoredColumn}, bool, IReadOnlyDictionary{string, string}?, bool, string?, string?, TimeZoneInfo?, IEnumerable{IReadOnlyList{string}}?, bool)"/>);
        /// one whose numbers fall on more than one training row in a hundred (the rule's resets) was a gauge that rose
        /// through those rows: it is read as a level (<see cref="TrainingSet.NotCounters"/>).
        /// <para>weekGate: the calendar of the window's time (<see cref="FeatureSchema.WindowTime"/>) is provisional (-TimeFeatures not given):
        /// kept only when all the training rows' week has a shape (<see cref="WeekShape"/>, after counters became rates), else
        /// dropped; the decision is <see cref="TrainingSet.CalendarGate"/>. The rows of every group are pooled, as one scaling
        /// sees them (fleet-wide); with <paramref name="gatePerGroup"/> (a model scaled per group) each group of
        /// <paramref name="keys"/> is judged in its own noise, as the network will see it in its own units.</para>
        /// </remarks>
        public TrainingSet Build(int threads = 1, IReadOnlyList<WindowKey>? keys = null, IReadOnlyList<int>? leftOutBefore = null, bool weekGate = false,
            bool gatePerGroup = false)
        {
            if (rows.Count == 0)
                throw new AutoencoderException(ErrorIds.EmptyTrainingInput, "No usable training rows were received.");
            var counters = CounterRates.CounterColumns(roles);
            var notCounters = new List<string>();
            if (counters.Length > 0)
            {
                if (keys == null) throw new ArgumentException("Counters are turned into rates by the rows' window keys.", nameof(keys));
                if (keys.Count != rows.Count) throw new ArgumentException("One window key per row.", nameof(keys));
                var order = CounterRates.TimeOrder(keys);
                counters = counters.Where(c =>
                {
                    // The counter rule on every training row, each group in time order.
                    var grouped = new GroupedNumbers();
                    foreach (int i in order) grouped.Add(keys[i].Group, rows[i][c]);
                    var numbers = grouped.Merged;
                    if (100 * numbers.Decreases <= numbers.Count) return true;
                    levels.Add(c);
                    notCounters.Add(FormattableString.Invariant($"{roles.Columns[c].Name} (fell on {numbers.Decreases} of {numbers.Count} rows)"));
                    return false;
                }).ToArray();
                // Compact rows hold one number per column: the counters' columns are their places. NaN where no rate.
                if (counters.Length > 0) new CounterRates(counters).ToRates(rows, keys, order, (_, _) => { }, leftOutBefore);
            }
            // The gate reads the calendar's own times (the clock time as written) and the features as the model reads them.
            WeekShape? gate = weekGate && roles.WindowTime != null ? CalendarGate(gatePerGroup ? keys : null) : null;
            int dropped = weekGate && roles.WindowTime != null && gate is not { On: true } ? roles.IndexOf(roles.WindowTime) : -1;
            // Each column's statistics on its own (a sort of its values), on up to `threads` threads: the same columns.
            var columns = new FeatureColumn[roles.Count];
            ColumnParallel.For(roles.Count, rows.Count, threads, i => columns[i] = FitColumn(i));
            // The schema's columns, by their places in the compact rows (all of them, but a calendar the gate dropped).
            var source = Enumerable.Range(0, roles.Count).Where(i => i != dropped).ToArray();
            var fitted = source.Select(i => columns[i]).ToList();
            var schema = new FeatureSchema(fitted, roles.Ignored, roles.LogWindowInterval, dropped >= 0 ? null : roles.WindowTime);
            var inputs = new List<double[]>(rows.Count);
            var imputed = new ImputedCells();
            for (int r = 0; r < rows.Count; r++)
            {
                var compact = rows[r];
                var slots = new double[schema.Width];
                for (int i = 0; i < schema.Count; i++)
                {
                    var c = schema.Columns[i];
                    var target = slots.AsSpan(schema.FirstSlot(i), c.Width);
                    double v = compact[source[i]];
                    if (double.IsNaN(v)) imputed.Add(r, i);
                    switch (c.Role)
                    {
                        case ColumnRole.Numeric:
                            target[0] = double.IsNaN(v) ? c.Median!.Value : v;
                            break;
                        case ColumnRole.Categorical:
                            string name = double.IsNaN(v) ? c.Mode! : categoryNames[source[i]][(int)v];
                            int index = IndexOf(c.Categories, name);
                            target[index < 0 ? c.Categories.Count : index] = 1;
                            break;
                        default:
                            if (!double.IsNaN(v)) TimestampParser.Encode(new DateTime(SlotAsTicks(v)), target);
                            break;
                    }
                }
                inputs.Add(slots);
            }
            return new TrainingSet(schema, inputs, imputed, notCounters, gate);
        }

        // The week-shape gate on every kept row: each numeric feature (a counter's rate) against the calendar's time, each
        // group (the rows' keys; without them, one) in its own noise.
        private WeekShape? CalendarGate(IReadOnlyList<WindowKey>? keys)
        {
            int time = roles.IndexOf(roles.WindowTime!);
            var timed = Enumerable.Range(0, rows.Count).Where(r => !double.IsNaN(rows[r][time])).ToArray();
            var times = timed.Select(r => new DateTime(SlotAsTicks(rows[r][time]))).ToArray();
            var groups = keys == null ? null : timed.Select(r => keys[r].Group).ToArray();
            return WeekShape.Decide(Enumerable.Range(0, roles.Count)
                .Where(i => roles.Columns[i].Role == ColumnRole.Numeric)
                .Select(i => (roles.Columns[i].Name, (IReadOnlyList<DateTime>)times, (IReadOnlyList<double>)timed.Select(r => rows[r][i]).ToArray())), groups);
        }

        // Columns inferred as counters whose training rows say otherwise (Build): read as levels.
        private readonly HashSet<int> levels = new HashSet<int>();

        // Column i's fitted form: its statistics (numeric: median, spread, range; categorical: the kept categories).
        private FeatureColumn FitColumn(int i)
        {
            var c = roles.Columns[i];
            var present = PresentValues(i);
            int missing = rows.Count - present.Length;
            switch (c.Role)
            {
                case ColumnRole.Numeric:
                {
                    if (present.Length == 0)
                        throw new AutoencoderException(ErrorIds.EmptyFeatureColumn, c.IsCounter
                            ? $"Column '{c.Name}' (a cumulative counter) has no two rows of one group to take its rate from in the training rows."
                            : $"Column '{c.Name}' has no values in the training rows.");
                    // Sorted, and summed in that order, as before (the sums, and so the statistics, are the same to the bit).
                    Statistics.SortInPlace(present);
                    double sum = 0;
                    foreach (double v in present) sum += v;
                    double mean = sum / present.Length;
                    double squares = 0;
                    foreach (double v in present) squares += (v - mean) * (v - mean);
                    return new FeatureColumn(c.Name, c.Role, median: Numerics.Statistics.MedianOfSorted(present), counter: c.IsCounter && !levels.Contains(i), statistics: new ColumnStatistics
                    {
                        Count = rows.Count,
                        Missing = missing,
                        Min = present[0],
                        Max = present[^1],
                        Mean = mean,
                        StandardDeviation = Math.Sqrt(squares / present.Length),
                    });
                }
                case ColumnRole.Categorical:
                {
                    if (categoryNames[i].Count == 0)
                        throw new AutoencoderException(ErrorIds.EmptyFeatureColumn, $"Column '{c.Name}' has no values in the training rows.");
                    var byFrequency = Enumerable.Range(0, categoryNames[i].Count)
                        .OrderByDescending(id => categoryCounts[i][id])
                        .ThenBy(id => categoryNames[i][id], StringComparer.Ordinal)
                        .ToList();
                    var kept = byFrequency.Take(FeatureSchema.MaxCategories).Select(id => categoryNames[i][id])
                        .OrderBy(name => name, StringComparer.Ordinal).ToList();
                    return new FeatureColumn(c.Name, c.Role, kept, mode: categoryNames[i][byFrequency[0]], statistics: new ColumnStatistics
                    {
                        Count = rows.Count,
                        Missing = missing,
                        Distinct = categoryNames[i].Count,
                    });
                }
                default:
                    return new FeatureColumn(c.Name, c.Role, statistics: new ColumnStatistics
                    {
                        Count = rows.Count,
                        Missing = missing,
                        First = present.Length > 0 ? new DateTime(present.Min(SlotAsTicks)) : null,
                        Last = present.Length > 0 ? new DateTime(present.Max(SlotAsTicks)) : null,
                    });
            }
        }

        private void RejectMissing(FeatureColumn column, object? value)
        {
            if (policy == MissingValuePolicy.Reject)
                throw new FeatureValueException(FeatureValueProblem.Empty, column.Name, value,
                    value == null || value is string s && s.Trim().Length == 0
                        ? $"column '{column.Name}' is empty."
                        : $"column '{column.Name}' has the missing value '{value}'.");
        }

        private static int IndexOf(IReadOnlyList<string> categories, string name)
        {
            for (int k = 0; k < categories.Count; k++)
                if (string.Equals(categories[k], name, StringComparison.Ordinal)) return k;
            return -1;
        }

        // A timestamp is kept as the bits of its ticks, not as their value: a double holds ticks only to about 13 µs, so
        // training would see another time than scoring does (and DateTime.MaxValue would round past its range). Ticks
        // are below 2^62, so their bits are never a NaN, which marks a missing value.
        private static double TicksAsSlot(long ticks) => BitConverter.Int64BitsToDouble(ticks);

        private static long SlotAsTicks(double slot) => BitConverter.DoubleToInt64Bits(slot);

        /// <summary>Column <paramref name="i"/>'s values in the kept rows, missing ones (NaN) left out.</summary>
        private double[] PresentValues(int i)
        {
            int count = 0;
            foreach (var row in rows)
                if (!double.IsNaN(row[i])) count++;
            var values = new double[count];
            int k = 0;
            foreach (var row in rows)
                if (!double.IsNaN(row[i])) values[k++] = row[i];
            return values;
        }

    }

    /// <summary>Training rows ready for the network, and the schema fitted on them.</summary>
    public sealed class TrainingSet
    {
        public TrainingSet(FeatureSchema schema, IReadOnlyList<double[]> rows, ImputedCells imputed, IReadOnlyList<string>? notCounters = null,
            WeekShape? calendarGate = null)
        {
            CalendarGate = calendarGate;
            Schema = schema;
            Rows = rows;
            Imputed = imputed;
            NotCounters = notCounters ?? Array.Empty<string>();
        }

        /// <summary>
        /// The week-shape gate's decision on a provisional calendar (TrainingSetBuilder.Build's weekGate), with its figures;
        /// null when there was none to decide (-TimeFeatures given either way, a row model, no time property, no numeric feature).
        /// </summary>
        public WeekShape? CalendarGate { get; }

        /// <summary>Columns the first rows showed as cumulative counters that fell too often in the training rows: levels (name and why).</summary>
        public IReadOnlyList<string> NotCounters { get; }

        public FeatureSchema Schema { get; }
        public IReadOnlyList<double[]> Rows { get; }

        /// <summary>The missing values filled in (row and column): the training median, the most frequent category, or no time.</summary>
        public ImputedCells Imputed { get; }

        /// <summary>How many missing values were filled with the training median or most frequent category.</summary>
        public int ImputedValues => Imputed.Count;

        /// <summary>A feature missing in at least this share of the training rows is told of (<see cref="MostlyMissingWarning"/>).</summary>
        public const double MostlyMissingShare = 0.25;

        /// <summary>
        /// The warning for features missing in at least <see cref="MostlyMissingShare"/> of the training rows (a host that
        /// joined a wide export late, a column that reports rarely), each with how many rows it was missing in; null when
        /// none. Their missing values are filled in with one value, so the model learns little of them, and a row where
        /// they are missing looks like training.
        /// </summary>
        /// <param name="steps">
        /// On a time grid: per schema column, the share of the training time steps whose cell held no measured value
        /// of it (Windows.WindowPlan.StepsMissing); a feature is then told of only when that share is large too. A Grafana
        /// "series joined by time" of two hosts misses each host's columns in half its rows, and none of its cells.
        /// </param>
        public string? MostlyMissingWarning(IReadOnlyList<double>? steps = null)
        {
            var sparse = Schema.Columns
                .Select((c, i) => (Column: c, Steps: steps == null || i >= steps.Count ? (double?)null : steps[i]))
                .Where(c => c.Column.Statistics is { Count: > 0 } s && s.Missing >= MostlyMissingShare * s.Count && (c.Steps == null || c.Steps >= MostlyMissingShare))
                .Select(c => FormattableString.Invariant(
                    $"'{c.Column.Name}' (missing in {c.Column.Statistics!.Missing:N0} of {c.Column.Statistics.Count:N0} training rows, {(double)c.Column.Statistics.Missing / c.Column.Statistics.Count:P0}") +
                    (c.Steps is { } share ? FormattableString.Invariant($", and in {share:P0} of the time steps)") : ")"))
                .ToArray();
            if (sparse.Length == 0) return null;
            bool one = sparse.Length == 1;
            return $"{(one ? "Feature" : "Features")} {string.Join(", ", sparse)} {(one ? "was" : "were")} missing in much of the training " +
                   "(a host that joined late, or a column that reports rarely): the missing values were filled in (the training median, " +
                   $"or the most frequent category), so the model learnt little of {(one ? "it" : "them")}, and a row where {(one ? "it is" : "they are")} " +
                   $"missing looks normal. Train on rows where {(one ? "it is" : "they are")} present for {(one ? "it" : "them")} to count fully.";
        }
    }
}
