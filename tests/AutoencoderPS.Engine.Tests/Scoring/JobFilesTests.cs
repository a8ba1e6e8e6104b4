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
    /// The scheduled job's model, inputs, output and state are as many files (JobFiles): an output and a state that are
    /// one file, by the same name, a relative one or a link, are refused before anything is written. The link case
    /// runs on Linux and macOS only (File.CreateSymbolicLink needs a privilege on Windows).
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class JobFilesTests : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public JobFilesTests(TorchFixture fixture) => this.fixture = fixture;

        public void Dispose() => temp.Dispose();

        private string Output => temp.File("scored.csv");

        private string Export(string path)
        {
            File.WriteAllText(path, SyntheticData.CsvHeader + "\n" + SyntheticData.CsvRows(10, 5, 1), Utf8);
            return path;
        }

        [Theory]
        [InlineData("same")]
        [InlineData("relative")]
        [InlineData("link")]
        public void AnOutputAndAStateThatAreOneFileAreRefusedBeforeAnythingIsWritten(string how)
        {
            if (how == "link" && OperatingSystem.IsWindows()) return;
            string input = Export(temp.File("a.csv"));
            File.WriteAllText(Output, "rows scored before\n", Utf8);
            string state = how switch
            {
                "same" => Output,
                "relative" => Path.GetRelativePath(Environment.CurrentDirectory, Output),
                _ => temp.File("state-link.json"),
            };
            if (how == "link") File.CreateSymbolicLink(state, Output);
            var options = new IncrementalScoringOptions { OutputPath = Output, StatePath = state };
            var e = Assert.ThrowsAny<AutoencoderException>(() =>
                new IncrementalScoringJob(fixture.Reference.Model, options, new RecordingObserver()).Run(new[] { input }));
            Assert.Equal(ErrorIds.ScoringPathsSameFile, e.ErrorId);
            Assert.Contains("-OutputPath", e.Message);
            Assert.Contains("-StatePath", e.Message);
            Assert.Contains(Output, e.Message);
            Assert.Equal("rows scored before\n", File.ReadAllText(Output));
            Assert.False(File.Exists(IncrementalScoringOptions.LockPathFor(state)));
        }

        [Fact]
        public void TheCheckNamesBothParametersAndLeavesFilesOfOneRoleToTheJob()
        {
            string a = Export(temp.File("a.csv"));
            var model = new JobFiles.Named(JobFileRole.Model, "-ModelPath", temp.File("m.aemodel"));
            var twoInputs = JobFiles.SameFile(new[] { new JobFiles.Named(JobFileRole.Input, "-Path", a), new JobFiles.Named(JobFileRole.Input, "-Path", a), model },
                IncrementalScoringJob.PathComparison);
            Assert.Null(twoInputs);
            var clash = JobFiles.SameFile(new[] { model, new JobFiles.Named(JobFileRole.Output, "-OutputPath", a),
                    new JobFiles.Named(JobFileRole.State, "-StatePath", temp.File("m.aemodel")) }, IncrementalScoringJob.PathComparison);
            Assert.NotNull(clash);
            Assert.StartsWith($"-ModelPath '{temp.File("m.aemodel")}' and -StatePath '{temp.File("m.aemodel")}' are one file: the state", clash!.Message);
        }
    }
}
