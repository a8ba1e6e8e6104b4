using System;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Scheduling
{
    /// <summary>
    /// The one place that chooses where this computer keeps scoring tasks: Task Scheduler on Windows, the user's
    /// crontab everywhere else.
    /// </summary>
    public static class ScoringTaskStores
    {
        // The Pester tests (ScoringTaskStore.Tests.ps1) set this through reflection to a stand-in store, to see that the
        // cmdlets use only IScoringTaskStore; no public API sets it, so no script can swap a user's store.
#pragma warning disable CS0649 // assigned by reflection only
        private static Func<IScoringTaskStore>? substitute;
#pragma warning restore CS0649

        /// <summary>The store of this computer; its Task Scheduler scripts run through <paramref name="invoke"/> (the calling cmdlet's session).</summary>
        public static IScoringTaskStore ForThisComputer(CommandInvocationIntrinsics invoke)
        {
            var standIn = substitute;
            if (standIn != null) return standIn();
            return OperatingSystem.IsWindows() ? new TaskSchedulerTaskStore(invoke) : new CronTaskStore();
        }
    }
}
