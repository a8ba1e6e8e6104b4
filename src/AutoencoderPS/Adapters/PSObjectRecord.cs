using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Management.Automation;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Adapters
{
    /// <summary>Presents a PSObject's properties to the engine as named values.</summary>
    internal sealed class PSObjectRecord : IRecord
    {
        public PSObjectRecord(PSObject input)
        {
            Input = input;
            Source = RowOf(input);
            // A sample set's row has the counters of its own time (see RowOf).
            ColumnsComeAndGo = !ReferenceEquals(Source, input) && CounterSampleSets.IsSampleSet(input);
        }

        /// <summary>A Get-Counter sample set's row: its counter instances are those of its time (IRecord.ColumnsComeAndGo).</summary>
        public bool ColumnsComeAndGo { get; }

        /// <summary>A record read through <paramref name="shape"/> when the row has its member names (checked here).</summary>
        public PSObjectRecord(PSObject input, RowShape shape) : this(input)
        {
            members = shape.Members(Source);
            if (members != null) this.shape = shape;
        }

        /// <summary>The object as it was piped: the target of this row's errors.</summary>
        public PSObject Input { get; }

        /// <summary>The object the row is read from, and the one Test-Anomaly adds its scores to (see <see cref="RowOf"/>).</summary>
        public PSObject Source { get; }

        /// <summary>
        /// The object a piped row is read as: itself, or for a dictionary (@{...}, [ordered]@{...}) the [pscustomobject] of
        /// its entries, as [pscustomobject]$row makes it. PowerShell 7 reads a dictionary's keys as its columns (Export-Csv,
        /// ConvertTo-Csv, ConvertTo-Json), and a user who writes @{CpuPct=20} means the column CpuPct; a hashtable's own
        /// properties are IsReadOnly, Keys, Count... A new object rather than the dictionary itself, so that a scored row
        /// shows its scores as any other row does (a hashtable formats as Name/Value pairs and hides added members). A
        /// Get-Counter sample set is the row of its counters (<see cref="CounterSampleSets.Row"/>).
        /// </summary>
        public static PSObject RowOf(PSObject input)
        {
            if (input.BaseObject is not IDictionary dictionary) return CounterSampleSets.Row(input);
            var row = new PSObject();
            foreach (DictionaryEntry entry in dictionary)
            {
                string? name = entry.Key as string ?? LanguagePrimitives.ConvertTo<string>(entry.Key);
                // Member names ignore case: of two keys that differ only in case (a case-sensitive Dictionary), the first
                // is the column.
                if (string.IsNullOrEmpty(name) || row.Properties[name] != null) continue;
                row.Properties.Add(new PSNoteProperty(name, entry.Value));
            }
            return row;
        }

        /// <summary>The shape the row was read through; null when it was read by name.</summary>
        public RowShape? Shape => shape;

        // Rows read through one shape have its columns, when their columns are their own members (a [pscustomobject], as
        // Import-Csv makes). Another object's columns come through PowerShell's adapters (a DataRow has no own members,
        // so every DataRow has one empty shape): no key, and its columns are searched row by row.
        object? IRecord.ColumnsKey => shape is { Count: > 0 } && Source.BaseObject is PSCustomObject ? shape : null;

        /// <summary>
        /// Whether the row read through a shape without scored members still holds none: it has as many members as when it
        /// was read (all of the shape's names, checked then); scoring adds a member, so the same object coming twice shows.
        /// A count, not the names again: by the time a batch is annotated its rows have left the processor's caches.
        /// </summary>
        public bool StillUnscored => shape != null && !shape.HasScoredMember && members!.Count == shape.Count;

        /// <summary>Tells the shape that this row was read whole: its questions are all learnt.</summary>
        public void ReadWhole() => shape?.Learnt();

        // With a shape: the row's own members, in the shape's order, and how many values have been read so far.
        private readonly RowShape? shape;
        private readonly System.Collections.Specialized.OrderedDictionary? members;
        private int reads;

        public IEnumerable<string> ColumnNames
        {
            get
            {
                // A [pscustomobject] (Import-Csv, ConvertFrom-Csv) of no extended type has only its own note properties:
                // list those directly. Enumerating PSObject.Properties builds a merged copy of every member per call,
                // which cost more per row than reading it when training inferred the columns of a thousand rows.
                var own = Source.BaseObject is PSCustomObject && RowTypeNames.Of(Source).Count <= 2
                    ? PowerShellInternals.InstanceMembers?.Invoke(Source)
                    : null;
                var names = own != null ? NotePropertyNames(own) : null;
                if (names != null)
                {
                    foreach (var name in names) yield return name;
                    yield break;
                }
                foreach (var property in Source.Properties)
                    if (property.IsGettable) yield return property.Name;
            }
        }

        // The names when every own member is a note property (or one of PowerShell's hidden member sets and type-name
        // property, which the public enumeration leaves out); null when there is anything else, for the public enumeration.
        private static List<string>? NotePropertyNames(PSMemberInfoCollection<PSMemberInfo> own)
        {
            var names = new List<string>();
            foreach (var member in own)
            {
                if (member is PSNoteProperty note) names.Add(note.Name);
                else if (member is PSMemberSet || string.Equals(member.Name, "pstypenames", System.StringComparison.OrdinalIgnoreCase)) continue;
                else return null;
            }
            return names;
        }

        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool TryGetValue(string column, out object? value)
        {
            // A row of the pipeline's shape: the value by its position, where the shape has seen this column asked for.
            int position = shape != null ? shape.PositionOf(column, reads++) : -1;
            // Otherwise the row's own members first (where Import-Csv and [pscustomobject] keep values), by the fast lookup.
            var property = (position >= 0 ? members![position] as PSPropertyInfo : null)
                ?? ScoredRowMembers.InstanceMember(Source, column) as PSPropertyInfo ?? Source.Properties[column];
            if (property == null)
            {
                value = null;
                return false;
            }
            try
            {
                value = property.Value;
            }
            catch (GetValueException)
            {
                value = null;
            }
            value = Unwrapped(value);
            return true;
        }

        // A nested [pscustomobject] (a JSON document's object): no value of its own (FeatureSchema.IsComposite).
        private static object? Unwrapped(object? value) =>
            value is PSObject wrapped ? wrapped.BaseObject is PSCustomObject ? new NestedObject(wrapped.ToString()) : wrapped.BaseObject : value;

        /// <summary>
        /// A value inside the row's nested objects by its dotted path ("kubernetes.pod_name", "log.level": a JSON log of
        /// Fluent Bit, or of ECS), for a name that is no column (<see cref="TryGetValue"/> first). A name in the path may
        /// itself have dots (a label "app.kubernetes.io/name"): the longest that is a member is taken.
        /// </summary>
        public bool TryGetPath(string path, out object? value)
        {
            value = null;
            return path.Contains('.') && TryGetPath(Source, path.Split('.'), 0, out value);
        }

        private static bool TryGetPath(object? node, string[] names, int from, out object? value)
        {
            value = null;
            if (node is PSObject wrapped && wrapped.BaseObject is IDictionary) node = wrapped.BaseObject;
            for (int to = names.Length; to > from; to--)
            {
                string name = string.Join('.', names, from, to - from);
                object? child;
                if (node is IDictionary dictionary)
                {
                    if (!TryGetEntry(dictionary, name, out child)) continue;
                }
                else if (node is PSObject o && o.Properties[name] is PSPropertyInfo property)
                {
                    try { child = property.Value; }
                    catch (GetValueException) { child = null; }
                }
                else continue;
                if (to == names.Length)
                {
                    value = Unwrapped(child);
                    return true;
                }
                if (TryGetPath(child, names, to, out value)) return true;
            }
            return false;
        }

        // Member names ignore case, as PowerShell's do; a case-sensitive dictionary's exact key first.
        private static bool TryGetEntry(IDictionary dictionary, string name, out object? value)
        {
            value = null;
            if (dictionary.Contains(name))
            {
                value = dictionary[name];
                return true;
            }
            foreach (DictionaryEntry entry in dictionary)
                if (entry.Key is string key && string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = entry.Value;
                    return true;
                }
            return false;
        }
    }

    /// <summary>
    /// The member names of the rows of one pipeline (Import-Csv gives every row the same ones, in the same order, as the
    /// same strings), so that a row's values are read by position instead of by 20 locked, case-insensitive lookups
    /// of its member table. A row matches when its own members have these names at these positions (checked per row:
    /// a reference comparison per member, or a case-insensitive one); rows that don't are read by name. Learns the
    /// order in which a reader asks for columns from the first row it reads; later rows answer from that. Not
    /// thread-safe: one per pipeline.
    /// </summary>
    internal sealed class RowShape
    {
        private readonly string[] names;
        private string[] asked = new string[8];
        private int[] positions = new int[8];
        private int askedCount;
        private bool learnt;

        private RowShape(string[] names)
        {
            this.names = names;
            for (int i = 0; i < names.Length; i++)
                foreach (var scored in ScoredRowMembers.All)
                    if (string.Equals(names[i], scored, StringComparison.OrdinalIgnoreCase)) HasScoredMember = true;
        }

        /// <summary>How many own members the shape's rows have.</summary>
        public int Count => names.Length;

        /// <summary>Whether the shape's rows hold a member named like one Test-Anomaly adds (the row was scored before).</summary>
        public bool HasScoredMember { get; }

        /// <summary>The shape of this row's own members; null when they can't be read directly.</summary>
        public static RowShape? Of(PSObject row)
        {
            var members = PowerShellInternals.MemberTable?.Invoke(row);
            if (members == null) return null;
            var names = new string[members.Count];
            for (int i = 0; i < names.Length; i++)
            {
                if (members[i] is not PSMemberInfo member) return null;
                names[i] = member.Name;
            }
            return new RowShape(names);
        }

        /// <summary>The row's own members when they have this shape's names in this order; null otherwise.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public OrderedDictionary? Members(PSObject row)
        {
            var members = PowerShellInternals.MemberTable?.Invoke(row);
            if (members == null || members.Count != names.Length) return null;
            for (int i = 0; i < names.Length; i++)
            {
                if (members[i] is not PSMemberInfo member) return null;
                var name = member.Name;
                if (!ReferenceEquals(name, names[i]) && !string.Equals(name, names[i], StringComparison.OrdinalIgnoreCase)) return null;
            }
            return members;
        }

        /// <summary>
        /// Position of <paramref name="column"/>, the reader's <paramref name="read"/>-th question for this row; -1 when
        /// it has none (not a member, or asked out of the learnt order: the caller looks it up by name).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int PositionOf(string column, int read)
        {
            if (read < askedCount)
                return ReferenceEquals(asked[read], column) ? positions[read] : -1;
            if (learnt || read != askedCount) return -1;
            return Learn(column);
        }

        // The first row's questions, noted in order. Apart from the per-row path above: a lambda over the column here
        // would make the compiler allocate its closure on every call of PositionOf, 20 times a row.
        private int Learn(string column)
        {
            int position = -1;
            for (int i = 0; i < names.Length && position < 0; i++)
                if (string.Equals(names[i], column, StringComparison.OrdinalIgnoreCase)) position = i;
            if (askedCount == asked.Length)
            {
                Array.Resize(ref asked, askedCount * 2);
                Array.Resize(ref positions, askedCount * 2);
            }
            asked[askedCount] = column;
            positions[askedCount++] = position;
            return position;
        }

        /// <summary>Ends learning the order of questions (after the first row has been read).</summary>
        public void Learnt() => learnt = true;
    }
}
