using Orleans;
using Orleans.Runtime;

namespace Pta.Grains.Persistence;

/// <summary>
/// A grain call that failed because PostgreSQL was unreachable may have changed the activation's state in memory
/// without committing it (a submission recorded, then its write refused). Left alive, that activation would answer
/// the caller's retry from memory — "already accepted" for a broadcast that was never stored. So the activation is
/// discarded, and the next call loads what was committed. Orleans does the same on its own for an ETag conflict.
/// </summary>
public sealed class DiscardActivationOnOutageFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (TransientRetry.IsDatabaseOutage(ex))
        {
            context.TargetContext.Deactivate(new DeactivationReason(
                DeactivationReasonCode.ApplicationError, ex, "PostgreSQL unreachable during a call: in-memory state may hold uncommitted changes"));
            throw;
        }
    }
}
