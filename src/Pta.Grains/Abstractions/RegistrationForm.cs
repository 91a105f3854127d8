namespace Pta.Grains.Abstractions;

/// <summary>
/// A guardian's registration form, validated by the gateway: the school's auth code, the child as the
/// school knows it, the guardian's name and addresses (slot order), and the consent given.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.registration-form")]
public sealed record RegistrationForm(
    [property: Id(0)] string AuthCode,
    [property: Id(1)] string ChildName,
    [property: Id(2)] int Grade,
    [property: Id(3)] string Class,
    [property: Id(4)] string GuardianName,
    [property: Id(5)] IReadOnlyList<string> Addresses,
    [property: Id(6)] string PolicyVersion,
    [property: Id(7)] string IpAddress);

/// <summary>What became of a registration form.</summary>
public enum RegistrationOutcome
{
    Registered = 0,
    UnknownOrExpiredLink = 1,
    LinkAlreadyUsed = 2,
    WrongAuthCode = 3,
    TooManyGuardians = 4,
}

/// <summary>The outcome and, when registered, the guardian and the child.</summary>
[GenerateSerializer, Immutable, Alias("pta.registration-result")]
public sealed record RegistrationResult(
    [property: Id(0)] RegistrationOutcome Outcome,
    [property: Id(1)] string? GuardianId,
    [property: Id(2)] string? ChildId);
