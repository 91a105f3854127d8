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
await builder.Build().RunAsync();
