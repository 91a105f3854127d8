using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pta.Grains.Abstractions;
using Pta.Grains.Audit;
using Pta.Grains.Delivery;
using Pta.Grains.Registration;

namespace Pta.Grains.Guardians;

/// <inheritdoc cref="IGuardianGrain"/>
public sealed partial class GuardianGrain(
    [PersistentState("guardian", StorageNames.State)] IPersistentState<GuardianState> state,
    GuardianMailer mailer,
    IAuditLog audit,
    AddressOwners owners,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<GuardianGrain> logger) : Grain, IGuardianGrain, IRemindable
{
    /// <summary>Checks daily whether the retention period is over; a reminder, so it survives restarts and silo loss.</summary>
    internal const string PurgeReminder = "purge-after-retention";
    private static readonly TimeSpan PurgeCheckPeriod = TimeSpan.FromDays(1);

    /// <summary>Retries completion mails that were deferred, until each address is verified or invalid.</summary>
    internal const string VerifyReminder = "retry-completion-mail";
    private static readonly TimeSpan VerifyRetryPeriod = TimeSpan.FromMinutes(5);

    public async Task EnrolAsync(string name, IReadOnlyList<string> addresses, ConsentRecord consent, ChildLink child)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(child);
        var s = state.State;
        if (s.Status != GuardianStatus.Active || s.CreatedAt == default)
        {
            // New, or registering again after withdrawing (or after a purge): a fresh start.
            var wasWithdrawn = s.Status == GuardianStatus.Withdrawn;
            s.Status = GuardianStatus.Active;
            s.WithdrawnAt = null;
            s.PurgedAt = null;
            s.CreatedAt = time.GetUtcNow();
            if (wasWithdrawn)
            {
                await UnregisterPurgeReminderAsync();
            }
        }

        if (!string.IsNullOrWhiteSpace(name))
        {
            s.Name = name;
        }

        s.Consents.Add(consent);
        if (!s.Children.Contains(child))
        {
            s.Children.Add(child);
        }

        foreach (var address in addresses)
        {
            var free = Enumerable.Range(1, AddressSlot.MaxSlots).FirstOrDefault(slot => s.Addresses.All(a => a.Slot != slot));
            if (free == 0 || s.Addresses.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            s.Addresses.Add(new AddressSlot(free, address, AddressStatus.Pending, null));
        }

        await state.WriteStateAsync();
        await ClaimAddressesAsync();
        await VerifyPendingAsync();
        await PushToSchoolsAsync();
    }

    public Task<GuardianView?> GetAsync()
    {
        var s = state.State;
        return Task.FromResult(s.CreatedAt == default
            ? null
            : new GuardianView(this.GetPrimaryKeyString(), s.Name, [.. s.Addresses.OrderBy(a => a.Slot)], s.ReceiveBroadcasts,
                [.. s.Children], [.. s.Consents], s.Status, s.CreatedAt, s.WithdrawnAt, s.PurgedAt, [.. s.Ptas]));
    }

    public async Task SetAddressAsync(int slot, string? address)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, AddressSlot.MaxSlots);
        RequireActive();
        var s = state.State;
        var previous = s.Addresses.FirstOrDefault(a => a.Slot == slot);
        if (previous?.Address == address)
        {
            return;
        }

        s.Addresses.RemoveAll(a => a.Slot == slot);
        if (address is not null)
        {
            s.Addresses.Add(new AddressSlot(slot, address, AddressStatus.Pending, null));
        }

        await state.WriteStateAsync();
        if (previous is not null)
        {
            await owners.ReleaseAsync(GrainFactory, previous.Address, this.GetPrimaryKeyString());
        }

        await ClaimAddressesAsync();
        await VerifyPendingAsync();
        await PushToSchoolsAsync();
    }

    public async Task SetReceiveBroadcastsAsync(bool receive)
    {
        RequireActive();
        if (state.State.ReceiveBroadcasts == receive)
        {
            return;
        }

        state.State.ReceiveBroadcasts = receive;
        await state.WriteStateAsync();
        await PushToSchoolsAsync();
    }

    public async Task MoveChildAsync(ChildLink from, ChildLink? to)
    {
        var children = state.State.Children;
        if (!children.Remove(from))
        {
            return;
        }

        if (to is not null && !children.Contains(to))
        {
            children.Add(to);
        }

        await state.WriteStateAsync();

        // PTA membership belongs to a school's guardians: with no child left there (transfer, graduation) it ends.
        foreach (var ptaId in state.State.Ptas.Where(p => !children.Any(c => c.SchoolId == Ids.SchoolOfPta(p))).ToList())
        {
            await LeavePtaAsync(ptaId);
        }
    }

    public async Task<bool> JoinPtaAsync(string ptaId, ConsentRecord consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        if (consent.Purpose != ConsentRecord.PtaPurpose(ptaId))
        {
            throw new ArgumentException("The consent must be for this PTA's membership.", nameof(consent));
        }

        var s = state.State;
        if (s.Status != GuardianStatus.Active || s.CreatedAt == default
            || Ids.SchoolOfPta(ptaId) is not { } schoolId || !s.Children.Any(c => c.SchoolId == schoolId))
        {
            return false;
        }

        var pta = GrainFactory.GetGrain<IPtaGrain>(ptaId);
        if (await pta.GetProfileAsync() is not { } profile || profile.SchoolId != schoolId)
        {
            return false;
        }

        if (!s.Ptas.Contains(ptaId))
        {
            // Consent first, then the list: the list never holds a member whose consent is not on record.
            s.Consents.Add(consent);
            s.Ptas.Add(ptaId);
            await state.WriteStateAsync();
        }

        await pta.UpdateMemberAsync(Contact());
        return true;
    }

    public async Task<bool> LeavePtaAsync(string ptaId)
    {
        var s = state.State;
        if (!s.Ptas.Remove(ptaId))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var purpose = ConsentRecord.PtaPurpose(ptaId);
        s.Consents = [.. s.Consents.Select(c => c.Purpose == purpose && c.WithdrawnAt is null ? c with { WithdrawnAt = now } : c)];
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IPtaGrain>(ptaId).RemoveMemberAsync(this.GetPrimaryKeyString());
        return true;
    }

    public async Task MarkInvalidAsync(int slot, string address)
    {
        var s = state.State;
        var index = s.Addresses.FindIndex(a => a.Slot == slot && string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase));
        if (index < 0 || s.Addresses[index].Status == AddressStatus.Invalid)
        {
            return;
        }

        s.Addresses[index] = s.Addresses[index] with { Status = AddressStatus.Invalid, VerifiedAt = null };
        await state.WriteStateAsync();
        await PushToSchoolsAsync();
    }

    public async Task WithdrawAsync()
    {
        var s = state.State;
        if (s.Status != GuardianStatus.Active || s.CreatedAt == default)
        {
            return;
        }

        var now = time.GetUtcNow();
        s.Status = GuardianStatus.Withdrawn;
        s.WithdrawnAt = now;
        s.Consents = [.. s.Consents.Select(c => c.WithdrawnAt is null ? c with { WithdrawnAt = now } : c)];
        await state.WriteStateAsync();

        // Out of every recipient list at once (seed 003: delete a stopped recipient from the list immediately).
        foreach (var schoolId in s.Children.Select(c => c.SchoolId).Distinct())
        {
            await GrainFactory.GetGrain<ISchoolGrain>(schoolId).RemoveGuardianAsync(this.GetPrimaryKeyString());
        }

        foreach (var ptaId in s.Ptas)
        {
            await GrainFactory.GetGrain<IPtaGrain>(ptaId).RemoveMemberAsync(this.GetPrimaryKeyString());
        }

        s.Ptas = [];
        await state.WriteStateAsync();

        foreach (var address in s.Addresses)
        {
            await owners.ReleaseAsync(GrainFactory, address.Address, this.GetPrimaryKeyString());
        }

        await this.RegisterOrUpdateReminder(PurgeReminder, PurgeCheckPeriod, PurgeCheckPeriod);
        await audit.RecordAsync(new AuditEntry(now, "guardian", "guardian.withdrew", this.GetPrimaryKeyString(), null));
        LogWithdrawn(logger, this.GetPrimaryKeyString());
    }

    public async Task<bool> PurgeIfDueAsync()
    {
        var s = state.State;
        if (s.Status != GuardianStatus.Withdrawn || s.WithdrawnAt is not { } withdrawnAt)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now < withdrawnAt + retention.Value.WithdrawnGuardian)
        {
            return false;
        }

        // Everything personal goes: name, addresses, children, consents (their IP addresses are personal data too).
        // What stays is the id, the dates and the audit entry below, which prove the purge happened.
        var children = s.Children.Count;
        state.State = new GuardianState
        {
            Status = GuardianStatus.Purged,
            CreatedAt = s.CreatedAt,
            WithdrawnAt = withdrawnAt,
            PurgedAt = now,
        };
        await state.WriteStateAsync();
        await audit.RecordAsync(new AuditEntry(now, "system", "guardian.purged", this.GetPrimaryKeyString(),
            $"withdrawn {withdrawnAt:O}; retention {retention.Value.WithdrawnGuardian.TotalDays:0} days; {children} child link(s) removed"));
        await UnregisterPurgeReminderAsync();
        LogPurged(logger, this.GetPrimaryKeyString());
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == VerifyReminder)
        {
            await VerifyPendingAsync(reminderName);
        }
        else if (reminderName == PurgeReminder && state.State.Status != GuardianStatus.Withdrawn)
        {
            await UnregisterPurgeReminderAsync(); // re-registered or already purged: nothing left to do
        }
        else if (reminderName == PurgeReminder)
        {
            await PurgeIfDueAsync();
        }
    }

    private async Task UnregisterPurgeReminderAsync()
    {
        if (await this.GetReminder(PurgeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Sends the completion mail to every pending address; accepted (250) means verified.</summary>
    private async Task VerifyPendingAsync(string? reminderName = null)
    {
        var s = state.State;
        var school = await FirstSchoolAsync();
        if (school is null)
        {
            return;
        }

        var changed = false;
        var toVerify = s.Status == GuardianStatus.Active ? s.Addresses.Where(a => a.Status == AddressStatus.Pending).ToList() : [];
        foreach (var pending in toVerify)
        {
            var result = await mailer.SendCompletionAsync(school, pending.Address, this.GetPrimaryKeyString(), CancellationToken.None);
            var status = result.Status switch
            {
                DeliveryStatus.Sent => AddressStatus.Verified,
                DeliveryStatus.InvalidAddress => AddressStatus.Invalid,
                _ => AddressStatus.Pending,
            };
            if (status != AddressStatus.Pending)
            {
                s.Addresses[s.Addresses.IndexOf(pending)] = pending with
                {
                    Status = status,
                    VerifiedAt = status == AddressStatus.Verified ? time.GetUtcNow() : null,
                };
                changed = true;
            }
            else
            {
                LogNotVerified(logger, this.GetPrimaryKeyString(), pending.Slot, result.Reply);
            }
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }

        // A relay that deferred the completion mail (4xx, down) must not leave the address pending for ever:
        // a reminder, durable across restarts, tries again until every address is verified or invalid.
        var stillPending = s.Status == GuardianStatus.Active && s.Addresses.Any(a => a.Status == AddressStatus.Pending);
        var reminder = await this.GetReminder(VerifyReminder);
        if (stillPending && reminder is null)
        {
            await this.RegisterOrUpdateReminder(VerifyReminder, VerifyRetryPeriod, VerifyRetryPeriod);
        }
        else if (!stillPending && reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }

        if (changed && reminderName is not null)
        {
            await PushToSchoolsAsync(); // called from the reminder: nobody else pushes the newly verified address
        }
    }

    /// <summary>Pushes the current contact to every school of the guardian's children and every PTA the guardian joined.</summary>
    private async Task PushToSchoolsAsync()
    {
        var s = state.State;
        var contact = Contact();
        foreach (var schoolId in s.Children.Select(c => c.SchoolId).Distinct())
        {
            await GrainFactory.GetGrain<ISchoolGrain>(schoolId).UpdateGuardianAsync(contact);
        }

        foreach (var ptaId in s.Ptas)
        {
            await GrainFactory.GetGrain<IPtaGrain>(ptaId).UpdateMemberAsync(contact);
        }
    }

    private GuardianContact Contact() =>
        new(this.GetPrimaryKeyString(), state.State.Name, [.. state.State.Addresses.OrderBy(a => a.Slot)], state.State.ReceiveBroadcasts);

    private async Task ClaimAddressesAsync()
    {
        foreach (var address in state.State.Addresses)
        {
            await owners.ClaimAsync(GrainFactory, address.Address, this.GetPrimaryKeyString());
        }
    }

    private async Task<SchoolProfile?> FirstSchoolAsync()
    {
        var first = state.State.Children.FirstOrDefault();
        return first is null ? null : await GrainFactory.GetGrain<ISchoolGrain>(first.SchoolId).GetProfileAsync();
    }

    private void RequireActive()
    {
        if (state.State.Status != GuardianStatus.Active || state.State.CreatedAt == default)
        {
            throw new InvalidOperationException("The guardian is not registered or has withdrawn.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Guardian {GuardianId}: personal data purged after the retention period")]
    private static partial void LogPurged(ILogger logger, string guardianId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Guardian {GuardianId} withdrew")]
    private static partial void LogWithdrawn(ILogger logger, string guardianId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Guardian {GuardianId}: completion mail to slot {Slot} not accepted: {Reply}")]
    private static partial void LogNotVerified(ILogger logger, string guardianId, int slot, string? reply);
}
