using System.Collections.Generic;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>A scoring pipeline's sink that keeps every row it is handed, in order, for tests to assert on.</summary>
    internal sealed class RecordingSink<TRow> : IScoredRowSink<TRow>
    {
        public List<(TRow Row, RowScore? Score, IReadOnlyList<string>? Imputed)> Rows { get; } = new List<(TRow, RowScore?, IReadOnlyList<string>?)>();

        /// <summary>Each row's status, in the same order as <see cref="Rows"/>.</summary>
        public List<WindowStatus> Statuses { get; } = new List<WindowStatus>();

        public void Write(TRow row, RowScore? score, IReadOnlyList<string>? imputed, WindowStatus status)
        {
            Rows.Add((row, score, imputed));
            Statuses.Add(status);
        }
    }
}
