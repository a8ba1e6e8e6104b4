<#
.SYNOPSIS
    Training and scoring seconds with 1, 2 and all cores' libtorch threads, on small and large work, to choose the
    default thread count. Each (work, threads) pair runs -Repeat times in a fresh pwsh (the thread count is per
    process); medians are reported beside the min and max, since a shared machine's other load moves single runs.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Measure-ThreadCount.ps1 -ModulePath out/AutoencoderPS
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int[]] $ThreadCount = (@(1, 2, [Environment]::ProcessorCount) | Sort-Object -Unique),
    [int] $Repeat = 3,
    [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
# Small: 400 rows x 9 features (an ODDS-sized baseline, default budget: 92 epochs of 64 rows).
# Wide: 2,400 rows x 140 features (ECG5000-sized: 20 epochs of 64 rows). Large: 60,000 rows x 3 features (1,500-row batches).
# Scoring: 200,000 rows x 3 features through Test-Anomaly from the pipeline.
$work = @(
    @{ Name = 'train small (400 x 9)'; Rows = 400; Width = 9; Score = 0 },
    @{ Name = 'train wide (2400 x 140)'; Rows = 2400; Width = 140; Score = 0 },
    @{ Name = 'train large (60000 x 3)'; Rows = 60000; Width = 3; Score = 0 },
    @{ Name = 'score 200000 x 3'; Rows = 2000; Width = 3; Score = 200000 }
)
$child = {
    param($ModulePath, $Rows, $Width, $Score, $Threads)
    Import-Module $ModulePath
    $random = [System.Random]::new(1)
    $make = { param($n) foreach ($i in 1..$n) { $z = $random.NextDouble(); $row = [ordered]@{}; foreach ($j in 1..$Width) { $row["f$j"] = [math]::Sin($z * $j) + 0.05 * $random.NextDouble() }; [pscustomobject]$row } }
    $train = @(& $make $Rows)
    $model = New-Autoencoder -Seed 1
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $train | Invoke-AutoencoderTraining -Model $model -ThreadCount $Threads | Out-Null
    $seconds = $clock.Elapsed.TotalSeconds
    if ($Score -gt 0) {
        $rows = @(& $make $Score)
        $clock.Restart()
        $rows | Test-Anomaly -Model $model -ThreadCount $Threads | Out-Null
        $seconds = $clock.Elapsed.TotalSeconds
    }
    $seconds
}
$results = foreach ($w in $work) {
    foreach ($t in $ThreadCount) {
        $times = foreach ($r in 1..$Repeat) {
            [double](& $pwsh -NoProfile -NonInteractive -Command "& { $child } '$ModulePath' $($w.Rows) $($w.Width) $($w.Score) $t" | Select-Object -Last 1)
        }
        $sorted = @($times | Sort-Object)
        [pscustomobject]@{ Work = $w.Name; Threads = $t; Median = [math]::Round($sorted[[int][math]::Floor($sorted.Count / 2)], 2); Min = [math]::Round($sorted[0], 2); Max = [math]::Round($sorted[-1], 2) }
        Write-Verbose "$($w.Name), $t thread(s): $($sorted -join ', ') s"
    }
}
if ($OutFile) {
    $lines = @('| work | threads | median s | min s | max s |', '|---|---:|---:|---:|---:|') + ($results | ForEach-Object { "| $($_.Work) | $($_.Threads) | $($_.Median) | $($_.Min) | $($_.Max) |" })
    Set-Content -Path $OutFile -Value $lines
}
$results
