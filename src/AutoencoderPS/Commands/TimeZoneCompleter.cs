using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace AutoencoderPS.Commands
{
    /// <summary>Completes -TimeZone with the ids of the zones this system knows (America/Los_Angeles, ...).</summary>
    public sealed class TimeZoneCompleter : IArgumentCompleter
    {
        private static readonly Lazy<string[]> Ids = new Lazy<string[]>(() =>
            TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).OrderBy(id => id, StringComparer.OrdinalIgnoreCase).ToArray());

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            foreach (var id in Ids.Value)
                if (id.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    // Ids with spaces (Windows ids) are quoted so that the completed command runs.
                    yield return new CompletionResult(id.Contains(' ') ? $"'{id}'" : id, id, CompletionResultType.ParameterValue, id);
        }
    }
}
