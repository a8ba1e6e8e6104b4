using System.Collections.Generic;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// One input row as named values. The PowerShell layer adapts PSObjects to this; the engine never sees them.
    /// </summary>
    public interface IRecord
    {
        /// <summary>Column names in the record's own order.</summary>
        IEnumerable<string> ColumnNames { get; }

        /// <summary>Gets a column's value; false when the record has no such column.</summary>
        bool TryGetValue(string column, out object? value);

        /// <summary>
        /// An object that is the same for consecutive records with the same columns, so that what is found among one's
        /// columns holds for the others (<see cref="FeatureSchema"/> reading counters of another machine); null when unknown.
        /// </summary>
        object? ColumnsKey => null;

        /// <summary>
        /// Whether the record's columns may differ from those of the next record of the same source: a Get-Counter sample
        /// set holds the counter instances there were at its time (a process, an app pool, a disk comes and goes between
        /// samples), so a column missing from one says nothing of the others. False for rows that share a header (a file,
        /// Import-Csv's objects).
        /// </summary>
        bool ColumnsComeAndGo => false;
    }

    /// <summary>
    /// A value that is an object of properties of its own (a nested object of JSON, a [pscustomobject] in a property), as
    /// the PowerShell layer gives it: shown as PowerShell shows it, and no measurement (<see cref="FeatureSchema.IsComposite"/>).
    /// </summary>
    public sealed class NestedObject
    {
        private readonly string text;

        public NestedObject(string text) => this.text = text;

        public override string ToString() => text;
    }
}
