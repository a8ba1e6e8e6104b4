using System;
using System.Management.Automation;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// On a DateTime parameter that is compared with instants: a DateTimeOffset (an IntervalStart that ConvertTo-LogWindow
    /// wrote, [datetimeoffset]'...+01:00') is its instant as this computer's local time (kind Local), as PowerShell binds
    /// the same text. PowerShell itself refuses to bind one to a DateTime, so windows could not be cut from where the
    /// previous ones started. Not kind Utc: a log of clock times compares a bound with them as a clock time, and a UTC
    /// clock put the windows an offset away from the local log's (an hour of silent windows, or none of its records).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class InstantAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is DateTimeOffset o ? o.LocalDateTime : inputData;
    }
}
