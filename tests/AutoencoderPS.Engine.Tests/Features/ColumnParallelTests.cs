using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Numerics;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Features
{
    /// <summary>
    /// Column statistics on several threads (training's -ThrottleLimit): the same schema and scaler as on one thread, and a
    /// failure is the one the loop over the columns in order would throw.
    /// </summary>
    public class ColumnParallelTests
    {
        [Fact]
        public void EveryColumnRunsOnceAndTheLowestFailingColumnIsThrown()
        {
            var runs = new int[12];
            ColumnParallel.For(12, ColumnParallel.MinRows, 4, j => Interlocked.Increment(ref runs[j]));
            Assert.All(runs, r => Assert.Equal(1, r));

            var failure = Assert.Throws<InvalidOperationException>(() => ColumnParallel.For(12, ColumnParallel.MinRows, 4, j =>
            {
                if (j == 3 || j == 9) throw new InvalidOperationException($"column {j}");
            }));
            Assert.Equal("column 3", failure.Message);
        }

        [Fact]
        public void FewRowsStayOnTheCallingThread()
        {
            var threads = new HashSet<int>();
            ColumnParallel.For(8, ColumnParallel.MinRows - 1, 4, _ => { lock (threads) threads.Add(Environment.CurrentManagedThreadId); });
            Assert.Equal(new[] { Environment.CurrentManagedThreadId }, threads);
        }

        [Fact]
        public void TheSchemaAndTheScalerAreTheSameOnSeveralThreads()
        {
            int n = ColumnParallel.MinRows + 1000;
            var random = new Random(8);
            var roles = new FeatureSchema(new[]
            {
                new FeatureColumn("a", ColumnRole.Numeric), new FeatureColumn("b", ColumnRole.Numeric),
                new FeatureColumn("host", ColumnRole.Categorical), new FeatureColumn("c", ColumnRole.Numeric),
            });
            var records = Enumerable.Range(0, n).Select(i => (IRecord)new TestRecord(
                ("a", (random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture)),
                ("b", (i % 7 == 0 ? "" : Math.Round(random.NextDouble(), 3).ToString(CultureInfo.InvariantCulture))),
                ("host", "h" + random.Next(5)),
                ("c", Math.Exp(random.NextDouble() * 10).ToString("R", CultureInfo.InvariantCulture)))).ToList();
            TrainingSet Build(int threads)
            {
                var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
                foreach (var record in records) builder.Add(record);
                return builder.Build(threads);
            }
            var one = Build(1);
            var four = Build(4);
            Assert.Equal(one.Schema.Names, four.Schema.Names);
            for (int i = 0; i < one.Schema.Count; i++)
            {
                var x = one.Schema.Columns[i];
                var y = four.Schema.Columns[i];
                Assert.Equal(x.Median, y.Median);
                Assert.Equal(x.Categories, y.Categories);
                Assert.Equal(x.Statistics!.Mean, y.Statistics!.Mean);
                Assert.Equal(x.Statistics.StandardDeviation, y.Statistics.StandardDeviation);
                Assert.Equal(x.Statistics.Missing, y.Statistics.Missing);
            }
            for (int r = 0; r < n; r += 997) Assert.Equal(one.Rows[r], four.Rows[r]);

            foreach (var method in new[] { ScalingMethod.RobustSigmoid, ScalingMethod.Robust })
            {
                var alone = FeatureScaler.Fit(one.Rows, one.Schema.SlotKinds, method);
                var together = FeatureScaler.Fit(one.Rows, one.Schema.SlotKinds, method, threads: 4);
                Assert.Equal(alone.Offset, together.Offset);
                Assert.Equal(alone.Scale, together.Scale);
            }
        }

        [Fact]
        public void AnEmptyColumnFailsOnSeveralThreadsAsOnOne()
        {
            var roles = new FeatureSchema(new[] { new FeatureColumn("a", ColumnRole.Numeric), new FeatureColumn("b", ColumnRole.Numeric) });
            var builder = new TrainingSetBuilder(roles, CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            for (int i = 0; i < ColumnParallel.MinRows; i++) builder.Add(new TestRecord(("a", "1"), ("b", "")));
            var failure = Assert.Throws<AutoencoderException>(() => builder.Build(4));
            Assert.Equal(ErrorIds.EmptyFeatureColumn, failure.ErrorId);
            Assert.Contains("'b'", failure.Message);
        }
    }
}
