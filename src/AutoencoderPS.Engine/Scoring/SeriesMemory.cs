using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// What scoring a time-series (sliding-window) model remembers of each series (group) from one row to the next:
    /// the window assembler's last rows, its counters' last values, the calibration's history and the alerts' cool-down. One instance lives as long
    /// as a scoring run; the scheduled job saves it with its state (<see cref="Save"/>) and the next run goes on from
    /// it (<see cref="Load"/>), so scoring a file in several runs gives the same rows as scoring it at once.
    /// <para>
    /// The scheduled job forgets groups that went silent (<see cref="ForgetSilent"/>), by the data's time, never the
    /// clock's, at the end of each run: a fleet whose hosts get new names at every deploy would otherwise grow its
    /// state for ever.
    /// </para>
    /// </summary>
    public sealed class SeriesMemory
    {
        private const string Magic = "AutoencoderPS.SeriesMemory";
        // 2: the likelihood's history without its running sums (it keeps a median and MAD, not a mean and spread).
        // 3: the windows say which of their values were filled in (WindowAssembler.Save), and the likelihood's rows their
        // kind (AnomalyLikelihood.UnlikelyAt); a memory of version 2 is read with none filled in and every row ordinary,
        // so an upgrade keeps the likelihood's history.
        // 4: the counters' last values (CounterRates.Save), after the windows, for a model with counters; a memory of
        // version 2 or 3 is of a model without them.
        // 5: the windows count the rows they accepted and keep each group's last row number (WindowAssembler.Save), for
        // forgetting silent groups; a memory of version 2-4 is read with every group seen just now.
        // 6: and the row count of the last forgetting and each group's mark (the "now" it last reported at). Version 5 was
        // written only by development builds of 2026-12-06, in two layouts: such a memory is not read (starts afresh).
        // 7: the counters' rows since each counted value (CounterRates.Save: a rate without a time property spans them); a
        // memory of version 4-6 is read with none.
        // 8: each group's scored times (WindowAssembler.Save: ScoredTimes), for rows sent again, and a time grid cell's
        // sums of filled-in values (its mean is that of its measured values); a memory of version 2-7 is read with none (a
        // group's last time is then the one it is known to have scored, and a cell's mean that of all its rows).
        // 9: the scored times as blocks of steps-of-steps (ScoredTimes, up to 8 KB a group), not 128 runs of equal steps
        // (an irregular series' latest 256 rows); ScoredTimes.Load reads the runs of a version-8 memory.
        private const int Version = 9;

        /// <summary>
        /// The scheduled job forgets a group that has not reported for this much data time (30 days), or
        /// <see cref="ForgetSilentGroupsAfterGaps"/> times its largest gap if that is longer (<see cref="ForgetSilent"/>):
        /// from the windows, counters, calibration and cool-down. A host that comes back after a month is a new one: its
        /// rows warm up and it learns its scores again. Its window is broken by then anyway (a gap longer than the group's
        /// largest, <see cref="ModelSettings.GapFactor"/> usual intervals, three steps of a time grid, or -MaxGap, empties
        /// it), so what changes is mainly the calibration (a day of errors from a month before is dropped: the returning
        /// host is measured against the training errors for a day, then by its own new history), the alert cool-down (a
        /// cool-down in rows no longer carries an incident from before the silence over it) and a counter's first rate
        /// (none, rather than one averaged over the month). A month is longer than an outage, a maintenance window or a
        /// holiday, and is how long the job keeps the entry of a file that is gone
        /// (<see cref="Incremental.ScoringState.ForgetGoneFilesAfter"/>).
        /// </summary>
        public static readonly TimeSpan ForgetSilentGroupsAfter = TimeSpan.FromDays(30);

        /// <summary>
        /// A group is silent only after this many times its largest gap (<see cref="ForgetSilentGroupsAfter"/>): a series of
        /// one row a month (a gap of 1.5 months keeps its window) keeps its memory between its rows.
        /// </summary>
        public const int ForgetSilentGroupsAfterGaps = 3;

        /// <summary>
        /// A model without a time property: a group is forgotten once this many rows (10,000,000) came after its last row,
        /// or <see cref="ForgetSilentGroupsAfterRounds"/> rows of each group with a row among the last this many rows, if
        /// that is more. Rows have no time there, so rows stand for it: 10,000 rounds are five weeks of 5-minute rows.
        /// </summary>
        public const long ForgetSilentGroupsAfterRows = 10_000_000;

        /// <summary>See <see cref="ForgetSilentGroupsAfterRows"/>.</summary>
        public const long ForgetSilentGroupsAfterRounds = 10_000;

        /// <summary>
        /// How far a row's time may run ahead of the computer's clock in the scheduled job: a day. Times are read as
        /// written, in the writer's time zone (at most 14 hours from UTC). The job refuses a row dated later
        /// (<see cref="ScoringPipeline{TRow}.LatestRowTime"/>), and its "now" for silent groups is never later
        /// (<see cref="ForgetSilent"/>).
        /// </summary>
        public static readonly TimeSpan ClockSlack = TimeSpan.FromDays(1);

        private long silentRowLimit = ForgetSilentGroupsAfterRows;

        internal SeriesMemory(WindowAssembler windows, RowVerdicts verdicts, CounterRates? counters)
        {
            Windows = windows;
            Verdicts = verdicts;
            Counters = counters;
        }

        public WindowAssembler Windows { get; }

        /// <summary>The last value of each counter of each group (a model with counters: <see cref="Features.FeatureColumn.IsCounter"/>), or null.</summary>
        public CounterRates? Counters { get; }

        public RowVerdicts Verdicts { get; }

        /// <summary>The row limit of a model without a time property (<see cref="ForgetSilentGroupsAfterRows"/>); tests make it small.</summary>
        internal long SilentRowLimit
        {
            get => silentRowLimit;
            set
            {
                if (value < 1) throw new ArgumentOutOfRangeException(nameof(value));
                silentRowLimit = value;
            }
        }

        /// <summary>
        /// At the end of a run of the scheduled job, with every row of the run judged: forgets the groups that went silent
        /// (<see cref="WindowAssembler.ForgetSilent"/>) from the windows, counters, calibration and cool-down, and returns
        /// them (null: none); the groups with a row since the last call reported. <paramref name="latest"/> bounds the
        /// data time taken as "now" (the clock, a day ahead). Not while rows are scored: a group's rows need not come in time
        /// with the others' (a file per host, scored one after another; a backlog), and what a run holds is known only at
        /// its end. So a memory kept for one call (Test-Anomaly) keeps every group it sees, and only the job's state, which
        /// lives on, forgets: a group back after a month's silence across runs is new to the job, not to a single call.
        /// </summary>
        public List<string>? ForgetSilent(DateTime latest)
        {
            var gone = Windows.ForgetSilent(ForgetSilentGroupsAfter, ForgetSilentGroupsAfterGaps, silentRowLimit,
                ForgetSilentGroupsAfterRounds * silentRowLimit / ForgetSilentGroupsAfterRows, silentRowLimit, latest);
            if (gone == null) return null;
            if (Counters != null)
                foreach (var group in gone) Counters.Forget(group);
            Verdicts.Forget(gone);
            return gone;
        }

        /// <summary>A fresh memory for <paramref name="model"/> (a trained sliding-window model).</summary>
        public static SeriesMemory For(AutoencoderModel model, ScoringOptions options)
        {
            if (!model.Settings.IsWindowed) throw new InvalidOperationException("Only sliding-window models keep a memory of their series.");
            options.Validate();
            // The calibration starts from the model's training errors, so a group's first rows are judged too.
            bool calibrates = RowVerdicts.Calibrates(options.Calibration, model.Settings);
            // Without a threshold named, the same share of a day's rows as 0.99 of 5-minute rows (AnomalyLikelihood.ThresholdFor).
            // Counted in the series' rows: a time grid with two rows to a cell (a joined export) has two rows a step.
            var modelWide = VerdictDefaults(model.RowIntervalFor(null), options.ProbabilityThreshold);
            // Without a cool-down named, 48 rows, at most 4 hours of the series' rows and at least a window; a time for irregular rows (DefaultCooldown).
            var cooldown = options.AlertCooldown ?? DefaultCooldown(model, null);
            return new SeriesMemory(model.NewAssembler(),
                new RowVerdicts(calibrates, modelWide.UnlikelyAt, cooldown,
                    calibrates ? new AnomalyLikelihood(learningRows: modelWide.LearningRows, recentRows: modelWide.RecentRows, prior: model.TrainingErrors,
                        unlikelyAt: modelWide.UnlikelyAt, perGroup: PerGroupDefaults(model, options.ProbabilityThreshold, modelWide),
                        priorHigh: NormalTrainingHigh(model)) : null,
                    options.AlertCooldown == null ? PerGroupCooldowns(model, cooldown) : null),
                CounterRates.For(model.Schema!));
        }

        /// <summary>
        /// The largest training error of a row training took as normal: the training errors without the share robust
        /// training trimmed as suspected outliers (a baseline's own incident is no standard for "not news"); null without
        /// training errors. AnomalyLikelihood.PriorHigh.
        /// </summary>
        internal static double? NormalTrainingHigh(AutoencoderModel model) => NormalTrainingHigh(model.TrainingErrors, model.Training?.TrimmedShare ?? 0);

        /// <summary>As above, of <paramref name="errors"/> (ascending) of which robust training trimmed <paramref name="trimmedShare"/>.</summary>
        internal static double? NormalTrainingHigh(IReadOnlyList<double> errors, double trimmedShare)
        {
            if (errors.Count == 0) return null;
            double trimmed = Math.Clamp(trimmedShare, 0, 1);
            int kept = Math.Clamp((int)Math.Ceiling((1 - trimmed) * errors.Count - 1e-9), 1, errors.Count);
            double high = errors[kept - 1];
            return double.IsFinite(high) && high >= 0 ? high : null;
        }

        /// <summary>
        /// The verdict defaults of rows <paramref name="interval"/> apart: a day of them as the learning period
        /// (AnomalyLikelihood.DayOfRowsFor), 25 hours of them as the new-high horizon (AnomalyLikelihood.RecentRowsFor),
        /// and without a threshold named, the same share of a day's
        /// rows as 0.99 of 5-minute rows (AnomalyLikelihood.ThresholdFor).
        /// </summary>
        private static AnomalyLikelihood.GroupSettings VerdictDefaults(TimeSpan? interval, double? namedThreshold)
        {
            return new AnomalyLikelihood.GroupSettings(AnomalyLikelihood.DayOfRowsFor(interval), AnomalyLikelihood.RecentRowsFor(interval),
                namedThreshold ?? AnomalyLikelihood.ThresholdFor(interval));
        }

        /// <summary>
        /// Each group's own defaults, from the interval training learned for it (a group not seen in training: the
        /// model's usual interval), when some group's differ from the model-wide ones: a fleet whose hosts report every
        /// minute and every 5 minutes counts a day of each host's own rows. Null when all groups are alike (one series,
        /// or one interval), so such a model's memory reads as before.
        /// </summary>
        private static Func<string, AnomalyLikelihood.GroupSettings>? PerGroupDefaults(AutoencoderModel model, double? namedThreshold,
            AnomalyLikelihood.GroupSettings modelWide)
        {
            var own = model.GroupIntervals.ToDictionary(g => g.Key, g => VerdictDefaults(model.RowIntervalFor(g.Key), namedThreshold), StringComparer.Ordinal);
            if (own.Values.All(s => s == modelWide)) return null;
            return group => own.TryGetValue(group, out var settings) ? settings : modelWide;
        }

        /// <summary>
        /// Each group's own default cool-down (AlertCooldown.For the interval training learned for it), when some group's
        /// differs from the model-wide one: a fleet of 5-minute and hourly hosts counts 4 hours of each host's rows. Null
        /// when all groups are alike, so such a model's memory reads as before.
        /// </summary>
        private static Func<string, AlertCooldown?>? PerGroupCooldowns(AutoencoderModel model, AlertCooldown modelWide)
        {
            var own = model.GroupIntervals.Keys
                .Select(g => (Group: g, Cooldown: DefaultCooldown(model, g)))
                .Where(g => !g.Cooldown.SameAs(modelWide))
                .ToDictionary(g => g.Group, g => g.Cooldown, StringComparer.Ordinal);
            if (own.Count == 0) return null;
            return group => own.TryGetValue(group, out var cooldown) ? cooldown : null;
        }

        /// <summary>
        /// The default cool-down of <paramref name="group"/> (null: of the model, a group training did not see):
        /// AlertCooldown.For its row interval and the window, as a time where its steps are irregular (a long step).
        /// </summary>
        private static AlertCooldown DefaultCooldown(AutoencoderModel model, string? group) =>
            AlertCooldown.For(model.RowIntervalFor(group), model.WindowSize,
                irregular: (group == null ? model.LongSteps.All : model.LongSteps.For(group, model.GroupIntervals)) != null);

        /// <summary>The memory as bytes, with what it is valid for (the model's windows and inputs, the verdict options).</summary>
        public byte[] Save(AutoencoderModel model)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(Identity(model, Verdicts));
                Windows.Save(writer);
                Counters?.Save(writer);
                writer.Write(Verdicts.Likelihood != null);
                Verdicts.Likelihood?.Save(writer);
                Verdicts.Alerts.Save(writer);
            }
            return buffer.ToArray();
        }

        /// <summary>
        /// The memory saved by <see cref="Save"/>, or null with <paramref name="whyNot"/> when it does not fit this model
        /// and these options (another model, window, calibration or cool-down): the caller then starts afresh and says so.
        /// Damaged bytes are an <see cref="InvalidDataException"/>.
        /// </summary>
        public static SeriesMemory? Load(byte[] saved, AutoencoderModel model, ScoringOptions options, out string? whyNot)
        {
            var fresh = For(model, options);
            try
            {
                using var reader = new BinaryReader(new MemoryStream(saved, writable: false), Encoding.UTF8);
                int version = reader.ReadString() == Magic ? reader.ReadInt32() : -1;
                if (version < 2 || version > Version)
                {
                    whyNot = "it was written by another version of AutoencoderPS";
                    return null;
                }
                if (version == 5)
                {
                    // Written only by development builds of 2026-12-06, in two layouts: started afresh, not guessed at.
                    whyNot = "it was written by a development build of AutoencoderPS (series memory format 5)";
                    return null;
                }
                string identity = reader.ReadString();
                if (identity != Identity(model, fresh.Verdicts))
                {
                    whyNot = Difference(identity, Fields(model, fresh.Verdicts), model);
                    return null;
                }
                if (!fresh.Windows.Load(reader, withFilled: version >= 3, withRows: version >= 6, withTimesAndSums: version >= 8))
                {
                    whyNot = "it holds windows of another size";
                    return null;
                }
                if (fresh.Counters != null && (version < 4 || !fresh.Counters.Load(reader, withSteps: version >= 7)))
                {
                    whyNot = "it holds no counters or other ones";
                    return null;
                }
                var likelihood = reader.ReadBoolean() ? AnomalyLikelihood.Load(reader, fresh.Verdicts.Likelihood ?? new AnomalyLikelihood(), withKinds: version >= 3) : null;
                var verdicts = new RowVerdicts(likelihood != null, fresh.Verdicts.Threshold, fresh.Verdicts.Alerts.Cooldown, likelihood, fresh.Verdicts.Alerts.PerGroup);
                verdicts.Alerts.Load(reader);
                if (reader.BaseStream.Position != reader.BaseStream.Length) throw new InvalidDataException("Bytes follow the series memory.");
                whyNot = null;
                return new SeriesMemory(fresh.Windows, verdicts, fresh.Counters);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidDataException("The series memory is cut short.", e);
            }
        }

        /// <summary>
        /// A fresh memory for <paramref name="model"/> and <paramref name="options"/> when the saved one does not fit them
        /// (<see cref="Load"/> returned null), keeping of <paramref name="saved"/> what marks each group's rows as taken:
        /// its times already scored and its last time (<see cref="WindowAssembler.LoadTaken"/>), so a row an export sends
        /// again is still skipped and an older one never scored is still late; its windows, calibration and cool-down start
        /// over. <paramref name="kept"/> says, in a sentence for the warning, what was kept, or why nothing could be: a
        /// memory of another time basis (a model with another -TimeZone, or one from before times with an offset were read
        /// as instants) holds times that can't be compared with this model's, and one of an unknown format can't be read.
        /// </summary>
        public static SeriesMemory Afresh(byte[] saved, AutoencoderModel model, ScoringOptions options, out string kept)
        {
            var fresh = For(model, options);
            const string Lost = ", so the rows an export sends again (one that overlaps the last) are scored again, this once.";
            try
            {
                using var reader = new BinaryReader(new MemoryStream(saved, writable: false), Encoding.UTF8);
                int version = reader.ReadString() == Magic ? reader.ReadInt32() : -1;
                if (version < 2 || version > Version || version == 5)
                {
                    kept = "Its times of the rows already scored can't be read either (another format)" + Lost;
                    return fresh;
                }
                string identity = reader.ReadString();
                string basis = TimeBasis(model);
                if (!identity.Contains("|rows" + basis + "|", StringComparison.Ordinal) && !identity.Contains("|grid" + basis + "|", StringComparison.Ordinal))
                {
                    kept = "Its times of the rows already scored were read with another time zone (or as written), and can't be compared with this model's" + Lost;
                    return fresh;
                }
                fresh.Windows.LoadTaken(reader, withFilled: version >= 3, withRows: version >= 6, withTimesAndSums: version >= 8);
                kept = version >= 8
                    ? "It keeps each group's times of the rows already scored, so rows an export sends again are still skipped."
                    : "It keeps each group's last time scored (a state of an earlier version keeps no other), so rows an export sends again are still skipped " +
                      "at that time, and refused as late before it.";
                return fresh;
            }
            catch (Exception e) when (e is EndOfStreamException || e is InvalidDataException || e is ArgumentException)
            {
                fresh = For(model, options);
                kept = $"Its times of the rows already scored can't be read ({e.Message})" + Lost;
                return fresh;
            }
        }

        // How the memory's times are read: instants (UTC) in a model's zone, or as stated (Fields).
        private static string TimeBasis(AutoencoderModel model) => model.Settings.TimeZone is { } zone ? " in " + zone : " stated";

        // What the memory is valid for: the model's inputs, window and threshold, and the verdict options.
        private static string Identity(AutoencoderModel model, RowVerdicts verdicts) => string.Join("|", Fields(model, verdicts));

        private static string[] Fields(AutoencoderModel model, RowVerdicts verdicts)
        {
            var likelihood = verdicts.Likelihood;
            // A model's counters only where it has any: the identity of a memory saved before counters stays the same.
            var counters = model.Schema!.Columns.Where(c => c.IsCounter).Select(c => c.Name).ToArray();
            return new[]
            {
                model.WindowSize.ToString(CultureInfo.InvariantCulture) + (counters.Length > 0 ? " counters " + string.Join(",", counters) : ""),
                // A zone's memory holds instants (UTC); one without holds the instants of times that state them (an
                // offset, a Z) and other times as written. A memory from before (times as written, whatever they stated)
                // is not read as either: its rows' offsets are not known.
                (model.Settings.TimeGrid ? "grid" : "rows") + TimeBasis(model),
                string.Join(",", model.Schema!.Names),
                model.Threshold.ToString("R", CultureInfo.InvariantCulture),
                likelihood == null ? "raw" : $"likelihood {likelihood.HistoryRows} {likelihood.ShortRows} {likelihood.LearningRows} {likelihood.RecentRows}" + PerGroupField(model, likelihood),
                verdicts.Threshold.ToString("R", CultureInfo.InvariantCulture),
                verdicts.Alerts.Cooldown.ToString() + PerGroupCooldownField(model, verdicts.Alerts),
            };
        }

        // Groups with their own verdict defaults (AnomalyLikelihood.PerGroup): each group's learning rows, horizon and
        // threshold; nothing when all groups share the model's (so such a memory's identity is as before).
        private static string PerGroupField(AutoencoderModel model, AnomalyLikelihood likelihood) =>
            likelihood.PerGroup == null ? "" : " groups " + string.Join(",", model.GroupIntervals.Keys.OrderBy(k => k, StringComparer.Ordinal)
                .Select(k => { var s = likelihood.SettingsOf(k); return FormattableString.Invariant($"{k}:{s.LearningRows}:{s.RecentRows}:{s.UnlikelyAt:R}"); }));

        // Groups with a cool-down of their own (AlertTracker.PerGroup): each one's; nothing when all groups share the
        // model's (so such a memory's identity is as before).
        private static string PerGroupCooldownField(AutoencoderModel model, AlertTracker alerts) =>
            alerts.PerGroup == null ? "" : " groups " + string.Join(",", model.GroupIntervals.Keys.OrderBy(k => k, StringComparer.Ordinal)
                .Where(k => alerts.PerGroup(k) != null).Select(k => k + ":" + alerts.CooldownOf(k).ToArgument()));

        // The new-high horizon of rows `step` apart in words: 25 hours of them, or the bound that holds them.
        private static string HorizonText(TimeSpan step)
        {
            double exact = Math.Ceiling(AnomalyLikelihood.RecentSpan / step - 1e-9);
            int rows = AnomalyLikelihood.RecentRowsFor(step);
            return exact == rows ? FormattableString.Invariant($"25 hours of its rows, {step} apart")
                : exact < rows ? FormattableString.Invariant($"at least {rows}: 25 hours of its rows, {step} apart, are {exact} rows, too few to tell a recurrence from an incident")
                : FormattableString.Invariant($"at most the history's {rows} rows");
        }

        // Why a saved identity does not fit this model and these options, naming what changed: a memory written by an
        // earlier version with other likelihood defaults (before 2026-12 a per-minute model counted a new high over 288
        // rows at 0.99) must not read as if the user had changed the model or an option.
        private static string Difference(string saved, string[] fresh, AutoencoderModel model)
        {
            const string Generic = "it was kept for another model or other -Calibration, -ProbabilityThreshold or -AlertCooldown values";
            var old = saved.Split('|');
            // Input names may hold '|': then the fields can't be told apart.
            if (old.Length != fresh.Length) return Generic;
            var reasons = new System.Collections.Generic.List<string>();
            if (old[0] == fresh[0] && old[2] == fresh[2] && old[1] + " stated" == fresh[1])
                reasons.Add("it holds the times of the rows as written, and this version orders a row whose time states its offset by its " +
                    "instant (UTC), so the two can't be compared");
            else if (old[0] != fresh[0] || old[1] != fresh[1] || old[2] != fresh[2])
                reasons.Add("it was kept for a model with other inputs, windows, counters or time zone");
            else if (old[3] != fresh[3])
                reasons.Add("the model's threshold changed since (retrained, or Set-AutoencoderThreshold)");
            // The likelihood's model-wide settings ("likelihood history short learning recent"), without the groups' own.
            static string Head(string field) => string.Join(" ", field.Split(' ').Take(5));
            static string RecentOf(string field) => field.Split(' ').ElementAtOrDefault(4) ?? field;
            bool horizonChanged = Head(old[4]) != Head(fresh[4]);
            if (old[4] != fresh[4])
            {
                if (old[4] == "raw" || fresh[4] == "raw")
                    reasons.Add("it was kept with another -Calibration");
                else if (!horizonChanged)
                {
                    // The same model-wide horizon: what changed is the groups' own (PerGroupField).
                    bool oldGroups = old[4].Contains(" groups ", StringComparison.Ordinal), freshGroups = fresh[4].Contains(" groups ", StringComparison.Ordinal);
                    reasons.Add(!oldGroups ? "its likelihood judged every group by the model's usual interval, and this model's groups, trained at different intervals, now each count a day of their own rows"
                        : !freshGroups ? "its likelihood judged each group by its own interval, and this model's groups now share one"
                        : "its groups' own intervals changed since (the model was retrained)");
                }
                else
                {
                    reasons.Add(FormattableString.Invariant($"its likelihood counted a new high over {RecentOf(old[4])} rows, and this model's now counts {RecentOf(fresh[4])}") +
                        (model.RowIntervalFor(null) is { } step ? " (" + HorizonText(step) + ")" : ""));
                }
            }
            if (old[5] != fresh[5])
                reasons.Add($"its likelihood threshold was {old[5]} and is now {fresh[5]} (-ProbabilityThreshold, or the default for the model's interval)");
            if (old[6] != fresh[6])
                reasons.Add($"it was kept with an alert cool-down of {old[6]}, this run has {fresh[6]} (-AlertCooldown, or the default for the model's interval and window)");
            if (reasons.Count == 0) return Generic;
            string why = string.Join("; ", reasons);
            // The same model, and a horizon no option sets: the memory was written by a version whose defaults did not
            // follow the model's interval.
            if (old[0] == fresh[0] && old[1] == fresh[1] && old[2] == fresh[2] && old[3] == fresh[3] && horizonChanged && old[4] != "raw" && fresh[4] != "raw")
                why += RecentOf(old[4]) == AnomalyLikelihood.DayOfRowsFor(model.RowIntervalFor(null)).ToString(CultureInfo.InvariantCulture) &&
                       model.RowIntervalFor(null) <= AnomalyLikelihood.DefaultThresholdInterval
                    ? "; it was written by an earlier AutoencoderPS, whose new high looked back exactly a day (it now looks back 25 hours: a daily " +
                      "job run by the local clock comes back 25 hours later after the clocks go back, and some days a few minutes late)"
                    : "; it was written by an earlier AutoencoderPS, which counted 288 rows at 0.99 whatever the interval (the likelihood's defaults now follow the model's usual interval)";
            return why;
        }
    }
}
