using System;
using System.IO;

namespace AutoencoderPS.Engine.Persistence
{
    /// <summary>
    /// A file opened for writing whose write failures are always an <see cref="IOException"/>, and stay
    /// failures: once a write or flush has failed, every later write and flush fails too, so a writer that catches
    /// the first error can never go on to finish (and commit) a file with a hole in it.
    /// </summary>
    /// <remarks>
    /// .NET reports a full disk (ENOSPC) as an IOException but a file grown past the file system's or the process's
    /// size limit (EFBIG: a 4 GiB file on FAT32, ulimit -f) as an ArgumentOutOfRangeException, which callers that
    /// handle write failures would not expect.
    /// </remarks>
    internal sealed class GuardedFileStream : FileStream
    {
        private IOException? fault;

        public GuardedFileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 4096)
            : base(path, mode, access, share, bufferSize)
        {
        }

        /// <summary>True once a write or flush has failed.</summary>
        public bool Faulted => fault != null;

        public override void Write(byte[] buffer, int offset, int count) => Guard(() => base.Write(buffer, offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ThrowIfFaulted();
            try { base.Write(buffer); }
            catch (IOException e) { fault ??= e; throw; }
            catch (ArgumentOutOfRangeException e) { throw fault ??= TooLarge(e); }
        }

        public override void WriteByte(byte value) => Guard(() => base.WriteByte(value));

        public override void Flush() => Guard(() => base.Flush());

        public override void Flush(bool flushToDisk) => Guard(() => base.Flush(flushToDisk));

        public override void SetLength(long value) => Guard(() => base.SetLength(value));

        protected override void Dispose(bool disposing)
        {
            // Closing flushes the buffer (and fails again after a failure); the handle is closed either way.
            try { base.Dispose(disposing); }
            catch (ArgumentOutOfRangeException e) { throw TooLarge(e); }
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
            if (fault != null) throw new IOException($"An earlier write to the file failed: {fault.Message}", fault);
        }

        // Our callers always pass valid arguments, so an ArgumentOutOfRangeException from a write is the size limit.
        private IOException TooLarge(ArgumentOutOfRangeException e) =>
            new IOException($"The file would grow larger than the file system or a file size limit allows ({e.Message}).", e);
    }
}
