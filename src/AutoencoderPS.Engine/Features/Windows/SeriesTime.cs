using System;
using System.Linq;

namespace AutoencoderPS.Engine.Features.Windows
{
    /// <summary>
    /// The instant (UTC) that orders a row of a series whose model has a time zone (<see cref="Modeling.ModelSettings.TimeZone"/>):
    /// a time written without an offset is a local time of that zone. The one place a row's instant is worked out; its
    /// hour and day features keep the time as written.
    /// </summary>
    public static class SeriesTime
    {
        /// <summary>
        /// The zone of an IANA or Windows id (.NET maps one to the other where the system knows both). Throws
        /// <see cref="AutoencoderException"/> <c>TimeZoneInvalid</c> for an id the system does not know.
        /// </summary>
        public static TimeZoneInfo Zone(string id) =>
            Find(id, out var why) ?? throw new AutoencoderException(ErrorIds.TimeZoneInvalid,
                $"'{id}' is not a time zone this system knows (its time zone data may lack it). Give an IANA id (America/Los_Angeles, Europe/Berlin) or a Windows " +
                "id (Pacific Standard Time); Get-TimeZone -ListAvailable lists them.", why);

        /// <summary>
        /// The system's zone of an IANA or Windows id, or null (and the reason in <paramref name="why"/>) for one it does
        /// not know: the one place a zone is looked up by id (a model's -TimeZone, a perfmon column's zone name).
        /// </summary>
        public static TimeZoneInfo? Find(string id, out Exception? why)
        {
            why = null;
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
            }
            catch (Exception e) when (e is TimeZoneNotFoundException || e is InvalidTimeZoneException || e is ArgumentException)
            {
                why = e;
                return null;
            }
        }

        /// <summary>
        /// The instants of a row's time: <paramref name="stated"/> when the value says its moment (an offset, UTC, an epoch
        /// number); otherwise <paramref name="written"/> read as a local time of <paramref name="zone"/>. A local time of
        /// the hour repeated when clocks go back has two readings: the earlier is returned, the later in
        /// <paramref name="later"/> (<see cref="WindowKey.Resolve"/> chooses by the group's previous row).
        /// </summary>
        /// <remarks>
        /// A local time inside the hour skipped when clocks go forward never happened in the zone: it is refused
        /// (<c>TimeValueNonexistent</c>) rather than read as standard time, since either reading puts it out of order
        /// with one of its neighbours and a clock that writes it does not keep the zone given (a wrong -TimeZone, or a
        /// host whose clock ignores daylight saving time), which the user has to know.
        /// </remarks>
        public static DateTime Instant(DateTime written, DateTime? stated, TimeZoneInfo zone, string column, object? value, out DateTime? later)
        {
            later = null;
            if (stated != null) return DateTime.SpecifyKind(stated.Value, DateTimeKind.Utc);
            var local = DateTime.SpecifyKind(written, DateTimeKind.Unspecified);
            if (zone.IsInvalidTime(local))
                throw new FeatureValueException(FeatureValueProblem.NotTimestamp, column, value,
                    $"column '{column}' has time {WindowAssembler.Format(local)}, which does not exist in time zone '{zone.Id}': clocks " +
                    "skip that hour when they go forward. The clock that wrote it does not keep that zone (or its daylight saving " +
                    "time); give the model the zone it does keep (New-Autoencoder -TimeZone), or write times with their offset.",
                    ErrorIds.TimeValueNonexistent);
            if (zone.IsAmbiguousTime(local))
            {
                var offsets = zone.GetAmbiguousTimeOffsets(local);
                // The larger offset (daylight time) is the earlier instant.
                var earlier = Utc(local - offsets.Max());
                later = Utc(local - offsets.Min());
                return earlier;
            }
            return Utc(local - zone.GetUtcOffset(local));
        }

        /// <summary>
        /// Of the two readings of a repeated local time, the earlier, unless it is before the group's previous row and the
        /// later is not: then the later (an ordered stream that has gone past the first pass of the hour is in its second;
        /// pandas' ambiguous='infer'). Without a later reading, <paramref name="earlier"/>.
        /// </summary>
        public static DateTime Choose(DateTime earlier, DateTime? later, DateTime? previous) =>
            later is DateTime second && previous is DateTime last && earlier < last && second >= last ? second : earlier;

        private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }
}
