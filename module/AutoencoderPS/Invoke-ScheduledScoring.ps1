#requires -Version 7.6
<#
.SYNOPSIS
    One scheduled scoring run: scores what is new in the exports and exits with a code the scheduler can act on.
.DESCRIPTION
    Run by cron or Task Scheduler as
        pwsh -NoProfile -NonInteractive -File <module folder>/Invoke-ScheduledScoring.ps1 -ModelPath ... -Path ... -OutputPath ...
    It imports AutoencoderPS from its own folder (so the job uses the module it ships with, whatever PSModulePath
    says), runs Invoke-AnomalyScoring, writes the run's summary to standard output and errors to standard error (one line
    each, "ERROR <ErrorId>: <message>", for a log file and grep), and
    exits with:
        0  the run completed and found no anomaly (or nothing was new)
        1  the run completed and found anomalies: they are in the output file
        2  the run failed: the module, model, state, output, an input path or an input file (see standard error)
        3  another run holds the lock on the state: this one did nothing
        4  both 1 and 2: the files that were read found anomalies, and an input path or file failed (a file that
           fails on every run does not hide the others' alerts behind 2)
    Rows that can't be read are reported on standard error and counted (RowsRejected); they make the run fail only
    when no row of their file could be read, or 100 of them come in a row (TooManyRowFailures).
.PARAMETER ModelPath
    The model file written by Export-Autoencoder.
.PARAMETER Path
    The CSV exports to score; wildcards are expanded on every run, so new files are picked up.
.PARAMETER OutputPath
    The file the results are appended to.
.PARAMETER StatePath
    The state file; default: the output path + ".state.json".
.PARAMETER Format
    Csv (default) or JsonLines.
.PARAMETER Culture
    Culture of numbers and dates in the exports (for example de-DE); default: invariant.
.PARAMETER Delimiter
    Field separator of the exports; default: the culture's list separator, or "," for the invariant culture.
.PARAMETER Encoding
    Text encoding of the exports (Invoke-AnomalyScoring -Encoding): for example 1252 for Excel's "CSV (Comma
    delimited)"; default: UTF-8. The output is UTF-8 either way.
.PARAMETER Calibration
    Time-series models: Auto (default), None or Likelihood, as Invoke-AnomalyScoring -Calibration.
.PARAMETER ProbabilityThreshold
    Time-series models: the likelihood at and above which a row is an anomaly (default: the model's, 0.99 for rows
    5 minutes apart or more, 0.998 for a row a minute; see Test-Anomaly -ProbabilityThreshold).
.PARAMETER AlertCooldown
    Time-series models: the quiet time between two alerts of a group: rows (48) or a time span (01:00:00, 4h).
.PARAMETER Explain
    All: explain every row of the output (Invoke-AnomalyScoring -ExplainAll); default: only the anomalies.
.PARAMETER TopFeatureCount
    How many features AnomalyExplanation names, 0 to 1000 (Invoke-AnomalyScoring -TopFeatureCount); default: 3.
.PARAMETER Formulas
    Neutralize: with Csv output, a field a spreadsheet would run as a formula (one that starts with =, @, a tab or a
    carriage return, or with + or - and is not a number) gets a leading apostrophe (Invoke-AnomalyScoring
    -NeutralizeFormulas); default: fields as they are.
.PARAMETER ThreadCount
    libtorch threads (default 1: a scheduled job should not compete for every core).
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File /opt/microsoft/powershell/7/Modules/AutoencoderPS/Invoke-ScheduledScoring.ps1 -ModelPath /var/lib/metrics/host.aemodel -Path '/var/lib/metrics/exports/*.csv' -OutputPath /var/lib/metrics/scored.csv
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModelPath,

    [Parameter(Mandatory)]
    [string[]] $Path,

    [Parameter(Mandatory)]
    [string] $OutputPath,

    [string] $StatePath,

    [ValidateSet('Csv', 'JsonLines')]
    [string] $Format = 'Csv',

    [string] $Culture,

    [string] $Delimiter,

    [string] $Encoding,

    [ValidateSet('Auto', 'None', 'Likelihood')]
    [string] $Calibration,

    [double] $ProbabilityThreshold,

    [string] $AlertCooldown,

    [ValidateSet('All')]
    [string] $Explain,

    [ValidateRange(0, 1000)]
    [int] $TopFeatureCount,

    [ValidateSet('Neutralize')]
    [string] $Formulas,

    [ValidateRange(1, 1024)]
    [int] $ThreadCount = 1
)

# The log is a plain file: no ANSI colour codes in errors, and one header line with a UTC time stamp per run.
$PSStyle.OutputRendering = 'PlainText'
[Console]::Out.WriteLine(('==== {0:yyyy-MM-ddTHH:mm:ssZ} scheduled scoring run, process {1}, output {2}' -f [DateTime]::UtcNow, $PID, $OutputPath))

# One line per error on standard error: its ErrorId and message, without the script's own line and position, which
# PowerShell's error view adds and which say nothing about the run.
function Write-LogError([System.Management.Automation.ErrorRecord] $Record) {
    [Console]::Error.WriteLine(('ERROR {0}: {1}' -f ($Record.FullyQualifiedErrorId -split ',')[0], ("$Record" -replace '\r?\n', ' ')))
}

$ErrorActionPreference = 'Continue'
$global:LASTEXITCODE = 0
try {
    Import-Module (Join-Path $PSScriptRoot 'AutoencoderPS.psd1') -ErrorAction Stop
    $arguments = @{
        ModelPath   = $ModelPath
        Path        = $Path
        OutputPath  = $OutputPath
        Format      = $Format
        ThreadCount = $ThreadCount
        ErrorAction = 'Continue'
    }
    if ($StatePath) { $arguments.StatePath = $StatePath }
    if ($Culture) { $arguments.Culture = $Culture }
    if ($Delimiter) { $arguments.Delimiter = $Delimiter }
    if ($Encoding) { $arguments.Encoding = $Encoding }
    foreach ($name in 'Calibration', 'ProbabilityThreshold', 'AlertCooldown', 'TopFeatureCount') {
        if ($PSBoundParameters.ContainsKey($name)) { $arguments[$name] = $PSBoundParameters[$name] }
    }
    if ($Explain -eq 'All') { $arguments.ExplainAll = $true }
    if ($Formulas -eq 'Neutralize') { $arguments.NeutralizeFormulas = $true }
    # Each error is logged as it comes (a run killed later has said it; its line is committed).
    $summary = Invoke-AnomalyScoring @arguments 2>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.ErrorRecord]) { Write-LogError $_ } else { $_ }
    }
    $code = $global:LASTEXITCODE
    if ($null -eq $summary -and $code -notin 2, 3) { $code = 2 }
    if ($summary) { $summary | Out-String -Width 200 | Write-Output }
}
catch {
    # A terminating error: Invoke-AnomalyScoring set 3 (locked) or 2 (failed) before it threw; anything else is a failure.
    Write-LogError $_
    $code = if ($global:LASTEXITCODE -in 2, 3) { $global:LASTEXITCODE } else { 2 }
}
exit $code
