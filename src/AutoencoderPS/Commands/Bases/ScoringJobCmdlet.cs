using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using AutoencoderPS.Adapters;
using AutoencoderPS.Engine.Scheduling;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// The scheduled scoring job's parameters, declared once: Invoke-AnomalyScoring runs the job and
    /// Register-AnomalyScoringTask schedules it, so the two take the same model, output, state, format and input
    /// culture. Each declares its own -Path (the job's is positional, the registration's -Name is). It derives from
    /// <see cref="ScoringTaskCmdlet"/> so that one class can hold both; Invoke-AnomalyScoring uses none of the task store.
    /// </summary>
    public abstract class ScoringJobCmdlet : ScoringTaskCmdlet
    {
        /// <summary>The model file (Export-Autoencoder) to score with.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ModelPath { get; set; } = "";

        /// <summary>The file the results are appended to.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string OutputPath { get; set; } = "";

        /// <summary>The state file (default: the output path + ".state.json").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary>The output's format (default Csv).</summary>
        [Parameter]
        public ScoringOutputFormat? Format { get; set; }

        /// <summary>Culture of numbers and dates in the input (default invariant).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(CultureCompleter))]
        [ValidateKnownCulture]
        public CultureInfo? Culture { get; set; }

        /// <summary>Field separator of the input (default: the culture's list separator, or "," for the invariant culture).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Delimiter { get; set; }

        /// <summary>
        /// Text encoding of the input (default UTF-8; a UTF-8 byte-order mark is skipped): one that writes ASCII as ASCII, such
        /// as 1252 for Excel's "CSV (Comma delimited)". The output is UTF-8 whatever it is.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Encoding { get; set; }

        /// <summary>The encoding -Encoding names (null without it); an <see cref="System.ArgumentException"/> when it names none.</summary>
        protected System.Text.Encoding? InputEncodingOrNull() => Encoding == null ? null : InputEncoding.Parse(Encoding);

        /// <summary>Write AnomalyExplanation on every row of the output, not only on the anomalies.</summary>
        [Parameter]
        public SwitchParameter ExplainAll { get; set; }

        /// <summary>How many features AnomalyExplanation names, largest share of the error first.</summary>
        [Parameter]
        [ValidateRange(0, ScoringTaskAction.MaxTopFeatureCount)]
        public int TopFeatureCount { get; set; } = 3;

        /// <summary>CSV output: give fields a spreadsheet would run as formulas a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter NeutralizeFormulas { get; set; }

        /// <summary>Time-series models: how verdicts are reached (as Test-Anomaly -Calibration; Test-Anomaly declares its own, a cmdlet has one base class).</summary>
        [Parameter]
        public ScoreCalibration Calibration { get; set; } = ScoreCalibration.Auto;

        /// <summary>Time-series models with a calibration: the likelihood at and above which a row is an anomaly (not named: the model's default, see Test-Anomaly).</summary>
        [Parameter]
        [ValidateRange(0.5, 0.999999999)]
        public double ProbabilityThreshold { get; set; } = AnomalyLikelihood.DefaultThreshold;

        /// <summary>
        /// The job's model, output and state as <see cref="JobFiles"/> checks them (the inputs named without a wildcard
        /// are added by the caller): no two of them may be one file. The state is named as the parameter, or as the
        /// default beside the output when -StatePath was not given.
        /// </summary>
        protected List<JobFiles.Named> JobFilesNamed(string model, string output, string state) => new List<JobFiles.Named>
        {
            new JobFiles.Named(JobFileRole.Model, "-ModelPath", model),
            new JobFiles.Named(JobFileRole.Output, "-OutputPath", output),
            new JobFiles.Named(JobFileRole.State, StatePath != null ? "-StatePath" : "the state (-OutputPath + '.state.json')", state),
        };

        /// <summary>
        /// Time-series models: the quiet time between two alerts of a group (rows, or a time span). Not named: 4 hours of
        /// the model's rows and at most 48, at least a window; as a time for an irregular series (Engine.Scoring.AlertCooldown.For).
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public AlertCooldown AlertCooldown { get; set; } = AlertCooldown.Default;
    }
}
