namespace CallSwitch.Calls.Registration;

/// <summary>
/// What a REGISTER led to: the status to answer with and, on success, the bindings now in
/// force (to list in the 200's Contact headers, RFC 3261 §10.3 step 8).
/// </summary>
public sealed record RegistrarResult(int StatusCode, string Reason, IReadOnlyList<Binding> Bindings, int? MinExpires = null)
{
    /// <summary>True for a 200.</summary>
    public bool IsSuccess => StatusCode == 200;
}
