using System;
using System.IO;
using System.Linq;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// Whether a cron daemon runs on this Linux computer, to run the crontab's tasks: read from /proc, with no program
    /// run and nothing installed. A crontab entry is written whether or not a daemon runs (a container, a minimal
    /// install, a service stopped), and then the task never runs and nothing says so.
    /// </summary>
    public static class CronDaemon
    {
        // The daemons that run users' crontabs, as /proc/<pid>/comm names them (at most 15 characters): Debian's and
        // vixie cron, cronie and dcron (crond), fcron, bcron. BusyBox's crond runs as "busybox" when started as
        // "busybox crond": its command line says which applet it is.
        private static readonly string[] Names = { "cron", "crond", "fcron", "bcron-sched", "cronie", "dcron" };

        // systemd-cron has no daemon: a generator turns the crontabs into timers that systemd runs.
        private static readonly string[] SystemdCronGenerators =
        {
            "usr/lib/systemd/system-generators/systemd-crontab-generator",
            "lib/systemd/system-generators/systemd-crontab-generator",
        };

        /// <summary>
        /// True when a cron daemon's process is running, false when evidently none is, null when that can't be told: no
        /// /proc (not Linux), a /proc that hides other users' processes (hidepid: PID 1 can't be read), or systemd-cron.
        /// </summary>
        /// <param name="root">The file system's root ("/"): tests give a folder that stands for it.</param>
        public static bool? IsRunning(string root = "/")
        {
            string proc = Path.Combine(root, "proc");
            string? init = Comm(Path.Combine(proc, "1"));
            if (init == null) return null;
            if (init == "systemd" && SystemdCronGenerators.Any(g => File.Exists(Path.Combine(root, g)))) return null;
            try
            {
                foreach (string process in Directory.EnumerateDirectories(proc))
                {
                    string pid = Path.GetFileName(process);
                    if (pid.Length == 0 || !pid.All(char.IsAsciiDigit)) continue;
                    string? name = Comm(process);
                    if (name == null) continue;
                    if (Names.Contains(name, StringComparer.Ordinal)) return true;
                    if (name == "busybox" && Arguments(process).Skip(1).Take(1).Contains("crond", StringComparer.Ordinal)) return true;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
            return false;
        }

        /// <summary>What to say when no daemon runs: the task is registered, and won't run until one is started.</summary>
        public const string NotRunningWarning =
            "No cron daemon is running on this computer, so the task is in the crontab but will not run until one is started: " +
            "sudo systemctl enable --now cron (the service is crond on Fedora and RHEL; OpenRC: sudo rc-service crond start), " +
            "or your init's equivalent. In a container, run cron in it, or schedule the job on the host.";

        // A process's name, or null when it ended or can't be read.
        private static string? Comm(string process)
        {
            try
            {
                return File.ReadAllText(Path.Combine(process, "comm")).TrimEnd('\n');
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static string[] Arguments(string process)
        {
            try
            {
                return File.ReadAllText(Path.Combine(process, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
                    .Select(a => Path.GetFileName(a)).ToArray();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }
    }
}
