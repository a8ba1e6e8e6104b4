using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Numerics;

namespace AutoencoderPS.Engine.Modeling
{
    /// <summary>How the anomaly threshold is derived from the training reconstruction errors.</summary>
    public enum ThresholdMethod
    {
        /// <summary>Mean plus k standard deviations of the training errors (k = threshold value).</summary>
        MeanStd,
        /// <summary>The given percentile (0-100) of the training errors.</summary>
        Percentile,
        /// <summary>The expected fraction of anomalies in the training data (0-0.5): that share of training rows lies above the threshold.</summary>
        Contamination,
        /// <summary>The threshold value itself, as a score.</summary>
        Manual,
        /// <summary>
        /// The given percentile (0-100) of the training errors of the rows robust training kept as normal (all rows when it
        /// left none out).
        /// </summary>
        NormalPercentile,
    }

    /// <summary>The reconstruction errors a threshold was set from.</summary>
    public enum ThresholdErrors
    {
        /// <summary>The training rows' (or windows'): training, or a recalibration on the stored training errors.</summary>
        Training,
        /// <summary>New normal rows' (or their windows'), piped or read from files to recalibrate on.</summary>
        NewRows,
    }

    /// <summary>How the anomaly threshold follows from reconstruction errors: the training errors, or those of new normal rows.</summary>
    public sealed class ThresholdRule
    {
        public ThresholdRule(ThresholdMethod method, double value, ThresholdErrors errors = ThresholdErrors.Training)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The threshold value must be a finite number.");
            if ((method == ThresholdMethod.Percentile || method == ThresholdMethod.NormalPercentile) && (value <= 0 || value > 100))
                throw new ArgumentOutOfRangeException(nameof(value), value, "A percentile must lie in (0, 100].");
            if (method == ThresholdMethod.MeanStd && value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "The number of standard deviations must not be negative.");
            if (method == ThresholdMethod.Contamination && (value <= 0 || value > 0.5))
                throw new ArgumentOutOfRangeException(nameof(value), value, "Contamination is a fraction of the training rows and must lie in (0, 0.5].");
            if (method == ThresholdMethod.Manual && value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A manual threshold is a score and must not be negative.");
            Method = method;
            Value = value;
            Errors = errors;
        }

        public ThresholdMethod Method { get; }
        public double Value { get; }

        /// <summary>The errors the threshold was set from: what the rule's text names.</summary>
        public ThresholdErrors Errors { get; }

        /// <summary>This rule applied to <paramref name="errors"/> (itself when it already is).</summary>
        public ThresholdRule On(ThresholdErrors errors) => errors == Errors ? this : new ThresholdRule(Method, Value, errors);

        /// <summary>
        /// The default rule: the 99th percentile of the training errors, so at most 1% of the training rows score above it,
        /// and about 1% of new normal rows. (The seed recipe's mean + 1 standard deviation flagged anything from 0.2% to 16%
        /// of the normal test rows of the ODDS sets: the share depends on the shape of the error distribution. See
        /// <see cref="SeedRecipe"/>.)
        /// </summary>
        public static ThresholdRule Default => new ThresholdRule(ThresholdMethod.Percentile, 99.0);

        /// <summary>The seed recipe's rule: mean + 1 standard deviation.</summary>
        public static ThresholdRule SeedRecipe => new ThresholdRule(ThresholdMethod.MeanStd, 1.0);

        /// <summary>Default value of each method's parameter.</summary>
        public static double DefaultValue(ThresholdMethod method) => method switch
        {
            ThresholdMethod.Percentile or ThresholdMethod.NormalPercentile => 99.0,
            ThresholdMethod.Contamination => 0.01,
            _ => 1.0,
        };

        /// <param name="errors">Reconstruction errors of training (or new normal) rows.</param>
        /// <param name="trimmedShare">The share of <paramref name="errors"/> that robust training left out as outliers: the
        /// largest ones. NormalPercentile reads the percentile of the rest.</param>
        public double Compute(IReadOnlyList<double> errors, double trimmedShare = 0)
        {
            if (Method == ThresholdMethod.Manual) return Value;
            if (errors.Count == 0)
                throw new AutoencoderException(ErrorIds.EmptyTrainingInput, "A threshold needs at least one training error.");
            return Method switch
            {
                ThresholdMethod.MeanStd => Statistics.Mean(errors) + Value * Statistics.StandardDeviation(errors),
                ThresholdMethod.Percentile => Statistics.Percentile(errors, Value),
                ThresholdMethod.NormalPercentile => Statistics.Percentile(Smallest(errors, trimmedShare), Value),
                ThresholdMethod.Contamination => Statistics.Percentile(errors, 100.0 * (1.0 - Value)),
                ThresholdMethod.Manual => Value,
                _ => throw new ArgumentOutOfRangeException(nameof(Method)),
            };
        }

        public override string ToString()
        {
            string errors = Errors == ThresholdErrors.NewRows ? "the errors of new normal rows" : "training errors";
            return Method switch
            {
                ThresholdMethod.MeanStd => FormattableString.Invariant($"mean + {Value:0.###} std of {errors}"),
                ThresholdMethod.Percentile => FormattableString.Invariant($"{Ordinal(Value)} percentile of {errors}: flags about {100 - Value:0.###}% of normal rows"),
                // New rows are all normal: robust training's outliers are the training rows'.
                ThresholdMethod.NormalPercentile => Errors == ThresholdErrors.NewRows
                    ? FormattableString.Invariant($"{Ordinal(Value)} percentile of {errors}")
                    : FormattableString.Invariant($"{Ordinal(Value)} percentile of the training errors of the rows kept as normal"),
                ThresholdMethod.Contamination => FormattableString.Invariant($"contamination {Value:0.####}: the top {Value * 100:0.##}% of {errors} lie above it"),
                ThresholdMethod.Manual => FormattableString.Invariant($"set by hand to {Value:G6}"),
                _ => $"{Method}",
            };
        }

        // "91st", "92nd", "93rd", "11th", "99th"; a fraction reads "99.5th". The text is also stored in model files (the
        // threshold's source); files written before say "91th", and are shown as they were written.
        private static string Ordinal(double value)
        {
            string number = FormattableString.Invariant($"{value:0.###}");
            if (value != Math.Floor(value) || value < 0)
            {
                return number + "th";
            }

            long whole = (long)value;
            string suffix = (whole % 100) is >= 11 and <= 13 ? "th" : (whole % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
            return number + suffix;
        }

        // The errors of the rows robust training kept: all but the largest share (as RobustTrimming.Kept counts them).
        private static double[] Smallest(IReadOnlyList<double> errors, double trimmedShare)
        {
            var sorted = Statistics.Sorted(errors);
            int drop = (int)Math.Floor(Math.Clamp(trimmedShare, 0, RobustTrimming.MaxShare) * sorted.Length);
            return drop > 0 && drop < sorted.Length ? sorted[..^drop] : sorted;
        }
    }
}
