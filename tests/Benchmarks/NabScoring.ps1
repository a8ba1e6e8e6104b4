# NAB scoring: our own implementation of the Numenta Anomaly Benchmark's published scoring rules
# (Lavin & Ahmad 2015, "Evaluating Real-time Anomaly Detection Algorithms - the Numenta Anomaly Benchmark";
# Ahmad et al. 2017, Neurocomputing; NAB's README "Scoring"). Dot-source it:  . ./NabScoring.ps1
#
# The rules, per series of n rows with labelled anomaly windows [start, end]:
# - The probationary period is the first min(floor(0.15 n), 0.15 * 5000) rows. Detections there are ignored, and a
#   window that ends inside it is not scored.
# - Inside a window of w rows whose last row is r, a detection at row i has relative position
#   p = -(r - i + 1) / w (-1 at the first row of the window, close to 0 at its last). Only the earliest detection
#   in a window counts: a true positive worth A_TP * sigma(p) / sigma(-1), so A_TP at the window's first row.
# - Outside windows, every detection is a false positive worth A_FP * sigma(q), where q is the distance past the
#   end of the preceding window, q = |r_prev - i| / (w_prev - 1), and q = 3 (sigma = -1) before the first window.
#   Just after a window sigma(q) is near 0 (a late detection costs little); from about one window width on it is -1.
# - A scored window without a detection is a false negative worth -A_FN.
# - sigma is the scaled sigmoid sigma(x) = 2 / (1 + e^(5x)) - 1 for x < 3, and -1 for x >= 3.
# - Normalised score = 100 * (S - S_null) / (S_perfect - S_null), with S, S_null (no detections: -A_FN per window)
#   and S_perfect (a detection at each window's first row: A_TP per window) summed over all series first.
#
# NAB itself sweeps a threshold over a detector's anomaly scores and reports the best score over the corpus per
# profile; here the detections are given (the model's own threshold), so there is no such optimisation.

$script:NabProfiles = @{
    Standard    = @{ TP = 1.0; FP = 0.11; FN = 1.0 }
    RewardLowFP = @{ TP = 1.0; FP = 0.22; FN = 1.0 }
    RewardLowFN = @{ TP = 1.0; FP = 0.11; FN = 2.0 }
}

function Get-NabProfile {
    param([ValidateSet('Standard', 'RewardLowFP', 'RewardLowFN')] [string] $Name = 'Standard')
    $script:NabProfiles[$Name].Clone()
}

function Get-NabScaledSigmoid {
    # sigma(x) = 2 / (1 + e^(5x)) - 1, and -1 from x = 3 on.
    param([Parameter(Mandatory)] [double] $Position)
    if ($Position -ge 3.0) { return -1.0 }
    2.0 / (1.0 + [math]::Exp(5.0 * $Position)) - 1.0
}

function Get-NabProbationaryLength {
    param([Parameter(Mandatory)] [int] $RowCount, [double] $ProbationPercent = 0.15)
    [int][math]::Min([math]::Floor($ProbationPercent * $RowCount), $ProbationPercent * 5000)
}

function Get-NabWindowIndex {
    <#
    Turns labelled windows (pairs of timestamps) into row index ranges of a series: from the first row at or after
    the start to the last row at or before the end. Windows without rows are dropped.
    #>
    param([Parameter(Mandatory)] [datetime[]] $Timestamp, [AllowEmptyCollection()] [object[]] $Window = @())
    foreach ($w in $Window) {
        $start = [datetime]$w[0]; $end = [datetime]$w[1]
        $left = -1; $right = -1
        for ($i = 0; $i -lt $Timestamp.Count; $i++) {
            if ($left -lt 0 -and $Timestamp[$i] -ge $start) { $left = $i }
            if ($Timestamp[$i] -le $end) { $right = $i }
        }
        if ($left -ge 0 -and $right -ge $left) { [pscustomobject]@{ Left = $left; Right = $right } }
    }
}

function Measure-NabSeries {
    <#
    Scores one series. -Detection: one boolean per row (true = the detector raised an alarm at that row).
    -Window: row index ranges (objects with Left and Right, in time order, not overlapping), as Get-NabWindowIndex
    gives. Returns the raw score and its parts, and the null and perfect scores of the same series for normalising.
    #>
    param(
        [Parameter(Mandatory)] [AllowEmptyCollection()] [bool[]] $Detection,
        [AllowEmptyCollection()] [object[]] $Window = @(),
        [hashtable] $CostMatrix = (Get-NabProfile Standard),
        [int] $ProbationaryLength = -1
    )
    $n = $Detection.Count
    if ($ProbationaryLength -lt 0) { $ProbationaryLength = Get-NabProbationaryLength -RowCount $n }
    $maxTP = Get-NabScaledSigmoid -Position -1.0
    $windows = @($Window | Sort-Object Left)
    $scored = @($windows | Where-Object { $_.Right -ge $ProbationaryLength })

    $tpScore = 0.0; $fpScore = 0.0; $fpCount = 0; $detected = 0
    $firstDetection = @{}
    $w = 0                       # index of the next window not yet passed
    $prev = $null                # the last window passed
    for ($i = 0; $i -lt $n; $i++) {
        while ($w -lt $windows.Count -and $windows[$w].Right -lt $i) { $prev = $windows[$w]; $w++ }
        $inside = $w -lt $windows.Count -and $windows[$w].Left -le $i
        if ($i -lt $ProbationaryLength -or -not $Detection[$i]) { continue }
        if ($inside) {
            $key = $windows[$w].Left
            if (-not $firstDetection.ContainsKey($key)) {
                $width = $windows[$w].Right - $windows[$w].Left + 1
                $position = - ($windows[$w].Right - $i + 1) / $width
                $firstDetection[$key] = $i
                $tpScore += $CostMatrix.TP * (Get-NabScaledSigmoid -Position $position) / $maxTP
                $detected++
            }
        }
        else {
            $position = if ($null -eq $prev) { 3.0 } else {
                [math]::Abs($prev.Right - $i) / [math]::Max(1, $prev.Right - $prev.Left)
            }
            $fpScore += $CostMatrix.FP * (Get-NabScaledSigmoid -Position $position)
            $fpCount++
        }
    }
    $fnCount = $scored.Count - $detected
    [pscustomobject]@{
        Windows         = $scored.Count
        WindowsDetected = $detected
        FalsePositives  = $fpCount
        TruePositiveScore  = $tpScore
        FalsePositiveScore = $fpScore
        FalseNegativeScore = - $CostMatrix.FN * $fnCount
        Score           = $tpScore + $fpScore - $CostMatrix.FN * $fnCount
        NullScore       = - $CostMatrix.FN * $scored.Count
        PerfectScore    = $CostMatrix.TP * $scored.Count
    }
}

function Get-NabNormalizedScore {
    # 100 * (S - S_null) / (S_perfect - S_null), each summed over the series first (NAB normalises the corpus total).
    param([Parameter(Mandatory, ValueFromPipeline)] [object[]] $SeriesResult)
    begin { $s = 0.0; $null0 = 0.0; $perfect = 0.0 }
    process { foreach ($r in $SeriesResult) { $s += $r.Score; $null0 += $r.NullScore; $perfect += $r.PerfectScore } }
    end {
        if ($perfect -eq $null0) { return [double]::NaN }
        100.0 * ($s - $null0) / ($perfect - $null0)
    }
}
