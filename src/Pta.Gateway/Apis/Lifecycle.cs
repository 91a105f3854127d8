using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>
/// The lifecycle part of a broadcast request (confirmation, send time, follow-ups), as it joins the request's
/// fingerprint and the submission. Requests without any keep the fingerprint they always had.
/// </summary>
internal sealed record Lifecycle(bool RequireConfirmation, DateTimeOffset? SendAt, IReadOnlyList<int> FollowUpMinutes)
{
    public bool IsDefault => !RequireConfirmation && SendAt is null && FollowUpMinutes.Count == 0;

    public static Lifecycle Of(BroadcastRequest request) =>
        new(request.RequireConfirmation == true, request.SendAt?.ToUniversalTime(), request.FollowUpMinutes ?? []);

    public static Lifecycle Of(BoardBroadcastRequest request) =>
        new(request.RequireConfirmation == true, request.SendAt?.ToUniversalTime(), request.FollowUpMinutes ?? []);
}

internal static class LifecycleSubmission
{
    public static BroadcastSubmission WithLifecycle(this BroadcastSubmission submission, Lifecycle lifecycle) =>
        submission with
        {
            RequestsConfirmation = lifecycle.RequireConfirmation,
            SendAt = lifecycle.SendAt,
            FollowUpDelays = lifecycle.FollowUpMinutes.Count == 0 ? null : [.. lifecycle.FollowUpMinutes.Select(m => TimeSpan.FromMinutes(m))],
        };
}
