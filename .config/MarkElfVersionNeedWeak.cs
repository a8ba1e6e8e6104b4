using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

// Sets VER_FLG_WEAK on one Vernaux entry (by version name) of a 64-bit little-endian ELF shared object.
// The file is rewritten through a temporary copy and a rename, so a hard link into a package cache is
// never modified in place.
public class MarkElfVersionNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    [Required] public string FilePath { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        byte[] elf = File.ReadAllBytes(FilePath);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            Log.LogError("{0} is not an ELF file.", FilePath);
            return false;
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            Log.LogMessage(MessageImportance.Low, "{0}: not 64-bit little-endian ELF, left as is.", FilePath);
            return true;
        }

        long sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        int found = 0, changed = 0;
        for (int i = 0; i < sectionCount; i++)
        {
            long header = sectionTable + (long)i * sectionSize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed) continue;

            long verneed = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)header + 0x28);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(sectionTable + link * sectionSize) + 0x18);

            long need = verneed;
            while (true)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int k = 0; k < auxCount; k++)
                {
                    uint nameOffset = BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, strtab + nameOffset) == VersionName)
                    {
                        found++;
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, (int)aux + 4);
                            changed++;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(elf, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }

        if (changed > 0)
        {
            string temp = FilePath + ".patching";
            File.WriteAllBytes(temp, elf);
            // Delete, then move: unlinks a hard link instead of writing through it.
            File.Delete(FilePath);
            File.Move(temp, FilePath);
            Log.LogMessage(MessageImportance.High, "{0}: marked version need {1} weak.", FilePath, VersionName);
        }
        else
        {
            Log.LogMessage(MessageImportance.Low, "{0}: {1} found {2} time(s), nothing to change.", FilePath, VersionName, found);
        }
        return true;
    }

    private static string ReadCString(byte[] data, long offset)
    {
        long end = offset;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)offset, (int)(end - offset));
    }
}
