using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace AutoencoderPS.Engine.Persistence
{
    /// <summary>What a path names, without following a symbolic link at its end (or following it, when asked).</summary>
    public enum FileKind { Missing, Regular, Directory, SymbolicLink, Other }

    /// <summary>
    /// The one place that checks what a path is before the module opens, creates or replaces a file there, and that
    /// replaces a file (the rename step of every atomic write). Files the module writes (a scoring lock, its holder note,
    /// the scored output, the state, a model, a report, a scored CSV) must be regular files or absent: a planted symbolic
    /// link, FIFO or device is refused, never followed or opened. A file that is replaced keeps its permission bits and,
    /// where the process may set them, its owner and group.
    /// <para>
    /// On Linux and macOS the file type comes from lstat/stat through .NET's own native shim (libSystem.Native), whose
    /// status record begins with the same fields on every platform; on Windows from the file attributes (a reparse
    /// point is a link; a device is Other). A link planted in the instant between the check and the open is not caught.
    /// </para>
    /// </summary>
    public static class SafeFile
    {
        // .NET's platform-neutral file status (pal_io.h): Flags, Mode, Uid, Gid come first; the rest is not read here.
        [StructLayout(LayoutKind.Sequential, Size = 512)]
        private struct NativeStatus
        {
            public int Flags;
            public int Mode;
            public uint Uid;
            public uint Gid;
        }

        private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, DirectoryType = 0x4000, BlockDevice = 0x6000, RegularType = 0x8000,
            LinkType = 0xA000, Socket = 0xC000;

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out NativeStatus status);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out NativeStatus status);

        [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
        private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

        /// <summary>What <paramref name="path"/> is; with <paramref name="followLinks"/>, what a link at its end points to.</summary>
        public static FileKind Inspect(string path, bool followLinks = false)
        {
            if (OperatingSystem.IsWindows())
            {
                var info = new FileInfo(path);
                if (!info.Exists && !Directory.Exists(path)) return info.LinkTarget != null ? FileKind.SymbolicLink : FileKind.Missing;
                var attributes = File.GetAttributes(path);
                if (!followLinks && (attributes & FileAttributes.ReparsePoint) != 0) return FileKind.SymbolicLink;
                if ((attributes & FileAttributes.Directory) != 0) return FileKind.Directory;
                if ((attributes & FileAttributes.Device) != 0) return FileKind.Other;
                return FileKind.Regular;
            }
            if (!TryStatus(path, followLinks, out var status)) return FileKind.Missing;
            return (status.Mode & TypeMask) switch
            {
                RegularType => FileKind.Regular,
                DirectoryType => FileKind.Directory,
                LinkType => FileKind.SymbolicLink,
                _ => FileKind.Other,
            };
        }

        private static bool TryStatus(string path, bool followLinks, out NativeStatus status)
        {
            try
            {
                return (followLinks ? Stat(path, out status) : LStat(path, out status)) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                // A runtime without the shim: fall back to what .NET tells (links, but no FIFOs).
                status = default;
                var info = new FileInfo(path);
                if (!followLinks && info.LinkTarget != null) { status.Mode = LinkType; return true; }
                if (Directory.Exists(path)) { status.Mode = DirectoryType; return true; }
                if (!info.Exists) return false;
                status.Mode = RegularType;
                return true;
            }
        }

        /// <summary>
        /// "a symbolic link to a regular file", "a FIFO (named pipe)", "a symbolic link to a character device", ... for
        /// messages: a link says what it points to, since a reader follows it and a writer refuses it.
        /// </summary>
        public static string Describe(string path)
        {
            if (!OperatingSystem.IsWindows() && TryStatus(path, false, out var status))
            {
                int type = status.Mode & TypeMask;
                if (type != LinkType) return DescribeType(type);
                return TryStatus(path, true, out var target)
                    ? $"a symbolic link to {DescribeType(target.Mode & TypeMask)}"
                    : "a symbolic link to nothing (its target does not exist)";
            }
            return Inspect(path) switch
            {
                FileKind.SymbolicLink => "a symbolic link",
                FileKind.Directory => "a folder",
                FileKind.Other => "a device",
                _ => "a regular file",
            };
        }

        // How many links one path may lead through (Linux's limit, MAXSYMLINKS): more is a loop.
        private const int MaxLinks = 40;

        /// <summary>
        /// The path of the file <paramref name="path"/> reaches: absolute, with every symbolic link on the way followed, a
        /// folder's as well as the file's (link/sub/a.csv, where link is a link to real, is real/sub/a.csv), so that two
        /// names of one file give one path. ".." in the path given goes back a part before any link is followed, as .NET
        /// and PowerShell take it (link/../a.csv is the a.csv beside the link: the file they open); ".." in a link's
        /// target as the system takes it, from the target. A link to nothing, a loop, or a part that can't be read ends the walk there: the
        /// rest is given as it is (opening it fails and says why). Hard links are other names the file has for good, not
        /// followed here.
        /// </summary>
        public static string RealPath(string path)
        {
            string pending;
            try { pending = Path.GetFullPath(path); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException) { return path; }
            string root = Path.GetPathRoot(pending) ?? "";
            var rest = new System.Collections.Generic.Queue<string>(Parts(pending.Substring(root.Length)));
            string current = root;
            int links = 0;
            while (rest.Count > 0)
            {
                string part = rest.Dequeue();
                if (part == ".") continue;
                if (part == "..")
                {
                    current = Path.GetDirectoryName(current) ?? current;
                    continue;
                }
                string next = Path.Combine(current, part);
                string? target;
                try { target = new FileInfo(next).LinkTarget; }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException) { target = null; }
                if (target == null || ++links > MaxLinks || Inspect(next, followLinks: true) == FileKind.Missing)
                {
                    // Not a link (or a link to nothing, or one too many): the path goes on from here as it is written.
                    current = next;
                    continue;
                }
                // The link's target, relative to the link's folder, is walked in its turn: its own parts may be links.
                var after = rest.ToArray();
                rest.Clear();
                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target) ?? "";
                    target = target.Substring(current.Length);
                }
                foreach (var p in Parts(target)) rest.Enqueue(p);
                foreach (var p in after) rest.Enqueue(p);
            }
            return current;
        }

        private static string[] Parts(string path) =>
            path.Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);

        private static string DescribeType(int type) => type switch
        {
            LinkType => "a symbolic link",
            Fifo => "a FIFO (named pipe)",
            CharDevice => "a character device",
            BlockDevice => "a block device",
            Socket => "a socket",
            DirectoryType => "a folder",
            RegularType => "a regular file",
            _ => "not a regular file",
        };

        /// <summary>
        /// Throws a <see cref="NotARegularFileException"/> unless <paramref name="path"/> is absent (the open that follows
        /// reports that) or a regular file, a symbolic link to one included: the one rule for every file the module reads
        /// (CSV inputs, model files, the scheduled job's inputs). A FIFO would block the open until something writes to it
        /// (and Ctrl+C can't end a blocked open), a device such as /dev/zero never ends, a folder is no file.
        /// <paramref name="what"/> names the file in the message ("the input file").
        /// </summary>
        public static void RequireRegularInput(string path, string what)
        {
            var kind = Inspect(path, followLinks: true);
            if (kind == FileKind.Missing || kind == FileKind.Regular) return;
            throw new NotARegularFileException(path,
                $"{char.ToUpperInvariant(what[0])}{what.Substring(1)} '{path}' is {Describe(path)}, not a regular file: AutoencoderPS reads " +
                "only regular files (a FIFO would wait for a writer, a device such as /dev/zero never ends). Copy what it gives to a file, and give that file.");
        }

        /// <summary>
        /// Throws a <see cref="NotARegularFileException"/> (an IOException, so every writer's error handling reports it) unless <paramref name="path"/> is absent or a
        /// regular file (not a link to one). <paramref name="what"/> names the file in the message ("the scoring lock").
        /// </summary>
        public static void RequireRegularOrMissing(string path, string what)
        {
            var kind = Inspect(path);
            if (kind == FileKind.Missing || kind == FileKind.Regular) return;
            throw new NotARegularFileException(path,
                $"{char.ToUpperInvariant(what[0])}{what.Substring(1)} '{path}' is {Describe(path)}, not a regular file. AutoencoderPS does not " +
                "open, follow or replace it (a planted link could make it overwrite another file). Remove it, or give another path.");
        }

        /// <summary>
        /// Opens (or creates) a file to write after <see cref="RequireRegularOrMissing"/>, then checks again that the path
        /// is still a regular file, not a link, before the caller changes a byte.
        /// </summary>
        public static FileStream OpenOrCreate(string path, FileAccess access, FileShare share, int bufferSize, string what) =>
            OpenOrCreate(path, p => new FileStream(p, FileMode.OpenOrCreate, access, share, bufferSize, FileOptions.None), what);

        /// <summary>As <see cref="OpenOrCreate(string, FileAccess, FileShare, int, string)"/>, with the stream <paramref name="open"/> makes.</summary>
        internal static FileStream OpenOrCreate(string path, Func<string, FileStream> open, string what)
        {
            RequireRegularOrMissing(path, what);
            var stream = open(path);
            try
            {
                RequireRegularOrMissing(path, what);
                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Writes a small file in place (no truncation through a link): refuses a non-regular file, opens without
        /// truncating, checks again, then writes and cuts it to length.
        /// </summary>
        public static void WriteAllBytes(string path, byte[] content, string what)
        {
            using var stream = OpenOrCreate(path, FileAccess.Write, FileShare.Read, 1, what);
            stream.Write(content, 0, content.Length);
            stream.SetLength(content.Length);
        }

        /// <summary>
        /// The rename step of an atomic write: moves <paramref name="temporary"/> over <paramref name="target"/>, giving
        /// the new file the permission bits (and, where the process may, the owner and group) of the regular file it
        /// replaces, so a 0600 file does not become 0644. A target that is a link or not a regular file is refused.
        /// </summary>
        public static void Replace(string temporary, string target, string what = "the file")
        {
            RequireRegularOrMissing(target, what);
            if (!OperatingSystem.IsWindows() && TryStatus(target, false, out var old) && (old.Mode & TypeMask) == RegularType)
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
                if (TryStatus(temporary, false, out var fresh) && (fresh.Uid != old.Uid || fresh.Gid != old.Gid))
                {
                    // Only root may give a file away; a group the user belongs to can be kept. Failing is fine.
                    try { Chown(temporary, old.Uid, old.Gid); }
                    catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { }
                }
            }
            // Windows refuses to rename over a read-only file (Unix renames over it, and the mode bits above keep it read-only):
            // the caller has allowed it (-Force), so the new file takes the attribute over instead.
            if (OperatingSystem.IsWindows() && File.Exists(target) && (File.GetAttributes(target) & FileAttributes.ReadOnly) != 0)
            {
                File.SetAttributes(temporary, File.GetAttributes(temporary) | FileAttributes.ReadOnly);
                File.SetAttributes(target, File.GetAttributes(target) & ~FileAttributes.ReadOnly);
            }
            var replaced = HoldForRelease(target);
            try
            {
                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                Release(replaced);
            }
        }

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "close")]
        private static extern int Close(int descriptor);

        // Linux's O_PATH | O_CLOEXEC (the same on every architecture .NET runs on): a descriptor that names a file without
        // opening it, so it never reads a byte, never blocks (a FIFO swapped in is not opened) and writes nothing.
        private const int PathOnly = 0x200000 | 0x80000;

        // Linux's O_NOFOLLOW, whose value depends on the architecture: a link swapped in after the check is held as the
        // link itself, not followed. 0 where it is not known here (the file is then not held).
        private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 or Architecture.S390x or Architecture.LoongArch64 => 0x20000,
            Architecture.Arm or Architecture.Armv6 or Architecture.Arm64 or Architecture.Ppc64le => 0x8000,
            _ => 0,
        };

        // Smaller files are freed quickly enough inside the rename.
        private const long HeldFromBytes = 8L << 20;

        // When a rename replaces a file, the system drops the replaced file's cached pages and frees its blocks inside the
        // rename, on the caller's thread: 61-71 ms for a 192 MB scored file written just before (ext4), while the
        // caller's other cores wait. Holding a descriptor of the replaced file across the rename leaves that work to
        // whoever closes the last reference: a pool thread, after the rename. Only on Linux, for a file of 8 MB or more
        // on a local file system: on a network one (NFS) a file held open is renamed away first (.nfsXXXX), which would
        // make the replace two steps, and its server frees the blocks anyway. Elsewhere the rename does the work as
        // before. The replace itself is atomic either way.
        private static int HoldForRelease(string target)
        {
            if (!OperatingSystem.IsLinux() || NoFollow == 0) return -1;
            try
            {
                var file = new FileInfo(target);
                if (!file.Exists || file.Length < HeldFromBytes) return -1;
                var where = new DriveInfo(file.DirectoryName!).DriveType;
                if (where != DriveType.Fixed && where != DriveType.Ram) return -1;
                return Open(target, PathOnly | NoFollow);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException ||
                                      e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                return -1;
            }
        }

        private static void Release(int descriptor)
        {
            if (descriptor < 0) return;
            ThreadPool.UnsafeQueueUserWorkItem(static held => Close(held), descriptor, preferLocal: false);
        }
    }

    /// <summary>A path the module would open, follow or replace is a link, FIFO, device or folder: refused.</summary>
    public sealed class NotARegularFileException : IOException
    {
        public NotARegularFileException(string path, string message) : base(message) { Path = path; }

        public string Path { get; }

        public const string ErrorId = ErrorIds.NotARegularFile;
    }
}
