using System;
using System.Globalization;
using System.Management.Automation;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// On every -Culture parameter: .NET turns any well-formed name ("German", "xx-nope") into a made-up culture with the
    /// invariant culture's number and date formats, so a wrong name read "1.234" (German for 1234) as 1.234 without an
    /// error. Only the cultures this system defines are taken.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateKnownCultureAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            if ((arguments is PSObject wrapped ? wrapped.BaseObject : arguments) is not CultureInfo culture) return;
            try
            {
                CultureInfo.GetCultureInfo(culture.Name, predefinedOnly: true);
            }
            catch (CultureNotFoundException)
            {
                throw new ValidationMetadataException(
                    $"'{culture.Name}' is not a culture this system knows: its numbers and dates would be read by the invariant " +
                    "culture's rules without a word. Give a culture name such as de-DE or fr-FR (Tab after -Culture lists them).");
            }
        }
    }
}
