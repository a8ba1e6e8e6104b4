using System;
using System.Globalization;
using AutoencoderPS.Engine.Features;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The score columns scoring writes read back from a scored file in any culture: written round-trip and never with
    /// thousands separators, one comma or one point is their decimal separator.
    /// </summary>
    public sealed class ScoreColumnsTests
    {
        private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

        [Theory]
        [InlineData("0,0024123", 0.0024123)]
        [InlineData("1,5E-05", 1.5e-05)]
        [InlineData(" 12,5 ", 12.5)]
        [InlineData("0.0024123", 0.0024123)]
        [InlineData("3", 3.0)]
        public void ReadsAScoreTheModuleWroteInAnyCulture(string text, double expected)
        {
            foreach (var culture in new[] { CultureInfo.InvariantCulture, German })
            {
                Assert.Equal(NumberParser.Outcome.Number, ScoreColumns.TryReadNumber(text, culture, out double number));
                Assert.Equal(expected, number, 12);
            }
        }

        [Theory]
        [InlineData("1.234,5")]
        [InlineData("1,234,5")]
        [InlineData("abc")]
        public void DoesNotReadWhatTheModuleNeverWrites(string text) =>
            Assert.NotEqual(NumberParser.Outcome.Number, ScoreColumns.TryReadNumber(text, CultureInfo.InvariantCulture, out _));

        [Fact]
        public void HintsAtCultureForANumberWithTheOtherDecimalSeparator()
        {
            Assert.Contains("-Culture for the data's culture", ScoreColumns.CultureHint("0,25", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Assert.Contains("-Culture en-US", ScoreColumns.CultureHint("0.25", German), StringComparison.Ordinal);
            Assert.Equal("", ScoreColumns.CultureHint("abc", CultureInfo.InvariantCulture));
        }
    }
}
