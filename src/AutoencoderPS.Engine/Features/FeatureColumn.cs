using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoencoderPS.Engine.Features
{
    /// <summary>What an input column is to the model.</summary>
    public enum ColumnRole
    {
        /// <summary>A number: one input of the network.</summary>
        Numeric,
        /// <summary>A few distinct strings (host, status, level): one-hot encoded, plus an "other" slot for unseen values.</summary>
        Categorical,
        /// <summary>A date and time: hour-of-day and day-of-week, each as a point on a circle (sine and cosine).</summary>
        Timestamp,
    }

    /// <summary>How a network input (slot) is scaled.</summary>
    public enum SlotKind
    {
        /// <summary>A number, scaled by the chosen scaling method.</summary>
        Numeric,
        /// <summary>A 0/1 indicator, used as it is.</summary>
        OneHot,
        /// <summary>A sine or cosine in [-1, 1], mapped to [0, 1].</summary>
        Cyclic,
    }

    /// <summary>One feature column: its role and what training learned about it.</summary>
    public sealed class FeatureColumn
    {
        /// <summary>The label of the extra categorical slot that stands for values not seen in training.</summary>
        public const string OtherCategory = "(other)";

        public FeatureColumn(
            string name,
            ColumnRole role = ColumnRole.Numeric,
            IEnumerable<string>? categories = null,
            double? median = null,
            string? mode = null,
            ColumnStatistics? statistics = null,
            bool counter = false)
        {
            if (counter && role != ColumnRole.Numeric) throw new ArgumentException("Only a numeric column can be a counter.", nameof(counter));
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A feature needs a name.", nameof(name));
            Name = name;
            Role = role;
            Categories = categories?.ToArray() ?? Array.Empty<string>();
            Median = median;
            Mode = mode;
            Statistics = statistics;
            IsCounter = counter;
        }

        public string Name { get; }
        public ColumnRole Role { get; }

        /// <summary>Categories seen in training (categorical columns only), in slot order.</summary>
        public IReadOnlyList<string> Categories { get; }

        /// <summary>Training median of a numeric column: the value imputed for a missing one.</summary>
        public double? Median { get; }

        /// <summary>Most frequent training category: the value imputed for a missing one.</summary>
        public string? Mode { get; }

        public ColumnStatistics? Statistics { get; }

        /// <summary>
        /// A cumulative counter (bytes sent, requests served) of a sliding-window model: the network sees its increase
        /// per second since the group's previous row (<see cref="Windows.CounterRates"/>), never its level; its median and
        /// statistics are those of the rates.
        /// </summary>
        public bool IsCounter { get; }

        /// <summary>How many network inputs the column takes.</summary>
        public int Width => Role switch
        {
            ColumnRole.Categorical => Categories.Count + 1,
            ColumnRole.Timestamp => 4,
            _ => 1,
        };

        /// <summary>True once training has supplied what featurizing needs (categories for a categorical column).</summary>
        public bool IsFitted => Role != ColumnRole.Categorical || Categories.Count > 0;

        public IEnumerable<string> SlotNames()
        {
            switch (Role)
            {
                case ColumnRole.Categorical:
                    foreach (var category in Categories) yield return $"{Name}={category}";
                    yield return $"{Name}={OtherCategory}";
                    break;
                case ColumnRole.Timestamp:
                    yield return $"{Name}.HourSin";
                    yield return $"{Name}.HourCos";
                    yield return $"{Name}.DaySin";
                    yield return $"{Name}.DayCos";
                    break;
                default:
                    yield return Name;
                    break;
            }
        }

        public IEnumerable<SlotKind> SlotKinds() => Role switch
        {
            ColumnRole.Categorical => Enumerable.Repeat(SlotKind.OneHot, Width),
            ColumnRole.Timestamp => Enumerable.Repeat(SlotKind.Cyclic, Width),
            _ => new[] { SlotKind.Numeric },
        };

        public override string ToString() => IsCounter ? $"{Name} (rate)" : Role == ColumnRole.Numeric ? Name : $"{Name} ({Role})";
    }

    /// <summary>Training statistics of one column, shown on the model.</summary>
    public sealed class ColumnStatistics
    {
        public int Count { get; init; }
        public int Missing { get; init; }
        public double? Min { get; init; }
        public double? Max { get; init; }
        public double? Mean { get; init; }
        public double? StandardDeviation { get; init; }
        public int? Distinct { get; init; }
        public DateTime? First { get; init; }
        public DateTime? Last { get; init; }
    }

    /// <summary>An input column the model does not read, and why.</summary>
    public sealed class IgnoredColumn
    {
        public IgnoredColumn(string name, string reason, bool unreadNumbers = false, bool holdsTimes = false)
        {
            Name = name;
            Reason = reason;
            UnreadNumbers = unreadNumbers;
            HoldsTimes = holdsTimes;
        }

        public string Name { get; }
        public string Reason { get; }

        /// <summary>
        /// True when the column holds numbers written in a form the culture does not read (a decimal comma in the
        /// invariant culture, thousands separators): left out, but not because it is no measurement. Not kept in a model file.
        /// </summary>
        public bool UnreadNumbers { get; }

        /// <summary>
        /// True when the roles read the column as the rows' times (timestamps, epoch numbers) and left it out as such
        /// (<see cref="FeatureSchema.TimeColumns"/>). Not kept in a model file.
        /// </summary>
        public bool HoldsTimes { get; }

        /// <summary>The column's name (as a string, $model.IgnoredColumns -join ', ' lists the names).</summary>
        public override string ToString() => Name;
    }
}
