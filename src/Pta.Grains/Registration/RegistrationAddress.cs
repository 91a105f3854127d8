using Pta.Grains.Abstractions;

namespace Pta.Grains.Registration;

/// <summary>
/// A school's registration address is its sender address with <c>+register</c> in the local part:
/// <c>daiichi-es+register@mail.demo-city.example</c>. One mailbox (plus-addressing at the MTA) serves every
/// school of a city, and the address guardians write to is on the domain they already allow.
/// </summary>
public static class RegistrationAddress
{
    public const string Tag = "+register";

    public static string For(SchoolProfile school)
    {
        ArgumentNullException.ThrowIfNull(school);
        var at = school.SenderAddress.LastIndexOf('@');
        return $"{school.SenderAddress[..at]}{Tag}{school.SenderAddress[at..]}";
    }

    /// <summary>The school id named by a registration address, or null.</summary>
    public static string? SchoolIdOf(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        if (address is null || at <= 0)
        {
            return null;
        }

        var local = address[..at];
        var tag = local.IndexOf(Tag, StringComparison.OrdinalIgnoreCase);
        var schoolId = tag > 0 && tag + Tag.Length == local.Length ? local[..tag].ToLowerInvariant() : null;
        return Ids.IsValid(schoolId) ? schoolId : null;
    }
}
