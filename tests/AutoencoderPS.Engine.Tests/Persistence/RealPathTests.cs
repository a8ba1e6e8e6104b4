using System;
using System.IO;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// SafeFile.RealPath: the path of the file a name leads to, every link on the way followed. Linux and macOS (links
    /// made with File.CreateSymbolicLink); on Windows the tests return at once.
    /// </summary>
    public sealed class RealPathTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        // The temporary folder as the system names it (on macOS /var is itself a link to /private/var).
        private string Real(string relative) => Path.Combine(SafeFile.RealPath(temp.Path), relative);

        private string File(string relative)
        {
            string path = temp.File(relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllText(path, "x");
            return path;
        }

        [Fact]
        public void FollowsALinkedFolderAnywhereOnThePathAndAChainOfLinks()
        {
            if (OperatingSystem.IsWindows()) return;
            File("real/sub/deep/a.csv");
            Directory.CreateSymbolicLink(temp.File("link"), temp.File("real"));
            // A relative target, itself through the linked folder.
            System.IO.File.CreateSymbolicLink(temp.File("latest.csv"), "link/sub/deep/a.csv");
            System.IO.File.CreateSymbolicLink(temp.File("newest.csv"), temp.File("latest.csv"));

            string expected = Real("real/sub/deep/a.csv");
            Assert.Equal(expected, SafeFile.RealPath(temp.File("link/sub/deep/a.csv")));
            Assert.Equal(expected, SafeFile.RealPath(temp.File("latest.csv")));
            Assert.Equal(expected, SafeFile.RealPath(temp.File("newest.csv")));
            Assert.Equal(expected, SafeFile.RealPath(temp.File("real/sub/./deep/../deep/a.csv")));
        }

        [Fact]
        public void TakesDotDotInALinksTargetFromTheTargetAndInThePathGivenBeforeAnyLink()
        {
            if (OperatingSystem.IsWindows()) return;
            File("real/sub/a.csv");
            File("real/b.csv");
            File("b.csv");
            Directory.CreateSymbolicLink(temp.File("elsewhere"), temp.File("real/sub"));
            // The target's "..": from real/sub, as the system reads it.
            System.IO.File.CreateSymbolicLink(temp.File("up.csv"), "elsewhere/../b.csv");
            Assert.Equal(Real("real/b.csv"), SafeFile.RealPath(temp.File("up.csv")));
            // The path's own "..": before the link, as File.Open takes it.
            Assert.Equal(Real("b.csv"), SafeFile.RealPath(temp.File("elsewhere/../b.csv")));
            Assert.Equal(Real("real/sub/a.csv"), SafeFile.RealPath(temp.File("elsewhere/a.csv")));
        }

        [Fact]
        public void StopsAtALinkToNothingAndAtALoop()
        {
            if (OperatingSystem.IsWindows()) return;
            System.IO.File.CreateSymbolicLink(temp.File("dangling.csv"), temp.File("missing.csv"));
            System.IO.File.CreateSymbolicLink(temp.File("loop1"), temp.File("loop2"));
            System.IO.File.CreateSymbolicLink(temp.File("loop2"), temp.File("loop1"));
            Assert.Equal(Real("dangling.csv"), SafeFile.RealPath(temp.File("dangling.csv")));
            Assert.Equal(Real("loop1"), SafeFile.RealPath(temp.File("loop1")));
            Assert.Equal(Real("not-there/x.csv"), SafeFile.RealPath(temp.File("not-there/x.csv")));
        }
    }
}
