using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A header met again among a file's rows (exports joined with cat): in another column order, or with columns added or
    /// removed, the rows after it are read by it; the same header again is a row rejected as before.
    /// </summary>
    public sealed class RepeatedHeaderTests : IDisposable
    {
        private readonly TempDirectory temp = new TempDirectory();

        public void Dispose() => temp.Dispose();

        private static readonly CsvHeader Header = new CsvHeader(new[] { "Timestamp", "CpuPct", "MemPct", "NetMbps" }, "a.csv");

        [Theory]
        [InlineData("Timestamp,CpuPct,MemPct,NetMbps", HeaderRepeat.Same)]
        [InlineData(" timestamp , cpupct,MEMPCT,NetMbps", HeaderRepeat.Same)]
        [InlineData("\uFEFFTimestamp,CpuPct,MemPct,NetMbps", HeaderRepeat.Same)]
        [InlineData("Timestamp,CpuPct,NetMbps,MemPct", HeaderRepeat.Other)]
        [InlineData("NetMbps,Timestamp,MemPct,CpuPct,Host", HeaderRepeat.Other)]
        [InlineData("Timestamp,CpuPct,MemPct", HeaderRepeat.Other)]
        [InlineData("2026-03-01 00:00:00,12.5,40.1,80", HeaderRepeat.None)]
        [InlineData("Timestamp,12.5,40.1,80", HeaderRepeat.None)]
        [InlineData("Timestamp,CpuPct,1,2", HeaderRepeat.None)]
        [InlineData("CpuPct,CpuPct,MemPct,NetMbps", HeaderRepeat.None)]
        public void TellsARowFromTheHeaderAgain(string line, HeaderRepeat expected) =>
            Assert.Equal(expected, RepeatedHeader.Classify(Header, line.Split(',')));

        [Fact]
        public void SaysWhatAHeaderOfAnotherLayoutChanged()
        {
            var swapped = RepeatedHeader.Remap(Header, "Timestamp,CpuPct,NetMbps,MemPct".Split(','), "a.csv", 302);
            string warning = RepeatedHeader.Warning(swapped, "a.csv");
            Assert.Contains("line 302", warning, StringComparison.Ordinal);
            Assert.Contains("'MemPct', 'NetMbps' swapped", warning, StringComparison.Ordinal);
            var added = RepeatedHeader.Remap(Header, "Timestamp,CpuPct,MemPct,NetMbps,Host".Split(','), "a.csv", 9);
            Assert.Contains("'Host' added", RepeatedHeader.Warning(added, "a.csv"), StringComparison.Ordinal);
        }

        [Fact]
        public void TheRecordReaderReadsTheRowsAfterAHeaderOfAnotherOrderByIt()
        {
            // Before: the second part's rows were read by the first header's positions (MemPct held NetMbps's values).
            string path = temp.File("joined.csv");
            File.WriteAllText(path, "Timestamp,CpuPct,MemPct,NetMbps\nt1,1,40,90\nTimestamp,CpuPct,NetMbps,MemPct\nt2,2,91,41\n", new UTF8Encoding(false));
            var warnings = new List<string>();

            var records = CsvSource.Read(path, new CsvInputOptions(), warnings.Add).ToArray();

            Assert.Equal(2, records.Length);
            Assert.True(records[1].TryGetValue("MemPct", out var mem));
            Assert.Equal("41", mem);
            Assert.True(records[1].TryGetValue("NetMbps", out var net));
            Assert.Equal("91", net);
            Assert.Equal(4, records[1].Line);
            Assert.Single(warnings);
            Assert.Contains("line 3", warnings[0], StringComparison.Ordinal);
        }

        [Fact]
        public void TheSameHeaderAgainIsStillARow()
        {
            string path = temp.File("same.csv");
            File.WriteAllText(path, "a,b\n1,2\na,b\n3,4\n", new UTF8Encoding(false));
            var warnings = new List<string>();

            var records = CsvSource.Read(path, new CsvInputOptions(), warnings.Add).ToArray();

            Assert.Equal(3, records.Length);
            Assert.Equal(new[] { "a", "b" }, records[1].Fields);
            Assert.Empty(warnings);
        }
    }
}
