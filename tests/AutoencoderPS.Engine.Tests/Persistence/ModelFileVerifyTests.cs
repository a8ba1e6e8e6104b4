using System;
using System.Collections.Generic;
using System.IO;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// ModelFile.Verify, the structural checks without libtorch that Send-Autoencoder runs before it ships a file:
    /// it accepts what Serialize writes and rejects a damaged file with the same ErrorId as Deserialize.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class ModelFileVerifyTests : IDisposable
    {
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public ModelFileVerifyTests(TorchFixture fixture)
        {
            this.fixture = fixture;
        }

        public void Dispose() => temp.Dispose();

        private byte[] Reference => ModelFile.Serialize(fixture.Reference.Model);

        [Fact]
        public void AcceptsAWrittenFileAndReadsItBackByteForByte()
        {
            string path = temp.File("m.aemodel");
            byte[] written = Reference;
            File.WriteAllBytes(path, written);
            byte[] read = ModelFile.Read(path);
            Assert.Equal(written, read);
            ModelFile.Verify(read, path);
        }

        [Fact]
        public void RejectsEveryPrefixAsTruncated()
        {
            byte[] content = Reference;
            var wrong = new List<string>();
            for (int cut = 0; cut < content.Length; cut += Math.Max(1, cut / 64))
            {
                var error = Assert.Throws<ModelFileException>(() => ModelFile.Verify(content.AsSpan(0, cut).ToArray(), "cut.aemodel"));
                if (error.ErrorId != "ModelFileTruncated") wrong.Add($"{cut}: {error.ErrorId}");
            }
            Assert.Empty(wrong);
        }

        [Theory]
        [InlineData(0, "ModelFileForeign")]
        [InlineData(8, "ModelFileTooNew")]
        [InlineData(-40, "ModelFileChecksumMismatch")]
        [InlineData(-1, "ModelFileChecksumMismatch")]
        public void RejectsADamagedFileWithTheSameErrorIdAsDeserialize(int offset, string errorId)
        {
            byte[] content = Reference;
            int at = offset >= 0 ? offset : content.Length + offset;
            content[at] = (byte)(content[at] ^ 0xFF);
            var verified = Assert.Throws<ModelFileException>(() => ModelFile.Verify(content, "damaged.aemodel"));
            var deserialized = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(content, "damaged.aemodel"));
            Assert.Equal(errorId, verified.ErrorId);
            Assert.Equal(deserialized.ErrorId, verified.ErrorId);
            Assert.Contains("damaged.aemodel", verified.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ReadNamesAMissingFile()
        {
            string path = temp.File("none.aemodel");
            var error = Assert.Throws<ModelFileException>(() => ModelFile.Read(path));
            Assert.Equal("ModelFileNotFound", error.ErrorId);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }
}
