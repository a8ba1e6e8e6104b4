using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Linq.Expressions;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;

using AutoencoderPS.Engine.Scoring;

namespace AutoencoderPS.Adapters
{
    /// <summary>What one scored row knows beyond its verdict; the explanation members are computed from it when read.</summary>
    internal sealed class ScoredRowState
    {
        private string? explanation;
        private IReadOnlyList<FeatureContribution>? contributions;
        private OrderedDictionary? shares;
        private string[]? imputedFeatures;

        public ScoredRowState(RowScore score, IReadOnlyList<string>? imputed, FeatureSchema schema, int topFeatureCount, CultureInfo culture)
        {
            Score = score;
            Imputed = imputed;
            Schema = schema;
            TopFeatureCount = topFeatureCount;
            Culture = culture;
        }

        public RowScore Score { get; }
        public IReadOnlyList<string>? Imputed { get; }
        public FeatureSchema Schema { get; }
        public int TopFeatureCount { get; }
        public CultureInfo Culture { get; }

        public string TopFeature => Score.NameOf(Score.TopFeature);

        // Each member is computed once, on first read, so repeated reads see the same objects.
        public string Explanation => explanation ??= Score.Explain(TopFeatureCount, Culture);

        public IReadOnlyList<FeatureContribution> Contributions => contributions ??= Score.TopContributions(TopFeatureCount);

        public OrderedDictionary FeatureShare
        {
            get
            {
                if (shares != null) return shares;
                var result = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                var all = Score.Shares;
                for (int c = 0; c < Schema.Count; c++) result[Score.NameOf(c)] = all[c];
                return shares = result;
            }
        }

        public string[] ImputedFeatures => imputedFeatures ??= Imputed?.ToArray() ?? Array.Empty<string>();
    }

    /// <summary>
    /// The AnomalyScore note property of a scored row, which also carries the row's <see cref="ScoredRowState"/>: the
    /// explanation members (type members of AutoencoderPS.ScoredRow) read it from here. As an instance member it travels
    /// with the row as the other note properties do (copies, re-wrapped base objects).
    /// </summary>
    /// <summary>AnomalyScore ($null) of a sliding-window row that is still warming up; carries its imputed features.</summary>
    internal sealed class WarmingUpScoreProperty : PSNoteProperty
    {
        public WarmingUpScoreProperty(string[] imputed) : base(ScoredRowMembers.Score, null)
        {
            Imputed = imputed;
        }

        public string[] Imputed { get; }

        public override PSMemberInfo Copy() => new WarmingUpScoreProperty(Imputed) { Value = Value };
    }

    internal sealed class ScoredRowScoreProperty : PSNoteProperty
    {
        public ScoredRowScoreProperty(ScoredRowState state) : base(ScoredRowMembers.Score, state.Score.Score)
        {
            State = state;
        }

        public ScoredRowState State { get; set; }

        public override PSMemberInfo Copy() => new ScoredRowScoreProperty(State) { Value = Value };
    }

    /// <summary>
    /// The members Test-Anomaly gives a scored row. AnomalyScore is the row's one note property, and it carries the
    /// row's <see cref="ScoredRowState"/>; IsAnomaly, AnomalyTopFeature and the explanation (AnomalyExplanation,
    /// AnomalyContributions, AnomalyFeatureShare, ImputedFeatures) are code properties of the type
    /// AutoencoderPS.ScoredRow, computed from that state when read. They follow the row's own members, so a row lists
    /// them in the same order as when they were note properties. Adding seven note properties, an explanation string,
    /// contribution objects and a dictionary to every row cost more than reading the row; each added note property
    /// costs a member copy, a type-table check and an insertion. IsAnomaly and AnomalyTopFeature can be set (the row
    /// then holds its own note property of that name); a row that holds members of these names itself (read back
    /// from a scored CSV file, or a sliding-window row) has them set in place.
    /// </summary>
    public static class ScoredRowMembers
    {
        internal const string Score = ScoreColumns.Score;
        internal const string IsAnomaly = ScoreColumns.IsAnomaly;
        internal const string TopFeature = ScoreColumns.TopFeature;
        internal const string Explanation = ScoreColumns.Explanation;
        internal const string Contributions = ScoreColumns.Contributions;
        internal const string FeatureShare = ScoreColumns.FeatureShare;
        internal const string Imputed = ScoreColumns.Imputed;

        /// <summary>Every member name a scored row gets, in the order they appear.</summary>
        internal static readonly string[] All = { Score, IsAnomaly, TopFeature, Explanation, Contributions, FeatureShare, Imputed };

        private static readonly ConditionalWeakTable<Runspace, object> Registered = new ConditionalWeakTable<Runspace, object>();

        /// <summary>
        /// The type's members: name, getter and setter (methods of this class). The module's AutoencoderPS.Types.ps1xml
        /// declares the same members, so that they are known at Import-Module (tab completion, Get-TypeData); a test
        /// compares the two lists.
        /// </summary>
        internal static readonly (string Name, string Getter, string? Setter)[] TypeMembers =
        {
            (Score, nameof(GetScore), null),
            (IsAnomaly, nameof(GetIsAnomaly), nameof(SetIsAnomaly)),
            (TopFeature, nameof(GetTopFeature), nameof(SetTopFeature)),
            (Explanation, nameof(GetExplanation), null),
            (Contributions, nameof(GetContributions), null),
            (FeatureShare, nameof(GetFeatureShare), null),
            (Imputed, nameof(GetImputedFeatures), null),
        };

        /// <summary>
        /// Makes sure the type's members are registered, once per runspace. Where the module was imported through its
        /// manifest, its types file has registered them already and nothing is done; otherwise (the assembly imported on
        /// its own) they are registered here. (Update-TypeData without -Force would fail on a member the file declared,
        /// "The member IsAnomaly is already present"; with -Force it replaces those members and keeps the others.)
        /// </summary>
        internal static void EnsureTypeData(PSCmdlet cmdlet, string typeName)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null || Registered.TryGetValue(runspace, out _)) return;
            var data = new TypeData(typeName);
            foreach (var (name, method, setter) in TypeMembers)
            {
                var get = typeof(ScoredRowMembers).GetMethod(method, BindingFlags.Public | BindingFlags.Static);
                data.Members.Add(name, setter == null
                    ? new CodePropertyData(name, get)
                    : new CodePropertyData(name, get, typeof(ScoredRowMembers).GetMethod(setter, BindingFlags.Public | BindingFlags.Static)));
            }
            // In a scope of its own (type data is the runspace's whatever the scope): run in the caller's, its param($data)
            // and $known overwrote the caller's variables, and failed in a function whose parameter is $data.
            cmdlet.InvokeCommand.InvokeScript(true, ScriptBlock.Create(
                "param($data) $known = Get-TypeData -TypeName $data.TypeName; " +
                "if ($known -and @($data.Members.Keys | Where-Object { -not $known.Members.ContainsKey($_) }).Count -eq 0) { return }; " +
                "Update-TypeData -TypeData $data -Force"), null, data);
            Registered.AddOrUpdate(runspace, typeName);
        }

        private static PSMemberInfo? ScoreMember(PSObject row) => InstanceMember(row, Score) ?? row.Properties[Score];

        private static ScoredRowState? StateOf(PSObject row) => ScoreMember(row) is ScoredRowScoreProperty p ? p.State : null;

        private static readonly object True = true, False = false;

        /// <summary>
        /// Code property AnomalyScore: it names the member for tab completion and Get-TypeData. Every scored row holds its
        /// own AnomalyScore note property, which hides this one; without it (removed by hand) the score is null.
        /// </summary>
        public static object? GetScore(PSObject instance) =>
            InstanceMember(instance, Score) is PSNoteProperty own ? own.Value : null;

        /// <summary>Code property IsAnomaly: whether the score is above the model's threshold (a row that holds its own IsAnomaly shows that instead).</summary>
        public static object? GetIsAnomaly(PSObject instance) => ScoreMember(instance) switch
        {
            ScoredRowScoreProperty p => p.State.Score.IsAnomaly ? True : False,
            WarmingUpScoreProperty => False,
            _ => null,
        };

        /// <summary>Code property AnomalyTopFeature: the feature with the largest share of the error.</summary>
        public static object? GetTopFeature(PSObject instance) => ScoreMember(instance) switch
        {
            ScoredRowScoreProperty p => p.State.TopFeature,
            _ => null,
        };

        /// <summary>Setting IsAnomaly gives the row its own note property of that value (as when IsAnomaly was one).</summary>
        public static void SetIsAnomaly(PSObject instance, object? value) => instance.Properties.Add(new PSNoteProperty(IsAnomaly, value), true);

        /// <summary>Setting AnomalyTopFeature gives the row its own note property of that value.</summary>
        public static void SetTopFeature(PSObject instance, object? value) => instance.Properties.Add(new PSNoteProperty(TopFeature, value), true);

        /// <summary>Code property AnomalyExplanation: "cpu 97 (expected 35.2, 71%); ..." (empty while a window warms up).</summary>
        public static string? GetExplanation(PSObject instance) => ScoreMember(instance) switch
        {
            ScoredRowScoreProperty p => p.State.Explanation,
            WarmingUpScoreProperty => "",
            _ => null,
        };

        /// <summary>Code property AnomalyContributions: the explanation as objects.</summary>
        public static object? GetContributions(PSObject instance) => ScoreMember(instance) switch
        {
            ScoredRowScoreProperty p => p.State.Contributions,
            WarmingUpScoreProperty => Array.Empty<FeatureContribution>(),
            _ => null,
        };

        /// <summary>Code property AnomalyFeatureShare: every feature's share of the error, by name.</summary>
        public static OrderedDictionary? GetFeatureShare(PSObject instance) => ScoreMember(instance) switch
        {
            ScoredRowScoreProperty p => p.State.FeatureShare,
            WarmingUpScoreProperty => new OrderedDictionary(StringComparer.OrdinalIgnoreCase),
            _ => null,
        };

        /// <summary>Code property ImputedFeatures: the features whose missing values were filled in.</summary>
        public static string[]? GetImputedFeatures(PSObject instance) => ScoreMember(instance) switch
        {
            ScoredRowScoreProperty p => p.State.ImputedFeatures,
            WarmingUpScoreProperty w => w.Imputed,
            _ => null,
        };

        /// <summary>
        /// Marks <paramref name="row"/> as a row of a sliding-window model that is still warming up: AnomalyScore $null,
        /// IsAnomaly $false, no top feature, empty explanation members (from the type), the imputed features kept.
        /// </summary>
        internal static void AnnotateWarmingUp(PSObject row, string[] imputed, string typeName)
        {
            RowTypeNames.Ensure(row, typeName);
            var own = PowerShellInternals.InstanceMembers != null ? InstanceMember(row, Score) : row.Properties[Score];
            if (own != null && own is not PSCodeProperty) row.Properties.Remove(Score);
            row.Properties.Add(new WarmingUpScoreProperty(imputed), true);
            SetNote(row, IsAnomaly, false);
            SetNote(row, TopFeature, null);
        }

        /// <summary>Sets the row's own note property of that name, replacing any other member the row itself holds under it.</summary>
        internal static void SetNote(PSObject row, string name, object? value)
        {
            var own = PowerShellInternals.InstanceMembers != null ? InstanceMember(row, name) : row.Properties[name];
            if (own is PSCodeProperty) own = null;   // the ScoredRow type's own member, not the row's
            if (own is PSNoteProperty note && own is not ScoredRowScoreProperty && own is not WarmingUpScoreProperty) { note.Value = value; return; }
            if (own != null) row.Properties.Remove(name);
            row.Properties.Add(new PSNoteProperty(name, value), true);
        }

        /// <summary>
        /// Gives <paramref name="row"/> its score: the type name, AnomalyScore (carrying the state the explanation members
        /// of the type read), IsAnomaly and AnomalyTopFeature. A row scored before, or read back from a scored CSV file,
        /// has its verdict replaced in place, and explanation members it holds itself are set to the new values (the
        /// type's members of those names can't be added over them, and they would hide the type's). <paramref name="unscored"/>: the
        /// caller knows that the row holds none of these members (a new row of a known shape).
        /// </summary>
        internal static void Annotate(PSObject row, ScoredRowState state, string typeName, bool verdictNotes = false, bool unscored = false)
        {
            if (unscored)
            {
                // The common case, per row: a row seen for the first time gets one note property; the type gives the rest.
                RowTypeNames.Ensure(row, typeName);
                AddNew(row, state, verdictNotes);
                return;
            }
            bool typed = RowTypeNames.Has(row, typeName);
            var present = new PSMemberInfo?[All.Length];
            bool any = false;
            for (int i = 0; i < All.Length; i++)
            {
                present[i] = InstanceMemberOrProperty(row, All[i], typed);
                any |= present[i] != null;
            }
            if (!typed) RowTypeNames.Add(row, typeName);
            if (!any)
            {
                AddNew(row, state, verdictNotes);
                return;
            }
            if (present[0] is ScoredRowScoreProperty scoreProperty)
            {
                scoreProperty.State = state;
                scoreProperty.Value = state.Score.Score;
            }
            else
            {
                if (present[0] != null) row.Properties.Remove(Score);
                row.Properties.Add(new ScoredRowScoreProperty(state), true);
            }
            if (verdictNotes)
            {
                SetNote(row, IsAnomaly, state.Score.IsAnomaly);
                SetNote(row, TopFeature, state.TopFeature);
            }
            else
            {
                SetOwn(row, present[1], IsAnomaly, state);
                SetOwn(row, present[2], TopFeature, state);
            }
            for (int i = 3; i < All.Length; i++) SetOwn(row, present[i], All[i], state);
        }

        // A row that holds none of the scored members: AnomalyScore, and with verdictNotes the verdict as note properties.
        private static void AddNew(PSObject row, ScoredRowState state, bool verdictNotes)
        {
            AddOwn(row, new ScoredRowScoreProperty(state));
            if (verdictNotes)
            {
                row.Properties.Add(new PSNoteProperty(IsAnomaly, state.Score.IsAnomaly), true);
                row.Properties.Add(new PSNoteProperty(TopFeature, state.TopFeature), true);
            }
        }

        /// <summary>
        /// Adds a note property the row doesn't have yet. The public PSObject.Properties.Add copies the member, checks the
        /// type table and notes the name (and the row's .NET type) for PowerShell's member binders; the first such member
        /// of a process goes that way (the binders' notes are process-wide), later ones of [pscustomobject] rows straight
        /// into the row's own members. Rows of other .NET types always take the public path.
        /// </summary>
        private static void AddOwn(PSObject row, PSNoteProperty member)
        {
            var own = Volatile.Read(ref publicAddDone) && row.ImmediateBaseObject is PSCustomObject ? PowerShellInternals.InstanceMembers?.Invoke(row) : null;
            if (own != null)
            {
                own.Add(member, true);
                return;
            }
            row.Properties.Add(member, true);
            Volatile.Write(ref publicAddDone, true);
        }

        private static bool publicAddDone;

        // A verdict or explanation member the row holds itself gets the new value; any other kind of own member is removed so the
        // type's member shows. Without an own member there is nothing to do: the type gives it.
        private static void SetOwn(PSObject row, PSMemberInfo? own, string name, ScoredRowState state)
        {
            if (own is PSNoteProperty note) note.Value = ValueOf(state, name);
            else if (own != null) row.Properties.Remove(name);
        }

        // The value of a verdict or explanation member, by name.
        private static object ValueOf(ScoredRowState state, string name) => name switch
        {
            IsAnomaly => state.Score.IsAnomaly,
            TopFeature => state.TopFeature,
            Explanation => state.Explanation,
            Contributions => state.Contributions,
            FeatureShare => state.FeatureShare,
            Imputed => state.ImputedFeatures,
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a verdict or explanation member."),
        };

        // A member of that name the row holds itself (not one the ScoredRow type gives it). Without access to the
        // instance members, the integrated lookup; on a typed row its hits may be the type's own code properties.
        private static PSMemberInfo? InstanceMemberOrProperty(PSObject row, string name, bool typed)
        {
            if (PowerShellInternals.InstanceMembers != null) return InstanceMember(row, name);
            var found = row.Properties[name];
            return typed && found is PSCodeProperty ? null : found;
        }

        /// <summary>The row's own member of that name, or null; falls back to the public lookup where the fast one is unavailable.</summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        internal static PSMemberInfo? InstanceMember(PSObject row, string name)
        {
            var members = PowerShellInternals.InstanceMembers?.Invoke(row);
            return members?[name];
        }
    }
}
