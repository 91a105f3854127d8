using Pta.Grains.Abstractions;
using Pta.Grains.Confirmation;
using Pta.Testing;

namespace Pta.Grains.Tests;

/// <summary>
/// A scheduled send (予約配信) lives in PostgreSQL (the broadcast's state and its reminder), so it fires at its time
/// even when the silo that took it has been restarted in between. Its own cluster: restarting the shared one would
/// disturb the other tests.
/// </summary>
public sealed class ScheduledSendTests
{
    private static readonly BroadcastActor Principal = new("k-principal", "principal", CredentialRole.School, "127.0.0.1");

    [Fact]
    public async Task A_scheduled_send_waits_for_its_time_and_fires_after_a_silo_restart()
    {
        var transport = new CapturingTransport();
        var (database, cluster) = await PostgresTestCluster.StartAsync(
            "schedule", (services, db) => ClusterFixture.AddServices(services, db, transport, new InMemoryConfirmationStore()));
        try
        {
            var (profile, roster) = await TestSchools.CreateAsync(cluster.Client, guardians: 5);
            var sendAt = DateTimeOffset.UtcNow.AddSeconds(15);
            var id = Ids.BroadcastId("schedule", Guid.NewGuid().ToString());
            var submitted = await cluster.Client.GetGrain<IBroadcastGrain>(id)
                .SubmitAsync(TestSchools.Submission(profile.SchoolId) with { SendAt = sendAt, Submitter = Principal });
            var remindersBefore = await database.RemindersOfAsync(id);

            await cluster.RestartSiloAsync(cluster.Silos[0]);
            await Eventually.TrueAsync(() => Task.FromResult(DateTimeOffset.UtcNow >= sendAt - TimeSpan.FromSeconds(1)), "until just before the send time");
            var sentEarly = transport.Sent.Count;
            await Eventually.TrueAsync(() => Task.FromResult(transport.Sent.Count == 5), "sent after the restart", TimeSpan.FromSeconds(120));
            // The test client may still hold the restarted silo's old gateway address for a moment: ask until it answers.
            BroadcastView? view = null;
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    view = await cluster.Client.GetGrain<IBroadcastGrain>(id).GetAsync();
                    return true;
                }
                catch (Orleans.Runtime.Messaging.ConnectionFailedException)
                {
                    return false;
                }
            }, "the client reaches the restarted silo");

            Assert.Equal(BroadcastStatus.Scheduled, submitted.Broadcast!.Status);
            Assert.Equal(sendAt, submitted.Broadcast.SendAt);
            Assert.Equal(1, remindersBefore);
            Assert.Equal(0, sentEarly);
            Assert.All(roster, r => Assert.Equal(1, transport.SentTo(r.BroadcastAddresses[0])));
            Assert.NotEqual(BroadcastStatus.Scheduled, view!.Status);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
