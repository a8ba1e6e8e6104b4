# Shared helpers for the AutoencoderPS Pester tests. Dot-source it from a BeforeAll block:
#     BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
# It imports the module under test from $env:AUTOENCODERPS_MODULE (set by build.ps1 -Task Test) and defines
# small, seeded data generators. Not a test file itself (Pester only runs *.Tests.ps1).

if (-not $env:AUTOENCODERPS_MODULE) {
    throw ('AUTOENCODERPS_MODULE is not set. Point it at the staged manifest, e.g. ' +
        "`$env:AUTOENCODERPS_MODULE = '<repo>/out/AutoencoderPS/AutoencoderPS.psd1' after 'build.ps1 -Task Build', " +
        "or run 'build.ps1 -Task Test', which sets it.")
}
if (-not (Test-Path -LiteralPath $env:AUTOENCODERPS_MODULE -PathType Leaf)) {
    throw "AUTOENCODERPS_MODULE points at '$env:AUTOENCODERPS_MODULE', which does not exist. Build the module first (build.ps1 -Task Build)."
}
# A binary module cannot be unloaded; importing it again in the same process is a no-op, which is fine.
Import-Module $env:AUTOENCODERPS_MODULE -ErrorAction Stop

function ConvertTo-InvariantText {
    param([double] $Value)
    $Value.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture)
}

function New-MetricRow {
    <#
    .SYNOPSIS
        Seeded host-metric rows with a text column (Host) and three correlated numeric columns.
    .PARAMETER AsText
        Give every value as invariant text, as Import-Csv would.
    #>
    param(
        [int] $Count = 200,
        [int] $Seed = 7,
        [switch] $AsText
    )
    $random = [System.Random]::new($Seed)
    for ($i = 0; $i -lt $Count; $i++) {
        $load = $random.NextDouble()
        $cpu = 10 + 60 * $load + 3 * $random.NextDouble()
        $mem = 40 + 10 * $load + 2 * $random.NextDouble()
        $disk = 100 + 300 * $load + 20 * $random.NextDouble()
        if ($AsText) {
            [pscustomobject][ordered]@{
                Host = 'web{0:00}' -f ($i % 3 + 1)
                cpu  = ConvertTo-InvariantText $cpu
                mem  = ConvertTo-InvariantText $mem
                disk = ConvertTo-InvariantText $disk
            }
        }
        else {
            [pscustomobject][ordered]@{
                Host = 'web{0:00}' -f ($i % 3 + 1)
                cpu  = $cpu
                mem  = $mem
                disk = $disk
            }
        }
    }
}

function Get-DoubleBits {
    # The exact bit patterns of doubles, so "bit-identical" is checked literally.
    param([double[]] $Value)
    foreach ($v in $Value) { [System.BitConverter]::DoubleToInt64Bits($v) }
}

function Get-ScoreMismatch {
    <#
    .SYNOPSIS
        Indexes where two score lists differ by more than float32 rounding (relative tolerance), or differ in length.
    .DESCRIPTION
        Scores are computed in float32 and summed in double. The engine scores in fixed 128-row chunks, but a row's
        place in its chunk can still change its last bits (see the skipped -BatchSize tests in Test-Anomaly.Tests.ps1);
        never by more than about 1e-7 relative. Also used to show that two models' scores differ a lot.
    #>
    param([double[]] $Expected, [double[]] $Actual, [double] $Relative = 1e-6)
    if ($Expected.Count -ne $Actual.Count) { return @(-1) }
    for ($i = 0; $i -lt $Expected.Count; $i++) {
        $scale = [math]::Max([math]::Abs($Expected[$i]), 1e-3)
        if (-not ([math]::Abs($Expected[$i] - $Actual[$i]) -le $Relative * $scale)) { $i }
    }
}

function Get-MissingProgramReason {
    <#
    .SYNOPSIS
        Why a cmdlet's help examples can't run on this machine, or $null when they can.
    .DESCRIPTION
        The scoring-task cmdlets drive the crontab program on Linux and macOS; a machine with only the .NET SDK
        (no cron package) has none, and their examples would fail with CrontabUnavailable. Their example tests
        skip there, saying so, as the crontab tests in AnomalyScoringTask.Tests.ps1 do.
    #>
    param([string] $CommandName)
    if ($IsWindows) { return $null }
    if ($CommandName -notin 'Get-AnomalyScoringTask', 'Register-AnomalyScoringTask', 'Unregister-AnomalyScoringTask') { return $null }
    if (Get-Command crontab -CommandType Application -ErrorAction SilentlyContinue) { return $null }
    'the crontab program is not on PATH; install cron (e.g. apt-get install cron) to run this example'
}
