using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Pta.Gateway.Cap;

/// <summary>
/// Reads a CAP 1.2 document in two passes: the first validates it against <see cref="CapSchema"/> while keeping the
/// path of the element being read, so a refusal names the element at fault; the second, only for a valid document,
/// takes the values intake needs. Everything is in memory and bounded by <see cref="MaxBytes"/>.
/// </summary>
public static class CapDocumentReader
{
    /// <summary>CAP alerts are a few kilobytes; 256 KiB leaves room for many areas and polygons, not for abuse.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Elements that may repeat; the path gives their position (1-based) so "which area" is clear.</summary>
    private static readonly HashSet<string> Repeatable =
        ["info", "area", "geocode", "parameter", "eventCode", "resource", "category", "responseType", "code", "polygon", "circle"];

    public static (CapAlert? Alert, CapProblem? Problem) Read(ReadOnlyMemory<byte> document)
    {
        if (Validate(document) is { } problem)
        {
            return (null, problem);
        }

        using var stream = new MemoryStream(document.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, CapSchema.Plain(MaxBytes * 2L));
        var root = XDocument.Load(reader).Root!;
        var alert = ToAlert(root);
        return alert.MsgType is "Update" or "Cancel" && alert.References.Count == 0
            ? (null, new CapProblem("alert/references", $"An {alert.MsgType} must name the alerts it refers to: \"sender,identifier,sent\" separated by spaces."))
            : (alert, ReferencesProblem(root));
    }

    private static CapProblem? Validate(ReadOnlyMemory<byte> document)
    {
        var path = new List<(string Name, Dictionary<string, int> Children)>();
        using var stream = new MemoryStream(document.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, CapSchema.Validating(MaxBytes * 2L));
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    if (path.Count == 0 && (reader.LocalName != "alert" || reader.NamespaceURI != CapAlert.Namespace))
                    {
                        return new CapProblem(reader.LocalName,
                            $"The root element is {{{reader.NamespaceURI}}}{reader.LocalName}; a CAP 1.2 alert is {{{CapAlert.Namespace}}}alert.");
                    }

                    Enter(path, reader.LocalName);
                    if (reader.IsEmptyElement)
                    {
                        path.RemoveAt(path.Count - 1);
                    }
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    path.RemoveAt(path.Count - 1);
                }
            }

            return null;
        }
        catch (XmlSchemaValidationException ex)
        {
            // The path is the element whose content is wrong: the parent of a child that is unexpected there, or
            // whose required child is missing (the message names the child and what was expected), or the
            // element whose value breaks its type or enumeration.
            return new CapProblem(PathText(path), $"{ex.Message} (line {ex.LineNumber}, position {ex.LinePosition})");
        }
        catch (XmlException ex)
        {
            // Not well-formed, a DTD, or too large once expanded: the parser's reason says which.
            return new CapProblem(path.Count == 0 ? "$" : PathText(path), ex.Message);
        }
    }

    private static void Enter(List<(string Name, Dictionary<string, int> Children)> path, string name)
    {
        var index = 1;
        if (path.Count > 0)
        {
            var siblings = path[^1].Children;
            index = siblings[name] = siblings.GetValueOrDefault(name) + 1;
        }

        path.Add((Repeatable.Contains(name) ? $"{name}[{index}]" : name, []));
    }

    private static string PathText(List<(string Name, Dictionary<string, int> Children)> path) =>
        string.Join('/', path.Select(p => p.Name));

    private static CapAlert ToAlert(XElement root) => new(
        Text(root, "identifier")!,
        Text(root, "sender")!,
        DateTimeOffset.Parse(Text(root, "sent")!, CultureInfo.InvariantCulture),
        Text(root, "status")!,
        Text(root, "msgType")!,
        Text(root, "scope")!,
        References(Text(root, "references")),
        [.. root.Elements(Name("info")).Select(ToInfo)]);

    private static CapInfo ToInfo(XElement info) => new(
        Text(info, "language") ?? "en-US",
        Text(info, "event")!,
        Text(info, "urgency")!,
        Text(info, "severity")!,
        Text(info, "certainty")!,
        Text(info, "senderName"),
        Text(info, "headline"),
        Text(info, "description"),
        Text(info, "instruction"),
        [.. info.Elements(Name("area")).Select(area => new CapArea(
            Text(area, "areaDesc")!,
            [.. area.Elements(Name("geocode")).Select(g => new CapGeocode(Text(g, "valueName")!.Trim(), Text(g, "value")!.Trim()))]))]);

    /// <summary>CAP's <c>references</c>: entries separated by white space, each <c>sender,identifier,sent</c>.</summary>
    private static IReadOnlyList<CapReference> References(string? text) =>
        text is null
            ? []
            : [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split(','))
                .Where(parts => parts.Length == 3 && parts.All(p => p.Length > 0))
                .Select(parts => new CapReference(parts[0], parts[1], parts[2]))];

    private static CapProblem? ReferencesProblem(XElement root)
    {
        var entries = Text(root, "references")?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
        var bad = entries.FirstOrDefault(e => e.Split(',') is not { Length: 3 } parts || parts.Any(p => p.Length == 0));
        return bad is null ? null : new CapProblem("alert/references", $"\"{bad}\" is not \"sender,identifier,sent\".");
    }

    private static string? Text(XElement parent, string name) => parent.Element(Name(name))?.Value;

    private static XName Name(string local) => XName.Get(local, CapAlert.Namespace);
}
