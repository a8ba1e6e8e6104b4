using System;
using System.IO;
using System.Text;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Tests
{
    public sealed class AtomicFileTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private static void WriteText(string path, string text) =>
            AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

        [Fact]
        public void WritesANewFile()
        {
            string path = temp.File("new.txt");

            WriteText(path, "hello");

            Assert.Equal("hello", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
        }

        [Fact]
        public void ReplacesAnExistingFileAndLeavesNoTemporaryFile()
        {
            string path = temp.File("model.bin");
            File.WriteAllText(path, "old content that is longer than the new");

            WriteText(path, "new");

            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
        }

        [Fact]
        public void AFailedWriteLeavesTheOldFileAndNoTemporaryFile()
        {
            string path = temp.File("model.bin");
            File.WriteAllText(path, "old");

            var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(Encoding.UTF8.GetBytes("half of the new"));
                throw new InvalidOperationException("disk on fire");
            }));

            Assert.Equal("disk on fire", error.Message);
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(temp.Path));
        }

        [Fact]
        public void RelativePathsResolveAgainstTheCurrentDirectory()
        {
            string relative = Path.GetRelativePath(Environment.CurrentDirectory, temp.File("relative.txt"));

            WriteText(relative, "x");

            Assert.Equal("x", File.ReadAllText(temp.File("relative.txt")));
        }
    }
}
