using System.Security.Claims;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Access;

/// <summary>
/// Moves a credential grant in and out of claims, and answers "may this caller reach that school?".
/// Anything a caller may not reach is reported as not found, so ids of other tenants cannot be probed.
/// </summary>
public static class CallerGrant
{
    private const string KeyIdClaim = "pta:key";
    private const string RoleClaim = "pta:role";
    private const string BoardClaim = "pta:board";
    private const string SchoolClaim = "pta:school";

    public static IEnumerable<Claim> ToClaims(CredentialGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        yield return new Claim(KeyIdClaim, grant.KeyId);
        yield return new Claim(ClaimTypes.Name, grant.Label);
        yield return new Claim(RoleClaim, grant.Role.ToString());
        yield return new Claim(BoardClaim, grant.BoardId);
        if (grant.SchoolId is not null)
        {
            yield return new Claim(SchoolClaim, grant.SchoolId);
        }
    }

    public static CredentialGrant From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new CredentialGrant(
            user.FindFirstValue(KeyIdClaim) ?? "",
            Enum.Parse<CredentialRole>(user.FindFirstValue(RoleClaim) ?? nameof(CredentialRole.School)),
            user.FindFirstValue(BoardClaim) ?? "",
            user.FindFirstValue(SchoolClaim),
            user.Identity?.Name ?? "");
    }

    /// <summary>A school credential reaches its own school; a board credential reaches the schools of its board.</summary>
    public static bool CanReach(this CredentialGrant grant, SchoolProfile school)
    {
        ArgumentNullException.ThrowIfNull(school);
        return grant.Reaches(school.SchoolId, school.BoardId);
    }

    /// <summary>
    /// The same rule for a broadcast, which carries its school and board. A board broadcast reaches its board and
    /// the staff of every school it went to: a principal must see what reached the school's guardians.
    /// </summary>
    public static bool CanReach(this CredentialGrant grant, BroadcastView broadcast)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        ArgumentNullException.ThrowIfNull(grant);
        return broadcast.SchoolId is { } schoolId
            ? grant.Reaches(schoolId, broadcast.BoardId)
            : grant.Role switch
            {
                CredentialRole.Board or CredentialRole.BoardOperator => grant.BoardId == broadcast.BoardId,
                CredentialRole.School or CredentialRole.Operator => grant.BoardId == broadcast.BoardId && grant.SchoolId is { } own
                                                                    && (broadcast.SchoolIds?.Contains(own) ?? false),
                _ => false,
            };
    }

    /// <summary>
    /// Who may approve, change or cancel a broadcast they reach (the grain then checks the role for approval): a
    /// school's staff their school's and PTA's broadcasts, the board any of its schools' and its own. A school's staff
    /// reach a board broadcast to their school but do not steer it for the other schools.
    /// </summary>
    public static bool CanManage(this CredentialGrant grant, BroadcastView broadcast)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(broadcast);
        return grant.CanReach(broadcast)
               && (broadcast.SchoolId is not null || grant.Role is CredentialRole.Board or CredentialRole.BoardOperator);
    }

    private static bool Reaches(this CredentialGrant grant, string schoolId, string boardId)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant.Role switch
        {
            CredentialRole.School or CredentialRole.Operator => grant.SchoolId == schoolId,
            CredentialRole.Board or CredentialRole.BoardOperator => grant.BoardId == boardId,
            _ => false,
        };
    }
}
