using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Scoring.Incremental;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>An <see cref="IScoringObserver"/> that keeps what the scheduled job reported, for tests to assert on.</summary>
    internal sealed class RecordingObserver : IScoringObserver
    {
        public List<string> Warnings { get; } = new List<string>();
        public List<(FeatureValueException Error, CsvRecord Record)> Rejected { get; } = new List<(FeatureValueException, CsvRecord)>();
        public List<(string File, Exception Error)> Failed { get; } = new List<(string, Exception)>();
        public List<string> VerboseMessages { get; } = new List<string>();
        public bool StopRequested { get; set; }
        public void Warning(string message) => Warnings.Add(message);
        public void Verbose(string message) => VerboseMessages.Add(message);
        public void RowRejected(FeatureValueException error, CsvRecord record) => Rejected.Add((error, record));
        public void FileFailed(string file, Exception error) => Failed.Add((file, error));
    }
}
