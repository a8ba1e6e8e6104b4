using System;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The Windows task the cmdlet registers, checked value by value (the ScheduledTasks cmdlets can't run here).</summary>
    public sealed class ScheduledTaskDefinitionTests
    {
        private const string Pwsh = @"C:\Program Files\PowerShell\7\pwsh.exe";
        private const string Script = @"C:\Program Files\PowerShell\Modules\AutoencoderPS\1.0.0\Invoke-ScheduledScoring.ps1";

        [Fact]
        public void TheDefinitionOfAFifteenMinuteTask()
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\Models\web ""prod"".aemodel", new[] { @"D:\Exports\*.csv" },
                @"D:\Scored Rows\web.csv", @"D:\State\", "Csv");
            var definition = new ScheduledTaskDefinition("score-web", TimeSpan.FromMinutes(15), action);

            Assert.Equal(@"\AutoencoderPS\", definition.TaskPath);
            Assert.Equal("score-web", definition.TaskName);
            Assert.Equal(@"\AutoencoderPS\score-web", definition.FullName);
            Assert.Equal(Pwsh, definition.Execute);
            Assert.Equal(
                @"-NoProfile -NonInteractive -File ""C:\Program Files\PowerShell\Modules\AutoencoderPS\1.0.0\Invoke-ScheduledScoring.ps1"" " +
                @"-ModelPath ""C:\Models\web \""prod\"".aemodel"" -Path D:\Exports\*.csv -OutputPath ""D:\Scored Rows\web.csv"" " +
                @"-StatePath D:\State\ -Format Csv",
                definition.Argument);
            Assert.Equal(TimeSpan.FromMinutes(15), definition.RepetitionInterval);
            Assert.Equal("PT15M", definition.RepetitionIntervalText);
            Assert.Equal("IgnoreNew", definition.MultipleInstances);
            Assert.True(definition.StartWhenAvailable);
            Assert.StartsWith("AutoencoderPS scheduled scoring (managed by Register-AnomalyScoringTask", definition.Description);
        }

        [Fact]
        public void ATrailingBackslashInsideQuotesIsDoubledSoTheClosingQuoteStays()
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\m.aemodel", new[] { @"C:\In Box\" }, @"C:\o.csv");
            var definition = new ScheduledTaskDefinition("t", TimeSpan.FromHours(1), action);

            Assert.Contains(@"-Path ""C:\In Box\\"" -OutputPath C:\o.csv", definition.Argument);
            Assert.Equal("PT1H", definition.RepetitionIntervalText);
        }

        [Fact]
        public void TheArgumentStringSplitsBackIntoExactlyTheArguments()
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\it's ""quoted""\m.aemodel", new[] { @"\\server\share\a b\", @"C:\x\\y""z" },
                @"C:\Out\\", @"C:\State dir\s.json", "JsonLines");
            var definition = new ScheduledTaskDefinition("multi", TimeSpan.FromMinutes(5), action);

            Assert.Equal(action.Arguments, CommandLineQuoting.WindowsSplit(definition.Argument));
            var back = ScheduledTaskDefinition.ParseAction(definition.Execute, definition.Argument);
            Assert.NotNull(back);
            Assert.Equal(action.CommandLine, back!.CommandLine);
        }

        [Fact]
        public void SeveralPathsGoInOneQuotedCommandArgument()
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\m.aemodel", new[] { @"C:\a.csv", @"C:\b c.csv" }, @"C:\o.csv");
            var definition = new ScheduledTaskDefinition("two", TimeSpan.FromMinutes(10), action);

            Assert.Equal(
                @"-NoProfile -NonInteractive -Command ""& 'C:\Program Files\PowerShell\Modules\AutoencoderPS\1.0.0\Invoke-ScheduledScoring.ps1' " +
                @"-ModelPath 'C:\m.aemodel' -Path 'C:\a.csv','C:\b c.csv' -OutputPath 'C:\o.csv'; exit $LASTEXITCODE""",
                definition.Argument);
        }

        [Fact]
        public void UnderTheDotnetHostTheDllIsTheFirstArgument()
        {
            var action = new ScoringTaskAction(new[] { @"C:\Program Files\dotnet\dotnet.exe", @"C:\Users\me\.nuget\packages\powershell\7.6.9\tools\net10.0\any\pwsh.dll" },
                Script, @"C:\m.aemodel", new[] { @"C:\a.csv" }, @"C:\o.csv");
            var definition = new ScheduledTaskDefinition("dotnet-host", TimeSpan.FromMinutes(15), action);

            Assert.Equal(@"C:\Program Files\dotnet\dotnet.exe", definition.Execute);
            Assert.StartsWith(@"C:\Users\me\.nuget\packages\powershell\7.6.9\tools\net10.0\any\pwsh.dll -NoProfile -NonInteractive -File ", definition.Argument);
        }

        [Theory]
        [InlineData(7)]
        [InlineData(45)]
        [InlineData(90)]
        [InlineData(31 * 24 * 60)]
        public void TaskSchedulerTakesAnyWholeMinuteIntervalUpTo31Days(int minutes)
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\m.aemodel", new[] { @"C:\a.csv" }, @"C:\o.csv");
            var definition = new ScheduledTaskDefinition("t", TimeSpan.FromMinutes(minutes), action);
            Assert.Equal(TimeSpan.FromMinutes(minutes), ScheduledTaskDefinition.ParseInterval(definition.RepetitionIntervalText));
        }

        [Theory]
        [InlineData(30)]
        [InlineData(90)]
        [InlineData(32 * 24 * 3600)]
        public void TaskSchedulerRefusesOtherIntervals(int seconds)
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\m.aemodel", new[] { @"C:\a.csv" }, @"C:\o.csv");
            var e = Assert.Throws<ScoringTaskException>(() => new ScheduledTaskDefinition("t", TimeSpan.FromSeconds(seconds), action));
            Assert.Equal("InvalidTaskInterval", e.ErrorId);
        }

        [Fact]
        public void ATaskReadBackFromTaskScheduler()
        {
            var action = new ScoringTaskAction(new[] { Pwsh }, Script, @"C:\m x.aemodel", new[] { @"C:\a.csv" }, @"C:\o.csv", @"C:\s.json");
            var definition = new ScheduledTaskDefinition("back", TimeSpan.FromMinutes(20), action);

            var task = AnomalyScoringTask.FromTaskScheduler("back", definition.Execute, definition.Argument, definition.RepetitionIntervalText);

            Assert.Equal(ScoringTaskPlatform.TaskScheduler, task.Platform);
            Assert.Equal(TimeSpan.FromMinutes(20), task.Interval);
            Assert.Equal(Pwsh, task.Command);
            Assert.Equal(action.Arguments, task.Arguments);
            Assert.Equal(@"C:\m x.aemodel", task.ModelPath);
            Assert.Equal(new[] { @"C:\a.csv" }, task.Path);
            Assert.Equal(@"C:\s.json", task.StatePath);
            Assert.Equal("\"" + Pwsh + "\" " + definition.Argument, task.RegisteredCommand);
        }
    }
}
