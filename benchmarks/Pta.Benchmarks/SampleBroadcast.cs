using System.Text;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Grains.Registration;

namespace Pta.Benchmarks;

/// <summary>
/// The broadcast every benchmark sends: a typical emergency notice in Japanese, its body padded to
/// 2 KB of UTF-8 (about 680 characters, the size of a long school alert), and distinct guardian addresses.
/// </summary>
public static class SampleBroadcast
{
    /// <summary>The body's size in UTF-8 bytes before transfer encoding.</summary>
    public const int BodyBytes = 2048;

    private const string Notice =
        "保護者の皆様\n\n" +
        "本日午前六時に大雨警報および洪水警報が発令されました。児童の安全を最優先に考え、本日は臨時休校といたします。" +
        "すでに登校している児童は、学校で安全に待機させ、保護者の方のお迎えをお待ちします。お迎えの際は必ず職員に声をかけてください。\n" +
        "河川の増水や道路の冠水が予想されます。お子様を川や用水路に近づけないでください。避難情報が出た場合は市の指示に従ってください。\n" +
        "明日の授業の有無は、本日午後五時までにこのメールでお知らせします。給食は中止です。学童保育の開設については市のホームページをご確認ください。\n" +
        "このメールを受け取られたら、下記のリンクから受信の確認をお願いします。ご家庭の安否についてもあわせてお知らせください。\n\n" +
        "第一小学校 校長\n";

    public static BroadcastContent Content { get; } = new(
        "bc-0123456789abcdef01234567",
        "daiichi-es@mail.demo-city.example",
        "越谷市立第一小学校",
        "【緊急】大雨警報発令に伴う臨時休校のお知らせ",
        PadToUtf8Bytes(Notice, BodyBytes),
        BroadcastCategory.Emergency,
        new DateTimeOffset(2026, 7, 3, 6, 15, 0, TimeSpan.FromHours(9)));

    /// <summary>
    /// A link signer as a silo has it, with a fixed key and a public address of a realistic length, so the benchmark's
    /// links are as long as production's.
    /// </summary>
    public static ConfirmationLinks ConfirmationLinks()
    {
        var options = Options.Create(new GuardianLinkOptions
        {
            SigningKey = Convert.ToBase64String(new byte[32]),
            PublicBaseUrl = "https://pta.city.koshigaya.example.jp",
        });
        return new ConfirmationLinks(new LinkSigner(options, TimeProvider.System), options, TimeProvider.System);
    }

    /// <summary>The recipient number <paramref name="index"/>; every index gives a different address and key.</summary>
    public static Recipient RecipientAt(int index) =>
        new($"g{index}-1", $"guardian{index:D7}@docomo.ne.jp");

    /// <summary>Repeats <paramref name="text"/> and cuts it at a character boundary at most <paramref name="bytes"/> long in UTF-8.</summary>
    private static string PadToUtf8Bytes(string text, int bytes)
    {
        var builder = new StringBuilder();
        var size = 0;
        while (true)
        {
            foreach (var rune in text.EnumerateRunes())
            {
                size += rune.Utf8SequenceLength;
                if (size > bytes)
                {
                    return builder.ToString();
                }

                builder.Append(rune.ToString());
            }
        }
    }
}
