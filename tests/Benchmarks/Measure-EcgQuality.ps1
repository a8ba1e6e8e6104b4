<#
.SYNOPSIS
    Trains on ECG5000's normal beats and reports ROC-AUC, accuracy, precision and recall on a held-out,
    stratified 20% (abnormal = positive), with the seed recipe and with the module's defaults.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $DataPath = (Join-Path $PSScriptRoot '../../../shared/data/ecg5000/ecg.csv'),
    [int] $SplitSeed = 42,
    [int] $ThreadCount = 1,
    [ValidateSet('Seed', 'Defaults')] [string[]] $Recipe = @('Seed', 'Defaults'),
    # Run in a fresh pwsh (the module can't be unloaded from the caller's process).
    [switch] $ChildProcess
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path $DataPath)) { Write-Warning "ECG5000 not found at '$DataPath'; skipped."; return }
if ($ChildProcess) {
    $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $json = & $pwsh -NoProfile -NonInteractive -Command "& '$PSCommandPath' -ModulePath '$ModulePath' -DataPath '$DataPath' -SplitSeed $SplitSeed -ThreadCount $ThreadCount -Recipe $($Recipe -join ',') | ConvertTo-Json -Compress"
    return ($json | Select-Object -Last 1 | ConvertFrom-Json)
}
Import-Module $ModulePath
$rows = Import-Csv $DataPath
$random = [System.Random]::new($SplitSeed)
$train = [System.Collections.Generic.List[object]]::new()
$test = [System.Collections.Generic.List[object]]::new()
foreach ($class in '1', '0') {
    $members = @($rows | Where-Object label -EQ $class)
    for ($i = $members.Count - 1; $i -gt 0; $i--) { $j = $random.Next($i + 1); $members[$i], $members[$j] = $members[$j], $members[$i] }
    $cut = [int][math]::Floor($members.Count * 0.8)
    $train.AddRange($members[0..($cut - 1)]); $test.AddRange($members[$cut..($members.Count - 1)])
}
$normalTrain = @($train | Where-Object label -EQ '1')

# The seed recipe runs once more at the end: the first run of the process also compiles (JIT) the cmdlet, binder and
# TorchSharp code paths it uses, which the Python peer's timed loop does not include (its imports and first calls
# come before its clock starts). Both runs are reported.
$runs = @($Recipe) + @($Recipe | Where-Object { $_ -eq 'Seed' } | ForEach-Object { 'Seed, run again' })
foreach ($name in $runs) {
    if ($name -like 'Seed*') {
        $model = New-Autoencoder -HiddenLayer 32, 16, 8 -Activation Relu -OutputActivation Sigmoid -ExcludeFeature label -Seed 1
        $options = @{ Epochs = 20; BatchSize = 512; LearningRate = 0.001; Loss = 'Mae'; Scaling = 'GlobalMinMax'; ThresholdMethod = 'MeanStd'; ThresholdValue = 1; ErrorWeighting = 'None' }
    }
    else {
        $model = New-Autoencoder -ExcludeFeature label -Seed 1
        $options = @{}
    }
    $cpuStart = [System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $normalTrain | Invoke-AutoencoderTraining -Model $model -ThreadCount $ThreadCount @options | Out-Null
    $trainSeconds = $clock.Elapsed.TotalSeconds
    # CPU time of this process (every thread: pipeline, featurizing, libtorch, GC): less moved by other load than seconds.
    $trainCpuSeconds = ([System.Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime - $cpuStart).TotalSeconds
    $metrics = $test | Test-Anomaly -Model $model | Measure-AnomalyDetection -LabelProperty label -AnomalyLabel 0
    [pscustomobject]@{
        Recipe        = $name
        Epochs        = $model.Training.Epochs
        TrainSeconds  = [math]::Round($trainSeconds, 2)
        TrainCpuSeconds = [math]::Round($trainCpuSeconds, 2)
        RocAuc        = [math]::Round($metrics.RocAuc, 4)
        Accuracy      = [math]::Round($metrics.Accuracy, 4)
        Precision     = [math]::Round($metrics.Precision, 4)
        Recall        = [math]::Round($metrics.Recall, 4)
    }
}
