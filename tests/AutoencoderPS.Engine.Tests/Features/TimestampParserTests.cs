using System;
using System.Globalization;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Tests.Support;

namespace AutoencoderPS.Engine.Tests
{
    public class TimestampParserTests
    {
        [Theory]
        [InlineData("2026-01-05T10:00:00Z", 10)]
        [InlineData("2026-01-05T10:00:00+02:00", 10)]
        [InlineData("2026-01-05 10:00:00", 10)]
        public void TextIsReadTheSameWhateverTheMachinesTimeZone(string text, int expectedHour)
        {
            Assert.True(TimestampParser.TryRead(text, CultureInfo.InvariantCulture, out var t));
            // The clock time as written; nothing is shifted to the local time zone of the machine.
            Assert.Equal(expectedHour, t.Hour);
            Assert.Equal(0, t.Minute);
        }


        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

        [Fact]
        public void ReadsDateTimeAndDateTimeOffsetValues()
        {
            var t = new DateTime(2026, 3, 4, 5, 6, 7);

            Assert.True(TimestampParser.TryRead(t, Invariant, out var a));
            Assert.Equal(t, a);
            Assert.True(TimestampParser.TryRead(new DateTimeOffset(t, TimeSpan.FromHours(2)), Invariant, out var b));
            Assert.Equal(t, b); // the wall-clock time of the offset
        }

        [Theory]
        [InlineData("2026-01-05T14:30:00", "en-US")]
        [InlineData("2026-01-05 14:30", "")]
        [InlineData("2026-01-05T14:30:00", "de-DE")]
        [InlineData("01/05/2026 14:30", "")]
        [InlineData("05.01.2026 14:30", "de-DE")]
        [InlineData("  05.01.2026 14:30  ", "de-DE")]
        public void ReadsTextInTheCultureOrIso8601(string text, string culture)
        {
            Assert.True(TimestampParser.TryRead(text, CultureInfo.GetCultureInfo(culture), out var t));

            Assert.Equal(new DateTime(2026, 1, 5, 14, 30, 0), t);
        }

        [Theory]
        [InlineData("01.12.2026", 2026, 12, 1, 0, 0)]
        [InlineData("1.12.2026 10:00", 2026, 12, 1, 10, 0)]
        [InlineData("13.12.2026 23:59:30", 2026, 12, 13, 23, 59)]
        [InlineData("05.01.2026 14:30:00.250", 2026, 1, 5, 14, 30)]
        public void ADottedDateIsDayFirstAlsoInACultureWithoutDottedDates(string text, int year, int month, int day, int hour, int minute)
        {
            // A German export read without -Culture: before, 01.12.2026 was 12 January and 13.12.2026 no time at all.
            Assert.True(TimestampParser.TryRead(text, Invariant, out var read));
            Assert.Equal((year, month, day, hour, minute), (read.Year, read.Month, read.Day, read.Hour, read.Minute));
            Assert.True(TimestampParser.TryRead(text, German, out var german));
            Assert.Equal(german, read);
            // Still no time: dotted text that is no date.
            Assert.False(TimestampParser.TryRead("32.12.2026", Invariant, out _));
            Assert.False(TimestampParser.TryRead("1.5.20261", Invariant, out _));
        }

        [Fact]
        public void TheCultureDecidesDayAndMonth()
        {
            Assert.True(TimestampParser.TryRead("05.01.2026 10:30", German, out var german));
            Assert.True(TimestampParser.TryRead("05/01/2026 10:30", Invariant, out var invariant));

            Assert.Equal(new DateTime(2026, 1, 5, 10, 30, 0), german);
            Assert.Equal(new DateTime(2026, 5, 1, 10, 30, 0), invariant);
        }

        [Theory]
        [InlineData("1.5")]
        [InlineData("12")]
        [InlineData("2026")]
        [InlineData("web-01")]
        [InlineData("not a date at all")]
        [InlineData("")]
        [InlineData(null)]
        public void ShortTextNumbersAndWordsAreNoTimestamps(string? text)
        {
            Assert.False(TimestampParser.TryRead(text, Invariant, out _));
        }

        [Fact]
        public void NumbersAndOtherObjectsAreNoTimestamps()
        {
            Assert.False(TimestampParser.TryRead(20260105.0, Invariant, out _));
            Assert.False(TimestampParser.TryRead(42, Invariant, out _));
            Assert.False(TimestampParser.TryRead(true, Invariant, out _));
        }

        // sysstat's sadf -d writes "2026-11-30 10:00:00 UTC"; nginx and Apache "30/Nov/2026:10:00:00 +0000". Each states its
        // offset: the clock time as written (Unspecified, like text with a Z), and its instant (UTC).
        [Theory]
        [InlineData("2026-11-30 10:00:00 UTC", "", "2026-11-30T10:00:00", 0)]
        [InlineData("2026-11-30 10:00:00 UTC", "de-DE", "2026-11-30T10:00:00", 0)]
        [InlineData("2026-11-30T10:00:00.250 utc", "en-US", "2026-11-30T10:00:00.250", 0)]
        [InlineData("  2026-11-30 23:59:59  UTC ", "", "2026-11-30T23:59:59", 0)]
        [InlineData("2026-11-30 10:00:00 GMT", "", "2026-11-30T10:00:00", 0)]
        [InlineData("2026-11-30 10:00:00 +0000", "", "2026-11-30T10:00:00", 0)]
        [InlineData("2026-11-30 10:00:00 -0500", "", "2026-11-30T10:00:00", -5)]
        [InlineData("30/Nov/2026:10:00:00 +0000", "", "2026-11-30T10:00:00", 0)]
        [InlineData("30/Nov/2026:10:00:00 +0000", "de-DE", "2026-11-30T10:00:00", 0)]
        [InlineData("30/Nov/2026:10:00:00 +0000", "fr-FR", "2026-11-30T10:00:00", 0)]
        [InlineData("01/Mar/2026:23:15:07 -0700", "en-US", "2026-03-01T23:15:07", -7)]
        [InlineData("05/Jan/2026:10:00:00 +0530", "", "2026-01-05T10:00:00", 5.5)]
        [InlineData("20261130T100000Z", "", "2026-11-30T10:00:00", 0)]
        [InlineData("20261130T100000.25Z", "de-DE", "2026-11-30T10:00:00.250", 0)]
        public void SysstatAndWebServerTimesAreInstants(string text, string culture, string clock, double offsetHours)
        {
            var c = CultureInfo.GetCultureInfo(culture);
            var expected = DateTime.Parse(clock, CultureInfo.InvariantCulture);

            Assert.True(TimestampParser.TryRead(text, c, out var read, out var instant));
            Assert.Equal(expected, read);
            Assert.Equal(DateTimeKind.Unspecified, read.Kind);
            Assert.NotNull(instant);
            Assert.Equal(DateTimeKind.Utc, instant!.Value.Kind);
            Assert.Equal(expected - TimeSpan.FromHours(offsetHours), instant.Value);
            // The same clock time where the instant is not wanted.
            Assert.True(TimestampParser.TryRead(text, c, out var clockOnly));
            Assert.Equal(expected, clockOnly);
        }

        // C's asctime (Python's time.asctime, ctime, Apache's error log) and ISO 8601's basic format without a Z: clock
        // times, as written. Before, neither was read ("which is not a date and time").
        [Theory]
        [InlineData("Mon Nov 30 10:00:00 2026", "", "2026-11-30T10:00:00")]
        [InlineData("Tue Dec  1 23:59:59 2026", "de-DE", "2026-12-01T23:59:59")]
        [InlineData("Tue Dec 01 10:00:00.123456 2026", "en-US", "2026-12-01T10:00:00.123456")]
        [InlineData("Tue Dec 1 10:00:00 2026", "", "2026-12-01T10:00:00")]
        [InlineData("20261130T100000", "", "2026-11-30T10:00:00")]
        [InlineData("20261130T235959.5", "fr-FR", "2026-11-30T23:59:59.500")]
        [InlineData("Dec 29 00:00:16 2026", "", "2026-12-29T00:00:16")]
        [InlineData("Dec  9 00:00:16.25 2026", "de-DE", "2026-12-09T00:00:16.250")]
        public void AsctimeAndBasicIsoTimesAreClockTimes(string text, string culture, string clock)
        {
            Assert.True(TimestampParser.TryRead(text, CultureInfo.GetCultureInfo(culture), out var read, out var instant));
            Assert.Equal(DateTime.Parse(clock, CultureInfo.InvariantCulture), read);
            Assert.Equal(DateTimeKind.Unspecified, read.Kind);
            Assert.Null(instant);
        }

        // Kibana's dateFormat (MMM D, YYYY @ HH:mm:ss.SSS), which its CSV reports of Discover write: a clock time of the
        // browser's zone, without offset. Before, every row of an Elastic export failed ("which is not a date and time").
        [Theory]
        [InlineData("Mar 2, 2026 @ 00:00:06.123", "", "2026-03-02T00:00:06.123")]
        [InlineData("Dec 17, 2026 @ 23:59:59.000", "de-DE", "2026-12-17T23:59:59")]
        [InlineData("Dec 17, 2026 @ 23:59:59", "en-US", "2026-12-17T23:59:59")]
        public void KibanaTimesAreClockTimes(string text, string culture, string clock)
        {
            Assert.True(TimestampParser.TryRead(text, CultureInfo.GetCultureInfo(culture), out var read, out var instant));
            Assert.Equal(DateTime.Parse(clock, CultureInfo.InvariantCulture), read);
            Assert.Null(instant);
        }

        // journald's __REALTIME_TIMESTAMP (microseconds, as text in its JSON), Go's and OpenTelemetry's nanoseconds: read
        // where a value is a time. Before, every row failed ("which is not a date and time").
        [Theory]
        [InlineData("1733047200123456")]
        [InlineData("1733047200123456789")]
        [InlineData(1733047200123456L)]
        [InlineData(1733047200123456789L)]
        [InlineData(1733047200123456.0)]
        public void EpochMicrosecondsAndNanosecondsAreInstants(object value)
        {
            Assert.True(TimestampParser.TryRead(value, CultureInfo.InvariantCulture, out var read, out var instant));
            Assert.Equal(new DateTime(2024, 12, 1, 10, 0, 0, 123, DateTimeKind.Utc), read.AddTicks(-(read.Ticks % TimeSpan.TicksPerMillisecond)));
            Assert.Equal(read, instant);
        }

        [Fact]
        public void AColumnOfNumbersNearAnEpochInMicrosecondsIsNotTakenForTimes()
        {
            // A byte counter near 1e15 is no epoch: only seconds and milliseconds tell a column of numbers to be times.
            Assert.False(TimestampParser.TryReadEpoch(1000938281052140, out _, out _));
        }

        [Fact]
        public void AnAsctimeWhoseDayNameIsNotItsDatesIsRefusedAndTheErrorSaysSo()
        {
            Assert.False(TimestampParser.TryRead("Mon Dec  1 10:00:00 2026", CultureInfo.InvariantCulture, out _));
            Assert.False(TimestampParser.TryRead("20261301T100000", CultureInfo.InvariantCulture, out _));
            Assert.Contains("'Mon' is not that of the date (Tuesday, 1 December 2026", TimestampParser.WhyNotATime("Mon Dec  1 10:00:00 2026", CultureInfo.InvariantCulture),
                StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("31/Nov/2026:10:00:00 +0000")]
        [InlineData("30/Foo/2026:10:00:00 +0000")]
        [InlineData("30/Nov/2026:10:00:00 +2500")]
        [InlineData("UTC")]
        [InlineData("10 UTC")]
        public void MalformedWebServerAndUtcTimesAreStillNoTimes(string text)
        {
            Assert.False(TimestampParser.TryRead(text, Invariant, out _, out _));
        }

        private static FeatureValueException Unread(object value, string culture = "") =>
            Assert.Throws<FeatureValueException>(() => SlidingWindow.ReadTime(
                new TestRecord(("Time", value)), "Time", null, CultureInfo.GetCultureInfo(culture), out _));

        // EST is US Eastern or Australian Eastern Standard Time, CST three zones: an abbreviation is not guessed, and the
        // error says why and what to write instead.
        [Theory]
        [InlineData("2026-11-30 10:00:00 EST", "EST")]
        [InlineData("2026-11-30 10:00:00 CET", "CET")]
        [InlineData("2026-11-30T10:00:00 PST", "PST")]
        [InlineData("30.11.2026 10:00 CEST", "CEST")]
        public void AZoneAbbreviationIsRefusedWithItsReason(string text, string abbreviation)
        {
            Assert.False(TimestampParser.TryRead(text, Invariant, out _, out _));

            var error = Unread(text);
            Assert.Equal("TimeValueInvalid", error.ErrorId);
            Assert.Contains($"'{abbreviation}' is a time zone abbreviation, which can name more than one zone", error.Message, StringComparison.Ordinal);
            Assert.Contains("offset", error.Message, StringComparison.Ordinal);
            Assert.Contains("-TimeZone", error.Message, StringComparison.Ordinal);
        }

        // A syslog time has no year: none is guessed (the year of the reading machine is wrong for December's log read
        // in January), and the error says so.
        [Theory]
        [InlineData("Nov 30 10:00:00", "")]
        [InlineData("Nov  3 10:00:00", "")]
        [InlineData("Dec 31 23:59:59.123", "de-DE")]
        public void ASyslogTimeWithoutAYearIsRefusedWithItsReason(string text, string culture)
        {
            Assert.False(TimestampParser.TryRead(text, CultureInfo.GetCultureInfo(culture), out _, out _));

            var error = Unread(text, culture);
            Assert.Contains("it has no year", error.Message, StringComparison.Ordinal);
            // With the year added, as the message says, it is read.
            Assert.True(TimestampParser.TryRead("Nov 30 2026 10:00:00", CultureInfo.GetCultureInfo(culture), out var withYear));
            Assert.Equal(new DateTime(2026, 11, 30, 10, 0, 0), withYear);
        }

        // The time field of a W3C or IIS log (its date is another field): .NET's parse dates a time alone today, so three
        // days of a log read as one day, the day it was read, without a word. A time alone is refused with its own ErrorId,
        // and the error says to combine the date and the time.
        [Theory]
        [InlineData("00:15:00", "")]
        [InlineData("23:15:00", "")]
        [InlineData("10:00:00.123", "")]
        [InlineData("  10:00:00  ", "")]
        [InlineData("10:00:00Z", "")]
        [InlineData("10:00:00+02:00", "")]
        [InlineData("10:00:00 UTC", "")]
        [InlineData("10:00 PM", "en-US")]
        [InlineData("9:15", "")]
        [InlineData("14:30:00", "de-DE")]
        [InlineData("14:30:00", "en-GB")]
        public void ATimeOfDayWithoutADateIsRefusedWithItsOwnErrorId(string text, string culture)
        {
            var c = CultureInfo.GetCultureInfo(culture);
            Assert.False(TimestampParser.TryRead(text, c, out _));
            Assert.False(TimestampParser.TryRead(text, c, out _, out _));
            Assert.True(TimestampParser.IsTimeOfDay(text));

            var error = Unread(text, culture);
            Assert.Equal("TimeWithoutDate", error.ErrorId);
            Assert.Equal("Time", error.Column);
            Assert.StartsWith($"column 'Time' (the time of the sliding window) has value '{text}', which is not a date and time: it is a time of day without a date", error.Message, StringComparison.Ordinal);
            Assert.Contains("Select-Object *, @{n='timestamp'; e={ \"$($_.date) $($_.time)\" }}", error.Message, StringComparison.Ordinal);
            // A feature column of the role Timestamp is refused the same way.
            Assert.Equal("TimeWithoutDate", FeatureValueException.NotATime("time", text, c).ErrorId);
        }

        [Fact]
        public void ATimeSpanIsATimeOfDayWithoutADate()
        {
            Assert.False(TimestampParser.TryRead(TimeSpan.FromHours(10), Invariant, out _));
            Assert.Equal("TimeWithoutDate", Unread(TimeSpan.FromHours(10)).ErrorId);
        }

        [Theory]
        [InlineData("10:00:00 2026-11-30", 2026, 11, 30, 10)]
        [InlineData("2026-11-30 10:00:00", 2026, 11, 30, 10)]
        [InlineData("2026-11-30T10:00:00Z", 2026, 11, 30, 10)]
        [InlineData("30.11.2026 10:00", 2026, 11, 30, 10)]
        [InlineData("11/30/2026 10:00", 2026, 11, 30, 10)]
        [InlineData("1764496800", 2025, 11, 30, 10)]
        [InlineData("1764496800000", 2025, 11, 30, 10)]
        public void ATimeWithItsDateAndEpochNumbersAreStillRead(string text, int year, int month, int day, int hour)
        {
            Assert.False(TimestampParser.IsTimeOfDay(text));
            Assert.True(TimestampParser.TryRead(text, Invariant, out var t));
            Assert.Equal((year, month, day, hour), (t.Year, t.Month, t.Day, t.Hour));
        }

        [Fact]
        public void AnEpochNumberIsStillRead()
        {
            Assert.True(TimestampParser.TryRead(1764496800.0, Invariant, out var seconds));
            Assert.Equal(new DateTime(2025, 11, 30, 10, 0, 0), seconds);
            Assert.True(TimestampParser.TryRead(1764496800000L, Invariant, out var milliseconds));
            Assert.Equal(seconds, milliseconds);
        }

        // 13/12/2026 read month first (the invariant culture, en-US) is no date: the error says the value is day first and
        // which -Culture reads it; the other way round for a day-first culture. Before, it only named "the culture's format".
        [Theory]
        [InlineData("13/12/2026 00:00", "", "day first (13 December 2026): give -Culture en-GB")]
        [InlineData("31/01/2026", "en-US", "day first (31 January 2026): give -Culture en-GB")]
        [InlineData("12/13/2026 10:00", "en-GB", "month first (13 December 2026): give -Culture en-US")]
        [InlineData("1/30/2026 10:00", "fr-FR", "month first (30 January 2026): give -Culture en-US")]
        public void ASlashDateInTheOtherOrderNamesTheCultureThatReadsIt(string text, string culture, string expected)
        {
            var error = Unread(text, culture);
            Assert.Equal("TimeValueInvalid", error.ErrorId);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.Contains("day and month swapped", error.Message, StringComparison.Ordinal);
            // And the culture it names reads it.
            string named = expected[(expected.IndexOf("-Culture ", StringComparison.Ordinal) + 9)..];
            Assert.True(TimestampParser.TryRead(text, CultureInfo.GetCultureInfo(named), out _));
        }

        [Theory]
        [InlineData("32/12/2026 00:00", "")]
        [InlineData("31/02/2026 00:00", "")]
        [InlineData("13/13/2026 00:00", "")]
        [InlineData("2026/13/01 00:00", "")]
        public void ASlashDateThatIsNoDateEitherWayNamesNoCulture(string text, string culture)
        {
            Assert.DoesNotContain("-Culture en-", Unread(text, culture).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void SlashDatesStillReadInTheCulturesOrder()
        {
            Assert.True(TimestampParser.TryRead("01/12/2026 00:00", CultureInfo.GetCultureInfo("en-US"), out var us));
            Assert.Equal(new DateTime(2026, 1, 12), us);
            Assert.True(TimestampParser.TryRead("01/12/2026 00:00", Invariant, out var invariant));
            Assert.Equal(new DateTime(2026, 1, 12), invariant);
            Assert.True(TimestampParser.TryRead("01/12/2026 00:00", CultureInfo.GetCultureInfo("en-GB"), out var gb));
            Assert.Equal(new DateTime(2026, 12, 1), gb);
        }

        // A raw IIS log read by Import-Csv gives every row an empty date and time: the error said which forms are read.
        [Theory]
        [InlineData("")]
        [InlineData(" ")]
        public void AnEmptyTimeIsSaidToBeEmpty(string text)
        {
            Assert.False(TimestampParser.TryRead(text, Invariant, out _));
            Assert.StartsWith(": it is empty", TimestampParser.WhyNotATime(text, Invariant), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("yesterday")]
        [InlineData("20261130")]
        [InlineData("2026-13-30 10:00:00")]
        public void AnUnreadTimeNamesTheFormsThatAreRead(string text)
        {
            var error = Unread(text);
            Assert.StartsWith($"column 'Time' (the time of the sliding window) has value '{text}', which is not a date and time; the times read are ISO 8601", error.Message, StringComparison.Ordinal);
            foreach (var form in new[] { "offset or Z", "UTC", "20261130T100000", "epoch seconds, milliseconds, microseconds or nanoseconds", "culture",
                "30/Nov/2026:10:00:00 +0000", "Mon Nov 30 10:00:00 2026" })
                Assert.Contains(form, error.Message, StringComparison.Ordinal);
            // A number that is no epoch time is told the same.
            Assert.Contains("epoch", Unread(42.0).Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(2026, 1, 4, 0, 0, 0.0, 1.0, 0.0)]   // Sunday midnight: the start of both circles
        [InlineData(2026, 1, 4, 6, 0, 1.0, 0.0, 0.25)]  // 06:00: a quarter round the day
        [InlineData(2026, 1, 4, 12, 0, 0.0, -1.0, 0.5)]
        [InlineData(2026, 1, 7, 18, 0, -1.0, 0.0, 3.75)] // Wednesday 18:00
        public void EncodeIsHourAndDayOnCircles(int y, int m, int d, int hour, int minute, double hourSin, double hourCos, double dayOfWeek)
        {
            var slots = new double[4];

            TimestampParser.Encode(new DateTime(y, m, d, hour, minute, 0), slots);

            Assert.Equal(hourSin, slots[0], 12);
            Assert.Equal(hourCos, slots[1], 12);
            Assert.Equal(Math.Sin(2 * Math.PI * dayOfWeek / 7), slots[2], 12);
            Assert.Equal(Math.Cos(2 * Math.PI * dayOfWeek / 7), slots[3], 12);
        }

        [Theory]
        [InlineData(2026, 1, 5, 14, 30, "Mon 14:30")]
        [InlineData(2026, 1, 5, 0, 0, "Mon 00:00")]
        [InlineData(2026, 1, 4, 0, 0, "Sun 00:00")]
        [InlineData(2026, 1, 10, 23, 59, "Sat 23:59")]
        [InlineData(2026, 1, 9, 12, 1, "Fri 12:01")]
        public void DescribeReadsAnEncodingBack(int y, int m, int d, int hour, int minute, string expected)
        {
            var slots = new double[4];
            TimestampParser.Encode(new DateTime(y, m, d, hour, minute, 0), slots);

            Assert.Equal(expected, TimestampParser.Describe(slots));
        }

        [Fact]
        public void EveryMinuteOfTheWeekRoundTrips()
        {
            var slots = new double[4];
            var start = new DateTime(2026, 1, 4);
            var wrong = Enumerable.Range(0, 7 * 24 * 60)
                .Select(minute => start.AddMinutes(minute))
                .Where(t =>
                {
                    TimestampParser.Encode(t, slots);
                    return TimestampParser.Describe(slots) != t.ToString("ddd HH:mm", Invariant);
                })
                .Take(5)
                .ToList();

            Assert.Empty(wrong);
        }

        [Fact]
        public void DescribeOfAReconstructionOffTheCircleTakesTheNearestPoint()
        {
            var slots = new double[4];
            TimestampParser.Encode(new DateTime(2026, 1, 7, 9, 0, 0), slots); // Wednesday 09:00

            Assert.Equal("Wed 09:00", TimestampParser.Describe(slots.Select(v => v * 0.3).ToArray()));
        }

        [Fact]
        public void RoundingUpToMidnightMovesToTheNextDay()
        {
            var slots = new double[4];
            TimestampParser.Encode(new DateTime(2026, 1, 5, 23, 59, 50), slots);

            Assert.Equal("Tue 00:00", TimestampParser.Describe(slots));
        }
    }
}
