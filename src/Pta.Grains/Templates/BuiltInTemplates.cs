using Pta.Grains.Abstractions;

namespace Pta.Grains.Templates;

/// <summary>
/// The templates every board and school starts with: the purposes the seed systems name (臨時休校, 不審者情報, 地震,
/// 台風, 学級閉鎖) and the board's monthly test and maintenance notice. A board or school overrides one by putting a
/// template with the same id. They sign with <c>{発信者}</c> (the school's or the board's name, filled in by the
/// gateway), so the same text works from a school and from a board.
/// </summary>
public static class BuiltInTemplates
{
    private const string Greeting = "保護者の皆様\n\n";
    private const string Signature = "\n\n{発信者}";

    public static IReadOnlyList<MessageTemplate> All { get; } =
    [
        new("rinji-kyuko", "臨時休校", BroadcastCategory.Emergency,
            "【臨時休校】{日付}は臨時休校とします",
            Greeting + "{理由}のため、{日付}は臨時休校とします。\nお子様はご家庭で安全に過ごすようお願いいたします。\n今後の予定は、決まり次第お知らせします。" + Signature),
        new("fushinsha", "不審者情報", BroadcastCategory.Safety,
            "【不審者情報】{場所}付近での目撃情報",
            Greeting + "{日付}{時刻}ごろ、{場所}付近で不審者の目撃情報がありました。\n{内容}\n\n" +
            "登下校はできるだけ複数で行動し、不審な人を見かけたら近くの大人に知らせるよう、ご家庭でもお声かけください。\n" +
            "危険を感じたときは、ためらわず110番通報してください。" + Signature),
        new("jishin", "地震", BroadcastCategory.Emergency,
            "【地震】児童生徒の安全と引き渡しについて",
            Greeting + "{日付}{時刻}ごろ、地震が発生しました。\n{状況}\n\nお迎えの際は学校の指示に従い、安全に十分注意してお越しください。" + Signature),
        new("taifu", "台風", BroadcastCategory.Emergency,
            "【台風】{日付}の対応について",
            Greeting + "台風の接近に伴い、{日付}は{対応}とします。\n気象情報に注意し、不要な外出は控えてください。" + Signature),
        new("gakkyu-heisa", "学級閉鎖", BroadcastCategory.Info,
            "【学級閉鎖】{学級}の学級閉鎖について",
            Greeting + "{学級}では{理由}のため、{期間}を学級閉鎖とします。\n期間中は外出を控え、ご家庭での健康観察をお願いいたします。" + Signature),
        new("monthly-test", "月例配信テスト", BroadcastCategory.Test,
            "【配信テスト】緊急連絡メールの定期テスト",
            Greeting + "これは{教育委員会名}が毎月行っている緊急連絡メールの配信テストです。返信は不要です。\n" +
            "このメールが届いていれば、災害時などの緊急連絡も受け取ることができます。" + Signature),
        new("maintenance", "メンテナンスのお知らせ", BroadcastCategory.Info,
            "【お知らせ】メール配信システムのメンテナンス（{日付}）",
            Greeting + "{日付} {時刻}から{終了時刻}まで、メール配信システムのメンテナンスを行います。\n" +
            "この間は、メールの配信や登録内容の変更ができない場合があります。\n緊急の連絡が必要な場合は、学校のホームページ等でもお知らせします。" + Signature),
    ];
}
