using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// Reads and installs the current user's crontab through the crontab program: <c>crontab -l</c> and
    /// <c>crontab -</c> (the new table on standard input). "no crontab for &lt;user&gt;" is an empty table.
    /// A program that can't be run, or a table that can't be read, is a <see cref="ScoringTaskStoreException"/>
    /// (target <see cref="StoreName"/>); a table the program refuses is a <see cref="ScoringTaskException"/>.
    /// </summary>
    public sealed class CrontabProgram
    {
        public CrontabProgram(string program = "crontab")
        {
            Program = program;
        }

        public string Program { get; }

        /// <summary>The store's name as an error's target.</summary>
        public const string StoreName = "crontab";

        /// <summary>The crontab program's full path from PATH, or null when there is none.</summary>
        public static string? Find(string name = "crontab")
        {
            foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        /// <summary>The user's crontab as bytes; empty when the user has none.</summary>
        public byte[] Read()
        {
            var (exit, output, error) = Run("-l", null);
            if (exit == 0) return output;
            if (error.IndexOf("no crontab for", StringComparison.OrdinalIgnoreCase) >= 0) return Array.Empty<byte>();
            throw new ScoringTaskStoreException(ErrorIds.CrontabReadFailed, $"'{Program} -l' failed with exit code {exit}: {error.Trim()}", StoreName);
        }

        /// <summary>Installs <paramref name="table"/> as the user's crontab (it must end with a newline, as crontab requires).</summary>
        public void Write(byte[] table)
        {
            var (exit, _, error) = Run("-", table);
            if (exit != 0)
                throw new ScoringTaskException(ErrorIds.CrontabWriteFailed, $"'{Program} -' refused the new table (exit code {exit}): {error.Trim()} The crontab is unchanged.");
        }

        private (int Exit, byte[] Output, string Error) Run(string argument, byte[]? input)
        {
            var start = new ProcessStartInfo(Program)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new ScoringTaskStoreException(ErrorIds.CrontabUnavailable, $"Could not start '{Program}'.", StoreName);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new ScoringTaskStoreException(ErrorIds.CrontabUnavailable,
                    $"Could not run '{Program}': {e.Message}. Install cron (Debian/Ubuntu: apt-get install cron) to register scheduled tasks.", StoreName, e);
            }
            using (process)
            {
                var output = new MemoryStream();
                Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
                Task<string> error = process.StandardError.ReadToEndAsync();
                try
                {
                    if (input != null) process.StandardInput.BaseStream.Write(input, 0, input.Length);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The program exited before reading the whole table (a broken pipe): its exit code and error say why.
                }
                process.WaitForExit();
                copy.Wait();
                return (process.ExitCode, output.ToArray(), error.Result);
            }
        }
    }
}
