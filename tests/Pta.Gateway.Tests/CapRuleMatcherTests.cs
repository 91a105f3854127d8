using Pta.Gateway.Cap;
using Pta.Grains.Abstractions;

namespace Pta.Gateway.Tests;

/// <summary>School by school, the first matching rule that covers a school decides it; a board's rules only.</summary>
public sealed class CapRuleMatcherTests
{
    private static readonly BoardProfile Board = new("wangan", "湾岸市教育委員会", "board@wangan.example", ["east", "west", "north"]);

    private static readonly CapAlert Quake = new(
        "Q-1", "bousai.example", DateTimeOffset.UnixEpoch, "Actual", "Alert", "Public", [],
        [
            Info("en-US", "Earthquake", "13103"),
            Info("ja-JP", "地震情報", "13103"),
        ]);

    [Fact]
    public void A_narrow_rule_first_and_a_broad_one_after_both_act_and_share_no_school()
    {
        var matches = CapRuleMatcher.Match(Quake, [Rule("east-send", CapAction.Send, "east"), Rule("all-draft", CapAction.Draft)], Board);

        Assert.Equal(["east-send", "all-draft"], matches.Select(m => m.Rule.Name));
        Assert.Equal(["east"], matches[0].Schools);
        Assert.Equal(["west", "north"], matches[1].Schools); // the broad rule, less what the narrow one decided
        Assert.Equal(["west", "north"], matches[1].Reaches);
        Assert.All(matches, m => Assert.Equal("ja-JP", m.Info.Language));
    }

    [Fact]
    public void A_broad_rule_first_decides_every_school_and_a_later_rule_does_nothing()
    {
        var matches = CapRuleMatcher.Match(Quake, [Rule("all-draft", CapAction.Draft), Rule("east-send", CapAction.Send, "east")], Board);

        var only = Assert.Single(matches);
        Assert.Equal("all-draft", only.Rule.Name);
        Assert.Empty(only.Schools); // submitted as the rule says: the whole board
        Assert.Equal(Board.SchoolIds, only.Reaches);
    }

    [Fact]
    public void Rules_that_do_not_match_or_belong_to_another_board_are_passed_over()
    {
        var tsunami = Rule("tsunami", CapAction.Send);
        tsunami.Events = ["津波"];
        var other = Rule("other-board", CapAction.Send);
        other.Board = "elsewhere";
        var outside = Rule("osaka", CapAction.Send);
        outside.Geocodes = [new CapGeocodeRule { ValueName = "全国地方公共団体コード", Value = "27*" }];

        var matches = CapRuleMatcher.Match(Quake, [tsunami, other, outside, Rule("west-draft", CapAction.Draft, "west")], Board);

        Assert.Equal("west-draft", Assert.Single(matches).Rule.Name);
        Assert.Equal(["west"], matches[0].Schools);
    }

    [Fact]
    public void Overlapping_named_schools_go_to_the_earlier_rule()
    {
        var matches = CapRuleMatcher.Match(
            Quake, [Rule("a", CapAction.Send, "east", "west"), Rule("b", CapAction.Draft, "west", "north"), Rule("c", CapAction.Draft, "east")], Board);

        Assert.Equal(["a", "b"], matches.Select(m => m.Rule.Name));
        Assert.Equal(["east", "west"], matches[0].Schools);
        Assert.Equal(["north"], matches[1].Schools);
    }

    private static CapRule Rule(string name, CapAction action, params string[] schools) => new()
    {
        Name = name,
        Board = Board.BoardId,
        Events = ["地震", "Earthquake"],
        Geocodes = [new CapGeocodeRule { ValueName = "全国地方公共団体コード", Value = "13*" }],
        Schools = [.. schools],
        Action = action,
    };

    private static CapInfo Info(string language, string @event, string code) =>
        new(language, @event, "Immediate", "Severe", "Observed", null, null, null, null,
            [new CapArea("港区", [new CapGeocode("全国地方公共団体コード", code)])]);
}
