using System;
using System.Globalization;
using Xunit;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    public class NumberParserTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        [Fact]
        public void ADurationIsItsSeconds()
        {
            // A TimeSpan property (a request's duration) was no number: a category of its texts up to 50 values, a
            // 30-second duration scored as "(other)" below the threshold, and with more values it was left out.
            Assert.Equal(NumberParser.Outcome.Number, NumberParser.TryRead(TimeSpan.FromMilliseconds(250), Invariant, out double seconds));
            Assert.Equal(0.25, seconds);
            Assert.Equal(NumberParser.Outcome.Number, NumberParser.TryRead(TimeSpan.FromMinutes(-2), Invariant, out seconds));
            Assert.Equal(-120, seconds);
        }

        [Theory]
        [InlineData("0", 0.0)]
        [InlineData("42", 42.0)]
        [InlineData("-17.25", -17.25)]
        [InlineData("  3.5  ", 3.5)]
        [InlineData("+8", 8.0)]
        [InlineData(".5", 0.5)]
        [InlineData("-6.0685538e-05", -6.0685538e-05)]
        [InlineData("1.5E3", 1500.0)]
        [InlineData("2e-3", 0.002)]
        public void ParsesInvariantText(string text, double expected)
        {
            var outcome = NumberParser.TryRead(text, Invariant, out double number);

            Assert.Equal(NumberParser.Outcome.Number, outcome);
            Assert.Equal(expected, number);
        }

        public static TheoryData<object, double> ClrNumbers => new TheoryData<object, double>
        {
            { 2.5d, 2.5 },
            { 2.5f, 2.5 },
            { -7, -7.0 },
            { 1234567890123L, 1234567890123.0 },
            { (short)-12, -12.0 },
            { (byte)200, 200.0 },
            { (sbyte)-5, -5.0 },
            { 4000000000u, 4000000000.0 },
            { 18000000000000000000ul, 18000000000000000000.0 },
            { (ushort)65535, 65535.0 },
            { 12.75m, 12.75 },
        };

        [Theory]
        [MemberData(nameof(ClrNumbers))]
        public void ReadsNumericClrTypes(object value, double expected)
        {
            var outcome = NumberParser.TryRead(value, Invariant, out double number);

            Assert.Equal(NumberParser.Outcome.Number, outcome);
            Assert.Equal(expected, number);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\t\r\n")]
        public void NullEmptyAndWhitespaceAreEmpty(string? value)
        {
            var outcome = NumberParser.TryRead(value, Invariant, out _);

            Assert.Equal(NumberParser.Outcome.Empty, outcome);
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("12abc")]
        [InlineData("1,5")]
        [InlineData("1,000")]
        [InlineData("1 000")]
        [InlineData("0x1F")]
        [InlineData("$5")]
        public void NonNumbersInInvariantAreNotNumeric(string text)
        {
            var outcome = NumberParser.TryRead(text, Invariant, out _);

            Assert.Equal(NumberParser.Outcome.NotNumeric, outcome);
        }

        [Fact]
        public void GermanCultureReadsCommaAsDecimalSeparator()
        {
            var german = CultureInfo.GetCultureInfo("de-DE");

            Assert.Equal(NumberParser.Outcome.Number, NumberParser.TryRead("1,5", german, out double number));
            Assert.Equal(1.5, number);
            Assert.Equal(NumberParser.Outcome.Number, NumberParser.TryRead("-2,5e-3", german, out number));
            Assert.Equal(-0.0025, number);
            // Never thousands separators: "1.500" in German would be fifteen hundred; it must not be read at all.
            Assert.Equal(NumberParser.Outcome.NotNumeric, NumberParser.TryRead("1.500", german, out _));
        }

        [Fact]
        public void CultureDoesNotAffectClrNumbers()
        {
            var german = CultureInfo.GetCultureInfo("de-DE");

            Assert.Equal(NumberParser.Outcome.Number, NumberParser.TryRead(1.5, german, out double number));
            Assert.Equal(1.5, number);
        }

        public static TheoryData<object> NonNumericObjects => new TheoryData<object>
        {
            true,
            false,
            new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
            'x',
            new object(),
            new[] { 1.0, 2.0 },
        };

        [Theory]
        [MemberData(nameof(NonNumericObjects))]
        public void BooleansDatesAndOtherObjectsAreNotNumeric(object value)
        {
            Assert.Equal(NumberParser.Outcome.NotNumeric, NumberParser.TryRead(value, Invariant, out _));
        }

        [Theory]
        [InlineData("NaN")]
        [InlineData("nan")]
        [InlineData("Infinity")]
        [InlineData("-Infinity")]
        [InlineData("1e999")]
        public void NonFiniteTextIsAMissingValue(string text)
        {
            // Non-finite numbers are gaps: FeatureSchema imputes them (or rejects them as Empty), never feeds them on.
            Assert.Equal(NumberParser.Outcome.Empty, NumberParser.TryRead(text, Invariant, out double number));
            Assert.True(double.IsNaN(number) || !double.IsFinite(number));
        }

        [Theory]
        // pwsh under en-US formats [double]::PositiveInfinity as "∞"; ICU cultures write their own symbols ("-∞", sv-SE's
        // "−∞" with a minus sign); .NET's invariant "Infinity" in a culture whose symbol is "∞". Read as the de-DE number
        // "∞", the value was called a decimal-comma number, and the advice -Culture de-DE failed training outright.
        [InlineData("∞", "", 1)]
        [InlineData(" -∞ ", "", -1)]
        [InlineData("+∞", "en-US", 1)]
        [InlineData("-∞", "en-US", -1)]
        [InlineData("∞", "de-DE", 1)]
        [InlineData("Infinity", "de-DE", 1)]
        [InlineData("-Infinity", "fr-FR", -1)]
        [InlineData("\u2212∞", "sv-SE", -1)]
        [InlineData("\u2212∞", "", -1)]
        public void InfinitySymbolsAreNonFiniteNumbersSoMissingValues(string text, string culture, int sign)
        {
            var outcome = NumberParser.TryRead(text, CultureInfo.GetCultureInfo(culture), out double number);

            Assert.Equal(NumberParser.Outcome.Empty, outcome);
            Assert.Equal(sign > 0 ? double.PositiveInfinity : double.NegativeInfinity, number);
            Assert.True(NumberParser.IsMissing(outcome, text));
            Assert.Equal(UnreadNumberKind.None, UnreadNumbers.Classify(text.Trim(), CultureInfo.GetCultureInfo(culture)));
        }

        public static TheoryData<object> NonFiniteClrNumbers => new TheoryData<object>
        {
            double.NaN,
            double.PositiveInfinity,
            double.NegativeInfinity,
            float.NaN,
            float.NegativeInfinity,
        };

        [Theory]
        [MemberData(nameof(NonFiniteClrNumbers))]
        public void NonFiniteClrNumbersAreMissingValues(object value)
        {
            Assert.Equal(NumberParser.Outcome.Empty, NumberParser.TryRead(value, Invariant, out _));
        }

        [Theory]
        [InlineData("NA")]
        [InlineData("na")]
        [InlineData("N/A")]
        [InlineData("n/a")]
        [InlineData(" null ")]
        [InlineData("NULL")]
        [InlineData("NaN")]
        [InlineData("")]
        public void MissingValueMarkersAreEmpty(string text)
        {
            Assert.True(NumberParser.IsMissingMarker(text));
            Assert.Equal(NumberParser.Outcome.Empty, NumberParser.TryRead(text, Invariant, out _));
            Assert.Equal(NumberParser.Outcome.Empty, NumberParser.TryRead(text, CultureInfo.GetCultureInfo("de-DE"), out _));
        }

        [Theory]
        [InlineData("N")]
        [InlineData("NAN1")]
        [InlineData("none")]
        [InlineData("---")]
        [InlineData("N/A/B")]
        public void TextMerelyLikeAMarkerIsNotMissing(string text)
        {
            Assert.False(NumberParser.IsMissingMarker(text));
            Assert.Equal(NumberParser.Outcome.NotNumeric, NumberParser.TryRead(text, Invariant, out _));
        }

        [Theory]
        [InlineData("-")]
        [InlineData(" - ")]
        [InlineData("--")]
        public void ALoneDashIsAMissingNumberButNoMissingMarkerOfText(string text)
        {
            // W3C, IIS and Apache logs write "-" for a number they do not have: it is missing, not a bad value that
            // drops the row. As text (a category such as a thread name) it stays a value of its own.
            Assert.Equal(NumberParser.Outcome.Empty, NumberParser.TryRead(text, Invariant, out _));
            Assert.Equal(NumberParser.Outcome.Empty, NumberParser.TryRead(text, CultureInfo.GetCultureInfo("de-DE"), out _));
            Assert.False(NumberParser.IsMissingMarker(text));
            Assert.Equal(NumberParser.Outcome.Number, NumberParser.TryRead("-5", Invariant, out double number));
            Assert.Equal(-5, number);
        }

        // The plain-decimal fast path must give the general parser's double bit for bit, and leave to it what it can't read.
        [Fact]
        public void PlainDecimalsReadExactlyAsDoubleParseDoes()
        {
            var random = new Random(7);
            var cultures = new[] { Invariant, CultureInfo.GetCultureInfo("de-DE"), CultureInfo.GetCultureInfo("fr-FR") };
            int fast = 0;
            for (int n = 0; n < 200000; n++)
            {
                var culture = cultures[n % cultures.Length];
                string text = RandomNumberText(random, culture);
                bool general = double.TryParse(text, NumberStyles.Float, culture, out double expected);
                if (NumberParser.TryReadPlainDecimal(text, culture, out double number))
                {
                    fast++;
                    Assert.True(general, $"'{text}' ({culture.Name}) was read by the fast path only");
                    Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(number),
                        $"'{text}' ({culture.Name}): {number:R} instead of {expected:R}");
                }
                var outcome = NumberParser.TryRead(text, culture, out double read);
                if (general && double.IsFinite(expected))
                {
                    Assert.Equal(NumberParser.Outcome.Number, outcome);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(read));
                }
            }
            Assert.True(fast > 100000, $"only {fast} values took the fast path");
        }

        [Theory]
        [InlineData("-0")]
        [InlineData("-0.000")]
        [InlineData("0.1")]
        [InlineData("123456789012345")]
        [InlineData("1234567890123456")]
        [InlineData("0.0000000000000000000001")]
        [InlineData("0.00000000000000000000001")]
        [InlineData("5.")]
        [InlineData(".")]
        [InlineData("+")]
        [InlineData("-.")]
        [InlineData("1.2.3")]
        [InlineData("1e5")]
        [InlineData(" 7")]
        [InlineData("9007199254740993")]
        [InlineData("00000000000000000000000000012.5")]
        public void EdgeCasesReadAsDoubleParseDoes(string text)
        {
            bool general = double.TryParse(text, NumberStyles.Float, Invariant, out double expected);
            var outcome = NumberParser.TryRead(text, Invariant, out double number);
            Assert.Equal(general ? NumberParser.Outcome.Number : NumberParser.Outcome.NotNumeric, outcome);
            if (general) Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(number));
        }

        private static string RandomNumberText(Random random, CultureInfo culture)
        {
            string point = culture.NumberFormat.NumberDecimalSeparator;
            var text = new System.Text.StringBuilder();
            if (random.Next(4) == 0) text.Append(random.Next(2) == 0 ? '-' : '+');
            int intDigits = random.Next(0, 12), fracDigits = random.Next(0, 12);
            for (int i = 0; i < intDigits; i++) text.Append((char)('0' + random.Next(10)));
            if (fracDigits > 0 || random.Next(8) == 0) text.Append(random.Next(50) == 0 ? "." : point);
            for (int i = 0; i < fracDigits; i++) text.Append((char)('0' + random.Next(10)));
            if (random.Next(30) == 0) text.Append('e').Append(random.Next(-5, 5));
            if (random.Next(40) == 0) text.Insert(0, ' ');
            return text.ToString();
        }
    }
}
