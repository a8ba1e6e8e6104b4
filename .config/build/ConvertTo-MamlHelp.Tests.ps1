# The help converter, on a module made here: one function and one markdown file. The module's own help is
# checked end to end by tests/Pester/Help.Tests.ps1; this file checks the converter's rules on their own.
BeforeAll {
    $script:converter = Join-Path $PSScriptRoot 'ConvertTo-MamlHelp.ps1'

    function New-HelpFixture {
        param([string] $Markdown, [string] $About)
        $root = Join-Path ([IO.Path]::GetTempPath()) ('maml-' + [guid]::NewGuid().ToString('N'))
        $module = Join-Path $root 'Widget'
        $source = Join-Path $root 'help'
        New-Item -ItemType Directory -Path $module, $source | Out-Null
        Set-Content -Path (Join-Path $module 'Widget.psm1') -Value @'
function Get-Widget {
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [ValidateSet('Small', 'Large')] [string] $Size = 'Small'
    )
    "$Name ($Size)"
}
Export-ModuleMember -Function Get-Widget
'@
        New-ModuleManifest -Path (Join-Path $module 'Widget.psd1') -RootModule 'Widget.psm1' -FunctionsToExport 'Get-Widget' -ModuleVersion '1.0.0'
        Set-Content -Path (Join-Path $source 'Get-Widget.md') -Value $Markdown
        if ($About) { Set-Content -Path (Join-Path $source 'about_Widget.md') -Value $About }
        [pscustomobject]@{ Root = $root; Source = $source; Output = Join-Path $module 'en-US'; Manifest = Join-Path $module 'Widget.psd1' }
    }

    $script:goodMarkdown = @'
# Get-Widget

## SYNOPSIS
Gets one widget by its name, in the size asked for.

## DESCRIPTION
The Get-Widget function returns a line that names the widget and its size.

## EXAMPLES

### Example 1: A large widget
```powershell
Get-Widget -Name gear -Size Large
```

Returns "gear (Large)".

## PARAMETERS

### -Name
The widget's name.

### -Size
How big the widget is.

```yaml
Default value: Small
Accept wildcard characters: False
```

## INPUTS

### None
Nothing can be piped in.

## OUTPUTS

### System.String
One line per widget.
'@
}

Describe 'ConvertTo-MamlHelp' {
    AfterEach { if ($fixture) { Remove-Item $fixture.Root -Recurse -Force -ErrorAction SilentlyContinue } }

    It 'writes MAML whose syntax and parameters come from the code and whose prose comes from the markdown' {
        $script:fixture = New-HelpFixture -Markdown $goodMarkdown -About "# about_Widget`n`n## SHORT DESCRIPTION`nWidgets.`n`n## LONG DESCRIPTION`nAll about widgets.`n"
        & $converter -SourcePath $fixture.Source -OutputPath $fixture.Output -ModulePath $fixture.Manifest
        $maml = Get-ChildItem $fixture.Output -Filter '*-Help.xml' | Select-Object -First 1
        $maml | Should -Not -BeNullOrEmpty
        [xml] $doc = Get-Content $maml.FullName -Raw
        $ns = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $doc.SelectSingleNode('//command:details/command:name', $ns).InnerText | Should -Be 'Get-Widget'
        $doc.SelectSingleNode('//command:details/maml:description', $ns).InnerText | Should -Match 'Gets one widget'
        $names = @($doc.SelectNodes('//command:parameters/command:parameter/maml:name', $ns) | ForEach-Object InnerText)
        $names | Should -Be @('Name', 'Size')
        $name = $doc.SelectSingleNode("//command:parameters/command:parameter[maml:name='Name']", $ns)
        $name.GetAttribute('required') | Should -Be 'true'
        $name.GetAttribute('position') | Should -Be '0'
        Get-ChildItem $fixture.Output -Filter 'about_Widget.help.txt' | Should -Not -BeNullOrEmpty
    }

    It 'keeps code as written: indented code blocks (in list items too) line for line, code spans verbatim' {
        $about = @'
# about_Widget

## SHORT DESCRIPTION
Widgets.

## LONG DESCRIPTION
Filter with `Where-Object { $_.Size -eq $_.Max }`, or `*_x_*`, or read `\\server\share\*`; outside code, *this* is plain.

- A pivot, one way:

      $rows | ForEach-Object {
          $row = [ordered]@{ time = $_.Group[0].time; host = $_.Group[0].host }

          $row['**x**'] = 2 * 3 * $_.Count   # a \* comment
      }

- The next item.

Top level:

    Get-Widget | ForEach-Object { $_.Name }
'@
        $markdown = $goodMarkdown.Replace('How big the widget is.', "How big the widget is, as ``Get-Widget | % { `$_.Size + `$_.Name }`` shows:`n`n    `$_.Size`n    `$_.Name")
        $script:fixture = New-HelpFixture -Markdown $markdown -About $about
        & $converter -SourcePath $fixture.Source -OutputPath $fixture.Output -ModulePath $fixture.Manifest
        $text = Get-Content -LiteralPath (Join-Path $fixture.Output 'about_Widget.help.txt') -Raw
        $lines = @($text -split '\n')
        $prose = $text -replace '\s+', ' '   # wrapped at 80 columns
        $prose | Should -Match ([regex]::Escape('Filter with Where-Object { $_.Size -eq $_.Max }, or *_x_*, or read \\server\share\*; outside code, this is plain.'))
        $start = [array]::IndexOf($lines, '        $rows | ForEach-Object {')
        $start | Should -BeGreaterOrEqual 0
        $lines[$start..($start + 4)] | Should -Be @(
            '        $rows | ForEach-Object {'
            '            $row = [ordered]@{ time = $_.Group[0].time; host = $_.Group[0].host }'
            ''
            '            $row[''**x**''] = 2 * 3 * $_.Count   # a \* comment'
            '        }')
        $lines[$start + 5] | Should -Be ''
        $lines[$start + 6] | Should -Be '    - The next item.'
        $lines | Should -Contain '        Get-Widget | ForEach-Object { $_.Name }'

        [xml] $maml = Get-Content (Get-ChildItem $fixture.Output -Filter '*-Help.xml' | Select-Object -First 1).FullName -Raw
        $paras = @($maml.GetElementsByTagName('para', 'http://schemas.microsoft.com/maml/2004/10') | ForEach-Object InnerText)
        $paras | Should -Contain 'How big the widget is, as Get-Widget | % { $_.Size + $_.Name } shows:'
        $paras | Should -Contain "`$_.Size`n`$_.Name"
    }

    It 'fails, naming the file, when a parameter of the code has no section' {
        $script:fixture = New-HelpFixture -Markdown ($goodMarkdown -replace '(?s)### -Size.*?(?=## INPUTS)', '')
        { & $converter -SourcePath $fixture.Source -OutputPath $fixture.Output -ModulePath $fixture.Manifest } |
            Should -Throw -ExpectedMessage '*Get-Widget.md*Size*'
    }

    It 'fails when a section documents a parameter the code does not have' {
        $script:fixture = New-HelpFixture -Markdown ($goodMarkdown -replace '### -Size', "### -Colour`nA colour.`n`n### -Size")
        { & $converter -SourcePath $fixture.Source -OutputPath $fixture.Output -ModulePath $fixture.Manifest } |
            Should -Throw -ExpectedMessage '*Colour*'
    }

    It 'fails when the outputs do not name the [OutputType] of the code' {
        $script:fixture = New-HelpFixture -Markdown ($goodMarkdown -replace '### System.String', '### System.Int32')
        { & $converter -SourcePath $fixture.Source -OutputPath $fixture.Output -ModulePath $fixture.Manifest } |
            Should -Throw -ExpectedMessage '*String*'
    }
}
