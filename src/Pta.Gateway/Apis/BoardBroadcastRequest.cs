namespace Pta.Gateway.Apis;

/// <summary>A city-wide (or multi-school) broadcast as a board sends it.</summary>
/// <param name="Subject">The mail subject.</param>
/// <param name="Body">The mail text.</param>
/// <param name="Category">emergency, safety, info or test.</param>
/// <param name="SchoolIds">The schools it goes to; left out or empty, every school of the board.</param>
/// <param name="Grades">Only guardians of children in these grades (1–12); left out or empty, every grade.</param>
/// <param name="RequireConfirmation">Put a personal read-confirmation link (受信確認) in every mail.</param>
/// <param name="SendAt">Send at this time (予約配信) instead of now; at most a year ahead.</param>
/// <param name="FollowUpMinutes">With confirmation: re-send to households that have not confirmed after these delays.</param>
/// <param name="Template">A template id (<c>GET …/templates</c>): it prefills subject, body and category where the request leaves them out.</param>
/// <param name="Values">The template's placeholders, e.g. <c>{"日付": "11月22日(金)", "理由": "台風接近"}</c>.</param>
/// <param name="Attachments">Ids of uploaded files (<c>POST …/attachments</c>) of the sender; each mail gets a line with the name and a link.</param>
public sealed record BoardBroadcastRequest(
    string? Subject,
    string? Body,
    string? Category,
    IReadOnlyList<string>? SchoolIds,
    IReadOnlyList<int>? Grades,
    bool? RequireConfirmation = null,
    DateTimeOffset? SendAt = null,
    IReadOnlyList<int>? FollowUpMinutes = null,
    string? Template = null,
    IReadOnlyDictionary<string, string?>? Values = null,
    IReadOnlyList<string?>? Attachments = null);
