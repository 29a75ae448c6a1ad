using System.Net;
using System.Net.Sockets;
using System.Text;
using CallSwitch.Sip.Transport;
using CallSwitch.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CallSwitch.Sip.Tests.Transport;

public class TcpChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task RoundTripAndConnectionReuse(string address)
    {
        IPAddress ip = IPAddress.Parse(address);
        await using var server = new TcpChannel(new IPEndPoint(ip, 0));
        await using var client = new TcpChannel(new IPEndPoint(ip, 0));
        var atServer = new TransportChannelRecorder();
        var atClient = new TransportChannelRecorder();
        server.Start(atServer);
        client.Start(atClient);

        byte[] register = Encoding.ASCII.GetBytes(SipStreamFramerTests.Options);
        await client.SendAsync(server.LocalEndPoint, register);
        var got = await atServer.NextAsync();
        Assert.Equal(register, got.Data);

        // The server sees the client's ephemeral port, not its listening port...
        Assert.NotEqual(client.LocalEndPoint.Port, got.Remote.Port);

        // ...and a request sent back to that end point goes on the client's own connection.
        byte[] request = Encoding.ASCII.GetBytes(SipStreamFramerTests.Message);
        await server.SendAsync(got.Remote, request);
        var back = await atClient.NextAsync();
        Assert.Equal(request, back.Data);
        Assert.Equal(server.LocalEndPoint, back.Remote);
        Assert.Equal(1, server.ConnectionCount);
        Assert.Equal(1, client.ConnectionCount);

        // The client also reuses its connection.
        await client.SendAsync(server.LocalEndPoint, register);
        await atServer.NextAsync();
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task ConcurrentSendsShareOneConnectAndNeverInterleave()
    {
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var atServer = new TransportChannelRecorder();
        server.Start(atServer);
        client.Start(new TransportChannelRecorder());

        string body = new('z', 20_000);
        byte[] big = Encoding.ASCII.GetBytes(SipStreamFramerTests.Options.Replace("Content-Length: 0", "Content-Length: 20000", StringComparison.Ordinal) + body);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SendAsync(server.LocalEndPoint, big).AsTask()));

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(big, (await atServer.NextAsync()).Data);
        }

        Assert.Equal(1, client.ConnectionCount);
    }

    [Fact]
    public async Task StreamFramingOverARealSocket()
    {
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var atServer = new TransportChannelRecorder();
        server.Start(atServer);
        using var raw = await ConnectRawAsync(server.LocalEndPoint);

        byte[] bytes = Encoding.ASCII.GetBytes(SipStreamFramerTests.Options + "\r\n" + SipStreamFramerTests.Message + SipStreamFramerTests.Options);
        foreach (int cut in new[] { 7, 100, 333 })
        {
            await raw.SendAsync(bytes.AsMemory(0, cut));
            await Task.Delay(20);
            await raw.SendAsync(bytes.AsMemory(cut));
        }

        var frames = new List<string>();
        for (int i = 0; i < 9; i++)
        {
            frames.Add(Encoding.ASCII.GetString((await atServer.NextAsync()).Data));
        }

        Assert.Equal(3, frames.Count(f => f == SipStreamFramerTests.Message));
        Assert.Equal(6, frames.Count(f => f == SipStreamFramerTests.Options));
    }

    [Fact]
    public async Task KeepAlivePingGetsAPong()
    {
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        server.Start(new TransportChannelRecorder());
        using var raw = await ConnectRawAsync(server.LocalEndPoint);

        await raw.SendAsync("\r\n\r\n"u8.ToArray());
        byte[] pong = new byte[16];
        using var cts = new CancellationTokenSource(Timeout);
        int read = await raw.ReceiveAsync(pong, SocketFlags.None, cts.Token);

        Assert.Equal("\r\n", Encoding.ASCII.GetString(pong, 0, read));
    }

    [Fact]
    public async Task BadContentLengthReportsAndClosesTheConnection()
    {
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var atServer = new TransportChannelRecorder();
        server.Start(atServer);
        using var raw = await ConnectRawAsync(server.LocalEndPoint);

        await raw.SendAsync(Encoding.ASCII.GetBytes(SipStreamFramerTests.Options.Replace("Content-Length: 0", "Content-Length: -5", StringComparison.Ordinal)));
        var error = await atServer.NextErrorAsync();
        Assert.Contains("Content-Length", error.Reason, StringComparison.Ordinal);

        // The server closed its side: the client reads end of stream (or a reset).
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            Assert.Equal(0, await raw.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        await WaitUntilAsync(() => server.ConnectionCount == 0);
    }

    [Fact]
    public async Task ClosedByPeerIsRemovedFromTheTable()
    {
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        var atServer = new TransportChannelRecorder();
        server.Start(atServer);
        var raw = await ConnectRawAsync(server.LocalEndPoint);
        await raw.SendAsync(Encoding.ASCII.GetBytes(SipStreamFramerTests.Options));
        var got = await atServer.NextAsync();
        Assert.True(server.HasConnection(got.Remote));

        raw.Dispose();
        await WaitUntilAsync(() => server.ConnectionCount == 0);
        Assert.False(server.HasConnection(got.Remote));
    }

    [Fact]
    public async Task IdleConnectionIsClosedOnFakeTime()
    {
        var time = new FakeTimeProvider();
        var options = new TcpChannelOptions { TimeProvider = time, IdleTimeout = TimeSpan.FromSeconds(60), IdleCheckInterval = TimeSpan.FromSeconds(10) };
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0), options);
        var atServer = new TransportChannelRecorder();
        server.Start(atServer);
        using var raw = await ConnectRawAsync(server.LocalEndPoint);
        await raw.SendAsync(Encoding.ASCII.GetBytes(SipStreamFramerTests.Options));
        await atServer.NextAsync();

        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, server.ConnectionCount);

        // Keep-alive traffic counts as activity.
        await raw.SendAsync("\r\n\r\n"u8.ToArray());
        using (var cts = new CancellationTokenSource(Timeout))
        {
            await raw.ReceiveAsync(new byte[2], SocketFlags.None, cts.Token);
        }

        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, server.ConnectionCount);

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task ConnectionsAreBounded()
    {
        await using var server = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0), new TcpChannelOptions { MaxConnections = 1 });
        var atServer = new TransportChannelRecorder();
        server.Start(atServer);
        using var first = await ConnectRawAsync(server.LocalEndPoint);
        await first.SendAsync(Encoding.ASCII.GetBytes(SipStreamFramerTests.Options));
        await atServer.NextAsync();

        using var second = await ConnectRawAsync(server.LocalEndPoint);
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            Assert.Equal(0, await second.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        Assert.Equal(1, server.RefusedConnections);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task ConnectRefusedIsATransportError()
    {
        int closedPort;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closedPort = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        await using var client = new TcpChannel(new IPEndPoint(IPAddress.Loopback, 0));
        client.Start(new TransportChannelRecorder());

        var ex = await Assert.ThrowsAsync<SipTransportException>(async () =>
            await client.SendAsync(new IPEndPoint(IPAddress.Loopback, closedPort), "x"u8.ToArray()));
        Assert.Contains("ConnectionRefused", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.ConnectionCount);
    }

    private static async Task<Socket> ConnectRawAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server, cts.Token);
        return socket;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }
}
