using System;
using System.IO;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// Whether a cron daemon runs, read from a stand-in /proc (a folder per process with its comm and cmdline): no
    /// daemon is needed, and none is started.
    /// </summary>
    public sealed class CronDaemonTests : IDisposable
    {
        private readonly string root = Path.Combine(Path.GetTempPath(), "aeps-crondaemon-" + Guid.NewGuid().ToString("N"));

        public CronDaemonTests() => Directory.CreateDirectory(Path.Combine(root, "proc", "self"));

        public void Dispose() => Directory.Delete(root, recursive: true);

        private void Process(int pid, string comm, params string[] arguments)
        {
            string folder = Path.Combine(root, "proc", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "comm"), comm + "\n");
            File.WriteAllText(Path.Combine(folder, "cmdline"), string.Join("\0", arguments) + "\0");
        }

        [Fact]
        public void No_daemon_among_the_processes_is_not_running()
        {
            Process(1, "process_api", "/process_api");
            Process(57, "bash", "/bin/bash");
            Process(90, "crontab", "crontab", "-l"); // the program that edits tables is no daemon
            Assert.False(CronDaemon.IsRunning(root));
        }

        [Theory]
        [InlineData("cron", "/usr/sbin/cron", "-f")]
        [InlineData("crond", "/usr/sbin/crond", "-n")]
        [InlineData("fcron", "/usr/sbin/fcron")]
        [InlineData("busybox", "/bin/busybox", "crond", "-f")]
        public void A_daemon_is_running(string comm, params string[] arguments)
        {
            Process(1, "init", "/sbin/init");
            Process(312, comm, arguments);
            Assert.True(CronDaemon.IsRunning(root));
        }

        [Fact]
        public void Another_busybox_applet_is_no_daemon()
        {
            Process(1, "busybox", "/bin/busybox", "init");
            Process(20, "busybox", "/bin/busybox", "sh");
            Assert.False(CronDaemon.IsRunning(root));
        }

        [Fact]
        public void Cant_tell_when_other_users_processes_are_hidden_or_there_is_no_proc()
        {
            Process(4242, "bash", "/bin/bash"); // hidepid: only the user's own processes, PID 1 not among them
            Assert.Null(CronDaemon.IsRunning(root));
            Assert.Null(CronDaemon.IsRunning(Path.Combine(root, "nowhere")));
        }

        [Fact]
        public void Cant_tell_with_systemd_cron_whose_timers_run_the_crontabs()
        {
            Process(1, "systemd", "/sbin/init");
            string generators = Path.Combine(root, "usr", "lib", "systemd", "system-generators");
            Directory.CreateDirectory(generators);
            File.WriteAllText(Path.Combine(generators, "systemd-crontab-generator"), "");
            Assert.Null(CronDaemon.IsRunning(root));
        }

        [Fact]
        public void The_crontab_store_says_to_start_cron_on_linux_only_when_none_runs()
        {
            Process(1, "process_api", "/process_api");
            var store = new CronTaskStore("/nonexistent/crontab", root);
            string? warning = store.SchedulerNotRunning();
            if (!OperatingSystem.IsLinux())
            {
                Assert.Null(warning); // macOS: launchd starts cron when a crontab has entries
                return;
            }
            Assert.NotNull(warning);
            Assert.Contains("No cron daemon is running", warning, StringComparison.Ordinal);
            Assert.Contains("sudo systemctl enable --now cron", warning, StringComparison.Ordinal);

            Process(77, "cron", "/usr/sbin/cron", "-f");
            Assert.Null(store.SchedulerNotRunning());
        }
    }
}
