#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates AutoencoderPS.
.DESCRIPTION
    Build  stages a loadable module in out/AutoencoderPS (manifest, assemblies, native libtorch for this platform). The
           module's and its main dependencies' assemblies are staged as ReadyToRun images for this platform and .NET 10
           (pwsh 7.6), so a process's first training or scoring run compiles less; other runtimes use their IL.
    Test   builds, runs the xunit engine tests, packages AutoencoderPS and this platform's runtime (checked as Package does;
           for the package and install tests, which get their folder in AUTOENCODERPS_PACKAGES; a -Filter run packages
           nothing but passes on an AUTOENCODERPS_PACKAGES it is given), runs the Pester cmdlet tests (in a child pwsh
           against the staged module), and ends with one line "N passed, N failed, N skipped". Exits non-zero on any failure.
    Demo   builds, then trains on two days of built-in sample host metrics and scores the next five, as rows and as a
           time series (alerts); then the log
           demo: a generated raw log export, into 5-minute intervals per host, trained on three days, scoring the fourth.
    Package builds, then writes PowerShell Gallery packages to out/packages with Publish-PSResource: AutoencoderPS
           (managed assemblies only) and one AutoencoderPS.Runtime.<rid> per runtime identifier (that platform's
           libtorch natives), all of the same version. Prints each package's size; fails if one is over 250 MB. Then checks
           them by their files' headers (.config/PackageInspection.cs): AutoencoderPS holds AnyCPU IL assemblies only; each
           runtime's natives are of its format and architecture and need only each other and the operating system's
           libraries. Prints what each runtime needs from the OS; writes the full report to out/package-check.md.
    Bench  builds, then runs the benchmark suite (tests/Benchmarks/Invoke-Benchmarks.ps1: ECG5000 training and
           quality, file scoring against the I/O floor, pipeline overhead, cold start, peak memory on a 1 GB file),
           prints a table and writes it to .docs/benchmarks.md. Takes several minutes.
    Clean  removes out/ and the bin/obj folders.
.PARAMETER RuntimeIdentifier
    Package only: the platforms to write runtime packages for (default: linux-x64, win-x64 and osx-arm64).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Package -RuntimeIdentifier linux-x64
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateSet('linux-x64', 'win-x64', 'osx-arm64')]
    [string[]] $RuntimeIdentifier = @('linux-x64', 'win-x64', 'osx-arm64'),

    # Test only: run the xunit tests whose full name contains this text and the Pester tests whose full name
    # (Describe, Context and It joined by dots) matches *text*; the install test's packages are built only without it.
    [string] $Filter
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '.config/build/AutoencoderPS.Build.psm1') -Force
$code = Invoke-AutoencoderBuild -Task $Task -Configuration $Configuration -RuntimeIdentifier $RuntimeIdentifier -Filter $Filter
exit $code
