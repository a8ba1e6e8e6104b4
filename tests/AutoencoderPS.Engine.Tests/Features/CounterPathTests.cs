using System.Globalization;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>A performance counter's column is found on another machine's export by its path (Features.CounterPath).</summary>
    public sealed class CounterPathTests
    {
        private const string Web01Cpu = @"\\WEB01\Processor(_Total)\% Processor Time";
        private const string Web02Cpu = @"\\web02\Processor(_Total)\% Processor Time";
        private const string Web03Cpu = @"\\WEB03\Processor(_Total)\% Processor Time";

        [Theory]
        [InlineData(@"\\WEB01\Processor(_Total)\% Processor Time", @"\Processor(_Total)\% Processor Time")]
        [InlineData(@"\\10.0.0.5\Memory\Available MBytes", @"\Memory\Available MBytes")]
        [InlineData(@"\Memory\Available MBytes", null)]
        [InlineData(@"\\WEB01\", null)]
        [InlineData(@"\\\Memory", null)]
        [InlineData("cpu", null)]
        [InlineData("", null)]
        public void APathLosesItsMachineAndAnythingElseIsNoPath(string name, string? expected) =>
            Assert.Equal(expected, CounterPath.WithoutMachine(name));

        [Fact]
        public void TheOneColumnWithTheSamePathOnAnotherMachineIsFoundAndSeveralAreNone()
        {
            Assert.Equal(Web02Cpu, CounterPath.OnAnotherMachine(Web01Cpu, new[] { "time", @"\\web02\Memory\Available MBytes", Web02Cpu }));
            // The path is compared without regard to case, as column names are.
            Assert.Equal(Web02Cpu, CounterPath.OnAnotherMachine(Web01Cpu.ToUpperInvariant(), new[] { Web02Cpu }));
            Assert.Null(CounterPath.OnAnotherMachine(Web01Cpu, new[] { Web02Cpu, Web03Cpu }));
            Assert.Null(CounterPath.OnAnotherMachine(Web01Cpu, new[] { @"\\web02\Processor(0)\% Processor Time" }));
            Assert.Null(CounterPath.OnAnotherMachine("cpu", new[] { "CPU2", Web02Cpu }));
        }

        [Fact]
        public void AFeatureIsReadAsNamedFirstThenOnAnotherMachine()
        {
            var other = new TestRecord(("time", "x"), (Web02Cpu, 42.0));
            Assert.True(CounterPath.TryGetValue(other, Web01Cpu, out var value));
            Assert.Equal(42.0, value);
            var both = new TestRecord((Web02Cpu, 1.0), (Web01Cpu, 2.0), (Web03Cpu, 3.0));
            Assert.True(CounterPath.TryGetValue(both, Web01Cpu, out value));
            Assert.Equal(2.0, value);
            Assert.False(CounterPath.TryGetValue(new TestRecord((Web02Cpu, 1.0), (Web03Cpu, 3.0)), Web01Cpu, out _));

            var header = new CsvHeader(new[] { "time", Web02Cpu }, "f.csv");
            Assert.Equal(1, CounterPath.IndexIn(header, Web01Cpu));
            Assert.Equal(-1, CounterPath.IndexIn(header, "cpu"));
        }

        [Fact]
        public void AFileOfSeveralMachinesIsRefusedSayingWhichMachinesHoldTheCounter()
        {
            var error = ColumnMismatch.Check("File 'relog.csv'", new[] { Web01Cpu }, null, new[] { "time", Web02Cpu, Web03Cpu }, _ => false);
            Assert.NotNull(error);
            Assert.Equal(ErrorIds.FeatureColumnsMissing, error!.ErrorId);
            Assert.Contains(@"holds the counter '\Processor(_Total)\% Processor Time' of 2 machines ('\\web02\Processor(_Total)\% Processor Time', '\\WEB03\Processor(_Total)\% Processor Time')", error.Message);
            Assert.Null(ColumnMismatch.Check("File 'web02.csv'", new[] { Web01Cpu }, null, new[] { "time", Web02Cpu }, _ => false));
        }
    }
}
