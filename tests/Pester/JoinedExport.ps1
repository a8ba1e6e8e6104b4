# A Grafana "series joined by time" of two hosts scraped 30 s apart every 5 minutes: each row holds one host's cell,
# the other's empty. Dot-sourced by TimeGrid.Tests.ps1 and tests/Benchmarks/Invoke-JoinedExportProbe.ps1. Not a test
# file itself (Pester only runs *.Tests.ps1).

function New-JoinedExportRow {
    <#
    .SYNOPSIS
        -Days of rows from -Start plus -FromDay days: a daily cycle (lowest at 03:00) with seeded noise for web01 and
        web02 (0.8 of it), and web01 +25 for an hour (12 steps) from step -IncidentAt (none when negative).
    #>
    param([System.Random] $Random, [datetime] $Start, [int] $FromDay, [int] $Days, [int] $IncidentAt = -1)
    for ($i = 0; $i -lt $Days * 288; $i++) {
        $t = $Start.AddDays($FromDay).AddMinutes(5 * $i)
        $base = 50 + 15 * [math]::Sin(2 * [math]::PI * ($t.TimeOfDay.TotalHours - 9) / 24)
        $a = $base + $Random.NextDouble() * 4 - 2
        $b = $base * 0.8 + $Random.NextDouble() * 4 - 2
        if ($IncidentAt -ge 0 -and $i -ge $IncidentAt -and $i -lt $IncidentAt + 12) { $a += 25 }
        [pscustomobject]@{ time = $t.ToString('yyyy-MM-dd HH:mm:ss'); 'web01 cpu' = [math]::Round($a, 2); 'web02 cpu' = '' }
        [pscustomobject]@{ time = $t.AddSeconds(30).ToString('yyyy-MM-dd HH:mm:ss'); 'web01 cpu' = ''; 'web02 cpu' = [math]::Round($b, 2) }
    }
}
