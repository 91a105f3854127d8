using System.Text.Json;
using Microsoft.Extensions.Options;
using Pta.Gateway.RateLimits;
using Pta.Grains.Abstractions;
using Pta.Grains.Registration;

namespace Pta.Gateway.Apis;

/// <summary>
/// Self-registration, step 2: the link from the blank-mail reply. No credential: the unguessable ticket id is
/// the link's secret, and the school's auth code proves the guardian belongs to the school.
/// </summary>
public static class RegistrationApi
{
    public static RouteGroupBuilder MapRegistrationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/registrations").AllowAnonymous().WithTags("Registration")
            .RateLimitedAs(PublicEndpoint.Registration);

        api.MapGet("/{ticketId}", GetAsync)
            .WithName("GetRegistrationTicket")
            .WithSummary("The school and the address a registration link was issued for")
            .Produces<RegistrationTicketView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{ticketId}", CompleteAsync)
            .WithName("CompleteRegistration")
            .WithSummary("Register a child and its guardian; completion mails then verify each address")
            .Accepts<RegistrationRequest>("application/json")
            .Produces<RegistrationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    internal static async Task<IResult> GetAsync(string ticketId, IGrainFactory grains) =>
        IsTicketId(ticketId) && await grains.GetGrain<IRegistrationTicketGrain>(ticketId).GetAsync() is { Used: false } ticket
            ? TypedResults.Ok(ticket)
            : Problems.NotFound("registration link (it may have expired or been used)");

    internal static async Task<IResult> CompleteAsync(string ticketId, HttpContext context, IGrainFactory grains, IOptions<GuardianLinkOptions> links, CancellationToken cancellationToken)
    {
        if (!IsTicketId(ticketId))
        {
            return Problems.NotFound("registration link");
        }

        var (request, bodyError) = await RequestBodies.ReadJsonAsync<RegistrationRequest>(context.Request, JsonSerializerOptions.Web, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var errors = RegistrationRequestValidator.Validate(request!, out var addresses);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var form = new RegistrationForm(
            request!.AuthCode!.Trim(), request.ChildName!.Trim(), request.Grade!.Value, request.Class!.Trim(), request.GuardianName!.Trim(),
            addresses, links.Value.PolicyVersion, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var result = await grains.GetGrain<IRegistrationTicketGrain>(ticketId).CompleteAsync(form);
        return result.Outcome switch
        {
            RegistrationOutcome.Registered => TypedResults.Created((string?)null, new RegistrationResponse("registered", result.ChildId!, links.Value.PolicyVersion)),
            RegistrationOutcome.WrongAuthCode => Problems.Invalid(new() { ["authCode"] = ["This is not the school's auth code."] }),
            RegistrationOutcome.LinkAlreadyUsed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Link already used",
                detail: "This registration link was used. Send a new blank mail to register another child."),
            RegistrationOutcome.TooManyGuardians => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many guardians",
                detail: $"This child already has {ChildRecord.MaxGuardians} registered guardians.", extensions: new Dictionary<string, object?> { ["field"] = "childName" }),
            _ => Problems.NotFound("registration link (it may have expired)"),
        };
    }

    private static bool IsTicketId(string id) =>
        id is { Length: 35 } && id.StartsWith("rt-", StringComparison.Ordinal) && id[3..].All(char.IsAsciiHexDigitLower);
}

/// <summary>The answer to a completed registration: completion mails follow to every address given.</summary>
public sealed record RegistrationResponse(string Status, string ChildId, string PolicyVersion);
