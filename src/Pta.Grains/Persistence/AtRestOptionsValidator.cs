using Microsoft.Extensions.Options;

namespace Pta.Grains.Persistence;

/// <summary>
/// Refuses a start without usable at-rest keys, listing every problem with the setting it concerns: a silo that
/// started anyway would fail on its first grain write, or worse, seal with a key the other silos do not have.
/// </summary>
public sealed class AtRestOptionsValidator : IValidateOptions<AtRestOptions>
{
    public ValidateOptionsResult Validate(string? name, AtRestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
