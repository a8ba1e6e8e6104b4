# The error catalog: every ErrorId in AutoencoderPS.Engine.ErrorIds has its PowerShell ErrorCategory in the cmdlet
# layer's ErrorCatalog, the catalog names no id ErrorIds lacks, and cmdlets take the category from it. (The ids
# themselves, unique and never written as literals, are checked by the xunit ErrorIdsTests.)

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ids = @([AutoencoderPS.Engine.ErrorIds].GetFields('Public, Static') | Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() })
    $script:catalog = [AutoencoderPS.Errors.ErrorCatalog]::Categories
}

Describe 'ErrorCatalog: one category per error id' {
    It 'has a category for every id in ErrorIds' {
        $ids.Count | Should -BeGreaterThan 100
        $missing = @($ids | Where-Object { -not $catalog.ContainsKey($_) })
        $missing | Should -BeNullOrEmpty -Because 'every id needs its category'
        @($ids | Where-Object { $catalog[$_] -eq 'NotSpecified' }) | Should -BeNullOrEmpty
    }

    It 'names no id that ErrorIds lacks, and each id once' {
        @($catalog.Keys | Where-Object { $_ -cnotin $ids }) | Should -BeNullOrEmpty
        @($ids | Sort-Object -Unique -CaseSensitive).Count | Should -Be $ids.Count
        $catalog.Count | Should -Be $ids.Count
    }

    It 'gives an id it does not know NotSpecified, and turns a refused read into PermissionDenied' {
        [AutoencoderPS.Errors.ErrorCatalog]::CategoryOf('NoSuchErrorId') | Should -Be 'NotSpecified'
        $denied = [AutoencoderPS.Errors.ErrorCatalog]::Record([UnauthorizedAccessException]::new('no'), 'InputFileUnreadable', 'f.csv')
        $denied.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $other = [AutoencoderPS.Errors.ErrorCatalog]::Record([System.IO.IOException]::new('bad sector'), 'InputFileUnreadable', 'f.csv')
        $other.CategoryInfo.Category | Should -Be 'ReadError'
        # A write the OS refuses stays a WriteError: scripts that match on it keep working.
        $write = [AutoencoderPS.Errors.ErrorCatalog]::Record([UnauthorizedAccessException]::new('no'), 'ModelFileWriteFailed', 'm.aemodel')
        $write.CategoryInfo.Category | Should -Be 'WriteError'
    }

    It 'is where a cmdlet takes its category from: <Id> is <Category>' -ForEach @(
        @{ Id = 'ModelNotTrained'; Category = 'InvalidOperation'; Run = { Get-AutoencoderFeature -Model (New-Autoencoder -HiddenLayer 2) } }
        @{ Id = 'ModelFileNotFound'; Category = 'ObjectNotFound'; Run = { Import-Autoencoder -LiteralPath (Join-Path $TestDrive 'missing.aemodel') } }
        @{ Id = 'InvalidLogInterval'; Category = 'InvalidArgument'; Run = { [pscustomobject]@{ Time = '2024-01-01' } | ConvertTo-LogWindow -TimeProperty Time -Interval '-00:01:00' } }
    ) {
        try { $records = @(& $Run 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) } catch { $records = @($_) }
        $record = $records[0]
        $record.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $record.CategoryInfo.Category | Should -Be $Category
        $record.CategoryInfo.Category | Should -Be ([AutoencoderPS.Errors.ErrorCatalog]::CategoryOf($Id))
    }
}
