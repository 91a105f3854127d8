using Pta.Grains.Abstractions;

namespace Pta.Grains.Tests;

/// <summary>The yearly cycle a school runs without seeing an address: roll-over, graduation, transfer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SchoolYearTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Roll_over_promotes_every_child_and_graduates_the_top_grade_out_of_the_recipient_list()
    {
        var (profile, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 18, grades: 6, classes: 1);
        var school = fixture.Grains.GetGrain<ISchoolGrain>(profile.SchoolId);
        var sixthGraders = roster.Where(r => r.Grade == 6).SelectMany(r => r.BroadcastAddresses).ToHashSet();

        var result = await school.RollOverAsync(topGrade: 6);
        await fixture.Cluster.DeactivateAsync(school);

        Assert.Equal(new RollOverResult(15, 3, 3), result);
        var remaining = await school.GetRosterAsync();
        Assert.Equal(15, remaining.Children.Count);
        Assert.DoesNotContain(remaining.Children, c => c.Grade == 1);
        Assert.Equal(3, remaining.Children.Count(c => c.Grade == 6));
        var everyone = await school.ResolveAudienceAsync(Audience.WholeSchool);
        Assert.DoesNotContain(everyone, r => sixthGraders.Contains(r.Address));
        Assert.Equal(roster.Where(r => r.Grade == 1).Select(r => r.BroadcastAddresses[0]).Order(),
            (await school.ResolveAudienceAsync(new Audience([2], []))).Select(r => r.Address).Order());
    }

    [Fact]
    public async Task A_transferred_child_moves_with_its_guardians_within_the_board_only()
    {
        var (from, roster) = await TestSchools.CreateAsync(fixture.Grains, guardians: 3, boardId: "board-x");
        var (to, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 1, boardId: "board-x");
        var (elsewhere, _) = await TestSchools.CreateAsync(fixture.Grains, guardians: 1, boardId: "board-y");
        var source = fixture.Grains.GetGrain<ISchoolGrain>(from.SchoolId);
        var target = fixture.Grains.GetGrain<ISchoolGrain>(to.SchoolId);
        var child = (await source.GetRosterAsync()).Children.First();
        var address = roster.Single(r => child.GuardianIds.Contains(r.GuardianId)).BroadcastAddresses[0];

        Assert.False(await source.TransferChildAsync(child.ChildId, elsewhere.SchoolId, 4, "1"));
        Assert.False(await source.TransferChildAsync("ch-unknown", to.SchoolId, 4, "1"));
        Assert.True(await source.TransferChildAsync(child.ChildId, to.SchoolId, 4, "3"));

        Assert.DoesNotContain(await source.ResolveAudienceAsync(Audience.WholeSchool), r => r.Address == address);
        Assert.Contains(await target.ResolveAudienceAsync(new Audience([], [new ClassRef(4, "3")])), r => r.Address == address);
        Assert.Equal(2, (await source.GetRosterAsync()).Children.Count);
        Assert.Equal(2, (await target.GetRosterAsync()).Children.Count);
    }
}
