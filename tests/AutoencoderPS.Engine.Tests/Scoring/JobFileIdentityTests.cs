using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Scoring.Incremental;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The scheduled job knows an input by the file its name leads to: a link and its target, or a file named through a
    /// linked folder and by its own path, are one file, read once in a run and kept under one state entry. Linux and macOS (links made with File.CreateSymbolicLink, which Windows
    /// allows only with a privilege); on Windows the tests return at once.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class JobFileIdentityTests : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();
        private int nextId = 1;

        public JobFileIdentityTests(TorchFixture fixture) => this.fixture = fixture;

        public void Dispose() => temp.Dispose();

        private string Output => temp.File("scored.csv");

        // A file of rows with ids nextId.., so that each row's count in the output can be checked.
        private string Export(string path, int rows)
        {
            string text = SyntheticData.CsvHeader + "\n" + SyntheticData.CsvRows(rows, 5 + nextId, nextId);
            nextId += rows;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text, Utf8);
            return path;
        }

        private AnomalyScoringSummary Run(RecordingObserver recorder, params string[] files) =>
            new IncrementalScoringJob(fixture.Reference.Model,
                new IncrementalScoringOptions { OutputPath = Output, StatePath = IncrementalScoringOptions.DefaultStatePath(Output) }, recorder).Run(files);

        private List<CsvRecord> Scored() => CsvSource.Read(Output, new CsvInputOptions()).ToList();

        private void AssertEveryIdOnce()
        {
            var ids = Scored().Select(r => { r.TryGetValue("Id", out var id); return int.Parse((string)id!, CultureInfo.InvariantCulture); }).OrderBy(i => i);
            Assert.Equal(Enumerable.Range(1, nextId - 1), ids);
        }

        [Fact]
        public void ALinkAndTheFileItLeadsToAreReadOnceAndKeptUnderTheFilesPath()
        {
            if (OperatingSystem.IsWindows()) return;
            // An exporter's folder: dated files and latest.csv, a link to the newest, scored with -Path '<folder>/*.csv'.
            string day1 = Export(temp.File("exports/export-day1.csv"), 20);
            string latest = temp.File("exports/latest.csv");
            File.CreateSymbolicLink(latest, day1);

            var recorder = new RecordingObserver();
            var first = Run(recorder, day1, latest);
            Assert.Equal(20, first.RowsScored);
            Assert.Equal(1, first.Files);
            AssertEveryIdOnce();
            Assert.All(Scored(), r => { r.TryGetValue("SourceFile", out var file); Assert.Equal(day1, file); });
            Assert.Contains(recorder.VerboseMessages, m => m.Contains($"'{day1}' and '{latest}' are one file") || m.Contains($"'{latest}' and '{day1}' are one file"));

            // The next day: a new file, and the link pointed at it. Day 1 goes on from its own entry, and day 2 is read
            // once, not a second time as latest.csv "rotated or replaced".
            string day2 = Export(temp.File("exports/export-day2.csv"), 15);
            File.Delete(latest);
            File.CreateSymbolicLink(latest, day2);
            recorder = new RecordingObserver();
            var second = Run(recorder, day1, day2, latest);
            Assert.Equal(15, second.RowsScored);
            Assert.Empty(recorder.Warnings);
            AssertEveryIdOnce();

            // Named through the link alone, a day later: nothing is new in the file it leads to.
            Assert.Equal(0, Run(new RecordingObserver(), latest).RowsScored);
            AssertEveryIdOnce();
        }

        [Fact]
        public void AnEntryKeptUnderALinksNameGoesOverToItsFileOrIsDroppedWhenTheFileHasItsOwn()
        {
            if (OperatingSystem.IsWindows()) return;
            string day1 = Export(temp.File("exports/export-day1.csv"), 20);
            string latest = temp.File("exports/latest.csv");
            File.CreateSymbolicLink(latest, day1);
            Assert.Equal(20, Run(new RecordingObserver(), day1).RowsScored);

            // A state of a version that knew inputs by the names given: the file's entry under the link's name.
            string statePath = IncrementalScoringOptions.DefaultStatePath(Output);
            var state = ScoringState.Load(statePath)!;
            state.Files.Single().Path = latest;
            state.Save(statePath);
            var recorder = new RecordingObserver();
            Assert.Equal(0, Run(recorder, latest).RowsScored);
            Assert.Contains(recorder.VerboseMessages, m => m.Contains($"kept under the name '{latest}', a link to it"));
            // Committed with the next rows: under the file's own path.
            string more = Export(temp.File("more.csv"), 5);
            File.AppendAllText(day1, string.Concat(File.ReadAllLines(more).Skip(1).Select(l => l + "\n")), Utf8);
            File.Delete(more);
            Assert.Equal(5, Run(new RecordingObserver(), latest).RowsScored);
            Assert.Equal(new[] { day1 }, ScoringState.Load(statePath)!.Files.Select(f => f.Path).ToArray());

            // Both: the file's own entry goes on, the link's is dropped.
            state = ScoringState.Load(statePath)!;
            var linkEntry = ScoringState.Load(statePath)!.Files.Single();
            linkEntry.Path = latest;
            state.Files.Add(linkEntry);
            state.Save(statePath);
            recorder = new RecordingObserver();
            Assert.Equal(0, Run(recorder, day1, latest).RowsScored);
            Assert.Contains(recorder.VerboseMessages, m => m.Contains($"Forgetting the entry of '{latest}'"));
            AssertEveryIdOnce();
        }

        [Fact]
        public void AFileNamedThroughALinkedFolderAndByItsOwnPathIsOneFile()
        {
            if (OperatingSystem.IsWindows()) return;
            string real = Export(temp.File("real/sub/a.csv"), 12);
            Directory.CreateSymbolicLink(temp.File("link"), temp.File("real"));
            string viaLink = temp.File("link/sub/a.csv");

            var recorder = new RecordingObserver();
            var summary = Run(recorder, viaLink, real, temp.File("real/sub/../sub/a.csv"));
            Assert.Equal(12, summary.RowsScored);
            AssertEveryIdOnce();
            Assert.Contains(recorder.VerboseMessages, m => m.Contains("are one file") && m.Contains(viaLink) && m.Contains(real));
            Assert.Equal(0, Run(new RecordingObserver(), viaLink).RowsScored);
        }

        [Fact]
        public void AnOutputReachedThroughALinkedFolderIsTheRunsOwnFileNotAnInput()
        {
            if (OperatingSystem.IsWindows()) return;
            string input = Export(temp.File("a.csv"), 10);
            Directory.CreateSymbolicLink(temp.File("link"), temp.Path);
            // -Path '<link>/*.csv' matches the output too, under the link's name.
            var first = Run(new RecordingObserver(), input);
            Assert.Equal(10, first.RowsScored);
            var recorder = new RecordingObserver();
            var second = Run(recorder, temp.File("link/a.csv"), temp.File("link/scored.csv"));
            Assert.Equal(0, second.FilesFailed);
            Assert.Equal(0, second.RowsScored);
            Assert.Contains(recorder.VerboseMessages, m => m.Contains("this run's own output"));
        }
    }
}
