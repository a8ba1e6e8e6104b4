using System;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    public sealed class ScoringTaskActionTests
    {
        private static readonly string[] Pwsh = { "/usr/bin/pwsh" };
        private const string Script = "/opt/microsoft/AutoencoderPS/Invoke-ScheduledScoring.ps1";

        [Fact]
        public void OnePathRunsTheScriptWithFile()
        {
            var action = new ScoringTaskAction(Pwsh, Script, "/m/web.aemodel", new[] { "/exports/*.csv" }, "/out/scored.csv", "/state/web.state", "jsonlines");

            Assert.Equal(new[]
            {
                "-NoProfile", "-NonInteractive", "-File", Script, "-ModelPath", "/m/web.aemodel", "-Path", "/exports/*.csv",
                "-OutputPath", "/out/scored.csv", "-StatePath", "/state/web.state", "-Format", "JsonLines",
            }, action.Arguments);
            Assert.Equal("/usr/bin/pwsh", action.Executable);
            Assert.Equal(new[] { "/usr/bin/pwsh" }.Concat(action.Arguments), action.CommandLine);
            Assert.False(action.UsesCommand);
        }

        [Fact]
        public void OptionalParametersAreLeftOutWhenNotGiven()
        {
            var action = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", new[] { "/a.csv" }, "/o.csv");
            Assert.Equal(new[] { "-NoProfile", "-NonInteractive", "-File", Script, "-ModelPath", "/m.aemodel", "-Path", "/a.csv", "-OutputPath", "/o.csv" },
                action.Arguments);
        }

        [Fact]
        public void TheDotnetHostLauncherComesFirst()
        {
            var action = new ScoringTaskAction(new[] { "/usr/share/dotnet/dotnet", "/home/u/.nuget/packages/powershell/7.6.9/tools/net10.0/any/unix/pwsh.dll" },
                Script, "/m.aemodel", new[] { "/a.csv" }, "/o.csv");
            Assert.Equal("/usr/share/dotnet/dotnet", action.Executable);
            Assert.Equal("/home/u/.nuget/packages/powershell/7.6.9/tools/net10.0/any/unix/pwsh.dll", action.Arguments[0]);
            Assert.Equal("-NoProfile", action.Arguments[1]);
        }

        [Fact]
        public void SeveralPathsRunTheScriptWithCommandBecauseFileCannotBindAnArray()
        {
            var action = new ScoringTaskAction(Pwsh, "/opt/it's/Invoke-ScheduledScoring.ps1", "/m/a b.aemodel",
                new[] { "/x/one.csv", "/y/it's ‘two’.csv" }, "/o.csv", null, "Csv");

            Assert.True(action.UsesCommand);
            Assert.Equal(new[]
            {
                "-NoProfile", "-NonInteractive", "-Command",
                "& '/opt/it''s/Invoke-ScheduledScoring.ps1' -ModelPath '/m/a b.aemodel' -Path '/x/one.csv','/y/it''s ‘‘two’’.csv' -OutputPath '/o.csv' -Format Csv; exit $LASTEXITCODE",
            }, action.Arguments);
        }

        [Fact]
        public void TryParseReadsBackBothForms()
        {
            foreach (var paths in new[] { new[] { "/e/*.csv" }, new[] { "/e/a b.csv", "/f/it's.csv", "/g/$x;%.csv" } })
            {
                var action = new ScoringTaskAction(new[] { "dotnet", "/p/pwsh.dll" }, Script, "/m/it's.aemodel", paths, "/o/x y.csv", "/s/st.json", "JsonLines");
                var back = ScoringTaskAction.TryParse(action.CommandLine);
                Assert.NotNull(back);
                Assert.Equal(action.Launcher, back!.Launcher);
                Assert.Equal(action.ScriptPath, back.ScriptPath);
                Assert.Equal(action.ModelPath, back.ModelPath);
                Assert.Equal(action.Path, back.Path);
                Assert.Equal(action.OutputPath, back.OutputPath);
                Assert.Equal(action.StatePath, back.StatePath);
                Assert.Equal(action.Format, back.Format);
                Assert.Equal(action.CommandLine, back.CommandLine);
            }
        }

        [Fact]
        public void TheVerdictOptionsOfATimeSeriesJobGoToTheScriptAndReadBack()
        {
            foreach (var paths in new[] { new[] { "/e/*.csv" }, new[] { "/e/a.csv", "/f/b.csv" } })
            {
                var cooldown = AutoencoderPS.Engine.Scoring.AlertCooldown.Parse("4h").ToArgument();
                var action = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", null, null, null, null, "Likelihood", "0.995", cooldown);
                Assert.Equal("04:00:00", cooldown);
                Assert.Equal(System.TimeSpan.FromHours(4), AutoencoderPS.Engine.Scoring.AlertCooldown.Parse(cooldown).Span);
                if (paths.Length == 1)
                    Assert.Equal(new[] { "-Calibration", "Likelihood", "-ProbabilityThreshold", "0.995", "-AlertCooldown", "04:00:00" }, action.Arguments.Skip(action.Arguments.Count - 6));
                else
                    Assert.EndsWith("-OutputPath '/o.csv' -Calibration 'Likelihood' -ProbabilityThreshold '0.995' -AlertCooldown '04:00:00'; exit $LASTEXITCODE", action.Arguments[^1]);
                var back = ScoringTaskAction.TryParse(action.CommandLine);
                Assert.NotNull(back);
                Assert.Equal(("Likelihood", "0.995", "04:00:00"), (back!.Calibration, back.ProbabilityThreshold, back.AlertCooldown));
                Assert.Equal(action.CommandLine, back.CommandLine);
            }
        }

        [Fact]
        public void ExplainingEveryRowGoesToTheScriptAndReadsBack()
        {
            foreach (var paths in new[] { new[] { "/e/*.csv" }, new[] { "/e/a.csv", "/f/b.csv" } })
            {
                var action = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", explain: "all");
                Assert.Equal(ScoringTaskAction.ExplainAllRows, action.Explain);
                if (paths.Length == 1)
                    Assert.Equal(new[] { "-OutputPath", "/o.csv", "-Explain", "All" }, action.Arguments.Skip(action.Arguments.Count - 4));
                else
                    Assert.EndsWith("-OutputPath '/o.csv' -Explain 'All'; exit $LASTEXITCODE", action.Arguments[^1]);
                var back = ScoringTaskAction.TryParse(action.CommandLine);
                Assert.NotNull(back);
                Assert.Equal("All", back!.Explain);
                Assert.Equal(action.CommandLine, back.CommandLine);
                // Without it the line has no -Explain, and reads back without it.
                var plain = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv");
                Assert.DoesNotContain(plain.Arguments, a => a.Contains("-Explain", StringComparison.Ordinal));
                Assert.Null(ScoringTaskAction.TryParse(plain.CommandLine)!.Explain);
            }
            Assert.Throws<ArgumentException>(() => new ScoringTaskAction(Pwsh, Script, "/m.aemodel", new[] { "/e.csv" }, "/o.csv", explain: "Some"));
            // A line edited by hand to another value is not one of ours.
            var edited = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", new[] { "/e.csv" }, "/o.csv", explain: "All").CommandLine.ToArray();
            edited[^1] = "Some";
            Assert.Null(ScoringTaskAction.TryParse(edited));
        }

        [Fact]
        public void FeatureCountAndFormulasGoToTheScriptAndReadBack()
        {
            foreach (var paths in new[] { new[] { "/e/*.csv" }, new[] { "/e/a.csv", "/f/b.csv" } })
            {
                var action = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", explain: "All", topFeatureCount: "1", formulas: "neutralize");
                Assert.Equal("1", action.TopFeatureCount);
                Assert.Equal(ScoringTaskAction.NeutralizeFormulas, action.Formulas);
                if (paths.Length == 1)
                    Assert.Equal(new[] { "-OutputPath", "/o.csv", "-Explain", "All", "-TopFeatureCount", "1", "-Formulas", "Neutralize" },
                        action.Arguments.Skip(action.Arguments.Count - 8));
                else
                    Assert.EndsWith("-OutputPath '/o.csv' -Explain 'All' -TopFeatureCount '1' -Formulas 'Neutralize'; exit $LASTEXITCODE", action.Arguments[^1]);
                var back = ScoringTaskAction.TryParse(action.CommandLine);
                Assert.NotNull(back);
                Assert.Equal(("1", "Neutralize", "All"), (back!.TopFeatureCount, back.Formulas, back.Explain));
                Assert.Equal(action.CommandLine, back.CommandLine);

                // Each without the other: only the one given is on the line, and reads back.
                var countOnly = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", topFeatureCount: "0");
                Assert.DoesNotContain(countOnly.Arguments, a => a.Contains("-Formulas", StringComparison.Ordinal));
                back = ScoringTaskAction.TryParse(countOnly.CommandLine);
                Assert.Equal(("0", (string?)null), (back!.TopFeatureCount, back.Formulas));
                var formulasOnly = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", formulas: "Neutralize");
                Assert.DoesNotContain(formulasOnly.Arguments, a => a.Contains("-TopFeatureCount", StringComparison.Ordinal));
                back = ScoringTaskAction.TryParse(formulasOnly.CommandLine);
                Assert.Equal(((string?)null, "Neutralize"), (back!.TopFeatureCount, back.Formulas));

                // Without them the line has neither, and reads back without them.
                var plain = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", topFeatureCount: "", formulas: null);
                Assert.DoesNotContain(plain.Arguments, a => a.Contains("-TopFeatureCount", StringComparison.Ordinal) || a.Contains("-Formulas", StringComparison.Ordinal));
                back = ScoringTaskAction.TryParse(plain.CommandLine);
                Assert.Null(back!.TopFeatureCount);
                Assert.Null(back.Formulas);
            }

            // The count is what the cmdlets' ValidateRange allows, 0 to 1000, written as invariant digits.
            foreach (string good in new[] { "0", "3", "1000" })
                Assert.Equal(good, new ScoringTaskAction(Pwsh, Script, "/m.aemodel", new[] { "/e.csv" }, "/o.csv", topFeatureCount: good).TopFeatureCount);
            foreach (string bad in new[] { "1001", "99999", "-1", "+1", "01", "1.0", "1e1", " 1", "1 ", "1,000", "\u0663", "three" })
                Assert.Throws<ArgumentException>(() => new ScoringTaskAction(Pwsh, Script, "/m.aemodel", new[] { "/e.csv" }, "/o.csv", topFeatureCount: bad));
            Assert.Throws<ArgumentException>(() => new ScoringTaskAction(Pwsh, Script, "/m.aemodel", new[] { "/e.csv" }, "/o.csv", formulas: "Keep"));

            // A line edited by hand to another value is not one of ours, in the -File and the -Command form.
            foreach (var paths in new[] { new[] { "/e.csv" }, new[] { "/e/a.csv", "/f/b.csv" } })
            {
                var line = new ScoringTaskAction(Pwsh, Script, "/m.aemodel", paths, "/o.csv", topFeatureCount: "2", formulas: "Neutralize").CommandLine.ToArray();
                Assert.NotNull(ScoringTaskAction.TryParse(line));
                foreach (var (from, to) in new[] { ("2", "1001"), ("2", "-2"), ("2", "two"), ("Neutralize", "Keep") })
                {
                    var edited = line.ToArray();
                    if (paths.Length == 1)
                        edited[Array.IndexOf(edited, from == "2" ? "-TopFeatureCount" : "-Formulas") + 1] = to;
                    else
                    {
                        string name = from == "2" ? "-TopFeatureCount" : "-Formulas";
                        edited[^1] = edited[^1].Replace($"{name} '{from}'", $"{name} '{to}'", StringComparison.Ordinal);
                        Assert.NotEqual(line[^1], edited[^1]);
                    }
                    Assert.Null(ScoringTaskAction.TryParse(edited));
                }
            }
        }

        [Fact]
        public void TryParseRefusesOtherCommands()
        {
            Assert.Null(ScoringTaskAction.TryParse(new[] { "pwsh", "-File", "x.ps1" }));
            Assert.Null(ScoringTaskAction.TryParse(new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", Script, "-ModelPath", "m" }));
            Assert.Null(ScoringTaskAction.TryParse(new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", Script, "-ModelPath", "m", "-Path", "p", "-OutputPath", "o", "-Evil", "x" }));
            Assert.Null(ScoringTaskAction.TryParse(new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "Remove-Item -Recurse /" }));
            Assert.Null(ScoringTaskAction.TryParse(new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "& 'x' -ModelPath 'm' -Path 'p' -OutputPath 'o'; rm -rf /; exit $LASTEXITCODE" }));
        }

        [Fact]
        public void ALineBreakInAnArgumentIsRefused()
        {
            var e = Assert.Throws<ScoringTaskException>(() => new ScoringTaskAction(Pwsh, Script, "/m\n.aemodel", new[] { "/a.csv" }, "/o.csv"));
            Assert.Equal("InvalidTaskArgument", e.ErrorId);
        }

        [Theory]
        [InlineData("score-web")]
        [InlineData("a")]
        [InlineData("Web_01.prod")]
        [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
        public void ValidNames(string name) => ScoringTaskRules.ValidateName(name);

        [Theory]
        [InlineData("")]
        [InlineData("with space")]
        [InlineData("-starts-with-dash")]
        [InlineData(".hidden")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData("a:b")]
        [InlineData("a*")]
        [InlineData("a\nb")]
        [InlineData("quote'd")]
        [InlineData("ünïcødé")]
        [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
        public void InvalidNamesAreRefusedWithInvalidTaskName(string name)
        {
            var e = Assert.Throws<ScoringTaskException>(() => ScoringTaskRules.ValidateName(name));
            Assert.Equal("InvalidTaskName", e.ErrorId);
        }

        [Theory]
        [InlineData(1, "* * * * *")]
        [InlineData(5, "*/5 * * * *")]
        [InlineData(15, "*/15 * * * *")]
        [InlineData(30, "*/30 * * * *")]
        [InlineData(60, "0 * * * *")]
        [InlineData(120, "0 */2 * * *")]
        [InlineData(480, "0 */8 * * *")]
        [InlineData(720, "0 */12 * * *")]
        [InlineData(1440, "0 0 * * *")]
        public void CronScheduleOfEvenIntervals(int minutes, string expected)
        {
            Assert.Equal(expected, ScoringTaskRules.CronSchedule(TimeSpan.FromMinutes(minutes)));
            Assert.Equal(TimeSpan.FromMinutes(minutes), ScoringTaskRules.IntervalFromCron(expected));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-15)]
        [InlineData(7)]
        [InlineData(45)]
        [InlineData(90)]
        [InlineData(300)]
        [InlineData(2880)]
        public void CronScheduleRefusesIntervalsCronCannotRepeatEvenly(int minutes)
        {
            var e = Assert.Throws<ScoringTaskException>(() => ScoringTaskRules.CronSchedule(TimeSpan.FromMinutes(minutes)));
            Assert.Equal("InvalidTaskInterval", e.ErrorId);
            Assert.Contains("every 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes, or every 1, 2, 3, 4, 6, 8, 12 or 24 hours", e.Message);
        }

        [Fact]
        public void CronScheduleRefusesSeconds()
        {
            var e = Assert.Throws<ScoringTaskException>(() => ScoringTaskRules.CronSchedule(TimeSpan.FromSeconds(90)));
            Assert.Contains("whole number of minutes", e.Message);
        }

        [Theory]
        [InlineData("*/7 * * * *")]
        [InlineData("5 * * * *")]
        [InlineData("*/15 * * * 1-5")]
        [InlineData("0 */5 * * *")]
        [InlineData("@hourly")]
        public void IntervalFromCronIsNullForOtherSchedules(string schedule)
        {
            Assert.Null(ScoringTaskRules.IntervalFromCron(schedule));
        }
    }
}
