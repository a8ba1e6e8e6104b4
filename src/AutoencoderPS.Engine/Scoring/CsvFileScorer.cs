using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// Scores a UTF-8 CSV file into a <see cref="ScoredCsvWriter"/> working on the file's bytes: records are found
    /// and split in place, numbers are read from the bytes, and each row's own fields are copied to the output as
    /// they were, so a row costs no strings unless a value needs the general readers (text, dates, unusual numbers)
    /// or the row is rejected. Rows are featurized as <see cref="FeatureSchema.FeaturizeValue"/> reads each value and
    /// scored by a <see cref="ScoringPipeline{TRow}"/>; <see cref="Unsupported"/> says which files must take the record
    /// path (<see cref="CsvSource.Read"/>).
    /// <para>
    /// Records are read by <see cref="CsvRecordReader"/> (the same reader as the scheduled job's): RFC 4180 as CsvHelper
    /// reads it, a record ends at a line break outside quotes (LF, CRLF or a lone CR), a record is at most
    /// <see cref="CsvRecordReader.DefaultMaxRecordBytes"/> bytes; blank lines are skipped.
    /// </para>
    /// <para>
    /// Several threads (<see cref="Threads"/>): the calling thread reads the file and cuts it into chunks of whole records;
    /// each chunk is featurized, scored and formatted by the next idle worker, into memory; the chunks are written in file
    /// order by the calling thread, which is also a worker: when enough chunks are waiting it scores the oldest itself (so
    /// two threads keep two cores busy, where a reading thread beside two workers made three threads share them). On any
    /// number of threads the workers score with replicas of the model, made when a file starts (<see
    /// cref="AutoencoderModel.ScoringReplica"/>: they share its network, nothing is copied), which the model lends them for
    /// the file (<see cref="AutoencoderModel.Hold"/>), so it is not trained again or disposed under them, and a file keeps
    /// the threshold it started with (a model that learns from the rows it scores scores them itself, on one thread). The
    /// output is byte for byte the one of one thread (a row's score does not depend on the rows scored with it), and at
    /// most two chunks per thread are in memory at once.
    /// </para>
    /// </summary>
    public sealed class CsvFileScorer : IDisposable
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

        /// <summary>
        /// Records per chunk: enough to keep a worker busy for a while, small enough to keep memory low with two chunks per
        /// worker in flight (1 GB file, 2 threads: peak 282-287 MB at 2,048 rows, 297-304 MB at 4,096, at the same speed,
        /// with a reading thread beside the workers; 267-277 MB at 2,048 since the calling thread is one of them).
        /// </summary>
        public const int ChunkRows = 2048;

        private readonly AutoencoderModel model;
        private readonly FeatureSchema schema;
        private readonly ScoredCsvWriter output;
        private readonly CsvInputOptions options;
        private readonly ScoringOptions scoring;
        private readonly byte delimiter;
        private readonly char point;
        private readonly MissingValuePolicy policy;
        private readonly Worker?[] workers;

        /// <summary>A scorer of files into <paramref name="output"/> with <paramref name="model"/> (a trained row model).</summary>
        public CsvFileScorer(AutoencoderModel model, ScoredCsvWriter output, CsvInputOptions options, int batchSize, MissingValuePolicy policy)
            : this(model, output, options, new ScoringOptions { BatchSize = batchSize }, policy)
        {
        }

        /// <summary>
        /// A scorer of files into <paramref name="output"/> with <paramref name="model"/> (a trained row model), on
        /// <paramref name="threads"/> threads. <paramref name="schema"/>: the model's schema when the caller began (a
        /// cmdlet that scored other files before): every file is refused with ModelChangedWhileScoring once the model no
        /// longer has it; by default the schema the model has now.
        /// </summary>
        public CsvFileScorer(AutoencoderModel model, ScoredCsvWriter output, CsvInputOptions options, ScoringOptions scoring, MissingValuePolicy policy,
            int threads = 1, FeatureSchema? schema = null)
        {
            this.model = model ?? throw new ArgumentNullException(nameof(model));
            if (model.Settings.IsWindowed) throw new ArgumentException("A sliding-window model's files are read record by record.", nameof(model));
            this.schema = schema ?? model.Schema ?? throw new AutoencoderException(ErrorIds.ModelNotTrained, "The model is not trained yet.");
            if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), "At least one thread.");
            this.output = output ?? throw new ArgumentNullException(nameof(output));
            this.options = options;
            this.scoring = scoring ?? throw new ArgumentNullException(nameof(scoring));
            scoring.Validate();
            delimiter = (byte)options.EffectiveDelimiter[0];
            char plain = NumberParser.PlainDecimalPoint(options.Culture);
            // A separator outside ASCII could match a byte inside a longer UTF-8 character: such numbers take the general reader.
            point = plain < 0x80 ? plain : '\0';
            this.policy = policy;
            // A model that learns (AutoencoderModel.LearnEvery) scores in row order with its own weights: one thread.
            workers = new Worker?[model.Learns ? 1 : threads];
            draining = new Task?[workers.Length];
            // Worker 0 is this thread's (it reads, writes and scores); the others run on the thread pool.
            for (int i = workers.Length - 1; i >= 1; i--) idle.Push(i);
        }

        /// <summary>Threads that featurize and score, the calling thread (which also reads and writes) included.</summary>
        public int Threads => workers.Length;

        /// <summary>
        /// Replicas of the model made for the workers so far: one per worker and file (none for a model that learns from
        /// the rows it scores: it scores them itself).
        /// </summary>
        internal int Replicas { get; private set; }

        /// <summary>Rows scored and written.</summary>
        public long Rows { get; private set; }

        /// <summary>Rows scored as anomalies.</summary>
        public long Anomalies { get; private set; }

        /// <summary>
        /// Called with a row that could not be featurized (as a record, for the error's location), why, and its number
        /// among the file's data records (1-based); the row is not written. Always on the thread that called <see cref="Score"/>.
        /// </summary>
        public Action<CsvRecord, FeatureValueException, long>? RowRejected { get; set; }

        /// <summary>
        /// Called with the warning to give when a file's header is met again in another layout (files joined into one): the
        /// rows after it are read by it (<see cref="RepeatedHeader"/>). Once per file, on the thread that called <see cref="Score"/>.
        /// </summary>
        public Action<string>? HeaderRemapped { get; set; }

        /// <summary>
        /// The groups a model scaled per group scored in the fleet-wide scaling, on any worker, each once
        /// (<see cref="ScoringPipeline{TRow}.FleetScaledGroupsWarning(IReadOnlyList{string})"/>).
        /// </summary>
        public IReadOnlyList<string> FleetScaledGroups
        {
            get { lock (fleetScaled) return fleetScaled.ToArray(); }
        }

        private readonly List<string> fleetScaled = new List<string>();
        private readonly HashSet<string> fleetScaledSeen = new HashSet<string>(StringComparer.Ordinal);

        // Called on a worker's thread after each chunk, with the groups its pipeline met first since the worker's last call
        // (its list from index `from` on): a worker's groups are noted once, and the set keeps the workers' lists apart.
        private void NoteFleetScaled(IReadOnlyList<string> groups, int from)
        {
            if (groups.Count <= from) return;
            lock (fleetScaled)
                for (int i = from; i < groups.Count; i++)
                    if (fleetScaledSeen.Add(groups[i])) fleetScaled.Add(groups[i]);
        }

        /// <summary>Called after each chunk with the records read from the current file so far.</summary>
        public Action<long>? Progress { get; set; }

        /// <summary>Asked before each record; true stops the file at once (what is pending is dropped).</summary>
        public Func<bool>? Stopping { get; set; }

        /// <summary>For tests: called by the worker before it scores a chunk (its 0-based number in the file); what it throws fails the chunk.</summary>
        internal Action<long>? BeforeChunk { get; set; }

        /// <summary>
        /// Null when <paramref name="path"/> can be scored by this class with these options and model; else why not, for
        /// the caller to take the record path: a sliding-window model, an encoding other than UTF-8, a delimiter that is
        /// not one ASCII character, or a UTF-16 or UTF-32 file.
        /// </summary>
        public static string? Unsupported(string path, CsvInputOptions options, AutoencoderModel model)
        {
            if (model.Settings.IsWindowed) return "the model reads sliding windows";
            if (options.NeutralizeFormulas) return "formulas are neutralised field by field";
            if (options.Encoding != null && options.Encoding is not UTF8Encoding) return $"the encoding is {options.Encoding.WebName}";
            string d = options.EffectiveDelimiter;
            if (d.Length != 1 || d[0] >= 0x80 || d[0] == '"' || d[0] == '\r' || d[0] == '\n') return $"the delimiter is '{d}'";
            var start = new byte[1 << 16];
            int read;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
                read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            var head = start.AsSpan(0, read);
            if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
                return "the file is UTF-16 or UTF-32";
            // The output is written with the delimiter given; a file of another one (its sep= line) is written field by field.
            if (CsvSource.SepLineDelimiter(path) is char sep && sep.ToString() != d) return $"its first line 'sep={sep}' names the delimiter '{sep}'";
            return null;
        }

        /// <summary>
        /// Scores the data rows of <paramref name="path"/>, whose columns are <paramref name="header"/> (read from its
        /// first record, or given: then <paramref name="headerInFile"/> is false and every record is data). Returns false
        /// when <see cref="Stopping"/> stopped it. A file that shrinks while it is read ends with <c>InputFileShrank</c> after
        /// the rows before its last one are written; other read failures also write the rows read before them.
        /// </summary>
        public bool Score(string path, CsvHeader header, bool headerInFile)
        {
            // A file is scored by the model as it was when the file started, on any number of threads: the workers score
            // with replicas of it, made now, whose network the model lends them for the file (training it again, a
            // learning step and Dispose wait meanwhile) and which keep the threshold of the file's start. A model that
            // learns from the rows it scores (LearnEvery) scores them itself, in order, on one thread, and is not held: a
            // fresh training meanwhile ends the file (ScoreHere).
            bool learns = model.Learns;
            if (learns && workers.Length > 1) throw BeganToLearn();
            using var lease = learns ? null : model.Hold();
            chunkFailed = false;
            // The features are read by the schema this scorer was made for: a model trained again since then is not used.
            model.ThrowIfTrainedSince(schema, path);
            int[] fieldOf = (int[])schema.FieldIndexFor(header).Clone();
            for (int c = 0; c < fieldOf.Length; c++)
            {
                if (fieldOf[c] < 0)
                    throw new AutoencoderException(ErrorIds.FeatureColumnsMissing, $"File '{path}' lacks the model's feature column '{schema.Columns[c].Name}'.");
            }
            RepeatedHeader.Filter? filter = null;
            scoresWithReplicas = !learns;
            // The output's columns are its first file's: written now, so that every chunk's rows, on any thread, go under them.
            output.Begin(header, path);
            using var file = Open(path, out long lengthAtOpen);
            var reader = new CsvRecordReader(file, delimiter, Utf8, path) { SkipByteOrderMark = true };
            bool skipHeader = headerInFile, first = true;
            // Excel's "sep=X" first line (of this delimiter: Unsupported) is not data.
            bool sepLine = CsvSource.SepLineDelimiter(path) != null;
            long records = 0;
            var inFlight = new Queue<Chunk>();
            long index = 0;
            var chunk = TakeChunk(header, path, fieldOf, index++);
            try
            {
                while (reader.Next())
                {
                    if (reader.IsBlank) continue;
                    if (sepLine) { sepLine = false; continue; }
                    if (first)
                    {
                        first = false;
                        if (CsvHeader.IsTypeLine(reader.ReadFields()!)) continue;
                    }
                    if (skipHeader) { skipHeader = false; continue; }
                    if (Stopping?.Invoke() == true) return false;
                    // The header again in another layout (files joined into one): the rows after it are read by it, in a chunk of their own.
                    if (headerInFile && (filter ??= new RepeatedHeader.Filter(header, Utf8)).MayBeHeader(reader) &&
                        RepeatedHeader.Classify(header, reader.ReadFields()!) == HeaderRepeat.Other)
                    {
                        bool firstRemap = header.Replaces == null;
                        header = RepeatedHeader.Remap(header, reader.ReadFields()!, path, reader.Line);
                        fieldOf = FieldsOf(header, path);
                        filter = null;
                        if (firstRemap) HeaderRemapped?.Invoke(RepeatedHeader.Warning(header, path));
                        if (chunk.Count > 0)
                        {
                            Dispatch(chunk, inFlight);
                            chunk = TakeChunk(header, path, fieldOf, index++);
                        }
                        else chunk.Start(header, path, fieldOf, chunk.Index, RawFits(header));
                        continue;
                    }
                    // A full chunk goes when the next record has been read: the file's last record is held back until
                    // the end is known to be the real end.
                    if (chunk.Count >= ChunkRows)
                    {
                        Dispatch(chunk, inFlight);
                        chunk = TakeChunk(header, path, fieldOf, index++);
                        Progress?.Invoke(records);
                    }
                    records++;
                    chunk.Add(reader, records);
                }
                if (file.Length < lengthAtOpen)
                {
                    chunk.DropLast();
                    throw new AutoencoderException(ErrorIds.InputFileShrank,
                        $"File '{path}' shrank from {lengthAtOpen} to {file.Length} bytes while it was read (truncated or rewritten); " +
                        "the rows before the cut were read, the last, possibly torn, row was not.");
                }
                Finish(chunk, inFlight);
            }
            catch (Exception e) when ((e is IOException || e is UnauthorizedAccessException || e is AutoencoderException) && !output.Faulted && !chunkFailed)
            {
                // Reading failed: the rows read before the failure are scored and written; the caller names the file. (A
                // chunk that failed in scoring ends the file there: the chunks after it are not written.) The caller's row
                // count goes on from the records read, so the next file's rows are numbered after them.
                Finish(chunk, inFlight);
                Progress?.Invoke(records);
                throw;
            }
            finally
            {
                // Stopped, or failed: no worker may still be running when this returns; their replicas end with the lease.
                Abandon(inFlight);
                RetireWorkers();
            }
            Progress?.Invoke(records);
            return true;
        }

        // The fields of a header met again in another layout that hold the model's features. Its rows can't be scored when it
        // lacks one (imputed, the value would be made up) or the output can't hold its columns: the file ends there.
        private int[] FieldsOf(CsvHeader remapped, string path)
        {
            int[] fieldOf = (int[])schema.FieldIndexFor(remapped).Clone();
            var missing = fieldOf.Select((f, c) => (f, c)).Where(x => x.f < 0).Select(x => $"'{schema.Columns[x.c].Name}'").ToList();
            if (missing.Count > 0) throw RepeatedHeader.NotHonoured(remapped, path, $"it lacks the model's column(s) {string.Join(", ", missing)}");
            if (!output.Accepts(remapped))
                throw RepeatedHeader.NotHonoured(remapped, path, $"the output has the first header's columns ('{Text.PrintableText.Cut(string.Join(",", output.Columns!.Names), 120)}'), not these");
            return fieldOf;
        }

        // Whether a row of these columns can be copied as its bytes: the output's columns in the same order.
        private bool RawFits(CsvHeader header) => output.Columns is not { } columns || columns.SameColumns(header);

        // Gives the workers their replicas for this file, opens it and reads its length; if any of that fails (a file
        // that can't be opened, or whose length can't be read), the replicas go at once, so the next file does not score
        // with replicas made under a lease that has ended (with the threshold this file began with).
        private FileStream Open(string path, out long length)
        {
            FileStream? stream = null;
            try
            {
                if (scoresWithReplicas)
                    for (int i = 0; i < workers.Length; i++) WorkerAt(i);
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
                length = stream.Length;
                return stream;
            }
            catch
            {
                stream?.Dispose();
                RetireWorkers();
                throw;
            }
        }

        // ---- Chunks: read on this thread, scored by the workers, written on this thread in file order ----------------

        private readonly Stack<Chunk> freeChunks = new Stack<Chunk>();

        private Chunk TakeChunk(CsvHeader header, string path, int[] fieldOf, long index)
        {
            var chunk = freeChunks.Count > 0 ? freeChunks.Pop() : new Chunk();
            chunk.Start(header, path, fieldOf, index, RawFits(header));
            return chunk;
        }

        private void Dispatch(Chunk chunk, Queue<Chunk> inFlight)
        {
            chunk.Dispatched = true;
            if (workers.Length == 1)
            {
                try
                {
                    ScoreHere(chunk);
                }
                catch
                {
                    chunkFailed = true;
                    throw;
                }
                Commit(chunk);
                return;
            }
            // The chunk waits for the first idle worker; this thread is one of them when it has read enough ahead.
            chunk.Queued = true;
            int w = -1;
            lock (waiting)
            {
                waiting.Enqueue(chunk);
                if (idle.Count > 0) w = idle.Pop();
            }
            if (w >= 0)
            {
                var worker = WorkerAt(w);
                draining[w] = Task.Run(() => Drain(worker, w));
            }
            inFlight.Enqueue(chunk);
            // Scored chunks are written as soon as the ones before them are. At most ChunksPerWorker chunks per worker are
            // in memory: then this thread scores the oldest waiting chunk itself (so two threads use two cores, not three
            // threads two), or, when the other workers have taken them all, waits for the oldest to be written.
            while (true)
            {
                while (inFlight.Count > 0 && inFlight.Peek().Done.IsSet) Commit(inFlight.Dequeue());
                if (inFlight.Count < ChunksPerWorker * workers.Length || Stopping?.Invoke() == true) return;
                if (!RunWaiting()) Commit(inFlight.Dequeue());
            }
        }

        // Scores a chunk on this thread, the only worker. A model that learns from the rows it scores is not held for the
        // file (its weights change with the rows), so another runspace may train it afresh meanwhile: the model then
        // refuses the rows its former schema read, in scoring and in learning (ModelChangedWhileScoring), the chunk that
        // met the refusal is not written, and the error names where the file stopped. (With replicas the model is held:
        // it is not trained again during the file.)
        private void ScoreHere(Chunk chunk)
        {
            try
            {
                WorkerAt(0).Process(chunk);
            }
            catch (AutoencoderException e) when (e.ErrorId == ErrorIds.ModelChangedWhileScoring)
            {
                throw new AutoencoderException(ErrorIds.ModelChangedWhileScoring, FormattableString.Invariant(
                    $"The model was trained again while '{chunk.Path}' was scored (a model that learns from the rows it scores is not held for a file): its data records from {chunk.Index * ChunkRows + 1} on were not written, those before were; score the file in a new call."),
                    e);
            }
        }

        // Scores the oldest chunk no worker has taken yet on this thread; false when there is none.
        private bool RunWaiting()
        {
            Chunk own;
            lock (waiting)
            {
                if (waiting.Count == 0) return false;
                own = waiting.Dequeue();
            }
            Run(WorkerAt(0), own);
            return true;
        }

        // Set when a chunk failed in scoring (not in reading): the file ends at that chunk.
        private bool chunkFailed;

        // True for the current file unless the model learns from the rows it scores (then it scores them itself).
        private bool scoresWithReplicas;

        // Chunks in memory per worker: two, so one waits while the other is scored.
        private const int ChunksPerWorker = 2;

        // Chunks dispatched and not yet taken, and the workers without one (by index); both under the lock of `waiting`.
        private readonly Queue<Chunk> waiting = new Queue<Chunk>();
        private readonly Stack<int> idle = new Stack<int>();

        // Each worker's current run of chunks (Drain), waited for before the file's call returns.
        private readonly Task?[] draining;

        // A worker on another thread scores waiting chunks until none is left, then is idle again.
        private void Drain(Worker worker, int index)
        {
            while (true)
            {
                Chunk next;
                lock (waiting)
                {
                    if (waiting.Count == 0)
                    {
                        idle.Push(index);
                        return;
                    }
                    next = waiting.Dequeue();
                }
                Run(worker, next);
            }
        }

        // Scores a chunk taken from the queue; a failure goes with the chunk to Commit, which throws it in file order.
        private static void Run(Worker worker, Chunk chunk)
        {
            try
            {
                worker.Process(chunk);
            }
            catch (Exception e)
            {
                chunk.Failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                chunk.Done.Set();
            }
        }

        // The file's last chunks: this thread scores those no worker has taken, and writes them all in order.
        private void Finish(Chunk chunk, Queue<Chunk> inFlight)
        {
            if (!chunk.Dispatched) Dispatch(chunk, inFlight);
            while (inFlight.Count > 0)
                if (inFlight.Peek().Done.IsSet || !RunWaiting()) Commit(inFlight.Dequeue());
        }

        // Writes a scored chunk and reports its rejected rows, on this thread; a worker's failure is thrown here.
        private void Commit(Chunk chunk)
        {
            try
            {
                if (chunk.Queued)
                {
                    chunk.Done.Wait();
                    if (chunk.Failure != null)
                    {
                        chunkFailed = true;
                        chunk.Failure.Throw();
                    }
                }
                foreach (var (record, error, ordinal) in chunk.Rejected) RowRejected?.Invoke(record, error, ordinal);
                output.WriteFragment(chunk.Header!, chunk.Output.Span, chunk.OutputRows);
                Rows += chunk.Rows;
                Anomalies += chunk.Anomalies;
            }
            finally
            {
                // A chunk is written once: after a failure its rows are not retried (and so never written twice).
                freeChunks.Push(chunk);
            }
        }

        // Waits for chunks that will not be written (Ctrl+C, a failure), so that no worker outlives the call.
        private void Abandon(Queue<Chunk> inFlight)
        {
            // Chunks no worker has taken are dropped at once; the others are waited for.
            lock (waiting)
            {
                while (waiting.Count > 0) waiting.Dequeue().Done.Set();
            }
            while (inFlight.Count > 0)
            {
                var chunk = inFlight.Dequeue();
                if (chunk.Queued) chunk.Done.Wait();
                freeChunks.Push(chunk);
            }
            // A worker's run ends once the queue is empty: none is left when the call returns.
            foreach (var run in draining) run?.Wait();
        }

        private Worker WorkerAt(int i)
        {
            if (workers[i] == null)
            {
                // Every worker, the calling thread's too, has a replica made when the file starts (no copy of the weights;
                // a model scores one batch at a time under its lock): a model recalibrated or trained meanwhile (another
                // runspace) does not score part of the file. A model that learns scores itself.
                AutoencoderModel own = model;
                if (scoresWithReplicas)
                {
                    try
                    {
                        own = model.ScoringReplica();
                    }
                    catch (InvalidOperationException) when (model.Learns)
                    {
                        throw BeganToLearn();
                    }
                }
                if (!ReferenceEquals(own, model)) Replicas++;
                workers[i] = new Worker(this, own, ownsModel: !ReferenceEquals(own, model));
            }
            return workers[i]!;
        }

        // A model that began to learn from the rows it scores (LearnEvery) after this scorer was made for several threads
        // (or while a file started): its files are not scored here. The caller names the file.
        private static AutoencoderException BeganToLearn() =>
            new AutoencoderException(ErrorIds.ModelChangedWhileScoring,
                "The model began to learn from the rows it scores (LearnEvery) after this command started: the file was not scored (the files before it were); score it in a new call.");

        // After each file: a replica is valid only while the model lends its network (training replaces the network).
        private void RetireWorkers()
        {
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i]?.Dispose();
                workers[i] = null;
                draining[i] = null;
            }
        }

        public void Dispose() => RetireWorkers();

        /// <summary>A run of whole records: their bytes and field bounds (or decoded fields when quoted), and, once scored, its output.</summary>
        private sealed class Chunk
        {
            public byte[] Bytes = new byte[1 << 18];
            public int Used;
            // Where each field of a record split in place ends in Bytes, one int per field: field i starts one byte (the
            // delimiter) after field i - 1 ends, the first at the record's offset (the reader splits such a record at
            // every delimiter; it has no quote). Half of what a start and an end per field took: the chunk is written by
            // the reading thread and read by a worker on another core, so its size is traffic between the two.
            public int[] Ends = new int[1024];
            public int EndsUsed;
            // Some entry holds decoded fields (a record with quotes): Start lets go of them.
            private bool holdsFields;
            // An array, not a List<Entry>: the ReadyToRun images hold no List of the engine's own struct, so a process's
            // first file ran its per-record Add and indexer as unoptimized (tier-0) code.
            public Entry[] Entries = new Entry[ChunkRows + 1];
            public int EntryCount;
            public CsvHeader? Header;
            public string Path = "";
            public int[] FieldOf = Array.Empty<int>();
            public long Index;
            public bool Dispatched;
            // Queued for the workers (several threads; the calling thread's among them): Done is set when the chunk is
            // scored (and Failure holds what it threw).
            public bool Queued;
            public readonly ManualResetEventSlim Done = new ManualResetEventSlim(false);
            public ExceptionDispatchInfo? Failure;
            public readonly List<(CsvRecord Record, FeatureValueException Error, long Ordinal)> Rejected = new List<(CsvRecord, FeatureValueException, long)>();
            public ReadOnlyMemory<byte> Output;
            public byte[] OutputBytes = Array.Empty<byte>();
            public long OutputRows, Rows, Anomalies;

            public int Count => EntryCount;

            // The rows' own bytes can be copied to the output (its columns in the same order); else they are written by name.
            public bool RawFits;

            public void Start(CsvHeader header, string path, int[] fieldOf, long index, bool rawFits)
            {
                RawFits = rawFits;
                Header = header;
                Path = path;
                FieldOf = fieldOf;
                Index = index;
                Dispatched = false;
                Queued = false;
                Done.Reset();
                Failure = null;
                Used = 0;
                EndsUsed = 0;
                if (holdsFields) Array.Clear(Entries, 0, EntryCount); // drops the decoded fields the entries hold
                holdsFields = false;
                EntryCount = 0;
                Rejected.Clear();
                Output = default;
                OutputRows = Rows = Anomalies = 0;
            }

            // The methods marked AggressiveOptimization in this file run per row or per batch when a file is scored: compiled
            // optimized at once, not tiered up through Dynamic PGO's instrumented code (.docs/performance.md, "Third look").
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public void Add(CsvRecordReader reader, long ordinal)
            {
                int count = reader.FieldCount;
                if (reader.Fields != null)
                {
                    Append(new Entry { Fields = reader.Fields, FieldCount = count, Line = reader.Line, Ordinal = ordinal, EndsInOpenQuote = reader.EndsInOpenQuote, NotUtf8 = reader.NotUtf8 });
                    holdsFields = true;
                    return;
                }
                var raw = reader.Raw(count);
                if (raw.Length > Bytes.Length - Used) Array.Resize(ref Bytes, Math.Max(Bytes.Length * 2, Used + raw.Length));
                raw.CopyTo(Bytes.AsSpan(Used));
                if (count > Ends.Length - EndsUsed) Array.Resize(ref Ends, Math.Max(Ends.Length * 2, EndsUsed + count));
                var ends = Ends.AsSpan(EndsUsed, count);
                for (int i = 0; i < ends.Length; i++) ends[i] = Used + reader.FieldEnd(i);
                Append(new Entry { Offset = Used, FirstEnd = EndsUsed, FieldCount = count, Line = reader.Line, Ordinal = ordinal, NotUtf8 = reader.NotUtf8 });
                Used += raw.Length;
                EndsUsed += count;
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            private void Append(in Entry entry)
            {
                if (EntryCount == Entries.Length) Array.Resize(ref Entries, 2 * Entries.Length);
                Entries[EntryCount++] = entry;
            }

            public void DropLast()
            {
                if (EntryCount == 0) return;
                var last = Entries[EntryCount - 1];
                if (last.Fields == null)
                {
                    Used = last.Offset;
                    EndsUsed = last.FirstEnd;
                }
                Entries[--EntryCount] = default;
            }

            public ReadOnlySpan<byte> Field(in Entry entry, int i)
            {
                int from = i == 0 ? entry.Offset : Ends[entry.FirstEnd + i - 1] + 1;
                return Bytes.AsSpan(from, Ends[entry.FirstEnd + i] - from);
            }

            // The record's bytes up to the end of field count - 1 (as it was in the file).
            public ReadOnlySpan<byte> Raw(in Entry entry, int count) =>
                count == 0 ? default : Bytes.AsSpan(entry.Offset, Ends[entry.FirstEnd + count - 1] - entry.Offset);

            public string[] DecodeFields(in Entry entry)
            {
                if (entry.Fields != null) return entry.Fields;
                var fields = new string[entry.FieldCount];
                for (int i = 0; i < fields.Length; i++) fields[i] = Utf8.GetString(Field(entry, i));
                return fields;
            }
        }

        private struct Entry
        {
            public int Offset, FirstEnd, FieldCount;
            public string[]? Fields;
            public long Line, Ordinal;
            // The file's last record, cut off inside a quoted field (read field by field, so Fields holds it): rejected.
            public bool EndsInOpenQuote;
            // A field whose bytes are not UTF-8 (the file is in another encoding): rejected.
            public NotUtf8Field? NotUtf8;
        }

        /// <summary>
        /// Featurizes a chunk's records from their bytes, scores them with its own pipeline and replica of the model (the
        /// model itself when it learns from the rows it scores) and formats them into its own fragment of the output.
        /// </summary>
        private sealed class Worker : IScoredRowSink<int>, IDisposable
        {
            private readonly CsvFileScorer owner;
            private readonly AutoencoderModel model;
            private readonly bool ownsModel;
            private readonly ScoringPipeline<int> pipeline;
            private string machine = "";
            private readonly List<string> imputedScratch = new List<string>();
            private ScoredCsvWriter? fragment;
            private CsvHeader? fragmentHeader;
            private Chunk chunk = null!;
            // How many of the pipeline's fleet-scaled groups (ScoringPipeline.FleetScaledGroups, which only grows) were noted.
            private int fleetScaledNoted;

            public Worker(CsvFileScorer owner, AutoencoderModel model, bool ownsModel)
            {
                this.owner = owner;
                this.model = model;
                this.ownsModel = ownsModel;
                pipeline = new ScoringPipeline<int>(model, owner.scoring, this, sinkKeepsScores: false, modelIsOwn: ownsModel);
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public void Process(Chunk work)
            {
                chunk = work;
                // The machine whose counters the chunk's rows are read by in place of the model's: once per chunk (one header).
                machine = owner.schema.InputMachine(work.Header!);
                owner.BeforeChunk?.Invoke(work.Index);
                if (fragment == null || !ReferenceEquals(fragmentHeader, work.Header))
                {
                    fragment = ScoredCsvWriter.Fragment(owner.output, work.Header!, owner.options);
                    fragmentHeader = work.Header;
                }
                long scored = pipeline.Scored, anomalies = pipeline.Anomalies;
                try
                {
                    for (int i = 0; i < work.EntryCount; i++) Accept(i);
                    pipeline.Flush();
                    owner.NoteFleetScaled(pipeline.FleetScaledGroups, fleetScaledNoted);
                    fleetScaledNoted = pipeline.FleetScaledGroups.Count;
                }
                catch
                {
                    // The fragment holds part of this chunk: the worker's next chunk (already queued) starts a new one.
                    fragment = null;
                    throw;
                }
                finally
                {
                    pipeline.Clear();
                }
                var (output, rows) = fragment.TakeFragment();
                // Copied out of the fragment, which the worker's next chunk overwrites while this one waits to be written.
                if (work.OutputBytes.Length < output.Length) work.OutputBytes = new byte[Math.Max(output.Length, 2 * work.OutputBytes.Length)];
                output.Span.CopyTo(work.OutputBytes);
                work.Output = work.OutputBytes.AsMemory(0, output.Length);
                work.OutputRows = rows;
                work.Rows = pipeline.Scored - scored;
                work.Anomalies = pipeline.Anomalies - anomalies;
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            private void Accept(int index)
            {
                var entry = chunk.Entries[index];
                var schema = owner.schema;
                var fieldOf = chunk.FieldOf;
                var culture = owner.options.Culture;
                var features = pipeline.RentFeatures();
                imputedScratch.Clear();
                try
                {
                    if (entry.FieldCount != chunk.Header!.Names.Count || entry.EndsInOpenQuote || entry.NotUtf8 != null) CheckFieldCount(entry);
                    for (int c = 0; c < fieldOf.Length; c++)
                    {
                        int f = fieldOf[c];
                        if (f >= entry.FieldCount)
                        {
                            // A row may lack trailing columns the header leaves unnamed (CsvHeader.Fit): missing.
                            schema.FeaturizeValue(c, null, culture, features, owner.policy, imputedScratch);
                            continue;
                        }
                        if (entry.Fields == null)
                        {
                            var bytes = chunk.Field(entry, f);
                            if (owner.point != '\0' && schema.RoleOf(c) == ColumnRole.Numeric && NumberParser.TryReadPlainDecimal(bytes, owner.point, out double number))
                            {
                                features[schema.FirstSlot(c)] = number;
                                continue;
                            }
                            schema.FeaturizeValue(c, Utf8.GetString(bytes), culture, features, owner.policy, imputedScratch);
                        }
                        else
                        {
                            schema.FeaturizeValue(c, entry.Fields[f], culture, features, owner.policy, imputedScratch);
                        }
                    }
                }
                catch (FeatureValueException e)
                {
                    pipeline.ReturnFeatures(features);
                    chunk.Rejected.Add((new CsvRecord(chunk.Header!, chunk.DecodeFields(entry), chunk.Path, entry.Line),
                        e.ReadOn(machine, culture), entry.Ordinal));
                    return;
                }
                pipeline.Add(index, features, imputedScratch.Count > 0 ? imputedScratch.ToArray() : null, default, machine);
            }

            // A row whose fields don't fit the header (CsvHeader.Fit, the rule of every reader, here from the bytes), or with
            // bytes that are not UTF-8: rejected.
            private void CheckFieldCount(in Entry entry)
            {
                var row = entry;
                var current = chunk;
                if (row.EndsInOpenQuote) throw CsvRecord.UnclosedQuote(current.Header!, row.FieldCount, row.Fields![^1]);
                if (current.Header!.Fit(row.FieldCount, i => row.Fields != null ? row.Fields[i] : Utf8.GetString(current.Field(row, i))) is { } misshapen)
                    throw misshapen;
                if (row.NotUtf8 != null) throw row.NotUtf8.RowError(current.Header);
            }

            /// <summary>The pipeline's sink: a scored row goes to the fragment, as its own bytes when it has them.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
            public void Write(int index, RowScore? score, IReadOnlyList<string>? imputed, WindowStatus status)
            {
                var entry = chunk.Entries[index];
                var header = chunk.Header!;
                if (entry.Fields != null || !chunk.RawFits)
                {
                    // Read field by field (quotes), or of the output's columns in another order: written as fields, each
                    // under its column, quoted as the writer quotes.
                    fragment!.Write(new CsvRecord(header, chunk.DecodeFields(entry), chunk.Path, entry.Line), score, imputed, owner.schema);
                    return;
                }
                // The row's bytes up to the last column the header names (extra fields are not written).
                int count = Math.Min(entry.FieldCount, header.Names.Count);
                fragment!.WriteRaw(header, chunk.Raw(entry, count), Math.Max(0, header.Names.Count - entry.FieldCount), score!, imputed, owner.schema);
            }

            public void Dispose()
            {
                if (ownsModel) model.Dispose();
            }
        }
    }
}
