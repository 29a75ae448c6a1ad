using System.Text;

namespace CallSwitch.Sip.Messages;

/// <summary>
/// Method names. Methods are case-sensitive tokens (RFC 3261 §7.1); the known ones are
/// interned so that parsing them does not allocate and they compare by reference.
/// </summary>
public static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Info = "INFO";
    public const string Update = "UPDATE";
    public const string Prack = "PRACK";
    public const string Subscribe = "SUBSCRIBE";
    public const string Notify = "NOTIFY";
    public const string Refer = "REFER";
    public const string Message = "MESSAGE";
    public const string Publish = "PUBLISH";

    private static readonly string[] Known =
    [
        Invite, Ack, Bye, Cancel, Options, Register, Info, Update, Prack, Subscribe, Notify, Refer, Message, Publish,
    ];

    /// <summary>Every method the stack knows, for Allow headers.</summary>
    public static IReadOnlyList<string> All => Known;

    /// <summary>Returns the interned name for a known method, or a new string for another token.</summary>
    public static string FromBytes(ReadOnlySpan<byte> name)
    {
        foreach (string known in Known)
        {
            if (name.Length == known.Length && Ascii.Equals(name, known))
            {
                return known;
            }
        }

        return Encoding.ASCII.GetString(name);
    }

    /// <summary>True for a method name the stack recognises.</summary>
    public static bool IsKnown(string method) => Array.IndexOf(Known, method) >= 0;
}
