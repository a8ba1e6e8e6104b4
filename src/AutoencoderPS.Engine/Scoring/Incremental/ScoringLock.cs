using System;
using System.Globalization;
using System.IO;
using System.Text;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>
    /// The lock that keeps two scoring runs off one state: the file "&lt;state&gt;.lock" opened with FileShare.None. On
    /// Windows that is a sharing lock; on Linux and macOS .NET takes an flock on it. Either way the operating system
    /// drops it when the process ends, however it ends, so a crashed run never holds it. The lock file is never
    /// deleted (deleting it would let a third run lock a new file while the second still holds the old one).
    /// <para>
    /// The holder writes its process id, host and start time into the lock file and into "&lt;state&gt;.lock.info", which
    /// a refused run can read (the lock file itself can't be opened by another process while it is held).
    /// </para>
    /// </summary>
    public sealed class ScoringLock : IDisposable
    {
        private readonly FileStream stream;
        private bool disposed;

        private ScoringLock(string path, FileStream stream, string holder)
        {
            Path = path;
            this.stream = stream;
            Holder = holder;
        }

        public string Path { get; }

        /// <summary>"process 1234 on host web-1, started 2026-11-28 23:00:00Z".</summary>
        public string Holder { get; }

        public static string InfoPathFor(string lockPath) => lockPath + ".info";

        /// <summary>Takes the lock at once or throws <see cref="ScoringLockedException"/>; it never waits.</summary>
        public static ScoringLock Acquire(string lockPath)
        {
            string fullPath = System.IO.Path.GetFullPath(lockPath);
            FileStream stream;
            try
            {
                // Never through a link: a planted '<state>.lock' link would have this run cut another file to its note.
                stream = SafeFile.OpenOrCreate(fullPath, FileAccess.ReadWrite, FileShare.None, 1, "the scoring lock");
            }
            catch (IOException e) when (IsHeldByOther(e))
            {
                throw new ScoringLockedException(fullPath, ReadHolder(fullPath), e);
            }

            string holder = string.Format(CultureInfo.InvariantCulture, "process {0} on host {1}, started {2:yyyy-MM-dd HH:mm:ss}Z",
                Environment.ProcessId, Environment.MachineName, DateTime.UtcNow);
            try
            {
                byte[] text = Encoding.UTF8.GetBytes(holder + Environment.NewLine);
                stream.SetLength(0);
                stream.Write(text, 0, text.Length);
                stream.Flush(flushToDisk: false);
                SafeFile.WriteAllBytes(InfoPathFor(fullPath), text, "the scoring lock's holder note");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The lock is held; the note about who holds it is only for messages.
            }
            return new ScoringLock(fullPath, stream, holder);
        }

        /// <summary>Releases the lock (and removes the holder note first, while still holding it).</summary>
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            try { File.Delete(InfoPathFor(Path)); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            stream.Dispose();
        }

        // A sharing violation (Windows) or a held flock (Unix: EWOULDBLOCK) is a plain IOException with that code; a missing
        // folder, a denied permission or a disk error is a real error.
        private static bool IsHeldByOther(IOException e)
        {
            if (e.GetType() != typeof(IOException)) return false;
            if (OperatingSystem.IsWindows())
            {
                int code = e.HResult & 0xFFFF;
                return code == 32 || code == 33; // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
            }
            // .NET reports the errno as the HResult: EWOULDBLOCK is 11 on Linux, 35 on macOS.
            return e.HResult == 11 || (OperatingSystem.IsMacOS() && e.HResult == 35);
        }

        private static string ReadHolder(string lockPath)
        {
            try
            {
                string text = File.ReadAllText(InfoPathFor(lockPath)).Trim();
                return text.Length > 0 && text.Length < 500 ? text : "";
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return "";
            }
        }
    }

    /// <summary>Another run holds the scoring lock.</summary>
    public sealed class ScoringLockedException : AutoencoderException
    {
        public ScoringLockedException(string lockPath, string holder, Exception? inner = null)
            : base(ErrorIds.AnomalyScoringLocked,
                $"Another scoring run holds the lock '{lockPath}'" + (holder.Length > 0 ? $" ({holder})" : "") +
                ". This run stops without reading or writing anything; the next scheduled run scores what is new. " +
                "The operating system releases the lock when that process ends, even if it crashes.", inner)
        {
            LockPath = lockPath;
            Holder = holder;
        }

        public string LockPath { get; }
        public string Holder { get; }
    }
}
