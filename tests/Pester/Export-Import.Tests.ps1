BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:training = @(Get-AutoencoderSampleData -Days 1 -Seed 1)
    $script:m = New-Autoencoder -HiddenLayer 8, 4 -Seed 31
    $null = $training | Invoke-AutoencoderTraining -Model $m -Epochs 3 -BatchSize 64 -ThreadCount 1
    $script:other = New-Autoencoder -HiddenLayer 6, 3 -Seed 32
    $null = $training | Invoke-AutoencoderTraining -Model $other -Epochs 2 -BatchSize 64

    function New-ScoringRow { Get-AutoencoderSampleData -Days 1 -Seed 5 | Select-Object -First 100 }

    function Get-Sha256 { param([string] $Path) (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash }

    $script:goodFile = Join-Path $TestDrive 'good.aemodel'
    $script:exported = Export-Autoencoder -Model $m -Path $goodFile -PassThru
}

Describe 'Export-Autoencoder' {
    It '-PassThru returns the written file as a System.IO.FileInfo' {
        $exported | Should -BeOfType ([System.IO.FileInfo])
        $exported.FullName | Should -Be $goodFile
        $goodFile | Should -Exist
        $exported.Length | Should -BeGreaterThan 0
    }

    It 'writes the file but returns nothing without -PassThru' {
        $path = Join-Path $TestDrive 'quiet.aemodel'
        $out = @(Export-Autoencoder -Model $m -Path $path)
        $out | Should -HaveCount 0
        $path | Should -Exist
    }

    It 'takes the model from the pipeline' {
        $path = Join-Path $TestDrive 'piped.aemodel'
        $m | Export-Autoencoder -Path $path
        (Import-Autoencoder -Path $path).Threshold | Should -Be $m.Threshold
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.aemodel'
        $out = @(Export-Autoencoder -Model $m -Path $path -PassThru -WhatIf)
        $out | Should -HaveCount 0
        $path | Should -Not -Exist
    }

    Context 'an existing file' {
        BeforeAll {
            $script:target = Join-Path $TestDrive 'existing.aemodel'
            Export-Autoencoder -Model $m -Path $target
            $script:hashBefore = Get-Sha256 $target
        }

        It 'is kept with -NoClobber: ModelFileExists (ResourceExists), file unchanged' {
            $errs = $null
            $out = @(Export-Autoencoder -Model $other -Path $target -NoClobber -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileExists,*'
            $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceExists)
            Get-Sha256 $target | Should -Be $hashBefore
        }

        It 'is replaced with -Force' {
            $errs = $null
            Export-Autoencoder -Model $other -Path $target -Force -ErrorVariable errs -WarningVariable warned
            $errs | Should -HaveCount 0
            $warned | Should -HaveCount 0
            Get-Sha256 $target | Should -Not -Be $hashBefore
            $back = Import-Autoencoder -Path $target
            $back.Layers | Should -Be $other.Layers
            $back.Threshold | Should -Be $other.Threshold
        }

        It 'is replaced without -Force, as Export-Csv and Export-Clixml replace a file; the change is said once a session' {
            $path = Join-Path $TestDrive 'replaced.aemodel'
            Export-Autoencoder -Model $m -Path $path
            # In a child process: the warning is once per session, and this session may have said it.
            $child = & (Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')) -NoProfile -NonInteractive -Command {
                param($module, $path)
                Import-Module $module
                $model = Import-Autoencoder -Path $path
                $first = @(Export-Autoencoder -Model $model -Path $path -PassThru 3>&1)
                $second = @(Export-Autoencoder -Model $model -Path $path 3>&1)
                [pscustomobject]@{
                    FirstWarnings  = @($first | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
                    FirstFile      = @($first | Where-Object { $_ -is [System.IO.FileInfo] }).Count
                    SecondWarnings = @($second | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count
                }
            } -args $env:AUTOENCODERPS_MODULE, $path
            $child.FirstFile | Should -Be 1
            $child.FirstWarnings | Should -HaveCount 1
            $child.FirstWarnings[0] | Should -BeLike "*Replaced '$path'*-NoClobber*"
            $child.SecondWarnings | Should -Be 0
            Test-Path -LiteralPath $path | Should -BeTrue
        }

        It 'is a read-only file: refused without -Force (OutputFileReadOnly, PermissionDenied), replaced with it and still read-only' {
            $path = Join-Path $TestDrive 'read-only.aemodel'
            Export-Autoencoder -Model $m -Path $path
            $before = Get-Sha256 $path
            Set-ItemProperty -LiteralPath $path -Name IsReadOnly -Value $true
            try {
                $errs = $null
                Export-Autoencoder -Model $other -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs | Should -HaveCount 1
                $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileReadOnly,*'
                $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::PermissionDenied)
                $errs[0].TargetObject | Should -Be $path
                Get-Sha256 $path | Should -Be $before
                Export-Autoencoder -Model $other -Path $path -Force
                Get-Sha256 $path | Should -Not -Be $before
                (Get-Item -LiteralPath $path).IsReadOnly | Should -BeTrue
            }
            finally { Set-ItemProperty -LiteralPath $path -Name IsReadOnly -Value $false }
        }
    }

    Context 'errors' {
        It 'an untrained model is a ModelNotTrained error and writes no file' {
            $path = Join-Path $TestDrive 'untrained.aemodel'
            $errs = $null
            Export-Autoencoder -Model (New-Autoencoder -Seed 1) -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotTrained,*'
            $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidOperation)
            $path | Should -Not -Exist
        }

        It 'a missing folder is a ModelFolderNotFound error' {
            $path = Join-Path $TestDrive 'no/such/folder/model.aemodel'
            $errs = $null
            Export-Autoencoder -Model $m -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFolderNotFound,*'
            $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            Join-Path $TestDrive 'no' | Should -Not -Exist
        }

        It 'a folder as the target is a ModelPathIsFolder error' {
            $errs = $null
            Export-Autoencoder -Model $m -Path $TestDrive -Force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelPathIsFolder,*'
        }
    }

    Context '-Path with wildcards, as Out-File resolves them' {
        BeforeAll {
            $script:wild = Join-Path $TestDrive 'wild'
            $null = New-Item -ItemType Directory -Path $wild
        }
        BeforeEach { Get-ChildItem -LiteralPath $wild | Remove-Item }

        It 'a pattern that matches no file is OutputPatternMatchesNoFile, and no file named with * is made' {
            $errs = $null
            Export-Autoencoder -Model $m -Path (Join-Path $wild '*.aemodel') -Force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutputPatternMatchesNoFile,*'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].Exception.Message | Should -Match '-LiteralPath'
            @(Get-ChildItem -LiteralPath $wild) | Should -HaveCount 0
        }

        It 'a pattern that matches one file writes that file; several are OutputPatternMatchesSeveral' {
            Set-Content -LiteralPath (Join-Path $wild 'old.aemodel') -Value 'to be replaced'
            Export-Autoencoder -Model $m -Path (Join-Path $wild 'o*.aemodel') -Force -ErrorAction Stop
            @(Get-ChildItem -LiteralPath $wild).Name | Should -Be 'old.aemodel'
            (Import-Autoencoder -LiteralPath (Join-Path $wild 'old.aemodel')).Threshold | Should -Be $m.Threshold
            Set-Content -LiteralPath (Join-Path $wild 'other.aemodel') -Value 'x'
            $errs = $null
            Export-Autoencoder -Model $m -Path (Join-Path $wild 'o*.aemodel') -Force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'OutputPatternMatchesSeveral,*'
            Get-Content -LiteralPath (Join-Path $wild 'other.aemodel') | Should -Be 'x'
        }

        It 'Export-AnomalyReport: the same rules for -Path, and -LiteralPath (alias PSPath) takes the name as written' {
            $scored = @(New-ScoringRow | Test-Anomaly -Model $m)
            { $scored | Export-AnomalyReport -Model $m -Path (Join-Path $wild '*.html') } | Should -Throw -ErrorId 'OutputPatternMatchesNoFile,*'
            @(Get-ChildItem -LiteralPath $wild) | Should -HaveCount 0
            $scored | Export-AnomalyReport -Model $m -LiteralPath (Join-Path $wild 'r[1].html')
            $scored | Export-AnomalyReport -Model $m -PSPath (Join-Path $wild 'r*.html')
            $names = @(Get-ChildItem -LiteralPath $wild).Name
            $names | Should -HaveCount 2
            $names | Should -Contain 'r*.html'
            $names | Should -Contain 'r[1].html'
            $scored | Export-AnomalyReport -Model $m -Path (Join-Path $wild 'r`[1`].html')
            { $scored | Export-AnomalyReport -Model $m -Path (Join-Path $wild 'r*') } | Should -Throw -ErrorId 'OutputPatternMatchesSeveral,*'
        }
    }
}

Describe 'Import-Autoencoder' {
    Context 'a good export' {
        BeforeAll {
            $script:back = Import-Autoencoder -Path $goodFile
        }

        It 'returns one trained AutoencoderModel' {
            @($back) | Should -HaveCount 1
            $back | Should -BeOfType ([AutoencoderPS.Engine.Modeling.AutoencoderModel])
            $back.IsTrained | Should -BeTrue
        }

        It 'has the same features, layers, threshold and settings' {
            @($back.Features) | Should -Be @($m.Features)
            $back.Layers | Should -Be $m.Layers
            Get-DoubleBits $back.Threshold | Should -Be (Get-DoubleBits $m.Threshold)
            $back.ThresholdRule.ToString() | Should -Be $m.ThresholdRule.ToString()
            $back.Settings.Seed | Should -Be 31
            @($back.Settings.HiddenLayers) | Should -Be @(8, 4)
            $back.Scaling | Should -Be $m.Scaling
            $back.Loss | Should -Be $m.Loss
            $back.Training.Rows | Should -Be $m.Training.Rows
            $back.ParameterCount | Should -Be $m.ParameterCount
        }

        It 'scores the same rows bit-identically' {
            $original = @(New-ScoringRow | Test-Anomaly -Model $m)
            $imported = @(New-ScoringRow | Test-Anomaly -Model $back)
            $imported | Should -HaveCount 100
            Get-DoubleBits $imported.AnomalyScore | Should -Be (Get-DoubleBits $original.AnomalyScore)
            $imported.IsAnomaly | Should -Be $original.IsAnomaly
            $imported.AnomalyTopFeature | Should -Be $original.AnomalyTopFeature
        }

        It 'exports the imported model to the same content apart from the save time' {
            # Weights, scaling and threshold survive the round trip exactly: a re-export differs only in SavedUtc.
            # File layout: magic(8) version(2) reserved(2) | metadata length(8) metadata | weights length(8) weights | SHA-256(32).
            function Split-ModelFile([string] $Path) {
                $bytes = [System.IO.File]::ReadAllBytes($Path)
                $metadataLength = [System.BitConverter]::ToInt64($bytes, 12)
                $json = [System.Text.Encoding]::UTF8.GetString($bytes, 20, $metadataLength)
                [pscustomobject]@{
                    Metadata = $json -replace '"SavedUtc":\s*"[^"]*"', '"SavedUtc": "-"'
                    Weights  = [System.Convert]::ToBase64String($bytes, 20 + $metadataLength, $bytes.Length - 20 - $metadataLength - 32)
                }
            }
            $again = Join-Path $TestDrive 'again.aemodel'
            Export-Autoencoder -Model $back -Path $again
            $first = Split-ModelFile $goodFile
            $second = Split-ModelFile $again
            $first.Metadata | Should -Match '"Threshold"'
            $second.Metadata | Should -BeExactly $first.Metadata
            $second.Weights | Should -BeExactly $first.Weights
        }
    }

    Context 'damaged and wrong files' {
        BeforeAll {
            $script:bytes = [System.IO.File]::ReadAllBytes($goodFile)
        }

        It 'a file with one flipped byte is a non-terminating ModelFileChecksumMismatch error targeting the file' {
            $path = Join-Path $TestDrive 'corrupt.aemodel'
            $copy = [byte[]]$bytes.Clone()
            $middle = [int]($copy.Length / 2)
            $copy[$middle] = $copy[$middle] -bxor 0xFF
            [System.IO.File]::WriteAllBytes($path, $copy)
            $errs = $null
            $out = @(Import-Autoencoder -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileChecksumMismatch*'
            $errs[0].TargetObject | Should -Be $path
            $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidData)
        }

        It 'a truncated file is a ModelFileTruncated (or checksum) error' {
            $path = Join-Path $TestDrive 'truncated.aemodel'
            [System.IO.File]::WriteAllBytes($path, [byte[]]$bytes[0..([int]($bytes.Length * 0.7))])
            $errs = $null
            $out = @(Import-Autoencoder -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Match '^(ModelFileTruncated|ModelFileChecksumMismatch),'
            $errs[0].TargetObject | Should -Be $path
        }

        It 'a text file is a ModelFileForeign error' {
            $path = Join-Path $TestDrive 'notes.aemodel'
            Set-Content -LiteralPath $path -Value 'this is not a model, just some notes'
            $errs = $null
            $out = @(Import-Autoencoder -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileForeign,*'
            $errs[0].TargetObject | Should -Be $path
        }

        It 'a missing path is a ModelFileNotFound error' {
            $path = Join-Path $TestDrive 'missing.aemodel'
            $errs = $null
            $out = @(Import-Autoencoder -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
            $errs[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        }

        It 'a missing -LiteralPath is a ModelFileNotFound error' {
            $errs = $null
            $out = @(Import-Autoencoder -LiteralPath (Join-Path $TestDrive 'missing[1].aemodel') -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
        }

        It 'a folder as -Path or -LiteralPath, for a model or for rows, is a not-found error that says it is a folder' -ForEach @(
            @{ Run = { param($f) Import-Autoencoder -Path $f }; Id = 'ModelFileNotFound'; Pattern = '*.aemodel' }
            @{ Run = { param($f) Import-Autoencoder -LiteralPath $f }; Id = 'ModelFileNotFound'; Pattern = '*.aemodel' }
            @{ Run = { param($f) Test-Anomaly -Model $m -Path $f -ThreadCount 1 }; Id = 'InputFileNotFound'; Pattern = '*.csv' }
            @{ Run = { param($f) Test-Anomaly -Model $m -LiteralPath $f -ThreadCount 1 }; Id = 'InputFileNotFound'; Pattern = '*.csv' }
        ) {
            $folder = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'a-folder') -Force).FullName
            $errs = @(& $Run $folder 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $record = @($errs | Where-Object { $_.FullyQualifiedErrorId -like "$Id,*" })[0]
            $record | Should -Not -BeNullOrEmpty -Because ($errs | Out-String)
            $record.TargetObject | Should -Be $folder
            $record.ToString() | Should -BeLike "'$folder' is a folder, not a*Give a file, or a wildcard such as '$(Join-Path $folder $Pattern)'."
        }

        It 'a wildcard that matches nothing is a ModelFileNotFound error' {
            $errs = $null
            $out = @(Import-Autoencoder -Path (Join-Path $TestDrive 'nothing-here-*.aemodel') -ErrorVariable errs -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 0
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
        }
    }

    Context 'several files' {
        BeforeAll {
            $script:folder = Join-Path $TestDrive 'models'
            New-Item -ItemType Directory -Path $folder | Out-Null
            Export-Autoencoder -Model $m -Path (Join-Path $folder 'a.aemodel')
            Export-Autoencoder -Model $other -Path (Join-Path $folder 'b.aemodel')
            Set-Content -LiteralPath (Join-Path $folder 'readme.txt') -Value 'not a model'
        }

        It '-Path with a wildcard imports every matching model' {
            $models = @(Import-Autoencoder -Path (Join-Path $folder '*.aemodel'))
            $models | Should -HaveCount 2
            ($models.Layers | Sort-Object) | Should -Be (@($m.Layers, $other.Layers) | Sort-Object)
        }

        It 'Get-ChildItem *.aemodel | Import-Autoencoder imports through the pipeline' {
            $models = @(Get-ChildItem -Path $folder -Filter *.aemodel | Sort-Object Name | Import-Autoencoder)
            $models | Should -HaveCount 2
            $models[0].Threshold | Should -Be $m.Threshold
            $models[1].Threshold | Should -Be $other.Threshold
        }

        It 'a bad file in the pipeline is reported and the good ones still load' {
            $bad = Join-Path $folder 'c.aemodel'
            Set-Content -LiteralPath $bad -Value 'garbage'
            try {
                $errs = $null
                $models = @(Get-ChildItem -Path $folder -Filter *.aemodel | Sort-Object Name | Import-Autoencoder -ErrorVariable errs -ErrorAction SilentlyContinue)
                $models | Should -HaveCount 2
                $errs | Should -HaveCount 1
                $errs[0].TargetObject | Should -Be $bad
            }
            finally { Remove-Item -LiteralPath $bad }
        }

        It '-LiteralPath reads a name with wildcard characters literally' {
            $literal = Join-Path $TestDrive 'model[1].aemodel'
            Export-Autoencoder -Model $other -LiteralPath $literal
            [System.IO.File]::Exists($literal) | Should -BeTrue
            $models = @(Import-Autoencoder -LiteralPath $literal)
            $models | Should -HaveCount 1
            $models[0].Threshold | Should -Be $other.Threshold
        }
    }

    Context 'a new process' {
        BeforeAll {
            $modelPath = Join-Path $TestDrive 'cross-process.aemodel'
            $rowsPath = Join-Path $TestDrive 'cross-process-rows.xml'
            $scoresPath = Join-Path $TestDrive 'cross-process-scores.json'
            $childPath = Join-Path $TestDrive 'score-in-child.ps1'

            Export-Autoencoder -Model $m -Path $modelPath
            New-ScoringRow | Export-Clixml -LiteralPath $rowsPath
            $script:expected = @(Import-Clixml -LiteralPath $rowsPath | Test-Anomaly -Model $m).AnomalyScore

            Set-Content -LiteralPath $childPath -Value @'
param([string] $ModelPath, [string] $RowsPath, [string] $ScoresPath)
$ErrorActionPreference = 'Stop'
Import-Module $env:AUTOENCODERPS_MODULE
$model = Import-Autoencoder -LiteralPath $ModelPath
$scores = Import-Clixml -LiteralPath $RowsPath | Test-Anomaly -Model $model -ThreadCount 1 | ForEach-Object {
    $_.AnomalyScore.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture)
}
ConvertTo-Json -InputObject @($scores) | Set-Content -LiteralPath $ScoresPath
'@
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $script:childOutput = & $pwsh -NoProfile -NonInteractive -File $childPath -ModelPath $modelPath -RowsPath $rowsPath -ScoresPath $scoresPath 2>&1 | Out-String
            $script:childExit = $LASTEXITCODE
            $script:actual = if (Test-Path -LiteralPath $scoresPath) {
                @(Get-Content -LiteralPath $scoresPath -Raw | ConvertFrom-Json |
                    ForEach-Object { [double]::Parse($_, [System.Globalization.CultureInfo]::InvariantCulture) })
            }
        }

        It 'An exported model scores identically after Import-Autoencoder in a new pwsh process' {
            $childExit | Should -Be 0 -Because $childOutput
            $actual | Should -HaveCount 100
            Get-DoubleBits $actual | Should -Be (Get-DoubleBits $expected)
        }
    }
}
