# Issue 3: real-world exports. Every file here is generated in code into TestDrive: a messy host-metric export with a
# timestamp, an ID column (GUIDs), a categorical Host column, three numeric metrics with gaps (NA, N/A, null, NaN,
# empty), and a free-text Message column whose quoted fields hold ',', ';', embedded quotes and a newline; one copy
# with a UTF-8 byte-order mark and CRLF line ends, one de-DE copy (';' and decimal commas), a latin1 file, a header-less
# file and a file with one garbage value.
#
# The main model is trained with -Loss Mse: with the default Mae loss the one-hot Host inputs are not learned at all
# (see the skipped test in 'why a row is anomalous'), so Host would dominate every explanation and hide what these
# tests check.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:invariant = [System.Globalization.CultureInfo]::InvariantCulture
    $script:german = [System.Globalization.CultureInfo]::GetCultureInfo('de-DE')
    $script:numericColumns = @('cpu_pct', 'mem_pct', 'latency_ms')
    $script:allColumns = @('Timestamp', 'Id', 'Host', 'cpu_pct', 'mem_pct', 'latency_ms', 'Message')
    $script:scoreColumns = @('AnomalyScore', 'IsAnomaly', 'AnomalyTopFeature', 'AnomalyExplanation', 'ImputedFeatures')

    function New-ExportRow {
        <#
        .SYNOPSIS
            Seeded rows of a messy host-metric export, as ordered dictionaries of typed values.
        .DESCRIPTION
            Timestamp (datetime, 7 minutes apart), Id (a GUID, distinct in every row), Host (web01..web04), cpu_pct,
            mem_pct, latency_ms (doubles with one decimal, correlated through one load factor) and Message (free text:
            about 70 distinct values; every 40th row quotes "hello" with ';' and ',', every 40th another spans two
            lines). Unless -NoGaps: missing values 'NA', '' (cpu_pct), 'N/A', 'NaN' (mem_pct), 'null' (latency_ms)
            and '' (Host) at fixed rows.
        #>
        param(
            [int] $Count = 120,
            [int] $Seed = 1,
            [datetime] $Start = [datetime]'2026-03-02T08:00:00',
            [string[]] $Hosts = @('web01', 'web02', 'web03', 'web04'),
            [switch] $NoGaps
        )
        $random = [System.Random]::new($Seed)
        for ($i = 0; $i -lt $Count; $i++) {
            $load = $random.NextDouble()
            $bytes = [byte[]]::new(16)
            $random.NextBytes($bytes)
            $message = switch ($i % 40) {
                3 { 'user said "hello"; then left, quietly' }
                7 { "first line`nsecond line; with ""quotes"", and a comma" }
                default { 'GET /api/items/{0} ok' -f ($i % 70) }
            }
            $row = [ordered]@{
                Timestamp  = $Start.AddMinutes(7 * $i)
                Id         = ([guid]::new($bytes)).ToString()
                Host       = $Hosts[$i % $Hosts.Count]
                cpu_pct    = [math]::Round(20 + 50 * $load + 4 * $random.NextDouble(), 1)
                mem_pct    = [math]::Round(40 + 20 * $load + 2 * $random.NextDouble(), 1)
                latency_ms = [math]::Round(80 + 120 * $load + 10 * $random.NextDouble(), 1)
                Message    = $message
            }
            if (-not $NoGaps) {
                if ($i % 17 -eq 5) { $row.cpu_pct = 'NA' }
                if ($i % 29 -eq 11) { $row.cpu_pct = '' }
                if ($i % 19 -eq 6) { $row.mem_pct = 'N/A' }
                if ($i % 31 -eq 13) { $row.mem_pct = 'NaN' }
                if ($i % 23 -eq 8) { $row.latency_ms = 'null' }
                if ($i % 37 -eq 17) { $row.Host = '' }
            }
            $row
        }
    }

    function ConvertTo-ExportText {
        # One value as an export writes it: numbers and dates in the culture.
        param($Value, [System.Globalization.CultureInfo] $Culture)
        if ($Value -is [double]) { $Value.ToString($Culture) }
        elseif ($Value -is [datetime]) { $Value.ToString($(if ($Culture.Name -eq 'de-DE') { 'dd.MM.yyyy HH:mm:ss' } else { 'yyyy-MM-dd HH:mm:ss' }), $Culture) }
        else { [string]$Value }
    }

    function Write-ExportCsv {
        # Writes rows as an export would: culture, delimiter, encoding (and BOM), line ends, header or not; quoting as RFC 4180.
        param(
            [string] $Path,
            [object[]] $Rows,
            [string] $Culture = '',
            [string] $Delimiter = ',',
            [System.Text.Encoding] $Encoding = [System.Text.UTF8Encoding]::new($false),
            [string] $NewLine = "`n",
            [switch] $NoHeader
        )
        $c = [System.Globalization.CultureInfo]::GetCultureInfo($Culture)
        $lines = [System.Collections.Generic.List[string]]::new()
        if (-not $NoHeader) { $lines.Add((@($Rows[0].Keys) -join $Delimiter)) }
        foreach ($row in $Rows) {
            $fields = foreach ($v in $row.Values) {
                $text = ConvertTo-ExportText $v $c
                if ($text.Contains($Delimiter) -or $text.Contains('"') -or $text.Contains("`n")) { '"' + $text.Replace('"', '""') + '"' } else { $text }
            }
            $lines.Add(($fields -join $Delimiter))
        }
        [System.IO.File]::WriteAllText($Path, ($lines -join $NewLine) + $NewLine, $Encoding)
    }

    function ConvertTo-RowObject {
        # A generated row as Import-Csv gives it: a PSCustomObject of text (invariant unless -Culture).
        param([System.Collections.Specialized.OrderedDictionary] $Row, [string] $Culture = '')
        $c = [System.Globalization.CultureInfo]::GetCultureInfo($Culture)
        $o = [ordered]@{}
        foreach ($k in $Row.Keys) { $o[$k] = ConvertTo-ExportText $Row[$k] $c }
        [pscustomobject]$o
    }

    function Get-LineOfRow {
        # The 1-based line where data row $Index (0-based) starts, counting newlines inside quoted fields.
        param([object[]] $Rows, [int] $Index, [switch] $NoHeader)
        $line = if ($NoHeader) { 1 } else { 2 }
        for ($k = 0; $k -lt $Index; $k++) {
            foreach ($v in $Rows[$k].Values) { if ($v -is [string]) { $line += ([regex]::Matches($v, "`n")).Count } }
            $line++
        }
        $line
    }

    function Get-Median {
        param([double[]] $Value)
        $sorted = [double[]]($Value | Sort-Object)
        $n = $sorted.Count
        if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2.0 }
    }

    function Test-Missing {
        # True for the generator's missing markers.
        param($Value)
        $Value -is [string] -and $Value -in @('', 'NA', 'N/A', 'null', 'NaN')
    }

    function Get-ExpectedImputed {
        # The feature columns of a row that scoring must impute, in feature order.
        param([System.Collections.Specialized.OrderedDictionary] $Row)
        @(foreach ($name in 'Host', 'cpu_pct', 'mem_pct', 'latency_ms') { if (Test-Missing $Row[$name]) { $name } })
    }

    function Get-FolderListing {
        param([string] $Path)
        @(Get-ChildItem -LiteralPath $Path -Force | Sort-Object Name | ForEach-Object Name)
    }

    function Get-Sha256 { param([string] $Path) (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }

    # --- the exports ---------------------------------------------------------------------------------------------------
    $script:exports = Join-Path $TestDrive 'exports'
    $script:elsewhere = Join-Path $TestDrive 'elsewhere'
    New-Item -ItemType Directory -Path $exports, $elsewhere | Out-Null
    $script:rowsA = @(New-ExportRow -Count 120 -Seed 1)
    $script:rowsB = @(New-ExportRow -Count 120 -Seed 2 -Start ([datetime]'2026-03-03T08:00:00'))
    $script:fileA = Join-Path $exports 'hosts-a.csv'   # UTF-8 with BOM, CRLF
    $script:fileB = Join-Path $exports 'hosts-b.csv'   # UTF-8 without BOM, LF
    Write-ExportCsv $fileA $rowsA -Encoding ([System.Text.UTF8Encoding]::new($true)) -NewLine "`r`n"
    Write-ExportCsv $fileB $rowsB
    $script:fileDe = Join-Path $elsewhere 'hosts-de.csv'   # the rows of hosts-a.csv as a de-DE export
    Write-ExportCsv $fileDe $rowsA -Culture de-DE -Delimiter ';' -NewLine "`r`n"

    # The main model: trained on both invariant files through a wildcard.
    $script:m = New-Autoencoder -HiddenLayer 16, 8 -Seed 5
    $script:trainErrors = $null
    # The seed recipe's threshold (mean + 1 std): these tests are about explanations of a lightly trained model, and
    # its moderate spike must be above the threshold (the default 99th percentile is stricter).
    $null = Invoke-AutoencoderTraining -Model $m -Path (Join-Path $exports 'hosts-*.csv') -Epochs 10 -BatchSize 32 -LearningRate 0.01 `
        -Loss Mse -ThresholdMethod MeanStd -ThreadCount 1 -ErrorVariable script:trainErrors
    $script:trainingRows = @($rowsA) + @($rowsB)

    function Get-Column { param([string] $Name) $m.FeatureColumns | Where-Object Name -eq $Name }
}

Describe 'Real-world exports: reading files' {
    Context '-Path with a wildcard over several files, byte-order mark, quoted fields' {
        It 'trains on every row of every matching file, without errors' {
            $trainErrors | Should -HaveCount 0
            $m.IsTrained | Should -BeTrue
            $m.Training.Rows | Should -Be 240
        }

        It 'reads the header of the BOM file cleanly (no BOM character in the first column name)' {
            @($m.Schema.Ignored.Name) | Should -Be @('Timestamp', 'Id', 'Message')
            @($m.Features) | Should -Be @('Host', 'cpu_pct', 'mem_pct', 'latency_ms')
            $scored = @(Test-Anomaly -Model $m -Path $fileA)
            @($scored[0].PSObject.Properties.Name | Select-Object -First 7) | Should -Be $allColumns
        }

        It 'keeps quoted fields with '','' '';'' embedded quotes and a newline as one value each' {
            $scored = @(Test-Anomaly -Model $m -Path $fileA)
            $scored | Should -HaveCount 120
            $scored.Message | Should -Be @($rowsA | ForEach-Object { $_.Message })
            $scored[7].Message | Should -BeExactly "first line`nsecond line; with ""quotes"", and a comma"
            $scored.Id | Should -Be @($rowsA | ForEach-Object { $_.Id })
        }

        It 'scores several files given to -Path as an array, in order' {
            $scored = @(Test-Anomaly -Model $m -Path $fileB, $fileA)
            $scored | Should -HaveCount 240
            $scored[0].Id | Should -Be $rowsB[0].Id
            $scored[120].Id | Should -Be $rowsA[0].Id
        }

        It '-LiteralPath reads a file whose name holds wildcard characters; -Path does not match it' {
            $literal = Join-Path $elsewhere 'export[1].csv'
            Copy-Item -LiteralPath $fileB -Destination $literal
            $scored = @(Test-Anomaly -Model $m -LiteralPath $literal)
            $scored | Should -HaveCount 120
            $errs = $null
            $none = @(Test-Anomaly -Model $m -Path $literal -ErrorVariable errs -ErrorAction SilentlyContinue)
            $none | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        }

        It 'a missing file is a non-terminating InputFileNotFound error naming it; the other files are read' {
            $missing = Join-Path $exports 'no-such-export.csv'
            $errs = $null
            $scored = @(Test-Anomaly -Model $m -LiteralPath $missing, $fileB -ErrorVariable errs -ErrorAction SilentlyContinue)
            $scored | Should -HaveCount 120
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
            $errs[0].ToString() | Should -Match 'no-such-export\.csv'
        }
    }

    Context "Windows PowerShell's Export-Csv: a #TYPE line above the header" {
        BeforeAll {
            # Export-Csv and ConvertTo-Csv of Windows PowerShell 5.1 write this line first unless told -NoTypeInformation.
            $script:typeLine = '#TYPE System.Management.Automation.PSCustomObject'
            $script:typed = Join-Path $elsewhere 'typed.csv'
            [System.IO.File]::WriteAllText($typed, "$typeLine`r`n" + [System.IO.File]::ReadAllText($fileB))
        }

        It 'Test-Anomaly -Path reads the rows under the header below it, as Import-Csv does, with the same scores' {
            $errs = $null
            $scored = @(Test-Anomaly -Model $m -Path $typed -ErrorVariable errs)
            $errs | Should -HaveCount 0
            $scored | Should -HaveCount 120
            $scored.Id | Should -Be @($rowsB | ForEach-Object { $_.Id })
            $scored.AnomalyScore | Should -Be @(Test-Anomaly -Model $m -Path $fileB).AnomalyScore
        }

        It 'Test-Anomaly -OutputPath writes what it writes for the file without the line' {
            $plain, $fromTyped = (Join-Path $elsewhere 'plain-out.csv'), (Join-Path $elsewhere 'typed-out.csv')
            Test-Anomaly -Model $m -Path $fileB -OutputPath $plain
            Test-Anomaly -Model $m -Path $typed -OutputPath $fromTyped
            Get-Content -LiteralPath $fromTyped -Raw | Should -BeExactly (Get-Content -LiteralPath $plain -Raw)
        }

        It 'training with -Path takes the same rows and features' {
            $t = New-Autoencoder -HiddenLayer 4 -Seed 1
            $errs = $null
            $null = Invoke-AutoencoderTraining -Model $t -Path $typed -Epochs 1 -ThreadCount 1 -ErrorVariable errs
            $errs | Should -HaveCount 0
            $t.Training.Rows | Should -Be 120
            @($t.Features) | Should -Be @($m.Features)
        }

        It 'the scheduled job (Invoke-AnomalyScoring) scores every row' {
            $folder = Join-Path $elsewhere 'typed-job'
            New-Item -ItemType Directory -Path $folder | Out-Null
            $modelFile = Join-Path $folder 'm.aemodel'
            Export-Autoencoder -Model $m -Path $modelFile
            $export = Join-Path $folder 'export.csv'
            Copy-Item -LiteralPath $typed -Destination $export
            $run = Invoke-AnomalyScoring -ModelPath $modelFile -Path $export -OutputPath (Join-Path $folder 'out.csv') -ThreadCount 1
            $run.RowsScored | Should -Be 120
            $run.RowsRejected | Should -Be 0
            @(Import-Csv -LiteralPath (Join-Path $folder 'out.csv')).Id | Should -Be @($rowsB | ForEach-Object { $_.Id })
        }

        It 'with -Header (a file without a header row) the line is skipped too' {
            $headerless = Join-Path $elsewhere 'typed-headerless.csv'
            $lines = [System.IO.File]::ReadAllLines($fileB)
            $names = @($lines[0].Split(',') | ForEach-Object { $_.Trim('"') })
            # Split and joined again by lines: a quoted message's line break stays inside its quotes.
            [System.IO.File]::WriteAllLines($headerless, @($typeLine) + @($lines | Select-Object -Skip 1))
            $scored = @(Test-Anomaly -Model $m -Path $headerless -Header $names)
            $scored | Should -HaveCount 120
            $scored.AnomalyScore | Should -Be @(Test-Anomaly -Model $m -Path $fileB).AnomalyScore
        }

        It 'a generic type''s line, whose name holds commas, is skipped too (Test-Anomaly -Path and -OutputPath, the scheduled job)' {
            # Export-Csv writes the type name as it is: a KeyValuePair's (a hashtable's GetEnumerator()) splits into fields.
            $generic = Join-Path $elsewhere 'typed-generic.csv'
            $name = 'System.Collections.Generic.KeyValuePair`2[[System.String, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089],[System.Double, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089]]'
            [System.IO.File]::WriteAllText($generic, "#TYPE $name`r`n" + [System.IO.File]::ReadAllText($fileB))
            $errs = $null
            $scored = @(Test-Anomaly -Model $m -Path $generic -ErrorVariable errs)
            $errs | Should -HaveCount 0
            $scored.AnomalyScore | Should -Be @(Test-Anomaly -Model $m -Path $fileB).AnomalyScore
            $plain, $fromGeneric = (Join-Path $elsewhere 'plain-out-g.csv'), (Join-Path $elsewhere 'generic-out.csv')
            Test-Anomaly -Model $m -Path $fileB -OutputPath $plain
            Test-Anomaly -Model $m -Path $generic -OutputPath $fromGeneric
            Get-Content -LiteralPath $fromGeneric -Raw | Should -BeExactly (Get-Content -LiteralPath $plain -Raw)
            $folder = Join-Path $elsewhere 'generic-job'
            New-Item -ItemType Directory -Path $folder | Out-Null
            Export-Autoencoder -Model $m -Path (Join-Path $folder 'm.aemodel')
            $run = Invoke-AnomalyScoring -ModelPath (Join-Path $folder 'm.aemodel') -Path $generic -OutputPath (Join-Path $folder 'out.csv') -ThreadCount 1
            $run.RowsScored | Should -Be 120
            $run.RowsRejected | Should -Be 0
        }

        It 'a file with only the line is EmptyCsvFile, saying so' {
            $only = Join-Path $elsewhere 'typed-only.csv'
            [System.IO.File]::WriteAllText($only, "$typeLine`n")
            $errs = $null
            $none = @(Test-Anomaly -Model $m -Path $only -ErrorVariable errs -ErrorAction SilentlyContinue)
            $none | Should -HaveCount 0
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'EmptyCsvFile,*'
            $errs[0].ToString() | Should -Match '#TYPE line'
        }

        It 'a #TYPE line anywhere but first is a row like any other (a bad one)' {
            $late = Join-Path $elsewhere 'typed-late.csv'
            $lines = [System.IO.File]::ReadAllLines($fileB)
            [System.IO.File]::WriteAllLines($late, @($lines[0], $typeLine) + @($lines | Select-Object -Skip 1))
            $errs = $null
            $scored = @(Test-Anomaly -Model $m -Path $late -ErrorVariable errs -ErrorAction SilentlyContinue)
            $scored | Should -HaveCount 120
            $errs | Should -HaveCount 1
        }
    }

    Context 'culture, delimiter, encoding and header' {
        BeforeAll {
            # The same rows and settings, once as an invariant export and once as a de-DE one.
            $script:fromInvariant = New-Autoencoder -HiddenLayer 8, 4 -Seed 21
            $null = Invoke-AutoencoderTraining -Model $fromInvariant -Path $fileA -Epochs 2 -BatchSize 32
            $script:fromGerman = New-Autoencoder -HiddenLayer 8, 4 -Seed 21
            $null = Invoke-AutoencoderTraining -Model $fromGerman -Path $fileDe -Culture de-DE -Epochs 2 -BatchSize 32
        }

        It '-Culture de-DE reads '';'' and decimal commas: the model equals one trained on the invariant export' {
            @($fromGerman.Features) | Should -Be @($fromInvariant.Features)
            foreach ($name in $numericColumns) {
                $g = $fromGerman.FeatureColumns | Where-Object Name -eq $name
                $i = $fromInvariant.FeatureColumns | Where-Object Name -eq $name
                $g.Median | Should -Be $i.Median
                $g.Statistics.Min | Should -Be $i.Statistics.Min
                $g.Statistics.Max | Should -Be $i.Statistics.Max
                $g.Statistics.Missing | Should -Be $i.Statistics.Missing
            }
            Get-DoubleBits $fromGerman.Threshold | Should -Be (Get-DoubleBits $fromInvariant.Threshold)
        }

        It 'reads de-DE timestamps as timestamps (left out as such)' {
            ($fromGerman.Schema.Ignored | Where-Object Name -eq 'Timestamp').Reason | Should -Match '^timestamp'
        }

        It 'scores the de-DE export exactly as the invariant one, with or without an explicit -Delimiter' {
            $expected = @(Test-Anomaly -Model $m -Path $fileA).AnomalyScore
            $implicit = @(Test-Anomaly -Model $m -Path $fileDe -Culture de-DE).AnomalyScore
            $explicit = @(Test-Anomaly -Model $m -Path $fileDe -Culture de-DE -Delimiter ';').AnomalyScore
            $implicit | Should -HaveCount 120
            Get-DoubleBits $implicit | Should -Be (Get-DoubleBits $expected)
            Get-DoubleBits $explicit | Should -Be (Get-DoubleBits $expected)
        }

        It 'Import-Csv -Delimiter '';'' | Test-Anomaly -Culture de-DE scores as -Path does' {
            $expected = @(Test-Anomaly -Model $m -Path $fileDe -Culture de-DE).AnomalyScore
            $piped = @(Import-Csv -LiteralPath $fileDe -Delimiter ';' | Test-Anomaly -Model $m -Culture de-DE).AnomalyScore
            Get-DoubleBits $piped | Should -Be (Get-DoubleBits $expected)
        }

        It 'without -Culture a decimal comma is an InvalidFeatureValue error, never a misread number' {
            $errs = $null
            $scored = @(Test-Anomaly -Model $m -Path $fileDe -Delimiter ';' -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs.Count | Should -BeGreaterThan 100
            $scored.Count + $errs.Count | Should -Be 120
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
            $errs[0].ToString() | Should -Match "'34,9'"
        }

        It 'training on the de-DE export without -Culture warns that its decimal commas are not read, naming -Culture' {
            # Without the warning the model silently trains on Host alone: the metrics are too many distinct strings.
            $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 21
            $warnings = @()
            $null = Invoke-AutoencoderTraining -Model $model -Path $fileDe -Delimiter ';' -Epochs 1 -ThreadCount 1 -WarningVariable warnings -WarningAction SilentlyContinue
            @($model.Features) | Should -Be @('Host')
            $warning = "$(@($warnings | Where-Object { "$_" -like 'Left out of the features, as their numbers can''t be read:*' })[0])"
            foreach ($name in $numericColumns) { $warning | Should -Match "'$name' \(numbers written as '\d+,\d', which the invariant culture does not read: give the file's culture with -Culture \(for example de-DE\)\)" }
            ($model.Schema.Ignored | Where-Object Name -EQ 'cpu_pct').Reason | Should -Match '^numbers written as'
        }

        It '-Encoding latin1 reads ''ü'' in host names; the categories match the same hosts read from UTF-8' {
            $hosts = @('mühle01', 'mühle02')
            $rows = @(New-ExportRow -Count 40 -Seed 11 -Hosts $hosts -NoGaps)
            $latin1 = Join-Path $elsewhere 'latin1.csv'
            $utf8 = Join-Path $elsewhere 'utf8.csv'
            Write-ExportCsv $latin1 $rows -Encoding ([System.Text.Encoding]::Latin1)
            Write-ExportCsv $utf8 $rows
            [array]::IndexOf([System.IO.File]::ReadAllBytes($latin1), [byte]0xFC) | Should -BeGreaterThan -1   # the premise: 'ü' as one latin1 byte

            $model = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $null = Invoke-AutoencoderTraining -Model $model -Path $latin1 -Encoding latin1 -Epochs 1
            $hostColumn = $model.FeatureColumns | Where-Object Name -eq 'Host'
            @($hostColumn.Categories) | Should -BeExactly $hosts

            $scored = @(Test-Anomaly -Model $model -Path $utf8 -TopFeatureCount 4)
            $scored | Should -HaveCount 40
            $observed = @($scored | ForEach-Object { ($_.AnomalyContributions | Where-Object Feature -eq 'Host').Observed })
            $observed | Should -BeExactly @($rows | ForEach-Object { $_.Host })
        }

        It 'without -Encoding latin1 the rows whose bytes are not UTF-8 are refused, each naming -Encoding (the option matters)' {
            # Before, they were read with U+FFFD for the bytes: other host names, learnt as categories without a word.
            $latin1 = Join-Path $elsewhere 'latin1.csv'
            $model = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $problems = @()
            try { $null = Invoke-AutoencoderTraining -Model $model -Path $latin1 -Epochs 1 -ErrorVariable problems -ErrorAction SilentlyContinue } catch { $problems += $_ }
            $notUtf8 = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'InputNotUtf8,*' })
            $notUtf8.Count | Should -BeGreaterThan 0
            "$($notUtf8[0])" | Should -BeLike '*-Encoding*'
            if ($model.IsTrained) { @(($model.FeatureColumns | Where-Object Name -eq 'Host').Categories) -join ',' | Should -Not -Match ([char]0xFFFD) }
        }

        It '-Header reads a file without a header row: same scores as the file with one, lines counted from 1' {
            $rows = @(New-ExportRow -Count 30 -Seed 12 -NoGaps)
            $rows[20].latency_ms = 'slow'
            $headed = Join-Path $elsewhere 'headed.csv'
            $bare = Join-Path $elsewhere 'bare.csv'
            Write-ExportCsv $headed $rows
            Write-ExportCsv $bare $rows -NoHeader
            $errsHeaded = $null; $errsBare = $null
            $expected = @(Test-Anomaly -Model $m -Path $headed -ErrorVariable errsHeaded -ErrorAction SilentlyContinue)
            $actual = @(Test-Anomaly -Model $m -Path $bare -Header $allColumns -ErrorVariable errsBare -ErrorAction SilentlyContinue)
            $actual | Should -HaveCount 29
            Get-DoubleBits $actual.AnomalyScore | Should -Be (Get-DoubleBits $expected.AnomalyScore)
            $actual.Id | Should -Be $expected.Id
            $errsBare | Should -HaveCount 1
            $errsBare[0].ToString() | Should -Match "line $(Get-LineOfRow $rows 20 -NoHeader):"
            $errsHeaded[0].ToString() | Should -Match "line $(Get-LineOfRow $rows 20):"
        }
    }
}

Describe 'Real-world exports: column roles' {
    It 'Host (few distinct strings) is a categorical feature with its categories' {
        $hostColumn = Get-Column 'Host'
        $hostColumn.Role | Should -Be ([AutoencoderPS.Engine.Features.ColumnRole]::Categorical)
        @($hostColumn.Categories) | Should -Be @('web01', 'web02', 'web03', 'web04')
        $hostColumn.Width | Should -Be 5   # four hosts and the "(other)" slot
        $hostColumn.Statistics.Distinct | Should -Be 4
    }

    It 'the metrics are numeric features with their training statistics' {
        foreach ($name in $numericColumns) {
            $column = Get-Column $name
            $present = [double[]]@($trainingRows | ForEach-Object { $_[$name] } | Where-Object { $_ -is [double] })
            $column.Role | Should -Be ([AutoencoderPS.Engine.Features.ColumnRole]::Numeric)
            $column.Statistics.Count | Should -Be 240
            $column.Statistics.Min | Should -Be ($present | Measure-Object -Minimum).Minimum
            $column.Statistics.Max | Should -Be ($present | Measure-Object -Maximum).Maximum
        }
        $m.Layers | Should -Be '8-16-8-16-8'
    }

    It 'the ID column (GUIDs), the free-text Message and the timestamp are left out, each with its reason' {
        $reasons = @{}
        foreach ($ignored in $m.Schema.Ignored) { $reasons[$ignored.Name] = $ignored.Reason }
        $reasons['Id'] | Should -Match 'identifier-like: 240 distinct values in 240 rows'
        $reasons['Message'] | Should -Match 'text with \d+ distinct values, too many for a category'
        $reasons['Timestamp'] | Should -Match '^timestamp.*-TimeFeatures'
        $m.Features | Should -Not -Contain 'Id'
        $m.Features | Should -Not -Contain 'Message'
        $m.Features | Should -Not -Contain 'Timestamp'
    }

    It 'the roles show in the model''s formatted view' {
        $text = $m.FeatureColumns | Format-Table | Out-String
        $text | Should -Match 'Host\s+Categorical'
        $text | Should -Match 'cpu_pct\s+Numeric'
        ($m | Out-String -Width 1000) | Should -Match 'Id \(identifier-like'
    }

    It 'New-Autoencoder -TimeFeatures adds the timestamp as a feature (hour of day, day of week)' {
        $model = New-Autoencoder -HiddenLayer 8, 4 -Seed 4 -TimeFeatures
        $null = Invoke-AutoencoderTraining -Model $model -Path $fileA -Epochs 1
        @($model.Features) | Should -Be @('Timestamp', 'Host', 'cpu_pct', 'mem_pct', 'latency_ms')
        $timestamp = $model.FeatureColumns | Where-Object Name -eq 'Timestamp'
        $timestamp.Role | Should -Be ([AutoencoderPS.Engine.Features.ColumnRole]::Timestamp)
        $timestamp.Width | Should -Be 4
        $timestamp.Statistics.First | Should -Be $rowsA[0].Timestamp
        $timestamp.Statistics.Last | Should -Be $rowsA[-1].Timestamp
        $model.Layers | Should -Be '12-8-4-8-12'
        $model.Schema.Ignored.Name | Should -Not -Contain 'Timestamp'

        # 2026-03-02 is a Monday; the first row is at 08:00.
        $first = @(Test-Anomaly -Model $model -Path $fileA -TopFeatureCount 5)[0]
        ($first.AnomalyContributions | Where-Object Feature -eq 'Timestamp').Observed | Should -Be 'Mon 08:00'
    }

    It '-ExcludeFeature and -Feature override the inferred roles' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 4 -ExcludeFeature Host
        $null = Invoke-AutoencoderTraining -Model $model -Path $fileA -Epochs 1
        @($model.Features) | Should -Be $numericColumns
        ($model.Schema.Ignored | Where-Object Name -eq 'Host').Reason | Should -Be 'excluded by the user'

        $named = New-Autoencoder -HiddenLayer 4, 2 -Seed 4 -Feature latency_ms, Host
        $null = Invoke-AutoencoderTraining -Model $named -Path $fileA -Epochs 1
        @($named.Features) | Should -Be @('latency_ms', 'Host')
    }

    It 'a cumulative counter (bytes sent since start) is left out with a warning, so later rows are not all anomalies' {
        $random = [Random]::new(11)
        $total = 5.0e8
        $rows = foreach ($i in 0..1199) {
            $cpu = 40 + 10 * $random.NextDouble()
            $total += [math]::Round(1000 * $cpu + 500 * $random.NextDouble())
            [pscustomobject]@{ cpu_pct = [math]::Round($cpu, 2); mem_pct = [math]::Round(60 + 5 * $random.NextDouble(), 2); bytes_sent = $total }
        }
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 4
        $warnings = @()
        $rows[0..599] | Invoke-AutoencoderTraining -Model $model -Epochs 5 -ThreadCount 1 -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        @($model.Features) | Should -Be @('cpu_pct', 'mem_pct')
        ($model.Schema.Ignored | Where-Object Name -EQ 'bytes_sent').Reason | Should -Match '^a cumulative counter: it only rises'
        "$(@($warnings | Where-Object { "$_" -like 'Left out of the features:*' })[0])" | Should -Match "'bytes_sent' \(a cumulative counter"
        # Every later value of the counter lies beyond the training rows; left out, it flags no more than the rule says.
        $flagged = @($rows[600..1199] | Test-Anomaly -Model $model -ThreadCount 1 | Where-Object IsAnomaly).Count
        $flagged | Should -BeLessThan 30
        # Named with -Feature, it is used as the user says (and then every later row lies beyond its range).
        $named = New-Autoencoder -HiddenLayer 4, 2 -Seed 4 -Feature cpu_pct, bytes_sent
        $rows[0..599] | Invoke-AutoencoderTraining -Model $named -Epochs 5 -ThreadCount 1 | Out-Null
        @($named.Features) | Should -Be @('cpu_pct', 'bytes_sent')
        @($rows[600..1199] | Test-Anomaly -Model $named -ThreadCount 1 | Where-Object IsAnomaly).Count | Should -BeGreaterThan 500
    }

    It 'a sliding-window model takes a counter''s rate per host: a burst of traffic alerts, a restart and a 32-bit wrap do not' {
        # Two hosts a minute apart, interleaved: web's 32-bit counter wraps now and then, db's is reset once (a restart).
        function New-CounterRows([int] $From, [int] $To, [int] $Seed, [int] $BurstFrom = -1) {
            $random = [Random]::new($Seed)
            $totals = @{ web = 4.29e9; db = 1.0e6 }
            foreach ($i in 0..($To - 1)) {
                foreach ($h in 'web', 'db') {
                    $rate = (1000 + 300 * [math]::Sin(2 * [math]::PI * $i / 120) + 40 * $random.NextDouble()) * ($(if ($h -eq 'web') { 1 } else { 0.2 }))
                    if ($h -eq 'web' -and $i -ge $BurstFrom -and $i -lt $BurstFrom + 10 -and $BurstFrom -ge 0) { $rate *= 3 }
                    $totals[$h] = ($totals[$h] + 60 * $rate) % 4294967296
                    if ($h -eq 'db' -and $i -eq $From + 100) { $totals[$h] = 0 }
                    if ($i -ge $From) {
                        [pscustomobject]@{ time = [datetime]'2026-03-02' + [timespan]::FromMinutes($i); host = $h
                            cpu = [math]::Round(30 + 0.01 * $rate + $random.NextDouble(), 2); bytes_in = [math]::Round($totals[$h]) }
                    }
                }
            }
        }
        $training = @(New-CounterRows 0 600 1)
        $model = New-Autoencoder -HiddenLayer 8, 3 -Seed 4 -WindowSize 6 -TimeProperty time -GroupBy host
        $verbose = $training | Invoke-AutoencoderTraining -Model $model -ThreadCount 1 -Verbose 4>&1 3>&1
        $counter = $model.FeatureColumns | Where-Object Name -EQ 'bytes_in'
        $counter.IsCounter | Should -BeTrue
        "$($verbose | Where-Object { "$_" -like "Column 'bytes_in'*" })" | Should -Match 'increase per second of a cumulative counter'
        @($verbose | Where-Object { "$_" -like 'Left out of the features:*' }).Count | Should -Be 0
        # Its statistics are rates per second (web about 1000, db about 200), the wraps counted on.
        $counter.Statistics.Max | Should -BeLessThan 1500
        (Get-AutoencoderFeature -Model $model | Out-String) | Should -Match 'bytes_in\s+Numeric \(rate\)'

        $path = Join-Path $TestDrive 'counter.aemodel'
        Export-Autoencoder -Model $model -Path $path
        $back = Import-Autoencoder -Path $path
        $test = @(New-CounterRows 600 900 2 -BurstFrom 800)
        $scored = @($test | ForEach-Object { $_.psobject.Copy() } | Test-Anomaly -Model $back -ThreadCount 1)
        $alerts = @($scored | Where-Object IsAlert)
        # The burst on web alerts, explained by the counter's rate; db's restart (row 700) is filled in, not an anomaly.
        @($alerts | Where-Object { $_.host -eq 'web' -and $_.time -ge ([datetime]'2026-03-02').AddMinutes(800) -and $_.time -lt ([datetime]'2026-03-02').AddMinutes(816) }).Count | Should -Be 1
        ($alerts | Where-Object host -EQ 'web' | Select-Object -First 1).AnomalyExplanation | Should -Match '^bytes_in \(t(-\d)?\) rate '
        $restart = $scored | Where-Object { $_.host -eq 'db' -and $_.time -eq ([datetime]'2026-03-02').AddMinutes(700) }
        $restart.ImputedFeatures | Should -Be @('bytes_in')
        @($scored | Where-Object { $_.host -eq 'db' -and $_.IsAnomaly -and $_.time -ge ([datetime]'2026-03-02').AddMinutes(700) -and $_.time -lt ([datetime]'2026-03-02').AddMinutes(706) }).Count | Should -Be 0
        $alerts.Count | Should -BeLessOrEqual 3

        # The scheduled job in two runs: the same scores as one Test-Anomaly, the counters' last values kept in its state.
        $csv = Join-Path $TestDrive 'counter-export.csv'
        $test[0..299] | Export-Csv $csv -NoTypeInformation
        $out = Join-Path $TestDrive 'counter-scored.csv'
        $state = Join-Path $TestDrive 'counter.state'
        Invoke-AnomalyScoring -ModelPath $path -Path $csv -OutputPath $out -StatePath $state | Out-Null
        $test[300..($test.Count - 1)] | Export-Csv $csv -NoTypeInformation -Append
        Invoke-AnomalyScoring -ModelPath $path -Path $csv -OutputPath $out -StatePath $state | Out-Null
        $job = @(Import-Csv $out)
        $job.Count | Should -Be $scored.Count
        for ($i = 0; $i -lt $job.Count; $i += 7) {
            if ($scored[$i].AnomalyStatus -eq 'Scored') {
                [math]::Abs([double]$job[$i].AnomalyScore - $scored[$i].AnomalyScore) | Should -BeLessOrEqual (1e-12 * $scored[$i].AnomalyScore) -Because "row $i"
            }
        }
        @($job | Where-Object { $_.ImputedFeatures -eq 'bytes_in' }).Count | Should -Be @($scored | Where-Object { $_.ImputedFeatures -contains 'bytes_in' }).Count

        # Recalibrating on normal rows and training further read the counter as a rate too (as levels, far beyond the
        # scaling's range, the 99th percentile of normal rows would leap and every row after further training would be flagged).
        $normal = @(New-CounterRows 900 1200 3)
        $normal | Set-AutoencoderThreshold -Model $back -Method Percentile -Value 99
        $back.Threshold | Should -BeLessThan (3 * $model.Threshold)
        $normal | Invoke-AutoencoderTraining -Model $back -Incremental -ThreadCount 1 | Out-Null
        ($back.FeatureColumns | Where-Object Name -EQ 'bytes_in').IsCounter | Should -BeTrue
        @(New-CounterRows 1200 1500 4 | Test-Anomaly -Model $back -ThreadCount 1 -Calibration None | Where-Object IsAnomaly).Count | Should -BeLessThan 30
    }

    It 'a long export (one metric per row) warns in training; pivoted as about_AutoencoderPS shows, it trains without the warning' {
        # Windows of such rows mixed metrics (cpu, mem, cpu, mem...) and the trial's incidents were missed, with no word.
        $t0 = [datetime]::new(2026, 12, 1, 0, 0, 0)
        $random = [System.Random]::new(5)
        $long = foreach ($i in 0..299) {
            foreach ($h in 'web01', 'web02') {
                $load = 0.5 + 0.4 * [math]::Sin(2 * [math]::PI * $i / 288)
                [pscustomobject]@{ time = $t0.AddMinutes(5 * $i).ToString('s'); host = $h; metric = 'cpu'; value = [math]::Round(20 + 60 * $load + $random.NextDouble(), 2) }
                [pscustomobject]@{ time = $t0.AddMinutes(5 * $i).ToString('s'); host = $h; metric = 'mem'; value = [math]::Round(40 + 10 * $load + $random.NextDouble(), 2) }
            }
        }
        $m = New-Autoencoder -HiddenLayer 8, 4 -WindowSize 4 -TimeProperty time -GroupBy host -Feature value -Seed 1
        $long | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable said -WarningAction SilentlyContinue | Out-Null
        $shared = @($said | Where-Object { "$_" -like '*same time as the row before them*' })
        $shared | Should -HaveCount 1
        "$($shared[0])" | Should -BeLike "*600 of the 1,200 training rows*group ('host')*Pivot*Long exports*"

        # The about topic's recipe, as written there (from a file), on rows whose first time lacks a metric (web01's first
        # cpu is left out): Export-Csv takes its columns from the first object, and a first recipe lost cpu for good.
        $file = Join-Path $TestDrive 'long.csv'
        $long | Select-Object -Skip 1 | Export-Csv -LiteralPath $file -UseQuotes AsNeeded
        $rows = Import-Csv $file
        $metrics = $rows.metric | Sort-Object -Unique
        $wide = @($rows | Group-Object time, host | ForEach-Object {
                $row = [ordered]@{ time = $_.Group[0].time; host = $_.Group[0].host }
                foreach ($name in $metrics) { $row[$name] = $null }
                foreach ($m in $_.Group) { $row[$m.metric] = $m.value }
                [pscustomobject]$row
            })
        $wide | Should -HaveCount 600
        @($wide[0].PSObject.Properties.Name) -join ',' | Should -Be 'time,host,cpu,mem'
        $w = New-Autoencoder -HiddenLayer 8, 4 -WindowSize 4 -TimeProperty time -GroupBy host -Seed 1
        $wide | Invoke-AutoencoderTraining -Model $w -Epochs 1 -ThreadCount 1 -WarningVariable said -WarningAction SilentlyContinue | Out-Null
        @($said | Where-Object { "$_" -like '*same time as the row before them*' }) | Should -HaveCount 0
        @($w.FeatureColumns.Name) -join ',' | Should -Be 'cpu,mem'
    }

    It 'ids the tools write as Id or one lower-case word (Get-Process, Zabbix itemid) and Zabbix''s clock are no measurements' {
        # Windows PowerShell's Get-Process | Export-Csv has Id (the process id); Zabbix's history export is
        # itemid,clock,value,ns (clock in epoch seconds). Before, Id and itemid were numeric features: explanations read
        # 'itemid 23296 (expected 23298)'.
        $random = [System.Random]::new(3)
        $clock0 = [long]1764547200
        $zabbix = for ($i = 0; $i -lt 300; $i++) {
            [pscustomobject]@{ itemid = 23296 + ($i % 3); clock = $clock0 + 60 * [math]::Floor($i / 3); value = [math]::Round(50 + 10 * $random.NextDouble(), 2); ns = $random.Next(0, 999999999) }
        }
        $z = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        $null = $zabbix | Invoke-AutoencoderTraining -Model $z -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue
        @($z.Features) | Should -Not -Contain 'itemid'
        @($z.Features) | Should -Not -Contain 'clock'
        @($z.Features) | Should -Contain 'value'
        ($z.Schema.Ignored | Where-Object Name -eq 'itemid').Reason | Should -Match 'an id'
        ($z.Schema.Ignored | Where-Object Name -eq 'clock').Reason | Should -Match 'epoch seconds'

        $processes = for ($i = 0; $i -lt 60; $i++) {
            [pscustomobject]@{ Id = $random.Next(100, 60000); CPU = [math]::Round(10 * $random.NextDouble(), 2); WorkingSet = 100000 + $random.Next(0, 50000) }
        }
        $p = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
        $null = $processes | Invoke-AutoencoderTraining -Model $p -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue
        @($p.Features) -join ',' | Should -Be 'CPU,WorkingSet'
    }

    It '-Feature naming a column the files lack is a terminating MissingFeatureColumn error naming it' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 4 -Feature cpu_pct, disk_iops
        $caught = $null
        try { Invoke-AutoencoderTraining -Model $model -Path $fileA -Epochs 1 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'MissingFeatureColumn,*'
        $caught.ToString() | Should -Match "'disk_iops'"
        $model.IsTrained | Should -BeFalse
    }
}

Describe 'Real-world exports: the model file' {
    It 'Export-Autoencoder / Import-Autoencoder keep roles, categories, medians, ignored columns and the threshold source' {
        $path = Join-Path $TestDrive 'messy.aemodel'
        Export-Autoencoder -Model $m -Path $path
        $back = Import-Autoencoder -Path $path
        @($back.FeatureColumns.Name) | Should -Be @($m.FeatureColumns.Name)
        for ($i = 0; $i -lt $m.FeatureColumns.Count; $i++) {
            $a = $m.FeatureColumns[$i]; $b = $back.FeatureColumns[$i]
            $b.Role | Should -Be $a.Role
            @($b.Categories) | Should -Be @($a.Categories)
            $b.Median | Should -Be $a.Median
            $b.Mode | Should -Be $a.Mode
            $b.Statistics.Missing | Should -Be $a.Statistics.Missing
        }
        @($back.Schema.Ignored | ForEach-Object { "$($_.Name): $($_.Reason)" }) | Should -Be @($m.Schema.Ignored | ForEach-Object { "$($_.Name): $($_.Reason)" })
        $back.ThresholdSource | Should -Be $m.ThresholdSource
        Get-DoubleBits $back.TrainingErrors | Should -Be (Get-DoubleBits $m.TrainingErrors)
    }

    It 'the imported model scores the messy export identically, imputing the same values' {
        $back = Import-Autoencoder -Path (Join-Path $TestDrive 'messy.aemodel')
        $expected = @(Test-Anomaly -Model $m -Path $fileA)
        $actual = @(Test-Anomaly -Model $back -Path $fileA)
        Get-DoubleBits $actual.AnomalyScore | Should -Be (Get-DoubleBits $expected.AnomalyScore)
        @($actual | ForEach-Object { $_.ImputedFeatures -join '|' }) | Should -Be @($expected | ForEach-Object { $_.ImputedFeatures -join '|' })
        $actual.AnomalyExplanation | Should -Be $expected.AnomalyExplanation
    }

    It 'keeps -TimeFeatures' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 4 -TimeFeatures
        $null = Invoke-AutoencoderTraining -Model $model -Path $fileB -Epochs 1
        $path = Join-Path $TestDrive 'time.aemodel'
        Export-Autoencoder -Model $model -Path $path
        $back = Import-Autoencoder -Path $path
        $back.Settings.TimeFeatures | Should -BeTrue
        ($back.FeatureColumns | Where-Object Name -eq 'Timestamp').Role | Should -Be ([AutoencoderPS.Engine.Features.ColumnRole]::Timestamp)
        Get-DoubleBits @(Test-Anomaly -Model $back -Path $fileB).AnomalyScore | Should -Be (Get-DoubleBits @(Test-Anomaly -Model $model -Path $fileB).AnomalyScore)
    }
}

Describe 'Real-world exports: missing values' {
    It 'training imputes the training median and records it (and how many values were missing)' {
        foreach ($name in $numericColumns) {
            $values = @($trainingRows | ForEach-Object { $_[$name] })
            $present = [double[]]@($values | Where-Object { $_ -is [double] })
            $column = Get-Column $name
            $column.Median | Should -Be (Get-Median $present)
            $column.Statistics.Missing | Should -Be ($values.Count - $present.Count)
            $column.Statistics.Missing | Should -BeGreaterThan 0
            [math]::Abs($column.Statistics.Mean - ($present | Measure-Object -Average).Average) | Should -BeLessOrEqual 1e-9
        }
        (Get-Column 'Host').Statistics.Missing | Should -Be @($trainingRows | Where-Object { $_.Host -eq '' }).Count
        (Get-Column 'Host').Mode | Should -BeIn @('web01', 'web02', 'web03', 'web04')
    }

    It 'scoring marks which features of each row were imputed' {
        $scored = @(Test-Anomaly -Model $m -Path $fileA)
        $scored | Should -HaveCount 120
        for ($i = 0; $i -lt 120; $i++) {
            $expected = Get-ExpectedImputed $rowsA[$i]
            ($scored[$i].ImputedFeatures -join '|') | Should -BeExactly ($expected -join '|') -Because "row $i has the missing values $($expected -join ', ')"
        }
        @($scored | Where-Object { $_.ImputedFeatures.Count -gt 0 }).Count | Should -BeGreaterThan 20
    }

    It 'scoring imputes every spelling of missing alike: NA, N/A, null, NaN and empty score alike, left out of the explanation' {
        $base = ConvertTo-RowObject @(New-ExportRow -Count 1 -Seed 30 -NoGaps)[0]
        $median = (Get-Column 'cpu_pct').Median.ToString('R', $invariant)
        $rows = foreach ($value in @($median, 'NA', 'N/A', 'null', 'NaN', '', ' ', $null)) {
            $row = $base.PSObject.Copy(); $row.cpu_pct = $value; $row
        }
        $nan = $base.PSObject.Copy(); $nan.cpu_pct = [double]::NaN
        $inf = $base.PSObject.Copy(); $inf.cpu_pct = [double]::PositiveInfinity
        $scored = @(@($rows) + $nan + $inf | Test-Anomaly -Model $m)
        $scored | Should -HaveCount 10
        @($scored[0].ImputedFeatures) | Should -HaveCount 0
        # Filled with the median, moved to what the measured values say and left out of the score: the same score for
        # every spelling, not the score of the row whose cpu_pct is the median, measured.
        foreach ($s in $scored[1..9]) {
            @($s.ImputedFeatures) | Should -Be @('cpu_pct')
            Get-DoubleBits $s.AnomalyScore | Should -Be (Get-DoubleBits $scored[1].AnomalyScore)
            $s.AnomalyExplanation | Should -Not -BeLike '*cpu_pct*'
        }
        Get-DoubleBits $scored[1].AnomalyScore | Should -Not -Be (Get-DoubleBits $scored[0].AnomalyScore)
    }

    It 'reads infinity written as pwsh under en-US and ICU cultures write it (∞, -∞) as a missing value, piped, from -Path and in the scheduled job' {
        # '{0}' -f [double]::PositiveInfinity is '∞' under en-US: such a value was InvalidFeatureValue, called a number
        # with a decimal comma, and the advice (-Culture de-DE) failed training outright.
        $folder = Join-Path $TestDrive 'infinity'
        $null = New-Item -ItemType Directory -Path $folder
        $file = Join-Path $folder 'inf.csv'
        $random = [System.Random]::new(11)
        $lines = @('cpu,mem') + @(for ($i = 0; $i -lt 300; $i++) {
                $cpu = switch ($i) { 100 { '∞' } 200 { '-∞' } 250 { '−∞' } default { (20 + 10 * $random.NextDouble()).ToString('F3', $invariant) } }
                '{0},{1}' -f $cpu, (50 + 5 * $random.NextDouble()).ToString('F3', $invariant)
            })
        [System.IO.File]::WriteAllLines($file, $lines)
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 2
        $null = Invoke-AutoencoderTraining -Model $model -Path $file -Epochs 3 -ThreadCount 1 -ErrorVariable trainFailed -WarningVariable trainSaid -WarningAction SilentlyContinue
        $trainFailed | Should -BeNullOrEmpty
        @($model.FeatureColumns.Name) | Should -Be @('cpu', 'mem')
        "$trainSaid" | Should -Not -BeLike '*de-DE*'

        $fromFile = @(Test-Anomaly -Model $model -Path $file -ThreadCount 1 -ErrorVariable fileFailed)
        $piped = @(Import-Csv -LiteralPath $file | Test-Anomaly -Model $model -ThreadCount 1 -ErrorVariable pipedFailed)
        $modelPath = Join-Path $folder 'inf.aemodel'
        Export-Autoencoder -Model $model -Path $modelPath
        $output = Join-Path $folder 'inf-scored.csv'
        $null = Invoke-AnomalyScoring -ModelPath $modelPath -Path $file -OutputPath $output -ThreadCount 1 -ErrorVariable jobFailed
        $job = @(Import-Csv -LiteralPath $output)

        $fileFailed | Should -BeNullOrEmpty
        $pipedFailed | Should -BeNullOrEmpty
        $jobFailed | Should -BeNullOrEmpty
        $fromFile | Should -HaveCount 300
        $job | Should -HaveCount 300
        foreach ($i in 100, 200, 250) {
            @($fromFile[$i].ImputedFeatures) | Should -Be @('cpu') -Because "row $i is infinite"
            @($piped[$i].ImputedFeatures) | Should -Be @('cpu')
            $job[$i].ImputedFeatures | Should -Be 'cpu'
        }
        @($fromFile | Where-Object { $_.ImputedFeatures.Count -gt 0 }) | Should -HaveCount 3
    }

    It 'Test-Anomaly -RejectMissing rejects rows with a missing value (EmptyFeatureValue) and scores the rest unchanged' {
        $all = @(Test-Anomaly -Model $m -Path $fileA)
        $errs = $null
        $strict = @(Test-Anomaly -Model $m -Path $fileA -RejectMissing -ErrorVariable errs -ErrorAction SilentlyContinue)
        $complete = @(for ($i = 0; $i -lt 120; $i++) { if ((Get-ExpectedImputed $rowsA[$i]).Count -eq 0) { $i } })
        $strict | Should -HaveCount $complete.Count
        $errs | Should -HaveCount (120 - $complete.Count)
        @($errs | Where-Object { $_.FullyQualifiedErrorId -notlike 'EmptyFeatureValue,*' }) | Should -HaveCount 0
        $errs[0].ToString() | Should -Match "hosts-a\.csv', line $(Get-LineOfRow $rowsA 5): column 'cpu_pct' has the missing value 'NA'"
        Get-DoubleBits $strict.AnomalyScore | Should -Be (Get-DoubleBits @($all[$complete]).AnomalyScore)
    }

    It 'Invoke-AutoencoderTraining -RejectMissing trains only on complete rows' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 6
        $errs = $null
        $null = Invoke-AutoencoderTraining -Model $model -Path $fileA -RejectMissing -Epochs 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $complete = @($rowsA | Where-Object { (Get-ExpectedImputed $_).Count -eq 0 })
        $model.Training.Rows | Should -Be $complete.Count
        $errs | Should -HaveCount (120 - $complete.Count)
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'EmptyFeatureValue,*'
        (Get-Column 'cpu_pct').Statistics.Missing | Should -BeGreaterThan 0   # the premise: the imputing model saw gaps
        foreach ($column in $model.FeatureColumns) { $column.Statistics.Missing | Should -Be 0 }
    }
}

Describe 'Real-world exports: a counter''s missing values in a window model without a time' {
    # A cumulative counter (bytes) is fed as its rate; without -TimeProperty, per row. After rows without its value (an
    # empty cell, or a row with no value at all: a host down), the next rate spanned all of them as one row's: every
    # gap of the export paged (3 false alerts here before). Now it is per row of them.
    It 'raises no alert after an export''s gaps' {
        function Write-ByteExport([string] $Path, [int] $Count, [int] $Seed, [int[]] $Blank = @(), [int[]] $Down = @()) {
            $random = [System.Random]::new($Seed)
            $total = 1e6
            $lines = [System.Collections.Generic.List[string]]::new()
            $lines.Add('cpu,bytes')
            for ($i = 0; $i -lt $Count; $i++) {
                $total += 1000 + 300 * [math]::Sin(2 * [math]::PI * $i / 60) + 30 * $random.NextDouble()
                $cpu = 40 + 12 * [math]::Sin(2 * [math]::PI * $i / 60) + $random.NextDouble()
                if ($Down -contains $i) { $lines.Add(','); continue }
                $bytes = if ($Blank -contains $i) { '' } else { [math]::Round($total).ToString($invariant) }
                $lines.Add(('{0},{1}' -f $cpu.ToString('F2', $invariant), $bytes))
            }
            [System.IO.File]::WriteAllLines($Path, $lines)
        }
        $train = Join-Path $TestDrive 'bytes-train.csv'
        $score = Join-Path $TestDrive 'bytes-gaps.csv'
        Write-ByteExport -Path $train -Count 2000 -Seed 1
        Write-ByteExport -Path $score -Count 600 -Seed 2 -Blank 100, 101, 102, 300, 301 -Down 450, 451, 452
        $model = New-Autoencoder -WindowSize 4 -Seed 1
        $null = Invoke-AutoencoderTraining -Model $model -Path $train -Epochs 10 -ThreadCount 1 -WarningAction SilentlyContinue
        ($model.FeatureColumns | Where-Object Name -eq 'bytes').IsCounter | Should -BeTrue
        $scored = @(Test-Anomaly -Model $model -Path $score -ThreadCount 1 3>$null)
        $scored.Count | Should -Be 600
        @($scored | Where-Object AnomalyStatus -eq 'NoData').Count | Should -Be 3
        @($scored | Where-Object IsAlert).Count | Should -Be 0
        # The same in the scheduled job, its memory kept between runs in the middle of a gap.
        $modelPath = Join-Path $TestDrive 'bytes.aemodel'
        Export-Autoencoder -Model $model -Path $modelPath
        $lines = Get-Content -LiteralPath $score
        $job = Join-Path $TestDrive 'bytes-job.csv'
        Set-Content -LiteralPath $job -Value $lines[0..102]
        $out = Join-Path $TestDrive 'bytes-job-scored.csv'
        $first = Invoke-AnomalyScoring -ModelPath $modelPath -Path $job -OutputPath $out -ThreadCount 1 3>$null
        Add-Content -LiteralPath $job -Value $lines[103..600]
        $second = Invoke-AnomalyScoring -ModelPath $modelPath -Path $job -OutputPath $out -ThreadCount 1 3>$null
        $first.Alerts + $second.Alerts | Should -Be 0
        @(Import-Csv -LiteralPath $out | ForEach-Object AnomalyScore) | Should -Be @($scored | ForEach-Object { if ($null -eq $_.AnomalyScore) { '' } else { ([double]$_.AnomalyScore).ToString('R', $invariant) } })

        # Training, training further and recalibrating take a host's outage as scoring does: rows of the series. Before,
        # the rows with no value were left out first, and twenty rows' increase was one row's rate (the rate's largest
        # 25,784 against 1,329; a threshold recalibrated on such rows 128 against 0.0003, which no burst crossed).
        $down = Join-Path $TestDrive 'bytes-train-down.csv'
        Write-ByteExport -Path $down -Count 2000 -Seed 1 -Down (@(200..219) + @(700..719) + @(1200..1219) + @(1700..1719))
        $outage = New-Autoencoder -WindowSize 4 -Seed 1
        $null = Invoke-AutoencoderTraining -Model $outage -Path $down -Epochs 10 -ThreadCount 1 -WarningAction SilentlyContinue
        $clean = ($model.FeatureColumns | Where-Object Name -eq 'bytes').Statistics.Max
        $withOutage = ($outage.FeatureColumns | Where-Object Name -eq 'bytes').Statistics.Max
        $withOutage | Should -BeLessThan (1.5 * $clean)
        $copy = Import-Autoencoder -Path $modelPath
        Set-AutoencoderThreshold -Model $copy -Method Percentile -Value 99.5 -Path $down -ThreadCount 1 3>$null
        $reference = Import-Autoencoder -Path $modelPath
        Set-AutoencoderThreshold -Model $reference -Method Percentile -Value 99.5 -Path $train -ThreadCount 1 3>$null
        # Higher than on rows without outages (without a time, a window spans each outage: the daily cycle jumps), not
        # 400,000 times.
        $copy.Threshold | Should -BeLessThan (20 * $reference.Threshold)
        $further = Import-Autoencoder -Path $modelPath
        $null = Invoke-AutoencoderTraining -Model $further -Path $down -Incremental -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue
        ($further.FeatureColumns | Where-Object Name -eq 'bytes').Statistics.Max | Should -Be $clean
        $further.Threshold | Should -BeLessThan (3 * $model.Threshold)

        # -RejectMissing makes those rows errors; they are still rows of the series (a review: 2,272 against 150, and a
        # false alert after each outage).
        $rejecting = New-Autoencoder -WindowSize 4 -Seed 1
        $null = Invoke-AutoencoderTraining -Model $rejecting -Path $down -RejectMissing -Epochs 10 -ThreadCount 1 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        ($rejecting.FeatureColumns | Where-Object Name -eq 'bytes').Statistics.Max | Should -Be $withOutage
        $strict = @(Test-Anomaly -Model $model -Path $score -RejectMissing -ThreadCount 1 -ErrorVariable rowErrors -ErrorAction SilentlyContinue 3>$null)
        $rowErrors.Count | Should -Be 8
        @($strict | Where-Object IsAlert).Count | Should -Be 0
    }
}

Describe 'Real-world exports: a value that is not a number' {
    BeforeAll {
        $script:garbageRows = @(New-ExportRow -Count 20 -Seed 4 -NoGaps)
        $garbageRows[12].cpu_pct = 'abc'
        $script:garbageFile = Join-Path $elsewhere 'garbage.csv'
        Write-ExportCsv $garbageFile $garbageRows -NewLine "`r`n"
        $script:garbageLine = Get-LineOfRow $garbageRows 12
    }

    It 'the premise: the garbage row starts after a quoted field with a newline, so its line is not its row number + 1' {
        $garbageLine | Should -Be 15
    }

    It 'Test-Anomaly: one non-terminating InvalidFeatureValue naming file, line, column and value; the other rows score' {
        $errs = $null
        $scored = @(Test-Anomaly -Model $m -Path $garbageFile -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
        $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
        $errs[0].ToString() | Should -BeExactly "File '$garbageFile', line 15: column 'cpu_pct' has value 'abc', which is not a number."
        $errs[0].TargetObject.cpu_pct | Should -Be 'abc'
        $errs[0].TargetObject.Id | Should -Be $garbageRows[12].Id
        $scored | Should -HaveCount 19
        $scored.Id | Should -Not -Contain $garbageRows[12].Id   # never scored as a silent zero
    }

    It 'honours -ErrorAction Stop (terminating) and Ignore (no error, the other rows still score)' {
        { Test-Anomaly -Model $m -Path $garbageFile -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFeatureValue,*'
        $errs = $null
        $scored = @(Test-Anomaly -Model $m -Path $garbageFile -ErrorAction Ignore -ErrorVariable errs)
        $errs | Should -HaveCount 0
        $scored | Should -HaveCount 19
    }

    It '-OutputPath leaves the row out of the file (no zero score) and reports it' {
        $out = Join-Path $TestDrive 'garbage-scored.csv'
        $errs = $null
        Test-Anomaly -Model $m -Path $garbageFile -OutputPath $out -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $written = @(Import-Csv -LiteralPath $out)
        $written | Should -HaveCount 19
        $written.Id | Should -Not -Contain $garbageRows[12].Id
        $written.cpu_pct | Should -Not -Contain 'abc'
    }

    It 'Invoke-AutoencoderTraining: the same error; the other rows train, and the statistics hold no zero' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 8
        $errs = $null
        $null = Invoke-AutoencoderTraining -Model $model -Path $garbageFile -Epochs 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
        $errs[0].ToString() | Should -Match "garbage\.csv', line 15: column 'cpu_pct' has value 'abc'"
        $model.Training.Rows | Should -Be 19
        $cpu = $model.FeatureColumns | Where-Object Name -eq 'cpu_pct'
        $cpu.Statistics.Min | Should -BeGreaterThan 15
        $cpu.Statistics.Missing | Should -Be 0
    }

    It 'Invoke-AutoencoderTraining -ErrorAction Stop stops at the bad row and leaves the model untrained' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 8
        { Invoke-AutoencoderTraining -Model $model -Path $garbageFile -Epochs 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFeatureValue,*'
        $model.IsTrained | Should -BeFalse
    }
}

Describe 'Real-world exports: scaling' {
    It 'Robust scaling (median and inter-quartile range) trains; the offsets are the training medians' {
        $model = New-Autoencoder -HiddenLayer 8, 4 -Seed 9 -OutputActivation Linear
        $warnings = $null
        $null = Invoke-AutoencoderTraining -Model $model -Path $fileA, $fileB -Scaling Robust -Epochs 2 -WarningVariable warnings
        $warnings | Should -HaveCount 0
        $model.IsTrained | Should -BeTrue
        $model.Scaling | Should -Be ([AutoencoderPS.Engine.Features.ScalingMethod]::Robust)
        foreach ($name in $numericColumns) {
            $slot = $model.Schema.FirstSlot($model.Schema.IndexOf($name))
            $median = ($model.FeatureColumns | Where-Object Name -eq $name).Median
            [math]::Abs($model.Scaler.Offset[$slot] - $median) | Should -BeLessOrEqual 1e-9
            $model.Scaler.Scale[$slot] | Should -BeGreaterThan 0
        }
        $scores = @(Test-Anomaly -Model $model -Path $fileA).AnomalyScore
        @($scores | Where-Object { -not [double]::IsFinite($_) }) | Should -HaveCount 0
    }

    It 'Robust scaling with a Sigmoid output warns that the output cannot reconstruct it' {
        $model = New-Autoencoder -HiddenLayer 4, 2 -Seed 9
        $warnings = $null
        $null = Invoke-AutoencoderTraining -Model $model -Path $fileA -Scaling Robust -Epochs 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'Linear'
    }
}

Describe 'Real-world exports: why a row is anomalous' {
    BeforeAll {
        # The normal row: of ten fresh rows with a mid-range cpu_pct, the one the model reconstructs best.
        $candidates = @(New-ExportRow -Count 10 -Seed 31 -NoGaps | Where-Object { $_.cpu_pct -gt 30 -and $_.cpu_pct -lt 60 })
        $candidateScores = @($candidates | ForEach-Object { ConvertTo-RowObject $_ } | Test-Anomaly -Model $m).AnomalyScore
        $best = [array]::IndexOf($candidateScores, ($candidateScores | Measure-Object -Minimum).Minimum)
        $script:normalRow = $candidates[$best]
        $script:normal = ConvertTo-RowObject $normalRow
        $script:spike = $normal.PSObject.Copy(); $spike.cpu_pct = '97.5'
        $script:unseen = $normal.PSObject.Copy(); $unseen.Host = 'db99'
        $script:explained = @($normal, $spike, $unseen | Test-Anomaly -Model $m)
    }

    It 'the premise: the normal row is normal and its cpu_pct is mid-range' {
        $explained[0].IsAnomaly | Should -BeFalse
        $normalRow.cpu_pct | Should -BeGreaterThan 30
        $normalRow.cpu_pct | Should -BeLessThan 60
    }

    It 'AnomalyContributions has -TopFeatureCount entries (default 3), largest share first' {
        foreach ($row in $explained) {
            $row.AnomalyContributions | Should -HaveCount 3
            $shares = @($row.AnomalyContributions.Share)
            $shares | Should -Be @($shares | Sort-Object -Descending)
        }
        $two = @(@($spike.PSObject.Copy()) | Test-Anomaly -Model $m -TopFeatureCount 2)[0]
        $two.AnomalyContributions | Should -HaveCount 2
        $all = @(@($spike.PSObject.Copy()) | Test-Anomaly -Model $m -TopFeatureCount 10)[0]
        $all.AnomalyContributions | Should -HaveCount 4   # there are only 4 features
        @($all.AnomalyContributions.Feature | Sort-Object) | Should -Be @($m.Features | Sort-Object)
    }

    It 'AnomalyFeatureShare names every feature; the shares sum to 1 and agree with the contributions' {
        foreach ($row in $explained) {
            @($row.AnomalyFeatureShare.Keys) | Should -Be @($m.Features)
            $sum = ($row.AnomalyFeatureShare.Values | Measure-Object -Sum).Sum
            [math]::Abs($sum - 1) | Should -BeLessOrEqual 1e-9
            foreach ($c in $row.AnomalyContributions) { $c.Share | Should -Be $row.AnomalyFeatureShare[$c.Feature] }
        }
    }

    It 'an injected cpu spike is explained as cpu_pct, observed 97.5, expected near its normal value' {
        $row = $explained[1]
        $row.IsAnomaly | Should -BeTrue
        $row.AnomalyScore | Should -BeGreaterThan $explained[0].AnomalyScore
        $row.AnomalyTopFeature | Should -Be 'cpu_pct'
        $top = $row.AnomalyContributions[0]
        $top.Feature | Should -Be 'cpu_pct'
        $top.Observed | Should -Be 97.5
        $top.Share | Should -BeGreaterThan 0.5
        $cpu = Get-Column 'cpu_pct'
        $top.Expected | Should -BeGreaterOrEqual $cpu.Statistics.Min
        $top.Expected | Should -BeLessOrEqual $cpu.Statistics.Max
        [math]::Abs($top.Expected - $normalRow.cpu_pct) | Should -BeLessThan ([math]::Abs($top.Expected - 97.5))
        $row.AnomalyExplanation | Should -Match '^cpu_pct 97\.5 \(expected \d+(\.\d+)?, \d+ ?%\)'
    }

    It 'an unseen category maps to "(other)" and scores high' {
        $row = $explained[2]
        $hostPart = $row.AnomalyContributions | Where-Object Feature -eq 'Host'
        $hostPart.Observed | Should -Be '(other)'
        $row.AnomalyTopFeature | Should -Be 'Host'
        $row.IsAnomaly | Should -BeTrue
        $row.AnomalyScore | Should -BeGreaterThan (2 * $explained[0].AnomalyScore)
        @($row.ImputedFeatures) | Should -HaveCount 0   # unseen is not missing
    }

    It 'with the default loss (Mse) an unseen category scores above the same row with a known one' {
        # Mae could not learn one-hot slots (its median fit outputs ~0 for every slot), which is why the default is Mse.
        $model = New-Autoencoder -HiddenLayer 16, 8 -Seed 5
        $null = Invoke-AutoencoderTraining -Model $model -Path (Join-Path $exports 'hosts-*.csv') -Epochs 40 -BatchSize 32 -LearningRate 0.01
        $scored = @($normal.PSObject.Copy(), $unseen.PSObject.Copy() | Test-Anomaly -Model $model)
        $scored[1].AnomalyScore | Should -BeGreaterThan (2 * $scored[0].AnomalyScore)
        $scored[1].IsAnomaly | Should -BeTrue
        # The known hosts are learned: the network gives back each training row's own host. (Under the error weights every
        # feature's error is in units of its usual error, so which feature tops a normal row's small error says nothing.)
        $training = @(Test-Anomaly -Model $model -Path $fileA -TopFeatureCount 20)
        $training | Should -HaveCount 120
        @($training | Where-Object { ($_.AnomalyContributions | Where-Object Feature -eq 'Host').Expected -ne $_.Host }).Count | Should -BeLessThan 6
    }

    It 'the explanation is written in the input''s culture' {
        $germanSpike = ConvertTo-RowObject $normalRow -Culture de-DE
        $germanSpike.cpu_pct = '97,5'
        "$($germanSpike.mem_pct) $($germanSpike.latency_ms)" | Should -Match ','   # the premise: the row is de-DE text
        $row = @($germanSpike | Test-Anomaly -Model $m -Culture de-DE)[0]
        $row.AnomalyScore | Should -Be $explained[1].AnomalyScore
        $row.AnomalyExplanation | Should -Match '^cpu_pct 97,5 \(expected \d+(,\d+)?, \d+ ?%\)'
    }
}

Describe 'Real-world exports: thresholds' {
    BeforeAll {
        function New-TrainedModel {
            param([hashtable] $Options = @{})
            $model = New-Autoencoder -HiddenLayer 8, 4 -Seed 13
            $null = Invoke-AutoencoderTraining -Model $model -Path $fileA, $fileB -Epochs 3 -BatchSize 32 @Options
            $model
        }
        $script:newNormalRows = @(New-ExportRow -Count 60 -Seed 40 -NoGaps)
        $script:newNormalFile = Join-Path $elsewhere 'new-normal.csv'
        Write-ExportCsv $newNormalFile $newNormalRows
    }

    It 'Contamination 0.05 flags about 5% of the training rows' {
        $model = New-TrainedModel @{ ThresholdMethod = 'Contamination'; ThresholdValue = 0.05 }
        $model.ThresholdRule.Method | Should -Be ([AutoencoderPS.Engine.Modeling.ThresholdMethod]::Contamination)
        $model.ThresholdSource | Should -Match 'contamination 0\.05'
        $flagged = @(Test-Anomaly -Model $model -Path $fileA, $fileB | Where-Object IsAnomaly).Count
        $flagged | Should -BeGreaterOrEqual 10   # 240 rows: 5% is 12
        $flagged | Should -BeLessOrEqual 14
        # The stored errors score a row alone at a feature's extreme against the other rows' range, as a new row; re-scored,
        # such a row lies inside the range: at most two rows per feature differ.
        $above = @($model.TrainingErrors | Where-Object { $_ -gt $model.Threshold }).Count
        [math]::Abs($flagged - $above) | Should -BeLessOrEqual (2 * $model.FeatureColumns.Count)
    }

    It 'Manual sets exactly the given threshold' {
        $model = New-TrainedModel @{ ThresholdMethod = 'Manual'; ThresholdValue = 0.0123 }
        $model.Threshold | Should -Be 0.0123
        $model.ThresholdSource | Should -Match 'set by hand'
        $scored = @(Test-Anomaly -Model $model -Path $fileA)
        @($scored | Where-Object { $_.IsAnomaly -ne ($_.AnomalyScore -gt 0.0123) }) | Should -HaveCount 0
    }

    It 'Set-AutoencoderThreshold recalibrates by another rule on the stored training errors' {
        $model = New-TrainedModel
        $before = $model.Threshold
        $sourceBefore = $model.ThresholdSource
        $model.TrainingErrors | Should -HaveCount 240
        $out = Set-AutoencoderThreshold -Model $model -Method Percentile -Value 90 -PassThru
        [object]::ReferenceEquals($out, $model) | Should -BeTrue
        Get-DoubleBits $model.Threshold | Should -Be (Get-DoubleBits ([AutoencoderPS.Engine.Numerics.Statistics]::Percentile($model.TrainingErrors, 90)))
        $model.Threshold | Should -Not -Be $before
        $model.ThresholdRule.Method | Should -Be ([AutoencoderPS.Engine.Modeling.ThresholdMethod]::Percentile)
        $model.ThresholdSource | Should -Not -Be $sourceBefore
        $model.ThresholdSource | Should -Match '90th percentile.*stored errors of 240 training rows'
        $scored = @(Test-Anomaly -Model $model -Path $fileA, $fileB)
        @($scored | Where-Object { $_.IsAnomaly -ne ($_.AnomalyScore -gt $model.Threshold) }) | Should -HaveCount 0
        # The top 10 % of the 240 stored errors, of which a row alone at a feature's extreme is stored as a new row would
        # score against the other rows' range: re-scored, at most two rows per feature differ. A small baseline's stored
        # errors are its rows' own times the factor for rows unseen in training (Training.UnseenErrorRatio).
        @($model.TrainingErrors | Where-Object { $_ -gt $model.Threshold }).Count | Should -Be 24
        $ratio = $model.Training.UnseenErrorRatio
        $ratio | Should -BeGreaterOrEqual 1
        [math]::Abs(@($scored | Where-Object { $_.AnomalyScore * $ratio -gt $model.Threshold }).Count - 24) | Should -BeLessOrEqual (2 * $model.FeatureColumns.Count)
    }

    It 'Set-AutoencoderThreshold recalibrates on piped new normal rows (pipeline or -Path), without retraining' {
        $model = New-TrainedModel
        $lossBefore = $model.Training.FinalLoss
        $scores = @(Import-Csv -LiteralPath $newNormalFile | Test-Anomaly -Model $model).AnomalyScore
        Import-Csv -LiteralPath $newNormalFile | Set-AutoencoderThreshold -Model $model -Method Percentile -Value 100
        Get-DoubleBits $model.Threshold | Should -Be (Get-DoubleBits ($scores | Measure-Object -Maximum).Maximum)
        $model.ThresholdSource | Should -Match '100th percentile.*60 new normal rows'
        # The rule names the errors it was set from, wherever it is shown (the report's threshold card, the model).
        "$($model.ThresholdRule)" | Should -BeExactly '100th percentile of the errors of new normal rows: flags about 0% of normal rows'
        $model.ThresholdSource | Should -BeLike "$($model.ThresholdRule); 60 new normal rows, *"
        $report = Join-Path $TestDrive 'recalibrated.html'
        Import-Csv -LiteralPath $newNormalFile | Test-Anomaly -Model $model | Export-AnomalyReport -Model $model -Path $report
        Get-Content -LiteralPath $report -Raw | Should -BeLike '*<div class="note">100th percentile of the errors of new normal rows: flags about 0% of normal rows</div>*'
        $model.Training.FinalLoss | Should -Be $lossBefore
        @(Import-Csv -LiteralPath $newNormalFile | Test-Anomaly -Model $model | Where-Object IsAnomaly) | Should -HaveCount 0

        $fromFile = New-TrainedModel
        Set-AutoencoderThreshold -Model $fromFile -Method Percentile -Value 100 -Path $newNormalFile
        Get-DoubleBits $fromFile.Threshold | Should -Be (Get-DoubleBits $model.Threshold)
    }

    It 'Set-AutoencoderThreshold scores new rows with missing values as Test-Anomaly does: the filled-in values left out' {
        # The rows of an export with a missing number (NA, '', N/A, NaN, null): the highest score Test-Anomaly gives
        # them is the 100th percentile the recalibration finds (it counted the filled-in medians before).
        $model = New-TrainedModel
        $gapFile = Join-Path $elsewhere 'new-with-gaps.csv'
        Write-ExportCsv $gapFile @(New-ExportRow -Count 120 -Seed 41 | Where-Object { $_.cpu_pct -isnot [double] -or $_.mem_pct -isnot [double] -or $_.latency_ms -isnot [double] })
        $scored = @(Test-Anomaly -Model $model -Path $gapFile)
        @($scored | Where-Object { @($_.ImputedFeatures).Count -eq 0 }) | Should -HaveCount 0
        Set-AutoencoderThreshold -Model $model -Method Percentile -Value 100 -Path $gapFile
        Get-DoubleBits $model.Threshold | Should -Be (Get-DoubleBits ($scored.AnomalyScore | Measure-Object -Maximum).Maximum)
    }

    It 'Set-AutoencoderThreshold on an untrained model is a terminating ModelNotTrained error' {
        { Set-AutoencoderThreshold -Model (New-Autoencoder -Seed 1) -Method Percentile -Value 95 } | Should -Throw -ErrorId 'ModelNotTrained,*'
    }

    It '-Incremental trains further on new rows: same schema, epochs accumulate' {
        $model = New-TrainedModel
        $schema = $model.Schema
        $layers = $model.Layers
        $threshold = $model.Threshold
        $null = Invoke-AutoencoderTraining -Model $model -Path $newNormalFile -Incremental -Epochs 2 -BatchSize 32
        [object]::ReferenceEquals($model.Schema, $schema) | Should -BeTrue
        @($model.FeatureColumns.Name) | Should -Be @('Host', 'cpu_pct', 'mem_pct', 'latency_ms')
        ($model.FeatureColumns | Where-Object Name -eq 'cpu_pct').Median | Should -Be (Get-Column 'cpu_pct').Median
        $model.Layers | Should -Be $layers
        $model.Training.Epochs | Should -Be 5
        $model.Training.Runs | Should -Be 2
        $model.Training.Rows | Should -Be 60
        $model.Threshold | Should -Not -Be $threshold
    }

    It '-Incremental on an untrained model is a terminating ModelNotTrained error' {
        $model = New-Autoencoder -Seed 1
        { Invoke-AutoencoderTraining -Model $model -Path $newNormalFile -Incremental -Epochs 1 } | Should -Throw -ErrorId 'ModelNotTrained,*'
        $model.IsTrained | Should -BeFalse
    }
}

Describe 'Real-world exports: Test-Anomaly -OutputPath' {
    BeforeAll {
        $script:outFolder = Join-Path $TestDrive 'scored'
        New-Item -ItemType Directory -Path $outFolder | Out-Null
        $script:outA = Join-Path $outFolder 'hosts-a.scored.csv'
        Test-Anomaly -Model $m -Path $fileA -OutputPath $outA
        $script:writtenA = @(Import-Csv -LiteralPath $outA)
        $script:outAllA = Join-Path $outFolder 'hosts-a.explained.csv'
        Test-Anomaly -Model $m -Path $fileA -OutputPath $outAllA -ExplainAll
        $script:writtenAllA = @(Import-Csv -LiteralPath $outAllA)
        $script:pipedA = @(Import-Csv -LiteralPath $fileA | Test-Anomaly -Model $m)
        $script:pathA = @(Test-Anomaly -Model $m -Path $fileA)
    }

    It 'gives the same AnomalyScore per row as Import-Csv | Test-Anomaly and as -Path without -OutputPath' {
        $writtenA | Should -HaveCount 120
        $fromFile = [double[]]@($writtenA | ForEach-Object { [double]::Parse($_.AnomalyScore, $invariant) })
        Get-DoubleBits $fromFile | Should -Be (Get-DoubleBits $pipedA.AnomalyScore)
        Get-DoubleBits $pathA.AnomalyScore | Should -Be (Get-DoubleBits $pipedA.AnomalyScore)
    }

    It 'the other score columns agree with pipeline scoring too' {
        $writtenA.IsAnomaly | Should -Be @($pipedA | ForEach-Object { $_.IsAnomaly.ToString() })
        @($writtenA.IsAnomaly | Sort-Object -Unique) | Should -Be @('False', 'True')
        $writtenA.AnomalyTopFeature | Should -Be $pipedA.AnomalyTopFeature
        # The file explains the anomalies; -ExplainAll every row, as every piped row is explained.
        $writtenA.AnomalyExplanation | Should -Be @($pipedA | ForEach-Object { $_.IsAnomaly ? $_.AnomalyExplanation : '' })
        $writtenAllA.AnomalyExplanation | Should -Be $pipedA.AnomalyExplanation
        $writtenA.ImputedFeatures | Should -Be @($pipedA | ForEach-Object { $_.ImputedFeatures -join '|' })
    }

    It 'explains only the anomalies (AnomalyTopFeature on every row); -ExplainAll explains every row and changes nothing else' {
        $anomalies = @($writtenA | Where-Object IsAnomaly -eq 'True')
        $normal = @($writtenA | Where-Object IsAnomaly -eq 'False')
        $anomalies.Count | Should -BeGreaterThan 0
        $normal.Count | Should -BeGreaterThan 0
        foreach ($row in $anomalies) { $row.AnomalyExplanation | Should -Match ('^' + [regex]::Escape($row.AnomalyTopFeature) + ' ') }
        @($normal | Where-Object AnomalyExplanation -ne '') | Should -HaveCount 0
        @($writtenA | Where-Object { $_.AnomalyTopFeature -notin $m.Features }) | Should -HaveCount 0
        @($writtenAllA | Where-Object AnomalyExplanation -eq '') | Should -HaveCount 0
        $others = @(($allColumns + $scoreColumns) | Where-Object { $_ -ne 'AnomalyExplanation' })
        for ($i = 0; $i -lt 120; $i++) {
            foreach ($name in $others) { $writtenA[$i].$name | Should -BeExactly $writtenAllA[$i].$name -Because "row $($i + 1), $name" }
            if ($writtenA[$i].IsAnomaly -eq 'True') { $writtenA[$i].AnomalyExplanation | Should -BeExactly $writtenAllA[$i].AnomalyExplanation }
        }
        (Get-Item -LiteralPath $outA).Length | Should -BeLessThan (Get-Item -LiteralPath $outAllA).Length
    }

    It 'keeps every original column, in order, then the score columns; quoted fields survive the round trip' {
        $header = @((Get-Content -LiteralPath $outA -TotalCount 1) -split ',')
        $header | Should -Be ($allColumns + $scoreColumns)
        $original = @(Import-Csv -LiteralPath $fileA)
        foreach ($name in $allColumns) { $writtenA.$name | Should -BeExactly $original.$name -Because "column $name is copied" }
        $writtenA[3].Message | Should -BeExactly 'user said "hello"; then left, quietly'
        $writtenA[7].Message | Should -BeExactly "first line`nsecond line; with ""quotes"", and a comma"
        $writtenA[5].cpu_pct | Should -BeExactly 'NA'
    }

    It 'writes in the input''s culture and delimiter: de-DE gives '';'' and a decimal comma in AnomalyScore' {
        $out = Join-Path $outFolder 'hosts-de.scored.csv'
        Test-Anomaly -Model $m -Path $fileDe -Culture de-DE -OutputPath $out
        (Get-Content -LiteralPath $out -TotalCount 1) | Should -BeExactly (($allColumns + $scoreColumns) -join ';')
        $written = @(Import-Csv -LiteralPath $out -Delimiter ';')
        $written | Should -HaveCount 120
        foreach ($w in $written) { $w.AnomalyScore | Should -Match '^\d+(,\d+)?(E-\d+)?$' }
        @($written | Where-Object { $_.AnomalyScore -like '*,*' }).Count | Should -BeGreaterThan 100
        $scores = [double[]]@($written | ForEach-Object { [double]::Parse($_.AnomalyScore, $german) })
        Get-DoubleBits $scores | Should -Be (Get-DoubleBits $pipedA.AnomalyScore)
        $written.cpu_pct | Should -Be @(Import-Csv -LiteralPath $fileDe -Delimiter ';').cpu_pct
        $written[7].Message | Should -BeExactly "first line`nsecond line; with ""quotes"", and a comma"
        @($written | Where-Object IsAnomaly -eq 'True')[0].AnomalyExplanation | Should -Match '\d,\d'
    }

    It 'writes the rows of several files into one output, with one header' {
        $out = Join-Path $outFolder 'both.scored.csv'
        Test-Anomaly -Model $m -Path (Join-Path $exports 'hosts-*.csv') -OutputPath $out
        $written = @(Import-Csv -LiteralPath $out)
        $written | Should -HaveCount 240
        @(Get-Content -LiteralPath $out | Where-Object { $_ -like 'Timestamp,*' }) | Should -HaveCount 1
    }

    It 'emits nothing to the pipeline; -PassThru emits the written file as a FileInfo' {
        $out = Join-Path $outFolder 'passthru.csv'
        @(Test-Anomaly -Model $m -Path $fileB -OutputPath $out) | Should -HaveCount 0
        $file = Test-Anomaly -Model $m -Path $fileB -OutputPath $out -PassThru
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $out
        $file.Length | Should -BeGreaterThan 0
    }

    It '-WhatIf writes nothing' {
        $out = Join-Path $outFolder 'whatif.csv'
        $result = @(Test-Anomaly -Model $m -Path $fileB -OutputPath $out -PassThru -WhatIf)
        $result | Should -HaveCount 0
        $out | Should -Not -Exist
    }

    Context 'an existing output file' {
        BeforeEach {
            $script:target = Join-Path $outFolder 'existing.csv'
            Set-Content -LiteralPath $target -Value 'previous content'
            $script:hashBefore = Get-Sha256 $target
            $script:listingBefore = Get-FolderListing $outFolder
        }

        It 'is replaced on success' {
            Test-Anomaly -Model $m -Path $fileB -OutputPath $target
            Get-Sha256 $target | Should -Not -Be $hashBefore
            @(Import-Csv -LiteralPath $target) | Should -HaveCount 120
            Get-FolderListing $outFolder | Should -Be $listingBefore
        }

        It '-NoClobber refuses with OutputFileExists and leaves it unchanged' {
            $caught = $null
            try { Test-Anomaly -Model $m -Path $fileB -OutputPath $target -NoClobber } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
            Get-Sha256 $target | Should -Be $hashBefore
        }

        It 'a file lacking a feature column is its own FeatureColumnsMissing error; the other files are scored and written' {
            $lacking = Join-Path $elsewhere 'lacking.csv'
            $rows = @(New-ExportRow -Count 10 -Seed 50) | ForEach-Object { $_.Remove('mem_pct'); $_.Remove('Host'); $_ }
            Write-ExportCsv $lacking $rows
            $errs = $null
            # The file that lacks columns first: the good one after it is still scored.
            Test-Anomaly -Model $m -Path $lacking, $fileB -OutputPath $target -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'FeatureColumnsMissing,*'
            $errs[0].TargetObject | Should -Be $lacking
            $errs[0].ToString() | Should -Match "lacking\.csv' lacks the model's column\(s\) 'Host', 'mem_pct'\."
            @(Import-Csv -LiteralPath $target) | Should -HaveCount 120
            Get-FolderListing $outFolder | Should -Be $listingBefore
        }

        It 'a run stopped by that error (-ErrorAction Stop) leaves it byte-identical and no temporary file' {
            $lacking = Join-Path $elsewhere 'lacking.csv'
            $rows = @(New-ExportRow -Count 10 -Seed 50) | ForEach-Object { $_.Remove('mem_pct'); $_.Remove('Host'); $_ }
            Write-ExportCsv $lacking $rows
            $caught = $null
            # The good file first: its rows are scored (into the temporary file) before the second file stops the run.
            try { Test-Anomaly -Model $m -Path $fileB, $lacking -OutputPath $target -ErrorAction Stop } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'FeatureColumnsMissing,*'
            Get-Sha256 $target | Should -Be $hashBefore
            Get-FolderListing $outFolder | Should -Be $listingBefore
        }

        It 'files with different columns go to one output as a CsvHeaderMismatch error for the odd file; the rest is written' {
            $extra = Join-Path $elsewhere 'extra-column.csv'
            $rows = @(New-ExportRow -Count 10 -Seed 51) | ForEach-Object { $_.Extra = 'x'; $_ }
            Write-ExportCsv $extra $rows
            $errs = $null
            Test-Anomaly -Model $m -Path $fileB, $extra -OutputPath $target -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'CsvHeaderMismatch,*'
            $errs[0].ToString() | Should -Match 'extra-column\.csv'
            @(Import-Csv -LiteralPath $target) | Should -HaveCount 120
            Get-FolderListing $outFolder | Should -Be $listingBefore
        }
    }

    It 'a folder that does not exist is a terminating OutputFileWriteFailed error that names the folder, also under -WhatIf' {
        $out = Join-Path $TestDrive 'no/such/folder/scored.csv'
        $folder = Split-Path -Parent $out
        foreach ($whatIf in $false, $true) {
            $caught = $null
            try { Test-Anomaly -Model $m -Path $fileB -OutputPath $out -WhatIf:$whatIf } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'OutputFileWriteFailed,*'
            $caught.TargetObject | Should -Be $out
            # The user's path and folder, not the hidden temporary file beside it.
            $caught.ToString() | Should -BeLike "*'$out'*the folder '$folder' does not exist*"
            $caught.ToString() | Should -Not -BeLike '*.tmp*'
        }
        Join-Path $TestDrive 'no' | Should -Not -Exist
    }
}

Describe 'Real-world exports: Get-Counter sample sets' {
    BeforeAll {
        # Get-Counter exists on Windows only: its sample sets are made here with the same type name and properties. Read
        # as the set object, the counters were one array-valued property: a single category, nothing to learn.
        function New-CounterSet([datetime] $Time, [double] $Cpu, [double] $Memory, [string] $Type = 'Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSampleSet') {
            [pscustomobject]@{
                PSTypeName     = $Type
                Timestamp      = $Time
                Readings       = "\\web01\processor(_total)\% processor time :`n$Cpu"
                CounterSamples = @(
                    [pscustomobject]@{ Path = '\\web01\processor(_total)\% processor time'; InstanceName = '_total'; CookedValue = $Cpu }
                    [pscustomobject]@{ Path = '\\web01\memory\available mbytes'; InstanceName = ''; CookedValue = $Memory })
            }
        }
        $script:cpuPath = '\\web01\processor(_total)\% processor time'
        $script:memoryPath = '\\web01\memory\available mbytes'
        $random = [Random]::new(4)
        $start = [datetime]'2026-11-02'
        $script:sets = 0..399 | ForEach-Object { New-CounterSet $start.AddSeconds($_) (20 + 5 * $random.NextDouble()) (4000 + 50 * $random.NextDouble()) }
        $script:counterModel = New-Autoencoder -Seed 3
        $sets | Invoke-AutoencoderTraining -Model $counterModel -ThreadCount 1 | Out-Null
        # From a job or another host they arrive deserialized: the same properties under a Deserialized. type name.
        $later = @(0..19 | ForEach-Object {
                New-CounterSet $start.AddSeconds(600 + $_) (20 + 5 * $random.NextDouble()) (4000 + 50 * $random.NextDouble()) 'Deserialized.Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSampleSet'
            }) + @(New-CounterSet $start.AddSeconds(700) 99 4020)
        $script:counterScored = @($later | Test-Anomaly -Model $counterModel)
    }

    It 'learns each counter as a feature named by its path' {
        @($counterModel.Features) | Should -Be @($cpuPath, $memoryPath)
    }

    It 'scores a set as a row of its counters at its time, and names the counter that broke' {
        $counterScored | Should -HaveCount 21
        $counterScored[0].Timestamp | Should -Be ([datetime]'2026-11-02').AddSeconds(600)
        $counterScored[-1].$cpuPath | Should -Be 99
        $counterScored[-1].IsAnomaly | Should -BeTrue
        $counterScored[-1].AnomalyTopFeature | Should -Be $cpuPath
        @($counterScored | Select-Object -First 20 | Where-Object IsAnomaly).Count | Should -BeLessOrEqual 1
    }

    It 'takes a sample whose status is not valid data as a missing value, not as its CookedValue of 0' {
        # Get-Counter gives a counter it could not read (an instance gone) CookedValue 0 and a status such as 0xC0000BC6.
        $set = New-CounterSet ([datetime]'2026-11-02 00:20') 22 4010
        $set.CounterSamples[1] | Add-Member -NotePropertyName Status -NotePropertyValue ([uint32]3221228486)
        $set.CounterSamples[1].CookedValue = 0
        $set.CounterSamples[0] | Add-Member -NotePropertyName Status -NotePropertyValue ([uint32]0)
        $scored = $set | Test-Anomaly -Model $counterModel
        $scored.$memoryPath | Should -BeNullOrEmpty
        $scored.ImputedFeatures | Should -Be @($memoryPath)
        $scored.IsAnomaly | Should -BeFalse
    }

    It 'a later host''s sample set without a process''s counter (an app pool recycled) is that sample''s error, not a stop for the host' {
        # A sample set holds the instances there were at its time. Before, piped training of web01's then web02's sets
        # stopped at web02's first set without w3wp with CounterMissingOnMachine ("none of web02's rows can be read"),
        # training nothing, and Test-Anomaly wrote that once and left web02's later such sets out without a word.
        function New-FleetSet([string] $Machine, [datetime] $Time, [double] $Cpu, [bool] $W3wp) {
            $samples = @(
                [pscustomobject]@{ Path = "\\$Machine\processor(_total)\% processor time"; CookedValue = $Cpu }
                [pscustomobject]@{ Path = "\\$Machine\memory\available mbytes"; CookedValue = 4000 + $Cpu }
                if ($W3wp) { [pscustomobject]@{ Path = "\\$Machine\process(w3wp)\% processor time"; CookedValue = $Cpu / 4 } })
            [pscustomobject]@{ PSTypeName = 'Deserialized.Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSampleSet'; Timestamp = $Time; CounterSamples = $samples }
        }
        $random = [Random]::new(9)
        $start = [datetime]'2026-11-03'
        $fleet = foreach ($machine in 'web01', 'web02') {
            0..199 | ForEach-Object { New-FleetSet $machine $start.AddSeconds($_) (20 + 5 * $random.NextDouble()) ($machine -eq 'web01' -or $_ -notin 50, 51) }
        }
        $model = New-Autoencoder -Seed 3
        $fleet | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
        $model.IsTrained | Should -BeTrue
        $model.Training.Rows | Should -Be 398
        @($failed | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('MissingFeatureColumn', 'MissingFeatureColumn')

        $web02 = 0..199 | ForEach-Object { New-FleetSet 'web02' $start.AddSeconds(600 + $_) (20 + 5 * $random.NextDouble()) ($_ -notin 10, 11, 100) }
        $scored = @($web02 | Test-Anomaly -Model $model -ThreadCount 1 -ErrorVariable scoreFailed -ErrorAction SilentlyContinue 3>$null)
        $scored.Count | Should -Be 197
        @($scoreFailed | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('MissingFeatureColumn', 'MissingFeatureColumn', 'MissingFeatureColumn')
    }
}

Describe 'Real-world exports: a typeperf export and Get-Counter sample sets of the same samples' {
    # The same counters, logged by typeperf/relog (a CSV whose time column names its zone and holds that zone's clock times,
    # the hour repeated when clocks go back included) and read live by Get-Counter (sample sets whose Timestamp is a
    # DateTime of this machine's clock). A window model trained on either was refused the other: FeatureColumnsMissing,
    # lacks '(PDH-CSV 4.0) ...' for sample sets, lacks 'Timestamp' for the export.
    BeforeAll {
        $script:pdhSummer = '(PDH-CSV 4.0) (Pacific Daylight Time)(420)'
        $pacific = [System.TimeZoneInfo]::FindSystemTimeZoneById('America/Los_Angeles')
        $cpuPath = '\\web01\processor(_total)\% processor time'
        $memoryPath = '\\web01\memory\available mbytes'

        # Rows a minute apart from $Start (UTC): the export's file and the sample sets of the same values.
        function New-SameSamples([datetime] $Start, [int] $Count, [int] $Seed, [string] $Path, [int[]] $Spike = @()) {
            $random = [System.Random]::new($Seed)
            $lines = [System.Collections.Generic.List[string]]::new()
            $lines.Add(('"{0}","{1}","{2}"' -f $pdhSummer, $cpuPath, $memoryPath))
            $sets = for ($i = 0; $i -lt $Count; $i++) {
                $utc = [datetime]::SpecifyKind($Start.AddMinutes($i), 'Utc')
                $load = 0.5 + 0.3 * [math]::Sin(2 * [math]::PI * $i / 60) + 0.05 * $random.NextDouble()
                if ($Spike -contains $i) { $load += 0.6 }
                $cpu = (100 * $load).ToString('F3', $invariant)
                $memory = (8000 - 4000 * $load + 50 * $random.NextDouble()).ToString('F3', $invariant)
                $local = [System.TimeZoneInfo]::ConvertTimeFromUtc($utc, $pacific).ToString('MM/dd/yyyy HH:mm:ss.fff', $invariant)
                $lines.Add(('"{0}","{1}","{2}"' -f $local, $cpu, $memory))
                [pscustomobject]@{
                    PSTypeName     = 'Microsoft.PowerShell.Commands.GetCounter.PerformanceCounterSampleSet'
                    Timestamp      = $utc.ToLocalTime()
                    CounterSamples = @(
                        [pscustomobject]@{ Path = $cpuPath; InstanceName = '_total'; CookedValue = [double]::Parse($cpu, $invariant) }
                        [pscustomobject]@{ Path = $memoryPath; InstanceName = ''; CookedValue = [double]::Parse($memory, $invariant) })
                }
            }
            [System.IO.File]::WriteAllLines($Path, $lines)
            $sets
        }
        $script:trainFile = Join-Path $TestDrive 'typeperf-train.csv'
        $script:scoreFile = Join-Path $TestDrive 'typeperf-score.csv'
        $script:trainSets = @(New-SameSamples ([datetime]'2026-10-29 00:00') 400 1 $trainFile)
        # 00:00 to 03:59 Pacific time on 1 November 2026, when clocks go back at 02:00: the export writes 01:00-01:59 twice.
        $script:scoreSets = @(New-SameSamples ([datetime]'2026-11-01 07:00') 300 2 $scoreFile -Spike (200..203))
    }

    It 'scores the sample sets with a model trained on the export, as the export itself' {
        $model = New-Autoencoder -HiddenLayer 8, 3 -WindowSize 4 -TimeProperty $pdhSummer -Seed 3
        $null = Invoke-AutoencoderTraining -Model $model -Path $trainFile -Epochs 5 -ThreadCount 1 -WarningAction SilentlyContinue

        $fromFile = @(Test-Anomaly -Model $model -Path $scoreFile -ThreadCount 1 -ErrorVariable fileFailed 3>$null)
        $fromSets = @($scoreSets | Test-Anomaly -Model $model -ThreadCount 1 -ErrorVariable setFailed 3>$null)

        $fileFailed | Should -BeNullOrEmpty
        $setFailed | Should -BeNullOrEmpty
        $fromSets.Count | Should -Be $fromFile.Count
        @($fromSets.AnomalyScore) | Should -Be @($fromFile.AnomalyScore)
        $fromSets[203].IsAnomaly | Should -BeTrue
    }

    It 'scores the export with a model trained on the sample sets (-TimeProperty Timestamp), its times read in the zone it names' {
        $model = New-Autoencoder -HiddenLayer 8, 3 -WindowSize 4 -TimeProperty Timestamp -Seed 3
        $null = $trainSets | Invoke-AutoencoderTraining -Model $model -Epochs 5 -ThreadCount 1 -WarningAction SilentlyContinue

        $fromSets = @($scoreSets | Test-Anomaly -Model $model -ThreadCount 1 -ErrorVariable setFailed 3>$null)
        # Read as written, the repeated hour was a step back: 60 rows refused as out of order.
        $fromFile = @(Test-Anomaly -Model $model -Path $scoreFile -ThreadCount 1 -ErrorVariable fileFailed 3>$null)
        $piped = @(Import-Csv -LiteralPath $scoreFile | Test-Anomaly -Model $model -ThreadCount 1 -ErrorVariable pipedFailed 3>$null)

        $setFailed | Should -BeNullOrEmpty
        $fileFailed | Should -BeNullOrEmpty
        $pipedFailed | Should -BeNullOrEmpty
        $fromFile.Count | Should -Be $fromSets.Count
        @($fromFile.AnomalyScore) | Should -Be @($fromSets.AnomalyScore)
        @($piped.AnomalyScore) | Should -Be @($fromSets.AnomalyScore)
    }
}

Describe 'Real-world exports: performance counters of another machine' {
    # A fleet scores each host's perfmon export in place with one shipped model: the counters' columns are named after
    # the machine (\\WEB01\Processor(_Total)\% Processor Time), so a model trained on WEB01 reads WEB02's export by the
    # counters' paths. Each file here is generated in code: a row a minute, three counters tied to one load.
    BeforeAll {
        $script:pdh = '(PDH-CSV 4.0) (Coordinated Universal Time)(0)'
        $script:counters = @('\Processor(_Total)\% Processor Time', '\Memory\Available MBytes', '\PhysicalDisk(_Total)\Disk Transfers/sec')

        function Write-CounterExport {
            param([string] $Path, [string[]] $Machine, [int] $First, [int] $Count, [int] $Seed, [int[]] $Spike = @())
            $random = [System.Random]::new($Seed)
            $lines = [System.Collections.Generic.List[string]]::new()
            $names = @("""$pdh""") + @(foreach ($m in $Machine) { foreach ($c in $counters) { """\\$m$c""" } })
            $lines.Add($names -join ',')
            $start = [datetime]::new(2026, 11, 2, 0, 0, 0)
            for ($i = $First; $i -lt $First + $Count; $i++) {
                $fields = @('"{0}"' -f $start.AddMinutes($i).ToString('MM/dd/yyyy HH:mm:ss.fff', $invariant))
                foreach ($m in $Machine) {
                    $load = 0.5 + 0.3 * [math]::Sin(2 * [math]::PI * $i / 60) + 0.05 * $random.NextDouble()
                    if ($Spike -contains ($i - $First)) { $load += 0.6 }
                    $fields += '"{0}"' -f (100 * $load).ToString('F3', $invariant)
                    $fields += '"{0}"' -f (8000 - 4000 * $load + 50 * $random.NextDouble()).ToString('F3', $invariant)
                    $fields += '"{0}"' -f (200 * $load + 10 * $random.NextDouble()).ToString('F3', $invariant)
                }
                $lines.Add($fields -join ',')
            }
            [System.IO.File]::WriteAllLines($Path, $lines)
        }

        $script:web01 = Join-Path $TestDrive 'web01-counters.csv'
        $script:web02 = Join-Path $TestDrive 'web02-counters.csv'
        Write-CounterExport -Path $web01 -Machine WEB01 -First 0 -Count 1200 -Seed 1
        Write-CounterExport -Path $web02 -Machine WEB02 -First 3000 -Count 400 -Seed 2 -Spike (200..205)
        # WEB02's export with WEB01's column names: what the model would read had the file come from WEB01.
        $script:renamed = Join-Path $TestDrive 'web02-as-web01.csv'
        (Get-Content -LiteralPath $web02) -replace '\\\\WEB02\\', '\\WEB01\' | Set-Content -LiteralPath $renamed
        $script:counterModel = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $null = Invoke-AutoencoderTraining -Model $counterModel -Path $web01 -Epochs 5 -ThreadCount 1 -WarningAction SilentlyContinue
        $script:reference = @(Test-Anomaly -Model $counterModel -Path $renamed -ThreadCount 1 3>$null)
    }

    It 'scores WEB02''s export with the model trained on WEB01''s, as if its columns were WEB01''s (-Path, -OutputPath, piped)' {
        @($counterModel.FeatureColumns.Name) | Should -Be @($counters | ForEach-Object { "\\WEB01$_" })
        $scored = @(Test-Anomaly -Model $counterModel -Path $web02 -ThreadCount 1 -ErrorVariable failed 3>$null)
        $failed | Should -BeNullOrEmpty
        $scored.Count | Should -Be 400
        @($scored | ForEach-Object { "$($_.AnomalyScore)|$($_.AnomalyStatus)|$($_.IsAlert)" }) | Should -Be @($reference | ForEach-Object { "$($_.AnomalyScore)|$($_.AnomalyStatus)|$($_.IsAlert)" })
        @(198..210 | Where-Object { $scored[$_].IsAnomaly }).Count | Should -BeGreaterThan 0
        # The rows keep their own columns, and what they say of their features names WEB02's counters, as the row's
        # columns do: an alert on WEB02 never names WEB01 (the top feature, the explanation, the shares, the values filled in).
        $scored[0].PSObject.Properties.Name | Should -Contain '\\WEB02\Processor(_Total)\% Processor Time'
        $anomaly = $scored | Where-Object IsAnomaly | Select-Object -First 1
        $anomaly.AnomalyExplanation | Should -BeLike '\\WEB02\*'
        $anomaly.AnomalyExplanation | Should -Not -BeLike '*WEB01*'
        $anomaly.AnomalyTopFeature | Should -BeLike '\\WEB02\*'
        @($anomaly.AnomalyFeatureShare.Keys | Where-Object { $_ -like '\\WEB02\*' }).Count | Should -Be 12 # 3 counters, 4 steps
        @($anomaly.AnomalyContributions.Feature) | Should -Not -BeLike '*WEB01*'

        $out = Join-Path $TestDrive 'web02-scored.csv'
        Test-Anomaly -Model $counterModel -Path $web02 -OutputPath $out -ThreadCount 1 3>$null
        (Get-Content -LiteralPath $out -TotalCount 1) | Should -BeLike '*,\\WEB02\Memory\Available MBytes,*'
        (Get-Content -LiteralPath $out -Raw) | Should -Not -BeLike '*WEB01*'
        @(Import-Csv -LiteralPath $out | ForEach-Object AnomalyScore) | Should -Be @($reference | ForEach-Object { if ($null -eq $_.AnomalyScore) { '' } else { ([double]$_.AnomalyScore).ToString('R', $invariant) } })

        $piped = @(Import-Csv -LiteralPath $web02 | Test-Anomaly -Model $counterModel -ThreadCount 1 3>$null)
        @($piped.AnomalyScore) | Should -Be @($reference.AnomalyScore)
    }

    It 'the scheduled job scores WEB02''s export with WEB01''s model file as Test-Anomaly does' {
        $modelPath = Join-Path $TestDrive 'web01.aemodel'
        Export-Autoencoder -Model $counterModel -Path $modelPath
        $out = Join-Path $TestDrive 'web02-job.csv'
        $summary = Invoke-AnomalyScoring -ModelPath $modelPath -Path $web02 -OutputPath $out -ThreadCount 1 -ErrorVariable failed 3>$null
        $failed | Should -BeNullOrEmpty
        $summary.FilesFailed | Should -Be 0
        $summary.RowsScored + $summary.RowsWarmingUp | Should -Be 400
        @(Import-Csv -LiteralPath $out | ForEach-Object AnomalyScore) | Should -Be @(Import-Csv -LiteralPath (Join-Path $TestDrive 'web02-scored.csv') | ForEach-Object AnomalyScore)
        (Get-Content -LiteralPath $out -Raw) | Should -Not -BeLike '*WEB01*'

        # JSON Lines, and a value missing on WEB02 (filled in): named as WEB02's too.
        $gap = Join-Path $TestDrive 'web02-gap.csv'
        $lines = Get-Content -LiteralPath $web02
        $fields = $lines[300] -split ','
        $fields[2] = '" "'
        $lines[300] = $fields -join ','
        Set-Content -LiteralPath $gap -Value $lines
        $json = Join-Path $TestDrive 'web02-job.jsonl'
        $null = Invoke-AnomalyScoring -ModelPath $modelPath -Path $gap -OutputPath $json -Format JsonLines -ThreadCount 1 3>$null
        $rows = @(Get-Content -LiteralPath $json | ConvertFrom-Json)
        $rows.Count | Should -Be 400
        @($rows | Where-Object { $_.AnomalyTopFeature } | Where-Object { $_.AnomalyTopFeature -notlike '\\WEB02\*' }).Count | Should -Be 0
        ($rows | Where-Object SourceLine -eq 301).ImputedFeatures | Should -Be @('\\WEB02\Memory\Available MBytes')
        (Get-Content -LiteralPath $json -Raw) | Should -Not -BeLike '*WEB01*'
        $piped = @(Import-Csv -LiteralPath $gap | Test-Anomaly -Model $counterModel -ThreadCount 1 3>$null)
        $piped[299].ImputedFeatures | Should -Be @('\\WEB02\Memory\Available MBytes')

        # A value that is no number: the error names WEB02's column, which the file has (WEB01's it has not).
        $bad = Join-Path $TestDrive 'web02-bad.csv'
        $fields = $lines[300] -split ','
        $fields[2] = '"abc"'
        $lines[300] = $fields -join ','
        Set-Content -LiteralPath $bad -Value $lines
        foreach ($run in @(
                { Test-Anomaly -Model $counterModel -Path $bad -ThreadCount 1 -ErrorVariable refused -ErrorAction SilentlyContinue 3>$null | Out-Null; $refused },
                { Import-Csv -LiteralPath $bad | Test-Anomaly -Model $counterModel -ThreadCount 1 -ErrorVariable refused -ErrorAction SilentlyContinue 3>$null | Out-Null; $refused },
                { Invoke-AnomalyScoring -ModelPath $modelPath -Path $bad -OutputPath (Join-Path $TestDrive "bad-$(New-Guid).csv") -ThreadCount 1 -ErrorVariable refused -ErrorAction SilentlyContinue 3>$null | Out-Null; $refused })) {
            $errors = @(& $run)
            $errors.Count | Should -BeGreaterThan 0
            "$($errors[0])" | Should -BeLike "*column '\\WEB02\Memory\Available MBytes' has value 'abc'*"
            "$($errors[0])" | Should -Not -BeLike '*WEB01*'
        }
    }

    It 'scores several hosts'' exports of the same hours in one call and one job folder, each host its own series' {
        # A window never spans two hosts, and WEB03's rows are not "out of order" after WEB02's of the same hours: each
        # host's rows are scored as they would be alone. (Before, they were one series: WEB03's 400 rows failed.)
        $fleet = Join-Path $TestDrive 'fleet'
        $null = New-Item -ItemType Directory -Path $fleet
        $web03 = Join-Path $fleet 'web03-counters.csv'
        Copy-Item -LiteralPath $web02 -Destination (Join-Path $fleet 'web02-counters.csv')
        Write-CounterExport -Path $web03 -Machine WEB03 -First 3000 -Count 400 -Seed 5 -Spike (300..305)
        $alone03 = @(Test-Anomaly -Model $counterModel -Path $web03 -ThreadCount 1 3>$null)
        $together = @(Test-Anomaly -Model $counterModel -Path $web02, $web03 -ThreadCount 1 -ErrorVariable failed 3>$null)
        $failed | Should -BeNullOrEmpty
        $together.Count | Should -Be 800
        @($together | Select-Object -First 400 | ForEach-Object AnomalyScore) | Should -Be @($reference.AnomalyScore)
        @($together | Select-Object -Skip 400 | ForEach-Object { "$($_.AnomalyScore)|$($_.AnomalyStatus)" }) | Should -Be @($alone03 | ForEach-Object { "$($_.AnomalyScore)|$($_.AnomalyStatus)" })
        $piped = @(@(Import-Csv -LiteralPath $web02) + @(Import-Csv -LiteralPath $web03) | Test-Anomaly -Model $counterModel -ThreadCount 1 3>$null)
        @($piped.AnomalyScore) | Should -Be @($together.AnomalyScore)
        # The report names each alert's host, as a -GroupBy model's report names its group.
        @($together | Select-Object -Skip 400 | Where-Object IsAlert).Count | Should -BeGreaterThan 0
        $report = Join-Path $TestDrive 'fleet.html'
        $together | Export-AnomalyReport -Model $counterModel -Path $report -TimeProperty $pdh
        $html = Get-Content -LiteralPath $report -Raw
        $html | Should -BeLike '*<td class="group">WEB03</td>*'
        $html | Should -BeLike '*<td class="group">WEB02</td>*'

        $modelPath = Join-Path $TestDrive 'fleet.aemodel'
        Export-Autoencoder -Model $counterModel -Path $modelPath
        $out = Join-Path $TestDrive 'fleet-scored.csv'
        $summary = Invoke-AnomalyScoring -ModelPath $modelPath -Path (Join-Path $fleet '*.csv') -OutputPath $out -ThreadCount 1 -ErrorVariable jobFailed 3>$null
        $jobFailed | Should -BeNullOrEmpty
        $summary.FilesFailed | Should -Be 0
        $summary.RowsScored | Should -Be 794
        $summary.RowsWarmingUp | Should -Be 6
        @(Import-Csv -LiteralPath $out | Where-Object SourceFile -eq $web03 | ForEach-Object AnomalyScore) | Should -Be @($alone03 | ForEach-Object { if ($null -eq $_.AnomalyScore) { '' } else { ([double]$_.AnomalyScore).ToString('R', $invariant) } })
    }

    It 'trains one model on several hosts'' exports (-Path and piped), features named as the first host''s, each host its own series' {
        # Small files: the rows roles are chosen from hold both hosts. Before, the features were both hosts' six columns,
        # and every row lacked the other host's three.
        $train02 = Join-Path $TestDrive 'train-web02.csv'
        $train03 = Join-Path $TestDrive 'train-web03.csv'
        $score04 = Join-Path $TestDrive 'score-web04.csv'
        Write-CounterExport -Path $train02 -Machine WEB02 -First 3000 -Count 400 -Seed 8
        Write-CounterExport -Path $train03 -Machine web03 -First 3000 -Count 400 -Seed 6
        Write-CounterExport -Path $score04 -Machine WEB04 -First 3000 -Count 300 -Seed 7 -Spike (150..155)
        $fleetModel = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $trained = Invoke-AutoencoderTraining -Model $fleetModel -Path $train02, $train03 -Epochs 5 -ThreadCount 1 -ErrorVariable failed -WarningAction SilentlyContinue -Verbose 4>&1
        $failed | Should -BeNullOrEmpty
        @($fleetModel.FeatureColumns.Name) | Should -Be @($counters | ForEach-Object { "\\WEB02$_" })
        # 400 rows each, 3 warming up in each host's series: the second host's rows are not a continuation of the first's.
        $fleetModel.Training.Rows | Should -Be 794
        @($trained | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Performance counters of 2 machines (WEB02, web03)*' }).Count | Should -Be 1

        $piped = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $null = @(Import-Csv -LiteralPath $train02) + @(Import-Csv -LiteralPath $train03) | Invoke-AutoencoderTraining -Model $piped -Epochs 5 -ThreadCount 1 -WarningAction SilentlyContinue
        $piped.Training.Rows | Should -Be 794
        $piped.Threshold | Should -Be $fleetModel.Threshold

        # Files longer than the rows roles are chosen from (the first 1,000): every file's machine counts, by its header.
        # web03's export comes first; -Feature names WEB02's counters, and WEB02 has a counter web03 lacks.
        $long02 = Join-Path $TestDrive 'long-web02.csv'
        $long03 = Join-Path $TestDrive 'long-web03.csv'
        Write-CounterExport -Path $long02 -Machine WEB02 -First 0 -Count 1200 -Seed 9
        Write-CounterExport -Path $long03 -Machine web03 -First 0 -Count 1200 -Seed 10
        $extra = Import-Csv -LiteralPath $long02 | Select-Object *, @{ n = '\\WEB02\TCPv4\Segments/sec'; e = { '12' } }
        $extra | Export-Csv -LiteralPath $long02 -UseQuotes AsNeeded
        $named = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3 -Feature "\\WEB02$($counters[0])", "\\WEB02$($counters[1])"
        $null = Invoke-AutoencoderTraining -Model $named -Path $long03, $long02 -Epochs 2 -ThreadCount 1 -ErrorVariable namedFailed -WarningAction SilentlyContinue
        $namedFailed | Should -BeNullOrEmpty
        @($named.FeatureColumns.Name) | Should -Be @("\\WEB02$($counters[0])", "\\WEB02$($counters[1])")
        $named.Training.Rows | Should -Be 2394
        $unnamed = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $null = Invoke-AutoencoderTraining -Model $unnamed -Path $long03, $long02 -Epochs 2 -ThreadCount 1 -ErrorVariable unnamedFailed -WarningAction SilentlyContinue
        $unnamedFailed | Should -BeNullOrEmpty
        @($unnamed.FeatureColumns.Name) | Should -Be @($counters | ForEach-Object { "\\web03$_" })
        $lacking = New-Autoencoder -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Feature "\\WEB02$($counters[0])", '\\WEB02\TCPv4\Segments/sec'
        { Invoke-AutoencoderTraining -Model $lacking -Path $long03, $long02 -Epochs 1 -ThreadCount 1 -ErrorAction Stop } |
            Should -Throw "*'\\WEB02\TCPv4\Segments/sec' is a counter of WEB02 only: the exports of web03 lack it*"

        # A third host's export is scored by it; its spike is found.
        $scored = @(Test-Anomaly -Model $fleetModel -Path $score04 -ThreadCount 1 -ErrorVariable scoreFailed 3>$null)
        $scoreFailed | Should -BeNullOrEmpty
        $scored.Count | Should -Be 300
        @(148..160 | Where-Object { $scored[$_].IsAnomaly }).Count | Should -BeGreaterThan 0
    }

    It 'trains on piped rows of a host that comes after the rows roles are chosen from, as its own series, as -Path does' {
        # Piped rows have no header to read ahead: the features are chosen from the first 1,000 rows, which hold WEB01's
        # alone. WEB03's rows after them hold every counter the features read, under WEB03's name: read by their paths,
        # each its own series. Test-Anomaly and Set-AutoencoderThreshold take them so too.
        $late03 = Join-Path $TestDrive 'late-web03.csv'
        Write-CounterExport -Path $late03 -Machine WEB03 -First 0 -Count 400 -Seed 11 -Spike (250..255)
        $byPath = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $null = Invoke-AutoencoderTraining -Model $byPath -Path $web01, $late03 -Epochs 2 -ThreadCount 1 -WarningAction SilentlyContinue
        $piped = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $null = Import-Csv -LiteralPath $web01, $late03 | Invoke-AutoencoderTraining -Model $piped -Epochs 2 -ThreadCount 1 -ErrorVariable failed -WarningAction SilentlyContinue
        $failed | Should -BeNullOrEmpty
        @($piped.FeatureColumns.Name) | Should -Be @($counters | ForEach-Object { "\\WEB01$_" })
        # 3 rows warming up in each host's series.
        $piped.Training.Rows | Should -Be 1594
        $piped.Threshold | Should -Be $byPath.Threshold

        $scoredByPath = @(Test-Anomaly -Model $byPath -Path $web01, $late03 -ThreadCount 1 3>$null)
        $scoredPiped = @(Import-Csv -LiteralPath $web01, $late03 | Test-Anomaly -Model $byPath -ThreadCount 1 -ErrorVariable scoreFailed 3>$null)
        $scoreFailed | Should -BeNullOrEmpty
        @($scoredPiped | ForEach-Object { "$($_.AnomalyScore)|$($_.AnomalyStatus)" }) | Should -Be @($scoredByPath | ForEach-Object { "$($_.AnomalyScore)|$($_.AnomalyStatus)" })
        # WEB03's first rows warm its own window up: not a continuation of WEB01's series.
        @($scoredPiped | Select-Object -Skip 1200 -First 4 | ForEach-Object AnomalyStatus) | Should -Be @('WarmingUp', 'WarmingUp', 'WarmingUp', 'Scored')

        $null = Set-AutoencoderThreshold -Model $byPath -Method Percentile -Value 98 -Path $web01, $late03
        $recalibrated = $byPath.Threshold
        $null = Import-Csv -LiteralPath $web01, $late03 | Set-AutoencoderThreshold -Model $byPath -Method Percentile -Value 99
        $null = Import-Csv -LiteralPath $web01, $late03 | Set-AutoencoderThreshold -Model $byPath -Method Percentile -Value 98 -ErrorVariable thresholdFailed
        $thresholdFailed | Should -BeNullOrEmpty
        $byPath.Threshold | Should -Be $recalibrated
    }

    It 'stops at the first piped row of a later host that lacks a counter the features read, with one error saying which and what to do; scoring leaves that host out' {
        # Before, each of its rows failed, and after 100 training stopped with "the likely cause: the input rows are not
        # the kind of data the model was trained on".
        $lacking03 = Join-Path $TestDrive 'lacking-web03.csv'
        $full03 = Join-Path $TestDrive 'full-web03.csv'
        Write-CounterExport -Path $full03 -Machine WEB03 -First 0 -Count 400 -Seed 12
        Import-Csv -LiteralPath $full03 | Select-Object -ExcludeProperty '\\WEB03\Memory\Available MBytes' | Export-Csv -LiteralPath $lacking03 -UseQuotes AsNeeded
        $model = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $rowErrors = $null
        $failed = @()
        try {
            Import-Csv -LiteralPath $web01, $lacking03 | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 -ErrorVariable rowErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
        }
        catch { $failed += $_ }
        # No row's error before it (-ErrorVariable holds the stop itself as an exception, not as a record).
        @($rowErrors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CounterMissingOnMachine,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidData'
        # The target is the row that failed: WEB03's first.
        $failed[0].TargetObject.'\\WEB03\Processor(_Total)\% Processor Time' | Should -Not -BeNullOrEmpty
        $failed[0].TargetObject.$pdh | Should -Be (Import-Csv -LiteralPath $lacking03 | Select-Object -First 1).$pdh
        $message = "$($failed[0])"
        $message | Should -BeLike "Row 1201: *WEB03*'\\WEB03\Memory\Available MBytes'*"
        $message | Should -BeLike '*-Path*'
        $message | Should -BeLike "*-ExcludeFeature '\\WEB01\Memory\Available MBytes'*"
        $message | Should -Not -BeLike '*-Culture*'
        $model.IsTrained | Should -BeFalse

        # What it suggests works: -Path with every host's file leaves the counter WEB03 lacks out; so does -ExcludeFeature.
        $byPath = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3
        $null = Invoke-AutoencoderTraining -Model $byPath -Path $web01, $lacking03 -Epochs 2 -ThreadCount 1 -ErrorVariable pathFailed -WarningAction SilentlyContinue
        $pathFailed | Should -BeNullOrEmpty
        $byPath.Training.Rows | Should -Be 1594
        $excluding = New-Autoencoder -HiddenLayer 12, 4 -WindowSize 4 -TimeProperty $pdh -TimeZone 'UTC' -Seed 3 -ExcludeFeature '\\WEB01\Memory\Available MBytes'
        $null = Import-Csv -LiteralPath $web01, $lacking03 | Invoke-AutoencoderTraining -Model $excluding -Epochs 2 -ThreadCount 1 -ErrorVariable excludingFailed -WarningAction SilentlyContinue
        $excludingFailed | Should -BeNullOrEmpty
        @($excluding.FeatureColumns.Name) | Should -Be @($byPath.FeatureColumns.Name)
        $excluding.Training.Rows | Should -Be 1594

        # Training further, the model's features are fixed: the same one error, at WEB03's first row.
        $furtherPath = Join-Path $TestDrive 'web01-further.aemodel'
        Export-Autoencoder -Model $counterModel -Path $furtherPath
        $further = Import-Autoencoder -Path $furtherPath
        $furtherRowErrors = $null
        $failedFurther = @()
        try {
            Import-Csv -LiteralPath $lacking03 | Invoke-AutoencoderTraining -Model $further -Incremental -Epochs 1 -ThreadCount 1 -ErrorVariable furtherRowErrors -ErrorAction SilentlyContinue 3>$null | Out-Null
        }
        catch { $failedFurther += $_ }
        @($furtherRowErrors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failedFurther.Count | Should -Be 1
        $failedFurther[0].FullyQualifiedErrorId | Should -BeLike 'CounterMissingOnMachine,*'
        "$($failedFurther[0])" | Should -BeLike "Row 1: *WEB03*'\\WEB03\Memory\Available MBytes'*"

        # A threshold on new rows: the same, the threshold unchanged (before, one error for each of WEB03's 400 rows).
        $before = $further.Threshold
        $thresholdRowErrors = $null
        $stopped = $null
        try { Import-Csv -LiteralPath $web01, $lacking03 | Set-AutoencoderThreshold -Model $further -Method Percentile -Value 98 -ErrorVariable thresholdRowErrors -ErrorAction SilentlyContinue }
        catch { $stopped = $_ }
        @($thresholdRowErrors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $stopped.FullyQualifiedErrorId | Should -BeLike 'CounterMissingOnMachine,*'
        "$stopped" | Should -BeLike "Row 1201: *'\\WEB03\Memory\Available MBytes'*The threshold is unchanged."
        $further.Threshold | Should -Be $before

        # Scoring: one error for WEB03, whose rows are left out, and WEB01's rows scored as alone (before, 100 errors
        # and a stop that blamed the input).
        $scored = @(Import-Csv -LiteralPath $web01, $lacking03 | Test-Anomaly -Model $counterModel -ThreadCount 1 -ErrorVariable scoreErrors -ErrorAction SilentlyContinue 3>$null)
        $scoreErrors.Count | Should -Be 1
        $scoreErrors[0].FullyQualifiedErrorId | Should -BeLike 'CounterMissingOnMachine,*'
        "$($scoreErrors[0])" | Should -BeLike "Row 1201: *'\\WEB03\Memory\Available MBytes'*rows are left out; the other machines' are scored."
        $scored.Count | Should -Be 1200
        @($scored.AnomalyScore) | Should -Be @(Test-Anomaly -Model $counterModel -Path $web01 -ThreadCount 1 3>$null).AnomalyScore
    }

    It 'trains further (-Incremental) on WEB02''s rows, keeping the counters as named' {
        $copy = Import-Autoencoder -Path (Join-Path $TestDrive 'web01.aemodel')
        $null = Invoke-AutoencoderTraining -Model $copy -Path $web02 -Incremental -Epochs 1 -ThreadCount 1 -ErrorVariable failed 3>$null
        $failed | Should -BeNullOrEmpty
        @($copy.FeatureColumns.Name) | Should -Be @($counterModel.FeatureColumns.Name)
        $copy.Training.Rows | Should -BeGreaterThan 0
    }

    It 'refuses an export of several machines'' counters (which machine is meant is not known), saying so' {
        $many = Join-Path $TestDrive 'relog-web02-web03.csv'
        Write-CounterExport -Path $many -Machine WEB02, WEB03 -First 3000 -Count 50 -Seed 4
        $null = Test-Anomaly -Model $counterModel -Path $many -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FeatureColumnsMissing,*'
        "$($failed[0])" | Should -BeLike "*holds the counter '\Processor(_Total)\% Processor Time' of 2 machines ('\\WEB02\Processor(_Total)\% Processor Time', '\\WEB03\Processor(_Total)\% Processor Time')*"
        # A column named exactly as trained is read as named, whatever else the file holds.
        $both = Join-Path $TestDrive 'relog-web01-web02.csv'
        Write-CounterExport -Path $both -Machine WEB01, WEB02 -First 3000 -Count 50 -Seed 4
        $null = Test-Anomaly -Model $counterModel -Path $both -ThreadCount 1 -ErrorVariable failedBoth -ErrorAction SilentlyContinue
        $failedBoth | Should -BeNullOrEmpty
    }

    It 'never mixes machines across piped objects whose columns are not their own members (DataRows of two tables)' {
        # Every DataRow has no own members (its columns come through an adapter): the columns chosen for one table's rows
        # were reused for the next table's, and a partial relog's rows read WEB01's CPU beside WEB02's memory.
        function New-CounterTable {
            param([string] $Name, [string[]] $Column, [int] $Seed, [int] $Start)
            $table = [System.Data.DataTable]::new()
            [void]$table.Columns.Add($pdh, [string])
            [void]$table.Columns.Add('Source', [string])
            foreach ($c in $Column) { [void]$table.Columns.Add($c, [double]) }
            $random = [System.Random]::new($Seed)
            for ($i = $Start; $i -lt $Start + 30; $i++) {
                $row = $table.NewRow()
                $row[$pdh] = [datetime]::new(2026, 11, 4).AddMinutes($i).ToString('MM/dd/yyyy HH:mm:ss.fff', $invariant)
                $row['Source'] = $Name
                foreach ($c in $Column) { $row[$c] = 50 + 10 * $random.NextDouble() }
                $table.Rows.Add($row)
            }
            , $table
        }
        $web02 = New-CounterTable -Name web02 -Column @($counters | ForEach-Object { "\\WEB02$_" }) -Seed 1 -Start 0
        $partial = New-CounterTable -Name partial -Column (@("\\WEB01$($counters[0])", "\\WEB01$($counters[2])") + @($counters | ForEach-Object { "\\WEB02$_" })) -Seed 2 -Start 30
        $scored = @(@($web02.Rows) + @($partial.Rows) | Test-Anomaly -Model $counterModel -ThreadCount 1 -ErrorVariable refused -ErrorAction SilentlyContinue 2>$null)
        @($scored | Where-Object Source -eq 'web02').Count | Should -Be 30
        @($scored | Where-Object Source -eq 'partial').Count | Should -Be 0
        "$($refused[0])" | Should -BeLike "*\\WEB01\Memory\Available MBytes*"
    }

    It 'never mixes machines: an export of the model''s machine and another, and a model of two machines, read as named only' {
        # WEB01's export without its memory counter, with WEB02's counters beside it: WEB01's memory is missing, not WEB02's.
        $mixed = Join-Path $TestDrive 'relog-mixed.csv'
        $relog = Join-Path $TestDrive 'relog-web01-web02-all.csv'
        Write-CounterExport -Path $relog -Machine WEB01, WEB02 -First 3000 -Count 50 -Seed 4
        Import-Csv -LiteralPath $relog | Select-Object -ExcludeProperty '\\WEB01\Memory\Available MBytes' | Export-Csv -LiteralPath $mixed -UseQuotes AsNeeded
        $null = Test-Anomaly -Model $counterModel -Path $mixed -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        "$($failed[0])" | Should -BeLike "*lacks the model's column(s) '\\WEB01\Memory\Available MBytes'*"
        { Import-Csv -LiteralPath $mixed | Test-Anomaly -Model $counterModel -ThreadCount 1 } | Should -Throw "*lacks the model's column(s) '\\WEB01\Memory\Available MBytes'*"

        # A model trained on both machines' counters scores WEB01's own export: WEB02's features are missing, never
        # read from WEB01's columns; nor does a third machine's export stand for either.
        $pair = New-Autoencoder -HiddenLayer 12, 4 -Seed 3
        $null = Invoke-AutoencoderTraining -Model $pair -Path $relog -Epochs 2 -ThreadCount 1 -WarningAction SilentlyContinue
        @($pair.FeatureColumns.Name | Where-Object { $_ -like '\\WEB02\*' }).Count | Should -Be 3
        foreach ($machine in 'WEB01', 'WEB03') {
            $one = Join-Path $TestDrive "$machine-only.csv"
            Write-CounterExport -Path $one -Machine $machine -First 3000 -Count 50 -Seed 5
            $null = Test-Anomaly -Model $pair -Path $one -ThreadCount 1 -ErrorVariable refused -ErrorAction SilentlyContinue
            $refused.Count | Should -Be 1 -Because $machine
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'FeatureColumnsMissing,*'
            { Import-Csv -LiteralPath $one | Set-AutoencoderThreshold -Model $pair -Method Percentile -ErrorAction Stop } | Should -Throw -Because $machine
        }
    }
}
