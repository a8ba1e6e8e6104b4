# Invoke-AnomalyScoring and the scheduled script Invoke-ScheduledScoring.ps1: incremental runs over growing and new
# files, rotated files, bad rows, JSON Lines, exit codes through `pwsh -File` and `pwsh -Command`, a second run
# refused while another holds the lock (two real processes), and runs killed at several moments (Stop-Process
# -Force on a child pwsh) after which the next run leaves every input row in the output exactly once.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $script:Manifest = (Resolve-Path -LiteralPath $env:AUTOENCODERPS_MODULE).ProviderPath
    $script:ScheduledScript = Join-Path (Split-Path $script:Manifest -Parent) 'Invoke-ScheduledScoring.ps1'
    $script:Invariant = [cultureinfo]::InvariantCulture

    # One model on Host, cpu, mem and disk, saved three times: as trained, with a threshold no row reaches
    # (a run finds nothing: exit code 0) and with a threshold of 0 (every row is an anomaly: exit code 1).
    $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
    New-MetricRow -Count 300 -AsText | Invoke-AutoencoderTraining -Model $model -Epochs 3 -ThreadCount 1 | Out-Null
    $script:ModelPath = Join-Path $TestDrive 'host.aemodel'
    Export-Autoencoder -Model $model -Path $script:ModelPath
    Set-AutoencoderThreshold -Model $model -Method Manual -Value 1e12
    $script:CalmModel = Join-Path $TestDrive 'calm.aemodel'
    Export-Autoencoder -Model $model -Path $script:CalmModel
    Set-AutoencoderThreshold -Model $model -Method Manual -Value 0
    $script:AlarmedModel = Join-Path $TestDrive 'alarmed.aemodel'
    Export-Autoencoder -Model $model -Path $script:AlarmedModel

    # Rows with a unique Id (ids FirstId .. FirstId + Count - 1), as the export of a metrics agent.
    function Write-MetricCsv {
        param([string] $Path, [int] $FirstId, [int] $Count, [switch] $Append, [string] $Tail = '')
        $random = [System.Random]::new($FirstId)
        $text = [System.Text.StringBuilder]::new()
        if (-not $Append) { [void]$text.Append("Id,Host,cpu,mem,disk`n") }
        for ($i = $FirstId; $i -lt $FirstId + $Count; $i++) {
            $load = $random.NextDouble()
            [void]$text.AppendFormat($script:Invariant, "{0},web{1:00},{2:F3},{3:F3},{4:F3}`n", $i, ($i % 3 + 1),
                (10 + 60 * $load + 3 * $random.NextDouble()), (40 + 10 * $load + 2 * $random.NextDouble()), (100 + 300 * $load + 20 * $random.NextDouble()))
        }
        [void]$text.Append($Tail)
        $folder = Split-Path $Path -Parent
        if (-not (Test-Path $folder)) { New-Item -ItemType Directory -Path $folder | Out-Null }
        if ($Append) { [System.IO.File]::AppendAllText($Path, $text.ToString()) } else { [System.IO.File]::WriteAllText($Path, $text.ToString()) }
    }

    # The Id of every output row, read fast (the first field; the test data never quotes it).
    function Get-OutputId {
        param([string] $Path)
        $ids = [System.Collections.Generic.List[long]]::new()
        $first = $true
        foreach ($line in [System.IO.File]::ReadLines($Path)) {
            if ($first) { $first = $false; continue }
            $ids.Add([long]$line.Substring(0, $line.IndexOf(',')))
        }
        , $ids
    }

    # Every id from 1 to $Last exactly once: as many rows as ids, no duplicate, none outside the range.
    function Assert-EveryIdOnce {
        param([string] $Path, [int] $Last)
        $ids = Get-OutputId $Path
        $distinct = [System.Collections.Generic.HashSet[long]]::new()
        $duplicates = 0
        foreach ($id in $ids) { if (-not $distinct.Add($id)) { $duplicates++ } }
        $duplicates | Should -Be 0 -Because 'no row may be scored twice'
        $distinct.Count | Should -Be $Last -Because 'no row may be skipped'
        ($ids | Measure-Object -Minimum -Maximum | ForEach-Object { "$($_.Minimum)-$($_.Maximum)" }) | Should -Be "1-$Last"
    }

    # The state a run killed before its first commit leaves: the committed one (its text), plus the mark the run
    # committed before it wrote (Output.WritingFrom, the committed length), which lets the next run cut what it wrote.
    function Get-KilledRunState {
        param([string] $Committed)
        $length = ($Committed | ConvertFrom-Json).Output.Length
        $Committed -replace '"WritingFrom": null', "`"WritingFrom`": $length"
    }

    function Get-CommittedRows {
        param([string] $StatePath)
        try { [long](Get-Content -LiteralPath $StatePath -Raw -ErrorAction Stop | ConvertFrom-Json).Output.RowsScored }
        catch { 0 }
    }

    function New-ChildStart {
        param([string[]] $Arguments)
        $start = [System.Diagnostics.ProcessStartInfo]::new($script:Pwsh)
        foreach ($a in @('-NoProfile', '-NonInteractive') + $Arguments) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start
    }

    # A child pwsh running to its end: exit code, standard output and standard error.
    function Invoke-Child {
        param([string[]] $Arguments)
        $process = [System.Diagnostics.Process]::Start((New-ChildStart $Arguments))
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
    }

    # A child pwsh left running; its output is drained so it never blocks on a full pipe.
    function Start-Child {
        param([string[]] $Arguments)
        $process = [System.Diagnostics.Process]::Start((New-ChildStart $Arguments))
        $null = $process.StandardOutput.ReadToEndAsync()
        $null = $process.StandardError.ReadToEndAsync()
        $process
    }

    # A window model (3 rows per Host, in order of Timestamp) of two hosts' minutes from -Start, cpu and mem, trained and
    # saved in -Folder: the model and its file's path.
    function New-TwoHostWindowModel {
        param([datetime] $Start, [string] $Folder)
        $model = New-Autoencoder -HiddenLayer 4, 2 -WindowSize 3 -TimeProperty Timestamp -GroupBy Host -Seed 1
        0..299 | ForEach-Object { [pscustomobject]@{ Timestamp = $Start.AddMinutes($_); Host = "web0$($_ % 2 + 1)"; cpu = 10 + ($_ % 7); mem = 40 + ($_ % 5) } } |
            Invoke-AutoencoderTraining -Model $model -Epochs 3 -ThreadCount 1 | Out-Null
        $path = Join-Path $Folder 'windowed.aemodel'
        Export-Autoencoder -Model $model -Path $path
        $model, $path
    }

    # One test's job: its export's path (in a folder of its own), its output's, and the parameters of the job.
    function New-JobFolder {
        param([string] $Name, [string] $File = 'metrics.csv')
        $folder = Join-Path $TestDrive $Name
        $export = Join-Path $folder $File
        $output = Join-Path $folder 'scored.csv'
        $export, $output, @{ ModelPath = $script:ModelPath; Path = $export; OutputPath = $output; ThreadCount = 1 }
    }

    function Get-ScriptArgument {
        param([string] $Model, [string] $InputPath, [string] $Output, [string] $Format = 'Csv')
        @('-File', $script:ScheduledScript, '-ModelPath', $Model, '-Path', $InputPath, '-OutputPath', $Output, '-Format', $Format)
    }

    function Get-CommandArgument {
        param([string] $Model, [string] $InputPath, [string] $Output)
        $q = { param($s) "'" + $s.Replace("'", "''") + "'" }
        @('-Command', ("Import-Module $(& $q $script:Manifest); Invoke-AnomalyScoring -ModelPath $(& $q $Model) -Path $(& $q $InputPath) " +
                "-OutputPath $(& $q $Output) -ThreadCount 1 | Out-Null; exit `$LASTEXITCODE"))
    }

    function Wait-Until {
        param([scriptblock] $Condition, [double] $TimeoutSeconds = 120)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($clock.Elapsed.TotalSeconds -gt $TimeoutSeconds) { throw "Timed out after $TimeoutSeconds s waiting for: $Condition" }
            Start-Sleep -Milliseconds 10
        }
    }
}

Describe 'Invoke-AnomalyScoring' {
    Context 'in this session' {
        It 'scores only the rows appended since the last run, and a partial last line once it is complete' {
            $export, $output, $job = New-JobFolder 'growing'
            Write-MetricCsv -Path $export -FirstId 1 -Count 50

            $first = Invoke-AnomalyScoring @job
            $first.RowsScored | Should -Be 50
            $first.Files | Should -Be 1
            $global:LASTEXITCODE | Should -Be $first.ExitCode
            $first.ExitCode | Should -Be ($first.Anomalies -gt 0 ? 1 : 0)

            # 20 whole rows, and the first half of row 71: a writer that has not finished its line.
            Write-MetricCsv -Path $export -FirstId 51 -Count 20 -Append -Tail '71,web03,12.5'
            (Invoke-AnomalyScoring @job).RowsScored | Should -Be 20
            Assert-EveryIdOnce $output 70

            [System.IO.File]::AppendAllText($export, ",45.5,180.25`n")
            (Invoke-AnomalyScoring @job).RowsScored | Should -Be 1
            Assert-EveryIdOnce $output 71
            $last = Import-Csv $output | Select-Object -Last 1
            $last.Id | Should -Be '71'
            $last.disk | Should -Be '180.25'
            $last.SourceLine | Should -Be '72'
            $last.SourceFile | Should -Be (Resolve-Path $export).ProviderPath
            $last.AnomalyScore -as [double] | Should -BeGreaterThan 0

            $idle = Invoke-AnomalyScoring @job
            $idle.RowsScored | Should -Be 0
            $idle.ExitCode | Should -Be 0
            $global:LASTEXITCODE | Should -Be 0
        }

        It 'scores the last row of a finished export without a final line break, as Test-Anomaly -Path does, once the file is quiet' {
            $export, $output, $job = New-JobFolder 'no-final-break'
            Write-MetricCsv -Path $export -FirstId 1 -Count 30
            $text = [System.IO.File]::ReadAllText($export)
            [System.IO.File]::WriteAllText($export, $text.TrimEnd("`r", "`n"))

            (Invoke-AnomalyScoring @job -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String) |
                Should -Match 'no line break yet'
            Assert-EveryIdOnce $output 29
            # Ten minutes without a write: the writer is done.
            (Get-Item $export).LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(-11)
            (Invoke-AnomalyScoring @job).RowsScored | Should -Be 1
            Assert-EveryIdOnce $output 30
            $whole = @(Test-Anomaly -Path $export -Model (Import-Autoencoder -Path $script:ModelPath))
            $scored = @(Import-Csv $output)
            $scored[-1].Id | Should -Be $whole[-1].Id
            [math]::Abs([double]::Parse($scored[-1].AnomalyScore, [cultureinfo]::InvariantCulture) - $whole[-1].AnomalyScore) | Should -BeLessThan 1e-9
            $scored[-1].SourceLine | Should -Be '31'
        }

        It 'picks up new files that a wildcard matches and reads each file once' {
            $folder = Join-Path $TestDrive 'wildcard'
            $output = Join-Path $folder 'out/scored.csv'
            New-Item -ItemType Directory -Path (Split-Path $output) -Force | Out-Null
            $job = @{ ModelPath = $script:ModelPath; Path = (Join-Path $folder '*.csv'); OutputPath = $output; ThreadCount = 1 }
            Write-MetricCsv -Path (Join-Path $folder 'day1.csv') -FirstId 1 -Count 30
            (Invoke-AnomalyScoring @job).RowsScored | Should -Be 30

            Write-MetricCsv -Path (Join-Path $folder 'day2.csv') -FirstId 31 -Count 12
            $second = Invoke-AnomalyScoring @job
            $second.Files | Should -Be 2
            $second.RowsScored | Should -Be 12
            Assert-EveryIdOnce $output 42
            @(Import-Csv $output | Where-Object SourceFile -Like '*day2.csv') | Should -HaveCount 12
        }

        It 'takes the files piped from Get-ChildItem (their PSPath binds to -LiteralPath) in one run, with one summary' {
            $folder = Join-Path $TestDrive 'piped'
            $output = Join-Path $folder 'out/scored.csv'
            New-Item -ItemType Directory -Path (Split-Path $output) -Force | Out-Null
            Write-MetricCsv -Path (Join-Path $folder 'day1.csv') -FirstId 1 -Count 30
            Write-MetricCsv -Path (Join-Path $folder 'day2.csv') -FirstId 31 -Count 12

            $summary = @(Get-ChildItem -LiteralPath $folder -Filter *.csv |
                    Invoke-AnomalyScoring -ModelPath $script:ModelPath -OutputPath $output -ThreadCount 1)
            $summary | Should -HaveCount 1
            $summary[0].Files | Should -Be 2
            $summary[0].RowsScored | Should -Be 42
            Assert-EveryIdOnce $output 42

            # No file piped (a folder of no exports yet) is a failed run, as a -Path that matches nothing is, not a quiet 0.
            $errs = $null
            $none = @(Get-ChildItem -LiteralPath $folder -Filter *.none |
                    Invoke-AnomalyScoring -ModelPath $script:ModelPath -OutputPath (Join-Path $folder 'out/none.csv') -ThreadCount 1 `
                        -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
            "$($errs[0])" | Should -BeLike '*No file was piped*'
            $none[0].ExitCode | Should -Be 2
            $global:LASTEXITCODE | Should -Be 2
        }

        It 'scores a rotated file again from its start, with a warning' {
            $export, $output, $job = New-JobFolder 'rotated' -File 'app.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 40
            Invoke-AnomalyScoring @job | Out-Null

            # The agent starts a new file under the same name: other first bytes, and longer than before.
            Write-MetricCsv -Path $export -FirstId 41 -Count 60
            $summary = Invoke-AnomalyScoring @job -WarningVariable warnings -WarningAction SilentlyContinue

            $summary.RowsScored | Should -Be 60
            ($warnings -join "`n") | Should -Match 'rotated or replaced'
            Assert-EveryIdOnce $output 100
        }

        It 'reports a row it cannot read with file, line, column and value, skips it, and does not report it again' {
            $export, $output, $job = New-JobFolder 'badrow'
            Write-MetricCsv -Path $export -FirstId 1 -Count 3
            [System.IO.File]::AppendAllText($export, "4,web01,lots,45,200`n")
            Write-MetricCsv -Path $export -FirstId 5 -Count 3 -Append

            $summary = Invoke-AnomalyScoring @job -ErrorVariable rowErrors -ErrorAction SilentlyContinue

            $summary.RowsScored | Should -Be 6
            $summary.RowsRejected | Should -Be 1
            $summary.FilesFailed | Should -Be 0
            $rowErrors | Should -HaveCount 1
            $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
            $rowErrors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $rowErrors[0].TargetObject.Id | Should -Be '4'
            $message = $rowErrors[0].ErrorDetails.Message
            $message | Should -BeLike "*metrics.csv', line 5:*"
            $message | Should -Match "'cpu'"
            $message | Should -Match "'lots'"
            (Get-OutputId $output) | Should -Not -Contain 4

            $again = Invoke-AnomalyScoring @job -ErrorVariable moreErrors
            $moreErrors | Should -HaveCount 0
            $again.RowsRejected | Should -Be 0
        }

        It 'under -ErrorAction Stop, a bad row or a -Path that matches nothing stops the command after the run, which scored and committed the rest; the next run goes on' {
            # Before, the first error stopped the job from inside, before its batch was committed: the bad row was read
            # again, and stopped the job again, on every run, so nothing after it was ever scored (and the error said
            # "skipped and not tried again"). A -Path that matched nothing stopped the run before any file was read.
            $export, $output, $job = New-JobFolder 'stop'
            Write-MetricCsv -Path $export -FirstId 1 -Count 3
            [System.IO.File]::AppendAllText($export, "4,web01,lots,45,200`n")
            Write-MetricCsv -Path $export -FirstId 5 -Count 3 -Append

            $caught = $null
            try { Invoke-AnomalyScoring @job -ErrorAction Stop | Out-Null }
            catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
            # (A bad row does not fail the run: the exit code is the rows', as without -ErrorAction Stop.)
            $global:LASTEXITCODE | Should -BeIn 0, 1
            (Get-OutputId $output) | Should -Be @(1, 2, 3, 5, 6, 7)

            # The bad row was committed as skipped: the next run scores only the new rows, and fails only for a host
            # folder that is still empty (given before the export, which is scored all the same).
            Write-MetricCsv -Path $export -FirstId 8 -Count 2 -Append
            $job.Path = @((Join-Path (Split-Path $export) 'empty-host-folder/*.csv'), $export)
            $caught = $null
            try { Invoke-AnomalyScoring @job -ErrorAction Stop | Out-Null }
            catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
            $global:LASTEXITCODE | Should -BeIn 2, 4
            (Get-OutputId $output) | Should -Be @(1, 2, 3, 5, 6, 7, 8, 9)

            # The preference variable does the same.
            $job.Path = $export
            Write-MetricCsv -Path $export -FirstId 10 -Count 1 -Append
            $ErrorActionPreference = 'Stop'
            $summary = Invoke-AnomalyScoring @job
            $ErrorActionPreference = 'Continue'
            $summary.RowsScored | Should -Be 1
            $global:LASTEXITCODE | Should -BeIn 0, 1
        }

        It 'writes JSON Lines: one object per row with every column, typed scores and where the row came from' {
            $folder = Join-Path $TestDrive 'jsonl'
            $export = Join-Path $folder 'metrics.csv'
            $output = Join-Path $folder 'scored.jsonl'
            $job = @{ ModelPath = $script:ModelPath; Path = $export; OutputPath = $output; Format = 'JsonLines'; ThreadCount = 1 }
            Write-MetricCsv -Path $export -FirstId 1 -Count 5
            Invoke-AnomalyScoring @job | Out-Null
            Write-MetricCsv -Path $export -FirstId 6 -Count 4 -Append
            Invoke-AnomalyScoring @job | Out-Null

            $rows = @(Get-Content $output | ForEach-Object { $_ | ConvertFrom-Json })
            $rows | Should -HaveCount 9
            $rows.Id | Should -Be (1..9 | ForEach-Object { "$_" })
            $rows[8].SourceLine | Should -Be 10
            $rows[8].AnomalyScore | Should -BeOfType [double]
            $rows[8].IsAnomaly | Should -BeOfType [bool]
            $rows[8].AnomalyTopFeature | Should -BeIn 'Host', 'cpu', 'mem', 'disk'
            $rows[8].Host | Should -Match '^web0\d$'

            # An output keeps its format.
            { Invoke-AnomalyScoring @job -Format Csv -ErrorAction Stop } | Should -Throw -ErrorId 'ScoringStateMismatch,*'
        }

        It 'explains only the anomalies in CSV and JSON Lines, AnomalyTopFeature on every row; -ExplainAll every row' {
            $folder = Join-Path $TestDrive 'explained'
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 40
            # Three rows whose cpu is far above anything in training: anomalies among normal rows.
            [System.IO.File]::AppendAllText($export, "41,web01,900,45,200`n42,web02,950,46,210`n43,web03,990,47,220`n")
            Write-MetricCsv -Path $export -FirstId 44 -Count 7 -Append
            $run = @{ ModelPath = $script:ModelPath; Path = $export; ThreadCount = 1 }
            Invoke-AnomalyScoring @run -OutputPath (Join-Path $folder 'few.csv') | Out-Null
            Invoke-AnomalyScoring @run -OutputPath (Join-Path $folder 'all.csv') -ExplainAll | Out-Null
            Invoke-AnomalyScoring @run -OutputPath (Join-Path $folder 'few.jsonl') -Format JsonLines | Out-Null
            Invoke-AnomalyScoring @run -OutputPath (Join-Path $folder 'all.jsonl') -Format JsonLines -ExplainAll | Out-Null
            $few = @(Import-Csv (Join-Path $folder 'few.csv'))
            $all = @(Import-Csv (Join-Path $folder 'all.csv'))
            $fewJson = @(Get-Content (Join-Path $folder 'few.jsonl') | ForEach-Object { $_ | ConvertFrom-Json })
            $allJson = @(Get-Content (Join-Path $folder 'all.jsonl') | ForEach-Object { $_ | ConvertFrom-Json })

            # The piped rows of the same file, which are always explained.
            $piped = @(Import-Csv $export | Test-Anomaly -Model (Import-Autoencoder -Path $script:ModelPath) -ThreadCount 1)
            $piped | Should -HaveCount 50
            @($piped[40..42] | Where-Object IsAnomaly) | Should -HaveCount 3
            @($piped | Where-Object IsAnomaly).Count | Should -BeLessThan 50
            $wanted = @($piped | ForEach-Object { $_.IsAnomaly ? $_.AnomalyExplanation : '' })
            $few.AnomalyTopFeature | Should -Be $piped.AnomalyTopFeature
            $few.AnomalyExplanation | Should -Be $wanted
            $all.AnomalyTopFeature | Should -Be $piped.AnomalyTopFeature
            $all.AnomalyExplanation | Should -Be $piped.AnomalyExplanation
            $fewJson.AnomalyTopFeature | Should -Be $piped.AnomalyTopFeature
            # JSON: null where a row is not explained, as on a row warming up.
            @($fewJson | ForEach-Object { $_.IsAnomaly ? $_.AnomalyExplanation : ($null -eq $_.AnomalyExplanation ? '' : 'not null') }) | Should -Be $wanted
            $allJson.AnomalyExplanation | Should -Be $piped.AnomalyExplanation
        }

        It 'returns a summary with its own view, and -WhatIf writes nothing' {
            $folder = Join-Path $TestDrive 'whatif'
            $export = Join-Path $folder 'metrics.csv'
            $output = Join-Path $folder 'scored.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 5

            Invoke-AnomalyScoring -ModelPath (Join-Path $folder 'missing.aemodel') -Path $export -OutputPath $output -WhatIf
            Test-Path $output | Should -BeFalse
            Test-Path "$output.state.json" | Should -BeFalse

            $summary = Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export -OutputPath $output -ThreadCount 1
            $summary | Should -BeOfType ([AutoencoderPS.Engine.Scoring.Incremental.AnomalyScoringSummary])
            $summary.OutputPath | Should -Be $output
            $summary.StatePath | Should -Be "$output.state.json"
            $summary.Duration | Should -BeOfType [timespan]
            $text = $summary | Out-String
            $text | Should -Match 'RowsScored\s*:\s*5'
            $text | Should -Match 'ExitCode\s*:\s*[01] \('
            $text | Should -Not -Match 'Alerts'

            # A time-series model's run: its alerts and rows warming up, and an exit code that speaks of alerts (30
            # anomalies of a stretch paged in the run before: nothing new to act on).
            $series = [AutoencoderPS.Engine.Scoring.Incremental.AnomalyScoringSummary]@{ CountsAlerts = $true; RowsScored = 30; Anomalies = 30; Alerts = 0; RowsWarmingUp = 3 }
            $text = $series | Out-String
            $text | Should -Match 'RowsWarmingUp\s*:\s*3'
            $text | Should -Match 'Alerts\s*:\s*0'
            $text | Should -Match 'ExitCode\s*:\s*0 \(no new alert\)'
        }

        It 'names the output as the target of an error about the output, and the state for one about the state' {
            $folder = Join-Path $TestDrive 'targets'
            $export = Join-Path $folder 'metrics.csv'
            $state = Join-Path $folder 'job.state.json'
            Write-MetricCsv -Path $export -FirstId 1 -Count 5
            $output = Join-Path $folder 'no/such/folder/scored.csv'

            $caught = $null
            try { Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export -OutputPath $output -StatePath $state -ThreadCount 1 } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringOutputWriteFailed,*'
            $caught.TargetObject | Should -Be $output

            # The state of another output (the failed run above left none).
            $null = Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export -OutputPath (Join-Path $folder 'first.csv') -StatePath $state -ThreadCount 1
            $caught = $null
            try { Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export -OutputPath (Join-Path $folder 'other.csv') -StatePath $state -ThreadCount 1 } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringStateMismatch,*'
            $caught.TargetObject | Should -Be $state
        }

        It 'a state copy older than its output, restored as ScoringStateCorrupt advises: refused (ScoringStateOutdated, target the state), the output kept whole; the latest copy goes on' {
            $folder = Join-Path $TestDrive 'restore-old-state'
            $export = Join-Path $folder 'metrics.csv'
            $output = Join-Path $folder 'scored.csv'
            $state = "$output.state.json"
            $job = @{ ModelPath = $script:AlarmedModel; Path = $export; OutputPath = $output; ThreadCount = 1 }
            Write-MetricCsv -Path $export -FirstId 1 -Count 20
            $null = Invoke-AnomalyScoring @job
            Copy-Item -LiteralPath $state -Destination "$state.day1"
            Write-MetricCsv -Path $export -FirstId 21 -Count 20 -Append
            (Invoke-AnomalyScoring @job).Anomalies | Should -Be 20
            Write-MetricCsv -Path $export -FirstId 41 -Count 20 -Append
            $null = Invoke-AnomalyScoring @job
            Copy-Item -LiteralPath $state -Destination "$state.day3"
            $committed = [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($output)))

            Set-Content -LiteralPath $state -Value 'garbage'
            { Invoke-AnomalyScoring @job -ErrorAction Stop } | Should -Throw -ErrorId 'ScoringStateCorrupt,*'
            Copy-Item -LiteralPath "$state.day1" -Destination $state -Force
            $caught = $null; $warnings = $null
            try { Invoke-AnomalyScoring @job -WarningVariable warnings -WarningAction SilentlyContinue } catch { $caught = $_ }
            $LASTEXITCODE | Should -Be 2
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringStateOutdated,*'
            $caught.CategoryInfo.Category | Should -Be 'InvalidData'
            $caught.TargetObject | Should -Be $state
            $caught.Exception.Message | Should -BeLike '*older than its output*Restore the state that goes with the output*move the output away*'
            @($warnings) | Should -HaveCount 0 -Because 'nothing was cut'
            [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($output))) | Should -Be $committed

            Copy-Item -LiteralPath "$state.day3" -Destination $state -Force
            Write-MetricCsv -Path $export -FirstId 61 -Count 5 -Append
            (Invoke-AnomalyScoring @job).RowsScored | Should -Be 5
            Assert-EveryIdOnce -Path $output -Last 65
        }

        It 'a job folder moved (model, exports, output, state) goes on where it stopped at its new paths, with a warning naming both; a state of another output is still refused' {
            $from = Join-Path $TestDrive 'move-from'
            $to = Join-Path $TestDrive 'move-to'
            Write-MetricCsv -Path (Join-Path $from 'exports/metrics.csv') -FirstId 1 -Count 20
            Copy-Item -LiteralPath $script:ModelPath -Destination (Join-Path $from 'host.aemodel')
            $jobAt = { param($folder) @{ ModelPath = (Join-Path $folder 'host.aemodel'); Path = (Join-Path $folder 'exports/*.csv')
                OutputPath = (Join-Path $folder 'scored.csv'); StatePath = (Join-Path $folder 'job.state.json'); ThreadCount = 1 } }
            $a = & $jobAt $from
            (Invoke-AnomalyScoring @a).RowsScored | Should -Be 20

            # To another share or machine: the old folder is not there.
            Move-Item -LiteralPath $from -Destination $to
            $b = & $jobAt $to
            Write-MetricCsv -Path (Join-Path $to 'exports/metrics.csv') -FirstId 21 -Count 10 -Append
            $warnings = $null
            $summary = Invoke-AnomalyScoring @b -WarningVariable warnings -WarningAction SilentlyContinue
            $LASTEXITCODE | Should -BeIn 0, 1
            $summary.RowsScored | Should -Be 10
            $moved = @($warnings | Where-Object { "$_" -like '*moved*' })
            $moved | Should -HaveCount 1
            "$($moved[0])" | Should -BeLike "*'$($a.OutputPath)'*'$($b.OutputPath)'*"
            Assert-EveryIdOnce -Path $b.OutputPath -Last 30
            (Get-Content -LiteralPath $b.StatePath -Raw | ConvertFrom-Json).Output.Path | Should -Be $b.OutputPath

            # Another output with this state: refused, saying what moving a job takes.
            $caught = $null
            try { Invoke-AnomalyScoring @b -OutputPath (Join-Path $to 'other.jsonl') -Format JsonLines } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringStateMismatch,*'
            $caught.Exception.Message | Should -BeLike '*move the output and its state together*'
        }

        It 'a -StatePath folder that does not exist: one ScoringStateWriteFailed error naming it, before any lock or output' {
            $folder = Join-Path $TestDrive 'missing-state'
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 5
            $output = Join-Path $folder 'scored.csv'
            $state = Join-Path $folder 'no-such/job.state.json'
            $errs = $null; $caught = $null
            try { Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export -OutputPath $output -StatePath $state -ThreadCount 1 -ErrorVariable errs } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringStateWriteFailed,*'
            $caught.TargetObject | Should -Be $state
            $caught.Exception.Message | Should -BeLike "*the folder '$(Split-Path $state)' does not exist. Create it, or give another -StatePath.*"
            $caught.Exception.Message | Should -Not -BeLike '*lock*'
            $output | Should -Not -Exist
        }

        It 'an output folder that does not exist: one ScoringOutputWriteFailed error naming it, exit code 2, no state or lock left; the next run is a first run (<Case>)' -ForEach @(
            @{ Case = 'the default state beside the output'; StateIn = $null }
            @{ Case = 'a -StatePath in a folder that exists'; StateIn = 'state' }
        ) {
            $folder = Join-Path $TestDrive "missing-output-$($StateIn ?? 'default')"
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 5
            $output = Join-Path $folder 'out/scored.csv'
            $run = @{ ModelPath = $script:ModelPath; Path = $export; ThreadCount = 1 }
            if ($StateIn) {
                New-Item -ItemType Directory -Path (Join-Path $folder $StateIn) | Out-Null
                $run.StatePath = Join-Path $folder "$StateIn/job.state.json"
            }
            $state = $run.StatePath ?? "$output.state.json"

            $errs = $null; $caught = $null
            try { Invoke-AnomalyScoring @run -OutputPath $output -ErrorVariable errs } catch { $caught = $_ }
            $LASTEXITCODE | Should -Be 2
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringOutputWriteFailed,*'
            $caught.TargetObject | Should -Be $output
            $caught.ToString() | Should -BeLike "*'$output'*the folder '$(Split-Path $output -Parent)' does not exist. Create it, or give another -OutputPath.*"
            @($errs) | Should -HaveCount 1
            Test-Path -LiteralPath $state | Should -BeFalse -Because 'a run that wrote nothing leaves no state that names its output'
            Test-Path -LiteralPath "$state.lock" | Should -BeFalse

            # The operator gives another output with the same state: a first run, not ScoringStateMismatch.
            $other = Join-Path $folder 'scored-here.csv'
            $summary = Invoke-AnomalyScoring @run -OutputPath $other -StatePath ($run.StatePath ?? "$other.state.json")
            $LASTEXITCODE | Should -BeIn 0, 1
            $summary.RowsScored | Should -Be 5
            Assert-EveryIdOnce -Path $other -Last 5

            # Or creates the folder: a first run too, which writes what the other output holds.
            New-Item -ItemType Directory -Path (Split-Path $output -Parent) | Out-Null
            if ($run.StatePath) { Remove-Item -LiteralPath $run.StatePath }
            $summary = Invoke-AnomalyScoring @run -OutputPath $output
            $summary.RowsScored | Should -Be 5
            Get-Content -LiteralPath $output -Raw | Should -BeExactly (Get-Content -LiteralPath $other -Raw)
        }

        It 'scores a sliding-window model across runs, a killed one included, exactly as Test-Anomaly scores the whole file' {
            $folder = Join-Path $TestDrive 'windowed'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $windowed = New-Autoencoder -HiddenLayer 4, 2 -WindowSize 3 -TimeProperty Timestamp -Seed 1
            $start = [datetime]'2026-01-01'
            $row = { param($i, $spike) '{0:yyyy-MM-dd HH:mm:ss},{1:F3},{2:F3}' -f $start.AddMinutes($i), (10 + ($i % 7) + $spike), (40 + ($i % 5)) }
            0..299 | ForEach-Object { [pscustomobject]@{ Timestamp = $start.AddMinutes($_); cpu = 10 + ($_ % 7); mem = 40 + ($_ % 5) } } |
                Invoke-AutoencoderTraining -Model $windowed -Epochs 3 -ThreadCount 1 | Out-Null
            $modelPath = Join-Path $folder 'windowed.aemodel'
            Export-Autoencoder -Model $windowed -Path $modelPath
            # 420 rows a day later; a burst at rows 380-383, after the calibration's 288 learning rows.
            $lines = 0..419 | ForEach-Object { & $row (1440 + $_) ($_ -ge 380 -and $_ -lt 384 ? 40 : 0) }
            $whole = Join-Path $folder 'whole.csv'
            Set-Content -Path $whole -Value (@('Timestamp,cpu,mem') + $lines)
            $reference = Join-Path $folder 'reference.csv'
            Test-Anomaly -Model $windowed -Path $whole -OutputPath $reference -ThreadCount 1

            $export = Join-Path $folder 'metrics.csv'
            $output = Join-Path $folder 'scored.csv'
            $state = "$output.state.json"
            Set-Content -Path $export -Value (@('Timestamp,cpu,mem') + $lines[0..149])
            Invoke-AnomalyScoring -ModelPath $modelPath -Path $export -OutputPath $output -ThreadCount 1 | Out-Null
            $committed = Get-Content -LiteralPath $state -Raw
            Add-Content -Path $export -Value $lines[150..329]
            Invoke-AnomalyScoring -ModelPath $modelPath -Path $export -OutputPath $output -ThreadCount 1 | Out-Null
            # As if that run had been killed after writing its results and before committing its state: the state it left
            # is the one before it, with the mark it committed before its first byte (a run writing from that length).
            [System.IO.File]::WriteAllText($state, (Get-KilledRunState $committed))
            Add-Content -Path $export -Value $lines[330..419]
            $summary = Invoke-AnomalyScoring -ModelPath $modelPath -Path $export -OutputPath $output -ThreadCount 1 -WarningVariable cut 3>$null

            $cut | Should -Match 'interrupted run'
            $summary.Alerts | Should -BeGreaterThan 0
            $global:LASTEXITCODE | Should -Be 1
            $expected = Import-Csv -LiteralPath $reference
            $actual = Import-Csv -LiteralPath $output
            $actual.Count | Should -Be 420
            $columns = 'AnomalyScore', 'IsAnomaly', 'AnomalyProbability', 'IsAlert', 'AnomalyStatus'
            for ($i = 0; $i -lt 420; $i++) {
                foreach ($column in $columns) {
                    $actual[$i].$column | Should -Be $expected[$i].$column -Because "row $($i + 1), $column"
                }
            }
            ($expected | Where-Object IsAlert -eq 'True').Count | Should -BeGreaterThan 0
            $actual[0].AnomalyStatus | Should -Be 'WarmingUp'
        }

        It 'takes a newest-first or shuffled file of a sliding-window model in time order per host, as Test-Anomaly -Path does; a second run adds nothing, newer rows appended later are scored, older ones are refused' {
            # A newest-first export (Splunk's default) lost all but one row for good: each row was older than the one
            # scored before it (RowsOutOfOrder, exit code 2), and the next run read nothing new. A shuffled one lost 98%.
            $folder = Join-Path $TestDrive 'newest-first'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $start = [datetime]'2026-01-01'
            $windowed, $modelPath = New-TwoHostWindowModel -Start $start -Folder $folder
            # Two hosts a minute apart each, from a day later; a burst of web01 at minutes 380-383.
            $row = { param($i) '{0:yyyy-MM-dd HH:mm:ss},web0{1},{2:F3},{3:F3}' -f $start.AddMinutes(1440 + $i), ($i % 2 + 1), (10 + ($i % 7) + ($i -ge 380 -and $i -lt 384 -and $i % 2 -eq 0 ? 40 : 0)), (40 + ($i % 5)) }
            $lines = @(0..479 | ForEach-Object { & $row $_ })
            $header = 'Timestamp,Host,cpu,mem'
            $random = [System.Random]::new(5)
            $orders = [ordered]@{
                'newest-first' = @($lines[419..0])
                'shuffled'     = @($lines[0..419] | Sort-Object { $random.Next() })
            }
            $inOrder = Join-Path $folder 'in-order.csv'
            Set-Content -Path $inOrder -Value (@($header) + $lines)
            $whole = Join-Path $folder 'in-order-scored.csv'
            Test-Anomaly -Model $windowed -Path $inOrder -OutputPath $whole -ThreadCount 1
            $columns = 'Timestamp', 'Host', 'AnomalyScore', 'IsAnomaly', 'AnomalyProbability', 'IsAlert', 'AnomalyStatus'

            foreach ($name in $orders.Keys) {
                $export = Join-Path $folder "$name.csv"
                Set-Content -Path $export -Value (@($header) + $orders[$name])
                $reference = Join-Path $folder "$name-reference.csv"
                Test-Anomaly -Model $windowed -Path $export -OutputPath $reference -ThreadCount 1
                $output = Join-Path $folder "$name-scored.csv"
                $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = $output; ThreadCount = 1 }

                $first = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
                $failed | Should -BeNullOrEmpty -Because $name
                $first.RowsRejected | Should -Be 0 -Because $name
                $first.RowsScored + $first.RowsWarmingUp | Should -Be 420 -Because $name
                $first.Alerts | Should -BeGreaterThan 0 -Because $name
                $expected = @(Import-Csv -LiteralPath $reference)
                $actual = @(Import-Csv -LiteralPath $output)
                $actual.Count | Should -Be 420 -Because $name
                for ($i = 0; $i -lt 420; $i++) {
                    foreach ($column in $columns) { $actual[$i].$column | Should -Be $expected[$i].$column -Because "$name, output row $($i + 1), $column" }
                }

                # Nothing new: nothing added, nothing lost.
                $bytes = (Get-FileHash -LiteralPath $output).Hash
                $second = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
                $failed | Should -BeNullOrEmpty -Because $name
                $global:LASTEXITCODE | Should -Be 0 -Because $name
                $second.RowsScored + $second.RowsWarmingUp + $second.RowsRejected | Should -Be 0 -Because $name
                (Get-FileHash -LiteralPath $output).Hash | Should -Be $bytes -Because $name

                # The next hour appended, newest first again: scored after the rows before, as one in-order file scores.
                Add-Content -Path $export -Value $lines[479..420]
                $third = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
                $failed | Should -BeNullOrEmpty -Because $name
                $third.RowsScored | Should -Be 60 -Because $name
                # (Each host's rows keep the places the host's rows had, so the hosts' rows come in the order of the file.)
                $expected = @{}
                Import-Csv -LiteralPath $whole | ForEach-Object { $expected["$($_.Timestamp) $($_.Host)"] = $_ }
                $actual = @(Import-Csv -LiteralPath $output)
                $actual.Count | Should -Be 480 -Because $name
                for ($i = 420; $i -lt 480; $i++) {
                    $same = $expected["$($actual[$i].Timestamp) $($actual[$i].Host)"]
                    foreach ($column in $columns) { $actual[$i].$column | Should -Be $same.$column -Because "$name, output row $($i + 1), $column" }
                }

                # Rows older than those scored, at times never scored (a late backlog), are still refused, and said.
                # (Rows of times scored are sent again, and skipped: the next test.)
                Add-Content -Path $export -Value ((& $row 100) -replace ':00,', ':30,'), ((& $row 101) -replace ':00,', ':30,')
                $late = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
                $late.RowsRejected | Should -Be 2 -Because $name
                $global:LASTEXITCODE | Should -Be 2 -Because $name
                @($failed | Where-Object FullyQualifiedErrorId -Like 'RowsOutOfOrder,*') | Should -HaveCount 1 -Because $name
                # Each row's error says why, for a job that sorts a file's new rows: not "sort it first, or use -Path".
                $rowErrors = @($failed | Where-Object FullyQualifiedErrorId -Like 'RowOutOfOrder,*')
                $rowErrors | Should -HaveCount 2 -Because $name
                "$($rowErrors[0])" | Should -BeLike "*line 482: *older than rows of its group that an earlier run (or an earlier file of this run) scored: a late backlog*" -Because $name
                "$($rowErrors[0])" | Should -Not -BeLike '*Sort-Object*' -Because $name
                "$($rowErrors[0])" | Should -Not -BeLike '*-Path*' -Because $name
                @(Import-Csv -LiteralPath $output).Count | Should -Be 480 -Because $name
            }
        }

        It 'a re-export that overlaps the last one, written over the same file, skips the rows it sends again and exits 0; a file of only such rows warns' {
            # "The last 30 minutes, every 20 minutes" into one file: each export repeats the newest 10 minutes of the last.
            # Before, those rows were refused as older than rows scored (RowsOutOfOrder): exit code 2 on every run.
            $folder = Join-Path $TestDrive 'overlap'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $start = [datetime]'2026-01-01'
            $windowed, $modelPath = New-TwoHostWindowModel -Start $start -Folder $folder
            $header = 'Timestamp,Host,cpu,mem'
            $minutes = { param($from, $to) foreach ($m in $from..($to - 1)) { foreach ($h in 1, 2) { '{0:yyyy-MM-dd HH:mm:ss},web0{1},{2},{3}' -f $start.AddMinutes(1440 + $m), $h, (10 + ($m % 7)), (40 + ($m % 5)) } } }
            $export = Join-Path $folder 'last-30-minutes.csv'
            $output = Join-Path $folder 'scored.csv'
            $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = $output; ThreadCount = 1 }
            Set-Content -Path $export -Value (@($header) + (& $minutes 0 30))
            $first = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $first.RowsScored + $first.RowsWarmingUp | Should -Be 60

            foreach ($from in 20, 40) {
                Set-Content -Path $export -Value (@($header) + (& $minutes $from ($from + 30)))
                $run = Invoke-AnomalyScoring @job -ErrorVariable failed -WarningVariable warned -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                $failed | Should -BeNullOrEmpty -Because "the export from minute $from"
                $warned | Should -BeNullOrEmpty -Because "the export from minute $from"
                $global:LASTEXITCODE | Should -Be 0
                $run.RowsAlreadyScored | Should -Be 20
                $run.RowsScored + $run.RowsWarmingUp | Should -Be 40
                $run.RowsRejected | Should -Be 0
            }
            # Every minute of each host once, in order, as one file of the 70 minutes scores.
            $whole = Join-Path $folder 'whole.csv'
            Set-Content -Path $whole -Value (@($header) + (& $minutes 0 70))
            $reference = Join-Path $folder 'whole-scored.csv'
            Test-Anomaly -Model $windowed -Path $whole -OutputPath $reference -ThreadCount 1
            $expected = @(Import-Csv -LiteralPath $reference | ForEach-Object { "$($_.Timestamp) $($_.Host) $($_.AnomalyScore) $($_.AnomalyStatus)" })
            $actual = @(Import-Csv -LiteralPath $output | ForEach-Object { "$($_.Timestamp) $($_.Host) $($_.AnomalyScore) $($_.AnomalyStatus)" })
            $actual | Should -Be $expected

            # A copy of a file already scored: nothing of it is scored, and the operator is told once.
            $copy = Join-Path $folder 'last-30-minutes (1).csv'
            Copy-Item -LiteralPath $export -Destination $copy
            $job.Path = @($export, $copy)
            $again = Invoke-AnomalyScoring @job -ErrorVariable failed -WarningVariable warned -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $global:LASTEXITCODE | Should -Be 0
            $again.RowsAlreadyScored | Should -Be 60
            @($warned) | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "*only rows already scored*"
            @(Import-Csv -LiteralPath $output).Count | Should -Be 140
            ($again | Format-List | Out-String) | Should -BeLike '*RowsAlreadyScored*: 60*'
        }

        It 'a "last 24 hours" re-export of rows that jitter by a second skips the day it sends again' {
            # A scraper's 1-minute rows, a second early or late now and then. The scored times were kept as 128 runs of
            # equal steps, two rows to a run here: the latest 256 rows. The rest of the overlap was refused as late
            # (RowsOutOfOrder, exit code 2) on every run.
            $folder = Join-Path $TestDrive 'jitter'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $start = [datetime]'2026-01-01'
            $null, $modelPath = New-TwoHostWindowModel -Start $start -Folder $folder
            $header = 'Timestamp,Host,cpu,mem'
            $minutes = { param($from, $to) foreach ($m in $from..($to - 1)) { foreach ($h in 1, 2) { '{0:yyyy-MM-dd HH:mm:ss},web0{1},{2},{3}' -f $start.AddMinutes(1440 + $m).AddSeconds(($m * 7 + $h) % 3 - 1), $h, (10 + ($m % 7)), (40 + ($m % 5)) } } }
            $export = Join-Path $folder 'last-24-hours.csv'
            $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = (Join-Path $folder 'scored.csv'); ThreadCount = 1 }
            Set-Content -Path $export -Value (@($header) + (& $minutes 0 1440))
            $null = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            Set-Content -Path $export -Value (@($header) + (& $minutes 360 1800))
            $run = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $global:LASTEXITCODE | Should -BeLessThan 2
            $run.RowsAlreadyScored | Should -Be 2160
            $run.RowsRejected | Should -Be 0
            $run.RowsScored + $run.RowsWarmingUp | Should -Be 720
        }

        It 'a re-export that overlaps the last one, after the model file is exported again with a new threshold, still skips the rows it sends again' {
            # The threshold change starts the series memory afresh (a warning says why). Before, that threw away each host's
            # scored times too: the next overlapping export was scored again (RowsAlreadyScored 0, every (Host, Timestamp)
            # of the overlap twice in the output, an alert in it paged twice).
            $folder = Join-Path $TestDrive 'overlap-after-threshold'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $start = [datetime]'2026-01-01'
            $windowed, $modelPath = New-TwoHostWindowModel -Start $start -Folder $folder
            $header = 'Timestamp,Host,cpu,mem'
            $minutes = { param($from, $to) foreach ($m in $from..($to - 1)) { foreach ($h in 1, 2) { '{0:yyyy-MM-dd HH:mm:ss},web0{1},{2},{3}' -f $start.AddMinutes(1440 + $m), $h, (10 + ($m % 7)), (40 + ($m % 5)) } } }
            $export = Join-Path $folder 'last-24-minutes.csv'
            $output = Join-Path $folder 'scored.csv'
            $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = $output; ThreadCount = 1 }
            Set-Content -Path $export -Value (@($header) + (& $minutes 0 50))
            Invoke-AnomalyScoring @job | Out-Null
            Set-Content -Path $export -Value (@($header) + (& $minutes 38 62))
            (Invoke-AnomalyScoring @job).RowsAlreadyScored | Should -Be 24

            Set-AutoencoderThreshold -Model $windowed -Method Manual -Value (2 * $windowed.Threshold) | Out-Null
            Export-Autoencoder -Model $windowed -Path $modelPath -Force
            Set-Content -Path $export -Value (@($header) + (& $minutes 50 74))
            $run = Invoke-AnomalyScoring @job -ErrorVariable failed -WarningVariable warned -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            @($warned) | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike '*threshold changed*starting afresh*still skipped*'
            $run.RowsAlreadyScored | Should -Be 24
            $run.RowsScored + $run.RowsWarmingUp | Should -Be 24
            $global:LASTEXITCODE | Should -BeIn 0, 1
            $rows = @(Import-Csv -LiteralPath $output | ForEach-Object { "$($_.Host) $($_.Timestamp)" })
            $rows | Should -HaveCount 148
            @($rows | Sort-Object -Unique) | Should -HaveCount 148
        }

        It 'retrained with a renamed column: files scored to their end before do not fail; a rotated output gets the new column' {
            # The exporter renamed cpu to cpu_pct and the model was retrained on the new exports. Before, every daily file
            # scored before failed on every run (FeatureColumnsMissing, FilesFailed 3, exit code 2 for ever), and an output
            # rotated since kept the first run's header, without cpu_pct.
            $folder = Join-Path $TestDrive 'renamed-column'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $output = Join-Path $folder 'scored.csv'
            $row = { param($i, $day) '{0},web0{1},{2:F3},{3:F3},{4:F3}' -f ($day * 100 + $i), ($i % 3 + 1), (20 + $i % 9), (40 + $i % 5), (150 + $i % 11) }
            foreach ($day in 1..3) { Set-Content -Path (Join-Path $folder "day$day.csv") -Value (@('Id,Host,cpu,mem,disk') + (0..19 | ForEach-Object { & $row $_ $day })) }
            $job = @{ ModelPath = $script:ModelPath; Path = (Join-Path $folder 'day*.csv'); OutputPath = $output; ThreadCount = 1 }
            (Invoke-AnomalyScoring @job).RowsScored | Should -Be 60

            $retrained = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            New-MetricRow -Count 300 -AsText | Select-Object Host, @{ Name = 'cpu_pct'; Expression = { $_.cpu } }, mem, disk |
                Invoke-AutoencoderTraining -Model $retrained -Epochs 3 -ThreadCount 1 | Out-Null
            $retrainedPath = Join-Path $folder 'retrained.aemodel'
            Export-Autoencoder -Model $retrained -Path $retrainedPath
            $job.ModelPath = $retrainedPath
            Set-Content -Path (Join-Path $folder 'day4.csv') -Value (@('Id,Host,cpu_pct,mem,disk') + (0..19 | ForEach-Object { & $row $_ 4 }))
            foreach ($run in 1, 2) {
                $summary = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                $failed | Should -BeNullOrEmpty -Because "run $run"
                $summary.FilesFailed | Should -Be 0 -Because "run $run"
                $global:LASTEXITCODE | Should -BeIn 0, 1 -Because "run $run"
            }

            Move-Item -LiteralPath $output -Destination "$output.1"
            Add-Content -Path (Join-Path $folder 'day4.csv') -Value (20..29 | ForEach-Object { & $row $_ 4 })
            $rotated = Invoke-AnomalyScoring @job -WarningVariable warned -WarningAction SilentlyContinue
            $rotated.RowsScored | Should -Be 10
            "$warned" | Should -BeLike '*rotated*'
            (Get-Content -LiteralPath $output -TotalCount 1) | Should -BeLike 'Id,Host,cpu,mem,disk,cpu_pct,*'
            @(Import-Csv -LiteralPath $output | Where-Object { $_.cpu_pct -ne '' }) | Should -HaveCount 10
        }

        It 'a newest-first file without a final line break: its rows wait for that last (oldest) line while the file is written, then all score; a last line newer than the rest does not hold them back' {
            # Before, a run right after the file was written scored every row but the last, the oldest; once the file was
            # quiet the next run refused it as older than rows scored (RowsOutOfOrder, exit code 2), lost for good.
            $folder = Join-Path $TestDrive 'no-final-break'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $start = [datetime]'2026-01-01'
            $windowed, $modelPath = New-TwoHostWindowModel -Start $start -Folder $folder
            $row = { param($i) '{0:yyyy-MM-dd HH:mm:ss},web0{1},{2:F3},{3:F3}' -f $start.AddMinutes(1440 + $i), ($i % 2 + 1), (10 + ($i % 7)), (40 + ($i % 5)) }
            $lines = @(0..199 | ForEach-Object { & $row $_ })
            $header = 'Timestamp,Host,cpu,mem'

            $export = Join-Path $folder 'newest-first.csv'
            [System.IO.File]::WriteAllText($export, (@($header) + $lines[199..0]) -join "`n")
            $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = (Join-Path $folder 'newest-first-scored.csv'); ThreadCount = 1 }
            $first = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $first.RowsScored + $first.RowsWarmingUp + $first.RowsRejected | Should -Be 0
            (Get-Item -LiteralPath $export).LastWriteTimeUtc = [datetime]::UtcNow.AddMinutes(-11)
            $second = Invoke-AnomalyScoring @job -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $global:LASTEXITCODE | Should -Be 0
            $second.RowsRejected | Should -Be 0
            $second.RowsScored + $second.RowsWarmingUp | Should -Be 200
            $reference = Join-Path $folder 'reference.csv'
            Test-Anomaly -Model $windowed -Path $export -OutputPath $reference -ThreadCount 1
            @(Import-Csv -LiteralPath $job.OutputPath | ForEach-Object { "$($_.Timestamp) $($_.Host) $($_.AnomalyScore)" }) |
                Should -Be @(Import-Csv -LiteralPath $reference | ForEach-Object { "$($_.Timestamp) $($_.Host) $($_.AnomalyScore)" })

            # Shuffled, its last line the newest: the rows before it are scored at once, the last waits as in any file.
            $random = [System.Random]::new(3)
            $shuffledPath = Join-Path $folder 'shuffled.csv'
            [System.IO.File]::WriteAllText($shuffledPath, (@($header) + @($lines[0..197] | Sort-Object { $random.Next() }) + $lines[198, 199]) -join "`n")
            $shuffled = Invoke-AnomalyScoring -ModelPath $modelPath -Path $shuffledPath -OutputPath (Join-Path $folder 'shuffled-scored.csv') -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $shuffled.RowsScored + $shuffled.RowsWarmingUp | Should -Be 199
        }

        It 'a model that learns (-LearnEvery): its file scores on one thread, Export-Autoencoder keeps what it learned, and the job learns into its state as Test-Anomaly does' {
            $folder = Join-Path $TestDrive 'learning'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $learner = New-Autoencoder -HiddenLayer 4, 2 -Seed 2 -LearnEvery 16
            New-MetricRow -Count 300 -AsText | Invoke-AutoencoderTraining -Model $learner -Epochs 3 -ThreadCount 1 | Out-Null
            $modelPath = Join-Path $folder 'learner.aemodel'
            Export-Autoencoder -Model $learner -Path $modelPath
            $modelBytes = (Get-FileHash -LiteralPath $modelPath).Hash
            $whole = Join-Path $folder 'whole.csv'
            Write-MetricCsv -Path $whole -FirstId 1 -Count 600
            $reference = Join-Path $folder 'reference.csv'
            $verbose = Test-Anomaly -Model $learner -Path $whole -OutputPath $reference -ThreadCount 1 -ThrottleLimit 2 -Verbose 4>&1
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'on one thread'
            # Test-Anomaly changed the model it was given; its file keeps what it learned.
            $learner.LearningUpdates | Should -BeGreaterThan 10
            ($learner | Out-String) | Should -Match 'one step every 16 normal rows'
            $saved = Join-Path $folder 'learned.aemodel'
            Export-Autoencoder -Model $learner -Path $saved
            $imported = Import-Autoencoder -Path $saved
            $imported.LearningUpdates | Should -Be $learner.LearningUpdates
            $imported.LearningPending | Should -Be $learner.LearningPending
            $more = @(New-MetricRow -Count 100 -AsText)
            $a = @($more | Test-Anomaly -Model $learner -ThreadCount 1).AnomalyScore
            $b = @($more | Test-Anomaly -Model $imported -ThreadCount 1).AnomalyScore
            $b | Should -Be $a

            $export = Join-Path $folder 'metrics.csv'
            $output = Join-Path $folder 'scored.csv'
            $state = "$output.state.json"
            $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = $output; ThreadCount = 1 }
            # The same rows as the whole file, in three parts (header and rows 1-250, 251-450, 451-600).
            $lines = [System.IO.File]::ReadAllLines($whole)
            Set-Content -Path $export -Value $lines[0..250]
            Invoke-AnomalyScoring @job | Out-Null
            $committed = Get-Content -LiteralPath $state -Raw
            Add-Content -Path $export -Value $lines[251..450]
            Invoke-AnomalyScoring @job | Out-Null
            # As if that run had been killed after writing its results and before committing its state (and what it learned):
            # the state before it, with the mark it committed before its first byte.
            [System.IO.File]::WriteAllText($state, (Get-KilledRunState $committed))
            Add-Content -Path $export -Value $lines[451..600]
            Invoke-AnomalyScoring @job 3>$null | Out-Null

            $expected = Import-Csv -LiteralPath $reference
            $actual = Import-Csv -LiteralPath $output
            $actual.Count | Should -Be 600
            for ($i = 0; $i -lt 600; $i++) {
                $actual[$i].AnomalyScore | Should -Be $expected[$i].AnomalyScore -Because "row $($i + 1)"
                $actual[$i].IsAnomaly | Should -Be $expected[$i].IsAnomaly -Because "row $($i + 1)"
            }
            # The job learns into its state, never into the operator's model file.
            (Get-FileHash -LiteralPath $modelPath).Hash | Should -Be $modelBytes
            (Get-Content -LiteralPath $state -Raw | ConvertFrom-Json).Learning.Model | Should -Not -BeNullOrEmpty
        }
    }

    Context 'one file by two names, and two of the job''s files that are one' {
        It 'reads a link and the file it leads to once: latest.csv beside the dated exports, and pointed at the next one, scores each row once' -Skip:$IsWindows {
            # An exporter's folder: dated files and latest.csv, a link to the newest, scored with -Path '<folder>/*.csv'.
            $folder = Join-Path $TestDrive 'latest-link'
            $output = Join-Path $TestDrive 'latest-link-scored.csv'
            $job = @{ ModelPath = $script:ModelPath; Path = (Join-Path $folder '*.csv'); OutputPath = $output; ThreadCount = 1 }
            $day1 = Join-Path $folder 'export-day1.csv'
            $latest = Join-Path $folder 'latest.csv'
            Write-MetricCsv -Path $day1 -FirstId 1 -Count 30
            New-Item -ItemType SymbolicLink -Path $latest -Target $day1 | Out-Null

            $first = Invoke-AnomalyScoring @job -Verbose 4>&1 | Tee-Object -Variable said | Where-Object { $_ -is [AutoencoderPS.Engine.Scoring.Incremental.AnomalyScoringSummary] }
            $first.RowsScored | Should -Be 30
            $first.Files | Should -Be 1
            Assert-EveryIdOnce $output 30
            @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "*'$day1' and '$latest' are one file*" }) | Should -HaveCount 1
            @(Import-Csv -LiteralPath $output | Where-Object SourceFile -NE $day1) | Should -HaveCount 0

            # The next day: a new file, and the link pointed at it. Nothing is "rotated or replaced", nothing scored twice.
            $day2 = Join-Path $folder 'export-day2.csv'
            Write-MetricCsv -Path $day2 -FirstId 31 -Count 20
            Remove-Item -LiteralPath $latest
            New-Item -ItemType SymbolicLink -Path $latest -Target $day2 | Out-Null
            $second = Invoke-AnomalyScoring @job -WarningVariable warned -WarningAction SilentlyContinue
            $second.RowsScored | Should -Be 20
            $warned | Should -BeNullOrEmpty
            Assert-EveryIdOnce $output 50
        }

        It 'reads a file given through a linked folder and by its own path once' -Skip:$IsWindows {
            $real = Join-Path $TestDrive 'linked-real'
            $export = Join-Path $real 'a.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 25
            $link = Join-Path $TestDrive 'linked-link'
            New-Item -ItemType SymbolicLink -Path $link -Target $real | Out-Null
            $output = Join-Path $TestDrive 'linked-scored.csv'
            $summary = Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export, (Join-Path $link 'a.csv') -OutputPath $output -ThreadCount 1
            $summary.RowsScored | Should -Be 25
            Assert-EveryIdOnce $output 25
        }

        It 'refuses <Case> before anything is written: ScoringPathsSameFile naming both parameters and the file, exit code 2' -ForEach @(
            @{ Case = '-StatePath the same file as -OutputPath'; State = 'out'; Output = 'out'; Shared = 'out'; Named = '-OutputPath', '-StatePath' }
            @{ Case = '-StatePath the same file as a new -OutputPath'; State = 'out'; Output = 'out'; Shared = 'out'; Named = '-OutputPath', '-StatePath'; Fresh = $true }
            @{ Case = '-StatePath the output by a relative path'; State = 'out-relative'; Output = 'out'; Shared = 'out'; Named = '-OutputPath', '-StatePath' }
            @{ Case = '-StatePath a link to the output'; State = 'out-link'; Output = 'out'; Shared = 'out'; Named = '-OutputPath', '-StatePath'; Links = $true }
            @{ Case = '-StatePath the model file'; State = 'model'; Output = 'out'; Shared = 'model'; Named = '-ModelPath', '-StatePath' }
            @{ Case = '-OutputPath the model file'; Output = 'model'; Shared = 'model'; Named = '-ModelPath', '-OutputPath' }
            @{ Case = '-OutputPath the export named by -Path'; Output = 'export'; Shared = 'export'; Named = '-OutputPath', '-Path' }
        ) {
            if ($Links -and $IsWindows) { Set-ItResult -Skipped -Because 'making a symbolic link needs a privilege on Windows'; return }
            $folder = Join-Path $TestDrive "same-file-$($Case -replace '\W', '-')"
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 5
            $model = Join-Path $folder 'host.aemodel'
            Copy-Item -LiteralPath $script:ModelPath -Destination $model
            $out = Join-Path $folder 'scored.csv'
            # A first run (the state written over the scored rows lost them all), or an output with rows of earlier runs.
            if (-not $Fresh) { Set-Content -LiteralPath $out -Value 'rows scored before' }
            $files = @{ out = $out; model = $model; export = $export }
            if ($State -eq 'out-link') { New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'state.json') -Target $out | Out-Null }
            $run = @{ ModelPath = $model; Path = $export; ThreadCount = 1; OutputPath = $files[$Output] }
            switch ($State) {
                'out-relative' { $run.StatePath = './sub/../scored.csv' }
                'out-link' { $run.StatePath = Join-Path $folder 'state.json' }
                $null { }
                default { $run.StatePath = $files[$State] }
            }
            $before = Get-ChildItem -LiteralPath $folder -Recurse | ForEach-Object { "$($_.Name) $((Get-FileHash -LiteralPath $_.FullName -ErrorAction SilentlyContinue).Hash)" }

            $caught = $null
            Push-Location -LiteralPath $folder
            try { Invoke-AnomalyScoring @run } catch { $caught = $_ }
            finally { Pop-Location }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringPathsSameFile,*'
            $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $caught.Exception.Message | Should -BeLike "*$($Named[0]) '*' and $($Named[1]) '*' are one file*Nothing was written.*"
            $caught.Exception.Message | Should -BeLike "*'$($files[$Shared])'*"
            $LASTEXITCODE | Should -Be 2
            # Every file as it was: no state, no lock, the output's old rows, the model.
            Get-ChildItem -LiteralPath $folder -Recurse | ForEach-Object { "$($_.Name) $((Get-FileHash -LiteralPath $_.FullName -ErrorAction SilentlyContinue).Hash)" } |
                Should -Be $before
        }

        It 'skips the job''s own files among files piped from Get-ChildItem, as a wildcard does; -LiteralPath named on the command line is still refused' {
            # The exports, the model and the scores in one folder, scored every run: from the second run on the folder holds
            # the output and its state, as '<folder>/*' reaches them.
            $folder = Join-Path $TestDrive 'piped-own-files'
            Write-MetricCsv -Path (Join-Path $folder 'day1.csv') -FirstId 1 -Count 5
            $model = Join-Path $folder 'host.aemodel'
            Copy-Item -LiteralPath $script:ModelPath -Destination $model
            $output = Join-Path $folder 'scored.csv'
            $first = Get-ChildItem -LiteralPath $folder | Invoke-AnomalyScoring -ModelPath $model -OutputPath $output -ThreadCount 1 -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $first.RowsScored | Should -Be 5
            Write-MetricCsv -Path (Join-Path $folder 'day2.csv') -FirstId 6 -Count 4
            $second = Get-ChildItem -LiteralPath $folder | Invoke-AnomalyScoring -ModelPath $model -OutputPath $output -ThreadCount 1 -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $second.FilesFailed | Should -Be 0
            $second.RowsScored | Should -Be 4
            $second.ExitCode | Should -Not -Be 2
            Assert-EveryIdOnce $output 9

            $caught = $null
            try { Invoke-AnomalyScoring -ModelPath $model -LiteralPath (Join-Path $folder 'day1.csv'), $output -OutputPath $output -ThreadCount 1 } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringPathsSameFile,*'
        }

        It 'skips the model file when a wildcard reaches it, as it skips its own output and state' {
            $folder = Join-Path $TestDrive 'wildcard-model'
            Write-MetricCsv -Path (Join-Path $folder 'metrics.csv') -FirstId 1 -Count 5
            $model = Join-Path $folder 'host.aemodel'
            Copy-Item -LiteralPath $script:ModelPath -Destination $model
            $summary = Invoke-AnomalyScoring -ModelPath $model -Path (Join-Path $folder '*') -OutputPath (Join-Path $folder 'scored.csv') -ThreadCount 1 -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $summary.FilesFailed | Should -Be 0
            $summary.RowsScored | Should -Be 5
        }

        It 'says an -OutputPath that is a link to nothing is one, and creates nothing' -Skip:$IsWindows {
            $folder = Join-Path $TestDrive 'output-dangling'
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 5
            $output = Join-Path $folder 'scored.csv'
            New-Item -ItemType SymbolicLink -Path $output -Target (Join-Path $folder 'gone/missing.csv') | Out-Null
            $caught = $null
            try { Invoke-AnomalyScoring -ModelPath $script:ModelPath -Path $export -OutputPath $output -ThreadCount 1 } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'ScoringOutputWriteFailed,*'
            $caught.TargetObject | Should -Be $output
            $caught.Exception.Message | Should -BeLike "*'$output' is a symbolic link to nothing*"
            $caught.Exception.Message | Should -Not -BeLike '*exists, but its scoring state does not*'
            Test-Path -LiteralPath "$output.state.json" | Should -BeFalse
        }
    }

    Context 'run by a scheduler: exit codes' {
        It 'Invoke-ScheduledScoring.ps1 ships in the module folder' {
            $script:ScheduledScript | Should -Exist
            $parameters = (Get-Command $script:ScheduledScript).Parameters.Keys
            foreach ($name in 'ModelPath', 'Path', 'OutputPath', 'StatePath', 'Format') { $parameters | Should -Contain $name }
        }

        It 'pwsh -File exits with 0 when nothing is anomalous, 1 when anomalies are found, 2 on a failure' {
            $folder = Join-Path $TestDrive 'exit-file'
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 20

            $calm = Invoke-Child (Get-ScriptArgument $script:CalmModel $export (Join-Path $folder 'calm.csv'))
            $calm.ExitCode | Should -Be 0 -Because $calm.Stderr
            $calm.Stdout | Should -Match 'RowsScored\s*:\s*20'

            $alarmed = Invoke-Child (Get-ScriptArgument $script:AlarmedModel $export (Join-Path $folder 'alarmed.csv') -Format JsonLines)
            $alarmed.ExitCode | Should -Be 1 -Because $alarmed.Stderr
            $alarmed.Stdout | Should -Match 'Anomalies\s*:\s*20'
            @(Get-Content (Join-Path $folder 'alarmed.csv')) | Should -HaveCount 20

            $noModel = Invoke-Child (Get-ScriptArgument (Join-Path $folder 'missing.aemodel') $export (Join-Path $folder 'failed.csv'))
            $noModel.ExitCode | Should -Be 2
            $noModel.Stderr | Should -Match 'missing\.aemodel'

            $noInput = Invoke-Child (Get-ScriptArgument $script:CalmModel (Join-Path $folder 'nothing-*.csv') (Join-Path $folder 'empty.csv'))
            $noInput.ExitCode | Should -Be 2
            $noInput.Stderr | Should -Match 'No file matches'
        }

        It 'pwsh -File exits with 4 when anomalies are found and a file failed: a foreign file does not hide the alerts' {
            # A file that fails on every run (another tool's export in the folder) made every run exit 2, so a scheduler
            # that pages on 1 never paged again.
            $folder = Join-Path $TestDrive 'exit-both'
            Write-MetricCsv -Path (Join-Path $folder 'exports/metrics.csv') -FirstId 1 -Count 20
            Set-Content -LiteralPath (Join-Path $folder 'exports/other.csv') -Value 'when,what', '09:00,backup' -Encoding utf8NoBOM
            $glob = Join-Path $folder 'exports/*.csv'

            $both = Invoke-Child (Get-ScriptArgument $script:AlarmedModel $glob (Join-Path $folder 'alarmed.csv'))
            $both.ExitCode | Should -Be 4 -Because $both.Stderr
            $both.Stdout | Should -Match 'Anomalies\s*:\s*20'
            $both.Stdout | Should -Match 'ExitCode\s*:\s*4 \(anomalies found, and a file failed\)'
            $both.Stderr | Should -Match 'other\.csv'
            # The log gets one line per error, its ErrorId first, not the script's own line and position.
            @($both.Stderr -split '\r?\n' | Where-Object { $_ }) | Should -HaveCount 1
            $both.Stderr | Should -Match '^ERROR FeatureColumnsMissing: File .*other\.csv'
            $both.Stderr | Should -Not -Match 'Invoke-ScheduledScoring\.ps1:|Line \|'

            $calm = Invoke-Child (Get-ScriptArgument $script:CalmModel $glob (Join-Path $folder 'calm.csv'))
            $calm.ExitCode | Should -Be 2 -Because 'the calm run found nothing, and the foreign file failed'
        }

        It 'pwsh -Command "Invoke-AnomalyScoring ...; exit $LASTEXITCODE" exits with the same codes' {
            $folder = Join-Path $TestDrive 'exit-command'
            $export = Join-Path $folder 'metrics.csv'
            Write-MetricCsv -Path $export -FirstId 1 -Count 20

            (Invoke-Child (Get-CommandArgument $script:CalmModel $export (Join-Path $folder 'calm.csv'))).ExitCode | Should -Be 0
            (Invoke-Child (Get-CommandArgument $script:AlarmedModel $export (Join-Path $folder 'alarmed.csv'))).ExitCode | Should -Be 1
            $failed = Invoke-Child (Get-CommandArgument (Join-Path $folder 'missing.aemodel') $export (Join-Path $folder 'failed.csv'))
            $failed.ExitCode | Should -Be 2
            $failed.Stderr | Should -Match 'missing\.aemodel'
        }
    }

    Context 'two runs at once, and runs that are killed' {
        BeforeAll {
            # Big enough that a run takes seconds: scoring, writing and committing 4,096 rows at a time.
            $script:BigRows = 100000
            $script:BigFolder = Join-Path $TestDrive 'big'
            $script:BigInput = Join-Path $script:BigFolder 'export.csv'
            Write-MetricCsv -Path $script:BigInput -FirstId 1 -Count $script:BigRows
        }

        It 'refuses a second run while a first holds the lock (exit code 3), and a killed holder does not keep it' {
            $output = Join-Path $script:BigFolder 'locked.csv'
            $lockInfo = "$output.state.json.lock.info"
            $first = Start-Child (Get-ScriptArgument $script:ModelPath $script:BigInput $output)
            try {
                Wait-Until { (Test-Path $lockInfo) -or $first.HasExited }
                $first.HasExited | Should -BeFalse -Because 'the first run must still hold the lock'
                # Frozen while it holds the lock, so the second run meets it whatever the machine's speed.
                $kill = Get-Command kill -CommandType Application -ErrorAction Ignore | Select-Object -First 1
                if ($kill) { & $kill.Source -STOP $first.Id }

                $second = Invoke-Child (Get-ScriptArgument $script:ModelPath $script:BigInput $output)
                $second.ExitCode | Should -Be 3 -Because $second.Stderr
                $second.Stderr | Should -Match 'holds the lock'
                $second.Stderr | Should -Match "process $($first.Id) on host"

                $third = Invoke-Child (Get-CommandArgument $script:ModelPath $script:BigInput $output)
                $third.ExitCode | Should -Be 3 -Because $third.Stderr
            }
            finally {
                Stop-Process -Id $first.Id -Force -ErrorAction SilentlyContinue
                $first.WaitForExit()
            }

            # The operating system dropped the killed run's lock: the next run gets it and completes the file.
            $after = Invoke-Child (Get-ScriptArgument $script:ModelPath $script:BigInput $output)
            $after.ExitCode | Should -BeIn 0, 1 -Because $after.Stderr
            Assert-EveryIdOnce $output $script:BigRows
        }

        It 'loses nothing and duplicates nothing when runs are killed at different moments' {
            $output = Join-Path $script:BigFolder 'killed.csv'
            $state = "$output.state.json"
            # The first kill comes during start-up; the others once the run has committed a batch, after a different
            # delay each, so they land at different points of the score-append-flush-commit cycle.
            $moments = @(
                @{ AfterProgress = $false; DelayMs = 700 }
                @{ AfterProgress = $true; DelayMs = 0 }
                @{ AfterProgress = $true; DelayMs = 23 }
                @{ AfterProgress = $true; DelayMs = 97 }
                @{ AfterProgress = $true; DelayMs = 251 }
            )
            $kills = foreach ($moment in $moments) {
                $before = Get-CommittedRows $state
                $child = Start-Child (Get-ScriptArgument $script:ModelPath $script:BigInput $output)
                try {
                    if ($moment.AfterProgress) { Wait-Until { (Get-CommittedRows $state) -gt $before -or $child.HasExited } }
                    Start-Sleep -Milliseconds $moment.DelayMs
                    $running = -not $child.HasExited
                }
                finally {
                    Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue
                    $child.WaitForExit()
                }
                $committed = Get-CommittedRows $state
                $committedLength = try { [long](Get-Content $state -Raw -ErrorAction Stop | ConvertFrom-Json).Output.Length } catch { 0 }
                [pscustomobject]@{
                    Running     = $running
                    Committed   = $committed
                    Uncommitted = [Math]::Max(0, ((Get-Item $output -ErrorAction Ignore).Length ?? 0) - $committedLength)
                }
            }
            $report = ($kills | Format-Table | Out-String)
            @($kills | Where-Object { $_.Running -and $_.Committed -gt 0 -and $_.Committed -lt $script:BigRows }).Count |
                Should -BeGreaterOrEqual 3 -Because "at least three kills must hit a run part-way through the file:`n$report"

            $final = Invoke-Child (Get-ScriptArgument $script:ModelPath $script:BigInput $output)
            $final.ExitCode | Should -BeIn 0, 1 -Because $final.Stderr
            Get-CommittedRows $state | Should -Be $script:BigRows
            (Get-Item $output).Length | Should -Be ([long](Get-Content $state -Raw | ConvertFrom-Json).Output.Length)
            Assert-EveryIdOnce $output $script:BigRows
            @([System.IO.File]::ReadLines($output) | Where-Object { $_.StartsWith('Id,') }) | Should -HaveCount 1
        }
    }
}
