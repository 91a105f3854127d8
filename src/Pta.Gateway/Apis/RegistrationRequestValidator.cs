using Pta.Grains.Abstractions;

namespace Pta.Gateway.Apis;

/// <summary>Checks a registration form field by field; addresses are normalised by the guardian address rules.</summary>
public static class RegistrationRequestValidator
{
    public const int MaxNameLength = 50;
    public const int MaxExtraAddresses = AddressSlot.MaxSlots - 1;

    public static Dictionary<string, string[]> Validate(RegistrationRequest request, out List<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        addresses = [];
        TextRules.Check(errors, "authCode", request.AuthCode, 32, allowLineBreaks: false);
        TextRules.Check(errors, "childName", request.ChildName, MaxNameLength, allowLineBreaks: false);
        TextRules.Check(errors, "guardianName", request.GuardianName, MaxNameLength, allowLineBreaks: false);
        TextRules.Check(errors, "class", request.Class, BroadcastRequestValidator.MaxClassNameLength, allowLineBreaks: false);
        if (request.Grade is not (>= BroadcastRequestValidator.MinGrade and <= BroadcastRequestValidator.MaxGrade))
        {
            errors["grade"] = [$"A grade between {BroadcastRequestValidator.MinGrade} and {BroadcastRequestValidator.MaxGrade} is required."];
        }

        if (request.Consent != true)
        {
            errors["consent"] = ["Registration needs consent to the privacy policy."];
        }

        var extra = request.Addresses ?? [];
        if (extra.Count > MaxExtraAddresses)
        {
            errors["addresses"] = [$"At most {MaxExtraAddresses} more addresses (slots 2–4)."];
            return errors;
        }

        for (var i = 0; i < extra.Count; i++)
        {
            if (GuardianAddress.TryNormalize(extra[i], out var normalized, out var error))
            {
                addresses.Add(normalized);
            }
            else
            {
                errors[$"addresses[{i}]"] = [error];
            }
        }

        return errors;
    }
}
