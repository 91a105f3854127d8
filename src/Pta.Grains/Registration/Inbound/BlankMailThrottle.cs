using Microsoft.Extensions.Options;
using Pta.Grains.RateLimits;

namespace Pta.Grains.Registration.Inbound;

/// <summary>
/// Decides whether a blank mail may be answered: within <see cref="BlankMailLimitOptions.PerSender"/> for its sender
/// and <see cref="BlankMailLimitOptions.PerSchool"/> for its school. Counted in this process (the silos that poll the
/// registration mailbox; usually one), in memory: a restart forgives, which costs at most one window's worth.
/// </summary>
/// <remarks>
/// The sender is asked first, so one sender's flood spends only its own permits, never its school's. A mail handed
/// over again (at-least-once delivery from the mailbox: its reply was deferred, or its removal interrupted) passes
/// without counting twice when this process admitted its Message-ID within the window; otherwise a relay outage of a
/// few polls would use up a guardian's permits, and a school's, with retries of the same mails.
/// </remarks>
public sealed class BlankMailThrottle
{
    private readonly FixedWindowCounter _perSender;
    private readonly FixedWindowCounter _perSchool;
    private readonly FixedWindowCounter _admitted;

    public BlankMailThrottle(IOptions<BlankMailLimitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _perSender = new FixedWindowCounter(limits.PerSender, time);
        _perSchool = new FixedWindowCounter(limits.PerSchool, time);

        // One permit per Message-ID for the longer window: taken when admitted, so "no permit left" means "seen".
        var remember = limits.PerSender.Window > limits.PerSchool.Window ? limits.PerSender.Window : limits.PerSchool.Window;
        _admitted = new FixedWindowCounter(new WindowLimit(1, remember), time);
    }

    /// <summary>True when the mail may be answered; counts it against its sender and school unless admitted before.</summary>
    /// <param name="sender">The normalized sender address (compared without regard to case).</param>
    /// <param name="schoolId">The school its registration address names.</param>
    /// <param name="messageId">Its Message-ID, if it has one.</param>
    public bool TryAdmit(string sender, string schoolId, string? messageId)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(schoolId);
        if (messageId is { Length: > 0 } && WasAdmitted(messageId))
        {
            return true;
        }

        if (!_perSender.TryTake(sender.ToLowerInvariant()) || !_perSchool.TryTake(schoolId))
        {
            return false;
        }

        if (messageId is { Length: > 0 })
        {
            _admitted.TryTake(messageId);
        }

        return true;
    }

    private bool WasAdmitted(string messageId) => !_admitted.HasPermit(messageId);
}
