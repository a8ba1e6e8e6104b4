using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Remoting;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using System.Threading;
using AutoencoderPS.Engine;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Remoting;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// Ships a model file to PowerShell sessions: copies it in chunks over each session, checks its SHA-256 there,
    /// imports it there into a global variable, and reports per host. One host failing is one error naming it; the
    /// others go on. The sessions are served -ThrottleLimit at a time, on worker threads of its own; every record is written
    /// from the pipeline thread.
    /// </summary>
    [Cmdlet(VerbsCommunications.Send, "Autoencoder", SupportsShouldProcess = true, DefaultParameterSetName = PathSet, HelpUri = HelpLinks.Base + "Send-Autoencoder.md")]
    [OutputType(typeof(ModelDelivery))]
    public sealed class SendAutoencoderCommand : AutoencoderCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        // PowerShell remoting refuses single objects over its size limits (10 MB by default on many endpoints):
        // 1 MB per call stays well under them.
        internal const int ChunkBytes = 1 << 20;

        private readonly List<PSSession> sessions = new List<PSSession>();
        private readonly HashSet<Guid> seen = new HashSet<Guid>();
        private readonly List<PowerShell> running = new List<PowerShell>();
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private string file = "";
        private byte[] content = Array.Empty<byte>();
        private string sha256 = "";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public PSSession[] Session { get; set; } = Array.Empty<PSSession>();

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = "";

        /// <summary>The file or folder on each remote host; by default the user's AutoencoderPS/models folder there.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Destination { get; set; }

        /// <summary>The global variable that holds the imported model in each session.</summary>
        [Parameter]
        [ValidatePattern(@"^[A-Za-z_][A-Za-z0-9_]*$")]
        public string Variable { get; set; } = "AutoencoderModel";

        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 32;

        /// <summary>Replace a different file already at the destination.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            string given = literal ? LiteralPath : Path;
            var problems = new List<ErrorRecord>();
            var files = ResolveFiles(new[] { given }, literal, "Model", "model file", problems);
            if (files.Count == 0)
                ThrowTerminatingError(problems.Count > 0 ? problems[0] : ErrorCatalog.Record(
                    new System.IO.FileNotFoundException($"No model file to send: '{given}' names none."), ErrorIds.ModelFileNotFound, given));
            if (files.Count > 1)
                ThrowTerminatingError(ErrorCatalog.Record(new ArgumentException($"'{given}' matches {files.Count} files; Send-Autoencoder sends one model file at a time."),
                    ErrorIds.ModelPathAmbiguous, given));
            file = files[0];
            try
            {
                // Checked here, once: a damaged file is one error, not one per host.
                content = ModelFile.Read(file);
                ModelFile.Verify(content, file);
            }
            catch (ModelFileException e)
            {
                ThrowTerminatingError(EngineError(e, file));
            }
            sha256 = Convert.ToHexString(SHA256.HashData(content));
            WriteVerbose($"Sending '{file}' ({content.Length:N0} bytes, SHA-256 {sha256}).");
        }

        protected override void ProcessRecord()
        {
            foreach (var session in Session)
            {
                if (session != null && seen.Add(session.InstanceId)) sessions.Add(session);
            }
        }

        protected override void EndProcessing()
        {
            string fileName = System.IO.Path.GetFileName(file);
            var chosen = sessions.Where(s => ShouldProcess(
                $"{Describe(s)}: {Destination ?? "its AutoencoderPS/models folder"}", $"Send model '{fileName}'")).ToList();
            if (chosen.Count == 0) return;

            var outcomes = new BlockingCollection<object>();
            string transfer = Guid.NewGuid().ToString("N");
            // Dedicated threads rather than the thread pool: each one mostly waits on the network, and the pool would
            // add threads for blocked work only slowly.
            var pending = new ConcurrentQueue<PSSession>(chosen);
            int workers = Math.Min(ThrottleLimit, chosen.Count);
            int active = workers;
            for (int i = 0; i < workers; i++)
            {
                var worker = new Thread(() =>
                {
                    try
                    {
                        while (!stopping.IsCancellationRequested && pending.TryDequeue(out var session))
                        {
                            object outcome;
                            try
                            {
                                outcome = Deliver(session, fileName, transfer);
                            }
                            catch (Exception e)
                            {
                                // Whatever else goes wrong with one session is that session's error, never the process's.
                                outcome = Failure(session, ErrorIds.RemoteCommandFailed, e.Message, null, e);
                            }
                            outcomes.Add(outcome);
                        }
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref active) == 0) outcomes.CompleteAdding();
                    }
                })
                { IsBackground = true, Name = "Send-Autoencoder" };
                worker.Start();
            }

            var progress = new ProgressRecord(1, "Send-Autoencoder", $"Sending {fileName} to {chosen.Count} session(s)");
            int done = 0;
            foreach (object outcome in outcomes.GetConsumingEnumerable())
            {
                done++;
                progress.PercentComplete = 100 * done / chosen.Count;
                progress.StatusDescription = $"{done} of {chosen.Count} done";
                WriteProgress(progress);
                if (outcome is ErrorRecord error)
                {
                    WriteError(error);
                }
                else if (outcome is ModelDelivery delivery)
                {
                    WriteVerbose($"{delivery.UserName}@{delivery.PSComputerName}: '{delivery.Destination}' " +
                        (delivery.Copied ? "copied" : "already there") + $", checked and imported into ${delivery.Variable} (AutoencoderPS {delivery.ModuleVersion}).");
                    if (PassThru) WriteObject(delivery);
                }
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        protected override void StopProcessing()
        {
            stopping.Cancel();
            lock (running)
            {
                foreach (var shell in running) shell.BeginStop(null, null);
            }
        }

        /// <summary>The three steps in one session; returns the <see cref="ModelDelivery"/> or an error naming the host.</summary>
        private object Deliver(PSSession session, string fileName, string transfer)
        {
            var clock = Stopwatch.StartNew();
            string computer = session.ComputerName ?? "";
            var state = session.Runspace?.RunspaceStateInfo?.State;
            if (state != RunspaceState.Opened)
                return Failure(session, ErrorIds.SessionUnavailable,
                    $"the session is {state?.ToString() ?? "not usable"}, not Opened (is the host reachable?)",
                    "Open a new session to the host with New-PSSession and send the model again.");

            // The partial file's name is unique per command and session: two sessions to one host (or to hosts that
            // share a folder) never write the same partial file.
            string stage = "Prepare";
            string? partial = null;
            try
            {
                var prepared = Run(session, RemoteModelScripts.Prepare, new Hashtable
                {
                    ["Destination"] = Destination, ["FileName"] = fileName, ["Sha256"] = sha256, ["Transfer"] = transfer + "-" + session.InstanceId.ToString("N"), ["Force"] = Force.IsPresent,
                });
                string? problem = Text(prepared, "Problem");
                string message = Text(prepared, "Message") ?? "";
                switch (problem)
                {
                    case "PowerShell":
                        return Failure(session, ErrorIds.RemotePowerShellUnsupported, message,
                            "Connect to a PowerShell 7.4 or later endpoint on the host (for SSH: a powershell subsystem that runs pwsh).");
                    case "Module":
                        return Failure(session, ErrorIds.RemoteModuleMissing,
                            $"the module AutoencoderPS can't be imported there: {message}",
                            "Install AutoencoderPS and its runtime module on the host (Install-PSResource AutoencoderPS, AutoencoderPS.Runtime.<rid>).");
                    case "Exists":
                        return Failure(session, ErrorIds.RemoteModelFileExists, message,
                            "Give -Force to replace the file, or another -Destination.");
                    case "Write":
                        return Failure(session, ErrorIds.RemoteWriteFailed,
                            $"could not write to '{Text(prepared, "Destination") ?? Destination}': {message}",
                            "Give a -Destination that the session's user can write.");
                }

                string destination = Text(prepared, "Destination") ?? "";
                bool upToDate = Flag(prepared, "UpToDate");
                partial = Text(prepared, "Partial");
                stage = "Copy";
                if (!upToDate)
                {
                    for (int offset = 0; offset < content.Length; offset += ChunkBytes)
                    {
                        stopping.Token.ThrowIfCancellationRequested();
                        byte[] chunk = content.AsSpan(offset, Math.Min(ChunkBytes, content.Length - offset)).ToArray();
                        Run(session, RemoteModelScripts.Append, new Hashtable { ["Partial"] = partial, ["Bytes"] = chunk });
                    }
                }

                stage = "Finish";
                var finished = Run(session, RemoteModelScripts.Finish, new Hashtable
                {
                    ["Partial"] = partial, ["Destination"] = destination, ["Sha256"] = sha256, ["Variable"] = Variable, ["UpToDate"] = upToDate,
                });
                partial = null; // Finish removes it, whatever happens there
                switch (Text(finished, "Problem"))
                {
                    case "Hash":
                        return Failure(session, ErrorIds.RemoteModelHashMismatch,
                            $"the copy of '{fileName}' there has SHA-256 {Text(finished, "Actual")}, not {sha256}; it was removed",
                            "Send the model again; if it fails again, check the host's disk and the connection.");
                    case "Import":
                        return Failure(session, ErrorIds.RemoteModelImportFailed,
                            $"the file arrived intact but Import-Autoencoder failed there ({Text(finished, "ErrorId")}): {Text(finished, "Message")}",
                            "See the error ID: TorchRuntimeUnavailable means the host lacks the runtime module AutoencoderPS.Runtime.<rid>; ModelFileTooNew means its AutoencoderPS is older than this one.");
                    case "Write":
                        return Failure(session, ErrorIds.RemoteWriteFailed,
                            $"could not put the model at '{destination}': {Text(finished, "Message")}",
                            "Give a -Destination that the session's user can write.");
                }

                var info = session.Runspace!;
                return new ModelDelivery(computer, Text(prepared, "UserName"), session.Id, session.Name, info.InstanceId, destination,
                    sha256, content.Length, Variable, Text(prepared, "ModuleVersion") ?? "", Flag(prepared, "Replaces"), !upToDate, clock.Elapsed);
            }
            catch (OperationCanceledException)
            {
                return Failure(session, ErrorIds.SendStopped, "the command was stopped", null);
            }
            catch (Exception e) when (e is PSRemotingTransportException || e is InvalidRunspaceStateException || e is PSRemotingDataStructureException)
            {
                return Failure(session, ErrorIds.SessionUnavailable,
                    $"the connection failed during the {stage.ToLowerInvariant()} step: {e.Message}",
                    "Open a new session to the host with New-PSSession and send the model again.", e);
            }
            catch (Exception e) when (e is RuntimeException || e is PSInvalidOperationException)
            {
                string id = stage == "Copy" ? ErrorIds.RemoteWriteFailed : ErrorIds.RemoteCommandFailed;
                return Failure(session, id,
                    $"the {stage.ToLowerInvariant()} step failed there: {e.Message}", null, e);
            }
            finally
            {
                if (partial != null) TryDiscard(session, partial);
            }
        }

        // One step: a script run in the session's runspace. An error it writes counts as failure.
        private PSObject? Run(PSSession session, string script, Hashtable parameters)
        {
            using var shell = PowerShell.Create();
            shell.Runspace = session.Runspace;
            shell.AddScript(script).AddParameters(parameters);
            lock (running) running.Add(shell);
            try
            {
                var results = shell.Invoke();
                if (shell.Streams.Error.Count > 0)
                {
                    var first = shell.Streams.Error[0];
                    throw new RuntimeException(first.Exception?.Message ?? first.ToString(), first.Exception, first);
                }
                if (shell.InvocationStateInfo.State == PSInvocationState.Stopped) throw new OperationCanceledException();
                return results.FirstOrDefault();
            }
            finally
            {
                lock (running) running.Remove(shell);
            }
        }

        private void TryDiscard(PSSession session, string partial)
        {
            try
            {
                if (session.Runspace?.RunspaceStateInfo.State == RunspaceState.Opened)
                    Run(session, RemoteModelScripts.Discard, new Hashtable { ["Partial"] = partial });
            }
            catch (Exception e) when (e is RuntimeException || e is PSInvalidOperationException || e is OperationCanceledException)
            {
                // The partial file is hidden and named per transfer; a leftover one replaces nothing.
            }
        }

        private ErrorRecord Failure(PSSession session, string errorId, string why, string? action, Exception? inner = null)
        {
            var exception = new ModelDeliveryException(session.ComputerName ?? "",
                $"Could not send the model to {Describe(session)}: {why}", inner);
            var record = ErrorCatalog.Record(exception, errorId, session);
            if (action != null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
            return record;
        }

        // "user@host (session 3, 'WinRM3')": the session's computer, and its user when the connection names one.
        internal static string Describe(PSSession session)
        {
            string? user = null;
            var connection = session.Runspace?.ConnectionInfo;
            if (connection != null) user = PSObject.AsPSObject(connection).Properties["UserName"]?.Value as string;
            string who = string.IsNullOrEmpty(user) ? session.ComputerName : $"{user}@{session.ComputerName}";
            return $"{who} (session {session.Id}, '{session.Name}')";
        }

        private static string? Text(PSObject? result, string name) => result?.Properties[name]?.Value?.ToString();

        private static bool Flag(PSObject? result, string name) => result?.Properties[name]?.Value is bool b && b;
    }
}
