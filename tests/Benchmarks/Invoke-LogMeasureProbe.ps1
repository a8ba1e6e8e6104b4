<#
.SYNOPSIS
    Probes false alerts from the measures of log windows (min, mean and max of a value over each interval's events):
    a generated web server log with no incident, turned into 5-minute rows by ConvertTo-LogWindow, trained on 7 days
    and scored on the next 5 as the series probe scores (a windowed model with the product's defaults). Every alert
    is false; the table says how many, and which feature topped them.
.DESCRIPTION
    The log: requests at a daily cycle, Poisson at 1 a minute at 03:00 to 15 a minute at 15:00 (about 5 to 75 in an
    interval), each with a request_time in seconds written to the millisecond as nginx writes it: lognormal, median
    0.045, log-sd 0.6. Rows: ConvertTo-LogWindow -Interval 00:05:00 -Measure request_time (EventCount and
    request_time.Min, .Mean and .Max), from a Thursday, 7 days to train on and 5 to score. Scenarios:
      countonly  the same log without -Measure: EventCount alone (the control)
      cached     30 % of the requests served from a cache in 0.000 s: request_time.Min is 0 in nearly every busy
                 interval and, at night, 0 or a backend's time (0.02-0.08) by chance
      health     no cache; a health check every minute that takes 0.001 s (75 %) or 0.002 s: request_time.Min is 0.001
                 in nearly every interval and one millisecond more in a few
    A statistic of a handful of events is noisier than one of a hundred: the measures' errors follow the traffic's
    daily cycle. .docs/series-probe.md ("Quiet features") has the figures and what was tried.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-LogMeasureProbe.ps1 -Seed 1,2,3,4,5
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-LogMeasureProbe.ps1 -Scenario health -TrainOption @{ ErrorWeighting = 'None' }
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    # One or more seeds (1,2,3; from bash, where pwsh -File passes '1,2,3' as one string, that works too).
    [string[]] $Seed = @('1', '2', '3'),
    [string[]] $Scenario = @('countonly', 'cached', 'health'),
    [ValidateRange(1, 64)] [int] $ThreadCount = 1,
    # Invoke-AutoencoderTraining's options for an ablation (for example @{ ErrorWeighting = 'None' }).
    [hashtable] $TrainOption = @{},
    # New-Autoencoder's options for an ablation (for example @{ TimeFeatures = $true }).
    [hashtable] $ModelOption = @{}
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
$Scenario = @(Split-ListArgument $Scenario)
Import-Module (Resolve-ProbeModulePath $ModulePath)

$start = [datetime]::new(2026, 1, 1)
$trainDays = 7
$scoredDays = 5

function Get-Normal([System.Random] $Rng) {
    # Box-Muller.
    $u1 = 1.0 - $Rng.NextDouble(); $u2 = $Rng.NextDouble()
    [Math]::Sqrt(-2.0 * [Math]::Log($u1)) * [Math]::Cos(2.0 * [Math]::PI * $u2)
}

function Get-Poisson([System.Random] $Rng, [double] $Mean) {
    $k = 0; $p = 1.0; $limit = [Math]::Exp(-$Mean)
    do { $k++; $p *= $Rng.NextDouble() } while ($p -gt $limit)
    $k - 1
}

# One record per request (and per health check): its time and request_time.
function New-ProbeLog([string] $Name, [int] $RunSeed) {
    $rng = [System.Random]::new($RunSeed)
    $records = [System.Collections.Generic.List[object]]::new()
    for ($m = 0; $m -lt ($trainDays + $scoredDays) * 1440; $m++) {
        $hour = ($m % 1440) / 60.0
        $perMinute = 1 + 14 * (0.5 - 0.5 * [Math]::Cos(2 * [Math]::PI * ($hour - 3) / 24))
        $requests = Get-Poisson $rng $perMinute
        if ($Name -eq 'health') {
            $records.Add([pscustomobject]@{ time = $start.AddMinutes($m); request_time = ($rng.NextDouble() -lt 0.25 ? 0.002 : 0.001) })
        }
        for ($k = 0; $k -lt $requests; $k++) {
            $seconds = if ($Name -eq 'cached' -and $rng.NextDouble() -lt 0.3) { 0.0 } else { [Math]::Round(0.045 * [Math]::Exp(0.6 * (Get-Normal $rng)), 3) }
            $records.Add([pscustomobject]@{ time = $start.AddMinutes($m).AddSeconds($rng.Next(0, 60)); request_time = $seconds })
        }
    }
    $records
}

$results = foreach ($name in $Scenario) {
    foreach ($runSeed in $Seed) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $window = @{ TimeProperty = 'time'; Interval = '00:05:00'; Start = $start; End = $start.AddDays($trainDays + $scoredDays) }
        if ($name -ne 'countonly') { $window.Measure = 'request_time' }
        $rows = @(New-ProbeLog -Name $name -RunSeed $runSeed | ConvertTo-LogWindow @window)
        $later = $start.AddDays($trainDays)
        $baseline = @($rows | Where-Object { $_.IntervalStart -lt $later })
        $scoredRows = @($rows | Where-Object { $_.IntervalStart -ge $later })
        $m = New-Autoencoder -WindowSize 24 -TimeProperty IntervalStart -Seed $runSeed @ModelOption
        $baseline | Invoke-AutoencoderTraining -Model $m -ThreadCount $ThreadCount -WarningAction SilentlyContinue @TrainOption | Out-Null
        $scored = @($scoredRows | Test-Anomaly -Model $m -ThreadCount $ThreadCount -WarningAction SilentlyContinue)
        $alerts = @($scored | Where-Object IsAlert)
        foreach ($a in $alerts) {
            Write-Host ("{0,-10} seed {1}: alert at {2:ddd HH:mm}, {3} events, min {4} mean {5:N3} max {6}: {7}" -f $name, $runSeed, $a.IntervalStart,
                $a.EventCount, $a.'request_time.Min', $a.'request_time.Mean', $a.'request_time.Max', $a.AnomalyExplanation)
        }
        Write-Host ("{0,-10} seed {1}: {2} alert(s) in {3} days ({4} s){5}" -f $name, $runSeed, $alerts.Count, $scoredDays,
            [Math]::Round($clock.Elapsed.TotalSeconds, 1), ($m.ErrorWeights ? "; error weights $($m.ErrorWeights.Describe($m.Schema))" : ''))
        [pscustomobject]@{
            Scenario = $name; Seed = $runSeed; Alerts = $alerts.Count
            MinTopped = @($alerts | Where-Object { $_.AnomalyTopFeature -like 'request_time.Min*' }).Count
            Night = @($alerts | Where-Object { $_.IntervalStart.Hour -lt 6 }).Count
        }
    }
}

''
"Trained on $trainDays days, scored $scoredDays days of 5-minute log windows; seeds $($Seed -join ','); no incident: every alert is false."
''
'| Scenario | Seeds | False alerts per day | Topped by request_time.Min | At 00:00-06:00 |'
'|---|---:|---:|---:|---:|'
foreach ($group in $results | Group-Object Scenario) {
    $alerts = ($group.Group | Measure-Object Alerts -Sum).Sum
    '| {0} | {1} | {2:N2} | {3} | {4} |' -f $group.Name, $group.Count, ($alerts / ($scoredDays * $group.Count)),
        ($group.Group | Measure-Object MinTopped -Sum).Sum, ($group.Group | Measure-Object Night -Sum).Sum
}
