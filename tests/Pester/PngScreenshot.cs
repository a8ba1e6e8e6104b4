// Reads browser screenshots for the report tests: a small PNG decoder (8-bit RGB and RGBA, not interlaced,
// filter types 0-4) and the pixel measures the tests assert on. Compiled by Add-Type in
// tests/Pester/Export-AnomalyReport.Tests.ps1 and into the xunit project, which tests it on PNGs it encodes itself.
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace AutoencoderPS.TestSupport
{
    /// <summary>A decoded image: RGBA, 8 bits per channel, row-major.</summary>
    public sealed class PngImage
    {
        private static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };

        public PngImage(int width, int height, byte[] rgba)
        {
            if (rgba.Length != width * height * 4) throw new ArgumentException("RGBA data does not match the size.", nameof(rgba));
            Width = width;
            Height = height;
            Rgba = rgba;
        }

        public int Width { get; }
        public int Height { get; }
        public byte[] Rgba { get; }

        /// <summary>The colour at (x, y) as 0xRRGGBB (alpha left out).</summary>
        public int Rgb(int x, int y)
        {
            int i = (y * Width + x) * 4;
            return (Rgba[i] << 16) | (Rgba[i + 1] << 8) | Rgba[i + 2];
        }

        public static PngImage Load(string path) => Decode(File.ReadAllBytes(path));

        public static PngImage Decode(byte[] png)
        {
            for (int i = 0; i < Signature.Length; i++)
                if (png.Length <= i || png[i] != Signature[i]) throw new InvalidDataException("Not a PNG file (bad signature).");
            int width = 0, height = 0, channels = 0;
            bool sawHeader = false;
            var compressed = new MemoryStream();
            int at = Signature.Length;
            while (at + 8 <= png.Length)
            {
                int length = ReadInt32(png, at);
                string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
                int data = at + 8;
                if (length < 0 || data + length + 4 > png.Length) throw new InvalidDataException($"Chunk {type} runs past the end of the file.");
                if (type == "IHDR")
                {
                    width = ReadInt32(png, data);
                    height = ReadInt32(png, data + 4);
                    byte bitDepth = png[data + 8], colorType = png[data + 9], interlace = png[data + 12];
                    if (bitDepth != 8) throw new NotSupportedException($"Bit depth {bitDepth} is not supported (8 only).");
                    channels = colorType switch
                    {
                        2 => 3,
                        6 => 4,
                        _ => throw new NotSupportedException($"Colour type {colorType} is not supported (RGB or RGBA only)."),
                    };
                    if (interlace != 0) throw new NotSupportedException("Interlaced PNGs are not supported.");
                    sawHeader = true;
                }
                else if (type == "IDAT") compressed.Write(png, data, length);
                else if (type == "IEND") break;
                at = data + length + 4; // skip the CRC
            }
            if (!sawHeader) throw new InvalidDataException("The PNG has no IHDR chunk.");

            int stride = width * channels;
            var raw = new byte[(stride + 1) * height];
            compressed.Position = 0;
            using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
            {
                int read = 0;
                while (read < raw.Length)
                {
                    int n = zlib.Read(raw, read, raw.Length - read);
                    if (n == 0) throw new InvalidDataException($"The image data ends after {read} of {raw.Length} bytes.");
                    read += n;
                }
            }

            var pixels = new byte[stride * height];
            for (int y = 0; y < height; y++)
            {
                byte filter = raw[y * (stride + 1)];
                int source = y * (stride + 1) + 1, row = y * stride, previous = row - stride;
                for (int i = 0; i < stride; i++)
                {
                    int a = i >= channels ? pixels[row + i - channels] : 0;
                    int b = y > 0 ? pixels[previous + i] : 0;
                    int c = y > 0 && i >= channels ? pixels[previous + i - channels] : 0;
                    int predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) >> 1,
                        4 => Paeth(a, b, c),
                        _ => throw new InvalidDataException($"Row {y} has filter type {filter}; only 0-4 exist."),
                    };
                    pixels[row + i] = (byte)(raw[source + i] + predictor);
                }
            }

            if (channels == 4) return new PngImage(width, height, pixels);
            var rgba = new byte[width * height * 4];
            for (int p = 0, q = 0; p < pixels.Length; p += 3, q += 4)
            {
                rgba[q] = pixels[p];
                rgba[q + 1] = pixels[p + 1];
                rgba[q + 2] = pixels[p + 2];
                rgba[q + 3] = 255;
            }
            return new PngImage(width, height, rgba);
        }

        public static int Paeth(int a, int b, int c)
        {
            int p = a + b - c;
            int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            if (pa <= pb && pa <= pc) return a;
            return pb <= pc ? b : c;
        }

        private static int ReadInt32(byte[] bytes, int at) =>
            (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    }

    /// <summary>A horizontal run of one colour.</summary>
    public sealed class PixelRun
    {
        public int Y { get; set; }
        public int X { get; set; }
        public int Length { get; set; }
    }

    /// <summary>A connected set of pixels of one colour.</summary>
    public sealed class PixelBlob
    {
        public int Pixels { get; set; }
        public int Left { get; set; }
        public int Top { get; set; }
        public int Right { get; set; }
        public int Bottom { get; set; }
        public double CenterX => (Left + Right) / 2.0;
        public double CenterY => (Top + Bottom) / 2.0;
    }

    public static class PixelAnalysis
    {
        /// <summary>Parses "#rrggbb" to 0xRRGGBB.</summary>
        public static int ParseColor(string hex) => Convert.ToInt32(hex.TrimStart('#'), 16);

        private static bool Near(PngImage image, int x, int y, int rgb, int tolerance)
        {
            int c = image.Rgb(x, y);
            return Math.Abs(((c >> 16) & 255) - ((rgb >> 16) & 255)) <= tolerance
                && Math.Abs(((c >> 8) & 255) - ((rgb >> 8) & 255)) <= tolerance
                && Math.Abs((c & 255) - (rgb & 255)) <= tolerance;
        }

        public static int CountPixels(PngImage image, int rgb, int tolerance = 0)
        {
            int count = 0;
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    if (Near(image, x, y, rgb, tolerance)) count++;
            return count;
        }

        /// <summary>The longest run of pixels of the colour along one row.</summary>
        public static PixelRun LongestHorizontalRun(PngImage image, int rgb, int tolerance = 0)
        {
            var best = new PixelRun();
            for (int y = 0; y < image.Height; y++)
            {
                int start = -1;
                for (int x = 0; x <= image.Width; x++)
                {
                    bool hit = x < image.Width && Near(image, x, y, rgb, tolerance);
                    if (hit && start < 0) start = x;
                    if (!hit && start >= 0)
                    {
                        if (x - start > best.Length) best = new PixelRun { Y = y, X = start, Length = x - start };
                        start = -1;
                    }
                }
            }
            return best;
        }

        /// <summary>Connected components (8-connected) of pixels of the colour, with at least <paramref name="minPixels"/> pixels.</summary>
        public static List<PixelBlob> Blobs(PngImage image, int rgb, int minPixels = 1, int tolerance = 0)
        {
            var seen = new bool[image.Width * image.Height];
            var blobs = new List<PixelBlob>();
            var stack = new Stack<int>();
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                {
                    int index = y * image.Width + x;
                    if (seen[index] || !Near(image, x, y, rgb, tolerance)) continue;
                    var blob = new PixelBlob { Left = x, Right = x, Top = y, Bottom = y };
                    seen[index] = true;
                    stack.Push(index);
                    while (stack.Count > 0)
                    {
                        int p = stack.Pop();
                        int px = p % image.Width, py = p / image.Width;
                        blob.Pixels++;
                        blob.Left = Math.Min(blob.Left, px);
                        blob.Right = Math.Max(blob.Right, px);
                        blob.Top = Math.Min(blob.Top, py);
                        blob.Bottom = Math.Max(blob.Bottom, py);
                        for (int dy = -1; dy <= 1; dy++)
                            for (int dx = -1; dx <= 1; dx++)
                            {
                                int nx = px + dx, ny = py + dy;
                                if (nx < 0 || ny < 0 || nx >= image.Width || ny >= image.Height) continue;
                                int n = ny * image.Width + nx;
                                if (seen[n] || !Near(image, nx, ny, rgb, tolerance)) continue;
                                seen[n] = true;
                                stack.Push(n);
                            }
                    }
                    if (blob.Pixels >= minPixels) blobs.Add(blob);
                }
            return blobs;
        }
    }
}
