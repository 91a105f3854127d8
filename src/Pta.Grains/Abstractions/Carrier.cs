namespace Pta.Grains.Abstractions;

/// <summary>
/// Who receives a guardian's mail, as told by the address's domain (<see cref="GuardianAddress.Classify"/>).
/// The Japanese mobile carriers each have limits of their own (mission.md, "Mobile carriers"), so sending is
/// shaped per carrier. The values are explicit because they may be stored or counted: never renumber them.
/// </summary>
public enum Carrier
{
    /// <summary>NTT docomo: docomo.ne.jp.</summary>
    Docomo = 0,

    /// <summary>KDDI au: ezweb.ne.jp, au.com and their biz. business domains.</summary>
    Au = 1,

    /// <summary>SoftBank: softbank.ne.jp, i.softbank.jp, disney.ne.jp and the old *.vodafone.ne.jp.</summary>
    Softbank = 2,

    /// <summary>Y!mobile (SoftBank's sub-brand) with the domains it took over: ymobile.ne.jp, yahoo.ne.jp, emobile.ne.jp, WILLCOM's pdx.ne.jp and willcom.com.</summary>
    Ymobile = 3,

    /// <summary>Google's free mail: gmail.com, googlemail.com.</summary>
    Gmail = 4,

    /// <summary>Any other domain: PCs, providers, other free mail.</summary>
    Other = 5,
}

/// <summary>
/// Carrier names without boxing: <c>Enum.ToString()</c> allocates on every call, and the shaping decision asks for the
/// name once per message. <see cref="Of"/> is the configuration key (Docomo), <see cref="KeyOf"/> the grain key (docomo).
/// </summary>
public static class CarrierNames
{
    private static readonly string[] Names = Enum.GetNames<Carrier>();
    private static readonly string[] Keys = [.. Names.Select(n => n.ToLowerInvariant())];

    public static string Of(Carrier carrier) => Names[(int)carrier];

    public static string KeyOf(Carrier carrier) => Keys[(int)carrier];
}
