namespace Pta.Grains.Confirmation;

/// <summary>
/// What an opened confirmation link says, once checked: <see cref="BroadcastId"/> is the broadcast it confirms (for a
/// follow-up's mail, the original broadcast), <see cref="RecipientKey"/> the address slot it was sent to. Both are
/// null unless <see cref="Status"/> is <see cref="ConfirmationLinkStatus.Valid"/>.
/// </summary>
public readonly record struct ConfirmationClaim(ConfirmationLinkStatus Status, string? BroadcastId = null, string? RecipientKey = null);
