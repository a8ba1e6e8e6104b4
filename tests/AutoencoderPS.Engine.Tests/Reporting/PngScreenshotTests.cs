using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using AutoencoderPS.TestSupport;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The screenshot reader of the report's browser test (tests/Pester/PngScreenshot.cs): PNGs encoded here with every
    /// filter type, in RGB and RGBA, decode to the pixels they were made from; runs and blobs are measured right.
    /// </summary>
    public sealed class PngScreenshotTests
    {
        // A PNG with the given filter type on each row (cycling through filters), 8-bit RGB (3) or RGBA (4).
        private static byte[] Encode(int width, int height, byte[] pixels, int channels, int[] filters)
        {
            int stride = width * channels;
            var raw = new byte[(stride + 1) * height];
            for (int y = 0; y < height; y++)
            {
                int filter = filters[y % filters.Length];
                raw[y * (stride + 1)] = (byte)filter;
                for (int i = 0; i < stride; i++)
                {
                    int x = pixels[y * stride + i];
                    int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                    int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                    int c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
                    int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => PngImage.Paeth(a, b, c) };
                    raw[y * (stride + 1) + 1 + i] = (byte)(x - predictor);
                }
            }
            var compressed = new MemoryStream();
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);

            var png = new MemoryStream();
            png.Write(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 });
            var header = new byte[13];
            WriteInt32(header, 0, width);
            WriteInt32(header, 4, height);
            header[8] = 8;
            header[9] = (byte)(channels == 4 ? 6 : 2);
            Chunk(png, "IHDR", header);
            // Split the data over two IDAT chunks, as encoders may.
            var data = compressed.ToArray();
            Chunk(png, "IDAT", data.Take(data.Length / 2).ToArray());
            Chunk(png, "IDAT", data.Skip(data.Length / 2).ToArray());
            Chunk(png, "IEND", Array.Empty<byte>());
            return png.ToArray();
        }

        private static void Chunk(Stream png, string type, byte[] data)
        {
            var length = new byte[4];
            WriteInt32(length, 0, data.Length);
            png.Write(length);
            png.Write(System.Text.Encoding.ASCII.GetBytes(type));
            png.Write(data);
            png.Write(new byte[4]); // CRC: not checked by the decoder
        }

        private static void WriteInt32(byte[] bytes, int at, int value)
        {
            bytes[at] = (byte)(value >> 24);
            bytes[at + 1] = (byte)(value >> 16);
            bytes[at + 2] = (byte)(value >> 8);
            bytes[at + 3] = (byte)value;
        }

        [Theory]
        [InlineData(3, new[] { 0 })]
        [InlineData(3, new[] { 1 })]
        [InlineData(3, new[] { 2 })]
        [InlineData(3, new[] { 3 })]
        [InlineData(3, new[] { 4 })]
        [InlineData(4, new[] { 4, 3, 2, 1, 0 })]
        [InlineData(3, new[] { 0, 1, 2, 3, 4 })]
        public void DecodesEveryFilterType(int channels, int[] filters)
        {
            const int Width = 37, Height = 23;
            var random = new Random(channels * 10 + filters[0]);
            var pixels = new byte[Width * Height * channels];
            random.NextBytes(pixels);

            var image = PngImage.Decode(Encode(Width, Height, pixels, channels, filters));

            Assert.Equal(Width, image.Width);
            Assert.Equal(Height, image.Height);
            for (int p = 0; p < Width * Height; p++)
            {
                for (int k = 0; k < 3; k++) Assert.Equal(pixels[p * channels + k], image.Rgba[p * 4 + k]);
                Assert.Equal(channels == 4 ? pixels[p * channels + 3] : 255, image.Rgba[p * 4 + 3]);
            }
        }

        [Fact]
        public void RefusesWhatItCannotRead()
        {
            Assert.Throws<InvalidDataException>(() => PngImage.Decode(new byte[] { 1, 2, 3 }));
            var png = Encode(4, 4, new byte[4 * 4 * 3], 3, new[] { 0 });
            png[8 + 8 + 8] = 16; // bit depth in IHDR
            Assert.Throws<NotSupportedException>(() => PngImage.Decode(png));
        }

        [Fact]
        public void FindsTheLongestRunAndTheSeparateBlobsOfAColour()
        {
            const int Width = 60, Height = 30;
            var pixels = Enumerable.Repeat((byte)255, Width * Height * 3).ToArray();
            void Paint(int x, int y, int rgb)
            {
                int i = (y * Width + x) * 3;
                pixels[i] = (byte)(rgb >> 16);
                pixels[i + 1] = (byte)(rgb >> 8);
                pixels[i + 2] = (byte)rgb;
            }
            for (int x = 5; x < 55; x++) Paint(x, 20, 0xd1002f);
            for (int x = 5; x < 25; x++) Paint(x, 10, 0xd1002f);
            // Three blobs: two squares and a diagonal (8-connected), plus a lone pixel below the minimum size.
            for (int y = 2; y < 6; y++) for (int x = 2; x < 6; x++) Paint(x, y, 0xff8c00);
            for (int y = 2; y < 6; y++) for (int x = 40; x < 44; x++) Paint(x, y, 0xff8c00);
            for (int k = 0; k < 5; k++) Paint(30 + k, 24 + k, 0xff8c00);
            Paint(58, 1, 0xff8c00);

            var image = PngImage.Decode(Encode(Width, Height, pixels, 3, new[] { 4, 1 }));

            var run = PixelAnalysis.LongestHorizontalRun(image, PixelAnalysis.ParseColor("#d1002f"));
            Assert.Equal((20, 5, 50), (run.Y, run.X, run.Length));
            var blobs = PixelAnalysis.Blobs(image, PixelAnalysis.ParseColor("#ff8c00"), minPixels: 3);
            Assert.Equal(new[] { 16, 16, 5 }, blobs.Select(b => b.Pixels).OrderByDescending(p => p).ToArray());
            Assert.Equal(4, PixelAnalysis.Blobs(image, 0xff8c00).Count);
            Assert.Equal(38, PixelAnalysis.CountPixels(image, 0xff8c00));
        }
    }
}
