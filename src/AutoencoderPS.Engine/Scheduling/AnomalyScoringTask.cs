using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// A registered scheduled scoring task, as Get-AnomalyScoringTask shows it: where it is registered, how often it
    /// runs, the command it runs and the files it scores. ModelPath, Path, OutputPath, StatePath and Format are null
    /// when the registered command is not one the module wrote (edited by hand).
    /// </summary>
    public sealed class AnomalyScoringTask
    {
        public AnomalyScoringTask(string name, ScoringTaskPlatform platform, TimeSpan? interval, string? schedule,
            IReadOnlyList<string>? commandLine, string? registeredCommand, ScoringTaskAction? action, string? logPath)
        {
            Name = name;
            Platform = platform;
            Interval = interval;
            Schedule = schedule;
            Command = commandLine == null || commandLine.Count == 0 ? null : commandLine[0];
            Arguments = commandLine == null ? Array.Empty<string>() : commandLine.Skip(1).ToArray();
            RegisteredCommand = registeredCommand;
            Action = action;
            LogPath = logPath;
        }

        public string Name { get; }
        public ScoringTaskPlatform Platform { get; }

        /// <summary>How often the task runs; null when its schedule is not a plain repetition.</summary>
        public TimeSpan? Interval { get; }

        /// <summary>The schedule as registered: cron's five fields, or Task Scheduler's repetition interval (PT15M).</summary>
        public string? Schedule { get; }

        /// <summary>The program the task starts (pwsh, or the dotnet host with pwsh.dll as first argument).</summary>
        public string? Command { get; }

        /// <summary>The program's arguments, unquoted.</summary>
        public string[] Arguments { get; }

        /// <summary>What is registered, verbatim: the crontab schedule line, or Task Scheduler's Execute and Argument.</summary>
        public string? RegisteredCommand { get; }

        public ScoringTaskAction? Action { get; }
        public string? ModelPath => Action?.ModelPath;
        public string[]? Path => Action?.Path.ToArray();
        public string? OutputPath => Action?.OutputPath;
        public string? StatePath => Action?.StatePath;
        public string? Format => Action?.Format;
        public string? ScriptPath => Action?.ScriptPath;

        /// <summary>The file the job's output and errors are appended to (cron); null on Task Scheduler.</summary>
        public string? LogPath { get; }

        /// <summary>Task Scheduler only: Ready, Running, Disabled, ...</summary>
        public string? State { get; set; }

        /// <summary>Task Scheduler only: when the task last ran.</summary>
        public DateTime? LastRunTime { get; set; }

        /// <summary>Task Scheduler only: the exit code of the last run (0 nothing found, 1 anomalies, 2 failure, 3 locked, 4 anomalies and a failed file).</summary>
        public int? LastTaskResult { get; set; }

        /// <summary>Task Scheduler only: when the task runs next.</summary>
        public DateTime? NextRunTime { get; set; }

        public override string ToString() => Name;

        /// <summary>A crontab entry of the module as a task.</summary>
        public static AnomalyScoringTask FromCrontab(CrontabEntry entry) =>
            new AnomalyScoringTask(entry.Name, ScoringTaskPlatform.Cron, entry.Interval, entry.Schedule, entry.CommandLine,
                entry.ScheduleLine, entry.Action, entry.LogPath);

        /// <summary>A Task Scheduler task of the module's folder, from its action and repetition interval.</summary>
        public static AnomalyScoringTask FromTaskScheduler(string name, string execute, string? argument, string? repetitionInterval)
        {
            var commandLine = new List<string> { execute };
            commandLine.AddRange(CommandLineQuoting.WindowsSplit(argument ?? ""));
            string registered = string.IsNullOrEmpty(argument) ? CommandLineQuoting.WindowsQuote(execute) : CommandLineQuoting.WindowsQuote(execute) + " " + argument;
            return new AnomalyScoringTask(name, ScoringTaskPlatform.TaskScheduler, ScheduledTaskDefinition.ParseInterval(repetitionInterval),
                repetitionInterval, commandLine, registered, ScheduledTaskDefinition.ParseAction(execute, argument), null);
        }
    }
}
