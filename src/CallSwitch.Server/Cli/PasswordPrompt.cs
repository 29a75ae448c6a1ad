using System.Text;

namespace CallSwitch.Server.Cli;

/// <summary>
/// Reads a password for the CLI: one line of standard input when it is redirected (a pipe, a
/// file), otherwise typed at the terminal without echo. Never an argument: arguments land in the
/// shell's history and in <c>ps</c>.
/// </summary>
internal static class PasswordPrompt
{
    /// <summary>Reads a new password: one line when input is redirected, else typed twice at the terminal (null when they differ).</summary>
    public static string? ReadNew(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string? password = Read("New password: ", error);
        if (Console.IsInputRedirected || password is null)
        {
            return password;
        }

        if (Read("Again: ", error) == password)
        {
            return password;
        }

        error.WriteLine("the passwords differ");
        return null;
    }

    /// <summary>Reads one password, showing <paramref name="prompt"/> on <paramref name="error"/> at a terminal; null at end of input.</summary>
    public static string? Read(string prompt, TextWriter error)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        error.Write(prompt);
        var typed = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    error.WriteLine();
                    return typed.ToString();
                case ConsoleKey.Backspace:
                    if (typed.Length > 0)
                    {
                        typed.Length--;
                    }

                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        typed.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
