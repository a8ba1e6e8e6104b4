using System;
using System.Linq;
using System.Management.Automation;
using AutoencoderPS.Engine.Modeling;

namespace AutoencoderPS.Adapters
{
    /// <summary>
    /// On every -Model parameter: a model that crossed a process boundary (Invoke-Command -ArgumentList, a remote
    /// session's output, Start-Job, Import-Clixml) arrives as a Deserialized.AutoencoderPS... property bag without its
    /// network, which no cmdlet can use. It is refused here with an error that says what to do instead, rather than
    /// with PowerShell's generic "cannot convert" message.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class RefuseDeserializedModelAttribute : ArgumentTransformationAttribute
    {
        private const string DeserializedPrefix = "Deserialized.";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is PSObject wrapped && wrapped.BaseObject is not AutoencoderModel)
            {
                string? name = wrapped.TypeNames.FirstOrDefault(t =>
                    t.StartsWith(DeserializedPrefix, StringComparison.Ordinal) &&
                    t.Substring(DeserializedPrefix.Length) == typeof(AutoencoderModel).FullName);
                if (name != null) throw new ArgumentTransformationMetadataException(Message(name));
            }
            return inputData;
        }

        internal static string Message(string typeName) =>
            $"The model is a deserialized copy ({typeName}): it crossed a process or remoting boundary (Invoke-Command " +
            "-ArgumentList, a remote session's output, Start-Job or Import-Clixml) and kept only its properties, not its " +
            "network, so it can't score or train. Ship the model file instead: Send-Autoencoder -Session $session -Path " +
            "<model file> copies it to the session, checks it and imports it there; or save it with Export-Autoencoder, " +
            "copy the file, and load it there with Import-Autoencoder.";
    }
}
