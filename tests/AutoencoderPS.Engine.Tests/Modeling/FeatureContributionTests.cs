using System.Globalization;
using Xunit;
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
