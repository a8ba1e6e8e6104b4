# Issue 15 (a hostile review and a new user's first run): cmdlet-level regression tests. Generated data only.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Csv = Join-Path $TestDrive 'metrics.csv'
    New-MetricRow -Count 120 -Seed 5 -AsText | Export-Csv -LiteralPath $script:Csv -NoTypeInformation
    $script:ModelObject = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
    Invoke-AutoencoderTraining -Model $script:ModelObject -Path $script:Csv -Epochs 3 -ThreadCount 1 | Out-Null
    $script:Model = Join-Path $TestDrive 'model.aemodel'
    Export-Autoencoder -Model $script:ModelObject -Path $script:Model
}

Describe 'Invoke-AnomalyScoring with a corrupt model (item 8)' {
    It 'fails with exit code 2 and leaves no lock file behind' {
        $bad = Join-Path $TestDrive 'corrupt.aemodel'
        [System.IO.File]::WriteAllBytes($bad, [byte[]](1..200))
        $out = Join-Path $TestDrive 'corrupt-out.csv'
        { Invoke-AnomalyScoring -ModelPath $bad -Path $script:Csv -OutputPath $out -ErrorAction Stop } | Should -Throw
        $LASTEXITCODE | Should -Be 2
        Test-Path -LiteralPath "$out.state.json.lock" | Should -BeFalse
        Test-Path -LiteralPath "$out.state.json" | Should -BeFalse
    }
}
