namespace AutoencoderPS.Remoting
{
    /// <summary>
    /// What Send-Autoencoder runs in each session, in three steps: Prepare (check PowerShell and the module there,
    /// resolve the destination, start a partial file beside it), Append (one chunk of the file per call) and Finish
    /// (check the SHA-256 there, import the model, then move the file into place and set the variable). The file is
    /// imported before it replaces anything, so a copy that fails its checks never destroys the previous model.
    /// Each step returns one object whose Problem property says what went wrong, or is $null.
    /// The scripts also parse in Windows PowerShell 5.1, so that an endpoint of the wrong edition is named, not misread.
    /// </summary>
    internal static class RemoteModelScripts
    {
        public const string Prepare = @"
param([string] $Destination, [string] $FileName, [string] $Sha256, [string] $Transfer, [bool] $Force)
$result = [ordered]@{
    Problem = $null; Message = $null; UserName = [Environment]::UserName
    PSVersion = [string]$PSVersionTable.PSVersion; Edition = [string]$PSVersionTable.PSEdition
    ModuleVersion = $null; Destination = $null; Partial = $null; UpToDate = $false; Replaces = $false
}
$version = $PSVersionTable.PSVersion
if ($result.Edition -ne 'Core' -or $version.Major -lt 7 -or ($version.Major -eq 7 -and $version.Minor -lt 4)) {
    $result.Problem = 'PowerShell'
    $result.Message = ""PowerShell $($version) ($($result.Edition)) answers there; AutoencoderPS needs PowerShell 7.4 or later.""
    return [pscustomobject]$result
}
try {
    $module = Get-Module -Name AutoencoderPS
    if (-not $module) { $module = Import-Module -Name AutoencoderPS -PassThru -ErrorAction Stop -Verbose:$false }
    $result.ModuleVersion = [string]@($module)[0].Version
}
catch {
    $result.Problem = 'Module'
    $result.Message = $_.Exception.Message
    return [pscustomobject]$result
}
try {
    if ([string]::IsNullOrEmpty($Destination)) {
        $target = [IO.Path]::Combine([Environment]::GetFolderPath('LocalApplicationData'), 'AutoencoderPS', 'models', $FileName)
    }
    else {
        $target = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Destination)
        if ([IO.Directory]::Exists($target) -or $Destination -match '[\\/]$') { $target = [IO.Path]::Combine($target, $FileName) }
    }
    $target = [IO.Path]::GetFullPath($target)
    $result.Destination = $target
    $folder = [IO.Path]::GetDirectoryName($target)
    if (-not [IO.Directory]::Exists($folder)) { $null = [IO.Directory]::CreateDirectory($folder) }
    if ([IO.File]::Exists($target)) {
        if ((Get-FileHash -LiteralPath $target -Algorithm SHA256).Hash -eq $Sha256) {
            $result.UpToDate = $true
            return [pscustomobject]$result
        }
        if (-not $Force) {
            $result.Problem = 'Exists'
            $result.Message = ""a different file is already at '$target'; give -Force to replace it""
            return [pscustomobject]$result
        }
        $result.Replaces = $true
    }
    $partial = [IO.Path]::Combine($folder, '.' + [IO.Path]::GetFileName($target) + '.' + $Transfer + '.partial')
    [IO.File]::WriteAllBytes($partial, [byte[]]::new(0))
    $result.Partial = $partial
}
catch {
    $result.Problem = 'Write'
    $result.Message = $_.Exception.Message
}
[pscustomobject]$result
";

        public const string Append = @"
param([string] $Partial, [byte[]] $Bytes)
$stream = [IO.File]::Open($Partial, [IO.FileMode]::Append, [IO.FileAccess]::Write)
try { $stream.Write($Bytes, 0, $Bytes.Length) } finally { $stream.Dispose() }
";

        public const string Finish = @"
param([string] $Partial, [string] $Destination, [string] $Sha256, [string] $Variable, [bool] $UpToDate)
$result = [ordered]@{ Problem = $null; Message = $null; ErrorId = $null; Actual = $null; Length = 0L }
$source = if ($UpToDate) { $Destination } else { $Partial }
try {
    try {
        $result.Actual = (Get-FileHash -LiteralPath $source -Algorithm SHA256).Hash
        $result.Length = ([IO.FileInfo]::new($source)).Length
        if ($result.Actual -ne $Sha256) {
            $result.Problem = 'Hash'
            return [pscustomobject]$result
        }
        try { $model = Import-Autoencoder -LiteralPath $source -ErrorAction Stop }
        catch {
            $result.Problem = 'Import'
            $result.ErrorId = $_.FullyQualifiedErrorId
            $result.Message = $_.Exception.Message
            return [pscustomobject]$result
        }
        if (-not $UpToDate) {
            [IO.File]::Move($Partial, $Destination, $true)
            $Partial = $null
        }
        Set-Variable -Name $Variable -Value $model -Scope Global
    }
    finally {
        if ($Partial -and -not $UpToDate -and [IO.File]::Exists($Partial)) { [IO.File]::Delete($Partial) }
    }
}
catch {
    $result.Problem = 'Write'
    $result.Message = $_.Exception.Message
}
[pscustomobject]$result
";

        /// <summary>Removes a partial file left by a step that failed or was stopped.</summary>
        public const string Discard = @"
param([string] $Partial)
if ($Partial -and [IO.File]::Exists($Partial)) { [IO.File]::Delete($Partial) }
";
    }
}
