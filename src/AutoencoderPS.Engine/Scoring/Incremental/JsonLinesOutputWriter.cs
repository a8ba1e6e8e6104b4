using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>
    /// The scheduled job's JSON Lines output: one object per row with every column of its file (as text, null for a
    /// missing trailing field), then the score columns in <see cref="ScoreColumns"/>' order: AnomalyScore (a number;
    /// null when it is not finite or the row is warming up), IsAnomaly, AnomalyTopFeature, AnomalyExplanation (invariant
    /// culture; null on a row it does not explain: one warming up, and a normal row unless explainAll, see
    /// <see cref="RowScore.ExplainedInFile"/>), ImputedFeatures (an array), for a time-series model AnomalyProbability,
    /// IsAlert and AnomalyStatus, then SourceFile and SourceLine. Appends to the open output from its committed length;
    /// nothing is durable before <see cref="Flush"/>.
    /// </summary>
    internal sealed class JsonLinesOutputWriter : IDisposable
    {
        private readonly FileStream file;
        private readonly int topFeatures;
        private readonly bool explainAll;
        private readonly IReadOnlyList<string> columns;
        private readonly MemoryStream buffer = new MemoryStream();
        private readonly Utf8JsonWriter json;

        public JsonLinesOutputWriter(FileStream file, int topFeatures, bool explainAll, IReadOnlyList<string> columns)
        {
            this.file = file;
            this.topFeatures = topFeatures;
            this.explainAll = explainAll;
            this.columns = columns;
            json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        public void Write(CsvRecord record, RowScore? score, IReadOnlyCollection<string>? imputed, WindowStatus status = WindowStatus.WarmingUp)
        {
            json.WriteStartObject();
            var names = record.Header.Names;
            for (int i = 0; i < names.Count; i++)
            {
                string? value = record.FieldAt(i);
                if (value == null) json.WriteNull(names[i]);
                else json.WriteString(names[i], value);
            }
            foreach (var column in columns)
            {
                switch (column)
                {
                    case ScoreColumns.Score:
                        if (score != null && double.IsFinite(score.Score)) json.WriteNumber(column, score.Score);
                        else json.WriteNull(column);
                        break;
                    case ScoreColumns.IsAnomaly:
                        json.WriteBoolean(column, score?.IsAnomaly == true);
                        break;
                    case ScoreColumns.TopFeature:
                        if (score != null) json.WriteString(column, score.NameOf(score.TopFeature));
                        else json.WriteNull(column);
                        break;
                    case ScoreColumns.Explanation:
                        if (score != null && score.ExplainedInFile(explainAll)) json.WriteString(column, score.Explain(topFeatures, CultureInfo.InvariantCulture));
                        else json.WriteNull(column);
                        break;
                    case ScoreColumns.Imputed:
                        json.WriteStartArray(column);
                        if (imputed != null) foreach (var name in imputed) json.WriteStringValue(name);
                        json.WriteEndArray();
                        break;
                    case ScoreColumns.Probability:
                        if (score?.Probability != null) json.WriteNumber(column, score.Probability.Value);
                        else json.WriteNull(column);
                        break;
                    case ScoreColumns.IsAlert:
                        json.WriteBoolean(column, score?.IsAlert == true);
                        break;
                    case ScoreColumns.Status:
                        json.WriteString(column, ScoreColumns.StatusText(score != null ? WindowStatus.Scored : status));
                        break;
                    case ScoreColumns.SourceFile:
                        json.WriteString(column, record.File);
                        break;
                    case ScoreColumns.SourceLine:
                        json.WriteNumber(column, record.Line);
                        break;
                    default:
                        throw new InvalidOperationException($"No JSON field for the score column '{column}'.");
                }
            }
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.WriteByte((byte)'\n');
        }

        /// <summary>Writes what is buffered, flushes it to the disk, and returns the file's length.</summary>
        public long Flush()
        {
            json.Flush();
            file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            buffer.SetLength(0);
            file.Flush(flushToDisk: true);
            return file.Position;
        }

        public void Dispose() => json.Dispose();
    }
}
