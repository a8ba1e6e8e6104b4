using System;
using System.Collections.Generic;
using System.IO;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// The times at which one group's rows were scored, so that the scheduled job can tell a row sent again (an export
    /// that overlaps the last one: "the last hour, every 30 minutes" into the same file) from a late row that was never
    /// scored. Kept as runs of equal steps: a regular series is one run for each stretch between its gaps, so a month of
    /// 1-minute rows takes a few bytes. The latest <see cref="MaxRuns"/> runs are kept (at least that many of an
    /// irregular series' rows, whose steps all differ, two to a run); a time before them is not known to have been
    /// scored, and its row is late as before.
    /// </summary>
    public sealed class ScoredTimes
    {
        /// <summary>How many runs of equal steps a group keeps (about 2.5 KB).</summary>
        public const int MaxRuns = 128;

        // Ascending: each run starts after the previous one's end. Ticks; a run of one time has step 0.
        private readonly List<Run> runs = new List<Run>();

        private struct Run
        {
            public long Start;
            public long Step;
            public int Count;
            public long End => Start + Step * (Count - 1);
        }

        /// <summary>Runs kept (for tests).</summary>
        public int RunCount => runs.Count;

        /// <summary>
        /// Adds the time of a row its group accepted: never earlier than the last one added (a group's rows are taken in
        /// time order; one of the same time, shared, adds nothing).
        /// </summary>
        public void Add(DateTime time)
        {
            long t = time.Ticks;
            if (runs.Count > 0)
            {
                var last = runs[runs.Count - 1];
                if (t <= last.End) return;
                if (last.Count == 1 || t - last.End == last.Step)
                {
                    last.Step = last.Count == 1 ? t - last.Start : last.Step;
                    last.Count++;
                    runs[runs.Count - 1] = last;
                    return;
                }
            }
            runs.Add(new Run { Start = t, Step = 0, Count = 1 });
            if (runs.Count > MaxRuns) runs.RemoveAt(0);
        }

        /// <summary>Whether a row of the group was scored at <paramref name="time"/> (the latest runs are searched first).</summary>
        public bool Contains(DateTime time)
        {
            long t = time.Ticks;
            for (int i = runs.Count - 1; i >= 0; i--)
            {
                var run = runs[i];
                if (t > run.End) return false;
                if (t >= run.Start) return run.Step == 0 ? t == run.Start : (t - run.Start) % run.Step == 0;
            }
            return false;
        }

        /// <summary>Writes the runs (<see cref="Load"/> reads them).</summary>
        public void Save(BinaryWriter writer)
        {
            writer.Write(runs.Count);
            foreach (var run in runs)
            {
                writer.Write(run.Start);
                writer.Write(run.Step);
                writer.Write(run.Count);
            }
        }

        /// <summary>The runs <see cref="Save"/> wrote; runs out of order, or of impossible steps or counts, are damage.</summary>
        public static ScoredTimes Load(BinaryReader reader)
        {
            var times = new ScoredTimes();
            int count = reader.ReadInt32();
            if (count < 0 || count > MaxRuns) throw new InvalidDataException("A group's scored times hold more runs than are kept.");
            long previousEnd = long.MinValue;
            for (int i = 0; i < count; i++)
            {
                var run = new Run { Start = reader.ReadInt64(), Step = reader.ReadInt64(), Count = reader.ReadInt32() };
                if (run.Count < 1 || run.Step < 0 || (run.Count == 1) != (run.Step == 0) || run.Start < DateTime.MinValue.Ticks ||
                    run.Start <= previousEnd || (run.Step > 0 && (DateTime.MaxValue.Ticks - run.Start) / run.Step < run.Count - 1))
                    throw new InvalidDataException("A group's scored times are not in order.");
                previousEnd = run.End;
                times.runs.Add(run);
            }
            return times;
        }
    }
}
