using System;
using System.Collections.Generic;
using AutoencoderPS.Engine.Persistence;

namespace AutoencoderPS.Engine.Scoring.Incremental
{
    /// <summary>What a file is to the scheduled job.</summary>
    public enum JobFileRole { Model, Input, Output, State }

    /// <summary>
    /// The files a scheduled job names, its model, inputs, output and state, must be as many files: one file given as
    /// two of them is lost. The state, written after every batch, replaced the scored rows when it was the output (every
    /// run then ended "the output is shorter than its state") and replaced the model when it was the model file; the
    /// output appended to the model, or to an export, spoils it. Two names are one file also through a link or a
    /// relative path (<see cref="SafeFile.RealPath"/>). Checked before anything is written: by the job, and by
    /// Invoke-AnomalyScoring and Register-AnomalyScoringTask, which know the model and the inputs too.
    /// </summary>
    public static class JobFiles
    {
        /// <summary>A file the job names: its role, the parameter that names it ("-OutputPath") and the path.</summary>
        public readonly record struct Named(JobFileRole Role, string Parameter, string Path);

        /// <summary>
        /// The error for the first two of <paramref name="files"/> that are one file (ScoringPathsSameFile), naming both
        /// parameters and the file; null when each is a file of its own. Files of the same role (two inputs) are left to
        /// the job, which reads such a file once.
        /// </summary>
        public static JobFilesClashException? SameFile(IEnumerable<Named> files, StringComparison comparison)
        {
            var seen = new List<(Named File, string Real)>();
            foreach (var file in files)
            {
                string real = SafeFile.RealPath(file.Path);
                foreach (var (other, otherReal) in seen)
                    if (other.Role != file.Role && string.Equals(real, otherReal, comparison))
                        return new JobFilesClashException(file.Path,
                            $"{other.Parameter} '{other.Path}' and {file.Parameter} '{file.Path}' are one file{(SamePath(other, file, real, comparison) ? "" : $", '{real}'")}: " +
                            $"{Loss(other.Role, file.Role)} Give each its own file. Nothing was written.");
                seen.Add((file, real));
            }
            return null;
        }

        private static bool SamePath(Named a, Named b, string real, StringComparison comparison) =>
            string.Equals(a.Path, real, comparison) && string.Equals(b.Path, real, comparison);

        // What the job would do to the file, for the message.
        private static string Loss(JobFileRole a, JobFileRole b)
        {
            bool Is(JobFileRole x, JobFileRole y) => (a == x && b == y) || (a == y && b == x);
            if (Is(JobFileRole.Output, JobFileRole.State)) return "the state, written after every batch, would replace the scored rows.";
            if (Is(JobFileRole.Model, JobFileRole.State)) return "the state, written after every batch, would replace the model.";
            if (Is(JobFileRole.Model, JobFileRole.Output)) return "the scored rows would be appended to the model file, which no longer loads then.";
            if (Is(JobFileRole.Input, JobFileRole.Output)) return "the scored rows would be appended to the export they are read from.";
            if (Is(JobFileRole.Input, JobFileRole.State)) return "the state, written after every batch, would replace the export.";
            return "a model file is not an export of rows to score.";
        }
    }

    /// <summary>Two of the job's files are one file (ScoringPathsSameFile); <see cref="Path"/> is the second, as it was given.</summary>
    public sealed class JobFilesClashException : AutoencoderException
    {
        public JobFilesClashException(string path, string message) : base(ErrorIds.ScoringPathsSameFile, message) { Path = path; }

        public string Path { get; }
    }
}
