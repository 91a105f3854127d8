using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Pta.Gateway.Access;
using Pta.Gateway.RateLimits;
using Pta.Grains.Abstractions;
using Pta.Grains.Attachments;
using Pta.Grains.Audit;
using Pta.Grains.Registration;

namespace Pta.Gateway.Apis;

/// <summary>
/// Attachments: staff upload an image or PDF, a broadcast names it in <c>attachments</c>, and each mail carries a
/// link instead of the file (<see cref="AttachmentLinks"/>). Guardians open the link from a phone without logging in,
/// so the address itself is the secret: 128 random bits, never listed, no referrer sent on.
/// </summary>
public static class AttachmentApi
{
    public static IEndpointRouteBuilder MapAttachmentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("Attachments");
        api.MapPost("/schools/{schoolId}/attachments", UploadForSchoolAsync).WithName("UploadSchoolAttachment")
            .WithSummary("Upload an image or PDF for the school's broadcasts; the answer's id goes into a broadcast's attachments")
            .DescribesUpload();
        api.MapPost("/boards/{boardId}/attachments", UploadForBoardAsync).WithName("UploadBoardAttachment")
            .WithSummary("Upload an image or PDF for the board's broadcasts")
            .DescribesUpload();
        app.MapGet("/files/{attachmentId}", DownloadAsync).AllowAnonymous().WithName("DownloadAttachment").WithTags("Attachments")
            .WithSummary("A broadcast's attachment, as guardians open it from the link in the mail (no login)")
            .Produces(StatusCodes.Status200OK, contentType: AttachmentTypes.Pdf).ProducesProblem(StatusCodes.Status404NotFound)
            .RateLimitedAs(PublicEndpoint.Files);
        return app;
    }

    /// <summary>
    /// Documents the raw body in OpenAPI. Not <c>Accepts(...)</c>: that makes routing answer 415 before authentication
    /// runs, so a caller without a credential would learn about the endpoint instead of getting 401.
    /// </summary>
    private static RouteHandlerBuilder DescribesUpload(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = $"The file's bytes as the body (at most {AttachmentUpload.MaxBytes / (1024 * 1024)} MB): a JPEG, PNG, GIF or WebP image " +
                              "or a PDF, recognised by its content. The query parameter name is the file name shown in the mail.",
                Content = AttachmentTypes.Allowed.ToDictionary(t => t, _ => new OpenApiMediaType()),
            };
            return Task.CompletedTask;
        })
        .Produces<AttachmentView>(StatusCodes.Status201Created).ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    internal static async Task<IResult> UploadForSchoolAsync(
        string schoolId, string? name, HttpContext context, IGrainFactory grains, IAttachmentStore store, IAuditLog audit, TimeProvider time, IOptions<GuardianLinkOptions> links) =>
        await TemplateApi.ReachableSchoolAsync(schoolId, context.User, grains) is { } school
            ? await StoreAsync(AttachmentOwner.School(school.SchoolId), name, context, store, audit, time, links.Value)
            : Problems.NotFound("school");

    internal static async Task<IResult> UploadForBoardAsync(
        string boardId, string? name, HttpContext context, IGrainFactory grains, IAttachmentStore store, IAuditLog audit, TimeProvider time, IOptions<GuardianLinkOptions> links) =>
        await BoardApi.OwnBoardAsync(boardId, context.User, grains) is { } board
            ? await StoreAsync(AttachmentOwner.Board(board.BoardId), name, context, store, audit, time, links.Value)
            : Problems.NotFound("board");

    internal static async Task<IResult> DownloadAsync(string attachmentId, HttpContext context, AttachmentCache files, CancellationToken cancellationToken)
    {
        if (!AttachmentLinks.IsAttachmentId(attachmentId) || await files.ReadAsync(attachmentId, cancellationToken) is not { } file)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No file at this address.");
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff"; // the sniffed type is the served type; browsers must not guess another
        headers["Referrer-Policy"] = "no-referrer"; // the link is the secret: never pass it on
        headers["X-Robots-Tag"] = "noindex";
        headers.CacheControl = "private, max-age=86400";
        var disposition = new ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(file.Info.FileName);
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Bytes(file.Content, file.Info.ContentType, enableRangeProcessing: true,
            entityTag: new EntityTagHeaderValue($"\"{file.Info.AttachmentId}\""));
    }

    private static async Task<IResult> StoreAsync(
        string owner, string? name, HttpContext context, IAttachmentStore store, IAuditLog audit, TimeProvider time, GuardianLinkOptions links)
    {
        var (upload, error) = await AttachmentUpload.ReadAsync(context, name);
        if (error is not null)
        {
            return error;
        }

        var caller = CallerGrant.From(context.User);
        var info = new AttachmentInfo(Ids.New("at"), owner, upload!.FileName, upload.ContentType, upload.Content.Length, caller.KeyId, time.GetUtcNow());
        await store.SaveAsync(info, upload.Content, context.RequestAborted);
        await audit.RecordAsync(new AuditEntry(info.UploadedAt, caller.KeyId, "attachment.upload", owner,
            $"{info.AttachmentId} {info.ContentType} {info.Length} bytes"), context.RequestAborted);
        var url = AttachmentLinks.UrlFor(links.PublicBaseUrl, info.AttachmentId);
        return TypedResults.Created(url, new AttachmentView(info.AttachmentId, info.FileName, info.ContentType, info.Length, url, info.UploadedAt));
    }
}
