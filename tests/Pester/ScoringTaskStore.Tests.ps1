# Register-, Get- and Unregister-AnomalyScoringTask against a stand-in IScoringTaskStore: the cmdlets must do all
# their reading and writing through the store interface (no crontab, no Task Scheduler), show the store's own
# descriptions, and turn its two kinds of errors into the right PowerShell errors. Runs on every OS, cron or not.
# The stand-in is put in ScoringTaskStores' private field by reflection (no public API can swap a user's store) and
# taken out again in AfterAll.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    if (-not ('AutoencoderPS.Tests.MemoryTaskStore' -as [type])) {
        # The engine is built for an older .NET than this pwsh: its references resolve to this one's (warning CS1701).
        $references = @([AutoencoderPS.Engine.Scheduling.IScoringTaskStore].Assembly.Location, 'System.Runtime', 'System.Collections', 'System.Linq')
        Add-Type -ReferencedAssemblies $references -IgnoreWarnings -WarningAction SilentlyContinue -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Tests
{
    // Tasks in a list; every call logged in Calls. FailReads makes reading fail as an unreachable store does;
    // RefuseWrites makes applying fail for that one task, as a crontab that refuses its new table does.
    public sealed class MemoryTaskStore : IScoringTaskStore
    {
        public readonly List<string> Calls = new List<string>();
        public readonly List<AnomalyScoringTask> Tasks = new List<AnomalyScoringTask>();
        public bool FailReads;
        public string RefuseWrites;

        public static Func<IScoringTaskStore> Returning(IScoringTaskStore store) { return () => store; }

        public ScoringTaskPlatform Platform { get { return ScoringTaskPlatform.Cron; } }

        public void ValidateInterval(TimeSpan interval)
        {
            Calls.Add("ValidateInterval " + interval);
            if (interval == TimeSpan.FromMinutes(7)) throw new ScoringTaskException("InvalidTaskInterval", "memory store: no 7 minutes");
        }

        public IReadOnlyList<AnomalyScoringTask> GetTasks()
        {
            Calls.Add("GetTasks");
            if (FailReads) throw new ScoringTaskStoreException("CrontabReadFailed", "memory store: unreadable", "memory");
            return Tasks.ToArray();
        }

        public ScoringTaskChange PlanRegister(string name, TimeSpan interval, ScoringTaskAction action, bool replace)
        {
            Calls.Add("PlanRegister " + name + " " + interval + " replace=" + replace);
            var existing = Find(name);
            if (existing != null && !replace) throw new ScoringTaskException("AnomalyScoringTaskExists", "memory store: '" + name + "' exists");
            var task = new AnomalyScoringTask(name, ScoringTaskPlatform.Cron, interval, "every " + interval, action.CommandLine, "memory", action, null);
            return new ScoringTaskChange(name, existing, "memory store: register " + name, "Register " + name + "?", "memory store: registered " + name,
                () =>
                {
                    Calls.Add("Apply register " + name);
                    if (RefuseWrites == name) throw new ScoringTaskException("CrontabWriteFailed", "memory store: refused " + name);
                    if (existing != null) Tasks.Remove(existing);
                    Tasks.Add(task);
                },
                () => { Calls.Add("ReadBack " + name); return new[] { task }; });
        }

        public ScoringTaskChange PlanUnregister(string name)
        {
            Calls.Add("PlanUnregister " + name);
            if (FailReads) throw new ScoringTaskStoreException("CrontabReadFailed", "memory store: unreadable", "memory");
            var existing = Find(name);
            if (existing == null) return null;
            return new ScoringTaskChange(name, existing, "memory store: remove " + name, "Remove " + name + "?", "memory store: removed " + name,
                () =>
                {
                    Calls.Add("Apply unregister " + name);
                    if (RefuseWrites == name) throw new ScoringTaskException("CrontabWriteFailed", "memory store: refused " + name);
                    Tasks.Remove(existing);
                },
                () => new[] { existing });
        }

        public string NotFoundMessage(string name) { return "memory store: no task '" + name + "'"; }

        // What the store says when its scheduler is not running (not logged in Calls: a check, not a use of the store).
        public string NotRunning;
        public string SchedulerNotRunning() { return NotRunning; }

        private AnomalyScoringTask Find(string name)
        {
            return Tasks.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }
}
'@
    }

    $script:substitute = [AutoencoderPS.Scheduling.ScoringTaskStores].GetField('substitute', [System.Reflection.BindingFlags]'NonPublic, Static')
    $script:dataDir = Join-Path $TestDrive 'store'
    New-Item -ItemType Directory -Path $dataDir | Out-Null
    $script:modelPath = Join-Path $dataDir 'web.aemodel'
    Set-Content -LiteralPath $modelPath -Value 'stand-in model file'
    $script:outPath = Join-Path $dataDir 'out.csv'
    # An export for -Path to match: one that matches no file is registered with a warning of its own.
    Set-Content -LiteralPath (Join-Path $dataDir 'export.csv') -Value 'Host,cpu'

    function Register-Memory {
        [CmdletBinding()]
        param([string] $Name, [hashtable] $Extra = @{})
        Register-AnomalyScoringTask -Name $Name -ModelPath $modelPath -Path (Join-Path $dataDir '*.csv') -OutputPath $outPath @Extra
    }
}

AfterAll {
    $substitute.SetValue($null, $null)
}

Describe 'The scoring-task cmdlets use only IScoringTaskStore (a stand-in store in memory)' {
    BeforeEach {
        $script:store = [AutoencoderPS.Tests.MemoryTaskStore]::new()
        $substitute.SetValue($null, [AutoencoderPS.Tests.MemoryTaskStore]::Returning($store))
    }

    It 'the private field the tests set exists' {
        $substitute | Should -Not -BeNullOrEmpty
        $substitute.FieldType | Should -Be ([Func[AutoencoderPS.Engine.Scheduling.IScoringTaskStore]])
    }

    It 'Register-AnomalyScoringTask validates the interval, plans, applies and reads back through the store' {
        $task = Register-Memory -Name mem-a -Extra @{ Interval = '00:20:00'; PassThru = $true }
        @($store.Calls) | Should -Be @('ValidateInterval 00:20:00', 'PlanRegister mem-a 00:20:00 replace=False', 'Apply register mem-a', 'ReadBack mem-a')
        $task.Name | Should -Be 'mem-a'
        $task.Schedule | Should -Be 'every 00:20:00'
        $task.ModelPath | Should -Be $modelPath
        $task.OutputPath | Should -Be $outPath
        @($store.Tasks.Name) | Should -Be @('mem-a')
    }

    It 'Register-AnomalyScoringTask warns when the store''s scheduler is not running, once the task is registered' {
        $quiet = @(Register-Memory -Name mem-a 3>&1)
        @($quiet | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
        $store.NotRunning = 'memory store: the scheduler is stopped'
        @(Register-Memory -Name mem-b -Extra @{ WhatIf = $true } 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
        $out = @(Register-Memory -Name mem-b -Extra @{ PassThru = $true } 3>&1)
        $warnings = @($out | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -Be 'memory store: the scheduler is stopped'
        @($out | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] }).Name | Should -Be 'mem-b'
        @($store.Tasks.Name) | Should -Be @('mem-a', 'mem-b')
    }

    It 'the store''s words are what -Verbose says' {
        $verbose = Register-Memory -Name mem-a -Extra @{ Verbose = $true } 4>&1
        @($verbose | ForEach-Object Message) | Should -Contain 'memory store: registered mem-a'
    }

    It '-WhatIf plans and applies nothing' {
        Register-Memory -Name mem-a -Extra @{ WhatIf = $true; PassThru = $true } | Should -BeNullOrEmpty
        @($store.Calls) | Should -Be @('ValidateInterval 00:15:00', 'PlanRegister mem-a 00:15:00 replace=False')
        $store.Tasks.Count | Should -Be 0
    }

    It 'an interval the store refuses is its InvalidTaskInterval, before anything is planned' {
        $errs = $null
        Register-Memory -Name mem-a -Extra @{ Interval = '00:07:00' } -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTaskInterval,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @($store.Calls) | Should -Be @('ValidateInterval 00:07:00')
    }

    It 'a name the store has is AnomalyScoringTaskExists without -Force, and replaced with it' {
        Register-Memory -Name mem-a
        $errs = $null
        Register-Memory -Name MEM-A -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AnomalyScoringTaskExists,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $errs[0].TargetObject | Should -Be 'MEM-A'
        Register-Memory -Name mem-a -Extra @{ Force = $true; Interval = '01:00:00' }
        $store.Calls | Should -Contain 'PlanRegister mem-a 01:00:00 replace=True'
        @($store.Tasks) | Should -HaveCount 1
        $store.Tasks[0].Interval | Should -Be ([timespan]'01:00:00')
    }

    It 'Get-AnomalyScoringTask lists the store''s tasks; a missing name is the store''s AnomalyScoringTaskNotFound' {
        Register-Memory -Name mem-a
        Register-Memory -Name mem-b
        $store.Calls.Clear()
        (Get-AnomalyScoringTask).Name | Should -Be @('mem-a', 'mem-b')
        (Get-AnomalyScoringTask -Name '*-b').Name | Should -Be 'mem-b'
        $errs = $null
        Get-AnomalyScoringTask -Name mem-z -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AnomalyScoringTaskNotFound,*'
        $errs[0].Exception.Message | Should -Be "memory store: no task 'mem-z'"
        @($store.Calls) | Should -Be @('GetTasks', 'GetTasks', 'GetTasks')
    }

    It 'Unregister-AnomalyScoringTask -PassThru removes through the store and writes the removed task' {
        Register-Memory -Name mem-a
        Register-Memory -Name mem-b
        $store.Calls.Clear()
        $removed = @(Get-AnomalyScoringTask -Name mem-a | Unregister-AnomalyScoringTask -PassThru -Confirm:$false)
        $removed | Should -HaveCount 1
        $removed[0].Name | Should -Be 'mem-a'
        $removed[0].ModelPath | Should -Be $modelPath
        $removed[0].PSObject.TypeNames[0] | Should -Be 'AutoencoderPS.Engine.Scheduling.AnomalyScoringTask'
        @($store.Calls) | Should -Be @('GetTasks', 'PlanUnregister mem-a', 'Apply unregister mem-a')
        @($store.Tasks.Name) | Should -Be @('mem-b')
    }

    It 'Unregister-AnomalyScoringTask without -PassThru, or with -WhatIf, writes nothing' {
        Register-Memory -Name mem-a
        Unregister-AnomalyScoringTask -Name mem-a -PassThru -WhatIf | Should -BeNullOrEmpty
        @($store.Tasks.Name) | Should -Be @('mem-a')
        Unregister-AnomalyScoringTask -Name mem-a -Confirm:$false | Should -BeNullOrEmpty
        $store.Tasks.Count | Should -Be 0
    }

    It 'a write the store refuses for one task is a non-terminating error for it; the next name is still removed' {
        Register-Memory -Name mem-a
        Register-Memory -Name mem-b
        $store.RefuseWrites = 'mem-a'
        $errs = $null
        $removed = @(Unregister-AnomalyScoringTask -Name mem-a, mem-b -PassThru -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'CrontabWriteFailed,*'
        $errs[0].CategoryInfo.Category | Should -Be 'WriteError'
        $errs[0].TargetObject | Should -Be 'mem-a'
        $removed.Name | Should -Be 'mem-b'
        @($store.Tasks.Name) | Should -Be @('mem-a')
    }

    It 'a store that can''t be read stops the command, with the store as target' {
        $store.FailReads = $true
        foreach ($command in { Get-AnomalyScoringTask }, { Unregister-AnomalyScoringTask -Name mem-a, mem-b -Confirm:$false }) {
            $caught = $null
            try { & $command } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because "$command stops"
            $caught.FullyQualifiedErrorId | Should -BeLike 'CrontabReadFailed,*'
            $caught.CategoryInfo.Category | Should -Be 'ReadError'
            $caught.TargetObject | Should -Be 'memory'
        }
        $store.Calls | Should -Not -Contain 'PlanUnregister mem-b'
    }
}
