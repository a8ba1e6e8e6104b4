using System;
using System.Linq;
using AutoencoderPS.Engine.Csv;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>The message for an input that lacks the model's columns (ColumnMismatch).</summary>
    public sealed class ColumnMismatchTests
    {
        [Fact]
        public void ABinaryFilesHeaderIsShownAsPrintableTextAndSaidToBeNoText()
        {
            // A file of random bytes in the export folder: its "header" went to the scheduled job's log as raw binary,
            // with control characters and thousands of characters of garbage.
            var random = new Random(5);
            var bytes = new byte[3000];
            random.NextBytes(bytes);
            string header = System.Text.Encoding.UTF8.GetString(bytes);
            var error = ColumnMismatch.Error("File 'junk.csv'", new[] { "cpu" }, new[] { header }, new[] { "cpu" });
            Assert.DoesNotContain(error.Message, c => (char.IsControl(c) && c != '\t') || c == '\uFFFD');
            Assert.True(error.Message.Length < 400, error.Message);
            Assert.Contains("does not look like text", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ATextHeaderIsShownAsItIsWithItsDelimiterHint()
        {
            var error = ColumnMismatch.Error("File 'de.csv'", new[] { "cpu" }, new[] { "host;cpu;mem" }, new[] { "cpu" });
            Assert.Contains("'host;cpu;mem'", error.Message, StringComparison.Ordinal);
            Assert.Contains("-Delimiter ';'", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("does not look like text", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("Temperatur \uFFFDC")] // a Windows-1252 export read as UTF-8 (Import-Csv without -Encoding)
        [InlineData("Temperatur ?C")]       // one saved as ASCII, or shown so
        public void ANameWithItsLettersOutsideAsciiLostSaysToGiveTheEncoding(string read)
        {
            var error = ColumnMismatch.Error("File 'cp1252.csv'", new[] { "Temperatur °C" }, new[] { "Zeit", read }, new[] { "Temperatur °C" });
            Assert.Contains("is the model's 'Temperatur °C' with its letters outside ASCII lost", error.Message, StringComparison.Ordinal);
            Assert.Contains("-Encoding 1252", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AUtf8NameReadInAWindowsCodePageSaysToReadItAsUtf8()
        {
            var error = ColumnMismatch.Error("File 'utf8.csv'", new[] { "Zürich" }, new[] { "ZÃ¼rich" }, new[] { "Zürich" });
            Assert.Contains("written in UTF-8 and read in a Windows code page", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AnotherNameOrAQuestionMarkWhereTheModelHasAsciiGivesNoEncodingHint()
        {
            var error = ColumnMismatch.Error("File 'x.csv'", new[] { "Temperatur °C", "cpu" }, new[] { "Temperatur C", "cp?" }, new[] { "Temperatur °C", "cpu" });
            Assert.DoesNotContain("-Encoding", error.Message, StringComparison.Ordinal);
        }
    }
}
