BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # 120,000 rows: long enough for the read to report progress (every 50,000 rows), small enough to train in a second.
    $script:csv = Join-Path $TestDrive 'long.csv'
    $text = [System.Text.StringBuilder]::new("cpu,mem`n")
    $random = [System.Random]::new(3)
    for ($i = 0; $i -lt 120000; $i++) {
        $load = $random.NextDouble()
        [void]$text.AppendFormat([cultureinfo]::InvariantCulture, "{0:F2},{1:F2}`n", 10 + 60 * $load, 40 + 10 * $load + $random.NextDouble())
    }
    [System.IO.File]::WriteAllText($script:csv, $text.ToString())
    $script:model = New-MetricRow -Count 200 | Select-Object cpu, mem |
        Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 2 -Seed 1) -Epochs 1 -ThreadCount 1 -PassThru

    function Get-ReadProgress {
        # The progress records of "Reading rows" that a command wrote, run in a runspace of its own (a nested pipeline
        # in this one keeps no progress records).
        param([scriptblock] $Command)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $env:AUTOENCODERPS_MODULE).AddStatement()
            $null = $ps.AddScript($Command.ToString()).AddArgument($script:csv).AddArgument($script:model).Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            # The cmdlet updates one record in place: the count says how often it was written, the record its last state.
            @($ps.Streams.Progress | Where-Object Activity -EQ 'Reading rows')
        }
        finally { $ps.Dispose() }
    }
}

Describe 'A long read of -Path files, before training or recalibration starts, reports its progress' {
    It '<Name> -Path writes "Reading rows" progress and completes it' -ForEach @(
        @{ Name = 'Invoke-AutoencoderTraining'; Command = { param($csv) Invoke-AutoencoderTraining -Model (New-Autoencoder -HiddenLayer 2 -Seed 1) -Path $csv -Epochs 1 -ThreadCount 1 | Out-Null } }
        @{ Name = 'Set-AutoencoderThreshold'; Command = { param($csv, $model) Set-AutoencoderThreshold -Model $model -Method Percentile -Value 99 -Path $csv -ThreadCount 1 } }
    ) {
        $records = Get-ReadProgress $Command
        # Two reports (50,000 and 100,000 rows) and the completion.
        $records | Should -HaveCount 3
        $records[-1].RecordType | Should -Be 'Completed'
        $records[-1].StatusDescription | Should -Match 'long\.csv: 100,000 rows'
    }
}
