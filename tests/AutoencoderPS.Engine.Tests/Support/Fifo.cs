using System;
using System.Runtime.InteropServices;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>Named pipes (FIFOs) for tests of what the module does with one where it expects a file (Linux, macOS).</summary>
    internal static class Fifo
    {
        [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
        private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

        /// <summary>Makes a FIFO at <paramref name="path"/>, readable and writable by the user only.</summary>
        public static void Make(string path)
        {
            if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0)
                throw new InvalidOperationException($"mkfifo '{path}' failed: error {Marshal.GetLastWin32Error()}.");
        }
    }
}
