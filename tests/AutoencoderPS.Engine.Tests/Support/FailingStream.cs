using System;
using System.IO;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// Writes through to an inner stream until <see cref="Capacity"/> bytes, then throws IOException("No space left on device"),
    /// as a full disk does; optionally fails on flush instead.
    /// </summary>
    internal sealed class FailingStream : Stream
    {
        private readonly Stream inner;
        private long written;

        public FailingStream(Stream inner, long capacity, bool failOnFlush = false)
        {
            this.inner = inner;
            Capacity = capacity;
            FailOnFlush = failOnFlush;
        }

        public long Capacity { get; }
        public bool FailOnFlush { get; }

        /// <summary>A factory for <see cref="AtomicFile"/> that opens the temporary file for real and fails after <paramref name="capacity"/> bytes.</summary>
        public static Func<string, Stream> Factory(long capacity, bool failOnFlush = false) =>
            path => new FailingStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None), capacity, failOnFlush);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            long room = Math.Max(0, Capacity - written);
            int part = (int)Math.Min(room, buffer.Length);
            inner.Write(buffer[..part]);
            written += part;
            if (part < buffer.Length) throw new IOException("No space left on device");
        }

        public override void Flush()
        {
            if (FailOnFlush) throw new IOException("No space left on device");
            inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
