using System.Linq;
using AutoencoderPS.Engine;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Issue 15, items 4 and 5: the module touches only crontab lines that are its own command; task names are whole-string checked.</summary>
    public sealed class CrontabOwnershipTests
    {
        private const string Own = "*/15 * * * * /usr/bin/pwsh -NoProfile -NonInteractive -File /m/Invoke-ScheduledScoring.ps1 -ModelPath /a.aemodel -Path /a.csv -OutputPath /o.csv >> /a.log 2>&1";
        private const string Backup = "0 3 * * * backup.sh";

        private static string Orphan(string next) =>
            CrontabEditor.MarkerLine("score-web") + "\n" + next + "\n";

        [Fact]
        public void UnregisterKeepsTheUsersLineAfterAnOrphanedMarker()
        {
            var table = new CrontabEditor(Orphan(Backup));
            var entry = Assert.Single(table.Entries);
            Assert.Null(entry.ScheduleLine);

            Assert.True(table.Remove("score-web"));
            Assert.Equal(Backup + "\n", table.ToString());
        }

        [Fact]
        public void RegisterForceReplacesTheMarkerButKeepsTheUsersLine()
        {
            var table = new CrontabEditor(Orphan(Backup));
            table.Set("score-web", Own);
            var lines = table.ToString().Split('\n');
            Assert.Contains(Backup, lines);
            Assert.Contains(Own, lines);
            Assert.Single(table.Entries);
        }

        [Fact]
        public void TheModulesOwnScheduleLineIsStillRemovedWithItsMarker()
        {
            var table = new CrontabEditor(Orphan(Own) + Backup + "\n");
            Assert.Equal(Own, Assert.Single(table.Entries).ScheduleLine);
            table.Remove("score-web");
            Assert.Equal(Backup + "\n", table.ToString());
        }

        [Theory]
        [InlineData("evil\n")]
        [InlineData("ok\nx")]
        [InlineData("a\r")]
        public void ANameWithATrailingOrInnerLineBreakIsRefused(string name)
        {
            var e = Assert.Throws<ScoringTaskException>(() => ScoringTaskRules.ValidateName(name));
            Assert.Equal("InvalidTaskName", e.ErrorId);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void CultureAndDelimiterGoIntoTheTaskAndReadBack(int inputs)
        {
            // Item 6: a ';'-separated de-DE export can be scheduled; with one input the task uses -File, with two -Command.
            var paths = Enumerable.Range(1, inputs).Select(i => $"/data/export{i}.csv").ToArray();
            var action = new ScoringTaskAction(new[] { "/usr/bin/pwsh" }, "/m/Invoke-ScheduledScoring.ps1", "/m.aemodel", paths, "/o.csv",
                culture: "de-DE", delimiter: ";");
            var line = CrontabEditor.ScheduleLine("*/15 * * * *", action.CommandLine, "/o.log");
            var entry = new CrontabEntry("score-de", line);
            Assert.NotNull(entry.Action);
            Assert.Equal("de-DE", entry.Action!.Culture);
            Assert.Equal(";", entry.Action.Delimiter);
            Assert.Equal(paths, entry.Action.Path);
            if (inputs == 1) Assert.Contains("-Delimiter", action.Arguments);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void TheInputsEncodingGoesIntoTheTaskAndReadsBack(int inputs)
        {
            // A Windows-1252 export (Excel's "CSV (Comma delimited)") scheduled: the job reads it with -Encoding 1252.
            var paths = Enumerable.Range(1, inputs).Select(i => $"/data/export{i}.csv").ToArray();
            var action = new ScoringTaskAction(new[] { "/usr/bin/pwsh" }, "/m/Invoke-ScheduledScoring.ps1", "/m.aemodel", paths, "/o.csv",
                delimiter: ";", encoding: "1252");
            var entry = new CrontabEntry("score-1252", CrontabEditor.ScheduleLine("*/15 * * * *", action.CommandLine, "/o.log"));
            Assert.NotNull(entry.Action);
            Assert.Equal("1252", entry.Action!.Encoding);
            Assert.Equal(";", entry.Action.Delimiter);
            if (inputs == 1) Assert.Equal("1252", action.Arguments[action.Arguments.ToList().IndexOf("-Encoding") + 1]);
            else Assert.Contains("-Encoding '1252'", action.Arguments[^1]);
        }
    }
}
