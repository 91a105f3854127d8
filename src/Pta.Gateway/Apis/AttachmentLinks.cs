using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Pta.Grains.Attachments;
using Pta.Grains.Registration;

namespace Pta.Gateway.Apis;

/// <summary>
/// A broadcast's <c>attachments</c>: each id must name a file of the sending school (or board), and each becomes one
/// line in the mail with the file's name, type, size and its public link. The mail stays a few KB whatever the file
/// (carriers refuse large mail: SoftBank over 1 MB, au over 3 MB), and only the guardians who open the link fetch it.
/// </summary>
internal static class AttachmentLinks
{
    public const int MaxPerBroadcast = 5;

    private const string Heading = "添付ファイル（タップで開きます）";

    /// <summary>The public address of a file: no login, the 128-bit random id is the key.</summary>
    public static string UrlFor(string publicBaseUrl, string attachmentId) => $"{publicBaseUrl.TrimEnd('/')}/files/{attachmentId}";

    /// <summary><c>at-</c> and 32 lower-case hex digits, as <see cref="Pta.Grains.Abstractions.Ids.New"/> makes them.</summary>
    public static bool IsAttachmentId(string? id) =>
        id is { Length: 35 } && id.StartsWith("at-", StringComparison.Ordinal) && id.AsSpan(3).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>
    /// Checks the ids (errors under <c>attachments</c> and <c>attachments[i]</c>) and returns the text to append to the
    /// body: empty without attachments. An id of another school or board is reported exactly like an unknown one.
    /// </summary>
    public static async Task<string> CheckAsync(HttpContext context, Dictionary<string, string[]> errors, IReadOnlyList<string?>? ids, string owner)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(errors);
        if (ids is not { Count: > 0 })
        {
            return "";
        }

        if (ids.Count > MaxPerBroadcast)
        {
            errors["attachments"] = [$"At most {MaxPerBroadcast} attachments."];
            return "";
        }

        var store = context.RequestServices.GetRequiredService<IAttachmentStore>();
        var baseUrl = context.RequestServices.GetRequiredService<IOptions<GuardianLinkOptions>>().Value.PublicBaseUrl;
        var text = new StringBuilder("\n\n").Append(Heading);
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (ids.Take(i).Contains(id))
            {
                errors[$"attachments[{i}]"] = ["Listed twice."];
            }
            else if (!IsAttachmentId(id) || await store.FindAsync(id!, context.RequestAborted) is not { } info || info.Owner != owner)
            {
                var who = owner.StartsWith("board:", StringComparison.Ordinal) ? "board" : "school";
                errors[$"attachments[{i}]"] = [$"No attachment with that id belongs to this {who}; upload the file with POST …/attachments first."];
            }
            else
            {
                text.Append("\n・").Append(info.FileName).Append('（').Append(AttachmentTypes.Label(info.ContentType)).Append(' ')
                    .Append(Size(info.Length)).Append("） ").Append(UrlFor(baseUrl, info.AttachmentId));
            }
        }

        return text.ToString();
    }

    private static string Size(long bytes) =>
        bytes < 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (bytes + 1023) / 1024)} KB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MB");
}
