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
        public void TheLikelyCauseOfRowsLackingAColumnNamesIt()
        {
            // Rows without a column the model reads stopped with "the file is probably read with the wrong -Culture or
            // -Delimiter", which sent the operator the wrong way.
            var error = new FeatureValueException(FeatureValueProblem.MissingColumn, "MemoryPct", null, "the row has no column 'MemoryPct'.");
            foreach (bool fromFiles in new[] { false, true })
                Assert.StartsWith("the rows have no column 'MemoryPct', which the model reads", FailedRowRun.LikelyCause(error, fromFiles));
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
