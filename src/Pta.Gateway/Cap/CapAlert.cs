namespace Pta.Gateway.Cap;

/// <summary>
/// The parts of a validated CAP 1.2 alert that intake uses. Values are as the document has them (CAP's enumerations
/// are case-sensitive words such as "Actual" or "Severe"), so rules compare them as the specification spells them.
/// <see cref="References"/> are, for Update and Cancel, the earlier alerts this one refers to.
/// </summary>
public sealed record CapAlert(
    string Identifier,
    string Sender,
    DateTimeOffset Sent,
    string Status,
    string MsgType,
    string Scope,
    IReadOnlyList<CapReference> References,
    IReadOnlyList<CapInfo> Infos)
{
    public const string Namespace = "urn:oasis:names:tc:emergency:cap:1.2";

    /// <summary>Only "Actual" alerts may reach guardians; Test, Exercise, System and Draft are answered as a dry run.</summary>
    public bool IsActual => Status == "Actual";
}

/// <summary>One earlier alert named in <c>references</c> as <c>sender,identifier,sent</c>.</summary>
public sealed record CapReference(string Sender, string Identifier, string Sent);

/// <summary>One <c>info</c> block: the event in one language, with its areas.</summary>
public sealed record CapInfo(
    string Language,
    string Event,
    string Urgency,
    string Severity,
    string Certainty,
    string? SenderName,
    string? Headline,
    string? Description,
    string? Instruction,
    IReadOnlyList<CapArea> Areas);

/// <summary>One <c>area</c>: its description and geocodes (e.g. JMA area codes, 全国地方公共団体コード).</summary>
public sealed record CapArea(string Description, IReadOnlyList<CapGeocode> Geocodes);

/// <summary>A <c>geocode</c>: which code list (<c>valueName</c>) and the code.</summary>
public sealed record CapGeocode(string ValueName, string Value);
