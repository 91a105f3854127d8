namespace Pta.Gateway.Apis;

/// <summary><c>/health</c>: 200 only when the cluster answers a call, so a load balancer never routes to a gateway that cannot send.</summary>
public static class HealthApi
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync)
            .AllowAnonymous()
            .WithName("Health")
            .WithSummary("200 when the cluster answers, 503 otherwise")
            .WithTags("Operations")
            .Produces<HealthReport>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<IResult> CheckAsync(HttpContext context, IGrainFactory grains)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Budget, context.RequestAborted);
            return TypedResults.Ok(new HealthReport("healthy", hosts.Count));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            return Problems.Unavailable(context, $"The cluster did not answer: {ex.GetType().Name}.");
        }
    }
}

/// <summary>The health answer: status and the number of active silos.</summary>
public sealed record HealthReport(string Status, int ActiveSilos);
