using System;
using System.Management.Automation;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// On a DateTime parameter that is compared with instants: a DateTimeOffset (an IntervalStart that ConvertTo-LogWindow
    /// wrote, [datetimeoffset]'...+01:00') is its instant, a DateTime of kind Utc. PowerShell itself refuses to bind one
    /// to a DateTime, so windows could not be cut from where the previous ones started.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class InstantAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is DateTimeOffset o ? o.UtcDateTime : inputData;
    }
}
