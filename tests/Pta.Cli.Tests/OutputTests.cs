using System.Net;
using System.Text.RegularExpressions;
using Pta.Cli.Api;
using Pta.Cli.Output;

namespace Pta.Cli.Tests;

/// <summary>The CLI's own parts that need no gateway: reading problem documents, drawing a segmented bar.</summary>
public sealed partial class OutputTests
{
    [Fact]
    public void A_validation_problem_gives_every_field_and_message()
    {
        var problem = ApiProblem.Parse(HttpStatusCode.BadRequest, "application/problem+json",
            """{"title":"The request has invalid fields","status":400,"errors":{"subject":["At most 200 characters."],"category":["Required."]}}""");

        Assert.Equal(400, problem.Status);
        Assert.Equal("The request has invalid fields", problem.Title);
        Assert.Equal(["At most 200 characters."], problem.Errors["subject"]);
        Assert.Equal(["Required."], problem.Errors["category"]);
        Assert.Null(problem.Field);
    }

    [Fact]
    public void A_problem_with_a_field_extension_and_an_answer_that_is_no_problem_document_both_read()
    {
        var unprocessable = ApiProblem.Parse((HttpStatusCode)422, "application/problem+json",
            """{"title":"No recipients","detail":"The audience has no guardian.","field":"audience"}""");
        var proxy = ApiProblem.Parse(HttpStatusCode.BadGateway, "text/html", "<html>" + new string('x', 500) + "</html>");

        Assert.Equal("audience", unprocessable.Field);
        Assert.Equal("The audience has no guardian.", unprocessable.Detail);
        Assert.Equal("502 BadGateway", proxy.Title);
        Assert.True(proxy.Detail!.Length <= 201);
    }

    [Theory]
    [InlineData(120, 60, 10, 5, 30)]
    [InlineData(7, 1, 1, 1, 30)]
    [InlineData(3, 3, 0, 0, 10)]
    [InlineData(1000, 0, 0, 0, 25)]
    public void A_bar_always_fills_its_width_with_segments_in_proportion(int recipients, int sent, int deferred, int failed, int width)
    {
        var markup = SegmentBar.Markup(new Counts(recipients, sent, deferred, failed), width);

        var cells = Cells().Matches(markup).ToDictionary(m => m.Groups["colour"].Value, m => m.Groups["cells"].Value.Length);
        Assert.Equal(width, cells.Values.Sum());
        Assert.Equal((int)Math.Round((double)sent * width / recipients), cells.GetValueOrDefault("green"));
    }

    [GeneratedRegex(@"\[(?<colour>\w+)\](?<cells>[█░]+)\[/\]")]
    private static partial Regex Cells();
}
