// The rules a built package must meet, read from its files' headers (BinaryImage.cs):
// - AutoencoderPS (every platform installs it): managed assemblies only, each platform-neutral (AnyCPU IL, no
//   precompiled code), so that an arm64 or x64 process on any OS can load it.
// - AutoencoderPS.Runtime.<rid>: every native library of that platform's format and architecture, and every library it
//   needs either in the package (where the loader will find it) or one of the operating system's own (the short lists
//   below, documented in .docs/packaging.md). On Linux, no strict need of a libstdc++ or glibc version newer than the
//   oldest distributions supported have, and a weak one (the GLIBCXX_3.4.32 patch, .config/Build.targets) only where a
//   version is newer than those and only on std::ios_base_library_init(), the GCC 13 marker nothing relocates against.
// Used by build.ps1 -Task Package and tests/Pester/Package.Tests.ps1 (Add-Type, after BinaryImage.cs), and compiled into
// the xunit project, which tests the rules on images it writes itself.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace AutoencoderPS.Packaging
{
    /// <summary>What one platform's runtime package must be, and what its operating system provides.</summary>
    public sealed class RuntimePlatform
    {
        private RuntimePlatform(string rid, ImageFormat format, string architecture, string[] loadOrder, string[] systemLibraries,
            string[] systemPrefixes, bool ignoreCase)
        {
            Rid = rid; Format = format; Architecture = architecture; LoadOrder = loadOrder;
            SystemLibraries = systemLibraries; SystemPrefixes = systemPrefixes; IgnoreCase = ignoreCase;
        }

        public string Rid { get; }
        public ImageFormat Format { get; }
        public string Architecture { get; }
        /// <summary>
        /// The libraries AutoencoderPS loads by full path, in order (the engine's TorchRuntime; an xunit test keeps the two
        /// equal). A library needed by its install name (Mach-O) or soname resolves to one of these loaded before it.
        /// </summary>
        public IReadOnlyList<string> LoadOrder { get; }
        /// <summary>Libraries of the operating system, by the name an image asks for (Mach-O: the full path).</summary>
        public IReadOnlyList<string> SystemLibraries { get; }
        /// <summary>Name prefixes of operating-system library families (Windows API sets).</summary>
        public IReadOnlyList<string> SystemPrefixes { get; }
        /// <summary>Windows file names are case-insensitive.</summary>
        public bool IgnoreCase { get; }
        public StringComparer NameComparer => IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        /// <summary>
        /// Linux: the oldest distributions supported are Debian 12 and Ubuntu 22.04 (glibc 2.36 and 2.35, GCC 12's
        /// libstdc++: GLIBCXX_3.4.30, CXXABI_1.3.13). A strict need beyond these fails to load there.
        /// </summary>
        public static readonly IReadOnlyDictionary<string, string> LinuxVersionCeiling = new Dictionary<string, string>
        {
            ["GLIBC"] = "2.35", ["GLIBCXX"] = "3.4.30", ["CXXABI"] = "1.3.13", ["GCC"] = "12.0.0",
        };

        public static readonly RuntimePlatform LinuxX64 = new RuntimePlatform("linux-x64", ImageFormat.Elf, "x86-64",
            new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so", "libLibTorchSharp.so" },
            new[]
            {
                // glibc
                "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2",
                // GCC's runtime: part of every glibc distribution's base system
                "libstdc++.so.6", "libgcc_s.so.1",
            },
            Array.Empty<string>(), ignoreCase: false);

        public static readonly RuntimePlatform WinX64 = new RuntimePlatform("win-x64", ImageFormat.Pe, "x86-64",
            new[] { "c10.dll", "torch_cpu.dll", "torch.dll", "LibTorchSharp.dll" },
            new[]
            {
                // Windows itself
                "KERNEL32.dll", "ADVAPI32.dll", "USER32.dll", "ole32.dll", "WS2_32.dll", "dbghelp.dll", "WINTRUST.dll",
                "imagehlp.dll", "PSAPI.DLL", "IPHLPAPI.DLL", "USERENV.dll",
                // The Visual C++ 2015-2022 runtime (x64): not in a fresh Windows; see .docs/packaging.md
                "VCRUNTIME140.dll", "VCRUNTIME140_1.dll", "MSVCP140.dll",
            },
            // The Universal C runtime's API sets (part of Windows 10 and later)
            new[] { "api-ms-win-crt-", "api-ms-win-core-" }, ignoreCase: true);

        public static readonly RuntimePlatform OsxArm64 = new RuntimePlatform("osx-arm64", ImageFormat.MachO, "arm64",
            // libomp first: libtorch_cpu.dylib names it by the absolute path it had on the build machine
            // (/opt/homebrew/opt/libomp/lib/libomp.dylib), which dyld resolves to an image of that install name already loaded.
            new[] { "libomp.dylib", "libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib", "libLibTorchSharp.dylib" },
            new[]
            {
                "/usr/lib/libSystem.B.dylib", "/usr/lib/libc++.1.dylib", "/usr/lib/libobjc.A.dylib",
                "/System/Library/Frameworks/Accelerate.framework/Versions/A/Accelerate",
                "/System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation",
                "/System/Library/Frameworks/Foundation.framework/Versions/C/Foundation",
                "/System/Library/Frameworks/IOKit.framework/Versions/A/IOKit",
                "/System/Library/Frameworks/Metal.framework/Versions/A/Metal",
                "/System/Library/Frameworks/MetalPerformanceShaders.framework/Versions/A/MetalPerformanceShaders",
                "/System/Library/Frameworks/MetalPerformanceShadersGraph.framework/Versions/A/MetalPerformanceShadersGraph",
            },
            Array.Empty<string>(), ignoreCase: false);

        public static IReadOnlyList<RuntimePlatform> All { get; } = new[] { LinuxX64, WinX64, OsxArm64 };

        public static RuntimePlatform For(string rid) =>
            All.FirstOrDefault(p => p.Rid == rid) ?? throw new ArgumentException($"No runtime package is made for '{rid}'.", nameof(rid));

        public bool IsSystemLibrary(string name) =>
            SystemLibraries.Contains(name, NameComparer) ||
            SystemPrefixes.Any(p => name.StartsWith(p, IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

        /// <summary>A file name that is a native library of this platform (a .dll may also be a managed assembly).</summary>
        public bool HasNativeName(string fileName) => Format switch
        {
            ImageFormat.Elf => System.Text.RegularExpressions.Regex.IsMatch(fileName, @"\.so(\.[0-9]+)*$"),
            ImageFormat.Pe => fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase),
            _ => fileName.EndsWith(".dylib", StringComparison.Ordinal),
        };
    }

    /// <summary>How one needed library is found.</summary>
    public sealed class Dependency
    {
        public Dependency(string name, string resolution, bool resolved) { Name = name; Resolution = resolution; Resolved = resolved; }
        public string Name { get; }
        /// <summary>"package", "package (loaded before)", "system", "weak system", or why it is not found.</summary>
        public string Resolution { get; }
        public bool Resolved { get; }
    }

    public sealed class NativeLibraryReport
    {
        public NativeLibraryReport(string name, BinaryImage image) { Name = name; Image = image; }
        public string Name { get; }
        public BinaryImage Image { get; }
        public List<Dependency> Dependencies { get; } = new List<Dependency>();
        public List<string> Problems { get; } = new List<string>();
        /// <summary>Loaded when AutoencoderPS loads its runtime (in the load order or needed by one that is).</summary>
        public bool Loaded { get; internal set; }
    }

    public sealed class PackageReport
    {
        public PackageReport(string name) { Name = name; }
        public string Name { get; }
        public List<NativeLibraryReport> Libraries { get; } = new List<NativeLibraryReport>();
        public List<string> Problems { get; } = new List<string>();
        /// <summary>Main package: each managed assembly and what its headers say.</summary>
        public List<KeyValuePair<string, string>> Assemblies { get; } = new List<KeyValuePair<string, string>>();

        /// <summary>Every problem, each prefixed with the library it is about.</summary>
        public IEnumerable<string> AllProblems =>
            Problems.Concat(Libraries.SelectMany(l => l.Problems.Select(p => $"{l.Name}: {p}")));

        public bool Passed => !AllProblems.Any();

        /// <summary>The operating-system libraries the package needs (the ones a machine must have).</summary>
        public IEnumerable<string> SystemLibrariesNeeded =>
            Libraries.Where(l => l.Loaded).SelectMany(l => l.Dependencies)
                .Where(d => d.Resolution.EndsWith("system", StringComparison.Ordinal))
                .Select(d => d.Resolution == "weak system" ? d.Name + " (weak)" : d.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);

        /// <summary>A Markdown summary: each library, its format, what it needs and how that is found.</summary>
        public string ToMarkdown()
        {
            var sb = new StringBuilder();
            sb.AppendLine($"### {Name}: {(Passed ? "passes" : "FAILS")}").AppendLine();
            foreach (var p in AllProblems) sb.AppendLine($"- problem: {p}");
            if (Assemblies.Count > 0)
            {
                sb.AppendLine("| assembly | headers |").AppendLine("|---|---|");
                foreach (var a in Assemblies) sb.AppendLine($"| {a.Key} | {a.Value} |");
                return sb.ToString();
            }
            sb.AppendLine("| library | format | loaded | needs from the package | needs from the OS |").AppendLine("|---|---|---|---|---|");
            foreach (var l in Libraries)
            {
                string Join(IEnumerable<Dependency> ds) => string.Join(", ", ds.Select(d => d.Name + (d.Resolution.StartsWith("weak", StringComparison.Ordinal) ? " (weak)" : "")));
                var inPackage = l.Dependencies.Where(d => d.Resolution.StartsWith("package", StringComparison.Ordinal));
                var system = l.Dependencies.Where(d => d.Resolution.EndsWith("system", StringComparison.Ordinal));
                sb.AppendLine($"| {l.Name} | {l.Image.Format} {l.Image.Architecture} | {(l.Loaded ? "yes" : "no")} | {Join(inPackage)} | {Join(system)} |");
            }
            var patched = Libraries.SelectMany(l => l.Image.VersionNeeds.Where(v => v.Weak).Select(v => $"{l.Name}: {v} ({string.Join(", ", l.Image.WeakVersionSymbols.Where(s => s.Value == v.Version).Select(s => s.Key))})"));
            foreach (var p in patched) sb.AppendLine().Append("Weak version need: ").AppendLine(p);
            return sb.ToString();
        }
    }

    public static class PackageInspector
    {
        /// <summary>The symbol behind GLIBCXX_3.4.32 (std::ios_base_library_init(), a GCC 13 marker), the one a weak need may cover.</summary>
        public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

        /// <summary>Checks the AutoencoderPS package: every .dll a platform-neutral managed assembly, and no native library.</summary>
        public static PackageReport InspectMainPackage(string nupkgPath)
        {
            var report = new PackageReport(Path.GetFileName(nupkgPath));
            using var zip = ZipFile.OpenRead(nupkgPath);
            foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                string name = entry.Name;
                bool library = name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ||
                    name.EndsWith(".dylib", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(name, @"\.so(\.[0-9]+)*$");
                if (!library) continue;
                var image = ReadEntry(entry);
                report.Assemblies.Add(new KeyValuePair<string, string>(entry.FullName, DescribeAssembly(image)));
                if (image.Format != ImageFormat.Pe || !image.IsManaged)
                    report.Problems.Add($"{entry.FullName} is a native {image.Format} {image.Architecture} library; natives belong in the runtime packages.");
                else if (!image.IsPlatformNeutralAssembly)
                    report.Problems.Add($"{entry.FullName} is architecture-specific ({DescribeAssembly(image)}): a process of another architecture can't load it.");
            }
            if (report.Assemblies.Count == 0) report.Problems.Add("The package holds no assembly.");
            return report;
        }

        public static string DescribeAssembly(BinaryImage image)
        {
            if (image.Format != ImageFormat.Pe) return $"{image.Format} {image.Architecture}";
            var parts = new List<string> { image.Is64Bit ? "PE32+" : "PE32", $"machine 0x{image.Machine:x} ({image.Architecture})" };
            if (image.IsManaged)
            {
                parts.Add((image.CorFlags & BinaryImage.CorFlagsIlOnly) != 0 ? "IL only" : "mixed");
                if ((image.CorFlags & BinaryImage.CorFlags32BitRequired) != 0) parts.Add("32-bit required");
                if ((image.CorFlags & BinaryImage.CorFlags32BitPreferred) != 0) parts.Add("32-bit preferred");
                if (image.HasPrecompiledCode) parts.Add("ReadyToRun code");
                if (image.IsPlatformNeutralAssembly) parts.Add("AnyCPU");
            }
            else parts.Add("native");
            return string.Join(", ", parts);
        }

        /// <summary>Checks a runtime package (.nupkg) for the platform it is named after.</summary>
        public static PackageReport InspectRuntimePackage(string nupkgPath, string rid)
        {
            var platform = RuntimePlatform.For(rid);
            using var zip = ZipFile.OpenRead(nupkgPath);
            var images = new List<KeyValuePair<string, BinaryImage>>();
            foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                if (!platform.HasNativeName(entry.Name)) continue;
                if (entry.FullName != entry.Name)
                {
                    var misplaced = new PackageReport(Path.GetFileName(nupkgPath));
                    misplaced.Problems.Add($"{entry.FullName} is in a subfolder: the natives must lie flat in the module folder.");
                    return misplaced;
                }
                images.Add(new KeyValuePair<string, BinaryImage>(entry.Name, ReadEntry(entry)));
            }
            return Inspect(Path.GetFileName(nupkgPath), platform, images);
        }

        /// <summary>Checks a runtime's native libraries (file name and headers) against its platform's rules.</summary>
        public static PackageReport Inspect(string name, RuntimePlatform platform, IEnumerable<KeyValuePair<string, BinaryImage>> images)
        {
            var report = new PackageReport(name);
            foreach (var i in images) report.Libraries.Add(new NativeLibraryReport(i.Key, i.Value));
            var byName = report.Libraries.ToDictionary(l => l.Name, platform.NameComparer);

            foreach (string required in platform.LoadOrder)
                if (!byName.ContainsKey(required)) report.Problems.Add($"{required} is missing: AutoencoderPS loads it.");

            foreach (var library in report.Libraries)
            {
                var image = library.Image;
                if (image.IsManaged) { library.Problems.Add("is a managed assembly; the runtime package carries natives only."); continue; }
                if (image.Format != platform.Format || image.Architecture != platform.Architecture || !image.Is64Bit)
                {
                    string found = image.Format == ImageFormat.Unknown ? "not an executable image" : $"{image.Format} {image.Architecture}{(image.Is64Bit ? "" : " 32-bit")}";
                    library.Problems.Add($"is {found}; {platform.Rid} needs 64-bit {platform.Format} {platform.Architecture}.");
                    continue;
                }

                int position = IndexOf(platform.LoadOrder, library.Name, platform.NameComparer);
                foreach (string needed in image.Needed) library.Dependencies.Add(Resolve(platform, byName, library, position, needed, weak: false));
                foreach (string needed in image.WeakNeeded) library.Dependencies.Add(Resolve(platform, byName, library, position, needed, weak: true));
                foreach (var d in library.Dependencies.Where(d => !d.Resolved)) library.Problems.Add($"needs {d.Name}, which {d.Resolution}.");
                if (platform.Format == ImageFormat.Elf) CheckElfVersions(library);
            }
            MarkLoaded(platform, report, byName);
            return report;
        }

        private static Dependency Resolve(RuntimePlatform platform, Dictionary<string, NativeLibraryReport> byName, NativeLibraryReport library,
            int position, string needed, bool weak)
        {
            if (platform.IsSystemLibrary(needed)) return new Dependency(needed, weak ? "weak system" : "system", true);
            string leaf = needed.Substring(needed.LastIndexOf('/') + 1);
            var paths = library.Image.SearchPaths;
            switch (platform.Format)
            {
                case ImageFormat.Pe:
                    // The loader looks in the folder of the DLL being loaded (NativeLibrary.Load by full path).
                    if (byName.ContainsKey(needed)) return new Dependency(needed, "package", true);
                    break;
                case ImageFormat.Elf:
                    if (byName.ContainsKey(needed) && paths.Any(p => p.TrimEnd('/') == "$ORIGIN")) return new Dependency(needed, "package", true);
                    if (LoadedBefore(platform, byName, position, l => l.Image.Identity == needed)) return new Dependency(needed, "package (loaded before)", true);
                    break;
                case ImageFormat.MachO:
                    bool fromFolder = needed.StartsWith("@loader_path/", StringComparison.Ordinal) ||
                        (needed.StartsWith("@rpath/", StringComparison.Ordinal) && paths.Any(p => p.TrimEnd('/') == "@loader_path"));
                    if (fromFolder && byName.ContainsKey(leaf)) return new Dependency(needed, "package", true);
                    // dyld uses an image already loaded whose install name is the path asked for.
                    if (LoadedBefore(platform, byName, position, l => l.Image.Identity == needed)) return new Dependency(needed, "package (loaded before)", true);
                    break;
            }
            if (weak) return new Dependency(needed, "weak, absent", true);
            var candidate = byName.Values.FirstOrDefault(l => platform.NameComparer.Equals(l.Name, leaf) || l.Image.Identity == needed);
            string why = candidate == null
                ? "is neither in the package nor an operating-system library"
                : position < 0
                    ? $"the loader won't find: {candidate.Name} is in the package, but {library.Name} is not loaded by AutoencoderPS after it and its search path ({string.Join(";", paths)}) doesn't lead there"
                    : $"the loader won't find: {candidate.Name} is in the package but is not loaded before {library.Name}, and the search path ({string.Join(";", paths)}) doesn't lead there";
            return new Dependency(needed, why, false);
        }

        private static bool LoadedBefore(RuntimePlatform platform, Dictionary<string, NativeLibraryReport> byName, int position, Func<NativeLibraryReport, bool> match)
        {
            int end = position < 0 ? platform.LoadOrder.Count : position;
            for (int i = 0; i < end; i++)
                if (byName.TryGetValue(platform.LoadOrder[i], out var earlier) && match(earlier)) return true;
            return false;
        }

        private static int IndexOf(IReadOnlyList<string> list, string name, StringComparer comparer)
        {
            for (int i = 0; i < list.Count; i++) if (comparer.Equals(list[i], name)) return i;
            return -1;
        }

        // Libraries reached from the load order through their package dependencies.
        private static void MarkLoaded(RuntimePlatform platform, PackageReport report, Dictionary<string, NativeLibraryReport> byName)
        {
            var pending = new Stack<NativeLibraryReport>(platform.LoadOrder.Where(byName.ContainsKey).Select(n => byName[n]));
            while (pending.Count > 0)
            {
                var library = pending.Pop();
                if (library.Loaded) continue;
                library.Loaded = true;
                foreach (var d in library.Dependencies.Where(d => d.Resolution.StartsWith("package", StringComparison.Ordinal)))
                {
                    string leaf = d.Name.Substring(d.Name.LastIndexOf('/') + 1);
                    var next = byName.TryGetValue(leaf, out var byLeaf) ? byLeaf : report.Libraries.FirstOrDefault(l => l.Image.Identity == d.Name);
                    if (next != null && !next.Loaded) pending.Push(next);
                }
            }
        }

        private static void CheckElfVersions(NativeLibraryReport library)
        {
            foreach (var need in library.Image.VersionNeeds)
            {
                int separator = need.Version.IndexOf('_');
                if (separator < 0) continue;
                string family = need.Version.Substring(0, separator);
                if (!RuntimePlatform.LinuxVersionCeiling.TryGetValue(family, out string? ceiling)) continue;
                if (!Version.TryParse(Pad(need.Version.Substring(separator + 1)), out var version)) continue;
                bool beyond = version > Version.Parse(Pad(ceiling));
                if (beyond && !need.Weak)
                    library.Problems.Add($"needs {need.File} {need.Version}, newer than the oldest supported distributions have ({family}_{ceiling}).");
                else if (need.Weak && !beyond)
                    library.Problems.Add($"marks {need.File} {need.Version} weak, which every supported distribution has: the patch is not needed there.");
                else if (need.Weak)
                {
                    var symbols = library.Image.WeakVersionSymbols.Where(s => s.Value == need.Version).Select(s => s.Key).ToList();
                    var others = symbols.Where(s => s != MarkerSymbol).ToList();
                    if (others.Count > 0)
                        library.Problems.Add($"marks {need.Version} weak, but binds {string.Join(", ", others)} to it: those would fail at run time where it is missing.");
                }
            }
        }

        private static string Pad(string version) => version.Count(c => c == '.') == 0 ? version + ".0" : version;

        // A zip entry is a forward-only stream; the headers point anywhere in the file, so it is read from a temporary copy.
        private static BinaryImage ReadEntry(ZipArchiveEntry entry)
        {
            string temp = Path.Combine(Path.GetTempPath(), "autoencoderps-image-" + Guid.NewGuid().ToString("N"));
            try
            {
                using (var source = entry.Open())
                using (var target = File.Create(temp)) source.CopyTo(target);
                return BinaryImage.Read(temp);
            }
            finally { File.Delete(temp); }
        }
    }
}
