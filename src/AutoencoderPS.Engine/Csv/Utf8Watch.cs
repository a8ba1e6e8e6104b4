using System;
using System.Collections.Generic;
using System.Text;

namespace AutoencoderPS.Engine.Csv
{
    /// <summary>
    /// UTF-8 for a TextReader (CsvHelper's input) that keeps what it could not decode: each invalid byte sequence becomes
    /// one U+FFFD, as UTF-8 always decodes it, and its bytes wait in order; <see cref="Take"/> gives a record's fields
    /// back their bytes and says which is not UTF-8 (<see cref="NotUtf8Field"/>). Records are taken in file order, so the
    /// sequences waiting are those of the record taken next (a StreamReader decodes ahead of the parser, never behind).
    /// A U+FFFD that the file holds as such (EF BF BD, valid UTF-8) is text, not a sequence: in a file that also holds
    /// invalid bytes it could be taken for one, and name the wrong bytes; the row is rejected either way.
    /// </summary>
    internal sealed class Utf8Watch : DecoderFallback
    {
        private readonly Queue<byte[]> invalid = new Queue<byte[]>();

        /// <summary>
        /// UTF-8 that reports to a new watch. With a preamble: a StreamReader then skips a UTF-8 byte-order mark itself
        /// and keeps this encoding, where detecting the mark would put plain UTF-8 in its place.
        /// </summary>
        public static Encoding Encoding(out Utf8Watch watch)
        {
            var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
            encoding.DecoderFallback = watch = new Utf8Watch();
            return encoding;
        }

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Replacement(this);

        /// <summary>
        /// The first of <paramref name="fields"/> (a record just read) that held bytes that are not UTF-8, with its bytes as
        /// they were; null when all are UTF-8. The record's sequences are taken whichever it is.
        /// </summary>
        public NotUtf8Field? Take(IReadOnlyList<string> fields)
        {
            if (invalid.Count == 0) return null;
            NotUtf8Field? first = null;
            for (int i = 0; i < fields.Count && invalid.Count > 0; i++)
            {
                string field = fields[i];
                if (field.IndexOf('\uFFFD') < 0) continue;
                var bytes = new List<byte>(field.Length + 4);
                int from = 0;
                for (int at = field.IndexOf('\uFFFD'); at >= 0; at = field.IndexOf('\uFFFD', from))
                {
                    bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(field.Substring(from, at - from)));
                    bytes.AddRange(invalid.Count > 0 ? invalid.Dequeue() : new byte[] { 0xEF, 0xBF, 0xBD });
                    from = at + 1;
                }
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(field.Substring(from)));
                first ??= new NotUtf8Field(i, bytes.ToArray());
            }
            return first;
        }

        private sealed class Replacement : DecoderFallbackBuffer
        {
            private readonly Utf8Watch watch;
            private bool pending;

            public Replacement(Utf8Watch watch) { this.watch = watch; }

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                watch.invalid.Enqueue((byte[])bytesUnknown.Clone());
                pending = true;
                return true;
            }

            public override char GetNextChar()
            {
                if (!pending) return '\0';
                pending = false;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (pending) return false;
                pending = true;
                return true;
            }

            public override int Remaining => pending ? 1 : 0;

            public override void Reset() => pending = false;
        }
    }
}
