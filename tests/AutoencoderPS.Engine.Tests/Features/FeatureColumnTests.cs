using System;
using System.Linq;
using Xunit;
using AutoencoderPS.Engine.Features;

namespace AutoencoderPS.Engine.Tests
{
    public class FeatureColumnTests
    {
        [Fact]
        public void ANumericColumnIsOneInput()
        {
            var column = new FeatureColumn("cpu", median: 3.5);

            Assert.Equal(ColumnRole.Numeric, column.Role);
            Assert.Equal(1, column.Width);
            Assert.Equal(new[] { "cpu" }, column.SlotNames());
            Assert.Equal(new[] { SlotKind.Numeric }, column.SlotKinds());
            Assert.Equal(3.5, column.Median);
            Assert.True(column.IsFitted);
            Assert.Equal("cpu", column.ToString());
        }

        [Fact]
        public void ACategoricalColumnIsOneInputPerCategoryPlusOther()
        {
            var column = new FeatureColumn("host", ColumnRole.Categorical, new[] { "db", "web" }, mode: "web");

            Assert.Equal(3, column.Width);
            Assert.Equal(new[] { "host=db", "host=web", "host=(other)" }, column.SlotNames());
            Assert.Equal(Enumerable.Repeat(SlotKind.OneHot, 3), column.SlotKinds());
            Assert.Equal("(other)", FeatureColumn.OtherCategory);
            Assert.Equal("web", column.Mode);
            Assert.True(column.IsFitted);
            Assert.Equal("host (Categorical)", column.ToString());
        }

        [Fact]
        public void ACategoricalColumnWithoutCategoriesIsNotFitted()
        {
            var column = new FeatureColumn("host", ColumnRole.Categorical);

            Assert.False(column.IsFitted);
            Assert.Equal(1, column.Width); // only the (other) slot
        }

        [Fact]
        public void ATimestampColumnIsFourCyclicInputs()
        {
            var column = new FeatureColumn("time", ColumnRole.Timestamp);

            Assert.Equal(4, column.Width);
            Assert.Equal(new[] { "time.HourSin", "time.HourCos", "time.DaySin", "time.DayCos" }, column.SlotNames());
            Assert.Equal(Enumerable.Repeat(SlotKind.Cyclic, 4), column.SlotKinds());
            Assert.True(column.IsFitted);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        public void ANameIsRequired(string name)
        {
            Assert.Throws<ArgumentException>(() => new FeatureColumn(name));
        }

        [Fact]
        public void CategoriesAreCopied()
        {
            var categories = new[] { "a", "b" };
            var column = new FeatureColumn("c", ColumnRole.Categorical, categories);
            categories[0] = "z";

            Assert.Equal(new[] { "a", "b" }, column.Categories);
        }

        [Fact]
        public void IgnoredColumnKeepsNameAndReason()
        {
            var ignored = new IgnoredColumn("id", "identifier-like");

            Assert.Equal("id", ignored.Name);
            Assert.Equal("identifier-like", ignored.Reason);
        }
    }
}
