using System.Text;
using Pta.Gateway.Apis;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Roster;

/// <summary>
/// The class-list format: a header row naming the columns (any order, extra columns ignored), then one row per
/// (child, guardian). Columns: <c>grade, class, child_name, guardian_name, address1</c> (required), <c>address2</c>–
/// <c>address4</c> (optional), and <c>school_id</c> for a board's city-wide file. Every row is checked before
/// anything is written, so a bad file changes nothing.
/// </summary>
public static class RosterCsv
{
    public static readonly string[] RequiredColumns = ["grade", "class", "child_name", "guardian_name", "address1"];
    private const int MaxErrors = 50;

    /// <summary>Parses and validates the whole file; rows by school id (or by <paramref name="schoolId"/> when given).</summary>
    public static (Dictionary<string, List<RosterImportRow>> Rows, Dictionary<string, string[]> Errors) Parse(TextReader text, string? schoolId)
    {
        var rows = new Dictionary<string, List<RosterImportRow>>();
        var errors = new Dictionary<string, string[]>();
        var csv = new CsvReader(text);
        try
        {
            var header = csv.Read()?.Select(h => h.Trim().ToLowerInvariant()).ToList() ?? [];
            var missing = RequiredColumns.Concat(schoolId is null ? ["school_id"] : []).Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                errors["header"] = [$"Missing column(s): {string.Join(", ", missing)}."];
                return (rows, errors);
            }

            var guardiansPerChild = new Dictionary<(string, int, string, string), HashSet<string>>();
            while (csv.Read() is { } record && errors.Count < MaxErrors)
            {
                if (record is [""])
                {
                    continue; // blank line
                }

                string Field(string name) => header.IndexOf(name) is var i and >= 0 && i < record.Count ? record[i].Trim() : "";
                var rowErrors = new Dictionary<string, string[]>();
                var school = schoolId ?? Field("school_id");
                if (!Ids.IsValid(school))
                {
                    rowErrors["school_id"] = ["Not a school id."];
                }

                if (!int.TryParse(Field("grade"), out var grade) || grade is < BroadcastRequestValidator.MinGrade or > BroadcastRequestValidator.MaxGrade)
                {
                    rowErrors["grade"] = [$"A grade between {BroadcastRequestValidator.MinGrade} and {BroadcastRequestValidator.MaxGrade}."];
                }

                TextRules.Check(rowErrors, "class", Field("class"), BroadcastRequestValidator.MaxClassNameLength, allowLineBreaks: false);
                TextRules.Check(rowErrors, "child_name", Field("child_name"), RegistrationRequestValidator.MaxNameLength, allowLineBreaks: false);
                TextRules.Check(rowErrors, "guardian_name", Field("guardian_name"), RegistrationRequestValidator.MaxNameLength, allowLineBreaks: false);
                var addresses = new List<string>();
                for (var slot = 1; slot <= AddressSlot.MaxSlots; slot++)
                {
                    var value = Field($"address{slot}");
                    if (value.Length == 0)
                    {
                        if (slot == 1)
                        {
                            rowErrors["address1"] = ["Required."];
                        }

                        continue;
                    }

                    if (GuardianAddress.TryNormalize(value, out var normalized, out var error))
                    {
                        addresses.Add(normalized);
                    }
                    else
                    {
                        rowErrors[$"address{slot}"] = [error];
                    }
                }

                if (rowErrors.Count == 0)
                {
                    var key = (school, grade, Field("class"), Field("child_name"));
                    var guardians = guardiansPerChild.TryGetValue(key, out var set) ? set : guardiansPerChild[key] = [];
                    if (guardians.Add(addresses[0].ToLowerInvariant()) && guardians.Count > ChildRecord.MaxGuardians)
                    {
                        rowErrors["guardian_name"] = [$"A child has at most {ChildRecord.MaxGuardians} guardians."];
                    }
                }

                foreach (var (field, messages) in rowErrors)
                {
                    errors[$"line {csv.Line}: {field}"] = messages;
                }

                if (rowErrors.Count == 0)
                {
                    (rows.TryGetValue(school, out var list) ? list : rows[school] = [])
                        .Add(new RosterImportRow(grade, Field("class"), Field("child_name"), Field("guardian_name"), addresses));
                }
            }
        }
        catch (FormatException ex)
        {
            errors["csv"] = [ex.Message];
        }

        return (rows, errors);
    }

    /// <summary>The roster as staff may take it away: masked addresses only.</summary>
    public static string Export(IEnumerable<ChildView> children)
    {
        var csv = new StringBuilder("grade,class,child_name,guardian_name,slot,masked_address,status,carrier,receiving\r\n");
        foreach (var child in children)
        {
            foreach (var guardian in child.Guardians)
            {
                foreach (var address in guardian.Addresses)
                {
                    csv.Append(CultureInvariant($"{child.Grade},{Cell(child.Class)},{Cell(child.Name)},{Cell(guardian.Name)},{address.Slot},{Cell(address.Masked)},"))
                        .Append($"{address.Status},{address.Carrier},{(guardian.Receiving && address.Slot <= AddressSlot.BroadcastSlots && address.Status == AddressStatus.Verified).ToString().ToLowerInvariant()}\r\n");
                }
            }
        }

        return csv.ToString();
    }

    /// <summary>Quotes where needed, and defuses spreadsheet formulas (a cell starting with = + - @ would run in Excel).</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
