using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// The record reader's byte searches (line ends, quotes, delimiters), 32 or 16 bytes at a time. The runtime's own
    /// <c>IndexOf</c> is as fast once compiled for good, but in a fresh process its hot code is first compiled again with
    /// Dynamic PGO's counting probes, and stays so while the runtime's one compiler thread works through the host's own
    /// start-up code: a fresh pwsh read its first file's lines with that instrumented copy (about a third of the reading
    /// thread's time on two threads). This code is compiled optimized at once (.docs/performance.md, "Fourth look").
    /// </summary>
    internal static class ByteSearch
    {
        /// <summary>The index of the first <paramref name="value"/> in <paramref name="span"/>, or -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int IndexOf(ReadOnlySpan<byte> span, byte value)
        {
            ref byte start = ref MemoryMarshal.GetReference(span);
            int length = span.Length, i = 0;
            if (Vector256.IsHardwareAccelerated && length >= Vector256<byte>.Count)
            {
                var target = Vector256.Create(value);
                for (; i <= length - Vector256<byte>.Count; i += Vector256<byte>.Count)
                {
                    uint found = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                    if (found != 0) return i + BitOperations.TrailingZeroCount(found);
                }
            }
            else if (Vector128.IsHardwareAccelerated && length >= Vector128<byte>.Count)
            {
                var target = Vector128.Create(value);
                for (; i <= length - Vector128<byte>.Count; i += Vector128<byte>.Count)
                {
                    uint found = Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                    if (found != 0) return i + BitOperations.TrailingZeroCount(found);
                }
            }
            for (; i < length; i++)
                if (Unsafe.Add(ref start, i) == value) return i;
            return -1;
        }

        /// <summary>The index of the first <paramref name="first"/> or <paramref name="second"/> in <paramref name="span"/>, or -1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int IndexOfAny(ReadOnlySpan<byte> span, byte first, byte second)
        {
            ref byte start = ref MemoryMarshal.GetReference(span);
            int length = span.Length, i = 0;
            if (Vector256.IsHardwareAccelerated && length >= Vector256<byte>.Count)
            {
                Vector256<byte> a = Vector256.Create(first), b = Vector256.Create(second);
                for (; i <= length - Vector256<byte>.Count; i += Vector256<byte>.Count)
                {
                    var block = Vector256.LoadUnsafe(ref start, (nuint)i);
                    uint found = (Vector256.Equals(block, a) | Vector256.Equals(block, b)).ExtractMostSignificantBits();
                    if (found != 0) return i + BitOperations.TrailingZeroCount(found);
                }
            }
            else if (Vector128.IsHardwareAccelerated && length >= Vector128<byte>.Count)
            {
                Vector128<byte> a = Vector128.Create(first), b = Vector128.Create(second);
                for (; i <= length - Vector128<byte>.Count; i += Vector128<byte>.Count)
                {
                    var block = Vector128.LoadUnsafe(ref start, (nuint)i);
                    uint found = (Vector128.Equals(block, a) | Vector128.Equals(block, b)).ExtractMostSignificantBits();
                    if (found != 0) return i + BitOperations.TrailingZeroCount(found);
                }
            }
            for (; i < length; i++)
            {
                byte c = Unsafe.Add(ref start, i);
                if (c == first || c == second) return i;
            }
            return -1;
        }
    }
}
