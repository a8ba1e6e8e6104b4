using System;
using System.Globalization;
using System.Management.Automation;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Commands
{
    /// <summary>What every AutoencoderPS cmdlet shares: runtime start-up and error records.</summary>
    public abstract class AutoencoderCmdlet : PSCmdlet
    {
        /// <summary>Data is read with the invariant culture: a script must not change meaning with the user's locale.</summary>
        protected static readonly CultureInfo DataCulture = CultureInfo.InvariantCulture;

        /// <summary>Loads libtorch, or stops with one clear error that says why it can't.</summary>
        protected void EnsureRuntime(object? target)
        {
            try
            {
                TorchRuntime.EnsureLoaded();
            }
            catch (TorchRuntimeException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, ErrorCategory.ResourceUnavailable, target));
            }
        }

        protected void ApplyThreadCount(int? threads)
        {
            if (threads == null) return;
            EnsureRuntime(threads);
            TorchRuntime.SetThreadCount(threads.Value);
            WriteVerbose($"libtorch uses {threads} thread(s) in this process.");
        }

        /// <summary>An error for one input row that names the row, the column and the value.</summary>
        protected static ErrorRecord RowError(FeatureValueException e, long row, object target)
        {
            var record = new ErrorRecord(e, e.ErrorId, ErrorCategory.InvalidData, target)
            {
                ErrorDetails = new ErrorDetails($"Row {row}: {e.Message}"),
            };
            record.ErrorDetails.RecommendedAction = e.Problem == FeatureValueProblem.MissingColumn
                ? "Give every input row the model's feature columns."
                : "Fix or remove the value; the other rows are processed.";
            return record;
        }

        protected static ErrorRecord EngineError(AutoencoderException e, ErrorCategory category, object? target) =>
            new ErrorRecord(e, e.ErrorId, category, target);

        protected void ThrowIfNotTrained(AutoencoderModel model)
        {
            if (!model.IsTrained)
                ThrowTerminatingError(EngineError(new AutoencoderException("ModelNotTrained",
                    "The model is not trained yet. Train it with Invoke-AutoencoderTraining, or load a trained one with Import-Autoencoder."),
                    ErrorCategory.InvalidOperation, model));
        }
    }
}
