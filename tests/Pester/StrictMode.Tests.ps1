BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # A row model and a sliding-window model: their outputs carry different members (AnomalyStatus, WindowSize), and
    # a view that reads a member one of them lacks fails under strict mode.
    $script:rows = @(Get-AutoencoderSampleData -Days 1 -Seed 1 | Select-Object -First 300)
    $script:rowModel = $rows | Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 4, 2 -Seed 1) -Epochs 2 -ThreadCount 1 -PassThru
    $script:windowModel = $rows | Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -WindowSize 3 -TimeProperty Timestamp) `
        -Epochs 2 -ThreadCount 1 -PassThru

    function Format-StrictText {
        # The object's default table and list views, with errors of the views' script blocks shown as #ERR.
        param([object[]] $InputObject)
        Set-StrictMode -Version Latest
        ($InputObject | Format-Table -DisplayError | Out-String -Width 400) + ($InputObject | Format-List -DisplayError | Out-String -Width 400)
    }
}

Describe 'The module''s views under Set-StrictMode -Version Latest' {
    It 'show <Name> without an error in any column' -ForEach @(
        @{ Name = 'a row model''s scored rows'; Get = { Get-AutoencoderSampleData -Days 1 -Seed 2 | Select-Object -First 3 | Test-Anomaly -Model $rowModel } }
        @{ Name = 'a sliding-window model''s scored rows'; Get = { Get-AutoencoderSampleData -Days 1 -Seed 2 | Select-Object -First 5 | Test-Anomaly -Model $windowModel 3>$null } }
        @{ Name = 'a row model''s features'; Get = { Get-AutoencoderFeature -Model $rowModel } }
        @{ Name = 'a sliding-window model''s features'; Get = { Get-AutoencoderFeature -Model $windowModel } }
        @{ Name = 'a row model'; Get = { $rowModel } }
        @{ Name = 'a sliding-window model'; Get = { $windowModel } }
        @{ Name = 'an untrained model'; Get = { New-Autoencoder } }
        @{ Name = 'a scored row''s contributions'; Get = { (Get-AutoencoderSampleData -Days 1 -Seed 2 | Select-Object -First 1 | Test-Anomaly -Model $rowModel).AnomalyContributions } }
        @{ Name = 'a training result'; Get = { $rows | Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 4, 2 -Seed 1) -Epochs 1 -ThreadCount 1 } }
        @{ Name = 'a sliding-window model''s training result'; Get = { $rows | Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -WindowSize 3 -TimeProperty Timestamp) -Epochs 2 -ThreadCount 1 } }
        @{ Name = 'training epochs'; Get = { ($rows | Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 4, 2 -Seed 1) -Epochs 2 -ThreadCount 1).EpochResults } }
        @{ Name = 'detection metrics'; Get = { Get-AutoencoderSampleData -Days 1 -Seed 2 | Select-Object -First 50 | Test-Anomaly -Model $rowModel |
                    Measure-AnomalyDetection -LabelProperty Incident -AnomalyLabel 'cpu-spike' } }
        @{ Name = 'log windows'; Get = { $rows | Select-Object -First 30 | ConvertTo-LogWindow -TimeProperty Timestamp -Interval 00:10:00 } }
    ) {
        $objects = @(& $Get)
        $objects | Should -Not -BeNullOrEmpty
        $text = Format-StrictText $objects
        $text | Should -Not -Match '#ERR'
    }

    It 'a row model''s scored row shows its score in the table' {
        $row = Get-AutoencoderSampleData -Days 1 -Seed 2 | Select-Object -First 1 | Test-Anomaly -Model $rowModel
        Set-StrictMode -Version Latest
        $row | Format-Table | Out-String -Width 400 | Should -Match ([regex]::Escape(('{0:G6}' -f $row.AnomalyScore)))
    }
}
