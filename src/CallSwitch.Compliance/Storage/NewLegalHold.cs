namespace CallSwitch.Compliance.Storage;

/// <summary>A legal hold to place (litigation, a contested appointment, a regulator's request).</summary>
public sealed record NewLegalHold
{
    /// <summary>What it covers.</summary>
    public required LegalHoldScope Scope { get; init; }

    /// <summary>The recording's id (scope <see cref="LegalHoldScope.Recording"/>).</summary>
    public Guid? RecordingId { get; init; }

    /// <summary>The call's id (scope <see cref="LegalHoldScope.Call"/>).</summary>
    public string? CallId { get; init; }

    /// <summary>The number's keyed hash, never the number (scope <see cref="LegalHoldScope.Number"/>).</summary>
    public string? NumberDigest { get; init; }

    /// <summary>The campaign (scope <see cref="LegalHoldScope.Campaign"/>).</summary>
    public string? CampaignId { get; init; }

    /// <summary>The start of the range, inclusive (scope <see cref="LegalHoldScope.Period"/>).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The end of the range, exclusive (scope <see cref="LegalHoldScope.Period"/>).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Why (the case, the request's reference).</summary>
    public required string Reason { get; init; }

    /// <summary>Who asked for it (a lawyer, a regulator, a court).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>Who placed it (the user).</summary>
    public required string PlacedBy { get; init; }

    /// <summary>When it lapses by itself; null for until released.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What it covers, for the audit log and listings: never a phone number (a number hold shows the start of its digest).</summary>
    public string DescribeTarget() => Scope switch
    {
        LegalHoldScope.Recording => $"recording {RecordingId:D}",
        LegalHoldScope.Call => $"call {CallId}",
        LegalHoldScope.Number => $"number (digest {NumberDigest?[..Math.Min(12, NumberDigest.Length)]}…)",
        LegalHoldScope.Campaign => $"campaign {CampaignId}",
        _ => $"recordings started from {From:yyyy-MM-dd'T'HH:mm:ss'Z'} to {Until:yyyy-MM-dd'T'HH:mm:ss'Z'}",
    };
}
