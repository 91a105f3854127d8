namespace Pta.Grains.Delivery;

/// <summary>The outcome of one attempt to hand a message to the next hop.</summary>
public enum DeliveryStatus : short
{
    /// <summary>The receiving server accepted the message (250 after DATA).</summary>
    Sent = 0,

    /// <summary>A transient failure (4xx, reset, timeout): try again later, slower.</summary>
    Deferred = 1,

    /// <summary>A permanent failure other than an unknown address.</summary>
    Failed = 2,

    /// <summary>The address does not exist (5.1.1): suppress it, never retry.</summary>
    InvalidAddress = 3,
}
