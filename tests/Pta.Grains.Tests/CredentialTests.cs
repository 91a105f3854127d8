using System.Security.Cryptography;
using System.Text;
using Pta.Grains.Abstractions;

namespace Pta.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CredentialTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_credential_verifies_only_its_own_secret_and_not_after_revocation()
    {
        var keyId = "k" + Guid.NewGuid().ToString("N")[..16];
        var grant = new CredentialGrant(keyId, CredentialRole.School, "board", "school", "staff");
        var credential = fixture.Grains.GetGrain<ICredentialGrain>(keyId);
        await credential.IssueAsync(grant, SHA256.HashData(Encoding.UTF8.GetBytes("right-secret")));
        await fixture.Cluster.DeactivateAsync(credential);

        Assert.Equal(grant, await credential.VerifyAsync("right-secret"));
        Assert.Null(await credential.VerifyAsync("wrong-secret"));
        Assert.Null(await credential.VerifyAsync(""));

        await credential.RevokeAsync();
        Assert.Null(await credential.VerifyAsync("right-secret"));
    }

    [Fact]
    public async Task The_database_holds_a_hash_not_the_secret()
    {
        var keyId = "k" + Guid.NewGuid().ToString("N")[..16];
        const string secret = "plain-secret-that-must-not-be-stored";
        await fixture.Grains.GetGrain<ICredentialGrain>(keyId)
            .IssueAsync(new CredentialGrant(keyId, CredentialRole.Board, "board", null, "admin"), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

        var plain = await fixture.Database.ScalarAsync(
            "SELECT count(*) FROM orleansstorage WHERE position(convert_to($1, 'UTF8') IN coalesce(payloadbinary, ''::bytea)) > 0",
            secret);
        var stored = await fixture.Database.ScalarAsync(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'credential' AND grainidextensionstring LIKE '%' || $1", keyId);

        Assert.Equal(1, stored);
        Assert.Equal(0, plain);
    }
}
