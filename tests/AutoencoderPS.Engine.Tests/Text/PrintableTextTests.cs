using System.Linq;
using AutoencoderPS.Engine.Text;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Values of damaged files in messages: no escape sequence, bell, NUL, direction override or line break reaches a log.</summary>
    public sealed class PrintableTextTests
    {
        [Theory]
        [InlineData("42.5", "42.5")]
        [InlineData("a\tb", "a\tb")]                         // a tab stays
        [InlineData("\u001b[2J\u0007x\u0000", "?[2J?x?")]    // an escape sequence that clears the screen, a bell, NUL
        [InlineData("abc\u202Efed", "abc?fed")]              // a right-to-left override reorders the rest of the line
        [InlineData("one\u2028two\r\nthree", "one?two??three")]
        [InlineData("caf\u00e9 \U0001F600", "caf\u00e9 \U0001F600")]  // letters and a pair of surrogates stay
        [InlineData("\uFFFD\uFFFD", "??")]                   // bytes that were not text
        public void ShowsEachCharacterThatWouldDisturbALogAsAQuestionMark(string text, string shown) =>
            Assert.Equal(shown, PrintableText.Of(text));

        [Fact]
        public void ALoneSurrogateIsShownAsAQuestionMark()
        {
            Assert.Equal("x?y", PrintableText.Of("x" + (char)0xD800 + "y"));
            Assert.Equal("x?", PrintableText.Of("x" + (char)0xDC00));
        }

        [Theory]
        [InlineData("timestamp", "timestamp")]
        [InlineData("cpu.total_pct", "cpu.total_pct")]
        [InlineData("sample time", "'sample time'")]
        [InlineData("TimeGenerated [UTC]", "'TimeGenerated [UTC]'")]
        [InlineData("it's", "'it''s'")]
        [InlineData("-time", "'-time'")]      // bare, it would read as a parameter
        [InlineData("CPU%", "'CPU%'")]
        [InlineData("", "''")]
        public void ANameIsAPowerShellArgumentBareOnlyWhenPlain(string name, string expected) =>
            Assert.Equal(expected, PrintableText.PowerShellArgument(name));

        [Fact]
        public void AListOfNamesShowsTheFirstQuotedAndCutThenHowManyMore()
        {
            Assert.Equal("'web1', 'web2'", PrintableText.QuotedList(new[] { "web1", "web2" }));
            var twelve = Enumerable.Range(1, 12).Select(i => $"web{i}").ToArray();
            Assert.Equal("'web1', 'web2', 'web3', 'web4', 'web5', 'web6', 'web7', 'web8', 'web9', 'web10' and 2 more", PrintableText.QuotedList(twelve));
            Assert.Equal("'abc...', 'x?y' and 1 more", PrintableText.QuotedList(new[] { "abcdef", "x\u0007y", "z" }, most: 2, cut: 3));
        }
    }
}
