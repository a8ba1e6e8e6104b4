using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// What the three *-AnomalyScoringTask cmdlets share: where tasks live on this platform (the user's crontab on
    /// Linux and macOS, Task Scheduler's \AutoencoderPS\ folder on Windows) and how to read and change them there.
    /// The Windows path calls the ScheduledTasks cmdlets through this session with every value passed as an argument,
    /// never pasted into script text; the values themselves come from <see cref="ScheduledTaskDefinition"/>.
    /// </summary>
    public abstract class ScoringTaskCmdlet : AutoencoderCmdlet
    {
        protected static bool OnWindows => OperatingSystem.IsWindows();

        protected static ScoringTaskPlatform CurrentPlatform => OnWindows ? ScoringTaskPlatform.TaskScheduler : ScoringTaskPlatform.Cron;

        /// <summary>The crontab program, or a terminating CrontabUnavailable error that says how to get one.</summary>
        protected CrontabProgram GetCrontab()
        {
            string? program = CrontabProgram.Find();
            if (program == null)
                ThrowTerminatingError(new ErrorRecord(new ScoringTaskException("CrontabUnavailable",
                    "The crontab program was not found on PATH, so scheduled tasks can't be registered or listed. Install cron (Debian/Ubuntu: apt-get install cron; Fedora: dnf install cronie)."),
                    "CrontabUnavailable", ErrorCategory.NotInstalled, "crontab"));
            return new CrontabProgram(program!);
        }

        /// <summary>The crontab as an editor; read failures are terminating errors.</summary>
        protected CrontabEditor ReadCrontab(CrontabProgram crontab)
        {
            try
            {
                return new CrontabEditor(crontab.Read());
            }
            catch (ScoringTaskException e)
            {
                ThrowTerminatingError(EngineError(e, ErrorCategory.ReadError, "crontab"));
                throw;
            }
        }

        protected bool WriteCrontab(CrontabProgram crontab, CrontabEditor table, object target)
        {
            try
            {
                crontab.Write(table.ToBytes());
                return true;
            }
            catch (ScoringTaskException e)
            {
                WriteError(EngineError(e, ErrorCategory.WriteError, target));
                return false;
            }
        }

        // ---- Windows: Task Scheduler through the ScheduledTasks module ----

        private const string GetTasksScript = @"
param([string] $TaskPath)
Import-Module ScheduledTasks -ErrorAction Stop
foreach ($task in @(Get-ScheduledTask -TaskPath $TaskPath -ErrorAction SilentlyContinue)) {
    $info = $task | Get-ScheduledTaskInfo -ErrorAction SilentlyContinue
    $action = @($task.Actions)[0]
    $trigger = @($task.Triggers)[0]
    [pscustomobject]@{
        Name           = $task.TaskName
        Execute        = $action.Execute
        Arguments      = $action.Arguments
        Interval       = if ($trigger -and $trigger.Repetition) { $trigger.Repetition.Interval } else { $null }
        State          = ""$($task.State)""
        LastRunTime    = if ($info) { $info.LastRunTime } else { $null }
        LastTaskResult = if ($info) { $info.LastTaskResult } else { $null }
        NextRunTime    = if ($info) { $info.NextRunTime } else { $null }
    }
}";

        // The whole task is the XML ScheduledTaskDefinition.ToXml writes: one documented form, tested against the schema.
        private const string RegisterTaskScript = @"
param([string] $Xml, [string] $TaskPath, [string] $TaskName)
Import-Module ScheduledTasks -ErrorAction Stop
$null = Register-ScheduledTask -Xml $Xml -TaskPath $TaskPath -TaskName $TaskName -Force -ErrorAction Stop";

        private const string UnregisterTaskScript = @"
param([string] $TaskPath, [string] $TaskName)
Import-Module ScheduledTasks -ErrorAction Stop
Unregister-ScheduledTask -TaskPath $TaskPath -TaskName $TaskName -Confirm:$false -ErrorAction Stop";

        /// <summary>The tasks in Task Scheduler's \AutoencoderPS\ folder, with state and last run.</summary>
        protected IReadOnlyList<AnomalyScoringTask> GetWindowsTasks()
        {
            var tasks = new List<AnomalyScoringTask>();
            foreach (PSObject item in InvokeWindows(GetTasksScript, ScheduledTaskDefinition.Folder))
            {
                string name = Text(item, "Name") ?? "";
                var task = AnomalyScoringTask.FromTaskScheduler(name, Text(item, "Execute") ?? "", Text(item, "Arguments"), Text(item, "Interval"));
                task.State = Text(item, "State");
                task.LastRunTime = Value<DateTime>(item, "LastRunTime");
                task.LastTaskResult = Value<int>(item, "LastTaskResult");
                task.NextRunTime = Value<DateTime>(item, "NextRunTime");
                tasks.Add(task);
            }
            return tasks;
        }

        protected void RegisterWindowsTask(ScheduledTaskDefinition definition) =>
            InvokeWindows(RegisterTaskScript, definition.ToXml(DateTime.Now), definition.TaskPath, definition.TaskName);

        protected void UnregisterWindowsTask(string name) =>
            InvokeWindows(UnregisterTaskScript, ScheduledTaskDefinition.Folder, name);

        private Collection<PSObject> InvokeWindows(string script, params object[] args)
        {
            try
            {
                return InvokeCommand.InvokeScript(script, args);
            }
            catch (RuntimeException e)
            {
                ThrowTerminatingError(new ErrorRecord(new ScoringTaskException("TaskSchedulerFailed",
                    $"Task Scheduler (the ScheduledTasks module) failed: {e.Message}", e), "TaskSchedulerFailed", ErrorCategory.InvalidOperation, ScheduledTaskDefinition.Folder));
                throw;
            }
        }

        private static string? Text(PSObject item, string name)
        {
            object? value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value == null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        private static T? Value<T>(PSObject item, string name) where T : struct
        {
            object? value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            try { return value == null ? null : (T)LanguagePrimitives.ConvertTo(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture); }
            catch (PSInvalidCastException) { return null; }
        }

        /// <summary>The module's tasks on this platform.</summary>
        protected IReadOnlyList<AnomalyScoringTask> GetTasks()
        {
            if (OnWindows) return GetWindowsTasks();
            return ReadCrontab(GetCrontab()).Entries.Select(AnomalyScoringTask.FromCrontab).ToArray();
        }

        protected static ErrorRecord TaskNotFound(string name) =>
            new ErrorRecord(new ItemNotFoundException(OnWindows
                    ? $"There is no scoring task '{name}' in Task Scheduler's {ScheduledTaskDefinition.Folder} folder."
                    : $"There is no scoring task '{name}' in this user's crontab (entries marked '{CrontabEditor.MarkerPrefix}{name}...')."),
                "AnomalyScoringTaskNotFound", ErrorCategory.ObjectNotFound, name);
    }
}
