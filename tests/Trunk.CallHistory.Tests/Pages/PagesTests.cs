using System.Globalization;
using Microsoft.Playwright;
using Trunk.CallHistory.HangupAnalysis;
using Trunk.CallHistory.Tests.CallSummaries;
using Trunk.CallHistory.Tests.Support;
using Trunk.Contracts;
using Trunk.Contracts.Calls;

namespace Trunk.CallHistory.Tests.Pages;

/// <summary>The pages as a user sees them, in real headless Chromium; each test leaves a screenshot in the output's screenshots/.</summary>
[Collection(HostCollection.Name)]
public sealed class PagesTests(CallHistoryHost host, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task When_calls_are_filtered_by_outcome_in_the_list_Should_show_only_those_and_open_their_detail()
    {
        var did = "+1555700" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var start = TimeProvider.System.GetUtcNow().AddHours(-2);
        var transferred = new TransferredCall(start, did);
        var busy = new TransferredCall(start.AddMinutes(1), did);
        await RecordAsync(transferred, transferred.Events);
        await RecordAsync(busy, busy.EndpointBusy);
        var page = await chromium.OpenAsync(host.Http.BaseAddress!);

        await page.GotoAsync($"/ui/calls?did={Uri.EscapeDataString(did)}");
        Assert.Equal(2, await page.Locator("#calls tbody tr").CountAsync());
        await page.SelectOptionAsync("select[name=outcome]", "busy");
        // Wait for the navigation from before the click, so that a fast page cannot load before the wait begins.
        await Task.WhenAll(page.WaitForURLAsync("**outcome=busy**"), page.ClickAsync("form.filters button[type=submit]"));

        var rows = page.Locator("#calls tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(busy.CallId.ToString(), await rows.GetAttributeAsync("data-call"));
        Assert.Equal("busy", await rows.Locator("td.cause").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "call-list");
        await Task.WhenAll(page.WaitForURLAsync($"**/ui/calls/{busy.CallId}"), rows.Locator("a").ClickAsync());
        Assert.Contains("busy", await page.Locator("#summary").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_transferred_call_is_opened_Should_draw_the_sip_ladder_of_all_legs_with_timeline_and_media()
    {
        var call = new TransferredCall(TimeProvider.System.GetUtcNow().AddHours(-1), "+15557000030");
        await RecordAsync(call, call.Events);
        var page = await chromium.OpenAsync(host.Http.BaseAddress!);

        await page.GotoAsync($"/ui/calls/{call.CallId}");

        var messages = call.Events.OfType<SipMessagesTraced>().SelectMany(t => t.Messages).OrderBy(m => m.At).ToList();
        var arrows = page.Locator("svg.ladder g.message");
        Assert.Equal(messages.Count, await arrows.CountAsync());
        Assert.Equal(["Caller", "Trunk", "Endpoint", "Target"], await page.Locator("svg.ladder g.lifeline text[font-weight='600']").AllTextContentsAsync());
        for (var i = 0; i < messages.Count; i++)
        {
            var arrow = arrows.Nth(i);
            Assert.Equal(messages[i].Leg.ToString().ToLowerInvariant(), await arrow.GetAttributeAsync("data-leg"));
            var label = (await arrow.Locator("text").Last.TextContentAsync())!;
            Assert.StartsWith(label.TrimEnd('…'), messages[i].Raw.Split("\r\n")[0], StringComparison.Ordinal);
            Assert.True(label.Length > 10, label);
        }

        var firstLine = arrows.First.Locator("line");
        Assert.True(
            double.Parse((await firstLine.GetAttributeAsync("x1"))!, CultureInfo.InvariantCulture) < double.Parse((await firstLine.GetAttributeAsync("x2"))!, CultureInfo.InvariantCulture),
            "The caller's INVITE should point from the caller (left) to the trunk.");
        Assert.Equal(call.Events.Count, await page.Locator("#timeline tbody tr").CountAsync());
        Assert.Equal(["caller", "2900", "3"], (await page.Locator("#media tr[data-leg=caller] td").AllInnerTextsAsync()).Take(3));
        Assert.Contains("caller_hangup", await page.Locator("#summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("completed", await page.Locator("#transfers").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"/calls/{call.CallId}/sip-trace?format=pcap", await page.Locator("#pcap").GetAttributeAsync("href"));
        await Chromium.ScreenshotAsync(page, "call-detail");
    }

    [Fact]
    public async Task When_the_hangup_analysis_page_is_opened_Should_chart_causes_failures_and_silent_calls()
    {
        var start = new DateTimeOffset(2025, 4, 1 + Random.Shared.Next(0, 28), 8, 0, 0, TimeSpan.Zero);
        var calls = new[] { new TransferredCall(start, "+15557000040"), new TransferredCall(start.AddMinutes(2), "+15557000040"), new TransferredCall(start.AddMinutes(4), "+15557000040") };
        var events = new[] { calls[0].Events, calls[1].EndpointBusy, calls[2].UnansweredTransferThenSilence };
        for (var i = 0; i < calls.Length; i++)
        {
            await RecordAsync(calls[i], events[i]);
        }

        await host.WaitForDaemonAsync();
        var page = await chromium.OpenAsync(host.Http.BaseAddress!);

        await page.GotoAsync($"/ui/analysis/hangups?from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(start.AddHours(1).ToString("O"))}&groupBy=hour");

        var expected = calls.Select((c, i) => CallOutcome.From(CallSummaryProjectionTests.Fold(c.CallId, events[i]))).ToList();
        Assert.Equal(
            expected.GroupBy(o => o.Cause!).Select(g => $"{g.Key}={g.Count()}").Order(),
            (await Bars(page, "#by-cause")).Order());
        Assert.Equal(["no_answer=1"], await Bars(page, "#transfer-failures"));
        Assert.Equal([$"{start:yyyy-MM-dd'T'HH}:00:00Z=3"], await Bars(page, "#by-group"));
        Assert.Contains("50%", await page.Locator("#success-rate").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal([calls[2].CallId.ToString()], await page.Locator("#no-audio-calls a").AllInnerTextsAsync());
        await Chromium.ScreenshotAsync(page, "hangup-analysis");
    }

    [Theory]
    [InlineData("/ui/calls?from=yesterday", "from")]
    [InlineData("/ui/analysis/hangups?groupBy=colour", "groupBy")]
    public async Task When_a_page_filter_is_invalid_Should_answer_400_and_name_it(string path, string field)
    {
        var page = await chromium.OpenAsync(host.Http.BaseAddress!);

        var response = await page.GotoAsync(path);

        Assert.Equal(400, response!.Status);
        Assert.True(await page.Locator($".errors li[data-field={field}]").IsVisibleAsync());
    }

    [Fact]
    public async Task When_the_call_is_unknown_Should_answer_a_404_page()
    {
        var page = await chromium.OpenAsync(host.Http.BaseAddress!);

        var response = await page.GotoAsync($"/ui/calls/{Guid.NewGuid()}");

        Assert.Equal(404, response!.Status);
        Assert.Equal("No such call", await page.Locator("h1").InnerTextAsync());
    }

    private static async Task<List<string>> Bars(IPage page, string chart)
    {
        var bars = page.Locator($"{chart} g.bar");
        var result = new List<string>();
        for (var i = 0; i < await bars.CountAsync(); i++)
        {
            result.Add($"{await bars.Nth(i).GetAttributeAsync("data-label")}={await bars.Nth(i).GetAttributeAsync("data-value")}");
        }

        return result;
    }

    private async Task RecordAsync(TransferredCall call, IReadOnlyList<ICallEvent> events)
    {
        await host.PublishAllAsync(events);
        await host.WaitForEventsAsync(call.CallId, events.Count);
    }
}
