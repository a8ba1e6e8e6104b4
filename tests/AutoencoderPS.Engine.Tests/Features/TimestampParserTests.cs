using System;
using System.Globalization;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Features;

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
