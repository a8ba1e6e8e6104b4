using System;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>Creates an untrained autoencoder model.</summary>
    [Cmdlet(VerbsCommon.New, "Autoencoder", HelpUri = HelpLinks.Base + "New-Autoencoder.md")]
    [OutputType(typeof(AutoencoderModel))]
    public sealed class NewAutoencoderCommand : AutoencoderCmdlet
    {
        /// <summary>Encoder widths from input to bottleneck; the decoder mirrors them.</summary>
        [Parameter(Position = 0)]
        [ValidateCount(1, 16)]
        [ValidateRange(1, 65536)]
        public int[] HiddenLayer { get; set; } = NetworkArchitecture.DefaultHiddenLayers;

        [Parameter]
        public ActivationKind Activation { get; set; } = ActivationKind.Relu;

        [Parameter]
        public OutputActivationKind OutputActivation { get; set; } = OutputActivationKind.Sigmoid;

        /// <summary>The input properties to use; without it, the numeric properties are found at training time.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Feature { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ExcludeFeature { get; set; }

        [Parameter]
        public int? Seed { get; set; }

        /// <summary>Turn timestamp columns into hour-of-day and day-of-week features (otherwise they are left out).</summary>
        [Parameter]
        public SwitchParameter TimeFeatures { get; set; }

        /// <summary>Consecutive rows (of one group, in time order) the model reads as one input; 1 is the row model.</summary>
        [Parameter]
        [ValidateRange(1, ModelSettings.MaxWindowSize)]
        public int WindowSize { get; set; } = 1;

        /// <summary>The column that orders rows in time (with -WindowSize); it is not a feature.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TimeProperty { get; set; }

        /// <summary>The column whose values (hosts, sensors) each form a series of their own (with -WindowSize); it is not a feature.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GroupBy { get; set; }

        /// <summary>The longest gap between two rows of a group that keeps the window whole (default 1.5 usual intervals).</summary>
        [Parameter]
        public TimeSpan? MaxGap { get; set; }

        /// <summary>Windows of consecutive time steps (at each group's learned step) instead of consecutive rows: for irregular or jittered series.</summary>
        [Parameter]
        public SwitchParameter TimeGrid { get; set; }

        protected override void EndProcessing()
        {
            ModelSettings settings;
            try
            {
                settings = new ModelSettings(HiddenLayer, Activation, OutputActivation, Feature, ExcludeFeature, Seed, TimeFeatures,
                    WindowSize, TimeProperty, GroupBy, MaxGap, TimeGrid);
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, null));
                return;
            }
            catch (ArgumentOutOfRangeException e)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.InvalidMaxGap, MaxGap));
                return;
            }
            if (Seed == null)
                WriteVerbose($"No -Seed given; drew seed {settings.Seed} (kept in the model, so this run can be repeated).");
            WriteObject(new AutoencoderModel(settings));
        }
    }
}
