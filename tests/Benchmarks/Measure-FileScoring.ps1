<#
.SYNOPSIS
    Scores a large generated CSV file to file (Test-Anomaly -Path -OutputPath) and reports throughput
    and the peak memory of the scoring process (a fresh pwsh that imports the module and a saved model,
    as a scheduled run does).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $SizeMB = 1024,
    [int] $Columns = 20,
    [string] $WorkFolder = (Join-Path ([System.IO.Path]::GetTempPath()) 'autoencoderps-bench'),
    [int] $ThreadCount = 1
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
# A relative path is relative to the current folder (Import-Module would look it up as a module name).
$ModulePath = Resolve-ProbeModulePath $ModulePath
Import-Module $ModulePath
New-Item -ItemType Directory -Path $WorkFolder -Force | Out-Null
$inputFile = Join-Path $WorkFolder "metrics-$($SizeMB)mb-$($Columns)c.csv"
$output = Join-Path $WorkFolder 'scored.csv'
if (-not (Test-Path $inputFile)) {
    & (Join-Path $PSScriptRoot 'New-BenchmarkCsv.ps1') -Path $inputFile -Columns $Columns -SizeMB $SizeMB | Out-Null
}
$training = Join-Path $WorkFolder "train-$($Columns)c.csv"
& (Join-Path $PSScriptRoot 'New-BenchmarkCsv.ps1') -Path $training -Columns $Columns -Rows 20000 -Seed 2 | Out-Null

$modelFile = Join-Path $WorkFolder "bench-$($Columns)c.aemodel"
$model = New-Autoencoder -Seed 1
Invoke-AutoencoderTraining -Model $model -Path $training -Epochs 5 -ThreadCount $ThreadCount -ThresholdMethod Percentile -ThresholdValue 99.9 | Out-Null
Export-Autoencoder -Model $model -Path $modelFile -Force

# Score in a fresh process, as a scheduled run would: its peak memory is the number that matters.
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
$job = @"
Import-Module '$ModulePath'
`$model = Import-Autoencoder -LiteralPath '$modelFile'
`$clock = [System.Diagnostics.Stopwatch]::StartNew()
Test-Anomaly -Model `$model -LiteralPath '$inputFile' -OutputPath '$output' -ThreadCount $ThreadCount
`$clock.Stop()
`$p = Get-Process -Id `$PID
`$p.Refresh()
'{0} {1}' -f `$clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture), `$p.PeakWorkingSet64
"@
# The peak working set counts the pages of libtorch and the runtime that the process has touched and the kernel has kept
# (file-backed, shared with any other process that maps them): on a machine with memory to spare it was 350 MB against
# 268 MB under other agents' load, for the same build (7 Dec 2026; .docs/performance.md). The anonymous memory (the
# process's own heaps: rows, buffers, the network) is what the scorer keeps bounded: sampled here every 100 ms from
# /proc (Linux; NaN elsewhere), its largest value is reported beside.
$start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $job) { $start.ArgumentList.Add($argument) }
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
$child = [System.Diagnostics.Process]::Start($start)
$childOutput = $child.StandardOutput.ReadToEndAsync()
$peakAnon = $null
while (-not $child.WaitForExit(100)) {
    $anon = Get-ProcessStatusBytes $child.Id 'RssAnon'
    if ($null -ne $anon) { $peakAnon = [math]::Max([long]$peakAnon, $anon) }
}
$child.WaitForExit()
$exitCode = $child.ExitCode
$child.Dispose()
if ($exitCode -ne 0) { throw "The scoring process exited with $exitCode." }
$result = (($childOutput.Result -split "`n" | Where-Object { $_.Trim() }) | Select-Object -Last 1) -split ' '
$seconds = [double]::Parse($result[0], [cultureinfo]::InvariantCulture)
$peak = [long]$result[1]
$inputInfo = Get-Item $inputFile
$rows = 0L
$reader = [System.IO.StreamReader]::new($output)
while ($null -ne $reader.ReadLine()) { $rows++ }
$reader.Dispose()
[pscustomobject]@{
    InputMB         = [math]::Round($inputInfo.Length / 1MB, 1)
    Rows            = $rows - 1
    Seconds         = [math]::Round($seconds, 1)
    RowsPerSecond   = [math]::Round(($rows - 1) / $seconds)
    MBPerSecond     = [math]::Round($inputInfo.Length / 1MB / $seconds, 1)
    PeakMemoryMB    = [math]::Round($peak / 1MB)
    PeakAnonymousMB = if ($null -ne $peakAnon) { [math]::Round($peakAnon / 1MB) } else { [double]::NaN }
}
Remove-Item $output -ErrorAction SilentlyContinue
