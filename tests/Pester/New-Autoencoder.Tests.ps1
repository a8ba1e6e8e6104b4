BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'New-Autoencoder' {
    Context 'with no parameters' {
        BeforeAll {
            $script:m = New-Autoencoder
        }

        It 'returns an AutoencoderModel' {
            $m | Should -BeOfType ([AutoencoderPS.Engine.Modeling.AutoencoderModel])
        }

        It 'shows its training in one line once trained: "1 epoch" for one, "2 epochs" for two' {
            foreach ($epochs in 1, 2) {
                $trained = New-Autoencoder -HiddenLayer 4, 2 -Seed 1
                New-MetricRow -Count 50 -Seed 1 | Invoke-AutoencoderTraining -Model $trained -Epochs $epochs -ThreadCount 1 | Out-Null
                $text = $trained | Format-List | Out-String -Width 200
                $text | Should -Match ("50 rows, $epochs epoch" + $(if ($epochs -eq 1) { ',' } else { 's,' }))
            }
        }

        It 'is untrained, with no threshold yet' {
            $m.IsTrained | Should -BeFalse
            $m.Training | Should -BeNullOrEmpty
            [double]::IsNaN($m.Threshold) | Should -BeTrue
        }

        It 'uses the hidden layers 32, 16, 8 with Relu and a Sigmoid output' {
            @($m.Settings.HiddenLayers) | Should -Be @(32, 16, 8)
            $m.Layers | Should -Be '?-32-16-8-16-32-?'
            $m.Settings.Activation | Should -Be ([AutoencoderPS.Engine.Modeling.ActivationKind]::Relu)
            $m.Settings.OutputActivation | Should -Be ([AutoencoderPS.Engine.Modeling.OutputActivationKind]::Sigmoid)
        }

        It 'leaves the features to be inferred at training time' {
            @($m.Settings.Features) | Should -HaveCount 0
            @($m.Settings.ExcludeFeatures) | Should -HaveCount 0
        }

        It 'draws a seed, keeps it in the settings and says so' {
            $verbose = New-Autoencoder -Verbose 4>&1
            $drawn = @($verbose | Where-Object { $_ -is [AutoencoderPS.Engine.Modeling.AutoencoderModel] })
            $messages = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $drawn | Should -HaveCount 1
            $drawn[0].Settings.Seed | Should -BeOfType ([int])
            $messages.Message -join "`n" | Should -Match "drew seed $($drawn[0].Settings.Seed)\b"
        }

        It 'draws a different seed each time (so unseeded runs do not silently share one)' {
            $seeds = 1..5 | ForEach-Object { (New-Autoencoder).Settings.Seed }
            @($seeds | Sort-Object -Unique).Count | Should -BeGreaterThan 1
        }
    }

    Context 'with parameters' {
        It 'keeps -Seed' {
            (New-Autoencoder -Seed 12345).Settings.Seed | Should -Be 12345
        }

        It 'says nothing about drawing a seed when -Seed is given' {
            $messages = @(New-Autoencoder -Seed 5 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $messages.Message -join "`n" | Should -Not -Match 'drew seed'
        }

        It 'keeps -HiddenLayer (positionally too) and mirrors it in Layers' {
            $m = New-Autoencoder -HiddenLayer 64, 4
            @($m.Settings.HiddenLayers) | Should -Be @(64, 4)
            $m.Layers | Should -Be '?-64-4-64-?'
            @((New-Autoencoder 10, 5, 2).Settings.HiddenLayers) | Should -Be @(10, 5, 2)
        }

        It 'keeps -Activation and -OutputActivation' {
            $m = New-Autoencoder -Activation Tanh -OutputActivation Linear
            $m.Settings.Activation | Should -Be ([AutoencoderPS.Engine.Modeling.ActivationKind]::Tanh)
            $m.Settings.OutputActivation | Should -Be ([AutoencoderPS.Engine.Modeling.OutputActivationKind]::Linear)
            (New-Autoencoder -Activation LeakyRelu).Settings.Activation | Should -Be ([AutoencoderPS.Engine.Modeling.ActivationKind]::LeakyRelu)
        }

        It 'keeps -TimeFeatures (timestamps are left out unless it is given)' {
            (New-Autoencoder -Seed 1 -TimeFeatures).Settings.TimeFeatures | Should -BeTrue
            (New-Autoencoder -Seed 1).Settings.TimeFeatures | Should -BeFalse
        }

        It 'keeps -Feature and -ExcludeFeature in order' {
            $m = New-Autoencoder -Feature cpu, mem, disk -ExcludeFeature mem
            @($m.Settings.Features) | Should -Be @('cpu', 'mem', 'disk')
            @($m.Settings.ExcludeFeatures) | Should -Be @('mem')
            @($m.Features) | Should -Be @('cpu', 'mem', 'disk')
        }
    }

    Context 'invalid parameters fail parameter binding' {
        It 'rejects -HiddenLayer 0' {
            { New-Autoencoder -HiddenLayer 0 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,AutoencoderPS.Commands.NewAutoencoderCommand' -ExceptionType ([System.Management.Automation.ParameterBindingException])
        }

        It 'rejects a hidden layer wider than 65536' {
            { New-Autoencoder -HiddenLayer 8, 65537 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -ExceptionType ([System.Management.Automation.ParameterBindingException])
        }

        It 'rejects an unknown -Activation' {
            { New-Autoencoder -Activation Softmax } |
                Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,AutoencoderPS.Commands.NewAutoencoderCommand' -ExceptionType ([System.Management.Automation.ParameterBindingException])
        }

        It 'rejects an unknown -OutputActivation' {
            { New-Autoencoder -OutputActivation Relu } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
        }
    }

    Context 'default formatting' {
        It 'shows IsTrained, Layers and the seed' {
            $text = New-Autoencoder -Seed 424242 | Out-String
            $text | Should -Match 'IsTrained\s*:\s*False'
            $text | Should -Match 'Layers\s*:\s*\?-32-16-8-16-32-\?'
            $text | Should -Match 'Seed\s*:\s*424242'
        }
    }
}
