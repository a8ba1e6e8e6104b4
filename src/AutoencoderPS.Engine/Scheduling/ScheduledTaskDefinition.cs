using System;
using System.Collections.Generic;
using System.Text;
using System.Xml;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// The Windows Task Scheduler task of a scoring task, in one form: the task XML (<see cref="ToXml"/>) that
    /// <c>Register-ScheduledTask -TaskPath \AutoencoderPS\ -TaskName <see cref="TaskName"/> -Xml</c> registers. A time
    /// trigger at registration that repeats every <see cref="RepetitionInterval"/> indefinitely (no repetition duration),
    /// one Exec action (<see cref="Execute"/> and <see cref="Argument"/>), and the settings MultipleInstancesPolicy
    /// IgnoreNew (a run that is still going makes the next start a no-op) and StartWhenAvailable (a start missed while
    /// the computer was off happens as soon as it can); it also runs on battery power. No principal: the task runs as the
    /// user who registers it, only while that user is logged on, as Register-ScheduledTask does without -User.
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

        /// <summary>The namespace of the Task Scheduler schema (task XML version 1.2: Windows Vista and later).</summary>
        public const string XmlNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";

        /// <summary>
        /// The task XML Register-ScheduledTask -Xml accepts, its trigger starting at <paramref name="start"/> (local time,
        /// whole seconds). Elements of the schema's sequences come in the schema's order (the trigger's StartBoundary,
        /// then Repetition; Enabled, which would come first, is left at its default, true); values are XML-escaped by the
        /// writer, so the argument string is registered exactly.
        /// </summary>
        public string ToXml(DateTime start)
        {
            var settings = new XmlWriterSettings { Indent = true }; // declared UTF-16: the string Register-ScheduledTask -Xml takes
            var text = new System.IO.StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            using (var w = XmlWriter.Create(text, settings))
            {
                w.WriteStartElement("Task", XmlNamespace);
                w.WriteAttributeString("version", "1.2");
                w.WriteStartElement("RegistrationInfo", XmlNamespace);
                w.WriteElementString("Description", XmlNamespace, Description);
                w.WriteElementString("URI", XmlNamespace, FullName);
                w.WriteEndElement();
                w.WriteStartElement("Triggers", XmlNamespace);
                w.WriteStartElement("TimeTrigger", XmlNamespace);
                w.WriteElementString("StartBoundary", XmlNamespace, start.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteStartElement("Repetition", XmlNamespace);
                w.WriteElementString("Interval", XmlNamespace, RepetitionIntervalText);
                w.WriteElementString("StopAtDurationEnd", XmlNamespace, "false");
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteStartElement("Settings", XmlNamespace);
                w.WriteElementString("MultipleInstancesPolicy", XmlNamespace, MultipleInstances);
                w.WriteElementString("StartWhenAvailable", XmlNamespace, StartWhenAvailable ? "true" : "false");
                w.WriteElementString("DisallowStartIfOnBatteries", XmlNamespace, "false");
                w.WriteElementString("StopIfGoingOnBatteries", XmlNamespace, "false");
                w.WriteElementString("Enabled", XmlNamespace, "true");
                w.WriteEndElement();
                w.WriteStartElement("Actions", XmlNamespace);
                w.WriteStartElement("Exec", XmlNamespace);
                w.WriteElementString("Command", XmlNamespace, Execute);
                w.WriteElementString("Arguments", XmlNamespace, Argument);
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            }
            return text.ToString();
        }

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
