using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Engine.Scoring
{
    /// <summary>
    /// The verdict of scored rows in stream order, per group: the calibrated likelihood (<see cref="AnomalyLikelihood"/>)
    /// when calibrating, IsAnomaly from it (or from the model's threshold), and the alert (<see cref="AlertTracker"/>).
    /// One instance per scoring run (or kept between runs): its state is the recent history of each group.
    /// </summary>
    public sealed class RowVerdicts
    {
        public RowVerdicts(bool calibrate, double threshold = AnomalyLikelihood.DefaultThreshold, AlertCooldown? cooldown = null,
            AnomalyLikelihood? likelihood = null, Func<string, AlertCooldown?>? perGroupCooldown = null)
        {
            if (!(threshold > 0 && threshold < 1)) throw new ArgumentOutOfRangeException(nameof(threshold), "A likelihood threshold is between 0 and 1.");
            Likelihood = calibrate ? likelihood ?? new AnomalyLikelihood(unlikelyAt: threshold) : null;
            Threshold = threshold;
            Alerts = new AlertTracker(cooldown, perGroupCooldown);
        }

        /// <summary>The choice of <see cref="ScoreCalibration.Auto"/>: a likelihood for sliding-window models.</summary>
        public static bool Calibrates(ScoreCalibration calibration, ModelSettings settings) =>
            calibration == ScoreCalibration.Likelihood || (calibration == ScoreCalibration.Auto && settings.IsWindowed);

        /// <summary>Null when the raw error against the model's threshold decides.</summary>
        public AnomalyLikelihood? Likelihood { get; }

        public double Threshold { get; }

        public AlertTracker Alerts { get; }

        /// <summary>Forgets what the verdicts remember of <paramref name="groups"/> (their history and cool-down).</summary>
        public void Forget(IEnumerable<string> groups)
        {
            foreach (var group in groups)
            {
                Likelihood?.Forget(group);
                Alerts.Forget(group);
            }
        }

        /// <summary>
        /// Sets the row's likelihood, verdict and alert; rows must come in time order within their group.
        /// <paramref name="kind"/>: the row feature with the largest error (see AnomalyLikelihood.UnlikelyAt).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Apply(RowScore score, WindowKey key, int kind = 0)
        {
            score.IsAlert = Next(key.Group, key.Time, score.Score, score.IsAnomaly, out double? probability, out bool isAnomaly,
                held: score.HeldFeature != null || score.CountFeature != null, kind: kind);
            if (Likelihood != null) score.Probability = probability;
            score.IsAnomaly = isAnomaly;
        }

        /// <summary>
        /// The verdict of the next row of <paramref name="group"/> from its raw error: its likelihood (null without a
        /// calibration, or while the group is learning), whether it is an anomaly (<paramref name="rawVerdict"/>, the
        /// model's threshold, when not calibrating) and, returned, whether it raises an alert. A window in which a feature
        /// is stuck (Modeling.HeldValues) or a sparse count bursts (Modeling.CountBursts) (<paramref name="held"/>: a rule
        /// beside the error found it) is an anomaly whatever its likelihood.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool Next(string group, DateTime? time, double rawScore, bool rawVerdict, out double? probability, out bool isAnomaly,
            bool held = false, int kind = 0)
        {
            probability = null;
            isAnomaly = rawVerdict;
            if (Likelihood != null)
            {
                // The group's own threshold (a model whose groups report at different intervals: AnomalyLikelihood.PerGroup).
                probability = Likelihood.Next(group, rawScore, out bool newHigh, out double unlikelyAt, kind);
                isAnomaly = probability != null && probability.Value >= unlikelyAt && newHigh || held;
            }
            return Alerts.Next(group, time, isAnomaly);
        }
    }
}
