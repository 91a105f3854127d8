using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pta.Grains.Abstractions;
using Pta.Testing;
using Xunit.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>
/// Attachments go out as links: the mail stays small whatever the file, the link downloads the exact bytes without a
/// login, the type is decided by the content, and a broadcast can only link its own school's (or board's) files.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class AttachmentTests(GatewayFixture fixture, ITestOutputHelper output)
{
    /// <summary>Far below SoftBank's 1 MB limit; a 2 MB file attached to the mail would be over 2.7 MB in base64.</summary>
    private const int MaxMailBytes = 20 * 1024;

    [Fact]
    public async Task A_2_MB_PDF_goes_out_as_a_link_the_mail_stays_small_and_the_link_downloads_the_exact_bytes()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 5);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        var pdf = Pdf(2 * 1024 * 1024);

        var uploaded = await UploadAsync(staff, $"/api/v1/schools/{tenant.School.SchoolId}/attachments?name={Uri.EscapeDataString("運動会のお知らせ.pdf")}", pdf, "application/pdf");
        var id = uploaded.GetProperty("attachmentId").GetString()!;
        Assert.Equal("application/pdf", uploaded.GetProperty("contentType").GetString());
        Assert.Equal(pdf.Length, uploaded.GetProperty("length").GetInt64());
        Assert.Equal(pdf.Length, await fixture.Database.ScalarAsync("SELECT length(content) FROM pta_attachment WHERE id = $1", id)); // in PostgreSQL

        using var sent = await staff.SendAsync(Requests.Post(tenant.School.SchoolId, new
        {
            subject = "運動会のお知らせ", body = "運動会の詳細は添付ファイルをご覧ください。", category = "info", attachments = new[] { id },
        }));
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(staff, sent.Headers.Location!.ToString());
        var mails = await fixture.Sink.WaitForAsync(m => m.RcptTo.Any(r => r.Contains(tenant.School.SchoolId[2..], StringComparison.Ordinal)), 5, TimeSpan.FromSeconds(30));

        var sizes = mails.Select(m => Encoding.UTF8.GetByteCount(m.Raw)).ToList();
        output.WriteLine($"attachment {pdf.Length} bytes; mail sizes as received by smtp-sink: {string.Join(", ", sizes)} bytes");
        Assert.All(sizes, size => Assert.True(size < MaxMailBytes, $"a mail of {size} bytes, over {MaxMailBytes}"));
        var links = mails.Select(m => FileLink().Match(m.Message.TextBody ?? "")).ToList();
        Assert.All(mails, m => Assert.Contains($"・運動会のお知らせ.pdf（PDF 2.0 MB） http://pta.test/files/{id}", m.Message.TextBody, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Single(m.Message.BodyParts)); // a link, no MIME attachment

        using var anonymous = fixture.Anonymous();
        using var download = await anonymous.GetAsync(new Uri(links[0].Value).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("運動会のお知らせ.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);

        using var unknown = await anonymous.GetAsync($"/files/at-{new string('0', 32)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_forged_type_is_415_an_oversized_file_413_and_a_bad_name_400_and_nothing_is_stored()
    {
        var tenant = await fixture.CreateTenantAsync(guardians: 1);
        using var staff = fixture.WithToken(tenant.SchoolToken);
        var url = $"/api/v1/schools/{tenant.School.SchoolId}/attachments";
        var exe = new byte[4096];
        "MZ"u8.CopyTo(exe); // a Windows executable's first bytes
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 };
        var cases = new (string What, string Url, byte[] Content, string ContentType, HttpStatusCode Expected, string? Field)[]
        {
            ("an .exe declared as image/png", $"{url}?name=photo.png", exe, "image/png", HttpStatusCode.UnsupportedMediaType, null),
            ("HTML declared as application/pdf", url, "<html><script>alert(1)</script></html>"u8.ToArray(), "application/pdf", HttpStatusCode.UnsupportedMediaType, null),
            ("a PNG declared as application/pdf", url, png, "application/pdf", HttpStatusCode.UnsupportedMediaType, null),
            ("over 10 MB", url, Pdf((10 * 1024 * 1024) + 1), "application/pdf", HttpStatusCode.RequestEntityTooLarge, null),
            ("empty", url, [], "application/pdf", HttpStatusCode.BadRequest, "file"),
            ("a path as the name", $"{url}?name={Uri.EscapeDataString("../../etc/passwd")}", Pdf(100), "application/pdf", HttpStatusCode.BadRequest, "name"),
        };

        var before = await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_attachment WHERE owner = $1", $"school:{tenant.School.SchoolId}");
        foreach (var (what, target, content, type, expected, field) in cases)
        {
            using var body = new ByteArrayContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(type);
            using var response = await staff.PostAsync(target, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {response.Content.Headers.ContentType}");
            if (field is not null)
            {
                Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{what}: no '{field}' in {text}");
            }
        }

        Assert.Equal(before, await fixture.Database.ScalarAsync("SELECT count(*) FROM pta_attachment WHERE owner = $1", $"school:{tenant.School.SchoolId}"));
    }

    [Fact]
    public async Task Another_schools_or_the_boards_attachment_id_is_400_naming_its_index_and_nothing_is_sent()
    {
        var mine = await fixture.CreateTenantAsync(guardians: 2);
        var theirs = await fixture.CreateTenantAsync(guardians: 2);
        using var staff = fixture.WithToken(mine.SchoolToken);
        var own = (await UploadAsync(staff, $"/api/v1/schools/{mine.School.SchoolId}/attachments", Pdf(1000), "application/pdf")).GetProperty("attachmentId").GetString();
        var foreign = (await UploadAsync(fixture.WithToken(theirs.SchoolToken), $"/api/v1/schools/{theirs.School.SchoolId}/attachments", Pdf(1000), null))
            .GetProperty("attachmentId").GetString();
        var boards = (await UploadAsync(fixture.WithToken(mine.BoardToken), $"/api/v1/boards/{mine.School.BoardId}/attachments", Pdf(1000), "application/pdf"))
            .GetProperty("attachmentId").GetString();
        var key = Guid.NewGuid().ToString();

        using var response = await staff.SendAsync(Requests.Post(mine.School.SchoolId, new
        {
            subject = "お知らせ", body = "添付をご覧ください。", category = "info", attachments = new[] { own, foreign, boards, "at-not-an-id" },
        }, key));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
        Assert.Equal(["attachments[1]", "attachments[2]", "attachments[3]"], fields);
        Assert.Null(await fixture.Grains.GetGrain<IBroadcastGrain>(Ids.BroadcastId(mine.School.SchoolId, key)).GetAsync());

        // The board links its own file from a board broadcast.
        using var board = fixture.WithToken(mine.BoardToken);
        using var boardSent = await board.SendAsync(TemplateTests.BoardPost(mine.School.BoardId, new
        {
            subject = "お知らせ", body = "市からのお知らせです。", category = "info", attachments = new[] { boards },
        }));
        Assert.Equal(HttpStatusCode.Accepted, boardSent.StatusCode);
        await BroadcastPolling.WaitForStatusAsync(board, boardSent.Headers.Location!.ToString());
        var mails = await fixture.Sink.WaitForAsync(m => m.RcptTo.Any(r => r.Contains(mine.School.SchoolId[2..], StringComparison.Ordinal)), 2, TimeSpan.FromSeconds(30));
        Assert.All(mails, m => Assert.Contains($"http://pta.test/files/{boards}", m.Message.TextBody, StringComparison.Ordinal));
    }

    /// <summary>A PDF of exactly <paramref name="length"/> bytes: the magic number, then random bytes (as incompressible as a real one).</summary>
    private static byte[] Pdf(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static async Task<JsonElement> UploadAsync(HttpClient client, string url, byte[] content, string? contentType)
    {
        using var body = new ByteArrayContent(content);
        if (contentType is not null)
        {
            body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await client.PostAsync(url, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload to {url}: {(int)response.StatusCode} {json}");
        Assert.Equal(json.GetProperty("url").GetString(), response.Headers.Location?.ToString());
        return json;
    }

    [GeneratedRegex(@"http://pta\.test/files/at-[0-9a-f]{32}")]
    private static partial Regex FileLink();
}
