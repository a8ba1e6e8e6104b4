#requires -Version 7.4
<#
.SYNOPSIS
    Soak check (issue 8): native memory stays flat over a long session. Not a test; run it by hand.
.DESCRIPTION
    Starts a fresh pwsh that imports the module from -ModulePath and, with -ThreadCount 1:
      (a) scores -Rows rows in one session: a generated CSV of -PassRows rows is scored with
          Test-Anomaly -Path -OutputPath (into a temp file) again and again until -Rows rows are scored;
      (b) trains -Models small models in a loop, disposing each.
    It prints the resident set size (VmRSS from /proc/self/status; WorkingSet64 where there is no /proc) at
    the start, after a warm-up (libtorch loaded, one model trained and one pass scored: the baseline), after
    every scoring pass and every tenth model, and at the end. Growth is measured from the baseline, per phase
    and in all; the script exits 1 if any growth exceeds -MaxGrowthMB.
.PARAMETER ModulePath
    The module to import (a folder holding AutoencoderPS.psd1, or the manifest itself).
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Measure-NativeMemory.ps1 -ModulePath ./out/AutoencoderPS
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [long] $Rows = 10000000,
    [int] $PassRows = 1000000,
    [int] $Models = 50,
    [int] $Columns = 8,
    [double] $MaxGrowthMB = 50,
    [string] $WorkFolder = (Join-Path ([System.IO.Path]::GetTempPath()) 'autoencoderps-soak'),
    # Internal: run the measurement in this process (the default starts a fresh pwsh that does).
    [switch] $InProcess
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if (-not $InProcess) {
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    & $pwsh -NoProfile -NonInteractive -File $PSCommandPath -InProcess -ModulePath (Resolve-Path $ModulePath).Path `
        -Rows $Rows -PassRows $PassRows -Models $Models -Columns $Columns -MaxGrowthMB $MaxGrowthMB -WorkFolder $WorkFolder
    exit $LASTEXITCODE
}

function Get-RssMB {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    if (Test-Path /proc/self/status) {
        $line = Select-String -Path /proc/self/status -Pattern '^VmRSS:\s+(\d+)\s+kB' | Select-Object -First 1
        return [math]::Round([long]$line.Matches[0].Groups[1].Value / 1024, 1)
    }
    $p = [System.Diagnostics.Process]::GetCurrentProcess(); $p.Refresh()
    [math]::Round($p.WorkingSet64 / 1MB, 1)
}
$log = [System.Collections.Generic.List[object]]::new()
function Write-Rss([string] $Stage) {
    $mb = Get-RssMB
    $log.Add([pscustomobject]@{ Stage = $Stage; RssMB = $mb; Seconds = [math]::Round($clock.Elapsed.TotalSeconds, 1) })
    Write-Host ('{0,-40} {1,9:N1} MB  {2,7:N1} s' -f $Stage, $mb, $clock.Elapsed.TotalSeconds)
    $mb
}

$clock = [System.Diagnostics.Stopwatch]::StartNew()
$start = Write-Rss 'start (nothing loaded)'
Import-Module $ModulePath
New-Item -ItemType Directory -Path $WorkFolder -Force | Out-Null
$generator = Join-Path $PSScriptRoot 'New-BenchmarkCsv.ps1'
$training = Join-Path $WorkFolder "soak-train-$($Columns)c.csv"
$scoring = Join-Path $WorkFolder "soak-score-$($PassRows)x$($Columns)c.csv"
$scored = Join-Path $WorkFolder 'soak-scored.csv'
& $generator -Path $training -Columns $Columns -Rows 2000 -Seed 2 | Out-Null
if (-not (Test-Path $scoring)) { & $generator -Path $scoring -Columns $Columns -Rows $PassRows -Seed 3 | Out-Null }

function New-SmallModel([int] $Seed) {
    $m = New-Autoencoder -HiddenLayer 8, 3 -Seed $Seed
    Invoke-AutoencoderTraining -Model $m -Path $training -Epochs 3 -ThreadCount 1 | Out-Null
    $m
}

# Warm-up: libtorch, the JIT and the allocator's pools are loaded once; growth is counted from here.
$model = New-SmallModel 1
Test-Anomaly -Model $model -LiteralPath $scoring -OutputPath $scored -ThreadCount 1
$baseline = Write-Rss 'baseline (after warm-up)'

# (a) Score -Rows rows in this session.
$passes = [math]::Ceiling($Rows / $PassRows)
$done = 0L
for ($i = 1; $i -le $passes; $i++) {
    Test-Anomaly -Model $model -LiteralPath $scoring -OutputPath $scored -ThreadCount 1
    $done += $PassRows
    $null = Write-Rss ('scored {0:N0} rows' -f $done)
}
$model.Dispose()
$afterScoring = Write-Rss 'after scoring, model disposed'

# (b) Train -Models small models, disposing each.
for ($i = 1; $i -le $Models; $i++) {
    $m = New-SmallModel (100 + $i)
    $m.Dispose()
    if ($i % 10 -eq 0 -or $i -eq $Models) { $null = Write-Rss "trained and disposed $i models" }
}
$end = Write-Rss 'end'
Remove-Item $scored -ErrorAction SilentlyContinue

$scoringGrowth = $afterScoring - $baseline
$trainingGrowth = $end - $afterScoring
$totalGrowth = $end - $baseline
Write-Host ''
Write-Host ('Rows scored: {0:N0} in {1} passes; models trained: {2}; elapsed {3:N0} s' -f $done, $passes, $Models, $clock.Elapsed.TotalSeconds)
Write-Host ('RSS start {0:N1} MB, baseline {1:N1} MB, after scoring {2:N1} MB, end {3:N1} MB' -f $start, $baseline, $afterScoring, $end)
Write-Host ('Growth: scoring {0:+0.0;-0.0} MB, training {1:+0.0;-0.0} MB, total {2:+0.0;-0.0} MB (limit {3} MB)' -f $scoringGrowth, $trainingGrowth, $totalGrowth, $MaxGrowthMB)
if ($scoringGrowth -gt $MaxGrowthMB -or $trainingGrowth -gt $MaxGrowthMB -or $totalGrowth -gt $MaxGrowthMB) {
    Write-Host 'FAIL: native memory grew more than the limit.'
    exit 1
}
Write-Host 'PASS: native memory stayed flat.'
exit 0
