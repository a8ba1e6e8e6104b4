// Reads the headers of executable images: ELF (Linux), PE (Windows, and .NET assemblies everywhere) and Mach-O (macOS):
// format, architecture, whether a PE file is a .NET assembly (IL only, or with precompiled code), and the libraries an
// image asks the loader for (ELF DT_NEEDED and version needs, PE import and delay-import tables, Mach-O dylib load
// commands). Only headers and the tables they point to are read. Used by build.ps1 -Task Package and the package tests
// (Add-Type), and compiled into the xunit project, which tests it on images it writes itself (PackageInspection.cs holds
// the rules a package must meet).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace AutoencoderPS.Packaging
{
    public enum ImageFormat { Unknown, Elf, Pe, MachO, MachOFat }

    /// <summary>One version an ELF image needs from a library (Vernaux): e.g. libstdc++.so.6 GLIBCXX_3.4.32, weak or not.</summary>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string file, string version, bool weak) { File = file; Version = version; Weak = weak; }
        public string File { get; }
        public string Version { get; }
        /// <summary>VER_FLG_WEAK: the loader warns instead of failing when the library lacks the version.</summary>
        public bool Weak { get; }
        public override string ToString() => $"{File} {Version}{(Weak ? " (weak)" : "")}";
    }

    /// <summary>What the headers of one image say.</summary>
    public sealed class BinaryImage
    {
        public const ushort PeMachineI386 = 0x14c, PeMachineAmd64 = 0x8664, PeMachineArm64 = 0xAA64;
        public const ushort ElfMachineX86 = 3, ElfMachineX8664 = 62, ElfMachineAArch64 = 183;
        public const uint MachCpuX8664 = 0x01000007, MachCpuArm64 = 0x0100000C;
        public const uint CorFlagsIlOnly = 0x1, CorFlags32BitRequired = 0x2, CorFlags32BitPreferred = 0x20000;

        public ImageFormat Format { get; internal set; }
        /// <summary>ELF class 64, PE32+, or a 64-bit Mach-O.</summary>
        public bool Is64Bit { get; internal set; }
        /// <summary>The machine field as written: ELF e_machine, PE Machine, Mach-O cputype.</summary>
        public uint Machine { get; internal set; }
        /// <summary>x86-64, arm64, x86, ... or "unknown (0x...)".</summary>
        public string Architecture { get; internal set; } = "unknown";
        /// <summary>PE only: a .NET assembly (it has a CLI header).</summary>
        public bool IsManaged { get; internal set; }
        public uint CorFlags { get; internal set; }
        /// <summary>.NET assembly with precompiled (ReadyToRun) code: a ManagedNativeHeader.</summary>
        public bool HasPrecompiledCode { get; internal set; }
        /// <summary>
        /// A .NET assembly any process can load: IL only, no precompiled code, PE32 with machine I386 and not
        /// 32BITREQUIRED or 32BITPREFERRED (what the compiler writes for AnyCPU).
        /// </summary>
        public bool IsPlatformNeutralAssembly =>
            Format == ImageFormat.Pe && IsManaged && !Is64Bit && Machine == PeMachineI386 && !HasPrecompiledCode &&
            (CorFlags & CorFlagsIlOnly) != 0 && (CorFlags & (CorFlags32BitRequired | CorFlags32BitPreferred)) == 0;

        /// <summary>Libraries the loader must find, in header order: DT_NEEDED, PE imports then delay imports, Mach-O dylibs.</summary>
        public List<string> Needed { get; } = new List<string>();
        /// <summary>Mach-O LC_LOAD_WEAK_DYLIB: may be missing at run time.</summary>
        public List<string> WeakNeeded { get; } = new List<string>();
        /// <summary>PE delay imports (loaded on first call; part of <see cref="Needed"/> too).</summary>
        public List<string> DelayNeeded { get; } = new List<string>();
        /// <summary>ELF DT_SONAME or Mach-O LC_ID_DYLIB.</summary>
        public string? Identity { get; internal set; }
        /// <summary>ELF DT_RUNPATH/DT_RPATH entries, Mach-O LC_RPATH.</summary>
        public List<string> SearchPaths { get; } = new List<string>();
        public List<ElfVersionNeed> VersionNeeds { get; } = new List<ElfVersionNeed>();
        /// <summary>ELF: the imported symbols bound to a weak version need (symbol, version), from .dynsym and .gnu.version.</summary>
        public List<KeyValuePair<string, string>> WeakVersionSymbols { get; } = new List<KeyValuePair<string, string>>();
        /// <summary>Mach-O universal file: the architectures inside.</summary>
        public List<string> FatArchitectures { get; } = new List<string>();

        public static BinaryImage Read(string path)
        {
            using var stream = File.OpenRead(path);
            return Read(stream);
        }

        /// <summary>Reads the headers of an image from a seekable stream. Throws InvalidDataException on a damaged one.</summary>
        public static BinaryImage Read(Stream stream)
        {
            if (!stream.CanSeek) throw new ArgumentException("The stream must be seekable.", nameof(stream));
            var r = new ImageReader(stream);
            var image = new BinaryImage();
            if (stream.Length < 4) return image;
            uint magic = r.U32(0);
            try
            {
                if (magic == 0x464C457F) ReadElf(r, image);
                else if ((magic & 0xFFFF) == 0x5A4D) ReadPe(r, image);
                else if (magic == 0xFEEDFACF || magic == 0xFEEDFACE) ReadMachO(r, image, 0);
                else if (magic == 0xBEBAFECA) ReadFat(r, image);
            }
            catch (EndOfStreamException e) { throw new InvalidDataException("The image ends inside its headers.", e); }
            catch (ArgumentOutOfRangeException e) { throw new InvalidDataException("The image's headers point outside it.", e); }
            return image;
        }

        public static string ElfArchitecture(uint machine) => machine switch
        {
            ElfMachineX8664 => "x86-64", ElfMachineAArch64 => "arm64", ElfMachineX86 => "x86", _ => $"unknown (0x{machine:x})",
        };

        public static string PeArchitecture(uint machine) => machine switch
        {
            PeMachineAmd64 => "x86-64", PeMachineArm64 => "arm64", PeMachineI386 => "x86", _ => $"unknown (0x{machine:x})",
        };

        public static string MachArchitecture(uint cpu) => cpu switch
        {
            MachCpuX8664 => "x86-64", MachCpuArm64 => "arm64", 7 => "x86", _ => $"unknown (0x{cpu:x})",
        };

        private static void ReadElf(ImageReader r, BinaryImage image)
        {
            image.Format = ImageFormat.Elf;
            byte cls = r.U8(4), data = r.U8(5);
            if (data != 1) throw new InvalidDataException("Big-endian ELF is not read.");
            image.Is64Bit = cls == 2;
            image.Machine = r.U16(0x12);
            image.Architecture = ElfArchitecture(image.Machine);
            if (!image.Is64Bit) return; // 32-bit ELF: format and machine only (no package holds one)

            long phoff = (long)r.U64(0x20);
            int phentsize = r.U16(0x36), phnum = r.U16(0x38);
            var loads = new List<(ulong VAddr, ulong Offset, ulong FileSize)>();
            long dynamicOffset = -1, dynamicSize = 0;
            for (int i = 0; i < phnum; i++)
            {
                long ph = phoff + (long)i * phentsize;
                uint type = r.U32(ph);
                if (type == 1) loads.Add((r.U64(ph + 0x10), r.U64(ph + 0x08), r.U64(ph + 0x20)));
                else if (type == 2) { dynamicOffset = (long)r.U64(ph + 0x08); dynamicSize = (long)r.U64(ph + 0x20); }
            }
            if (dynamicOffset < 0) return; // static: needs nothing

            long ToOffset(ulong vaddr)
            {
                foreach (var l in loads)
                    if (vaddr >= l.VAddr && vaddr < l.VAddr + l.FileSize) return (long)(vaddr - l.VAddr + l.Offset);
                throw new InvalidDataException($"ELF address 0x{vaddr:x} is in no loaded segment.");
            }

            var needed = new List<ulong>();
            var paths = new List<ulong>();
            ulong strtab = 0, verneed = 0, verneednum = 0, versym = 0, symtab = 0, soname = ulong.MaxValue;
            for (long e = dynamicOffset; e + 16 <= dynamicOffset + dynamicSize; e += 16)
            {
                long tag = (long)r.U64(e);
                ulong value = r.U64(e + 8);
                if (tag == 0) break;
                switch (tag)
                {
                    case 1: needed.Add(value); break;          // DT_NEEDED
                    case 5: strtab = value; break;             // DT_STRTAB
                    case 6: symtab = value; break;             // DT_SYMTAB
                    case 0x6ffffff0: versym = value; break;    // DT_VERSYM
                    case 14: soname = value; break;            // DT_SONAME
                    case 15: case 29: paths.Add(value); break; // DT_RPATH, DT_RUNPATH
                    case 0x6ffffffe: verneed = value; break;   // DT_VERNEED
                    case 0x6fffffff: verneednum = value; break;// DT_VERNEEDNUM
                }
            }
            if (strtab == 0) throw new InvalidDataException("The ELF dynamic section has no string table.");
            long strings = ToOffset(strtab);
            foreach (ulong n in needed) image.Needed.Add(r.CString(strings + (long)n));
            if (soname != ulong.MaxValue) image.Identity = r.CString(strings + (long)soname);
            foreach (ulong p in paths) image.SearchPaths.AddRange(r.CString(strings + (long)p).Split(':'));

            if (verneed == 0) return;
            long need = ToOffset(verneed);
            var weakIndexes = new Dictionary<int, string>();
            for (ulong i = 0; i < verneednum; i++)
            {
                int count = r.U16(need + 2);
                string file = r.CString(strings + r.U32(need + 4));
                long aux = need + r.U32(need + 8);
                for (int k = 0; k < count; k++)
                {
                    ushort flags = r.U16(aux + 4);
                    var versionNeed = new ElfVersionNeed(file, r.CString(strings + r.U32(aux + 8)), (flags & 0x2) != 0);
                    image.VersionNeeds.Add(versionNeed);
                    if (versionNeed.Weak) weakIndexes[r.U16(aux + 6) & 0x7fff] = versionNeed.Version;
                    uint nextAux = r.U32(aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = r.U32(need + 12);
                if (next == 0) break;
                need += next;
            }
            if (weakIndexes.Count == 0 || versym == 0 || symtab == 0) return;

            // Which imported symbols a weak need covers: .gnu.version holds a version index per .dynsym entry. The number of
            // entries comes from the SHT_DYNSYM section header.
            long shoff = (long)r.U64(0x28);
            int shentsize = r.U16(0x3A), shnum = r.U16(0x3C);
            long symbolCount = 0;
            for (int i = 0; i < shnum && shoff > 0; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (r.U32(sh + 4) == 11) { symbolCount = (long)(r.U64(sh + 0x20) / Math.Max(1UL, r.U64(sh + 0x38))); break; }
            }
            long symbols = ToOffset(symtab), versions = ToOffset(versym);
            for (long i = 1; i < symbolCount; i++)
            {
                int index = r.U16(versions + 2 * i) & 0x7fff;
                if (!weakIndexes.TryGetValue(index, out string? version)) continue;
                image.WeakVersionSymbols.Add(new KeyValuePair<string, string>(r.CString(strings + r.U32(symbols + 24 * i)), version));
            }
        }

        private static void ReadPe(ImageReader r, BinaryImage image)
        {
            long pe = r.U32(0x3C);
            if (r.U32(pe) != 0x00004550) return; // an MZ stub without a PE header: not an image
            image.Format = ImageFormat.Pe;
            long coff = pe + 4;
            image.Machine = r.U16(coff);
            image.Architecture = PeArchitecture(image.Machine);
            int sectionCount = r.U16(coff + 2);
            int optionalSize = r.U16(coff + 16);
            long opt = coff + 20;
            ushort optMagic = r.U16(opt);
            if (optMagic != 0x10b && optMagic != 0x20b) throw new InvalidDataException($"Unknown PE optional header magic 0x{optMagic:x}.");
            image.Is64Bit = optMagic == 0x20b;
            ulong imageBase = image.Is64Bit ? r.U64(opt + 24) : r.U32(opt + 28);
            long directories = opt + (image.Is64Bit ? 112 : 96);
            uint directoryCount = r.U32(directories - 4);
            (uint Rva, uint Size) Directory(int index) =>
                index < directoryCount ? (r.U32(directories + index * 8), r.U32(directories + index * 8 + 4)) : (0u, 0u);

            var sections = new List<(uint VAddr, uint VSize, uint RawSize, uint RawPointer)>();
            long table = opt + optionalSize;
            for (int i = 0; i < sectionCount; i++)
            {
                long s = table + i * 40L;
                sections.Add((r.U32(s + 12), r.U32(s + 8), r.U32(s + 16), r.U32(s + 20)));
            }
            long ToOffset(uint rva)
            {
                foreach (var s in sections)
                    if (rva >= s.VAddr && rva < s.VAddr + Math.Max(s.VSize, s.RawSize)) return rva - s.VAddr + s.RawPointer;
                throw new InvalidDataException($"PE address 0x{rva:x} is in no section.");
            }

            var imports = Directory(1);
            if (imports.Rva != 0)
                for (long d = ToOffset(imports.Rva); ; d += 20)
                {
                    uint name = r.U32(d + 12);
                    if (name == 0 && r.U32(d) == 0 && r.U32(d + 16) == 0) break;
                    image.Needed.Add(r.CString(ToOffset(name)));
                }
            var delay = Directory(13);
            if (delay.Rva != 0)
                for (long d = ToOffset(delay.Rva); ; d += 32)
                {
                    uint attributes = r.U32(d), name = r.U32(d + 4);
                    if (name == 0) break;
                    // Attribute bit 0 clear: an old image whose delay table holds addresses, not RVAs.
                    uint rva = (attributes & 1) != 0 ? name : (uint)(name - imageBase);
                    string dll = r.CString(ToOffset(rva));
                    image.Needed.Add(dll);
                    image.DelayNeeded.Add(dll);
                }
            var cli = Directory(14);
            if (cli.Rva != 0)
            {
                long cor = ToOffset(cli.Rva);
                image.IsManaged = true;
                image.CorFlags = r.U32(cor + 16);
                image.HasPrecompiledCode = r.U32(cor + 64 + 4) != 0;
            }
        }

        private static void ReadMachO(ImageReader r, BinaryImage image, long start)
        {
            image.Format = ImageFormat.MachO;
            uint magic = r.U32(start);
            image.Is64Bit = magic == 0xFEEDFACF;
            image.Machine = r.U32(start + 4);
            image.Architecture = MachArchitecture(image.Machine);
            uint count = r.U32(start + 16);
            long command = start + (image.Is64Bit ? 32 : 28);
            for (uint i = 0; i < count; i++)
            {
                uint cmd = r.U32(command), size = r.U32(command + 4);
                if (size < 8) throw new InvalidDataException("A Mach-O load command is shorter than its header.");
                switch (cmd)
                {
                    case 0xC:          // LC_LOAD_DYLIB
                    case 0x20:         // LC_LAZY_LOAD_DYLIB
                    case 0x8000001F:   // LC_REEXPORT_DYLIB
                    case 0x80000023:   // LC_LOAD_UPWARD_DYLIB
                        image.Needed.Add(r.CString(command + r.U32(command + 8)));
                        break;
                    case 0x80000018:   // LC_LOAD_WEAK_DYLIB
                        image.WeakNeeded.Add(r.CString(command + r.U32(command + 8)));
                        break;
                    case 0xD:          // LC_ID_DYLIB
                        image.Identity = r.CString(command + r.U32(command + 8));
                        break;
                    case 0x8000001C:   // LC_RPATH
                        image.SearchPaths.Add(r.CString(command + r.U32(command + 8)));
                        break;
                }
                command += size;
            }
        }

        private static void ReadFat(ImageReader r, BinaryImage image)
        {
            // A universal file (big-endian header): the architectures inside; the load commands of the arm64 slice, else the first.
            image.Format = ImageFormat.MachOFat;
            uint count = r.U32BigEndian(4);
            long slice = -1;
            for (uint i = 0; i < count; i++)
            {
                long arch = 8 + i * 20L;
                uint cpu = r.U32BigEndian(arch);
                image.FatArchitectures.Add(MachArchitecture(cpu));
                if (slice < 0 || cpu == MachCpuArm64) slice = r.U32BigEndian(arch + 8);
            }
            if (slice >= 0) ReadMachO(r, image, slice);
            image.Format = ImageFormat.MachOFat;
            image.Architecture = string.Join("+", image.FatArchitectures);
        }
    }

    /// <summary>Little-endian reads at absolute offsets of a seekable stream.</summary>
    internal sealed class ImageReader
    {
        private readonly Stream stream;
        private readonly byte[] buffer = new byte[8];

        public ImageReader(Stream stream) { this.stream = stream; }

        private byte[] Fill(long offset, int count)
        {
            if (offset < 0 || offset + count > stream.Length) throw new EndOfStreamException();
            stream.Position = offset;
            int read = 0;
            while (read < count)
            {
                int n = stream.Read(buffer, read, count - read);
                if (n <= 0) throw new EndOfStreamException();
                read += n;
            }
            return buffer;
        }

        public byte U8(long offset) => Fill(offset, 1)[0];
        public ushort U16(long offset) { var b = Fill(offset, 2); return (ushort)(b[0] | b[1] << 8); }
        public uint U32(long offset) { var b = Fill(offset, 4); return (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24); }
        public ulong U64(long offset) => U32(offset) | (ulong)U32(offset + 4) << 32;
        public uint U32BigEndian(long offset) { var b = Fill(offset, 4); return (uint)(b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24); }

        /// <summary>A NUL-terminated UTF-8 string (at most 4096 bytes).</summary>
        public string CString(long offset)
        {
            var bytes = new List<byte>();
            stream.Position = offset;
            while (bytes.Count < 4096)
            {
                int b = stream.ReadByte();
                if (b < 0) throw new EndOfStreamException();
                if (b == 0) return Encoding.UTF8.GetString(bytes.ToArray());
                bytes.Add((byte)b);
            }
            throw new InvalidDataException($"No string end within 4096 bytes of 0x{offset:x}.");
        }
    }
}
