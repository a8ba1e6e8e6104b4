<#
.SYNOPSIS
    Writes a CSV of generated metrics for benchmarks: a timestamp and N numeric columns driven by a few
    latent factors plus noise, seeded. Sized by rows or by megabytes.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [int] $Columns = 20,
    [long] $Rows = 0,
    [int] $SizeMB = 0,
    [int] $Seed = 1
)
$ErrorActionPreference = 'Stop'
if (-not ('AutoencoderPSBench.CsvGenerator' -as [type])) {
    # Generating a gigabyte row by row in PowerShell takes minutes; a few lines of C# take seconds.
    Add-Type -TypeDefinition @'
using System;
using System.Globalization;
using System.IO;
using System.Text;
namespace AutoencoderPSBench {
    public static class CsvGenerator {
        public static long Write(string path, int columns, long rows, long bytes, int seed) {
            var random = new Random(seed);
            var c = CultureInfo.InvariantCulture;
            var start = new DateTime(2026, 1, 5);
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
            var header = new StringBuilder("timestamp");
            for (int j = 0; j < columns; j++) header.Append(",m").Append(j.ToString(c));
            writer.WriteLine(header);
            var line = new StringBuilder(32 * columns);
            long written = 0;
            for (long i = 0; (rows > 0 && i < rows) || (rows == 0 && writer.BaseStream.Position < bytes); i++) {
                double a = Math.Sin(i / 720.0), b = Math.Cos(i / 97.0);
                line.Clear();
                line.Append(start.AddSeconds(i * 15).ToString("yyyy-MM-dd HH:mm:ss", c));
                for (int j = 0; j < columns; j++) {
                    double v = 50 + 20 * a * ((j % 3) - 1) + 10 * b * ((j % 2) * 2 - 1) + random.NextDouble() * 2;
                    line.Append(',').Append(v.ToString("0.###", c));
                }
                writer.WriteLine(line);
                written++;
            }
            return written;
        }
    }
}
'@
}
$full = [System.IO.Path]::GetFullPath($Path)
$bytes = [long]$SizeMB * 1MB
if ($Rows -le 0 -and $bytes -le 0) { throw 'Give -Rows or -SizeMB.' }
$count = [AutoencoderPSBench.CsvGenerator]::Write($full, $Columns, $Rows, $bytes, $Seed)
[pscustomobject]@{ Path = $full; Rows = $count; Columns = $Columns; SizeMB = [math]::Round((Get-Item $full).Length / 1MB, 1) }
