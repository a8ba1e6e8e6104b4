using System;
using System.Management.Automation;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Features.Windows;
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

        /// <summary>
        /// Turn timestamp columns into hour-of-day and day-of-week features (otherwise they are left out). Not given, a
        /// sliding window with a time property learns its calendar where the training rows' week has a shape.
        /// </summary>
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

        /// <summary>
        /// The time zone (IANA or Windows id) whose local times the time property holds when written without an offset: rows
        /// are ordered by their instants, so the hour repeated when clocks go back is read in order and the hour skipped when
        /// they go forward is no gap. Not given, for a perfmon time column: the zone it names, where this system knows it.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(TimeZoneCompleter))]
        public string? TimeZone { get; set; }

        /// <summary>The column whose values (hosts, sensors) each form a series of their own (with -WindowSize); it is not a feature.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? GroupBy { get; set; }

        /// <summary>The longest gap between two rows of a group that keeps the window whole (default 2.5 usual intervals: one missing row keeps it whole; an irregular series' long step where longer).</summary>
        [Parameter]
        public TimeSpan? MaxGap { get; set; }

        /// <summary>Windows of consecutive time steps (at each group's learned step) instead of consecutive rows: for irregular or jittered series.</summary>
        [Parameter]
        public SwitchParameter TimeGrid { get; set; }

        /// <summary>
        /// Each group's numeric features scaled by that group's own training rows, not by the whole fleet's (needs -GroupBy):
        /// the network learns each host's series in that host's units. Not given: so with -GroupBy (and -WindowSize);
        /// -ScalePerGroup:$false scales the fleet as one.
        /// </summary>
        [Parameter]
        public SwitchParameter ScalePerGroup { get; set; }

        /// <summary>
        /// Continual learning: after every this many rows (windows) scored as normal, one optimizer step on them, so the model
        /// follows a slowly changing normal. 0 (default): off. Kept in the model (LearnEvery); Test-Anomaly and the scheduled
        /// job use it without further parameters.
        /// </summary>
        [Parameter]
        [ValidateRange(0, AutoencoderModel.MaxLearnEvery)]
        public int LearnEvery { get; set; }

        // A perfmon time column names the zone in effect when logging started: its zone, when this system knows the name.
        private string? PerfmonZone()
        {
            if (TimeProperty == null || WindowSize < 2 || TimeColumn.PerfmonZoneName(TimeProperty) is not string name) return null;
            var zone = TimeColumn.PerfmonZone(TimeProperty);
            if (zone != null)
                WriteVerbose($"The time column '{TimeProperty}' names the time zone '{name}': its times are read as local times of '{zone.Id}' " +
                    "(the hour repeated when clocks go back is read in order). Give -TimeZone to choose another.");
            else
                // Said aloud: taken as written, the export's fall-back night fails every year.
                WriteWarning($"The time column '{TimeProperty}' names the time zone '{name}', which this system does not know: its times are " +
                    "taken as written, so the hour repeated when clocks go back is refused as out of order. Give the zone with -TimeZone.");
            return zone?.Id;
        }

        protected override void EndProcessing()
        {
            ModelSettings settings;
            try
            {
                // Not given: a sliding window with a time property decides from its training rows (ModelSettings.TimeFeaturesAutomatic).
                bool? timeFeatures = MyInvocation.BoundParameters.ContainsKey(nameof(TimeFeatures)) ? TimeFeatures.IsPresent : null;
                // Not given: per group where there are groups (ModelSettings.ScalesPerGroupByDefault); -ScalePerGroup:$false fleet-wide.
                bool scalePerGroup = MyInvocation.BoundParameters.ContainsKey(nameof(ScalePerGroup)) ? ScalePerGroup.IsPresent
                    : ModelSettings.ScalesPerGroupByDefault(WindowSize, GroupBy);
                settings = new ModelSettings(HiddenLayer, Activation, OutputActivation, Feature, ExcludeFeature, Seed, timeFeatures,
                    WindowSize, TimeProperty, GroupBy, MaxGap, TimeGrid, TimeZone ?? PerfmonZone(), scalePerGroup);
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, e.ErrorId == ErrorIds.TimeZoneInvalid ? TimeZone : null));
                return;
            }
            catch (ArgumentOutOfRangeException e)
            {
                ThrowTerminatingError(ErrorCatalog.Record(e, ErrorIds.InvalidMaxGap, MaxGap));
                return;
            }
            if (Seed == null)
                WriteVerbose($"No -Seed given; drew seed {settings.Seed} (kept in the model, so this run can be repeated).");
            AutoencoderModel model;
            try
            {
                model = new AutoencoderModel(settings) { LearnEvery = LearnEvery };
            }
            catch (AutoencoderException e)
            {
                ThrowTerminatingError(EngineError(e, LearnEvery));
                return;
            }
            WriteObject(model);
        }
    }
}
