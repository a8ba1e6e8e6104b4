using System;
using System.IO;
using System.Management.Automation;
using AutoencoderPS.Adapters;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>Saves a trained model to one file that carries everything scoring needs.</summary>
    [Cmdlet(VerbsData.Export, "Autoencoder", SupportsShouldProcess = true, DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Export-Autoencoder.md")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportAutoencoderCommand : AutoencoderCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        [RefuseDeserializedModel]
        public AutoencoderModel Model { get; set; } = null!;

        /// <summary>The file to write; a wildcard pattern must match one existing file (as Out-File's -Path).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = "";

        /// <summary>Replace a read-only file too (it stays read-only); any other existing file is replaced without it.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Don't replace an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        // Until 2026-12 an existing file was refused without -Force: the first file replaced without it says so, once a session.
        private static int replacedWithoutForceSaid;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string target = ResolveTarget();
            if (target.Length == 0) return;

            ThrowIfDisposed(Model);
            if (!Model.IsTrained)
            {
                WriteError(EngineError(new AutoencoderException(ErrorIds.ModelNotTrained,
                    "The model is not trained yet, so there is nothing to export. Train it with Invoke-AutoencoderTraining first."), Model));
                return;
            }
            string? folder = System.IO.Path.GetDirectoryName(target);
            if (folder != null && !Directory.Exists(folder))
            {
                WriteError(ErrorCatalog.Record(new DirectoryNotFoundException($"The folder '{folder}' does not exist."),
                    ErrorIds.ModelFolderNotFound, target));
                return;
            }
            if (Directory.Exists(target))
            {
                WriteError(ErrorCatalog.Record(new IOException($"'{target}' is a folder; give a file path such as '{System.IO.Path.Combine(target, "model" + ModelFile.Extension)}'."),
                    ErrorIds.ModelPathIsFolder, target));
                return;
            }
            if (ReplaceRefusal(target, NoClobber, Force, ErrorIds.ModelFileExists) is { } refusal)
            {
                WriteError(refusal);
                return;
            }
            bool replacing = File.Exists(target);
            if (!ShouldProcess(target, replacing ? "Replace the file with the autoencoder model" : "Export autoencoder model")) return;

            try
            {
                ModelFile.Save(Model, target);
            }
            catch (ModelFileException e)
            {
                // ModelFileWriteFailed (a full disk, a read-only folder, no permission): the engine has already removed its
                // temporary file, and any previous file at the target is unchanged.
                WriteError(EngineError(e, target));
                return;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorCatalog.Record(e, ErrorIds.ModelFileWriteFailed, target,
                    $"Could not write the model to '{target}': {e.Message} Any previous file there is unchanged."));
                return;
            }
            WriteVerbose($"Exported {Model} to '{target}'.");
            if (replacing && !Force && System.Threading.Interlocked.Exchange(ref replacedWithoutForceSaid, 1) == 0)
                WriteWarning($"Replaced '{target}'. Export-Autoencoder replaces an existing file, as Export-Csv and Export-Clixml do " +
                             "(until 2026-12 it refused without -Force): give -NoClobber to keep one. Said once per process.");
            if (PassThru) WriteObject(new FileInfo(target));
        }

        private string ResolveTarget()
        {
            string path = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
            try
            {
                string resolved = ResolveOutputFile(path, ParameterSetName == LiteralPathSet, out ProviderInfo provider);
                if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    WriteError(ErrorCatalog.Record(new ArgumentException($"'{path}' is not a file-system path."),
                        ErrorIds.ModelPathNotFileSystem, path));
                    return "";
                }
                return resolved;
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is ArgumentException)
            {
                WriteError(ErrorCatalog.Record(e, ErrorIds.ModelPathInvalid, path));
                return "";
            }
            catch (AutoencoderException e)
            {
                WriteError(EngineError(e, path));
                return "";
            }
        }
    }
}
