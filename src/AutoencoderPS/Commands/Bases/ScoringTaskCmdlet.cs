using System;
using System.Management.Automation;
using AutoencoderPS.Engine.Scheduling;
using AutoencoderPS.Scheduling;
using AutoencoderPS.Engine;
using AutoencoderPS.Errors;

namespace AutoencoderPS.Commands
{
    /// <summary>
    /// What the three *-AnomalyScoringTask cmdlets share: the task store of this computer (<see cref="IScoringTaskStore"/>,
    /// chosen by <see cref="ScoringTaskStores"/>) and how its errors become PowerShell errors. The cmdlets hold no
    /// platform branches: the crontab and Task Scheduler differ only inside their stores.
    /// </summary>
    public abstract class ScoringTaskCmdlet : AutoencoderCmdlet
    {
        private IScoringTaskStore? store;

        /// <summary>Where this computer keeps the module's tasks; made on first use, once per command.</summary>
        protected IScoringTaskStore Store => store ??= ScoringTaskStores.ForThisComputer(InvokeCommand);

        /// <summary>
        /// Runs one store operation. A store that can't be found, read or changed stops the command (its target is the
        /// store); a task that can't be registered or removed as asked is a non-terminating error on
        /// <paramref name="target"/>, and the result is false.
        /// </summary>
        protected bool TryStore<T>(Func<T> operation, object target, out T result)
        {
            try
            {
                result = operation();
                return true;
            }
            catch (ScoringTaskStoreException e)
            {
                ThrowTerminatingError(EngineError(e, e.Store));
                throw;
            }
            catch (ScoringTaskException e)
            {
                WriteError(EngineError(e, target));
                result = default!;
                return false;
            }
        }

        /// <summary>Applies a planned change, with <see cref="TryStore{T}"/>'s errors; false when it failed.</summary>
        protected bool TryApply(ScoringTaskChange change, object target) =>
            TryStore(() => { change.Apply(); return true; }, target, out _);

        protected ErrorRecord TaskNotFound(string name) =>
            ErrorCatalog.Record(new ItemNotFoundException(Store.NotFoundMessage(name)), ErrorIds.AnomalyScoringTaskNotFound, name);
    }
}
