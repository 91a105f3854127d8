using System.Globalization;
using System.Text;
using Pta.Gateway.Roster;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Reports;

/// <summary>
/// The report and the phone-call list as CSV for staff: UTF-8 with a byte order mark (Excel in Japan reads a file
/// without one as Shift_JIS and garbles every name), CRLF line ends, every text cell through
/// <see cref="RosterCsv.Cell"/> (quotes, commas, line breaks, and formula injection: = + - @ are defused).
/// </summary>
public static class ReportCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>A total line, then per school a school line followed by its class lines.</summary>
    public static byte[] Report(BroadcastReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder(
            "level,school_id,school_name,grade,class,households,addresses,delivered,deferred,bounced,pending,reached_households,confirmed_households,confirmed_percent\r\n");
        Line(csv, "total", "", "", null, "", report.Totals);
        foreach (var school in report.Schools)
        {
            Line(csv, "school", school.SchoolId, school.SchoolName, null, "", school.Counts);
            foreach (var line in school.Classes)
            {
                Line(csv, "class", school.SchoolId, school.SchoolName, line.Grade, line.Class, line.Counts);
            }
        }

        return WithBom(csv);
    }

    /// <summary>One line per (household, child) of the phone-call list, addresses masked, several joined by " / ".</summary>
    public static byte[] Unconfirmed(IEnumerable<UnconfirmedHousehold> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new StringBuilder("school_id,grade,class,child_name,guardian_name,masked_addresses,reason,smtp_reply\r\n");
        foreach (var line in lines)
        {
            csv.Append(Cell(line.SchoolId)).Append(',')
                .Append(line.Grade?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(line.Class)).Append(',')
                .Append(Cell(line.ChildName)).Append(',')
                .Append(Cell(line.GuardianName)).Append(',')
                .Append(Cell(string.Join(" / ", line.MaskedAddresses))).Append(',')
                .Append(Reason(line.Reason)).Append(',')
                .Append(Cell(line.Reply)).Append("\r\n");
        }

        return WithBom(csv);
    }

    /// <summary>The reason as the CSV spells it.</summary>
    public static string Reason(FollowUpReason reason) => reason switch
    {
        FollowUpReason.Unconfirmed => "unconfirmed",
        FollowUpReason.Bounced => "bounced",
        FollowUpReason.Deferred => "deferred",
        FollowUpReason.Pending => "pending",
        FollowUpReason.NoAddressOnFile => "no address on file",
        FollowUpReason.BroadcastsSwitchedOff => "broadcasts switched off",
        _ => reason.ToString(),
    };

    private static void Line(StringBuilder csv, string level, string schoolId, string schoolName, int? grade, string className, ReportCounts c) =>
        csv.Append(level).Append(',').Append(Cell(schoolId)).Append(',').Append(Cell(schoolName)).Append(',')
            .Append(grade?.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Cell(className)).Append(',')
            .Append(CultureInfo.InvariantCulture, $"{c.Households},{c.Addresses},{c.Delivered},{c.Deferred},{c.Bounced},{c.Pending},")
            .Append(CultureInfo.InvariantCulture, $"{c.ReachedHouseholds},{c.ConfirmedHouseholds},{c.ConfirmedPercent:0.0}\r\n");

    private static string Cell(string? value) => value is null ? "" : RosterCsv.Cell(value);

    private static byte[] WithBom(StringBuilder csv) => [.. Utf8WithBom.GetPreamble(), .. Utf8WithBom.GetBytes(csv.ToString())];
}
