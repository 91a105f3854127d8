using System.CommandLine;
using Pta.Cli.Api;

namespace Pta.Cli.Commands;

/// <summary>
/// Reads <c>GET /api/v1/boards/{boardId}/cluster</c> for <c>pta silos</c> and <c>pta shaping</c>; the board defaults to
/// the credential's own (a board administrator's; the gateway answers 404 to any other).
/// </summary>
internal sealed class ClusterReader
{
    public Option<string?> Board { get; } = new("--board") { Description = "The board whose cluster view to read (default: the credential's board)" };

    public async Task<ClusterState> ReadAsync(ParseResult parse, GatewayClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(client);
        var board = parse.GetValue(Board)
                    ?? (await client.GetJsonAsync<Session>("/api/v1/session", cancellationToken)).BoardId;
        return await client.GetJsonAsync<ClusterState>($"/api/v1/boards/{Uri.EscapeDataString(board)}/cluster", cancellationToken);
    }
}
