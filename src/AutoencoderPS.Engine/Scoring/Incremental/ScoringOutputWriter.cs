using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>
    /// Appends scored rows to the output file of incremental scoring, from its committed length on. Nothing is durable
    /// until <see cref="Flush"/>, which flushes to disk and returns the new length for the state to commit.
    /// </summary>
    internal abstract class ScoringOutputWriter : IDisposable
    {
        /// <summary>The columns every output row gets after its own, in this order.</summary>
        public static readonly IReadOnlyList<string> AddedColumns = new[]
        {
            "AnomalyScore", "IsAnomaly", "AnomalyTopFeature", "AnomalyExplanation", "ImputedFeatures", "SourceFile", "SourceLine",
        };

        protected ScoringOutputWriter(FileStream file)
        {
            File = file;
        }

        protected FileStream File { get; }

        public abstract void Write(CsvRecord record, RowScore score, IReadOnlyCollection<string>? imputed);

        /// <summary>Writes what is buffered, flushes it to the disk, and returns the file's length.</summary>
        public abstract long Flush();

        public virtual void Dispose() => File.Dispose();

        public static ScoringOutputWriter Create(FileStream file, ScoringOutputState output, CsvInputOptions options, FeatureSchema schema, int topFeatures) =>
            output.Format == ScoringOutputFormat.JsonLines
                ? new JsonLinesOutputWriter(file, schema, topFeatures)
                : new CsvOutputWriter(file, output, options, schema, topFeatures);
    }

    /// <summary>
    /// CSV: a header once, when the file is empty, then one line per row in the input's culture and delimiter. The
    /// columns are those of <see cref="ScoringOutputState.Columns"/>: a row's columns the output lacks are left out, a
    /// column the row lacks is empty.
    /// </summary>
    internal sealed class CsvOutputWriter : ScoringOutputWriter
    {
        private readonly IReadOnlyList<string> columns;
        private readonly CultureInfo culture;
        private readonly FeatureSchema schema;
        private readonly int topFeatures;
        private readonly StreamWriter text;
        private readonly CsvWriter csv;
        private readonly bool neutralize;
        private CsvHeader? mappedHeader;
        private int[] map = Array.Empty<int>();

        public CsvOutputWriter(FileStream file, ScoringOutputState output, CsvInputOptions options, FeatureSchema schema, int topFeatures)
            : base(file)
        {
            columns = output.Columns ?? throw new InvalidOperationException("The output's columns are not decided.");
            culture = options.Culture;
            neutralize = options.NeutralizeFormulas;
            this.schema = schema;
            this.topFeatures = topFeatures;
            text = new StreamWriter(file, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            csv = new CsvWriter(text, options.Configuration(hasHeader: true), leaveOpen: true);
            if (file.Position == 0)
            {
                foreach (var name in columns) csv.WriteField(Guard(name));
                foreach (var name in AddedColumns) csv.WriteField(name);
                csv.NextRecord();
            }
        }

        private string Guard(string field) => neutralize ? FormulaGuard.Neutralize(field, culture) : field;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public override void Write(CsvRecord record, RowScore score, IReadOnlyCollection<string>? imputed)
        {
            if (!ReferenceEquals(mappedHeader, record.Header))
            {
                map = new int[columns.Count];
                for (int i = 0; i < columns.Count; i++) map[i] = record.Header.IndexOf(columns[i]);
                mappedHeader = record.Header;
            }
            for (int i = 0; i < map.Length; i++)
                csv.WriteField(Guard(map[i] >= 0 ? record.FieldAt(map[i]) ?? "" : ""));
            csv.WriteField(score.Score.ToString("R", culture));
            csv.WriteField(score.IsAnomaly ? "True" : "False");
            csv.WriteField(Guard(schema.Columns[score.TopFeature].Name));
            csv.WriteField(Guard(score.Explain(topFeatures, culture)));
            csv.WriteField(imputed == null || imputed.Count == 0 ? "" : string.Join("|", imputed));
            csv.WriteField(Guard(record.File));
            csv.WriteField(record.Line.ToString(CultureInfo.InvariantCulture));
            csv.NextRecord();
        }

        public override long Flush()
        {
            csv.Flush();
            text.Flush();
            File.Flush(flushToDisk: true);
            return File.Position;
        }

        public override void Dispose()
        {
            // Whatever is still buffered was never committed: the next run cuts it off anyway.
            try { csv.Dispose(); text.Dispose(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ObjectDisposedException) { }
            base.Dispose();
        }
    }

    /// <summary>
    /// JSON Lines: one object per row with every column of its file (as text, null for a missing trailing field), then
    /// AnomalyScore (a number; null when it is not finite), IsAnomaly, AnomalyTopFeature, AnomalyExplanation (invariant
    /// culture), ImputedFeatures (an array), SourceFile and SourceLine.
    /// </summary>
    internal sealed class JsonLinesOutputWriter : ScoringOutputWriter
    {
        private readonly FeatureSchema schema;
        private readonly int topFeatures;
        private readonly MemoryStream buffer = new MemoryStream();
        private readonly Utf8JsonWriter json;

        public JsonLinesOutputWriter(FileStream file, FeatureSchema schema, int topFeatures)
            : base(file)
        {
            this.schema = schema;
            this.topFeatures = topFeatures;
            json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        public override void Write(CsvRecord record, RowScore score, IReadOnlyCollection<string>? imputed)
        {
            json.WriteStartObject();
            var names = record.Header.Names;
            for (int i = 0; i < names.Count; i++)
            {
                string? value = record.FieldAt(i);
                if (value == null) json.WriteNull(names[i]);
                else json.WriteString(names[i], value);
            }
            if (double.IsFinite(score.Score)) json.WriteNumber("AnomalyScore", score.Score);
            else json.WriteNull("AnomalyScore");
            json.WriteBoolean("IsAnomaly", score.IsAnomaly);
            json.WriteString("AnomalyTopFeature", schema.Columns[score.TopFeature].Name);
            json.WriteString("AnomalyExplanation", score.Explain(topFeatures, CultureInfo.InvariantCulture));
            json.WriteStartArray("ImputedFeatures");
            if (imputed != null) foreach (var name in imputed) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteString("SourceFile", record.File);
            json.WriteNumber("SourceLine", record.Line);
            json.WriteEndObject();
            json.Flush();
            json.Reset();
            buffer.WriteByte((byte)'\n');
        }

        public override long Flush()
        {
            json.Flush();
            File.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            buffer.SetLength(0);
            File.Flush(flushToDisk: true);
            return File.Position;
        }

        public override void Dispose()
        {
            json.Dispose();
            base.Dispose();
        }
    }
}
