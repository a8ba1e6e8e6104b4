using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>
    /// Writes minimal executable images for the header-reader tests: only the headers and tables a loader (and
    /// BinaryImage) reads, laid out so that a file offset equals its address.
    /// </summary>
    internal static class ImageWriter
    {
        public sealed class ElfVersion
        {
            public ElfVersion(string file, string version, bool weak = false, params string[] symbols)
            {
                File = file; Version = version; Weak = weak; Symbols = symbols;
            }
            public string File { get; }
            public string Version { get; }
            public bool Weak { get; }
            /// <summary>Imported symbols bound to this version (.dynsym and .gnu.version).</summary>
            public string[] Symbols { get; }
        }

        /// <summary>A 64-bit little-endian ELF shared object: one PT_LOAD over the whole file, a PT_DYNAMIC, and the tables.</summary>
        public static byte[] Elf(ushort machine, IEnumerable<string> needed, string? soname = null, string? runpath = null,
            IEnumerable<ElfVersion>? versions = null)
        {
            var versionList = (versions ?? Enumerable.Empty<ElfVersion>()).ToList();
            var strings = new StringTable();
            var neededOffsets = needed.Select(strings.Add).ToList();
            uint sonameOffset = soname == null ? 0 : strings.Add(soname);
            uint runpathOffset = runpath == null ? 0 : strings.Add(runpath);
            var files = versionList.Select(v => v.File).Distinct().ToList();
            var fileOffsets = files.ToDictionary(f => f, strings.Add);
            var versionOffsets = versionList.Select(v => strings.Add(v.Version)).ToList();
            var symbols = versionList.SelectMany((v, i) => v.Symbols.Select(s => (Name: strings.Add(s), Index: (ushort)(i + 2)))).ToList();

            const int header = 64, phdrs = 2 * 56;
            int dynamicCount = neededOffsets.Count + 2 + (soname != null ? 1 : 0) + (runpath != null ? 1 : 0) + (versionList.Count > 0 ? 4 : 0) + 1;
            long dynamicAt = header + phdrs, dynamicSize = dynamicCount * 16L;
            long stringsAt = dynamicAt + dynamicSize;
            byte[] stringBytes = strings.ToArray();
            long verneedAt = Align(stringsAt + stringBytes.Length, 8);
            long verneedSize = files.Count * 16L + versionList.Count * 16L;
            long dynsymAt = Align(verneedAt + verneedSize, 8);
            long dynsymSize = (symbols.Count + 1) * 24L;
            long versymAt = dynsymAt + dynsymSize;
            long versymSize = (symbols.Count + 1) * 2L;
            long sectionsAt = Align(versymAt + versymSize, 8);
            long end = sectionsAt + 2 * 64;

            var w = new Writer(end);
            w.Bytes(0, new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 });
            w.U16(0x10, 3); w.U16(0x12, machine); w.U32(0x14, 1);
            w.U64(0x20, header); w.U64(0x28, (ulong)sectionsAt);
            w.U16(0x34, header); w.U16(0x36, 56); w.U16(0x38, 2); w.U16(0x3A, 64); w.U16(0x3C, 2);
            // PT_LOAD over the file, PT_DYNAMIC
            w.U32(header, 1); w.U64(header + 0x08, 0); w.U64(header + 0x10, 0); w.U64(header + 0x20, (ulong)end); w.U64(header + 0x28, (ulong)end);
            w.U32(header + 56, 2); w.U64(header + 56 + 0x08, (ulong)dynamicAt); w.U64(header + 56 + 0x10, (ulong)dynamicAt); w.U64(header + 56 + 0x20, (ulong)dynamicSize);

            long d = dynamicAt;
            void Dynamic(long tag, ulong value) { w.U64(d, (ulong)tag); w.U64(d + 8, value); d += 16; }
            foreach (uint n in neededOffsets) Dynamic(1, n);
            if (soname != null) Dynamic(14, sonameOffset);
            if (runpath != null) Dynamic(29, runpathOffset);
            Dynamic(5, (ulong)stringsAt);
            Dynamic(10, (ulong)stringBytes.Length);
            if (versionList.Count > 0)
            {
                Dynamic(0x6ffffffe, (ulong)verneedAt);
                Dynamic(0x6fffffff, (ulong)files.Count);
                Dynamic(6, (ulong)dynsymAt);
                Dynamic(0x6ffffff0, (ulong)versymAt);
            }
            Dynamic(0, 0);
            w.Bytes(stringsAt, stringBytes);

            long need = verneedAt;
            for (int f = 0; f < files.Count; f++)
            {
                var mine = versionList.Select((v, i) => (v, i)).Where(x => x.v.File == files[f]).ToList();
                long auxAt = need + 16;
                w.U16(need, 1); w.U16(need + 2, (ushort)mine.Count); w.U32(need + 4, fileOffsets[files[f]]); w.U32(need + 8, 16);
                w.U32(need + 12, f + 1 < files.Count ? (uint)(16 + mine.Count * 16) : 0);
                for (int k = 0; k < mine.Count; k++)
                {
                    long aux = auxAt + k * 16L;
                    w.U16(aux + 4, (ushort)(mine[k].v.Weak ? 2 : 0)); w.U16(aux + 6, (ushort)(mine[k].i + 2));
                    w.U32(aux + 8, versionOffsets[mine[k].i]); w.U32(aux + 12, k + 1 < mine.Count ? 16u : 0u);
                }
                need = auxAt + mine.Count * 16L;
            }
            for (int i = 0; i < symbols.Count; i++)
            {
                w.U32(dynsymAt + 24 * (i + 1), symbols[i].Name);
                w.U16(versymAt + 2 * (i + 1), symbols[i].Index);
            }
            // Section headers: the null one and SHT_DYNSYM
            long sh = sectionsAt + 64;
            w.U32(sh + 4, 11); w.U64(sh + 0x18, (ulong)dynsymAt); w.U64(sh + 0x20, (ulong)dynsymSize); w.U64(sh + 0x38, 24);
            return w.Data;
        }

        /// <summary>A PE image (PE32 or PE32+) with one section whose addresses equal file offsets.</summary>
        public static byte[] Pe(ushort machine, bool pe32Plus, IEnumerable<string>? imports = null, IEnumerable<string>? delayImports = null,
            uint? corFlags = null, bool precompiled = false)
        {
            var importList = (imports ?? Enumerable.Empty<string>()).ToList();
            var delayList = (delayImports ?? Enumerable.Empty<string>()).ToList();
            const long peAt = 0x80, section = 0x400;
            long coff = peAt + 4, opt = coff + 20;
            int optSize = pe32Plus ? 240 : 224;
            long directories = opt + (pe32Plus ? 112 : 96);
            long importsAt = section, delayAt = importsAt + (importList.Count + 1) * 20L;
            long corAt = delayAt + (delayList.Count + 1) * 32L;
            long namesAt = corAt + 72;
            var names = new StringTable();
            var importNames = importList.Select(names.Add).ToList();
            var delayNames = delayList.Select(names.Add).ToList();
            byte[] nameBytes = names.ToArray();
            long end = namesAt + nameBytes.Length + 16;

            var w = new Writer(end);
            w.U16(0, 0x5A4D); w.U32(0x3C, (uint)peAt); w.U32(peAt, 0x00004550);
            w.U16(coff, machine); w.U16(coff + 2, 1); w.U16(coff + 16, (ushort)optSize); w.U16(coff + 18, 0x2022);
            w.U16(opt, (ushort)(pe32Plus ? 0x20b : 0x10b));
            w.U32(directories - 4, 16);
            void Directory(int index, long at, long size) { w.U32(directories + index * 8, (uint)at); w.U32(directories + index * 8 + 4, (uint)size); }
            if (importList.Count > 0) Directory(1, importsAt, (importList.Count + 1) * 20L);
            if (delayList.Count > 0) Directory(13, delayAt, (delayList.Count + 1) * 32L);
            if (corFlags != null) Directory(14, corAt, 72);
            long table = opt + optSize;
            w.Bytes(table, Encoding.ASCII.GetBytes(".text"));
            w.U32(table + 8, (uint)(end - section)); w.U32(table + 12, (uint)section); w.U32(table + 16, (uint)(end - section)); w.U32(table + 20, (uint)section);
            for (int i = 0; i < importList.Count; i++) { w.U32(importsAt + i * 20 + 12, (uint)(namesAt + importNames[i])); w.U32(importsAt + i * 20 + 16, 1); }
            for (int i = 0; i < delayList.Count; i++) { w.U32(delayAt + i * 32, 1); w.U32(delayAt + i * 32 + 4, (uint)(namesAt + delayNames[i])); }
            if (corFlags != null)
            {
                w.U32(corAt, 72); w.U16(corAt + 4, 2); w.U16(corAt + 6, 5); w.U32(corAt + 16, corFlags.Value);
                if (precompiled) { w.U32(corAt + 64, (uint)namesAt); w.U32(corAt + 68, 16); }
            }
            w.Bytes(namesAt, nameBytes);
            return w.Data;
        }

        /// <summary>A 64-bit Mach-O dylib: LC_ID_DYLIB, LC_LOAD_DYLIB, LC_LOAD_WEAK_DYLIB and LC_RPATH commands.</summary>
        public static byte[] MachO(uint cpu, string? installName, IEnumerable<string> needed, IEnumerable<string>? weak = null, IEnumerable<string>? rpaths = null)
        {
            var commands = new List<(uint Cmd, string Text, int NameAt)>();
            if (installName != null) commands.Add((0xD, installName, 24));
            commands.AddRange(needed.Select(n => (0xCu, n, 24)));
            commands.AddRange((weak ?? Enumerable.Empty<string>()).Select(n => (0x80000018u, n, 24)));
            commands.AddRange((rpaths ?? Enumerable.Empty<string>()).Select(n => (0x8000001Cu, n, 12)));
            var sizes = commands.Select(c => (int)Align(c.NameAt + Encoding.UTF8.GetByteCount(c.Text) + 1, 8)).ToList();
            long end = 32 + sizes.Sum();
            var w = new Writer(end);
            w.U32(0, 0xFEEDFACF); w.U32(4, cpu); w.U32(12, 6); w.U32(16, (uint)commands.Count); w.U32(20, (uint)sizes.Sum());
            long at = 32;
            for (int i = 0; i < commands.Count; i++)
            {
                w.U32(at, commands[i].Cmd); w.U32(at + 4, (uint)sizes[i]); w.U32(at + 8, (uint)commands[i].NameAt);
                w.Bytes(at + commands[i].NameAt, Encoding.UTF8.GetBytes(commands[i].Text));
                at += sizes[i];
            }
            return w.Data;
        }

        /// <summary>A universal (fat) file holding the given thin images.</summary>
        public static byte[] Fat(params (uint Cpu, byte[] Image)[] slices)
        {
            long at = Align(8 + slices.Length * 20L, 4096);
            var offsets = new List<long>();
            foreach (var s in slices) { offsets.Add(at); at = Align(at + s.Image.Length, 4096); }
            var w = new Writer(at);
            void Big(long offset, uint value) => w.Bytes(offset, new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value });
            Big(0, 0xCAFEBABE); Big(4, (uint)slices.Length);
            for (int i = 0; i < slices.Length; i++)
            {
                Big(8 + i * 20, slices[i].Cpu); Big(8 + i * 20 + 8, (uint)offsets[i]); Big(8 + i * 20 + 12, (uint)slices[i].Image.Length);
                w.Bytes(offsets[i], slices[i].Image);
            }
            return w.Data;
        }

        private static long Align(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

        private sealed class StringTable
        {
            private readonly MemoryStream bytes = new MemoryStream();

            public StringTable() { bytes.WriteByte(0); }

            public uint Add(string text)
            {
                uint offset = (uint)bytes.Length;
                var data = Encoding.UTF8.GetBytes(text);
                bytes.Write(data, 0, data.Length);
                bytes.WriteByte(0);
                return offset;
            }

            public byte[] ToArray() => bytes.ToArray();
        }

        private sealed class Writer
        {
            public Writer(long size) { Data = new byte[size]; }
            public byte[] Data { get; }
            public void Bytes(long offset, byte[] value) => Array.Copy(value, 0, Data, offset, value.Length);
            public void U16(long offset, ushort value) => Bytes(offset, BitConverter.GetBytes(value));
            public void U32(long offset, uint value) => Bytes(offset, BitConverter.GetBytes(value));
            public void U32(long offset, int value) => U32(offset, (uint)value);
            public void U64(long offset, ulong value) => Bytes(offset, BitConverter.GetBytes(value));
        }
    }
}
