<#
.SYNOPSIS
    AutoencoderPS from a raw log export to flagged intervals: learn three normal days of a small web service's
    logs, then find the incidents hidden in the fourth.
.DESCRIPTION
    Generates a raw log export (CSV: Timestamp, Host, Level, EventId, Message, LatencyMs) of three hosts over four
    days: two web servers and a database, with a daily load cycle, a heartbeat every minute, the odd warning and
    error. Day 4 hides three incidents: an error burst on web01, a silence on db01 (the service stopped logging)
    and a storm of an event id never seen before on web02.

    Then it does what you would do with a real export: Import-Csv, ConvertTo-LogWindow into 5-minute intervals
    per host (event count, counts per level and event id, min/mean/max latency), trains an autoencoder on days
    1-3, scores day 4 with Test-Anomaly and prints the flagged intervals and whether each incident was caught.
.PARAMETER PassThru
    Also return the results: an object with Incidents (one row per incident: caught, first flagged interval),
    Flagged (the flagged intervals) and FalseAlarms (flagged intervals outside the incidents).
.EXAMPLE
    ./Start-LogAnomalyDemo.ps1
#>
[CmdletBinding()]
param(
    # libtorch threads; one keeps the run steady on a busy machine.
    [ValidateRange(1, 1024)]
    [int] $ThreadCount = 1,

    [int] $Seed = 1,

    # Where to write the generated log export (kept); by default a temporary file, removed at the end.
    [string] $LogPath,

    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module AutoencoderPS)) {
    $manifest = Join-Path $PSScriptRoot '..' 'AutoencoderPS.psd1'
    if (Test-Path $manifest) { Import-Module $manifest } else { Import-Module AutoencoderPS }
}

$inv = [System.Globalization.CultureInfo]::InvariantCulture
$firstDay = [datetime]'2026-03-02'           # a Monday
$days = 4
$trainDays = 3
$scoreDay = $firstDay.AddDays($trainDays)

# The incidents of day 4, on 5-minute boundaries so that the intervals they cover are exact.
$incidents = @(
    [pscustomobject]@{ Name = 'error burst'; Host = 'web01'; Start = $scoreDay.AddHours(10); Minutes = 30
        Description = 'upstream timeouts: ~20 errors (EventId 5000) a minute, latency in seconds' }
    [pscustomobject]@{ Name = 'silence'; Host = 'db01'; Start = $scoreDay.AddHours(13); Minutes = 60
        Description = 'the database service stopped: no events at all, not even its heartbeat' }
    [pscustomobject]@{ Name = 'unseen event id storm'; Host = 'web02'; Start = $scoreDay.AddHours(16); Minutes = 20
        Description = 'EventId 7031, never seen in training, ~25 warnings a minute' }
)

#region The raw log export
# Per host: base event rate per minute at the daily peak, and what it logs (event id, level, message, share, latency).
$hosts = [ordered]@{
    web01 = @{ Rate = 6; Events = @(
            @{ Id = 1000; Level = 'Information'; Message = 'Request served'; Share = 0.85; Latency = { param($r, $load) 20 + 30 * $load - 12 * [math]::Log(1 - $r.NextDouble()) } }
            @{ Id = 1001; Level = 'Information'; Message = 'Cache refreshed'; Share = 0.08; Latency = { param($r, $load) 5 + 5 * $r.NextDouble() } }
            @{ Id = 2001; Level = 'Warning'; Message = 'Slow request'; Share = 0.06; Latency = { param($r, $load) 400 + 400 * $r.NextDouble() } }
            @{ Id = 5000; Level = 'Error'; Message = 'Upstream timeout'; Share = 0.01; Latency = { param($r, $load) 3000 + 2000 * $r.NextDouble() } }) }
    web02 = @{ Rate = 5; Events = $null }
    db01  = @{ Rate = 3; Events = @(
            @{ Id = 3000; Level = 'Information'; Message = 'Query executed'; Share = 0.90; Latency = { param($r, $load) 4 + 10 * $load - 3 * [math]::Log(1 - $r.NextDouble()) } }
            @{ Id = 3001; Level = 'Information'; Message = 'Checkpoint complete'; Share = 0.05; Latency = { param($r, $load) 50 + 50 * $r.NextDouble() } }
            @{ Id = 2002; Level = 'Warning'; Message = 'Lock wait exceeded 1 s'; Share = 0.045; Latency = { param($r, $load) 1000 + 500 * $r.NextDouble() } }
            @{ Id = 5001; Level = 'Error'; Message = 'Deadlock detected; transaction rolled back'; Share = 0.005; Latency = { param($r, $load) 200 + 100 * $r.NextDouble() } }) }
}
$hosts.web02.Events = $hosts.web01.Events

function Get-PoissonCount([System.Random] $Random, [double] $Mean) {
    $limit = [math]::Exp(-$Mean); $k = 0; $p = $Random.NextDouble()
    while ($p -gt $limit) { $k++; $p *= $Random.NextDouble() }
    $k
}

function Write-LogExport([string] $Path) {
    $random = [System.Random]::new($Seed)
    $writer = [System.IO.StreamWriter]::new($Path, $false, [System.Text.UTF8Encoding]::new($false))
    try {
        $writer.WriteLine('Timestamp,Host,Level,EventId,Message,LatencyMs')
        $line = {
            param([datetime] $t, [string] $h, [string] $level, [int] $id, [string] $message, [double] $latency)
            $writer.WriteLine(('{0},{1},{2},{3},"{4}",{5}' -f $t.ToString('yyyy-MM-dd HH:mm:ss.fff', $inv), $h, $level, $id, $message, $latency.ToString('0.0', $inv)))
        }
        for ($minute = 0; $minute -lt $days * 1440; $minute++) {
            $t = $firstDay.AddMinutes($minute)
            # Daily load cycle: lowest at 03:00, highest at 15:00.
            $load = 0.5 * (1 - [math]::Cos(2 * [math]::PI * ($t.TimeOfDay.TotalHours - 3) / 24))
            foreach ($h in $hosts.Keys) {
                $active = @($incidents | Where-Object { $_.Host -eq $h -and $t -ge $_.Start -and $t -lt $_.Start.AddMinutes($_.Minutes) })
                if ($active.Name -contains 'silence') { continue }
                & $line $t.AddSeconds($random.Next(60)) $h 'Information' 100 'Heartbeat' 0
                $count = Get-PoissonCount $random ($hosts[$h].Rate * (0.2 + 0.8 * $load))
                for ($e = 0; $e -lt $count; $e++) {
                    $u = $random.NextDouble(); $pick = $null
                    foreach ($event in $hosts[$h].Events) { $u -= $event.Share; if ($u -le 0) { $pick = $event; break } }
                    if (-not $pick) { $pick = $hosts[$h].Events[0] }
                    & $line $t.AddSeconds($random.Next(60)) $h $pick.Level $pick.Id $pick.Message (& $pick.Latency $random $load)
                }
                if ($active.Name -contains 'error burst') {
                    for ($e = 0; $e -lt 20; $e++) { & $line $t.AddSeconds($random.Next(60)) $h 'Error' 5000 'Upstream timeout' (3000 + 2000 * $random.NextDouble()) }
                }
                if ($active.Name -contains 'unseen event id storm') {
                    for ($e = 0; $e -lt 25; $e++) { & $line $t.AddSeconds($random.Next(60)) $h 'Warning' 7031 'Certificate validation failed for upstream' (30 + 20 * $random.NextDouble()) }
                }
            }
        }
    }
    finally { $writer.Dispose() }
}
#endregion

$keep = [bool]$LogPath
if (-not $LogPath) { $LogPath = Join-Path ([System.IO.Path]::GetTempPath()) "autoencoderps-logdemo-$PID.csv" }
try {
    Write-Host "AutoencoderPS log demo: 3 hosts, $days days of logs (generated, seed $Seed)."
    Write-LogExport -Path $LogPath
    $log = @(Import-Csv -LiteralPath $LogPath)
    Write-Host ("Raw log export: {0:N0} events in {1}; the first lines:" -f $log.Count, $(if ($keep) { $LogPath } else { 'a temporary CSV' }))
    Get-Content -LiteralPath $LogPath -TotalCount 4 | ForEach-Object { Write-Host "  $_" }

    # 5-minute intervals per host: EventCount, Level=..., EventId=..., LatencyMs.Min/Mean/Max.
    $window = @{ TimeProperty = 'Timestamp'; Interval = '00:05:00'; CountBy = 'Level', 'EventId'; GroupBy = 'Host'; Measure = 'LatencyMs' }
    $training = @($log | ConvertTo-LogWindow @window -Start $firstDay -End $scoreDay)
    Write-Host ("Training on days 1-{0}: {1:N0} intervals (5 minutes x {2} hosts), {3} columns per interval." -f $trainDays, $training.Count, $hosts.Count, @($training[0].PSObject.Properties).Count)

    $model = New-Autoencoder -HiddenLayer 16, 8 -Seed $Seed
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $training | Invoke-AutoencoderTraining -Model $model -Epochs 40 -ThresholdMethod Percentile -ThresholdValue 99.9 -ThreadCount $ThreadCount | Out-Null
    Write-Host ("Trained in {0:N1} s on {1} features: {2}" -f $clock.Elapsed.TotalSeconds, $model.Features.Count, ($model.Features -join ', '))

    # -Start/-End pick the days (records outside are left out). Day 4: -Model keeps the training's columns (EventId 7031 lands in 'EventId=(other)'); -Start/-End make the
    # silent intervals rows with zero counts.
    $scored = @($log | ConvertTo-LogWindow @window -Model $model -Start $scoreDay -End $scoreDay.AddDays(1) |
        Test-Anomaly -Model $model -ThreadCount $ThreadCount)
    $flagged = @($scored | Where-Object IsAnomaly)
    Write-Host ("Scored day {0}: {1} intervals, {2} flagged:" -f ($trainDays + 1), $scored.Count, $flagged.Count)
    $flagged | Format-Table @{ n = 'Interval'; e = { $_.IntervalStart.ToString('ddd HH:mm') } }, Host, EventCount, 'Level=Error', 'EventId=(other)',
        @{ n = 'Latency max'; e = { if ($null -ne $_.'LatencyMs.Max') { '{0:N0}' -f $_.'LatencyMs.Max' } } },
        @{ n = 'Score'; e = { '{0:N2}' -f $_.AnomalyScore } }, AnomalyTopFeature -AutoSize | Out-String -Width 200 | Write-Host

    $inIncident = {
        param($row)
        foreach ($i in $incidents) {
            if ($row.Host -eq $i.Host -and $row.IntervalStart -ge $i.Start -and $row.IntervalStart -lt $i.Start.AddMinutes($i.Minutes)) { return $i.Name }
        }
    }
    $report = foreach ($i in $incidents) {
        $rows = @($scored | Where-Object { (& $inIncident $_) -eq $i.Name })
        $hits = @($rows | Where-Object IsAnomaly)
        [pscustomobject]@{
            Incident    = $i.Name
            Host        = $i.Host
            Start       = $i.Start
            Intervals   = $rows.Count
            Flagged     = $hits.Count
            Caught      = $hits.Count -gt 0
            FirstFlag   = if ($hits) { $hits[0].IntervalStart } else { $null }
            TopFeature  = if ($hits) { $hits[0].AnomalyTopFeature } else { $null }
            Description = $i.Description
        }
    }
    Write-Host 'Injected incidents and what the model saw:'
    $report | Format-Table Incident, Host, @{ n = 'Start'; e = { $_.Start.ToString('ddd HH:mm') } }, Intervals, Flagged,
        @{ n = 'Caught'; e = { if ($_.Caught) { 'yes' } else { 'NO' } } }, @{ n = 'First flag'; e = { if ($_.FirstFlag) { $_.FirstFlag.ToString('HH:mm') } else { '-' } } },
        TopFeature, Description -AutoSize | Out-String -Width 220 | Write-Host

    $falseAlarms = @($flagged | Where-Object { -not (& $inIncident $_) })
    $normal = @($scored | Where-Object { -not (& $inIncident $_) }).Count
    Write-Host ("Caught {0} of {1} incidents. False alarms: {2} of {3} normal intervals ({4:P2})." -f
        @($report | Where-Object Caught).Count, $incidents.Count, $falseAlarms.Count, $normal, ($falseAlarms.Count / $normal))
    Write-Host 'Each flagged IntervalStart (and Host) is where to look in the raw log.'
    if ($PassThru) {
        [pscustomobject]@{ Incidents = @($report); Flagged = $flagged; FalseAlarms = $falseAlarms; Scored = $scored; Model = $model }
    }
}
finally {
    if (-not $keep) { Remove-Item -LiteralPath $LogPath -ErrorAction SilentlyContinue }
}
