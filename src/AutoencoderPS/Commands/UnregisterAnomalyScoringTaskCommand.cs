using System;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Commands
{
    /// <summary>Removes a scheduled scoring task the module registered, and nothing else.</summary>
    [Cmdlet(VerbsLifecycle.Unregister, "AnomalyScoringTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Unregister-AnomalyScoringTask.md")]
    [OutputType(typeof(AnomalyScoringTask))]
    public sealed class UnregisterAnomalyScoringTaskCommand : ScoringTaskCmdlet
    {
        /// <summary>The task names (exact; no wildcards). Taken from the Name of Get-AnomalyScoringTask's objects on the pipeline.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ScoringTaskNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Writes each removed task, as it was registered, to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string name in Name)
            {
                if (!TryStore(() => Store.PlanUnregister(name), name, out var change)) continue;
                if (change == null)
                {
                    WriteError(TaskNotFound(name));
                    continue;
                }
                if (!ShouldProcess(change.Description, change.Question, "Unregister-AnomalyScoringTask")) continue;
                if (!TryApply(change, name)) continue;
                WriteVerbose(change.Done);
                if (PassThru) WriteObject(change.Existing);
            }
        }
    }
}
