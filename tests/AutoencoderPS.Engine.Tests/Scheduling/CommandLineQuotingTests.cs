using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using AutoencoderPS.Engine.Scheduling;

namespace AutoencoderPS.Engine.Tests
{
    public sealed class CommandLineQuotingTests
    {
        /// <summary>Arguments that break naive quoting in sh, on Windows command lines or in PowerShell strings.</summary>
        internal static readonly string[] Hostile =
        {
            "plain", "with space", "it's", "'", "''", "\"", "say \"hi\"", "$HOME", "`date`", "$(id)", "a;b", "a|b", "a&b",
            "*.csv", "?", "[ab]", "~", "50%", "%s", "100%%", "back\\slash", "trailing\\", "trailing\\\\", "C:\\My Data\\",
            "a\\\"b", "\\\\server\\share\\f x.csv", "tab\there", "ünïcødé ✓", "‘smart’ quotes", "-NoProfile", "--", "#hash", "=", "",
            "  leading and trailing  ", "a'b\"c$d`e\\f%g",
        };

        [Theory]
        [InlineData("plain", "plain")]
        [InlineData("/opt/data/model.aemodel", "/opt/data/model.aemodel")]
        [InlineData("with space", "'with space'")]
        [InlineData("it's", "'it'\\''s'")]
        [InlineData("", "''")]
        [InlineData("$HOME", "'$HOME'")]
        [InlineData("50%", "50%")]
        public void ShQuoteWritesTheExpectedWord(string argument, string expected)
        {
            Assert.Equal(expected, CommandLineQuoting.ShQuote(argument));
        }

        [Fact]
        public void ShSplitReadsBackWhatShJoinWrites()
        {
            Assert.Equal(Hostile, CommandLineQuoting.ShSplit(CommandLineQuoting.ShJoin(Hostile)));
        }

        [Fact]
        public void ShSplitRefusesWhatItDoesNotUnderstand()
        {
            Assert.Null(CommandLineQuoting.ShSplit("echo $HOME"));
            Assert.Null(CommandLineQuoting.ShSplit("echo 'open"));
            Assert.Null(CommandLineQuoting.ShSplit("a; b"));
            Assert.Equal(new[] { "a", ">>", "log file", "2>&1" }, CommandLineQuoting.ShSplit("a >> 'log file' 2>&1"));
        }

        [Fact]
        public void ShJoinedArgumentsReachAProgramExactlyThroughTheRealShell()
        {
            if (OperatingSystem.IsWindows()) return; // no /bin/sh
            var args = Hostile;
            string command = "printf '%s\\0' " + CommandLineQuoting.ShJoin(args);
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
            start.StandardOutputEncoding = new UTF8Encoding(false);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Equal(args, output.Split('\0').SkipLast(1).ToArray());
        }

        [Theory]
        [InlineData("pwsh.exe", "pwsh.exe")]
        [InlineData(@"C:\Program Files\PowerShell\7\pwsh.exe", "\"C:\\Program Files\\PowerShell\\7\\pwsh.exe\"")]
        [InlineData(@"C:\NoSpace\", @"C:\NoSpace\")]
        [InlineData(@"C:\My Data\", "\"C:\\My Data\\\\\"")]
        [InlineData(@"C:\My Data\\", "\"C:\\My Data\\\\\\\\\"")]
        [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
        [InlineData("a\\\"b", "\"a\\\\\\\"b\"")]
        [InlineData(@"a\\b c", "\"a\\\\b c\"")]
        [InlineData("", "\"\"")]
        [InlineData("it's", "it's")]
        [InlineData("50%", "50%")]
        public void WindowsQuoteFollowsTheCommandLineRules(string argument, string expected)
        {
            Assert.Equal(expected, CommandLineQuoting.WindowsQuote(argument));
        }

        [Fact]
        public void WindowsSplitReadsBackWhatWindowsJoinWrites()
        {
            Assert.Equal(Hostile, CommandLineQuoting.WindowsSplit(CommandLineQuoting.WindowsJoin(Hostile)));
            var random = new Random(11);
            const string alphabet = "ab \\\"'\t%$";
            for (int n = 0; n < 2000; n++)
            {
                var args = Enumerable.Range(0, random.Next(1, 5))
                    .Select(_ => new string(Enumerable.Range(0, random.Next(0, 8)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
                    .ToArray();
                Assert.Equal(args, CommandLineQuoting.WindowsSplit(CommandLineQuoting.WindowsJoin(args)));
            }
        }

        [Fact]
        public void WindowsSplitFollowsCommandLineToArgvW()
        {
            Assert.Equal(new[] { "a\\\\b", "de fg", "h" }, CommandLineQuoting.WindowsSplit("a\\\\b \"de fg\" h"));
            Assert.Equal(new[] { "a\\\"b", "c", "d" }, CommandLineQuoting.WindowsSplit("a\\\\\\\"b c d"));
            Assert.Equal(new[] { "a\\\\b c", "d", "e" }, CommandLineQuoting.WindowsSplit("a\\\\\\\\\"b c\" d e"));
            Assert.Equal(new[] { "ab\"c" }, CommandLineQuoting.WindowsSplit("\"ab\"\"c\""));
        }

        /// <summary>
        /// .NET on Linux and macOS splits ProcessStartInfo.Arguments into argv by the Windows rules: a second,
        /// independent reader of the argument strings the Task Scheduler definition registers.
        /// </summary>
        [Fact]
        public void WindowsJoinedArgumentsAreSplitTheSameByDotNetsOwnParser()
        {
            if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/printf")) return;
            var args = Hostile;
            var start = new ProcessStartInfo("/usr/bin/printf", "%s\\0 " + CommandLineQuoting.WindowsJoin(args))
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
                StandardOutputEncoding = new UTF8Encoding(false),
            };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(args, output.Split('\0').SkipLast(1).ToArray());
        }

        [Fact]
        public void PowerShellQuoteDoublesEverySingleQuote()
        {
            Assert.Equal("'C:\\Data\\it''s'", CommandLineQuoting.PowerShellQuote("C:\\Data\\it's"));
            Assert.Equal("'‘‘smart’’'", CommandLineQuoting.PowerShellQuote("‘smart’"));
            Assert.Equal("'$x \"y\"'", CommandLineQuoting.PowerShellQuote("$x \"y\""));
        }
    }
}
