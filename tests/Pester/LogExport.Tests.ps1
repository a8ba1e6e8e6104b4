# Issue 14: a structured log export as real systems write it (LineId,Label,Timestamp,Date,Node,Time,Level,Component,
# Content,EventId,EventTemplate; Timestamp in epoch seconds), generated in code. The row counter, the epoch seconds and
# the label must not become features; the share of normal rows flagged must be what the threshold rule says.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-StructuredLog {
        <#
        .SYNOPSIS
            Seeded rows of a structured log export, as Import-Csv gives them (all text).
        .DESCRIPTION
            Normal rows: INFO or WARNING events of a few kinds from KERNEL and APP on 12 nodes. Every 50th row is an
            incident: a FATAL event of a kind normal rows never have, from MMCS, labelled 'KERNDTLB' (normal rows: '-').
        #>
        param([int] $Count = 2000, [int] $Seed = 5)
        $random = [System.Random]::new($Seed)
        $utc = [datetime]::new(2005, 6, 3, 15, 42, 50, [System.DateTimeKind]::Utc)
        $epoch = [long]1117813370
        $normal = @(
            @{ Level = 'INFO'; Component = 'KERNEL'; EventId = 'E1'; Template = 'instruction cache parity error corrected' },
            @{ Level = 'INFO'; Component = 'KERNEL'; EventId = 'E2'; Template = 'generating core.<*>' },
            @{ Level = 'INFO'; Component = 'APP'; EventId = 'E3'; Template = 'ciod: LOGIN chdir(<*>) failed' },
            @{ Level = 'WARNING'; Component = 'KERNEL'; EventId = 'E4'; Template = '<*> double-hummer alignment exceptions' }
        )
        for ($i = 0; $i -lt $Count; $i++) {
            $epoch += $random.Next(1, 30)
            $t = [DateTimeOffset]::FromUnixTimeSeconds($epoch).UtcDateTime
            $incident = $i % 50 -eq 49
            $kind = $incident ? @{ Level = 'FATAL'; Component = 'MMCS'; EventId = 'E9'; Template = 'data TLB error interrupt' } : $normal[[math]::Min(3, [int][math]::Floor(4 * $random.NextDouble() * $random.NextDouble() * 2))]
            [pscustomobject][ordered]@{
                LineId        = "$($i + 1)"
                Label         = $incident ? 'KERNDTLB' : '-'
                Timestamp     = "$epoch"
                Date          = $t.ToString('yyyy.MM.dd', [cultureinfo]::InvariantCulture)
                Node          = 'R{0:00}-M1-N{1}-C:J12-U11' -f $random.Next(0, 4), $random.Next(0, 3)
                Time          = $t.ToString('yyyy-MM-dd-HH.mm.ss.ffffff', [cultureinfo]::InvariantCulture)
                Level         = $kind.Level
                Component     = $kind.Component
                Content       = $kind.Template.Replace('<*>', "$($random.Next(100000))")
                EventId       = $kind.EventId
                EventTemplate = $kind.Template
            }
        }
    }

    $script:log = @(New-StructuredLog)
    $script:model = New-Autoencoder -Seed 2
    $script:trainWarnings = @()
    $log[0..999] | Invoke-AutoencoderTraining -Model $model -ThreadCount 1 -WarningVariable script:trainWarnings -WarningAction SilentlyContinue | Out-Null
    $script:scored = @($log[1000..1999] | Test-Anomaly -Model $model -ThreadCount 1)
}

Describe 'A structured log export (issue 14)' {
    It 'uses neither the row counter, the epoch seconds nor the label as a feature' {
        $model.Features | Should -Not -Contain 'LineId'
        $model.Features | Should -Not -Contain 'Timestamp'
        $model.Features | Should -Not -Contain 'Label'
        $model.Features | Should -Contain 'Level'
        $model.Features | Should -Contain 'Component'
    }

    It 'says once, in one warning, what it left out and why' {
        $leftOut = @($trainWarnings | Where-Object { "$_" -like 'Left out of the features:*' })
        $leftOut.Count | Should -Be 1
        "$($leftOut[0])" | Should -Match "'LineId' \(a"
        "$($leftOut[0])" | Should -Match "'Label' \(a label column"
        "$($leftOut[0])" | Should -Match "'Timestamp' \(epoch seconds"
    }

    It 'flags the share of normal rows that the threshold rule states' {
        $model.ThresholdRule.Method | Should -Be ([AutoencoderPS.Engine.Modeling.ThresholdMethod]::Percentile)
        "$model" | Should -Match 'flags about 1% of normal rows'
        $normal = @($scored | Where-Object Label -EQ '-')
        $flaggedNormal = @($normal | Where-Object IsAnomaly).Count / $normal.Count
        # The 99th percentile of the training errors: about 1% of normal rows (test rows differ a little from training ones).
        $flaggedNormal | Should -BeLessOrEqual 0.02
    }

    It 'with -Contamination at the share of incidents in the baseline, leaves them out and catches every one' {
        # The incidents (2% of the training half) are all alike: a group the network learns unless told to leave it out.
        $m = New-Autoencoder -Seed 2
        $log[0..999] | Invoke-AutoencoderTraining -Model $m -ThreadCount 1 -Contamination 0.02 -WarningAction SilentlyContinue | Out-Null
        $m.Training.TrimmedShare | Should -Be 0.02
        $s = @($log[1000..1999] | Test-Anomaly -Model $m -ThreadCount 1)
        $incidents = @($s | Where-Object Label -NE '-')
        @($incidents | Where-Object IsAnomaly).Count | Should -Be $incidents.Count
        $normal = @($s | Where-Object Label -EQ '-')
        @($normal | Where-Object IsAnomaly).Count / $normal.Count | Should -BeLessOrEqual 0.02
    }

    It 'explains anomalies by their content, not by a counter' {
        $scored | Where-Object IsAnomaly | ForEach-Object { $_.AnomalyTopFeature | Should -BeIn $model.Features }
    }

    It 'warns when -ExcludeFeature names no column' {
        $m = New-Autoencoder -Seed 2 -ExcludeFeature 'Levle'
        $log[0..199] | Invoke-AutoencoderTraining -Model $m -ThreadCount 1 -Epochs 2 -WarningVariable w -WarningAction SilentlyContinue | Out-Null
        @($w | Where-Object { "$_" -like "*-ExcludeFeature names no input column: 'Levle'*" }).Count | Should -Be 1
    }

    It 'reads epoch seconds as the time of ConvertTo-LogWindow' {
        $windows = @($log[0..299] | ConvertTo-LogWindow -TimeProperty Timestamp -Interval '00:10:00' -CountBy Level -ErrorVariable e -WarningVariable w -WarningAction SilentlyContinue)
        $e.Count | Should -Be 0
        $w.Count | Should -Be 0
        $windows.Count | Should -BeGreaterThan 5
        ($windows | Measure-Object -Property EventCount -Sum).Sum | Should -Be 300
        # 1117813370 + a few seconds is 2005-06-03 15:42:50 UTC: the first 10-minute window starts at 15:40.
        $windows[0].IntervalStart.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture) | Should -Be '2005-06-03 15:40'
    }
}
