BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:columns = @('Timestamp', 'CpuPct', 'MemoryPct', 'DiskIops', 'NetworkMbps', 'ErrorCount', 'Incident')
    $script:oneDay = @(Get-AutoencoderSampleData -Days 1)

    function ConvertTo-Fingerprint {
        # The rows as invariant CSV text, so whole data sets compare exactly.
        param([object[]] $Rows)
        ($Rows | ConvertTo-Csv -NoTypeInformation -UseCulture:$false) -join "`n"
    }
}

Describe 'Get-AutoencoderSampleData' {
    Context '-Days 1' {
        It 'gives 1440 rows, one per minute' {
            $oneDay | Should -HaveCount 1440
            $oneDay[0].Timestamp | Should -Be ([datetime]'2026-01-05T00:00:00')
            $oneDay[1].Timestamp - $oneDay[0].Timestamp | Should -Be ([timespan]::FromMinutes(1))
            $oneDay[-1].Timestamp | Should -Be ([datetime]'2026-01-05T23:59:00')
        }

        It 'has the documented columns, in order, with their types' {
            @($oneDay[0].PSObject.Properties.Name) | Should -Be $columns
            $oneDay[0].Timestamp | Should -BeOfType ([datetime])
            foreach ($name in 'CpuPct', 'MemoryPct', 'DiskIops', 'NetworkMbps') { $oneDay[0].$name | Should -BeOfType ([double]) }
            $oneDay[0].ErrorCount | Should -BeOfType ([int])
            $oneDay[0].Incident | Should -BeOfType ([string])
        }

        It 'keeps percentages within 0..100 and counts non-negative' {
            @($oneDay | Where-Object { $_.CpuPct -lt 0 -or $_.CpuPct -gt 100 -or $_.MemoryPct -lt 0 -or $_.MemoryPct -gt 100 }) | Should -HaveCount 0
            @($oneDay | Where-Object { $_.DiskIops -lt 0 -or $_.NetworkMbps -lt 0 -or $_.ErrorCount -lt 0 }) | Should -HaveCount 0
        }

        It 'is clean: no incident on the first day' {
            @($oneDay | Where-Object Incident) | Should -HaveCount 0
        }

        It 'follows a daily load cycle (afternoon busier than before dawn)' {
            $night = ($oneDay | Where-Object { $_.Timestamp.Hour -in 2, 3 } | Measure-Object CpuPct -Average).Average
            $afternoon = ($oneDay | Where-Object { $_.Timestamp.Hour -in 14, 15 } | Measure-Object CpuPct -Average).Average
            $afternoon | Should -BeGreaterThan ($night + 20)
        }

        It 'starts at -Start' {
            $rows = @(Get-AutoencoderSampleData -Days 1 -Start ([datetime]'2025-03-01T12:00:00'))
            $rows[0].Timestamp | Should -Be ([datetime]'2025-03-01T12:00:00')
        }

        It 'rejects -Days 0' {
            { Get-AutoencoderSampleData -Days 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }

    Context 'seeds' {
        It 'the same -Seed gives identical data' {
            $a = @(Get-AutoencoderSampleData -Days 1 -Seed 42)
            $b = @(Get-AutoencoderSampleData -Days 1 -Seed 42)
            ConvertTo-Fingerprint $b | Should -BeExactly (ConvertTo-Fingerprint $a)
        }

        It 'the default seed is 1' {
            ConvertTo-Fingerprint (Get-AutoencoderSampleData -Days 1 -Seed 1) | Should -BeExactly (ConvertTo-Fingerprint $oneDay)
        }

        It 'another seed gives other data' {
            $a = @(Get-AutoencoderSampleData -Days 1 -Seed 42)
            $c = @(Get-AutoencoderSampleData -Days 1 -Seed 43)
            $c | Should -HaveCount 1440
            ConvertTo-Fingerprint $c | Should -Not -Be (ConvertTo-Fingerprint $a)
            @(0..1439 | Where-Object { $a[$_].CpuPct -ne $c[$_].CpuPct }).Count | Should -BeGreaterThan 1000
        }
    }

    Context 'incidents' {
        BeforeAll {
            $script:incidents = @(Get-AutoencoderSampleData -Incident)
            $script:week = @(Get-AutoencoderSampleData -Days 7)
        }

        It '-Incident lists the injected incidents with Name, Kind, Start, Minutes and Description' {
            $incidents.Count | Should -BeGreaterThan 0
            @($incidents[0].PSObject.Properties.Name) | Should -Be @('Name', 'Kind', 'Start', 'Minutes', 'Description')
            $incidents.Name | Should -Contain 'cpu-spike'
            foreach ($i in $incidents) {
                $i.Name | Should -Not -BeNullOrEmpty
                $i.Description | Should -Not -BeNullOrEmpty
                $i.Start | Should -BeOfType ([datetime])
                $i.Minutes | Should -BeGreaterThan 0
            }
            @($incidents.Name | Sort-Object -Unique) | Should -HaveCount $incidents.Count
        }

        It '-Incident lists only incidents within -Days' {
            @(Get-AutoencoderSampleData -Incident -Days 1) | Should -HaveCount 0
            $three = @(Get-AutoencoderSampleData -Incident -Days 3)
            $three.Count | Should -BeGreaterThan 0
            $three.Count | Should -BeLessThan $incidents.Count
            foreach ($i in $three) { $i.Start | Should -BeLessThan ([datetime]'2026-01-08') }
        }

        It 'with -Days 7, every minute of each incident carries its name in Incident, and no other minute does' {
            $incidents | Should -HaveCount 6
            $labelled = @{}
            foreach ($row in $week) { if ($row.Incident) { $labelled[$row.Incident] = 1 + [int]$labelled[$row.Incident] } }
            foreach ($i in $incidents) {
                # One row per minute from the first timestamp, so an incident's minutes are a slice of the rows.
                $first = [int]($i.Start - $week[0].Timestamp).TotalMinutes
                $inside = @($week[$first..($first + $i.Minutes - 1)])
                $inside[0].Timestamp | Should -Be $i.Start
                $inside[-1].Timestamp | Should -Be $i.Start.AddMinutes($i.Minutes - 1)
                @($inside.Where({ $_.Incident -ne $i.Name })) | Should -HaveCount 0 -Because "every minute of $($i.Name) is labelled with it"
                $labelled[$i.Name] | Should -Be $i.Minutes -Because "only the $($i.Minutes) minutes of $($i.Name) are labelled with it"
                $week[$first - 1].Incident | Should -Not -Be $i.Name
                $week[$first + $i.Minutes].Incident | Should -Not -Be $i.Name
            }
            @($labelled.Keys | Sort-Object) | Should -Be @($incidents.Name | Sort-Object)
        }

        It 'marks exactly the incident minutes across the week' {
            $week | Should -HaveCount (7 * 1440)
            @($week.Where({ $_.Incident })).Count | Should -Be (($incidents | Measure-Object Minutes -Sum).Sum)
        }

        It 'makes the cpu-spike visible in the data' {
            $spike = $incidents | Where-Object Name -eq 'cpu-spike'
            $during = ($week.Where({ $_.Incident -eq 'cpu-spike' }) | Measure-Object CpuPct -Average).Average
            $during | Should -BeGreaterThan 90
            $spike.Kind | Should -Be 'spike'
        }
    }
}
