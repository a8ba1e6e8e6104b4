BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $global:AepsFeatureModel = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
    Get-AutoencoderSampleData -Days 1 -Seed 3 |
        Invoke-AutoencoderTraining -Model $global:AepsFeatureModel -Epochs 2 -ThreadCount 1 | Out-Null
    $script:model = $global:AepsFeatureModel

    # Completion results for a command line, the cursor at its end.
    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

AfterAll {
    Remove-Variable -Name AepsFeatureModel -Scope Global -ErrorAction SilentlyContinue
}

Describe 'Get-AutoencoderFeature' {
    It 'lists every feature column with its role and training statistics' {
        $features = @(Get-AutoencoderFeature -Model $model)
        $features.Name | Should -Be @('CpuPct', 'MemoryPct', 'DiskIops', 'NetworkMbps', 'ErrorCount')
        $features[0] | Should -BeOfType ([AutoencoderPS.Engine.Features.FeatureColumn])
        $features[0].Role | Should -Be 'Numeric'
        $features[0].Statistics.Count | Should -Be 1440
        $features[0].Median | Should -BeGreaterThan $features[0].Statistics.Min
    }

    It 'takes the model from the pipeline and filters by name with wildcards, ignoring case' {
        @($model | Get-AutoencoderFeature -Name '*pct').Name | Should -Be @('CpuPct', 'MemoryPct')
        @(Get-AutoencoderFeature $model networkmbps).Name | Should -Be 'NetworkMbps'
    }

    It 'names a feature the model does not have in a FeatureNotFound error' {
        $result = @(Get-AutoencoderFeature -Model $model -Name 'Nope', 'CpuPct' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $result.Name | Should -Be 'CpuPct'
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FeatureNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].Exception.Message | Should -Match "'Nope'"
    }

    It 'says an untrained model has no features yet' {
        Get-AutoencoderFeature -Model (New-Autoencoder) -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotTrained,*'
    }

    It 'prints as a table of name, role and statistics' {
        $text = Get-AutoencoderFeature -Model $model | Out-String -Width 200
        $text | Should -Match 'Name\s+Role\s+Inputs\s+Missing\s+Median'
        $text | Should -Match 'CpuPct\s+Numeric'
    }
}

Describe 'Tab completion' {
    It 'completes feature names from the model bound to -Model' {
        Get-Completion 'Get-AutoencoderFeature -Model $global:AepsFeatureModel -Name Me' | Should -Be 'MemoryPct'
        @(Get-Completion 'Get-AutoencoderFeature -Model $global:AepsFeatureModel -Name ').Count | Should -Be 5
    }

    It 'completes enum-valued parameters with their values' {
        Get-Completion 'Invoke-AutoencoderTraining -Loss M' | Should -Be @('Mae', 'Mse')
        Get-Completion 'New-Autoencoder -Activation L' | Should -Be 'LeakyRelu'
        Get-Completion 'Set-AutoencoderThreshold -Method C' | Should -Be 'Contamination'
    }

    It 'completes -Encoding names' {
        Get-Completion 'Test-Anomaly -Path x.csv -Encoding lat' | Should -Be 'latin1'
    }
}
