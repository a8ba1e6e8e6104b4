using System;
using System.IO;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The crontab as an <see cref="IScoringTaskStore"/>, against a stand-in crontab program (a shell script that keeps
    /// the table in a file): plans read the table and change nothing, applying writes it, and the two kinds of error
    /// come out as the cmdlets expect them.
    /// </summary>
    public sealed class CronTaskStoreTests : IDisposable
    {
        private const string Foreign = "MAILTO=\"\"\n30 2 * * * /bin/true backup\n";
        private readonly string folder = Path.Combine(Path.GetTempPath(), "aeps-cronstore-" + Guid.NewGuid().ToString("N"));
        private readonly string table;
        private readonly string program;

        public CronTaskStoreTests()
        {
            Directory.CreateDirectory(folder);
            table = Path.Combine(folder, "table");
            program = Path.Combine(folder, "crontab");
            File.WriteAllText(table, Foreign);
            File.WriteAllText(program,
                "#!/bin/sh\n" +
                $"if [ \"$1\" = \"-l\" ]; then cat '{table}'; exit 0; fi\n" +
                $"if [ -f '{folder}/refuse' ]; then echo 'bad table' >&2; exit 1; fi\n" +
                $"cat > '{table}'\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public void Dispose() => Directory.Delete(folder, recursive: true);

        private static ScoringTaskAction Action(string output = "/data/out.csv") =>
            new ScoringTaskAction(new[] { "/usr/bin/pwsh" }, "/m/Invoke-ScheduledScoring.ps1", "/m/web.aemodel", new[] { "/data/*.csv" }, output);

        [Fact]
        public void A_plan_reads_and_changes_nothing_until_it_is_applied()
        {
            if (OperatingSystem.IsWindows()) return; // the stand-in crontab is a /bin/sh script
            var store = new CronTaskStore(program);
            var change = store.PlanRegister("web", TimeSpan.FromMinutes(15), Action(), replace: false);
            Assert.Equal(Foreign, File.ReadAllText(table));
            Assert.Null(change.Existing);
            Assert.Contains("*/15 * * * *", change.Description);
            Assert.StartsWith("Add scoring task 'web'", change.Description);

            change.Apply();
            var task = Assert.Single(store.GetTasks());
            Assert.Equal("web", task.Name);
            Assert.Equal(TimeSpan.FromMinutes(15), task.Interval);
            Assert.Equal("/data/web.log", task.LogPath);
            Assert.StartsWith(Foreign, File.ReadAllText(table));
            Assert.Equal(task.RegisteredCommand, Assert.Single(change.ReadBack()).RegisteredCommand);
        }

        [Fact]
        public void A_name_in_the_table_needs_replace_and_unregister_removes_only_it()
        {
            if (OperatingSystem.IsWindows()) return; // the stand-in crontab is a /bin/sh script
            var store = new CronTaskStore(program);
            store.PlanRegister("web", TimeSpan.FromMinutes(15), Action(), replace: false).Apply();

            var e = Assert.Throws<ScoringTaskException>(() => store.PlanRegister("WEB", TimeSpan.FromHours(1), Action(), replace: false));
            Assert.Equal("AnomalyScoringTaskExists", e.ErrorId);
            var replace = store.PlanRegister("WEB", TimeSpan.FromHours(1), Action(), replace: true);
            Assert.Equal("web", replace.Existing!.Name);
            Assert.StartsWith("Replace", replace.Description);
            replace.Apply();
            Assert.Equal(TimeSpan.FromHours(1), Assert.Single(store.GetTasks()).Interval);

            Assert.Null(store.PlanUnregister("other"));
            var remove = store.PlanUnregister("web")!;
            Assert.Equal(TimeSpan.FromHours(1), remove.Existing!.Interval);
            remove.Apply();
            Assert.Equal(Foreign, File.ReadAllText(table));
            Assert.Same(remove.Existing, Assert.Single(remove.ReadBack()));
        }

        [Fact]
        public void A_refused_table_is_a_task_error_and_leaves_the_table()
        {
            if (OperatingSystem.IsWindows()) return; // the stand-in crontab is a /bin/sh script
            var store = new CronTaskStore(program);
            var change = store.PlanRegister("web", TimeSpan.FromMinutes(15), Action(), replace: false);
            File.WriteAllText(Path.Combine(folder, "refuse"), "");
            var e = Assert.Throws<ScoringTaskException>(change.Apply);
            Assert.Equal("CrontabWriteFailed", e.ErrorId);
            Assert.Equal(Foreign, File.ReadAllText(table));
        }

        [Fact]
        public void A_crontab_program_that_cannot_run_is_a_store_error()
        {
            var store = new CronTaskStore(Path.Combine(folder, "no-such-crontab"));
            var e = Assert.Throws<ScoringTaskStoreException>(() => store.GetTasks());
            Assert.Equal("CrontabUnavailable", e.ErrorId);
            Assert.Equal("crontab", e.Store);
        }

        [Fact]
        public void An_argument_cron_cannot_carry_is_refused_before_the_table_is_read()
        {
            // The program does not exist: reaching it would be CrontabUnavailable, not InvalidTaskArgument.
            var store = new CronTaskStore(Path.Combine(folder, "no-such-crontab"));
            var e = Assert.Throws<ScoringTaskException>(() => store.PlanRegister("web", TimeSpan.FromMinutes(15), Action("/data/50\\%/out.csv"), replace: false));
            Assert.Equal("InvalidTaskArgument", e.ErrorId);
        }

        [Fact]
        public void Intervals_are_cron_s()
        {
            var store = new CronTaskStore("unused");
            store.ValidateInterval(TimeSpan.FromMinutes(20));
            Assert.Equal("InvalidTaskInterval", Assert.Throws<ScoringTaskException>(() => store.ValidateInterval(TimeSpan.FromMinutes(7))).ErrorId);
            Assert.Equal(ScoringTaskPlatform.Cron, store.Platform);
        }
    }
}
