namespace Pta.Grains.Audit;

/// <summary>
/// One line of the audit trail: who (a credential key id, or <c>system</c>), did what, to which subject.
/// Never holds personal data itself: subjects are ids, details are counts and reasons. <see cref="Origin"/> is where the
/// request came from (the client address the gateway saw), when there was a request.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject, string? Detail, string? Origin = null);
