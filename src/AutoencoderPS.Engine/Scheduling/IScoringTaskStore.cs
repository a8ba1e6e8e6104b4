using System;
using System.Collections.Generic;

namespace AutoencoderPS.Engine.Scheduling
{
    /// <summary>
    /// Where the module's scheduled scoring tasks are registered, read and removed: the user's crontab
    /// (<see cref="CronTaskStore"/>) or Task Scheduler's \AutoencoderPS\ folder (the cmdlet layer's
    /// TaskSchedulerTaskStore, which needs PowerShell's ScheduledTasks module). The *-AnomalyScoringTask cmdlets use
    /// only this interface; which store a computer has is chosen in one place of the cmdlet layer.
    /// <para>
    /// Errors: <see cref="ScoringTaskStoreException"/> when the store itself can't be found, read or changed (the
    /// command stops); <see cref="ScoringTaskException"/> when one task can't be registered or removed as asked.
    /// </para>
    /// <para>
    /// A change is planned first (the store read, every value decided) and applied after the user agreed to it
    /// (-WhatIf, -Confirm), so that what is shown is what is written.
    /// </para>
    /// </summary>
    public interface IScoringTaskStore
    {
        ScoringTaskPlatform Platform { get; }

        /// <summary>Throws InvalidTaskInterval when this store can't repeat a task every <paramref name="interval"/>. Reads nothing.</summary>
        void ValidateInterval(TimeSpan interval);

        /// <summary>The module's tasks in this store, in the store's order.</summary>
        IReadOnlyList<AnomalyScoringTask> GetTasks();

        /// <summary>
        /// Plans registering task <paramref name="name"/> to run <paramref name="action"/> every <paramref name="interval"/>.
        /// Throws AnomalyScoringTaskExists when a task of that name (ignoring case) exists and <paramref name="replace"/>
        /// is false, InvalidTaskArgument when the store can't carry the action's command line.
        /// </summary>
        ScoringTaskChange PlanRegister(string name, TimeSpan interval, ScoringTaskAction action, bool replace);

        /// <summary>Plans removing task <paramref name="name"/> (ignoring case); null when the store has no such task.</summary>
        ScoringTaskChange? PlanUnregister(string name);

        /// <summary>What to say when <paramref name="name"/> is not a task of this store.</summary>
        string NotFoundMessage(string name);

        /// <summary>
        /// What to say when the scheduler that runs this store's tasks is evidently not running (a task registered then
        /// never runs); null when it runs, or when that can't be told.
        /// </summary>
        string? SchedulerNotRunning() => null;
    }

    /// <summary>
    /// One planned change of a task store: what it will do, in words for -WhatIf and -Confirm, and the change itself.
    /// </summary>
    public sealed class ScoringTaskChange
    {
        private readonly Action apply;
        private readonly Func<IReadOnlyList<AnomalyScoringTask>> readBack;

        /// <param name="name">The task's name.</param>
        /// <param name="existing">The task of that name before the change; null when there was none.</param>
        /// <param name="description">Every value the change writes or removes (-WhatIf, the ShouldProcess description).</param>
        /// <param name="question">The -Confirm question.</param>
        /// <param name="done">What -Verbose says once the change is made.</param>
        /// <param name="apply">Makes the change.</param>
        /// <param name="readBack">The task as the store holds it after the change (a removed task: as it was).</param>
        public ScoringTaskChange(string name, AnomalyScoringTask? existing, string description, string question, string done,
            Action apply, Func<IReadOnlyList<AnomalyScoringTask>> readBack)
        {
            Name = name;
            Existing = existing;
            Description = description;
            Question = question;
            Done = done;
            this.apply = apply ?? throw new ArgumentNullException(nameof(apply));
            this.readBack = readBack ?? throw new ArgumentNullException(nameof(readBack));
        }

        public string Name { get; }
        public AnomalyScoringTask? Existing { get; }
        public string Description { get; }
        public string Question { get; }
        public string Done { get; }

        public void Apply() => apply();

        public IReadOnlyList<AnomalyScoringTask> ReadBack() => readBack();
    }

    /// <summary>A task store that can't be found, read or changed at all: no task can be registered, listed or removed.</summary>
    public sealed class ScoringTaskStoreException : AutoencoderException
    {
        public ScoringTaskStoreException(string errorId, string message, string store, Exception? inner = null) : base(errorId, message, inner)
        {
            Store = store;
        }

        /// <summary>The store, as an error's target: "crontab", or Task Scheduler's folder \AutoencoderPS\.</summary>
        public string Store { get; }
    }
}
