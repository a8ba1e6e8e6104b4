using System.Globalization;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Issue 15, item 21: an explanation names no feature with a 0 % share.</summary>
    public sealed class ExplanationShareTests
    {
        [Fact]
        public void FeaturesWithAZeroShareAreLeftOutOfTheExplanation()
        {
            var schema = new FeatureSchema(new[] { "cpu", "mem", "disk" });
            var score = new RowScore(schema, new double[] { 97, 40, 100 }, 1.0, true, new float[] { 0.9f, 0.1f, 0.0001f }, new double[] { 35, 41, 100 });
            string text = score.Explain(3, CultureInfo.InvariantCulture);
            Assert.StartsWith("cpu 97 (expected 35, 90%); mem 40 (expected 41, 10%)", text);
            Assert.DoesNotContain("disk", text);
            Assert.DoesNotContain("0%)", text.Replace("90%)", "").Replace("10%)", ""));
        }

        [Fact]
        public void TheTopFeatureIsNamedEvenWithoutAnyError()
        {
            var schema = new FeatureSchema(new[] { "cpu", "mem" });
            var score = new RowScore(schema, new double[] { 1, 2 }, 0.0, false, new float[] { 0, 0 }, new double[] { 1, 2 });
            Assert.StartsWith("cpu 1", score.Explain(3, CultureInfo.InvariantCulture));
        }
    }
}
