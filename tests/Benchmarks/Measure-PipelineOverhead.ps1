<#
.SYNOPSIS
    Issue 17's pipeline measure: `Import-Csv | Select-Object | Out-Null` (a pass-through cmdlet: the floor for any
    cmdlet that reads rows from the pipeline) against `Import-Csv | Test-Anomaly -Model $m | Out-Null`, -Runs times
    each, interleaved, every run in a fresh pwsh; the medians and their ratio. `Import-Csv | Out-Null` runs alongside
    for reference.
.DESCRIPTION
    Each timed run has a process of its own, because runs in one process are not independent: Select-Object (as any
    cmdlet that reads PSObject.TypeNames of a row) files every row it passes in a process-wide weak table of PowerShell's,
    one GC handle per row, and every later garbage collection of that process is slower for it. Six interleaved rounds
    in one process took `Import-Csv | Out-Null` from 0.56 s to 1.00 s with no module loaded (.docs/performance.md, ninth
    look), so a subject's time depended on how many runs came before it.

    A run's process first warms up: a full `Import-Csv | Out-Null` (compiles Import-Csv), then the subject's pipeline
    over the file's first 2,000 rows, each run followed by a half-second pause, until the runtime compiled nothing
    during a run and its pause (at least three runs, at most ten). Only then is the subject timed once over the whole
    file. libtorch threads are pinned (-ThreadCount). Prints one object: the runs
    of each subject (wall seconds, and the process's CPU seconds over the run), their medians, and Overhead =
    Test-Anomaly's median over the pass-through's, minus 1 (issue 17: at most 0.5).
.EXAMPLE
    pwsh -NoProfile -File tests/Benchmarks/Measure-PipelineOverhead.ps1 -ModulePath out/AutoencoderPS/AutoencoderPS.psd1 -ModelPath m.aemodel -CsvPath rows.csv
#>
[CmdletBinding(DefaultParameterSetName = 'Measure')]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # A row model trained on the file's columns.
    [Parameter(Mandatory)] [string] $ModelPath,
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(ParameterSetName = 'Measure')] [int] $Runs = 5,
    [int] $ThreadCount = 1,
    # Internal: run one subject in this process (warm-up, then one timed run) and print its seconds.
    [Parameter(ParameterSetName = 'Run', Mandatory)] [ValidateSet('Plain', 'PassThrough', 'TestAnomaly')] [string] $Subject,
    [Parameter(ParameterSetName = 'Run', Mandatory)] [string] $WarmUpPath
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
# A relative path is relative to the current folder (Import-Module would look it up as a module name).
$ModulePath = Resolve-ProbeModulePath $ModulePath
$CsvPath = [System.IO.Path]::GetFullPath($CsvPath, (Get-Location).ProviderPath)
$ModelPath = [System.IO.Path]::GetFullPath($ModelPath, (Get-Location).ProviderPath)

if ($PSCmdlet.ParameterSetName -eq 'Run') {
    $pipeline = switch ($Subject) {
        'Plain' { { param($Path) Import-Csv -LiteralPath $Path | Out-Null } }
        'PassThrough' { { param($Path) Import-Csv -LiteralPath $Path | Select-Object | Out-Null } }
        'TestAnomaly' {
            Import-Module $ModulePath
            $m = Import-Autoencoder -LiteralPath $ModelPath
            # Pins libtorch's threads for the process.
            $null = Import-Csv -LiteralPath $WarmUpPath | Select-Object -First 10 | Test-Anomaly -Model $m -ThreadCount $ThreadCount
            { param($Path) Import-Csv -LiteralPath $Path | Test-Anomaly -Model $m | Out-Null }
        }
    }
    Import-Csv -LiteralPath $CsvPath | Out-Null
    # The subject over the short file until the runtime has stopped compiling (its count of compiled methods holds
    # across a run and a pause; at most ten rounds): tiered compilation rejits hot methods on a background thread, and
    # a run timed while it still does is slower by that work, by how much depending on the host's load.
    $compiled = -1
    foreach ($i in 1..10) {
        & $pipeline $WarmUpPath
        Start-Sleep -Milliseconds 500
        $now = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
        if ($i -ge 3 -and $now -eq $compiled) { break }
        $compiled = $now
    }
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $cpuBefore = $process.TotalProcessorTime
    $wall = (Measure-Command { & $pipeline $CsvPath }).TotalSeconds
    $process.Refresh()
    '{0} {1}' -f $wall.ToString('R', [cultureinfo]::InvariantCulture),
        ($process.TotalProcessorTime - $cpuBefore).TotalSeconds.ToString('R', [cultureinfo]::InvariantCulture)
    return
}

$warmUp = Join-Path ([System.IO.Path]::GetTempPath()) ("autoencoderps-pipeline-warmup-{0}.csv" -f [guid]::NewGuid().ToString('n'))
Get-Content -LiteralPath $CsvPath -TotalCount 2001 | Set-Content -LiteralPath $warmUp
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$times = @{}
foreach ($name in 'Plain', 'PassThrough', 'TestAnomaly') { $times[$name] = @{ Wall = [System.Collections.Generic.List[double]]::new(); Cpu = [System.Collections.Generic.List[double]]::new() } }
function Invoke-Subject([string] $Name) {
    $output = & $pwsh -NoProfile -NonInteractive -File $PSCommandPath -ModulePath $ModulePath -ModelPath $ModelPath -CsvPath $CsvPath `
        -ThreadCount $ThreadCount -Subject $Name -WarmUpPath $warmUp
    if ($LASTEXITCODE -ne 0) { throw "The $Name run's pwsh exited with $LASTEXITCODE." }
    $fields = (@($output) | Where-Object { "$_".Trim() } | Select-Object -Last 1) -split ' '
    $times[$Name].Wall.Add([double]::Parse($fields[0], [cultureinfo]::InvariantCulture))
    $times[$Name].Cpu.Add([double]::Parse($fields[1], [cultureinfo]::InvariantCulture))
}
try {
    foreach ($round in 1..$Runs) {
        # Which subject goes first alternates, so that neither always follows the other (the machine's caches, its
        # other load).
        if ($round % 2) { Invoke-Subject 'PassThrough'; Invoke-Subject 'TestAnomaly' }
        else { Invoke-Subject 'TestAnomaly'; Invoke-Subject 'PassThrough' }
        Invoke-Subject 'Plain'
    }
}
finally { Remove-Item -LiteralPath $warmUp -ErrorAction SilentlyContinue }

$passMedian = Get-Median $times.PassThrough.Wall
$scoredMedian = Get-Median $times.TestAnomaly.Wall
[pscustomobject]@{
    Runs               = $Runs
    PlainRuns          = $times.Plain.Wall.ToArray()
    PassThroughRuns    = $times.PassThrough.Wall.ToArray()
    TestAnomalyRuns    = $times.TestAnomaly.Wall.ToArray()
    PlainMedian        = Get-Median $times.Plain.Wall
    PassThroughMedian  = $passMedian
    TestAnomalyMedian  = $scoredMedian
    Overhead           = $scoredMedian / $passMedian - 1
    PassThroughCpuRuns = $times.PassThrough.Cpu.ToArray()
    TestAnomalyCpuRuns = $times.TestAnomaly.Cpu.ToArray()
    CpuOverhead        = (Get-Median $times.TestAnomaly.Cpu) / (Get-Median $times.PassThrough.Cpu) - 1
    LoadAverage        = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg).Split(' ')[0..2] -join ' ' } else { '' }
}
