using System;
using System.IO;
using System.Text;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Support
{
    /// <summary>A series memory as an earlier version of AutoencoderPS wrote it, made from the bytes this one writes.</summary>
    internal static class SeriesMemoryVersions
    {
        /// <summary>
        /// Version 4: version 9 (8 differs only in how scored times are kept, and none are here) without the windows' row numbers (the rows they accepted, after the row width, and each
        /// group's last row and the time it last reported at, after its name) and without a time grid cell's filled-in sums
        /// and the groups' scored times (after each group's filled-in cells; no times unless the memory's windows kept
        /// them); the rest as it is. For a memory without
        /// counters only (version 7 added the rows since each counted value to them, which version 4 lacks).
        /// </summary>
        public static byte[] AsVersion4(byte[] saved)
        {
            using var r = new BinaryReader(new MemoryStream(saved), Encoding.UTF8);
            using var buffer = new MemoryStream();
            using var w = new BinaryWriter(buffer, Encoding.UTF8);
            w.Write(r.ReadString());
            Assert.Equal(9, r.ReadInt32());
            w.Write(4);
            w.Write(r.ReadString());
            int size = r.ReadInt32(), width = r.ReadInt32();
            w.Write(size); w.Write(width);
            r.ReadInt64();                                                                    // rows accepted
            r.ReadInt64();                                                                    // rows at the last forgetting
            int groups = r.ReadInt32();
            w.Write(groups);
            for (int g = 0; g < groups; g++)
            {
                w.Write(r.ReadString());
                r.ReadInt64();                                                                // the group's last row
                r.ReadInt64();                                                                // the "now" it last reported at
                int count = r.ReadInt32();
                w.Write(count);
                for (int k = 0; k < count * width; k++) w.Write(r.ReadDouble());
                Optional(r, w, () => { w.Write(r.ReadInt64()); w.Write(r.ReadInt32()); });  // last time
                w.Write(r.ReadBoolean());                                                     // max gap known
                Optional(r, w, () => w.Write(r.ReadInt64()));                                 // max gap
                Optional(r, w, () => w.Write(r.ReadInt64()));                                 // step
                w.Write(r.ReadInt64()); w.Write(r.ReadInt64()); w.Write(r.ReadInt32());      // origin, cell, cell rows
                Optional(r, w, () => { for (int k = 0; k < width; k++) w.Write(r.ReadDouble()); });
                for (int t = 0; t < count; t++)
                {
                    int columns = r.ReadInt32();
                    w.Write(columns);
                    for (int k = 0; k < columns; k++) w.Write(r.ReadInt32());
                }
                Optional(r, w, () => { for (int k = 0; k < width; k++) w.Write(r.ReadInt32()); });
                Optional(r, null, () => { for (int k = 0; k < width; k++) r.ReadDouble(); }); // filled-in sums (left out)
                Assert.False(r.ReadBoolean());                                                // no scored times
            }
            // Counters, likelihood and alerts, as they were.
            w.Write(r.ReadBytes((int)(r.BaseStream.Length - r.BaseStream.Position)));
            w.Flush();
            return buffer.ToArray();
        }

        private static void Optional(BinaryReader r, BinaryWriter? w, Action value)
        {
            bool present = r.ReadBoolean();
            w?.Write(present);
            if (present) value();
        }
    }
}
