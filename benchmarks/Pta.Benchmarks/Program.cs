using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Pta.Benchmarks.Fanout;

// `smtp [...]` runs the SMTP load scenario, `fanout [...]` the end-to-end fan-out (benchmarks/fanout.sh);
// anything else goes to BenchmarkDotNet (--filter, --job, --list).
if (args is ["smtp", .. var rest])
{
    return await SmtpThroughput.RunAsync(rest);
}

if (args is ["fanout", .. var fanoutArgs])
{
    return await FanoutCommand.RunAsync(fanoutArgs);
}

// Reports go beside the binaries (ignored by git) rather than into whatever folder the command ran from.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
