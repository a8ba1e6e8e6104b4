# Excel's "sep=;" first line: Excel reads the file with that delimiter and not the line as data. Before, every reader
# here took 'sep=' and '' for the columns (FeatureColumnsMissing without a hint; training found nothing to train on).
# Now the line sets the delimiter when -Delimiter gave none, is a SepLineConflict error when it gave another, and is
# never data. The data is made here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $random = [System.Random]::new(7)
    $rows = foreach ($i in 0..199) {
        $base = @(20, 50, 80)[$i % 3]
        [string]::Format([cultureinfo]::InvariantCulture, '{0},{1:F2},{2:F2}', @('a', 'b', 'c')[$i % 3], $base + 3 * $random.NextDouble(), 2 * $base + 3 * $random.NextDouble())
    }
    $script:Comma = Join-Path $TestDrive 'comma.csv'
    [System.IO.File]::WriteAllText($script:Comma, "Site,CpuPct,ReqPerSec`n" + ($rows -join "`n") + "`n")
    # Excel's way: the line, CRLF, then the rows with ';'.
    $script:Sep = Join-Path $TestDrive 'sep.csv'
    [System.IO.File]::WriteAllText($script:Sep, "sep=;`r`nSite;CpuPct;ReqPerSec`r`n" + (($rows | Select-Object -First 30) -replace ',', ';' -join "`r`n") + "`r`n")
    $script:Model = New-Autoencoder -HiddenLayer 2 -Seed 1
    Invoke-AutoencoderTraining -Model $script:Model -Path $script:Comma -Epochs 5 -ThreadCount 1 | Out-Null
    $script:ModelPath = Join-Path $TestDrive 'sep.aemodel'
    Export-Autoencoder -Model $script:Model -Path $script:ModelPath
    $script:Expected = @(Test-Anomaly -Model $script:Model -Path $script:Comma | Select-Object -First 30 | ForEach-Object AnomalyScore)
}

Describe 'Excel sep= line' {
    It 'Test-Anomaly reads the file with its delimiter and not the line as a row, to the pipeline and to a file' {
        $rows = @(Test-Anomaly -Model $Model -Path $Sep -ErrorAction Stop)
        $rows | Should -HaveCount 30
        $rows.AnomalyScore | Should -Be $Expected
        $output = Join-Path $TestDrive 'sep-out.csv'
        Test-Anomaly -Model $Model -Path $Sep -OutputPath $output -ErrorAction Stop
        $scored = @(Import-Csv $output)
        $scored | Should -HaveCount 30
        $scored[0].Site | Should -Be 'a'
    }

    It 'training reads it' {
        $model = New-Autoencoder -HiddenLayer 2 -Seed 1
        Invoke-AutoencoderTraining -Model $model -Path $Sep -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
        $model.FeatureColumns.Name | Should -Be 'Site', 'CpuPct', 'ReqPerSec'
    }

    It 'a -Delimiter that is another one is SepLineConflict, which names the line and the -Delimiter to give' {
        $err = { Test-Anomaly -Model $Model -Path $Sep -Delimiter ',' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SepLineConflict,*'
        "$err" | Should -BeLike "*'sep=;'*-Delimiter ';'*"
    }

    It 'the job skips the line of its delimiter, and fails a file whose line names another' {
        $output = Join-Path $TestDrive 'job-semicolon.csv'
        $summary = Invoke-AnomalyScoring -ModelPath $ModelPath -Path $Sep -OutputPath $output -Delimiter ';' -ThreadCount 1 -ErrorAction Stop
        $summary.RowsScored | Should -Be 30
        $summary.RowsRejected | Should -Be 0
        $errs = $null
        $other = Invoke-AnomalyScoring -ModelPath $ModelPath -Path $Sep -OutputPath (Join-Path $TestDrive 'job-comma.csv') -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $other.ExitCode | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'SepLineConflict,*'
    }
}
