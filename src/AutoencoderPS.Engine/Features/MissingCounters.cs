using System;
using System.Linq;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// A machine whose performance counters lack one that the features read. Every row of its export is alike (the
    /// export has no such column), so it is one error at its first row, saying which machine, which counters and what
    /// to do, rather than one error per row and, after 100, a stop that blames the culture or the delimiter. The usual
    /// way in: training on piped rows of several hosts, whose features are chosen from the rows that come first (piped
    /// rows have no header to read ahead, as <c>-Path</c> files have), so a host whose rows come later had no say in them.
    /// </summary>
    public static class MissingCounters
    {
        /// <summary>
        /// The CounterMissingOnMachine error for <paramref name="record"/>, whose reading by <paramref name="schema"/>
        /// failed with <paramref name="error"/>; null when that is no missing counter of one machine's export (a value
        /// that can't be read, a column that is no counter, a relog of several machines, a model of several machines'
        /// counters). Piped rows of the machine the features are named after, and Get-Counter sample sets of any machine
        /// (<see cref="IRecord.ColumnsComeAndGo"/>), are left to their own error: a counter instance may come and go
        /// between samples; a file's rows never are (its header lacks it).
        /// <paramref name="featuresFixed"/>: the model is trained already (training further), so its features are not
        /// chosen again (training further, scoring, a threshold on new rows); <paramref name="fromFiles"/>: the rows are
        /// read from -Path files.
        /// </summary>
        public static AutoencoderException? Check(FeatureSchema schema, IRecord record, FeatureValueException error, bool featuresFixed, bool fromFiles)
        {
            if (error.Problem != FeatureValueProblem.MissingColumn || !CounterPath.TrySplit(error.Column, out _, out _)) return null;
            var features = schema.Names;
            if (CounterPath.SoleMachine(features) is not { } named) return null;
            var columns = record.ColumnNames.ToArray();
            if (CounterPath.SoleMachine(columns) is not { } machine) return null;
            bool own = string.Equals(machine, named, StringComparison.OrdinalIgnoreCase);
            if (own && record is not Csv.CsvRecord) return null;
            // A Get-Counter sample set holds the instances there were at its time: one without a process's counter (an app
            // pool recycled) is that sample's error, whatever the machine; the machine's other samples hold it.
            if (record.ColumnsComeAndGo) return null;
            var read = CounterPath.Resolve(features, columns);
            var lacking = features.Where((name, i) => read[i] == null && CounterPath.TrySplit(name, out _, out _)).ToArray();
            if (lacking.Length == 0) return null;

            string List(Func<string, string> shown) => string.Join(", ", lacking.Select(name => $"'{Text.PrintableText.Cut(shown(name), 120)}'"));
            string them = lacking.Length == 1 ? "it" : "them";
            string asNamed = List(name => name);
            string message = $"The performance counters of {machine} lack {List(name => CounterPath.OnMachine(name, machine))}, " +
                (own ? "which the features read" : $"which the features read (named as {named}'s: {asNamed})") +
                $", so none of {machine}'s rows can be read.";
            if (featuresFixed)
                return new AutoencoderException(ErrorIds.CounterMissingOnMachine, message +
                    $" The model was trained with {them}: for {machine}, use a model trained without {them} (New-Autoencoder -ExcludeFeature {asNamed}), or leave its rows out.");
            if (fromFiles)
                return new AutoencoderException(ErrorIds.CounterMissingOnMachine, message +
                    $" Leave {them} out with New-Autoencoder -ExcludeFeature {asNamed}, or train without this export.");
            return new AutoencoderException(ErrorIds.CounterMissingOnMachine, message +
                " The features were chosen from the rows that came first: piped rows can't be read ahead, so a host whose rows come later " +
                "has no say in them. Give every host's export with -Path (Invoke-AutoencoderTraining -Path <each host's file>), which reads " +
                $"every file's header first and leaves out a counter not every host's export holds; or leave {them} out with " +
                $"New-Autoencoder -ExcludeFeature {asNamed}.");
        }
    }
}
