# The build's work: staging the module, tests, packages, demo, benchmarks. build.ps1 at the repository root is the
# front door (its help says what each task does); this module holds the steps, so that each can be read on its own.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# A step that failed with an exit code for the front door to hand on (a test run with failures exits 1).
class BuildFailure : System.Exception {
    [int] $ExitCode
    BuildFailure([int] $code, [string] $message) : base($message) { $this.ExitCode = $code }
}

$RepoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
$OutDir = Join-Path $RepoRoot 'out'
$ModuleStage = Join-Path $OutDir 'AutoencoderPS'
$ModuleManifest = Join-Path $ModuleStage 'AutoencoderPS.psd1'
# Pester's version lives in .config/Pester.proj, the project that restores it.
$PesterVersion = ([xml](Get-Content (Join-Path $RepoRoot '.config/Pester.proj') -Raw)).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
$PackageDir = Join-Path $OutDir 'packages'        # the .nupkg files: a file-system PSResource repository
$PackageWork = Join-Path $OutDir 'package-work'   # per-RID publish output, package stages, a throwaway HOME
$PackageLimitMB = 250                             # the PowerShell Gallery refuses larger packages
$script:ModuleVersionCache = $null

# One runtime module per platform, AutoencoderPS.Runtime.<rid>: a fixed GUID each, the OS tag the Gallery filters
# on, and the libraries a runtime must hold (the engine's TorchRuntime loads them in this order).
$RuntimeModules = @{
    'linux-x64' = @{ Guid = '8d1021cc-0136-4e86-a086-0f648733d834'; Platform = 'Linux'
        Required = 'libc10.so', 'libtorch_cpu.so', 'libtorch.so', 'libLibTorchSharp.so' }
    'win-x64'   = @{ Guid = '1886c9a9-5b06-4c22-80cc-fa37bcb88866'; Platform = 'Windows'
        Required = 'c10.dll', 'torch_cpu.dll', 'torch.dll', 'LibTorchSharp.dll' }
    'osx-arm64' = @{ Guid = 'bd933892-1759-40ab-a282-b4b7867b5408'; Platform = 'MacOS'
        Required = 'libomp.dylib', 'libc10.dylib', 'libtorch_cpu.dylib', 'libtorch.dylib', 'libLibTorchSharp.dylib' }
}

# Managed assemblies staged as ReadyToRun images for this platform (Add-ReadyToRunImage): the module's two and the two
# that every training and scoring call runs through. TorchSharp's other dependencies are not used by the module.
$ReadyToRunAssemblies = @('AutoencoderPS.dll', 'AutoencoderPS.Engine.dll', 'TorchSharp.dll', 'CsvHelper.dll')

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

function Remove-FleetLeftover {
    <#
    .SYNOPSIS
        Removes what a fleet test run that crashed left behind (tests/Pester/Fleet.Tests.ps1 cleans up after itself in
        AfterAll, which a crashed process never reaches): its sshd, the users standing in for hosts and their processes,
        its two groups, its temp folder. Only runs whose test process (owner.pid in the folder) has ended are touched,
        so a fleet test running beside this one, from another clone, is left alone.
    #>
    if ($IsWindows -or (& id -u) -ne '0') { return }
    foreach ($root in @(Get-ChildItem -Directory -Path '/tmp' -Filter 'aeps-fleet-*' -ErrorAction SilentlyContinue)) {
        $ownerFile = Join-Path $root.FullName 'owner.pid'
        $owner = if (Test-Path -LiteralPath $ownerFile) { (Get-Content -LiteralPath $ownerFile -Raw).Trim() } else { '' }
        if ($owner -match '^\d+$' -and (Test-Path -LiteralPath "/proc/$owner")) { continue }
        $pidFile = Join-Path $root.FullName 'sshd.pid'
        if (Test-Path -LiteralPath $pidFile) {
            $sshd = (Get-Content -LiteralPath $pidFile -Raw).Trim()
            if ($sshd -match '^\d+$' -and (Test-Path -LiteralPath "/proc/$sshd/comm") -and (Get-Content -LiteralPath "/proc/$sshd/comm" -Raw).Trim() -eq 'sshd') { & kill -9 $sshd 2>$null }
        }
        $tag = $root.Name.Substring('aeps-fleet-'.Length)
        $homes = "$($root.FullName)/home/"
        foreach ($line in @(& getent passwd 2>$null)) {
            $fields = $line -split ':'
            if ($fields.Count -ge 6 -and $fields[5].StartsWith($homes, [StringComparison]::Ordinal)) {
                foreach ($processId in @(& pgrep -u $fields[0] 2>$null)) { & kill -9 $processId 2>$null }
                & userdel -f -r $fields[0] 2>$null | Out-Null
            }
        }
        foreach ($group in "aeps$tag", "aeps${tag}x") { & groupdel $group 2>$null | Out-Null }
        Remove-Item -LiteralPath $root.FullName -Recurse -Force -ErrorAction SilentlyContinue
        Write-Host "Removed a crashed fleet test run's sshd, users and folder ($($root.FullName))."
    }
}

function Get-ModuleVersion {
    if ($script:ModuleVersionCache) { return $script:ModuleVersionCache }
    $version = (& dotnet msbuild (Join-Path $RepoRoot 'src/AutoencoderPS/AutoencoderPS.csproj') -getProperty:Version).Trim()
    if ($LASTEXITCODE -ne 0 -or -not $version) { throw 'Could not read the version from .config/Build.props.' }
    $script:ModuleVersionCache = $version
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
    Add-ReadyToRunImage -IlFolder $publish

    $version = Get-ModuleVersion
    $manifest = Get-Content $ModuleManifest -Raw
    $manifest = $manifest -replace "ModuleVersion(\s*)=\s*'[^']*'", "ModuleVersion`$1= '$version'"
    Set-Content -Path $ModuleManifest -Value $manifest -NoNewline
    $null = Test-ModuleManifest $ModuleManifest
    # Get-Help content: module/help's markdown turned into MAML and about_ topics (fails if help and code disagree).
    & (Join-Path $RepoRoot '.config/build/ConvertTo-MamlHelp.ps1') -SourcePath (Join-Path $RepoRoot 'module/help') `
        -OutputPath (Join-Path $ModuleStage 'en-US')
    $size = (Get-ChildItem $ModuleStage -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
    Write-Host ("Staged module {0} at {1} ({2:N0} MB)." -f $version, $ModuleStage, $size)
}

function Add-ReadyToRunImage {
    <#
    Replaces the staged copies of $ReadyToRunAssemblies with ReadyToRun images (IL plus precompiled code), so the first
    training or scoring run of a pwsh process doesn't wait for the JIT. src/AutoencoderPS.ReadyToRun says how: .NET 10's
    crossgen2, because pwsh 7.6 runs on .NET 10 and ignores the code of the net8.0 compiler. An image is for one OS and
    architecture (a runtime refuses to load another platform's), like the stage's natives; the platform-neutral
    AutoencoderPS package takes the IL from $IlFolder instead (New-MainModuleStage).
    #>
    param([string] $IlFolder)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $r2r = Join-Path $OutDir 'publish-r2r'
    if (Test-Path $r2r) { Remove-Item $r2r -Recurse -Force }
    Invoke-Dotnet publish (Join-Path $RepoRoot 'src/AutoencoderPS.ReadyToRun/AutoencoderPS.ReadyToRun.csproj') -c $Configuration -o $r2r `
        "-p:AutoencoderPSIlFolder=$IlFolder" "-p:AutoencoderPSAssemblies=$($ReadyToRunAssemblies -join '|')" "-p:AutoencoderPSPwshFolder=$PSHOME" `
        --nologo -v quiet
    foreach ($name in $ReadyToRunAssemblies) {
        $image = Join-Path $r2r $name
        if (-not (Test-ReadyToRunImage $image)) { throw "The ReadyToRun step wrote no image '$image'." }
        # Same IL, or the image belongs to another build: the module version id is copied from the IL into the image.
        $il = Join-Path $IlFolder $name
        if ((Get-AssemblyMvid $image) -ne (Get-AssemblyMvid $il)) { throw "'$image' was not compiled from '$il'." }
        Copy-Item $image -Destination $ModuleStage -Force
    }
    Write-Host ("ReadyToRun: {0} ({1:N0} s)." -f ($ReadyToRunAssemblies -join ', '), $clock.Elapsed.TotalSeconds)
}

function Get-AssemblyMvid {
    param([string] $Path)
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
        $reader.GetGuid($reader.GetModuleDefinition().Mvid)
    }
    finally { $stream.Dispose() }
}

function Test-ReadyToRunImage {
    # True for a managed assembly that carries precompiled code (a ManagedNativeHeader); false for IL only or no file.
    param([string] $Path)
    if (-not (Test-Path $Path)) { return $false }
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $pe.PEHeaders.CorHeader
        $null -ne $cor -and $cor.ManagedNativeHeaderDirectory.Size -gt 0
    }
    catch [System.BadImageFormatException] { $false }
    finally { $stream.Dispose() }
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
    $xunitFilter = if ($Filter) { @('--filter', "FullyQualifiedName~$Filter") } else { @() }
    & dotnet test (Join-Path $RepoRoot 'tests/AutoencoderPS.Engine.Tests/AutoencoderPS.Engine.Tests.csproj') -c $Configuration --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' @xunitFilter
    $xunitExit = $LASTEXITCODE
    $xunit = Read-TrxCounts $trx
    if (-not $xunit) { $problems.Add("xunit produced no results (exit code $xunitExit)"); $xunit = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
    elseif ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $problems.Add("dotnet test exited with $xunitExit") }

    Write-Host "`n=== Packages: AutoencoderPS and this platform's runtime, for the install test ==="
    # A filtered run builds no packages, but reads those the caller names (e.g. out/packages after -Task Package).
    $callerPackages = $env:AUTOENCODERPS_PACKAGES
    $env:AUTOENCODERPS_PACKAGES = $null
    $rid = Get-CurrentRuntimeIdentifier
    if ($Filter -and $callerPackages) {
        Write-Host "A filtered run builds no packages; the package and install tests read $callerPackages (AUTOENCODERPS_PACKAGES)."
        $env:AUTOENCODERPS_PACKAGES = $callerPackages
    }
    elseif ($Filter) { Write-Host "A filtered run builds no packages; the package and install tests will be skipped (or set AUTOENCODERPS_PACKAGES)." }
    elseif ($RuntimeModules.ContainsKey($rid)) {
        try {
            Invoke-Package -Rids $rid -NoBuild
            $env:AUTOENCODERPS_PACKAGES = $PackageDir
        }
        catch { $problems.Add("packaging failed: $_") }
    }
    else { Write-Host "There is no runtime package for $rid; the install test will be skipped." }

    $pester = Get-PesterModulePath
    $runner = @'
param($PesterPath, $TestPath, $ExcludePath, $SummaryPath, $ResultPath, $Filter)
Import-Module $PesterPath
$config = New-PesterConfiguration
$config.Run.Path = @($TestPath -split [IO.Path]::PathSeparator)
if ($ExcludePath) { $config.Run.ExcludePath = @($ExcludePath -split [IO.Path]::PathSeparator) }
if ($Filter) { $config.Filter.FullName = "*$Filter*" }
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
    # Runs Pester on $Paths in a child pwsh; returns its counts, or null when the child ended without writing them.
    $runPester = {
        param([string] $Name, [string[]] $Paths, [string[]] $Exclude = @())
        $summary = Join-Path $results "$Name.json"
        & (Get-ChildPwsh) -NoProfile -NonInteractive -File $runnerPath -PesterPath $pester -TestPath ($Paths -join [IO.Path]::PathSeparator) `
            -ExcludePath ($Exclude -join [IO.Path]::PathSeparator) -SummaryPath $summary -ResultPath (Join-Path $results "$Name.xml") -Filter $Filter | Out-Host
        $script:LastPesterExit = $LASTEXITCODE
        if (Test-Path $summary) { Get-Content $summary -Raw | ConvertFrom-Json }
    }
    $addCounts = { param($a, $b) [pscustomobject]@{ Passed = $a.Passed + $b.Passed; Failed = $a.Failed + $b.Failed; Skipped = $a.Skipped + $b.Skipped } }

    # Files that run in a pwsh of their own, each once more if that pwsh ends without results: they drive parts of
    # PowerShell that have ended a test process with an unhandled exception (exit code 134), which would lose every
    # other result of that process. The fleet over SSH: PowerShell's SSH client transport, an unhandled broken pipe after
    # a host's pwsh was killed (5 Dec 2026). Ctrl+C: stopping pipelines in background runspaces, an unhandled runspace
    # exception once in a helper's run (5 Dec 2026; not reproduced in 36 runs since, and perhaps the module rebuilt under
    # the run). A crash is said and the file runs again; a second crash fails.
    $isolated = @('Fleet.Tests.ps1', 'Hardening.Tests.ps1' | ForEach-Object { Join-Path $RepoRoot "tests/Pester/$_" })

    Write-Host "`n=== Pester: cmdlets, in a child pwsh against $ModuleManifest ==="
    $pesterCounts = & $runPester 'pester' @((Join-Path $RepoRoot 'tests/Pester'), (Join-Path $RepoRoot '.config/build')) $isolated
    if (-not $pesterCounts) { $problems.Add("Pester produced no results (exit code $LastPesterExit)"); $pesterCounts = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }

    foreach ($file in $isolated) {
        $name = [IO.Path]::GetFileNameWithoutExtension($file) -replace '\.Tests$'
        Write-Host "`n=== Pester: $name, in a child pwsh of its own ==="
        $counts = & $runPester "pester-$name" @($file)
        if (-not $counts) {
            $firstExit = $LastPesterExit
            Write-Host "The $name tests' pwsh ended without results (exit code $firstExit); running them once more."
            # What a crashed fleet run left (its sshd, users, groups, folder); a no-op for the others.
            Remove-FleetLeftover
            $counts = & $runPester "pester-$name-rerun" @($file)
            if ($counts) { Write-Host "Rerun of the $name tests after their pwsh ended with exit code ${firstExit}: $($counts.Passed) passed, $($counts.Failed) failed." }
            else {
                $problems.Add("the $name tests produced no results, twice (exit codes $firstExit, $LastPesterExit)")
                Remove-FleetLeftover
            }
        }
        if ($counts) { $pesterCounts = & $addCounts $pesterCounts $counts }
    }

    # The scored-row tests again, with every use of PowerShell's non-public members turned off (the public route).
    Write-Host "`n=== Pester: scored rows through PowerShell's public API only (AUTOENCODERPS_PUBLIC_API_ONLY=1) ==="
    $env:AUTOENCODERPS_PUBLIC_API_ONLY = '1'
    try { $public = & $runPester 'pester-public' @('Test-Anomaly.Tests.ps1', 'PowerShellInternals.Tests.ps1' | ForEach-Object { Join-Path $RepoRoot "tests/Pester/$_" }) }
    finally { $env:AUTOENCODERPS_PUBLIC_API_ONLY = $null }
    if ($public) { $pesterCounts = & $addCounts $pesterCounts $public }
    else { $problems.Add("Pester (public API only) produced no results (exit code $LastPesterExit)") }

    $passed = $xunit.Passed + $pesterCounts.Passed
    # A run that produced no results (or a build step that failed) counts as one failure, so the last line never
    # reads "0 failed" for tests that did not report.
    $failed = $xunit.Failed + $pesterCounts.Failed + $problems.Count
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ''
    Write-Host ("xunit:  {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $pesterCounts.Passed, $pesterCounts.Failed, $pesterCounts.Skipped)
    foreach ($problem in $problems) { Write-Host "Problem (counted as a failure): $problem" }
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0) { throw [BuildFailure]::new(1, "$failed test(s) failed, $($problems.Count) of them problems.") }
}

function Invoke-Bench {
    Invoke-Build
    & (Get-ChildPwsh) -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tests/Benchmarks/Invoke-Benchmarks.ps1') `
        -ModulePath $ModuleManifest -ResultPath (Join-Path $RepoRoot '.docs/benchmarks.md') -ThreadCount 1
    if ($LASTEXITCODE -ne 0) { throw [BuildFailure]::new($LASTEXITCODE, "exit code $LASTEXITCODE") }
}

function Invoke-Demo {
    Invoke-Build
    & (Get-ChildPwsh) -NoProfile -NonInteractive -File (Join-Path $ModuleStage 'Examples/Start-AutoencoderDemo.ps1')
    if ($LASTEXITCODE -ne 0) { throw [BuildFailure]::new($LASTEXITCODE, "exit code $LASTEXITCODE") }
    & (Get-ChildPwsh) -NoProfile -NonInteractive -File (Join-Path $ModuleStage 'Examples/Start-LogAnomalyDemo.ps1')
    if ($LASTEXITCODE -ne 0) { throw [BuildFailure]::new($LASTEXITCODE, "exit code $LASTEXITCODE") }
}

function Get-NuGetPackageRoot {
    $line = (& dotnet nuget locals global-packages --list) | Select-Object -First 1
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-CurrentRuntimeIdentifier {
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    "$os-$([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant())"
}

function Test-NativeFile {
    # Native: .so/.so.N/.dylib, and any .dll that is not a .NET assembly (Windows natives).
    param([System.IO.FileInfo] $File)
    if ($File.Name -match '\.so(\.\d+)*$' -or $File.Extension -eq '.dylib') { return $true }
    if ($File.Extension -ne '.dll') { return $false }
    try { $null = [System.Reflection.AssemblyName]::GetAssemblyName($File.FullName); $false } catch { $true }
}

function Get-UnneededNativeName {
    # $UnneededNatives, with their macOS and Windows names, and SkiaSharp's natives (TorchSharp's image helpers, which
    # training and scoring never load; the linux-x64 publish has none).
    foreach ($name in @($UnneededNatives) + 'libSkiaSharp.so') {
        $base = $name -replace '^lib' -replace '\.so$'
        $name; "lib$base.dylib"; "$base.dll"; "lib$base.dll"
    }
}

function Invoke-IsolatedPwsh {
    <#
    Runs a script block in a child pwsh whose HOME is a throwaway folder, so PSResourceGet and PowerShellGet keep
    their repository registrations and CurrentUser modules there, never in the user's real configuration.
    DOTNET_CLI_HOME and NUGET_PACKAGES keep pointing at the real ones; PSModulePath is left for the child to compute.
    #>
    param([string] $HomeDir, [scriptblock] $ScriptBlock, [object[]] $ArgumentList = @())
    $names = 'HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'LOCALAPPDATA', 'APPDATA', 'PSModulePath', 'DOTNET_CLI_HOME', 'NUGET_PACKAGES'
    $saved = @{}
    foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $nugetPackages = Get-NuGetPackageRoot
    $savedDirectory = [Environment]::CurrentDirectory
    try {
        if (-not $env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME = [Environment]::GetFolderPath('UserProfile') }
        if (-not $env:NUGET_PACKAGES) { $env:NUGET_PACKAGES = $nugetPackages }
        $env:HOME = $HomeDir
        $env:XDG_CONFIG_HOME = Join-Path $HomeDir '.config'
        $env:XDG_DATA_HOME = Join-Path $HomeDir '.local/share'
        $env:XDG_CACHE_HOME = Join-Path $HomeDir '.cache'
        if ($IsWindows) {
            $env:LOCALAPPDATA = Join-Path $HomeDir 'AppData/Local'
            $env:APPDATA = Join-Path $HomeDir 'AppData/Roaming'
        }
        # The folders must exist: .NET reports a missing special folder as '', and PSResourceGet and NuGet would then
        # write their settings relative to the working directory, which is the child's HOME too for that reason.
        foreach ($dir in $env:XDG_CONFIG_HOME, $env:XDG_DATA_HOME, $env:XDG_CACHE_HOME) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
        if ($IsWindows) { foreach ($dir in $env:LOCALAPPDATA, $env:APPDATA) { New-Item -ItemType Directory -Path $dir -Force | Out-Null } }
        $env:PSModulePath = $null
        [Environment]::CurrentDirectory = $HomeDir
        & (Get-ChildPwsh) -NoProfile -NonInteractive -Command $ScriptBlock -args $ArgumentList
        if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed with exit code $LASTEXITCODE." }
    }
    finally {
        # Not [Environment]::SetEnvironmentVariable($name, $null): PowerShell passes '' for $null, which leaves the
        # variable set but empty on Linux, and an empty DOTNET_CLI_HOME sends dotnet's NuGet folder to a relative path.
        foreach ($name in $names) {
            if ($null -eq $saved[$name]) { Remove-Item -LiteralPath "env:$name" -ErrorAction Ignore }
            else { Set-Item -LiteralPath "env:$name" -Value $saved[$name] }
        }
        [Environment]::CurrentDirectory = $savedDirectory
    }
}

function New-RuntimeModuleStage {
    # Publishes the cmdlet project for one RID and stages AutoencoderPS.Runtime.<rid>: that platform's natives, flat,
    # with a manifest from module/AutoencoderPS.Runtime and the licences.
    param([string] $Rid, [string] $Version, [string] $StageRoot, [string] $NuGetRoot)
    $info = $RuntimeModules[$Rid]
    $name = "AutoencoderPS.Runtime.$Rid"
    $publish = Join-Path $PackageWork "publish/$Rid"
    Write-Host "Publishing the $Rid natives..."
    # A separate artifacts folder: the RID-specific restore must not rewrite the obj/ of the everyday build.
    Invoke-Dotnet publish (Join-Path $RepoRoot 'src/AutoencoderPS/AutoencoderPS.csproj') -c $Configuration "-p:RuntimeIdentifier=$Rid" `
        -o $publish --artifacts-path (Join-Path $PackageWork "artifacts/$Rid") --nologo -v quiet

    $deps = Get-Content (Join-Path $publish 'AutoencoderPS.deps.json') -Raw | ConvertFrom-Json -AsHashtable
    $libraries = @($deps.libraries.Keys)
    $libtorch = ($libraries | Where-Object { $_ -like "libtorch-cpu-$Rid/*" } | Select-Object -First 1) -replace '^.*/'
    $torchsharp = ($libraries | Where-Object { $_ -like 'TorchSharp/*' } | Select-Object -First 1) -replace '^.*/'
    if (-not $libtorch -or -not $torchsharp) { throw "The $Rid publish names no libtorch-cpu-$Rid or TorchSharp package in its deps.json." }

    $stage = Join-Path $StageRoot $name
    New-Item -ItemType Directory -Path $stage -Force | Out-Null
    $unneeded = @(Get-UnneededNativeName)
    Get-ChildItem $publish -File |
        Where-Object { $_.Name -notin $unneeded -and (Test-NativeFile $_) } |
        Copy-Item -Destination $stage
    foreach ($library in $info.Required) {
        if (-not (Test-Path (Join-Path $stage $library))) { throw "The $Rid runtime lacks '$library' (publish folder: $publish)." }
    }
    if ($Rid -eq 'linux-x64') { Assert-LibTorchSharpPatched -Path (Join-Path $stage 'libLibTorchSharp.so') -NuGetRoot $NuGetRoot -TorchSharpVersion $torchsharp }

    Copy-Item (Join-Path $RepoRoot 'LICENSE') -Destination $stage
    Copy-Item (Join-Path $NuGetRoot "libtorch-cpu-$($Rid.ToLowerInvariant())/$libtorch/LICENSE-LIBTORCH.txt") -Destination $stage
    Copy-Item (Join-Path $NuGetRoot "torchsharp/$torchsharp/LICENSE.txt") -Destination (Join-Path $stage 'LICENSE-TORCHSHARP.txt')

    $manifest = Get-Content (Join-Path $RepoRoot 'module/AutoencoderPS.Runtime/AutoencoderPS.Runtime.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion(\s*)=\s*'[^']*'", "ModuleVersion`$1= '$Version'"
    $manifest = $manifest.Replace('__GUID__', $info.Guid).Replace('__RID__', $Rid).Replace('__PLATFORM__', $info.Platform).
        Replace('__LIBTORCH__', $libtorch).Replace('__TORCHSHARP__', $torchsharp)
    $manifestPath = Join-Path $stage "$name.psd1"
    Set-Content -Path $manifestPath -Value $manifest -NoNewline
    $null = Test-ModuleManifest $manifestPath
    $stage
}

function Assert-LibTorchSharpPatched {
    # The staged libLibTorchSharp.so must be the copy with GLIBCXX_3.4.32 marked weak (.config/Build.targets), not the
    # NuGet cache's, or it won't load on Debian 12 / Ubuntu 22.04.
    param([string] $Path, [string] $NuGetRoot, [string] $TorchSharpVersion)
    $original = Join-Path $NuGetRoot "torchsharp/$TorchSharpVersion/runtimes/linux-x64/native/libLibTorchSharp.so"
    if ((Test-Path $original) -and (Get-FileHash $original).Hash -eq (Get-FileHash $Path).Hash) {
        throw "'$Path' is the unpatched libLibTorchSharp.so from the NuGet cache; the publish step did not mark GLIBCXX_3.4.32 weak."
    }
    if (Get-Command readelf -CommandType Application -ErrorAction Ignore) {
        $entry = & readelf -V $Path | Select-String 'Name: GLIBCXX_3\.4\.32'
        if ($entry -and $entry.Line -notmatch 'Flags: WEAK') { throw "'$Path' still needs GLIBCXX_3.4.32 strictly: $($entry.Line.Trim())" }
    }
}

function New-MainModuleStage {
    # AutoencoderPS without natives: the staged module's managed assemblies, manifest, formats and folders, plus licences.
    param([string] $StageRoot, [string] $NuGetRoot)
    $stage = Join-Path $StageRoot 'AutoencoderPS'
    New-Item -ItemType Directory -Path $stage -Force | Out-Null
    Get-ChildItem $ModuleStage -File | Where-Object { -not (Test-NativeFile $_) } | Copy-Item -Destination $stage
    # The stage's ReadyToRun images are for this platform only (another OS's runtime refuses to load them): the package,
    # which serves every platform, gets the IL they were compiled from.
    $il = Join-Path $OutDir 'publish'
    foreach ($name in $ReadyToRunAssemblies) { Copy-Item (Join-Path $il $name) -Destination $stage -Force }
    $precompiled = @(Get-ChildItem $stage -Filter '*.dll' | Where-Object { Test-ReadyToRunImage $_.FullName })
    if ($precompiled) { throw "The platform-neutral AutoencoderPS package would carry platform-specific ReadyToRun code: $($precompiled.Name -join ', ')." }
    Get-ChildItem $ModuleStage -Directory | Copy-Item -Destination $stage -Recurse
    Copy-Item (Join-Path $RepoRoot 'LICENSE') -Destination $stage
    $torchsharp = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $stage 'TorchSharp.dll')).Version
    $torchsharpLicense = Get-ChildItem (Join-Path $NuGetRoot 'torchsharp') -Directory |
        Where-Object { $_.Name -like "$($torchsharp.Major).$($torchsharp.Minor).$($torchsharp.Build)*" } |
        ForEach-Object { Join-Path $_.FullName 'LICENSE.txt' } | Where-Object { Test-Path $_ } | Select-Object -First 1
    if ($torchsharpLicense) { Copy-Item $torchsharpLicense -Destination (Join-Path $stage 'LICENSE-TORCHSHARP.txt') }
    $manifest = Import-PowerShellDataFile (Join-Path $stage 'AutoencoderPS.psd1')
    if ($manifest.ContainsKey('RequiredModules') -and $manifest.RequiredModules) { throw 'AutoencoderPS must import without a runtime: its manifest may not declare RequiredModules.' }
    $stage
}

function Invoke-Package {
    param([string[]] $Rids = $RuntimeIdentifier, [switch] $NoBuild)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    if (-not $NoBuild) { Invoke-Build }
    $version = Get-ModuleVersion
    $nugetRoot = Get-NuGetPackageRoot
    foreach ($dir in $PackageDir, (Join-Path $PackageWork 'stage'), (Join-Path $PackageWork 'home')) {
        if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    }
    New-Item -ItemType Directory -Path $PackageDir | Out-Null
    $stageRoot = Join-Path $PackageWork 'stage'

    $stages = [System.Collections.Generic.List[string]]::new()
    $stages.Add((New-MainModuleStage -StageRoot $stageRoot -NuGetRoot $nugetRoot))
    foreach ($rid in $Rids) { $stages.Add((New-RuntimeModuleStage -Rid $rid -Version $version -StageRoot $stageRoot -NuGetRoot $nugetRoot)) }

    Write-Host "Publishing $($stages.Count) package(s) to $PackageDir with Publish-PSResource..."
    Invoke-IsolatedPwsh -HomeDir (Join-Path $PackageWork 'home') -ArgumentList $PackageDir, $stages.ToArray() -ScriptBlock {
        param([string] $Repository, [string[]] $Paths)
        $ErrorActionPreference = 'Stop'
        $name = 'AutoencoderPSBuild'
        Register-PSResourceRepository -Name $name -Uri $Repository -Trusted
        try {
            foreach ($path in $Paths) { Publish-PSResource -Path $path -Repository $name }
        }
        finally {
            Unregister-PSResourceRepository -Name $name
        }
    }

    # The packages hold the stages now (about 1 GB for all three platforms); the per-RID publish folders stay for speed.
    Remove-Item $stageRoot -Recurse -Force

    $packages = @(Get-ChildItem $PackageDir -Filter '*.nupkg' | Sort-Object Name)
    if ($packages.Count -ne $stages.Count) { throw "Expected $($stages.Count) packages in $PackageDir, found $($packages.Count)." }
    Write-Host ''
    $tooBig = @()
    foreach ($package in $packages) {
        $mb = $package.Length / 1MB
        Write-Host ('{0,-48} {1,8:N1} MB' -f $package.Name, $mb)
        if ($mb -gt $PackageLimitMB) { $tooBig += $package.Name }
    }
    if ($tooBig) { throw "Over the PowerShell Gallery's $PackageLimitMB MB limit: $($tooBig -join ', ')." }
    Test-PackageContent -Packages $packages -Rids $Rids
    Write-Host ("{0} package(s), version {1}, each under {2} MB, in {3} ({4:N0} s)." -f $packages.Count, $version, $PackageLimitMB, $PackageDir, $clock.Elapsed.TotalSeconds)
}

function Test-PackageContent {
    <#
    Reads the written packages' headers (.config/PackageInspection.cs): AutoencoderPS must hold platform-neutral managed
    assemblies only; each runtime package natives of its platform's format and architecture, whose every need is met by
    the package or the operating system. Prints what each runtime needs from the operating system, writes the full
    report to out/package-check.md, and fails on any problem.
    #>
    param([System.IO.FileInfo[]] $Packages, [string[]] $Rids)
    if (-not ('AutoencoderPS.Packaging.PackageInspector' -as [type])) {
        Add-Type -Path (Join-Path $RepoRoot '.config/BinaryImage.cs'), (Join-Path $RepoRoot '.config/PackageInspection.cs')
    }
    $reports = [System.Collections.Generic.List[object]]::new()
    $main = $Packages | Where-Object Name -Match '^AutoencoderPS\.\d' | Select-Object -First 1
    $reports.Add([AutoencoderPS.Packaging.PackageInspector]::InspectMainPackage($main.FullName))
    foreach ($rid in $Rids) {
        $package = $Packages | Where-Object Name -Like "AutoencoderPS.Runtime.$rid.*" | Select-Object -First 1
        $reports.Add([AutoencoderPS.Packaging.PackageInspector]::InspectRuntimePackage($package.FullName, $rid))
    }
    $reportPath = Join-Path $OutDir 'package-check.md'
    Set-Content -Path $reportPath -Value (($reports | ForEach-Object { $_.ToMarkdown() }) -join "`n")
    Write-Host ''
    foreach ($report in $reports) {
        $verdict = if ($report.Passed) { 'passes' } else { 'FAILS' }
        $what = if ($report.Assemblies.Count) { "$($report.Assemblies.Count) managed assemblies, all AnyCPU IL" }
        else { "$(@($report.Libraries | Where-Object Loaded).Count) of $($report.Libraries.Count) natives loaded; from the OS: $($report.SystemLibrariesNeeded -join ', ')" }
        Write-Host "Check: $($report.Name) $verdict ($what)"
        foreach ($problem in $report.AllProblems) { Write-Host "  problem: $problem" }
    }
    $failed = @($reports | Where-Object { -not $_.Passed })
    if ($failed) { throw "The package check failed for $($failed.Name -join ', '); see $reportPath." }
    Write-Host "Package check report: $reportPath"
}

function Invoke-Clean {
    foreach ($dir in @($OutDir) + @(Get-ChildItem $RepoRoot/src, $RepoRoot/tests -Directory -Recurse -Include bin, obj).FullName) {
        if ($dir -and (Test-Path $dir)) { Remove-Item $dir -Recurse -Force }
    }
}


<#
.SYNOPSIS
    Runs one build task (Build, Test, Demo, Package, Bench, Clean) from the repository root; returns the process exit code.
#>
function Invoke-AutoencoderBuild {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Clean')] [string] $Task,
        [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
        [string[]] $RuntimeIdentifier = @('linux-x64', 'win-x64', 'osx-arm64'),
        [string] $Filter
    )
    # The steps read these as the module's own settings.
    $script:Configuration = $Configuration
    $script:RuntimeIdentifier = $RuntimeIdentifier
    $script:Filter = $Filter
    Push-Location $RepoRoot
    try {
        switch ($Task) {
            'Build' { Invoke-Build | Out-Host }
            'Test' { Invoke-Test | Out-Host }
            'Demo' { Invoke-Demo | Out-Host }
            'Package' { Invoke-Package | Out-Host }
            'Bench' { Invoke-Bench | Out-Host }
            'Clean' { Invoke-Clean | Out-Host }
        }
        0
    }
    catch [BuildFailure] {
        Write-Host $_.Exception.Message
        $_.Exception.ExitCode
    }
    finally {
        Pop-Location
    }
}

Export-ModuleMember -Function Invoke-AutoencoderBuild
