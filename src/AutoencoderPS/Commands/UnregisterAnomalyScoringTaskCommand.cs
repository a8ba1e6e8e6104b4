using System;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Commands
{
    /// <summary>Removes a scheduled scoring task the module registered, and nothing else.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "AnomalyScoringTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class UnregisterAnomalyScoringTaskCommand : ScoringTaskCmdlet
    {
        /// <summary>The task names (exact; no wildcards). Taken from the Name of Get-AnomalyScoringTask's objects on the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ScoringTaskNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (OnWindows) UnregisterFromTaskScheduler(name);
                else UnregisterFromCrontab(name);
            }
        }

        private void UnregisterFromCrontab(string name)
        {
            var crontab = GetCrontab();
            var table = ReadCrontab(crontab);
            var entry = table.Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
            if (entry == null)
            {
                WriteError(TaskNotFound(name));
                return;
            }
            string lines = CrontabEditor.MarkerLine(entry.Name) + (entry.ScheduleLine == null ? "" : Environment.NewLine + entry.ScheduleLine);
            if (!ShouldProcess($"Remove scoring task '{name}' from the crontab of {Environment.UserName}:{Environment.NewLine}{lines}",
                    $"Remove scoring task '{name}' from the crontab of {Environment.UserName}?", "Unregister-AnomalyScoringTask"))
                return;
            table.Remove(name);
            if (WriteCrontab(crontab, table, name)) WriteVerbose($"Removed scoring task '{name}' from the crontab.");
        }

        private void UnregisterFromTaskScheduler(string name)
        {
            if (!GetWindowsTasks().Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                WriteError(TaskNotFound(name));
                return;
            }
            if (!ShouldProcess($"Remove Task Scheduler task {ScheduledTaskDefinition.Folder}{name}",
                    $"Remove Task Scheduler task {ScheduledTaskDefinition.Folder}{name}?", "Unregister-AnomalyScoringTask"))
                return;
            UnregisterWindowsTask(name);
            WriteVerbose($"Removed Task Scheduler task {ScheduledTaskDefinition.Folder}{name}.");
        }
    }
}
