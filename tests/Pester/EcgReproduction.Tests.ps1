# The seed reproduction: the TensorFlow "Intro to Autoencoders" ECG5000 recipe, run through the cmdlets.
# Reference (PyTorch, same recipe): ROC-AUC 0.957, accuracy 0.940. The bar here: ROC-AUC >= 0.95, accuracy >= 0.93.
# Data: <repo root>/../shared/data/ecg5000/ecg.csv (header t0..t139,label; label 1 = normal, 0 = abnormal).
# The data is not part of the repository; without it these tests are skipped, saying so.

BeforeDiscovery {
    # tests/Pester -> repo root is two levels up; 'shared' sits beside the repo root.
    $ecgPath = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/data/ecg5000/ecg.csv'))
    $dataPresent = Test-Path -LiteralPath $ecgPath -PathType Leaf
    $skipNote = if ($dataPresent) { '' } else { " (skipped: $ecgPath absent)" }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ecgPath = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../../shared/data/ecg5000/ecg.csv'))

    if (Test-Path -LiteralPath $ecgPath -PathType Leaf) {
        $rows = @(Import-Csv -LiteralPath $ecgPath)

        # Seeded stratified 80/20 split: shuffle each class separately (normal first, then abnormal, one generator),
        # and put the first 80 % of each class into training.
        $random = [System.Random]::new(42)
        $train = [System.Collections.Generic.List[object]]::new()
        $test = [System.Collections.Generic.List[object]]::new()
        foreach ($label in '1', '0') {
            $class = @($rows.Where({ $_.label -eq $label }))
            for ($i = $class.Count - 1; $i -gt 0; $i--) {
                $j = $random.Next($i + 1)
                $class[$i], $class[$j] = $class[$j], $class[$i]
            }
            $cut = [int][math]::Floor(0.8 * $class.Count)
            $train.AddRange([object[]]$class[0..($cut - 1)])
            $test.AddRange([object[]]$class[$cut..($class.Count - 1)])
        }
        $script:rowCount = $rows.Count
        $script:trainNormal = @($train.Where({ $_.label -eq '1' }))
        $script:test = $test.ToArray()

        # Train only on normal training beats.
        $script:m = New-Autoencoder -HiddenLayer 32, 16, 8 -Activation Relu -OutputActivation Sigmoid -ExcludeFeature label -Seed 1
        $script:epochs = @(($trainNormal | Invoke-AutoencoderTraining -Model $m -Epochs 20 -BatchSize 512 -LearningRate 0.001 `
                -Loss Mae -Scaling GlobalMinMax -ErrorWeighting None -ThresholdMethod MeanStd -ThresholdValue 1 -ThreadCount 1).EpochResults)

        # Score both classes of the held-out beats; label 0 (abnormal) is the anomaly class.
        $script:metrics = $test | Test-Anomaly -Model $m | Measure-AnomalyDetection -LabelProperty label -AnomalyLabel 0

        Write-Host ('ECG5000 reproduction: {0} train (normal) / {1} test rows; threshold {2:G6}; final loss {3:G6}' -f
            $trainNormal.Count, $test.Count, $m.Threshold, $epochs[-1].Loss)
        Write-Host ('ECG5000 reproduction: ROC-AUC {0:N4} (bar 0.95, PyTorch 0.957), accuracy {1:N4} (bar 0.93, PyTorch 0.940), precision {2:N4}, recall {3:N4}, F1 {4:N4}; TP {5} FP {6} TN {7} FN {8}' -f
            $metrics.RocAuc, $metrics.Accuracy, $metrics.Precision, $metrics.Recall, $metrics.F1,
            $metrics.TruePositive, $metrics.FalsePositive, $metrics.TrueNegative, $metrics.FalseNegative)
    }
}

Describe 'ECG5000 reproduction of the seed recipe' {
    It "reads 4998 beats and splits them 80/20 per class$skipNote" -Skip:(-not $dataPresent) {
        $rowCount | Should -Be 4998
        $trainNormal | Should -HaveCount 2335       # floor(0.8 x 2919 normal beats)
        $test | Should -HaveCount 1000              # 584 normal + 416 abnormal
        @($test.Where({ $_.label -eq '0' })) | Should -HaveCount 416
    }

    It "trains on the 140 samples of each beat, not the label$skipNote" -Skip:(-not $dataPresent) {
        $m.IsTrained | Should -BeTrue
        @($m.Features) | Should -HaveCount 140
        $m.Features | Should -Not -Contain 'label'
        $m.Layers | Should -Be '140-32-16-8-16-32-140'
        $epochs | Should -HaveCount 20
        $epochs[-1].Loss | Should -BeLessThan $epochs[0].Loss
    }

    It "reaches ROC-AUC >= 0.95 on the held-out beats (PyTorch: 0.957)$skipNote" -Skip:(-not $dataPresent) {
        $metrics.Count | Should -Be 1000
        $metrics.RocAuc | Should -BeGreaterOrEqual 0.95
    }

    It "reaches accuracy >= 0.93 on the held-out beats (PyTorch: 0.940)$skipNote" -Skip:(-not $dataPresent) {
        $metrics.Accuracy | Should -BeGreaterOrEqual 0.93
    }
}
