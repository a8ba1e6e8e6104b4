using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Commands
{
    /// <summary>Lists the scheduled scoring tasks the module registered: the user's crontab entries, or Task Scheduler's \AutoencoderPS\ tasks.</summary>
    [Cmdlet(VerbsCommon.Get, "AnomalyScoringTask", HelpUri = HelpLinks.Base + "Get-AnomalyScoringTask.md")]
    [OutputType(typeof(AnomalyScoringTask))]
    public sealed class GetAnomalyScoringTaskCommand : ScoringTaskCmdlet
    {
        /// <summary>Task names; wildcards allowed. All tasks when left out.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ScoringTaskNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (!TryStore(() => Store.GetTasks(), Name ?? (object)"*", out var tasks)) return;
            var names = Name ?? new[] { "*" };
            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var task in tasks)
                if (patterns.Any(p => p.IsMatch(task.Name)))
                    WriteObject(task);
            foreach (string name in names)
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !tasks.Any(t => string.Equals(t.Name, name, System.StringComparison.OrdinalIgnoreCase)))
                    WriteError(TaskNotFound(name));
        }
    }
}
