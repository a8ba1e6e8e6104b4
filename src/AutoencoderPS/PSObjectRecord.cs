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
                foreach (var property in Source.Properties)
                    if (property.IsGettable) yield return property.Name;
            }
        }

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
