# Time-series models and local times across daylight saving time (New-Autoencoder -TimeZone): in Los Angeles clocks go
# back at 02:00 PDT on 2026-11-01 (01:00-01:59 comes twice) and forward at 02:00 PST on 2026-03-08. A Windows
# performance-counter export (perfmon, typeperf, relog) writes local times without an offset, in a first column named
# after the zone in effect when logging started. Data are generated here.

BeforeDiscovery {
    # A machine without tz data skips the tests that need the zone (with this reason) rather than failing them.
    $NoZone = -not [TimeZoneInfo]::TryFindSystemTimeZoneById('America/Los_Angeles', [ref]$null)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:ZoneId = 'America/Los_Angeles'
    $script:Summer = '(PDH-CSV 4.0) (Pacific Daylight Time)(420)'
    $script:Winter = '(PDH-CSV 4.0) (Pacific Standard Time)(480)'
    $script:HasZone = $true
    try { $script:LosAngeles = [TimeZoneInfo]::FindSystemTimeZoneById($ZoneId) } catch { $script:HasZone = $false }

    function Get-LocalTime {
        # A row a minute from 00:00 to 03:59 local time of the given night, as perfmon writes them ('11/01/2026 01:59:00.979');
        # the fall-back night has 300 (01:00-01:59 twice).
        param([datetime] $Night)
        $start = [TimeZoneInfo]::ConvertTimeToUtc($Night, $LosAngeles)
        $end = [TimeZoneInfo]::ConvertTimeToUtc($Night.AddHours(4), $LosAngeles)
        for ($t = $start; $t -lt $end; $t = $t.AddMinutes(1)) {
            [TimeZoneInfo]::ConvertTimeFromUtc($t, $LosAngeles).AddMilliseconds(979).ToString('MM/dd/yyyy HH:mm:ss.fff', [cultureinfo]::InvariantCulture)
        }
    }

    function New-CounterRow {
        # Perfmon-like rows: the time column, then a counter path column that follows a 30-minute cycle.
        param([string[]] $Time, [string] $TimeColumn = $Summer)
        for ($i = 0; $i -lt $Time.Count; $i++) {
            $row = [ordered]@{}
            $row[$TimeColumn] = $Time[$i]
            $row['\\web1\Processor(_Total)\% Processor Time'] = (50 + 20 * [math]::Sin(2 * [math]::PI * $i / 30)).ToString('R', [cultureinfo]::InvariantCulture)
            [pscustomobject]$row
        }
    }

    function New-ZoneModel {
        param([string] $TimeColumn = $Summer, [hashtable] $ZoneParameter = @{ TimeZone = $ZoneId })
        $model = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty $TimeColumn @ZoneParameter
        New-CounterRow -Time (Get-LocalTime ([datetime]'2026-10-20')) -TimeColumn $TimeColumn |
            Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 | Out-Null
        $model
    }

    function ConvertTo-ScoreText {
        param([object[]] $Rows)
        # Scores as exact text, a warming-up row (no score: $null piped, empty in a CSV) as '-'.
        $Rows | ForEach-Object {
            if ([string]::IsNullOrEmpty("$($_.AnomalyScore)")) { '-' } else { ([double]$_.AnomalyScore).ToString('R', [cultureinfo]::InvariantCulture) }
        }
    }
}

Describe 'Local times across daylight saving time (-TimeZone)' {
    Context 'the setting' {
        It 'keeps the zone in the model, shows it, and keeps it through Export-Autoencoder and Import-Autoencoder' -Skip:$NoZone {
            $model = New-ZoneModel
            $model.Settings.TimeZone | Should -Be $ZoneId
            ($model | Format-List | Out-String) | Should -BeLike "*local times of $ZoneId*"
            $path = Join-Path $TestDrive 'zone.aemodel'
            Export-Autoencoder -Model $model -Path $path
            (Import-Autoencoder -Path $path).Settings.TimeZone | Should -Be $ZoneId
        }

        It 'refuses a zone this system does not know (TimeZoneInvalid), and a zone without -TimeProperty' {
            { New-Autoencoder -WindowSize 4 -TimeProperty Time -TimeZone 'Mars/Olympus_Mons' -ErrorAction Stop } |
                Should -Throw -ErrorId 'TimeZoneInvalid,AutoencoderPS.Commands.NewAutoencoderCommand' -ExpectedMessage '*Mars/Olympus_Mons*'
            { New-Autoencoder -WindowSize 4 -TimeZone UTC -ErrorAction Stop } |
                Should -Throw -ErrorId 'TimeZoneNeedsTime,AutoencoderPS.Commands.NewAutoencoderCommand'
        }

        It 'takes the zone from a perfmon time column''s name when no -TimeZone is given, and says so' -Skip:$NoZone {
            $log = New-Autoencoder -WindowSize 4 -TimeProperty $Summer -Verbose 4>&1
            $model = $log | Where-Object { $_ -is [AutoencoderPS.Engine.Modeling.AutoencoderModel] }
            $model.Settings.Zone.BaseUtcOffset | Should -Be ([timespan]::FromHours(-8))
            "$($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -BeLike "*names the time zone 'Pacific Daylight Time'*"
            # A zone the system does not know: times as written, as before, with a warning (the fall-back night will fail).
            $unknown = New-Autoencoder -WindowSize 4 -TimeProperty '(PDH-CSV 4.0) (Nowhere Standard Time)(0)' -WarningVariable warned -WarningAction SilentlyContinue
            $unknown.Settings.TimeZone | Should -BeNullOrEmpty
            "$warned" | Should -BeLike "*'Nowhere Standard Time', which this system does not know*-TimeZone*"
        }
    }

    Context 'the night clocks go back' {
        BeforeAll {
            if ($HasZone) {
                $script:Model = New-ZoneModel
                $script:Night = @(Get-LocalTime ([datetime]'2026-11-01'))
            }
        }

        It 'scores a piped fall-back night whole: no row of the repeated hour is refused' -Skip:$NoZone {
            $Night.Count | Should -Be 300
            $scored = @(New-CounterRow -Time $Night | Test-Anomaly -Model $Model -ErrorVariable refused -ErrorAction SilentlyContinue)
            $refused | Should -BeNullOrEmpty
            $scored.Count | Should -Be 300
            @($scored | Where-Object AnomalyStatus -eq 'WarmingUp').Count | Should -Be 3
        }

        It 'without a zone refuses the repeated hour, saying why and what to do' -Skip:$NoZone {
            $plain = New-ZoneModel -ZoneParameter @{} -TimeColumn 'Time'
            $null = New-CounterRow -Time $Night -TimeColumn 'Time' | Test-Anomaly -Model $plain -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused.Count | Should -Be 59
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'RowOutOfOrder,*'
            "$($refused[0])" | Should -BeLike '*clocks repeat an hour when they go back*New-Autoencoder -TimeZone*'
            "$($refused[0])" | Should -BeLike "*Sort-Object { ``[datetime``]`$_.'Time' }*"
        }

        It 'without a zone, a -Path file that steps back an hour is sorted with a warning that says why and what to do' -Skip:$NoZone {
            # Sorted by the times as written, the two passes of the repeated hour were interleaved without a word.
            $plain = New-ZoneModel -ZoneParameter @{} -TimeColumn 'Time'
            $file = Join-Path $TestDrive 'night-plain.csv'
            New-CounterRow -Time $Night -TimeColumn 'Time' | Export-Csv -LiteralPath $file -NoTypeInformation -UseQuotes AsNeeded
            $null = Test-Anomaly -Model $plain -Path $file -WarningVariable warned -WarningAction SilentlyContinue
            @($warned) | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "*night-plain.csv': a group steps back in time by 00:59:00*interleaves*New-Autoencoder -TimeZone*"
            # A file merely out of order (hours apart) is sorted without a warning.
            $shuffled = Join-Path $TestDrive 'shuffled.csv'
            $rows = @(New-CounterRow -Time (Get-LocalTime ([datetime]'2026-10-21')) -TimeColumn 'Time')
            @($rows[120..239]) + @($rows[0..119]) | Export-Csv -LiteralPath $shuffled -NoTypeInformation -UseQuotes AsNeeded
            $null = Test-Anomaly -Model $plain -Path $shuffled -WarningVariable quiet -WarningAction SilentlyContinue
            @($quiet) | Should -HaveCount 0
            # Nor is a newest-first export (a minute back at every row, never past where it began).
            $newestFirst = Join-Path $TestDrive 'newest-first.csv'
            [array]::Reverse($rows)
            $rows | Export-Csv -LiteralPath $newestFirst -NoTypeInformation -UseQuotes AsNeeded
            $null = Test-Anomaly -Model $plain -Path $newestFirst -WarningVariable reversed -WarningAction SilentlyContinue
            @($reversed) | Should -HaveCount 0
        }

        It 'without a zone, training on rows that repeat the hour warns that they are interleaved and names -TimeZone' -Skip:$NoZone {
            # Training sorts each group by time too: the two passes of the hour were interleaved without a word.
            $plain = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty Time
            $rows = @(New-CounterRow -Time $Night -TimeColumn 'Time')
            $null = $rows | Invoke-AutoencoderTraining -Model $plain -Epochs 2 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue
            @($warned | Where-Object { "$_" -like '*repeated hour*' }) | Should -HaveCount 1
            "$($warned | Where-Object { "$_" -like '*repeated hour*' })" | Should -BeLike 'The input: a group steps back in time by 00:59:00*interleaves*New-Autoencoder -TimeZone*'
            # Newest first (a minute back at every row) or a plain night: no such warning.
            [array]::Reverse($rows)
            $quiet = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty Time
            $null = @(New-CounterRow -Time (Get-LocalTime ([datetime]'2026-10-21')) -TimeColumn 'Time') |
                Invoke-AutoencoderTraining -Model $quiet -Epochs 2 -ThreadCount 1 -WarningVariable none -WarningAction SilentlyContinue
            @($none | Where-Object { "$_" -like '*repeated hour*' }) | Should -HaveCount 0
            # A row a minute late in a plain day (it comes after the next one) is no repeated hour.
            $jitter = @(New-CounterRow -Time (Get-LocalTime ([datetime]'2026-10-21')) -TimeColumn 'Time')
            $late = $jitter[99]; $jitter[99] = $jitter[100]; $jitter[100] = $late
            $jittery = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty Time
            $null = $jitter | Invoke-AutoencoderTraining -Model $jittery -Epochs 2 -ThreadCount 1 -WarningVariable jitterWarned -WarningAction SilentlyContinue
            @($jitterWarned | Where-Object { "$_" -like '*repeated hour*' }) | Should -HaveCount 0
            # With the zone: read in order, no warning.
            $zoned = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty Time -TimeZone $ZoneId
            $null = New-CounterRow -Time $Night -TimeColumn 'Time' |
                Invoke-AutoencoderTraining -Model $zoned -Epochs 2 -ThreadCount 1 -WarningVariable zonedWarned -WarningAction SilentlyContinue
            @($zonedWarned | Where-Object { "$_" -like '*repeated hour*' }) | Should -HaveCount 0
        }

        It 'keeps a -Path file in true order as it is, with the scores of the piped rows' -Skip:$NoZone {
            $file = Join-Path $TestDrive 'night.csv'
            $out = Join-Path $TestDrive 'night-scored.csv'
            New-CounterRow -Time $Night | Export-Csv -LiteralPath $file -NoTypeInformation -UseQuotes AsNeeded
            Test-Anomaly -Model $Model -Path $file -OutputPath $out -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused | Should -BeNullOrEmpty
            $written = @(Import-Csv -LiteralPath $out)
            # File order: the first pass of 01:00-01:59, then the second, not interleaved by wall-clock time.
            @($written.$Summer) | Should -Be $Night
            $piped = @(New-CounterRow -Time $Night | Test-Anomaly -Model $Model)
            ConvertTo-ScoreText $written | Should -Be (ConvertTo-ScoreText $piped)
        }

        It 'reads a newest-first -Path file''s repeated hour as two passes: the scores of the file in time order' -Skip:$NoZone {
            # Read in file order, every row of the repeated hour came after a later one, so all were read in the first pass
            # and the sort merged the two passes into one hour, without a word (Splunk exports newest first).
            $file = Join-Path $TestDrive 'night-forward.csv'
            $reversedFile = Join-Path $TestDrive 'night-newest-first.csv'
            $rows = @(New-CounterRow -Time $Night)
            # A cycle of 37 minutes, so that a row of the first pass and its time in the second hold different values.
            $counter = '\\web1\Processor(_Total)\% Processor Time'
            for ($i = 0; $i -lt $rows.Count; $i++) { $rows[$i].$counter = (50 + 20 * [math]::Sin(2 * [math]::PI * $i / 37)).ToString('R', [cultureinfo]::InvariantCulture) }
            $rows | Export-Csv -LiteralPath $file -NoTypeInformation -UseQuotes AsNeeded
            $rows[($rows.Count - 1)..0] | Export-Csv -LiteralPath $reversedFile -NoTypeInformation -UseQuotes AsNeeded
            $forward = @(Test-Anomaly -Model $Model -Path $file)
            $reversed = @(Test-Anomaly -Model $Model -Path $reversedFile -WarningVariable warned -WarningAction SilentlyContinue)
            @($warned) | Should -HaveCount 0
            @($reversed.$Summer) | Should -Be $Night
            ConvertTo-ScoreText $reversed | Should -Be (ConvertTo-ScoreText $forward)
            # Training reads it the same way: a model trained on the newest-first file scores as one trained in time order.
            $trained = foreach ($path in $file, $reversedFile) {
                $m = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty $Summer -TimeZone $ZoneId
                Invoke-AutoencoderTraining -Model $m -Path $path -Epochs 2 -ThreadCount 1 -WarningVariable +trainWarned -WarningAction SilentlyContinue | Out-Null
                , (ConvertTo-ScoreText @(Test-Anomaly -Model $m -Path $file -Calibration None))
            }
            @($trainWarned) | Should -HaveCount 0
            $trained[1] | Should -Be $trained[0]
        }

        It 'warns once when a -Path file is shuffled across the repeated hour, saying what to do' -Skip:$NoZone {
            $file = Join-Path $TestDrive 'night-shuffled.csv'
            $random = [System.Random]::new(7)
            New-CounterRow -Time $Night | Sort-Object { $random.Next() } | Export-Csv -LiteralPath $file -NoTypeInformation -UseQuotes AsNeeded
            $null = Test-Anomaly -Model $Model -Path $file -WarningVariable warned -WarningAction SilentlyContinue
            @($warned) | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "*night-shuffled.csv'*which pass of the hour*merged*with their offset*in time order*"
        }

        It 'warns when the rows are in order of their clock times, the two passes side by side (Sort-Object by the time)' -Skip:$NoZone {
            # Read as one pass, equal clock times were the same instant: the passes merged, the window broken, no word.
            $file = Join-Path $TestDrive 'night-by-clock.csv'
            $rows = @(New-CounterRow -Time $Night | Sort-Object { [datetime]$_.$Summer } -Stable)
            $rows | Export-Csv -LiteralPath $file -NoTypeInformation -UseQuotes AsNeeded
            $null = Test-Anomaly -Model $Model -Path $file -WarningVariable warned -WarningAction SilentlyContinue
            @($warned) | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "*night-by-clock.csv'*by their clock times*which pass of the hour*"
            # Training on such rows says so too.
            $fresh = New-Autoencoder -HiddenLayer 6, 3 -Seed 3 -WindowSize 4 -TimeProperty $Summer -TimeZone $ZoneId
            $rows | Invoke-AutoencoderTraining -Model $fresh -Epochs 1 -ThreadCount 1 -WarningVariable trained -WarningAction SilentlyContinue | Out-Null
            @($trained | Where-Object { "$_" -like '*which pass of the hour*' }) | Should -HaveCount 1
        }

        It 'scores a winter-named perfmon export with a model trained on a summer-named one' -Skip:$NoZone {
            $file = Join-Path $TestDrive 'winter.csv'
            New-CounterRow -Time $Night -TimeColumn $Winter | Export-Csv -LiteralPath $file -NoTypeInformation -UseQuotes AsNeeded
            $scored = @(Test-Anomaly -Model $Model -Path $file -ErrorVariable refused -ErrorAction SilentlyContinue)
            $refused | Should -BeNullOrEmpty
            @($scored | Where-Object AnomalyStatus -eq 'Scored').Count | Should -Be 297
            # Piped too.
            @(New-CounterRow -Time $Night -TimeColumn $Winter | Test-Anomaly -Model $Model).Count | Should -Be 300
        }

        It 'writes a summer and a winter export to one -OutputPath, the times under one time column' -Skip:$NoZone {
            $summerFile = Join-Path $TestDrive 'october.csv'
            $winterFile = Join-Path $TestDrive 'november.csv'
            $out = Join-Path $TestDrive 'both-scored.csv'
            $october = @(Get-LocalTime ([datetime]'2026-10-25'))
            New-CounterRow -Time $october | Export-Csv -LiteralPath $summerFile -NoTypeInformation -UseQuotes AsNeeded
            New-CounterRow -Time $Night -TimeColumn $Winter | Export-Csv -LiteralPath $winterFile -NoTypeInformation -UseQuotes AsNeeded
            Test-Anomaly -Model $Model -LiteralPath $summerFile, $winterFile -OutputPath $out -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $written = @(Import-Csv -LiteralPath $out)
            @($written.$Summer) | Should -Be (@($october) + @($Night))
        }

        It 'the scheduled job scores the night over two runs cut inside the repeated hour: nothing refused, no failure' -Skip:$NoZone {
            $folder = Join-Path $TestDrive 'job'
            $null = New-Item -ItemType Directory -Path $folder
            $modelPath = Join-Path $folder 'zone.aemodel'
            Export-Autoencoder -Model $Model -Path $modelPath
            $export = Join-Path $folder 'night.csv'
            $lines = @(New-CounterRow -Time $Night | ConvertTo-Csv -NoTypeInformation -UseQuotes AsNeeded)
            # Line 151 is row 150: 01:30 of the second pass.
            [System.IO.File]::WriteAllLines($export, [string[]]$lines[0..150])
            $job = @{ ModelPath = $modelPath; Path = $export; OutputPath = (Join-Path $folder 'scored.csv'); ThreadCount = 1 }
            $first = Invoke-AnomalyScoring @job -ErrorVariable refused -ErrorAction SilentlyContinue
            [System.IO.File]::AppendAllLines($export, [string[]]$lines[151..($lines.Count - 1)])
            $second = Invoke-AnomalyScoring @job -ErrorVariable +refused -ErrorAction SilentlyContinue
            $refused | Should -BeNullOrEmpty
            $second.ExitCode | Should -Not -Be 2
            $first.RowsScored + $first.RowsWarmingUp + $second.RowsScored + $second.RowsWarmingUp | Should -Be 300
        }
    }

    Context 'the night clocks go forward' {
        It 'reads the skipped hour as no gap: the rows after it keep their window' -Skip:$NoZone {
            $model = New-ZoneModel
            $spring = @(Get-LocalTime ([datetime]'2026-03-08'))
            $scored = @(New-CounterRow -Time $spring | Test-Anomaly -Model $model)
            @($scored | Where-Object AnomalyStatus -eq 'WarmingUp').Count | Should -Be 3
        }
    }
}
