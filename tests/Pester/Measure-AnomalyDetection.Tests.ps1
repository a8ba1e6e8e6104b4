BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Hand-made scored rows; Label 1 = a true anomaly.
    #   Label Score IsAnomaly  outcome
    #   1     0.9   True       TP
    #   1     0.8   True       TP
    #   1     0.6   True       TP
    #   1     0.3   False      FN
    #   0     0.7   True       FP
    #   0     0.5   True       FP
    #   0     0.3   False      TN   (ties with the 0.3 anomaly)
    #   0     0.2   False      TN
    #   0     0.1   False      TN
    # TP 3, FP 2, TN 3, FN 1: accuracy 6/9, precision 3/5, recall 3/4, F1 2PR/(P+R) = 2/3.
    # ROC-AUC = P(anomaly scores above normal), ties count 1/2, over 4 x 5 = 20 pairs:
    #   0.9 -> 5, 0.8 -> 5, 0.6 -> 4 (above 0.5, 0.3, 0.2, 0.1), 0.3 -> 2 + 0.5 (tie) = 16.5 / 20 = 0.825.
    $script:table = @(
        @(1, 0.9, $true), @(1, 0.8, $true), @(1, 0.6, $true), @(1, 0.3, $false),
        @(0, 0.7, $true), @(0, 0.5, $true), @(0, 0.3, $false), @(0, 0.2, $false), @(0, 0.1, $false)
    )
    function New-ScoredRow {
        foreach ($r in $script:table) { [pscustomobject]@{ Label = $r[0]; AnomalyScore = $r[1]; IsAnomaly = $r[2] } }
    }

    function Assert-HandComputedMetric {
        param($Metrics)
        $Metrics | Should -BeOfType ([AutoencoderPS.Engine.Modeling.DetectionMetrics])
        $Metrics.Count | Should -Be 9
        $Metrics.TruePositive | Should -Be 3
        $Metrics.FalsePositive | Should -Be 2
        $Metrics.TrueNegative | Should -Be 3
        $Metrics.FalseNegative | Should -Be 1
        $Metrics.Accuracy | Should -BeGreaterThan (6 / 9 - 1e-12)
        $Metrics.Accuracy | Should -BeLessThan (6 / 9 + 1e-12)
        [math]::Abs($Metrics.Precision - 0.6) | Should -BeLessThan 1e-12
        [math]::Abs($Metrics.Recall - 0.75) | Should -BeLessThan 1e-12
        [math]::Abs($Metrics.F1 - 2 / 3) | Should -BeLessThan 1e-12
        [math]::Abs($Metrics.RocAuc - 0.825) | Should -BeLessThan 1e-12
    }
}

Describe 'Measure-AnomalyDetection' {
    Context 'hand-made scored rows' {
        It 'matches the hand-computed confusion counts, accuracy, precision, recall, F1 and ROC-AUC' {
            $metrics = New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1
            @($metrics) | Should -HaveCount 1
            Assert-HandComputedMetric $metrics
        }

        It 'takes -LabelProperty and -AnomalyLabel by position' {
            Assert-HandComputedMetric (New-ScoredRow | Measure-AnomalyDetection Label 1)
        }

        It 'treats the other label as the positive class when asked (roles swap)' {
            $metrics = New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 0
            $metrics.TruePositive | Should -Be 2
            $metrics.FalsePositive | Should -Be 3
            $metrics.TrueNegative | Should -Be 1
            $metrics.FalseNegative | Should -Be 3
            [math]::Abs($metrics.RocAuc - (1 - 0.825)) | Should -BeLessThan 1e-12
        }

        It 'reads scores and predictions from other properties with -ScoreProperty and -PredictionProperty' {
            $rows = New-ScoredRow | ForEach-Object { [pscustomobject]@{ Truth = $_.Label; Error = $_.AnomalyScore; Flag = $_.IsAnomaly } }
            Assert-HandComputedMetric ($rows | Measure-AnomalyDetection -LabelProperty Truth -AnomalyLabel 1 -ScoreProperty Error -PredictionProperty Flag)
        }

        It 'formats as a list naming the metrics' {
            $text = New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 | Out-String
            $text | Should -Match 'TruePositive\s*:\s*3'
            $text | Should -Match 'RocAuc\s*:\s*0[.,]8250'
        }
    }

    Context 'labels and predictions given as text' {
        It '-AnomalyLabel is matched as text: numeric labels with -AnomalyLabel ''1''' {
            Assert-HandComputedMetric (New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel '1')
        }

        It '-AnomalyLabel is matched as text: text labels ''0''/''1'' with -AnomalyLabel 1' {
            $rows = New-ScoredRow | ForEach-Object { $_.Label = [string]$_.Label; $_ }
            $rows[0].Label | Should -BeOfType ([string])
            Assert-HandComputedMetric ($rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1)
        }

        It '''0'' and 0 are the same label' {
            $a = New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel '0'
            $b = New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 0
            $a.TruePositive | Should -Be 2
            $b.TruePositive | Should -Be 2
            $a.RocAuc | Should -Be $b.RocAuc
        }

        It 'matches text labels ignoring case' {
            $rows = New-ScoredRow | ForEach-Object { $_.Label = if ($_.Label -eq 1) { 'Anomaly' } else { 'normal' }; $_ }
            Assert-HandComputedMetric ($rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 'ANOMALY')
        }

        It 'reads rows back from CSV, where IsAnomaly is the text ''True''/''False''' {
            $path = Join-Path $TestDrive 'scored.csv'
            New-ScoredRow | Export-Csv -LiteralPath $path -NoTypeInformation
            $rows = @(Import-Csv -LiteralPath $path)
            $rows[0].IsAnomaly | Should -BeOfType ([string])
            $rows.IsAnomaly | Should -Contain 'False'
            Assert-HandComputedMetric ($rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1)
        }
    }

    Context 'errors' {
        It 'a row missing the label property is a non-terminating ScoredRowPropertyMissing error; the rest are measured' {
            $rows = @(New-ScoredRow) + [pscustomobject]@{ AnomalyScore = 0.4; IsAnomaly = $false }
            $errs = $null
            $metrics = $rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ScoredRowPropertyMissing,*'
            $errs[0].ToString() | Should -Match '\bRow 10\b'
            $errs[0].ToString() | Should -Match 'Label'
            [object]::ReferenceEquals($errs[0].TargetObject, $rows[9]) | Should -BeTrue
            Assert-HandComputedMetric $metrics
        }

        It 'a row whose score is not a number is a ScoredRowPropertyMissing error naming the row, the score property and the value' {
            $rows = @(New-ScoredRow) + [pscustomobject]@{ Label = 1; AnomalyScore = 'high'; IsAnomaly = $true }
            $errs = $null
            $metrics = $rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ScoredRowPropertyMissing,*'
            $errs[0].ToString() | Should -Be "Row 10: property 'AnomalyScore' has the value 'high', which is not a number."
            $errs[0].TargetObject.AnomalyScore | Should -Be 'high'
            $metrics.Count | Should -Be 9
        }

        It 'a row whose prediction is not a truth value is a ScoredRowPropertyMissing error naming the value' {
            $rows = @(New-ScoredRow) + [pscustomobject]@{ Label = 1; AnomalyScore = 0.5; IsAnomaly = 'maybe' }
            $errs = $null
            $metrics = $rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].ToString() | Should -Be "Row 10: property 'IsAnomaly' has the value 'maybe', which is not True or False."
            $metrics.Count | Should -Be 9
        }

        It 'no rows is a terminating NoScoredRows error' {
            { @() | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 } | Should -Throw -ErrorId 'NoScoredRows,*'
        }

        It 'rows that are all unusable end with NoScoredRows too' {
            $errs = $null; $caught = $null
            # Unusable values (a misspelled -LabelProperty is one InputPropertyNotFound error: Reliability.Tests.ps1).
            try { New-ScoredRow | ForEach-Object { $_.AnomalyScore = 'n/a'; $_ } | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 -ErrorVariable errs -ErrorAction SilentlyContinue }
            catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'NoScoredRows,*'
            @($errs | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'ScoredRowPropertyMissing,*' }) | Should -HaveCount 9
        }

        It 'warns when no row carries the anomaly label, and reports ROC-AUC as NaN' {
            $warnings = $null
            $metrics = New-ScoredRow | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 'yes' -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            "$warnings" | Should -Match 'yes'
            [double]::IsNaN($metrics.RocAuc) | Should -BeTrue
            $metrics.TruePositive + $metrics.FalseNegative | Should -Be 0
        }
    }

    Context 'a scored file read back' {
        It 'reads the scores of a file scored with -Culture de-DE, and hints at -Culture for a score column of its own in another culture' {
            # "No usable scored rows": every de-DE score ("0,0024...") was not a number, with no word of the decimal comma.
            $rows = @(
                [pscustomobject]@{ Label = 1; AnomalyScore = '0,9'; IsAnomaly = 'True'; Own = '0,9' }
                [pscustomobject]@{ Label = 0; AnomalyScore = '1,5E-05'; IsAnomaly = 'False'; Own = '1,5E-05' }
                [pscustomobject]@{ Label = 0; AnomalyScore = '0,25'; IsAnomaly = 'False'; Own = '0,25' }
            )
            $metrics = $rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1
            $metrics.TruePositive | Should -Be 1
            $metrics.RocAuc | Should -Be 1
            ($rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 -Culture de-DE -ScoreProperty Own).RocAuc | Should -Be 1
            $errs = $null
            $thrown = $null
            try { $rows | Measure-AnomalyDetection -LabelProperty Label -AnomalyLabel 1 -ScoreProperty Own -ErrorVariable errs -ErrorAction SilentlyContinue }
            catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -BeLike 'NoScoredRows,*'
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ScoredRowPropertyMissing,*'
            "$($errs[0])" | Should -BeLike "*'0,9'*not a number*decimal comma*-Culture*"
        }
    }

    Context 'with Test-Anomaly' {
        It 'measures the output of Test-Anomaly on labelled sample data' {
            $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 3
            $null = Get-AutoencoderSampleData -Days 1 | Invoke-AutoencoderTraining -Model $m -Epochs 3 -ThreadCount 1
            $rows = Get-AutoencoderSampleData -Days 1 -Seed 9 | Select-Object -First 200
            $rows | Select-Object -First 20 | ForEach-Object { $_.CpuPct = 100; $_.DiskIops = 2000 }
            $labelled = $rows | Select-Object *, @{ Name = 'Truth'; Expression = { if ($_.DiskIops -eq 2000) { 'bad' } else { 'ok' } } }
            $metrics = $labelled | Test-Anomaly -Model $m | Measure-AnomalyDetection -LabelProperty Truth -AnomalyLabel bad
            $metrics.Count | Should -Be 200
            $metrics.TruePositive + $metrics.FalseNegative | Should -Be 20
            $metrics.Recall | Should -Be 1
            $metrics.RocAuc | Should -BeGreaterThan 0.99
        }
    }
}
