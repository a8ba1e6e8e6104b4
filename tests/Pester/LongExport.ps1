# Long ("tidy") metric exports, one measurement per row, generated in code, and the shapes monitoring tools write
# them in: InfluxDB 2.x annotated CSV, the Prometheus HTTP API's query_range JSON (and a CSV flattening of it), Azure
# Monitor's Perf table, AWS CloudWatch get-metric-data JSON, Zabbix history, Datadog's metrics query JSON. Dot-sourced by LongExport.Tests.ps1 and
# tests/Benchmarks/Invoke-LongExportProbe.ps1. Not a test file itself (Pester only runs *.Tests.ps1).

function New-LongExportSample {
    <#
    .SYNOPSIS
        -Days of 5-minute samples from -Start (UTC) of three hosts (web01, web02, db01) and four metrics each:
        requests (a daily cycle), cpu (follows requests), latency_ms (follows cpu) and mem_pct (slow, noisy), as
        objects time (DateTime, UTC), host, metric, value, in time order, the metrics of a time together. With
        -Incidents, on the last day: web01's cpu spikes with its latency (10:00-11:00), web02's cpu drops while its
        requests stay (the relation breaks, 13:00-14:00), and db01 is silent (no samples, 16:00-17:00).
    #>
    param([System.Random] $Random, [datetime] $Start, [int] $Days, [switch] $Incidents)
    $hosts = 'web01', 'web02', 'db01'
    $scale = @{ web01 = 1.0; web02 = 0.8; db01 = 0.5 }
    $mem = @{ web01 = 55.0; web02 = 48.0; db01 = 70.0 }
    $last = $Start.AddDays($Days - 1)
    for ($i = 0; $i -lt $Days * 288; $i++) {
        $t = [datetime]::SpecifyKind($Start.AddMinutes(5 * $i), 'Utc')
        $onLastDay = $Incidents -and $t -ge $last
        $hour = $t.TimeOfDay.TotalHours
        foreach ($h in $hosts) {
            if ($onLastDay -and $h -eq 'db01' -and $hour -ge 16 -and $hour -lt 17) { continue }
            $load = 100 + 60 * [math]::Sin(2 * [math]::PI * ($hour - 9) / 24)
            $requests = $scale[$h] * $load * (1 + 0.05 * ($Random.NextDouble() * 2 - 1))
            $cpu = 5 + 0.4 * $requests + $Random.NextDouble() * 3 - 1.5
            if ($onLastDay -and $h -eq 'web01' -and $hour -ge 10 -and $hour -lt 11) { $cpu = 95 + $Random.NextDouble() * 3 }
            if ($onLastDay -and $h -eq 'web02' -and $hour -ge 13 -and $hour -lt 14) { $cpu = 8 + $Random.NextDouble() * 2 }
            $latency = 20 + 0.5 * $cpu + $Random.NextDouble() * 4 - 2
            if ($onLastDay -and $h -eq 'web01' -and $hour -ge 10 -and $hour -lt 11) { $latency = 250 + $Random.NextDouble() * 50 }
            $mem[$h] = [math]::Min(90, [math]::Max(30, $mem[$h] + $Random.NextDouble() - 0.5))
            [pscustomobject]@{ time = $t; host = $h; metric = 'requests'; value = [math]::Round($requests) }
            [pscustomobject]@{ time = $t; host = $h; metric = 'cpu'; value = [math]::Round($cpu, 2) }
            [pscustomobject]@{ time = $t; host = $h; metric = 'latency_ms'; value = [math]::Round($latency, 1) }
            [pscustomobject]@{ time = $t; host = $h; metric = 'mem_pct'; value = [math]::Round($mem[$h], 2) }
        }
    }
}

# RFC 3339 as Go writes it (time.RFC3339Nano): fractions up to nanoseconds, trailing zeros dropped. -Nanos adds a
# seeded sub-second part of 9 digits, as a collector's own clock gives.
function Format-Rfc3339Nano([datetime] $Time, [int] $Nanos = 0) {
    $text = $Time.ToString('yyyy-MM-ddTHH:mm:ss', [cultureinfo]::InvariantCulture)
    if ($Nanos -gt 0) { $text += '.' + $Nanos.ToString('000000000').TrimEnd('0') }
    $text + 'Z'
}

function ConvertTo-InfluxAnnotatedCsv {
    <#
    .SYNOPSIS
        The lines `influx query --raw` writes for a pivot-less Flux query: one table per series (host, field), the
        double fields in one block and the long field (requests) in another, each block its own #group, #datatype and
        #default annotations and header, blocks separated by a blank line; times in RFC 3339 with nanoseconds.
    #>
    param([object[]] $Sample, [System.Random] $Random)
    $first = ($Sample | Select-Object -First 1).time
    $stop = ($Sample | Select-Object -Last 1).time.AddMinutes(5)
    $table = 0
    foreach ($block in @(@{ Type = 'double'; Metrics = 'cpu', 'latency_ms', 'mem_pct' }, @{ Type = 'long'; Metrics = @('requests') })) {
        if ($table -gt 0) { '' }
        '#group,false,false,true,true,false,false,true,true,true'
        "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,$($block.Type),string,string,string"
        '#default,_result,,,,,,,,'
        ',result,table,_start,_stop,_time,_value,_field,_measurement,host'
        foreach ($series in $Sample | Where-Object metric -in $block.Metrics | Group-Object host, metric) {
            foreach ($s in $series.Group) {
                $time = Format-Rfc3339Nano $s.time $Random.Next(1, 1000000000)
                $measurement = if ($s.metric -eq 'requests') { 'http' } else { 'system' }
                ",,$table,$(Format-Rfc3339Nano $first),$(Format-Rfc3339Nano $stop),$time,$($s.value),$($s.metric),$measurement,$($s.host)"
            }
            $table++
        }
    }
}

function ConvertTo-PrometheusMatrixJson {
    <#
    .SYNOPSIS
        The body of a Prometheus /api/v1/query_range answer: a matrix, one result per series (__name__, instance,
        job labels), values as [epoch seconds (a number, with a fraction), "value as a string"].
    #>
    param([object[]] $Sample)
    $result = foreach ($series in $Sample | Group-Object host, metric) {
        $one = $series.Group[0]
        @{
            metric = [ordered]@{ __name__ = "node_$($one.metric)"; instance = "$($one.host):9100"; job = 'node' }
            values = @($series.Group | ForEach-Object { , @((([datetimeoffset]$_.time).ToUnixTimeMilliseconds() / 1000 + 0.123), [string]$_.value) })
        }
    }
    [ordered]@{ status = 'success'; data = [ordered]@{ resultType = 'matrix'; result = @($result) } } | ConvertTo-Json -Depth 6 -Compress
}

function ConvertTo-DatadogQueryJson {
    <#
    .SYNOPSIS
        The answer of Datadog's metrics query API (v1 query): one series per host and metric (metric, scope host:web01),
        pointlist as [epoch milliseconds (a number), value].
    #>
    param([object[]] $Sample)
    $series = foreach ($one in $Sample | Group-Object host, metric) {
        $first = $one.Group[0]
        [ordered]@{
            metric = "app.$($first.metric)"; scope = "host:$($first.host)"; display_name = "app.$($first.metric)"
            pointlist = @($one.Group | ForEach-Object { , @([double]([datetimeoffset]$_.time).ToUnixTimeMilliseconds(), [double]$_.value) })
        }
    }
    [ordered]@{ status = 'ok'; res_type = 'time_series'; series = @($series) } | ConvertTo-Json -Depth 5 -Compress
}

function ConvertTo-AzurePerfCsv {
    <# .SYNOPSIS The Log Analytics Perf table as the portal exports it: TimeGenerated [UTC], Computer, ObjectName, CounterName, InstanceName, CounterValue. #>
    param([object[]] $Sample)
    $Sample | ForEach-Object {
        [pscustomobject][ordered]@{
            'TimeGenerated [UTC]' = $_.time.ToString('M/d/yyyy, h:mm:ss.fff tt', [cultureinfo]::InvariantCulture)
            Computer = $_.host; ObjectName = 'Custom'; CounterName = $_.metric; InstanceName = '_Total'; CounterValue = $_.value
        }
    } | ConvertTo-Csv -UseQuotes AsNeeded
}

function ConvertTo-CloudWatchJson {
    <#
    .SYNOPSIS
        The answer of `aws cloudwatch get-metric-data`: one MetricDataResults entry per query (Id cpu_web01, Label
        "web01 cpu"), Timestamps newest first with an offset, Values beside them.
    #>
    param([object[]] $Sample)
    $results = foreach ($series in $Sample | Group-Object host, metric) {
        $one = $series.Group[0]
        $points = @($series.Group | Sort-Object time -Descending)
        [ordered]@{
            Id = "$($one.metric)_$($one.host)"; Label = "$($one.host) $($one.metric)"
            Timestamps = @($points | ForEach-Object { $_.time.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", [cultureinfo]::InvariantCulture) })
            Values = @($points.value); StatusCode = 'Complete'
        }
    }
    [ordered]@{ MetricDataResults = @($results); Messages = @() } | ConvertTo-Json -Depth 5
}

function ConvertTo-ZabbixHistoryCsv {
    <#
    .SYNOPSIS
        Zabbix's history table as exported: itemid,clock,value,ns (epoch seconds and their nanoseconds). The items
        (itemid, host, key_) come separately, as Get-ZabbixItem returns them.
    #>
    param([object[]] $Sample, [object[]] $Item)
    $ids = @{}
    foreach ($i in $Item) { $ids["$($i.host) $($i.key_)"] = $i.itemid }
    'itemid,clock,value,ns'
    $random = [System.Random]::new(7)
    foreach ($s in $Sample) { "$($ids["$($s.host) $($s.metric)"]),$(([datetimeoffset]$s.time).ToUnixTimeSeconds()),$($s.value),$($random.Next(0, 1000000000))" }
}

# The items of the hosts' metrics, as Zabbix's item list (itemid, host, key_).
function Get-ZabbixItem {
    $id = 28000
    foreach ($h in 'web01', 'web02', 'db01') { foreach ($k in 'requests', 'cpu', 'latency_ms', 'mem_pct') { [pscustomobject]@{ itemid = [string]$id++; host = $h; key_ = $k } } }
}
