# A fleet over PowerShell remoting, end to end, against a real SSH server on loopback.
#
# BeforeAll starts Debian's sshd (openssh-server; .ci/run installs it) on a free 127.0.0.1 port with its own config
# in a temp folder: a host key made with ssh-keygen, key-only authentication, and pwsh as its powershell subsystem.
# Local users created for the test (useradd) stand in for hosts, each with its own home, authorized_keys and export.
# The pwsh here is a dotnet local tool under root's home, which other users can't read, so the subsystem runs a
# wrapper that starts a hard-linked copy of the .NET host and of $PSHOME in the temp folder, with PSModulePath set to
# a hard-linked copy of the staged module. That module folder is readable by one group only: a user outside it is a
# host where the module is missing.
#
# AfterAll closes the sessions, stops sshd, removes the users and the temp folder, even when a test fails; the build runs
# this file in a pwsh of its own and removes what a crashed run left (owner.pid names the run's process).
# Needs root (useradd, sshd); where sshd, useradd or root are missing, or sshd does not start, the tests skip and say
# why. $env:AUTOENCODERPS_FLEET_HOSTS sets how many hosts score (default 10).

BeforeDiscovery {
    $sshd = if (-not $IsWindows) { @('/usr/sbin/sshd', '/usr/bin/sshd') | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1 }
    $fleetSkip = if ($IsWindows) { 'Windows: the test drives sshd and useradd' }
    elseif (-not $sshd) { 'sshd is not installed; install openssh-server, e.g. apt-get install openssh-server' }
    elseif (-not (Get-Command ssh-keygen, useradd, userdel, groupadd -CommandType Application -ErrorAction SilentlyContinue | Measure-Object).Count -eq 4) { 'ssh-keygen, useradd, userdel or groupadd is missing' }
    elseif ((& id -u) -ne '0') { 'not root: creating users and starting sshd for them needs root' }
    $skipNote = if ($fleetSkip) { " (skipped: $fleetSkip)" } else { '' }
}

Describe "A fleet of hosts over SSH remoting$skipNote" -Skip:([bool]$fleetSkip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $script:clock = [System.Diagnostics.Stopwatch]::StartNew()
        $script:unavailable = $null
        $script:users = [System.Collections.Generic.List[string]]::new()
        $script:sessions = @()
        $script:sshdProcess = $null
        $hostCount = if ($env:AUTOENCODERPS_FLEET_HOSTS) { [int]$env:AUTOENCODERPS_FLEET_HOSTS } else { 10 }
        $tag = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $script:group = "aeps$tag"
        $script:root = Join-Path '/tmp' "aeps-fleet-$tag"

        # Runs a program; throws with its output when it fails.
        function Invoke-Native {
            param([string] $Program, [string[]] $Arguments)
            $output = & $Program @Arguments 2>&1
            if ($LASTEXITCODE -ne 0) { throw "$Program $($Arguments -join ' ') failed ($LASTEXITCODE): $($output -join "`n")" }
            $output
        }

        # A copy of a folder made of hard links (no space, no time), or a plain copy across file systems.
        function Copy-Linked {
            param([string] $Source, [string] $Destination)
            & cp -al $Source $Destination 2>$null
            if ($LASTEXITCODE -ne 0) { Invoke-Native cp @('-a', $Source, $Destination) | Out-Null }
        }

        try {
            $null = New-Item -ItemType Directory -Path $root
            Invoke-Native chmod @('755', $root) | Out-Null
            # Whose run this is: the build removes the leftovers of a run whose process crashed (Remove-FleetLeftover).
            Set-Content -LiteralPath "$root/owner.pid" -Value $PID

            # The .NET host and pwsh, where every user can read them.
            # The runtime this process runs on (<root>/shared/Microsoft.NETCore.App/<version>/), whether it was started
            # as "dotnet pwsh" or through pwsh's apphost; the remote pwsh runs on a copy of that root through its host.
            $runtimeDirectory = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
            $dotnetRoot = Split-Path -Parent (Split-Path -Parent (Split-Path -Parent $runtimeDirectory.TrimEnd('/')))
            if (-not (Test-Path -LiteralPath (Join-Path $dotnetRoot 'dotnet'))) { throw "no dotnet host beside the runtime in '$runtimeDirectory'" }
            $privateDotnet = Join-Path $root 'dotnet'
            $null = New-Item -ItemType Directory -Path $privateDotnet
            foreach ($part in 'dotnet', 'host', 'shared') { Copy-Linked (Join-Path $dotnetRoot $part) (Join-Path $privateDotnet $part) }
            Copy-Linked $PSHOME (Join-Path $root 'pwsh')
            $modules = Join-Path $root 'modules'
            $null = New-Item -ItemType Directory -Path $modules
            Copy-Linked (Split-Path -Parent (Resolve-Path -LiteralPath $env:AUTOENCODERPS_MODULE).ProviderPath) (Join-Path $modules 'AutoencoderPS')
            Invoke-Native groupadd @($group) | Out-Null
            Invoke-Native chgrp @($group, $modules) | Out-Null
            Invoke-Native chmod @('750', $modules) | Out-Null

            $launch = "export DOTNET_ROOT='$privateDotnet'`nexec '$privateDotnet/dotnet' '$root/pwsh/pwsh.dll'"
            $wrapper = Join-Path $root 'pwsh-subsystem.sh'
            Set-Content -LiteralPath $wrapper -Value ("#!/bin/sh`nexport PSModulePath='$modules' DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1`n" +
                "$launch -sshs -NoLogo -NoProfile`n") -NoNewline
            Invoke-Native chmod @('755', $wrapper) | Out-Null

            # Keys: the server's host key, and the one client key every user accepts.
            Invoke-Native ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', "$root/host_key") | Out-Null
            Invoke-Native ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', "$root/client_key") | Out-Null
            $script:clientKey = "$root/client_key"
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $script:port = $listener.LocalEndpoint.Port; $listener.Stop()
            $script:knownHosts = "$root/known_hosts"
            Set-Content -LiteralPath $knownHosts -Value ("[127.0.0.1]:$port " + (Get-Content -LiteralPath "$root/host_key.pub" -Raw).Trim())
            $sshOptions = @{ UserKnownHostsFile = $knownHosts; GlobalKnownHostsFile = '/dev/null'; StrictHostKeyChecking = 'yes'; IdentitiesOnly = 'yes'; BatchMode = 'yes' }
            $script:sshOptions = $sshOptions

            Set-Content -LiteralPath "$root/sshd_config" -Value @"
Port $port
ListenAddress 127.0.0.1
HostKey $root/host_key
PidFile $root/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowGroups $group ${group}x
MaxStartups 50:30:100
MaxSessions 50
Subsystem powershell $wrapper
LogLevel VERBOSE
"@

            # The hosts: users with a home, a key and an export each. The last one is outside the module's group.
            Invoke-Native groupadd @("${group}x") | Out-Null
            $null = New-Item -ItemType Directory -Path "$root/home"
            Invoke-Native chmod @('755', "$root/home") | Out-Null
            $publicKey = Get-Content -LiteralPath "$root/client_key.pub" -Raw
            $script:hosts = foreach ($i in 0..$hostCount) {
                $name = "aeps$tag$i"
                $hasModule = $i -lt $hostCount
                $userHome = "$root/home/$name"
                $groups = if ($hasModule) { $group } else { "${group}x" }
                Invoke-Native useradd @('-m', '-d', $userHome, '-s', '/bin/sh', '-p', 'x', '-G', $groups, $name) | Out-Null
                $users.Add($name)
                $null = New-Item -ItemType Directory -Path "$userHome/.ssh", "$userHome/exports"
                Set-Content -LiteralPath "$userHome/.ssh/authorized_keys" -Value $publicKey -NoNewline
                # A day of metrics per host, each from its own seed, the last hours with incidents.
                $export = "$userHome/exports/metrics.csv"
                Get-AutoencoderSampleData -Days 1 -Seed (100 + $i) | Export-Csv -LiteralPath $export -UseQuotes AsNeeded
                Invoke-Native chown @('-R', "${name}:$name", $userHome) | Out-Null
                Invoke-Native chmod @('700', "$userHome/.ssh") | Out-Null
                Invoke-Native chmod @('600', "$userHome/.ssh/authorized_keys") | Out-Null
                [pscustomobject]@{ User = $name; Home = $userHome; Export = $export; HasModule = $hasModule }
            }

            if (-not (Test-Path -LiteralPath '/run/sshd')) { $null = New-Item -ItemType Directory -Path '/run/sshd'; $script:createdRunSshd = $true }
            $sshdPath = @('/usr/sbin/sshd', '/usr/bin/sshd') | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
            $start = [System.Diagnostics.ProcessStartInfo]::new($sshdPath)
            foreach ($a in '-D', '-f', "$root/sshd_config", '-E', "$root/sshd.log") { $start.ArgumentList.Add($a) }
            $start.UseShellExecute = $false
            $script:sshdProcess = [System.Diagnostics.Process]::Start($start)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            $listening = $false
            while (-not $listening -and [DateTime]::UtcNow -lt $deadline -and -not $sshdProcess.HasExited) {
                $probe = [System.Net.Sockets.TcpClient]::new()
                try { $probe.Connect('127.0.0.1', $port); $listening = $true } catch { Start-Sleep -Milliseconds 200 } finally { $probe.Dispose() }
            }
            if (-not $listening) {
                $log = if (Test-Path "$root/sshd.log") { Get-Content -LiteralPath "$root/sshd.log" -Raw } else { '' }
                throw "sshd did not start listening on 127.0.0.1:$port. $log"
            }

            # A model trained here, and its file: what a fleet receives.
            $script:model = New-Autoencoder -HiddenLayer 8, 3 -Seed 7
            Get-AutoencoderSampleData -Days 1 -Seed 1 | Invoke-AutoencoderTraining -Model $model -Epochs 3 -ThreadCount 1 | Out-Null
            $script:modelPath = "$root/fleet.aemodel"
            Export-Autoencoder -Model $model -Path $modelPath

            $script:setupSeconds = $clock.Elapsed.TotalSeconds
            $script:sessions = @(foreach ($h in $hosts) {
                    New-PSSession -HostName 127.0.0.1 -Port $port -UserName $h.User -KeyFilePath $clientKey -Options $sshOptions -ErrorAction Stop
                })
            $script:sessionSeconds = $clock.Elapsed.TotalSeconds - $setupSeconds
        }
        catch {
            $script:unavailable = "the SSH fleet could not be set up here: $($_.Exception.Message)"
        }
    }

    AfterAll {
        if ($sessions) { $sessions | Remove-PSSession -ErrorAction SilentlyContinue }
        if ($sshdProcess -and -not $sshdProcess.HasExited) { $sshdProcess.Kill($true); $sshdProcess.WaitForExit() }
        foreach ($user in $users) {
            # Any process the user still runs (a session's pwsh that has not ended yet), by its id.
            foreach ($processId in @(& pgrep -u $user 2>$null)) { & kill -9 $processId 2>$null }
            & userdel -r $user 2>$null | Out-Null
            if ($LASTEXITCODE -ne 0) { Start-Sleep -Seconds 1; & userdel -f -r $user 2>$null | Out-Null }
        }
        foreach ($g in $group, "${group}x") { & groupdel $g 2>$null | Out-Null }
        if ($script:createdRunSshd) { Remove-Item -LiteralPath '/run/sshd' -Recurse -Force -ErrorAction SilentlyContinue }
        if ($root -and (Test-Path -LiteralPath $root)) { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }
        if ($clock) { Write-Host "Fleet test: $(@($hosts).Count) host(s), set-up $([math]::Round($setupSeconds, 1)) s, sessions $([math]::Round($sessionSeconds, 1)) s, total $([math]::Round($clock.Elapsed.TotalSeconds, 1)) s" }
    }

    BeforeEach {
        if ($unavailable) { Set-ItResult -Skipped -Because $unavailable }
    }

    It 'opens an SSH session to every host, as its own user' {
        if ($unavailable) { return }
        @($sessions | Where-Object { $_.State -eq 'Opened' }) | Should -HaveCount $hosts.Count
        $whoami = @(Invoke-Command -Session $sessions -ScriptBlock { [Environment]::UserName } -ThrottleLimit 16)
        ($whoami | Sort-Object) | Should -Be ($hosts.User | Sort-Object)
    }

    It 'ships the model to every host that has the module, and names the one that does not' {
        if ($unavailable) { return }
        $sent = @(Send-Autoencoder -Session $sessions -Path $modelPath -ThrottleLimit 16 -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue)
        $good = @($hosts | Where-Object HasModule)
        $bad = @($hosts | Where-Object { -not $_.HasModule })
        ($sent.UserName | Sort-Object) | Should -Be ($good.User | Sort-Object)
        $expectedHash = (Get-FileHash -LiteralPath $modelPath -Algorithm SHA256).Hash
        foreach ($delivery in $sent) {
            $delivery.PSComputerName | Should -Be '127.0.0.1'
            $delivery.Sha256 | Should -Be $expectedHash
            $delivery.Copied | Should -BeTrue
            $delivery.Destination | Should -Be "$root/home/$($delivery.UserName)/.local/share/AutoencoderPS/models/fleet.aemodel"
            # The file there is the same, byte for byte.
            (Get-FileHash -LiteralPath $delivery.Destination -Algorithm SHA256).Hash | Should -Be $expectedHash
        }
        $failed | Should -HaveCount $bad.Count
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RemoteModuleMissing,*'
        $failed[0].CategoryInfo.Category | Should -Be 'NotInstalled'
        $failed[0].TargetObject | Should -BeOfType [System.Management.Automation.Runspaces.PSSession]
        $failed[0].TargetObject.Runspace.ConnectionInfo.UserName | Should -Be $bad[0].User
        $failed[0].Exception.ComputerName | Should -Be '127.0.0.1'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape("$($bad[0].User)@127.0.0.1"))
        # A second send finds the same file there, and only imports it.
        $again = @(Send-Autoencoder -Session ($sessions | Select-Object -First 1) -Path $modelPath -PassThru)
        $again[0].Copied | Should -BeFalse
    }

    It 'scores each export in place and brings back the same scores as a local run, tagged with PSComputerName' {
        if ($unavailable) { return }
        $goodSessions = @($sessions | Where-Object { $_.Runspace.ConnectionInfo.UserName -in @($hosts | Where-Object HasModule).User })
        # The model is there once shipped (the test above); shipped again it is only imported, so this test also runs alone (-Filter).
        Send-Autoencoder -Session $goodSessions -Path $modelPath -ThrottleLimit 16
        $remote = @(Invoke-Command -Session $goodSessions -ThrottleLimit 16 -ScriptBlock {
                Test-Anomaly -Model $AutoencoderModel -Path ~/exports/metrics.csv -ThreadCount 1 |
                    Select-Object @{ Name = 'User'; Expression = { [Environment]::UserName } }, Timestamp, AnomalyScore, IsAnomaly
            })
        $remote | Should -Not -BeNullOrEmpty
        @($remote | Where-Object PSComputerName -NE '127.0.0.1') | Should -HaveCount 0
        foreach ($h in @($hosts | Where-Object HasModule)) {
            $mine = @($remote | Where-Object User -EQ $h.User)
            $local = @(Test-Anomaly -Model $model -Path $h.Export -ThreadCount 1)
            $mine | Should -HaveCount $local.Count
            $local.Count | Should -Be 1440
            Get-ScoreMismatch -Expected $local.AnomalyScore -Actual $mine.AnomalyScore | Should -BeNullOrEmpty -Because "$($h.User) scored its export"
            @($mine | Where-Object IsAnomaly).Count | Should -Be @($local | Where-Object IsAnomaly).Count
        }
    }

    It 'reports a broken session as SessionUnavailable naming its host, and the others go on' {
        if ($unavailable) { return }
        $good = @($sessions | Where-Object { $_.Runspace.ConnectionInfo.UserName -in @($hosts | Where-Object HasModule).User })
        $victim = $good[-1]
        $victimPid = Invoke-Command -Session $victim -ScriptBlock { $PID }
        & kill -9 $victimPid
        # Wait until PowerShell has seen the connection end (its reader marks the session Broken): writing to the dead
        # pipe before that has crashed PowerShell's SSH client transport (an unhandled broken pipe, exit code 134).
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ($victim.State -eq 'Opened' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $sent = @(Send-Autoencoder -Session $good -Path $modelPath -Destination 'models/' -ThrottleLimit 16 -PassThru -ErrorVariable failed -ErrorAction SilentlyContinue)
        $sent | Should -HaveCount ($good.Count - 1)
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SessionUnavailable,*'
        $failed[0].TargetObject | Should -Be $victim
        $failed[0].Exception.Message | Should -Match ([regex]::Escape("$($victim.Runspace.ConnectionInfo.UserName)@127.0.0.1"))
        foreach ($delivery in $sent) { $delivery.Destination | Should -Be "$root/home/$($delivery.UserName)/models/fleet.aemodel" }
    }

    It 'refuses a damaged model file before it sends anything' {
        if ($unavailable) { return }
        $damaged = "$root/damaged.aemodel"
        $bytes = [System.IO.File]::ReadAllBytes($modelPath)
        $bytes[100] = $bytes[100] -bxor 0xFF
        [System.IO.File]::WriteAllBytes($damaged, $bytes)
        $alive = @($sessions | Where-Object State -EQ 'Opened')
        { Send-Autoencoder -Session $alive -Path $damaged -ErrorAction Stop } | Should -Throw -ErrorId 'ModelFileChecksumMismatch,*'
        foreach ($h in $hosts) { Test-Path -LiteralPath "$($h.Home)/.local/share/AutoencoderPS/models/damaged.aemodel" | Should -BeFalse }
    }

    It 'refuses a model passed to a session as an object, and says to ship the file' {
        if ($unavailable) { return }
        $first = @($sessions | Where-Object { $_.State -eq 'Opened' -and $_.Runspace.ConnectionInfo.UserName -in @($hosts | Where-Object HasModule).User })[0]
        $problem = Invoke-Command -Session $first -ArgumentList $model -ScriptBlock {
            param($Model)
            try { Get-AutoencoderSampleData -Days 1 | Select-Object -First 5 | Test-Anomaly -Model $Model -ThreadCount 1 | Out-Null; 'scored' }
            catch { $_.Exception.Message }
        }
        $problem | Should -Match 'Deserialized\.AutoencoderPS\.Engine\.Modeling\.AutoencoderModel'
        $problem | Should -Match 'Send-Autoencoder'
    }
}

# A model that crossed a process boundary, made here without remoting: every -Model parameter refuses it and says
# to ship the file. Without the refusal, PowerShell's own error says only that it can't convert the type.
Describe 'A deserialized model' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $script:live = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        Get-AutoencoderSampleData -Days 1 | Invoke-AutoencoderTraining -Model $live -Epochs 1 -ThreadCount 1 | Out-Null
        $script:deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
    }

    It 'is what remoting delivers: a property bag typed Deserialized.AutoencoderPS...' {
        $deserialized.PSObject.TypeNames[0] | Should -Be 'Deserialized.AutoencoderPS.Engine.Modeling.AutoencoderModel'
        $deserialized.PSObject.BaseObject | Should -Not -BeOfType ([AutoencoderPS.Engine.Modeling.AutoencoderModel])
    }

    It 'is refused by <Name> -Model, with an error that says to ship the file' -ForEach @(
        @{ Name = 'Test-Anomaly' }
        @{ Name = 'Invoke-AutoencoderTraining' }
        @{ Name = 'Set-AutoencoderThreshold' }
        @{ Name = 'Export-Autoencoder' }
        @{ Name = 'Get-AutoencoderFeature' }
        @{ Name = 'Export-AnomalyReport' }
        @{ Name = 'ConvertTo-LogWindow' }
    ) {
        $caught = $null
        try { & $Name -Model $deserialized -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $caught.Exception.Message | Should -Match 'Deserialized\.AutoencoderPS\.Engine\.Modeling\.AutoencoderModel'
        $caught.Exception.Message | Should -Match 'Send-Autoencoder'
        $caught.Exception.Message | Should -Match 'Export-Autoencoder'
    }

    It 'is refused from the pipeline too (Export-Autoencoder takes -Model from it)' {
        $path = Join-Path $TestDrive 'never.aemodel'
        $deserialized | Export-Autoencoder -Path $path -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -Not -BeNullOrEmpty
        ($problems | Out-String) | Should -Match 'Send-Autoencoder'
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'leaves a live model alone' {
        $path = Join-Path $TestDrive 'live.aemodel'
        Export-Autoencoder -Model $live -Path $path
        Test-Path -LiteralPath $path | Should -BeTrue
    }
}

Describe 'Send-Autoencoder before it reaches a session' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        Get-AutoencoderSampleData -Days 1 | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 | Out-Null
        $script:modelPath = Join-Path $TestDrive 'm.aemodel'
        Export-Autoencoder -Model $model -Path $modelPath
        # A closed session: the command checks the file before it looks at any session.
        $script:closed = [System.Management.Automation.Runspaces.PSSession]::Create(
            [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.NamedPipeConnectionInfo]::new($PID)), 'NamedPipe', $null)
    }

    It 'stops with <ErrorId> for <Case>, naming the file' -ForEach @(
        @{ Case = 'a damaged file'; ErrorId = 'ModelFileChecksumMismatch'; Damage = { param($b) $b[60] = $b[60] -bxor 1; $b } }
        @{ Case = 'a file cut short'; ErrorId = 'ModelFileTruncated'; Damage = { param($b) , $b[0..40] } }
        @{ Case = 'a file of another kind'; ErrorId = 'ModelFileForeign'; Damage = { param($b) , [byte[]][System.Text.Encoding]::UTF8.GetBytes('time,cpu') } }
    ) {
        $bad = Join-Path $TestDrive "bad-$ErrorId.aemodel"
        [System.IO.File]::WriteAllBytes($bad, [byte[]](& $Damage ([System.IO.File]::ReadAllBytes($modelPath))))
        $caught = $null
        try { Send-Autoencoder -Session $closed -Path $bad -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,AutoencoderPS.Commands.SendAutoencoderCommand"
        $caught.TargetObject | Should -Be $bad
    }

    It 'stops with ModelFileNotFound for a path that names nothing' {
        { Send-Autoencoder -Session $closed -Path (Join-Path $TestDrive 'none*.aemodel') -ErrorAction Stop } | Should -Throw -ErrorId 'ModelFileNotFound,*'
    }

    It 'says a missing file once' {
        # It was said twice: "does not exist", then "No model file to send".
        $missing = Join-Path $TestDrive 'nope.aemodel'
        # -ErrorVariable holds the terminating error too.
        try { Send-Autoencoder -Session $closed -Path $missing -ErrorVariable failed -ErrorAction SilentlyContinue } catch { }
        $records = @($failed | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $_.ErrorRecord } })
        $records | Should -HaveCount 1
        $records[0].FullyQualifiedErrorId | Should -Be 'ModelFileNotFound,AutoencoderPS.Commands.SendAutoencoderCommand'
        $records[0].Exception.Message | Should -BeLike "*nope.aemodel*does not exist*"
    }

    It 'reports a session that is not open as SessionUnavailable, with the session as target' {
        Send-Autoencoder -Session $closed -Path $modelPath -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'SessionUnavailable,AutoencoderPS.Commands.SendAutoencoderCommand'
        $failed[0].TargetObject | Should -Be $closed
        $failed[0].Exception.Message | Should -Match 'session'
    }
}
