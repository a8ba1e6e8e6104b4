using System;
using System.Globalization;

namespace AutoencoderPS.Engine.Text
{
    /// <summary>
    /// A reusable, growable run of characters that numbers are formatted into in place (TryFormat): the output file
    /// writes several numbers per row, and formatting them through strings allocated one per number.
    /// </summary>
    internal sealed class CharBuffer
    {
        private char[] chars;

        public CharBuffer(int capacity = 256)
        {
            chars = new char[Math.Max(16, capacity)];
        }

        public int Length { get; private set; }

        public ReadOnlySpan<char> Span => new ReadOnlySpan<char>(chars, 0, Length);

        public void Clear() => Length = 0;

        /// <summary>Inserts <paramref name="c"/> before the character at <paramref name="index"/>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Insert(int index, char c)
        {
            if (Length == chars.Length) Grow(1);
            Array.Copy(chars, index, chars, index + 1, Length - index);
            chars[index] = c;
            Length++;
        }

        /// <summary>Drops the characters from <paramref name="length"/> on.</summary>
        public void Truncate(int length) => Length = Math.Min(Length, Math.Max(0, length));

        // The methods marked AggressiveOptimization in this file run per row or per batch when a file is scored: compiled
        // optimized at once, not tiered up through Dynamic PGO's instrumented code (.docs/performance.md, "Third look").
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Append(char c)
        {
            if (Length == chars.Length) Grow(1);
            chars[Length++] = c;
        }

        public void Append(string? text) => Append(text.AsSpan());

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Append(ReadOnlySpan<char> text)
        {
            if (Length + text.Length > chars.Length) Grow(text.Length);
            text.CopyTo(chars.AsSpan(Length));
            Length += text.Length;
        }

        /// <summary>As <c>value.ToString(format, culture)</c>.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Append(double value, string? format, CultureInfo culture)
        {
            int written;
            while (!value.TryFormat(chars.AsSpan(Length), out written, format, culture)) Grow(64);
            Length += written;
        }

        /// <summary>As <c>value.ToString("G4", culture)</c>, for the values <see cref="ShortNumberFormat.TryFormatG4"/> handles; false for others.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool TryAppendG4(double value, CultureInfo culture)
        {
            if (chars.Length - Length < 48) Grow(48);
            if (!ShortNumberFormat.TryFormatG4(value, culture.NumberFormat, chars.AsSpan(Length), out int written)) return false;
            Length += written;
            return true;
        }

        /// <summary>As <c>value.ToString("0", culture)</c>: the fast cases of <see cref="ShortNumberFormat.TryFormatWhole"/>, else .NET's formatter.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void AppendWhole(double value, CultureInfo culture)
        {
            if (chars.Length - Length < 48) Grow(48);
            if (ShortNumberFormat.TryFormatWhole(value, chars.AsSpan(Length), out int written)) Length += written;
            else Append(value, "0", culture);
        }

        private void Grow(int needed) => Array.Resize(ref chars, Math.Max(chars.Length * 2, Length + needed));

        public override string ToString() => new string(chars, 0, Length);
    }
}
