namespace CallSwitch.InteropTests.Signalling;

/// <summary>Valid requests as a softphone sends them, with {local} and {transport} to fill in.</summary>
internal static class SipSeeds
{
    public static string Options(string callId = "opt-1") =>
        "OPTIONS sip:127.0.0.1 SIP/2.0\r\n" +
        "Via: SIP/2.0/{transport} {local};branch=z9hG4bK" + Guid.NewGuid().ToString("N") + ";rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:probe@127.0.0.1>;tag=probe1\r\n" +
        "To: <sip:127.0.0.1>\r\n" +
        "Call-ID: " + callId + "\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Content-Length: 0\r\n\r\n";

    public static string Register(string user, uint cseq, string? authorization = null, string callId = "reg-raw") =>
        "REGISTER sip:127.0.0.1 SIP/2.0\r\n" +
        "Via: SIP/2.0/{transport} {local};branch=z9hG4bK" + Guid.NewGuid().ToString("N") + ";rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:" + user + "@127.0.0.1>;tag=r" + cseq + "\r\n" +
        "To: <sip:" + user + "@127.0.0.1>\r\n" +
        "Call-ID: " + callId + "\r\n" +
        "CSeq: " + cseq + " REGISTER\r\n" +
        "Contact: <sip:" + user + "@{local}>\r\n" +
        (authorization is null ? string.Empty : "Authorization: " + authorization + "\r\n") +
        "Expires: 300\r\n" +
        "Content-Length: 0\r\n\r\n";

    public static string Invite() =>
        "INVITE sip:+33612345678@127.0.0.1 SIP/2.0\r\n" +
        "Via: SIP/2.0/{transport} {local};branch=z9hG4bK" + Guid.NewGuid().ToString("N") + ";rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Alice\" <sip:1001@127.0.0.1>;tag=inv1\r\n" +
        "To: <sip:+33612345678@127.0.0.1>\r\n" +
        "Call-ID: inv-fuzz\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:1001@{local}>\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 129\r\n\r\n" +
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n";
}
