using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Xunit;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The explanation's own number formatting gives exactly .NET's characters, wherever it answers.</summary>
    public class ShortNumberFormatTests
    {
        public static TheoryData<string> Cultures => new TheoryData<string> { "", "de-DE", "fr-FR", "sv-SE", "ar-SA" };

        // Values over the whole range, with many near rounding ties: k.5 units of the fourth significant digit,
        // binary fractions that are exact ties, and their neighbouring doubles.
        private static IEnumerable<(double Value, bool Plain)> Values(int seed, int count)
        {
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                double magnitude = Math.Pow(10, random.NextDouble() * 9 - 4.5);
                double v = random.Next(2) == 0 ? magnitude : -magnitude;
                yield return (v, true);
                int e = (int)Math.Floor(Math.Log10(Math.Abs(v)));
                double unit = Math.Pow(10, e - 3);
                double tie = (Math.Floor(Math.Abs(v) / unit) + 0.5) * unit * Math.Sign(v);
                yield return (tie, false);
                yield return (Math.BitIncrement(tie), false);
                yield return (Math.BitDecrement(tie), false);
            }
            foreach (double exact in new[] { 1.0625, 1234.5, 0.5, 0.125, 9999.5, 999.95, 99.995, 0.00012345, 0.1, 1e-4, 9999.4, 1000, 100, 10, 1, 0.0001234 })
            {
                yield return (exact, false);
                yield return (-exact, false);
                yield return (Math.BitIncrement(exact), false);
                yield return (Math.BitDecrement(exact), false);
            }
        }

        [Theory]
        [MemberData(nameof(Cultures))]
        public void G4MatchesDotNetCharacterForCharacter(string name)
        {
            var culture = CultureInfo.GetCultureInfo(name);
            Span<char> buffer = stackalloc char[64];
            int fast = 0, plain = 0;
            foreach (var (v, isPlain) in Values(seed: 7, count: 250_000))
            {
                if (isPlain) plain++;
                if (!ShortNumberFormat.TryFormatG4(v, culture.NumberFormat, buffer, out int written)) continue;
                if (isPlain) fast++;
                string expected = v.ToString("G4", culture);
                string actual = buffer.Slice(0, written).ToString();
                if (expected != actual) Assert.Fail($"{v:R}: .NET gives '{expected}', the fast path '{actual}' ({name})");
            }
            // The fast path must carry the load: of values spread over 1e-4.5 to 1e4.5, only those outside 1e-4 to 1e4
            // (about 11%) and near-ties go to .NET.
            Assert.True(fast > plain * 0.85, $"only {fast} of {plain} random values were formatted by the fast path");
        }

        [Fact]
        public void G4DeclinesOutsideItsRangeAndNearTies()
        {
            Span<char> buffer = stackalloc char[64];
            var format = CultureInfo.InvariantCulture.NumberFormat;
            Assert.False(ShortNumberFormat.TryFormatG4(1e4, format, buffer, out _));
            Assert.False(ShortNumberFormat.TryFormatG4(0.5e-4, format, buffer, out _));
            Assert.False(ShortNumberFormat.TryFormatG4(double.NaN, format, buffer, out _));
            Assert.False(ShortNumberFormat.TryFormatG4(1.0625, format, buffer, out _)); // an exact tie
            Assert.False(ShortNumberFormat.TryFormatG4(9999.7, format, buffer, out _)); // rounds up to 1E+04
            Assert.True(ShortNumberFormat.TryFormatG4(35.2, format, buffer, out int written));
            Assert.Equal("35.2", buffer.Slice(0, written).ToString());
            Assert.False(ShortNumberFormat.TryFormatG4(35.2, format, buffer.Slice(0, 3), out _)); // no room
        }

        [Fact]
        public void WholeMatchesDotNetCharacterForCharacter()
        {
            Span<char> buffer = stackalloc char[64];
            var random = new Random(11);
            int fast = 0, plain = 0;
            var values = new List<double> { 0, 0.5, 1.5, 2.5, 99.5, 100, 0.49999999999999994, 2.4999999999999996, 999_999_999.4, -0.0, -1 };
            for (int i = 0; i < 500_000; i++)
            {
                double v = random.NextDouble() * (i % 2 == 0 ? 100 : 1e9);
                values.Add(v);
                if (ShortNumberFormat.TryFormatWhole(v, buffer, out _)) fast++;
                plain++;
                values.Add(Math.Floor(v) + 0.5);
                values.Add(Math.BitIncrement(Math.Floor(v) + 0.5));
            }
            foreach (double v in values)
            {
                if (!ShortNumberFormat.TryFormatWhole(v, buffer, out int written)) continue;
                Assert.Equal(v.ToString("0", CultureInfo.InvariantCulture), buffer.Slice(0, written).ToString());
            }
            Assert.True(fast > plain * 0.99, $"only {fast} of {plain} random values were formatted by the fast path");
            Assert.False(ShortNumberFormat.TryFormatWhole(-0.0, buffer, out _));
            Assert.False(ShortNumberFormat.TryFormatWhole(-1, buffer, out _));
        }
    }
}
