# The log demo (Examples/Start-LogAnomalyDemo.ps1, shipped with the module): a generated raw log export with three
# injected incidents, through Import-Csv, ConvertTo-LogWindow, training and Test-Anomaly. Fixed seed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The copy staged beside the module under test (what users get), else the source.
    $script:demo = Join-Path (Split-Path $env:AUTOENCODERPS_MODULE) 'Examples/Start-LogAnomalyDemo.ps1'
    if (-not (Test-Path -LiteralPath $demo)) { $script:demo = Join-Path $PSScriptRoot '../../module/AutoencoderPS/Examples/Start-LogAnomalyDemo.ps1' }
    $script:logPath = Join-Path $TestDrive 'export.csv'
    $script:result = & $demo -Seed 1 -ThreadCount 1 -LogPath $logPath -PassThru 6> $null
    $script:byName = @{}
    foreach ($i in $result.Incidents) { $byName[$i.Incident] = $i }
}

Describe 'Start-LogAnomalyDemo' {
    It 'starts from a raw log export: one CSV line per event, with text timestamps, hosts, levels and event ids' {
        $lines = Get-Content -LiteralPath $logPath -TotalCount 3
        $lines[0] | Should -Be 'Timestamp,Host,Level,EventId,Message,LatencyMs'
        $lines[1] | Should -Match '^2026-03-02 00:00:\d\d\.\d{3},(web01|web02|db01),\w+,\d+,".*",\d+\.\d$'
        $events = Import-Csv -LiteralPath $logPath
        @($events).Count | Should -BeGreaterThan 50000
        @($events | Where-Object EventId -EQ '7031').Count | Should -Be 500
    }

    It 'scores one 5-minute interval per host of day 4, silent ones included' {
        $result.Scored | Should -HaveCount (288 * 3)
        # Every host logs a heartbeat a minute, so the only silent intervals are the 12 of db01's outage.
        $silent = @($result.Scored | Where-Object EventCount -EQ 0)
        $silent.Count | Should -Be 12
        $silent.Host | Sort-Object -Unique | Should -Be 'db01'
        # The event id never seen in training is counted in EventId=(other): 25 a minute, 125 an interval.
        ($result.Scored | Where-Object { $_.Host -eq 'web02' -and $_.IntervalStart -eq [datetime]'2026-03-05 16:00' }).'EventId=(other)' | Should -Be 125
        $result.Model.Features | Should -Not -Contain 'EventId=7031'
    }

    It 'catches each injected incident from its first interval, and flags every interval of it' {
        foreach ($name in 'error burst', 'silence', 'unseen event id storm') {
            $i = $byName[$name]
            $i.Caught | Should -BeTrue -Because "the $name must be caught"
            $i.FirstFlag | Should -Be $i.Start -Because "the $name is flagged from its first interval"
            $i.Flagged | Should -Be $i.Intervals -Because "every interval of the $name is anomalous"
        }
        $byName['unseen event id storm'].TopFeature | Should -Be 'EventId=(other)'
        # The burst's own counts: its event id (5000) or its level (Error); both are the incident's content.
        $byName['error burst'].TopFeature | Should -Match '^(EventId=5000|Level=Error)$'
    }

    It 'raises few false alarms on the normal intervals of day 4' {
        # Threshold: 99.9th percentile of the training errors; the seed-1 run has 0 of 842 (2 before the error weights).
        $result.FalseAlarms.Count | Should -BeLessOrEqual 5
        @($result.Flagged).Count | Should -Be (22 + $result.FalseAlarms.Count)
    }
}
