namespace CallSwitch.Compliance.Requests;

/// <summary>Where a data-subject request stands.</summary>
public enum RequestStatus
{
    /// <summary>Received, not answered yet.</summary>
    Open,

    /// <summary>Answered (fulfilled).</summary>
    Done,

    /// <summary>Refused, with a reason.</summary>
    Rejected,
}
