<#
.SYNOPSIS
    Evaluates AutoencoderPS on the NAB subset (real AWS CloudWatch and known-cause series with labelled anomaly
    windows) with NAB's standard-profile score, computed by tests/Benchmarks/NabScoring.ps1.
.DESCRIPTION
    For each series in <DataPath>/labels/combined_windows.json: train a fresh model on the first 15 % of the rows
    (NAB's probationary share), score every row causally with Test-Anomaly, and turn IsAnomaly into detections:
    an alarm is raised at a flagged row after at least -QuietRows unflagged rows (one alarm per run of flagged
    rows), so a detector that flags whole stretches pays for one false alarm per stretch, not per row (-QuietRows 0:
    every flagged row is a detection). Detections in the training rows are dropped (the model has seen them).

    The model reads either the rows as they are (value, with -TimeFeatures hour and day of week), or, with
    -WindowSize n > 1, windows of n consecutive rows: through New-Autoencoder -WindowSize when the module has it,
    otherwise (-LagMode Script, or an older module) as n lagged copies of the value built here (value, value.1 =
    the previous row's value, ..., all causal).

    Writes a markdown report to -ResultPath: settings, machine, versions, a table per series and the total, and
    with -Grid the scores of a small grid of settings.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-NabEvaluation.ps1 -ModulePath out/AutoencoderPS/AutoencoderPS.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string] $DataPath,
    [string] $ResultPath,
    [ValidateRange(1, 64)] [int] $ThreadCount = 1,
    [ValidateRange(1, 1000)] [int] $WindowSize = 24,
    [ValidateSet('Auto', 'Module', 'Script')] [string] $LagMode = 'Auto',
    [switch] $TimeFeatures,
    [int[]] $HiddenLayer = @(16, 8, 4),
    [ValidateSet('Sigmoid', 'Linear')] [string] $OutputActivation = 'Linear',
    [ValidateRange(1, 10000)] [int] $Epochs = 30,
    [ValidateSet('MinMax', 'GlobalMinMax', 'Standard', 'Robust')] [string] $Scaling = 'Robust',
    [ValidateSet('MeanStd', 'Percentile', 'Contamination')] [string] $ThresholdMethod = 'Percentile',
    [double] $ThresholdValue = 99.9,
    [ValidateRange(0, 100000)] [int] $QuietRows = 48,
    [double] $TrainFraction = 0.15,
    [int] $Seed = 1,
    # Only series whose name matches (a -like pattern).
    [string] $Series = '*',
    # Also run a small grid of settings (slow: one full evaluation per setting) and report it.
    [switch] $Grid,
    # The grid: hashtables of settings that differ from the defaults (default: a built-in list).
    [hashtable[]] $GridSetting,
    # Don't write the report (print only).
    [switch] $NoReport
)

$ErrorActionPreference = 'Stop'
$repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
if (-not $ModulePath) { $ModulePath = Join-Path $repoRoot 'out/AutoencoderPS/AutoencoderPS.psd1' }
if (-not $DataPath) { $DataPath = Join-Path $repoRoot '../shared/data/nab' }
if (-not $ResultPath) { $ResultPath = Join-Path $repoRoot '.docs/nab.md' }
$DataPath = [System.IO.Path]::GetFullPath($DataPath)
$windowsFile = Join-Path $DataPath 'labels/combined_windows.json'
if (-not (Test-Path -LiteralPath $windowsFile)) { throw "No NAB labels at '$windowsFile': pass -DataPath (the folder with labels/ and the series)." }

# A relative -ModulePath is relative to the current folder (Import-Module would look it up as a module name).
Import-Module ([System.IO.Path]::GetFullPath($ModulePath, (Get-Location).ProviderPath))
. (Join-Path $PSScriptRoot 'NabScoring.ps1')
$moduleHasWindows = (Get-Command New-Autoencoder).Parameters.ContainsKey('WindowSize')

# Load every series once: timestamps, values, window row ranges.
$labels = Get-Content -LiteralPath $windowsFile -Raw | ConvertFrom-Json -AsHashtable
$data = foreach ($name in $labels.Keys | Sort-Object) {
    if ($name -notlike $Series) { continue }
    $rows = Import-Csv -LiteralPath (Join-Path $DataPath $name)
    $inv = [System.Globalization.CultureInfo]::InvariantCulture
    $t = [datetime[]]@($rows | ForEach-Object { [datetime]::Parse($_.timestamp, $inv) })
    $v = [double[]]@($rows | ForEach-Object { [double]::Parse($_.value, $inv) })
    [pscustomobject]@{
        Name      = $name
        Timestamp = $t
        Value     = $v
        Windows   = @(Get-NabWindowIndex -Timestamp $t -Window @($labels[$name]))
    }
}
Write-Host ("NAB subset: {0} series, {1:N0} rows, {2} windows." -f @($data).Count, ($data | ForEach-Object { $_.Value.Count } | Measure-Object -Sum).Sum,
    ($data | ForEach-Object { $_.Windows.Count } | Measure-Object -Sum).Sum)

function New-SeriesRow {
    # The rows the model reads: timestamp and value, plus (script lags) value.1 .. value.<lags>, the previous values.
    param($S, [int] $Lags)
    # The model's clock must not go back (a windowed model rejects a stream out of time order). One series
    # (machine_temperature) repeats an hour, 02:00-02:55, as if the clock had been set back: those rows get a clock
    # that goes on one usual step at a time. NAB scores rows in file order, and so do we.
    $t = $S.Timestamp; $v = $S.Value
    $step = $t[1] - $t[0]
    $clock = $t[0]
    for ($i = 0; $i -lt $v.Count; $i++) {
        $clock = if ($i -eq 0 -or $t[$i] -ge $clock) { $t[$i] } else { $clock + $step }
        $row = [ordered]@{ timestamp = $clock; value = $v[$i] }
        for ($k = 1; $k -le $Lags; $k++) { $row["value.$k"] = $v[[math]::Max(0, $i - $k)] }
        [pscustomobject]$row
    }
}

$modelCache = @{}

function Get-NabModelRun {
    <#
    Trains one model per series for the model part of a setting (input, network, epochs, scaling, seed) and scores
    every row; cached, so settings that differ only in threshold or alarms reuse the same models and scores.
    #>
    param([hashtable] $Setting)
    $useModuleWindows = $Setting.WindowSize -gt 1 -and $moduleHasWindows -and $Setting.LagMode -ne 'Script'
    if ($Setting.WindowSize -gt 1 -and $Setting.LagMode -eq 'Module' -and -not $moduleHasWindows) {
        throw 'This module has no New-Autoencoder -WindowSize; use -LagMode Script or Auto.'
    }
    $lags = if ($Setting.WindowSize -gt 1 -and -not $useModuleWindows) { $Setting.WindowSize - 1 } else { 0 }
    $key = '{0}|{1}|{2}|{3}|{4}|{5}|{6}|{7}|{8}' -f $Setting.WindowSize, $useModuleWindows, $Setting.TimeFeatures, ($Setting.HiddenLayer -join '-'),
        $Setting.OutputActivation, $Setting.Epochs, $Setting.Scaling, $Setting.Seed, $Setting.TrainFraction
    if ($modelCache.ContainsKey($key)) { return $modelCache[$key] }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $series = foreach ($s in $data) {
        $n = $s.Value.Count
        $trainCount = [int][math]::Floor($Setting.TrainFraction * $n)
        $rows = @(New-SeriesRow -S $s -Lags $lags)
        $newArgs = @{ HiddenLayer = $Setting.HiddenLayer; OutputActivation = $Setting.OutputActivation; Seed = $Setting.Seed }
        if ($Setting.TimeFeatures) { $newArgs.TimeFeatures = $true }
        if ($useModuleWindows) { $newArgs.WindowSize = $Setting.WindowSize; $newArgs.TimeProperty = 'timestamp' }
        $model = New-Autoencoder @newArgs
        $rows[0..($trainCount - 1)] | Invoke-AutoencoderTraining -Model $model -Epochs $Setting.Epochs -Scaling $Setting.Scaling `
            -ThreadCount $ThreadCount -WarningAction SilentlyContinue | Out-Null
        # Warm-up rows of a windowed model have no score ($null): never an alarm.
        $score = [double[]]@($rows | Test-Anomaly -Model $model -ThreadCount $ThreadCount -TopFeatureCount 1 |
            ForEach-Object { if ($null -eq $_.AnomalyScore) { [double]::NegativeInfinity } else { [double]$_.AnomalyScore } })
        if ($score.Count -ne $n) { throw "$($s.Name): $n rows but $($score.Count) scores." }
        [pscustomobject]@{ Series = $s; TrainCount = $trainCount; Model = $model; Score = $score }
    }
    $modelCache[$key] = [pscustomobject]@{ Series = @($series); Seconds = $clock.Elapsed.TotalSeconds }
    $modelCache[$key]
}

function Invoke-NabRun {
    param([hashtable] $Setting)
    $modelRun = Get-NabModelRun -Setting $Setting
    $results = foreach ($m in $modelRun.Series) {
        $s = $m.Series
        $n = $s.Value.Count
        # The model's own threshold rule on its training errors, as Invoke-AutoencoderTraining would set it.
        Set-AutoencoderThreshold -Model $m.Model -Method $Setting.ThresholdMethod -Value $Setting.ThresholdValue
        $threshold = $m.Model.Threshold
        $flag = [bool[]]::new($n)
        for ($i = $m.TrainCount; $i -lt $n; $i++) { $flag[$i] = -not ($m.Score[$i] -le $threshold) }   # IsAnomaly's rule
        # Alarms: a flagged row after at least QuietRows unflagged ones (QuietRows 0: every flagged row).
        $detection = [bool[]]::new($n)
        $lastFlag = -1000000000
        for ($i = 0; $i -lt $n; $i++) {
            if (-not $flag[$i]) { continue }
            if ($Setting.QuietRows -eq 0 -or $i - $lastFlag -gt $Setting.QuietRows) { $detection[$i] = $true }
            $lastFlag = $i
        }
        $r = Measure-NabSeries -Detection $detection -Window $s.Windows
        $flaggedRows = @($flag | Where-Object { $_ }).Count
        $inWindow = 0
        foreach ($w in $s.Windows) { for ($i = $w.Left; $i -le $w.Right; $i++) { if ($flag[$i]) { $inWindow++ } } }
        $r | Add-Member -NotePropertyMembers @{
            Series = $s.Name; Rows = $n; TrainRows = $m.TrainCount; FlaggedRows = $flaggedRows
            FalseAlarmRows = $flaggedRows - $inWindow; Detections = @($detection | Where-Object { $_ }).Count
        } -PassThru
    }
    [pscustomobject]@{
        Setting = $Setting
        Results = @($results)
        Score   = Get-NabNormalizedScore @($results)
        Seconds = $modelRun.Seconds
    }
}

function Format-Setting([hashtable] $S) {
    $w = if ($S.WindowSize -le 1) { 'rows' } elseif ($S.LagMode -eq 'Script' -or -not $moduleHasWindows) { "$($S.WindowSize - 1) lagged columns" } else { "window $($S.WindowSize)" }
    "{0}{1}, {2}, {3} epochs, {4} scaling, {5} {6}, quiet {7}{8}" -f $w, $(if ($S.TimeFeatures) { ' + time features' } else { '' }),
        ($S.HiddenLayer -join '-'), $S.Epochs, $S.Scaling, $S.ThresholdMethod, $S.ThresholdValue, $S.QuietRows, $(if ($S.Seed -ne 1) { ", seed $($S.Seed)" })
}

$default = @{
    WindowSize = $WindowSize; LagMode = $LagMode; TimeFeatures = [bool]$TimeFeatures; HiddenLayer = $HiddenLayer; OutputActivation = $OutputActivation; Epochs = $Epochs
    Scaling = $Scaling; ThresholdMethod = $ThresholdMethod; ThresholdValue = $ThresholdValue; QuietRows = $QuietRows
    TrainFraction = $TrainFraction; Seed = $Seed
}

$gridRuns = @()
if ($Grid) {
    # One change at a time from the defaults, plus a few combinations.
    $variants = if ($GridSetting) { $GridSetting } else { @(
        # Input: rows, other window sizes, the window built as lagged columns by this script, time features.
        @{ WindowSize = 1 }, @{ WindowSize = 6 }, @{ WindowSize = 12 }, @{ WindowSize = 48 }, @{ LagMode = 'Script' },
        @{ TimeFeatures = -not $TimeFeatures },
        # Training: scaling, epochs, seed.
        @{ Scaling = 'MinMax'; OutputActivation = 'Sigmoid' }, @{ Scaling = 'Standard' }, @{ Epochs = 10 }, @{ Epochs = 60 }, @{ Seed = 2 }, @{ Seed = 3 },
        # Threshold and alarms (same models as the defaults).
        @{ ThresholdValue = 99.5 }, @{ ThresholdValue = 100 },
        @{ ThresholdMethod = 'MeanStd'; ThresholdValue = 3 }, @{ ThresholdMethod = 'MeanStd'; ThresholdValue = 5 },
        @{ QuietRows = 0 }, @{ QuietRows = 12 }, @{ QuietRows = 288 }
    ) }
    foreach ($v in $variants) {
        $setting = $default.Clone()
        foreach ($k in $v.Keys) { $setting[$k] = $v[$k] }
        $run = Invoke-NabRun -Setting $setting
        Write-Host ("{0,7:N1}  {1}  ({2:N0} s)" -f $run.Score, (Format-Setting $setting), $run.Seconds)
        $gridRuns += $run
    }
}

$main = Invoke-NabRun -Setting $default
$main.Results | Format-Table Series, Windows, WindowsDetected, Detections, FalsePositives, FalseAlarmRows, @{ n = 'Score'; e = { '{0:N3}' -f $_.Score } } -AutoSize |
    Out-String -Width 200 | Write-Host
Write-Host ("NAB standard score (normalised, 13-series subset): {0:N1}   [{1}] in {2:N0} s" -f $main.Score, (Format-Setting $default), $main.Seconds)

if ($NoReport) { return }

# The report.
$inv = [System.Globalization.CultureInfo]::InvariantCulture
$cpu = if (Test-Path /proc/cpuinfo) { ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*') } else { $env:PROCESSOR_IDENTIFIER }
$moduleVersion = (Get-Module AutoencoderPS).Version
$torchDll = Join-Path (Split-Path (Get-Module AutoencoderPS).Path) 'TorchSharp.dll'
$torchVersion = if (Test-Path $torchDll) { (Get-Item $torchDll).VersionInfo.ProductVersion -replace '\+.*' } else { 'unknown' }
$windowNote = if ($default.WindowSize -le 1) { 'rows (no window)' }
    elseif ($moduleHasWindows -and $LagMode -ne 'Script') { "New-Autoencoder -WindowSize $($default.WindowSize) -TimeProperty timestamp" }
    else { "$($default.WindowSize - 1) lagged values built by the script (value.1 .. value.$($default.WindowSize - 1))" }

$sb = [System.Text.StringBuilder]::new()
$line = { param($text) [void]$sb.AppendLine($text) }
& $line '# NAB evaluation'
& $line ''
& $line ('Written by `tests/Benchmarks/Invoke-NabEvaluation.ps1` on {0:yyyy-MM-dd HH:mm} UTC. Machine: {1} cores ({2}), {3}. AutoencoderPS {4}, TorchSharp {5}, libtorch threads: {6}.' -f
    [datetime]::UtcNow, [Environment]::ProcessorCount, $cpu, [System.Runtime.InteropServices.RuntimeInformation]::OSDescription, $moduleVersion, $torchVersion, $ThreadCount)
& $line ''
& $line '```'
& $line 'dotnet pwsh ./build.ps1 -Task Build'
& $line 'dotnet pwsh tests/Benchmarks/Invoke-NabEvaluation.ps1 -ModulePath out/AutoencoderPS/AutoencoderPS.psd1   # -Grid to rerun the grid below'
& $line '```'
& $line ''
& $line ('Data: the NAB subset in `../shared/data/nab` ({0} series from realAWSCloudwatch and realKnownCause, {1} labelled windows; NAB''s `combined_windows.json`).' -f
    @($data).Count, ($main.Results | Measure-Object Windows -Sum).Sum)
& $line ''
& $line '## Method'
& $line ''
& $line ('- Per series, a fresh model trained on the first {0:P0} of the rows (NAB''s probationary share), which may contain anomalies: nothing is cleaned or labelled.' -f $TrainFraction)
& $line "- Input: $windowNote; time features: $([bool]$TimeFeatures). Network $($HiddenLayer -join '-') (mirrored decoder, $OutputActivation output), $Epochs epochs, $Scaling scaling, seed $Seed."
if ($default.WindowSize -gt 1 -and $moduleHasWindows -and $LagMode -ne 'Script') {
    & $line "- Windows: the first $($default.WindowSize - 1) rows, and the rows after a gap longer than 1.5 times the series' usual interval (the module's default -MaxGap; e.g. the missing rows around a DST change), are warming up: no score, no alarm."
}
& $line '- Data quirks handled in the script: machine_temperature_system_failure repeats the hour 02:00-02:55 on 2014-01-07 (its clock goes back); a windowed model rejects a stream out of time order, so those 12 rows get a clock that goes on one usual step at a time (only the model''s clock; NAB scores rows in file order, and so do we). Two series clamp the DST hour of 2014-03-09 to a run of equal 03:00:00 timestamps, which are kept as they are.'
& $line "- Threshold: $ThresholdMethod $ThresholdValue of the training errors (the model's own threshold; no per-series tuning)."
& $line "- Every row is scored causally (a row's score uses that row and earlier ones only). Detections: an alarm is raised at a flagged row that follows at least $QuietRows unflagged rows, so a run of flagged rows is one alarm (as an operator would be paged once), and a detector that flags every row still pays for every separate run. Flags in the training rows are dropped."
& $line '- Score: our implementation of NAB''s published rules (`tests/Benchmarks/NabScoring.ps1`, unit-tested in `tests/Pester/NabScoring.Tests.ps1`): the first detection in a window is a true positive weighted by the scaled sigmoid of its position (1 at the window start, about 0 at its end); every detection outside a window is a false positive weighted by 0.11 times the scaled sigmoid of its distance past the preceding window (-0.11 far away or before the first window); a window without detection costs 1; detections in the probationary period (the first min(15 %, 750) rows) are ignored. Raw scores are summed over the series and normalised: no detections = 0, a detection at each window start = 100.'
& $line '- Unlike NAB, no threshold is swept to maximise the score over the corpus: NAB reports each detector at its best corpus-wide threshold; here the threshold is whatever the training rows give.'
& $line ''
& $line '## Results'
& $line ''
& $line '| Series | Rows | Windows | Detected | Detections | False alarms (detections) | False-alarm rows | NAB standard (raw) |'
& $line '|---|---:|---:|---:|---:|---:|---:|---:|'
foreach ($r in $main.Results) {
    & $line ('| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} |' -f $r.Series, $r.Rows, $r.Windows, $r.WindowsDetected, $r.Detections, $r.FalsePositives, $r.FalseAlarmRows, $r.Score.ToString('0.000', $inv))
}
$sum = { param($p) ($main.Results | Measure-Object $p -Sum).Sum }
& $line ('| **Total** | {0} | {1} | {2} | {3} | {4} | {5} | {6} |' -f (& $sum Rows), (& $sum Windows), (& $sum WindowsDetected), (& $sum Detections), (& $sum FalsePositives), (& $sum FalseAlarmRows), (& $sum Score).ToString('0.000', $inv))
& $line ''
& $line ('**Normalised NAB standard score: {0}** (null detector 0, perfect 100); run time {1:N0} s.' -f $main.Score.ToString('0.0', $inv), $main.Seconds)
& $line ''
& $line 'Published NAB standard-profile scores on the full corpus (58 series): Numenta HTM 70.5, Random Cut Forest 51.7, Twitter ADVec 47.1, windowed Gaussian 39.6, random 11.0. Ours is on a 13-series subset and without NAB''s corpus-wide threshold optimisation, so it is not directly comparable: a subset can be easier or harder than the corpus.'
if ($gridRuns) {
    & $line ''
    & $line '## Settings tried'
    & $line ''
    & $line 'Each row changes one or two settings of the defaults above; same data, same scoring. The defaults were chosen from this grid on these 13 series, so the score above is optimistic for unseen series (the choice is fitted to them, if only through a handful of settings).'
    & $line ''
    & $line '| Setting | Windows detected | Detections | False alarms | NAB standard | Seconds |'
    & $line '|---|---:|---:|---:|---:|---:|'
    foreach ($g in $gridRuns) {
        & $line ('| {0} | {1} | {2} | {3} | {4} | {5:N0} |' -f (Format-Setting $g.Setting), ($g.Results | Measure-Object WindowsDetected -Sum).Sum,
            ($g.Results | Measure-Object Detections -Sum).Sum, ($g.Results | Measure-Object FalsePositives -Sum).Sum, $g.Score.ToString('0.0', $inv), $g.Seconds)
    }
}
$dir = Split-Path $ResultPath
if ($dir) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
Set-Content -LiteralPath $ResultPath -Value $sb.ToString() -NoNewline
Write-Host "Report: $ResultPath"
