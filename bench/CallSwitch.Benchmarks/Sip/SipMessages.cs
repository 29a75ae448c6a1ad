using System.Text;

namespace CallSwitch.Benchmarks.Sip;

/// <summary>Typical messages of a call set-up, as a softphone and a carrier send them.</summary>
internal static class SipMessages
{
    /// <summary>An INVITE with SDP from an agent's softphone, about 900 bytes.</summary>
    public static readonly byte[] Invite = Encoding.ASCII.GetBytes(
        "INVITE sip:+33612345678@127.0.0.1:5060;user=phone SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:40312;branch=z9hG4bK.7c1e5d2a;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Alice Martin\" <sip:1001@127.0.0.1>;tag=8a3f1b2c\r\n" +
        "To: <sip:+33612345678@127.0.0.1;user=phone>\r\n" +
        "Call-ID: 5f2d9c7e-41a8-4b3e-9d1f-2c6a8e0b7f31\r\n" +
        "CSeq: 21 INVITE\r\n" +
        "Contact: <sip:1001@127.0.0.1:40312;transport=udp>;+sip.instance=\"<urn:uuid:0e8a1c2d-3b4f-4a5e-8c6d-7f8091a2b3c4>\"\r\n" +
        "User-Agent: baresip v1.0.0 (x86_64/linux)\r\n" +
        "Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,UPDATE,REFER\r\n" +
        "Supported: replaces,norefersub\r\n" +
        "Proxy-Authorization: Digest username=\"1001\",realm=\"callswitch\",nonce=\"MTczMjg3NjQwMC4xMjM0NTY3OA\",uri=\"sip:+33612345678@127.0.0.1:5060;user=phone\",response=\"0d0e8b0e5b2d0c4a8f1f6c9c3e7a2b1d\",algorithm=MD5,qop=auth,cnonce=\"a1b2c3d4\",nc=00000001\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 233\r\n" +
        "\r\n" +
        "v=0\r\n" +
        "o=- 1732876400 1732876400 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "c=IN IP4 127.0.0.1\r\n" +
        "t=0 0\r\n" +
        "m=audio 40000 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-15\r\n" +
        "a=ptime:20\r\n" +
        "a=sendrecv\r\n" +
        "a=rtcp:40001\r\n");

    /// <summary>A 200 OK to a REGISTER.</summary>
    public static readonly byte[] Ok = Encoding.ASCII.GetBytes(
        "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:40312;branch=z9hG4bK.7c1e5d2a;rport=40312;received=127.0.0.1\r\n" +
        "From: <sip:1001@127.0.0.1>;tag=8a3f1b2c\r\n" +
        "To: <sip:1001@127.0.0.1>;tag=as3f2e1d\r\n" +
        "Call-ID: 5f2d9c7e-41a8-4b3e-9d1f-2c6a8e0b7f31\r\n" +
        "CSeq: 2 REGISTER\r\n" +
        "Contact: <sip:1001@127.0.0.1:40312;transport=udp>;expires=3600\r\n" +
        "Server: CallSwitch\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n");
}
