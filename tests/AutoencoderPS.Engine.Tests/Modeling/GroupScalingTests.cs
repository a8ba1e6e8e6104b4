using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Features.Windows;
using AutoencoderPS.Engine.Modeling;
using AutoencoderPS.Engine.Persistence;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests.Modeling
{
    /// <summary>
    /// Scaling per group (-ScalePerGroup, Features.GroupScaling): a fleet of hosts of different scale in one sliding-window
    /// model, as the operations probe's fleet scenarios (.docs/series-probe.md, "A fleet in one model").
    /// </summary>
    [Collection(TorchCollection.Name)]
    public sealed class GroupScalingTests : IDisposable
    {
        private const int Window = 12;
        private const int Hosts = 6;
        private const int Days = 14;
        private static readonly DateTime T0 = new DateTime(2026, 3, 2);
        private readonly TempDirectory temp = new TempDirectory();

        public GroupScalingTests(TorchFixture fixture) => _ = fixture;

        public void Dispose() => temp.Dispose();

        // Host h at its own scale, 0.2 to 1.4 of one daily cycle, its noise scaled alike (10 % to 70 % CPU), hourly rows;
        // `incidentAt`: from that hour on, 3 hours of web01 (the smallest) at +12.5 of its noise, inside the fleet's range.
        private static double Scale(int host) => 0.2 + 1.2 * host / (Hosts - 1);

        private static (List<double[]> Rows, List<WindowKey> Keys) Fleet(int firstHour, int hours, int seed, int? incidentAt = null,
            IEnumerable<string>? extraGroups = null, int extraHours = 0)
        {
            var random = new Random(seed);
            var rows = new List<double[]>();
            var keys = new List<WindowKey>();
            for (int i = firstHour; i < firstHour + hours; i++)
                for (int h = 0; h < Hosts; h++)
                {
                    double noise = 2 * Gaussian(random);
                    double value = Scale(h) * (40 + 15 * Math.Sin(2 * Math.PI * i / 24) + noise);
                    if (h == 0 && incidentAt is int at && i >= at && i < at + 3) value += Scale(h) * 25;
                    rows.Add(new[] { value });
                    keys.Add(new WindowKey($"web{h + 1:00}", T0.AddHours(i)));
                }
            foreach (var group in extraGroups ?? Array.Empty<string>())
                for (int i = firstHour; i < firstHour + extraHours; i++)
                {
                    rows.Add(new[] { 30 + 15 * Math.Sin(2 * Math.PI * i / 24) + 2 * Gaussian(random) });
                    keys.Add(new WindowKey(group, T0.AddHours(i)));
                }
            return (rows, keys);
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        private static AutoencoderModel Trained(bool perGroup, out List<double[]> rows, out WindowPlan plan, IEnumerable<string>? extraGroups = null, int extraHours = 0)
        {
            var schema = new FeatureSchema(new[] { "cpu" });
            var settings = new ModelSettings(new[] { 16, 4 }, ActivationKind.Relu, OutputActivationKind.Sigmoid,
                seed: 3, windowSize: Window, timeProperty: "Time", groupBy: "Host", scalePerGroup: perGroup);
            var model = new AutoencoderModel(settings);
            List<WindowKey> keys;
            (rows, keys) = Fleet(0, Days * 24, 1, extraGroups: extraGroups, extraHours: extraHours);
            plan = SlidingWindow.Plan(Window, keys, null);
            model.Train(schema, rows, new TrainingOptions { Epochs = 40, BatchSize = 64, LearningRate = 3e-3 }, windows: plan);
            return model;
        }

        // The windows of the scored days (after training's), with their groups.
        private static (List<double[]> Windows, List<string> Groups, List<int> Hours) Scored(int? incidentAt)
        {
            var (rows, keys) = Fleet(Days * 24, 3 * 24, 2, incidentAt);
            var plan = SlidingWindow.Plan(Window, keys, null);
            var windows = plan.Windows.Select(w => w.SelectMany(i => rows[i]).ToArray()).ToList();
            var hours = plan.Windows.Select(w => (int)(keys[w[^1]].Time!.Value - T0).TotalHours).ToList();
            return (windows, plan.WindowGroups.ToList(), hours);
        }

        [Fact]
        public void ASmallHostsIncidentInsideTheFleetsRangeIsAboveTheThresholdOnlyWhenScaledPerGroup()
        {
            int incident = Days * 24 + 36;
            var (windows, groups, hours) = Scored(incident);
            var incidentWindows = Enumerable.Range(0, windows.Count).Where(k => groups[k] == "web01" && hours[k] >= incident && hours[k] < incident + 3).ToList();
            Assert.Equal(3, incidentWindows.Count);
            // The incident's values stay within the fleet's range of levels: web01 at its highest is below web06's median.
            Assert.True(incidentWindows.Max(k => windows[k][^1]) < 40);

            double Highest(AutoencoderModel model)
            {
                var scores = model.ScoreWindows(windows, groups: groups);
                return incidentWindows.Max(k => scores[k].Score / model.Threshold);
            }

            using var fleetWide = Trained(perGroup: false, out _, out _);
            using var perGroup = Trained(perGroup: true, out _, out _);
            Assert.Null(fleetWide.GroupScaling);
            Assert.Equal(Hosts, perGroup.GroupScaling!.Groups.Count);
            // In the fleet's units the incident is smaller than the largest hosts' noise, which sets the threshold.
            Assert.True(Highest(fleetWide) < 1, $"fleet-wide: {Highest(fleetWide):G3} of the threshold");
            Assert.True(Highest(perGroup) > 1, $"per group: {Highest(perGroup):G3} of the threshold");

            // Without the incident, the same days page no more per group than fleet-wide (a few windows, not web01's every hour).
            var (quiet, quietGroups, _) = Scored(null);
            int Above(AutoencoderModel model) => model.ScoreWindows(quiet, groups: quietGroups).Count(s => s.IsAnomaly);
            Assert.True(Above(perGroup) <= Math.Max(3, Above(fleetWide)), $"per group {Above(perGroup)}, fleet-wide {Above(fleetWide)} of {quiet.Count}");
        }

        [Fact]
        public void TheExplanationShowsTheHostsOwnUnits()
        {
            int incident = Days * 24 + 36;
            var (windows, groups, hours) = Scored(incident);
            using var model = Trained(perGroup: true, out _, out _);
            var scores = model.ScoreWindows(windows, groups: groups);
            // web01's expected value lies near its own level (8 +- 3), web06's near its own (56 +- 21): values in the data's units.
            int small = Enumerable.Range(0, windows.Count).First(k => groups[k] == "web01" && hours[k] == incident + 1);
            int large = Enumerable.Range(0, windows.Count).First(k => groups[k] == "web06" && hours[k] == incident + 1);
            Assert.InRange(scores[small].Reconstruction[^1], 0, 16);
            Assert.InRange(scores[large].Reconstruction[^1], 25, 85);
            Assert.InRange(scores[small].Reconstruction[^1], windows[small][^1] - 5.5 - 4, windows[small][^1] - 5.5 + 4);
        }

        [Fact]
        public void TheScalingPerGroupGoesThroughTheModelFileBitForBit()
        {
            using var model = Trained(perGroup: true, out _, out _);
            string path = Path.Combine(temp.Path, "fleet.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);
            Assert.True(loaded.Settings.ScalePerGroup);
            Assert.Equal(model.GroupScaling!.Groups.Keys.OrderBy(g => g), loaded.GroupScaling!.Groups.Keys.OrderBy(g => g));
            foreach (var (group, scaler) in model.GroupScaling.Groups)
            {
                Assert.Equal(scaler.Offset, loaded.GroupScaling.Groups[group].Offset);
                Assert.Equal(scaler.Scale, loaded.GroupScaling.Groups[group].Scale);
                Assert.Equal(scaler.High(0), loaded.GroupScaling.Groups[group].High(0));
            }
            var (windows, groups, _) = Scored(Days * 24 + 36);
            Assert.Equal(model.ScoreWindows(windows, groups: groups).Select(s => s.Score), loaded.ScoreWindows(windows, groups: groups).Select(s => s.Score));
            Assert.Equal(model.Threshold, loaded.Threshold);
            Assert.Equal(ModelFile.GroupScaledFormatVersion, ModelFileLayout.Parse(File.ReadAllBytes(path)).Version);
            // Recalibration on the training rows scales them per group as training did: the training errors again.
            var (rows, keys) = Fleet(0, Days * 24, 1);
            Assert.Equal(model.TrainingErrors, loaded.ScoresOfNormalRows(rows, keys).OrderBy(s => s).ToArray());
        }

        [Fact]
        public void OnlyAModelScaledPerGroupIsWrittenAsVersion10AndAFleetWideOneAsTheVersion9ItNeeds()
        {
            // The lowest version that holds the model: a module that reads up to 9 still reads every fleet-wide model.
            using var fleetWide = Trained(perGroup: false, out _, out _);
            using var perGroup = Trained(perGroup: true, out _, out _);
            string fleetPath = Path.Combine(temp.Path, "fleet-wide.aemodel"), groupPath = Path.Combine(temp.Path, "per-group.aemodel");
            ModelFile.Save(fleetWide, fleetPath);
            ModelFile.Save(perGroup, groupPath);
            var fleetLayout = ModelFileLayout.Parse(File.ReadAllBytes(fleetPath));
            Assert.Equal(9, fleetLayout.Version);
            Assert.Equal(9, (int)fleetLayout.MetadataJson["FormatVersion"]!);
            Assert.DoesNotContain("ScalePerGroup", fleetLayout.MetadataText);
            Assert.Equal(10, ModelFileLayout.Parse(File.ReadAllBytes(groupPath)).Version);
            using var back = ModelFile.Load(fleetPath);
            Assert.Null(back.GroupScaling);
        }

        [Fact]
        public void AFileThatScalesPerGroupIsNotReadAsScaledFleetWide()
        {
            // An older reader (format 9) refuses a per-group file by its version; this reader refuses its fields without the setting.
            using var model = Trained(perGroup: true, out _, out _);
            string path = Path.Combine(temp.Path, "fleet.aemodel");
            ModelFile.Save(model, path);
            Assert.True(ModelFile.FormatVersion >= 10);
            var layout = ModelFileLayout.Parse(File.ReadAllBytes(path));
            var metadata = layout.MetadataJson;
            Assert.True(metadata.Remove("ScalePerGroup"));
            layout.MetadataJson = metadata;
            var e = Assert.Throws<ModelFileException>(() => ModelFile.Deserialize(layout.Pack(), path));
            Assert.Equal(ErrorIds.ModelFileCorrupt, e.ErrorId);
        }

        [Fact]
        public void AGroupUnseenOrWithTooFewRowsIsScaledFleetWide()
        {
            using var model = Trained(perGroup: true, out _, out _, extraGroups: new[] { "db01" }, extraHours: GroupScaling.MinRows - 1);
            Assert.False(model.GroupScaling!.Has("db01"));
            Assert.True(model.GroupScaling.Has("web01"));
            var (windows, groups, _) = Scored(null);
            var window = windows[groups.IndexOf("web03")];
            var asUnseen = model.ScoreWindows(new[] { window }, groups: new[] { "new01" })[0].Score;
            var asFleet = model.ScoreWindows(new[] { window })[0].Score;
            var asOwn = model.ScoreWindows(new[] { window }, groups: new[] { "web03" })[0].Score;
            Assert.Equal(asFleet, asUnseen);
            Assert.NotEqual(asOwn, asUnseen);
            Assert.Equal(new[] { "new01", "db01" }, model.GroupsScaledFleetWide(new[] { "web03", "new01", "db01", "new01" }));
        }

        [Fact]
        public void AnIncrementalRunKeepsTheGroupsScalingAndGivesANewGroupItsOwn()
        {
            using var model = Trained(perGroup: true, out _, out _);
            var before = model.GroupScaling!.Groups.ToDictionary(g => g.Key, g => (Offset: g.Value.Offset.ToArray(), Scale: g.Value.Scale.ToArray()));
            var (rows, keys) = Fleet(Days * 24, 3 * 24, 3, extraGroups: new[] { "db01" }, extraHours: 3 * 24);
            var plan = SlidingWindow.Plan(Window, keys, null, model.GroupIntervals, model.UsualInterval);
            model.Train(model.Schema!, rows, new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 3e-3 }, continueTraining: true, windows: plan);
            Assert.True(model.GroupScaling!.Has("db01"));
            foreach (var (group, scaling) in before)
            {
                Assert.Equal(scaling.Offset, model.GroupScaling.Groups[group].Offset);
                Assert.Equal(scaling.Scale, model.GroupScaling.Groups[group].Scale);
            }
            Assert.Same(model.Scaler, model.GroupScaling.Fleet);
        }

        [Fact]
        public void AWindowModelWithGroupsScalesPerGroupByDefault()
        {
            // A host's verdict should not depend on which hosts share its model (.docs/series-probe.md, "A fleet's pages at
            // the same minutes"): with groups, each in its own units unless asked otherwise; without, nothing to scale by.
            Assert.True(ModelSettings.ScalesPerGroupByDefault(windowSize: 24, groupBy: "host"));
            Assert.False(ModelSettings.ScalesPerGroupByDefault(windowSize: 24, groupBy: null));
            Assert.False(ModelSettings.ScalesPerGroupByDefault(windowSize: 24, groupBy: " "));
            Assert.False(ModelSettings.ScalesPerGroupByDefault(windowSize: 1, groupBy: "host"));
        }

        [Fact]
        public void ScalingPerGroupNeedsAGroup()
        {
            Assert.Equal(ErrorIds.ScalePerGroupNeedsGroup, Assert.Throws<AutoencoderException>(() => new ModelSettings(windowSize: 4, timeProperty: "Time", scalePerGroup: true)).ErrorId);
            Assert.Equal(ErrorIds.ScalePerGroupNeedsGroup, Assert.Throws<AutoencoderException>(() => new ModelSettings(scalePerGroup: true)).ErrorId);
        }

        [Fact]
        public void AModelScaledPerGroupLearnsEachWindowInItsGroupsUnitsAndTheFileKeepsTheGroupsWaiting()
        {
            // web01's windows whose newest value (20) is above anything web01 trained on (at most about 12) but within the
            // fleet's range (web06 up to about 85): learned in web01's units, web01's range widens and no other.
            var (windows, groups, _) = Scored(null);
            var web01 = Enumerable.Range(0, windows.Count).Where(k => groups[k] == "web01").Take(4).Select(k =>
            {
                var w = (double[])windows[k].Clone();
                w[^1] = 20;
                return w;
            }).ToList();
            using var model = Trained(perGroup: true, out _, out _);
            double before01 = model.GroupScaling!.Groups["web01"].High(0)!.Value, before06 = model.GroupScaling.Groups["web06"].High(0)!.Value;
            double fleetBefore = model.Scaler!.High(0)!.Value;
            Assert.True(before01 < 20 && fleetBefore > 20, $"web01 up to {before01}, the fleet up to {fleetBefore}");
            model.LearnEvery = 4;
            Assert.False(model.LearnFrom(web01[0], null, "web01"));
            Assert.False(model.LearnFrom(web01[1], null, "web01"));
            // Two windows waiting go through the model file with their group.
            string path = Path.Combine(temp.Path, "learning.aemodel");
            ModelFile.Save(model, path);
            using var loaded = ModelFile.Load(path);
            foreach (var m in new[] { model, loaded })
            {
                Assert.Equal(2, m.LearningPending);
                Assert.False(m.LearnFrom(web01[2], null, "web01"));
                Assert.True(m.LearnFrom(web01[3], null, "web01"));
                Assert.Equal(20, m.GroupScaling!.Groups["web01"].High(0));
                Assert.Equal(before06, m.GroupScaling.Groups["web06"].High(0));
                Assert.Equal(fleetBefore, m.Scaler!.High(0));
                Assert.Same(m.Scaler, m.GroupScaling.Fleet);
            }
            // The same step from the same windows, saved or not.
            Assert.Equal(model.ScoreWindows(windows, groups: groups).Select(s => s.Score), loaded.ScoreWindows(windows, groups: groups).Select(s => s.Score));
        }

        [Fact]
        public void AGroupsScalingIsTheFleetsFitOnItsRows()
        {
            var rows = Enumerable.Range(0, 100).Select(i => new[] { (double)i, 5.0 }).Concat(Enumerable.Range(0, 100).Select(i => new[] { 10.0 * i, 5.0 })).ToList();
            var groups = Enumerable.Repeat("a", 100).Concat(Enumerable.Repeat("b", 100)).ToArray();
            var kinds = new[] { SlotKind.Numeric, SlotKind.Numeric };
            var fleet = FeatureScaler.Fit(rows, kinds, ScalingMethod.RobustSigmoid);
            var scaling = GroupScaling.Fit(fleet, rows, groups, kinds);
            var b = FeatureScaler.Fit(rows.Skip(100).ToList(), kinds, ScalingMethod.RobustSigmoid);
            Assert.Equal(b.Offset, scaling.For("b").Offset);
            Assert.Equal(b.Scale[0], scaling.For("b").Scale[0]);
            // Constant within the group: the fleet's scale around the group's centre, not 1 in the data's units.
            Assert.Equal(fleet.Scale[1], scaling.For("b").Scale[1]);
            Assert.Same(fleet, scaling.For("c"));
        }
    }
}
