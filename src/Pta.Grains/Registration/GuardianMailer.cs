using System.Text;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Registration;

/// <summary>
/// The two mails of self-registration, sent from the school's own address (the one guardians allow in their
/// carrier filters): the reply to a blank mail with the registration link, and the completion mail whose
/// acceptance by the receiving server is what verifies an address.
/// </summary>
public sealed class GuardianMailer(IMailTransport transport, LinkSigner links, TimeProvider time)
{
    public Task<SendResult> SendRegistrationLinkAsync(SchoolProfile school, string address, string ticketId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(school);
        var body = new StringBuilder()
            .AppendLine($"{school.Name}のメール配信への登録をご希望いただきありがとうございます。")
            .AppendLine()
            .AppendLine("次のリンクから登録フォームを開き、学校から配布された認証コードとお子様の学年・組・お名前を入力してください。")
            .AppendLine(links.RegistrationUrl(ticketId))
            .AppendLine()
            .AppendLine($"このリンクは一度だけ、{links.Options.RegistrationLinkLifetime.TotalHours:0}時間以内に限り使えます。")
            .AppendLine("お心当たりのない場合は、このメールを破棄してください。")
            .ToString();
        return SendAsync(school, address, $"【{school.SenderName}】メール配信 登録のご案内", body, cancellationToken);
    }

    public Task<SendResult> SendCompletionAsync(SchoolProfile school, string address, string guardianId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(school);
        var body = new StringBuilder()
            .AppendLine($"{school.Name}のメール配信への登録が完了しました。")
            .AppendLine("このアドレスに緊急連絡などの一斉メールが届きます。")
            .AppendLine()
            .AppendLine("登録内容の確認・アドレスの変更・配信の停止・退会・登録データのダウンロードは次のリンクから行えます（ログイン不要）:")
            .AppendLine(links.ManageUrl(guardianId))
            .AppendLine()
            .AppendLine($"このリンクの有効期限は{links.Options.ManageLinkLifetime.TotalDays:0}日です。")
            .ToString();
        return SendAsync(school, address, $"【{school.SenderName}】メール配信 登録完了のお知らせ", body, cancellationToken);
    }

    private Task<SendResult> SendAsync(SchoolProfile school, string address, string subject, string body, CancellationToken cancellationToken) =>
        PlainMail.SendAsync(transport, school, address, subject, body, Ids.New("reg"), time.GetUtcNow(), cancellationToken);
}
