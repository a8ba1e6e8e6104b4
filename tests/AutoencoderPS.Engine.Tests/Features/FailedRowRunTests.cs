using AutoencoderPS.Engine.Features;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class FailedRowRunTests
    {
        private static FeatureValueException Unread(string value) => FeatureValueException.NotATime("time", value, System.Globalization.CultureInfo.InvariantCulture);

        // A time column of times of day alone (a log's separate time field) fails on every row: reading stops after 10 of
        // them with one error that says why, not after 100 (before, 100 errors, then "in a format that is not read").
        [Fact]
        public void ARunOfTimesOfDayStopsAfterTenWithItsCause()
        {
            var run = new FailedRowRun();
            for (int row = 1; row < FailedRowRun.MaxTimesOfDayInARow; row++)
                Assert.False(run.Add(Unread($"{row:00}:15:00"), row, $"line {row + 1}"));
            Assert.True(run.Add(Unread("10:15:00"), FailedRowRun.MaxTimesOfDayInARow, "line 11"));

            string message = run.StopMessage(run.Last!, fromFiles: true);
            Assert.StartsWith("Stopped after 10 rows in a row could not be read; the likely cause: the times, such as '10:15:00', are times of day without a date", message);
            Assert.Contains("The first of them: line 2: column 'time' has value '01:15:00'", message);
        }

        [Fact]
        public void ARunOfOtherFailuresStillStopsAfterAHundred()
        {
            var run = new FailedRowRun();
            // One other failure in the run: it is not the time column's format alone.
            Assert.False(run.Add(Unread("yesterday"), 1, "line 2"));
            for (int row = 2; row < FailedRowRun.MaxInARow; row++)
                Assert.False(run.Add(Unread("10:15:00"), row, $"line {row + 1}"));
            Assert.True(run.Add(Unread("10:15:00"), FailedRowRun.MaxInARow, "line 101"));
            Assert.StartsWith("Stopped after 100 rows in a row", run.StopMessage(run.Last!, fromFiles: true));
        }
    }
}
