using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace AutoencoderPS.Engine.Persistence
{
    /// <summary>
    /// A file opened for writing whose write failures are always an <see cref="IOException"/>, and stay
    /// failures: once a write or flush has failed, every later write and flush fails too, so a writer that catches
    /// the first error can never go on to finish (and commit) a file with a hole in it.
    /// <para>
    /// Write-behind (not on Windows, see <see cref="WriteBehindBytes"/>): every <see cref="WriteBehindBytes"/> written, the
    /// bytes written so far start their way to the disk on a thread-pool thread (<see cref="RandomAccess.FlushToDisk"/>,
    /// fsync) while the writer goes on, so the final <c>Flush(true)</c> before a rename waits only for the rest. A file
    /// scored on two cores spent a fifth of its time in that final flush (192 MB: 0.2 s). A failed write-behind flush is a
    /// failed write: the next write or flush throws it. At most one runs at a time; <c>Flush(true)</c> and closing wait for it.
    /// </para>
    /// </summary>
    /// <remarks>
    /// .NET reports a full disk (ENOSPC) as an IOException but a file grown past the file system's or the process's
    /// size limit (EFBIG: a 4 GiB file on FAT32, ulimit -f) as an ArgumentOutOfRangeException, which callers that
    /// handle write failures would not expect.
    /// </remarks>
    internal sealed class GuardedFileStream : FileStream
    {
        /// <summary>Bytes written between two write-behind flushes (see the class).</summary>
        public const long DefaultWriteBehindBytes = 16L << 20;

        private IOException? fault;
        private readonly Action<SafeFileHandle> flushToDisk;
        private long unflushed;
        private int nested;
        private Task? flushing;

        public GuardedFileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
            : this(path, mode, access, share, bufferSize, RandomAccess.FlushToDisk)
        {
        }

        /// <summary>For tests: <paramref name="flushToDisk"/> replaces the write-behind flush.</summary>
        internal GuardedFileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, Action<SafeFileHandle> flushToDisk)
            : base(path, mode, access, share, bufferSize)
        {
            this.flushToDisk = flushToDisk;
        }

        /// <summary>Bytes written between two write-behind flushes (0: none).</summary>
        /// <remarks>
        /// Off on Windows: a FileStream's handle there is synchronous, and the system runs one call at a time on such a
        /// handle, so a flush on another thread would hold up the writer instead of running beside it (not measured).
        /// </remarks>
        public long WriteBehindBytes { get; init; } = OperatingSystem.IsWindows() ? 0 : DefaultWriteBehindBytes;

        /// <summary>Write-behind flushes started so far.</summary>
        public int WriteBehindFlushes { get; private set; }

        /// <summary>True once a write or flush has failed (a write-behind flush too, once it has ended).</summary>
        public bool Faulted
        {
            get
            {
                if (flushing is { IsCompleted: true }) Observe();
                return fault != null;
            }
        }

        /// <summary>Bytes written (each counted once, whichever overload wrote them).</summary>
        internal long BytesWritten { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            nested++;
            try { Guard(() => base.Write(buffer, offset, count)); }
            finally { nested--; }
            Wrote(count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ThrowIfFaulted();
            // A FileStream subclass's span write comes back through Write(byte[], int, int): counted once, here.
            nested++;
            try { base.Write(buffer); }
            catch (IOException e) { fault ??= e; throw; }
            catch (ArgumentOutOfRangeException e) { throw fault ??= TooLarge(e); }
            finally { nested--; }
            Wrote(buffer.Length);
        }

        public override void WriteByte(byte value)
        {
            nested++;
            try { Guard(() => base.WriteByte(value)); }
            finally { nested--; }
            Wrote(1);
        }

        public override void Flush() => Guard(() => base.Flush());

        public override void Flush(bool flushToDisk)
        {
            if (flushToDisk) AwaitWriteBehind();
            Guard(() => base.Flush(flushToDisk));
        }

        public override void SetLength(long value) => Guard(() => base.SetLength(value));

        protected override void Dispose(bool disposing)
        {
            // A write-behind flush still running ends first (its failure no longer matters: the file is closed unflushed).
            if (disposing)
            {
                try { flushing?.Wait(); }
                catch (AggregateException) { }
            }
            // Closing flushes the buffer (and fails again after a failure); the handle is closed either way.
            try { base.Dispose(disposing); }
            catch (ArgumentOutOfRangeException e) { throw TooLarge(e); }
        }

        // After a write: every WriteBehindBytes, what the system holds of the file starts its way to the disk unless the
        // last flush is still running.
        private void Wrote(int count)
        {
            if (nested > 0) return;
            BytesWritten += count;
            unflushed += count;
            if (WriteBehindBytes <= 0 || unflushed < WriteBehindBytes || flushing is { IsCompleted: false }) return;
            AwaitWriteBehind();
            unflushed = 0;
            WriteBehindFlushes++;
            var handle = SafeFileHandle;
            flushing = Task.Run(() => flushToDisk(handle));
        }

        // Waits for the write-behind flush; its failure becomes the stream's.
        private void AwaitWriteBehind()
        {
            if (flushing != null) Observe();
            ThrowIfFaulted();
        }

        private void Observe()
        {
            var task = flushing!;
            flushing = null;
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                // Whatever failed (a disk error, a closed handle), the file's content on disk is in doubt: the stream stays failed.
                fault ??= e as IOException ?? new IOException($"Flushing the file to disk failed: {e.Message}", e);
            }
        }

        private void Guard(Action write)
        {
            ThrowIfFaulted();
            try { write(); }
            catch (IOException e) { fault ??= e; throw; }
            catch (ArgumentOutOfRangeException e) { throw fault ??= TooLarge(e); }
        }

        private void ThrowIfFaulted()
        {
            // A write-behind flush that failed fails the next write.
            if (flushing is { IsCompleted: true }) Observe();
            if (fault != null) throw new IOException($"An earlier write to the file failed: {fault.Message}", fault);
        }

        // Our callers always pass valid arguments, so an ArgumentOutOfRangeException from a write is the size limit.
        private IOException TooLarge(ArgumentOutOfRangeException e) =>
            new IOException($"The file would grow larger than the file system or a file size limit allows ({e.Message}).", e);
    }
}
