using System.Text.RegularExpressions;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Persistence;

/// <summary>
/// Masks every e-mail address inside free text before it is stored: carriers echo the recipient in their replies
/// ("550 5.1.1 &lt;taro@docomo.ne.jp&gt;... Recipient address rejected"), and those replies are kept in the delivery
/// ledger and shown to staff on the phone-call list. The masked form (<see cref="GuardianAddress.Mask"/>,
/// <c>t***@docomo.ne.jp</c>) still tells staff which carrier refused.
/// </summary>
public static partial class AddressRedaction
{
    /// <summary><paramref name="text"/> with each address masked; null stays null, text without '@' is returned as it is.</summary>
    public static string? Redact(string? text) =>
        text is null || !text.Contains('@', StringComparison.Ordinal) ? text : AddressLike().Replace(text, m => GuardianAddress.Mask(m.Value));

    // Greedy over every character an address of ours may hold (GuardianAddress accepts RFC 5322 atext and dots in the
    // local part), so no tail of a local part is left readable; a domain of at least two labels.
    [GeneratedRegex(@"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressLike();
}
