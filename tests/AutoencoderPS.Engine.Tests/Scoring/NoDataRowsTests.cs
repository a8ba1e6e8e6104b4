using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// A row with no value in any numeric feature (a host down: the exporter wrote the time and nothing else) holds no
    /// measurement. Training leaves it out; a sliding-window model writes it as NoData and takes it as absent, so the rows
    /// after it are scored exactly as if it had never been written, and windows of medians never reach the network or
    /// the likelihood (whose history of errors of none made the first real rows after an outage page).
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class NoDataRowsTests
    {
        private const int Window = 4;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);

        public NoDataRowsTests(TorchFixture fixture) => _ = fixture;

        // A row a minute: cpu and mem on one 24-row cycle, with noise; rows where `down` holds have the time and no values.
        private static List<TestRecord> Records(int first, int count, int seed, Func<int, bool>? down = null)
        {
            var random = new Random(seed);
            var records = new List<TestRecord>();
            for (int i = first; i < first + count; i++)
            {
                double phase = 2 * Math.PI * i / 24;
                double cpu = 50 + 20 * Math.Sin(phase) + random.NextDouble(), mem = 30 + 8 * Math.Sin(phase) + 0.5 * random.NextDouble();
                bool off = down?.Invoke(i - first) == true;
                records.Add(new TestRecord(("Time", T0.AddMinutes(i)), ("cpu", off ? "" : (object)cpu), ("mem", off ? null : (object)mem)));
            }
            return records;
        }

        private static AutoencoderModel Trained(IReadOnlyList<TestRecord> records, TimeSpan? maxGap = null) =>
            WindowedTraining.Train(new ModelSettings(new[] { 12, 4 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 4, windowSize: Window, timeProperty: "Time", maxGap: maxGap),
                records, new[] { "cpu", "mem" }, new TrainingOptions { Epochs = 8, BatchSize = 32, LearningRate = 1e-2 });

        private static (RecordingSink<int> Sink, ScoringPipeline<int> Pipeline) Score(AutoencoderModel model, IReadOnlyList<TestRecord> records)
        {
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 16 }, sink);
            for (int i = 0; i < records.Count; i++) Assert.Null(pipeline.Add(records[i], i, CultureInfo.InvariantCulture, MissingValuePolicy.Impute));
            pipeline.Flush();
            return (sink, pipeline);
        }

        // Scores `records`, and the same records without the rows `down` marks: every other row's status and score must be
        // the same, bit for bit, and the marked rows NoData.
        private static RecordingSink<int> AssertScoredAsIfAbsent(AutoencoderModel model, List<TestRecord> records, Func<int, bool> down)
        {
            var (sink, pipeline) = Score(model, records);
            var without = records.Where((_, i) => !down(i)).ToList();
            var (alone, _) = Score(model, without);
            int k = 0;
            for (int i = 0; i < records.Count; i++)
            {
                if (down(i))
                {
                    Assert.Equal(WindowStatus.NoData, sink.Statuses[i]);
                    Assert.Null(sink.Rows[i].Score);
                    Assert.Equal(new[] { "cpu", "mem" }, sink.Rows[i].Imputed);
                    continue;
                }
                Assert.Equal(alone.Statuses[k], sink.Statuses[i]);
                Assert.Equal(alone.Rows[k].Score?.Score, sink.Rows[i].Score?.Score);
                Assert.Equal(alone.Rows[k].Score?.Probability, sink.Rows[i].Score?.Probability);
                k++;
            }
            Assert.Equal(records.Count - without.Count, pipeline.NoData);
            return sink;
        }

        [Fact]
        public void ARowWithNoValueIsNoDataAndTheWindowGoesOnAcrossItAsAcrossAnAbsentRow()
        {
            // One minute without values (a missed scrape), with gaps of up to 5 minutes taken as whole (New-Autoencoder
            // -MaxGap): the windows go on across it, and the window of row 21 holds rows 18, 19 and 21, not medians.
            using var model = Trained(Records(0, 400, 1), TimeSpan.FromMinutes(5));
            Func<int, bool> down = i => i == 20;
            var sink = AssertScoredAsIfAbsent(model, Records(1000, 40, 2, down), down);
            Assert.Equal(WindowStatus.Scored, sink.Statuses[21]);
            Assert.Null(sink.Rows[21].Imputed);
        }

        [Fact]
        public void ARowWithNoValueBreaksAWindowAsAMissingRowDoesUnderTheUsualGap()
        {
            // By default a gap of more than 2.5 usual intervals breaks a window: one minute missing of a row a minute
            // (a scrape missed now and then) keeps it whole, two in a row break it.
            using var model = Trained(Records(0, 400, 1));
            Func<int, bool> one = i => i == 20;
            var kept = AssertScoredAsIfAbsent(model, Records(1000, 40, 2, one), one);
            Assert.Equal(WindowStatus.Scored, kept.Statuses[21]);
            Func<int, bool> two = i => i == 20 || i == 21;
            var broken = AssertScoredAsIfAbsent(model, Records(1000, 40, 2, two), two);
            Assert.Equal(WindowStatus.WarmingUp, broken.Statuses[22]);
        }

        [Fact]
        public void AnOutageLongerThanTheLargestGapWarmsTheWindowUpAgainAsAGapDoes()
        {
            using var model = Trained(Records(0, 400, 1));
            Func<int, bool> down = i => i >= 20 && i < 50;
            var sink = AssertScoredAsIfAbsent(model, Records(1000, 80, 2, down), down);
            Assert.All(Enumerable.Range(50, Window - 1), i => Assert.Equal(WindowStatus.WarmingUp, sink.Statuses[i]));
            Assert.Equal(WindowStatus.Scored, sink.Statuses[50 + Window - 1]);
        }

        [Fact]
        public void ARowWithOneValueIsScoredWithTheOtherFilledIn()
        {
            using var model = Trained(Records(0, 400, 1));
            var records = Records(1000, 30, 2);
            records[20] = new TestRecord(("Time", T0.AddMinutes(1020)), ("cpu", 50.0), ("mem", ""));
            var (sink, pipeline) = Score(model, records);
            Assert.Equal(WindowStatus.Scored, sink.Statuses[20]);
            Assert.Equal(new[] { "mem" }, sink.Rows[20].Imputed);
            Assert.Equal(0, pipeline.NoData);
            Assert.Null(pipeline.NoDataWarning());
        }

        [Fact]
        public void TheWarningCountsTheRowsAndNamesTheFirst()
        {
            using var model = Trained(Records(0, 400, 1));
            var (_, pipeline) = Score(model, Records(1000, 60, 2, i => i >= 30 && i < 42));
            Assert.Equal(12, pipeline.NoData);
            var warning = pipeline.NoDataWarning();
            Assert.NotNull(warning);
            Assert.StartsWith("12 row(s) had no value in any of the model's features ('cpu', 'mem'), the first at 2026-03-02 17:10:00:", warning);
        }

        [Fact]
        public void ARowModelThatLearnsDoesNotLearnFromARowWithNoValue()
        {
            // A row model scores such a row (its features' medians) but, as training, does not learn from it: the rows
            // with values score the same, bit for bit, with the empty rows among them or not.
            AutoencoderModel RowModel()
            {
                var builder = new TrainingSetBuilder(new FeatureSchema(new[] { "cpu", "mem" }), CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
                foreach (var r in Records(0, 400, 1)) builder.Add(r);
                var set = builder.Build();
                var model = new AutoencoderModel(new ModelSettings(new[] { 6, 2 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid, seed: 4));
                model.Train(set.Schema, set.Rows, new TrainingOptions { Epochs = 4, BatchSize = 32, LearningRate = 1e-2 });
                model.LearnEvery = 1;
                return model;
            }
            Func<int, bool> down = i => i % 10 == 3;
            var records = Records(1000, 200, 2, down);
            using var a = RowModel();
            using var b = RowModel();
            var (withEmpty, _) = Score(a, records);
            var (alone, _) = Score(b, records.Where((_, i) => !down(i)).ToList());
            var kept = withEmpty.Rows.Where((_, i) => !down(i)).Select(r => r.Score!.Score).ToList();
            Assert.Equal(alone.Rows.Select(r => r.Score!.Score), kept);
            Assert.All(Enumerable.Range(0, records.Count).Where(down), i => Assert.Equal(WindowStatus.Scored, withEmpty.Statuses[i]));
        }

        [Fact]
        public void TrainingLeavesOutARowWithNoValueAndKeepsOneWithAny()
        {
            var builder = new TrainingSetBuilder(new FeatureSchema(new[] { "cpu", "mem" }), CultureInfo.InvariantCulture, MissingValuePolicy.Impute);
            Assert.True(builder.Add(new TestRecord(("cpu", 1.0), ("mem", 2.0))));
            Assert.False(builder.Add(new TestRecord(("cpu", ""), ("mem", "NA"))));
            Assert.True(builder.Add(new TestRecord(("cpu", 3.0), ("mem", null))));
            Assert.Equal(2, builder.Count);
            // Under -MissingValue Reject a missing value is an error, as before, whatever the rest of the row holds.
            var strict = new TrainingSetBuilder(new FeatureSchema(new[] { "cpu", "mem" }), CultureInfo.InvariantCulture, MissingValuePolicy.Reject);
            Assert.Throws<FeatureValueException>(() => strict.Add(new TestRecord(("cpu", ""), ("mem", ""))));
        }

        [Fact]
        public void TrainingWithAnOutageLearnsWhatTrainingWithoutItsRowsLearns()
        {
            Func<int, bool> down = i => i >= 100 && i < 130;
            var records = Records(0, 400, 1, down);
            using var withOutage = Trained(records);
            using var without = Trained(records.Where((_, i) => !down(i)).ToList());
            Assert.Equal(without.TrainingErrors, withOutage.TrainingErrors);
            Assert.Equal(without.Threshold, withOutage.Threshold);
        }
    }
}
