namespace Pta.Gateway.Cap;

/// <summary>Why a CAP document was refused: the element at fault as a path (<c>alert/info[1]/urgency</c>, <c>$</c> for the document) and the reason.</summary>
public sealed record CapProblem(string Field, string Detail);
