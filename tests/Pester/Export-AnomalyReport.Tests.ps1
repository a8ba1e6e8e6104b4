# Export-AnomalyReport: a model trained on generated metrics scores rows with five injected anomalies, far apart;
# the report is checked as HTML, and rendered in headless Chromium, whose screenshot is decoded (PngScreenshot.cs)
# and measured: the threshold is a long horizontal line, and there is one marker blob per anomaly.
# Chromium comes from Debian's chromium package (.ci/run installs it); without it the browser test is skipped, saying so.

BeforeDiscovery {
    $chromium = @('chromium', 'chromium-browser', 'google-chrome') | ForEach-Object { Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue } |
        Select-Object -First 1
    $browserNote = if ($chromium) { '' } else { ' (skipped: no chromium on PATH; install Debian''s chromium package)' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Add-Type -Path (Join-Path $PSScriptRoot 'PngScreenshot.cs')

    $script:start = [datetime]'2026-03-02T00:00:00'
    $script:injected = @(50, 170, 290, 410, 530)          # 0-based positions: 120 minutes apart

    function New-TimedRow {
        # Metric rows, one a minute from $start; the rows at -Inject get CPU far above anything normal.
        param([int] $Count, [int] $Seed, [int[]] $Inject = @())
        $i = 0
        foreach ($row in New-MetricRow -Count $Count -Seed $Seed) {
            if ($i -in $Inject) { $row.cpu = 160 + 10 * [array]::IndexOf($Inject, $i) }
            $row | Add-Member -NotePropertyName Timestamp -NotePropertyValue $start.AddMinutes($i) -PassThru
            $i++
        }
    }

    $script:m = New-Autoencoder -HiddenLayer 6, 3 -Seed 11
    $null = New-TimedRow -Count 800 -Seed 7 | Invoke-AutoencoderTraining -Model $m -Epochs 30 -BatchSize 32 -ThreadCount 1

    # The threshold goes between the normal rows' scores and the injected rows', so exactly the injected rows are anomalies.
    $first = @(New-TimedRow -Count 600 -Seed 8 -Inject $injected | Test-Anomaly -Model $m -ThreadCount 1)
    $script:normalMax = ($first | Where-Object { [array]::IndexOf($first, $_) -notin $injected } | Measure-Object AnomalyScore -Maximum).Maximum
    $script:injectedMin = ($injected | ForEach-Object { $first[$_].AnomalyScore } | Measure-Object -Minimum).Minimum
    Set-AutoencoderThreshold -Model $m -Method Manual -Value ([math]::Sqrt($normalMax * $injectedMin))

    $script:scored = @(New-TimedRow -Count 600 -Seed 8 -Inject $injected | Test-Anomaly -Model $m -ThreadCount 1)
    # The first three rows stand for a sliding window warming up: no score yet.
    foreach ($row in $scored[0..2]) { $row.AnomalyScore = $null; $row.IsAnomaly = $false }

    $script:reportPath = Join-Path $TestDrive 'report.html'
    $script:written = $scored | Export-AnomalyReport -Model $m -Path $reportPath -TimeProperty Timestamp -Title 'web <&> "tier"' -PassThru
    $script:html = Get-Content -LiteralPath $reportPath -Raw

    function Get-Svg { param([string] $Html) [regex]::Match($Html, '<svg class="chart".*?</svg>', 'Singleline').Value }
    function Get-SummaryLine {
        param([string] $Html)
        [System.Net.WebUtility]::HtmlDecode([regex]::Match($Html, '<p class="lead" id="summary">(.*?)</p>').Groups[1].Value)
    }
}

Describe 'Export-AnomalyReport' {
    It 'scores exactly the injected rows as anomalies (test premise)' {
        $injectedMin | Should -BeGreaterThan (2 * $normalMax)
        $anomalous = @(for ($i = 0; $i -lt $scored.Count; $i++) { if ($scored[$i].IsAnomaly) { $i } })
        $anomalous | Should -Be $injected
    }

    It 'writes one HTML file and returns it with -PassThru' {
        $written | Should -BeOfType ([System.IO.FileInfo])
        $written.FullName | Should -Be $reportPath
        $html | Should -Match '^<!DOCTYPE html>\s*<html lang="en">'
        $html.TrimEnd() | Should -Match '</html>$'
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '*.tmp' -Force) | Should -HaveCount 0
    }

    It 'has the escaped title and a summary with the counts, threshold and time range' {
        $html | Should -Match '<title>web &lt;&amp;&gt; &quot;tier&quot;</title>'
        $html | Should -Match '<h1>web &lt;&amp;&gt; &quot;tier&quot;</h1>'
        $threshold = $m.Threshold.ToString('G4', [cultureinfo]::InvariantCulture)
        Get-SummaryLine $html | Should -BeExactly ("600 rows (597 scored, 3 warming up with no score yet): 5 anomalies above the threshold $threshold, " +
            'from 2026-03-02 00:00 to 2026-03-02 09:59.')
    }

    It 'charts the score line, the threshold and one marker per anomaly at its time' {
        $svg = Get-Svg $html
        $svg | Should -Not -BeNullOrEmpty
        $svg | Should -Match '<polyline class="score"'
        $svg | Should -Match '<line class="threshold"[^>]*stroke="#d1002f"'
        $titles = @([regex]::Matches($svg, '<circle class="anomaly"[^>]*><title>([^<]*)</title>') | ForEach-Object { $_.Groups[1].Value })
        $titles | Should -HaveCount 5
        for ($k = 0; $k -lt 5; $k++) {
            $when = $start.AddMinutes($injected[$k]).ToString('yyyy-MM-dd HH:mm')
            $titles[$k] | Should -Match ('^' + [regex]::Escape("$when, row $($injected[$k] + 1): score "))
        }
        # Date labels on the time axis, and its title.
        $svg | Should -Match '>2026-03-02</text>'
        $svg | Should -Match '>Time</text>'
    }

    It 'lists the anomalous rows with time, score and top features, observed against expected' {
        $rows = @([regex]::Matches($html, '<tr class="anomaly">.*?</tr>') | ForEach-Object Value)
        $rows | Should -HaveCount 5
        for ($k = 0; $k -lt 5; $k++) {
            $row = $scored[$injected[$k]]
            $rows[$k] | Should -Match ('<td class="time">' + $row.Timestamp.ToString('yyyy-MM-dd HH:mm') + '</td><td class="num">' + ($injected[$k] + 1) + '</td>')
            $rows[$k] | Should -Match ('<td class="num">' + [regex]::Escape($row.AnomalyScore.ToString('G4', [cultureinfo]::InvariantCulture)) + '</td>')
            $top = $row.AnomalyContributions[0]
            $observed = [AutoencoderPS.Engine.Modeling.FeatureContribution]::Format($top.Observed, [cultureinfo]::InvariantCulture)
            $expected = [AutoencoderPS.Engine.Modeling.FeatureContribution]::Format($top.Expected, [cultureinfo]::InvariantCulture)
            $rows[$k] | Should -Match ('<span class="feature">' + $top.Feature + '</span> <span class="observed">' + [regex]::Escape($observed) +
                '</span> <span class="expected">\(expected ' + [regex]::Escape($expected) + '\)</span>')
        }
        $html | Should -Match 'All 5 anomalous rows, in time order\.'
    }

    It 'summarises the model: features, layers, threshold rule and versions' {
        $html | Should -Match '<h2>Model</h2>'
        $html | Should -Match '<dt>Features \(4\)</dt><dd>Host \(Categorical\), cpu, mem, disk</dd>'
        $html | Should -Match ('<dt>Layers</dt><dd>' + [regex]::Escape($m.Layers))
        $html | Should -Match '<dt>Threshold</dt><dd>[^<]*\(set by hand to '
        $html | Should -Match '<dt>Training</dt><dd>800 rows, 30 epochs'
        $html | Should -Match '<dt>Versions</dt><dd>AutoencoderPS \d+\.\d+\.\d+, TorchSharp [\d.]+, libtorch [\d.]+'
    }

    It 'loads and runs nothing: no scripts, no links, no network references' {
        $html | Should -Not -Match '<script'
        $html | Should -Not -Match 'https?://'
        $html | Should -Not -Match '\s(src|href)\s*=|url\(|@import|<link'
        $html | Should -Match "Content-Security-Policy"
    }

    It 'uses the row number as x axis without -TimeProperty' {
        $path = Join-Path $TestDrive 'rows.html'
        $scored | Export-AnomalyReport -Model $m -Path $path
        $page = Get-Content -LiteralPath $path -Raw
        $svg = Get-Svg $page
        $svg | Should -Match '>Row</text>'
        $titles = @([regex]::Matches($svg, '<circle class="anomaly"[^>]*><title>([^<]*)</title>') | ForEach-Object { $_.Groups[1].Value })
        $titles | Should -Be @($injected | ForEach-Object { "row $($_ + 1): score " + $scored[$_].AnomalyScore.ToString('G4', [cultureinfo]::InvariantCulture) })
        $page | Should -Match '<title>Anomaly report</title>'
        Get-SummaryLine $page | Should -Match ', rows 1 to 600\.$'
    }

    It 'says nothing of alerts for a row model, whose rows have none' {
        $html | Should -Not -Match '(?i)alert'
        $html | Should -Not -Match ([AutoencoderPS.Engine.Reporting.ScoreChart]::AlertColor)
    }

    It 'cuts the table at -MaxTableRows, keeping the highest scores, but marks every anomaly' {
        $path = Join-Path $TestDrive 'short.html'
        $scored | Export-AnomalyReport -Model $m -Path $path -TimeProperty Timestamp -MaxTableRows 2
        $page = Get-Content -LiteralPath $path -Raw
        @([regex]::Matches((Get-Svg $page), '<circle class="anomaly"')) | Should -HaveCount 5
        $top2 = @($injected | Sort-Object { $scored[$_].AnomalyScore } -Descending | Select-Object -First 2 | Sort-Object)
        $rowNumbers = @([regex]::Matches($page, '<tr class="anomaly"><td class="time">[^<]*</td><td class="num">(\d+)</td>') | ForEach-Object { [int]$_.Groups[1].Value })
        $rowNumbers | Should -Be @($top2 | ForEach-Object { $_ + 1 })
        $page | Should -Match '3 more anomalous rows are left out \(-MaxTableRows 2\)'
    }

    It 'names a row that is not scored, and reports the others' {
        $path = Join-Path $TestDrive 'unscored.html'
        $rows = @($scored[10..19]) + @([pscustomobject]@{ Timestamp = $start; cpu = 1 }) + @($scored[20..29])
        $errors = $null
        $rows | Export-AnomalyReport -Model $m -Path $path -TimeProperty Timestamp -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'RowNotScored,AutoencoderPS.Commands.ExportAnomalyReportCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject.cpu | Should -Be 1
        "$($errors[0])" | Should -Match '^Row 11 has no AnomalyScore property: it is not scored\. Pipe the rows through Test-Anomaly first\.$'
        Get-SummaryLine (Get-Content -LiteralPath $path -Raw) | Should -Match '^21 rows \(20 scored, 1 rejected as unreadable and left out\): 0 anomalies'
    }

    It 'names a row whose time cannot be read, and reports the others' {
        $path = Join-Path $TestDrive 'badtime.html'
        $bad = $scored[300].PSObject.Copy()
        $bad.Timestamp = 'soon <b>'
        $rows = @($scored[280..299]) + @($bad) + @($scored[301..310])
        $errors = $null
        $rows | Export-AnomalyReport -Model $m -Path $path -TimeProperty Timestamp -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidTimestampValue,AutoencoderPS.Commands.ExportAnomalyReportCommand'
        "$($errors[0])" | Should -BeLike "Row 21: column 'Timestamp' value 'soon <b>' is not a date and time; the times read are ISO 8601 (*)*, web server log times (30/Nov/2026:10:00:00 +0000), Kibana's (Nov 30, 2026 @ 10:00:00.000) and asctime (Mon Nov 30 10:00:00 2026)."
        $page = Get-Content -LiteralPath $path -Raw
        Get-SummaryLine $page | Should -Match '^31 rows \(30 scored, 1 rejected [^()]*\): 1 anomaly above'
        @([regex]::Matches((Get-Svg $page), '<circle class="anomaly"')) | Should -HaveCount 1
    }

    It 'writes nothing and says so when no row is scored' {
        $path = Join-Path $TestDrive 'none.html'
        { New-MetricRow -Count 3 | Export-AnomalyReport -Model $m -Path $path -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'NoScoredRows,AutoencoderPS.Commands.ExportAnomalyReportCommand'
        $path | Should -Not -Exist
    }

    It 'keeps an existing file with -NoClobber and writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'existing.html'
        Set-Content -LiteralPath $path -Value 'old'
        { $scored | Export-AnomalyReport -Model $m -Path $path -NoClobber } |
            Should -Throw -ErrorId 'ReportFileExists,AutoencoderPS.Commands.ExportAnomalyReportCommand'
        $scored | Export-AnomalyReport -Model $m -Path $path -WhatIf
        (Get-Content -LiteralPath $path -Raw).Trim() | Should -Be 'old'
        $scored | Export-AnomalyReport -Model $m -Path $path
        Get-Content -LiteralPath $path -Raw | Should -Match '^<!DOCTYPE html>'
    }

    It 'replaces a read-only file only with -Force (OutputFileReadOnly), as Export-Csv does' {
        $path = Join-Path $TestDrive 'read-only.html'
        Set-Content -LiteralPath $path -Value 'old'
        Set-ItemProperty -LiteralPath $path -Name IsReadOnly -Value $true
        try {
            { $scored | Export-AnomalyReport -Model $m -Path $path } |
                Should -Throw -ErrorId 'OutputFileReadOnly,AutoencoderPS.Commands.ExportAnomalyReportCommand'
            (Get-Content -LiteralPath $path -Raw).Trim() | Should -Be 'old'
            $scored | Export-AnomalyReport -Model $m -Path $path -Force
            Get-Content -LiteralPath $path -Raw | Should -Match '^<!DOCTYPE html>'
        }
        finally { Set-ItemProperty -LiteralPath $path -Name IsReadOnly -Value $false }
    }

    It 'refuses an untrained model and a missing folder' {
        { $scored | Export-AnomalyReport -Model (New-Autoencoder) -Path (Join-Path $TestDrive 'x.html') } |
            Should -Throw -ErrorId 'ModelNotTrained,AutoencoderPS.Commands.ExportAnomalyReportCommand'
        { $scored | Export-AnomalyReport -Model $m -Path (Join-Path $TestDrive 'no/such/folder/x.html') } |
            Should -Throw -ErrorId 'ReportFolderNotFound,AutoencoderPS.Commands.ExportAnomalyReportCommand'
    }

    It 'reads rows back from a scored CSV file (text values, explanation instead of contributions)' {
        $csv = Join-Path $TestDrive 'metrics.csv'
        $scoredCsv = Join-Path $TestDrive 'scored.csv'
        New-TimedRow -Count 600 -Seed 8 -Inject $injected | Select-Object Timestamp, Host, cpu, mem, disk |
            ForEach-Object { $_.Timestamp = $_.Timestamp.ToString('s'); $_ } | Export-Csv -LiteralPath $csv
        Test-Anomaly -Model $m -Path $csv -OutputPath $scoredCsv -ThreadCount 1
        $path = Join-Path $TestDrive 'fromcsv.html'
        Import-Csv -LiteralPath $scoredCsv | Export-AnomalyReport -Model $m -Path $path -TimeProperty Timestamp
        $page = Get-Content -LiteralPath $path -Raw
        Get-SummaryLine $page | Should -Match '^600 rows: 5 anomalies above the threshold .*, from 2026-03-02 00:00 to 2026-03-02 09:59\.$'
        $rows = @([regex]::Matches($page, '<tr class="anomaly">.*?</tr>') | ForEach-Object Value)
        $rows | Should -HaveCount 5
        $rows[0] | Should -Match '<td>cpu 160 \(expected [^)]*\); '
    }

    It 'reads rows back from a file scored with -Culture de-DE, decimal commas and all, and hints at -Culture for a number it can''t read' {
        # Every row was rejected ("AnomalyScore '0,0024...' is not a number") and no report was written, with no word of
        # the decimal comma; the help says rows from Test-Anomaly -OutputPath, then Import-Csv, work.
        $csv = Join-Path $TestDrive 'metrics-de.csv'
        $scoredCsv = Join-Path $TestDrive 'scored-de.csv'
        $de = [cultureinfo]'de-DE'
        New-TimedRow -Count 600 -Seed 8 -Inject $injected | ForEach-Object {
            [pscustomobject]@{ Timestamp = $_.Timestamp.ToString('s'); Host = $_.Host; cpu = ([double]$_.cpu).ToString($de); mem = ([double]$_.mem).ToString($de); disk = ([double]$_.disk).ToString($de) }
        } | Export-Csv -LiteralPath $csv -Delimiter ';'
        Test-Anomaly -Model $m -Path $csv -Culture de-DE -OutputPath $scoredCsv -ThreadCount 1
        $rows = @(Import-Csv -LiteralPath $scoredCsv -Delimiter ';')
        @($rows.AnomalyScore | Where-Object { $_ -like '*,*' }).Count | Should -BeGreaterThan 500 -Because 'the premise: de-DE scores have decimal commas'
        $path = Join-Path $TestDrive 'fromcsv-de.html'
        $errs = $null
        $rows | Export-AnomalyReport -Model $m -Path $path -TimeProperty Timestamp -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 0
        Get-SummaryLine (Get-Content -LiteralPath $path -Raw) | Should -Match '^600 rows: 5 anomalies above the threshold '
        $rows | Export-AnomalyReport -Model $m -Path (Join-Path $TestDrive 'fromcsv-de2.html') -Culture de-DE -TimeProperty Timestamp -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 0
        $bad = [pscustomobject]@{ AnomalyScore = '1.234,5'; IsAnomaly = 'False' }
        try { $bad | Export-AnomalyReport -Model $m -Path (Join-Path $TestDrive 'bad.html') -ErrorVariable errs -ErrorAction SilentlyContinue } catch { }
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAnomalyScore,*'
        "$($errs[0])" | Should -BeLike '*1.234,5*not a number*'
    }

    It 'says nothing of another model for rows its own model scored, piped or read back from a CSV file' {
        # scored.csv: written by the test above.
        $warnings = $null
        $scored | Export-AnomalyReport -Model $m -Path (Join-Path $TestDrive 'same.html') -WarningVariable warnings
        $warnings | Should -HaveCount 0
        Import-Csv -LiteralPath (Join-Path $TestDrive 'scored.csv') | Export-AnomalyReport -Model $m -Path (Join-Path $TestDrive 'same-csv.html') -WarningVariable warnings
        $warnings | Should -HaveCount 0
        $html | Should -Match '<th>× threshold</th>'
        $html | Should -Not -Match 'id="model-note"'
    }

    It 'says when the rows were judged at another threshold than this model''s, and calls nothing "above" it' {
        # The model file replaced by a retrained one: here the same network at a threshold between two anomalies' scores,
        # so that the rows flagged at the old threshold with the lower scores lie at or below the new one.
        $file = Join-Path $TestDrive 'retrained.aemodel'
        Export-Autoencoder -Model $m -Path $file
        $retrained = Import-Autoencoder -Path $file
        $byScore = @($injected | ForEach-Object { $scored[$_].AnomalyScore } | Sort-Object)
        Set-AutoencoderThreshold -Model $retrained -Method Manual -Value (($byScore[2] + $byScore[3]) / 2)
        $path = Join-Path $TestDrive 'retrained.html'
        $warnings = $null
        $scored | Export-AnomalyReport -Model $retrained -Path $path -TimeProperty Timestamp -WarningVariable warnings -WarningAction SilentlyContinue
        $threshold = $retrained.Threshold.ToString('G4', [cultureinfo]::InvariantCulture)
        $first = 1 + ($injected | Where-Object { $scored[$_].AnomalyScore -le $retrained.Threshold } | Select-Object -First 1)
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match ('^3 of the 600 rows were not scored by this model at its threshold ' + [regex]::Escape($threshold) +
            ': 3 anomalies score at or below it \(row ' + $first + ': score ')
        $page = Get-Content -LiteralPath $path -Raw
        $summary = Get-SummaryLine $page
        $summary | Should -Not -Match 'above the threshold'
        $summary | Should -Match ('^600 rows \(597 scored, 3 warming up with no score yet\): 5 anomalies as flagged when the rows were scored; ' +
            '3 rows were not scored by this model at its threshold ' + [regex]::Escape($threshold) + ', ')
        $page | Should -Not -Match '× threshold'
        $page | Should -Match '<p class="muted" id="model-note">3 of the 600 rows were not scored by this model'
        $page | Should -Match ">this model's threshold $([regex]::Escape($threshold))</text>"
    }

    It 'says when the rows are explained by features this model does not have, piped or read back from a CSV file' {
        $other = New-Autoencoder -Feature mem, disk -HiddenLayer 2 -Seed 3
        $null = New-MetricRow -Count 200 -Seed 7 | Invoke-AutoencoderTraining -Model $other -Epochs 2 -ThreadCount 1
        foreach ($rows in @($scored), @(Import-Csv -LiteralPath (Join-Path $TestDrive 'scored.csv'))) {
            $warnings = $null
            $rows | Export-AnomalyReport -Model $other -Path (Join-Path $TestDrive 'fewer.html') -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -Match 'anomalies are explained by features it does not have \([^)]*\bcpu\b[^)]*\)'
            Get-SummaryLine (Get-Content -LiteralPath (Join-Path $TestDrive 'fewer.html') -Raw) | Should -Not -Match 'above the threshold'
        }
    }
}

Describe 'Export-AnomalyReport of a sliding-window model, with alerts' {
    BeforeAll {
        function New-HostSeries {
            # One row every 5 minutes for two hosts: a cycle of 48 rows with seeded noise; host b gets a spike at -SpikeAt
            # and host a one 60 rows later.
            param([int] $Count, [int] $Seed, [int] $SpikeAt = -1)
            $random = [System.Random]::new($Seed)
            for ($i = 0; $i -lt $Count; $i++) {
                foreach ($name in 'a', 'b') {
                    $v = 40 + 10 * [math]::Sin(2 * [math]::PI * $i / 48) + 1.5 * $random.NextDouble()
                    $at = if ($name -eq 'b') { $SpikeAt } else { $SpikeAt + 60 }
                    if ($SpikeAt -ge 0 -and $i -ge $at -and $i -lt $at + 3) { $v += 40 }
                    [pscustomobject][ordered]@{ Time = $start.AddMinutes(5 * $i); Server = $name; Cpu = $v }
                }
            }
        }
        $script:wm = New-Autoencoder -HiddenLayer 16, 4 -WindowSize 12 -TimeProperty Time -GroupBy Server -Seed 7 -OutputActivation Linear
        $null = New-HostSeries -Count 400 -Seed 1 | Invoke-AutoencoderTraining -Model $wm -Epochs 15 -Scaling Robust -ThreadCount 1
        $script:windowRows = @(New-HostSeries -Count 450 -Seed 2 -SpikeAt 350 | Test-Anomaly -Model $wm -ThreadCount 1)
        $script:alertRows = @($windowRows | Where-Object IsAlert)
        $script:windowPath = Join-Path $TestDrive 'window.html'
        $script:windowWarnings = $null
        $windowRows | Export-AnomalyReport -Model $wm -Path $windowPath -TimeProperty Time -WarningVariable script:windowWarnings
        $script:windowHtml = Get-Content -LiteralPath $windowPath -Raw

        function Get-AlertTableRow {
            param([string] $Html)
            @([regex]::Matches($Html, '<tr class="alert">(.*?)</tr>') | ForEach-Object {
                $cells = @([regex]::Matches($_.Groups[1].Value, '<td[^>]*>(.*?)</td>') | ForEach-Object { $_.Groups[1].Value -replace '<[^>]+>', '' })
                [pscustomobject]@{ Time = $cells[0]; Row = [int]$cells[1]; Group = $cells[2]; Score = $cells[3]; Probability = $cells[4]; TopFeature = $cells[5] }
            })
        }
    }

    It 'has alerts to show: one per spike, each an anomalous row with a probability (test premise)' {
        $alertRows | Should -HaveCount 2
        @($alertRows.Server) | Should -Be @('b', 'a')
        foreach ($row in $alertRows) { $row.IsAnomaly | Should -BeTrue; $row.AnomalyProbability | Should -BeOfType ([double]) }
    }

    It 'says nothing of another model: the window model''s verdicts are not its raw threshold''s' {
        $windowWarnings | Should -HaveCount 0
        $windowHtml | Should -Not -Match 'id="model-note"'
    }

    It 'counts the alerts in the summary and a card' {
        Get-SummaryLine $windowHtml | Should -Match ', 2 alerts, from 2026-03-02 00:00 to '
        $windowHtml | Should -Match '<div class="card" id="card-alerts"><div class="label">Alerts</div><div class="value bad">2</div>'
    }

    It 'marks each alert on the chart, apart from the anomaly markers, at its time' {
        $svg = Get-Svg $windowHtml
        $marks = @([regex]::Matches($svg, '<path class="alert" [^>]*><title>Alert at ([^,]+), row (\d+):'))
        $marks | Should -HaveCount 2
        @($marks | ForEach-Object { $_.Groups[1].Value }) | Should -Be @($alertRows | ForEach-Object { $_.Time.ToString('yyyy-MM-dd HH:mm') })
        @([regex]::Matches($svg, '<circle class="anomaly"')).Count | Should -Be @($windowRows | Where-Object IsAnomaly).Count
        $svg | Should -Match '>alert \(2\)</text>'
    }

    It 'lists the alerts (time, group, score, probability, top feature) ahead of the anomalous rows' {
        $windowHtml.IndexOf('<h2>Alerts</h2>') | Should -BeLessThan $windowHtml.IndexOf('<h2>Anomalous rows</h2>')
        $windowHtml.IndexOf('<h2>Alerts</h2>') | Should -BeGreaterThan 0
        $table = Get-AlertTableRow $windowHtml
        $table | Should -HaveCount 2
        for ($i = 0; $i -lt 2; $i++) {
            $expected = $alertRows[$i]
            $table[$i].Time | Should -Be $expected.Time.ToString('yyyy-MM-dd HH:mm')
            $table[$i].Row | Should -Be ([array]::IndexOf($windowRows, $expected) + 1)
            $table[$i].Group | Should -Be $expected.Server
            $table[$i].Score | Should -Be $expected.AnomalyScore.ToString('G4', [cultureinfo]::InvariantCulture)
            $table[$i].Probability | Should -Be $expected.AnomalyProbability.ToString('G5', [cultureinfo]::InvariantCulture)
            $table[$i].TopFeature | Should -Be $expected.AnomalyTopFeature
        }
    }

    It 'shows the same alerts from the scored CSV file (text IsAlert and AnomalyProbability)' {
        $csv = Join-Path $TestDrive 'hosts.csv'
        $scoredCsv = Join-Path $TestDrive 'hosts-scored.csv'
        New-HostSeries -Count 450 -Seed 2 -SpikeAt 350 | ForEach-Object { $_.Time = $_.Time.ToString('s'); $_ } | Export-Csv -LiteralPath $csv
        Test-Anomaly -Model $wm -Path $csv -OutputPath $scoredCsv -ThreadCount 1
        $path = Join-Path $TestDrive 'hosts.html'
        Import-Csv -LiteralPath $scoredCsv | Export-AnomalyReport -Model $wm -Path $path -TimeProperty Time
        $page = Get-Content -LiteralPath $path -Raw
        $fromCsv = Get-AlertTableRow $page
        $piped = Get-AlertTableRow $windowHtml
        @($fromCsv | ForEach-Object { "$($_.Time) $($_.Row) $($_.Group) $($_.TopFeature)" }) |
            Should -Be @($piped | ForEach-Object { "$($_.Time) $($_.Row) $($_.Group) $($_.TopFeature)" })
        # Probabilities come back from text at the precision the file keeps.
        for ($i = 0; $i -lt $piped.Count; $i++) { [double]$fromCsv[$i].Probability | Should -BeGreaterOrEqual 0.99 }
    }

    It 'names a row whose IsAlert is not true or false, and reports the others' {
        $rows = @($windowRows[300..319] | ForEach-Object { $_.PSObject.Copy() })
        $rows[5].IsAlert = 'maybe'
        $path = Join-Path $TestDrive 'badalert.html'
        $errors = $null
        $rows | Export-AnomalyReport -Model $wm -Path $path -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidIsAlert,AutoencoderPS.Commands.ExportAnomalyReportCommand'
        "$($errors[0])" | Should -BeExactly "Row 6: IsAlert 'maybe' is not true or false."
        Get-SummaryLine (Get-Content -LiteralPath $path -Raw) | Should -Match '^20 rows \(19 scored, 1 rejected [^()]*\): '
    }
}

Describe 'Export-AnomalyReport in a real browser' {
    BeforeAll {
        $script:browser = @('chromium', 'chromium-browser', 'google-chrome') |
            ForEach-Object { Get-Command $_ -CommandType Application -ErrorAction SilentlyContinue } | Select-Object -First 1
        $script:shot = Join-Path $TestDrive 'report.png'
        if ($browser) {
            # Headless Chromium renders the report file and saves a screenshot. As root it needs --no-sandbox; its D-Bus
            # complaints on stderr are harmless. A profile folder of its own keeps parallel runs apart.
            $arguments = @(
                '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1',
                '--window-size=1200,1000', "--user-data-dir=$(Join-Path $TestDrive 'chromium-profile')",
                "--screenshot=$shot", [System.Uri]::new($reportPath).AbsoluteUri
            )
            $info = [System.Diagnostics.ProcessStartInfo]::new($browser.Source)
            foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardError = $true
            $info.RedirectStandardOutput = $true
            $process = [System.Diagnostics.Process]::Start($info)
            $stderr = $process.StandardError.ReadToEndAsync()
            $null = $process.StandardOutput.ReadToEndAsync()
            if (-not $process.WaitForExit(120000)) {
                $process.Kill($true)
                throw "Chromium did not finish the screenshot within 120 s."
            }
            if (-not (Test-Path -LiteralPath $shot)) { throw "Chromium wrote no screenshot (exit code $($process.ExitCode)): $($stderr.Result)" }
            if ($env:AUTOENCODERPS_KEEP_SCREENSHOT) { Copy-Item -LiteralPath $shot -Destination $env:AUTOENCODERPS_KEEP_SCREENSHOT -Force }
            $script:image = [AutoencoderPS.TestSupport.PngImage]::Load($shot)
            $script:thresholdColor = [AutoencoderPS.TestSupport.PixelAnalysis]::ParseColor([AutoencoderPS.Engine.Reporting.ScoreChart]::ThresholdColor)
            $script:markerColor = [AutoencoderPS.TestSupport.PixelAnalysis]::ParseColor([AutoencoderPS.Engine.Reporting.ScoreChart]::MarkerColor)
        }
    }

    It "renders the chart: the threshold is a long horizontal line$browserNote" -Skip:(-not $chromium) {
        $image.Width | Should -Be 1200
        $run = [AutoencoderPS.TestSupport.PixelAnalysis]::LongestHorizontalRun($image, $thresholdColor, 0)
        # The plot is about 950 px wide here; the markers above the line may interrupt it, and the line is 2 px thick.
        $run.Length | Should -BeGreaterThan 400
        $row = 0
        for ($x = 0; $x -lt $image.Width; $x++) { if ($image.Rgb($x, $run.Y) -eq $thresholdColor) { $row++ } }
        $row | Should -BeGreaterThan 850
        $run.Y | Should -BeGreaterThan 200 -Because 'the chart lies below the title and summary'
    }

    It "draws one separate marker per anomaly, in time order and evenly spaced like the anomalies$browserNote" -Skip:(-not $chromium) {
        $blobs = @([AutoencoderPS.TestSupport.PixelAnalysis]::Blobs($image, $markerColor, 10, 0))
        # The legend's sample marker sits above the plot; the others are the anomalies.
        $legend = $blobs | Sort-Object Top | Select-Object -First 1
        $markers = @($blobs | Where-Object { $_ -ne $legend } | Sort-Object CenterX)
        $markers | Should -HaveCount 5
        $markers | ForEach-Object { $_.Top | Should -BeGreaterThan $legend.Bottom }
        # The anomalies are 120 minutes apart: so are the markers' centres, within a pixel or two.
        $gaps = @(for ($k = 1; $k -lt 5; $k++) { $markers[$k].CenterX - $markers[$k - 1].CenterX })
        $gaps | ForEach-Object { $_ | Should -BeGreaterThan 100 }
        ($gaps | Measure-Object -Maximum).Maximum - ($gaps | Measure-Object -Minimum).Minimum | Should -BeLessOrEqual 3
        # Every marker lies above the threshold line (smaller y), as every anomaly's score is above the threshold.
        $run = [AutoencoderPS.TestSupport.PixelAnalysis]::LongestHorizontalRun($image, $thresholdColor, 0)
        $markers | ForEach-Object { $_.CenterY | Should -BeLessThan $run.Y }
    }
}
