namespace Pta.Grains.Attachments;

/// <summary>
/// The file types a broadcast may link, recognised by their first bytes (magic numbers), never by the declared
/// Content-Type or the file name alone: an .exe or an HTML page labelled image/png is neither served nor linked.
/// Images that every phone browser shows, and PDF.
/// </summary>
public static class AttachmentTypes
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Gif = "image/gif";
    public const string WebP = "image/webp";
    public const string Pdf = "application/pdf";

    public static IReadOnlyList<string> Allowed { get; } = [Jpeg, Png, Gif, WebP, Pdf];

    /// <summary>The type the content is, when it is one of <see cref="Allowed"/>; otherwise null.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content) =>
        content switch
        {
            [0xFF, 0xD8, 0xFF, ..] => Jpeg,
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png,
            [0x47, 0x49, 0x46, 0x38, 0x37 or 0x39, 0x61, ..] => Gif, // GIF87a, GIF89a
            [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => WebP, // RIFF....WEBP
            [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => Pdf, // %PDF-
            _ => null,
        };

    /// <summary>The usual file name extension of an allowed type (for a default file name).</summary>
    public static string Extension(string contentType) =>
        contentType switch
        {
            Jpeg => ".jpg",
            Png => ".png",
            Gif => ".gif",
            WebP => ".webp",
            Pdf => ".pdf",
            _ => "",
        };

    /// <summary>A short label for the line in the mail, e.g. <c>PDF</c>.</summary>
    public static string Label(string contentType) =>
        contentType switch
        {
            Pdf => "PDF",
            _ => "画像",
        };
}
