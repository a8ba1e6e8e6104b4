using System;
using System.IO;

namespace AutoencoderPS.Engine
{
    /// <summary>
    /// Writes a file so that readers see either the old content or the new, never a part: the content
    /// goes to a temporary file in the same folder, is flushed to disk, then renamed over the target.
    /// </summary>
    public static class AtomicFile
    {
        public static void Write(string path, Action<Stream> write)
        {
            string fullPath = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(fullPath)
                ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
            string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temporary, fullPath, overwrite: true);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
