using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.Guardians;

/// <summary>How long personal data outlives a withdrawal (section <c>Pta:Retention</c>; seed 003 leaves the period to the operator).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Pta:Retention";

    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan WithdrawnGuardian { get; set; } = TimeSpan.FromDays(365);
}
