# Get-Help of every exported cmdlet reads like a finished module's, and every example in it runs.
#
# The help is built from module/help/*.md into the staged module's en-US folder by .config/build/ConvertTo-MamlHelp.ps1
# (build.ps1 -Task Build). The cases are made at discovery time from Get-Command -Module AutoencoderPS, so a new
# cmdlet or parameter is checked without editing this file.
#
# Every example runs in a sandbox: a fresh `pwsh -NoProfile -NonInteractive` per cmdlet, and in it a fresh
# runspace per example that imports the module from $env:AUTOENCODERPS_MODULE, works in an empty folder that is
# also its temp folder (TMPDIR, TMP, TEMP), and runs the example's code as written. An example fails on any
# error (in $Error, even one that did not stop it), any warning, or a process that does not end with exit code 0.
# The sandboxes run two or so at a time in BeforeAll; each example's test checks its result.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # What the text of an example says its output shows, where running without errors is not enough: an example that
    # silently does nothing (scores no rows, selects nothing) passes that test.
    $exampleShows = @{
        'Invoke-AnomalyScoring#1' = '(?s)\b1\s+1000\b.*\b1\s+440\b.*\b1440\s*$'
        'Test-Anomaly#5'          = '(?s)1436 Scored.*4 WarmingUp.*\w+ \(t(-\d)?\) '
        'Test-Anomaly#2'          = '(?s)January 2026 10:30:00\s+CpuPct 97\.77 \(expected 55\.\d+, 97%\);.*Feature\s+:\s+CpuPct'
    }
    $common = [System.Collections.Generic.HashSet[string]]::new([string[]][System.Management.Automation.Cmdlet]::CommonParameters)
    $commandCases = foreach ($command in Get-Command -Module AutoencoderPS -CommandType Cmdlet, Function | Sort-Object Name) {
        $help = Get-Help $command.Name -Full -ErrorAction SilentlyContinue
        $examples = @()
        if ($help -and $help.PSObject.Properties['examples'] -and $help.examples -and $help.examples.PSObject.Properties['example']) {
            $index = 0
            $examples = @(foreach ($example in @($help.examples.example)) {
                    $index++
                    @{
                        Name  = $command.Name
                        Index = $index
                        Title = ($example.title -replace '^[-\s]+|[-\s]+$', '')
                        Code  = [string]$example.code
                        SkipBecause = Get-MissingProgramReason $command.Name
                        Shows = $exampleShows["$($command.Name)#$index"]
                    }
                })
        }
        @{
            Name       = $command.Name
            Examples   = $examples
            Parameters = @($command.Parameters.Values | Where-Object { -not $common.Contains($_.Name) } |
                    ForEach-Object { @{ Name = $command.Name; Parameter = $_.Name } })
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $moduleManifest = (Resolve-Path -LiteralPath $env:AUTOENCODERPS_MODULE).ProviderPath
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })

    # The sandbox process of one cmdlet. Each example gets a fresh runspace (its own variables, $Error and
    # location) that imports the module, an empty folder that is also its temp folder, and its code run
    # dot-sourced, as if typed at the prompt; its output is formatted as the console would. One process per
    # cmdlet, not per example, because starting pwsh and loading libtorch is most of an example's time.
    $sandboxRunner = @'
param([string] $ModulePath, [string] $ExamplesFile, [string] $ResultFile)
$ErrorActionPreference = 'Stop'
$examples = @(Get-Content -LiteralPath $ExamplesFile -Raw | ConvertFrom-Json)
$root = Split-Path -Parent $ExamplesFile
$inRunspace = {
    param([string] $ModulePath, [string] $Code, [string] $Folder)
    Import-Module $ModulePath -ErrorAction Stop
    Set-Location -LiteralPath $Folder
    $Error.Clear()
    $warnings = [System.Collections.Generic.List[string]]::new()
    $terminating = $null
    $text = ''
    try {
        $text = . ([scriptblock]::Create($Code)) 3>&1 |
            ForEach-Object { if ($_ -is [System.Management.Automation.WarningRecord]) { $warnings.Add($_.Message) } else { $_ } } |
            Out-String -Width 160
    }
    catch { $terminating = ($_ | Out-String).Trim() }
    [pscustomobject]@{
        Output      = $text
        Warnings    = @($warnings)
        Errors      = @($Error | ForEach-Object { ($_ | Out-String).Trim() })
        Terminating = $terminating
    }
}
$results = foreach ($example in $examples) {
    $folder = New-Item -ItemType Directory -Path (Join-Path $root "example-$($example.Index)")
    # Path.GetTempPath() reads these on every call: the example's temp files land in its own folder.
    foreach ($name in 'TMPDIR', 'TMP', 'TEMP') { [Environment]::SetEnvironmentVariable($name, $folder.FullName) }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $shell = [powershell]::Create()
    try {
        $result = @($shell.AddScript($inRunspace.ToString()).AddArgument($ModulePath).AddArgument($example.Code).AddArgument($folder.FullName).Invoke())
        $outcome = if ($result.Count -eq 1) { $result[0] } else {
            [pscustomobject]@{ Output = ''; Warnings = @(); Errors = @($shell.Streams.Error | ForEach-Object { "$_" }); Terminating = 'The example did not complete.' }
        }
    }
    catch {
        $outcome = [pscustomobject]@{ Output = ''; Warnings = @(); Errors = @(); Terminating = ($_ | Out-String).Trim() }
    }
    finally { $shell.Dispose() }
    $outcome | Add-Member -NotePropertyName Index -NotePropertyValue $example.Index
    $outcome | Add-Member -NotePropertyName Seconds -NotePropertyValue $clock.Elapsed.TotalSeconds -PassThru
}
ConvertTo-Json -InputObject @($results) -Depth 4 | Set-Content -LiteralPath $ResultFile -Encoding utf8NoBOM
'@

    # Starts the sandbox process of one cmdlet's examples and returns a handle for Complete-ExampleSandbox.
    function Start-ExampleSandbox {
        param([string] $Name, [object[]] $Examples)
        $sandbox = Join-Path ([System.IO.Path]::GetTempPath()) ('aeps-examples-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $sandbox | Out-Null
        $runner = Join-Path $sandbox 'run-examples.ps1'
        $examplesFile = Join-Path $sandbox 'examples.json'
        $resultFile = Join-Path $sandbox 'results.json'
        Set-Content -LiteralPath $runner -Value $sandboxRunner -Encoding utf8NoBOM
        ConvertTo-Json -InputObject @($Examples) -Depth 3 | Set-Content -LiteralPath $examplesFile -Encoding utf8NoBOM

        $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $runner, '-ModulePath', $moduleManifest, '-ExamplesFile', $examplesFile, '-ResultFile', $resultFile) {
            $start.ArgumentList.Add($a)
        }
        $start.WorkingDirectory = $sandbox
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        # `Import-Module AutoencoderPS` by name finds the staged module too.
        $start.Environment['PSModulePath'] = (Split-Path (Split-Path $moduleManifest -Parent) -Parent) + [System.IO.Path]::PathSeparator + $env:PSModulePath
        $process = [System.Diagnostics.Process]::Start($start)
        [pscustomobject]@{
            Name       = $Name
            Examples   = $Examples
            Sandbox    = $sandbox
            ResultFile = $resultFile
            Process    = $process
            Stdout     = $process.StandardOutput.ReadToEndAsync()
            Stderr     = $process.StandardError.ReadToEndAsync()
            Clock      = [System.Diagnostics.Stopwatch]::StartNew()
        }
    }

    # Waits for (or, timed out, kills) a sandbox process and files one result per example under "<Name>#<Index>".
    function Complete-ExampleSandbox {
        param($Handle, [hashtable] $Results, [switch] $Kill)
        if ($Kill) { $Handle.Process.Kill($true) }
        $Handle.Process.WaitForExit()
        $processOutput = ($Handle.Stdout.Result + $Handle.Stderr.Result).Trim()
        $exitCode = if ($Kill) { -1 } else { $Handle.Process.ExitCode }
        $perExample = @{}
        if (Test-Path -LiteralPath $Handle.ResultFile) {
            foreach ($r in @(Get-Content -LiteralPath $Handle.ResultFile -Raw | ConvertFrom-Json)) { $perExample[[int]$r.Index] = $r }
        }
        foreach ($example in $Handle.Examples) {
            $r = $perExample[[int]$example.Index]
            $problem = if ($Kill) { "The sandbox timed out after $([int]$Handle.Clock.Elapsed.TotalSeconds) s." }
            elseif (-not $r) { "The sandbox process ended with exit code $exitCode before reporting this example." }
            $Results["$($Handle.Name)#$($example.Index)"] = [pscustomobject]@{
                ExitCode    = $exitCode
                Problem     = $problem
                Terminating = if ($r) { $r.Terminating } else { $null }
                Errors      = if ($r) { @($r.Errors) } else { @() }
                Warnings    = if ($r) { @($r.Warnings) } else { @() }
                Output      = if ($r) { "$($r.Output)".Trim() } else { $processOutput }
                Seconds     = if ($r) { [double]$r.Seconds } else { 0 }
            }
        }
        Remove-Item -LiteralPath $Handle.Sandbox -Recurse -Force -ErrorAction SilentlyContinue
    }

    # Every cmdlet's examples, run up front, two or so cmdlets at a time (each example uses one libtorch
    # thread); the tests below check the results. Read from Get-Help as at discovery, so they are the same.
    $exampleResults = @{}
    $queue = [System.Collections.Generic.Queue[object]]::new()
    foreach ($exampleCommand in Get-Command -Module AutoencoderPS -CommandType Cmdlet, Function) {
        $commandHelp = Get-Help $exampleCommand.Name -Full -ErrorAction SilentlyContinue
        if (-not ($commandHelp -and $commandHelp.PSObject.Properties['examples'] -and $commandHelp.examples -and
                $commandHelp.examples.PSObject.Properties['example'])) { continue }
        # An example that needs a program the machine lacks is not run; its test says it was skipped and why.
        if (Get-MissingProgramReason $exampleCommand.Name) { continue }
        $exampleIndex = 0
        $commandExamples = @(foreach ($example in @($commandHelp.examples.example)) {
                $exampleIndex++
                [pscustomobject]@{ Index = $exampleIndex; Code = [string]$example.code }
            })
        $queue.Enqueue([pscustomobject]@{ Name = $exampleCommand.Name; Examples = $commandExamples })
    }
    $throttle = [Math]::Min(4, [Math]::Max(2, [Environment]::ProcessorCount))
    $timeout = [TimeSpan]::FromSeconds(300)
    $running = [System.Collections.Generic.List[object]]::new()
    while ($queue.Count -gt 0 -or $running.Count -gt 0) {
        while ($running.Count -lt $throttle -and $queue.Count -gt 0) {
            $next = $queue.Dequeue()
            $running.Add((Start-ExampleSandbox -Name $next.Name -Examples $next.Examples))
        }
        foreach ($handle in @($running)) {
            if ($handle.Process.HasExited) {
                Complete-ExampleSandbox $handle $exampleResults
                $null = $running.Remove($handle)
            }
            elseif ($handle.Clock.Elapsed -gt $timeout) {
                Complete-ExampleSandbox $handle $exampleResults -Kill
                $null = $running.Remove($handle)
            }
        }
        Start-Sleep -Milliseconds 50
    }
}

Describe '<Name> help' -ForEach $commandCases {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
    }

    It 'comes from the built help file, not generated from the syntax' {
        $because = "en-US/$($command.HelpFile) in the module folder should document $Name (build.ps1 runs .config/build/ConvertTo-MamlHelp.ps1)"
        $help.PSObject.Properties['description'] | Should -Not -BeNullOrEmpty -Because $because
        $help.description | Should -Not -BeNullOrEmpty -Because $because
    }

    It 'has a synopsis that is a sentence, not the syntax' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match ('^' + [regex]::Escape($Name) + '(\s+[\[-]|\s*$)') -Because 'an auto-generated synopsis is the syntax line'
        $synopsis | Should -Not -Match '<CommonParameters>'
        $synopsis.Length | Should -BeGreaterThan 20
    }

    It 'has a description' {
        ($help.description.Text -join "`n").Trim().Length | Should -BeGreaterThan 50
    }

    It 'shows the syntax of every parameter set' {
        @($help.syntax.syntaxItem) | Should -HaveCount @($command.ParameterSets).Count
    }

    It 'describes -<Parameter>' -ForEach $Parameters {
        $parameterHelp = @($help.parameters.parameter | Where-Object name -EQ $Parameter)
        $parameterHelp | Should -HaveCount 1 -Because "Get-Help $Name -Parameter $Parameter should find it"
        $text = ($parameterHelp[0].description.Text -join ' ').Trim()
        $text | Should -Not -BeNullOrEmpty
        # Prose that promises binding from the pipeline must match the parameter's attributes.
        if ($text -match '(?i)\bpiped\b[^.]*\bbinds? to it') {
            $byName = @($command.Parameters[$Parameter].Attributes |
                    Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName })
            $byName | Should -Not -BeNullOrEmpty -Because "the help of -$Parameter says a piped object's property binds to it"
        }
    }

    It 'has at least two examples' {
        @($help.examples.example) | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in @($help.examples.example)) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' should say what it does"
        }
    }

    It 'names and explains its output types' {
        $documented = @($help.returnValues.returnValue | ForEach-Object { $_.type.name } | Where-Object { $_ })
        $documented | Should -Not -BeNullOrEmpty
        foreach ($output in @($help.returnValues.returnValue)) {
            ($output.description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "output type $($output.type.name) should be explained"
        }
        foreach ($type in @($command.OutputType)) {
            $full = if ($type.Type) { $type.Type.FullName } else { $type.Name }
            $short = ($full -split '\.')[-1]
            @($documented | Where-Object { $_ -eq $full -or $_ -eq $short }) | Should -Not -BeNullOrEmpty -Because "$Name declares [OutputType($full)]"
        }
    }

    It 'says what it takes from the pipeline' {
        $inputs = @($help.inputTypes.inputType | Where-Object { $_.type.name })
        $inputs | Should -Not -BeNullOrEmpty
        foreach ($inputType in $inputs) {
            ($inputType.description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "input type $($inputType.type.name) should be explained"
        }
    }

    Context 'examples, each run in a sandbox' {
        It 'example <Index> shows what its text says: <Title>' -ForEach @($Examples | Where-Object { $_.Shows }) {
            $result = $exampleResults["$Name#$Index"]
            $result.Output | Should -Match $Shows -Because "the example should do what its text says. Code:`n$Code"
        }

        It 'example <Index> runs without errors or warnings: <Title>' -ForEach $Examples {
            if ($SkipBecause) { Set-ItResult -Skipped -Because $SkipBecause; return }
            $result = $exampleResults["$Name#$Index"]
            $result | Should -Not -BeNullOrEmpty -Because 'every example is run before the tests'
            $report = "Code:`n$Code`nOutput:`n$($result.Output)"
            $result.Problem | Should -BeNullOrEmpty -Because $report
            $result.ExitCode | Should -Be 0 -Because $report
            $result.Terminating | Should -BeNullOrEmpty -Because "the example should run as written. $report"
            ($result.Errors -join "`n") | Should -BeNullOrEmpty -Because "the example should leave `$Error empty. $report"
            ($result.Warnings -join "`n") | Should -BeNullOrEmpty -Because "the example should raise no warning. $report"
        }
    }
}

Describe 'about_AutoencoderPS' {
    BeforeAll {
        $about = (Get-Help about_AutoencoderPS -ErrorAction Stop | Out-String)
    }

    It 'is found by Get-Help about_AutoencoderPS' {
        $about | Should -Match 'about_AutoencoderPS'
        $about | Should -Match 'SHORT DESCRIPTION'
        $about.Length | Should -BeGreaterThan 2000
    }

    It 'covers <Topic>' -ForEach @(
        @{ Topic = 'the method'; Pattern = 'reconstruction error' }
        @{ Topic = 'the MeanStd threshold'; Pattern = 'MeanStd' }
        @{ Topic = 'the Percentile threshold'; Pattern = 'Percentile' }
        @{ Topic = 'scaling'; Pattern = 'MinMax' }
        @{ Topic = 'the model file'; Pattern = 'checksum' }
        @{ Topic = 'scheduled scoring with cron'; Pattern = 'cron' }
        @{ Topic = 'scheduled scoring with Task Scheduler'; Pattern = 'Task Scheduler' }
        @{ Topic = 'threads'; Pattern = '-ThreadCount' }
        @{ Topic = 'troubleshooting the native runtime'; Pattern = 'TorchRuntimeUnavailable' }
        @{ Topic = 'a fleet of hosts'; Pattern = 'Send-Autoencoder' }
    ) {
        $about | Should -Match ([regex]::Escape($Pattern))
    }

    # The pivot recipe for long exports is an indented code block in a list item: it was once joined into one wrapped
    # paragraph, with `$_` turned into `$` (read as emphasis), and could not be copied.
    It 'shows the pivot recipe for long exports line for line, as it can be copied and run' {
        $recipe = @(
            'Import-Csv long.csv |'
            '    ConvertTo-LogWindow -TimeProperty time -Interval 00:05:00 -GroupBy host -MetricProperty metric -ValueProperty value |'
            '    Export-Csv wide.csv'
        )
        $lines = @($about -split '\r?\n')
        $start = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.Trim() -eq $recipe[0] })
        $start | Should -BeGreaterOrEqual 0 -Because 'the recipe starts on a line of its own'
        $indent = $lines[$start].Length - $lines[$start].TrimStart().Length
        $shown = @($lines[$start..($start + $recipe.Count - 1)] | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent) } else { $_.TrimStart() } })
        $shown | Should -Be $recipe

        # Copied from the help as shown, it pivots a long export.
        $folder = Join-Path $TestDrive 'pivot'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'long.csv') -Value @(
            'time,host,metric,value', '2026-11-02 00:00,web1,cpu,40', '2026-11-02 00:00,web1,mem,60', '2026-11-02 00:05,web1,cpu,42',
            '2026-11-02 00:05,web1,mem,61', '2026-11-02 00:05,web2,cpu,7')
        Push-Location $folder
        try { . ([scriptblock]::Create($shown -join "`n")) }
        finally { Pop-Location }
        $wide = @(Import-Csv -LiteralPath (Join-Path $folder 'wide.csv'))
        $wide | Should -HaveCount 4
        ($wide | ForEach-Object { '{0} {1} {2} {3} {4}' -f ([datetime]$_.IntervalStart).ToString('HH:mm'), $_.host, $_.EventCount, $_.cpu, $_.mem }) |
            Should -Be @('00:00 web1 2 40 60', '00:00 web2 0  ', '00:05 web1 2 42 61', '00:05 web2 1 7 ')
    }
}
