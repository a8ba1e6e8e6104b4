BeforeAll {
    function Get-PivotAdvice([object[]] $Warnings) {
        # The one long-export warning among training's warnings (asserted), and the ConvertTo-LogWindow command it gives.
        $told = @($Warnings | Where-Object { "$_" -like '*look like a long export*' })
        $told.Count | Should -Be 1
        [pscustomobject]@{ Text = "$($told[0])"; Pivot = [regex]::Match("$($told[0])", 'ConvertTo-LogWindow [^|]+').Value.Trim() }
    }

    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'LongExport.ps1')
    $script:start = [datetime]::SpecifyKind([datetime]'2026-11-02', 'Utc')
    $script:sample = @(New-LongExportSample ([System.Random]::new(1)) $start 1)
    $script:pivot = @{ TimeProperty = 'time'; Interval = '00:05:00'; GroupBy = 'instance'; MetricProperty = 'metric'; ValueProperty = 'value'; TimeZone = 'UTC' }
}

Describe 'Long exports (one measurement per record) pivoted by ConvertTo-LogWindow -MetricProperty -ValueProperty' {
    It 'makes a Prometheus query_range answer (epoch seconds with a fraction, values as strings) one row per time and host with a column per metric' {
        $answer = ConvertTo-PrometheusMatrixJson $sample | ConvertFrom-Json
        $records = foreach ($series in $answer.data.result) {
            foreach ($v in $series.values) { [pscustomobject]@{ time = $v[0]; instance = $series.metric.instance; metric = $series.metric.__name__; value = $v[1] } }
        }
        $rows = @($records | ConvertTo-LogWindow @pivot)

        $rows.Count | Should -Be (288 * 3)
        $rows[0].PSObject.Properties.Name | Should -Be @('IntervalStart', 'instance', 'EventCount', 'node_cpu', 'node_latency_ms', 'node_mem_pct', 'node_requests')
        $expected = $sample | Where-Object { $_.host -eq 'web01' -and $_.time -eq $start.AddMinutes(50) }
        $row = $rows | Where-Object { $_.instance -eq 'web01:9100' -and $_.IntervalStart.UtcDateTime -eq $start.AddMinutes(50) }
        $row.node_cpu | Should -Be ($expected | Where-Object metric -eq cpu).value
        $row.node_requests | Should -Be ($expected | Where-Object metric -eq requests).value
        $row.EventCount | Should -Be 4
    }

    It 'reads InfluxDB annotated CSV (tables with their own annotations and header, RFC 3339 times with nanoseconds) after its # lines are dropped' {
        $lines = ConvertTo-InfluxAnnotatedCsv $sample ([System.Random]::new(2))
        $records = $lines | Where-Object { $_ -and $_ -notlike '#*' } | ConvertFrom-Csv
        $rows = @($records | ConvertTo-LogWindow -TimeProperty _time -Interval 00:05:00 -GroupBy host -MetricProperty _measurement, _field -ValueProperty _value -TimeZone UTC -ErrorVariable bad -ErrorAction SilentlyContinue)

        # The second table's header is a record of column names: one error that says so, and every measurement in.
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLogTimestamp,*'
        "$($bad[0])" | Should -Match "the column's own name, so the record is the header again"
        $rows.Count | Should -Be (288 * 3)
        $rows[0].PSObject.Properties.Name | Should -Be @('IntervalStart', 'host', 'EventCount', 'http.requests', 'system.cpu', 'system.latency_ms', 'system.mem_pct')
        ($rows | Measure-Object EventCount -Sum).Sum | Should -Be $sample.Count
    }

    It 'names row, column and value of a value that is no number and of a second value at one time, and keeps the other records' {
        $records = @(
            [pscustomobject]@{ time = '2026-11-02T00:00:00Z'; instance = 'web01'; metric = 'cpu'; value = '10' }
            [pscustomobject]@{ time = '2026-11-02T00:00:00Z'; instance = 'web01'; metric = 'mem'; value = '12 %' }
            [pscustomobject]@{ time = '2026-11-02T00:00:00Z'; instance = 'web01'; metric = 'cpu'; value = '10' }    # sent twice
            [pscustomobject]@{ time = '2026-11-02T00:00:00Z'; instance = 'web01'; metric = 'cpu'; value = '55' }    # a second source
            [pscustomobject]@{ time = '2026-11-02T00:05:00Z'; instance = 'web01'; metric = 'cpu'; value = '20' }
            [pscustomobject]@{ time = '2026-11-02T00:05:00Z'; instance = 'web01'; metric = 'mem'; value = '' }      # not taken
        )
        $rows = @($records | ConvertTo-LogWindow @pivot -ErrorVariable bad -ErrorAction SilentlyContinue)

        $bad.Count | Should -Be 2
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidLogMeasure,*'
        "$($bad[0])" | Should -BeLike "Row 2: property 'value' has the value '12 %', which is not a number*metric 'mem'*"
        $bad[0].TargetObject | Should -Be $records[1]
        $bad[1].FullyQualifiedErrorId | Should -BeLike 'MetricSampleConflict,*'
        "$($bad[1])" | Should -BeLike "Row 4: metric 'cpu' of instance 'web01' at '2026-11-02T00:00:00Z' has the value '55'*an earlier record of the same metric, time and group has 10:*"
        $bad[1].CategoryInfo.Category | Should -Be 'InvalidData'
        $rows.Count | Should -Be 2
        $rows[0].cpu | Should -Be 10
        $rows[0].EventCount | Should -Be 1
        $rows[1].cpu | Should -Be 20
        $rows[1].mem | Should -BeNullOrEmpty
    }

    It 'counts a record sent again once, wherever in its interval it comes (two overlapping exports joined)' {
        # 15-minute windows of 5-minute samples: the first two hours exported again and appended.
        $first = @($sample | Where-Object { $_.time -lt $start.AddHours(2) })
        $once = @($sample | ConvertTo-LogWindow -TimeProperty time -GroupBy host -MetricProperty metric -ValueProperty value -Interval 00:15:00)
        $twice = @(@($sample) + $first | ConvertTo-LogWindow -TimeProperty time -GroupBy host -MetricProperty metric -ValueProperty value -Interval 00:15:00 -ErrorVariable failed)

        $failed | Should -BeNullOrEmpty
        $twice.Count | Should -Be $once.Count
        $twice[0].EventCount | Should -Be 12
        for ($i = 0; $i -lt $once.Count; $i++) {
            $twice[$i].EventCount | Should -Be $once[$i].EventCount
            $twice[$i].cpu | Should -Be $once[$i].cpu
        }
    }

    It 'with -Model, writes the model''s metrics and hosts (a silent host as rows without values), and leaves out metrics it does not know' {
        $train = @($sample | Select-Object time, @{ n = 'instance'; e = { $_.host } }, metric, value | ConvertTo-LogWindow @pivot)
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        $train | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null

        $today = @(New-LongExportSample ([System.Random]::new(3)) $start.AddDays(1) 1) | Where-Object host -ne 'db01'
        $records = @($today | Select-Object time, @{ n = 'instance'; e = { $_.host } }, metric, value) +
            [pscustomobject]@{ time = $start.AddDays(1); instance = 'web01'; metric = 'disk_io'; value = 3 }
        $rows = @($records | ConvertTo-LogWindow @pivot -Model $model -WarningVariable warned -WarningAction SilentlyContinue)

        @($warned | Where-Object { "$_" -like "*1 record(s) of metric(s) the model does not know were left out: 'disk_io' (1)*" }).Count | Should -Be 1
        $rows.Count | Should -Be (288 * 3)
        $rows[0].PSObject.Properties.Name | Should -Be @('IntervalStart', 'instance', 'EventCount', 'cpu', 'latency_ms', 'mem_pct', 'requests')
        $db = @($rows | Where-Object instance -eq 'db01')
        $db.Count | Should -Be 288
        ($db | Measure-Object EventCount -Sum).Sum | Should -Be 0
        @($db | Where-Object { $null -ne $_.cpu }).Count | Should -Be 0
    }

    It 'warns when a row model is trained on a long export as it is, with the pivot that reads it, which then trains' {
        $path = Join-Path $TestDrive 'perf.csv'
        ConvertTo-AzurePerfCsv $sample | Set-Content -LiteralPath $path
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        Invoke-AutoencoderTraining -Model $model -Path $path -Epochs 1 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue | Out-Null

        $advice = Get-PivotAdvice $warned
        $advice.Text | Should -Match "'CounterValue' holds the value of the metric named in 'CounterName'"
        $pivot = $advice.Pivot
        $pivot | Should -Be "ConvertTo-LogWindow -TimeProperty 'TimeGenerated [UTC]' -Interval 00:05:00 -GroupBy Computer -MetricProperty CounterName -ValueProperty CounterValue"

        # The pivot as said, on the same file: one row per time and computer, a column per counter, and no such warning.
        $rows = @(Import-Csv -LiteralPath $path | & ([scriptblock]::Create("`$input | $pivot -TimeZone UTC")))
        $rows.Count | Should -Be (288 * 3)
        $pivoted = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        $rows | Invoke-AutoencoderTraining -Model $pivoted -Epochs 1 -ThreadCount 1 -WarningVariable again -WarningAction SilentlyContinue | Out-Null
        @($again | Where-Object { "$_" -like '*long export*' }).Count | Should -Be 0
        $pivoted.Features | Should -Contain 'cpu'
    }

    It 'warns of a long export trained with its time column left out by -ExcludeFeature, with the same pivot' {
        # The time column was told among the profiled columns only: -ExcludeFeature 'TimeGenerated [UTC]' left the export
        # without a time, and the warning out.
        $path = Join-Path $TestDrive 'perf-excluded.csv'
        ConvertTo-AzurePerfCsv $sample | Set-Content -LiteralPath $path
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -ExcludeFeature 'TimeGenerated [UTC]'
        Invoke-AutoencoderTraining -Model $model -Path $path -Epochs 1 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue | Out-Null

        (Get-PivotAdvice $warned).Pivot |
            Should -Be "ConvertTo-LogWindow -TimeProperty 'TimeGenerated [UTC]' -Interval 00:05:00 -GroupBy Computer -MetricProperty CounterName -ValueProperty CounterValue"
        ($model.Schema.Ignored | Where-Object Name -eq 'TimeGenerated [UTC]').Reason | Should -Be 'excluded by the user'
    }

    It 'warns on a long export sorted by series, whose first 1,000 rows are one series, and stays silent on wide rows' {
        # A week at 5-minute steps is 2,016 records a series: sorted by instance, metric and time, the role sample is one series.
        $week = @(New-LongExportSample ([System.Random]::new(2)) $start 7)
        $path = Join-Path $TestDrive 'sorted.csv'
        $week | Sort-Object host, metric, time |
            Select-Object @{ n = 'timestamp'; e = { [DateTimeOffset]::new($_.time).ToUnixTimeSeconds() } }, metric, @{ n = 'instance'; e = { $_.host } }, value |
            Export-Csv -LiteralPath $path -NoTypeInformation
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        Invoke-AutoencoderTraining -Model $model -Path $path -Epochs 1 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue | Out-Null

        $advice = Get-PivotAdvice $warned
        $advice.Text | Should -Match "the first 1,000 rows are one series of it \('cpu' of instance 'db01'"
        $pivot = $advice.Pivot
        $pivot | Should -Be 'ConvertTo-LogWindow -TimeProperty timestamp -Interval 00:05:00 -GroupBy instance -MetricProperty metric -ValueProperty value'
        # The pivot as said: one row per time and instance, whatever the order of the records.
        $rows = @(Import-Csv -LiteralPath $path | & ([scriptblock]::Create("`$input | $pivot -TimeZone UTC")))
        $rows.Count | Should -Be (7 * 288 * 3)

        # Wide rows say nothing: the demo data, a Grafana export of series joined by time, and the pivoted windows.
        . (Join-Path $PSScriptRoot 'JoinedExport.ps1')
        $wide = @{
            demo = @(Get-AutoencoderSampleData -Days 2)
            joined = @(New-JoinedExportRow ([System.Random]::new(1)) ([datetime]'2026-11-02') 0 2)
            pivoted = @($rows)
        }
        foreach ($name in $wide.Keys) {
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            $wide[$name] | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable said -WarningAction SilentlyContinue | Out-Null
            @($said | Where-Object { "$_" -like '*long export*' }) | Should -BeNullOrEmpty -Because $name
        }
    }

    It 'stops, naming the properties that may tell the series apart, when records of several hosts meet without -GroupBy' {
        $records = $sample | Select-Object time, host, metric, value
        $err = $null
        try { $records | ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -MetricProperty metric -ValueProperty value -ErrorAction SilentlyContinue -ErrorVariable each | Out-Null }
        catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'MetricSampleConflict,*'
        "$err" | Should -BeLike "Stopped after 10 records*several series*-GroupBy*'host'*"
        $each.Count | Should -Be 11 # the 10 conflicts, and the error that stopped
    }

    It 'warns when most windows are empty, an -Interval shorter than the export''s step' {
        $records = $sample | Select-Object time, @{ n = 'instance'; e = { $_.host } }, metric, value
        $rows = @($records | ConvertTo-LogWindow @pivot -Interval 00:01:00 -WarningVariable warned -WarningAction SilentlyContinue)

        $rows.Count | Should -Be ((288 * 5 - 4) * 3)
        @($warned | Where-Object { "$_" -like '*3,444 of the 4,308 windows have no record*-Interval 00:01:00*step*' }).Count | Should -Be 1
        $records | ConvertTo-LogWindow @pivot -WarningVariable fine -WarningAction SilentlyContinue | Out-Null
        $fine | Should -BeNullOrEmpty
    }

    It 'refuses a metric named as another column of the windows' {
        $records = [pscustomobject]@{ time = '2026-11-02T00:00:00Z'; instance = 'web01'; metric = 'EventCount'; value = '1' }
        { $records | ConvertTo-LogWindow @pivot -ErrorAction Stop } | Should -Throw -ErrorId 'MetricColumnTaken,*'
    }

    It 'stops with MetricColumnsTooMany when the metric property holds ids (a new metric in every record), naming the record' {
        $records = 1..1500 | ForEach-Object {
            [pscustomobject]@{ time = $start.AddSeconds($_).ToString('o'); instance = 'web01'; metric = "request-$_"; value = '1' }
        }
        $thrown = $null
        $rows = @(try { $records | ConvertTo-LogWindow @pivot } catch { $thrown = $_ })
        $thrown.FullyQualifiedErrorId | Should -Be 'MetricColumnsTooMany,AutoencoderPS.Commands.ConvertToLogWindowCommand'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        [object]::ReferenceEquals($thrown.TargetObject, $records[1000]) | Should -BeTrue
        $thrown.Exception.Message | Should -BeLike "*more than 1000 metrics (the latest 'request-1001')*-MetricProperty*"
        $rows | Should -HaveCount 0
    }
}
