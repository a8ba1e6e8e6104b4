using System;
using System.Collections.Generic;
using System.Management.Automation;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Commands
{
    /// <summary>Loads a model saved by Export-Autoencoder, validating the file first.</summary>
    [Cmdlet(VerbsData.Import, "Autoencoder", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(AutoencoderModel))]
    public sealed class ImportAutoencoderCommand : AutoencoderCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>One or more model files; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (string file in ResolveFiles())
            {
                try
                {
                    var model = ModelFile.Load(file);
                    WriteVerbose($"Imported {model} from '{file}'.");
                    WriteObject(model);
                }
                catch (TorchRuntimeException e)
                {
                    ThrowTerminatingError(EngineError(e, ErrorCategory.ResourceUnavailable, file));
                }
                catch (ModelFileException e)
                {
                    var category = e.ErrorId == "ModelFileNotFound" ? ErrorCategory.ObjectNotFound
                        : e.ErrorId == "ModelFileUnreadable" ? ErrorCategory.ReadError
                        : ErrorCategory.InvalidData;
                    WriteError(EngineError(e, category, file));
                }
            }
        }

        private IEnumerable<string> ResolveFiles()
        {
            var resolved = new List<string>();
            if (ParameterSetName == LiteralPathSet)
            {
                foreach (string path in LiteralPath)
                    resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                return resolved;
            }
            foreach (string path in Path)
            {
                try
                {
                    var files = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                    {
                        WriteError(new ErrorRecord(new ArgumentException($"'{path}' is not a file-system path."),
                            "ModelPathNotFileSystem", ErrorCategory.InvalidArgument, path));
                        continue;
                    }
                    if (files.Count == 0 && WildcardPattern.ContainsWildcardCharacters(path))
                        WriteError(new ErrorRecord(new System.IO.FileNotFoundException($"No model file matches '{path}'."),
                            "ModelFileNotFound", ErrorCategory.ObjectNotFound, path));
                    resolved.AddRange(files);
                }
                catch (ItemNotFoundException e)
                {
                    WriteError(new ErrorRecord(new System.IO.FileNotFoundException($"Model file '{path}' does not exist.", e),
                        "ModelFileNotFound", ErrorCategory.ObjectNotFound, path));
                }
            }
            return resolved;
        }
    }
}
