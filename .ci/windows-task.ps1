#requires -Version 7.6
# CI on Windows only (.github/workflows/ci.yml): registers a real Task Scheduler task with Register-AnomalyScoringTask
# against the module build.ps1 staged in out/AutoencoderPS, starts it, waits for the scheduled job to write its scored
# file, checks what Get-AnomalyScoringTask reads back, and removes the task. Exits non-zero on any failure. The task runs
# as the registering user while logged on (no principal in its XML): if the runner's account has no interactive session,
# the task does not start, and this script says so by its last result.
$ErrorActionPreference = 'Stop'
if (-not $IsWindows) { throw 'This script registers a Windows Task Scheduler task; run it on Windows.' }
$repo = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $repo 'out/AutoencoderPS/AutoencoderPS.psd1')
$work = Join-Path ([System.IO.Path]::GetTempPath()) "autoencoderps-task-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory -Path $work | Out-Null
$name = "ci-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
try {
    $model = Join-Path $work 'host.aemodel'
    $m = New-Autoencoder -HiddenLayer 8, 4 -Seed 1
    Get-AutoencoderSampleData -Days 1 | Invoke-AutoencoderTraining -Model $m -Epochs 3 -ThreadCount 1 | Out-Null
    Export-Autoencoder -Model $m -Path $model
    $export = Join-Path $work 'export with spaces & more.csv'
    Get-AutoencoderSampleData -Days 1 -Seed 2 | Export-Csv -Path $export
    $output = Join-Path $work 'scored.csv'

    Register-AnomalyScoringTask -Name $name -ModelPath $model -Path $export -OutputPath $output `
        -StatePath (Join-Path $work 'state.json') -Interval '00:15:00'
    $task = Get-AnomalyScoringTask -Name $name
    "Registered: $($task | Format-List | Out-String)"
    if ($task.Interval -ne [timespan]'00:15:00') { throw "The registered interval is $($task.Interval), not 15 minutes." }
    $registered = Get-ScheduledTask -TaskPath '\AutoencoderPS\' -TaskName $name
    if ($registered.Settings.MultipleInstances -ne 'IgnoreNew') { throw "MultipleInstances is $($registered.Settings.MultipleInstances)." }
    if (-not $registered.Settings.StartWhenAvailable) { throw 'StartWhenAvailable is not set.' }

    Start-ScheduledTask -TaskPath '\AutoencoderPS\' -TaskName $name
    $deadline = [DateTime]::UtcNow.AddMinutes(5)
    do {
        Start-Sleep -Seconds 5
        $info = Get-ScheduledTaskInfo -TaskPath '\AutoencoderPS\' -TaskName $name
        $state = (Get-ScheduledTask -TaskPath '\AutoencoderPS\' -TaskName $name).State
        # 267011 (0x41303): has not run yet; 267045 (0x41325): queued
    } while ([DateTime]::UtcNow -lt $deadline -and ($state -in 'Running', 'Queued' -or $info.LastTaskResult -in 267011, 267045))
    "Last result: $($info.LastTaskResult), state: $state"
    if ($info.LastTaskResult -notin 0, 1) { throw "The scheduled job ended with $($info.LastTaskResult) (0: no anomaly, 1: anomalies found)." }
    $rows = @(Import-Csv $output).Count
    if ($rows -ne 1440) { throw "The scheduled job scored $rows rows, not 1440." }
    "The scheduled job scored $rows rows."
}
finally {
    Unregister-AnomalyScoringTask -Name $name -ErrorAction Continue -Confirm:$false
    Remove-Item $work -Recurse -Force -ErrorAction Continue
}
