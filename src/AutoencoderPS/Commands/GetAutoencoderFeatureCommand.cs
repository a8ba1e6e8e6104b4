using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AutoencoderPS.Adapters;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>Lists a model's feature columns: role, network inputs and training statistics.</summary>
    [Cmdlet(VerbsCommon.Get, "AutoencoderFeature", HelpUri = HelpLinks.Base + "Get-AutoencoderFeature.md")]
    [OutputType(typeof(FeatureColumn))]
    public sealed class GetAutoencoderFeatureCommand : AutoencoderCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel Model { get; set; } = null!;

        /// <summary>Feature names to show; wildcards allowed. Completes from the model's features.</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(FeatureNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        // A sliding-window model reads each feature once per row of the window: the column says so (the view shows "1 x 6").
        private object WithWindow(FeatureColumn column)
        {
            if (!Model.Settings.IsWindowed) return column;
            var row = new PSObject(column);
            row.Properties.Add(new PSNoteProperty("WindowSize", Model.Settings.WindowSize));
            row.Properties.Add(new PSNoteProperty("TimeProperty", Model.Settings.TimeProperty));
            row.Properties.Add(new PSNoteProperty("GroupBy", Model.Settings.GroupBy));
            row.Properties.Add(new PSNoteProperty("WindowSteps",
                Enumerable.Range(0, Model.Settings.WindowSize).Select(t => SlidingWindow.StepName(column.Name, Model.Settings.WindowSize - 1 - t)).ToArray()));
            return row;
        }

        protected override void ProcessRecord()
        {
            ThrowIfDisposed(Model);
            if (!Model.IsTrained)
            {
                WriteError(EngineError(new AutoencoderException(ErrorIds.ModelNotTrained,
                    "The model is not trained yet: its features are found at training time."), Model));
                return;
            }
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (var name in Name ?? Array.Empty<string>())
                if (!WildcardPattern.ContainsWildcardCharacters(name) && Model.Schema!.IndexOf(name) < 0)
                    WriteError(ErrorCatalog.Record(new ItemNotFoundException($"The model has no feature '{name}'. Its features: {string.Join(", ", Model.Features)}."),
                        ErrorIds.FeatureNotFound, name));
            foreach (var column in Model.FeatureColumns)
                if (patterns.Any(p => p.IsMatch(column.Name)))
                    WriteObject(WithWindow(column));
        }
    }

    /// <summary>Completes feature names from the model bound to -Model (e.g. a variable holding one).</summary>
    public sealed class FeatureNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var model = fakeBoundParameters["Model"] switch
            {
                AutoencoderModel m => m,
                PSObject { BaseObject: AutoencoderModel m } => m,
                _ => null,
            };
            if (model == null) yield break;
            var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            foreach (var feature in model.Features)
                if (pattern.IsMatch(feature))
                    yield return new CompletionResult(feature.Any(char.IsWhiteSpace) ? $"'{feature}'" : feature, feature, CompletionResultType.ParameterValue, feature);
        }
    }
}
