using Pta.Grains.Abstractions;

namespace Pta.Grains.Broadcasts;

/// <summary>What the report grain needs of a broadcast beyond its view: the shard plan and the audience.</summary>
public sealed partial class BroadcastGrain
{
    public Task<AudiencePlanView?> GetAudiencePlanAsync()
    {
        var s = state.State;
        return Task.FromResult(s.Submission is null ? null : new AudiencePlanView([.. s.Shards], s.Submission.Audience));
    }
}
