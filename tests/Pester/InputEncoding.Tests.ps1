# Input encodings: a Windows-1252 export (Excel's "CSV (Comma delimited)", Windows PowerShell 5.1's Export-Csv and
# Out-File) read without -Encoding. Read as UTF-8, 'Zürich' became 'Z\uFFFDrich', a site the model never saw: every
# Zürich row was an anomaly, an incident at one site that was none, and the scheduled job had no -Encoding to fix it.
# Now each reader rejects those rows (InputNotUtf8: row, column, bytes, -Encoding 1252), the job counts the file as
# failed, and Test-Anomaly, training, Invoke-AnomalyScoring and the task take -Encoding. The data is made here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Cp1252 = [System.Text.CodePagesEncodingProvider]::Instance.GetEncoding(1252)
    $script:Sites = 'Basel', 'Bern', 'Zürich'

    # Rows of three sites, each with its own load; Zürich is every third row.
    function New-SiteCsv([int] $Count, [int] $Seed, [int] $Start = 0) {
        $random = [System.Random]::new($Seed)
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add('Timestamp,Site,CpuPct,ReqPerSec')
        for ($i = 0; $i -lt $Count; $i++) {
            $s = $i % 3
            $base = @(20, 50, 80)[$s]
            $lines.Add([string]::Format([cultureinfo]::InvariantCulture, '{0:yyyy-MM-dd HH:mm:ss},{1},{2:F2},{3:F2}',
                    ([datetime]'2026-03-01').AddMinutes($Start + $i), $script:Sites[$s], $base + 3 * $random.NextDouble(), 2 * $base + 3 * $random.NextDouble()))
        }
        ($lines -join "`n") + "`n"
    }

    $script:Train = Join-Path $TestDrive 'train.csv'
    [System.IO.File]::WriteAllText($script:Train, (New-SiteCsv 600 1))
    $script:Model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
    Invoke-AutoencoderTraining -Model $script:Model -Path $script:Train -Epochs 20 -ThreadCount 1 -ThresholdMethod Percentile -ThresholdValue 99.9 | Out-Null
    $script:ModelPath = Join-Path $TestDrive 'sites.aemodel'
    Export-Autoencoder -Model $script:Model -Path $script:ModelPath

    # The same 30 rows, in UTF-8 and in Windows-1252: 10 of them Zürich.
    $text = New-SiteCsv 30 2 -Start 600
    $script:Utf8File = Join-Path $TestDrive 'sites-utf8.csv'
    [System.IO.File]::WriteAllText($script:Utf8File, $text)
    $script:AnsiFile = Join-Path $TestDrive 'sites-1252.csv'
    [System.IO.File]::WriteAllBytes($script:AnsiFile, $script:Cp1252.GetBytes($text))
}

Describe 'Input encoding: a Windows-1252 export read as UTF-8' {
    It 'Test-Anomaly -Path rejects its Zürich rows as InputNotUtf8 naming the row, column and bytes, and scores the others (<Mode>)' -ForEach @(
        @{ Mode = 'pipeline' }, @{ Mode = 'OutputPath' }
    ) {
        $expected = @(Test-Anomaly -Model $Model -Path $Utf8File)
        @($expected | Where-Object IsAnomaly) | Should -HaveCount 0
        $errs = $null
        $extra = if ($Mode -eq 'OutputPath') { @{ OutputPath = Join-Path $TestDrive "out-$Mode.csv" } } else { @{} }
        $rows = @(Test-Anomaly -Model $Model -Path $AnsiFile @extra -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 10
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputNotUtf8,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        "$($errs[0])" | Should -BeLike "*line 4*column 'Site'*0xFC*it is 'Zürich' in Windows-1252*-Encoding 1252*"
        $errs[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Encoding*'
        if ($Mode -eq 'OutputPath') {
            $scored = @(Import-Csv $extra.OutputPath)
            $scored | Should -HaveCount 20
            @($scored | Where-Object IsAnomaly -EQ 'True') | Should -HaveCount 0
        }
        else {
            $rows | Should -HaveCount 20
            @($rows | Where-Object IsAnomaly) | Should -HaveCount 0
        }
    }

    It '-Encoding <Given> (no encoding here) is one UnknownEncoding error that says what to give, from <Command>' -ForEach @(
        @{ Given = '12345'; Command = 'Test-Anomaly' }, @{ Given = 'nope'; Command = 'Test-Anomaly' }
        @{ Given = '12345'; Command = 'Invoke-AnomalyScoring' }, @{ Given = 'nope'; Command = 'Invoke-AnomalyScoring' }
    ) {
        # A code page number with no encoding was a bare System.NotSupportedException; a name, .NET's advice on
        # Encoding.RegisterProvider.
        $arguments = if ($Command -eq 'Test-Anomaly') { @{ Model = $Model; Path = $Utf8File } }
        else { @{ ModelPath = $ModelPath; Path = $Utf8File; OutputPath = (Join-Path $TestDrive "unknown-$Given.csv") } }
        $caught = $null
        try { $null = & $Command @arguments -Encoding $Given -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'UnknownEncoding,*'
        $caught.CategoryInfo.Category | Should -Be InvalidArgument
        $caught.TargetObject | Should -Be $Given
        "$caught" | Should -BeLike "*'$Given' is not an encoding this system knows*windows-1252*"
        "$caught" | Should -Not -BeLike '*RegisterProvider*'
    }

    It 'Test-Anomaly -Encoding 1252 reads it as the UTF-8 file is read' {
        $rows = @(Test-Anomaly -Model $Model -Path $AnsiFile -Encoding 1252 -ErrorAction Stop)
        $rows | Should -HaveCount 30
        @($rows | Where-Object IsAnomaly) | Should -HaveCount 0
        $rows[2].Site | Should -BeExactly 'Zürich'
    }

    It 'training stops at a header with bytes that are not UTF-8, and reads it with -Encoding 1252' {
        $path = Join-Path $TestDrive 'temperature.csv'
        [System.IO.File]::WriteAllBytes($path, $Cp1252.GetBytes("Zeit,Temperatur °C`n" + ((1..50 | ForEach-Object { "2026-03-01 00:$('{0:00}' -f ($_ % 60)),$(20 + $_ % 5)" }) -join "`n") + "`n"))
        $model = New-Autoencoder -HiddenLayer 2 -Seed 1
        $err = { Invoke-AutoencoderTraining -Model $model -Path $path -Epochs 1 -ThreadCount 1 -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InputNotUtf8,*'
        "$err" | Should -BeLike "*column 2 of the header*0xB0*'Temperatur °C'*-Encoding 1252*"
        Invoke-AutoencoderTraining -Model $model -Path $path -Encoding 1252 -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
        $model.FeatureColumns.Name | Should -Contain 'Temperatur °C'
    }

    It 'the job fails the file (exit code 2) with one error besides each row''s, and scores the others' {
        $output = Join-Path $TestDrive 'job-utf8.csv'
        $errs = $null
        $summary = Invoke-AnomalyScoring -ModelPath $ModelPath -Path $AnsiFile -OutputPath $output -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary.RowsScored | Should -Be 20
        $summary.RowsRejected | Should -Be 10
        $summary.Anomalies | Should -Be 0
        $summary.ExitCode | Should -Be 2
        $LASTEXITCODE | Should -Be 2
        @($errs | Where-Object FullyQualifiedErrorId -Like 'InputNotUtf8,*') | Should -HaveCount 11
        "$($errs[-1])" | Should -BeLike '*10 row(s)*from line 4 on*not UTF-8*-Encoding 1252*'
        @(Import-Csv $output | Where-Object Site -NE 'Zürich') | Should -HaveCount 20
    }

    It 'Invoke-AnomalyScoring -Encoding 1252 writes UTF-8 with the values read right, keeps it in the state, and says when a run changes it' {
        $growing = Join-Path $TestDrive 'growing-1252.csv'
        Copy-Item -LiteralPath $AnsiFile -Destination $growing
        $output = Join-Path $TestDrive 'job-1252.csv'
        $summary = Invoke-AnomalyScoring -ModelPath $ModelPath -Path $growing -OutputPath $output -Encoding 1252 -ThreadCount 1 -ErrorAction Stop
        $summary.RowsScored | Should -Be 30
        $summary.Anomalies | Should -Be 0
        $summary.ExitCode | Should -Be 0
        $bytes = [System.IO.File]::ReadAllBytes($output)
        [System.Text.Unicode.Utf8]::IsValid($bytes) | Should -BeTrue
        @(Import-Csv $output | Where-Object Site -EQ 'Zürich') | Should -HaveCount 10
        (Get-Content -Raw "$output.state.json" | ConvertFrom-Json).Output.InputEncoding | Should -Be 'windows-1252'

        # The same output read as UTF-8 next: one warning, and the new rows' Zürich rows are rejected.
        $more = (New-SiteCsv 6 3 -Start 700) -split "`n" | Select-Object -Skip 1
        [System.IO.File]::AppendAllText($growing, ($more -join "`n"), $Cp1252)
        $warned = $null
        $next = Invoke-AnomalyScoring -ModelPath $ModelPath -Path $growing -OutputPath $output -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        @($warned | Where-Object { "$_" -like '*read as utf-8 in this run and were read as windows-1252*' }) | Should -HaveCount 1
        $next.RowsRejected | Should -Be 2
        (Get-Content -Raw "$output.state.json" | ConvertFrom-Json).Output.InputEncoding | Should -Be 'utf-8'
    }

    It 'the scheduled script passes -Encoding on, and Register-AnomalyScoringTask refuses an encoding the job can''t read' {
        $output = Join-Path $TestDrive 'script-1252.csv'
        $script = Join-Path (Split-Path (Resolve-Path $env:AUTOENCODERPS_MODULE).ProviderPath -Parent) 'Invoke-ScheduledScoring.ps1'
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $null = & $pwsh -NoProfile -NonInteractive -File $script -ModelPath $ModelPath -Path $Utf8File -OutputPath $output -Encoding 1252 2>&1
        # The UTF-8 file read as Windows-1252: 'Zürich' is 'ZÃ¼rich', so the script did pass -Encoding on.
        $LASTEXITCODE | Should -BeIn 0, 1
        @(Import-Csv $output | Where-Object Site -EQ 'ZÃ¼rich') | Should -HaveCount 10

        { Register-AnomalyScoringTask -Name aeps-encoding -ModelPath $ModelPath -Path $AnsiFile -OutputPath $output -Encoding unicode -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'IncrementalEncodingUnsupported*'
        { Register-AnomalyScoringTask -Name aeps-encoding -ModelPath $ModelPath -Path $AnsiFile -OutputPath $output -Encoding no-such-encoding -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownEncoding*'
    }
}
