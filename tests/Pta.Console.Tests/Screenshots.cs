using Microsoft.Playwright;

namespace Pta.Console.Tests;

/// <summary>
/// Where the browser tests leave their screenshots: <c>PTA_TEST_ARTIFACTS</c> (tests/run-all.sh points it at
/// <c>.pta/test-artifacts/screenshots</c> at the repository root, which outlives the run's temporary folder), else a
/// folder beside the test binaries. One full-page PNG per page and state, named by test and step.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Create();

    public static async Task<string> TakeAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static string Create()
    {
        var folder = Environment.GetEnvironmentVariable("PTA_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }
}
