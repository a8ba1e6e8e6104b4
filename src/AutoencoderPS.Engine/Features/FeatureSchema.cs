using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>What to do with a missing value (empty, NA, N/A, null, NaN, or a non-finite number).</summary>
    public enum MissingValuePolicy
    {
        /// <summary>Use the training median (numeric) or most frequent value (categorical), and say so.</summary>
        Impute,
        /// <summary>Reject the row with an error.</summary>
        Reject,
    }

    /// <summary>
    /// The ordered feature columns the network reads, the columns it ignores, and the rules that choose
    /// them, learn their statistics, and turn a record into network inputs. All column-schema logic lives here.
    /// </summary>
    public sealed class FeatureSchema
    {
        /// <summary>A column counts as numeric (or as timestamps) when at least this share of its values parse.</summary>
        public const double NumericShare = 0.9;

        /// <summary>A text column with more distinct values than this is not a category.</summary>
        public const int MaxCategories = 50;

        /// <summary>A text column distinct in at least this share of rows is an identifier.</summary>
        public const double IdentifierShare = 0.9;

        private readonly int[] firstSlot;
        private readonly int[] slotWidth;
        private readonly Dictionary<string, int> indexByName;

        public FeatureSchema(IEnumerable<string> names)
            : this(names.Select(n => new FeatureColumn(n)))
        {
        }

        public FeatureSchema(IEnumerable<FeatureColumn> columns, IEnumerable<IgnoredColumn>? ignored = null, TimeSpan? logWindowInterval = null,
            string? windowTime = null)
        {
            this.columns = columns.ToArray();
            LogWindowInterval = logWindowInterval;
            // The calendar of the window's time: the Timestamp column named as the time property, or, in a window's schema
            // (Windows.SlidingWindow.WindowSchema), one per step ("Time (t-1)", "Time (t)"). A model file's time property, of a
            // model that has no calendar of it (trained before it came), names none.
            if (windowTime != null)
            {
                var marked = this.columns.Select(c => c.Role == ColumnRole.Timestamp && (string.Equals(c.Name, windowTime, StringComparison.OrdinalIgnoreCase)
                    || IsStepOf(c.Name, windowTime))).ToArray();
                if (marked.Any(m => m)) { calendar = marked; WindowTime = windowTime; }
            }
            windowTimeColumn = WindowTime == null ? -1
                : Array.FindIndex(this.columns, c => c.Role == ColumnRole.Timestamp && string.Equals(c.Name, windowTime, StringComparison.OrdinalIgnoreCase));
            Ignored = ignored?.ToArray() ?? Array.Empty<IgnoredColumn>();
            if (Columns.Count == 0)
                throw new AutoencoderException(ErrorIds.NoFeatures, "A feature schema needs at least one feature.");
            indexByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < Columns.Count; i++)
                if (!indexByName.TryAdd(Columns[i].Name, i))
                    throw new AutoencoderException(ErrorIds.DuplicateFeature, $"Feature '{Columns[i].Name}' is listed more than once.");
            firstSlot = new int[Columns.Count];
            slotWidth = new int[Columns.Count];
            int width = 0;
            for (int i = 0; i < Columns.Count; i++) { firstSlot[i] = width; slotWidth[i] = Columns[i].Width; width += slotWidth[i]; }
            Width = width;
            SlotKinds = Columns.SelectMany(c => c.SlotKinds()).ToArray();
            SlotNames = Columns.SelectMany(c => c.SlotNames()).ToArray();
            MeasuredCount = this.columns.Count(IsMeasured);
        }

        /// <summary>
        /// Number of feature columns that are read from a row's own values (numeric and categorical; not a timestamp's
        /// time of day and week, which every row has).
        /// </summary>
        public int MeasuredCount { get; }

        private static bool IsMeasured(FeatureColumn column) => column.Role != ColumnRole.Timestamp;

        /// <summary>The names of the <see cref="MeasuredCount"/> measured features.</summary>
        public IEnumerable<string> MeasuredNames => columns.Where(IsMeasured).Select(c => c.Name);

        /// <summary>
        /// True when a row whose missing features are <paramref name="imputed"/> holds no measurement: no feature but a
        /// timestamp has a value (a host down, an exporter that wrote the time, the host's name and nothing else). Such a
        /// row is no observation: training leaves it out, and a sliding-window model takes it as absent
        /// (<see cref="Windows.WindowStatus.NoData"/>) rather than score values all filled in.
        /// </summary>
        public bool HoldsNoMeasurement(IReadOnlyCollection<string>? imputed)
        {
            if (imputed == null || imputed.Count < MeasuredCount) return false;
            int missing = 0;
            foreach (var name in imputed)
                if (IndexOf(name) is int c and >= 0 && IsMeasured(columns[c])) missing++;
            return HoldsNoMeasurement(missing);
        }

        /// <summary>As above, for a row with <paramref name="missingValues"/> of its measured features missing.</summary>
        public bool HoldsNoMeasurement(int missingValues) => MeasuredCount > 0 && missingValues >= MeasuredCount;

        public IReadOnlyList<FeatureColumn> Columns => columns;

        // Kept as an array: Count and RoleOf are read per column of every scored row, in code compiled without the
        // profile that would devirtualize IReadOnlyList's members.
        private readonly FeatureColumn[] columns;
        public IReadOnlyList<IgnoredColumn> Ignored { get; }

        /// <summary>
        /// The columns the roles read as the rows' times: timestamp features, and the columns of times or epoch numbers left
        /// out as such (<see cref="IgnoredColumn.HoldsTimes"/>). Of inferred roles only: a model file keeps no reasons' kinds.
        /// </summary>
        public IReadOnlyList<string> TimeColumns =>
            columns.Where(c => c.Role == ColumnRole.Timestamp).Select(c => c.Name).Concat(Ignored.Where(i => i.HoldsTimes).Select(i => i.Name)).ToArray();

        /// <summary>
        /// A warning when a row model (<paramref name="windowed"/> false) reads one numeric measurement of rows that hold
        /// their time (<see cref="TimeColumns"/>): a single series, which a row model judges value by value, by its level
        /// alone, without an alert per incident; else null. With two or more features a row model learns how they go
        /// together (the metric demo's rows), which is what it is for.
        /// </summary>
        public string? OneSeriesRowModelWarning(bool windowed)
        {
            if (windowed || columns.Length != 1 || columns[0].Role != ColumnRole.Numeric || TimeColumns.FirstOrDefault() is not { } time) return null;
            string feature = columns[0].Name;
            return $"The rows are one series: one measurement ('{feature}') and its time ('{time}'). A model of single rows judges each value " +
                   "alone, by its level: a jump or a dip within the usual range is never an anomaly, and every anomalous row is one of its own, " +
                   $"with no alert per incident. For a time series, New-Autoencoder -WindowSize 24 -TimeProperty {Text.PrintableText.PowerShellArgument(time)} judges each row " +
                   "with the rows before it, against the series' own history, and raises one alert (IsAlert) per incident (Get-Help about_AutoencoderPS, 'Time series: sliding windows').";
        }

        /// <summary>
        /// The interval of the log windows (ConvertTo-LogWindow) the schema was inferred from, or null for other rows: their
        /// counts are per interval, so windows of another length are another measure (ColumnRoleRules.LogWindowInterval).
        /// </summary>
        public TimeSpan? LogWindowInterval { get; }
        public IReadOnlyList<string> Names => Columns.Select(c => c.Name).ToArray();

        /// <summary>
        /// A sliding-window model's time property when -TimeFeatures made its calendar a feature (the Timestamp column of
        /// that name, <see cref="IsWindowTime"/>), else null. The time property stays the window's key; the calendar is
        /// only read from the same value, so an operator's export needs no copy of its time column.
        /// </summary>
        public string? WindowTime { get; }

        // Whether `name` is `feature` at a window's step (Windows.SlidingWindow.StepName: "Time (t)", "Time (t-2)"), not another
        // column whose name only begins alike ("Time (TZ)", a timestamp feature of its own).
        private static bool IsStepOf(string name, string feature)
        {
            if (!name.StartsWith(feature, StringComparison.OrdinalIgnoreCase)) return false;
            var step = name.AsSpan(feature.Length);
            if (step.SequenceEqual(" (t)")) return true;
            if (!step.StartsWith(" (t-") || step.Length < 6 || step[^1] != ')') return false;
            foreach (char c in step[4..^1]) if (!char.IsAsciiDigit(c)) return false;
            return true;
        }

        // The column of WindowTime, or -1.
        private readonly int windowTimeColumn;

        /// <summary>
        /// Whether feature <paramref name="column"/> is the hour and day of the sliding window's time property
        /// (<see cref="WindowTime"/>): read where the window key reads it (<see cref="Windows.TimeColumn"/>: a perfmon export's
        /// time column under any zone's name), and never an error of its own, as the key reports a missing or unreadable time.
        /// </summary>
        public bool IsWindowTime(int column) => column == windowTimeColumn;

        // Per column, whether it is the calendar of the window's time, at any step; null without one.
        private readonly bool[]? calendar;

        /// <summary>
        /// Whether column <paramref name="column"/> is the calendar of the window's time (<see cref="WindowTime"/>), in a row's
        /// schema or at any step of a window's. It is context, not a measurement: a score's top feature and explanation never
        /// name it (its hour and day "expected Tue 00:07" read as if the row's time were wrong), though its error counts.
        /// </summary>
        public bool IsCalendar(int column) => calendar != null && calendar[column];

        /// <summary>
        /// Why -TimeFeatures (<paramref name="timeFeatures"/>) gave a sliding-window model's (<paramref name="windowed"/>) schema no
        /// hour or day, or null: a window without a time property (rows in arrival order) and no column of times has nothing to
        /// read them from. With a time property, its calendar is a feature (<see cref="WindowTime"/>).
        /// </summary>
        public string? TimeFeaturesUnused(bool timeFeatures, bool windowed)
        {
            if (!timeFeatures || !windowed || columns.Any(c => c.Role == ColumnRole.Timestamp)) return null;
            return "-TimeFeatures learned no hour or day: the sliding window has no time property, and no column holds times. " +
                   "To learn them, give the column of the rows' times as -TimeProperty (New-Autoencoder -TimeProperty).";
        }

        /// <summary>Number of feature columns.</summary>
        public int Count => columns.Length;

        /// <summary>The role of feature column <paramref name="column"/>.</summary>
        public ColumnRole RoleOf(int column) => columns[column].Role;

        /// <summary>Number of network inputs (a categorical column takes one per category plus one).</summary>
        public int Width { get; }

        public IReadOnlyList<SlotKind> SlotKinds { get; }
        public IReadOnlyList<string> SlotNames { get; }

        public bool IsFitted => Columns.All(c => c.IsFitted);

        public int IndexOf(string name) => indexByName.TryGetValue(name, out int i) ? i : -1;

        public int FirstSlot(int column) => firstSlot[column];

        /// <summary>Network inputs of one column (as <see cref="FeatureColumn.Width"/>, read from an array).</summary>
        public int WidthOf(int column) => slotWidth[column];

        /// <summary>
        /// Chooses the feature columns and their roles from (a sample of) the training records. With
        /// <paramref name="include"/>, exactly those columns (each must exist); otherwise numeric columns,
        /// categorical text columns, and timestamps when <paramref name="timeFeatures"/> is set.
        /// Identifier-like and free-text columns are left out. <paramref name="decisions"/> says why, per column.
        /// The result is not fitted: call <see cref="Fit"/> with the training records.
        /// </summary>
        public static FeatureSchema Infer(
            IReadOnlyList<IRecord> records,
            IReadOnlyCollection<string>? include,
            IReadOnlyCollection<string>? exclude,
            CultureInfo culture,
            out IReadOnlyList<string> decisions,
            bool timeFeatures = false) =>
            Infer(records, include, exclude, culture, out decisions, out _, timeFeatures);

        /// <summary>
        /// As above; <paramref name="recognised"/> lists the columns left out because they look like what real exports
        /// carry beside their measurements (labels, ids, epoch times, row counters: see <see cref="ColumnRoleRules"/>),
        /// which a user should hear about once. <paramref name="keys"/> names columns that are the rows' keys rather
        /// than measurements (a sliding window's time and group), each with the reason it is left out.
        /// <paramref name="counterRates"/> (sliding-window models): a cumulative counter is a feature fed as its rate
        /// (<see cref="FeatureColumn.IsCounter"/>) instead of a column left out, named in <paramref name="include"/> or not. <paramref name="groupColumn"/> (a sliding
        /// window's group): counters and row counters are told within each group's rows. <paramref name="timeColumn"/> (a
        /// sliding window's time): each group's numbers are told in time order, as the windows and rates take them (an
        /// export newest first, or a little out of order, holds the same counters), and numbers that read as epoch times
        /// are times only where they agree with the rows' time (a byte counter between 1e9 and 4e9 reads as seconds of
        /// this century too). <paramref name="inputs"/>: the columns of every input file, when the rows are a sample of
        /// the first ones: performance counters of several machines are then named after one of them
        /// (<see cref="CounterPath.AsOneMachine"/>). <paramref name="provisionalCalendar"/>: the calendar of <paramref name="timeColumn"/>
        /// is added as with -TimeFeatures (and nothing else is), for <see cref="TrainingSetBuilder.Build"/>'s week-shape gate to keep or drop.
        /// </summary>
        public static FeatureSchema Infer(
            IReadOnlyList<IRecord> records,
            IReadOnlyCollection<string>? include,
            IReadOnlyCollection<string>? exclude,
            CultureInfo culture,
            out IReadOnlyList<string> decisions,
            out IReadOnlyList<IgnoredColumn> recognised,
            bool timeFeatures = false,
            IReadOnlyDictionary<string, string>? keys = null,
            bool counterRates = false,
            string? groupColumn = null,
            string? timeColumn = null,
            TimeZoneInfo? zone = null,
            IEnumerable<IReadOnlyList<string>>? inputs = null,
            bool provisionalCalendar = false)
        {
            var recognisedColumns = new List<IgnoredColumn>();
            recognised = recognisedColumns;
            if (records.Count == 0)
                throw new AutoencoderException(ErrorIds.EmptyTrainingInput, "No training rows were received.");

            var excluded = new HashSet<string>(exclude ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
            var keyReasons = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var key in keys ?? new Dictionary<string, string>())
            {
                excluded.Add(key.Key);
                keyReasons[key.Key] = key.Value;
            }
            var notes = new List<string>();
            // Several machines' exports of their counters (a baseline of each web server): one set of features, named as
            // one machine's (the one -Feature or -ExcludeFeature names, else the first row's), read on each machine's rows
            // by its own columns, as scoring reads them.
            records = CounterPath.AsOneMachine(records, (include ?? Array.Empty<string>()).Concat(exclude ?? Array.Empty<string>()),
                inputs, out var machines, out var partial);
            // A counter named with -Feature that some machine lacks: every row of that machine would be an error.
            foreach (var name in include ?? Array.Empty<string>())
                if (machines.Count > 1 && partial.TryGetValue(CounterPath.OnMachine(name, machines[0]), out var holding))
                    throw new AutoencoderException(ErrorIds.MissingFeatureColumn,
                        $"-Feature '{CounterPath.OnMachine(name, holding[0])}' is a counter of {string.Join(", ", holding)} only: the exports of " +
                        $"{string.Join(", ", machines.Where(m => !holding.Contains(m, StringComparer.OrdinalIgnoreCase)))} lack it, so none of their rows could be read. " +
                        "Leave it out, or train on the exports of the machines that have it.");
            if (machines.Count > 1)
                notes.Add($"Performance counters of {machines.Count} machines ({PrintableText.Cut(string.Join(", ", machines), 200)}): the features are " +
                    $"named as {machines[0]}'s, and each machine's rows are read by its own counters" +
                    (groupColumn == null ? ", as a series of its own." : "."));
            var columns = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in records)
                foreach (var name in record.ColumnNames)
                    if (seen.Add(name)) columns.Add(name);

            // A window's time or group column that no row has is a typo: one error now, not one per row later.
            var absentKeys = keyReasons.Where(k => !seen.Contains(k.Key)).ToArray();
            if (absentKeys.Length > 0)
                throw new AutoencoderException(ErrorIds.MissingFeatureColumn,
                    $"The training input has no column named {string.Join(", ", absentKeys.Select(k => $"'{k.Key}' ({k.Value})"))}. " +
                    $"Columns present: {string.Join(", ", columns)}.");

            var named = include != null && include.Count > 0
                ? new HashSet<string>(include, StringComparer.OrdinalIgnoreCase)
                : null;
            if (named != null)
            {
                var missing = include!.Where(n => !seen.Contains(n)).ToArray();
                if (missing.Length > 0)
                    throw new AutoencoderException(ErrorIds.MissingFeatureColumn,
                        $"The training input has no column named {string.Join(", ", missing.Select(m => $"'{m}'"))}. " +
                        $"Columns present: {string.Join(", ", columns)}.");
            }

            var chosen = new List<FeatureColumn>();
            var ignored = new List<IgnoredColumn>();
            var logWindowGroup = ColumnRoleRules.LogWindowGroup(columns);
            void Ignore(string column, string reason, bool times = false)
            {
                ignored.Add(new IgnoredColumn(column, reason, holdsTimes: times));
                notes.Add($"Column '{column}': not a feature ({reason}).");
            }

            // Named features keep the user's order; otherwise the input's.
            var ordered = named != null
                ? include!.Select(n => columns.First(c => string.Equals(c, n, StringComparison.OrdinalIgnoreCase))).ToList()
                : columns;
            var profiles = ColumnProfile.Of(records,
                ordered.Select(c => string.IsNullOrWhiteSpace(c) || excluded.Contains(c) ? null : c).ToArray(), culture, groupColumn, timeColumn, zone);
            // A row model's numbers that are no counter in row order may be one within each host of rows interleaved (not a
            // window model's, counterRates: without -GroupBy its rates would be taken across the hosts).
            var byHost = !counterRates && groupColumn == null && timeColumn == null && !records.Any(r => r is CounterPath.SameCounters)
                ? HostSeriesOf(records, ordered, columns, profiles, culture)
                : null;
            // What the role rules recognise in a column that holds numbers but no measurement (labels, ids, epoch times, row
            // counters), in row order, else within each host of rows interleaved (`series`, of byHost).
            RecognisedColumn? Recognised(string column, ColumnRole? role, ColumnProfile profile, IReadOnlyList<HostSeries>? series)
            {
                var found = ColumnRoleRules.Recognise(column, role, profile.Numbers, profile.AgreesWithTime, columns);
                foreach (var one in series ?? Array.Empty<HostSeries>())
                {
                    if (found != null) break;
                    found = ColumnRoleRules.Recognise(column, role, one.Numbers, profile.AgreesWithTime, columns, one.Hosts);
                }
                return found;
            }
            // The one decision whether a column holds the rows' times (IgnoredColumn.HoldsTimes, TimeColumns): numbers the
            // role rules recognise as epoch times, else, when they recognise nothing, values read as timestamps.
            static bool HoldsTimes(ColumnRole? role, RecognisedColumn? recognised) => recognised?.IsTime ?? role == ColumnRole.Timestamp;

            // The columns left out before their roles are chosen (-ExcludeFeature, a window's keys, those -Feature does not name)
            // were not profiled above; the rows' times among them are still the rows' times (TimeColumns: a long export is told
            // by them, also when the user left its time out of the features), read as the roles read times.
            var leftOut = columns.Where(c => !string.IsNullOrWhiteSpace(c) && (excluded.Contains(c) || named != null && !named.Contains(c))).ToList();
            var leftOutProfiles = ColumnProfile.Of(records, leftOut, culture, groupColumn, timeColumn, zone);
            bool LeftOutHoldsTimes(string column)
            {
                int k = leftOut.IndexOf(column);
                if (k < 0 || leftOutProfiles[k] is not { } profile) return false;
                var role = profile.SuggestRole();
                return HoldsTimes(role, Recognised(column, role, profile, null));
            }
            for (int k = 0; k < ordered.Count; k++)
            {
                var column = ordered[k];
                // A header with a trailing delimiter has a column without a name: nothing can refer to it.
                if (string.IsNullOrWhiteSpace(column))
                {
                    Ignore(column, "it has no name in the header");
                    continue;
                }
                if (excluded.Contains(column))
                {
                    if (named == null) Ignore(column, keyReasons.TryGetValue(column, out var why) ? why : "excluded by the user", LeftOutHoldsTimes(column));
                    continue;
                }
                bool wanted = named != null;
                // A counter not every machine's export holds: a feature of it would be missing on the others' rows (every
                // one of them an error). Left out, unless named.
                if (!wanted && partial.TryGetValue(column, out var holders))
                {
                    Ignore(CounterPath.OnMachine(column, holders[0]), $"a counter of {PrintableText.Cut(string.Join(", ", holders), 120)} only, not of every machine's export");
                    continue;
                }
                var profile = profiles[k]!;
                // Named, but no value in the rows roles are chosen from (RoleSample reads on while a column waits for one,
                // up to its bound): nothing says it is text. It became a category of the texts of the numbers it held later,
                // one input per number, and never an anomaly (an operator trial). A measurement is a number: read it as one,
                // and a later value that is none is an error of its row, not a category.
                if (wanted && profile.IsEmpty)
                {
                    chosen.Add(new FeatureColumn(column, ColumnRole.Numeric));
                    notes.Add($"Column '{column}': numeric feature, named with -Feature; no value in the {records.Count:N0} rows roles are chosen from, so read as numbers.");
                    continue;
                }
                var role = profile.SuggestRole();
                string counts = profile.ToString();
                // Log windows' group column: numbers there name groups (shard 1, 2, 3), and as a numeric feature the model
                // would not know its groups, so a group that falls silent would have no row to score.
                if (role == ColumnRole.Numeric && string.Equals(column, logWindowGroup, StringComparison.OrdinalIgnoreCase))
                {
                    if (profile.FewValues)
                    {
                        chosen.Add(new FeatureColumn(column, ColumnRole.Categorical));
                        notes.Add($"Column '{column}': categorical feature, the group column of log windows (its numbers name groups; {counts}).");
                    }
                    else if (!wanted)
                    {
                        Ignore(column, $"the group column of log windows, with more values than a category holds (at most {MaxCategories}; {counts})");
                    }
                    else
                    {
                        chosen.Add(new FeatureColumn(column, ColumnRole.Numeric));
                        notes.Add($"Column '{column}': numeric feature, named with -Feature (the group column of log windows, with more values than a category holds; {counts}).");
                    }
                    continue;
                }
                // Columns of real exports that hold numbers but no measurement: labels, ids, epoch times, row counters.
                var special = Recognised(column, role, profile, byHost?[k]);
                bool times = HoldsTimes(role, special);
                // A cumulative counter of a sliding-window model is its rate, also when named with -Feature: its level is
                // beyond the training rows from the first scored row on, whoever chose it.
                if (special is { IsCounter: true } && counterRates)
                {
                    chosen.Add(new FeatureColumn(column, ColumnRole.Numeric, counter: true));
                    notes.Add($"Column '{column}': numeric feature, the increase per second of a cumulative counter ({counts}).");
                    continue;
                }
                if (!wanted && special != null)
                {
                    if (times && timeFeatures)
                    {
                        role = ColumnRole.Timestamp;
                    }
                    else
                    {
                        Ignore(column, special.Reason + (times ? "; add -TimeFeatures to learn hour-of-day and day-of-week" : ""), times);
                        recognisedColumns.Add(new IgnoredColumn(column, special.Reason));
                        continue;
                    }
                }
                switch (role)
                {
                    case null when !wanted && profile.WhyUnreadNumbers(culture) is { } unread:
                        // Numbers the culture does not read: the user should hear of it, it is no choice of the data.
                        Ignore(column, unread);
                        recognisedColumns.Add(new IgnoredColumn(column, unread, unreadNumbers: true));
                        continue;
                    case null when !wanted:
                        Ignore(column, profile.WhyNotFeature());
                        // Lists or objects (a JSON document piped whole): said once, as nothing in the data chose it.
                        if (profile.HoldsComposites) recognisedColumns.Add(new IgnoredColumn(column, profile.WhyNotFeature()));
                        continue;
                    case ColumnRole.Categorical when !wanted && profile.WhyUnreadNumbers(culture) is { } unreadFew:
                        // The same with few distinct values ("1,5", "2,5"): numbers, not categories.
                        Ignore(column, unreadFew);
                        recognisedColumns.Add(new IgnoredColumn(column, unreadFew, unreadNumbers: true));
                        continue;
                    // Too many distinct texts to be a category: a category of few ("1 Gbps", "10 Gbps") may be meant.
                    case null when wanted && profile.WhyUnreadNumbers(culture) is { } unreadNamed:
                        // Named with -Feature, it became a category of its texts ('99,5' one of 51 values) without a word, and
                        // a spike in it was a category seen before: never an anomaly (an operator re-trial).
                        throw new AutoencoderException(ErrorIds.NamedFeatureUnreadNumbers,
                            $"Column '{column}', named with -Feature, holds {unreadNamed}. Read as they are, its values would be categories, not numbers.");
                    case ColumnRole.Timestamp when !wanted && !timeFeatures:
                        Ignore(column, "timestamp; add -TimeFeatures to learn hour-of-day and day-of-week", times);
                        continue;
                }
                var finalRole = role ?? ColumnRole.Categorical;
                chosen.Add(new FeatureColumn(column, finalRole));
                notes.Add($"Column '{column}': {finalRole.ToString().ToLowerInvariant()} feature ({counts}).");
            }
            if (named == null)
                foreach (var column in columns.Where(c => !ordered.Contains(c)))
                    Ignore(column, "not among the named features");
            else
                foreach (var column in columns.Where(c => !named.Contains(c)))
                    ignored.Add(new IgnoredColumn(column, "not among the named features", holdsTimes: LeftOutHoldsTimes(column)));

            // A copy of the time property under another name (the recipe before it gave its own calendar: 'clock'): a second
            // calendar of the same times, which made the ops probe's weekly series page 10 times in 4 weeks rather than 1.
            if (timeFeatures && timeColumn != null)
                foreach (var copy in chosen.Where(c => c.Role == ColumnRole.Timestamp && !(named?.Contains(c.Name) ?? false) && HoldsTime(records, c.Name, timeColumn)).ToList())
                {
                    chosen.Remove(copy);
                    Ignore(copy.Name, $"a copy of the time property '{timeColumn}', whose hour and day are a feature already (-TimeFeatures)");
                }
            decisions = notes;
            if (chosen.Count == 0)
            {
                // Columns recognised as no measurement (a counter, an id, ...) or with numbers the culture does not read
                // are named with why: the user may mean one.
                string why = recognisedColumns.Count == 0 ? ""
                    : " Left out: " + string.Join("; ", recognisedColumns.Select(c => $"'{c.Name}' ({c.Reason})")) + ".";
                throw new AutoencoderException(ErrorIds.NoNumericFeatures,
                    $"None of the input columns can be a feature, so there is nothing to train on. Columns: {string.Join(", ", columns)}.{why} " +
                    "Name the features with -Feature, or convert the values to numbers first.");
            }
            // -TimeFeatures on a sliding window: its time property is a key, never a feature of its own, so its hour and day
            // are added as one (named features or not: -Feature can't name a key). Last, after the measurements, and only
            // with one of them: a calendar alone measures nothing.
            // provisionalCalendar (-TimeFeatures not given): the same calendar, carried through the training set until all its
            // rows are seen; TrainingSetBuilder.Build keeps it only where their week has a shape (WeekShape).
            string? windowTime = null;
            if ((timeFeatures || provisionalCalendar) && timeColumn != null)
            {
                windowTime = timeColumn;
                chosen.Add(new FeatureColumn(timeColumn, ColumnRole.Timestamp));
                notes.Add(timeFeatures
                    ? $"Column '{timeColumn}': timestamp feature too (-TimeFeatures): the hour of day and day of week of the sliding window's time property, as written."
                    : $"Column '{timeColumn}': the hour of day and day of week of the sliding window's time property, as written, are a feature if the training rows show a weekly shape (decided when all are read; -TimeFeatures not given).");
            }
            return new FeatureSchema(chosen, ignored, ColumnRoleRules.LogWindowInterval(records, columns, culture), windowTime);
        }

        // Whether every row of the sample holds in `column` the value of the time property (as it is, or as text).
        private static bool HoldsTime(IReadOnlyList<IRecord> records, string column, string timeColumn)
        {
            int compared = 0;
            foreach (var record in records)
            {
                if (!record.TryGetValue(column, out var value) || !Windows.TimeColumn.TryGetValue(record, timeColumn, out var time)) continue;
                if (!Equals(value, time) && !string.Equals(Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim(),
                        Convert.ToString(time, CultureInfo.InvariantCulture)?.Trim(), StringComparison.Ordinal)) return false;
                compared++;
            }
            return compared > 0;
        }

        /// <summary>
        /// The numbers of the numeric columns among <paramref name="ordered"/> that the role rules take for a measurement in
        /// row order, told within the hosts of each text column of <paramref name="columns"/> (<see cref="HostSeries"/>).
        /// </summary>
        private static IReadOnlyList<HostSeries>[] HostSeriesOf(IReadOnlyList<IRecord> records, IReadOnlyList<string> ordered,
            IReadOnlyList<string> columns, ColumnProfile?[] profiles, CultureInfo culture)
        {
            var roles = new Dictionary<string, ColumnRole?>(StringComparer.OrdinalIgnoreCase);
            var wanted = new double[]?[ordered.Count];
            for (int k = 0; k < ordered.Count; k++)
            {
                if (profiles[k] is not { } profile) continue;
                var role = roles[ordered[k]] = profile.SuggestRole();
                if (role == ColumnRole.Numeric && profile.Numbers.Count >= ColumnRoleRules.MinCounterRows &&
                    ColumnRoleRules.Recognise(ordered[k], role, profile.Numbers, profile.AgreesWithTime, columns) == null)
                    wanted[k] = profile.NumberByRow;
            }
            if (wanted.All(w => w == null)) return ordered.Select(_ => (IReadOnlyList<HostSeries>)Array.Empty<HostSeries>()).ToArray();
            // Columns of numbers or times are no hosts; a column excluded by the user (no profile) may be.
            var hostColumns = columns.Where(c => !string.IsNullOrWhiteSpace(c) &&
                !(roles.TryGetValue(c, out var role) && (role == ColumnRole.Numeric || role == ColumnRole.Timestamp))).ToArray();
            return HostSeries.Of(records, hostColumns, wanted, culture);
        }

        /// <summary>
        /// Learns each column's training statistics (medians and ranges of numeric columns, the categories of
        /// categorical ones) from <paramref name="records"/>. Rows with values that can't be read are skipped.
        /// </summary>
        public FeatureSchema Fit(IEnumerable<IRecord> records, CultureInfo culture)
        {
            var builder = new TrainingSetBuilder(this, culture, MissingValuePolicy.Impute);
            foreach (var record in records)
            {
                try { builder.Add(record); }
                catch (FeatureValueException) { }
            }
            return builder.Build().Schema;
        }

        /// <summary>Reads one record's features, imputing missing values where the schema knows how.</summary>
        public void Featurize(IRecord record, CultureInfo culture, Span<double> destination) =>
            Featurize(record, culture, destination, MissingValuePolicy.Impute, null);

        /// <summary>
        /// Reads one record into <paramref name="destination"/> (<see cref="Width"/> values, original units).
        /// Throws <see cref="FeatureValueException"/> naming the column and value that could not be read; a
        /// value is never silently turned into a number it isn't. Names of imputed columns go to <paramref name="imputed"/>.
        /// </summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Featurize(IRecord record, CultureInfo culture, Span<double> destination, MissingValuePolicy policy, ICollection<string>? imputed)
        {
            // CSV rows: look each feature's field up by index, found once per file header, not by name per row.
            int[]? fieldIndex = null;
            if (record is CsvRecord csv)
            {
                fieldIndex = FieldIndexFor(csv.Header);
                CsvRecord.ThrowIfMisshapen(csv);
            }
            for (int i = 0; i < Columns.Count; i++)
            {
                var column = Columns[i];
                object? value;
                if (fieldIndex != null)
                {
                    if (fieldIndex[i] < 0 && i != windowTimeColumn) throw MissingColumn(column);
                    value = fieldIndex[i] < 0 ? null : ((CsvRecord)record).FieldAt(fieldIndex[i]);
                }
                else if (!TryGetFeature(record, i, out value))
                {
                    if (!AbsentIsMissing(i)) throw MissingColumn(column);
                    value = null;
                }
                FeaturizeValue(i, value, culture, destination, policy, imputed);
            }
        }

        /// <summary>
        /// Reads one column's value (text, a number, or null for a missing field) into its slots of <paramref name="destination"/>:
        /// the per-column rule of <see cref="Featurize(IRecord, CultureInfo, Span{double}, MissingValuePolicy, ICollection{string}?)"/>.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal void FeaturizeValue(int i, object? value, CultureInfo culture, Span<double> destination, MissingValuePolicy policy, ICollection<string>? imputed)
        {
            var column = Columns[i];
            var slots = destination.Slice(firstSlot[i], column.Width);
            switch (column.Role)
            {
                case ColumnRole.Numeric:
                    switch (NumberParser.TryRead(value, culture, out double number))
                    {
                        case NumberParser.Outcome.Number:
                            slots[0] = number;
                            break;
                        case NumberParser.Outcome.Empty:
                            if (policy == MissingValuePolicy.Reject || column.Median == null) throw Missing(column, value);
                            // A counter's level is turned into its rate later (Windows.CounterRates), which fills in the
                            // rate: NaN says "no level" to it.
                            slots[0] = column.IsCounter ? double.NaN : column.Median.Value;
                            imputed?.Add(column.Name);
                            break;
                        default:
                            throw FeatureValueException.NotANumber(column.Name, value, culture);
                    }
                    break;
                case ColumnRole.Categorical:
                {
                    if (!column.IsFitted)
                        throw new InvalidOperationException($"Categorical feature '{column.Name}' has no categories: fit the schema first.");
                    string? category = CategoryOf(value, culture);
                    if (category == null)
                    {
                        if (policy == MissingValuePolicy.Reject || column.Mode == null) throw Missing(column, value);
                        category = column.Mode;
                        imputed?.Add(column.Name);
                    }
                    slots.Clear();
                    int index = IndexOfCategory(column, category);
                    slots[index < 0 ? column.Categories.Count : index] = 1;
                    break;
                }
                case ColumnRole.Timestamp:
                    // The clock time as written (TimestampParser.TryRead), also for the window's time (IsWindowTime) of a model
                    // with -TimeZone, whose key reads it as an instant: the calendar is the hour an operator sees in the export
                    // and the day's rhythm follows local clocks, so a load at 09:00 stays at 09:00 across a change of clocks.
                    if (TimestampParser.TryRead(value, culture, out var t))
                    {
                        TimestampParser.Encode(t, slots);
                    }
                    else if (i == windowTimeColumn)
                    {
                        // The window key reports a missing or unreadable time (TimeValueMissing, TimeValueInvalid): once.
                        slots.Clear();
                    }
                    else if (value == null || value is string s && NumberParser.IsMissingMarker(s))
                    {
                        if (policy == MissingValuePolicy.Reject) throw Missing(column, value);
                        slots.Clear(); // the centre of both circles: no hour, no day
                        imputed?.Add(column.Name);
                    }
                    else
                    {
                        throw FeatureValueException.NotATime(column.Name, value, culture);
                    }
                    break;
            }
        }

        // One header at a time is cached: rows of one file share it. Swapped as a whole, so threads never see a mix.
        private sealed class HeaderIndex
        {
            public HeaderIndex(CsvHeader header, int[] fields, string machine)
            {
                Header = header;
                Fields = fields;
                Machine = machine;
                Series = machine.ToUpperInvariant();
            }
            public CsvHeader Header { get; }
            public int[] Fields { get; }
            // The machine read in place of the model's as written, and as its series is named (in capitals), or "".
            public string Machine { get; }
            public string Series { get; }
        }

        private HeaderIndex? headerIndex;

        /// <summary>
        /// Whether an object row (not a file's: a header lacking a column is the whole file's) without column
        /// <paramref name="column"/>'s property has a missing value there, as with the property set to $null: JSON leaves out
        /// a field it has no value for, and objects built row by row differ in their properties. It is filled in (or, with
        /// -RejectMissing, refused) and listed in ImputedFeatures. A performance counter is not: a machine whose samples
        /// lack it lacks it in every row (<see cref="MissingCounters"/>).
        /// </summary>
        internal bool AbsentIsMissing(int column) => !CounterPath.TrySplit(columns[column].Name, out _, out _);

        /// <summary>
        /// Reads feature <paramref name="column"/> of <paramref name="record"/>: as named, else (a performance counter) the
        /// input machine's column of its path (<see cref="CounterPath"/>), decided for the record's whole set of columns;
        /// false when it has neither.
        /// </summary>
        internal bool TryGetFeature(IRecord record, int column, out object? value)
        {
            var name = columns[column].Name;
            if (column == windowTimeColumn) return Windows.TimeColumn.TryGetValue(record, name, out value);
            if (record.TryGetValue(name, out value)) return true;
            if (!CounterPath.TrySplit(name, out _, out _)) return false;
            var other = CounterColumnsOf(record).Read[column];
            // Null where the rule found none; the name itself where found as named (not here: that lookup failed).
            return other != null && !ReferenceEquals(other, name) && record.TryGetValue(other, out value);
        }

        private CounterColumns CounterColumnsOf(IRecord record)
        {
            var key = record.ColumnsKey;
            var cached = counterColumns;
            if (key != null && cached != null && ReferenceEquals(cached.Key, key)) return cached;
            var read = CounterPath.Resolve(Names, record.ColumnNames);
            var resolved = new CounterColumns(key, read, MachineRead(read));
            if (key != null) counterColumns = resolved;
            return resolved;
        }

        // The columns the features read among one set of columns (IRecord.ColumnsKey): resolved once per set, not per row.
        private sealed class CounterColumns
        {
            public CounterColumns(object? key, string?[] read, string machine)
            {
                Key = key;
                Read = read;
                Machine = machine;
                Series = machine.ToUpperInvariant();
            }
            public object? Key { get; }
            public string?[] Read { get; }
            public string Machine { get; }
            public string Series { get; }
        }

        // The machine whose counters stand for the model's in the columns read (CounterPath.Resolve), as written, or "".
        private string MachineRead(string?[] read)
        {
            for (int i = 0; i < read.Length; i++)
                if (read[i] is { } column && !ReferenceEquals(column, columns[i].Name) && CounterPath.TrySplit(column, out var machine, out _))
                    return machine;
            return "";
        }

        /// <summary>
        /// The series a sliding-window model without a group column puts <paramref name="record"/> in: "" (the one
        /// series), or, where another machine's performance counters stand for the model's (<see cref="CounterPath"/>), that
        /// machine's name. Each host's export is then its own series when a fleet's exports are scored in one call or
        /// one job folder: a window never spans two hosts, and one host's rows of the same hours are not out of order
        /// after another's. The model's own machine's rows (and any row of a model not of counters) are "": one host's
        /// daily files are one series, as before.
        /// </summary>
        public string SeriesMachine(IRecord record) => MachineOf(record, series: true);

        /// <summary>
        /// The machine whose performance counters <paramref name="record"/> is read by in place of the model's
        /// (<see cref="CounterPath"/>), as its columns write it, or "" (the model's own, or no counters): what scores of the
        /// row name its features by (<see cref="Modeling.RowScore.ReadOn"/>).
        /// </summary>
        public string InputMachine(IRecord record) => MachineOf(record, series: false);

        /// <summary>As <see cref="InputMachine(IRecord)"/>, for the rows of a file with <paramref name="header"/>.</summary>
        internal string InputMachine(CsvHeader header) => HeaderIndexFor(header).Machine;

        // Machine names are told apart without case: a series is named in capitals (one host's files may spell it either way).
        private string MachineOf(IRecord record, bool series)
        {
            int counter = firstCounterPath;
            if (counter == -1)
            {
                counter = -2;
                for (int i = 0; i < columns.Length; i++)
                    if (CounterPath.TrySplit(columns[i].Name, out _, out _)) { counter = i; break; }
                firstCounterPath = counter;
            }
            if (counter < 0) return "";
            if (record is CsvRecord csv)
            {
                var index = HeaderIndexFor(csv.Header);
                return series ? index.Series : index.Machine;
            }
            // Found as named: the model's own machine (the input then has no other machine's counters standing in).
            if (record.TryGetValue(columns[counter].Name, out _)) return "";
            var read = CounterColumnsOf(record);
            return series ? read.Series : read.Machine;
        }

        // The first feature named as a counter path: -1 not yet looked for, -2 none.
        private int firstCounterPath = -1;

        private CounterColumns? counterColumns;

        internal int[] FieldIndexFor(CsvHeader header) => HeaderIndexFor(header).Fields;

        private HeaderIndex HeaderIndexFor(CsvHeader header)
        {
            var cached = headerIndex;
            return cached != null && ReferenceEquals(cached.Header, header) ? cached : IndexHeader(header);
        }

        // Apart from the cached path above: its lambda's closure would be made on every call, the cache hit too.
        private HeaderIndex IndexHeader(CsvHeader header)
        {
            var read = CounterPath.Resolve(Names, header.Names);
            // The calendar of the window's time: its column as the key finds it (a perfmon export's, named after its zone).
            if (windowTimeColumn >= 0) read[windowTimeColumn] = Windows.TimeColumn.Find(columns[windowTimeColumn].Name, header.Names);
            var fields = read.Select(name => name == null ? -1 : header.IndexOf(name)).ToArray();
            return headerIndex = new HeaderIndex(header, fields, MachineRead(read));
        }

        private FeatureValueException MissingColumn(FeatureColumn column) =>
            new FeatureValueException(FeatureValueProblem.MissingColumn, column.Name, null,
                $"column '{column.Name}' is missing; the model needs the features {string.Join(", ", Names)}.");

        /// <summary>A column's value in readable form, from its slots (original units).</summary>
        public object Describe(int column, ReadOnlySpan<double> row)
        {
            var c = Columns[column];
            var slots = row.Slice(firstSlot[column], c.Width);
            switch (c.Role)
            {
                case ColumnRole.Categorical:
                    int best = 0;
                    for (int k = 1; k < slots.Length; k++) if (slots[k] > slots[best]) best = k;
                    return best < c.Categories.Count ? c.Categories[best] : FeatureColumn.OtherCategory;
                case ColumnRole.Timestamp:
                    return TimestampParser.Describe(slots);
                default:
                    return slots[0];
            }
        }

        private static int IndexOfCategory(FeatureColumn column, string category)
        {
            for (int k = 0; k < column.Categories.Count; k++)
                if (string.Equals(column.Categories[k], category, StringComparison.Ordinal)) return k;
            return -1;
        }

        /// <summary>The category text of a value, or null when missing.</summary>
        /// <summary>
        /// Whether <paramref name="value"/> is a list or an object of its own (an array, a collection, a dictionary, a
        /// <see cref="NestedObject"/>) rather than one value: a JSON document's arrays and nested objects, Group-Object's
        /// groups. Its text is its type's name ("System.Object[]"), never a measurement.
        /// </summary>
        public static bool IsComposite(object? value) =>
            value is NestedObject || value is System.Collections.IEnumerable && value is not string;

        internal static string? CategoryOf(object? value, CultureInfo culture)
        {
            if (value == null) return null;
            if (value is double d && !double.IsFinite(d)) return null;
            string text = Convert.ToString(value, culture)?.Trim() ?? "";
            return NumberParser.IsMissingMarker(text) ? null : text;
        }

        private static FeatureValueException Missing(FeatureColumn column, object? value) =>
            new FeatureValueException(FeatureValueProblem.Empty, column.Name, value,
                value == null || value is string s && s.Trim().Length == 0
                    ? $"column '{column.Name}' is empty."
                    : $"column '{column.Name}' has the missing value '{value}'.");

        /// <summary>What the values of one column look like in a sample.</summary>
        private sealed class ColumnProfile
        {
            private int total, missing, numbers, timestamps, texts, timesOfDay, composites;
            private string? compositeSample;
            private readonly HashSet<string> distinct = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>
            /// The profiles of <paramref name="columns"/> (null where no profile is wanted), in one pass over the rows:
            /// row by row, so that one row's members are looked up together while they are in the cache, rather than
            /// column by column over every row (a PSObject row of 140 columns is some kilobytes of member tables).
            /// </summary>
            // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public static ColumnProfile?[] Of(IReadOnlyList<IRecord> records, IReadOnlyList<string?> columns, CultureInfo culture,
                string? groupColumn = null, string? timeColumn = null, TimeZoneInfo? zone = null)
            {
                var profiles = new ColumnProfile?[columns.Count];
                for (int j = 0; j < profiles.Length; j++)
                    if (columns[j] != null) profiles[j] = new ColumnProfile();
                // Each row's group and time, read once.
                var groups = new string?[records.Count];
                var times = new DateTime?[records.Count];
                var later = new DateTime?[records.Count];
                bool byMachine = groupColumn == null && records.Any(r => r is CounterPath.SameCounters);
                for (int i = 0; i < records.Count; i++)
                {
                    var record = records[i];
                    if (groupColumn != null) groups[i] = record.TryGetValue(groupColumn, out var g) ? CategoryOf(g, culture) ?? "" : "";
                    // Without a group column, each machine's counters are a series of their own (FeatureSchema.SeriesMachine):
                    // the first machine's "", as a model names its own machine's series.
                    else if (byMachine) groups[i] = record is CounterPath.SameCounters other ? other.Machine : "";
                    if (timeColumn == null) continue;
                    // The sample's order only: a row whose time can't be read (or never happened) is left unordered, scoring refuses it.
                    try { times[i] = Windows.SlidingWindow.ReadTime(record, timeColumn, zone, culture, out later[i]); }
                    catch (FeatureValueException) { }
                }
                // In time order within each group (a stable sort; a row without a readable time stays where it is).
                IReadOnlyList<int> order = Enumerable.Range(0, records.Count).ToList();
                if (timeColumn != null)
                    order = Windows.SlidingWindow.SortWithinGroups(order, i => times[i] is DateTime at ? new Windows.WindowKey(groups[i] ?? "", at, later[i]) : (Windows.WindowKey?)null);
                foreach (int i in order)
                {
                    var record = records[i];
                    double? unixSeconds = times[i] is DateTime at ? (at - DateTime.UnixEpoch).TotalSeconds : null;
                    for (int j = 0; j < profiles.Length; j++)
                        if (profiles[j] is { } p && record.TryGetValue(columns[j]!, out var value)) p.Add(value, culture, groups[i], unixSeconds, i, records.Count);
                }
                return profiles;
            }

            // Rows whose time was read, and of those, rows whose number was within a day of it as epoch seconds or milliseconds.
            private int timeCompared, timeAgreed;

            /// <summary>
            /// Null without the rows' time; otherwise whether 9 in 10 of the column's numbers are the row's time as epoch
            /// seconds or milliseconds, within a day (time zones).
            /// </summary>
            public bool? AgreesWithTime => timeCompared == 0 ? null : 10 * timeAgreed >= 9 * timeCompared;

            /// <summary>
            /// The sequence of numbers the column held, in row order (for <see cref="ColumnRoleRules"/>); with a group
            /// column, each group's in its row order, merged (a counter of several hosts interleaved rises within each host).
            /// </summary>
            public NumberSequence Numbers => byGroup == null ? numberSequence : byGroup.Merged;

            private readonly NumberSequence numberSequence = new NumberSequence();
            private GroupedNumbers? byGroup;

            /// <summary>
            /// Without a group column, the number of each row (NaN where none), by the row's index: a row model's numbers
            /// told again within each host (<see cref="HostSeries"/>) without reading them twice.
            /// </summary>
            public double[]? NumberByRow { get; private set; }

            private void Add(object? value, CultureInfo culture, string? group, double? unixSeconds, int row, int rows)
            {
                total++;
                // Every present value counts as distinct, so a numeric column with some garbage is no category.
                string? text = CategoryOf(value, culture);
                if (text != null && distinct.Count <= MaxCategories * 20) distinct.Add(text);
                if (IsComposite(value))
                {
                    composites++;
                    compositeSample ??= text;
                    return;
                }
                var outcome = NumberParser.TryRead(value, culture, out double number);
                if (NumberParser.IsMissing(outcome, value)) { missing++; return; }
                if (outcome == NumberParser.Outcome.Number)
                {
                    if (unixSeconds is double u)
                    {
                        timeCompared++;
                        if (Math.Abs(number - u) <= 86400 || Math.Abs(number / 1000 - u) <= 86400) timeAgreed++;
                    }
                    if (group == null)
                    {
                        numberSequence.Add(number);
                        if (NumberByRow == null) { NumberByRow = new double[rows]; Array.Fill(NumberByRow, double.NaN); }
                        NumberByRow[row] = number;
                    }
                    else (byGroup ??= new GroupedNumbers()).Add(group, number);
                }
                if (outcome == NumberParser.Outcome.Number || outcome == NumberParser.Outcome.Empty) { numbers++; return; }
                if (TimestampParser.TryRead(value, culture, out _)) { timestamps++; return; }
                texts++;
                if (TimestampParser.IsTimeOfDay(value)) timesOfDay++;
                if (value is string s) CountUnreadNumber(s.Trim(), culture);
            }

            // Text that is a number in another convention: a decimal comma where the culture has a point (or the other
            // way round), or digits in groups of three with a thousands separator ("3.730,5", "1,234.5"), or either
            // ("9,897": 9897 with a separator, or 9.897 with a decimal comma); or a number with a unit ("12 %", "32.4 ms").
            private int otherDecimal, grouped, eitherWay, withUnit;
            private string? otherDecimalSample, groupedSample, eitherWaySample, withUnitSample;
            // A value whose unit is not the first one's ('1.2 GB' after '949 MB'): a column scaled to its values' sizes.
            private string? otherUnitSample;

            private static bool HasDecimalComma(CultureInfo culture) => UnreadNumbers.HasDecimalComma(culture);

            private void CountUnreadNumber(string text, CultureInfo culture)
            {
                switch (UnreadNumbers.Classify(text, culture))
                {
                    case UnreadNumberKind.EitherWay: eitherWay++; eitherWaySample ??= text; break;
                    case UnreadNumberKind.OtherDecimal: otherDecimal++; otherDecimalSample ??= text; break;
                    case UnreadNumberKind.Grouped: grouped++; groupedSample ??= text; break;
                    case UnreadNumberKind.WithUnit:
                        withUnit++;
                        withUnitSample ??= text;
                        if (otherUnitSample == null && UnreadNumbers.UnitOf(text) != UnreadNumbers.UnitOf(withUnitSample)) otherUnitSample = text;
                        break;
                }
            }

            /// <summary>
            /// Why the column is no feature when its values are numbers the culture does not read (almost all of them
            /// numbers in one convention or the other), or null.
            /// </summary>
            public string? WhyUnreadNumbers(CultureInfo culture)
            {
                if (otherDecimal + grouped + eitherWay + withUnit == 0 || numbers + otherDecimal + grouped + eitherWay + withUnit < NumericShare * Present)
                    return null;
                string fix = HasDecimalComma(culture)
                    ? "give the file's culture with -Culture (for example en-US), or leave -Culture out for the invariant culture"
                    : "give the file's culture with -Culture (for example de-DE)";
                if (withUnit > 0 && withUnit >= otherDecimal + grouped + eitherWay)
                    return otherUnitSample != null
                        // Taking the units off would put 949 (MB) and 1.2 (GB) on one scale.
                        ? $"numbers with units that differ from value to value (such as '{withUnitSample}' and '{otherUnitSample}'), which are not read " +
                          "as numbers: export the raw values (in Grafana, Download CSV without 'Formatted data'); taking the units off would mix their scales"
                        : $"numbers with a unit (such as '{withUnitSample}'), which are not read as numbers: export the column without the unit, " +
                          "or take the unit off (-replace) before training and scoring";
                if (otherDecimal > 0)
                    return $"numbers written as '{otherDecimalSample}', which {CultureText.Describe(culture)} does not read: {fix}" +
                           (grouped + eitherWay > 0 ? $"; some have thousands separators ('{groupedSample ?? eitherWaySample}'), which are never read: export the column without them" : "");
                if (grouped == 0)
                    // Only values such as '9,897': a decimal comma would give every one of them three decimals, so they are
                    // far more likely thousands; never suggest the culture that would read them as decimals without saying so.
                    return $"numbers such as '{eitherWaySample}', with three digits after each separator: thousands separators, which are never " +
                           $"read as numbers (export the column without them); only if they are decimal {(HasDecimalComma(culture) ? "points" : "commas")}, {fix}";
                return $"numbers with thousands separators (such as '{groupedSample}'), which are never read as numbers: export the column without them";
            }

            private int Present => total - missing;

            /// <summary>No value in the sample (every row missing the column or holding a missing value).</summary>
            public bool IsEmpty => Present == 0;

            /// <summary>The role the values suggest, or null when the column is no feature.</summary>
            public ColumnRole? SuggestRole()
            {
                if (Present == 0) return null;
                if (HoldsComposites) return null;
                if (numbers >= NumericShare * Present) return ColumnRole.Numeric;
                if (timestamps >= NumericShare * Present) return ColumnRole.Timestamp;
                if (IsIdentifier || distinct.Count > MaxCategories) return null;
                return ColumnRole.Categorical;
            }

            /// <summary>Few enough distinct values for a category (numbers counted as their text).</summary>
            public bool FewValues => distinct.Count <= MaxCategories;

            private bool IsIdentifier => Present >= 20 && distinct.Count >= IdentifierShare * Present;

            /// <summary>Lists or objects of their own in most rows: no value to learn.</summary>
            public bool HoldsComposites => composites > 0 && composites >= NumericShare * Present;

            public string WhyNotFeature()
            {
                if (Present == 0) return "always empty";
                if (HoldsComposites)
                    return $"lists or objects of their own (such as '{PrintableText.Cut(compositeSample ?? "", 60)}'), not one value a row: expand them " +
                           "first, one row per value (ForEach-Object over the list, or Select-Object -ExpandProperty)";
                // A log's time field: once read as times of the day it was read, now no time; say what makes it one.
                if (timesOfDay >= NumericShare * Present)
                    return "times of day without a date, which are not read as times: to use them, give a column that holds " +
                           "the date and the time (the date column's value, a space, this one's)";
                if (IsIdentifier) return $"identifier-like: {distinct.Count} distinct values in {Present} rows";
                return $"text with {distinct.Count} distinct values, too many for a category (at most {MaxCategories})";
            }

            public override string ToString() =>
                $"{numbers} numeric, {timestamps} timestamp, {texts} text values ({distinct.Count} distinct), {missing} missing";
        }
    }
}
