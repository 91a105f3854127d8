using Pta.Gateway;
using Pta.Gateway.Apis;
using Pta.Gateway.Cap;
using Pta.Gateway.Operations;
using Pta.Silo.Hosting;

// The gateway. With no configuration it is the embedded default: one process co-hosting a silo,
// in-memory state, a seeded demo city and an .eml outbox. See README for the production profile.
var builder = WebApplication.CreateBuilder(args);
await builder.ApplyPtaSchemaAsync();
builder.AddPtaCluster();
builder.AddGatewayServices();
builder.AddGatewayOperations();

var app = builder.Build();
app.UseGatewayPipeline();
app.MapHealthApi();
app.MapOperationsEndpoints();
app.MapBroadcastApi();
app.MapBroadcastLifecycleApi();
app.MapBroadcastReportApi();
app.MapRosterApi();
app.MapPtaApi();
app.MapRosterCsvApi();
app.MapBoardApi();
app.MapBoardBroadcastApi();
app.MapMonthlyTestApi();
app.MapGroupApi();
app.MapRegistrationApi();
app.MapGuardianApi();
app.MapGuardianPages();
app.MapTemplateApi();
app.MapAttachmentApi();
app.MapConfirmationApi();
app.MapConsoleSessionApi();
app.MapAudiencePreviewApi();
app.MapBroadcastEventsApi();
app.MapBroadcastTextApi();
app.MapClusterApi();
app.MapCapApi();
app.MapConsolePages();
app.Run();

/// <summary>Entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
