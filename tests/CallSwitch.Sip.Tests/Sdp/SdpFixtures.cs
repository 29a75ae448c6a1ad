namespace CallSwitch.Sip.Tests.Sdp;

/// <summary>Session descriptions as real endpoints send them, with CRLF line endings.</summary>
internal static class SdpFixtures
{
    /// <summary>baresip: PCMU, PCMA and telephone-event/8000, with its usual extra attributes.</summary>
    public static string Baresip { get; } = Crlf("""
        v=0
        o=- 1709831034 3153258315 IN IP4 192.168.1.23
        s=-
        c=IN IP4 192.168.1.23
        t=0 0
        a=tool:baresip 3.10.1
        m=audio 45286 RTP/AVP 0 8 101
        b=AS:64
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=rtcp-rsize
        a=ssrc:1870386045 cname:sip:alice@example.com
        a=ptime:20
        """);

    /// <summary>
    /// Linphone: opus first, speex, then static types without rtpmap (0, 8, and 18 with only an fmtp),
    /// and telephone-event at 48000, 16000 and 8000.
    /// </summary>
    public static string Linphone { get; } = Crlf("""
        v=0
        o=bob 2104 1793 IN IP4 192.168.1.50
        s=Talk
        c=IN IP4 192.168.1.50
        t=0 0
        a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
        m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100
        a=rtpmap:96 opus/48000/2
        a=fmtp:96 useinbandfec=1
        a=rtpmap:97 speex/16000
        a=fmtp:97 vbr=on
        a=rtpmap:98 speex/8000
        a=fmtp:98 vbr=on
        a=fmtp:18 annexb=yes
        a=rtpmap:101 telephone-event/48000
        a=rtpmap:99 telephone-event/16000
        a=rtpmap:100 telephone-event/8000
        a=rtcp-fb:* trr-int 1000
        a=rtcp-fb:* ccm tmmbr
        """);

    /// <summary>An audio + video offer (RFC 3264 §10.1 style).</summary>
    public static string AudioAndVideo { get; } = Crlf("""
        v=0
        o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
        s=-
        c=IN IP4 192.0.2.101
        t=0 0
        m=audio 49170 RTP/AVP 0 8 97
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:97 iLBC/8000
        m=video 51372 RTP/AVP 31 32
        a=rtpmap:31 H261/90000
        a=rtpmap:32 MPV/90000
        """);

    /// <summary>Re-offer putting the call on hold the RFC 2543 way: c=0.0.0.0, no direction attribute.</summary>
    public static string HoldWithNullAddress { get; } = Crlf("""
        v=0
        o=- 1709831034 3153258316 IN IP4 192.168.1.23
        s=-
        c=IN IP4 0.0.0.0
        t=0 0
        m=audio 45286 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        """);

    /// <summary>Re-offer putting the call on hold the RFC 3264 way: a=sendonly.</summary>
    public static string HoldWithSendOnly { get; } = Crlf("""
        v=0
        o=- 1709831034 3153258317 IN IP4 192.168.1.23
        s=-
        c=IN IP4 192.168.1.23
        t=0 0
        m=audio 45286 RTP/AVP 0 8 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendonly
        """);

    /// <summary>An IPv6 offer with the connection at media level and an RFC 3605 rtcp attribute.</summary>
    public static string IPv6 { get; } = Crlf("""
        v=0
        o=- 3880001 3880001 IN IP6 2001:db8::10
        s=-
        t=0 0
        m=audio 30000 RTP/AVP 9 0 101
        c=IN IP6 2001:db8::10
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=rtcp:30011 IN IP6 2001:db8::11
        """);

    /// <summary>The example of RFC 4566 §5, using every session-level line type.</summary>
    public static string Rfc4566Example { get; } = Crlf("""
        v=0
        o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5
        s=SDP Seminar
        i=A Seminar on the session description protocol
        u=http://www.example.com/seminars/sdp.pdf
        e=j.doe@example.com (Jane Doe)
        p=+1 617 555-6011
        c=IN IP4 224.2.17.12/127
        b=CT:128
        t=2873397496 2873404696
        r=604800 3600 0 90000
        z=2882844526 -1h 2898848070 0
        k=prompt
        a=recvonly
        m=audio 49170 RTP/AVP 0
        i=Voice
        b=AS:64
        k=prompt
        m=video 51372/2 RTP/AVP 99
        c=IN IP4 224.2.17.12/127/2
        a=rtpmap:99 h263-1998/90000
        """);

    private static string Crlf(string text) => text.ReplaceLineEndings("\r\n") + "\r\n";
}
