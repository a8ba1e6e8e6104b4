BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:module = Get-Module AutoencoderPS
    $script:expectedCmdlets = @(
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
    )
}

Describe 'The AutoencoderPS module' {
    It 'is imported from the staged manifest' {
        $module | Should -Not -BeNullOrEmpty
        $module.Name | Should -Be 'AutoencoderPS'
        $module.Path | Should -Not -BeNullOrEmpty
        (Split-Path $module.Path -Parent) | Should -Be (Split-Path (Resolve-Path $env:AUTOENCODERPS_MODULE).ProviderPath -Parent)
    }

    It 'exports exactly the expected cmdlets' {
        $exported = @(Get-Command -Module AutoencoderPS | ForEach-Object Name)
        $exported | Sort-Object | Should -Be ($expectedCmdlets | Sort-Object)
        @(Get-Command -Module AutoencoderPS | Where-Object CommandType -ne 'Cmdlet') | Should -HaveCount 0
    }

    It 'exports no functions, aliases or variables' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It '<Name> declares its output type' -ForEach @(
        @{ Name = 'New-Autoencoder' }
        @{ Name = 'Invoke-AutoencoderTraining' }
        @{ Name = 'Test-Anomaly' }
        @{ Name = 'Export-Autoencoder' }
        @{ Name = 'Import-Autoencoder' }
        @{ Name = 'Measure-AnomalyDetection' }
        @{ Name = 'Get-AutoencoderSampleData' }
        @{ Name = 'Set-AutoencoderThreshold' }
        @{ Name = 'Get-AutoencoderFeature' }
        @{ Name = 'ConvertTo-LogWindow' }
        @{ Name = 'Invoke-AnomalyScoring' }
        @{ Name = 'Register-AnomalyScoringTask' }
        @{ Name = 'Get-AnomalyScoringTask' }
        @{ Name = 'Export-AnomalyReport' }
    ) {
        @((Get-Command $Name).OutputType) | Should -Not -BeNullOrEmpty
    }

    It 'has a stamped version, not the 0.0.0 placeholder' {
        $module.Version | Should -Not -Be ([version]'0.0.0')
        $module.Version | Should -BeGreaterThan ([version]'0.0.0')
        (Test-ModuleManifest $env:AUTOENCODERPS_MODULE).Version | Should -Be $module.Version
    }

    It 'loads the model formatting (format data for the engine types)' {
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Modeling.AutoencoderModel' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Modeling.DetectionMetrics' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Scoring.Incremental.AnomalyScoringSummary' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Scheduling.AnomalyScoringTask' | Should -Not -BeNullOrEmpty
    }
}
