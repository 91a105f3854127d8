namespace Pta.Grains.Registration;

/// <summary>Persisted state of a registration ticket grain.</summary>
[GenerateSerializer, Alias("pta.registration-ticket-state")]
public sealed class RegistrationTicketState
{
    [Id(0)] public string SchoolId { get; set; } = "";

    [Id(1)] public string SenderAddress { get; set; } = "";

    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(3)] public DateTimeOffset? UsedAt { get; set; }

    [Id(4)] public string? GuardianId { get; set; }

    [Id(5)] public string? ChildId { get; set; }

    /// <summary>Wrong auth codes tried with this link; past the limit the link is dead (no guessing codes).</summary>
    [Id(6)] public int WrongCodes { get; set; }
}
