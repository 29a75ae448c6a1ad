using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CallSwitch.Recording.Ogg;
using CallSwitch.Recording.Opus;
using CallSwitch.Recording.Tests.Support;
using CallSwitch.TestSupport;

namespace CallSwitch.InteropTests.Recording;

/// <summary>
/// A recording plays in a browser: headless Chromium loads it from a loopback HTTP server into an
/// &lt;audio&gt; element and plays it to the end, and decodes it with Web Audio, whose channels
/// are measured in the page (agent 440 Hz on the left, prospect 1 kHz on the right).
/// </summary>
public sealed class BrowserPlaybackTests : IDisposable
{
    private const double Seconds = 4;
    private readonly string _directory = Directory.CreateTempSubdirectory("cs-browser-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ChromiumPlaysTheRecordingToTheEndAndDecodesEachPartyOnItsChannel()
    {
        byte[] recording = WriteRecording();
        int port = FreePorts.Next(IPAddress.Loopback);
        var reports = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Task serving = ServeAsync(listener, recording, reports, done);

        using Process browser = StartChromium($"http://127.0.0.1:{port}/", Path.Combine(_directory, "profile"));
        try
        {
            Task finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(45)));
            Assert.True(finished == done.Task, "Chromium did not finish playing within 45 s; it reported:\n" + string.Join('\n', reports));
        }
        finally
        {
            browser.Kill(entireProcessTree: true);
            await browser.WaitForExitAsync();
            listener.Stop();
            await serving;
        }

        string[] lines = [.. reports];
        Assert.DoesNotContain(lines, l => l.StartsWith("ERROR", StringComparison.Ordinal));
        Assert.Contains("canPlayType probably", lines);
        Assert.Contains("playing", lines);
        double played = double.Parse(lines.Single(l => l.StartsWith("ended ", StringComparison.Ordinal))[6..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(played, Seconds - 0.1, Seconds + 0.1);

        using var decoded = JsonDocument.Parse(lines.Single(l => l.StartsWith('{')));
        JsonElement d = decoded.RootElement;
        Assert.Equal(2, d.GetProperty("channels").GetInt32());
        Assert.InRange(d.GetProperty("duration").GetDouble(), Seconds - 0.1, Seconds + 0.1);
        double Db(string own, string other) => Signals.Decibels(d.GetProperty(own).GetDouble(), d.GetProperty(other).GetDouble());
        Assert.True(d.GetProperty("agentAloneL440").GetDouble() > 1e-4, "the agent's tone is missing on the left: " + d);
        Assert.True(Db("agentAloneL440", "agentAloneR440") >= 20, "agent alone: " + d);
        Assert.True(Db("prospectAloneR1000", "prospectAloneL1000") >= 20, "prospect alone: " + d);
        Assert.True(Db("bothL440", "bothL1000") >= 20, "both talk, left: " + d);
        Assert.True(Db("bothR1000", "bothR440") >= 20, "both talk, right: " + d);
    }

    /// <summary>The agent (440 Hz, left) talks 0–2.5 s, the prospect (1 kHz, right) 1.5–4 s.</summary>
    private static byte[] WriteRecording()
    {
        var options = new StereoOpusEncoderOptions();
        using var file = new MemoryStream();
        using (var writer = new OpusRecordingWriter(file, new StereoOpusEncoder(options), new RecordingTags("rec-browser", "campaign-1"), serialNumber: 7))
        {
            int rate = options.InputSampleRate;
            Signals.WriteConversation(writer, rate, (int)(Seconds * rate / writer.Encoder.FrameSize), t => t < 2.5, t => t >= 1.5);
            writer.Complete();
        }

        return file.ToArray();
    }

    private static async Task ServeAsync(HttpListener listener, byte[] recording, ConcurrentQueue<string> reports, TaskCompletionSource done)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            HttpListenerResponse response = context.Response;
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/":
                    Write(response, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Page));
                    break;
                case "/recording.ogg":
                    Write(response, "audio/ogg", recording);
                    break;
                case "/report":
                    using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                    {
                        string line = await reader.ReadToEndAsync();
                        reports.Enqueue(line);
                        if (line.StartsWith("ended", StringComparison.Ordinal) || line.StartsWith("ERROR", StringComparison.Ordinal))
                        {
                            done.TrySetResult();
                        }
                    }

                    response.StatusCode = 204;
                    response.Close();
                    break;
                default:
                    response.StatusCode = 404;
                    response.Close();
                    break;
            }
        }
    }

    private static void Write(HttpListenerResponse response, string type, byte[] body)
    {
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    private static Process StartChromium(string url, string profile)
    {
        string? path = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.True(path is not null, "Chromium is not installed: apt-get install -y chromium");
        var info = new ProcessStartInfo(path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--mute-audio",
            "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0", "--user-data-dir=" + profile, url,
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The page reports each step to /report; the decoded channels' tone powers (Goertzel) as one JSON line.
    private const string Page = """
        <!doctype html>
        <html><body><audio id="player" preload="auto"></audio><script>
        const report = text => fetch('/report', { method: 'POST', body: text });
        function tone(data, rate, hz, from, to) {
          const k = 2 * Math.cos(2 * Math.PI * hz / rate), a = Math.floor(from * rate), b = Math.floor(to * rate);
          let s1 = 0, s2 = 0;
          for (let i = a; i < b; i++) { const s0 = data[i] + k * s1 - s2; s2 = s1; s1 = s0; }
          return (s1 * s1 + s2 * s2 - k * s1 * s2) / ((b - a) * (b - a));
        }
        async function decode() {
          const bytes = await (await fetch('/recording.ogg')).arrayBuffer();
          const audio = await new OfflineAudioContext(2, 48000, 48000).decodeAudioData(bytes);
          const l = audio.getChannelData(0), r = audio.getChannelData(audio.numberOfChannels > 1 ? 1 : 0), rate = audio.sampleRate;
          await report(JSON.stringify({
            channels: audio.numberOfChannels, duration: audio.duration,
            agentAloneL440: tone(l, rate, 440, 0.3, 1.3), agentAloneR440: tone(r, rate, 440, 0.3, 1.3),
            prospectAloneR1000: tone(r, rate, 1000, 2.8, 3.8), prospectAloneL1000: tone(l, rate, 1000, 2.8, 3.8),
            bothL440: tone(l, rate, 440, 1.7, 2.3), bothL1000: tone(l, rate, 1000, 1.7, 2.3),
            bothR1000: tone(r, rate, 1000, 1.7, 2.3), bothR440: tone(r, rate, 440, 1.7, 2.3),
          }));
        }
        async function play() {
          const player = document.getElementById('player');
          await report('canPlayType ' + player.canPlayType('audio/ogg; codecs=opus'));
          player.onerror = () => report('ERROR audio element: ' + (player.error && player.error.message));
          player.onended = () => report('ended ' + player.currentTime);
          player.src = '/recording.ogg';
          await player.play();
          await report('playing');
        }
        decode().then(play).catch(e => report('ERROR ' + e));
        </script></body></html>
        """;
}
