<#
.SYNOPSIS
    Where the series probe's relation-break incident (cpu 12 higher for 2 hours, requests as they are) is lost, per seed:
    the window of 24 broken rows' score with and without the break, cpu's error per input, how much of the 12 the
    network's reconstruction carried, the incident's highest score against the ordinary windows', and the likelihood's
    Gaussian and empirical parts at its most likely row (.docs/series-probe.md, "A small broken relation").
.DESCRIPTION
    The rows are Invoke-SeriesProbe.ps1's (its generator, read from that script), the model its defaults. A feature's
    error is AnomalyFeatureShare x AnomalyScore (weighted per-input errors), in units of the threshold. "Without" scores
    the same rows with the 12 taken off cpu again; "if kept" is what the break would add to cpu's inputs if the
    reconstruction of cpu did not move (the +12 through cpu's scaling, times cpu's weight). The likelihood's parts are
    replayed from the scores by the product's rule (3-row average of log errors; median and MAD of the earlier averages;
    the share of them below).
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Measure-RelationBreak.ps1 -Seed 1,2,3,4,5
#>
param(
    [string[]] $Seed = @('1', '2', '3'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/AutoencoderPS/AutoencoderPS.psd1')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
Import-Module $ModulePath

# Invoke-SeriesProbe.ps1's generator and the script variables it reads.
$BaselineDays = 7; $LaterDays = 5; $stepMinutes = 5; $rowsPerDay = 288; $window = 24
$start = [datetime]::new(2026, 1, 1, 0, 0, 0, [System.DateTimeKind]::Unspecified)
$ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $PSScriptRoot 'Invoke-SeriesProbe.ps1'), [ref]$null, [ref]$null)
foreach ($f in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) { . ([scriptblock]::Create($f.Extent.Text)) }

function Get-CpuError($row) {
    $sum = 0.0
    foreach ($kv in $row.AnomalyFeatureShare.GetEnumerator()) { if ($kv.Key -like 'cpu (*') { $sum += $kv.Value * $row.AnomalyScore * 3 } }
    $sum
}

'| Seed | Window of 24 broken rows: score / threshold (without) | cpu''s error per input (without -> with; if kept) | Of the 12, left in cpu''s residual | Incident''s highest score | Ordinary windows'' highest (training / scored) | Highest likelihood (Gaussian z; spread) | Empirical tail there | Alerts in the incident |'
'|---:|---:|---:|---:|---:|---:|---:|---:|---|'
foreach ($s in $Seed) {
    $series = New-ProbeSeries -Name 'relation-break' -RunSeed $s
    $baseline = @($series.Rows | Where-Object Index -lt $series.Later | Select-Object * -ExcludeProperty Index)
    $later = @($series.Rows | Where-Object Index -ge $series.Later | Select-Object * -ExcludeProperty Index)
    $onset = $series.Onset - $series.Later
    $m = New-Autoencoder -WindowSize $window -TimeProperty timestamp -Seed $s
    $baseline | Invoke-AutoencoderTraining -Model $m -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
    $threshold = $m.Threshold
    $without = @($later | ForEach-Object { $_.PSObject.Copy() })
    for ($k = $onset; $k -lt $onset + 24; $k++) { $without[$k].cpu -= 12 }
    $raw = @($later | Test-Anomaly -Model $m -ThreadCount 1 -Calibration None -WarningAction SilentlyContinue)
    $rawWithout = @($without | Test-Anomaly -Model $m -ThreadCount 1 -Calibration None -WarningAction SilentlyContinue)
    $full = $onset + 23
    $with = Get-CpuError $raw[$full]; $before = Get-CpuError $rawWithout[$full]
    $cpu = [array]::IndexOf([string[]]@($m.FeatureColumns | ForEach-Object { "$_" }), 'cpu')
    $kept = 0.0
    for ($k = $onset; $k -le $full; $k++) {
        $x = [double]$later[$k].cpu
        $d = $m.Scaler.Transform($cpu, $x) - $m.Scaler.Transform($cpu, $x - 12)
        $kept += $m.ErrorWeights.PerFeature[$cpu] * $d * $d / 24
    }
    $left = 12 * [Math]::Sqrt([Math]::Max(0.0, $with - $before) / $kept)

    $training = @($baseline | Test-Anomaly -Model $m -ThreadCount 1 -Calibration None -WarningAction SilentlyContinue | Where-Object AnomalyStatus -eq 'Scored' | ForEach-Object AnomalyScore | Measure-Object -Maximum).Maximum
    $scored = @($later | Test-Anomaly -Model $m -ThreadCount 1 -WarningAction SilentlyContinue)
    $inIncident = { param($k) $k -ge $onset -and $k -lt $onset + 24 + $window }
    $peak = -1; $likeliest = -1; $ordinary = 0.0
    for ($k = 0; $k -lt $scored.Count; $k++) {
        if ($scored[$k].AnomalyStatus -ne 'Scored') { continue }
        if (& $inIncident $k) {
            if ($peak -lt 0 -or $scored[$k].AnomalyScore -gt $scored[$peak].AnomalyScore) { $peak = $k }
            if ($likeliest -lt 0 -or $scored[$k].AnomalyProbability -gt $scored[$likeliest].AnomalyProbability) { $likeliest = $k }
        } else { $ordinary = [Math]::Max($ordinary, $scored[$k].AnomalyScore) }
    }
    # The likelihood's parts at the likeliest row, replayed from the scored rows (the call's history only).
    $first = [array]::IndexOf([string[]]@($scored.AnomalyStatus), 'Scored')
    $logs = @($scored[$first..($scored.Count - 1)] | ForEach-Object { [Math]::Log($_.AnomalyScore) })
    $averages = for ($i = 0; $i -lt $logs.Count; $i++) { ($logs[[Math]::Max(0, $i - 2)..$i] | Measure-Object -Average).Average }
    $at = $likeliest - $first
    $history = @($averages[0..($at - 1)] | Sort-Object)
    $median = $history[[int][Math]::Floor(($history.Count - 1) / 2)]
    $deviations = @($history | ForEach-Object { [Math]::Abs($_ - $median) } | Sort-Object)
    $spread = [Math]::Max(0.05, 1.4826 * $deviations[[int][Math]::Floor(($deviations.Count - 1) / 2)])
    $empirical = @($history | Where-Object { $_ -lt $averages[$at] }).Count / $history.Count
    $alerts = @(for ($k = 0; $k -lt $scored.Count; $k++) { if ($scored[$k].IsAlert -and (& $inIncident $k)) { $k } })
    '| {0} | {1:0.00} ({2:0.00}) | {3:0.00} -> {4:0.00}; +{5:0.00} | {6:0.0} | {7:0.00} | {8:0.00} / {9:0.00} | {10:0.000} ({11:0.00}; {12:0.00}) | {13:0.000} | {14} |' -f $s,
        ($raw[$full].AnomalyScore / $threshold), ($rawWithout[$full].AnomalyScore / $threshold), ($before / $threshold), ($with / $threshold), ($kept / $threshold),
        $left, ($scored[$peak].AnomalyScore / $threshold), ($training / $threshold), ($ordinary / $threshold),
        $scored[$likeliest].AnomalyProbability, (($averages[$at] - $median) / $spread), $spread, $empirical,
        $(if ($alerts.Count) { "$($alerts.Count) (row $($alerts -join ' '))" } else { 'none' })
    $m.Dispose()
}
