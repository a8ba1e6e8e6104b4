<#
.SYNOPSIS
    Probes long ("tidy") metric exports, one measurement per record, in the shapes monitoring tools write them
    (tests/Pester/LongExport.ps1): scored as they come, and pivoted by ConvertTo-LogWindow -MetricProperty -ValueProperty.
.DESCRIPTION
    Per seed: 7 days of three hosts (web01, web02, db01) and four metrics at 5-minute steps to train on, and an 8th day
    with three incidents: web01's cpu and latency spike (10:00-11:00), web02's cpu drops while its requests stay (the
    relation breaks, 13:00-14:00), db01 is silent (16:00-17:00).
    - Pivoted: each shape (InfluxDB annotated CSV, Prometheus query_range JSON and its CSV flattening, Azure Perf CSV,
      CloudWatch get-metric-data JSON, Zabbix history with its items, Datadog's metrics query JSON) is read by the guide's recipe and pivoted; the
      rows of every shape must hold the same values (checked, per seed). A sliding-window model (New-Autoencoder
      -WindowSize 6 -TimeProperty IntervalStart -GroupBy host, the product's defaults otherwise) is trained on the
      pivoted week and scores the 8th day pivoted with -Model (-Start/-End: the silent host's hour is rows of
      EventCount 0). An incident is caught when an alert (IsAlert) of its host falls in it or the hour after it; every
      other alert is false.
    - A row model (New-Autoencoder, the defaults) on the same pivoted rows: the rows flagged in each incident's hour and
      outside them.
    - Straight in: a row model trained on the records as they are (time, metric, instance, value: the metric a
      category, the value one column of every metric), scoring the 8th day's records. Counts the records flagged in
      each incident and outside them; and whether training warns of a long export, on the records in time order
      (StraightWarned) and sorted by series (SortedWarned: instance, metric, time, so the first 1,000 rows are one series).
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-LongExportProbe.ps1 -Seed 1,2,3
.EXAMPLE
    dotnet pwsh -Command './tests/Benchmarks/Invoke-LongExportProbe.ps1 -Seed 1,2,3 -ScalePerGroup:$false'
    The window model scales the hosts as one (New-Autoencoder -ScalePerGroup:$false); by default, as the product does
    with -GroupBy, each host by its own training rows.
#>
param(
    # Strings split on commas (ProbeArguments.ps1): 'dotnet pwsh <script> -Seed 1,2,3' passes one string.
    [string[]] $Seed = @('1', '2', '3'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/AutoencoderPS/AutoencoderPS.psd1'),
    # Passed to the window model's New-Autoencoder only when given: the product's default otherwise (per group).
    [switch] $ScalePerGroup
)
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
$ErrorActionPreference = 'Stop'
$scaling = if ($PSBoundParameters.ContainsKey('ScalePerGroup')) { @{ ScalePerGroup = [bool]$ScalePerGroup } } else { @{} }
Import-Module $ModulePath
. (Join-Path $PSScriptRoot '../Pester/LongExport.ps1')
$start = [datetime]::SpecifyKind([datetime]'2026-11-02', 'Utc')
$day8 = $start.AddDays(7)
$incidents = @(
    @{ Name = 'web01 cpu+latency'; Host = 'web01'; From = $day8.AddHours(10) }
    @{ Name = 'web02 relation'; Host = 'web02'; From = $day8.AddHours(13) }
    @{ Name = 'db01 silent'; Host = 'db01'; From = $day8.AddHours(16) }
)

# The guide's recipes ('Long exports'), each shape pivoted with its own names; @w adds -Model, -Start and -End.
$recipes = [ordered]@{
    influx     = { param($text, $w) $text | Where-Object { $_ -and $_ -notlike '#*' } | ConvertFrom-Csv -WarningAction SilentlyContinue | Where-Object _time -ne '_time' |
            ConvertTo-LogWindow -TimeProperty _time -Interval 00:05:00 -GroupBy host -MetricProperty _field -ValueProperty _value -TimeZone UTC @w }
    prometheus = { param($text, $w) ($text | ConvertFrom-Json).data.result | ForEach-Object {
            $series = $_
            foreach ($v in $series.values) { [pscustomobject]@{ time = $v[0]; instance = $series.metric.instance; metric = $series.metric.__name__; value = $v[1] } } } |
            ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy instance -MetricProperty metric -ValueProperty value -TimeZone UTC @w }
    promcsv    = { param($text, $w) $text | ConvertFrom-Csv |
            ConvertTo-LogWindow -TimeProperty timestamp -Interval 00:05:00 -GroupBy instance -MetricProperty metric -ValueProperty value -TimeZone UTC @w }
    azureperf  = { param($text, $w) $text | ConvertFrom-Csv |
            ConvertTo-LogWindow -TimeProperty 'TimeGenerated [UTC]' -Interval 00:05:00 -GroupBy Computer -MetricProperty CounterName -ValueProperty CounterValue -TimeZone UTC @w }
    cloudwatch = { param($text, $w) ($text | ConvertFrom-Json).MetricDataResults | ForEach-Object {
            $r = $_
            $instance, $metric = $r.Label -split ' ', 2
            for ($i = 0; $i -lt $r.Timestamps.Count; $i++) { [pscustomobject]@{ time = $r.Timestamps[$i]; instance = $instance; metric = $metric; value = $r.Values[$i] } } } |
            ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy instance -MetricProperty metric -ValueProperty value -TimeZone UTC @w }
    datadog    = { param($text, $w) ($text | ConvertFrom-Json).series | ForEach-Object {
            $series = $_
            foreach ($p in $series.pointlist) { [pscustomobject]@{ time = $p[0]; instance = $series.scope -replace '^host:'; metric = $series.metric; value = $p[1] } } } |
            ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy instance -MetricProperty metric -ValueProperty value -TimeZone UTC @w }
    zabbix     = { param($text, $w) $items = @{}; Get-ZabbixItem | ForEach-Object { $items[$_.itemid] = $_ }
            $text | ConvertFrom-Csv | Select-Object clock, value, @{ n = 'host'; e = { $items[$_.itemid].host } }, @{ n = 'key'; e = { $items[$_.itemid].key_ } } |
            ConvertTo-LogWindow -TimeProperty clock -Interval 00:05:00 -GroupBy host -MetricProperty key -ValueProperty value -TimeZone UTC @w }
}

function Write-Shape([string] $Shape, [object[]] $Sample, [System.Random] $Random) {
    switch ($Shape) {
        'influx' { ConvertTo-InfluxAnnotatedCsv $Sample $Random }
        'prometheus' { ConvertTo-PrometheusMatrixJson $Sample }
        'promcsv' { $Sample | Select-Object @{ n = 'timestamp'; e = { ([datetimeoffset]$_.time).ToUnixTimeSeconds() } }, metric, @{ n = 'instance'; e = { $_.host } }, value | ConvertTo-Csv }
        'azureperf' { ConvertTo-AzurePerfCsv $Sample }
        'cloudwatch' { ConvertTo-CloudWatchJson $Sample }
        'zabbix' { ConvertTo-ZabbixHistoryCsv $Sample @(Get-ZabbixItem) }
        'datadog' { ConvertTo-DatadogQueryJson $Sample }
    }
}

# A pivoted row as text, the metric columns by their plain names (node_cpu, system.cpu: cpu), to compare the shapes.
function Format-PivotedRow($row) {
    $metrics = $row.PSObject.Properties | Select-Object -Skip 3 | Sort-Object { $_.Name -replace '^(node_|system\.|http\.|app\.)' }
    $group = ($row.PSObject.Properties | Select-Object -Skip 1 -First 1).Value -replace ':\d+$'
    '{0:o} {1} {2} {3}' -f $row.IntervalStart.UtcDateTime, $group, $row.EventCount, ($metrics.Value -join ' ')
}

$day = @{ Start = $day8; End = $day8.AddDays(1) }
foreach ($s in $Seed) {
    $random = [System.Random]::new($s)
    $train = @(New-LongExportSample $random $start 7)
    $test = @(New-LongExportSample $random $day8 1 -Incidents)

    # Every shape, read by its recipe and pivoted, holds the same rows.
    $agree = $true
    $reference = $null
    foreach ($shape in $recipes.Keys) {
        $text = Write-Shape $shape $test ([System.Random]::new($s))
        $values = (& $recipes[$shape] $text $day | ForEach-Object { Format-PivotedRow $_ }) -join "`n"
        if (-not $values) { $agree = $false; Write-Warning "seed $s : $shape gave no rows" }
        if ($null -eq $reference) { $reference = $values } elseif ($values -ne $reference) { $agree = $false; Write-Warning "seed $s : $shape differs" }
    }

    # Quality, on the records pivoted (every shape's recipe gives the same rows).
    $window = @{ TimeProperty = 'time'; Interval = '00:05:00'; GroupBy = 'host'; MetricProperty = 'metric'; ValueProperty = 'value'; TimeZone = 'UTC' }
    $model = New-Autoencoder -WindowSize 6 -TimeProperty IntervalStart -GroupBy host -Seed $s @scaling
    $train | ConvertTo-LogWindow @window | Invoke-AutoencoderTraining -Model $model -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
    $scored = @($test | ConvertTo-LogWindow @window -Model $model -Start $day8 -End $day8.AddDays(1) | Test-Anomaly -Model $model -ThreadCount 1 -WarningAction SilentlyContinue)
    $alerts = @($scored | Where-Object IsAlert)
    $caught = foreach ($i in $incidents) {
        @($alerts | Where-Object { $_.host -eq $i.Host -and $_.IntervalStart.UtcDateTime -ge $i.From -and $_.IntervalStart.UtcDateTime -lt $i.From.AddHours(2) }).Count
    }
    $falseAlerts = @($alerts | Where-Object { $a = $_; -not ($incidents | Where-Object { $a.host -eq $_.Host -and $a.IntervalStart.UtcDateTime -ge $_.From -and $a.IntervalStart.UtcDateTime -lt $_.From.AddHours(2) }) })

    # A row model on the pivoted rows (no window): rows flagged in each incident's hour and outside them.
    $pivotedRow = New-Autoencoder -Seed $s
    $train | ConvertTo-LogWindow @window | Invoke-AutoencoderTraining -Model $pivotedRow -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
    $rowFlags = @($test | ConvertTo-LogWindow @window -Model $pivotedRow @day | Test-Anomaly -Model $pivotedRow -ThreadCount 1 -WarningAction SilentlyContinue | Where-Object IsAnomaly)
    $rowIn = foreach ($i in $incidents) { @($rowFlags | Where-Object { $_.host -eq $i.Host -and $_.IntervalStart.UtcDateTime -ge $i.From -and $_.IntervalStart.UtcDateTime -lt $i.From.AddHours(1) }).Count }

    # Straight in: the records as a row model reads them.
    $rowModel = New-Autoencoder -Seed $s
    $train | Select-Object @{ n = 'timestamp'; e = { ([datetimeoffset]$_.time).ToUnixTimeSeconds() } }, metric, @{ n = 'instance'; e = { $_.host } }, value |
        Invoke-AutoencoderTraining -Model $rowModel -ThreadCount 1 -WarningAction SilentlyContinue -WarningVariable straightWarnings | Out-Null
    $flagged = @($test | Select-Object @{ n = 'timestamp'; e = { ([datetimeoffset]$_.time).ToUnixTimeSeconds() } }, time, metric, @{ n = 'instance'; e = { $_.host } }, value |
        Test-Anomaly -Model $rowModel -ThreadCount 1 | Where-Object IsAnomaly)
    $inIncident = foreach ($i in $incidents) { @($flagged | Where-Object { $_.instance -eq $i.Host -and $_.time -ge $i.From -and $_.time -lt $i.From.AddHours(1) }).Count }
    # The same records sorted by series (instance, metric, time): the rows roles are chosen from are one series. Only the
    # warning counts here (one epoch).
    $sortedModel = New-Autoencoder -Seed $s
    $train | Sort-Object host, metric, time | Select-Object @{ n = 'timestamp'; e = { ([datetimeoffset]$_.time).ToUnixTimeSeconds() } }, metric, @{ n = 'instance'; e = { $_.host } }, value |
        Invoke-AutoencoderTraining -Model $sortedModel -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue -WarningVariable sortedWarnings | Out-Null

    [pscustomobject]@{
        Seed             = $s
        ShapesAgree      = $agree
        PivotedRows      = @($reference -split "`n").Count
        AlertsInIncident = $caught -join '/'
        FalseAlerts      = $falseAlerts.Count
        FalseAt          = ($falseAlerts | ForEach-Object { '{0:HH:mm} {1}' -f $_.IntervalStart.UtcDateTime, $_.host }) -join ', '
        PivotedRowModel  = "$($rowIn -join '/') of 12/12/12 rows in incidents, $($rowFlags.Count - ($rowIn | Measure-Object -Sum).Sum) outside (of 864)"
        StraightFlagged  = "$($inIncident -join '/') in incidents, $($flagged.Count - ($inIncident | Measure-Object -Sum).Sum) outside (of $($test.Count))"
        StraightWarned   = @($straightWarnings | Where-Object { "$_" -like '*long export*' -or "$_" -like '*one measurement per*' }).Count -gt 0
        SortedWarned     = @($sortedWarnings | Where-Object { "$_" -like '*long export*' }).Count -gt 0
    }
}
