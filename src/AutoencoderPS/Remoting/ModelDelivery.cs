using System;

namespace AutoencoderPS.Remoting
{
    /// <summary>
    /// One host's copy of a model, as Send-Autoencoder -PassThru reports it: where the file lies there, its checksum as
    /// checked there, and the variable that holds the imported model in that session.
    /// </summary>
    public sealed class ModelDelivery
    {
        internal ModelDelivery(string computerName, string? userName, int sessionId, string sessionName, Guid runspaceId,
            string destination, string sha256, long length, string variable, string moduleVersion, bool replaced, bool copied, TimeSpan duration)
        {
            PSComputerName = computerName;
            UserName = userName;
            SessionId = sessionId;
            SessionName = sessionName;
            RunspaceId = runspaceId;
            Destination = destination;
            Sha256 = sha256;
            Length = length;
            Variable = variable;
            ModuleVersion = moduleVersion;
            Replaced = replaced;
            Copied = copied;
            Duration = duration;
        }

        /// <summary>The session's computer, named as Invoke-Command names the origin of its output.</summary>
        public string PSComputerName { get; }

        /// <summary>The account the session runs as there.</summary>
        public string? UserName { get; }

        public int SessionId { get; }
        public string SessionName { get; }

        /// <summary>The session's runspace: the RunspaceId on Invoke-Command output from the same session.</summary>
        public Guid RunspaceId { get; }

        /// <summary>The model file's full path on the remote host.</summary>
        public string Destination { get; }

        /// <summary>SHA-256 of the file, computed on the remote host (upper-case hex, as Get-FileHash writes it).</summary>
        public string Sha256 { get; }

        public long Length { get; }

        /// <summary>The global variable in the session that holds the imported model.</summary>
        public string Variable { get; }

        /// <summary>The AutoencoderPS version that imported the model there.</summary>
        public string ModuleVersion { get; }

        /// <summary>True when a different file at the destination was replaced (-Force).</summary>
        public bool Replaced { get; }

        /// <summary>False when the same file was already there, so nothing was copied.</summary>
        public bool Copied { get; }

        public TimeSpan Duration { get; }

        public override string ToString() => $"{PSComputerName}:{Destination}";
    }
}
