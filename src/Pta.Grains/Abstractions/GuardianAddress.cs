using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Pta.Grains.Abstractions;

/// <summary>
/// The rules for a guardian's e-mail address: what is accepted and in which normal form it is stored, which
/// carrier receives it, and how it appears in logs and screens that must not show it whole.
/// </summary>
/// <remarks>
/// Stricter than RFC 5322 where a looser rule could smuggle a header line, an SMTP command or a second
/// recipient (line breaks, controls, quotes, brackets, separators); looser where real guardians need it: the
/// pre-2009 docomo/au addresses with leading, trailing or doubled dots in the local part (mission.md, "Mobile
/// carriers") are accepted as they are. Everything accepted is plain ASCII, so it is safe to put in an SMTP
/// command or a header without quoting beyond what <c>MessageComposer</c> does.
/// </remarks>
public static class GuardianAddress
{
    private const int MaxAddressLength = 254; // RFC 5321 4.5.3.1.3: a path is at most 256 octets including "<" and ">"
    private const int MaxLocalPartLength = 64;
    private const int MaxDomainLength = 253;
    private const int MaxLabelLength = 63;

    // Characters that end an address or start a second one in a header or an SMTP command. Each is legal
    // somewhere in RFC 5322 (quoted strings, comments, domain literals, groups), but no carrier's address needs them.
    private const string InjectionCharacters = "<>,;\"()\\[]:";

    // RFC 5322 3.2.3 atext, less ALPHA and DIGIT.
    private const string AtextSymbols = "!#$%&'*+-/=?^_`{|}~";

    // UTS #46 with the STD3 rules: only letters, digits and hyphens survive, full-width input is folded to ASCII.
    // IdnMapping's methods are thread-safe while its properties are not changed.
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    // The carriers' domains as mission.md ("Mobile carriers") lists them, plus the older and business domains
    // the same carriers still deliver (au's biz., Y!mobile's takeovers of EMOBILE and WILLCOM) and Google's mail.
    private static readonly FrozenDictionary<string, Carrier> CarrierDomains = new Dictionary<string, Carrier>
    {
        ["docomo.ne.jp"] = Carrier.Docomo,
        ["ezweb.ne.jp"] = Carrier.Au,
        ["biz.ezweb.ne.jp"] = Carrier.Au,
        ["au.com"] = Carrier.Au,
        ["biz.au.com"] = Carrier.Au,
        ["softbank.ne.jp"] = Carrier.Softbank,
        ["i.softbank.jp"] = Carrier.Softbank,
        ["disney.ne.jp"] = Carrier.Softbank,
        ["ymobile.ne.jp"] = Carrier.Ymobile,
        ["yahoo.ne.jp"] = Carrier.Ymobile,
        ["emobile.ne.jp"] = Carrier.Ymobile,
        ["pdx.ne.jp"] = Carrier.Ymobile,
        ["willcom.com"] = Carrier.Ymobile,
        ["gmail.com"] = Carrier.Gmail,
        ["googlemail.com"] = Carrier.Gmail,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Domains whose every subdomain is one carrier's (vodafone had one per region: t., d., h., ...).
    private static readonly (string Suffix, Carrier Carrier)[] CarrierSubdomains =
    [
        (".vodafone.ne.jp", Carrier.Softbank),
        (".pdx.ne.jp", Carrier.Ymobile),
    ];

    private static readonly FrozenDictionary<string, Carrier>.AlternateLookup<ReadOnlySpan<char>> CarrierDomainsBySpan =
        CarrierDomains.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Validates <paramref name="input"/> and gives its normal form: surrounding spaces removed, the domain in
    /// lower-case ASCII (IDN domains as punycode), the local part exactly as typed (carriers' local parts are
    /// case-sensitive in principle).
    /// </summary>
    /// <param name="input">What the school or guardian typed.</param>
    /// <param name="normalized">The address to store and send to; empty when the input is rejected.</param>
    /// <param name="error">A short English sentence saying what is wrong; empty when the input is accepted.</param>
    /// <returns><see langword="true"/> when the address is accepted.</returns>
    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = string.Empty;
        var address = (input ?? string.Empty).Trim(' ');
        if (address.Length == 0)
        {
            return Fail("The address is empty.", out error);
        }

        if (address.Length > MaxAddressLength)
        {
            return Fail($"The address is longer than {MaxAddressLength} characters.", out error);
        }

        if (FindForbiddenCharacter(address) is { } forbidden)
        {
            return Fail(forbidden, out error);
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return Fail(address.Contains('＠', StringComparison.Ordinal)
                ? "The address has a full-width '＠'; use the half-width '@'."
                : "The address has no '@'.", out error);
        }

        if (address.IndexOf('@', at + 1) >= 0)
        {
            return Fail("The address has more than one '@'.", out error);
        }

        if (CheckLocalPart(address.AsSpan(0, at)) is { } localError)
        {
            return Fail(localError, out error);
        }

        if (!TryNormalizeDomain(address.AsSpan(at + 1), out var rewrittenDomain, out var domainError))
        {
            return Fail(domainError, out error);
        }

        // The input itself when it was already normal: stored addresses come through here on every send.
        normalized = rewrittenDomain is null ? address : string.Concat(address.AsSpan(0, at + 1), rewrittenDomain);
        if (normalized.Length > MaxAddressLength)
        {
            normalized = string.Empty;
            return Fail($"The address is longer than {MaxAddressLength} characters once its domain is in ASCII.", out error);
        }

        error = string.Empty;
        return true;
    }

    /// <summary>The carrier that receives mail for a normalised address, by its domain; <see cref="Carrier.Other"/> when none does.</summary>
    public static Carrier Classify(string normalizedAddress)
    {
        ArgumentNullException.ThrowIfNull(normalizedAddress);
        var domain = normalizedAddress.AsSpan(normalizedAddress.LastIndexOf('@') + 1);
        if (CarrierDomainsBySpan.TryGetValue(domain, out var carrier))
        {
            return carrier;
        }

        foreach (var (suffix, subdomainCarrier) in CarrierSubdomains)
        {
            if (domain.Length > suffix.Length && domain.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return subdomainCarrier;
            }
        }

        return Carrier.Other;
    }

    /// <summary>
    /// The address for logs and screens: the first character of the local part, <c>***</c>, then the domain
    /// (<c>t***@docomo.ne.jp</c>). The stars are always three so the length of the local part is not revealed.
    /// Anything that is not an acceptable address becomes <c>***</c>: it may be a mistyped real address.
    /// </summary>
    public static string Mask(string address)
    {
        if (!TryNormalize(address, out var normalized, out _))
        {
            return "***";
        }

        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        return string.Concat(normalized.AsSpan(0, 1), "***", normalized.AsSpan(at));
    }

    private static string? FindForbiddenCharacter(string address)
    {
        foreach (var c in address)
        {
            var problem = c switch
            {
                '\r' or '\n' => "The address contains a line break (CR or LF).",
                '\0' => "The address contains a NUL character.",
                _ when char.IsControl(c) => "The address contains a control character.", // C0, DEL and C1
                '\u2028' or '\u2029' => "The address contains a line or paragraph separator (U+2028/U+2029).",
                '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
                    => "The address contains a bidirectional text control character.",
                _ when char.IsWhiteSpace(c) => "The address contains whitespace.",
                // Zero-width spaces, joiners, soft hyphens, BOMs: invisible, so a guardian could not check them.
                _ when CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format => "The address contains an invisible formatting character.",
                _ when InjectionCharacters.Contains(c, StringComparison.Ordinal) => $"The address contains '{c}', which is not allowed.",
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CheckLocalPart(ReadOnlySpan<char> local)
    {
        if (local.IsEmpty)
        {
            return "The part before '@' is empty.";
        }

        if (local.Length > MaxLocalPartLength)
        {
            return $"The part before '@' is longer than {MaxLocalPartLength} characters.";
        }

        var onlyDots = true;
        foreach (var c in local)
        {
            if (!char.IsAscii(c))
            {
                return "The part before '@' contains a non-ASCII character; carriers' addresses are ASCII only.";
            }

            // Dots anywhere on purpose: "taro..yamada.@docomo.ne.jp" and ".hanako@ezweb.ne.jp" are real addresses.
            if (c != '.' && !char.IsAsciiLetterOrDigit(c) && !AtextSymbols.Contains(c, StringComparison.Ordinal))
            {
                return $"The part before '@' contains '{c}', which is not allowed.";
            }

            onlyDots &= c == '.';
        }

        return onlyDots ? "The part before '@' has nothing but dots." : null;
    }

    // rewritten is null when the domain already was in normal form, so the caller can keep its string.
    private static bool TryNormalizeDomain(ReadOnlySpan<char> domain, out string? rewritten, out string error)
    {
        rewritten = null;
        if (domain.IsEmpty)
        {
            return Fail("The domain after '@' is empty.", out error);
        }

        // Also the ideographic and full-width full stops, which UTS #46 maps to '.'.
        if (domain[^1] is '.' or '。' or '．' or '｡')
        {
            return Fail("The domain ends with a dot.", out error);
        }

        if (!Ascii.IsValid(domain))
        {
            try
            {
                rewritten = Idn.GetAscii(domain.ToString()).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return Fail("The domain is not a valid internationalised domain name.", out error);
            }
        }
        else if (domain.ContainsAnyInRange('A', 'Z'))
        {
            rewritten = domain.ToString().ToLowerInvariant();
        }

        var normalized = rewritten is null ? domain : rewritten.AsSpan();
        if (normalized.Length > MaxDomainLength)
        {
            return Fail($"The domain is longer than {MaxDomainLength} characters.", out error);
        }

        var labels = 0;
        foreach (var range in normalized.Split('.'))
        {
            var label = normalized[range];
            labels++;
            if (label.IsEmpty)
            {
                return Fail("The domain has an empty label (a leading dot or two dots in a row).", out error);
            }

            if (label.Length > MaxLabelLength)
            {
                return Fail($"A label of the domain is longer than {MaxLabelLength} characters.", out error);
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
                {
                    return Fail("The domain may contain only letters, digits, hyphens and dots.", out error);
                }
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return Fail("A label of the domain starts or ends with a hyphen.", out error);
            }
        }

        if (labels < 2)
        {
            return Fail("The domain needs at least two labels, such as docomo.ne.jp.", out error);
        }

        error = string.Empty;
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
