using System;
using System.IO;
using System.Threading;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Tests.Support;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A guarded file sends what it has written to the disk every few megabytes while the writer goes on (write-behind), so
    /// that the final flush before a rename has little left; a failed write-behind flush fails the stream.
    /// </summary>
    public sealed class WriteBehindTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private static byte[] Block(int size, int seed)
        {
            var block = new byte[size];
            new Random(seed).NextBytes(block);
            return block;
        }

        [Fact]
        public void EveryThresholdOfBytesStartsAFlushAndTheFileHoldsWhatWasWritten()
        {
            string path = temp.File("behind.bin");
            int flushed = 0;
            var expected = new MemoryStream();
            using (var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, handle =>
                   {
                       Interlocked.Increment(ref flushed);
                       RandomAccess.FlushToDisk(handle);
                   }) { WriteBehindBytes = 100_000 })
            {
                for (int i = 0; i < 40; i++)
                {
                    var block = Block(30_000, i);
                    stream.Write(block);
                    expected.Write(block);
                }
                stream.Flush(flushToDisk: true);
                // 1.2 MB in blocks of 30 KB: a flush after every fourth block at most (a threshold passed while one runs
                // starts none).
                Assert.InRange(stream.WriteBehindFlushes, 1, 10);
                Assert.Equal(1_200_000, stream.BytesWritten);
                Assert.Equal(stream.WriteBehindFlushes, Volatile.Read(ref flushed));
            }
            Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
        }

        [Fact]
        public void BelowTheThresholdNothingIsFlushedBehind()
        {
            string path = temp.File("small.bin");
            using var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                _ => throw new InvalidOperationException("not expected")) { WriteBehindBytes = 100_000 };
            stream.Write(Block(99_999, 1));
            stream.Flush(flushToDisk: true);
            Assert.Equal(0, stream.WriteBehindFlushes);
        }

        [Fact]
        public void AFailedWriteBehindFlushFailsTheNextWriteAndEveryFlushAfterIt()
        {
            string path = temp.File("failing.bin");
            using var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                _ => throw new IOException("Input/output error")) { WriteBehindBytes = 1_000 };
            stream.Write(Block(1_000, 2));
            Assert.Equal(1, stream.WriteBehindFlushes);
            // The flush runs on another thread: the first write after it has failed throws, whenever that is.
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            var error = Assert.Throws<IOException>(() =>
            {
                while (deadline.Elapsed < TimeSpan.FromSeconds(60))
                {
                    stream.Write(Block(10, 5));
                    Thread.Sleep(1);
                }
            });
            Assert.Contains("Input/output error", error.Message);
            Assert.True(stream.Faulted);
            Assert.Throws<IOException>(() => stream.Flush(flushToDisk: true));
        }

        [Fact]
        public void EveryWayOfWritingCountsItsBytesOnce()
        {
            // A FileStream subclass's span write comes back through Write(byte[], int, int): counted once all the same.
            string path = temp.File("overloads.bin");
            using (var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096,
                       RandomAccess.FlushToDisk) { WriteBehindBytes = 0 })
            {
                stream.Write(Block(1_000, 6), 0, 1_000);
                stream.Write(Block(2_000, 7).AsSpan());
                stream.WriteByte(42);
                stream.Write(Block(100_000, 8).AsSpan());
                Assert.Equal(103_001, stream.BytesWritten);
                Assert.Equal(0, stream.WriteBehindFlushes);
            }
            Assert.Equal(103_001, new FileInfo(path).Length);
        }

        [Fact]
        public void AWriteBehindFlushThatFailsWithAnyExceptionLeavesTheStreamFailed()
        {
            // Not only an IOException: a flush that failed in any way leaves the file's content on disk in doubt.
            string path = temp.File("disposed.bin");
            using var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                _ => throw new ObjectDisposedException("handle")) { WriteBehindBytes = 1_000 };
            stream.Write(Block(1_000, 9));
            var first = Assert.Throws<IOException>(() => stream.Flush(flushToDisk: true));
            Assert.IsType<ObjectDisposedException>(first.InnerException?.InnerException ?? first.InnerException);
            Assert.True(stream.Faulted);
            Assert.Throws<IOException>(() => stream.Write(Block(10, 10)));
            Assert.Throws<IOException>(() => stream.Flush(flushToDisk: true));
        }

        [Fact]
        public void AFailedWriteBehindFlushFailsTheFinalFlush()
        {
            string path = temp.File("failing-final.bin");
            using var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                _ => throw new IOException("Input/output error")) { WriteBehindBytes = 1_000 };
            stream.Write(Block(1_000, 3));
            var error = Assert.Throws<IOException>(() => stream.Flush(flushToDisk: true));
            Assert.Contains("Input/output error", error.Message);
        }

        [Fact]
        public void ClosingWaitsForTheFlushStillRunning()
        {
            string path = temp.File("slow.bin");
            using var started = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            bool finished = false;
            var stream = new GuardedFileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, handle =>
            {
                started.Set();
                release.Wait();
                RandomAccess.FlushToDisk(handle);
                Volatile.Write(ref finished, true);
            }) { WriteBehindBytes = 1_000 };
            stream.Write(Block(1_000, 4));
            Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
            var closing = new Thread(stream.Dispose);
            closing.Start();
            // Closing must not return (and close the handle) under the running flush.
            Assert.False(closing.Join(200));
            release.Set();
            Assert.True(closing.Join(TimeSpan.FromSeconds(30)));
            Assert.True(Volatile.Read(ref finished));
        }
    }
}
