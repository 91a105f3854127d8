using System.Text;
using Pta.Grains.Abstractions;
using Pta.Grains.Delivery;

namespace Pta.Grains.Broadcasts;

/// <summary>
/// Mail to staff about a broadcast: an operator's emergency went out without approval, so the principal is told
/// afterwards (seed 001 §5). One message through the same transport as the broadcasts, from the school's sender.
/// </summary>
public sealed class BroadcastNotices(IMailTransport transport, TimeProvider time)
{
    /// <summary>Mails the approver; returns what was done for the audit trail, or null when there is nobody to mail.</summary>
    public async Task<string?> TellApproverAsync(IGrainFactory grains, BroadcastSubmission submission, BroadcastView view, BroadcastActor sender)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(sender);
        if (submission.SchoolId is null || await grains.GetGrain<ISchoolGrain>(submission.SchoolId).GetProfileAsync() is not { ManagerAddress: { } to } school)
        {
            return null;
        }

        var body = new StringBuilder()
            .AppendLine($"{school.Name} メール管理責任者 様")
            .AppendLine()
            .AppendLine("緊急のため、メール運用者が承認を待たずに次の一斉メールを配信しました。内容をご確認ください。")
            .AppendLine()
            .AppendLine($"件名: {view.Subject}")
            .AppendLine($"区分: {view.Category}")
            .AppendLine($"配信者: {sender.Label}")
            .AppendLine($"配信数: {view.Counts.Recipients}")
            .AppendLine($"配信ID: {view.Id}")
            .AppendLine()
            .AppendLine("--- 本文 ---")
            .AppendLine(submission.Body)
            .ToString();
        var result = await PlainMail.SendAsync(
            transport, school, to, $"【緊急配信の報告】{view.Subject}", body, $"{view.Id}.manager", time.GetUtcNow(), CancellationToken.None);
        return $"approver mailed: {result.Status}";
    }
}
