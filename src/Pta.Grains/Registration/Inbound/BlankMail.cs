namespace Pta.Grains.Registration.Inbound;

/// <summary>
/// One 空メール (blank registration mail) as taken from the registration mailbox: who sent it, to which
/// registration address (that address names the school), and its Message-ID, by which the handler
/// recognises a mail it has already answered (delivery from the mailbox is at-least-once).
/// </summary>
/// <param name="SenderAddress">The guardian's address: the From mailbox, else Return-Path, else Sender.</param>
/// <param name="RecipientAddress">
/// The registration address it was sent to: Delivered-To, else X-Original-To, else the first To address;
/// empty when the mail carries none of them.
/// </param>
/// <param name="MessageId">The Message-ID without angle brackets, if the mail has one.</param>
/// <param name="ReceivedAt">When the mailbox received it (the IMAP INTERNALDATE).</param>
public sealed record BlankMail(string SenderAddress, string RecipientAddress, string? MessageId, DateTimeOffset ReceivedAt);
