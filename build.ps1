#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates AutoencoderPS.
.DESCRIPTION
    Build  stages a loadable module in out/AutoencoderPS (manifest, assemblies, native libtorch for this platform).
    Test   builds, runs the xunit engine tests and the Pester cmdlet tests (in a child pwsh against the staged
           module), and ends with one line "N passed, N failed, N skipped". Exits non-zero on any failure.
    Demo   builds, then trains on two days of built-in sample host metrics and scores the next five.
    Clean  removes out/ and the bin/obj folders.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$RepoRoot = $PSScriptRoot
$OutDir = Join-Path $RepoRoot 'out'
$ModuleStage = Join-Path $OutDir 'AutoencoderPS'
$ModuleManifest = Join-Path $ModuleStage 'AutoencoderPS.psd1'
$PesterVersion = '5.7.1'

# Natives that a CPU training and scoring module never loads (see PLATFORM notes); left out of the stage.
$UnneededNatives = @(
    'libtorch_python.so', 'libjitbackend_test.so', 'libtorchbind_test.so',
    'libbackend_with_compiler.so', 'libaoti_custom_ops.so', 'libnnapi_backend.so'
)

function Invoke-Dotnet {
    # A simple function on purpose: $args passes dotnet's own switches (-c, -o) through unbound.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ChildPwsh {
    # A fresh process: a loaded binary module cannot be unloaded, so tests and the demo never run in this one.
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    Join-Path $PSHOME $name
}

function Get-ModuleVersion {
    $version = (& dotnet msbuild (Join-Path $RepoRoot 'src/AutoencoderPS/AutoencoderPS.csproj') -getProperty:Version).Trim()
    if ($LASTEXITCODE -ne 0 -or -not $version) { throw 'Could not read the version from .config/Build.props.' }
    $version
}

function Invoke-Build {
    $publish = Join-Path $OutDir 'publish'
    Write-Host "Building AutoencoderPS ($Configuration)..."
    Invoke-Dotnet publish (Join-Path $RepoRoot 'src/AutoencoderPS/AutoencoderPS.csproj') -c $Configuration -o $publish --nologo -v quiet

    if (Test-Path $ModuleStage) { Remove-Item $ModuleStage -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleStage | Out-Null
    Get-ChildItem $publish -File |
        Where-Object { $_.Name -notin $UnneededNatives -and $_.Extension -notin '.pdb', '.xml' -and $_.Name -ne 'AutoencoderPS.deps.json' } |
        Copy-Item -Destination $ModuleStage
    Copy-Item (Join-Path $RepoRoot 'module/AutoencoderPS/*') -Destination $ModuleStage -Recurse

    $version = Get-ModuleVersion
    $manifest = Get-Content $ModuleManifest -Raw
    $manifest = $manifest -replace "ModuleVersion(\s*)=\s*'[^']*'", "ModuleVersion`$1= '$version'"
    Set-Content -Path $ModuleManifest -Value $manifest -NoNewline
    $null = Test-ModuleManifest $ModuleManifest
    $size = (Get-ChildItem $ModuleStage -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
    Write-Host ("Staged module {0} at {1} ({2:N0} MB)." -f $version, $ModuleStage, $size)
}

function Get-PesterModulePath {
    Invoke-Dotnet restore (Join-Path $RepoRoot '.config/Pester.proj') --nologo -v quiet
    $line = (& dotnet nuget locals global-packages --list) | Select-Object -First 1
    $packages = ($line -replace '^global-packages:\s*', '').Trim()
    $path = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) { throw "Pester $PesterVersion was restored but '$path' is missing." }
    $path
}

function Read-TrxCounts {
    param([string] $Path)
    if (-not (Test-Path $Path)) { return $null }
    [xml] $trx = Get-Content $Path -Raw
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$c.passed
        Failed  = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        Skipped = [int]$c.notExecuted
    }
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $OutDir 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null
    $problems = [System.Collections.Generic.List[string]]::new()

    Write-Host "`n=== xunit: engine ==="
    $trx = Join-Path $results 'engine.trx'
    & dotnet test (Join-Path $RepoRoot 'tests/AutoencoderPS.Engine.Tests/AutoencoderPS.Engine.Tests.csproj') -c $Configuration --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal'
    $xunitExit = $LASTEXITCODE
    $xunit = Read-TrxCounts $trx
    if (-not $xunit) { $problems.Add("xunit produced no results (exit code $xunitExit)"); $xunit = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
    elseif ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $problems.Add("dotnet test exited with $xunitExit") }

    Write-Host "`n=== Pester: cmdlets, in a child pwsh against $ModuleManifest ==="
    $pester = Get-PesterModulePath
    $summary = Join-Path $results 'pester.json'
    $runner = @'
param($PesterPath, $TestPath, $SummaryPath, $ResultPath)
Import-Module $PesterPath -MinimumVersion 5.7.1
$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -Path $SummaryPath
'@
    $runnerPath = Join-Path $results 'run-pester.ps1'
    Set-Content -Path $runnerPath -Value $runner
    $env:AUTOENCODERPS_MODULE = $ModuleManifest
    & (Get-ChildPwsh) -NoProfile -NonInteractive -File $runnerPath -PesterPath $pester -TestPath (Join-Path $RepoRoot 'tests/Pester') `
        -SummaryPath $summary -ResultPath (Join-Path $results 'pester.xml')
    $pesterExit = $LASTEXITCODE
    if (Test-Path $summary) { $pesterCounts = Get-Content $summary -Raw | ConvertFrom-Json }
    else { $problems.Add("Pester produced no results (exit code $pesterExit)"); $pesterCounts = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ''
    Write-Host ("xunit:  {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $pesterCounts.Passed, $pesterCounts.Failed, $pesterCounts.Skipped)
    foreach ($problem in $problems) { Write-Host "Problem: $problem" }
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0 -or $problems.Count -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & (Get-ChildPwsh) -NoProfile -NonInteractive -File (Join-Path $ModuleStage 'Examples/Start-AutoencoderDemo.ps1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    foreach ($dir in @($OutDir) + @(Get-ChildItem $RepoRoot/src, $RepoRoot/tests -Directory -Recurse -Include bin, obj).FullName) {
        if ($dir -and (Test-Path $dir)) { Remove-Item $dir -Recurse -Force }
    }
}

Push-Location $RepoRoot
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Clean' { Invoke-Clean }
    }
}
finally {
    Pop-Location
}
