using System.CommandLine;

namespace Pta.Cli.Commands;

/// <summary>The options of <c>pta send</c>; each one sets one field of the request (or names where it goes).</summary>
internal sealed class SendOptions
{
    public Option<string?> School { get; } = new("--school") { Description = "Send to this school's guardians (default for a school credential: its school)" };

    public Option<string?> Board { get; } = new("--board")
    {
        Description = "Send a board broadcast to the board's schools (all, or --schools); the board defaults to the credential's",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public Option<string[]> Schools { get; } = new("--schools")
    {
        Description = "Board broadcast only: these schools (comma-separated or repeated); default all of the board's",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> Grades { get; } = new("--grades") { Description = "Only guardians of these grades, e.g. --grades 1,2", AllowMultipleArgumentsPerToken = true };

    public Option<string?> Category { get; } = new("--category") { Description = "emergency, safety, info (or routine), test or maintenance" };

    public Option<bool> Emergency { get; } = new("--emergency") { Description = "Shorthand for --category emergency: goes at once, no approval" };

    public Option<string?> Subject { get; } = new("--subject") { Description = "The mail's subject" };

    public Option<string?> Body { get; } = new("--body") { Description = "The mail's text" };

    public Option<FileInfo?> BodyFile { get; } = new("--body-file") { Description = "Read the mail's text from this UTF-8 file" };

    public Option<string?> Template { get; } = new("--template") { Description = "A template id (定型文); it fills subject, body and category not given" };

    public Option<string[]> Values { get; } = new("--value") { Description = "A template placeholder, name=value (repeat for each)" };

    public Option<bool> RequireConfirmation { get; } = new("--require-confirmation") { Description = "A personal read-confirmation link in every mail" };

    public Option<DateTimeOffset?> SendAt { get; } = new("--send-at") { Description = "Send at this time (ISO 8601 with offset) instead of now" };

    public Option<FileInfo?> File { get; } = new("--file")
    {
        Description = "A JSON file with the request body as the API takes it (subject, body, category, audience or schoolIds/grades, …); options given override its fields",
    };

    public Option<string?> IdempotencyKey { get; } = new("--idempotency-key")
    {
        Description = "The request's Idempotency-Key; reuse it to retry the same send without sending twice (default: a fresh one, printed)",
    };

    public Option<bool> Watch { get; } = new("--watch") { Description = "Watch the broadcast's progress after sending (as pta watch)" };

    public void AddTo(Command command)
    {
        Option[] all = [School, Board, Schools, Grades, Category, Emergency, Subject, Body, BodyFile, Template, Values, RequireConfirmation, SendAt, File, IdempotencyKey, Watch];
        foreach (var option in all)
        {
            command.Options.Add(option);
        }
    }
}
