using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AutoencoderPS.Engine.Modeling.Torch
{
    /// <summary>
    /// A fixed team of threads that share the parts of one piece of work: the calling thread and threads of the team's
    /// own, which live as long as the team (a training run), so a step costs a signal per thread, not a thread or a
    /// thread-pool task. Every thread takes the next part not yet taken until none is left, so a thread the machine
    /// does not run for a while (a busy shared host) leaves its share to the others instead of holding them up: the
    /// calling thread waits only for parts already started. <see cref="Run"/> returns when every part has finished and
    /// throws the first failure. Which thread runs a part never changes a result: the parts are fixed by the caller.
    /// Each thread applies libtorch's thread count before a part (<see cref="TorchRuntime.ApplyThreadCountHere"/>).
    /// </summary>
    internal sealed class WorkerTeam : IDisposable
    {
        private readonly Thread[] threads;
        private readonly SemaphoreSlim[] wake;
        private volatile Job? current;
        private volatile bool stopping;

        /// <param name="size">Threads in the team, the calling thread included (at least 1).</param>
        public WorkerTeam(int size)
        {
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "A team has at least one thread.");
            Size = size;
            wake = new SemaphoreSlim[size];
            threads = new Thread[size];
            for (int i = 1; i < size; i++)
            {
                int index = i;
                wake[i] = new SemaphoreSlim(0, 1);
                threads[i] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"AutoencoderPS worker {index}" };
                threads[i].Start();
            }
        }

        /// <summary>Threads in the team, the calling thread included.</summary>
        public int Size { get; }

        /// <summary>
        /// Runs <paramref name="part"/>(0) .. <paramref name="part"/>(<paramref name="parts"/> - 1), shared between the
        /// team's threads, and returns when all have finished (throwing the first failure, after all have finished).
        /// </summary>
        public void Run(int parts, Action<int> part)
        {
            if (parts < 1) throw new ArgumentOutOfRangeException(nameof(parts), parts, "At least one part.");
            if (stopping) throw new ObjectDisposedException(nameof(WorkerTeam));
            TorchRuntime.ApplyThreadCountHere();
            if (parts == 1 || Size == 1)
            {
                for (int p = 0; p < parts; p++) part(p);
                return;
            }
            using var job = new Job(parts, part);
            current = job;
            for (int i = 1; i < Math.Min(Size, parts); i++)
            {
                // At most one wake-up pending per thread: a thread that has not woken for the last job takes this one.
                if (wake[i].CurrentCount == 0)
                {
                    try { wake[i].Release(); }
                    catch (SemaphoreFullException) { }
                }
            }
            job.TakeParts();
            job.Finished.Wait();
            current = null;
            if (job.Failure != null) ExceptionDispatchInfo.Capture(job.Failure).Throw();
        }

        private void Loop(int index)
        {
            while (true)
            {
                wake[index].Wait();
                if (stopping) return;
                var job = current;
                if (job == null) continue;
                TorchRuntime.ApplyThreadCountHere();
                job.TakeParts();
            }
        }

        public void Dispose()
        {
            if (stopping) return;
            stopping = true;
            for (int i = 1; i < Size; i++)
            {
                try { wake[i].Release(); }
                catch (SemaphoreFullException) { }
            }
            for (int i = 1; i < Size; i++) threads[i].Join();
            for (int i = 1; i < Size; i++) wake[i].Dispose();
        }

        /// <summary>One <see cref="Run"/>: its parts, the next one to take, and how many are not finished yet.</summary>
        private sealed class Job : IDisposable
        {
            private readonly int parts;
            private readonly Action<int> work;
            private int next;
            private int unfinished;
            private Exception? failure;

            public Job(int parts, Action<int> work)
            {
                this.parts = parts;
                this.work = work;
                unfinished = parts;
            }

            public readonly ManualResetEventSlim Finished = new ManualResetEventSlim(false);

            public Exception? Failure => Volatile.Read(ref failure);

            // Takes parts until none is left. A thread that comes late (its job already finished) takes none.
            public void TakeParts()
            {
                int p;
                while ((p = Interlocked.Increment(ref next) - 1) < parts)
                {
                    try
                    {
                        work(p);
                    }
                    catch (Exception e)
                    {
                        Interlocked.CompareExchange(ref failure, e, null);
                    }
                    if (Interlocked.Decrement(ref unfinished) == 0) Finished.Set();
                }
            }

            public void Dispose() => Finished.Dispose();
        }
    }
}
