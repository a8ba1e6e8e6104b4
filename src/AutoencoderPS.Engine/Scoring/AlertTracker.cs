using System;
using System.Collections.Generic;
using System.Globalization;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// The quiet time that separates two anomalous stretches of a group: a number of rows, or a time span (measured on
    /// the model's time property). Parses "48" (rows) and "01:00:00", "4h", "30m", "2d" (time).
    /// </summary>
    public sealed class AlertCooldown
    {
        /// <summary>The default when the rows' interval is not known: 48 rows (4 hours of 5-minute rows).</summary>
        public const int DefaultRows = 48;

        /// <summary>The quiet time that makes the next anomaly a new incident by default: 4 hours (48 rows of 5 minutes).</summary>
        public static readonly TimeSpan DefaultSpan = TimeSpan.FromHours(4);

        public AlertCooldown(int rows)
        {
            if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), "A cool-down can't be negative.");
            Rows = rows;
        }

        public AlertCooldown(TimeSpan span)
        {
            if (span < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(span), "A cool-down can't be negative.");
            Span = span;
        }

        /// <summary>Rows of the group without an anomaly before a new alert (when not a time span).</summary>
        public int? Rows { get; }

        /// <summary>Time without an anomaly before a new alert (when not a number of rows).</summary>
        public TimeSpan? Span { get; }

        public static AlertCooldown Default { get; } = new AlertCooldown(DefaultRows);

        /// <summary>
        /// The default cool-down of a sliding-window model whose rows come every <paramref name="interval"/> in windows of
        /// <paramref name="windowSize"/> rows: <see cref="DefaultRows"/> (48), but at most <see cref="DefaultSpan"/> (4
        /// hours) of its rows, and then never fewer than a window. 5-minute rows and finer, and a model without a known
        /// interval, keep their 48 whatever the window (NAB and the series probe unchanged by construction). Coarser rows: counted as 48 rows, the cool-down was 12 hours of 15-minute
        /// rows and two days of hourly ones, and any anomaly, a false alert included, hid every incident of the next two
        /// days (the series probe at hourly rows: 0 of 3 of pair-two's first incidents, 1 of 3 drifts paged). The window:
        /// a row's error is its window's, so one unusual row is in the next <paramref name="windowSize"/> windows and their
        /// anomalies are that one event (hourly rows in windows of 24: 4 hours paged one spike two and three times).
        /// Finer rows keep 48 rows, not 4 hours: at one row a minute, 4 hours paged a shift once instead of twice, but hid
        /// an incident behind a false alert 1.5-4 hours before it (.docs/series-probe.md, "Other sampling intervals").
        /// <para>
        /// An <paramref name="irregular"/> series (one with a long step, Features.Windows.LongSteps) gets the same quiet
        /// time counted in time: those rows times its usual interval (4 hours of 5-minute rows). Its rows don't come at
        /// that interval, and rows warming up after a gap don't count, so 48 of them reached 7-10 hours: the series probe
        /// at 40 % of rows left out and a 2-day baseline caught 3 of 6 of pair-two's incidents, the second ones 8-12 hours
        /// after the first hidden by its cool-down (6 of 6 with a cool-down of one row).
        /// </para>
        /// </summary>
        public static AlertCooldown For(TimeSpan? interval, int windowSize, bool irregular = false)
        {
            // The window's floor only where 4 hours are fewer than 48 rows: every other model keeps the 48 it had, whatever
            // its window (a 5-minute model in windows of 64 rows, or one without a time property).
            if (interval is not { } step || step <= TimeSpan.Zero) return Default;
            int span = (int)Math.Min(DefaultRows, Math.Ceiling(DefaultSpan / step - 1e-9));
            int rows = span < DefaultRows ? Math.Max(span, windowSize) : DefaultRows;
            if (irregular) return new AlertCooldown(TimeSpan.FromTicks(step.Ticks * rows));
            return rows == DefaultRows ? Default : new AlertCooldown(rows);
        }

        /// <summary>The same cool-down: as many rows, or as long a time.</summary>
        public bool SameAs(AlertCooldown other) => Rows == other.Rows && Span == other.Span;

        public static AlertCooldown Parse(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var s = text.Trim();
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int rows)) return new AlertCooldown(rows);
            if (s.Length > 1 && double.TryParse(s.Substring(0, s.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && amount >= 0)
            {
                switch (char.ToLowerInvariant(s[s.Length - 1]))
                {
                    case 's': return new AlertCooldown(TimeSpan.FromSeconds(amount));
                    case 'm': return new AlertCooldown(TimeSpan.FromMinutes(amount));
                    case 'h': return new AlertCooldown(TimeSpan.FromHours(amount));
                    case 'd': return new AlertCooldown(TimeSpan.FromDays(amount));
                }
            }
            if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero) return new AlertCooldown(span);
            throw new FormatException($"'{text}' is not a cool-down: give a number of rows (48) or a time span (01:00:00, 30m, 4h, 2d).");
        }

        /// <summary>The cool-down as text <see cref="Parse"/> reads back exactly: "48" (rows) or "01:00:00" (a time span).</summary>
        public string ToArgument() => Rows != null
            ? Rows.Value.ToString(CultureInfo.InvariantCulture)
            : Span!.Value.ToString("c", CultureInfo.InvariantCulture);

        public override string ToString() => Rows != null
            ? Rows.Value.ToString(CultureInfo.InvariantCulture) + " rows"
            : Span!.Value.ToString("c", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Turns a stream of anomaly verdicts into alerts, per group: an anomalous row raises an alert when its group had no
    /// anomalous row within the cool-down before it (the onset of a new anomalous stretch; stretches closer than the
    /// cool-down are one incident, paged once). A row with a time cool-down needs a time; a row without one is measured
    /// in rows. Rows not scored (warming up) count as not anomalous but don't advance a row cool-down.
    /// </summary>
    public sealed class AlertTracker
    {
        private readonly AlertCooldown cooldown;
        private readonly Dictionary<string, GroupState> groups = new Dictionary<string, GroupState>(StringComparer.Ordinal);

        private sealed class GroupState
        {
            public AlertCooldown Cooldown = AlertCooldown.Default;
            public long Row;
            public long LastAnomalyRow = long.MinValue;
            public DateTime? LastAnomalyTime;
            public bool HadAnomaly;
        }

        /// <summary>
        /// <paramref name="perGroup"/>: a group's own cool-down where it differs from <paramref name="cooldown"/> (a model
        /// whose groups report at different intervals, SeriesMemory.For), else null.
        /// </summary>
        public AlertTracker(AlertCooldown? cooldown = null, Func<string, AlertCooldown?>? perGroup = null)
        {
            this.cooldown = cooldown ?? AlertCooldown.Default;
            PerGroup = perGroup;
        }

        /// <summary>The cool-down of a group without one of its own (<see cref="PerGroup"/>).</summary>
        public AlertCooldown Cooldown => cooldown;

        /// <summary>Each group's own cool-down, or null for a group without one; null: every group has <see cref="Cooldown"/>.</summary>
        public Func<string, AlertCooldown?>? PerGroup { get; }

        /// <summary>The cool-down of <paramref name="group"/>.</summary>
        public AlertCooldown CooldownOf(string group) => PerGroup?.Invoke(group) ?? cooldown;

        /// <summary>Alerts raised so far.</summary>
        public long Alerts { get; private set; }

        /// <summary>Groups seen so far.</summary>
        public int GroupCount => groups.Count;

        /// <summary>Forgets <paramref name="group"/>'s cool-down: its next anomaly raises an alert, as a group's first.</summary>
        public void Forget(string group) => groups.Remove(group);

        /// <summary>Writes each group's cool-down state, for a later run to go on (<see cref="Load"/>).</summary>
        public void Save(System.IO.BinaryWriter writer)
        {
            writer.Write(Alerts);
            writer.Write(groups.Count);
            foreach (var pair in groups)
            {
                writer.Write(pair.Key);
                writer.Write(pair.Value.Row);
                writer.Write(pair.Value.LastAnomalyRow);
                writer.Write(pair.Value.HadAnomaly);
                writer.Write(pair.Value.LastAnomalyTime != null);
                if (pair.Value.LastAnomalyTime != null)
                {
                    writer.Write(pair.Value.LastAnomalyTime.Value.Ticks);
                    writer.Write((int)pair.Value.LastAnomalyTime.Value.Kind);
                }
            }
        }

        /// <summary>Reads what <see cref="Save"/> wrote into this (empty) tracker.</summary>
        public void Load(System.IO.BinaryReader reader)
        {
            if (groups.Count > 0) throw new InvalidOperationException("The tracker already holds groups.");
            Alerts = reader.ReadInt64();
            int count = reader.ReadInt32();
            for (int i = 0; i < count; i++)
            {
                string group = reader.ReadString();
                var g = new GroupState { Cooldown = CooldownOf(group), Row = reader.ReadInt64(), LastAnomalyRow = reader.ReadInt64(), HadAnomaly = reader.ReadBoolean() };
                if (reader.ReadBoolean()) g.LastAnomalyTime = new DateTime(reader.ReadInt64(), (DateTimeKind)reader.ReadInt32());
                groups[group] = g;
            }
        }

        /// <summary>Adds the next scored row of <paramref name="group"/>; true when it raises an alert.</summary>
        public bool Next(string group, DateTime? time, bool isAnomaly)
        {
            if (!groups.TryGetValue(group, out var g))
            {
                g = new GroupState { Cooldown = CooldownOf(group) };
                groups[group] = g;
            }
            g.Row++;
            if (!isAnomaly) return false;
            bool alert;
            if (!g.HadAnomaly) alert = true;
            else if (g.Cooldown.Span != null && time != null && g.LastAnomalyTime != null)
                alert = time.Value - g.LastAnomalyTime.Value > g.Cooldown.Span.Value;
            else
            {
                // A time cool-down on a row without a time: a new stretch only (at least one quiet row before it).
                long rows = g.Cooldown.Rows ?? 1;
                alert = g.Row - g.LastAnomalyRow > rows;
            }
            g.HadAnomaly = true;
            g.LastAnomalyRow = g.Row;
            g.LastAnomalyTime = time;
            if (alert) Alerts++;
            return alert;
        }
    }
}
