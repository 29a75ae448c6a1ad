namespace CallSwitch.Calls.Registration;

/// <summary>What the rest of the switch asks of registrations: where an agent can be reached now.</summary>
public interface IBindingLookup
{
    /// <summary>The live bindings of a user, highest q first, newest first among equals.</summary>
    IReadOnlyList<Binding> GetBindings(string user);

    /// <summary>Every user with at least one live binding.</summary>
    IReadOnlyCollection<string> RegisteredUsers { get; }
}
