using System.Collections.Generic;
using System.Management.Automation;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Scores each input row with a trained model and passes it on with AnomalyScore, IsAnomaly and
    /// AnomalyTopFeature added. Rows are scored in batches (one forward pass each) and written out as
    /// each batch completes, so the input is never held whole.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "Anomaly")]
    [OutputType(typeof(PSObject))]
    public sealed class TestAnomalyCommand : AutoencoderCmdlet
    {
        private readonly List<PSObject> batchObjects = new List<PSObject>();
        private readonly List<double[]> batchRows = new List<double[]>();
        private long rowNumber;

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNull]
        public AutoencoderModel Model { get; set; } = null!;

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>Rows per forward pass; results stream out after each batch.</summary>
        [Parameter]
        [ValidateRange(1, 1048576)]
        public int BatchSize { get; set; } = 256;

        [Parameter]
        [ValidateRange(1, 1024)]
        public int? ThreadCount { get; set; }

        protected override void BeginProcessing()
        {
            ThrowIfNotTrained(Model);
            EnsureRuntime(Model);
            ApplyThreadCount(ThreadCount);
            WriteVerbose($"Scoring with {Model}.");
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            rowNumber++;
            var features = new double[Model.Schema!.Count];
            try
            {
                Model.Schema.Featurize(new PSObjectRecord(InputObject), DataCulture, features);
            }
            catch (FeatureValueException e)
            {
                WriteError(RowError(e, rowNumber, InputObject));
                return;
            }
            batchObjects.Add(InputObject);
            batchRows.Add(features);
            if (batchRows.Count >= BatchSize) Flush();
        }

        protected override void EndProcessing() => Flush();

        private void Flush()
        {
            if (batchRows.Count == 0) return;
            var scores = Model.Score(batchRows);
            var names = Model.Schema!.Names;
            for (int i = 0; i < scores.Length; i++)
            {
                var output = batchObjects[i];
                SetProperty(output, "AnomalyScore", scores[i].Score);
                SetProperty(output, "IsAnomaly", scores[i].IsAnomaly);
                SetProperty(output, "AnomalyTopFeature", names[scores[i].TopFeature]);
                WriteObject(output);
            }
            batchObjects.Clear();
            batchRows.Clear();
        }

        // Re-scoring an already scored row replaces its score instead of failing on a duplicate member.
        private static void SetProperty(PSObject target, string name, object value)
        {
            if (target.Properties[name] is PSNoteProperty existing)
                existing.Value = value;
            else
                target.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
