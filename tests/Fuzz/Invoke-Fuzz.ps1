#requires -Version 7.4
<#
.SYNOPSIS
    Fuzzes the model-file reader and the CSV reading/featurizing path with SharpFuzz and AFL++ (issue 8).
.DESCRIPTION
    Not part of CI. Installs what it needs (the afl++ Debian package when afl-fuzz is missing, the
    SharpFuzz.CommandLine tool from tests/Fuzz/.config/dotnet-tools.json), builds tests/Fuzz/AutoencoderPS.Fuzz
    into a work folder, instruments that copy of AutoencoderPS.Engine.dll and CsvHelper.dll, writes a seed
    corpus generated in code (a valid model file, its metadata, a few CSV files), and runs afl-fuzz on each
    target for -Seconds. Prints, per target, executions, corpus size and crashes; each crashing input is
    replayed with the uninstrumented build ("repro") so its exception is shown.
    Targets: model (a whole model file), modelmeta (metadata JSON packed with valid weights and checksum),
    csv (byte 0 picks delimiter and culture; the rest is the file), selftest (throws on an input starting with '!': checks that afl-fuzz
    records a crash; not run by default).
.PARAMETER Seconds
    How long each target runs (default 300).
.PARAMETER Target
    The targets to run (default all three).
.PARAMETER WorkDir
    Build output, seeds and AFL findings (default: a folder under the temp directory).
.EXAMPLE
    dotnet pwsh tests/Fuzz/Invoke-Fuzz.ps1 -Seconds 180
#>
[CmdletBinding()]
param(
    [int] $Seconds = 300,
    [ValidateSet('model', 'modelmeta', 'csv', 'selftest')]
    [string[]] $Target = @('model', 'modelmeta', 'csv'),
    [string] $WorkDir = (Join-Path ([IO.Path]::GetTempPath()) 'aeps-fuzz')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$project = Join-Path $PSScriptRoot 'AutoencoderPS.Fuzz/AutoencoderPS.Fuzz.csproj'

if (-not (Get-Command afl-fuzz -ErrorAction SilentlyContinue)) {
    Write-Host 'Installing afl++ (apt-get)...'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq; & apt-get install -y -qq afl++
    if ($LASTEXITCODE -ne 0) { throw 'apt-get install afl++ failed.' }
}
Push-Location $PSScriptRoot
try {
    & dotnet tool restore | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'dotnet tool restore (SharpFuzz.CommandLine) failed.' }

    $plain = Join-Path $WorkDir 'bin'
    $instrumented = Join-Path $WorkDir 'inst'
    & dotnet build $project -c Release -o $plain --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { throw 'Building the fuzz targets failed.' }
    Remove-Item $instrumented -Recurse -Force -ErrorAction SilentlyContinue
    Copy-Item $plain $instrumented -Recurse
    foreach ($dll in 'AutoencoderPS.Engine.dll', 'CsvHelper.dll') {
        & dotnet sharpfuzz (Join-Path $instrumented $dll)
        if ($LASTEXITCODE -ne 0) { throw "Instrumenting $dll failed." }
    }
} finally { Pop-Location }

$env:AFL_SKIP_BIN_CHECK = '1'                      # a .NET app host has no AFL instrumentation of its own
$env:AFL_SKIP_CPUFREQ = '1'
$env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'   # core_pattern is not ours to change
$env:AFL_NO_UI = '1'
$env:AFL_NO_AFFINITY = '1'
$env:AFL_FORKSRV_INIT_TMOUT = '120000'             # the first input loads libtorch and trains the seed model

$results = foreach ($t in $Target) {
    $seeds = Join-Path $WorkDir "seeds/$t"
    $findings = Join-Path $WorkDir "findings/$t"
    Remove-Item $seeds, $findings -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force (Split-Path $findings) | Out-Null
    & dotnet (Join-Path $plain 'AutoencoderPS.Fuzz.dll') seed $t $seeds
    if ($LASTEXITCODE -ne 0) { throw "Writing the $t seeds failed." }

    Write-Host "Fuzzing '$t' for $Seconds s..."
    $log = Join-Path $WorkDir "afl-$t.log"
    $app = Join-Path $instrumented 'AutoencoderPS.Fuzz'
    & afl-fuzz -i $seeds -o $findings -t 10000 -m none -V $Seconds -- $app fuzz $t *> $log
    if ($LASTEXITCODE -ne 0 -and (Select-String -Path $log -Pattern 'No instrumentation detected' -Quiet)) {
        # Seen once on a heavily loaded machine during the dry run; a second try has always worked.
        Write-Host "afl-fuzz saw no instrumentation on '$t'; trying once more."
        Remove-Item $findings -Recurse -Force
        & afl-fuzz -i $seeds -o $findings -t 10000 -m none -V $Seconds -- $app fuzz $t *> $log
    }
    if ($LASTEXITCODE -ne 0) { Get-Content $log -Tail 30 | Write-Host; throw "afl-fuzz failed on target '$t' (log: $log)." }

    $stats = @{}
    foreach ($line in Get-Content (Join-Path $findings 'default/fuzzer_stats')) {
        $name, $value = $line -split '\s*:\s*', 2
        $stats[$name.Trim()] = $value
    }
    $crashFiles = @(Get-ChildItem (Join-Path $findings 'default/crashes') -File -ErrorAction SilentlyContinue |
        Where-Object Name -NE 'README.txt')
    foreach ($crash in $crashFiles) {
        Write-Host "Crash in '$t': $($crash.FullName)"
        & dotnet (Join-Path $plain 'AutoencoderPS.Fuzz.dll') repro $t $crash.FullName | Select-Object -First 12 | Write-Host
    }
    [pscustomobject]@{
        Target     = $t
        Seconds    = $Seconds
        Executions = [long]$stats['execs_done']
        PerSecond  = [double]$stats['execs_per_sec']
        Corpus     = [int]$stats['corpus_count']
        Coverage   = $stats['bitmap_cvg']
        Crashes    = $crashFiles.Count
        Hangs      = [int]$stats['saved_hangs']
    }
}
$results | Format-Table -AutoSize | Out-String | Write-Host
if (($results | Measure-Object Crashes -Sum).Sum -gt 0) { exit 1 }
