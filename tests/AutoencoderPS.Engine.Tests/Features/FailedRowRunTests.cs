using System.Globalization;
using AutoencoderPS.Engine.Features;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class FailedRowRunTests
    {
        [Fact]
        public void TheLikelyCauseOfTimesNotReadNamesAValueThatIsANumber()
        {
            // Piped rows whose time is an Excel serial date (a double, 46350.25): the stop message said "the times, such
            // as '', are in a format that is not read", as only a text value was named.
            var error = FeatureValueException.NotATime("Time", 46350.25, CultureInfo.InvariantCulture);
            Assert.Contains("the times, such as '46350.25',", FailedRowRun.LikelyCause(error, fromFiles: false));
        }

        [Fact]
        public void ARunOfFailedRowsStopsAtTheLimitAndARowReadBetweenStartsAnew()
        {
            var run = new FailedRowRun();
            var error = FeatureValueException.NotATime("Time", "yesterday", CultureInfo.InvariantCulture);
            for (int row = 1; row < FailedRowRun.MaxInARow; row++) Assert.False(run.Add(error, row, $"row {row}"));
            run.Reset();
            Assert.False(run.Add(error, FailedRowRun.MaxInARow, "row 100"));
            Assert.Equal("row 100", run.FirstWhere);
            Assert.Contains("'yesterday'", run.StopMessage(error, fromFiles: false));
        }
    }
}
