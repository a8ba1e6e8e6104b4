using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AutoencoderPS.Engine.Csv;
using AutoencoderPS.Engine.Features;
using AutoencoderPS.Engine.Scoring;
using AutoencoderPS.Engine.Scoring.Incremental;
using AutoencoderPS.Engine.Tests.Support;
using Xunit;

namespace AutoencoderPS.Engine.Tests
{
    /// <summary>Issue 15, item 15: spreadsheet formulas pass through by default and are neutralised on request, in both CSV writers.</summary>
    [Collection(TorchCollection.Name)]
    public sealed class FormulaNeutralizingTests : IDisposable
    {
        private readonly TorchFixture fixture;
        private readonly TempDirectory temp = new TempDirectory();

        public FormulaNeutralizingTests(TorchFixture fixture) => this.fixture = fixture;

        public void Dispose() => temp.Dispose();

        [Theory]
        [InlineData("=HYPERLINK(\"http://x\")", true)]
        [InlineData("@SUM(A1)", true)]
        [InlineData("+cmd|' /C calc'!A0", true)]
        [InlineData("-2+3", true)]
        [InlineData("\t=1", true)]
        [InlineData("-5", false)]
        [InlineData("+1.5e3", false)]
        [InlineData("web01", false)]
        [InlineData("", false)]
        public void TellsFormulasFromNumbers(string field, bool formula) =>
            Assert.Equal(formula, FormulaGuard.IsFormula(field, CultureInfo.InvariantCulture));

        private string Input()
        {
            string input = temp.File("export.csv");
            var text = new StringBuilder("Id,Note," + string.Join(",", SyntheticData.FeatureNames) + "\n");
            int id = 1;
            foreach (var row in SyntheticData.Normal(5, 8))
                text.Append(id++).Append(",\"=HYPERLINK(\"\"http://evil\"\")\",").Append(string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
            File.WriteAllText(input, text.ToString(), new UTF8Encoding(false));
            return input;
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TheIncrementalOutputNeutralisesOnlyWhenAsked(bool neutralize)
        {
            string output = temp.File($"scored-{neutralize}.csv");
            var options = new IncrementalScoringOptions
            {
                OutputPath = output,
                StatePath = output + ".state.json",
                Csv = new CsvInputOptions { NeutralizeFormulas = neutralize },
            };
            new IncrementalScoringJob(fixture.Reference.Model, options, new NullObserver()).Run(new[] { Input() });
            var notes = CsvSource.Read(output, new CsvInputOptions()).Select(r => { r.TryGetValue("Note", out var v); return (string)v!; }).ToList();
            Assert.Equal(5, notes.Count);
            Assert.All(notes, n => Assert.Equal(neutralize ? "'=HYPERLINK(\"http://evil\")" : "=HYPERLINK(\"http://evil\")", n));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TheScoredFileNeutralisesOnlyWhenAsked(bool neutralize)
        {
            string output = temp.File($"file-{neutralize}.csv");
            var options = new CsvInputOptions { NeutralizeFormulas = neutralize };
            var model = fixture.Reference.Model;
            using (var writer = new ScoredCsvWriter(output, options, 1))
            {
                var records = CsvSource.Read(Input(), options).ToList();
                var rows = records.Select(r =>
                {
                    var f = new double[model.Schema!.Width];
                    model.Schema.Featurize(r, CultureInfo.InvariantCulture, f, MissingValuePolicy.Impute, null);
                    return f;
                }).ToList();
                var scores = model.Score(rows);
                for (int i = 0; i < records.Count; i++) writer.Write(records[i], scores[i], null, model.Schema!);
                writer.Commit();
            }
            var notes = CsvSource.Read(output, new CsvInputOptions()).Select(r => { r.TryGetValue("Note", out var v); return (string)v!; }).ToList();
            Assert.All(notes, n => Assert.Equal(neutralize ? "'=HYPERLINK(\"http://evil\")" : "=HYPERLINK(\"http://evil\")", n));
            var scoresRead = CsvSource.Read(output, new CsvInputOptions()).Select(r => { r.TryGetValue("AnomalyScore", out var v); return (string)v!; });
            Assert.All(scoresRead, s => Assert.True(double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _), s));
        }

        private sealed class NullObserver : IScoringObserver
        {
            public bool StopRequested => false;
            public void Warning(string message) { }
            public void Verbose(string message) { }
            public void RowRejected(FeatureValueException error, CsvRecord record) { }
            public void FileFailed(string file, Exception error) => throw error;
        }
    }
}
