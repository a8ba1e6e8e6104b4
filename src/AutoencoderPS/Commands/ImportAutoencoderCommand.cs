using System;
using System.Collections.Generic;
using System.Management.Automation;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Commands
{
    /// <summary>Loads a model saved by Export-Autoencoder, validating the file first.</summary>
    [Cmdlet(VerbsData.Import, "Autoencoder", DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Import-Autoencoder.md")]
    [OutputType(typeof(AutoencoderModel))]
    public sealed class ImportAutoencoderCommand : AutoencoderCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>One or more model files; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string file in ParameterSetName == LiteralPathSet
                ? ResolveFiles(LiteralPath, literal: true, "Model", "model file")
                : ResolveFiles(Path, literal: false, "Model", "model file"))
            {
                // The runtime first, through the cmdlet layer: it also finds a runtime module imported by path.
                EnsureRuntime(file);
                try
                {
                    var model = ModelFile.Load(file);
                    WriteVerbose($"Imported {model} from '{file}'.");
                    WriteObject(model);
                }
                catch (TorchRuntimeException e)
                {
                    ThrowTerminatingError(EngineError(e, file));
                }
                catch (ModelFileException e)
                {
                    WriteError(EngineError(e, file));
                }
            }
        }
    }
}
