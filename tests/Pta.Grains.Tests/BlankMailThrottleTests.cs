using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pta.Grains.RateLimits;
using Pta.Grains.Registration.Inbound;

namespace Pta.Grains.Tests;

/// <summary>
/// The blank-mail limits on a fake clock: per sender (case-insensitive), per school, a redelivered mail that passes
/// without counting twice, and windows that reset. The end-to-end flood through IMAP and SMTP is
/// Pta.Gateway.Tests' BlankMailFloodTests.
/// </summary>
public sealed class BlankMailThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 6, 18, 0, 0, TimeSpan.FromHours(9)));

    [Fact]
    public void One_sender_gets_its_limit_and_a_redelivered_mail_passes_without_counting()
    {
        var throttle = Throttle(perSender: 2, perSchool: 100);

        Assert.True(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m1"));
        Assert.True(throttle.TryAdmit("TARO@docomo.ne.jp", "s-two", "m2")); // another school: still the same sender
        Assert.True(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m1")); // handed over again after a deferral
        Assert.False(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m3"));
        Assert.True(throttle.TryAdmit("hanako@docomo.ne.jp", "s-one", "m4"));
    }

    [Fact]
    public void One_school_gets_its_limit_whoever_sends_and_one_senders_flood_does_not_spend_it()
    {
        var throttle = Throttle(perSender: 1, perSchool: 3);

        Assert.True(throttle.TryAdmit("flood@example.jp", "s-one", "f0"));
        for (var i = 1; i < 10; i++)
        {
            Assert.False(throttle.TryAdmit("flood@example.jp", "s-one", $"f{i}"));
        }

        Assert.True(throttle.TryAdmit("a@example.jp", "s-one", "a"));
        Assert.True(throttle.TryAdmit("b@example.jp", "s-one", "b"));
        Assert.False(throttle.TryAdmit("c@example.jp", "s-one", "c"));
        Assert.True(throttle.TryAdmit("d@example.jp", "s-two", "d"));
    }

    [Fact]
    public void Windows_reset_after_their_length()
    {
        var throttle = Throttle(perSender: 1, perSchool: 1);
        Assert.True(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m1"));
        Assert.False(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m2"));

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m3"));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(throttle.TryAdmit("taro@docomo.ne.jp", "s-one", "m4"));
    }

    private BlankMailThrottle Throttle(int perSender, int perSchool) => new(
        Options.Create(new BlankMailLimitOptions
        {
            PerSender = new WindowLimit(perSender, TimeSpan.FromHours(1)),
            PerSchool = new WindowLimit(perSchool, TimeSpan.FromHours(1)),
        }),
        _time);
}
