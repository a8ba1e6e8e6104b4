# The staged module must load libtorch from its own folder, and say clearly when it can't.
BeforeAll {
    if (-not $env:AUTOENCODERPS_MODULE) { throw 'Set AUTOENCODERPS_MODULE to the staged AutoencoderPS.psd1 (build.ps1 -Task Test does).' }
    $script:StagedModule = Split-Path $env:AUTOENCODERPS_MODULE -Parent
    $script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

    # Runs a script in a fresh pwsh (a loaded binary module can't be unloaded) and returns its output lines.
    function Invoke-ChildPwsh([string] $Script) {
        $output = & $script:Pwsh -NoProfile -NonInteractive -Command $Script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }
}

Describe 'Native runtime loading' {
    It 'loads libtorch from the module folder and trains in a fresh process' {
        $result = Invoke-ChildPwsh @"
Import-Module '$env:AUTOENCODERPS_MODULE'
`$m = New-Autoencoder -HiddenLayer 4,2 -Seed 3
1..50 | ForEach-Object { [pscustomobject]@{ a = [math]::Sin(`$_); b = [math]::Cos(`$_) } } | Invoke-AutoencoderTraining -Model `$m -Epochs 2 -ThreadCount 1 | Out-Null
'trained=' + `$m.IsTrained
"@
        $result.Output | Should -Match 'trained=True'
        $result.ExitCode | Should -Be 0
    }

    It 'never falls back to copying natives into the module folder' {
        Join-Path $script:StagedModule 'cpu' | Should -Not -Exist
    }

    It 'reports one TorchRuntimeUnavailable error naming the missing library when libtorch is absent' {
        # A copy of the module without libtorch_cpu: symbolic links keep the 450 MB of natives out of TestDrive.
        $broken = Join-Path $TestDrive 'AutoencoderPS'
        New-Item -ItemType Directory -Path $broken | Out-Null
        foreach ($file in Get-ChildItem $script:StagedModule -File) {
            if ($file.Name -like '*torch_cpu*') { continue }
            New-Item -ItemType SymbolicLink -Path (Join-Path $broken $file.Name) -Target $file.FullName | Out-Null
        }
        $result = Invoke-ChildPwsh @"
Import-Module '$broken/AutoencoderPS.psd1'
`$m = New-Autoencoder -Seed 1
try { 1..5 | ForEach-Object { [pscustomobject]@{ a = `$_ } } | Invoke-AutoencoderTraining -Model `$m -Epochs 1 }
catch { 'id=' + `$_.FullyQualifiedErrorId; 'category=' + `$_.CategoryInfo.Category; 'message=' + `$_.Exception.Message }
"@
        $result.Output | Should -Match 'id=TorchRuntimeUnavailable'
        $result.Output | Should -Match 'category=ResourceUnavailable'
        $result.Output | Should -Match 'libtorch_cpu'
        $result.Output | Should -Not -Match 'Trace from LoadNativeBackend'
        Join-Path $broken 'cpu' | Should -Not -Exist
    }
}
