using System.Collections.Concurrent;
using MimeKit;
using Pta.Grains.Delivery;

namespace Pta.Grains.Tests;

/// <summary>
/// A transport that keeps what it was given, written out as the wire would carry it, and can be told
/// to defer chosen addresses a number of times first (to exercise retries).
/// </summary>
public sealed class CapturingTransport : IMailTransport
{
    private readonly ConcurrentDictionary<string, int> _deferralsLeft = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<(string Recipient, string Raw)> Sent { get; } = new();

    public ConcurrentQueue<string> Attempts { get; } = new();

    private readonly ConcurrentDictionary<string, bool> _unknown = new(StringComparer.OrdinalIgnoreCase);

    public void DeferFirst(string address, int times) => _deferralsLeft[address] = times;

    private readonly ConcurrentDictionary<string, TimeSpan> _slow = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each message to an address containing <paramref name="part"/> (e.g. a test school's id) takes this long.</summary>
    public void SlowDown(string part, TimeSpan perMessage) => _slow[part] = perMessage;

    /// <summary>From now on the "receiving server" says this mailbox does not exist (550 5.1.1).</summary>
    public void RejectAsUnknown(string address) => _unknown[address] = true;

    public async ValueTask<SendResult> SendAsync(MimeMessage message, MailboxAddress sender, MailboxAddress recipient, SendLane lane, CancellationToken cancellationToken)
    {
        foreach (var (part, delay) in _slow)
        {
            if (recipient.Address.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(delay, cancellationToken);
            }
        }

        Attempts.Enqueue(recipient.Address);
        if (_unknown.ContainsKey(recipient.Address))
        {
            return new SendResult(DeliveryStatus.InvalidAddress, "550 5.1.1 user unknown");
        }

        if (_deferralsLeft.TryGetValue(recipient.Address, out var left) && left > 0)
        {
            _deferralsLeft[recipient.Address] = left - 1;
            return new SendResult(DeliveryStatus.Deferred, "421 4.7.0 try again later");
        }

        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, cancellationToken);
        Sent.Enqueue((recipient.Address, System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
        return SendResult.Sent("250 2.0.0 Ok");
    }

    public int SentTo(string address) => Sent.Count(s => string.Equals(s.Recipient, address, StringComparison.OrdinalIgnoreCase));
}
