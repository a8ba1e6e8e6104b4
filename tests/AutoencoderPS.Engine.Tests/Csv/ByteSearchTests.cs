using System;
using AutoencoderPS.Engine.Csv;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The reader's byte searches find what the runtime's IndexOf and IndexOfAny find, at every length and place.</summary>
    public sealed class ByteSearchTests
    {
        [Fact]
        public void FindsTheFirstMatchAtEveryPlaceInSpansOfEveryLength()
        {
            var random = new Random(17);
            for (int length = 0; length <= 100; length++)
            {
                for (int trial = 0; trial < 40; trial++)
                {
                    var bytes = new byte[length + 7];
                    // Mostly other bytes, a few of the searched ones anywhere (none at all in some spans), and the same
                    // bytes just past the span's end, which must not be found.
                    for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)random.Next(32, 127);
                    int hits = random.Next(0, 3);
                    for (int h = 0; h < hits && length > 0; h++) bytes[random.Next(length)] = random.Next(2) == 0 ? (byte)',' : (byte)'"';
                    for (int i = length; i < bytes.Length; i++) bytes[i] = (byte)',';
                    int offset = random.Next(0, 4);
                    var span = bytes.AsSpan(0, length).Slice(Math.Min(offset, length));
                    Assert.Equal(span.IndexOf((byte)','), ByteSearch.IndexOf(span, (byte)','));
                    Assert.Equal(span.IndexOfAny((byte)'"', (byte)'\r'), ByteSearch.IndexOfAny(span, (byte)'"', (byte)'\r'));
                    Assert.Equal(span.IndexOfAny((byte)',', (byte)'"'), ByteSearch.IndexOfAny(span, (byte)',', (byte)'"'));
                }
            }
        }

        [Fact]
        public void FindsBytesAboveAsciiAndZero()
        {
            var bytes = new byte[70];
            bytes[65] = 0xFF;
            bytes[40] = 0x80;
            Assert.Equal(65, ByteSearch.IndexOf(bytes, 0xFF));
            Assert.Equal(40, ByteSearch.IndexOfAny(bytes, 0xFF, 0x80));
            Assert.Equal(0, ByteSearch.IndexOf(bytes, 0));
            Assert.Equal(-1, ByteSearch.IndexOf(bytes, 7));
            Assert.Equal(-1, ByteSearch.IndexOfAny(ReadOnlySpan<byte>.Empty, 1, 2));
        }
    }
}
