using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.Delivery;

/// <summary>Where the embedded default writes messages when no SMTP server is configured.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Pta:Outbox";

    [Required]
    public string Directory { get; set; } = ".pta/outbox";
}
