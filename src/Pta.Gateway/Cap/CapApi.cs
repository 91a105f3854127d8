using Microsoft.Extensions.Options;
using Pta.Gateway.Access;
using Pta.Gateway.Apis;
using Pta.Grains.Abstractions;
using Pta.Grains.Cap;

namespace Pta.Gateway.Cap;

/// <summary>
/// <c>POST /api/v1/cap</c>: a board's disaster system or a relay of the weather agency's feed posts a CAP 1.2 alert,
/// and the board's rules (<c>Pta:Cap:Rules</c>) turn it into a broadcast draft or an immediate send, update or cancel
/// it. Boards need not retype what an agency already issued.
/// </summary>
public static partial class CapApi
{
    public static RouteHandlerBuilder MapCapApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/cap", IntakeAsync)
            .RequireAuthorization()
            .WithTags("CAP intake")
            .WithName("IntakeCapAlert")
            .WithSummary("Take a CAP 1.2 alert (application/cap+xml): the board's rules make it a draft or an immediate send, or update or cancel the broadcast it references")
            .WithDescription("A board credential. The alert is validated against CAP 1.2 (no DTD, at most 256 KiB); a bad one is refused with 400 " +
                             "naming the element at fault. Alert: each of the caller's board's schools is decided by the first matching rule that " +
                             "covers it, and each acting rule creates a broadcast to its schools (202), waiting for approval (Draft) or sending " +
                             "at once (Send). Update: a waiting broadcast gets the new text; one " +
                             "that started sending is replaced by a new broadcast (a sent mail cannot be edited). Cancel: the referenced broadcasts " +
                             "are cancelled. Test, Exercise, System and Draft alerts only say what would have been done, with the audience count. " +
                             "The same alert (sender, identifier) posted again answers what was done the first time.")
            .Accepts<string>("application/cap+xml", "application/xml")
            .Produces<CapIntakeResult>()
            .Produces<CapIntakeResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    internal static async Task<IResult> IntakeAsync(
        HttpContext context,
        IGrainFactory grains,
        ICapAlertLog log,
        IOptions<CapOptions> options,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var caller = CallerGrant.From(context.User);
        if (caller.Role is not (CredentialRole.Board or CredentialRole.BoardOperator))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed",
                detail: "CAP alerts are taken with a board's credential: its rules name the board's schools.");
        }

        if (!Ids.IsValid(caller.BoardId) || await grains.GetGrain<IBoardGrain>(caller.BoardId).GetProfileAsync() is not { } board)
        {
            return Problems.NotFound("board");
        }

        var (document, bodyError) = await ReadBodyAsync(context.Request, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var (alert, problem) = CapDocumentReader.Read(document);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Detail] },
                title: "Not a valid CAP 1.2 alert");
        }

        var rules = options.Value.Rules;
        var intake = new CapIntake(grains, log, rules, board, BroadcastLifecycleApi.ActorOf(context), time, loggers.CreateLogger(nameof(CapApi)));
        return alert!.IsActual
            ? await intake.ActAsync(alert, cancellationToken)
            : TypedResults.Ok(await CapDryRun.DescribeAsync(alert, intake, rules, board, grains, cancellationToken));
    }

    /// <summary>The body, at most <see cref="CapDocumentReader.MaxBytes"/>, of an XML media type; otherwise the refusal.</summary>
    private static async Task<(ReadOnlyMemory<byte> Document, IResult? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/cap+xml", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(mediaType, "application/xml", StringComparison.OrdinalIgnoreCase))
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the CAP alert as application/cap+xml (or application/xml)."));
        }

        var tooLarge = TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large",
            detail: $"A CAP alert here is at most {CapDocumentReader.MaxBytes} bytes.");
        if (request.ContentLength > CapDocumentReader.MaxBytes)
        {
            return (default, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > CapDocumentReader.MaxBytes)
            {
                return (default, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), null);
    }
}
