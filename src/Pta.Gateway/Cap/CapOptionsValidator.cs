using Microsoft.Extensions.Options;
using Pta.Gateway.Apis;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Cap;

/// <summary>
/// Refuses a rule set that could only misfire (at start-up, <c>ValidateOnStart</c>): a misspelt severity would
/// silently match nothing, and an alert that should have gone out at 3 a.m. would not.
/// </summary>
public sealed class CapOptionsValidator : IValidateOptions<CapOptions>
{
    private static readonly string[] Severities = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
    private static readonly string[] Urgencies = ["Immediate", "Expected", "Future", "Past", "Unknown"];

    public ValidateOptionsResult Validate(string? name, CapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var at = $"{CapOptions.Section}:Rules:{i}";
            if (string.IsNullOrWhiteSpace(rule.Name))
            {
                failures.Add($"{at}:Name is required.");
            }
            else if (options.Rules.Take(i).Any(r => r.Name == rule.Name))
            {
                failures.Add($"{at}:Name '{rule.Name}' is used by an earlier rule.");
            }

            if (!Ids.IsValid(rule.Board))
            {
                failures.Add($"{at}:Board must be a board id.");
            }

            failures.AddRange(rule.Schools.Where(s => !Ids.IsValid(s)).Select(s => $"{at}:Schools: '{s}' is not a school id."));
            failures.AddRange(rule.Severities.Where(s => !Severities.Contains(s)).Select(s => $"{at}:Severities: '{s}' is not one of {string.Join(", ", Severities)}."));
            failures.AddRange(rule.Urgencies.Where(s => !Urgencies.Contains(s)).Select(s => $"{at}:Urgencies: '{s}' is not one of {string.Join(", ", Urgencies)}."));
            failures.AddRange(rule.Geocodes.Where(g => string.IsNullOrWhiteSpace(g.ValueName) || string.IsNullOrWhiteSpace(g.Value) || g.Value == "*")
                .Select(_ => $"{at}:Geocodes: each needs a ValueName and a Value (a prefix ends in *)."));
            if (!BroadcastRequestValidator.TryParseCategory(rule.Category, out var category) || category == BroadcastCategory.Maintenance)
            {
                failures.Add($"{at}:Category must be emergency, safety, info or test.");
            }

            if (!Enum.IsDefined(rule.Action))
            {
                failures.Add($"{at}:Action must be Draft or Send.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
