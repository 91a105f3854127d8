namespace Pta.Grains.Abstractions;

/// <summary>
/// A broadcast's text as it stands (submitted, or last changed before it sent): what a principal reads in the approval
/// queue before approving an operator's draft. The text staff wrote; no guardian data.
/// </summary>
[GenerateSerializer, Immutable, Alias("pta.broadcast-text")]
public sealed record BroadcastText(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Body,
    [property: Id(2)] BroadcastCategory Category,
    [property: Id(3)] Audience Audience);
