using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    public sealed class CrontabEditorTests
    {
        private const string Marker = " (managed by Register-AnomalyScoringTask; do not edit)";

        // A crontab with everything a user may have: comments, variables, blank lines, a CRLF line, a job with %,
        // a tab-separated job, a comment that looks almost like a marker, and bytes that are not UTF-8 (Latin-1 é).
        private static byte[] Foreign()
        {
            var bytes = new System.Collections.Generic.List<byte>();
            bytes.AddRange(Encoding.ASCII.GetBytes(
                "# m h  dom mon dow   command\n" +
                "SHELL=/bin/bash\n" +
                "MAILTO=\"\"\n" +
                "\n" +
                "0 5 * * 1 tar -zcf /var/backups/home.tgz /home/ # weekly\r\n" +
                "*/10 * * * * date +\\%H:\\%M >> /tmp/clock.log\n" +
                "# AutoencoderPS task: almost (written by hand)\n" +
                "\n" +
                "@reboot\t/usr/local/bin/start-caf"));
            bytes.Add(0xE9); // é in Latin-1, not valid UTF-8
            bytes.AddRange(Encoding.ASCII.GetBytes("\n"));
            return bytes.ToArray();
        }

        private const string LineA = "*/15 * * * * /usr/bin/pwsh -NoProfile -NonInteractive -File /m/Invoke-ScheduledScoring.ps1 -ModelPath /a.aemodel -Path /a.csv -OutputPath /o.csv >> /a.log 2>&1";
        private const string LineB = "0 * * * * /usr/bin/pwsh -NoProfile -NonInteractive -File /m/Invoke-ScheduledScoring.ps1 -ModelPath /b.aemodel -Path /b.csv -OutputPath /o.csv >> /b.log 2>&1";

        [Fact]
        public void AnEmptyTableGetsExactlyTheTwoLines()
        {
            var table = new CrontabEditor(Array.Empty<byte>());
            table.Set("score-web", LineA);
            Assert.Equal("# AutoencoderPS task: score-web" + Marker + "\n" + LineA + "\n", table.ToString());
        }

        [Fact]
        public void AddingAppendsAndRemovingRestoresEveryByte()
        {
            byte[] original = Foreign();
            var table = new CrontabEditor(original);
            Assert.Empty(table.Entries);

            table.Set("score-web", LineA);
            byte[] withEntry = table.ToBytes();
            Assert.Equal(original, withEntry.Take(original.Length).ToArray());
            Assert.Equal("# AutoencoderPS task: score-web" + Marker + "\n" + LineA + "\n", Encoding.UTF8.GetString(withEntry.Skip(original.Length).ToArray()));

            Assert.True(new CrontabEditor(withEntry).Remove("score-web"));
            var reread = new CrontabEditor(withEntry);
            reread.Remove("score-web");
            Assert.Equal(original, reread.ToBytes());
        }

        [Fact]
        public void ReplacingKeepsThePlaceAndTouchesNothingElse()
        {
            var table = new CrontabEditor(Foreign());
            table.Set("a", LineA);
            table.Set("b", LineB);
            byte[] before = table.ToBytes();

            table.Set("a", LineB.Replace("/b.", "/a2."));

            string text = Encoding.Latin1.GetString(table.ToBytes());
            string beforeText = Encoding.Latin1.GetString(before);
            Assert.Equal(beforeText.Replace(LineA, LineB.Replace("/b.", "/a2.")), text);
            Assert.Equal(new[] { "a", "b" }, table.Entries.Select(e => e.Name));
            Assert.Equal(LineB.Replace("/b.", "/a2."), table.Entries[0].ScheduleLine);
        }

        [Fact]
        public void RemovingOneEntryLeavesTheOther()
        {
            byte[] original = Foreign();
            var table = new CrontabEditor(original);
            table.Set("a", LineA);
            byte[] withA = table.ToBytes();
            table.Set("b", LineB);

            Assert.True(table.Remove("b"));
            Assert.Equal(withA, table.ToBytes());
            Assert.False(table.Remove("b"));
            Assert.True(table.Remove("a"));
            Assert.Equal(original, table.ToBytes());
        }

        [Fact]
        public void ATableWithoutAFinalNewlineGetsOneBeforeTheEntry()
        {
            var table = new CrontabEditor("0 5 * * * true");
            table.Set("x", LineA);
            Assert.Equal("0 5 * * * true\n# AutoencoderPS task: x" + Marker + "\n" + LineA + "\n", table.ToString());
        }

        [Fact]
        public void EntriesAreReadWithTheirCommand()
        {
            var action = new ScoringTaskAction(new[] { "/usr/bin/pwsh" }, "/m/Invoke-ScheduledScoring.ps1", "/data/it's 100%.aemodel",
                new[] { "/exports/*.csv" }, "/out/scored rows.csv", "/state/web.json", "Csv");
            string line = CrontabEditor.ScheduleLine("*/5 * * * *", action.CommandLine, "/state/web.log");
            var table = new CrontabEditor(Foreign());
            table.Set("web", line);

            var entry = Assert.Single(new CrontabEditor(table.ToBytes()).Entries);
            Assert.Equal("web", entry.Name);
            Assert.Equal(line, entry.ScheduleLine);
            Assert.Equal("*/5 * * * *", entry.Schedule);
            Assert.Equal(TimeSpan.FromMinutes(5), entry.Interval);
            Assert.Equal("/state/web.log", entry.LogPath);
            Assert.Equal(action.CommandLine, entry.CommandLine);
            Assert.Equal("/data/it's 100%.aemodel", entry.Action!.ModelPath);

            var task = AnomalyScoringTask.FromCrontab(entry);
            Assert.Equal(ScoringTaskPlatform.Cron, task.Platform);
            Assert.Equal("/usr/bin/pwsh", task.Command);
            Assert.Equal(new[] { "/exports/*.csv" }, task.Path);
            Assert.Equal("Csv", task.Format);
        }

        [Fact]
        public void AMarkerWhoseScheduleLineWasDeletedIsAnEntryWithoutALineAndRemovingItKeepsTheNextComment()
        {
            string text = "# AutoencoderPS task: lost" + Marker + "\n# my own comment\n0 1 * * * mine\n";
            var table = new CrontabEditor(text);
            var entry = Assert.Single(table.Entries);
            Assert.Null(entry.ScheduleLine);
            Assert.True(table.Remove("lost"));
            Assert.Equal("# my own comment\n0 1 * * * mine\n", table.ToString());
        }

        [Fact]
        public void DuplicatesOfANameAreAllReplacedByOne()
        {
            string entry = "# AutoencoderPS task: dup" + Marker + "\n" + LineA + "\n";
            var table = new CrontabEditor("# top\n" + entry + "0 1 * * * mine\n" + entry);
            table.Set("dup", LineB);
            Assert.Equal("# top\n# AutoencoderPS task: dup" + Marker + "\n" + LineB + "\n0 1 * * * mine\n", table.ToString());
        }

        [Fact]
        public void NamesAreComparedIgnoringCaseAsOnWindows()
        {
            var table = new CrontabEditor("# mine\n");
            table.Set("Score-Web", LineA);
            Assert.True(table.Contains("score-web"));
            table.Set("score-web", LineB);
            Assert.Equal("# mine\n# AutoencoderPS task: score-web" + Marker + "\n" + LineB + "\n", table.ToString());
            Assert.True(table.Remove("SCORE-WEB"));
            Assert.Equal("# mine\n", table.ToString());
        }

        [Theory]
        [InlineData("# AutoencoderPS task: web (written by hand)")]
        [InlineData("# AutoencoderPS task: bad name (managed by Register-AnomalyScoringTask; do not edit)")]
        [InlineData(" # AutoencoderPS task: web (managed by Register-AnomalyScoringTask; do not edit)")]
        [InlineData("#AutoencoderPS task: web (managed by Register-AnomalyScoringTask; do not edit)")]
        public void LinesThatAreNotExactlyAMarkerAreForeign(string line)
        {
            Assert.Null(CrontabEditor.MarkerName(line));
            Assert.Empty(new CrontabEditor(line + "\n" + LineA + "\n").Entries);
        }

        [Fact]
        public void MarkerNameReadsAMarkerWithCrlf()
        {
            Assert.Equal("web", CrontabEditor.MarkerName("# AutoencoderPS task: web" + Marker + "\r"));
        }

        [Fact]
        public void ScheduleLineQuotesForShAndEscapesEveryPercent()
        {
            string line = CrontabEditor.ScheduleLine("*/15 * * * *", new[] { "/usr/bin/pwsh", "-File", "/d/it's 50%.ps1", "100%" }, "/logs/a b.log");
            Assert.Equal("*/15 * * * * /usr/bin/pwsh -File '/d/it'\\''s 50\\%.ps1' 100\\% >> '/logs/a b.log' 2>&1", line);

            string? command = CrontabEditor.CommandOf(line, out string schedule, out string? input);
            Assert.Equal("*/15 * * * *", schedule);
            Assert.Null(input);
            Assert.Equal("/usr/bin/pwsh -File '/d/it'\\''s 50%.ps1' 100% >> '/logs/a b.log' 2>&1", command);
        }

        [Fact]
        public void CommandOfFollowsCronForAnUnescapedPercent()
        {
            string? command = CrontabEditor.CommandOf("0 0 * * * mail -s hi me%line one%line two", out _, out string? input);
            Assert.Equal("mail -s hi me", command);
            Assert.Equal("line one\nline two", input);
            Assert.Null(CrontabEditor.CommandOf("@daily run", out _, out _));
        }

        [Theory]
        [InlineData("/data/a\\%b.csv")]
        [InlineData("/data/a\nb.csv")]
        public void ArgumentsACrontabLineCannotCarryAreRefused(string path)
        {
            var e = Assert.Throws<ScoringTaskException>(() => CrontabEditor.ScheduleLine("* * * * *", new[] { "/usr/bin/pwsh", path }, "/l.log"));
            Assert.Equal("InvalidTaskArgument", e.ErrorId);
        }

        /// <summary>
        /// The schedule line's command, as cron hands it to /bin/sh, run by the real /bin/sh: printf writes each
        /// argument it receives, NUL-terminated, into the log the line redirects to.
        /// </summary>
        [Fact]
        public void TheScheduleLineRunByShPassesEveryArgumentExactly()
        {
            if (OperatingSystem.IsWindows() || !File.Exists("/bin/sh") || !File.Exists("/usr/bin/printf")) return;
            using var temp = new TempDirectory();
            var args = CommandLineQuotingTests.Hostile.Where(a => !a.Contains("\\%")).ToArray();
            string log = temp.File("it's a 50% \"log\".txt");
            string line = CrontabEditor.ScheduleLine("*/15 * * * *", new[] { "/usr/bin/printf", "%s\\0" }.Concat(args).ToArray(), log);
            string command = CrontabEditor.CommandOf(line, out _, out string? input)!;
            Assert.Null(input);

            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            using (var process = Process.Start(start)!)
            {
                process.WaitForExit();
                Assert.Equal(0, process.ExitCode);
            }
            string written = File.ReadAllText(log, new UTF8Encoding(false));
            Assert.Equal(args, written.Split('\0').SkipLast(1).ToArray());
        }
    }
}
