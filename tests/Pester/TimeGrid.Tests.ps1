BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'JoinedExport.ps1')

    $script:t0 = [datetime]::new(2026, 3, 2, 0, 0, 0, [System.DateTimeKind]::Unspecified)

    function New-JitteredSeries {
        <#
        .SYNOPSIS
            A sensor that reports about every 5 minutes, up to 2.4 minutes early or late (as road-traffic sensors do):
            a 48-step cycle with seeded noise, -Spike added to the rows from -SpikeAt for 3 rows.
        #>
        param([int] $Count, [int] $Seed = 3, [string] $Sensor = 's1', [int] $SpikeAt = -1, [double] $Spike = 0)
        $random = [System.Random]::new($Seed)
        for ($i = 0; $i -lt $Count; $i++) {
            $v = 40 + 10 * [math]::Sin(2 * [math]::PI * $i / 48) + 1.5 * $random.NextDouble()
            if ($SpikeAt -ge 0 -and $i -ge $SpikeAt -and $i -lt $SpikeAt + 3) { $v += $Spike }
            [pscustomobject][ordered]@{ Time = $t0.AddMinutes(5 * $i + 4.8 * $random.NextDouble() - 2.4); Sensor = $Sensor; Speed = $v }
        }
    }
}

Describe 'Time-grid windows for irregular series' {
    It 'trains and scores a jittered series on which a window of rows scores few rows' {
        $train = @(New-JitteredSeries -Count 600 -Seed 1)
        # Rows 1.5 usual steps apart break a window of rows with that -MaxGap: about one step in nine here, so few runs of
        # 24 rows. (The default, 2.5 steps, keeps such windows whole, but their rows are not one step apart.)
        $rows = New-Autoencoder -HiddenLayer 16, 4 -WindowSize 24 -TimeProperty Time -GroupBy Sensor -Seed 7 -OutputActivation Linear -MaxGap 00:07:30
        $null = $train | Invoke-AutoencoderTraining -Model $rows -Epochs 2 -Scaling Robust -ThreadCount 1
        @(New-JitteredSeries -Count 500 -Seed 2 | Test-Anomaly -Model $rows | Where-Object AnomalyStatus -eq 'Scored').Count | Should -BeLessThan 100

        $grid = New-Autoencoder -HiddenLayer 16, 4 -WindowSize 24 -TimeProperty Time -GroupBy Sensor -Seed 7 -OutputActivation Linear -TimeGrid
        $null = $train | Invoke-AutoencoderTraining -Model $grid -Epochs 15 -Scaling Robust -ThreadCount 1
        $scored = @(New-JitteredSeries -Count 500 -Seed 2 -SpikeAt 420 -Spike 40 | Test-Anomaly -Model $grid)
        $scored | Should -HaveCount 500
        @($scored | Where-Object AnomalyStatus -eq 'Scored').Count | Should -BeGreaterThan 470
        $alerts = @(for ($i = 0; $i -lt $scored.Count; $i++) { if ($scored[$i].IsAlert) { $i } })
        $alerts | Should -HaveCount 1
        $alerts[0] | Should -BeIn (420..424)

        # The grid is kept in the model file.
        $path = Join-Path $TestDrive 'grid.aenc'
        Export-Autoencoder -Model $grid -Path $path
        $loaded = Import-Autoencoder -Path $path
        $loaded.Settings.TimeGrid | Should -BeTrue
        $again = @(New-JitteredSeries -Count 500 -Seed 2 -SpikeAt 420 -Spike 40 | Test-Anomaly -Model $loaded)
        @($again.AnomalyScore) | Should -Be @($scored.AnomalyScore)
    }

    It 'reports a group that gives no window as an error of that group, and trains on the others' {
        $train = @(New-JitteredSeries -Count 300 -Seed 1 -Sensor 'long') + @(New-JitteredSeries -Count 10 -Seed 4 -Sensor 'short')
        $grid = New-Autoencoder -HiddenLayer 8, 4 -WindowSize 24 -TimeProperty Time -GroupBy Sensor -Seed 7 -OutputActivation Linear -TimeGrid
        $null = $train | Invoke-AutoencoderTraining -Model $grid -Epochs 2 -Scaling Robust -ThreadCount 1 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'GroupNotWindowed,AutoencoderPS.Commands.InvokeAutoencoderTrainingCommand'
        $problems[0].TargetObject | Should -Be 'short'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $grid.IsTrained | Should -BeTrue
    }

    # Grafana's "series joined by time" of two hosts scraped 30 s apart every 5 minutes: each row holds one host's cells,
    # the other's empty. Its rows step 30 s and 270 s in turn, and the grid's step was their median: 30 s for an even row
    # count (every 270 s step a gap; no window, and "No training rows were received"), 2:30 for an odd one.
    It 'steps a joined export of hosts sampled at offsets as the hosts do, whatever its row count (<Rows> rows)' -ForEach @(
        @{ Rows = 300 }, @{ Rows = 301 }
    ) {
        $path = Join-Path $TestDrive "joined-$Rows.csv"
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add('"Time","cpu{host=a}","cpu{host=b}","latency{host=a}","latency{host=b}"')
        for ($r = 0; $r -lt $Rows; $r++) {
            $i = [math]::Floor($r / 2)
            $time = $t0.AddMinutes(5 * $i).AddSeconds(30 * ($r % 2)).ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
            $cpu = ConvertTo-InvariantText ([math]::Round(40 + 10 * [math]::Sin(2 * [math]::PI * $i / 48) + $r % 3, 2))
            $latency = ConvertTo-InvariantText ([math]::Round(120 + 30 * [math]::Cos(2 * [math]::PI * $i / 48) + $r % 5, 1))
            $lines.Add($(if ($r % 2) { "$time,,$cpu,,$latency" } else { "$time,$cpu,,$latency," }))
        }
        Set-Content -LiteralPath $path -Value $lines
        $m = New-Autoencoder -HiddenLayer 4 -WindowSize 6 -TimeProperty Time -TimeGrid -Seed 1
        $verbose = Invoke-AutoencoderTraining -Model $m -Path $path -Epochs 2 -ThreadCount 1 -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $m.IsTrained | Should -BeTrue
        $m.UsualInterval | Should -Be ([timespan]::FromMinutes(5))
        @($verbose | Where-Object { $_ -like 'Sliding windows*' }) | Should -BeLike "Sliding windows of 6 time steps: $($Rows - 10) windows from $Rows rows*after 0 gap(s)); usual interval 00:05:00."
    }

    # Its verdicts count a day of its rows, two a step: counted in steps, the likelihood learned for 12 hours, looked
    # for a new high over 12.5 and took the threshold of 5-minute rows for twice their rows a day. On this seed (as
    # tests/Benchmarks/Invoke-JoinedExportProbe.ps1 -Seed 3) the incident was missed and two normal stretches paged.
    It 'alerts once for an incident of one host of a joined export, and not on its normal days' {
        $random = [System.Random]::new(3)
        $m = New-Autoencoder -WindowSize 12 -TimeProperty time -TimeGrid -Seed 3
        $null = New-JoinedExportRow $random $t0 0 7 | Invoke-AutoencoderTraining -Model $m -ThreadCount 1 -WarningAction SilentlyContinue
        $incidentAt = 288 + 150
        $scored = @(New-JoinedExportRow $random $t0 7 3 $incidentAt | Test-Anomaly -Model $m -ThreadCount 1 -WarningAction SilentlyContinue)
        $scored | Should -HaveCount (3 * 288 * 2)
        $from = $t0.AddDays(7).AddMinutes(5 * $incidentAt)
        $alerts = @($scored | Where-Object IsAlert)
        $inIncident = @($alerts | Where-Object { [datetime]$_.time -ge $from -and [datetime]$_.time -lt $from.AddHours(2) })
        $inIncident | Should -HaveCount 1
        @($alerts | Where-Object { $inIncident -notcontains $_ }).Count | Should -BeLessOrEqual 1
    }

    # Each row of a joined export misses the other host's columns, and every cell has them: "missing in much of the
    # training ... train on rows where they are present" was wrong advice on every training of such an export. A host
    # that joined late (no value in a third of the time steps) is still told of.
    It 'warns of a feature missing in much of a time grid''s steps, not of one missing in half its rows but in none of its cells' {
        $rows = for ($i = 0; $i -lt 300; $i++) {
            $late = if ($i -ge 100) { 60 + 5 * [math]::Cos(2 * [math]::PI * $i / 48) } else { '' }
            [pscustomobject]@{ Time = $t0.AddMinutes(5 * $i); a = 40 + 10 * [math]::Sin(2 * [math]::PI * $i / 48); b = ''; late = $late }
            [pscustomobject]@{ Time = $t0.AddMinutes(5 * $i).AddSeconds(30); a = ''; b = 60 + 5 * [math]::Cos(2 * [math]::PI * $i / 48); late = '' }
        }
        $m = New-Autoencoder -HiddenLayer 4 -WindowSize 6 -TimeProperty Time -TimeGrid -Seed 1
        $warnings = @($rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 3>&1 |
            Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $missing = @($warnings | Where-Object { $_ -like '*missing in much of the training*' })
        $missing | Should -HaveCount 1
        $missing[0] | Should -BeLike "Feature 'late' (missing in 400 of 600 training rows, 67 %, and in 3? % of the time steps) was missing*"
        $missing[0] | Should -Not -BeLike "*'a'*"
        $missing[0] | Should -Not -BeLike "*'b'*"
    }

    It 'says a joined export is judged by a day of its rows, two a step' {
        $m = New-Autoencoder -HiddenLayer 4 -WindowSize 6 -TimeProperty Time -TimeGrid -Seed 1
        $rows = for ($i = 0; $i -lt 400; $i++) {
            [pscustomobject]@{ Time = $t0.AddMinutes(5 * $i); a = 40 + 10 * [math]::Sin(2 * [math]::PI * $i / 48); b = '' }
            [pscustomobject]@{ Time = $t0.AddMinutes(5 * $i).AddSeconds(30); a = ''; b = 60 + 5 * [math]::Cos(2 * [math]::PI * $i / 48) }
        }
        $null = $rows | Invoke-AutoencoderTraining -Model $m -Epochs 2 -ThreadCount 1 -WarningAction SilentlyContinue
        $verbose = $rows | Select-Object -First 20 | Test-Anomaly -Model $m -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        @($verbose | Where-Object { $_ -like 'A row is an anomaly at a likelihood of*' }) |
            Should -BeLike '*0.995 or more (the default for rows 00:02:30 apart*) and a new high over the last 600 rows of its group.'
    }

    It 'says why no window fits the grid, not that no rows came' {
        # Two rows a minute apart every 10 minutes: a 1-minute step, so every 9 minutes is a gap of the grid.
        $rows = for ($i = 0; $i -lt 42; $i++) {
            [pscustomobject]@{ Time = $t0.AddMinutes(10 * [math]::Floor($i / 2) + $i % 2); Speed = 40 + $i % 7 }
        }
        $m = New-Autoencoder -HiddenLayer 4 -WindowSize 6 -TimeProperty Time -TimeGrid -Seed 1
        $e = { $rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 } |
            Should -Throw -ErrorId 'NoTrainingWindows,AutoencoderPS.Commands.InvokeAutoencoderTrainingCommand' -PassThru
        $e.Exception.Message | Should -BeLike 'The series (42 rows) has no 6 consecutive time steps without a gap: 20 gap(s) longer than 00:03:00 (3 times its usual interval 00:01:00*'
        $m.IsTrained | Should -BeFalse

        # Recalibrating on such rows says the same, for recalibration: it said "No group of the new rows has 6 consecutive
        # rows", not the gaps.
        $steady = for ($i = 0; $i -lt 60; $i++) { [pscustomobject]@{ Time = $t0.AddMinutes($i); Speed = 40 + $i % 7 } }
        $null = $steady | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1
        $threshold = $m.Threshold
        $e = { $rows | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 99 } |
            Should -Throw -ErrorId 'EmptyThresholdInput,AutoencoderPS.Commands.SetAutoencoderThresholdCommand' -PassThru
        $e.Exception.Message | Should -BeLike 'The series (42 rows) has no 6 consecutive time steps without a gap: 20 gap(s)*so there is no window of 6 time steps to recalibrate on*'
        $m.Threshold | Should -Be $threshold
    }

    It 'says nothing of rows sent twice, which the grid averages away, and warns of rows of one time with other values' {
        $grid = New-Autoencoder -HiddenLayer 8, 4 -WindowSize 6 -TimeProperty Time -GroupBy Sensor -Seed 7 -OutputActivation Linear -TimeGrid
        $null = New-JitteredSeries -Count 300 -Seed 1 | Invoke-AutoencoderTraining -Model $grid -Epochs 2 -Scaling Robust -ThreadCount 1 -WarningAction SilentlyContinue
        $once = @(New-JitteredSeries -Count 100 -Seed 2 | Test-Anomaly -Model $grid -Calibration None 3>$null)
        # Each row sent twice: the copy goes into the cell of the first, which averages both, so once every row is in, each
        # window is the one of the rows sent once (to rounding) and the copy scores as its row did alone.
        $said = @()
        $twice = @(New-JitteredSeries -Count 100 -Seed 2 | ForEach-Object { $_; $_.PSObject.Copy() } |
            Test-Anomaly -Model $grid -Calibration None -WarningVariable said -WarningAction SilentlyContinue)
        for ($i = 0; $i -lt $once.Count; $i++) {
            $copy = $twice[2 * $i + 1].AnomalyScore
            if ($null -eq $once[$i].AnomalyScore) { $copy | Should -BeNullOrEmpty } else { $copy | Should -BeGreaterOrEqual ($once[$i].AnomalyScore - 1e-9); $copy | Should -BeLessOrEqual ($once[$i].AnomalyScore + 1e-9) }
        }
        @($said | Where-Object { "$_" -like '*same time as the row before*' }) | Should -HaveCount 0
        # A second exporter's row of the same time with another value: mixed into the cell, and said so.
        $mixed = @(New-JitteredSeries -Count 100 -Seed 2 | ForEach-Object { $_; $other = $_.PSObject.Copy(); $other.Speed += 30; $other } |
            Test-Anomaly -Model $grid -Calibration None -WarningVariable said -WarningAction SilentlyContinue)
        $mixed | Should -HaveCount 200
        $shared = @($said | Where-Object { "$_" -like '*same time as the row before*' })
        $shared | Should -HaveCount 1
        "$($shared[0])" | Should -BeLike "100 of the 200 rows had the same time as the row before them in their group ('Sensor')*time grid averages*"
        "$($shared[0])" | Should -Not -BeLike '*holds a row twice*'
    }

    It 'refuses a time grid without a time property' {
        { New-Autoencoder -WindowSize 4 -TimeGrid } | Should -Throw -ErrorId 'TimeGridNeedsTime,AutoencoderPS.Commands.NewAutoencoderCommand'
    }
}
