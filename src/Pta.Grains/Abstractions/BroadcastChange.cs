namespace Pta.Grains.Abstractions;

/// <summary>A change to a broadcast that has not started: a new send time and/or new text. Null leaves it as is.</summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-change")]
public sealed record BroadcastChange(
    [property: Id(0)] DateTimeOffset? SendAt,
    [property: Id(1)] string? Subject,
    [property: Id(2)] string? Body,
    [property: Id(3)] bool SendNow = false);

/// <summary>What became of an approval, rejection, change or cancellation; the gateway maps each to an answer.</summary>
public enum LifecycleOutcome
{
    /// <summary>Done: 200 with the broadcast.</summary>
    Done = 0,

    /// <summary>No broadcast under this id: 404.</summary>
    NotFound = 1,

    /// <summary>Not possible in the broadcast's state (e.g. approving one that is sending): 409.</summary>
    WrongState = 2,

    /// <summary>The caller's role may not do this (e.g. an operator approving): 403.</summary>
    NotAllowed = 3,
}

[GenerateSerializer, Immutable, Alias("pta.lifecycle-result")]
public sealed record LifecycleResult(
    [property: Id(0)] LifecycleOutcome Outcome,
    [property: Id(1)] BroadcastView? Broadcast,
    [property: Id(2)] string? Detail = null);
