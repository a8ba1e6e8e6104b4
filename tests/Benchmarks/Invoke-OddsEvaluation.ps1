<#
.SYNOPSIS
    The module against IsolationForest on the eight ODDS/ADBench classical outlier sets (../shared/data/odds).

.DESCRIPTION
    Protocol of the data README: stratified 60/40 train/test splits, seeds 0-2; ROC-AUC on the test rows with the
    outlier as the positive class; "unsupervised" trains on all training rows (outliers included, labels unused),
    "clean" on the training inliers only. odds_split.py (Debian's /usr/bin/python3 with python3-sklearn) makes each
    split once, writes it as CSV files, and fits IsolationForest on it; this script trains the module on the same
    files. Each configuration is a name and the parameters given to New-Autoencoder and Invoke-AutoencoderTraining
    (the baseline row is the defaults: no parameters), so an ablation is a list of configurations.
    Besides ROC-AUC it reports the share of test inliers above the model's threshold (what an operator sees as
    false alarms) and the training seconds against IsolationForest's fit seconds, wall clock and CPU (this process's
    processor time over the training call, and separately the CPU of the thread that runs it; Python's process_time
    over the fit). Before the first timed fit one
    small model is trained and thrown away, so libtorch's loading and the module's first-call costs (about a second)
    are not charged to the first set, as importing sklearn is not charged to IsolationForest; -NoWarmUp charges them.

.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-OddsEvaluation.ps1 -ModulePath out/AutoencoderPS -OutFile .docs/odds-run.md
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $DataPath = (Join-Path $PSScriptRoot '../../../shared/data/odds'),
    # Strings split on commas (ProbeArguments.ps1): 'dotnet pwsh <script> -Seed 1,2,3' passes one string.
    [string[]] $Seed = @('0', '1', '2'),
    [string[]] $DataSet = @('breastw', 'ionosphere', 'mammography', 'pageblocks', 'pendigits', 'pima', 'smtp', 'wilt'),
    # @{ Name = 'defaults'; New = @{}; Train = @{} }, ...: the parameters of New-Autoencoder and Invoke-AutoencoderTraining.
    [hashtable[]] $Configuration = @(@{ Name = 'defaults'; New = @{}; Train = @{} }),
    [ValidateSet('unsupervised', 'clean')] [string[]] $Variant = @('unsupervised', 'clean'),
    [int] $ThreadCount = 1,
    [string] $Python = '/usr/bin/python3',
    # The markdown table goes here (and the raw results beside it as .json); nothing is written without it.
    [string] $OutFile,
    [string] $WorkPath = (Join-Path ([System.IO.Path]::GetTempPath()) "odds-splits-$PID"),
    [switch] $NoWarmUp
)
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
$DataSet = @(Split-ListArgument $DataSet)
$Variant = @(Split-ListArgument $Variant)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path (Join-Path $DataPath "$($DataSet[0]).csv"))) { Write-Warning "ODDS data not found at '$DataPath'; skipped."; return }
& $Python -c 'import sklearn' 2>$null
if ($LASTEXITCODE -ne 0) { throw "$Python has no sklearn: apt-get install -y python3-sklearn (and use Debian's /usr/bin/python3)." }
# A relative path is relative to the current folder (Import-Module would look it up as a module name).
Import-Module (Resolve-ProbeModulePath $ModulePath)

# CPU seconds of the calling thread, the one that runs the training (Linux's per-thread scheduler clock, in ns; NaN
# elsewhere). The process's CPU also counts the runtime's own threads, mostly tier-1 recompilation of hot methods
# (PowerShell's, this script's, the module's) that runs in the background whenever code gets hot: measured on the
# ODDS runs as 14-26 % of the process's CPU over the training calls, more in a process's first fits than later.
function Get-ThreadCpuSeconds {
    if (-not (Test-Path /proc/thread-self/schedstat)) { return [double]::NaN }
    [double](([System.IO.File]::ReadAllText('/proc/thread-self/schedstat') -split ' ')[0]) / 1e9
}

# The process's peak resident memory so far (Linux's VmHWM; NaN elsewhere): a high-water mark, so it reads one fit's
# peak only in a process that runs one set.
function Get-PeakMemoryMB {
    $peak = Get-ProcessStatusBytes $PID 'VmHWM'
    if ($null -eq $peak) { [double]::NaN } else { $peak / 1MB }
}

New-Item -ItemType Directory -Force -Path $WorkPath | Out-Null
try {
    Write-Verbose "Splitting and fitting IsolationForest ($($DataSet -join ', '); seeds $($Seed -join ', '))..."
    $forest = @{}
    & $Python (Join-Path $PSScriptRoot 'odds_split.py') $DataPath $WorkPath ($Seed -join ',') ($DataSet -join ',') | ForEach-Object {
        $r = $_ | ConvertFrom-Json
        $forest["$($r.set)-$($r.seed)"] = $r
    }
    if ($LASTEXITCODE -ne 0) { throw "odds_split.py failed (exit $LASTEXITCODE)." }

    if (-not $NoWarmUp) {
        $warm = New-Autoencoder -Seed 0
        Invoke-AutoencoderTraining -Model $warm -Path (Join-Path $WorkPath "$($DataSet[0])-$($Seed[0])/train.csv") -Epochs 1 -ThreadCount $ThreadCount -WarningAction SilentlyContinue | Out-Null
        $warm.Dispose()
    }
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $results = [System.Collections.Generic.List[object]]::new()
    foreach ($config in $Configuration) {
        foreach ($set in $DataSet) {
            foreach ($s in $Seed) {
                $folder = Join-Path $WorkPath "$set-$s"
                foreach ($v in $Variant) {
                    $newParameters = @{} + ($config.New ?? @{})
                    $trainParameters = @{} + ($config.Train ?? @{})
                    $model = New-Autoencoder -Seed $s @newParameters
                    $trainFile = Join-Path $folder ($v -eq 'clean' ? 'train_clean.csv' : 'train.csv')
                    $process.Refresh()
                    $cpu = $process.TotalProcessorTime
                    $threadCpu = Get-ThreadCpuSeconds
                    $clock = [System.Diagnostics.Stopwatch]::StartNew()
                    Invoke-AutoencoderTraining -Model $model -Path $trainFile -ThreadCount $ThreadCount @trainParameters -WarningAction SilentlyContinue -WarningVariable trainWarnings | Out-Null
                    $seconds = $clock.Elapsed.TotalSeconds
                    $threadCpuSeconds = (Get-ThreadCpuSeconds) - $threadCpu
                    $process.Refresh()
                    $cpuSeconds = ($process.TotalProcessorTime - $cpu).TotalSeconds
                    $scored = @(Test-Anomaly -Model $model -Path (Join-Path $folder 'test.csv') -ThreadCount $ThreadCount -WarningAction SilentlyContinue -WarningVariable scoreWarnings)
                    $metrics = $scored | Measure-AnomalyDetection -LabelProperty label -AnomalyLabel 1
                    $inliers = @($scored | Where-Object { $_.label -eq '0' })
                    $f = $forest["$set-$s"]
                    $row = [pscustomobject]@{
                        Configuration   = $config.Name
                        DataSet         = $set
                        Seed            = $s
                        Variant         = $v
                        RocAuc          = $metrics.RocAuc
                        IForestRocAuc   = $f."${v}RocAuc"
                        InliersFlagged  = @($inliers | Where-Object IsAnomaly).Count / [math]::Max(1, $inliers.Count)
                        Recall          = $metrics.Recall
                        Epochs          = $model.Training.Epochs
                        TrainSeconds    = $seconds
                        TrainCpuSeconds = $cpuSeconds
                        TrainThreadCpuSeconds = $threadCpuSeconds
                        IForestSeconds  = $f."${v}FitSeconds"
                        IForestCpuSeconds = $f."${v}FitCpuSeconds"
                        Features        = $model.FeatureColumns.Count
                        Warnings        = @($trainWarnings + $scoreWarnings | ForEach-Object { "$_" })
                        PeakMemoryMB    = Get-PeakMemoryMB
                    }
                    $results.Add($row)
                    Write-Verbose ("{0} {1} seed {2} {3}: ROC-AUC {4:0.000} (IForest {5:0.000}), inliers flagged {6:P1}, {7:0.00} s (IForest {8:0.00} s), {9} warning(s)" -f $config.Name, $set, $s, $v, $row.RocAuc, $row.IForestRocAuc, $row.InliersFlagged, $seconds, $row.IForestSeconds, $row.Warnings.Count)
                    $model.Dispose()
                }
            }
        }
    }
}
finally {
    Remove-Item -Recurse -Force $WorkPath -ErrorAction SilentlyContinue
}

# One table per variant: rows = data sets (mean over seeds), columns = IForest and each configuration.
function Format-Table3([string] $v) {
    $names = @($Configuration | ForEach-Object Name)
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add("| data set | IForest | " + ($names -join ' | ') + ' |')
    $lines.Add('|---|---:|' + (($names | ForEach-Object { '---:' }) -join '|') + '|')
    $mean = { param($xs) ($xs | Measure-Object -Average).Average }
    foreach ($set in $DataSet + '**mean**') {
        $pick = { param($n) @($results | Where-Object { $_.Variant -eq $v -and $_.Configuration -eq $n -and ($set -eq '**mean**' -or $_.DataSet -eq $set) }) }
        $forestRows = & $pick $names[0]
        $cells = @('{0:0.000}' -f (& $mean $forestRows.IForestRocAuc))
        foreach ($n in $names) { $cells += '{0:0.000}' -f (& $mean (& $pick $n).RocAuc) }
        $lines.Add("| $set | " + ($cells -join ' | ') + ' |')
    }
    $lines
}
$summary = foreach ($config in $Configuration) {
    foreach ($v in $Variant) {
        $rows = @($results | Where-Object { $_.Configuration -eq $config.Name -and $_.Variant -eq $v })
        [pscustomobject]@{
            Configuration  = $config.Name
            Variant        = $v
            RocAuc         = [math]::Round(($rows.RocAuc | Measure-Object -Average).Average, 3)
            IForestRocAuc  = [math]::Round(($rows.IForestRocAuc | Measure-Object -Average).Average, 3)
            InliersFlagged = [math]::Round(($rows.InliersFlagged | Measure-Object -Average).Average, 4)
            TrainSeconds   = [math]::Round(($rows.TrainSeconds | Measure-Object -Sum).Sum, 2)
            IForestSeconds = [math]::Round(($rows.IForestSeconds | Measure-Object -Sum).Sum, 2)
            TimeRatio      = [math]::Round(($rows.TrainSeconds | Measure-Object -Sum).Sum / [math]::Max(1e-9, ($rows.IForestSeconds | Measure-Object -Sum).Sum), 2)
            TrainCpuSeconds   = [math]::Round(($rows.TrainCpuSeconds | Measure-Object -Sum).Sum, 2)
            IForestCpuSeconds = [math]::Round(($rows.IForestCpuSeconds | Measure-Object -Sum).Sum, 2)
            CpuRatio       = [math]::Round(($rows.TrainCpuSeconds | Measure-Object -Sum).Sum / [math]::Max(1e-9, ($rows.IForestCpuSeconds | Measure-Object -Sum).Sum), 2)
            TrainThreadCpuSeconds = [math]::Round(($rows.TrainThreadCpuSeconds | Measure-Object -Sum).Sum, 2)
            ThreadCpuRatio = [math]::Round(($rows.TrainThreadCpuSeconds | Measure-Object -Sum).Sum / [math]::Max(1e-9, ($rows.IForestCpuSeconds | Measure-Object -Sum).Sum), 2)
        }
    }
}
if ($OutFile) {
    $text = [System.Collections.Generic.List[string]]::new()
    $text.Add("ROC-AUC on the test rows, mean of seeds $($Seed -join ', '); $ThreadCount libtorch thread(s).")
    foreach ($v in $Variant) { $text.Add(''); $text.Add("### $v"); $text.Add(''); (Format-Table3 $v) | ForEach-Object { $text.Add($_) } }
    $text.Add(''); $text.Add('| configuration | variant | ROC-AUC | IForest | test inliers flagged | train s (sum) | IForest fit s (sum) | ratio | train CPU s | IForest CPU s | CPU ratio | training thread CPU s | thread CPU ratio |')
    $text.Add('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    foreach ($r in $summary) { $text.Add("| $($r.Configuration) | $($r.Variant) | $($r.RocAuc) | $($r.IForestRocAuc) | $('{0:P1}' -f $r.InliersFlagged) | $($r.TrainSeconds) | $($r.IForestSeconds) | $($r.TimeRatio) | $($r.TrainCpuSeconds) | $($r.IForestCpuSeconds) | $($r.CpuRatio) | $($r.TrainThreadCpuSeconds) | $($r.ThreadCpuRatio) |") }
    Set-Content -Path $OutFile -Value $text
    $results | ConvertTo-Json -Depth 3 | Set-Content -Path ([System.IO.Path]::ChangeExtension($OutFile, '.json'))
}
$summary
