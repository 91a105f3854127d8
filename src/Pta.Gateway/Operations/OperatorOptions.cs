namespace Pta.Gateway.Operations;

/// <summary>
/// <c>Pta:Operator</c>: the cluster operator's credential, for what spans every board (the Orleans Dashboard, and
/// <c>/metrics</c> from another host). Unset (default): no operator credential exists, the dashboard answers no one,
/// and <c>/metrics</c> from another host takes a board administrator's credential.
/// </summary>
public sealed class OperatorOptions
{
    public const string Section = "Pta:Operator";

    /// <summary>A long random secret (e.g. <c>openssl rand -base64 32</c>), presented as <c>Bearer</c> or as the Basic password.</summary>
    public string? Token { get; set; }
}
