using System;
using System.Collections.Generic;
using System.Text;
using System.Xml;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// The Windows Task Scheduler task of a scoring task, as plain values for the ScheduledTasks cmdlets:
    /// <c>New-ScheduledTaskAction -Execute <see cref="Execute"/> -Argument <see cref="Argument"/></c>,
    /// <c>New-ScheduledTaskTrigger -Once -At &lt;now&gt; -RepetitionInterval <see cref="RepetitionInterval"/></c> (no
    /// repetition duration: it repeats indefinitely), <c>New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew
    /// -StartWhenAvailable</c> (a run that is still going makes the next start a no-op; a start missed while the
    /// computer was off happens as soon as it can), and
    /// <c>Register-ScheduledTask -TaskPath \AutoencoderPS\ -TaskName <see cref="TaskName"/></c>.
    /// </summary>
    public sealed class ScheduledTaskDefinition
    {
        /// <summary>The Task Scheduler folder of the module's tasks.</summary>
        public const string Folder = @"\AutoencoderPS\";

        /// <summary>What Task Scheduler does when the task is due while its last run is still going.</summary>
        public const string MultipleInstancesPolicy = "IgnoreNew";

        public const string DescriptionPrefix = "AutoencoderPS scheduled scoring (managed by Register-AnomalyScoringTask; do not edit).";

        public ScheduledTaskDefinition(string name, TimeSpan interval, ScoringTaskAction action)
        {
            ScoringTaskRules.ValidateName(name);
            ScoringTaskRules.ValidateTaskSchedulerInterval(interval);
            TaskName = name;
            RepetitionInterval = interval;
            Action = action ?? throw new ArgumentNullException(nameof(action));
        }

        public string TaskPath => Folder;
        public string TaskName { get; }
        public ScoringTaskAction Action { get; }

        /// <summary>The program Task Scheduler starts: pwsh.exe, or dotnet.exe when the task runs pwsh.dll.</summary>
        public string Execute => Action.Executable;

        /// <summary>The argument string, each argument quoted by the Windows command-line rules.</summary>
        public string Argument => CommandLineQuoting.WindowsJoin(Action.Arguments);

        public TimeSpan RepetitionInterval { get; }

        /// <summary>The interval as Task Scheduler stores it (ISO 8601 duration, e.g. PT15M).</summary>
        public string RepetitionIntervalText => XmlConvert.ToString(RepetitionInterval);

        public string MultipleInstances => MultipleInstancesPolicy;
        public bool StartWhenAvailable => true;

        public string Description => DescriptionPrefix;

        /// <summary>The full task path, e.g. \AutoencoderPS\score-web.</summary>
        public string FullName => Folder + TaskName;

        /// <summary>A readable description for -WhatIf and -Verbose: every value that is registered.</summary>
        public string Describe()
        {
            var sb = new StringBuilder();
            sb.AppendLine($"Task Scheduler task {FullName}");
            sb.AppendLine($"  Execute:             {Execute}");
            sb.AppendLine($"  Argument:            {Argument}");
            sb.AppendLine($"  Trigger:             once at registration, then every {RepetitionInterval} ({RepetitionIntervalText}), indefinitely");
            sb.Append($"  Settings:            MultipleInstances {MultipleInstances}, StartWhenAvailable");
            return sb.ToString();
        }

        /// <summary>
        /// Reads back the action of a registered task (its Execute and Argument strings); null when it is not a command
        /// line <see cref="ScoringTaskAction"/> writes.
        /// </summary>
        public static ScoringTaskAction? ParseAction(string execute, string? argument)
        {
            var commandLine = new List<string> { execute };
            commandLine.AddRange(CommandLineQuoting.WindowsSplit(argument ?? ""));
            return ScoringTaskAction.TryParse(commandLine);
        }

        /// <summary>Task Scheduler's interval text (PT15M, P1D, ...) as a TimeSpan; null when empty or not a duration.</summary>
        public static TimeSpan? ParseInterval(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            try { return XmlConvert.ToTimeSpan(text!.Trim()); }
            catch (FormatException) { return null; }
        }
    }
}
