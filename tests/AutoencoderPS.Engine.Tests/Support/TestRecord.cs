using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// A minimal <see cref="IRecord"/> over named values. Column lookup ignores case, as a PSObject's does;
    /// <see cref="ColumnNames"/> keeps the order the values were given in.
    /// </summary>
    internal sealed class TestRecord : IRecord
    {
        private readonly List<string> names = new List<string>();
        private readonly Dictionary<string, object?> values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        public TestRecord(params (string Name, object? Value)[] columns)
        {
            foreach (var (name, value) in columns)
            {
                names.Add(name);
                values.Add(name, value);
            }
        }

        public IEnumerable<string> ColumnNames => names;

        /// <summary>As a Get-Counter sample set's row: its columns are those of its time (IRecord.ColumnsComeAndGo).</summary>
        public bool ColumnsComeAndGo { get; init; }

        public bool TryGetValue(string column, out object? value) => values.TryGetValue(column, out value);

        /// <summary>A record whose columns are <paramref name="names"/> holding <paramref name="row"/>'s values.</summary>
        public static TestRecord FromRow(IReadOnlyList<string> names, IReadOnlyList<double> row) =>
            new TestRecord(names.Select((n, i) => (n, (object?)row[i])).ToArray());
    }
}
