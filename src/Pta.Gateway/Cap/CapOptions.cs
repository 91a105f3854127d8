namespace Pta.Gateway.Cap;

/// <summary>
/// <c>Pta:Cap</c>: how CAP alerts become broadcasts. Rules are tried in order, school by school: each school is
/// decided by the first matching rule that covers it (<see cref="CapRuleMatcher"/>), so a narrow rule (one ward's
/// schools, Send) goes before a broad one (the whole board, Draft) and both act. Only the rules of the calling board's
/// credential are considered: a board never triggers another board's rule.
/// </summary>
public sealed class CapOptions
{
    public const string Section = "Pta:Cap";

    public List<CapRule> Rules { get; set; } = [];
}

/// <summary>What a rule does with an alert it matches.</summary>
public enum CapAction
{
    /// <summary>A broadcast waiting in the board's approval queue: a board administrator reads and approves it.</summary>
    Draft = 0,

    /// <summary>An immediate send, as a board administrator's own broadcast would go.</summary>
    Send = 1,
}

/// <summary>
/// One mapping from alerts to a broadcast. Every condition left empty matches anything; the listed values of one
/// condition are alternatives (any of them), the conditions together must all hold within one <c>info</c> block.
/// </summary>
public sealed class CapRule
{
    /// <summary>Named in answers and in the alert log, so an operator can tell which rule acted.</summary>
    public string Name { get; set; } = "";

    /// <summary>The board whose broadcast it makes; its credential must be the caller's.</summary>
    public string Board { get; set; } = "";

    /// <summary>Text the <c>event</c> contains, e.g. 地震 or 津波 (ordinal, case-sensitive).</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>CAP severities: Extreme, Severe, Moderate, Minor, Unknown.</summary>
    public List<string> Severities { get; set; } = [];

    /// <summary>CAP urgencies: Immediate, Expected, Future, Past, Unknown.</summary>
    public List<string> Urgencies { get; set; } = [];

    /// <summary>Area codes; one of the alert's areas must carry one. A value ending in <c>*</c> is a prefix (e.g. <c>13*</c>).</summary>
    public List<CapGeocodeRule> Geocodes { get; set; } = [];

    /// <summary>The board's schools it goes to; empty, every school of the board.</summary>
    public List<string> Schools { get; set; } = [];

    /// <summary>The broadcast's category: emergency, safety, info or test.</summary>
    public string Category { get; set; } = "emergency";

    public CapAction Action { get; set; } = CapAction.Draft;
}

/// <summary>A geocode condition: the code list's name as CAP's <c>valueName</c> has it, and the code (or prefix with <c>*</c>).</summary>
public sealed class CapGeocodeRule
{
    public string ValueName { get; set; } = "";

    public string Value { get; set; } = "";

    public bool Matches(CapGeocode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return string.Equals(code.ValueName, ValueName, StringComparison.OrdinalIgnoreCase)
               && (Value.EndsWith('*')
                   ? code.Value.StartsWith(Value[..^1], StringComparison.Ordinal)
                   : string.Equals(code.Value, Value, StringComparison.Ordinal));
    }
}
