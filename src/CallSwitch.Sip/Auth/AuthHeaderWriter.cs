using System.Text;

namespace CallSwitch.Sip.Auth;

/// <summary>
/// Builds canonical <c>Digest</c> header values: <c>Digest name="value", name=token</c>, with
/// single ", " separators and RFC 3261 §25.1 quoted-pair escaping.
/// </summary>
internal sealed class AuthHeaderWriter
{
    private readonly StringBuilder _builder = new(256);
    private bool _first = true;

    public AuthHeaderWriter(string scheme)
    {
        _builder.Append(scheme).Append(' ');
    }

    public AuthHeaderWriter Quoted(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        Separator(name);
        _builder.Append('"');
        foreach (var c in value)
        {
            if (c is '\0' or '\r' or '\n')
            {
                // Writing these would let a value break out of its header line.
                throw new ArgumentException($"Digest parameter '{name}' contains a control character.", name);
            }

            if (c is '"' or '\\')
            {
                _builder.Append('\\');
            }

            _builder.Append(c);
        }

        _builder.Append('"');
        return this;
    }

    public AuthHeaderWriter Token(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        foreach (var c in value)
        {
            if (c is <= ' ' or >= (char)0x7F or ',' or '"')
            {
                throw new ArgumentException($"Digest parameter '{name}' is not a valid token.", name);
            }
        }

        Separator(name);
        _builder.Append(value);
        return this;
    }

    public AuthHeaderWriter Others(IReadOnlyList<AuthParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.IsQuoted)
            {
                Quoted(parameter.Name, parameter.Value);
            }
            else
            {
                Token(parameter.Name, parameter.Value);
            }
        }

        return this;
    }

    public override string ToString() => _builder.ToString();

    private void Separator(string name)
    {
        if (!_first)
        {
            _builder.Append(", ");
        }

        _first = false;
        _builder.Append(name).Append('=');
    }
}
