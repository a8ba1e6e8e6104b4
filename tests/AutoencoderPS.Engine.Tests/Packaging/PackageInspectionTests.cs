using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using AutoencoderPS.Engine.Modeling.Torch;
using AutoencoderPS.Engine.Tests.Support;
using AutoencoderPS.Packaging;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// The package check's header readers (.config/BinaryImage.cs) on images written here, and its rules
    /// (.config/PackageInspection.cs) on made-up packages: each rule passes a good package and fails one that breaks it.
    /// </summary>
    public class PackageInspectionTests
    {
        private static BinaryImage Read(byte[] image) => BinaryImage.Read(new MemoryStream(image));

        private static readonly string[] LinuxSystem = { "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libc.so.6" };

        private static KeyValuePair<string, BinaryImage> Lib(string name, byte[] image) => new KeyValuePair<string, BinaryImage>(name, Read(image));

        // A linux-x64 runtime like libtorch's: four libraries, $ORIGIN run paths, libLibTorchSharp with the patched need.
        private static List<KeyValuePair<string, BinaryImage>> LinuxRuntime(ImageWriter.ElfVersion? torchSharpNeed = null, ushort machine = BinaryImage.ElfMachineX8664)
        {
            var need = torchSharpNeed ?? new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.32", true, PackageInspector.MarkerSymbol);
            return new List<KeyValuePair<string, BinaryImage>>
            {
                Lib("libc10.so", ImageWriter.Elf(machine, LinuxSystem, "libc10.so", "$ORIGIN",
                    new[] { new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.26"), new ImageWriter.ElfVersion("libc.so.6", "GLIBC_2.17") })),
                Lib("libtorch_cpu.so", ImageWriter.Elf(machine, new[] { "libc10.so", "libgomp-98b21ff3.so.1" }.Concat(LinuxSystem), "libtorch_cpu.so", "$ORIGIN")),
                Lib("libgomp-98b21ff3.so.1", ImageWriter.Elf(machine, new[] { "libc.so.6" }, "libgomp.so.1", "$ORIGIN")),
                Lib("libtorch.so", ImageWriter.Elf(machine, new[] { "libtorch_cpu.so" }, "libtorch.so", "$ORIGIN")),
                Lib("libLibTorchSharp.so", ImageWriter.Elf(machine, new[] { "libtorch.so", "libc10.so", "libtorch_cpu.so" }.Concat(LinuxSystem), "libLibTorchSharp.so", "$ORIGIN/",
                    new[] { need, new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.30"), new ImageWriter.ElfVersion("libc.so.6", "GLIBC_2.34") })),
            };
        }

        [Fact]
        public void ElfReaderReadsMachineNeedsRunPathAndVersionNeeds()
        {
            var image = Read(ImageWriter.Elf(BinaryImage.ElfMachineX8664, new[] { "libc10.so", "libstdc++.so.6" }, "libx.so", "$ORIGIN:/opt/lib",
                new[]
                {
                    new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.26", false, "_ZNSt8ios_base4InitC1Ev"),
                    new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.32", true, "_ZSt21ios_base_library_initv"),
                    new ImageWriter.ElfVersion("libc.so.6", "GLIBC_2.17"),
                }));
            Assert.Equal(ImageFormat.Elf, image.Format);
            Assert.True(image.Is64Bit);
            Assert.Equal("x86-64", image.Architecture);
            Assert.Equal(new[] { "libc10.so", "libstdc++.so.6" }, image.Needed);
            Assert.Equal("libx.so", image.Identity);
            Assert.Equal(new[] { "$ORIGIN", "/opt/lib" }, image.SearchPaths);
            Assert.Equal(new[] { "libstdc++.so.6 GLIBCXX_3.4.26", "libstdc++.so.6 GLIBCXX_3.4.32 (weak)", "libc.so.6 GLIBC_2.17" },
                image.VersionNeeds.Select(v => v.ToString()));
            // Only the symbol bound to the weak version is listed.
            Assert.Equal(new[] { new KeyValuePair<string, string>("_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32") }, image.WeakVersionSymbols);
        }

        [Fact]
        public void ElfReaderReadsAnotherArchitecture()
        {
            var image = Read(ImageWriter.Elf(BinaryImage.ElfMachineAArch64, new[] { "libc.so.6" }));
            Assert.Equal("arm64", image.Architecture);
        }

        [Fact]
        public void PeReaderReadsNativeImportsAndDelayImports()
        {
            var image = Read(ImageWriter.Pe(BinaryImage.PeMachineAmd64, pe32Plus: true, new[] { "c10.dll", "KERNEL32.dll" }, new[] { "dbghelp.dll" }));
            Assert.Equal(ImageFormat.Pe, image.Format);
            Assert.True(image.Is64Bit);
            Assert.Equal("x86-64", image.Architecture);
            Assert.False(image.IsManaged);
            Assert.Equal(new[] { "c10.dll", "KERNEL32.dll", "dbghelp.dll" }, image.Needed);
            Assert.Equal(new[] { "dbghelp.dll" }, image.DelayNeeded);
        }

        [Fact]
        public void OnlyAnAnyCpuIlAssemblyIsPlatformNeutral()
        {
            Assert.True(Read(ImageWriter.Pe(BinaryImage.PeMachineI386, false, corFlags: BinaryImage.CorFlagsIlOnly)).IsPlatformNeutralAssembly);
            // What a build with a linux-x64 runtime identifier writes: PE32+, AMD64.
            var x64 = Read(ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, corFlags: BinaryImage.CorFlagsIlOnly));
            Assert.True(x64.IsManaged);
            Assert.False(x64.IsPlatformNeutralAssembly);
            Assert.False(Read(ImageWriter.Pe(BinaryImage.PeMachineArm64, true, corFlags: BinaryImage.CorFlagsIlOnly)).IsPlatformNeutralAssembly);
            Assert.False(Read(ImageWriter.Pe(BinaryImage.PeMachineI386, false, corFlags: BinaryImage.CorFlagsIlOnly | BinaryImage.CorFlags32BitRequired)).IsPlatformNeutralAssembly);
            Assert.False(Read(ImageWriter.Pe(BinaryImage.PeMachineI386, false, corFlags: BinaryImage.CorFlagsIlOnly | BinaryImage.CorFlags32BitPreferred)).IsPlatformNeutralAssembly);
            var readyToRun = Read(ImageWriter.Pe(BinaryImage.PeMachineI386, false, corFlags: BinaryImage.CorFlagsIlOnly, precompiled: true));
            Assert.True(readyToRun.HasPrecompiledCode);
            Assert.False(readyToRun.IsPlatformNeutralAssembly);
            Assert.False(Read(ImageWriter.Pe(BinaryImage.PeMachineI386, false)).IsPlatformNeutralAssembly); // native
        }

        [Fact]
        public void MachOReaderReadsDylibsRunPathsAndFatFiles()
        {
            byte[] thin = ImageWriter.MachO(BinaryImage.MachCpuArm64, "@rpath/libtorch.dylib",
                new[] { "@rpath/libc10.dylib", "/usr/lib/libSystem.B.dylib" }, new[] { "/System/Library/Frameworks/Metal.framework/Versions/A/Metal" }, new[] { "@loader_path" });
            var image = Read(thin);
            Assert.Equal(ImageFormat.MachO, image.Format);
            Assert.Equal("arm64", image.Architecture);
            Assert.Equal("@rpath/libtorch.dylib", image.Identity);
            Assert.Equal(new[] { "@rpath/libc10.dylib", "/usr/lib/libSystem.B.dylib" }, image.Needed);
            Assert.Equal(new[] { "/System/Library/Frameworks/Metal.framework/Versions/A/Metal" }, image.WeakNeeded);
            Assert.Equal(new[] { "@loader_path" }, image.SearchPaths);

            var fat = Read(ImageWriter.Fat((BinaryImage.MachCpuX8664, ImageWriter.MachO(BinaryImage.MachCpuX8664, "@rpath/x86.dylib", Array.Empty<string>())),
                (BinaryImage.MachCpuArm64, thin)));
            Assert.Equal(ImageFormat.MachOFat, fat.Format);
            Assert.Equal(new[] { "x86-64", "arm64" }, fat.FatArchitectures);
            Assert.Equal("@rpath/libtorch.dylib", fat.Identity); // the arm64 slice's load commands
        }

        [Fact]
        public void ADamagedImageIsReportedNotMisread()
        {
            byte[] image = ImageWriter.Elf(BinaryImage.ElfMachineX8664, new[] { "libc.so.6" });
            Assert.Throws<InvalidDataException>(() => Read(image.Take(100).ToArray()));
            Assert.Equal(ImageFormat.Unknown, Read(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }).Format);
        }

        [Fact]
        public void ALinuxRuntimeWithThePatchWhereNeededPasses()
        {
            var report = PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64, LinuxRuntime());
            Assert.Empty(report.AllProblems);
            Assert.All(report.Libraries, l => Assert.True(l.Loaded, l.Name));
            Assert.Equal(new[] { "libc.so.6", "libgcc_s.so.1", "libm.so.6", "libstdc++.so.6" }, report.SystemLibrariesNeeded);
        }

        [Fact]
        public void AStrictNeedNewerThanDebian12FailsAndNamesIt()
        {
            var report = PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64,
                LinuxRuntime(new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.32", false, PackageInspector.MarkerSymbol)));
            var problem = Assert.Single(report.AllProblems);
            Assert.Contains("libLibTorchSharp.so", problem);
            Assert.Contains("GLIBCXX_3.4.32", problem);
        }

        [Fact]
        public void AWeakNeedWhereTheVersionExistsIsAPatchAppliedWhereNotNeeded()
        {
            var report = PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64,
                LinuxRuntime(new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.29", true, "_ZNSt8ios_base4InitC1Ev")));
            Assert.Contains(report.AllProblems, p => p.Contains("GLIBCXX_3.4.29") && p.Contains("not needed"));
        }

        [Fact]
        public void AWeakNeedCoveringARealSymbolFails()
        {
            var report = PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64,
                LinuxRuntime(new ImageWriter.ElfVersion("libstdc++.so.6", "GLIBCXX_3.4.32", true, PackageInspector.MarkerSymbol, "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7reserveEv")));
            Assert.Contains(report.AllProblems, p => p.Contains("_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7reserveEv"));
        }

        [Fact]
        public void AMissingOrForeignLibraryFails()
        {
            var missing = LinuxRuntime().Where(l => l.Key != "libgomp-98b21ff3.so.1");
            var report = PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64, missing);
            Assert.Contains(report.AllProblems, p => p.StartsWith("libtorch_cpu.so: needs libgomp-98b21ff3.so.1", StringComparison.Ordinal));

            var withQt = LinuxRuntime().Select(l => l.Key == "libtorch.so"
                ? Lib("libtorch.so", ImageWriter.Elf(BinaryImage.ElfMachineX8664, new[] { "libtorch_cpu.so", "libQt5Core.so.5" }, "libtorch.so", "$ORIGIN")) : l);
            Assert.Contains(PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64, withQt).AllProblems,
                p => p.Contains("libQt5Core.so.5") && p.Contains("neither in the package nor an operating-system library"));

            var required = LinuxRuntime().Where(l => l.Key != "libtorch.so");
            Assert.Contains(PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64, required).AllProblems, p => p.StartsWith("libtorch.so is missing", StringComparison.Ordinal));
        }

        [Fact]
        public void ANativeOfAnotherArchitectureFails()
        {
            var report = PackageInspector.Inspect("linux", RuntimePlatform.LinuxX64, LinuxRuntime(machine: BinaryImage.ElfMachineAArch64));
            Assert.Equal(5, report.AllProblems.Count(p => p.Contains("Elf arm64") && p.Contains("x86-64")));

            var windows = new[] { Lib("c10.dll", ImageWriter.Pe(BinaryImage.PeMachineI386, false, new[] { "KERNEL32.dll" })) };
            Assert.Contains(PackageInspector.Inspect("win", RuntimePlatform.WinX64, windows).AllProblems, p => p.StartsWith("c10.dll: is Pe x86 32-bit", StringComparison.Ordinal));
        }

        [Fact]
        public void WindowsNamesAreCaseInsensitiveAndApiSetsAndTheVisualCRuntimeAreTheSystems()
        {
            var windows = new[]
            {
                Lib("c10.dll", ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, new[] { "KERNEL32.dll", "MSVCP140.dll", "api-ms-win-crt-heap-l1-1-0.dll" })),
                Lib("torch_cpu.dll", ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, new[] { "C10.DLL", "libiomp5md.dll", "VCRUNTIME140.dll" })),
                Lib("libiomp5md.dll", ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, new[] { "KERNEL32.dll" }, new[] { "WINTRUST.dll" })),
                Lib("torch.dll", ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, new[] { "torch_cpu.dll" })),
                Lib("LibTorchSharp.dll", ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, new[] { "c10.dll", "torch_cpu.dll", "ole32.dll" })),
            };
            var report = PackageInspector.Inspect("win", RuntimePlatform.WinX64, windows);
            Assert.Empty(report.AllProblems);
            Assert.Contains("MSVCP140.dll", report.SystemLibrariesNeeded);

            var cuda = windows.Select(l => l.Key == "torch.dll" ? Lib("torch.dll", ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, new[] { "cudart64_12.dll" })) : l);
            Assert.Contains(PackageInspector.Inspect("win", RuntimePlatform.WinX64, cuda).AllProblems, p => p.Contains("cudart64_12.dll"));

            var managed = windows.Append(Lib("TorchSharp.dll", ImageWriter.Pe(BinaryImage.PeMachineI386, false, corFlags: BinaryImage.CorFlagsIlOnly)));
            Assert.Contains(PackageInspector.Inspect("win", RuntimePlatform.WinX64, managed).AllProblems, p => p.Contains("managed assembly"));
        }

        // libtorch 2.10's libtorch_cpu.dylib names libomp by its Homebrew path and finds libc10 by an @rpath that points at
        // the build machine: both resolve only to images AutoencoderPS has loaded before it, by install name.
        private static List<KeyValuePair<string, BinaryImage>> MacRuntime(string libompInstallName = "/opt/homebrew/opt/libomp/lib/libomp.dylib")
        {
            string[] system = { "/usr/lib/libc++.1.dylib", "/usr/lib/libSystem.B.dylib" };
            const string buildMachine = "/Users/runner/work/pytorch/pytorch/pytorch/build/lib";
            return new List<KeyValuePair<string, BinaryImage>>
            {
                Lib("libomp.dylib", ImageWriter.MachO(BinaryImage.MachCpuArm64, libompInstallName, new[] { "/usr/lib/libSystem.B.dylib" })),
                Lib("libc10.dylib", ImageWriter.MachO(BinaryImage.MachCpuArm64, "@rpath/libc10.dylib", system,
                    new[] { "/System/Library/Frameworks/Metal.framework/Versions/A/Metal" })),
                Lib("libtorch_cpu.dylib", ImageWriter.MachO(BinaryImage.MachCpuArm64, "@rpath/libtorch_cpu.dylib",
                    new[] { "@rpath/libc10.dylib", "/opt/homebrew/opt/libomp/lib/libomp.dylib" }.Concat(system), rpaths: new[] { buildMachine })),
                Lib("libtorch.dylib", ImageWriter.MachO(BinaryImage.MachCpuArm64, "@rpath/libtorch.dylib",
                    new[] { "@rpath/libtorch_cpu.dylib", "@rpath/libc10.dylib" }.Concat(system), rpaths: new[] { buildMachine })),
                Lib("libLibTorchSharp.dylib", ImageWriter.MachO(BinaryImage.MachCpuArm64, "@rpath/libLibTorchSharp.dylib",
                    new[] { "@rpath/libc10.dylib", "@rpath/libtorch.dylib", "@rpath/libtorch_cpu.dylib" }.Concat(system), rpaths: new[] { "@loader_path" })),
                Lib("libshm.dylib", ImageWriter.MachO(BinaryImage.MachCpuArm64, "@rpath/libshm.dylib", new[] { "@rpath/libtorch_cpu.dylib" }, rpaths: new[] { buildMachine })),
            };
        }

        [Fact]
        public void AMacRuntimeResolvesBuildMachinePathsToLibrariesLoadedBefore()
        {
            var report = PackageInspector.Inspect("osx", RuntimePlatform.OsxArm64, MacRuntime());
            Assert.Empty(report.AllProblems);
            var cpu = report.Libraries.Single(l => l.Name == "libtorch_cpu.dylib");
            Assert.Equal("package (loaded before)", cpu.Dependencies.Single(d => d.Name.EndsWith("libomp.dylib", StringComparison.Ordinal)).Resolution);
            Assert.False(report.Libraries.Single(l => l.Name == "libshm.dylib").Loaded);
            Assert.Contains("/System/Library/Frameworks/Metal.framework/Versions/A/Metal (weak)", report.SystemLibrariesNeeded);
        }

        [Fact]
        public void AMacLibraryNamedByAPathNothingLoadedAnswersFails()
        {
            // A libomp whose install name differs from the path libtorch_cpu asks for: dyld would look for Homebrew's.
            var report = PackageInspector.Inspect("osx", RuntimePlatform.OsxArm64, MacRuntime("@rpath/libomp.dylib"));
            var problem = Assert.Single(report.AllProblems);
            Assert.StartsWith("libtorch_cpu.dylib: needs /opt/homebrew/opt/libomp/lib/libomp.dylib", problem);
        }

        [Fact]
        public void TheLoadOrderOfEachPlatformIsTheEngines()
        {
            Assert.Equal(TorchRuntime.NativeLibrariesFor(OSPlatform.Linux), RuntimePlatform.LinuxX64.LoadOrder);
            Assert.Equal(TorchRuntime.NativeLibrariesFor(OSPlatform.Windows), RuntimePlatform.WinX64.LoadOrder);
            Assert.Equal(TorchRuntime.NativeLibrariesFor(OSPlatform.OSX), RuntimePlatform.OsxArm64.LoadOrder);
        }

        [Fact]
        public void TheMainPackageCheckNamesEachArchitectureSpecificAssembly()
        {
            using var dir = new TempDirectory();
            string good = Path.Combine(dir.Path, "good.nupkg"), bad = Path.Combine(dir.Path, "bad.nupkg");
            byte[] anyCpu = ImageWriter.Pe(BinaryImage.PeMachineI386, false, corFlags: BinaryImage.CorFlagsIlOnly);
            byte[] x64 = ImageWriter.Pe(BinaryImage.PeMachineAmd64, true, corFlags: BinaryImage.CorFlagsIlOnly);
            WriteZip(good, ("AutoencoderPS.dll", anyCpu), ("TorchSharp.dll", anyCpu), ("AutoencoderPS.psd1", new byte[] { 64 }));
            WriteZip(bad, ("AutoencoderPS.dll", x64), ("TorchSharp.dll", anyCpu), ("libc10.so", ImageWriter.Elf(BinaryImage.ElfMachineX8664, new[] { "libc.so.6" })));

            var passed = PackageInspector.InspectMainPackage(good);
            Assert.True(passed.Passed);
            Assert.Equal(new[] { "AutoencoderPS.dll", "TorchSharp.dll" }, passed.Assemblies.Select(a => a.Key));

            var failed = PackageInspector.InspectMainPackage(bad);
            Assert.Equal(2, failed.AllProblems.Count());
            Assert.Contains(failed.AllProblems, p => p.StartsWith("AutoencoderPS.dll is architecture-specific (PE32+, machine 0x8664", StringComparison.Ordinal));
            Assert.Contains(failed.AllProblems, p => p.StartsWith("libc10.so is a native Elf", StringComparison.Ordinal));
        }

        private static void WriteZip(string path, params (string Name, byte[] Data)[] entries)
        {
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(data, 0, data.Length);
            }
        }
    }
}
