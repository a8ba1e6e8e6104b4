using System;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class SlashDateOrderTests
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

        // Rows every <hours> hours over <days> days from <start>, written in <format>.
        private static SlashDateOrder Read(DateTime start, int days, int hours, string format)
        {
            var order = new SlashDateOrder();
            for (var t = start; t < start.AddDays(days); t = t.AddHours(hours))
                order.Add(t.ToString(format, Invariant));
            return order;
        }

        // 1-7 December written day first and read month first were the 12th of January to July: "1981 windows after 6
        // gaps", without a word, as no day past the 12th failed.
        [Fact]
        public void ADayFirstWeekReadMonthFirstIsTold()
        {
            var order = Read(new DateTime(2026, 12, 1), 7, 1, "dd/MM/yyyy HH:mm");

            var warning = order.Warning(Invariant, "Timestamp");

            Assert.NotNull(warning);
            Assert.StartsWith("Every date in column 'Timestamp' reads both ways, day and month (such as '01/12/2026 00:00'): the invariant culture reads them month first, 7 dates from 12 January 2026 to 12 July 2026", warning, StringComparison.Ordinal);
            Assert.Contains("day first, they are 7 consecutive days, 1 December 2026 to 7 December 2026", warning, StringComparison.Ordinal);
            Assert.Contains("give -Culture en-GB", warning, StringComparison.Ordinal);
            Assert.Null(order.Warning(British, "Timestamp"));
        }

        // Monthly rows of several hosts, written month first on the 1st: read day first they are consecutive days (the 1st
        // to the 6th of January), and several rows share each date, but all at one time: a monthly series of a fleet, not
        // a series finer than a day. It was told to give -Culture en-GB, which would have read it wrongly.
        [Fact]
        public void MonthlyRowsOfSeveralHostsAreNotTold()
        {
            var order = new SlashDateOrder();
            for (int month = 1; month <= 6; month++)
                foreach (var host in new[] { "web01", "web02", "web03" })
                    order.Add($"{month}/1/2026 00:00:00");

            Assert.Null(order.Warning(Invariant, "Date"));
        }

        [Fact]
        public void AMonthFirstWeekReadDayFirstIsTold()
        {
            var order = Read(new DateTime(2026, 1, 1), 7, 6, "MM/dd/yyyy HH:mm");

            Assert.Contains("give -Culture en-US", order.Warning(British, "time"), StringComparison.Ordinal);
            Assert.Null(order.Warning(Invariant, "time"));
            Assert.Null(order.Warning(CultureInfo.GetCultureInfo("en-US"), "time"));
        }

        [Fact]
        public void WhatReadsRightOrCanNotBeToldIsNotTold()
        {
            // Month first, read month first: consecutive days as read.
            Assert.Null(Read(new DateTime(2026, 1, 1), 7, 1, "MM/dd/yyyy HH:mm").Warning(Invariant, "t"));
            // One row a month on the 1st, and one row a day: as regular either way, so never told.
            var monthly = new SlashDateOrder();
            for (int month = 1; month <= 12; month++) monthly.Add($"{month:00}/01/2026 00:00");
            Assert.Null(monthly.Warning(Invariant, "t"));
            Assert.Null(Read(new DateTime(2026, 12, 1), 7, 24, "dd/MM/yyyy HH:mm").Warning(Invariant, "t"));
            // A day past the 12th: no longer both ways (its row is an error that says so).
            Assert.Null(Read(new DateTime(2026, 12, 8), 7, 1, "dd/MM/yyyy HH:mm").Warning(Invariant, "t"));
            // One date, and other forms.
            Assert.Null(Read(new DateTime(2026, 12, 1), 1, 1, "dd/MM/yyyy HH:mm").Warning(Invariant, "t"));
            Assert.Null(Read(new DateTime(2026, 12, 1), 7, 1, "yyyy-MM-dd HH:mm").Warning(Invariant, "t"));
            Assert.Null(Read(new DateTime(2026, 12, 1), 7, 1, "dd.MM.yyyy HH:mm").Warning(Invariant, "t"));
        }
    }
}
