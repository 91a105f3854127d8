namespace Pta.Gateway.Apis;

/// <summary>The registration form (seed 002): the school's auth code, the child, the guardian, more addresses, consent.</summary>
/// <param name="AuthCode">The code the school handed out.</param>
/// <param name="ChildName">The child's name as the school's roster has it.</param>
/// <param name="Grade">1–12.</param>
/// <param name="Class">The class as the school names it ("1", "A").</param>
/// <param name="GuardianName">The guardian's name (for the school's phone-call list).</param>
/// <param name="Addresses">Up to three more addresses for slots 2–4; the address the blank mail came from is slot 1.</param>
/// <param name="Consent">True: the guardian accepts the privacy policy shown on the form.</param>
public sealed record RegistrationRequest(
    string? AuthCode, string? ChildName, int? Grade, string? Class, string? GuardianName, IReadOnlyList<string>? Addresses, bool? Consent);
