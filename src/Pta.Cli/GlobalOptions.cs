using System.CommandLine;
using Pta.Cli.Api;

namespace Pta.Cli;

/// <summary>
/// Options every command takes: where the gateway is and the credential to present. An option wins over its
/// environment variable, so a script can set PTA_GATEWAY and PTA_TOKEN once and a person can still override them.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary>The embedded default's address (appsettings.json's Urls).</summary>
    public const string DefaultGateway = "http://127.0.0.1:5080";

    public const string GatewayVariable = "PTA_GATEWAY";

    public const string TokenVariable = "PTA_TOKEN";

    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = $"The gateway's base URL (env {GatewayVariable}; default {DefaultGateway})",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"An API credential, pta.<key>.<secret> (env {TokenVariable}); the embedded default writes some to .pta/demo.json",
        Recursive = true,
    };

    public Option<bool> Plain { get; } = new("--plain")
    {
        Description = "Plain lines instead of live bars, as when output is not a terminal",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Gateway);
        root.Options.Add(Token);
        root.Options.Add(Plain);
    }

    /// <summary>The gateway's address: an absolute http(s) URL, or a usage failure naming the option.</summary>
    public Uri GatewayOf(ParseResult parse, CliHost host)
    {
        var value = parse.GetValue(Gateway) ?? NonEmpty(host.Environment(GatewayVariable)) ?? DefaultGateway;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw CliFailure.Usage($"--gateway: '{value}' is not an http(s) URL.");
        }

        return uri;
    }

    /// <summary>The credential, or a usage failure that says where to find one.</summary>
    public string TokenOf(ParseResult parse, CliHost host) =>
        NonEmpty(parse.GetValue(Token)) ?? NonEmpty(host.Environment(TokenVariable))
        ?? throw CliFailure.Usage($"No credential: pass --token or set {TokenVariable} (the embedded default lists credentials in .pta/demo.json).");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
