using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>
    /// Collects scored rows for one self-contained HTML report: a summary, the score over time against the threshold
    /// as an inline SVG chart with every anomaly marked, a table of the anomalous rows with their top features, and the
    /// model's summary; for rows that say whether they raised an alert (sliding-window models), also the alerts: their
    /// count, a mark on the chart and a table of their own. This class keeps what the report needs of the rows; <see cref="ReportPage"/> writes the page,
    /// <see cref="ScoreChart"/> its chart and <see cref="ReportStyle"/> holds its stylesheet. The file has inline CSS
    /// and SVG only: no scripts, fonts, images or links to fetch (a Content-Security-Policy in the file forbids them too).
    /// </summary>
    /// <remarks>
    /// Memory: rows are added one at a time and not kept. Per scored row the report keeps one
    /// <see cref="ChartPoint"/> (16 bytes: x and score), so a million rows take about 16 MB (up to twice that
    /// while the list grows). Per anomalous row it keeps a marker (24 bytes). Only the <see cref="MaxTableRows"/>
    /// anomalies with the highest scores keep their explanation (contributions) for the table. Per alert it keeps a
    /// marker too, and the <see cref="MaxTableRows"/> alerts with the highest scores keep their row for the alerts table.
    /// Rows without a score (warming up) are only counted.
    /// </remarks>
    public sealed class AnomalyReport
    {
        public const int DefaultMaxTableRows = 500;

        private readonly List<ChartPoint> points = new List<ChartPoint>();
        private readonly List<Marker> markers = new List<Marker>();
        private readonly List<Marker> alertMarkers = new List<Marker>();
        private readonly TopRows table;
        private readonly TopRows alertTable;
        private bool pointsSorted = true;
        private long minX = long.MaxValue, maxX = long.MinValue;
        private double minScore = double.PositiveInfinity, maxScore = double.NegativeInfinity;

        public AnomalyReport(ReportModelSummary model, bool timeAxis, string? title = null, int maxTableRows = DefaultMaxTableRows)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
            if (maxTableRows < 0) throw new ArgumentOutOfRangeException(nameof(maxTableRows), maxTableRows, "Must not be negative.");
            TimeAxis = timeAxis;
            Title = string.IsNullOrWhiteSpace(title) ? "Anomaly report" : title!;
            MaxTableRows = maxTableRows;
            table = new TopRows(maxTableRows);
            alertTable = new TopRows(maxTableRows);
            Mismatch = new ScorerMismatch(model);
        }

        /// <summary>The model that scored the rows, as the report shows it.</summary>
        public ReportModelSummary Model { get; }

        /// <summary>The rows that <see cref="Model"/> cannot have scored: the report then says they were scored elsewhere.</summary>
        public ScorerMismatch Mismatch { get; }

        public bool TimeAxis { get; }
        public string Title { get; }
        public int MaxTableRows { get; }

        /// <summary>Rows added, scored or not (rejected rows are not added: see <see cref="RejectedRows"/>).</summary>
        public long Rows { get; private set; }

        /// <summary>Rows with a score.</summary>
        public long ScoredRows { get; private set; }

        /// <summary>Rows without a score as they held no measurement (AnomalyStatus NoData).</summary>
        public long NoDataRows { get; private set; }

        /// <summary>Rows without a score yet (a window warming up).</summary>
        public long WarmingUpRows => Rows - ScoredRows - NoDataRows;

        public long Anomalies { get; private set; }

        /// <summary>
        /// Whether any row said whether it raised an alert (<see cref="ReportRow.IsAlert"/> not null): only then does the
        /// report show alerts, so a row model's report is as it was before alerts.
        /// </summary>
        public bool HasAlerts { get; private set; }

        /// <summary>Rows that raised an alert: the onset of an anomalous stretch.</summary>
        public long Alerts { get; private set; }

        /// <summary>Input rows the caller could not read (counted in the summary, never charted).</summary>
        public long RejectedRows { get; set; }

        public DateTime? FirstTime => TimeAxis && HasRows ? new DateTime(minX) : null;
        public DateTime? LastTime => TimeAxis && HasRows ? new DateTime(maxX) : null;

        /// <summary>Whether any row was added, so that <see cref="MinX"/> and <see cref="MaxX"/> mean something.</summary>
        internal bool HasRows => minX <= maxX;

        /// <summary>The x range of all rows (time in ticks, or row number); every row counts, scored or not.</summary>
        internal long MinX => minX;
        internal long MaxX => maxX;

        /// <summary>The range of the finite scores (infinite while there is none).</summary>
        internal double MinScore => minScore;
        internal double MaxScore => maxScore;

        /// <summary>Every finite score, in ascending x.</summary>
        internal IReadOnlyList<ChartPoint> SortedPoints
        {
            get
            {
                if (!pointsSorted)
                {
                    points.Sort((a, b) => a.X.CompareTo(b.X));
                    pointsSorted = true;
                }
                return points;
            }
        }

        /// <summary>Every anomaly, in the order added.</summary>
        internal IReadOnlyList<Marker> Markers => markers;

        /// <summary>Every alert, in the order added.</summary>
        internal IReadOnlyList<Marker> AlertMarkers => alertMarkers;

        /// <summary>The anomalous rows kept for the table (at most <see cref="MaxTableRows"/>, those with the highest scores), in x order.</summary>
        internal List<ReportRow> TableRows() => table.InOrder(TimeAxis);

        /// <summary>The alerts kept for the alerts table (at most <see cref="MaxTableRows"/>, those with the highest scores), in x order.</summary>
        internal List<ReportRow> AlertRows() => alertTable.InOrder(TimeAxis);

        public void Add(ReportRow row)
        {
            if (row == null) throw new ArgumentNullException(nameof(row));
            if (TimeAxis && row.Time == null)
                throw new ArgumentException($"Row {row.Row} has no time, and the report has a time axis.", nameof(row));
            Rows++;
            if (row.IsAlert != null) HasAlerts = true;
            // The x range covers every row, so rows still warming up show as the empty start of the chart.
            long x = TimeAxis ? row.Time!.Value.Ticks : row.Row;
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            if (row.Score == null)
            {
                if (row.NoData) NoDataRows++;
                return;
            }
            ScoredRows++;
            Mismatch.Check(row);
            double score = row.Score.Value;
            if (double.IsFinite(score))
            {
                if (points.Count > 0 && x < points[^1].X) pointsSorted = false;
                points.Add(new ChartPoint(x, score));
                minScore = Math.Min(minScore, score);
                maxScore = Math.Max(maxScore, score);
            }
            if (!row.IsAnomaly) return;
            Anomalies++;
            markers.Add(new Marker(x, score, row.Row));
            table.Add(row, score);
            if (row.IsAlert != true) return;
            Alerts++;
            alertMarkers.Add(new Marker(x, score, row.Row));
            alertTable.Add(row, score);
        }

        /// <summary>Writes the report to <paramref name="path"/> atomically: a failed write leaves any previous file as it was.</summary>
        public void Save(string path, Func<string, Stream>? openTemporary = null)
        {
            Action<Stream> write = stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                WriteTo(writer);
                writer.Flush();
            };
            if (openTemporary == null) AtomicFile.Write(path, write);
            else AtomicFile.Write(path, write, openTemporary);
        }

        public void WriteTo(TextWriter w) => WriteTo(w, DateTime.UtcNow);

        public void WriteTo(TextWriter w, DateTime generatedUtc) => ReportPage.Write(this, w, generatedUtc);

        /// <summary>The rows with the highest scores, at most a given number of them (a score that is not a number counts as the highest).</summary>
        private sealed class TopRows
        {
            private readonly PriorityQueue<ReportRow, double> queue = new PriorityQueue<ReportRow, double>();
            private readonly int capacity;

            public TopRows(int capacity)
            {
                this.capacity = capacity;
            }

            public void Add(ReportRow row, double score)
            {
                if (capacity == 0) return;
                double rank = double.IsNaN(score) ? double.PositiveInfinity : score;
                if (queue.Count < capacity) queue.Enqueue(row, rank);
                else if (queue.TryPeek(out _, out double lowest) && rank > lowest) queue.EnqueueDequeue(row, rank);
            }

            public List<ReportRow> InOrder(bool timeAxis) =>
                queue.UnorderedItems.Select(item => item.Element)
                    .OrderBy(r => timeAxis ? r.Time!.Value.Ticks : r.Row).ThenBy(r => r.Row).ToList();
        }

        /// <summary>An anomaly (or alert) on the chart: its x, score and row number.</summary>
        internal readonly struct Marker
        {
            public Marker(long x, double score, long row)
            {
                X = x;
                Score = score;
                Row = row;
            }

            public long X { get; }
            public double Score { get; }
            public long Row { get; }
        }
    }
}
