using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Threading;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// A row's type names, read and added per row without PSObject.TypeNames' copy. That property hands out a copy of a
    /// row's shared, read-only list and files it in a process-wide weak table keyed by the row: per row a list copy and a
    /// dependent GC handle that every later collection of the process scans, so a session that pipes rows through it
    /// grows slower with each row (.docs/performance.md, second round and ninth look). Rows of [pscustomobject]
    /// (Import-Csv, ConvertFrom-Csv, new PSObject()) keep their type names in the object itself: those that get a name
    /// here get one shared read-only list instead, as PowerShell does for the default names, and reading
    /// PSObject.TypeNames still gives a row its own copy to change. Without PowerShell's non-public members
    /// (<see cref="PowerShellInternals"/>), the public route.
    /// </summary>
    internal static class RowTypeNames
    {
        // The lists handed out so far: a row's list before, and the shared list with a name first. A few, so that two
        // cmdlets of one pipeline (ConvertTo-LogWindow | Test-Anomaly) each find theirs. Replaced whole, never changed.
        private static Added[] added = System.Array.Empty<Added>();
        private const int AddedKept = 4;
        private static bool publicTypeNameDone;

        /// <summary>The row's type names, to read only.</summary>
        public static IList<string> Of(PSObject row) =>
            PowerShellInternals.TypeNames is { } access ? access.Get(row) : row.TypeNames;

        /// <summary>Whether the row's type names include <paramref name="typeName"/>.</summary>
        public static bool Has(PSObject row, string typeName) => Of(row).Contains(typeName);

        /// <summary>
        /// Puts <paramref name="typeName"/> first in the row's type names. The first row of a process takes the public
        /// path, which also tells PowerShell's binders that the type carries instance type names.
        /// </summary>
        public static void Add(PSObject row, string typeName)
        {
            var access = PowerShellInternals.TypeNames;
            if (access != null && Volatile.Read(ref publicTypeNameDone) && row.ImmediateBaseObject is PSCustomObject)
            {
                var names = access.Get(row);
                if (access.IsReadOnly(names))
                {
                    access.Set(row, SharedWith(access, names, typeName));
                    return;
                }
            }
            row.TypeNames.Insert(0, typeName);
            Volatile.Write(ref publicTypeNameDone, true);
        }

        /// <summary>
        /// Puts <paramref name="typeName"/> first unless the row's names hold it, reading them once: a row that has a
        /// list handed out here (Import-Csv's rows all share one) is answered by reference comparisons.
        /// </summary>
        public static void Ensure(PSObject row, string typeName)
        {
            var access = PowerShellInternals.TypeNames;
            if (access != null && row.ImmediateBaseObject is PSCustomObject)
            {
                var names = access.Get(row);
                foreach (var pair in Volatile.Read(ref added))
                {
                    if (pair.TypeName != typeName) continue;
                    if (ReferenceEquals(names, pair.Shared)) return;
                    if (ReferenceEquals(names, pair.Source))
                    {
                        access.Set(row, pair.Shared);
                        return;
                    }
                }
            }
            if (!Has(row, typeName)) Add(row, typeName);
        }

        // The shared read-only list of typeName followed by the names of source.
        private static Collection<string> SharedWith(PowerShellInternals.TypeNameAccessors access, Collection<string> source, string typeName)
        {
            var known = Volatile.Read(ref added);
            foreach (var pair in known)
                if (ReferenceEquals(pair.Source, source) && pair.TypeName == typeName) return pair.Shared;
            var list = new List<string>(source.Count + 1) { typeName };
            list.AddRange(source);
            var made = new Added(source, access.NewReadOnly(list), typeName);
            var next = new Added[System.Math.Min(known.Length + 1, AddedKept)];
            next[0] = made;
            System.Array.Copy(known, 0, next, 1, next.Length - 1);
            // A race loses a cached pair, never a row's names.
            Volatile.Write(ref added, next);
            return made.Shared;
        }

        private sealed class Added
        {
            public Added(Collection<string> source, Collection<string> shared, string typeName)
            {
                Source = source;
                Shared = shared;
                TypeName = typeName;
            }

            public Collection<string> Source { get; }
            public Collection<string> Shared { get; }
            public string TypeName { get; }
        }
    }
}
