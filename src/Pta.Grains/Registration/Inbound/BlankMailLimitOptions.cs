using System.ComponentModel.DataAnnotations;
using Pta.Grains.RateLimits;

namespace Pta.Grains.Registration.Inbound;

/// <summary>
/// How many blank registration mails a polling silo answers (section <c>Pta:RateLimits:BlankMail</c>). Every answer is
/// an outgoing mail through the same relay connections as broadcasts, to an address the sender merely claims: without
/// a limit, a flood of forged blank mails becomes a flood of registration mails to strangers (and their 5.1.1 replies
/// can pause a carrier for everyone). Mails over a limit are removed unanswered and logged.
/// </summary>
public sealed class BlankMailLimitOptions : IValidatableObject
{
    public const string Section = "Pta:RateLimits:BlankMail";

    /// <summary>
    /// Answers to one sender address: a guardian registers each child with its own blank mail (siblings separately),
    /// and may send one again when the reply is slow.
    /// </summary>
    public WindowLimit PerSender { get; set; } = new(5, TimeSpan.FromHours(1));

    /// <summary>
    /// Answers for one school, whoever sends: the evening a school hands out its registration letter, a few hundred
    /// of its guardians write within the hour.
    /// </summary>
    public WindowLimit PerSchool { get; set; } = new(300, TimeSpan.FromHours(1));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        PerSender.Validate($"{Section}:{nameof(PerSender)}").Concat(PerSchool.Validate($"{Section}:{nameof(PerSchool)}"));
}
