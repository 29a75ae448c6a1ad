namespace CallSwitch.Server.SelfTest;

/// <summary>A test call could not be made as scripted (refused, ended early): the message says what happened, in one line.</summary>
internal sealed class SelfTestCallException : Exception
{
    public SelfTestCallException()
    {
    }

    public SelfTestCallException(string message)
        : base(message)
    {
    }

    public SelfTestCallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
