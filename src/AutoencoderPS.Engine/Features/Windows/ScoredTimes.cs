using System;
using System.Collections.Generic;
using System.IO;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// The times at which one group's rows were scored, so that the scheduled job can tell a row sent again (an export
    /// that overlaps the last one: "the last hour, every 30 minutes" into the same file) from a late row that was never
    /// scored. Kept as the differences of the steps between times (delta-of-delta, the way time-series stores keep
    /// timestamps), in whole seconds or milliseconds where the times allow: a regular series is a few bytes for each
    /// stretch between its gaps, and a series that jitters (a scraper a second early or late, typeperf's milliseconds)
    /// one or two bytes a row. At most <see cref="MaxBytes"/> are kept per group, the latest: about 5 days of 1-minute
    /// rows that jitter by a second, 16 hours of 15-second samples that jitter by milliseconds, months of a regular
    /// series. A time before them is not known to have been scored, and its row is late as before.
    /// <para>
    /// Until 2026-12-07 the times were kept as at most 128 runs of equal steps: an irregular series fits two rows to a
    /// run, so only its latest 256 rows were known (about 4 hours of 1-minute rows that jitter by a second), and a "last
    /// 24 hours" re-export of it was refused as late beyond that. <see cref="Load"/> reads those runs.
    /// </para>
    /// </summary>
    public sealed class ScoredTimes
    {
        /// <summary>The most bytes of encoded times a group keeps (the oldest blocks go first).</summary>
        public const int MaxBytes = 8192;

        /// <summary>Encoded bytes per block: a block is dropped whole when the group's times outgrow <see cref="MaxBytes"/>.</summary>
        internal const int BlockBytes = 512;

        // What a block's header costs beside its bytes (start, last, unit, last step, pending run, count, length).
        private const int HeaderBytes = 48;

        // The marker that starts a saved set of blocks; a saved set of runs (before 2026-12-07) starts with its count, 0-128.
        private const int BlocksMarker = -2;

        // Ascending: each block starts after the previous one's last time.
        private readonly List<Block> blocks = new List<Block>();
        private int heldBytes;

        /// <summary>
        /// Times from <see cref="Start"/> to <see cref="Last"/>: the first is Start; each next one is the last plus the
        /// step, in <see cref="Unit"/>s; the step changes by each token's amount (a step-of-steps), and a run token repeats
        /// the step a number of times. A token is a varint of (zigzag(change) &lt;&lt; 1) or (repeats &lt;&lt; 1 | 1).
        /// </summary>
        private sealed class Block
        {
            public long Start, Last, Unit;
            // The step of the last two times, in units (0 while the block holds one time).
            public long Step;
            // Repeats of Step added since the last token was written (written when the step changes, or saved as they are).
            public long Pending;
            public long Count;
            public byte[] Data = new byte[32];
            public int Length;

            public void Write(ulong value)
            {
                if (Length + 10 > Data.Length) Array.Resize(ref Data, Math.Max(Data.Length * 2, Length + 10));
                while (value >= 0x80)
                {
                    Data[Length++] = (byte)(value | 0x80);
                    value >>= 7;
                }
                Data[Length++] = (byte)value;
            }

            public void FlushPending()
            {
                if (Pending == 0) return;
                Write(((ulong)Pending << 1) | 1);
                Pending = 0;
            }
        }

        /// <summary>Blocks kept (for tests).</summary>
        internal int BlockCount => blocks.Count;

        /// <summary>The bytes the kept times take (for tests): their blocks' bytes and headers.</summary>
        internal int HeldBytes => heldBytes;

        /// <summary>The earliest time still kept; null when none is.</summary>
        public DateTime? Earliest => blocks.Count == 0 ? null : new DateTime(blocks[0].Start);

        /// <summary>
        /// Adds the time of a row its group accepted: never earlier than the last one added (a group's rows are taken in
        /// time order; one of the same time, shared, adds nothing).
        /// </summary>
        public void Add(DateTime time) => Add(time.Ticks);

        private void Add(long t)
        {
            if (blocks.Count > 0)
            {
                var last = blocks[blocks.Count - 1];
                if (t <= last.Last) return;
                long delta = t - last.Last;
                if (last.Count == 1) last.Unit = UnitOf(delta);
                if (delta % last.Unit == 0 && last.Length < BlockBytes)
                {
                    long step = delta / last.Unit;
                    if (step == last.Step && last.Count > 1) last.Pending++;
                    else
                    {
                        int before = last.Length;
                        last.FlushPending();
                        last.Write(ZigZag(step - last.Step) << 1);
                        heldBytes += last.Length - before;
                        last.Step = step;
                    }
                    last.Last = t;
                    last.Count++;
                    Trim();
                    return;
                }
                int flushed = last.Length;
                last.FlushPending();
                heldBytes += last.Length - flushed;
            }
            blocks.Add(new Block { Start = t, Last = t, Unit = 1, Count = 1 });
            heldBytes += HeaderBytes;
            Trim();
        }

        // A block's unit: whole seconds or milliseconds when its first step is, else ticks.
        private static long UnitOf(long delta) =>
            delta % TimeSpan.TicksPerSecond == 0 ? TimeSpan.TicksPerSecond : delta % TimeSpan.TicksPerMillisecond == 0 ? TimeSpan.TicksPerMillisecond : 1;

        // The oldest blocks go while the times take more than MaxBytes (the latest block always stays).
        private void Trim()
        {
            while (heldBytes > MaxBytes && blocks.Count > 1)
            {
                heldBytes -= HeaderBytes + blocks[0].Length;
                blocks.RemoveAt(0);
            }
        }

        private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

        private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

        /// <summary>Whether a row of the group was scored at <paramref name="time"/> (the latest blocks are searched first).</summary>
        public bool Contains(DateTime time)
        {
            long t = time.Ticks;
            for (int i = blocks.Count - 1; i >= 0; i--)
            {
                var block = blocks[i];
                if (t > block.Last) return false;
                if (t >= block.Start) return Find(block, t, out _);
            }
            return false;
        }

        // Walks `block`'s times up to `t`: true when one is `t`. `end` is the block's last time as its bytes give it.
        private static bool Find(Block block, long t, out long end)
        {
            long time = block.Start, step = 0;
            end = time;
            bool found = t == time;
            int at = 0;
            while (at < block.Length)
            {
                ulong token = ReadVarint(block.Data, ref at, block.Length);
                if ((token & 1) == 1) found |= Repeat(ref time, step * block.Unit, (long)(token >> 1), t);
                else
                {
                    step += UnZigZag(token >> 1);
                    if (step <= 0) throw new InvalidDataException("A group's scored times are not in order.");
                    time = checked(time + step * block.Unit);
                    found |= time == t;
                }
            }
            found |= Repeat(ref time, step * block.Unit, block.Pending, t);
            end = time;
            return found;
        }

        // `count` more times `step` apart after `time`: whether `t` is one of them; `time` moves to the last.
        private static bool Repeat(ref long time, long step, long count, long t)
        {
            if (count == 0) return false;
            if (step <= 0 || count < 0) throw new InvalidDataException("A group's scored times are not in order.");
            bool found = false;
            if (t > time)
            {
                long offset = t - time;
                found = offset % step == 0 && offset / step <= count;
            }
            time = checked(time + step * count);
            return found;
        }

        private static ulong ReadVarint(byte[] data, ref int at, int length)
        {
            ulong value = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                if (at >= length) throw new InvalidDataException("A group's scored times are cut short.");
                byte b = data[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("A group's scored times hold a number too long.");
        }

        /// <summary>Writes the blocks (<see cref="Load"/> reads them).</summary>
        public void Save(BinaryWriter writer)
        {
            writer.Write(BlocksMarker);
            writer.Write(blocks.Count);
            foreach (var block in blocks)
            {
                writer.Write(block.Start);
                writer.Write(block.Last);
                writer.Write(block.Unit);
                writer.Write(block.Step);
                writer.Write(block.Pending);
                writer.Write(block.Count);
                writer.Write(block.Length);
                writer.Write(block.Data, 0, block.Length);
            }
        }

        /// <summary>
        /// The times <see cref="Save"/> wrote, or the runs of equal steps a memory kept before 2026-12-07 (read into
        /// blocks); times out of order, bytes that do not lead to the saved last time, or more than is kept, are damage.
        /// </summary>
        public static ScoredTimes Load(BinaryReader reader)
        {
            var times = new ScoredTimes();
            int first = reader.ReadInt32();
            if (first != BlocksMarker) return LoadRuns(reader, first);
            int count = reader.ReadInt32();
            if (count < 0 || count > MaxBytes / HeaderBytes + 1) throw new InvalidDataException("A group's scored times hold more blocks than are kept.");
            long previousLast = long.MinValue;
            for (int i = 0; i < count; i++)
            {
                var block = new Block
                {
                    Start = reader.ReadInt64(), Last = reader.ReadInt64(), Unit = reader.ReadInt64(), Step = reader.ReadInt64(),
                    Pending = reader.ReadInt64(), Count = reader.ReadInt64(),
                };
                int length = reader.ReadInt32();
                if (length < 0 || length > BlockBytes + 20 || block.Start < 0 || block.Start > DateTime.MaxValue.Ticks || block.Start <= previousLast ||
                    block.Last < block.Start || block.Last > DateTime.MaxValue.Ticks || block.Count < 1 || block.Pending < 0 || block.Step < 0 ||
                    block.Unit is not (1 or TimeSpan.TicksPerMillisecond or TimeSpan.TicksPerSecond))
                    throw new InvalidDataException("A group's scored times are not in order.");
                block.Data = reader.ReadBytes(length);
                if (block.Data.Length != length) throw new EndOfStreamException();
                block.Length = length;
                try
                {
                    Find(block, block.Start, out long end);
                    if (end != block.Last) throw new InvalidDataException("A group's scored times do not lead to their last one.");
                }
                catch (OverflowException e)
                {
                    throw new InvalidDataException("A group's scored times are not in order.", e);
                }
                previousLast = block.Last;
                times.blocks.Add(block);
                times.heldBytes += HeaderBytes + length;
            }
            if (times.heldBytes > MaxBytes + HeaderBytes + BlockBytes + 20) throw new InvalidDataException("A group's scored times hold more than is kept.");
            return times;
        }

        // The runs of equal steps (start, step, count) a memory kept before 2026-12-07: at most 128, each after the last.
        private static ScoredTimes LoadRuns(BinaryReader reader, int count)
        {
            var times = new ScoredTimes();
            if (count < 0 || count > 128) throw new InvalidDataException("A group's scored times hold more runs than are kept.");
            long previousEnd = long.MinValue;
            for (int i = 0; i < count; i++)
            {
                long start = reader.ReadInt64(), step = reader.ReadInt64();
                int runCount = reader.ReadInt32();
                if (runCount < 1 || step < 0 || (runCount == 1) != (step == 0) || start < DateTime.MinValue.Ticks || start <= previousEnd ||
                    (step > 0 && (DateTime.MaxValue.Ticks - start) / step < runCount - 1))
                    throw new InvalidDataException("A group's scored times are not in order.");
                previousEnd = start + step * (runCount - 1);
                times.AddRun(start, step, runCount);
            }
            return times;
        }

        // `count` times `step` apart from `start`: the first two added, the rest as repeats of their step when it is the
        // block's (a regular run of a million rows costs no more than two).
        private void AddRun(long start, long step, int count)
        {
            Add(start);
            if (count < 2) return;
            Add(start + step);
            var last = blocks[blocks.Count - 1];
            if (count > 2 && last.Last == start + step && last.Count > 1 && last.Step * last.Unit == step)
            {
                last.Pending += count - 2;
                last.Count += count - 2;
                last.Last = start + step * (count - 1);
                return;
            }
            for (int i = 2; i < count; i++) Add(start + step * i);
        }
    }
}
