using System.Globalization;

namespace Pta.Benchmarks.Fanout;

/// <summary>Per-process figures from Linux's /proc: CPU time used so far and peak resident memory.</summary>
public static class ProcStats
{
    /// <summary>USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of a process, or 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);

        // Fields after the command name: state is [0], utime [11], stime [12] (proc(5) numbers them 3, 14, 15).
        return fields is null ? 0 : (ParseLong(fields[11]) + ParseLong(fields[12])) / TicksPerSecond;
    }

    /// <summary>The process's peak resident set (VmHWM) in MiB, or 0 once it is gone.</summary>
    public static double PeakRssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return ParseLong(line["VmHWM:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim()) / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // Gone already.
        }

        return 0;
    }

    /// <summary>Direct children of <paramref name="parent"/> (PostgreSQL's backends under its postmaster).</summary>
    public static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && StatFields(pid) is { } fields && ParseLong(fields[1]) == parent)
            {
                yield return pid;
            }
        }
    }

    /// <summary>The fields of /proc/PID/stat after "(comm)", which may itself contain spaces.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ParseLong(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
