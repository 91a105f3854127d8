using System.Text;
using Spectre.Console;

namespace Pta.Cli.Output;

/// <summary>
/// A <see cref="TextWriter"/> over a Spectre console, so System.CommandLine's help and parse errors land on the same
/// console as everything else (and in a test's TestConsole), as plain text that is never read as markup.
/// </summary>
internal sealed class ConsoleTextWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => console.Write(new Text(value.ToString()));

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            console.Write(new Text(value));
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        console.WriteLine();
    }
}
