using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Architecture
{
    /// <summary>
    /// The engine's folders are its layers: each folder is one namespace, and the rules below say which layers may
    /// not use which. Read from the source (every <c>using</c> and fully qualified name), so a new file that breaks a
    /// rule fails here whatever it does.
    /// </summary>
    public sealed class LayeringTests
    {
        private const string Root = "AutoencoderPS.Engine";

        // Layer -> the layers it must never use. Csv, Scheduling, Logs and the shared helpers know nothing of the
        // model; features know nothing of the network; the model knows nothing of files, CSV or scheduling.
        private static readonly Dictionary<string, string[]> Forbidden = new Dictionary<string, string[]>
        {
            ["Text"] = new[] { "*" },
            ["Numerics"] = new[] { "*" },
            ["Samples"] = new[] { "*" },
            ["Scheduling"] = new[] { "*" },
            ["Logs"] = new[] { "*" },
            ["Csv"] = new[] { "Modeling", "Scoring", "Persistence", "Reporting", "Scheduling", "Logs", "Samples" },
            ["Features"] = new[] { "Modeling", "Scoring", "Persistence", "Reporting", "Scheduling", "Logs", "Samples" },
            ["Modeling"] = new[] { "Csv", "Scoring", "Persistence", "Reporting", "Scheduling", "Logs", "Samples" },
            ["Persistence"] = new[] { "Scoring", "Reporting", "Scheduling", "Logs", "Samples" },
            ["Reporting"] = new[] { "Csv", "Scoring", "Scheduling", "Logs", "Samples" },
            ["Scoring"] = new[] { "Reporting", "Scheduling", "Logs", "Samples" },
        };

        // Known exceptions, each with its reason; keep this list short and shrinking.
        private static readonly HashSet<(string From, string To)> Allowed = new HashSet<(string, string)>
        {
            // A window's group and time columns are read through the model's settings (GroupBy, TimeProperty, gap).
            ("Features.Windows", "Modeling"),
            // Log windows read a local time of a zone as a time-series model does (one reading of zones and of the hour
            // clocks repeat: SeriesTime), so that windows and the models trained on them agree.
            ("Logs", "Features.Windows"),
            // Reading a CSV file refuses what the writers refuse (FIFOs, devices, sockets): the one check of a path's kind
            // (SafeFile), not a second one.
            ("Csv", "Persistence"),
        };

        public static IEnumerable<object[]> EngineFiles() =>
            Directory.EnumerateFiles(EngineFolder(), "*.cs", SearchOption.AllDirectories)
                .Where(f => !IsBuildOutput(f))
                .Select(f => new object[] { Path.GetRelativePath(EngineFolder(), f).Replace('\\', '/') });

        [Theory]
        [MemberData(nameof(EngineFiles))]
        public void A_file_lives_in_the_namespace_of_its_folder(string relativePath)
        {
            string folder = Path.GetDirectoryName(relativePath)!.Replace('\\', '/');
            string expected = folder.Length == 0 ? Root : Root + "." + folder.Replace('/', '.');
            string source = File.ReadAllText(Path.Combine(EngineFolder(), relativePath));
            var declared = Regex.Matches(source, @"^namespace\s+([\w.]+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Equal(new[] { expected }, declared);
        }

        [Theory]
        [MemberData(nameof(EngineFiles))]
        public void A_file_uses_no_layer_its_own_may_not(string relativePath)
        {
            string folder = Path.GetDirectoryName(relativePath)!.Replace('\\', '/');
            if (folder.Length == 0) return; // the root holds only the shared exception base
            string layer = folder.Replace('/', '.');
            string topLayer = layer.Split('.')[0];
            string source = File.ReadAllText(Path.Combine(EngineFolder(), relativePath));
            var used = Regex.Matches(source, @"\bAutoencoderPS\.Engine\.([A-Z]\w*(?:\.[A-Z]\w*)*)")
                .Select(m => m.Groups[1].Value)
                .Select(name => FolderOf(name))
                .OfType<string>()
                .Where(name => name != layer && !layer.StartsWith(name + ".", StringComparison.Ordinal)
                               && !name.StartsWith(layer + ".", StringComparison.Ordinal))
                .Distinct()
                .ToList();
            var forbidden = Forbidden.TryGetValue(topLayer, out var f) ? f : Array.Empty<string>();
            var broken = used.Where(u => !Allowed.Contains((layer, u.Split('.')[0])) && !Allowed.Contains((layer, u))
                                         && (forbidden.Contains("*") || forbidden.Contains(u.Split('.')[0]))).ToList();
            Assert.True(broken.Count == 0, $"{relativePath} (layer {layer}) uses {string.Join(", ", broken)}, which its layer may not.");
        }

        [Fact]
        public void Every_layer_has_a_rule_and_every_rule_a_folder()
        {
            var layers = Directory.EnumerateDirectories(EngineFolder())
                .Select(Path.GetFileName)
                .Where(name => name != "bin" && name != "obj")
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            Assert.Equal(Forbidden.Keys.OrderBy(n => n, StringComparer.Ordinal), layers);
        }

        // The sub-namespace a qualified name lies in: "Modeling.Torch.TorchRuntime" -> "Modeling.Torch". Namespaces are
        // the folders under the engine; the first segment that is not a folder is the type.
        private static string? FolderOf(string qualified)
        {
            string[] parts = qualified.Split('.');
            string path = EngineFolder();
            var folders = new List<string>();
            foreach (var part in parts)
            {
                path = Path.Combine(path, part);
                if (!Directory.Exists(path)) break;
                folders.Add(part);
            }
            return folders.Count == 0 ? null : string.Join(".", folders);
        }

        private static bool IsBuildOutput(string path)
        {
            string relative = Path.GetRelativePath(EngineFolder(), path).Replace('\\', '/');
            return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
        }

        private static string EngineFolder()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AutoencoderPS.sln"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("AutoencoderPS.sln was not found above " + AppContext.BaseDirectory);
            return Path.Combine(dir.FullName, "src", Root);
        }
    }
}
