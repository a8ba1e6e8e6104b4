using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Performance counters of another machine (Features.CounterPath): the input's machine stands for the model's only
    /// when that can't mix machines.
    /// </summary>
    public sealed class CounterPathTests
    {
        private const string Cpu = @"\Processor(_Total)\% Processor Time";
        private const string Memory = @"\Memory\Available MBytes";

        private static string On(string machine, string path) => @"\\" + machine + path;

        [Theory]
        [InlineData(@"\\WEB01\Processor(_Total)\% Processor Time", "WEB01", @"\Processor(_Total)\% Processor Time")]
        [InlineData(@"\\10.0.0.5\Memory\Available MBytes", "10.0.0.5", @"\Memory\Available MBytes")]
        [InlineData(@"\\web01.corp.example\Process(\\fs01\share)\% Processor Time", "web01.corp.example", @"\Process(\\fs01\share)\% Processor Time")]
        [InlineData(@"\\nas01\home", null, null)]
        [InlineData(@"\Memory\Available MBytes", null, null)]
        [InlineData(@"\\WEB01\Memory\", null, null)]
        [InlineData(@"\\\Memory\x", null, null)]
        [InlineData("cpu", null, null)]
        public void ACounterPathIsAMachineAnObjectAndACounter(string name, string? machine, string? path)
        {
            Assert.Equal(machine != null, CounterPath.TrySplit(name, out var m, out var p));
            if (machine == null) return;
            Assert.Equal(machine, m);
            Assert.Equal(path, p);
        }

        [Fact]
        public void AnotherMachineStandsForTheModelsOnlyWhenNothingCanBeMixed()
        {
            var features = new[] { On("WEB01", Cpu), On("WEB01", Memory), "note" };
            // One other machine: each counter reads its column; one it lacks is missing.
            Assert.Equal(new[] { On("web02", Cpu), On("web02", Memory), "note" },
                CounterPath.Resolve(features, new[] { "time", On("web02", Cpu), On("web02", Memory), "note" }));
            Assert.Equal(new[] { On("WEB02", Cpu), null, null }, CounterPath.Resolve(features, new[] { On("WEB02", Cpu) }));
            // The model's machine in the input (its own export, lacking a counter): as named only, never another's.
            Assert.Equal(new[] { On("WEB01", Cpu), null, null }, CounterPath.Resolve(features, new[] { On("WEB01", Cpu), On("WEB02", Memory) }));
            // Several machines in the input (a relog): none stands for the model's.
            Assert.Equal(new string?[] { null, null, null }, CounterPath.Resolve(features, new[] { On("WEB02", Cpu), On("WEB02", Memory), On("WEB03", Memory) }));
            // A model of several machines: its counters are read as named, never one machine's column for two features.
            var relog = new[] { On("WEB01", Cpu), On("WEB02", Cpu) };
            Assert.Equal(new[] { On("WEB01", Cpu), null }, CounterPath.Resolve(relog, new[] { On("WEB01", Cpu) }));
            Assert.Equal(new string?[] { null, null }, CounterPath.Resolve(relog, new[] { On("WEB03", Cpu) }));
            // Names that only start with two backslashes are no counters.
            Assert.Equal(new string?[] { null }, CounterPath.Resolve(new[] { @"\\nas02\home" }, new[] { @"\\nas01\home" }));
        }

        [Fact]
        public void AFeatureIsReadFromTheColumnTheRuleChoosesForRecordsAndFiles()
        {
            var schema = new FeatureSchema(new[] { On("WEB01", Cpu), On("WEB01", Memory) });
            var row = new double[2];
            schema.Featurize(new TestRecord(("time", "x"), (On("WEB02", Memory), 7.0), (On("WEB02", Cpu), 42.0)), CultureInfo.InvariantCulture, row);
            Assert.Equal(new[] { 42.0, 7.0 }, row);
            var mixed = new TestRecord((On("WEB01", Cpu), 1.0), (On("WEB02", Memory), 2.0));
            var e = Assert.Throws<FeatureValueException>(() => schema.Featurize(mixed, CultureInfo.InvariantCulture, row));
            Assert.Equal(ErrorIds.MissingFeatureColumn, e.ErrorId);

            var header = new CsvHeader(new[] { "time", On("WEB02", Memory), On("WEB02", Cpu) }, "f.csv");
            Assert.Equal(new[] { 2, 1 }, schema.FieldIndexFor(header));
            Assert.Equal(new[] { 1, -1 }, schema.FieldIndexFor(new CsvHeader(new[] { "time", On("WEB01", Cpu), On("WEB02", Memory) }, "g.csv")));
        }

        [Fact]
        public void EachMachineStandingForTheModelsIsItsOwnSeriesAndTheModelsOwnIsTheOneSeries()
        {
            var schema = new FeatureSchema(new[] { On("WEB01", Cpu), On("WEB01", Memory) });
            Assert.Equal("", schema.SeriesMachine(new TestRecord((On("WEB01", Cpu), 1.0), (On("WEB01", Memory), 2.0))));
            Assert.Equal("WEB02", schema.SeriesMachine(new TestRecord((On("WEB02", Cpu), 1.0), (On("WEB02", Memory), 2.0))));
            // One host's files may spell its name differently (web02, WEB02): one series.
            Assert.Equal("WEB02", schema.SeriesMachine(new TestRecord((On("web02", Cpu), 1.0), (On("web02", Memory), 2.0))));
            Assert.Equal("WEB03", schema.SeriesMachine(new CsvRecord(new CsvHeader(new[] { "time", On("WEB03", Memory), On("WEB03", Cpu) }, "w3.csv"), new[] { "t", "1", "2" }, "w3.csv", 2)));
            Assert.Equal("", schema.SeriesMachine(new CsvRecord(new CsvHeader(new[] { "time", On("WEB01", Memory), On("WEB01", Cpu) }, "w1.csv"), new[] { "t", "1", "2" }, "w1.csv", 2)));
            // Not read in place of the model's (two other machines): no machine, as before.
            Assert.Equal("", schema.SeriesMachine(new TestRecord((On("WEB02", Cpu), 1.0), (On("WEB03", Memory), 2.0))));
            // A model of no counters: one series.
            Assert.Equal("", new FeatureSchema(new[] { "cpu" }).SeriesMachine(new TestRecord(("cpu", 1.0))));
        }

        [Fact]
        public void TrainingRowsOfSeveralMachinesChooseOneSetOfFeaturesNamedAsTheFirstMachines()
        {
            var rows = new List<IRecord>();
            for (int i = 0; i < 40; i++)
            {
                rows.Add(new TestRecord(("time", $"2026-11-02 00:{i:00}:00"), (On("WEB02", Cpu), 40.0 + i % 7), (On("WEB02", Memory), 900.0 - i % 5)));
                rows.Add(new TestRecord(("time", $"2026-11-02 00:{i:00}:00"), (On("web03", Memory), 700.0 + i % 3), (On("web03", Cpu), 30.0 + i % 4)));
            }
            var mapped = CounterPath.AsOneMachine(rows, Array.Empty<string>(), null, out var machines, out _);
            Assert.Equal(new[] { "WEB02", "web03" }, machines);
            Assert.Same(rows[0], mapped[0]);
            var other = Assert.IsType<CounterPath.SameCounters>(mapped[1]);
            Assert.Equal("WEB03", other.Machine);
            Assert.Equal(new[] { "time", On("WEB02", Memory), On("WEB02", Cpu) }, other.ColumnNames);
            Assert.True(other.TryGetValue(On("WEB02", Cpu), out var cpu));
            Assert.Equal(30.0, cpu);
            Assert.True(other.TryGetValue("time", out _));

            var schema = FeatureSchema.Infer(rows, null, new[] { "time" }, CultureInfo.InvariantCulture, out var decisions);
            Assert.Equal(new[] { On("WEB02", Cpu), On("WEB02", Memory) }, schema.Names);
            Assert.Contains(decisions, d => d.StartsWith("Performance counters of 2 machines (WEB02, web03): the features are named as WEB02's", StringComparison.Ordinal));
            Assert.Equal("WEB03", schema.SeriesMachine(rows[1]));

            // The machine -Feature or -ExcludeFeature names is the one the features are named after, whatever came first;
            // a counter only one machine holds is no feature (its rows would lack it on the others).
            const string Disk = @"\PhysicalDisk(_Total)\Disk Transfers/sec";
            var withDisk = rows.Select((r, i) => i % 2 == 0 ? r
                : new TestRecord(("time", $"2026-11-02 00:{i / 2:00}:00"), (On("web03", Memory), 700.0 + i % 3), (On("web03", Cpu), 30.0 + i % 4), (On("web03", Disk), 5.0 + i % 6)))
                .ToList<IRecord>();
            var excluding = FeatureSchema.Infer(withDisk, null, new[] { "time", On("web03", Memory) }, CultureInfo.InvariantCulture, out decisions);
            Assert.Equal(new[] { On("web03", Cpu) }, excluding.Names);
            Assert.Contains(decisions, d => d.StartsWith("Performance counters of 2 machines (web03, WEB02)", StringComparison.Ordinal));
            Assert.Contains(decisions, d => d.Contains(@"'\\web03\PhysicalDisk(_Total)\Disk Transfers/sec': not a feature (a counter of web03 only, not of every machine's export)", StringComparison.Ordinal));
            var naming = FeatureSchema.Infer(withDisk, new[] { On("WEB03", Cpu), On("WEB03", Memory) }, new[] { "time" }, CultureInfo.InvariantCulture, out _);
            Assert.Equal(new[] { On("WEB03", Cpu), On("WEB03", Memory) }, naming.Names, StringComparer.OrdinalIgnoreCase);
            // Named, a counter one machine lacks is refused at once (every row of that machine would be an error).
            var lacking = Assert.Throws<AutoencoderException>(() =>
                FeatureSchema.Infer(withDisk, new[] { On("WEB03", Cpu), On("WEB03", Disk) }, new[] { "time" }, CultureInfo.InvariantCulture, out _));
            Assert.Equal(ErrorIds.MissingFeatureColumn, lacking.ErrorId);
            Assert.Contains(@"is a counter of web03 only: the exports of WEB02 lack it", lacking.Message, StringComparison.Ordinal);
            // Rows of the first file alone (a long file: the rows roles are chosen from), with the other files' columns: the
            // same choice as with both machines' rows.
            var firstFile = withDisk.Where((_, i) => i % 2 == 0).ToList();
            var web03Columns = new[] { "time", On("web03", Memory), On("web03", Cpu), On("web03", Disk) };
            Assert.Equal(new[] { On("web03", Cpu) },
                FeatureSchema.Infer(firstFile, null, new[] { "time", On("web03", Memory) }, CultureInfo.InvariantCulture, out _, out _, inputs: new[] { web03Columns }).Names);
            Assert.Equal(new[] { On("WEB02", Cpu), On("WEB02", Memory) },
                FeatureSchema.Infer(firstFile, null, new[] { "time" }, CultureInfo.InvariantCulture, out _, out _, inputs: new[] { web03Columns }).Names);
            Assert.Contains("is a counter of web03 only", Assert.Throws<AutoencoderException>(() => FeatureSchema.Infer(firstFile,
                new[] { On("WEB02", Cpu), On("web03", Disk) }, new[] { "time" }, CultureInfo.InvariantCulture, out _, out _, inputs: new[] { web03Columns })).Message);
            Assert.Equal(new[] { On("WEB02", Cpu), On("WEB02", Memory) }, FeatureSchema.Infer(withDisk, null, new[] { "time" }, CultureInfo.InvariantCulture, out _).Names);

            // One machine, or a relog holding several in a row: as they are.
            var single = rows.Where((_, i) => i % 2 == 0).ToList();
            Assert.Same(single, CounterPath.AsOneMachine(single, Array.Empty<string>(), null, out var none, out _));
            Assert.Empty(none);
            var relog = new List<IRecord>(rows) { new TestRecord((On("WEB02", Cpu), 1.0), (On("WEB03", Cpu), 2.0)) };
            Assert.Same(relog, CounterPath.AsOneMachine(relog, Array.Empty<string>(), null, out none, out _));
            Assert.Empty(none);
        }

        [Theory]
        [InlineData(@"\\WEB01\Memory\Available MBytes", "web02", @"\\web02\Memory\Available MBytes")]
        [InlineData(@"\\WEB01\Memory\Available MBytes (t-1)", "WEB02", @"\\WEB02\Memory\Available MBytes (t-1)")]
        [InlineData(@"\\WEB01\Memory\Available MBytes", "", @"\\WEB01\Memory\Available MBytes")]
        [InlineData("cpu", "WEB02", "cpu")]
        public void AFeatureIsNamedOnTheMachineItsInputWasReadOn(string name, string machine, string expected) =>
            Assert.Equal(expected, CounterPath.OnMachine(name, machine));

        [Fact]
        public void ARowsErrorNamesTheColumnAsItsInputDoes()
        {
            var schema = new FeatureSchema(new[] { On("WEB01", Cpu), On("WEB01", Memory) });
            var row = new TestRecord((On("WEB02", Cpu), "abc"), (On("WEB02", Memory), 7.0));
            var e = Assert.Throws<FeatureValueException>(() => schema.Featurize(row, CultureInfo.InvariantCulture, new double[2]));
            Assert.Equal(On("WEB01", Cpu), e.Column);
            var read = e.ReadOn(schema.InputMachine(row), CultureInfo.InvariantCulture);
            Assert.Equal(On("WEB02", Cpu), read.Column);
            Assert.Equal(e.ErrorId, read.ErrorId);
            Assert.Contains(@"column '\\WEB02\Processor(_Total)\% Processor Time' has value 'abc'", read.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("WEB01", read.Message, StringComparison.Ordinal);
            // The header again, under WEB02's names, is told as such.
            var again = new TestRecord((On("WEB02", Cpu), On("WEB02", Cpu)), (On("WEB02", Memory), 7.0));
            var header = Assert.Throws<FeatureValueException>(() => schema.Featurize(again, CultureInfo.InvariantCulture, new double[2]));
            Assert.Contains("the row is the header again", header.ReadOn("WEB02", CultureInfo.InvariantCulture).Message, StringComparison.Ordinal);
            // The model's own machine, or a column that is no counter: as it is.
            Assert.Same(e, e.ReadOn("", CultureInfo.InvariantCulture));
            var time = new FeatureValueException(FeatureValueProblem.Empty, "time", null, "column 'time' is empty.");
            Assert.Same(time, time.ReadOn("WEB02", CultureInfo.InvariantCulture));
        }

        [Fact]
        public void AnInputOfSeveralMachinesIsRefusedSayingWhichMachinesHoldTheCounter()
        {
            var error = ColumnMismatch.Check("File 'relog.csv'", new[] { On("WEB01", Cpu) }, null, new[] { "time", On("web02", Cpu), On("WEB03", Cpu) }, _ => false);
            Assert.NotNull(error);
            Assert.Equal(ErrorIds.FeatureColumnsMissing, error!.ErrorId);
            Assert.Contains(@"holds the counter '\Processor(_Total)\% Processor Time' of 2 machines ('\\web02\Processor(_Total)\% Processor Time', '\\WEB03\Processor(_Total)\% Processor Time')", error.Message);
            Assert.Null(ColumnMismatch.Check("File 'web02.csv'", new[] { On("WEB01", Cpu) }, null, new[] { "time", On("web02", Cpu) }, _ => false));
            // A mixed export (the model's machine and another): the missing counter is missing.
            Assert.NotNull(ColumnMismatch.Check("File 'mixed.csv'", new[] { On("WEB01", Cpu), On("WEB01", Memory) }, null,
                new[] { On("WEB01", Cpu), On("WEB02", Memory) }, n => string.Equals(n, On("WEB01", Cpu), StringComparison.OrdinalIgnoreCase)));
        }

        [Fact]
        public void AMachineLackingACounterTheFeaturesReadIsOneErrorNamingItsCounterAndWhatToDo()
        {
            var schema = new FeatureSchema(new[] { On("WEB01", Cpu), On("WEB01", Memory), "note" });
            FeatureValueException Fails(IRecord record) =>
                Assert.Throws<FeatureValueException>(() => schema.Featurize(record, CultureInfo.InvariantCulture, new double[3]));

            // Another machine's row without the memory counter: named as its machine writes it, and as the features name it.
            var web03 = new TestRecord(("time", "x"), (On("WEB03", Cpu), 1.0), ("note", 2.0));
            var piped = MissingCounters.Check(schema, web03, Fails(web03), featuresFixed: false, fromFiles: false);
            Assert.NotNull(piped);
            Assert.Equal(ErrorIds.CounterMissingOnMachine, piped!.ErrorId);
            Assert.StartsWith($"The performance counters of WEB03 lack '{On("WEB03", Memory)}', which the features read (named as WEB01's: '{On("WEB01", Memory)}')", piped.Message);
            Assert.Contains("-Path", piped.Message);
            Assert.Contains($"-ExcludeFeature '{On("WEB01", Memory)}'", piped.Message);
            var trained = MissingCounters.Check(schema, web03, Fails(web03), featuresFixed: true, fromFiles: false)!;
            Assert.Contains("The model was trained with it", trained.Message);
            Assert.DoesNotContain("-Path", trained.Message);

            // Not a machine's missing counter: a column that is no counter, a relog of two machines, a value that is no number.
            var noNote = new TestRecord((On("WEB03", Cpu), 1.0), (On("WEB03", Memory), 2.0));
            Assert.Null(MissingCounters.Check(schema, noNote, Fails(noNote), featuresFixed: false, fromFiles: false));
            var relog = new TestRecord((On("WEB02", Cpu), 1.0), (On("WEB03", Cpu), 1.0), ("note", 2.0));
            Assert.Null(MissingCounters.Check(schema, relog, Fails(relog), featuresFixed: false, fromFiles: false));
            var text = new TestRecord((On("WEB03", Cpu), "abc"), (On("WEB03", Memory), 2.0), ("note", 2.0));
            Assert.Null(MissingCounters.Check(schema, text, Fails(text), featuresFixed: false, fromFiles: false));
            // A piped row of the features' own machine is left to its own error (a counter instance that came and went).
            var own = new TestRecord((On("web01", Cpu), 1.0), ("note", 2.0));
            Assert.Null(MissingCounters.Check(schema, own, Fails(own), featuresFixed: false, fromFiles: false));
            // Nor a Get-Counter sample set of another machine: it holds the instances there were at its time.
            var sample = new TestRecord(("time", "x"), (On("WEB03", Cpu), 1.0), ("note", 2.0)) { ColumnsComeAndGo = true };
            Assert.Null(MissingCounters.Check(schema, sample, Fails(sample), featuresFixed: false, fromFiles: false));
            Assert.Null(MissingCounters.Check(schema, sample, Fails(sample), featuresFixed: true, fromFiles: false));
        }
    }
}
