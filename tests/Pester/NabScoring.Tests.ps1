# The NAB scoring functions of tests/Benchmarks/NabScoring.ps1 (used by Invoke-NabEvaluation.ps1), on made-up
# series: no module and no data needed.

BeforeAll {
    . (Join-Path $PSScriptRoot '../Benchmarks/NabScoring.ps1')

    # 1000 rows: probation = 150 rows; windows at rows 300-399 and 700-799.
    $script:n = 1000
    $script:windows = @([pscustomobject]@{ Left = 300; Right = 399 }, [pscustomobject]@{ Left = 700; Right = 799 })
    function New-Detection([int[]] $At) {
        $d = [bool[]]::new($script:n)
        foreach ($i in $At) { $d[$i] = $true }
        , $d
    }
    function Assert-Near([double] $Actual, [double] $Expected, [double] $Tolerance) {
        [math]::Abs($Actual - $Expected) | Should -BeLessOrEqual $Tolerance -Because "$Actual should be within $Tolerance of $Expected"
    }
    function Measure-At([int[]] $At) { Measure-NabSeries -Detection (New-Detection $At) -Window $script:windows }
}

Describe 'NAB scaled sigmoid' {
    It 'matches 2/(1+e^(5x))-1 at the published points' {
        # NAB: -1 -> 0.98661 (window start), -0.5 -> 0.84828, 0 -> 0 (window end), 1 -> -0.98661, >= 3 -> -1.
        Assert-Near (Get-NabScaledSigmoid -Position -1.0) (0.986614298) 1e-8
        Assert-Near (Get-NabScaledSigmoid -Position -0.5) (0.848283640) 1e-8
        Get-NabScaledSigmoid -Position 0.0 | Should -Be 0.0
        Assert-Near (Get-NabScaledSigmoid -Position 1.0) (-0.986614298) 1e-8
        Get-NabScaledSigmoid -Position 2.999 | Should -BeGreaterThan -1.0
        Get-NabScaledSigmoid -Position 3.0 | Should -Be (-1.0)
        Get-NabScaledSigmoid -Position 10 | Should -Be (-1.0)
    }

    It 'has the probationary length of NAB: 15 % of the rows, at most 750' {
        Get-NabProbationaryLength -RowCount 4032 | Should -Be 604
        Get-NabProbationaryLength -RowCount 22695 | Should -Be 750
    }
}

Describe 'NAB series score' {
    It 'gives a null detector -A_FN per window and normalises it to 0' {
        $r = Measure-At @()
        $r.Windows | Should -Be 2
        $r.WindowsDetected | Should -Be 0
        $r.Score | Should -Be (-2.0)
        $r.NullScore | Should -Be (-2.0)
        $r.PerfectScore | Should -Be 2.0
        Get-NabNormalizedScore $r | Should -Be 0.0
    }

    It 'gives a detector at each window start A_TP per window and normalises it to 100' {
        $r = Measure-At 300, 700
        $r.WindowsDetected | Should -Be 2
        $r.FalsePositives | Should -Be 0
        Assert-Near ($r.Score) (2.0) 1e-12
        Assert-Near (Get-NabNormalizedScore $r) (100.0) 1e-9
    }

    It 'rewards an early detection more than a late one, and counts only the first in a window' {
        $early = (Measure-At 310).TruePositiveScore
        $late = (Measure-At 395).TruePositiveScore
        $early | Should -BeGreaterThan $late
        $late | Should -BeGreaterThan 0
        # The first row of the window: -(399-300+1)/100 = -1, worth exactly A_TP.
        Assert-Near ((Measure-At 300).TruePositiveScore) (1.0) 1e-12
        # Halfway: position -(399-350+1)/100 = -0.5.
        Assert-Near ((Measure-At 350).TruePositiveScore) ((0.848283640 / 0.986614298)) 1e-8
        # A second detection in the same window changes nothing.
        (Measure-At 310, 395).Score | Should -Be (Measure-At 310).Score
    }

    It 'charges a false positive just after a window less than one far from it, and -A_FP before any window' {
        $near = (Measure-At 300, 405).FalsePositiveScore
        $far = (Measure-At 300, 650).FalsePositiveScore
        $near | Should -BeLessThan 0
        $far | Should -BeLessThan $near
        # 250 rows past a 100-row window: position 251/99 < 3, so a hair above -1; before any window: -1 exactly.
        Assert-Near ($far) ((0.11 * (Get-NabScaledSigmoid -Position (251 / 99)))) 1e-12
        (Measure-At 200).FalsePositiveScore | Should -Be (-0.11)
        (Measure-At 200, 201, 202).FalsePositives | Should -Be 3
    }

    It 'ignores detections in the probationary period and windows that end in it' {
        (Measure-At 10, 100).FalsePositives | Should -Be 0
        $early = @([pscustomobject]@{ Left = 50; Right = 120 }) + $script:windows
        $r = Measure-NabSeries -Detection (New-Detection @()) -Window $early
        $r.Windows | Should -Be 2
    }

    It 'a detector that fires on every row scores far below the null detector' {
        $all = [bool[]]::new($script:n); for ($i = 0; $i -lt $script:n; $i++) { $all[$i] = $true }
        $r = Measure-NabSeries -Detection $all -Window $script:windows
        $r.WindowsDetected | Should -Be 2
        Get-NabNormalizedScore $r | Should -BeLessThan 0
    }

    It 'sums the series before normalising' {
        $a = Measure-At 300, 700                                    # perfect: +2
        $b = Measure-NabSeries -Detection ([bool[]]::new(500)) -Window @([pscustomobject]@{ Left = 200; Right = 299 })  # null: -1
        # (2 - 1 - (-3)) / (3 - (-3)) = 4 / 6
        Assert-Near (Get-NabNormalizedScore $a, $b) ((100 * 4 / 6)) 1e-9
        Assert-Near ($a, $b | Get-NabNormalizedScore) ((100 * 4 / 6)) 1e-9
    }

    It 'maps labelled window timestamps to row ranges' {
        $t = [datetime[]](0..9 | ForEach-Object { [datetime]'2014-02-14' + [timespan]::FromMinutes(5 * $_) })
        $w = @(Get-NabWindowIndex -Timestamp $t -Window @(, @('2014-02-14 00:10:00.000000', '2014-02-14 00:22:00')))
        $w.Count | Should -Be 1
        $w[0].Left | Should -Be 2
        $w[0].Right | Should -Be 4
    }
}
