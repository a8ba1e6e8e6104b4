using System.Globalization;
using AutoencoderPS.Engine.Text;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    public class CultureTextTests
    {
        [Fact]
        public void TheInvariantCultureIsNamedAsSuchNotAsAnEmptyName()
        {
            Assert.Equal("the invariant culture", CultureText.Describe(CultureInfo.InvariantCulture));
            Assert.Equal("culture 'de-DE'", CultureText.Describe(CultureInfo.GetCultureInfo("de-DE")));
        }
    }
}
