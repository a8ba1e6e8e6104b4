using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Scheduling
{
    /// <summary>
    /// The scoring tasks in Task Scheduler's \AutoencoderPS\ folder (Windows), through the ScheduledTasks module of the
    /// calling cmdlet's session. Every value is passed to the scripts as an argument, never pasted into script text; the
    /// task itself is the XML <see cref="ScheduledTaskDefinition.ToXml"/> writes. A failure of the ScheduledTasks
    /// cmdlets is a <see cref="ScoringTaskStoreException"/> TaskSchedulerFailed with the folder as target.
    /// </summary>
    public sealed class TaskSchedulerTaskStore : IScoringTaskStore
    {
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

        private readonly CommandInvocationIntrinsics invoke;

        /// <param name="invoke">The calling cmdlet's InvokeCommand: the scripts run in its session.</param>
        public TaskSchedulerTaskStore(CommandInvocationIntrinsics invoke)
        {
            this.invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
        }

        public ScoringTaskPlatform Platform => ScoringTaskPlatform.TaskScheduler;

        public void ValidateInterval(TimeSpan interval) => ScoringTaskRules.ValidateTaskSchedulerInterval(interval);

        /// <summary>The tasks in Task Scheduler's \AutoencoderPS\ folder, with state and last run.</summary>
        public IReadOnlyList<AnomalyScoringTask> GetTasks()
        {
            var tasks = new List<AnomalyScoringTask>();
            foreach (PSObject item in Invoke(GetTasksScript, ScheduledTaskDefinition.Folder))
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

        public ScoringTaskChange PlanRegister(string name, TimeSpan interval, ScoringTaskAction action, bool replace)
        {
            var definition = new ScheduledTaskDefinition(name, interval, action);
            var existing = Find(name);
            if (existing != null && !replace)
                throw new ScoringTaskException(ErrorIds.AnomalyScoringTaskExists, $"Task Scheduler already has a task {definition.FullName}. Use -Force to replace it, or another name.");
            string verb = existing != null ? "Replace" : "Register";
            return new ScoringTaskChange(name, existing,
                $"{verb} {definition.Describe()}",
                $"{verb} Task Scheduler task {definition.FullName}?",
                $"Registered Task Scheduler task {definition.FullName}.",
                () => Invoke(RegisterTaskScript, definition.ToXml(DateTime.Now), definition.TaskPath, definition.TaskName),
                () => GetTasks().Where(t => Same(t, name)).ToArray());
        }

        public ScoringTaskChange? PlanUnregister(string name)
        {
            var existing = Find(name);
            if (existing == null) return null;
            string fullName = ScheduledTaskDefinition.Folder + name;
            return new ScoringTaskChange(name, existing,
                $"Remove Task Scheduler task {fullName}",
                $"Remove Task Scheduler task {fullName}?",
                $"Removed Task Scheduler task {fullName}.",
                () => Invoke(UnregisterTaskScript, ScheduledTaskDefinition.Folder, name),
                () => new[] { existing });
        }

        public string NotFoundMessage(string name) =>
            $"There is no scoring task '{name}' in Task Scheduler's {ScheduledTaskDefinition.Folder} folder.";

        private AnomalyScoringTask? Find(string name) => GetTasks().FirstOrDefault(t => Same(t, name));

        private static bool Same(AnomalyScoringTask task, string name) => string.Equals(task.Name, name, StringComparison.OrdinalIgnoreCase);

        private Collection<PSObject> Invoke(string script, params object[] args)
        {
            try
            {
                return invoke.InvokeScript(script, args);
            }
            catch (RuntimeException e)
            {
                throw new ScoringTaskStoreException(ErrorIds.TaskSchedulerFailed,
                    $"Task Scheduler (the ScheduledTasks module) failed: {e.Message}", ScheduledTaskDefinition.Folder, e);
            }
        }

        private static string? Text(PSObject item, string name)
        {
            object? value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            return value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        private static T? Value<T>(PSObject item, string name) where T : struct
        {
            object? value = item.Properties[name]?.Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            try { return value == null ? null : (T)LanguagePrimitives.ConvertTo(value, typeof(T), CultureInfo.InvariantCulture); }
            catch (PSInvalidCastException) { return null; }
        }
    }
}
