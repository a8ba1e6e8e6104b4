using System;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Issue 15, items 2, 3 and 11: every place that opens, follows or replaces a file refuses a planted symbolic link or
    /// FIFO instead of writing through it, skips a FIFO among the inputs instead of hanging, and keeps the permission
    /// bits of a file it replaces. Linux and macOS only (links and FIFOs are made with the POSIX calls); on Windows
    /// the tests return at once.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class FileSafetyTests : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public FileSafetyTests(TorchFixture fixture) => this.fixture = fixture;

        public void Dispose() => temp.Dispose();

        private string Victim(int bytes = 1_000_000)
        {
            string victim = temp.File("victim.bin");
            File.WriteAllBytes(victim, Enumerable.Range(0, bytes).Select(i => (byte)(i % 251)).ToArray());
            return victim;
        }

        private static void AssertUnchanged(string victim, int bytes = 1_000_000)
        {
            var content = File.ReadAllBytes(victim);
            Assert.Equal(bytes, content.Length);
            Assert.True(content.Select((b, i) => b == (byte)(i % 251)).All(x => x), "the victim file was changed");
        }


        private string Input(string name = "export.csv")
        {
            string input = temp.File(name);
            File.WriteAllText(input, SyntheticData.CsvHeader + "\n" + SyntheticData.CsvRows(20, 4, 1), Utf8);
            return input;
        }

        private AnomalyScoringSummary Run(string output, RecordingObserver recorder, params string[] files) =>
            new IncrementalScoringJob(fixture.Reference.Model,
                new IncrementalScoringOptions { OutputPath = output, StatePath = output + ".state.json" }, recorder).Run(files);

        [Fact]
        public void ALockPlantedAsALinkIsRefusedAndItsTargetUntouched()
        {
            if (OperatingSystem.IsWindows()) return;
            string victim = Victim();
            string lockPath = temp.File("scored.csv.state.json.lock");
            File.CreateSymbolicLink(lockPath, victim);

            var e = Assert.Throws<NotARegularFileException>(() => ScoringLock.Acquire(lockPath));
            Assert.Contains("symbolic link", e.Message);
            AssertUnchanged(victim);
        }

        [Fact]
        public void ALockInfoPlantedAsALinkIsNotWrittenThrough()
        {
            if (OperatingSystem.IsWindows()) return;
            string victim = Victim();
            string lockPath = temp.File("scored.csv.state.json.lock");
            File.CreateSymbolicLink(ScoringLock.InfoPathFor(lockPath), victim);

            using (ScoringLock.Acquire(lockPath)) { }
            AssertUnchanged(victim);
        }

        [Fact]
        public void AnOutputReplacedByALinkIsRefusedNotCut()
        {
            if (OperatingSystem.IsWindows()) return;
            string input = Input();
            string output = temp.File("scored.csv");
            Assert.Equal(20, Run(output, new RecordingObserver(), input).RowsScored);

            string victim = Victim();
            File.Delete(output);
            File.CreateSymbolicLink(output, victim);
            var e = Assert.Throws<AutoencoderException>(() => Run(output, new RecordingObserver(), input));
            Assert.Equal("ScoringOutputWriteFailed", e.ErrorId);
            Assert.Contains("symbolic link", e.Message);
            AssertUnchanged(victim);
        }

        [Fact]
        public void AnOutputThatIsALinkToNothingIsSaidToBeOneAndNothingIsCreated()
        {
            if (OperatingSystem.IsWindows()) return;
            string input = Input();
            string output = temp.File("scored.csv");
            string missing = temp.File("elsewhere/missing.csv");
            File.CreateSymbolicLink(output, missing);

            var e = Assert.Throws<AutoencoderException>(() => Run(output, new RecordingObserver(), input));
            // Not "the output exists, but its scoring state does not": what is there is a link, to nothing.
            Assert.Equal(ErrorIds.ScoringOutputWriteFailed, e.ErrorId);
            Assert.Contains("a symbolic link to nothing", e.Message);
            Assert.False(File.Exists(missing));
            Assert.False(File.Exists(output + ".state.json"));
        }

        [Fact]
        public void AStateThatIsALinkIsRefused()
        {
            if (OperatingSystem.IsWindows()) return;
            string input = Input();
            string output = temp.File("scored.csv");
            Run(output, new RecordingObserver(), input);
            string real = temp.File("elsewhere.json");
            File.Move(output + ".state.json", real);
            File.CreateSymbolicLink(output + ".state.json", real);

            var e = Assert.Throws<AutoencoderException>(() => Run(output, new RecordingObserver(), input));
            Assert.Equal("NotARegularFile", e.ErrorId);
        }

        [Fact]
        public void AtomicWritesRefuseALinkTarget()
        {
            if (OperatingSystem.IsWindows()) return;
            string victim = Victim(1000);
            string target = temp.File("model.aemodel");
            File.CreateSymbolicLink(target, victim);
            var e = Assert.Throws<NotARegularFileException>(() => AtomicFile.Write(target, s => s.WriteByte(1)));
            Assert.Contains("symbolic link", e.Message);
            AssertUnchanged(victim, 1000);
            Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
        }

        [Fact]
        public void AFifoAmongTheInputsIsAFailedInputNotWaitedOn()
        {
            if (OperatingSystem.IsWindows()) return;
            string input = Input();
            string fifo = temp.File("pipe.csv");
            Fifo.Make(fifo);
            string output = temp.File("scored.csv");
            var recorder = new RecordingObserver();

            AnomalyScoringSummary? summary = null;
            Exception? error = null;
            var run = new System.Threading.Thread(() =>
            {
                try { summary = Run(output, recorder, input, fifo); }
                catch (Exception e) { error = e; }
            });
            run.Start();
            if (!run.Join(TimeSpan.FromSeconds(120)))
            {
                // The run is blocked opening the FIFO: open its other end so that the test can end, then fail.
                using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
                run.Join();
                Assert.Fail("the run waited on the FIFO");
            }
            Assert.Null(error);
            Assert.Equal(20, summary!.RowsScored);
            // An input the run was given that it can't read is a failed input (exit code 2), not a warning.
            Assert.Equal(1, summary.FilesFailed);
            Assert.Contains(summary.ExitCode, new[] { AnomalyScoringExitCode.Failed, AnomalyScoringExitCode.AnomaliesFoundAndFailed });
            var failed = Assert.Single(recorder.Failed);
            Assert.Equal(fifo, failed.File);
            var refused = Assert.IsType<AutoencoderException>(failed.Error);
            Assert.Equal(ErrorIds.NotARegularFile, refused.ErrorId);
            Assert.Contains("FIFO", refused.Message);
        }

        [Fact]
        public void AnInputThatIsALinkToADeviceIsAFailedInputThatSaysWhatItIs()
        {
            if (OperatingSystem.IsWindows()) return;
            string zero = temp.File("zero.csv");
            File.CreateSymbolicLink(zero, "/dev/zero");
            string output = temp.File("scored.csv");
            var recorder = new RecordingObserver();

            var summary = Run(output, recorder, zero);

            Assert.Equal(1, summary.FilesFailed);
            Assert.Equal(AnomalyScoringExitCode.Failed, summary.ExitCode);
            var refused = Assert.IsType<AutoencoderException>(Assert.Single(recorder.Failed).Error);
            Assert.Equal(ErrorIds.NotARegularFile, refused.ErrorId);
            Assert.Contains($"'{zero}' is a symbolic link to a character device", refused.Message);
            Assert.DoesNotContain(recorder.Warnings, w => w.Contains(zero));
        }

        [Fact]
        public void AnInputThatIsALinkToARegularFileIsRead()
        {
            if (OperatingSystem.IsWindows()) return;
            string link = temp.File("link.csv");
            File.CreateSymbolicLink(link, Input());
            var recorder = new RecordingObserver();

            var summary = Run(temp.File("scored.csv"), recorder, link);

            Assert.Equal(0, summary.FilesFailed);
            Assert.Equal(20, summary.RowsScored);
        }

        // Runs read on a thread; a read still blocked after 30 seconds (opening the FIFO) is freed by opening the FIFO's
        // other end, and the test fails.
        private static Exception? NotWaitingOn(string fifo, Action read)
        {
            Exception? error = null;
            var run = new System.Threading.Thread(() =>
            {
                try { read(); }
                catch (Exception e) { error = e; }
            });
            run.Start();
            if (!run.Join(TimeSpan.FromSeconds(30)))
            {
                using (var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write)) { }
                run.Join();
                Assert.Fail("the read waited on the FIFO");
            }
            return error;
        }

        [Fact]
        public void ACsvInputThatIsAFifoIsRefusedNotWaitedOn()
        {
            if (OperatingSystem.IsWindows()) return;
            string fifo = temp.File("pipe.csv");
            Fifo.Make(fifo);

            foreach (var read in new Action[] { () => CsvSource.ReadHeader(fifo, new CsvInputOptions()), () => CsvSource.Read(fifo, new CsvInputOptions()).ToList() })
            {
                var refused = Assert.IsType<AutoencoderException>(NotWaitingOn(fifo, read));
                Assert.Equal(ErrorIds.NotARegularFile, refused.ErrorId);
                Assert.Contains($"'{fifo}' is a FIFO", refused.Message);
            }
        }

        [Fact]
        public void ACsvInputThatIsALinkToDevZeroIsRefusedAtOnce()
        {
            if (OperatingSystem.IsWindows()) return;
            string zero = temp.File("zero.csv");
            File.CreateSymbolicLink(zero, "/dev/zero");

            var refused = Assert.Throws<AutoencoderException>(() => CsvSource.ReadHeader(zero, new CsvInputOptions()));

            Assert.Equal(ErrorIds.NotARegularFile, refused.ErrorId);
            Assert.Contains("a symbolic link to a character device", refused.Message);
            Assert.Throws<AutoencoderException>(() => CsvSource.Read("/dev/zero", new CsvInputOptions()).ToList());
        }

        [Fact]
        public void AModelFileThatIsAFifoIsRefusedNotWaitedOn()
        {
            if (OperatingSystem.IsWindows()) return;
            string fifo = temp.File("model.aemodel");
            Fifo.Make(fifo);

            var refused = Assert.IsType<ModelFileException>(NotWaitingOn(fifo, () => ModelFile.Load(fifo)));

            Assert.Equal(ErrorIds.NotARegularFile, refused.ErrorId);
            Assert.Contains("FIFO", refused.Message);
        }

        [Theory]
        [InlineData("600")]
        [InlineData("640")]
        public void AReplacedFileKeepsItsPermissionBits(string octal)
        {
            if (OperatingSystem.IsWindows()) return;
            var mode = (UnixFileMode)Convert.ToInt32(octal, 8);
            string target = temp.File("report.html");
            File.WriteAllText(target, "old");
            File.SetUnixFileMode(target, mode);

            AtomicFile.Write(target, s => s.Write(Utf8.GetBytes("new")));
            Assert.Equal("new", File.ReadAllText(target));
            Assert.Equal(mode, File.GetUnixFileMode(target));

            // The scored CSV of Test-Anomaly -OutputPath is replaced through the same step.
            string scored = temp.File("scored.csv");
            File.WriteAllText(scored, "old");
            File.SetUnixFileMode(scored, mode);
            using (var writer = new ScoredCsvWriter(scored, new CsvInputOptions(), 0)) writer.Commit();
            Assert.Equal(mode, File.GetUnixFileMode(scored));
        }

        [Fact]
        public void AReplacedFileIsLetGoOfAfterTheRename()
        {
            // On Linux the replace of a large file holds a descriptor of the replaced one across the rename and closes it
            // on a pool thread (the freeing of its pages then happens there): every one must be closed, none kept.
            if (!OperatingSystem.IsLinux()) return;
            string target = temp.File("scored.csv");
            var content = new byte[(8 << 20) + 16];
            byte[] Version(int i) { var bytes = Utf8.GetBytes($"version {i,-8}"); bytes.CopyTo(content, 0); return content; }
            File.WriteAllBytes(target, Version(0));
            int Held() => Directory.GetFiles("/proc/self/fd").Count(fd =>
            {
                try { return new FileInfo(fd).LinkTarget is string linked && linked.StartsWith(target, StringComparison.Ordinal); }
                catch (IOException) { return false; }
            });
            for (int i = 1; i <= 10; i++)
            {
                using var reader = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                AtomicFile.Write(target, s => s.Write(Version(i)));
                var head = new byte[16];
                using (var now = new FileStream(target, FileMode.Open, FileAccess.Read))
                    Assert.Equal($"version {i,-8}", Utf8.GetString(head, 0, now.Read(head, 0, 16)));
                Assert.Equal($"version {i - 1,-8}", Utf8.GetString(head, 0, reader.Read(head, 0, 16)));
                Assert.True(Held() >= 1, "the reader's own descriptor of the replaced file is not seen: the count below would prove nothing");
            }
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Held() > 0 && waited.Elapsed < TimeSpan.FromSeconds(30)) System.Threading.Thread.Sleep(20);
            Assert.Equal(0, Held());
        }
    }
}
