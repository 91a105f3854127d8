using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Tests;

public sealed class GuardianAddressTests
{
    private const string AtextSymbols = "!#$%&'*+-/=?^_`{|}~";

    // ---------------------------------------------------------------- accepted

    [Theory]
    [InlineData("taro@docomo.ne.jp")]
    [InlineData("taro.yamada@ezweb.ne.jp")]
    [InlineData("hanako_1985@softbank.ne.jp")]
    [InlineData("user+school@gmail.com")]
    [InlineData("o'brien@example.jp")]
    [InlineData("!#$%&'*+-/=?^_`{|}~@example.jp")]
    [InlineData("a@b.jp")]
    [InlineData("x@xn--r8jz45g.jp")]
    [InlineData("parent@mail.city-board.example.jp")]
    [InlineData("p@123.45.example")]
    // The pre-2009 docomo/au forms: leading, trailing and doubled dots (mission.md, "Mobile carriers").
    [InlineData("taro..yamada.@docomo.ne.jp")]
    [InlineData(".hanako@ezweb.ne.jp")]
    [InlineData("jiro.@docomo.ne.jp")]
    [InlineData("a...b@ezweb.ne.jp")]
    [InlineData("..x..@docomo.ne.jp")]
    public void Ordinary_and_legacy_addresses_are_accepted_unchanged(string address)
    {
        Assert.True(GuardianAddress.TryNormalize(address, out var normalized, out var error), error);
        Assert.Equal(address, normalized);
        Assert.Equal(string.Empty, error);
    }

    [Theory]
    [InlineData("  taro@docomo.ne.jp  ", "taro@docomo.ne.jp")]
    [InlineData("Taro.Yamada@DoCoMo.NE.JP", "Taro.Yamada@docomo.ne.jp")]
    [InlineData("TARO@EZWEB.NE.JP", "TARO@ezweb.ne.jp")]
    [InlineData(" Taro..Yamada.@Docomo.ne.jp", "Taro..Yamada.@docomo.ne.jp")]
    [InlineData("taro@例え.jp", "taro@xn--r8jz45g.jp")]
    [InlineData("Hanako@学校.JP", "Hanako@xn--48s290a.jp")]
    [InlineData("taro@ｄｏｃｏｍｏ．ｎｅ．ｊｐ", "taro@docomo.ne.jp")] // full-width, as a Japanese IME types it
    [InlineData("taro@docomo。ne。jp", "taro@docomo.ne.jp")]
    public void The_domain_is_lower_case_ascii_and_the_local_part_keeps_its_case(string input, string expected)
    {
        Assert.True(GuardianAddress.TryNormalize(input, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void An_already_normal_address_comes_back_as_the_same_string()
    {
        var address = "taro..yamada.@docomo.ne.jp";

        GuardianAddress.TryNormalize(address, out var normalized, out _);

        Assert.Same(address, normalized); // no allocation on the send path, where stored addresses are re-checked
    }

    // ---------------------------------------------------------------- rejected

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("    ", "empty")]
    [InlineData("taro\r@docomo.ne.jp", "line break")]
    [InlineData("taro@docomo.ne.jp\r\nBcc: all@example.jp", "line break")]
    [InlineData("taro@docomo.ne.jp\n", "line break")]
    [InlineData("ta\0ro@docomo.ne.jp", "NUL")]
    [InlineData("ta\u0001ro@docomo.ne.jp", "control character")]
    [InlineData("ta\u001Bro@docomo.ne.jp", "control character")]
    [InlineData("ta\u007Fro@docomo.ne.jp", "control character")]
    [InlineData("ta\u0085ro@docomo.ne.jp", "control character")]
    [InlineData("ta\u009Bro@docomo.ne.jp", "control character")]
    [InlineData("\ttaro@docomo.ne.jp", "control character")]
    [InlineData("ta\u2028ro@docomo.ne.jp", "U+2028")]
    [InlineData("taro@docomo.ne.jp\u2029", "U+2029")]
    [InlineData("ta\u202Ero@docomo.ne.jp", "bidirectional")]
    [InlineData("ta\u202Aro@docomo.ne.jp", "bidirectional")]
    [InlineData("ta\u2066ro@docomo.ne.jp", "bidirectional")]
    [InlineData("ta\u200Fro@docomo.ne.jp", "bidirectional")]
    [InlineData("ta\u061Cro@docomo.ne.jp", "bidirectional")]
    [InlineData("ta ro@docomo.ne.jp", "whitespace")]
    [InlineData("taro@docomo .ne.jp", "whitespace")]
    [InlineData("ta\u00A0ro@docomo.ne.jp", "whitespace")]
    [InlineData("ta\u3000ro@docomo.ne.jp", "whitespace")]
    [InlineData("taro@docomo.ne.jp\u3000", "whitespace")]
    [InlineData("ta\u200Bro@docomo.ne.jp", "invisible")]
    [InlineData("\uFEFFtaro@docomo.ne.jp", "invisible")]
    [InlineData("taro@doco\u00ADmo.ne.jp", "invisible")]
    [InlineData("<taro@docomo.ne.jp>", "'<'")]
    [InlineData("taro@docomo.ne.jp>", "'>'")]
    [InlineData("taro@docomo.ne.jp,all@example.jp", "','")]
    [InlineData("taro@docomo.ne.jp;all@example.jp", "';'")]
    [InlineData("\"taro..yamada.\"@docomo.ne.jp", "'\"'")]
    [InlineData("taro(note)@docomo.ne.jp", "'('")]
    [InlineData("taro)@docomo.ne.jp", "')'")]
    [InlineData("ta\\ro@docomo.ne.jp", "'\\'")]
    [InlineData("taro@[127.0.0.1]", "'['")]
    [InlineData("taro]@docomo.ne.jp", "']'")]
    [InlineData("group:taro@docomo.ne.jp", "':'")]
    [InlineData("taro@docomo.ne.jp:25", "':'")]
    [InlineData("taro.docomo.ne.jp", "no '@'")]
    [InlineData("taro＠docomo.ne.jp", "full-width")]
    [InlineData("taro@home@docomo.ne.jp", "more than one '@'")]
    [InlineData("@docomo.ne.jp", "before '@' is empty")]
    [InlineData("たろう@docomo.ne.jp", "non-ASCII")]
    [InlineData("taró@example.jp", "non-ASCII")]
    [InlineData("ｔａｒｏ@docomo.ne.jp", "non-ASCII")]
    [InlineData("...@docomo.ne.jp", "nothing but dots")]
    [InlineData("taro@", "domain after '@' is empty")]
    [InlineData("taro@docomo.ne.jp.", "ends with a dot")]
    [InlineData("taro@docomo.ne.jp。", "ends with a dot")]
    [InlineData("taro@localhost", "at least two labels")]
    [InlineData("taro@.docomo.ne.jp", "empty label")]
    [InlineData("taro@docomo..ne.jp", "empty label")]
    [InlineData("taro@-docomo.ne.jp", "hyphen")]
    [InlineData("taro@docomo-.ne.jp", "hyphen")]
    [InlineData("taro@doc_omo.ne.jp", "only letters, digits, hyphens")]
    [InlineData("taro@doc*omo.ne.jp", "only letters, digits, hyphens")]
    [InlineData("taro@xn--.jp", "hyphen")]
    public void Unsafe_or_malformed_addresses_are_rejected_with_a_reason(string? input, string reason)
    {
        Assert.False(GuardianAddress.TryNormalize(input, out var normalized, out var error));
        Assert.Equal(string.Empty, normalized);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.EndsWith(".", error, StringComparison.Ordinal); // a sentence, for the problem detail
    }

    [Fact]
    public void The_local_part_may_have_64_characters_but_not_65()
    {
        Assert.True(GuardianAddress.TryNormalize(new string('a', 64) + "@docomo.ne.jp", out _, out var error), error);
        Assert.False(GuardianAddress.TryNormalize(new string('a', 65) + "@docomo.ne.jp", out _, out error));
        Assert.Contains("64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_may_have_63_characters_but_not_64()
    {
        Assert.True(GuardianAddress.TryNormalize("a@" + new string('b', 63) + ".jp", out _, out var error), error);
        Assert.False(GuardianAddress.TryNormalize("a@" + new string('b', 64) + ".jp", out _, out error));
        Assert.Contains("63", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_address_may_have_254_characters_but_not_255()
    {
        var at254 = new string('a', 64) + "@" + DomainOfLength(189);
        var at255 = new string('a', 64) + "@" + DomainOfLength(190);
        Assert.Equal(254, at254.Length);

        Assert.True(GuardianAddress.TryNormalize(at254, out _, out var error), error);
        Assert.False(GuardianAddress.TryNormalize(at255, out _, out error));
        Assert.Contains("254", error, StringComparison.Ordinal);
        Assert.False(GuardianAddress.TryNormalize("  " + at255 + "  ", out _, out _));
        Assert.True(GuardianAddress.TryNormalize("   " + at254 + "   ", out _, out _), "surrounding spaces do not count");
    }

    [Fact]
    public void An_idn_domain_is_measured_after_its_conversion_to_punycode()
    {
        var label = new string('あ', 12); // 12 characters, 18 once in punycode
        var thirteen = "parent0001@" + string.Join('.', Enumerable.Repeat(label, 13)) + ".jp"; // 182 typed, 260 in ASCII
        var fourteen = "p@" + string.Join('.', Enumerable.Repeat(label, 14)) + ".jp"; // the domain alone is 268 in ASCII

        Assert.True(thirteen.Length <= 254);
        Assert.False(GuardianAddress.TryNormalize(thirteen, out _, out var error));
        Assert.Contains("once its domain is in ASCII", error, StringComparison.Ordinal);
        Assert.False(GuardianAddress.TryNormalize(fourteen, out _, out _));
        Assert.True(GuardianAddress.TryNormalize("p@" + string.Join('.', Enumerable.Repeat(label, 13)) + ".jp", out var normalized, out error), error);
        Assert.Equal(251, normalized.Length);
    }

    // ---------------------------------------------------------------- carriers

    [Theory]
    [InlineData("taro@docomo.ne.jp", Carrier.Docomo)]
    [InlineData("taro..yamada.@docomo.ne.jp", Carrier.Docomo)]
    [InlineData("hanako@ezweb.ne.jp", Carrier.Au)]
    [InlineData("hanako@au.com", Carrier.Au)]
    [InlineData("hanako@biz.ezweb.ne.jp", Carrier.Au)]
    [InlineData("hanako@biz.au.com", Carrier.Au)]
    [InlineData("jiro@softbank.ne.jp", Carrier.Softbank)]
    [InlineData("jiro@i.softbank.jp", Carrier.Softbank)]
    [InlineData("jiro@disney.ne.jp", Carrier.Softbank)]
    [InlineData("jiro@t.vodafone.ne.jp", Carrier.Softbank)]
    [InlineData("jiro@d.vodafone.ne.jp", Carrier.Softbank)]
    [InlineData("jiro@x.y.vodafone.ne.jp", Carrier.Softbank)]
    [InlineData("saburo@ymobile.ne.jp", Carrier.Ymobile)]
    [InlineData("saburo@yahoo.ne.jp", Carrier.Ymobile)]
    [InlineData("saburo@emobile.ne.jp", Carrier.Ymobile)]
    [InlineData("saburo@pdx.ne.jp", Carrier.Ymobile)]
    [InlineData("saburo@dk.pdx.ne.jp", Carrier.Ymobile)]
    [InlineData("saburo@willcom.com", Carrier.Ymobile)]
    [InlineData("parent@gmail.com", Carrier.Gmail)]
    [InlineData("parent@googlemail.com", Carrier.Gmail)]
    [InlineData("parent@example.jp", Carrier.Other)]
    [InlineData("parent@yahoo.co.jp", Carrier.Other)] // Yahoo! JAPAN's free mail, not Y!mobile's
    [InlineData("parent@mail.docomo.ne.jp", Carrier.Other)] // only the listed subdomain rules reach subdomains
    [InlineData("parent@docomo.ne.jp.example.com", Carrier.Other)]
    [InlineData("parent@evil-docomo.ne.jp", Carrier.Other)]
    [InlineData("parent@xvodafone.ne.jp", Carrier.Other)]
    [InlineData("parent@notpdx.ne.jp", Carrier.Other)]
    [InlineData("parent@gmail.com.example", Carrier.Other)]
    public void Addresses_are_classified_by_their_exact_domain_or_a_listed_parent(string address, Carrier expected)
    {
        Assert.Equal(expected, GuardianAddress.Classify(address));
    }

    // ---------------------------------------------------------------- masking

    [Theory]
    [InlineData("taro@docomo.ne.jp", "t***@docomo.ne.jp")]
    [InlineData("t@docomo.ne.jp", "t***@docomo.ne.jp")]
    [InlineData("taro..yamada.@docomo.ne.jp", "t***@docomo.ne.jp")]
    [InlineData(".hanako@ezweb.ne.jp", ".***@ezweb.ne.jp")]
    [InlineData("Taro@DOCOMO.NE.JP", "T***@docomo.ne.jp")]
    [InlineData("taro@例え.jp", "t***@xn--r8jz45g.jp")]
    [InlineData("", "***")]
    [InlineData("taro", "***")]
    [InlineData("taro@docomo.ne.jp\r\nBcc: x@example.jp", "***")]
    [InlineData("\"taro\"@docomo.ne.jp", "***")]
    public void Masking_shows_the_first_character_and_the_domain_only(string address, string expected)
    {
        Assert.Equal(expected, GuardianAddress.Mask(address));
    }

    [Fact]
    public void Masking_null_does_not_throw()
    {
        Assert.Equal("***", GuardianAddress.Mask(null!));
    }

    // ---------------------------------------------------------------- properties

    [Property(MaxTest = 2000)]
    public Property Arbitrary_strings_never_throw_and_what_is_accepted_is_safe_and_stable() =>
        Prop.ForAll(NoisyStrings, input =>
        {
            var accepted = GuardianAddress.TryNormalize(input, out var normalized, out var error);
            var mask = GuardianAddress.Mask(input);
            if (!accepted)
            {
                return error.Length > 0 && normalized.Length == 0 && mask == "***";
            }

            return IsSafe(normalized)
                && normalized.Length <= 254
                && normalized.Count(c => c == '@') == 1
                && GuardianAddress.TryNormalize(normalized, out var again, out _)
                && again == normalized
                && Enum.IsDefined(GuardianAddress.Classify(normalized));
        });

    [Property(MaxTest = 1000)]
    public Property Generated_valid_addresses_are_accepted_idempotently_with_their_local_part_intact() =>
        Prop.ForAll(ValidAddresses, Gen.Elements("", " ", "  ").ToArbitrary(), (address, padding) =>
        {
            var accepted = GuardianAddress.TryNormalize(padding + address + padding, out var normalized, out var error);
            var at = address.IndexOf('@', StringComparison.Ordinal);
            return (accepted
                    && normalized == string.Concat(address.AsSpan(0, at + 1), address[(at + 1)..].ToLowerInvariant())
                    && GuardianAddress.TryNormalize(normalized, out var again, out _)
                    && ReferenceEquals(again, normalized))
                .Label($"{address} -> {normalized} ({error})");
        });

    [Property(MaxTest = 1000)]
    public Property A_forbidden_character_anywhere_inside_a_valid_address_is_rejected() =>
        Prop.ForAll(
            ValidAddresses,
            Gen.Elements(ForbiddenCharacters).ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (address, forbidden, position) =>
            {
                var index = 1 + (position % (address.Length - 1)); // inside: surrounding spaces would be trimmed
                var tainted = address.Insert(index, forbidden.ToString());
                return (!GuardianAddress.TryNormalize(tainted, out _, out _)).Label(Escape(tainted));
            });

    [Property(MaxTest = 1000)]
    public Property The_mask_reveals_only_the_first_character_of_the_local_part() =>
        Prop.ForAll(ValidAddresses, address =>
        {
            GuardianAddress.TryNormalize(address, out var normalized, out _);
            var at = normalized.IndexOf('@', StringComparison.Ordinal);
            var mask = GuardianAddress.Mask(normalized);
            // Before '@' there is exactly the first character and three stars, whatever the local part's length.
            return (mask == normalized[0] + "***" + normalized[at..]).Label($"{normalized} -> {mask}");
        });

    // ---------------------------------------------------------------- generators and helpers

    private static readonly char[] ForbiddenCharacters =
    [
        '\r', '\n', '\0', '\t', '\u0001', '\u001F', '\u007F', '\u0080', '\u0085', '\u009F', '\u2028', '\u2029',
        '\u202A', '\u202E', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\uFEFF', '\u00AD', '\u00A0', '\u3000',
        ' ', '<', '>', ',', ';', '"', '(', ')', '\\', '[', ']', ':', '@',
    ];

    private static Gen<char> LocalCharacters =>
        Gen.Frequency(
            (8, Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".ToCharArray())),
            (2, Gen.Elements(AtextSymbols.ToCharArray())),
            (3, Gen.Constant('.')));

    private static Gen<string> Labels =>
        from length in Gen.Choose(1, 20)
        from chars in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".ToCharArray()).ArrayOf(length)
        let label = new string(chars).Trim('-')
        where label.Length > 0
        select label;

    /// <summary>Local parts of atext and dots (legacy forms included), domains of 2–4 labels in mixed case.</summary>
    private static Arbitrary<string> ValidAddresses =>
        (from localLength in Gen.Choose(1, 64)
         from local in LocalCharacters.ArrayOf(localLength)
         where local.Any(c => c != '.')
         from labelCount in Gen.Choose(2, 4)
         from labels in Labels.ArrayOf(labelCount)
         select new string(local) + "@" + string.Join('.', labels)).ToArbitrary();

    /// <summary>
    /// Address-shaped strings (local@label.label...) salted now and then with every character class that matters,
    /// so that a good share is accepted, and shapeless strings of any UTF-16 (lone surrogates too).
    /// </summary>
    private static Arbitrary<string> NoisyStrings
    {
        get
        {
            var salt = Gen.Frequency(
                (3, Gen.Elements(ForbiddenCharacters)),
                (2, Gen.Elements("ＡＢ＠．。例あｄ\uD800\uDC00\uDFFFß-.ABC".ToCharArray())),
                (1, Gen.Choose(0, 0xFFFF).Select(i => (char)i)));
            Gen<string> Salted(Gen<char> clean, int maxLength) =>
                from length in Gen.Choose(0, maxLength)
                from chars in Gen.Frequency((40, clean), (1, salt)).ArrayOf(length)
                select new string(chars);
            var label = Salted(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".ToCharArray()), 12);
            var shaped =
                from local in Salted(LocalCharacters, 20)
                from labelCount in Gen.Choose(1, 4)
                from labels in label.ArrayOf(labelCount)
                from padding in Gen.Elements("", " ", "\t", "  ")
                select padding + local + "@" + string.Join('.', labels) + padding;
            var shapeless = Gen.Frequency((6, LocalCharacters), (2, Gen.Constant('@')), (3, salt))
                .ArrayOf()
                .Select(chars => new string(chars));
            return Gen.Frequency((3, shaped), (1, shapeless)).ToArbitrary();
        }
    }

    private static bool IsSafe(string address) =>
        address.All(c => char.IsAscii(c) && !char.IsControl(c) && !char.IsWhiteSpace(c) && !"<>,;\"()\\[]:".Contains(c, StringComparison.Ordinal));

    private static string DomainOfLength(int length)
    {
        // Labels of 62 letters and dots, ending in ".jp".
        var body = new string('d', length - 3);
        for (var i = 62; i < body.Length; i += 63)
        {
            body = body.Remove(i, 1).Insert(i, ".");
        }

        return body + ".jp";
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => char.IsAscii(c) && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:X4}"));
}
