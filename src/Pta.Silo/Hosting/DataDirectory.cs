using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Pta.Silo.Hosting;

/// <summary>
/// The folder for local files of the embedded default (demo credentials, the .eml outbox): <c>Pta:DataDirectory</c>
/// when set, else <c>.pta</c> at the repository root (found by walking up to Pta.Orleans.sln), so it lands in the
/// same place whichever folder <c>dotnet run</c> starts in.
/// </summary>
public static class DataDirectory
{
    public const string Key = "Pta:DataDirectory";

    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (configuration[Key] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured, environment.ContentRootPath);
        }

        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pta.Orleans.sln")))
            {
                return Path.Combine(dir.FullName, ".pta");
            }
        }

        return Path.Combine(environment.ContentRootPath, ".pta");
    }
}
