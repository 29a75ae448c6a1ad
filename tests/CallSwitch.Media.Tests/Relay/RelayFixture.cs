using System.Net;
using CallSwitch.Media.Relay;

namespace CallSwitch.Media.Tests.Relay;

/// <summary>A relay on loopback with one session between an "agent" and a "trunk" peer.</summary>
internal sealed class RelayFixture : IDisposable
{
    public RelayFixture(RelaySocketModel model = RelaySocketModel.Epoll, TimeProvider? time = null, bool configure = true, Func<MediaRelayOptions, MediaRelayOptions>? tune = null)
    {
        (int min, int max) = TestPortRanges.Next();
        var options = new MediaRelayOptions
        {
            MinPort = min,
            MaxPort = max,
            BindAddress = IPAddress.Loopback,
            SocketModel = model,
            ReceiverThreads = 1,
            PollInterval = TimeSpan.FromMilliseconds(1),
        };
        Relay = new MediaRelay(tune is null ? options : tune(options), time);
        Session = Relay.CreateSession();
        if (configure)
        {
            Session.Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = Agent.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 101 });
            Session.Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = Trunk.EndPoint, AudioPayloadType = 0, TelephoneEventPayloadType = 101 });
        }
    }

    public MediaRelay Relay { get; }

    public RelaySession Session { get; }

    public UdpPeer Agent { get; } = new();

    public UdpPeer Trunk { get; } = new();

    public IPEndPoint RelayA => Session.LegA.LocalRtpEndPoint;

    public IPEndPoint RelayB => Session.LegB.LocalRtpEndPoint;

    public static IPEndPoint Rtcp(IPEndPoint rtp) => new(rtp.Address, rtp.Port + 1);

    public static byte[] Payload(int i) => Enumerable.Range(0, 160).Select(b => (byte)(b + i)).ToArray();

    /// <summary>Waits until <paramref name="condition"/> holds (counters are updated by the relay's threads).</summary>
    public static void WaitFor(Func<bool> condition, int timeoutMs = 3000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        Relay.Dispose();
        Agent.Dispose();
        Trunk.Dispose();
    }
}
