using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>
    /// -TimeFeatures on a sliding-window model: the hour and day of its time property (FeatureSchema.WindowTime), kept in
    /// the model file as a Timestamp feature named as the time property.
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class WindowCalendarTests : IDisposable
    {
        private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
        // A Monday.
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);
        private readonly TempDirectory temp = new TempDirectory();

        public WindowCalendarTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        // Hourly rows of two hosts, a daily cycle at half its level on weekends.
        private static List<TestRecord> Rows(int firstHour, int hours, int seed)
        {
            var random = new Random(seed);
            var rows = new List<TestRecord>();
            for (int h = firstHour; h < firstHour + hours; h++)
            {
                var time = T0.AddHours(h);
                double level = time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.5 : 1;
                foreach (var host in new[] { "a", "b" })
                    rows.Add(new TestRecord(("Time", time.ToString("s", Invariant)), ("Host", host),
                        ("cpu", level * (50 + 20 * Math.Sin(2 * Math.PI * h / 24)) + random.NextDouble())));
            }
            return rows;
        }

        private static ModelSettings Settings(bool timeFeatures) => new ModelSettings(new[] { 8, 3 }, ActivationKind.Tanh, OutputActivationKind.Sigmoid,
            seed: 3, timeFeatures: timeFeatures, windowSize: 3, timeProperty: "Time", groupBy: "Host");

        private static AutoencoderModel Trained() =>
            WindowedTraining.Train(Settings(timeFeatures: true), Rows(0, 14 * 24, 1),
                new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("Time", ColumnRole.Timestamp) }, windowTime: "Time"),
                new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e-2 });

        private static (RecordingSink<int> Sink, List<string?> Errors) Score(AutoencoderModel model, IReadOnlyList<TestRecord> records)
        {
            var sink = new RecordingSink<int>();
            var pipeline = new ScoringPipeline<int>(model, new ScoringOptions { BatchSize = 16 }, sink);
            var errors = records.Select((r, i) => pipeline.Add(r, i, Invariant, MissingValuePolicy.Impute)?.ErrorId).ToList();
            pipeline.Flush();
            return (sink, errors);
        }

        [Fact]
        public void TheCalendarOfTheTimePropertyIsKeptInTheModelFileAndScoresTheSame()
        {
            using var model = Trained();
            Assert.Equal(3 * (1 + 4), model.Architecture!.InputSize);
            string path = temp.File("calendar.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);

            Assert.Equal("Time", loaded.Schema!.WindowTime);
            Assert.True(loaded.Schema.IsWindowTime(1));
            var rows = Rows(14 * 24, 48, 2);
            var (before, errors) = Score(model, rows);
            var (after, _) = Score(loaded, rows);
            Assert.All(errors, Assert.Null);
            Assert.Equal(before.Rows.Select(r => r.Score?.Score), after.Rows.Select(r => r.Score?.Score));
            Assert.True(after.Rows.Count(r => r.Score != null) > 80);
            // No new field: a reader before it reads the feature 'Time' by its name, the same value encoded alike.
            var metadata = ModelFileLayout.Parse(File.ReadAllBytes(path)).MetadataJson;
            var time = ModelFileLayout.FeaturesOf(metadata).Single(f => (string)f!["Name"]! == "Time")!.AsObject();
            Assert.Equal("Timestamp", (string)time["Role"]!);
            Assert.Equal(ModelFile.FleetWideFormatVersion, ModelFileLayout.Parse(File.ReadAllBytes(path)).Version);
        }

        [Fact]
        public void AMissingOrUnreadableTimeIsTheWindowKeysErrorOnly()
        {
            using var model = Trained();
            var rows = Rows(14 * 24, 6, 2);
            rows[4] = new TestRecord(("Time", ""), ("Host", "a"), ("cpu", 50.0));
            rows[5] = new TestRecord(("Time", "yesterday noon"), ("Host", "b"), ("cpu", 50.0));
            var (_, errors) = Score(model, rows);
            Assert.Equal(new string?[] { null, null, null, null, "TimeValueMissing", "TimeValueInvalid", null, null, null, null, null, null }, errors);
        }

        [Fact]
        public void TheCalendarTellsAWeekendFromAWeekday()
        {
            // Saturday's half level at Saturday's hours is normal with the calendar; the same values on a Tuesday are not.
            // Without it, the model can't tell them apart (a weekly series paged every Saturday, .docs/series-probe.md).
            using var model = WindowedTraining.Train(Settings(timeFeatures: true), Rows(0, 21 * 24, 1),
                new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("Time", ColumnRole.Timestamp) }, windowTime: "Time"),
                new TrainingOptions { Epochs = 30, BatchSize = 32, LearningRate = 1e-2 });
            var saturday = Rows(26 * 24, 24, 5);
            // The same rows dated the Tuesday before.
            static object? Value(TestRecord r, string name) => r.TryGetValue(name, out var v) ? v : null;
            var tuesday = saturday.Select(r => new TestRecord(("Time", DateTime.Parse((string)Value(r, "Time")!, Invariant).AddDays(-4).ToString("s", Invariant)),
                ("Host", Value(r, "Host")), ("cpu", Value(r, "cpu")))).ToList();
            double Mean(List<TestRecord> rows) => Score(model, rows).Sink.Rows.Where(s => s.Score != null).Average(s => s.Score!.Score);
            Assert.True(Mean(tuesday) > 2 * Mean(saturday), $"Tuesday {Mean(tuesday)}, Saturday {Mean(saturday)}");
        }

        [Fact]
        public void NoScoreNamesTheCalendarAsWhatDiffers()
        {
            // "Time (t-2) Tue 00:05 (expected Tue 00:07)" reads as if the row's time were wrong: the calendar is context,
            // never the top feature nor in an explanation, though its error counts in the score and the shares.
            using var model = Trained();
            var (sink, _) = Score(model, Rows(14 * 24, 48, 2));
            var scores = sink.Rows.Where(r => r.Score != null).Select(r => r.Score!).ToList();
            static bool IsTime(string name) => name.StartsWith("Time", StringComparison.Ordinal);
            // In some windows the calendar's error is the largest (what was named before).
            Assert.Contains(scores, s => Enumerable.Range(0, s.ColumnErrors.Count).OrderByDescending(c => s.ColumnErrors[c]).Select(s.NameOf).First() is var n && IsTime(n));
            Assert.All(scores, s => Assert.False(IsTime(s.NameOf(s.TopFeature))));
            Assert.All(scores, s => Assert.DoesNotContain("Time", s.Explain(20, Invariant), StringComparison.Ordinal));
            Assert.All(scores, s => Assert.DoesNotContain(s.TopContributions(20), c => IsTime(c.Feature)));
            Assert.All(scores, s => Assert.Equal(1.0, s.Shares.Sum(), 6));
        }

        [Fact]
        public void AFileWithAKeyAsAnyOtherFeatureIsRefused()
        {
            using var model = Trained();
            var content = ModelFile.Serialize(model);
            foreach (var forge in new Action<System.Text.Json.Nodes.JsonObject>[]
            {
                m => m["TimeFeatures"] = false,                                                            // a calendar without -TimeFeatures
                m => ModelFileLayout.FeaturesOf(m)[1]!["Role"] = "Numeric",                                              // the time as anything but a calendar
                m => ModelFileLayout.FeaturesOf(m)[0]!["Name"] = "Host",                                   // the group as a feature
            })
            {
                var layout = ModelFileLayout.Parse(content);
                var metadata = layout.MetadataJson;
                forge(metadata);
                layout.MetadataJson = metadata;
                string path = temp.File($"forged{Guid.NewGuid():N}.aemodel");
                File.WriteAllBytes(path, layout.Pack());
                var e = Assert.Throws<ModelFileException>(() => ModelFile.Load(path));
                Assert.Contains("is a key of the sliding window", e.Message);
            }
        }

        [Fact]
        public void OnlyTheTimePropertyAndItsStepsAreTheCalendarNotAnotherTimestampWhoseNameBeginsLikeAStep()
        {
            // "Time (TZ)": another clock's times (not a copy of Time), a timestamp feature of its own, named in explanations.
            var rows = new FeatureSchema(new[] { new FeatureColumn("cpu"), new FeatureColumn("Time (TZ)", ColumnRole.Timestamp),
                new FeatureColumn("Time", ColumnRole.Timestamp) }, windowTime: "Time");
            Assert.Equal(new[] { false, false, true }, Enumerable.Range(0, rows.Count).Select(rows.IsCalendar));
            var window = SlidingWindow.WindowSchema(rows, 2);
            Assert.Equal(new[] { "Time (t-1)", "Time (t)" }, Enumerable.Range(0, window.Count).Where(window.IsCalendar).Select(c => window.Columns[c].Name));
        }
    }
}
