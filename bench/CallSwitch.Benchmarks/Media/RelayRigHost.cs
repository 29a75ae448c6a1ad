using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using CallSwitch.Media.Relay;

namespace CallSwitch.Benchmarks.Media;

/// <summary>
/// The switch's relay as the relay under test of the relay-comparison rig
/// (bench/relay-rig/README.md): <see cref="MediaRelay"/> with N two-leg sessions on loopback,
/// nothing else in the process (no SIP, no timers), so that the rig's generator measures the
/// relay's CPU and added latency side by side with the C relay. Each leg latches onto the
/// generator's socket that sends to it (strict policy, SDP address 127.0.0.1 with a port the
/// generator does not use, as behind a NAT). Writes "A_PORT B_PORT" per call to the ports file
/// (then renames it into place, the generator waits for it) and runs until SIGTERM or Ctrl+C.
/// With <c>--bare 1</c> the sessions are replaced by what the C relay does, on the switch's own
/// receive loop and batch sender: each socket latches onto its first source and hands what it
/// receives to its partner's, unparsed, uncounted — the loop's share of the switch's cost
/// (bench/notes/2026-12-08-relay-hot-path.md).
/// </summary>
internal static class RelayRigHost
{
    /// <summary>
    /// <c>--relay-rig CALLS PORTS_FILE [--poll-ms N] [--threads N] [--batch N] [--batched-sends 0|1] [--connect 0|1] [--bare 0|1]</c>. Returns the exit code.
    /// </summary>
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out int calls) || calls < 1)
        {
            output.WriteLine("usage: --relay-rig CALLS PORTS_FILE [--poll-ms N] [--threads N] [--batch N] [--batched-sends 0|1] [--connect 0|1] [--bare 0|1]");
            return 2;
        }

        string portsFile = args[1];
        var options = new MediaRelayOptions
        {
            MinPort = 30000,
            MaxPort = 30000 + (calls * 4) + 400,
            BindAddress = IPAddress.Loopback,
        };
        bool bare = false;
        for (int i = 2; i + 1 < args.Length; i += 2)
        {
            int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--bare")
            {
                bare = value != 0;
                continue;
            }

            options = args[i] switch
            {
                "--poll-ms" => options with { PollInterval = TimeSpan.FromMilliseconds(value) },
                "--threads" => options with { ReceiverThreads = value },
                "--batch" => options with { Batch = value },
                "--batched-sends" => options with { BatchedSends = value != 0 },
                "--connect" => options with { ConnectLatchedPeers = value != 0 },
                _ => throw new ArgumentException("unknown option " + args[i]),
            };
        }

        using var stop = new ManualResetEventSlim();
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Set();
        });
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Set();
        });

        if (bare)
        {
            return RunBare(calls, portsFile, options, stop, output);
        }

        using var relay = new MediaRelay(options);
        var sessions = new RelaySession[calls];
        var lines = new string[calls];
        // A port nobody sends from: the legs latch onto the generator's real ports (same host).
        var sdpAddress = new IPEndPoint(IPAddress.Loopback, 9);
        for (int i = 0; i < calls; i++)
        {
            sessions[i] = relay.CreateSession();
            sessions[i].Configure(RelayLegId.A, new RelayLegSettings { RemoteRtp = sdpAddress });
            sessions[i].Configure(RelayLegId.B, new RelayLegSettings { RemoteRtp = sdpAddress });
            lines[i] = string.Create(CultureInfo.InvariantCulture, $"{sessions[i].LegA.LocalRtpEndPoint.Port} {sessions[i].LegB.LocalRtpEndPoint.Port}");
        }

        PublishPorts(portsFile, lines);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relay-rig: {calls} calls, {options.SocketModel}, {options.ReceiverThreads} threads, batch {options.Batch}, batched sends {options.BatchedSends}, connect {options.ConnectLatchedPeers}, poll {options.PollInterval.TotalMilliseconds} ms (polling model only)"));
        stop.Wait();
        foreach (RelaySession session in sessions)
        {
            session.Dispose();
        }

        return 0;
    }

    private static int RunBare(int calls, string portsFile, MediaRelayOptions options, ManualResetEventSlim stop, TextWriter output)
    {
        var ports = new RtpPortAllocator(options.MinPort, options.MaxPort);
        using var driver = new EpollDriver(options.ReceiverThreads, options.Batch, options.BatchedSends);
        var pairs = new List<RtpSocketPair>();
        var sockets = new List<RelaySocket>();
        var lines = new string[calls];
        for (int i = 0; i < calls; i++)
        {
            RtpSocketPair a = ports.Allocate(options.BindAddress);
            RtpSocketPair b = ports.Allocate(options.BindAddress);
            var handlerA = new BareForwarder();
            var handlerB = new BareForwarder();
            // A call's two sockets on one loop, as a session's are: it sends on both.
            int affinity = RelaySocket.NextAffinity();
            var socketA = new RelaySocket(a.Rtp, handlerA, "A") { Affinity = affinity };
            var socketB = new RelaySocket(b.Rtp, handlerB, "B") { Affinity = affinity };
            (handlerA.Partner, handlerA.PartnerSocket) = (handlerB, socketB);
            (handlerB.Partner, handlerB.PartnerSocket) = (handlerA, socketA);
            driver.Add(socketA);
            driver.Add(socketB);
            pairs.Add(a);
            pairs.Add(b);
            sockets.Add(socketA);
            sockets.Add(socketB);
            lines[i] = string.Create(CultureInfo.InvariantCulture, $"{a.RtpPort} {b.RtpPort}");
        }

        PublishPorts(portsFile, lines);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relay-rig: {calls} calls, bare forwarders on the epoll loop, {options.ReceiverThreads} threads, batch {options.Batch}, batched sends {options.BatchedSends}"));
        stop.Wait();
        foreach (RelaySocket socket in sockets)
        {
            driver.Remove(socket);
        }

        foreach (RtpSocketPair pair in pairs)
        {
            pair.Dispose();
        }

        return 0;
    }

    /// <summary>Writes "A_PORT B_PORT" per call, then renames the file into place: the generator starts when it appears whole.</summary>
    private static void PublishPorts(string portsFile, string[] lines)
    {
        File.WriteAllLines(portsFile + ".tmp", lines);
        File.Move(portsFile + ".tmp", portsFile, overwrite: true);
    }

    /// <summary>The C relay's work per datagram: latch the first source, relay to the partner's latched peer.</summary>
    private sealed class BareForwarder : IDatagramHandler
    {
        private readonly LegCounterSet _counters = new();

        public BareForwarder? Partner { get; set; }

        public RelaySocket? PartnerSocket { get; set; }

        public SocketAddress? Latched { get; private set; }

        public void OnDatagram(Span<byte> datagram, SocketAddress source, long receivedAt, Span<byte> scratch, IRelaySender sender)
        {
            if (Latched is null)
            {
                var copy = new SocketAddress(source.Family, source.Size);
                source.Buffer.Span.Slice(0, source.Size).CopyTo(copy.Buffer.Span);
                Latched = copy;
            }

            if (Partner!.Latched is { } destination)
            {
                sender.Send(PartnerSocket!, datagram, destination, _counters, rtcp: false);
            }
        }

        public void OnTruncated()
        {
        }
    }
}
