using Pta.Grains.Abstractions;

namespace Pta.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RosterTests(ClusterFixture fixture)
{
    [Fact]
    public async Task School_state_survives_deactivation_because_it_is_stored_in_postgresql()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 12);
        var school = fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId);

        await fixture.Cluster.DeactivateAsync(school);

        Assert.Equal(profile, await school.GetProfileAsync());
        Assert.Equal(12, (await school.ResolveAudienceAsync(Audience.WholeSchool)).Count);
        var rows = await fixture.Database.ScalarAsync(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'school' AND grainidextensionstring LIKE '%' || $1",
            profile.SchoolId);
        Assert.Equal(1, rows);
        Assert.Equal(12, roster.Count);
    }

    [Fact]
    public async Task Audience_selects_grades_and_single_classes()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 60, grades: 3, classes: 2);
        var school = fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId);

        var grade1 = await school.ResolveAudienceAsync(new Audience([1], []));
        var grade2Class1 = await school.ResolveAudienceAsync(new Audience([], [new ClassRef(2, "1")]));
        var both = await school.ResolveAudienceAsync(new Audience([1], [new ClassRef(2, "1")]));
        var nobody = await school.ResolveAudienceAsync(new Audience([], [new ClassRef(2, "9")]));

        Assert.Equal(roster.Count(r => r.Grade == 1), grade1.Count);
        Assert.Equal(roster.Count(r => r.Grade == 2 && r.Class == "1"), grade2Class1.Count);
        Assert.Equal(grade1.Count + grade2Class1.Count, both.Count);
        Assert.Empty(nobody);
    }

    [Fact]
    public async Task Only_slots_one_and_two_receive_and_each_address_gets_one_mail()
    {
        var schoolId = "s-" + Guid.NewGuid().ToString("N")[..12];
        var school = fixture.Grains.GetGrain<ISchoolGrain>(schoolId);
        await school.ConfigureAsync(new SchoolProfile(schoolId, "b", "n", $"{schoolId}@mail.test.example", "n"));
        await school.ReplaceRosterAsync(
        [
            new RosterEntry("g1", 1, "1", ["a@docomo.ne.jp", "a-work@gmail.com", "slot3@gmail.com"]),
            new RosterEntry("g1", 4, "2", ["a@docomo.ne.jp"]), // sibling in another grade: same guardian
            new RosterEntry("g2", 1, "1", ["A@DOCOMO.NE.JP"]), // a second guardian sharing the address
        ]);

        var recipients = await school.ResolveAudienceAsync(Audience.WholeSchool);

        Assert.Equal(["a@docomo.ne.jp", "a-work@gmail.com"], recipients.Select(r => r.Address));
        Assert.Equal(["g1-1", "g1-2"], recipients.Select(r => r.Key));
    }
}
