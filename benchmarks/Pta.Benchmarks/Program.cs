using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Pta.Benchmarks.Fanout;
using Pta.Benchmarks.Reports;

// `smtp [...]` runs the SMTP load scenario, `fanout [...]` the end-to-end fan-out (benchmarks/fanout.sh),
// `report [...]` the city-wide report computation (benchmarks/report.sh);
// anything else goes to BenchmarkDotNet (--filter, --job, --list).
if (args is ["smtp", .. var rest])
{
    return await SmtpThroughput.RunAsync(rest);
}

if (args is ["fanout", .. var fanoutArgs])
{
    return await FanoutCommand.RunAsync(fanoutArgs);
}

if (args is ["report", .. var reportArgs])
{
    return await ReportCommand.RunAsync(reportArgs);
}

// Reports go beside the binaries (ignored by git) rather than into whatever folder the command ran from.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
