using System.Net;
using System.Net.Http.Json;
using Trunk.CallHistory.Api;
using Trunk.CallHistory.Tests.Support;

namespace Trunk.CallHistory.Tests.Api;

[Collection(HostCollection.Name)]
public sealed class CallsApiTests(CallHistoryHost host)
{
    [Theory]
    [InlineData("/calls/{0}")]
    [InlineData("/calls/{0}/events")]
    [InlineData("/calls/{0}/sip-trace")]
    [InlineData("/calls/{0}/sip-trace?format=text")]
    public async Task When_the_call_is_unknown_Should_answer_404_problem(string path)
    {
        using var response = await host.Http.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, Guid.NewGuid()), UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("account=not-a-guid", "account")]
    [InlineData("did=12ab", "did")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=100000", "pageSize")]
    public async Task When_a_filter_is_invalid_Should_answer_400_naming_it(string query, string field)
    {
        using var response = await host.Http.GetAsync(new Uri("/calls?" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Http.HttpValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }

    [Fact]
    public async Task When_sip_trace_format_is_unknown_Should_answer_400()
    {
        using var response = await host.Http.GetAsync(new Uri($"/calls/{Guid.NewGuid()}/sip-trace?format=pcapng", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task When_calls_are_listed_by_did_and_time_Should_return_only_matching_calls_newest_first()
    {
        var start = TimeProvider.System.GetUtcNow().AddDays(-3);
        var did = "+1555800" + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = new TransferredCall(start, did);
        var second = new TransferredCall(start.AddMinutes(5), did);
        var elsewhere = new TransferredCall(start.AddMinutes(6), "+15558999999");
        foreach (var call in new[] { first, second, elsewhere })
        {
            await host.PublishAsync(call.Received);
            await host.WaitForSummaryAsync(call.CallId, s => s.StartedAt is not null);
        }

        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        var to = Uri.EscapeDataString(start.AddMinutes(10).ToString("O"));
        var page = await host.GetAsync<CallPage>($"/calls?did={Uri.EscapeDataString(did)}&from={from}&to={to}");
        Assert.Equal([second.CallId, first.CallId], page.Calls.Select(c => c.Id));
        Assert.Equal(2, page.Total);

        var byAccount = await host.GetAsync<CallPage>($"/calls?account={first.AccountId}&pageSize=1");
        Assert.Equal(first.CallId, Assert.Single(byAccount.Calls).Id);

        var secondPage = await host.GetAsync<CallPage>($"/calls?did={Uri.EscapeDataString(did)}&page=2&pageSize=1");
        Assert.Equal(first.CallId, Assert.Single(secondPage.Calls).Id);
    }

    [Fact]
    public async Task When_the_openapi_document_is_read_Should_describe_the_calls_routes()
    {
        var document = await host.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("/calls/{id}/sip-trace", document, StringComparison.Ordinal);
    }
}
