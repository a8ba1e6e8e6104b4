using System;
using System.Diagnostics;
using System.Globalization;
using nietras.SeparatedValues;

// What any file-to-file scorer must at least do, done by a fast CSV library on one thread: read every record, parse
// every field that is a number, and write the record back with each number formatted again (the text fields as they
// were). No model. Prints the seconds of the pass (the process's start-up aside) and the rows.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SepFloor <input.csv> <output.csv>");
    return 2;
}
var clock = Stopwatch.StartNew();
long rows = 0;
using (var reader = Sep.Reader().FromFile(args[0]))
using (var writer = reader.Spec.Writer().ToFile(args[1]))
{
    var names = reader.Header.ColNames;
    foreach (var row in reader)
    {
        using var output = writer.NewRow();
        for (int i = 0; i < names.Count; i++)
        {
            var field = row[i];
            if (field.TryParse<double>() is double value) output[names[i]].Format(value);
            else output[names[i]].Set(field.Span);
        }
        rows++;
    }
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds} {rows}"));
return 0;
