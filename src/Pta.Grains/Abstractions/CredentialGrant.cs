namespace Pta.Grains.Abstractions;

/// <summary>Who a credential speaks for.</summary>
public enum CredentialRole
{
    /// <summary>A board administrator: reaches every school of the board.</summary>
    Board = 0,

    /// <summary>
    /// A school's mail manager (メール管理責任者, the principal): reaches that school only; sends at once and
    /// approves the operators' drafts.
    /// </summary>
    School = 1,

    /// <summary>
    /// A school's mail operator (メール運用者): reaches that school only; drafts broadcasts that send once the
    /// principal approves, except emergencies, which send at once and are reported to the principal afterwards.
    /// </summary>
    Operator = 2,

    /// <summary>A board's staff: drafts board broadcasts for a board administrator to approve (emergencies send at once).</summary>
    BoardOperator = 3,
}

/// <summary>What an API credential may reach. <see cref="SchoolId"/> is set for school credentials only.</summary>
[GenerateSerializer, Immutable, Alias("pta.credential-grant")]
public sealed record CredentialGrant(
    [property: Id(0)] string KeyId,
    [property: Id(1)] CredentialRole Role,
    [property: Id(2)] string BoardId,
    [property: Id(3)] string? SchoolId,
    [property: Id(4)] string Label);
