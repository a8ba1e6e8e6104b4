<#
.SYNOPSIS
    Evaluates AutoencoderPS on NAB series (any folder in NAB's layout) with NAB's scoring rules, in all three NAB
    profiles, computed by tests/Benchmarks/NabScoring.ps1.
.DESCRIPTION
    For each series in <DataPath>/labels/combined_windows.json: train a fresh time-series model
    (New-Autoencoder -WindowSize n -TimeProperty timestamp, and otherwise the product's defaults unless -HiddenLayer,
    -OutputActivation, -Epochs, -Scaling, -ThresholdMethod or -ThresholdValue are given) on NAB's probationary rows (the first
    min(floor(15 % of the rows), 750)), score every row of the series in order with Test-Anomaly, and take the
    product's alerts (IsAlert) as the detections. Detections in the probationary rows are ignored by NAB's rules.

    A series that fails (it can't be read, trained or scored) is reported in the table with its error and scores as
    the null detector (every window missed); the other series go on.

    -Seed takes one or more seeds: each seed is a full run, and the report gives the median over the seeds per
    profile (and the per-series table of the run whose standard score is the median).

    -DetectionPath <folder> writes, per series (and per seed when there are several, under seed<N>/),
    <category>/<file>.csv with the series' rows in order: timestamp,value,anomaly_score (1 at an alert, 0
    elsewhere), which NAB's own code can score.

    -Ablation runs each part of the method on its own and together (calibration, alert cool-down) over the seeds and
    adds the table to the report.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-NabEvaluation.ps1 -Seed 1,2,3
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $DataPath,
    [string] $ResultPath,
    [ValidateRange(1, 64)] [int] $ThreadCount = 1,
    [ValidateRange(2, 1000)] [int] $WindowSize = 24,
    # Windows of time steps (New-Autoencoder -TimeGrid) instead of rows.
    [switch] $TimeGrid,
    # The model's settings. Unset (the default): the product's own defaults, as a new user gets them from
    # New-Autoencoder -WindowSize n -TimeProperty timestamp and Invoke-AutoencoderTraining without options.
    [string[]] $HiddenLayer,
    [ValidateSet('Sigmoid', 'Linear')] [string] $OutputActivation,
    [ValidateRange(1, 10000)] [int] $Epochs,
    [ValidateSet('MinMax', 'GlobalMinMax', 'Standard', 'Robust', 'RobustSigmoid')] [string] $Scaling,
    # The model's raw threshold (used with -Calibration None).
    [ValidateSet('MeanStd', 'Percentile', 'Contamination')] [string] $ThresholdMethod,
    [double] $ThresholdValue,
    # Test-Anomaly's verdict options; unset: the product's defaults.
    [ValidateSet('Auto', 'None', 'Likelihood')] [string] $Calibration,
    [double] $ProbabilityThreshold,
    [string] $AlertCooldown,
    # Continual learning (the model's LearnEvery; 0: off): set on a copy of each trained model before scoring.
    [ValidateRange(0, 100000)] [int] $LearnEvery = 0,
    # One or more seeds (1,2,3; from bash, where pwsh -File passes '1,2,3' as one string, that works too).
    [string[]] $Seed = @('1'),
    # Only series whose name matches (a -like pattern).
    [string] $Series = '*',
    [string] $DetectionPath,
    [switch] $Ablation,
    # Don't write the report (print only).
    [switch] $NoReport
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
if ($HiddenLayer) { $HiddenLayer = @(Split-ListArgument $HiddenLayer) }
$repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
if (-not $DataPath) { $DataPath = Join-Path $repoRoot '../shared/data/nab' }
if (-not $ResultPath) { $ResultPath = Join-Path $repoRoot '.docs/nab.md' }
$DataPath = [System.IO.Path]::GetFullPath($DataPath, (Get-Location).ProviderPath)
$windowsFile = Join-Path $DataPath 'labels/combined_windows.json'
if (-not (Test-Path -LiteralPath $windowsFile)) { throw "No NAB labels at '$windowsFile': pass -DataPath (the folder with labels/ and the series in category folders)." }
if ($DetectionPath) { $DetectionPath = [System.IO.Path]::GetFullPath($DetectionPath, (Get-Location).ProviderPath) }

Import-Module (Resolve-ProbeModulePath $ModulePath)
. (Join-Path $PSScriptRoot 'NabScoring.ps1')
$inv = [System.Globalization.CultureInfo]::InvariantCulture
$profiles = 'Standard', 'RewardLowFP', 'RewardLowFN'

# Load every series once: timestamps (as written and parsed), values, window row ranges. A series that can't be
# read is kept with its error.
$labels = Get-Content -LiteralPath $windowsFile -Raw | ConvertFrom-Json -AsHashtable
$data = foreach ($name in $labels.Keys | Sort-Object) {
    if ($name -notlike $Series) { continue }
    try {
        $rows = Import-Csv -LiteralPath (Join-Path $DataPath $name)
        $text = [string[]]@($rows.timestamp)
        $t = [datetime[]]@($text | ForEach-Object { [datetime]::Parse($_, $inv) })
        $v = [double[]]@($rows | ForEach-Object { [double]::Parse($_.value, $inv) })
        [pscustomobject]@{ Name = $name; Text = $text; Timestamp = $t; Value = $v; Windows = @(Get-NabWindowIndex -Timestamp $t -Window @($labels[$name])); Error = $null }
    }
    catch {
        [pscustomobject]@{ Name = $name; Text = @(); Timestamp = @(); Value = @(); Windows = @(); Error = "read: $($_.Exception.Message)" }
    }
}
Write-Host ("NAB data: {0} series, {1:N0} rows, {2} windows." -f @($data).Count, ($data | ForEach-Object { $_.Value.Count } | Measure-Object -Sum).Sum,
    ($data | ForEach-Object { $_.Windows.Count } | Measure-Object -Sum).Sum)

function New-SeriesRow {
    # The rows the model reads. The model's clock must not go back (a windowed model refuses a stream out of time
    # order): a series that repeats an hour (machine_temperature, 2014-01-07 02:00-02:55) gets a clock that goes on
    # one usual step at a time over those rows. NAB scores rows in file order, and so do we.
    param($S)
    $t = $S.Timestamp; $v = $S.Value
    $step = if ($t.Count -gt 1) { $t[1] - $t[0] } else { [timespan]::FromMinutes(5) }
    $clock = if ($t.Count) { $t[0] } else { $null }
    for ($i = 0; $i -lt $v.Count; $i++) {
        $clock = if ($i -eq 0 -or $t[$i] -ge $clock) { $t[$i] } else { $clock + $step }
        [pscustomobject]@{ timestamp = $clock; value = $v[$i] }
    }
}

# Only the model settings given here; the rest are the product's defaults.
$modelOptions = @{}
if ($HiddenLayer) { $modelOptions.HiddenLayer = [int[]]$HiddenLayer }
if ($OutputActivation) { $modelOptions.OutputActivation = $OutputActivation }
$trainingOptions = @{}
foreach ($name in 'Epochs', 'Scaling', 'ThresholdMethod', 'ThresholdValue') { if ($PSBoundParameters.ContainsKey($name)) { $trainingOptions[$name] = $PSBoundParameters[$name] } }

$modelCache = @{}
function Get-NabModel {
    # One model per series and seed (cached: variants that differ only in Test-Anomaly's options share the models).
    param($S, [int] $RunSeed)
    $key = "$($S.Name)|$RunSeed"
    if ($modelCache.ContainsKey($key)) { return $modelCache[$key] }
    $rows = @(New-SeriesRow -S $S)
    $probation = Get-NabProbationaryLength -RowCount $rows.Count
    $model = New-Autoencoder @modelOptions -Seed $RunSeed -WindowSize $WindowSize -TimeProperty timestamp -TimeGrid:$TimeGrid
    $rows[0..($probation - 1)] | Invoke-AutoencoderTraining -Model $model @trainingOptions -ThreadCount $ThreadCount -WarningAction SilentlyContinue | Out-Null
    $modelCache[$key] = [pscustomobject]@{ Model = $model; Rows = $rows; Probation = $probation }
    $modelCache[$key]
}

function Invoke-NabRun {
    # One full run: every series with one seed and one set of Test-Anomaly options. Returns per-series results
    # (all three profiles) and the normalised scores.
    param([int] $RunSeed, [hashtable] $Options, [string] $WriteDetections)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    # A variant with EmpiricalTail (an engine setting with no cmdlet parameter): the raw errors of
    # Test-Anomaly -Calibration None go through the product's RowVerdicts with AnomalyLikelihood(empiricalTail).
    $Options = $Options.Clone()
    $tail = $null
    if ($Options.ContainsKey('EmpiricalTail')) { $tail = [bool]$Options.EmpiricalTail; $Options.Remove('EmpiricalTail'); $Options.Calibration = 'None' }
    $results = foreach ($s in $data) {
        $n = $s.Value.Count
        $detection = [bool[]]::new($n)
        $err = $s.Error
        $flagged = 0
        if (-not $err) {
            try {
                $m = Get-NabModel -S $s -RunSeed $RunSeed
                # LearnEvery is a model setting, not a Test-Anomaly option: a model that learns changes as it scores, so
                # it scores as a copy of the cached model (Export/Import), which the other variants keep using unchanged.
                $testOptions = $Options.Clone()
                $learnEvery = [int]$testOptions['LearnEvery']
                $testOptions.Remove('LearnEvery')
                $scoringModel = $m.Model
                if ($learnEvery -gt 0) {
                    $copyPath = Join-Path ([System.IO.Path]::GetTempPath()) ("nab-learn-{0}.aemodel" -f [guid]::NewGuid())
                    try {
                        Export-Autoencoder -Model $m.Model -Path $copyPath
                        $scoringModel = Import-Autoencoder -Path $copyPath
                    }
                    finally { Remove-Item -LiteralPath $copyPath -ErrorAction SilentlyContinue }
                    $scoringModel.LearnEvery = $learnEvery
                }
                try { $scored = @($m.Rows | Test-Anomaly -Model $scoringModel -ThreadCount $ThreadCount -TopFeatureCount 0 @testOptions -ErrorAction Stop) }
                finally { if ($learnEvery -gt 0) { $scoringModel.Dispose() } }
                if ($scored.Count -ne $n) { throw "$n rows but $($scored.Count) scored rows." }
                $replay = if ($null -ne $tail) {
                    $L = [AutoencoderPS.Engine.Scoring.AnomalyLikelihood]
                    [AutoencoderPS.Engine.Scoring.RowVerdicts]::new($true, $L::DefaultThreshold, $null,
                        $L::new($L::DefaultHistoryRows, $L::DefaultShortRows, $L::DefaultLearningRows, $L::DefaultRecentRows, $tail))
                }
                for ($i = 0; $i -lt $n; $i++) {
                    if ($replay) {
                        $p = $null; $anomalous = $false
                        if ($null -ne $scored[$i].AnomalyScore) {
                            $detection[$i] = $replay.Next('series', $m.Rows[$i].timestamp, [double]$scored[$i].AnomalyScore, $false, [ref]$p, [ref]$anomalous)
                        }
                        if ($anomalous -and $i -ge $m.Probation) { $flagged++ }
                        continue
                    }
                    $detection[$i] = [bool]$scored[$i].IsAlert
                    if ($scored[$i].IsAnomaly -and $i -ge $m.Probation) { $flagged++ }
                }
            }
            catch { $err = $_.Exception.Message; $detection = [bool[]]::new($n) }
        }
        if ($WriteDetections -and $n -gt 0) {
            $file = Join-Path $WriteDetections $s.Name
            New-Item -ItemType Directory -Path (Split-Path $file) -Force | Out-Null
            $lines = [System.Collections.Generic.List[string]]::new($n + 1)
            $lines.Add('timestamp,value,anomaly_score')
            for ($i = 0; $i -lt $n; $i++) { $lines.Add(('{0},{1},{2}' -f $s.Text[$i], $s.Value[$i].ToString('R', $inv), [int]$detection[$i])) }
            [System.IO.File]::WriteAllLines($file, $lines)
        }
        $r = [ordered]@{ Series = $s.Name; Rows = $n; Error = $err; FlaggedRows = $flagged; Detections = @($detection | Where-Object { $_ }).Count }
        foreach ($p in $profiles) { $r[$p] = Measure-NabSeries -Detection $detection -Window $s.Windows -CostMatrix (Get-NabProfile $p) }
        [pscustomobject]$r
    }
    $score = @{}
    foreach ($p in $profiles) { $score[$p] = Get-NabNormalizedScore @($results | ForEach-Object { $_.$p }) }
    [pscustomobject]@{ Seed = $RunSeed; Options = $Options; Results = @($results); Score = $score; Seconds = $clock.Elapsed.TotalSeconds }
}

function Invoke-NabSeeds {
    # The same options over every seed: the runs and the median score per profile.
    param([hashtable] $Options, [string] $Label)
    $runs = foreach ($sd in $Seed) {
        $write = if ($DetectionPath -and $Label -eq 'defaults') { if ($Seed.Count -gt 1) { Join-Path $DetectionPath "seed$sd" } else { $DetectionPath } }
        $run = Invoke-NabRun -RunSeed $sd -Options $Options -WriteDetections $write
        Write-Host ("  seed {0}: standard {1,6:N1}  low FP {2,6:N1}  low FN {3,6:N1}  ({4:N0} s)  [{5}]" -f $sd, $run.Score.Standard, $run.Score.RewardLowFP, $run.Score.RewardLowFN, $run.Seconds, $Label)
        $run
    }
    $runs = @($runs)
    $median = @{}
    foreach ($p in $profiles) { $median[$p] = Get-Median @($runs | ForEach-Object { $_.Score[$p] }) }
    $byStandard = @($runs | Sort-Object { $_.Score.Standard })
    [pscustomobject]@{ Label = $Label; Options = $Options; Runs = $runs; Median = $median; MedianRun = $byStandard[[int][math]::Floor(($byStandard.Count - 1) / 2)] }
}

$defaultOptions = @{}
if ($PSBoundParameters.ContainsKey('Calibration')) { $defaultOptions.Calibration = $Calibration }
if ($PSBoundParameters.ContainsKey('ProbabilityThreshold')) { $defaultOptions.ProbabilityThreshold = $ProbabilityThreshold }
if ($AlertCooldown) { $defaultOptions.AlertCooldown = $AlertCooldown }
if ($LearnEvery -gt 0) { $defaultOptions.LearnEvery = $LearnEvery }

$total = [System.Diagnostics.Stopwatch]::StartNew()
$ablationRuns = @()
if ($Ablation) {
    $variants = [ordered]@{
        'raw threshold, every anomalous row an alert (cool-down 0)'    = @{ Calibration = 'None'; AlertCooldown = '0' }
        'raw threshold + alerts (cool-down 48)'                        = @{ Calibration = 'None' }
        'likelihood, every anomalous row an alert (cool-down 0)'       = @{ Calibration = 'Likelihood'; AlertCooldown = '0' }
        'likelihood >= 0.999 + alerts'                                 = @{ Calibration = 'Likelihood'; ProbabilityThreshold = 0.999 }
        'likelihood >= 0.9999 + alerts'                                = @{ Calibration = 'Likelihood'; ProbabilityThreshold = 0.9999 }
        'likelihood + alerts (cool-down 12)'                           = @{ Calibration = 'Likelihood'; AlertCooldown = '12' }
        'likelihood + alerts (cool-down 288)'                          = @{ Calibration = 'Likelihood'; AlertCooldown = '288' }
        'likelihood, Gaussian tail only (no empirical tail; replay)'   = @{ EmpiricalTail = $false }
        'likelihood with the empirical tail (replay of the defaults)'  = @{ EmpiricalTail = $true }
        'defaults + continual learning (model LearnEvery 32)'          = @{ LearnEvery = 32 }
        'defaults + continual learning (model LearnEvery 128)'         = @{ LearnEvery = 128 }
    }
    foreach ($label in $variants.Keys) {
        Write-Host $label
        $ablationRuns += Invoke-NabSeeds -Options $variants[$label] -Label $label
    }
}
Write-Host 'defaults'
$main = Invoke-NabSeeds -Options $defaultOptions -Label 'defaults'
$elapsed = $total.Elapsed.TotalSeconds

$main.MedianRun.Results | Format-Table Series, @{ n = 'Windows'; e = { $_.Standard.Windows } }, @{ n = 'Detected'; e = { $_.Standard.WindowsDetected } }, Detections,
    @{ n = 'FP'; e = { $_.Standard.FalsePositives } }, @{ n = 'Standard'; e = { '{0:N3}' -f $_.Standard.Score } }, Error -AutoSize | Out-String -Width 220 | Write-Host
Write-Host ("Median over seeds {0}: standard {1:N1}, reward_low_FP {2:N1}, reward_low_FN {3:N1}; {4:N0} s in all." -f ($Seed -join ','),
    $main.Median.Standard, $main.Median.RewardLowFP, $main.Median.RewardLowFN, $elapsed)

if ($NoReport) { return }

$cpu = if (Test-Path /proc/cpuinfo) { ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*') } else { $env:PROCESSOR_IDENTIFIER }
$moduleVersion = (Get-Module AutoencoderPS).Version
$optionText = if ($defaultOptions.Count) { ($defaultOptions.GetEnumerator() | Sort-Object Key | ForEach-Object { "-$($_.Key) $($_.Value)" }) -join ' ' } else { 'none (the product''s defaults)' }
$sb = [System.Text.StringBuilder]::new()
$line = { param($text) [void]$sb.AppendLine($text) }
& $line '# NAB evaluation'
& $line ''
& $line ('Written by `tests/Benchmarks/Invoke-NabEvaluation.ps1` on {0:yyyy-MM-dd HH:mm} UTC. Machine: {1} cores ({2}), {3}. AutoencoderPS {4}, libtorch threads: {5}.' -f
    [datetime]::UtcNow, [Environment]::ProcessorCount, $cpu, [System.Runtime.InteropServices.RuntimeInformation]::OSDescription, $moduleVersion, $ThreadCount)
& $line ''
& $line '```'
& $line 'dotnet pwsh ./build.ps1 -Task Build'
& $line ('dotnet pwsh tests/Benchmarks/Invoke-NabEvaluation.ps1 -Seed {0}{1}' -f ($Seed -join ','), $(if ($Ablation) { ' -Ablation' }))
& $line '```'
& $line ''
& $line ('Data: `{0}` ({1} series, {2} labelled windows; NAB''s `combined_windows.json`).' -f (Split-Path $DataPath -Leaf), @($data).Count, ($data | ForEach-Object { $_.Windows.Count } | Measure-Object -Sum).Sum)
& $line ''
& $line '## Method'
& $line ''
$optionsText = { param($o) ($o.GetEnumerator() | Sort-Object Key | ForEach-Object { " -$($_.Key) $(@($_.Value) -join ',')" }) -join '' }
$given = (& $optionsText $modelOptions) + $(if ($trainingOptions.Count) { ', Invoke-AutoencoderTraining' + (& $optionsText $trainingOptions) })
$sample = @($modelCache.Values)[0].Model
$settingsText = if ($sample) {
    '{0}: network {1} ({2}, {3} output), {4} scaling, threshold: {5}; epochs per series {6}' -f $(if ($given) { 'the product''s defaults otherwise' } else { 'the product''s defaults' }),
        ($sample.Settings.HiddenLayers -join '-'), $sample.Settings.Activation, $sample.Settings.OutputActivation, $sample.Scaling, $sample.ThresholdRule,
        $(if ($trainingOptions.ContainsKey('Epochs')) { $Epochs } else { $e = @($modelCache.Values | ForEach-Object { $_.Model.Training.Epochs } | Measure-Object -Minimum -Maximum); "$($e.Minimum)-$($e.Maximum) (the default step budget, early stopping)" })
}
& $line "- Per series and seed, a fresh model: New-Autoencoder -WindowSize $WindowSize -TimeProperty timestamp$(if ($TimeGrid) { ' -TimeGrid' })$given, $settingsText; trained on NAB's probationary rows (the first min(15 %, 750)), which may hold anomalies: nothing is cleaned or labelled."
& $line "- Every row of the series is then scored in order, in one Test-Anomaly call (options: $optionText). The detections are the product's alerts (IsAlert); NAB ignores detections in the probationary rows."
& $line '- A series that fails is listed with its error and counts as the null detector (every window missed).'
& $line '- Score: `tests/Benchmarks/NabScoring.ps1` (NAB''s rules; it agreed with NAB''s own code to 3 decimals on the same detections), normalised per profile over all series: no detections = 0, a detection at each window''s start = 100. Unlike NAB, no threshold is swept over the corpus.'
& $line ''
& $line '## Results'
& $line ''
& $line ('Median over seeds {0}: **NAB standard {1}**, reward_low_FP {2}, reward_low_FN {3}. Per seed (standard / low FP / low FN): {4}. Wall time of everything this script ran: {5:N0} s.' -f ($Seed -join ', '),
    $main.Median.Standard.ToString('0.0', $inv), $main.Median.RewardLowFP.ToString('0.0', $inv), $main.Median.RewardLowFN.ToString('0.0', $inv),
    (($main.Runs | ForEach-Object { 'seed {0}: {1} / {2} / {3} ({4:N0} s)' -f $_.Seed, $_.Score.Standard.ToString('0.0', $inv), $_.Score.RewardLowFP.ToString('0.0', $inv), $_.Score.RewardLowFN.ToString('0.0', $inv), $_.Seconds }) -join '; '), $elapsed)
& $line ''
& $line ('Per series, seed {0} (the median run):' -f $main.MedianRun.Seed)
& $line ''
& $line '| Series | Rows | Windows | Detected | Alerts | False alarms | Anomalous rows after probation | Standard (raw) | Error |'
& $line '|---|---:|---:|---:|---:|---:|---:|---:|---|'
foreach ($r in $main.MedianRun.Results) {
    & $line ('| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} |' -f $r.Series, $r.Rows, $r.Standard.Windows, $r.Standard.WindowsDetected, $r.Detections, $r.Standard.FalsePositives, $r.FlaggedRows, $r.Standard.Score.ToString('0.000', $inv), $r.Error)
}
if ($ablationRuns) {
    & $line ''
    & $line '## Ablation'
    & $line ''
    & $line ('Each row: the same models (per seed), scored with other Test-Anomaly options; median over seeds {0} per profile, and the standard score of each seed.' -f ($Seed -join ', '))
    & $line ''
    & $line '| Variant | Standard | reward_low_FP | reward_low_FN | Standard per seed | Windows detected (median run) | Alerts (median run) |'
    & $line '|---|---:|---:|---:|---|---:|---:|'
    foreach ($a in @($ablationRuns) + @($main)) {
        & $line ('| {0} | {1} | {2} | {3} | {4} | {5} | {6} |' -f $a.Label, $a.Median.Standard.ToString('0.0', $inv), $a.Median.RewardLowFP.ToString('0.0', $inv), $a.Median.RewardLowFN.ToString('0.0', $inv),
            (($a.Runs | ForEach-Object { $_.Score.Standard.ToString('0.0', $inv) }) -join ' / '),
            ($a.MedianRun.Results | ForEach-Object { $_.Standard.WindowsDetected } | Measure-Object -Sum).Sum, ($a.MedianRun.Results | Measure-Object Detections -Sum).Sum)
    }
}
$dir = Split-Path $ResultPath
if ($dir) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
Set-Content -LiteralPath $ResultPath -Value $sb.ToString() -NoNewline
Write-Host "Report: $ResultPath"
