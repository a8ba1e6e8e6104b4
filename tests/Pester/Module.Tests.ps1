BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:module = Get-Module AutoencoderPS
    $script:expectedCmdlets = @(
        'New-Autoencoder'
        'Invoke-AutoencoderTraining'
        'Test-Anomaly'
        'Export-Autoencoder'
        'Import-Autoencoder'
        'Measure-AnomalyDetection'
        'Get-AutoencoderSampleData'
        'Set-AutoencoderThreshold'
        'Get-AutoencoderFeature'
        'ConvertTo-LogWindow'
        'Invoke-AnomalyScoring'
        'Register-AnomalyScoringTask'
        'Get-AnomalyScoringTask'
        'Unregister-AnomalyScoringTask'
        'Export-AnomalyReport'
        'Send-Autoencoder'
    )
}

Describe 'The AutoencoderPS module' {
    It 'is imported from the staged manifest' {
        $module | Should -Not -BeNullOrEmpty
        $module.Name | Should -Be 'AutoencoderPS'
        $module.Path | Should -Not -BeNullOrEmpty
        (Split-Path $module.Path -Parent) | Should -Be (Split-Path (Resolve-Path $env:AUTOENCODERPS_MODULE).ProviderPath -Parent)
    }

    It 'exports exactly the expected cmdlets' {
        $exported = @(Get-Command -Module AutoencoderPS | ForEach-Object Name)
        $exported | Sort-Object | Should -Be ($expectedCmdlets | Sort-Object)
        @(Get-Command -Module AutoencoderPS | Where-Object CommandType -ne 'Cmdlet') | Should -HaveCount 0
    }

    It 'exports no functions, aliases or variables' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It '<Name> declares its output type' -ForEach @(
        @{ Name = 'New-Autoencoder' }
        @{ Name = 'Invoke-AutoencoderTraining' }
        @{ Name = 'Test-Anomaly' }
        @{ Name = 'Export-Autoencoder' }
        @{ Name = 'Import-Autoencoder' }
        @{ Name = 'Measure-AnomalyDetection' }
        @{ Name = 'Get-AutoencoderSampleData' }
        @{ Name = 'Set-AutoencoderThreshold' }
        @{ Name = 'Get-AutoencoderFeature' }
        @{ Name = 'ConvertTo-LogWindow' }
        @{ Name = 'Invoke-AnomalyScoring' }
        @{ Name = 'Register-AnomalyScoringTask' }
        @{ Name = 'Get-AnomalyScoringTask' }
        @{ Name = 'Export-AnomalyReport' }
        @{ Name = 'Send-Autoencoder' }
        @{ Name = 'Unregister-AnomalyScoringTask' }
    ) {
        @((Get-Command $Name).OutputType) | Should -Not -BeNullOrEmpty
    }

    It 'every cmdlet of the module declares its output type, listed above or not' {
        $cmdlets = @(Get-Command -Module AutoencoderPS -CommandType Cmdlet)
        $cmdlets.Count | Should -BeGreaterThan 15
        @($cmdlets | Where-Object { @($_.OutputType).Count -eq 0 } | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It '<Name> changes state, so it has -PassThru and declares what that writes' -ForEach @(
        @{ Name = 'Set-AutoencoderThreshold' }
        @{ Name = 'Register-AnomalyScoringTask' }
        @{ Name = 'Unregister-AnomalyScoringTask' }
        @{ Name = 'Export-Autoencoder' }
        @{ Name = 'Export-AnomalyReport' }
        @{ Name = 'Send-Autoencoder' }
        @{ Name = 'Invoke-AutoencoderTraining' }
    ) {
        $command = Get-Command $Name
        $command.Parameters.Keys | Should -Contain 'PassThru'
        $command.Parameters['PassThru'].ParameterType | Should -Be ([switch])
        @($command.OutputType) | Should -Not -BeNullOrEmpty
    }

    It 'every cmdlet whose verb changes state is in the list above' {
        $listed = 'Set-AutoencoderThreshold', 'Register-AnomalyScoringTask', 'Unregister-AnomalyScoringTask', 'Export-Autoencoder',
            'Export-AnomalyReport', 'Send-Autoencoder', 'Invoke-AutoencoderTraining'
        $changing = Get-Command -Module AutoencoderPS -CommandType Cmdlet | Where-Object Verb -In 'Set', 'Register', 'Unregister', 'Export', 'Send', 'Save', 'Remove', 'Update'
        @($changing.Name | Where-Object { $_ -notin $listed }) | Should -BeNullOrEmpty
    }

    It 'a parameter that several cmdlets share has one type, one validation and one set of aliases' {
        # The same parameter declared on several cmdlets (a cmdlet has one base class, so Test-Anomaly and the scheduled
        # job each declare -Calibration, -ProbabilityThreshold and -AlertCooldown) must not drift apart. Names that mean
        # different things on different cmdlets are listed, with why.
        $differ = @{
            BatchSize     = 'training leaves it unset to choose from the data; scoring has a fixed default'
            Path          = 'a file to write (Export, Send) against files to read'
            LiteralPath   = 'a file to write (Export, Send) against files to read'
            Name          = 'Register names one task; Get and Unregister take several'
            Seed          = 'the sample data always has one; a model may have none'
            Start         = 'the sample data always starts somewhere; log windows may start at the first record'
            ThrottleLimit = 'sessions at once (Send, as Invoke-Command) against scoring threads on this host'
        }
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $declared = foreach ($command in Get-Command -Module AutoencoderPS -CommandType Cmdlet) {
            foreach ($parameter in $command.Parameters.Values) {
                if ($parameter.Name -in $common -or $differ.ContainsKey($parameter.Name)) { continue }
                $validation = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateArgumentsAttribute] -or
                        $_ -is [System.Management.Automation.ValidateEnumeratedArgumentsAttribute] } | ForEach-Object {
                        $a = $_
                        switch ($a) {
                            { $_ -is [System.Management.Automation.ValidateRangeAttribute] } { "Range($($a.MinRange)..$($a.MaxRange))"; break }
                            { $_ -is [System.Management.Automation.ValidateSetAttribute] } { "Set($($a.ValidValues -join ','))"; break }
                            default { $a.GetType().Name }
                        } } | Sort-Object) -join ';'
                [pscustomobject]@{
                    Cmdlet    = $command.Name
                    Name      = $parameter.Name
                    Signature = "$($parameter.ParameterType) [$validation] aliases: $((@($parameter.Aliases) | Sort-Object) -join ',')"
                }
            }
        }
        $shared = @($declared | Group-Object Name | Where-Object { $_.Group.Count -gt 1 })
        $shared.Name | Should -Contain 'ProbabilityThreshold'
        $drifted = foreach ($group in $shared) {
            $signatures = @($group.Group | Group-Object Signature)
            if ($signatures.Length -gt 1) { "-$($group.Name): " + (($signatures | ForEach-Object { "$($_.Name) on $($_.Group.Cmdlet -join ', ')" }) -join ' | ') }
        }
        @($drifted) | Should -BeNullOrEmpty
    }

    It 'every cmdlet links its online help to its help page in the project repository (the manifest''s ProjectUri)' {
        $project = $module.PrivateData.PSData.ProjectUri
        "$project" | Should -Match '^https://'
        foreach ($name in $expectedCmdlets) {
            (Get-Command $name).HelpUri | Should -Be "$project/blob/main/module/help/$name.md" -Because $name
            Join-Path $PSScriptRoot "../../module/help/$name.md" | Should -Exist -Because $name
        }
    }

    It 'has a stamped version, not the 0.0.0 placeholder' {
        $module.Version | Should -Not -Be ([version]'0.0.0')
        $module.Version | Should -BeGreaterThan ([version]'0.0.0')
        (Test-ModuleManifest $env:AUTOENCODERPS_MODULE).Version | Should -Be $module.Version
    }

    It 'loads the model formatting (format data for the engine types)' {
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Modeling.AutoencoderModel' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Modeling.DetectionMetrics' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Scoring.Incremental.AnomalyScoringSummary' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Engine.Scheduling.AnomalyScoringTask' | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName 'AutoencoderPS.Remoting.ModelDelivery' | Should -Not -BeNullOrEmpty
    }
}
