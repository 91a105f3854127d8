using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.Registration;

/// <summary>
/// Links mailed to guardians (section <c>Pta:Links</c>). The signing key must be the same on every silo and
/// gateway of a cluster; the embedded default makes one up at start (its links die with the process).
/// </summary>
public sealed class GuardianLinkOptions
{
    public const string Section = "Pta:Links";

    /// <summary>Base64 of at least 32 random bytes.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Where guardians reach the gateway.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How long a registration link from a blank-mail reply works.</summary>
    public TimeSpan RegistrationLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a self-service link works; every completion mail carries a fresh one.</summary>
    public TimeSpan ManageLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a read-confirmation link (受信確認) works, counted from when its shard started sending (retries of a
    /// deferred recipient carry the same link); a scheduled broadcast's links thus live as long as any other's.
    /// </summary>
    public TimeSpan ConfirmationLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The privacy policy version a registration consents to.</summary>
    [Required]
    public string PolicyVersion { get; set; } = "2026-11";
}
