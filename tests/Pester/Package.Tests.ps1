# The packages build.ps1 -Task Package writes, read from their files' headers (.config/BinaryImage.cs and
# .config/PackageInspection.cs hold the readers and the rules):
# - AutoencoderPS, which every platform installs, carries platform-neutral managed assemblies only (AnyCPU IL), so that
#   an arm64 process (Apple silicon, Windows on Arm) loads it as well as an x64 one.
# - AutoencoderPS.Runtime.<rid>: natives of that platform's format and architecture, every library they need either in
#   the package or an operating-system library, and on Linux the GLIBCXX weak-version patch where needed and nowhere else.
# build.ps1 -Task Test packages this platform first and sets AUTOENCODERPS_PACKAGES; the other platforms' runtime packages
# are checked when that folder holds them (build.ps1 -Task Package writes all three). Without it, the tests are skipped.

BeforeAll {
    if (-not ('AutoencoderPS.Packaging.PackageInspector' -as [type])) {
        $config = Join-Path $PSScriptRoot '../../.config'
        Add-Type -Path (Join-Path $config 'BinaryImage.cs'), (Join-Path $config 'PackageInspection.cs')
    }
    $script:Packages = $env:AUTOENCODERPS_PACKAGES
    $script:SkipBecause = if (-not $script:Packages) {
        'AUTOENCODERPS_PACKAGES is not set: run build.ps1 -Task Test (which packages this platform), or build.ps1 -Task Package ' +
        'and set AUTOENCODERPS_PACKAGES to its out/packages folder'
    }
    $os = $IsWindows ? 'win' : $IsMacOS ? 'osx' : 'linux'
    $script:Rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant())"

    function Find-Package([string] $Name) {
        Get-ChildItem -LiteralPath $script:Packages -Filter "$Name.*.nupkg" -ErrorAction Ignore |
            Where-Object Name -Match "^$([regex]::Escape($Name))\.\d+\.\d+\.\d+[^.]*\.nupkg$" | Select-Object -First 1
    }
}

Describe 'The AutoencoderPS package' {
    It 'carries only platform-neutral managed assemblies: IL only, AnyCPU, no natives' {
        if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
        $package = Find-Package 'AutoencoderPS'
        $package | Should -Not -BeNullOrEmpty -Because "'$script:Packages' should hold the AutoencoderPS package"
        $report = [AutoencoderPS.Packaging.PackageInspector]::InspectMainPackage($package.FullName)
        $report.AllProblems | Should -BeNullOrEmpty -Because $report.ToMarkdown()
        $report.Assemblies.Key | Should -Contain 'AutoencoderPS.dll'
        $report.Assemblies.Key | Should -Contain 'AutoencoderPS.Engine.dll'
        $report.Assemblies.Key | Should -Contain 'TorchSharp.dll'
    }
}

Describe 'The runtime package for <_>' -ForEach @('linux-x64', 'win-x64', 'osx-arm64') {
    BeforeAll {
        $script:RuntimeRid = $_
        $script:Package = if (-not $script:SkipBecause) { Find-Package "AutoencoderPS.Runtime.$_" }
        $script:Report = if ($script:Package) { [AutoencoderPS.Packaging.PackageInspector]::InspectRuntimePackage($script:Package.FullName, $_) }
        $script:Absent = if ($script:SkipBecause) { $script:SkipBecause }
        elseif (-not $script:Package) {
            if ($_ -eq $script:Rid) { $null } # this platform's package must be there: the test below fails
            else { "'$script:Packages' holds no AutoencoderPS.Runtime.$_ package (build.ps1 -Task Package writes all three)" }
        }
    }

    It 'is there' {
        if ($script:Absent) { Set-ItResult -Skipped -Because $script:Absent; return }
        $script:Package | Should -Not -BeNullOrEmpty
    }

    It 'holds natives of its format and architecture, each need met by the package or the operating system' {
        if ($script:Absent -or -not $script:Report) { Set-ItResult -Skipped -Because ($script:Absent ?? 'the package is missing'); return }
        $script:Report.AllProblems | Should -BeNullOrEmpty -Because $script:Report.ToMarkdown()
        $platform = [AutoencoderPS.Packaging.RuntimePlatform]::For($script:RuntimeRid)
        foreach ($library in $platform.LoadOrder) { $script:Report.Libraries.Name | Should -Contain $library }
    }

    It 'marks GLIBCXX_3.4.32 weak in libLibTorchSharp.so only, and only for std::ios_base_library_init()' {
        if ($script:Absent -or -not $script:Report) { Set-ItResult -Skipped -Because ($script:Absent ?? 'the package is missing'); return }
        $weak = @(foreach ($library in $script:Report.Libraries) {
                foreach ($need in $library.Image.VersionNeeds) { if ($need.Weak) { "$($library.Name) $($need.Version)" } }
            })
        $symbols = @($script:Report.Libraries.Image.WeakVersionSymbols.Key)
        if ($script:RuntimeRid -eq 'linux-x64') {
            $weak | Should -Be @('libLibTorchSharp.so GLIBCXX_3.4.32')
            $symbols | Should -Be @([AutoencoderPS.Packaging.PackageInspector]::MarkerSymbol)
        }
        else {
            $weak | Should -BeNullOrEmpty
        }
    }
}

Describe 'The PowerShell the manifests claim' {
    # Only pwsh 7.6 is served as a .NET tool here (7.6.9, 7.6.10; 7.7.0 needs .NET 11), so the suite runs on 7.6 only,
    # and 7.4 and 7.5 are out of support: a manifest may not claim a lower PowerShell than the one the tests run on.
    It '<_> claims the major and minor version of the pwsh running these tests' -ForEach @(
        'module/AutoencoderPS/AutoencoderPS.psd1', 'module/AutoencoderPS.Runtime/AutoencoderPS.Runtime.psd1'
    ) {
        $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot "../../$_")
        $claimed = [version] $manifest.PowerShellVersion
        "$($claimed.Major).$($claimed.Minor)" | Should -Be "$($PSVersionTable.PSVersion.Major).$($PSVersionTable.PSVersion.Minor)"
    }

    It 'the scheduled job script requires the same PowerShell' {
        $script = Get-Content (Join-Path $PSScriptRoot '../../module/AutoencoderPS/Invoke-ScheduledScoring.ps1') -TotalCount 1
        $script | Should -Be "#requires -Version $($PSVersionTable.PSVersion.Major).$($PSVersionTable.PSVersion.Minor)"
    }
}
