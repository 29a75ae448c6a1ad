namespace CallSwitch.Compliance.Access;

/// <summary>Checks on users' names and links, shared by the store and the CLI so both give the same reason.</summary>
public static class UserValidation
{
    /// <summary>Why a login name is not acceptable, or null when it is.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a user name is required";
        }

        return name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@')
            ? null
            : $"not a user name: '{name}' (up to 64 letters, digits, '.', '-', '_', '@')";
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <see cref="NameProblem"/> finds one.</summary>
    public static void Name(string? name)
    {
        if (NameProblem(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
    }

    /// <summary>Checks a new user: name, hash, extension, grants.</summary>
    public static void NewUser(NewUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Name(user.Name);
        ArgumentException.ThrowIfNullOrEmpty(user.PasswordHash);
        if (user.Extension is { } extension && !AccessScope.IsToken(extension))
        {
            throw new ArgumentException($"not an extension: '{extension}'", nameof(user));
        }

        ArgumentNullException.ThrowIfNull(user.Grants);
    }
}
