@{
    RootModule           = 'AutoencoderPS.dll'
    # Stamped at build time from .config/Build.props, the one place the version lives.
    ModuleVersion        = '0.0.0'
    GUID                 = '6f1d2c4e-3a8b-4c57-9e21-7b5d0a9c8e13'
    Author               = 'AutoencoderPS contributors'
    CompanyName          = 'AutoencoderPS'
    Copyright            = '(c) AutoencoderPS contributors. MIT License.'
    Description          = 'Finds anomalies in metric and log exports with an autoencoder: train a small neural network (TorchSharp) on normal rows, then flag rows it reconstructs badly. The native libtorch runtime comes in a separate module per platform; install the one for yours beside this one: AutoencoderPS.Runtime.linux-x64, AutoencoderPS.Runtime.win-x64 or AutoencoderPS.Runtime.osx-arm64, of the same version.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.6'
    FormatsToProcess     = @('AutoencoderPS.Format.ps1xml')
    TypesToProcess       = @('AutoencoderPS.Types.ps1xml')
    CmdletsToExport      = @(
        'New-Autoencoder'
        'Invoke-AutoencoderTraining'
        'Test-Anomaly'
        'Export-Autoencoder'
        'Import-Autoencoder'
        'Measure-AnomalyDetection'
        'Get-AutoencoderSampleData'
        'Set-AutoencoderThreshold'
        'Get-AutoencoderFeature'
        'ConvertTo-LogWindow'
        'Invoke-AnomalyScoring'
        'Register-AnomalyScoringTask'
        'Get-AnomalyScoringTask'
        'Unregister-AnomalyScoringTask'
        'Export-AnomalyReport'
        'Send-Autoencoder'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('anomaly-detection', 'autoencoder', 'machine-learning', 'torchsharp', 'libtorch', 'monitoring', 'metrics', 'Windows', 'Linux', 'MacOS', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/autoencoderps/AutoencoderPS'
            LicenseUri   = 'https://github.com/autoencoderps/AutoencoderPS/blob/main/LICENSE'
            ReleaseNotes = 'First release: train, score, save and load autoencoder anomaly detectors from the pipeline. The libtorch natives ship as one runtime module per platform (AutoencoderPS.Runtime.<rid>, same version), which AutoencoderPS finds on first use.'
        }
    }
}
