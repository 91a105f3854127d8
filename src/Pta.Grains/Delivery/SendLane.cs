using Pta.Grains.Abstractions;

namespace Pta.Grains.Delivery;

/// <summary>
/// Which queue a message waits in for an SMTP connection: urgent mail is handed the next free connection
/// before any routine mail that is already waiting, and the board's test mail goes last.
/// </summary>
public enum SendLane
{
    /// <summary>Emergency and safety broadcasts.</summary>
    Urgent = 0,

    /// <summary>Information broadcasts, registration and completion mails.</summary>
    Routine = 1,

    /// <summary>The monthly test broadcast.</summary>
    Test = 2,
}

/// <summary>Maps a broadcast category to its lane.</summary>
public static class SendLanes
{
    public static SendLane For(BroadcastCategory category) => category switch
    {
        BroadcastCategory.Emergency or BroadcastCategory.Safety => SendLane.Urgent,
        BroadcastCategory.Test => SendLane.Test,
        _ => SendLane.Routine,
    };
}
