<#
.SYNOPSIS
    Runs NAB's protocol on stand-ins, generated here from a seed, for the NAB categories we don't hold (artificial
    series, ad exchange costs, tweet counts), and prints per shape what the product did: training errors and
    warnings, rows left warming up or without a likelihood, false alerts and anomalies caught.
.DESCRIPTION
    The stand-ins are shapes described in NAB's papers and file names, never NAB's data (running on it would be
    tuning on the test set). Per shape and seed: a fresh New-Autoencoder -WindowSize 24 -TimeProperty timestamp
    -Seed s, trained on NAB's probation (the first min(15 %, 750) rows), then every row scored in one Test-Anomaly
    call; the detections are IsAlert rows after probation, as tests/Benchmarks/Invoke-NabEvaluation.ps1 runs NAB.

    Shapes (5-minute rows, 4,032 of them, unless said):
      flat              one constant value (NAB's artificialNoAnomaly); expect silence
      sine              a daily sine, no noise; expect silence
      sine-noise        a daily sine with small noise; expect silence
      square            a perfect daily square wave, no noise (20 by night, 80 by day, every day the same values);
                        expect silence
      noise             pure noise around a level; expect silence
      jumpsup           a square-ish daily wave whose high level jumps up for a day
      jumpsdown         the same wave, its high level down to the middle for a day
      flatmiddle        the wave stops at a constant (its middle) for a day
      spike-density     a quiet level with a spike every 100-200 rows; for 12 hours a spike every 6-12 rows
      lb-spikes         a load balancer's latency: low with noise and occasional spikes; 3 hours of tall spikes
      nojump            the square-ish wave becomes a sine of the same range for a day (a change of shape, no jump)
      adexchange        hourly cost per click (1,600 rows, 6 hours missing): small positive, skewed (log-normal
                        around a daily cycle); the cost triples for 6 hours, later it falls to a third for 12 hours
      tweets            5-minute tweet counts (15,800 rows): a daily cycle, many small counts, heavy-tailed bursts
                        (negative binomial); two bursts of 15 times the rate for 1 and 2 hours
      tweets-sparse     the same for a little-discussed name: a tenth of the rate and heavier tails, most rows 0

    An anomaly's window is NAB's: a tenth of the series' rows divided among its anomalies, centred on the anomaly.
    A false alert is an alert after probation outside every window; an anomaly is caught when an alert falls in its
    window, and its delay is counted from the injected event's first row. Per seed, the script also prints NAB's
    standard profile (normalised, tests/Benchmarks/NabScoring.ps1) over the shapes with anomalies: a rough figure on
    stand-ins, not NAB's score.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-NabShapeProbe.ps1 -Seed 1,2,3
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-NabShapeProbe.ps1 -Seed 1 -Shape flat,sine -DetailPath ./flat.csv
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    # One or more seeds (1,2,3; from bash, where pwsh -File passes '1,2,3' as one string, that works too).
    [string[]] $Seed = @('1', '2', '3'),
    [string[]] $Shape = @('flat', 'sine', 'sine-noise', 'square', 'noise', 'jumpsup', 'jumpsdown', 'flatmiddle', 'spike-density', 'lb-spikes', 'nojump', 'adexchange', 'tweets', 'tweets-sparse'),
    [ValidateRange(1, 64)] [int] $ThreadCount = 1,
    # Test-Anomaly's verdict options for an ablation (for example @{ AlertCooldown = '4h' }); none: the defaults.
    [hashtable] $ScoringOption = @{},
    # Writes every scored row (shape, seed, row, value, score, probability, status, alert, in a window) to this CSV.
    [string] $DetailPath
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
. (Join-Path $PSScriptRoot 'NabScoring.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
$Shape = @(Split-ListArgument $Shape)
Import-Module (Resolve-ProbeModulePath $ModulePath)
$inv = [System.Globalization.CultureInfo]::InvariantCulture
# NAB's artificial series start on 1 April 2014 (a Tuesday).
$start = [datetime]::new(2014, 4, 1, 0, 0, 0, [System.DateTimeKind]::Unspecified)

function Get-Normal([System.Random] $Rng) {
    # Box-Muller.
    $u1 = 1.0 - $Rng.NextDouble(); $u2 = $Rng.NextDouble()
    [Math]::Sqrt(-2.0 * [Math]::Log($u1)) * [Math]::Cos(2.0 * [Math]::PI * $u2)
}

function Get-Gamma([System.Random] $Rng, [double] $Shape) {
    # Marsaglia and Tsang (shape >= 1; a smaller shape through the boost u^(1/shape)).
    if ($Shape -lt 1) { return (Get-Gamma $Rng ($Shape + 1)) * [Math]::Pow(1.0 - $Rng.NextDouble(), 1.0 / $Shape) }
    $d = $Shape - 1.0 / 3; $c = 1.0 / [Math]::Sqrt(9 * $d)
    while ($true) {
        do { $x = Get-Normal $Rng; $v = 1 + $c * $x } while ($v -le 0)
        $v = $v * $v * $v; $u = 1.0 - $Rng.NextDouble()
        if ([Math]::Log($u) -lt 0.5 * $x * $x + $d - $d * $v + $d * [Math]::Log($v)) { return $d * $v }
    }
}

function Get-Poisson([System.Random] $Rng, [double] $Lambda) {
    # Knuth's method in pieces of 30 (a sum of Poisson draws is one).
    $k = 0
    while ($Lambda -gt 0) {
        $part = [Math]::Min($Lambda, 30.0); $Lambda -= $part
        $limit = [Math]::Exp(-$part); $p = 1.0
        do { $k++; $p *= $Rng.NextDouble() } while ($p -gt $limit)
        $k--
    }
    $k
}

function Get-SquareWave([int] $Row, [int] $RowsPerDay, [double] $Low, [double] $High) {
    # Square-ish: a logistic of a sine, low at night and high in the day, edges of about an hour.
    $s = [Math]::Sin(2 * [Math]::PI * $Row / $RowsPerDay)
    $Low + ($High - $Low) / (1 + [Math]::Exp(-8 * $s))
}

function New-ShapeSeries {
    # One shape and seed: its timestamps, values and anomalies (start and end rows of the injected event).
    param([string] $Name, [int] $RunSeed)
    $code = 0; foreach ($c in $Name.ToCharArray()) { $code = ($code * 31 + [int]$c) % 100003 }
    $rng = [System.Random]::new($RunSeed * 100003 + $code)
    $n = 4032; $stepMinutes = 5
    if ($Name -eq 'adexchange') { $n = 1600; $stepMinutes = 60 }
    if ($Name -like 'tweets*') { $n = 15800 }
    $day = 1440 / $stepMinutes
    $v = [double[]]::new($n)
    $events = [System.Collections.Generic.List[object]]::new()
    # An event starts at a seeded row in the second half of the series, after the probation and its window.
    $onset = [int]($n * 0.5) + $rng.Next(0, [int]($n * 0.3))
    switch ($Name) {
        'flat' { for ($i = 0; $i -lt $n; $i++) { $v[$i] = 20.0 } }
        'sine' { for ($i = 0; $i -lt $n; $i++) { $v[$i] = 50 + 30 * [Math]::Sin(2 * [Math]::PI * $i / $day) } }
        'sine-noise' { for ($i = 0; $i -lt $n; $i++) { $v[$i] = 50 + 30 * [Math]::Sin(2 * [Math]::PI * $i / $day) + 1.5 * (Get-Normal $rng) } }
        'square' { for ($i = 0; $i -lt $n; $i++) { $v[$i] = if (($i % $day) -lt $day / 2) { 20.0 } else { 80.0 } } }
        'noise' { for ($i = 0; $i -lt $n; $i++) { $v[$i] = 50 + 10 * (Get-Normal $rng) } }
        { $_ -in 'jumpsup', 'jumpsdown', 'flatmiddle', 'nojump' } {
            # The event is one day, starting at midnight.
            $onset = $onset - $onset % $day
            for ($i = 0; $i -lt $n; $i++) {
                $inside = $i -ge $onset -and $i -lt $onset + $day
                $high = 80.0
                if ($inside -and $Name -eq 'jumpsup') { $high = 160.0 }
                if ($inside -and $Name -eq 'jumpsdown') { $high = 50.0 }
                $v[$i] = (Get-SquareWave $i $day 20.0 $high) + 2 * (Get-Normal $rng)
                if ($inside -and $Name -eq 'flatmiddle') { $v[$i] = 50.0 }
                if ($inside -and $Name -eq 'nojump') { $v[$i] = 50 + 30 * [Math]::Sin(2 * [Math]::PI * $i / $day) + 2 * (Get-Normal $rng) }
            }
            $events.Add(@($onset, ($onset + $day - 1)))
        }
        'spike-density' {
            $length = $day / 2
            $next = $rng.Next(100, 200)
            for ($i = 0; $i -lt $n; $i++) {
                $v[$i] = 5 + 0.5 * (Get-Normal $rng)
                $dense = $i -ge $onset -and $i -lt $onset + $length
                if ($i -ge $next) { $v[$i] = 20 + 2 * (Get-Normal $rng); $next = $i + $(if ($dense) { $rng.Next(6, 12) } else { $rng.Next(100, 200) }) }
                if ($i -eq $onset) { $next = $i + $rng.Next(3, 6) }
            }
            $events.Add(@($onset, ($onset + $length - 1)))
        }
        'lb-spikes' {
            $length = 36
            for ($i = 0; $i -lt $n; $i++) {
                $v[$i] = 0.05 + 0.01 * [Math]::Abs((Get-Normal $rng))
                if ($rng.NextDouble() -lt 0.01) { $v[$i] = 0.05 + 0.5 * (Get-Gamma $rng 2.0) }
                if ($i -ge $onset -and $i -lt $onset + $length -and $rng.NextDouble() -lt 0.3) { $v[$i] = 3 + 2 * (Get-Gamma $rng 2.0) }
            }
            $events.Add(@($onset, ($onset + $length - 1)))
        }
        'adexchange' {
            $second = $onset + 150 + $rng.Next(0, 100)
            if ($second + 12 -ge $n) { $onset -= 260; $second -= 260 }
            for ($i = 0; $i -lt $n; $i++) {
                $cycle = 0.25 * [Math]::Sin(2 * [Math]::PI * ($i - 8) / $day)
                $v[$i] = 0.12 * [Math]::Exp($cycle + 0.35 * (Get-Normal $rng))
                if ($i -ge $onset -and $i -lt $onset + 6) { $v[$i] *= 3 }
                if ($i -ge $second -and $i -lt $second + 12) { $v[$i] /= 3 }
                $v[$i] = [Math]::Round($v[$i], 4)
            }
            $events.Add(@($onset, ($onset + 5)))
            $events.Add(@($second, ($second + 11)))
        }
        { $_ -in 'tweets', 'tweets-sparse' } {
            $sparse = $Name -eq 'tweets-sparse'
            $first = [int]($n * 0.35) + $rng.Next(0, [int]($n * 0.2))
            $second = [int]($n * 0.65) + $rng.Next(0, [int]($n * 0.25))
            for ($i = 0; $i -lt $n; $i++) {
                $rate = $(if ($sparse) { 0.6 } else { 6 }) * [Math]::Exp(0.8 * [Math]::Sin(2 * [Math]::PI * ($i - 72) / $day))
                if ($i -ge $first -and $i -lt $first + 12) { $rate *= 15 }
                if ($i -ge $second -and $i -lt $second + 24) { $rate *= 15 }
                # Negative binomial: a Poisson whose rate is gamma-distributed with shape 1.5, or 0.5 (heavy-tailed bursts).
                $shape = if ($sparse) { 0.5 } else { 1.5 }
                $v[$i] = Get-Poisson $rng ($rate * (Get-Gamma $rng $shape) / $shape)
            }
            $events.Add(@($first, ($first + 11)))
            $events.Add(@($second, ($second + 23)))
        }
        default { throw "Unknown shape '$Name'." }
    }
    $time = [datetime[]]::new($n)
    for ($i = 0; $i -lt $n; $i++) { $time[$i] = $start.AddMinutes($stepMinutes * $i) }
    $keep = [System.Collections.Generic.List[int]]::new()
    $missing = @{}
    if ($Name -eq 'adexchange') {
        # A few missing hours, none inside an event.
        while ($missing.Count -lt 6) {
            $r = $rng.Next($day, $n - 1)
            $hit = $false; foreach ($e in $events) { if ($r -ge $e[0] - 1 -and $r -le $e[1] + 1) { $hit = $true } }
            if (-not $hit) { $missing[$r] = $true }
        }
    }
    for ($i = 0; $i -lt $n; $i++) { if (-not $missing.ContainsKey($i)) { $keep.Add($i) } }
    # Row indices after the missing ones are dropped; the events' rows move with them.
    $index = @{}; for ($k = 0; $k -lt $keep.Count; $k++) { $index[$keep[$k]] = $k }
    $rows = [object[]]::new($keep.Count)
    for ($k = 0; $k -lt $keep.Count; $k++) { $rows[$k] = [pscustomobject]@{ timestamp = $time[$keep[$k]]; value = $v[$keep[$k]] } }
    $m = $keep.Count
    # NAB's windows: a tenth of the rows shared among the anomalies, centred on each.
    $width = if ($events.Count) { [int][Math]::Floor(0.1 * $m / $events.Count) } else { 0 }
    $windows = foreach ($e in $events) {
        $centre = [int](($index[$e[0]] + $index[$e[1]]) / 2)
        [pscustomobject]@{ Left = [Math]::Max(0, $centre - [int]($width / 2)); Right = [Math]::Min($m - 1, $centre - [int]($width / 2) + $width - 1); EventLeft = $index[$e[0]]; EventRight = $index[$e[1]] }
    }
    [pscustomobject]@{ Rows = $rows; Windows = @($windows) }
}

# (A list made inside an if would be unrolled to nothing.)
$detail = $null
if ($DetailPath) { $detail = [System.Collections.Generic.List[string]]::new(); $detail.Add('shape,seed,row,timestamp,value,score,probability,status,anomaly,alert,window') }
$results = foreach ($name in $Shape) {
    foreach ($runSeed in $Seed) {
        $s = New-ShapeSeries -Name $name -RunSeed $runSeed
        $rows = $s.Rows; $n = $rows.Count
        $probation = Get-NabProbationaryLength -RowCount $n
        $warnings = @(); $err = $null; $scored = @()
        try {
            $model = New-Autoencoder -WindowSize 24 -TimeProperty timestamp -Seed $runSeed
            $rows[0..($probation - 1)] | Invoke-AutoencoderTraining -Model $model -ThreadCount $ThreadCount -WarningVariable +warnings -WarningAction SilentlyContinue | Out-Null
            $scored = @($rows | Test-Anomaly -Model $model -ThreadCount $ThreadCount -TopFeatureCount 0 @ScoringOption -WarningVariable +warnings -WarningAction SilentlyContinue -ErrorAction Stop)
            if ($scored.Count -ne $n) { throw "$n rows but $($scored.Count) scored rows." }
        }
        catch { $err = $_.Exception.Message; $scored = @() }
        $inWindow = [bool[]]::new($n)
        foreach ($w in $s.Windows) { for ($i = $w.Left; $i -le $w.Right; $i++) { $inWindow[$i] = $true } }
        $detection = [bool[]]::new($n)
        $warming = 0; $noLikelihood = 0; $falseAlerts = 0; $anomalousOutside = 0
        $caught = 0; $delays = @()
        if ($scored.Count) {
            for ($i = 0; $i -lt $n; $i++) {
                $r = $scored[$i]
                $detection[$i] = [bool]$r.IsAlert
                if ($i -lt $probation) { continue }
                if ("$($r.AnomalyStatus)" -eq 'WarmingUp') { $warming++ }
                elseif ($null -eq $r.AnomalyProbability) { $noLikelihood++ }
                if ($r.IsAlert -and -not $inWindow[$i]) { $falseAlerts++ }
                if ($r.IsAnomaly -and -not $inWindow[$i]) { $anomalousOutside++ }
            }
            foreach ($w in $s.Windows) {
                $first = -1; for ($i = $w.Left; $i -le $w.Right; $i++) { if ($detection[$i]) { $first = $i; break } }
                if ($first -ge 0) { $caught++; $delays += $first - $w.EventLeft }
            }
            if ($null -ne $detail) {
                for ($i = 0; $i -lt $n; $i++) {
                    $r = $scored[$i]
                    $p = if ($null -eq $r.AnomalyProbability) { '' } else { ([double]$r.AnomalyProbability).ToString('R', $inv) }
                    $e = if ($null -eq $r.AnomalyScore) { '' } else { ([double]$r.AnomalyScore).ToString('R', $inv) }
                    $detail.Add(('{0},{1},{2},{3:yyyy-MM-dd HH:mm},{4},{5},{6},{7},{8},{9},{10}' -f $name, $runSeed, $i, $rows[$i].timestamp, ([double]$rows[$i].value).ToString('R', $inv), $e, $p, $r.AnomalyStatus, [int][bool]$r.IsAnomaly, [int][bool]$r.IsAlert, [int]$inWindow[$i]))
                }
            }
        }
        $after = $n - $probation
        [pscustomobject]@{
            Shape = $name; Seed = $runSeed; Rows = $n; Probation = $probation; Error = $err
            Warnings = @($warnings | ForEach-Object { "$_" } | Select-Object -Unique)
            WarmingShare = $warming / $after; NoLikelihoodShare = $noLikelihood / $after
            Alerts = @($detection | Where-Object { $_ }).Count; FalseAlerts = $falseAlerts; AnomalousOutside = $anomalousOutside
            Windows = $s.Windows.Count; Caught = $caught; Delays = $delays
            Nab = Measure-NabSeries -Detection $detection -Window $s.Windows -CostMatrix (Get-NabProfile Standard) -ProbationaryLength $probation
        }
    }
}
if ($null -ne $detail) { [System.IO.File]::WriteAllLines([System.IO.Path]::GetFullPath($DetailPath, (Get-Location).ProviderPath), $detail) }

# One line per shape, a Markdown table: figures per seed (1/2/3) where they differ by seed.
Write-Host ("Seeds {0}; NAB's protocol (window 24, trained on min(15 %, 750) rows, every row scored in one call)." -f ($Seed -join ','))
Write-Host ''
Write-Host '| Shape | Rows | Probation | Training errors | Warnings | Warming up, % | No likelihood, % | False alerts | Anomalous rows outside the windows | Anomalies caught | First alert after the onset, rows |'
Write-Host '|---|---:|---:|---:|---|---|---|---|---|---:|---|'
foreach ($g in $results | Group-Object Shape) {
    $r = @($g.Group)
    $perSeed = { param($f) ($r | ForEach-Object $f) -join ' / ' }
    Write-Host ('| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} | {9} | {10} |' -f $g.Name, $r[0].Rows, $r[0].Probation,
        @($r | Where-Object Error).Count,
        (& $perSeed { $_.Warnings.Count }),
        (& $perSeed { (100 * $_.WarmingShare).ToString('0.0', $inv) }),
        (& $perSeed { (100 * $_.NoLikelihoodShare).ToString('0.0', $inv) }),
        (& $perSeed { $_.FalseAlerts }),
        (& $perSeed { $_.AnomalousOutside }),
        $(if ($r[0].Windows) { '{0}/{1}' -f ($r | Measure-Object Caught -Sum).Sum, ($r | Measure-Object Windows -Sum).Sum } else { '-' }),
        $(if ($r[0].Windows) { & $perSeed { if ($_.Delays.Count) { $_.Delays -join ', ' } else { '-' } } } else { '-' }))
}
Write-Host ''
foreach ($runSeed in $Seed) {
    $mine = @($results | Where-Object Seed -EQ $runSeed)
    $withAnomaly = @($mine | Where-Object Windows -GT 0)
    $score = if ($withAnomaly.Count) { ($withAnomaly | ForEach-Object { $_.Nab } | Get-NabNormalizedScore).ToString('0.0', $inv) } else { '-' }
    Write-Host ("Seed {0}: NAB standard (normalised) over the shapes with anomalies {1}; false alerts on the shapes without {2}, on all {3}." -f $runSeed, $score,
        ($mine | Where-Object Windows -EQ 0 | Measure-Object FalseAlerts -Sum).Sum, ($mine | Measure-Object FalseAlerts -Sum).Sum)
}
foreach ($r in $results | Where-Object { $_.Error -or $_.Warnings.Count }) {
    Write-Host ("{0} seed {1}: {2}" -f $r.Shape, $r.Seed, $(if ($r.Error) { "error: $($r.Error)" } else { "warning: " + ($r.Warnings -join ' | ') }))
}
