namespace Pta.Grains.Abstractions;

/// <summary>What the registration page shows before the form: the school and the address the blank mail came from.</summary>
[GenerateSerializer, Immutable, Alias("pta.registration-ticket-view")]
public sealed record RegistrationTicketView(
    [property: Id(0)] string SchoolId,
    [property: Id(1)] string SchoolName,
    [property: Id(2)] string SenderAddress,
    [property: Id(3)] DateTimeOffset ExpiresAt,
    [property: Id(4)] bool Used);
