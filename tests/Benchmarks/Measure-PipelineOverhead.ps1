<#
.SYNOPSIS
    Issue 17's pipeline measure: `Import-Csv | Select-Object | Out-Null` (a pass-through cmdlet: the floor for any
    cmdlet that reads rows from the pipeline) against `Import-Csv | Test-Anomaly -Model $m | Out-Null`, each run
    -Runs times, interleaved, in this process; the medians and their ratio. `Import-Csv | Out-Null` runs alongside
    for reference.
.DESCRIPTION
    Run it in a fresh pwsh (the bench does): the module is imported here, and the first full read warms up (compiles)
    Import-Csv, Select-Object and Test-Anomaly before anything is timed. libtorch threads are pinned (-ThreadCount).
    Prints one object: the runs of each subject (seconds), their medians, and Overhead = Test-Anomaly's median over
    the pass-through's, minus 1 (issue 17: at most 0.5).
.EXAMPLE
    pwsh -NoProfile -File tests/Benchmarks/Measure-PipelineOverhead.ps1 -ModulePath out/AutoencoderPS/AutoencoderPS.psd1 -ModelPath m.aemodel -CsvPath rows.csv
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # A row model trained on the file's columns.
    [Parameter(Mandatory)] [string] $ModelPath,
    [Parameter(Mandatory)] [string] $CsvPath,
    [int] $Runs = 5,
    [int] $ThreadCount = 1
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
# A relative path is relative to the current folder (Import-Module would look it up as a module name).
$ModulePath = Resolve-ProbeModulePath $ModulePath
Import-Module $ModulePath
$m = Import-Autoencoder -LiteralPath $ModelPath
# Pins libtorch's threads for the process, and compiles the scoring path.
$null = Import-Csv -LiteralPath $CsvPath | Select-Object -First 300 | Test-Anomaly -Model $m -ThreadCount $ThreadCount
# Warm-up: the first full read compiles Import-Csv's code (and tiers up the rest).
Import-Csv -LiteralPath $CsvPath | Out-Null
Import-Csv -LiteralPath $CsvPath | Select-Object | Out-Null
Import-Csv -LiteralPath $CsvPath | Test-Anomaly -Model $m | Out-Null

$plain = [System.Collections.Generic.List[double]]::new()
$passThrough = [System.Collections.Generic.List[double]]::new()
$scored = [System.Collections.Generic.List[double]]::new()
$passThroughCpu = [System.Collections.Generic.List[double]]::new()
$scoredCpu = [System.Collections.Generic.List[double]]::new()
$process = [System.Diagnostics.Process]::GetCurrentProcess()
# Wall seconds (what the issue measures) and the process's CPU seconds over the run (all threads: less moved by the
# machine's other load, though a busy machine still slows caches and memory).
function Measure-Run([scriptblock] $Pipeline, $Wall, $Cpu) {
    $process.Refresh()
    $cpuBefore = $process.TotalProcessorTime
    $wallTime = (Measure-Command $Pipeline).TotalSeconds
    $process.Refresh()
    $Wall.Add($wallTime)
    if ($null -ne $Cpu) { $Cpu.Add(($process.TotalProcessorTime - $cpuBefore).TotalSeconds) }
}
$passThroughRun = { Import-Csv -LiteralPath $CsvPath | Select-Object | Out-Null }
$scoredRun = { Import-Csv -LiteralPath $CsvPath | Test-Anomaly -Model $m | Out-Null }
foreach ($round in 1..$Runs) {
    # Which subject goes first alternates, so that neither always follows the other's garbage.
    if ($round % 2) {
        Measure-Run $passThroughRun $passThrough $passThroughCpu
        Measure-Run $scoredRun $scored $scoredCpu
    }
    else {
        Measure-Run $scoredRun $scored $scoredCpu
        Measure-Run $passThroughRun $passThrough $passThroughCpu
    }
    Measure-Run { Import-Csv -LiteralPath $CsvPath | Out-Null } $plain $null
}
function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object)
    $mid = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}
$passMedian = Get-Median $passThrough
$scoredMedian = Get-Median $scored
[pscustomobject]@{
    Runs               = $Runs
    PlainRuns          = $plain.ToArray()
    PassThroughRuns    = $passThrough.ToArray()
    TestAnomalyRuns    = $scored.ToArray()
    PlainMedian        = Get-Median $plain
    PassThroughMedian  = $passMedian
    TestAnomalyMedian  = $scoredMedian
    Overhead           = $scoredMedian / $passMedian - 1
    PassThroughCpuRuns = $passThroughCpu.ToArray()
    TestAnomalyCpuRuns = $scoredCpu.ToArray()
    CpuOverhead        = (Get-Median $scoredCpu) / (Get-Median $passThroughCpu) - 1
    LoadAverage        = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { '' }
}
