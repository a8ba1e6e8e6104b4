using System;
using System.IO;

namespace AutoencoderPS.Engine.Persistence
{
    /// <summary>
    /// Writes a file so that readers see either the old content or the new, never a part: the content
    /// goes to a temporary file in the same folder, is flushed to disk, then renamed over the target.
    /// Any failure (a full disk, a read-only folder, an exception in the writer) deletes the temporary
    /// file and leaves the target as it was. The target must be absent or a regular file (never a link, which the rename
    /// would replace); the new file keeps the old one's permission bits and, where allowed, its owner (<see cref="SafeFile.Replace"/>).
    /// </summary>
    public static class AtomicFile
    {
        public static void Write(string path, Action<Stream> write) => Write(path, write, OpenTemporary);

        /// <summary>
        /// As <see cref="Write(string, Action{Stream})"/>, with the stream of the temporary file opened by
        /// <paramref name="openTemporary"/> (given the temporary file's path): tests pass one that fails part-way.
        /// </summary>
        public static void Write(string path, Action<Stream> write, Func<string, Stream> openTemporary)
        {
            string fullPath = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(fullPath)
                ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
            SafeFile.RequireRegularOrMissing(fullPath, "the file");
            string temporary = TemporaryPathFor(fullPath);
            try
            {
                using (var stream = openTemporary(temporary))
                {
                    write(stream);
                    if (stream is FileStream file) file.Flush(flushToDisk: true);
                    else stream.Flush();
                }
                SafeFile.Replace(temporary, fullPath);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        /// <summary>Temporary files are named ".&lt;file name&gt;.&lt;guid&gt;.tmp" beside the target.</summary>
        public static string TemporaryPathFor(string fullPath) =>
            Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

        private static Stream OpenTemporary(string temporary) =>
            new GuardedFileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
