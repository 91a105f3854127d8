namespace Pta.Gateway.Apis;

/// <summary>The body of <c>PUT …/templates/{templateId}</c>: a whole template (placeholders <c>{名前}</c>, literal braces <c>{{ }}</c>).</summary>
/// <param name="Name">What staff see in the list, 1–50 characters, e.g. 臨時休校.</param>
/// <param name="Category">The category of broadcasts made from it: emergency, safety, info or test.</param>
/// <param name="Subject">Subject with placeholders, one line, at most 200 characters.</param>
/// <param name="Body">Plain-text body with placeholders, at most 20,000 characters.</param>
public sealed record TemplateRequest(string? Name, string? Category, string? Subject, string? Body);
