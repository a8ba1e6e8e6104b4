# Inputs and models that are not regular files (a FIFO, a link to /dev/zero), and input lines past the 16 MiB bound:
# every cmdlet that reads a CSV file or a model file refuses them with one clear error, at once, instead of waiting on a
# FIFO for good (Ctrl+C could not end it) or reading /dev/zero until memory ran out.
# Run: $env:AUTOENCODERPS_MODULE = <staged psd1>; Invoke-Pester -Path tests/Pester/InputFileKinds.Tests.ps1

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:folder = Join-Path ([IO.Path]::GetTempPath()) "aeps-kinds-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $folder
    $script:model = New-Autoencoder -HiddenLayer 8, 3 -Seed 5
    New-MetricRow -Count 300 -Seed 1 | Invoke-AutoencoderTraining -Model $model -Epochs 3 -BatchSize 32 -ThreadCount 1 | Out-Null
    $script:modelPath = Join-Path $folder 'model.aemodel'
    Export-Autoencoder -Model $model -Path $modelPath
    $script:good = Join-Path $folder 'good.csv'
    New-MetricRow -Count 20 -Seed 2 | Export-Csv -Path $good -NoTypeInformation

    $script:canMakeFifo = -not $IsWindows -and [bool](Get-Command mkfifo -CommandType Application -ErrorAction SilentlyContinue)
    $script:fifo = Join-Path $folder 'pipe.csv'
    $script:zero = Join-Path $folder 'zero.csv'
    if ($canMakeFifo) {
        & mkfifo $fifo
        $null = New-Item -ItemType SymbolicLink -Path $zero -Target '/dev/zero'
    }

    # Runs $Script (given the module path and $Arguments) in a new runspace and waits up to $Seconds for it. A run still
    # blocked then (on opening the FIFO) is freed by opening the FIFO's other end, and the test fails.
    function Invoke-Bounded {
        param([scriptblock] $Script, [object[]] $Arguments, [int] $Seconds = 60)
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($module) Import-Module $module -ErrorAction Stop').AddArgument($env:AUTOENCODERPS_MODULE).AddStatement()
        $null = $ps.AddScript($Script.ToString())
        foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
        $handle = $ps.BeginInvoke()
        $finished = $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($Seconds))
        if (-not $finished) {
            $writer = [IO.FileStream]::new($fifo, 'Open', 'Write')
            $writer.Dispose()
            $null = $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60))
        }
        try { $output = $ps.EndInvoke($handle) } catch { $output = $null; $terminating = $_.Exception.InnerException.ErrorRecord }
        $result = [pscustomobject]@{
            Finished    = $finished
            Output      = $output
            Errors      = @($ps.Streams.Error) + @($terminating | Where-Object { $_ })
        }
        $ps.Dispose()
        $result
    }

    function Get-ErrorIds($Result) { @($Result.Errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) }
}

AfterAll {
    if ($model) { $model.Dispose() }
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'An input or model path that is a FIFO or a link to a device' {
    BeforeEach {
        if (-not $canMakeFifo) { Set-ItResult -Skipped -Because 'FIFOs and links to /dev/zero are made with mkfifo and symbolic links (Linux, macOS)' }
    }

    It 'Test-Anomaly -Path a FIFO -OutputPath: NotARegularFile at once, and no temporary file is left' {
        $out = Join-Path $folder 'fifo.scored.csv'
        $r = Invoke-Bounded { param($m, $in, $out) Test-Anomaly -Model $m -Path $in -OutputPath $out -ErrorAction Continue } $model, $fifo, $out
        $r.Finished | Should -BeTrue -Because 'the FIFO must not be waited on'
        Get-ErrorIds $r | Should -Contain 'NotARegularFile'
        ($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'NotARegularFile*' }).Exception.Message | Should -Match 'FIFO'
        ($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'NotARegularFile*' }).TargetObject | Should -Be $fifo
        @(Get-ChildItem -LiteralPath $folder -Force -Filter '*.tmp') | Should -HaveCount 0
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'Test-Anomaly -Path a link to /dev/zero, piped scoring: NotARegularFile naming a link to a character device' {
        $r = Invoke-Bounded { param($m, $in) Test-Anomaly -Model $m -Path $in -ErrorAction Continue } $model, $zero
        $r.Finished | Should -BeTrue
        Get-ErrorIds $r | Should -Be @('NotARegularFile')
        $r.Errors[0].Exception.Message | Should -Match 'symbolic link to a character device'
    }

    It 'Test-Anomaly -Path a link to /dev/zero -OutputPath: NotARegularFile, the output is not written' {
        $out = Join-Path $folder 'zero.scored.csv'
        $r = Invoke-Bounded { param($m, $in, $out) Test-Anomaly -Model $m -Path $in -OutputPath $out -ErrorAction Continue } $model, $zero, $out
        $r.Finished | Should -BeTrue
        Get-ErrorIds $r | Should -Contain 'NotARegularFile'
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'Invoke-AutoencoderTraining -Path a FIFO: NotARegularFile at once' {
        $r = Invoke-Bounded { param($in) $n = New-Autoencoder -Seed 1; Invoke-AutoencoderTraining -Model $n -Path $in -Epochs 1 -ThreadCount 1 -ErrorAction Continue } $fifo
        $r.Finished | Should -BeTrue -Because 'the FIFO must not be waited on'
        Get-ErrorIds $r | Should -Contain 'NotARegularFile'
    }

    It 'Invoke-AutoencoderTraining -Path a link to /dev/zero: NotARegularFile' {
        $r = Invoke-Bounded { param($in) $n = New-Autoencoder -Seed 1; Invoke-AutoencoderTraining -Model $n -Path $in -Epochs 1 -ThreadCount 1 -ErrorAction Continue } $zero
        $r.Finished | Should -BeTrue
        Get-ErrorIds $r | Should -Contain 'NotARegularFile'
    }

    It 'Import-Autoencoder -Path a FIFO: NotARegularFile at once' {
        $r = Invoke-Bounded { param($in) Import-Autoencoder -LiteralPath $in -ErrorAction Continue } $fifo
        $r.Finished | Should -BeTrue -Because 'the FIFO must not be waited on'
        Get-ErrorIds $r | Should -Be @('NotARegularFile')
        $r.Errors[0].Exception.Message | Should -Match 'FIFO'
    }

    It 'Invoke-AnomalyScoring -ModelPath a FIFO: NotARegularFile at once, before its lock and state' {
        $out = Join-Path $folder 'fifomodel.job.csv'
        $r = Invoke-Bounded { param($model, $in, $out) Invoke-AnomalyScoring -ModelPath $model -Path $in -OutputPath $out -ThreadCount 1 -ErrorAction Continue } $fifo, $good, $out
        $r.Finished | Should -BeTrue -Because 'the FIFO must not be waited on'
        Get-ErrorIds $r | Should -Contain 'NotARegularFile'
        @(Get-ChildItem -LiteralPath $folder -Force -Filter 'fifomodel*') | Should -HaveCount 0
    }

    It 'Invoke-AnomalyScoring -Path a FIFO or a link to /dev/zero: a failed input (exit code 2) that says what the path is' {
        foreach ($case in @(@{ Path = $fifo; Says = 'FIFO' }, @{ Path = $zero; Says = 'symbolic link to a character device' })) {
            $out = Join-Path $folder "kind-$([guid]::NewGuid().ToString('N')).job.csv"
            $r = Invoke-Bounded { param($model, $in, $out) Invoke-AnomalyScoring -ModelPath $model -Path $in -OutputPath $out -ThreadCount 1 -ErrorAction Continue } $modelPath, $case.Path, $out
            $r.Finished | Should -BeTrue
            $r.Output[-1].ExitCode | Should -Be 2
            $r.Output[-1].FilesFailed | Should -Be 1
            Get-ErrorIds $r | Should -Be @('NotARegularFile')
            $r.Errors[0].Exception.Message | Should -Match $case.Says
            $r.Errors[0].TargetObject | Should -Be $case.Path
        }
    }
}

Describe 'An input line longer than 16 MiB' {
    BeforeAll {
        # Line 3 is 17 MiB of digits: no field count of the header, and far past any real row.
        $script:hugeRow = Join-Path $folder 'huge-row.csv'
        $text = [Text.StringBuilder]::new()
        $null = $text.Append((Get-Content -LiteralPath $good -TotalCount 2) -join "`n").Append("`n").Append('7' * (17MB)).Append("`n")
        [IO.File]::WriteAllText($hugeRow, $text.ToString())
        $script:hugeHeader = Join-Path $folder 'huge-header.csv'
        [IO.File]::WriteAllText($hugeHeader, ('h' * (17MB)) + "`n1`n")
    }

    It 'Test-Anomaly -Path (piped scoring): CsvRecordTooLong naming the file and line 3; the row before it is scored' {
        $r = Invoke-Bounded { param($m, $in) Test-Anomaly -Model $m -Path $in -ErrorAction Continue } $model, $hugeRow
        Get-ErrorIds $r | Should -Be @('CsvRecordTooLong')
        $r.Errors[0].Exception.Message | Should -BeLike "File '$hugeRow', line 3:*longer than 16,777,216 bytes*"
        @($r.Output) | Should -HaveCount 1
    }

    It 'Test-Anomaly -Path -OutputPath, a header line that long: CsvRecordTooLong naming line 1' {
        $out = Join-Path $folder 'huge.scored.csv'
        $r = Invoke-Bounded { param($m, $in, $out) Test-Anomaly -Model $m -Path $in -OutputPath $out -ErrorAction Continue } $model, $hugeHeader, $out
        Get-ErrorIds $r | Should -Contain 'CsvRecordTooLong'
        ($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'CsvRecordTooLong*' }).Exception.Message | Should -BeLike "File '$hugeHeader', line 1:*"
    }

    It 'Invoke-AutoencoderTraining -Path: CsvRecordTooLong naming the file and line 3' {
        $r = Invoke-Bounded { param($in) $n = New-Autoencoder -Seed 1; Invoke-AutoencoderTraining -Model $n -Path $in -Epochs 1 -ThreadCount 1 -ErrorAction Continue } $hugeRow
        Get-ErrorIds $r | Should -Contain 'CsvRecordTooLong'
        ($r.Errors | Where-Object { $_.FullyQualifiedErrorId -like 'CsvRecordTooLong*' }).Exception.Message | Should -BeLike "File '$hugeRow', line 3:*"
    }
}
