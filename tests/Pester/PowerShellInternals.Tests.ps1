# The pipeline path reads some of PowerShell's non-public members (AutoencoderPS.Adapters.PowerShellInternals), with a
# public route for each. build.ps1 -Task Test runs this file and the scored-row tests twice: once as a user's session
# runs them, once with AUTOENCODERPS_PUBLIC_API_ONLY=1, which turns every non-public accessor off.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:publicOnly = $env:AUTOENCODERPS_PUBLIC_API_ONLY -eq '1'
}

Describe 'PowerShell internals switch' {
    It 'uses the non-public accessors unless AUTOENCODERPS_PUBLIC_API_ONLY is 1, and none when it is' {
        [AutoencoderPS.Adapters.PowerShellInternals]::InUse | Should -Be (-not $publicOnly)
    }

    It 'gives the same scored rows, members and type names either way' {
        $rows = @(Get-AutoencoderSampleData -Days 1 -Seed 3 | Select-Object -First 300)
        $model = New-Autoencoder -HiddenLayer 4 -Seed 5
        $rows | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 | Out-Null
        $scored = @(Get-AutoencoderSampleData -Days 1 -Seed 4 | Select-Object -First 50 | Test-Anomaly -Model $model)
        $scored[0].PSObject.TypeNames[0] | Should -Be 'AutoencoderPS.ScoredRow'
        $names = @($scored[0].PSObject.Properties.Name)
        $names | Should -Contain 'AnomalyScore'
        $names | Should -Contain 'IsAnomaly'
        $names | Should -Contain 'AnomalyExplanation'
        # The same rows scored in a child process that takes the other route.
        $child = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        $script = {
            param($ModulePath, $PublicOnly)
            $env:AUTOENCODERPS_PUBLIC_API_ONLY = $PublicOnly
            Import-Module $ModulePath
            $rows = @(Get-AutoencoderSampleData -Days 1 -Seed 3 | Select-Object -First 300)
            $model = New-Autoencoder -HiddenLayer 4 -Seed 5
            $rows | Invoke-AutoencoderTraining -Model $model -Epochs 2 -ThreadCount 1 | Out-Null
            Get-AutoencoderSampleData -Days 1 -Seed 4 | Select-Object -First 50 | Test-Anomaly -Model $model |
                ForEach-Object { '{0:R}|{1}|{2}|{3}' -f $_.AnomalyScore, $_.IsAnomaly, $_.AnomalyTopFeature, $_.PSObject.TypeNames[0] }
        }
        $other = if ($publicOnly) { '0' } else { '1' }
        $childArgs = @('-NoProfile', '-NonInteractive', '-Command', "& { $script } -ModulePath '$($env:AUTOENCODERPS_MODULE)' -PublicOnly '$other'")
        $theirs = @(& $child @childArgs)
        $ours = @($scored | ForEach-Object { '{0:R}|{1}|{2}|{3}' -f $_.AnomalyScore, $_.IsAnomaly, $_.AnomalyTopFeature, $_.PSObject.TypeNames[0] })
        $theirs.Count | Should -Be 50
        $theirs | Should -Be $ours
    }

    It 'files no piped row in PowerShell''s type-name table (each entry is a GC handle every later collection scans)' {
        # PSObject.TypeNames copies a row's shared list into a process-wide weak table keyed by the row. Read per piped
        # row, that table grew by a handle per row, and every garbage collection in the session became slower with it.
        $table = [psobject].GetField('s_typeNamesResurrectionTable', [Reflection.BindingFlags]'Static,NonPublic')
        if ($publicOnly -or $null -eq $table) {
            Set-ItResult -Skipped -Because 'the public route copies type names by design, or this PowerShell keeps no such table'
            return
        }
        function Get-FiledRowCount([object[]] $Rows) {
            $keys = [System.Collections.Generic.HashSet[object]]::new([System.Collections.Generic.ReferenceEqualityComparer]::Instance)
            foreach ($row in $Rows) { $null = $keys.Add($row) }
            $entries = [System.Collections.IEnumerable].GetMethod('GetEnumerator').Invoke($table.GetValue($null), @())
            $filed = 0
            while ($entries.MoveNext()) { if ($keys.Contains($entries.Current.Key)) { $filed++ } }
            $filed
        }
        $csv = @('CpuPct,MemPct') + @(1..1500 | ForEach-Object { '{0},{1}' -f (20 + $_ % 7), (40 + $_ % 5) })
        $training = @($csv | ConvertFrom-Csv)
        $model = New-Autoencoder -HiddenLayer 2 -Seed 5
        $training | Invoke-AutoencoderTraining -Model $model -Epochs 1 -ThreadCount 1 | Out-Null
        $scoring = @($csv | ConvertFrom-Csv)
        $scored = @($scoring | Test-Anomaly -Model $model)
        $scored.Count | Should -Be 1500
        # The first row of a process may take the public route (it tells PowerShell's binders the type has names).
        Get-FiledRowCount $training | Should -BeLessOrEqual 1
        Get-FiledRowCount $scored | Should -BeLessOrEqual 1
        # Rows a cmdlet makes (ConvertTo-LogWindow's windows), scored in the same pipeline.
        $start = [datetime]'2026-01-05T00:00:00'
        $events = @(0..2999 | ForEach-Object { [pscustomobject]@{ TimeCreated = $start.AddMinutes($_); Level = ('Information', 'Warning')[$_ % 2] } })
        $windowModel = New-Autoencoder -HiddenLayer 2 -Seed 5
        $events[0..1499] | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -CountBy Level |
            Invoke-AutoencoderTraining -Model $windowModel -Epochs 1 -ThreadCount 1 | Out-Null
        $windows = @($events[1500..2999] | ConvertTo-LogWindow -TimeProperty TimeCreated -Interval '00:05:00' -CountBy Level | Test-Anomaly -Model $windowModel)
        $windows.Count | Should -Be 300
        $windows[0].PSObject.TypeNames[0] | Should -Be 'AutoencoderPS.ScoredRow'
        $windows[0].PSObject.TypeNames[1] | Should -Be 'AutoencoderPS.LogWindow'
        Get-FiledRowCount $windows[1..299] | Should -BeLessOrEqual 1
        # The count sees what it should: reading the public list of ten rows files those ten.
        $scored[100..109] | ForEach-Object { $null = $_.PSObject.TypeNames.Count }
        Get-FiledRowCount $scored | Should -BeGreaterOrEqual 10
    }
}
