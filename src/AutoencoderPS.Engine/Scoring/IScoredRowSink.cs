using System.Collections.Generic;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// Where a <see cref="ScoringPipeline{TRow}"/> delivers scored rows, in the order they were added: PowerShell
    /// objects, a scored CSV file, the scheduled job's output.
    /// </summary>
    public interface IScoredRowSink<TRow>
    {
        /// <summary>
        /// One row: its score, or null for a row of a sliding-window model that has none (<paramref name="status"/>: its
        /// group is still warming up, or the row holds no measurement; not an anomaly); the features imputed in it, if any.
        /// A row model's rows are all <see cref="WindowStatus.Scored"/>.
        /// </summary>
        void Write(TRow row, RowScore? score, IReadOnlyList<string>? imputed, WindowStatus status);
    }
}
