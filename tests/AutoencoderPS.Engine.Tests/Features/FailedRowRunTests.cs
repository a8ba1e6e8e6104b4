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
        public void ARowWiderThanAHeaderOfOneOrTwoNamesSuggestsATitleAboveTheHeader()
        {
            // Azure Monitor's export starts with lines such as "Resource","vm-web01" above its header: every row then had
            // more fields than that "header", and the error spoke of delimiters only.
            var wide = FeatureValueException.FieldCountMismatch(5, new[] { "Resource", "vm-web01" }, "42.5");
            Assert.Contains("The header read is 'Resource,vm-web01': if the file has lines of its own above its header", wide.Message);
            Assert.Equal(ErrorIds.FieldCountMismatch, wide.ErrorId);
            // A header of ordinary width: no such guess.
            var extra = FeatureValueException.FieldCountMismatch(6, new[] { "Time", "Host", "Cpu", "Mem" }, "x");
            Assert.DoesNotContain("above its header", extra.Message);
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
