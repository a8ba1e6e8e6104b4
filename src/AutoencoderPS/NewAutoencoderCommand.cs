using System;
using System.Management.Automation;
using AutoencoderPS.Engine;

namespace AutoencoderPS.Commands
{
    /// <summary>Creates an untrained autoencoder model.</summary>
    [Cmdlet(VerbsCommon.New, "Autoencoder")]
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

        protected override void EndProcessing()
        {
            var settings = new ModelSettings(HiddenLayer, Activation, OutputActivation, Feature, ExcludeFeature, Seed, TimeFeatures);
            if (Seed == null)
                WriteVerbose($"No -Seed given; drew seed {settings.Seed} (kept in the model, so this run can be repeated).");
            WriteObject(new AutoencoderModel(settings));
        }
    }
}
