using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;

namespace AutoencoderPS.Engine
{
    /// <summary>
    /// Writes scored rows as CSV: every original column, then the score columns, in the input's culture and
    /// delimiter. The file appears only when <see cref="Commit"/> is called (temporary file, then rename), so a
    /// failed run never leaves a partial output or destroys the previous one.
    /// </summary>
    public sealed class ScoredCsvWriter : IDisposable
    {
        public static readonly IReadOnlyList<string> ScoreColumns = new[]
        {
            "AnomalyScore", "IsAnomaly", "AnomalyTopFeature", "AnomalyExplanation", "ImputedFeatures",
        };

        private readonly string path;
        private readonly string temporary;
        private readonly CultureInfo culture;
        private readonly int topFeatures;
        private readonly bool status;
        private readonly StreamWriter stream;
        private readonly CsvWriter writer;
        private CsvHeader? header;
        private bool committed;

        /// <summary>The column a sliding-window model adds last: "Scored" or "WarmingUp" (<see cref="WindowStatus"/>).</summary>
        public const string StatusColumn = "AnomalyStatus";

        /// <summary>A writer to <paramref name="path"/>; with <paramref name="status"/> (sliding-window models) it adds the <see cref="StatusColumn"/> column.</summary>
        public ScoredCsvWriter(string path, CsvInputOptions options, int topFeatures, bool status = false)
        {
            this.status = status;
            this.path = Path.GetFullPath(path);
            culture = options.Culture;
            this.topFeatures = topFeatures;
            string directory = Path.GetDirectoryName(this.path) ?? ".";
            temporary = Path.Combine(directory, $".{Path.GetFileName(this.path)}.{Guid.NewGuid():N}.tmp");
            stream = new StreamWriter(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16),
                new UTF8Encoding(false));
            try
            {
                writer = new CsvWriter(stream, options.Configuration(hasHeader: true));
            }
            catch
            {
                stream.Dispose();
                TryDelete(temporary);
                throw;
            }
        }

        public long Rows { get; private set; }

        /// <summary>Writes one scored row. All rows must come from files with the same header.</summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Write(CsvRecord record, RowScore score, IReadOnlyCollection<string>? imputed, FeatureSchema schema)
        {
            WriteFields(record);
            writer.WriteField(score.Score.ToString("R", culture));
            writer.WriteField(score.IsAnomaly ? "True" : "False");
            writer.WriteField(schema.Columns[score.TopFeature].Name);
            writer.WriteField(score.Explain(topFeatures, culture));
            writer.WriteField(imputed == null || imputed.Count == 0 ? "" : string.Join("|", imputed));
            if (status) writer.WriteField(nameof(WindowStatus.Scored));
            writer.NextRecord();
            Rows++;
        }

        /// <summary>Writes a row of a sliding-window model that is still warming up: no score, not an anomaly.</summary>
        public void WriteWarmingUp(CsvRecord record, IReadOnlyCollection<string>? imputed)
        {
            WriteFields(record);
            writer.WriteField("");
            writer.WriteField("False");
            writer.WriteField("");
            writer.WriteField("");
            writer.WriteField(imputed == null || imputed.Count == 0 ? "" : string.Join("|", imputed));
            if (status) writer.WriteField(nameof(WindowStatus.WarmingUp));
            writer.NextRecord();
            Rows++;
        }

        // The header before the first row, then the row's own fields.
        private void WriteFields(CsvRecord record)
        {
            if (header == null)
            {
                header = record.Header;
                foreach (var name in header.Names) writer.WriteField(name);
                foreach (var name in ScoreColumns) writer.WriteField(name);
                if (status) writer.WriteField(StatusColumn);
                writer.NextRecord();
            }
            else if (!ReferenceEquals(header, record.Header) && !header.Names.SequenceEqual(record.Header.Names, StringComparer.OrdinalIgnoreCase))
            {
                throw new AutoencoderException("CsvHeaderMismatch",
                    $"File '{record.File}' has other columns than the first file, so its rows can't go into one output file. Score it to a separate -OutputPath.");
            }
            for (int i = 0; i < header.Names.Count; i++)
                writer.WriteField(i < record.Fields.Count ? record.Fields[i] : "");
        }

        /// <summary>Flushes to disk and renames the temporary file over the target.</summary>
        public void Commit()
        {
            writer.Flush();
            stream.Flush();
            ((FileStream)stream.BaseStream).Flush(flushToDisk: true);
            writer.Dispose();
            File.Move(temporary, path, overwrite: true);
            committed = true;
        }

        public void Dispose()
        {
            try
            {
                // Closing flushes what is buffered; on a full disk that fails, and the real error is already on its way.
                writer.Dispose();
            }
            catch (Exception e) when (!committed && (e is IOException || e is UnauthorizedAccessException || e is ObjectDisposedException))
            {
            }
            finally
            {
                if (!committed)
                {
                    try { stream.Dispose(); }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ObjectDisposedException) { }
                    TryDelete(temporary);
                }
            }
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
