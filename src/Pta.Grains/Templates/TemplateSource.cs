namespace Pta.Grains.Templates;

/// <summary>Where an effective template comes from; the nearest one wins (school over board over built-in).</summary>
public enum TemplateSource
{
    BuiltIn = 0,
    Board = 1,
    School = 2,
}
