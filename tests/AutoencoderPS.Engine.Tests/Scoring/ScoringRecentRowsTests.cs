using AutoencoderPS.Engine.Scoring.Incremental;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The scheduled job's recent rows (ScoringRecentRows): counts over runs, weighted down past 2,000 rows.</summary>
    public sealed class ScoringRecentRowsTests
    {
        [Fact]
        public void CountsAddUpOverRunsAndAreScaledDownPastTheirSpan()
        {
            var recent = ScoringRecentRows.Add(null, 30, 20);
            recent = ScoringRecentRows.Add(recent, 20, 20);
            Assert.Equal(50, recent.Scored);
            Assert.Equal(40, recent.AboveThreshold);
            // Past 2,000 rows both counts shrink alike: the share stays, and old rows weigh less than new ones.
            recent = ScoringRecentRows.Add(recent, 1990, 0);
            Assert.Equal(ScoringRecentRows.Rows, recent.Scored);
            Assert.Equal(40 * 2000.0 / 2040, recent.AboveThreshold, 9);
            // A series that recovered: 2,000 rows like the training rows later, e^-1 of the old count is left (a weight
            // that falls by e every 2,000 rows).
            double before = recent.AboveThreshold;
            for (int run = 0; run < 100; run++) recent = ScoringRecentRows.Add(recent, 20, 0);
            Assert.InRange(recent.AboveThreshold / before, 0.36, 0.38);
        }
    }
}
