namespace CallSwitch.Sip.Dialogs;

/// <summary>The states of a dialog (RFC 3261 §12).</summary>
public enum DialogState
{
    /// <summary>Created by a provisional response with a To tag (§12.1).</summary>
    Early,

    /// <summary>Created or confirmed by a 2xx.</summary>
    Confirmed,

    /// <summary>Ended (BYE, a non-2xx final for an early dialog, 481 or 408 to an in-dialog request, §12.2.1.2, §12.3).</summary>
    Terminated,
}
