namespace Pta.Grains.Delivery;

/// <summary>What the transport learnt from one send: the status and the server's reply, if any.</summary>
public readonly record struct SendResult(DeliveryStatus Status, string? Reply)
{
    public static SendResult Sent(string? reply = null) => new(DeliveryStatus.Sent, reply);
}
