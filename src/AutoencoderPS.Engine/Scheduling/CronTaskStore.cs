using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// The scoring tasks in the current user's crontab (Linux, macOS): each task is the marker comment and schedule line
    /// <see cref="CrontabEditor"/> writes, and every other line of the table stays byte for byte as it was. The table is
    /// read through the crontab program at each call (so a plan sees the table as it is) and installed whole.
    /// </summary>
    public sealed class CronTaskStore : IScoringTaskStore
    {
        private readonly string? program;
        private readonly string root;

        /// <param name="program">The crontab program; null to look for "crontab" on PATH at each use.</param>
        /// <param name="root">The file system's root, where /proc tells whether a cron daemon runs (tests give a stand-in).</param>
        public CronTaskStore(string? program = null, string root = "/")
        {
            this.program = program;
            this.root = root;
        }

        public ScoringTaskPlatform Platform => ScoringTaskPlatform.Cron;

        public void ValidateInterval(TimeSpan interval) => ScoringTaskRules.CronSchedule(interval);

        public IReadOnlyList<AnomalyScoringTask> GetTasks() =>
            Read(Crontab()).Entries.Select(AnomalyScoringTask.FromCrontab).ToArray();

        public ScoringTaskChange PlanRegister(string name, TimeSpan interval, ScoringTaskAction action, bool replace)
        {
            string logPath = LogPath(name, action);
            string line = CrontabEditor.ScheduleLine(ScoringTaskRules.CronSchedule(interval), action.CommandLine, logPath);
            var crontab = Crontab();
            var table = Read(crontab);
            var existing = Find(table, name);
            if (existing != null && !replace)
                throw new ScoringTaskException(ErrorIds.AnomalyScoringTaskExists, $"The crontab already has a scoring task '{name}'. Use -Force to replace it, or another name.");
            string verb = existing != null ? "Replace" : "Add";
            string entry = CrontabEditor.MarkerLine(name) + Environment.NewLine + line;
            return new ScoringTaskChange(name, existing == null ? null : AnomalyScoringTask.FromCrontab(existing),
                $"{verb} scoring task '{name}' in the crontab of {Environment.UserName}:{Environment.NewLine}{entry}",
                $"{verb} scoring task '{name}' in the crontab of {Environment.UserName}?",
                $"{(existing != null ? "Replaced" : "Added")} scoring task '{name}' in the crontab; its output goes to '{logPath}'.",
                () =>
                {
                    table.Set(name, line);
                    crontab.Write(table.ToBytes());
                },
                () => new[] { AnomalyScoringTask.FromCrontab(new CrontabEntry(name, line)) });
        }

        public ScoringTaskChange? PlanUnregister(string name)
        {
            var crontab = Crontab();
            var table = Read(crontab);
            var entry = Find(table, name);
            if (entry == null) return null;
            var task = AnomalyScoringTask.FromCrontab(entry);
            string lines = CrontabEditor.MarkerLine(entry.Name) + (entry.ScheduleLine == null ? "" : Environment.NewLine + entry.ScheduleLine);
            return new ScoringTaskChange(name, task,
                $"Remove scoring task '{name}' from the crontab of {Environment.UserName}:{Environment.NewLine}{lines}",
                $"Remove scoring task '{name}' from the crontab of {Environment.UserName}?",
                $"Removed scoring task '{name}' from the crontab.",
                () =>
                {
                    table.Remove(name);
                    crontab.Write(table.ToBytes());
                },
                () => new[] { task });
        }

        /// <summary>
        /// Linux: the warning when no cron daemon runs (<see cref="CronDaemon"/>). macOS: none, as launchd starts cron when
        /// a crontab has entries.
        /// </summary>
        public string? SchedulerNotRunning() =>
            OperatingSystem.IsLinux() && CronDaemon.IsRunning(root) == false ? CronDaemon.NotRunningWarning : null;

        public string NotFoundMessage(string name) =>
            $"There is no scoring task '{name}' in this user's crontab (entries marked '{CrontabEditor.MarkerPrefix}{name}...').";

        /// <summary>
        /// The job's log, to which cron appends its output and errors: &lt;Name&gt;.log in the folder of the state file,
        /// or of the output file when the task has no state path.
        /// </summary>
        public static string LogPath(string name, ScoringTaskAction action) =>
            System.IO.Path.Combine(System.IO.Path.GetDirectoryName(action.StatePath ?? action.OutputPath)!, name + ".log");

        private static CrontabEntry? Find(CrontabEditor table, string name) =>
            table.Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

        private CrontabProgram Crontab()
        {
            string? found = program ?? CrontabProgram.Find();
            if (found == null)
                throw new ScoringTaskStoreException(ErrorIds.CrontabUnavailable,
                    "The crontab program was not found on PATH, so scheduled tasks can't be registered or listed. Install cron (Debian/Ubuntu: apt-get install cron; Fedora: dnf install cronie).",
                    CrontabProgram.StoreName);
            return new CrontabProgram(found);
        }

        private static CrontabEditor Read(CrontabProgram crontab) => new CrontabEditor(crontab.Read());
    }
}
