BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Rows as Import-Csv gives them: PSCustomObjects whose values are all strings.
    New-MetricRow -Count 200 -Seed 7 -AsText | Export-Csv -LiteralPath (Join-Path $TestDrive 'train.csv') -NoTypeInformation
    $script:csv = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'train.csv'))

    function Invoke-Training {
        # Trains a small, fast network; extra parameters go to Invoke-AutoencoderTraining.
        param([object[]] $Rows, $Model, [hashtable] $Options = @{})
        $Rows | Invoke-AutoencoderTraining -Model $Model -Epochs 3 -BatchSize 32 @Options
    }
}

Describe 'Invoke-AutoencoderTraining' {
    Context 'rows piped from Import-Csv' {
        BeforeAll {
            $script:m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
            $script:result = @($csv | Invoke-AutoencoderTraining -Model $m -Epochs 3 -BatchSize 32 -ThreadCount 1)
            $script:epochs = @($result[0].EpochResults)
        }

        It 'trains the model on every row' {
            $csv[0].cpu | Should -BeOfType ([string])   # the premise: text values, as from a CSV file
            $m.IsTrained | Should -BeTrue
            $m.Training.Rows | Should -Be 200
            $m.Training.Epochs | Should -Be 3
            $m.Training.BatchSize | Should -Be 32
            [double]::IsNaN($m.Threshold) | Should -BeFalse
            $m.Threshold | Should -BeGreaterThan 0
        }

        It 'writes one TrainingResult when the run completes, not an object per epoch' {
            $result | Should -HaveCount 1
            $result[0] | Should -BeOfType ([AutoencoderPS.Engine.Modeling.TrainingResult])
            $result[0].Rows | Should -Be 200
            $result[0].Epochs | Should -Be 3
            $result[0].Loss | Should -Be $m.Training.FinalLoss
            $result[0].Threshold | Should -Be $m.Threshold
            $result[0].ThresholdRule | Should -Be $m.ThresholdRule
            $result[0].StoppedEarly | Should -BeFalse
            $result[0].Incremental | Should -BeFalse
            $result[0].Duration | Should -BeGreaterThan ([timespan]::Zero)
            # What scripts that kept the last epoch's object read still reads the same (scalar indexing).
            $result[-1].Loss | Should -Be $epochs[-1].Loss
            $result[0].ToString() | Should -BeLike 'Trained on 200 rows: 3 epochs, loss *; threshold * (*)'
        }

        It 'keeps each epoch in EpochResults, numbered 1..N' {
            $epochs | Should -HaveCount 3
            foreach ($e in $epochs) { $e | Should -BeOfType ([AutoencoderPS.Engine.Modeling.EpochResult]) }
            $epochs.Epoch | Should -Be @(1, 2, 3)
            $epochs.Epochs | Should -Be @(3, 3, 3)
            foreach ($e in $epochs) { $e.Loss | Should -BeGreaterThan 0; [double]::IsInfinity($e.Loss) | Should -BeFalse }
            $m.Training.FinalLoss | Should -Be $epochs[-1].Loss
        }

        It 'infers the numeric columns as numeric features and the text column Host (3 names) as a categorical one' {
            @($m.Features) | Should -Be @('Host', 'cpu', 'mem', 'disk')
            @($m.FeatureColumns.Role) | Should -Be @([AutoencoderPS.Engine.Features.ColumnRole[]]('Categorical', 'Numeric', 'Numeric', 'Numeric'))
            @($m.FeatureColumns[0].Categories) | Should -Be @('web01', 'web02', 'web03')
            # Host takes one network input per name plus one for names not seen in training.
            $m.Layers | Should -Be '7-8-4-8-7'
            @($m.Schema.Ignored) | Should -HaveCount 0
        }

        It 'records each numeric feature''s training statistics and median' {
            $cpu = [double[]]@($csv | ForEach-Object { [double]::Parse($_.cpu, [cultureinfo]::InvariantCulture) } | Sort-Object)
            $column = $m.FeatureColumns | Where-Object Name -eq 'cpu'
            $column.Median | Should -Be (($cpu[99] + $cpu[100]) / 2)
            $column.Statistics.Min | Should -Be $cpu[0]
            $column.Statistics.Max | Should -Be $cpu[-1]
            $column.Statistics.Count | Should -Be 200
            $column.Statistics.Missing | Should -Be 0
        }

        It 'learns the training data: the loss falls over more epochs' {
            $longer = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
            $losses = @(($csv | Invoke-AutoencoderTraining -Model $longer -Epochs 30 -BatchSize 32).EpochResults.Loss)
            $losses[-1] | Should -BeLessThan $losses[0]
        }
    }

    Context 'output and feature choice' {
        It '-PassThru emits the trained model itself instead of the training result' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $out = @(Invoke-Training $csv $m @{ PassThru = $true })
            $out | Should -HaveCount 1
            [object]::ReferenceEquals($out[0], $m) | Should -BeTrue
            $out[0].IsTrained | Should -BeTrue
        }

        It 'honours -ExcludeFeature from New-Autoencoder' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 3 -ExcludeFeature mem
            $null = Invoke-Training $csv $m
            @($m.Features) | Should -Be @('Host', 'cpu', 'disk')
            $excluded = New-Autoencoder -HiddenLayer 8, 4 -Seed 3 -ExcludeFeature Host
            $null = Invoke-Training $csv $excluded
            @($excluded.Features) | Should -Be @('cpu', 'mem', 'disk')
            $excluded.Layers | Should -Be '3-8-4-8-3'
            ($excluded.Schema.Ignored | Where-Object Name -eq 'Host').Reason | Should -Be 'excluded by the user'
        }

        It 'uses exactly the -Feature columns, in the order named' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 3 -Feature disk, cpu
            $null = Invoke-Training $csv $m
            @($m.Features) | Should -Be @('disk', 'cpu')
        }

        It 'accepts rows whose values are already numbers' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $null = Invoke-Training @(New-MetricRow -Count 100 -Seed 8) $m
            $m.Training.Rows | Should -Be 100
            @($m.Features) | Should -Be @('Host', 'cpu', 'mem', 'disk')
        }
    }

    Context 'threshold rules' {
        It 'Set-AutoencoderThreshold -WhatIf says what it would set and leaves the threshold as it was (training errors and new rows)' {
            # A Set- cmdlet that changes the model had no -WhatIf ("A parameter cannot be found that matches parameter name 'WhatIf'").
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m
            $before = $m.Threshold
            # (The host writes the "What if:" line; what can be asserted is that nothing changed, and nothing was written.)
            Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -WhatIf -PassThru | Should -BeNullOrEmpty
            $m.Threshold | Should -Be $before
            $rows = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'train.csv'))
            $rows | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -WhatIf -PassThru | Should -BeNullOrEmpty
            $m.Threshold | Should -Be $before
            $m.ThresholdRule.Value | Should -Be 99
            Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -Confirm:$false
            $m.Threshold | Should -Not -Be $before
        }

        It 'Set-AutoencoderThreshold -Method Manual reads none of the rows piped or files named (a bad row is no error), says so once, and sets the threshold' {
            # A threshold given by value needs no row: every row was read (featurized) all the same, and a bad one was an error.
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m
            $rows = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'train.csv'))
            $bad = $rows[0].PSObject.Copy()
            $bad.cpu = 'lots'
            $failed = $null
            $warned = $null
            @($rows[0..49]) + $bad + @($rows[50..99]) |
                Set-AutoencoderThreshold -Model $m -Method Manual -Value 0.5 -ErrorVariable failed -WarningVariable warned -WarningAction SilentlyContinue
            @($failed) | Should -HaveCount 0
            @($warned) | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike '*-Method Manual*rows*not read*'
            $m.Threshold | Should -Be 0.5
            "$($m.ThresholdRule)" | Should -Be 'set by hand to 0.5'
            # Files named (even one that is not there) are not read either.
            Set-AutoencoderThreshold -Model $m -Method Manual -Value 0.7 -Path (Join-Path $TestDrive 'no-such.csv') -ErrorVariable failed -WarningVariable warned -WarningAction SilentlyContinue
            @($failed) | Should -HaveCount 0
            "$($warned[0])" | Should -BeLike '*-Method Manual*files*not read*'
            $m.Threshold | Should -Be 0.7
            # Nothing given: nothing to say.
            Set-AutoencoderThreshold -Model $m -Method Manual -Value 0.6 -WarningVariable warned
            @($warned) | Should -HaveCount 0
            $m.Threshold | Should -Be 0.6
            # -Value missing: said before any row is read (each row was read first, a bad one an error of its own).
            $thrown = $null
            $failed = $null
            try { @($bad) + $rows | Set-AutoencoderThreshold -Model $m -Method Manual -ErrorVariable failed -WarningAction SilentlyContinue } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ThresholdValueRequired,*'
            @($failed | Where-Object { "$_" -like 'Row *' }) | Should -HaveCount 0
            $m.Threshold | Should -Be 0.6
        }

        It 'MeanStd with -ThresholdValue 2 sets threshold = mean + 2 std of the training errors' {
            # The stored errors: the rows' own, but a row alone at a feature's extreme scored against the other rows' range.
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m @{ ThresholdMethod = 'MeanStd'; ThresholdValue = 2 }
            $errors = [double[]]$m.TrainingErrors
            $errors | Should -HaveCount 200
            $expected = [AutoencoderPS.Engine.Numerics.Statistics]::Mean($errors) + 2 * [AutoencoderPS.Engine.Numerics.Statistics]::StandardDeviation($errors)
            [math]::Abs($m.Threshold - $expected) | Should -BeLessOrEqual 1e-9
            $m.ThresholdRule.Method | Should -Be ([AutoencoderPS.Engine.Modeling.ThresholdMethod]::MeanStd)
            $m.ThresholdRule.Value | Should -Be 2
        }

        It 'the default rule is the 99th percentile of the training errors, and says so' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m
            $m.ThresholdRule.Method | Should -Be ([AutoencoderPS.Engine.Modeling.ThresholdMethod]::Percentile)
            [math]::Abs($m.Threshold - [AutoencoderPS.Engine.Numerics.Statistics]::Percentile([double[]]$m.TrainingErrors, 99)) | Should -BeLessOrEqual 1e-9
            "$m" | Should -Match '99th percentile of training errors: flags about 1% of normal rows'
        }

        It '-Contamination leaves that share out of training and sets the Contamination rule' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m @{ Contamination = 0.05 }
            $m.Training.TrimmedShare | Should -Be 0.05
            $m.Training.ContaminationEstimated | Should -BeFalse
            $m.ThresholdRule.Method | Should -Be ([AutoencoderPS.Engine.Modeling.ThresholdMethod]::Contamination)
            $m.ThresholdRule.Value | Should -Be 0.05
        }

        It 'Percentile 100 sets the threshold to the largest training error' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m @{ ThresholdMethod = 'Percentile'; ThresholdValue = 100 }
            [math]::Abs($m.Threshold - ($m.TrainingErrors | Measure-Object -Maximum).Maximum) | Should -BeLessOrEqual 1e-9
            $m.Threshold | Should -BeGreaterThan $m.Training.ErrorMean
        }

        It 'counts in the threshold what a row alone at an extreme scores beyond the other rows'' range' {
            # Such a row is to the others what a new normal row beyond the training range is. The training rows' own
            # errors never hold that distance; the stored errors (and the threshold) do, and re-scoring gives the own ones.
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m @{ ThresholdMethod = 'Percentile'; ThresholdValue = 100 }
            # A small baseline: the own errors times the factor cross-fitting measured for rows unseen in training.
            $unseen = $m.Training.UnseenErrorRatio
            $own = @($csv | Test-Anomaly -Model $m -BatchSize 1000).AnomalyScore | ForEach-Object { $_ * $unseen }
            $stored = [double[]]$m.TrainingErrors
            $stored | Should -HaveCount 200
            $m.Threshold | Should -BeGreaterThan ($own | Measure-Object -Maximum).Maximum
            # The same rows, most of them unchanged: only rows alone at an extreme (at most two per feature) differ.
            @(Compare-Object ([double[]]($own | Sort-Object)) $stored -SyncWindow 400 | Where-Object SideIndicator -eq '=>').Count | Should -BeLessOrEqual 6
        }

        It 'flags no training row with a Percentile 100 threshold; the worst row scores exactly the threshold (times the factor for unseen rows)' {
            # MinMax: no training range, so the stored errors are the rows' own.
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            $null = Invoke-Training $csv $m @{ ThresholdMethod = 'Percentile'; ThresholdValue = 100; Scaling = 'MinMax' }
            $rows = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'train.csv'))
            $scored = @($rows | Test-Anomaly -Model $m -BatchSize 1000)
            @($scored | Where-Object IsAnomaly) | Should -HaveCount 0
            # A small baseline: its errors times the factor cross-fitting measured for rows unseen in training.
            $highest = ($scored.AnomalyScore | Measure-Object -Maximum).Maximum * $m.Training.UnseenErrorRatio
            Get-DoubleBits $highest | Should -Be (Get-DoubleBits $m.Threshold)
        }

        It 'rejects a percentile above 100 with InvalidThresholdValue' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 5
            { Invoke-Training $csv $m @{ ThresholdMethod = 'Percentile'; ThresholdValue = 101 } } |
                Should -Throw -ErrorId 'InvalidThresholdValue,*'
            $m.IsTrained | Should -BeFalse
            # The message is the user's sentence, without .NET's "(Parameter 'value')" and "Actual value was" lines.
            $caught = $null
            try { Invoke-Training $csv $m @{ ThresholdMethod = 'Percentile'; ThresholdValue = 101 } } catch { $caught = $_ }
            "$caught" | Should -Be '-ThresholdValue 101: A percentile must lie in (0, 100].'
            $caught.CategoryInfo.Category | Should -Be 'InvalidArgument' 
        }
    }

    Context 'error weighting' {
        It 'weighs each feature by its typical training error by default, says so under -Verbose, and -ErrorWeighting None weighs none' {
            $weighted = New-Autoencoder -HiddenLayer 8, 4 -Seed 12
            $log = Invoke-Training -Rows $csv -Model $weighted -Options @{ ThreadCount = 1; Verbose = $true } 4>&1
            $line = @($log | Where-Object { "$_" -like 'Error weights*' } | ForEach-Object { "$_" })
            $line | Should -HaveCount 1
            $line[0] | Should -BeLike "Error weights (each feature's error in units of its typical training error): *cpu *"
            $weighted.ErrorWeights.PerFeature.Count | Should -Be $weighted.Features.Count
            # The mean typical error over each feature's own: features reconstructed worse than the mean weigh less than 1.
            @($weighted.ErrorWeights.PerFeature | Where-Object { $_ -le 0 -or $_ -gt 10 }) | Should -BeNullOrEmpty

            $plain = New-Autoencoder -HiddenLayer 8, 4 -Seed 12
            $log = Invoke-Training -Rows $csv -Model $plain -Options @{ ThreadCount = 1; Verbose = $true; ErrorWeighting = 'None' } 4>&1
            $plain.ErrorWeights | Should -BeNullOrEmpty
            ($log | Where-Object { "$_" -like 'Error weights*' } | ForEach-Object { "$_" }) | Should -BeLike '*none; every network input counts alike*'
            # The same network and rows: a row's score differs only by the weights.
            $row = $csv[0]
            ($row | Test-Anomaly -Model $plain).AnomalyScore | Should -Not -Be ($row | Test-Anomaly -Model $weighted).AnomalyScore
        }

        It '-Incremental keeps the model''s weighting unless -ErrorWeighting is given' {
            $plain = New-Autoencoder -HiddenLayer 8, 4 -Seed 13
            Invoke-Training -Rows $csv -Model $plain -Options @{ ThreadCount = 1; ErrorWeighting = 'None' } | Out-Null
            Invoke-Training -Rows $csv -Model $plain -Options @{ ThreadCount = 1; Incremental = $true } | Out-Null
            $plain.ErrorWeights | Should -BeNullOrEmpty
            Invoke-Training -Rows $csv -Model $plain -Options @{ ThreadCount = 1; Incremental = $true; ErrorWeighting = 'Residual' } | Out-Null
            $plain.ErrorWeights | Should -Not -BeNullOrEmpty
            Invoke-Training -Rows $csv -Model $plain -Options @{ ThreadCount = 1; Incremental = $true } | Out-Null
            $plain.ErrorWeights | Should -Not -BeNullOrEmpty
        }
    }

    Context 'a row with a value that is not a number' {
        BeforeAll {
            $script:bad = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'train.csv'))
            $bad[2].cpu = 'abc'
            $script:m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
            $script:errs = $null
            $script:out = @($bad | Invoke-AutoencoderTraining -Model $m -Epochs 2 -ErrorVariable script:errs -ErrorAction SilentlyContinue)
        }

        It 'writes one non-terminating InvalidFeatureValue error' {
            $errs | Should -HaveCount 1
            $errs[0] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFeatureValue*'
        }

        It 'names the row, the column and the value' {
            $message = $errs[0].ToString()
            $message | Should -Match '\bRow 3\b'
            $message | Should -Match '\bcpu\b'
            $message | Should -Match 'abc'
        }

        It 'has category InvalidData and the input row as target' {
            $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
            [object]::ReferenceEquals($errs[0].TargetObject, $bad[2]) | Should -BeTrue
        }

        It 'still trains on the other rows' {
            $m.IsTrained | Should -BeTrue
            $m.Training.Rows | Should -Be ($bad.Count - 1)
            $out | Should -HaveCount 1
            $out[0].Rows | Should -Be ($bad.Count - 1)
            $out[0].Epochs | Should -Be 2
            @($m.Features) | Should -Be @('Host', 'cpu', 'mem', 'disk')
            # The bad value is never read as a number: cpu's statistics come from the 199 good rows.
            $cpu = [double[]]@($bad | Where-Object cpu -ne 'abc' | ForEach-Object { [double]::Parse($_.cpu, [cultureinfo]::InvariantCulture) })
            ($m.FeatureColumns | Where-Object Name -eq 'cpu').Statistics.Min | Should -Be ($cpu | Measure-Object -Minimum).Minimum
            ($m.FeatureColumns | Where-Object Name -eq 'cpu').Statistics.Missing | Should -Be 0
        }
    }

    Context 'a file whose rows can''t be read, one after another' {
        It 'stops after 100 rows in a row with one error that names the first and the likely cause, and trains nothing' {
            # A sliding-window model on an export whose times are in a format that is not read: every row failed on its own
            # (13,000 errors for a day of 3 hosts), and the call ended with "none of the rows could be used".
            $file = Join-Path $TestDrive 'unread-times.csv'
            $lines = @('time,cpu,mem') + @(1..300 | ForEach-Object { 'day 3 minute {0},{1},{2}' -f $_, (40 + $_ % 7), (60 + $_ % 5) })
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -WindowSize 4 -TimeProperty time
            $errors = $null
            $thrown = $null
            try { Invoke-AutoencoderTraining -Model $m -Path $file -Epochs 2 -ThreadCount 1 -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -Be 'TooManyRowFailures,AutoencoderPS.Commands.InvokeAutoencoderTrainingCommand'
            "$thrown" | Should -BeLike "*Stopped after 100 rows in a row*line 2*day 3 minute 1*Nothing was trained*"
            @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'TimeValueInvalid*' }) | Should -HaveCount 100
            $m.IsTrained | Should -BeFalse
        }

        It 'refuses a feature named with -Feature whose numbers the culture does not read, instead of making it a category' {
            # '99,5' read by the invariant culture: cpu became a category of 51 texts without a word, and a spike in it
            # was never an anomaly.
            $file = Join-Path $TestDrive 'de.csv'
            $de = [cultureinfo]::GetCultureInfo('de-DE')
            $lines = @('host;cpu;mem') + @(1..80 | ForEach-Object { 'h{0};{1};{2}' -f ($_ % 3), (40 + $_ * 0.37).ToString('0.00', $de), (60 + $_ % 5).ToString('0.0', $de) })
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -Feature cpu, mem
            { Invoke-AutoencoderTraining -Model $m -Path $file -Delimiter ';' -Epochs 1 -ThreadCount 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'NamedFeatureUnreadNumbers,AutoencoderPS.Commands.InvokeAutoencoderTrainingCommand' -ExpectedMessage "*'cpu', named with -Feature*-Culture*"
            $m.IsTrained | Should -BeFalse
            Invoke-AutoencoderTraining -Model $m -Path $file -Delimiter ';' -Culture de-DE -Epochs 1 -ThreadCount 1 | Out-Null
            ($m.FeatureColumns | Where-Object Name -eq 'cpu').Role | Should -Be 'Numeric'
        }

        It 'a row model trained from a file rejects rows whose fields don''t fit the header (FieldCountMismatch)' {
            # Read by position, a row that left out a field was trained on with its values under the wrong columns.
            $file = Join-Path $TestDrive 'fields.csv'
            $lines = @('host,cpu,mem') + @(1..60 | ForEach-Object { 'h{0},{1},{2}' -f ($_ % 3), (40 + $_ % 7), (60 + $_ % 5) }) + @('41,61', 'h9,41,61,extra,99', 'h1,42,62,')
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -Feature cpu, mem
            Invoke-AutoencoderTraining -Model $m -Path $file -Epochs 1 -ThreadCount 1 -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
            @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'FieldCountMismatch,*' }) | Should -HaveCount 2
            $m.Training.Rows | Should -Be 61
        }
    }

    Context 'input that cannot be trained on' {
        It '-Culture <Given> (a name that is no culture) is refused before any row is read, as every -Culture is' -ForEach @(
            @{ Given = 'German' }, @{ Given = 'xx-nope' }
        ) {
            # .NET makes up a culture for any such name, with the invariant culture's numbers: "1.234" (a thousand and
            # more in German) would have been read as 1.234, with no error.
            $m = New-Autoencoder -Seed 1
            { Invoke-AutoencoderTraining -Model $m -Path (Join-Path $TestDrive 'train.csv') -Culture $Given -Epochs 1 -ThreadCount 1 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -ExpectedMessage "*'$Given' is not a culture*de-DE*"
            $m.IsTrained | Should -BeFalse
            # A name .NET knows still binds, in any case.
            $null = Invoke-AutoencoderTraining -Model $m -Path (Join-Path $TestDrive 'train.csv') -Culture en-us -Epochs 1 -ThreadCount 1
            $m.IsTrained | Should -BeTrue
        }

        It 'trains on objects that leave a property out when they have no value for it (JSON), as on the property set to $null' {
            # Each row without 'err' was a MissingFeatureColumn error: two thirds of this baseline were lost, and 100 in a
            # row stopped training.
            $json = 0..299 | ForEach-Object {
                $row = [ordered]@{ cpu = 40 + $_ % 17; mem = 60 + $_ % 5 }
                if ($_ % 3 -eq 0) { $row.err = $_ % 4 }
                $row | ConvertTo-Json -Compress
            }
            $m = New-Autoencoder -HiddenLayer 4 -Seed 1
            $errs = $null
            $null = $json | ConvertFrom-Json | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -ErrorVariable errs -WarningAction SilentlyContinue
            $errs | Should -HaveCount 0
            $m.Training.Rows | Should -Be 300
            @($m.Features) | Should -Be @('cpu', 'mem', 'err')
            ($m.FeatureColumns | Where-Object Name -eq 'err').Statistics.Missing | Should -Be 200
            $scored = @($json | ConvertFrom-Json | Test-Anomaly -Model $m -ErrorVariable errs)
            $errs | Should -HaveCount 0
            $scored | Should -HaveCount 300
            @($scored[1].ImputedFeatures) | Should -Be @('err')
        }

        It 'warns when it trained on too few rows to learn what is normal' {
            # A query that returned one row: trained without a word, then 20 of 20 normal rows were anomalies.
            $rows = @(0..29 | ForEach-Object { [pscustomobject]@{ cpu = 40 + $_ % 9; mem = 60 + $_ % 4 } })
            $m = New-Autoencoder -HiddenLayer 4 -Seed 1
            $null = $rows[0] | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable said -WarningAction SilentlyContinue
            @($said | Where-Object { "$_" -like 'The model was trained on 1 row(s) only: too few*' }) | Should -HaveCount 1
            $null = $rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable said -WarningAction SilentlyContinue
            @($said | Where-Object { "$_" -like '*too few to learn*' }) | Should -HaveCount 0
        }

        It 'leaves out properties holding lists or objects of their own (JSON arrays and nested objects), saying how to expand them' {
            # They became categories named by their type ('System.Object[]', '@{a=0}'), and a JSON document piped whole
            # trained on its arrays without a word.
            $rows = 0..59 | ForEach-Object {
                [pscustomobject]@{ cpu = 40 + $_ % 9; meta = [pscustomobject]@{ a = $_ % 10 }; samples = @($_, $_ + 1); tags = [System.Collections.ArrayList]@('x') }
            }
            $m = New-Autoencoder -HiddenLayer 4 -Seed 1
            $said = @()
            $null = $rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable said -WarningAction SilentlyContinue
            @($m.Features) | Should -Be @('cpu')
            $left = "$(@($said | Where-Object { "$_" -like 'Left out of the features:*' })[0])"
            foreach ($name in 'meta', 'samples', 'tags') { $left | Should -Match "'$name' \(lists or objects of their own" }
            $left | Should -Match "such as 'System.Object\[\]'"
            $left | Should -Match 'Select-Object -ExpandProperty'
        }

        It 'reads a duration (a TimeSpan property) as its seconds, so one far longer than any in training is an anomaly' {
            # A TimeSpan was a category of its texts ('(other)' for a 30 s duration, below the threshold), or left out.
            $random = [System.Random]::new(4)
            $rows = 0..299 | ForEach-Object { [pscustomobject]@{ Took = [timespan]::FromMilliseconds(200 + $random.Next(0, 90)); Cpu = 40 + $random.Next(0, 10) } }
            $m = New-Autoencoder -HiddenLayer 4 -Seed 1
            $null = $rows | Invoke-AutoencoderTraining -Model $m -Epochs 5 -ThreadCount 1 -WarningAction SilentlyContinue
            ($m.FeatureColumns | Where-Object Name -eq 'Took').Role | Should -Be ([AutoencoderPS.Engine.Features.ColumnRole]::Numeric)
            $slow = [pscustomobject]@{ Took = [timespan]::FromSeconds(30); Cpu = 45 }
            $scored = $slow | Test-Anomaly -Model $m
            $scored.IsAnomaly | Should -BeTrue
            $scored.AnomalyTopFeature | Should -Be 'Took'
        }

        It 'warns when every feature has a single value: the measurements were left out (numbers with a unit)' {
            # The metrics left out ('40 %'), the model trained on Host and Status alone and flagged nothing, without a word.
            $rows = 1..200 | ForEach-Object { [pscustomobject]@{ Host = 'web01'; Status = 'ok'; CpuPct = "$(20 + $_ % 50) %" } }
            $m = New-Autoencoder -Seed 1
            $rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
            $m.IsTrained | Should -BeTrue
            @($warned | Where-Object { "$_" -like "*'CpuPct' (numbers with a unit*" }) | Should -HaveCount 1
            @($warned | Where-Object { "$_" -like "*Every feature ('Host', 'Status') has a single value in all 200 training rows*Not read as features: 'CpuPct' (-Verbose says why)." }) | Should -HaveCount 1
            # No other column at all: nothing was left out, and the warning does not point to warnings that aren't there.
            $m1 = New-Autoencoder -Seed 1
            1..50 | ForEach-Object { [pscustomobject]@{ Host = 'web01' } } |
                Invoke-AutoencoderTraining -Model $m1 -Epochs 1 -ThreadCount 1 -WarningVariable alone -WarningAction SilentlyContinue | Out-Null
            @($alone) | Should -HaveCount 1
            "$alone" | Should -BeLike "*('Host') has a single value in all 50 training rows*The rows hold no other measurement: if the series was flat*"
            # A flat series of a window model: its time column is no measurement left out.
            $flat = 0..59 | ForEach-Object { [pscustomobject]@{ timestamp = [datetime]::new(2026, 3, 2).AddMinutes(5 * $_).ToString('s'); value = 20 } }
            $mw = New-Autoencoder -HiddenLayer 4 -WindowSize 6 -TimeProperty timestamp -Seed 1
            $flat | Invoke-AutoencoderTraining -Model $mw -Epochs 1 -ThreadCount 1 -WarningVariable flatWarned -WarningAction SilentlyContinue | Out-Null
            $single = @($flatWarned | Where-Object { "$_" -like '*single value*' })
            $single | Should -HaveCount 1
            "$single" | Should -BeLike "*('value') has a single value*The rows hold no other measurement: if the series was flat*"
            "$single" | Should -Not -BeLike "*'timestamp'*"
            # Features that vary: no such warning.
            $m2 = New-Autoencoder -Seed 1
            1..200 | ForEach-Object { [pscustomobject]@{ Host = 'web01'; Cpu = 20 + $_ % 50 } } |
                Invoke-AutoencoderTraining -Model $m2 -Epochs 1 -ThreadCount 1 -WarningVariable quiet -WarningAction SilentlyContinue | Out-Null
            @($quiet | Where-Object { "$_" -like '*single value*' }) | Should -HaveCount 0
        }

        It 'warns when a row model reads one series (one measurement and its time), naming the window model to train instead' {
            # A new user's NAB-like export (timestamp, value) with the tour's row model: 9 % of a later month's rows flagged,
            # none of them an alert, without a word.
            $t0 = [datetime]'2026-03-02'
            $series = 0..299 | ForEach-Object { [pscustomobject]@{ 'sample time' = $t0.AddMinutes(5 * $_).ToString('s'); value = 50 + 10 * [math]::Sin($_ / 12) } }
            $m = New-Autoencoder -Seed 1
            $series | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
            $one = @($warned | Where-Object { "$_" -like 'The rows are one series*' })
            $one | Should -HaveCount 1
            "$one" | Should -BeLike "*one measurement ('value') and its time ('sample time')*New-Autoencoder -WindowSize 24 -TimeProperty 'sample time' judges*"
            # Two measurements (a row model learns how they go together), a window model, or no time: no such warning.
            $two = $series | ForEach-Object { [pscustomobject]@{ 'sample time' = $_.'sample time'; value = $_.value; other = 2 * $_.value + 1 } }
            $windowed = New-Autoencoder -WindowSize 6 -TimeProperty 'sample time' -Seed 1
            foreach ($case in @(@{ Model = (New-Autoencoder -Seed 1); Rows = $two }, @{ Model = $windowed; Rows = $series },
                                @{ Model = (New-Autoencoder -Seed 1); Rows = ($series | Select-Object value) })) {
                $case.Rows | Invoke-AutoencoderTraining -Model $case.Model -Epochs 1 -ThreadCount 1 -WarningVariable quiet -WarningAction SilentlyContinue | Out-Null
                @($quiet | Where-Object { "$_" -like 'The rows are one series*' }) | Should -HaveCount 0
            }
        }

        It 'empty input is a terminating EmptyTrainingInput error' {
            $m = New-Autoencoder -Seed 1
            { @() | Invoke-AutoencoderTraining -Model $m } | Should -Throw -ErrorId 'EmptyTrainingInput,*'
            $m.IsTrained | Should -BeFalse
        }

        It 'a header-only file is a terminating EmptyTrainingInput error that says the file has no rows, not to name files with -Path' {
            $csv = Join-Path $TestDrive 'header-only.csv'
            Set-Content -LiteralPath $csv -Value 'Timestamp,CpuPct,MemoryPct'
            $m = New-Autoencoder -Seed 1
            $caught = $null
            try { Invoke-AutoencoderTraining -Model $m -Path $csv -ThreadCount 1 } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'EmptyTrainingInput,*'
            $caught.ToString() | Should -BeLike '*1 training file(s) hold no data rows*'
            $caught.ToString() | Should -Not -BeLike '*name files with -Path*'
            $m.IsTrained | Should -BeFalse
        }

        It 'a -Path that does not exist is one non-terminating InputFileNotFound error on that path, as in Test-Anomaly and Set-AutoencoderThreshold; nothing is trained (-<Parameter> ./<Name>)' -ForEach @(
            @{ Parameter = 'Path'; Name = 'does-not-exist.csv'; Message = "File './does-not-exist.csv' does not exist.*current location, '*'." }
            @{ Parameter = 'LiteralPath'; Name = 'does-not-exist.csv'; Message = "File './does-not-exist.csv' does not exist.*current location, '*'." }
            @{ Parameter = 'Path'; Name = 'nothing-*.csv'; Message = "No file matches './nothing-*.csv'.*current location, '*'." }
        ) {
            $untrained = New-Autoencoder -Seed 1
            $trained = New-Autoencoder -HiddenLayer 8, 4 -Seed 1
            $null = Invoke-Training $csv $trained
            $given = "./$Name"
            Push-Location -LiteralPath $TestDrive
            try {
                $thresholdBefore = $trained.Threshold
                foreach ($run in @{ Command = 'Invoke-AutoencoderTraining'; Model = $untrained }, @{ Command = 'Test-Anomaly'; Model = $trained },
                    @{ Command = 'Set-AutoencoderThreshold'; Model = $trained; Extra = @{ Method = 'Percentile' } }) {
                    $errs = $null; $caught = $null
                    $arguments = @{ Model = $run.Model; $Parameter = $given; ThreadCount = 1 } + ($run.Extra ?? @{})
                    try { $null = & $run.Command @arguments -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $caught = $_ }
                    $caught | Should -BeNullOrEmpty -Because "$($run.Command) ends without a second, terminating error"
                    $errs | Should -HaveCount 1 -Because "$($run.Command) says it once: $($errs -join ' | ')"
                    $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
                    $errs[0].CategoryInfo.Category | Should -Be ObjectNotFound
                    $errs[0].TargetObject | Should -BeExactly $given
                    $errs[0].ToString() | Should -BeLike $Message
                    $errs[0].ToString() | Should -BeLike "*a relative path starts at the current location, '$((Get-Location).ProviderPath)'."
                }
                $untrained.IsTrained | Should -BeFalse
                $trained.Threshold | Should -Be $thresholdBefore
            }
            finally { Pop-Location }
        }

        It 'a relative path while the current location is not a folder (Env:) names that location, not the last folder, where the file is' {
            Set-Content -LiteralPath (Join-Path $TestDrive 'here.csv') -Value "a,b`n1,2"
            Push-Location -LiteralPath $TestDrive
            Push-Location Env:
            try {
                $errs = $null
                $null = Invoke-AutoencoderTraining -Model (New-Autoencoder -Seed 1) -Path here.csv -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs | Should -HaveCount 1
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
                $errs[0].ToString() | Should -Not -BeLike "*'$TestDrive*"
                $errs[0].ToString() | Should -BeLike "*current location, '$((Get-Location).Path)', which is not a file-system folder*"
            }
            finally { Pop-Location; Pop-Location }
        }

        It 'several -Path values: each one that names no file is its own error, and the others are trained on' {
            $good = Join-Path $TestDrive 'train.csv'
            $missing = Join-Path $TestDrive 'no-such.csv'
            $none = Join-Path $TestDrive 'nothing-*.csv'
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 1
            $errs = $null
            $null = Invoke-AutoencoderTraining -Model $m -Path $missing, $good, $none -Epochs 1 -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 2
            @($errs.FullyQualifiedErrorId | Where-Object { $_ -like 'InputFileNotFound,*' }) | Should -HaveCount 2
            @($errs.TargetObject) | Should -Be @($missing, $none)
            # Absolute paths: no word about the current location.
            @($errs | Where-Object { "$_" -like '*current location*' }) | Should -HaveCount 0
            $m.IsTrained | Should -BeTrue
            $m.Training.Rows | Should -Be 200
        }

        It 'an empty file is its one EmptyCsvFile error; nothing is trained and no EmptyTrainingInput follows' {
            $empty = Join-Path $TestDrive 'zero-bytes.csv'
            [System.IO.File]::WriteAllBytes($empty, [byte[]]@())
            $m = New-Autoencoder -Seed 1
            $errs = $null; $caught = $null
            try { Invoke-AutoencoderTraining -Model $m -Path $empty -ThreadCount 1 -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $caught = $_ }
            $caught | Should -BeNullOrEmpty
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'EmptyCsvFile,*'
            $errs[0].TargetObject | Should -Be $empty
            $m.IsTrained | Should -BeFalse
        }

        It 'a file read with the wrong -Delimiter is a NoNumericFeatures error that names the separator the header holds' {
            $csv = Join-Path $TestDrive 'comma.csv'
            Get-AutoencoderSampleData -Days 1 | Select-Object -First 20 | Export-Csv -LiteralPath $csv
            $m = New-Autoencoder -Seed 1
            $caught = $null
            try { Invoke-AutoencoderTraining -Model $m -Path $csv -Delimiter ';' -ThreadCount 1 } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'NoNumericFeatures,*'
            $caught.ToString() | Should -BeLike "*the file is probably separated by ',', not ';'. Give -Delimiter ','*"
        }

        It '-Feature naming a missing column is one terminating MissingFeatureColumn error naming it (no error per row)' {
            $m = New-Autoencoder -Seed 1 -Feature cpu, nosuchcolumn, othercolumn
            $rows = @($csv | Select-Object -First 20)
            $errs = $null; $caught = $null
            try { $rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ErrorVariable errs -ErrorAction SilentlyContinue }
            catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'MissingFeatureColumn,*'
            $caught.ToString() | Should -Match "'nosuchcolumn', 'othercolumn'"
            $caught.ToString() | Should -Match 'Columns present: Host, cpu, mem, disk'
            @($errs | Where-Object { "$_" -match '\bRow \d+:' }) | Should -HaveCount 0
            $m.IsTrained | Should -BeFalse
        }

        It 'rows with only identifier-like and free-text columns are a terminating NoNumericFeatures error' {
            $m = New-Autoencoder -Seed 1
            # Id is distinct in every row; Message has 52 distinct values in 60 rows (too many for a category, too few for an ID).
            $rows = 1..60 | ForEach-Object { [pscustomobject]@{ Id = "req-$_"; Message = "event $($_ % 52) happened"; Empty = '' } }
            { $rows | Invoke-AutoencoderTraining -Model $m -Epochs 1 } | Should -Throw -ErrorId 'NoNumericFeatures,*'
            $m.IsTrained | Should -BeFalse
        }

        It 'a failed run leaves an already trained model as it was' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 1
            $null = Invoke-Training $csv $m
            $threshold = $m.Threshold
            { @() | Invoke-AutoencoderTraining -Model $m } | Should -Throw -ErrorId 'EmptyTrainingInput,*'
            $m.IsTrained | Should -BeTrue
            $m.Threshold | Should -Be $threshold
        }
    }

    Context 'column roles of pipeline rows' {
        BeforeAll {
            # 60 rows: a timestamp (DateTime), an ID, free text, a status with two values, and two numbers.
            $script:mixed = @(for ($i = 0; $i -lt 60; $i++) {
                    [pscustomobject][ordered]@{
                        Time    = [datetime]'2026-01-05T00:00:00' + [timespan]::FromMinutes(15 * $i)
                        Id      = [guid]::new($i, 0, 0, [byte[]](0, 0, 0, 0, 0, 0, 0, 1)).ToString()
                        Message = "job $($i % 52) finished"
                        Status  = if ($i % 5) { 'ok' } else { 'warn' }
                        Load    = 0.5 + ($i % 7) / 10
                        Queue   = [string](10 + $i % 11)
                    }
                })
        }

        It 'leaves identifier-like and free-text columns and timestamps out, saying why; few distinct strings are categories' {
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 2
            $null = $mixed | Invoke-AutoencoderTraining -Model $m -Epochs 1
            @($m.Features) | Should -Be @('Status', 'Load', 'Queue')
            @($m.FeatureColumns.Role) | Should -Be @([AutoencoderPS.Engine.Features.ColumnRole[]]('Categorical', 'Numeric', 'Numeric'))
            @($m.FeatureColumns[0].Categories) | Should -Be @('ok', 'warn')
            $reasons = @{}
            foreach ($ignored in $m.Schema.Ignored) { $reasons[$ignored.Name] = $ignored.Reason }
            @($reasons.Keys | Sort-Object) | Should -Be @('Id', 'Message', 'Time')
            $reasons['Id'] | Should -Match '^identifier-like: 60 distinct values in 60 rows'
            $reasons['Message'] | Should -Match '^text with 52 distinct values'
            $reasons['Time'] | Should -Match '^timestamp'
        }

        It 'New-Autoencoder -TimeFeatures makes the timestamp a feature (four inputs: hour and day on circles)' {
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 2 -TimeFeatures
            $null = $mixed | Invoke-AutoencoderTraining -Model $m -Epochs 1
            @($m.Features) | Should -Be @('Time', 'Status', 'Load', 'Queue')
            $m.FeatureColumns[0].Role | Should -Be ([AutoencoderPS.Engine.Features.ColumnRole]::Timestamp)
            $m.Layers | Should -Be '9-4-2-4-9'
            $m.FeatureColumns[0].Statistics.First | Should -Be $mixed[0].Time
            $m.FeatureColumns[0].Statistics.Last | Should -Be $mixed[-1].Time
            $m.Settings.TimeFeatures | Should -BeTrue
        }
    }

    Context 'a column with no value in the first rows (a host that joined late)' {
        BeforeAll {
            # 1,200 rows every 5 minutes: 'late' is empty in the first 1,100 (beyond the rows roles were chosen from) and
            # holds numbers after; 'never' is empty in every row. Roles were chosen from the first 1,000 rows, so 'late'
            # was left out as "always empty", or, named with -Feature, became a category of its 100 numbers' texts.
            $script:lateFile = Join-Path $TestDrive 'late.csv'
            $start = [datetime]'2026-12-01T00:00:00'
            $lines = @('time,cpu,net,late,never') + @(for ($i = 0; $i -lt 1200; $i++) {
                    $late = if ($i -ge 1100) { (20 + ($i * 7 % 13) + 0.25).ToString([cultureinfo]::InvariantCulture) } else { '' }
                    '{0},{1},{2},{3},' -f $start.AddMinutes(5 * $i).ToString('s'), (30 + $i % 17), (100 + $i % 11), $late
                })
            Set-Content -LiteralPath $lateFile -Value $lines -Encoding utf8NoBOM
            $script:lateRows = @(Import-Csv -LiteralPath $lateFile)
            function Invoke-LateTraining {
                param($Model, [switch] $Pipeline)
                $common = @{ Model = $Model; Epochs = 1; ThreadCount = 1; WarningVariable = 'script:lateWarnings'; WarningAction = 'SilentlyContinue'; Verbose = $true }
                $log = if ($Pipeline) { $lateRows | Invoke-AutoencoderTraining @common 4>&1 } else { Invoke-AutoencoderTraining -Path $lateFile @common 4>&1 }
                @($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            }
        }

        It 'is a numeric feature, with one warning naming it and how much of training it was missing in (<Source>, <Kind>)' -ForEach @(
            @{ Source = 'file'; Kind = 'row model' }, @{ Source = 'pipeline'; Kind = 'row model' },
            @{ Source = 'file'; Kind = 'sliding windows' }, @{ Source = 'pipeline'; Kind = 'sliding windows' }
        ) {
            $window = if ($Kind -eq 'sliding windows') { @{ WindowSize = 3; TimeProperty = 'time' } } else { @{ ExcludeFeature = 'time' } }
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 @window
            $verbose = Invoke-LateTraining -Model $m -Pipeline:($Source -eq 'pipeline')
            $m.IsTrained | Should -BeTrue
            @($m.Features) | Should -Be @('cpu', 'net', 'late')
            ($m.FeatureColumns | Where-Object Name -eq 'late').Role | Should -Be 'Numeric'
            ($m.FeatureColumns | Where-Object Name -eq 'late').Statistics.Missing | Should -Be 1100
            ($m.FeatureColumns | Where-Object Name -eq 'late').Statistics.Count | Should -Be 1200   # every row read, none rejected
            @($lateWarnings | Where-Object { "$_" -like "*'late'*" }) | Should -HaveCount 1
            "$(@($lateWarnings | Where-Object { "$_" -like "*'late'*" }))" | Should -BeLike "*'late' (missing in 1,100 of 1,200 training rows*filled in*"
            @($lateWarnings | Where-Object { "$_" -like "*'cpu'*" -or "$_" -like "*'never'*" }) | Should -HaveCount 0
            # Empty in every training row: left out, with the reason in the verbose stream, no warning.
            ($m.Schema.Ignored | Where-Object Name -eq 'never').Reason | Should -Be 'always empty'
            @($verbose | Where-Object { $_ -like "*'never': not a feature (always empty)*" }) | Should -HaveCount 1
            @($verbose | Where-Object { $_ -like "*'late'*no value in the first 1,000 rows*" }) | Should -HaveCount 1
        }

        It 'named with -Feature, is a numeric feature, not a category of its numbers'' texts (<Source>, <Kind>)' -ForEach @(
            @{ Source = 'file'; Kind = 'row model' }, @{ Source = 'pipeline'; Kind = 'row model' },
            @{ Source = 'file'; Kind = 'sliding windows' }, @{ Source = 'pipeline'; Kind = 'sliding windows' }
        ) {
            $window = if ($Kind -eq 'sliding windows') { @{ WindowSize = 3; TimeProperty = 'time' } } else { @{} }
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -Feature cpu, net, late @window
            $null = Invoke-LateTraining -Model $m -Pipeline:($Source -eq 'pipeline')
            ($m.FeatureColumns | Where-Object Name -eq 'late').Role | Should -Be 'Numeric'
            $m.Schema.Width | Should -Be 3
            @($lateWarnings | Where-Object { "$_" -like "*'late' (missing in 1,100 of 1,200 training rows*" }) | Should -HaveCount 1
        }

        It 'named with -Feature and empty in every training row, is an error, not a feature of no values' {
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -Feature cpu, never
            { Invoke-AutoencoderTraining -Model $m -Path $lateFile -Epochs 1 -ThreadCount 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'EmptyFeatureColumn,*' -ExpectedMessage "*'never' has no values in the training rows*"
            $m.IsTrained | Should -BeFalse
        }

        It 'named with -Feature, numbers the culture does not read are still refused (NamedFeatureUnreadNumbers), not a category of the first of them' {
            $file = Join-Path $TestDrive 'late-de.csv'
            $de = [cultureinfo]::GetCultureInfo('de-DE')
            $lines = @('cpu;late') + @(0..1199 | ForEach-Object { '{0};{1}' -f (40 + $_ % 17), $(if ($_ -ge 1100) { (40 + $_ * 0.37).ToString('0.00', $de) } else { '' }) })
            Set-Content -LiteralPath $file -Value $lines -Encoding utf8NoBOM
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -Feature cpu, late
            { Invoke-AutoencoderTraining -Model $m -Path $file -Delimiter ';' -Epochs 1 -ThreadCount 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'NamedFeatureUnreadNumbers,*' -ExpectedMessage "*'late', named with -Feature*-Culture*"
            Invoke-AutoencoderTraining -Model $m -Path $file -Delimiter ';' -Culture de-DE -Epochs 1 -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
            ($m.FeatureColumns | Where-Object Name -eq 'late').Role | Should -Be 'Numeric'
        }

        It 'still empty when the rows kept to choose roles reach their bound, is left out with a warning that counts its later values' {
            # 402 columns: at most 400,000 values are kept, so roles are chosen from the first 1,000 rows.
            $file = Join-Path $TestDrive 'late-wide.csv'
            $lines = [System.Collections.Generic.List[string]]::new()
            $lines.Add((@('a', 'late') + @(1..400 | ForEach-Object { "id$_" })) -join ',')
            for ($i = 0; $i -lt 1100; $i++) { $lines.Add(((20 + $i % 13), $(if ($i -ge 1050) { 10 + $i % 7 } else { '' }), (@("r$i") * 400 -join ',')) -join ',') }
            [System.IO.File]::WriteAllLines($file, $lines)
            $m = New-Autoencoder -HiddenLayer 2 -Seed 1
            Invoke-AutoencoderTraining -Model $m -Path $file -Epochs 1 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
            @($m.Features) | Should -Be @('a')
            @($warned | Where-Object { "$_" -like "*empty in the first 1,000 rows, which column roles are chosen from: 'late' (50 values in later rows)*" }) | Should -HaveCount 1
        }

        It 'every column present from the first row: roles from the first 1,000 rows, no warning' {
            $m = New-Autoencoder -HiddenLayer 4, 2 -Seed 1 -Feature cpu, net
            $verbose = Invoke-LateTraining -Model $m
            @($lateWarnings) | Should -HaveCount 0
            @($verbose | Where-Object { $_ -like '*no value in the first*' }) | Should -HaveCount 0
        }
    }

    Context 'missing values in training rows' {
        BeforeAll {
            # Every 10th cpu value is missing, in each of the ways a missing value is written.
            $script:gappy = @(Import-Csv -LiteralPath (Join-Path $TestDrive 'train.csv'))
            $script:markers = @('NA', 'N/A', 'null', 'NaN', '', '  ', $null, [double]::NaN, 'na', 'Null')
            for ($k = 0; $k -lt $markers.Count; $k++) { $gappy[10 * $k + 3].cpu = $markers[$k] }
            $script:present = [double[]]@($gappy | Where-Object { $_.cpu -is [string] -and $_.cpu.Trim() -and $_.cpu -notin 'NA', 'N/A', 'null', 'NaN' } |
                    ForEach-Object { [double]::Parse($_.cpu, [cultureinfo]::InvariantCulture) } | Sort-Object)
        }

        It 'are imputed with the training median, which the model records; no row is lost' {
            $present | Should -HaveCount 190   # the premise
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 4
            $errs = $null
            $null = $gappy | Invoke-AutoencoderTraining -Model $m -Epochs 1 -ErrorVariable errs
            $errs | Should -HaveCount 0
            $m.Training.Rows | Should -Be 200
            $cpu = $m.FeatureColumns | Where-Object Name -eq 'cpu'
            $cpu.Statistics.Missing | Should -Be 10
            $cpu.Median | Should -Be (($present[94] + $present[95]) / 2)
            $cpu.Statistics.Min | Should -Be $present[0]
        }

        It 'with -RejectMissing are non-terminating EmptyFeatureValue errors naming row and column; the rest trains' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 4
            $errs = $null
            $null = $gappy | Invoke-AutoencoderTraining -Model $m -Epochs 1 -RejectMissing -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 10
            @($errs | Where-Object { $_.FullyQualifiedErrorId -notlike 'EmptyFeatureValue,*' }) | Should -HaveCount 0
            $errs[0].ToString() | Should -Match "\bRow 4\b: column 'cpu' has the missing value 'NA'"
            $errs[4].ToString() | Should -Match "\bRow 44\b: column 'cpu' is empty"
            $m.Training.Rows | Should -Be 190
            ($m.FeatureColumns | Where-Object Name -eq 'cpu').Statistics.Missing | Should -Be 0
        }
    }

    Context 'reproducibility' {
        BeforeAll {
            $script:a = New-Autoencoder -HiddenLayer 8, 4 -Seed 2024
            $script:b = New-Autoencoder -HiddenLayer 8, 4 -Seed 2024
            $script:c = New-Autoencoder -HiddenLayer 8, 4 -Seed 2025
            $script:lossA = @((Invoke-Training $csv $a).EpochResults.Loss)
            $script:lossB = @((Invoke-Training $csv $b).EpochResults.Loss)
            $null = Invoke-Training $csv $c
            $script:scoreRows = @(New-MetricRow -Count 50 -Seed 99)
        }

        It 'the same seed gives bit-identical epoch losses' {
            $lossA | Should -HaveCount 3
            Get-DoubleBits $lossB | Should -Be (Get-DoubleBits $lossA)
        }

        It 'the same seed gives a bit-identical threshold and bit-identical scores' {
            Get-DoubleBits $b.Threshold | Should -Be (Get-DoubleBits $a.Threshold)
            $scoresA = @($scoreRows | Test-Anomaly -Model $a).AnomalyScore
            $scoresB = @($scoreRows | Test-Anomaly -Model $b).AnomalyScore
            $scoresA | Should -HaveCount 50
            Get-DoubleBits $scoresB | Should -Be (Get-DoubleBits $scoresA)
        }

        It 'another seed gives another network' {
            $c.Threshold | Should -Not -Be $a.Threshold
        }
    }

    Context 'several threads (-ThrottleLimit)' {
        BeforeAll {
            # 8,192 rows in batches of 4,096: two threads split each batch (1,024 rows each at least).
            New-MetricRow -Count 8192 -Seed 5 -AsText | Export-Csv -LiteralPath (Join-Path $TestDrive 'many.csv') -NoTypeInformation
            $script:manyPath = Join-Path $TestDrive 'many.csv'
            $script:one = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $script:two = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $null = Invoke-AutoencoderTraining -Model $one -Path $manyPath -Epochs 3 -BatchSize 4096 -ThreadCount 1 -ThrottleLimit 1
            $script:verbose = @(Invoke-AutoencoderTraining -Model $two -Path $manyPath -Epochs 3 -BatchSize 4096 -ThreadCount 1 -ThrottleLimit 2 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        }

        It 'says when batches are split, and when they are too small to be' {
            $verbose | Should -Contain 'Batches of 4096 rows are split between up to 2 threads (-ThrottleLimit).'
            $small = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $said = @(Invoke-AutoencoderTraining -Model $small -Path $manyPath -Epochs 1 -BatchSize 256 -ThreadCount 1 -ThrottleLimit 2 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            ($said -match '^Batches of 256 rows train on one thread') | Should -Not -BeNullOrEmpty
        }

        It 'trains the model of one thread, up to the rounding of the split sums' {
            $two.Training.Epochs | Should -Be $one.Training.Epochs
            [math]::Abs($two.Threshold - $one.Threshold) / $one.Threshold | Should -BeLessThan 1e-3
            $probe = @(New-MetricRow -Count 300 -Seed 9 -AsText)
            $a = @($probe | Test-Anomaly -Model $one -ThreadCount 1).AnomalyScore
            $b = @($probe | Test-Anomaly -Model $two -ThreadCount 1).AnomalyScore
            for ($i = 0; $i -lt $a.Count; $i++) { [math]::Abs($a[$i] - $b[$i]) | Should -BeLessOrEqual ([math]::Max(1e-9, 1e-3 * $a[$i])) }
        }

        It 'refuses a thread count outside 1 to 64' {
            { Invoke-AutoencoderTraining -Model (New-Autoencoder) -Path $manyPath -ThrottleLimit 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AutoencoderPS.Commands.InvokeAutoencoderTrainingCommand'
        }
    }

    Context 'rows scored before' {
        It 'leaves the columns scoring added out of a new model, with a warning' {
            # Test-Anomaly adds its verdict to the objects it is given; training again on those objects must not learn them.
            $first = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
            $null = $csv | Invoke-AutoencoderTraining -Model $first -Epochs 2 -BatchSize 32 -ThreadCount 1
            $scored = @($csv | Test-Anomaly -Model $first -ThreadCount 1)
            $scored[0].PSObject.Properties.Name | Should -Contain 'AnomalyScore'
            $again = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
            $null = $scored | Invoke-AutoencoderTraining -Model $again -Epochs 2 -BatchSize 32 -ThreadCount 1 -WarningVariable warned -WarningAction SilentlyContinue
            @($again.Features) | Should -Be @($first.Features)
            $leftOut = @($warned | Where-Object { "$_" -like 'Left out of the features:*' })
            $leftOut | Should -HaveCount 1
            "$($leftOut[0])" | Should -BeLike "*'AnomalyScore' (an output of AutoencoderPS scoring*"
            "$($leftOut[0])" | Should -BeLike "*'AnomalyTopFeature' (an output of AutoencoderPS scoring*"
        }
    }
}

Describe 'Files piped from Get-ChildItem to training and Set-AutoencoderThreshold (read as -LiteralPath reads them)' {
    BeforeAll {
        $script:folder = Join-Path $TestDrive 'piped'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $csv[0..99] | Export-Csv -LiteralPath (Join-Path $folder 'a.csv') -NoTypeInformation
        $csv[100..199] | Export-Csv -LiteralPath (Join-Path $folder 'b.csv') -NoTypeInformation
        $script:files = @(Get-ChildItem -LiteralPath $folder -Filter *.csv | Sort-Object Name)
    }

    It 'trains on the rows of piped files, as on the same files given with -LiteralPath (<Options>)' -ForEach @(
        @{ Options = 'none' }, @{ Options = '-Delimiter' }
    ) {
        $splat = if ($Options -eq '-Delimiter') { @{ Delimiter = ',' } } else { @{} }
        $piped = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $files | Invoke-AutoencoderTraining -Model $piped -Epochs 2 -BatchSize 32 -ThreadCount 1 @splat | Out-Null
        $named = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        Invoke-AutoencoderTraining -Model $named -LiteralPath $files.FullName -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        $piped.Training.Rows | Should -Be 200
        $piped.Threshold | Should -Be $named.Threshold
    }

    It 'recalibrates on piped files; a row with a PSPath column is a row there too (its default set takes no pipeline)' {
        $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $csv | Invoke-AutoencoderTraining -Model $m -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        $files | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90
        $fromFiles = $m.Threshold
        Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50 -LiteralPath $files.FullName
        $m.Threshold | Should -Not -Be $fromFiles
        # A file listing's export: each row names a real file by PSPath; read as files, the threshold would be $fromFiles.
        $listed = Join-Path $TestDrive 'with-pspath.csv'
        $csv | Select-Object *, @{ n = 'PSPath'; e = { $files[0].PSPath } } | Export-Csv -LiteralPath $listed -NoTypeInformation
        Import-Csv -LiteralPath $listed | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90
        $m.Threshold | Should -Be $fromFiles   # the same 200 rows, read as rows
        $m.ThresholdSource | Should -Not -BeNullOrEmpty
        # Plain rows (no PSPath): the rows' set, not AmbiguousParameterSet for each row (the rows' set is the default).
        Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50 -LiteralPath $files.FullName
        $csv | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -ErrorVariable failed
        $failed | Should -HaveCount 0
        $m.Threshold | Should -Be $fromFiles
    }

    It 'reads the files named with -LiteralPath when the pipe in front gives nothing (training, recalibration, scoring)' {
        # PowerShell calls no ProcessRecord for an empty pipe ($rows | ... with $rows empty): the named files were never read,
        # and the model stayed untrained, the threshold unchanged and nothing scored, without a word.
        $none = @()
        # Files of their own: earlier tests of this file scored $csv's rows, which now carry score columns.
        $own = Join-Path $TestDrive 'empty-pipe'
        New-Item -ItemType Directory -Path $own | Out-Null
        $fresh = @(New-MetricRow -Count 200 -Seed 7 -AsText)
        $fresh[0..99] | Export-Csv -LiteralPath (Join-Path $own 'a.csv') -NoTypeInformation
        $fresh[100..199] | Export-Csv -LiteralPath (Join-Path $own 'b.csv') -NoTypeInformation
        $files = @(Get-ChildItem -LiteralPath $own -Filter *.csv | Sort-Object Name)
        $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $none | Invoke-AutoencoderTraining -Model $m -LiteralPath $files.FullName -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        $m.IsTrained | Should -BeTrue
        $m.Training.Rows | Should -Be 200
        $before = $m.Threshold
        $none | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50 -LiteralPath $files.FullName
        $m.Threshold | Should -BeLessThan $before
        @($none | Test-Anomaly -Model $m -LiteralPath $files.FullName -ThreadCount 1) | Should -HaveCount 200
        $target = Join-Path $TestDrive 'empty-pipe-scored.csv'
        $none | Test-Anomaly -Model $m -Path (Join-Path $own '*.csv') -OutputPath $target -ThreadCount 1 -ErrorVariable failed
        $failed | Should -HaveCount 0
        @(Import-Csv -LiteralPath $target) | Should -HaveCount 200
    }

    It 'says so when no file came with a file parameter (nothing piped, nothing named), and trains nothing' -ForEach @(
        @{ Piped = $true }, @{ Piped = $false }
    ) {
        # An empty folder's listing piped with -Delimiter, or the parameter alone: no file is not a model trained on nothing.
        $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $thrown = $null
        try {
            if ($Piped) { @(Get-ChildItem -LiteralPath $TestDrive -Filter *.none) | Invoke-AutoencoderTraining -Model $m -Delimiter ';' -Epochs 1 }
            else { Invoke-AutoencoderTraining -Model $m -Delimiter ';' -Epochs 1 }
        }
        catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        $thrown.Exception.Message | Should -BeLike 'No file was piped to Invoke-AutoencoderTraining*'
        $m.IsTrained | Should -BeFalse
    }

    It 'trains on path strings piped ((Get-ChildItem).FullName), as on the files they name; a string that names no file is its error, the others are read' {
        $piped = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $missing = Join-Path $folder 'no-such.csv'
        @($files[0].FullName, $missing, $files[1].FullName) |
            Invoke-AutoencoderTraining -Model $piped -Epochs 2 -BatchSize 32 -ThreadCount 1 -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].TargetObject | Should -BeExactly $missing
        $named = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        Invoke-AutoencoderTraining -Model $named -LiteralPath $files.FullName -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        $piped.Training.Rows | Should -Be 200
        $piped.Threshold | Should -Be $named.Threshold
    }

    It 'recalibrates on path strings piped, as on the files they name (a wildcard too, as -Path)' {
        $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $csv | Invoke-AutoencoderTraining -Model $m -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -LiteralPath $files.FullName
        $fromFiles = $m.Threshold
        Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50
        $files.FullName | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -ErrorVariable failed
        $failed | Should -HaveCount 0
        $m.Threshold | Should -Be $fromFiles
        Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50
        Join-Path $folder '*.csv' | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -ErrorVariable failed
        $failed | Should -HaveCount 0
        $m.Threshold | Should -Be $fromFiles
    }

    It 'refuses rows piped to Set-AutoencoderThreshold with -Delimiter once, as PipedRowNotFile, not a binding error per row; the threshold is unchanged' {
        $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $csv | Invoke-AutoencoderTraining -Model $m -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        $before = $m.Threshold
        $thrown = $null
        $failed = $null
        try { $csv | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50 -Delimiter ';' -ErrorVariable failed } catch { $thrown = $_ }
        @($failed) | Should -HaveCount 1
        $thrown.FullyQualifiedErrorId | Should -BeLike 'PipedRowNotFile,*'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        [object]::ReferenceEquals($thrown.TargetObject, $csv[0]) | Should -BeTrue
        $thrown.Exception.Message | Should -BeLike '*Row 1 is a row, not a file*-Delimiter*'
        $m.Threshold | Should -Be $before
    }

    It 'Set-AutoencoderThreshold: nothing piped is the stored training errors; an empty pipe is EmptyThresholdInput (rows were expected), not the training errors' {
        $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 11
        $csv | Invoke-AutoencoderTraining -Model $m -Epochs 2 -BatchSize 32 -ThreadCount 1 | Out-Null
        Set-AutoencoderThreshold -Model $m -Method Percentile -Value 50
        "$($m.ThresholdRule)" | Should -BeLike '*training errors*'
        $stored = $m.Threshold
        $thrown = $null
        try { @() | Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'EmptyThresholdInput,*'
        # An empty folder's listing is an empty pipe too: the message says nothing came, not that rows were expected.
        $thrown.Exception.Message | Should -BeLike 'Nothing came through the pipeline (no rows and no files*'
        $m.Threshold | Should -Be $stored
        # A file parameter alone: no file, said once (a missing mandatory -LiteralPath before).
        $thrown = $null
        try { Set-AutoencoderThreshold -Model $m -Method Percentile -Value 90 -Delimiter ';' } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InputFileNotFound,*'
        $thrown.Exception.Message | Should -BeLike 'No file was piped to Set-AutoencoderThreshold*'
        $m.Threshold | Should -Be $stored
    }

    It 'refuses a file piped after rows, naming it (PipedFileNotRow)' {
        $thrown = $null
        try { @($csv[0], $files[0]) | Invoke-AutoencoderTraining -Model (New-Autoencoder -Seed 1) -Epochs 1 } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'PipedFileNotRow,*'
        $thrown.TargetObject.FullName | Should -Be $files[0].FullName
        $thrown.Exception.Message | Should -BeLike "Object 2 is a file ('$($files[0].FullName)'), but the objects before it were rows*"
    }
}
