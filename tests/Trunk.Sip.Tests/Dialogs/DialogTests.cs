using Trunk.Sip.Dialogs;
using Trunk.Sip.Messages;
using static Trunk.Sip.Tests.Transactions.TestMessages;

namespace Trunk.Sip.Tests.Dialogs;

public sealed class DialogTests
{
    private static readonly SipUri OurContact = SipUri.Parse("sip:trunk@127.0.0.1:5060");

    private static SipResponse Answer(SipRequest invite, int status, string? toTag = "b1", string contact = "<sip:bob@127.0.0.1:5070>",
        params string[] recordRoutes)
    {
        var response = invite.CreateResponse(status, toTag: toTag);
        var headers = response.Headers.Add(SipHeaderNames.Contact, contact);
        foreach (var route in recordRoutes)
        {
            headers = headers.Add(SipHeaderNames.RecordRoute, route);
        }

        return response.WithHeaders(headers);
    }

    private static Dialog Uac(params string[] recordRoutes)
    {
        Assert.True(Dialog.TryCreateAsUac(Request("INVITE"), Answer(Request("INVITE"), 200, recordRoutes: recordRoutes), out var dialog));
        return dialog!;
    }

    [Fact]
    public void When_a_1xx_carries_a_tag_Should_create_an_early_dialog_that_a_2xx_confirms()
    {
        var invite = Request("INVITE");
        Assert.False(Dialog.TryCreateAsUac(invite, Answer(invite, 180, toTag: null), out _));
        Assert.True(Dialog.TryCreateAsUac(invite, Answer(invite, 180), out var dialog));
        Assert.Equal(DialogState.Early, dialog!.State);
        Assert.Equal(new DialogId("call-1@test", "a1", "b1"), dialog.Id);

        dialog.OnResponse(invite, Answer(invite, 200));

        Assert.Equal(DialogState.Confirmed, dialog.State);
    }

    [Fact]
    public void When_the_uac_builds_its_route_set_Should_reverse_record_route()
    {
        var dialog = Uac("<sip:p2.example;lr>", "<sip:p1.example;lr>");

        Assert.Equal(["<sip:p1.example;lr>", "<sip:p2.example;lr>"], dialog.RouteSet);
    }

    [Fact]
    public void When_the_uas_builds_its_route_set_Should_keep_record_route_order()
    {
        var invite = Request("INVITE");
        invite = invite.WithHeaders(invite.Headers.Add(SipHeaderNames.RecordRoute, "<sip:p1.example;lr>, <sip:p2.example;lr>"));

        Assert.True(Dialog.TryCreateAsUas(invite, invite.CreateResponse(200, toTag: "ours"), OurContact, out var dialog));

        Assert.Equal(["<sip:p1.example;lr>", "<sip:p2.example;lr>"], dialog!.RouteSet);
        Assert.Equal(new DialogId("call-1@test", "ours", "a1"), dialog.Id);
        Assert.Equal(1, dialog.RemoteSequence);
        Assert.Equal(SipUri.Parse("sip:alice@127.0.0.1:5070"), dialog.RemoteTarget);
    }

    [Fact]
    public void When_the_first_route_is_loose_Should_send_to_the_remote_target_with_the_route_set()
    {
        var bye = Uac("<sip:p1.example;lr>").CreateRequest(SipMethod.Bye);

        Assert.Equal(SipUri.Parse("sip:bob@127.0.0.1:5070"), bye.RequestUri);
        Assert.Equal(["<sip:p1.example;lr>"], bye.Headers.GetAll(SipHeaderNames.Route));
    }

    [Fact]
    public void When_the_first_route_is_strict_Should_put_it_in_the_request_uri_and_the_target_last()
    {
        var bye = Uac("<sip:p2.example;lr>", "<sip:p1.example>").CreateRequest(SipMethod.Bye);

        Assert.Equal(SipUri.Parse("sip:p1.example"), bye.RequestUri);
        Assert.Equal(["<sip:p2.example;lr>", "<sip:bob@127.0.0.1:5070>"], bye.Headers.GetAll(SipHeaderNames.Route));
    }

    [Fact]
    public void When_requests_are_built_Should_count_cseq_up_and_ack_with_the_invite_number()
    {
        var dialog = Uac();
        var reInvite = dialog.CreateRequest(SipMethod.Invite);
        var ack = dialog.CreateAck(reInvite.CSeq!.Number);
        var refer = dialog.CreateRequest(SipMethod.Refer, [new SipHeader(SipHeaderNames.ReferTo, "<sip:carol@127.0.0.1>")]);

        Assert.Equal(new CSeqHeader(2, SipMethod.Invite), reInvite.CSeq);
        Assert.Equal(new CSeqHeader(2, SipMethod.Ack), ack.CSeq);
        Assert.Equal(new CSeqHeader(3, SipMethod.Refer), refer.CSeq);
        Assert.Equal("a1", reInvite.From!.Tag);
        Assert.Equal("b1", reInvite.To!.Tag);
        Assert.Equal("call-1@test", refer.CallId);
        Assert.Single(reInvite.Contacts);
        Assert.Empty(ack.Contacts);
        Assert.Throws<ArgumentException>(() => dialog.CreateRequest(SipMethod.Ack));
    }

    [Fact]
    public void When_a_remote_request_arrives_out_of_order_Should_reject_it()
    {
        var invite = Request("INVITE", cseq: 5);
        Assert.True(Dialog.TryCreateAsUas(invite, invite.CreateResponse(200, toTag: "ours"), OurContact, out var dialog));

        Assert.Equal(RemoteRequestCheck.OutOfOrder, dialog!.OnRemoteRequest(Request("UPDATE", cseq: 5, toTag: "ours")));
        Assert.Equal(RemoteRequestCheck.NotThisDialog, dialog.OnRemoteRequest(Request("UPDATE", cseq: 6, toTag: "other")));
        Assert.Equal(RemoteRequestCheck.Accepted, dialog.OnRemoteRequest(Request("UPDATE", cseq: 6, toTag: "ours")));
        Assert.Equal(6, dialog.RemoteSequence);
    }

    [Fact]
    public void When_a_re_invite_changes_the_contact_Should_refresh_the_remote_target()
    {
        var invite = Request("INVITE");
        Assert.True(Dialog.TryCreateAsUas(invite, invite.CreateResponse(200, toTag: "ours"), OurContact, out var dialog));
        var reInvite = Request("INVITE", cseq: 2, toTag: "ours");
        reInvite = reInvite.WithHeaders(reInvite.Headers.Set(SipHeaderNames.Contact, "<sip:alice@127.0.0.9:5080>"));

        dialog!.OnRemoteRequest(reInvite);

        Assert.Equal(SipUri.Parse("sip:alice@127.0.0.9:5080"), dialog.RemoteTarget);
    }

    [Fact]
    public void When_our_update_is_answered_with_a_new_contact_Should_refresh_the_remote_target()
    {
        var dialog = Uac();
        var update = dialog.CreateRequest(SipMethod.Update);

        dialog.OnResponse(update, Answer(update, 200, contact: "<sip:bob@127.0.0.7:5090>"));

        Assert.Equal(SipUri.Parse("sip:bob@127.0.0.7:5090"), dialog.RemoteTarget);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(481)]
    public void When_a_bye_is_answered_or_the_dialog_is_gone_Should_terminate(int status)
    {
        var dialog = Uac();
        var bye = dialog.CreateRequest(SipMethod.Bye);

        dialog.OnResponse(bye, Answer(bye, status));

        Assert.Equal(DialogState.Terminated, dialog.State);
    }

    [Fact]
    public void When_an_in_dialog_request_arrives_Should_find_its_dialog_by_id()
    {
        var invite = Request("INVITE");
        Assert.True(Dialog.TryCreateAsUas(invite, invite.CreateResponse(200, toTag: "ours"), OurContact, out var dialog));
        var set = new DialogSet();
        set.TryAdd(dialog!);

        Assert.True(set.TryFind(Request("BYE", cseq: 2, toTag: "ours"), out var found));
        Assert.Same(dialog, found);
        Assert.False(set.TryFind(Request("BYE", cseq: 2, toTag: "else"), out _));
    }
}
