# The list arguments of the benchmark scripts, read in one place. Dot-source it after a script's param block:
#   . (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
#
# 'dotnet pwsh <script> -Seed 1,2,3' runs the script as pwsh -File does, which passes each argument as text: -Seed
# arrives as the one string '1,2,3' (and an [int[]] parameter would read it as 123). So each script declares its lists
# as [string[]] and splits them here, which reads '1,2,3', '1', '2', '3' (from pwsh -Command) and 1, 2, 3 alike.

# The items of a list argument, split on commas, without empty ones (one by one: take them with @()).
function Split-ListArgument([string[]] $Value) {
    $Value -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' }
}

# The seeds of a -Seed argument, as numbers (one by one: take them with @()).
function ConvertTo-SeedList([string[]] $Seed) {
    Split-ListArgument $Seed | ForEach-Object { [int]$_ }
}

# The module a probe imports: -ModulePath, relative to the current folder (Import-Module would look a relative path up
# as a module name), or the one build.ps1 stages in this repository.
function Resolve-ProbeModulePath([string] $ModulePath) {
    if (-not $ModulePath) { $ModulePath = Join-Path $PSScriptRoot '../../out/AutoencoderPS/AutoencoderPS.psd1' }
    [System.IO.Path]::GetFullPath($ModulePath, (Get-Location).ProviderPath)
}

# A field of a process's /proc status (VmHWM, RssAnon, ...) in bytes; $null where there is no /proc (not Linux) or no
# such process or field.
function Get-ProcessStatusBytes([int] $ProcessId, [string] $Field) {
    $path = "/proc/$ProcessId/status"
    $line = @(Get-Content -LiteralPath $path -ErrorAction SilentlyContinue) -match "^${Field}:"
    if (-not $line) { return $null }
    [long](($line[0] -split '\s+')[1]) * 1KB
}

# The median of some numbers (NaN for none): the probes' and the bench's figures.
function Get-Median([double[]] $Values) {
    if ($Values.Count -eq 0) { return [double]::NaN }
    $sorted = [double[]]$Values.Clone(); [Array]::Sort($sorted); $count = $sorted.Count
    if ($count % 2) { $sorted[($count - 1) / 2] } else { ($sorted[$count / 2 - 1] + $sorted[$count / 2]) / 2 }
}
