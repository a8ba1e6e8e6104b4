using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using AutoencoderPS.Engine.Text;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>
    /// Reads dates and times: DateTime and DateTimeOffset values, text in the given culture or ISO 8601, and Unix epoch
    /// times (a number, or text of digits): seconds since 1970-01-01 UTC between <see cref="EpochSecondsMin"/> and
    /// <see cref="EpochSecondsMax"/> (the years 2000 to 2100), or milliseconds in the same years (1,000 times those bounds).
    /// No other number is a time.
    /// </summary>
    public static class TimestampParser
    {
        /// <summary>2000-01-01 00:00 UTC in seconds since 1970.</summary>
        public const double EpochSecondsMin = 946684800;

        /// <summary>2100-01-01 00:00 UTC in seconds since 1970.</summary>
        public const double EpochSecondsMax = 4102444800;

        /// <summary>Whether <paramref name="number"/> reads as epoch seconds or milliseconds (years 2000-2100), and as which.</summary>
        public static bool TryReadEpoch(double number, out DateTime timestamp, out bool milliseconds)
        {
            milliseconds = false;
            timestamp = default;
            if (!double.IsFinite(number)) return false;
            double seconds;
            if (number >= EpochSecondsMin && number < EpochSecondsMax) seconds = number;
            else if (number >= EpochSecondsMin * 1000 && number < EpochSecondsMax * 1000) { seconds = number / 1000; milliseconds = true; }
            else return false;
            timestamp = DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        // A time's value as epoch seconds or milliseconds (TryReadEpoch), or microseconds (journald's __REALTIME_TIMESTAMP,
        // Python's time.time_ns() // 1000) or nanoseconds (Go's UnixNano, OpenTelemetry's timeUnixNano) of the same years.
        // Only where a value is known to be a time (TryRead): a column's numbers are told to be epoch times by TryReadEpoch
        // alone, since a byte counter near 1e15 or 1e18 would read as microseconds or nanoseconds of the 2000s.
        private static bool TryReadTimeEpoch(double number, out DateTime timestamp)
        {
            if (TryReadEpoch(number, out timestamp, out _)) return true;
            foreach (double perSecond in FineEpochUnits)
                if (number >= EpochSecondsMin * perSecond && number < EpochSecondsMax * perSecond)
                {
                    timestamp = DateTime.UnixEpoch.AddTicks((long)Math.Round(number / perSecond * TimeSpan.TicksPerSecond));
                    return true;
                }
            return false;
        }

        private static readonly double[] FineEpochUnits = { 1e6, 1e9 };

        // Shorter text ("1.5", "12") is a number or a code in practice, not a timestamp.
        private const int MinimumTextLength = 8;

        private const DateTimeStyles ZoneIndependent =
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;

        public static bool TryRead(object? value, CultureInfo culture, out DateTime timestamp) => TryRead(value, culture, out timestamp, out _, false);

        /// <summary>
        /// As <see cref="TryRead(object?, CultureInfo, out DateTime)"/>, and <paramref name="instant"/> is the moment (UTC)
        /// when the value says which it is: an epoch number, a DateTimeOffset, a DateTime of kind UTC or Local (this
        /// machine's clock), text with an offset or a Z. Null for a clock time alone (text without an offset, an unspecified
        /// DateTime), which only a time zone places (<see cref="Windows.SeriesTime"/>).
        /// </summary>
        public static bool TryRead(object? value, CultureInfo culture, out DateTime timestamp, out DateTime? instant) =>
            TryRead(value, culture, out timestamp, out instant, true);

        // Whether text names an offset takes a parse keeping its kind: only done when the instant is wanted.
        private static bool TryRead(object? value, CultureInfo culture, out DateTime timestamp, out DateTime? instant, bool wantInstant)
        {
            instant = null;
            switch (value)
            {
                case DateTime d:
                    timestamp = d;
                    // A DateTime of kind Local is a moment on this machine's clock (Get-Date, Get-Counter's Timestamp, and
                    // ConvertFrom-Json's reading of text with an offset): its instant is known, also in the hour repeated
                    // when this machine's clocks go back (the kind keeps which pass it is). Only Unspecified is a clock time alone.
                    if (d.Kind == DateTimeKind.Utc) instant = d;
                    else if (d.Kind == DateTimeKind.Local) instant = d.ToUniversalTime();
                    return true;
                // The clock time where the value was written: an offset is kept as written (10:00+02:00 is 10:00), and
                // nothing is converted to the local time of the machine that reads it, so the hour and day features
                // mean the same on every machine.
                case DateTimeOffset o:
                    timestamp = o.DateTime;
                    instant = o.UtcDateTime;
                    return true;
                case double or float or decimal or long or int or ulong or uint:
                    if (!TryReadTimeEpoch(Convert.ToDouble(value, CultureInfo.InvariantCulture), out timestamp)) return false;
                    instant = timestamp;
                    return true;
                case string text:
                    text = text.Trim();
                    // The forms .NET does not read, told by their shape (a few character comparisons on every text):
                    // a web server's log time, and a trailing UTC (sysstat's sadf -d), read as the Z it means. A dotted
                    // date in a culture without dotted dates is left as it was: the parse below would take it month
                    // first, as it does with a Z or GMT.
                    if (IsCommonLogTime(text) &&
                        DateTimeOffset.TryParseExact(text, CommonLogTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var logged))
                    {
                        timestamp = logged.DateTime;
                        instant = logged.UtcDateTime;
                        return true;
                    }
                    // C's asctime (Python's time.asctime, Apache's error log, ctime: "Mon Dec  1 10:00:00 2026", with or
                    // without fractions of a second) and ISO 8601's basic format ("20261201T100000", "...Z"): .NET reads neither.
                    if (IsAsctime(text) &&
                        DateTime.TryParseExact(text, AsctimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var asctime))
                    {
                        timestamp = asctime;
                        return true;
                    }
                    // Kibana's display format, which its CSV reports write: a clock time (of the browser's zone).
                    if (IsKibanaTime(text) &&
                        DateTime.TryParseExact(text, KibanaFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var kibana))
                    {
                        timestamp = kibana;
                        return true;
                    }
                    if (IsBasicIso(text) && DateTime.TryParseExact(text, BasicIsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var basic))
                    {
                        // The clock time as written; with a Z (a literal of the format) its instant too, as text with a Z reads.
                        timestamp = basic;
                        if (text[^1] is 'Z' or 'z') instant = DateTime.SpecifyKind(basic, DateTimeKind.Utc);
                        return true;
                    }
                    if (EndsWithUtc(text) && !(IsDotted(text) && culture.DateTimeFormat.DateSeparator != "."))
                        text = string.Concat(text.AsSpan(0, text.Length - 3).TrimEnd(), "Z");
                    if (IsEpochText(text))
                    {
                        if (!TryReadTimeEpoch(double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), out timestamp)) return false;
                        instant = timestamp;
                        return true;
                    }
                    // A time of day alone ("00:15:00", the time field of a W3C or IIS log) is no point in time: .NET would
                    // date it today, so three days of a log would read as one day, the day it is read.
                    if (IsTimeOfDay(text)) break;
                    // A date written with dots is day first wherever dots are written (de, ru, pl, cs, fi, nb, tr, ...);
                    // a culture without dotted dates (the invariant one) would read 01.12.2026 as 12 January and fail on
                    // 13.12.2026. A culture with them reads it below, as its own.
                    if (IsDotted(text) && culture.DateTimeFormat.DateSeparator != "." &&
                        DateTime.TryParseExact(text, DottedDayFirst, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dotted))
                    {
                        timestamp = dotted;
                        return true;
                    }
                    // Where the instant is wanted, one parse keeping its kind tells a clock time alone (Unspecified, the
                    // common case: done) from text with an offset or a Z, which the offset parse below then reads.
                    bool statesOffset = false;
                    if (wantInstant && text.Length >= MinimumTextLength &&
                        (DateTime.TryParse(text, culture, RoundTrip, out var clock) ||
                         InvariantMayRead(text, culture) && DateTime.TryParse(text, CultureInfo.InvariantCulture, RoundTrip, out clock)))
                    {
                        if (clock.Kind == DateTimeKind.Unspecified)
                        {
                            timestamp = clock;
                            return true;
                        }
                        statesOffset = true;
                    }
                    if (text.Length >= MinimumTextLength &&
                        (DateTimeOffset.TryParse(text, culture, ZoneIndependent, out var parsed) ||
                         InvariantMayRead(text, culture) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, ZoneIndependent, out parsed)))
                    {
                        timestamp = parsed.DateTime;
                        if (statesOffset) instant = parsed.UtcDateTime;
                        return true;
                    }
                    break;
            }
            timestamp = default;
            return false;
        }

        /// <summary>
        /// Why <paramref name="value"/>, which <see cref="TryRead(object?, CultureInfo, out DateTime)"/> does not read, is
        /// no time, to follow "which is not a date and time" in an error: a time zone abbreviation other than UTC and GMT
        /// (EST, CET: ambiguous, never guessed), a syslog time without a year (never guessed), or else the forms read.
        /// </summary>
        public static string WhyNotATime(object? value, CultureInfo culture)
        {
            if (IsTimeOfDay(value))
                return ": it is a time of day without a date, which is not guessed (it would be read as the day it is read); " +
                       "give a column that holds both the date and the time, such as the date and time fields of a W3C or IIS " +
                       "log combined: Select-Object *, @{n='timestamp'; e={ \"$($_.date) $($_.time)\" }} (then -TimeProperty " +
                       "timestamp)";
            if (value is string raw)
            {
                var text = raw.Trim();
                if (text.Length == 0)
                    return ": it is empty";
                int space = text.LastIndexOf(' ');
                var zone = text.AsSpan(space + 1);
                if (space > 0 && zone.Length is >= 3 and <= 5 && IsUpperLetters(zone) && !zone.SequenceEqual("UTC") &&
                    !zone.SequenceEqual("GMT") && TryRead(text[..space], culture, out _))
                    return $": '{text[(space + 1)..]}' is a time zone abbreviation, which can name more than one zone, so it is " +
                           "not read (only UTC and GMT are); write its offset instead (such as -05:00), or leave it out and give " +
                           "the model the zone (New-Autoencoder -TimeZone)";
                if (IsAsctime(text) && char.IsAsciiLetter(text[4]) && DateTime.TryParseExact(text[4..], AsctimeFormats.Where(f => !f.StartsWith("ddd", StringComparison.Ordinal)).ToArray(),
                        CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dated))
                    return $": its day name '{text[..3]}' is not that of the date ({dated:dddd, d MMMM yyyy}, in asctime's form: Ddd Mmm d HH:mm:ss yyyy)";
                if (SyslogTime.IsMatch(text))
                    return ": it has no year (as syslog writes it), and no year is guessed; add the year (Nov 30 2026 10:00:00), " +
                           "or have the logger write ISO 8601 times (rsyslog: RSYSLOG_FileFormat)";
                if (OtherSlashOrder(text, culture) is { } order) return order;
            }
            return "; the times read are ISO 8601 (2026-11-30T10:00:00, with or without an offset or Z, or with a trailing UTC " +
                   "or GMT; or in the basic format, 20261130T100000), Unix epoch seconds, milliseconds, microseconds or nanoseconds (years 2000-2100), dates in the " +
                   "culture's format, web server log times (30/Nov/2026:10:00:00 +0000), Kibana's (Nov 30, 2026 @ 10:00:00.000) and asctime (Mon Nov 30 10:00:00 2026)";
        }

        /// <summary>
        /// Whether <paramref name="value"/> is a time of day without a date: a TimeSpan, or text that is a clock time alone
        /// ("00:15:00", "9:15", "10:00:00.123", "10:00 PM", "10:00:00Z", "10:00:00+02:00"). <see cref="TryRead(object?, CultureInfo, out DateTime)"/>
        /// reads none of them; their errors have the ErrorId <see cref="ErrorIds.TimeWithoutDate"/>.
        /// </summary>
        public static bool IsTimeOfDay(object? value) => value switch
        {
            TimeSpan => true,
            string text => IsTimeOfDay(text.AsSpan().Trim()),
            _ => false,
        };

        // Told first by its start, one or two digits and a colon, which no date has (two comparisons on the way of every
        // text read), then by the whole: a clock time, letters (AM, PM, UTC) and an offset, and no date after it
        // ("10:00:00 2026-11-30" is read, as .NET reads it).
        private static bool IsTimeOfDay(ReadOnlySpan<char> text) =>
            text.Length >= 4 && char.IsAsciiDigit(text[0]) && (text[1] == ':' || char.IsAsciiDigit(text[1]) && text[2] == ':') &&
            ClockTimeAlone.IsMatch(text);

        private static readonly Regex ClockTimeAlone = new(
            @"^\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?\s*(\p{L}[\p{L}.]*)?\s*(Z|[+-]\d{1,2}(:?\d{2})?)?$",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// Whether <paramref name="culture"/> writes the month before the day in its short date (en-US and the invariant
        /// culture: MM/dd/yyyy), else the day first (en-GB, fr-FR: dd/MM/yyyy). Null when it writes the year first.
        /// </summary>
        public static bool? MonthFirst(CultureInfo culture)
        {
            string pattern = culture.DateTimeFormat.ShortDatePattern;
            int month = pattern.IndexOf('M'), day = pattern.IndexOf('d'), year = pattern.IndexOf('y');
            if (month < 0 || day < 0 || year >= 0 && year < month && year < day) return null;
            return month < day;
        }

        // "13/12/2026 00:00" read month first, or "12/13/2026" day first: a date in the other order, whose first or second
        // number is more than 12, so it can only be a day. Said with the culture that reads it, as the value implies it.
        private static string? OtherSlashOrder(string text, CultureInfo culture)
        {
            if (!TryReadSlashDate(text, out int first, out int second, out int year) || MonthFirst(culture) is not bool monthFirst) return null;
            int day = monthFirst ? first : second, month = monthFirst ? second : first;
            if (day <= 12 || month < 1 || month > 12 || day > DateTime.DaysInMonth(year, month)) return null;
            string reading = new DateTime(year, month, day).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
            return monthFirst
                ? $": {CultureText.Describe(culture)} reads dates month first (month/day/year), and {first} is no month; it is day " +
                  $"first ({reading}): give -Culture en-GB, or the culture of the data if it writes the day first " +
                  "(fr-FR, es-ES, ...). Dates of the 1st to the 12th in the same column are read, but with day and month swapped"
                : $": {CultureText.Describe(culture)} reads dates day first (day/month/year), and {second} is no month; it is month " +
                  $"first ({reading}): give -Culture en-US, or the culture of the data if it writes the month first. " +
                  "Dates of the 1st to the 12th in the same column are read, but with day and month swapped";
        }

        // Text the culture does not read is read by the invariant culture (ISO 8601, English month names), but not a slash
        // date that a day-first culture refused: the invariant culture reads it month first, so 12/13/2026 read by en-GB
        // would be 13 December beside 01/12/2026 read as 1 December, two orders in one column. Only on text the culture
        // did not read.
        private static bool InvariantMayRead(string text, CultureInfo culture) =>
            !(MonthFirst(culture) == false && TryReadSlashDate(text, out _, out _, out _));

        /// <summary>
        /// A date with slashes, two numbers first, then a four-digit year and no more digits or slashes ("13/12/2026",
        /// "1/2/2026 10:00"): its numbers as written, in order. The one reading of such dates (errors, and
        /// <see cref="SlashDateOrder"/> per row, a few character comparisons).
        /// </summary>
        internal static bool TryReadSlashDate(ReadOnlySpan<char> text, out int first, out int second, out int year)
        {
            first = second = year = 0;
            int a = text.IndexOf('/');
            if (a is < 1 or > 2 || !int.TryParse(text[..a], NumberStyles.None, CultureInfo.InvariantCulture, out first)) return false;
            var rest = text[(a + 1)..];
            int b = rest.IndexOf('/');
            if (b is < 1 or > 2 || !int.TryParse(rest[..b], NumberStyles.None, CultureInfo.InvariantCulture, out second)) return false;
            rest = rest[(b + 1)..];
            if (rest.Length < 4 || !int.TryParse(rest[..4], NumberStyles.None, CultureInfo.InvariantCulture, out year) || year < 1) return false;
            return rest.Length == 4 || !char.IsAsciiDigit(rest[4]) && rest[4] != '/';
        }

        private static bool IsUpperLetters(ReadOnlySpan<char> text)
        {
            foreach (char c in text)
                if (c < 'A' || c > 'Z') return false;
            return true;
        }

        // "Nov 30 10:00:00", "Nov  3 10:00:00.123": a month, a day and a time, without a year.
        private static readonly Regex SyslogTime = new(
            @"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private const DateTimeStyles RoundTrip = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind;

        // nginx's and Apache's log time (common and combined log format): "30/Nov/2026:10:00:00 +0000", English months.
        private const string CommonLogTime = "dd/MMM/yyyy:HH:mm:ss zzz";

        private static bool IsCommonLogTime(string text) =>
            text.Length >= 26 && text[2] == '/' && text[6] == '/' && text[11] == ':';

        // asctime: a day name, a month name, the day (padded with a space or a zero), the time (and fractions), the year;
        // and the same without the day name, a syslog time with the year put after it ("Dec 29 00:00:16 2026").
        private static readonly string[] AsctimeFormats =
        {
            "ddd MMM d HH:mm:ss yyyy", "ddd MMM d HH:mm:ss.FFFFFFF yyyy", "MMM d HH:mm:ss yyyy", "MMM d HH:mm:ss.FFFFFFF yyyy",
        };

        private static bool IsAsctime(string text) =>
            text.Length >= 19 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[2]) && text[3] == ' ' &&
            text[^5] == ' ' && char.IsAsciiDigit(text[^1]) && char.IsAsciiDigit(text[^4]);

        // Kibana's default dateFormat, MMM D, YYYY @ HH:mm:ss.SSS ("Mar 2, 2026 @ 00:00:06.123"), English month names.
        private static readonly string[] KibanaFormats = { "MMM d, yyyy @ HH:mm:ss.FFF", "MMM d, yyyy @ HH:mm:ss" };

        private static bool IsKibanaTime(string text) =>
            text.Length >= 22 && char.IsAsciiLetter(text[0]) && text[3] == ' ' && text.Contains(" @ ", StringComparison.Ordinal);

        // ISO 8601's basic format: yyyyMMddTHHmmss, and fractions or a Z.
        private static readonly string[] BasicIsoFormats =
        {
            "yyyyMMdd'T'HHmmss", "yyyyMMdd'T'HHmmss'Z'", "yyyyMMdd'T'HHmmss.FFFFFFF", "yyyyMMdd'T'HHmmss.FFFFFFF'Z'",
            "yyyyMMdd'T'HHmmss'z'", "yyyyMMdd'T'HHmmss.FFFFFFF'z'",
        };

        private static bool IsBasicIso(string text) =>
            text.Length >= 15 && text[8] is 'T' or 't' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[7]) && char.IsAsciiDigit(text[9]) && char.IsAsciiDigit(text[14]);

        // "2026-11-30 10:00:00 UTC": a time, a space, UTC (any case).
        private static bool EndsWithUtc(string text) =>
            text.Length > 12 && (text[^1] | 0x20) == 'c' && (text[^2] | 0x20) == 't' && (text[^3] | 0x20) == 'u' && char.IsWhiteSpace(text[^4]);

        // Day, month and year with dots, with a time or without: the forms a dotted date takes.
        private static readonly string[] DottedDayFirst =
        {
            "d.M.yyyy", "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss", "d.M.yyyy H:mm:ss.FFFFFFF",
        };

        // "1.12.2026", "01.12.2026 10:00": one or two digits, a dot, one or two digits, a dot, four digits.
        private static bool IsDotted(string text)
        {
            int first = text.IndexOf('.');
            if (first < 1 || first > 2) return false;
            int second = text.IndexOf('.', first + 1);
            if (second - first < 2 || second - first > 3 || text.Length < second + 5) return false;
            for (int i = 0; i < second + 5; i++)
                if (i != first && i != second && (text[i] < '0' || text[i] > '9')) return false;
            return text.Length == second + 5 || text[second + 5] == ' ';
        }

        // Digits with at most one decimal point: "1117838570", "1117838570.123". Nothing else is read as an epoch number.
        private static bool IsEpochText(string text)
        {
            if (text.Length < 9 || text.Length > 20) return false;
            int points = 0;
            foreach (char c in text)
            {
                if (c == '.') { if (++points > 1) return false; }
                else if (c < '0' || c > '9') return false;
            }
            return text[0] != '.' && text[^1] != '.';
        }

        /// <summary>Hour of day as an angle on a 24-hour circle and day of week on a 7-day circle.</summary>
        public static void Encode(DateTime t, Span<double> slots)
        {
            double hour = t.TimeOfDay.TotalHours;
            double day = (int)t.DayOfWeek + hour / 24.0;
            slots[0] = Math.Sin(2 * Math.PI * hour / 24.0);
            slots[1] = Math.Cos(2 * Math.PI * hour / 24.0);
            slots[2] = Math.Sin(2 * Math.PI * day / 7.0);
            slots[3] = Math.Cos(2 * Math.PI * day / 7.0);
        }

        /// <summary>Reads an encoding back as "Mon 14:05" (the nearest point on both circles).</summary>
        public static string Describe(ReadOnlySpan<double> slots)
        {
            double hour = (Math.Atan2(slots[0], slots[1]) / (2 * Math.PI) * 24.0 + 24.0) % 24.0;
            double day = (Math.Atan2(slots[2], slots[3]) / (2 * Math.PI) * 7.0 + 7.0) % 7.0;
            int rounded = (int)Math.Round(hour * 60);
            int minutes = rounded % (24 * 60);
            // The day circle carries the hour too: take the day the (rounded) time of day falls on.
            int dayIndex = ((int)Math.Round(day - hour / 24.0) + rounded / (24 * 60)) % 7;
            if (dayIndex < 0) dayIndex += 7;
            var dayName = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames[dayIndex];
            return $"{dayName} {minutes / 60:00}:{minutes % 60:00}";
        }
    }
}
