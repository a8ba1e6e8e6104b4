BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # One day of clean sample metrics (incidents start on day 2) trains a small detector.
    $script:training = @(Get-AutoencoderSampleData -Days 1 -Seed 1)
    $script:m = New-Autoencoder -HiddenLayer 8, 4 -Seed 17
    $script:m = $training | Invoke-AutoencoderTraining -Model $m -Epochs 5 -BatchSize 64 -ThreadCount 1 -PassThru
    $script:featureNames = @('CpuPct', 'MemoryPct', 'DiskIops', 'NetworkMbps', 'ErrorCount')

    function New-SampleRow {
        # Fresh, unscored copies of sample rows (Test-Anomaly adds properties to the objects it is given).
        param([int] $First = 600, [int] $Seed = 2)
        Get-AutoencoderSampleData -Days 1 -Seed $Seed | Select-Object -First $First
    }

    function ConvertTo-PlainCsvLine {
        # The header, then one line per row: fields as PowerShell prints them, unquoted, for the tests that damage lines.
        param([object[]] $Rows)
        $names = @($Rows[0].PSObject.Properties.Name)
        @($names -join ',') + @($Rows | ForEach-Object { $r = $_; ($names | ForEach-Object { "$($r.$_)" }) -join ',' })
    }
}

Describe 'Test-Anomaly' {
    It 'scores with a model whose features are the sample columns (test premise)' {
        @($m.Features) | Should -Be $featureNames
    }

    Context 'scored rows' {
        BeforeAll {
            $script:rows = @(New-SampleRow -First 600)
            $script:originalNames = @($rows[0].PSObject.Properties.Name)
            $script:originalCpu = @($rows.CpuPct)
            $script:scored = @($rows | Test-Anomaly -Model $m -BatchSize 50)
            $script:whole = @(New-SampleRow -First 600 | Test-Anomaly -Model $m -BatchSize 600)
        }

        It 'passes every row through, in order, as the same objects' {
            $scored | Should -HaveCount 600
            for ($i = 0; $i -lt 600; $i++) {
                if (-not [object]::ReferenceEquals($scored[$i], $rows[$i])) { throw "Output row $i is not input row $i." }
            }
            $scored.Timestamp | Should -Be $rows.Timestamp
        }

        It 'adds AnomalyScore (double), IsAnomaly (bool) and AnomalyTopFeature (a model feature)' {
            @($scored | Where-Object { $_.AnomalyScore -isnot [double] }) | Should -HaveCount 0 -Because 'every AnomalyScore is a double'
            @($scored | Where-Object { $_.IsAnomaly -isnot [bool] }) | Should -HaveCount 0 -Because 'every IsAnomaly is a bool'
            @($scored | Where-Object { $_.AnomalyTopFeature -isnot [string] }) | Should -HaveCount 0 -Because 'every AnomalyTopFeature is a string'
            @($scored.AnomalyTopFeature | Where-Object { $_ -cnotin $featureNames }) | Should -HaveCount 0 -Because 'the top feature is one of the model features'
        }

        It 'adds the explanation: AnomalyExplanation, AnomalyContributions, AnomalyFeatureShare and ImputedFeatures' {
            foreach ($row in $scored[0], $scored[-1]) {
                $row.AnomalyExplanation | Should -BeOfType ([string])
                @($row.AnomalyContributions) | Should -HaveCount 3
                foreach ($c in $row.AnomalyContributions) { $c | Should -BeOfType ([AutoencoderPS.Engine.Modeling.FeatureContribution]) }
                $row.AnomalyContributions[0].Feature | Should -Be $row.AnomalyTopFeature
                $row.AnomalyExplanation | Should -Match ('^' + [regex]::Escape($row.AnomalyTopFeature) + ' \S+ \(expected ')
                $row.AnomalyFeatureShare | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
                @($row.AnomalyFeatureShare.Keys) | Should -Be $featureNames
                , $row.ImputedFeatures | Should -BeOfType ([string[]])
                $row.ImputedFeatures | Should -HaveCount 0
            }
        }

        It 'keeps all other properties, in their order, with their values' {
            $added = @('AnomalyScore', 'IsAnomaly', 'AnomalyTopFeature', 'AnomalyExplanation', 'AnomalyContributions', 'AnomalyFeatureShare', 'ImputedFeatures')
            @($scored[0].PSObject.Properties.Name) | Should -Be ($originalNames + $added)
            @($scored.CpuPct) | Should -Be $originalCpu
        }

        It 'scores rows of other member orders, name cases and extra members mixed in one pipeline as it scores each alone' {
            # Rows of the pipeline's usual shape are read by position; any other row by name. Mixed shapes (and a first row
            # unlike the rest, after which the usual shape is learnt again) must not move a value to another feature.
            $added = @('AnomalyScore', 'IsAnomaly', 'AnomalyTopFeature', 'AnomalyExplanation', 'AnomalyContributions', 'AnomalyFeatureShare', 'ImputedFeatures')
            $source = @(New-SampleRow -First 200)
            $mixed = for ($i = 0; $i -lt 200; $i++) {
                $row = $source[$i]
                if ($i -eq 0) { $row | Add-Member -NotePropertyName Extra -NotePropertyValue 1 -PassThru }
                elseif ($i % 4 -eq 1) { $names = @($row.PSObject.Properties.Name); [array]::Reverse($names); $row | Select-Object -Property $names }
                elseif ($i % 4 -eq 2) { $h = [ordered]@{}; foreach ($p in $row.PSObject.Properties) { $h[$p.Name.ToUpperInvariant()] = $p.Value }; [pscustomobject]$h }
                else { $row }
            }
            $out = @($mixed + $mixed[3] | Test-Anomaly -Model $m)
            $alone = @(New-SampleRow -First 200 | Test-Anomaly -Model $m)
            $out | Should -HaveCount 201
            Get-DoubleBits $out[0..199].AnomalyScore | Should -Be (Get-DoubleBits $alone.AnomalyScore)
            $out[0..199].AnomalyTopFeature | Should -Be $alone.AnomalyTopFeature
            foreach ($k in 0, 1, 2, 3) { @($out[$k].PSObject.Properties.Name)[-7..-1] | Should -Be $added -Because "row $k" }
            # The same object again is scored again in place: one AnomalyScore, the same value.
            [object]::ReferenceEquals($out[200], $out[3]) | Should -BeTrue
            @($out[3].PSObject.Properties.Name | Where-Object { $_ -eq 'AnomalyScore' }) | Should -HaveCount 1
            $out[3].AnomalyScore | Should -Be $alone[3].AnomalyScore
        }

        It 'gives each scored row type names of its own to change' {
            $pair = @(New-SampleRow -First 2 | Test-Anomaly -Model $m)
            $pair[0].PSTypeNames[0] | Should -Be 'AutoencoderPS.ScoredRow'
            $pair[0].PSTypeNames.Insert(0, 'Custom.Row')
            $pair[0].PSTypeNames[0] | Should -Be 'Custom.Row'
            $pair[1].PSTypeNames | Should -Not -Contain 'Custom.Row'
            $pair[1].PSTypeNames[0] | Should -Be 'AutoencoderPS.ScoredRow'
        }

        It 'lets IsAnomaly and AnomalyTopFeature be set, keeping the members in their order' {
            $pair = @(New-SampleRow -First 2 | Test-Anomaly -Model $m)
            $names = @($pair[0].PSObject.Properties.Name)
            $verdict = $pair[0].IsAnomaly
            $pair[0].IsAnomaly = -not $verdict
            $pair[0].AnomalyTopFeature = 'reviewed'
            $pair[0].IsAnomaly | Should -Be (-not $verdict)
            $pair[0].AnomalyTopFeature | Should -Be 'reviewed'
            @($pair[0].PSObject.Properties.Name) | Should -Be $names
            $pair[1].AnomalyTopFeature | Should -BeIn $featureNames
        }

        It 'gives finite, non-negative scores' {
            @($scored | Where-Object { [double]::IsNaN($_.AnomalyScore) -or [double]::IsInfinity($_.AnomalyScore) -or $_.AnomalyScore -lt 0 }) |
                Should -HaveCount 0
        }

        It 'sets IsAnomaly exactly when AnomalyScore is above the model threshold' {
            $threshold = $m.Threshold
            @($scored | Where-Object { $_.IsAnomaly -ne ($_.AnomalyScore -gt $threshold) }) | Should -HaveCount 0
            # Both outcomes occur, so the comparison above is not vacuous.
            @($scored | Where-Object IsAnomaly).Count | Should -BeGreaterThan 0
            @($scored | Where-Object { -not $_.IsAnomaly }).Count | Should -BeGreaterThan 0
        }

        It 'scores with -BatchSize <BatchSize> bit-identically to one batch of all 600 rows' -ForEach @(
            @{ BatchSize = 128 }
            @{ BatchSize = 256 }
        ) {
            # The engine runs the network in fixed-size chunks, every row 16-byte aligned, so no batch size can change
            # a row's score.
            $other = @(New-SampleRow -First 600 | Test-Anomaly -Model $m -BatchSize $BatchSize)
            $other | Should -HaveCount 600
            Get-DoubleBits $other.AnomalyScore | Should -Be (Get-DoubleBits $whole.AnomalyScore)
            $other.IsAnomaly | Should -Be $whole.IsAnomaly
        }

        It 'scores with -BatchSize 1 and 50 bit-identically to one batch of all 600 rows' {
            # Rows are copied into chunks with a 16-byte aligned row stride: libtorch's kernels round aligned and
            # unaligned rows differently, which made a row's score depend on its place in the batch before.
            foreach ($batchSize in 1, 50) {
                $other = @(New-SampleRow -First 600 | Test-Anomaly -Model $m -BatchSize $batchSize)
                $other | Should -HaveCount 600
                Get-DoubleBits $other.AnomalyScore | Should -Be (Get-DoubleBits $whole.AnomalyScore) -Because "-BatchSize $batchSize"
                $other.IsAnomaly | Should -Be $whole.IsAnomaly
            }
        }
    }

    Context "the caller's variables" {
        It "leaves a caller's `$data and `$known as they were, at the top of a script and in a function's parameter, on a session's first call" {
            # A session's first Test-Anomaly registers the scored rows' members by a script run in the caller's scope: its
            # param(`$data) and `$known = Get-TypeData ... overwrote the caller's variables with a TypeData object, silently;
            # in a function whose parameter is `$data it failed (VariableNotWritableRare), on every call.
            $child = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $script = {
                param($ModulePath)
                Import-Module $ModulePath
                $model = New-Autoencoder -HiddenLayer 4 -Seed 5
                Get-AutoencoderSampleData -Days 1 -Seed 3 | Select-Object -First 200 | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 | Out-Null
                if ($args[0] -eq 'top') {
                    $data = @(Get-AutoencoderSampleData -Days 1 -Seed 4 | Select-Object -First 20)
                    $known = 'web01', 'web02'
                    $null = $data | Test-Anomaly -Model $model
                    '{0}|{1}|{2}' -f $data[0].GetType().Name, $data.Count, ($known -join ',')
                }
                else {
                    function Find-Anomaly([object[]] $data) { @($data | Test-Anomaly -Model $model).Count }
                    Find-Anomaly @(Get-AutoencoderSampleData -Days 1 -Seed 4 | Select-Object -First 20)
                }
            }
            # A script file, as a scheduled script runs (its variables are the script's scope).
            $file = Join-Path $TestDrive 'caller-variables.ps1'
            Set-Content -LiteralPath $file -Value "$script"
            foreach ($where in 'top', 'function') {
                $said = @(& $child -NoProfile -NonInteractive -File $file -ModulePath $env:AUTOENCODERPS_MODULE $where 2>&1) -join "`n"
                $said | Should -Be ($where -eq 'top' ? 'PSCustomObject|20|web01,web02' : '20') -Because $where
            }
        }
    }

    Context 'rows unlike the training rows' {
        It 'a row model warns once when most scored rows are anomalies, naming the likely cause, and not for rows like its training rows' {
            # An operator's row model of a Prometheus export flagged 2,850 of 2,850 normal rows without a word: the cause
            # was the model's (counters kept as levels), and nothing said so.
            $shifted = @(New-SampleRow -First 200 -Seed 2 | ForEach-Object { $_.CpuPct = [double]$_.CpuPct + 400; $_ })
            $scored = @($shifted | Test-Anomaly -Model $m -WarningVariable said -WarningAction SilentlyContinue)
            @($scored | Where-Object IsAnomaly).Count | Should -BeGreaterThan 100
            $unlike = @($said | Where-Object { "$_" -like '*above the model''s threshold*unlike the rows it was trained on*' })
            $unlike | Should -HaveCount 1
            "$($unlike[0])" | Should -BeLike '*AnomalyTopFeature*counter*-Feature*'
            $null = New-SampleRow -First 200 -Seed 2 | Test-Anomaly -Model $m -WarningVariable like -WarningAction SilentlyContinue
            @($like | Where-Object { "$_" -like '*above the model''s threshold*' }) | Should -HaveCount 0
        }
    }

    Context 'the threshold basis' {
        BeforeAll {
            # Percentile 100: the threshold is the largest training error, so no training row may score above it. MinMax:
            # no training range, so the stored errors are the rows' own (under the default scaling a row alone at a
            # feature's extreme is stored as the other rows' range scores it, as a new row). 1,440 rows, a small
            # baseline: the stored errors are the rows' own times the factor cross-fitting measured for rows unseen in
            # training (Training.UnseenErrorRatio, at least 1).
            $script:p100 = New-Autoencoder -HiddenLayer 8, 4 -Seed 17
            $null = $training | Invoke-AutoencoderTraining -Model $p100 -Epochs 2 -BatchSize 64 -ThresholdMethod Percentile -ThresholdValue 100 -Scaling MinMax
            $script:trainingAgain = @(Get-AutoencoderSampleData -Days 1 -Seed 1 | Test-Anomaly -Model $p100)
            $script:unseen = $p100.Training.UnseenErrorRatio
        }

        It 're-scoring the training rows gives exactly the training errors the threshold was computed from' {
            $trainingAgain | Should -HaveCount 1440
            $p100.TrainingErrors | Should -HaveCount 1440
            $unseen | Should -BeGreaterOrEqual 1
            Get-DoubleBits ([double[]]($trainingAgain.AnomalyScore | Sort-Object | ForEach-Object { $_ * $unseen })) | Should -Be (Get-DoubleBits $p100.TrainingErrors)
        }

        It 'the Percentile 100 threshold equals the worst training row''s score (times the factor) bit for bit; no training row is flagged' {
            Get-DoubleBits (($trainingAgain.AnomalyScore | Measure-Object -Maximum).Maximum * $unseen) | Should -Be (Get-DoubleBits $p100.Threshold)
            @($trainingAgain | Where-Object IsAnomaly) | Should -HaveCount 0
        }

        It 're-scoring the training rows with -BatchSize <BatchSize> gives exactly the training errors too' -ForEach @(
            @{ BatchSize = 128 }
            @{ BatchSize = 600 }
        ) {
            $again = @(Get-AutoencoderSampleData -Days 1 -Seed 1 | Test-Anomaly -Model $p100 -BatchSize $BatchSize)
            Get-DoubleBits $again.AnomalyScore | Should -Be (Get-DoubleBits $trainingAgain.AnomalyScore)
        }

        It 're-scoring the training rows with -BatchSize 1 and 50 gives exactly the training errors too ' {
            foreach ($batchSize in 1, 50) {
                $again = @(Get-AutoencoderSampleData -Days 1 -Seed 1 | Test-Anomaly -Model $p100 -BatchSize $batchSize)
                Get-DoubleBits ([double[]]($again.AnomalyScore | Sort-Object | ForEach-Object { $_ * $unseen })) | Should -Be (Get-DoubleBits $p100.TrainingErrors) -Because "-BatchSize $batchSize"
                @($again | Where-Object IsAnomaly) | Should -HaveCount 0
            }
        }
    }

    Context 'missing values' {
        BeforeAll {
            $script:cpuMedian = ($m.FeatureColumns | Where-Object Name -eq 'CpuPct').Median
            function New-RowWithCpu {
                param($Value)
                $row = New-SampleRow -First 1 -Seed 3
                $row.CpuPct = $Value
                $row
            }
        }

        It 'the model records the training median of each feature (test premise)' {
            $cpu = [double[]]($training.CpuPct | Sort-Object)
            $cpuMedian | Should -Be (($cpu[719] + $cpu[720]) / 2)
        }

        It 'NaN, NA, N/A, null, empty and $null are imputed, named in ImputedFeatures, and left out of the score and explanation' {
            $rows = foreach ($value in @($cpuMedian, [double]::NaN, 'NaN', 'NA', 'N/A', 'null', '', $null, [double]::PositiveInfinity)) { New-RowWithCpu $value }
            $out = @($rows | Test-Anomaly -Model $m -TopFeatureCount 5)
            $out | Should -HaveCount 9
            $out[0].ImputedFeatures | Should -HaveCount 0
            # Every spelling of missing is the same row: CpuPct filled in (the median, moved to what the other values say),
            # its error left out; the score is the mean over the four measured features, so it is not the median row's.
            foreach ($row in $out[1..8]) {
                @($row.ImputedFeatures) | Should -Be @('CpuPct')
                Get-DoubleBits $row.AnomalyScore | Should -Be (Get-DoubleBits $out[1].AnomalyScore)
                $row.AnomalyExplanation | Should -Not -BeLike '*CpuPct*'
            }
            $out[0].AnomalyExplanation | Should -BeLike '*CpuPct*'
            Get-DoubleBits $out[1].AnomalyScore | Should -Not -Be (Get-DoubleBits $out[0].AnomalyScore)
        }

        It '-RejectMissing makes them non-terminating EmptyFeatureValue errors naming row and column; complete rows still score' {
            $rows = @((New-RowWithCpu 50.5), (New-RowWithCpu 'NA'), (New-RowWithCpu ''), (New-RowWithCpu 42))
            $errs = $null
            $out = @($rows | Test-Anomaly -Model $m -RejectMissing -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 2
            $out.CpuPct | Should -Be @(50.5, 42)
            $errs | Should -HaveCount 2
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'EmptyFeatureValue,*'
            $errs[0].ToString() | Should -Match "\bRow 2\b: column 'CpuPct' has the missing value 'NA'"
            $errs[1].ToString() | Should -Match "\bRow 3\b: column 'CpuPct' is empty"
            [object]::ReferenceEquals($errs[0].TargetObject, $rows[1]) | Should -BeTrue
        }
    }

    Context 'scoring the same rows again' {
        It 'gives bit-identical scores every time' {
            # 600 rows (three batches) scored 8 times with the same model. Scores once alternated in the last bits
            # between calls: the forward pass read unaligned managed memory and MKL rounds by alignment.
            $runs = foreach ($i in 1..8) { , @(New-SampleRow -First 600 | Test-Anomaly -Model $m).AnomalyScore }
            foreach ($run in $runs) {
                $run | Should -HaveCount 600
                Get-DoubleBits $run | Should -Be (Get-DoubleBits $runs[0])
            }
        }
    }

    Context 'an obviously broken row' {
        It 'flags a row whose <Column> is 10x the training maximum, naming that column as the top feature' -ForEach @(
            @{ Column = 'CpuPct' }
            @{ Column = 'DiskIops' }
            @{ Column = 'ErrorCount' }
        ) {
            $max = ($training | Measure-Object -Property $Column -Maximum).Maximum
            $normal = New-SampleRow -First 1 -Seed 3
            $broken = New-SampleRow -First 1 -Seed 3
            $broken.$Column = 10 * [math]::Max($max, 1)
            $result = @($normal, $broken | Test-Anomaly -Model $m)
            $result | Should -HaveCount 2
            $result[1].IsAnomaly | Should -BeTrue
            $result[1].AnomalyTopFeature | Should -Be $Column
            $result[1].AnomalyScore | Should -BeGreaterThan $result[0].AnomalyScore
        }
    }

    Context 'errors' {
        It 'an untrained model is a terminating ModelNotTrained error (InvalidOperation)' {
            $untrained = New-Autoencoder -Seed 1
            { New-SampleRow -First 3 | Test-Anomaly -Model $untrained } | Should -Throw -ErrorId 'ModelNotTrained,*'
            $caught = $null
            try { New-SampleRow -First 3 | Test-Anomaly -Model $untrained } catch { $caught = $_ }
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidOperation)
        }

        It 'input lacking feature columns is ONE terminating FeatureColumnsMissing error naming every missing column' {
            $rows = @(New-SampleRow -First 10 | Select-Object -Property * -ExcludeProperty MemoryPct, ErrorCount)
            $errs = $null; $caught = $null; $out = $null
            try { $out = @($rows | Test-Anomaly -Model $m -ErrorVariable errs) } catch { $caught = $_ }
            $out | Should -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'FeatureColumnsMissing,*'
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            $caught.ToString() | Should -Match "lacks the model's column\(s\) 'MemoryPct', 'ErrorCount'\."
            @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'MissingFeatureColumn,*' }) | Should -HaveCount 0
            @($rows | Where-Object { $_.PSObject.Properties['AnomalyScore'] }) | Should -HaveCount 0
        }

        It 'a later row without a feature''s property has a missing value there, as with $null: filled in and listed, the row scored' {
            # JSON leaves out a field it has no value for. Each such row was a MissingFeatureColumn error, and not written out.
            $rows = @(New-SampleRow -First 10)
            $rows[1] = $rows[1] | Select-Object -Property * -ExcludeProperty MemoryPct
            $asNull = @(New-SampleRow -First 10)
            $asNull[1].MemoryPct = $null
            $errs = $null
            $out = @($rows | Test-Anomaly -Model $m -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs | Should -HaveCount 0
            $out | Should -HaveCount 10
            $out.Timestamp | Should -Be $rows.Timestamp
            @($out[1].ImputedFeatures) | Should -Be @('MemoryPct')
            $out[1].AnomalyScore | Should -Be (@($asNull | Test-Anomaly -Model $m)[1].AnomalyScore)
            # With -RejectMissing it is refused as a missing value, naming the row and the column.
            $rejected = @($rows | Test-Anomaly -Model $m -RejectMissing -ErrorVariable errs -ErrorAction SilentlyContinue)
            $rejected | Should -HaveCount 9
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'EmptyFeatureValue,*'
            $errs[0].ToString() | Should -Match '\bRow 2\b.*MemoryPct'
        }

        It 'a FIRST row without a feature''s property, when the second has it, has a missing value there too; the others come out' {
            # It stopped the whole call (FeatureColumnsMissing) and every good row after it was lost; then it was an error.
            $rows = @(New-SampleRow -First 10)
            $rows[0] = $rows[0] | Select-Object -Property * -ExcludeProperty ErrorCount
            $errs = $null
            $out = @($rows | Test-Anomaly -Model $m -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs | Should -HaveCount 0
            $out | Should -HaveCount 10
            @($out[0].ImputedFeatures) | Should -Be @('ErrorCount')
        }

        It 'an array given to -InputObject is the FeatureColumnsMissing error, saying to pipe the rows' {
            # Its columns were the array's own members ('Length', 'LongLength', 'Rank'), with no word of why.
            $rows = @(New-SampleRow -First 3)
            $e = { Test-Anomaly -Model $m -InputObject $rows } | Should -Throw -ErrorId 'FeatureColumnsMissing,*' -PassThru
            $e.Exception.Message | Should -BeLike '*The input is an array, not a row: -InputObject takes one row. Pipe the rows instead*'
        }

        It 'a single piped row lacking feature columns is the FeatureColumnsMissing error, saying how to give rows the properties' {
            $row = New-SampleRow -First 1 | Select-Object -Property * -ExcludeProperty CpuPct
            $e = { $row | Test-Anomaly -Model $m } | Should -Throw -ErrorId 'FeatureColumnsMissing,*' -PassThru
            $e.Exception.Message | Should -BeLike "*give every row the model's properties first: Select-Object *CpuPct*"
        }

        It 'a file of a header only is no error, but a warning names it (file to file, and file to objects)' {
            $folder = Join-Path ([IO.Path]::GetTempPath()) "aeps-headeronly-$([guid]::NewGuid().ToString('N'))"
            $null = New-Item -ItemType Directory -Path $folder
            try {
                $empty = Join-Path $folder 'empty.csv'
                $full = Join-Path $folder 'full.csv'
                New-SampleRow -First 5 | Export-Csv -LiteralPath $full -UseQuotes AsNeeded
                Set-Content -LiteralPath $empty -Value (Get-Content -LiteralPath $full -TotalCount 1)
                $warnings = @()
                Test-Anomaly -Model $m -LiteralPath $empty, $full -OutputPath (Join-Path $folder 'scored.csv') -ThreadCount 1 -WarningVariable warnings -WarningAction SilentlyContinue
                @($warnings) | Should -HaveCount 1
                "$($warnings[0])" | Should -Match ([regex]::Escape("File '$empty' holds no data rows"))
                @(Import-Csv -LiteralPath (Join-Path $folder 'scored.csv')) | Should -HaveCount 5
                $warnings = @()
                $out = @(Test-Anomaly -Model $m -LiteralPath $empty -ThreadCount 1 -WarningVariable warnings -WarningAction SilentlyContinue)
                $out | Should -HaveCount 0
                "$($warnings[0])" | Should -Match 'holds no data rows'
            }
            finally { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
        }

        It 'a row with a non-numeric value is a non-terminating InvalidFeatureValue error; the others come out' {
            $rows = @(New-SampleRow -First 5)
            $rows[4].ErrorCount = 'many'
            $errs = $null
            $out = @($rows | Test-Anomaly -Model $m -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
            $errs[0].ToString() | Should -Match '\bRow 5\b.*ErrorCount.*many'
            $out | Should -HaveCount 4
        }

        It 'a file row whose fields don''t fit the header is FieldCountMismatch, read by neither path by position; a trailing delimiter fits' {
            # A row that left out a field was read by position (values under the wrong columns, the last filled in), and a
            # second header of a multi-part export (sadf -d -- -u -r) made its rows score as rows of the first layout.
            $all = ConvertTo-PlainCsvLine (New-SampleRow -First 8)                                     # header, then rows 0-7
            $lines = @($all[0..3])
            $lines += ($all[4] -split ',' | Select-Object -Skip 1) -join ','                          # a field left out: line 5
            $lines += $all[5] + ','                                                                   # a trailing delimiter: fits
            $lines += $all[6] + ',extra,99'                                                           # another layout: line 7
            $lines += @($all[7..8])
            $file = Join-Path $TestDrive 'fields.csv'
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            foreach ($target in 'objects', 'file') {
                $errs = $null
                $scored = Join-Path $TestDrive "fields-scored-$target.csv"
                $splat = if ($target -eq 'file') { @{ OutputPath = $scored } } else { @{} }
                $out = @(Test-Anomaly -Model $m -Path $file @splat -ErrorVariable errs -ErrorAction SilentlyContinue)
                $errs | Should -HaveCount 2
                $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'FieldCountMismatch,*' }
                "$($errs[0])" | Should -BeLike '*line 5*6 field(s) and the header 7*'
                "$($errs[1])" | Should -BeLike "*line 7*holds 'extra'*"
                $count = if ($target -eq 'file') { @(Import-Csv -LiteralPath $scored).Count } else { $out.Count }
                $count | Should -Be 6
            }
        }

        It 'a last row cut off inside a quoted field (a file still being written) is UnclosedQuote, in both paths and in training' {
            # The cut row's open field was read as a value ('"0.51' as 0.51), without a word, by -Path and -OutputPath alike.
            $all = ConvertTo-PlainCsvLine (New-SampleRow -First 6)
            $last = $all[6] -split ','
            $last[-1] = '"' + $last[-1]                                                               # the last value quoted, the file cut inside it
            $whole = Join-Path $TestDrive 'whole-quoted.csv'
            $cut = Join-Path $TestDrive 'cut-quoted.csv'
            $quoted = ($last[0..($last.Count - 2)] + ($last[-1] + '"')) -join ','
            [System.IO.File]::WriteAllText($whole, ((@($all[0..5]) + $quoted) -join "`n"))             # closed, no final line break: a row
            [System.IO.File]::WriteAllText($cut, ((@($all[0..5]) + ($last -join ',')) -join "`n"))
            foreach ($target in 'objects', 'file') {
                $scored = Join-Path $TestDrive "cut-scored-$target.csv"
                $splat = if ($target -eq 'file') { @{ OutputPath = $scored } } else { @{} }
                $errs = $null
                $out = @(Test-Anomaly -Model $m -Path $whole @splat -ErrorVariable errs -ErrorAction SilentlyContinue)
                $errs | Should -HaveCount 0
                $count = if ($target -eq 'file') { @(Import-Csv -LiteralPath $scored).Count } else { $out.Count }
                $count | Should -Be 6

                $out = @(Test-Anomaly -Model $m -Path $cut @splat -ErrorVariable errs -ErrorAction SilentlyContinue)
                $errs | Should -HaveCount 1
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnclosedQuote,*'
                $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
                "$($errs[0])" | Should -BeLike "*line 7*ends inside a quoted field*under '$(($all[0] -split ',')[-1])'*still being written*"
                $count = if ($target -eq 'file') { @(Import-Csv -LiteralPath $scored).Count } else { $out.Count }
                $count | Should -Be 5
            }
            $t = New-Autoencoder -HiddenLayer 4 -Seed 1
            $errs = $null
            $null = Invoke-AutoencoderTraining -Model $t -Path $cut -Epochs 1 -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'UnclosedQuote,*' }) | Should -HaveCount 1
            $t.Training.Rows | Should -Be 5
        }

        It 'a last row cut inside a quoted field is UnclosedQuote with a delimiter of two characters or not ASCII too' {
            # Such a delimiter was not checked: the cut row's open field was read as a value without a word.
            $all = ConvertTo-PlainCsvLine (New-SampleRow -First 6)
            foreach ($delimiter in '||', [string][char]0x061B) {
                $rows = @($all[0..6] | ForEach-Object { $_.Replace(',', $delimiter) })
                $whole = Join-Path $TestDrive 'whole-delimited.csv'
                $cut = Join-Path $TestDrive 'cut-delimited.csv'
                $fields = $rows[6] -split [regex]::Escape($delimiter)
                $closed = ($fields[0..($fields.Count - 2)] + ('"' + $fields[-1] + '"')) -join $delimiter
                $open = ($fields[0..($fields.Count - 2)] + ('"' + $fields[-1])) -join $delimiter
                [System.IO.File]::WriteAllText($whole, ((@($rows[0..5]) + $closed) -join "`n"))
                [System.IO.File]::WriteAllText($cut, ((@($rows[0..5]) + $open) -join "`n"))
                $errs = $null
                $out = @(Test-Anomaly -Model $m -Path $whole -Delimiter $delimiter -ErrorVariable errs -ErrorAction SilentlyContinue)
                $errs | Should -HaveCount 0
                $out | Should -HaveCount 6
                $out = @(Test-Anomaly -Model $m -Path $cut -Delimiter $delimiter -ErrorVariable errs -ErrorAction SilentlyContinue)
                $out | Should -HaveCount 5
                $errs | Should -HaveCount 1
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'UnclosedQuote,*'
                "$($errs[0])" | Should -BeLike '*line 7*ends inside a quoted field*'
            }
        }

        It 'says a row is the header again where exports were joined into one file, and scores the rows after it' {
            # The row was "column 'CpuPct' has value 'CpuPct', which is not a number", with no word of why it was there.
            $all = ConvertTo-PlainCsvLine (New-SampleRow -First 6)
            $lines = @($all[0..3]) + $all[0] + @($all[4..6])
            $file = Join-Path $TestDrive 'joined.csv'
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            $errs = $null
            $out = @(Test-Anomaly -Model $m -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 6
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue,*'
            "$($errs[0])" | Should -BeLike '*line 5*column''s own name*the header again*joined*'
        }

        It 'reads the rows after a header of another column order by that header: -Path, -OutputPath, training and the job' {
            # Two exports joined with cat, the second with MemoryPct and NetworkMbps swapped: only the header row was
            # rejected, and every row after it was read by the first header's positions and scored (or learned) so.
            $rows = @(New-SampleRow -First 6)
            $names = @($rows[0].PSObject.Properties.Name)
            $swapped = @($names | ForEach-Object { if ($_ -eq 'MemoryPct') { 'NetworkMbps' } elseif ($_ -eq 'NetworkMbps') { 'MemoryPct' } else { $_ } })
            $first = ConvertTo-PlainCsvLine $rows
            $second = @($swapped -join ',') + @($rows | ForEach-Object { $r = $_; ($swapped | ForEach-Object { "$($r.$_)" }) -join ',' })
            $file = Join-Path $TestDrive 'joined-swapped.csv'
            Set-Content -LiteralPath $file -Value ($first + $second) -Encoding utf8NoBOM
            $twice = Join-Path $TestDrive 'joined-twice.csv'
            Set-Content -LiteralPath $twice -Value ($first + $first[1..6]) -Encoding utf8NoBOM

            $errs = $null; $warns = $null
            $out = @(Test-Anomaly -Model $m -Path $file -ErrorVariable errs -WarningVariable warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $errs | Should -HaveCount 0
            $out | Should -HaveCount 12
            ($out[6..11].AnomalyScore -join ',') | Should -Be ($out[0..5].AnomalyScore -join ',')
            $out[6].MemoryPct | Should -Be $out[0].MemoryPct
            @($warns | Where-Object { "$_" -like "*line 8*header is there again*'MemoryPct', 'NetworkMbps' swapped*" }) | Should -HaveCount 1

            $scored = Join-Path $TestDrive 'joined-swapped.scored.csv'
            Test-Anomaly -Model $m -Path $file -OutputPath $scored -ErrorVariable errs -WarningVariable warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $errs | Should -HaveCount 0
            @($warns | Where-Object { "$_" -like '*line 8*header is there again*' }) | Should -HaveCount 1
            $lines = @(Get-Content -LiteralPath $scored)
            $lines | Should -HaveCount 13
            ($lines[7..12] -join "`n") | Should -Be ($lines[1..6] -join "`n")

            $fromFile = New-Autoencoder -HiddenLayer 4 -Seed 1
            Invoke-AutoencoderTraining -Model $fromFile -Path $file -Epochs 2 -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
            $errs | Should -HaveCount 0
            $fromTwice = New-Autoencoder -HiddenLayer 4 -Seed 1
            Invoke-AutoencoderTraining -Model $fromTwice -Path $twice -Epochs 2 -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
            $fromFile.Training.Rows | Should -Be 12
            $fromFile.Threshold | Should -Be $fromTwice.Threshold

            $modelPath = Join-Path $TestDrive 'joined-swapped.aemodel'
            Export-Autoencoder -Model $m -Path $modelPath -Force
            $jobOut = Join-Path $TestDrive 'joined-swapped.job.csv'
            $summary = Invoke-AnomalyScoring -ModelPath $modelPath -Path $file -OutputPath $jobOut -ThreadCount 1 -ErrorVariable errs -WarningVariable warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $errs | Should -HaveCount 0
            $summary.RowsScored | Should -Be 12
            $summary.RowsRejected | Should -Be 0
            @($warns | Where-Object { "$_" -like '*line 8*header is there again*' }) | Should -HaveCount 1
            $job = @(Import-Csv -LiteralPath $jobOut)
            ($job[6..11].AnomalyScore -join ',') | Should -Be ($job[0..5].AnomalyScore -join ',')
            ($job[6..11].MemoryPct -join ',') | Should -Be ($job[0..5].MemoryPct -join ',')
        }

        # A time-series model's record path checked the new header against an output that had no header yet (the pipeline
        # held the rows back): the check passed, and the first row after it failed with "other columns than the first
        # file", naming no line, after a warning that said they would be read.
        It 'refuses the rows after a header with columns the -OutputPath file lacks, clearly, and keeps the rows before it (<Kind> model)' -ForEach @(
            @{ Kind = 'row' }, @{ Kind = 'time-series' }
        ) {
            $rows = @(New-SampleRow -First 40)
            $model = $m
            if ($Kind -eq 'time-series') {
                $model = New-Autoencoder -HiddenLayer 4 -WindowSize 3 -TimeProperty Timestamp -Seed 2
                $null = $rows | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue
            }
            $first = ConvertTo-PlainCsvLine $rows[0..5]
            $second = @($first[0] + ',Region') + @(ConvertTo-PlainCsvLine $rows[6..11] | Select-Object -Skip 1 | ForEach-Object { "$_,eu" })
            $file = Join-Path $TestDrive "joined-added-$Kind.csv"
            Set-Content -LiteralPath $file -Value ($first + $second) -Encoding utf8NoBOM
            $out = @(Test-Anomaly -Model $model -Path $file -WarningAction SilentlyContinue)
            $out | Should -HaveCount 12
            $out[6].Region | Should -Be 'eu'
            $scored = Join-Path $TestDrive "joined-added-$Kind.scored.csv"
            $errs = $null
            Test-Anomaly -Model $model -Path $file -OutputPath $scored -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'CsvHeaderMismatch,*'
            "$($errs[0])" | Should -BeLike "*line 8*'Region' added*not scored*"
            @(Import-Csv -LiteralPath $scored) | Should -HaveCount 6
        }

        It 'writes the rows of a second file with the same columns in another order into one -OutputPath, each under its column' {
            # It was refused: "has other columns than", though Invoke-AnomalyScoring writes the same two files.
            $rows = @(New-SampleRow -First 6)
            $a = Join-Path $TestDrive 'order-a.csv'
            $b = Join-Path $TestDrive 'order-b.csv'
            $rows | Export-Csv -LiteralPath $a -NoTypeInformation
            $rows | Select-Object Incident, ErrorCount, NetworkMbps, Timestamp, DiskIops, MemoryPct, CpuPct | Export-Csv -LiteralPath $b -NoTypeInformation
            $scored = Join-Path $TestDrive 'order-ab.scored.csv'
            $errs = $null
            Test-Anomaly -Model $m -LiteralPath $a, $b -OutputPath $scored -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 0
            $lines = @(Get-Content -LiteralPath $scored)
            $lines | Should -HaveCount 13
            ($lines[7..12] -join "`n") | Should -Be ($lines[1..6] -join "`n")
        }

        It 'skips a line of spaces and tabs as Import-Csv does, in both paths and in training from the file' {
            # A blank line a text editor left with spaces in it was a FieldCountMismatch error in every file reader.
            $all = ConvertTo-PlainCsvLine (New-SampleRow -First 6)
            $lines = @($all[0..3]) + @('   ', "`t ") + @($all[4..6]) + @('  ')
            $file = Join-Path $TestDrive 'spaces.csv'
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            @(Import-Csv -LiteralPath $file) | Should -HaveCount 6
            $errs = $null
            $out = @(Test-Anomaly -Model $m -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs | Should -HaveCount 0
            $out | Should -HaveCount 6
            $scored = Join-Path $TestDrive 'spaces-scored.csv'
            Test-Anomaly -Model $m -Path $file -OutputPath $scored -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 0
            $piped = @(Import-Csv -LiteralPath $file | Test-Anomaly -Model $m)
            ($out | ForEach-Object AnomalyScore) -join ',' | Should -Be (($piped | ForEach-Object AnomalyScore) -join ',')
            $fresh = New-Autoencoder -HiddenLayer 4 -Seed 1
            Invoke-AutoencoderTraining -Model $fresh -Path $file -Epochs 1 -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
            $errs | Should -HaveCount 0
            $fresh.Training.Rows | Should -Be 6
        }

        It 'reads a file whose header and rows end in the delimiter, to objects; a damaged value''s control characters don''t reach the error' {
            # The unnamed last column stopped the call ("the value of argument 'name' is not valid"), and a crash-damaged
            # value wrote its escape sequence, bell and NUL raw into the error (and a job's log).
            $lines = @(ConvertTo-PlainCsvLine (New-SampleRow -First 5) | ForEach-Object { "$_," })
            $lines[3] = $lines[3] -replace '^([^,]*),([^,]*),', ('$1,' + [char]27 + '[2J' + [char]7 + ',')
            $file = Join-Path $TestDrive 'trailing.csv'
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            $errs = $null
            $out = @(Test-Anomaly -Model $m -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 4
            $errs | Should -HaveCount 1
            "$($errs[0])" | Should -BeLike '*line 4*?`[2J?*'
            "$($errs[0])".ToCharArray() | Where-Object { [char]::IsControl($_) } | Should -BeNullOrEmpty
        }
    }

    Context 'streaming' {
        It 'streams: Select-Object -First 3 stops the pipeline with 3 scored rows' {
            $first = @(Get-AutoencoderSampleData -Days 1 | Test-Anomaly -Model $m | Select-Object -First 3)
            $first | Should -HaveCount 3
            foreach ($row in $first) { $row.AnomalyScore | Should -BeOfType ([double]) }
        }

        It 'writes each batch before reading the rest of the input' {
            # Count how many rows the upstream command has produced when the first scored row arrives.
            $script:produced = 0
            $script:producedAtFirstOutput = $null
            $source = { foreach ($row in (New-SampleRow -First 100)) { $script:produced++; $row } }
            & $source | Test-Anomaly -Model $m -BatchSize 10 | ForEach-Object {
                if ($null -eq $script:producedAtFirstOutput) { $script:producedAtFirstOutput = $script:produced }
            }
            $script:produced | Should -Be 100
            $script:producedAtFirstOutput | Should -Be 10
        }

        It 'scores each row of a slow source as it comes, not when a batch is full' {
            # A live source (Get-Counter -Continuous, Get-Content -Wait | ConvertFrom-Csv) sends a row now and then: its
            # rows waited for a batch of 256 (hours), then came out together. A first row waits for the second.
            $events = [System.Collections.Generic.List[string]]::new()
            $rows = @(New-SampleRow -First 4)
            $rows | ForEach-Object { Start-Sleep -Milliseconds 400; $events.Add("in"); $_ } |
                Test-Anomaly -Model $m | ForEach-Object { $events.Add("out") }
            $events -join ',' | Should -Be 'in,in,out,out,in,out,in,out'
        }
    }

    Context 'a scored file (-OutputPath): AnomalyExplanation' {
        BeforeAll {
            # Three days, incidents from the second on: anomalies among normal rows, and more rows than two of the file
            # scorer's 2,048-row chunks, so that two threads share the file.
            $script:threeDays = Join-Path $TestDrive 'three-days.csv'
            Get-AutoencoderSampleData -Days 3 -Seed 2 | Export-Csv -LiteralPath $threeDays -UseQuotes AsNeeded
            $script:piped = @(Import-Csv -LiteralPath $threeDays | Test-Anomaly -Model $m -ThreadCount 1)
        }

        It 'explains only the anomalies, with AnomalyTopFeature on every row; -ExplainAll explains every row, as piped rows are' {
            $few = Join-Path $TestDrive 'anomalies-explained.csv'
            $all = Join-Path $TestDrive 'all-explained.csv'
            Test-Anomaly -Model $m -Path $threeDays -OutputPath $few -ThreadCount 1
            Test-Anomaly -Model $m -Path $threeDays -OutputPath $all -ExplainAll -ThreadCount 1
            $written = @(Import-Csv -LiteralPath $few)
            $explained = @(Import-Csv -LiteralPath $all)
            $anomalies = @($piped | Where-Object IsAnomaly).Count
            $anomalies | Should -BeGreaterThan 0
            $anomalies | Should -BeLessThan $piped.Count
            $written.IsAnomaly | Should -Be @($piped | ForEach-Object { $_.IsAnomaly.ToString() })
            $written.AnomalyTopFeature | Should -Be $piped.AnomalyTopFeature
            $written.AnomalyExplanation | Should -Be @($piped | ForEach-Object { $_.IsAnomaly ? $_.AnomalyExplanation : '' })
            $explained.AnomalyTopFeature | Should -Be $piped.AnomalyTopFeature
            $explained.AnomalyExplanation | Should -Be $piped.AnomalyExplanation
            @($explained | Where-Object AnomalyExplanation -eq '') | Should -HaveCount 0
        }

        It '-ThrottleLimit 2 writes the file of one thread byte for byte (<Name>)' -ForEach @(
            @{ Name = 'anomalies explained'; ExplainAll = $false }
            @{ Name = '-ExplainAll'; ExplainAll = $true }
        ) {
            $one = Join-Path $TestDrive "one-thread-$ExplainAll.csv"
            $two = Join-Path $TestDrive "two-threads-$ExplainAll.csv"
            Test-Anomaly -Model $m -Path $threeDays -OutputPath $one -ThreadCount 1 -ThrottleLimit 1 -ExplainAll:$ExplainAll
            Test-Anomaly -Model $m -Path $threeDays -OutputPath $two -ThreadCount 1 -ThrottleLimit 2 -ExplainAll:$ExplainAll
            (Get-Item -LiteralPath $two).Length | Should -Be (Get-Item -LiteralPath $one).Length
            (Get-FileHash -LiteralPath $two).Hash | Should -Be (Get-FileHash -LiteralPath $one).Hash
        }

        It '-ExplainAll is a switch for files (-Path or -LiteralPath); piped rows are always explained' {
            $parameter = (Get-Command Test-Anomaly).Parameters['ExplainAll']
            $parameter.SwitchParameter | Should -BeTrue
            @($parameter.ParameterSets.Keys | Sort-Object) | Should -Be @('LiteralPath', 'Path')
            @($piped | Where-Object { -not $_.IsAnomaly -and $_.AnomalyExplanation -eq '' }) | Should -HaveCount 0
        }
    }

    Context 'scoring a row again' {
        It 'replaces the score properties instead of failing or duplicating them' {
            $other = New-Autoencoder -HiddenLayer 8, 4 -Seed 99
            $other = $training | Invoke-AutoencoderTraining -Model $other -Epochs 2 -PassThru
            $rows = @(New-SampleRow -First 20)
            $null = $rows | Test-Anomaly -Model $m
            $firstScores = @($rows.AnomalyScore)
            $propertyCount = @($rows[0].PSObject.Properties).Count

            $errs = $null
            $again = @($rows | Test-Anomaly -Model $other -ErrorVariable errs)
            $errs | Should -HaveCount 0
            $again | Should -HaveCount 20
            @($again[0].PSObject.Properties).Count | Should -Be $propertyCount
            @($again[0].PSObject.Properties.Name | Where-Object { $_ -eq 'AnomalyScore' }) | Should -HaveCount 1

            # The new values are the other model's verdict, not the first one's.
            $expected = @(New-SampleRow -First 20 | Test-Anomaly -Model $other)
            Get-DoubleBits $again.AnomalyScore | Should -Be (Get-DoubleBits $expected.AnomalyScore)
            $again.IsAnomaly | Should -Be $expected.IsAnomaly
            $again.AnomalyTopFeature | Should -Be $expected.AnomalyTopFeature
            @(Get-ScoreMismatch $firstScores $again.AnomalyScore).Count | Should -BeGreaterThan 10
        }

        It 're-scores rows read back from CSV, whose score columns are text' {
            $path = Join-Path $TestDrive 'scored.csv'
            New-SampleRow -First 10 | Test-Anomaly -Model $m | Export-Csv -LiteralPath $path -NoTypeInformation
            $fromCsv = @(Import-Csv -LiteralPath $path)
            $fromCsv[0].AnomalyScore | Should -BeOfType ([string])
            $rescored = @($fromCsv | Test-Anomaly -Model $m)
            $rescored | Should -HaveCount 10
            @($rescored | Where-Object { $_.AnomalyScore -isnot [double] -or $_.IsAnomaly -isnot [bool] }) | Should -HaveCount 0
        }

        It 're-scores rows of a file written by -OutputPath, which holds only some of the score columns' {
            # -OutputPath writes AnomalyScore, IsAnomaly, AnomalyTopFeature, AnomalyExplanation and ImputedFeatures, but
            # not AnomalyContributions or AnomalyFeatureShare, which the scored-row type gives.
            $source = Join-Path $TestDrive 'rows.csv'
            $scoredFile = Join-Path $TestDrive 'scored-by-path.csv'
            New-SampleRow -First 10 | Export-Csv -LiteralPath $source -NoTypeInformation
            Test-Anomaly -Model $m -Path $source -OutputPath $scoredFile
            $errs = $null
            $rescored = @(Import-Csv -LiteralPath $scoredFile | Test-Anomaly -Model $m -ErrorVariable errs)
            $errs | Should -HaveCount 0
            $rescored | Should -HaveCount 10
            $expected = @(Import-Csv -LiteralPath $source | Test-Anomaly -Model $m)
            Get-DoubleBits $rescored.AnomalyScore | Should -Be (Get-DoubleBits $expected.AnomalyScore)
            $rescored.AnomalyExplanation | Should -Be $expected.AnomalyExplanation
            @($rescored[0].AnomalyContributions)[0].Feature | Should -Be @($expected[0].AnomalyContributions)[0].Feature
            @($rescored[0].AnomalyFeatureShare.Keys) | Should -Be @($expected[0].AnomalyFeatureShare.Keys)
        }
    }
}

Describe 'The scored-row type is known at import, before any row is scored (issue 15 item 19)' {
    BeforeAll {
        $script:expectedMembers = @('AnomalyScore', 'IsAnomaly', 'AnomalyTopFeature', 'AnomalyExplanation', 'AnomalyContributions',
            'AnomalyFeatureShare', 'ImputedFeatures')
        $script:moduleFolder = Split-Path (Resolve-Path -LiteralPath $env:AUTOENCODERPS_MODULE).ProviderPath -Parent

        function Invoke-FreshRunspace {
            # Runs $Script in a new runspace of this process (its own type table), after importing -Import.
            param([string] $Import, [scriptblock] $Script, [object[]] $ArgumentList = @())
            $ps = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
            try {
                $null = $ps.AddCommand('Import-Module').AddParameter('Name', $Import).AddParameter('ErrorAction', 'Stop').AddStatement()
                $null = $ps.AddScript($Script.ToString())
                foreach ($a in $ArgumentList) { $null = $ps.AddArgument($a) }
                $output = $ps.Invoke()
                if ($ps.HadErrors) { throw ($ps.Streams.Error | ForEach-Object { "$_ ($($_.FullyQualifiedErrorId))" }) -join '; ' }
                $output
            }
            finally { $ps.Dispose() }
        }
    }

    It 'declares AutoencoderPS.ScoredRow as an output type and registers its members at Import-Module' {
        $result = Invoke-FreshRunspace -Import $env:AUTOENCODERPS_MODULE -Script {
            [pscustomobject]@{
                OutputType = @((Get-Command Test-Anomaly).OutputType.Name)
                Members    = @((Get-TypeData -TypeName AutoencoderPS.ScoredRow).Members.Keys)
            }
        }
        $result.OutputType | Should -Contain 'AutoencoderPS.ScoredRow'
        $result.OutputType | Should -Contain 'System.IO.FileInfo'
        $result.Members | Should -Be $expectedMembers
    }

    It 'completes the scored-row members after Test-Anomaly in ForEach-Object and Where-Object' {
        $result = Invoke-FreshRunspace -Import $env:AUTOENCODERPS_MODULE -Script {
            $line = 'Test-Anomaly -Model $m | ForEach-Object { $_.Anom'
            $member = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            $line = 'Test-Anomaly -Model $m | Where-Object '
            $where = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            [pscustomobject]@{ Member = $member; Where = $where }
        }
        $result.Member | Should -Be @('AnomalyContributions', 'AnomalyExplanation', 'AnomalyFeatureShare', 'AnomalyScore', 'AnomalyTopFeature')
        foreach ($name in $expectedMembers) { $result.Where | Should -Contain $name }
    }

    It 'keeps the members of the types file when rows are scored: no duplicate-member error, each row''s own score' {
        $result = Invoke-FreshRunspace -Import $env:AUTOENCODERPS_MODULE -Script {
            param($model, $rows)
            $scored = @($rows | Test-Anomaly -Model $model)
            [pscustomobject]@{
                Members = @((Get-TypeData -TypeName AutoencoderPS.ScoredRow).Members.Keys)
                Names   = @($scored[0].PSObject.Properties.Name)
                Score   = $scored[0].AnomalyScore
                Scores  = @($scored | ForEach-Object AnomalyScore)
                Status  = $scored[0].IsAnomaly
            }
        } -ArgumentList $m, @(New-SampleRow -First 20)
        $result.Members | Should -Be $expectedMembers
        # AnomalyScore is listed once, where it always was: after the row's own columns, before the type's members.
        $result.Names | Should -Be (@('Timestamp', 'CpuPct', 'MemoryPct', 'DiskIops', 'NetworkMbps', 'ErrorCount', 'Incident') + $expectedMembers)
        $result.Score | Should -BeOfType ([double])
        @($result.Scores | Select-Object -Unique).Count | Should -BeGreaterThan 1
        $result.Status | Should -BeOfType ([bool])
    }

    It 'registers the same members at first scoring where the types file was not loaded (the assembly imported on its own)' {
        $result = Invoke-FreshRunspace -Import (Join-Path $moduleFolder 'AutoencoderPS.dll') -Script {
            param($model, $rows)
            $before = $null -ne (Get-TypeData -TypeName AutoencoderPS.ScoredRow)
            $scored = @($rows | Test-Anomaly -Model $model)
            [pscustomobject]@{
                Before = $before
                After  = @((Get-TypeData -TypeName AutoencoderPS.ScoredRow).Members.Keys)
                Top    = $scored[0].AnomalyTopFeature
            }
        } -ArgumentList $m, @(New-SampleRow -First 5)
        $result.Before | Should -BeFalse -Because 'without the manifest no types file is loaded'
        $result.After | Should -Be $expectedMembers
        $result.Top | Should -BeIn $featureNames
    }

    It 'declares in the types file exactly the members, getters and setters that the module registers itself' {
        $file = [xml](Get-Content -LiteralPath (Join-Path $moduleFolder 'AutoencoderPS.Types.ps1xml') -Raw)
        $declared = @($file.Types.Type | Where-Object Name -EQ 'AutoencoderPS.ScoredRow' | ForEach-Object { $_.Members.CodeProperty } | ForEach-Object {
            '{0} {1} {2}' -f $_.Name, $_.GetCodeReference.MethodName, $(if ($_.SetCodeReference) { $_.SetCodeReference.MethodName } else { '-' })
        })
        $field = [AutoencoderPS.Adapters.ScoredRowMembers].GetField('TypeMembers', [System.Reflection.BindingFlags]'NonPublic, Static')
        $registered = @($field.GetValue($null) | ForEach-Object { '{0} {1} {2}' -f $_.Item1, $_.Item2, $(if ($_.Item3) { $_.Item3 } else { '-' }) })
        $declared | Should -Be $registered
        @($file.Types.Type.Members.CodeProperty | ForEach-Object { $_.GetCodeReference.TypeName } | Select-Object -Unique) | Should -Be 'AutoencoderPS.Adapters.ScoredRowMembers'
    }
}

Describe 'Test-Anomaly -OutputPath over a file that already has score columns (a scored output scored again)' {
    It 'refuses it with OutputColumnClash, as Invoke-AnomalyScoring does, and leaves the previous output as it was' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "aeps-clash-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $folder
        try {
            $source = Join-Path $folder 'export.csv'
            New-SampleRow -First 50 | Export-Csv -Path $source -NoTypeInformation
            $scored = Join-Path $folder 'scored.csv'
            Test-Anomaly -Model $m -Path $source -OutputPath $scored -ThrottleLimit 1
            $rescored = Join-Path $folder 'rescored.csv'
            Set-Content -LiteralPath $rescored -Value 'previous output'

            Test-Anomaly -Model $m -Path $scored -OutputPath $rescored -ThrottleLimit 1 -ErrorVariable problems -ErrorAction SilentlyContinue

            @($problems | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Contain 'OutputColumnClash'
            $clash = $problems | Where-Object { $_.FullyQualifiedErrorId -like 'OutputColumnClash*' }
            $clash.TargetObject | Should -Be $scored
            $clash.Exception.Message | Should -Match 'AnomalyScore'
            Get-Content -LiteralPath $rescored -Raw | Should -Be "previous output$([Environment]::NewLine)"
            @(Get-ChildItem -LiteralPath $folder -Force -Filter '*.tmp') | Should -HaveCount 0
        }
        finally { Remove-Item -LiteralPath $folder -Recurse -Force }
    }
}

Describe 'Files piped from Get-ChildItem: their PSPath binds -LiteralPath; piped records stay records' {
    BeforeAll {
        $script:pipedFolder = Join-Path $TestDrive 'piped'
        New-Item -ItemType Directory -Path $pipedFolder | Out-Null
        New-SampleRow -First 40 -Seed 2 | Export-Csv -LiteralPath (Join-Path $pipedFolder 'a.csv') -NoTypeInformation
        New-SampleRow -First 30 -Seed 3 | Export-Csv -LiteralPath (Join-Path $pipedFolder 'b.csv') -NoTypeInformation
        $script:pipedFiles = @(Get-ChildItem -LiteralPath $pipedFolder -Filter *.csv | Sort-Object Name)
        $script:asPath = Join-Path $TestDrive 'by-path.csv'
        Test-Anomaly -Model $m -LiteralPath $pipedFiles.FullName -OutputPath $asPath -ThreadCount 1
    }

    It 'scores files piped with -OutputPath into that one file, as -LiteralPath does (not AmbiguousParameterSet)' {
        $target = Join-Path $TestDrive 'piped-scored.csv'
        $pipedFiles | Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed
        $failed | Should -HaveCount 0
        @(Import-Csv -LiteralPath $target) | Should -HaveCount 70
        Get-Content -LiteralPath $target -Raw | Should -BeExactly (Get-Content -LiteralPath $asPath -Raw)
    }

    It 'with -PassThru emits the one file written, once' {
        $target = Join-Path $TestDrive 'piped-passthru.csv'
        $written = @($pipedFiles | Test-Anomaly -Model $m -OutputPath $target -PassThru -ThreadCount 1)
        $written | Should -HaveCount 1
        $written[0].FullName | Should -Be $target
    }

    It 'scores files piped without -OutputPath as -LiteralPath does: their rows come out scored' {
        $piped = @($pipedFiles | Test-Anomaly -Model $m -ThreadCount 1)
        $named = @(Test-Anomaly -Model $m -LiteralPath $pipedFiles.FullName -ThreadCount 1)
        $piped | Should -HaveCount 70
        ($piped.AnomalyScore -join ',') | Should -Be ($named.AnomalyScore -join ',')
    }

    It 'reads a record with a <Column> column as a record, not as the file it names' -ForEach @(
        @{ Column = 'PSPath' }, @{ Column = 'Path' }, @{ Column = 'FullName' }, @{ Column = 'PSPath,FullName' }
    ) {
        # Each names a real CSV file: a record read as a file would score that file's 40 rows instead.
        $file = $pipedFiles[0]
        $rows = New-SampleRow -First 5 -Seed 4 | ForEach-Object {
            $row = $_
            foreach ($name in $Column -split ',') { $row | Add-Member -NotePropertyName $name -NotePropertyValue $(if ($name -eq 'PSPath') { $file.PSPath } else { $file.FullName }) }
            $row
        }
        $csv = Join-Path $TestDrive "with-$($Column -replace ',', '-').csv"
        $rows | Export-Csv -LiteralPath $csv -NoTypeInformation
        $scored = @(Import-Csv -LiteralPath $csv | Test-Anomaly -Model $m)
        $scored | Should -HaveCount 5
        $scored[0].PSObject.Properties.Name | Should -Contain 'AnomalyScore'
        foreach ($name in $Column -split ',') { $scored[0].PSObject.Properties.Name | Should -Contain $name }
    }

    It 'refuses a record whose PSPath column binds -LiteralPath under -OutputPath: a row, not a file; nothing is written' {
        $csv = Join-Path $TestDrive 'with-pspath-out.csv'
        New-SampleRow -First 3 -Seed 4 | Select-Object *, @{ n = 'PSPath'; e = { $pipedFiles[0].PSPath } } | Export-Csv -LiteralPath $csv -NoTypeInformation
        $target = Join-Path $TestDrive 'record-out.csv'
        $thrown = $null
        try { Import-Csv -LiteralPath $csv | Test-Anomaly -Model $m -OutputPath $target } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'PipedRowNotFile,*'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.TargetObject.PSPath | Should -Be $pipedFiles[0].PSPath
        $thrown.Exception.Message | Should -BeLike '*Row 1 is a row, not a file*'
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'refuses plain records (no PSPath column) piped with -OutputPath once, as PipedRowNotFile, not an error per row' {
        # The common slip: Import-Csv x.csv | Test-Anomaly -OutputPath y.csv. A binding error for each row, then 'No file
        # was piped', named neither the cause nor the fix.
        $target = Join-Path $TestDrive 'plain-record-out.csv'
        $thrown = $null
        $failed = $null
        try { New-SampleRow -First 50 -Seed 4 | Test-Anomaly -Model $m -OutputPath $target -ErrorVariable failed } catch { $thrown = $_ }
        @($failed) | Should -HaveCount 1
        $thrown.FullyQualifiedErrorId | Should -BeLike 'PipedRowNotFile,*'
        $thrown.Exception.Message | Should -BeLike '*Row 1 is a row, not a file*-OutputPath*'
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'scores a FileInfo without a PSPath property ([IO.FileInfo] of a path) piped with -OutputPath' {
        $target = Join-Path $TestDrive 'raw-fileinfo-out.csv'
        $raw = [System.IO.FileInfo]::new($pipedFiles[0].FullName)
        $raw | Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed
        $failed | Should -HaveCount 0
        @(Import-Csv -LiteralPath $target) | Should -HaveCount 40
    }

    It 'says it once when -OutputPath comes with no file piped or named (not first that no input file could be scored)' {
        $target = Join-Path $TestDrive 'nothing-named.csv'
        $thrown = $null
        $failed = $null
        try { Test-Anomaly -Model $m -OutputPath $target -ErrorVariable failed } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        @($failed) | Should -HaveCount 1
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'scores path strings piped with -OutputPath as the files they name ((Get-ChildItem).FullName), as Import-Csv reads piped strings' {
        # Each string was read as a row before (a string's one property, Length, is no column of the model): an error per string.
        $target = Join-Path $TestDrive 'strings-scored.csv'
        $pipedFiles.FullName | Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed
        $failed | Should -HaveCount 0
        Get-Content -LiteralPath $target -Raw | Should -BeExactly (Get-Content -LiteralPath $asPath -Raw)
    }

    It 'scores path strings piped without -OutputPath: the rows of the files come out scored' {
        $piped = @($pipedFiles.FullName | Test-Anomaly -Model $m -ThreadCount 1 -ErrorVariable failed)
        $failed | Should -HaveCount 0
        $named = @(Test-Anomaly -Model $m -LiteralPath $pipedFiles.FullName -ThreadCount 1)
        $piped | Should -HaveCount 70
        ($piped.AnomalyScore -join ',') | Should -Be ($named.AnomalyScore -join ',')
    }

    It 'scores the paths listed in a text file, piped by Get-Content (lines whose PSPath, the list''s, binds -LiteralPath)' {
        $list = Join-Path $TestDrive 'exports.txt'
        Set-Content -LiteralPath $list -Value $pipedFiles.FullName
        $target = Join-Path $TestDrive 'listed-scored.csv'
        Get-Content -LiteralPath $list | Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed
        $failed | Should -HaveCount 0
        Get-Content -LiteralPath $target -Raw | Should -BeExactly (Get-Content -LiteralPath $asPath -Raw)
    }

    It 'expands wildcards in a piped string, as -Path (and Import-Csv''s piped -Path) does' {
        $target = Join-Path $TestDrive 'wildcard-scored.csv'
        Join-Path $pipedFolder '*.csv' | Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed
        $failed | Should -HaveCount 0
        Get-Content -LiteralPath $target -Raw | Should -BeExactly (Get-Content -LiteralPath $asPath -Raw)
    }

    It 'a piped string that names no file is one InputFileNotFound error (ObjectNotFound, the string its target); the other strings are scored' {
        $missing = Join-Path $pipedFolder 'no-such-export.csv'
        $target = Join-Path $TestDrive 'strings-one-missing.csv'
        @($pipedFiles[0].FullName, $missing, $pipedFiles[1].FullName) |
            Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].TargetObject | Should -BeExactly $missing
        $failed[0].Exception.Message | Should -BeLike "*'$missing'*"
        Get-Content -LiteralPath $target -Raw | Should -BeExactly (Get-Content -LiteralPath $asPath -Raw)
    }

    It 'a piped name with [ ] is a pattern, as Import-Csv reads it; the error says that the file of that name exists and how to read it' {
        $bracket = Join-Path $pipedFolder 'c[1].csv'
        New-SampleRow -First 5 -Seed 5 | Export-Csv -LiteralPath $bracket -NoTypeInformation
        try {
            $scored = @($bracket | Test-Anomaly -Model $m -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue)
            $scored | Should -HaveCount 0
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
            $failed[0].Exception.Message | Should -BeLike "No file matches '$([WildcardPattern]::Escape($bracket))'. A file of that name exists, but the name is read as a wildcard pattern*-LiteralPath*Get-ChildItem*"
            @(Get-Item -LiteralPath $bracket | Test-Anomaly -Model $m -ThreadCount 1) | Should -HaveCount 5
        }
        finally { Remove-Item -LiteralPath $bracket }
    }

    It 'refuses path strings and rows mixed, as files and rows: <Order>' -ForEach @(
        @{ Order = 'a string after rows'; Id = 'PipedFileNotRow'; Message = "Object 3 is a path ('*'), but the objects before it were rows*" }
        @{ Order = 'a row after strings'; Id = 'PipedRowNotFile'; Message = 'Row 2 is a row, not a file*the objects before it were files*' }
    ) {
        $rows = @(New-SampleRow -First 2 -Seed 4)
        $objects = if ($Id -eq 'PipedFileNotRow') { @($rows[0], $rows[1], $pipedFiles[0].FullName) } else { @($pipedFiles[0].FullName, $rows[0]) }
        $thrown = $null
        try { $objects | Test-Anomaly -Model $m -ThreadCount 1 | Out-Null } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $thrown.Exception.Message | Should -BeLike $Message
    }

    It 'the lines of a CSV file piped by Get-Content are text, not paths: one PipedRowNotFile error, not an InputFileNotFound per line (<With>)' -ForEach @(
        @{ With = 'rows out'; Output = $false; Delimiter = ',' }
        @{ With = '-OutputPath'; Output = $true; Delimiter = ',' }
        @{ With = 'semicolons, no -Delimiter'; Output = $false; Delimiter = ';' }
    ) {
        # Get-Content x.csv | Test-Anomaly (for Import-Csv): each line was a path that names no file, an error each, the
        # file's every line. The first line names no file and holds a field separator: CSV text, said once (also a
        # separator other than the one the files would be read with: a German Excel export's ';').
        $source = $pipedFiles[0].FullName
        if ($Delimiter -ne ',') {
            $source = Join-Path $TestDrive 'semicolons.csv'
            Import-Csv -LiteralPath $pipedFiles[0].FullName | Export-Csv -LiteralPath $source -Delimiter $Delimiter -NoTypeInformation
        }
        $target = Join-Path $TestDrive "csv-lines-$Output.csv"
        $thrown = $null
        $failed = @()
        try {
            if ($Output) { Get-Content -LiteralPath $source | Test-Anomaly -Model $m -OutputPath $target -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue }
            else { Get-Content -LiteralPath $source | Test-Anomaly -Model $m -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null }
        }
        catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'PipedRowNotFile,*'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.TargetObject | Should -BeExactly (Get-Content -LiteralPath $source -TotalCount 1)
        $thrown.Exception.Message | Should -BeLike "Object 1 is a line of CSV text (*), not a path*field separator '$Delimiter'*ConvertFrom-Csv*"
        @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'InputFileNotFound,*' }) | Should -HaveCount 0
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'says so when no file was piped with -OutputPath, and writes nothing' {
        $target = Join-Path $TestDrive 'nothing-piped.csv'
        $thrown = $null
        try { @(Get-ChildItem -LiteralPath $pipedFolder -Filter *.none) | Test-Anomaly -Model $m -OutputPath $target -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        Test-Path -LiteralPath $target | Should -BeFalse
    }
}

Describe 'Test-Anomaly -OutputPath over a read-only file' {
    It 'is refused without -Force (OutputFileReadOnly) and replaced with it, as Export-Csv does' {
        $in = Join-Path $TestDrive 'ro-in.csv'
        New-SampleRow -First 20 | Export-Csv -LiteralPath $in -NoTypeInformation
        $out = Join-Path $TestDrive 'ro-out.csv'
        Set-Content -LiteralPath $out -Value 'old'
        Set-ItemProperty -LiteralPath $out -Name IsReadOnly -Value $true
        try {
            { Test-Anomaly -Model $m -LiteralPath $in -OutputPath $out } |
                Should -Throw -ErrorId 'OutputFileReadOnly,AutoencoderPS.Commands.TestAnomalyCommand'
            (Get-Content -LiteralPath $out -Raw).Trim() | Should -Be 'old'
            Test-Anomaly -Model $m -LiteralPath $in -OutputPath $out -Force
            @(Import-Csv -LiteralPath $out) | Should -HaveCount 20
        }
        finally { Set-ItemProperty -LiteralPath $out -Name IsReadOnly -Value $false }
    }
}
