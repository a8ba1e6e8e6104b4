using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features.Windows;

namespace AutoencoderPS.Engine.Logs
{
    /// <summary>
    /// The time line a log's windows are cut on: the one place ConvertTo-LogWindow decides what a record's time means.
    /// <para>
    /// Instants, when the log's times state theirs (an offset, a Z, an epoch number, a DateTime of kind Utc or Local, a
    /// DateTimeOffset) or a zone is given: records are windowed by their instant (UTC), so a change of clocks is neither a
    /// silent hour nor a doubled one and hosts that write different offsets agree; the windows are written in
    /// <see cref="Zone"/> (the zone given, else this computer's, as PowerShell shows instants), with its offset, so their
    /// clock time (and a model's hour features) follows the zone's clocks. Without a zone, a record whose time is a clock
    /// time alone can't be placed on that line: <see cref="Outcome.NoOffset"/>.
    /// </para>
    /// <para>
    /// Clock times, when the first record's time is a clock time alone and no zone is given (a CSV export without
    /// offsets): windows are cut on the clock time as written, as before; a later record that states its instant is
    /// windowed by its clock time as written (<see cref="InstantsReadAsClock"/>).
    /// </para>
    /// </summary>
    public sealed class LogTimeAxis
    {
        /// <summary>What <see cref="Place"/> made of a record's time.</summary>
        public enum Outcome
        {
            /// <summary>Placed: the key is in <c>key</c>.</summary>
            Placed,

            /// <summary>A clock time alone among records that state their instant, with no zone to read it in.</summary>
            NoOffset,

            /// <summary>A clock time in the hour the zone skips when its clocks go forward: it never happened there.</summary>
            Nonexistent,
        }

        private readonly TimeZoneInfo? given;
        private DateTime? previous;
        // Offsets the records were written at that are not the zone's at their instant (at most a few kept, to name them).
        private readonly SortedSet<TimeSpan> otherOffsets = new SortedSet<TimeSpan>();

        /// <param name="zone">The zone of the log's clock times and of the windows (-TimeZone); null: none given.</param>
        public LogTimeAxis(TimeZoneInfo? zone)
        {
            given = zone;
            if (zone != null) Instants = true;
        }

        /// <summary>Whether windows are cut on instants (true), clock times (false), or not known yet (no record, no zone).</summary>
        public bool? Instants { get; private set; }

        /// <summary>The zone the windows are written in when they are cut on instants: the one given, else this computer's.</summary>
        public TimeZoneInfo Zone => given ?? TimeZoneInfo.Local;

        /// <summary>Whether a zone was given.</summary>
        public bool ZoneGiven => given != null;

        /// <summary>Records that stated their instant in a log of clock times (windowed by their clock time as written).</summary>
        public long InstantsReadAsClock { get; private set; }

        /// <summary>The offsets (other than <see cref="Zone"/>'s) that records were written at (text with an offset, a DateTimeOffset).</summary>
        public IReadOnlyCollection<TimeSpan> OtherOffsets => otherOffsets;

        /// <summary>
        /// The key a record is windowed by: its instant (kind Utc) on a time line of instants, else its clock time as
        /// written. <paramref name="written"/> and <paramref name="instant"/> are what <see cref="Features.TimestampParser"/>
        /// read. The first record chooses the time line when no zone was given.
        /// </summary>
        public Outcome Place(DateTime written, DateTime? instant, out DateTime key)
        {
            Instants ??= instant != null;
            key = default;
            if (Instants == false)
            {
                if (instant != null) InstantsReadAsClock++;
                key = written;
                return Outcome.Placed;
            }
            if (instant is DateTime stated)
            {
                key = DateTime.SpecifyKind(stated, DateTimeKind.Utc);
                // An epoch number or a DateTime of kind Utc is an instant without a clock it was written on: no offset to tell.
                var offset = written - key;
                if (written.Kind != DateTimeKind.Utc && offset != Zone.GetUtcOffset(key) && otherOffsets.Count < 8) otherOffsets.Add(offset);
            }
            else if (given == null)
            {
                return Outcome.NoOffset;
            }
            else
            {
                var local = DateTime.SpecifyKind(written, DateTimeKind.Unspecified);
                if (given.IsInvalidTime(local)) return Outcome.Nonexistent;
                // The hour repeated when clocks go back: its first pass, or its second once the log has gone past the first
                // (an ordered log; SeriesTime.Choose, as a time-series model with -TimeZone reads it).
                var earlier = SeriesTime.Instant(local, null, given, "", null, out var later);
                key = SeriesTime.Choose(earlier, later, previous);
            }
            previous = key;
            return Outcome.Placed;
        }

        /// <summary>
        /// -Start or -End on the time line: on one of instants, a DateTime of kind Utc or Local is its instant and one of kind
        /// Unspecified a clock time of <see cref="Zone"/> (in the hour repeated when clocks go back, the first pass); on one
        /// of clock times, as written. Throws <see cref="AutoencoderException"/> TimeValueNonexistent for a clock time the
        /// zone skips.
        /// </summary>
        public DateTime? Bound(DateTime? bound, string name)
        {
            if (bound is not DateTime b) return null;
            if (Instants != true) return b;
            switch (b.Kind)
            {
                case DateTimeKind.Utc: return b;
                case DateTimeKind.Local: return b.ToUniversalTime();
            }
            if (Zone.IsInvalidTime(b))
                throw new AutoencoderException(ErrorIds.TimeValueNonexistent,
                    $"-{name} {b.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} does not exist in time zone '{Zone.Id}': its clocks skip that hour. " +
                    "Give a time outside it, or with its offset.");
            return SeriesTime.Instant(b, null, Zone, name, b, out _);
        }

        /// <summary>A window's start as written: on a time line of instants, a DateTimeOffset in <see cref="Zone"/>; else as it is.</summary>
        // Not a conditional expression: its DateTime branch would become a DateTimeOffset (the implicit conversion).
        public object Written(DateTime key)
        {
            if (Instants != true) return key;
            return TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(key, DateTimeKind.Utc)), Zone);
        }

        /// <summary>An offset as written in times: +01:00, -05:30.</summary>
        public static string Offset(TimeSpan offset) =>
            (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

        /// <summary>A key as written, for messages.</summary>
        public string Describe(DateTime key) => Written(key) switch
        {
            DateTimeOffset o => o.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            var other => other.ToString() ?? "",
        };

        /// <summary>The names of the offsets in <see cref="OtherOffsets"/>, for a warning.</summary>
        public string OtherOffsetNames() => string.Join(", ", otherOffsets.Select(Offset));
    }
}
