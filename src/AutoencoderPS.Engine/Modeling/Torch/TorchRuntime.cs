using System;
using System.Threading;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using TorchSharp;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>The native libtorch runtime could not be loaded.</summary>
    public sealed class TorchRuntimeException : AutoencoderException
    {
        public TorchRuntimeException(string message, Exception? inner = null)
            : base(ErrorIds.TorchRuntimeUnavailable, message, inner) { }
    }

    /// <summary>
    /// Where else, besides the folder of TorchSharp.dll, the native runtime may be, and what to tell the user when
    /// it is nowhere. Given by the host (the cmdlet layer looks for an installed runtime module).
    /// </summary>
    public sealed class NativeRuntimeCandidates
    {
        public NativeRuntimeCandidates(IEnumerable<string> directories, string? missingAdvice)
        {
            Directories = (directories ?? Enumerable.Empty<string>()).Where(d => !string.IsNullOrWhiteSpace(d)).ToArray();
            MissingAdvice = missingAdvice;
        }

        /// <summary>Folders to try, in order, each expected to hold the natives flat.</summary>
        public IReadOnlyList<string> Directories { get; }

        /// <summary>Appended to the error when no folder holds a complete runtime: what to install.</summary>
        public string? MissingAdvice { get; }
    }

    /// <summary>
    /// Loads libtorch by full path, before TorchSharp's first call, from the first folder that holds all of it:
    /// the folder of TorchSharp.dll (a module built with its natives, as build.ps1 -Task Build stages it), then the
    /// folders a registered locator names (an installed per-platform runtime module). TorchSharp's P/Invokes are
    /// pointed at the loaded LibTorchSharp. TorchSharp's own fallback copies natives out of a NuGet cache, which a
    /// user's machine does not have; loading first means that fallback never runs, and a failure is one clear message.
    /// </summary>
    public static class TorchRuntime
    {
        private static readonly object Gate = new object();
        private static bool loaded;
        private static TorchRuntimeException? failure;
        private static Func<NativeRuntimeCandidates>? locator;
        private static string? loadedDirectory;
        private static readonly Dictionary<string, IntPtr> Handles = new Dictionary<string, IntPtr>(StringComparer.OrdinalIgnoreCase);
        private static bool resolversRegistered;

        /// <summary>The folder of TorchSharp.dll, where a module built with its natives keeps them.</summary>
        public static string BundledNativeDirectory =>
            Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;

        /// <summary>The folder the natives were loaded from; before loading, the folder of TorchSharp.dll.</summary>
        public static string NativeDirectory => loadedDirectory ?? BundledNativeDirectory;

        /// <summary>True once libtorch is loaded in this process.</summary>
        public static bool IsLoaded
        {
            get { lock (Gate) return loaded; }
        }

        public static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

        public static string LibTorchVersion => torch.__version__;

        /// <summary>
        /// Sets the callback asked, at the first load, for more folders to look in when the folder of TorchSharp.dll
        /// does not hold the runtime. It is asked again on a later attempt if no runtime was found, so a runtime
        /// installed after a failed attempt is picked up. Null removes it.
        /// </summary>
        public static void SetRuntimeLocator(Func<NativeRuntimeCandidates>? runtimeLocator)
        {
            lock (Gate) locator = runtimeLocator;
        }

        /// <summary>The native libraries, in load order, that a folder must hold to be a runtime.</summary>
        public static IReadOnlyList<string> RequiredLibraries => NativeLibraries();

        /// <summary>Loads the native runtime once per process; throws <see cref="TorchRuntimeException"/> if it can't.</summary>
        public static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (loaded) return;
                if (failure != null) throw failure;

                // Not finding a runtime loads nothing, so it is not remembered: installing one and trying again works.
                string directory = FindRuntimeDirectory();
                try
                {
                    foreach (var library in NativeLibraries())
                    {
                        string path = Path.Combine(directory, library);
                        try
                        {
                            IntPtr handle = NativeLibrary.Load(path);
                            lock (Handles) Handles[LibraryKey(library)] = handle;
                        }
                        catch (Exception e) when (e is DllNotFoundException || e is BadImageFormatException)
                        {
                            throw new TorchRuntimeException(
                                $"The libtorch native runtime could not be loaded from '{path}': {e.Message}", e);
                        }
                    }
                    RegisterResolvers();
                    loadedDirectory = directory;
                    torch.InitializeDeviceType(DeviceType.CPU);
                    loaded = true;
                }
                catch (TorchRuntimeException e)
                {
                    failure = e;
                    throw;
                }
                catch (Exception e)
                {
                    failure = new TorchRuntimeException($"The libtorch native runtime failed to start: {e.Message}", e);
                    throw failure;
                }
            }
        }

        /// <summary>
        /// Sets how many threads libtorch uses for the whole process (at least 1). libtorch's CPU build runs its intra-op
        /// work on OpenMP, whose thread count is a setting of each calling thread: a thread that never set it (a worker of
        /// file scoring, another runspace) uses one OpenMP thread per core. So the count is kept here and every thread
        /// that computes applies it first (<see cref="ApplyThreadCountHere"/>).
        /// </summary>
        public static void SetThreadCount(int threads)
        {
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread is needed.");
            EnsureLoaded();
            Volatile.Write(ref requestedThreads, threads);
            torch.set_num_threads(threads);
            appliedThreads = threads;
        }

        private static int requestedThreads;

        [ThreadStatic]
        private static int appliedThreads;

        /// <summary>
        /// Applies the count of <see cref="SetThreadCount"/> to the calling thread, once per thread and count (a read of
        /// two integers otherwise). Called where the network computes (<see cref="ForwardPass"/>, the trainer). Does nothing
        /// until a count is set: libtorch's own default then holds.
        /// </summary>
        internal static void ApplyThreadCountHere()
        {
            int requested = Volatile.Read(ref requestedThreads);
            if (requested == 0 || appliedThreads == requested) return;
            torch.set_num_threads(requested);
            appliedThreads = requested;
        }

        public static int ThreadCount
        {
            get { EnsureLoaded(); return torch.get_num_threads(); }
        }

        private static string FindRuntimeDirectory()
        {
            var required = NativeLibraries();
            var looked = new List<string>();
            var incomplete = new List<(string Directory, string[] Missing)>();

            bool Complete(string directory)
            {
                looked.Add(directory);
                var missing = required.Where(l => !File.Exists(Path.Combine(directory, l))).ToArray();
                if (missing.Length == 0) return true;
                if (missing.Length < required.Length) incomplete.Add((directory, missing));
                return false;
            }

            string bundled = BundledNativeDirectory;
            if (Complete(bundled)) return bundled;

            NativeRuntimeCandidates? candidates = null;
            if (locator != null)
            {
                try
                {
                    candidates = locator();
                }
                catch (Exception e)
                {
                    throw new TorchRuntimeException($"Looking for the libtorch native runtime failed: {e.Message}", e);
                }
            }
            foreach (string directory in candidates?.Directories ?? Array.Empty<string>())
            {
                string full;
                try { full = Path.GetFullPath(directory); }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException) { continue; }
                if (looked.Contains(full, PathComparer)) continue;
                if (Complete(full)) return full;
            }

            string what;
            if (incomplete.Count > 0)
            {
                var (folder, missing) = incomplete[0];
                what = $"The libtorch native runtime is incomplete: {string.Join(", ", missing.Select(m => $"'{m}'"))} " +
                       $"{(missing.Length == 1 ? "was" : "were")} not found in '{folder}'.";
            }
            else
            {
                what = $"The libtorch native runtime ('{required.First(l => l.Contains("torch_cpu"))}' and the libraries beside it) was not found " +
                       $"in {string.Join(" or ", looked.Select(l => $"'{l}'"))}.";
            }
            string advice = candidates?.MissingAdvice
                ?? $"Rebuild the module with its natives, or install the AutoencoderPS runtime for {RuntimeInformation.RuntimeIdentifier}.";
            throw new TorchRuntimeException(what + " " + advice);
        }

        private static StringComparer PathComparer =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        // TorchSharp's P/Invokes name "LibTorchSharp"; they must bind to the copy loaded above, wherever it lies.
        // The DllImport resolver serves the P/Invokes. TorchSharp's own start-up probe (NativeLibrary.TryLoad by name
        // relative to TorchSharp.dll) does not consult that resolver, so the load context's unmanaged-DLL event
        // answers it too: the probe succeeds, and TorchSharp never falls back to copying natives from a NuGet cache.
        private static void RegisterResolvers()
        {
            if (resolversRegistered) return;
            Assembly torchSharp = typeof(torch).Assembly;
            try
            {
                NativeLibrary.SetDllImportResolver(torchSharp, ResolveLoaded);
            }
            catch (InvalidOperationException)
            {
                // The assembly already has a resolver (TorchSharp 0.107.0 sets none). The load context event below
                // still answers whatever that resolver leaves unresolved.
            }
            var context = AssemblyLoadContext.GetLoadContext(torchSharp) ?? AssemblyLoadContext.Default;
            context.ResolvingUnmanagedDll += (assembly, name) => ResolveLoaded(name, assembly, null);
            resolversRegistered = true;
        }

        private static IntPtr ResolveLoaded(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            lock (Handles)
            {
                return Handles.TryGetValue(LibraryKey(libraryName), out IntPtr handle) ? handle : IntPtr.Zero;
            }
        }

        // "LibTorchSharp", "libLibTorchSharp.so", "LibTorchSharp.dll" and "/x/libLibTorchSharp.dylib" are one library.
        private static string LibraryKey(string name)
        {
            string key = Path.GetFileName(name);
            foreach (string extension in new[] { ".dll", ".so", ".dylib" })
                if (key.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) { key = key.Substring(0, key.Length - extension.Length); break; }
            if (key.StartsWith("lib", StringComparison.Ordinal)) key = key.Substring(3);
            return key;
        }

        // libtorch first, so LibTorchSharp finds its dependencies already in the process.
        private static string[] NativeLibraries() =>
            NativeLibrariesFor(RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX : OSPlatform.Linux);

        /// <summary>
        /// The libraries loaded, in order, on an operating system. On macOS libomp comes first: libtorch_cpu.dylib
        /// (libtorch 2.10) names it by the absolute path it had on the build machine (/opt/homebrew/opt/libomp/lib/),
        /// and dyld resolves that path to an already loaded image with that install name, which the bundled libomp.dylib
        /// has; without it loaded first, libtorch_cpu.dylib loads only where Homebrew's libomp is installed.
        /// </summary>
        public static string[] NativeLibrariesFor(OSPlatform platform)
        {
            if (platform == OSPlatform.Windows)
                return new[] { "c10.dll", "torch_cpu.dll", "torch.dll", "LibTorchSharp.dll" };
            if (platform == OSPlatform.OSX)
                return new[] { "libomp.dylib", "libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib", "libLibTorchSharp.dylib" };
            return new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so", "libLibTorchSharp.so" };
        }
    }
}
