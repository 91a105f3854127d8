using Pta.Cli.Api;
using Spectre.Console;

namespace Pta.Cli.Output;

/// <summary>
/// Prints a failure so an operator at 3 a.m. sees what to fix: the gateway's title and status, its detail, and each
/// field at fault with its message (the <c>field</c> extension and every key of <c>errors</c>).
/// </summary>
internal static class ProblemPrinter
{
    public static void Print(IAnsiConsole console, CliFailure failure)
    {
        if (failure.Problem is not { } problem)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {failure.Message}");
            return;
        }

        console.MarkupLineInterpolated($"[red]error {problem.Status}:[/] [bold]{problem.Title}[/]");
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            console.MarkupLineInterpolated($"  {problem.Detail}");
        }

        if (problem.Field is { Length: > 0 } field)
        {
            console.MarkupLineInterpolated($"  field [yellow]{field}[/]");
        }

        foreach (var (name, messages) in problem.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var message in messages)
            {
                console.MarkupLineInterpolated($"  field [yellow]{name}[/]: {message}");
            }
        }
    }
}
