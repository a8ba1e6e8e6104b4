using System;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features.Windows;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The times a group's rows were scored at (Features.Windows.ScoredTimes), kept by the scheduled job to tell a row sent
    /// again from a late one, and the window assembler's use of them across sources.
    /// </summary>
    public sealed class ScoredTimesTests
    {
        private static readonly DateTime Start = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Unspecified);

        [Fact]
        public void ARegularSeriesTakesAFewBytesForEachStretchBetweenItsGaps()
        {
            var times = new ScoredTimes();
            for (int i = 0; i < 100_000; i++) times.Add(Start.AddMinutes(i));
            Assert.Equal(1, times.BlockCount);
            int regular = times.HeldBytes;
            Assert.InRange(regular, 1, 64);
            // A gap of an hour, then minutes again: a few bytes more.
            for (int i = 100_060; i < 100_100; i++) times.Add(Start.AddMinutes(i));
            Assert.InRange(times.HeldBytes - regular, 1, 12);

            Assert.True(times.Contains(Start));
            Assert.True(times.Contains(Start.AddMinutes(99_999)));
            Assert.True(times.Contains(Start.AddMinutes(100_060)));
            Assert.True(times.Contains(Start.AddMinutes(100_099)));
            Assert.False(times.Contains(Start.AddMinutes(100_030)));            // in the gap
            Assert.False(times.Contains(Start.AddMinutes(10).AddSeconds(30)));  // between two rows
            Assert.False(times.Contains(Start.AddMinutes(-1)));
            Assert.False(times.Contains(Start.AddMinutes(100_100)));
        }

        [Fact]
        public void ASharedTimeAddsNothingAndIrregularTimesAreEachKnown()
        {
            var times = new ScoredTimes();
            times.Add(Start);
            times.Add(Start);
            Assert.Equal(1, times.BlockCount);
            var random = new Random(1);
            var t = Start;
            var all = new System.Collections.Generic.List<DateTime> { t };
            for (int i = 0; i < 999; i++)
            {
                // Seconds, milliseconds and ticks: each block takes the coarsest unit its steps allow.
                t = i % 300 == 299 ? t.AddTicks(1 + random.Next(10_000)) : i % 100 == 99 ? t.AddMilliseconds(1 + random.Next(100_000)) : t.AddSeconds(1 + random.Next(1000));
                all.Add(t);
                times.Add(t);
            }
            Assert.All(all, x => Assert.True(times.Contains(x)));
            Assert.All(all.Skip(1), x => Assert.False(times.Contains(x.AddTicks(-1))));
            Assert.False(times.Contains(all[500].AddTicks(1)));
        }

        [Fact]
        public void AJitteredSeriesKeepsDaysOfItsLatestTimesWithinTheBound()
        {
            // A scraper's 1-minute rows, each a second early or late now and then (times in whole seconds): 128 runs of
            // equal steps held 256 of them (4 hours); a "last 24 hours" re-export was refused as late beyond that.
            var random = new Random(2);
            var times = new ScoredTimes();
            var all = new System.Collections.Generic.List<DateTime>();
            for (int i = 0; i < 20_000; i++)
            {
                var t = Start.AddMinutes(i).AddSeconds(random.Next(3) - 1);
                all.Add(t);
                times.Add(t);
            }
            Assert.InRange(times.HeldBytes, ScoredTimes.MaxBytes - ScoredTimes.BlockBytes - 100, ScoredTimes.MaxBytes);
            Assert.All(all.Skip(all.Count - 3 * 1440), x => Assert.True(times.Contains(x)));   // the last 3 days, each one
            Assert.False(times.Contains(all[0]));                                                // the oldest are gone
            Assert.True(times.Earliest > all[0]);
            // typeperf's 15-second samples, late by a few milliseconds each: more than 12 hours.
            var samples = new ScoredTimes();
            var sampled = Enumerable.Range(0, 20_000).Select(i => Start.AddSeconds(15 * i).AddMilliseconds(random.Next(40))).ToList();
            foreach (var x in sampled) samples.Add(x);
            Assert.All(sampled.Skip(sampled.Count - 12 * 240), x => Assert.True(samples.Contains(x)));
            Assert.InRange(samples.HeldBytes, 1, ScoredTimes.MaxBytes);
        }

        [Fact]
        public void SavedTimesReadBackAndDamageIsRefused()
        {
            var times = new ScoredTimes();
            foreach (int m in new[] { 0, 1, 2, 3, 10, 17, 30, 31, 32, 33, 34 }) times.Add(Start.AddMinutes(m));
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) times.Save(writer);

            buffer.Position = 0;
            var loaded = ScoredTimes.Load(new BinaryReader(buffer));
            Assert.Equal(times.HeldBytes, loaded.HeldBytes);
            for (int m = -1; m <= 36; m++) Assert.Equal(times.Contains(Start.AddMinutes(m)), loaded.Contains(Start.AddMinutes(m)));
            // Going on after a load as before it.
            loaded.Add(Start.AddMinutes(35));
            Assert.True(loaded.Contains(Start.AddMinutes(35)));

            // The block's last time changed: its bytes no longer lead to it.
            var bytes = buffer.ToArray();
            BitConverter.GetBytes(Start.AddMinutes(40).Ticks).CopyTo(bytes, 4 + 4 + 8);
            Assert.Throws<InvalidDataException>(() => ScoredTimes.Load(new BinaryReader(new MemoryStream(bytes))));
            // Cut short.
            Assert.Throws<EndOfStreamException>(() => ScoredTimes.Load(new BinaryReader(new MemoryStream(buffer.ToArray()[..^2]))));
        }

        [Fact]
        public void RunsSavedBeforeTheBlocksReadAsTheSameTimes()
        {
            // A series memory of version 8 kept runs of equal steps (start, step, count): a regular month and two odd rows.
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(3);
                writer.Write(Start.Ticks); writer.Write(TimeSpan.FromMinutes(1).Ticks); writer.Write(43_200);
                writer.Write(Start.AddDays(31).Ticks); writer.Write(TimeSpan.FromSeconds(7).Ticks); writer.Write(2);
                writer.Write(Start.AddDays(32).Ticks); writer.Write(0L); writer.Write(1);
            }
            buffer.Position = 0;
            var times = ScoredTimes.Load(new BinaryReader(buffer));
            Assert.True(times.Contains(Start));
            Assert.True(times.Contains(Start.AddMinutes(43_199)));
            Assert.False(times.Contains(Start.AddMinutes(43_200)));
            Assert.True(times.Contains(Start.AddDays(31).AddSeconds(7)));
            Assert.True(times.Contains(Start.AddDays(32)));
            Assert.False(times.Contains(Start.AddDays(31).AddSeconds(14)));
            Assert.InRange(times.HeldBytes, 1, 200);
            // Runs out of order are damage, as before.
            var bytes = buffer.ToArray();
            BitConverter.GetBytes(Start.Ticks).CopyTo(bytes, 4 + 20 + 20);
            Assert.Throws<InvalidDataException>(() => ScoredTimes.Load(new BinaryReader(new MemoryStream(bytes))));
        }

        [Fact]
        public void AnAssemblerSkipsOnlyTimesOfAnEarlierSourceThatItScored()
        {
            var windows = new WindowAssembler(2, 1) { KeepsScoredTimes = true };
            windows.BeginSource();
            foreach (int m in new[] { 0, 1, 2, 4, 5 }) windows.Push(new WindowKey("a", Start.AddMinutes(m)), new[] { 1.0 });
            // The same source: its own times are not rows sent again (two rows of one time in a file are shared times).
            Assert.False(windows.ScoredBefore(new WindowKey("a", Start.AddMinutes(5))));

            windows.BeginSource();
            Assert.True(windows.ScoredBefore(new WindowKey("a", Start.AddMinutes(5))));
            Assert.True(windows.ScoredBefore(new WindowKey("a", Start.AddMinutes(1))));
            Assert.False(windows.ScoredBefore(new WindowKey("a", Start.AddMinutes(3))));  // never scored: late
            Assert.False(windows.ScoredBefore(new WindowKey("a", Start.AddMinutes(6))));  // new
            Assert.False(windows.ScoredBefore(new WindowKey("b", Start.AddMinutes(1))));  // another group

            // Kept with the memory: a later run (a new assembler) knows them.
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) windows.Save(writer);
            buffer.Position = 0;
            var next = new WindowAssembler(2, 1) { KeepsScoredTimes = true };
            Assert.True(next.Load(new BinaryReader(buffer)));
            next.BeginSource();
            Assert.True(next.ScoredBefore(new WindowKey("a", Start.AddMinutes(4))));
            Assert.False(next.ScoredBefore(new WindowKey("a", Start.AddMinutes(3))));
        }

        [Fact]
        public void ARepeatedLocalHourIsReadAfterTheSourcesLastRowAndItsFirstPassWhenARe_ExportStartsInIt()
        {
            // Clocks go back at 02:00 (local 01:00-01:59 twice). Scored: the first pass to 01:30. A re-export repeats
            // 01:00-01:30 of the first pass, then goes on to 01:59 and the second pass. Resolved after the group's last row
            // (01:30, first pass), the repeated rows read as second-pass instants: they were scored again, and the real
            // second pass was then skipped as "already scored".
            var firstPass = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);   // 01:00 PDT
            var secondPass = firstPass.AddHours(1);                                   // 01:00 PST
            WindowKey Local(int minute, bool second = false) =>
                second ? new WindowKey("a", secondPass.AddMinutes(minute)) : new WindowKey("a", firstPass.AddMinutes(minute), secondPass.AddMinutes(minute));
            var windows = new WindowAssembler(2, 1) { KeepsScoredTimes = true };
            windows.BeginSource();
            for (int m = 0; m <= 30; m++) windows.Push(windows.Resolve(Local(m)), new[] { 1.0 });

            windows.BeginSource();
            Assert.True(windows.ScoredBefore(Local(10)));
            Assert.True(windows.ScoredBefore(Local(30)));
            Assert.False(windows.ScoredBefore(Local(31)));
            windows.Push(windows.Resolve(Local(31)), new[] { 1.0 });   // the source takes a row: later repeats are the second pass
            Assert.Equal(firstPass.AddMinutes(31), windows.LastTime("a"));
            Assert.False(windows.ScoredBefore(Local(10)));
            Assert.Equal(secondPass.AddMinutes(10), windows.Resolve(Local(10)).Time);
            for (int m = 10; m <= 20; m++) windows.Push(windows.Resolve(Local(m)), new[] { 1.0 });

            // The file appended to goes on from the second pass's 01:20: its next row, 01:21, is new, though the first
            // pass's 01:21 was scored (read as that, it was skipped as sent again).
            windows.BeginSource(continues: true);
            Assert.False(windows.ScoredBefore(Local(21)));
            // A re-export of what was scored, from 01:15: the first pass to 01:31, then the second pass's 01:10-01:20.
            windows.BeginSource();
            for (int m = 15; m <= 31; m++) Assert.True(windows.ScoredBefore(Local(m)), $"first pass {m}");
            for (int m = 10; m <= 20; m++) Assert.True(windows.ScoredBefore(Local(m)), $"second pass {m}");
            Assert.False(windows.ScoredBefore(Local(21)));
        }

        [Fact]
        public void WithoutSourcesNothingIsSentAgain()
        {
            // Test-Anomaly: one call, one source; a row of a time scored before is a shared time, scored as before.
            var windows = new WindowAssembler(2, 1);
            windows.Push(new WindowKey("a", Start), new[] { 1.0 });
            Assert.False(windows.ScoredBefore(new WindowKey("a", Start)));
            windows.Push(new WindowKey("a", Start), new[] { 2.0 });
            Assert.Equal(1, windows.SharedTimes);
        }
    }
}
