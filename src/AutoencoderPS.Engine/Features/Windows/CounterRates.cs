using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// Turns the cumulative counters of a sliding-window model's rows (<see cref="FeatureColumn.IsCounter"/>: bytes sent,
    /// requests served) into their increase per second since the previous row of the same group, in time order; without
    /// a time property, per row. The one place a counter's rate is taken: training (<see cref="TrainingSetBuilder.Build"/>),
    /// training further and the threshold's recalibration
    /// (<see cref="ToRates(FeatureSchema, IReadOnlyList{double[]}, IReadOnlyList{WindowKey}, ImputedCells, IReadOnlyList{int}?)"/>) and scoring
    /// (<see cref="Next"/>: one instance per run, kept in the scheduled job's series memory) all use it.
    /// <list type="bullet">
    /// <item>A fall from below 2^32 by more than 2^31 is a 32-bit counter's wrap (SNMP's ifInOctets), it counted on past
    /// 2^32, when the rate that gives is at most twice the largest the model was trained on (while training, the largest
    /// of the group so far), as <see cref="NumberSequence.Wraps"/> tells wraps: a 64-bit counter restarting from 3e9
    /// would otherwise read as billions counted in a minute.</item>
    /// <item>Any other fall is a reset (a restart): the counter counted from 0 at some moment of the interval, so its new
    /// value tells only part of the interval's count (Prometheus' rate() takes it as the whole, which reads as a drop of
    /// traffic at every restart); the row has no rate, and the next one counts from the new value.</item>
    /// <item>No rate (NaN) where there is nothing to compare: a group's first row, a reset, a missing value, a row at the
    /// same time as the last counted one. The caller fills it in (the training median of the rates) and marks it filled
    /// in, so it is left out of the score like any other filled-in value. A missing value keeps the last counted value,
    /// so the next row's rate spans both intervals: per second of them, or without a time property per row of them
    /// (rows since the last counted one, a row with no measurement at all included: <see cref="Absent"/>), never
    /// their whole increase as one row's.</item>
    /// </list>
    /// </summary>
    public sealed class CounterRates
    {
        private const double Two32 = 4294967296.0;

        private readonly int[] slots;
        // Made For a fitted schema: the counters' columns, to fill in a rate with the training median.
        private readonly FeatureSchema? schema;
        private readonly int[] columns = Array.Empty<int>();
        private readonly Dictionary<string, Last> groups = new Dictionary<string, Last>(StringComparer.Ordinal);

        private sealed class Last
        {
            public Last(int counters)
            {
                Values = new double[counters];
                Array.Fill(Values, double.NaN);
                Times = new DateTime?[counters];
                Steps = new int[counters];
            }
            // Per counter: the last value counted (NaN: none yet) and the time of its row.
            public double[] Values { get; }
            public DateTime?[] Times { get; }
            // Per counter, without a time property: the rows of the group since its last counted value (its rate's span).
            public int[] Steps { get; }
            // The time of the group's last row, counted or not (a row before it is out of order).
            public DateTime? RowTime;
            // Per counter: the largest rate of the group so far (what a wrap is measured against while training).
            public double[]? MaxRates;
        }

        // Per counter: the largest rate of the training rows (a fitted schema's statistics), or NaN while training.
        private readonly double[] trainedMax;

        /// <summary>Rates for the counters in <paramref name="slots"/> of each row (one number per counter).</summary>
        public CounterRates(IReadOnlyList<int> slots)
        {
            if (slots == null || slots.Count == 0) throw new ArgumentException("Rates need at least one counter.", nameof(slots));
            this.slots = slots.ToArray();
            trainedMax = new double[this.slots.Length];
            Array.Fill(trainedMax, double.NaN);
        }

        /// <summary>Rates for <paramref name="schema"/>'s counters, at their slots of a featurized row; null when it has none.</summary>
        public static CounterRates? For(FeatureSchema schema)
        {
            var columns = CounterColumns(schema);
            return columns.Length == 0 ? null : new CounterRates(columns.Select(schema.FirstSlot).ToArray(), schema, columns);
        }

        private CounterRates(int[] slots, FeatureSchema schema, int[] columns) : this(slots)
        {
            this.schema = schema;
            this.columns = columns;
            for (int k = 0; k < columns.Length; k++) trainedMax[k] = schema.Columns[columns[k]].Statistics?.Max ?? double.NaN;
        }

        /// <summary>
        /// Rows featurized by <paramref name="schema"/> (a counter's level, NaN when missing) for training further or
        /// recalibrating: each counter's level becomes its rate in place (<see cref="ToRates(IReadOnlyList{double[]}, IReadOnlyList{WindowKey}, Action{int, int})"/>),
        /// and a rate that can't be taken is the training median, marked in <paramref name="imputed"/>. Nothing to do
        /// for a schema without counters.
        /// </summary>
        public static void ToRates(FeatureSchema schema, IReadOnlyList<double[]> rows, IReadOnlyList<WindowKey> keys, ImputedCells imputed,
            IReadOnlyList<int>? leftOutBefore = null)
        {
            var rates = For(schema);
            rates?.ToRates(rows, keys, TimeOrder(keys), (row, k) =>
            {
                rows[row][rates.slots[k]] = rates.MedianOf(k);
                imputed.Add(row, rates.columns[k]);
            }, leftOutBefore);
        }

        /// <summary>
        /// Scoring: fills in the rates <see cref="Next"/> found undefined in <paramref name="row"/> with the training
        /// median and returns <paramref name="imputed"/> (the row's filled-in features) with those counters added.
        /// </summary>
        public IReadOnlyList<string>? FillIn(Span<double> row, List<int>? undefined, IReadOnlyList<string>? imputed)
        {
            if (undefined == null) return imputed;
            if (schema == null) throw new InvalidOperationException("Only rates made for a schema can be filled in.");
            var names = imputed?.ToList() ?? new List<string>();
            foreach (int k in undefined)
            {
                row[slots[k]] = MedianOf(k);
                string name = schema.Columns[columns[k]].Name;
                if (!names.Contains(name)) names.Add(name);
            }
            return names;
        }

        private double MedianOf(int k) => schema!.Columns[columns[k]].Median
            ?? throw new InvalidOperationException($"Counter '{schema.Columns[columns[k]].Name}' has no training median: fit the schema first.");

        /// <summary>The schema's counter columns, ascending.</summary>
        public static int[] CounterColumns(FeatureSchema schema) =>
            Enumerable.Range(0, schema.Count).Where(i => schema.Columns[i].IsCounter).ToArray();

        /// <summary>The counters' slots, in the order <see cref="Next"/> reports them.</summary>
        public IReadOnlyList<int> Slots => slots;

        /// <summary>Groups seen so far.</summary>
        public int GroupCount => groups.Count;

        /// <summary>
        /// A row of <paramref name="key"/>'s group that holds no measurement (a host down, taken as absent): without a time
        /// property it is still a row of the series, so the next counted value's rate is spread over it too.
        /// </summary>
        public void Absent(WindowKey key)
        {
            if (key.Time == null && groups.TryGetValue(key.Group, out var last))
                for (int k = 0; k < slots.Length; k++)
                    if (last.Steps[k] < int.MaxValue) last.Steps[k]++;
        }

        /// <summary>Forgets <paramref name="group"/>'s last values: its next row has no rate, as a group's first row.</summary>
        public void Forget(string group) => groups.Remove(group);

        /// <summary>
        /// Replaces each counter's value in <paramref name="row"/> (its level, NaN when missing) by its rate since the
        /// group's previous row, and returns the counters (indices into <see cref="Slots"/>, ascending) whose rate is
        /// NaN, or null when every rate was taken: the caller fills those in. A row earlier than the group's last counted
        /// row changes nothing and returns null (the window assembler refuses it).
        /// </summary>
        public List<int>? Next(WindowKey key, Span<double> row)
        {
            if (!groups.TryGetValue(key.Group, out var last)) groups[key.Group] = last = new Last(slots.Length);
            if (key.Time is DateTime now && last.RowTime is DateTime latest && now < latest) return null;
            if (key.Time != null) last.RowTime = key.Time;
            List<int>? undefined = null;
            for (int k = 0; k < slots.Length; k++)
            {
                double value = row[slots[k]];
                double rate = double.NaN;
                if (last.Steps[k] < int.MaxValue) last.Steps[k]++;
                if (!double.IsNaN(value))
                {
                    double previous = last.Values[k];
                    // Per second with a time property; without, per row since the last counted value.
                    double seconds = key.Time is DateTime t && last.Times[k] is DateTime before ? (t - before).TotalSeconds
                        : key.Time == null ? Math.Max(1, last.Steps[k]) : 1;
                    if (!double.IsNaN(previous) && seconds > 0) rate = Rate(previous, value, seconds, Bound(last, k));
                    if (double.IsNaN(previous) || seconds > 0)
                    {
                        last.Values[k] = value;
                        last.Times[k] = key.Time;
                        last.Steps[k] = 0;
                    }
                }
                row[slots[k]] = rate;
                if (double.IsNaN(rate)) (undefined ??= new List<int>()).Add(k);
                else if (double.IsNaN(trainedMax[k]))
                {
                    last.MaxRates ??= Enumerable.Repeat(double.NaN, slots.Length).ToArray();
                    if (!(last.MaxRates[k] >= rate)) last.MaxRates[k] = rate;
                }
            }
            return undefined;
        }

        // The largest rate a wrap may give: twice the training rows' largest, or while training the group's so far.
        private double Bound(Last last, int k) => 2 * (double.IsNaN(trainedMax[k]) ? last.MaxRates?[k] ?? double.NaN : trainedMax[k]);

        /// <summary>
        /// The rate of a counter that went from <paramref name="before"/> to <paramref name="after"/> in
        /// <paramref name="seconds"/>: its difference, or its count past 2^32 after a 32-bit wrap whose rate is at most
        /// <paramref name="wrapBound"/>; NaN after a reset (unknown), and for a wrap beyond the bound (or without one).
        /// </summary>
        public static double Rate(double before, double after, double seconds, double wrapBound)
        {
            if (after >= before) return (after - before) / seconds;
            if (after >= 0 && before < Two32 && before - after > Two32 / 2)
            {
                double wrapRate = (Two32 - before + after) / seconds;
                return wrapRate <= wrapBound ? wrapRate : double.NaN;
            }
            return double.NaN;
        }

        /// <summary>
        /// Training and recalibration: replaces the counters of <paramref name="rows"/> (indices into each row given by
        /// this instance's slots) by their rates, visiting each group's rows in time order (a stable sort, as the windows
        /// are planned), and calls <paramref name="undefined"/> with the row and counter index (into <see cref="Slots"/>)
        /// of each rate that is NaN. The rows may arrive in any order.
        /// </summary>
        public void ToRates(IReadOnlyList<double[]> rows, IReadOnlyList<WindowKey> keys, Action<int, int> undefined) =>
            ToRates(rows, keys, TimeOrder(keys), undefined);

        /// <summary>
        /// As above, visiting the rows in <paramref name="order"/> (<see cref="TimeOrder"/>, when the caller has it already).
        /// <paramref name="leftOutBefore"/> (<see cref="SeriesRows.Before"/>): per row, the rows of its group with no
        /// measurement left out just before it, taken as <see cref="Absent"/> rows first, as scoring takes them.
        /// </summary>
        public void ToRates(IReadOnlyList<double[]> rows, IReadOnlyList<WindowKey> keys, IReadOnlyList<int> order, Action<int, int> undefined,
            IReadOnlyList<int>? leftOutBefore = null)
        {
            if (keys.Count != rows.Count) throw new ArgumentException("One window key per row.", nameof(keys));
            if (leftOutBefore != null && leftOutBefore.Count != rows.Count) throw new ArgumentException("One count per row.", nameof(leftOutBefore));
            foreach (int i in order)
            {
                for (int n = leftOutBefore?[i] ?? 0; n > 0; n--) Absent(keys[i]);
                if (Next(keys[i], rows[i]) is { } missing)
                    foreach (int k in missing) undefined(i, k);
            }
        }

        /// <summary>The rows' indices with each group's rows in time order (a stable sort, as the windows are planned).</summary>
        public static List<int> TimeOrder(IReadOnlyList<WindowKey> keys) =>
            SlidingWindow.SortWithinGroups(Enumerable.Range(0, keys.Count).ToList(), i => keys[i]);

        /// <summary>Writes the last counted values of every group (<see cref="Load"/> reads them).</summary>
        public void Save(BinaryWriter writer)
        {
            writer.Write(slots.Length);
            writer.Write(groups.Count);
            foreach (var pair in groups)
            {
                writer.Write(pair.Key);
                writer.Write(pair.Value.RowTime.HasValue);
                if (pair.Value.RowTime is DateTime rowTime) writer.Write(rowTime.Ticks);
                for (int k = 0; k < slots.Length; k++)
                {
                    writer.Write(pair.Value.Values[k]);
                    writer.Write(pair.Value.Times[k].HasValue);
                    if (pair.Value.Times[k] is DateTime t) writer.Write(t.Ticks);
                    writer.Write(pair.Value.Steps[k]);
                }
            }
        }

        /// <summary>
        /// Reads what <see cref="Save"/> wrote; false (nothing read into this instance) when it held another number of
        /// counters. <paramref name="withSteps"/>: the rows since each counted value were saved (series memory 7 on); else
        /// they are taken as none.
        /// </summary>
        public bool Load(BinaryReader reader, bool withSteps = true)
        {
            if (reader.ReadInt32() != slots.Length) return false;
            int count = reader.ReadInt32();
            if (count < 0) throw new InvalidDataException("The series memory holds a negative number of counter groups.");
            var loaded = new Dictionary<string, Last>(StringComparer.Ordinal);
            for (int g = 0; g < count; g++)
            {
                string group = reader.ReadString();
                var last = new Last(slots.Length);
                if (reader.ReadBoolean()) last.RowTime = new DateTime(reader.ReadInt64());
                for (int k = 0; k < slots.Length; k++)
                {
                    last.Values[k] = reader.ReadDouble();
                    if (reader.ReadBoolean()) last.Times[k] = new DateTime(reader.ReadInt64());
                    if (withSteps)
                    {
                        last.Steps[k] = reader.ReadInt32();
                        if (last.Steps[k] < 0) throw new InvalidDataException("The series memory holds a negative number of rows since a counted value.");
                    }
                }
                loaded[group] = last;
            }
            groups.Clear();
            foreach (var pair in loaded) groups[pair.Key] = pair.Value;
            return true;
        }
    }

    /// <summary>
    /// The series rows that training, training further or recalibration read, in arrival order: the keys of the rows
    /// kept (<see cref="Keys"/>), and per kept row the rows of its group left out just before it (<see cref="Before"/>):
    /// rows holding no measurement (a host down) or rejected. Without a time property such a row is still a row of the
    /// series, and a counter's rate after it is per row of it too (<see cref="CounterRates.Absent"/>), as scoring takes
    /// it; with a time property nothing is counted (the rate is per second). One object for both, so that a key kept is
    /// always counted.
    /// </summary>
    public sealed class SeriesRows
    {
        private readonly Dictionary<string, int> pending = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<int> before = new List<int>();
        private List<WindowKey> keys = new List<WindowKey>();
        private bool any;

        /// <summary>A row of <paramref name="key"/>'s group left out.</summary>
        public void LeftOut(WindowKey key)
        {
            if (key.Time == null) pending[key.Group] = pending.TryGetValue(key.Group, out int n) ? n + 1 : 1;
        }

        /// <summary>A row of <paramref name="key"/>'s group kept: one per kept row, in order.</summary>
        public void Kept(WindowKey key)
        {
            keys.Add(key);
            if (pending.Remove(key.Group, out int n))
            {
                before.Add(n);
                any = true;
            }
            else before.Add(0);
        }

        /// <summary>The keys of the rows kept, in order.</summary>
        public List<WindowKey> Keys => keys;

        /// <summary>
        /// Replaces the keys with <paramref name="resolve"/>'s reading of them (one per key, in order: a repeated local
        /// time read by its group's rows).
        /// </summary>
        public void ResolveKeys(Func<List<WindowKey>, List<WindowKey>> resolve)
        {
            var resolved = resolve(keys);
            if (resolved.Count != keys.Count) throw new InvalidOperationException("A key's reading is one per key.");
            keys = resolved;
        }

        /// <summary>Per kept row, the rows of its group left out just before it; null when none were.</summary>
        public IReadOnlyList<int>? Before => any ? before : null;

        /// <summary>
        /// Reads one row with <paramref name="add"/> (true: kept; false: left out, holding no measurement) and counts it
        /// here: a sliding-window model's row by its key (read first, so that a bad time or group rejects the row before
        /// any value is taken), kept or left out of its group. A row <paramref name="add"/> rejects (its
        /// <see cref="FeatureValueException"/> goes on to the caller) is still a row of its series, as scoring takes it.
        /// A row model's row is only added. The one reading of rows that training, training further and recalibration share.
        /// </summary>
        public bool Take(IRecord record, ModelSettings settings, FeatureSchema schema, CultureInfo culture, Func<IRecord, bool> add)
        {
            if (!settings.IsWindowed) return add(record);
            var key = SlidingWindow.ReadKey(record, settings, schema, culture);
            bool kept;
            try
            {
                kept = add(record);
            }
            catch (FeatureValueException)
            {
                LeftOut(key);
                throw;
            }
            if (kept) Kept(key);
            else LeftOut(key);
            return kept;
        }
    }
}
