using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// Writes scored rows as CSV, as UTF-8 bytes gathered in large blocks: every original column, then the score
    /// columns (<see cref="Features.ScoreColumns"/>), in the input's culture and delimiter. AnomalyExplanation is written
    /// for anomalies only, or for every row with explainAll (<see cref="RowScore.ExplainedInFile"/>). Two targets:
    /// <list type="bullet">
    /// <item>a scored file (<see cref="ScoredCsvWriter(string, CsvInputOptions, int, bool, bool)"/>): every row has the first
    /// file's columns; the file appears only when <see cref="Commit"/> is called (temporary file, then rename), so a
    /// failed run never leaves a partial output or destroys the previous one;</item>
    /// <item>the scheduled job's output (<see cref="Append"/>): rows go to the end of an open file under fixed columns
    /// (a row's columns the output lacks are left out, a column the row lacks is empty), with the row's source file
    /// and line last; <see cref="Flush"/> makes them durable.</item>
    /// </list>
    /// </summary>
    public sealed class ScoredCsvWriter : IDisposable
    {
        /// <summary>The columns every scored row gets (see <see cref="Features.ScoreColumns.Row"/>).</summary>
        public static IReadOnlyList<string> ScoreColumns => Features.ScoreColumns.Row;

        private readonly string? path;
        private readonly string? temporary;
        private readonly CultureInfo culture;
        private readonly int topFeatures;
        private readonly bool windowed;
        private readonly bool explainAll;
        private readonly bool source;
        private readonly Stream stream;
        private readonly GuardedFileStream? guarded;
        private readonly string delimiter;
        private readonly CharBuffer text = new CharBuffer(512);
        // The output is UTF-8 bytes gathered here and written in large blocks: rows that come as raw bytes from the
        // input (WriteRaw) are copied, rows built as text are encoded.
        private readonly byte[] bytes = new byte[1 << 16];
        private int used;
        private CsvHeader? header;
        // Fixed columns (the job's output): each is found by name in the row's header.
        private readonly IReadOnlyList<string>? fixedColumns;
        private CsvHeader? mappedHeader;
        private int[] map = Array.Empty<int>();
        private bool committed;

        /// <summary>
        /// A writer to <paramref name="path"/>; <paramref name="windowed"/> (sliding-window models) adds
        /// <see cref="Features.ScoreColumns.Series"/>; <paramref name="explainAll"/> explains every row, not only the anomalies.
        /// </summary>
        public ScoredCsvWriter(string path, CsvInputOptions options, int topFeatures, bool windowed = false, bool explainAll = false)
            : this(options, topFeatures, windowed, explainAll, source: false, target: null, columns: null)
        {
            this.path = Path.GetFullPath(path);
            SafeFile.RequireRegularOrMissing(this.path, "the output");
            temporary = AtomicFile.TemporaryPathFor(this.path);
            guarded = new GuardedFileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
            stream = guarded;
        }

        private ScoredCsvWriter(CsvInputOptions options, int topFeatures, bool windowed, bool explainAll, bool source, Stream? target, IReadOnlyList<string>? columns)
        {
            this.windowed = windowed;
            this.explainAll = explainAll;
            this.source = source;
            culture = options.Culture;
            this.topFeatures = topFeatures;
            delimiter = options.EffectiveDelimiter;
            neutralize = options.NeutralizeFormulas;
            fixedColumns = columns;
            stream = target!;
        }

        /// <summary>
        /// A writer that appends to <paramref name="target"/> (positioned at its end) under <paramref name="columns"/>,
        /// then the score columns and the row's source file and line; the header first when the file is empty. Nothing is
        /// durable before <see cref="Flush"/>. The scheduled job writes its CSV output this way.
        /// </summary>
        public static ScoredCsvWriter Append(FileStream target, IReadOnlyList<string> columns, CsvInputOptions options, int topFeatures, bool windowed, bool explainAll)
        {
            var writer = new ScoredCsvWriter(options, topFeatures, windowed, explainAll, source: true, target ?? throw new ArgumentNullException(nameof(target)),
                columns ?? throw new ArgumentNullException(nameof(columns)));
            var names = new CsvHeader(columns, "");
            if (target.Position == 0) writer.WriteHeader(names);
            else writer.header = names;
            return writer;
        }

        public long Rows { get; private set; }

        /// <summary>
        /// A writer of rows into memory, to be copied into <paramref name="into"/> in order (<see cref="TakeFragment"/>,
        /// <see cref="WriteFragment"/>): parts of one file scored on several threads. It writes no header: its rows have
        /// <paramref name="header"/>'s columns, or (<paramref name="into"/> has its header already) the same in another order.
        /// </summary>
        public static ScoredCsvWriter Fragment(ScoredCsvWriter into, CsvHeader header, CsvInputOptions options)
        {
            // Under the output's columns once it has them: a file's rows of the same columns in another order are mapped.
            var writer = new ScoredCsvWriter(options, into.topFeatures, into.windowed, into.explainAll, into.source, new MemoryStream(), null)
            {
                header = into.header ?? header,
            };
            return writer;
        }

        /// <summary>A fragment's bytes since the last call, and its rows; the fragment starts empty again.</summary>
        public (ReadOnlyMemory<byte> Bytes, long Rows) TakeFragment()
        {
            if (stream is not MemoryStream memory) throw new InvalidOperationException("Only a fragment is taken.");
            Drain();
            var bytes = memory.GetBuffer().AsMemory(0, (int)memory.Length);
            long rows = Rows;
            memory.SetLength(0);
            Rows = 0;
            return (bytes, rows);
        }

        /// <summary>
        /// Writes rows formatted by a <see cref="Fragment"/> of this writer (their bytes, as they are), after the header
        /// for <paramref name="header"/> (the header of the rows' file: the same as every earlier file's).
        /// </summary>
        public void WriteFragment(CsvHeader header, ReadOnlySpan<byte> bytes, long rows)
        {
            EnsureHeader(header, null);
            Put(bytes);
            Rows += rows;
        }

        /// <summary>
        /// True once writing the output has failed (a full disk, a size limit): the output can no longer be committed,
        /// and the failure is the output's, not the input file's.
        /// </summary>
        public bool Faulted => guarded?.Faulted == true;

        /// <summary>
        /// Writes one scored row, or (<paramref name="score"/> null) a sliding-window row without a score, of
        /// <paramref name="status"/> (warming up, or no measurement): not an anomaly. All rows must come from files with the
        /// same header (or, appended, are mapped onto the output's columns).
        /// </summary>
        // Hot path, run per row: compiled optimized at once rather than tiered up after a slow start.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Write(CsvRecord record, RowScore? score, IReadOnlyCollection<string>? imputed, FeatureSchema schema,
            WindowStatus status = WindowStatus.WarmingUp)
        {
            if (score == null)
            {
                WriteUnscored(record, imputed, status);
                return;
            }
            WriteFields(record);
            WriteScore(score, imputed, schema);
            WriteSource(record);
            EndRecord();
        }

        /// <summary>
        /// Writes one scored row whose original fields are <paramref name="fields"/>: the row's own UTF-8 bytes, as
        /// they were in the input (quoting kept, no line break), holding <paramref name="missingFields"/> fewer fields
        /// than <paramref name="header"/> names (a short row: empty fields fill it up). The input must use this
        /// writer's delimiter, and <paramref name="header"/> the output's columns in their order. File scoring copies rows this
        /// way instead of splitting and re-joining their fields.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void WriteRaw(CsvHeader header, ReadOnlySpan<byte> fields, int missingFields, RowScore score, IReadOnlyCollection<string>? imputed, FeatureSchema schema)
        {
            if (fixedColumns != null) throw new InvalidOperationException("Rows of an appended output are written by their fields.");
            if (!ReferenceEquals(this.header, header))
            {
                EnsureHeader(header, null);
                // A row's own bytes keep its columns' order: rows of the output's columns in another order go by Write.
                if (!this.header!.SameColumns(header)) throw new InvalidOperationException("A row's bytes are copied only under columns in its own order.");
            }
            Put(fields);
            text.Clear();
            for (int i = 0; i < missingFields; i++) text.Append(delimiter);
            atRecordStart = false;
            WriteScore(score, imputed, schema);
            EndRecord();
        }

        // The score columns after the row's own fields, then the end of the record.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void WriteScore(RowScore score, IReadOnlyCollection<string>? imputed, FeatureSchema schema)
        {
            int start = FieldStart();
            text.Append(score.Score, "R", culture);
            FieldEnd(start);
            // The verdict and the feature names are the same few fields on every row: quoted once, then copied. Names as
            // the row's input writes them (another machine's counters read for the model's: RowScore.ReadOn).
            if (!ReferenceEquals(schema, namesOf) || !string.Equals(score.ReadOn, namesOn, StringComparison.Ordinal))
            {
                // A local of this block: a lambda capturing the parameter would cost a closure on every row.
                string machine = score.ReadOn;
                nameFields = schema.Columns.Select(c => QuotedField(Features.CounterPath.OnMachine(c.Name, machine))).ToArray();
                namesOf = schema;
                namesOn = machine;
            }
            FieldStart();
            text.Append(score.IsAnomaly ? TrueField : FalseField);
            FieldStart();
            text.Append(nameFields[score.TopFeature]);
            start = FieldStart();
            if (score.ExplainedInFile(explainAll))
            {
                score.AppendExplanation(text, topFeatures, culture);
                FieldEnd(start);
            }
            Field(imputed == null || imputed.Count == 0 ? "" : string.Join("|", imputed));
            if (windowed)
            {
                start = FieldStart();
                if (score.Probability != null) text.Append(score.Probability.Value, "R", culture);
                FieldEnd(start);
                FieldStart();
                text.Append(score.IsAlert ? TrueField : FalseField);
                Field(Features.ScoreColumns.StatusText(WindowStatus.Scored));
            }
            Rows++;
        }

        // The job's last columns: where the row came from.
        private void WriteSource(CsvRecord record)
        {
            if (!source) return;
            Field(record.File);
            Field(record.Line.ToString(CultureInfo.InvariantCulture));
        }

        // A row of a sliding-window model without a score (warming up, or no measurement): not an anomaly.
        private void WriteUnscored(CsvRecord record, IReadOnlyCollection<string>? imputed, WindowStatus status)
        {
            WriteFields(record);
            Field("");
            Field("False");
            Field("");
            Field("");
            Field(imputed == null || imputed.Count == 0 ? "" : string.Join("|", imputed));
            if (windowed)
            {
                Field("");
                Field("False");
                Field(Features.ScoreColumns.StatusText(status));
            }
            WriteSource(record);
            EndRecord();
            Rows++;
        }

        // The header before the first row, then the row's own fields (into the reused buffer).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void WriteFields(CsvRecord record)
        {
            EnsureHeader(record.Header, record.File);
            // One row is built in a reused buffer and written at once; numbers are formatted in place.
            text.Clear();
            if (fixedColumns != null)
            {
                if (!ReferenceEquals(mappedHeader, record.Header))
                {
                    map = new int[fixedColumns.Count];
                    // A perfmon time column goes under the output's, whatever zone each file's name says.
                    for (int i = 0; i < map.Length; i++)
                        map[i] = record.Header.IndexOf(Features.Windows.TimeColumn.Find(fixedColumns[i], record.Header.Names) ?? fixedColumns[i]);
                    mappedHeader = record.Header;
                }
                for (int i = 0; i < map.Length; i++) Field(map[i] >= 0 ? record.FieldAt(map[i]) ?? "" : "");
                return;
            }
            var fields = record.Fields;
            if (!ReferenceEquals(record.Header, header) && !header!.SameColumns(record.Header))
            {
                // The same columns in another order (another file, or a header met again in the file): each under its own.
                if (!ReferenceEquals(mappedHeader, record.Header))
                {
                    map = new int[header.Names.Count];
                    for (int i = 0; i < map.Length; i++) map[i] = header.Names[i].Trim().Length == 0 ? -1 : record.Header.IndexOfOutputColumn(header.Names[i]);
                    mappedHeader = record.Header;
                }
                for (int i = 0; i < map.Length; i++) Field(map[i] >= 0 ? record.FieldAt(map[i]) ?? "" : "");
                return;
            }
            for (int i = 0; i < header!.Names.Count; i++)
                Field(i < fields.Count ? fields[i] : "");
        }

        /// <summary>The columns the rows are written under (the first file's header), once written; null before.</summary>
        public CsvHeader? Columns => fixedColumns != null ? null : header;

        /// <summary>
        /// Whether rows of <paramref name="names"/> can be written here: before the first row, or when they have the
        /// output's columns, in any order (<see cref="CsvHeader.SameColumnSet"/>: written under the output's by name).
        /// </summary>
        public bool Accepts(CsvHeader names) => fixedColumns != null || header == null || header.SameColumnSet(names);

        /// <summary>Writes the header now, from <paramref name="names"/>, unless it is written (then rows of <paramref name="names"/> must fit it).</summary>
        public void Begin(CsvHeader names, string file) => EnsureHeader(names, file);

        // The header before the first row; every later row must come from a file with the same columns (in any order).
        private void EnsureHeader(CsvHeader names, string? file)
        {
            if (fixedColumns != null) return;
            if (header == null) WriteHeader(names);
            else if (!header.SameColumnSet(names))
                throw new AutoencoderException(ErrorIds.CsvHeaderMismatch,
                    $"{(file == null ? "A file" : $"File '{file}'")} has other columns than the first file, so its rows can't go into one output file. Score it to a separate -OutputPath.");
        }

        private void WriteHeader(CsvHeader names)
        {
            header = names;
            text.Clear();
            for (int i = 0; i < header.Names.Count; i++) Field(header.Names[i]);
            foreach (var name in Features.ScoreColumns.For(windowed, source)) Field(name);
            EndRecord();
        }

        private FeatureSchema? namesOf;
        private string namesOn = "";
        private string[] nameFields = Array.Empty<string>();
        private string? trueFieldText, falseFieldText;
        private string TrueField => trueFieldText ??= QuotedField("True");
        private string FalseField => falseFieldText ??= QuotedField("False");

        // A field's text as FieldEnd leaves it.
        private string QuotedField(string value) =>
            NeedsQuotes(value) ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

        // CSV fields as CsvHelper writes them by default (RFC 4180): quoted when the field holds a quote, the
        // delimiter, a line break, or starts or ends with a space; quotes inside doubled; records end with CRLF.
        private void Field(string value)
        {
            int start = FieldStart();
            text.Append(value);
            FieldEnd(start);
        }

        private int FieldStart()
        {
            if (!atRecordStart) text.Append(delimiter);
            atRecordStart = false;
            return text.Length;
        }

        private bool atRecordStart = true;
        private readonly bool neutralize;

        // The methods marked AggressiveOptimization in this file run per row or per batch when a file is scored: compiled
        // optimized at once, not tiered up through Dynamic PGO's instrumented code (.docs/performance.md, "Third look").
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void FieldEnd(int start)
        {
            var field = text.Span.Slice(start);
            if (neutralize && FormulaGuard.IsFormula(field, culture))
            {
                text.Insert(start, '\'');
                field = text.Span.Slice(start);
            }
            if (!NeedsQuotes(field)) return;
            if (field.IndexOf('"') < 0)
            {
                // The common case (an explanation holds the delimiter): quotes around it, in place.
                text.Insert(start, '"');
                text.Append('"');
                return;
            }
            int quotes = 0;
            foreach (char c in field) if (c == '"') quotes++;
            var copy = field.ToString();
            text.Truncate(start);
            text.Append('"');
            if (quotes == 0) text.Append(copy);
            else foreach (char c in copy) { if (c == '"') text.Append('"'); text.Append(c); }
            text.Append('"');
        }

        private bool NeedsQuotes(ReadOnlySpan<char> field) =>
            field.Length > 0 &&
            (field[0] == ' ' || field[^1] == ' ' || field.IndexOfAny('"', '\r', '\n') >= 0 || (delimiter.Length > 0 && field.IndexOf(delimiter.AsSpan()) >= 0));

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void EndRecord()
        {
            text.Append("\r\n");
            var chars = text.Span;
            // Encoded straight into the block when the row's longest possible UTF-8 fits (one pass over the chars).
            int most = Utf8.GetMaxByteCount(chars.Length);
            if (most > bytes.Length - used) Drain();
            if (most <= bytes.Length - used)
            {
                used += Utf8.GetBytes(chars, bytes.AsSpan(used));
            }
            else
            {
                var row = new byte[Utf8.GetByteCount(chars)];
                Utf8.GetBytes(chars, row);
                stream.Write(row);
            }
            text.Clear();
            atRecordStart = true;
        }

        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void Put(ReadOnlySpan<byte> data)
        {
            if (data.Length > bytes.Length - used)
            {
                Drain();
                if (data.Length > bytes.Length)
                {
                    stream.Write(data);
                    return;
                }
            }
            data.CopyTo(bytes.AsSpan(used));
            used += data.Length;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        private void Drain()
        {
            if (used == 0) return;
            stream.Write(bytes, 0, used);
            used = 0;
        }

        /// <summary>Flushes to disk and renames the temporary file over the target (a scored file).</summary>
        public void Commit()
        {
            if (temporary == null || path == null) throw new InvalidOperationException("An appended output is made durable by Flush.");
            Drain();
            guarded!.Flush(flushToDisk: true);
            stream.Dispose();
            SafeFile.Replace(temporary, path, "the output");
            committed = true;
        }

        /// <summary>An appended output: writes what is buffered, flushes it to the disk, and returns the file's length.</summary>
        public long Flush()
        {
            if (temporary != null || stream is not FileStream file) throw new InvalidOperationException("A scored file is made durable by Commit.");
            Drain();
            file.Flush(flushToDisk: true);
            return file.Position;
        }

        public void Dispose()
        {
            if (temporary == null)
            {
                // An appended output: the caller owns the file. What is still buffered was never committed, and the job's
                // next run cuts off anything past its committed length anyway.
                used = 0;
                return;
            }
            try
            {
                // Closing writes what is buffered; on a full disk that fails, and the real error is already on its way.
                stream.Dispose();
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
