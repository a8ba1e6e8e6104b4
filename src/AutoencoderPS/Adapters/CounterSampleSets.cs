using System;
using System.Collections;
using System.Management.Automation;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// Get-Counter's output as rows: a sample set (PerformanceCounterSampleSet, live or deserialized from a job, a
    /// remote session or Import-Clixml) is one row of its counters' cooked values, each named by its counter path
    /// (\\web01\processor(_total)\% processor time), at the set's Timestamp. Read as the set object, the counters were
    /// one array-valued property: a single category that never changes, and nothing to learn.
    /// </summary>
    internal static class CounterSampleSets
    {
        private const string SetType = "Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSampleSet";

        /// <summary>The row <paramref name="input"/> stands for: a sample set's counters, or the input itself.</summary>
        public static PSObject Row(PSObject input)
        {
            if (!IsSampleSet(input)) return input;
            var row = new PSObject();
            row.Properties.Add(new PSNoteProperty("Timestamp", Plain(input.Properties["Timestamp"]?.Value)));
            if (LanguagePrimitives.GetEnumerable(Plain(input.Properties["CounterSamples"]?.Value)) is IEnumerable samples)
            {
                foreach (var item in samples)
                {
                    if (item == null) continue;
                    var sample = PSObject.AsPSObject(item);
                    if (Plain(sample.Properties["Path"]?.Value)?.ToString() is not { Length: > 0 } path) continue;
                    // A counter named twice in one set (Get-Counter -Counter a,a) is one column, its first value.
                    if (row.Properties[path] != null) continue;
                    // A sample whose status is not valid data (PDH_CSTATUS_VALID_DATA 0, NEW_DATA 1) has a CookedValue of 0
                    // that was never measured: a missing value (filled in and listed in ImputedFeatures), not a zero.
                    bool valid = Plain(sample.Properties["Status"]?.Value) is not { } status || IsValidStatus(status);
                    row.Properties.Add(new PSNoteProperty(path, valid ? Plain(sample.Properties["CookedValue"]?.Value) : null));
                }
            }
            return row;
        }

        /// <summary>Whether <paramref name="input"/> is a sample set, live or deserialized.</summary>
        // One type-name comparison per row for every other input (a [pscustomobject]'s first name is its own).
        public static bool IsSampleSet(PSObject input) =>
            RowTypeNames.Of(input) is { Count: > 0 } names && names[0].EndsWith(SetType, StringComparison.Ordinal);

        private static bool IsValidStatus(object status)
        {
            try { return Convert.ToInt64(status, System.Globalization.CultureInfo.InvariantCulture) is 0 or 1; }
            catch (Exception e) when (e is FormatException || e is InvalidCastException || e is OverflowException) { return true; }
        }

        private static object? Plain(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
