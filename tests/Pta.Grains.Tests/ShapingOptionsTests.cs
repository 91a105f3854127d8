using Pta.Grains.Shaping;

namespace Pta.Grains.Tests;

/// <summary>Shaping settings are checked at silo start: a misspelt carrier or a session over 100 recipients stops the silo.</summary>
public sealed class ShapingOptionsTests
{
    [Theory]
    [InlineData("Docomo", 100, true)]
    [InlineData("softbank", 1, true)]
    [InlineData("Docomo", 101, false)] // carriers refuse more than 100 recipients per session
    [InlineData("Docomo", 0, false)]
    [InlineData("Dokomo", 100, false)] // misspelt: would silently not be shaped
    [InlineData("2", 100, false)] // an enum number is not a carrier name
    public void A_carrier_limit_is_accepted_only_with_a_known_name_and_at_most_100_recipients_per_session(string carrier, int perSession, bool valid)
    {
        var options = new ShapingOptions { Carriers = { [carrier] = new CarrierLimit { MessagesPerSecond = 100, RecipientsPerSession = perSession } } };

        Assert.Equal(valid, options.IsValid());
    }
}
