using System;
using System.Collections.Generic;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Scoring
{
    /// <summary>The one scoring pipeline: rows read by the model's schema are scored by the model that has it.</summary>
    [Collection(TorchCollection.Name)]
    public sealed class ScoringPipelineTests
    {
        public ScoringPipelineTests(TorchFixture fixture) => _ = fixture;

        private static List<double[]> Rows(int count, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ => new[] { random.NextDouble(), 5 + random.NextDouble() }).ToList();
        }

        private static void Train(AutoencoderModel model) =>
            model.Train(new FeatureSchema(new[] { "a", "b" }), Rows(200, 1), new TrainingOptions { Epochs = 3, BatchSize = 50 });

        private static void Add(ScoringPipeline<int> pipeline, int row, double[] values)
        {
            var features = pipeline.RentFeatures();
            Array.Copy(values, features, values.Length);
            pipeline.Add(row, features, null);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void AModelTrainedAfreshWhileRowsArePipedScoresNoneOfTheRowsReadBeforeByItsFormerSchema(bool fileSink)
        {
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, seed: 5));
            Train(model);
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, sink, sinkKeepsScores: !fileSink, modelIsOwn: fileSink);
            var rows = Rows(25, 2);
            for (int i = 0; i < 15; i++) Add(pipeline, i, rows[i]);
            Assert.Equal(10, sink.Rows.Count);

            // Trained again further up the pipeline (or from another runspace): same columns, a new schema and scaling.
            Train(model);
            var e = Assert.Throws<AutoencoderException>(() => { for (int i = 15; i < 25; i++) Add(pipeline, i, rows[i]); });

            Assert.Equal(ErrorIds.ModelChangedWhileScoring, e.ErrorId);
            Assert.Equal(Enumerable.Range(0, 10), sink.Rows.Select(r => r.Row));
            // A pipeline made after the training scores with it.
            var after = new RecordingSink<int>();
            var fresh = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, after);
            for (int i = 0; i < 25; i++) Add(fresh, i, rows[i]);
            fresh.Flush();
            Assert.Equal(25, after.Rows.Count);
        }

        [Theory]
        [InlineData(false, true, true)]
        [InlineData(false, false, false)]
        [InlineData(true, true, false)]
        public void ScoresAreRenewedBatchAfterBatchOnlyForASinkThatKeepsNoneAndAModelThePipelineHasToItself(bool sinkKeepsScores, bool modelIsOwn,
            bool renewed)
        {
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, seed: 5));
            Train(model);
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, sink, sinkKeepsScores: sinkKeepsScores, modelIsOwn: modelIsOwn);
            var rows = Rows(20, 8);
            for (int i = 0; i < 20; i++) Add(pipeline, i, rows[i]);

            Assert.Equal(renewed, ReferenceEquals(sink.Rows[0].Score, sink.Rows[10].Score));
        }

        // Reads each score as it is written, after letting someone else score with the same model first.
        private sealed class Interleaved : IScoredRowSink<int>
        {
            public Action? BeforeRead { get; set; }
            public List<double> Scores { get; } = new List<double>();
            public void Write(int row, RowScore? score, IReadOnlyList<string>? imputed, WindowStatus status)
            {
                BeforeRead?.Invoke();
                BeforeRead = null;
                Scores.Add(score!.Score);
            }
        }

        [Fact]
        public void AModelThatLearnsScoresFilesOfTwoCallersAtOnceWithoutSharingTheirScores()
        {
            // A model that learns scores itself, not a replica, and another runspace may score a file with it meanwhile: a
            // file's scores must not be objects the other caller's next batch renews. (No update happens here: the scores
            // do not depend on the order.)
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, seed: 5));
            Train(model);
            model.LearnEvery = 100000;
            var rows = Rows(20, 6);
            var other = Rows(10, 7);
            var alone = new Interleaved();
            var reference = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, alone, sinkKeepsScores: false);
            for (int i = 0; i < 10; i++) Add(reference, i, rows[i]);

            var first = new Interleaved();
            var second = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, new Interleaved(), sinkKeepsScores: false);
            first.BeforeRead = () => { for (int i = 0; i < 10; i++) Add(second, i, other[i]); };
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, first, sinkKeepsScores: false);
            for (int i = 0; i < 10; i++) Add(pipeline, i, rows[i]);

            Assert.Equal(alone.Scores, first.Scores);
        }

        [Fact]
        public void AnIncrementalRunKeepsTheSchemaAndThePipelineGoesOn()
        {
            using var model = new AutoencoderModel(new ModelSettings(new[] { 4, 2 }, seed: 5));
            Train(model);
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 10 }, sink);
            var rows = Rows(20, 3);
            for (int i = 0; i < 10; i++) Add(pipeline, i, rows[i]);

            model.Train(model.Schema!, Rows(100, 4), new TrainingOptions { Epochs = 1, BatchSize = 50 }, continueTraining: true);
            for (int i = 10; i < 20; i++) Add(pipeline, i, rows[i]);
            pipeline.Flush();

            Assert.Equal(Enumerable.Range(0, 20), sink.Rows.Select(r => r.Row));
        }
    }
}
