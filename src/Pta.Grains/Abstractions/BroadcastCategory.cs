namespace Pta.Grains.Abstractions;

/// <summary>What a broadcast is about; it decides its lane (emergency and safety go first).</summary>
public enum BroadcastCategory
{
    /// <summary>Closures, earthquakes, typhoons: 緊急連絡.</summary>
    Emergency = 0,

    /// <summary>Incidents, suspicious persons, bear sightings: 緊急情報.</summary>
    Safety = 1,

    /// <summary>Routine school information.</summary>
    Info = 2,

    /// <summary>The board's monthly test of the system; always last in line.</summary>
    Test = 3,

    /// <summary>
    /// A notice about the service itself, such as planned maintenance (seed 004: announced in advance to the registered
    /// addresses): to every verified address in slots 1–4, also of guardians who switched broadcasts off.
    /// </summary>
    Maintenance = 4,
}
