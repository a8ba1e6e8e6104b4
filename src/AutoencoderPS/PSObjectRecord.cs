using System.Collections.Generic;
using System.Management.Automation;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Commands
{
    /// <summary>Presents a PSObject's properties to the engine as named values.</summary>
    internal sealed class PSObjectRecord : IRecord
    {
        public PSObjectRecord(PSObject source)
        {
            Source = source;
        }

        public PSObject Source { get; }

        public IEnumerable<string> ColumnNames
        {
            get
            {
                // A [pscustomobject] (Import-Csv, ConvertFrom-Csv) of no extended type has only its own note properties:
                // list those directly. Enumerating PSObject.Properties builds a merged copy of every member per call,
                // which cost more per row than reading it when training inferred the columns of a thousand rows.
                var own = Source.BaseObject is PSCustomObject && Source.TypeNames.Count <= 2
                    ? ScoredRowMembers.InstanceMembersOf?.Invoke(Source)
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
            // The row's own members first (where Import-Csv and [pscustomobject] keep values), by the fast lookup.
            var property = ScoredRowMembers.InstanceMember(Source, column) as PSPropertyInfo ?? Source.Properties[column];
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
            if (value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject)
                value = wrapped.BaseObject;
            return true;
        }
    }
}
