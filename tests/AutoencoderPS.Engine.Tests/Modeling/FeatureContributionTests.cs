using System.Globalization;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Tests
{
    public class FeatureContributionTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

        [Theory]
        [InlineData(97.0, "97")]
        [InlineData(35.2, "35.2")]
        [InlineData(35.24999, "35.25")]   // four significant digits
        [InlineData(0.000123456, "0.0001235")]
        [InlineData(-3.5, "-3.5")]
        [InlineData(9999.4, "9999")]
        [InlineData(12345.6, "12346")]     // large values whole, not 1.235E+04
        [InlineData(-250000.0, "-250000")]
        public void NumbersReadNaturally(double value, string expected)
        {
            Assert.Equal(expected, FeatureContribution.Format(value, Invariant));
        }

        [Fact]
        public void NumbersFollowTheCultureAndTextStaysAsItIs()
        {
            Assert.Equal("35,2", FeatureContribution.Format(35.2, German));
            Assert.Equal("12346", FeatureContribution.Format(12345.6, German));
            Assert.Equal("web-1", FeatureContribution.Format("web-1", German));
            Assert.Equal("Mon 14:30", FeatureContribution.Format("Mon 14:30", Invariant));
        }

        // A flat line that moves by a thousandth (tests/Benchmarks/Invoke-NabShapeProbe.ps1's flat shape, changed by
        // 0.001) alerted with "value (t) 20 (expected 20, 100%)": four digits hid the change the row was flagged for.
        [Theory]
        [InlineData(20.001, 20.0, "20.001", "20")]
        [InlineData(35.204, 35.196, "35.204", "35.196")]
        [InlineData(12345.4, 12345.1, "12345.4", "12345.1")]     // whole numbers from 10,000 on
        [InlineData(-7.00049, -7.0, "-7.0005", "-7")]
        [InlineData(0.00005, 0.0, "5E-05", "0")]                  // below 1e-4 a value reads 0
        public void ValuesThatDifferNeverReadTheSame(double observed, double expected, string observedText, string expectedText)
        {
            Assert.Equal((observedText, expectedText), FeatureContribution.FormatPair(observed, expected, Invariant));
            Assert.Equal($"value {observedText} (expected {expectedText}, 100%)", new FeatureContribution("value", 1.0, observed, expected).ToString());
            var score = new RowScore(new FeatureSchema(new[] { "value" }), new[] { observed }, 1.0, true, new float[] { 1f }, new[] { expected });
            Assert.StartsWith($"value {observedText} (expected {expectedText}, 100%)", score.Explain(1, Invariant));
        }

        [Fact]
        public void ValuesThatReadDifferentlyOrAreEqualKeepFourDigits()
        {
            Assert.Equal(("97", "35.2"), FeatureContribution.FormatPair(97.0, 35.2, Invariant));
            Assert.Equal(("20", "20"), FeatureContribution.FormatPair(20.0, 20.0, Invariant));
            Assert.Equal(("12346", "12340"), FeatureContribution.FormatPair(12345.6, 12340.0, Invariant));
            Assert.Equal(("20,001", "20"), FeatureContribution.FormatPair(20.001, 20.0, German));
            Assert.Equal(("web-1", "web-2"), FeatureContribution.FormatPair("web-1", "web-2", Invariant));
            Assert.Equal(("NaN", "NaN"), FeatureContribution.FormatPair(double.NaN, double.NaN, Invariant));
            // A difference beyond the network's single precision is its rounding: a flat line reconstructed to the last bits.
            Assert.Equal(("20", "20"), FeatureContribution.FormatPair(20.0, 20.000000000000004, Invariant));
            var score = new RowScore(new FeatureSchema(new[] { "cpu", "mem" }), new double[] { 97, 40.004 }, 1.0, true, new float[] { 0.9f, 0.1f }, new double[] { 35.2, 40.001 });
            Assert.StartsWith("cpu 97 (expected 35.2, 90%); mem 40.004 (expected 40.001, 10%)", score.Explain(2, Invariant));
        }

        [Fact]
        public void ToStringIsNameObservedExpectedAndShare()
        {
            var contribution = new FeatureContribution("cpu_pct", 0.71, 97.0, 35.2);

            Assert.Equal("cpu_pct", contribution.Feature);
            Assert.Equal(0.71, contribution.Share);
            Assert.Matches(@"^cpu_pct 97 \(expected 35\.2, 71 ?%\)$", contribution.ToString());
            Assert.Equal(contribution.ToString(Invariant), contribution.ToString());
            Assert.Matches(@"^cpu_pct 97 \(expected 35,2, 71\s?%\)$", contribution.ToString(German));
            Assert.Matches(@"^host \(other\) \(expected web-1, 5 ?%\)$", new FeatureContribution("host", 0.05, "(other)", "web-1").ToString());
        }
    }
}
