using Microsoft.Extensions.Hosting;
using Pta.Silo.Hosting;

// A silo process. `dotnet run --project src/Pta.Silo -- schema` applies the database schema and exits;
// `-- reseal` brings every stored row to the active at-rest key (docs/operations.md) and exits; `-- silos` lists the
// cluster's silos from the membership table (deploy/pta-silo.sh waits on it).
var builder = Host.CreateApplicationBuilder(args);
if (args is ["schema"])
{
    await builder.ApplyPtaSchemaAsync(force: true);
    Console.WriteLine("The PostgreSQL schema is up to date.");
    return;
}

if (args is ["reseal"])
{
    Console.WriteLine(await builder.ResealAtRestAsync());
    return;
}

if (args is ["silos"])
{
    foreach (var line in await builder.ListSilosAsync())
    {
        Console.WriteLine(line);
    }

    return;
}

await builder.ApplyPtaSchemaAsync();
builder.AddPtaSilo();
builder.AddPtaMetricsListener();
await builder.Build().RunAsync();

// Internal on purpose: the dashboard package brings in ASP.NET Core, whose generator would otherwise make this entry
// point public, and the gateway's tests would then see two Program types. No XML doc comment: the gateway's OpenAPI
// comment generator reads this assembly's documentation, and a second T:Program there breaks the document.
internal sealed partial class Program;
