<#
.SYNOPSIS
    Weeks of operations as an operator lives them: synthetic 5-minute (or 1-, 15- or 60-minute) series generated here from a seed,
    a model trained on a baseline, then Invoke-AnomalyScoring run once per daily export for weeks, with the retraining
    the guide recommends, and the pages (IsAlert) counted per week and per incident.
.DESCRIPTION
    Every series starts on Monday 2 March 2026: -BaselineDays (14: two weekends) to train on, then -ScoredDays (28) of
    daily export files (exports/day-NN.csv) that one Invoke-AnomalyScoring job scores, run after each file lands (the
    job scores a file over many runs as one Test-Anomaly pass, so a run a day pages as a run every 15 minutes would).
    The signal: weekdays 50 + 15 sin (peak at 15:00), weekends 35 + 6 sin, Gaussian noise (sd 2). The deploy or first
    incident starts at a seeded time between 10:00 and 16:00 of scored day 2 (a Wednesday). Scenarios:
      steady            the weekly pattern, no incident (expect silence)
      growth            the same growing 3 % a week, never retrained
      growth-retrain    the same, retrained from scratch every Sunday night on the last 14 days
      newnormal         a deploy raises the level by 20 for good; the operator does nothing
      newnormal-recipe  the same; the day after, the guide's recipe: train further (-Incremental) on the rows since the
                        deploy, export the model again (the job picks it up on its next run)
      newnormal-retrain the same; retrained from scratch every Sunday night on the last 14 days
      newshape          a deploy changes the weekdays' cycle (amplitude 15 -> 25) for good; nothing done
      newshape-recipe   the same with the guide's recipe the day after
      holiday           the Wednesday of scored week 2 looks like a Sunday (expect one page)
      monthend          a batch on the month's last day (31 March, a Tuesday), +30 from 01:00 to 03:00 (one page)
      incidents         +25 for 3 hours at the deploy's time, and again at the same time of day on scored day 23
      retrain-incident  the same with the weekly retrain, whose rows hold the first incident (is the repeat caught?)
      retrain-long      the same with a 12-hour first incident
    Fleet scenarios: -Hosts hosts (web01, web02, ...) in one export a day (rows in time order, a 'host' column) and one
    model (New-Autoencoder -GroupBy host). Host h of H runs at its own scale: the signal above and its noise times
    0.2 + 1.2 (h - 1) / (H - 1) (10 % to 70 % CPU at the weekdays' mean), so hosts differ in level and noise.
      fleet-steady      every host the weekly pattern, no incident (expect silence)
      fleet-mixed       the odd hosts the weekly pattern, the even ones the weekdays' cycle every day (no week)
      fleet-daily       every host the weekdays' cycle every day (no week: the calendar has nothing to learn)
      fleet-incident    fleet-steady and one incident, +25 x the host's scale for 3 hours on host -IncidentHost (1: web01,
                        the smallest; one page)
      fleet-surge       fleet-steady and one incident on every host at once (a shared dependency, a traffic surge): +25 x
                        each host's scale for 3 hours (one event; any host's page counts for it)
    An alert counts for an incident from its start to its end plus one window (24 rows); for a deploy, the first day;
    for the holiday and the month-end batch, that day. Every other alert is "other". Other events: the other pages with
    those within one window (24 rows) of the one before, on any host, taken as one (what a page per event naming its
    hosts would send; a single series' events are its pages a window apart); the table gives the most hosts in one.
    -TimeFeatures trains with New-Autoencoder -TimeFeatures: the hour and day of the window's time property (timestamp),
    the exports as they are; -TimeFeatures:$false without them; not given, the module's default (the calendar where the
    baseline's week has a shape). -ClockCopy adds a copy of the time column ('clock', in training and in the exports), the
    recipe before the time property gave a calendar (with -TimeFeatures, a second calendar of the same times).
    -ScalePerGroup trains the fleet scenarios' models with New-Autoencoder -ScalePerGroup (each host scaled by its own
    training rows), -ScalePerGroup:$false with one scaling of the fleet; not given, the module's default (per group since
    2026-12-07, branch fleetdef). Single series are unchanged by it.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-OperationsProbe.ps1 -Seed 1,2,3
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-OperationsProbe.ps1 -Seed 1,2,3 -Scenario steady -StepMinutes 1
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Invoke-OperationsProbe.ps1 -Seed 1,2,3 -Scenario fleet-steady,fleet-mixed,fleet-daily,fleet-incident -Hosts 20
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [string[]] $Seed = @('1', '2', '3'),
    [string[]] $Scenario = @('steady', 'growth', 'growth-retrain', 'newnormal', 'newnormal-recipe', 'newnormal-retrain', 'newshape',
        'newshape-recipe', 'holiday', 'monthend', 'incidents', 'retrain-incident', 'retrain-long'),
    [ValidateRange(7, 56)] [int] $BaselineDays = 14,
    [ValidateRange(14, 28)] [int] $ScoredDays = 28,
    # Minutes between rows; the signal, incidents and retraining are in time (15 and 60: a window of 24 is 6 hours, a day).
    [ValidateSet(1, 5, 15, 60)] [int] $StepMinutes = 5,
    # Hosts of the fleet scenarios.
    [ValidateRange(2, 100)] [int] $Hosts = 10,
    # Every host of a fleet at the same scale (1: 50 % CPU at the weekdays' mean).
    [switch] $SameScale,
    # The host of fleet-incident's incident (1: web01, the smallest).
    [ValidateRange(1, 100)] [int] $IncidentHost = 1,
    # Invoke-AutoencoderTraining -Epochs for every model; not given, the product's default.
    [int] $Epochs,
    # The likelihood's threshold for the jobs (Invoke-AnomalyScoring -ProbabilityThreshold); not given, the product's default.
    [double] $ProbabilityThreshold,
    [switch] $TimeFeatures,
    [switch] $ClockCopy,
    # The fleet scenarios' models scale each host by its own training rows (New-Autoencoder -ScalePerGroup); :$false fleet-wide.
    [switch] $ScalePerGroup,
    # The jobs' folders (exports, model, scored output and state); a temporary folder by default, removed at the end.
    [string] $WorkPath,
    [string] $DetailPath
)

$ErrorActionPreference = 'Stop'
$script:timeFeaturesGiven = $PSBoundParameters.ContainsKey('TimeFeatures')
$script:scalePerGroupGiven = $PSBoundParameters.ContainsKey('ScalePerGroup')
. (Join-Path $PSScriptRoot 'ProbeArguments.ps1')
$Seed = @(ConvertTo-SeedList $Seed)
$Scenario = @(Split-ListArgument $Scenario)
Import-Module (Resolve-ProbeModulePath $ModulePath)
$removeWork = -not $WorkPath
if (-not $WorkPath) { $WorkPath = Join-Path ([System.IO.Path]::GetTempPath()) "ops-probe-$PID" }

$rowsPerDay = 1440 / $StepMinutes
$window = 24
$start = [datetime]::new(2026, 3, 2, 0, 0, 0, [DateTimeKind]::Unspecified)
$inv = [System.Globalization.CultureInfo]::InvariantCulture

function Get-Normal([System.Random] $Rng) {
    # Box-Muller.
    $u1 = 1.0 - $Rng.NextDouble(); $u2 = $Rng.NextDouble()
    [Math]::Sqrt(-2.0 * [Math]::Log($u1)) * [Math]::Cos(2.0 * [Math]::PI * $u2)
}

function New-OperationsSeries([string] $Name, [int] $RunSeed) {
    # A stable seed per scenario and seed (String.GetHashCode differs from one process to the next).
    $code = 0; foreach ($c in $Name.ToCharArray()) { $code = ($code * 31 + [int]$c) % 100003 }
    $rng = [System.Random]::new($RunSeed * 100003 + $code)
    $total = ($BaselineDays + $ScoredDays) * $rowsPerDay
    $later = $BaselineDays * $rowsPerDay
    $onset = $later + 2 * $rowsPerDay + [int](600 / $StepMinutes) + $rng.Next(0, [int](360 / $StepMinutes))
    $repeat = $onset + 21 * $rowsPerDay
    $incidentRows = [int](($Name -eq 'retrain-long' ? 720 : 180) / $StepMinutes)
    $holiday = $start.AddDays($BaselineDays + 9).Date
    # One series (no host column), or a fleet: host h at its own scale, hosts one after another from the same generator.
    $fleet = $Name -like 'fleet-*'
    $names = $fleet ? @(1..$Hosts | ForEach-Object { 'web{0:00}' -f $_ }) : @('')
    $series = [System.Collections.Generic.List[double[]]]::new()
    foreach ($h in 0..($names.Count - 1)) {
        $scale = $fleet -and -not $SameScale ? 0.2 + 1.2 * $h / ($names.Count - 1) : 1.0
        $weekly = -not ($Name -eq 'fleet-daily' -or ($Name -eq 'fleet-mixed' -and $h % 2 -eq 1))
        $values = [double[]]::new($total)
        for ($i = 0; $i -lt $total; $i++) {
            $t = $start.AddMinutes($i * $StepMinutes)
            $hour = $t.TimeOfDay.TotalHours
            $cycle = [Math]::Sin(2 * [Math]::PI * ($hour - 9) / 24)
            $weekend = $weekly -and ($t.DayOfWeek -in [DayOfWeek]::Saturday, [DayOfWeek]::Sunday -or ($Name -eq 'holiday' -and $t.Date -eq $holiday))
            $noise = Get-Normal $rng
            $v = $weekend ? 35 + 6 * $cycle : 50 + 15 * $cycle
            switch -Wildcard ($Name) {
                'growth*' { $v *= [Math]::Pow(1.03, $i / (7.0 * $rowsPerDay)) }
                'newnormal*' { if ($i -ge $onset) { $v += 20 } }
                'newshape*' { if ($i -ge $onset -and -not $weekend) { $v = 50 + 25 * $cycle } }
                'monthend' { if ($t.Day -eq [datetime]::DaysInMonth($t.Year, $t.Month) -and $hour -ge 1 -and $hour -lt 3) { $v += 30 } }
                { $_ -in 'incidents', 'retrain-incident', 'retrain-long' } {
                    if (($i -ge $onset -and $i -lt $onset + $incidentRows) -or ($i -ge $repeat -and $i -lt $repeat + $incidentRows)) { $v += 25 }
                }
                'fleet-incident' { if ($h -eq $IncidentHost - 1 -and $i -ge $onset -and $i -lt $onset + $incidentRows) { $v += 25 } }
                'fleet-surge' { if ($i -ge $onset -and $i -lt $onset + $incidentRows) { $v += 25 } }
            }
            $values[$i] = $scale * ($v + 2 * $noise)
        }
        $series.Add($values)
    }
    $incidents = switch -Wildcard ($Name) {
        { $_ -like 'newnormal*' -or $_ -like 'newshape*' } { [pscustomobject]@{ Start = $onset; End = $onset + $rowsPerDay } }
        'holiday' { $h = $later + 9 * $rowsPerDay; [pscustomobject]@{ Start = $h; End = $h + $rowsPerDay + $window } }
        'monthend' {
            $m = [int](([datetime]::new(2026, 3, 31) - $start).TotalDays * $rowsPerDay)
            if ($m -ge $later -and $m -lt $total) { [pscustomobject]@{ Start = $m; End = $m + $rowsPerDay } }
        }
        { $_ -in 'incidents', 'retrain-incident', 'retrain-long' } {
            [pscustomobject]@{ Start = $onset; End = $onset + $incidentRows + $window }
            [pscustomobject]@{ Start = $repeat; End = $repeat + $incidentRows + $window }
        }
        'fleet-incident' { [pscustomobject]@{ Start = $onset; End = $onset + $incidentRows + $window; Host = $names[$IncidentHost - 1] } }
        'fleet-surge' { [pscustomobject]@{ Start = $onset; End = $onset + $incidentRows + $window } }
    }
    [pscustomobject]@{ Series = $series; Names = $names; Later = $later; Onset = $onset; Incidents = @($incidents) }
}

function Get-OperationsRow($Series, [int] $From, [int] $To) {
    $fleet = $Series.Names.Count -gt 1
    for ($i = [Math]::Max(0, $From); $i -lt $To; $i++) {
        $time = $start.AddMinutes($i * $StepMinutes).ToString('yyyy-MM-ddTHH:mm:ss', $inv)
        for ($h = 0; $h -lt $Series.Names.Count; $h++) {
            $row = [ordered]@{ timestamp = $time }
            if ($fleet) { $row.host = $Series.Names[$h] }
            $row.value = [Math]::Round($Series.Series[$h][$i], 3)
            if ($ClockCopy) { $row.clock = $time }
            [pscustomobject]$row
        }
    }
}

function New-TrainedModel($Rows, [int] $RunSeed, [bool] $Fleet) {
    # Not given: New-Autoencoder's default, which decides from the training rows (so the switch is passed only when given).
    $calendar = $script:timeFeaturesGiven ? @{ TimeFeatures = [bool]$TimeFeatures } : @{}
    # -ScalePerGroup passed only when given: not given, the module's default (per group with -GroupBy).
    $group = $Fleet ? ($script:scalePerGroupGiven ? @{ GroupBy = 'host'; ScalePerGroup = [bool]$ScalePerGroup } : @{ GroupBy = 'host' }) : @{}
    $m = New-Autoencoder -WindowSize $window -TimeProperty timestamp -Seed $RunSeed @calendar @group
    # The gate's verbose note (-TimeFeatures not given) says its R/N.
    $budget = $Epochs ? @{ Epochs = $Epochs } : @{}
    $notes = @($Rows | Invoke-AutoencoderTraining -Model $m -ThreadCount 1 @budget -WarningAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Calendar of *' })
    $ratio = $notes.Count -and $notes[0].Message -match 'R/N (-?[\d.]+|NaN)' ? " $($Matches[1])" : ''
    # Whether each trained model has the calendar (the gate's decision when -TimeFeatures is not given), and its R/N.
    $script:calendars.Add(($m.TimeFeatures ? 'on' : 'off') + $ratio)
    $m
}
$job = $PSBoundParameters.ContainsKey('ProbabilityThreshold') ? @{ ProbabilityThreshold = $ProbabilityThreshold } : @{}

$results = foreach ($name in $Scenario) {
    foreach ($runSeed in $Seed) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $s = New-OperationsSeries $name $runSeed
        $dir = Join-Path $WorkPath "$name-$runSeed"
        if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
        $null = New-Item -ItemType Directory -Path (Join-Path $dir 'exports')
        $modelPath = Join-Path $dir 'model.aemodel'
        $fleet = $s.Names.Count -gt 1
        $script:calendars = [System.Collections.Generic.List[string]]::new()
        $m = New-TrainedModel (Get-OperationsRow $s 0 $s.Later) $runSeed $fleet
        Export-Autoencoder -Model $m -Path $modelPath -Force
        $deployDay = [int][Math]::Floor(($s.Onset - $s.Later) / $rowsPerDay)
        for ($d = 0; $d -lt $ScoredDays; $d++) {
            $from = $s.Later + $d * $rowsPerDay
            $end = $from + $rowsPerDay
            Get-OperationsRow $s $from $end | Export-Csv -Path (Join-Path $dir ('exports/day-{0:00}.csv' -f $d)) -NoTypeInformation -UseQuotes Never
            $null = Invoke-AnomalyScoring -ModelPath $modelPath -Path (Join-Path $dir 'exports/*.csv') -OutputPath (Join-Path $dir 'scored.csv') -ThreadCount 1 -WarningAction SilentlyContinue @job
            # What the operator does at the end of the day.
            if ($name -like '*-recipe' -and $d -eq $deployDay + 1) {
                Get-OperationsRow $s $s.Onset $end | Invoke-AutoencoderTraining -Model $m -Incremental -ThreadCount 1 -WarningAction SilentlyContinue | Out-Null
                Export-Autoencoder -Model $m -Path $modelPath -Force
            }
            if ($name -like '*-retrain' -or $name -in 'retrain-incident', 'retrain-long') {
                if (($d + 1) % 7 -eq 0 -and $d -lt $ScoredDays - 1) {
                    $m = New-TrainedModel (Get-OperationsRow $s ($end - 14 * $rowsPerDay) $end) $runSeed $fleet
                    Export-Autoencoder -Model $m -Path $modelPath -Force
                }
            }
        }
        # Each page as its row (time step) and host ('' for one series): an incident counts only on its own host.
        $paged = @(Import-Csv (Join-Path $dir 'scored.csv') | Where-Object IsAlert -eq 'True' | ForEach-Object {
                [pscustomobject]@{ Row = [int](([datetime]::Parse($_.timestamp, $inv) - $start).TotalMinutes / $StepMinutes); Host = $fleet ? $_.host : '' } })
        $alerts = @($paged | ForEach-Object Row)
        $inIncident = { param($a, $inc) $a.Row -ge $inc.Start -and $a.Row -lt $inc.End -and (-not $inc.Host -or $inc.Host -eq $a.Host) }
        $weeks = [int][Math]::Ceiling($ScoredDays / 7)
        $perWeek = foreach ($w in 0..($weeks - 1)) {
            @($alerts | Where-Object { $_ -ge $s.Later + $w * 7 * $rowsPerDay -and $_ -lt $s.Later + ($w + 1) * 7 * $rowsPerDay }).Count
        }
        $perIncident = foreach ($inc in $s.Incidents) { @($paged | Where-Object { & $inIncident $_ $inc }).Count }
        $other = @($paged | Where-Object { $a = $_; -not @($s.Incidents | Where-Object { & $inIncident $a $_ }).Count })
        # A fleet's other pages as events: a page within one window (24 rows) of the last one, on any host, belongs to its
        # event (what one page per event, naming the hosts, would send); the most hosts in one event.
        $events = [System.Collections.Generic.List[object]]::new()
        foreach ($p in $other | Sort-Object Row) {
            if ($events.Count -and $p.Row -le $events[$events.Count - 1].Last + $window) { $events[$events.Count - 1].Last = $p.Row; $null = $events[$events.Count - 1].Hosts.Add($p.Host) }
            else { $events.Add([pscustomobject]@{ Last = $p.Row; Hosts = [System.Collections.Generic.HashSet[string]]::new([string[]]@($p.Host)) }) }
        }
        $widest = ($events | ForEach-Object { $_.Hosts.Count } | Measure-Object -Maximum).Maximum
        $r = [pscustomobject]@{
            Scenario = $name; Seed = $runSeed; Pages = $alerts.Count; PerWeek = $perWeek -join '/'; PerIncident = $perIncident -join '/'
            Other = $other.Count; OtherEvents = $events.Count; MostHosts = [int]$widest; Calendar = $script:calendars -join '/'
            AlertDays = ($paged | ForEach-Object { (($_.Row - $s.Later) / $rowsPerDay).ToString('0.00', $inv) + ($_.Host ? ":$($_.Host)" : '') }) -join ' '
            Seconds = [int]$clock.Elapsed.TotalSeconds
        }
        Write-Host ('{0,-18} seed {1}: {2} pages, per week {3}, per incident [{4}], other {5} in {6} events (at most {7} hosts), calendar {8}; at scored day {9}' -f
            $r.Scenario, $r.Seed, $r.Pages, $r.PerWeek, $r.PerIncident, $r.Other, $r.OtherEvents, $r.MostHosts, $r.Calendar, $r.AlertDays)
        $r
    }
}
if ($removeWork) { Remove-Item $WorkPath -Recurse -Force -ErrorAction SilentlyContinue }
if ($DetailPath) { $results | Export-Csv -LiteralPath $DetailPath -NoTypeInformation }

"Baseline $BaselineDays days, $ScoredDays scored days of $StepMinutes-minute rows; seeds $($Seed -join ','); time features: $($script:timeFeaturesGiven ? [bool]$TimeFeatures : 'default'); clock copy: $([bool]$ClockCopy); hosts of a fleet: $Hosts; scaled per group: $($script:scalePerGroupGiven ? [bool]$ScalePerGroup : 'default'); probability threshold: $($job.Count ? $ProbabilityThreshold : 'default')."
''
'| Scenario | Pages per week (each seed) | Pages per incident (each seed) | Other pages (total) | Other events (total; most hosts in one) | Calendar (each model) |'
'|---|---|---|---:|---:|---|'
foreach ($group in $results | Group-Object Scenario) {
    $runs = @($group.Group)
    $weeks = @($runs | ForEach-Object PerWeek) -join ', '
    $caught = @($runs | ForEach-Object { $_.PerIncident ? $_.PerIncident : '-' }) -join ', '
    '| {0} | {1} | {2} | {3} | {4} ({5}) | {6} |' -f $group.Name, $weeks, $caught, ($runs | Measure-Object Other -Sum).Sum,
        ($runs | Measure-Object OtherEvents -Sum).Sum, ($runs | Measure-Object MostHosts -Maximum).Maximum, (@($runs | ForEach-Object Calendar) -join ', ')
}
