using System.Globalization;
using System.Text;
using CallSwitch.Sip.Messages;
using CallSwitch.Sip.Sdp;

namespace CallSwitch.Calls.Sessions;

/// <summary>The INVITEs a B2BUA sends on its callee leg: the first one, and the same again with credentials.</summary>
internal static class CalleeInvites
{
    /// <summary>
    /// The callee leg's INVITE: a new dialog (new Call-ID and From tag) to the plan's target,
    /// Max-Forwards one less than the caller's (RFC 3261 §16.6 step 3, which a B2BUA follows to
    /// stop loops), our Contact and offer.
    /// </summary>
    public static SipRequest Build(SipRequest callerInvite, CallPlan plan, string contact, string userAgent, SessionDescription offer)
    {
        var invite = new SipRequest(SipMethods.Invite, plan.CalleeUri.ToString());
        int maxForwards = Math.Clamp((callerInvite.MaxForwards ?? 70) - 1, 0, 70);
        NameAddress from = plan.CalleeFrom.Clone();
        from.Tag = SipIdentifiers.NewTag();
        invite.Headers.Add(HeaderId.MaxForwards, maxForwards.ToString(CultureInfo.InvariantCulture));
        invite.Headers.Add(HeaderId.From, from.ToString());
        invite.Headers.Add(HeaderId.To, plan.CalleeTo.ToString());
        invite.Headers.Add(HeaderId.CallId, SipIdentifiers.NewCallId());
        invite.Headers.Add(HeaderId.CSeq, "1 INVITE");
        invite.Headers.Add(HeaderId.Contact, contact);
        invite.Headers.Add(HeaderId.Allow, Core.SwitchCore.AllowedMethods);
        invite.Headers.Add(HeaderId.UserAgent, userAgent);
        invite.SetBody(Encoding.UTF8.GetBytes(offer.ToString()), "application/sdp");
        return invite;
    }

    /// <summary>The INVITE again with credentials: same Call-ID and From tag, CSeq + 1, a new branch (RFC 3261 §22.2).</summary>
    public static SipRequest WithCredentials(SipRequest previous, HeaderId credentialsHeader, string credentials)
    {
        var next = new SipRequest(SipMethods.Invite, previous.RequestUri);
        for (int i = 0; i < previous.Headers.Count; i++)
        {
            HeaderId id = previous.Headers.IdAt(i);
            if (id is HeaderId.Via or HeaderId.Authorization or HeaderId.ProxyAuthorization)
            {
                continue;
            }

            string value = id == HeaderId.CSeq ? $"{previous.CSeq!.Value.Number + 1} INVITE" : previous.Headers.ValueAt(i);
            if (id == HeaderId.Unknown)
            {
                next.Headers.Add(previous.Headers.NameAt(i), value);
            }
            else
            {
                next.Headers.Add(id, value);
            }
        }

        next.Headers.Add(credentialsHeader, credentials);
        next.Body = previous.Body;
        return next;
    }
}
