<#
.SYNOPSIS
    Probes a time-grid model on a Grafana "series joined by time": two hosts scraped 30 s apart every 5 minutes, each
    row holding one host's cell and the other's empty (filled in), and an incident of host web01 (+25 for an hour).
.DESCRIPTION
    Per seed: 7 days to train on (New-Autoencoder -WindowSize 12 -TimeProperty time -TimeGrid, the product's defaults),
    then 3 days to score, the incident at 12:30 of the second scored day. Prints, per seed, the alerts in the incident
    (its hour and the hour after it), the false alerts and their times, and the incident rows' largest score against the
    model's threshold. Written for the cell-mean change of 2026-12-07 (.docs/series-probe.md, "Joined exports").
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-JoinedExportProbe.ps1 -Seed 1,2,3,4,5,6,7
#>
param(
    # Strings split on commas (ProbeArguments.ps1): 'dotnet pwsh <script> -Seed 1,2,3' passes one string.
    [string[]] $Seed = @('1', '2', '3'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/AutoencoderPS/AutoencoderPS.psd1')
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
Import-Module $ModulePath
$start = [datetime]'2026-11-02'

. (Join-Path $PSScriptRoot '../Pester/JoinedExport.ps1')

foreach ($s in $Seed) {
    $random = [System.Random]::new($s)
    $model = New-Autoencoder -WindowSize 12 -TimeProperty time -TimeGrid -Seed $s
    New-JoinedExportRow $random $start 0 7 | Invoke-AutoencoderTraining -Model $model -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
    $incidentAt = 288 + 150
    $scored = @(New-JoinedExportRow $random $start 7 3 $incidentAt | Test-Anomaly -Model $model -ThreadCount 1 -WarningAction SilentlyContinue)
    $from = $start.AddDays(7).AddMinutes(5 * $incidentAt)
    $alerts = @($scored | Where-Object IsAlert)
    $caught = @($alerts | Where-Object { [datetime]$_.time -ge $from -and [datetime]$_.time -lt $from.AddHours(2) })
    $falseAlerts = @($alerts | Where-Object { $caught -notcontains $_ })
    $incident = @($scored | Where-Object { [datetime]$_.time -ge $from -and [datetime]$_.time -lt $from.AddHours(1) -and $_.'web01 cpu' -ne '' })
    [pscustomobject]@{
        Seed          = $s
        Caught        = $caught.Count -gt 0
        FalseAlerts   = $falseAlerts.Count
        FalseAt       = ($falseAlerts.time -join ' ')
        IncidentScore = [math]::Round(($incident | Measure-Object AnomalyScore -Maximum).Maximum, 4)
        Threshold     = [math]::Round($model.Threshold, 6)
    }
}
