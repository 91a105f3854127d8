using Microsoft.Extensions.Hosting;
using Pta.Silo.Hosting;

// A silo process. `dotnet run --project src/Pta.Silo -- schema` applies the database schema and exits.
var builder = Host.CreateApplicationBuilder(args);
await builder.ApplyPtaSchemaAsync();
if (args is ["schema"])
{
    Console.WriteLine("Schema is up to date.");
    return;
}

builder.AddPtaSilo();
await builder.Build().RunAsync();
