using Pta.Grains.Attachments;
using Pta.Grains.Templates;

namespace Pta.Grains.Tests;

/// <summary>The placeholder syntax, the built-in templates it must accept, and the content sniffing of attachments.</summary>
public sealed class TemplateTextTests
{
    [Fact]
    public void Placeholders_are_replaced_braces_escape_and_a_value_is_never_expanded_again()
    {
        var missing = new HashSet<string>();
        var values = new Dictionary<string, string> { ["学校名"] = "第一小", ["date"] = "{学校名}" };

        var text = TemplateText.Render("{{見出し}} {学校名}: {date} {理由}", n => values.GetValueOrDefault(n), missing);

        Assert.Equal("{見出し} 第一小: {学校名} {理由}", text);
        Assert.Equal(["理由"], missing);
        Assert.Equal(["学校名", "date", "理由"], TemplateText.Placeholders("{学校名}{date}{学校名}{理由}"));
    }

    [Theory]
    [InlineData("閉じない {日付", 5)]
    [InlineData("空 {} の名前", 2)]
    [InlineData("空白 {学校 名}", 3)]
    [InlineData("単独の } 括弧", 4)]
    public void A_broken_template_is_refused_with_the_position(string text, int position)
    {
        var problem = TemplateText.Problem(text);

        Assert.NotNull(problem);
        Assert.Contains($"position {position}", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_built_in_template_parses_and_has_a_one_line_subject()
    {
        Assert.Equal(["rinji-kyuko", "fushinsha", "jishin", "taifu", "gakkyu-heisa", "monthly-test", "maintenance"],
            BuiltInTemplates.All.Select(t => t.TemplateId));
        Assert.All(BuiltInTemplates.All, t =>
        {
            Assert.Null(TemplateText.Problem(t.Subject));
            Assert.Null(TemplateText.Problem(t.Body));
            Assert.DoesNotContain('\n', t.Subject);
            Assert.Contains("{発信者}", t.Body, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, AttachmentTypes.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, AttachmentTypes.Png)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61 }, AttachmentTypes.Gif)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50 }, AttachmentTypes.WebP)]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, AttachmentTypes.Pdf)]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0 }, null)] // MZ: a Windows executable
    [InlineData(new byte[] { 0x3C, 0x73, 0x76, 0x67 }, null)] // <svg: could carry script
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45 }, null)] // RIFF WAVE
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, null)] // a truncated PNG signature
    public void Attachments_are_recognised_by_their_first_bytes(byte[] content, string? expected) =>
        Assert.Equal(expected, AttachmentTypes.Sniff(content));
}
