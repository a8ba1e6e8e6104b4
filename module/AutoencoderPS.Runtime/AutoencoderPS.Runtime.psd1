# Template of the per-platform runtime modules AutoencoderPS.Runtime.<rid> (linux-x64, win-x64, osx-arm64).
# build.ps1 -Task Package fills in the __TOKENS__ and the version, the same one as AutoencoderPS's (.config/Build.props),
# and saves it as AutoencoderPS.Runtime.<rid>.psd1 beside that platform's libtorch natives.
# The module has no commands: AutoencoderPS finds it (beside itself or on $env:PSModulePath) on first use.
@{
    ModuleVersion        = '0.0.0'
    GUID                 = '__GUID__'
    Author               = 'AutoencoderPS contributors'
    CompanyName          = 'AutoencoderPS'
    Copyright            = '(c) AutoencoderPS contributors. MIT License; libtorch and TorchSharp under their own licences (see the LICENSE files).'
    Description          = 'The native libtorch __LIBTORCH__ (CPU) runtime of AutoencoderPS for __RID__: install it beside AutoencoderPS of the same version, which loads it on first use. It has no commands of its own.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.6'
    FunctionsToExport    = @()
    CmdletsToExport      = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData        = @{
            Tags         = @('AutoencoderPS', 'libtorch', 'torchsharp', 'runtime', '__RID__', '__PLATFORM__', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/autoencoderps/AutoencoderPS'
            LicenseUri   = 'https://github.com/autoencoderps/AutoencoderPS/blob/main/LICENSE'
            ReleaseNotes = 'libtorch __LIBTORCH__ CPU natives for __RID__ (TorchSharp __TORCHSHARP__), for AutoencoderPS of the same version.'
        }
        AutoencoderPS = @{
            RuntimeIdentifier = '__RID__'
            LibTorchVersion   = '__LIBTORCH__'
            TorchSharpVersion = '__TORCHSHARP__'
        }
    }
}
