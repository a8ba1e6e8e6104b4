using System;
using System.IO;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;
using AutoencoderPS.Engine.Modeling.Torch;

namespace AutoencoderPS.Engine.Tests
{
    [Collection(TorchCollection.Name)]
    public class TorchRuntimeTests
    {
        public TorchRuntimeTests(TorchFixture fixture)
        {
            _ = fixture;
        }

        [Fact]
        public void LoadsFromTheFolderBesideTorchSharp()
        {
            TorchRuntime.EnsureLoaded(); // a second call is a no-op

            Assert.True(File.Exists(Path.Combine(TorchRuntime.NativeDirectory, "libtorch_cpu.so"))
                || File.Exists(Path.Combine(TorchRuntime.NativeDirectory, "torch_cpu.dll"))
                || File.Exists(Path.Combine(TorchRuntime.NativeDirectory, "libtorch_cpu.dylib")));
            Assert.StartsWith("0.107", TorchRuntime.TorchSharpVersion, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(TorchRuntime.LibTorchVersion));
        }

        [Fact]
        public void ThreadCountIsPinned()
        {
            Assert.Equal(1, TorchRuntime.ThreadCount);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-2)]
        public void ThreadCountBelowOneThrows(int threads)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetThreadCount(threads));
            Assert.Equal(1, TorchRuntime.ThreadCount);
        }
    }
}
