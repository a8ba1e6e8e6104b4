using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>The process exit codes of a scheduled scoring run.</summary>
    public static class AnomalyScoringExitCode
    {
        /// <summary>The run completed and found no anomaly (possibly because there was nothing new).</summary>
        public const int NoAnomalies = 0;

        /// <summary>
        /// The run completed and found something to act on: an anomaly (row model), or a new alert (time-series model: the
        /// onset of an anomalous stretch after its cool-down, so a stretch that goes on over several runs pages once).
        /// </summary>
        public const int AnomaliesFound = 1;

        /// <summary>
        /// Something failed: an input path or file, the model, the state, the output. When input files failed and the
        /// others gave something to act on, the code is <see cref="AnomaliesFoundAndFailed"/> instead.
        /// </summary>
        public const int Failed = 2;

        /// <summary>Another run holds the lock on the state; this one did nothing.</summary>
        public const int Locked = 3;

        /// <summary>
        /// Both 1 and 2: the files that were read gave something to act on (as 1), and an input path or file failed (as
        /// 2). A file that fails on every run (a damaged or foreign export in the folder) would otherwise hide every alert
        /// of the others behind exit code 2.
        /// </summary>
        public const int AnomaliesFoundAndFailed = 4;
    }

    /// <summary>What one run did.</summary>
    public sealed class AnomalyScoringSummary
    {
        /// <summary>Input files the run looked at.</summary>
        public int Files { get; set; }

        /// <summary>Input files (or paths) that failed; their committed part stays, the rest is tried again next run.</summary>
        public int FilesFailed { get; set; }

        /// <summary>Rows written with a score.</summary>
        public long RowsScored { get; set; }

        /// <summary>Rows of a time-series model written without a score: their group had no full window yet.</summary>
        public long RowsWarmingUp { get; set; }

        /// <summary>Rows of a time-series model written without a score as no feature had a value (NoData).</summary>
        public long RowsWithoutData { get; set; }

        /// <summary>Rows that could not be featurized: reported, skipped, and not tried again.</summary>
        public long RowsRejected { get; set; }

        /// <summary>
        /// Rows of a time-series model skipped as sent again: of a time at which their group had a row scored by an earlier
        /// run or file (an export that overlaps the last one). Not errors, and not written again.
        /// </summary>
        public long RowsAlreadyScored { get; set; }

        public long Anomalies { get; set; }

        /// <summary>Alerts raised (time-series models).</summary>
        public long Alerts { get; set; }

        /// <summary>True for a time-series model: the exit code follows <see cref="Alerts"/>, not <see cref="Anomalies"/>.</summary>
        public bool CountsAlerts { get; set; }

        public TimeSpan Duration { get; set; }
        public string OutputPath { get; set; } = "";
        public string StatePath { get; set; } = "";

        /// <summary>True when the run stopped early on request; what it committed stays.</summary>
        public bool Stopped { get; set; }

        /// <summary>The process exit code for schedulers (see <see cref="AnomalyScoringExitCode"/>).</summary>
        public int ExitCode => (FilesFailed > 0, (CountsAlerts ? Alerts : Anomalies) > 0) switch
        {
            (true, true) => AnomalyScoringExitCode.AnomaliesFoundAndFailed,
            (true, false) => AnomalyScoringExitCode.Failed,
            (false, true) => AnomalyScoringExitCode.AnomaliesFound,
            _ => AnomalyScoringExitCode.NoAnomalies,
        };

        public override string ToString() =>
            $"{RowsScored} rows scored ({Anomalies} anomalies{(CountsAlerts ? $", {Alerts} alerts, {RowsWarmingUp} rows warming up{(RowsWithoutData > 0 ? $", {RowsWithoutData} without values" : "")}" : "")}, " +
            $"{RowsRejected} rejected{(RowsAlreadyScored > 0 ? $", {RowsAlreadyScored} already scored" : "")}) from {Files} file(s); exit code {ExitCode}";
    }
}
