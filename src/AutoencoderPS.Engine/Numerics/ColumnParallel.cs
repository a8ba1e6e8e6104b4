using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace AutoencoderPS.Engine.Numerics
{
    /// <summary>
    /// Work on independent columns (each column's statistics: sorts, percentiles) on several threads. The result is the
    /// one of a loop over the columns in order: each column writes only its own slot, and a failure is the one the
    /// lowest failing column would have thrown in that loop.
    /// </summary>
    public static class ColumnParallel
    {
        /// <summary>Below this many values in a column, one thread does every column: a thread costs more than it saves.</summary>
        public const int MinRows = 50_000;

        /// <summary>Runs <paramref name="body"/>(0) .. (<paramref name="count"/> - 1), on up to <paramref name="threads"/> threads when the columns have at least <see cref="MinRows"/> values.</summary>
        public static void For(int count, int rows, int threads, Action<int> body)
        {
            if (threads <= 1 || count <= 1 || rows < MinRows)
            {
                for (int j = 0; j < count; j++) body(j);
                return;
            }
            var failures = new Exception?[count];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, j =>
            {
                try { body(j); }
                catch (Exception e) { failures[j] = e; }
            });
            foreach (var failure in failures)
                if (failure != null) ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
