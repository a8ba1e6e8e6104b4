BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-LogExport {
        <#
        .SYNOPSIS
            A seeded synthetic log as Import-Csv gives it (all text), written to a CSV file and read back.
        #>
        param([datetime] $From = '2026-01-05', [int] $Minutes = 60, [int] $Seed = 3)
        $random = [System.Random]::new($Seed)
        $path = Join-Path $TestDrive "log-$Seed-$Minutes.csv"
        $rows = foreach ($minute in 0..($Minutes - 1)) {
            foreach ($i in 1..$random.Next(1, 4)) {
                [pscustomobject][ordered]@{
                    TimeCreated = $From.AddMinutes($minute).AddSeconds($random.Next(60)).ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
                    Level       = ('Information', 'Warning', 'Error')[$random.Next(3)]
                    EventId     = 4624 + $random.Next(2)
                    duration_ms = (10 + $random.Next(90)).ToString([cultureinfo]::InvariantCulture)
                }
            }
        }
        $rows | Export-Csv -LiteralPath $path
        Import-Csv -LiteralPath $path
    }

    function Get-Bucket([object[]] $Log, [datetime] $Start, [timespan] $Interval) {
        # What a window must hold, computed the slow way.
        $Log | Where-Object { $t = [datetime]::Parse($_.TimeCreated, [cultureinfo]::InvariantCulture); $t -ge $Start -and $t -lt $Start + $Interval }
    }
}

Describe 'ConvertTo-LogWindow' {
    Context 'a generated log export' {
        BeforeAll {
            $script:log = @(New-LogExport -Minutes 60)
            $script:windows = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -CountBy Level, EventId -Measure duration_ms)
        }

        It 'writes one row per interval with the type name and the columns in a stable order' {
            $windows | Should -HaveCount 6
            $windows[0].PSObject.TypeNames[0] | Should -Be 'AutoencoderPS.LogWindow'
            @($windows[0].PSObject.Properties.Name) | Should -Be @(
                'IntervalStart', 'EventCount', 'Level=Error', 'Level=Information', 'Level=Warning', 'Level=(other)',
                'EventId=4624', 'EventId=4625', 'EventId=(other)', 'duration_ms.Min', 'duration_ms.Mean', 'duration_ms.Max')
            $windows[0].IntervalStart | Should -BeOfType [datetime]
            $windows.IntervalStart | Should -Be (0..5 | ForEach-Object { ([datetime]'2026-01-05').AddMinutes(10 * $_) })
        }

        It 'counts the events per interval and per value' {
            foreach ($w in $windows) {
                $events = @(Get-Bucket $log $w.IntervalStart ([timespan]'00:10:00'))
                $w.EventCount | Should -Be $events.Count
                $w.'Level=Error' | Should -Be @($events | Where-Object Level -EQ 'Error').Count
                $w.'Level=Warning' | Should -Be @($events | Where-Object Level -EQ 'Warning').Count
                $w.'EventId=4625' | Should -Be @($events | Where-Object EventId -EQ '4625').Count
                $w.'Level=(other)' | Should -Be 0
                $w.'Level=Error' + $w.'Level=Information' + $w.'Level=Warning' | Should -Be $w.EventCount
            }
            ($windows | Measure-Object EventCount -Sum).Sum | Should -Be $log.Count
        }

        It 'gives min, mean and max of the measured property' {
            foreach ($w in $windows) {
                $values = @(Get-Bucket $log $w.IntervalStart ([timespan]'00:10:00') | ForEach-Object { [double]$_.duration_ms })
                $stats = $values | Measure-Object -Minimum -Maximum -Average
                $w.'duration_ms.Min' | Should -Be $stats.Minimum
                $w.'duration_ms.Max' | Should -Be $stats.Maximum
                $w.'duration_ms.Mean' | Should -BeGreaterOrEqual ($stats.Average - 1e-9)
                $w.'duration_ms.Mean' | Should -BeLessOrEqual ($stats.Average + 1e-9)
            }
        }

        It 'measures a duration (a TimeSpan property) in seconds' {
            # Each event was an InvalidLogMeasure error ('is not a number'), and the window's min, mean and max were empty.
            $timed = @(0..11 | ForEach-Object { [pscustomobject]@{ TimeCreated = [datetime]'2026-03-02 08:00' + [timespan]::FromMinutes($_); Took = [timespan]::FromMilliseconds(100 * ($_ + 1)) } })
            $errs = $null
            $w = @($timed | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -Measure Took -ErrorVariable errs)
            $errs | Should -HaveCount 0
            $w[0].'Took.Min' | Should -Be 0.1
            $w[0].'Took.Max' | Should -Be 1.0
            $w[1].'Took.Max' | Should -Be 1.2
        }

        It 'gives the same rows whatever the order of the records' {
            $shuffled = $log | Sort-Object { [System.Random]::new($log.IndexOf($_)).Next() }
            $again = @($shuffled | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -CountBy Level, EventId -Measure duration_ms)
            ($again | ConvertTo-Json -Compress) | Should -Be ($windows | ConvertTo-Json -Compress)
        }
    }

    Context 'empty intervals' {
        It 'emits silent intervals with zero counts and null measures, also at the -Start and -End edges' {
            $log = @(New-LogExport -Minutes 60) | Where-Object { $_.TimeCreated -notlike '2026-01-05 00:2*' }
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -CountBy Level -Measure duration_ms `
                    -Start '2026-01-04 23:30' -End '2026-01-05 01:30')
            $w | Should -HaveCount 12
            $w[0].IntervalStart | Should -Be ([datetime]'2026-01-04 23:30')
            $w[-1].IntervalStart | Should -Be ([datetime]'2026-01-05 01:20')
            foreach ($silent in $w | Where-Object { $_.IntervalStart -lt [datetime]'2026-01-05' -or $_.IntervalStart -ge [datetime]'2026-01-05 01:00' -or $_.IntervalStart -eq [datetime]'2026-01-05 00:20' }) {
                $silent.EventCount | Should -Be 0
                $silent.'Level=Error' | Should -Be 0
                $silent.'Level=(other)' | Should -Be 0
                $silent.'duration_ms.Mean' | Should -BeNullOrEmpty
            }
            @($w | Where-Object EventCount -EQ 0) | Should -HaveCount 7
        }

        It 'leaves out records outside -Start and -End' {
            $log = @(New-LogExport -Minutes 60)
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -Start '2026-01-05 00:20' -End '2026-01-05 00:40')
            $w | Should -HaveCount 2
            ($w | Measure-Object EventCount -Sum).Sum | Should -Be @(Get-Bucket $log ([datetime]'2026-01-05 00:20') ([timespan]'00:20:00')).Count
        }
    }

    Context 'times that state their instant (offsets, Z, DateTime of kind Utc or Local)' {
        BeforeAll {
            function New-OffsetLog([datetimeoffset] $From, [int] $Minutes, [string] $Zone = 'Europe/Berlin') {
                # One record a minute of real instants, written as nginx writes them: the zone's clock time and its offset.
                $tz = [TimeZoneInfo]::FindSystemTimeZoneById($Zone)
                foreach ($m in 0..($Minutes - 1)) {
                    $t = [TimeZoneInfo]::ConvertTime($From.AddMinutes($m).AddSeconds(30), $tz)
                    [pscustomobject]@{ Time = $t.ToString('dd/MMM/yyyy:HH:mm:ss ', [cultureinfo]::InvariantCulture) + $t.ToString('zzz', [cultureinfo]::InvariantCulture).Replace(':', ''); Status = '200' }
                }
            }
            $script:pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        }

        It 'windows them by their instant across the spring change: no silent hour' {
            # 2026-03-29 in Berlin: 02:00 +01:00 is 03:00 +02:00. Four hours of instants, a record a minute.
            $log = @(New-OffsetLog '2026-03-29T00:00:00+01:00' 240)
            $log[119].Time | Should -Be '29/Mar/2026:01:59:30 +0100'
            $log[120].Time | Should -Be '29/Mar/2026:03:00:30 +0200'
            $w = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval 00:05:00 -TimeZone 'Europe/Berlin')
            $w | Should -HaveCount 48
            @($w | Where-Object EventCount -NE 5) | Should -BeNullOrEmpty
            $w[0].IntervalStart | Should -BeOfType [datetimeoffset]
            $w[23].IntervalStart | Should -Be ([datetimeoffset]'2026-03-29T01:55:00+01:00')
            $w[24].IntervalStart | Should -Be ([datetimeoffset]'2026-03-29T03:00:00+02:00')
            $w[24].IntervalStart.Offset | Should -Be ([timespan]'02:00:00')
            $w[24].IntervalStart.Hour | Should -Be 3
        }

        It 'windows them by their instant across the autumn change: the repeated hour twice, not doubled' {
            # 2026-10-25 in Berlin: 03:00 +02:00 is 02:00 +01:00.
            $log = @(New-OffsetLog '2026-10-25T00:00:00+02:00' 300)
            $w = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval 00:15:00 -TimeZone 'Europe/Berlin')
            $w | Should -HaveCount 20
            @($w | Where-Object EventCount -NE 15) | Should -BeNullOrEmpty
            @($w | Where-Object { $_.IntervalStart.Hour -eq 2 }).Count | Should -Be 8
            $w[8].IntervalStart | Should -Be ([datetimeoffset]'2026-10-25T02:00:00+02:00')
            $w[12].IntervalStart | Should -Be ([datetimeoffset]'2026-10-25T02:00:00+01:00')
        }

        # Windows of instants were multiples of the interval in UTC: a daily window in Berlin started at 01:00, an hourly
        # one in India at :30. They are now multiples on the zone's standard-time clock, every window as long as the next.
        It 'starts daily windows at the zone''s midnight and hourly ones on its hour, also half an hour off UTC' {
            $log = 0..47 | ForEach-Object { [pscustomobject]@{ Time = [datetimeoffset]::new(2026, 1, 12, 0, 0, 0, [timespan]::Zero).AddMinutes(30 * $_ + 7) } }
            $days = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval 1.00:00:00 -TimeZone 'Europe/Berlin')
            $days | Should -HaveCount 2
            $days[0].IntervalStart | Should -Be ([datetimeoffset]'2026-01-12T00:00:00+01:00')
            $days[0].EventCount | Should -Be 46
            $hours = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval 01:00:00 -TimeZone 'Asia/Kolkata')
            @($hours | Where-Object { $_.IntervalStart.Minute -ne 0 }) | Should -BeNullOrEmpty
            $hours[0].IntervalStart | Should -Be ([datetimeoffset]'2026-01-12T05:00:00+05:30')
            @($hours | Where-Object EventCount -NE 2).Count | Should -BeLessOrEqual 2
        }

        It 'puts the same instant written by hosts in different zones in the same window' {
            $w = @([pscustomobject]@{ T = '2026-12-07T04:01:02Z'; Host = 'utc-host' }, [pscustomobject]@{ T = '2026-12-07T05:01:02+01:00'; Host = 'cet-host' },
                [pscustomobject]@{ T = '2026-12-07T05:01:02Z'; Host = 'utc-host' } |
                ConvertTo-LogWindow -TimeProperty T -Interval 01:00:00 -CountBy Host -TimeZone UTC)
            $w | Should -HaveCount 2
            $w[0].IntervalStart | Should -Be ([datetimeoffset]'2026-12-07T04:00:00Z')
            $w[0].EventCount | Should -Be 2
            $w[0].'Host=cet-host' | Should -Be 1
            $w[1].EventCount | Should -Be 1
        }

        It 'reads clock times without an offset in -TimeZone: no silent hour in spring, two passes in autumn' {
            $tz = [TimeZoneInfo]::FindSystemTimeZoneById('Europe/Berlin')
            $spring = foreach ($m in 0..239) { [pscustomobject]@{ Time = [TimeZoneInfo]::ConvertTime(([datetimeoffset]'2026-03-29T00:00:30+01:00').AddMinutes($m), $tz).ToString('yyyy-MM-dd HH:mm:ss') } }
            $w = @($spring | ConvertTo-LogWindow -TimeProperty Time -Interval 00:15:00 -TimeZone 'Europe/Berlin')
            $w | Should -HaveCount 16
            @($w | Where-Object EventCount -NE 15) | Should -BeNullOrEmpty
            # Without the zone the clock times are windowed as written (as before): the skipped hour is 4 silent windows.
            $clock = @($spring | ConvertTo-LogWindow -TimeProperty Time -Interval 00:15:00)
            @($clock | Where-Object EventCount -EQ 0) | Should -HaveCount 4
            $clock[0].IntervalStart | Should -BeOfType [datetime]

            $autumn = foreach ($m in 0..299) { [pscustomobject]@{ Time = [TimeZoneInfo]::ConvertTime(([datetimeoffset]'2026-10-25T00:00:30+02:00').AddMinutes($m), $tz).ToString('yyyy-MM-dd HH:mm:ss') } }
            $w = @($autumn | ConvertTo-LogWindow -TimeProperty Time -Interval 00:15:00 -TimeZone 'Europe/Berlin')
            $w | Should -HaveCount 20
            @($w | Where-Object EventCount -NE 15) | Should -BeNullOrEmpty
        }

        It 'takes -Start and -End as DateTimeOffsets, such as the IntervalStart of windows it wrote, as their instants' {
            $log = @(New-OffsetLog '2026-03-02T00:00:00+01:00' 120)
            $all = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval 00:15:00 -TimeZone 'Europe/Berlin')
            $all | Should -HaveCount 8
            $w = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval 00:15:00 -TimeZone 'Europe/Berlin' -Start $all[2].IntervalStart -End ([datetimeoffset]'2026-03-02T00:15:00Z'))
            $w | Should -HaveCount 3
            $w[0].IntervalStart | Should -Be ([datetimeoffset]'2026-03-02T00:30:00+01:00')
            $w[2].IntervalStart | Should -Be ([datetimeoffset]'2026-03-02T01:00:00+01:00')
            @($w | Where-Object EventCount -NE 15) | Should -BeNullOrEmpty
        }

        It 'refuses a clock time the zone skips, and a clock time among instants without -TimeZone' {
            $w = @([pscustomobject]@{ Time = '2026-03-29 01:59:00' }, [pscustomobject]@{ Time = '2026-03-29 02:30:00' }, [pscustomobject]@{ Time = '2026-03-29 03:01:00' } |
                ConvertTo-LogWindow -TimeProperty Time -Interval 01:00:00 -TimeZone 'Europe/Berlin' -ErrorVariable bad -ErrorAction SilentlyContinue)
            $bad | Should -HaveCount 1
            $bad[0].FullyQualifiedErrorId | Should -BeLike 'TimeValueNonexistent,*'
            "$($bad[0])" | Should -BeLike "Row 2: *'2026-03-29 02:30:00'*Europe/Berlin*"
            ($w | Measure-Object EventCount -Sum).Sum | Should -Be 2

            $w = @([pscustomobject]@{ Time = '2026-12-07T00:01:00Z' }, [pscustomobject]@{ Time = '2026-12-07 00:02:00' }, [pscustomobject]@{ Time = '2026-12-07T00:03:00Z' } |
                ConvertTo-LogWindow -TimeProperty Time -Interval 01:00:00 -ErrorVariable bad -ErrorAction SilentlyContinue)
            $bad | Should -HaveCount 1
            $bad[0].FullyQualifiedErrorId | Should -BeLike 'LogTimeWithoutOffset,*'
            $bad[0].TargetObject.Time | Should -Be '2026-12-07 00:02:00'
            $bad[0].ErrorDetails.RecommendedAction | Should -BeLike '*-TimeZone*'
            ($w | Measure-Object EventCount -Sum).Sum | Should -Be 2
        }

        It 'writes windows whose clock time and offset come back from Export-Csv and Import-Csv' {
            $w = @(New-OffsetLog '2026-10-25T01:00:00+02:00' 180 | ConvertTo-LogWindow -TimeProperty Time -Interval 01:00:00 -TimeZone 'Europe/Berlin')
            $path = Join-Path $TestDrive 'windows-tz.csv'
            $w | Export-Csv -LiteralPath $path
            $back = @(Import-Csv -LiteralPath $path)
            for ($i = 0; $i -lt $w.Count; $i++) {
                $written = [datetime]::MinValue; $instant = $null
                [AutoencoderPS.Engine.Features.TimestampParser]::TryRead($back[$i].IntervalStart, [cultureinfo]::InvariantCulture, [ref] $written, [ref] $instant) | Should -BeTrue
                $written | Should -Be $w[$i].IntervalStart.DateTime   # the clock time: what hour features read
                $instant | Should -Be $w[$i].IntervalStart.UtcDateTime
            }
            @($back.IntervalStart | Select-Object -Unique) | Should -HaveCount 3
        }

        It 'windows Get-WinEvent times (kind Local) by their instant, and compares -Start/-End given in UTC as instants (TZ=Europe/Berlin)' -Skip:$IsWindows {
            $child = Join-Path $TestDrive 'berlin.ps1'
            Set-Content -LiteralPath $child -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:AUTOENCODERPS_MODULE
$utc = [datetime]::SpecifyKind([datetime]'2026-03-28T23:00:00', 'Utc')
# Get-WinEvent's TimeCreated: this machine's local time, kind Local; a record a minute over the spring change.
$events = foreach ($m in 0..359) { [pscustomobject]@{ TimeCreated = $utc.AddMinutes($m).AddSeconds(20).ToLocalTime(); Id = 4624 } }
$w = @($events | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval 00:15:00 -CountBy Id -Start '2026-03-29' -End '2026-03-29T05:00')
"spring $($w.Count) $(@($w | Where-Object EventCount -EQ 0).Count) $($w[0].IntervalStart.ToString('o')) $($w[-1].IntervalStart.ToString('o'))"
# Records in UTC text, -Start/-End in UTC text: PowerShell binds them as local DateTimes (01:00 here).
$recs = foreach ($m in 0..59) { [pscustomobject]@{ T = ([datetime]'2026-12-07').AddMinutes($m).ToString('yyyy-MM-ddTHH:mm:ssZ') } }
$w = @($recs | ConvertTo-LogWindow -TimeProperty T -Interval 00:15:00 -Start '2026-12-07T00:00:00Z' -End '2026-12-07T01:00:00Z' -WarningVariable wv -WarningAction SilentlyContinue)
"utc $($w.Count) $(($w | Measure-Object EventCount -Sum).Sum) $($w[0].IntervalStart.ToString('o'))"
# Every record outside the range: said.
$w = @($recs | ConvertTo-LogWindow -TimeProperty T -Interval 00:15:00 -Start '2026-12-08T00:00:00Z' -End '2026-12-08T01:00:00Z' -WarningVariable wv -WarningAction SilentlyContinue)
"outside $($w.Count) $(($w | Measure-Object EventCount -Sum).Sum)"
"warning $wv"
'@
            $saved = $env:TZ
            try { $env:TZ = 'Europe/Berlin'; $out = & $pwsh -NoProfile -NonInteractive -File $child 2>&1 | Out-String }
            finally { $env:TZ = $saved }
            # 00:00-05:00 Berlin on the change day is 4 hours of instants: 16 quarter-hours, none silent.
            $out | Should -Match 'spring 16 0 2026-03-29T00:00:00\.0000000\+01:00 2026-03-29T04:45:00\.0000000\+02:00'
            $out | Should -Match 'utc 4 60 2026-12-07T01:00:00\.0000000\+01:00'
            $out | Should -Match 'outside 4 0'
            $out | Should -Match 'warning All 60 record\(s\) fell outside -Start/-End .*2026-12-07 01:00:00 \+01:00 to 2026-12-07 01:59:00 \+01:00'
        }

        It 'reads a DateTimeOffset -Start/-End as the same text is read: on clock times, as this computer''s clock (TZ=Europe/Berlin)' -Skip:$IsWindows {
            $child = Join-Path $TestDrive 'offsetbound.ps1'
            Set-Content -LiteralPath $child -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $env:AUTOENCODERPS_MODULE
# Clock times without an offset (a local log), 10:00-10:59.
$clock = foreach ($m in 0..59) { [pscustomobject]@{ T = ([datetime]'2026-11-30T10:00').AddMinutes($m).ToString('yyyy-MM-dd HH:mm:ss') } }
$w = @($clock | ConvertTo-LogWindow -TimeProperty T -Interval 00:15:00 -Start ([datetimeoffset]'2026-11-30T10:00:00+01:00') -End ([datetimeoffset]'2026-11-30T11:00:00+01:00'))
"clock $($w.Count) $(@($w | Where-Object EventCount -EQ 0).Count) $($w[0].IntervalStart.ToString('s'))"
# Times with an offset: the bound is its instant, whatever offset it is written in.
$instants = foreach ($m in 0..59) { [pscustomobject]@{ T = ([datetimeoffset]'2026-11-30T10:00:00+01:00').AddMinutes($m) } }
$w = @($instants | ConvertTo-LogWindow -TimeProperty T -Interval 00:15:00 -Start ([datetimeoffset]'2026-11-30T14:30:00+05:30') -End ([datetimeoffset]'2026-11-30T10:00:00Z'))
"instants $($w.Count) $(@($w | Where-Object EventCount -EQ 0).Count) $($w[0].IntervalStart.ToString('o'))"
'@
            $saved = $env:TZ
            try { $env:TZ = 'Europe/Berlin'; $out = & $pwsh -NoProfile -NonInteractive -File $child 2>&1 | Out-String }
            finally { $env:TZ = $saved }
            # 10:00+01:00 is 10:00 on this computer's clock, as the text '2026-11-30T10:00:00+01:00' binds: no hour of silent windows before the log.
            $out | Should -Match 'clock 4 0 2026-11-30T10:00:00'
            $out | Should -Match 'instants 4 0 2026-11-30T10:00:00\.0000000\+01:00'
        }
    }

    Context '-GroupBy' {
        It 'writes a row per interval and group, in time order, with every group in every interval' {
            $random = [System.Random]::new(5)
            $log = foreach ($i in 1..200) {
                [pscustomobject]@{ Time = ([datetime]'2026-01-05').AddMinutes($random.Next(0, 60)); Host = ('web01', 'web02', 'db01')[$random.Next(3)] }
            }
            # web02 is silent from 00:30 on.
            $log = @($log | Where-Object { -not ($_.Host -eq 'web02' -and $_.Time.Minute -ge 30) })
            $w = @($log | ConvertTo-LogWindow -TimeProperty Time -Interval '00:15:00' -GroupBy Host)
            $w | Should -HaveCount 12
            @($w[0].PSObject.Properties.Name) | Should -Be @('IntervalStart', 'Host', 'EventCount')
            $w.Host | Should -Be (@('db01', 'web01', 'web02') * 4)
            foreach ($g in 'db01', 'web01', 'web02') {
                $rows = @($w | Where-Object Host -EQ $g)
                $rows.IntervalStart | Should -Be (0..3 | ForEach-Object { ([datetime]'2026-01-05').AddMinutes(15 * $_) })
                for ($i = 0; $i -lt 4; $i++) {
                    $rows[$i].EventCount | Should -Be @($log | Where-Object { $_.Host -eq $g -and [math]::Floor($_.Time.Minute / 15) -eq $i }).Count
                }
            }
            @($w | Where-Object { $_.Host -eq 'web02' -and $_.IntervalStart.Minute -ge 30 }).Count | Should -Be 2
            @($w | Where-Object { $_.Host -eq 'web02' -and $_.IntervalStart.Minute -ge 30 -and $_.EventCount -eq 0 }).Count | Should -Be 2
        }
    }

    Context '-Model' {
        It 'keeps exactly the model''s count columns and counts unseen values in (other)' {
            $train = @(New-LogExport -Minutes 120 -Seed 1 | Where-Object Level -NE 'Error')
            $windows = @($train | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -CountBy Level, EventId)
            @($windows[0].PSObject.Properties.Name) | Should -Be @('IntervalStart', 'EventCount', 'Level=Information', 'Level=Warning', 'Level=(other)', 'EventId=4624', 'EventId=4625', 'EventId=(other)')
            $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            $windows | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 | Out-Null

            $score = @(New-LogExport -Minutes 30 -Seed 2)
            # In time order: the windows are written as the records pass them (a record of one written already would not count).
            $score = @($score + [pscustomobject]@{ TimeCreated = '2026-01-05 00:05:00'; Level = 'Critical'; EventId = '1102'; duration_ms = '1' } | Sort-Object TimeCreated)
            $w = @($score | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -CountBy Level, EventId -Model $model)
            @($w[0].PSObject.Properties.Name) | Should -Be @('IntervalStart', 'EventCount', 'Level=Information', 'Level=Warning', 'Level=(other)', 'EventId=4624', 'EventId=4625', 'EventId=(other)')
            $first = @($score | Where-Object { $_.TimeCreated -lt '2026-01-05 00:10' })
            $w[0].'Level=(other)' | Should -Be @($first | Where-Object Level -In 'Error', 'Critical').Count
            $w[0].'EventId=(other)' | Should -Be 1
            $w[0].'Level=Information' + $w[0].'Level=Warning' + $w[0].'Level=(other)' | Should -Be $w[0].EventCount

            # Without -Model the new values are columns of their own, and (other) is there, unused.
            $own = @($score | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:10:00' -CountBy Level)
            @($own[0].PSObject.Properties.Name) | Should -Be @('IntervalStart', 'EventCount', 'Level=Critical', 'Level=Error', 'Level=Information', 'Level=Warning', 'Level=(other)')
            $own.'Level=(other)' | Should -Be @(0, 0, 0)
        }

        It 'warns when the model lacks the count features of a -CountBy property' {
            $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            New-MetricRow -Count 50 | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 | Out-Null
            $null = New-LogExport -Minutes 10 | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -CountBy Level -Model $model -WarningVariable warnings -WarningAction SilentlyContinue
            ($warnings -join "`n") | Should -Match "no count features of 'Level'"
            ($warnings -join "`n") | Should -Match "'cpu'"
        }

        It 'learns a numeric -GroupBy (shard 1, 2, 3) as the groups it is, also through Export-Csv, so a silent shard still gets rows' {
            function New-ShardLog([datetime] $From, [int] $Hours, [int[]] $Shards) {
                foreach ($h in 0..($Hours - 1)) { foreach ($s in $Shards) { foreach ($i in 1..3) {
                    [pscustomobject]@{ Time = $From.AddHours($h).AddMinutes(10 * $i); Shard = $s; Level = 'Info' } } } }
            }
            $window = @{ TimeProperty = 'Time'; Interval = '01:00:00'; CountBy = 'Level'; GroupBy = 'Shard' }
            $train = @(New-ShardLog '2026-01-05' 24 1, 2, 3 | ConvertTo-LogWindow @window)
            $path = Join-Path $TestDrive 'shard-windows.csv'
            $train | Export-Csv -LiteralPath $path
            foreach ($rows in @($train), @(Import-Csv -LiteralPath $path)) {
                $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
                $rows | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 | Out-Null
                $shard = Get-AutoencoderFeature -Model $model | Where-Object Name -EQ 'Shard'
                $shard.Role | Should -Be 'Categorical'
                # Shard 3 sends nothing on the scored day: its rows are there, with zero counts.
                $w = @(New-ShardLog '2026-01-06' 2 1, 2 | ConvertTo-LogWindow @window -Model $model -Start '2026-01-06' -End '2026-01-06 02:00')
                $w.Shard | Should -Be @('1', '2', '3', '1', '2', '3')
                @($w | Where-Object Shard -EQ '3').EventCount | Should -Be @(0, 0)
            }
            # A model that reads the group column as numbers (another column order: no log windows' shape) is said to.
            $numeric = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            $train | Select-Object Shard, IntervalStart, EventCount, 'Level=Info' | Invoke-AutoencoderTraining -Model $numeric -Epochs 2 -ThreadCount 1 | Out-Null
            (Get-AutoencoderFeature -Model $numeric | Where-Object Name -EQ 'Shard').Role | Should -Be 'Numeric'
            $null = New-ShardLog '2026-01-06' 2 1, 2 | ConvertTo-LogWindow @window -Model $numeric -WarningVariable warnings -WarningAction SilentlyContinue
            ($warnings -join "`n") | Should -Match "reads the group column 'Shard' as numbers"
        }

        It 'refuses another -Interval than the windows the model was trained on, also after Export-Csv and a saved model' {
            $log = @(New-LogExport -Minutes 240 -Seed 4)
            $window = @{ TimeProperty = 'TimeCreated'; CountBy = 'Level' }
            $train = @($log | ConvertTo-LogWindow @window -Interval 00:05:00)
            $csv = Join-Path $TestDrive 'windows-5min.csv'
            $train | Export-Csv -LiteralPath $csv
            $fromPipe = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            $train | Invoke-AutoencoderTraining -Model $fromPipe -Epochs 2 -ThreadCount 1 | Out-Null
            $fromCsv = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            Import-Csv -LiteralPath $csv | Invoke-AutoencoderTraining -Model $fromCsv -Epochs 2 -ThreadCount 1 | Out-Null
            $file = Join-Path $TestDrive 'windows-5min.aemodel'
            Export-Autoencoder -Model $fromPipe -LiteralPath $file
            $saved = Import-Autoencoder -LiteralPath $file
            foreach ($model in $fromPipe, $fromCsv, $saved) {
                @($log | ConvertTo-LogWindow @window -Interval 00:05:00 -Model $model) | Should -HaveCount 48
                $thrown = $null
                try { $log | ConvertTo-LogWindow @window -Interval 00:15:00 -Model $model | Out-Null } catch { $thrown = $_ }
                $thrown.FullyQualifiedErrorId | Should -Be 'LogIntervalMismatch,AutoencoderPS.Commands.ConvertToLogWindowCommand'
                $thrown.TargetObject | Should -Be ([timespan]'00:15:00')
                "$thrown" | Should -BeLike '*trained on log windows of 00:05:00, and -Interval is 00:15:00*'
            }
        }
    }

    Context 'bad records' {
        It 'reports records without a readable time as InvalidLogTimestamp errors and goes on' {
            $log = @(
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:01:00'; Level = 'Information' }
                [pscustomobject]@{ TimeCreated = 'yesterday'; Level = 'Error' }
                [pscustomobject]@{ When = '2026-01-05 00:02:00'; Level = 'Error' }
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:07:00'; Level = 'Warning' }
            )
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -CountBy Level -ErrorVariable errors -ErrorAction SilentlyContinue)
            $errors | Should -HaveCount 2
            $errors | ForEach-Object {
                $_.FullyQualifiedErrorId | Should -BeLike 'InvalidLogTimestamp,*'
                $_.CategoryInfo.Category | Should -Be 'InvalidData'
            }
            $errors[0].TargetObject | Should -Be $log[1]
            $errors[0].ToString() | Should -Match "Row 2: property 'TimeCreated' has the value 'yesterday'"
            $errors[1].TargetObject | Should -Be $log[2]
            $errors[1].ToString() | Should -Match "Row 3: the record has no property 'TimeCreated'"
            $w | Should -HaveCount 2
            $w | ForEach-Object EventCount | Should -Be @(1, 1)
            @($w[0].PSObject.Properties.Name) | Should -Not -Contain 'Level=Error'
        }

        It 'refuses a time of day without its date (a W3C or IIS log''s time field), and stops when every record has one' {
            # Before: 72 records of 3 days became 24 rows dated the day the command ran, with EventCount 3, without a word.
            $records = foreach ($d in 28, 29, 30) { foreach ($h in 0..23) { [pscustomobject]@{ date = "2026-11-$d"; time = ('{0:00}:15:00' -f $h); status = 200 } } }
            $rowErrors = $null
            $thrown = $null
            $windows = $null
            try { $windows = @($records | ConvertTo-LogWindow -TimeProperty time -Interval 01:00:00 -ErrorVariable rowErrors -ErrorAction SilentlyContinue) } catch { $thrown = $_ }
            $windows | Should -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -Be 'TimeWithoutDate,AutoencoderPS.Commands.ConvertToLogWindowCommand'
            "$thrown" | Should -BeLike "Stopped after 10 records in a row whose property 'time' is a time of day without a date*The first of them: Row 1: property 'time' has the value '00:15:00'*"
            $perRow = @($rowErrors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and "$_" -like 'Row *' })
            $perRow | Should -HaveCount 10
            $perRow[0].FullyQualifiedErrorId | Should -BeLike 'TimeWithoutDate,*'
            $perRow[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $perRow[0].TargetObject | Should -Be $records[0]
            "$($perRow[1])" | Should -BeLike "Row 2: property 'time' has the value '01:15:00', which is not a date and time*time of day without a date*"
            "$($perRow[1])".Contains('Select-Object *, @{n=''timestamp''; e={ "$($_.date) $($_.time)" }}') | Should -BeTrue

            # As the error says: the date and the time combined are read, each record at its own hour.
            $combined = @($records | Select-Object *, @{n = 'timestamp'; e = { "$($_.date) $($_.time)" } } | ConvertTo-LogWindow -TimeProperty timestamp -Interval 01:00:00)
            $combined | Should -HaveCount 72
            $combined[0].IntervalStart | Should -Be ([datetime]'2026-11-28 00:00')
            $combined[-1].IntervalStart | Should -Be ([datetime]'2026-11-30 23:00')
            @($combined | Where-Object EventCount -ne 1) | Should -BeNullOrEmpty
        }

        It 'refuses a record or two whose time has no date, and counts the others' {
            $log = @(
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:01:00' }
                [pscustomobject]@{ TimeCreated = '00:02:00' }
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:07:00' }
            )
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -ErrorVariable errors -ErrorAction SilentlyContinue)
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TimeWithoutDate,*'
            $errors[0].TargetObject | Should -Be $log[1]
            $w | ForEach-Object EventCount | Should -Be @(1, 1)
            $w[0].IntervalStart | Should -Be ([datetime]'2026-01-05 00:00')
        }

        It 'says which -Culture reads a day-first date' {
            $log = @([pscustomobject]@{ TimeCreated = '13/12/2026 10:00' })
            $null = $log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '01:00:00' -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLogTimestamp,*'
            "$($errors[0])" | Should -BeLike "*'13/12/2026 10:00', which is not a date and time: the invariant culture reads dates month first*day first (13 December 2026): give -Culture en-GB*"
            ($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '01:00:00' -Culture en-GB).IntervalStart | Should -Be ([datetime]'2026-12-13 10:00')
        }

        It 'warns once when a day-first week is read month first' {
            $log = @(for ($i = 0; $i -lt 7 * 4; $i++) { [pscustomobject]@{ TimeCreated = [datetime]::new(2026, 12, 1).AddHours(6 * $i).ToString('dd/MM/yyyy HH:mm', [cultureinfo]::InvariantCulture) } })
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '1.00:00:00' -WarningVariable warnings -WarningAction SilentlyContinue)
            $w[0].IntervalStart | Should -Be ([datetime]'2026-01-12')
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike "Every date in column 'TimeCreated' reads both ways*-Culture en-GB*"
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '1.00:00:00' -Culture en-GB -WarningVariable warnings)
            $warnings | Should -BeNullOrEmpty
            $w | Should -HaveCount 7
            $w | ForEach-Object EventCount | Should -Be @(4, 4, 4, 4, 4, 4, 4)
        }

        It 'reports a measure that is not a number and counts the record without it' {
            $log = @(
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:01:00'; duration_ms = '12.5' }
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:02:00'; duration_ms = 'slow' }
                [pscustomobject]@{ TimeCreated = '2026-01-05 00:03:00'; duration_ms = '' }
            )
            $w = @($log | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -Measure duration_ms -ErrorVariable errors -ErrorAction SilentlyContinue)
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLogMeasure,*'
            $errors[0].ToString() | Should -Match "Row 2: property 'duration_ms' has the value 'slow'"
            $w[0].EventCount | Should -Be 3
            $w[0].'duration_ms.Mean' | Should -Be 12.5
        }

        It 'reads text in the -Culture' {
            $log = @(
                [pscustomobject]@{ Zeit = '05.01.2026 00:01:00'; Dauer = '1,5' }
                [pscustomobject]@{ Zeit = '05.01.2026 00:02:00'; Dauer = '2,5' }
            )
            $w = @($log | ConvertTo-LogWindow -TimeProperty Zeit -Interval '01:00:00' -Measure Dauer -Culture de-DE)
            $w[0].IntervalStart | Should -Be ([datetime]'2026-01-05')
            $w[0].'Dauer.Mean' | Should -Be 2
        }

        It 'stops on a non-positive interval and an -End before -Start' {
            { [pscustomobject]@{ T = [datetime]'2026-01-05' } | ConvertTo-LogWindow -TimeProperty T -Interval 0 } |
                Should -Throw -ErrorId 'InvalidLogInterval,*'
            { [pscustomobject]@{ T = [datetime]'2026-01-05' } | ConvertTo-LogWindow -TimeProperty T -Interval '00:05:00' -Start '2026-01-05' -End '2026-01-04' } |
                Should -Throw -ErrorId 'InvalidLogRange,*'
        }

        It 'warns about a property no record has' {
            $null = New-LogExport -Minutes 5 | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -CountBy Levle -WarningVariable warnings -WarningAction SilentlyContinue
            ($warnings -join "`n") | Should -Match "No input record has a property 'Levle'"
        }
    }

    Context 'a property with a new value in nearly every record' {
        It 'warns that every value became a column and names -MaxValueCount, which keeps the frequent ones' {
            # Messages with a request id: 1,200 values, besides one that recurs.
            $log = foreach ($i in 0..1999) {
                [pscustomobject]@{ T = [datetime]::new(2026, 1, 5).AddSeconds(3 * $i); Message = if ($i % 5) { "Request $i served" } else { 'Heartbeat' } }
            }
            $w = @($log | ConvertTo-LogWindow -TimeProperty T -Interval 01:00:00 -CountBy Message -WarningVariable warnings -WarningAction SilentlyContinue)
            @($w[0].PSObject.Properties).Count | Should -Be 1604
            $warnings | Should -HaveCount 1
            "$warnings" | Should -BeLike "*'Message' has 1601 values, a column each*-MaxValueCount*"
            $w = @($log | ConvertTo-LogWindow -TimeProperty T -Interval 01:00:00 -CountBy Message -MaxValueCount 5 -WarningVariable warnings -WarningAction SilentlyContinue)
            $warnings | Should -BeNullOrEmpty
            $w[0].'Message=Heartbeat' | Should -Be 240
        }
    }

    Context 'JSON logs with nested objects (Fluent Bit''s kubernetes, ECS''s log)' {
        It 'reads a dotted name as a path into nested objects, also of -AsHashtable, and a flat dotted column as itself' {
            $lines = @(
                '{"@timestamp":"2026-03-02T00:00:06.123456789Z","log":{"level":"info"},"kubernetes":{"pod_name":"web-1","labels":{"app":"shop"}},"http":{"duration_ms":12}}'
                '{"@timestamp":"2026-03-02T00:01:06Z","log":{"level":"error"},"kubernetes":{"pod_name":"web-2","labels":{"app":"shop"}},"http":{"duration_ms":30}}'
                '{"@timestamp":"2026-03-02T00:02:06Z","log":{"level":"error"},"kubernetes":{"pod_name":"web-2","labels":{"app":"shop"}},"http":{"duration_ms":null}}'
            )
            foreach ($records in @($lines | ConvertFrom-Json), @($lines | ConvertFrom-Json -AsHashtable)) {
                $w = @($records | ConvertTo-LogWindow -TimeProperty '@timestamp' -Interval 00:05:00 -CountBy log.level, kubernetes.labels.app -GroupBy kubernetes.pod_name `
                    -Measure http.duration_ms -TimeZone UTC -WarningVariable warnings -WarningAction SilentlyContinue)
                $warnings | Should -BeNullOrEmpty
                $w | Should -HaveCount 2
                $w[0].'kubernetes.pod_name' | Should -Be 'web-1'
                $w[1].'log.level=error' | Should -Be 2
                $w[1].'kubernetes.labels.app=shop' | Should -Be 2
                $w[1].'http.duration_ms.Max' | Should -Be 30
            }
            # An export that flattened the names (an ECS CSV) has the dotted name as a column: that is read, as before.
            $flat = [pscustomobject]@{ '@timestamp' = '2026-03-02T00:00:06Z'; 'log.level' = 'warn'; log = [pscustomobject]@{ level = 'info' } }
            $w = @($flat | ConvertTo-LogWindow -TimeProperty '@timestamp' -Interval 00:05:00 -CountBy log.level -TimeZone UTC)
            $w[0].'log.level=warn' | Should -Be 1
            # The time too can be nested (ECS's event.created).
            $w = @($lines | ConvertFrom-Json | Select-Object @{n='event'; e={ [pscustomobject]@{ created = $_.'@timestamp' } }}, log |
                ConvertTo-LogWindow -TimeProperty event.created -Interval 00:05:00 -CountBy log.level -TimeZone UTC)
            $w | Should -HaveCount 1
            $w[0].'log.level=error' | Should -Be 2
        }
    }

    Context 'Get-WinEvent-like objects' {
        It 'reads DateTime, number and nullable properties of event objects' {
            $events = foreach ($i in 0..9) {
                [pscustomobject]@{
                    TimeCreated      = [datetime]::new(2026, 1, 5, 8, $i * 3, 0, [DateTimeKind]::Local)
                    Id               = if ($i % 3) { 4624 } else { 4625 }
                    LevelDisplayName = if ($i -eq 4) { 'Error' } else { 'Information' }
                    ProviderName     = 'Microsoft-Windows-Security-Auditing'
                    MachineName      = 'dc01'
                }
            }
            $w = @($events | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:15:00' -CountBy Id, LevelDisplayName -GroupBy MachineName)
            $w | Should -HaveCount 2
            # A Local DateTime states its instant: the window is that instant, written with this computer's offset.
            $w[0].IntervalStart | Should -BeOfType [datetimeoffset]
            $w[0].IntervalStart.DateTime | Should -Be ([datetime]'2026-01-05 08:00')
            $w[0].IntervalStart.UtcDateTime | Should -Be ([datetime]::new(2026, 1, 5, 8, 0, 0, [DateTimeKind]::Local).ToUniversalTime())
            $w[0].MachineName | Should -Be 'dc01'
            $w[0].EventCount | Should -Be 5
            $w[0].'Id=4625' | Should -Be 2
            $w[0].'Id=4624' | Should -Be 3
            $w[0].'LevelDisplayName=Error' | Should -Be 1
            $w[1].'LevelDisplayName=Error' | Should -Be 0
        }
    }

    Context 'end to end: raw logs to flagged intervals' {
        It 'flags the intervals of an error burst and of a silent period' {
            function New-Log([datetime] $From, [int] $Days, [int] $Seed, [switch] $Incident) {
                $random = [System.Random]::new($Seed)
                foreach ($minute in 0..($Days * 1440 - 1)) {
                    $t = $From.AddMinutes($minute)
                    if ($Incident -and $t.Hour -eq 14) { continue }
                    foreach ($i in 1..$random.Next(2, 6)) {
                        [pscustomobject]@{ Time = $t.AddSeconds($random.Next(60)).ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture)
                            Level = 'Information'; EventId = 1000 + $random.Next(3); duration_ms = 20 + 10 * $random.NextDouble() }
                    }
                    if ($Incident -and $t.Hour -eq 10 -and $t.Minute -lt 30) {
                        [pscustomobject]@{ Time = $t.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture); Level = 'Error'; EventId = 4625; duration_ms = 300 }
                    }
                }
            }
            $window = @{ TimeProperty = 'Time'; Interval = '00:15:00'; CountBy = 'Level', 'EventId'; Measure = 'duration_ms' }
            $model = New-Autoencoder -HiddenLayer 8, 3 -Seed 1
            New-Log -From '2026-01-05' -Days 3 -Seed 1 | ConvertTo-LogWindow @window |
                Invoke-AutoencoderTraining -Model $model -Epochs 30 -ThresholdMethod MeanStd -ThresholdValue 5 -ThreadCount 1 | Out-Null
            $model.Features | Should -Contain 'Level=(other)'
            $model.Features | Should -Not -Contain 'IntervalStart'

            $scored = @(New-Log -From '2026-01-08' -Days 1 -Seed 2 -Incident |
                    ConvertTo-LogWindow @window -Model $model -Start '2026-01-08' -End '2026-01-09' |
                    Test-Anomaly -Model $model -ThreadCount 1)
            $scored | Should -HaveCount 96
            $flagged = @($scored | Where-Object IsAnomaly | ForEach-Object IntervalStart)
            $expected = @('10:00', '10:15', '14:00', '14:15', '14:30', '14:45' | ForEach-Object { [datetime]"2026-01-08 $_" })
            # Every incident interval is flagged and they are the six highest scores; of the 90 normal intervals at most
            # one passes this small model's MeanStd 5 threshold (05:30, whose duration maximum of 29.04 is unusually low,
            # is just above the threshold with the error weights, about 0.04 against 0.041, and just below it without, 0.050 against 0.053).
            @($expected | Where-Object { $_ -notin $flagged }) | Should -BeNullOrEmpty
            @($scored | Sort-Object AnomalyScore -Descending | Select-Object -First 6 | ForEach-Object IntervalStart | Sort-Object) | Should -Be $expected
            @($flagged | Where-Object { $_ -notin $expected }).Count | Should -BeLessOrEqual 1
            ($scored | Where-Object { $_.IntervalStart -eq [datetime]'2026-01-08 10:00' }).'Level=(other)' | Should -Be 15
        }
    }
}

Describe 'ConvertTo-LogWindow -Streaming writes windows as they close' {
    BeforeAll {
        $script:log = @(New-LogExport -Minutes 60 -Seed 5)
        $script:sorted = @($log | Sort-Object { [datetime]::Parse($_.TimeCreated, [cultureinfo]::InvariantCulture) })
        function Get-Order {
            # The order of reading and writing: "in <n>" as record n goes in, "out <time>" as a window comes out.
            param([object[]] $Records, [hashtable] $Options)
            $events = [System.Collections.Generic.List[string]]::new()
            & { $n = 0; foreach ($r in $Records) { $n++; $events.Add("in $n"); $r } } |
                ConvertTo-LogWindow @Options | ForEach-Object { $events.Add("out $($_.IntervalStart.ToString('HH:mm'))") }
            $events
        }
    }

    It 'writes a window of records in time order once the input is an interval past its end (no -CountBy: columns known)' {
        $order = @(Get-Order $sorted @{ TimeProperty = 'TimeCreated'; Interval = '00:05:00'; Measure = 'duration_ms'; Streaming = $true })
        $firstOut = [array]::IndexOf($order, 'out 00:00')
        $firstOut | Should -BeGreaterThan 0
        $firstOut | Should -BeLessThan ($order.Count / 3) -Because 'the 00:00 window leaves once the records reach 00:10, a sixth of the hour'
        @($order | Where-Object { $_ -like 'out *' }) | Should -HaveCount 12
    }

    It 'writes the same windows from records in time order, newest first and shuffled (<Name>)' -ForEach @(
        @{ Name = 'row model of counts'; Options = @{ CountBy = 'Level' } }
        @{ Name = 'measures only'; Options = @{ Measure = 'duration_ms' } }
    ) {
        # -Streaming where the columns are known (measures only): input out of order is held whole there too.
        $common = @{ TimeProperty = 'TimeCreated'; Interval = '00:05:00'; Streaming = $Options.ContainsKey('Measure') } + $Options
        $inOrder = $sorted | ConvertTo-LogWindow @common | ConvertTo-Csv
        $newestFirst = $sorted[($sorted.Count - 1)..0] | ConvertTo-LogWindow @common | ConvertTo-Csv
        $shuffled = $sorted | Get-Random -Count $sorted.Count -SetSeed 7 | ConvertTo-LogWindow @common | ConvertTo-Csv
        $newestFirst | Should -Be $inOrder
        $shuffled | Should -Be $inOrder
    }

    It 'streams with -Model (its count columns and groups known), with the windows of held input' {
        $window = @{ TimeProperty = 'TimeCreated'; Interval = '00:05:00'; CountBy = 'Level'; GroupBy = 'EventId' }
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        $sorted | ConvertTo-LogWindow @window | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 | Out-Null
        $order = @(Get-Order $sorted ($window + @{ Model = $model; Streaming = $true }))
        [array]::IndexOf($order, 'out 00:00') | Should -BeLessThan ($order.Count / 3)
        $streamed = $sorted | ConvertTo-LogWindow @window -Model $model -Streaming | ConvertTo-Csv
        $held = $sorted[($sorted.Count - 1)..0] | ConvertTo-LogWindow @window -Model $model | ConvertTo-Csv
        $held | Should -Be $streamed
    }

    It 'holds every window to the end without -Streaming, though the columns are known' {
        $order = @(Get-Order $sorted @{ TimeProperty = 'TimeCreated'; Interval = '00:05:00'; Measure = 'duration_ms' })
        [array]::IndexOf($order, 'out 00:00') | Should -BeGreaterThan ([array]::IndexOf($order, "in $($sorted.Count)"))
    }

    It 'refuses -Streaming when the columns come from the records (<Name> without -Model): StreamingNeedsColumns' -ForEach @(
        @{ Name = '-CountBy'; Options = @{ CountBy = 'Level' } }
        @{ Name = '-GroupBy'; Options = @{ GroupBy = 'EventId' } }
    ) {
        $thrown = $null
        try { $sorted | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval 00:05:00 @Options -Streaming | Out-Null } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -Be 'StreamingNeedsColumns,AutoencoderPS.Commands.ConvertToLogWindowCommand'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.Exception.Message | Should -BeLike "*$Name without -Model*Give -Model*leave out -Streaming*"
    }

    It 'a record of a window already written is a LogRecordLate error naming it, and is not counted; the others are' {
        $records = @(
            [pscustomobject]@{ T = '2026-01-05 00:01:00' }
            [pscustomobject]@{ T = '2026-01-05 00:11:00' }   # closes 00:00-00:05
            [pscustomobject]@{ T = '2026-01-05 00:02:00' }   # late: its window is written
            [pscustomobject]@{ T = '2026-01-05 00:07:00' }   # one interval late: counted
        )
        $errs = $null
        $windows = @($records | ConvertTo-LogWindow -TimeProperty T -Interval 00:05:00 -Streaming -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue)
        $windows.EventCount | Should -Be @(1, 1, 1)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'LogRecordLate,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        [object]::ReferenceEquals($errs[0].TargetObject, $records[2]) | Should -BeTrue
        $errs[0].Exception.Message | Should -BeLike "Row 3: property 'T' has the value '2026-01-05 00:02:00', in an interval already written*"
        $warned | Should -HaveCount 1
        $warned[0].Message | Should -BeLike '1 record(s) came after their interval was written*Sort-Object T*'
    }

    It 'shows windows as a table: start, group, events, the counts that are not zero, the means' {
        $text = $sorted | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval 00:05:00 -CountBy Level -GroupBy EventId -Measure duration_ms |
            Select-Object -First 2 | Out-String -Width 200
        $text | Should -Match 'IntervalStart\s+Group\s+EventCount\s+Counts\s+Mean'
        $text | Should -Match '\b4624\b'
        $text | Should -Match 'Level=\w+ \d+'
        $text | Should -Match 'duration_ms \d'
    }

    It 'shows every metric column of a pivot in Mean, a name with = or ending in .Min, .Max or .Mean too; a -Measure property''s Min and Max stay hidden' {
        # Metric columns are named as the metrics; the view hid those with '=' and those ending in .Min or .Max, and cut .Mean.
        $metrics = [ordered]@{ 'http.status=500' = 7; 'disk.Min' = 11; 'disk.Max' = 13; 'queue.Mean' = 17; 'cpu' = 19 }
        $records = foreach ($minute in 0..2) {
            foreach ($metric in $metrics.Keys) {
                [pscustomobject]@{ T = ([datetime]'2026-01-05').AddMinutes($minute).ToString('s'); metric = $metric; value = $metrics[$metric]; duration_ms = 10 * ($minute + 1) }
            }
        }
        $window = @($records | ConvertTo-LogWindow -TimeProperty T -Interval 00:05:00 -MetricProperty metric -ValueProperty value -Measure duration_ms)
        $window | Should -HaveCount 1
        $text = $window | Format-Table -Wrap | Out-String -Width 400
        foreach ($metric in $metrics.Keys) { $text | Should -Match ([regex]::Escape("$metric $($metrics[$metric])")) }
        $text | Should -Match 'duration_ms 20\b'
        $text | Should -Not -Match 'duration_ms\.(Min|Max|Mean)'
        $text | Should -Not -Match '\b10\b|\b30\b'   # the measure's min and max
    }
}

Describe 'ConvertTo-LogWindow on logs joined one after another' {
    BeforeAll {
        $script:first = 0..299 | ForEach-Object { [pscustomobject]@{ T = ([datetime]'2026-01-05').AddMinutes($_).ToString('s'); Host = 'web01' } }
        $script:second = 0..299 | ForEach-Object { [pscustomobject]@{ T = ([datetime]'2026-01-05').AddMinutes($_).ToString('s'); Host = 'web02' } }
    }

    It 'counts every record without -Streaming, as sorted input (two hosts'' logs, or rotated files, one after another)' {
        $joined = $first + $second | ConvertTo-LogWindow -TimeProperty T -Interval 00:05:00 -ErrorVariable errs | ConvertTo-Csv
        $errs | Should -HaveCount 0
        $joined | Should -Be ($first + $second | Sort-Object T | ConvertTo-LogWindow -TimeProperty T -Interval 00:05:00 | ConvertTo-Csv)
        ($joined | ConvertFrom-Csv | Measure-Object EventCount -Sum).Sum | Should -Be 600
    }

    It 'with -Streaming stops with one LogRecordLate error after 100 late records in a row, saying to sort them' {
        $thrown = $null
        try { $first + $second | ConvertTo-LogWindow -TimeProperty T -Interval 00:05:00 -Streaming -ErrorAction SilentlyContinue | Out-Null } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'LogRecordLate,*'
        $thrown.Exception.Message | Should -BeLike 'Stopped after 100 records in a row came after their interval was written*Sort-Object T*'
        # Sorted, every record counts.
        ($first + $second | Sort-Object T | ConvertTo-LogWindow -TimeProperty T -Interval 00:05:00 | Measure-Object EventCount -Sum).Sum | Should -Be 600
    }
}
