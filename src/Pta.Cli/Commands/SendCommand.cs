using System.CommandLine;
using System.Globalization;
using Pta.Cli.Api;
using Spectre.Console;

namespace Pta.Cli.Commands;

/// <summary>
/// <c>pta send</c>: a school or board broadcast from options or a JSON file. Prints the broadcast's id alone on
/// standard output (<c>id=$(pta send …)</c>), the acknowledgement and the Idempotency-Key on the error console; with
/// <c>--watch</c> it goes on as <c>pta watch</c>.
/// </summary>
internal static class SendCommand
{
    public static Command Create(CommandRunner runner)
    {
        var options = new SendOptions();
        var command = new Command("send", "Send a broadcast (school or board; emergency or routine; text or template) and print its id");
        options.AddTo(command);
        runner.Register(command, (parse, client, cancellationToken) => SendAsync(runner, options, parse, client, cancellationToken));
        return command;
    }

    private static async Task<int> SendAsync(CommandRunner runner, SendOptions options, ParseResult parse, GatewayClient client, CancellationToken cancellationToken)
    {
        var target = await TargetAsync(options, parse, client, cancellationToken);
        var values = new SendValues(
            parse.GetValue(options.File),
            parse.GetValue(options.Subject),
            parse.GetValue(options.Body),
            parse.GetValue(options.BodyFile),
            parse.GetValue(options.Category),
            parse.GetValue(options.Emergency),
            parse.GetValue(options.Template),
            parse.GetValue(options.Values) ?? [],
            parse.GetValue(options.RequireConfirmation),
            parse.GetValue(options.SendAt),
            Split(parse.GetValue(options.Schools)),
            Grades(parse.GetValue(options.Grades)));
        var body = BroadcastBody.Build(values, target.IsBoard);
        var givenKey = parse.GetValue(options.IdempotencyKey);
        var key = givenKey ?? NewIdempotencyKey();
        var broadcast = await client.PostJsonAsync<BroadcastInfo>(target.Path, body, key, cancellationToken);

        runner.Host.Out.WriteLine(broadcast.Id);
        runner.Host.Error.MarkupLineInterpolated(
            $"[green]Accepted[/] {broadcast.Id}: {broadcast.Category}, {broadcast.Status}, {broadcast.Counts.Recipients} recipients ({target.Description}).");
        if (givenKey is null)
        {
            runner.Host.Error.MarkupLineInterpolated($"[grey]To retry this send without sending twice, add --idempotency-key {key}[/]");
        }

        return parse.GetValue(options.Watch)
            ? await WatchCommand.WatchAsync(runner, parse, client, broadcast.Id, cancellationToken)
            : ExitCodes.Success;
    }

    /// <summary>Where the broadcast goes: the named school or board, else the credential's own school.</summary>
    private static async Task<SendTarget> TargetAsync(SendOptions options, ParseResult parse, GatewayClient client, CancellationToken cancellationToken)
    {
        var school = parse.GetValue(options.School);
        var boardGiven = parse.GetResult(options.Board) is not null;
        if (school is not null && boardGiven)
        {
            throw CliFailure.Usage("--school and --board: a broadcast goes to one school or to the board's schools, name one.");
        }

        if (school is not null)
        {
            return SendTarget.School(school);
        }

        if (boardGiven && parse.GetValue(options.Board) is { Length: > 0 } board)
        {
            return SendTarget.Board(board);
        }

        var session = await client.GetJsonAsync<Session>("/api/v1/session", cancellationToken);
        if (boardGiven)
        {
            return session.IsBoard
                ? SendTarget.Board(session.BoardId)
                : throw CliFailure.Usage("--board: this is a school credential; it sends to its own school (leave --board out).");
        }

        return session.SchoolId is { } own
            ? SendTarget.School(own)
            : throw CliFailure.Usage("A board credential names where the broadcast goes: --school ID, or --board for the board's schools.");
    }

    private static string NewIdempotencyKey() =>
        string.Create(CultureInfo.InvariantCulture, $"cli-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid():N}")[..40];

    private static string[] Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static int[] Grades(string[]? values) =>
        [.. Split(values).Select(g => int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var grade)
            ? grade
            : throw CliFailure.Usage($"--grades: '{g}' is not a grade number."))];

    private sealed record SendTarget(string Path, bool IsBoard, string Description)
    {
        public static SendTarget School(string schoolId) =>
            new($"/api/v1/schools/{Uri.EscapeDataString(schoolId)}/broadcasts", false, $"school {schoolId}");

        public static SendTarget Board(string boardId) =>
            new($"/api/v1/boards/{Uri.EscapeDataString(boardId)}/broadcasts", true, $"board {boardId}");
    }
}
