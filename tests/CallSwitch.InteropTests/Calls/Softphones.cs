using CallSwitch.Calls.Registration;
using CallSwitch.InteropTests.Signalling;

namespace CallSwitch.InteropTests.Calls;

/// <summary>What the tests with real softphones (baresip, linphonec) and recorded audio check alike.</summary>
internal static class Softphones
{
    /// <summary>The one binding of <paramref name="user"/>, waited for up to 10 s; fails with the phone's output and the switch's log.</summary>
    public static async Task<Binding> WaitForBindingAsync(TestSwitch sw, string user, object phone)
    {
        for (int i = 0; i < 400 && sw.Host.Registrar.GetBindings(user).Count == 0; i++)
        {
            await Task.Delay(25);
        }

        IReadOnlyList<Binding> bindings = sw.Host.Registrar.GetBindings(user);
        Assert.True(bindings.Count == 1, $"{bindings.Count} binding(s) of {user} after 10 s\n{phone}\n--- switch log ---\n{sw.Log}");
        return bindings[0];
    }

    /// <summary>The switch took everything the phone sent: no warning, no error in its log.</summary>
    public static void NothingRefused(TestSwitch sw, object phone)
    {
        string[] complaints = [.. sw.Log.Split('\n').Where(l => l.Contains(" WRN ", StringComparison.Ordinal) || l.Contains(" ERR ", StringComparison.Ordinal))];
        Assert.True(complaints.Length == 0, string.Join('\n', complaints) + "\n" + phone + "\n--- switch log ---\n" + sw.Log);
    }

    /// <summary><paramref name="power"/> is at least 20 dB above <paramref name="reference"/>.</summary>
    public static void AtLeast20Db(double power, double reference, string what, string context)
    {
        double db = RecordedAudio.Decibels(power, reference);
        Assert.True(db >= 20, $"{what}: only {db:F1} dB ({context})");
    }
}
