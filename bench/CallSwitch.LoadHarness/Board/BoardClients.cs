using System.Net;
using System.Text.RegularExpressions;

namespace CallSwitch.LoadHarness.Board;

/// <summary>
/// Browsers on the web console's live board, as the switch sees them: each signs in through the
/// console's form (its own cookies and antiforgery token) and reads the live board's event stream
/// (/api/calls/events) until disposed, counting the events and the calls it was shown.
/// </summary>
internal sealed partial class BoardClients : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private long _events;
    private int _largestList;

    /// <summary>Events received by all clients so far.</summary>
    public long Events => Interlocked.Read(ref _events);

    /// <summary>The most calls one browser had on its board at once.</summary>
    public int LargestList => Volatile.Read(ref _largestList);

    public int Count => _clients.Count;

    public static async Task<BoardClients> ConnectAsync(Uri console, string user, string password, int count, CancellationToken cancel)
    {
        var board = new BoardClients();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
                {
                    BaseAddress = console,
                    Timeout = Timeout.InfiniteTimeSpan,
                };
                board._clients.Add(client);
                string page = await client.GetStringAsync("signin", cancel).ConfigureAwait(false);
                string token = Token().Match(page).Groups[1].Value;
                using HttpResponseMessage signedIn = await client.PostAsync(
                    "signin",
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token, ["user"] = user, ["password"] = password }),
                    cancel).ConfigureAwait(false);
                if (signedIn.StatusCode != HttpStatusCode.Redirect)
                {
                    throw new InvalidOperationException($"console sign-in of {user} answered {(int)signedIn.StatusCode}");
                }

                HttpResponseMessage stream = await client.GetAsync("api/calls/events", HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
                if (!stream.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"the live board's events answered {(int)stream.StatusCode}");
                }

                board._readers.Add(board.ReadAsync(stream));
            }

            return board;
        }
        catch
        {
            await board.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (HttpClient client in _clients)
        {
            client.Dispose();
        }

        await Task.WhenAll(_readers).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response)
    {
        try
        {
            using (response)
            using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false)))
            {
                var board = new HashSet<string>(StringComparer.Ordinal);
                while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
                {
                    if (!line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    // The calls on this browser's board: a snapshot starts afresh, then upserts and removals.
                    Interlocked.Increment(ref _events);
                    if (line.Contains("\"snapshot\":true", StringComparison.Ordinal))
                    {
                        board.Clear();
                    }

                    int removedAt = line.IndexOf("\"removed\":", StringComparison.Ordinal);
                    foreach (Match m in CallId().Matches(line[..removedAt]))
                    {
                        board.Add(m.Groups[1].Value);
                    }

                    foreach (Match m in Quoted().Matches(line[removedAt..]))
                    {
                        board.Remove(m.Groups[1].Value);
                    }

                    int calls = board.Count;
                    int largest;
                    while (calls > (largest = Volatile.Read(ref _largestList)) && Interlocked.CompareExchange(ref _largestList, calls, largest) != largest)
                    {
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Stopped, or the switch went away at the end of the run.
        }
    }

    [GeneratedRegex("\"call\":\\{\"id\":\"([^\"]+)\"")]
    private static partial Regex CallId();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("<meta name=\"csrf\" content=\"([^\"]+)\"")]
    private static partial Regex Token();
}
