using Pta.Grains.Abstractions;
using Pta.Grains.Guardians;

namespace Pta.Grains.Registration;

/// <summary>
/// <inheritdoc cref="IRegistrationTicketGrain"/>
/// Completing it ties the registration to the address the blank mail came from: a guardian who registered
/// before from that address is found again (siblings), so a broadcast to both children reaches them once.
/// </summary>
public sealed class RegistrationTicketGrain(
    [PersistentState("registration-ticket", StorageNames.State)] IPersistentState<RegistrationTicketState> state,
    AddressOwners owners,
    TimeProvider time) : Grain, IRegistrationTicketGrain, IRemindable
{
    private const int MaxWrongCodes = 5;

    /// <summary>Deletes the ticket (and the address it holds) once it has expired: no personal data kept for nothing.</summary>
    private const string ExpiryReminder = "delete-expired-ticket";

    public async Task IssueAsync(string schoolId, string senderAddress, DateTimeOffset expiresAt)
    {
        if (state.RecordExists)
        {
            return;
        }

        state.State.SchoolId = schoolId;
        state.State.SenderAddress = senderAddress;
        state.State.ExpiresAt = expiresAt;
        await state.WriteStateAsync();
        var due = expiresAt - time.GetUtcNow() + TimeSpan.FromMinutes(1);
        await this.RegisterOrUpdateReminder(ExpiryReminder, due > TimeSpan.FromMinutes(1) ? due : TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder || (state.RecordExists && time.GetUtcNow() < state.State.ExpiresAt))
        {
            return;
        }

        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }

        if (await this.GetReminder(ExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task<RegistrationTicketView?> GetAsync()
    {
        if (!IsLive())
        {
            return null;
        }

        var school = await GrainFactory.GetGrain<ISchoolGrain>(state.State.SchoolId).GetProfileAsync();
        return school is null
            ? null
            : new RegistrationTicketView(school.SchoolId, school.Name, state.State.SenderAddress, state.State.ExpiresAt, state.State.UsedAt is not null);
    }

    public async Task<RegistrationResult> CompleteAsync(RegistrationForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!IsLive())
        {
            return new RegistrationResult(RegistrationOutcome.UnknownOrExpiredLink, null, null);
        }

        if (state.State.UsedAt is not null)
        {
            return new RegistrationResult(RegistrationOutcome.LinkAlreadyUsed, null, null);
        }

        var school = GrainFactory.GetGrain<ISchoolGrain>(state.State.SchoolId);
        if (!await school.CheckAuthCodeAsync(form.AuthCode))
        {
            state.State.WrongCodes++;
            await state.WriteStateAsync();
            return new RegistrationResult(RegistrationOutcome.WrongAuthCode, null, null);
        }

        var guardianId = await owners.ClaimAsync(GrainFactory, state.State.SenderAddress, Ids.New("gd"));
        var childId = await school.RegisterChildAsync(form.ChildName, form.Grade, form.Class, guardianId);
        if (childId is null)
        {
            return new RegistrationResult(RegistrationOutcome.TooManyGuardians, null, null);
        }

        var now = time.GetUtcNow();
        var consent = new ConsentRecord($"registration:{state.State.SchoolId}", form.PolicyVersion, now, form.IpAddress, null);
        string[] addresses = [state.State.SenderAddress, .. form.Addresses];
        await GrainFactory.GetGrain<IGuardianGrain>(guardianId).EnrolAsync(form.GuardianName, addresses, consent, new ChildLink(state.State.SchoolId, childId));

        state.State.UsedAt = now;
        state.State.SenderAddress = GuardianAddress.Mask(state.State.SenderAddress); // the guardian grain holds it now
        state.State.GuardianId = guardianId;
        state.State.ChildId = childId;
        await state.WriteStateAsync();
        return new RegistrationResult(RegistrationOutcome.Registered, guardianId, childId);
    }

    private bool IsLive() => state.RecordExists && time.GetUtcNow() < state.State.ExpiresAt && state.State.WrongCodes < MaxWrongCodes;
}
