using System;
using System.IO;
using System.Runtime.InteropServices;
using TorchSharp;

namespace AutoencoderPS.Engine
{
    /// <summary>
    /// Loads libtorch from the folder that holds TorchSharp.dll, and only from there. TorchSharp's own
    /// fallback copies natives out of a NuGet cache, which a user's machine does not have; loading them
    /// ourselves first means that fallback never runs and a failure becomes one clear message.
    /// </summary>
    public static class TorchRuntime
    {
        private static readonly object Gate = new object();
        private static bool loaded;
        private static TorchRuntimeException? failure;

        /// <summary>The folder the natives are loaded from.</summary>
        public static string NativeDirectory =>
            Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? AppContext.BaseDirectory;

        public static string TorchSharpVersion => typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

        public static string LibTorchVersion => torch.__version__;

        /// <summary>Loads the native runtime once per process; throws <see cref="TorchRuntimeException"/> if it can't.</summary>
        public static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (loaded) return;
                if (failure != null) throw failure;
                try
                {
                    foreach (var library in NativeLibraries())
                    {
                        string path = Path.Combine(NativeDirectory, library);
                        if (!File.Exists(path))
                            throw new TorchRuntimeException(
                                $"The libtorch native runtime is missing: '{library}' was not found in '{NativeDirectory}'. " +
                                $"Install the AutoencoderPS runtime for {RuntimeInformation.RuntimeIdentifier}, or rebuild the module.");
                        try
                        {
                            NativeLibrary.Load(path);
                        }
                        catch (Exception e) when (e is DllNotFoundException || e is BadImageFormatException)
                        {
                            throw new TorchRuntimeException(
                                $"The libtorch native runtime could not be loaded from '{path}': {e.Message}", e);
                        }
                    }
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

        /// <summary>Sets how many threads libtorch uses for the whole process (at least 1).</summary>
        public static void SetThreadCount(int threads)
        {
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread is needed.");
            EnsureLoaded();
            torch.set_num_threads(threads);
        }

        public static int ThreadCount
        {
            get { EnsureLoaded(); return torch.get_num_threads(); }
        }

        // libtorch first, so LibTorchSharp finds its dependencies already in the process.
        private static string[] NativeLibraries()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return new[] { "c10.dll", "torch_cpu.dll", "LibTorchSharp.dll" };
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                return new[] { "libc10.dylib", "libtorch_cpu.dylib", "libLibTorchSharp.dylib" };
            return new[] { "libc10.so", "libtorch_cpu.so", "libLibTorchSharp.so" };
        }
    }
}
