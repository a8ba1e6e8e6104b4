using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>What an incremental scoring run tells its caller as it goes (the cmdlet turns these into PowerShell streams).</summary>
    public interface IScoringObserver
    {
        void Warning(string message);
        void Verbose(string message);

        /// <summary>A row that could not be featurized: skipped, counted, and its line committed all the same.</summary>
        void RowRejected(FeatureValueException error, CsvRecord record);

        /// <summary>A file that could not be read or does not fit the model: what was committed of it stays, the rest waits.</summary>
        void FileFailed(string file, Exception error);

        /// <summary>True when the caller wants the run to stop (Ctrl+C): it stops after committing what it has.</summary>
        bool StopRequested { get; }
    }
}
