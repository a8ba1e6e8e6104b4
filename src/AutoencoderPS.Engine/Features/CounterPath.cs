using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Windows performance-counter columns (perfmon, typeperf, relog) are named by their full path, machine first:
    /// <c>\\WEB01\Processor(_Total)\% Processor Time</c>. A model trained on one machine's export reads another machine's
    /// export of the same counters (a fleet scoring in place with one shipped model) by putting the input's machine in
    /// place of the model's. The one place this is decided, for an input's whole set of columns at once, and only when it
    /// can't mix machines: the model's counters are all of one machine, that machine has no column in the input, and the
    /// input's counters are all of one other machine. Then every counter feature reads that machine's column of its
    /// path, and one the input lacks is missing. Otherwise (a model of several machines, a relog of several) every
    /// feature is read as named. Features keep their names; a row's score names them as its input does
    /// (<see cref="Modeling.RowScore.ReadOn"/>).
    /// </summary>
    public static class CounterPath
    {
        /// <summary>
        /// Splits a counter path into its machine (<c>WEB01</c>) and the rest (<c>\Processor(_Total)\% Processor Time</c>):
        /// two backslashes, a machine, then an object and a counter, each after a backslash. False for anything else
        /// (<c>\\nas01\home</c>, a share, is no counter path).
        /// </summary>
        public static bool TrySplit(string name, out string machine, out string path)
        {
            machine = path = "";
            if (name.Length < 7 || name[0] != '\\' || name[1] != '\\') return false;
            int slash = name.IndexOf('\\', 2);
            if (slash <= 2 || slash >= name.Length - 1) return false;
            // The counter after the object: a backslash after the object's name (which may hold "(...\...)" instances).
            int counter = name.LastIndexOf('\\');
            if (counter <= slash + 1 || counter >= name.Length - 1) return false;
            machine = name.Substring(2, slash - 2);
            path = name.Substring(slash);
            return true;
        }

        /// <summary>
        /// The columns of <paramref name="columns"/> that <paramref name="features"/> read, one per feature in order:
        /// the column as named, else the input's machine's column of the same counter when the machines can be put one for
        /// the other (see the class), else null (missing).
        /// </summary>
        public static string?[] Resolve(IReadOnlyList<string> features, IEnumerable<string> columns)
        {
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var c in columns) present.Add(c);
            var resolved = new string?[features.Count];
            for (int i = 0; i < features.Count; i++) resolved[i] = present.Contains(features[i]) ? features[i] : null;
            if (Array.IndexOf(resolved, null) < 0) return resolved;
            var input = InputMachine(features, present);
            if (input == null) return resolved;
            for (int i = 0; i < features.Count; i++)
                if (resolved[i] == null && TrySplit(features[i], out _, out var path) && present.Contains(@"\\" + input + path))
                    resolved[i] = @"\\" + input + path;
            return resolved;
        }

        /// <summary>
        /// The input's machine that stands for the model's, or null: when the model's counter features are not all of one
        /// machine, when that machine has a column in the input, or when the input's counters are not all of one machine.
        /// </summary>
        public static string? InputMachine(IEnumerable<string> features, IEnumerable<string> columns)
        {
            if (SoleMachine(features) is not { } model) return null;
            // One machine in the input, not the model's (a column of the model's machine beside another's is two machines).
            return SoleMachine(columns) is { } input && !string.Equals(input, model, StringComparison.OrdinalIgnoreCase) ? input : null;
        }

        /// <summary>
        /// <paramref name="name"/> (a feature, or a window's "feature (t-1)") on <paramref name="machine"/>: its counter path
        /// with that machine, as the input that stood for the model's names it; any other name as it is.
        /// </summary>
        public static string OnMachine(string name, string machine) =>
            machine.Length > 0 && TrySplit(name, out _, out var path) ? @"\\" + machine + path : name;

        /// <summary>
        /// The one machine of the counter paths among <paramref name="columns"/>, or null: none is a counter path, or they
        /// are of several machines (a relog of many).
        /// </summary>
        public static string? SoleMachine(IEnumerable<string> columns)
        {
            string? sole = null;
            foreach (var column in columns)
            {
                if (!TrySplit(column, out var machine, out _)) continue;
                if (sole == null) sole = machine;
                else if (!string.Equals(sole, machine, StringComparison.OrdinalIgnoreCase)) return null;
            }
            return sole;
        }

        /// <summary>
        /// Training rows of several machines' exports, each row of one machine's counters (a baseline of each web server,
        /// trained as one model): each row of another machine than the one chosen is given as if its counters were the
        /// chosen one's (<see cref="SameCounters"/>), so that one set of features is chosen, named as that machine's, and
        /// every machine's rows are read by it as scoring reads them (<see cref="Resolve"/>). The machines are those of
        /// the rows and of <paramref name="inputs"/> (the columns of every input file: the rows roles are chosen from may
        /// hold the first file's alone). The machine chosen is the one <paramref name="named"/> (the -Feature and
        /// -ExcludeFeature names) names first among them, else the first row's: the names the operator gave keep meaning
        /// what they say, whatever order the files came in. The rows as they are when there is one machine, or when a row
        /// or an input holds several machines' counters (a relog: nothing to map). <paramref name="machines"/>: the
        /// machines, the chosen first, when there are several, else empty; <paramref name="partial"/>: the counters (named
        /// as the chosen machine's) that not every machine holds, each with the machines that hold it.
        /// </summary>
        public static IReadOnlyList<IRecord> AsOneMachine(IReadOnlyList<IRecord> records, IEnumerable<string> named,
            IEnumerable<IReadOnlyList<string>>? inputs, out IReadOnlyList<string> machines, out IReadOnlyDictionary<string, IReadOnlyList<string>> partial)
        {
            machines = Array.Empty<string>();
            partial = new Dictionary<string, IReadOnlyList<string>>();
            var seen = new List<string>();
            // Per machine, the counters' paths its rows or inputs hold.
            var paths = new List<HashSet<string>>();
            // The machine of a set of columns (an index into seen): -1 none, -2 several (a relog).
            int MachineOf(IEnumerable<string> names)
            {
                var sole = SoleMachine(names);
                if (sole == null)
                {
                    foreach (var name in names) if (TrySplit(name, out _, out _)) return -2;
                    return -1;
                }
                int m = seen.FindIndex(x => string.Equals(x, sole, StringComparison.OrdinalIgnoreCase));
                if (m < 0)
                {
                    m = seen.Count;
                    seen.Add(sole);
                    paths.Add(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                }
                foreach (var name in names) if (TrySplit(name, out _, out var path)) paths[m].Add(path);
                return m;
            }
            var of = new int[records.Count];
            for (int i = 0; i < records.Count; i++)
            {
                var names = records[i].ColumnNames;
                // Rows of one file share their columns: looked at once per set of columns.
                if (i > 0 && ReferenceEquals(names, records[i - 1].ColumnNames)) of[i] = of[i - 1];
                else of[i] = MachineOf(names);
                if (of[i] == -2) return records;
            }
            foreach (var input in inputs ?? Array.Empty<IReadOnlyList<string>>())
                if (MachineOf(input) == -2) return records;
            if (seen.Count < 2) return records;
            int chosen = 0;
            foreach (var name in named)
                if (TrySplit(name, out var machine, out _) && seen.FindIndex(x => string.Equals(x, machine, StringComparison.OrdinalIgnoreCase)) is int k and >= 0)
                {
                    chosen = k;
                    break;
                }
            var target = seen[chosen];
            machines = new[] { target }.Concat(seen.Where((_, k) => k != chosen)).ToArray();
            var notEvery = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in paths.SelectMany(p => p).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var holders = seen.Where((_, k) => paths[k].Contains(path)).ToArray();
                if (holders.Length < seen.Count) notEvery[@"\\" + target + path] = holders;
            }
            partial = notEvery;
            var mapped = new IRecord[records.Count];
            for (int i = 0; i < records.Count; i++)
                mapped[i] = of[i] >= 0 && of[i] != chosen ? new SameCounters(records[i], seen[of[i]], target) : records[i];
            return mapped;
        }

        /// <summary>
        /// A row of one machine's counters given as if they were another's (<see cref="AsOneMachine"/>): its counter
        /// columns named after <see cref="As"/>, its other columns as they are.
        /// </summary>
        public sealed class SameCounters : IRecord
        {
            private readonly IRecord row;
            private readonly string prefix, asPrefix;

            internal SameCounters(IRecord row, string machine, string asMachine)
            {
                this.row = row;
                Machine = machine.ToUpperInvariant();
                prefix = @"\\" + machine;
                asPrefix = @"\\" + asMachine;
                As = asMachine;
            }

            /// <summary>The row's own machine (in capitals, as a series is named: FeatureSchema.SeriesMachine).</summary>
            public string Machine { get; }

            /// <summary>The machine its counters are named after.</summary>
            public string As { get; }

            public bool ColumnsComeAndGo => row.ColumnsComeAndGo;

            public IEnumerable<string> ColumnNames
            {
                get
                {
                    foreach (var name in row.ColumnNames)
                        yield return TrySplit(name, out _, out var path) ? asPrefix + path : name;
                }
            }

            public bool TryGetValue(string column, out object? value)
            {
                if (TrySplit(column, out var machine, out var path) && string.Equals(machine, As, StringComparison.OrdinalIgnoreCase))
                    return row.TryGetValue(prefix + path, out value);
                return row.TryGetValue(column, out value);
            }
        }

        /// <summary>
        /// The machines whose columns hold counter <paramref name="feature"/>'s path in <paramref name="columns"/>, when
        /// they are several (a relog of many machines, which no machine of a model stands for); else null.
        /// </summary>
        public static IReadOnlyList<string>? Machines(string feature, IEnumerable<string> columns)
        {
            if (!TrySplit(feature, out _, out var path)) return null;
            var holding = new List<string>();
            foreach (var column in columns)
                if (TrySplit(column, out _, out var other) && string.Equals(other, path, StringComparison.OrdinalIgnoreCase)) holding.Add(column);
            return holding.Count > 1 ? holding : null;
        }
    }
}
