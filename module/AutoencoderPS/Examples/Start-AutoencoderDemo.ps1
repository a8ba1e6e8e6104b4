<#
.SYNOPSIS
    AutoencoderPS on built-in sample data: learn two normal days of host metrics, then find the incidents
    hidden in the next five.
.DESCRIPTION
    Generates a week of per-minute metrics for one host (CPU, memory, disk, network, errors) with a daily
    load cycle, noise and six injected incidents: spikes, a memory level shift, and broken correlations
    between metrics. Trains an autoencoder on days 1-2, scores days 3-7, and reports which incidents were
    caught, how fast, by which metric, and what false alarms it raised. Then the same as a time series (a
    sliding-window model): which incidents raised an alert (IsAlert), and the false alerts.
.EXAMPLE
    ./Start-AutoencoderDemo.ps1
#>
[CmdletBinding()]
param(
    # libtorch threads; one keeps the run steady on a busy machine.
    [ValidateRange(1, 1024)]
    [int] $ThreadCount = 1,

    [int] $Seed = 1
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module AutoencoderPS)) {
    $manifest = Join-Path $PSScriptRoot '..' 'AutoencoderPS.psd1'
    if (Test-Path $manifest) { Import-Module $manifest } else { Import-Module AutoencoderPS }
}

$trainDays = 2
Write-Host "AutoencoderPS demo: one host, 7 days of per-minute metrics (built-in sample data, seed $Seed)."
$rows = Get-AutoencoderSampleData -Days 7 -Seed $Seed
$incidents = Get-AutoencoderSampleData -Days 7 -Seed $Seed -Incident
$trainRows = $trainDays * 1440
$training = $rows | Select-Object -First $trainRows
$scoring = $rows | Select-Object -Skip $trainRows

Write-Host "Training on days 1-$trainDays ($trainRows normal minutes); threshold = 99.9th percentile of the training errors..."
$model = New-Autoencoder -Seed $Seed
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$training | Invoke-AutoencoderTraining -Model $model -Epochs 20 -ThresholdMethod Percentile -ThresholdValue 99.9 -ThreadCount $ThreadCount | Out-Null
Write-Host ("Trained in {0:N1} s." -f $clock.Elapsed.TotalSeconds)
$model | Format-List | Out-String -Width 160 | Write-Host

Write-Host "Scoring days $($trainDays + 1)-7 ($($scoring.Count) minutes)..."
$clock.Restart()
$scored = @($scoring | Test-Anomaly -Model $model)
Write-Host ("Scored in {0:N1} s." -f $clock.Elapsed.TotalSeconds)

$report = foreach ($incident in $incidents) {
    $minutes = @($scored | Where-Object Incident -EQ $incident.Name)
    $flagged = @($minutes | Where-Object IsAnomaly)
    $first = $flagged | Select-Object -First 1
    [pscustomobject]@{
        Incident    = $incident.Name
        Kind        = $incident.Kind
        Start       = $incident.Start.ToString('ddd HH:mm')
        Minutes     = $incident.Minutes
        Flagged     = $flagged.Count
        Caught      = if ($flagged.Count) { 'yes' } else { 'NO' }
        FirstFlag   = if ($first) { '+{0} min' -f ($first.Timestamp - $incident.Start).TotalMinutes } else { '-' }
        TopFeature  = ($flagged | Group-Object AnomalyTopFeature | Sort-Object Count -Descending | Select-Object -First 1).Name
        # What the model says of the incident's first flagged minute: observed vs expected, share of the error.
        Explanation = if ($first) { $first.AnomalyContributions[0].ToString() } else { '' }
        Description = $incident.Description
    }
}
Write-Host "`nInjected incidents and what the model saw (Explanation: the feature with the largest share of the first flagged minute's error):"
$report | Format-Table Incident, Kind, Start, Minutes, Flagged, Caught, FirstFlag, Explanation -AutoSize | Out-String -Width 200 | Write-Host

$falseAlarms = @($scored | Where-Object { $_.IsAnomaly -and -not $_.Incident })
$normalMinutes = @($scored | Where-Object { -not $_.Incident }).Count
# Consecutive false-alarm minutes are one stretch (a row model has no alerts; the time series below has).
$stretches = 0
$previous = $null
foreach ($row in $falseAlarms) {
    if (-not $previous -or ($row.Timestamp - $previous).TotalMinutes -gt 1) { $stretches++ }
    $previous = $row.Timestamp
}
if ($falseAlarms.Count) {
    Write-Host 'False alarms (normal minutes flagged):'
    $falseAlarms | Select-Object @{ n = 'Time'; e = { $_.Timestamp.ToString('ddd HH:mm') } }, CpuPct, MemoryPct, DiskIops, NetworkMbps, ErrorCount,
        @{ n = 'Score'; e = { '{0:N3}' -f $_.AnomalyScore } }, AnomalyTopFeature | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
}

$caught = @($report | Where-Object Caught -EQ 'yes').Count
$metrics = $scored | Select-Object *, @{ n = 'IsIncident'; e = { [bool]$_.Incident } } |
    Measure-AnomalyDetection -LabelProperty IsIncident -AnomalyLabel $true
Write-Host ("Caught {0} of {1} incidents. False alarms: {2} of {3} normal minutes ({4:P2}), in {5} stretch(es)." -f
    $caught, $incidents.Count, $falseAlarms.Count, $normalMinutes, ($falseAlarms.Count / $normalMinutes), $stretches)
Write-Host ("Per minute: precision {0:N3}, recall {1:N3}, ROC-AUC {2:N4}." -f $metrics.Precision, $metrics.Recall, $metrics.RocAuc)

$modelPath = Join-Path ([System.IO.Path]::GetTempPath()) "autoencoderps-demo-$PID.aemodel"
try {
    $file = Export-Autoencoder -Model $model -Path $modelPath -Force -PassThru
    $reloaded = Import-Autoencoder -Path $modelPath
    $same = ($scoring | Select-Object -First 100 | Test-Anomaly -Model $reloaded | ForEach-Object AnomalyScore) -join ',' -eq
            (($scored | Select-Object -First 100).AnomalyScore -join ',')
    Write-Host ("Saved the model to one file ({0:N0} KB) and loaded it back: scores identical = {1}." -f ($file.Length / 1KB), $same)
}
finally {
    Remove-Item $modelPath -ErrorAction SilentlyContinue
}
# The same minutes as a time series: a window of the last 12 minutes per row, each row's error judged against the
# series' own recent errors, and IsAlert at the onset of an anomalous stretch: the row to page an operator on.
Write-Host "`nThe same minutes as a time series (New-Autoencoder -WindowSize 12 -TimeProperty Timestamp): alerts (IsAlert) are what pages an operator."
$series = New-Autoencoder -Seed $Seed -WindowSize 12 -TimeProperty Timestamp
$clock.Restart()
$training | Invoke-AutoencoderTraining -Model $series -ThreadCount $ThreadCount | Out-Null
$alerts = @($scoring | Test-Anomaly -Model $series | Where-Object IsAlert)
Write-Host ("Trained and scored in {0:N1} s." -f $clock.Elapsed.TotalSeconds)
$alertReport = foreach ($incident in $incidents) {
    $first = $alerts | Where-Object Incident -EQ $incident.Name | Select-Object -First 1
    [pscustomobject]@{
        Incident    = $incident.Name
        Start       = $incident.Start.ToString('ddd HH:mm')
        Alerted     = if ($first) { 'yes' } else { 'NO' }
        FirstAlert  = if ($first) { '+{0} min' -f ($first.Timestamp - $incident.Start).TotalMinutes } else { '-' }
        Explanation = if ($first) { $first.AnomalyContributions[0].ToString() } else { '' }
    }
}
$alertReport | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
$falseAlerts = @($alerts | Where-Object { -not $_.Incident })
if ($falseAlerts.Count) {
    Write-Host ('False alerts: ' + (($falseAlerts | ForEach-Object { '{0} ({1})' -f $_.Timestamp.ToString('ddd HH:mm'), $_.AnomalyTopFeature }) -join '; '))
}
Write-Host ("Alerted {0} of {1} incidents; {2} false alert(s) in {3} days." -f @($alertReport | Where-Object Alerted -EQ 'yes').Count,
    $incidents.Count, $falseAlerts.Count, (7 - $trainDays))
Write-Host "Next: Import-Csv your-baseline.csv | Invoke-AutoencoderTraining -Model (New-Autoencoder) ... (see README.md)."
