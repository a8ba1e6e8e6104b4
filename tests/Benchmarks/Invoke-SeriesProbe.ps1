<#
.SYNOPSIS
    Probes how the time-series defaults generalize to series nobody tuned them on: synthetic series, generated here
    from a seed, each scored exactly as the guide shows an operator (a windowed model with the product's defaults,
    trained on a baseline, then the later rows piped to Test-Anomaly), and prints a table of false alerts per day and
    of what each injected incident got.
.DESCRIPTION
    Every series is 5-minute rows (-StepMinutes: 1, 15 or 60): -BaselineDays of normal rows to train on, then -LaterDays to score. Families:
      daily       daily cycle + noise, no incident (expect silence)
      weekly      daily cycle, quieter weekends, no incident; the baseline holds one weekend (expect silence)
      shift       a level shift that persists (one alert near its start, then silence: it is the new normal)
      spike       one row far above the cycle
      spike-early the same spike in the first hours of the scored rows
      drift       a slow ramp upwards that persists
      variance    the noise six times larger for two hours
      stuck       the sensor repeats one value for six hours
      gap         36 rows (3 hours) missing from the timestamps; not an incident (expect silence)
      outage      the same 36 rows written with their time and no value (a host down, its exporter still writing);
                  not an incident (expect silence)
      counter     a cumulative counter (requests served, its rate on the daily cycle) that resets to 0 once: a restart,
                  not an incident (expect silence; a windowed model reads a counter as its rate)
      counter-burst  the same counter without the reset, three times the rate for an hour
      lowcount    0-3 events per step (Poisson, daily cycle), no incident (expect silence)
      lowcount-burst  the same with four times the rate for an hour
      pair        two features on one cycle (value, and other with its own noise), no incident (expect silence)
      pair-two    the same with two incidents: value 40 higher for 12 rows (an hour), then 8-12 hours later (past the
                  first one's window and the 4-hour cool-down; at 15- and 60-minute rows, 12 rows and two windows after
                  its start) other 20 higher for 12 rows (10 of its deviations: a smaller error than the first); each
                  should alert
      pair-repeat the same, but the second incident is in value too (20 higher): a smaller repeat of the first
      relation    three metrics of one service tied to one another: requests (100 + 60 sin, noise sd 5), cpu (10 + 0.5
                  requests, sd 2) and latency_ms (80 + 0.1 requests, sd 3), no incident (expect silence)
      relation-break  the same with the relation broken: cpu 12 higher for 2 hours (24 rows) at night (from 01:00-06:00)
                  while requests stay as they are: 6 of cpu's own deviations given requests, inside cpu's daily range
    Each incident starts at a seeded random time in the third day of the scored rows (spike-early: its first five
    hours). An alert (IsAlert) counts for the incident when it falls between the incident's start and its end plus
    one window (24 rows); for the persistent ones (shift, drift) the first day after the start. Every other alert is
    a false alert; false alerts per day are over the scored rows outside the incident windows.

    -ScoreRows Later (the default) pipes only the later rows to Test-Anomaly, as an operator scores today's export.
    -ScoreRows All pipes baseline and later rows in one call (as the NAB evaluation scores every row of a series) and
    counts only the later rows.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-SeriesProbe.ps1 -Seed 1,2,3
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-SeriesProbe.ps1 -Seed 1,2,3 -ScoreRows All -Family spike,shift
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    # One or more seeds (1,2,3; from bash, where pwsh -File passes '1,2,3' as one string, that works too).
    [string[]] $Seed = @('1', '2', '3'),
    [string[]] $Family = @('daily', 'weekly', 'shift', 'spike', 'spike-early', 'drift', 'variance', 'stuck', 'gap', 'outage', 'counter', 'counter-burst', 'lowcount', 'lowcount-burst', 'pair', 'pair-two', 'pair-repeat', 'relation', 'relation-break'),
    [ValidateRange(2, 30)] [int] $BaselineDays = 7,
    [ValidateRange(3, 30)] [int] $LaterDays = 5,
    [ValidateSet('Later', 'All')] [string] $ScoreRows = 'Later',
    [ValidateRange(1, 64)] [int] $ThreadCount = 1,
    # Minutes between rows. The families' incidents are counted in rows (a spike is one row, a burst 12), their daily
    # and weekly cycles in time; 1 gives a per-minute export of the same shapes.
    [ValidateSet(1, 5, 15, 30, 60)] [int] $StepMinutes = 5,
    # An irregular series: each row (but an incident's first) is left out with this probability, drawn from a random
    # stream of its own (the values stay as they are), so rows come 5, 10, 15 or more minutes apart, as a traffic
    # sensor or an event-driven export writes them (0.4: 60 % of steps one interval, 1 in 200 over 6).
    [ValidateRange(0.0, 0.8)] [double] $DropShare = 0,
    # Test-Anomaly's verdict options for an ablation (for example @{ AlertCooldown = '4h' }); none: the defaults.
    [hashtable] $ScoringOption = @{},
    # New-Autoencoder's options for an ablation (for example @{ TimeFeatures = $true }); none: the defaults.
    [hashtable] $ModelOption = @{},
    # Writes one line per family and seed (alerts, their rows) to this CSV file as well.
    [string] $DetailPath
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
$Family = @(Split-ListArgument $Family)
Import-Module (Resolve-ProbeModulePath $ModulePath)

$stepMinutes = $StepMinutes
$rowsPerDay = 1440 / $stepMinutes
$window = 24
# Thursday: the baseline (7 days) holds one weekend and the scored rows (5 days) the next.
$start = [datetime]::new(2026, 1, 1, 0, 0, 0, [System.DateTimeKind]::Unspecified)

function Get-Normal([System.Random] $Rng) {
    # Box-Muller.
    $u1 = 1.0 - $Rng.NextDouble(); $u2 = $Rng.NextDouble()
    [Math]::Sqrt(-2.0 * [Math]::Log($u1)) * [Math]::Cos(2.0 * [Math]::PI * $u2)
}

function Get-Poisson([System.Random] $Rng, [double] $Lambda) {
    # Knuth's method (small rates only).
    $limit = [Math]::Exp(-$Lambda); $k = 0; $p = 1.0
    do { $k++; $p *= $Rng.NextDouble() } while ($p -gt $limit)
    $k - 1
}

function New-ProbeSeries {
    # The rows (timestamp, value) of one family and seed, the index of the first scored row, and the incidents
    # (start and end of the window in which an alert counts for it, as row indices of the whole series).
    param([string] $Name, [int] $RunSeed)
    # A stable seed per family and seed (String.GetHashCode differs from one process to the next).
    $familyCode = 0; foreach ($c in $Name.ToCharArray()) { $familyCode = ($familyCode * 31 + [int]$c) % 100003 }
    $rng = [System.Random]::new($RunSeed * 100003 + $familyCode)
    $total = ($BaselineDays + $LaterDays) * $rowsPerDay
    $later = $BaselineDays * $rowsPerDay
    $onset = if ($Name -eq 'spike-early') { $later + 36 + $rng.Next(0, 24) } else { $later + 2 * $rowsPerDay + $rng.Next(0, $rowsPerDay) }
    $values = [double[]]::new($total)
    # The second feature of the pair families (none for the others).
    $paired = $Name -in 'pair', 'pair-two', 'pair-repeat'
    $others = [double[]]::new($total)
    # (Drawn only for them, so the other families' series stay as they were.)
    # 8-12 hours after the first (96-144 rows of 5 minutes), and at least past the first's 12 rows, its window and a
    # cool-down of a window (at hourly rows a window is a day): counted in time, so the two stay separate incidents at
    # every step (in rows, they were 1.6-2.4 hours apart at one row a minute, and past the scored rows at hourly ones).
    $rowsPerHour = 60 / $stepMinutes
    $second = if ($paired) { $onset + [Math]::Max(8 * $rowsPerHour + $rng.Next(0, 4 * $rowsPerHour + 1), 12 + 2 * $window) } else { 0 }
    # The relation families' three metrics (the first is $values); their incident starts at night (drawn only for them).
    $related = $Name -in 'relation', 'relation-break'
    $cpus = [double[]]::new($total)
    $latencies = [double[]]::new($total)
    if ($related) { $onset = $later + 2 * $rowsPerDay + [int][Math]::Floor((1 + 5 * $rng.NextDouble()) * 60 / $stepMinutes) }
    $keep = [bool[]]::new($total)
    # Rows written without a value (the outage family).
    $blank = [bool[]]::new($total)
    $incidents = [System.Collections.Generic.List[object]]::new()
    $counter = 0.0
    for ($i = 0; $i -lt $total; $i++) {
        $keep[$i] = $true
        $t = $start.AddMinutes($i * $stepMinutes)
        $hour = $t.TimeOfDay.TotalHours
        $cycle = [Math]::Sin(2 * [Math]::PI * ($hour - 9) / 24)       # peaks at 15:00
        $weekend = $t.DayOfWeek -in [DayOfWeek]::Saturday, [DayOfWeek]::Sunday
        $noise = Get-Normal $rng
        $v = 50 + 15 * $cycle + 2 * $noise
        switch ($Name) {
            'weekly' { if ($weekend) { $v = 35 + 6 * $cycle + 2 * $noise } }
            'shift' { if ($i -ge $onset) { $v += 20 } }
            { $_ -in 'spike', 'spike-early' } { if ($i -eq $onset) { $v += 40 } }
            'drift' { if ($i -ge $onset) { $v += 40 * [Math]::Min(1.0, ($i - $onset) / (2.0 * $rowsPerDay)) } }
            'variance' { if ($i -ge $onset -and $i -lt $onset + 24) { $v += 10 * $noise } }
            'stuck' { if ($i -gt $onset -and $i -lt $onset + 72) { $v = $values[$onset] } }
            'gap' { if ($i -ge $onset -and $i -lt $onset + 36) { $keep[$i] = $false } }
            'outage' { if ($i -ge $onset -and $i -lt $onset + 36) { $blank[$i] = $true } }
            { $_ -in 'counter', 'counter-burst' } {
                if ($i -eq $onset -and $_ -eq 'counter') { $counter = 0.0 }
                $served = [Math]::Max(0.0, [Math]::Round(100 + 60 * $cycle + 10 * $noise))
                if ($_ -eq 'counter-burst' -and $i -ge $onset -and $i -lt $onset + 12) { $served *= 3 }
                $counter += $served
                $v = $counter
            }
            { $_ -in 'lowcount', 'lowcount-burst' } {
                $lambda = 1.5 + 1.2 * $cycle
                if ($_ -eq 'lowcount-burst' -and $i -ge $onset -and $i -lt $onset + 12) { $lambda *= 4 }
                $v = Get-Poisson $rng $lambda
            }
        }
        if ($related) {
            $v = 100 + 60 * $cycle + 5 * $noise
            $cpus[$i] = 10 + 0.5 * $v + 2 * (Get-Normal $rng)
            $latencies[$i] = 80 + 0.1 * $v + 3 * (Get-Normal $rng)
            if ($Name -eq 'relation-break' -and $i -ge $onset -and $i -lt $onset + 24) { $cpus[$i] += 12 }
        }
        $values[$i] = $v
        if ($paired) {
            $others[$i] = 30 + 10 * $cycle + 2 * (Get-Normal $rng)
            if ($Name -eq 'pair-two') {
                if ($i -ge $onset -and $i -lt $onset + 12) { $values[$i] += 40 }
                if ($i -ge $second -and $i -lt $second + 12) { $others[$i] += 20 }
            }
            if ($Name -eq 'pair-repeat') {
                if ($i -ge $onset -and $i -lt $onset + 12) { $values[$i] += 40 }
                if ($i -ge $second -and $i -lt $second + 12) { $values[$i] += 20 }
            }
        }
    }
    switch ($Name) {
        { $_ -in 'shift', 'drift' } { $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + $rowsPerDay }) }
        { $_ -in 'spike', 'spike-early' } { $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + $window }) }
        'variance' { $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + 24 + $window }) }
        'stuck' { $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + 72 + $window }) }
        'relation-break' { $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + 24 + $window }) }
        { $_ -in 'lowcount-burst', 'counter-burst' } { $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + 12 + $window }) }
        { $_ -in 'pair-two', 'pair-repeat' } {
            $incidents.Add([pscustomobject]@{ Start = $onset; End = $onset + 12 + $window })
            $incidents.Add([pscustomobject]@{ Start = $second; End = $second + 12 + $window })
        }
    }
    if ($DropShare -gt 0) {
        $dropper = [System.Random]::new($RunSeed * 7919 + $familyCode)
        $firsts = @($incidents | ForEach-Object Start)
        for ($i = 1; $i -lt $total; $i++) { if ($dropper.NextDouble() -lt $DropShare -and $i -notin $firsts) { $keep[$i] = $false } }
    }
    $rows = for ($i = 0; $i -lt $total; $i++) {
        if ($keep[$i]) {
            if ($related) { [pscustomobject]@{ Index = $i; timestamp = $start.AddMinutes($i * $stepMinutes); requests = $values[$i]; cpu = $cpus[$i]; latency_ms = $latencies[$i] } }
            elseif ($paired) { [pscustomobject]@{ Index = $i; timestamp = $start.AddMinutes($i * $stepMinutes); value = $values[$i]; other = $others[$i] } }
            else { [pscustomobject]@{ Index = $i; timestamp = $start.AddMinutes($i * $stepMinutes); value = $blank[$i] ? $null : $values[$i] } }
        }
    }
    foreach ($inc in $incidents) {
        if ($inc.End -gt $total) { throw "$Name seed ${RunSeed}: an incident's window ends after the scored rows ($($inc.End - $later) of $($total - $later)): give more -LaterDays." }
    }
    [pscustomobject]@{ Rows = @($rows); Later = $later; Incidents = $incidents.ToArray(); Onset = $onset; Total = $total }
}

$results = foreach ($name in $Family) {
    foreach ($runSeed in $Seed) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $s = New-ProbeSeries -Name $name -RunSeed $runSeed
        $baseline = @($s.Rows | Where-Object Index -lt $s.Later | Select-Object -Property * -ExcludeProperty Index)
        $laterRows = @($s.Rows | Where-Object Index -ge $s.Later)
        # What the guide shows an operator: the product's defaults, a 24-row window on the time column (a cumulative
        # counter is inferred as one and read as its rate).
        $m = New-Autoencoder -WindowSize $window -TimeProperty timestamp -Seed $runSeed @ModelOption
        $baseline | Invoke-AutoencoderTraining -Model $m -ThreadCount $ThreadCount -WarningAction SilentlyContinue | Out-Null
        $toScore = if ($ScoreRows -eq 'All') { $s.Rows } else { $laterRows }
        $scored = @($toScore | Select-Object -Property * -ExcludeProperty Index | Test-Anomaly -Model $m -ThreadCount $ThreadCount @ScoringOption)
        if ($scored.Count -ne $toScore.Count) { throw "$name seed ${runSeed}: $($toScore.Count) rows in, $($scored.Count) out." }
        $index = @($toScore.Index)
        $alerts = [System.Collections.Generic.List[int]]::new()
        $anomalies = 0; $learning = 0
        for ($k = 0; $k -lt $scored.Count; $k++) {
            if ($index[$k] -lt $s.Later) { continue }
            if ($scored[$k].IsAlert) { $alerts.Add($index[$k]) }
            if ($scored[$k].IsAnomaly) { $anomalies++ }
            if ($scored[$k].AnomalyStatus -eq 'Scored' -and $null -eq $scored[$k].AnomalyProbability) { $learning++ }
        }
        $inIncident = { param($r) foreach ($inc in $s.Incidents) { if ($r -ge $inc.Start -and $r -lt $inc.End) { return $true } }; $false }
        $incidentRows = 0
        foreach ($inc in $s.Incidents) { $incidentRows += @($index | Where-Object { $_ -ge $inc.Start -and $_ -lt $inc.End }).Count }
        $normalRows = @($index | Where-Object { $_ -ge $s.Later }).Count - $incidentRows
        if ($DropShare -gt 0) {
            # Days of time, not of the rows left: the grid's positions after the baseline outside the incidents' windows.
            $normalRows = $s.Total - $s.Later
            foreach ($inc in $s.Incidents) { $normalRows -= [Math]::Min($inc.End, $s.Total) - $inc.Start }
        }
        $falseAlerts = @($alerts | Where-Object { -not (& $inIncident $_) })
        $perIncident = foreach ($inc in $s.Incidents) {
            $hits = @($alerts | Where-Object { $_ -ge $inc.Start -and $_ -lt $inc.End })
            [pscustomobject]@{ Alerts = $hits.Count; DelayMinutes = if ($hits.Count) { ($hits[0] - $inc.Start) * $stepMinutes } else { $null } }
        }
        [pscustomobject]@{
            Family = $name; Seed = $runSeed; Seconds = [Math]::Round($clock.Elapsed.TotalSeconds, 1)
            Threshold = $m.Threshold; Alerts = $alerts.Count; FalseAlerts = $falseAlerts.Count; NormalDays = $normalRows / $rowsPerDay
            AnomalousRows = $anomalies; LearningRows = $learning
            Incidents = @($perIncident); AlertRows = ($alerts | ForEach-Object { $_ - $s.Later }) -join ' '; Onset = $s.Onset - $s.Later
        }
        Write-Host ("{0,-15} seed {1}: {2} alert(s) at scored row(s) [{3}], onset {4}, {5} anomalous rows, {6} rows without a likelihood ({7} s)" -f
            $name, $runSeed, $alerts.Count, (($alerts | ForEach-Object { $_ - $s.Later }) -join ' '), ($s.Onset - $s.Later), $anomalies, $learning,
            [Math]::Round($clock.Elapsed.TotalSeconds, 1))
    }
}

if ($DetailPath) {
    $results | Select-Object Family, Seed, Seconds, Threshold, Alerts, FalseAlerts, NormalDays, AnomalousRows, LearningRows, Onset, AlertRows,
        @{ n = 'IncidentAlerts'; e = { ($_.Incidents.Alerts) -join ' ' } }, @{ n = 'DelayMinutes'; e = { ($_.Incidents.DelayMinutes) -join ' ' } } |
        Export-Csv -LiteralPath $DetailPath -NoTypeInformation
}

$inv = [System.Globalization.CultureInfo]::InvariantCulture
"Scored rows: $ScoreRows; baseline $BaselineDays days, scored $LaterDays days of $stepMinutes-minute rows$(if ($DropShare -gt 0) { ", each left out with probability $DropShare" }); seeds $($Seed -join ',')."
''
'| Family | Seeds | False alerts per day | Incidents caught | Alerts per caught incident | Delay (min, median) |'
'|---|---:|---:|---:|---:|---:|'
foreach ($group in $results | Group-Object Family) {
    $runs = @($group.Group)
    $days = ($runs | Measure-Object NormalDays -Sum).Sum
    $falsePerDay = ($runs | Measure-Object FalseAlerts -Sum).Sum / $days
    $incidents = @($runs | ForEach-Object { $_.Incidents })
    $caught = @($incidents | Where-Object Alerts -gt 0)
    $caughtText = if ($incidents.Count) { "$($caught.Count)/$($incidents.Count)" } else { '-' }
    $perText = if ($caught.Count) { ($caught | Measure-Object Alerts -Average).Average.ToString('0.0', $inv) } else { '-' }
    $delays = @($caught | ForEach-Object DelayMinutes | Sort-Object)
    $delayText = if ($delays.Count) { $delays[[int][Math]::Floor(($delays.Count - 1) / 2)].ToString($inv) } else { '-' }
    '| {0} | {1} | {2} | {3} | {4} | {5} |' -f $group.Name, $runs.Count, $falsePerDay.ToString('0.00', $inv), $caughtText, $perText, $delayText
}
