# Installing AutoencoderPS the way a user does: from a PowerShell Gallery-like repository holding the packages that
# build.ps1 -Task Package writes (AutoencoderPS, and AutoencoderPS.Runtime.<rid> with this platform's libtorch), into
# fresh pwsh processes that each have their own, throwaway HOME. build.ps1 -Task Test packages this platform first and
# sets AUTOENCODERPS_PACKAGES to the folder of the .nupkg files; without it, the tests are skipped, saying why.

BeforeAll {
    $script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $script:Packages = $env:AUTOENCODERPS_PACKAGES
    $os = $IsWindows ? 'win' : $IsMacOS ? 'osx' : 'linux'
    $script:Rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant())"
    $script:RuntimeName = "AutoencoderPS.Runtime.$script:Rid"

    $script:SkipBecause = $null
    if (-not $script:Packages) {
        $script:SkipBecause = 'AUTOENCODERPS_PACKAGES is not set: run build.ps1 -Task Test (which packages this platform), or ' +
            'build.ps1 -Task Package and set AUTOENCODERPS_PACKAGES to its out/packages folder'
    }
    elseif ($IsWindows) {
        # The CurrentUser module folder on Windows is under the Documents known folder, which no environment variable moves.
        $script:SkipBecause = 'a throwaway HOME does not isolate the CurrentUser module folder on Windows'
    }
    else {
        $main = Get-ChildItem -LiteralPath $script:Packages -Filter 'AutoencoderPS.*.nupkg' -ErrorAction Ignore |
            Where-Object Name -Match '^AutoencoderPS\.(\d+\.\d+\.\d+[^.]*)\.nupkg$' | Select-Object -First 1
        $runtime = Get-ChildItem -LiteralPath $script:Packages -Filter "$script:RuntimeName.*.nupkg" -ErrorAction Ignore | Select-Object -First 1
        if (-not $main) { $script:SkipBecause = "'$script:Packages' holds no AutoencoderPS package" }
        elseif (-not $runtime) { $script:SkipBecause = "'$script:Packages' holds no $script:RuntimeName package (build.ps1 -Task Package -RuntimeIdentifier $script:Rid)" }
        else { $script:Version = [regex]::Match($main.Name, '^AutoencoderPS\.(.+)\.nupkg$').Groups[1].Value }
    }

    # All homes and files of these tests live here, removed at the end (TestDrive would keep ~1 GB of installs per Describe).
    $script:Root = Join-Path ([System.IO.Path]::GetTempPath()) "autoencoderps-install-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $script:Root | Out-Null
    $script:ModelFile = Join-Path $script:Root 'installed.aemodel'

    # Runs a script in a fresh pwsh whose HOME is $HomeDir: PSResourceGet and PowerShellGet register repositories and
    # install CurrentUser modules there, never in the real profile. DOTNET_CLI_HOME and NUGET_PACKAGES keep the real
    # ones; PSModulePath is left for the child to compute from its HOME. Returns the exit code, the output, and the
    # output's "key=value" lines as a hashtable.
    function Invoke-FreshPwsh([string] $HomeDir, [string] $Script) {
        $names = 'HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'PSModulePath', 'DOTNET_CLI_HOME', 'NUGET_PACKAGES'
        $saved = @{}
        foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        $savedDirectory = [Environment]::CurrentDirectory
        try {
            if (-not $env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME = [Environment]::GetFolderPath('UserProfile') }
            if (-not $env:NUGET_PACKAGES) { $env:NUGET_PACKAGES = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
            $env:HOME = $HomeDir
            $env:XDG_CONFIG_HOME = Join-Path $HomeDir '.config'
            $env:XDG_DATA_HOME = Join-Path $HomeDir '.local/share'
            $env:XDG_CACHE_HOME = Join-Path $HomeDir '.cache'
            # They must exist: .NET reports a missing special folder as '', and PSResourceGet and NuGet then write their
            # settings relative to the working directory, which is the child's HOME too for that reason.
            foreach ($dir in $env:XDG_CONFIG_HOME, $env:XDG_DATA_HOME, $env:XDG_CACHE_HOME) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
            $env:PSModulePath = $null
            [Environment]::CurrentDirectory = $HomeDir
            $output = & $script:Pwsh -NoProfile -NonInteractive -Command $Script 2>&1 | Out-String
            $exitCode = $LASTEXITCODE
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
        $values = @{}
        foreach ($line in $output -split "`r?`n") {
            if ($line -match '^(\w+)=(.*)$') { $values[$Matches[1]] = $Matches[2].Trim() }
        }
        [pscustomobject]@{ ExitCode = $exitCode; Output = $output; Values = $values }
    }

    # Train on a day of sample data and score another: the same for every install route.
    $script:TrainAndScore = @'
Import-Module AutoencoderPS -ErrorAction Stop
'module=' + (Get-Module AutoencoderPS).ModuleBase
$m = New-Autoencoder -HiddenLayer 8,4 -Seed 1
Get-AutoencoderSampleData -Days 1 | Invoke-AutoencoderTraining -Model $m -Epochs 3 -ThreadCount 1 | Out-Null
$scores = @(Get-AutoencoderSampleData -Days 1 -Seed 2 | Test-Anomaly -Model $m -ThreadCount 1)
'scored=' + $scores.Count
'finite=' + @($scores | Where-Object { $_.AnomalyScore -is [double] -and [double]::IsFinite($_.AnomalyScore) }).Count
'natives=' + [AutoencoderPS.Engine.Modeling.Torch.TorchRuntime]::NativeDirectory
'fallback=' + (Test-Path (Join-Path (Get-Module AutoencoderPS).ModuleBase 'cpu'))
'@
}

AfterAll {
    if ($script:Root -and (Test-Path $script:Root)) { Remove-Item $script:Root -Recurse -Force }
}

Describe 'Installing from a file repository' {
    Context 'Install-PSResource: AutoencoderPS and its runtime' {
        BeforeAll {
            $script:HomeDir = Join-Path $script:Root 'home-psresource'
            if (-not $script:SkipBecause) {
                $script:Run = Invoke-FreshPwsh $script:HomeDir @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name AutoencoderPSInstallTest -Uri '$script:Packages' -Trusted
try {
    Install-PSResource -Name AutoencoderPS -Version '$script:Version' -Repository AutoencoderPSInstallTest -TrustRepository -Quiet
    Install-PSResource -Name $script:RuntimeName -Version '$script:Version' -Repository AutoencoderPSInstallTest -TrustRepository -Quiet
}
finally {
    Unregister-PSResourceRepository -Name AutoencoderPSInstallTest
}
'remaining=' + @(Get-PSResourceRepository | Where-Object Name -eq AutoencoderPSInstallTest).Count
$script:TrainAndScore
Export-Autoencoder -Model `$m -Path '$script:ModelFile'
"@
            }
        }
        AfterAll {
            if (Test-Path $script:HomeDir) { Remove-Item $script:HomeDir -Recurse -Force }
        }

        It 'installs both into the fresh HOME, imports by name, trains and scores' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Output | Should -Not -Match 'Exception|Error'
            $script:Run.ExitCode | Should -Be 0
            $script:Run.Values.module | Should -BeLike "$script:HomeDir*AutoencoderPS*"
            $script:Run.Values.scored | Should -Be 1440
            $script:Run.Values.finite | Should -Be 1440
        }

        It 'loads libtorch from the installed runtime module, never from a NuGet cache' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Values.natives | Should -BeLike "$script:HomeDir*$script:RuntimeName*"
            $script:Run.Values.fallback | Should -Be 'False'
            $script:Run.Output | Should -Not -Match 'LoadNativeBackend'
        }

        It 'leaves no repository registered' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Values.remaining | Should -Be 0
        }

        It 'loads a saved model with Import-Autoencoder as the first libtorch use of a new session' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:ModelFile | Should -Exist
            $run = Invoke-FreshPwsh $script:HomeDir @"
Import-Module AutoencoderPS -ErrorAction Stop
`$m = Import-Autoencoder -Path '$script:ModelFile'
'scored=' + @(Get-AutoencoderSampleData -Days 1 -Seed 3 | Test-Anomaly -Model `$m -ThreadCount 1).Count
'natives=' + [AutoencoderPS.Engine.Modeling.Torch.TorchRuntime]::NativeDirectory
"@
            $run.ExitCode | Should -Be 0
            $run.Values.scored | Should -Be 1440
            $run.Values.natives | Should -BeLike "$script:HomeDir*$script:RuntimeName*"
        }

        It 'ships Invoke-ScheduledScoring.ps1, which runs a scheduled scoring job from the installed module' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $export = Join-Path $script:Root 'scheduled-export.csv'
            $output = Join-Path $script:Root 'scheduled-scored.csv'
            $run = Invoke-FreshPwsh $script:HomeDir @"
Import-Module AutoencoderPS -ErrorAction Stop
`$job = Join-Path (Get-Module AutoencoderPS).ModuleBase 'Invoke-ScheduledScoring.ps1'
'script=' + (Test-Path `$job)
Get-AutoencoderSampleData -Days 1 -Seed 5 | Export-Csv -Path '$export'
& (Join-Path `$PSHOME 'pwsh') -NoProfile -NonInteractive -File `$job -ModelPath '$script:ModelFile' -Path '$export' -OutputPath '$output' | Out-Null
'exit=' + `$LASTEXITCODE
'rows=' + @(Import-Csv '$output').Count
"@
            $run.Values.script | Should -Be 'True' -Because $run.Output
            $run.Values.exit | Should -BeIn '0', '1' -Because $run.Output
            $run.Values.rows | Should -Be 1440
        }
    }

    Context 'Install-PSResource: AutoencoderPS without its runtime' {
        BeforeAll {
            $script:HomeDir = Join-Path $script:Root 'home-mainonly'
            if (-not $script:SkipBecause) {
                $script:Run = Invoke-FreshPwsh $script:HomeDir @"
Register-PSResourceRepository -Name AutoencoderPSInstallTest -Uri '$script:Packages' -Trusted
try { Install-PSResource -Name AutoencoderPS -Version '$script:Version' -Repository AutoencoderPSInstallTest -TrustRepository -Quiet -ErrorAction Stop }
finally { Unregister-PSResourceRepository -Name AutoencoderPSInstallTest }
Import-Module AutoencoderPS -ErrorAction Stop
'imported=' + [bool](Get-Module AutoencoderPS)
`$m = New-Autoencoder -Seed 1
'created=' + (`$m -is [AutoencoderPS.Engine.Modeling.AutoencoderModel])
`$Error.Clear()
try { Get-AutoencoderSampleData -Days 1 | Invoke-AutoencoderTraining -Model `$m -Epochs 1 -ThreadCount 1 | Out-Null; 'trained=True' }
catch {
    'id=' + `$_.FullyQualifiedErrorId
    'category=' + `$_.CategoryInfo.Category
    'message=' + `$_.Exception.Message
    'errors=' + `$Error.Count
}
if (Test-Path '$script:ModelFile') {
    try { Import-Autoencoder -Path '$script:ModelFile' | Out-Null; 'imported_model=True' }
    catch { 'import_id=' + `$_.FullyQualifiedErrorId; 'import_message=' + `$_.Exception.Message }
}
'fallback=' + (Test-Path (Join-Path (Get-Module AutoencoderPS).ModuleBase 'cpu'))
"@
            }
        }
        AfterAll {
            if (Test-Path $script:HomeDir) { Remove-Item $script:HomeDir -Recurse -Force }
        }

        It 'imports and creates a model without any runtime installed' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Values.imported | Should -Be 'True'
            $script:Run.Values.created | Should -Be 'True'
        }

        It 'stops training with one TorchRuntimeUnavailable error that says what to install' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Values.trained | Should -BeNullOrEmpty
            $script:Run.Values.id | Should -BeLike 'TorchRuntimeUnavailable,*'
            $script:Run.Values.category | Should -Be 'ResourceUnavailable'
            $script:Run.Values.errors | Should -Be 1
            $script:Run.Values.message | Should -BeLike '*AutoencoderPS.Runtime.*'
            $script:Run.Values.message | Should -BeLike "*Install-PSResource $script:RuntimeName -Version $script:Version*"
            $script:Run.Output | Should -Not -Match 'LoadNativeBackend'
            $script:Run.Values.fallback | Should -Be 'False'
        }

        It 'says the same when Import-Autoencoder is the first libtorch use' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            if (-not (Test-Path $script:ModelFile)) { Set-ItResult -Skipped -Because 'the Install-PSResource context wrote no model file'; return }
            $script:Run.Values.import_id | Should -BeLike 'TorchRuntimeUnavailable,*'
            $script:Run.Values.import_message | Should -BeLike "*Install-PSResource $script:RuntimeName -Version $script:Version*"
        }
    }

    Context 'Install-Module (PowerShellGet 2) from the same repository' {
        BeforeAll {
            $script:HomeDir = Join-Path $script:Root 'home-powershellget'
            if (-not $script:SkipBecause) {
                $script:Run = Invoke-FreshPwsh $script:HomeDir @"
`$ErrorActionPreference = 'Stop'
Import-Module PowerShellGet -MaximumVersion 2.99 -ErrorAction Stop
Register-PSRepository -Name AutoencoderPSInstallTest -SourceLocation '$script:Packages' -InstallationPolicy Trusted
try {
    Install-Module -Name AutoencoderPS -RequiredVersion '$script:Version' -Repository AutoencoderPSInstallTest -Scope CurrentUser
    Install-Module -Name $script:RuntimeName -RequiredVersion '$script:Version' -Repository AutoencoderPSInstallTest -Scope CurrentUser
}
finally {
    Unregister-PSRepository -Name AutoencoderPSInstallTest
}
'remaining=' + @(Get-PSRepository | Where-Object Name -eq AutoencoderPSInstallTest).Count
$script:TrainAndScore
"@
            }
        }
        AfterAll {
            if (Test-Path $script:HomeDir) { Remove-Item $script:HomeDir -Recurse -Force }
        }

        It 'installs both, imports by name, trains and scores' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Output | Should -Not -Match 'Exception|Error'
            $script:Run.ExitCode | Should -Be 0
            $script:Run.Values.module | Should -BeLike "$script:HomeDir*AutoencoderPS*"
            $script:Run.Values.scored | Should -Be 1440
            $script:Run.Values.finite | Should -Be 1440
            $script:Run.Values.natives | Should -BeLike "$script:HomeDir*$script:RuntimeName*"
            $script:Run.Values.fallback | Should -Be 'False'
        }

        It 'leaves no repository registered' {
            if ($script:SkipBecause) { Set-ItResult -Skipped -Because $script:SkipBecause; return }
            $script:Run.Values.remaining | Should -Be 0
        }
    }
}
