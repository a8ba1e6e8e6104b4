using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using static AutoencoderPS.Engine.Reporting.ReportText;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>
    /// The report's chart: the anomaly score over time (or by row) as inline SVG, with the threshold as a line, every
    /// anomaly marked (with a tooltip, no script), round ticks on both axes, and at most two points per pixel column.
    /// Where the rows have alerts, each alert is a dashed vertical line with a triangle at the top of the plot.
    /// </summary>
    public sealed class ScoreChart
    {
        // Chart geometry, in SVG user units (the chart is drawn 1:1 in CSS pixels where the page is wide enough).
        internal const int ChartWidth = 1100, ChartHeight = 420;
        internal const int PlotLeft = 84, PlotRight = ChartWidth - 28, PlotTop = 40, PlotBottom = ChartHeight - 62;
        internal const int PlotWidth = PlotRight - PlotLeft, PlotHeight = PlotBottom - PlotTop;

        /// <summary>Colours used for nothing else in the page, so a screenshot can find the threshold and the Markers.</summary>
        public const string LineColor = "#3a6ea5";
        public const string ThresholdColor = "#d1002f";
        public const string MarkerColor = "#ff8c00";
        private const string MarkerStroke = "#7a3300";
        public const string AlertColor = "#6a1b9a";

        private readonly AnomalyReport report;

        internal ScoreChart(AnomalyReport report)
        {
            this.report = report;
        }

        private ReportModelSummary Model => report.Model;
        private bool TimeAxis => report.TimeAxis;
        private long ScoredRows => report.ScoredRows;
        private long Anomalies => report.Anomalies;
        private long MinX => report.MinX;
        private long MaxX => report.MaxX;
        private double MinScore => report.MinScore;
        private double MaxScore => report.MaxScore;
        private IReadOnlyList<AnomalyReport.Marker> Markers => report.Markers;
        private IReadOnlyList<AnomalyReport.Marker> AlertMarkers => report.AlertMarkers;

        internal void Write(TextWriter w)
        {
            if (ScoredRows == 0)
            {
                w.Write("<p class=\"muted\">No scored rows to chart.</p>\n");
                return;
            }
            var points = report.SortedPoints;

            // x axis: the rows' range, widened when all rows share one x.
            double x0 = MinX, x1 = MaxX;
            if (x1 <= x0)
            {
                double pad = TimeAxis ? TimeSpan.TicksPerHour : 1;
                x0 -= pad;
                x1 += pad;
            }
            // y axis: from 0 (scores are errors) to above both the highest score and the threshold.
            double top = Math.Max(double.IsFinite(MaxScore) ? MaxScore : 0, double.IsFinite(Model.Threshold) ? Model.Threshold : 0);
            double bottom = Math.Min(0, double.IsFinite(MinScore) ? MinScore : 0);
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

            // Every alert: a dashed line across the plot, under the score line, so the onset shows among many anomalies.
            if (AlertMarkers.Count > 0)
            {
                w.Write($"<g class=\"alert-lines\" stroke=\"{AlertColor}\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\">\n");
                foreach (var a in AlertMarkers)
                    w.Write(FormattableString.Invariant($"<line x1=\"{Px(a.X):0.#}\" x2=\"{Px(a.X):0.#}\" y1=\"{PlotTop + 11}\" y2=\"{PlotBottom}\"/>\n"));
                w.Write("</g>\n");
            }

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
            if (double.IsFinite(Model.Threshold))
            {
                double ty = Math.Round(Py(Model.Threshold));
                w.Write(FormattableString.Invariant(
                    $"<line class=\"threshold\" x1=\"{PlotLeft}\" x2=\"{PlotRight}\" y1=\"{ty}\" y2=\"{ty}\" stroke=\"{ThresholdColor}\" stroke-width=\"2\" shape-rendering=\"crispEdges\"/>\n"));
                w.Write(FormattableString.Invariant(
                    $"<text font-size=\"12\" text-anchor=\"end\" x=\"{PlotRight - 4}\" y=\"{ty - 6}\" style=\"fill:#7d0019\">{(report.Mismatch.Any ? "this model's threshold" : "threshold")} {E(Num(Model.Threshold))}</text>\n"));
            }

            // Every anomaly, with a tooltip (SVG title, no script).
            w.Write($"<g class=\"anomalies\" fill=\"{MarkerColor}\" stroke=\"{MarkerStroke}\" stroke-width=\"1.2\">\n");
            foreach (var m in Markers)
            {
                string where = TimeAxis ? $"{Time(new DateTime(m.X))}, row {N(m.Row)}" : $"row {N(m.Row)}";
                w.Write(FormattableString.Invariant($"<circle class=\"anomaly\" cx=\"{Px(m.X):0.#}\" cy=\"{Py(m.Score):0.#}\" r=\"5\"><title>{E(where)}: score {E(Num(m.Score))}</title></circle>\n"));
            }
            w.Write("</g>\n");

            // Every alert's triangle, at the top of the plot, with a tooltip.
            if (AlertMarkers.Count > 0)
            {
                w.Write($"<g class=\"alerts\" fill=\"{AlertColor}\">\n");
                foreach (var a in AlertMarkers)
                {
                    string where = TimeAxis ? $"{Time(new DateTime(a.X))}, row {N(a.Row)}" : $"row {N(a.Row)}";
                    w.Write(FormattableString.Invariant($"<path class=\"alert\" d=\"M{Px(a.X) - 6:0.#},{PlotTop + 1} h12 l-6,10 z\"><title>Alert at {E(where)}: score {E(Num(a.Score))}</title></path>\n"));
                }
                w.Write("</g>\n");
            }

            // Legend, in the top margin.
            int ly = PlotTop - 16;
            w.Write("<g class=\"legend\" font-size=\"12\">\n");
            w.Write(FormattableString.Invariant($"<line x1=\"{PlotLeft}\" x2=\"{PlotLeft + 22}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{LineColor}\" stroke-width=\"2\"/><text x=\"{PlotLeft + 28}\" y=\"{ly + 4}\">score</text>\n"));
            w.Write(FormattableString.Invariant($"<line x1=\"{PlotLeft + 90}\" x2=\"{PlotLeft + 112}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{ThresholdColor}\" stroke-width=\"2\" shape-rendering=\"crispEdges\"/><text x=\"{PlotLeft + 118}\" y=\"{ly + 4}\">threshold</text>\n"));
            w.Write(FormattableString.Invariant($"<circle cx=\"{PlotLeft + 200}\" cy=\"{ly}\" r=\"5\" fill=\"{MarkerColor}\" stroke=\"{MarkerStroke}\" stroke-width=\"1.2\"/><text x=\"{PlotLeft + 210}\" y=\"{ly + 4}\">anomaly ({E(N(Anomalies))})</text>\n"));
            if (report.HasAlerts)
                w.Write(FormattableString.Invariant($"<path d=\"M{PlotLeft + 324},{ly - 5} h12 l-6,10 z\" fill=\"{AlertColor}\"/><text x=\"{PlotLeft + 342}\" y=\"{ly + 4}\">alert ({E(N(report.Alerts))})</text>\n"));
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

    /// <summary>A point of the score line: x (row number or time in ticks) and score.</summary>
    public readonly struct ChartPoint
    {
        public ChartPoint(long x, double y)
        {
            X = x;
            Y = y;
        }

        public long X { get; }
        public double Y { get; }

        public override string ToString() => FormattableString.Invariant($"({X}, {Y})");
    }
}
