namespace Pta.Gateway.Apis;

/// <summary>The body of <c>POST /api/v1/schools/{schoolId}/broadcasts</c>.</summary>
/// <param name="Subject">Subject line, 1–200 characters, no line breaks or control characters.</param>
/// <param name="Body">Plain-text body, 1–20,000 characters; line breaks and tabs allowed, other control characters not.</param>
/// <param name="Category"><c>emergency</c>, <c>safety</c>, <c>info</c> or <c>test</c>.</param>
/// <param name="Audience">Grades and/or classes; omitted or empty means the whole school.</param>
/// <param name="RequireConfirmation">Put a personal read-confirmation link (受信確認) in every mail.</param>
/// <param name="SendAt">Send at this time (予約配信) instead of now; at most a year ahead.</param>
/// <param name="FollowUpMinutes">With confirmation: re-send to households that have not confirmed this many minutes
/// after the send started, e.g. <c>[15, 30, 60]</c> (at most 3, increasing, 5–1440).</param>
/// <param name="Template">A template id (<c>GET …/templates</c>): it prefills subject, body and category where the request leaves them out.</param>
/// <param name="Values">The template's placeholders, e.g. <c>{"日付": "11月22日(金)", "理由": "台風接近"}</c>.</param>
/// <param name="Attachments">Ids of uploaded files (<c>POST …/attachments</c>) of the sender; each mail gets a line with the name and a link.</param>
public sealed record BroadcastRequest(
    string? Subject,
    string? Body,
    string? Category,
    AudienceRequest? Audience,
    bool? RequireConfirmation = null,
    DateTimeOffset? SendAt = null,
    IReadOnlyList<int>? FollowUpMinutes = null,
    string? Template = null,
    IReadOnlyDictionary<string, string?>? Values = null,
    IReadOnlyList<string?>? Attachments = null);

/// <summary>Who receives a school broadcast.</summary>
/// <param name="Grades">Whole grades, e.g. <c>[1, 2]</c>.</param>
/// <param name="Classes">Single classes, e.g. <c>[{"grade": 3, "class": "2"}]</c>.</param>
/// <param name="Groups">Custom groups of the school by id (clubs, committees), e.g. <c>["soccer-club"]</c>.</param>
public sealed record AudienceRequest(IReadOnlyList<int>? Grades, IReadOnlyList<ClassRequest>? Classes, IReadOnlyList<string>? Groups = null);

/// <summary>One class of one grade, named as the school names it.</summary>
public sealed record ClassRequest(int Grade, string? Class);
