using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Tab completion of -Name for Get- and Unregister-AnomalyScoringTask: the names of the module's registered tasks
    /// (read as Get-AnomalyScoringTask reads them), not file names. Offers nothing when the tasks can't be read.
    /// </summary>
    public sealed class ScoringTaskNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
            var names = new List<string>();
            try
            {
                using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
                shell.AddCommand("AutoencoderPS\\Get-AnomalyScoringTask").AddParameter("ErrorAction", ActionPreference.Ignore);
                foreach (var task in shell.Invoke())
                    if (task?.Properties["Name"]?.Value is string name) names.Add(name);
            }
            catch (Exception e) when (e is RuntimeException || e is InvalidOperationException)
            {
                return Array.Empty<CompletionResult>();
            }
            return names.Where(pattern.IsMatch).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n)).ToArray();
        }
    }
}
