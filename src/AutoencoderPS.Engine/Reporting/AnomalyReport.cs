using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>
    /// Collects scored rows and writes them as one self-contained HTML report: a summary, the score over
    /// time against the threshold as an inline SVG chart with every anomaly marked, a table of the anomalous
    /// rows with their top features, and the model's summary. The file has inline CSS and SVG only: no
    /// scripts, fonts, images or links to fetch (a Content-Security-Policy in the file forbids them too).
    /// </summary>
    /// <remarks>
    /// Memory: rows are added one at a time and not kept. Per scored row the report keeps one
    /// <see cref="ChartPoint"/> (16 bytes: x and score), so a million rows take about 16 MB (up to twice that
    /// while the list grows). Per anomalous row it keeps a marker (24 bytes). Only the <see cref="MaxTableRows"/>
    /// anomalies with the highest scores keep their explanation (contributions) for the table. Rows without a
    /// score (warming up) are only counted.
    /// </remarks>
    public sealed class AnomalyReport
    {
        public const int DefaultMaxTableRows = 500;

        // Chart geometry, in SVG user units (the chart is drawn 1:1 in CSS pixels where the page is wide enough).
        internal const int ChartWidth = 1100, ChartHeight = 420;
        internal const int PlotLeft = 84, PlotRight = ChartWidth - 28, PlotTop = 40, PlotBottom = ChartHeight - 62;
        internal const int PlotWidth = PlotRight - PlotLeft, PlotHeight = PlotBottom - PlotTop;

        /// <summary>Colours used for nothing else in the page, so a screenshot can find the threshold and the markers.</summary>
        public const string LineColor = "#3a6ea5";
        public const string ThresholdColor = "#d1002f";
        public const string MarkerColor = "#ff8c00";
        private const string MarkerStroke = "#7a3300";

        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

        private readonly ReportModelSummary model;
        private readonly List<ChartPoint> points = new List<ChartPoint>();
        private readonly List<Marker> markers = new List<Marker>();
        private readonly PriorityQueue<ReportRow, double> table = new PriorityQueue<ReportRow, double>();
        private bool pointsSorted = true;
        private long minX = long.MaxValue, maxX = long.MinValue;
        private double minScore = double.PositiveInfinity, maxScore = double.NegativeInfinity;

        public AnomalyReport(ReportModelSummary model, bool timeAxis, string? title = null, int maxTableRows = DefaultMaxTableRows)
        {
            this.model = model ?? throw new ArgumentNullException(nameof(model));
            if (maxTableRows < 0) throw new ArgumentOutOfRangeException(nameof(maxTableRows), maxTableRows, "Must not be negative.");
            TimeAxis = timeAxis;
            Title = string.IsNullOrWhiteSpace(title) ? "Anomaly report" : title!;
            MaxTableRows = maxTableRows;
        }

        public bool TimeAxis { get; }
        public string Title { get; }
        public int MaxTableRows { get; }

        /// <summary>Rows added, scored or not (rejected rows are not added: see <see cref="RejectedRows"/>).</summary>
        public long Rows { get; private set; }

        /// <summary>Rows with a score.</summary>
        public long ScoredRows { get; private set; }

        /// <summary>Rows without a score yet (a window warming up).</summary>
        public long WarmingUpRows => Rows - ScoredRows;

        public long Anomalies { get; private set; }

        /// <summary>Input rows the caller could not read (counted in the summary, never charted).</summary>
        public long RejectedRows { get; set; }

        public DateTime? FirstTime => TimeAxis && minX <= maxX ? new DateTime(minX) : null;
        public DateTime? LastTime => TimeAxis && minX <= maxX ? new DateTime(maxX) : null;

        public void Add(ReportRow row)
        {
            if (row == null) throw new ArgumentNullException(nameof(row));
            if (TimeAxis && row.Time == null)
                throw new ArgumentException($"Row {row.Row} has no time, and the report has a time axis.", nameof(row));
            Rows++;
            // The x range covers every row, so rows still warming up show as the empty start of the chart.
            long x = TimeAxis ? row.Time!.Value.Ticks : row.Row;
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            if (row.Score == null) return;
            ScoredRows++;
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
            if (MaxTableRows == 0) return;
            // The table keeps the highest scores (a score that is not a number counts as the highest).
            double rank = double.IsNaN(score) ? double.PositiveInfinity : score;
            if (table.Count < MaxTableRows) table.Enqueue(row, rank);
            else if (table.TryPeek(out _, out double lowest) && rank > lowest) table.EnqueueDequeue(row, rank);
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

        public void WriteTo(TextWriter w, DateTime generatedUtc)
        {
            w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            // Nothing in the page may load or run anything: inline styles only.
            w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
            w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            w.Write($"<meta name=\"generator\" content=\"AutoencoderPS {E(model.ModuleVersion)}\">\n");
            w.Write($"<title>{E(Title)}</title>\n<style>\n{Css}</style>\n</head>\n<body>\n<main>\n");
            w.Write($"<h1>{E(Title)}</h1>\n");
            WriteSummary(w);
            w.Write("<section class=\"chart\">\n<h2>Anomaly score ");
            w.Write(TimeAxis ? "over time" : "by row");
            w.Write("</h2>\n");
            WriteChart(w);
            w.Write("</section>\n");
            WriteTable(w);
            WriteModel(w);
            w.Write(FormattableString.Invariant($"<footer>Generated {generatedUtc:yyyy-MM-dd HH:mm} UTC by AutoencoderPS {E(model.ModuleVersion)}. "));
            w.Write("A self-contained file: no scripts, nothing loaded from elsewhere.</footer>\n</main>\n</body>\n</html>\n");
        }

        private const string Css =
@"body { margin: 0; background: #f4f5f7; color: #1d232b; font: 15px/1.45 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 20px 20px 32px; }
h1 { font-size: 26px; margin: 4px 0 6px; }
h2 { font-size: 18px; margin: 0 0 10px; }
section { background: #fff; border: 1px solid #d9dde3; border-radius: 6px; padding: 14px 16px; margin: 14px 0; }
.lead { margin: 0 0 12px; color: #3c4550; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; }
.card { flex: 1 1 180px; background: #fff; border: 1px solid #d9dde3; border-radius: 6px; padding: 8px 12px; }
.card .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6672; }
.card .value { font-size: 20px; font-weight: bold; }
.card .value.bad { color: #a3001f; }
.card .note { font-size: 12px; color: #5b6672; }
svg.chart { display: block; width: 100%; max-width: 1100px; height: auto; }
svg text { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; fill: #3c4550; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e3e6ea; }
th { background: #eef0f3; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time { white-space: nowrap; }
ul.why { list-style: none; margin: 0; padding: 0; }
ul.why li { margin: 0 0 2px; }
.feature { font-weight: 600; }
.observed { font-weight: 600; color: #a3001f; }
.expected { color: #3c4550; }
.share { display: inline-block; min-width: 3.2em; color: #5b6672; font-size: 12px; }
.bar { display: inline-block; width: 48px; height: 8px; background: #eef0f3; border-radius: 2px; vertical-align: middle; margin-right: 4px; overflow: hidden; }
.bar span { display: block; height: 8px; background: #9aa4b1; }
.muted { color: #5b6672; }
dl.model { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.model dt { font-weight: 600; color: #3c4550; }
dl.model dd { margin: 0; overflow-wrap: anywhere; }
footer { color: #5b6672; font-size: 12px; margin-top: 8px; }
";

        private void WriteSummary(TextWriter w)
        {
            long total = Rows + RejectedRows;
            var lead = new StringBuilder();
            lead.Append(N(total)).Append(total == 1 ? " row" : " rows");
            if (WarmingUpRows > 0 || RejectedRows > 0)
            {
                lead.Append(" (").Append(N(ScoredRows)).Append(" scored");
                // One level of brackets: the details are plain words inside it.
                if (WarmingUpRows > 0) lead.Append(", ").Append(N(WarmingUpRows)).Append(" warming up with no score yet");
                if (RejectedRows > 0) lead.Append(", ").Append(N(RejectedRows)).Append(" rejected as unreadable and left out");
                lead.Append(')');
            }
            lead.Append(": ").Append(N(Anomalies)).Append(Anomalies == 1 ? " anomaly" : " anomalies");
            lead.Append(" above the threshold ").Append(Num(model.Threshold));
            if (TimeAxis && FirstTime != null) lead.Append(", from ").Append(Time(FirstTime.Value)).Append(" to ").Append(Time(LastTime!.Value));
            else if (!TimeAxis && minX <= maxX) lead.Append(", rows ").Append(N(minX)).Append(" to ").Append(N(maxX));
            lead.Append('.');
            w.Write($"<p class=\"lead\" id=\"summary\">{E(lead.ToString())}</p>\n<div class=\"cards\">\n");
            Card(w, "Rows", N(total), WarmingUpRows > 0 || RejectedRows > 0 ? $"{N(ScoredRows)} scored" : "all scored", "rows");
            string share = ScoredRows > 0 ? (100.0 * Anomalies / ScoredRows).ToString("0.##", Invariant) + "% of scored rows" : "no scored rows";
            Card(w, "Anomalies", N(Anomalies), share, "anomalies", Anomalies > 0);
            Card(w, "Threshold", Num(model.Threshold), model.ThresholdRule, "threshold");
            if (TimeAxis)
                Card(w, "Time range", FirstTime == null ? "none" : Time(FirstTime.Value), LastTime == null ? "" : "to " + Time(LastTime.Value), "range");
            else
                Card(w, "Row range", minX <= maxX ? $"{N(minX)} to {N(maxX)}" : "none", "row number in the input", "range");
            w.Write("</div>\n");
        }

        private static void Card(TextWriter w, string label, string value, string note, string id, bool bad = false) =>
            w.Write($"<div class=\"card\" id=\"card-{id}\"><div class=\"label\">{E(label)}</div><div class=\"value{(bad ? " bad" : "")}\">{E(value)}</div><div class=\"note\">{E(note)}</div></div>\n");

        private readonly struct Marker
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

        private void WriteChart(TextWriter w)
        {
            if (ScoredRows == 0)
            {
                w.Write("<p class=\"muted\">No scored rows to chart.</p>\n");
                return;
            }
            if (!pointsSorted) points.Sort((a, b) => a.X.CompareTo(b.X));

            // x axis: the rows' range, widened when all rows share one x.
            double x0 = minX, x1 = maxX;
            if (x1 <= x0)
            {
                double pad = TimeAxis ? TimeSpan.TicksPerHour : 1;
                x0 -= pad;
                x1 += pad;
            }
            // y axis: from 0 (scores are errors) to above both the highest score and the threshold.
            double top = Math.Max(double.IsFinite(maxScore) ? maxScore : 0, double.IsFinite(model.Threshold) ? model.Threshold : 0);
            double bottom = Math.Min(0, double.IsFinite(minScore) ? minScore : 0);
            if (top <= bottom) top = bottom + 1;
            var yTicks = NiceTicks(bottom, top + (top - bottom) * 0.04, 6);
            double y0 = yTicks[0], y1 = yTicks[^1];

            double Px(double x) => PlotLeft + (x - x0) / (x1 - x0) * PlotWidth;
            double Py(double y) => double.IsFinite(y) ? PlotBottom - (y - y0) / (y1 - y0) * PlotHeight : PlotTop + 4;

            w.Write(FormattableString.Invariant(
                $"<svg class=\"chart\" viewBox=\"0 0 {ChartWidth} {ChartHeight}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"{E(TimeAxis ? "Anomaly score over time" : "Anomaly score by row")}\">\n"));
            w.Write(FormattableString.Invariant($"<rect x=\"{PlotLeft}\" y=\"{PlotTop}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"#fbfbfc\" stroke=\"#c3c8cf\"/>\n"));

            // Horizontal grid and y labels.
            w.Write("<g class=\"y-axis\" font-size=\"12\" text-anchor=\"end\">\n");
            foreach (double tick in yTicks)
            {
                double y = Math.Round(Py(tick)) + 0.5;
                w.Write(FormattableString.Invariant($"<line x1=\"{PlotLeft}\" x2=\"{PlotRight}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e4e7eb\"/>"));
                w.Write(FormattableString.Invariant($"<text x=\"{PlotLeft - 8}\" y=\"{y + 4:0.#}\">{E(TickLabel(tick, yTicks))}</text>\n"));
            }
            w.Write("</g>\n");
            w.Write(FormattableString.Invariant(
                $"<text class=\"axis-title\" font-size=\"13\" text-anchor=\"middle\" transform=\"translate(18 {(PlotTop + PlotBottom) / 2}) rotate(-90)\">Anomaly score</text>\n"));

            // x ticks and labels.
            w.Write("<g class=\"x-axis\" font-size=\"12\" text-anchor=\"middle\">\n");
            foreach (var (x, line1, line2) in TimeAxis ? TimeTicks((long)x0, (long)x1) : RowTicks(x0, x1))
            {
                double px = Math.Round(Px(x)) + 0.5;
                w.Write(FormattableString.Invariant($"<line x1=\"{px:0.#}\" x2=\"{px:0.#}\" y1=\"{PlotTop}\" y2=\"{PlotBottom}\" stroke=\"#eef0f3\"/>"));
                w.Write(FormattableString.Invariant($"<line x1=\"{px:0.#}\" x2=\"{px:0.#}\" y1=\"{PlotBottom}\" y2=\"{PlotBottom + 5}\" stroke=\"#8a929c\"/>"));
                w.Write(FormattableString.Invariant($"<text x=\"{px:0.#}\" y=\"{PlotBottom + 19}\">{E(line1)}</text>"));
                if (line2.Length > 0) w.Write(FormattableString.Invariant($"<text x=\"{px:0.#}\" y=\"{PlotBottom + 34}\">{E(line2)}</text>"));
                w.Write('\n');
            }
            w.Write("</g>\n");
            w.Write(FormattableString.Invariant(
                $"<text class=\"axis-title\" font-size=\"13\" text-anchor=\"middle\" x=\"{(PlotLeft + PlotRight) / 2}\" y=\"{ChartHeight - 8}\">{(TimeAxis ? "Time" : "Row")}</text>\n"));

            // The score line, at most two points (lowest and highest) per pixel column.
            var line = Downsample(points, x0, x1, PlotWidth);
            if (line.Count > 0)
            {
                w.Write($"<polyline class=\"score\" fill=\"none\" stroke=\"{LineColor}\" stroke-width=\"1.3\" stroke-linejoin=\"round\" points=\"");
                for (int i = 0; i < line.Count; i++)
                {
                    if (i > 0) w.Write(' ');
                    w.Write(FormattableString.Invariant($"{Px(line[i].X):0.#},{Py(line[i].Y):0.#}"));
                }
                w.Write("\"/>\n");
            }

            // The threshold: one solid line across the plot, with crisp edges so its colour is exact.
            if (double.IsFinite(model.Threshold))
            {
                double ty = Math.Round(Py(model.Threshold));
                w.Write(FormattableString.Invariant(
                    $"<line class=\"threshold\" x1=\"{PlotLeft}\" x2=\"{PlotRight}\" y1=\"{ty}\" y2=\"{ty}\" stroke=\"{ThresholdColor}\" stroke-width=\"2\" shape-rendering=\"crispEdges\"/>\n"));
                w.Write(FormattableString.Invariant(
                    $"<text font-size=\"12\" text-anchor=\"end\" x=\"{PlotRight - 4}\" y=\"{ty - 6}\" style=\"fill:#7d0019\">threshold {E(Num(model.Threshold))}</text>\n"));
            }

            // Every anomaly, with a tooltip (SVG title, no script).
            w.Write($"<g class=\"anomalies\" fill=\"{MarkerColor}\" stroke=\"{MarkerStroke}\" stroke-width=\"1.2\">\n");
            foreach (var m in markers)
            {
                string where = TimeAxis ? $"{Time(new DateTime(m.X))}, row {N(m.Row)}" : $"row {N(m.Row)}";
                w.Write(FormattableString.Invariant($"<circle class=\"anomaly\" cx=\"{Px(m.X):0.#}\" cy=\"{Py(m.Score):0.#}\" r=\"5\"><title>{E(where)}: score {E(Num(m.Score))}</title></circle>\n"));
            }
            w.Write("</g>\n");

            // Legend, in the top margin.
            int ly = PlotTop - 16;
            w.Write("<g class=\"legend\" font-size=\"12\">\n");
            w.Write(FormattableString.Invariant($"<line x1=\"{PlotLeft}\" x2=\"{PlotLeft + 22}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{LineColor}\" stroke-width=\"2\"/><text x=\"{PlotLeft + 28}\" y=\"{ly + 4}\">score</text>\n"));
            w.Write(FormattableString.Invariant($"<line x1=\"{PlotLeft + 90}\" x2=\"{PlotLeft + 112}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{ThresholdColor}\" stroke-width=\"2\" shape-rendering=\"crispEdges\"/><text x=\"{PlotLeft + 118}\" y=\"{ly + 4}\">threshold</text>\n"));
            w.Write(FormattableString.Invariant($"<circle cx=\"{PlotLeft + 200}\" cy=\"{ly}\" r=\"5\" fill=\"{MarkerColor}\" stroke=\"{MarkerStroke}\" stroke-width=\"1.2\"/><text x=\"{PlotLeft + 210}\" y=\"{ly + 4}\">anomaly ({E(N(Anomalies))})</text>\n"));
            if (points.Count > 2 * PlotWidth)
                w.Write(FormattableString.Invariant($"<text x=\"{PlotRight}\" y=\"{ly + 4}\" text-anchor=\"end\" class=\"muted\">{E(N(points.Count))} scores; the line shows the lowest and highest per pixel</text>\n"));
            w.Write("</g>\n</svg>\n");
        }

        /// <summary>
        /// The points of a line over <paramref name="buckets"/> equal columns of [x0, x1]: all of them when there are at
        /// most two per column, otherwise the lowest and the highest of each column, in x order. Every column's extremes
        /// survive, so spikes are never thinned away. <paramref name="sorted"/> must be in ascending x.
        /// </summary>
        public static List<ChartPoint> Downsample(IReadOnlyList<ChartPoint> sorted, double x0, double x1, int buckets)
        {
            if (buckets < 1) throw new ArgumentOutOfRangeException(nameof(buckets));
            if (sorted.Count <= 2 * buckets) return sorted.ToList();
            var result = new List<ChartPoint>(2 * buckets);
            double width = x1 > x0 ? x1 - x0 : 1;
            int i = 0;
            while (i < sorted.Count)
            {
                int bucket = Bucket(sorted[i].X);
                int low = i, high = i;
                int j = i + 1;
                for (; j < sorted.Count && Bucket(sorted[j].X) == bucket; j++)
                {
                    if (sorted[j].Y < sorted[low].Y) low = j;
                    if (sorted[j].Y > sorted[high].Y) high = j;
                }
                if (low == high) result.Add(sorted[low]);
                else
                {
                    result.Add(sorted[Math.Min(low, high)]);
                    result.Add(sorted[Math.Max(low, high)]);
                }
                i = j;
            }
            return result;

            int Bucket(long x) => Math.Clamp((int)Math.Floor((x - x0) / width * buckets), 0, buckets - 1);
        }

        private void WriteTable(TextWriter w)
        {
            w.Write("<section class=\"table\">\n<h2>Anomalous rows</h2>\n");
            if (Anomalies == 0)
            {
                w.Write("<p class=\"muted\" id=\"table-note\">No anomalous rows.</p>\n</section>\n");
                return;
            }
            var rows = table.UnorderedItems.Select(item => item.Element)
                .OrderBy(r => TimeAxis ? r.Time!.Value.Ticks : r.Row).ThenBy(r => r.Row).ToList();
            long leftOut = Anomalies - rows.Count;
            string note = leftOut == 0
                ? $"All {N(Anomalies)} anomalous rows, in {(TimeAxis ? "time" : "row")} order."
                : rows.Count == 0 ? $"{N(Anomalies)} anomalous rows; the table is left out (-MaxTableRows 0)."
                : $"The {N(rows.Count)} anomalous rows with the highest scores, in {(TimeAxis ? "time" : "row")} order; {N(leftOut)} more anomalous rows are left out (-MaxTableRows {N(MaxTableRows)}).";
            w.Write($"<p class=\"muted\" id=\"table-note\">{E(note)}</p>\n");
            if (rows.Count == 0)
            {
                w.Write("</section>\n");
                return;
            }
            w.Write("<table class=\"anomalies\">\n<thead><tr>");
            if (TimeAxis) w.Write("<th>Time</th>");
            w.Write("<th>Row</th><th>Score</th><th>× threshold</th><th>Top features: observed (expected), share of the error</th></tr></thead>\n<tbody>\n");
            foreach (var r in rows)
            {
                w.Write("<tr class=\"anomaly\">");
                if (TimeAxis) w.Write($"<td class=\"time\">{E(Time(r.Time!.Value))}</td>");
                double score = r.Score!.Value;
                string ratio = double.IsFinite(score) && model.Threshold > 0 ? (score / model.Threshold).ToString("0.0", Invariant) + "×" : "";
                w.Write($"<td class=\"num\">{E(N(r.Row))}</td><td class=\"num\">{E(Num(score))}</td><td class=\"num\">{E(ratio)}</td><td>");
                if (r.Contributions.Count > 0)
                {
                    w.Write("<ul class=\"why\">");
                    foreach (var c in r.Contributions)
                    {
                        double share = double.IsFinite(c.Share) ? Math.Clamp(c.Share, 0, 1) : 0;
                        w.Write(FormattableString.Invariant($"<li><span class=\"bar\"><span style=\"width:{share * 48:0.#}px\"></span></span><span class=\"share\">{share * 100:0}%</span> "));
                        w.Write($"<span class=\"feature\">{E(c.Feature)}</span> <span class=\"observed\">{E(FeatureContribution.Format(c.Observed, Invariant))}</span> ");
                        w.Write($"<span class=\"expected\">(expected {E(FeatureContribution.Format(c.Expected, Invariant))})</span></li>");
                    }
                    w.Write("</ul>");
                }
                else if (!string.IsNullOrEmpty(r.Explanation)) w.Write(E(r.Explanation!));
                w.Write("</td></tr>\n");
            }
            w.Write("</tbody>\n</table>\n</section>\n");
        }

        private void WriteModel(TextWriter w)
        {
            w.Write("<section class=\"model\">\n<h2>Model</h2>\n<dl class=\"model\">\n");
            Item(w, $"Features ({model.Features.Count})", string.Join(", ", model.Features));
            Item(w, "Layers", model.Layers + (model.ParameterCount is long p ? $" ({N(p)} parameters)" : ""));
            if (model.Activation.Length > 0) Item(w, "Activation", model.Activation);
            if (model.Loss.Length > 0) Item(w, "Loss", model.Loss);
            if (model.Scaling.Length > 0) Item(w, "Scaling", model.Scaling);
            Item(w, "Threshold", Num(model.Threshold) + (model.ThresholdRule.Length > 0 ? $" ({model.ThresholdRule})" : ""));
            if (model.ThresholdSource.Length > 0) Item(w, "Threshold source", model.ThresholdSource);
            if (model.TrainingRows != null)
                Item(w, "Training", N(model.TrainingRows.Value) + (model.WindowSize > 1 ? $" windows of {N(model.WindowSize)} rows" : " rows") + (model.Epochs != null ? $", {N(model.Epochs.Value)} epochs" : "") +
                    (model.TrainedUtc != null ? $", {model.TrainedUtc.Value.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC" : ""));
            if (model.Seed != null) Item(w, "Seed", model.Seed.Value.ToString(Invariant));
            var versions = new List<string>();
            if (model.ModuleVersion.Length > 0) versions.Add("AutoencoderPS " + model.ModuleVersion);
            if (model.TorchSharpVersion.Length > 0) versions.Add("TorchSharp " + model.TorchSharpVersion);
            if (model.LibTorchVersion.Length > 0) versions.Add("libtorch " + model.LibTorchVersion);
            if (versions.Count > 0) Item(w, "Versions", string.Join(", ", versions));
            w.Write("</dl>\n</section>\n");
        }

        private static void Item(TextWriter w, string term, string value) =>
            w.Write($"<dt>{E(term)}</dt><dd>{E(value)}</dd>\n");

        // ---- formatting ----

        /// <summary>HTML-escapes text for element content and attribute values (&lt; &gt; &amp; " ').</summary>
        internal static string E(string text) => WebUtility.HtmlEncode(text);

        private static string N(long value) => value.ToString("N0", Invariant);

        private static string Num(double value) =>
            double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "∞" : "-∞") : value.ToString("G4", Invariant);

        private static string Time(DateTime t) =>
            t.ToString(t.Second == 0 && t.Millisecond == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss", Invariant);

        /// <summary>Round tick values (1, 2 or 5 times a power of ten) covering [min, max], at most about <paramref name="target"/>.</summary>
        internal static double[] NiceTicks(double min, double max, int target)
        {
            double span = max - min;
            if (!(span > 0)) span = Math.Abs(max) > 0 ? Math.Abs(max) : 1;
            double raw = span / target;
            double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(f => f * magnitude).First(s => s >= raw);
            double first = Math.Floor(min / step) * step, last = Math.Ceiling(max / step) * step;
            int count = (int)Math.Round((last - first) / step);
            return Enumerable.Range(0, count + 1).Select(k => first + k * step).ToArray();
        }

        private static string TickLabel(double value, double[] ticks)
        {
            double step = ticks.Length > 1 ? ticks[1] - ticks[0] : 1;
            int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
            if (Math.Abs(value) < step / 1e6) value = 0;
            return decimals > 6 ? value.ToString("0.###E+0", Invariant) : value.ToString("F" + decimals, Invariant);
        }

        private static IEnumerable<(double X, string Line1, string Line2)> RowTicks(double x0, double x1)
        {
            var ticks = NiceTicks(x0, x1, 8);
            double step = ticks.Length > 1 ? ticks[1] - ticks[0] : 1;
            if (step < 1) step = 1;
            for (double x = Math.Ceiling(x0 / step) * step; x <= x1 + 1e-9; x += step)
                yield return (x, N((long)Math.Round(x)), "");
        }

        private static readonly TimeSpan[] TimeSteps =
        {
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2),
            TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
            TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
            TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14),
        };

        /// <summary>
        /// Time ticks at round clock times (about 6 to 10 of them). Below a day, a label is the clock time, with the date
        /// under it where the date changes (and on the first tick); from a day up, the date; from a month up, the month.
        /// </summary>
        internal static IEnumerable<(double X, string Line1, string Line2)> TimeTicks(long t0, long t1)
        {
            long span = Math.Max(1, t1 - t0);
            const int MaxTicks = 10;
            var fixedStep = TimeSteps.Select(s => (TimeSpan?)s).FirstOrDefault(s => span / s!.Value.Ticks <= MaxTicks);
            if (fixedStep is TimeSpan step)
            {
                long ticks = step.Ticks;
                // DateTime ticks count from midnight, Monday 1 January 0001: multiples of a step are round clock times.
                long first = (t0 + ticks - 1) / ticks * ticks;
                string clock = step < TimeSpan.FromMinutes(1) ? "HH:mm:ss" : "HH:mm";
                DateTime? previous = null;
                for (long t = first; t <= t1; t += ticks)
                {
                    var time = new DateTime(t);
                    if (step >= TimeSpan.FromDays(1))
                        yield return (t, time.ToString("yyyy-MM-dd", Invariant), step < TimeSpan.FromDays(7) ? time.ToString("ddd", Invariant) : "");
                    else
                    {
                        bool newDay = previous == null || previous.Value.Date != time.Date;
                        yield return (t, time.ToString(clock, Invariant), newDay ? time.ToString("yyyy-MM-dd", Invariant) : "");
                    }
                    previous = time;
                }
                yield break;
            }
            // Months: 1, 2, 3, 6, 12, 24, ... months per tick.
            var start = new DateTime(t0);
            var end = new DateTime(t1);
            int months = (end.Year - start.Year) * 12 + end.Month - start.Month + 1;
            int perTick = new[] { 1, 2, 3, 6, 12 }.FirstOrDefault(m => months / m <= MaxTicks);
            if (perTick == 0) perTick = 12 * (int)Math.Ceiling(months / 12.0 / MaxTicks);
            var tick = new DateTime(start.Year, 1, 1);
            // Months stop at 9999-12 (DateTime's end): a time stamp there must not step past it.
            while (tick.Ticks < t0 || (tick.Month - 1) % perTick != 0)
                if (!TryAddMonths(tick, 1, out tick)) yield break;
            while (tick.Ticks <= t1)
            {
                yield return (tick.Ticks, tick.ToString(perTick >= 12 ? "yyyy" : "yyyy-MM", Invariant), "");
                if (!TryAddMonths(tick, perTick, out tick)) yield break;
            }
        }

        private static bool TryAddMonths(DateTime time, int months, out DateTime result)
        {
            long index = time.Year * 12L + time.Month - 1 + months;
            result = time;
            if (index > 9999 * 12L + 11) return false;
            result = time.AddMonths(months);
            return true;
        }
    }
}
