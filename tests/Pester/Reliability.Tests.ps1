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

Describe 'Issue 15: Invoke-AnomalyScoring with a corrupt model (item 8)' {
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

Describe 'Issue 15: the scheduled script''s log (items 6 and 7)' {
    BeforeAll {
        $script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $script:JobScript = Join-Path (Split-Path (Resolve-Path -LiteralPath $env:AUTOENCODERPS_MODULE).ProviderPath -Parent) 'Invoke-ScheduledScoring.ps1'
        # Runs the job as cron does: standard output and error appended to one log file.
        function Invoke-Job {
            param([string[]] $Arguments, [string] $Log)
            $start = [System.Diagnostics.ProcessStartInfo]::new($script:Pwsh)
            foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $script:JobScript) + $Arguments) { $start.ArgumentList.Add($a) }
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $start.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($start)
            $out = $process.StandardOutput.ReadToEndAsync()
            $err = $process.StandardError.ReadToEndAsync()
            $process.WaitForExit()
            [System.IO.File]::AppendAllText($Log, $out.Result + $err.Result)
            $process.ExitCode
        }
    }

    It 'is plain text with one time-stamped header line per run, and the job reads a ;-separated de-DE export' {
        $de = [cultureinfo]::GetCultureInfo('de-DE')
        $export = Join-Path $TestDrive 'de.csv'
        $lines = @('Host;cpu;mem;disk') + @(New-MetricRow -Count 30 -Seed 9 | ForEach-Object {
                '{0};{1};{2};{3}' -f $_.Host, $_.cpu.ToString($de), $_.mem.ToString($de), $_.disk.ToString($de) })
        Set-Content -LiteralPath $export -Value $lines -Encoding utf8NoBOM
        $log = Join-Path $TestDrive 'job.log'
        $out = Join-Path $TestDrive 'de-scored.csv'

        $first = Invoke-Job -Arguments @('-ModelPath', $script:Model, '-Path', $export, '-OutputPath', $out, '-Culture', 'de-DE', '-Delimiter', ';') -Log $log
        $first | Should -BeIn 0, 1
        # A second run that fails (a missing model) writes its error to the same log.
        $second = Invoke-Job -Arguments @('-ModelPath', (Join-Path $TestDrive 'nope.aemodel'), '-Path', $export, '-OutputPath', $out) -Log $log
        $second | Should -Be 2

        $text = [System.IO.File]::ReadAllText($log)
        $text | Should -Not -Match "`e" -Because 'a log file holds no ANSI escape codes'
        $headers = @([regex]::Matches($text, '(?m)^==== \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ scheduled scoring run'))
        $headers | Should -HaveCount 2
        $text | Should -Match 'ModelFileNotFound|does not exist'
        @(Import-Csv -LiteralPath $out -Delimiter ';').Count | Should -Be 30
    }
}

Describe 'Issue 15: a new user''s mistakes (items 9 and 18)' {
    It 'Test-Anomaly refuses an -OutputPath that is one of its inputs, and the input stays as it was (item 9)' {
        $copy = Join-Path $TestDrive 'source.csv'
        Copy-Item -LiteralPath $script:Csv -Destination $copy
        $before = [System.IO.File]::ReadAllBytes($copy)
        { Test-Anomaly -Model $script:ModelObject -Path $copy -OutputPath $copy -ErrorAction Stop } |
            Should -Throw -ErrorId 'OutputPathIsInput*'
        [System.IO.File]::ReadAllBytes($copy) | Should -Be $before
    }

    It 'Test-Anomaly refuses an -OutputPath that is a link to an input (item 9)' -Skip:($IsWindows) {
        $copy = Join-Path $TestDrive 'linked-source.csv'
        Copy-Item -LiteralPath $script:Csv -Destination $copy
        $link = Join-Path $TestDrive 'link.csv'
        New-Item -ItemType SymbolicLink -Path $link -Target $copy | Out-Null
        { Test-Anomaly -Model $script:ModelObject -Path $copy -OutputPath $link -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathIsInput*'
    }

    It 'Invoke-AutoencoderTraining -Path on a file that does not exist says so, once (item 18)' {
        $missing = Join-Path $TestDrive 'nope.csv'
        $model = New-Autoencoder -HiddenLayer 2 -Seed 1
        $errs = $null; $thrown = $null
        try { Invoke-AutoencoderTraining -Model $model -Path $missing -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        $errs[0].Exception.Message | Should -BeLike '*nope.csv*does not exist*'
        $errs[0].Exception.Message | Should -Not -BeLike '*No training rows were received*'
        $model.IsTrained | Should -BeFalse
    }
}

Describe 'Issue 15: a file read with the wrong culture or delimiter (items 16 and 17)' {
    BeforeAll {
        # A German export: ';' between fields, decimal commas.
        function New-GermanExport {
            param([string] $Path, [int] $Count)
            $de = [cultureinfo]::GetCultureInfo('de-DE')
            $lines = @('Host;cpu;mem;disk') + @(New-MetricRow -Count $Count -Seed 9 | ForEach-Object {
                    '{0};{1};{2};{3}' -f $_.Host, $_.cpu.ToString('0.00', $de), $_.mem.ToString('0.00', $de), $_.disk.ToString('0.00', $de) })
            Set-Content -LiteralPath $Path -Value $lines -Encoding utf8NoBOM
        }
    }

    It 'stops after 100 failed rows in a row with one error naming the cause and the first bad row, and keeps the previous output (item 16)' {
        $export = Join-Path $TestDrive 'german-many.csv'
        New-GermanExport -Path $export -Count 400
        $out = Join-Path $TestDrive 'previous.csv'
        Set-Content -LiteralPath $out -Value 'previous results'
        $errors = $null
        $thrown = $null
        try { Test-Anomaly -Model $script:ModelObject -Path $export -Delimiter ';' -OutputPath $out -ErrorVariable errors -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'TooManyRowFailures*'
        $thrown.Exception.Message | Should -Match '-Culture'
        $thrown.Exception.Message | Should -Match 'line 2'
        @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidFeatureValue*' }).Count | Should -Be 100
        Get-Content -LiteralPath $out -Raw | Should -Match 'previous results'
    }

    It 'writes the good rows read before a run of 100 failed rows stops the call, to the pipeline, piped or from a file' {
        # They waited in the scoring batch (256 rows), and the stop lost them: 768 of 864 good rows came out (operator trial).
        $export = Join-Path $TestDrive 'bad-tail.csv'
        $inv = [cultureinfo]::InvariantCulture
        $lines = @('Host,cpu,mem,disk') + @(New-MetricRow -Count 300 -Seed 12 | ForEach-Object -Begin { $i = 0 } -Process {
                $cpu = if (++$i -gt 170) { 'n/a%' } else { $_.cpu.ToString($inv) }
                '{0},{1},{2},{3}' -f $_.Host, $cpu, $_.mem.ToString($inv), $_.disk.ToString($inv) })
        Set-Content -LiteralPath $export -Value $lines -Encoding utf8NoBOM
        foreach ($piped in $false, $true) {
            $thrown = $null
            $out = [System.Collections.Generic.List[object]]::new()
            try {
                if ($piped) { Import-Csv -LiteralPath $export | Test-Anomaly -Model $script:ModelObject -ErrorAction SilentlyContinue | ForEach-Object { $out.Add($_) } }
                else { Test-Anomaly -Model $script:ModelObject -Path $export -ErrorAction SilentlyContinue | ForEach-Object { $out.Add($_) } }
            }
            catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'TooManyRowFailures*'
            $out.Count | Should -Be 170 -Because "piped: $piped"
        }
    }

    It 'counts failed rows in a row, not in all: bad rows here and there in a file scored to a file do not stop it' {
        # Every third row has a value that is not a number: 100 failed rows, never two in a row. The file path reports
        # only its failed rows, so the rows between them must still reset the count (they once did not: it stopped).
        $export = Join-Path $TestDrive 'sparse-bad.csv'
        $lines = @('Host,cpu,mem,disk') + @(New-MetricRow -Count 300 -Seed 11 | ForEach-Object -Begin { $i = 0 } -Process {
                $cpu = if (++$i % 3 -eq 0) { 'x7' } else { $_.cpu.ToString([cultureinfo]::InvariantCulture) }
                '{0},{1},{2},{3}' -f $_.Host, $cpu, $_.mem.ToString([cultureinfo]::InvariantCulture), $_.disk.ToString([cultureinfo]::InvariantCulture) })
        Set-Content -LiteralPath $export -Value $lines -Encoding utf8NoBOM
        foreach ($throttle in 1, 2) {
            $out = Join-Path $TestDrive "sparse-bad-$throttle.csv"
            $errors = $null
            Test-Anomaly -Model $script:ModelObject -Path $export -OutputPath $out -ThrottleLimit $throttle -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'TooManyRowFailures*' }) | Should -HaveCount 0
            @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidFeatureValue*' }) | Should -HaveCount 100
            @(Import-Csv -LiteralPath $out) | Should -HaveCount 200
        }
    }

    It 'leaves a previous output in place when every one of a few rows fails (item 16)' {
        $export = Join-Path $TestDrive 'german-few.csv'
        New-GermanExport -Path $export -Count 5
        $out = Join-Path $TestDrive 'previous-few.csv'
        Set-Content -LiteralPath $out -Value 'previous results'
        Test-Anomaly -Model $script:ModelObject -Path $export -Delimiter ';' -OutputPath $out -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'NoRowsScored*' }) | Should -HaveCount 1
        Get-Content -LiteralPath $out -Raw | Should -Match 'previous results'
    }

    It 'leaves a previous output in place when no input file can be read (a mistyped -Path, an empty file)' {
        $out = Join-Path $TestDrive 'previous-none.csv'
        $empty = Join-Path $TestDrive 'empty-export.csv'
        Set-Content -LiteralPath $empty -Value $null -NoNewline
        foreach ($path in (Join-Path $TestDrive 'no-such-export.csv'), $empty) {
            Set-Content -LiteralPath $out -Value 'previous results'
            $errors = $null
            Test-Anomaly -Model $script:ModelObject -Path $path -OutputPath $out -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'NoRowsScored*' }) | Should -HaveCount 1
            "$(@($errors | Where-Object { $_.FullyQualifiedErrorId -like 'NoRowsScored*' })[0])" | Should -Match 'None of the input files could be scored'
            Get-Content -LiteralPath $out -Raw | Should -Match 'previous results'
        }
    }

    It 'lists the columns found and suggests -Delimiter when a ;-file is read with commas (item 17)' {
        $export = Join-Path $TestDrive 'german-columns.csv'
        New-GermanExport -Path $export -Count 5
        $thrown = $null
        try { Test-Anomaly -Model $script:ModelObject -Path $export -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'FeatureColumnsMissing*'
        $thrown.Exception.Message | Should -BeLike "*'Host;cpu;mem;disk'*"
        $thrown.Exception.Message | Should -BeLike "*-Delimiter ';'*"
    }
}

Describe 'Issue 15: the model''s display shows real members only (item 20)' {
    It 'every item of the model''s list view is a property: <_>' -ForEach @(
        $format = [xml](Get-Content -LiteralPath (Join-Path (Split-Path $env:AUTOENCODERPS_MODULE -Parent) 'AutoencoderPS.Format.ps1xml') -Raw)
        $view = $format.Configuration.ViewDefinitions.View | Where-Object Name -EQ 'AutoencoderModel'
        @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object { if ($_.Label) { $_.Label } else { $_.PropertyName } })
    ) {
        $script:ModelObject.PSObject.Properties[$_] | Should -Not -BeNullOrEmpty -Because "Format-List $_ must print what the view shows"
    }

    It 'Format-List IgnoredColumns, Seed and Activation print their values' {
        $text = $script:ModelObject | Format-List IgnoredColumns, Seed, Activation | Out-String
        $text | Should -Match 'Seed\s*:\s*1'
        $text | Should -Match 'Activation\s*:\s*\w+'
    }
}

Describe 'Issue 15: the scored-row table tells scores near the threshold apart (item 21)' {
    It 'shows the score to six significant digits, as the model shows its threshold' {
        $rows = @(New-MetricRow -Count 3 -Seed 9 | Test-Anomaly -Model $script:ModelObject)
        # Around a threshold of 0.0235: PowerShell's own table of the numbers shows 0.02 for all three.
        $rows[0].AnomalyScore = 0.0234996
        $rows[1].AnomalyScore = 0.0235004
        $rows[2].AnomalyScore = 1.23456789E-05
        $lines = @(($rows | Format-Table | Out-String -Width 250) -split '\r?\n' | Where-Object { $_ -match '^(True|False)\s' })
        $lines | Should -HaveCount 3
        $scores = @($lines | ForEach-Object { ($_ -split '\s+')[1] })
        $culture = [cultureinfo]::CurrentCulture
        $scores | Should -Be @((0.0234996).ToString('G6', $culture), (0.0235004).ToString('G6', $culture), (1.23456789E-05).ToString('G6', $culture))
        @($scores | Select-Object -Unique) | Should -HaveCount 3
    }
}

Describe 'Issue 15: documented output matches what is printed (item 21)' {
    It 'Get-AutoencoderSampleData Example 2 lists the incidents in the order the cmdlet gives them' {
        $help = Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../module/help/Get-AutoencoderSampleData.md') -Raw
        $block = [regex]::Match($help, '(?s)### Example 2:.*?```output\r?\n(.*?)```').Groups[1].Value
        $documented = @($block -split '\r?\n' | Select-Object -Skip 2 | Where-Object { $_.Trim() } | ForEach-Object { ($_ -split '\s+')[0] })
        $documented | Should -Be @(Get-AutoencoderSampleData -Days 7 -Incident | ForEach-Object Name)
    }
}

Describe 'Issue 15: tab completion of task names (item 19)' {
    It 'Unregister- and Get-AnomalyScoringTask -Name complete the registered task names, not file names' -Skip:($IsWindows) {
        # A stand-in crontab program on PATH that lists one task of the module: no cron needed.
        $bin = Join-Path $TestDrive 'fake-cron'
        New-Item -ItemType Directory -Path $bin | Out-Null
        $table = Join-Path $bin 'table'
        $line = '*/15 * * * * /usr/bin/pwsh -NoProfile -NonInteractive -File /m/Invoke-ScheduledScoring.ps1 -ModelPath /a.aemodel -Path /a.csv -OutputPath /o.csv >> /a.log 2>&1'
        [System.IO.File]::WriteAllText($table, "# AutoencoderPS task: score-web (managed by Register-AnomalyScoringTask; do not edit)`n$line`n")
        $program = Join-Path $bin 'crontab'
        [System.IO.File]::WriteAllText($program, "#!/bin/sh`nif [ `"`$1`" = `"-l`" ]; then cat '$table'; exit 0; fi`nexit 1`n")
        [System.IO.File]::SetUnixFileMode($program, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        New-Item -ItemType File -Path (Join-Path $TestDrive 'score-file.txt') | Out-Null
        $path = $env:PATH
        Push-Location $TestDrive
        try {
            $env:PATH = $bin + [System.IO.Path]::PathSeparator + $path
            foreach ($command in 'Unregister-AnomalyScoringTask', 'Get-AnomalyScoringTask') {
                $text = "$command -Name sc"
                $result = TabExpansion2 -inputScript $text -cursorColumn $text.Length
                @($result.CompletionMatches.CompletionText) | Should -Be @('score-web') -Because "$command -Name completes task names"
            }
        }
        finally {
            $env:PATH = $path
            Pop-Location
        }
    }
}

Describe 'Tab completion of -Culture' {
    It 'completes culture names on every cmdlet that reads numbers in a culture' {
        foreach ($command in 'Test-Anomaly', 'Invoke-AutoencoderTraining', 'ConvertTo-LogWindow', 'Invoke-AnomalyScoring') {
            $text = "$command -Culture de-D"
            $result = @((TabExpansion2 -inputScript $text -cursorColumn $text.Length).CompletionMatches.CompletionText)
            $result | Should -Contain 'de-DE' -Because "$command -Culture completes culture names"
            $result | Where-Object { $_ -notlike 'de-D*' } | Should -BeNullOrEmpty
        }
    }
}

Describe 'Input paths a user may get wrong (fourth review)' {
    It 'reports a path on a drive that does not exist as that path''s error, and scores the other files' {
        $errors = $null
        $rows = @(Test-Anomaly -Model $script:ModelObject -Path $script:Csv, 'nosuchdrive:/missing.csv' -ErrorVariable errors -ErrorAction SilentlyContinue)
        $rows | Should -HaveCount 120
        $missing = @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'InputFileNotFound*' })
        $missing | Should -HaveCount 1
        $missing[0].TargetObject | Should -Be 'nosuchdrive:/missing.csv'
    }

    It 'reads a file named twice once, with a warning' {
        $warnings = $null
        $rows = @(Test-Anomaly -Model $script:ModelObject -Path $script:Csv, (Join-Path (Split-Path $script:Csv) 'metric?.csv') -WarningVariable warnings -WarningAction SilentlyContinue)
        $rows | Should -HaveCount 120
        @($warnings | Where-Object { "$_" -match 'named more than once' }) | Should -HaveCount 1
    }

    It 'warns that switches of the output file do nothing without -OutputPath' {
        $warnings = $null
        $rows = @(Test-Anomaly -Model $script:ModelObject -Path $script:Csv -NeutralizeFormulas -ThrottleLimit 2 -WarningVariable warnings -WarningAction SilentlyContinue)
        $rows | Should -HaveCount 120
        @($warnings | Where-Object { "$_" -match '-NeutralizeFormulas, -ThrottleLimit apply only with -OutputPath' }) | Should -HaveCount 1
        $warnings = $null
        $null = Test-Anomaly -Model $script:ModelObject -Path $script:Csv -PassThru:$false -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | Where-Object { "$_" -match 'only with -OutputPath' }) | Should -HaveCount 0
    }

    It 'reads piped hashtables by their keys in every cmdlet that reads rows' {
        # Keys as columns, as Export-Csv reads a hashtable in PowerShell 7 (its own properties are Keys, Count, IsReadOnly...).
        $rows = @(New-MetricRow -Count 60 -Seed 9 | ForEach-Object { @{ Host = $_.Host; cpu = $_.cpu; mem = $_.mem; disk = $_.disk } })
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        $rows | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 -ErrorAction Stop | Out-Null
        @($model.Features | Sort-Object) -join ',' | Should -Be 'cpu,disk,Host,mem'

        $scored = @($rows | Test-Anomaly -Model $model -ErrorAction Stop)
        $scored | Should -HaveCount 60
        $scored[0].pstypenames[0] | Should -Be 'AutoencoderPS.ScoredRow'
        $scored[0].cpu | Should -Be $rows[0].cpu
        $scored[0].AnomalyScore | Should -BeOfType [double]
        $scored[0].AnomalyTopFeature | Should -BeIn @('cpu', 'mem', 'disk', 'Host')
        ($scored[0] | Format-Table | Out-String) | Should -Match 'IsAnomaly'

        $rows | Set-AutoencoderThreshold -Model $model -Method Percentile -ErrorAction Stop
        $labelled = $scored | ForEach-Object { @{ AnomalyScore = $_.AnomalyScore; IsAnomaly = $_.IsAnomaly; Incident = 'no' } }
        (@($labelled) | Measure-AnomalyDetection -LabelProperty Incident -AnomalyLabel yes -WarningAction SilentlyContinue -ErrorAction Stop).Count | Should -Be 60
        $windows = @(1..3 | ForEach-Object { @{ Time = [datetime]'2026-01-05' + [timespan]::FromMinutes($_); Level = 'Error' } } |
            ConvertTo-LogWindow -TimeProperty Time -Interval 00:05:00 -CountBy Level -ErrorAction Stop)
        $windows[0].'Level=Error' | Should -Be 3
    }

    # Files piped from Get-ChildItem are read as files now: Test-Anomaly.Tests.ps1 and Invoke-AutoencoderTraining.Tests.ps1
    # ('Files piped from Get-ChildItem ...').

    It 'refuses an -OutputPath on a drive that does not exist before reading anything' {
        { Test-Anomaly -Model $script:ModelObject -Path $script:Csv -OutputPath 'nosuchdrive:/scored.csv' } |
            Should -Throw -ErrorId 'OutputPathNotFileSystem,AutoencoderPS.Commands.TestAnomalyCommand'
    }
}

Describe 'A misspelled property parameter is one error, not one per row (fifth review)' {
    BeforeAll {
        # Runs the command: its terminating error, and how many errors -ErrorVariable holds (that one error, which it records too).
        function Invoke-Typo {
            param([scriptblock] $Run)
            $thrown = $null
            try { & $Run } catch { $thrown = $_ }
            [pscustomobject]@{ Thrown = $thrown; ErrorCount = @($rowErrors).Count; Warnings = @($warnings) }
        }
        $script:Logs = 1..500 | ForEach-Object { [pscustomobject]@{ Time = [datetime]'2026-01-01' + [timespan]::FromSeconds($_); Level = 'Info' } }
        $script:Scored = @(New-MetricRow -Count 200 -Seed 3 | ForEach-Object -Begin { $i = 0 } -Process {
                $_ | Add-Member -NotePropertyName Incident -NotePropertyValue 'no' -PassThru |
                    Add-Member -NotePropertyName Time -NotePropertyValue ([datetime]'2026-01-01').AddMinutes($i++) -PassThru
            } | Test-Anomaly -Model $script:ModelObject)
    }

    It 'ConvertTo-LogWindow -TimeProperty typo: one InputPropertyNotFound error naming the property and the row''s properties' {
        $result = Invoke-Typo {
            $script:Logs | ConvertTo-LogWindow -TimeProperty Tme -Interval 00:05:00 -CountBy Level -ErrorVariable script:rowErrors -ErrorAction SilentlyContinue `
                -WarningVariable script:warnings -WarningAction SilentlyContinue
        }
        $result.Thrown.FullyQualifiedErrorId | Should -BeLike 'InputPropertyNotFound,*'
        $result.Thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $result.Thrown.TargetObject | Should -Be 'Tme'
        $result.Thrown.Exception.Message | Should -Match "-TimeProperty 'Tme': rows 1 and 2 have no property 'Tme'\. Row 2's properties are: Time, Level\."
        # Row 1's own error, then the one that stops: not one per row.
        $result.ErrorCount | Should -Be 2
        $result.Warnings | Should -BeNullOrEmpty -Because 'the records do have Level'
    }

    It 'ConvertTo-LogWindow: a first record without the time property (a banner line) is its own row error when the second has it' {
        # It stopped the call with InputPropertyNotFound (review); the same record last was one row error.
        $logs = @([pscustomobject]@{ Level = 'Info'; Message = 'logger started' }) + @($script:Logs[0..49])
        $windows = @($logs | ConvertTo-LogWindow -TimeProperty Time -Interval 00:05:00 -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $windows | Should -Not -BeNullOrEmpty
        $rowErrors | Should -HaveCount 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLogTimestamp,*'
    }

    It 'ConvertTo-LogWindow: a later record without the time property stays its own row error' {
        $logs = @($script:Logs[0..2]) + [pscustomobject]@{ Level = 'Info' } + @($script:Logs[3..4])
        $windows = @($logs | ConvertTo-LogWindow -TimeProperty Time -Interval 00:05:00 -ErrorVariable rowErrors -ErrorAction SilentlyContinue)
        $windows | Should -Not -BeNullOrEmpty
        $rowErrors | Should -HaveCount 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLogTimestamp,*'
    }

    It 'Measure-AnomalyDetection -LabelProperty typo: one error' {
        $result = Invoke-Typo {
            $script:Scored | Measure-AnomalyDetection -LabelProperty Incidnt -AnomalyLabel yes -ErrorVariable script:rowErrors -ErrorAction SilentlyContinue
        }
        $result.Thrown.FullyQualifiedErrorId | Should -BeLike 'InputPropertyNotFound,*'
        $result.Thrown.TargetObject | Should -Be 'Incidnt'
        $result.Thrown.Exception.Message | Should -Match "-LabelProperty 'Incidnt'.*Incident"
        $result.ErrorCount | Should -BeLessOrEqual 2
    }

    It 'Export-AnomalyReport -TimeProperty typo: one error, no file' {
        $path = Join-Path $TestDrive 'typo.html'
        $result = Invoke-Typo {
            $script:Scored | Export-AnomalyReport -Model $script:ModelObject -Path $path -TimeProperty Tim -ErrorVariable script:rowErrors -ErrorAction SilentlyContinue
        }
        $result.Thrown.FullyQualifiedErrorId | Should -BeLike 'InputPropertyNotFound,*'
        $result.Thrown.Exception.Message | Should -Match "-TimeProperty 'Tim'.*\bTime\b"
        $result.ErrorCount | Should -BeLessOrEqual 2
        Test-Path -LiteralPath $path | Should -BeFalse
    }
}
