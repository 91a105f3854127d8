using System.ComponentModel.DataAnnotations;

namespace Pta.Grains.Registration.Inbound;

/// <summary>
/// The IMAP mailbox the MTA delivers blank registration mails into (section <c>Pta:Inbound:Imap</c>).
/// Off by default: a silo only polls when <see cref="Enabled"/> is set, so exactly the silos meant to
/// take registrations do.
/// </summary>
public sealed class ImapOptions : IValidatableObject
{
    public const string Section = "Pta:Inbound:Imap";
    public const int DefaultPort = 143;
    public const int DefaultPollSeconds = 10;
    public const int DefaultMaxPerPoll = 500;
    public const int DefaultMaxMessageBytes = 64 * 1024;

    public bool Enabled { get; set; }

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = DefaultPort;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required]
    public string Mailbox { get; set; } = "INBOX";

    /// <summary>Seconds between polls; after failures the wait grows (bounded) until a poll succeeds.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = DefaultPollSeconds;

    /// <summary>True: STARTTLS is required on the connection. False: plain IMAP (a relay on the same host).</summary>
    public bool UseTls { get; set; }

    /// <summary>Mails taken per poll, oldest first; the rest wait for the next poll.</summary>
    [Range(1, 100_000)]
    public int MaxPerPoll { get; set; } = DefaultMaxPerPoll;

    /// <summary>
    /// A blank mail is a few hundred bytes of headers; anything larger (photos, forwarded threads, spam)
    /// is rejected by its IMAP size alone, without downloading any of it.
    /// </summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>Timeout of each IMAP command; a hung server then costs one poll, not the poller.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new ValidationResult("Pta:Inbound:Imap:Host is required when Enabled.", [nameof(Host)]);
        }

        if (string.IsNullOrEmpty(UserName) || Password is null)
        {
            yield return new ValidationResult("Pta:Inbound:Imap:UserName and Password are required when Enabled.", [nameof(UserName), nameof(Password)]);
        }
    }
}
