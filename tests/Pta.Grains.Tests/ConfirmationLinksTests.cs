using System.Buffers.Text;
using Microsoft.Extensions.Time.Testing;
using Pta.Grains.Confirmation;

namespace Pta.Grains.Tests;

public sealed class ConfirmationLinksTests
{
    private const string BroadcastId = "bc-0123456789abcdef01234567";
    private const string SelfRegistered = "gd-0123456789abcdef0123456789abcdef-2";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(SelfRegistered)] // a self-registered guardian's second address
    [InlineData("gi-0123456789abcdef0123-1")] // an imported contact
    [InlineData("g0001-1")] // a contact imported under its own id
    [InlineData("gd-0A23-1")] // upper-case hex is not packed: written as it is
    [InlineData("g1-07")] // a slot with a leading zero is not split off
    [InlineData("registration")] // no slot at all
    public void A_link_reads_back_the_broadcast_and_recipient_key_it_was_made_for(string recipientKey)
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);

        var url = links.Url(BroadcastId, recipientKey, _clock.GetUtcNow().AddDays(30));
        var claim = links.Check(url[links.UrlPrefix.Length..]);

        Assert.StartsWith($"{TestConfirmationLinks.BaseUrl}/c/", url, StringComparison.Ordinal);
        Assert.Equal(new ConfirmationClaim(ConfirmationLinkStatus.Valid, BroadcastId, recipientKey), claim);
    }

    [Fact]
    public void The_link_of_a_self_registered_guardian_is_short_and_url_safe()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);

        var token = links.Token(BroadcastId, SelfRegistered, _clock.GetUtcNow().AddDays(30));

        Assert.True(token.Length <= 70, $"token of {token.Length} characters: {token}");
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
    }

    [Fact]
    public void Every_flipped_bit_of_a_token_makes_it_invalid()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);
        var bytes = Base64Url.DecodeFromChars(links.Token(BroadcastId, SelfRegistered, _clock.GetUtcNow().AddDays(30)));

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(ConfirmationLinkStatus.Invalid, links.Check(Base64Url.EncodeToString(tampered)).Status);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("!!!!")]
    [InlineData("AQAAAAA")]
    public void Malformed_tokens_are_invalid(string token)
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);

        Assert.Equal(ConfirmationLinkStatus.Invalid, links.Check(token).Status);
        Assert.Equal(ConfirmationLinkStatus.Invalid, links.Check(new string('A', 4000)).Status);
    }

    [Fact]
    public void A_link_signed_with_another_key_and_a_self_service_token_are_invalid()
    {
        var key = TestConfirmationLinks.NewKey();
        var (links, signer) = TestConfirmationLinks.Create(key, _clock);
        var (otherCluster, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock);
        var (sameKey, _) = TestConfirmationLinks.Create(key, _clock);
        var expiresAt = _clock.GetUtcNow().AddDays(30);

        Assert.Equal(ConfirmationLinkStatus.Invalid, links.Check(otherCluster.Token(BroadcastId, SelfRegistered, expiresAt)).Status);
        Assert.Equal(ConfirmationLinkStatus.Invalid, links.Check(signer.ManageToken("gd-0123456789abcdef0123456789abcdef")).Status);
        Assert.Equal(ConfirmationLinkStatus.Valid, links.Check(sameKey.Token(BroadcastId, SelfRegistered, expiresAt)).Status); // another process, same key
    }

    [Fact]
    public void A_link_works_until_its_expiry_and_is_expired_a_second_later()
    {
        var (links, _) = TestConfirmationLinks.Create(TestConfirmationLinks.NewKey(), _clock, TimeSpan.FromDays(30));
        var acceptedAt = _clock.GetUtcNow();
        var token = links.Token(BroadcastId, SelfRegistered, links.ExpiryFor(acceptedAt));

        _clock.Advance(TimeSpan.FromDays(30));
        var lastMoment = links.Check(token);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = links.Check(token);

        Assert.Equal(ConfirmationLinkStatus.Valid, lastMoment.Status);
        Assert.Equal(new ConfirmationClaim(ConfirmationLinkStatus.Expired), after);
    }
}
