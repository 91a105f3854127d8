using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Pta.Benchmarks.Fanout;

// `smtp [...]` runs the fan-out load scenario; anything else goes to BenchmarkDotNet (--filter, --job, --list).
if (args is ["smtp", .. var rest])
{
    return await SmtpThroughput.RunAsync(rest);
}

// Reports go beside the binaries (ignored by git) rather than into whatever folder the command ran from.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
