using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// The slash dates (d/d/yyyy) of one time column, to tell a day-first export read month first (or the other way
    /// round) when no day past the 12th shows it: every date reads both ways, several rows share each date (a series finer
    /// than a day: most dates hold more than one time), and read in the other order the dates are consecutive days, while read in the culture's order they
    /// are not (1-7 December read month first: the 12th of January to July). A series of one row a day reads as well
    /// either way (a day-first week is a month-first series of one row a month) and is never told. For commands that have
    /// read all their rows before they are done (training, ConvertTo-LogWindow), told once at the end; a streaming scorer
    /// has written its rows before it could know.
    /// </summary>
    public sealed class SlashDateOrder
    {
        // The distinct dates, as (year, first number, second number); at most 144 a year, as both are 1-12.
        private readonly HashSet<(int Year, int First, int Second)> dates = new();
        // Each date's first value, and the dates with another value (another time) too: a series finer than a day has
        // them, several hosts' monthly rows (all at 00:00 on the 1st) have not.
        private readonly Dictionary<(int Year, int First, int Second), string> firstOfDate = new();
        private readonly HashSet<(int Year, int First, int Second)> datesWithTimes = new();
        private long rows;
        private bool readsEitherWay = true;
        private string? sample;

        /// <summary>Counts one row's time value; only text that begins with a slash date is looked at (a few character comparisons).</summary>
        public void Add(object? value)
        {
            if (!readsEitherWay || value is not string raw) return;
            var text = raw.AsSpan().Trim();
            if (!TimestampParser.TryReadSlashDate(text, out int first, out int second, out int year)) return;
            if (first is < 1 or > 12 || second is < 1 or > 12)
            {
                readsEitherWay = false;
                return;
            }
            rows++;
            sample ??= text.ToString();
            var date = (year, first, second);
            if (dates.Add(date)) firstOfDate[date] = text.ToString();
            else if (!datesWithTimes.Contains(date) && !text.SequenceEqual(firstOfDate[date])) datesWithTimes.Add(date);
        }

        /// <summary>
        /// A warning when the dates read as <paramref name="culture"/> reads them are likely in the other order (see the
        /// class), naming <paramref name="column"/>, both readings and the -Culture that reads them the other way; else null.
        /// </summary>
        public string? Warning(CultureInfo culture, string column)
        {
            if (!readsEitherWay || dates.Count < 2 || rows < 2L * dates.Count || 2 * datesWithTimes.Count < dates.Count ||
                TimestampParser.MonthFirst(culture) is not bool monthFirst)
                return null;
            var read = Days(monthFirst);
            var other = Days(!monthFirst);
            if (!Consecutive(other) || Consecutive(read)) return null;
            const string Day = "d MMMM yyyy";
            var invariant = CultureInfo.InvariantCulture;
            return $"Every date in column '{column}' reads both ways, day and month (such as '{sample}'): {CultureText.Describe(culture)} " +
                   $"reads them {(monthFirst ? "month" : "day")} first, {dates.Count} dates from {read[0].ToString(Day, invariant)} to " +
                   $"{read[^1].ToString(Day, invariant)}, though {rows:N0} rows share them; read {(monthFirst ? "day" : "month")} first, they are " +
                   $"{dates.Count} consecutive days, {other[0].ToString(Day, invariant)} to {other[^1].ToString(Day, invariant)}. If the data writes " +
                   $"the {(monthFirst ? "day" : "month")} first, give -Culture {(monthFirst ? "en-GB" : "en-US")} (or the data's own culture) and run again.";
        }

        private List<DateTime> Days(bool monthFirst) =>
            dates.Select(d => monthFirst ? new DateTime(d.Year, d.First, d.Second) : new DateTime(d.Year, d.Second, d.First)).OrderBy(d => d).ToList();

        private static bool Consecutive(List<DateTime> days) => (days[^1] - days[0]).Days == days.Count - 1;
    }
}
