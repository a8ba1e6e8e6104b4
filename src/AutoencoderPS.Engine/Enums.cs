namespace AutoencoderPS.Engine
{
    /// <summary>Activation between hidden layers.</summary>
    public enum ActivationKind { Relu, Tanh, LeakyRelu }

    /// <summary>Activation of the reconstruction layer. Sigmoid suits data scaled into [0, 1].</summary>
    public enum OutputActivationKind { Sigmoid, Linear }

    /// <summary>Reconstruction loss; also the unit of the anomaly score.</summary>
    public enum LossKind { Mae, Mse }

    /// <summary>How features are scaled before they reach the network.</summary>
    public enum ScalingMethod
    {
        /// <summary>Each feature to [0, 1] by its own training minimum and maximum.</summary>
        MinMax,
        /// <summary>All features by one minimum and maximum over the whole training matrix (the seed recipe).</summary>
        GlobalMinMax,
        /// <summary>Each feature to zero mean and unit standard deviation.</summary>
        Standard,
        /// <summary>Each feature by its median and inter-quartile range: outliers in training barely move it.</summary>
        Robust,
        /// <summary>
        /// Each feature centred on its training median, divided by twice its robust standard deviation (inter-quartile
        /// range / 1.349), and passed through the logistic curve into (0, 1): every feature weighs the same in the
        /// middle of its range, outliers in the baseline don't set the scale, and a heavy tail is squeezed, never cut.
        /// </summary>
        RobustSigmoid,
    }

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
        /// left none out): about (100 - value)% of normal rows lie above it, whatever share of outliers the baseline held.
        /// </summary>
        NormalPercentile,
    }
}
