using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Commands
{
    /// <summary>Trains a model on normal rows from the pipeline and sets its anomaly threshold.</summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AutoencoderTraining")]
    [OutputType(typeof(EpochResult))]
    [OutputType(typeof(AutoencoderModel))]
    public sealed class InvokeAutoencoderTrainingCommand : AutoencoderCmdlet
    {
        // Features are inferred from this many leading rows; later rows are featurized as they arrive,
        // so the command keeps numbers, not PSObjects.
        private const int InferenceSampleSize = 1000;

        private readonly List<PSObjectRecord> pending = new List<PSObjectRecord>();
        private readonly List<long> pendingRows = new List<long>();
        private readonly List<double[]> rows = new List<double[]>();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private FeatureSchema? schema;
        private long rowNumber;
        private int rejected;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public AutoencoderModel Model { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, 100000)]
        public int Epochs { get; set; } = 20;

        [Parameter]
        [ValidateRange(1, 1048576)]
        public int BatchSize { get; set; } = 64;

        [Parameter]
        [ValidateRange(1e-7, 10.0)]
        public double LearningRate { get; set; } = 1e-3;

        [Parameter]
        public LossKind Loss { get; set; } = LossKind.Mae;

        [Parameter]
        public ScalingMethod Scaling { get; set; } = ScalingMethod.MinMax;

        [Parameter]
        public ThresholdMethod ThresholdMethod { get; set; } = ThresholdMethod.MeanStd;

        /// <summary>k for MeanStd (default 1), or the percentile for Percentile (default 99).</summary>
        [Parameter]
        public double? ThresholdValue { get; set; }

        /// <summary>libtorch threads for this process.</summary>
        [Parameter]
        [ValidateRange(1, 1024)]
        public int? ThreadCount { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if (Model.IsTrained)
                WriteVerbose("The model is already trained; this run trains a new network and replaces it when it finishes.");
            // Named features need no inference: rows are featurized as they arrive.
            if (Model.Settings.Features.Count > 0)
            {
                var excluded = new HashSet<string>(Model.Settings.ExcludeFeatures, StringComparer.OrdinalIgnoreCase);
                var named = new List<string>();
                foreach (var feature in Model.Settings.Features)
                    if (!excluded.Contains(feature)) named.Add(feature);
                try
                {
                    schema = new FeatureSchema(named);
                }
                catch (AutoencoderException e)
                {
                    ThrowTerminatingError(EngineError(e, ErrorCategory.InvalidArgument, Model));
                }
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            rowNumber++;
            var record = new PSObjectRecord(InputObject);
            if (schema == null)
            {
                pending.Add(record);
                pendingRows.Add(rowNumber);
                if (pending.Count >= InferenceSampleSize) InferSchemaAndDrain();
                return;
            }
            Featurize(record, rowNumber);
        }

        protected override void EndProcessing()
        {
            if (schema == null || pending.Count > 0) InferSchemaAndDrain();
            if (rows.Count == 0)
            {
                string message = rejected > 0
                    ? $"None of the {rejected} input row(s) could be used for training; see the errors above."
                    : "No training rows were received. Pipe the normal rows (for example from Import-Csv) to Invoke-AutoencoderTraining.";
                ThrowTerminatingError(EngineError(new AutoencoderException("EmptyTrainingInput", message), ErrorCategory.InvalidData, Model));
            }

            ApplyThreadCount(ThreadCount);
            EnsureRuntime(Model);
            var options = new TrainingOptions
            {
                Epochs = Epochs,
                BatchSize = BatchSize,
                LearningRate = LearningRate,
                Loss = Loss,
                Scaling = Scaling,
                Threshold = CreateThresholdRule(),
            };
            if (Scaling == ScalingMethod.Standard && Model.Settings.OutputActivation == OutputActivationKind.Sigmoid)
                WriteWarning("Standard scaling produces values outside [0, 1], which a Sigmoid output cannot reconstruct. Use -OutputActivation Linear in New-Autoencoder, or MinMax scaling.");
            WriteVerbose($"Training {schema!.Count} features x {rows.Count} rows ({rejected} rejected); network {string.Join("-", Model.Settings.HiddenLayers)}, " +
                         $"{Epochs} epochs, batch {BatchSize}, learning rate {LearningRate}, loss {Loss}, scaling {Scaling}, seed {Model.Settings.Seed}.");

            var progress = new ProgressRecord(1, "Training autoencoder", "Starting");
            try
            {
                Model.Train(schema, rows, options, epoch =>
                {
                    progress.StatusDescription = $"Epoch {epoch.Epoch} of {epoch.Epochs}, loss {epoch.Loss:G5}";
                    progress.PercentComplete = (int)(100L * epoch.Epoch / epoch.Epochs);
                    WriteProgress(progress);
                    if (!PassThru) WriteObject(epoch);
                }, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                WriteVerbose("Training was stopped; the model is unchanged.");
                return;
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, ErrorCategory.InvalidResult, Model));
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            var training = Model.Training!;
            WriteVerbose($"Threshold {Model.Threshold:G6} = {Model.ThresholdRule} (training error mean {training.ErrorMean:G6}, std {training.ErrorStd:G6}, max {training.ErrorMax:G6}); trained in {training.Duration.TotalSeconds:0.00} s.");
            if (PassThru) WriteObject(Model);
        }

        protected override void StopProcessing() => stopping.Cancel();

        private ThresholdRule CreateThresholdRule()
        {
            double value = ThresholdValue ?? (ThresholdMethod == ThresholdMethod.Percentile ? 99.0 : 1.0);
            try
            {
                return new ThresholdRule(ThresholdMethod, value);
            }
            catch (ArgumentOutOfRangeException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "InvalidThresholdValue", ErrorCategory.InvalidArgument, value));
                throw; // not reached
            }
        }

        private void InferSchemaAndDrain()
        {
            if (schema == null)
            {
                if (pending.Count == 0) return;
                try
                {
                    schema = FeatureSchema.Infer(pending, Model.Settings.Features, Model.Settings.ExcludeFeatures, DataCulture, out var decisions);
                    foreach (var decision in decisions) WriteVerbose(decision);
                }
                catch (AutoencoderException e)
                {
                    ThrowTerminatingError(EngineError(e, ErrorCategory.InvalidData, Model));
                }
            }
            for (int i = 0; i < pending.Count; i++) Featurize(pending[i], pendingRows[i]);
            pending.Clear();
            pendingRows.Clear();
        }

        private void Featurize(PSObjectRecord record, long row)
        {
            var features = new double[schema!.Count];
            try
            {
                schema.Featurize(record, DataCulture, features);
                rows.Add(features);
            }
            catch (FeatureValueException e)
            {
                rejected++;
                WriteError(RowError(e, row, record.Source));
            }
        }
    }
}
