using System;

namespace AutoencoderPS.Remoting
{
    /// <summary>Why Send-Autoencoder could not deliver a model to one session; the message names the host.</summary>
    public sealed class ModelDeliveryException : Exception
    {
        public ModelDeliveryException(string computerName, string message, Exception? inner = null)
            : base(message, inner)
        {
            ComputerName = computerName;
        }

        /// <summary>The host that failed, as the session names it.</summary>
        public string ComputerName { get; }
    }
}
