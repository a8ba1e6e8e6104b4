using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Architecture
{
    /// <summary>
    /// ErrorIds is the one list of error ids: each id once, spelled as its name, and no source file writes an id as a
    /// string literal instead (read from the source, as LayeringTests reads it). The categories are checked on the
    /// cmdlet side (tests/Pester/ErrorCatalog.Tests.ps1), where PowerShell's ErrorCategory lives.
    /// </summary>
    public sealed class ErrorIdsTests
    {
        // Files the scoring rewrite (issue 16 item 2) is changing; it names their ids through ErrorIds when it lands.
        // Until then their literals must at least be ids the catalog knows. Remove entries as they are converted.
        private static readonly string[] NotYetConverted =
        {
            "AutoencoderPS.Engine/Scoring/",
            "AutoencoderPS.Engine/Features/Windows/SlidingWindow.cs",
            "AutoencoderPS/Commands/TestAnomalyCommand",
            "AutoencoderPS/Commands/InvokeAnomalyScoringCommand.cs",
        };

        private static readonly Dictionary<string, string> Ids = typeof(ErrorIds)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        [Fact]
        public void Every_id_is_its_own_name_so_ids_are_unique()
        {
            Assert.True(Ids.Count > 100, $"only {Ids.Count} ids");
            Assert.All(Ids, pair => Assert.Equal(pair.Key, pair.Value));
            Assert.Equal(Ids.Count, Ids.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        public static IEnumerable<object[]> SourceFiles() =>
            Directory.EnumerateFiles(SourceFolder(), "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(SourceFolder(), f).Replace('\\', '/'))
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
                .Where(f => f != "AutoencoderPS.Engine/ErrorIds.cs")
                .Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(SourceFiles))]
        public void No_file_writes_an_error_id_as_a_literal(string relativePath)
        {
            string source = File.ReadAllText(Path.Combine(SourceFolder(), relativePath));
            var literals = Regex.Matches(source, "(?<![\\w$@])\"([A-Z][A-Za-z]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
            if (NotYetConverted.Any(p => relativePath.StartsWith(p, StringComparison.Ordinal))) return;
            var written = literals.Where(Ids.ContainsKey).ToList();
            Assert.True(written.Count == 0, $"{relativePath} writes {string.Join(", ", written)} as string literals; use ErrorIds.");
        }

        [Theory]
        [MemberData(nameof(SourceFiles))]
        public void Every_id_an_exception_is_given_is_in_the_catalog(string relativePath)
        {
            // Literal ids (two words or more) passed to an exception or an ErrorRecord, in the files not converted yet:
            // the catalog must know them, or the cmdlets can't give them a category.
            string source = File.ReadAllText(Path.Combine(SourceFolder(), relativePath));
            var given = Regex.Matches(source, "(?:Exception|ErrorRecord|base)\\((?:[^\"()]*,\\s*)?\"([A-Z][a-z]+[A-Z][A-Za-z]*)\"")
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            var unknown = given.Where(id => !Ids.ContainsKey(id)).ToList();
            Assert.True(unknown.Count == 0, $"{relativePath} uses error ids the catalog lacks: {string.Join(", ", unknown)}. Add them to ErrorIds and the cmdlet layer's ErrorCatalog.");
        }

        private static string SourceFolder()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AutoencoderPS.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("AutoencoderPS.sln was not found above " + AppContext.BaseDirectory);
            return Path.Combine(dir.FullName, "src");
        }
    }
}
