using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Hosting
{
    /// <summary>
    /// Finds the per-platform runtime module (AutoencoderPS.Runtime.&lt;rid&gt;, same version as this module) that
    /// holds libtorch, for a module installed from the PowerShell Gallery without natives of its own. It looks beside
    /// this module's own folder, then in every folder of $env:PSModulePath, and tells the engine where to load from;
    /// when there is none, it says exactly what to install.
    /// </summary>
    internal static class RuntimeLocator
    {
        /// <summary>The platforms a runtime module is published for.</summary>
        internal static readonly string[] SupportedRuntimes = { "linux-x64", "win-x64", "osx-arm64" };

        internal const string RuntimeModulePrefix = "AutoencoderPS.Runtime.";

        private static int registered;
        private static readonly List<string> Imported = new List<string>();

        /// <summary>Hands the locator to the engine, once per process.</summary>
        internal static void Register()
        {
            if (Interlocked.Exchange(ref registered, 1) == 0)
                TorchRuntime.SetRuntimeLocator(Locate);
        }

        /// <summary>Remembers the folder of a runtime module the session has imported, if it is this module's version.</summary>
        internal static void NoteImported(Version version, string moduleBase)
        {
            if (string.IsNullOrEmpty(moduleBase) || $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}" != FolderVersion) return;
            lock (Imported)
                if (!Imported.Contains(moduleBase)) Imported.Add(moduleBase);
        }

        /// <summary>This process's platform as a runtime identifier: linux-x64, win-x64, osx-arm64, ...</summary>
        internal static string CurrentRuntimeIdentifier
        {
            get
            {
                string os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
                    : RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant();
                return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
            }
        }

        internal static string RuntimeModuleName => RuntimeModulePrefix + CurrentRuntimeIdentifier;

        /// <summary>This module's version as published (e.g. 0.1.0, or 0.2.0-preview1).</summary>
        internal static string ModuleVersion
        {
            get
            {
                var assembly = typeof(RuntimeLocator).Assembly;
                string? informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
                if (!string.IsNullOrEmpty(informational)) return informational!.Split('+')[0];
                var version = assembly.GetName().Version ?? new Version(0, 0, 0);
                return new Version(version.Major, version.Minor, Math.Max(version.Build, 0)).ToString();
            }
        }

        /// <summary>The version as a module folder names it: without a prerelease label.</summary>
        private static string FolderVersion => ModuleVersion.Split('-')[0];

        internal static NativeRuntimeCandidates Locate()
        {
            string rid = CurrentRuntimeIdentifier;
            string version = ModuleVersion;
            if (!SupportedRuntimes.Contains(rid, StringComparer.OrdinalIgnoreCase))
            {
                return new NativeRuntimeCandidates(Array.Empty<string>(),
                    $"AutoencoderPS {version} has libtorch runtime modules for {string.Join(", ", SupportedRuntimes)}; " +
                    $"this platform is {rid}, for which there is none.");
            }

            string name = RuntimeModuleName;
            var found = new List<string>();
            lock (Imported) found.AddRange(Imported);
            var otherVersions = new List<string>();
            foreach (string root in SearchRoots())
            {
                foreach (string moduleFolder in ModuleFolders(root, name))
                {
                    // Versioned layout (Install-PSResource, Install-Module): <root>/<name>/<version>/<name>.psd1
                    foreach (string versionFolder in SafeDirectories(moduleFolder))
                    {
                        if (!File.Exists(Path.Combine(versionFolder, name + ".psd1"))) continue;
                        string folderVersion = Path.GetFileName(versionFolder);
                        if (string.Equals(folderVersion, FolderVersion, StringComparison.OrdinalIgnoreCase)) found.Add(versionFolder);
                        else otherVersions.Add($"{folderVersion} in '{versionFolder}'");
                    }
                    // Unversioned layout: <root>/<name>/<name>.psd1
                    string manifest = Path.Combine(moduleFolder, name + ".psd1");
                    if (File.Exists(manifest))
                    {
                        string? manifestVersion = ReadModuleVersion(manifest);
                        if (string.Equals(manifestVersion, FolderVersion, StringComparison.OrdinalIgnoreCase)) found.Add(moduleFolder);
                        else otherVersions.Add($"{manifestVersion ?? "unknown"} in '{moduleFolder}'");
                    }
                }
            }

            string install = $"Install-PSResource {name} -Version {version}";
            string advice = otherVersions.Count == 0
                ? $"AutoencoderPS keeps libtorch in a separate module per platform, and {name} {version} is not installed. " +
                  $"Install it with: {install} (or: Install-Module {name} -RequiredVersion {version}), then run the command again."
                : $"AutoencoderPS {version} needs {name} of the same version, but found only {string.Join("; ", otherVersions.Distinct())}. " +
                  $"Install the matching one with: {install} (or: Install-Module {name} -RequiredVersion {version}), then run the command again.";
            if (found.Count > 0)
                advice = $"Reinstall the runtime module with: {install} -Reinstall (or: Install-Module {name} -RequiredVersion {version} -Force), " +
                         "then start a new session.";
            return new NativeRuntimeCandidates(found, advice);
        }

        // Beside this module first (<root>/AutoencoderPS/<version>/ or <root>/AutoencoderPS/), then $env:PSModulePath.
        private static IEnumerable<string> SearchRoots()
        {
            var roots = new List<string>();
            string? own = Path.GetDirectoryName(typeof(RuntimeLocator).Assembly.Location);
            if (!string.IsNullOrEmpty(own))
            {
                string? parent = Path.GetDirectoryName(own);
                if (parent != null && Version.TryParse(Path.GetFileName(own), out _)) parent = Path.GetDirectoryName(parent);
                if (parent != null) roots.Add(parent);
            }
            string? modulePath = Environment.GetEnvironmentVariable("PSModulePath");
            if (!string.IsNullOrEmpty(modulePath))
                roots.AddRange(modulePath!.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            var comparer = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
            return roots.Where(r => r.Length > 0 && Directory.Exists(r))
                .Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))
                .Distinct(comparer)
                .ToList();
        }

        // Module folder names match case-insensitively, as PowerShell matches module names.
        private static IEnumerable<string> ModuleFolders(string root, string name) =>
            SafeDirectories(root).Where(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase));

        private static IEnumerable<string> SafeDirectories(string folder)
        {
            try
            {
                return Directory.GetDirectories(folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }

        private static string? ReadModuleVersion(string manifest)
        {
            try
            {
                var match = Regex.Match(File.ReadAllText(manifest), @"ModuleVersion\s*=\s*['""]([^'""]+)['""]");
                return match.Success ? match.Groups[1].Value : null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
