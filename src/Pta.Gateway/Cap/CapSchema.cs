using System.Xml;
using System.Xml.Schema;

namespace Pta.Gateway.Cap;

/// <summary>
/// The CAP 1.2 schema (<c>cap-1.2.xsd</c>, embedded) compiled once, and the reader settings every CAP document is read
/// with: no DTD (entity expansion and external entities are how XML bombs and file reads get in), no resolver, and a
/// bound on the characters a document may expand to.
/// </summary>
internal static class CapSchema
{
    private static readonly Lazy<XmlSchemaSet> Compiled = new(Compile);

    /// <summary>Settings for reading without validation (the second pass, after the document was validated).</summary>
    public static XmlReaderSettings Plain(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// The same settings, validating against the CAP 1.2 schema: the first error throws
    /// <see cref="XmlSchemaValidationException"/> (no handler), which is the answer. A root element of another
    /// namespace raises no error here (it has no schema), so the caller checks the root itself.
    /// </summary>
    public static XmlReaderSettings Validating(long maxCharacters)
    {
        var settings = Plain(maxCharacters);
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = Compiled.Value;
        settings.ValidationFlags = XmlSchemaValidationFlags.None;
        return settings;
    }

    private static XmlSchemaSet Compile()
    {
        using var stream = typeof(CapSchema).Assembly.GetManifestResourceStream("Pta.Gateway.Cap.cap-1.2.xsd")
                           ?? throw new InvalidOperationException("The CAP 1.2 schema is not embedded in the gateway assembly.");
        using var reader = XmlReader.Create(stream, Plain(1_000_000));
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(CapAlert.Namespace, reader);
        set.Compile();
        return set;
    }
}
