<#
.SYNOPSIS
    Writes the fixture of SlidingWindow.Tests.ps1's 'a model file written before the calendar of the time property':
    rows.csv (two hosts, 5-minute rows over four days), two sliding-window -TimeFeatures models saved by the module
    before that change (clock.aemodel: with the guide's copy of the time as 'clock'; plain.aemodel: without, so no
    hour or day) and scores.csv, their scores of rows.csv then. Run once, with that module imported; kept as written.
#>
param([string] $Path = $PSScriptRoot)
$t0 = [datetime]::new(2026, 3, 2, 0, 0, 0, [System.DateTimeKind]::Unspecified)
$random = [System.Random]::new(7)
$rows = for ($i = 0; $i -lt 4 * 288; $i++) {
    foreach ($h in 'web1', 'web2') {
        $time = $t0.AddMinutes(5 * $i)
        $day = if ($time.DayOfWeek -in 'Saturday', 'Sunday') { 0.5 } else { 1 }
        [pscustomobject][ordered]@{
            Time = $time.ToString('s', [cultureinfo]::InvariantCulture)
            Host = $h
            Cpu  = [math]::Round($day * (50 + 25 * [math]::Sin(2 * [math]::PI * $i / 288)) + 2 * $random.NextDouble(), 3)
        }
    }
}
$rows | Export-Csv (Join-Path $Path 'rows.csv') -NoTypeInformation
$withClock = Import-Csv (Join-Path $Path 'rows.csv') | Select-Object *, @{ Name = 'clock'; Expression = { $_.Time } }
$clock = New-Autoencoder -HiddenLayer 8, 3 -WindowSize 3 -TimeProperty Time -GroupBy Host -TimeFeatures -Seed 4
$null = $withClock | Invoke-AutoencoderTraining -Model $clock -Epochs 2 -ThreadCount 1
Export-Autoencoder -Model $clock -Path (Join-Path $Path 'clock.aemodel') -Force
$plain = New-Autoencoder -HiddenLayer 8, 3 -WindowSize 3 -TimeProperty Time -GroupBy Host -TimeFeatures -Seed 4
$null = Import-Csv (Join-Path $Path 'rows.csv') | Invoke-AutoencoderTraining -Model $plain -Epochs 2 -ThreadCount 1 -WarningAction SilentlyContinue
Export-Autoencoder -Model $plain -Path (Join-Path $Path 'plain.aemodel') -Force
$text = { param($s) if ($null -eq $s) { '-' } else { ([double]$s).ToString('R', [cultureinfo]::InvariantCulture) } }
$clockScores = @($withClock | Test-Anomaly -Model $clock)
$plainScores = @(Import-Csv (Join-Path $Path 'rows.csv') | Test-Anomaly -Model $plain)
@(for ($i = 0; $i -lt $clockScores.Count; $i++) {
    [pscustomobject][ordered]@{ Clock = & $text $clockScores[$i].AnomalyScore; Plain = & $text $plainScores[$i].AnomalyScore }
}) | Export-Csv (Join-Path $Path 'scores.csv') -NoTypeInformation
