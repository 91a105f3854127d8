namespace Pta.Gateway.RateLimits;

/// <summary>
/// The anonymous endpoint families that are rate-limited, each with its own limits (<see cref="RateLimitOptions"/>).
/// A family's page and its JSON API share one count: a guardian's phone uses both for one task.
/// </summary>
public enum PublicEndpoint
{
    /// <summary>Not limited: staff (authenticated) routes, health, OpenAPI.</summary>
    None,

    /// <summary><c>/register/{ticketId}</c> and <c>/api/v1/registrations/{ticketId}</c>.</summary>
    Registration,

    /// <summary><c>/me/{token}</c> and <c>/api/v1/me/{token}/…</c>.</summary>
    SelfService,

    /// <summary><c>/c/{token}</c>, the read-confirmation link.</summary>
    Confirmation,

    /// <summary><c>/files/{attachmentId}</c>, attachment downloads.</summary>
    Files,
}
