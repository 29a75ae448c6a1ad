using System.Security.Cryptography;

namespace CallSwitch.Server.WebConsole.Recordings;

/// <summary>
/// The recordings opened in players now, by ticket. Bounded: at most <see cref="MaxTickets"/>
/// tickets and <see cref="MaxBytes"/> of audio, the oldest dropped first; each lapses after
/// <see cref="Lifetime"/> (the player then asks for the purpose again, audited again).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ListeningTickets
{
    /// <summary>How long a ticket lasts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>The most tickets held at once.</summary>
    public const int MaxTickets = 64;

    /// <summary>The most decrypted audio held at once.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly LinkedList<ListeningTicket> _tickets = new();
    private readonly TimeProvider _time;

    /// <summary>Creates the store of tickets.</summary>
    public ListeningTickets(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Issues a ticket for <paramref name="user"/> over the decrypted <paramref name="audio"/>.</summary>
    public ListeningTicket Issue(string user, Guid recordingId, byte[] audio)
    {
        var ticket = new ListeningTicket(
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_'),
            user,
            recordingId,
            audio,
            _time.GetUtcNow() + Lifetime);
        lock (_gate)
        {
            _tickets.AddLast(ticket);
            long bytes = _tickets.Sum(t => (long)t.Audio.Length);
            while (_tickets.Count > MaxTickets || (bytes > MaxBytes && _tickets.Count > 1))
            {
                bytes -= _tickets.First!.Value.Audio.Length;
                _tickets.RemoveFirst();
            }
        }

        return ticket;
    }

    /// <summary>The ticket, when it exists, has not lapsed, is <paramref name="user"/>'s and for <paramref name="recordingId"/>.</summary>
    public ListeningTicket? Find(string? token, string user, Guid recordingId)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            for (LinkedListNode<ListeningTicket>? node = _tickets.First; node is not null;)
            {
                LinkedListNode<ListeningTicket>? next = node.Next;
                if (node.Value.Expires <= now)
                {
                    _tickets.Remove(node);
                }
                else if (node.Value.Token == token)
                {
                    ListeningTicket ticket = node.Value;
                    return ticket.User == user && ticket.RecordingId == recordingId ? ticket : null;
                }

                node = next;
            }
        }

        return null;
    }
}
