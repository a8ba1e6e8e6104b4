# Register-, Get- and Unregister-AnomalyScoringTask through the real crontab program (Linux, macOS).
#
# These tests change the crontab of the user who runs them, and put it back: BeforeAll saves the crontab (or notes
# that there is none) and AfterAll restores exactly that, even when a test fails, so no task is left registered.
# Between the two, the crontab holds a fixture of foreign lines that every test checks byte for byte.
# Where the crontab program is missing (or on Windows), the tests are skipped, saying so; .ci/run installs Debian's
# cron package. The Windows Task Scheduler definition is checked by the xunit tests (ScheduledTaskDefinitionTests, and
# ScheduledTaskXmlTests against the Task Scheduler schema's rules).
#
# Nothing here waits for cron: the end-to-end test runs the registered line's command the way cron would, with the
# %-handling of cron and /bin/sh, against stand-ins in TestDrive (a "pwsh" that records its arguments, and a job
# script that records what PowerShell bound), never the real job.

BeforeDiscovery {
    $crontabProgram = if (-not $IsWindows) { Get-Command crontab -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 }
    $cronPresent = [bool]$crontabProgram
    $skipNote = if ($cronPresent) { '' } elseif ($IsWindows) { ' (skipped: Windows has no crontab; see ScheduledTaskDefinitionTests)' }
    else { ' (skipped: the crontab program is not installed; install cron, e.g. apt-get install cron)' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:crontabPath = if (-not $IsWindows) { (Get-Command crontab -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
    $script:moduleBase = (Get-Module AutoencoderPS).ModuleBase
    $script:jobScript = Join-Path $moduleBase 'Invoke-ScheduledScoring.ps1'
    $script:marker = ' (managed by Register-AnomalyScoringTask; do not edit)'
    $script:latin1 = [System.Text.Encoding]::Latin1
    $script:utf8 = [System.Text.UTF8Encoding]::new($false)

    # Runs the crontab program with the given argument and standard input; returns exit code, stdout bytes and stderr.
    function Invoke-Crontab {
        param([string] $Argument, [byte[]] $InputBytes)
        $start = [System.Diagnostics.ProcessStartInfo]::new($crontabPath)
        $start.ArgumentList.Add($Argument)
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        $output = [System.IO.MemoryStream]::new()
        $copy = $process.StandardOutput.BaseStream.CopyToAsync($output)
        $errorText = $process.StandardError.ReadToEndAsync()
        if ($InputBytes) { $process.StandardInput.BaseStream.Write($InputBytes, 0, $InputBytes.Length) }
        $process.StandardInput.Close()
        $process.WaitForExit()
        $copy.Wait()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Bytes = $output.ToArray(); Error = $errorText.Result }
    }

    # The crontab's bytes, and whether the user has one at all.
    function Get-CrontabState {
        $r = Invoke-Crontab -Argument '-l'
        if ($r.ExitCode -eq 0) { return [pscustomobject]@{ Exists = $true; Bytes = $r.Bytes } }
        if ($r.Error -match 'no crontab for') { return [pscustomobject]@{ Exists = $false; Bytes = [byte[]]@() } }
        throw "crontab -l failed ($($r.ExitCode)): $($r.Error)"
    }

    function Set-CrontabBytes {
        param([byte[]] $Bytes)
        $r = Invoke-Crontab -Argument '-' -InputBytes $Bytes
        if ($r.ExitCode -ne 0) { throw "crontab - failed ($($r.ExitCode)): $($r.Error)" }
    }

    # The crontab as text with one character per byte, so any difference in any byte shows.
    function Get-CrontabText { $latin1.GetString((Get-CrontabState).Bytes) }

    # The test's own sh quoting (independent of the module's): bare when only safe characters, else single quotes.
    function ConvertTo-ShWord {
        param([string] $Value)
        if ($Value -cmatch '^[A-Za-z0-9_@%+=:,./-]+$') { return $Value }
        "'" + $Value.Replace("'", "'\''") + "'"
    }

    # The schedule line the module should write for this command line and log: sh words, % escaped for cron.
    function Get-ExpectedLine {
        param([string] $Schedule, [string[]] $CommandLine, [string] $Log)
        $command = (($CommandLine | ForEach-Object { ConvertTo-ShWord $_ }) -join ' ') + ' >> ' + (ConvertTo-ShWord $Log) + ' 2>&1'
        "$Schedule " + $command.Replace('%', '\%')
    }

    # What cron hands to /bin/sh for a schedule line: the five time fields dropped, \% turned into %, and the
    # command cut at the first bare % (vixie cron / cronie). Written here again so the test does not trust the module.
    function Get-CronCommand {
        param([string] $Line)
        $rest = ($Line -replace '^\s*(\S+\s+){5}', '')
        $sb = [System.Text.StringBuilder]::new()
        $escaped = $false
        foreach ($c in $rest.ToCharArray()) {
            if ($escaped) {
                if ($c -eq '%') { $sb.Length--; [void]$sb.Append('%') } else { [void]$sb.Append($c) }
                $escaped = $false
                continue
            }
            if ($c -eq '%') { break }
            if ($c -eq '\') { $escaped = $true }
            [void]$sb.Append($c)
        }
        $sb.ToString()
    }

    # How the module starts pwsh from this process when -PwshPath is not given.
    $processPath = [Environment]::ProcessPath
    $script:expectedLauncher = switch ([System.IO.Path]::GetFileNameWithoutExtension($processPath)) {
        'pwsh' { , @($processPath) }
        'dotnet' { , @($processPath, (Join-Path $PSHOME 'pwsh.dll')) }
        default { , @((Join-Path $PSHOME 'pwsh')) }
    }

    # Foreign lines a user may have: comments, variables, blank lines, jobs with \% and tabs, a comment that looks
    # almost like a marker, a byte that is not UTF-8 (Latin-1 é) and the final newline.
    $script:foreignBytes = $latin1.GetBytes(
        "# m h  dom mon dow   command`n" +
        "MAILTO=`"`"`n" +
        "PATH=/usr/local/bin:/usr/bin:/bin`n" +
        "`n" +
        "# nightly backup, caf$([char]0xE9)`n" +
        "30 2 * * *`t/bin/true backup --stamp `"`$(date +\%Y\%m\%d)`"`n" +
        "# AutoencoderPS task: almost (written by hand, not a marker)`n" +
        "`n" +
        "@reboot /bin/true`n")

    if ($crontabPath) {
        $script:backup = Get-CrontabState
    }

    # Files of the tasks, under a folder whose name needs every kind of quoting.
    $script:dataDir = Join-Path $TestDrive "data it's `"quoted`" 50% `$HOME;&"
    New-Item -ItemType Directory -Path $dataDir | Out-Null
    $script:modelPath = Join-Path $dataDir 'web model.aemodel'
    Set-Content -LiteralPath $modelPath -Value 'stand-in model file'
    # An export for '<dataDir>/*.csv' to match: a -Path that matches no file is registered with a warning of its own.
    Set-Content -LiteralPath (Join-Path $dataDir 'web export.csv') -Value 'Host,cpu'
}

AfterAll {
    if ($crontabPath -and $backup) {
        if ($backup.Exists) { Set-CrontabBytes $backup.Bytes }
        else { $null = Invoke-Crontab -Argument '-r' }
    }
}

Describe "Scoring tasks in the user's crontab$skipNote" -Skip:(-not $cronPresent) {
    BeforeAll {
        Set-CrontabBytes $foreignBytes
        $script:foreignText = $latin1.GetString($foreignBytes)
        $script:stateA = Join-Path $dataDir 'web.state.json'
        $script:outA = Join-Path $dataDir 'scored rows.csv'
    }

    It 'starts from the fixture: crontab -l gives back exactly the foreign lines' {
        Get-CrontabText | Should -BeExactly $foreignText
        @(Get-AnomalyScoringTask) | Should -HaveCount 0
    }

    It '-WhatIf registers nothing' {
        $out = @(Register-AnomalyScoringTask -Name aeps-test-a -ModelPath $modelPath -Path (Join-Path $dataDir '*.csv') -OutputPath $outA -WhatIf -PassThru)
        $out | Should -HaveCount 0
        Get-CrontabText | Should -BeExactly $foreignText
    }

    It 'warns that a row model''s job exits 1 on most quiet runs, and not for a time-series model' {
        # A row model flags about 1 in 100 normal rows: a task that pages on exit code 1 paged on most quiet runs.
        $rowModel = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        New-MetricRow -Count 120 -AsText | Invoke-AutoencoderTraining -Model $rowModel -Epochs 1 -ThreadCount 1 | Out-Null
        $rowPath = Join-Path $TestDrive 'row.aemodel'
        Export-Autoencoder -Model $rowModel -Path $rowPath
        $null = Register-AnomalyScoringTask -Name aeps-test-row -ModelPath $rowPath -Path (Join-Path $dataDir '*.csv') -OutputPath $outA -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -BeLike '*is a row model*exits with code 1*-WindowSize*'
        # The stand-in file is not a model: left to the job to report, no warning here.
        $null = Register-AnomalyScoringTask -Name aeps-test-a -ModelPath $modelPath -Path (Join-Path $dataDir '*.csv') -OutputPath $outA -WhatIf -WarningVariable none -WarningAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        Get-CrontabText | Should -BeExactly $foreignText
    }

    It '-WhatIf shows the exact lines it would add' {
        # In a child pwsh, whose host writes the What if: lines to its standard output.
        $pwsh = Join-Path $PSHOME 'pwsh'
        $script = Join-Path $TestDrive 'whatif.ps1'
        Set-Content -LiteralPath $script -Encoding utf8NoBOM -Value (
            'param($Module, $Model, $Path, $Output) Import-Module $Module; ' +
            'Register-AnomalyScoringTask -Name aeps-test-a -ModelPath $Model -Path $Path -OutputPath $Output -WhatIf')
        $shown = & $pwsh -NoProfile -NonInteractive -File $script -Module $env:AUTOENCODERPS_MODULE -Model $modelPath -Path (Join-Path $dataDir '*.csv') -Output $outA 2>&1 | Out-String
        $line = Get-ExpectedLine '*/15 * * * *' (@(Join-Path $PSHOME 'pwsh') + @('-NoProfile', '-NonInteractive', '-File', $jobScript,
                '-ModelPath', $modelPath, '-Path', (Join-Path $dataDir '*.csv'), '-OutputPath', $outA)) (Join-Path $dataDir 'aeps-test-a.log')
        $shown | Should -Match ([regex]::Escape("# AutoencoderPS task: aeps-test-a$marker"))
        $shown | Should -Match ([regex]::Escape($line))
        Get-CrontabText | Should -BeExactly $foreignText
    }

    Context 'a round trip' {
        It 'registers a task: exactly the marker and the schedule line are appended' {
            Push-Location $dataDir
            try {
                # Relative paths: the task gets them absolute.
                $task = Register-AnomalyScoringTask -Name aeps-test-a -ModelPath './web model.aemodel' -Path './*.csv' -OutputPath './scored rows.csv' `
                    -StatePath './web.state.json' -Format JsonLines -PassThru -WarningVariable cronWarned -WarningAction SilentlyContinue
            }
            finally { Pop-Location }
            # Registered whether or not a cron daemon runs; without one (a container, a service stopped) the task would
            # never run, and the warning says to start it. macOS: launchd starts cron on demand, so no warning.
            $daemons = @(Get-Process -Name cron, crond, fcron -ErrorAction SilentlyContinue)
            if ($IsLinux -and $daemons.Count -eq 0 -and (Test-Path -LiteralPath /proc/1/comm)) {
                "$cronWarned" | Should -BeLike '*No cron daemon is running*will not run until one is started: sudo systemctl enable --now cron*'
            }
            elseif ($daemons.Count -gt 0 -or $IsMacOS) { $cronWarned | Should -BeNullOrEmpty }

            $commandLine = $expectedLauncher + @('-NoProfile', '-NonInteractive', '-File', $jobScript, '-ModelPath', $modelPath,
                '-Path', (Join-Path $dataDir '*.csv'), '-OutputPath', $outA, '-StatePath', $stateA, '-Format', 'JsonLines')
            $script:lineA = Get-ExpectedLine '*/15 * * * *' $commandLine (Join-Path $dataDir 'aeps-test-a.log')
            $expected = $foreignText + "# AutoencoderPS task: aeps-test-a$marker`n" + $latin1.GetString($utf8.GetBytes($lineA)) + "`n"
            Get-CrontabText | Should -BeExactly $expected

            $task.Name | Should -Be 'aeps-test-a'
            $task.Platform | Should -Be 'Cron'
            $task.ModelPath | Should -Be $modelPath
        }

        It 'Get-AnomalyScoringTask shows it with its schedule, command and files' {
            $task = Get-AnomalyScoringTask -Name aeps-test-a
            $task | Should -HaveCount 1
            $task.PSObject.TypeNames[0] | Should -Be 'AutoencoderPS.Engine.Scheduling.AnomalyScoringTask'
            $task.Platform | Should -Be 'Cron'
            $task.Interval | Should -Be ([timespan]'00:15:00')
            $task.Schedule | Should -Be '*/15 * * * *'
            $task.Command | Should -Be $expectedLauncher[0]
            $task.Arguments | Should -Be (@($expectedLauncher | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $jobScript, '-ModelPath', $modelPath,
                    '-Path', (Join-Path $dataDir '*.csv'), '-OutputPath', $outA, '-StatePath', $stateA, '-Format', 'JsonLines'))
            $task.ModelPath | Should -Be $modelPath
            $task.Path | Should -Be @(Join-Path $dataDir '*.csv')
            $task.OutputPath | Should -Be $outA
            $task.StatePath | Should -Be $stateA
            $task.Format | Should -Be 'JsonLines'
            $task.LogPath | Should -Be (Join-Path $dataDir 'aeps-test-a.log')
            $task.RegisteredCommand | Should -BeExactly $lineA
            ($task | Format-List | Out-String) | Should -Match 'LogPath\s+:'
        }

        It 'Get-AnomalyScoringTask with wildcards finds it; an unknown name is AnomalyScoringTaskNotFound' {
            (Get-AnomalyScoringTask -Name 'AEPS-TEST-*').Name | Should -Be 'aeps-test-a'
            @(Get-AnomalyScoringTask -Name 'nothing-*') | Should -HaveCount 0
            $errs = $null
            $out = @(Get-AnomalyScoringTask -Name aeps-missing -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'AnomalyScoringTaskNotFound,*'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -Be 'aeps-missing'
        }

        It 'registering the name again fails without -Force and changes nothing' {
            $before = Get-CrontabText
            $errs = $null
            Register-AnomalyScoringTask -Name aeps-test-a -ModelPath $modelPath -Path (Join-Path $dataDir '*.csv') -OutputPath $outA -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'AnomalyScoringTaskExists,*'
            $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $errs[0].TargetObject | Should -Be 'aeps-test-a'
            Get-CrontabText | Should -BeExactly $before
        }

        It 'a second task is appended after the first' {
            Register-AnomalyScoringTask -Name aeps-test-b -ModelPath $modelPath -Path (Join-Path $dataDir 'b.csv') -OutputPath (Join-Path $dataDir 'b out.csv') -Interval '02:00:00'
            $lineB = Get-ExpectedLine '0 */2 * * *' ($expectedLauncher + @('-NoProfile', '-NonInteractive', '-File', $jobScript, '-ModelPath', $modelPath,
                    '-Path', (Join-Path $dataDir 'b.csv'), '-OutputPath', (Join-Path $dataDir 'b out.csv'))) (Join-Path $dataDir 'aeps-test-b.log')
            $script:entryA = "# AutoencoderPS task: aeps-test-a$marker`n" + $latin1.GetString($utf8.GetBytes($lineA)) + "`n"
            $script:entryB = "# AutoencoderPS task: aeps-test-b$marker`n" + $latin1.GetString($utf8.GetBytes($lineB)) + "`n"
            Get-CrontabText | Should -BeExactly ($foreignText + $entryA + $entryB)
            (Get-AnomalyScoringTask).Name | Should -Be @('aeps-test-a', 'aeps-test-b')
            (Get-AnomalyScoringTask aeps-test-b).Interval | Should -Be ([timespan]'02:00:00')
        }

        It '-Force replaces the task in place and touches nothing else' {
            $paths = @((Join-Path $dataDir 'one.csv'), (Join-Path $dataDir "two it's.csv"))
            Register-AnomalyScoringTask -Name aeps-test-a -ModelPath $modelPath -Path $paths -OutputPath $outA -Interval '00:05:00' -Force
            $task = Get-AnomalyScoringTask aeps-test-a
            $task.Interval | Should -Be ([timespan]'00:05:00')
            $task.Path | Should -Be $paths
            $task.StatePath | Should -BeNullOrEmpty
            $task.LogPath | Should -Be (Join-Path $dataDir 'aeps-test-a.log')
            $newEntryA = "# AutoencoderPS task: aeps-test-a$marker`n" + $latin1.GetString($utf8.GetBytes($task.RegisteredCommand)) + "`n"
            $task.RegisteredCommand | Should -BeLike '`*/5 `* `* `* `* *'
            Get-CrontabText | Should -BeExactly ($foreignText + $newEntryA + $entryB)
            $script:entryA = $newEntryA
        }

        It 'Unregister-AnomalyScoringTask -WhatIf removes nothing' {
            $before = Get-CrontabText
            Unregister-AnomalyScoringTask -Name aeps-test-a -WhatIf
            Get-CrontabText | Should -BeExactly $before
        }

        It 'unregistering one task leaves the other and the foreign lines; -PassThru writes the task removed' {
            $before = Get-AnomalyScoringTask -Name aeps-test-a
            $removed = @(Unregister-AnomalyScoringTask -Name aeps-test-a -Confirm:$false -PassThru)
            Get-CrontabText | Should -BeExactly ($foreignText + $entryB)
            $removed | Should -HaveCount 1
            $removed[0].PSObject.TypeNames[0] | Should -Be 'AutoencoderPS.Engine.Scheduling.AnomalyScoringTask'
            $removed[0].Name | Should -Be 'aeps-test-a'
            $removed[0].Interval | Should -Be ([timespan]'00:05:00')
            $removed[0].RegisteredCommand | Should -BeExactly $before.RegisteredCommand
            $removed[0].Path | Should -Be $before.Path
        }

        It 'unregistering a name that is not a task is AnomalyScoringTaskNotFound and changes nothing' {
            $errs = $null
            Unregister-AnomalyScoringTask -Name aeps-test-a -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'AnomalyScoringTaskNotFound,*'
            Get-CrontabText | Should -BeExactly ($foreignText + $entryB)
        }

        It 'unregistering through the pipeline leaves the crontab exactly as it was' {
            Get-AnomalyScoringTask -Name 'aeps-test-*' | Unregister-AnomalyScoringTask -Confirm:$false | Should -BeNullOrEmpty
            Get-CrontabText | Should -BeExactly $foreignText
            @(Get-AnomalyScoringTask) | Should -HaveCount 0
        }
    }

    Context 'refused registrations leave the crontab unchanged' {
        It '<Case>: <ErrorId>' -ForEach @(
            @{ Case = 'a name with a space'; ErrorId = 'InvalidTaskName'; Parameters = @{ Name = 'bad name' } }
            @{ Case = 'a name with a slash'; ErrorId = 'InvalidTaskName'; Parameters = @{ Name = 'a/b' } }
            @{ Case = '7 minutes (cron cannot repeat it evenly)'; ErrorId = 'InvalidTaskInterval'; Parameters = @{ Interval = '00:07:00' } }
            @{ Case = '90 seconds'; ErrorId = 'InvalidTaskInterval'; Parameters = @{ Interval = '00:01:30' } }
            @{ Case = '5 hours'; ErrorId = 'InvalidTaskInterval'; Parameters = @{ Interval = '05:00:00' } }
            @{ Case = 'a missing model file'; ErrorId = 'ModelFileNotFound'; Parameters = @{ ModelPath = 'TestDrive:/missing.aemodel' } }
            @{ Case = 'an output folder that does not exist'; ErrorId = 'TaskFolderNotFound'; Parameters = @{ OutputPath = 'TestDrive:/no/such/folder/out.csv' } }
            @{ Case = 'a state folder that does not exist'; ErrorId = 'TaskFolderNotFound'; Parameters = @{ StatePath = 'TestDrive:/no/such/folder/state.json' } }
            @{ Case = 'a path that is not on the file system'; ErrorId = 'TaskPathNotFileSystem'; Parameters = @{ OutputPath = 'Env:/HOME' } }
            @{ Case = 'a -PwshPath that does not exist'; ErrorId = 'PwshNotFound'; Parameters = @{ PwshPath = 'TestDrive:/no-pwsh' } }
        ) {
            $arguments = @{ Name = 'aeps-test-bad'; ModelPath = $modelPath; Path = (Join-Path $dataDir '*.csv'); OutputPath = (Join-Path $dataDir 'o.csv') }
            foreach ($key in $Parameters.Keys) { $arguments[$key] = $Parameters[$key] }
            $errs = $null
            Register-AnomalyScoringTask @arguments -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $errs[0].Exception.Message | Should -Not -BeNullOrEmpty
            Get-CrontabText | Should -BeExactly $foreignText
        }

        It 'refuses <Case>: ScoringPathsSameFile naming both parameters' -ForEach @(
            @{ Case = 'a -StatePath that is the -OutputPath'; State = 'output'; Named = "-OutputPath '*' and -StatePath '*' are one file*the state*would replace the scored rows*" }
            @{ Case = 'a -StatePath that is the model file by a relative path'; State = 'model-relative'; Named = "-ModelPath '*' and -StatePath '*' are one file*would replace the model*" }
            @{ Case = 'a -StatePath that is a link to the model file'; State = 'model-link'; Named = "-ModelPath '*' and -StatePath '*' are one file*would replace the model*"; Links = $true }
            @{ Case = 'an -OutputPath that is the export named by -Path'; State = $null; OutputIs = 'export'; Named = "-OutputPath '*' and -Path '*' are one file*" }
            @{ Case = 'an -OutputPath that is the export, both relative in a folder named with [ ]'; State = $null; OutputIs = 'export'; Named = "-OutputPath '*' and -Path '*' are one file*"; Brackets = $true }
        ) {
            if ($Links -and $IsWindows) { Set-ItResult -Skipped -Because 'making a symbolic link needs a privilege on Windows'; return }
            $output = Join-Path $dataDir 'o.csv'
            $export = Join-Path $dataDir 'web export.csv'
            $arguments = @{ Name = 'aeps-test-same'; ModelPath = $modelPath; Path = $export; OutputPath = ($OutputIs -eq 'export' ? $export : $output) }
            switch ($State) {
                'output' { $arguments.StatePath = $output }
                'model-relative' { $arguments.StatePath = './web model.aemodel' }
                'model-link' {
                    $link = Join-Path $TestDrive 'state-link.json'
                    if (-not (Test-Path -LiteralPath $link)) { New-Item -ItemType SymbolicLink -Path $link -Target $modelPath | Out-Null }
                    $arguments.StatePath = $link
                }
            }
            $where = $dataDir
            if ($Brackets) {
                # The -Path is made a pattern with the folder escaped: the file it names is still the output.
                $where = Join-Path $TestDrive 'same [y]'
                [System.IO.Directory]::CreateDirectory($where) | Out-Null
                Set-Content -LiteralPath (Join-Path $where 'e.csv') -Value 'Host,cpu'
                $arguments.Path = './e.csv'
                $arguments.OutputPath = './e.csv'
            }
            $errs = $null
            Push-Location -LiteralPath $where
            try { Register-AnomalyScoringTask @arguments -ErrorVariable errs -ErrorAction SilentlyContinue }
            finally { Pop-Location }
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ScoringPathsSameFile,*'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].Exception.Message | Should -BeLike $Named
            Get-CrontabText | Should -BeExactly $foreignText
        }

        It 'registers a -Path that matches no file now, with a warning that says each run fails until one does' {
            $missing = Join-Path $dataDir 'not yet/*.csv'
            $null = Register-AnomalyScoringTask -Name aeps-test-none -ModelPath $modelPath -Path $missing -OutputPath (Join-Path $dataDir 'o.csv') -WhatIf `
                -WarningVariable warned -WarningAction SilentlyContinue
            "$warned" | Should -BeLike "*-Path '$missing' matches no file now*each run fails*until a file matches it*"
            Get-CrontabText | Should -BeExactly $foreignText
        }

        It 'says which intervals cron can repeat' {
            $errs = $null
            Register-AnomalyScoringTask -Name aeps-test-bad -ModelPath $modelPath -Path $modelPath -OutputPath $modelPath -Interval '00:45:00' -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match '1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes, or every 1, 2, 3, 4, 6, 8, 12 or 24 hours'
        }
    }

    Context 'the registered line, run as cron runs it' {
        BeforeAll {
            # A stand-in for pwsh, in a folder whose name needs quoting: it records every argument it receives
            # (NUL-terminated) beside itself, writes to stdout and stderr (for the log), and exits 1.
            $script:binDir = Join-Path $TestDrive "bin it's 100% `"x`""
            New-Item -ItemType Directory -Path $binDir | Out-Null
            $script:fakePwsh = Join-Path $binDir 'fake pwsh'
            Set-Content -LiteralPath $fakePwsh -Encoding utf8NoBOM -Value @'
#!/bin/sh
dir=$(dirname "$0")
: > "$dir/argv.bin"
for a in "$@"; do printf '%s\0' "$a" >> "$dir/argv.bin"; done
echo "stand-in pwsh ran"
echo "stand-in pwsh error" >&2
exit 1
'@
            [System.IO.File]::SetUnixFileMode($fakePwsh, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')

            # A stand-in for the job script: records what PowerShell bound to its parameters and exits 1
            # (anomalies found), as the real script does.
            $script:fakeJob = Join-Path $binDir 'job stand-in.ps1'
            Set-Content -LiteralPath $fakeJob -Encoding utf8NoBOM -Value @'
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModelPath,
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $OutputPath,
    [string] $StatePath,
    [ValidateSet('Csv', 'JsonLines')] [string] $Format
)
[pscustomobject]@{ ModelPath = $ModelPath; Path = @($Path); OutputPath = $OutputPath; StatePath = $StatePath; Format = $Format } |
    ConvertTo-Json | Set-Content -LiteralPath (Join-Path $PSScriptRoot 'bound.json') -Encoding utf8NoBOM
exit 1
'@

            # Runs a command the way cron does: through /bin/sh -c, from the home folder, with a minimal environment.
            function Invoke-AsCron {
                param([string] $Command)
                $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
                $start.ArgumentList.Add('-c')
                $start.ArgumentList.Add($Command)
                $start.UseShellExecute = $false
                $start.WorkingDirectory = [Environment]::GetFolderPath('UserProfile')
                $start.Environment.Clear()
                $start.Environment['HOME'] = [Environment]::GetFolderPath('UserProfile')
                $start.Environment['PATH'] = '/usr/bin:/bin'
                $start.Environment['SHELL'] = '/bin/sh'
                $process = [System.Diagnostics.Process]::Start($start)
                $process.WaitForExit()
                $process.ExitCode
            }

            # Runs pwsh with the given arguments (as the task would, after the stand-in recorded them) and returns its exit code.
            function Invoke-Pwsh {
                param([string[]] $Arguments)
                $start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
                foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
                $start.UseShellExecute = $false
                $start.RedirectStandardOutput = $true
                $start.RedirectStandardError = $true
                $process = [System.Diagnostics.Process]::Start($start)
                $stdout = $process.StandardOutput.ReadToEndAsync()
                $stderr = $process.StandardError.ReadToEndAsync()
                $process.WaitForExit()
                if ($process.ExitCode -ne 1) { Write-Host "pwsh said: $($stdout.Result) $($stderr.Result)" }
                $process.ExitCode
            }
        }

        AfterEach {
            Get-AnomalyScoringTask -Name 'aeps-test-*' | Unregister-AnomalyScoringTask -Confirm:$false
        }

        It 'passes every argument exactly, with <Label>' -ForEach @(
            @{ Label = 'one path (pwsh -File)'; Paths = @('exports 01/*.csv'); Format = 'JsonLines' }
            @{ Label = 'two paths (pwsh -Command)'; Paths = @('a b.csv', "it's `$x ‘y’ 5%.csv"); Format = 'Csv' }
        ) {
            $fullPaths = @($Paths | ForEach-Object { Join-Path $dataDir $_ })
            $out = Join-Path $dataDir "out `"it's`" 100%.csv"
            $state = Join-Path $dataDir 'state $(id) `x`.json'
            $log = Join-Path $dataDir 'aeps-test-e2e.log'
            Remove-Item -LiteralPath (Join-Path $binDir 'argv.bin'), (Join-Path $binDir 'bound.json'), $log -ErrorAction SilentlyContinue
            $task = Register-AnomalyScoringTask -Name aeps-test-e2e -ModelPath $modelPath -Path $fullPaths -OutputPath $out -StatePath $state `
                -Format $Format -PwshPath $fakePwsh -Interval '00:01:00' -PassThru

            # The line as installed, read back from crontab -l.
            $line = @((Get-CrontabText) -split "`n" | Where-Object { $_ -like '`* `* `* `* `* *' })
            $line | Should -HaveCount 1
            $line = $utf8.GetString($latin1.GetBytes($line[0]))
            $line | Should -BeExactly $task.RegisteredCommand

            Invoke-AsCron (Get-CronCommand $line) | Should -Be 1 -Because 'the exit code of the job reaches cron'

            $received = @($utf8.GetString([System.IO.File]::ReadAllBytes((Join-Path $binDir 'argv.bin'))).Split([char]0) | Select-Object -SkipLast 1)
            $received | Should -Be @($task.Arguments)
            if ($Paths.Count -eq 1) {
                $received | Should -Be @('-NoProfile', '-NonInteractive', '-File', $jobScript, '-ModelPath', $modelPath, '-Path', $fullPaths[0],
                    '-OutputPath', $out, '-StatePath', $state, '-Format', $Format)
            }
            else {
                $received[0..2] | Should -Be @('-NoProfile', '-NonInteractive', '-Command')
                $received | Should -HaveCount 4
            }

            # The log beside the state file got both output streams.
            Get-Content -LiteralPath $log | Should -Be @('stand-in pwsh ran', 'stand-in pwsh error')

            # The same arguments, given to the real pwsh with the job script swapped for the stand-in, bind exactly.
            # (In the -Command text the path is inside a PowerShell single-quoted string, where ' is written ''.)
            $replacement = if ($Paths.Count -eq 1) { $fakeJob } else { $fakeJob.Replace("'", "''") }
            $swapped = @($received | ForEach-Object { $_.Replace($jobScript, $replacement) })
            Invoke-Pwsh $swapped | Should -Be 1 -Because 'the job script''s exit code is pwsh''s'
            $bound = Get-Content -LiteralPath (Join-Path $binDir 'bound.json') -Raw | ConvertFrom-Json
            $bound.ModelPath | Should -BeExactly $modelPath
            @($bound.Path) | Should -Be $fullPaths
            $bound.OutputPath | Should -BeExactly $out
            $bound.StatePath | Should -BeExactly $state
            $bound.Format | Should -BeExactly $Format
        }

        It 'registers -Path from <How> in a folder named with [ ] so that the job finds what -Path finds now, and reads the other paths literally' -ForEach @(
            @{ How = 'a drive whose root it is'; Drive = $true }
            @{ How = 'a relative path'; Drive = $false }
        ) {
            # The folder: its [x] is a pattern to PowerShell ("x"), and only the part PowerShell supplies may be escaped.
            $odd = Join-Path $TestDrive "it's here [x] $($Drive ? 'drive' : 'relative')"
            [System.IO.Directory]::CreateDirectory((Join-Path $odd 'ex ports')) | Out-Null
            $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            New-MetricRow -Count 200 -AsText | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 | Out-Null
            $staged = Join-Path $TestDrive 'bracket-staged.aemodel'
            Export-Autoencoder -Model $model -Path $staged -Force
            [System.IO.File]::Copy($staged, (Join-Path $odd 'm.aemodel'), $true)
            New-MetricRow -Count 12 -Seed 5 -AsText | Export-Csv -LiteralPath (Join-Path $odd 'ex ports/a.csv') -NoTypeInformation

            $name = "aeps-test-bracket-$($Drive ? 'drive' : 'relative')"
            if ($Drive) {
                New-PSDrive -Name AEPSBRACKET -PSProvider FileSystem -Root $odd -Scope Global | Out-Null
                try {
                    $here = @(Test-Anomaly -Model $model -Path 'AEPSBRACKET:/ex ports/*.csv')
                    $task = Register-AnomalyScoringTask -Name $name -ModelPath 'AEPSBRACKET:/m.aemodel' -Path 'AEPSBRACKET:/ex ports/*.csv' `
                        -OutputPath 'AEPSBRACKET:/scored.csv' -StatePath 'AEPSBRACKET:/job [1].json' -PassThru -WarningAction SilentlyContinue
                }
                finally { Remove-PSDrive -Name AEPSBRACKET -Scope Global }
            }
            else {
                Push-Location -LiteralPath $odd
                try {
                    $here = @(Test-Anomaly -Model $model -Path './ex ports/*.csv')
                    $task = Register-AnomalyScoringTask -Name $name -ModelPath './m.aemodel' -Path './ex ports/*.csv' -OutputPath './scored.csv' `
                        -StatePath './job [1].json' -PassThru -WarningAction SilentlyContinue
                }
                finally { Pop-Location }
            }
            $here | Should -HaveCount 12 -Because 'the same -Path finds the export in this session'

            # The installed line, run as cron runs it: it scores the export (before, every run ended "No file matches",
            # exit code 2), into the files named literally.
            $line = @((Get-CrontabText) -split "`n" | Where-Object { $_ -notlike '#*' -and $_ -like "*$name.log*" })
            $line | Should -HaveCount 1
            Invoke-AsCron (Get-CronCommand ($utf8.GetString($latin1.GetBytes($line[0])))) |
                Should -BeIn @(0, 1) -Because (Get-Content -LiteralPath $task.LogPath -Raw -ErrorAction SilentlyContinue)
            @(Import-Csv -LiteralPath (Join-Path $odd 'scored.csv')) | Should -HaveCount 12
            Test-Path -LiteralPath (Join-Path $odd 'job [1].json') | Should -BeTrue
            $task.Path | Should -Be @("$([WildcardPattern]::Escape($odd))/ex ports/*.csv")
            $task.ModelPath | Should -BeExactly (Join-Path $odd 'm.aemodel')
            $task.StatePath | Should -BeExactly (Join-Path $odd 'job [1].json')
        }

        It 'runs the real scheduled job: the installed line scores a growing export, once per row' {
            # No stand-ins: the module's own pwsh launcher and Invoke-ScheduledScoring.ps1, a real model and export,
            # under cron's bare environment, in a folder whose name needs quoting.
            $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
            New-MetricRow -Count 200 -AsText | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 | Out-Null
            $realModel = Join-Path $dataDir 'real host.aemodel'
            Export-Autoencoder -Model $model -Path $realModel
            $export = Join-Path $dataDir 'real export.csv'
            # A text column the model does not know, holding a formula on every third row.
            function Add-Note { param([int] $Start) process { $_ | Add-Member -NotePropertyName Note -NotePropertyValue $(if ($Start++ % 3 -eq 0) { '=1+1' } else { 'ok' }) -PassThru } }
            New-MetricRow -Count 30 -Seed 11 -AsText | Add-Note -Start 0 | Export-Csv -LiteralPath $export -NoTypeInformation
            $out = Join-Path $dataDir "real scored 'x'.csv"
            # -ExplainAll, -TopFeatureCount and -NeutralizeFormulas go through the task's line to the job: every row of
            # the output is explained, by one feature, and the formulas come out defused.
            $task = Register-AnomalyScoringTask -Name aeps-test-real -ModelPath $realModel -Path $export -OutputPath $out -ExplainAll `
                -TopFeatureCount 1 -NeutralizeFormulas -PassThru
            $task.Arguments[-6..-1] | Should -Be @('-Explain', 'All', '-TopFeatureCount', '1', '-Formulas', 'Neutralize')
            # Get-AnomalyScoringTask reads them back from the installed line.
            $listed = Get-AnomalyScoringTask -Name aeps-test-real
            $listed.Arguments | Should -Be @($task.Arguments)
            $listed.Action.Explain | Should -BeExactly 'All'
            $listed.Action.TopFeatureCount | Should -BeExactly '1'
            $listed.Action.Formulas | Should -BeExactly 'Neutralize'
            $line = @((Get-CrontabText) -split "`n" | Where-Object { $_ -notlike '#*' -and $_ -like '*aeps-test-real.log*' })
            $line | Should -HaveCount 1
            $command = Get-CronCommand ($utf8.GetString($latin1.GetBytes($line[0])))
            $log = $task.LogPath

            Invoke-AsCron $command | Should -BeIn @(0, 1) -Because (Get-Content -LiteralPath $log -Raw -ErrorAction SilentlyContinue)
            @(Import-Csv -LiteralPath $out) | Should -HaveCount 30

            # Rows appended to the export: the next run scores only those.
            New-MetricRow -Count 12 -Seed 12 -AsText | Add-Note -Start 30 | Export-Csv -LiteralPath $export -NoTypeInformation -Append
            Invoke-AsCron $command | Should -BeIn @(0, 1) -Because (Get-Content -LiteralPath $log -Raw -ErrorAction SilentlyContinue)
            $scored = @(Import-Csv -LiteralPath $out)
            $scored | Should -HaveCount 42
            $scored | ForEach-Object { [double]::Parse($_.AnomalyScore, [cultureinfo]::InvariantCulture) } | Should -BeGreaterOrEqual 0
            @($scored | Where-Object { -not $_.AnomalyExplanation }) | Should -HaveCount 0
            # One feature per explanation ("cpu 97 (expected 35.2, 71%)"; the default 3 are separated by "; "): the top one.
            foreach ($row in $scored) {
                $row.AnomalyExplanation | Should -Not -BeLike '*;*'
                $row.AnomalyExplanation | Should -BeLike "$($row.AnomalyTopFeature) *"
            }
            # Every formula of both runs got the apostrophe Invoke-AnomalyScoring -NeutralizeFormulas gives; the rest is as it was.
            @($scored | Where-Object Note -CEQ "'=1+1") | Should -HaveCount 14
            @($scored | Where-Object Note -CEQ 'ok') | Should -HaveCount 28
        }
    }
}
