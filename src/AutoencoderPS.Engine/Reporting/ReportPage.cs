using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Modeling;
using static AutoencoderPS.Engine.Reporting.ReportText;

namespace AutoencoderPS.Engine.Reporting
{
    /// <summary>
    /// Writes an <see cref="AnomalyReport"/> as one HTML page: the head (no scripts, a Content-Security-Policy, the
    /// inline stylesheet), the summary and its cards, the chart (<see cref="ScoreChart"/>), the table of alerts (where the
    /// rows have alerts), the table of anomalous rows, the model and the footer.
    /// </summary>
    internal sealed class ReportPage
    {
        private readonly AnomalyReport report;

        private ReportPage(AnomalyReport report)
        {
            this.report = report;
        }

        internal static void Write(AnomalyReport report, TextWriter w, DateTime generatedUtc) => new ReportPage(report).Write(w, generatedUtc);

        private ReportModelSummary Model => report.Model;
        private string Title => report.Title;
        private bool TimeAxis => report.TimeAxis;
        private long Rows => report.Rows;
        private long ScoredRows => report.ScoredRows;
        private long WarmingUpRows => report.WarmingUpRows;
        private long NoDataRows => report.NoDataRows;
        private long RejectedRows => report.RejectedRows;
        private long Anomalies => report.Anomalies;
        private int MaxTableRows => report.MaxTableRows;
        private DateTime? FirstTime => report.FirstTime;
        private DateTime? LastTime => report.LastTime;
        private long MinX => report.MinX;
        private long MaxX => report.MaxX;

        private void Write(TextWriter w, DateTime generatedUtc)
        {
            w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            // Nothing in the page may load or run anything: inline styles only.
            w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
            w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            w.Write($"<meta name=\"generator\" content=\"AutoencoderPS {E(Model.ModuleVersion)}\">\n");
            w.Write($"<title>{E(Title)}</title>\n<style>\n{ReportStyle.Css}</style>\n</head>\n<body>\n<main>\n");
            w.Write($"<h1>{E(Title)}</h1>\n");
            WriteSummary(w);
            w.Write("<section class=\"chart\">\n<h2>Anomaly score ");
            w.Write(TimeAxis ? "over time" : "by row");
            w.Write("</h2>\n");
            new ScoreChart(report).Write(w);
            w.Write("</section>\n");
            if (report.HasAlerts) WriteAlerts(w);
            WriteTable(w);
            WriteModel(w);
            w.Write(FormattableString.Invariant($"<footer>Generated {generatedUtc:yyyy-MM-dd HH:mm} UTC by AutoencoderPS {E(Model.ModuleVersion)}. "));
            w.Write("A self-contained file: no scripts, nothing loaded from elsewhere.</footer>\n</main>\n</body>\n</html>\n");
        }

        private void WriteSummary(TextWriter w)
        {
            long total = Rows + RejectedRows;
            var lead = new StringBuilder();
            lead.Append(N(total)).Append(total == 1 ? " row" : " rows");
            if (WarmingUpRows > 0 || NoDataRows > 0 || RejectedRows > 0)
            {
                lead.Append(" (").Append(N(ScoredRows)).Append(" scored");
                // One level of brackets: the details are plain words inside it.
                if (WarmingUpRows > 0) lead.Append(", ").Append(N(WarmingUpRows)).Append(" warming up with no score yet");
                if (NoDataRows > 0) lead.Append(", ").Append(N(NoDataRows)).Append(" with no values and no score");
                if (RejectedRows > 0) lead.Append(", ").Append(N(RejectedRows)).Append(" rejected as unreadable and left out");
                lead.Append(')');
            }
            lead.Append(": ").Append(N(Anomalies)).Append(Anomalies == 1 ? " anomaly" : " anomalies");
            // Rows scored by another model (or at another threshold) keep their own verdicts: not this threshold's.
            if (report.Mismatch.Any)
                lead.Append(" as flagged when the rows were scored; ").Append(N(report.Mismatch.Rows)).Append(report.Mismatch.Rows == 1 ? " row was" : " rows were")
                    .Append(" not scored by this model at its threshold ").Append(Num(Model.Threshold));
            else
                lead.Append(" above the threshold ").Append(Num(Model.Threshold));
            if (report.HasAlerts) lead.Append(", ").Append(N(report.Alerts)).Append(report.Alerts == 1 ? " alert" : " alerts");
            if (TimeAxis && FirstTime != null) lead.Append(", from ").Append(Time(FirstTime.Value)).Append(" to ").Append(Time(LastTime!.Value));
            else if (!TimeAxis && MinX <= MaxX) lead.Append(", rows ").Append(N(MinX)).Append(" to ").Append(N(MaxX));
            lead.Append('.');
            w.Write($"<p class=\"lead\" id=\"summary\">{E(lead.ToString())}</p>\n<div class=\"cards\">\n");
            Card(w, "Rows", N(total), WarmingUpRows > 0 || NoDataRows > 0 || RejectedRows > 0 ? $"{N(ScoredRows)} scored" : "all scored", "rows");
            string share = ScoredRows > 0 ? (100.0 * Anomalies / ScoredRows).ToString("0.##", Invariant) + "% of scored rows" : "no scored rows";
            Card(w, "Anomalies", N(Anomalies), share, "anomalies", Anomalies > 0);
            if (report.HasAlerts) Card(w, "Alerts", N(report.Alerts), "onsets of anomalous stretches", "alerts", report.Alerts > 0);
            Card(w, "Threshold", Num(Model.Threshold), report.Mismatch.Any ? $"this model's; {N(report.Mismatch.Rows)} {(report.Mismatch.Rows == 1 ? "row was" : "rows were")} scored by another" : Model.ThresholdRule, "threshold");
            if (TimeAxis)
                Card(w, "Time range", FirstTime == null ? "none" : Time(FirstTime.Value), LastTime == null ? "" : "to " + Time(LastTime.Value), "range");
            else
                Card(w, "Row range", MinX <= MaxX ? $"{N(MinX)} to {N(MaxX)}" : "none", "row number in the input", "range");
            w.Write("</div>\n");
        }

        private static void Card(TextWriter w, string label, string value, string note, string id, bool bad = false) =>
            w.Write($"<div class=\"card\" id=\"card-{id}\"><div class=\"label\">{E(label)}</div><div class=\"value{(bad ? " bad" : "")}\">{E(value)}</div><div class=\"note\">{E(note)}</div></div>\n");

        private void WriteAlerts(TextWriter w)
        {
            w.Write("<section class=\"table\" id=\"alerts\">\n<h2>Alerts</h2>\n");
            long alerts = report.Alerts;
            if (alerts == 0)
            {
                w.Write("<p class=\"muted\" id=\"alerts-note\">No alerts: no anomalous stretch began.</p>\n</section>\n");
                return;
            }
            var rows = report.AlertRows();
            long leftOut = alerts - rows.Count;
            string order = TimeAxis ? "time" : "row";
            string note = leftOut == 0
                ? $"All {N(alerts)} {(alerts == 1 ? "alert" : "alerts")}, in {order} order. An alert is the first anomalous row of a stretch, after a cool-down."
                : rows.Count == 0 ? $"{N(alerts)} alerts; the table is left out (-MaxTableRows 0)."
                : rows.Count == 1 ? $"The alert with the highest score, in {order} order; {N(leftOut)} more {(leftOut == 1 ? "alert is" : "alerts are")} left out (-MaxTableRows 1)."
                : $"The {N(rows.Count)} alerts with the highest scores, in {order} order; {N(leftOut)} more {(leftOut == 1 ? "alert is" : "alerts are")} left out (-MaxTableRows {N(MaxTableRows)}).";
            w.Write($"<p class=\"muted\" id=\"alerts-note\">{E(note)}</p>\n");
            if (rows.Count == 0)
            {
                w.Write("</section>\n");
                return;
            }
            bool groups = rows.Any(r => !string.IsNullOrEmpty(r.Group));
            w.Write("<table class=\"alerts\">\n<thead><tr>");
            if (TimeAxis) w.Write("<th>Time</th>");
            w.Write("<th>Row</th>");
            if (groups) w.Write("<th>Group</th>");
            w.Write("<th>Score</th><th>Probability</th><th>Top feature</th></tr></thead>\n<tbody>\n");
            foreach (var r in rows)
            {
                w.Write("<tr class=\"alert\">");
                if (TimeAxis) w.Write($"<td class=\"time\">{E(Time(r.Time!.Value))}</td>");
                w.Write($"<td class=\"num\">{E(N(r.Row))}</td>");
                if (groups) w.Write($"<td class=\"group\">{E(r.Group ?? "")}</td>");
                string probability = r.Probability is double p ? Probability(p) : "";
                string feature = r.TopFeature ?? (r.Contributions.Count > 0 ? r.Contributions[0].Feature : "");
                w.Write($"<td class=\"num\">{E(Num(r.Score!.Value))}</td><td class=\"num\">{E(probability)}</td><td><span class=\"feature\">{E(feature)}</span></td></tr>\n");
            }
            w.Write("</tbody>\n</table>\n</section>\n");
        }

        private void WriteTable(TextWriter w)
        {
            w.Write("<section class=\"table\">\n<h2>Anomalous rows</h2>\n");
            if (Anomalies == 0)
            {
                w.Write("<p class=\"muted\" id=\"table-note\">No anomalous rows.</p>\n</section>\n");
                return;
            }
            var rows = report.TableRows();
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
            // A score over this model's threshold means nothing for a row another model scored.
            bool ratios = !report.Mismatch.Any;
            w.Write("<th>Row</th><th>Score</th>");
            if (ratios) w.Write("<th>× threshold</th>");
            w.Write("<th>Top features: observed (expected), share of the error</th></tr></thead>\n<tbody>\n");
            foreach (var r in rows)
            {
                w.Write("<tr class=\"anomaly\">");
                if (TimeAxis) w.Write($"<td class=\"time\">{E(Time(r.Time!.Value))}</td>");
                double score = r.Score!.Value;
                string ratio = double.IsFinite(score) && Model.Threshold > 0 ? (score / Model.Threshold).ToString("0.0", Invariant) + "×" : "";
                w.Write($"<td class=\"num\">{E(N(r.Row))}</td><td class=\"num\">{E(Num(score))}</td>");
                if (ratios) w.Write($"<td class=\"num\">{E(ratio)}</td>");
                w.Write("<td>");
                if (r.Contributions.Count > 0)
                {
                    w.Write("<ul class=\"why\">");
                    foreach (var c in r.Contributions)
                    {
                        double share = double.IsFinite(c.Share) ? Math.Clamp(c.Share, 0, 1) : 0;
                        w.Write(FormattableString.Invariant($"<li><span class=\"bar\"><span style=\"width:{share * 48:0.#}px\"></span></span><span class=\"share\">{share * 100:0}%</span> "));
                        var (observed, expected) = FeatureContribution.FormatPair(c.Observed, c.Expected, Invariant);
                        w.Write($"<span class=\"feature\">{E(c.Feature)}</span> <span class=\"observed\">{E(observed)}</span> ");
                        w.Write($"<span class=\"expected\">(expected {E(expected)})</span></li>");
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
            w.Write("<section class=\"model\">\n<h2>Model</h2>\n");
            if (report.Mismatch.Any)
                w.Write($"<p class=\"muted\" id=\"model-note\">{E(report.Mismatch.Describe(Rows))}. The report shows each row's own verdict; " +
                    "score the rows with this model (Test-Anomaly) to judge them by it.</p>\n");
            w.Write("<dl class=\"model\">\n");
            Item(w, $"Features ({Model.Features.Count})", string.Join(", ", Model.Features));
            Item(w, "Layers", Model.Layers + (Model.ParameterCount is long p ? $" ({N(p)} parameters)" : ""));
            if (Model.Activation.Length > 0) Item(w, "Activation", Model.Activation);
            if (Model.Loss.Length > 0) Item(w, "Loss", Model.Loss);
            if (Model.Scaling.Length > 0) Item(w, "Scaling", Model.Scaling);
            Item(w, "Threshold", Num(Model.Threshold) + (Model.ThresholdRule.Length > 0 ? $" ({Model.ThresholdRule})" : ""));
            if (Model.ThresholdSource.Length > 0) Item(w, "Threshold source", Model.ThresholdSource);
            if (Model.TrainingRows != null)
                Item(w, "Training", N(Model.TrainingRows.Value) + (Model.WindowSize > 1 ? $" windows of {N(Model.WindowSize)} rows" : " rows") + (Model.Epochs != null ? $", {N(Model.Epochs.Value)} epoch{(Model.Epochs.Value == 1 ? "" : "s")}" : "") +
                    (Model.TrainedUtc != null ? $", {Model.TrainedUtc.Value.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC" : ""));
            if (Model.Seed != null) Item(w, "Seed", Model.Seed.Value.ToString(Invariant));
            var versions = new List<string>();
            if (Model.ModuleVersion.Length > 0) versions.Add("AutoencoderPS " + Model.ModuleVersion);
            if (Model.TorchSharpVersion.Length > 0) versions.Add("TorchSharp " + Model.TorchSharpVersion);
            if (Model.LibTorchVersion.Length > 0) versions.Add("libtorch " + Model.LibTorchVersion);
            if (versions.Count > 0) Item(w, "Versions", string.Join(", ", versions));
            w.Write("</dl>\n</section>\n");
        }

        private static void Item(TextWriter w, string term, string value) =>
            w.Write($"<dt>{E(term)}</dt><dd>{E(value)}</dd>\n");
    }
}
