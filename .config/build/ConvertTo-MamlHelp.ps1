#requires -Version 7.4
<#
.SYNOPSIS
    Builds a module's PowerShell help (MAML and about_ topics) from Markdown source.
.DESCRIPTION
    Reads one Markdown file per exported cmdlet (<Cmdlet>.md) and any about_<Topic>.md files from
    -SourcePath and writes, to -OutputPath:
      <RootModule>-Help.xml    MAML help for every cmdlet (e.g. AutoencoderPS.dll-Help.xml), the file
                               Get-Help looks for beside a binary module's assembly
      about_<Topic>.help.txt   plain-text about topics

    Prose (synopsis, description, examples, parameter descriptions, inputs, outputs, notes, links) comes from
    the Markdown. Everything the code already knows comes from the code: the syntax of every parameter set,
    and each parameter's type, Required?, Position?, pipeline input, aliases, and enum values. To get it, the
    converter imports the built module in a child pwsh (a binary module can't be unloaded, so it never loads
    into the caller's process) and reads Get-Command's metadata. Default values come from the Markdown when
    given there, otherwise from a fresh instance of the cmdlet class.

    The converter throws, naming the file, when the help and the code disagree: an exported cmdlet without a
    Markdown file, a Markdown file for no exported cmdlet, a parameter (other than the common parameters)
    without a ### section, a ### section for a parameter that doesn't exist, a missing synopsis, description,
    example or parameter description, or an [OutputType] that ## OUTPUTS doesn't name.

    The Markdown format is described in module/help/README.md.
.PARAMETER SourcePath
    The folder with the Markdown help source (module/help).
.PARAMETER OutputPath
    The culture folder of the staged module to write to, e.g. out/AutoencoderPS/en-US. Created if missing.
.PARAMETER ModulePath
    The manifest (.psd1) of the built module whose cmdlets are documented. Default: the one .psd1 file in
    the parent folder of -OutputPath (the staged module).
.EXAMPLE
    & .config/ConvertTo-MamlHelp.ps1 -SourcePath module/help -OutputPath out/AutoencoderPS/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $SourcePath,

    [Parameter(Mandatory)]
    [string] $OutputPath,

    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$NsMaml = 'http://schemas.microsoft.com/maml/2004/10'
$NsCommand = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$NsDev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$NsMSHelp = 'http://msdn.microsoft.com/mshelp'

# The sections of a cmdlet file, in upper case; the first six are required.
$RequiredSections = @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS')
$OptionalSections = @('NOTES', 'RELATED LINKS')
# Keys allowed in a parameter's ```yaml block: what the code cannot tell. The rest comes from the cmdlet.
$ParameterMetadataKeys = @('Default value', 'Accept wildcard characters')
# Files in the source folder that are about the help, not help themselves.
$IgnoredFiles = @('README.md')

#region Command metadata, read from the built module in a child process

# Runs in the child pwsh: imports the module and writes what the help needs to know about each command as JSON.
$MetadataScript = @'
param([string] $ModulePath, [string] $OutFile)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ModulePath -PassThru
$common = [System.Collections.Generic.HashSet[string]]::new([string[]][System.Management.Automation.Cmdlet]::CommonParameters)

function Get-TypeInfo([type] $Type) {
    $t = $Type
    if ($t.IsGenericType -and $t.GetGenericTypeDefinition() -eq [Nullable`1]) { $t = $t.GetGenericArguments()[0] }
    $element = if ($t.IsArray) { $t.GetElementType() } else { $t }
    [ordered]@{
        ShortName  = $t.Name
        FullName   = $t.FullName
        IsSwitch   = $t -eq [System.Management.Automation.SwitchParameter]
        EnumValues = if ($element.IsEnum) { @([Enum]::GetNames($element)) } else { @() }
    }
}

function Format-Default([object] $Value) {
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $(if ($Value.IsPresent) { 'True' } else { 'False' }) }
    if ($Value -is [string]) { return $(if ($Value.Length) { $Value } else { $null }) }
    if ($Value -is [datetime]) { return $Value.ToString('yyyy-MM-dd HH:mm:ss', [cultureinfo]::InvariantCulture) }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = @($Value | ForEach-Object { [System.Convert]::ToString($_, [cultureinfo]::InvariantCulture) })
        return $(if ($items.Count) { $items -join ', ' } else { $null })
    }
    [System.Convert]::ToString($Value, [cultureinfo]::InvariantCulture)
}

$commands = foreach ($command in Get-Command -Module $module.Name | Where-Object CommandType -In 'Cmdlet', 'Function' | Sort-Object Name) {
    # Defaults of a compiled cmdlet are its property initialisers: read them from a fresh instance.
    $instance = $null
    if ($command.CommandType -eq 'Cmdlet') {
        try { $instance = [Activator]::CreateInstance($command.ImplementingType) } catch { $instance = $null }
    }
    $parameters = foreach ($p in $command.Parameters.Values) {
        if ($common.Contains($p.Name)) { continue }
        $default = $null
        if ($instance) {
            $property = $command.ImplementingType.GetProperty($p.Name)
            if ($property) { $default = Format-Default $property.GetValue($instance) }
        }
        $validateSet = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
        [ordered]@{
            Name              = $p.Name
            Type              = Get-TypeInfo $p.ParameterType
            Aliases           = @($p.Aliases)
            SupportsWildcards = [bool]@($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count
            ValidateSet       = $validateSet
            Default           = $default
        }
    }
    $sets = foreach ($set in $command.ParameterSets) {
        [ordered]@{
            Name       = $set.Name
            IsDefault  = $set.IsDefault
            Parameters = @(foreach ($sp in $set.Parameters) {
                    if ($common.Contains($sp.Name)) { continue }
                    [ordered]@{
                        Name           = $sp.Name
                        IsMandatory    = $sp.IsMandatory
                        Position       = $sp.Position
                        ByValue        = $sp.ValueFromPipeline
                        ByPropertyName = $sp.ValueFromPipelineByPropertyName
                    }
                })
        }
    }
    [ordered]@{
        Name          = $command.Name
        Verb          = $command.Verb
        Noun          = $command.Noun
        HelpFile      = $command.HelpFile
        HasCommon     = [bool]$command.CmdletBinding -or $command.CommandType -eq 'Cmdlet'
        Parameters    = @($parameters)
        ParameterSets = @($sets)
        OutputTypes   = @($command.OutputType | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } })
    }
}
[ordered]@{ ModuleName = $module.Name; RootModule = $module.RootModule; Commands = @($commands) } |
    ConvertTo-Json -Depth 12 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM
'@

function Get-CommandMetadata {
    param([string] $ManifestPath)
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("maml-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $script = Join-Path $work 'metadata.ps1'
        $json = Join-Path $work 'metadata.json'
        Set-Content -LiteralPath $script -Value $MetadataScript -Encoding utf8NoBOM
        $output = & $pwsh -NoProfile -NonInteractive -File $script -ModulePath $ManifestPath -OutFile $json 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $json)) {
            throw "Could not read the commands of '$ManifestPath' (child pwsh exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)"
        }
        Get-Content -LiteralPath $json -Raw | ConvertFrom-Json
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

#endregion

#region Markdown

# Splits a Markdown file into a title (#), sections (##) and subsections (###). Fenced code is kept whole,
# so a '#' comment inside a code block is never a heading.
function Read-MarkdownDocument {
    param([string] $Path)
    $doc = [pscustomobject]@{ Path = $Path; Title = $null; Preamble = [System.Collections.Generic.List[string]]::new(); Sections = [System.Collections.Generic.List[object]]::new() }
    $section = $null
    $sub = $null
    $fence = $null
    $lineNumber = 0
    foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
        $lineNumber++
        # Assigned, not taken from an if-expression: an empty list would be enumerated to nothing.
        if ($sub) { $target = $sub.Lines } elseif ($section) { $target = $section.Lines } else { $target = $doc.Preamble }
        if ($fence) {
            $target.Add($line)
            if ($line -match '^\s*(`{3,}|~{3,})\s*$' -and $Matches[1][0] -eq $fence[0] -and $Matches[1].Length -ge $fence.Length) { $fence = $null }
            continue
        }
        if ($line -match '^\s*(`{3,}|~{3,})') {
            $fence = $Matches[1]
            $target.Add($line)
            continue
        }
        if ($line -match '^(#{1,3})\s+(.*?)\s*#*\s*$') {
            $level = $Matches[1].Length
            $text = $Matches[2].Trim()
            switch ($level) {
                1 {
                    if ($doc.Title) { throw "${Path}:${lineNumber}: a second '# ' title ('$text'); a help file has one." }
                    $doc.Title = $text
                    $section = $null; $sub = $null
                }
                2 {
                    $section = [pscustomobject]@{ Name = $text; Line = $lineNumber; Lines = [System.Collections.Generic.List[string]]::new(); Subs = [System.Collections.Generic.List[object]]::new() }
                    $doc.Sections.Add($section)
                    $sub = $null
                }
                3 {
                    if (-not $section) { throw "${Path}:${lineNumber}: '### $text' comes before any '## ' section." }
                    $sub = [pscustomobject]@{ Name = $text; Line = $lineNumber; Lines = [System.Collections.Generic.List[string]]::new() }
                    $section.Subs.Add($sub)
                }
            }
            continue
        }
        $target.Add($line)
    }
    if ($fence) { throw "${Path}: a code block opened with $fence is never closed." }
    $doc
}

# Turns Markdown lines into blocks: Paragraph (text), ListItem (text), Code (text, language). Code is fenced (```) or
# indented, as CommonMark reads it: after a blank line (it never continues a paragraph), 4 spaces past the margin, and
# inside a list item 4 spaces past where the item's text starts. Code keeps its lines, blank ones and the indentation
# of each line beyond the block's own.
function ConvertTo-Block {
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null    # the paragraph or list item a next line of text continues
    $fence = $null
    $code = $null
    $indented = $null   # an indented code block: its indent and lines so far
    $itemIndent = -1    # the column where the last list item's text starts; -1 outside a list
    $afterBlank = $true
    $closeIndented = {
        $kept = @($indented.Lines)
        $last = $kept.Count - 1
        while ($last -ge 0 -and $kept[$last] -eq '') { $last-- }
        $blocks.Add([pscustomobject]@{ Kind = 'Code'; Language = ''; Text = $kept[0..$last] -join "`n" })
    }
    foreach ($raw in $Lines) {
        # A tab in the indentation counts as 4 spaces (as many editors show it).
        $line = [regex]::Replace($raw, '^[ \t]+', { param($m) $m.Value.Replace("`t", '    ') })
        if ($fence) {
            if ($line -match '^\s*(`{3,}|~{3,})\s*$' -and $Matches[1][0] -eq $fence.Marker[0] -and $Matches[1].Length -ge $fence.Marker.Length) {
                # Drop the fence's own indentation from every line, keep the rest.
                $indent = $fence.Indent
                $text = ($code | ForEach-Object { if ($_.Length -ge $indent -and $_.Substring(0, $indent).Trim() -eq '') { $_.Substring($indent) } else { $_.TrimStart() } }) -join "`n"
                $blocks.Add([pscustomobject]@{ Kind = 'Code'; Language = $fence.Language; Text = $text })
                $fence = $null
            }
            else { $code.Add($line) }
            continue
        }
        $indent = $line.Length - $line.TrimStart(' ').Length
        if ($indented) {
            if ($line.Trim() -eq '') { $indented.Lines.Add(''); continue }
            if ($indent -ge $indented.Indent) { $indented.Lines.Add($line.Substring($indented.Indent).TrimEnd()); continue }
            & $closeIndented
            $indented = $null
            $afterBlank = $true
        }
        if ($line.Trim() -eq '') { $current = $null; $afterBlank = $true; continue }
        $isItem = $line -match '^(\s*)([-*+]|\d+[.)])(\s+)(.*)$'
        # After a blank line, text left of the list item's text ends the list.
        if ($itemIndent -ge 0 -and $afterBlank -and $indent -lt $itemIndent -and -not $isItem) { $itemIndent = -1 }
        $afterBlank = $false
        if ($line -match '^(\s*)(`{3,}|~{3,})\s*([\w+-]*)') {
            $current = $null
            $fence = @{ Marker = $Matches[2]; Language = $Matches[3].ToLowerInvariant(); Indent = $Matches[1].Length }
            $code = [System.Collections.Generic.List[string]]::new()
            continue
        }
        $margin = [Math]::Max($itemIndent, 0) + 4
        if (-not $current -and $indent -ge $margin) {
            $indented = @{ Indent = $margin; Lines = [System.Collections.Generic.List[string]]::new() }
            $indented.Lines.Add($line.Substring($margin).TrimEnd())
            continue
        }
        if ($isItem) {
            $marker = if ($Matches[2] -match '^\d') { $Matches[2] } else { '-' }
            $itemIndent = $Matches[1].Length + $Matches[2].Length + [Math]::Min($Matches[3].Length, 4)
            $current = [pscustomobject]@{ Kind = 'ListItem'; Marker = $marker; Text = $Matches[4].Trim() }
            $blocks.Add($current)
            continue
        }
        if ($current) { $current.Text += ' ' + $line.Trim(); continue }
        $current = [pscustomobject]@{ Kind = 'Paragraph'; Text = $line.Trim() }
        $blocks.Add($current)
    }
    if ($indented) { & $closeIndented }
    $blocks
}

# Markdown inline markup to plain text: `code`, **strong**, *emphasis*, [text](url), <url>, \escapes. A code span is
# shown as written: it is set aside (as one private-use character) before the rest is read, so a `$_`, `*` or `\` in
# it is never taken for markup.
function ConvertTo-PlainText {
    param([string] $Text)
    $spans = [System.Collections.Generic.List[string]]::new()
    $t = [regex]::Replace($Text, '(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)', {
            param($m)
            $content = $m.Groups[2].Value
            # One space inside each end lets a span start or end with a backtick (`` `x` ``): it is not shown.
            if ($content.Length -ge 2 -and $content[0] -eq ' ' -and $content[-1] -eq ' ' -and $content.Trim()) { $content = $content.Substring(1, $content.Length - 2) }
            $spans.Add($content)
            [string][char](0xE000 + $spans.Count - 1)
        })
    $t = [regex]::Replace($t, '\[([^\]]+)\]\((https?://[^)\s]+)\)', '$1 ($2)')
    $t = [regex]::Replace($t, '\[([^\]]+)\]\([^)]*\)', '$1')
    $t = [regex]::Replace($t, '<(https?://[^>\s]+)>', '$1')
    $t = [regex]::Replace($t, '(\*\*|__)(?=\S)(.+?)(?<=\S)\1', '$2')
    $t = [regex]::Replace($t, '(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])', '$1')
    $t = [regex]::Replace($t, '(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)', '$1')
    $t = [regex]::Replace($t, '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
    if (-not $spans.Count) { return $t }
    [regex]::Replace($t, "[\uE000-\u$('{0:X4}' -f (0xE000 + $spans.Count - 1))]", { param($m) $spans[[int][char]$m.Value - 0xE000] })
}

# Blocks as help paragraphs: list items keep their marker; code keeps its lines as written (Get-Help trims the
# first line of a paragraph, so an indent would only shift the lines after it).
function ConvertTo-HelpParagraph {
    param([object[]] $Blocks)
    foreach ($b in $Blocks) {
        switch ($b.Kind) {
            'Paragraph' { ConvertTo-PlainText $b.Text }
            'ListItem' { '{0} {1}' -f $b.Marker, (ConvertTo-PlainText $b.Text) }
            'Code' { $b.Text }
        }
    }
}

#endregion

#region Reading one cmdlet's help

function Get-Section {
    param($Doc, [string] $Name)
    $Doc.Sections | Where-Object { $_.Name -ceq $Name } | Select-Object -First 1
}

function Read-CommandHelp {
    param($Doc, $Command)
    $file = $Doc.Path
    if ($Doc.Title -cne $Command.Name) { throw "${file}: the title must be '# $($Command.Name)', not '# $($Doc.Title)'." }
    $known = $RequiredSections + $OptionalSections
    foreach ($s in $Doc.Sections) {
        if ($s.Name -cnotin $known) { throw "${file}:$($s.Line): unknown section '## $($s.Name)'. Sections are: $($known -join ', ') (upper case)." }
        if (@($Doc.Sections | Where-Object Name -CEQ $s.Name).Count -gt 1) { throw "${file}: section '## $($s.Name)' appears more than once." }
    }
    foreach ($name in $RequiredSections) {
        if (-not (Get-Section $Doc $name)) { throw "${file}: the required section '## $name' is missing." }
    }

    $synopsis = (ConvertTo-HelpParagraph (ConvertTo-Block (Get-Section $Doc 'SYNOPSIS').Lines)) -join ' '
    if (-not $synopsis.Trim()) { throw "${file}: '## SYNOPSIS' is empty." }
    $description = @(ConvertTo-HelpParagraph (ConvertTo-Block (Get-Section $Doc 'DESCRIPTION').Lines))
    if (-not $description.Count) { throw "${file}: '## DESCRIPTION' is empty." }

    # Examples: '### Example N: title', one ```powershell block (the code), and any text (the remarks).
    $examplesSection = Get-Section $Doc 'EXAMPLES'
    $examples = foreach ($sub in $examplesSection.Subs) {
        $blocks = @(ConvertTo-Block $sub.Lines)
        $code = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -in 'powershell', 'pwsh', 'ps1', 'ps' })
        if ($code.Count -ne 1) { throw "${file}:$($sub.Line): '### $($sub.Name)' needs exactly one ``````powershell code block (it has $($code.Count))." }
        $remarks = @(ConvertTo-HelpParagraph @($blocks | Where-Object { $_ -ne $code[0] }))
        if (-not $remarks.Count) { throw "${file}:$($sub.Line): '### $($sub.Name)' has code but no text saying what it does." }
        [pscustomobject]@{ Title = ConvertTo-PlainText $sub.Name; Code = $code[0].Text; Remarks = $remarks }
    }
    if (-not @($examples).Count) { throw "${file}: '## EXAMPLES' has no '### Example' subsection." }

    # Parameters: '### -Name', text, and an optional ```yaml block with what the code can't tell.
    $parameterSection = Get-Section $Doc 'PARAMETERS'
    $documented = [ordered]@{}
    foreach ($sub in $parameterSection.Subs) {
        if ($sub.Name -notmatch '^-(\w+)$') { throw "${file}:$($sub.Line): a parameter heading is '### -Name', not '### $($sub.Name)'." }
        $name = $Matches[1]
        $actual = @($Command.Parameters | Where-Object { $_.Name -eq $name })
        if (-not $actual.Count) {
            throw "${file}:$($sub.Line): '### -$name' documents a parameter that $($Command.Name) does not have. Its parameters: $(($Command.Parameters.Name | ForEach-Object { "-$_" }) -join ', ')."
        }
        if ($actual[0].Name -cne $name) { throw "${file}:$($sub.Line): write '### -$($actual[0].Name)', as the parameter is spelled." }
        if ($documented.Contains($name)) { throw "${file}:$($sub.Line): '### -$name' appears more than once." }
        $blocks = @(ConvertTo-Block $sub.Lines)
        $meta = @{}
        foreach ($yaml in @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Language -eq 'yaml' })) {
            foreach ($entry in $yaml.Text -split "`n") {
                if (-not $entry.Trim()) { continue }
                if ($entry -notmatch '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { throw "${file}:$($sub.Line): '$entry' in the yaml block of -$name is not 'Key: value'." }
                $key = $Matches[1]; $value = $Matches[2]
                $allowed = $ParameterMetadataKeys | Where-Object { $_ -eq $key }
                if (-not $allowed) {
                    throw ("${file}:$($sub.Line): '$key' in the yaml block of -$name is not allowed; only $($ParameterMetadataKeys -join ', ') " +
                        'go there. Type, Required, Position, pipeline input and aliases are read from the cmdlet itself.')
                }
                $meta[$allowed] = $value
            }
        }
        if ($meta.ContainsKey('Accept wildcard characters') -and $meta['Accept wildcard characters'] -notin 'True', 'False') {
            throw "${file}:$($sub.Line): 'Accept wildcard characters' of -$name must be True or False."
        }
        $text = @(ConvertTo-HelpParagraph @($blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Language -eq 'yaml') }))
        if (-not $text.Count) { throw "${file}:$($sub.Line): '### -$name' has no description." }
        $documented[$name] = [pscustomobject]@{ Name = $actual[0].Name; Description = $text; Meta = $meta }
    }
    $missing = @($Command.Parameters | Where-Object { -not $documented.Contains($_.Name) } | ForEach-Object { "-$($_.Name)" })
    if ($missing.Count) {
        throw "${file}: parameter(s) $($missing -join ', ') of $($Command.Name) are not documented. Add a '### -Name' section under '## PARAMETERS' for each."
    }

    # Inputs and outputs: '### TypeName' and text, or '### None'.
    $typed = {
        param([string] $SectionName)
        $section = Get-Section $Doc $SectionName
        $items = foreach ($sub in $section.Subs) {
            [pscustomobject]@{ Type = ConvertTo-PlainText $sub.Name; Description = @(ConvertTo-HelpParagraph (ConvertTo-Block $sub.Lines)) }
        }
        if (-not @($items).Count) { throw "${file}: '## $SectionName' needs a '### TypeName' (or '### None') subsection." }
        @($items)
    }
    $inputs = & $typed 'INPUTS'
    $outputs = & $typed 'OUTPUTS'
    foreach ($type in $Command.OutputTypes) {
        $short = ($type -split '\.')[-1]
        if (-not @($outputs | Where-Object { $_.Type -eq $type -or $_.Type -eq $short }).Count) {
            throw "${file}: $($Command.Name) declares [OutputType($type)], but '## OUTPUTS' has no '### $type' subsection."
        }
    }

    $notesSection = Get-Section $Doc 'NOTES'
    $notes = if ($notesSection) { @(ConvertTo-HelpParagraph (ConvertTo-Block $notesSection.Lines)) } else { @() }

    $linksSection = Get-Section $Doc 'RELATED LINKS'
    $links = if ($linksSection) {
        foreach ($b in ConvertTo-Block $linksSection.Lines) {
            if ($b.Kind -eq 'Code') { throw "${file}: '## RELATED LINKS' holds links, not code." }
            if ($b.Text -match '^\[([^\]]+)\]\(([^)]*)\)\s*$') {
                $uri = if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' }
                [pscustomobject]@{ Text = $Matches[1]; Uri = $uri }
            }
            elseif ($b.Text -match '^<?(https?://[^>\s]+)>?$') { [pscustomobject]@{ Text = 'Online Version:'; Uri = $Matches[1] } }
            else { [pscustomobject]@{ Text = ConvertTo-PlainText $b.Text; Uri = '' } }
        }
    }
    else { @() }

    [pscustomobject]@{
        Synopsis    = $synopsis
        Description = $description
        Examples    = @($examples)
        Parameters  = $documented
        Inputs      = $inputs
        Outputs     = $outputs
        Notes       = $notes
        Links       = @($links)
    }
}

#endregion

#region MAML

function Write-Paragraphs {
    param([System.Xml.XmlWriter] $W, [string[]] $Paragraphs)
    $W.WriteStartElement('maml', 'description', $NsMaml)
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $NsMaml, $p) }
    $W.WriteEndElement()
}

function Get-PipelineText {
    param($SetEntries)
    $byValue = [bool]@($SetEntries | Where-Object ByValue).Count
    $byName = [bool]@($SetEntries | Where-Object ByPropertyName).Count
    if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' }
    elseif ($byValue) { 'True (ByValue)' }
    elseif ($byName) { 'True (ByPropertyName)' }
    else { 'False' }
}

function Get-PositionText {
    param([int] $Position)
    if ($Position -lt 0) { 'named' } else { [string]$Position }
}

# One <command:parameter>. $Entries are the parameter's entries in the sets it is shown for.
function Write-Parameter {
    param([System.Xml.XmlWriter] $W, $Meta, $Doc, $Entries, [switch] $InSyntax)
    $requiredValues = @($Entries | ForEach-Object { $_.IsMandatory } | Select-Object -Unique)
    $positions = @($Entries | ForEach-Object { Get-PositionText $_.Position } | Select-Object -Unique)
    $required = if ($requiredValues.Count -eq 1) { "$($requiredValues[0])".ToLowerInvariant() }
    else { (@($Entries | ForEach-Object { '{0} ({1})' -f "$($_.IsMandatory)".ToLowerInvariant(), $_.SetName }) -join ', ') }
    $position = if ($positions.Count -eq 1) { $positions[0] } else { (@($Entries | ForEach-Object { '{0} ({1})' -f (Get-PositionText $_.Position), $_.SetName }) -join ', ') }
    $wildcards = if ($Doc.Meta.ContainsKey('Accept wildcard characters')) { $Doc.Meta['Accept wildcard characters'] -eq 'True' } else { [bool]$Meta.SupportsWildcards }
    $default = if ($Doc.Meta.ContainsKey('Default value')) { $Doc.Meta['Default value'] }
    elseif ($requiredValues -contains $true -and $requiredValues.Count -eq 1) { 'None' }
    elseif ($null -ne $Meta.Default) { $Meta.Default }
    elseif ($Meta.Type.IsSwitch) { 'False' }
    else { 'None' }
    $isArray = $Meta.Type.ShortName.EndsWith('[]')

    $W.WriteStartElement('command', 'parameter', $NsCommand)
    $W.WriteAttributeString('required', $required)
    $W.WriteAttributeString('variableLength', "$isArray".ToLowerInvariant())
    $W.WriteAttributeString('globbing', "$wildcards".ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', (Get-PipelineText $Entries))
    $W.WriteAttributeString('position', $position)
    $W.WriteAttributeString('aliases', $(if (@($Meta.Aliases).Count) { @($Meta.Aliases) -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $NsMaml, $Meta.Name)
    # Get-Help shows descriptions from the parameters section only; the syntax stays lean without them.
    if (-not $InSyntax) { Write-Paragraphs $W $Doc.Description }
    $values = @(@($Meta.Type.EnumValues) + @($Meta.ValidateSet) | Where-Object { $_ })
    if ($InSyntax -and $values.Count) {
        $W.WriteStartElement('command', 'parameterValueGroup', $NsCommand)
        foreach ($v in $values) {
            $W.WriteStartElement('command', 'parameterValue', $NsCommand)
            $W.WriteAttributeString('required', 'false')
            $W.WriteAttributeString('command', 'variableLength', $NsCommand, 'false')
            $W.WriteString($v)
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    if (-not ($InSyntax -and $Meta.Type.IsSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $NsCommand)
        $W.WriteAttributeString('required', "$(-not $Meta.Type.IsSwitch)".ToLowerInvariant())
        $W.WriteAttributeString('variableLength', "$isArray".ToLowerInvariant())
        $W.WriteString($Meta.Type.ShortName)
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $NsDev)
    $W.WriteElementString('maml', 'name', $NsMaml, $Meta.Type.FullName)
    $W.WriteElementString('maml', 'uri', $NsMaml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $NsDev, $default)
    $W.WriteEndElement()
}

function Write-TypeList {
    param([System.Xml.XmlWriter] $W, [string] $ListName, [string] $ItemName, $Items)
    $W.WriteStartElement('command', $ListName, $NsCommand)
    foreach ($item in $Items) {
        $W.WriteStartElement('command', $ItemName, $NsCommand)
        $W.WriteStartElement('dev', 'type', $NsDev)
        $W.WriteElementString('maml', 'name', $NsMaml, $item.Type)
        $W.WriteEndElement()
        Write-Paragraphs $W $item.Description
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
}

function Write-CommandHelp {
    param([System.Xml.XmlWriter] $W, $Command, $Help)
    $W.WriteStartElement('command', 'command', $NsCommand)
    $W.WriteAttributeString('xmlns', 'maml', $null, $NsMaml)
    $W.WriteAttributeString('xmlns', 'command', $null, $NsCommand)
    $W.WriteAttributeString('xmlns', 'dev', $null, $NsDev)
    $W.WriteAttributeString('xmlns', 'MSHelp', $null, $NsMSHelp)

    $W.WriteStartElement('command', 'details', $NsCommand)
    $W.WriteElementString('command', 'name', $NsCommand, $Command.Name)
    $W.WriteElementString('command', 'verb', $NsCommand, $Command.Verb)
    $W.WriteElementString('command', 'noun', $NsCommand, $Command.Noun)
    Write-Paragraphs $W @($Help.Synopsis)
    $W.WriteEndElement()

    Write-Paragraphs $W $Help.Description

    # Syntax: one item per parameter set, default set first; positional parameters by position, then
    # mandatory ones, then the rest in declaration order.
    $metaByName = @{}
    foreach ($p in $Command.Parameters) { $metaByName[$p.Name] = $p }
    $W.WriteStartElement('command', 'syntax', $NsCommand)
    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $sets) {
        $W.WriteStartElement('command', 'syntaxItem', $NsCommand)
        $W.WriteElementString('maml', 'name', $NsMaml, $Command.Name)
        $index = 0
        $ordered = @($set.Parameters | ForEach-Object { [pscustomobject]@{ Entry = $_; Index = $index++ } } | Sort-Object `
            @{ Expression = { if ($_.Entry.Position -ge 0) { 0 } elseif ($_.Entry.IsMandatory) { 1 } else { 2 } } },
            @{ Expression = { $_.Entry.Position } },
            @{ Expression = { $_.Index } })
        foreach ($o in $ordered) {
            $entry = $o.Entry | Select-Object *, @{ n = 'SetName'; e = { $set.Name } }
            Write-Parameter $W $metaByName[$entry.Name] $Help.Parameters[$entry.Name] @($entry) -InSyntax
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    # Parameters: in the order of the Markdown, with attributes merged over the sets they belong to.
    $W.WriteStartElement('command', 'parameters', $NsCommand)
    foreach ($name in $Help.Parameters.Keys) {
        $entries = @(foreach ($set in $Command.ParameterSets) {
                foreach ($e in $set.Parameters) {
                    if ($e.Name -eq $name) { $e | Select-Object *, @{ n = 'SetName'; e = { $set.Name } } }
                }
            })
        Write-Parameter $W $metaByName[$name] $Help.Parameters[$name] $entries
    }
    $W.WriteEndElement()

    Write-TypeList $W 'inputTypes' 'inputType' $Help.Inputs
    Write-TypeList $W 'returnValues' 'returnValue' $Help.Outputs

    $W.WriteStartElement('maml', 'alertSet', $NsMaml)
    $W.WriteStartElement('maml', 'alert', $NsMaml)
    foreach ($p in $Help.Notes) { $W.WriteElementString('maml', 'para', $NsMaml, $p) }
    $W.WriteEndElement()
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $NsCommand)
    foreach ($example in $Help.Examples) {
        $W.WriteStartElement('command', 'example', $NsCommand)
        # Dashes either side, as PowerShell's own help does, to 74 columns (Get-Help indents by 4 in an 80-column
        # console); a title too long for that goes without.
        $side = [Math]::Floor((74 - $example.Title.Length - 2) / 2)
        $title = if ($side -ge 2) { '{0} {1} {0}' -f ('-' * $side), $example.Title } else { $example.Title }
        $W.WriteElementString('maml', 'title', $NsMaml, $title)
        $W.WriteElementString('dev', 'code', $NsDev, $example.Code)
        $W.WriteStartElement('dev', 'remarks', $NsDev)
        foreach ($p in $example.Remarks) { $W.WriteElementString('maml', 'para', $NsMaml, $p) }
        $W.WriteElementString('maml', 'para', $NsMaml, '')   # a blank line before the next example
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $NsCommand)
    foreach ($link in $Help.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $NsMaml)
        $W.WriteElementString('maml', 'linkText', $NsMaml, $link.Text)
        $W.WriteElementString('maml', 'uri', $NsMaml, $link.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

#endregion

#region about_ topics

function Format-Wrapped {
    param([string] $Text, [int] $Indent, [int] $HangingIndent = $Indent, [int] $Width = 80)
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    $empty = $true
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = (' ' * $HangingIndent) + $word
        }
        elseif ($empty) { $line += $word }
        else { $line += ' ' + $word }
        $empty = $false
    }
    if (-not $empty) { $lines.Add($line) }
    $lines
}

# about_ topic text: '##' headings in capitals at the margin, '###' headings indented 2, text wrapped at 80
# columns and indented 4, list items with a hanging indent, code indented 8 and left as written.
function ConvertTo-AboutText {
    param($Doc)
    $out = [System.Collections.Generic.List[string]]::new()
    if ($Doc.Title -notmatch '^about_\w+$') { throw "$($Doc.Path): the title of an about topic is '# about_Name', not '# $($Doc.Title)'." }
    $out.Add('TOPIC')
    $out.Add("    $($Doc.Title)")
    # Text starts on the line under its heading; blocks after it are separated by a blank line.
    $emit = {
        param([string[]] $Lines)
        $previous = $null
        foreach ($b in ConvertTo-Block $Lines) {
            # Consecutive list items stay together; everything else is set apart by a blank line.
            if ($previous -and -not ($previous.Kind -eq 'ListItem' -and $b.Kind -eq 'ListItem')) { $out.Add('') }
            $previous = $b
            switch ($b.Kind) {
                'Paragraph' { foreach ($l in Format-Wrapped (ConvertTo-PlainText $b.Text) 4) { $out.Add($l) } }
                'ListItem' {
                    $prefix = "$($b.Marker) "
                    foreach ($l in Format-Wrapped ($prefix + (ConvertTo-PlainText $b.Text)) 4 (4 + $prefix.Length)) { $out.Add($l) }
                }
                'Code' { foreach ($l in $b.Text -split "`n") { $out.Add(("        $l").TrimEnd()) } }
            }
        }
    }
    $names = @($Doc.Sections.Name)
    if ($names[0] -ne 'SHORT DESCRIPTION' -or $names -notcontains 'LONG DESCRIPTION') {
        throw "$($Doc.Path): an about topic starts with '## SHORT DESCRIPTION' and has a '## LONG DESCRIPTION'."
    }
    foreach ($section in $Doc.Sections) {
        $out.Add('')
        $out.Add($section.Name.ToUpperInvariant())
        & $emit $section.Lines
        foreach ($sub in $section.Subs) {
            $out.Add('')
            $out.Add('')
            $out.Add("  $(ConvertTo-PlainText $sub.Name)")
            & $emit $sub.Lines
        }
    }
    # Collapse runs of blank lines left by empty sections; end with one newline.
    $text = ($out -join "`n") -replace "`n{4,}", "`n`n`n"
    $text.TrimEnd() + "`n"
}

#endregion

$source = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($SourcePath)
$output = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
if (-not (Test-Path -LiteralPath $source -PathType Container)) { throw "The help source folder '$source' does not exist." }
if (-not $ModulePath) {
    $parent = Split-Path $output -Parent
    $candidates = @(Get-ChildItem -LiteralPath $parent -Filter *.psd1 -File -ErrorAction SilentlyContinue)
    if ($candidates.Count -ne 1) { throw "Give -ModulePath: found $($candidates.Count) module manifest(s) in '$parent', the parent of -OutputPath." }
    $ModulePath = $candidates[0].FullName
}
else { $ModulePath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ModulePath) }
if (-not (Test-Path -LiteralPath $ModulePath -PathType Leaf)) { throw "The module manifest '$ModulePath' does not exist. Build the module first." }

$metadata = Get-CommandMetadata $ModulePath
$commands = @($metadata.Commands)
if (-not $commands.Count) { throw "The module '$ModulePath' exports no commands." }

$files = @(Get-ChildItem -LiteralPath $source -Filter *.md -File | Where-Object Name -NotIn $IgnoredFiles)
$aboutFiles = @($files | Where-Object Name -Like 'about_*.md')
$commandFiles = @{}
foreach ($f in $files | Where-Object Name -NotLike 'about_*.md') {
    $name = [System.IO.Path]::GetFileNameWithoutExtension($f.Name)
    $match = @($commands | Where-Object Name -CEQ $name)
    if (-not $match.Count) { throw "$($f.FullName) documents '$name', which $($metadata.ModuleName) does not export. Exported: $($commands.Name -join ', ')." }
    $commandFiles[$name] = $f.FullName
}
$undocumented = @($commands | Where-Object { -not $commandFiles.ContainsKey($_.Name) } | ForEach-Object Name)
if ($undocumented.Count) { throw "No help source for $($undocumented -join ', '). Add $(($undocumented | ForEach-Object { "$_.md" }) -join ', ') to '$source'." }

# Read and check everything before writing anything, so a failed run leaves no half-built help.
$helps = [ordered]@{}
foreach ($command in $commands) {
    $helps[$command.Name] = Read-CommandHelp (Read-MarkdownDocument $commandFiles[$command.Name]) $command
}
$abouts = [ordered]@{}
foreach ($f in $aboutFiles) {
    $doc = Read-MarkdownDocument $f.FullName
    $abouts["$($doc.Title).help.txt"] = ConvertTo-AboutText $doc
}

New-Item -ItemType Directory -Path $output -Force | Out-Null
$written = [System.Collections.Generic.List[string]]::new()
foreach ($group in $commands | Group-Object HelpFile) {
    $helpFile = if ($group.Name) { $group.Name } else { "$([System.IO.Path]::GetFileName($metadata.RootModule))-Help.xml" }
    $path = Join-Path $output $helpFile
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $group.Group) { Write-CommandHelp $writer $command $helps[$command.Name] }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
    $null = [xml](Get-Content -LiteralPath $path -Raw)   # well-formed, or throw
    $written.Add($path)
}
foreach ($name in $abouts.Keys) {
    $path = Join-Path $output $name
    [System.IO.File]::WriteAllText($path, $abouts[$name], [System.Text.UTF8Encoding]::new($false))
    $written.Add($path)
}
Write-Host ("Help: {0} cmdlet(s), {1} about topic(s) -> {2}" -f $commands.Count, $abouts.Count, (($written | ForEach-Object { Split-Path $_ -Leaf }) -join ', '))
