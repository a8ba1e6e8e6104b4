using System;
using System.Management.Automation;
using AutoencoderPS.Engine.Samples;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Emits built-in sample data: seeded per-minute host metrics with daily cycles, noise and injected
    /// incidents (column Incident names the incident a minute belongs to; empty when normal).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AutoencoderSampleData", HelpUri = HelpLinks.Base + "Get-AutoencoderSampleData.md")]
    [OutputType(typeof(PSObject))]
    public sealed class GetAutoencoderSampleDataCommand : AutoencoderCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateRange(1, 366)]
        public int Days { get; set; } = 7;

        [Parameter]
        public int Seed { get; set; } = 1;

        /// <summary>Start of the series (default: Monday 2026-01-05 00:00, local kind unspecified).</summary>
        [Parameter]
        public DateTime Start { get; set; } = new DateTime(2026, 1, 5);

        /// <summary>List the injected incidents instead of the rows.</summary>
        [Parameter]
        public SwitchParameter Incident { get; set; }

        protected override void EndProcessing()
        {
            if (Incident)
            {
                foreach (var i in HostMetricsSample.Incidents)
                {
                    if (i.Day >= Days) continue;
                    var row = new PSObject();
                    row.Properties.Add(new PSNoteProperty("Name", i.Name));
                    row.Properties.Add(new PSNoteProperty("Kind", i.Kind));
                    row.Properties.Add(new PSNoteProperty("Start", Start.AddDays(i.Day).AddMinutes(i.StartMinute)));
                    row.Properties.Add(new PSNoteProperty("Minutes", i.Minutes));
                    row.Properties.Add(new PSNoteProperty("Description", i.Description));
                    WriteObject(row);
                }
                return;
            }
            foreach (var sample in HostMetricsSample.Generate(Days, Seed, Start))
            {
                var row = new PSObject();
                row.Properties.Add(new PSNoteProperty("Timestamp", sample.Timestamp));
                row.Properties.Add(new PSNoteProperty("CpuPct", sample.CpuPct));
                row.Properties.Add(new PSNoteProperty("MemoryPct", sample.MemoryPct));
                row.Properties.Add(new PSNoteProperty("DiskIops", sample.DiskIops));
                row.Properties.Add(new PSNoteProperty("NetworkMbps", sample.NetworkMbps));
                row.Properties.Add(new PSNoteProperty("ErrorCount", sample.ErrorCount));
                row.Properties.Add(new PSNoteProperty("Incident", sample.Incident));
                WriteObject(row);
            }
        }
    }
}
