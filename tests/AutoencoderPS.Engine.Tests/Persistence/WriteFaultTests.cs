using System;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Faults while writing (issue 8): a full disk, a failing flush, a read-only folder, a failing rename. Each gives a clear
    /// error, leaves the previous file byte for byte, and leaves no temporary file behind.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class WriteFaultTests : IDisposable
    {
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public WriteFaultTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose()
        {
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
                foreach (var folder in Directory.GetDirectories(temp.Path))
                    File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            temp.Dispose();
        }

        private AutoencoderModel Trained => fixture.Reference.Model;

        private static void AssertOnlyFile(string folder, string path) =>
            Assert.Equal(new[] { Path.GetFileName(path) }, Directory.GetFiles(folder).Select(Path.GetFileName));

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(4096)]
        public void AFullDiskLeavesTheOldFileAndNoTemporaryFile(long capacity)
        {
            string path = temp.File("data.bin");
            File.WriteAllText(path, "old");

            var error = Assert.Throws<IOException>(() => AtomicFile.Write(path,
                stream => stream.Write(new byte[10_000]), FailingStream.Factory(capacity)));

            Assert.Equal("No space left on device", error.Message);
            Assert.Equal("old", File.ReadAllText(path));
            AssertOnlyFile(temp.Path, path);
        }

        [Fact]
        public void AFailingFlushLeavesTheOldFileAndNoTemporaryFile()
        {
            string path = temp.File("data.bin");
            File.WriteAllText(path, "old");

            Assert.Throws<IOException>(() => AtomicFile.Write(path,
                stream => stream.Write(Encoding.UTF8.GetBytes("new")), FailingStream.Factory(long.MaxValue, failOnFlush: true)));

            Assert.Equal("old", File.ReadAllText(path));
            AssertOnlyFile(temp.Path, path);
        }

        [Fact]
        public void TheInjectedStreamIsWhatGetsWrittenAndRenamed()
        {
            // Guards the fault tests: with room enough, the failing stream writes the file like the default one.
            string path = temp.File("data.bin");

            AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes("new")), FailingStream.Factory(3));

            Assert.Equal("new", File.ReadAllText(path));
            AssertOnlyFile(temp.Path, path);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(20)]
        [InlineData(5000)]
        public void SavingAModelToAFullDiskIsModelFileWriteFailedAndKeepsThePreviousModel(long capacity)
        {
            string path = temp.File("model.aemodel");
            ModelFile.Save(Trained, path);
            byte[] before = File.ReadAllBytes(path);
            Assert.True(before.Length > capacity, "the disk must fill before the model is written");

            var error = Assert.Throws<ModelFileException>(() => ModelFile.Save(Trained, path, FailingStream.Factory(capacity)));

            Assert.Equal("ModelFileWriteFailed", error.ErrorId);
            Assert.Equal(path, error.Path);
            Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
            Assert.Contains("previous file there is unchanged", error.Message, StringComparison.Ordinal);
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal(before, File.ReadAllBytes(path));
            AssertOnlyFile(temp.Path, path);
            using var still = ModelFile.Load(path);
            Assert.Equal(Trained.Threshold, still.Threshold);
        }

        [Fact]
        public void SavingIntoAReadOnlyFolderIsModelFileWriteFailedAndKeepsThePreviousModel()
        {
            string folder = Path.Combine(temp.Path, "readonly");
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "model.aemodel");
            ModelFile.Save(Trained, path);
            byte[] before = File.ReadAllBytes(path);
            Func<string, Stream>? open = null;
            if (OperatingSystem.IsWindows())
            {
                File.SetAttributes(path, FileAttributes.ReadOnly);   // Windows: a read-only target can't be replaced
            }
            else
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                if (CanWriteIn(folder))
                {
                    // Root ignores folder permissions (as in CI): deny the write the way the OS would for anyone else.
                    open = p => throw new UnauthorizedAccessException($"Access to the path '{p}' is denied.");
                }
            }

            try
            {
                var error = Assert.Throws<ModelFileException>(() => ModelFile.Save(Trained, path, open));

                Assert.Equal("ModelFileWriteFailed", error.ErrorId);
                Assert.Contains("denied", error.Message, StringComparison.OrdinalIgnoreCase);
                Assert.Equal(before, File.ReadAllBytes(path));
                AssertOnlyFile(folder, path);
            }
            finally
            {
                if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.Normal);
                else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        [Fact]
        public void AFailingRenameIsModelFileWriteFailedAndLeavesNoTemporaryFile()
        {
            // The target is a folder: writing the temporary file works, renaming it over the target fails.
            string path = temp.File("model.aemodel");
            Directory.CreateDirectory(path);

            var error = Assert.Throws<ModelFileException>(() => ModelFile.Save(Trained, path));

            Assert.Equal("ModelFileWriteFailed", error.ErrorId);
            Assert.True(Directory.Exists(path));
            Assert.Empty(Directory.GetFiles(temp.Path));
        }

        [Fact]
        public void AFullDeviceFailsTheFirstFlushAndEveryWriteAfterItWithAnIOException()
        {
            // /dev/full answers every write with ENOSPC, as a full disk does. (Linux only; other systems have no such device.)
            if (!OperatingSystem.IsLinux()) return;
            var stream = new GuardedFileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(new byte[100]);                 // buffered: nothing reached the device yet
            Assert.False(stream.Faulted);

            var first = Assert.Throws<IOException>(() => stream.Flush());
            Assert.True(stream.Faulted);
            // Every later write and flush fails too, even one that fits in the buffer: a writer that caught the first
            // failure can't go on and finish a file with a hole in it.
            var again = Assert.Throws<IOException>(() => stream.Write(new byte[1], 0, 1));
            Assert.Contains("earlier write", again.Message, StringComparison.Ordinal);
            Assert.Same(first, again.InnerException);
            Assert.Throws<IOException>(() => stream.WriteByte(1));
            Assert.Throws<IOException>(() => stream.Flush(flushToDisk: true));
            // Closing may fail again, but only as an IOException, and it closes the handle.
            try { stream.Dispose(); } catch (IOException) { }
            Assert.False(stream.CanWrite);
        }

        private static bool CanWriteIn(string folder)
        {
            string probe = Path.Combine(folder, ".probe-" + Guid.NewGuid().ToString("N"));
            try
            {
                File.WriteAllText(probe, "");
                File.Delete(probe);
                return true;
            }
            catch (UnauthorizedAccessException) { return false; }
            catch (IOException) { return false; }
        }
    }
}
